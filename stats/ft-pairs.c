/*
 * stats/ft-pairs.c - Feather-Trace overhead samples, all event types in one pass.
 *
 * Each file is walked once in file order. Per cpu field the walker keeps the
 * open START of every paired event (ids 100..199: START even, END = START+1),
 * per pid the open START of the PID-paired events (ids < 100, with LOCK_SUSPEND
 * and LOCK_RESUME excluded from the execution time), and running counts of
 * records and of records with the IRQ flag. A pair is judged when its END
 * arrives, by the rules of filters/discard.c (first match wins):
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
 * Samples go to the accumulator (stats/ovh-acc.c), which keeps them in
 * memory up to its budget and spills the rest. With log_samples (rtlens db)
 * each judged sample, kept or discarded, is also logged with its value.
 * Files are walked in parallel (each walk owns its state) and handed over
 * in the order given.
 */
#include "ovh-local.h"
#include "../readers/feather-trace.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define OVH_NSLOTS 50 /* paired ids 100..199 */

struct ovh_open {
	uint64_t ts;
	uint64_t nrec;
	uint64_t nirq;
	uint64_t holes;
	uint16_t pid; /* the START's (for the skew compensation of IPIs) */
	uint8_t type;
	uint8_t active;
};

struct ovh_cpu {
	uint64_t nrec; /* records of this cpu so far */
	uint64_t nirq; /* of which with the IRQ flag */
	struct ovh_open open[OVH_NSLOTS];
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

/* What one file's walk produces; merged into the accumulator in file order. */
struct ovh_result {
	struct ovh_lser *first, *last;
	uint64_t irq_hist[2][2][32];
	uint64_t mismatch, first_mismatch; /* records whose cpu is not the file's */
	unsigned mismatch_cpu;
	int file_cpu;
	uint64_t unknown_off[256]; /* offset + 1 of the first record of an unnamed id */
	struct rl_ft_clock clock;  /* implausible timestamps (skipped), steps backwards */
	uint64_t bad_values, first_bad_value; /* single records with an all-ones value */
	int kind;
	int ret;
	struct rl_err err;
};

struct ovh_walk {
	const struct rl_ovh_opts *o;
	struct rl_ft_rules rules; /* what o says about keeping samples */
	int cpu_rule;		  /* rules name a cpu (only / avoid): the cpu judges matter */
	int any_want;
	const uint8_t *odd;  /* per id: it has no LITMUS name (the job's table) */
	const uint8_t *want; /* per id: its samples are extracted (the job's table) */
	int per_cpu;
	const struct rl_ft_file *f;
	struct ovh_result *res;
	struct ovh_cpu *cpus[256];
	struct ovh_lser **ls[256]; /* per cpu (or [0] for all), 256 ids: allocated on use */
	struct ovh_pid *pids[256]; /* pid >> 8: pages of 256 pids, allocated on use */
	uint64_t holes;
	uint64_t mask;
};

static struct ovh_lser *ovh_lser_new(struct ovh_walk *w, unsigned cpu, unsigned event)
{
	unsigned c = w->o->per_cpu ? cpu : 0;
	struct ovh_lser **slot, *s;

