/*
 * stats/linux-latency.c - latency distributions of Linux traces.
 *
 * Three kinds of samples, each kept under a key:
 *   wakeup   per task and priority: wake-up (sched_waking, else sched_wakeup)
 *            of a sleeping task -> its next switch-in;
 *   irq      per IRQ number: irq_handler_entry -> irq_handler_exit;
 *   softirq  per vector: softirq_entry -> softirq_exit;
 *   vector   per x86 vector (local timer, reschedule...): *_entry -> *_exit.
 * As with Feather-Trace overheads, a sample that an interrupt disturbed is
 * not used but counted by reason: "irq" when an interrupt handler (of any
 * kind but the reschedule IPI, which is part of a remote wake-up) started on
 * the CPU inside the measured interval, "lost" when events
 * were lost on that CPU meanwhile. Handlers nest per CPU on a small stack;
 * an exit that matches no open entry is counted as "unmatched". A woken
 * task that switches out with no switch-in in the trace counts as
 * "no switch-in" (seen in real traces: idle to task switches are missing).
 * Samples go to a row store (memory grows with keys, not samples); the
 * distribution of one key is computed when it is written.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#define LL_STACK 16
#define LL_LX_SOFT 1 /* IRQ_ENTER arg2 values, as readers/linux.h defines them */
#define LL_LX_VECTOR 2

struct ll_key {
	int kind;     /* enum rl_lat_kind */
	int64_t id;   /* task index, irq, vector */
	int64_t prio; /* wakeup: kernel prio; else 0 */
	uint64_t filtered[RL_LAT_NREASONS];
};

struct ll_open {
	int64_t ts;
	int64_t arg;
	int kind;
	int disturbed;
};

struct ll_cpu {
	struct ll_open stack[LL_STACK];
	uint32_t depth;
	int64_t last_irq; /* last handler entry */
	int64_t last_lost;
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
	struct rl_rowstore *rows;
	uint32_t waking_name, resched_name, resched_name2;
	uint64_t unmatched, deep;
};

static uint32_t ll_h(int kind, int64_t id, int64_t prio, uint32_t cap)
{
	uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ull ^ (uint64_t)prio * 0xc2b2ae3d27d4eb4full ^
		     (uint64_t)kind;

	return (uint32_t)(x ^ (x >> 29)) & (cap - 1);
}

static int ll_key(struct rl_lat *l, int kind, int64_t id, int64_t prio, uint32_t *out)
{
	uint32_t h, i;

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
		return -RL_E_NOMEM;
	if ((l->nkeys + 1) * 2 > l->cap_hash) {
		uint32_t ncap = l->cap_hash ? l->cap_hash * 2 : 64;
		uint32_t *nh = calloc(ncap, sizeof(*nh));

		if (!nh)
			return -RL_E_NOMEM;
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
	memset(&l->keys[l->nkeys], 0, sizeof(l->keys[l->nkeys]));
	l->keys[l->nkeys].kind = kind;
	l->keys[l->nkeys].id = id;
	l->keys[l->nkeys].prio = prio;
	h = ll_h(kind, id, prio, l->cap_hash);
	while (l->hash[h])
		h = (h + 1) & (l->cap_hash - 1);
	l->hash[h] = l->nkeys + 1;
	*out = l->nkeys++;
	return 0;
}

static struct ll_cpu *ll_cpu(struct rl_lat *l, uint32_t cpu)
{
	if (cpu == RL_NO_CPU || cpu > (1u << 20))
		return NULL;
	if (cpu >= l->ncpus) {
		uint32_t old = l->ncpus, i;

		if (rl_grow((void **)&l->cpus, &l->cap_cpus, cpu + 1, sizeof(*l->cpus)))
			return NULL;
		memset(l->cpus + old, 0, (cpu + 1 - old) * sizeof(*l->cpus));
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

/* A sample of @kind/@id/@prio, or a filtered one (reason >= 0). */
static int ll_sample(struct rl_lat *l, int kind, int64_t id, int64_t prio, int64_t v, int reason,
		     struct rl_err *err)
{
	uint32_t k;

	if (ll_key(l, kind, id, prio, &k))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	if (reason >= 0) {
		l->keys[k].filtered[reason]++;
		return 0;
	}
	return rl_rowstore_add(l->rows, k, &v, err);
}

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
		struct ll_open *o;
		int reason = -1;

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
		if (c->last_lost >= o->ts)
			reason = RL_LAT_R_LOST;
		else if (o->disturbed)
			reason = RL_LAT_R_IRQ;
		return ll_sample(l, kind, o->arg, 0, ev->ts - o->ts, reason, err);
	}
	case RL_EV_WAKEUP:
	case RL_EV_OTHER:
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
			return ll_sample(l, RL_LAT_WAKEUP, ev->task, l->t->tasks[ev->task].prio, 0,
					 RL_LAT_R_NOSWITCH, err);
		}
		return 0;
	case RL_EV_SWITCH_IN: {
		int reason = -1;
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
		if (c && c->last_lost >= woken)
			reason = RL_LAT_R_LOST;
		else if (c && c->last_irq > woken)
			reason = RL_LAT_R_IRQ;
		return ll_sample(l, RL_LAT_WAKEUP, ev->task, ev->arg2, ev->ts - woken, reason, err);
	}
	default:
		return 0;
	}
}

