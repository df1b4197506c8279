/*
 * stats/overheads.c - Feather-Trace overhead samples, all event types in one pass.
 *
 * Each file is walked once in file order. Per cpu field the walker keeps the
 * open START of every paired event (ids 100..199: START even, END = START+1),
 * per pid the open START of the PID-paired events (ids < 100, with LOCK_SUSPEND
 * and LOCK_RESUME excluded from the execution time), and running counts of
 * records and of records with the IRQ flag. A pair is judged when its END
 * arrives:
 *   - a sequence-number hole since START           -> seq hole
 *   - IRQ flag on END, or on any record of that cpu in between -> irq
 *     (ignored on SEND_*_END with ignore_ipi_irq; kept with keep_irq)
 *   - other records of the cpu in between, if asked -> interleaved
 *   - END earlier than START modulo 2^48            -> negative delta
 *   - neither record real-time (unless best effort) -> non-RT
 * A START replaced by another START, or still open at the end of the file,
 * is incomplete; an END with no START is an orphan. Single records (ids >=
 * 200) are values in ns; their IRQ flag is ignored (they are written inside
 * the timer interrupt). Unlike ft2csv, STARTs before the first END are used,
 * pairs across the 48-bit wrap are kept, and every drop is counted.
 *
 * Samples are exact int64 values, kept in memory up to a budget and spilled
 * to the row store's temporary file beyond it, in order.
 */
#include "stats.h"
#include "../readers/feather-trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OVH_DEFAULT_BUDGET (256ull << 20)
#define OVH_NSLOTS 50 /* paired ids 100..199 */

const char *const rl_ovh_reason_names[RL_OVH_NREASONS] = {
	"irq", "seq_hole", "interleaved", "non_rt", "incomplete", "cpu_filtered", "negative",
	"orphan_end",
};

struct ovh_series {
	uint64_t key;
	uint64_t discard[RL_OVH_NREASONS];
	int64_t *v;
	uint64_t nmem, cap, nspill;
	uint32_t group;
	int cpu;
	unsigned event;
};

struct ovh_group {
	char *label;
	uint64_t irq_hist[2][2][32];
};

struct rl_ovh {
	struct rl_ovh_opts o;
	struct ovh_series *ser;
	uint32_t nser, cap_ser;
	uint32_t *map; /* open addressing: series index + 1 */
	uint32_t map_cap;
	struct ovh_group *groups;
	uint32_t ngroups, cap_groups;
	uint32_t *order; /* output order, built lazily */
	struct rl_rowstore *spill;
	uint64_t mem_used;
	int any_want;
};

struct ovh_open {
	uint64_t ts;
	uint64_t nrec;
	uint64_t nirq;
	uint64_t holes;
	uint8_t type;
	uint8_t active;
};

struct ovh_cpu {
	uint64_t nrec; /* records of this cpu so far */
	uint64_t nirq; /* of which with the IRQ flag */
	struct ovh_open open[OVH_NSLOTS];
	uint32_t series[256]; /* series index + 1 per event id, 0 = not looked up */
};

struct ovh_pid {
	uint64_t exec_start;
	uint64_t sum;
	uint64_t nirq;
	uint64_t holes;
	uint8_t id;
	uint8_t cpu;
	uint8_t active;
	uint8_t suspended;
	uint8_t irq;
	uint8_t neg;
};

struct ovh_walk {
	struct rl_ovh *h;
	const struct rl_ft_file *f;
	struct ovh_cpu *cpus[256];
	struct ovh_pid *pids; /* 65536, allocated on the first PID-mode record */
	uint32_t group;
	uint64_t holes;
	uint64_t mask;
};

/**
 * rl_ovh_event_short() - short name of an overhead event
 * @id:  START id or single id
 * @buf: room for the result
 * @len: size of @buf
 *
 * Return: @buf holding e.g. "SCHED", "SEND_RESCHED", "RELEASE_LATENCY", "EVENT_123".
 */
