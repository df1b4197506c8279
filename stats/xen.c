/*
 * stats/xen.c - the hypervisor's view of a xentrace trace (xen.md §3).
 *
 * Per VCPU: a runstate machine driven by the runstate-change records
 * (0x21xx1, old and new state in the id). Time is accumulated per state from
 * the VCPU's first runstate record to the end of the trace; runnable time is
 * split into "wake" (came from blocked/offline) and "preempt" (came from
 * running), as xenalyze does. A runnable->running change is a dispatch and
 * its runnable time a wait sample. A record whose old state disagrees with
 * the tracked one (lost records, cross-CPU TSC skew) is counted as a
 * mismatch and the tracked state is corrected. A lost-records gap puts the
 * VCPUs that may have run on that PCPU in a "lost" state until their next
 * record.
 *
 * Per PCPU: who runs from the switch-in/out events (cpu = PCPU); busy
 * (a guest or dom0), idle (domain 32767) and other (between a switch-out and
 * the next switch-in, or unknown) time over the PCPU's first to last record.
 *
 * RTDS: each BUDGET_REPLENISH starts a server period ("job") of the VCPU with
 * its absolute deadline and budget (Xen system time, ns); BUDGET_BURN
 * records add consumed budget and give the remaining one. At the next
 * replenish the period ends: depleted if the budget reached 0, a deadline
 * miss if budget was left while the VCPU still wanted to run (running or
 * runnable). The period P is the most common deadline step; the offset from
 * Xen time to the trace timeline is the lower envelope of (replenish time -
 * previous deadline), since the replenishment timer fires at the deadline.
 *
 * Overheads (same-PCPU spans unless noted, xen.md §3.7): sched = SCHEDULE
 * record -> the decision's outcome (INFPREV, INFCONT or CONTINUE_RUNNING);
 * switch = INFPREV -> switch-in of the next VCPU; tickle = TICKLE of cpu X ->
 * next SCHEDULE on X flagged tickled (cross-CPU); irq = IRQ_HANDLED span;
 * research builds' own measurements (RT-Xen 0x24001-5, mode-change RTDS
 * 0x2280d/e) as recorded.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#define XEN_IDLE_DOM 32767

enum { XS_RUN, XS_RUNNABLE, XS_BLOCKED, XS_OFFLINE, XS_LOST, XS_NSTATES, XS_NONE = 255 };

static const char *const oh_names[RL_XOH_N] = {
	"sched",
	"switch",
	"tickle",
	"irq",
	"rtxen_sched_latency",
	"rtxen_context_switch",
	"rtxen_context_saved",
	"rtxen_wake",
	"rtxen_sleep",
	"mc_sched_time",
	"mc_context_time",
};

#define XR_NDD 16

struct xen_rt_val {
	int64_t d;
	uint64_t n;
};

struct xen_rt {
	int64_t repl_ts, deadline, prev_deadline, budget, consumed, remaining, depleted_ts;
	int64_t last_deadline;
	/* the current period's schedule, for its job row */
	int64_t first_start, last_stop, block_since, susp_time;
	uint32_t preempts, migrations, suspensions, last_cpu;
	struct xen_rt_val dd[XR_NDD], bb[XR_NDD]; /* deadline steps and budgets seen, how often */
	uint32_t ndd, nbb, job, burns;
	uint8_t active, depleted, has_last, blocked;
};

struct xen_vcpu {
	int64_t since;
	int64_t time[XS_NSTATES];
	int64_t wake_time, preempt_time;
	uint64_t entries[XS_NSTATES];
	uint64_t dispatches, wakes, preempts, migrations, mismatches, backwards;
	uint32_t last_cpu, run_cpu;
	uint8_t state, runnable_wake, seen, pad_;
	struct xen_rt rt;
};

struct xen_pcpu {
	int64_t first, last, since;
	int64_t busy, idle, other;
	uint64_t switches;
	uint32_t cur;
	uint8_t seen, sched_pending, infprev_pending, tickle_pending;
	int64_t sched_at, infprev_at, tickle_at;
};

struct xen_rt_row {
	int64_t repl_ts, deadline, prev_deadline, budget, consumed, remaining, depleted_ts, end_ts;
	int64_t first_start, last_stop, susp_time;
	uint32_t task, job, burns;
	uint32_t preempts, migrations, suspensions;
	uint8_t incomplete, miss, depleted, pad_;
};

struct xen_oh_row {
	int64_t ts, ns;
	uint32_t cpu, pad_;
};

struct rl_xen {
	struct rl_sink sink;
	struct rl_trace *t;
	struct xen_vcpu *v;
	uint32_t nv, cap_v;
	struct xen_pcpu *p;
	uint32_t np, cap_p;
	uint32_t *ids; /* string id -> xentrace event id + 1 (0 unknown, UINT32_MAX not one) */
	uint32_t nids, cap_ids;
	struct rl_rowstore *waits; /* int64 wait samples keyed by task */
	struct rl_rowstore *rt;	   /* struct xen_rt_row keyed by task */
	struct rl_rowstore *oh;	   /* struct xen_oh_row keyed by kind (keep_rows only) */
	struct rl_ovh *h;	   /* overhead series (NULL: not extracted) */
	struct rl_xen_ovh_opts oo;
	uint32_t oh_group;
	uint8_t tickle_flag; /* SCHEDULE records say whether they were tickled */
	int64_t first_ts, last_ts;
	int64_t rt_off; /* trace ns - Xen ns */
	uint64_t events, lost_events, lost_records;
	uint8_t has_rt_off, started;
};

/*
 * RTDS deadlines and budgets come from payload words: any 64-bit value. Their
 * arithmetic wraps instead of overflowing (a garbage value gives a garbage
 * row, never undefined behaviour).
 */
static int64_t xsub(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a - (uint64_t)b);
}

