/*
 * stats/stjs.c - st-job-stats, reproduced byte for byte: a view of the job rows.
 *
 * The original tool lists, for every RELEASE record of a task (in merged
 * time order), the first COMPLETION among the next 20 of that task whose job
 * number matches, and counts preemptions and migrations over the task's
 * SWITCH_AWAY/SWITCH_TO records of that job between the two. The job
 * analysis (stats/jobs.c) reconstructs the jobs once; with RL_JOBS_COMPAT
 * its rows also carry st-job-stats' counts, the completion's raw word, the
 * RELEASE record's position and whether the completion came too late for
 * the 20-completion window (or a row of a duplicate RELEASE record). This
 * view keeps the rows st-job-stats lists: a RELEASE record, a completion,
 * within the window, and prints them in release order.
 *
 * Tasks are listed in the original's slot order: tasks that have a record
 * dated 0 (NAME, PARAM) first, by pid, then the others in order of first
 * appearance. Unlike the original there is no 512-task limit.
 */
#include "jobs-local.h"

#include <stdlib.h>
#include <string.h>

struct stjs_row {
	uint64_t seq;	  /* the RELEASE record's position: the row order */
	uint64_t release; /* for -r */
	uint64_t response;
	int64_t lateness;
	uint64_t raw; /* exec << 1 | forced */
	uint32_t job;
	uint32_t preempt, migr;
};

/**
 * rl_stjs_view_init() - an empty st-job-stats view
 * @v:      the view
 * @t:      the trace
 * @budget: row store memory budget (0: default)
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_stjs_view_init(struct rl_stjs_view *v, struct rl_trace *t, uint64_t budget)
{
	memset(v, 0, sizeof(*v));
	v->t = t;
	v->rows = rl_rowstore_new(sizeof(struct stjs_row), budget);
	return v->rows ? 0 : -RL_E_NOMEM;
}

/**
 * rl_stjs_view_release() - free what the view holds
 * @v: the view (its struct stays)
 */
void rl_stjs_view_release(struct rl_stjs_view *v)
{
	rl_rowstore_free(v->rows);
	free(v->tasks);
	memset(v, 0, sizeof(*v));
}

/**
 * rl_stjs_view_task() - make room for task @task in the view
 * @v:    the view
 * @task: task index
 * @err:  error out
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_stjs_view_task(struct rl_stjs_view *v, uint32_t task, struct rl_err *err)
{
	if (task < v->ntasks)
		return 0;
	if (rl_grow_zero((void **)&v->tasks, &v->cap_tasks, task + 1, sizeof(*v->tasks)))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	v->ntasks = task + 1;
	return 0;
}

/**
 * rl_stjs_view_add() - a finished job row, kept if st-job-stats lists it
 * @v:   the view
 * @r:   the row (with the st_* fields of RL_JOBS_COMPAT)
 * @err: error out
 *
 * st-job-stats lists a job only from its RELEASE record (no inferred
 * release) to a completion among the task's next 20.
 *
 * Return: 0 or a negative code.
 */
int rl_stjs_view_add(struct rl_stjs_view *v, const struct rl_job *r, struct rl_err *err)
{
	struct stjs_row row;
	struct rl_stjs_task *tk;

	if (r->flags & (RL_JOB_NO_RELEASE | RL_JOB_RELEASE_INFERRED | RL_JOB_ST_LATE) ||
	    r->completion == RL_TIME_UNKNOWN)
		return 0;
	if (r->task >= v->ntasks && rl_stjs_view_task(v, r->task, err))
		return err->code;
	tk = &v->tasks[r->task];
	if (r->st_seq < tk->last_seq)
		tk->unsorted = 1;
	else
		tk->last_seq = r->st_seq;
	row.seq = r->st_seq;
	row.release = (uint64_t)r->release;
	row.response = (uint64_t)r->completion - (uint64_t)r->release;
	row.lateness = (int64_t)((uint64_t)r->completion - (uint64_t)r->deadline);
	row.raw = r->st_raw;
	row.job = r->job;
	row.preempt = r->st_preemptions;
	row.migr = r->st_migrations;
	return rl_rowstore_add(v->rows, r->task, &row, err);
}

/* Rows are formatted into a buffer written in large pieces. */
#define STJS_BUF (64 * 1024)
#define STJS_LINE 256

struct stjs_out {
	FILE *f;
	char *buf;
	size_t len;
	int ms;
	uint32_t period;
	int32_t pid;
	char pid_col[16], per_col[16]; /* " %5u," of pid and period */
	size_t pid_len, per_len;
	uint64_t sys_release;
	int wait;
	struct stjs_row *rows; /* a task whose rows came out of release order */
	uint32_t nrows, cap;
};

