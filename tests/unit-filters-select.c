/* tests/unit-filters-select.c - id lists, times, and the event-selection stage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../filters/filters.h"
#include "tap.h"

/* ------------------------------------------------------------ id lists */

static const struct {
	const char *list;
	int ok;
	const char *want; /* the set's ranges, "lo-hi lo-hi" */
} cpu_cases[] = {
	{"0", 1, "0-0"},
	{"0-3,8", 1, "0-3 8-8"},
	{"8,0-3", 1, "0-3 8-8"},
	{"1,1,1", 1, "1-1"},
	{"0-3,2-5", 1, "0-5"},
	{"0-3,4-7", 1, "0-7"}, /* adjacent ranges merge */
	{"5,3,4", 1, "3-5"},
	{"0-4294967294", 1, "0-4294967294"},
	{"1,3,5,2", 1, "1-3 5-5"},
	{"10-20,0-30", 1, "0-30"},
	{"", 0, ""},
	{",", 0, ""},
	{"1,", 0, ""},
	{",1", 0, ""},
	{"3-1", 0, ""},
	{"-1", 0, ""},
	{"1-", 0, ""},
	{"a", 0, ""},
	{"1x", 0, ""},
	{" 1", 0, ""},
	{"1 ", 0, ""},
	{"4294967295", 0, ""}, /* RL_NO_CPU is not a cpu */
	{"99999999999999999999", 0, ""},
};

static void set_text(const struct rl_idset *s, char *buf, size_t len)
{
	size_t off = 0;
	uint32_t i;

	buf[0] = 0;
	for (i = 0; i < s->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%u-%u", i ? " " : "", s->r[i].lo,
					s->r[i].hi);
}

static void test_cpu_lists(void)
{
	size_t i;

	for (i = 0; i < sizeof(cpu_cases) / sizeof(cpu_cases[0]); i++) {
		struct rl_idset s;
		struct rl_err err;
		char buf[128];
		int r;

		rl_idset_init(&s);
		rl_err_init(&err);
		r = rl_select_parse_cpus(cpu_cases[i].list, &s, &err);
		if (cpu_cases[i].ok) {
			is_int(r, 0, "cpus '%s' parse", cpu_cases[i].list);
			set_text(&s, buf, sizeof(buf));
			is_str(buf, cpu_cases[i].want, "cpus '%s' ranges", cpu_cases[i].list);
		} else {
			is_int(r, -RL_E_USAGE, "cpus '%s' refused", cpu_cases[i].list);
			ok(err.msg[0] != 0, "cpus '%s' has a message: %s", cpu_cases[i].list,
			   err.msg);
			is_int(s.n, 0, "cpus '%s' adds nothing", cpu_cases[i].list);
		}
		rl_idset_release(&s);
	}
}

static void test_pid_lists(void)
{
	struct rl_idset s;
	struct rl_err err;
	char buf[128];

	rl_idset_init(&s);
	rl_err_init(&err);
	is_int(rl_select_parse_pids("100,200-210", &s, &err), 0, "pids parse");
	set_text(&s, buf, sizeof(buf));
	is_str(buf, "100-100 200-210", "pids ranges");
	ok(rl_idset_has(&s, 100) && rl_idset_has(&s, 200) && rl_idset_has(&s, 210), "members");
	ok(!rl_idset_has(&s, 99) && !rl_idset_has(&s, 101) && !rl_idset_has(&s, 211) &&
		   !rl_idset_has(&s, 150),
	   "non-members");
	is_int(rl_select_parse_pids("2147483647", &s, &err), 0, "INT32_MAX pid");
	is_int(rl_select_parse_pids("2147483648", &s, &err), -RL_E_USAGE, "pid past INT32_MAX");
	ok(strstr(err.msg, "pid") != NULL, "message names pids: %s", err.msg);
	/* a set of any size: many disjoint ranges */
	{
		uint32_t i;
		int bad = 0;

		for (i = 0; i < 5000; i++)
			bad |= rl_idset_add(&s, 100000 + 2 * i, 100000 + 2 * i, &err);
		is_int(bad, 0, "5000 more ranges added");
		ok(rl_idset_has(&s, 100000 + 2 * 4999) && !rl_idset_has(&s, 100001 + 2 * 2500),
		   "large set members");
		/* one range over all of them collapses the set */
		is_int(rl_idset_add(&s, 99999, 200000, &err), 0, "covering range");
		is_int(s.n, 4, "collapsed into the covering range");
	}
	rl_idset_release(&s);
}

static void test_type_lists(void)
{
	struct rl_err err;
	uint64_t m = 0;

	rl_err_init(&err);
	is_int(rl_select_parse_types("release,switch_in", &m, &err), 0, "types parse");
	is_int(m, (1u << RL_EV_RELEASE) | (1u << RL_EV_SWITCH_IN), "types mask");
	is_int(rl_select_parse_types("release,nope", &m, &err), -RL_E_USAGE, "unknown type");
	is_int(rl_select_parse_types("", &m, &err), -RL_E_USAGE, "empty type list");
}

