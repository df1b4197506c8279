/*
 * draw/window.c - st-draw's time-window rules, and collecting one window.
 *
 * The collector follows the merged stream from the start of the trace (a
 * scheduled interval may begin before the window) but keeps only what
 * touches the window. Per CPU it holds the task switched in; per task an
 * open suspension. Jobs are not rebuilt here: the job analysis
 * (stats/jobs.c) runs in the same pass and hands its rows to
 * rl_schedwin_add_job(), which keeps the release, deadline and completion
 * marks and misses that fall into the window. Reading may stop soon after
 * the window's end: once nothing that began inside the window is still
 * open (and the job analysis agrees), later events cannot change the
 * picture.
 */
#include "draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../filters/filters.h"
#include "../stats/stats.h"

/* CPU numbers at or above this are not believed (garbage, not a machine). */
#define WIN_MAX_CPU (1u << 20)

struct win_run {
	int64_t t0;
	uint32_t task, job;
	uint32_t last_iv;      /* CPU view: last stored interval of this row + 1 */
	uint32_t last_idle_iv; /* CPU view: the same for the idle task's intervals */
	uint8_t on;
};

#define WIN_NSLOTS 5 /* mark kinds: release, completion, block, resume, deadline */

/* A job handed in by rl_schedwin_add_job(). */
struct win_pjob {
	int64_t release, deadline;
	uint32_t job;
};

struct win_task {
	int64_t block_since;
	uint32_t last_iv;		/* task view: last stored interval + 1 */
	uint32_t last_mark[WIN_NSLOTS]; /* last stored mark of each kind + 1 */
	uint32_t last_miss;		/* last stored missed job + 1 */
	uint8_t blocked;
};

struct win_priv {
	struct win_run *cpus;
	uint32_t ncpus, cap_cpus;
	struct win_task *tasks;
	uint32_t ntasks, cap_tasks;
};

/* Saturating arithmetic: times come from files and may be anything. */
static int64_t win_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

static int64_t win_sub(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

static int win_overlaps(const struct rl_schedwin *w, int64_t a, int64_t b)
{
	return b >= w->start && a <= w->end;
}

static int win_in(const struct rl_schedwin *w, int64_t t)
{
	return t >= w->start && t <= w->end;
}

/* ------------------------------------------------------------ span pass */

static int span_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_trace_span *sp = &((struct rl_span_sink *)s)->span;

	(void)err;
	if (ev->flags & RL_EVF_NOTIME)
		return 0;
	if (ev->type == RL_EV_SYS_RELEASE &&
	    (!sp->has_sys_release || ev->src < sp->sys_release_src)) {
		/* st-draw takes the first one in file order */
		sp->sys_release = ev->arg;
		sp->sys_release_src = ev->src;
		sp->has_sys_release = 1;
	}
	if (ev->ts <= 0)
		return 0;
	if (!sp->has_events || ev->ts < sp->earliest)
		sp->earliest = ev->ts;
	if (!sp->has_events || ev->ts > sp->latest)
		sp->latest = ev->ts;
	sp->has_events = 1;
	return 0;
}

/**
 * rl_span_sink_init() - a sink that finds what st-draw's window rules need
 * @s: the sink; its span is valid after the run
 */
void rl_span_sink_init(struct rl_span_sink *s)
{
	memset(s, 0, sizeof(*s));
	s->sink.event = span_event;
}

/**
 * rl_window_needs_span() - whether the window depends on the trace
 * @o: the time options
 *
 * Return: 1 if a first pass (rl_span_sink) is needed.
 */
int rl_window_needs_span(const struct rl_window_opts *o)
{
	if (o->relative || o->from_start)
		return 1;
	if (!o->from && !(o->until && o->length))
		return 1;
	if (!o->until && !o->length)
		return 1;
	return 0;
}

static int64_t win_ms(double ms)
{
	return (int64_t)llround(ms * 1e6);
}

