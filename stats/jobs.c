/*
 * stats/jobs.c - reconstruct jobs from schedule events.
 *
 * A job is identified by (task, job number). Its release comes from a
 * RELEASE event; when the kernel wrote none (PSN-EDF does not record the
 * release of a job that was already due at the previous completion) it is
 * inferred from the last known release plus whole periods and marked. The
 * job ends with its COMPLETION; a job whose completion never comes is kept
 * and marked (no-completion if a later job completed, incomplete if the
 * trace ended; an incomplete job whose deadline lies before the trace's last
 * event is overdue: a miss whose lateness is at least last event - deadline).
 * Execution time comes from the completion record when the
 * format has it, else from the scheduled intervals. A preemption is a
 * switch-out of a started, unfinished, not-blocked job followed by its
 * switch-in; a migration is a switch-in on another CPU than the job last ran
 * on. Self-suspensions are counted apart, not as preemptions.
 *
 * State is per task: the running interval and the few jobs in flight.
 */
#include "jobs-local.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Jobs this many numbers behind a new release are given up as unfinished. */
#define JT_MAX_BEHIND 1024
#define JT_HIST 8

/* st-job-stats' view of one RELEASE record of a job (RL_JOBS_COMPAT) */
struct jt_st {
	int64_t release, deadline;
	uint64_t seq;	  /* the record's position in the merged events */
	uint64_t ncompl0; /* completions of the task before it */
	uint32_t preempt, migr, away_cpu;
	uint8_t away; /* a switch-out of the job came since */
};

/* st-job-stats gives up on a RELEASE after this many other completions of the task. */
#define JT_ST_WINDOW 20

/*
 * Compat: a RELEASE record whose job the model already gave up (a later job
 * completed first) or had finished (a late RELEASE): st-job-stats still
 * takes a matching completion among the next 20.
 */
struct jt_orphan {
	struct rl_job row;
	struct jt_st st;
};

struct jt_job {
	struct rl_job row;
	int64_t exec_acc;
	uint64_t at_off;    /* its RELEASE record (else its COMPLETION): where a warning points */
	uint16_t at_src;    /* UINT16_MAX: none */
	struct jt_st st;    /* compat: the first RELEASE record */
	struct jt_st *dups; /* compat: further RELEASE records of the same job */
	uint32_t ndups;
	uint32_t last_cpu;
	uint8_t has_release, has_completion, started, preempt_pending, has_cpu;
};

struct jt_task {
	struct jt_job *jobs; /* in flight, unordered */
	uint32_t njobs, cap;
	uint32_t run_job, run_cpu;
	int64_t run_since;
	int64_t block_since;
	int64_t last_release, last_deadline;
	uint32_t last_rel_job;
	/* recent known releases, to infer a missing one from its neighbours */
	struct {
		int64_t release, deadline;
		uint32_t job;
	} hist[JT_HIST];
	uint32_t nhist;
	uint32_t max_done;	/* highest completed job number */
	uint64_t st_ncompl;	/* compat: COMPLETION records of the task so far */
	uint64_t st_first;	/* compat: number of the task's first event */
	int64_t done_release;	/* release of job max_done, RL_TIME_UNKNOWN if not known */
	struct jt_orphan *orph; /* compat: RELEASE records still waiting for a completion */
	uint32_t norph, cap_orph;
	uint8_t running, blocked, has_last_rel, has_done, st_zero;
};

/* Per-task aggregates for the summary (response times and latencies go to row stores). */
struct jt_sum {
	uint64_t jobs, completed, incomplete, misses, nexec, nresp, noverdue, nlat;
	int64_t max_tard, exec_max, prio;
	double exec_sum, resp_sum, lat_sum;
	uint64_t preempt, migr;
	int has_prio;
};

struct rl_jobs {
	struct rl_sink sink;
	struct rl_trace *t;
	struct rl_job_out o;
	FILE *stream; /* CSV rows as jobs finish */
	struct jt_task *tasks;
	uint32_t ntasks, cap_tasks;
	struct rl_rowstore *hold; /* rows finished before the SYS_RELEASE was seen */
	int holding;
	struct rl_rowstore *rows;	     /* rows grouped by task (--by-task) */
	struct rl_rowstore *resp;	     /* response times by task (summary) */
	struct rl_rowstore *lat;	     /* Linux: scheduling latencies by task (summary) */
	const struct rl_job_model_ops *mops; /* a model other than the records' (Linux) */
	void *mstate;
	struct jt_sum *sums;
	uint32_t nsums, cap_sums;
	int64_t sys_release;
	int has_sys_release;
	int64_t last_ts; /* the latest event fed so far */
	struct rl_jobs_counts cnt;
	struct jt_writer *writer; /* formats streamed CSV rows in a thread */
	int compat;		  /* RL_JOBS_COMPAT: st-job-stats' counts and view */
	struct rl_stjs_view st;
};

/* Longest CSV row: the name is cut at JT_NAME_MAX bytes. */
#define JT_LINE_MAX 768
#define JT_NAME_MAX 256

static void jt_writer_finish(struct jt_writer *w);
static struct jt_writer *jt_writer_new(FILE *f, int ms, enum rl_job_model model);
static inline int jt_row(struct rl_jobs *j, struct rl_job *row, uint16_t src, uint64_t off,
			 struct rl_err *err);
static int jt_release_hold(struct rl_jobs *j, struct rl_err *err);
static void jt_csv_header(FILE *f, enum rl_job_model model, int ms);

struct jt_cb {
	const struct rl_jobs *j;
	FILE *f;
};

static struct jt_task *jt_task_get(struct rl_jobs *j, uint32_t task)
{
	if (task >= j->ntasks) {
		if (rl_grow_zero((void **)&j->tasks, &j->cap_tasks, task + 1, sizeof(*j->tasks)))
			return NULL;
		j->ntasks = task + 1;
	}
	return &j->tasks[task];
}

static struct jt_job *jt_job_find(struct jt_task *tk, uint32_t job)
{
	uint32_t i;

	for (i = 0; i < tk->njobs; i++)
		if (tk->jobs[i].row.job == job)
			return &tk->jobs[i];
	return NULL;
}

static struct jt_job *jt_job_get(struct jt_task *tk, uint32_t task, uint32_t job)
{
	struct jt_job *jb = jt_job_find(tk, job);

	if (jb)
		return jb;
	if (tk->njobs == tk->cap &&
	    rl_grow((void **)&tk->jobs, &tk->cap, tk->njobs + 1, sizeof(*tk->jobs)))
		return NULL;
	jb = &tk->jobs[tk->njobs++];
	memset(jb, 0, sizeof(*jb));
	jb->at_src = UINT16_MAX;
	jb->row.task = task;
	jb->row.job = job;
	jb->row.release = jb->row.deadline = jb->row.completion = RL_TIME_UNKNOWN;
	jb->row.first_start = jb->row.exec = RL_TIME_UNKNOWN;
	jb->row.prio = INT64_MIN;
	return jb;
}

static int jt_nomem(struct rl_err *err)
{
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory in job analysis");
}

/* One RELEASE record's st-job-stats fields on @row; late if 20 other completions came first. */
static void jt_st_fill(struct rl_job *row, const struct jt_st *st, const struct jt_task *tk)
{
	row->st_seq = st->seq;
	row->st_preemptions = st->preempt;
	row->st_migrations = st->migr;
	/* tk->st_ncompl counts this job's completion too */
	if (row->completion != RL_TIME_UNKNOWN && tk->st_ncompl - 1 - st->ncompl0 >= JT_ST_WINDOW)
		row->flags |= RL_JOB_ST_LATE;
}

/*
 * Compat: the row with its first RELEASE record's counts, then one row per
 * duplicate RELEASE record (st-job-stats lists each); those are no jobs and
 * go to st-job-stats' view only.
 */
static int jt_st_rows(struct rl_jobs *j, const struct jt_job *jb, struct rl_job *row,
		      struct rl_err *err)
{
	const struct jt_task *tk = &j->tasks[row->task];
	uint32_t d;
	int r;

	jt_st_fill(row, &jb->st, tk);
	r = rl_stjs_view_add(&j->st, row, err);
	for (d = 0; d < jb->ndups && r >= 0; d++) {
		struct rl_job x = *row;

		x.flags = (row->flags & ~RL_JOB_ST_LATE) | RL_JOB_ST_EXTRA;
		x.release = jb->dups[d].release;
		x.deadline = jb->dups[d].deadline;
		jt_st_fill(&x, &jb->dups[d], tk);
		r = rl_stjs_view_add(&j->st, &x, err);
	}
	return r;
}

/* A RELEASE record of @jb for st-job-stats' view (the first, or a duplicate). */
static int jt_st_release(struct rl_jobs *j, const struct jt_task *tk, struct jt_job *jb,
			 const struct rl_event *ev)
{
	struct jt_st *st = &jb->st;

	if (jb->has_release) {
		st = realloc(jb->dups, (jb->ndups + 1) * sizeof(*jb->dups));
		if (!st)
			return -RL_E_NOMEM;
		jb->dups = st;
		st += jb->ndups++;
	}
	memset(st, 0, sizeof(*st));
	st->release = ev->ts;
	st->deadline = ev->arg;
	st->seq = j->st.seq;
	st->ncompl0 = tk->st_ncompl;
	return 0;
}

