/* cli/cmd-db.c - `rtlens db`: one run into an SQLite database. */
#include "cli.h"
#include "../readers/feather-trace.h"
#include "../readers/cyclictest.h"

#include <libgen.h>
#include <limits.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RL_VERSION
#define RL_VERSION "0.1"
#endif

static const char db_help[] =
	"usage: rtlens db -o OUT.db [OPTIONS] FILE|DIR...\n\n"
	"Write one run (the files of one recording) into an SQLite database.\n"
	"A DIR stands for the trace files in it (not *.txt, *.py, *.md, *.log, *.csv,\n"
	"*.json, *.db or hidden files), in name order; a CTF trace directory (a\n"
	"metadata file in it, or only folders) is read as one input.\n\n"
	"Tables (STRICT; times in integer ns, NULL when unknown):\n"
	"  meta          tool and schema version, the options that change results\n"
	"  run           run (the integer key every table carries), run_id (FNV-1a 64\n"
	"                of the inputs' contents: the views give it), files, format, family\n"
	"  run_param     key=value parts of the file and folder names, and the folder's\n"
	"                params.py (read as a Python literal, never executed)\n"
	"  source_file   path, size, sha256 (as sha256sum), fnv1a64, format, cpu, records\n"
	"  cpu, task     the CPUs and tasks of the trace\n"
	"  sched_slice   who ran on which CPU: ts, dur, cpu, task, end_state (completed,\n"
	"                blocked, preempted, switched: no switch-out; running at the end)\n"
	"  job           every job row of 'rtlens jobs' (status and flags as in its CSV)\n"
	"  linux_job     Linux traces: the jobs of 'rtlens jobs --linux-jobs'\n"
	"  lost_range, anomaly  the trace's warnings (first few of each kind)\n"
	"  stats         data-quality counters (name, idx, severity, source, value)\n"
	"  overhead_stats  Feather-Trace: 'rtlens overheads' series (raw cycles or ns:\n"
	"                n, min, max, mean, median, stddev, var, p90-p99.9, discards)\n"
	"  overhead_sample every sample of those series, exact, kept or discarded: status\n"
	"                kept or the discard reason (irq, seq_hole, non_rt, incomplete,\n"
	"                negative, orphan_end...: overhead_stats counts these rows), idx\n"
	"                its place among the series' samples in file order, value NULL\n"
	"                when it has one record only (incomplete, seq_hole, orphan_end)\n"
	"  histogram     the kept samples' counts in fixed buckets (exact below 16,\n"
	"                then 8 per power of two: runs add up bucket by bucket),\n"
	"                cumulative share\n"
	"  clock_offset  per-CPU clock offsets as rtlens skew estimates them (Feather-Trace\n"
	"                IPIs in cycles, Linux task migrations in ns)\n"
	"  st_job_stats_task, st_job_stats_row  what 'rtlens jobs --compat' prints, as\n"
	"                values (sched_trace only)\n"
	"  job_totals    per run: jobs, misses, miss ratio, max/mean tardiness and\n"
	"                response (what run_summary shows)\n"
	"cyclictest results (rt-tests' --histfile text or --json) are a run of their\n"
	"own: per thread its buckets in histogram (group FILE:THREAD, the overflows as\n"
	"one row up to the exact max), its statistics in overhead_stats (event\n"
	"cyclictest), and the JSON header (cmdline, rt_test_version, sysinfo...) in\n"
	"run_param (origin rt-tests).\n"
	"A run of sched_trace and Feather-Trace files (schedule_* and overheads_* of\n"
	"one recording) gives its jobs from the first and its overheads from the second.\n"
	"Views: st_job_stats ('rtlens jobs --compat' rows), st_job_stats_text (its\n"
	"text, line by line: SELECT line FROM st_job_stats_text gives it byte for byte),\n"
	"task_summary ('rtlens jobs --summary'), run_summary (one row per run: every\n"
	"parameter as a column, jobs, misses, miss ratio, max/mean tardiness, max/mean\n"
	"response, per overhead event n, max and p99.9).\n"
	"The same inputs and options give a byte-identical file.\n\n"
	"Options:\n"
	"  -o, --output FILE     the database (required; written atomically, replaced)\n"
	"      --run NAME        the run NAME of the trees given (as rtlens batch --list\n"
	"                        names them): the same rows as rtlens batch writes for it\n"
	"  -h, --help            this help\n" RL_INPUT_HELP RL_SKEW_HELP;