const char *rl_ovh_event_short(unsigned id, char *buf, size_t len)
{
	const char *nm = rl_ft_event_name(id);
	size_t l;

	if (!nm) {
		snprintf(buf, len, "EVENT_%u", id);
		return buf;
	}
	snprintf(buf, len, "%s", nm);
	l = strlen(buf);
	if (l > 6 && !strcmp(buf + l - 6, "_START"))
		buf[l - 6] = 0;
	return buf;
}

/**
 * rl_ovh_event_is_ns() - whether an event's values are nanoseconds
 * @id: event id
 *
 * Return: 1 for single records (RELEASE_LATENCY, TIMER_LATENCY, ids >= 200).
 */
int rl_ovh_event_is_ns(unsigned id)
{
	return id >= RL_FT_SINGLE_RANGE;
}

/**
 * rl_ovh_new() - an empty overhead accumulator
 * @o:   options (copied)
 * @err: error out
 *
 * Return: the accumulator, or NULL with @err set.
 */
struct rl_ovh *rl_ovh_new(const struct rl_ovh_opts *o, struct rl_err *err)
{
	struct rl_ovh *h = calloc(1, sizeof(*h));
	int i;

	if (!h) {
		rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		return NULL;
	}
	h->o = *o;
	if (!h->o.mem_budget)
		h->o.mem_budget = OVH_DEFAULT_BUDGET;
	for (i = 0; i < 256; i++)
		h->any_want |= o->want[i];
	h->spill = rl_rowstore_new(sizeof(int64_t));
	if (!h->spill) {
		free(h);
		rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		return NULL;
	}
	return h;
}

/**
 * rl_ovh_free() - free an accumulator
 * @h: the accumulator (NULL is a no-op)
 */
void rl_ovh_free(struct rl_ovh *h)
{
	uint32_t i;

	if (!h)
		return;
	for (i = 0; i < h->nser; i++)
		free(h->ser[i].v);
	for (i = 0; i < h->ngroups; i++)
		free(h->groups[i].label);
	free(h->ser);
	free(h->map);
	free(h->groups);
	free(h->order);
	rl_rowstore_free(h->spill);
	free(h);
}

/**
 * rl_ovh_group() - find or create a file group
 * @h:     the accumulator
 * @label: its label (the file-name keys that are not combined)
 * @err:   error out
 *
 * Return: the group index, or a negative RL_E_* code.
 */
int rl_ovh_group(struct rl_ovh *h, const char *label, struct rl_err *err)
{
	uint32_t i;

	for (i = 0; i < h->ngroups; i++)
		if (!strcmp(h->groups[i].label, label))
			return (int)i;
	if (h->ngroups >= (1u << 20) ||
	    rl_grow((void **)&h->groups, &h->cap_groups, h->ngroups + 1, sizeof(*h->groups)))
		goto nomem;
	memset(&h->groups[h->ngroups], 0, sizeof(*h->groups));
	h->groups[h->ngroups].label = strdup(label);
	if (!h->groups[h->ngroups].label)
		goto nomem;
	return (int)h->ngroups++;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot add a file group");
}

static uint64_t ovh_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static int ovh_map_grow(struct rl_ovh *h)
{
	uint32_t ncap = h->map_cap ? h->map_cap * 2 : 64, i;
	uint32_t *nm = calloc(ncap, sizeof(*nm));

	if (!nm)
		return -RL_E_NOMEM;
	for (i = 0; i < h->nser; i++) {
		uint64_t p = ovh_hash(h->ser[i].key) & (ncap - 1);

		while (nm[p])
			p = (p + 1) & (ncap - 1);
		nm[p] = i + 1;
	}
	free(h->map);
	h->map = nm;
	h->map_cap = ncap;
	return 0;
}

