/*
 * skew/apply.c - the correction stage: per-CPU clock offsets applied to
 * event times.
 *
 * The stage wraps each reader cursor before the merge, not the merged
 * stream: an offset moves all events of a CPU by the same amount, so each
 * cursor stays in its own time order and the merge puts the corrected
 * streams in order again. Re-timing after the merge would break the order
 * the back ends rely on. Only ts changes; raw keeps the clock value as
 * recorded, so the correction stays auditable.
 */
#include "skew.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/**
 * rl_skew_table_init() - an empty table: no CPU is corrected
 * @st: the table
 */
void rl_skew_table_init(struct rl_skew_table *st)
{
	memset(st, 0, sizeof(*st));
}

/**
 * rl_skew_table_release() - free a table's offsets
 * @st: the table (left empty)
 */
void rl_skew_table_release(struct rl_skew_table *st)
{
	free(st->cpu);
	rl_skew_table_init(st);
}

/**
 * rl_skew_table_set() - set the offset of one CPU
 * @st:     the table
 * @cpu:    the cpu (not RL_NO_CPU)
 * @offset: clock_cpu - clock_ref, ns
 * @uncert: uncertainty of @offset, ns (>= 0)
 * @err:    error out
 *
 * Return: 0, or -RL_E_USAGE / -RL_E_NOMEM with @err set.
 */
int rl_skew_table_set(struct rl_skew_table *st, uint32_t cpu, int64_t offset, int64_t uncert,
		      struct rl_err *err)
{
	struct rl_skew_offset *o;

	if (cpu == RL_NO_CPU || uncert < 0)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "invalid clock offset for cpu %u (uncertainty %lld ns)", cpu,
				  (long long)uncert);
	if (cpu >= st->ncpu) {
		if (rl_grow_zero((void **)&st->cpu, &st->cap, cpu + 1, sizeof(*st->cpu)))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
					  "cannot allocate clock offsets for %u cpus", cpu + 1);
		st->ncpu = cpu + 1;
	}
	o = &st->cpu[cpu];
	if (!o->valid)
		st->nvalid++;
	o->offset = offset;
	o->uncert = uncert;
	o->valid = 1;
	return 0;
}

/**
 * rl_skew_table_set_rate() - give a CPU's offset a drift
 * @st:       the table
 * @cpu:      a cpu with an offset (rl_skew_table_set())
 * @rate_ppb: clock_cpu - clock_ref grows by this many ns per second
 * @epoch:    the time the offset is at (on the cpu's clock)
 *
 * Return: 0, or -1 when the cpu has no offset or |rate| >= 1e9 ppb.
 */
int rl_skew_table_set_rate(struct rl_skew_table *st, uint32_t cpu, int64_t rate_ppb, int64_t epoch)
{
	if (cpu >= st->ncpu || !st->cpu[cpu].valid || rate_ppb <= -1000000000 ||
	    rate_ppb >= 1000000000)
		return -1;
	st->cpu[cpu].has_rate = 1;
	st->cpu[cpu].rate_ppb = rate_ppb;
	st->cpu[cpu].epoch = epoch;
	return 0;
}

/* The offset of @o at time @ts (its drift applied), saturated. */
static int64_t skew_offset_at(const struct rl_skew_offset *o, int64_t ts)
{
	__int128 v;

	if (!o->has_rate)
		return o->offset;
	v = (__int128)o->offset + ((__int128)ts - o->epoch) * o->rate_ppb / 1000000000;
	return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : (int64_t)v;
}

/**
 * rl_skew_table_get() - the offset of a CPU
 * @st:  the table
 * @cpu: the cpu
 *
 * Return: the offset, or NULL when the CPU has none.
 */
const struct rl_skew_offset *rl_skew_table_get(const struct rl_skew_table *st, uint32_t cpu)
{
	if (!st || cpu >= st->ncpu || !st->cpu[cpu].valid)
		return NULL;
	return &st->cpu[cpu];
}

/**
 * rl_skew_table_active() - whether applying the table changes anything
 * @st: the table (NULL: no)
 *
 * Return: 1 if some CPU has a non-zero offset, else 0.
 */
int rl_skew_table_active(const struct rl_skew_table *st)
{
	uint32_t i;

	if (!st || !st->nvalid)
		return 0;
	for (i = 0; i < st->ncpu; i++)
		if (st->cpu[i].valid &&
		    (st->cpu[i].offset || (st->cpu[i].has_rate && st->cpu[i].rate_ppb)))
			return 1;
	return 0;
}

