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
 * State is per task; rows go to a row store.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

enum lj_state { LJ_UNKNOWN, LJ_SLEEPING, LJ_ACTIVE };

struct lj_task {
	struct rl_lxjob cur;
	int64_t run_since;
	uint64_t mark_all, mark_cpu; /* lost counters when last seen */
	uint32_t run_cpu, last_cpu, njobs;
	uint8_t state, running, has_cpu, preempted;
};

struct rl_lxjobs {
	struct rl_sink sink;
	struct rl_trace *t;
	struct lj_task *tasks;
	uint32_t ntasks, cap_tasks;
	struct rl_rowstore *rows;
	uint32_t waking_name;
	uint64_t njobs, nswitch;
	uint64_t *lost; /* per cpu: lost-event markers seen */
	uint32_t nlost, cap_lost;
	uint64_t lost_all; /* markers without a cpu */
};

static struct lj_task *lj_task(struct rl_lxjobs *j, uint32_t task)
{
	if (task >= j->ntasks) {
		uint32_t old = j->ntasks;

		if (rl_grow((void **)&j->tasks, &j->cap_tasks, task + 1, sizeof(*j->tasks)))
			return NULL;
		memset(j->tasks + old, 0, (task + 1 - old) * sizeof(*j->tasks));
		j->ntasks = task + 1;
	}
	return &j->tasks[task];
}

static int lj_emit(struct rl_lxjobs *j, struct lj_task *tk, uint32_t flags, struct rl_err *err)
{
	struct rl_lxjob row = tk->cur;

	row.flags |= flags;
	tk->state = flags & RL_LXJOB_LOST ? LJ_UNKNOWN : LJ_SLEEPING;
	j->njobs++;
	return rl_rowstore_add(j->rows, row.task, &row, err);
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
static uint64_t *lj_lost(struct rl_lxjobs *j, uint32_t cpu)
{
	if (cpu > (1u << 20))
		return NULL;
	if (cpu >= j->nlost) {
		uint32_t old = j->nlost;

		if (rl_grow((void **)&j->lost, &j->cap_lost, cpu + 1, sizeof(*j->lost)))
			return NULL;
		memset(j->lost + old, 0, (cpu + 1 - old) * sizeof(*j->lost));
		j->nlost = cpu + 1;
	}
	return &j->lost[cpu];
}

static uint64_t lj_lost_on(const struct rl_lxjobs *j, uint32_t cpu)
{
	return cpu < j->nlost ? j->lost[cpu] : 0;
}

/* Events were lost on the task's CPU since it was last seen: end its job as lost. */
static int lj_check_lost(struct rl_lxjobs *j, struct lj_task *tk, struct rl_err *err)
{
	if (tk->mark_all == j->lost_all &&
	    (!tk->has_cpu || tk->mark_cpu == lj_lost_on(j, tk->last_cpu)))
		return 0;
	tk->mark_all = j->lost_all;
	if (tk->has_cpu)
		tk->mark_cpu = lj_lost_on(j, tk->last_cpu);
	tk->running = 0;
	if (tk->state == LJ_ACTIVE && lj_emit(j, tk, RL_LXJOB_LOST, err))
		return err->code;
	tk->state = LJ_UNKNOWN;
	return 0;
}

/* The task is now known to be on @cpu. */
static void lj_on_cpu(struct rl_lxjobs *j, struct lj_task *tk, uint32_t cpu)
{
	tk->last_cpu = cpu;
	tk->has_cpu = 1;
	tk->mark_cpu = lj_lost_on(j, cpu);
}

static int lj_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_lxjobs *j = (struct rl_lxjobs *)s;
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
	if (lj_check_lost(j, tk, err))
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
		tk->cur.start = tk->cur.end = RL_TIME_UNKNOWN;
		tk->cur.prio = j->t->tasks[ev->task].prio;
		tk->cur.cpu = ev->cpu;
		tk->state = LJ_ACTIVE;
		tk->preempted = 0;
		tk->has_cpu = 0;
		return 0;
	case RL_EV_SWITCH_IN:
		j->nswitch++;
		lj_stop_running(tk, ev->ts);
		if (tk->state == LJ_ACTIVE) {
			if (tk->cur.start == RL_TIME_UNKNOWN) {
				tk->cur.start = ev->ts;
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
			tk->cur.end = ev->ts;
			return lj_emit(j, tk, 0, err);
		}
		tk->state = LJ_SLEEPING;
		return 0;
	default:
		return 0;
	}
}

