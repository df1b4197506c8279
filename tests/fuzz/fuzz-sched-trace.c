/* tests/fuzz/fuzz-sched-trace.c - the sched_trace reader and both job analyses on any bytes. */
#include <stdint.h>
#include <string.h>

#include "../../readers/readers.h"
#include "../../stats/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rl_input in;
	struct rl_read_opts ro = {0};
	struct rl_trace *t = rl_trace_new();
	struct rl_merge *m;
	struct rl_jobs *jobs;
	struct rl_jobs *stjs;
	struct rl_job_out so;
	struct rl_sink *sinks[2];
	struct rl_err err;
	FILE *null;
	struct rl_job_out jo = {.fmt = RL_OUT_JSON};
	static const int numberings[] = {0, 2010, 2016};
	size_t k;

	if (!t)
		return 0;
	for (k = 0; k < sizeof(numberings) / sizeof(numberings[0]); k++) {
		memset(&in, 0, sizeof(in));
		in.path = "fuzz";
		in.buf = data;
		in.len = size;
		ro.st_format = numberings[k];
		rl_err_init(&err);
		m = rl_open_merge(&in, 1, &rl_reader_schedtrace, t, &ro, &err);
		if (!m)
			continue;
		null = fopen("/dev/null", "w");
		jo.want = RL_JOBS_CSV | RL_JOBS_BY_TASK | RL_JOBS_SUMMARY;
		jo.filter.after_sys_release = (int)(size & 1);
		jobs = null ? rl_jobs_new(t, &jo, null, &err) : NULL;
		so = jo;
		so.want = RL_JOBS_COMPAT;
		stjs = rl_jobs_new(t, &so, NULL, &err);
		if (jobs && stjs) {

			sinks[0] = rl_jobs_sink(jobs);
			sinks[1] = rl_jobs_sink(stjs);
			if (!rl_run(m, sinks, 2, NULL, NULL, &err)) {
				rl_jobs_write_csv(jobs, null, &err);
				rl_jobs_write_summary(jobs, null, &err);
				rl_jobs_write_compat(stjs, null, &err);
			}
		}
		if (null)
			fclose(null);
		rl_jobs_free(jobs);
		rl_jobs_free(stjs);
		rl_merge_free(m);
	}
	rl_trace_free(t);
	return 0;
}
