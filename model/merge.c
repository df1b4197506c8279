/* model/merge.c - k-way merge of per-CPU cursors by time, and the sink driver. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

struct rl_merge_head {
	struct rl_event ev;
};

/*
 * Each cursor has a slot holding its next event; the heap orders cursor
 * indices by their slot's (ts, cursor): a cursor has one event in the
 * merge at a time, so its own order needs no number. The event last returned is
 * refilled lazily at the next call, so no event is copied on the way.
 *
 * With few cursors (RL_MERGE_LINEAR) there is no heap: heap[] lists the
 * active cursors in index order, top is the one whose event was handed out
 * and (lim_ts, lim) the earliest event of the others. Events of one cursor
 * come in runs (a job's release, switches and completion on one cpu), so
 * a refilled top that is still earlier than the others needs no scan.
 */
struct rl_merge {
	struct rl_trace *t;
	struct rl_cursor **curs;
	size_t ncurs;
	struct rl_merge_head *slot; /* per cursor */
	uint32_t *heap;		    /* cursor indices */
	size_t nheap;
	int64_t last_ts;
	int started;
	int pending; /* the top's event was handed out: refill it first */
	uint32_t top;
	uint32_t lim; /* linear: cursor of the earliest event but top's, UINT32_MAX none */
	int64_t lim_ts;
	uint64_t *first;  /* per cursor: byte offset of its first event, UINT64_MAX none */
	uint32_t *by_off; /* cursors by (source, first offset), for rl_merge_done_bytes() */
	uint32_t nby_off;
};

/* Up to this many cursors, the merge scans instead of keeping a heap. */
#define RL_MERGE_LINEAR 8

static inline int rl_head_less(const struct rl_merge *m, uint32_t a, uint32_t b)
{
	const struct rl_merge_head *x = &m->slot[a], *y = &m->slot[b];

	if (x->ev.ts != y->ev.ts)
		return x->ev.ts < y->ev.ts;
	return a < b;
}

