/*
 * stats/linux-jobs.c - jobs of recurring Linux tasks (ftrace, CTF).
 *
 * Linux traces have no job boundaries, so they are derived from the
 * schedule: a job is activated when the sleeping task is woken
 * (sched_waking, else sched_wakeup / sched_wakeup_new, whichever comes
 * first) and ends when the task switches out in a sleep state
 * (RL_EVF_BLOCKED: prev_state S, D, I, ...). Per job:
 *   response         = blocking switch-out - activation
 *   sched. latency   = first switch-in after activation - activation
 *   exec             = time on a CPU between activation and the end
 *   preemptions      = switch-outs while still runnable (R, R+) inside the job
 *   migrations       = switch-ins on another CPU than the job's previous one
 * Activity before a task's first wake-up is not a job. A job still open at
 * the end is "incomplete"; lost events on a CPU end the open jobs of tasks
 * that were on that CPU ("lost") and the task waits for its next wake-up.
 * State is per task; finished jobs are struct rl_job rows handed to the job
 * writer (rl_jobs_add()), which groups, filters and writes them with the
 * Linux columns.
 */
#include "jobs-local.h"

#include <stdlib.h>
#include <string.h>

enum lj_state { LJ_UNKNOWN, LJ_SLEEPING, LJ_ACTIVE };

struct lj_task {
	struct rl_job cur;
	int64_t run_since;
	uint64_t mark_all, mark_cpu; /* lost counters when last seen */
	uint32_t run_cpu, last_cpu, njobs;
	uint8_t state, running, has_cpu, preempted;
};

struct lj_jobs {
	struct rl_trace *t;
	struct lj_task *tasks;
	uint32_t ntasks, cap_tasks;
	uint32_t waking_name;
	uint64_t *lost; /* per cpu: lost-event markers seen */
	uint32_t nlost, cap_lost;
	uint64_t lost_all; /* markers without a cpu */
};

static struct lj_task *lj_task(struct lj_jobs *j, uint32_t task)
{
	if (task >= j->ntasks) {
		if (rl_grow_zero((void **)&j->tasks, &j->cap_tasks, task + 1, sizeof(*j->tasks)))
			return NULL;
		j->ntasks = task + 1;
	}
	return &j->tasks[task];
}

static int lj_emit(struct rl_jobs *out, struct lj_task *tk, uint32_t flags, struct rl_err *err)
{
	tk->cur.flags |= flags;
	tk->state = flags & RL_JOB_LOST ? LJ_UNKNOWN : LJ_SLEEPING;
	return rl_jobs_add(out, &tk->cur, err);
}

static void lj_stop_running(struct lj_task *tk, int64_t ts)
{
	if (!tk->running)
		return;
	if (tk->state == LJ_ACTIVE && ts > tk->run_since)
		tk->cur.exec += ts - tk->run_since;
	tk->running = 0;
}

/* The lost-event counter of @cpu (grown on demand), NULL when out of memory. */
static uint64_t *lj_lost(struct lj_jobs *j, uint32_t cpu)
{
	if (cpu > (1u << 20))
		return NULL;
	if (cpu >= j->nlost) {
		if (rl_grow_zero((void **)&j->lost, &j->cap_lost, cpu + 1, sizeof(*j->lost)))
			return NULL;
		j->nlost = cpu + 1;
	}
	return &j->lost[cpu];
}

static uint64_t lj_lost_on(const struct lj_jobs *j, uint32_t cpu)
{
	return cpu < j->nlost ? j->lost[cpu] : 0;
}

/* lj_check_lost() when events were lost: end the task's job as lost. */
static __attribute__((noinline)) int lj_lost_seen(struct lj_jobs *j, struct rl_jobs *out,
						  struct lj_task *tk, struct rl_err *err)
{
	tk->mark_all = j->lost_all;
	if (tk->has_cpu)
		tk->mark_cpu = lj_lost_on(j, tk->last_cpu);
	tk->running = 0;
	if (tk->state == LJ_ACTIVE && lj_emit(out, tk, RL_JOB_LOST, err))
		return err->code;
	tk->state = LJ_UNKNOWN;
	return 0;
}

/* Events were lost on the task's CPU since it was last seen: end its job as lost. */
static inline int lj_check_lost(struct lj_jobs *j, struct rl_jobs *out, struct lj_task *tk,
				struct rl_err *err)
{
	if (tk->mark_all == j->lost_all &&
	    (!tk->has_cpu || tk->mark_cpu == lj_lost_on(j, tk->last_cpu)))
		return 0;
	return lj_lost_seen(j, out, tk, err);
}

/* The task is now known to be on @cpu. */
static void lj_on_cpu(struct lj_jobs *j, struct lj_task *tk, uint32_t cpu)
{
	tk->last_cpu = cpu;
	tk->has_cpu = 1;
	tk->mark_cpu = lj_lost_on(j, cpu);
}