static int64_t xadd(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

/* -------------------------------------------------------------- lookups */

static uint32_t xen_id(struct rl_xen *x, uint32_t name)
{
	uint32_t v;

	if (name >= x->nids) {
		if (name == UINT32_MAX ||
		    rl_grow_zero((void **)&x->ids, &x->cap_ids, name + 1, sizeof(*x->ids)))
			return 0;
		x->nids = name + 1;
	}
	v = x->ids[name];
	if (!v) {
		const char *s = rl_strtab_get(x->t->strs, name);
		char *end;
		unsigned long id;

		v = UINT32_MAX;
		if (s[0] == '0' && s[1] == 'x' && strlen(s) == 10) {
			id = strtoul(s + 2, &end, 16);
			if (!*end && id < 0x10000000ul)
				v = (uint32_t)id + 1;
		}
		x->ids[name] = v;
	}
	return v == UINT32_MAX ? 0 : v - 1;
}

static struct xen_vcpu *xen_vcpu(struct rl_xen *x, uint32_t task)
{
	if (task == RL_NO_TASK)
		return NULL;
	if (task >= x->nv) {
		uint32_t old = x->nv, i;

		if (rl_grow_zero((void **)&x->v, &x->cap_v, task + 1, sizeof(*x->v)))
			return NULL;
		for (i = old; i <= task; i++) {
			x->v[i].state = XS_NONE;
			x->v[i].last_cpu = RL_NO_CPU;
		}
		x->nv = task + 1;
	}
	return &x->v[task];
}

static struct xen_pcpu *xen_pcpu(struct rl_xen *x, uint32_t cpu)
{
	if (cpu == RL_NO_CPU)
		return NULL;
	if (cpu >= x->np) {
		uint32_t old = x->np, i;

		if (rl_grow_zero((void **)&x->p, &x->cap_p, cpu + 1, sizeof(*x->p)))
			return NULL;
		for (i = old; i <= cpu; i++)
			x->p[i].cur = RL_NO_TASK;
		x->np = cpu + 1;
	}
	return &x->p[cpu];
}

/* A runstate change id: 0x21001 | old << 8 | new << 4, old != new, both <= 3. */
static int xen_is_runstate(uint32_t id)
{
	return (id & 0x0ffff00f) == 0x00021001 && ((id >> 8) & 0xf) <= 3 &&
	       ((id >> 4) & 0xf) <= 3 && ((id >> 8) & 0xf) != ((id >> 4) & 0xf);
}

static int xen_is_idle(const struct rl_xen *x, uint32_t task)
{
	return task < x->t->ntasks && x->t->tasks[task].domain == XEN_IDLE_DOM;
}

/* ------------------------------------------------------------ runstates */

static void xen_vcpu_close(struct xen_vcpu *v, int64_t ts)
{
	int64_t d = ts - v->since;

	if (v->state >= XS_NSTATES)
		return;
	if (d < 0) {
		v->backwards++;
		d = 0;
	}
	v->time[v->state] += d;
	if (v->state == XS_RUNNABLE) {
		if (v->runnable_wake)
			v->wake_time += d;
		else
			v->preempt_time += d;
	}
	v->since = ts > v->since ? ts : v->since;
}

/*
 * The schedule of a VCPU's current RTDS period: first dispatch, last stop,
 * preemptions (running -> runnable before the budget ran out: a depleted
 * VCPU is parked, not preempted), PCPU changes between dispatches, and
 * suspensions (running -> blocked) with the time spent blocked or offline.
 */
static void xen_rt_runstate(struct xen_vcpu *v, unsigned o, unsigned n, const struct rl_event *ev)
{
	struct xen_rt *rt = &v->rt;

	if (!rt->active)
		return;
	if (rt->blocked && n != XS_BLOCKED && n != XS_OFFLINE) {
		int64_t from = rt->block_since > rt->repl_ts ? rt->block_since : rt->repl_ts;

		if (ev->ts > from)
			rt->susp_time = xadd(rt->susp_time, ev->ts - from);
		rt->blocked = 0;
	}
	if (n == XS_RUN) {
		if (rt->first_start == RL_TIME_UNKNOWN)
			rt->first_start = ev->ts;
		if (rt->last_cpu != RL_NO_CPU && rt->last_cpu != ev->cpu)
			rt->migrations++;
		rt->last_cpu = ev->cpu;
	}
	if (o == XS_RUN) {
		rt->last_stop = ev->ts;
		if (n == XS_RUNNABLE && !rt->depleted)
			rt->preempts++;
		else if (n == XS_BLOCKED)
			rt->suspensions++;
	}
	if ((n == XS_BLOCKED || n == XS_OFFLINE) && !rt->blocked) {
		rt->blocked = 1;
		rt->block_since = ev->ts;
	}
}

static int xen_runstate(struct rl_xen *x, const struct rl_event *ev, uint32_t id,
			struct rl_err *err)
{
	unsigned o = (id >> 8) & 0xf, n = (id >> 4) & 0xf;
	struct xen_vcpu *v = xen_vcpu(x, ev->task);
	int64_t wait = -1;

	if (!v)
		return ev->task == RL_NO_TASK
			       ? 0
			       : rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	if (v->state == XS_NONE) {
		v->seen = 1;
		v->since = ev->ts;
	} else {
		if (v->state != o && v->state != XS_LOST)
			v->mismatches++;
		if (v->state == XS_RUNNABLE && o == XS_RUNNABLE && n == XS_RUN)
			wait = ev->ts - v->since;
		xen_vcpu_close(v, ev->ts);
	}
	xen_rt_runstate(v, o, n, ev);
	v->state = (uint8_t)n;
	v->entries[n]++;
	if (n == XS_RUNNABLE) {
		v->runnable_wake = o != XS_RUN;
		if (v->runnable_wake)
			v->wakes++;
		else
			v->preempts++;
	}
	if (n == XS_RUN) {
		v->dispatches++;
		if (v->last_cpu != RL_NO_CPU && v->last_cpu != ev->cpu)
			v->migrations++;
		v->last_cpu = ev->cpu;
		v->run_cpu = ev->cpu;
		if (wait >= 0 && rl_rowstore_add(x->waits, ev->task, &wait, err))
			return err->code;
	}
	return 0;
}

/* ------------------------------------------------------------- PCPUs */

static void xen_pcpu_account(struct rl_xen *x, struct xen_pcpu *p, int64_t ts)
{
	int64_t d = ts - p->since;

	if (d <= 0)
		return;
	if (p->cur == RL_NO_TASK)
		p->other += d;
	else if (xen_is_idle(x, p->cur))
		p->idle += d;
	else
		p->busy += d;
	p->since = ts;
}

/* -------------------------------------------------------------- RTDS */

static int xen_rt_end(struct rl_xen *x, uint32_t task, struct xen_vcpu *v, int64_t ts,
		      int incomplete, struct rl_err *err)
{
	struct xen_rt *rt = &v->rt;
	struct xen_rt_row row;

	if (!rt->active)
		return 0;
	memset(&row, 0, sizeof(row));
	row.repl_ts = rt->repl_ts;
	row.deadline = rt->deadline;
	row.prev_deadline = rt->prev_deadline;
	row.budget = rt->budget;
	row.consumed = rt->consumed;
	row.remaining = rt->remaining;
	row.depleted_ts = rt->depleted ? rt->depleted_ts : RL_TIME_UNKNOWN;
	row.end_ts = ts;
	row.first_start = rt->first_start;
	row.last_stop = rt->last_stop;
	row.susp_time = rt->susp_time;
	if (rt->blocked) {
		int64_t from = rt->block_since > rt->repl_ts ? rt->block_since : rt->repl_ts;

		if (ts > from)
			row.susp_time = xadd(row.susp_time, ts - from);
	}
	row.preempts = rt->preempts;
	row.migrations = rt->migrations;
	row.suspensions = rt->suspensions;
	row.task = task;
	row.job = rt->job;
	row.burns = rt->burns;
	row.depleted = rt->depleted;
	row.incomplete = (uint8_t)incomplete;
	row.miss = !incomplete && !rt->depleted && rt->remaining > 0 &&
		   (v->state == XS_RUN || v->state == XS_RUNNABLE);
	rt->active = 0;
	return rl_rowstore_add(x->rt, task, &row, err);
}

/* Count @val in a small (value, count) table; values past its size are not counted. */
static void xen_rt_count(struct xen_rt_val *tab, uint32_t *n, int64_t val)
{
	uint32_t i;

	for (i = 0; i < *n && tab[i].d != val; i++)
		;
	if (i < *n)
		tab[i].n++;
	else if (*n < XR_NDD) {
		tab[*n].d = val;
		tab[(*n)++].n = 1;
	}
}

static int xen_rt_replenish(struct rl_xen *x, const struct rl_event *ev, struct rl_err *err)
{
	struct xen_vcpu *v = xen_vcpu(x, ev->task);
	struct xen_rt *rt;
	int r;

	if (!v)
		return 0;
	rt = &v->rt;
	r = xen_rt_end(x, ev->task, v, ev->ts, 0, err);
	if (r < 0)
		return r;
	if (rt->has_last) {
		int64_t step = xsub(ev->arg, rt->last_deadline),
			cand = xsub(ev->ts, rt->last_deadline);

		if (step > 0)
			xen_rt_count(rt->dd, &rt->ndd, step);
		if (!x->has_rt_off || cand < x->rt_off) {
			x->rt_off = cand;
			x->has_rt_off = 1;
		}
	}
	xen_rt_count(rt->bb, &rt->nbb, ev->arg2);
	rt->prev_deadline = rt->has_last ? rt->last_deadline : RL_TIME_UNKNOWN;
	rt->last_deadline = ev->arg;
	rt->has_last = 1;
	rt->active = 1;
	rt->job++;
	rt->repl_ts = ev->ts;
	rt->deadline = ev->arg;
	rt->budget = ev->arg2;
	rt->remaining = ev->arg2;
	rt->consumed = 0;
	rt->burns = 0;
	rt->depleted = 0;
	rt->preempts = rt->migrations = rt->suspensions = 0;
	rt->susp_time = 0;
	rt->last_stop = RL_TIME_UNKNOWN;
	/* replenished while running: the period's service starts now, on that PCPU */
	rt->first_start = v->state == XS_RUN ? ev->ts : RL_TIME_UNKNOWN;
	rt->last_cpu = v->state == XS_RUN ? v->run_cpu : RL_NO_CPU;
	rt->blocked = v->state == XS_BLOCKED || v->state == XS_OFFLINE;
	rt->block_since = ev->ts;
	return 0;
}

static void xen_rt_burn(struct rl_xen *x, const struct rl_event *ev)
{
	struct xen_vcpu *v = xen_vcpu(x, ev->task);
	struct xen_rt *rt;

	if (!v || !v->rt.active)
		return;
	rt = &v->rt;
	rt->burns++;
	if (ev->arg2 > 0)
		rt->consumed = xadd(rt->consumed, ev->arg2);
	rt->remaining = ev->arg;
	if (ev->arg <= 0 && !rt->depleted) {
		rt->depleted = 1;
		rt->depleted_ts = ev->ts;
	}
}

/* The most common value of a table (the smaller on a tie), -1 for an empty one. */
static int64_t xen_rt_mode(const struct xen_rt_val *tab, uint32_t n)
{
	uint64_t best = 0;
	int64_t p = -1;
	uint32_t i;

	for (i = 0; i < n; i++)
		if (tab[i].n > best || (tab[i].n == best && tab[i].d < p)) {
			best = tab[i].n;
			p = tab[i].d;
		}
	return p;
}

static int64_t xen_rt_period(const struct xen_rt *rt)
{
	return xen_rt_mode(rt->dd, rt->ndd);
}

/* ---------------------------------------------------------- overheads */

/* The series of @kind (on @cpu with per_cpu). Return: 1 in *@si, 0 not extracted, < 0 error. */
static int xen_oh_series(struct rl_xen *x, int kind, uint32_t cpu, uint32_t *si, struct rl_err *err)
{
	int64_t r;

	if (!x->h || (x->oo.want && !(x->oo.want & (1u << kind))))
		return 0;
	r = rl_ovh_series_at(x->h, x->oh_group, (unsigned)kind,
			     x->oo.per_cpu && cpu < 65535 ? (int)cpu : -1, err);
	if (r < 0)
		return (int)r;
	*si = (uint32_t)r;
	return 1;
}

/* A sample of @kind ending at @ts on @cpu; negative ones are left out and counted. */
static int xen_oh(struct rl_xen *x, int kind, uint32_t cpu, int64_t ts, int64_t ns,
		  struct rl_err *err)
{
	static const struct rl_interval_rules ru = {0};
	struct xen_oh_row row = {ts, ns, cpu, 0};
	struct rl_interval_facts fa = {0};
	enum rl_discard why;
	uint32_t si = 0;
	int r = xen_oh_series(x, kind, cpu, &si, err);

	if (r <= 0)
		return r;
	fa.negative = ns < 0;
	why = rl_judge_interval(&fa, &ru);
	if (why != RL_DISCARD_KEEP) {
		rl_ovh_discard(x->h, si, why);
		return 0;
	}
	if (x->oo.keep_rows) {
		r = rl_rowstore_add(x->oh, (uint32_t)kind, &row, err);
		if (r < 0)
			return r;
	}
	return rl_ovh_push(x->h, si, ns, err);
}

/* A span of @kind started on @cpu that gives no sample, for @reason. */
static int xen_oh_drop(struct rl_xen *x, int kind, uint32_t cpu, enum rl_discard reason,
		       struct rl_err *err)
{
	uint32_t si = 0;
	int r = xen_oh_series(x, kind, cpu, &si, err);

	if (r <= 0)
		return r;
	rl_ovh_discard(x->h, si, reason);
	return 0;
}

/* Close the spans pending on PCPU @cpu without a sample, for @reason. */
static int xen_oh_drop_pending(struct rl_xen *x, struct xen_pcpu *p, uint32_t cpu,
			       enum rl_discard reason, struct rl_err *err)
{
	int r = 0;

	if (p->sched_pending)
		r = xen_oh_drop(x, RL_XOH_SCHED, cpu, reason, err);
	if (p->infprev_pending && r >= 0)
		r = xen_oh_drop(x, RL_XOH_SWITCH, cpu, reason, err);
	/* a tickle is a span only where SCHEDULE records carry the tickled flag */
	if (p->tickle_pending && x->tickle_flag && r >= 0)
		r = xen_oh_drop(x, RL_XOH_TICKLE, cpu, reason, err);
	p->sched_pending = p->infprev_pending = p->tickle_pending = 0;
	return r;
}

/* Is this SCHEDULE record flagged "tickled"? -1 when the layout has no flag. */
static int xen_sched_tickled(uint32_t id, int64_t arg)
{
	if (id == 0x00022806)
		return (int)((arg >> 24) & 0xf) != 0;
	if (id == 0x00022215)
		return (int)(((uint64_t)arg >> 56) & 0xff) != 0;
	return -1;
}

/* --------------------------------------------------------------- sink */

/*
 * One xentrace event. (Over 100 lines: one case per scheduler event id of
 * the runstate, RTDS and overhead analyses.)
 */
static int xen_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_xen *x = (struct rl_xen *)s;
	struct xen_pcpu *p = xen_pcpu(x, ev->cpu);
	uint32_t id = xen_id(x, ev->name);
	int r = 0;

	if ((ev->cpu != RL_NO_CPU && !p) || !x->ids)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	x->events++;
	/*
	 * Observed spans run from the first to the last runstate change or lost
	 * record (of the trace, of a PCPU): the records every view reads, so the
	 * numbers do not depend on which other records were decoded.
	 */
	if (ev->type == RL_EV_LOST || (xen_is_runstate(id) && !(ev->flags & RL_EVF_RAW))) {
		if (!x->started || ev->ts < x->first_ts)
			x->first_ts = ev->ts;
		if (!x->started || ev->ts > x->last_ts)
			x->last_ts = ev->ts;
		x->started = 1;
		if (p) {
			if (!p->seen) {
				p->seen = 1;
				p->first = p->since = ev->ts;
			}
			if (ev->ts > p->last)
				p->last = ev->ts;
		}
	}
	switch (ev->type) {
	case RL_EV_SWITCH_IN:
		if (p) {
			xen_pcpu_account(x, p, ev->ts);
			p->cur = ev->task;
			p->switches++;
			if (p->infprev_pending) {
				p->infprev_pending = 0;
				r = xen_oh(x, RL_XOH_SWITCH, ev->cpu, ev->ts,
					   ev->ts - p->infprev_at, err);
			}
		}
		break;
	case RL_EV_SWITCH_OUT:
		if (p) {
			xen_pcpu_account(x, p, ev->ts);
			p->cur = RL_NO_TASK;
		}
		break;
	case RL_EV_LOST: {
		uint32_t i;

		x->lost_events++;
		if (ev->arg > 0)
			x->lost_records += (uint64_t)ev->arg;
		if (p) {
			xen_pcpu_account(x, p, ev->ts);
			p->cur = RL_NO_TASK;
			/* the end of a span open here may be among the lost records */
			r = xen_oh_drop_pending(x, p, ev->cpu, RL_DISCARD_LOST, err);
			if (r < 0)
				return r;
		}
		/* who may have run on this PCPU during the gap is unknown */
		for (i = 0; i < x->nv; i++) {
			struct xen_vcpu *v = &x->v[i];

			if (v->state == XS_NONE || (v->state == XS_RUN && v->run_cpu != ev->cpu))
				continue;
			xen_vcpu_close(v, ev->ts);
			v->state = XS_LOST;
			v->entries[XS_LOST]++;
		}
		break;
	}
	case RL_EV_IPI_SEND: {
		struct xen_pcpu *tp;

		if (ev->arg < 0 || ev->arg >= x->t->ncpu) /* not a PCPU of this trace */
			break;
		tp = xen_pcpu(x, (uint32_t)ev->arg);
		if (!tp)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		p = ev->cpu != RL_NO_CPU ? &x->p[ev->cpu] : NULL; /* the array may have moved */
		if (!tp->tickle_pending) {
			tp->tickle_pending = 1;
			tp->tickle_at = ev->ts;
		}
		break;
	}
	default:
		break;
	}
	if (r < 0)
		return r;
	if (!id)
		return 0;
	if (ev->flags & RL_EVF_RAW)
		return 0;
	if (xen_is_runstate(id) && ev->task != RL_NO_TASK)
		return xen_runstate(x, ev, id, err);
	switch (id) {
	case 0x00022804:
		return xen_rt_replenish(x, ev, err);
	case 0x00022803:
		xen_rt_burn(x, ev);
		return 0;
	case 0x00022806:
	case 0x00022009:
	case 0x00022215: {
		int tk;

		if (!p)
			return 0;
		/* a new decision: the previous one, or the previous switch, never ended */
		if (p->sched_pending)
			r = xen_oh_drop(x, RL_XOH_SCHED, ev->cpu, RL_DISCARD_INCOMPLETE, err);
		if (p->infprev_pending && r >= 0)
			r = xen_oh_drop(x, RL_XOH_SWITCH, ev->cpu, RL_DISCARD_INCOMPLETE, err);
		if (r < 0)
			return r;
		p->sched_pending = 1;
		p->sched_at = ev->ts;
		p->infprev_pending = 0;
		tk = xen_sched_tickled(id, ev->arg);
		if (tk >= 0)
			x->tickle_flag = 1;
		if (tk > 0 && p->tickle_pending) {
			p->tickle_pending = 0;
			return xen_oh(x, RL_XOH_TICKLE, ev->cpu, ev->ts, ev->ts - p->tickle_at,
				      err);
		}
		if (tk == 0 && p->tickle_pending) { /* this decision was not the tickled one */
			p->tickle_pending = 0;
			return xen_oh_drop(x, RL_XOH_TICKLE, ev->cpu, RL_DISCARD_INCOMPLETE, err);
		}
		return 0;
	}
	case 0x0002800e:
	case 0x00028011:
	case 0x00021002:
		if (!p)
			return 0;
		if (p->sched_pending) {
			p->sched_pending = 0;
			r = xen_oh(x, RL_XOH_SCHED, ev->cpu, ev->ts, ev->ts - p->sched_at, err);
		}
		if (id == 0x0002800e) {
			if (p->infprev_pending && r >= 0) /* a switch without its switch-in */
				r = xen_oh_drop(x, RL_XOH_SWITCH, ev->cpu, RL_DISCARD_INCOMPLETE,
						err);
			p->infprev_pending = 1;
			p->infprev_at = ev->ts;
		}
		return r;
	case 0x00802008:
		return xen_oh(x, RL_XOH_IRQ, ev->cpu, ev->ts, ev->arg2, err);
	case 0x00024001:
	case 0x00024002:
	case 0x00024003:
	case 0x00024004:
	case 0x00024005:
		if (ev->task != RL_NO_TASK)
			return xen_oh(x, RL_XOH_RTX_SCHED + (int)(id - 0x00024001), ev->cpu, ev->ts,
				      ev->arg, err);
		return 0;
	case 0x0002280d:
	case 0x0002280e:
		if (ev->task != RL_NO_TASK)
			return xen_oh(x, id == 0x0002280d ? RL_XOH_MC_SCHED : RL_XOH_MC_CONTEXT,
				      ev->cpu, ev->ts, ev->arg, err);
		return 0;
	default:
		return 0;
	}
}