/**
 * rl_skew_correct() - a time on @cpu's clock, on the reference clock
 * @st:  the table
 * @cpu: the cpu whose clock dated @ts (RL_NO_CPU: not corrected)
 * @ts:  the time, ns
 *
 * Saturates at INT64_MIN and INT64_MAX instead of overflowing: hostile
 * traces carry arbitrary timestamps.
 *
 * Return: @ts - offset of @cpu, or @ts when @cpu has no offset.
 */
int64_t rl_skew_correct(const struct rl_skew_table *st, uint32_t cpu, int64_t ts)
{
	const struct rl_skew_offset *o = rl_skew_table_get(st, cpu);

	return o ? rl_skew_sat_sub(ts, skew_offset_at(o, ts)) : ts;
}

/**
 * rl_skew_sat_add() - a + b, saturated at INT64_MIN and INT64_MAX
 * @a: a term
 * @b: a term
 *
 * Return: the sum, or the bound it passes.
 */
int64_t rl_skew_sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b < 0 ? INT64_MIN : INT64_MAX;
	return r;
}

/**
 * rl_skew_sat_sub() - a - b, saturated at INT64_MIN and INT64_MAX
 * @a: the minuend
 * @b: the subtrahend
 *
 * Return: the difference, or the bound it passes.
 */
