/* tests/fuzz/fuzz-xentrace.c - the xentrace reader and the xen analysis on any bytes. */
#include <stdint.h>
#include <string.h>

#include "../../readers/readers.h"
#include "../../stats/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_add_job(void *arg, const struct rl_job *job, struct rl_err *err)
{
	return rl_jobs_add(arg, job, err);
}

/* The RTDS periods through the job table: CSV rows and the summary. */
static void fuzz_jobs(struct rl_trace *t, struct rl_xen *x, FILE *out)
{
	struct rl_job_out jo = {.fmt = RL_OUT_TABLE, .want = RL_JOBS_CSV | RL_JOBS_SUMMARY};
	struct rl_jobs *j;
	struct rl_sink *s;
	struct rl_err err;

	rl_err_init(&err);
	j = rl_jobs_new(t, &jo, out, &err);
	if (!j)
		return;
	s = rl_jobs_sink(j);
	if (!rl_xen_each_job(x, fuzz_add_job, j, &err) && !s->finish(s, &err))
		rl_jobs_write_summary(j, out, &err);
	rl_jobs_free(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* automatic detection and clock estimate, then each layout profile forced */
	static const int versions[] = {0, 405, 407, 408, 409, 410, 418};
	struct rl_read_opts ro = {0};
	struct rl_input in;
	struct rl_err err;
	size_t k;

	for (k = 0; k < sizeof(versions) / sizeof(versions[0]); k++) {
		struct rl_trace *t = rl_trace_new();
		struct rl_merge *m;
		struct rl_xen *x;
		struct rl_sink *sink;
		FILE *null;

		if (!t)
			return 0;
		memset(&in, 0, sizeof(in));
		in.path = "fuzz";
		in.buf = data;
		in.len = size;
		ro.xen_version = versions[k];
		ro.cpu_hz = k & 1 ? 1000000000ull : 0;
		rl_err_init(&err);
		m = rl_open_merge(&in, 1, &rl_reader_xentrace, t, &ro, &err);
		x = m ? rl_xen_new(t, &err) : NULL;
		if (x) {
			/* overheads: per PCPU or not, exact samples or counts only */
			struct rl_xen_ovh_opts xo = {.per_cpu = (int)(k & 1),
						     .count_only = (int)(k & 2) >> 1,
						     .keep_rows = 1};

			if (rl_xen_ovh(x, &xo, &err) < 0) {
				rl_xen_free(x);
				x = NULL;
			}
		}
		if (x) {
			sink = rl_xen_sink(x);
			if (!rl_run(m, &sink, 1, NULL, NULL, &err)) {
				null = fopen("/dev/null", "w");
				if (null) {
					rl_xen_write(x, null, RL_XEN_ALL, RL_OUT_TABLE, &err);
					rl_xen_write(x, null, RL_XEN_RTDS, RL_OUT_CSV, &err);
					rl_xen_write_samples(x, null, &err);
					rl_ovh_write_dist(rl_xen_ovh_get(x), null, 0, &err);
					rl_ovh_write_samples(rl_xen_ovh_get(x), null, RL_XOH_SCHED,
							     0, &err);
					fuzz_jobs(t, x, null);
					fclose(null);
				}
			}
		}
		rl_xen_free(x);
		rl_merge_free(m);
		rl_trace_free(t);
	}
	return 0;
}
