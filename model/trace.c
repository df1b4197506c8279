/* model/trace.c - the trace: sources, tasks, strings and anomaly counters. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rl_type_names[RL_EV_NTYPES] = {
	[RL_EV_NONE] = "none",
	[RL_EV_TASK_NAME] = "task_name",
	[RL_EV_TASK_PARAM] = "task_param",
	[RL_EV_RELEASE] = "release",
	[RL_EV_COMPLETION] = "completion",
	[RL_EV_SWITCH_IN] = "switch_in",
	[RL_EV_SWITCH_OUT] = "switch_out",
	[RL_EV_BLOCK] = "block",
	[RL_EV_RESUME] = "resume",
	[RL_EV_WAKEUP] = "wakeup",
	[RL_EV_MIGRATE] = "migrate",
	[RL_EV_SYS_RELEASE] = "sys_release",
	[RL_EV_ACTION] = "action",
	[RL_EV_IRQ_ENTER] = "irq_enter",
	[RL_EV_IRQ_EXIT] = "irq_exit",
	[RL_EV_IPI_SEND] = "ipi_send",
	[RL_EV_IPI_RECV] = "ipi_recv",
	[RL_EV_OVERHEAD] = "overhead",
	[RL_EV_LOST] = "lost",
	[RL_EV_OTHER] = "other",
};

/**
 * rl_ev_type_name() - name of an event type, as printed by dump and info
 * @type: enum rl_ev_type
 *
 * Return: a static string ("invalid" for out-of-range values).
 */
const char *rl_ev_type_name(int type)
{
	if (type < 0 || type >= RL_EV_NTYPES)
		return "invalid";
	return rl_type_names[type];
}

/**
 * rl_trace_new() - create an empty trace
 *
 * Return: the trace, or NULL when out of memory.
 */
struct rl_trace *rl_trace_new(void)
{
	struct rl_trace *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->strs = rl_strtab_new();
	if (!t->strs) {
		free(t);
		return NULL;
	}
	t->format = "unknown";
	return t;
}

/**
 * rl_trace_free() - free a trace and its tables
 * @t: the trace (NULL is a no-op)
 */
void rl_trace_free(struct rl_trace *t)
{
	uint64_t i;
	int k;

	if (!t)
		return;
	for (k = 0; k < RL_W_NKINDS; k++)
		for (i = 0; i < RL_WARN_KEEP && i < t->warn_count[k]; i++)
			free(t->warns[k][i].msg);
	rl_strtab_free(t->strs);
	free(t->cpu_seen);
	free(t->tasks);
	free(t->pid_map);
	free(t->srcs);
	free(t);
}

/**
 * rl_trace_add_source() - register an input file
 * @t:      the trace
 * @path:   its path (copied)
 * @reader: static name of the reader
 * @size:   size in bytes
 *
 * Return: the source index (>= 0), or -RL_E_NOMEM.
 */
int rl_trace_add_source(struct rl_trace *t, const char *path, const char *reader, uint64_t size)
{
	uint32_t id;
	struct rl_source *s;

	if (t->nsrcs >= UINT16_MAX)
		return -RL_E_USAGE;
	if (rl_grow((void **)&t->srcs, &t->cap_srcs, t->nsrcs + 1, sizeof(*t->srcs)))
		return -RL_E_NOMEM;
	id = rl_strtab_intern(t->strs, path, strlen(path));
	if (!id)
		return -RL_E_NOMEM;
	s = &t->srcs[t->nsrcs];
	memset(s, 0, sizeof(*s));
	s->path = rl_strtab_get(t->strs, id);
	s->reader = reader;
	s->size = size;
	s->cpu = -1;
	return (int)t->nsrcs++;
}

static uint32_t rl_pid_hash(int32_t pid, uint32_t cap)
{
	return ((uint32_t)pid * 2654435761u) & (cap - 1);
}

