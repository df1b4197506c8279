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
	{"timerlat", RL_LX_TIMERLAT},
	{"irq_noise", RL_LX_IRQ_NOISE},
	{"softirq_noise", RL_LX_SOFT_NOISE},
	{"thread_noise", RL_LX_THREAD_NOISE},
	{"nmi_noise", RL_LX_NMI_NOISE},
	{"sample_threshold", RL_LX_THRESHOLD},
	{"osnoise", RL_LX_OSNOISE},
	{"hwlat", RL_LX_HWLAT},
	{"ipi_send_cpu", RL_LX_IPI_SEND},
	{"ipi_send_cpumask", RL_LX_IPI_SEND_MASK},
	{"ipi_entry", RL_LX_IPI_ENTRY},
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
	free(lx->seen);
	lx->seen = NULL;
	lx->cap_seen = 0;
}

static int rl_lx_is_dead(const struct rl_lx *lx, uint32_t task)
{
	return task < lx->cap_dead && lx->dead[task];
}

/**
 * rl_lx_task_slow() - the current task of a tid, past rl_lx_task()'s cache
 * @lx:  Linux state
 * @tid: thread id from the trace
 *
 * A tid seen after its task exited starts a new task (PID reuse).
 *
 * Return: the task index, RL_NO_TASK for idle (0), invalid tids or no memory.
 */
uint32_t rl_lx_task_slow(struct rl_lx *lx, int64_t tid)
{
	uint32_t k, slot = (uint32_t)tid & (RL_LX_TID_CACHE - 1);

	if (tid <= 0 || tid > INT32_MAX)
		return RL_NO_TASK;
	k = rl_trace_task(lx->t, (int32_t)tid);
	if (k != RL_NO_TASK && rl_lx_is_dead(lx, k))
		k = rl_trace_task_renew(lx->t, (int32_t)tid);
	if (lx->tc_ntasks != lx->t->ntasks) {
		memset(lx->tc, 0, sizeof(lx->tc));
		lx->tc_ntasks = lx->t->ntasks;
	}
	if (k != RL_NO_TASK) {
		lx->tc[slot].tid = (int32_t)tid;
		lx->tc[slot].task = k;
	}
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
		if (rl_grow_zero((void **)&lx->dead, &lx->cap_dead, task + 1, sizeof(*lx->dead)))
			return; /* out of memory: the tid is simply not renewed */
	}
	lx->dead[task] = 1;
	memset(lx->tc, 0, sizeof(lx->tc)); /* its tid now stands for a new task */
}

/* Whether @s holds @len bytes equal to @comm, checked against name id @name. */
static inline int rl_lx_seen_hit(const struct rl_lx_seen *s, uint32_t name, const char *comm,
				 size_t len)
{
	uint64_t a[2], b[2];

	if (s->name != name || s->len != len)
		return 0;
	if (len != RL_LX_COMM_MAX)
		return !memcmp(s->comm, comm, len);
	memcpy(a, s->comm, sizeof(a));
	memcpy(b, comm, sizeof(b));
	return a[0] == b[0] && a[1] == b[1];
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
	struct rl_lx_seen *seen = NULL;
	struct rl_task *tk;
	const char *cur;
	size_t n = 0;
	uint32_t id;

	if (task == RL_NO_TASK)
		return;
	tk = &lx->t->tasks[task];
	if (len <= RL_LX_COMM_MAX) {
		if (task < lx->cap_seen) {
			seen = &lx->seen[task];
			if (tk->name && rl_lx_seen_hit(seen, tk->name, comm, len))
				return;
		} else if (!rl_grow_zero((void **)&lx->seen, &lx->cap_seen, task + 1,
					 sizeof(*lx->seen))) {
			seen = &lx->seen[task];
		}
	}
	while (n < len && comm[n])
		n++;
	if (!n)
		return;
	if (tk->name) {
		cur = rl_strtab_get(lx->t->strs, tk->name);
		if (!strncmp(cur, comm, n) && cur[n] == 0)
			goto same;
	}
	id = rl_strtab_intern(lx->t->strs, comm, n);
	if (!id)
		return;
	tk->name = id;
same:
	if (seen) { /* the name is now comm[0..n): remember the field's bytes */
		seen->name = tk->name;
		seen->len = (uint32_t)len;
		memcpy(seen->comm, comm, len);
	}
}

/* ------------------------------------------------------------ mapping */

static uint32_t rl_lx_cur(struct rl_lx *lx, const struct rl_lx_rec *r)
{
	return r->has_cur ? r->cur : rl_lx_task(lx, r->cur_pid);
}