/* --------------------------------------------------------------- times */

static const struct {
	const char *s;
	int64_t unit;
	int ok;
	int64_t ns;
} time_cases[] = {
	{"0", RL_UNIT_NS, 1, 0},
	{"250ms", RL_UNIT_NS, 1, 250000000},
	{"250", RL_UNIT_MS, 1, 250000000},
	{"250", RL_UNIT_NS, 1, 250},
	{"250", RL_UNIT_US, 1, 250000},
	{"2", RL_UNIT_S, 1, 2000000000},
	{"7ns", RL_UNIT_MS, 1, 7},
	{"7us", RL_UNIT_MS, 1, 7000},
	{"7s", RL_UNIT_NS, 1, 7000000000},
	{"1.5s", RL_UNIT_NS, 1, 1500000000},
	{"0.000000001s", RL_UNIT_NS, 1, 1},
	{".5ms", RL_UNIT_NS, 1, 500000},
	{"1.", RL_UNIT_MS, 1, 1000000},
	{"1.50ns", RL_UNIT_NS, 0, 0}, /* finer than a ns */
	{"1.0ns", RL_UNIT_NS, 1, 1},  /* zeros below a ns are fine */
	{"9223372036854775807", RL_UNIT_NS, 1, INT64_MAX},
	{"9223372036854775807ns", RL_UNIT_MS, 1, INT64_MAX},
	{"9223372036854775808", RL_UNIT_NS, 0, 0},
	{"9223372036s", RL_UNIT_NS, 1, INT64_C(9223372036000000000)},
	{"9223372037s", RL_UNIT_NS, 0, 0},
	{"9223372036.854775807s", RL_UNIT_NS, 1, INT64_MAX},
	{"9223372036.854775808s", RL_UNIT_NS, 0, 0},
	{"99999999999999999999999", RL_UNIT_NS, 0, 0},
	{"-1", RL_UNIT_NS, 0, 0},
	{"-1ms", RL_UNIT_NS, 0, 0},
	{"", RL_UNIT_NS, 0, 0},
	{"ms", RL_UNIT_NS, 0, 0},
	{"1m", RL_UNIT_NS, 0, 0},
	{"1 ms", RL_UNIT_NS, 0, 0},
	{" 1", RL_UNIT_NS, 0, 0},
	{"1e3", RL_UNIT_NS, 0, 0},
	{"0x10", RL_UNIT_NS, 0, 0},
	{"1.2.3", RL_UNIT_NS, 0, 0},
	{"+1", RL_UNIT_NS, 0, 0},
	{"1sec", RL_UNIT_NS, 0, 0},
	{".", RL_UNIT_NS, 0, 0},
};

static void test_times(void)
{
	size_t i;

	for (i = 0; i < sizeof(time_cases) / sizeof(time_cases[0]); i++) {
		struct rl_err err;
		int64_t ns = -42;
		int r;

		rl_err_init(&err);
		r = rl_time_parse(time_cases[i].s, time_cases[i].unit, &ns, &err);
		if (time_cases[i].ok) {
			is_int(r, 0, "time '%s' parses", time_cases[i].s);
			is_int(ns, time_cases[i].ns, "time '%s' value", time_cases[i].s);
		} else {
			is_int(r, -RL_E_USAGE, "time '%s' refused", time_cases[i].s);
			ok(err.msg[0] && ns == -42, "time '%s': message, no value: %s",
			   time_cases[i].s, err.msg);
		}
	}
}

/* --------------------------------------------------------------- stage */

/* A sink that records the src_off of every event it gets. */
struct rec_sink {
	struct rl_sink sink;
	uint64_t got[64];
	int n, finished;
};

static int rec_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rec_sink *r = (struct rec_sink *)s;

	(void)err;
	if (r->n < 64)
		r->got[r->n++] = ev->src_off;
	return 0;
}

static int rec_finish(struct rl_sink *s, struct rl_err *err)
{
	(void)err;
	((struct rec_sink *)s)->finished++;
	return 0;
}

static struct rl_trace *tr;
static uint32_t tk_a, tk_b, tk_c; /* pids 100 "alpha", 200 "beta", 300 "alpha" */

static struct rl_event mk(uint64_t id, int64_t ts, uint32_t cpu, uint32_t task, int type, int flags)
{
	struct rl_event e;

	memset(&e, 0, sizeof(e));
	e.src_off = id;
	e.ts = ts;
	e.cpu = cpu;
	e.task = task;
	e.task2 = RL_NO_TASK;
	e.type = (uint8_t)type;
	e.flags = (uint8_t)flags;
	return e;
}

