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

/* A task's line as st-job-stats prints it (its cost and period cut to 32 bits, as there). */
static void stjs_task_rec(const struct rl_trace *t, const struct rl_task *tk,
			  struct rl_stjs_task_rec *rec)
{
	rec->name = tk->name ? rl_strtab_get(t->strs, tk->name) : "<unknown>";
	rec->pid = tk->pid;
	rec->period = tk->has_param ? (uint32_t)tk->period : 0;
	rec->cost = tk->has_param ? (uint32_t)tk->wcet : 0;
	rec->cpu = tk->has_param ? tk->partition : -1;
}

/* Return: 1 if the task of @rec is selected by @fl (-p -n -t). */
static int stjs_task_selected(const struct rl_stjs_task_rec *rec, const struct rl_job_filter *fl)
{
	if (fl->pid && fl->pid != rec->pid)
		return 0;
	if (fl->name && strcmp(rec->name, fl->name))
		return 0;
	if (fl->period && (uint32_t)fl->period != rec->period)
		return 0;
	return 1;
}

/* The printed values of row @r of the task @tk. */
static void stjs_rec(const struct rl_stjs_task_rec *tk, const struct stjs_row *r,
		     struct rl_stjs_rec *rec)
{
	rec->pid = tk->pid;
	rec->job = r->job;
	rec->period = tk->period;
	rec->response = r->response;
	rec->dl_miss = r->lateness > 0;
	rec->lateness = r->lateness;
	rec->tardiness = r->lateness > 0 ? r->lateness : 0;
	rec->forced = (uint32_t)(r->raw & 1);
	rec->acet = r->raw >> 1;
	rec->preemptions = r->preempt;
	rec->migrations = r->migr;
}

/*
 * What a walk over the view calls: @task once per selected task, in print
 * order, then @row for each of its rows (in release order, -r applied).
 */
struct stjs_walk {
	int (*task)(void *arg, const struct rl_stjs_task_rec *tk, struct rl_err *err);
	int (*row)(void *arg, const struct stjs_row *r);
	void *arg;
	uint64_t sys_release;
	int wait;
	struct stjs_row *rows; /* a task whose rows came out of release order */
	uint32_t nrows, cap;
};

static int stjs_walk_row(void *arg, const void *p, struct rl_err *err)
{
	struct stjs_walk *w = arg;
	struct stjs_row r;

	memcpy(&r, p, sizeof(r));
	if (w->wait && r.release < w->sys_release)
		return 0;
	return w->row(w->arg, &r) < 0 ? err->code : 0;
}

static int stjs_row_keep(void *arg, const void *p, struct rl_err *err)
{
	struct stjs_walk *w = arg;

	if (rl_grow((void **)&w->rows, &w->cap, w->nrows + 1, sizeof(*w->rows)))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	memcpy(&w->rows[w->nrows++], p, sizeof(*w->rows));
	return 0;
}

