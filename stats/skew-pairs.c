/*
 * stats/skew-pairs.c - causal pairs for the clock-skew estimator from a
 * Feather-Trace file set.
 *
 * A reschedule (or cross-call) IPI is a causal pair (litmus.md 1.4): its
 * START is written by the sender, with the sender's TSC, into the target's
 * msg buffer, so the record's cpu is the target's; its END is written by the
 * target, on the target's TSC, when the IPI handler runs. The record does
 * not say which cpu sent it; its pid is the sender's current task. The
 * sender is therefore inferred from the cpu-local records (SCHED, RELEASE,
 * TICK, ...) of the candidate senders (the pids of any START; other records
 * are not indexed, which keeps the index small): the cpu whose such record
 * just before or just after the START's time carries the START's pid and is
 * nearest in time. Clock offsets (cycles
 * to microseconds) are far smaller than the gaps between records of the
 * wrong cpu, so the uncorrected times suffice for this match; a tie leaves
 * the pair unattributed. A START is paired with the next END of its id in
 * the same file, as ft2csv pairs by event id.
 */
#include "stats.h"
#include "../readers/feather-trace.h"
#include "../skew/skew.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* one cpu-local record: its time and the pid of the task it names */
struct skp_rec {
	uint64_t ts;
	uint16_t pid;
};

/*
 * The cpu-local records of one cpu. Per-cpu files in time order (the usual
 * extraction) are searched where they are mapped: @files lists them, and
 * nothing grows with records. Otherwise (a file holding several cpus, or
 * one out of time order) the candidate records are copied into @r, sorted.
 */
struct skp_cpu {
	struct skp_rec *r;
	uint32_t n, cap;
	uint32_t *files; /* indices into the set (direct search) */
	uint32_t nfiles, cap_files;
};

struct skp_walk {
	const struct rl_ft_set *s;
	struct rl_skew_est *e;
	struct rl_skew_ft_stats *st;
	struct skp_cpu *cpus; /* indexed by cpu */
	uint32_t ncpu;
	uint8_t *want; /* the pids of the STARTs: candidate senders (a bit per pid) */
	int direct;    /* search the files, no copy */
	uint32_t top;  /* cpus 0..top-1 have records */
};

/* Records looked at on each side of a START's time for the nearest candidate (direct search) */
#define SKP_SCAN 65536

static int skp_is_msg(unsigned ev)
{
	return ev >= RL_FT_SEND_RESCHED_START && ev <= RL_FT_SEND_XCALL_END;
}

