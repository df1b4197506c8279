/*
 * tests/unit-recording.c - recordings from file names, and the checks (b)
 * and (c): while streaming, and at open with the same results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../readers/readers.h"
#include "arr-cursor.h"
#include "tap.h"

static void test_names(void)
{
	static const struct {
		const char *path, *want;
		int cpu, msg;
	} cases[] = {
		{"d/schedule_host=qemu_scheduler=GSN-EDF_trace=demo_cpu=0.bin",
		 "host=qemu_scheduler=GSN-EDF_trace=demo", 0, 0},
		{"overheads_host=qemu_scheduler=GSN-EDF_trace=demo_msg=3.bin",
		 "host=qemu_scheduler=GSN-EDF_trace=demo", 3, 1},
		{"/a/b/st-x_util=0.5_cpu=12.bin.gz", "util=0.5", 12, 0},
		{"run_trace=my_demo_cpu=1.bin", "trace=my_demo", 1, 0},
		{"cpu=2_host=a.bin", "host=a", 2, 0},
		{"st-0.bin", "", -1, 0},
		{"trace.dat", "", -1, 0},
		{"host=a_cpu=1_x.bin", "host=a", 1, 0},
	};
	char buf[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int cpu, msg;
		size_t n = rl_recording_name(cases[i].path, buf, sizeof(buf), &cpu, &msg);

		is_str(buf, cases[i].want, "name of %s", cases[i].path);
		is_int(n, strlen(cases[i].want), "its length");
		ok(cpu == cases[i].cpu && msg == cases[i].msg, "cpu %d msg %d of %s", cpu, msg,
		   cases[i].path);
	}
	is_int(rl_recording_name("host=abcdef_x=1.bin", buf, 8, NULL, NULL), 15,
	       "a name longer than the buffer: full length returned");
	is_str(buf, "", "and nothing half-written");
}

#define S 1000000000ll

struct span_case {
	const char *name;
	enum rl_family fam;
	int64_t a0, a1, b0, b1; /* the two files' first and last times */
	int64_t rel_a, rel_b;	/* SYS_RELEASE times, 0: none */
	int want;		/* 0 or -RL_E_MIXED */
};

static void fill(struct rl_event *ev, int64_t t0, int64_t t1, int64_t rel, uint16_t src)
{
	int k;

	memset(ev, 0, 3 * sizeof(*ev));
	for (k = 0; k < 3; k++) {
		ev[k].ts = k == 0 ? t0 : k == 1 ? t0 + (t1 - t0) / 2 : t1;
		ev[k].src = src;
		ev[k].cpu = src;
		ev[k].type = RL_EV_OTHER;
		ev[k].task = ev[k].task2 = RL_NO_TASK;
	}
	if (rel) {
		ev[1].type = RL_EV_SYS_RELEASE;
		ev[1].arg = rel;
	}
}

/* One file of a case: three events at @t0, between and at @t1; the middle one a SYS_RELEASE of
 * @rel. */
struct file_case {
	int64_t t0, t1, rel;
};

/* Return: what reading the files through the guard gives (0 or the error). */
static int run_guard(enum rl_family fam, const struct file_case *f, size_t n, struct rl_err *err)
{
	struct rl_event ev[4][3], e;
	struct rl_trace *t = rl_trace_new();
	struct rl_cursor *curs[4];
	struct rl_merge *m;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		char name[2] = {(char)('a' + i), 0};

		rl_trace_add_source(t, name, "test", 0);
		fill(ev[i], f[i].t0, f[i].t1, f[i].rel, (uint16_t)i);
		curs[i] = arr_cursor(ev[i], 3, (uint32_t)i);
	}
	t->family = fam;
	r = rl_recordings_guard(t, curs, n, err);
	if (r == 0) {
		m = rl_merge_new(t, curs, n, err);
		while ((r = rl_merge_next(m, &e, err)) > 0)
			;
		rl_merge_free(m);
	}
	rl_trace_free(t);
	return r;
}

/* Return: what the checks at open give on the same files (releases for sched_trace only). */
static int run_open(enum rl_family fam, const struct file_case *f, size_t n, struct rl_err *err)
{
	struct rl_rec_release rel[4];
	struct rl_rec_span span[4];
	struct rl_trace *t = rl_trace_new();
	size_t i, nrel = 0;
	int r = 0;

	for (i = 0; i < n; i++) {
		char name[2] = {(char)('a' + i), 0};

		rl_trace_add_source(t, name, "test", 0);
		span[i] = (struct rl_rec_span){f[i].t0,	    f[i].t1, f[i].t1, (uint32_t)i,
					       (uint16_t)i, 1,	     1};
		if (f[i].rel)
			rel[nrel++] =
				(struct rl_rec_release){f[i].t0 + (f[i].t1 - f[i].t0) / 2, f[i].rel,
							(uint32_t)i, 1, (uint16_t)i};
	}
	t->family = fam;
	if (fam == RL_FAM_LITMUS)
		r = rl_recordings_check_releases(t, rel, nrel, err);
	if (r == 0)
		r = rl_recordings_check_spans(t, span, n, err);
	rl_trace_free(t);
	return r;
}

/* The whole message: its text and its context lines. */
static void err_text(const struct rl_err *err, char *buf, size_t size)
{
	int k, o = snprintf(buf, size, "%d %s", err->code, err->msg);

	for (k = 0; k < err->nctx && o > 0 && (size_t)o < size; k++)
		o += snprintf(buf + o, size - (size_t)o, " | %s", err->ctx[k]);
}

