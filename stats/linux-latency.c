/*
 * stats/linux-latency.c - latency distributions of Linux traces.
 *
 * Three kinds of samples, each kept under a key:
 *   wakeup   per task and priority: wake-up (sched_waking, else sched_wakeup)
 *            of a sleeping task -> its next switch-in;
 *   irq      per IRQ number: irq_handler_entry -> irq_handler_exit;
 *   softirq  per vector: softirq_entry -> softirq_exit;
 *   vector   per x86 vector (local timer, reschedule...): *_entry -> *_exit.
 * and what the osnoise / timerlat / hwlat tracers measured themselves (their
 * records as readers/linux.h describes them), every sample kept:
 *   timerlat_irq, timerlat_thread, timerlat_uret  per CPU: timer_latency;
 *   irq_noise, softirq_noise per vector, thread_noise per task, nmi_noise
 *            per CPU: the net durations of the osnoise:*_noise tracepoints;
 *   osnoise  per CPU: noise per period; hwlat per CPU: max(inner, outer).
 * A timerlat activation (IRQ sample, then the thread sample of the same
 * seqnum on that CPU) is also handed whole to the caller (opts.on_act) with
 * the noise records that ended inside it: after the timer's expiry (IRQ time
 * minus its latency) and not after the thread sample. Noise that ends before
 * the IRQ sample is held per CPU until then, for at most LL_HOLD_NS (only
 * when activations are asked for). Text traces print times in us: noise that
 * ends within a microsecond of the expiry may fall on either side.
 * As with Feather-Trace overheads, a sample that an interrupt disturbed is
 * not used but counted by reason: "irq" when an interrupt handler (of any
 * kind but the reschedule IPI, which is part of a remote wake-up) started on
 * the CPU inside the measured interval, "lost" when events
 * were lost on that CPU meanwhile. Handlers nest per CPU on a small stack;
 * an exit that matches no open entry is counted as "unmatched". A woken
 * task that switches out with no switch-in in the trace counts as
 * "no switch-in" (seen in real traces: idle to task switches are missing).
 * Every sample, kept or left out by reason, goes to a series of the overhead
 * accumulator (stats/ovh-acc.c) under the Linux schema below, so that the
 * statistics, samples, CDF and histogram writers are Feather-Trace's: one
 * group per key (columns id, name, prio), one series per kind (and CPU).
 */
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LL_STACK 16
#define LL_LX_SOFT 1 /* IRQ_ENTER arg2 values, as readers/linux.h defines them */
#define LL_LX_VECTOR 2

struct ll_key {
	int kind;     /* enum rl_lat_kind */
	int64_t id;   /* task index, irq, vector */
	int64_t prio; /* wakeup: kernel prio; else 0 */
	uint32_t group;
};

struct ll_open {
	int64_t ts;
	int64_t arg;
	int kind;
	int disturbed;
};

/* Noise held on a CPU until the next timerlat IRQ sample says where it belongs. */
struct ll_noise {
	int64_t ts, dur;
	uint32_t task;
	int src; /* enum rl_lat_src */
};

/* Noise records older than this are not held for an activation (1 s). */
#define LL_HOLD_NS 1000000000

struct ll_cpu {
	struct ll_open stack[LL_STACK];
	uint32_t depth;
	int64_t last_irq; /* last handler entry */
	int64_t last_lost;
	struct rl_lat_act act; /* the open timerlat activation (act_open) */
	struct ll_noise *held;
	uint32_t nheld, cap_held;
	uint8_t act_open;
};

struct ll_task {
	int64_t woken; /* wake-up time, or INT64_MIN */
	uint8_t running;
};

struct rl_lat {
	struct rl_sink sink;
	struct rl_trace *t;
	struct ll_key *keys;
	uint32_t nkeys, cap_keys;
	uint32_t *hash; /* open addressing: key index + 1 */
	uint32_t cap_hash;
	struct ll_cpu *cpus;
	uint32_t ncpus, cap_cpus;
	struct ll_task *tasks;
	uint32_t ntasks, cap_tasks;
	struct rl_ovh *h;
	struct rl_lat_opts o;
	uint32_t waking_name, resched_name, resched_name2;
	uint32_t rtm_name[8]; /* timerlat ... hwlat, as ll_rtm_names */
	uint64_t unmatched, deep;
};