/* Name @task after @w's comm; @own: the record is the task's own (its switch-out). */
static void rl_lx_name(struct rl_lx *lx, uint32_t task, const struct rl_lx_who *w, int own)
{
	const char *comm = w->comm;
	size_t len = w->comm_len;

	if (!comm || task == RL_NO_TASK)
		return;
	if (!own && lx->keep_names && lx->t->tasks[task].name)
		return;
	if (lx->comm_of && !(comm = lx->comm_of(comm, &len)))
		return;
	/* the name did not change (most records): no call */
	if (len <= RL_LX_COMM_MAX && task < lx->cap_seen && lx->t->tasks[task].name &&
	    rl_lx_seen_hit(&lx->seen[task], lx->t->tasks[task].name, comm, len))
		return;
	rl_lx_comm(lx, task, comm, len);
}

/* The task @w names, with its comm and prio noted. */
static uint32_t rl_lx_who_task(struct rl_lx *lx, const struct rl_lx_who *w, int own)
{
	uint32_t task = rl_lx_task(lx, w->pid);

	rl_lx_name(lx, task, w, own);
	if (w->prio != RL_LX_NO_PRIO)
		rl_lx_prio(lx, task, w->prio);
	return task;
}

static int64_t rl_lx_prio_arg(const struct rl_lx_who *w)
{
	return w->prio == RL_LX_NO_PRIO ? -1 : w->prio;
}

/* sched_switch: SWITCH_OUT of prev and the DERIVED SWITCH_IN of next. */
static int rl_lx_switch(struct rl_lx *lx, const struct rl_lx_rec *r, struct rl_event *ev)
{
	struct rl_event *in = &ev[1];

	ev->type = RL_EV_SWITCH_OUT;
	ev->task = rl_lx_who_task(lx, &r->sw.prev, 1);
	ev->arg = -1;
	ev->arg2 = r->sw.state;
	if (r->sw.blocked)
		ev->flags |= RL_EVF_BLOCKED;
	/* before next is looked up: a task switching to its own reused tid */
	if (r->sw.dead)
		rl_lx_exit(lx, ev->task);
	*in = *ev;
	in->type = RL_EV_SWITCH_IN;
	in->flags = (uint8_t)((ev->flags & RL_EVF_NOTIME) | RL_EVF_DERIVED);
	in->task = rl_lx_who_task(lx, &r->sw.next, 0);
	in->task2 = ev->task;
	in->arg = -1;
	in->arg2 = rl_lx_prio_arg(&r->sw.next);
	ev->task2 = in->task;
	return 2;
}

/* The IRQ_ENTER / IRQ_EXIT kinds: type and arg2 (RL_LX_IRQ_*). */
static int rl_lx_irq(int kind, int *type)
{
	switch (kind) {
	case RL_LX_IRQ_ENTRY:
	case RL_LX_SOFT_ENTRY:
	case RL_LX_VEC_ENTRY:
		*type = RL_EV_IRQ_ENTER;
		break;
	case RL_LX_IRQ_EXIT:
	case RL_LX_SOFT_EXIT:
	case RL_LX_VEC_EXIT:
		*type = RL_EV_IRQ_EXIT;
		break;
	default:
		return -1;
	}
	if (kind == RL_LX_IRQ_ENTRY || kind == RL_LX_IRQ_EXIT)
		return RL_LX_IRQ_HARD;
	if (kind == RL_LX_SOFT_ENTRY || kind == RL_LX_SOFT_EXIT)
		return RL_LX_IRQ_SOFT;
	return RL_LX_IRQ_VECTOR;
}

/* sched_process_exec: the kernel keeps 15 bytes of the file's base name as comm. */
static void rl_lx_exec(struct rl_lx *lx, uint32_t task, const char *s, size_t n)
{
	const char *base = s;
	size_t i;

	if (!s)
		return;
	for (i = 0; i < n && s[i]; i++)
		if (s[i] == '/')
			base = s + i + 1;
	n -= (size_t)(base - s);
	rl_lx_comm(lx, task, base, n > 15 ? 15 : n);
}