static int xen_finish(struct rl_sink *s, struct rl_err *err)
{
	struct rl_xen *x = (struct rl_xen *)s;
	uint32_t i;
	int r;

	for (i = 0; i < x->np; i++) {
		if (x->p[i].seen)
			xen_pcpu_account(x, &x->p[i], x->p[i].last);
		r = xen_oh_drop_pending(x, &x->p[i], i, RL_DISCARD_INCOMPLETE, err);
		if (r < 0)
			return r;
	}
	for (i = 0; i < x->nv; i++) {
		struct xen_vcpu *v = &x->v[i];

		if (v->state != XS_NONE)
			xen_vcpu_close(v, x->last_ts);
		r = xen_rt_end(x, i, v, x->last_ts, 1, err);
		if (r < 0)
			return r;
		/* an RTDS VCPU is a periodic server: its usual budget and period */
		if (v->rt.job && i < x->t->ntasks) {
			struct rl_task *tk = &x->t->tasks[i];

			tk->wcet = xen_rt_mode(v->rt.bb, v->rt.nbb);
			tk->period = xen_rt_period(&v->rt);
			tk->deadline = tk->period;
			tk->has_param = tk->period > 0;
		}
	}
	return x->h ? rl_ovh_flush(x->h, err) : 0;
}

/**
 * rl_xen_new() - create the xentrace analysis
 * @t:   the trace whose events it will see
 * @err: error out
 *
 * Return: the analysis, or NULL with @err set.
 */