static int db_xen_add(void *arg, const struct rl_job *job, struct rl_err *err)
{
	return rl_jobs_add(arg, job, err);
}

/*
 * Read the run into the job analyses and the sched_slice sink (for Xen,
 * the RTDS analysis, whose server periods then go to the job analysis).
 * Return: 0 or negative.
 */
static int db_read(struct rl_open *o, struct rl_db *db, struct rl_jobs **js, size_t n,
		   struct rl_err *err)
{
	struct rl_sink *sinks[5];
	struct rl_xen *x;
	size_t i;
	int r;

	sinks[0] = rl_db_slice_sink(db);
	if (o->t->family != RL_FAM_XEN) {
		struct rl_skew_lx_stats st;
		struct rl_sink *skew = NULL;
		struct rl_skew_result res;
		struct rl_skew_est e;

		for (i = 0; i < n; i++)
			sinks[i + 1] = rl_jobs_sink(js[i]);
		/* Linux: the clock offsets rtlens skew estimates from task migrations */
		rl_skew_est_init(&e);
		memset(&res, 0, sizeof(res));
		if (o->t->family == RL_FAM_LINUX) {
			skew = rl_skew_lx_new(o->t, &e, &st, err);
			if (!skew) {
				rl_skew_est_release(&e);
				return err->code;
			}
			sinks[++n] = skew;
		}
		r = rl_run_sinks(o, sinks, n + 1) ? -RL_E_CORRUPT : 0;
		if (!r && skew && st.pairs && o->t->ncpu) {
			r = rl_skew_est_reserve(&e, o->t->ncpu, err);
			if (!r)
				r = rl_skew_est_solve(&e, 0, &res, err);
			if (!r)
				r = rl_db_add_clock_offsets(db, &res, "linux-migrations", "ns",
							    err);
			rl_skew_result_release(&res);
		}
		rl_skew_lx_free(skew);
		rl_skew_est_release(&e);
		return r < 0 ? r : 0;
	}
	x = rl_xen_new(o->t, err);
	if (!x)
		return err->code;
	sinks[1] = rl_xen_sink(x);
	r = rl_run_sinks(o, sinks, 2) ? -RL_E_CORRUPT : 0;
	if (!r)
		r = rl_xen_each_job(x, db_xen_add, js[0], err);
	if (!r) {
		struct rl_sink *s = rl_jobs_sink(js[0]);

		r = s->finish(s, err);
	}
	rl_xen_free(x);
	return r < 0 ? r : 0;
}

/*
 * Feather-Trace: the per-CPU clock offsets `rtlens skew` estimates from the
 * IPIs of the msg files (none without them). Return: 0 or negative.
 */
static int db_clock_offsets(struct rl_db *db, const struct rl_ft_set *set, struct rl_err *err)
{
	struct rl_skew_ft_stats st;
	struct rl_skew_result res;
	struct rl_skew_est e;
	int r;

	memset(&res, 0, sizeof(res));
	rl_skew_est_init(&e);
	r = rl_skew_ft_pairs(set, &e, &st, err);
	if (!r && st.pairs && e.ncpu) {
		r = rl_skew_est_solve(&e, 0, &res, err);
		if (!r)
			r = rl_db_add_clock_offsets(db, &res, "feather-trace-ipi", "cycles", err);
		rl_skew_result_release(&res);
	}
	rl_skew_est_release(&e);
	return r < 0 ? r : 0;
}

/*
 * Feather-Trace: the overhead report of `rtlens overheads` (its default
 * options: groups by file name without cpu, msg and seq) into
 * overhead_stats. Return: 0 or negative.
 */