static int skp_rec_cmp(const void *a, const void *b)
{
	const struct skp_rec *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static uint32_t skp_file_cpu(const struct rl_ft_file *f, const struct rl_ft_rec *r)
{
	return f->cpu >= 0 ? (uint32_t)f->cpu : r->cpu;
}

/* A record with a time (latency records hold a latency in the field, IPIs a sender's time) */
static int skp_timed(const struct rl_ft_rec *r)
{
	return !skp_is_msg(r->event) && r->event != RL_FT_RELEASE_LATENCY &&
	       r->event != RL_FT_TIMER_LATENCY;
}

static int skp_wanted(const struct skp_walk *w, const struct rl_ft_rec *r)
{
	return skp_timed(r) && (w->want[r->pid >> 3] & (1u << (r->pid & 7)));
}

/*
 * Whether every cpu-local record of the set can be searched in place: each
 * in a file of its own cpu, the timed records of each file in time order.
 */
static int skp_searchable(const struct skp_walk *w)
{
	uint32_t i;
	uint64_t k;

	for (i = 0; i < w->s->n; i++) {
		const struct rl_ft_file *f = &w->s->fs[i];
		uint64_t last = 0;
		struct rl_ft_rec r;

		for (k = 0; k < f->nrec; k++) {
			rl_ft_decode(f, k, &r);
			if (!skp_timed(&r))
				continue;
			if (f->cpu < 0 && f->kind != RL_FT_KIND_MSG)
				return 0;
			if (f->kind != RL_FT_KIND_MSG && r.ts < last)
				return 0;
			last = r.ts;
		}
	}
	return 1;
}

/* The cpu-local records of every file, per cpu. Return: 0 or -1 (memory). */
static int skp_index(struct skp_walk *w)
{
	uint32_t i, c;
	uint64_t k;

	w->want = calloc(65536 / 8, 1);
	w->ncpu = 256; /* the cpu field is 8 bits */
	w->cpus = calloc(w->ncpu, sizeof(*w->cpus));
	if (!w->cpus || !w->want)
		return -1;
	for (i = 0; i < w->s->n; i++) {
		const struct rl_ft_file *f = &w->s->fs[i];
		struct rl_ft_rec r;

		for (k = 0; k < f->nrec; k++) {
			rl_ft_decode(f, k, &r);
			if (r.event == RL_FT_SEND_RESCHED_START ||
			    r.event == RL_FT_SEND_XCALL_START)
				w->want[r.pid >> 3] |= (uint8_t)(1u << (r.pid & 7));
		}
	}
	w->direct = skp_searchable(w);
	for (i = 0; i < w->s->n; i++) {
		const struct rl_ft_file *f = &w->s->fs[i];

		if (w->direct) {
			struct skp_cpu *cs;

			if (f->kind == RL_FT_KIND_MSG || f->cpu < 0 || !f->nrec)
				continue;
			cs = &w->cpus[f->cpu & 255];
			if (rl_grow((void **)&cs->files, &cs->cap_files, cs->nfiles + 1,
				    sizeof(*cs->files)))
				return -1;
			cs->files[cs->nfiles++] = i;
			cs->n = 1; /* the cpu has records */
			continue;
		}
		for (k = 0; k < f->nrec; k++) {
			struct rl_ft_rec r;
			struct skp_cpu *cs;

			rl_ft_decode(f, k, &r);
			if (!skp_wanted(w, &r))
				continue;
			cs = &w->cpus[skp_file_cpu(f, &r) & 255];
			if (cs->n == UINT32_MAX ||
			    rl_grow((void **)&cs->r, &cs->cap, cs->n + 1, sizeof(*cs->r)))
				return -1;
			cs->r[cs->n++] = (struct skp_rec){r.ts, r.pid};
		}
	}
	for (c = 0; c < w->ncpu; c++)
		if (w->cpus[c].n)
			w->top = c + 1;
	for (c = 0; c < w->ncpu && !w->direct; c++) {
		struct skp_cpu *cs = &w->cpus[c];
		uint32_t k2;

		/* a cpu file is written in time order: sort only when it is not */
		for (k2 = 1; k2 < cs->n && cs->r[k2 - 1].ts <= cs->r[k2].ts; k2++)
			;
		if (k2 < cs->n)
			qsort(cs->r, cs->n, sizeof(*cs->r), skp_rec_cmp);
	}
	return 0;
}

static void skp_walk_free(struct skp_walk *w)
{
	uint32_t i;

	for (i = 0; w->cpus && i < w->ncpu; i++) {
		free(w->cpus[i].r);
		free(w->cpus[i].files);
	}
	free(w->cpus);
	free(w->want);
	w->cpus = NULL;
	w->want = NULL;
}

/* Distance from @ts to the nearest neighbouring record of @cs naming @pid, or UINT64_MAX. */
static uint64_t skp_near_copy(const struct skp_cpu *cs, uint64_t ts, uint16_t pid)
{
	uint32_t lo = 0, hi = cs->n;
	uint64_t best = UINT64_MAX;

	while (lo < hi) { /* first record at or after ts */
		uint32_t mid = lo + (hi - lo) / 2;

		if (cs->r[mid].ts < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < cs->n && cs->r[lo].pid == pid)
		best = cs->r[lo].ts - ts;
	if (lo > 0 && cs->r[lo - 1].pid == pid && ts - cs->r[lo - 1].ts < best)
		best = ts - cs->r[lo - 1].ts;
	return best;
}

/* Index of the first timed record of @f at or after @k (f->nrec if none). */
static uint64_t skp_next_timed(const struct rl_ft_file *f, uint64_t k, struct rl_ft_rec *r)
{
	for (; k < f->nrec; k++) {
		rl_ft_decode(f, k, r);
		if (skp_timed(r))
			return k;
	}
	return k;
}

/*
 * In one time-ordered cpu file: the candidate records just before @ts and at
 * or after it (as the sorted copy has them), each within SKP_SCAN records.
 */
static void skp_file_around(const struct skp_walk *w, const struct rl_ft_file *f, uint64_t ts,
			    struct skp_rec *prev, int *has_prev, struct skp_rec *next,
			    int *has_next)
{
	uint64_t lo = 0, hi = f->nrec, k, n;
	struct rl_ft_rec r;

	memset(&r, 0, sizeof(r));
	while (lo < hi) { /* first timed record at or after ts */
		uint64_t mid = lo + (hi - lo) / 2, t = skp_next_timed(f, mid, &r);

		if (t < hi && r.ts < ts)
			lo = t + 1;
		else
			hi = mid;
	}
	for (k = lo, n = 0; k < f->nrec && n < SKP_SCAN; k++, n++) {
		rl_ft_decode(f, k, &r);
		if (skp_wanted(w, &r)) {
			if (!*has_next || r.ts < next->ts)
				*next = (struct skp_rec){r.ts, r.pid};
			*has_next = 1;
			break;
		}
	}
	for (k = lo, n = 0; k > 0 && n < SKP_SCAN; k--, n++) {
		rl_ft_decode(f, k - 1, &r);
		if (skp_wanted(w, &r)) {
			if (!*has_prev || r.ts > prev->ts)
				*prev = (struct skp_rec){r.ts, r.pid};
			*has_prev = 1;
			break;
		}
	}
}

/* Distance from @ts to the nearest neighbouring candidate record of cpu @c naming @pid. */
static uint64_t skp_near(const struct skp_walk *w, uint32_t c, uint64_t ts, uint16_t pid)
{
	const struct skp_cpu *cs = &w->cpus[c];
	struct skp_rec prev = {0, 0}, next = {0, 0};
	int has_prev = 0, has_next = 0;
	uint64_t best = UINT64_MAX;
	uint32_t i;

	if (!w->direct)
		return skp_near_copy(cs, ts, pid);
	for (i = 0; i < cs->nfiles; i++)
		skp_file_around(w, &w->s->fs[cs->files[i]], ts, &prev, &has_prev, &next, &has_next);
	if (has_next && next.pid == pid)
		best = next.ts - ts;
	if (has_prev && prev.pid == pid && ts - prev.ts < best)
		best = ts - prev.ts;
	return best;
}

/* The sending cpu of a START for @target. Return: the cpu, or -1 (none, or a tie: *tie set). */
static int skp_sender(const struct skp_walk *w, const struct rl_ft_rec *start, uint32_t target,
		      int *tie)
{
	uint64_t best = UINT64_MAX, d;
	int who = -1;
	uint32_t c;

	*tie = 0;
	for (c = 0; c < w->top; c++) {
		if (c == target || !w->cpus[c].n)
			continue;
		d = skp_near(w, c, start->ts, start->pid);
		if (d == UINT64_MAX)
			continue;
		if (d < best) {
			best = d;
			who = (int)c;
			*tie = 0;
		} else if (d == best) {
			*tie = 1;
		}
	}
	return *tie ? -1 : who;
}

/* END - START on the timestamp field's modulus, as a signed delay. */
static int64_t skp_delay(const struct rl_ft_file *f, uint64_t start, uint64_t end)
{
	uint64_t d = (end - start) & f->ts_mask;

	if (f->ts_mask != UINT64_MAX && (d & ((f->ts_mask >> 1) + 1)))
		d |= ~f->ts_mask; /* sign-extend the field */
	return (int64_t)d;
}

static int skp_pair(struct skp_walk *w, const struct rl_ft_file *f, const struct rl_ft_rec *start,
		    const struct rl_ft_rec *end, struct rl_err *err)
{
	uint32_t target = skp_file_cpu(f, end);
	int64_t delay = skp_delay(f, start->ts, end->ts);
	int tie, from = skp_sender(w, start, target, &tie);

	if (from < 0) {
		w->st->unattributed++;
		w->st->ambiguous += tie;
		return 0;
	}
	if (delay == INT64_MIN) {
		w->st->out_of_range++;
		return 0;
	}
	w->st->pairs++;
	return rl_skew_est_add_delta(w->e, (uint32_t)from, target, delay, err);
}

/* The START -> END pairs of one file. Return: 0 or a negative RL_E_* code. */
static int skp_file(struct skp_walk *w, const struct rl_ft_file *f, struct rl_err *err)
{
	struct rl_ft_rec pend[2], r;
	int have[2] = {0, 0}, x;
	uint64_t k;

	for (k = 0; k < f->nrec; k++) {
		rl_ft_decode(f, k, &r);
		if (!skp_is_msg(r.event))
			continue;
		x = r.event >= RL_FT_SEND_XCALL_START;
		if (r.event == RL_FT_SEND_RESCHED_START || r.event == RL_FT_SEND_XCALL_START) {
			w->st->starts++;
			w->st->unmatched += have[x];
			pend[x] = r;
			have[x] = 1;
		} else if (have[x]) {
			have[x] = 0;
			if (skp_pair(w, f, &pend[x], &r, err) < 0)
				return err->code;
		}
	}
	w->st->unmatched += have[0] + have[1];
	return 0;
}

/**
 * rl_skew_ft_pairs() - give the IPI causal pairs of a Feather-Trace file set to an estimator
 * @s:   the files (rl_ft_set_open()); msg files hold the pairs, cpu files the senders
 * @e:   the estimator (cycles); every cpu of the set is reserved in it
 * @st:  counts of what was seen (zeroed first)
 * @err: error out
 *
 * Return: 0, or -RL_E_NOMEM / -RL_E_USAGE with @err set.
 */
int rl_skew_ft_pairs(const struct rl_ft_set *s, struct rl_skew_est *e, struct rl_skew_ft_stats *st,
		     struct rl_err *err)
{
	struct skp_walk w = {s, e, st, NULL, 0, NULL, 0, 0};
	uint32_t i, top = 0;
	int r = 0;

	memset(st, 0, sizeof(*st));
	if (skp_index(&w) < 0) {
		r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
			       "out of memory indexing the cpu records");
		goto out;
	}
	for (i = 0; i < w.ncpu; i++)
		if (w.cpus[i].n || w.cpus[i].nfiles)
			top = i + 1;
	for (i = 0; i < s->n; i++)
		if (s->fs[i].cpu >= 0 && (uint32_t)s->fs[i].cpu + 1 > top)
			top = (uint32_t)s->fs[i].cpu + 1;
	if (top && (r = rl_skew_est_reserve(e, top, err)) < 0)
		goto out;
	for (i = 0; i < s->n && !r; i++)
		r = skp_file(&w, &s->fs[i], err);
out:
	skp_walk_free(&w);
	return r;
}

/* ------------------------------------------------------------ Linux: migrations */

/*
 * A task runs on one cpu at a time, so its switch-ins and switch-outs
 * alternate: a switch-out on cpu x precedes the task's next switch-in, on cpu
 * b. That order follows from the scheduler, not from the clocks, so the pair
 * (x -> b) stays causal when a clock is skewed a little: a switch-in shown
 * before the switch-out it follows (the skewed clock is behind) is held until
 * that switch-out arrives, and a switch that breaks the alternation (a
 * switch-out on a cpu the task was not seen running on) forgets the task's
 * state. What it cannot see is a slip of a whole cycle: when the skew is longer
 * than a task's run plus its time off the cpu, the alternation still holds
 * with every switch-in paired to the wrong (later) switch-out, and the pair
 * is received before it was sent. On lisa-trace_txt-trace.txt, whose tasks run
 * for 15 us every 170 us, that happens from a shift of 100 us; the bounds are
 * guaranteed only for skews below such cycles (doc/skew.md).
 *
 * Wake-ups: a task that blocked (a switch-out with a sleeping prev_state;
 * Xen: running -> blocked) is made runnable by one wake-up, sched_wakeup
 * (Xen: blocked -> runnable), which the kernel orders after the switch-out
 * (the runqueue lock and on_cpu hand-off) and before the task's next
 * switch-in; wake-ups of a task still on its runqueue come before its next
 * blocking switch-out. So one wake-up lies between the blocking switch-out
 * and the next switch-in, and it is paired with that switch-in (its cpu ->
 * the switch-in's cpu) when the switch-in is on the cpu the wake-up chose
 * (target_cpu). More than one there means a skew moved a neighbouring
 * wake-up in: no pair (counted). sched_waking is not used: it is written
 * before the waker waits for the task to leave its cpu, so it can precede
 * the switch-out it ends, and on a skewed clock a waking of the running
 * task is taken for the cause of the next switch-in (a 50 us shift of one
 * cpu of ftrace-text-default.txt did that).
 * IPIs: an IPI sent to cpu b (ipi_send_cpu / ipi_send_cpumask; a Xen
 * scheduler's tickle) is received by b's next IPI handler entry (ipi_entry,
 * x86 reschedule_entry / call_function_entry / call_function_single_entry;
 * for a tickle, b's next RTDS SCHEDULE record with its tickled bit set:
 * credit and credit2 SCHEDULE records do not say whether the PCPU was
 * tickled, and a schedule of any other reason would take the tickle). IPIs sent to b before it
 * handles one coalesce into that handler: the earliest pending send is paired (the longest delay,
 * so the bound is the safest), then b has none pending. A handler entry with no send pending (an
 * IPI the trace did not record the sending of) gives no pair. State per cpu and per task: memory
 * grows with cpus and tasks only. Idle tasks (pid 0, one per cpu) are left out of migrations and
 * wake-ups.
 */
struct skl_stamp {
	int64_t ts;
	uint32_t cpu;
	uint8_t have;
};

struct skl_task {
	struct skl_stamp out;  /* the last switch-out */
	struct skl_stamp in;   /* a switch-in shown before the switch-out it follows */
	struct skl_stamp wake; /* the first wake-up since the switch-out */
	uint32_t wake_target;  /* the cpu a sched_wakeup chose + 1, 0 if none */
	uint32_t run_cpu;
	uint8_t running;
	uint8_t seen;
	uint8_t blocked;	/* the last switch-out blocked (not preempted) */
	uint8_t nwake;		/* wake-ups since the switch-out, up to 2 */
	struct skl_stamp early; /* the first wake-up from another cpu while it ran */
	uint32_t early_target;	/* its target_cpu + 1, 0 if none */
	int64_t last_in;	/* the last switch-in's time (when @has_last) */
	uint32_t last_cpu;	/* and its cpu */
	uint8_t has_last;
};

/* What an event name is to the pair walk (skl.cls by name id) */
enum { SKC_UNKNOWN = 0, SKC_NONE, SKC_IPI_RESCHED, SKC_IPI_CALL, SKC_XEN_SCHED };

struct skl_ipi;

struct skl {
	struct rl_sink sink;
	const struct rl_trace *t;
	struct rl_skew_est *e;
	struct rl_skew_lx_stats *st;
	struct skl_task *tasks;
	uint32_t cap;
	struct skl_ipi *ipi; /* by target cpu */
	uint32_t cap_ipi;
	uint8_t *cls; /* by name id: SKC_* */
	uint32_t cap_cls;
	const struct rl_skew_table *applied; /* the stream's correction (refining), or NULL */
};

/*
 * A causal pair to the estimator, on the recorded clocks: the events of a
 * refining pass come corrected by @applied (t - offset), which is undone.
 */
static int skl_add(struct skl *l, uint32_t a, int64_t s, uint32_t b, int64_t r, struct rl_err *err)
{
	if (l->applied) {
		const struct rl_skew_offset *oa = rl_skew_table_get(l->applied, a);
		const struct rl_skew_offset *ob = rl_skew_table_get(l->applied, b);

		if (oa)
			s = rl_skew_sat_add(s, oa->offset);
		if (ob)
			r = rl_skew_sat_add(r, ob->offset);
	}
	return rl_skew_est_add(l->e, a, s, b, r, err);
}

static struct skl_task *skl_task(struct skl *l, uint32_t task)
{
	if (task >= l->cap &&
	    rl_grow_zero((void **)&l->tasks, &l->cap, task + 1, sizeof(*l->tasks)))
		return NULL;
	return &l->tasks[task];
}

/* The class of event name @name (SKC_*), or -1 (memory). */
static int skl_class(struct skl *l, uint32_t name)
{
	/* x86 vector handlers: the reschedule ones first */
	static const char *const entries[] = {
		"reschedule_entry",
		"x86_irq_vectors_reschedule_entry",
		"call_function_entry",
		"call_function_single_entry",
		"x86_irq_vectors_call_function_entry",
		"x86_irq_vectors_call_function_single_entry",
	};
	const char *s, *b;
	size_t i;
	int c = SKC_NONE;

	if (name < l->cap_cls && l->cls[name])
		return l->cls[name];
	if (name >= l->cap_cls &&
	    rl_grow_zero((void **)&l->cls, &l->cap_cls, name + 1, sizeof(*l->cls)))
		return -1;
	s = rl_strtab_get(l->t->strs, name);
	b = strrchr(s, ':'); /* "irq_vectors:reschedule_entry" (CTF) */
	b = b ? b + 1 : s;
	for (i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (!strcmp(b, entries[i]))
			c = i < 2 ? SKC_IPI_RESCHED : SKC_IPI_CALL;
	if (!strcmp(s, "0x00022806")) /* RTDS SCHEDULE */
		c = SKC_XEN_SCHED;
	l->cls[name] = (uint8_t)c;
	return c;
}

/* A pair from @from to (cpu, ts); same-cpu pairs are counted and dropped. */
static int skl_pair(struct skl *l, const struct skl_stamp *from, uint32_t cpu, int64_t ts,
		    struct rl_err *err)
{
	if (from->cpu == cpu) {
		l->st->same_cpu++;
		return 0;
	}
	l->st->pairs++;
	return skl_add(l, from->cpu, from->ts, cpu, ts, err);
}

/* The alternation is broken (lost events, or a skew longer than a run): forget the task's
 * state until its next switch-in. */
static void skl_confused(struct skl *l, struct skl_task *tk)
{
	l->st->confused++;
	memset(tk, 0, sizeof(*tk));
}

/* The task starts running on @cpu: nothing pending any more. */
static void skl_running(struct skl_task *tk, uint32_t cpu, int64_t ts)
{
	memset(tk, 0, sizeof(*tk));
	tk->running = 1;
	tk->run_cpu = cpu;
	tk->seen = 1;
	tk->last_in = ts;
	tk->last_cpu = cpu;
	tk->has_last = 1;
}

/*
 * A switch-in at @ts on @cpu gave cross-cpu pairs: the task's cycle (this
 * switch-in minus its last one, when that was on the same cpu) bounds the skew the matching stays
 * right at; the shortest such cycle is the match limit.
 */
static void skl_cycle(struct skl *l, const struct skl_task *tk, uint32_t cpu, int64_t ts,
		      uint64_t before)
{
	int64_t c;

	/* on one cpu's clock only: a cycle across cpus would carry the skew itself */
	if (l->st->pairs + l->st->wake_pairs == before || !tk->has_last || tk->last_cpu != cpu)
		return;
	c = __builtin_sub_overflow(ts, tk->last_in, &c) || c < 0 ? 0 : c;
	if (!l->st->cycle_pairs || (uint64_t)c < l->st->cycle_min)
		l->st->cycle_min = (uint64_t)c;
	l->st->cycle_pairs++;
}

/* The wake-up pair of a switch-in (the task's first wake-up since its switch-out). */
static int skl_wake_pair(struct skl *l, const struct skl_task *tk, const struct rl_event *ev,
			 struct rl_err *err)
{
	if (!tk->wake.have)
		return 0;
	if (tk->nwake > 1) { /* in one clock there is one: a skew reordered the stream */
		l->st->wake_ambiguous++;
		return 0;
	}
	if (tk->wake_target && tk->wake_target - 1 != ev->cpu) {
		l->st->wake_moved++;
		return 0;
	}
	if (tk->wake.cpu == ev->cpu) {
		l->st->wake_same_cpu++;
		return 0;
	}
	l->st->wake_pairs++;
	return skl_add(l, tk->wake.cpu, tk->wake.ts, ev->cpu, ev->ts, err);
}

static int skl_switch_in(struct skl *l, struct skl_task *tk, const struct rl_event *ev,
			 struct rl_err *err)
{
	uint64_t before;
	int r = 0;

	if (tk->running) {
		/* still running elsewhere: its switch-out, shown later, came first */
		if (tk->run_cpu != ev->cpu && !tk->in.have) {
			tk->in = (struct skl_stamp){ev->ts, ev->cpu, 1};
			l->st->held++;
		} else {
			skl_confused(l, tk);
		}
		return 0;
	}
	before = l->st->pairs + l->st->wake_pairs;
	if (tk->out.have)
		r = skl_pair(l, &tk->out, ev->cpu, ev->ts, err);
	if (r >= 0 && tk->out.have && tk->blocked && tk->early.have) {
		/* shown before the block it ends (the waker's clock behind), or a wake-up
		 * of the task before it blocked: either way it came before this switch-in,
		 * while a wake-up shown after the block may be the next block's */
		l->st->wake_early++;
		tk->wake = tk->early;
		tk->wake_target = tk->early_target;
		tk->nwake = 1;
	}
	if (r >= 0)
		r = skl_wake_pair(l, tk, ev, err);
	skl_cycle(l, tk, ev->cpu, ev->ts, before);
	skl_running(tk, ev->cpu, ev->ts);
	return r;
}

static int skl_switch_out(struct skl *l, struct skl_task *tk, const struct rl_event *ev,
			  struct rl_err *err)
{
	struct skl_stamp out = {ev->ts, ev->cpu, 1}, early;
	uint32_t early_target;
	int64_t last_in;
	uint32_t last_cpu;
	uint8_t has_last;
	int r = 0;

	if (tk->seen && (!tk->running || tk->run_cpu != ev->cpu)) {
		skl_confused(l, tk); /* not the cpu it was seen running on */
		return 0;
	}
	if (tk->in.have) { /* the held switch-in follows this switch-out */
		struct skl_stamp in = tk->in;
		uint64_t before = l->st->pairs + l->st->wake_pairs;

		r = skl_pair(l, &out, in.cpu, in.ts, err);
		skl_cycle(l, tk, in.cpu, in.ts, before);
		skl_running(tk, in.cpu, in.ts);
		return r;
	}
	early = tk->early;
	early_target = tk->early_target;
	last_in = tk->last_in;
	last_cpu = tk->last_cpu;
	has_last = tk->has_last;
	memset(tk, 0, sizeof(*tk));
	tk->last_in = last_in;
	tk->last_cpu = last_cpu;
	tk->has_last = has_last;
	tk->out = out;
	tk->seen = 1;
	/* Linux: prev_state not runnable; Xen: the runstate running -> blocked */
	tk->blocked = (ev->flags & RL_EVF_BLOCKED) ||
		      (l->t->family == RL_FAM_XEN && (ev->arg2 & 0xf) == 2);
	if (tk->blocked) { /* a wake-up shown while it ran may be this block's */
		tk->early = early;
		tk->early_target = early_target;
	}
	return 0;
}

/* A wake-up of @tk on ev->cpu (sched_waking, sched_wakeup, Xen runstate -> runnable). */
static void skl_wake(struct skl_task *tk, const struct rl_event *ev)
{
	if (tk->running && ev->cpu != tk->run_cpu && !tk->early.have) {
		tk->early = (struct skl_stamp){ev->ts, ev->cpu, 1};
		tk->early_target =
			ev->arg >= 0 && ev->arg < RL_SKEW_MAX_CPUS ? (uint32_t)ev->arg + 1 : 0;
		return;
	}
	if (!tk->seen || tk->running || !tk->out.have || !tk->blocked)
		return; /* only a task seen blocking, and not back in */
	if (tk->nwake < 2)
		tk->nwake++;
	if (tk->wake.have)
		return;
	tk->wake = (struct skl_stamp){ev->ts, ev->cpu, 1};
	/* sched_wakeup's target_cpu is the cpu chosen */
	if (ev->arg >= 0 && ev->arg < RL_SKEW_MAX_CPUS)
		tk->wake_target = (uint32_t)ev->arg + 1;
}

/*
 * The pending sends and held entries of one target cpu, per kind of IPI:
 * a reschedule and a function call are different vectors with handlers of
 * their own, so one does not receive the other.
 */
struct skl_ipi {
	struct skl_stamp send[2]; /* the earliest send not yet received, by kind */
	struct skl_stamp held[2]; /* refining: an entry shown before any send, by kind */
};

static struct skl_ipi *skl_ipi_slot(struct skl *l, uint32_t cpu)
{
	if (cpu >= l->cap_ipi &&
	    rl_grow_zero((void **)&l->ipi, &l->cap_ipi, cpu + 1, sizeof(*l->ipi)))
		return NULL;
	return &l->ipi[cpu];
}

/* The uncertainty of @cpu's applied offset (0 if none). */
static int64_t skl_unc(const struct skl *l, uint32_t cpu)
{
	const struct rl_skew_offset *o = rl_skew_table_get(l->applied, cpu);

	return o && o->uncert != RL_SKEW_UNBOUNDED ? o->uncert : 0;
}

/* An IPI of kind @fn sent on ev->cpu to @target. Return: 0, or a negative code. */
static int skl_ipi_send(struct skl *l, const struct rl_event *ev, uint32_t target, int fn,
			struct rl_err *err)
{
	struct skl_ipi *p;

	if (target == ev->cpu)
		return 0;
	p = skl_ipi_slot(l, target);
	if (!p)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	l->st->ipi_sends++;
	if (!p->send[fn].have && p->held[fn].have) {
		/*
		 * The target's handler entry of this kind was shown before
		 * this send, and no other entry of the kind came between: its
		 * clock is behind, and the entry is this send's. Refining, the
		 * entry must lead by no more than the corrected clocks'
		 * uncertainty allows for a send that came first.
		 */
		struct skl_stamp h = p->held[fn];
		int64_t lead = rl_skew_sat_sub(ev->ts, h.ts);

		p->held[fn].have = 0;
		if (lead >= 0 && (!l->applied || lead <= rl_skew_sat_add(skl_unc(l, ev->cpu),
									 skl_unc(l, target)))) {
			l->st->ipi_pairs++;
			l->st->ipi_held++;
			return skl_add(l, ev->cpu, ev->ts, target, h.ts, err);
		}
	}
	if (!p->send[fn].have)
		p->send[fn] = (struct skl_stamp){ev->ts, ev->cpu, 1};
	return 0;
}

/* IPI_SEND: one target (arg), or those of a cpumask (arg2, cpus 0..63); job: a function call. */
static int skl_ipi_sends(struct skl *l, const struct rl_event *ev, struct rl_err *err)
{
	int fn = ev->job != 0, r;
	uint64_t m;
	uint32_t c;

	if (ev->arg >= 0)
		return ev->arg < RL_SKEW_MAX_CPUS ? skl_ipi_send(l, ev, (uint32_t)ev->arg, fn, err)
						  : 0;
	m = (uint64_t)ev->arg2;
	for (c = 0; m; c++, m >>= 1)
		if ((m & 1) && (r = skl_ipi_send(l, ev, c, fn, err)) < 0)
			return r;
	return 0;
}

/*
 * A handler entry of kind @fn (-1: either, ipi_entry) on ev->cpu, or a Xen
 * schedule (kind 0): the earliest pending IPI of that kind to it, received.
 */
static int skl_ipi_recv(struct skl *l, const struct rl_event *ev, int fn, struct rl_err *err)
{
	struct skl_ipi *p = ev->cpu < l->cap_ipi ? &l->ipi[ev->cpu] : NULL;
	struct skl_stamp s;

	if (fn < 0 && p) /* either kind: the earliest */
		fn = p->send[1].have && (!p->send[0].have || p->send[1].ts < p->send[0].ts);
	if (!p || !p->send[fn < 0 ? 0 : fn].have) {
		l->st->ipi_orphans++;
		/* hold it for the next send */
		if (fn >= 0) {
			if (!(p = skl_ipi_slot(l, ev->cpu)))
				return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
						  "out of memory");
			p->held[fn] = (struct skl_stamp){ev->ts, ev->cpu, 1};
		}
		return 0;
	}
	s = p->send[fn];
	p->send[fn].have = 0;
	l->st->ipi_pairs++;
	return skl_add(l, s.cpu, s.ts, ev->cpu, ev->ts, err);
}

/* IPIs of an event. Return: 0, 1 (a send or a handler entry: done), or a negative code. */
static int skl_cause(struct skl *l, const struct rl_event *ev, struct rl_err *err)
{
	int xen = l->t->family == RL_FAM_XEN, c = SKC_NONE, r;

	if (ev->type == RL_EV_IPI_SEND)
		return (r = skl_ipi_sends(l, ev, err)) < 0 ? r : 1;
	if (ev->type == RL_EV_IPI_RECV)
		return (r = skl_ipi_recv(l, ev, -1, err)) < 0 ? r : 1;
	if (ev->type == RL_EV_IRQ_ENTER || ev->type == RL_EV_OTHER) {
		c = ev->name ? skl_class(l, ev->name) : SKC_NONE;
		if (c < 0)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	}
	if ((c == SKC_IPI_RESCHED || c == SKC_IPI_CALL) && ev->type == RL_EV_IRQ_ENTER)
		return (r = skl_ipi_recv(l, ev, c == SKC_IPI_CALL, err)) < 0 ? r : 1;
	/* RTDS SCHEDULE, w0 = cpu:16 tasklet:8 tickled:4 idle:4: a tickle received */
	if (xen && c == SKC_XEN_SCHED && ((uint64_t)ev->arg >> 24 & 0xf))
		return (r = skl_ipi_recv(l, ev, 0, err)) < 0 ? r : 1;
	return 0;
}

static int skl_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct skl *l = (struct skl *)s;
	struct skl_task *tk;
	int r, waking;

	if (ev->cpu == RL_NO_CPU || ev->cpu >= RL_SKEW_MAX_CPUS ||
	    (ev->flags & (RL_EVF_NOTIME | RL_EVF_INHERITED | RL_EVF_LATE)))
		return 0;
	r = skl_cause(l, ev, err);
	if (r)
		return r < 0 ? r : 0;
	waking = ev->type == RL_EV_WAKEUP;
	if ((ev->type != RL_EV_SWITCH_IN && ev->type != RL_EV_SWITCH_OUT && !waking) ||
	    ev->task == RL_NO_TASK || ev->task >= l->t->ntasks || l->t->tasks[ev->task].pid == 0 ||
	    l->t->tasks[ev->task].idle)
		return 0;
	tk = skl_task(l, ev->task);
	if (!tk)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	if (waking) {
		skl_wake(tk, ev);
		return 0;
	}
	if (ev->type == RL_EV_SWITCH_IN)
		return skl_switch_in(l, tk, ev, err);
	return skl_switch_out(l, tk, ev, err);
}