/* A switch of job @jb: st-job-stats counts every switch-in after a switch-out. */
static void jt_st_switch(struct jt_st *st, const struct rl_event *ev)
{
	if (ev->type == RL_EV_SWITCH_OUT) {
		st->away = 1;
		st->away_cpu = ev->cpu;
	} else if (st->away) {
		st->preempt++;
		if (ev->cpu != st->away_cpu)
			st->migr++;
	}
}

/* Keep RELEASE record @st of @row for a later completion (compat). */
static int jt_st_orphan(struct jt_task *tk, const struct rl_job *row, const struct jt_st *st)
{
	struct jt_orphan *o;

	if (rl_grow((void **)&tk->orph, &tk->cap_orph, tk->norph + 1, sizeof(*tk->orph)))
		return -RL_E_NOMEM;
	o = &tk->orph[tk->norph++];
	o->row = *row;
	o->st = *st;
	return 0;
}

/* Completion @ev for the orphans: matching ones get their row, others age out. */
static int jt_st_orphans_done(struct rl_jobs *j, struct jt_task *tk, const struct rl_event *ev,
			      struct rl_err *err)
{
	uint32_t i, k = 0;
	int r = 0;

	for (i = 0; i < tk->norph; i++) {
		struct jt_orphan *o = &tk->orph[i];

		if (o->row.job == ev->job && r >= 0) {
			o->row.release = o->st.release;
			o->row.deadline = o->st.deadline;
			o->row.completion = ev->ts;
			o->row.st_raw = (uint64_t)ev->arg2;
			o->row.flags &= ~(RL_JOB_NO_COMPLETION | RL_JOB_INCOMPLETE);
			jt_st_fill(&o->row, &o->st, tk);
			r = rl_stjs_view_add(&j->st, &o->row, err);
			continue;
		}
		if (tk->st_ncompl - o->st.ncompl0 >= JT_ST_WINDOW)
			continue;
		tk->orph[k++] = *o;
	}
	tk->norph = k;
	return r;
}

/*
 * A switch (or BLOCK / RESUME, which st-job-stats ignores) for st-job-stats'
 * view: the RELEASE records of job ev->job still waiting for its completion,
 * in flight or orphaned (their job the model let go).
 */
static void jt_st_switch_all(struct jt_task *tk, const struct rl_event *ev)
{
	struct jt_job *jb;
	uint32_t d;

	if (ev->type != RL_EV_SWITCH_IN && ev->type != RL_EV_SWITCH_OUT)
		return;
	for (d = 0; d < tk->norph; d++)
		if (tk->orph[d].row.job == ev->job)
			jt_st_switch(&tk->orph[d].st, ev);
	jb = jt_job_find(tk, ev->job);
	if (!jb || !jb->has_release || jb->has_completion)
		return;
	jt_st_switch(&jb->st, ev);
	for (d = 0; d < jb->ndups; d++)
		jt_st_switch(&jb->dups[d], ev);
}

/* Compat: a RELEASE record of a finished job number, which the model ignores. */
static int jt_st_late_release(struct rl_jobs *j, struct jt_task *tk, const struct rl_event *ev)
{
	struct rl_job row;
	struct jt_st st;

	memset(&row, 0, sizeof(row));
	row.task = ev->task;
	row.job = ev->job;
	row.release = ev->ts;
	row.deadline = ev->arg;
	row.completion = row.first_start = row.exec = RL_TIME_UNKNOWN;
	memset(&st, 0, sizeof(st));
	st.release = ev->ts;
	st.deadline = ev->arg;
	st.seq = j->st.seq;
	st.ncompl0 = tk->st_ncompl;
	return jt_st_orphan(tk, &row, &st);
}

/* Compat: job @jb is given up without completion; its RELEASE records wait on. */
static int jt_st_give_up(struct jt_task *tk, const struct jt_job *jb, const struct rl_job *row)
{
	uint32_t d;

	if (jt_st_orphan(tk, row, &jb->st))
		return -RL_E_NOMEM;
	for (d = 0; d < jb->ndups; d++)
		if (jt_st_orphan(tk, row, &jb->dups[d]))
			return -RL_E_NOMEM;
	return 0;
}

/* Emit in-flight job @jb as a row (if it is a job to report). */
/*
 * Compat: in-flight job @jb goes out to st-job-stats' view only, which
 * lists nothing without a RELEASE record and a completion (so no release is
 * inferred); a job given up without completion leaves its RELEASE records
 * waiting as orphans.
 */
static int jt_st_emit(struct rl_jobs *j, struct jt_task *tk, struct jt_job *jb, uint32_t why,
		      struct rl_err *err)
{
	if (!jb->has_release && !jb->has_completion)
		return 0;
	j->cnt.jobs++;
	if (jb->has_completion) {
		j->cnt.completed++;
	} else {
		j->cnt.no_completion += why == RL_JOB_NO_COMPLETION;
		j->cnt.incomplete += why != RL_JOB_NO_COMPLETION;
		if (jb->has_release && why == RL_JOB_NO_COMPLETION &&
		    jt_st_give_up(tk, jb, &jb->row))
			return jt_nomem(err);
		return 0;
	}
	if (!jb->has_release)
		return 0;
	return jt_st_rows(j, jb, &jb->row, err);
}

static int jt_emit(struct rl_jobs *j, struct jt_task *tk, struct jt_job *jb, uint32_t why,
		   struct rl_err *err)
{
	struct rl_job row;
	const struct rl_task *info = &j->t->tasks[jb->row.task];

	if (j->compat)
		return jt_st_emit(j, tk, jb, why, err);
	row = jb->row;

	/* a job seen only through switches (set-up job 1) is no job to report */
	if (!jb->has_release && !jb->has_completion)
		return 0;
	if (!jb->has_completion) {
		row.flags |= why;
		if (jb->started && row.exec == RL_TIME_UNKNOWN)
			row.exec = jb->exec_acc;
	}
	if (!jb->has_release) {
		uint32_t h, best = UINT32_MAX, n = tk->nhist < JT_HIST ? tk->nhist : JT_HIST;
		uint64_t bestd = UINT64_MAX;
		int64_t k, step = 0;
		int ok;

		/* the nearest known release of the same task, preferring earlier jobs */
		for (h = 0; h < n; h++) {
			uint64_t d = tk->hist[h].job < row.job
					     ? (uint64_t)(row.job - tk->hist[h].job) * 2
					     : (uint64_t)(tk->hist[h].job - row.job) * 2 + 1;

			if (tk->hist[h].job != row.job && d < bestd) {
				bestd = d;
				best = h;
			}
		}
		/* hostile periods or releases near the ends of int64: no inference */
		ok = best != UINT32_MAX && info->period > 0;
		if (ok) {
			k = (int64_t)row.job - (int64_t)tk->hist[best].job;
			if (__builtin_mul_overflow(k, info->period, &step) ||
			    __builtin_add_overflow(tk->hist[best].release, step, &k) ||
			    __builtin_add_overflow(tk->hist[best].deadline, step, &k)) {
				rl_trace_warn(j->t, RL_W_GARBAGE, UINT16_MAX, RL_OFF_NONE,
					      "job %u of pid %d: implausible timestamp (release "
					      "inferred from job %u overflows): no release",
					      row.job, info->pid, tk->hist[best].job);
				ok = 0;
			}
		}
		if (ok) {
			row.release = tk->hist[best].release + step;
			row.deadline = tk->hist[best].deadline + step;
			row.flags |= RL_JOB_RELEASE_INFERRED;
			j->cnt.inferred++;
		} else {
			row.flags |= RL_JOB_NO_RELEASE;
			j->cnt.no_release++;
		}
	}
	/* the trace ended past its deadline: a miss, by at least that much */
	if (why == RL_JOB_INCOMPLETE && row.deadline != RL_TIME_UNKNOWN &&
	    row.deadline < j->last_ts) {
		row.flags |= RL_JOB_OVERDUE;
		row.seen_until = j->last_ts;
		j->cnt.overdue++;
	}
	j->cnt.jobs++;
	if (jb->has_completion)
		j->cnt.completed++;
	else if (why == RL_JOB_NO_COMPLETION)
		j->cnt.no_completion++;
	else
		j->cnt.incomplete++;
	return jt_row(j, &row, jb->at_src, jb->at_off, err);
}

static int jt_cmp_job(const void *a, const void *b)
{
	const struct jt_job *x = a, *y = b;

	return x->row.job < y->row.job ? -1 : x->row.job > y->row.job;
}

/*
 * Finalize in-flight jobs numbered below @limit, in job order, as @why;
 * job @done (UINT64_MAX: none) just completed and goes out as complete.
 */
static int jt_finalize_below(struct rl_jobs *j, struct jt_task *tk, uint64_t limit, uint32_t why,
			     uint64_t done, struct rl_err *err)
{
	uint32_t k = 0;
	int r;

	for (k = 1; k < tk->njobs; k++)
		if (tk->jobs[k - 1].row.job > tk->jobs[k].row.job)
			break;
	if (k < tk->njobs)
		qsort(tk->jobs, tk->njobs, sizeof(*tk->jobs), jt_cmp_job);
	k = 0;
	while (k < tk->njobs && tk->jobs[k].row.job < limit) {
		r = jt_emit(j, tk, &tk->jobs[k], tk->jobs[k].row.job == done ? 0 : why, err);
		if (tk->jobs[k].dups) { /* compat only */
			free(tk->jobs[k].dups);
			tk->jobs[k].dups = NULL;
		}
		if (r < 0)
			return r;
		k++;
	}
	if (k && k < tk->njobs)
		memmove(tk->jobs, tk->jobs + k, (tk->njobs - k) * sizeof(*tk->jobs));
	tk->njobs -= k;
	return 0;
}