static int db_overheads(struct rl_db *db, char **paths, size_t n, const struct rl_input_opts *io,
			int threads, struct rl_err *err)
{
	struct rl_ft_set_opts so = {&io->ro, io->reader && !strcmp(io->reader, "feather-trace")};
	/* the statistics from counts, as rtlens overheads; every sample, discards too, logged */
	struct rl_ovh_opts oo = {
		.only_cpu = -1, .avoid_cpu = -1, .count_only = 1, .log_samples = 1};
	/* its own trace: the pipeline has reported these files' warnings already */
	struct rl_trace *t = rl_trace_new();
	struct rl_ft_set set = {0};
	struct rl_ovh *h = NULL;
	int r;

	if (!t)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	r = rl_ft_set_open(&set, paths, (int)n, &so, t, err);
	if (!r) {
		h = rl_ovh_new(&oo, err);
		r = h ? 0 : err->code;
	}
	if (!r)
		r = rl_ovh_add_set(h, &set, "cpu,msg,seq", threads, t, err);
	if (!r)
		r = rl_db_add_overheads(db, h, err);
	if (!r)
		r = db_clock_offsets(db, &set, err);
	rl_ovh_free(h);
	rl_ft_set_close(&set);
	rl_trace_free(t);
	return r < 0 ? r : 0;
}

/* Bytes of rows each job analysis of rtlens db keeps in memory (jo[] in db_fill()). */
#define DB_MEM_BUDGET (RL_ROWSTORE_BUDGET / 2)

/*
 * The run into @db: the records model's jobs (table job, and task_summary),
 * st-job-stats' view of them (sched_trace), and for Linux traces the
 * wake-up model's jobs (table linux_job). Return: 0 or an exit code with
 * the error printed.
 */
static int db_fill(struct rl_db *db, struct rl_open *o, const struct rl_paths *in,
		   const struct rl_fileset *xfs, const struct rl_paths *ft, const char *name,
		   const struct rl_input_opts *io, const struct rl_db_opt *opts, size_t nopts,
		   int threads)
{
	/*
	 * Half the default row-store budget: the summary's response store and
	 * the st-job-stats view fill theirs on a long run, beside SQLite's
	 * 32 MiB page cache (10 M jobs: peak RSS 201 MB with 64 MiB each).
	 */
	struct rl_job_out jo[3] = {
		{.fmt = RL_OUT_CSV,
		 .want = RL_JOBS_ROWS | RL_JOBS_SUMMARY,
		 .mem_budget = DB_MEM_BUDGET,
		 .row_fn = rl_db_job_row,
		 .row_arg = db},
		{.fmt = RL_OUT_CSV, .want = RL_JOBS_COMPAT, .mem_budget = DB_MEM_BUDGET},
		{.model = RL_JOBS_MODEL_LINUX,
		 .want = RL_JOBS_ROWS,
		 .row_fn = rl_db_linux_job_row,
		 .row_arg = db},
	};
	struct rl_jobs *js[3] = {NULL, NULL, NULL}, *compat = NULL;
	struct rl_err err;
	size_t n = 0, i;
	int r;

	rl_err_init(&err);
	r = rl_db_run_begin(db, &o->fs, xfs, name, o->t, RL_VERSION, opts, nopts, &err);
	for (i = 0; i < 3 && !r; i++) {
		/* st-job-stats' view: sched_trace only, as `jobs --compat` */
		if ((i == 1 && o->t->family != RL_FAM_LITMUS) ||
		    (i == 2 && !rl_lxjobs_is_linux(o->t)))
			continue;
		js[n] = rl_jobs_new(o->t, &jo[i], NULL, &err);
		r = js[n] ? 0 : err.code;
		if (i == 1)
			compat = js[n];
		n++;
	}
	if (!r) {
		r = db_read(o, db, js, n, &err);
		if (r == -RL_E_CORRUPT && !err.msg[0])
			goto out; /* printed by rl_run_sinks() */
	}
	if (!r)
		r = rl_db_run_end(db, o->t, js[0], compat, &err);
	if (!r && o->t->family == RL_FAM_FEATHER)
		r = db_overheads(db, in->paths, in->n, io, threads, &err);
	else if (!r && ft->n)
		r = db_overheads(db, ft->paths, ft->n, io, threads, &err);
	if (r < 0)
		rl_print_err(&err);
out:
	for (i = 0; i < 3; i++)
		rl_jobs_free(js[i]);
	return r < 0 ? RL_EXIT_DATA : 0;
}