static int64_t rl_lx_i64(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* A microsecond field in ns, saturated. */
static int64_t rl_lx_us(uint64_t v)
{
	return v > (uint64_t)INT64_MAX / 1000 ? INT64_MAX : (int64_t)(v * 1000);
}

/* The osnoise / timerlat / hwlat records: OTHER, fields as readers/linux.h says. */
static int rl_lx_rtm(struct rl_lx *lx, const struct rl_lx_rec *r, struct rl_event *ev)
{
	uint64_t c = r->rtm.c;

	ev->task = rl_lx_cur(lx, r);
	switch (r->kind) {
	case RL_LX_THREAD_NOISE:
		ev->task = rl_lx_task(lx, r->rtm.who.pid);
		rl_lx_name(lx, ev->task, &r->rtm.who, 0);
		/* fall through */
	default:
		ev->arg = rl_lx_i64(r->rtm.a);
		ev->arg2 = rl_lx_i64(r->rtm.b);
		break;
	case RL_LX_TIMERLAT:
		ev->arg = rl_lx_i64(r->rtm.a);
		ev->arg2 = (int64_t)(int32_t)(uint32_t)r->rtm.b; /* an int field */
		break;
	case RL_LX_OSNOISE:
	case RL_LX_HWLAT:
		ev->arg = rl_lx_us(r->rtm.a);
		ev->arg2 = rl_lx_us(r->rtm.b);
		break;
	}
	if (r->kind != RL_LX_THREAD_NOISE && r->kind != RL_LX_NMI_NOISE)
		ev->job = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
	return 1;
}

/**
 * rl_lx_emit() - the model events of one kernel record
 * @lx: Linux state of the trace
 * @r:  the record's fields, as the reader found them
 * @ev: room for RL_LX_MAX_EVENTS events; @ev[0] holds the record's header
 *      (ts, raw, src, src_off, cpu, name, flags such as RL_EVF_NOTIME)
 *
 * Sets type, task, task2, arg and arg2 of the events as the conventions in
 * readers/linux.h say, and keeps the task table (names, prios, PID reuse)
 * up to date. Kinds without a model event are RL_EV_OTHER with the current
 * task; so is sched_waking (task = woken, task2 = waker).
 *
 * Return: the number of events filled: 2 for sched_switch, else 1.
 */
int rl_lx_emit(struct rl_lx *lx, const struct rl_lx_rec *r, struct rl_event *ev)
{
	int type = RL_EV_OTHER;

	ev->type = RL_EV_OTHER;
	ev->task = ev->task2 = RL_NO_TASK;
	ev->arg = ev->arg2 = 0;
	if (rl_lx_is_tracer(r->kind))
		return rl_lx_rtm(lx, r, ev);
	switch (r->kind) {
	case RL_LX_SWITCH:
		return rl_lx_switch(lx, r, ev);
	case RL_LX_WAKEUP:
	case RL_LX_WAKING:
		ev->task = rl_lx_who_task(lx, &r->wake.woken, 0);
		ev->task2 = rl_lx_cur(lx, r);
		if (r->kind == RL_LX_WAKEUP) {
			ev->type = RL_EV_WAKEUP;
			ev->arg = r->wake.target_cpu;
			ev->arg2 = rl_lx_prio_arg(&r->wake.woken);
		}
		return 1;
	case RL_LX_MIGRATE:
		ev->type = RL_EV_MIGRATE;
		ev->task = rl_lx_task(lx, r->mig.task.pid);
		rl_lx_name(lx, ev->task, &r->mig.task, 0);
		ev->arg = r->mig.dest_cpu;
		ev->arg2 = r->mig.orig_cpu;
		return 1;
	case RL_LX_FORK:
		ev->task = rl_lx_fork(lx, r->child.pid);
		rl_lx_name(lx, ev->task, &r->child, 0);
		ev->task2 = rl_lx_cur(lx, r);
		return 1;
	case RL_LX_EXEC:
		ev->task = rl_lx_task(lx, r->exec.pid);
		rl_lx_exec(lx, ev->task, r->exec.filename, r->exec.len);
		return 1;
	case RL_LX_EXIT:
		ev->task = rl_lx_task(lx, r->exit_pid);
		return 1;
	case RL_LX_PI_SETPRIO:
		ev->task = rl_lx_task(lx, r->pi.pid);
		ev->arg = r->pi.prio;
		rl_lx_prio(lx, ev->task, r->pi.prio);
		return 1;
	case RL_LX_IPI_SEND:
	case RL_LX_IPI_SEND_MASK:
		ev->type = RL_EV_IPI_SEND;
		ev->task = rl_lx_cur(lx, r);
		ev->arg = r->ipi.cpu;
		ev->arg2 = (int64_t)r->ipi.mask;
		ev->job = r->ipi.fn;
		return 1;
	case RL_LX_IPI_ENTRY:
		ev->type = RL_EV_IPI_RECV;
		ev->task = rl_lx_cur(lx, r);
		ev->arg = -1;
		return 1;
	default:
		ev->task = rl_lx_cur(lx, r);
		ev->arg2 = rl_lx_irq(r->kind, &type);
		if (ev->arg2 < 0) {
			ev->arg2 = 0;
			return 1;
		}
		ev->type = (uint8_t)type;
		ev->arg = r->num;
		return 1;
	}
}