static uint32_t ll_h(int kind, int64_t id, int64_t prio, uint32_t cap)
{
	uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ull ^ (uint64_t)prio * 0xc2b2ae3d27d4eb4full ^
		     (uint64_t)kind;

	return (uint32_t)(x ^ (x >> 29)) & (cap - 1);
}

static int ll_key(struct rl_lat *l, int kind, int64_t id, int64_t prio, uint32_t *out,
		  struct rl_err *err)
{
	uint32_t h, i;
	int r;

	if (l->cap_hash) {
		h = ll_h(kind, id, prio, l->cap_hash);
		while (l->hash[h]) {
			const struct ll_key *k = &l->keys[l->hash[h] - 1];

			if (k->kind == kind && k->id == id && k->prio == prio) {
				*out = l->hash[h] - 1;
				return 0;
			}
			h = (h + 1) & (l->cap_hash - 1);
		}
	}
	if (rl_grow((void **)&l->keys, &l->cap_keys, l->nkeys + 1, sizeof(*l->keys)))
		goto nomem;
	if ((l->nkeys + 1) * 2 > l->cap_hash) {
		uint32_t ncap = l->cap_hash ? l->cap_hash * 2 : 64;
		uint32_t *nh = calloc(ncap, sizeof(*nh));

		if (!nh)
			goto nomem;
		for (i = 0; i < l->nkeys; i++) {
			h = ll_h(l->keys[i].kind, l->keys[i].id, l->keys[i].prio, ncap);
			while (nh[h])
				h = (h + 1) & (ncap - 1);
			nh[h] = i + 1;
		}
		free(l->hash);
		l->hash = nh;
		l->cap_hash = ncap;
	}
	r = rl_ovh_group_new(l->h, 0, NULL, NULL, err); /* columns set at the end */
	if (r < 0)
		return r;
	memset(&l->keys[l->nkeys], 0, sizeof(l->keys[l->nkeys]));
	l->keys[l->nkeys].group = (uint32_t)r;
	l->keys[l->nkeys].kind = kind;
	l->keys[l->nkeys].id = id;
	l->keys[l->nkeys].prio = prio;
	h = ll_h(kind, id, prio, l->cap_hash);
	while (l->hash[h])
		h = (h + 1) & (l->cap_hash - 1);
	l->hash[h] = l->nkeys + 1;
	*out = l->nkeys++;
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
}

static struct ll_cpu *ll_cpu(struct rl_lat *l, uint32_t cpu)
{
	if (cpu == RL_NO_CPU || cpu > (1u << 20))
		return NULL;
	if (cpu >= l->ncpus) {
		uint32_t old = l->ncpus, i;

		if (rl_grow_zero((void **)&l->cpus, &l->cap_cpus, cpu + 1, sizeof(*l->cpus)))
			return NULL;
		for (i = old; i <= cpu; i++)
			l->cpus[i].last_irq = l->cpus[i].last_lost = INT64_MIN;
		l->ncpus = cpu + 1;
	}
	return &l->cpus[cpu];
}

static struct ll_task *ll_task(struct rl_lat *l, uint32_t task)
{
	if (task >= l->ntasks) {
		uint32_t old = l->ntasks, i;

		if (rl_grow((void **)&l->tasks, &l->cap_tasks, task + 1, sizeof(*l->tasks)))
			return NULL;
		for (i = old; i <= task; i++) {
			l->tasks[i].woken = INT64_MIN;
			l->tasks[i].running = 0;
		}
		l->ntasks = task + 1;
	}
	return &l->tasks[task];
}

/* A sample of @kind/@id/@prio ending on @cpu, or a left-out one (reason not KEEP). */
static int ll_sample(struct rl_lat *l, int kind, int64_t id, int64_t prio, uint32_t cpu, int64_t v,
		     enum rl_discard reason, struct rl_err *err)
{
	int64_t si;
	uint32_t k = 0;
	int r;

	if (l->o.want && !(l->o.want & (1u << kind)))
		return 0;
	if (l->o.keep_cpu && !l->o.keep_cpu(l->o.keep_arg, cpu))
		return 0;
	r = ll_key(l, kind, id, prio, &k, err);
	if (r < 0)
		return r;
	si = rl_ovh_series_at(l->h, l->keys[k].group, (unsigned)kind,
			      l->o.per_cpu && cpu < 65535 ? (int)cpu : -1, err);
	if (si < 0)
		return (int)si;
	if (reason != RL_DISCARD_KEEP) {
		rl_ovh_discard(l->h, (uint32_t)si, reason);
		return 0;
	}
	return rl_ovh_push(l->h, (uint32_t)si, v, err);
}