/**
 * rl_lat_new() - create the latency analysis
 * @t:   the trace whose events will be fed
 * @err: error out
 *
 * Return: the analysis, or NULL with @err set.
 */
struct rl_lat *rl_lat_new(struct rl_trace *t, struct rl_err *err)
{
	struct rl_lat *l = calloc(1, sizeof(*l));

	if (!l)
		goto nomem;
	l->t = t;
	l->sink.event = ll_event;
	l->rows = rl_rowstore_new(sizeof(int64_t));
	l->waking_name = rl_strtab_intern(t->strs, "sched_waking", 12);
	l->resched_name = rl_strtab_intern(t->strs, "reschedule_entry", 16);
	l->resched_name2 = rl_strtab_intern(t->strs, "x86_irq_vectors_reschedule_entry", 32);
	if (!l->rows || !l->waking_name || !l->resched_name || !l->resched_name2)
		goto nomem;
	return l;
nomem:
	if (l)
		rl_rowstore_free(l->rows);
	free(l);
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
 * rl_lat_free() - free the analysis
 * @l: the analysis (NULL is a no-op)
 */
void rl_lat_free(struct rl_lat *l)
{
	if (!l)
		return;
	free(l->keys);
	free(l->hash);
	free(l->cpus);
	free(l->tasks);
	rl_rowstore_free(l->rows);
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

/* ------------------------------------------------------------- output */

struct ll_acc {
	int64_t *v;
	uint32_t n, cap;
};

static int ll_collect(void *arg, const void *row, struct rl_err *err)
{
	struct ll_acc *a = arg;

	if (rl_grow((void **)&a->v, &a->cap, a->n + 1, sizeof(*a->v)))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	memcpy(&a->v[a->n++], row, sizeof(int64_t));
	return 0;
}

static int ll_cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static const char *const ll_kinds[] = { "wakeup", "irq", "softirq", "vector" };
/* clang-format off */
static const char *const ll_softirqs[] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK",
	"IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU",
};
/* clang-format on */

static int ll_order(const void *a, const void *b, void *arg)
{
	const struct rl_lat *l = arg;
	const struct ll_key *x = &l->keys[*(const uint32_t *)a],
			    *y = &l->keys[*(const uint32_t *)b];
	int64_t xi = x->id, yi = y->id;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->kind == RL_LAT_WAKEUP) { /* by pid, generation, then prio */
		const struct rl_task *p = &l->t->tasks[x->id], *q = &l->t->tasks[y->id];

		if (p->pid != q->pid)
			return p->pid < q->pid ? -1 : 1;
		if (p->generation != q->generation)
			return p->generation < q->generation ? -1 : 1;
		xi = x->prio;
		yi = y->prio;
	}
	return xi < yi ? -1 : xi > yi;
}

/**
 * rl_lat_write() - one line per key: samples, filtered, min/mean/p50/p99/max
 * @l:   the finished analysis
 * @f:   output
 * @o:   units (ms) and format (table, csv, json); pid/name filter wake-up keys
 * @err: error out
 *
 * Return: 0 or a negative code.
 */
