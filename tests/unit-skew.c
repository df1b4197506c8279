/* tests/unit-skew.c - the clock correction stage (skew/apply.c) and the pipeline's fan-out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../readers/readers.h"
#include "../skew/skew.h"
#include "../stats/stats.h"
#include "arr-cursor.h"
#include "tap.h"

static struct rl_event ev_at(int64_t ts, uint32_t cpu, uint8_t flags)
{
	struct rl_event e;

	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.raw = (uint64_t)ts;
	e.cpu = cpu;
	e.flags = flags;
	e.type = RL_EV_OTHER;
	e.task = e.task2 = RL_NO_TASK;
	return e;
}

struct correct_case {
	const char *name;
	uint32_t cpu;
	int64_t ts, want;
};

static void test_identity(void)
{
	static const struct correct_case cases[] = {
		{"cpu 0, ts 0", 0, 0, 0},
		{"cpu 5, ts 1e12", 5, 1000000000000ll, 1000000000000ll},
		{"no cpu, negative ts", RL_NO_CPU, -7, -7},
		{"cpu 1, INT64_MAX", 1, INT64_MAX, INT64_MAX},
		{"cpu 1, INT64_MIN", 1, INT64_MIN, INT64_MIN},
	};
	struct rl_event evs[2] = {ev_at(5, 0, 0), ev_at(6, 0, 0)};
	struct rl_skew_table st;
	struct rl_cursor *c[1];
	struct rl_err err;
	size_t i;

	rl_skew_table_init(&st);
	rl_err_init(&err);
	ok(!rl_skew_table_active(&st), "an empty table is the identity");
	ok(!rl_skew_table_active(NULL), "no table is the identity");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(rl_skew_correct(&st, cases[i].cpu, cases[i].ts), cases[i].want,
		       "identity: %s", cases[i].name);
	c[0] = arr_cursor(evs, 2, 0);
	is_int(rl_skew_wrap_cursors(&st, c, 1, &err), 0, "identity: wrapping succeeds");
	ok(c[0]->ops == &arr_ops, "identity: the reader's cursor is not wrapped");
	rl_cursor_close(c[0]);
	is_int(rl_skew_table_set(&st, 2, 0, 0, &err), 0, "a zero offset can be set");
	ok(!rl_skew_table_active(&st), "a table of zero offsets is still the identity");
	rl_skew_table_release(&st);
}

static void test_offsets(void)
{
	static const struct {
		uint32_t cpu;
		int64_t offset, uncert;
	} set[] = {{0, 0, 0}, {1, 100, 5}, {3, -50, 2}};
	static const struct correct_case cases[] = {
		{"cpu 0 (offset 0)", 0, 1000, 1000},	   {"cpu 1 (offset 100)", 1, 1000, 900},
		{"cpu 2 (no offset)", 2, 1000, 1000},	   {"cpu 3 (offset -50)", 3, 1000, 1050},
		{"cpu 4 (past the table)", 4, 1000, 1000}, {"no cpu", RL_NO_CPU, 1000, 1000},
		{"cpu 1, negative ts", 1, -1000, -1100},
	};
	const struct rl_skew_offset *o;
	struct rl_skew_table st;
	struct rl_err err;
	size_t i;

	rl_skew_table_init(&st);
	rl_err_init(&err);
	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		is_int(rl_skew_table_set(&st, set[i].cpu, set[i].offset, set[i].uncert, &err), 0,
		       "set cpu %u offset %lld", set[i].cpu, (long long)set[i].offset);
	ok(rl_skew_table_active(&st), "a table with a non-zero offset is active");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(rl_skew_correct(&st, cases[i].cpu, cases[i].ts), cases[i].want, "%s",
		       cases[i].name);
	o = rl_skew_table_get(&st, 1);
	ok(o && o->offset == 100 && o->uncert == 5 && o->valid, "cpu 1 keeps its uncertainty");
	ok(!rl_skew_table_get(&st, 2), "cpu 2 has no offset (not valid)");
	is_int(rl_skew_table_set(&st, RL_NO_CPU, 1, 0, &err), -RL_E_USAGE,
	       "no offset for RL_NO_CPU");
	is_int(rl_skew_table_set(&st, 1, 1, -1, &err), -RL_E_USAGE,
	       "a negative uncertainty is refused");
	is_int(rl_skew_table_set(&st, 1, 7, 0, &err), 0, "an offset can be replaced");
	is_int(rl_skew_correct(&st, 1, 1000), 993, "the replaced offset applies");
	is_int(st.nvalid, 3, "replacing does not count a CPU twice");
	rl_skew_table_release(&st);
}

static void test_saturation(void)
{
	static const struct {
		const char *name;
		int64_t offset, ts, want;
	} cases[] = {
		{"INT64_MAX - (-1) saturates", -1, INT64_MAX, INT64_MAX},
		{"INT64_MIN - 1 saturates", 1, INT64_MIN, INT64_MIN},
		{"1 - INT64_MIN saturates high", INT64_MIN, 1, INT64_MAX},
		{"-2 - INT64_MAX saturates low", INT64_MAX, -2, INT64_MIN},
		{"-1 - INT64_MAX is exact", INT64_MAX, -1, INT64_MIN},
		{"0 - INT64_MIN saturates high", INT64_MIN, 0, INT64_MAX},
		{"INT64_MAX - INT64_MAX is 0", INT64_MAX, INT64_MAX, 0},
		{"INT64_MIN - INT64_MIN is 0", INT64_MIN, INT64_MIN, 0},
	};
	struct rl_skew_table st;
	struct rl_err err;
	size_t i;

	rl_err_init(&err);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rl_skew_table_init(&st);
		rl_skew_table_set(&st, 0, cases[i].offset, 0, &err);
		is_int(rl_skew_correct(&st, 0, cases[i].ts), cases[i].want, "%s", cases[i].name);
		rl_skew_table_release(&st);
	}
}

/* cpu 1's clock runs 12 ns ahead: corrected, its events interleave with cpu 0's. */
static void test_merge_order(void)
{
	static const int64_t want_ts[] = {3, 10, 13, 20, 23, 30};
	static const uint32_t want_cpu[] = {1, 0, 1, 0, 1, 0};
	struct rl_event c0[3] = {ev_at(10, 0, 0), ev_at(20, 0, 0), ev_at(30, 0, 0)};
	struct rl_event c1[4] = {ev_at(0, 1, RL_EVF_NOTIME), ev_at(15, 1, 0), ev_at(25, 1, 0),
				 ev_at(35, 1, 0)};
	struct rl_cursor *curs[2];
	struct rl_skew_table st;
	struct rl_trace *t = rl_trace_new();
	struct rl_merge *m;
	struct rl_event ev;
	struct rl_err err;
	int i = 0, order = 1, raw = 1, late = 0, r;

	rl_err_init(&err);
	rl_skew_table_init(&st);
	rl_skew_table_set(&st, 1, 12, 1, &err);
	/* cpu 1's cursor first: the merge, not the argument order, decides */
	curs[0] = arr_cursor(c1, 4, 1);
	curs[1] = arr_cursor(c0, 3, 0);
	is_int(rl_skew_wrap_cursors(&st, curs, 2, &err), 0, "the cursors are wrapped");
	ok(curs[0]->ops != &arr_ops && curs[0]->rank == 1, "a wrapper keeps the cursor's rank");
	m = rl_merge_new(t, curs, 2, &err);
	while ((r = rl_merge_next(m, &ev, &err)) > 0) {
		if (ev.flags & RL_EVF_NOTIME) {
			is_int(ev.ts, 0, "an event without a time keeps ts 0");
			continue;
		}
		if (i < 6 && (ev.ts != want_ts[i] || ev.cpu != want_cpu[i]))
			order = 0;
		if (ev.cpu == 1 && ev.raw != (uint64_t)(ev.ts + 12))
			raw = 0;
		late |= ev.flags & RL_EVF_LATE;
		i++;
	}
	is_int(r, 0, "the merge ends cleanly");
	is_int(i, 6, "every timed event comes out once");
	ok(order, "corrected events come out in corrected time order");
	ok(raw, "raw keeps the clock value as recorded");
	ok(!late, "no event is out of order after the correction");
	is_int(t->warn_count[RL_W_UNORDERED], 0, "nothing counted as unordered");
	rl_merge_free(m);
	rl_skew_table_release(&st);
	rl_trace_free(t);
}