/**
 * rl_window_resolve() - apply st-draw's rules for the window's start and end
 * @o:     the options (ms; 0 means unset, as st-draw's truth tests do)
 * @sp:    what the first pass found (may be NULL when not needed)
 * @start: window start, ns
 * @end:   window end, ns
 * @err:   error out
 *
 * Return: 0, or -RL_E_USAGE when the window is empty or the trace cannot
 * give what the rules need.
 */
int rl_window_resolve(const struct rl_window_opts *o, const struct rl_trace_span *sp,
		      int64_t *start, int64_t *end, struct rl_err *err)
{
	int64_t ref = 0, base = 0, s = 0, e = 0;
	int have_s = 0, have_e = 0;
	const double lim = 9.0e12; /* ms: about 285 years, far inside int64 ns */

	if (fabs(o->from) > lim || fabs(o->until) > lim || fabs(o->length) > lim ||
	    fabs(o->quantum) > lim || o->quantum < 0 || o->length < 0)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "time options must be non-negative where it matters and below "
				  "%.0f ms",
				  lim);
	if (o->relative || !o->from) {
		if (!sp || (!sp->has_sys_release && !sp->has_events))
			return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					  "the trace has no timed events to place the window by");
		ref = sp->has_sys_release ? sp->sys_release : sp->earliest;
	}
	if (o->relative) {
		base = ref;
	} else if (o->from_start) {
		/* rtlens draw: as --from/--to everywhere, from the trace's first event */
		if ((o->from || o->until || o->from_given || o->until_given) &&
		    (!sp || !sp->has_events))
			return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					  "the trace has no timed events to place the window by");
		if (sp && sp->has_events)
			base = sp->earliest;
	}
	if (o->from || (o->from_start && o->from_given)) {
		s = win_add(win_ms(o->from), base);
		have_s = 1;
	}
	if (o->until || (o->from_start && o->until_given)) {
		e = win_add(win_ms(o->until), base);
		have_e = 1;
	}
	if (!have_s || !s) {
		if (have_e && e && o->length)
			s = win_sub(e, win_ms(o->length));
		else
			s = ref;
	}
	if (o->quantum) {
		int64_t q = win_ms(o->quantum);

		if (q > 0)
			s = (s / q) * q - ((s % q) < 0 ? q : 0);
	}
	if (!have_e || !e) {
		if (s && o->length) {
			e = win_add(s, win_ms(o->length));
		} else {
			if (!sp || !sp->has_events)
				return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
						  "the trace has no timed events to end the "
						  "window at");
			e = sp->latest;
		}
	}
	if (e > s && win_sub(e, s) == INT64_MAX)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "time window too long (%.0f ms to %.0f ms)", s / 1e6, e / 1e6);
	if (e <= s)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "empty time window: it ends at %.6f ms, not after its start at "
				  "%.6f ms",
				  e / 1e6, s / 1e6);
	*start = s;
	*end = e;
	return 0;
}

/* ------------------------------------------------------------ collector */

/**
 * rl_schedwin_init() - prepare to collect a window
 * @w:     the collector
 * @start: window start, ns
 * @end:   window end, ns (inclusive, as st-draw)
 * @err:   error out
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_schedwin_init(struct rl_schedwin *w, int64_t start, int64_t end, struct rl_err *err)
{
	memset(w, 0, sizeof(*w));
	w->start = start;
	w->end = end;
	w->last_ts = INT64_MIN;
	w->keep_jobs = 1;
	w->priv_ = calloc(1, sizeof(struct win_priv));
	if (!w->priv_)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	return 0;
}

/**
 * rl_schedwin_release() - free what a collector holds
 * @w: the collector
 */
void rl_schedwin_release(struct rl_schedwin *w)
{
	struct win_priv *p = w->priv_;

	if (p) {
		free(p->tasks);
		free(p->cpus);
		free(p);
	}
	free(w->ivs);
	free(w->marks);
	free(w->jobs);
	free(w->susps);
	memset(w, 0, sizeof(*w));
}