static double stjs_ms(int64_t ns)
{
	return (double)ns * 1E-6;
}

/* " %<width>u," of @v into @col (16 bytes). */
static void stjs_col(char *col, size_t *len, uint32_t v, int width)
{
	char *q = col;

	*q++ = ' ';
	q = rl_fmt_u64_w(q, v, width);
	*q++ = ',';
	*len = (size_t)(q - col);
}

static void stjs_flush(struct stjs_out *o)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, o->f);
	o->len = 0;
}

static void stjs_print(struct stjs_out *o, const struct stjs_row *r)
{
	uint64_t exec = r->raw >> 1;
	uint32_t forced = (uint32_t)(r->raw & 1);
	char *line, *q;

	if (o->wait && r->release < o->sys_release)
		return;
	if (o->len > STJS_BUF - STJS_LINE)
		stjs_flush(o);
	line = q = o->buf + o->len;
	if (o->ms) {
		int n = snprintf(
			line, STJS_LINE,
			" %5u, %5u, %10.2f, %10.2f, %8d, %10.2f, %10.2f, %7d, %10.2f, %12u,"
			" %12u\n",
			(unsigned)o->pid, r->job, stjs_ms(o->period), stjs_ms((int64_t)r->response),
			r->lateness > 0, stjs_ms(r->lateness),
			r->lateness > 0 ? stjs_ms(r->lateness) : 0, (int)forced,
			stjs_ms((int64_t)exec), r->preempt, r->migr);

		if (n >= STJS_LINE) {
			/* a line this long needs huge times: print it the plain way */
			stjs_flush(o);
			fprintf(o->f,
				" %5u, %5u, %10.2f, %10.2f, %8d, %10.2f, %10.2f, %7d, %10.2f, %12u,"
				" %12u\n",
				(unsigned)o->pid, r->job, stjs_ms(o->period),
				stjs_ms((int64_t)r->response), r->lateness > 0,
				stjs_ms(r->lateness), r->lateness > 0 ? stjs_ms(r->lateness) : 0,
				(int)forced, stjs_ms((int64_t)exec), r->preempt, r->migr);
		} else {
			o->len += (size_t)n;
		}
		return;
	}
	/* " %5u, %5u, %10llu, %10llu, %8d, %10lld, %10lld, %7d, %10llu, %12u, %12u\n" */
#define STJS_U(width, v)                                                                           \
	do {                                                                                       \
		*q++ = ' ';                                                                        \
		q = rl_fmt_u64_w(q, (v), (width));                                                 \
		*q++ = ',';                                                                        \
	} while (0)
#define STJS_I(width, v)                                                                           \
	do {                                                                                       \
		*q++ = ' ';                                                                        \
		q = rl_fmt_i64_w(q, (v), (width));                                                 \
		*q++ = ',';                                                                        \
	} while (0)
	/* the task's pid and period columns are the same on every row: formatted once */
	memcpy(q, o->pid_col, o->pid_len);
	q += o->pid_len;
	STJS_U(5, r->job);
	memcpy(q, o->per_col, o->per_len);
	q += o->per_len;
	STJS_U(10, r->response);
	STJS_U(8, r->lateness > 0);
	STJS_I(10, r->lateness);
	STJS_I(10, r->lateness > 0 ? r->lateness : 0);
	STJS_U(7, forced);
	STJS_U(10, exec);
	STJS_U(12, r->preempt);
	STJS_U(12, r->migr);
#undef STJS_U
#undef STJS_I
	q[-1] = '\n';
	o->len += (size_t)(q - line);
}

static int stjs_row_out(void *arg, const void *p, struct rl_err *err)
{
	struct stjs_row r;

	(void)err;
	memcpy(&r, p, sizeof(r));
	stjs_print(arg, &r);
	return 0;
}

static int stjs_row_keep(void *arg, const void *p, struct rl_err *err)
{
	struct stjs_out *o = arg;

	if (rl_grow((void **)&o->rows, &o->cap, o->nrows + 1, sizeof(*o->rows)))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	memcpy(&o->rows[o->nrows++], p, sizeof(*o->rows));
	return 0;
}