static int lj_finish(struct rl_sink *s, struct rl_err *err)
{
	struct rl_lxjobs *j = (struct rl_lxjobs *)s;
	uint32_t i;

	for (i = 0; i < j->ntasks; i++) {
		struct lj_task *tk = &j->tasks[i];

		if (lj_check_lost(j, tk, err))
			return err->code;
		if (tk->state != LJ_ACTIVE)
			continue;
		if (tk->running && tk->cur.start != RL_TIME_UNKNOWN)
			tk->cur.flags |= RL_LXJOB_RUNNING_AT_END;
		if (lj_emit(j, tk, RL_LXJOB_INCOMPLETE, err))
			return err->code;
	}
	return 0;
}

/**
 * rl_lxjobs_new() - create the Linux job analysis
 * @t:   the trace whose events will be fed
 * @err: error out
 *
 * Return: the analysis, or NULL with @err set.
 */
struct rl_lxjobs *rl_lxjobs_new(struct rl_trace *t, struct rl_err *err)
{
	struct rl_lxjobs *j = calloc(1, sizeof(*j));

	if (!j)
		goto nomem;
	j->t = t;
	j->sink.event = lj_event;
	j->sink.finish = lj_finish;
	j->rows = rl_rowstore_new(sizeof(struct rl_lxjob), 0);
	j->waking_name = rl_strtab_intern(t->strs, "sched_waking", 12);
	if (!j->rows || !j->waking_name)
		goto nomem;
	return j;
nomem:
	if (j)
		rl_rowstore_free(j->rows);
	free(j);
	rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot allocate Linux job analysis");
	return NULL;
}

/**
 * rl_lxjobs_sink() - the sink to feed events to
 * @j: the analysis
 *
 * Return: its sink.
 */
struct rl_sink *rl_lxjobs_sink(struct rl_lxjobs *j)
{
	return &j->sink;
}

/**
 * rl_lxjobs_free() - free the analysis
 * @j: the analysis (NULL is a no-op)
 */
void rl_lxjobs_free(struct rl_lxjobs *j)
{
	if (!j)
		return;
	free(j->tasks);
	free(j->lost);
	rl_rowstore_free(j->rows);
	free(j);
}

/**
 * rl_lxjobs_count() - number of jobs found
 * @j: the finished analysis
 *
 * Return: jobs emitted (complete, incomplete and lost).
 */
uint64_t rl_lxjobs_count(const struct rl_lxjobs *j)
{
	return j->njobs;
}

/**
 * rl_lxjobs_is_linux() - whether a trace comes from a Linux reader
 * @t: the trace (after opening)
 *
 * Return: 1 for trace.dat, ftrace text and CTF traces.
 */
int rl_lxjobs_is_linux(const struct rl_trace *t)
{
	return !strncmp(t->format, "trace.dat", 9) || !strncmp(t->format, "ftrace", 6) ||
	       !strcmp(t->format, "ctf");
}

/* ------------------------------------------------------------- output */

static int lj_selected(const struct rl_lxjobs *j, const struct rl_job_filter *fl, uint32_t task)
{
	const struct rl_task *tk = &j->t->tasks[task];

	if (fl->pid && tk->pid != fl->pid)
		return 0;
	if (fl->name && strcmp(rl_strtab_get(j->t->strs, tk->name), fl->name))
		return 0;
	return 1;
}

static void lj_time(FILE *f, int64_t v, int ms)
{
	if (v == RL_TIME_UNKNOWN)
		return;
	if (ms)
		fprintf(f, "%.6f", (double)v / 1e6);
	else
		fprintf(f, "%lld", (long long)v);
}

static const char *lj_status(uint32_t fl)
{
	if (fl & RL_LXJOB_LOST)
		return "lost";
	if (fl & RL_LXJOB_INCOMPLETE)
		return "incomplete";
	return "complete";
}

struct lj_out {
	struct rl_lxjobs *j;
	FILE *f;
	const struct rl_job_out *o;
	int64_t *resp, *lat;
	uint32_t nresp, cap_resp, nlat, cap_lat;
	uint64_t jobs, completed, incomplete, preempt, migr, nexec;
	double resp_sum, lat_sum, exec_sum;
	int64_t exec_max, prio;
};

