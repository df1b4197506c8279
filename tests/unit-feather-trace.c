/* tests/unit-feather-trace.c - record decoding, byte-order detection, the 48-bit
 * wrap, ft2csv emulation corner cases and the overhead statistics. */
#include "tap.h"
#include "../readers/feather-trace.h"
#include "../stats/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* litmus.md 1.1: timestamp 0xA1A2A3A4A5A6, pid 0xB1B2, seq 0xC1C2C3C4, cpu 0xD1,
 * event 0xE1, type 1, flag 1, count 3, as gcc lays it out on x86-64 */
static const uint8_t checked_le[16] = {0xa6, 0xa5, 0xa4, 0xa3, 0xa2, 0xa1, 0xb2, 0xb1,
				       0xc4, 0xc3, 0xc2, 0xc1, 0xd1, 0xe1, 0x1d, 0x00};

static void file_of(struct rl_ft_file *f, struct rl_input *in, const uint8_t *buf, size_t len,
		    const char *path, int order)
{
	struct rl_ft_opts o = {RL_FT_CURRENT, order};
	struct rl_err err;

	memset(in, 0, sizeof(*in));
	in->path = path;
	in->buf = buf;
	in->len = len;
	rl_err_init(&err);
	if (rl_ft_file_init(f, in, &o, &err))
		diag("init failed: %s", err.msg);
}

static void test_decode(void)
{
	struct rl_ft_file f;
	struct rl_input in;
	struct rl_ft_rec r;
	uint8_t enc[16];

	file_of(&f, &in, checked_le, 16, "x", RL_FT_ORDER_LE);
	rl_ft_decode(&f, 0, &r);
	is_int(r.ts, 0xA1A2A3A4A5A6ull, "LE timestamp (48 bits)");
	is_int(r.pid, 0xB1B2, "LE pid (top 16 bits of word 0)");
	is_int(r.seq, 0xC1C2C3C4u, "LE seq_no");
	is_int(r.cpu, 0xD1, "cpu at byte 12");
	is_int(r.event, 0xE1, "event at byte 13");
	is_int(r.type, 1, "task_type = low 2 bits");
	is_int(r.irq_flag, 1, "irq_flag = bit 2");
	is_int(r.irq_count, 3, "irq_count = top 5 bits");
	rl_ft_encode(enc, &r, RL_FT_CURRENT, 0);
	ok(!memcmp(enc, checked_le, 16), "encode(decode(x)) == x, little-endian");
	rl_ft_encode(enc, &r, RL_FT_CURRENT, 1);
	is_int(enc[0], 0xA1, "BE: timestamp in the high 48 bits, MSB first");
	is_int(enc[7], 0xB2, "BE: pid in the low 16 bits");
	is_int(enc[14], (1 << 6) | (1 << 5) | 3, "BE: bit-fields from the MSB");
	file_of(&f, &in, enc, 16, "x", RL_FT_ORDER_BE);
	rl_ft_decode(&f, 0, &r);
	ok(r.ts == 0xA1A2A3A4A5A6ull && r.pid == 0xB1B2 && r.seq == 0xC1C2C3C4u && r.type == 1 &&
		   r.irq_flag == 1 && r.irq_count == 3,
	   "BE record decodes to the same fields");
}

/* n records of cpu 2 with consecutive seq numbers, in the given order */
static uint8_t *make_trace(size_t n, int be, uint64_t ts0)
{
	uint8_t *buf = calloc(n, 16);
	struct rl_ft_rec r;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.cpu = 2;
	r.type = RL_FT_RT;
	for (i = 0; i < n; i++) {
		r.seq = (uint32_t)(1000 + i);
		r.event = (uint8_t)(104 + (i & 1)); /* CXS_START, CXS_END */
		r.ts = (ts0 + i * 100) & RL_FT_TS_MASK;
		r.pid = (uint16_t)(i & 1 ? 42 : 0);
		rl_ft_encode(buf + i * 16, &r, RL_FT_CURRENT, be);
	}
	return buf;
}