#define NEV 10
static struct rl_event evs[NEV];

static void build_events(void)
{
	int i = 0;

	/* id is the index; the stream starts at 1000 ns (event 1 is the first with a time) */
	evs[i] = mk(i, 0, 0, tk_a, RL_EV_TASK_NAME, RL_EVF_NOTIME), i++;
	evs[i] = mk(i, 1000, 0, RL_NO_TASK, RL_EV_SYS_RELEASE, 0), i++;
	evs[i] = mk(i, 1000, 0, tk_a, RL_EV_RELEASE, 0), i++;
	evs[i] = mk(i, 1500, 1, tk_b, RL_EV_SWITCH_IN, 0), i++;
	evs[i] = mk(i, 2000, 1, tk_b, RL_EV_SWITCH_OUT, 0), i++;
	evs[i] = mk(i, 2000, 2, tk_c, RL_EV_SWITCH_IN, 0), i++;
	evs[i] = mk(i, 2999, 3, RL_NO_TASK, RL_EV_IRQ_ENTER, 0), i++;
	evs[i] = mk(i, 3000, 2, tk_c, RL_EV_COMPLETION, 0), i++;
	evs[i] = mk(i, 3500, RL_NO_CPU, tk_a, RL_EV_OTHER, 0), i++;
	evs[i] = mk(i, 4000, 1000000, tk_b, RL_EV_RELEASE, 0), i++;
}

struct sel_case {
	const char *name;
	const char *cpus, *pids, *comm, *types;
	const char *from, *to;
	int origin, keep_taskless;
	const char *want; /* ids kept, "1 2 3" */
};

static const struct sel_case sel_cases[] = {
	{"nothing given", NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, "0 1 2 3 4 5 6 7 8 9"},
	{"cpu 1", "1", NULL, NULL, NULL, NULL, NULL, 0, 0, "3 4"},
	{"cpus 0,2", "0,2", NULL, NULL, NULL, NULL, NULL, 0, 0, "0 1 2 5 7"},
	{"big cpu id", "1000000", NULL, NULL, NULL, NULL, NULL, 0, 0, "9"},
	{"cpu matches nothing", "7", NULL, NULL, NULL, NULL, NULL, 0, 0, ""},
	{"pid 200", NULL, "200", NULL, NULL, NULL, NULL, 0, 0, "3 4 9"},
	{"pids 100,300", NULL, "100,300", NULL, NULL, NULL, NULL, 0, 0, "0 2 5 7 8"},
	{"pid range", NULL, "150-250", NULL, NULL, NULL, NULL, 0, 0, "3 4 9"},
	{"comm alpha", NULL, NULL, "alpha", NULL, NULL, NULL, 0, 0, "0 2 5 7 8"},
	{"comm none", NULL, NULL, "gamma", NULL, NULL, NULL, 0, 0, ""},
	{"pid and comm", NULL, "100-200", "alpha", NULL, NULL, NULL, 0, 0, "0 2 8"},
	{"taskless kept", NULL, "200", NULL, NULL, NULL, NULL, 0, 1, "1 3 4 6 9"},
	{"from 1us", NULL, NULL, NULL, NULL, "1us", NULL, 0, 0, "4 5 6 7 8 9"},
	{"to 1us (exclusive)", NULL, NULL, NULL, NULL, NULL, "1us", 0, 0, "1 2 3"},
	{"window [500,2000)", NULL, NULL, NULL, NULL, "500", "2000", 0, 0, "3 4 5 6"},
	{"empty window", NULL, NULL, NULL, NULL, "2000", "2000", 0, 0, ""},
	{"window from zero", NULL, NULL, NULL, NULL, "2000", "3001", RL_SELECT_ORIGIN_ZERO, 0,
	 "4 5 6 7"},
	{"types", NULL, NULL, NULL, "release,completion", NULL, NULL, 0, 0, "2 7 9"},
	{"cpu + window", "1,2", NULL, NULL, NULL, "1000", "2001", 0, 0, "4 5 7"},
	{"cpu + pid + type", "0-2", "100-300", NULL, "switch_in", NULL, NULL, 0, 0, "3 5"},
	{"all criteria", "0-3", "300", "alpha", "completion", "1us", "3us", 0, 0, "7"},
};

static void ids_text(const struct rec_sink *r, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < r->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%llu", i ? " " : "",
					(unsigned long long)r->got[i]);
}