/* Series index of (group, event, cpu), created on first use; -1 on ENOMEM. */
static int64_t ovh_series_of(struct rl_ovh *h, uint32_t group, unsigned event, int cpu)
{
	uint64_t key = ((uint64_t)group << 20) | ((uint64_t)(cpu + 1) << 8) | event, p;
	struct ovh_series *s;

	if (h->o.per_cpu == 0)
		key = ((uint64_t)group << 20) | event, cpu = -1;
	if ((h->nser + 1) * 2 > h->map_cap && ovh_map_grow(h))
		return -1;
	p = ovh_hash(key) & (h->map_cap - 1);
	while (h->map[p]) {
		if (h->ser[h->map[p] - 1].key == key)
			return h->map[p] - 1;
		p = (p + 1) & (h->map_cap - 1);
	}
	if (h->nser == UINT32_MAX - 1 ||
	    rl_grow((void **)&h->ser, &h->cap_ser, h->nser + 1, sizeof(*h->ser)))
		return -1;
	s = &h->ser[h->nser];
	memset(s, 0, sizeof(*s));
	s->key = key;
	s->group = group;
	s->cpu = cpu;
	s->event = event;
	h->map[p] = h->nser + 1;
	free(h->order);
	h->order = NULL;
	return h->nser++;
}

static int ovh_push_slow(struct rl_ovh *h, struct ovh_series *s, int64_t v, struct rl_err *err)
{
	uint64_t ncap;

	if (!s->nspill) {
		ncap = s->cap ? s->cap * 2 : 256;
		if (h->mem_used + (ncap - s->cap) * sizeof(int64_t) <= h->o.mem_budget) {
			int64_t *nv = realloc(s->v, ncap * sizeof(int64_t));

			if (nv) {
				h->mem_used += (ncap - s->cap) * sizeof(int64_t);
				s->v = nv;
				s->cap = ncap;
				s->v[s->nmem++] = v;
				return 0;
			}
		}
	}
	/* over the budget: the rest of this series goes to the temporary file */
	s->nspill++;
	return rl_rowstore_add(h->spill, (uint32_t)(s - h->ser), &v, err);
}

static inline int ovh_push(struct rl_ovh *h, uint32_t si, int64_t v, struct rl_err *err)
{
	struct ovh_series *s = &h->ser[si];

	if (s->nmem < s->cap && !s->nspill) {
		s->v[s->nmem++] = v;
		return 0;
	}
	return ovh_push_slow(h, s, v, err);
}

static struct ovh_cpu *ovh_cpu_get(struct ovh_walk *w, unsigned cpu)
{
	if (!w->cpus[cpu])
		w->cpus[cpu] = calloc(1, sizeof(struct ovh_cpu));
	return w->cpus[cpu];
}

/* Series index (cached per cpu) for @event; UINT32_MAX when out of memory. */
static inline uint32_t ovh_sidx(struct ovh_walk *w, struct ovh_cpu *cs, unsigned cpu,
				unsigned event)
{
	if (!cs->series[event]) {
		int64_t s = ovh_series_of(w->h, w->group, event, (int)cpu);

		if (s < 0)
			return UINT32_MAX;
		cs->series[event] = (uint32_t)s + 1;
	}
	return cs->series[event] - 1;
}

static int ovh_cpu_filtered(const struct rl_ovh_opts *o, unsigned cpu)
{
	return (int)cpu == o->avoid_cpu || (o->only_cpu >= 0 && (int)cpu != o->only_cpu);
}

static int ovh_be_ok(const struct rl_ovh_opts *o, unsigned start_id)
{
	if (o->best_effort)
		return o->best_effort > 0;
	return start_id == RL_FT_SEND_RESCHED_START || start_id == RL_FT_SEND_XCALL_START ||
	       start_id == RL_FT_QB_START;
}

static int ovh_wanted(const struct rl_ovh *h, unsigned id)
{
	return !h->any_want || h->o.want[id];
}

#define OVH_DISCARD(w, cs, cpu, ev, reason)                                                        \
	do {                                                                                       \
		uint32_t si_ = ovh_sidx((w), (cs), (cpu), (ev));                                   \
		if (si_ == UINT32_MAX)                                                             \
			goto nomem;                                                                \
		(w)->h->ser[si_].discard[(reason)]++;                                              \
	} while (0)