struct rl_xen *rl_xen_new(struct rl_trace *t, struct rl_err *err)
{
	struct rl_xen *x = calloc(1, sizeof(*x));

	if (!x)
		goto nomem;
	x->t = t;
	x->sink.event = xen_event;
	x->sink.finish = xen_finish;
	x->waits = rl_rowstore_new(sizeof(int64_t), 0);
	x->rt = rl_rowstore_new(sizeof(struct xen_rt_row), 0);
	x->oh = rl_rowstore_new(sizeof(struct xen_oh_row), 0);
	if (!x->waits || !x->rt || !x->oh)
		goto nomem;
	if (rl_grow_zero((void **)&x->ids, &x->cap_ids, 64, sizeof(*x->ids)))
		goto nomem;
	return x;
nomem:
	rl_xen_free(x);
	rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	return NULL;
}

/**
 * rl_xen_sink() - the analysis as a sink for rl_run()
 * @x: the analysis
 *
 * Return: its sink.
 */
struct rl_sink *rl_xen_sink(struct rl_xen *x)
{
	return &x->sink;
}

/**
 * rl_xen_free() - free the analysis
 * @x: the analysis (NULL is a no-op)
 */
void rl_xen_free(struct rl_xen *x)
{
	if (!x)
		return;
	rl_rowstore_free(x->waits);
	rl_rowstore_free(x->rt);
	rl_rowstore_free(x->oh);
	rl_ovh_free(x->h);
	free(x->v);
	free(x->p);
	free(x->ids);
	free(x);
}

/* ------------------------------------------------------------- output */

struct xen_vec {
	int64_t *v;
	uint32_t n, cap;
};

static int xen_vec_push(void *arg, const void *row, struct rl_err *err)
{
	struct xen_vec *vec = arg;

	if (rl_grow((void **)&vec->v, &vec->cap, vec->n + 1, sizeof(*vec->v)))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	memcpy(&vec->v[vec->n++], row, sizeof(int64_t));
	return 0;
}

/* (domain, vcpu) packed above the task index: sorting the keys sorts the VCPUs. */
static int xen_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* VCPU task indices with any runstate (or RTDS period), sorted by (domain, vcpu). */
static uint32_t *xen_sorted_vcpus(const struct rl_xen *x, uint32_t *n, int rt_only)
{
	uint64_t *keys = malloc((x->nv ? x->nv : 1) * sizeof(*keys));
	uint32_t *v = malloc((x->nv ? x->nv : 1) * sizeof(*v)), i, k = 0;

	if (!v || !keys) {
		free(keys);
		free(v);
		return NULL;
	}
	for (i = 0; i < x->nv && i < x->t->ntasks; i++)
		if ((!rt_only && x->v[i].seen) || (rt_only && x->v[i].rt.job)) {
			const struct rl_task *tk = &x->t->tasks[i];

			keys[k++] = (uint64_t)(tk->domain & 0xffff) << 48 |
				    (uint64_t)(tk->pid & 0xffff) << 32 | i;
		}
	qsort(keys, k, sizeof(*keys), xen_u64_cmp);
	for (i = 0; i < k; i++)
		v[i] = (uint32_t)keys[i];
	free(keys);
	*n = k;
	return v;
}

static double xen_s(int64_t ns)
{
	return (double)ns / 1e9;
}

/* Output shapes of the section writers: rl_xen_write()'s format. */
enum xen_mode { XM_TABLE, XM_CSV, XM_JSON };

/* A JSON member "name":v, or "name":null when @ok is false; @sep before it. */
static void xen_json_i(FILE *f, const char *sep, const char *name, int64_t v, int ok)
{
	if (ok)
		fprintf(f, "%s\"%s\":%lld", sep, name, (long long)v);
	else
		fprintf(f, "%s\"%s\":null", sep, name);
}

/*
 * The per-VCPU runstate section as table, CSV or JSON. (Over 100 lines: the
 * header and the row of each format side by side, so that their columns stay
 * in step.)
 */