/*
 * The Feather-Trace files of a run read apart from the others: a run of
 * sched_trace and Feather-Trace files (the schedule_* and overheads_* files
 * of one recording) gives its jobs from the first and its overheads from
 * the second. With --input-format every file is read by that reader.
 */
static int db_split(struct rl_paths *in, struct rl_paths *ft, const struct rl_input_opts *io)
{
	char a[256], b[256];
	size_t i, n = 0;
	int r = 0;

	memset(ft, 0, sizeof(*ft));
	if (io->reader || in->n < 2)
		return 0;
	ft->paths = calloc(in->n, sizeof(*ft->paths));
	if (!ft->paths) {
		fprintf(stderr, "%s: error: out of memory\n", rl_prog);
		return RL_EXIT_DATA;
	}
	for (i = 0; i < in->n; i++) {
		struct rl_input x;
		struct rl_err err;
		const struct rl_reader_ops *rd = NULL;

		rl_err_init(&err);
		if (rl_input_open(&x, in->paths[i], &io->ro, &err) == 0) {
			if (!x.is_dir && x.len)
				rd = rl_reader_detect(&x);
			rl_input_close(&x);
		}
		if (rd && rd->family == RL_FAM_FEATHER)
			ft->paths[ft->n++] = in->paths[i];
		else
			in->paths[n++] = in->paths[i];
	}
	/* only Feather-Trace files: an overheads run, as before */
	if (!n) {
		for (i = 0; i < ft->n; i++)
			in->paths[i] = ft->paths[i];
		n = ft->n;
		ft->n = 0;
	}
	in->n = n;
	/* the two kinds of one recording: their names must agree */
	if (ft->n && rl_recording_name(in->paths[0], a, sizeof(a), NULL, NULL) &&
	    rl_recording_name(ft->paths[0], b, sizeof(b), NULL, NULL) && strcmp(a, b)) {
		fprintf(stderr,
			"%s: error: files of two recordings: %s (%s) and %s (%s); one run per "
			"database\n",
			rl_prog, a, in->paths[0], b, ft->paths[0]);
		r = RL_EXIT_USAGE;
	}
	return r;
}

/* The Feather-Trace paths db_split() moved out of the run's list (it owns them now). */
static void db_split_release(struct rl_paths *ft)
{
	size_t i;

	for (i = 0; i < ft->n; i++)
		free(ft->paths[i]);
	free(ft->paths);
	memset(ft, 0, sizeof(*ft));
}

/* Whether every input of @in is a cyclictest result file (none with --input-format). */
static int db_all_cyclictest(const struct rl_paths *in, const struct rl_input_opts *io)
{
	size_t i;
	int all = in->n > 0 && !io->reader;

	for (i = 0; i < in->n && all; i++) {
		struct rl_input x;
		struct rl_err err;

		rl_err_init(&err);
		if (rl_input_open(&x, in->paths[i], &io->ro, &err) < 0)
			return 0;
		all = !x.is_dir && rl_cyclictest_probe(x.buf, x.len) >= 50;
		rl_input_close(&x);
	}
	return all;
}

/*
 * A run of cyclictest result files (rt-tests' --histfile text or --json):
 * their histograms and statistics per thread, and the JSON header as run
 * parameters. Return: an exit code.
 */