/* ------------------------------------------------ timerlat and osnoise */

static const char *const ll_rtm_names[8] = {
	"timerlat",  "irq_noise",	 "softirq_noise", "thread_noise",
	"nmi_noise", "sample_threshold", "osnoise",	  "hwlat",
};

/* Hand the open activation of @c to the caller and close it. */
static int ll_act_done(struct rl_lat *l, struct ll_cpu *c, struct rl_err *err)
{
	int r = 0;

	if (c->act_open && l->o.on_act)
		r = l->o.on_act(l->o.act_arg, &c->act, err);
	c->act_open = 0;
	return r;
}

static void ll_act_add(struct rl_lat_act *a, int src, int64_t dur, uint32_t task)
{
	if (dur < 0)
		dur = 0; /* not from the kernel's records (u64): another reader's event */
	a->noise[src] = dur > INT64_MAX - a->noise[src] ? INT64_MAX : a->noise[src] + dur;
	a->count[src]++;
	if (src == RL_LAT_SRC_THREAD && dur > a->top_ns) {
		a->top_ns = dur;
		a->top_task = task;
	}
}

/* A noise record on @c: into the open activation, else held for the next one. */
static int ll_noise(struct rl_lat *l, struct ll_cpu *c, int src, const struct rl_event *ev,
		    struct rl_err *err)
{
	uint32_t i, k;

	if (!l->o.on_act)
		return 0;
	if (c->act_open) {
		ll_act_add(&c->act, src, ev->arg2, ev->task);
		return 0;
	}
	/* drop what is too old to belong to any activation */
	for (i = 0; i < c->nheld && c->held[i].ts < ev->ts - LL_HOLD_NS; i++)
		;
	if (i) {
		for (k = i; k < c->nheld; k++)
			c->held[k - i] = c->held[k];
		c->nheld -= i;
	}
	if (rl_grow((void **)&c->held, &c->cap_held, c->nheld + 1, sizeof(*c->held)))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	c->held[c->nheld].ts = ev->ts;
	c->held[c->nheld].dur = ev->arg2;
	c->held[c->nheld].task = ev->task;
	c->held[c->nheld].src = src;
	c->nheld++;
	return 0;
}

/* A timerlat sample: its distribution, and the activation it opens or closes. */
static int ll_timerlat(struct rl_lat *l, struct ll_cpu *c, const struct rl_event *ev,
		       struct rl_err *err)
{
	int kind = ev->arg2 == 0   ? RL_LAT_TL_IRQ
		   : ev->arg2 == 1 ? RL_LAT_TL_THREAD
				   : RL_LAT_TL_URET;
	uint32_t i;
	int r;

	r = ll_sample(l, kind, ev->cpu, 0, ev->cpu, ev->arg, RL_DISCARD_KEEP, err);
	if (r < 0 || !c || kind == RL_LAT_TL_URET)
		return r;
	if (kind == RL_LAT_TL_IRQ) {
		r = ll_act_done(l, c, err); /* an activation whose thread sample is missing */
		if (r < 0)
			return r;
		memset(&c->act, 0, sizeof(c->act));
		c->act.cpu = ev->cpu;
		c->act.seqnum = ev->job;
		c->act.irq_lat = ev->arg;
		c->act.thread_lat = -1;
		c->act.top_task = RL_NO_TASK;
		c->act.expiry = ev->ts < INT64_MIN + ev->arg ? INT64_MIN : ev->ts - ev->arg;
		c->act_open = 1;
		for (i = 0; i < c->nheld; i++)
			if (c->held[i].ts >= c->act.expiry)
				ll_act_add(&c->act, c->held[i].src, c->held[i].dur,
					   c->held[i].task);
		c->nheld = 0;
		return 0;
	}
	if (!c->act_open || c->act.seqnum != ev->job) {
		/* a thread sample without its IRQ sample: alone */
		r = ll_act_done(l, c, err);
		if (r < 0)
			return r;
		memset(&c->act, 0, sizeof(c->act));
		c->act.cpu = ev->cpu;
		c->act.seqnum = ev->job;
		c->act.irq_lat = -1;
		c->act.top_task = RL_NO_TASK;
		c->act.expiry = ev->ts < INT64_MIN + ev->arg ? INT64_MIN : ev->ts - ev->arg;
		c->act_open = 1;
		c->nheld = 0;
	}
	c->act.thread_lat = ev->arg;
	return ll_act_done(l, c, err);
}