static int xen_write_vcpus(struct rl_xen *x, FILE *f, enum xen_mode mode, struct rl_err *err)
{
	int csv = mode == XM_CSV;
	uint32_t n, i, k;
	uint32_t *order = xen_sorted_vcpus(x, &n, 0);
	struct xen_vec w = {0};
	int r = 0;

	if (!order)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	if (mode == XM_JSON)
		fputs("\"vcpus\":[", f);
	else if (csv)
		fprintf(f,
			"domain,vcpu,observed_ns,running_ns,runnable_ns,runnable_wake_ns,"
			"runnable_preempt_ns,blocked_ns,offline_ns,lost_ns,running_n,runnable_n,"
			"wakes,preempts,blocked_n,dispatches,wait_p50_ns,wait_p95_ns,wait_p99_ns,"
			"wait_max_ns,migrations,mismatches\n");
	else
		fprintf(f,
			"Per-VCPU runstates (seconds and share of the VCPU's observed time; "
			"waits = runnable -> running, us)\n"
			"%-10s %9s %17s %17s %17s %9s %6s %6s %6s %6s %9s %9s %9s %9s %5s %5s\n",
			"vcpu", "observed", "running", "runnable", "blocked", "lost", "disp",
			"wakes", "preem", "block", "wait_p50", "wait_p95", "wait_p99", "wait_max",
			"migr", "mism");
	for (k = 0; k < n; k++) {
		const struct xen_vcpu *v = &x->v[order[k]];
		const struct rl_task *tk = &x->t->tasks[order[k]];
		int64_t obs = 0;
		double q[4] = {0, 0, 0, 0};

		for (i = 0; i < XS_NSTATES; i++)
			obs += v->time[i];
		w.n = 0;
		r = rl_rowstore_each(x->waits, order[k], xen_vec_push, &w, err);
		if (r < 0)
			goto out;
		if (w.n) {
			int64_t *tmp = malloc((size_t)w.n * sizeof(*tmp));

			rl_ovh_sort(w.v, tmp, w.n); /* no scratch: qsort */
			free(tmp);
			q[0] = rl_quantile_sorted(w.v, w.n, 0.5);
			q[1] = rl_quantile_sorted(w.v, w.n, 0.95);
			q[2] = rl_quantile_sorted(w.v, w.n, 0.99);
			q[3] = (double)w.v[w.n - 1];
		}
		if (mode == XM_JSON) {
			fprintf(f,
				"%s\n{\"domain\":%d,\"vcpu\":%d,\"observed_ns\":%lld,"
				"\"running_ns\":%lld,\"runnable_ns\":%lld,\"runnable_wake_ns\":%"
				"lld,"
				"\"runnable_preempt_ns\":%lld,\"blocked_ns\":%lld,\"offline_ns\":%"
				"lld,"
				"\"lost_ns\":%lld,\"running_n\":%llu,\"runnable_n\":%llu,"
				"\"wakes\":%llu,\"preempts\":%llu,\"blocked_n\":%llu,"
				"\"dispatches\":%llu",
				k ? "," : "", tk->domain, tk->pid, (long long)obs,
				(long long)v->time[XS_RUN], (long long)v->time[XS_RUNNABLE],
				(long long)v->wake_time, (long long)v->preempt_time,
				(long long)v->time[XS_BLOCKED], (long long)v->time[XS_OFFLINE],
				(long long)v->time[XS_LOST], (unsigned long long)v->entries[XS_RUN],
				(unsigned long long)v->entries[XS_RUNNABLE],
				(unsigned long long)v->wakes, (unsigned long long)v->preempts,
				(unsigned long long)v->entries[XS_BLOCKED],
				(unsigned long long)v->dispatches);
			if (w.n)
				fprintf(f,
					",\"wait_p50_ns\":%.0f,\"wait_p95_ns\":%.0f,"
					"\"wait_p99_ns\":%.0f,\"wait_max_ns\":%.0f",
					q[0], q[1], q[2], q[3]);
			else /* no wait observed: no quantiles (the CSV's zeros mean the same) */
				fputs(",\"wait_p50_ns\":null,\"wait_p95_ns\":null,"
				      "\"wait_p99_ns\":null,\"wait_max_ns\":null",
				      f);
			fprintf(f, ",\"migrations\":%llu,\"mismatches\":%llu}",
				(unsigned long long)v->migrations,
				(unsigned long long)v->mismatches);
		} else if (csv) {
			fprintf(f,
				"%d,%d,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%llu,%llu,%llu,%llu,"
				"%llu,%llu,%.0f,%.0f,%.0f,%.0f,%llu,%llu\n",
				tk->domain, tk->pid, (long long)obs, (long long)v->time[XS_RUN],
				(long long)v->time[XS_RUNNABLE], (long long)v->wake_time,
				(long long)v->preempt_time, (long long)v->time[XS_BLOCKED],
				(long long)v->time[XS_OFFLINE], (long long)v->time[XS_LOST],
				(unsigned long long)v->entries[XS_RUN],
				(unsigned long long)v->entries[XS_RUNNABLE],
				(unsigned long long)v->wakes, (unsigned long long)v->preempts,
				(unsigned long long)v->entries[XS_BLOCKED],
				(unsigned long long)v->dispatches, q[0], q[1], q[2], q[3],
				(unsigned long long)v->migrations,
				(unsigned long long)v->mismatches);
		} else {
			double o = obs > 0 ? (double)obs : 1;
			char nm[32];

			snprintf(nm, sizeof(nm), "d%dv%d", tk->domain, tk->pid);
			fprintf(f,
				"%-10s %9.6f %9.6f %6.2f%% %9.6f %6.2f%% %9.6f %6.2f%% %9.6f %6llu "
				"%6llu %6llu %6llu %9.1f %9.1f %9.1f %9.1f %5llu %5llu\n",
				nm, xen_s(obs), xen_s(v->time[XS_RUN]),
				100.0 * (double)v->time[XS_RUN] / o, xen_s(v->time[XS_RUNNABLE]),
				100.0 * (double)v->time[XS_RUNNABLE] / o,
				xen_s(v->time[XS_BLOCKED] + v->time[XS_OFFLINE]),
				100.0 * (double)(v->time[XS_BLOCKED] + v->time[XS_OFFLINE]) / o,
				xen_s(v->time[XS_LOST]), (unsigned long long)v->dispatches,
				(unsigned long long)v->wakes, (unsigned long long)v->preempts,
				(unsigned long long)v->entries[XS_BLOCKED], q[0] / 1e3, q[1] / 1e3,
				q[2] / 1e3, q[3] / 1e3, (unsigned long long)v->migrations,
				(unsigned long long)v->mismatches);
		}
	}
	if (mode == XM_JSON)
		fputs("]", f);
out:
	free(w.v);
	free(order);
	return r;
}

static void xen_write_pcpus(struct rl_xen *x, FILE *f, enum xen_mode mode)
{
	int csv = mode == XM_CSV;
	uint32_t i, k = 0;

	if (mode == XM_JSON)
		fputs("\"pcpus\":[", f);
	else if (csv)
		fprintf(f, "pcpu,observed_ns,busy_ns,idle_ns,other_ns,utilisation,switches\n");
	else
		fprintf(f,
			"Per-PCPU utilisation (busy = a non-idle VCPU runs; other = between "
			"a switch-out and the next switch-in, or unknown)\n"
			"%-5s %10s %10s %8s %10s %8s %10s %8s %8s\n",
			"pcpu", "observed", "busy", "busy%", "idle", "idle%", "other", "other%",
			"switches");
	for (i = 0; i < x->np; i++) {
		const struct xen_pcpu *p = &x->p[i];
		int64_t obs = p->last - p->first;
		double o = obs > 0 ? (double)obs : 1;

		if (!p->seen)
			continue;
		if (mode == XM_JSON)
			fprintf(f,
				"%s\n{\"pcpu\":%u,\"observed_ns\":%lld,\"busy_ns\":%lld,"
				"\"idle_ns\":%lld,\"other_ns\":%lld,\"utilisation\":%.6f,"
				"\"switches\":%llu}",
				k++ ? "," : "", i, (long long)obs, (long long)p->busy,
				(long long)p->idle, (long long)p->other, (double)p->busy / o,
				(unsigned long long)p->switches);
		else if (csv)
			fprintf(f, "%u,%lld,%lld,%lld,%lld,%.6f,%llu\n", i, (long long)obs,
				(long long)p->busy, (long long)p->idle, (long long)p->other,
				(double)p->busy / o, (unsigned long long)p->switches);
		else
			fprintf(f,
				"%-5u %10.6f %10.6f %7.2f%% %10.6f %7.2f%% %10.6f %7.2f%% %8llu\n",
				i, xen_s(obs), xen_s(p->busy), 100.0 * (double)p->busy / o,
				xen_s(p->idle), 100.0 * (double)p->idle / o, xen_s(p->other),
				100.0 * (double)p->other / o, (unsigned long long)p->switches);
	}
	if (mode == XM_JSON)
		fputs("]", f);
}

struct xen_rt_ctx {
	FILE *f;
	const struct rl_task *tk;
	struct xen_rt_row *rows;
	int64_t *per;
	uint32_t n, cap;
	int64_t off;
	int has_off, csv;
	enum xen_mode mode;
	uint64_t misses, depleted, rows_out;
};

/* A CSV cell ",v", or "," when unknown. */
static void xen_put_t(FILE *f, int64_t v, int ok)
{
	if (ok)
		fprintf(f, ",%lld", (long long)v);
	else
		fputc(',', f);
}

/*
 * Append @v ns as ms with @dec (3 or 6) decimals right-aligned in @width,
 * the text printf "%*.*f" gives for (double)v / 1e6, without the cost of
 * printf's floating-point conversion. The integer digits are exact; they
 * equal printf's wherever the double is close enough to the decimal value
 * that rounding cannot differ: not negative, below 2^52 ns, and (3
 * decimals) not exactly half way. printf is used for the rest.
 */
