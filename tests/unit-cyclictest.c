/*
 * tests/unit-cyclictest.c - the cyclictest reader on real recordings
 * (testdata/cyclictest, see its README.md) and on damaged inputs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../readers/cyclictest.h"
#include "tap.h"

/* One thread's final status line from cyclictest's stdout. */
struct ref_line {
	unsigned long long c;
	long min, avg, max;
	int seen;
};

static char *slurp(const char *name, size_t *len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/testdata/cyclictest/%s", tap_src_dir(), name);
	return tap_slurp(path, len);
}

/* The last "T: N (tid) P:.. I:.. C: .. Min: .. Act: .. Avg: .. Max: .." line of each thread. */
static int read_ref(const char *name, struct ref_line *ref, int max)
{
	size_t len;
	char *b = slurp(name, &len), *line, *save = NULL;
	int n = 0;

	if (!b)
		return -1;
	for (line = strtok_r(b, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *t = strstr(line, "T:");
		struct ref_line r = {0};
		int idx, tid, prio;
		long intv, act;

		if (!t ||
		    sscanf(t, "T:%d (%d) P:%d I:%ld C:%llu Min:%ld Act:%ld Avg:%ld Max:%ld", &idx,
			   &tid, &prio, &intv, &r.c, &r.min, &act, &r.avg, &r.max) != 9 ||
		    idx < 0 || idx >= max)
			continue;
		r.seen = 1;
		ref[idx] = r;
		n = idx + 1 > n ? idx + 1 : n;
	}
	free(b);
	return n;
}

static int parse_file(const char *name, struct rl_cyclictest *c)
{
	struct rl_err err;
	size_t len;
	char *b = slurp(name, &len);
	int r;

	rl_err_init(&err);
	rl_cyclictest_init(c);
	if (!b)
		return -1;
	r = rl_cyclictest_parse(c, (const uint8_t *)b, len, name, &err);
	if (r)
		diag("%s:%llu: %s", name, (unsigned long long)err.off, err.msg);
	ok(rl_cyclictest_probe((const uint8_t *)b, len) == 100, "%s: probe says 100", name);
	free(b);
	return r;
}

/* The -l value of the JSON cmdline. */
static unsigned long long cmd_loops(const struct rl_cyclictest *c)
{
	const char *cmd = rl_cyclictest_meta(c, "cmdline"), *l;

	l = cmd ? strstr(cmd, " -l ") : NULL;
	return l ? strtoull(l + 4, NULL, 10) : 0;
}

/* Thread @i of a run against its stdout line: exact when the line is the final state. */
static int check_ref(const char *run, const struct rl_cyc_thread *t, const struct ref_line *r)
{
	if (r->c == t->cycles) {
		is_int(r->min, t->min, "%s thread %u: Min equals stdout", run, t->index);
		is_int(r->max, t->max, "%s thread %u: Max equals stdout", run, t->index);
		/* stdout and the text Avg are (long)(sum / cycles); JSON is %.2f of it */
		ok(r->avg <= t->avg + 0.005 && r->avg > t->avg - 1.005,
		   "%s thread %u: Avg %ld fits avg %.2f", run, t->index, r->avg, t->avg);
		return 1;
	}
	diag("%s thread %u: stdout snapshot C:%llu before the end (%llu cycles)", run, t->index,
	     r->c, (unsigned long long)t->cycles);
	ok(r->c < t->cycles && (uint64_t)r->max <= t->max && (uint64_t)r->min >= t->min,
	   "%s thread %u: stdout snapshot is bounded by the final values", run, t->index);
	return 0;
}

static void check_same_buckets(const char *run, const struct rl_cyc_thread *a,
			       const struct rl_cyc_thread *b)
{
	uint32_t i, same = a->nbuckets == b->nbuckets;

	for (i = 0; same && i < a->nbuckets; i++)
		same = a->buckets[i].value == b->buckets[i].value &&
		       a->buckets[i].count == b->buckets[i].count;
	ok(same, "%s thread %u: text and JSON agree bucket by bucket (%u buckets)", run, a->index,
	   a->nbuckets);
}

/* One recording with both forms: text against JSON, both against stdout and -l. */
static void check_run(const char *run, int unit)
{
	struct rl_cyclictest tx, js;
	struct ref_line ref[8] = {{0}};
	char name[64];
	unsigned long long loops, maxc = 0;
	uint32_t i;
	int nref, exact = 0;

	snprintf(name, sizeof(name), "%s.hist", run);
	is_int(parse_file(name, &tx), 0, "%s parses", name);
	snprintf(name, sizeof(name), "%s.json", run);
	is_int(parse_file(name, &js), 0, "%s parses", name);
	snprintf(name, sizeof(name), "%s.stdout", run);
	nref = read_ref(name, ref, 8);
	is_int(tx.nthreads, nref, "%s: text has as many threads as stdout", run);
	is_int(js.nthreads, nref, "%s: JSON has as many threads as stdout", run);
	is_int(tx.form, RL_CYC_TEXT, "%s: text form", run);
	is_int(js.form, RL_CYC_JSON, "%s: JSON form", run);
	is_int(tx.unit, unit, "%s: text unit inferred from the values, as the JSON says", run);
	is_int(tx.unit_from, unit == RL_CYC_UNIT_NS ? RL_CYC_FROM_MIN : RL_CYC_FROM_SMALL,
	       "%s: inferred from the Min line", run);
	is_int(js.unit, unit, "%s: JSON unit from resolution_in_ns", run);
	loops = cmd_loops(&js);
	for (i = 0; i < tx.nthreads && i < js.nthreads && (int)i < nref; i++) {
		const struct rl_cyc_thread *a = &tx.threads[i], *b = &js.threads[i];

		is_int(a->cycles, b->cycles, "%s thread %u: Total + Overflows = JSON cycles", run,
		       i);
		is_int(a->total + a->overflows, a->cycles, "%s thread %u: text sums", run, i);
		is_int(b->total + b->overflows, b->cycles, "%s thread %u: JSON sums", run, i);
		is_int(a->total, b->total, "%s thread %u: in-range samples agree", run, i);
		is_int(a->min, b->min, "%s thread %u: min agrees", run, i);
		is_int(a->max, b->max, "%s thread %u: max agrees", run, i);
		ok(a->avg <= b->avg + 0.005 && a->avg > b->avg - 1.005,
		   "%s thread %u: text Avg %.0f is JSON avg %.2f truncated", run, i, a->avg,
		   b->avg);
		check_same_buckets(run, a, b);
		is_int(a->novf, a->overflows < tx.range ? a->overflows : tx.range,
		       "%s thread %u: overflow cycles listed up to the bucket count", run, i);
		is_int(a->novf + a->ovf_others, a->overflows, "%s thread %u: listed + others", run,
		       i);
		ok(b->flags & RL_CYC_F_CPU && b->cpu >= 0, "%s thread %u: JSON has the CPU", run,
		   i);
		snprintf(name, sizeof(name), "%s json", run);
		exact += check_ref(name, b, &ref[i]);
		snprintf(name, sizeof(name), "%s text", run);
		check_ref(name, a, &ref[i]);
		ok(b->cycles <= loops, "%s thread %u: cycles <= -l %llu", run, i, loops);
		maxc = b->cycles > maxc ? b->cycles : maxc;
	}
	is_int(maxc, loops, "%s: the first thread to finish ran -l loops", run);
	ok(exact > 0, "%s: %d thread(s) compared exactly with stdout", run, exact);
	ok(rl_cyclictest_meta(&js, "rt_test_version") && rl_cyclictest_meta(&js, "sysinfo.release"),
	   "%s: header entries without the trailing colon, nested keys dotted", run);
	rl_cyclictest_release(&tx);
	rl_cyclictest_release(&js);
}

static void check_recordings(void)
{
	struct rl_cyclictest c;
	struct ref_line ref[8] = {{0}};
	uint32_t i;
	int n;

	check_run("rec1", RL_CYC_UNIT_US);
	check_run("rec2", RL_CYC_UNIT_US);
	check_run("rec3", RL_CYC_UNIT_NS);

	/* rec2: -h 20 leaves an "others" tail; rec3: -H column checked and dropped */
	if (!parse_file("rec2.hist", &c)) {
		is_int(c.range, 20, "rec2: 20 bucket lines");
		ok(c.threads[0].ovf_others > 0 && c.threads[1].ovf_others > 0,
		   "rec2: overflow lists end with '# NNNNN others'");
		ok(!c.histofall, "rec2: no all-threads column");
	}
	rl_cyclictest_release(&c);
	if (!parse_file("rec3.hist", &c))
		ok(c.histofall && c.nthreads == 2, "rec3: -H column recognised, 2 threads");
	rl_cyclictest_release(&c);

	/* rec4: -q without -h, stdout is the final summary after the threads ended */
	is_int(parse_file("rec4.json", &c), 0, "rec4.json parses");
	n = read_ref("rec4.stdout", ref, 8);
	is_int(c.nthreads, n, "rec4: threads as on stdout");
	for (i = 0; i < c.nthreads && (int)i < n; i++) {
		is_int(c.threads[i].cycles, ref[i].c, "rec4 thread %u: cycles equal stdout C", i);
		check_ref("rec4", &c.threads[i], &ref[i]);
		ok(c.threads[i].nbuckets == 0 && c.threads[i].overflows == c.threads[i].cycles,
		   "rec4 thread %u: empty histogram, every cycle counted as overflow", i);
	}
	rl_cyclictest_release(&c);
}

/* numpy.quantile(x, q) ("linear") over an expanded, sorted sample array with +inf overflows. */
static int ref_quantile(const double *x, uint64_t n, double q, double *out)
{
	double h = (double)(n - 1) * q, g, a, b;
	uint64_t lo = (uint64_t)floor(h);

	g = h - (double)lo;
	a = x[lo];
	b = x[lo + 1 < n ? lo + 1 : n - 1];
	if (isinf(a) || (g > 0 && isinf(b)))
		return RL_CYC_ABOVE;
	*out = g <= 0 ? a : g >= 0.5 ? b - (b - a) * (1 - g) : a + (b - a) * g;
	return 0;
}

/* The rank arithmetic against a plain expansion of a real histogram. */
static void check_quantiles_expanded(void)
{
	static const double qs[] = {0,	  1e-6,	 0.01,	0.25,  0.5,    0.75,	0.9,
				    0.99, 0.995, 0.998, 0.999, 0.9999, 0.99999, 1};
	struct rl_cyclictest c;
	const struct rl_cyc_thread *t;
	uint64_t k = 0, j;
	uint32_t i;
	const uint32_t nq = sizeof(qs) / sizeof(qs[0]);
	double *x, want = 0, got = 0;
	int same = 1, above = 0, rw, rg;

	if (parse_file("rec1.hist", &c) || !c.nthreads) {
		ok(0, "rec1.hist for quantiles");
		return;
	}
	t = &c.threads[1];
	x = malloc((size_t)t->cycles * sizeof(*x));
	for (i = 0; x && i < t->nbuckets; i++)
		for (j = 0; j < t->buckets[i].count; j++)
			x[k++] = (double)t->buckets[i].value;
	while (x && k < t->cycles)
		x[k++] = INFINITY;
	for (i = 0; x && i < nq + 1000; i++) {
		double q = i < nq ? qs[i] : (i - nq) / 999.0;

		rw = ref_quantile(x, t->cycles, q, &want);
		rg = rl_cyclictest_quantile(t, q, &got);
		above += rg == RL_CYC_ABOVE;
		if (rw != rg || (!rw && want != got)) {
			diag("q=%.17g: got %d %.17g, want %d %.17g", q, rg, got, rw, want);
			same = 0;
		}
	}
	ok(x && same, "rec1 thread 1: quantiles equal numpy-linear over the expanded samples");
	ok(above > 0, "rec1 thread 1: the top quantiles are above range (%d)", above);
	free(x);
	rl_cyclictest_release(&c);
}

static void check_quantiles_small(void)
{
	struct rl_cyc_bucket b[] = {{1, 1}, {2, 1}, {3, 1}, {4, 1}};
	struct rl_cyc_thread t = {.buckets = b, .nbuckets = 4, .total = 4};
	double v = 0, m = 0;
	int r;

	/* numpy.quantile([1, 2, 3, 4], [0, .25, .5, .75, 1]) == [1, 1.75, 2.5, 3.25, 4] */
	ok(!rl_cyclictest_quantile(&t, 0, &v) && v == 1, "q0 = 1");
	ok(!rl_cyclictest_quantile(&t, 0.25, &v) && v == 1.75, "q.25 = 1.75");
	ok(!rl_cyclictest_quantile(&t, 0.5, &v) && v == 2.5, "q.5 = 2.5");
	ok(!rl_cyclictest_quantile(&t, 0.75, &v) && v == 3.25, "q.75 = 3.25");
	ok(!rl_cyclictest_quantile(&t, 1, &v) && v == 4, "q1 = 4");
	is_int(rl_cyclictest_quantile(&t, 1.5, &v), -RL_E_USAGE, "q > 1 refused");
	is_int(rl_cyclictest_quantile(&t, NAN, &v), -RL_E_USAGE, "q NaN refused");
	ok(!rl_cyclictest_hist_mean(&t, &m) && m == 2.5, "bucketed mean 2.5");
	/* numpy.quantile([2, 9], 0.6) == 6.199999999999999, not 2 + 7 * 0.6 == 6.2: numpy's
	 * _lerp takes b - (b - a)(1 - t) for t >= 0.5 */
	b[0].value = 2, b[1].value = 9, t.nbuckets = 2, t.total = 2;
	r = rl_cyclictest_quantile(&t, 0.6, &v);
	ok(!r && v == 6.199999999999999 && v != 6.2, "q.6 of [2, 9] as numpy rounds it (%.17g)", v);
	b[0].value = 1, b[1].value = 2, t.nbuckets = 4, t.total = 4;
	/* one overflow: [1, 2, 3, 4, +inf]; q.75 is rank 3 exactly = 4, q.8 needs the overflow */
	t.overflows = 1;
	ok(!rl_cyclictest_quantile(&t, 0.75, &v) && v == 4, "q.75 with an overflow = 4");
	ok(rl_cyclictest_quantile(&t, 0.8, &v) == RL_CYC_ABOVE && isinf(v), "q.8 is above range");
	ok(!rl_cyclictest_hist_mean(&t, &m) && m == 2.5, "overflows left out of the mean");
	t.total = 0, t.nbuckets = 0;
	is_int(rl_cyclictest_quantile(&t, 0, &v), RL_CYC_ABOVE, "only overflows: above range");
	is_int(rl_cyclictest_hist_mean(&t, &m), -RL_E_USAGE, "no in-range sample: no mean");
	t.overflows = 0;
	is_int(rl_cyclictest_quantile(&t, 0.5, &v), -RL_E_USAGE, "no samples refused");
}

/* Parse @s, expect @code at the offset of @at in @s (or at @off if @at is NULL). */
static void bad(const char *name, const char *s, size_t len, int code, const char *at, size_t off)
{
	struct rl_cyclictest c;
	struct rl_err err;
	int r;

	if (at)
		off = (size_t)(strstr(s, at) - s);
	rl_cyclictest_init(&c);
	rl_err_init(&err);
	r = rl_cyclictest_parse(&c, (const uint8_t *)s, len, name, &err);
	if (!is_int(r, code, "%s: fails", name))
		return;
	is_int(err.off, off, "%s: error at byte %zu (%s)", name, off, err.msg);
	is_str(err.path, name, "%s: error names the file", name);
	ok(c.nthreads == 0 && c.threads == NULL, "%s: result left empty", name);
}

/* @at NULL: the error is at the end of @s */
#define BAD(name, s, code, at) bad(name, s, sizeof(s) - 1, code, at, sizeof(s) - 1)

#define TXT_HEAD "# Histogram\n000000 000001\t000002\n000001 000003\t000000\n"
#define TXT_FOOT                                                                                   \
	"# Min Latencies: 00000 00000\n# Avg Latencies: 00000 00000\n"                             \
	"# Max Latencies: 00001 00000\n# Histogram Overflows: 00001 00000\n"                       \
	"# Histogram Overflow at cycle number:\n# Thread 0: 00007\n# Thread 1:\n"
#define TXT_OK TXT_HEAD "# Total: 000000004 000000002\n" TXT_FOOT "\n"
#define JS_HEAD "{\n  \"cmdline:\": \"cyclictest -h 20\",\n  \"num_threads\": 1,\n"
#define JS_OK                                                                                      \
	JS_HEAD "  \"thread\": {\"0\": {\"histogram\": {\"3\": 2, \"5\": 1}, "                     \
		"\"cycles\": 4, \"min\": 3, \"max\": 30, \"avg\": 9.25, \"cpu\": -1, \"node\": "   \
		"0}}}\n"

static void check_inline_good(void)
{
	struct rl_cyclictest c;
	struct rl_err err;
	static const char smi[] = TXT_HEAD TXT_FOOT "# SMIs: 00002 00003\n\n";
	static const char cap[] = "# /dev/cpu_dma_latency set to 0us\nT: 0 (1) P:80 I:200\n" TXT_OK;
	static const char nan[] =
		"{\"s\": \"\\u00e9\\/\\ud83d\\ude00\\n\", \"o\": {\"a\": [1, true]}, "
		"\"thread\": {\"0\": {\"cycles\": 0, \"min\": 1000000, "
		"\"max\": 0, \"avg\": -nan}}}";
	int r;

	rl_err_init(&err);
	rl_cyclictest_init(&c);
	r = rl_cyclictest_parse(&c, (const uint8_t *)TXT_OK, sizeof(TXT_OK) - 1, "ok", &err);
	ok(!r && c.nthreads == 2 && c.threads[0].cycles == 5 && c.threads[0].novf == 1 &&
		   c.threads[0].ovf_cycles[0] == 7 && c.threads[1].nbuckets == 1,
	   "small text: cycles, overflow list, zero buckets dropped");
	rl_cyclictest_release(&c);
	r = rl_cyclictest_parse(&c, (const uint8_t *)smi, sizeof(smi) - 1, "smi", &err);
	ok(!r && c.threads[1].flags & RL_CYC_F_SMI && c.threads[1].smis == 3,
	   "text without Total, with SMIs");
	rl_cyclictest_release(&c);
	is_int(rl_cyclictest_probe((const uint8_t *)cap, sizeof(cap) - 1), 60,
	       "stdout capture probe");
	r = rl_cyclictest_parse(&c, (const uint8_t *)cap, sizeof(cap) - 1, "cap", &err);
	ok(!r && c.nthreads == 2, "stdout capture: lines before '# Histogram' skipped");
	rl_cyclictest_release(&c);
	r = rl_cyclictest_parse(&c, (const uint8_t *)JS_OK, sizeof(JS_OK) - 1, "js", &err);
	ok(!r && c.nthreads == 1 && c.threads[0].overflows == 1 && c.threads[0].cpu == -1 &&
		   c.unit == RL_CYC_UNIT_UNKNOWN &&
		   !strcmp(rl_cyclictest_meta(&c, "cmdline"), "cyclictest -h 20"),
	   "small JSON: overflow = cycles - histogram, cpu -1, colon dropped");
	rl_cyclictest_release(&c);
	ok(rl_cyclictest_probe((const uint8_t *)JS_OK, sizeof(JS_OK) - 1) >= 50, "JSON probe");
	r = rl_cyclictest_parse(&c, (const uint8_t *)nan, sizeof(nan) - 1, "nan", &err);
	ok(!r && c.nthreads == 1 && isnan(c.threads[0].avg) && c.threads[0].cycles == 0,
	   "0 cycles: cyclictest's -nan average is read as NaN");
	ok(!r && !strcmp(rl_cyclictest_meta(&c, "s"), "\xc3\xa9/\xf0\x9f\x98\x80\n") &&
		   !strcmp(rl_cyclictest_meta(&c, "o.a.1"), "true"),
	   "escapes and surrogate pairs decoded to UTF-8, nested keys flattened");
	rl_cyclictest_release(&c);
	is_int(rl_cyclictest_probe((const uint8_t *)"{\"a\": 1}", 8), 0, "other JSON: probe 0");
	is_int(rl_cyclictest_probe((const uint8_t *)"hello\n", 6), 0, "text: probe 0");
}

/* The text form's unit: ns when every thread's Min >= 1000, doubt on a large Avg. */
static void check_text_unit(void)
{
	static const char *const text[] = {
		/* µs: Min 1 */
		"# Histogram\n000000 000000\n000001 000002\n# Total: 000000002\n"
		"# Min Latencies: 00001\n# Avg Latencies: 00001\n# Max Latencies: 00001\n"
		"# Histogram Overflows: 00000\n# Histogram Overflow at cycle number:\n"
		"# Thread 0:\n",
		/* ns: Min 1500 in both threads (all above a 2-bucket range) */
		"# Histogram\n000000 000000\t000000\n000001 000000\t000000\n"
		"# Total: 000000000 000000000\n# Min Latencies: 01500 01000\n"
		"# Avg Latencies: 01600 01000\n# Max Latencies: 01700 01000\n"
		"# Histogram Overflows: 00002 00001\n# Histogram Overflow at cycle number:\n"
		"# Thread 0: 00000 00001\n# Thread 1: 00000\n",
		/* one thread below 1000: µs, and its mate's Avg 2000 raises the doubt */
		"# Histogram\n000000 000000\t000000\n000001 000000\t000000\n"
		"# Total: 000000000 000000000\n# Min Latencies: 00999 01500\n"
		"# Avg Latencies: 00999 02000\n# Max Latencies: 00999 02500\n"
		"# Histogram Overflows: 00001 00002\n# Histogram Overflow at cycle number:\n"
		"# Thread 0: 00000\n# Thread 1: 00000 00001\n",
		/* no cycles at all */
		"# Histogram\n000000 000000\n# Total: 000000000\n# Min Latencies: 1000000\n"
		"# Avg Latencies: 00000\n# Max Latencies: 00000\n# Histogram Overflows: 00000\n"
		"# Histogram Overflow at cycle number:\n# Thread 0:\n",
	};
	static const int unit[] = {RL_CYC_UNIT_US, RL_CYC_UNIT_NS, RL_CYC_UNIT_US, RL_CYC_UNIT_US};
	static const int from[] = {RL_CYC_FROM_SMALL, RL_CYC_FROM_MIN, RL_CYC_FROM_DOUBT,
				   RL_CYC_FROM_NONE};
	struct rl_cyclictest c;
	struct rl_err err;
	size_t i;
	int r;

	rl_err_init(&err);
	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		rl_cyclictest_init(&c);
		r = rl_cyclictest_parse(&c, (const uint8_t *)text[i], strlen(text[i]), "unit",
					&err);
		ok(!r && c.unit == unit[i] && c.unit_from == from[i],
		   "text unit case %zu: unit %d (want %d), from %d (want %d)", i, c.unit, unit[i],
		   c.unit_from, from[i]);
		rl_cyclictest_release(&c);
	}
}