static void jt_close_interval(struct jt_task *tk, int64_t ts)
{
	struct jt_job *jb;

	if (!tk->running)
		return;
	jb = jt_job_find(tk, tk->run_job);
	if (jb) {
		/* hostile times near the ends of int64: the interval saturates */
		if (ts > tk->run_since) {
			uint64_t d = (uint64_t)ts - (uint64_t)tk->run_since;

			if (d > (uint64_t)INT64_MAX ||
			    __builtin_add_overflow(jb->exec_acc, (int64_t)d, &jb->exec_acc))
				jb->exec_acc = INT64_MAX;
		}
		jb->last_cpu = tk->run_cpu;
		jb->has_cpu = 1;
	}
	tk->running = 0;
}

static int jt_on_release(struct rl_jobs *j, struct jt_task *tk, const struct rl_event *ev,
			 struct rl_err *err)
{
	struct jt_job *jb;
	uint32_t h;

	if (tk->has_done && ev->job <= tk->max_done) {
		j->cnt.late_release++;
		if (j->compat)
			return jt_st_late_release(j, tk, ev) ? jt_nomem(err) : 0;
		rl_trace_warn(j->t, RL_W_JOB, ev->src, ev->src_off,
			      "release of job %u of pid %d after job %u completed; ignored",
			      ev->job, j->t->tasks[ev->task].pid, tk->max_done);
		return 0;
	}
	jb = jt_job_get(tk, ev->task, ev->job);
	if (!jb || (j->compat && jt_st_release(j, tk, jb, ev)))
		return jt_nomem(err);
	if (jb->has_release) {
		jb->row.flags |= RL_JOB_DUP_RELEASE;
		j->cnt.dup_release++;
		return 0;
	}
	jb->has_release = 1;
	jb->at_src = ev->src;
	jb->at_off = ev->src_off;
	jb->row.release = ev->ts;
	jb->row.deadline = ev->arg;
	h = tk->nhist++ % JT_HIST;
	tk->hist[h].job = ev->job;
	tk->hist[h].release = ev->ts;
	tk->hist[h].deadline = ev->arg;
	if (!tk->has_last_rel || ev->job > tk->last_rel_job) {
		tk->has_last_rel = 1;
		tk->last_rel_job = ev->job;
		tk->last_release = ev->ts;
		tk->last_deadline = ev->arg;
	}
	if (ev->job > JT_MAX_BEHIND && jt_finalize_below(j, tk, ev->job - JT_MAX_BEHIND,
							 RL_JOB_NO_COMPLETION, UINT64_MAX, err))
		return err->code;
	return 0;
}

static int jt_on_switch_in(struct jt_task *tk, const struct rl_event *ev)
{
	struct jt_job *jb;

	jt_close_interval(tk, ev->ts);
	if (tk->has_done && ev->job <= tk->max_done)
		return 0; /* a finished job cannot run again: stale job number */
	jb = jt_job_get(tk, ev->task, ev->job);
	if (!jb)
		return -RL_E_NOMEM;
	if (jb->preempt_pending) {
		jb->row.preemptions++;
		jb->preempt_pending = 0;
	}
	if (jb->has_cpu && jb->last_cpu != ev->cpu)
		jb->row.migrations++;
	if (!jb->started) {
		jb->started = 1;
		jb->row.first_start = ev->ts;
	}
	tk->running = 1;
	tk->run_job = ev->job;
	tk->run_cpu = ev->cpu;
	tk->run_since = ev->ts;
	return 0;
}

static void jt_on_switch_out(struct jt_task *tk, const struct rl_event *ev)
{
	struct jt_job *jb;

	if (!tk->running)
		return;
	jb = jt_job_find(tk, tk->run_job);
	jt_close_interval(tk, ev->ts);
	if (jb && jb->started && !jb->has_completion && !tk->blocked)
		jb->preempt_pending = 1;
}

/* Self-suspensions: BLOCK ... RESUME. */
static void jt_on_suspend(struct jt_task *tk, const struct rl_event *ev)
{
	struct jt_job *jb;

	if (ev->type == RL_EV_BLOCK && !tk->blocked) {
		tk->blocked = 1;
		tk->block_since = ev->ts;
		jb = jt_job_find(tk, ev->job);
		if (jb)
			jb->row.suspensions++;
	} else if (ev->type == RL_EV_RESUME && tk->blocked) {
		tk->blocked = 0;
		jb = jt_job_find(tk, ev->job);
		if (jb && ev->ts > tk->block_since)
			jb->row.susp_time += ev->ts - tk->block_since;
	}
}

/* The task keeps the cpu after @ev completed its job: what runs next belongs to the next job. */
static int jt_run_next(struct rl_jobs *j, struct jt_task *tk, const struct rl_event *ev)
{
	struct jt_job *nx = jt_job_find(tk, ev->job + 1);
	const struct rl_task *info = &j->t->tasks[ev->task];
	int64_t nrel = RL_TIME_UNKNOWN;

	/* is the next job already due? (its RELEASE may be missing: infer it) */
	if (nx && nx->has_release)
		nrel = nx->row.release;
	else if (tk->has_last_rel && info->period > 0 && ev->job + 1 > tk->last_rel_job)
		nrel = tk->last_release + (int64_t)(ev->job + 1 - tk->last_rel_job) * info->period;
	if (nrel != RL_TIME_UNKNOWN && nrel <= ev->ts && !nx) {
		nx = jt_job_get(tk, ev->task, ev->job + 1);
		if (!nx)
			return -RL_E_NOMEM;
	}
	if (nx && nrel != RL_TIME_UNKNOWN && nrel <= ev->ts) {
		nx->started = 1;
		nx->row.first_start = ev->ts;
		tk->run_job = ev->job + 1;
		tk->run_since = ev->ts;
	} else {
		tk->running = 0;
	}
	return 0;
}

/* The job's release, or an estimate from the task's latest known one (as inferred later). */
static int64_t jt_est_release(const struct rl_jobs *j, const struct jt_task *tk,
			      const struct jt_job *jb)
{
	int64_t per = j->t->tasks[jb->row.task].period, d, r;

	if (jb->has_release)
		return jb->row.release;
	if (!tk->has_last_rel || per <= 0)
		return RL_TIME_UNKNOWN;
	/* hostile periods and releases near the ends of int64: no estimate */
	if (__builtin_mul_overflow((int64_t)jb->row.job - (int64_t)tk->last_rel_job, per, &d) ||
	    __builtin_add_overflow(tk->last_release, d, &r) || r == RL_TIME_UNKNOWN)
		return RL_TIME_UNKNOWN;
	return r;
}

static int jt_on_completion(struct rl_jobs *j, struct jt_task *tk, const struct rl_event *ev,
			    struct rl_err *err)
{
	struct jt_job *jb;

	if (j->compat) {
		tk->st_ncompl++;
		if (tk->norph && jt_st_orphans_done(j, tk, ev, err))
			return err->code;
	}
	if (tk->has_done && ev->job <= tk->max_done) {
		/* st-job-stats' view took it for its orphans above */
		if (!j->compat)
			rl_trace_warn(j->t, RL_W_JOB, ev->src, ev->src_off,
				      "second completion of job %u of pid %d; ignored", ev->job,
				      j->t->tasks[ev->task].pid);
		return 0;
	}
	jb = jt_job_get(tk, ev->task, ev->job);
	if (!jb)
		return jt_nomem(err);
	jb->has_completion = 1;
	if (!jb->has_release) {
		jb->at_src = ev->src;
		jb->at_off = ev->src_off;
	}
	jb->row.completion = ev->ts;
	jb->row.st_raw = (uint64_t)ev->arg2;
	if (ev->flags & RL_EVF_FORCED)
		jb->row.flags |= RL_JOB_FORCED;
	if (ev->arg >= 0) {
		jb->row.exec = ev->arg;
	} else {
		int64_t e = jb->exec_acc;

		/* hostile times near the ends of int64: the interval saturates */
		if (tk->running && tk->run_job == ev->job && ev->ts > tk->run_since) {
			uint64_t d = (uint64_t)ev->ts - (uint64_t)tk->run_since;

			if (d > (uint64_t)INT64_MAX || __builtin_add_overflow(e, (int64_t)d, &e))
				e = INT64_MAX;
		}
		jb->row.exec = e;
		jb->row.flags |= RL_JOB_EXEC_INTERVALS;
	}
	/* (st-job-stats' view keeps no intervals: nothing runs on for it) */
	if (!j->compat && tk->running && tk->run_job == ev->job && jt_run_next(j, tk, ev))
		return jt_nomem(err);
	tk->has_done = 1;
	tk->max_done = ev->job;
	tk->done_release = jt_est_release(j, tk, jb);
	/* earlier jobs still in flight lost their completion record */
	return jt_finalize_below(j, tk, (uint64_t)ev->job + 1, RL_JOB_NO_COMPLETION, ev->job, err);
}

