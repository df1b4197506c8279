/* tests/unit-skew-estimate.c - clock offsets from causal pairs (skew/estimate.c) and the
 * Feather-Trace IPI pairs that feed them (stats/skew-pairs.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../readers/feather-trace.h"
#include "../skew/skew.h"
#include "../stats/stats.h"
#include "tap.h"

#define MAXP 16
#define MAXC 5

/* n pairs sent on a, received on b, with apparent delays delta, delta + 1, ... */
struct in_pair {
	uint32_t a, b;
	int64_t delta;
	int n;
};

/* expected per cpu: quality, and offset/uncertainty when estimated, the one bound otherwise */
struct want_cpu {
	int quality;
	int64_t offset, uncert;
};

struct est_case {
	const char *name;
	uint32_t ncpu, ref;
	struct in_pair in[MAXP];
	struct want_cpu want[MAXC];
	uint32_t ncycle;
};

/* offsets are clock_c - clock_ref; an a -> b pair with true delay d shows r - s = d + o_b - o_a */
#define AB(a, b, oa, ob, d, n)                                                                     \
	{                                                                                          \
		a, b, (d) + (ob) - (oa), n                                                         \
	}

static const struct est_case cases[] = {
	{"two cpus, offset 1000, symmetric delays of 50",
	 2,
	 0,
	 {AB(0, 1, 0, 1000, 50, 10), AB(1, 0, 1000, 0, 50, 10)},
	 {{RL_SKEW_ACCURATE, 0, 0}, {RL_SKEW_ACCURATE, 1000, 50}},
	 0},
	{"two cpus, offset -777, odd bounds round outwards",
	 2,
	 0,
	 {AB(0, 1, 0, -777, 30, 9), AB(1, 0, -777, 0, 31, 9)},
	 {{RL_SKEW_ACCURATE, 0, 0}, {RL_SKEW_ACCURATE, -778, 31}},
	 0},
	{"two cpus, reference 1: the offset of cpu 0 is negated",
	 2,
	 1,
	 {AB(0, 1, 0, 1000, 50, 10), AB(1, 0, 1000, 0, 50, 10)},
	 {{RL_SKEW_ACCURATE, -1000, 50}, {RL_SKEW_ACCURATE, 0, 0}},
	 0},
	{"few pairs: approximate",
	 2,
	 0,
	 {AB(0, 1, 0, 1000, 50, 2), AB(1, 0, 1000, 0, 50, 10)},
	 {{RL_SKEW_ACCURATE, 0, 0}, {RL_SKEW_APPROXIMATE, 1000, 50}},
	 0},
	{"one direction only: incomplete, the upper bound",
	 2,
	 0,
	 {AB(0, 1, 0, 1000, 50, 20)},
	 {{RL_SKEW_ACCURATE, 0, 0}, {RL_SKEW_INCOMPLETE, 1050, 0}},
	 0},
	{"contradiction: received 100 before sent both ways",
	 2,
	 0,
	 {{0, 1, -100, 10}, {1, 0, -100, 10}},
	 {{RL_SKEW_FAIL, 0, 0}, {RL_SKEW_FAIL, 0, 0}},
	 2},
	{"4 cpus chained through cpu 1",
	 4,
	 0,
	 {AB(0, 1, 0, 300, 40, 10), AB(1, 0, 300, 0, 40, 10), AB(1, 2, 300, -500, 40, 10),
	  AB(2, 1, -500, 300, 40, 10), AB(3, 1, 7000, 300, 40, 10), AB(1, 3, 300, 7000, 40, 10)},
	 {{RL_SKEW_ACCURATE, 0, 0},
	  {RL_SKEW_ACCURATE, 300, 40},
	  {RL_SKEW_ACCURATE, -500, 80},
	  {RL_SKEW_ACCURATE, 7000, 80}},
	 0},
	{"4 cpus: a direct pair tightens a chained bound",
	 4,
	 0,
	 {AB(0, 1, 0, 300, 40, 10), AB(1, 0, 300, 0, 40, 10), AB(1, 2, 300, -500, 40, 10),
	  AB(2, 1, -500, 300, 40, 10), AB(0, 2, 0, -500, 5, 10), AB(2, 0, -500, 0, 5, 10)},
	 {{RL_SKEW_ACCURATE, 0, 0},
	  {RL_SKEW_ACCURATE, 300, 40},
	  {RL_SKEW_ACCURATE, -500, 5},
	  {RL_SKEW_ABSENT, 0, 0}},
	 0},
	{"3-cycle of one-way pairs that cannot all be causal",
	 3,
	 0,
	 {{0, 1, 10, 10}, {1, 2, 10, 10}, {2, 0, -30, 10}},
	 {{RL_SKEW_FAIL, 0, 0}, {RL_SKEW_FAIL, 0, 0}, {RL_SKEW_FAIL, 0, 0}},
	 3},
	{"contradiction in another group: the reference's group is solved",
	 4,
	 0,
	 {AB(0, 1, 0, 5, 1, 10), AB(1, 0, 5, 0, 1, 10), {2, 3, -9, 10}, {3, 2, -9, 10}},
	 {{RL_SKEW_ACCURATE, 0, 0},
	  {RL_SKEW_ACCURATE, 5, 1},
	  {RL_SKEW_FAIL, 0, 0},
	  {RL_SKEW_FAIL, 0, 0}},
	 2},
	{"delays near INT64 bounds",
	 3,
	 0,
	 {{0, 1, INT64_MAX, 10}, {1, 0, -INT64_MAX, 10}, {1, 2, INT64_MAX, 10}},
	 {{RL_SKEW_ACCURATE, 0, 0}, {RL_SKEW_ACCURATE, INT64_MAX, 0}, {RL_SKEW_FAIL, 0, 0}},
	 0},
	{"largest delays both ways: a huge but consistent band",
	 2,
	 0,
	 {{0, 1, INT64_MAX, 10}, {1, 0, INT64_MAX, 10}},
	 {{RL_SKEW_ACCURATE, 0, 0}, {RL_SKEW_ACCURATE, 0, INT64_MAX}},
	 0},
};