static void check_inline_bad(void)
{
	char deep[200], trunc[sizeof(JS_OK)];
	size_t n;

	BAD("empty", "", -RL_E_TRUNCATED, "");
	BAD("blank", " \n\n", -RL_E_TRUNCATED, " ");
	BAD("garbage-bucket",
	    "# Histogram\n000000 000001\t000002\n000001 00x003\t000000\n"
	    "# Total: 1 2\n" TXT_FOOT,
	    -RL_E_CORRUPT, "000001 00x");
	BAD("count-2^64", "# Histogram\n000000 18446744073709551616\t000002\n" TXT_FOOT,
	    -RL_E_CORRUPT, "000000 1844");
	BAD("sum-2^64", "# Histogram\n000000 18446744073709551615\t0\n000001 1\t0\n" TXT_FOOT,
	    -RL_E_CORRUPT, "000001 1\t");
	BAD("total-mismatch", TXT_HEAD "# Total: 000000004 000000003\n" TXT_FOOT, -RL_E_CORRUPT,
	    "# Total");
	BAD("columns", TXT_HEAD "000002 1\n" TXT_FOOT, -RL_E_CORRUPT, "000002 1");
	BAD("bucket-order", TXT_HEAD "000001 1\t1\n" TXT_FOOT, -RL_E_CORRUPT, "000001 1\t1");
	BAD("ovf-list",
	    TXT_HEAD "# Min Latencies: 0 0\n# Avg Latencies: 0 0\n# Max Latencies: 1 0\n"
		     "# Histogram Overflows: 00003 00000\n# Histogram Overflow at cycle number:\n"
		     "# Thread 0: 00007 # 00001 others\n# Thread 1:\n",
	    -RL_E_CORRUPT, "# Thread 0");
	BAD("all-column", "# Histogram\n000000 1\t2\t3\n000001 1\t2\t4\n" TXT_FOOT, -RL_E_CORRUPT,
	    "000001 1\t2\t4");
	BAD("text-truncated", TXT_HEAD "# Total: 000000004 000000002\n# Min Latencies: 0 0\n",
	    -RL_E_TRUNCATED, NULL);
	BAD("text-no-header", "000000 1\n", -RL_E_CORRUPT, "000000");
	BAD("text-trailing", TXT_OK "junk\n", -RL_E_CORRUPT, "junk");
	BAD("json-2^64", JS_HEAD "\"thread\": {\"0\": {\"cycles\": 18446744073709551616}}}",
	    -RL_E_CORRUPT, "18446744073709551616");
	BAD("json-hist-sum",
	    JS_HEAD "\"thread\": {\"0\": {\"histogram\": {\"1\": "
		    "18446744073709551615, \"2\": 1}}}}",
	    -RL_E_CORRUPT, "1}}}}");
	BAD("json-hist-more",
	    JS_HEAD "\"thread\": {\"0\": {\"histogram\": {\"1\": 5}, \"cycles\": 4, "
		    "\"min\": 1, \"max\": 1, \"avg\": 1}}}",
	    -RL_E_CORRUPT, "{\"histogram");
	BAD("json-no-avg", JS_HEAD "\"thread\": {\"0\": {\"cycles\": 4, \"min\": 1, \"max\": 1}}}",
	    -RL_E_CORRUPT, "{\"cycles");
	BAD("json-thread-key", JS_HEAD "\"thread\": {\"1\": {}}}", -RL_E_CORRUPT, "\"1\"");
	BAD("json-num-threads", "{\"num_threads\": 2, \"thread\": {}}", -RL_E_CORRUPT, "2,");
	BAD("json-escape", "{\"a\": \"x\\qy\", \"thread\": {}}", -RL_E_CORRUPT, "\\q");
	BAD("json-surrogate", "{\"a\": \"\\udc00\", \"thread\": {}}", -RL_E_CORRUPT, "\\udc");
	BAD("json-trailing", "{\"thread\": {}} x", -RL_E_CORRUPT, "x");
	bad("json-comma", "{\"thread\": {},}", 15, -RL_E_CORRUPT, NULL, 14);
	BAD("json-no-thread", "{\"a\": 1}", -RL_E_CORRUPT, "{");

	/* truncated at every length: always TRUNCATED at the end (a few cut a number short) */
	memcpy(trunc, JS_OK, sizeof(JS_OK));
	for (n = 1; n < sizeof(JS_OK) - 2; n += 7) {
		char name[32];

		snprintf(name, sizeof(name), "json-cut-%zu", n);
		if (strchr("0123456789-.", JS_OK[n - 1]) || strchr("0123456789.", JS_OK[n]))
			continue; /* a cut number is still a number */
		bad(name, trunc, n, -RL_E_TRUNCATED, NULL, n);
	}

	/* the header value of "a" nests 40 arrays: the 32nd bracket is one too deep */
	n = (size_t)snprintf(deep, sizeof(deep), "{\"a\": ");
	memset(deep + n, '[', 40);
	snprintf(deep + n + 40, sizeof(deep) - n - 40, "]]]");
	bad("json-deep", deep, strlen(deep), -RL_E_CORRUPT, NULL, n + 31);
	n = (size_t)snprintf(deep, sizeof(deep), "{\"thread\": {\"0\": {\"x\": ");
	memset(deep + n, '[', 40);
	deep[n + 40] = 0;
	bad("json-deep-thread", deep, strlen(deep), -RL_E_CORRUPT, NULL, n + 29);
}

