/*
 * tests/unit-linux-map.c - rl_lx_emit(), the one mapping of kernel records
 * onto model events shared by the trace.dat, ftrace text and CTF readers.
 *
 * One table of steps runs against one trace, in order, so that task
 * identity carries from step to step: each step feeds a struct rl_lx_rec
 * and checks the events made (type, task, task2, arg, arg2, flags), the
 * header fields they keep, and the task table afterwards (names, prios, PID
 * reuse after a dead switch-out or a fork).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../readers/linux.h"
#include "tap.h"

/* A task by pid and generation (0 the first task of the pid); pid 0: RL_NO_TASK. */
struct who {
	int pid, gen;
};

struct want {
	int type;
	struct who task, task2;
	int64_t arg, arg2;
	uint8_t flags;
};

struct step {
	const char *what;
	uint8_t keep_names; /* lx.keep_names for this step */
	uint8_t hdr_flags;  /* flags the reader set in the header */
	struct rl_lx_rec r;
	int n;
	struct want ev[RL_LX_MAX_EVENTS];
	/* afterwards: @after has this name (NULL: not checked) and prio (0: not checked) */
	struct who after;
	const char *name;
	int64_t prio;
	int absent_pid; /* afterwards this pid has no task at all (0: not checked) */
};

#define NOW RL_EV_OTHER /* no model event of its own */