static int skl_finish(struct rl_sink *s, struct rl_err *err)
{
	(void)s;
	(void)err;
	return 0;
}

/**
 * rl_skew_lx_new() - a sink giving the migration causal pairs of a Linux trace to an estimator
 * @t:   the trace (its tasks: idle tasks are left out)
 * @e:   the estimator (ns)
 * @st:  counts of what was seen (zeroed)
 * @err: error out
 *
 * Return: the sink (rl_skew_lx_free()), or NULL with @err set.
 */
struct rl_sink *rl_skew_lx_new(const struct rl_trace *t, struct rl_skew_est *e,
			       struct rl_skew_lx_stats *st, struct rl_err *err)
{
	struct skl *l = calloc(1, sizeof(*l));

	if (!l) {
		rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		return NULL;
	}
	memset(st, 0, sizeof(*st));
	l->t = t;
	l->sink.event = skl_event;
	l->sink.finish = skl_finish;
	l->e = e;
	l->st = st;
	return &l->sink;
}

/**
 * rl_skew_lx_free() - free a sink of rl_skew_lx_new()
 * @s: the sink, or NULL
 */
void rl_skew_lx_free(struct rl_sink *s)
{
	struct skl *l = (struct skl *)s;

	if (l) {
		free(l->tasks);
		free(l->ipi);
		free(l->cls);
	}
	free(l);
}