static int db_cyclictest(const struct rl_paths *in, const char *name,
			 const struct rl_input_opts *io, const char *outpath,
			 const struct rl_db_opt *opts, size_t nopts)
{
	struct rl_fileset fs = {0};
	struct rl_cyclictest *cs = calloc(in->n, sizeof(*cs));
	struct rl_outfile out = {0};
	struct rl_trace *t = rl_trace_new();
	struct rl_db *db = NULL;
	struct rl_err err;
	size_t i;
	int r = 0;

	rl_err_init(&err);
	fs.ins = calloc(in->n, sizeof(*fs.ins));
	if (!cs || !t || !fs.ins) {
		fprintf(stderr, "%s: error: out of memory\n", rl_prog);
		r = RL_EXIT_DATA;
	}
	for (i = 0; i < in->n && !r; i++) {
		rl_cyclictest_init(&cs[i]);
		if (rl_input_open(&fs.ins[i], in->paths[i], &io->ro, &err) < 0) {
			r = -1;
			break;
		}
		fs.n++;
		if (rl_cyclictest_parse(&cs[i], fs.ins[i].buf, fs.ins[i].len, in->paths[i], &err) <
		    0) {
			r = -1;
			break;
		}
		if (!i)
			t->format =
				cs[0].form == RL_CYC_JSON ? "cyclictest-json" : "cyclictest-hist";
		if (rl_trace_add_source(t, in->paths[i],
					cs[i].form == RL_CYC_JSON ? "cyclictest-json"
								  : "cyclictest-hist",
					fs.ins[i].len) < 0) {
			rl_err_set(&err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
			r = -1;
		}
	}
	if (!r)
		r = rl_out_open(&out, outpath);
	if (!r) {
		db = rl_db_open(out.tmp, 1, &err); /* no index: nothing to sort */
		r = db ? 0 : -1;
	}
	if (!r)
		r = rl_db_run_begin(db, &fs, NULL, name, t, RL_VERSION, opts, nopts, &err) < 0 ? -1
											       : 0;
	for (i = 0; i < in->n && !r; i++) {
		char base[PATH_MAX];

		snprintf(base, sizeof(base), "%s", in->paths[i]);
		if (rl_db_add_cyclictest(db, &cs[i], basename(base), &err) < 0)
			r = -1;
	}
	if (!r && rl_db_run_end(db, t, NULL, NULL, &err) < 0)
		r = -1;
	if (db && rl_db_close(db, !r, &err) < 0)
		r = -1;
	if (r < 0) {
		rl_print_err(&err);
		r = rl_exit_code(&err);
	}
	if (r && out.tmp)
		rl_out_abort(&out);
	else if (!r)
		r = rl_out_commit(&out);
	for (i = 0; cs && i < in->n; i++)
		rl_cyclictest_release(&cs[i]);
	free(cs);
	rl_fileset_close(&fs);
	rl_trace_free(t);
	return r;
}

/*
 * SQLite sorter helper threads for a database written with @threads: one
 * fewer (the writing thread sorts too), at most 3. Each helper sorts in
 * its own cache-sized buffer: on the 10 M-job bench trace 0 helpers 51.6 s,
 * 1 45.3 s and 167 MB peak RSS, 2 43.4 s and 195 MB; the bytes are the same.
 */
int rl_db_sorter_threads(int threads)
{
	return threads < 2 ? 0 : threads > 4 ? 3 : threads - 1;
}

/*
 * Write the run of @args (files, or folders standing for their files) to
 * @outpath; @name is its name (NULL: none). Return: an exit code.
 */
int rl_db_write_run(char **args, int nargs, const char *name, const struct rl_input_opts *io,
		    const char *outpath, const struct rl_db_opt *opts, size_t nopts, int threads)
{
	struct rl_paths in = {0}, ft = {0};
	struct rl_outfile out = {0};
	struct rl_fileset xfs = {0};
	struct rl_db *db = NULL;
	struct rl_open o;
	struct rl_err err;
	int r, have_o = 0, damage;

	rl_err_init(&err);
	if (rl_paths_expand(&in, args, nargs, &err) < 0) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
	} else if (db_all_cyclictest(&in, io)) {
		r = db_cyclictest(&in, name, io, outpath, opts, nopts);
		rl_paths_release(&in);
		return r;
	} else {
		r = db_split(&in, &ft, io);
	}
	if (!r && ft.n &&
	    rl_fileset_open(&xfs, ft.paths, ft.n, &rl_reader_feathertrace, &io->ro, &err) < 0) {
		rl_print_err(&err);
		r = rl_exit_code(&err);
	}
	if (!r) {
		have_o = 1;
		r = rl_open_files(&o, in.paths, (int)in.n, io);
	}
	if (!r)
		r = rl_out_open(&out, outpath);
	if (r)
		goto out;
	db = rl_db_open(out.tmp, rl_db_sorter_threads(threads), &err);
	if (!db) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
	}
	if (!r)
		r = db_fill(db, &o, &in, ft.n ? &xfs : NULL, &ft, name, io, opts, nopts, threads);
	/* damaged data (truncated, garbage records): no database */
	damage = rl_print_warnings(o.t);
	if (!r && damage)
		r = RL_EXIT_DATA;
	if (rl_db_close(db, !r, &err) < 0) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
	}
	if (r)
		rl_out_abort(&out);
	else
		r = rl_out_commit(&out);