	if (!w->ls[c]) {
		w->ls[c] = calloc(256, sizeof(**w->ls));
		if (!w->ls[c])
			return NULL;
	}
	slot = &w->ls[c][event];
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cpu = w->o->per_cpu ? (int)cpu : -1;
	s->event = event;
	s->counting = w->o->count_only;
	s->logging = w->o->log_samples;
	if (w->res->last)
		w->res->last->next = s;
	else
		w->res->first = s;
	w->res->last = s;
	*slot = s;
	return s;
}

static inline struct ovh_lser *ovh_lser_get(struct ovh_walk *w, unsigned cpu, unsigned event)
{
	struct ovh_lser **t = w->ls[w->per_cpu ? cpu : 0];

	return t && t[event] ? t[event] : ovh_lser_new(w, cpu, event);
}

static inline int ovh_wanted(const struct ovh_walk *w, unsigned id)
{
	return w->want[id & 255];
}

static inline struct ovh_cpu *ovh_cpu_get(struct ovh_walk *w, unsigned cpu)
{
	if (!w->cpus[cpu])
		w->cpus[cpu] = calloc(1, sizeof(struct ovh_cpu));
	return w->cpus[cpu];
}

#define OVH_DISCARD(w, cpu, ev, reason)                                                            \
	do {                                                                                       \
		struct ovh_lser *s_ = ovh_lser_get((w), (cpu), (ev));                              \
		if (!s_)                                                                           \
			goto nomem;                                                                \
		if (ovh_ldiscard(s_, (reason), 0, 0) < 0)                                          \
			goto nomem;                                                                \
	} while (0)

static int ovh_pid_record(struct ovh_walk *w, const struct rl_ft_rec *r, struct ovh_cpu *cs)
{
	struct ovh_pid *p;
	unsigned ev = r->event;

	if (!w->pids[r->pid >> 8]) {
		w->pids[r->pid >> 8] = calloc(256, sizeof(**w->pids));
		if (!w->pids[r->pid >> 8])
			goto nomem;
	}
	p = &w->pids[r->pid >> 8][r->pid & 255];
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
		if (!ovh_wanted(w, ev))
			return 0;
		if (w->cpu_rule && rl_judge_ft_start(r->cpu, &w->rules) != RL_DISCARD_KEEP) {
			OVH_DISCARD(w, r->cpu, ev, RL_DISCARD_CPU);
			return 0;
		}
		if (p->active)
			OVH_DISCARD(w, p->cpu, p->id, rl_judge_ft_unended(p->holes != w->holes));
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
		if (ovh_wanted(w, ev - 1) && !rl_ft_rules_cpu_excluded(&w->rules, r->cpu))
			OVH_DISCARD(w, r->cpu, ev - 1, RL_DISCARD_ORPHAN);
	} else {
		struct ovh_cpu *sc = ovh_cpu_get(w, p->cpu);
		struct rl_ft_pair_facts pf = {0};
		enum rl_discard reason;
		struct ovh_lser *s;
		int64_t v;

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
		pf.start_id = p->id;
		pf.hole = p->holes != w->holes;
		pf.irq_between = p->irq;
		pf.negative = p->neg;
		reason = rl_judge_ft_pid_pair(&pf, &w->rules);
		s = ovh_lser_get(w, p->cpu, p->id);
		if (!s)
			goto nomem;
		v = (int64_t)(p->sum & w->mask);
		if (reason == RL_DISCARD_KEEP) {
			if (ovh_lkeep(s, v) < 0)
				goto nomem;
		} else if (ovh_ldiscard(s, reason,
					/* negative: sign-extended, as the cpu-paired ones */
					p->neg && (uint64_t)v > (w->mask >> 1)
						? v | (int64_t)~w->mask
						: v,
					1) < 0) {
			goto nomem;
		}
	}
	return 0;
nomem:
	return -RL_E_NOMEM;
}

#define OVH_HOT static inline __attribute__((always_inline))

/* A START of a cpu-paired event (ids 100..198, even): it opens the cpu's slot. */
OVH_HOT int ovh_slot_start(struct ovh_walk *w, const struct rl_ft_rec *r, struct ovh_cpu *cs,
			   int skew)
{
	struct ovh_open *op = &cs->open[(r->event - 100) >> 1];
	unsigned ev = r->event;

	if (!ovh_wanted(w, ev))
		return 0;
	if (w->cpu_rule && rl_judge_ft_start(r->cpu, &w->rules) != RL_DISCARD_KEEP) {
		OVH_DISCARD(w, r->cpu, ev, RL_DISCARD_CPU);
		return 0;
	}
	if (op->active) /* replaced before its END came */
		OVH_DISCARD(w, r->cpu, ev, rl_judge_ft_unended(op->holes != w->holes));
	op->active = 1;
	op->ts = r->ts;
	op->nrec = cs->nrec;
	op->nirq = cs->nirq;
	op->holes = w->holes;
	if (skew)
		op->pid = r->pid;
	op->type = r->type;
	return 0;
nomem:
	return -RL_E_NOMEM;
}