/* One pass of the pair sink over @fs, corrected by @applied (NULL: none). */
static int skl_pass(struct rl_fileset *fs, const struct rl_read_opts *ro,
		    const struct rl_skew_table *applied, struct rl_skew_est *e,
		    struct rl_skew_lx_stats *st, struct rl_err *err)
{
	struct rl_trace *t = rl_trace_new();
	struct rl_pipeline p;
	struct rl_sink *sink = NULL;
	int r;

	memset(&p, 0, sizeof(p));
	memset(st, 0, sizeof(*st));
	if (!t)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	r = rl_pipeline_open(&p, fs, t, ro, applied, err);
	if (r >= 0) {
		sink = rl_skew_lx_new(t, e, st, err);
		if (sink)
			((struct skl *)sink)->applied = applied;
		r = sink ? rl_pipeline_run(&p, &sink, 1, NULL, NULL, err) : err->code;
	}
	if (r >= 0 && t->ncpu)
		r = rl_skew_est_reserve(e, t->ncpu, err);
	rl_skew_lx_free(sink);
	rl_pipeline_close(&p);
	rl_trace_free(t);
	return r < 0 ? r : 0;
}

/*
 * How good a solution is for refining: the cpus with an offset (more is
 * better) and the sum of their uncertainties (less is better). Return: 0,
 * or -1 when it has a contradiction or an uncertainty above
 * RL_SKEW_REFINE_MAX (never refined from: a correction that far off could
 * move the stream further from one clock than it was).
 */
