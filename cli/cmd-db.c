/* cli/cmd-db.c - `rtlens db`: one run into an SQLite database. */
#include "cli.h"
#include "../readers/feather-trace.h"

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
	"  run           run_id (FNV-1a 64 of the inputs' contents), files, format, family\n"
	"  run_param     key=value parts of the file and folder names, and the folder's\n"
	"                params.py (read as a Python literal, never executed)\n"
	"  source_file   path, size, fnv1a64, format, cpu, records\n"
	"  cpu, task     the CPUs and tasks of the trace\n"
	"  sched_slice   who ran on which CPU: ts, dur, cpu, task, end_state (completed,\n"
	"                blocked, preempted, switched: no switch-out; running at the end)\n"
	"  job           every job row of 'rtlens jobs' (status and flags as in its CSV)\n"
	"  linux_job     Linux traces: the jobs of 'rtlens jobs --linux-jobs'\n"
	"  lost_range, anomaly  the trace's warnings (first few of each kind)\n"
	"  stats         data-quality counters (name, idx, severity, source, value)\n"
	"  overhead_stats  Feather-Trace: 'rtlens overheads' series (raw cycles or ns:\n"
	"                n, min, max, mean, median, stddev, var, p90-p99.9, discards)\n"
	"Views: st_job_stats ('rtlens jobs --compat' rows, sched_trace only),\n"
	"task_summary ('rtlens jobs --summary'), run_summary (jobs, misses, miss ratio,\n"
	"max/mean tardiness, max response per run).\n"
	"The same inputs and options give a byte-identical file.\n\n"
	"Options:\n"
	"  -o, --output FILE     the database (required; written atomically, replaced)\n"
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
	struct rl_sink *sinks[4];
	struct rl_xen *x;
	size_t i;
	int r;

	sinks[0] = rl_db_slice_sink(db);
	if (o->t->family != RL_FAM_XEN) {
		for (i = 0; i < n; i++)
			sinks[i + 1] = rl_jobs_sink(js[i]);
		return rl_run_sinks(o, sinks, n + 1) ? -RL_E_CORRUPT : 0;
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
 * Feather-Trace: the overhead report of `rtlens overheads` (its default
 * options: groups by file name without cpu, msg and seq) into
 * overhead_stats. Return: 0 or negative.
 */
static int db_overheads(struct rl_db *db, char **paths, size_t n, const struct rl_input_opts *io,
			struct rl_err *err)
{
	struct rl_ft_set_opts so = {&io->ro, io->reader && !strcmp(io->reader, "feather-trace")};
	struct rl_ovh_opts oo = {.only_cpu = -1, .avoid_cpu = -1, .count_only = 1};
	/* its own trace: the pipeline has reported these files' warnings already */
	struct rl_trace *t = rl_trace_new();
	struct rl_ft_set set = {0};
	struct rl_ovh *h = NULL;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int r;

	if (!t)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	r = rl_ft_set_open(&set, paths, (int)n, &so, t, err);
	if (!r) {
		h = rl_ovh_new(&oo, err);
		r = h ? 0 : err->code;
	}
	if (!r)
		r = rl_ovh_add_set(h, &set, "cpu,msg,seq", cpus > 0 ? (int)cpus : 1, t, err);
	if (!r)
		r = rl_db_add_overheads(db, h, err);
	rl_ovh_free(h);
	rl_ft_set_close(&set);
	rl_trace_free(t);
	return r < 0 ? r : 0;
}

/*
 * The run into @db: the records model's jobs (table job, and task_summary),
 * st-job-stats' view of them (sched_trace), and for Linux traces the
 * wake-up model's jobs (table linux_job). Return: 0 or an exit code with
 * the error printed.
 */
static int db_fill(struct rl_db *db, struct rl_open *o, const struct rl_paths *in,
		   const struct rl_input_opts *io, const struct rl_db_opt *opts, size_t nopts)
{
	struct rl_job_out jo[3] = {
		{.fmt = RL_OUT_CSV,
		 .want = RL_JOBS_ROWS | RL_JOBS_SUMMARY,
		 .row_fn = rl_db_job_row,
		 .row_arg = db},
		{.fmt = RL_OUT_CSV, .want = RL_JOBS_COMPAT},
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
	r = rl_db_run_begin(db, &o->fs, o->t, RL_VERSION, opts, nopts, &err);
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
		r = db_overheads(db, in->paths, in->n, io, &err);
	if (r < 0)
		rl_print_err(&err);
out:
	for (i = 0; i < 3; i++)
		rl_jobs_free(js[i]);
	return r < 0 ? RL_EXIT_DATA : 0;
}

static int db_run(char **args, int nargs, const struct rl_input_opts *io, const char *outpath,
		  const struct rl_db_opt *opts, size_t nopts)
{
	struct rl_paths in = {0};
	struct rl_outfile out = {0};
	struct rl_db *db = NULL;
	struct rl_open o;
	struct rl_err err;
	int r, have_o = 0, damage;

	rl_err_init(&err);
	if (rl_paths_expand(&in, args, nargs, &err) < 0) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
	} else {
		r = 0;
	}
	if (!r) {
		have_o = 1;
		r = rl_open_files(&o, in.paths, (int)in.n, io);
	}
	if (!r)
		r = rl_out_open(&out, outpath);
	if (r)
		goto out;
	db = rl_db_open(out.tmp, &err);
	if (!db) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
	}
	if (!r)
		r = db_fill(db, &o, &in, io, opts, nopts);
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
	rl_paths_release(&in);
	return r;
}

int cmd_db(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		RL_INPUT_LONGOPTS,
		RL_SKEW_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	/* the input options that change results, under these meta keys */
	static const char *const keys[] = {"input_format", "st_format",	  NULL,
					   "cpu_hz",	   "xen_version", "ft_layout",
					   "ft_endian",	   "skew",	  "skew_force"};
	struct rl_db_opt opts[10];
	struct rl_input_opts io = {0};
	const char *outpath = NULL;
	size_t nopts = 0;
	int opt, k;

	while ((opt = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			fputs(db_help, stdout);
			return RL_EXIT_OK;
		default:
			k = rl_opt_input(opt, optarg, &io);
			if (k <= 0) {
				if (!k)
					fputs(db_help, stderr);
				return RL_EXIT_USAGE;
			}
			if (opt >= 0x100 && opt <= 0x108 && keys[opt - 0x100] && nopts < 10)
				opts[nopts++] = (struct rl_db_opt){keys[opt - 0x100],
								   optarg ? optarg : "1"};
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
	return db_run(argv + optind, argc - optind, &io, outpath, opts, nopts);
}