/*
 * --skew: the IPI delay once more, on one clock (stats/skew-pairs.c), judged
 * by the same rules with its own sign, into the series of the END's id.
 */
static __attribute__((noinline, cold)) int ovh_skew_end(struct ovh_walk *w,
							const struct rl_ft_rec *r,
							const struct ovh_open *op,
							struct rl_ft_pair_facts *pf, int64_t raw)
{
	enum rl_discard reason;
	struct ovh_lser *s;
	int64_t v;

	if (!rl_skew_ft_fix_ipi(w->o->ipi_skew, r->cpu, op->ts, op->pid, raw, &v))
		return 0; /* counted there */
	pf->negative = v < 0;
	reason = rl_judge_ft_pair(pf, &w->rules);
	s = ovh_lser_get(w, r->cpu, r->event);
	if (!s)
		return -RL_E_NOMEM;
	if (reason != RL_DISCARD_KEEP ? ovh_ldiscard(s, reason, v, 1) : ovh_lkeep(s, v))
		return -RL_E_NOMEM;
	return 0;
}

/* An END of a cpu-paired event: the pair is judged, its delta kept or counted. */
OVH_HOT int ovh_slot_end(struct ovh_walk *w, const struct rl_ft_rec *r, struct ovh_cpu *cs,
			 int skew)
{
	struct ovh_open *op = &cs->open[(r->event - 100) >> 1];
	unsigned ev = r->event, sid = ev - 1;
	struct rl_ft_pair_facts pf;
	enum rl_discard reason;
	struct ovh_lser *s;
	uint64_t delta;
	int64_t v;

	if (ev == RL_FT_SEND_RESCHED_END || ev == RL_FT_SEND_XCALL_END)
		w->res->irq_hist[ev == RL_FT_SEND_XCALL_END][r->irq_flag][r->irq_count]++;
	if (!ovh_wanted(w, sid))
		return 0;
	if (!op->active) {
		if (!w->cpu_rule || !rl_ft_rules_cpu_excluded(&w->rules, r->cpu))
			OVH_DISCARD(w, r->cpu, sid, RL_DISCARD_ORPHAN);
		return 0;
	}
	op->active = 0;
	delta = (r->ts - op->ts) & w->mask;
	pf.between = cs->nrec - op->nrec - 1;
	pf.irq_between = cs->nirq - op->nirq - r->irq_flag;
	pf.start_id = sid;
	pf.hole = op->holes != w->holes;
	pf.irq_end = r->irq_flag;
	pf.negative = delta > (w->mask >> 1);
	pf.start_rt = op->type == RL_FT_RT;
	pf.end_rt = r->type == RL_FT_RT;
	reason = rl_judge_ft_pair(&pf, &w->rules);
	s = ovh_lser_get(w, r->cpu, sid);
	if (!s)
		goto nomem;
	v = pf.negative ? (int64_t)(delta | ~w->mask) /* < 0 */ : (int64_t)delta;
	if (reason != RL_DISCARD_KEEP ? ovh_ldiscard(s, reason, v, 1) : ovh_lkeep(s, v))
		goto nomem;
	if (skew && (ev == RL_FT_SEND_RESCHED_END || ev == RL_FT_SEND_XCALL_END))
		return ovh_skew_end(w, r, op, &pf, v);
	return 0;
nomem:
	return -RL_E_NOMEM;
}

/* A single record (ids >= 200): its value is the sample. */
OVH_HOT int ovh_single(struct ovh_walk *w, const struct rl_ft_rec *r)
{
	enum rl_discard reason;
	struct ovh_lser *s;

	if (!ovh_wanted(w, r->event))
		return 0;
	s = ovh_lser_get(w, r->cpu, r->event);
	if (!s)
		return -RL_E_NOMEM;
	reason = rl_judge_ft_single(r->cpu, r->type == RL_FT_RT, &w->rules);
	if (reason != RL_DISCARD_KEEP ? ovh_ldiscard(s, reason, (int64_t)r->ts, 1)
				      : ovh_lkeep(s, (int64_t)r->ts))
		return -RL_E_NOMEM;
	return 0;
}