/**
 * rl_schedwin_set_merge() - keep the window at the resolution it is drawn at
 * @w:         the collector (before any event)
 * @iv_ns:     intervals shorter than this, closer than this to the previous
 *             one of their row, are merged into it (0: never)
 * @mark_ns:   marks of one kind and row closer than this are merged (0: never)
 * @by_cpu:    rows are CPUs; marks, jobs and suspensions are not kept
 * @keep_jobs: keep every job touching the window (for hover texts); if 0,
 *             only deadline misses, close ones merged
 *
 * With merging, memory grows with the picture's width, not with the number
 * of events in the window; the layout merges the same way.
 */
void rl_schedwin_set_merge(struct rl_schedwin *w, int64_t iv_ns, int64_t mark_ns, int by_cpu,
			   int keep_jobs)
{
	w->merge_iv = iv_ns > 0 ? iv_ns : 0;
	w->merge_mark = mark_ns > 0 ? mark_ns : 0;
	w->by_cpu = by_cpu;
	w->keep_jobs = keep_jobs;
}

static int win_nomem(struct rl_err *err)
{
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
			  "out of memory collecting the drawn window");
}

static struct win_task *win_task(struct rl_schedwin *w, uint32_t task)
{
	struct win_priv *p = w->priv_;

	if (task >= p->ntasks) {
		if (task == UINT32_MAX ||
		    rl_grow_zero((void **)&p->tasks, &p->cap_tasks, task + 1, sizeof(*p->tasks)))
			return NULL;
		p->ntasks = task + 1;
	}
	return &p->tasks[task];
}

static struct win_run *win_cpu(struct rl_schedwin *w, uint32_t cpu)
{
	struct win_priv *p = w->priv_;

	if (cpu >= WIN_MAX_CPU)
		return NULL;
	if (cpu >= p->ncpus) {
		if (rl_grow_zero((void **)&p->cpus, &p->cap_cpus, cpu + 1, sizeof(*p->cpus)))
			return NULL;
		p->ncpus = cpu + 1;
	}
	return &p->cpus[cpu];
}

/*
 * Helpers below call win_task() only for tasks that already have state, so
 * the task array never moves under a caller's pointer.
 */
static int win_is_idle(const struct rl_schedwin *w, uint32_t task)
{
	return w->t && task < w->t->ntasks && w->t->tasks[task].idle;
}

static int win_add_interval(struct rl_schedwin *w, struct win_run *r, uint32_t cpu, int64_t t1)
{
	struct rl_win_interval *iv;
	uint32_t *last;
	int64_t len = win_sub(t1, r->t0);
	int idle = win_is_idle(w, r->task);

	if (!win_overlaps(w, r->t0, t1))
		return 0;
	if (w->by_cpu) {
		/* idle time is a band of its own: it never swallows a short guest interval */
		last = idle ? &r->last_idle_iv : &r->last_iv;
	} else if (idle) {
		return 0; /* the idle task is no task to draw a row for */
	} else {
		struct win_task *tk = win_task(w, r->task);

		if (!tk)
			return -RL_E_NOMEM;
		last = &tk->last_iv;
	}
	if (*last && w->merge_iv) {
		iv = &w->ivs[*last - 1];
		if (win_sub(r->t0, iv->t1) < w->merge_iv &&
		    (win_sub(iv->t1, iv->t0) < w->merge_iv || len < w->merge_iv) &&
		    r->t0 >= iv->t0) {
			iv->count++;
			iv->busy = win_add(iv->busy, len > 0 ? len : 0);
			if (t1 > iv->t1)
				iv->t1 = t1;
			if (len > iv->longest) {
				iv->longest = len;
				iv->task = r->task;
				iv->cpu = cpu;
				iv->job = r->job;
			}
			return 0;
		}
	}
	if (rl_grow((void **)&w->ivs, &w->cap_ivs, w->nivs + 1, sizeof(*w->ivs)))
		return -RL_E_NOMEM;
	iv = &w->ivs[w->nivs++];
	iv->t0 = r->t0;
	iv->t1 = t1;
	iv->longest = len;
	iv->busy = len > 0 ? len : 0;
	iv->task = r->task;
	iv->cpu = cpu;
	iv->job = r->job;
	iv->count = 1;
	*last = w->nivs;
	return 0;
}