static void rl_heap_down(struct rl_merge *m, size_t i)
{
	uint32_t *h = m->heap, x = h[i];
	size_t n = m->nheap;

	for (;;) {
		size_t l = 2 * i + 1, c;

		if (l >= n)
			break;
		c = (l + 1 < n && rl_head_less(m, h[l + 1], h[l])) ? l + 1 : l;
		if (!rl_head_less(m, h[c], x))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = x;
}

static int rl_merge_fill(struct rl_merge *m, uint32_t ci, struct rl_err *err)
{
	return rl_cursor_next(m->curs[ci], &m->slot[ci].ev, err);
}

/* Linear: the earliest active cursor (top) and the earliest of the others (lim). */
static void rl_linear_scan(struct rl_merge *m)
{
	uint32_t b = m->heap[0], l = UINT32_MAX;
	int64_t bts = m->slot[b].ev.ts, lts = 0;
	size_t i;

	/* in index order, so that the first of equal times wins */
	for (i = 1; i < m->nheap; i++) {
		uint32_t x = m->heap[i];
		int64_t xts = m->slot[x].ev.ts;

		if (xts < bts) {
			l = b;
			lts = bts;
			b = x;
			bts = xts;
		} else if (l == UINT32_MAX || xts < lts) {
			l = x;
			lts = xts;
		}
	}
	m->top = b;
	m->lim = l;
	m->lim_ts = lts;
}

/* Linear: the top was refilled (@r 0: its cursor ended). */
static void rl_linear_refilled(struct rl_merge *m, int r)
{
	uint32_t top = m->top;
	int64_t ts = m->slot[top].ev.ts;
	size_t i;

	if (r == 0) {
		/* drop the cursor from the active list, which stays in index order */
		for (i = 0; m->heap[i] != top; i++)
			;
		memmove(m->heap + i, m->heap + i + 1, (--m->nheap - i) * sizeof(*m->heap));
	} else if (m->lim == UINT32_MAX || ts < m->lim_ts || (ts == m->lim_ts && top < m->lim)) {
		return; /* still the earliest: the others have not changed */
	}
	if (m->nheap)
		rl_linear_scan(m);
}

/* Heap: the top was refilled (@r 0: its cursor ended). */
static void rl_heap_refilled(struct rl_merge *m, int r)
{
	if (r == 0)
		m->heap[0] = m->heap[--m->nheap];
	if (m->nheap) {
		rl_heap_down(m, 0);
		m->top = m->heap[0];
	}
}

static int rl_off_before(const struct rl_merge *m, uint32_t a, uint32_t b)
{
	uint16_t sa = m->slot[a].ev.src, sb = m->slot[b].ev.src;

	return sa != sb ? sa < sb : m->first[a] < m->first[b];
}

/* by_off: the cursors that had an event, by (source, first offset); insertion sort, once. */
static void rl_merge_order_by_off(struct rl_merge *m)
{
	uint32_t n = 0, i;

	for (i = 0; i < m->ncurs; i++) {
		uint32_t k;

		if (m->first[i] == UINT64_MAX)
			continue;
		k = n++;
		while (k > 0 && rl_off_before(m, i, m->by_off[k - 1])) {
			m->by_off[k] = m->by_off[k - 1];
			k--;
		}
		m->by_off[k] = i;
	}
	m->nby_off = n;
}

/* The first event of every cursor. */
static int rl_merge_start(struct rl_merge *m, struct rl_err *err)
{
	size_t i;
	int r;

	m->started = 1;
	for (i = 0; i < m->ncurs; i++) {
		r = rl_merge_fill(m, (uint32_t)i, err);
		if (r < 0)
			return r;
		if (r > 0)
			m->heap[m->nheap++] = (uint32_t)i;
		m->first[i] = r > 0 ? m->slot[i].ev.src_off : UINT64_MAX;
	}
	rl_merge_order_by_off(m);
	if (!m->nheap)
		return 0;
	if (m->ncurs <= RL_MERGE_LINEAR) {
		rl_linear_scan(m);
		return 0;
	}
	for (i = m->nheap / 2; i-- > 0;)
		rl_heap_down(m, i);
	m->top = m->heap[0];
	return 0;
}

/**
 * rl_merge_new() - merge cursors by time
 * @t:    the trace the cursors belong to (for anomaly counters)
 * @curs: the cursors; ownership passes to the merge, even on failure
 * @n:    number of cursors
 * @err:  error out
 *
 * Return: the merge, or NULL with @err set.
 */
struct rl_merge *rl_merge_new(struct rl_trace *t, struct rl_cursor **curs, size_t n,
			      struct rl_err *err)
{
	struct rl_merge *m = calloc(1, sizeof(*m));
	size_t i;

	if (!m)
		goto nomem;
	m->t = t;
	m->curs = calloc(n ? n : 1, sizeof(*m->curs));
	m->slot = calloc(n ? n : 1, sizeof(*m->slot));
	m->heap = calloc(n ? n : 1, sizeof(*m->heap));
	m->first = calloc(n ? n : 1, sizeof(*m->first));
	m->by_off = calloc(n ? n : 1, sizeof(*m->by_off));
	if (!m->curs || !m->heap || !m->slot || !m->first || !m->by_off)
		goto nomem;
	if (n)
		memcpy(m->curs, curs, n * sizeof(*curs));
	/* stable insertion sort by rank: ties between cursors follow their streams */
	for (i = 1; i < n; i++) {
		struct rl_cursor *x = m->curs[i];
		size_t k = i;

		while (k > 0 && m->curs[k - 1]->rank > x->rank) {
			m->curs[k] = m->curs[k - 1];
			k--;
		}
		m->curs[k] = x;
	}
	m->ncurs = n;
	m->last_ts = INT64_MIN;
	return m;
nomem:
	if (m) {
		free(m->curs);
		free(m->slot);
		free(m->heap);
		free(m->first);
		free(m->by_off);
		free(m);
	}
	for (i = 0; i < n; i++)
		rl_cursor_close(curs[i]);
	rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot allocate merge of %zu cursors", n);
	return NULL;
}

/**
 * rl_merge_next() - the next event in time order
 * @m:   the merge
 * @ev:  filled with the event
 * @err: error out
 *
 * Return: 1 with @ev filled, 0 at the end, or a negative RL_E_* code.
 */
int rl_merge_next(struct rl_merge *m, struct rl_event *ev, struct rl_err *err)
{
	const struct rl_event *p;
	int r = rl_merge_peek_next(m, &p, err);

	if (r == 1)
		*ev = *p;
	return r;
}

/* rl_merge_peek_next(), inlined into rl_run() (one call less per event). */
static inline __attribute__((always_inline)) int
rl_merge_take(struct rl_merge *m, const struct rl_event **out, struct rl_err *err)
{
	struct rl_event *ev;
	int r;

	if (m->pending) {
		m->pending = 0;
		r = rl_merge_fill(m, m->top, err);
		if (r < 0)
			return r;
		if (m->ncurs <= RL_MERGE_LINEAR)
			rl_linear_refilled(m, r);
		else
			rl_heap_refilled(m, r);
	} else if (!m->started) {
		r = rl_merge_start(m, err);
		if (r < 0)
			return r;
	}
	if (!m->nheap)
		return 0;
	ev = &m->slot[m->top].ev;
	if (ev->ts < m->last_ts) {
		if (!(ev->flags & RL_EVF_LATE))
			rl_trace_warn(m->t, RL_W_UNORDERED, ev->src, ev->src_off,
				      "%s event at %lld ns is older than merged events at %lld ns",
				      rl_ev_type_name(ev->type), (long long)ev->ts,
				      (long long)m->last_ts);
		ev->flags |= RL_EVF_LATE;
	} else {
		m->last_ts = ev->ts;
	}
	m->pending = 1;
	*out = ev;
	return 1;
}

/**
 * rl_merge_peek_next() - the next event in time order, without a copy
 * @m:   the merge
 * @out: set to the event; valid until the next call on @m
 * @err: error out
 *
 * Return: 1 with *@out set, 0 at the end, or a negative RL_E_* code.
 */
int rl_merge_peek_next(struct rl_merge *m, const struct rl_event **out, struct rl_err *err)
{
	return rl_merge_take(m, out, err);
}

/**
 * rl_merge_free() - free a merge and close its cursors
 * @m: the merge (NULL is a no-op)
 */
void rl_merge_free(struct rl_merge *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->ncurs; i++)
		rl_cursor_close(m->curs[i]);
	free(m->curs);
	free(m->slot);
	free(m->heap);
	free(m->first);
	free(m->by_off);
	free(m);
}