/* STARTs still open at the end of the file never got their END. */
static int ovh_walk_end(struct ovh_walk *w)
{
	unsigned c, k;

	for (c = 0; c < 256; c++) {
		struct ovh_cpu *cs = w->cpus[c];

		if (!cs)
			continue;
		for (k = 0; k < OVH_NSLOTS; k++)
			if (cs->open[k].active)
				OVH_DISCARD(w, c, 100 + 2 * k,
					    rl_judge_ft_unended(cs->open[k].holes != w->holes));
	}
	for (c = 0; c < 256; c++) { /* pages of pids in pid order; most were never used */
		if (!w->pids[c])
			continue;
		for (k = 0; k < 256; k++) {
			struct ovh_pid *p = &w->pids[c][k];

			if (p->active)
				OVH_DISCARD(w, p->cpu, p->id,
					    rl_judge_ft_unended(p->holes != w->holes));
		}
	}
	return 0;
nomem:
	return -RL_E_NOMEM;
}

#define OVH_CHUNK_RECS (UINT64_C(1) << 20) /* records walked between page releases */

/* One file, start to end. Touches only @w and its result: runs in any thread.
 * Instantiated per layout and byte order so that decoding is branch-free. */
OVH_HOT int ovh_walk_impl(struct ovh_walk *w, int layout, int be, int skew)
{
	const struct rl_ft_file *f = w->f;
	struct ovh_result *res = w->res;
	uint32_t last_seq = 0;
	uint8_t odd[256];
	unsigned last_cpu = 256; /* no cpu yet */
	struct ovh_cpu *last_cs = NULL;
	int fcpu = f->cpu, ret, foreign = 0; /* foreign: the record's cpu is not the file's */
	uint64_t i, chunk, chunk_end;
	/* a local copy: the stores of the walk cannot alias it (one load less per record) */
	struct rl_ft_clock clk = res->clock;

	memcpy(odd, w->odd, sizeof(odd));
	if (f->nrec) { /* the first record follows itself: no hole */
		struct rl_ft_rec r0;

		rl_ft_decode_as(f->buf, layout, be, &r0);
		last_seq = r0.seq - 1;
	}
	/*
	 * In chunks: a mapped input's pages behind the walk go back to the
	 * kernel after each, so memory stays that of a chunk, not of the file.
	 */
	for (chunk = 0; chunk < f->nrec; chunk = chunk_end) {
		chunk_end = f->nrec - chunk > OVH_CHUNK_RECS ? chunk + OVH_CHUNK_RECS : f->nrec;
		for (i = chunk; i < chunk_end; i++) {
			struct rl_ft_rec r;
			struct ovh_cpu *cs;
			unsigned ev;

			rl_ft_decode_as(f->buf + i * RL_FT_REC, layout, be, &r);
			w->holes += r.seq != (uint32_t)(last_seq + 1);
			last_seq = r.seq;
			/* damaged timestamps would make samples of hours: skipped, counted */
			if (__builtin_expect(
				    r.event < RL_FT_SINGLE_RANGE
					    ? !rl_ft_clock_step(&clk, r.ts, w->mask, i * RL_FT_REC)
					    : r.ts == w->mask,
				    0)) {
				if (r.event >= RL_FT_SINGLE_RANGE && !res->bad_values++)
					res->first_bad_value = i * RL_FT_REC;
				continue;
			}
			if (__builtin_expect(r.cpu != last_cpu, 0)) {
				last_cpu = r.cpu;
				last_cs = w->cpus[r.cpu] ? w->cpus[r.cpu] : ovh_cpu_get(w, r.cpu);
				if (!last_cs) {
					res->clock = clk;
					return -RL_E_NOMEM;
				}
				foreign = fcpu >= 0 && r.cpu != (unsigned)fcpu;
			}
			cs = last_cs;
			cs->nrec++;
			cs->nirq += r.irq_flag;
			ev = r.event;
			if (__builtin_expect(odd[ev] | foreign, 0)) {
				if (foreign && !res->mismatch++) {
					res->file_cpu = fcpu;
					res->first_mismatch = i * RL_FT_REC;
					res->mismatch_cpu = r.cpu;
				}
				if (odd[ev]) { /* an id without a name: noted once */
					res->unknown_off[ev] = i * RL_FT_REC + 1;
					odd[ev] = 0;
				}
			}
			if (ev >= 100 && ev < 200)
				ret = ev & 1 ? ovh_slot_end(w, &r, cs, skew)
					     : ovh_slot_start(w, &r, cs, skew);
			else if (ev >= RL_FT_SINGLE_RANGE)
				ret = ovh_single(w, &r);
			else
				ret = ovh_pid_record(w, &r, cs);
			if (ret < 0) {
				res->clock = clk;
				return ret;
			}
		}
		rl_input_drop_before(f->in, chunk_end * RL_FT_REC);
	}
	res->clock = clk;
	return ovh_walk_end(w);
}