static int ovh_pid_record(struct ovh_walk *w, const struct rl_ft_rec *r, struct ovh_cpu *cs,
			  struct rl_err *err)
{
	struct rl_ovh *h = w->h;
	struct ovh_pid *p;
	unsigned ev = r->event;

	if (!w->pids) {
		w->pids = calloc(65536, sizeof(*w->pids));
		if (!w->pids)
			goto nomem;
	}
	p = &w->pids[r->pid];
	if (ev == RL_FT_LOCK_SUSPEND) {
		if (p->active && !p->suspended) {
			struct ovh_cpu *sc = w->cpus[p->cpu];

			if (sc && sc->nirq - p->nirq > 0)
				p->irq = 1;
			if (((r->ts - p->exec_start) & w->mask) > (w->mask >> 1))
				p->neg = 1;
			p->sum += (r->ts - p->exec_start) & w->mask;
			p->suspended = 1;
		}
		return 0;
	}
	if (ev == RL_FT_LOCK_RESUME) {
		if (p->active && p->suspended) {
			struct ovh_cpu *sc = w->cpus[p->cpu];

			p->exec_start = r->ts;
			p->nirq = sc ? sc->nirq : 0;
			p->suspended = 0;
		}
		return 0;
	}
	if (!(ev & 1)) { /* START */
		if (!ovh_wanted(h, ev))
			return 0;
		if (ovh_cpu_filtered(&h->o, r->cpu)) {
			OVH_DISCARD(w, cs, r->cpu, ev, RL_OVH_R_CPU);
			return 0;
		}
		if (p->active) {
			struct ovh_cpu *sc = ovh_cpu_get(w, p->cpu);

			if (!sc)
				goto nomem;
			OVH_DISCARD(w, sc, p->cpu, p->id,
				    p->holes != w->holes ? RL_OVH_R_HOLE : RL_OVH_R_INCOMPLETE);
		}
		memset(p, 0, sizeof(*p));
		p->active = 1;
		p->id = (uint8_t)ev;
		p->cpu = r->cpu;
		p->exec_start = r->ts;
		p->nirq = cs->nirq;
		p->holes = w->holes;
		return 0;
	}
	/* END */
	if (!p->active || p->id != ev - 1) {
		if (ovh_wanted(h, ev - 1) && !ovh_cpu_filtered(&h->o, r->cpu))
			OVH_DISCARD(w, cs, r->cpu, ev - 1, RL_OVH_R_ORPHAN);
		return 0;
	} else {
		struct ovh_cpu *sc = ovh_cpu_get(w, p->cpu);
		int reason = -1;
		uint32_t si;

		if (!sc)
			goto nomem;
		p->active = 0;
		if (!p->suspended) {
			if (sc->nirq - p->nirq > 0)
				p->irq = 1;
			if (((r->ts - p->exec_start) & w->mask) > (w->mask >> 1))
				p->neg = 1;
			p->sum += (r->ts - p->exec_start) & w->mask;
		}
		if (p->holes != w->holes)
			reason = RL_OVH_R_HOLE;
		else if (p->irq && !h->o.keep_irq)
			reason = RL_OVH_R_IRQ;
		else if (p->neg)
			reason = RL_OVH_R_NEGATIVE;
		si = ovh_sidx(w, sc, p->cpu, p->id);
		if (si == UINT32_MAX)
			goto nomem;
		if (reason >= 0)
			h->ser[si].discard[reason]++;
		else if (ovh_push(h, si, (int64_t)(p->sum & w->mask), err) < 0)
			return err->code;
	}
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
}