static char *xen_put_ms(char *p, int64_t v, int dec, int width)
{
	static const int64_t scale[] = {1, 1000}; /* ns per last digit: 6 or 3 decimals */
	int64_t u = scale[dec == 3], q, one = dec == 3 ? 1000 : 1000000;
	char *start = p;
	unsigned i;

	if (v < 0 || v >= (int64_t)1 << 52 || (u > 1 && v % u * 2 == u))
		return p + sprintf(p, "%*.*f", width, dec, (double)v / 1e6);
	q = v / u + (u > 1 && v % u * 2 > u);
	p = rl_fmt_u64(p, (uint64_t)(q / one));
	*p++ = '.';
	for (i = (unsigned)dec, q %= one; i-- > 0; q /= 10)
		p[i] = (char)('0' + q % 10);
	p += dec;
	return rl_fmt_pad(start, p, width);
}

/* The table's " %14.6f" of a time in ms, or " %14s" of "-" when unknown. */
static char *xen_put_tt(char *p, int64_t v, int ok)
{
	*p++ = ' ';
	if (ok)
		return xen_put_ms(p, v, 6, 14);
	memset(p, ' ', 13);
	p[13] = '-';
	return p + 14;
}

static int xen_rt_collect(void *arg, const void *row, struct rl_err *err)
{
	struct xen_rt_ctx *c = arg;

	if (rl_grow((void **)&c->rows, &c->cap, c->n + 1, sizeof(*c->rows)))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	memcpy(&c->rows[c->n++], row, sizeof(*c->rows));
	return 0;
}

/*
 * The period of each server period (job): RTDS sets the new deadline to the
 * old one plus whole periods, so the deadline step is the period when the
 * replenishment came less than half a step after the old deadline (a timer
 * replenishment), and a multiple of it after a sleep; a step no neighbour
 * shares is a mode change's reset and not trusted. Steps that do not
 * qualify take the period of the nearest job that does (mode changes alter
 * the period), then the VCPU's most common step.
 */
static int xen_rt_periods(struct xen_rt_ctx *c, int64_t mode)
{
	uint32_t i;
	int64_t last = -1;

	free(c->per);
	c->per = malloc((c->n ? c->n : 1) * sizeof(*c->per));
	if (!c->per)
		return -RL_E_NOMEM;
	for (i = 0; i < c->n; i++) {
		const struct xen_rt_row *r = &c->rows[i];
		int64_t step = xsub(r->deadline, r->prev_deadline);

		c->per[i] = -1;
		if (r->prev_deadline != RL_TIME_UNKNOWN && step > 0 && c->has_off &&
		    xsub(xsub(r->repl_ts, c->off), r->prev_deadline) < step / 2)
			c->per[i] = step;
	}
	/* a step is trusted when a neighbouring job has the same one (not a mode change) */
	for (i = 0; i < c->n; i++) {
		int64_t pv = i > 0 ? c->per[i - 1] : -2, nx = i + 1 < c->n ? c->per[i + 1] : -2;

		if (c->per[i] > 0 && pv != c->per[i] && nx != c->per[i] && (pv > 0 || nx > 0))
			c->per[i] = -2; /* distrusted; no longer a neighbour's evidence */
	}
	for (i = 0; i < c->n; i++)
		if (c->per[i] < -1)
			c->per[i] = -1;
	for (i = c->n; i-- > 0;) { /* from the next job that knows */
		if (c->per[i] > 0)
			last = c->per[i];
		else if (last > 0)
			c->per[i] = last;
	}
	last = -1;
	for (i = 0; i < c->n; i++) { /* else from the previous one */
		if (c->per[i] > 0)
			last = c->per[i];
		else
			c->per[i] = last > 0 ? last : mode;
	}
	return 0;
}

static void xen_rt_row_out(struct xen_rt_ctx *c, uint32_t i)
{
	const struct xen_rt_row *r = &c->rows[i];
	int64_t per = c->per[i];
	int has_p = per > 0 && c->has_off;
	int64_t rel = xadd(xsub(r->deadline, per), c->off), dl = xadd(r->deadline, c->off);
	const char *status = r->incomplete ? "incomplete" : "complete";

	c->misses += r->miss;
	c->depleted += r->depleted;
	if (c->mode == XM_JSON) {
		FILE *f = c->f;

		fprintf(f, "%s\n{\"domain\":%d,\"vcpu\":%d,\"job\":%u,\"replenish\":%lld",
			c->rows_out++ ? "," : "", c->tk->domain, c->tk->pid, r->job,
			(long long)r->repl_ts);
		xen_json_i(f, ",", "release", rel, has_p);
		xen_json_i(f, ",", "deadline", dl, c->has_off);
		xen_json_i(f, ",", "deadline_xen", r->deadline, 1);
		xen_json_i(f, ",", "period", per, per > 0);
		fprintf(f, ",\"budget\":%lld,\"consumed\":%lld,\"remaining\":%lld,\"depleted\":%s",
			(long long)r->budget, (long long)r->consumed, (long long)r->remaining,
			r->depleted ? "true" : "false");
		xen_json_i(f, ",", "depleted_at", r->depleted_ts, r->depleted);
		xen_json_i(f, ",", "response", xsub(r->depleted_ts, rel), r->depleted && has_p);
		fprintf(f, ",\"dl_miss\":%s,\"burns\":%u,\"status\":\"%s\"}",
			r->miss ? "true" : "false", r->burns, status);
		return;
	}
	if (c->csv) {
		fprintf(c->f, "%d,%d,%u,%lld", c->tk->domain, c->tk->pid, r->job,
			(long long)r->repl_ts);
		xen_put_t(c->f, rel, has_p);
		xen_put_t(c->f, dl, c->has_off);
		fprintf(c->f, ",%lld", (long long)r->deadline);
		xen_put_t(c->f, per, per > 0);
		fprintf(c->f, ",%lld,%lld,%lld,%d", (long long)r->budget, (long long)r->consumed,
			(long long)r->remaining, r->depleted);
		xen_put_t(c->f, r->depleted_ts, r->depleted);
		xen_put_t(c->f, xsub(r->depleted_ts, rel), r->depleted && has_p);
		fprintf(c->f, ",%d,%u,%s\n", r->miss, r->burns, status);
	} else { /* one buffer per row: the table has 31 k rows per 40 MB of trace */
		char line[384], *q = line;

		q += snprintf(q, 64, "d%dv%-5d %5u ", c->tk->domain, c->tk->pid, r->job);
		q = xen_put_ms(q, r->repl_ts, 6, 14);
		q = xen_put_tt(q, rel, has_p);
		q = xen_put_tt(q, dl, c->has_off);
		*q++ = ' ';
		q = per > 0 ? xen_put_ms(q, per, 3, 7) : q + sprintf(q, "%7.3f", -1.0);
		*q++ = ' ';
		q = xen_put_ms(q, r->budget, 3, 8);
		*q++ = ' ';
		q = xen_put_ms(q, r->consumed, 3, 8);
		*q++ = ' ';
		q = xen_put_ms(q, r->remaining, 3, 8);
		q += sprintf(q, " %4s", r->depleted ? "yes" : "no");
		q = xen_put_tt(q, xsub(r->depleted_ts, rel), r->depleted && has_p);
		q += snprintf(q, 64, " %4s %5u %s\n", r->miss ? "MISS" : "-", r->burns, status);
		fwrite(line, 1, (size_t)(q - line), c->f);
	}
}

/* One VCPU's totals, for the JSON's "vcpus" list after the periods. */
struct xen_rt_sum {
	uint32_t task, periods;
	uint64_t depleted, misses;
};

static void xen_rt_json_sums(const struct rl_xen *x, FILE *f, const struct xen_rt_sum *sum,
			     uint32_t n)
{
	uint32_t k;

	fputs("],\"vcpus\":[", f);
	for (k = 0; k < n; k++) {
		const struct rl_task *tk = &x->t->tasks[sum[k].task];

		fprintf(f,
			"%s\n{\"domain\":%d,\"vcpu\":%d,\"periods\":%u,\"depleted\":%llu,"
			"\"dl_misses\":%llu}",
			k ? "," : "", tk->domain, tk->pid, sum[k].periods,
			(unsigned long long)sum[k].depleted, (unsigned long long)sum[k].misses);
	}
	fputs("]}", f);
}