static int jt_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_jobs *j = (struct rl_jobs *)s;
	struct jt_task *tk;

	if (ev->ts > j->last_ts)
		j->last_ts = ev->ts;
	j->st.seq++;
	if (ev->type == RL_EV_SYS_RELEASE) {
		if (j->compat && ev->task == RL_NO_TASK && !j->st.has_sys_release) {
			j->st.has_sys_release = 1;
			j->st.sys_release = (uint64_t)ev->arg;
		}
		if (!j->has_sys_release) {
			j->has_sys_release = 1;
			j->sys_release = ev->arg;
			if (jt_release_hold(j, err))
				return err->code;
		}
	}
	if (ev->task == RL_NO_TASK)
		return 0;
	if (j->compat) {
		/* st-job-stats lists every task in the order it first appears */
		tk = jt_task_get(j, ev->task);
		if (!tk)
			return jt_nomem(err);
		if (!tk->st_first)
			tk->st_first = j->st.seq;
		if (ev->ts == 0)
			tk->st_zero = 1;
	} else {
		switch (ev->type) {
		case RL_EV_RELEASE:
		case RL_EV_COMPLETION:
		case RL_EV_SWITCH_IN:
		case RL_EV_SWITCH_OUT:
		case RL_EV_BLOCK:
		case RL_EV_RESUME:
			break;
		default:
			return 0;
		}
		tk = jt_task_get(j, ev->task);
		if (!tk)
			return jt_nomem(err);
	}
	if (j->compat && ev->type != RL_EV_RELEASE && ev->type != RL_EV_COMPLETION) {
		/*
		 * st-job-stats' view shows none of the model's own preemption,
		 * migration, suspension and interval counts: only its own
		 * switch counts per RELEASE record are kept.
		 */
		jt_st_switch_all(tk, ev);
		return 0;
	}
	switch (ev->type) {
	case RL_EV_RELEASE:
		return jt_on_release(j, tk, ev, err);
	case RL_EV_SWITCH_IN:
		return jt_on_switch_in(tk, ev) ? jt_nomem(err) : 0;
	case RL_EV_SWITCH_OUT:
		jt_on_switch_out(tk, ev);
		return 0;
	case RL_EV_COMPLETION:
		return jt_on_completion(j, tk, ev, err);
	default:
		jt_on_suspend(tk, ev);
		return 0;
	}
}

/* Events for another model (Linux jobs): its state machine, the same rows out. */
static int jt_model_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_jobs *j = (struct rl_jobs *)s;

	if (ev->ts > j->last_ts)
		j->last_ts = ev->ts;
	return j->mops->event(j->mstate, j, ev, err);
}

static int jt_finish(struct rl_sink *s, struct rl_err *err)
{
	struct rl_jobs *j = (struct rl_jobs *)s;
	uint32_t i;

	if (j->mops && j->mops->finish(j->mstate, j, err))
		return err->code;
	for (i = 0; i < j->ntasks; i++)
		if (jt_finalize_below(j, &j->tasks[i], UINT64_MAX, RL_JOB_INCOMPLETE, UINT64_MAX,
				      err))
			return err->code;
	if (jt_release_hold(j, err))
		return err->code;
	jt_writer_finish(j->writer);
	j->writer = NULL;
	if (j->stream && ferror(j->stream))
		return rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write job table");
	return 0;
}

/**
 * rl_jobs_new() - create the job analysis
 * @t:      the trace whose events will be fed
 * @o:      what to produce (o->want: RL_JOBS_CSV, RL_JOBS_BY_TASK, RL_JOBS_SUMMARY),
 *          filters and units; copied
 * @stream: where RL_JOBS_CSV rows go as jobs finish (header written now)
 * @err:    error out
 *
 * Rows are held back until the trace's SYS_RELEASE is seen (or the end),
 * because -r and the before-sys-release flag depend on it; after that they
 * flow out as jobs finish, so memory does not grow with the trace.
 *
 * Return: the analysis, or NULL with @err set.
 */
struct rl_jobs *rl_jobs_new(struct rl_trace *t, const struct rl_job_out *o, FILE *stream,
			    struct rl_err *err)
{
	struct rl_jobs *j = calloc(1, sizeof(*j));

	if (!j)
		goto nomem;
	j->t = t;
	if (o)
		j->o = *o;
	j->stream = stream;
	j->sink.event = jt_event;
	j->sink.finish = jt_finish;
	/* records may bring a SYS_RELEASE; other models have none to wait for, and
	 * st-job-stats' view applies -r itself */
	j->compat = !!(j->o.want & RL_JOBS_COMPAT);
	j->holding =
		j->o.model == RL_JOBS_MODEL_RECORDS && !j->compat && (j->o.want & ~RL_JOBS_ROWS);
	if (j->compat && rl_stjs_view_init(&j->st, t, j->o.mem_budget))
		goto nomem;
	j->last_ts = INT64_MIN;
	j->hold = rl_rowstore_new(sizeof(struct rl_job), j->o.mem_budget);
	j->rows = rl_rowstore_new(sizeof(struct rl_job), j->o.mem_budget);
	j->resp = rl_rowstore_new(sizeof(int64_t), j->o.mem_budget);
	j->lat = rl_rowstore_new(sizeof(int64_t), j->o.mem_budget);
	if (!j->hold || !j->rows || !j->resp || !j->lat)
		goto nomem;
	if (j->o.model == RL_JOBS_MODEL_LINUX) {
		j->mops = &rl_lxjobs_ops;
		j->mstate = j->mops->create(t, err);
		if (!j->mstate)
			goto fail;
		j->sink.event = jt_model_event;
	}
	if ((j->o.want & RL_JOBS_CSV) && stream) {
		jt_csv_header(stream, j->o.model, j->o.ms);
		/* without a thread, rows are written inline */
		j->writer = jt_writer_new(stream, j->o.ms, j->o.model);
	}
	return j;
nomem:
	rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot allocate job analysis");
fail:
	rl_jobs_free(j);
	return NULL;
}

/**
 * rl_jobs_sink() - the sink to feed events to
 * @j: the analysis
 *
 * Return: its sink.
 */
struct rl_sink *rl_jobs_sink(struct rl_jobs *j)
{
	return &j->sink;
}

/**
 * rl_jobs_free() - free the analysis
 * @j: the analysis (NULL is a no-op)
 */
void rl_jobs_free(struct rl_jobs *j)
{
	uint32_t i;

	if (!j)
		return;
	for (i = 0; i < j->ntasks; i++) {
		struct jt_task *tk = &j->tasks[i];
		uint32_t k;

		for (k = 0; k < tk->njobs; k++)
			free(tk->jobs[k].dups);
		free(tk->jobs);
		free(tk->orph);
	}
	rl_stjs_view_release(&j->st);
	jt_writer_finish(j->writer);
	if (j->mops)
		j->mops->destroy(j->mstate);
	{
		struct rl_rowstore *rs[] = {j->hold, j->rows, j->resp, j->lat};

		for (i = 0; i < sizeof(rs) / sizeof(rs[0]); i++)
			rl_rowstore_free(rs[i]);
	}
	free(j->tasks);
	free(j->sums);
	free(j);
}

/* Can task @tk still hand out a row released at or before @until, or change one? */
static int jt_task_settled(const struct rl_jobs *j, const struct jt_task *tk, int64_t until)
{
	uint32_t k;

	if (!tk->has_last_rel)
		return 1; /* no release known: its rows have no place in time */
	/* jobs run one after the other: once a job released after @until
	 * completed, every earlier one with events has been seen */
	if (!tk->has_done || tk->done_release == RL_TIME_UNKNOWN || tk->done_release <= until)
		return 0;
	/* a job in flight may still complete, or be given up without completion */
	for (k = 0; k < tk->njobs; k++) {
		int64_t rel = jt_est_release(j, tk, &tk->jobs[k]);

		if (rel == RL_TIME_UNKNOWN || rel <= until)
			return 0;
	}
	return 1;
}

/**
 * rl_jobs_settled() - whether reading on can still change the rows of a window
 * @j:     the analysis (records model)
 * @until: end of the window
 *
 * True when every task that has releases has completed a job released after
 * @until (jobs of a task run one after the other, so every job released
 * before has been seen) and no job released at or before @until is still
 * in flight. A task that stopped before @until keeps this false: the trace
 * is then read to its end.
 *
 * Return: 1 if the rows of jobs released at or before @until are final.
 */
int rl_jobs_settled(const struct rl_jobs *j, int64_t until)
{
	uint32_t i;

	if (j->mops)
		return 0;
	for (i = 0; i < j->ntasks; i++)
		if (!jt_task_settled(j, &j->tasks[i], until))
			return 0;
	return 1;
}

/**
 * rl_jobs_sys_release() - the synchronous release instant, if any
 * @j:   the analysis
 * @rel: receives it
 *
 * Return: 1 if known, 0 otherwise.
 */
int rl_jobs_sys_release(const struct rl_jobs *j, int64_t *rel)
{
	if (j->has_sys_release)
		*rel = j->sys_release;
	return j->has_sys_release;
}

/**
 * rl_jobs_counts() - what the analysis counted
 * @j: the analysis
 * @c: receives the counts
 */
void rl_jobs_counts(const struct rl_jobs *j, struct rl_jobs_counts *c)
{
	*c = j->cnt;
}

/* ------------------------------------------------------------- output */

/* Linux jobs are chosen by pid and name only (their tasks have no period). */
static int jt_task_selected(const struct rl_jobs *j, const struct rl_job_filter *fl, uint32_t task)
{
	const struct rl_task *tk = &j->t->tasks[task];

	if (fl->pid && tk->pid != fl->pid)
		return 0;
	if (fl->name && strcmp(rl_strtab_get(j->t->strs, tk->name), fl->name))
		return 0;
	if (fl->period && tk->period != fl->period && j->o.model == RL_JOBS_MODEL_RECORDS)
		return 0;
	return 1;
}