static void run_case(const struct sel_case *c)
{
	struct rl_select_opts o;
	struct rl_select s;
	struct rec_sink rec = {{rec_event, rec_finish}, {0}, 0, 0};
	struct rl_err err;
	char buf[256];
	int i, bad = 0;

	rl_err_init(&err);
	rl_select_opts_init(&o);
	if (c->cpus)
		bad |= rl_select_parse_cpus(c->cpus, &o.cpus, &err);
	if (c->pids)
		bad |= rl_select_parse_pids(c->pids, &o.pids, &err);
	if (c->types)
		bad |= rl_select_parse_types(c->types, &o.types, &err);
	if (c->from) {
		bad |= rl_time_parse(c->from, RL_UNIT_NS, &o.from, &err);
		o.has_from = 1;
	}
	if (c->to) {
		bad |= rl_time_parse(c->to, RL_UNIT_NS, &o.to, &err);
		o.has_to = 1;
	}
	o.comm = c->comm;
	o.origin = c->origin;
	o.keep_taskless = (uint8_t)c->keep_taskless;
	is_int(bad, 0, "%s: criteria parse", c->name);
	is_int(rl_select_opts_active(&o),
	       c->cpus || c->pids || c->comm || c->types || c->from || c->to, "%s: active",
	       c->name);
	rl_select_init(&s, tr, &o, &rec.sink, &err);
	for (i = 0; i < NEV; i++)
		bad |= s.sink.event(&s.sink, &evs[i], &err);
	bad |= s.sink.finish(&s.sink, &err);
	ids_text(&rec, buf, sizeof(buf));
	is_str(buf, c->want, "%s: events kept", c->name);
	is_int(rec.finished, 1, "%s: finish forwarded", c->name);
	ok(s.seen == NEV && s.kept == (uint64_t)rec.n, "%s: counters %llu/%llu", c->name,
	   (unsigned long long)s.kept, (unsigned long long)s.seen);
	rl_select_release(&s);
	rl_select_opts_release(&o);
}

static void test_rename(void)
{
	struct rl_select_opts o;
	struct rl_select s;
	struct rl_err err;

	/* a task renamed after its first event (exec) is judged by its new name */
	rl_err_init(&err);
	rl_select_opts_init(&o);
	o.comm = "beta";
	rl_select_init(&s, tr, &o, NULL, &err);
	ok(!rl_select_task(&s, tk_a), "alpha is not beta");
	tr->tasks[tk_a].name = rl_strtab_intern(tr->strs, "beta", 4);
	ok(rl_select_task(&s, tk_a), "renamed to beta: selected");
	ok(!rl_select_task(&s, RL_NO_TASK), "no task: not selected");
	rl_select_release(&s);
	tr->tasks[tk_a].name = rl_strtab_intern(tr->strs, "alpha", 5);
}

static void test_given_origin(void)
{
	struct rl_select_opts o;
	struct rl_select s;
	struct rl_err err;
	struct rl_event e = mk(0, 5000, 0, tk_a, RL_EV_RELEASE, 0);

	rl_err_init(&err);
	rl_select_opts_init(&o);
	o.origin = RL_SELECT_ORIGIN_GIVEN;
	o.has_from = 1;
	o.from = 0;
	rl_select_init(&s, tr, &o, NULL, &err);
	ok(!rl_select_match(&s, &e), "given origin not yet set: nothing passes a window");
	rl_select_set_origin(&s, 5001);
	ok(!rl_select_match(&s, &e), "before the given origin");
	rl_select_set_origin(&s, 5000);
	ok(rl_select_match(&s, &e), "at the given origin");
	/* far-apart times do not overflow */
	rl_select_set_origin(&s, INT64_MIN + 10);
	e.ts = INT64_MAX;
	o.has_to = 1;
	o.to = INT64_MAX;
	ok(!rl_select_match(&s, &e), "ts - origin past INT64_MAX is beyond --to");
	o.has_to = 0;
	ok(rl_select_match(&s, &e), "and after --from");
	rl_select_set_origin(&s, INT64_MAX);
	e.ts = INT64_MIN;
	ok(!rl_select_match(&s, &e), "ts - origin below INT64_MIN is before --from");
	rl_select_release(&s);
}

int main(void)
{
	size_t i;

	test_cpu_lists();
	test_pid_lists();
	test_type_lists();
	test_times();
	tr = rl_trace_new();
	tk_a = rl_trace_task(tr, 100);
	tk_b = rl_trace_task(tr, 200);
	tk_c = rl_trace_task(tr, 300);
	tr->tasks[tk_a].name = rl_strtab_intern(tr->strs, "alpha", 5);
	tr->tasks[tk_b].name = rl_strtab_intern(tr->strs, "beta", 4);
	tr->tasks[tk_c].name = rl_strtab_intern(tr->strs, "alpha", 5);
	build_events();
	for (i = 0; i < sizeof(sel_cases) / sizeof(sel_cases[0]); i++)
		run_case(&sel_cases[i]);
	test_rename();
	test_given_origin();
	rl_trace_free(tr);
	done_testing();
	return exit_status();
}
