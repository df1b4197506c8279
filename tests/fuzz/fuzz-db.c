/*
 * tests/fuzz/fuzz-db.c - the `rtlens db` path on any bytes: the bytes as an
 * experiment-scripts params.py (parsed as a Python literal), and as a trace
 * file of the format they look like (sched_trace when none, or xentrace and
 * CTF, which have their own targets) exported into an in-memory SQLite
 * database: run, slices, job rows, task and run summaries.
 */
#include <stdio.h>
#include <string.h>

#include "../../readers/readers.h"
#include "../../stats/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fz_param(void *arg, const char *key, const char *value, struct rl_err *err)
{
	(void)err;
	*(size_t *)arg += strlen(key) + (value ? strlen(value) : 0); /* None: NULL */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct rl_reader_ops *rd =
		size && (data[0] & 1) ? &rl_reader_ftrace_text : &rl_reader_schedtrace;
	struct rl_read_opts ro = {.max_inflate = 64u << 20};
	struct rl_fileset fs;
	struct rl_trace *t;
	struct rl_merge *m;
	struct rl_jobs *js = NULL, *compat = NULL;
	struct rl_input in;
	struct rl_err err;
	struct rl_db *db;
	size_t nparam = 0;

	rl_err_init(&err);
	rl_params_parse((const char *)data, size, "params.py", fz_param, &nparam, &err);

	t = rl_trace_new();
	if (!t)
		return 0;
	memset(&in, 0, sizeof(in));
	in.path = "fuzz";
	in.buf = data;
	in.len = size;
	rd = rl_reader_detect(&in);
	if (!rd || rd == &rl_reader_xentrace || rd == &rl_reader_ctf)
		rd = &rl_reader_schedtrace;
	memset(&fs, 0, sizeof(fs));
	fs.ins = &in;
	fs.n = 1;
	fs.reader = rd;
	fs.family = rd->family;
	rl_err_init(&err);
	m = rl_open_merge(&in, 1, rd, t, &ro, &err);
	db = m ? rl_db_open(":memory:", 1, &err) : NULL;
	if (db && !rl_db_run_begin(db, &fs, NULL, NULL, t, "fuzz", NULL, 0, &err)) {
		struct rl_job_out jo = {.fmt = RL_OUT_CSV,
					.want = RL_JOBS_ROWS | RL_JOBS_SUMMARY,
					.row_fn = rl_db_job_row,
					.row_arg = db};
		struct rl_job_out co = {.fmt = RL_OUT_CSV, .want = RL_JOBS_COMPAT};
		struct rl_sink *sinks[3];
		size_t n = 0;

		js = rl_jobs_new(t, &jo, NULL, &err);
		if (t->family == RL_FAM_LITMUS)
			compat = rl_jobs_new(t, &co, NULL, &err);
		sinks[n++] = rl_db_slice_sink(db);
		if (js)
			sinks[n++] = rl_jobs_sink(js);
		if (compat)
			sinks[n++] = rl_jobs_sink(compat);
		if (js && !rl_run(m, sinks, n, NULL, NULL, &err))
			rl_db_run_end(db, t, js, compat, &err);
	}
	if (db)
		rl_db_close(db, 0, &err);
	rl_jobs_free(js);
	rl_jobs_free(compat);
	rl_merge_free(m);
	rl_trace_free(t);
	return 0;
}