/* Append a time (ns integer, or ms with 6 decimals); nothing when unknown. */
static char *jt_put_time(char *p, int64_t v, int ms)
{
	if (v == RL_TIME_UNKNOWN)
		return p;
	if (!ms)
		return rl_fmt_i64(p, v);
	/* exact decimal ms: integer part, '.', 6 digits (no rounding needed) */
	if (v < 0) {
		*p++ = '-';
		v = v == INT64_MIN ? INT64_MAX : -v;
	}
	p = rl_fmt_u64(p, (uint64_t)v / 1000000);
	*p++ = '.';
	{
		char *q = p;

		p = rl_fmt_u64(p, (uint64_t)v % 1000000);
		p = rl_fmt_pad(q, p, 6);
		while (q < p && *q == ' ')
			*q++ = '0';
	}
	return p;
}

static const char *jt_status(const struct rl_job *r)
{
	if (r->flags & RL_JOB_LOST)
		return "lost";
	if (r->flags & RL_JOB_NO_COMPLETION)
		return "no-completion";
	if (r->flags & RL_JOB_INCOMPLETE)
		return "incomplete";
	return "complete";
}

static char *jt_put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* The status column of @r at @p (its length known: no strlen per row). */
static char *jt_put_status(char *p, const struct rl_job *r)
{
	if (!(r->flags & (RL_JOB_LOST | RL_JOB_NO_COMPLETION | RL_JOB_INCOMPLETE))) {
		memcpy(p, "complete", 8);
		return p + 8;
	}
	return jt_put_str(p, jt_status(r));
}

static char *jt_put_flags(char *p, uint32_t fl)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{RL_JOB_NO_RELEASE, "no-release"},
		{RL_JOB_RELEASE_INFERRED, "release-inferred"},
		{RL_JOB_FORCED, "forced"},
		{RL_JOB_DUP_RELEASE, "dup-release"},
		{RL_JOB_EXEC_INTERVALS, "exec-from-intervals"},
		{RL_JOB_BEFORE_SYSREL, "before-sys-release"},
		{RL_JOB_SERVER_MISS, "server-miss"},
		{RL_JOB_OVERDUE, "overdue"},
	};
	size_t i;
	int first = 1;

	if (!(fl &
	      (RL_JOB_NO_RELEASE | RL_JOB_RELEASE_INFERRED | RL_JOB_FORCED | RL_JOB_DUP_RELEASE |
	       RL_JOB_EXEC_INTERVALS | RL_JOB_BEFORE_SYSREL | RL_JOB_SERVER_MISS | RL_JOB_OVERDUE)))
		return p; /* most rows: no flag */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(fl & names[i].bit))
			continue;
		if (!first)
			*p++ = '|';
		p = jt_put_str(p, names[i].name);
		first = 0;
	}
	return p;
}

/**
 * rl_job_flags_text() - the CSV flags column of a job row
 * @flags: RL_JOB_* bits
 * @buf:   output, NUL-terminated (cut to @len - 1 bytes)
 * @len:   its size
 *
 * Return: the length written.
 */
size_t rl_job_flags_text(uint32_t flags, char *buf, size_t len)
{
	char tmp[256];
	size_t n = (size_t)(jt_put_flags(tmp, flags) - tmp);

	if (!len)
		return 0;
	n = n < len - 1 ? n : len - 1;
	memcpy(buf, tmp, n);
	buf[n] = 0;
	return n;
}

/**
 * rl_job_status() - the CSV status column of a job row
 * @r: the row
 *
 * Return: complete, no-completion, incomplete or lost.
 */
const char *rl_job_status(const struct rl_job *r)
{
	return jt_status(r);
}

/* The job CSV's header: every time column named with its unit (response_ns, response_ms). */
static void jt_csv_header(FILE *f, enum rl_job_model model, int ms)
{
	const char *u = ms ? "ms" : "ns";

	if (model == RL_JOBS_MODEL_LINUX)
		fprintf(f,
			"pid,name,job,activation_%s,start_%s,end_%s,response_%s,sched_latency_%s,"
			"exec_%s,preemptions,migrations,cpu,prio,status\n",
			u, u, u, u, u, u);
	else
		fprintf(f,
			"pid,name,job,release_%s,deadline_%s,completion_%s,response_%s,lateness_%s,"
			"tardiness_%s,dl_miss,exec_%s,preemptions,migrations,suspensions,"
			"susp_time_%s,status,flags\n",
			u, u, u, u, u, u, u, u);
}

/* A Linux time: ns integer, or ms as %.6f of a double (as the Linux columns always had). */
static char *jt_put_lxtime(char *p, int64_t v, int ms)
{
	if (v == RL_TIME_UNKNOWN)
		return p;
	if (!ms)
		return rl_fmt_i64(p, v);
	return p + snprintf(p, 64, "%.6f", (double)v / 1e6);
}

/* The Linux columns of row @r at @q; Return: the end. */
static char *jt_csv_linux(char *q, const struct rl_job *r, int ms)
{
	q = jt_put_lxtime(q, r->release, ms);
	*q++ = ',';
	q = jt_put_lxtime(q, r->first_start, ms);
	*q++ = ',';
	q = jt_put_lxtime(q, r->completion, ms);
	*q++ = ',';
	if (r->completion != RL_TIME_UNKNOWN)
		q = jt_put_lxtime(q, r->completion - r->release, ms);
	*q++ = ',';
	if (r->first_start != RL_TIME_UNKNOWN)
		q = jt_put_lxtime(q, r->first_start - r->release, ms);
	*q++ = ',';
	q = jt_put_lxtime(q, r->exec, ms);
	*q++ = ',';
	q = rl_fmt_u64(q, r->preemptions);
	*q++ = ',';
	q = rl_fmt_u64(q, r->migrations);
	*q++ = ',';
	q = rl_fmt_u64(q, r->cpu);
	*q++ = ',';
	if (r->prio != INT64_MIN)
		q = rl_fmt_i64(q, r->prio);
	*q++ = ',';
	q = jt_put_str(q, jt_status(r));
	*q++ = '\n';
	return q;
}

/* Format one CSV row at @q (at most JT_LINE_MAX bytes); Return: its end. */
static char *jt_csv_format(char *q, const struct rl_job *rp, int32_t pid, const char *name, int ms,
			   enum rl_job_model model)
{
	const struct rl_job *r = rp; /* no copy: the row is read in place */
	size_t nlen = strlen(name);

	q = rl_fmt_i64(q, pid);
	*q++ = ',';
	if (model == RL_JOBS_MODEL_LINUX) {
		/* a comm has at most 16 bytes; keep what fits */
		nlen = nlen < JT_NAME_MAX ? nlen : JT_NAME_MAX;
		memcpy(q, name, nlen);
		q += nlen;
	} else if (nlen < 128) {
		q = jt_put_str(q, name);
	}
	*q++ = ',';
	q = rl_fmt_u64(q, r->job);
	*q++ = ',';
	if (model == RL_JOBS_MODEL_LINUX)
		return jt_csv_linux(q, r, ms);
	q = jt_put_time(q, r->release, ms);
	*q++ = ',';
	q = jt_put_time(q, r->deadline, ms);
	*q++ = ',';
	q = jt_put_time(q, r->completion, ms);
	*q++ = ',';
	if (r->completion != RL_TIME_UNKNOWN && r->release != RL_TIME_UNKNOWN) {
		/* a release without a deadline (damaged record): lateness unknown */
		int64_t late = r->deadline == RL_TIME_UNKNOWN ? RL_TIME_UNKNOWN
							      : r->completion - r->deadline;

		q = jt_put_time(q, r->completion - r->release, ms);
		*q++ = ',';
		q = jt_put_time(q, late, ms);
		*q++ = ',';
		q = jt_put_time(q, late == RL_TIME_UNKNOWN || late > 0 ? late : 0, ms);
		*q++ = ',';
		*q++ = (late != RL_TIME_UNKNOWN && late > 0) || (r->flags & RL_JOB_SERVER_MISS)
			       ? '1'
			       : '0';
		*q++ = ',';
	} else if (r->flags & RL_JOB_OVERDUE) {
		/* no response; lateness and tardiness are lower bounds */
		int64_t late = r->seen_until - r->deadline;

		*q++ = ',';
		q = jt_put_time(q, late, ms);
		*q++ = ',';
		q = jt_put_time(q, late, ms);
		q = jt_put_str(q, ",1,");
	} else {
		q = jt_put_str(q, ",,,,");
	}
	q = jt_put_time(q, r->exec, ms);
	*q++ = ',';
	q = rl_fmt_u64(q, r->preemptions);
	*q++ = ',';
	q = rl_fmt_u64(q, r->migrations);
	*q++ = ',';
	q = rl_fmt_u64(q, r->suspensions);
	*q++ = ',';
	q = jt_put_time(q, r->susp_time, ms);
	*q++ = ',';
	q = jt_put_status(q, r);
	*q++ = ',';
	q = jt_put_flags(q, r->flags);
	*q++ = '\n';
	return q;
}

static void jt_csv_write(const struct rl_jobs *j, FILE *f, const struct rl_job *r)
{
	const struct rl_task *tk = &j->t->tasks[r->task];
	char line[JT_LINE_MAX], *q;

	q = jt_csv_format(line, r, tk->pid, rl_strtab_get(j->t->strs, tk->name), j->o.ms,
			  j->o.model);
	fwrite(line, 1, (size_t)(q - line), f);
}

