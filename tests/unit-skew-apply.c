/*
 * tests/unit-skew-apply.c - compensation arithmetic (skew/apply.c): the
 * saturating helpers, IPI delays on one clock, the undecided rule, the table
 * built from a result (refusal, --skew-force), and the read-back of an
 * rtlens skew --json (skew/json.c) with hostile contents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../skew/skew.h"
#include "arr-cursor.h"
#include "tap.h"

static void test_saturating(void)
{
	is_int(rl_skew_sat_add(1, 2), 3, "add: 1 + 2");
	is_int(rl_skew_sat_add(INT64_MAX, 1), INT64_MAX, "add: INT64_MAX + 1 saturates");
	is_int(rl_skew_sat_add(INT64_MIN, -1), INT64_MIN, "add: INT64_MIN - 1 saturates");
	is_int(rl_skew_sat_add(INT64_MAX, INT64_MIN), -1, "add: MAX + MIN = -1 exactly");
	is_int(rl_skew_sat_sub(5, 7), -2, "sub: 5 - 7");
	is_int(rl_skew_sat_sub(INT64_MIN, 1), INT64_MIN, "sub: MIN - 1 saturates");
	is_int(rl_skew_sat_sub(0, INT64_MIN), INT64_MAX, "sub: 0 - MIN saturates");
	is_int(rl_skew_sat_sub(-1, INT64_MIN), INT64_MAX, "sub: -1 - MIN = MAX exactly");
	is_int(rl_skew_sat_sub(INT64_MAX, -1), INT64_MAX, "sub: MAX + 1 saturates");
}

static void test_ipi(void)
{
	struct rl_skew_table st;
	struct rl_err err;
	int64_t v = 12345, u = 6789;

	rl_err_init(&err);
	rl_skew_table_init(&st);
	/* truth: clock_1 = true + 1000, clock_2 = true - 500 (offsets against cpu 0) */
	ok(!rl_skew_table_set(&st, 0, 0, 0, &err), "set cpu 0");
	ok(!rl_skew_table_set(&st, 1, 1000, 30, &err), "set cpu 1");
	ok(!rl_skew_table_set(&st, 2, -500, 20, &err), "set cpu 2");
	/* sent on 1 at true 100 (reads 1100), received on 2 at true 400 (reads -100): the
	 * recorded delay is -1200, the true one 300 */
	ok(rl_skew_ipi_correct(&st, 1, 2, -1200, &v, &u), "1 -> 2 corrected");
	is_int(v, 300, "1 -> 2: the true delay");
	is_int(u, 50, "1 -> 2: uncertainty = sum of the two");
	ok(rl_skew_ipi_correct(&st, 2, 1, 1800, &v, &u), "2 -> 1 corrected");
	is_int(v, 300, "2 -> 1: recorded 1800, true 300");
	ok(rl_skew_ipi_correct(&st, 1, 1, 77, &v, &u), "same cpu");
	is_int(v, 77, "same cpu: unchanged");
	v = 4242;
	ok(!rl_skew_ipi_correct(&st, 1, 9, 10, &v, &u), "cpu without offset: not corrected");
	is_int(v, 4242, "... output untouched");
	ok(!rl_skew_ipi_correct(&st, RL_NO_CPU, 1, 10, &v, &u), "RL_NO_CPU sender: not corrected");

	/* hostile: offsets and delays at the edges saturate instead of overflowing */
	ok(!rl_skew_table_set(&st, 3, INT64_MAX, INT64_MAX - 1, &err), "set cpu 3 at INT64_MAX");
	ok(!rl_skew_table_set(&st, 4, INT64_MIN, 0, &err), "set cpu 4 at INT64_MIN");
	ok(rl_skew_ipi_correct(&st, 4, 3, INT64_MIN, &v, &u), "MIN delay, 4 -> 3");
	is_int(v, INT64_MIN, "... saturates at INT64_MIN");
	is_int(u, INT64_MAX - 1, "... uncertainty MAX-1 + 0");
	ok(rl_skew_ipi_correct(&st, 3, 4, INT64_MAX, &v, &u), "MAX delay, 3 -> 4");
	is_int(v, INT64_MAX, "... saturates at INT64_MAX");
	ok(rl_skew_ipi_correct(&st, 3, 1, INT64_MAX, &v, &u), "exact in 128 bits: 3 -> 1");
	is_int(v, INT64_MAX, "... MAX - (1000 - MAX) saturates");
	ok(rl_skew_ipi_correct(&st, 3, 3, -5, &v, &u), "3 -> 3");
	is_int(u, INT64_MAX, "uncertainty sum MAX-1 + MAX-1 saturates");
	ok(rl_skew_ipi_correct(&st, 4, 3, 0, &v, &u), "4 -> 3 with delay 0");
	is_int(v, INT64_MIN, "0 - (MAX - MIN) saturates at MIN");
	ok(!rl_skew_table_set(&st, 5, 7, RL_SKEW_UNBOUNDED, &err), "set cpu 5 unbounded");
	ok(rl_skew_ipi_correct(&st, 5, 1, 10, &v, &u), "5 -> 1");
	is_int(u, RL_SKEW_UNBOUNDED, "an unbounded offset makes the delay unbounded");
	ok(rl_skew_table_set(&st, 6, 0, -1, &err) < 0, "a negative uncertainty is refused");
	ok(rl_skew_table_set(&st, RL_NO_CPU, 0, 0, &err) < 0, "RL_NO_CPU is refused");
	rl_skew_table_release(&st);
}