static int xen_write_rtds(struct rl_xen *x, FILE *f, enum xen_mode mode, struct rl_err *err)
{
	int csv = mode == XM_CSV;
	uint32_t n, k, i;
	uint32_t *order = xen_sorted_vcpus(x, &n, 1);
	struct xen_rt_sum *sum = NULL;
	struct xen_rt_ctx c;
	int r = 0;

	if (order && mode == XM_JSON)
		sum = calloc(n ? n : 1, sizeof(*sum));
	if (!order || (mode == XM_JSON && !sum)) {
		free(order);
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	}
	memset(&c, 0, sizeof(c));
	c.f = f;
	c.off = x->rt_off;
	c.has_off = x->has_rt_off;
	c.csv = csv;
	c.mode = mode;
	if (mode == XM_JSON) {
		fputs("\"rtds\":{", f);
		xen_json_i(f, "", "offset_ns", x->rt_off, x->has_rt_off);
		fputs(",\"periods\":[", f);
	} else if (csv)
		fprintf(f, "domain,vcpu,job,replenish_ns,release_ns,deadline_ns,deadline_xen_ns,"
			   "period_ns,budget_ns,consumed_ns,remaining_ns,depleted,depleted_at_ns,"
			   "response_ns,dl_miss,burns,status\n");
	else if (n)
		fprintf(f,
			"RTDS server periods (ms on the trace timeline = Xen time + %.6f ms; "
			"response = release -> budget depleted)\n"
			"%-11s %5s %14s %14s %14s %7s %8s %8s %8s %4s %14s %4s %5s %s\n",
			x->has_rt_off ? (double)x->rt_off / 1e6 : 0.0, "vcpu", "job", "replenish",
			"release", "deadline", "period", "budget", "consumed", "remain", "depl",
			"response", "miss", "burns", "status");
	for (k = 0; k < n && r >= 0; k++) {
		const struct xen_vcpu *v = &x->v[order[k]];

		c.tk = &x->t->tasks[order[k]];
		c.n = 0;
		c.misses = c.depleted = 0;
		r = rl_rowstore_each(x->rt, order[k], xen_rt_collect, &c, err);
		if (r < 0)
			break;
		if (xen_rt_periods(&c, xen_rt_period(&v->rt))) {
			r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
			break;
		}
		for (i = 0; i < c.n; i++)
			xen_rt_row_out(&c, i);
		if (sum) {
			sum[k].task = order[k];
			sum[k].periods = c.n;
			sum[k].depleted = c.depleted;
			sum[k].misses = c.misses;
		} else if (!csv)
			fprintf(f, "  d%dv%d: %u periods, %llu depleted, %llu deadline misses\n",
				c.tk->domain, c.tk->pid, c.n, (unsigned long long)c.depleted,
				(unsigned long long)c.misses);
	}
	if (sum && r >= 0)
		xen_rt_json_sums(x, f, sum, n);
	free(sum);
	free(c.rows);
	free(c.per);
	free(order);
	return r;
}

/* Period @i of the VCPU in @c as a job row (see rl_xen_each_job()). */
static void xen_rt_job(const struct xen_rt_ctx *c, uint32_t i, uint32_t task, struct rl_job *j)
{
	const struct xen_rt_row *r = &c->rows[i];
	int64_t per = c->per[i];

	memset(j, 0, sizeof(*j));
	j->task = task;
	j->job = r->job;
	j->release = j->deadline = j->completion = RL_TIME_UNKNOWN;
	j->prio = INT64_MIN;
	if (c->has_off && per > 0) {
		j->release = xadd(xsub(r->deadline, per), c->off);
		j->deadline = xadd(r->deadline, c->off);
	} else {
		j->flags |= RL_JOB_NO_RELEASE;
	}
	if (r->depleted) {
		j->completion = r->depleted_ts;
	} else if (r->incomplete) {
		j->flags |= RL_JOB_INCOMPLETE;
	} else if (r->miss) {
		j->completion = r->end_ts; /* the replenishment that dropped what was left */
		j->flags |= RL_JOB_SERVER_MISS;
	} else {
		/* budget left and nothing to run: done when it last stopped running */
		j->completion = r->last_stop != RL_TIME_UNKNOWN && r->last_stop > r->repl_ts
					? r->last_stop
					: r->repl_ts;
		if (j->release != RL_TIME_UNKNOWN && j->completion < j->release)
			j->completion = j->release;
	}
	if (j->release != RL_TIME_UNKNOWN && j->completion != RL_TIME_UNKNOWN) {
		int64_t d;

		/* garbage deadlines from a damaged payload: no times the job table cannot subtract
		 */
		if (__builtin_sub_overflow(j->completion, j->release, &d) ||
		    __builtin_sub_overflow(j->completion, j->deadline, &d)) {
			j->release = j->deadline = RL_TIME_UNKNOWN;
			j->flags |= RL_JOB_NO_RELEASE;
		}
	}
	j->first_start = r->first_start;
	j->exec = r->consumed;
	j->susp_time = r->susp_time;
	j->preemptions = r->preempts;
	j->migrations = r->migrations;
	j->suspensions = r->suspensions;
}

/**
 * rl_xen_each_job() - the RTDS server periods as job rows
 * @x:   the finished analysis
 * @fn:  called with each row, VCPUs in (domain, vcpu) order, periods in order;
 *       a negative return stops the walk and is returned
 * @arg: passed to @fn
 * @err: error out
 *
 * A job is one server period of a VCPU: from one BUDGET_REPLENISH to the
 * next. Release and deadline are those of the RTDS table (deadline - period,
 * deadline; on the trace timeline, so unknown, flag no-release, when the
 * trace has no two replenishes of a VCPU to fit the Xen-time offset). The
 * job completes when its budget runs out (the BURN that reached 0); with
 * budget left, when the VCPU last stopped running in the period if it no
 * longer wanted to run at the period's end (the replenish time if it never
 * ran; never before the release), else at the next replenishment, which
 * drops the budget left: that is the RTDS deadline miss, flagged
 * server-miss. A period the trace ends in without depleting is incomplete.
 * Execution time is the budget consumed (sum of BURN deltas); first start,
 * preemptions (running -> runnable before depletion), migrations (a dispatch
 * on another PCPU than the previous one in the period), suspensions
 * (running -> blocked) and suspended time (blocked or offline) are counted
 * within the period.
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_xen_each_job(struct rl_xen *x,
		    int (*fn)(void *arg, const struct rl_job *job, struct rl_err *err), void *arg,
		    struct rl_err *err)
{
	uint32_t n, k, i;
	uint32_t *order = xen_sorted_vcpus(x, &n, 1);
	struct xen_rt_ctx c;
	struct rl_job j;
	int r = 0;

	if (!order)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	memset(&c, 0, sizeof(c));
	c.off = x->rt_off;
	c.has_off = x->has_rt_off;
	for (k = 0; k < n && r >= 0; k++) {
		c.n = 0;
		r = rl_rowstore_each(x->rt, order[k], xen_rt_collect, &c, err);
		if (r < 0)
			break;
		if (xen_rt_periods(&c, xen_rt_period(&x->v[order[k]].rt))) {
			r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
			break;
		}
		for (i = 0; i < c.n && r >= 0; i++) {
			xen_rt_job(&c, i, order[k], &j);
			r = fn(arg, &j, err);
		}
	}
	free(c.rows);
	free(c.per);
	free(order);
	return r < 0 ? r : 0;
}

static int xen_write_overheads(struct rl_xen *x, FILE *f, enum xen_mode mode, struct rl_err *err)
{
	static const enum rl_out_format fmt_of[] = {RL_OUT_TABLE, RL_OUT_CSV, RL_OUT_JSON};
	struct rl_ovh_report rep = {.fmt = fmt_of[mode], .seed = 1};

	if (!x->h)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "overheads were not extracted (rl_xen_ovh)");
	if (mode == XM_JSON) /* the report's own object, {"series":[...]} */
		fputs("\"overheads\":", f);
	if (mode == XM_TABLE && !rl_ovh_nseries(x->h)) {
		fprintf(f,
			"Scheduler overheads: none measurable (needs Xen 4.8+ SCHEDULE records, "
			"SWITCH_INFPREV with runstate records, IRQ_HANDLED or research probes)\n");
		return 0;
	}
	if (mode == XM_TABLE)
		fprintf(f, "Scheduler overheads (as 'rtlens overheads' prints them; "
			   "left out: lost, incomplete, negative)\n");
	return rl_ovh_write_stats(x->h, f, &rep, err);
}

