/*
 * skew/drift.c - a linear drift between two clocks from the convex hulls of
 * their causal pairs (skew.h, "drift"; doc/skew.md).
 *
 * Each direction keeps the lower convex hull of its points (x = receive
 * time, y = r - s): a line theta(x) below every a -> b point and above the
 * negated b -> a points is below the first hull and above the second, and
 * conversely. Cross products of coordinate differences are 128-bit; points
 * whose differences from the hull's would not fit 62 bits are not kept (no
 * real trace comes near).
 */
#include "skew.h"

#include <stdlib.h>
#include <string.h>

#define RL_HULL_LIM ((int64_t)1 << 62)

/**
 * rl_skew_hull_release() - free a hull
 * @h: the hull (left empty)
 */
void rl_skew_hull_release(struct rl_skew_hull *h)
{
	free(h->p);
	memset(h, 0, sizeof(*h));
}

static int hull_fits(int64_t a, int64_t b)
{
	__int128 d = (__int128)a - b;

	return d < RL_HULL_LIM && d > -RL_HULL_LIM;
}

/* Whether @q lies on or above the segment @p -> @r (p.x < q.x < r.x). */
static int hull_above(const int64_t *p, const int64_t *q, const int64_t *r)
{
	__int128 c =
		(__int128)(r[0] - p[0]) * (q[1] - p[1]) - (__int128)(q[0] - p[0]) * (r[1] - p[1]);

	return c >= 0;
}

/**
 * rl_skew_hull_add() - a point into a lower convex hull
 * @h: the hull
 * @x: the point's time
 * @y: its value
 *
 * Return: 0, or -1 (memory). A point too far from the hull's (62 bits) is left out.
 */
int rl_skew_hull_add(struct rl_skew_hull *h, int64_t x, int64_t y)
{
	uint32_t lo = 0, hi = h->n, k;

	if (h->n && (!hull_fits(x, h->p[0][0]) || !hull_fits(x, h->p[h->n - 1][0]) ||
		     !hull_fits(y, h->p[0][1]) || !hull_fits(y, h->p[h->n - 1][1])))
		return 0;
	while (lo < hi) { /* first vertex with x >= the point's */
		uint32_t mid = lo + (hi - lo) / 2;

		if (h->p[mid][0] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < h->n && h->p[lo][0] == x) {
		if (h->p[lo][1] <= y)
			return 0;
		memmove(h->p + lo, h->p + lo + 1, (h->n - lo - 1) * sizeof(*h->p));
		h->n--;
	}
	if (lo > 0 && lo < h->n) {
		int64_t q[2] = {x, y};

		if (hull_above(h->p[lo - 1], q, h->p[lo]))
			return 0; /* above the hull: binds nothing */
	}
	if (h->n == h->cap) {
		uint32_t cap = h->cap ? 2 * h->cap : 8;
		void *p = realloc(h->p, (size_t)cap * sizeof(*h->p));

		if (!p || cap < h->cap)
			return -1;
		h->p = p;
		h->cap = cap;
	}
	memmove(h->p + lo + 1, h->p + lo, (h->n - lo) * sizeof(*h->p));
	h->p[lo][0] = x;
	h->p[lo][1] = y;
	h->n++;
	/* vertices that are no longer below their neighbours' segments go */
	while (lo >= 2 && hull_above(h->p[lo - 2], h->p[lo - 1], h->p[lo])) {
		memmove(h->p + lo - 1, h->p + lo, (h->n - lo) * sizeof(*h->p));
		h->n--;
		lo--;
	}
	k = lo;
	while (k + 2 < h->n && hull_above(h->p[k], h->p[k + 1], h->p[k + 2])) {
		memmove(h->p + k + 1, h->p + k + 2, (h->n - k - 2) * sizeof(*h->p));
		h->n--;
	}
	return 0;
}

/* min over the upper hull of y - rate * (x - t0): theta(t0) from above at @rate */
static long double drift_top(const struct rl_skew_hull *u, long double rate, int64_t t0)
{
	long double best = 0;
	uint32_t i;

	for (i = 0; i < u->n; i++) {
		long double v = (long double)u->p[i][1] - rate * (long double)(u->p[i][0] - t0);

		if (!i || v < best)
			best = v;
	}
	return best;
}

/* max over the lower side (b -> a hull, negated) of -y - rate * (x - t0) */
static long double drift_bottom(const struct rl_skew_hull *l, long double rate, int64_t t0)
{
	long double best = 0;
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		long double v = -(long double)l->p[i][1] - rate * (long double)(l->p[i][0] - t0);

		if (!i || v > best)
			best = v;
	}
	return best;
}