static void check_cpu(const struct est_case *c, const struct rl_skew_result *res, uint32_t i)
{
	const struct want_cpu *w = &c->want[i];
	const struct rl_skew_cpu *o = &res->cpus[i];

	is_str(rl_skew_quality_name(o->quality), rl_skew_quality_name(w->quality),
	       "%s: cpu %u quality", c->name, i);
	if (w->quality == RL_SKEW_ACCURATE || w->quality == RL_SKEW_APPROXIMATE) {
		is_int(o->offset, w->offset, "%s: cpu %u offset", c->name, i);
		is_int(o->uncert, w->uncert, "%s: cpu %u uncertainty", c->name, i);
		ok(o->lo <= o->offset && o->offset <= o->hi, "%s: cpu %u offset within its bounds",
		   c->name, i);
	} else if (w->quality == RL_SKEW_INCOMPLETE) {
		is_int(o->has_hi ? o->hi : o->lo, w->offset, "%s: cpu %u bound", c->name, i);
	}
}

static void run_case(const struct est_case *c)
{
	struct rl_skew_result res;
	struct rl_skew_est e;
	struct rl_err err;
	uint32_t i;
	int k, bad = 0;

	rl_skew_est_init(&e);
	rl_err_init(&err);
	is_int(rl_skew_est_reserve(&e, c->ncpu, &err), 0, "%s: reserve", c->name);
	for (i = 0; i < MAXP && c->in[i].n; i++)
		for (k = 0; k < c->in[i].n; k++) {
			int64_t d = c->in[i].delta;

			/* later samples are slower; never past INT64_MAX */
			d = d > INT64_MAX - k ? d : d + k;
			bad += rl_skew_est_add_delta(&e, c->in[i].a, c->in[i].b, d, &err) != 0;
		}
	is_int(bad, 0, "%s: every pair is accepted", c->name);
	is_int(rl_skew_est_solve(&e, c->ref, &res, &err), 0, "%s: solve", c->name);
	is_int(res.ncpu, c->ncpu, "%s: cpus", c->name);
	for (i = 0; i < c->ncpu && i < res.ncpu; i++)
		check_cpu(c, &res, i);
	is_int(res.ncycle, c->ncycle, "%s: cpus on the contradictory cycle", c->name);
	rl_skew_result_release(&res);
	rl_skew_est_release(&e);
}