static int stjs_seq_cmp(const void *a, const void *b)
{
	const struct stjs_row *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The rows of @task in release order. */
static int stjs_task_rows(struct rl_stjs_view *v, uint32_t task, struct stjs_out *o,
			  struct rl_err *err)
{
	uint32_t i;
	int r;

	if (!v->tasks[task].unsorted)
		return rl_rowstore_each(v->rows, task, stjs_row_out, o, err);
	/* rare (a duplicate RELEASE record after the next job's): sort this task's rows */
	o->nrows = 0;
	r = rl_rowstore_each(v->rows, task, stjs_row_keep, o, err);
	if (r < 0)
		return r;
	qsort(o->rows, o->nrows, sizeof(*o->rows), stjs_seq_cmp);
	for (i = 0; i < o->nrows; i++)
		stjs_print(o, &o->rows[i]);
	return 0;
}

static int stjs_order_cmp(const void *a, const void *b, void *arg)
{
	const struct rl_stjs_view *v = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct rl_stjs_task *tx = &v->tasks[x], *ty = &v->tasks[y];

	if (tx->has_zero != ty->has_zero)
		return tx->has_zero ? -1 : 1;
	if (tx->has_zero) {
		int32_t px = v->t->tasks[x].pid, py = v->t->tasks[y].pid;

		if (px != py)
			return px < py ? -1 : 1;
	}
	return tx->first_seq < ty->first_seq ? -1 : tx->first_seq > ty->first_seq;
}

/* The task line of @tk; Return: 1 if the task is selected by @fl. */
static int stjs_task_line(FILE *f, const struct rl_trace *t, const struct rl_task *tk,
			  const struct rl_job_filter *fl, int ms)
{
	const char *name = tk->name ? rl_strtab_get(t->strs, tk->name) : "<unknown>";
	uint32_t per = tk->has_param ? (uint32_t)tk->period : 0;
	uint32_t exe = tk->has_param ? (uint32_t)tk->wcet : 0;
	int cpu = tk->has_param ? tk->partition : -1;

	if (fl->pid && fl->pid != tk->pid)
		return 0;
	if (fl->name && strcmp(name, fl->name))
		return 0;
	if (fl->period && (uint32_t)fl->period != per)
		return 0;
	if (ms)
		fprintf(f, "# task NAME=%s PID=%d COST=%.2f PERIOD=%.2f CPU=%d\n", name, tk->pid,
			stjs_ms(exe), stjs_ms(per), cpu);
	else
		fprintf(f, "# task NAME=%s PID=%d COST=%lu PERIOD=%lu CPU=%d\n", name, tk->pid,
			(unsigned long)exe, (unsigned long)per, cpu);
	return 1;
}

/**
 * rl_stjs_view_write() - print what st-job-stats prints
 * @v:   the view of the finished analysis
 * @f:   output
 * @fl:  -r -p -n -t as st-job-stats has them (period in ns; the CLI
 *       applies st-job-stats' ms conversion)
 * @ms:  -m
 * @err: error out
 *
 * Return: 0 or a negative code.
 */
int rl_stjs_view_write(struct rl_stjs_view *v, FILE *f, const struct rl_job_filter *fl, int ms,
		       struct rl_err *err)
{
	struct stjs_out out = {
		.f = f, .ms = ms, .sys_release = v->sys_release, .wait = fl->after_sys_release};
	uint32_t *ord, n = 0, i;
	int r = 0;

	ord = malloc((v->ntasks ? v->ntasks : 1) * sizeof(*ord));
	out.buf = malloc(STJS_BUF);
	if (!ord || !out.buf) {
		free(ord);
		free(out.buf);
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	}
	for (i = 0; i < v->ntasks; i++)
		if (v->tasks[i].seen)
			ord[n++] = i;
	qsort_r(ord, n, sizeof(*ord), stjs_order_cmp, v);
	fprintf(f, "#%5s, %5s, %10s, %10s, %8s, %10s, %10s, %7s, %10s, %12s, %12s\n", "Task", "Job",
		"Period", "Response", "DL Miss?", "Lateness", "Tardiness", "Forced?", "ACET",
		"Preemptions", "Migrations");
	for (i = 0; i < n && !r; i++) {
		const struct rl_task *tk = &v->t->tasks[ord[i]];

		stjs_flush(&out);
		if (!stjs_task_line(f, v->t, tk, fl, ms))
			continue;
		out.pid = tk->pid;
		out.period = tk->has_param ? (uint32_t)tk->period : 0;
		stjs_col(out.pid_col, &out.pid_len, (uint32_t)out.pid, 5);
		stjs_col(out.per_col, &out.per_len, out.period, 10);
		r = stjs_task_rows(v, ord[i], &out, err);
	}
	stjs_flush(&out);
	free(out.buf);
	free(out.rows);
	free(ord);
	if (!r && ferror(f))
		r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write output");
	return r;
}