static int ovh_walk(struct ovh_walk *w)
{
	if (w->o->ipi_skew) /* --skew: its own copy, so the usual walk carries none of it */
		return ovh_walk_impl(w, w->f->layout, w->f->be, 1);
	if (w->f->layout == RL_FT_CURRENT)
		return w->f->be ? ovh_walk_impl(w, RL_FT_CURRENT, 1, 0)
				: ovh_walk_impl(w, RL_FT_CURRENT, 0, 0);
	return ovh_walk_impl(w, w->f->layout, w->f->be, 0);
}

static void ovh_walk_free(struct ovh_walk *w)
{
	unsigned c;

	for (c = 0; c < 256; c++) {
		free(w->cpus[c]);
		free(w->pids[c]);
		free(w->ls[c]);
	}
	memset(w->cpus, 0, sizeof(w->cpus));
	memset(w->pids, 0, sizeof(w->pids));
	memset(w->ls, 0, sizeof(w->ls));
}

static void ovh_result_free(struct ovh_result *res)
{
	struct ovh_lser *s = res->first, *nx;

	for (; s; s = nx) {
		nx = s->next;
		rl_ovh_lser_free(s);
	}
	res->first = res->last = NULL;
}

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

	if (id == RL_FT_SEND_RESCHED_END || id == RL_FT_SEND_XCALL_END) { /* --skew's series */
		snprintf(buf, len, "%s+skew",
			 id == RL_FT_SEND_RESCHED_END ? "SEND_RESCHED" : "SEND_XCALL");
		return buf;
	}
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

/* An event name or id (an END names its pair's START). */
static int ovh_ft_event_parse(const char *s, unsigned *id)
{
	if (rl_ft_event_parse(s, id) < 0 || *id > 255)
		return -1;
	*id = rl_ft_pair_start(*id);
	return 0;
}

/* The Feather-Trace schema: event ids, cycles or ns, the extraction's reasons. */
const struct rl_ovh_schema rl_ovh_schema_ft = {
	.event_name = rl_ovh_event_short,
	.event_is_ns = rl_ovh_event_is_ns,
	.event_parse = ovh_ft_event_parse,
	.reasons = rl_discard_cols_ft,
	.nreasons = sizeof(rl_discard_cols_ft),
	.by_event = 0,
	.irq_counts = 1,
};

