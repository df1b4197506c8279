/*
 * stats/stjs.c - st-job-stats, reproduced byte for byte, streaming.
 *
 * The original tool lists, for every RELEASE record of a task (in merged
 * time order), the first COMPLETION among the next 20 of that task whose job
 * number matches, and counts preemptions and migrations over the task's
 * SWITCH_AWAY/SWITCH_TO records of that job between the two. Here each
 * RELEASE opens a pending entry that later records of the task update; an
 * entry ends with its row, or silently after 20 other completions or at the
 * end of the trace, exactly as the original skips such jobs. Rows are kept
 * in release order per task and spilled to a row store.
 *
 * Tasks are listed in the original's slot order: tasks that have a record
 * dated 0 (NAME, PARAM) first, by pid, then the others in order of first
 * appearance. Unlike the original there is no 512-task limit.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#define STJS_MAX_COMPLETIONS 20

struct stjs_row {
	uint64_t release; /* for -r */
	uint64_t response;
	int64_t lateness;
	uint64_t exec;
	uint32_t job;
	uint32_t preempt, migr;
	uint32_t forced;
};

struct stjs_pend {
	struct stjs_row row;
	uint64_t deadline;
	uint32_t job;
	uint32_t ncompl;
	uint32_t last_cpu;
	uint8_t seen_away, resolved, has_row;
};

struct stjs_task {
	struct stjs_pend *p;
	uint32_t n, cap;
	uint64_t first_seq;
	uint8_t seen, has_zero;
};

struct rl_stjs {
	struct rl_sink sink;
	struct rl_trace *t;
	struct stjs_task *tasks;
	uint32_t ntasks, cap_tasks;
	struct rl_rowstore *rows;
	uint64_t seq;
	uint64_t sys_release;
	int has_sys_release;
};

static int stjs_flush(struct rl_stjs *s, uint32_t task, struct stjs_task *tk, int all,
		      struct rl_err *err)
{
	uint32_t k = 0;
	int r;

	while (k < tk->n && (tk->p[k].resolved || all)) {
		if (tk->p[k].has_row) {
			r = rl_rowstore_add(s->rows, task, &tk->p[k].row, err);
			if (r < 0)
				return r;
		}
		k++;
	}
	if (k) {
		memmove(tk->p, tk->p + k, (tk->n - k) * sizeof(*tk->p));
		tk->n -= k;
	}
	return 0;
}

static int stjs_event(struct rl_sink *sink, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_stjs *s = (struct rl_stjs *)sink;
	struct stjs_task *tk;
	uint32_t i;

	s->seq++;
	if (ev->task == RL_NO_TASK) {
		if (ev->type == RL_EV_SYS_RELEASE && !s->has_sys_release) {
			s->has_sys_release = 1;
			s->sys_release = (uint64_t)ev->arg;
		}
		return 0;
	}
	if (ev->task >= s->ntasks) {
		uint32_t old = s->ntasks;

		if (rl_grow((void **)&s->tasks, &s->cap_tasks, ev->task + 1, sizeof(*s->tasks)))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		memset(s->tasks + old, 0, (ev->task + 1 - old) * sizeof(*s->tasks));
		s->ntasks = ev->task + 1;
	}
	tk = &s->tasks[ev->task];
	if (!tk->seen) {
		tk->seen = 1;
		tk->first_seq = s->seq;
	}
	if (ev->ts == 0)
		tk->has_zero = 1;
	switch (ev->type) {
	case RL_EV_SWITCH_IN:
	case RL_EV_SWITCH_OUT:
		for (i = 0; i < tk->n; i++) {
			struct stjs_pend *p = &tk->p[i];

			if (p->resolved || p->job != ev->job)
				continue;
			if (ev->type == RL_EV_SWITCH_OUT) {
				p->seen_away = 1;
				p->last_cpu = ev->cpu;
			} else if (p->seen_away) {
				p->row.preempt++;
				if (ev->cpu != p->last_cpu)
					p->row.migr++;
			}
		}
		return 0;
	case RL_EV_COMPLETION:
		for (i = 0; i < tk->n; i++) {
			struct stjs_pend *p = &tk->p[i];
			uint64_t raw = (uint64_t)ev->arg2;

			if (p->resolved)
				continue;
			if (p->job == ev->job) {
				p->resolved = 1;
				p->has_row = 1;
				p->row.response = (uint64_t)ev->ts - p->row.release;
				p->row.lateness = (int64_t)((uint64_t)ev->ts - p->deadline);
				p->row.forced = (uint32_t)(raw & 1);
				p->row.exec = raw >> 1;
			} else if (++p->ncompl >= STJS_MAX_COMPLETIONS) {
				p->resolved = 1;
			}
		}
		return stjs_flush(s, ev->task, tk, 0, err);
	case RL_EV_RELEASE: {
		struct stjs_pend *p;

		if (rl_grow((void **)&tk->p, &tk->cap, tk->n + 1, sizeof(*tk->p)))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		p = &tk->p[tk->n++];
		memset(p, 0, sizeof(*p));
		p->job = ev->job;
		p->row.job = ev->job;
		p->row.release = (uint64_t)ev->ts;
		p->deadline = (uint64_t)ev->arg;
		return 0;
	}
	default:
		return 0;
	}
}