static int lj_csv_row(void *arg, const void *p, struct rl_err *err)
{
	struct lj_out *o = arg;
	struct rl_lxjob r;
	const struct rl_task *tk;
	int ms = o->o->ms;

	(void)err;
	memcpy(&r, p, sizeof(r));
	tk = &o->j->t->tasks[r.task];
	fprintf(o->f, "%d,%s,%u,", tk->pid, rl_strtab_get(o->j->t->strs, tk->name), r.job);
	lj_time(o->f, r.release, ms);
	fputc(',', o->f);
	lj_time(o->f, r.start, ms);
	fputc(',', o->f);
	lj_time(o->f, r.end, ms);
	fputc(',', o->f);
	if (r.end != RL_TIME_UNKNOWN)
		lj_time(o->f, r.end - r.release, ms);
	fputc(',', o->f);
	if (r.start != RL_TIME_UNKNOWN)
		lj_time(o->f, r.start - r.release, ms);
	fputc(',', o->f);
	lj_time(o->f, r.exec, ms);
	fprintf(o->f, ",%u,%u,%u,", r.preemptions, r.migrations, r.cpu);
	if (r.prio != INT64_MIN)
		fprintf(o->f, "%lld", (long long)r.prio);
	fprintf(o->f, ",%s\n", lj_status(r.flags));
	return 0;
}

/**
 * rl_lxjobs_write_csv() - one CSV row per Linux job, grouped by task
 * @j:   the finished analysis
 * @f:   output
 * @o:   filters (pid, name) and units
 * @err: error out
 *
 * Return: 0 or a negative code.
 */
int rl_lxjobs_write_csv(struct rl_lxjobs *j, FILE *f, const struct rl_job_out *o,
			struct rl_err *err)
{
	struct lj_out out = {.j = j, .f = f, .o = o};
	uint32_t nord, *ord = rl_task_order(j->t, &nord), i;
	int r = 0;

	if (!ord)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	fprintf(f, "pid,name,job,activation,start,end,response,sched_latency,exec,preemptions,"
		   "migrations,cpu,prio,status\n");
	for (i = 0; i < j->t->ntasks && !r; i++)
		if (lj_selected(j, &o->filter, ord[i]))
			r = rl_rowstore_each(j->rows, ord[i], lj_csv_row, &out, err);
	free(ord);
	if (!r && ferror(f))
		r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write job table");
	return r;
}

static int lj_sum_row(void *arg, const void *p, struct rl_err *err)
{
	struct lj_out *o = arg;
	struct rl_lxjob r;

	memcpy(&r, p, sizeof(r));
	o->jobs++;
	o->preempt += r.preemptions;
	o->migr += r.migrations;
	if (r.prio != INT64_MIN)
		o->prio = r.prio;
	if (r.start != RL_TIME_UNKNOWN) {
		if (rl_grow((void **)&o->lat, &o->cap_lat, o->nlat + 1, sizeof(*o->lat)))
			goto nomem;
		o->lat[o->nlat++] = r.start - r.release;
		o->lat_sum += (double)(r.start - r.release);
	}
	if (r.flags & (RL_LXJOB_INCOMPLETE | RL_LXJOB_LOST)) {
		o->incomplete++;
		return 0;
	}
	o->completed++;
	if (rl_grow((void **)&o->resp, &o->cap_resp, o->nresp + 1, sizeof(*o->resp)))
		goto nomem;
	o->resp[o->nresp++] = r.end - r.release;
	o->resp_sum += (double)(r.end - r.release);
	o->nexec++;
	o->exec_sum += (double)r.exec;
	if (r.exec > o->exec_max)
		o->exec_max = r.exec;
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
}

/* clang-format off */
static const char *const lj_cols[] = {
	"pid", "name", "prio", "jobs", "completed", "incomplete",
	"resp_min", "resp_mean", "resp_p50", "resp_p99", "resp_max",
	"lat_min", "lat_mean", "lat_p50", "lat_p99", "lat_max",
	"exec_mean", "exec_max", "preemptions", "migrations",
};
/* clang-format on */
#define LJ_NCOLS (sizeof(lj_cols) / sizeof(lj_cols[0]))
#define LJ_CELL 64