/**
 * rl_ovh_add_file() - extract every overhead sample of one file
 * @h:     the accumulator
 * @f:     the file
 * @group: its group (rl_ovh_group())
 * @t:     trace for counted warnings and error paths (may be NULL)
 * @src:   source index of the file in @t
 * @err:   error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_add_file(struct rl_ovh *h, const struct rl_ft_file *f, uint32_t group,
		    struct rl_trace *t, uint16_t src, struct rl_err *err)
{
	const char *path = t && src < t->nsrcs ? t->srcs[src].path : NULL;
	uint8_t warned[256] = { 0 };
	struct ovh_walk *w = calloc(1, sizeof(*w));
	struct rl_ft_rec r;
	uint32_t last_seq = 0;
	uint64_t i;
	unsigned c, k;
	int ret = 0;

	if (!w)
		return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
	w->h = h;
	w->f = f;
	w->group = group;
	w->mask = f->ts_mask;
	for (i = 0; i < f->nrec; i++) {
		struct ovh_cpu *cs;
		unsigned ev;

		rl_ft_decode(f, i, &r);
		if (i && r.seq != (uint32_t)(last_seq + 1))
			w->holes++;
		last_seq = r.seq;
		cs = w->cpus[r.cpu];
		if (!cs) {
			cs = ovh_cpu_get(w, r.cpu);
			if (!cs)
				goto nomem;
		}
		cs->nrec++;
		cs->nirq += r.irq_flag;
		ev = r.event;
		if (t && f->cpu >= 0 && r.cpu != f->cpu)
			rl_trace_warn(t, RL_W_CPU_MISMATCH, src, i * RL_FT_REC,
				      "record for cpu %u in the file of cpu %d", r.cpu, f->cpu);
		if (t && !warned[ev] && !rl_ft_event_name(ev)) {
			warned[ev] = 1;
			rl_trace_warn(t, RL_W_UNKNOWN_TYPE, src, i * RL_FT_REC,
				      "event id %u has no name; reported as EVENT_%u", ev, ev);
		}
		if (ev >= 100 && ev < 200) {
			struct ovh_open *o = &cs->open[(ev - 100) >> 1];

			if (!(ev & 1)) {
				if (!ovh_wanted(h, ev))
					continue;
				if (ovh_cpu_filtered(&h->o, r.cpu)) {
					OVH_DISCARD(w, cs, r.cpu, ev, RL_OVH_R_CPU);
					continue;
				}
				if (o->active)
					OVH_DISCARD(w, cs, r.cpu, ev,
						    o->holes != w->holes ? RL_OVH_R_HOLE
									 : RL_OVH_R_INCOMPLETE);
				o->active = 1;
				o->ts = r.ts;
				o->nrec = cs->nrec;
				o->nirq = cs->nirq;
				o->holes = w->holes;
				o->type = r.type;
			} else {
				unsigned sid = ev - 1;
				int ipi = ev == RL_FT_SEND_RESCHED_END || ev == RL_FT_SEND_XCALL_END;
				uint64_t delta, between_irq;
				int reason = -1;
				uint32_t si;

				if (ipi) {
					struct ovh_group *g = &h->groups[group];

					g->irq_hist[ev == RL_FT_SEND_XCALL_END][r.irq_flag]
						   [r.irq_count]++;
				}
				if (!ovh_wanted(h, sid))
					continue;
				if (!o->active) {
					if (!ovh_cpu_filtered(&h->o, r.cpu))
						OVH_DISCARD(w, cs, r.cpu, sid, RL_OVH_R_ORPHAN);
					continue;
				}
				o->active = 0;
				delta = (r.ts - o->ts) & w->mask;
				between_irq = cs->nirq - o->nirq - r.irq_flag;
				if (o->holes != w->holes)
					reason = RL_OVH_R_HOLE;
				else if (!h->o.keep_irq &&
					 (between_irq ||
					  (r.irq_flag && !(ipi && h->o.ignore_ipi_irq))))
					reason = RL_OVH_R_IRQ;
				else if (h->o.no_interleaved && cs->nrec - o->nrec > 1)
					reason = RL_OVH_R_INTERLEAVED;
				else if (delta > (w->mask >> 1) && !h->o.keep_negative)
					reason = RL_OVH_R_NEGATIVE;
				else if (o->type != RL_FT_RT && r.type != RL_FT_RT &&
					 !ovh_be_ok(&h->o, sid))
					reason = RL_OVH_R_NONRT;
				si = ovh_sidx(w, cs, r.cpu, sid);
				if (si == UINT32_MAX)
					goto nomem;
				if (reason >= 0)
					h->ser[si].discard[reason]++;
				else if (ovh_push(h, si,
						  delta > (w->mask >> 1)
							  ? (int64_t)(delta | ~w->mask) /* < 0 */
							  : (int64_t)delta,
						  err) < 0) {
					ret = err->code;
					goto out;
				}
			}
		} else if (ev >= RL_FT_SINGLE_RANGE) {
			uint32_t si;

			if (!ovh_wanted(h, ev))
				continue;
			si = ovh_sidx(w, cs, r.cpu, ev);
			if (si == UINT32_MAX)
				goto nomem;
			if (ovh_cpu_filtered(&h->o, r.cpu))
				h->ser[si].discard[RL_OVH_R_CPU]++;
			else if (r.type != RL_FT_RT && h->o.best_effort <= 0)
				h->ser[si].discard[RL_OVH_R_NONRT]++;
			else if (ovh_push(h, si, (int64_t)r.ts, err) < 0) {
				ret = err->code;
				goto out;
			}
		} else {
			ret = ovh_pid_record(w, &r, cs, err);
			if (ret < 0)
				goto out;
		}
	}
	/* STARTs still open at the end of the file */
	for (c = 0; c < 256; c++) {
		struct ovh_cpu *cs = w->cpus[c];

		if (!cs)
			continue;
		for (k = 0; k < OVH_NSLOTS; k++)
			if (cs->open[k].active)
				OVH_DISCARD(w, cs, c, 100 + 2 * k,
					    cs->open[k].holes != w->holes ? RL_OVH_R_HOLE
									  : RL_OVH_R_INCOMPLETE);
	}
	if (w->pids)
		for (k = 0; k < 65536; k++) {
			struct ovh_pid *p = &w->pids[k];
			struct ovh_cpu *sc;

			if (!p->active)
				continue;
			sc = ovh_cpu_get(w, p->cpu);
			if (!sc)
				goto nomem;
			OVH_DISCARD(w, sc, p->cpu, p->id,
				    p->holes != w->holes ? RL_OVH_R_HOLE : RL_OVH_R_INCOMPLETE);
		}
	goto out;