static int64_t drift_round(long double v, int up)
{
	if (v > 9.0e18L)
		return INT64_MAX;
	if (v < -9.0e18L)
		return INT64_MIN;
	return up ? (int64_t)v + 1 : (int64_t)v - 1; /* outward by one: covers the rounding */
}

/**
 * rl_skew_drift_pair() - the linear drift of cpu pair (a, b), a < b
 * @e:   the estimator (with drift: the hulls kept)
 * @a:   a cpu
 * @b:   another cpu
 * @out: the drift of theta = offset_b - offset_a
 *
 * Return: 0, or -1 when the estimator has no hulls for the pair.
 */
int rl_skew_drift_pair(const struct rl_skew_est *e, uint32_t a, uint32_t b,
		       struct rl_skew_drift *out)
{
	const struct rl_skew_hull *u, *l;
	long double rlo = 0, rhi = 0, cand[4];
	int has_lo = 0, has_hi = 0;
	int64_t xmin, xmax;
	uint32_t i, j, k;

	memset(out, 0, sizeof(*out));
	if (!e->drift || a >= e->ncpu || b >= e->ncpu || a == b)
		return -1;
	u = &e->d[(size_t)a * e->cap + b].hull;
	l = &e->d[(size_t)b * e->cap + a].hull;
	out->nu = u->n;
	out->nl = l->n;
	out->state = RL_SKEW_DRIFT_INCOMPLETE;
	if (!u->n || !l->n)
		return 0;
	/* rate * (xu - xl) <= yu + yl for every upper point u and lower point l */
	for (i = 0; i < u->n; i++)
		for (j = 0; j < l->n; j++) {
			long double dx = (long double)(u->p[i][0] - l->p[j][0]);
			long double c = (long double)u->p[i][1] + (long double)l->p[j][1];

			if (dx > 0 && (!has_hi || c / dx < rhi)) {
				rhi = c / dx;
				has_hi = 1;
			} else if (dx < 0 && (!has_lo || c / dx > rlo)) {
				rlo = c / dx;
				has_lo = 1;
			} else if (dx == 0 && c < 0) {
				out->state = RL_SKEW_DRIFT_VIOLATION;
				return 0;
			}
		}
	if (!has_lo || !has_hi)
		return 0;
	if (rlo > rhi) {
		out->state = RL_SKEW_DRIFT_VIOLATION;
		return 0;
	}
	xmin = u->p[0][0] < l->p[0][0] ? u->p[0][0] : l->p[0][0];
	xmax = u->p[u->n - 1][0] > l->p[l->n - 1][0] ? u->p[u->n - 1][0] : l->p[l->n - 1][0];
	out->epoch = xmin + (xmax - xmin) / 2;
	out->rate_lo = rlo;
	out->rate_hi = rhi;
	out->rate = (rlo + rhi) / 2;
	out->off = drift_round((drift_top(u, out->rate, out->epoch) +
				drift_bottom(l, out->rate, out->epoch)) /
				       2,
			       0) +
		   1;
	/*
	 * theta(epoch) over the feasible lines: the top is the largest of the
	 * concave drift_top on [rlo, rhi], at an end or at the slope of a hull
	 * edge; the bottom the smallest of the convex drift_bottom, likewise.
	 */
	cand[0] = rlo;
	cand[1] = rhi;
	out->off_hi = INT64_MIN;
	out->off_lo = INT64_MAX;
	for (k = 0; k < 2; k++) {
		int64_t t = drift_round(drift_top(u, cand[k], out->epoch), 1);
		int64_t bt = drift_round(drift_bottom(l, cand[k], out->epoch), 0);

		out->off_hi = t > out->off_hi ? t : out->off_hi;
		out->off_lo = bt < out->off_lo ? bt : out->off_lo;
	}
	for (i = 0; i + 1 < u->n; i++) {
		long double sl = (long double)(u->p[i + 1][1] - u->p[i][1]) /
				 (long double)(u->p[i + 1][0] - u->p[i][0]);

		if (sl > rlo && sl < rhi) {
			int64_t t = drift_round(drift_top(u, sl, out->epoch), 1);

			out->off_hi = t > out->off_hi ? t : out->off_hi;
		}
	}
	for (i = 0; i + 1 < l->n; i++) {
		long double sl = -(long double)(l->p[i + 1][1] - l->p[i][1]) /
				 (long double)(l->p[i + 1][0] - l->p[i][0]);

		if (sl > rlo && sl < rhi) {
			int64_t bt = drift_round(drift_bottom(l, sl, out->epoch), 0);

			out->off_lo = bt < out->off_lo ? bt : out->off_lo;
		}
	}
	out->state = RL_SKEW_DRIFT_OK;
	return 0;
}