static int stjs_seq_cmp(const void *a, const void *b)
{
	const struct stjs_row *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The rows of @task in release order. */
static int stjs_task_rows(struct rl_stjs_view *v, uint32_t task, struct stjs_walk *w,
			  struct rl_err *err)
{
	uint32_t i;
	int r = 0;

	if (!v->tasks[task].unsorted)
		return rl_rowstore_each(v->rows, task, stjs_walk_row, w, err);
	/* rare (a duplicate RELEASE record after the next job's): sort this task's rows */
	w->nrows = 0;
	r = rl_rowstore_each(v->rows, task, stjs_row_keep, w, err);
	if (r < 0)
		return r;
	qsort(w->rows, w->nrows, sizeof(*w->rows), stjs_seq_cmp);
	for (i = 0; i < w->nrows && !r; i++)
		r = stjs_walk_row(w, &w->rows[i], err);
	return r;
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

/* Walk the view in st-job-stats' order: tasks, each with its rows. */
static int stjs_walk(struct rl_stjs_view *v, const struct rl_job_filter *fl, struct stjs_walk *w,
		     struct rl_err *err)
{
	uint32_t *ord, n = 0, i;
	int r = 0;

	ord = malloc((v->ntasks ? v->ntasks : 1) * sizeof(*ord));
	if (!ord)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	w->sys_release = v->sys_release;
	w->wait = fl->after_sys_release;
	for (i = 0; i < v->ntasks; i++)
		if (v->tasks[i].seen)
			ord[n++] = i;
	qsort_r(ord, n, sizeof(*ord), stjs_order_cmp, v);
	for (i = 0; i < n && !r; i++) {
		struct rl_stjs_task_rec tk;

		stjs_task_rec(v->t, &v->t->tasks[ord[i]], &tk);
		if (!stjs_task_selected(&tk, fl))
			continue;
		r = w->task(w->arg, &tk, err);
		if (!r)
			r = stjs_task_rows(v, ord[i], w, err);
	}
	free(w->rows);
	w->rows = NULL;
	w->nrows = w->cap = 0;
	free(ord);
	return r;
}

static int stjs_text_task(void *arg, const struct rl_stjs_task_rec *tk, struct rl_err *err)
{
	struct stjs_out *o = arg;

	(void)err;
	stjs_flush(o);
	if (o->ms)
		fprintf(o->f, "# task NAME=%s PID=%d COST=%.2f PERIOD=%.2f CPU=%d\n", tk->name,
			tk->pid, stjs_ms(tk->cost), stjs_ms(tk->period), tk->cpu);
	else
		fprintf(o->f, "# task NAME=%s PID=%d COST=%lu PERIOD=%lu CPU=%d\n", tk->name,
			tk->pid, (unsigned long)tk->cost, (unsigned long)tk->period, tk->cpu);
	o->pid = tk->pid;
	o->period = tk->period;
	stjs_col(o->pid_col, &o->pid_len, (uint32_t)o->pid, 5);
	stjs_col(o->per_col, &o->per_len, o->period, 10);
	return 0;
}

static int stjs_text_row(void *arg, const struct stjs_row *r)
{
	stjs_print(arg, r);
	return 0;
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
	struct stjs_out out = {.f = f, .ms = ms};
	struct stjs_walk w = {.task = stjs_text_task, .row = stjs_text_row, .arg = &out};
	int r;

	out.buf = malloc(STJS_BUF);
	if (!out.buf)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	fprintf(f, "#%5s, %5s, %10s, %10s, %8s, %10s, %10s, %7s, %10s, %12s, %12s\n", "Task", "Job",
		"Period", "Response", "DL Miss?", "Lateness", "Tardiness", "Forced?", "ACET",
		"Preemptions", "Migrations");
	r = stjs_walk(v, fl, &w, err);
	stjs_flush(&out);
	free(out.buf);
	if (!r && ferror(f))
		r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write output");
	return r;
}

/* The value walk: the caller's callbacks, and the task whose rows come. */
struct stjs_vals {
	const struct rl_stjs_ops *ops;
	void *arg;
	struct rl_stjs_task_rec tk;
	struct rl_err *err;
};

static int stjs_vals_task(void *arg, const struct rl_stjs_task_rec *tk, struct rl_err *err)
{
	struct stjs_vals *x = arg;

	x->tk = *tk;
	return x->ops->task ? x->ops->task(x->arg, tk, err) : 0;
}

static int stjs_vals_row(void *arg, const struct stjs_row *r)
{
	struct stjs_vals *x = arg;
	struct rl_stjs_rec rec;

	stjs_rec(&x->tk, r, &rec);
	return x->ops->row ? x->ops->row(x->arg, &rec, x->err) : 0;
}

/**
 * rl_stjs_view_each() - st-job-stats' output as values
 * @v:   the view of the finished analysis
 * @fl:  -r -p -n -t as for rl_stjs_view_write()
 * @ops: called with each task line, then each of its rows, in print order
 * @arg: for @ops
 * @err: error out
 *
 * The values are exactly those rl_stjs_view_write() prints (without -m).
 *
 * Return: 0, a negative code, or what a callback returned (negative stops).
 */
int rl_stjs_view_each(struct rl_stjs_view *v, const struct rl_job_filter *fl,
		      const struct rl_stjs_ops *ops, void *arg, struct rl_err *err)
{
	struct stjs_vals x = {.ops = ops, .arg = arg, .err = err};
	struct stjs_walk w = {.task = stjs_vals_task, .row = stjs_vals_row, .arg = &x};

	return stjs_walk(v, fl, &w, err);
}
