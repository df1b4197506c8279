/* tests/unit-jobs.c - the job analysis and the st-job-stats emulation on hand-built events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../stats/stats.h"
#include "tap.h"

struct arr_cursor {
	struct rl_cursor base;
	struct rl_event *ev;
	size_t n, i;
};

static int arr_next(struct rl_cursor *c, struct rl_event *ev, struct rl_err *err)
{
	struct arr_cursor *a = (struct arr_cursor *)c;

	(void)err;
	if (a->i == a->n)
		return 0;
	*ev = a->ev[a->i++];
	return 1;
}

static void arr_close(struct rl_cursor *c)
{
	struct arr_cursor *a = (struct arr_cursor *)c;

	free(a->ev);
	free(a);
}

static const struct rl_cursor_ops arr_ops = {arr_next, arr_close};

/* A tiny event script: one cursor, events in time order. */
struct script {
	struct rl_trace *t;
	struct rl_event *ev;
	size_t n, cap;
};

static void add(struct script *s, int type, int64_t ts, int pid, uint32_t job, uint32_t cpu,
		int64_t arg)
{
	struct rl_event *e;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ev = realloc(s->ev, s->cap * sizeof(*s->ev));
	}
	e = &s->ev[s->n++];
	memset(e, 0, sizeof(*e));
	e->type = (uint8_t)type;
	e->ts = ts;
	e->task = pid ? rl_trace_task(s->t, pid) : RL_NO_TASK;
	e->task2 = RL_NO_TASK;
	e->job = job;
	e->cpu = cpu;
	e->arg = arg;
	if (type == RL_EV_COMPLETION)
		e->arg2 = arg >= 0 ? arg << 1 : 0;
}

static void param(struct script *s, int pid, int64_t wcet, int64_t period)
{
	uint32_t k = rl_trace_task(s->t, pid);

	s->t->tasks[k].wcet = wcet;
	s->t->tasks[k].period = period;
	s->t->tasks[k].has_param = 1;
}

/* Run the script through the job analysis; the CSV goes to a memory buffer. */
static char *run_jobs(struct script *s, unsigned want, char **summary)
{
	struct arr_cursor *a = calloc(1, sizeof(*a));
	struct rl_cursor *cur = &a->base;
	struct rl_job_out o = {.want = want, .fmt = RL_OUT_CSV};
	struct rl_merge *m;
	struct rl_jobs *j;
	struct rl_sink *sink;
	struct rl_err err;
	char *buf = NULL, *sbuf = NULL;
	size_t len = 0, slen = 0;
	FILE *f = open_memstream(&buf, &len), *sf = NULL;

	a->base.ops = &arr_ops;
	a->ev = s->ev;
	a->n = s->n;
	s->ev = NULL;
	s->n = s->cap = 0;
	rl_err_init(&err);
	m = rl_merge_new(s->t, &cur, 1, &err);
	j = rl_jobs_new(s->t, &o, f, &err);
	sink = rl_jobs_sink(j);
	if (rl_run(m, &sink, 1, NULL, NULL, &err))
		diag("run failed: %s", err.msg);
	if (summary) {
		sf = open_memstream(&sbuf, &slen);
		rl_jobs_write_summary(j, sf, &err);
		fclose(sf);
		*summary = sbuf;
	}
	rl_jobs_free(j);
	rl_merge_free(m);
	fclose(f);
	return buf;
}

/* The same events through st-job-stats' view of the job rows. */
static char *run_stjs(struct script *s)
{
	struct arr_cursor *a = calloc(1, sizeof(*a));
	struct rl_cursor *cur = &a->base;
	struct rl_job_out o = {.want = RL_JOBS_COMPAT};
	struct rl_merge *m;
	struct rl_jobs *st;
	struct rl_sink *sink;
	struct rl_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	a->base.ops = &arr_ops;
	a->ev = s->ev;
	a->n = s->n;
	s->ev = NULL;
	s->n = s->cap = 0;
	rl_err_init(&err);
	m = rl_merge_new(s->t, &cur, 1, &err);
	st = rl_jobs_new(s->t, &o, NULL, &err);
	sink = rl_jobs_sink(st);
	rl_run(m, &sink, 1, NULL, NULL, &err);
	rl_jobs_write_compat(st, f, &err);
	rl_jobs_free(st);
	rl_merge_free(m);
	fclose(f);
	return buf;
}