static int win_slot(int type)
{
	switch (type) {
	case RL_EV_RELEASE:
		return 0;
	case RL_EV_COMPLETION:
		return 1;
	case RL_EV_BLOCK:
		return 2;
	case RL_EV_RESUME:
		return 3;
	default:
		return 4;
	}
}

static int win_add_mark(struct rl_schedwin *w, int64_t ts, uint32_t task, uint32_t job, int type,
			int miss)
{
	struct win_task *tk;
	struct rl_win_mark *m;
	uint32_t *last;

	if (!win_in(w, ts) || w->by_cpu)
		return 0;
	tk = win_task(w, task);
	if (!tk)
		return -RL_E_NOMEM;
	last = &tk->last_mark[win_slot(type)];
	if (*last && w->merge_mark) {
		m = &w->marks[*last - 1];
		if (win_sub(ts, m->ts) < w->merge_mark && ts >= m->ts) {
			m->count++;
			m->miss |= (uint8_t)miss;
			return 0;
		}
	}
	if (rl_grow((void **)&w->marks, &w->cap_marks, w->nmarks + 1, sizeof(*w->marks)))
		return -RL_E_NOMEM;
	m = &w->marks[w->nmarks++];
	m->ts = ts;
	m->task = task;
	m->job = job;
	m->type = (uint8_t)type;
	m->miss = (uint8_t)miss;
	m->count = 1;
	*last = w->nmarks;
	return 0;
}

/* A job is finished (or given up at @t): keep it if it touches the window. */
static int win_job_done(struct rl_schedwin *w, uint32_t task, const struct win_pjob *pj, int64_t t,
			uint32_t flags)
{
	struct win_task *tk;
	struct rl_win_job *j;
	int64_t last = pj->deadline > t ? pj->deadline : t;

	if (t > pj->deadline)
		flags |= RL_WJ_MISS;
	if (!win_overlaps(w, pj->release, last) || w->by_cpu)
		return 0;
	if (win_add_mark(w, pj->deadline, task, pj->job, RL_WM_DEADLINE, !!(flags & RL_WJ_MISS)))
		return -RL_E_NOMEM;
	if (!w->keep_jobs && !(flags & RL_WJ_MISS))
		return 0;
	tk = win_task(w, task);
	if (!tk)
		return -RL_E_NOMEM;
	if (!w->keep_jobs && tk->last_miss) {
		/* misses only: a run of close misses becomes one band */
		j = &w->jobs[tk->last_miss - 1];
		if (win_sub(pj->deadline, j->completion) < w->merge_mark &&
		    pj->deadline >= j->deadline) {
			if (t > j->completion)
				j->completion = t;
			j->count++;
			j->flags |= flags;
			return 0;
		}
	}
	if (rl_grow((void **)&w->jobs, &w->cap_jobs, w->njobs + 1, sizeof(*w->jobs)))
		return -RL_E_NOMEM;
	j = &w->jobs[w->njobs++];
	j->release = pj->release;
	j->deadline = pj->deadline;
	j->completion = t;
	j->task = task;
	j->job = pj->job;
	j->flags = flags;
	j->count = 1;
	if (flags & RL_WJ_MISS)
		tk->last_miss = w->njobs;
	return 0;
}

static int win_susp(struct rl_schedwin *w, uint32_t task, int64_t t0, int64_t t1)
{
	struct rl_win_susp *s;

	if (!win_overlaps(w, t0, t1) || w->by_cpu)
		return 0;
	if (rl_grow((void **)&w->susps, &w->cap_susps, w->nsusps + 1, sizeof(*w->susps)))
		return -RL_E_NOMEM;
	s = &w->susps[w->nsusps++];
	s->t0 = t0;
	s->t1 = t1;
	s->task = task;
	return 0;
}