int64_t rl_skew_sat_sub(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/**
 * rl_skew_ipi_correct() - a delay from @sender's clock to @target's, on one clock
 * @st:        the offsets
 * @sender:    the cpu whose clock dated the send
 * @target:    the cpu whose clock dated the receipt
 * @delay:     receive time - send time as recorded (each on its own clock)
 * @corrected: out: @delay - (offset_target - offset_sender), saturated
 * @uncert:    out: the half-width of @corrected's uncertainty, the sum of
 *             the two offsets' uncertainties (saturated; RL_SKEW_UNBOUNDED
 *             when either has none)
 *
 * The true delay lies within @corrected +- @uncert when both true offsets
 * lie within their uncertainty.
 *
 * Return: 1, or 0 (outputs untouched) when either cpu has no offset.
 */
int rl_skew_ipi_correct(const struct rl_skew_table *st, uint32_t sender, uint32_t target,
			int64_t delay, int64_t *corrected, int64_t *uncert)
{
	const struct rl_skew_offset *s = rl_skew_table_get(st, sender);
	const struct rl_skew_offset *t = rl_skew_table_get(st, target);
	__int128 c;

	if (!s || !t)
		return 0;
	/* exact in 128 bits, then saturated: no intermediate clamp can move the result */
	c = (__int128)delay - ((__int128)t->offset - (__int128)s->offset);
	*corrected = c > INT64_MAX ? INT64_MAX : c < INT64_MIN ? INT64_MIN : (int64_t)c;
	if (s->uncert == RL_SKEW_UNBOUNDED || t->uncert == RL_SKEW_UNBOUNDED)
		*uncert = RL_SKEW_UNBOUNDED;
	else
		*uncert = rl_skew_sat_add(s->uncert, t->uncert);
	return 1;
}

/**
 * rl_skew_undecided() - whether a corrected value's uncertainty is comparable to it
 * @value:  a corrected delay (or a time difference across cpus)
 * @uncert: its half-width (>= 0)
 *
 * The rule (doc/skew.md): undecided when the band value +- uncert contains
 * 0, i.e. |value| <= uncert: the correction cannot tell which of the two
 * events came first.
 *
 * Return: 1 if undecided, else 0.
 */
int rl_skew_undecided(int64_t value, int64_t uncert)
{
	uint64_t mag = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;

	return uncert >= 0 && mag <= (uint64_t)uncert;
}

/* A forced offset of a cpu whose estimate is incomplete or failed: from its own bounds, or
 * from the direct pair with the reference. Return: 1 with *off, *unc set, or 0 (nothing). */
static int skew_forced(const struct rl_skew_result *res, const struct rl_skew_cpu *c, int64_t *off,
		       int64_t *unc)
{
	uint32_t i;
	int has_lo = c->has_lo, has_hi = c->has_hi;
	int64_t lo = c->lo, hi = c->hi;

	if (!has_lo || !has_hi) {
		for (i = 0; i < res->npair; i++) {
			const struct rl_skew_pair *p = &res->pairs[i];

			if (p->a == res->ref && p->b == c->cpu) { /* theta = x_c - x_ref */
				if (!has_lo && p->n_ba) {
					lo = p->lo;
					has_lo = 1;
				}
				if (!has_hi && p->n_ab) {
					hi = p->hi;
					has_hi = 1;
				}
			} else if (p->b == res->ref && p->a == c->cpu) { /* theta = x_ref - x_c */
				if (!has_hi && p->n_ba && p->lo != INT64_MIN) {
					hi = -p->lo;
					has_hi = 1;
				}
				if (!has_lo && p->n_ab && p->hi != INT64_MIN) {
					lo = -p->hi;
					has_lo = 1;
				}
			}
		}
	}
	if (has_lo && has_hi) {
		/* the midpoint, also of a violated band (lo > hi): it splits the violation */
		__int128 sum = (__int128)lo + hi, w = (__int128)hi - lo;
		__int128 m = sum >= 0 ? sum / 2 : -((-sum + 1) / 2);

		if (w < 0)
			w = -w;
		*off = (int64_t)m;
		w = w / 2 + (w & 1);
		*unc = w >= INT64_MAX ? RL_SKEW_UNBOUNDED : (int64_t)w;
		return 1;
	}
	if (has_lo || has_hi) {
		*off = has_hi ? hi : lo;
		*unc = RL_SKEW_UNBOUNDED;
		return 1;
	}
	return 0;
}

/**
 * rl_skew_table_build() - the offsets of a solved (or read back) result, as a correction
 * @st:    filled (initialised here; release with rl_skew_table_release())
 * @res:   the result
 * @unit:  its unit (enum rl_skew_unit), kept in @st
 * @force: apply incomplete and failed estimates too (--skew-force)
 * @b:     out: what was done with each cpu
 * @err:   error out
 *
 * Accurate and approximate cpus get their offset and uncertainty. Absent
 * cpus (no pairs) are never corrected. Incomplete and failed cpus are
 * refused unless @force: then a one-sided bound is applied as the offset
 * with an unbounded uncertainty, and a failed cpu gets the midpoint of its
 * direct pair with the reference (see doc/skew.md).
 *
 * Return: 0, -RL_E_USAGE when some cpu is refused (@err says which), or
 * -RL_E_NOMEM.
 */
int rl_skew_table_build(struct rl_skew_table *st, const struct rl_skew_result *res, int unit,
			int force, struct rl_skew_build *b, struct rl_err *err)
{
	char list[160];
	size_t used = 0;
	uint32_t i;
	int r;

	rl_skew_table_init(st);
	st->unit = unit;
	memset(b, 0, sizeof(*b));
	list[0] = 0;
	for (i = 0; i < res->ncpu; i++) {
		const struct rl_skew_cpu *c = &res->cpus[i];
		int64_t off = c->offset, unc = c->uncert;

		if (c->quality == RL_SKEW_ABSENT) {
			b->absent++;
			continue;
		}
		if (c->quality != RL_SKEW_ACCURATE && c->quality != RL_SKEW_APPROXIMATE) {
			if (!force) {
				b->refused++;
				if (used < sizeof(list) - 1)
					used += (size_t)snprintf(list + used, sizeof(list) - used,
								 "%scpu %u (%s)", used ? ", " : "",
								 c->cpu,
								 rl_skew_quality_name(c->quality));
				continue;
			}
			if (!skew_forced(res, c, &off, &unc)) {
				b->unapplied++;
				continue;
			}
			b->forced++;
		}
		r = rl_skew_table_set(st, c->cpu, off, unc, err);
		if (r < 0)
			return r;
		if (c->has_rate &&
		    (c->quality == RL_SKEW_ACCURATE || c->quality == RL_SKEW_APPROXIMATE) &&
		    rl_skew_table_set_rate(st, c->cpu, c->rate_ppb, c->epoch) < 0)
			return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					  "clock skew: cpu %u: rate out of range", c->cpu);
		b->applied++;
	}
	if (b->refused)
		return rl_err_set(
			err, -RL_E_USAGE, NULL, RL_OFF_NONE,
			"clock skew: %s %s no estimate to correct with; give --skew-force "
			"to apply the bounds there are (doc/skew.md)",
			list[0] ? list : "some cpus", b->refused > 1 ? "have" : "has");
	return 0;
}

/*
 * A cursor may carry several cpus (an ftrace text file is one stream): its
 * corrected events are then out of order by up to the spread of the offsets.
 * The wrapper keeps them in a heap ordered by (corrected ts, input order) and
 * hands one out once no later input can precede it: input times do not
 * decrease, so a later event has corrected ts >= (latest input ts) - (largest
 * offset, 0 for cpus without one). The heap holds the events of that window,
 * not of the trace. Events without a time keep their place after the event
 * read before them.
 */
struct skew_item {
	int64_t key;
	uint64_t seq;
	struct rl_event ev;
};

struct rl_skew_cursor {
	struct rl_cursor base;
	struct rl_cursor *inner;
	const struct rl_skew_table *st;
	int64_t max_off; /* the largest offset, at least 0 */
	int64_t in_ts;	 /* the latest input ts */
	int64_t last_key;
	uint64_t seq;
	struct skew_item *h;
	uint32_t n, cap;
	uint8_t have_in, eof;
};

