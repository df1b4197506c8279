/*
 * stats/pipeline.c - the one place where the pipeline is assembled:
 *
 *   readers -> skew (per cursor) -> merge -> filter chain -> back ends
 *
 * The skew correction wraps each reader cursor before the merge (see
 * skew/apply.c: an offset moves one CPU's events together, and the merge
 * then orders the corrected streams). A filter stage, when given, is a
 * plain sink chain: it sees every merged event and forwards the ones it
 * keeps, and its finish, to rl_pipeline_backends(), which fans out to the
 * back ends of the run. This file lives in stats/ because it is the lowest
 * module allowed to include both skew/ and filters/.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "../readers/readers.h"
#include "../skew/skew.h"

static int rl_fanout_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_fanout *f = (struct rl_fanout *)s;
	size_t i;
	int r;

	for (i = 0; i < f->n; i++) {
		r = f->to[i]->event(f->to[i], ev, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int rl_fanout_finish(struct rl_sink *s, struct rl_err *err)
{
	struct rl_fanout *f = (struct rl_fanout *)s;
	size_t i;
	int r;

	for (i = 0; i < f->n; i++) {
		if (!f->to[i]->finish)
			continue;
		r = f->to[i]->finish(f->to[i], err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The undecided-order count of a corrected stream (see struct rl_skew_order). */
static int rl_order_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_skew_order *o = (struct rl_skew_order *)s;
	const struct rl_skew_offset *mine, *other;
	uint32_t c;

	o->cur = 0;
	if (ev->cpu == RL_NO_CPU || (ev->flags & RL_EVF_NOTIME))
		return o->next->event(o->next, ev, err);
	mine = rl_skew_table_get(o->st, ev->cpu);
	if (ev->cpu >= o->cap) {
		uint32_t cap = o->cap, cap2 = o->cap;

		if (rl_grow_zero((void **)&o->last, &cap, ev->cpu + 1, sizeof(*o->last)) ||
		    rl_grow_zero((void **)&o->seen, &cap2, cap, 1))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		o->cap = cap < cap2 ? cap : cap2;
	}
	if (mine) {
		for (c = 0; c < o->cap; c++) {
			int64_t u;

			if (c == ev->cpu || !o->seen[c] || !(other = rl_skew_table_get(o->st, c)))
				continue;
			u = mine->uncert == RL_SKEW_UNBOUNDED || other->uncert == RL_SKEW_UNBOUNDED
				    ? RL_SKEW_UNBOUNDED
				    : rl_skew_sat_add(mine->uncert, other->uncert);
			if (rl_skew_undecided(rl_skew_sat_sub(ev->ts, o->last[c]), u)) {
				o->undecided++;
				o->cur = 1;
				break;
			}
		}
	}
	o->last[ev->cpu] = ev->ts;
	o->seen[ev->cpu] = 1;
	return o->next->event(o->next, ev, err);
}

static int rl_order_finish(struct rl_sink *s, struct rl_err *err)
{
	struct rl_skew_order *o = (struct rl_skew_order *)s;

	return o->next->finish ? o->next->finish(o->next, err) : 0;
}

/**
 * rl_fanout_init() - a sink that passes each event, and the finish, to several sinks
 * @f:  the fan-out
 * @to: the sinks (borrowed), in the order they are called
 * @n:  their number
 */
void rl_fanout_init(struct rl_fanout *f, struct rl_sink **to, size_t n)
{
	f->sink.event = rl_fanout_event;
	f->sink.finish = rl_fanout_finish;
	f->to = to;
	f->n = n;
}

/**
 * rl_pipeline_open() - open a loaded file set as a pipeline
 * @p:    filled (release with rl_pipeline_close(), also on failure)
 * @fs:   the loaded inputs (kept open by the caller until @p is closed)
 * @t:    the trace receiving sources, tasks, anomalies and the family
 * @ro:   reader options
 * @skew: per-CPU clock offsets applied to every event (borrowed; NULL or an
 *        identity table: the events are the readers')
 * @err:  error out
 *
 * Return: 0, or a negative RL_E_* code (-RL_E_MIXED: files of several recordings).
 */
int rl_pipeline_open(struct rl_pipeline *p, struct rl_fileset *fs, struct rl_trace *t,
		     const struct rl_read_opts *ro, const struct rl_skew_table *skew,
		     struct rl_err *err)
{
	struct rl_cursor **curs = NULL;
	size_t ncurs = 0, i;
	int r;

	memset(p, 0, sizeof(*p));
	rl_fanout_init(&p->backends, NULL, 0);
	r = rl_fileset_cursors(fs, t, ro, &curs, &ncurs, err);
	if (r < 0)
		return r;
	r = rl_skew_wrap_cursors(skew, curs, ncurs, err);
	if (r < 0) {
		for (i = 0; i < ncurs; i++)
			rl_cursor_close(curs[i]);
		free(curs);
		return r;
	}
	p->m = rl_merge_new(t, curs, ncurs, err);
	free(curs);
	if (rl_skew_table_active(skew)) {
		p->order.st = skew;
		p->order.sink.event = rl_order_event;
		p->order.sink.finish = rl_order_finish;
	}
	return p->m ? 0 : err->code;
}

/**
 * rl_pipeline_backends() - the sink a filter stage forwards to
 * @p: the pipeline
 *
 * Return: a fan-out over the back ends that rl_pipeline_run() is given.
 */
struct rl_sink *rl_pipeline_backends(struct rl_pipeline *p)
{
	return &p->backends.sink;
}

/**
 * rl_pipeline_set_filter() - put a filter stage between the merge and the back ends
 * @p:      the pipeline
 * @filter: the first sink of the chain (borrowed; NULL: none); it forwards
 *          the events it keeps, and its finish, to rl_pipeline_backends()
 */
void rl_pipeline_set_filter(struct rl_pipeline *p, struct rl_sink *filter)
{
	p->filter = filter;
}

/**
 * rl_pipeline_run() - stream every event through the stages into the back ends
 * @p:        the pipeline
 * @sinks:    the back ends
 * @n:        their number
 * @progress: optional callback (see rl_run())
 * @parg:     its argument
 * @err:      error out
 *
 * Return: 0, or a negative RL_E_* code from a reader, a stage or a back end.
 */
int rl_pipeline_run(struct rl_pipeline *p, struct rl_sink **sinks, size_t n,
		    rl_progress_fn progress, void *parg, struct rl_err *err)
{
	struct rl_sink *first;

	rl_fanout_init(&p->backends, sinks, n);
	if (p->order.st) { /* the undecided-order count, in front of the filters */
		p->order.next = p->filter ? p->filter : &p->backends.sink;
		first = &p->order.sink;
		return rl_run(p->m, &first, 1, progress, parg, err);
	}
	if (!p->filter)
		return rl_run(p->m, sinks, n, progress, parg, err);
	return rl_run(p->m, &p->filter, 1, progress, parg, err);
}

/**
 * rl_pipeline_close() - free the merge and close the cursors
 * @p: the pipeline (a zeroed one is a no-op)
 */
void rl_pipeline_close(struct rl_pipeline *p)
{
	free(p->order.last);
	free(p->order.seen);
	rl_merge_free(p->m);
	memset(p, 0, sizeof(*p));
}