static void test_detect(void)
{
	struct rl_ft_file f;
	struct rl_input in;
	uint8_t *le = make_trace(64, 0, 5000), *be = make_trace(64, 1, 5000);
	int kind;

	file_of(&f, &in, le, 64 * 16, "a/overheads_host=x_cpu=2.bin", 0);
	is_int(f.be, 0, "little-endian trace detected");
	is_int(f.cpu, 2, "cpu from the file name");
	is_int(f.kind, RL_FT_KIND_CPU, "kind cpu from the file name");
	file_of(&f, &in, be, 64 * 16, "b/overheads_msg=3.bin", 0);
	is_int(f.be, 1, "big-endian trace detected");
	is_int(f.kind, RL_FT_KIND_MSG, "kind msg from the file name");
	ok(f.order_votes[1] == 63 && f.order_votes[0] == 0, "BE: all 63 seq steps vote BE");
	file_of(&f, &in, be, 64 * 16 + 5, "c.bin", 0);
	is_int(f.tail, 5, "trailing partial record counted");
	is_int(f.cpu, 2, "cpu from the majority of records");
	is_int(rl_ft_name_cpu("x/cpu=7_y.bin", &kind), 7, "cpu=7 parsed");
	is_int(rl_ft_name_cpu("x/xcpu=7.bin", &kind), -1, "xcpu=7 is not a cpu key");
	free(le);
	free(be);
}

static void test_names(void)
{
	unsigned id = 0;

	ok(!rl_ft_event_parse("CXS", &id) && id == 104, "short name CXS -> 104");
	ok(!rl_ft_event_parse("SEND_RESCHED", &id) && id == 190, "SEND_RESCHED -> 190");
	ok(!rl_ft_event_parse("RELEASE_LATENCY", &id) && id == 208, "RELEASE_LATENCY -> 208");
	ok(!rl_ft_event_parse("150", &id) && id == 150, "numbers accepted");
	ok(rl_ft_event_parse("BOGUS", &id) < 0, "unknown name rejected");
	ok(rl_ft_event_name(150) == NULL, "150 has no name (printed as a number)");
}

/* A pair across the 48-bit wrap: rtlens keeps it, ft2csv loses it. */
static void test_wrap(void)
{
	uint8_t *buf = make_trace(6, 0, RL_FT_TS_MASK + 1 - 450); /* -450 .. -50, +50 */
	struct rl_ovh_opts oo;
	struct rl_ft2csv_opts fo;
	struct rl_ft2csv_counts c;
	struct rl_ft_file f;
	struct rl_input in;
	struct rl_ovh *h;
	struct rl_err err;
	int64_t *v = NULL;
	uint64_t n = 0;
	FILE *null = fopen("/dev/null", "w");

	file_of(&f, &in, buf, 6 * 16, "w_cpu=2.bin", 0);
	memset(&oo, 0, sizeof(oo));
	oo.only_cpu = oo.avoid_cpu = -1;
	rl_err_init(&err);
	h = rl_ovh_new(&oo, &err);
	ok(h && rl_ovh_group(h, "w", &err) == 0, "accumulator");
	ok(!rl_ovh_add_file(h, &f, 0, NULL, 0, &err), "file added");
	is_int(rl_ovh_nseries(h), 1, "one series (CXS)");
	ok(!rl_ovh_samples(h, 0, &v, &n, &err), "samples read");
	ok(n == 3 && v[0] == 100 && v[1] == 100 && v[2] == 100,
	   "all 3 pairs kept, the one across 2^48 too (%llu)", (unsigned long long)n);
	free(v);
	rl_ovh_free(h);
	rl_ft2csv_opts_init(&fo);
	rl_ft2csv_run(&f, 104, &fo, null, &c);
	ok(c.skipped == 1 && c.complete == 1 && c.incomplete == 1,
	   "ft2csv skips the first START, keeps 1, counts the wrapped pair incomplete");
	fclose(null);
	free(buf);
}