static int skl_score(const struct rl_skew_result *res, uint32_t *nest, __int128 *sum)
{
	uint32_t i;

	*nest = 0;
	*sum = 0;
	if (res->ncycle)
		return -1;
	for (i = 0; i < res->ncpu; i++)
		if ((res->cpus[i].quality == RL_SKEW_ACCURATE ||
		     res->cpus[i].quality == RL_SKEW_APPROXIMATE) &&
		    res->cpus[i].uncert > RL_SKEW_REFINE_MAX)
			return -1;
	for (i = 0; i < res->npair; i++)
		if (res->pairs[i].state == RL_SKEW_PAIR_VIOLATION ||
		    res->pairs[i].state == RL_SKEW_PAIR_CYCLE)
			return -1;
	for (i = 0; i < res->ncpu; i++)
		if (res->cpus[i].quality == RL_SKEW_ACCURATE ||
		    res->cpus[i].quality == RL_SKEW_APPROXIMATE) {
			(*nest)++;
			*sum += res->cpus[i].uncert;
		}
	return 0;
}

/**
 * rl_skew_lx_refine() - re-match the causal pairs on times corrected by the estimate
 * @fs:     the inputs (their cursors are opened afresh for each pass)
 * @ro:     reader options
 * @ref:    the reference cpu of the solutions compared
 * @e:      in: the estimator of a first pass; out: that of the best pass
 * @st:     in/out: the counts of that pass
 * @passes: out: the passes behind @e (1: no refining pass was better)
 * @err:    error out
 *
 * Pairs are matched in stream order (an IPI with the target's next handler
 * entry, a wake-up with the next switch-in): when a receiver's clock is
 * behind by more than the delays, its receptions are shown before their
 * causes and match later ones, which is causal but loose. A pass over the
 * stream corrected by the estimate so far matches them again with the skew
 * mostly taken out; its pairs are fed to the estimator on the recorded
 * clocks. A pass is kept when it estimates at least as many cpus with a
 * smaller total uncertainty and no contradiction; up to RL_SKEW_PASSES.
 * A solution is refined only when every uncertainty is at most
 * RL_SKEW_REFINE_MAX: the corrected stream is then within that of one
 * clock, which the pair matching assumes is below the gaps between IPIs to
 * one cpu and the tasks' run-plus-sleep cycles (doc/skew.md).
 *
 * Return: 0, or a negative RL_E_* code from a reader or for memory.
 */