static int skew_before(const struct skew_item *a, const struct skew_item *b)
{
	return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

static int skew_push(struct rl_skew_cursor *s, const struct rl_event *ev, int64_t key)
{
	uint32_t i;

	if (s->n == s->cap && rl_grow((void **)&s->h, &s->cap, s->n + 1, sizeof(*s->h)))
		return -1;
	i = s->n++;
	s->h[i] = (struct skew_item){key, s->seq++, *ev};
	while (i && skew_before(&s->h[i], &s->h[(i - 1) / 2])) {
		struct skew_item t = s->h[i];

		s->h[i] = s->h[(i - 1) / 2];
		s->h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
	return 0;
}

static void skew_pop(struct rl_skew_cursor *s, struct rl_event *ev)
{
	uint32_t i = 0;

	*ev = s->h[0].ev;
	s->h[0] = s->h[--s->n];
	for (;;) {
		uint32_t l = 2 * i + 1, m = i;
		struct skew_item t;

		if (l < s->n && skew_before(&s->h[l], &s->h[m]))
			m = l;
		if (l + 1 < s->n && skew_before(&s->h[l + 1], &s->h[m]))
			m = l + 1;
		if (m == i)
			break;
		t = s->h[i];
		s->h[i] = s->h[m];
		s->h[m] = t;
		i = m;
	}
}

static int rl_skew_next(struct rl_cursor *c, struct rl_event *ev, struct rl_err *err)
{
	struct rl_skew_cursor *s = (struct rl_skew_cursor *)c;

	for (;;) {
		struct rl_event in;
		int64_t key;
		int r;

		if (s->n && (s->eof || (s->have_in &&
					s->h[0].key <= rl_skew_sat_sub(s->in_ts, s->max_off)))) {
			skew_pop(s, ev);
			return 1;
		}
		if (s->eof)
			return 0;
		r = rl_cursor_next(s->inner, &in, err);
		if (r < 0)
			return r;
		if (r == 0) {
			s->eof = 1;
			continue;
		}
		if (in.flags & RL_EVF_NOTIME) { /* nothing to correct: it follows its predecessor */
			key = s->last_key;
		} else {
			if (!s->have_in || in.ts > s->in_ts)
				s->in_ts = in.ts;
			s->have_in = 1;
			in.ts = rl_skew_correct(s->st, in.cpu, in.ts);
			key = in.ts;
		}
		s->last_key = key;
		if (skew_push(s, &in, key) < 0)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
					  "out of memory reordering corrected events");
	}
}

static void rl_skew_close(struct rl_cursor *c)
{
	struct rl_skew_cursor *s = (struct rl_skew_cursor *)c;

	rl_cursor_close(s->inner);
	free(s->h);
	free(s);
}

static const struct rl_cursor_ops rl_skew_cursor_ops = {
	.next = rl_skew_next,
	.close = rl_skew_close,
};

/**
 * rl_skew_wrap_cursors() - put the correction in front of each cursor
 * @st:   the offsets (borrowed: must outlive the cursors)
 * @curs: the cursors; each is replaced by a wrapper that owns it and
 *        subtracts the offset of each event's cpu from its ts (on failure
 *        the array is left as it was)
 * @n:    their number
 * @err:  error out
 *
 * With an identity table (rl_skew_table_active() false) nothing is
 * wrapped, so the events are the reader's, unchanged.
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_skew_wrap_cursors(const struct rl_skew_table *st, struct rl_cursor **curs, size_t n,
			 struct rl_err *err)
{
	struct rl_skew_cursor **w;
	size_t i;

	if (!rl_skew_table_active(st) || !n)
		return 0;
	w = calloc(n, sizeof(*w));
	if (!w)
		goto nomem;
	for (i = 0; i < n; i++) {
		w[i] = malloc(sizeof(**w));
		if (!w[i]) {
			while (i--)
				free(w[i]);
			free(w);
			goto nomem;
		}
	}
	for (i = 0; i < n; i++) {
		uint32_t c;

		memset(w[i], 0, sizeof(*w[i]));
		for (c = 0; c < st->ncpu; c++)
			if (st->cpu[c].valid && st->cpu[c].offset > w[i]->max_off)
				w[i]->max_off = st->cpu[c].offset;
		w[i]->base.ops = &rl_skew_cursor_ops;
		w[i]->base.rank = curs[i]->rank;
		w[i]->inner = curs[i];
		w[i]->st = st;
		curs[i] = &w[i]->base;
	}
	free(w);
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot allocate %zu cursors", n);
}