static void test_undecided(void)
{
	ok(rl_skew_undecided(0, 0), "0 +- 0: undecided (simultaneous)");
	ok(!rl_skew_undecided(1, 0), "1 +- 0: decided");
	ok(rl_skew_undecided(100, 100), "100 +- 100: the band touches 0");
	ok(!rl_skew_undecided(101, 100), "101 +- 100: decided");
	ok(rl_skew_undecided(-100, 100), "-100 +- 100: undecided");
	ok(!rl_skew_undecided(-101, 100), "-101 +- 100: decided (negative)");
	ok(rl_skew_undecided(INT64_MIN, INT64_MAX) == 0, "|MIN| > MAX: decided, no overflow");
	ok(rl_skew_undecided(INT64_MIN + 1, INT64_MAX), "MIN+1 +- MAX: undecided");
	ok(rl_skew_undecided(INT64_MAX, RL_SKEW_UNBOUNDED), "unbounded: always undecided");
	ok(!rl_skew_undecided(0, -1), "a negative uncertainty is no band");
}

static struct rl_skew_cpu cpu_q(uint32_t cpu, int q, int64_t off, int64_t unc)
{
	struct rl_skew_cpu c;

	memset(&c, 0, sizeof(c));
	c.cpu = cpu;
	c.quality = q;
	c.offset = off;
	c.uncert = unc;
	if (q == RL_SKEW_ACCURATE || q == RL_SKEW_APPROXIMATE) {
		c.lo = off - unc;
		c.hi = off + unc;
		c.has_lo = c.has_hi = 1;
	}
	return c;
}

static void test_build(void)
{
	struct rl_skew_cpu cpus[5];
	struct rl_skew_pair pairs[1];
	struct rl_skew_result res;
	struct rl_skew_table st;
	struct rl_skew_build b;
	struct rl_err err;
	const struct rl_skew_offset *o;

	rl_err_init(&err);
	memset(&res, 0, sizeof(res));
	cpus[0] = cpu_q(0, RL_SKEW_ACCURATE, 0, 0);
	cpus[1] = cpu_q(1, RL_SKEW_APPROXIMATE, -700, 40);
	cpus[2] = cpu_q(2, RL_SKEW_ABSENT, 0, 0);
	cpus[3] = cpu_q(3, RL_SKEW_INCOMPLETE, 0, 0);
	cpus[3].has_hi = 1;
	cpus[3].hi = 900;
	cpus[4] = cpu_q(4, RL_SKEW_FAIL, 0, 0);
	memset(pairs, 0, sizeof(pairs));
	pairs[0] = (struct rl_skew_pair){0, 4, 3, 2, 300, 100, 0, 0, RL_SKEW_PAIR_VIOLATION};
	res.cpus = cpus;
	res.ncpu = 5;
	res.pairs = pairs;
	res.npair = 1;

	is_int(rl_skew_table_build(&st, &res, RL_SKEW_UNIT_CYCLES, 0, &b, &err), -RL_E_USAGE,
	       "incomplete and failed cpus are refused without force");
	ok(strstr(err.msg, "cpu 3 (incomplete)") && strstr(err.msg, "cpu 4 (fail)") &&
		   strstr(err.msg, "--skew-force"),
	   "... the message names them and the way out: %s", err.msg);
	is_int(b.refused, 2, "... two refused");
	rl_skew_table_release(&st);

	rl_err_init(&err);
	is_int(rl_skew_table_build(&st, &res, RL_SKEW_UNIT_CYCLES, 1, &b, &err), 0,
	       "forced: built");
	is_int(st.unit, RL_SKEW_UNIT_CYCLES, "the unit is kept");
	is_int(b.applied, 4, "4 applied");
	is_int(b.forced, 2, "2 of them forced");
	is_int(b.absent, 1, "1 absent");
	ok(!rl_skew_table_get(&st, 2), "the absent cpu is not corrected, even with force");
	o = rl_skew_table_get(&st, 1);
	ok(o && o->offset == -700 && o->uncert == 40, "approximate: offset and uncertainty");
	o = rl_skew_table_get(&st, 3);
	ok(o && o->offset == 900 && o->uncert == RL_SKEW_UNBOUNDED,
	   "incomplete, forced: its one bound, no uncertainty bound");
	/* the direct pair (0, 4): 100 <= theta ... >= 300 violated: the midpoint 200 +- 100 */
	o = rl_skew_table_get(&st, 4);
	ok(o && o->offset == 200 && o->uncert == 100,
	   "fail, forced: the midpoint of the violated direct pair (%lld +- %lld)",
	   o ? (long long)o->offset : 0, o ? (long long)o->uncert : 0);
	rl_skew_table_release(&st);

	/* hostile: bounds at the int64 edges */
	cpus[3].hi = INT64_MIN;
	cpus[3].has_lo = 1;
	cpus[3].lo = INT64_MAX;
	cpus[4].quality = RL_SKEW_ABSENT;
	is_int(rl_skew_table_build(&st, &res, RL_SKEW_UNIT_NS, 1, &b, &err), 0, "extreme bounds");
	o = rl_skew_table_get(&st, 3);
	ok(o && o->offset == -1 && o->uncert == RL_SKEW_UNBOUNDED,
	   "lo = MAX, hi = MIN: midpoint -1, the width does not fit: unbounded");
	rl_skew_table_release(&st);
}