/**
 * rl_schedwin_event() - feed one event (in merged order)
 * @w:   the collector
 * @ev:  the event
 * @err: error out
 *
 * Events of types the picture does not show (ACTION, OTHER, ...) and events
 * without a time are ignored; RELEASE and COMPLETION are the job
 * analysis' (its rows come through rl_schedwin_add_job()).
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_schedwin_event(struct rl_schedwin *w, const struct rl_event *ev, struct rl_err *err)
{
	struct win_run *run = NULL;
	struct win_task *tk = NULL;

	w->events++;
	if (ev->flags & RL_EVF_NOTIME)
		return 0;
	if (ev->ts > w->last_ts)
		w->last_ts = ev->ts;
	if (ev->task != RL_NO_TASK) {
		tk = win_task(w, ev->task);
		if (!tk)
			return win_nomem(err);
	}
	if (ev->type == RL_EV_SWITCH_IN || ev->type == RL_EV_SWITCH_OUT) {
		if (!tk)
			return 0;
		run = win_cpu(w, ev->cpu);
		if (!run && ev->cpu < WIN_MAX_CPU)
			return win_nomem(err);
		if (!run) {
			w->unpaired++; /* a CPU number no machine has */
			return 0;
		}
	}
	switch (ev->type) {
	case RL_EV_SWITCH_IN:
		if (run->on) {
			/* the reader told us who left (ftrace style): close it here */
			if (ev->task2 == run->task && run->t0 <= ev->ts) {
				if (win_add_interval(w, run, ev->cpu, ev->ts))
					return win_nomem(err);
			} else {
				w->unpaired++;
			}
		}
		run->on = 1;
		run->t0 = ev->ts;
		run->task = ev->task;
		run->job = ev->job;
		return 0;
	case RL_EV_SWITCH_OUT:
		if (run->on && run->task == ev->task && run->t0 <= ev->ts) {
			if (win_add_interval(w, run, ev->cpu, ev->ts))
				return win_nomem(err);
		} else {
			w->unpaired++;
		}
		run->on = 0;
		return 0;
	case RL_EV_BLOCK:
		if (!tk)
			return 0;
		if (win_add_mark(w, ev->ts, ev->task, ev->job, ev->type, 0))
			return win_nomem(err);
		if (!tk->blocked) {
			tk->blocked = 1;
			tk->block_since = ev->ts;
		}
		return 0;
	case RL_EV_RESUME:
		if (!tk)
			return 0;
		if (win_add_mark(w, ev->ts, ev->task, ev->job, ev->type, 0))
			return win_nomem(err);
		if (tk->blocked) {
			tk->blocked = 0;
			if (win_susp(w, ev->task, tk->block_since, ev->ts))
				return win_nomem(err);
		}
		return 0;
	default:
		return 0;
	}
}

/**
 * rl_schedwin_done() - whether later events can no longer change the window
 * @w: the collector
 *
 * True once time has passed the window's end and no CPU still runs a task
 * that was switched in inside the window. (Whether jobs can still change
 * is the job analysis' to say: rl_jobs_settled().)
 *
 * Return: 1 if reading may stop as far as the intervals go.
 */
int rl_schedwin_done(const struct rl_schedwin *w)
{
	const struct win_priv *p = w->priv_;
	uint32_t i;

	if (w->last_ts <= w->end)
		return 0;
	for (i = 0; i < p->ncpus; i++)
		if (p->cpus[i].on && p->cpus[i].t0 <= w->end)
			return 0;
	return 1;
}