static int stjs_finish(struct rl_sink *sink, struct rl_err *err)
{
	struct rl_stjs *s = (struct rl_stjs *)sink;
	uint32_t i;
	int r;

	for (i = 0; i < s->ntasks; i++) {
		r = stjs_flush(s, i, &s->tasks[i], 1, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/**
 * rl_stjs_new() - create the st-job-stats emulation
 * @t:   the trace
 * @err: error out
 *
 * Return: the analysis, or NULL with @err set.
 */
struct rl_stjs *rl_stjs_new(struct rl_trace *t, struct rl_err *err)
{
	struct rl_stjs *s = calloc(1, sizeof(*s));

	if (!s)
		goto nomem;
	s->t = t;
	s->sink.event = stjs_event;
	s->sink.finish = stjs_finish;
	s->rows = rl_rowstore_new(sizeof(struct stjs_row), 0);
	if (!s->rows)
		goto nomem;
	return s;
nomem:
	free(s);
	rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot allocate st-job-stats emulation");
	return NULL;
}

/**
 * rl_stjs_sink() - the sink to feed
 * @s: the analysis
 *
 * Return: its sink.
 */
struct rl_sink *rl_stjs_sink(struct rl_stjs *s)
{
	return &s->sink;
}

/**
 * rl_stjs_free() - free the analysis
 * @s: the analysis (NULL is a no-op)
 */
void rl_stjs_free(struct rl_stjs *s)
{
	uint32_t i;

	if (!s)
		return;
	for (i = 0; i < s->ntasks; i++)
		free(s->tasks[i].p);
	free(s->tasks);
	rl_rowstore_free(s->rows);
	free(s);
}

/**
 * rl_stjs_sys_release() - the first SYS_RELEASE's release instant
 * @s:   the analysis
 * @rel: receives it
 *
 * Return: 1 if there was one, else 0.
 */
int rl_stjs_sys_release(const struct rl_stjs *s, uint64_t *rel)
{
	if (s->has_sys_release)
		*rel = s->sys_release;
	return s->has_sys_release;
}

struct stjs_out {
	FILE *f;
	int ms;
	uint32_t period;
	int32_t pid;
	uint64_t sys_release;
	int wait;
};

static double stjs_ms(int64_t ns)
{
	return (double)ns * 1E-6;
}

static int stjs_row_out(void *arg, const void *p, struct rl_err *err)
{
	struct stjs_out *o = arg;
	struct stjs_row r;

	(void)err;
	memcpy(&r, p, sizeof(r));
	if (o->wait && r.release < o->sys_release)
		return 0;
	if (o->ms)
		fprintf(o->f,
			" %5u, %5u, %10.2f, %10.2f, %8d, %10.2f, %10.2f, %7d, %10.2f, %12u, %12u\n",
			(unsigned)o->pid, r.job, stjs_ms(o->period), stjs_ms((int64_t)r.response),
			r.lateness > 0, stjs_ms(r.lateness),
			r.lateness > 0 ? stjs_ms(r.lateness) : 0, (int)r.forced,
			stjs_ms((int64_t)r.exec), r.preempt, r.migr);
	else {
		/* " %5u, %5u, %10llu, %10llu, %8d, %10lld, %10lld, %7d, %10llu, %12u, %12u\n" */
		char line[256], *q = line;

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
		STJS_U(5, (uint32_t)o->pid);
		STJS_U(5, r.job);
		STJS_U(10, o->period);
		STJS_U(10, r.response);
		STJS_U(8, r.lateness > 0);
		STJS_I(10, r.lateness);
		STJS_I(10, r.lateness > 0 ? r.lateness : 0);
		STJS_U(7, r.forced);
		STJS_U(10, r.exec);
		STJS_U(12, r.preempt);
		STJS_U(12, r.migr);
#undef STJS_U
		q[-1] = '\n';
		fwrite(line, 1, (size_t)(q - line), o->f);
	}
	return 0;
}

static int stjs_order_cmp(const void *a, const void *b, void *arg)
{
	const struct rl_stjs *s = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct stjs_task *tx = &s->tasks[x], *ty = &s->tasks[y];

	if (tx->has_zero != ty->has_zero)
		return tx->has_zero ? -1 : 1;
	if (tx->has_zero) {
		int32_t px = s->t->tasks[x].pid, py = s->t->tasks[y].pid;

		if (px != py)
			return px < py ? -1 : 1;
	}
	return tx->first_seq < ty->first_seq ? -1 : tx->first_seq > ty->first_seq;
}

/**
 * rl_stjs_write() - print what st-job-stats prints
 * @s:   the finished analysis
 * @f:   output
 * @o:   -r -m -p -n -t as st-job-stats has them (period in ns; the CLI
 *       applies st-job-stats' ms conversion)
 * @err: error out
 *
 * Return: 0 or a negative code.
 */
int rl_stjs_write(struct rl_stjs *s, FILE *f, const struct rl_job_out *o, struct rl_err *err)
{
	struct stjs_out out = { .f = f, .ms = o->ms, .sys_release = s->sys_release,
				.wait = o->filter.after_sys_release };
	uint32_t *ord, n = 0, i;
	int r = 0;

	ord = malloc((s->ntasks ? s->ntasks : 1) * sizeof(*ord));
	if (!ord)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	for (i = 0; i < s->ntasks; i++)
		if (s->tasks[i].seen)
			ord[n++] = i;
	qsort_r(ord, n, sizeof(*ord), stjs_order_cmp, s);
	fprintf(f, "#%5s, %5s, %10s, %10s, %8s, %10s, %10s, %7s, %10s, %12s, %12s\n", "Task", "Job",
		"Period", "Response", "DL Miss?", "Lateness", "Tardiness", "Forced?", "ACET",
		"Preemptions", "Migrations");
	for (i = 0; i < n && !r; i++) {
		const struct rl_task *tk = &s->t->tasks[ord[i]];
		const char *name = tk->name ? rl_strtab_get(s->t->strs, tk->name) : "<unknown>";
		uint32_t per = tk->has_param ? (uint32_t)tk->period : 0;
		uint32_t exe = tk->has_param ? (uint32_t)tk->wcet : 0;
		int cpu = tk->has_param ? tk->partition : -1;

		if (o->filter.pid && o->filter.pid != tk->pid)
			continue;
		if (o->filter.name && strcmp(name, o->filter.name))
			continue;
		if (o->filter.period && (uint32_t)o->filter.period != per)
			continue;
		if (o->ms)
			fprintf(f, "# task NAME=%s PID=%d COST=%.2f PERIOD=%.2f CPU=%d\n", name,
				tk->pid, stjs_ms(exe), stjs_ms(per), cpu);
		else
			fprintf(f, "# task NAME=%s PID=%d COST=%lu PERIOD=%lu CPU=%d\n", name,
				tk->pid, (unsigned long)exe, (unsigned long)per, cpu);
		out.pid = tk->pid;
		out.period = per;
		r = rl_rowstore_each(s->rows, ord[i], stjs_row_out, &out, err);
	}
	free(ord);
	if (!r && ferror(f))
		r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write output");
	return r;
}