/*
 * Streaming CSV is formatted by a writer thread, so that formatting and
 * writing overlap with reading and analysing. Rows travel in batches that
 * carry the pid and the (stable) interned name, so the writer never reads
 * the task table while the reader grows it.
 */
#define JT_BATCH 4096
#define JT_NBATCH 4
#define JT_RING (JT_NBATCH + 2)

struct jt_wrow {
	struct rl_job row;
	const char *name;
	int32_t pid;
};

struct jt_batch {
	struct jt_wrow rows[JT_BATCH];
	uint32_t n;
};

struct jt_writer {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	FILE *f;
	int ms;
	enum rl_job_model model;
	/*
	 * Ring of full batches, [head, tail): one slot more than there are
	 * batches (JT_NBATCH + 1), so that a full ring never looks empty.
	 */
	struct jt_batch *b[JT_RING];
	uint32_t head, tail;
	struct jt_batch *cur; /* being filled by the producer */
	struct jt_batch *free_list[JT_NBATCH + 1];
	uint32_t nfree;
	int done;
};

static void *jt_writer_main(void *arg)
{
	struct jt_writer *w = arg;
	char *buf = malloc((size_t)JT_BATCH * JT_LINE_MAX);

	for (;;) {
		struct jt_batch *b;
		char *q = buf;
		uint32_t i;

		pthread_mutex_lock(&w->mu);
		while (w->head == w->tail && !w->done)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->head == w->tail) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		b = w->b[w->head];
		w->head = (w->head + 1) % JT_RING;
		pthread_mutex_unlock(&w->mu);
		for (i = 0; i < b->n; i++) {
			const struct jt_wrow *x = &b->rows[i];

			if (buf) {
				q = jt_csv_format(q, &x->row, x->pid, x->name, w->ms, w->model);
			} else {
				char line[JT_LINE_MAX];
				char *e = jt_csv_format(line, &x->row, x->pid, x->name, w->ms,
							w->model);

				fwrite(line, 1, (size_t)(e - line), w->f);
			}
		}
		if (buf)
			fwrite(buf, 1, (size_t)(q - buf), w->f);
		b->n = 0;
		pthread_mutex_lock(&w->mu);
		w->free_list[w->nfree++] = b;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
	}
	free(buf);
	return NULL;
}

static struct jt_writer *jt_writer_new(FILE *f, int ms, enum rl_job_model model)
{
	struct jt_writer *w = calloc(1, sizeof(*w));
	uint32_t i;

	if (!w)
		return NULL;
	w->f = f;
	w->ms = ms;
	w->model = model;
	for (i = 0; i < JT_NBATCH + 1; i++) {
		struct jt_batch *b = malloc(sizeof(*b));

		if (!b)
			goto fail;
		b->n = 0;
		w->free_list[w->nfree++] = b;
	}
	w->cur = w->free_list[--w->nfree];
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->th, NULL, jt_writer_main, w)) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		goto fail;
	}
	return w;
fail:
	while (w->nfree)
		free(w->free_list[--w->nfree]);
	free(w->cur);
	free(w);
	return NULL;
}

/* Hand the current batch to the writer and take an empty one. */
static void jt_writer_push(struct jt_writer *w)
{
	pthread_mutex_lock(&w->mu);
	w->b[w->tail] = w->cur;
	w->tail = (w->tail + 1) % JT_RING;
	pthread_cond_broadcast(&w->cv);
	while (!w->nfree)
		pthread_cond_wait(&w->cv, &w->mu);
	w->cur = w->free_list[--w->nfree];
	pthread_mutex_unlock(&w->mu);
}

static void jt_writer_add(struct jt_writer *w, const struct rl_jobs *j, const struct rl_job *r)
{
	const struct rl_task *tk = &j->t->tasks[r->task];
	struct jt_wrow *x = &w->cur->rows[w->cur->n++];

	x->row = *r;
	x->pid = tk->pid;
	x->name = rl_strtab_get(j->t->strs, tk->name);
	if (w->cur->n == JT_BATCH)
		jt_writer_push(w);
}

/* Write what is left, stop the thread, free everything. */
static void jt_writer_finish(struct jt_writer *w)
{
	if (!w)
		return;
	if (w->cur && w->cur->n) {
		jt_writer_push(w);
	}
	pthread_mutex_lock(&w->mu);
	w->done = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w->cur);
	while (w->nfree)
		free(w->free_list[--w->nfree]);
	free(w);
}

/* Linux jobs: latency of every job that ran, response and exec of the complete ones. */
static int jt_sum_linux(struct rl_jobs *j, struct jt_sum *sm, const struct rl_job *r,
			struct rl_err *err)
{
	int ret;

	if (r->prio != INT64_MIN) {
		sm->prio = r->prio;
		sm->has_prio = 1;
	}
	if (r->first_start != RL_TIME_UNKNOWN) {
		int64_t lat = r->first_start - r->release;

		sm->nlat++;
		sm->lat_sum += (double)lat;
		ret = rl_rowstore_add(j->lat, r->task, &lat, err);
		if (ret < 0)
			return ret;
	}
	if (r->completion == RL_TIME_UNKNOWN) {
		sm->incomplete++;
		return 0;
	}
	sm->completed++;
	sm->nexec++;
	sm->exec_sum += (double)r->exec;
	if (r->exec > sm->exec_max)
		sm->exec_max = r->exec;
	{
		int64_t resp = r->completion - r->release;

		sm->nresp++;
		sm->resp_sum += (double)resp;
		return rl_rowstore_add(j->resp, r->task, &resp, err);
	}
}

/* The incomplete job is overdue: a miss, tardiness at least seen_until - deadline. */
static void jt_sum_overdue(struct jt_sum *sm, const struct rl_job *r)
{
	sm->noverdue++;
	sm->misses++;
	if (r->seen_until - r->deadline > sm->max_tard)
		sm->max_tard = r->seen_until - r->deadline;
}

static int jt_sum_add(struct rl_jobs *j, const struct rl_job *r, struct rl_err *err)
{
	struct jt_sum *sm;

	if (r->task >= j->nsums) {
		if (rl_grow_zero((void **)&j->sums, &j->cap_sums, r->task + 1, sizeof(*j->sums)))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		j->nsums = r->task + 1;
	}
	sm = &j->sums[r->task];
	sm->jobs++;
	sm->preempt += r->preemptions;
	sm->migr += r->migrations;
	if (j->o.model == RL_JOBS_MODEL_LINUX)
		return jt_sum_linux(j, sm, r, err);
	if (r->completion == RL_TIME_UNKNOWN) {
		sm->incomplete++;
		if (r->flags & RL_JOB_OVERDUE)
			jt_sum_overdue(sm, r);
		return 0;
	}
	sm->completed++;
	if (r->exec != RL_TIME_UNKNOWN) {
		sm->nexec++;
		sm->exec_sum += (double)r->exec;
		if (r->exec > sm->exec_max)
			sm->exec_max = r->exec;
	}
	if (r->release != RL_TIME_UNKNOWN) {
		int64_t resp = r->completion - r->release;
		/* a release without a deadline (damaged record): no lateness */
		int64_t late =
			r->deadline == RL_TIME_UNKNOWN ? INT64_MIN : r->completion - r->deadline;

		sm->nresp++;
		sm->resp_sum += (double)resp;
		if (late > 0 || (r->flags & RL_JOB_SERVER_MISS))
			sm->misses++;
		if (late > sm->max_tard)
			sm->max_tard = late;
		return rl_rowstore_add(j->resp, r->task, &resp, err);
	}
	return 0;
}

/* A finished row, once the synchronous release is known: flag, filter, hand out. */
/* @a - @b is representable (both known), or one of them is unknown. */
static int jt_diff_ok(int64_t a, int64_t b)
{
	int64_t d;

	return a == RL_TIME_UNKNOWN || b == RL_TIME_UNKNOWN || !__builtin_sub_overflow(a, b, &d);
}

/*
 * A job whose times cannot be subtracted (damaged or byte-swapped records
 * put them near the ends of int64) has no meaningful response, lateness or
 * tardiness: it is left out of every output and counted as damage.
 */
/* Bit 63 set when |@x| >= 2^62 (unknown counts as 0): differences of smaller values fit. */
static inline uint64_t jt_wide(int64_t x)
{
	uint64_t u = x == RL_TIME_UNKNOWN ? 0 : (uint64_t)x;

	return u ^ (u << 1);
}

/*
 * The exact check and its warning, out of the hot path; it points at
 * record @off of source @src (UINT16_MAX: the job has no record).
 */
static __attribute__((noinline, cold)) int jt_row_check(struct rl_jobs *j, const struct rl_job *r,
							uint16_t src, uint64_t off)
{
	if (jt_diff_ok(r->completion, r->release) && jt_diff_ok(r->completion, r->deadline) &&
	    jt_diff_ok(r->first_start, r->release) && jt_diff_ok(r->seen_until, r->deadline) &&
	    jt_diff_ok(r->deadline, r->release))
		return 1;
	rl_trace_warn(j->t, RL_W_GARBAGE, src, src == UINT16_MAX ? RL_OFF_NONE : off,
		      "job %u of pid %d: implausible times (release %lld, deadline %lld, "
		      "completion %lld ns): left out",
		      r->job, r->task < j->t->ntasks ? j->t->tasks[r->task].pid : -1,
		      (long long)r->release, (long long)r->deadline, (long long)r->completion);
	return 0;
}