/**
 * rl_schedwin_finish() - close what is still open when reading stops
 * @w:   the collector
 * @err: error out
 *
 * Open suspensions last until the last time read. Intervals still running
 * are not drawn (their end is unknown), as in st-draw, and counted in
 * @w->unpaired.
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_schedwin_finish(struct rl_schedwin *w, struct rl_err *err)
{
	struct win_priv *p = w->priv_;
	uint32_t i;

	for (i = 0; i < p->ncpus; i++)
		if (p->cpus[i].on) {
			if (p->cpus[i].t0 <= w->end)
				w->unpaired++;
			p->cpus[i].on = 0;
		}
	for (i = 0; i < p->ntasks; i++) {
		struct win_task *tk = &p->tasks[i];

		if (tk->blocked) {
			tk->blocked = 0;
			if (win_susp(w, i, tk->block_since, w->last_ts))
				return win_nomem(err);
		}
	}
	return 0;
}

/**
 * rl_schedwin_add_job() - add a job of the job analysis (or of xentrace's RTDS periods)
 * @w:          the collector (task view)
 * @task:       its task
 * @job:        its number
 * @release:    release time, INT64_MIN if unknown (no release mark)
 * @deadline:   absolute deadline (INT64_MIN: none, only the completion mark)
 * @completion: completion time, INT64_MIN if it did not complete
 * @flags:      RL_WJ_MISS: it missed its deadline whatever @completion says;
 *              RL_WJ_END_MARK: put a completion mark; RL_WJ_INFERRED: the
 *              release is inferred (said in the hover text)
 * @err:        error out
 *
 * Puts a release mark (arrow up), a completion mark and a deadline mark
 * (arrow down, red for a miss) in the window and keeps the job if it
 * touches the window; a miss also gets its band from the deadline to
 * @completion (or, unfinished, to the last time read). Add the jobs of a
 * task in release order, as the job analysis hands them out.
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_schedwin_add_job(struct rl_schedwin *w, uint32_t task, uint32_t job, int64_t release,
			int64_t deadline, int64_t completion, uint32_t flags, struct rl_err *err)
{
	struct win_pjob pj;
	uint32_t keep = flags & (RL_WJ_MISS | RL_WJ_INFERRED);
	int64_t t = completion;

	if (w->by_cpu || task == RL_NO_TASK)
		return 0;
	if (!win_task(w, task))
		return win_nomem(err);
	if (release != INT64_MIN && win_add_mark(w, release, task, job, RL_EV_RELEASE, 0))
		return win_nomem(err);
	if (completion != INT64_MIN && (flags & RL_WJ_END_MARK) &&
	    win_add_mark(w, completion, task, job, RL_EV_COMPLETION, 0))
		return win_nomem(err);
	if (deadline == INT64_MIN)
		return 0;
	pj.release = release != INT64_MIN ? release : deadline;
	pj.deadline = deadline;
	pj.job = job;
	if (completion != INT64_MIN) {
		keep |= RL_WJ_COMPLETED;
	} else {
		/* unfinished when reading stopped: not a miss unless said so */
		keep |= RL_WJ_NO_END;
		t = w->last_ts < deadline || (flags & RL_WJ_MISS) ? w->last_ts : deadline;
	}
	if (win_job_done(w, task, &pj, t, keep))
		return win_nomem(err);
	return 0;
}