static const struct step steps[] = {
	{"other: the current task from common_pid", .r = {.kind = RL_LX_OTHER, .cur_pid = 10},
	 .n = 1, .ev = {{NOW, {10, 0}, {0, 0}, 0, 0, 0}}},
	{"switch: prev blocked, next with prio; common_pid not looked up",
	 .r = {.kind = RL_LX_SWITCH,
	       .cur_pid = 99,
	       .sw = {.prev = {10, 120, "alpha", 5},
		      .next = {11, 100, "beta", 4},
		      .state = 1,
		      .blocked = 1}},
	 .n = 2,
	 .ev = {{RL_EV_SWITCH_OUT, {10, 0}, {11, 0}, -1, 1, RL_EVF_BLOCKED},
		{RL_EV_SWITCH_IN, {11, 0}, {10, 0}, -1, 100, RL_EVF_DERIVED}},
	 .after = {10, 0}, .name = "alpha", .prio = 120, .absent_pid = 99},
	{"switch: next named, comm bytes after comm_len ignored",
	 .r = {.kind = RL_LX_SWITCH,
	       .sw = {.prev = {11, 100, "beta", 4}, .next = {13, 120, "gammaXYZ", 5}}},
	 .n = 2,
	 .ev = {{RL_EV_SWITCH_OUT, {11, 0}, {13, 0}, -1, 0, 0},
		{RL_EV_SWITCH_IN, {13, 0}, {11, 0}, -1, 120, RL_EVF_DERIVED}},
	 .after = {13, 0}, .name = "gamma", .prio = 120},
	{"switch: runnable prev, next without prio, no timestamp", .hdr_flags = RL_EVF_NOTIME,
	 .r = {.kind = RL_LX_SWITCH,
	       .sw = {.prev = {13, 120, NULL, 0},
		      .next = {10, RL_LX_NO_PRIO, NULL, 0},
		      .state = 0x100}},
	 .n = 2,
	 .ev = {{RL_EV_SWITCH_OUT, {13, 0}, {10, 0}, -1, 0x100, RL_EVF_NOTIME},
		{RL_EV_SWITCH_IN, {10, 0}, {13, 0}, -1, -1, RL_EVF_NOTIME | RL_EVF_DERIVED}},
	 .after = {10, 0}, .name = "alpha", .prio = 120},
	{"wakeup: woken, waker from common_pid, target cpu, prio",
	 .r = {.kind = RL_LX_WAKEUP,
	       .cur_pid = 10,
	       .wake = {.woken = {12, 98, "delta", 5}, .target_cpu = 3}},
	 .n = 1, .ev = {{RL_EV_WAKEUP, {12, 0}, {10, 0}, 3, 98, 0}}, .after = {12, 0},
	 .name = "delta", .prio = 98},
	{"wakeup: no target cpu, no prio",
	 .r = {.kind = RL_LX_WAKEUP,
	       .cur_pid = 11,
	       .wake = {.woken = {12, RL_LX_NO_PRIO, NULL, 0}, .target_cpu = -1}},
	 .n = 1, .ev = {{RL_EV_WAKEUP, {12, 0}, {11, 0}, -1, -1, 0}}, .after = {12, 0}, .prio = 98},
	{"waking: OTHER with task = woken, task2 = waker",
	 .r = {.kind = RL_LX_WAKING,
	       .cur_pid = 10,
	       .wake = {.woken = {12, 97, NULL, 0}, .target_cpu = 2}},
	 .n = 1, .ev = {{NOW, {12, 0}, {10, 0}, 0, 0, 0}}, .after = {12, 0}, .prio = 97},
	{"migrate: arg = dest, arg2 = orig",
	 .r = {.kind = RL_LX_MIGRATE,
	       .cur_pid = 10,
	       .mig = {.task = {12, 0, "delta2", 6}, .orig_cpu = 0, .dest_cpu = 1}},
	 .n = 1, .ev = {{RL_EV_MIGRATE, {12, 0}, {0, 0}, 1, 0, 0}}, .after = {12, 0},
	 .name = "delta2", .prio = 97},
	{"switch: prev dead (X), to idle",
	 .r = {.kind = RL_LX_SWITCH,
	       .sw = {.prev = {12, 97, NULL, 0},
		      .next = {0, 120, "swapper/0", 9},
		      .state = 0x10,
		      .blocked = 1,
		      .dead = 1}},
	 .n = 2,
	 .ev = {{RL_EV_SWITCH_OUT, {12, 0}, {0, 0}, -1, 0x10, RL_EVF_BLOCKED},
		{RL_EV_SWITCH_IN, {0, 0}, {12, 0}, -1, 120, RL_EVF_DERIVED}}},
	{"wakeup after exit: the tid is a new task",
	 .r = {.kind = RL_LX_WAKEUP,
	       .cur_pid = 10,
	       .wake = {.woken = {12, 120, "epsilon", 7}, .target_cpu = 0}},
	 .n = 1, .ev = {{RL_EV_WAKEUP, {12, 1}, {10, 0}, 0, 120, 0}}, .after = {12, 1},
	 .name = "epsilon", .prio = 120},
	{"fork of a tid in use: a new task; parent = current",
	 .r = {.kind = RL_LX_FORK, .cur_pid = 10, .child = {11, 0, "child", 5}}, .n = 1,
	 .ev = {{NOW, {11, 1}, {10, 0}, 0, 0, 0}}, .after = {11, 1}, .name = "child"},
	{"irq entry: the current task is the forked child",
	 .r = {.kind = RL_LX_IRQ_ENTRY, .cur_pid = 11, .num = 5}, .n = 1,
	 .ev = {{RL_EV_IRQ_ENTER, {11, 1}, {0, 0}, 5, RL_LX_IRQ_HARD, 0}}},
	{"fork of an unseen tid: its first task",
	 .r = {.kind = RL_LX_FORK, .cur_pid = 11, .child = {20, 0, NULL, 0}}, .n = 1,
	 .ev = {{NOW, {20, 0}, {11, 1}, 0, 0, 0}}},
	{"exec: named after 15 bytes of the file's base name",
	 .r = {.kind = RL_LX_EXEC,
	       .cur_pid = 10,
	       .exec = {20, "/usr/bin/very-long-program-name", 31}},
	 .n = 1, .ev = {{NOW, {20, 0}, {0, 0}, 0, 0, 0}}, .after = {20, 0},
	 .name = "very-long-progr"},
	{"exec: file name bounded by len",
	 .r = {.kind = RL_LX_EXEC, .exec = {20, "/bin/sh/tail", 7}}, .n = 1,
	 .ev = {{NOW, {20, 0}, {0, 0}, 0, 0, 0}}, .after = {20, 0}, .name = "sh"},
	{"exit: OTHER with the exiting task",
	 .r = {.kind = RL_LX_EXIT, .cur_pid = 10, .exit_pid = 20}, .n = 1,
	 .ev = {{NOW, {20, 0}, {0, 0}, 0, 0, 0}}},
	{"pi_setprio: arg = new prio, remembered",
	 .r = {.kind = RL_LX_PI_SETPRIO, .cur_pid = 10, .pi = {20, 90}}, .n = 1,
	 .ev = {{NOW, {20, 0}, {0, 0}, 90, 0, 0}}, .after = {20, 0}, .prio = 90},
	{"irq exit", .r = {.kind = RL_LX_IRQ_EXIT, .cur_pid = 20, .num = 5}, .n = 1,
	 .ev = {{RL_EV_IRQ_EXIT, {20, 0}, {0, 0}, 5, RL_LX_IRQ_HARD, 0}}},
	{"softirq entry", .r = {.kind = RL_LX_SOFT_ENTRY, .cur_pid = 10, .num = 3}, .n = 1,
	 .ev = {{RL_EV_IRQ_ENTER, {10, 0}, {0, 0}, 3, RL_LX_IRQ_SOFT, 0}}},
	{"softirq exit in idle", .r = {.kind = RL_LX_SOFT_EXIT, .cur_pid = 0, .num = 3}, .n = 1,
	 .ev = {{RL_EV_IRQ_EXIT, {0, 0}, {0, 0}, 3, RL_LX_IRQ_SOFT, 0}}},
	{"vector entry", .r = {.kind = RL_LX_VEC_ENTRY, .cur_pid = 10, .num = 236}, .n = 1,
	 .ev = {{RL_EV_IRQ_ENTER, {10, 0}, {0, 0}, 236, RL_LX_IRQ_VECTOR, 0}}},
	{"vector exit", .r = {.kind = RL_LX_VEC_EXIT, .cur_pid = 10, .num = 236}, .n = 1,
	 .ev = {{RL_EV_IRQ_EXIT, {10, 0}, {0, 0}, 236, RL_LX_IRQ_VECTOR, 0}}},
	{"a current task the reader tracks wins over cur_pid",
	 .r = {.kind = RL_LX_IRQ_ENTRY, .cur = RL_NO_TASK, .has_cur = 1, .cur_pid = 10, .num = 7},
	 .n = 1, .ev = {{RL_EV_IRQ_ENTER, {0, 0}, {0, 0}, 7, RL_LX_IRQ_HARD, 0}}},
	{"keep_names: a wake-up does not rename a named task", .keep_names = 1,
	 .r = {.kind = RL_LX_WAKEUP,
	       .cur_pid = 11,
	       .wake = {.woken = {10, 120, "other", 5}, .target_cpu = 0}},
	 .n = 1, .ev = {{RL_EV_WAKEUP, {10, 0}, {11, 1}, 0, 120, 0}}, .after = {10, 0},
	 .name = "alpha"},
	{"keep_names: a switch-in names an unnamed task", .keep_names = 1,
	 .r = {.kind = RL_LX_SWITCH,
	       .sw = {.prev = {10, 120, "alpha", 5}, .next = {21, 120, "fresh", 5}}},
	 .n = 2,
	 .ev = {{RL_EV_SWITCH_OUT, {10, 0}, {21, 0}, -1, 0, 0},
		{RL_EV_SWITCH_IN, {21, 0}, {10, 0}, -1, 120, RL_EVF_DERIVED}},
	 .after = {21, 0}, .name = "fresh"},
	{"keep_names: a switch-in does not rename", .keep_names = 1,
	 .r = {.kind = RL_LX_SWITCH,
	       .sw = {.prev = {21, 120, NULL, 0}, .next = {10, 120, "renamed", 7}}},
	 .n = 2,
	 .ev = {{RL_EV_SWITCH_OUT, {21, 0}, {10, 0}, -1, 0, 0},
		{RL_EV_SWITCH_IN, {10, 0}, {21, 0}, -1, 120, RL_EVF_DERIVED}},
	 .after = {10, 0}, .name = "alpha"},
	{"keep_names: the task's own switch-out renames it", .keep_names = 1,
	 .r = {.kind = RL_LX_SWITCH,
	       .sw = {.prev = {10, 120, "renamed", 7}, .next = {21, 120, NULL, 0}}},
	 .n = 2,
	 .ev = {{RL_EV_SWITCH_OUT, {10, 0}, {21, 0}, -1, 0, 0},
		{RL_EV_SWITCH_IN, {21, 0}, {10, 0}, -1, 120, RL_EVF_DERIVED}},
	 .after = {10, 0}, .name = "renamed"},
	{"without keep_names a wake-up renames",
	 .r = {.kind = RL_LX_WAKEUP,
	       .cur_pid = 21,
	       .wake = {.woken = {10, 120, "again", 5}, .target_cpu = 1}},
	 .n = 1, .ev = {{RL_EV_WAKEUP, {10, 0}, {21, 0}, 1, 120, 0}}, .after = {10, 0},
	 .name = "again"},
};