static void test_stats(void)
{
	int64_t v[10] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1},
		w[6] = {-5, 3, -1, 1LL << 40, 0, -(1LL << 50)};
	int64_t tmp[6], a[100], b[100];
	struct rl_ovh_stat st;
	int i, same = 1, diff = 0;

	rl_ovh_stat_compute(v, 10, &st);
	ok(st.min == 1 && st.max == 10 && st.n == 10, "min max n");
	ok(fabs(st.mean - 5.5) < 1e-12 && fabs(st.median - 5.5) < 1e-12, "mean and median");
	ok(fabs(st.p90 - 9.1) < 1e-9 && fabs(st.p99 - 9.91) < 1e-9 && fabs(st.p999 - 9.991) < 1e-9,
	   "percentiles by linear interpolation (numpy)");
	ok(fabs(st.var - 8.25) < 1e-12, "var with ddof 0 (ft-compute-stats)");
	ok(fabs(st.std - 3.0276503540974917) < 1e-12, "std with ddof 1 (ft-compute-stats)");
	rl_ovh_sort(w, tmp, 6);
	ok(w[0] == -(1LL << 50) && w[1] == -5 && w[2] == -1 && w[3] == 0 && w[4] == 3 &&
		   w[5] == (1LL << 40),
	   "radix sort handles negative and large values");
	{
		int64_t s[4] = {1, 2, 3, 4};

		ok(fabs(rl_ovh_expected_max(s, 4, 2) - 20.0 / 6.0) < 1e-12,
		   "expected max of 2 of {1,2,3,4} = 10/3");
		ok(fabs(rl_ovh_expected_max(s, 4, 1) - 2.5) < 1e-12, "k = 1 gives the mean");
		ok(fabs(rl_ovh_expected_max(s, 4, 4) - 4) < 1e-12, "k = n gives the max");
	}
	for (i = 0; i < 100; i++)
		a[i] = b[i] = i;
	rl_ovh_shuffle(a, 100, 10, 7);
	rl_ovh_shuffle(b, 100, 10, 7);
	for (i = 0; i < 100; i++)
		same &= a[i] == b[i];
	ok(same, "equal seeds give equal shuffles");
	for (i = 0; i < 100; i++)
		b[i] = i;
	rl_ovh_shuffle(b, 100, 10, 8);
	for (i = 0; i < 10; i++)
		diff |= a[i] != b[i];
	ok(diff, "another seed gives another sample");
	rl_ovh_stat_compute(v, 0, &st);
	ok(st.n == 0 && st.max == 0 && st.mean == 0, "n = 0 gives zeros");
}

/* The older layouts: full 64-bit timestamps, flags byte (2012a) or type byte (2008). */
static void test_layouts(void)
{
	struct rl_ft_rec r, d;
	struct rl_ft_file f;
	struct rl_input in;
	struct rl_ft_opts o = {RL_FT_2012A, RL_FT_ORDER_LE};
	struct rl_err err;
	uint8_t buf[16];
	int be;

	for (be = 0; be < 2; be++) {
		memset(&r, 0, sizeof(r));
		r.ts = 0x0123456789abcdefull; /* needs all 64 bits */
		r.seq = 77;
		r.cpu = 3;
		r.event = 104;
		r.type = 1;
		r.irq_flag = 1;
		r.irq_count = 5;
		rl_ft_encode(buf, &r, RL_FT_2012A, be);
		memset(&in, 0, sizeof(in));
		in.path = "x";
		in.buf = buf;
		in.len = 16;
		o.layout = RL_FT_2012A;
		o.order = be ? RL_FT_ORDER_BE : RL_FT_ORDER_LE;
		rl_err_init(&err);
		rl_ft_file_init(&f, &in, &o, &err);
		rl_ft_decode(&f, 0, &d);
		ok(d.ts == r.ts && d.pid == 0 && d.seq == 77 && d.type == 1 && d.irq_flag == 1 &&
			   d.irq_count == 5,
		   "2012a layout, %s: 64-bit timestamp, flags byte", be ? "BE" : "LE");
		is_int(f.ts_mask, UINT64_MAX, "2012a: deltas in 64 bits");
		r.type = 2;
		rl_ft_encode(buf, &r, RL_FT_2008, be);
		o.layout = RL_FT_2008;
		rl_ft_file_init(&f, &in, &o, &err);
		rl_ft_decode(&f, 0, &d);
		ok(d.ts == r.ts && d.type == 2 && d.irq_flag == 0 && d.irq_count == 0,
		   "2008 layout, %s: type byte, no IRQ fields", be ? "BE" : "LE");
	}
}