static int read_json(const char *text, struct rl_skew_result *res, int *unit, struct rl_err *err)
{
	rl_err_init(err);
	return rl_skew_json_read("t.json", text, strlen(text), res, unit, err);
}

static void test_json(void)
{
	static const char good[] =
		"{\"reference_cpu\":0,\"unit\":\"cycles\",\"cpus\":[{\"cpu\":0,\"offset_cycles\":0,"
		"\"uncertainty_cycles\":0,\"lower_cycles\":0,\"upper_cycles\":0,\"pairs\":0,"
		"\"quality\":\"accurate\"},{\"cpu\":2,\"offset_cycles\":-9000000000,"
		"\"uncertainty_cycles\":12,\"lower_cycles\":null,\"upper_cycles\":null,\"pairs\":"
		"40,\"quality\":\"approximate\",\"later\":[1.5e3,{\"x\":true}]}],\"pairs\":[{\"cpu_"
		"a\":0}]}";
	static const struct {
		const char *text, *msg;
		uint64_t off;
	} bad[] = {
		{"", "'{' expected", 0},
		{"[]", "'{' expected", 0},
		{"{\"reference_cpu\":0,\"unit\":\"s\",\"cpus\":[]}", "unit is neither", 26},
		{"{\"reference_cpu\":-1,\"unit\":\"ns\",\"cpus\":[]}", "reference_cpu out of range",
		 17},
		{"{\"reference_cpu\":0,\"unit\":\"ns\",\"cpus\":[{\"cpu\":0,\"quality\":\"good\"}]"
		 "}",
		 "unknown quality", 58},
		{"{\"reference_cpu\":0,\"unit\":\"ns\",\"cpus\":[{\"cpu\":0,\"offset_ns\":1.5,"
		 "\"quality\":\"accurate\"}]}",
		 "an integer expected", 60},
		{"{\"reference_cpu\":0,\"unit\":\"ns\",\"cpus\":[{\"cpu\":0,\"offset_ns\":"
		 "99999999999999999999,\"quality\":\"accurate\"}]}",
		 "out of range", 60},
		{"{\"reference_cpu\":0,\"unit\":\"ns\",\"cpus\":[{\"cpu\":5000,\"quality\":"
		 "\"absent\"}]}",
		 "cpu number out of range", 46},
		{"{\"reference_cpu\":0,\"unit\":\"ns\",\"cpus\":[{\"cpu\":0,\"quality\":"
		 "\"accurate\"}]}",
		 "needs its offset", 39},
		{"{\"reference_cpu\":0,\"unit\":\"ns\",\"cpus\":[{\"cpu\":0,\"offset_cycles\":0,"
		 "\"uncertainty_cycles\":0,\"quality\":\"accurate\"}]}",
		 "unit suffixes disagree", 26},
		{"{\"reference_cpu\":0,\"unit\":\"ns\",\"cpus\":[{\"cpu\":0,\"offset_ns\":0,"
		 "\"uncertainty_ns\":0,\"quality\":\"accurate\"},{\"cpu\":0,\"quality\":\"absent\"}"
		 "]}",
		 "listed twice", 103},
		{"{\"reference_cpu\":1,\"unit\":\"ns\",\"cpus\":[{\"cpu\":0,\"offset_ns\":0,"
		 "\"uncertainty_ns\":0,\"quality\":\"accurate\"}]}",
		 "reference cpu is not listed", 0},
		{"{\"reference_cpu\":0,\"unit\":\"ns\",\"cpus\":[{\"cpu\":0,\"offset_ns\":0,"
		 "\"uncertainty_ns\":-3,\"quality\":\"accurate\"}]}",
		 "negative uncertainty", 79},
		{"{\"reference_cpu\":0,\"unit\":\"ns\"}", "not the output of", 0},
		{"{\"reference_cpu\":0,\"unit\":\"ns\",\"cpus\":[]} x", "text after", 42},
		{"{\"reference_cpu\":0,\"unit\":\"ns\",\"cpus\":[", "'{' expected", 39},
		{"{\"reference_cpu\":0,\"unit\":\"ns", "unterminated string", 26},
		{"{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]"
		 "]]",
		 "nested too deeply", 37},
	};
	struct rl_skew_result res;
	struct rl_err err;
	size_t i;
	int unit;

	is_int(read_json(good, &res, &unit, &err), 0, "a good file: %s", err.msg);
	is_int(unit, RL_SKEW_UNIT_CYCLES, "unit cycles");
	is_int(res.ncpu, 3, "cpus 0..2 (1 not listed)");
	is_int(res.cpus[1].quality, RL_SKEW_ABSENT, "an unlisted cpu is absent");
	is_int(res.cpus[2].offset, -9000000000ll, "a 64-bit offset");
	is_int(res.cpus[2].uncert, 12, "its uncertainty");
	ok(res.cpus[2].has_lo && res.cpus[2].lo == -9000000012ll && res.cpus[2].has_hi &&
		   res.cpus[2].hi == -8999999988ll,
	   "null bounds of an estimate follow from it");
	rl_skew_result_release(&res);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = read_json(bad[i].text, &res, &unit, &err);

		ok(r < 0 && strstr(err.msg, bad[i].msg) && err.off == bad[i].off &&
			   !strcmp(err.path, "t.json"),
		   "bad %zu refused at 0x%llx with '%s' (got %d, 0x%llx: %s)", i,
		   (unsigned long long)bad[i].off, bad[i].msg, r, (unsigned long long)err.off,
		   err.msg);
		rl_skew_result_release(&res);
	}
}