/* Hand one file's samples to the accumulator (file order is the call order). */
static int ovh_merge(struct rl_ovh *h, struct ovh_result *res, uint32_t group, struct rl_trace *t,
		     uint16_t src, struct rl_err *err)
{
	unsigned k;

	if (t && res->mismatch)
		rl_trace_warn(t, RL_W_CPU_MISMATCH, src, res->first_mismatch,
			      "record for cpu %u in the file of cpu %d (%llu such records)",
			      res->mismatch_cpu, res->file_cpu, (unsigned long long)res->mismatch);
	if (t && res->clock.bad)
		rl_trace_warn(t, RL_W_GARBAGE, src, res->clock.first_bad,
			      "implausible timestamp (all ones, or a jump of over 2^44 cycles): "
			      "%llu records skipped",
			      (unsigned long long)res->clock.bad);
	if (t && res->bad_values)
		rl_trace_warn(t, RL_W_GARBAGE, src, res->first_bad_value,
			      "implausible value (all ones): %llu records skipped",
			      (unsigned long long)res->bad_values);
	if (t && rl_ft_clock_scrambled(&res->clock, res->kind))
		rl_trace_warn(t, RL_W_GARBAGE, src, res->clock.first_back,
			      "timestamps run backwards at %llu of %llu records (wrong byte order "
			      "or --ft-layout?): the samples are not to be trusted",
			      (unsigned long long)res->clock.back,
			      (unsigned long long)res->clock.timed);
	for (k = 0; t && k < 256; k++)
		if (res->unknown_off[k])
			rl_trace_warn(t, RL_W_UNKNOWN_TYPE, src, res->unknown_off[k] - 1,
				      "event id %u has no name; reported as EVENT_%u", k, k);
	return rl_ovh_take_walk(h, group, res->irq_hist, res->first, err);
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
	return rl_ovh_add_files(h, f, &group, &src, 1, 1, t, err);
}

struct ovh_job {
	struct rl_ovh *h;
	const struct rl_ft_file *fs;
	struct ovh_result *res;
	size_t n;
	size_t next; /* shared: next file to take */
	size_t done; /* shared: files walked (progress) */
	uint64_t recs_done;
	int any_want;
	uint8_t odd[256];  /* ids without a LITMUS name */
	uint8_t want[256]; /* ids whose samples are extracted: all unless some are asked for */
	pthread_mutex_t lock;
};

/* The options that decide what is kept, as the judges of filters/discard.c take them. */
static void ovh_rules_of(const struct rl_ovh_opts *o, struct rl_ft_rules *r)
{
	r->keep_irq = o->keep_irq;
	r->ignore_ipi_irq = o->ignore_ipi_irq;
	r->no_interleaved = o->no_interleaved;
	r->best_effort = o->best_effort;
	r->keep_negative = o->keep_negative;
	r->only_cpu = o->only_cpu;
	r->avoid_cpu = o->avoid_cpu;
}

static void *ovh_worker(void *arg)
{
	struct ovh_job *j = arg;
	struct ovh_walk w;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&j->lock);
		i = j->next++;
		pthread_mutex_unlock(&j->lock);
		if (i >= j->n)
			break;
		memset(&w, 0, sizeof(w));
		w.o = rl_ovh_opts_get(j->h);
		ovh_rules_of(w.o, &w.rules);
		w.cpu_rule = w.rules.only_cpu >= 0 || w.rules.avoid_cpu >= 0;
		w.any_want = j->any_want;
		w.odd = j->odd;
		w.want = j->want;
		w.per_cpu = w.o->per_cpu;
		w.f = &j->fs[i];
		w.mask = j->fs[i].ts_mask;
		w.res = &j->res[i];
		j->res[i].kind = j->fs[i].kind;
		j->res[i].ret = ovh_walk(&w);
		ovh_walk_free(&w);
		if (w.o->progress) {
			/* records of 16 bytes: the files' bytes walked so far */
			pthread_mutex_lock(&j->lock);
			j->done++;
			j->recs_done += j->fs[i].nrec;
			w.o->progress(w.o->progress_arg, j->recs_done, j->recs_done * 16);
			pthread_mutex_unlock(&j->lock);
		}
	}
	return NULL;
}

