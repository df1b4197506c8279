/*
 * tests/unit-linux-jobs.c - the Linux job model on hand-made event streams:
 * activation by wake-up (waking first), end at a blocking switch-out,
 * preemptions, migrations, lost events, and the summary's percentiles
 * against a sort of the same values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../stats/stats.h"
#include "tap.h"

static struct rl_event mk(int type, int64_t ts, uint32_t task, uint32_t cpu, uint8_t flags)
{
	struct rl_event e;

	memset(&e, 0, sizeof(e));
	e.type = (uint8_t)type;
	e.ts = ts;
	e.task = task;
	e.task2 = RL_NO_TASK;
	e.cpu = cpu;
	e.flags = flags;
	e.arg = -1;
	e.arg2 = 19;
	return e;
}

static int feed(struct rl_sink *s, struct rl_event e)
{
	struct rl_err err;

	rl_err_init(&err);
	return s->event(s, &e, &err);
}

static char *run_csv(struct rl_jobs *j, int summary)
{
	struct rl_err err;
	char **buf = calloc(1, sizeof(*buf)), *out;
	size_t len = 0;
	FILE *f = open_memstream(buf, &len);

	rl_err_init(&err);
	if (summary)
		rl_jobs_write_summary(j, f, &err);
	else
		rl_jobs_write_csv(j, f, &err);
	fclose(f);
	out = *buf;
	free(buf);
	return out;
}

/* The Linux job model through the common job writer (CSV rows by task and summary). */
static struct rl_jobs *lx_new(struct rl_trace *t, struct rl_err *err)
{
	struct rl_job_out o = {.fmt = RL_OUT_CSV,
			       .model = RL_JOBS_MODEL_LINUX,
			       .want = RL_JOBS_BY_TASK | RL_JOBS_SUMMARY};

	return rl_jobs_new(t, &o, NULL, err);
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	struct rl_trace *t = rl_trace_new();
	struct rl_jobs *j;
	struct rl_sink *s;
	struct rl_err err;
	uint32_t a, b;
	uint32_t waking;
	char *csv;
	int k;

	rl_err_init(&err);
	a = rl_trace_task(t, 100);
	b = rl_trace_task(t, 200);
	t->tasks[a].name = rl_strtab_intern(t->strs, "a", 1);
	t->tasks[b].name = rl_strtab_intern(t->strs, "b", 1);
	j = lx_new(t, &err);
	ok(j != NULL, "analysis created");
	s = rl_jobs_sink(j);
	waking = rl_strtab_intern(t->strs, "sched_waking", 12);

	/* job 1 of a: waking at 1000, wakeup at 1100 (ignored), runs 1500..2000 on
	 * cpu 0, preempted (runnable), runs again 3000..3500 on cpu 1, blocks */
	{
		struct rl_event w = mk(RL_EV_OTHER, 1000, a, 0, 0);

		w.name = waking;
		feed(s, w);
	}
	feed(s, mk(RL_EV_WAKEUP, 1100, a, 0, 0));
	feed(s, mk(RL_EV_SWITCH_IN, 1500, a, 0, RL_EVF_DERIVED));
	feed(s, mk(RL_EV_SWITCH_OUT, 2000, a, 0, 0));
	feed(s, mk(RL_EV_WAKEUP, 2500, a, 0, 0)); /* runnable: not an activation */
	feed(s, mk(RL_EV_SWITCH_IN, 3000, a, 1, RL_EVF_DERIVED));
	feed(s, mk(RL_EV_SWITCH_OUT, 3500, a, 1, RL_EVF_BLOCKED));
	/* b runs before any wake-up: no job; then a job cut by lost events */
	feed(s, mk(RL_EV_SWITCH_IN, 3600, b, 1, RL_EVF_DERIVED));
	feed(s, mk(RL_EV_SWITCH_OUT, 3700, b, 1, RL_EVF_BLOCKED));
	feed(s, mk(RL_EV_WAKEUP, 4000, b, 1, 0));
	feed(s, mk(RL_EV_SWITCH_IN, 4100, b, 1, RL_EVF_DERIVED));
	feed(s, mk(RL_EV_LOST, 4200, RL_NO_TASK, 1, 0));
	feed(s, mk(RL_EV_SWITCH_OUT, 4300, b, 1, RL_EVF_BLOCKED));
	/* a's second job never ends */
	feed(s, mk(RL_EV_WAKEUP, 5000, a, 0, 0));
	feed(s, mk(RL_EV_SWITCH_IN, 5200, a, 0, RL_EVF_DERIVED));
	is_int(s->finish(s, &err), 0, "finish");
	csv = run_csv(j, 0);
	is_str(csv,
	       "pid,name,job,activation_ns,start_ns,end_ns,response_ns,sched_latency_ns,exec_ns,"
	       "preemptions,migrations,cpu,prio,status\n"
	       "100,a,1,1000,1500,3500,2500,500,1000,1,1,1,19,complete\n"
	       "100,a,2,5000,5200,,,200,0,0,0,0,19,incomplete\n"
	       "200,b,1,4000,4100,,,100,0,0,0,1,19,lost\n",
	       "jobs: waking activates, preemption and migration counted, lost and incomplete");
	free(csv);
	rl_jobs_free(j);

	/* percentiles by selection equal those of a sort, duplicates included */
	for (k = 0; k < 40; k++) {
		uint32_t n = 1 + (uint32_t)(rand() % (k < 20 ? 9 : 3000)), i;
		int64_t *v = malloc(n * sizeof(*v)), ts = 0;
		char want[256], *line;
		int dup = k % 3 == 0;

		j = lx_new(t, &err);
		s = rl_jobs_sink(j);
		for (i = 0; i < n; i++) {
			int64_t lat = dup ? (rand() % 4) * 10 : rand() % 100000;

			v[i] = lat;
			ts += 1000000;
			feed(s, mk(RL_EV_WAKEUP, ts, a, 0, 0));
			feed(s, mk(RL_EV_SWITCH_IN, ts + lat, a, 0, RL_EVF_DERIVED));
			feed(s, mk(RL_EV_SWITCH_OUT, ts + lat + 5, a, 0, RL_EVF_BLOCKED));
		}
		s->finish(s, &err);
		qsort(v, n, sizeof(*v), cmp64);
		snprintf(want, sizeof(want), ",%.0f,%.0f,%.0f,", rl_quantile_sorted(v, n, 0.5),
			 rl_quantile_sorted(v, n, 0.99), (double)v[n - 1]);
		csv = run_csv(j, 1);
		line = strchr(csv, '\n');
		/* lat_p50, lat_p99, lat_max are columns 14..16 */
		if (line) {
			char *c = line + 1;
			int col = 0;

			while (*c && col < 13) {
				if (*c == ',')
					col++;
				c++;
			}
			ok(!strncmp(c - 1, want, strlen(want)), "n=%u%s: p50/p99/max = %s", n,
			   dup ? " (duplicates)" : "", want);
		} else {
			ok(0, "summary line");
		}
		free(csv);
		free(v);
		rl_jobs_free(j);
	}
	rl_trace_free(t);
	done_testing();
	return exit_status();
}