struct count_sink {
	struct rl_sink sink;
	int events, finished;
};

static int count_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	(void)ev;
	(void)err;
	((struct count_sink *)s)->events++;
	return 0;
}

static int count_finish(struct rl_sink *s, struct rl_err *err)
{
	(void)err;
	((struct count_sink *)s)->finished++;
	return 0;
}

static void test_fanout(void)
{
	struct count_sink a = {{count_event, count_finish}, 0, 0};
	struct count_sink b = {{count_event, NULL}, 0, 0};
	struct rl_sink *to[2] = {&a.sink, &b.sink};
	struct rl_event ev = ev_at(1, 0, 0);
	struct rl_fanout f;
	struct rl_err err;

	rl_err_init(&err);
	rl_fanout_init(&f, to, 2);
	f.sink.event(&f.sink, &ev, &err);
	f.sink.event(&f.sink, &ev, &err);
	f.sink.finish(&f.sink, &err);
	ok(a.events == 2 && b.events == 2, "the fan-out passes every event to each sink");
	ok(a.finished == 1, "and the finish to each sink that has one");
}

/* Counts what reaches the back ends; checks the order and the raw clock of cpu 1. */
struct check_sink {
	struct rl_sink sink;
	uint64_t events, late, cpu1, cpu1_shifted, finished;
	int64_t last, shift;
};