/* An old single-buffer file holds every cpu: pairs are matched per cpu. */
static void test_single_file(void)
{
	/* cpu 0: SCHED 100..400; cpu 1: SCHED 150..250 inside it; seq global */
	static const struct {
		uint64_t ts;
		uint8_t cpu, ev;
	} recs[] = {{100, 0, 100}, {150, 1, 100}, {250, 1, 101}, {400, 0, 101}};
	uint8_t buf[4 * 16];
	struct rl_ovh_opts oo;
	struct rl_ft_file f;
	struct rl_input in;
	struct rl_ovh *h;
	struct rl_err err;
	struct rl_ovh_series_info si;
	int64_t *v;
	uint64_t n;
	size_t i;

	for (i = 0; i < 4; i++) {
		struct rl_ft_rec r;

		memset(&r, 0, sizeof(r));
		r.ts = recs[i].ts;
		r.cpu = recs[i].cpu;
		r.event = recs[i].ev;
		r.seq = (uint32_t)(10 + i);
		r.type = RL_FT_RT;
		rl_ft_encode(buf + 16 * i, &r, RL_FT_CURRENT, 0);
	}
	file_of(&f, &in, buf, sizeof(buf), "ft.bin", 0);
	is_int(f.cpu, -1, "a file holding two cpus has no cpu");
	memset(&oo, 0, sizeof(oo));
	oo.only_cpu = oo.avoid_cpu = -1;
	oo.per_cpu = 1;
	rl_err_init(&err);
	h = rl_ovh_new(&oo, &err);
	rl_ovh_group(h, "g", &err);
	ok(!rl_ovh_add_file(h, &f, 0, NULL, 0, &err), "single file added");
	is_int(rl_ovh_nseries(h), 2, "one SCHED series per cpu");
	rl_ovh_series(h, 0, &si);
	ok(si.cpu == 0 && !rl_ovh_samples(h, 0, &v, &n, &err) && n == 1 && v[0] == 300,
	   "cpu 0: 400 - 100 (cpu 1's records in between do not break the pair)");
	free(v);
	rl_ovh_series(h, 1, &si);
	ok(si.cpu == 1 && !rl_ovh_samples(h, 1, &v, &n, &err) && n == 1 && v[0] == 100,
	   "cpu 1: 250 - 150");
	free(v);
	rl_ovh_free(h);
}

/* Statistics from exact counts (count_only) equal those from stored samples,
 * also when values are far apart within a file and across files. */
static void test_count_only(void)
{
	static const uint64_t deltas[2][6] = {{100, 101, 5000000, 102, 7, 100},
					      {1000000000000ull, 3, 100, 100, 250, 9}};
	uint8_t buf[2][12 * 16];
	struct rl_ft_file f[2];
	struct rl_input in[2];
	struct rl_ovh_stat a, b;
	struct rl_err err;
	int mode, k, i;

	for (k = 0; k < 2; k++) {
		uint64_t ts = 1000;

		for (i = 0; i < 6; i++) {
			struct rl_ft_rec r;

			memset(&r, 0, sizeof(r));
			r.cpu = 0;
			r.type = RL_FT_RT;
			r.event = 104;
			r.seq = (uint32_t)(2 * i);
			r.ts = ts;
			rl_ft_encode(buf[k] + 32 * i, &r, RL_FT_CURRENT, 0);
			r.event = 105;
			r.seq++;
			r.ts = ts + deltas[k][i];
			rl_ft_encode(buf[k] + 32 * i + 16, &r, RL_FT_CURRENT, 0);
			ts += deltas[k][i] + 10;
		}
		file_of(&f[k], &in[k], buf[k], sizeof(buf[k]), "c_cpu=0.bin", 0);
	}
	for (mode = 0; mode < 2; mode++) {
		struct rl_ovh_opts oo;
		struct rl_ovh *h;
		uint32_t g[2] = {0, 0};
		uint16_t src[2] = {0, 0};

		memset(&oo, 0, sizeof(oo));
		oo.only_cpu = oo.avoid_cpu = -1;
		oo.count_only = mode;
		rl_err_init(&err);
		h = rl_ovh_new(&oo, &err);
		rl_ovh_group(h, "g", &err);
		ok(!rl_ovh_add_files(h, f, g, src, 2, 2, NULL, &err), "two files, two threads");
		if (rl_ovh_stat_fast(h, 0, mode ? &b : &a, &err) != 1) {
			int64_t *v;
			uint64_t n;

			rl_ovh_samples(h, 0, &v, &n, &err);
			rl_ovh_stat_compute(v, n, mode ? &b : &a);
			free(v);
		}
		rl_ovh_free(h);
	}
	ok(a.n == 12 && b.n == 12 && a.min == 3 && b.min == 3 && a.max == 1000000000000ll &&
		   b.max == a.max,
	   "n, min and max agree (counts vs samples)");
	ok(a.median == b.median && a.p90 == b.p90 && a.p999 == b.p999 && a.mean == b.mean,
	   "quantiles and mean agree exactly");
	ok(fabs(a.std - b.std) <= 1e-9 * a.std, "stddev agrees");
}