nomem:
	ret = rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
out:
	for (c = 0; c < 256; c++)
		free(w->cpus[c]);
	free(w->pids);
	free(w);
	return ret;
}

static int ovh_order_cmp(const void *a, const void *b, void *arg)
{
	const struct rl_ovh *h = arg;
	const struct ovh_series *x = &h->ser[*(const uint32_t *)a];
	const struct ovh_series *y = &h->ser[*(const uint32_t *)b];

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->event != y->event)
		return x->event < y->event ? -1 : 1;
	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

/**
 * rl_ovh_nseries() - number of series (event x group [x cpu]) seen
 * @h: the accumulator
 *
 * Return: the count.
 */
uint32_t rl_ovh_nseries(const struct rl_ovh *h)
{
	return h->nser;
}

/**
 * rl_ovh_ngroups() - number of file groups
 * @h: the accumulator
 *
 * Return: the count.
 */
uint32_t rl_ovh_ngroups(const struct rl_ovh *h)
{
	return h->ngroups;
}

/**
 * rl_ovh_group_label() - the label of a group
 * @h: the accumulator
 * @g: group index
 *
 * Return: the label.
 */
const char *rl_ovh_group_label(const struct rl_ovh *h, uint32_t g)
{
	return g < h->ngroups ? h->groups[g].label : "";
}