/* One record of the osnoise / timerlat / hwlat tracers (@i: ll_rtm_names). */
static int ll_rtm(struct rl_lat *l, struct ll_cpu *c, int i, const struct rl_event *ev,
		  struct rl_err *err)
{
	static const int src[8] = {-1, RL_LAT_SRC_IRQ, RL_LAT_SRC_SOFTIRQ, RL_LAT_SRC_THREAD,
				   RL_LAT_SRC_NMI};
	static const int kind[8] = {-1, RL_LAT_IRQ_NOISE, RL_LAT_SOFT_NOISE, RL_LAT_THR_NOISE,
				    RL_LAT_NMI_NOISE};
	int64_t id;
	int r;

	switch (i) {
	case 0:
		return ll_timerlat(l, c, ev, err);
	case 5: /* sample_threshold: the noise above the threshold, already counted by source */
		return 0;
	case 6:
		return ll_sample(l, RL_LAT_OSNOISE, ev->cpu, 0, ev->cpu, ev->arg, RL_DISCARD_KEEP,
				 err);
	case 7:
		return ll_sample(l, RL_LAT_HWLAT, ev->cpu, 0, ev->cpu,
				 ev->arg > ev->arg2 ? ev->arg : ev->arg2, RL_DISCARD_KEEP, err);
	default:
		break;
	}
	id = i == 3   ? (ev->task == RL_NO_TASK ? -1 : (int64_t)ev->task)
	     : i == 4 ? ev->cpu
		      : ev->job;
	if (i == 3 && id < 0)
		return 0; /* a thread noise of no task (pid 0) */
	r = ll_sample(l, kind[i], id, 0, ev->cpu, ev->arg2, RL_DISCARD_KEEP, err);
	return r < 0 || !c ? r : ll_noise(l, c, src[i], ev, err);
}

/* Lost events, then an interrupt (unless keep_irq); negative intervals are kept. */
static enum rl_discard ll_judge(const struct rl_lat *l, const struct rl_interval_facts *fa)
{
	struct rl_interval_rules ru = {0};

	ru.keep_irq = l->o.keep_irq != 0;
	return rl_judge_interval(fa, &ru);
}

/*
 * One event of the merged stream. (Over 100 lines: one case per event kind
 * that opens or closes a latency or handler interval.)
 */