static int check_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct check_sink *c = (struct check_sink *)s;

	(void)err;
	c->events++;
	if (!(ev->flags & RL_EVF_NOTIME)) {
		c->late += ev->ts < c->last;
		c->last = ev->ts;
	}
	if (ev->cpu == 1 && !(ev->flags & RL_EVF_NOTIME)) {
		c->cpu1++;
		c->cpu1_shifted += ev->ts == (int64_t)ev->raw - c->shift;
	}
	return 0;
}

static int check_finish(struct rl_sink *s, struct rl_err *err)
{
	(void)err;
	((struct check_sink *)s)->finished++;
	return 0;
}

/* A filter stage: passes every other event on to the back ends, and the finish. */
struct half_filter {
	struct rl_sink sink;
	struct rl_sink *next;
	uint64_t seen;
};

static int half_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct half_filter *h = (struct half_filter *)s;

	return h->seen++ % 2 ? 0 : h->next->event(h->next, ev, err);
}

static int half_finish(struct rl_sink *s, struct rl_err *err)
{
	struct half_filter *h = (struct half_filter *)s;

	return h->next->finish(h->next, err);
}

/* The demo trace through rl_pipeline_*: no skew, then cpu 1 corrected by 1 ms, then filtered. */
static int run_demo(const struct rl_skew_table *st, int filter, struct check_sink *c)
{
	char paths[4][512], *pv[4];
	struct half_filter h = {{half_event, half_finish}, NULL, 0};
	struct rl_sink *sink = &c->sink;
	struct rl_read_opts ro = {0};
	struct rl_fileset fs;
	struct rl_pipeline p;
	struct rl_trace *t = rl_trace_new();
	struct rl_err err;
	int i, r;

	rl_err_init(&err);
	for (i = 0; i < 4; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/testdata/demo/st-%d.bin", tap_src_dir(),
			 i);
		pv[i] = paths[i];
	}
	r = rl_fileset_open(&fs, pv, 4, NULL, &ro, &err);
	if (r == 0)
		r = rl_pipeline_open(&p, &fs, t, &ro, st, &err);
	if (r == 0) {
		if (filter) {
			h.next = rl_pipeline_backends(&p);
			rl_pipeline_set_filter(&p, &h.sink);
		}
		r = rl_pipeline_run(&p, &sink, 1, NULL, NULL, &err);
	}
	if (r < 0)
		diag("demo trace: %s", err.msg);
	rl_pipeline_close(&p);
	rl_fileset_close(&fs);
	rl_trace_free(t);
	return r;
}

static void test_pipeline(void)
{
	struct check_sink plain = {{check_event, check_finish}, 0, 0, 0, 0, 0, INT64_MIN, 0};
	struct check_sink shifted = plain, filtered = plain;
	struct rl_skew_table st;
	struct rl_err err;

	rl_err_init(&err);
	is_int(run_demo(NULL, 0, &plain), 0, "demo trace through the pipeline");
	ok(plain.events > 100 && plain.finished == 1, "every event reaches the back end, "
						      "which is finished once");
	is_int(plain.cpu1_shifted, plain.cpu1, "no skew table: ts is the reader's (ts == raw)");
	rl_skew_table_init(&st);
	rl_skew_table_set(&st, 1, 1000000, 0, &err);
	shifted.shift = 1000000;
	is_int(run_demo(&st, 0, &shifted), 0, "demo trace with cpu 1 corrected by 1 ms");
	is_int(shifted.events, plain.events, "the correction drops no event");
	ok(shifted.cpu1 > 0 && shifted.cpu1_shifted == shifted.cpu1,
	   "every timed cpu 1 event is 1 ms earlier than its raw clock");
	is_int(shifted.late, 0, "the merge puts the corrected events in order");
	is_int(run_demo(NULL, 1, &filtered), 0, "demo trace with a filter stage");
	is_int(filtered.events, (plain.events + 1) / 2,
	       "the filter stage's choice reaches the "
	       "back end");
	is_int(filtered.finished, 1, "the back end is finished through the filter");
	rl_skew_table_release(&st);
}

int main(void)
{
	test_pipeline();
	test_identity();
	test_offsets();
	test_saturation();
	test_merge_order();
	test_fanout();
	done_testing();
	return exit_status();
}