/* The task index of @w, checked to exist (RL_NO_TASK for pid 0). */
static uint32_t task_of(const struct rl_trace *t, struct who w)
{
	uint32_t i;

	if (!w.pid)
		return RL_NO_TASK;
	for (i = 0; i < t->ntasks; i++)
		if (t->tasks[i].pid == w.pid && (int)t->tasks[i].generation == w.gen)
			return i;
	return RL_NO_TASK - 1; /* matches no event's task */
}

static void header(struct rl_event *ev, int i, uint8_t flags)
{
	memset(ev, 0x5a, RL_LX_MAX_EVENTS * sizeof(*ev));
	ev->ts = 1000 + i;
	ev->raw = 2000 + (uint64_t)i;
	ev->src_off = 0x40 + (uint64_t)i;
	ev->src = 1;
	ev->cpu = (uint32_t)i % 4;
	ev->name = 7;
	ev->job = 0;
	ev->flags = flags;
}

static void check_event(const struct rl_trace *t, const struct step *s, int i, int j,
			const struct rl_event *got, const struct rl_event *hdr)
{
	const struct want *w = &s->ev[j];

	is_int(got->type, w->type, "%d.%d %s: type", i, j, s->what);
	is_int(got->task, task_of(t, w->task), "%d.%d %s: task is %d.%d", i, j, s->what,
	       w->task.pid, w->task.gen);
	is_int(got->task2, task_of(t, w->task2), "%d.%d %s: task2 is %d.%d", i, j, s->what,
	       w->task2.pid, w->task2.gen);
	is_int(got->arg, w->arg, "%d.%d %s: arg", i, j, s->what);
	is_int(got->arg2, w->arg2, "%d.%d %s: arg2", i, j, s->what);
	is_int(got->flags, w->flags, "%d.%d %s: flags", i, j, s->what);
	ok(got->ts == hdr->ts && got->raw == hdr->raw && got->src_off == hdr->src_off &&
		   got->src == hdr->src && got->cpu == hdr->cpu && got->name == hdr->name &&
		   got->job == 0,
	   "%d.%d %s: header kept", i, j, s->what);
}