int rl_skew_lx_refine(struct rl_fileset *fs, const struct rl_read_opts *ro, uint32_t ref,
		      struct rl_skew_est *e, struct rl_skew_lx_stats *st, uint32_t *passes,
		      struct rl_err *err)
{
	struct rl_skew_result res, res2;
	struct rl_skew_table tab;
	uint32_t i, n1, n2;
	__int128 s1, s2;
	int r = 0;

	*passes = 1;
	memset(&res, 0, sizeof(res));
	rl_skew_table_init(&tab);
	if (!e->ncpu || ref >= e->ncpu)
		return 0;
	if ((r = rl_skew_est_solve(e, ref, &res, err)) < 0)
		return r;
	while (*passes < RL_SKEW_PASSES && skl_score(&res, &n1, &s1) == 0 && n1 > 1 && s1 > 0) {
		struct rl_skew_est e2;
		struct rl_skew_lx_stats st2;

		rl_skew_table_release(&tab);
		rl_skew_table_init(&tab);
		for (i = 0; i < res.ncpu && r >= 0; i++)
			if (res.cpus[i].quality == RL_SKEW_ACCURATE ||
			    res.cpus[i].quality == RL_SKEW_APPROXIMATE)
				r = rl_skew_table_set(&tab, i, res.cpus[i].offset,
						      res.cpus[i].uncert, err);
		if (r < 0)
			break;
		rl_skew_est_init(&e2);
		e2.drift = e->drift;
		r = skl_pass(fs, ro, &tab, &e2, &st2, err);
		if (r >= 0 && e2.ncpu < e->ncpu)
			r = rl_skew_est_reserve(&e2, e->ncpu, err);
		if (r >= 0)
			r = rl_skew_est_solve(&e2, ref, &res2, err);
		if (r < 0) {
			rl_skew_est_release(&e2);
			break;
		}
		if (skl_score(&res2, &n2, &s2) < 0 || n2 < n1 || s2 >= s1) {
			rl_skew_result_release(&res2);
			rl_skew_est_release(&e2);
			break;
		}
		rl_skew_est_release(e);
		*e = e2;
		*st = st2;
		rl_skew_result_release(&res);
		res = res2;
		(*passes)++;
	}
	rl_skew_result_release(&res);
	rl_skew_table_release(&tab);
	return r < 0 ? r : 0;
}