static int ll_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_lat *l = (struct rl_lat *)s;
	struct ll_cpu *c = ll_cpu(l, ev->cpu);
	struct ll_task *tk;
	uint32_t i;
	int kind;

	switch (ev->type) {
	case RL_EV_LOST:
		if (ev->cpu == RL_NO_CPU) {
			for (i = 0; i < l->ncpus; i++) {
				l->cpus[i].last_lost = ev->ts;
				l->cpus[i].depth = 0;
			}
		} else if (c) {
			c->last_lost = ev->ts;
			c->depth = 0;
		}
		return 0;
	case RL_EV_IRQ_ENTER:
		if (!c)
			return 0;
		for (i = 0; i < c->depth; i++)
			c->stack[i].disturbed = 1;
		/* the reschedule IPI is how a remote wake-up works, not a disturbance */
		if (ev->name != l->resched_name && ev->name != l->resched_name2)
			c->last_irq = ev->ts;
		if (c->depth == LL_STACK) {
			l->deep++;
			return 0;
		}
		c->stack[c->depth].ts = ev->ts;
		c->stack[c->depth].arg = ev->arg;
		c->stack[c->depth].kind = ev->arg2 == LL_LX_SOFT     ? RL_LAT_SOFTIRQ
					  : ev->arg2 == LL_LX_VECTOR ? RL_LAT_VECTOR
								     : RL_LAT_IRQ;
		c->stack[c->depth].disturbed = c->last_lost >= ev->ts;
		c->depth++;
		return 0;
	case RL_EV_IRQ_EXIT: {
		struct rl_interval_facts fa = {0};
		struct ll_open *o;

		if (!c)
			return 0;
		kind = ev->arg2 == LL_LX_SOFT	  ? RL_LAT_SOFTIRQ
		       : ev->arg2 == LL_LX_VECTOR ? RL_LAT_VECTOR
						  : RL_LAT_IRQ;
		if (!c->depth || c->stack[c->depth - 1].kind != kind ||
		    c->stack[c->depth - 1].arg != ev->arg) {
			l->unmatched++;
			/* drop a mismatched top so the stack cannot drift */
			if (c->depth && c->stack[c->depth - 1].kind == kind)
				c->depth--;
			return 0;
		}
		o = &c->stack[--c->depth];
		fa.lost = c->last_lost >= o->ts;
		fa.irq = o->disturbed;
		return ll_sample(l, kind, o->arg, 0, ev->cpu, ev->ts - o->ts, ll_judge(l, &fa),
				 err);
	}
	case RL_EV_OTHER:
		for (i = 0; i < 8; i++)
			if (ev->name == l->rtm_name[i])
				return ll_rtm(l, c, (int)i, ev, err);
		/* fall through */
	case RL_EV_WAKEUP:
		if (ev->task == RL_NO_TASK ||
		    (ev->type == RL_EV_OTHER && (!l->waking_name || ev->name != l->waking_name)))
			return 0;
		tk = ll_task(l, ev->task);
		if (!tk)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		if (!tk->running && tk->woken == INT64_MIN)
			tk->woken = ev->ts;
		return 0;
	case RL_EV_SWITCH_OUT:
		if (ev->task == RL_NO_TASK)
			return 0;
		tk = ll_task(l, ev->task);
		if (!tk)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		tk->running = 0;
		if (tk->woken != INT64_MIN) {
			tk->woken = INT64_MIN;
			return ll_sample(l, RL_LAT_WAKEUP, ev->task, l->t->tasks[ev->task].prio,
					 ev->cpu, 0, RL_DISCARD_NOSWITCH, err);
		}
		return 0;
	case RL_EV_SWITCH_IN: {
		struct rl_interval_facts fa = {0};
		int64_t woken;

		if (ev->task == RL_NO_TASK)
			return 0;
		tk = ll_task(l, ev->task);
		if (!tk)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		woken = tk->woken;
		tk->running = 1;
		tk->woken = INT64_MIN;
		if (woken == INT64_MIN)
			return 0;
		fa.lost = c && c->last_lost >= woken;
		fa.irq = c && c->last_irq > woken;
		return ll_sample(l, RL_LAT_WAKEUP, ev->task, ev->arg2, ev->cpu, ev->ts - woken,
				 ll_judge(l, &fa), err);
	}
	default:
		return 0;
	}
}

/* ------------------------------------------------------------- schema */

static const char *const ll_kinds[RL_LAT_NKINDS] = {
	"wakeup",	   "irq",	    "softirq",	 "vector",	  "timerlat_irq",
	"timerlat_thread", "timerlat_uret", "irq_noise", "softirq_noise", "thread_noise",
	"nmi_noise",	   "osnoise",	    "hwlat",
};
/* clang-format off */
static const char *const ll_softirqs[] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK",
	"IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU",
};
/* clang-format on */

static const char *ll_kind_name(unsigned id, char *buf, size_t len)
{
	if (id < RL_LAT_NKINDS)
		snprintf(buf, len, "%s", ll_kinds[id]);
	else
		snprintf(buf, len, "kind_%u", id);
	return buf;
}

static int ll_kind_ns(unsigned id)
{
	(void)id;
	return 1;
}

static int ll_kind_parse(const char *s, unsigned *id)
{
	unsigned k;

	for (k = 0; k < RL_LAT_NKINDS; k++)
		if (!strcmp(s, ll_kinds[k])) {
			*id = k;
			return 0;
		}
	return -1;
}

/* Linux latencies in the overhead accumulator: kinds as events, values in ns. */
const struct rl_ovh_schema rl_lat_schema = {
	.event_name = ll_kind_name,
	.event_is_ns = ll_kind_ns,
	.event_parse = ll_kind_parse,
	.reasons = rl_discard_cols_linux,
	.nreasons = sizeof(rl_discard_cols_linux),
	.by_event = 1,
};