static void check_after(const struct rl_trace *t, const struct step *s, int i)
{
	uint32_t k = task_of(t, s->after);

	if (s->name || s->prio) {
		if (!ok(k < t->ntasks, "%d %s: task %d.%d exists", i, s->what, s->after.pid,
			s->after.gen))
			return;
	}
	if (s->name)
		is_str(rl_trace_task_name(t, k), s->name, "%d %s: name of %d.%d", i, s->what,
		       s->after.pid, s->after.gen);
	if (s->prio)
		is_int(t->tasks[k].prio, s->prio, "%d %s: prio of %d.%d", i, s->what, s->after.pid,
		       s->after.gen);
	if (s->absent_pid)
		is_int(rl_trace_task_find(t, s->absent_pid), RL_NO_TASK,
		       "%d %s: pid %d has no task", i, s->what, s->absent_pid);
}

int main(void)
{
	struct rl_trace *t = rl_trace_new();
	struct rl_event ev[RL_LX_MAX_EVENTS], hdr;
	struct rl_lx lx;
	int i, j, n;

	if (!t)
		skip_all("out of memory");
	rl_lx_init(&lx, t);
	for (i = 0; i < (int)(sizeof(steps) / sizeof(steps[0])); i++) {
		const struct step *s = &steps[i];

		lx.keep_names = s->keep_names;
		header(ev, i, s->hdr_flags);
		hdr = ev[0];
		n = rl_lx_emit(&lx, &s->r, ev);
		if (!is_int(n, s->n, "%d %s: %d event(s)", i, s->what, s->n))
			continue;
		for (j = 0; j < n; j++)
			check_event(t, s, i, j, &ev[j], &hdr);
		check_after(t, s, i);
	}
	/* the table's tasks and no others: 10, 11 (2), 12 (2), 13, 20, 21 */
	is_int(t->ntasks, 8, "tasks made: one per pid and reuse");
	rl_lx_release(&lx);
	rl_trace_free(t);
	done_testing();
	return exit_status();
}