/* The trace's summary line, or the JSON "trace" member. */
static void xen_write_head(const struct rl_xen *x, FILE *f, enum xen_mode mode)
{
	const struct rl_clock_info *ck = &x->t->clock;
	const char *src = ck->given ? "--cpu-hz" : ck->est_hz ? "estimated" : "assumed";
	uint32_t i, np = 0;

	for (i = 0; i < x->np; i++)
		np += x->p[i].seen;
	if (mode == XM_JSON) {
		fputs("\"trace\":{\"format\":", f);
		rl_json_str(f, x->t->format);
		fprintf(f, ",\"pcpus\":%u,\"events\":%llu,\"span_ns\":%lld", np,
			(unsigned long long)x->events, (long long)xsub(x->last_ts, x->first_ts));
		fputs(",\"clock\":{", f);
		if (ck->hz)
			fprintf(f, "\"hz\":%.0f,\"source\":\"%s\"", ck->hz, src);
		else
			fputs("\"hz\":null,\"source\":null", f);
		if (ck->est_n)
			fprintf(f,
				",\"estimate_hz\":%.0f,\"estimate_switches\":%llu,"
				"\"estimate_p10_hz\":%.0f,\"estimate_p90_hz\":%.0f}",
				ck->est_hz, (unsigned long long)ck->est_n, ck->est_lo, ck->est_hi);
		else
			fputs(",\"estimate_hz\":null,\"estimate_switches\":0}", f);
		fprintf(f, ",\"lost_gaps\":%llu,\"lost_records\":%llu}",
			(unsigned long long)x->lost_events, (unsigned long long)x->lost_records);
		return;
	}
	fprintf(f, "xentrace: %s, %u PCPUs, %llu events analysed, %.6f s", x->t->format, np,
		(unsigned long long)x->events, xen_s(xsub(x->last_ts, x->first_ts)));
	if (ck->hz)
		fprintf(f, ", TSC %.6f GHz (%s)", ck->hz / 1e9, src);
	if (ck->est_n)
		fprintf(f, "; estimate %.6f GHz from %llu switches, p10-p90 %.6f-%.6f",
			ck->est_hz / 1e9, (unsigned long long)ck->est_n, ck->est_lo / 1e9,
			ck->est_hi / 1e9);
	fprintf(f, "\n");
	if (x->lost_events)
		fprintf(f, "lost: %llu gaps, %llu records\n", (unsigned long long)x->lost_events,
			(unsigned long long)x->lost_records);
}

/**
 * rl_xen_write() - write the analysis
 * @x:        the finished analysis
 * @f:        output
 * @sections: RL_XEN_* mask
 * @fmt:      RL_OUT_TABLE (a summary line, then each section's table), RL_OUT_CSV
 *            (one section: its rows; the caller asks for exactly one) or RL_OUT_JSON
 *            (one object: "trace", "unit" and a member per chosen section, with
 *            the CSV's column names, times in ns, null where the CSV is empty)
 * @err:      error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_xen_write(struct rl_xen *x, FILE *f, unsigned sections, enum rl_out_format fmt,
		 struct rl_err *err)
{
	enum xen_mode mode = fmt == RL_OUT_CSV ? XM_CSV : fmt == RL_OUT_JSON ? XM_JSON : XM_TABLE;
	/* between sections: a blank line in the tables, a comma in the object */
	const char *gap = mode == XM_JSON ? ",\n" : mode == XM_TABLE ? "\n" : "";
	int r = 0;

	if (mode == XM_JSON) {
		fputc('{', f);
		xen_write_head(x, f, mode);
		fputs(",\"unit\":\"ns\"", f);
	} else if (mode == XM_TABLE) {
		xen_write_head(x, f, mode);
	}
	if (sections & RL_XEN_VCPUS) {
		fputs(gap, f);
		r = xen_write_vcpus(x, f, mode, err);
		if (r < 0)
			return r;
	}
	if (sections & RL_XEN_PCPUS) {
		fputs(gap, f);
		xen_write_pcpus(x, f, mode);
	}
	if (sections & RL_XEN_RTDS) {
		fputs(gap, f);
		r = xen_write_rtds(x, f, mode, err);
		if (r < 0)
			return r;
	}
	if (sections & RL_XEN_OVERHEADS) {
		fputs(gap, f);
		r = xen_write_overheads(x, f, mode, err);
		if (r < 0)
			return r;
	}
	if (mode == XM_JSON)
		fputs("}\n", f);
	return r;
}

/**
 * rl_xen_rt_offset() - offset from Xen system time to the trace timeline
 * @x:   the finished analysis
 * @off: set to (trace ns - Xen ns): add it to an RTDS deadline to place it
 *
 * Fitted as the lower envelope of (replenish time - previous deadline) over
 * every VCPU: the replenishment timer fires at, and only after, a deadline.
 *
 * Return: 1 with *@off set, 0 when the trace has no two replenishes of a VCPU.
 */
int rl_xen_rt_offset(const struct rl_xen *x, int64_t *off)
{
	if (!x->has_rt_off)
		return 0;
	*off = x->rt_off;
	return 1;
}

struct xen_samp_ctx {
	FILE *f;
	int kind;
};

static int xen_samp_out(void *arg, const void *row, struct rl_err *err)
{
	struct xen_samp_ctx *c = arg;
	const struct xen_oh_row *r = row;

	(void)err;
	fprintf(c->f, "%s,%u,%lld,%lld\n", oh_names[c->kind], r->cpu, (long long)r->ts,
		(long long)r->ns);
	return 0;
}

/**
 * rl_xen_write_samples() - every overhead sample as CSV (kind,cpu,ts,ns)
 * @x:   the finished analysis
 * @f:   output
 * @err: error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_xen_write_samples(struct rl_xen *x, FILE *f, struct rl_err *err)
{
	struct xen_samp_ctx c = {f, 0};
	int r = 0;

	fprintf(f, "kind,cpu,ts,ns\n");
	for (c.kind = 0; c.kind < RL_XOH_N && r >= 0; c.kind++)
		r = rl_rowstore_each(x->oh, (uint32_t)c.kind, xen_samp_out, &c, err);
	return r;
}

static const char *xen_oh_name(unsigned id, char *buf, size_t len)
{
	if (id < RL_XOH_N)
		snprintf(buf, len, "%s", oh_names[id]);
	else
		snprintf(buf, len, "EVENT_%u", id);
	return buf;
}

static int xen_oh_ns(unsigned id)
{
	(void)id;
	return 1;
}

static int xen_oh_parse(const char *s, unsigned *id)
{
	unsigned k;

	for (k = 0; k < RL_XOH_N; k++)
		if (!strcmp(s, oh_names[k])) {
			*id = k;
			return 0;
		}
	return -1;
}

/* Xen scheduler overheads in the overhead accumulator: values in ns. */
const struct rl_ovh_schema rl_xen_schema = {
	.event_name = xen_oh_name,
	.event_is_ns = xen_oh_ns,
	.event_parse = xen_oh_parse,
	.reasons = rl_discard_cols_xen,
	.nreasons = sizeof(rl_discard_cols_xen),
	.by_event = 1,
};

/**
 * rl_xen_ovh() - extract scheduler overheads into an accumulator
 * @x:   the analysis, before any event was fed
 * @o:   options (copied)
 * @err: error out
 *
 * Return: 0, or a negative RL_E_* code with @err set.
 */
int rl_xen_ovh(struct rl_xen *x, const struct rl_xen_ovh_opts *o, struct rl_err *err)
{
	struct rl_ovh_opts oo;
	int g;

	if (x->h || x->events)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "rl_xen_ovh() goes before the first event, once");
	memset(&oo, 0, sizeof(oo));
	oo.only_cpu = oo.avoid_cpu = -1;
	oo.count_only = o->count_only;
	oo.mem_budget = o->mem_budget;
	oo.schema = &rl_xen_schema;
	x->oo = *o;
	x->h = rl_ovh_new(&oo, err);
	if (!x->h)
		return err->code ? err->code : -RL_E_NOMEM;
	g = rl_ovh_group(x->h, "all", err);
	if (g < 0)
		return g;
	x->oh_group = (uint32_t)g;
	return 0;
}

/**
 * rl_xen_ovh_get() - the accumulator of the overhead series
 * @x: the analysis (finished: its sink's finish ran and flushed it)
 *
 * Return: the accumulator (owned by @x), or NULL when rl_xen_ovh() was not called.
 */
struct rl_ovh *rl_xen_ovh_get(struct rl_xen *x)
{
	return x->h;
}
