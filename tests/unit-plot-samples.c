/*
 * tests/unit-plot-samples.c - draw/samples.c, the sample reader of `rtlens
 * plot`: a CSV file with a header and rows left out (counted, the first bad
 * ones located), errors located at the byte offset of their line, one
 * series per value of a grouping column, `rtlens jobs` response times and
 * float32 files with trailing bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../draw/draw.h"
#include "tap.h"

static char dir[] = "/tmp/unit-plot-samples-XXXXXX";

/* Write @len bytes of @text to a file named @name in the test directory. Return: its path. */
static const char *put(const char *name, const char *text, size_t len)
{
	static char path[8][128];
	static int next;
	char *p = path[next++ % 8];
	FILE *f;

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	f = fopen(p, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f))
		diag("cannot write %s", p);
	return p;
}

#define PUT(name, text) put((name), (text), sizeof(text) - 1)

static int same(const struct rl_plot_series *s, const double *want, size_t n)
{
	size_t i;

	if (s->n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (s->v[i] != want[i])
			return 0;
	return 1;
}

static void test_good(void)
{
	static const char text[] = "# a comment\n"
				   "id, note ,\"cost\"\n"
				   "1,x,1.5\n"
				   "\n"
				   "2,x, 2.5 \n"
				   "3,x,n/a\n"
				   "4,x,\n"
				   "5\n"
				   "6,x,\"4\"\r\n";
	static const double want[] = {3, 5, 8};
	const char *p = PUT("good.csv", text);
	struct rl_samples_opts o = {.column = "cost", .scale = 2, .nfiles = 1};
	struct rl_samples_stats st;
	struct rl_samples ss;
	struct rl_err err;

	rl_samples_init(&ss);
	rl_err_init(&err);
	is_int(rl_samples_read_csv(&ss, p, "good", &o, &st, &err), 0, "good file: read");
	is_int(ss.n, 1, "good file: one series");
	is_str(ss.s[0].label, "good", "good file: labelled");
	ok(same(&ss.s[0], want, 3), "good file: samples 1.5, 2.5, 4 scaled by 2");
	is_str(ss.xlabel, "cost", "good file: x label from the header");
	is_int(st.rows, 6, "good file: 6 data rows");
	is_int(st.bad, 2, "good file: 2 without a number (n/a, short row)");
	is_int(st.empty, 1, "good file: 1 empty field");
	is_int(st.nfirst_bad, 1, "good file: the bad number is kept");
	is_int(st.first_bad[0].line, 6, "good file: bad row at line 6");
	is_int(st.first_bad[0].off, strstr(text, "3,x,n/a") - text, "good file: ... at its offset");
	is_str(st.first_bad[0].text, "n/a", "good file: ... with its text");
	is_int(st.line, 0, "good file: no error line");
	rl_samples_release(&ss);
}

static void test_bad(void)
{
	static const char text[] = "# samples\n# by hand\nid,cost\n1,2\n";
	static const char plain[] = "\n1,2\n3,4\n";
	struct rl_samples_opts o = {.column = "nosuch", .scale = 1, .nfiles = 1};
	const char *p = PUT("bad.csv", text), *q = PUT("plain.csv", plain);
	struct rl_samples_stats st;
	struct rl_samples ss;
	struct rl_err err;

	rl_samples_init(&ss);
	rl_err_init(&err);
	is_int(rl_samples_read_csv(&ss, p, "bad", &o, &st, &err), -RL_E_FORMAT,
	       "unknown column: an error");
	is_str(err.path, p, "unknown column: the file");
	is_int(err.off, 20, "unknown column: the header line's offset");
	is_int(st.line, 3, "unknown column: the header line's number");
	is_str(err.msg, "no column 'nosuch' (the header has 2 fields)", "unknown column: message");

	rl_err_init(&err);
	o.column = "cost";
	is_int(rl_samples_read_csv(&ss, q, "plain", &o, &st, &err), -RL_E_FORMAT,
	       "named column, no header: an error");
	is_int(err.off, 1, "named column, no header: at the first data line (offset 1)");
	is_int(st.line, 2, "named column, no header: line 2");

	rl_err_init(&err);
	o.column = NULL;
	o.by = "grp";
	is_int(rl_samples_read_csv(&ss, q, "plain", &o, &st, &err), -RL_E_FORMAT,
	       "grouping column, no header: an error");
	is_int(err.off, 1, "grouping column, no header: at offset 1");

	rl_err_init(&err);
	o.by = NULL;
	is_int(rl_samples_read_csv(&ss, "/nonexistent/x.csv", "x", &o, &st, &err), -RL_E_IO,
	       "missing file: an i/o error");
	is_int(err.off, RL_OFF_NONE, "missing file: no offset");
	is_int(st.line, 0, "missing file: no line");
	rl_samples_release(&ss);
}

static void test_by(void)
{
	static const char text[] = "grp,v\nb,1\nb,2\na,3\nb,4\n,5\na,6\n";
	static const double wb[] = {1, 2, 4}, wa[] = {3, 6}, wnone[] = {5}, w2[] = {10};
	struct rl_samples_opts o = {.by = "grp", .scale = 1, .nfiles = 1};
	const char *p = PUT("by.csv", text), *q = PUT("by2.csv", "grp,v\nb,10\n");
	struct rl_samples_stats st;
	struct rl_samples ss;
	struct rl_err err;

	rl_samples_init(&ss);
	rl_err_init(&err);
	is_int(rl_samples_read_csv(&ss, p, "by", &o, &st, &err), 0, "--by: read");
	if (is_int(ss.n, 3, "--by: a series per value")) {
		is_str(ss.s[0].label, "b", "--by: first value seen first");
		ok(same(&ss.s[0], wb, 3), "--by: b = 1, 2, 4");
		is_str(ss.s[1].label, "a", "--by: then a");
		ok(same(&ss.s[1], wa, 2), "--by: a = 3, 6");
		is_str(ss.s[2].label, "", "--by: the empty value is a series too");
		ok(same(&ss.s[2], wnone, 1), "--by: '' = 5");
	}
	rl_samples_release(&ss);

	rl_samples_init(&ss);
	o.nfiles = 2;
	is_int(rl_samples_read_csv(&ss, p, "one", &o, &st, &err) ||
		       rl_samples_read_csv(&ss, q, "two", &o, &st, &err),
	       0, "--by, two files: read");
	if (is_int(ss.n, 4, "--by, two files: series per file and value")) {
		is_str(ss.s[0].label, "one: b", "--by, two files: named after the file");
		is_str(ss.s[3].label, "two: b", "--by, two files: same value, other file");
		ok(same(&ss.s[3], w2, 1), "--by, two files: two: b = 10");
	}
	rl_samples_release(&ss);
}

static void test_jobs_f32(void)
{
	static const char jobs[] = "pid,name,job,response\n7,rt,1,2000000\n8,be,1,\n7,rt,2,"
				   "4000000\n8,be,2,1000000\n";
	/* 1.0f, 2.0f little-endian, then 3 stray bytes */
	static const char f32[] = "\x00\x00\x80\x3f\x00\x00\x00\x40\x01\x02\x03";
	static const double w7[] = {2, 4}, w8[] = {1}, wf[] = {10, 20};
	struct rl_samples_opts o = {.response = 1, .scale = 5, .nfiles = 1};
	const char *p = PUT("jobs.csv", jobs), *q = put("s.f32", f32, sizeof(f32) - 1);
	struct rl_samples_stats st;
	struct rl_samples ss;
	struct rl_err err;

	rl_samples_init(&ss);
	rl_err_init(&err);
	is_int(rl_samples_read_csv(&ss, p, "jobs", &o, &st, &err), 0, "jobs CSV: read");
	if (is_int(ss.n, 2, "jobs CSV: a series per pid")) {
		is_str(ss.s[0].label, "rt/7", "jobs CSV: name/pid");
		ok(same(&ss.s[0], w7, 2), "jobs CSV: response times in ms, not scaled");
		ok(same(&ss.s[1], w8, 1), "jobs CSV: the empty response is left out");
	}
	is_int(st.empty, 1, "jobs CSV: one empty response");
	is_int(rl_samples_read_csv(&ss, PUT("nojobs.csv", "a,b\n1,2\n"), "x", &o, &st, &err),
	       -RL_E_FORMAT, "not jobs CSV: an error");
	is_int(st.line, 1, "not jobs CSV: at line 1");
	rl_samples_release(&ss);

	rl_samples_init(&ss);
	is_int(rl_samples_read_f32(&ss, q, "f", 10, &st, &err), 0, "float32: read");
	ok(ss.n == 1 && same(&ss.s[0], wf, 2), "float32: 1, 2 scaled by 10");
	is_int(st.trailing, 3, "float32: 3 trailing bytes");
	is_int(st.trailing_off, 8, "float32: ... at offset 8");
	rl_samples_release(&ss);
}

/* jobs -m CSV (ms with decimals) and response_us: the same ms series as the ns table */
static void test_jobs_units(void)
{
	static const char ns[] = "pid,name,response\n7,a,1500000\n7,a,2500000\n";
	static const char ms[] = "pid,name,response\n7,a,1.500000\n7,a,2.500000\n";
	static const char us[] = "pid,name,response_us\n7,a,1500\n7,a,2500\n";
	static const double want[] = {1.5, 2.5};
	const char *texts[3] = {ns, ms, us}, *names[3] = {"jns.csv", "jms.csv", "jus.csv"};
	struct rl_samples_opts o = {.response = 1, .scale = 1, .nfiles = 1};
	struct rl_samples_stats st;
	struct rl_err err;
	int k;

	for (k = 0; k < 3; k++) {
		struct rl_samples ss;
		const char *p = put(names[k], texts[k], strlen(texts[k]));

		rl_samples_init(&ss);
		rl_err_init(&err);
		ok(rl_samples_read_csv(&ss, p, "j", &o, &st, &err) == 0 && ss.n == 1 &&
			   same(&ss.s[0], want, 2),
		   "%s: response times in ms whatever the file's unit", names[k]);
		rl_samples_release(&ss);
	}
}

/* cyclictest: one histogram series per thread, counts and overflows as in the file */
static void test_cyclictest(void)
{
	static const char text[] = "# Histogram\n"
				   "000000 000000\t000001\n"
				   "000001 000004\t000000\n"
				   "000002 000002\t000003\n"
				   "# Total: 000000006 000000004\n"
				   "# Min Latencies: 00001 00000\n"
				   "# Avg Latencies: 00001 00002\n"
				   "# Max Latencies: 00009 00002\n"
				   "# Histogram Overflows: 00001 00000\n"
				   "# Histogram Overflow at cycle number:\n"
				   "# Thread 0: 00005\n"
				   "# Thread 1:\n";
	const char *p = PUT("c.hist", text);
	struct rl_samples_opts o = {.scale = 1, .nfiles = 2};
	struct rl_samples_stats st;
	struct rl_samples ss;
	struct rl_err err;

	rl_samples_init(&ss);
	rl_err_init(&err);
	ok(rl_samples_probe_cyclictest(p), "a histogram text is cyclictest's");
	ok(rl_samples_read_cyclictest(&ss, p, "c", &o, &st, &err) == 0 && ss.n == 2,
	   "two threads, two series");
	if (ss.n == 2) {
		ok(ss.s[0].n == 2 && ss.s[0].v[0] == 1 && ss.s[0].w[0] == 4 && ss.s[0].v[1] == 2 &&
			   ss.s[0].w[1] == 2,
		   "thread 0: the non-empty buckets with their counts");
		ok(ss.s[0].over == 1 && ss.s[0].over_lo == 3 && ss.s[0].vmax == 9,
		   "thread 0: one overflow, at least the range (3 us), max 9");
		ok(ss.s[1].over == 0 && ss.s[1].n == 2 && ss.s[1].vmax == 2, "thread 1: none");
		ok(!strcmp(ss.s[0].label, "c: thread 0"), "labelled by file and thread");
		ok(st.rows == 11, "11 cycles read");
	}
	rl_samples_release(&ss);
	rl_err_init(&err);
	ok(!rl_samples_probe_cyclictest(PUT("plain2.csv", "1\n2\n")), "a CSV file is not");
}

/* Legends: the common prefix and suffix at word boundaries, at least 8 bytes of them */
static void test_legend_common(void)
{
	const char *a[] = {"host=x_trace=run-01_cpu=all", "host=x_trace=run-02_cpu=all"};
	const char *b[] = {"id=1_name=a", "id=2_name=b"};
	const char *c[] = {"experiment-alpha", "experiment-alphabet"};
	size_t pre = 0, suf = 0;
	int r = rl_plot_legend_common(a, 2, &pre, &suf);

	ok(r == 1 && pre == 17 && suf == 8,
	   "'host=x_trace=run-' and '_cpu=all' are common (pre %zu, suf %zu)", pre, suf);
	ok(rl_plot_legend_common(b, 2, &pre, &suf) == 0 && !pre && !suf,
	   "'id=' alone is too short to move");
	ok(rl_plot_legend_common(c, 2, &pre, &suf) == 1 && pre == 11 && suf == 0,
	   "the prefix stops at a separator, each label keeps a byte");
	ok(rl_plot_legend_common(a, 1, &pre, &suf) == 0, "one label: nothing common");
}

/* A histogram series in a layout: counts weigh, overflows reach the max */
static void test_weighted_layout(void)
{
	double v[3] = {1, 2, 3};
	uint64_t w[3] = {5, 3, 1};
	struct rl_plot_series s = {
		.label = "h", .v = v, .n = 3, .w = w, .over = 1, .over_lo = 4, .vmax = 10};
	struct rl_plot_opts o = {.kind = RL_PLOT_CCDF, .markers = 1};
	struct rl_err err;
	struct rl_dl dl;
	uint64_t drop = 0;
	uint32_t i;
	int curve = 0, dashed = 0, n10 = 0;

	rl_err_init(&err);
	ok(rl_layout_plot(&s, 1, &o, &dl, &drop, &err) == 0 && drop == 0, "CCDF of a histogram");
	for (i = 0; i < dl.n; i++) {
		const struct rl_dl_item *it = &dl.items[i];

		curve += it->cls == RL_DC_CURVE;
		if (it->cls == RL_DC_CURVE)
			n10 = it->count == 10;
		dashed += it->cls == RL_DC_TAG && it->kind == RL_DL_POLY &&
			  (it->flags & RL_DLF_DASHED);
	}
	ok(curve == 1 && n10, "one curve of 10 samples (9 counted + 1 overflow)");
	ok(dashed == 1, "the overflow drawn dashed");
	rl_dl_release(&dl);
	w[1] = 0;
	v[2] = 0.5;
	rl_err_init(&err);
	ok(rl_layout_plot(&s, 1, &o, &dl, &drop, &err) == -RL_E_USAGE,
	   "histogram values out of order: refused");
}

int main(void)
{
	const char *names[] = {"good.csv",   "bad.csv",	   "plain.csv", "by.csv",  "by2.csv",
			       "jobs.csv",   "jns.csv",	   "jms.csv",	"jus.csv", "c.hist",
			       "plain2.csv", "nojobs.csv", "s.f32"};
	char path[128];
	size_t i;

	if (!mkdtemp(dir))
		skip_all("cannot make a temporary directory");
	test_good();
	test_bad();
	test_by();
	test_jobs_f32();
	test_jobs_units();
	test_cyclictest();
	test_legend_common();
	test_weighted_layout();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	done_testing();
	return exit_status();
}