/**
 * rl_skew_estimate_fileset() - the estimation pass of --skew=estimate over a file set
 * @fs:  the loaded inputs (their cursors are opened afresh: a pass of its own)
 * @ro:  reader options
 * @e:   the estimator (the trace's unit); every cpu of the trace is reserved in it
 * @st:  counts of what was seen
 * @err: error out
 *
 * The file set is read through the pipeline without correction into a trace
 * of its own, its causal pairs (see above) go to @e, and rl_skew_lx_refine()
 * re-matches them on corrected times (against cpu 0).
 *
 * Return: 0, or a negative RL_E_* code from a reader or for memory.
 */
int rl_skew_estimate_fileset(struct rl_fileset *fs, const struct rl_read_opts *ro,
			     struct rl_skew_est *e, struct rl_skew_lx_stats *st, struct rl_err *err)
{
	uint32_t passes;
	int r = skl_pass(fs, ro, NULL, e, st, err);

	return r < 0 ? r : rl_skew_lx_refine(fs, ro, 0, e, st, &passes, err);
}

/* ------------------------------------------- Feather-Trace: IPI compensation */

enum { SKF_CORRECTED, SKF_UNATTRIBUTED, SKF_NO_OFFSET, SKF_UNDECIDED, SKF_NEGATIVE, SKF_N };