static inline int jt_row_plausible(struct rl_jobs *j, const struct rl_job *r, uint16_t src,
				   uint64_t off)
{
	/* the common case at the cost of a few instructions a row */
	if (__builtin_expect(
		    !((jt_wide(r->completion) | jt_wide(r->release) | jt_wide(r->deadline) |
		       jt_wide(r->first_start) | jt_wide(r->seen_until)) >>
		      63),
		    1))
		return 1;
	return jt_row_check(j, r, src, off);
}

static int jt_row_out(struct rl_jobs *j, struct rl_job *r, struct rl_err *err)
{
	const struct rl_job_filter *fl = &j->o.filter;
	int ret;

	if (j->compat)
		return rl_stjs_view_add(&j->st, r, err);
	if (j->has_sys_release && r->release != RL_TIME_UNKNOWN && r->release < j->sys_release)
		r->flags |= RL_JOB_BEFORE_SYSREL;
	/* -r: only for records; Linux jobs have no synchronous release */
	if (fl->after_sys_release && j->o.model == RL_JOBS_MODEL_RECORDS &&
	    (!j->has_sys_release || r->release == RL_TIME_UNKNOWN || r->release < j->sys_release))
		return 0;
	if (!jt_task_selected(j, fl, r->task) ||
	    (fl->keep && !fl->keep(fl->keep_arg, r->task, r->release)))
		return 0;
	if ((j->o.want & RL_JOBS_ROWS) && j->o.row_fn) {
		ret = j->o.row_fn(j->o.row_arg, r, err);
		if (ret < 0)
			return ret;
	}
	if ((j->o.want & RL_JOBS_CSV) && j->stream) {
		if (j->writer)
			jt_writer_add(j->writer, j, r);
		else
			jt_csv_write(j, j->stream, r);
	}
	if (j->o.want & RL_JOBS_BY_TASK) {
		ret = rl_rowstore_add(j->rows, r->task, r, err);
		if (ret < 0)
			return ret;
	}
	if (j->o.want & RL_JOBS_SUMMARY)
		return jt_sum_add(j, r, err);
	return 0;
}

/* A finished row of a job whose RELEASE (else COMPLETION) is record @off of source @src. */
static inline __attribute__((always_inline)) int
jt_row(struct rl_jobs *j, struct rl_job *row, uint16_t src, uint64_t off, struct rl_err *err)
{
	if (!j->o.want)
		return 0;
	if (!j->compat && !jt_row_plausible(j, row, src, off))
		return 0;
	if (j->holding)
		return rl_rowstore_add(j->hold, 0, row, err);
	return jt_row_out(j, row, err);
}

/**
 * rl_jobs_add() - feed a job reconstructed elsewhere
 * @j:   the analysis
 * @row: a finished job (task, job, times, counters, RL_JOB_* flags); copied.
 *       Its status follows its flags: RL_JOB_INCOMPLETE or RL_JOB_NO_COMPLETION
 *       when the completion is unknown, else complete.
 * @err: error out
 *
 * The row goes through the same filters, CSV writer, by-task store and
 * summary as the jobs this analysis reconstructs from events (xentrace's
 * RTDS server periods come this way, from stats/xen.c, and the Linux
 * model's jobs, from stats/linux-jobs.c). Feed rows before the sink's
 * finish() returns.
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_jobs_add(struct rl_jobs *j, const struct rl_job *row, struct rl_err *err)
{
	struct rl_job r = *row;

	if (r.task >= j->t->ntasks)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "job of unknown task %u",
				  r.task);
	j->cnt.jobs++;
	if (r.flags & RL_JOB_NO_RELEASE)
		j->cnt.no_release++;
	if (r.flags & RL_JOB_RELEASE_INFERRED)
		j->cnt.inferred++;
	if (r.flags & RL_JOB_NO_COMPLETION)
		j->cnt.no_completion++;
	else if (r.flags & (RL_JOB_INCOMPLETE | RL_JOB_LOST))
		j->cnt.incomplete++;
	else
		j->cnt.completed++;
	return jt_row(j, &r, UINT16_MAX, RL_OFF_NONE, err);
}

static int jt_hold_cb(void *arg, const void *p, struct rl_err *err)
{
	struct rl_job r;

	memcpy(&r, p, sizeof(r));
	return jt_row_out(arg, &r, err);
}

/* The synchronous release is known (or never will be): let held rows out. */
static int jt_release_hold(struct rl_jobs *j, struct rl_err *err)
{
	struct rl_rowstore *fresh;
	int r;

	if (!j->holding)
		return 0;
	j->holding = 0;
	r = rl_rowstore_each(j->hold, 0, jt_hold_cb, j, err);
	if (r < 0)
		return r;
	fresh = rl_rowstore_new(sizeof(struct rl_job), j->o.mem_budget);
	if (fresh) {
		rl_rowstore_free(j->hold);
		j->hold = fresh;
	}
	return 0;
}

static int jt_csv_cb(void *arg, const void *p, struct rl_err *err)
{
	struct jt_cb *cb = arg;
	struct rl_job r;

	(void)err;
	memcpy(&r, p, sizeof(r));
	jt_csv_write(cb->j, cb->f, &r);
	return 0;
}

/**
 * rl_jobs_write_csv() - the rows kept by task (RL_JOBS_BY_TASK), in pid order
 * @j:   the finished analysis
 * @f:   output
 * @err: error out
 *
 * Return: 0 or a negative code (also when writing failed).
 */
int rl_jobs_write_csv(struct rl_jobs *j, FILE *f, struct rl_err *err)
{
	struct jt_cb cb = {.j = j, .f = f};
	uint32_t *ord, n, i;
	int r = 0;

	ord = rl_task_order(j->t, &n);
	if (!ord)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	jt_csv_header(f, j->o.model, j->o.ms);
	for (i = 0; i < n && !r; i++)
		r = rl_rowstore_each(j->rows, ord[i], jt_csv_cb, &cb, err);
	free(ord);
	if (!r && ferror(f))
		r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write job table");
	return r;
}

/**
 * rl_quantile_sorted() - quantile with linear interpolation between ranks
 * @v: sorted values
 * @n: how many (0 gives 0)
 * @q: quantile in [0, 1]
 *
 * Return: v[floor(h)] + (h - floor(h)) * (v[floor(h)+1] - v[floor(h)]), h = q (n - 1).
 */
double rl_quantile_sorted(const int64_t *v, size_t n, double q)
{
	double h;
	size_t lo;

	if (!n)
		return 0;
	if (q <= 0)
		return (double)v[0];
	if (q >= 1)
		return (double)v[n - 1];
	h = q * (double)(n - 1);
	lo = (size_t)h;
	if (lo + 1 >= n)
		return (double)v[n - 1];
	/* sorted: the unsigned difference is exact where the signed one overflows */
	return (double)v[lo] + (h - (double)lo) * (double)((uint64_t)v[lo + 1] - (uint64_t)v[lo]);
}

/* One summary cell: a formatted number, or empty. */
#define JT_CELL 64

/*
 * The summary's columns: JSON keys (the object names the unit), and in CSV
 * and the table the time columns named with their unit (resp_max_ms).
 */
/* clang-format off */
#define JT_SUM_COLS(U) { \
	"pid", "name", "wcet" U, "period" U, "jobs", "completed", "incomplete", "dl_misses", \
	"miss_ratio", "resp_min" U, "resp_mean" U, "resp_p50" U, "resp_p99" U, "resp_max" U, \
	"max_tardiness" U, "acet_mean" U, "acet_max" U, "preemptions", "migrations", }
#define JT_LX_COLS(U) { \
	"pid", "name", "prio", "jobs", "completed", "incomplete", \
	"resp_min" U, "resp_mean" U, "resp_p50" U, "resp_p99" U, "resp_max" U, \
	"lat_min" U, "lat_mean" U, "lat_p50" U, "lat_p99" U, "lat_max" U, \
	"exec_mean" U, "exec_max" U, "preemptions", "migrations", }
static const char *const jt_sum_cols[] = JT_SUM_COLS("");
static const char *const jt_sum_cols_ns[] = JT_SUM_COLS("_ns");
static const char *const jt_sum_cols_ms[] = JT_SUM_COLS("_ms");
static const char *const jt_lx_cols[] = JT_LX_COLS("");
static const char *const jt_lx_cols_ns[] = JT_LX_COLS("_ns");
static const char *const jt_lx_cols_ms[] = JT_LX_COLS("_ms");
/* clang-format on */
#define JT_NCOLS(c) (sizeof(c) / sizeof((c)[0]))

/* A time cell: ns, or ms with 3 decimals; @have 0 leaves it empty. */
static void jt_cell_time(char *c, int have, double v, int ms)
{
	if (have)
		snprintf(c, JT_CELL, "%.*f", ms ? 3 : 0, v * (ms ? 1e-6 : 1));
	else
		c[0] = 0;
}

static void jt_cell_u64(char *c, uint64_t v)
{
	snprintf(c, JT_CELL, "%llu", (unsigned long long)v);
}

/* min, mean (sum / n), p50, p99, max of @v (reordered) into 5 cells. */
static void jt_cells_dist(char (*cells)[JT_CELL], int64_t *v, uint32_t n, double sum, int ms)
{
	int64_t mn = n ? v[0] : 0, mx = n ? v[0] : 0;
	uint32_t i;

	for (i = 1; i < n; i++) {
		mn = v[i] < mn ? v[i] : mn;
		mx = v[i] > mx ? v[i] : mx;
	}
	jt_cell_time(cells[0], n > 0, (double)mn, ms);
	jt_cell_time(cells[1], n > 0, n ? sum / n : 0, ms);
	jt_cell_time(cells[2], n > 0, n ? rl_quantile_select(v, n, 0.50) : 0, ms);
	jt_cell_time(cells[3], n > 0, n ? rl_quantile_select(v, n, 0.99) : 0, ms);
	jt_cell_time(cells[4], n > 0, (double)mx, ms);
}

