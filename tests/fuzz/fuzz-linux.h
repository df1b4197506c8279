/*
 * tests/fuzz/fuzz-linux.h - the body shared by the Linux readers' fuzz targets:
 * one reader on any bytes, then event counts and the Linux job analysis with
 * both of its writers. Included by fuzz-trace-dat.c and fuzz-ftrace-text.c,
 * which only name their reader.
 */
#ifndef RL_FUZZ_LINUX_H
#define RL_FUZZ_LINUX_H

#include <stdint.h>
#include <string.h>

#include "../../readers/readers.h"
#include "../../stats/stats.h"

/* The analyses on one loaded input (a file's bytes, or a CTF directory). */
static inline int fuzz_linux_input(struct rl_input *in, const struct rl_reader_ops *reader)
{
	struct rl_read_opts ro = {.max_inflate = 64u << 20, .ctf_index_secs = 3};
	struct rl_trace *t = rl_trace_new();
	struct rl_merge *m;
	struct rl_jobs *lj;
	struct rl_counts cnt;
	struct rl_sink *sinks[2];
	struct rl_err err;
	FILE *null;

	if (!t)
		return 0;
	rl_err_init(&err);
	m = rl_open_merge(in, 1, reader, t, &ro, &err);
	if (m) {
		rl_counts_init(&cnt);
		struct rl_job_out jo = {.fmt = RL_OUT_JSON,
					.model = RL_JOBS_MODEL_LINUX,
					.want = RL_JOBS_BY_TASK | RL_JOBS_SUMMARY};

		lj = rl_jobs_new(t, &jo, NULL, &err);
		if (lj) {
			sinks[0] = &cnt.sink;
			sinks[1] = rl_jobs_sink(lj);
			if (!rl_run(m, sinks, 2, NULL, NULL, &err)) {
				null = fopen("/dev/null", "w");
				if (null) {
					rl_jobs_write_csv(lj, null, &err);
					rl_jobs_write_summary(lj, null, &err);
					fclose(null);
				}
			}
		}
		rl_jobs_free(lj);
		rl_counts_release(&cnt);
		rl_merge_free(m);
	}
	rl_trace_free(t);
	return 0;
}

static inline int fuzz_linux(const uint8_t *data, size_t size, const struct rl_reader_ops *reader)
{
	struct rl_input in;

	memset(&in, 0, sizeof(in));
	in.path = "fuzz";
	in.buf = data;
	in.len = size;
	return fuzz_linux_input(&in, reader);
}

#endif
