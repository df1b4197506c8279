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
		if (st->cpu[i].valid && st->cpu[i].offset)
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
	int64_t r;

	if (!o)
		return ts;
	if (__builtin_sub_overflow(ts, o->offset, &r))
		return o->offset < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

struct rl_skew_cursor {
	struct rl_cursor base;
	struct rl_cursor *inner;
	const struct rl_skew_table *st;
};

static int rl_skew_next(struct rl_cursor *c, struct rl_event *ev, struct rl_err *err)
{
	struct rl_skew_cursor *s = (struct rl_skew_cursor *)c;
	int r = rl_cursor_next(s->inner, ev, err);

	/* an event without a timestamp keeps ts 0: there is nothing to correct */
	if (r > 0 && !(ev->flags & RL_EVF_NOTIME))
		ev->ts = rl_skew_correct(s->st, ev->cpu, ev->ts);
	return r;
}

static void rl_skew_close(struct rl_cursor *c)
{
	struct rl_skew_cursor *s = (struct rl_skew_cursor *)c;

	rl_cursor_close(s->inner);
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