struct jt_vals {
	int64_t *v;
	uint32_t n, cap;
};

/* The values of @task in @rs into @vs. */
static int jt_vals_get(struct rl_rowstore *rs, uint32_t task, struct jt_vals *vs,
		       struct rl_err *err)
{
	return rl_rowstore_i64(rs, task, &vs->v, &vs->n, &vs->cap, err);
}

/* A records task's line: wcet, period, misses, response times, tardiness, acet. */
static void jt_cells_records(const struct rl_task *tk, const struct jt_sum *sm,
			     struct jt_vals *resp, int ms, char (*c)[JT_CELL])
{
	/* overdue jobs are misses among the jobs whose outcome is known */
	uint64_t known = sm->nresp + sm->noverdue;

	jt_cell_time(c[2], tk->wcet >= 0, (double)tk->wcet, ms);
	jt_cell_time(c[3], tk->period >= 0, (double)tk->period, ms);
	jt_cell_u64(c[4], sm->jobs);
	jt_cell_u64(c[5], sm->completed);
	jt_cell_u64(c[6], sm->incomplete);
	jt_cell_u64(c[7], sm->misses);
	snprintf(c[8], JT_CELL, "%.4f", known ? (double)sm->misses / (double)known : 0);
	jt_cells_dist(c + 9, resp->v, resp->n, sm->resp_sum, ms);
	jt_cell_time(c[14], resp->n || sm->noverdue, (double)sm->max_tard, ms);
	jt_cell_time(c[15], sm->nexec > 0, sm->nexec ? sm->exec_sum / (double)sm->nexec : 0, ms);
	jt_cell_time(c[16], sm->nexec > 0, (double)sm->exec_max, ms);
	jt_cell_u64(c[17], sm->preempt);
	jt_cell_u64(c[18], sm->migr);
}

/* A Linux task's line: prio, response times, scheduling latencies, exec. */
static void jt_cells_linux(const struct jt_sum *sm, struct jt_vals *resp, struct jt_vals *lat,
			   int ms, char (*c)[JT_CELL])
{
	if (sm->has_prio)
		snprintf(c[2], JT_CELL, "%lld", (long long)sm->prio);
	else
		c[2][0] = 0;
	jt_cell_u64(c[3], sm->jobs);
	jt_cell_u64(c[4], sm->completed);
	jt_cell_u64(c[5], sm->incomplete);
	jt_cells_dist(c + 6, resp->v, resp->n, sm->resp_sum, ms);
	jt_cells_dist(c + 11, lat->v, lat->n, sm->lat_sum, ms);
	jt_cell_time(c[16], sm->nexec > 0, sm->nexec ? sm->exec_sum / (double)sm->nexec : 0, ms);
	jt_cell_time(c[17], sm->nexec > 0, (double)sm->exec_max, ms);
	jt_cell_u64(c[18], sm->preempt);
	jt_cell_u64(c[19], sm->migr);
}

/* The table of the model's summary around @cells. */
static void jt_sum_table(const struct rl_job_out *o, const char *cells, size_t nrows,
			 struct rl_table *tb)
{
	int lx = o->model == RL_JOBS_MODEL_LINUX;

	memset(tb, 0, sizeof(*tb));
	if (o->fmt == RL_OUT_JSON)
		tb->cols = lx ? jt_lx_cols : jt_sum_cols;
	else if (lx)
		tb->cols = o->ms ? jt_lx_cols_ms : jt_lx_cols_ns;
	else
		tb->cols = o->ms ? jt_sum_cols_ms : jt_sum_cols_ns;
	tb->ncols = lx ? JT_NCOLS(jt_lx_cols) : JT_NCOLS(jt_sum_cols);
	tb->cells = cells;
	tb->nrows = nrows;
	tb->cellsz = JT_CELL;
	tb->text_col = 1;
	if (lx) {
		tb->json_head = o->ms ? "\"unit\":\"ms\",\"model\":\"linux-wakeup\""
				      : "\"unit\":\"ns\",\"model\":\"linux-wakeup\"";
		tb->note = o->ms ? "(Linux jobs: wake-up to blocking switch-out; times in ms)"
				 : "(Linux jobs: wake-up to blocking switch-out; times in ns)";
	} else {
		tb->json_head = o->ms ? "\"unit\":\"ms\"" : "\"unit\":\"ns\"";
		tb->note = o->ms ? "(times in ms)" : "(times in ns)";
	}
}

/**
 * rl_jobs_write_summary() - one line per task: jobs, misses, response times...
 * @j:   the finished analysis (created with RL_JOBS_SUMMARY)
 * @f:   output (format, units and filters as given to rl_jobs_new())
 * @err: error out
 *
 * The columns are the model's: records (sched_trace, rt-app, Xen) have
 * deadlines, misses and tardiness; Linux jobs have prio and scheduling
 * latency (first switch-in - activation, over every job that ran).
 * Percentiles are exact (linear interpolation between the sorted response
 * times of the task's completed jobs with a known release).
 *
 * Return: 0 or a negative code.
 */
int rl_jobs_write_summary(struct rl_jobs *j, FILE *f, struct rl_err *err)
{
	const struct rl_job_out *o = &j->o;
	struct jt_vals resp = {0}, lat = {0};
	char(*cells)[JT_CELL] = NULL;
	uint32_t *ord, n, i, nl = 0;
	struct rl_table tb;
	int r = 0;

	jt_sum_table(o, NULL, 0, &tb);
	ord = rl_task_order(j->t, &n);
	cells = calloc((n ? n : 1) * tb.ncols, sizeof(*cells));
	if (!ord || !cells) {
		r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct rl_task *tk = &j->t->tasks[ord[i]];
		char(*c)[JT_CELL] = cells + (size_t)nl * tb.ncols;

		if (ord[i] >= j->nsums || !j->sums[ord[i]].jobs)
			continue;
		r = jt_vals_get(j->resp, ord[i], &resp, err);
		if (!r)
			r = jt_vals_get(j->lat, ord[i], &lat, err);
		if (r < 0)
			goto out;
		snprintf(c[0], JT_CELL, "%d", tk->pid);
		snprintf(c[1], JT_CELL, "%s", rl_strtab_get(j->t->strs, tk->name));
		if (o->model == RL_JOBS_MODEL_LINUX)
			jt_cells_linux(&j->sums[ord[i]], &resp, &lat, o->ms, c);
		else
			jt_cells_records(tk, &j->sums[ord[i]], &resp, o->ms, c);
		nl++;
	}
	tb.cells = cells[0];
	tb.nrows = nl;
	rl_table_write(f, o->fmt, &tb);
	if (ferror(f))
		r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write summary");
out:
	free(resp.v);
	free(lat.v);
	free(cells);
	free(ord);
	return r;
}

/**
 * rl_jobs_compat_sys_release() - st-job-stats' synchronous release (RL_JOBS_COMPAT)
 * @j:   the analysis
 * @rel: receives the release instant of the first pid-0 SYS_RELEASE
 *
 * Return: 1 if there was one, else 0.
 */
int rl_jobs_compat_sys_release(const struct rl_jobs *j, uint64_t *rel)
{
	if (j->st.has_sys_release)
		*rel = j->st.sys_release;
	return j->st.has_sys_release;
}

/**
 * rl_jobs_write_compat() - print what st-job-stats prints (RL_JOBS_COMPAT)
 * @j:   the finished analysis; -r -m -p -n -t are its filter and ms (period
 *       in ns; the CLI applies st-job-stats' ms conversion)
 * @f:   output
 * @err: error out
 *
 * Return: 0 or a negative code.
 */
/* The task order of st-job-stats' view, from the analysis' per-task records. */
static int jt_compat_prepare(struct rl_jobs *j, struct rl_err *err)
{
	uint32_t i;

	if (!j->compat)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "job analysis created without RL_JOBS_COMPAT");
	if (j->ntasks && rl_stjs_view_task(&j->st, j->ntasks - 1, err))
		return err->code;
	for (i = 0; i < j->ntasks; i++) {
		j->st.tasks[i].seen = j->tasks[i].st_first != 0;
		j->st.tasks[i].first_seq = j->tasks[i].st_first;
		j->st.tasks[i].has_zero = j->tasks[i].st_zero;
	}
	return 0;
}

int rl_jobs_write_compat(struct rl_jobs *j, FILE *f, struct rl_err *err)
{
	if (jt_compat_prepare(j, err) < 0)
		return err->code;
	return rl_stjs_view_write(&j->st, f, &j->o.filter, j->o.ms, err);
}

/**
 * rl_jobs_each_compat() - st-job-stats' output as values (RL_JOBS_COMPAT)
 * @j:   the finished analysis; -r -p -n -t are its filter (-m is ignored)
 * @ops: called with each task line, then each of its rows, in print order
 * @arg: for @ops
 * @err: error out
 *
 * Return: 0 or a negative code.
 */
int rl_jobs_each_compat(struct rl_jobs *j, const struct rl_stjs_ops *ops, void *arg,
			struct rl_err *err)
{
	if (jt_compat_prepare(j, err) < 0)
		return err->code;
	return rl_stjs_view_each(&j->st, &j->o.filter, ops, arg, err);
}