struct rl_skew_ft_fix {
	struct skp_walk w; /* the cpu-local records, to infer senders */
	const struct rl_skew_table *st;
	_Atomic uint64_t n[SKF_N];
};

/**
 * rl_skew_ft_fix_new() - the IPI compensation of a Feather-Trace file set
 * @s:   the files (borrowed: must outlive the result)
 * @st:  the offsets in cycles (borrowed)
 * @err: error out
 *
 * Return: the compensation (rl_skew_ft_fix_free()), or NULL with @err set.
 */
struct rl_skew_ft_fix *rl_skew_ft_fix_new(const struct rl_ft_set *s, const struct rl_skew_table *st,
					  struct rl_err *err)
{
	struct rl_skew_ft_fix *x = calloc(1, sizeof(*x));
	int k;

	if (!x)
		goto nomem;
	x->w.s = s;
	x->st = st;
	for (k = 0; k < SKF_N; k++)
		atomic_init(&x->n[k], 0);
	if (skp_index(&x->w) < 0)
		goto nomem;
	return x;
nomem:
	rl_skew_ft_fix_free(x);
	rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory indexing the cpu records");
	return NULL;
}

/**
 * rl_skew_ft_fix_ipi() - one IPI delay on one clock
 * @x:         the compensation
 * @target:    the cpu of the END (and of the msg file's records)
 * @start_ts:  the START's timestamp field (the sender's clock)
 * @pid:       the START's pid (the sender's current task)
 * @delay:     END - START as recorded (signed)
 * @corrected: out: the delay with the two clocks' offsets taken out
 *
 * Safe to call from several threads at once.
 *
 * Return: 1, or 0 when the sender is unknown or a cpu has no offset (counted).
 */
int rl_skew_ft_fix_ipi(struct rl_skew_ft_fix *x, uint32_t target, uint64_t start_ts, uint16_t pid,
		       int64_t delay, int64_t *corrected)
{
	struct rl_ft_rec start;
	int64_t unc;
	int tie, from;

	memset(&start, 0, sizeof(start));
	start.ts = start_ts;
	start.pid = pid;
	from = skp_sender(&x->w, &start, target, &tie);
	if (from < 0) {
		atomic_fetch_add_explicit(&x->n[SKF_UNATTRIBUTED], 1, memory_order_relaxed);
		return 0;
	}
	if (!rl_skew_ipi_correct(x->st, (uint32_t)from, target, delay, corrected, &unc)) {
		atomic_fetch_add_explicit(&x->n[SKF_NO_OFFSET], 1, memory_order_relaxed);
		return 0;
	}
	atomic_fetch_add_explicit(&x->n[SKF_CORRECTED], 1, memory_order_relaxed);
	if (rl_skew_undecided(*corrected, unc))
		atomic_fetch_add_explicit(&x->n[SKF_UNDECIDED], 1, memory_order_relaxed);
	if (*corrected < 0)
		atomic_fetch_add_explicit(&x->n[SKF_NEGATIVE], 1, memory_order_relaxed);
	return 1;
}

/**
 * rl_skew_ft_fix_counts() - what the compensation did so far
 * @x: the compensation
 * @c: out: the counts
 */
void rl_skew_ft_fix_counts(const struct rl_skew_ft_fix *x, struct rl_skew_ft_fix_counts *c)
{
	struct rl_skew_ft_fix *m =
		(struct rl_skew_ft_fix *)x; /* atomic loads of our own counters */

	c->corrected = atomic_load(&m->n[SKF_CORRECTED]);
	c->unattributed = atomic_load(&m->n[SKF_UNATTRIBUTED]);
	c->no_offset = atomic_load(&m->n[SKF_NO_OFFSET]);
	c->undecided = atomic_load(&m->n[SKF_UNDECIDED]);
	c->negative = atomic_load(&m->n[SKF_NEGATIVE]);
}

/**
 * rl_skew_ft_fix_free() - free a compensation
 * @x: it, or NULL
 */
void rl_skew_ft_fix_free(struct rl_skew_ft_fix *x)
{
	if (!x)
		return;
	skp_walk_free(&x->w);
	free(x);
}