static uint32_t ovh_ordered(const struct rl_ovh *h, uint32_t i)
{
	struct rl_ovh *m = (struct rl_ovh *)h; /* the order is a cache */
	uint32_t k;

	if (!m->order) {
		m->order = malloc((size_t)(m->nser ? m->nser : 1) * sizeof(*m->order));
		if (!m->order)
			return i;
		for (k = 0; k < m->nser; k++)
			m->order[k] = k;
		qsort_r(m->order, m->nser, sizeof(*m->order), ovh_order_cmp, m);
	}
	return m->order[i];
}

/**
 * rl_ovh_series() - describe a series
 * @h:  the accumulator
 * @i:  position in output order (< rl_ovh_nseries())
 * @si: output
 */
void rl_ovh_series(const struct rl_ovh *h, uint32_t i, struct rl_ovh_series_info *si)
{
	const struct ovh_series *s = &h->ser[ovh_ordered(h, i)];

	si->group = s->group;
	si->cpu = s->cpu;
	si->event = s->event;
	si->n = s->nmem + s->nspill;
	memcpy(si->discard, s->discard, sizeof(si->discard));
}

struct ovh_collect {
	int64_t *v;
	uint64_t n;
};

static int ovh_collect_row(void *arg, const void *row, struct rl_err *err)
{
	struct ovh_collect *c = arg;

	(void)err;
	memcpy(&c->v[c->n++], row, sizeof(int64_t));
	return 0;
}

/**
 * rl_ovh_samples() - the kept samples of a series, in file order
 * @h:   the accumulator
 * @i:   position in output order
 * @v:   set to a malloc'ed array (the caller frees it)
 * @n:   set to its length
 * @err: error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_samples(struct rl_ovh *h, uint32_t i, int64_t **v, uint64_t *n, struct rl_err *err)
{
	uint32_t idx = ovh_ordered(h, i);
	struct ovh_series *s = &h->ser[idx];
	struct ovh_collect c;
	uint64_t total = s->nmem + s->nspill;
	int r;

	*v = NULL;
	*n = 0;
	if (total > SIZE_MAX / sizeof(int64_t))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "too many samples");
	c.v = malloc((size_t)(total ? total : 1) * sizeof(int64_t));
	if (!c.v)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
				  "cannot allocate %llu samples", (unsigned long long)total);
	if (s->nmem)
		memcpy(c.v, s->v, s->nmem * sizeof(int64_t));
	c.n = s->nmem;
	if (s->nspill) {
		r = rl_rowstore_each(h->spill, idx, ovh_collect_row, &c, err);
		if (r < 0) {
			free(c.v);
			return r;
		}
	}
	*v = c.v;
	*n = c.n;
	return 0;
}

/**
 * rl_ovh_irq_hist() - irq_count distribution of SEND_*_END records
 * @h:     the accumulator
 * @group: group index
 * @xcall: 0 SEND_RESCHED_END, 1 SEND_XCALL_END
 * @flag:  irq_flag
 * @count: irq_count (0..31)
 *
 * Return: the number of such records.
 */
uint64_t rl_ovh_irq_hist(const struct rl_ovh *h, uint32_t group, int xcall, int flag, int count)
{
	if (group >= h->ngroups || count < 0 || count > 31)
		return 0;
	return h->groups[group].irq_hist[!!xcall][!!flag][count];
}

/* ------------------------------------------------------------ statistics */

static int ovh_cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/**
 * rl_ovh_sort() - LSD radix sort of int64 values
 * @v:   values (sorted in place)
 * @tmp: scratch of @n values (NULL: sort with qsort)
 * @n:   count
 *
 * Byte positions where every value agrees are skipped, so small cycle counts
 * take two or three passes.
 */