static int rl_pid_map_put(struct rl_trace *t, int32_t pid, uint32_t idx)
{
	uint32_t h;

	if ((uint64_t)(t->ntasks + 1) * 2 > t->pid_map_cap) {
		uint32_t ncap = t->pid_map_cap ? t->pid_map_cap * 2 : 64, i;
		uint32_t *nm = calloc(ncap, sizeof(*nm));

		if (!nm)
			return -RL_E_NOMEM;
		for (i = 0; i < t->pid_map_cap; i++) {
			uint32_t v = t->pid_map[i];

			if (!v)
				continue;
			h = rl_pid_hash(t->tasks[v - 1].pid, ncap);
			while (nm[h])
				h = (h + 1) & (ncap - 1);
			nm[h] = v;
		}
		free(t->pid_map);
		t->pid_map = nm;
		t->pid_map_cap = ncap;
	}
	h = rl_pid_hash(pid, t->pid_map_cap);
	while (t->pid_map[h]) {
		if (t->tasks[t->pid_map[h] - 1].pid == pid) {
			t->pid_map[h] = idx + 1;
			return 0;
		}
		h = (h + 1) & (t->pid_map_cap - 1);
	}
	t->pid_map[h] = idx + 1;
	return 0;
}

/**
 * rl_trace_task_find() - find the current task of a pid
 * @t:   the trace
 * @pid: the pid
 *
 * Return: the task index, or RL_NO_TASK.
 */
uint32_t rl_trace_task_find(const struct rl_trace *t, int32_t pid)
{
	uint32_t h;

	if (!t->pid_map_cap)
		return RL_NO_TASK;
	h = rl_pid_hash(pid, t->pid_map_cap);
	while (t->pid_map[h]) {
		if (t->tasks[t->pid_map[h] - 1].pid == pid)
			return t->pid_map[h] - 1;
		h = (h + 1) & (t->pid_map_cap - 1);
	}
	return RL_NO_TASK;
}

static uint32_t rl_trace_task_add(struct rl_trace *t, int32_t pid, uint32_t gen)
{
	struct rl_task *k;

	if (t->ntasks >= RL_NO_TASK - 1)
		return RL_NO_TASK;
	if (rl_grow((void **)&t->tasks, &t->cap_tasks, t->ntasks + 1, sizeof(*t->tasks)))
		return RL_NO_TASK;
	k = &t->tasks[t->ntasks];
	memset(k, 0, sizeof(*k));
	k->pid = pid;
	k->domain = -1;
	k->wcet = k->period = k->deadline = k->phase = -1;
	k->prio = INT64_MIN;
	k->partition = -1;
	k->generation = gen;
	if (rl_pid_map_put(t, pid, t->ntasks))
		return RL_NO_TASK;
	return t->ntasks++;
}

/**
 * rl_trace_task() - the task of a pid, created on first use
 * @t:   the trace
 * @pid: the pid
 *
 * Return: the task index, or RL_NO_TASK when out of memory.
 */
uint32_t rl_trace_task(struct rl_trace *t, int32_t pid)
{
	uint32_t idx = rl_trace_task_find(t, pid);

	if (idx != RL_NO_TASK)
		return idx;
	return rl_trace_task_add(t, pid, 0);
}

/**
 * rl_trace_task_renew() - start a new task for a pid that was reused
 * @t:   the trace
 * @pid: the pid
 *
 * Return: the new task index, or RL_NO_TASK when out of memory.
 */
uint32_t rl_trace_task_renew(struct rl_trace *t, int32_t pid)
{
	uint32_t old = rl_trace_task_find(t, pid);

	return rl_trace_task_add(t, pid, old == RL_NO_TASK ? 0 : t->tasks[old].generation + 1);
}

/**
 * rl_trace_task_vcpu() - add a hypervisor VCPU as a task
 * @t:      the trace
 * @domain: its domain id
 * @vcpu:   its vcpu (or scheduling unit) id, stored in pid
 *
 * VCPUs are keyed by (domain, vcpu), which the pid map cannot hold, so the
 * task is not entered there: the reader keeps its own map and calls this
 * once per VCPU.
 *
 * Return: the new task index, or RL_NO_TASK when out of memory.
 */
