/* tests/unit-recording.c - recordings from file names, and the checks while streaming. */
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

/* Return: what reading the two files through the guard gives (0 or the error). */
static int run_case(const struct span_case *c, struct rl_err *err)
{
	struct rl_event a[3], b[3], ev;
	struct rl_trace *t = rl_trace_new();
	struct rl_cursor *curs[2];
	struct rl_merge *m;
	int i, r;

	rl_trace_add_source(t, "a", "test", 0);
	rl_trace_add_source(t, "b", "test", 0);
	t->family = c->fam;
	fill(a, c->a0, c->a1, c->rel_a, 0);
	fill(b, c->b0, c->b1, c->rel_b, 1);
	for (i = 0; i < 2; i++)
		curs[i] = arr_cursor(i ? b : a, 3, (uint32_t)i);
	r = rl_recordings_guard(t, curs, 2, err);
	if (r == 0) {
		m = rl_merge_new(t, curs, 2, err);
		while ((r = rl_merge_next(m, &ev, err)) > 0)
			;
		rl_merge_free(m);
	}
	rl_trace_free(t);
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

int main(void)
{
	test_names();
	test_streaming();
	done_testing();
	return exit_status();
}