/* Beyond the memory budget samples go to the row store's temporary file;
 * the result (values and their order) is the same. */
static void test_spill(void)
{
	uint8_t *buf = make_trace(4000, 0, 5000);
	struct rl_ft_file f;
	struct rl_input in;
	int64_t *v[2];
	uint64_t n[2];
	int b;

	file_of(&f, &in, buf, 4000 * 16, "s_cpu=2.bin", 0);
	for (b = 1; b < 4000; b += 2) { /* ENDs a little later: distinct deltas */
		struct rl_ft_rec r;

		rl_ft_decode(&f, (uint64_t)b, &r);
		r.ts += (uint64_t)(b % 61);
		rl_ft_encode(buf + 16 * b, &r, RL_FT_CURRENT, 0);
	}
	for (b = 0; b < 2; b++) {
		struct rl_ovh_opts oo;
		struct rl_ovh *h;
		struct rl_err err;
		uint32_t g[3] = {0, 0, 0};
		uint16_t src[3] = {0, 0, 0};
		struct rl_ft_file fs[3] = {f, f, f};

		memset(&oo, 0, sizeof(oo));
		oo.only_cpu = oo.avoid_cpu = -1;
		oo.mem_budget = b ? 64 : 0; /* 8 samples, then spill */
		rl_err_init(&err);
		h = rl_ovh_new(&oo, &err);
		rl_ovh_group(h, "g", &err);
		ok(!rl_ovh_add_files(h, fs, g, src, 3, 2, NULL, &err), "budget %s: 3 files added",
		   b ? "64 B" : "default");
		ok(!rl_ovh_samples(h, 0, &v[b], &n[b], &err), "samples read back");
		if (b)
			ok(rl_ovh_spilled(h) > 0,
			   "64 B budget: %llu chunks went to the temporary "
			   "file",
			   (unsigned long long)rl_ovh_spilled(h));
		else
			is_int(rl_ovh_spilled(h), 0, "default budget: nothing spilled");
		rl_ovh_free(h);
	}
	ok(n[0] == 6000 && n[1] == n[0] && !memcmp(v[0], v[1], n[0] * sizeof(int64_t)),
	   "spilled samples equal in-memory ones, in order (%llu)", (unsigned long long)n[1]);
	free(v[0]);
	free(v[1]);
	free(buf);
}

struct log_row {
	uint64_t idx;
	int64_t v;
	int has_v;
	int reason;
};

struct log_buf {
	struct log_row r[64];
	int n;
};

static int log_collect(void *arg, uint64_t idx, int64_t v, int has_v, enum rl_discard reason,
		       struct rl_err *err)
{
	struct log_buf *b = arg;

	(void)err;
	if (b->n == 64)
		return 1;
	b->r[b->n++] = (struct log_row){idx, v, has_v, (int)reason};
	return 0;
}

/* log_samples: kept and discarded samples in the order judged, with values where
 * both records exist; the same log whatever the threads and the memory budget. */
