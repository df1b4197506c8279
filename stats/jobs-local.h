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

#endif /* RL_JOBS_LOCAL_H */
