/* tests/unit-skew-drift.c - the convex hulls of causal pairs and the linear drift between
 * two clocks from them (skew/drift.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../skew/skew.h"
#include "tap.h"

/* Whether the hull's vertices are in increasing x and strictly convex (lower hull). */
static int hull_convex(const struct rl_skew_hull *h)
{
	uint32_t i;

	for (i = 0; i + 1 < h->n; i++)
		if (h->p[i][0] >= h->p[i + 1][0])
			return 0;
	for (i = 0; i + 2 < h->n; i++) {
		__int128 c =
			(__int128)(h->p[i + 2][0] - h->p[i][0]) * (h->p[i + 1][1] - h->p[i][1]) -
			(__int128)(h->p[i + 1][0] - h->p[i][0]) * (h->p[i + 2][1] - h->p[i][1]);

		if (c >= 0)
			return 0;
	}
	return 1;
}

static void test_hull(void)
{
	struct rl_skew_hull h;
	uint64_t seed = 7;
	int k, below = 1;

	memset(&h, 0, sizeof(h));
	/* a parabola: every point a vertex, inserted out of order */
	for (k = 0; k < 50; k++) {
		int64_t x = (k * 37) % 50;

		ok(!rl_skew_hull_add(&h, x, (x - 25) * (x - 25)), "add");
	}
	is_int(h.n, 50, "a parabola: all 50 points are vertices");
	ok(hull_convex(&h), "... in order and convex");
	/* a point above the hull changes nothing; one below replaces its neighbours */
	ok(!rl_skew_hull_add(&h, 10, 1000), "add above");
	is_int(h.n, 50, "a point above the hull is not kept");
	ok(!rl_skew_hull_add(&h, 25, -1000), "add below");
	ok(hull_convex(&h), "a deep point: still convex");
	ok(h.n < 50, "... vertices above the new segments removed (%u left)", h.n);
	rl_skew_hull_release(&h);
	/* random points: every point lies on or above the hull */
	for (k = 0; k < 2000; k++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		rl_skew_hull_add(&h, (int64_t)(seed >> 40) % 100000, (int64_t)(seed >> 20) % 5000);
	}
	ok(hull_convex(&h), "2000 random points: convex (%u vertices)", h.n);
	seed = 7;
	for (k = 0; k < 2000 && below; k++) {
		int64_t x, y;
		uint32_t i;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		x = (int64_t)(seed >> 40) % 100000;
		y = (int64_t)(seed >> 20) % 5000;
		for (i = 0; i + 1 < h.n; i++)
			if (h.p[i][0] <= x && x <= h.p[i + 1][0]) {
				__int128 c =
					(__int128)(h.p[i + 1][0] - h.p[i][0]) * (y - h.p[i][1]) -
					(__int128)(x - h.p[i][0]) * (h.p[i + 1][1] - h.p[i][1]);

				below &= c >= 0;
			}
	}
	ok(below, "every point on or above the hull");
	rl_skew_hull_release(&h);
	/* differences beyond 62 bits are left out, not overflowed */
	ok(!rl_skew_hull_add(&h, 0, 0), "add 0");
	ok(!rl_skew_hull_add(&h, INT64_MAX, INT64_MIN), "add a hostile point");
	is_int(h.n, 1, "... which is not kept");
	rl_skew_hull_release(&h);
}

/* pairs between two clocks theta(t) = off + rate_ppb * t / 1e9 apart, delays 1000..1999 ns */
static void feed(struct rl_skew_est *e, int64_t off, int64_t rate_ppb, int n, uint64_t seed)
{
	struct rl_err err;
	int k;

	for (k = 0; k < n; k++) {
		int64_t t = 1000000 + (int64_t)k * 10000000, d, theta;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		d = 1000 + (int64_t)(seed >> 33) % 1000;
		theta = off + rate_ppb * t / 1000000000;
		if (k % 2) /* 0 -> 1: r - s = d + theta, received at t on cpu 1 */
			rl_skew_est_add(e, 0, t - d - theta, 1, t, &err);
		else /* 1 -> 0: r - s = d - theta */
			rl_skew_est_add(e, 1, t - d + theta, 0, t, &err);
	}
}

static void test_drift(void)
{
	struct rl_skew_est e;
	struct rl_skew_drift d;
	int64_t theta;

	rl_skew_est_init(&e);
	ok(rl_skew_drift_pair(&e, 0, 1, &d) < 0, "no drift without hulls");
	e.drift = 1;
	feed(&e, 5000, 20000, 4000, 3); /* 20 ppm over 40 s */
	ok(!rl_skew_drift_pair(&e, 0, 1, &d), "drift of 0 -> 1");
	is_int(d.state, RL_SKEW_DRIFT_OK, "... bounded");
	ok(d.rate_lo <= 20e-6L && 20e-6L <= d.rate_hi, "20 ppm within [%.3Lf, %.3Lf] ppm",
	   d.rate_lo * 1e6L, d.rate_hi * 1e6L);
	ok(d.rate_hi - d.rate_lo < 0.2e-6L,
	   "... a band narrower than 0.2 ppm (2 us of delays over 40 s)");
	theta = 5000 + 20000 * d.epoch / 1000000000;
	ok(d.off_lo <= theta && theta <= d.off_hi, "theta(epoch) %lld within [%lld, %lld]",
	   (long long)theta, (long long)d.off_lo, (long long)d.off_hi);
	ok(d.off_hi - d.off_lo <= 2100, "... a band of at most the delay floor ~2 us (%lld)",
	   (long long)(d.off_hi - d.off_lo));
	{
		struct rl_skew_drift d2;

		ok(!rl_skew_drift_pair(&e, 1, 0, &d2) && d2.state == RL_SKEW_DRIFT_OK,
		   "the other order: offset_a - offset_b");
		ok(d2.rate_lo == -d.rate_hi && d2.rate_hi == -d.rate_lo, "... the rates negated");
		ok(d2.off_lo >= -d.off_hi - 2 && d2.off_hi <= -d.off_lo + 2,
		   "... theta(epoch) negated ([%lld, %lld] vs [%lld, %lld])", (long long)d2.off_lo,
		   (long long)d2.off_hi, (long long)d.off_lo, (long long)d.off_hi);
	}
	rl_skew_est_release(&e);
	/* one direction only: incomplete */
	rl_skew_est_init(&e);
	e.drift = 1;
	{
		struct rl_err err;

		rl_skew_est_add(&e, 0, 100, 1, 2000, &err);
		rl_skew_est_add(&e, 0, 5000, 1, 7000, &err);
	}
	ok(!rl_skew_drift_pair(&e, 0, 1, &d), "one direction");
	is_int(d.state, RL_SKEW_DRIFT_INCOMPLETE, "... is incomplete");
	rl_skew_est_release(&e);
	/* pairs that no line fits: received before sent both ways at the same time */
	rl_skew_est_init(&e);
	e.drift = 1;
	{
		struct rl_err err;

		rl_skew_est_add(&e, 0, 1000, 1, 500, &err);
		rl_skew_est_add(&e, 1, 1000, 0, 500, &err);
	}
	ok(!rl_skew_drift_pair(&e, 0, 1, &d), "contradicting pairs");
	is_int(d.state, RL_SKEW_DRIFT_VIOLATION, "... are a violation");
	rl_skew_est_release(&e);
}

int main(void)
{
	test_hull();
	test_drift();
	done_testing();
	return exit_status();
}