static void lj_dist(char (*cells)[LJ_CELL], int64_t *v, uint32_t n, double sum, int ms)
{
	double sc = ms ? 1e-6 : 1, p50, p99;
	int prec = ms ? 3 : 0, c;
	int64_t mn, mx;
	uint32_t i;

	if (!n) {
		for (c = 0; c < 5; c++)
			cells[c][0] = 0;
		return;
	}
	mn = mx = v[0];
	for (i = 1; i < n; i++) {
		if (v[i] < mn)
			mn = v[i];
		if (v[i] > mx)
			mx = v[i];
	}
	p50 = rl_quantile_select(v, n, 0.5);
	p99 = rl_quantile_select(v, n, 0.99);
	snprintf(cells[0], LJ_CELL, "%.*f", prec, (double)mn * sc);
	snprintf(cells[1], LJ_CELL, "%.*f", prec, sum / n * sc);
	snprintf(cells[2], LJ_CELL, "%.*f", prec, p50 * sc);
	snprintf(cells[3], LJ_CELL, "%.*f", prec, p99 * sc);
	snprintf(cells[4], LJ_CELL, "%.*f", prec, (double)mx * sc);
}

/**
 * rl_lxjobs_write_summary() - one line per Linux task: response, latency...
 * @j:   the finished analysis
 * @f:   output
 * @o:   filters, units and format (table, csv, json)
 * @err: error out
 *
 * Response time over complete jobs; scheduling latency over every job that
 * got a CPU; exact percentiles (linear interpolation).
 *
 * Return: 0 or a negative code.
 */
int rl_lxjobs_write_summary(struct rl_lxjobs *j, FILE *f, const struct rl_job_out *o,
			    struct rl_err *err)
{
	uint32_t nord, *ord = rl_task_order(j->t, &nord), i, nl = 0;
	char(*cells)[LJ_NCOLS][LJ_CELL] = calloc(j->t->ntasks ? j->t->ntasks : 1, sizeof(*cells));
	double sc = o->ms ? 1e-6 : 1;
	int prec = o->ms ? 3 : 0, r = 0;

	if (!ord || !cells) {
		r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		goto out;
	}
	for (i = 0; i < j->t->ntasks; i++) {
		struct lj_out acc = {.j = j, .o = o, .prio = INT64_MIN};
		const struct rl_task *tk = &j->t->tasks[ord[i]];
		char(*l)[LJ_CELL];

		if (!lj_selected(j, &o->filter, ord[i]))
			continue;
		r = rl_rowstore_each(j->rows, ord[i], lj_sum_row, &acc, err);
		if (r < 0 || !acc.jobs) {
			free(acc.resp);
			free(acc.lat);
			if (r < 0)
				goto out;
			continue;
		}
		l = cells[nl++];
		snprintf(l[0], LJ_CELL, "%d", tk->pid);
		snprintf(l[1], LJ_CELL, "%s", rl_strtab_get(j->t->strs, tk->name));
		if (acc.prio != INT64_MIN)
			snprintf(l[2], LJ_CELL, "%lld", (long long)acc.prio);
		snprintf(l[3], LJ_CELL, "%llu", (unsigned long long)acc.jobs);
		snprintf(l[4], LJ_CELL, "%llu", (unsigned long long)acc.completed);
		snprintf(l[5], LJ_CELL, "%llu", (unsigned long long)acc.incomplete);
		lj_dist(l + 6, acc.resp, acc.nresp, acc.resp_sum, o->ms);
		lj_dist(l + 11, acc.lat, acc.nlat, acc.lat_sum, o->ms);
		if (acc.nexec) {
			snprintf(l[16], LJ_CELL, "%.*f", prec, acc.exec_sum / acc.nexec * sc);
			snprintf(l[17], LJ_CELL, "%.*f", prec, (double)acc.exec_max * sc);
		}
		snprintf(l[18], LJ_CELL, "%llu", (unsigned long long)acc.preempt);
		snprintf(l[19], LJ_CELL, "%llu", (unsigned long long)acc.migr);
		free(acc.resp);
		free(acc.lat);
	}
	{
		struct rl_table tb = {
			.cols = lj_cols,
			.ncols = LJ_NCOLS,
			.cells = &cells[0][0][0],
			.nrows = nl,
			.cellsz = LJ_CELL,
			.text_col = 1,
			.json_head = o->ms ? "\"unit\":\"ms\",\"model\":\"linux-wakeup\""
					   : "\"unit\":\"ns\",\"model\":\"linux-wakeup\"",
			.note = o->ms ? "(Linux jobs: wake-up to blocking switch-out; times in ms)"
				      : "(Linux jobs: wake-up to blocking switch-out; times in ns)",
		};

		rl_table_write(f, o->fmt, &tb);
	}
	if (ferror(f))
		r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write summary");
out:
	free(cells);
	free(ord);
	return r;
}