uint32_t rl_trace_task_vcpu(struct rl_trace *t, int32_t domain, int32_t vcpu)
{
	struct rl_task *k;

	if (t->ntasks >= RL_NO_TASK - 1)
		return RL_NO_TASK;
	if (rl_grow((void **)&t->tasks, &t->cap_tasks, t->ntasks + 1, sizeof(*t->tasks)))
		return RL_NO_TASK;
	k = &t->tasks[t->ntasks];
	memset(k, 0, sizeof(*k));
	k->pid = vcpu;
	k->domain = domain;
	k->kind = RL_TASK_VCPU;
	k->wcet = k->period = k->deadline = k->phase = -1;
	k->prio = INT64_MIN;
	k->partition = -1;
	return t->ntasks++;
}

/**
 * rl_trace_task_name() - name of a task
 * @t:    the trace
 * @task: task index
 *
 * Return: the name, "" when unknown.
 */
const char *rl_trace_task_name(const struct rl_trace *t, uint32_t task)
{
	if (task >= t->ntasks)
		return "";
	return rl_strtab_get(t->strs, t->tasks[task].name);
}

/**
 * rl_trace_warn() - count an anomaly, keeping the first few with their text
 * @t:    the trace
 * @kind: enum rl_warn_kind
 * @src:  source index (or UINT16_MAX for none)
 * @off:  byte offset or RL_OFF_NONE
 * @fmt:  message
 */
void rl_trace_warn(struct rl_trace *t, int kind, uint16_t src, uint64_t off, const char *fmt, ...)
{
	va_list ap;
	uint64_t n;
	struct rl_warning *w;
	int len;

	if (kind < 0 || kind >= RL_W_NKINDS)
		kind = RL_W_OTHER;
	n = t->warn_count[kind]++;
	if (n >= RL_WARN_KEEP)
		return;
	w = &t->warns[kind][n];
	w->kind = kind;
	w->path = src < t->nsrcs ? t->srcs[src].path : NULL;
	w->off = off;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	w->msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (w->msg) {
		va_start(ap, fmt);
		vsnprintf(w->msg, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
}

/**
 * rl_trace_note_cpu_slow() - remember a cpu not noted before
 * @t:   the trace
 * @cpu: cpu number (RL_NO_CPU: nothing)
 *
 * rl_trace_note_cpu() (model.h) returns inline for a cpu already noted.
 */
void rl_trace_note_cpu_slow(struct rl_trace *t, uint32_t cpu)
{
	if (cpu == RL_NO_CPU)
		return;
	if (cpu + 1 > t->ncpu)
		t->ncpu = cpu + 1;
	if (__builtin_expect(cpu / 8 >= t->cap_cpu_seen, 0) &&
	    rl_grow_zero((void **)&t->cpu_seen, &t->cap_cpu_seen, cpu / 8 + 1, 1)) {
		t->cpu_seen_lost = 1;
		return;
	}
	t->cpu_seen[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
}

/**
 * rl_trace_cpu_seen() - was a cpu noted?
 * @t:   the trace
 * @cpu: cpu number
 *
 * A trace whose cpus are 0 and 286578 (one damaged text line) has ncpu
 * 286579 but two cpus: per-cpu output walks these, not the range.
 * Return: 1 when @cpu was noted (or the bitmap could not be kept).
 */
int rl_trace_cpu_seen(const struct rl_trace *t, uint32_t cpu)
{
	if (cpu >= t->ncpu)
		return 0;
	if (t->cpu_seen_lost)
		return 1;
	return cpu / 8 < t->cap_cpu_seen && (t->cpu_seen[cpu / 8] >> (cpu % 8) & 1);
}

/**
 * rl_cursor_close() - close a cursor
 * @c: the cursor (NULL is a no-op)
 */
void rl_cursor_close(struct rl_cursor *c)
{
	if (c)
		c->ops->close(c);
}