out:
	if (have_o)
		rl_open_close(&o);
	rl_fileset_close(&xfs);
	db_split_release(&ft);
	rl_paths_release(&in);
	return r;
}

/**
 * rl_db_run_id_of() - the run_id rtlens db would give the run of @args
 * @args, @nargs, @io: as for rl_db_write_run()
 * @id:   receives it
 *
 * Return: 0, or an exit code with the error printed.
 */
int rl_db_run_id_of(char **args, int nargs, const struct rl_input_opts *io, char id[17])
{
	const struct rl_reader_ops *rd = io->reader ? rl_reader_find(io->reader) : NULL;
	struct rl_paths in = {0}, ft = {0};
	struct rl_fileset fs = {0}, xfs = {0};
	struct rl_err err;
	int r;

	rl_err_init(&err);
	r = rl_paths_expand(&in, args, nargs, &err) < 0 ? -1 : db_split(&in, &ft, io);
	if (!r && rl_fileset_open(&fs, in.paths, in.n, rd, &io->ro, &err) < 0)
		r = -1;
	if (!r && ft.n &&
	    rl_fileset_open(&xfs, ft.paths, ft.n, &rl_reader_feathertrace, &io->ro, &err) < 0)
		r = -1;
	if (!r && rl_db_hash_run(&fs, ft.n ? &xfs : NULL, id, &err) < 0)
		r = -1;
	if (r < 0) {
		rl_print_err(&err);
		r = rl_exit_code(&err);
	}
	rl_fileset_close(&fs);
	rl_fileset_close(&xfs);
	db_split_release(&ft);
	rl_paths_release(&in);
	return r;
}

/* --run NAME: the run of that name among the runs rtlens batch finds in @args. */
static int db_run_named(char **args, int nargs, const char *name, const struct rl_input_opts *io,
			const char *outpath, const struct rl_db_opt *opts, size_t nopts)
{
	struct rl_batch b;
	struct rl_err err;
	uint32_t i;
	int r;

	rl_err_init(&err);
	if (rl_batch_find(&b, args, (size_t)nargs, &err) < 0) {
		rl_print_err(&err);
		rl_batch_release(&b);
		return RL_EXIT_DATA;
	}
	for (i = 0; i < b.n && strcmp(b.runs[i].name, name); i++)
		;
	if (i == b.n) {
		rl_usage_error("no run named '%s' here (rtlens batch --list shows the runs)", name);
		r = RL_EXIT_USAGE;
	} else if (!b.runs[i].n) {
		fprintf(stderr, "%s: error: run %s: no trace files\n", rl_prog, name);
		r = RL_EXIT_DATA;
	} else {
		r = rl_db_write_run(b.runs[i].paths, (int)b.runs[i].n, name, io, outpath, opts,
				    nopts, rl_online_cpus());
	}
	rl_batch_release(&b);
	return r;
}

/**
 * rl_db_opt_input() - an input option, and its meta row when it changes results
 * @opt, @arg: from getopt_long() (RL_INPUT_LONGOPTS)
 * @io:        the input options
 * @opts:      the meta rows (at most RL_DB_NOPTS)
 * @nopts:     their number
 *
 * Return: as rl_opt_input().
 */
int rl_db_opt_input(int opt, const char *arg, struct rl_input_opts *io, struct rl_db_opt *opts,
		    size_t *nopts)
{
	/* the input options that change results, under these meta keys */
	static const char *const keys[] = {"input_format", "st_format",	  NULL,
					   "cpu_hz",	   "xen_version", "ft_layout",
					   "ft_endian",	   "skew",	  "skew_force"};
	int k = rl_opt_input(opt, arg, io);

	if (k > 0 && opt >= 0x100 && opt <= 0x108 && keys[opt - 0x100] && *nopts < RL_DB_NOPTS)
		opts[(*nopts)++] = (struct rl_db_opt){keys[opt - 0x100], arg ? arg : "1"};
	return k;
}