static void test_log(void)
{
	/* CXS pairs on cpu 0: event, ts, irq flag */
	static const unsigned recs[][3] = {
		{104, 1000, 0}, {105, 1100, 0}, /* kept 100 */
		{104, 2000, 0}, {105, 2050, 1}, /* irq, 50 */
		{105, 2100, 0},			/* orphan END */
		{104, 3000, 0}, {104, 3500, 0}, /* the first START incomplete */
		{105, 3520, 0},			/* kept 20 */
		{104, 4000, 0}, {105, 3990, 0}, /* negative, -10 */
		{104, 5000, 0},			/* unended at the end of the file */
	};
	static const struct log_row want[7] = {
		{0, 100, 1, RL_DISCARD_KEEP},	  {1, 50, 1, RL_DISCARD_IRQ},
		{2, 0, 0, RL_DISCARD_ORPHAN},	  {3, 0, 0, RL_DISCARD_INCOMPLETE},
		{4, 20, 1, RL_DISCARD_KEEP},	  {5, -10, 1, RL_DISCARD_NEGATIVE},
		{6, 0, 0, RL_DISCARD_INCOMPLETE},
	};
	enum { NREC = sizeof(recs) / sizeof(recs[0]) };
	uint8_t buf[NREC * 16];
	struct log_buf got[2];
	struct rl_ft_file f;
	struct rl_input in;
	int run, i, bad = 0;

	for (i = 0; i < NREC; i++) {
		struct rl_ft_rec r;

		memset(&r, 0, sizeof(r));
		r.type = RL_FT_RT;
		r.event = (uint8_t)recs[i][0];
		r.ts = recs[i][1];
		r.irq_flag = (uint8_t)recs[i][2];
		r.seq = (uint32_t)i;
		rl_ft_encode(buf + 16 * i, &r, RL_FT_CURRENT, 0);
	}
	file_of(&f, &in, buf, sizeof(buf), "l_cpu=0.bin", 0);
	for (run = 0; run < 2; run++) {
		struct rl_ft_file fs[3] = {f, f, f};
		uint32_t g[3] = {0, 0, 0};
		uint16_t src[3] = {0, 0, 0};
		struct rl_ovh_series_info si;
		struct rl_ovh_opts oo;
		struct rl_ovh *h;
		struct rl_err err;

		memset(&oo, 0, sizeof(oo));
		oo.only_cpu = oo.avoid_cpu = -1;
		oo.count_only = 1; /* as rtlens db: the log keeps the order the counts lose */
		oo.log_samples = 1;
		oo.mem_budget = run ? 16 : 0; /* run 1: the log chunks go to the temporary file */
		rl_err_init(&err);
		h = rl_ovh_new(&oo, &err);
		rl_ovh_group(h, "g", &err);
		memset(&got[run], 0, sizeof(got[run]));
		ok(!rl_ovh_add_files(h, fs, g, src, 3, run ? 3 : 1, NULL, &err) &&
			   rl_ovh_nseries(h) == 1 &&
			   !rl_ovh_log_each(h, 0, log_collect, &got[run], &err),
		   "log: 3 files, %d thread(s), log read", run ? 3 : 1);
		rl_ovh_series(h, 0, &si);
		ok(si.n == 6 && si.discard.n[RL_DISCARD_INCOMPLETE] == 6 &&
			   si.discard.n[RL_DISCARD_IRQ] == 3 &&
			   si.discard.n[RL_DISCARD_ORPHAN] == 3 &&
			   si.discard.n[RL_DISCARD_NEGATIVE] == 3,
		   "log: the counts are the usual ones (n %llu)", (unsigned long long)si.n);
		if (run)
			ok(rl_ovh_spilled(h) > 0, "log: a 16 B budget spills");
		rl_ovh_free(h);
	}
	is_int(got[0].n, 21, "log: 21 samples of 3 files");
	for (i = 0; i < got[0].n && i < 21; i++) {
		const struct log_row *w = &want[i % 7], *a = &got[0].r[i];

		if (a->idx != (uint64_t)i || a->has_v != w->has_v || a->reason != w->reason ||
		    (w->has_v && a->v != w->v)) {
			diag("log row %d: idx %llu value %lld/%d reason %d", i,
			     (unsigned long long)a->idx, (long long)a->v, a->has_v, a->reason);
			bad++;
		}
	}
	is_int(bad, 0, "log: each file's samples in file order, values and reasons as judged");
	ok(got[1].n == got[0].n && !memcmp(got[0].r, got[1].r, sizeof(got[0].r)),
	   "log: 3 threads and a spilled log give the same log as 1 thread in memory");
}

int main(void)
{
	test_decode();
	test_detect();
	test_names();
	test_wrap();
	test_stats();
	test_layouts();
	test_single_file();
	test_count_only();
	test_spill();
	test_log();
	done_testing();
	return exit_status();
}