/* Return: the guard's result, after checking that the checks at open give the same message. */
static int run_case(const struct span_case *c, struct rl_err *err)
{
	const struct file_case f[2] = {{c->a0, c->a1, c->rel_a}, {c->b0, c->b1, c->rel_b}};
	char want[1024], got[1024];
	struct rl_err err2;
	int r = run_guard(c->fam, f, 2, err);

	rl_err_init(&err2);
	is_int(run_open(c->fam, f, 2, &err2), r, "%s: at open", c->name);
	err_text(err, want, sizeof(want));
	err_text(&err2, got, sizeof(got));
	is_str(got, want, "%s: at open, the same message", c->name);
	return r;
}

static void test_streaming(void)
{
	static const struct span_case cases[] = {
		{"sched_trace: overlapping cpus", RL_FAM_LITMUS, 0, 10 * S, 1 * S, 9 * S, 0, 0, 0},
		{"sched_trace: a short cpu file long before the other's first event", RL_FAM_LITMUS,
		 0, S / 1000, 3 * S, 10 * S, 0, 0, 0},
		{"sched_trace: a gap of 0.5 s", RL_FAM_LITMUS, 0, 1 * S, S + S / 2, 2 * S, 0, 0, 0},
		{"sched_trace: a gap longer than 1 s and both spans", RL_FAM_LITMUS, 0, 1 * S,
		 5 * S, 6 * S, 0, 0, -RL_E_MIXED},
		{"sched_trace: the same, files the other way", RL_FAM_LITMUS, 5 * S, 6 * S, 0,
		 1 * S, 0, 0, -RL_E_MIXED},
		{"trace.dat: overlapping", RL_FAM_LINUX, 0, 2 * S, 1 * S, 3 * S, 0, 0, 0},
		{"trace.dat: touching", RL_FAM_LINUX, 0, 2 * S, 2 * S, 3 * S, 0, 0, 0},
		{"trace.dat: a gap of 1 ns", RL_FAM_LINUX, 0, 2 * S, 2 * S + 1, 3 * S, 0, 0,
		 -RL_E_MIXED},
		{"trace.dat: hostile times at the INT64 bounds", RL_FAM_LINUX, INT64_MIN,
		 INT64_MIN + 2, INT64_MAX - 2, INT64_MAX, 0, 0, -RL_E_MIXED},
		{"sched_trace: one release in two files", RL_FAM_LITMUS, 0, 2 * S, 0, 2 * S, 7, 7,
		 0},
		{"sched_trace: two release times", RL_FAM_LITMUS, 0, 2 * S, 0, 2 * S, 7, 8,
		 -RL_E_MIXED},
		{"xentrace: release records are not sched_trace's", RL_FAM_XEN, 0, 2 * S, 0, 2 * S,
		 7, 8, 0},
	};
	struct rl_err err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rl_err_init(&err);
		is_int(run_case(&cases[i], &err), cases[i].want, "%s", cases[i].name);
		if (cases[i].want)
			ok(strstr(err.msg, "rtlens batch") && err.nctx == 2,
			   "%s: the message points to rtlens batch and names both files",
			   cases[i].name);
	}
}

/* Three or four files: the checks at open name the files the guard names. */
static void test_several(void)
{
	static const struct {
		const char *name;
		enum rl_family fam;
		struct file_case f[4];
		size_t n;
	} cases[] = {
		{"sched_trace: three disjoint cpus, given last first",
		 RL_FAM_LITMUS,
		 {{10 * S, 11 * S, 0}, {0, 1 * S, 0}, {5 * S, 6 * S, 0}},
		 3},
		{"sched_trace: one disjoint cpu of four",
		 RL_FAM_LITMUS,
		 {{0, 10 * S, 0}, {20 * S, 21 * S, 0}, {1 * S, 9 * S, 0}, {0, 2 * S, 0}},
		 4},
		{"sched_trace: three release times",
		 RL_FAM_LITMUS,
		 {{2 * S, 4 * S, 9}, {0, 2 * S, 7}, {0, 2 * S, 7}, {1 * S, 2 * S, 8}},
		 4},
		{"sched_trace: one release time in four files",
		 RL_FAM_LITMUS,
		 {{2 * S, 4 * S, 7}, {0, 2 * S, 7}, {0, 3 * S, 0}, {1 * S, 2 * S, 7}},
		 4},
		{"trace.dat: the second of three ends before the others begin",
		 RL_FAM_LINUX,
		 {{5 * S, 6 * S, 0}, {0, 1 * S, 0}, {5 * S, 7 * S, 0}},
		 3},
		{"feather-trace: equal ends, gaps",
		 RL_FAM_FEATHER,
		 {{0, 1 * S, 0}, {-9 * S, 1 * S, 0}, {7 * S, 8 * S, 0}},
		 3},
	};
	char want[1024], got[1024];
	struct rl_err e1, e2;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;

		rl_err_init(&e1);
		rl_err_init(&e2);
		r = run_guard(cases[i].fam, cases[i].f, cases[i].n, &e1);
		is_int(run_open(cases[i].fam, cases[i].f, cases[i].n, &e2), r, "%s: at open",
		       cases[i].name);
		err_text(&e1, want, sizeof(want));
		err_text(&e2, got, sizeof(got));
		is_str(got, want, "%s: the same message", cases[i].name);
		ok(i == 3 ? r == 0 : r == -RL_E_MIXED, "%s: %s", cases[i].name,
		   i == 3 ? "accepted" : "refused");
	}
}

int main(void)
{
	test_names();
	test_streaming();
	test_several();
	done_testing();
	return exit_status();
}