int cmd_db(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"run", required_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},
		RL_INPUT_LONGOPTS,
		RL_SKEW_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct rl_db_opt opts[RL_DB_NOPTS];
	struct rl_input_opts io = {0};
	const char *outpath = NULL, *run = NULL;
	size_t nopts = 0;
	int opt, k;

	while ((opt = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			outpath = optarg;
			break;
		case 'R':
			run = optarg;
			break;
		case 'h':
			fputs(db_help, stdout);
			return RL_EXIT_OK;
		default:
			k = rl_db_opt_input(opt, optarg, &io, opts, &nopts);
			if (k <= 0) {
				if (!k)
					rl_try_help("db");
				return RL_EXIT_USAGE;
			}
		}
	}
	if (!outpath || !strcmp(outpath, "-")) {
		rl_usage_error("db needs -o OUT.db (a file, not standard output)");
		return RL_EXIT_USAGE;
	}
	if (optind >= argc) {
		rl_usage_error("no input files (try --help)");
		return RL_EXIT_USAGE;
	}
	if (run)
		return db_run_named(argv + optind, argc - optind, run, &io, outpath, opts, nopts);
	return rl_db_write_run(argv + optind, argc - optind, NULL, &io, outpath, opts, nopts,
			       rl_online_cpus());
}

static const char merge_help[] =
	"usage: rtlens merge -o ALL.db [OPTIONS] A.db B.db ...\n\n"
	"Merge rtlens databases (rtlens db, rtlens batch, earlier merges) into one:\n"
	"runs in run_id order, each with its rows in their order, so the result is\n"
	"the same whatever the order and grouping of the inputs: merging per-run\n"
	"databases gives the database of one rtlens batch over those runs. Any\n"
	"number of inputs (one is open at a time). Inputs of another schema\n"
	"version, tool version or result-changing options are refused. A run\n"
	"found twice (the same run_id) is kept once: the copy with the smallest\n"
	"name; copies under other names are counted and said on stderr.\n\n"
	"Options:\n"
	"  -o, --output FILE     the merged database (required; written atomically)\n"
	"  -q, --quiet           do not say how many copies were left out\n"
	"  -h, --help            this help\n";

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct rl_db_merge_stats st;
	struct rl_outfile out = {0};
	const char *outpath = NULL;
	struct rl_err err;
	int opt, r, i;

	while ((opt = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			outpath = optarg;
			break;
		case 'q':
			rl_quiet = 1;
			break;
		case 'h':
			fputs(merge_help, stdout);
			return RL_EXIT_OK;
		default:
			rl_try_help("merge");
			return RL_EXIT_USAGE;
		}
	}
	if (!outpath || !strcmp(outpath, "-")) {
		rl_usage_error("merge needs -o ALL.db (a file, not standard output)");
		return RL_EXIT_USAGE;
	}
	if (optind >= argc) {
		rl_usage_error("no input databases (try --help)");
		return RL_EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		struct stat sb;

		if (stat(argv[i], &sb) || !S_ISREG(sb.st_mode)) {
			fprintf(stderr, "%s: %s: error: cannot read: not a file\n", rl_prog,
				argv[i]);
			return RL_EXIT_DATA;
		}
	}
	r = rl_out_open(&out, outpath);
	if (r)
		return r;
	rl_err_init(&err);
	if (rl_db_merge(out.tmp, argv + optind, (size_t)(argc - optind), NULL, NULL,
			rl_db_sorter_threads(rl_online_cpus()), &st, &err) < 0) {
		rl_print_err(&err);
		rl_out_abort(&out);
		return rl_exit_code(&err);
	}
	r = rl_out_commit(&out);
	if (!r && st.duplicates && !rl_quiet)
		fprintf(stderr,
			"%s: %llu run(s) found more than once, kept once (%llu under another "
			"name)\n",
			rl_prog, (unsigned long long)st.duplicates,
			(unsigned long long)st.conflicts);
	return r;
}