/* The overflows' lower bound: the text's range, the JSON -h value, the last bucket, the min. */
static void check_overflow_min(void)
{
	static const struct {
		const char *name;
		uint64_t want[2];
	} cases[] = {
		{"rec1.hist", {400, 400}}, /* -h 400: buckets 0..399 */
		{"rec1.json", {400, 400}}, /* from its cmdline */
		{"rec2.json", {20, 20}},
		{"rec3.json", {5429, 5211}}, /* --nsecs, -H 400 ns: every sample above, min */
		{"rec4.json", {4, 8}},	     /* no -h: only the min bounds them */
	};
	struct rl_cyclictest c;
	struct rl_err err;
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *b = slurp(cases[i].name, &len);
		int good;

		rl_cyclictest_init(&c);
		rl_err_init(&err);
		good = b &&
		       !rl_cyclictest_parse(&c, (const uint8_t *)b, len, cases[i].name, &err) &&
		       c.nthreads == 2 &&
		       rl_cyclictest_overflow_min(&c, &c.threads[0]) == cases[i].want[0] &&
		       rl_cyclictest_overflow_min(&c, &c.threads[1]) == cases[i].want[1];
		ok(good, "%s: overflows at least %llu and %llu", cases[i].name,
		   (unsigned long long)cases[i].want[0], (unsigned long long)cases[i].want[1]);
		rl_cyclictest_release(&c);
		free(b);
	}
}

int main(void)
{
	size_t len;
	char *probe = slurp("rec1.json", &len);

	if (!probe)
		skip_all("testdata/cyclictest not found under %s", tap_src_dir());
	free(probe);
	check_recordings();
	check_quantiles_expanded();
	check_quantiles_small();
	check_inline_good();
	check_inline_bad();
	check_text_unit();
	check_overflow_min();
	ok(rl_cyclictest_probe(NULL, 0) == 0, "an empty file (no buffer) is not cyclictest's");
	done_testing();
	return exit_status();
}