int rl_lat_write(struct rl_lat *l, FILE *f, const struct rl_job_out *o, struct rl_err *err)
{
	uint32_t *ord = malloc((l->nkeys ? l->nkeys : 1) * sizeof(*ord)), i;
	double sc = o->ms ? 1e-6 : 1;
	int prec = o->ms ? 3 : 0, r = 0, first = 1;
	struct ll_acc a = {NULL, 0, 0};

	if (!ord)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	for (i = 0; i < l->nkeys; i++)
		ord[i] = i;
	qsort_r(ord, l->nkeys, sizeof(*ord), ll_order, l);
	if (o->fmt == RL_OUT_JSON)
		fprintf(f, "{\"unit\":\"%s\",\"keys\":[", o->ms ? "ms" : "ns");
	else if (o->fmt == RL_OUT_CSV)
		fprintf(f, "kind,id,name,prio,samples,filtered_irq,filtered_lost,no_switch_in,min,"
			   "mean,p50,p99,max\n");
	else
		fprintf(f, "%-8s %8s %-16s %5s %9s %8s %8s %8s %12s %12s %12s %12s %12s\n", "kind",
			"id", "name", "prio", "samples", "f_irq", "f_lost", "f_nosw", "min", "mean",
			"p50", "p99", "max");
	for (i = 0; i < l->nkeys && !r; i++) {
		const struct ll_key *k = &l->keys[ord[i]];
		char name[64] = "", prio[24] = "", id[24];
		double mean = 0, p50 = 0, p99 = 0;
		uint32_t j;

		if (k->kind == RL_LAT_WAKEUP) {
			const struct rl_task *tk = &l->t->tasks[k->id];

			if ((o->filter.pid && tk->pid != o->filter.pid) ||
			    (o->filter.name &&
			     strcmp(rl_strtab_get(l->t->strs, tk->name), o->filter.name)))
				continue;
			snprintf(id, sizeof(id), "%d", tk->pid);
			snprintf(name, sizeof(name), "%s", rl_strtab_get(l->t->strs, tk->name));
			snprintf(prio, sizeof(prio), "%lld", (long long)k->prio);
		} else {
			if (o->filter.pid || o->filter.name)
				continue;
			snprintf(id, sizeof(id), "%lld", (long long)k->id);
			if (k->kind == RL_LAT_SOFTIRQ && k->id >= 0 && k->id < 10)
				snprintf(name, sizeof(name), "%s", ll_softirqs[k->id]);
		}
		a.n = 0;
		r = rl_rowstore_each(l->rows, ord[i], ll_collect, &a, err);
		if (r)
			break;
		if (a.n) {
			qsort(a.v, a.n, sizeof(*a.v), ll_cmp64);
			for (j = 0; j < a.n; j++)
				mean += (double)a.v[j];
			mean /= a.n;
			p50 = rl_quantile_sorted(a.v, a.n, 0.5);
			p99 = rl_quantile_sorted(a.v, a.n, 0.99);
		}
		if (o->fmt == RL_OUT_JSON) {
			fprintf(f, "%s\n {\"kind\":\"%s\",\"id\":%s,\"name\":\"", first ? "" : ",",
				ll_kinds[k->kind], id);
			for (j = 0; name[j]; j++)
				if (name[j] == '"' || name[j] == '\\' ||
				    (unsigned char)name[j] < 0x20)
					fprintf(f, "\\u%04x", (unsigned char)name[j]);
				else
					fputc(name[j], f);
			fprintf(f,
				"\",\"prio\":%s,\"samples\":%u,\"filtered_irq\":%llu,"
				"\"filtered_lost\":%llu,\"no_switch_in\":%llu",
				prio[0] ? prio : "null", a.n,
				(unsigned long long)k->filtered[RL_LAT_R_IRQ],
				(unsigned long long)k->filtered[RL_LAT_R_LOST],
				(unsigned long long)k->filtered[RL_LAT_R_NOSWITCH]);
			if (a.n)
				fprintf(f,
					",\"min\":%.*f,\"mean\":%.*f,\"p50\":%.*f,\"p99\":%.*f,"
					"\"max\":%.*f}",
					prec, (double)a.v[0] * sc, prec, mean * sc, prec, p50 * sc,
					prec, p99 * sc, prec, (double)a.v[a.n - 1] * sc);
			else
				fputc('}', f);
		} else if (o->fmt == RL_OUT_CSV) {
			fprintf(f, "%s,%s,%s,%s,%u,%llu,%llu,%llu", ll_kinds[k->kind], id, name,
				prio, a.n, (unsigned long long)k->filtered[RL_LAT_R_IRQ],
				(unsigned long long)k->filtered[RL_LAT_R_LOST],
				(unsigned long long)k->filtered[RL_LAT_R_NOSWITCH]);
			if (a.n)
				fprintf(f, ",%.*f,%.*f,%.*f,%.*f,%.*f\n", prec, (double)a.v[0] * sc,
					prec, mean * sc, prec, p50 * sc, prec, p99 * sc, prec,
					(double)a.v[a.n - 1] * sc);
			else
				fputs(",,,,,\n", f);
		} else {
			fprintf(f, "%-8s %8s %-16s %5s %9u %8llu %8llu %8llu", ll_kinds[k->kind],
				id, name, prio[0] ? prio : "-", a.n,
				(unsigned long long)k->filtered[RL_LAT_R_IRQ],
				(unsigned long long)k->filtered[RL_LAT_R_LOST],
				(unsigned long long)k->filtered[RL_LAT_R_NOSWITCH]);
			if (a.n)
				fprintf(f, " %12.*f %12.*f %12.*f %12.*f %12.*f\n", prec,
					(double)a.v[0] * sc, prec, mean * sc, prec, p50 * sc, prec,
					p99 * sc, prec, (double)a.v[a.n - 1] * sc);
			else
				fprintf(f, " %12s %12s %12s %12s %12s\n", "-", "-", "-", "-", "-");
		}
		first = 0;
	}
	if (!r) {
		if (o->fmt == RL_OUT_JSON)
			fprintf(f, "\n]}\n");
		else if (o->fmt == RL_OUT_TABLE)
			fprintf(f,
				"(times in %s; left out: f_irq disturbed by an interrupt, f_lost "
				"spanning lost events, f_nosw no switch-in in the trace)\n",
				o->ms ? "ms" : "ns");
		if (ferror(f))
			r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write latencies");
	}
	free(a.v);
	free(ord);
	return r;
}