/* One cursor carrying two cpus (an ftrace text file): the corrected events come out in
 * time order, ties in input order, events without time after their predecessor. */
static void test_one_stream(void)
{
	struct rl_event in[8], out[8];
	static const int64_t ts[8] = {100, 105, 130, 150, 160, 170, 0, 1000};
	static const uint32_t cpu[8] = {0, 1, 1, 0, 1, 0, 1, 1};
	/* cpu 1 is 50 ahead: corrected 100, 55, 80, 150, 110, 170, (notime), 950 */
	static const int64_t want[8] = {55, 80, 100, 110, 150, 170, 0, 950};
	struct rl_skew_table st;
	struct rl_cursor *c;
	struct rl_err err;
	int i, r, sorted = 1;

	rl_err_init(&err);
	rl_skew_table_init(&st);
	rl_skew_table_set(&st, 0, 0, 0, &err);
	rl_skew_table_set(&st, 1, 50, 0, &err);
	memset(in, 0, sizeof(in));
	for (i = 0; i < 8; i++) {
		in[i].ts = ts[i];
		in[i].cpu = cpu[i];
		in[i].arg = i;
		in[i].task = in[i].task2 = RL_NO_TASK;
	}
	in[6].flags = RL_EVF_NOTIME;
	c = arr_cursor(in, 8, 0);
	ok(c && !rl_skew_wrap_cursors(&st, &c, 1, &err), "wrapped");
	for (i = 0; i < 8 && (r = rl_cursor_next(c, &out[i], &err)) == 1; i++)
		if (out[i].ts != want[i])
			sorted = 0;
	is_int(i, 8, "all 8 events out");
	ok(sorted, "in corrected time order");
	is_int(out[6].arg, 6, "the event without time follows the one read before it");
	ok(out[6].flags & RL_EVF_NOTIME, "... and keeps its flag");
	is_int(rl_cursor_next(c, &out[0], &err), 0, "then the end");
	rl_cursor_close(c);
	rl_skew_table_release(&st);
}

int main(void)
{
	test_one_stream();
	test_saturating();
	test_ipi();
	test_undecided();
	test_build();
	test_json();
	done_testing();
	return exit_status();
}