/* Columns of every key from the final task names; keys the filter rejects are hidden. */
static int ll_finish(struct rl_sink *s, struct rl_err *err)
{
	static const char *const cols[] = {"id", "name", "prio"};
	struct rl_lat *l = (struct rl_lat *)s;
	const struct rl_job_filter *fl = &l->o.filter;
	uint32_t i;
	int r;

	for (i = 0; i < l->ncpus; i++) {
		r = ll_act_done(l, &l->cpus[i], err); /* activations the trace ended inside */
		if (r < 0)
			return r;
	}
	for (i = 0; i < l->nkeys; i++) {
		const struct ll_key *k = &l->keys[i];
		char id[24], prio[24];
		const char *vals[3] = {id, "", prio};
		unsigned n = 1;

		if (k->kind == RL_LAT_WAKEUP || k->kind == RL_LAT_THR_NOISE) {
			const struct rl_task *tk = &l->t->tasks[k->id];

			snprintf(id, sizeof(id), "%d", tk->pid);
			vals[1] = rl_strtab_get(l->t->strs, tk->name);
			snprintf(prio, sizeof(prio), "%lld", (long long)k->prio);
			n = k->kind == RL_LAT_WAKEUP ? 3 : 2;
			if ((fl->pid && tk->pid != fl->pid) ||
			    (fl->name && strcmp(vals[1], fl->name)))
				rl_ovh_group_hide(l->h, k->group);
		} else {
			snprintf(id, sizeof(id), "%lld", (long long)k->id);
			if ((k->kind == RL_LAT_SOFTIRQ || k->kind == RL_LAT_SOFT_NOISE) &&
			    k->id >= 0 && k->id < 10) {
				vals[1] = ll_softirqs[k->id];
				n = 2;
			}
			if (fl->pid || fl->name)
				rl_ovh_group_hide(l->h, k->group);
		}
		r = rl_ovh_group_set(l->h, k->group, n, cols, vals, err);
		if (r < 0)
			return r;
	}
	return rl_ovh_flush(l->h, err);
}

/**
 * rl_lat_new() - create the latency analysis
 * @t:   the trace whose events will be fed
 * @o:   options (copied)
 * @err: error out
 *
 * Return: the analysis, or NULL with @err set.
 */
struct rl_lat *rl_lat_new(struct rl_trace *t, const struct rl_lat_opts *o, struct rl_err *err)
{
	struct rl_lat *l = calloc(1, sizeof(*l));
	struct rl_ovh_opts oo;
	uint32_t i;

	if (!l)
		goto nomem;
	l->t = t;
	l->o = *o;
	l->sink.event = ll_event;
	l->sink.finish = ll_finish;
	memset(&oo, 0, sizeof(oo));
	oo.only_cpu = oo.avoid_cpu = -1;
	oo.count_only = o->count_only;
	oo.mem_budget = o->mem_budget;
	oo.schema = &rl_lat_schema;
	l->h = rl_ovh_new(&oo, err);
	if (!l->h) {
		free(l);
		return NULL;
	}
	l->waking_name = rl_strtab_intern(t->strs, "sched_waking", 12);
	l->resched_name = rl_strtab_intern(t->strs, "reschedule_entry", 16);
	l->resched_name2 = rl_strtab_intern(t->strs, "x86_irq_vectors_reschedule_entry", 32);
	if (!l->waking_name || !l->resched_name || !l->resched_name2)
		goto nomem;
	for (i = 0; i < 8; i++) {
		l->rtm_name[i] =
			rl_strtab_intern(t->strs, ll_rtm_names[i], strlen(ll_rtm_names[i]));
		if (!l->rtm_name[i])
			goto nomem;
	}
	return l;
nomem:
	rl_lat_free(l);
	rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot allocate latency analysis");
	return NULL;
}

/**
 * rl_lat_sink() - the sink to feed events to
 * @l: the analysis
 *
 * Return: its sink.
 */
struct rl_sink *rl_lat_sink(struct rl_lat *l)
{
	return &l->sink;
}

/**
 * rl_lat_ovh() - the accumulator holding the latency series
 * @l: the analysis (finished: its sink's finish ran)
 *
 * Return: the accumulator (owned by @l), for the rl_ovh_write_* reports.
 */
struct rl_ovh *rl_lat_ovh(struct rl_lat *l)
{
	return l->h;
}

/**
 * rl_lat_free() - free the analysis
 * @l: the analysis (NULL is a no-op)
 */
void rl_lat_free(struct rl_lat *l)
{
	uint32_t i;

	if (!l)
		return;
	for (i = 0; i < l->ncpus; i++)
		free(l->cpus[i].held);
	free(l->keys);
	free(l->hash);
	free(l->cpus);
	free(l->tasks);
	rl_ovh_free(l->h);
	free(l);
}

/**
 * rl_lat_unmatched() - handler exits that matched no open entry
 * @l: the finished analysis
 *
 * Return: the count.
 */
uint64_t rl_lat_unmatched(const struct rl_lat *l)
{
	return l->unmatched;
}
