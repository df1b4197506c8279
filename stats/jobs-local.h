/*
 * stats/jobs-local.h - the job reconstructions behind struct rl_jobs.
 *
 * Private to stats/. The record model (RELEASE / COMPLETION) lives in
 * stats/jobs.c itself; another model plugs in with these operations and
 * hands its finished rows to rl_jobs_add(), so that every model's rows go
 * through the same filters and writers.
 */
#ifndef RL_JOBS_LOCAL_H
#define RL_JOBS_LOCAL_H

#include "stats.h"

struct rl_job_model_ops {
	/* Return: the model's state, or NULL with @err set. */
	void *(*create)(struct rl_trace *t, struct rl_err *err);
	int (*event)(void *st, struct rl_jobs *j, const struct rl_event *ev, struct rl_err *err);
	/* the trace ended: hand out the jobs still open */
	int (*finish)(void *st, struct rl_jobs *j, struct rl_err *err);
	void (*destroy)(void *st);
};

extern const struct rl_job_model_ops rl_lxjobs_ops;

/*
 * st-job-stats' view (stats/stjs.c): what it needs beyond the rows is the
 * order of tasks (those with a record dated 0 first, by pid, then in order
 * of first appearance) and its own SYS_RELEASE (the first one of pid 0).
 */
struct rl_stjs_task {
	uint64_t first_seq, last_seq;
	uint8_t seen, has_zero, unsorted;
};

struct rl_stjs_view {
	struct rl_trace *t;
	struct rl_rowstore *rows; /* st-job-stats rows by task */
	struct rl_stjs_task *tasks;
	uint32_t ntasks, cap_tasks;
	uint64_t seq; /* events seen (the job analysis counts them) */
	uint64_t sys_release;
	int has_sys_release;
};

int rl_stjs_view_init(struct rl_stjs_view *v, struct rl_trace *t, uint64_t budget);
void rl_stjs_view_release(struct rl_stjs_view *v);
/* Room for @task in v->tasks (the job analysis fills seen, first_seq, has_zero). */
int rl_stjs_view_task(struct rl_stjs_view *v, uint32_t task, struct rl_err *err);
/* A finished row: kept if st-job-stats lists it. */
int rl_stjs_view_add(struct rl_stjs_view *v, const struct rl_job *r, struct rl_err *err);
int rl_stjs_view_write(struct rl_stjs_view *v, FILE *f, const struct rl_job_filter *fl, int ms,
		       struct rl_err *err);
int rl_stjs_view_each(struct rl_stjs_view *v, const struct rl_job_filter *fl,
		      const struct rl_stjs_ops *ops, void *arg, struct rl_err *err);

#endif /* RL_JOBS_LOCAL_H */