/* the pairs table: counts, bounds, states */
static void test_pairs(void)
{
	struct rl_skew_result res;
	struct rl_skew_est e;
	struct rl_err err;

	rl_skew_est_init(&e);
	rl_err_init(&err);
	rl_skew_est_add_delta(&e, 0, 1, 120, &err);
	rl_skew_est_add_delta(&e, 0, 1, 100, &err);
	rl_skew_est_add_delta(&e, 1, 0, 60, &err);
	rl_skew_est_add_delta(&e, 2, 1, -5, &err);
	rl_skew_est_add_delta(&e, 3, 4, 7, &err);
	rl_skew_est_add_delta(&e, 4, 3, -9, &err);
	rl_skew_est_add_delta(&e, 2, 2, -1000, &err);
	is_int(e.npairs, 6, "a pair within one cpu is not counted");
	is_int(rl_skew_est_solve(&e, 0, &res, &err), 0, "solve");
	is_int(res.npair, 3, "three cpu pairs have causal pairs");
	is_int(res.pairs[0].a * 10 + res.pairs[0].b, 1, "pair 0-1 first");
	is_int(res.pairs[0].n_ab, 2, "0-1: two pairs 0 -> 1");
	is_int(res.pairs[0].n_ba, 1, "0-1: one pair 1 -> 0");
	is_int(res.pairs[0].hi, 100, "0-1: U is the smallest delay 0 -> 1");
	is_int(res.pairs[0].lo, -60, "0-1: L is minus the smallest delay 1 -> 0");
	is_int(res.pairs[0].est, 20, "0-1: estimate (L + U) / 2");
	is_int(res.pairs[0].half, 80, "0-1: half-width (U - L) / 2");
	is_str(rl_skew_pair_state_name(res.pairs[0].state), "ok", "0-1: ok");
	is_int(res.pairs[1].a * 10 + res.pairs[1].b, 12, "pair 1-2 next");
	is_str(rl_skew_pair_state_name(res.pairs[1].state), "incomplete", "1-2: one direction");
	is_int(res.pairs[1].lo, 5, "1-2: only the lower bound, from 2 -> 1");
	is_str(rl_skew_pair_state_name(res.pairs[2].state), "violation", "3-4: L > U");
	is_int(res.pairs[2].lo, 9, "3-4: L reported");
	is_int(res.pairs[2].hi, 7, "3-4: U reported");
	is_int(res.ncycle, 2, "3-4: the contradiction names two cpus");
	ok(res.ncycle == 2 && res.cycle[0] + res.cycle[1] == 7, "3-4: they are cpus 3 and 4");
	is_str(rl_skew_quality_name(res.cpus[2].quality), "incomplete", "cpu 2: incomplete");
	is_int(res.cpus[2].lo, -55, "cpu 2: lower bound -(-5 + 60) through cpu 1");
	is_str(rl_skew_quality_name(res.cpus[3].quality), "fail", "cpu 3 fails");
	rl_skew_result_release(&res);
	rl_skew_est_release(&e);
}

/* the refusals: overflowing delays, cpus out of range, a reference without pairs */
static void test_errors(void)
{
	struct rl_skew_result res;
	struct rl_skew_est e;
	struct rl_err err;

	rl_skew_est_init(&e);
	rl_err_init(&err);
	is_int(rl_skew_est_add(&e, 0, INT64_MIN, 1, INT64_MAX, &err), -RL_E_USAGE,
	       "r - s overflowing int64 is refused");
	is_int(rl_skew_est_add(&e, 0, INT64_MAX, 1, INT64_MIN, &err), -RL_E_USAGE,
	       "s - r overflowing int64 is refused");
	is_int(rl_skew_est_add_delta(&e, 0, 1, INT64_MIN, &err), -RL_E_USAGE,
	       "a delay of INT64_MIN (its negation overflows) is refused");
	is_int(e.npairs, 0, "refused pairs are not counted");
	is_int(rl_skew_est_add(&e, 0, -5, 1, INT64_MAX - 5, &err), 0,
	       "a delay of exactly INT64_MAX is accepted");
	is_int(rl_skew_est_add_delta(&e, 0, RL_SKEW_MAX_CPUS, 1, &err), -RL_E_USAGE,
	       "a cpu beyond RL_SKEW_MAX_CPUS is refused");
	is_int(rl_skew_est_add_delta(&e, 700, 3, 1, &err), 0, "cpu 700 grows the table");
	is_int(e.d[(size_t)0 * e.cap + 1].min, INT64_MAX, "growth keeps the earlier pairs");
	is_int(rl_skew_est_solve(&e, 701, &res, &err), -RL_E_USAGE,
	       "a reference past the last cpu is refused");
	is_int(rl_skew_est_solve(&e, 0, &res, &err), 0, "701 cpus solve");
	is_int(res.ncpu, 701, "every cpu up to the highest is reported");
	is_str(rl_skew_quality_name(res.cpus[5].quality), "absent", "a cpu without pairs");
	rl_skew_result_release(&res);
	rl_skew_est_release(&e);
}

/* one record of a hand-made Feather-Trace file */
struct ft_in {
	uint64_t ts;
	uint16_t pid;
	uint8_t event;
};