/**
 * rl_schedwin_read() - read a merge into the collector, with an analysis alongside
 * @w:    the collector
 * @m:    the merge, read from its start
 * @sel:  selection deciding which events the window takes (NULL: every event);
 *        its seen and kept counters count them
 * @s:    an analysis fed every event, as a task's jobs need all of its events
 *        (NULL: none); finished at the end
 * @jobs: with @s, the job analysis whose rows go into the window as they
 *        finish: reading stops once the window and the jobs are settled.
 *        With @s and no @jobs (xentrace's RTDS periods, known only at the
 *        end) the whole trace is read; without @s, reading stops once the
 *        window is done.
 * @err:  error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_schedwin_read(struct rl_schedwin *w, struct rl_merge *m, struct rl_select *sel,
		     struct rl_sink *s, const struct rl_jobs *jobs, struct rl_err *err)
{
	int can_stop = !s || jobs;
	struct rl_event ev;
	uint64_t n = 0, nread = 0;
	int r;

	while ((r = rl_merge_next(m, &ev, err)) > 0) {
		r = 0;
		if (w->progress && !(++nread & ((1u << 16) - 1)))
			w->progress(w->progress_arg, nread, rl_merge_done_bytes(m));
		if (sel)
			sel->seen++;
		if (!sel || rl_select_match(sel, &ev)) {
			if (sel)
				sel->kept++;
			r = rl_schedwin_event(w, &ev, err);
		}
		if (r >= 0 && s)
			r = s->event(s, &ev, err);
		if (r < 0)
			return r;
		/* checking is O(tasks + cpus): do it now and then */
		if (can_stop && ev.ts > w->end && !(++n & 255) && rl_schedwin_done(w) &&
		    (!jobs || rl_jobs_settled(jobs, w->end)))
			break;
	}
	if (r >= 0 && s && s->finish)
		r = s->finish(s, err);
	if (r < 0)
		return r;
	return rl_schedwin_finish(w, err);
}

/**
 * rl_schedwin_fill() - read a merge into the collector, stopping when done
 * @w:   the collector
 * @m:   the merge, read from its start
 * @err: error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_schedwin_fill(struct rl_schedwin *w, struct rl_merge *m, struct rl_err *err)
{
	return rl_schedwin_read(w, m, NULL, NULL, NULL, err);
}

/* @ns as ms with at most 6 decimals, trailing zeros dropped: "14000", "12723.14627". */
static void win_ms_text(char *buf, size_t sz, int64_t ns)
{
	size_t n;

	snprintf(buf, sz, "%s%lld.%06lld", ns < 0 ? "-" : "",
		 (long long)(ns < 0 ? -(ns / 1000000) : ns / 1000000),
		 (long long)(ns < 0 ? -(ns % 1000000) : ns % 1000000));
	n = strlen(buf);
	while (n && buf[n - 1] == '0')
		buf[--n] = 0;
	if (n && buf[n - 1] == '.')
		buf[--n] = 0;
}

/**
 * rl_window_origin_text() - where a picture's t = 0 lies, in words
 * @buf:   filled (always terminated)
 * @sz:    its size
 * @start: the window's start, ns on the trace clock
 * @sp:    what the first pass found (NULL: nothing known)
 * @boot:  the trace clock counts from boot
 */
void rl_window_origin_text(char *buf, size_t sz, int64_t start, const struct rl_trace_span *sp,
			   int boot)
{
	const char *clock = boot ? "after boot" : "on the trace clock";
	char at[48], rel[48];
	int64_t d;

	if (!sz)
		return;
	win_ms_text(at, sizeof(at), start);
	if (sp && sp->has_sys_release && start == sp->sys_release) {
		snprintf(buf, sz, "t = 0 at the system release, %s ms %s", at, clock);
	} else if (sp && sp->has_sys_release &&
		   !__builtin_sub_overflow(start, sp->sys_release, &d)) {
		win_ms_text(rel, sizeof(rel), d);
		snprintf(buf, sz, "t = 0 at %s ms %s (%s%s ms from the system release)", at, clock,
			 d > 0 ? "+" : "", rel);
	} else if (sp && sp->has_events && start == sp->earliest) {
		snprintf(buf, sz, "t = 0 at the trace's first event, %s ms %s", at, clock);
	} else if (sp && sp->has_events && !__builtin_sub_overflow(start, sp->earliest, &d)) {
		win_ms_text(rel, sizeof(rel), d);
		snprintf(buf, sz, "t = 0 at %s ms %s (%s%s ms from the trace's first event)", at,
			 clock, d > 0 ? "+" : "", rel);
	} else {
		snprintf(buf, sz, "t = 0 at %s ms %s", at, clock);
	}
}