void rl_ovh_sort(int64_t *v, int64_t *tmp, uint64_t n)
{
	uint64_t (*cnt)[256] = calloc(8, sizeof(*cnt));
	uint64_t i, *src = (uint64_t *)v, *dst = (uint64_t *)tmp;
	int b;

	if (!cnt || !tmp) {
		free(cnt);
		qsort(v, n, sizeof(*v), ovh_cmp64);
		return;
	}
	for (i = 0; i < n; i++) {
		uint64_t x = src[i] ^ (1ull << 63);

		for (b = 0; b < 8; b++)
			cnt[b][(x >> (8 * b)) & 255]++;
	}
	for (b = 0; b < 8; b++) {
		uint64_t sum = 0, c, *t;
		int j, skip = 0;

		for (j = 0; j < 256; j++)
			if (cnt[b][j] == n)
				skip = 1;
		if (skip)
			continue;
		for (j = 0; j < 256; j++) {
			c = cnt[b][j];
			cnt[b][j] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			uint64_t x = src[i] ^ (1ull << 63);

			dst[cnt[b][(x >> (8 * b)) & 255]++] = src[i];
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != (uint64_t *)v)
		memcpy(v, src, n * sizeof(*v));
	free(cnt);
}

/**
 * rl_ovh_stat_compute() - ft-compute-stats' statistics of exact samples
 * @v:  samples (sorted in place)
 * @n:  count
 * @st: output (n = 0 gives zeros, as ft-compute-stats prints)
 */
void rl_ovh_stat_compute(int64_t *v, uint64_t n, struct rl_ovh_stat *st)
{
	int64_t *tmp;
	long double sum = 0, ss = 0, mean;
	uint64_t i;

	memset(st, 0, sizeof(*st));
	st->n = st->k = n;
	if (!n)
		return;
	tmp = malloc(n * sizeof(*tmp));
	rl_ovh_sort(v, tmp, n); /* qsort when tmp is NULL */
	free(tmp);
	for (i = 0; i < n; i++)
		sum += v[i];
	mean = sum / n;
	for (i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	st->min = v[0];
	st->max = v[n - 1];
	st->mean = (double)mean;
	st->var = (double)(ss / n);
	st->std = n > 1 ? sqrt((double)(ss / (n - 1))) : NAN;
	st->median = rl_quantile_sorted(v, n, 0.5);
	st->p90 = rl_quantile_sorted(v, n, 0.90);
	st->p95 = rl_quantile_sorted(v, n, 0.95);
	st->p99 = rl_quantile_sorted(v, n, 0.99);
	st->p999 = rl_quantile_sorted(v, n, 0.999);
	st->exp_max = (double)st->max;
}

/**
 * rl_ovh_expected_max() - exact E[max] of k draws without replacement
 * @v: sorted values
 * @n: count
 * @k: draws (1..n)
 *
 * P(max = v[i-1]) = C(i-1, k-1) / C(n, k) for i = k..n; the terms are
 * produced from i = n downwards by the ratio (i-k)/(i-1). No randomness.
 *
 * Return: the expectation (v[n-1] when k >= n, 0 when k or n is 0).
 */
double rl_ovh_expected_max(const int64_t *v, uint64_t n, uint64_t k)
{
	long double p, e = 0;
	uint64_t i;

	if (!n || !k)
		return 0;
	if (k >= n)
		return (double)v[n - 1];
	p = (long double)k / n;
	for (i = n; i >= k && p > 0; i--) {
		e += p * v[i - 1];
		if (i == k || i == 1)
			break;
		p = p * (i - k) / (i - 1);
	}
	return (double)e;
}

static uint64_t ovh_splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/**
 * rl_ovh_shuffle() - seeded partial Fisher-Yates shuffle
 * @v:    values
 * @n:    count
 * @k:    positions to fill with a uniform random sample (k <= n)
 * @seed: the seed: equal seeds give equal results on every platform
 */
void rl_ovh_shuffle(int64_t *v, uint64_t n, uint64_t k, uint64_t seed)
{
	uint64_t s = seed, i;

	for (i = 0; i < k && i + 1 < n; i++) {
		uint64_t range = n - i, lim = UINT64_MAX - UINT64_MAX % range, x, j;
		int64_t t;

		do
			x = ovh_splitmix(&s);
		while (x >= lim);
		j = i + x % range;
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}