/**
 * rl_merge_done_bytes() - how many bytes of its sources the merge has read
 * @m: the merge
 *
 * A cursor is at the byte offset of its next event (an ended one at its
 * last). The cursors of one source read either disjoint regions (trace.dat's
 * per-CPU buffers: the source's count is the sum of the regions read, and
 * what precedes the first) or one interleaved stream (the furthest offset).
 *
 * Return: an estimate for progress, comparable to the sum of source sizes.
 */
uint64_t rl_merge_done_bytes(const struct rl_merge *m)
{
	uint64_t total = 0;
	uint32_t i = 0;

	if (!m || !m->started)
		return 0;
	while (i < m->nby_off) {
		uint32_t j = i, c = m->by_off[i];
		uint16_t src = m->slot[c].ev.src;
		uint64_t sum = m->first[c], far = 0;
		int disjoint = 1;

		for (; j < m->nby_off && m->slot[m->by_off[j]].ev.src == src; j++) {
			uint32_t x = m->by_off[j];
			uint64_t cur = m->slot[x].ev.src_off, f = m->first[x];

			if (cur > far)
				far = cur;
			sum += cur > f ? cur - f : 0;
			if (j + 1 < m->nby_off && m->slot[m->by_off[j + 1]].ev.src == src &&
			    cur > m->first[m->by_off[j + 1]])
				disjoint = 0;
		}
		total += disjoint ? sum : far;
		i = j;
	}
	return total;
}

/**
 * rl_run() - feed every merged event to every sink, then finish them
 * @m:        the merge
 * @sinks:    the analyses
 * @nsinks:   how many
 * @progress: optional callback, called every 64 Ki events with the count and
 *            rl_merge_done_bytes()
 * @parg:     its argument
 * @err:      error out
 *
 * Commands reach this through rl_pipeline_run() (stats/pipeline.c), the one
 * place where the skew and filter stages are put around the merge.
 *
 * Return: 0, or a negative RL_E_* code from a cursor or a sink.
 */
int rl_run(struct rl_merge *m, struct rl_sink **sinks, size_t nsinks, rl_progress_fn progress,
	   void *parg, struct rl_err *err)
{
	const struct rl_event *ev;
	uint64_t n = 0;
	size_t i;
	int r;

	while ((r = rl_merge_take(m, &ev, err)) > 0) {
		for (i = 0; i < nsinks; i++) {
			r = sinks[i]->event(sinks[i], ev, err);
			if (r < 0)
				return r;
		}
		if (progress && !(++n & ((1u << 16) - 1)))
			progress(parg, n, rl_merge_done_bytes(m));
	}
	if (r < 0)
		return r;
	for (i = 0; i < nsinks; i++) {
		if (sinks[i]->finish) {
			r = sinks[i]->finish(sinks[i], err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}