/* The CSV line of job @job of pid @pid from its release column on, or "". */
static const char *row(const char *csv, int pid, unsigned job)
{
	static char out[512];
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "\n%d,", pid);
	for (p = strstr(csv, key); p; p = strstr(p + 1, key)) {
		const char *l = p + 1, *e = strchr(l, '\n'), *c1 = strchr(l, ','), *c2;

		const char *c3;

		c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		c3 = c2 ? strchr(c2 + 1, ',') : NULL;
		if (!e || !c3 || (unsigned)strtoul(c2 + 1, NULL, 10) != job)
			continue;
		/* from the release column on */
		snprintf(out, sizeof(out), "%.*s", (int)(e - c3 - 1), c3 + 1);
		return out;
	}
	return "";
}

int main(void)
{
	struct script s = {0};
	char *csv, *sum = NULL;
	int k;

	/* preemption and migration; exec from the completion record */
	s.t = rl_trace_new();
	param(&s, 7, 3000, 10000);
	add(&s, RL_EV_RELEASE, 1000, 7, 1, 0, 11000);
	add(&s, RL_EV_SWITCH_IN, 1100, 7, 1, 0, 0);
	add(&s, RL_EV_SWITCH_OUT, 2000, 7, 1, 0, 0);
	add(&s, RL_EV_SWITCH_IN, 2500, 7, 1, 1, 0);
	add(&s, RL_EV_COMPLETION, 4000, 7, 1, 1, 2400);
	add(&s, RL_EV_SWITCH_OUT, 4000, 7, 2, 1, 0); /* carries the next job, as LITMUS does */
	csv = run_jobs(&s, RL_JOBS_CSV, NULL);
	is_str(row(csv, 7, 1), "1000,11000,4000,3000,-7000,0,0,2400,1,1,0,0,complete,",
	       "preempted once, migrated once, exec from the record");
	free(csv);
	rl_trace_free(s.t);

	/* a self-suspension is not a preemption; exec from intervals when unknown */
	s.t = rl_trace_new();
	add(&s, RL_EV_RELEASE, 0, 8, 1, 0, 10000);
	add(&s, RL_EV_SWITCH_IN, 100, 8, 1, 0, 0);
	add(&s, RL_EV_BLOCK, 500, 8, 1, 0, 0);
	add(&s, RL_EV_SWITCH_OUT, 510, 8, 1, 0, 0);
	add(&s, RL_EV_RESUME, 1510, 8, 1, 0, 0);
	add(&s, RL_EV_SWITCH_IN, 1600, 8, 1, 0, 0);
	add(&s, RL_EV_COMPLETION, 2000, 8, 1, 0, -1);
	csv = run_jobs(&s, RL_JOBS_CSV, NULL);
	is_str(row(csv, 8, 1),
	       "0,10000,2000,2000,-8000,0,0,810,0,0,1,1010,complete,exec-from-intervals",
	       "suspension counted apart, exec = 400 + 410 from intervals, 1010 suspended");
	free(csv);
	rl_trace_free(s.t);

	/* missing completion (lost), missing release (inferred), unfinished at the end */
	s.t = rl_trace_new();
	param(&s, 9, 1000, 5000);
	add(&s, RL_EV_RELEASE, 0, 9, 1, 0, 5000);
	add(&s, RL_EV_RELEASE, 5000, 9, 2, 0, 10000);
	add(&s, RL_EV_SWITCH_IN, 5100, 9, 2, 0, 0);
	add(&s, RL_EV_COMPLETION, 5600, 9, 2, 0, 500);
	add(&s, RL_EV_COMPLETION, 10700, 9, 3, 0, 600);
	add(&s, RL_EV_RELEASE, 15000, 9, 4, 0, 20000);
	csv = run_jobs(&s, RL_JOBS_CSV | RL_JOBS_SUMMARY, &sum);
	is_str(row(csv, 9, 1), "0,5000,,,,,,,0,0,0,0,no-completion,",
	       "job 1: completion lost (job 2 completed), kept and marked");
	is_str(row(csv, 9, 3),
	       "10000,15000,10700,700,-4300,0,0,600,0,0,0,0,complete,release-inferred",
	       "job 3: release inferred from job 2's plus one period");
	is_str(row(csv, 9, 4), "15000,20000,,,,,,,0,0,0,0,incomplete,",
	       "job 4: the trace ended before it completed");
	ok(strstr(sum, "\n9,,1000,5000,4,2,2,0,0.0000,600,650,650,699,700,0,550,600,0,0\n") != NULL,
	   "summary: 4 jobs, 2 completed, response min/mean/p50/p99/max 600/650/650/699/700");
	if (!strstr(sum, "\n9,"))
		diag("summary: %s", sum);
	free(csv);
	free(sum);
	rl_trace_free(s.t);

	/*
	 * Overdue: job 2 of pid 11 has no completion and its deadline (2000)
	 * lies before the trace's last event (4500, another task's): a miss
	 * whose lateness is at least 2500. Job 3's deadline (5000) is after
	 * the end, and job 1 of pid 12's deadline is the last event itself:
	 * neither is counted.
	 */
	for (k = 0; k < 2; k++) {
		s.t = rl_trace_new();
		param(&s, 11, 500, 1000);
		param(&s, 12, 500, 4500);
		add(&s, RL_EV_RELEASE, 0, 12, 1, 1, 4500);
		add(&s, RL_EV_RELEASE, 0, 11, 1, 0, 1000);
		add(&s, RL_EV_SWITCH_IN, 10, 11, 1, 0, 0);
		add(&s, RL_EV_COMPLETION, 400, 11, 1, 0, 390);
		add(&s, RL_EV_SWITCH_OUT, 400, 11, 2, 0, 0);
		add(&s, RL_EV_RELEASE, 1000, 11, 2, 0, 2000);
		add(&s, RL_EV_SWITCH_IN, 1100, 11, 2, 0, 0);
		add(&s, RL_EV_SWITCH_OUT, 1300, 11, 2, 0, 0);
		add(&s, RL_EV_RELEASE, 4000, 11, 3, 0, 5000);
		add(&s, RL_EV_SWITCH_IN, 4500, 12, 1, 1, 0);
		if (k == 1) {
			csv = run_stjs(&s);
			is_str(strchr(csv, '\n') + 1,
			       "# task NAME=<unknown> PID=11 COST=500 PERIOD=1000 CPU=-1\n"
			       "    11,     1,       1000,        400,        0,       -600,       "
			       "   0,"
			       "       0,        390,            0,            0\n"
			       "# task NAME=<unknown> PID=12 COST=500 PERIOD=4500 CPU=-1\n",
			       "--compat unchanged: no row and no miss for the overdue job");
			free(csv);
			rl_trace_free(s.t);
			break;
		}
		csv = run_jobs(&s, RL_JOBS_CSV | RL_JOBS_SUMMARY, &sum);
		is_str(row(csv, 11, 2), "1000,2000,,,2500,2500,1,200,0,0,0,0,incomplete,overdue",
		       "overdue job: dl_miss 1, lateness/tardiness >= last event - deadline");
		is_str(row(csv, 11, 3), "4000,5000,,,,,,,0,0,0,0,incomplete,",
		       "deadline after the trace's end: not a miss");
		is_str(row(csv, 12, 1), "0,4500,,,,,,0,0,0,0,0,incomplete,",
		       "deadline at the last event itself: not a miss");
		ok(strstr(sum,
			  "\n11,,500,1000,3,1,2,1,0.5000,400,400,400,400,400,2500,390,390,0,0\n") !=
			   NULL,
		   "summary: the overdue job is a miss (1 of 2 known), max tardiness 2500");
		ok(strstr(sum, "\n12,,500,4500,1,0,1,0,0.0000,,,,,,,,,0,0\n") != NULL,
		   "summary: a task whose only job is unfinished in time has no miss");
		if (!strstr(sum, "\n11,,500,1000,3,1,2,1,"))
			diag("summary: %s", sum);
		free(csv);
		free(sum);
		rl_trace_free(s.t);
	}

	/* st-job-stats: a job whose completion is not among the next 20 is dropped */
	{
		int late;

		for (late = 19; late <= 20; late++) {
			s.t = rl_trace_new();
			add(&s, RL_EV_RELEASE, 100, 5, 100, 0, 200);
			for (k = 0; k < late; k++)
				add(&s, RL_EV_COMPLETION, 200 + k, 5, 1000 + (uint32_t)k, 0, 1);
			add(&s, RL_EV_COMPLETION, 300, 5, 100, 0, 7);
			csv = run_stjs(&s);
			if (late == 19)
				ok(strstr(csv, "     5,   100,          0,        200,") != NULL,
				   "st-job-stats: completion after 19 others is found");
			else
				ok(strstr(csv, "   100,") == NULL,
				   "st-job-stats: completion after 20 others is not (20-completion "
				   "window)");
			free(csv);
			rl_trace_free(s.t);
		}
	}

	/*
	 * st-job-stats' view of the one model's rows where the tool differs from
	 * the model: a duplicate RELEASE record has its own row, and a job the
	 * model gives up (job 2 completed first) is still found by its completion.
	 */
	s.t = rl_trace_new();
	add(&s, RL_EV_RELEASE, 0, 4, 3, 0, 1000);
	add(&s, RL_EV_RELEASE, 100, 4, 3, 0, 1100);
	add(&s, RL_EV_SWITCH_IN, 150, 4, 3, 0, 0);
	add(&s, RL_EV_COMPLETION, 200, 4, 3, 0, 50);
	add(&s, RL_EV_RELEASE, 1000, 4, 4, 0, 1500);
	add(&s, RL_EV_RELEASE, 1010, 4, 5, 0, 1600);
	add(&s, RL_EV_COMPLETION, 1100, 4, 5, 0, 60);
	add(&s, RL_EV_COMPLETION, 1150, 4, 4, 0, 70);
	csv = run_stjs(&s);
	is_str(strchr(csv, '\n') + 1,
	       "# task NAME=<unknown> PID=4 COST=0 PERIOD=0 CPU=-1\n"
	       "     4,     3,          0,        200,        0,       -800,          0,       0,"
	       "         50,            0,            0\n"
	       "     4,     3,          0,        100,        0,       -900,          0,       0,"
	       "         50,            0,            0\n"
	       "     4,     4,          0,        150,        0,       -350,          0,       0,"
	       "         70,            0,            0\n"
	       "     4,     5,          0,         90,        0,       -500,          0,       0,"
	       "         60,            0,            0\n",
	       "compat: one row per RELEASE record, and the late completion of a given-up job");
	free(csv);
	rl_trace_free(s.t);
	s.t = rl_trace_new();
	add(&s, RL_EV_RELEASE, 1000, 4, 4, 0, 1500);
	add(&s, RL_EV_RELEASE, 1010, 4, 5, 0, 1600);
	add(&s, RL_EV_COMPLETION, 1100, 4, 5, 0, 60);
	add(&s, RL_EV_COMPLETION, 1150, 4, 4, 0, 70);
	csv = run_jobs(&s, RL_JOBS_CSV, NULL);
	is_str(row(csv, 4, 4), "1000,1500,,,,,,,0,0,0,0,no-completion,",
	       "the model itself: job 4 lost its completion when job 5 completed first");
	free(csv);
	rl_trace_free(s.t);

	/* st-job-stats counts a self-suspension as a preemption (on purpose) */
	s.t = rl_trace_new();
	add(&s, RL_EV_RELEASE, 0, 6, 3, 0, 1000);
	add(&s, RL_EV_SWITCH_IN, 10, 6, 3, 0, 0);
	add(&s, RL_EV_BLOCK, 20, 6, 3, 0, 0);
	add(&s, RL_EV_SWITCH_OUT, 30, 6, 3, 0, 0);
	add(&s, RL_EV_RESUME, 40, 6, 3, 0, 0);
	add(&s, RL_EV_SWITCH_IN, 50, 6, 3, 2, 0);
	add(&s, RL_EV_COMPLETION, 60, 6, 3, 2, 40);
	csv = run_stjs(&s);
	ok(strstr(csv, "     6,     3,          0,         60,        0,       -940,          0,   "
		       "    0,         40,            1,            1\n") != NULL,
	   "st-job-stats: block/resume counted as preemption and migration, as the original does");
	free(csv);
	rl_trace_free(s.t);
	done_testing();
	return exit_status();
}