static int lj_event(void *st, struct rl_jobs *out, const struct rl_event *ev, struct rl_err *err)
{
	struct lj_jobs *j = st;
	struct lj_task *tk;

	if (ev->type == RL_EV_LOST) {
		/* tasks that were on that CPU may have lost their switches: each
		 * task notices at its next event (O(1) here, whatever the task count) */
		if (ev->cpu == RL_NO_CPU) {
			j->lost_all++;
		} else {
			uint64_t *n = lj_lost(j, ev->cpu);

			if (!n)
				return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
						  "out of memory");
			(*n)++;
		}
		return 0;
	}
	if (ev->task == RL_NO_TASK)
		return 0;
	switch (ev->type) {
	case RL_EV_WAKEUP:
	case RL_EV_SWITCH_IN:
	case RL_EV_SWITCH_OUT:
		break;
	case RL_EV_OTHER:
		if (ev->name == j->waking_name && j->waking_name)
			break;
		return 0;
	default:
		return 0;
	}
	tk = lj_task(j, ev->task);
	if (!tk)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	if (lj_check_lost(j, out, tk, err))
		return err->code;
	switch (ev->type) {
	case RL_EV_OTHER: /* sched_waking */
	case RL_EV_WAKEUP:
		if (tk->state == LJ_ACTIVE || tk->running)
			return 0; /* already awake: not an activation */
		memset(&tk->cur, 0, sizeof(tk->cur));
		tk->cur.task = ev->task;
		tk->cur.job = ++tk->njobs;
		tk->cur.release = ev->ts;
		tk->cur.deadline = tk->cur.first_start = tk->cur.completion = RL_TIME_UNKNOWN;
		tk->cur.prio = j->t->tasks[ev->task].prio;
		tk->cur.cpu = ev->cpu;
		tk->state = LJ_ACTIVE;
		tk->preempted = 0;
		tk->has_cpu = 0;
		return 0;
	case RL_EV_SWITCH_IN:
		lj_stop_running(tk, ev->ts);
		if (tk->state == LJ_ACTIVE) {
			if (tk->cur.first_start == RL_TIME_UNKNOWN) {
				tk->cur.first_start = ev->ts;
				tk->cur.prio = ev->arg2;
			} else if (tk->preempted) {
				tk->cur.preemptions++;
			}
			if (tk->has_cpu && tk->last_cpu != ev->cpu)
				tk->cur.migrations++;
			tk->cur.cpu = ev->cpu;
		}
		tk->preempted = 0;
		tk->running = 1;
		tk->run_since = ev->ts;
		tk->run_cpu = ev->cpu;
		lj_on_cpu(j, tk, ev->cpu);
		return 0;
	case RL_EV_SWITCH_OUT:
		lj_stop_running(tk, ev->ts);
		lj_on_cpu(j, tk, ev->cpu);
		if (!(ev->flags & RL_EVF_BLOCKED)) {
			tk->preempted = 1;
			return 0;
		}
		if (tk->state == LJ_ACTIVE) {
			tk->cur.completion = ev->ts;
			return lj_emit(out, tk, 0, err);
		}
		tk->state = LJ_SLEEPING;
		return 0;
	default:
		return 0;
	}
}

static int lj_finish(void *st, struct rl_jobs *out, struct rl_err *err)
{
	struct lj_jobs *j = st;
	uint32_t i;

	for (i = 0; i < j->ntasks; i++) {
		struct lj_task *tk = &j->tasks[i];

		if (lj_check_lost(j, out, tk, err))
			return err->code;
		if (tk->state != LJ_ACTIVE)
			continue;
		if (tk->running && tk->cur.first_start != RL_TIME_UNKNOWN)
			tk->cur.flags |= RL_JOB_RUNNING_AT_END;
		if (lj_emit(out, tk, RL_JOB_INCOMPLETE, err))
			return err->code;
	}
	return 0;
}

static void *lj_create(struct rl_trace *t, struct rl_err *err)
{
	struct lj_jobs *j = calloc(1, sizeof(*j));

	if (j) {
		j->t = t;
		j->waking_name = rl_strtab_intern(t->strs, "sched_waking", 12);
		if (j->waking_name)
			return j;
		free(j);
	}
	rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot allocate Linux job analysis");
	return NULL;
}

static void lj_destroy(void *st)
{
	struct lj_jobs *j = st;

	if (!j)
		return;
	free(j->tasks);
	free(j->lost);
	free(j);
}

const struct rl_job_model_ops rl_lxjobs_ops = {
	.create = lj_create,
	.event = lj_event,
	.finish = lj_finish,
	.destroy = lj_destroy,
};

/**
 * rl_lxjobs_is_linux() - whether a trace comes from a Linux reader
 * @t: the trace (after opening)
 *
 * Return: 1 for trace.dat, ftrace text and CTF traces.
 */
int rl_lxjobs_is_linux(const struct rl_trace *t)
{
	return t->family == RL_FAM_LINUX;
}
