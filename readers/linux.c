/* readers/linux.c - tasks, names and event kinds shared by the Linux readers. */
#include "linux.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int kind;
} rl_lx_names[] = {
	{"sched_switch", RL_LX_SWITCH},
	{"sched_wakeup", RL_LX_WAKEUP},
	{"sched_wakeup_new", RL_LX_WAKEUP},
	{"sched_waking", RL_LX_WAKING},
	{"sched_migrate_task", RL_LX_MIGRATE},
	{"sched_process_fork", RL_LX_FORK},
	{"sched_process_exec", RL_LX_EXEC},
	{"sched_process_exit", RL_LX_EXIT},
	{"sched_pi_setprio", RL_LX_PI_SETPRIO},
	{"irq_handler_entry", RL_LX_IRQ_ENTRY},
	{"irq_handler_exit", RL_LX_IRQ_EXIT},
	{"softirq_entry", RL_LX_SOFT_ENTRY},
	{"softirq_exit", RL_LX_SOFT_EXIT},
	{"irq_softirq_entry", RL_LX_SOFT_ENTRY},
	{"irq_softirq_exit", RL_LX_SOFT_EXIT},
	{"local_timer_entry", RL_LX_VEC_ENTRY},
	{"local_timer_exit", RL_LX_VEC_EXIT},
	{"reschedule_entry", RL_LX_VEC_ENTRY},
	{"reschedule_exit", RL_LX_VEC_EXIT},
	{"call_function_entry", RL_LX_VEC_ENTRY},
	{"call_function_exit", RL_LX_VEC_EXIT},
	{"call_function_single_entry", RL_LX_VEC_ENTRY},
	{"call_function_single_exit", RL_LX_VEC_EXIT},
	{"x86_irq_vectors_local_timer_entry", RL_LX_VEC_ENTRY},
	{"x86_irq_vectors_local_timer_exit", RL_LX_VEC_EXIT},
	{"x86_irq_vectors_reschedule_entry", RL_LX_VEC_ENTRY},
	{"x86_irq_vectors_reschedule_exit", RL_LX_VEC_EXIT},
};

/**
 * rl_lx_kind() - classify a kernel event by name
 * @name: event name without its system ("sched_switch", "irq_softirq_entry")
 *
 * Return: enum rl_lx_kind (RL_LX_OTHER for events carried uninterpreted).
 */
int rl_lx_kind(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(rl_lx_names) / sizeof(rl_lx_names[0]); i++)
		if (!strcmp(name, rl_lx_names[i].name))
			return rl_lx_names[i].kind;
	return RL_LX_OTHER;
}

/**
 * rl_lx_init() - start Linux task bookkeeping for a trace
 * @lx: the state to fill
 * @t:  the trace whose task table it manages
 */
void rl_lx_init(struct rl_lx *lx, struct rl_trace *t)
{
	memset(lx, 0, sizeof(*lx));
	lx->t = t;
}

/**
 * rl_lx_release() - free the bookkeeping
 * @lx: the state (its trace is not freed)
 */
void rl_lx_release(struct rl_lx *lx)
{
	free(lx->dead);
	lx->dead = NULL;
	lx->cap_dead = 0;
}

static int rl_lx_is_dead(const struct rl_lx *lx, uint32_t task)
{
	return task < lx->cap_dead && lx->dead[task];
}

/**
 * rl_lx_task() - the current task of a tid
 * @lx:  Linux state
 * @tid: thread id from the trace
 *
 * A tid seen after its task exited starts a new task (PID reuse).
 *
 * Return: the task index, RL_NO_TASK for idle (0), invalid tids or no memory.
 */
uint32_t rl_lx_task(struct rl_lx *lx, int64_t tid)
{
	uint32_t k;

	if (tid <= 0 || tid > INT32_MAX)
		return RL_NO_TASK;
	k = rl_trace_task(lx->t, (int32_t)tid);
	if (k != RL_NO_TASK && rl_lx_is_dead(lx, k))
		k = rl_trace_task_renew(lx->t, (int32_t)tid);
	return k;
}

/**
 * rl_lx_fork() - a fork created @tid
 * @lx:  Linux state
 * @tid: the child's thread id
 *
 * Return: the child's task: a new one if the tid already had a task.
 */
uint32_t rl_lx_fork(struct rl_lx *lx, int64_t tid)
{
	uint32_t k;

	if (tid <= 0 || tid > INT32_MAX)
		return RL_NO_TASK;
	k = rl_trace_task_find(lx->t, (int32_t)tid);
	if (k == RL_NO_TASK)
		return rl_trace_task(lx->t, (int32_t)tid);
	return rl_trace_task_renew(lx->t, (int32_t)tid);
}

/**
 * rl_lx_exit() - a task exited
 * @lx:   Linux state
 * @task: the task (RL_NO_TASK is ignored)
 */
void rl_lx_exit(struct rl_lx *lx, uint32_t task)
{
	if (task == RL_NO_TASK)
		return;
	if (task >= lx->cap_dead) {
		uint32_t old = lx->cap_dead;

		if (rl_grow((void **)&lx->dead, &lx->cap_dead, task + 1, sizeof(*lx->dead)))
			return; /* out of memory: the tid is simply not renewed */
		memset(lx->dead + old, 0, lx->cap_dead - old);
	}
	lx->dead[task] = 1;
}

/**
 * rl_lx_comm() - name a task after a comm field
 * @lx:   Linux state
 * @task: the task (RL_NO_TASK is ignored)
 * @comm: the comm bytes (need not be NUL-terminated)
 * @len:  at most this many bytes are used
 */
void rl_lx_comm(struct rl_lx *lx, uint32_t task, const char *comm, size_t len)
{
	struct rl_task *tk;
	const char *cur;
	size_t n = 0;
	uint32_t id;

	if (task == RL_NO_TASK)
		return;
	while (n < len && comm[n])
		n++;
	if (!n)
		return;
	tk = &lx->t->tasks[task];
	if (tk->name) {
		cur = rl_strtab_get(lx->t->strs, tk->name);
		if (!strncmp(cur, comm, n) && cur[n] == 0)
			return;
	}
	id = rl_strtab_intern(lx->t->strs, comm, n);
	if (id)
		tk->name = id;
}