/**
 * rl_ovh_add_files() - extract every overhead sample of several files
 * @h:        the accumulator
 * @fs:       the files
 * @groups:   group of each file
 * @srcs:     source index of each file in @t
 * @n:        number of files
 * @nthreads: files walked in parallel (1: in this thread)
 * @t:        trace for counted warnings (may be NULL)
 * @err:      error out
 *
 * Files are independent (pairs never span files), so they are walked in
 * parallel; their samples join the accumulator in the order of @fs, so the
 * result does not depend on @nthreads.
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_add_files(struct rl_ovh *h, const struct rl_ft_file *fs, const uint32_t *groups,
		     const uint16_t *srcs, size_t n, int nthreads, struct rl_trace *t,
		     struct rl_err *err)
{
	struct ovh_job j;
	pthread_t *th = NULL;
	size_t i;
	int nth = 0, r = 0;

	memset(&j, 0, sizeof(j));
	j.h = h;
	j.fs = fs;
	j.n = n;
	for (i = 0; i < 256; i++)
		j.any_want |= rl_ovh_opts_get(h)->want[i];
	for (i = 0; i < 256; i++) {
		j.odd[i] = rl_ft_event_name((unsigned)i) == NULL;
		j.want[i] = !j.any_want || rl_ovh_opts_get(h)->want[i];
	}
	j.res = calloc(n ? n : 1, sizeof(*j.res));
	if (!j.res)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	pthread_mutex_init(&j.lock, NULL);
	if (nthreads > 1 && n > 1) {
		if ((size_t)nthreads > n)
			nthreads = (int)n;
		th = calloc((size_t)nthreads, sizeof(*th));
		for (nth = 0; th && nth < nthreads - 1; nth++)
			if (pthread_create(&th[nth], NULL, ovh_worker, &j))
				break;
	}
	ovh_worker(&j);
	for (i = 0; i < (size_t)nth; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&j.lock);
	for (i = 0; i < n; i++) {
		const char *path = t && srcs[i] < t->nsrcs ? t->srcs[srcs[i]].path : NULL;

		if (!r && j.res[i].ret < 0)
			r = rl_err_set(err, j.res[i].ret, path, RL_OFF_NONE,
				       "out of memory while extracting samples");
		if (!r)
			r = ovh_merge(h, &j.res[i], groups[i], t, srcs[i], err);
		ovh_result_free(&j.res[i]);
	}
	free(j.res);
	return r;
}
/**
 * rl_ovh_file_label() - the group label of a file: its base name without the combined keys
 * @path:    the file's path
 * @combine: comma-separated keys whose key=value parts are dropped ("cpu,msg,seq")
 * @out:     the label ("all" when nothing is left)
 * @len:     size of @out
 *
 * Files whose labels are equal form one group (litmus.md 4.1); the
 * extension (and ".gz") is not part of the label.
 */
void rl_ovh_file_label(const char *path, const char *combine, char *out, size_t len)
{
	const char *b = strrchr(path, '/');
	char base[512];
	char *dot;

	snprintf(base, sizeof(base), "%s", b ? b + 1 : path);
	if ((dot = strstr(base, ".gz")) && !dot[3])
		*dot = 0;
	dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = 0;
	rl_ovh_label_without(base, combine, out, len);
	if (!out[0])
		snprintf(out, len, "all");
}

/**
 * rl_ovh_add_set() - extract every overhead sample of a set of Feather-Trace files
 * @h:        the accumulator
 * @s:        the files (rl_ft_set_open())
 * @combine:  file-name keys merged into one group (see rl_ovh_file_label())
 * @nthreads: files walked in parallel
 * @t:        the trace the set was opened into (counted warnings)
 * @err:      error out
 *
 * Groups are created in file order, so their indices do not depend on @nthreads.
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_add_set(struct rl_ovh *h, const struct rl_ft_set *s, const char *combine, int nthreads,
		   struct rl_trace *t, struct rl_err *err)
{
	uint32_t *groups = calloc(s->n ? s->n : 1, sizeof(*groups)), i;
	char label[512];
	int g, r = 0;

	if (!groups)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	for (i = 0; i < s->n; i++) {
		rl_ovh_file_label(s->ins[i].path, combine, label, sizeof(label));
		g = rl_ovh_group(h, label, err);
		if (g < 0) {
			r = g;
			goto out;
		}
		groups[i] = (uint32_t)g;
	}
	r = rl_ovh_add_files(h, s->fs, groups, s->srcs, s->n, nthreads, t, err);
out:
	free(groups);
	return r;
}
