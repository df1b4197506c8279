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

int main(void)
{
	const char *names[] = {"good.csv", "bad.csv",  "plain.csv",  "by.csv",
			       "by2.csv",  "jobs.csv", "nojobs.csv", "s.f32"};
	char path[128];
	size_t i;

	if (!mkdtemp(dir))
		skip_all("cannot make a temporary directory");
	test_good();
	test_bad();
	test_by();
	test_jobs_f32();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	done_testing();
	return exit_status();
}