static void ft_file(struct rl_ft_file *f, uint8_t *buf, const struct ft_in *in, int n, int cpu,
		    int kind)
{
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n; i++) {
		struct rl_ft_rec r = {0};

		r.ts = in[i].ts;
		r.pid = in[i].pid;
		r.event = in[i].event;
		r.cpu = (uint8_t)cpu;
		r.seq = (uint32_t)i;
		rl_ft_encode(buf + i * RL_FT_REC, &r, RL_FT_CURRENT, 0);
	}
	f->buf = buf;
	f->nrec = (uint64_t)n;
	f->ts_mask = RL_FT_TS_MASK;
	f->layout = RL_FT_CURRENT;
	f->cpu = cpu;
	f->kind = kind;
}

/* the IPI pairs of a Feather-Trace set: sender inference, the 48-bit wrap, ties, lone STARTs */
static void test_ft_pairs(void)
{
	/* cpu 0 runs pid 7 around 1000 and near the wrap; cpu 1 runs pid 9 around 5000;
	 * cpu 2 and cpu 0 both show pid 4 at the same distance from 8000 */
	static const struct ft_in c0[] = {{990, 7, RL_FT_SCHED_START},
					  {1020, 0, 101},
					  {7990, 4, 110},
					  {RL_FT_TS_MASK - 150, 7, 110}};
	static const struct ft_in c1[] = {{4000, 0, 110}, {4990, 9, RL_FT_SCHED_START}};
	static const struct ft_in c2[] = {{8010, 4, 110}};
	/* msg 1: from pid 7 (cpu 0): 1000 -> 1400; a tie between cpus 0 and 2; across the
	 * wrap: 2^48 - 100 -> 250 */
	static const struct ft_in m1[] = {{1000, 7, RL_FT_SEND_RESCHED_START},
					  {1400, 0, RL_FT_SEND_RESCHED_END},
					  {8000, 4, RL_FT_SEND_RESCHED_START},
					  {8100, 0, RL_FT_SEND_RESCHED_END},
					  {RL_FT_TS_MASK + 1 - 100, 7, RL_FT_SEND_RESCHED_START},
					  {250, 3, RL_FT_SEND_RESCHED_END}};
	/* msg 0: from pid 9 (cpu 1): 5000 -> 4900 (an apparent delay of -100); a lone START */
	static const struct ft_in m0[] = {{5000, 9, RL_FT_SEND_XCALL_START},
					  {4900, 0, RL_FT_SEND_XCALL_END},
					  {9000, 9, RL_FT_SEND_RESCHED_START}};
	static uint8_t b[5][8 * RL_FT_REC];
	struct rl_ft_file fs[5];
	struct rl_ft_set set;
	struct rl_skew_ft_stats st;
	struct rl_skew_est e;
	struct rl_err err;

	ft_file(&fs[0], b[0], c0, 4, 0, RL_FT_KIND_CPU);
	ft_file(&fs[1], b[1], c1, 2, 1, RL_FT_KIND_CPU);
	ft_file(&fs[2], b[2], c2, 1, 2, RL_FT_KIND_CPU);
	ft_file(&fs[3], b[3], m1, 6, 1, RL_FT_KIND_MSG);
	ft_file(&fs[4], b[4], m0, 3, 0, RL_FT_KIND_MSG);
	memset(&set, 0, sizeof(set));
	set.fs = fs;
	set.n = 5;
	rl_skew_est_init(&e);
	rl_err_init(&err);
	is_int(rl_skew_ft_pairs(&set, &e, &st, &err), 0, "ft pairs: walk");
	is_int(st.starts, 5, "ft pairs: five STARTs");
	is_int(st.pairs, 3, "ft pairs: three attributed pairs");
	is_int(st.unmatched, 1, "ft pairs: the last START has no END");
	is_int(st.unattributed, 1, "ft pairs: the tie is not attributed");
	is_int(st.ambiguous, 1, "ft pairs: ... and counted as ambiguous");
	is_int(e.ncpu, 3, "ft pairs: cpus 0-2 reserved");
	is_int(e.d[0 * e.cap + 1].n, 2, "ft pairs: two pairs 0 -> 1 (pid 7 ran on cpu 0)");
	is_int(e.d[0 * e.cap + 1].min, 350, "ft pairs: the smaller delay, 350 across the wrap");
	is_int(e.d[1 * e.cap + 0].n, 1, "ft pairs: one pair 1 -> 0 (pid 9 ran on cpu 1)");
	is_int(e.d[1 * e.cap + 0].min, -100, "ft pairs: an apparent delay of -100 kept signed");
	rl_skew_est_release(&e);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_pairs();
	test_errors();
	test_ft_pairs();
	done_testing();
	return exit_status();
}
