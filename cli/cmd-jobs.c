/* cli/cmd-jobs.c - `rtlens jobs` and the st-job-stats compatibility name. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char jobs_help[] =
	"usage: rtlens jobs [OPTIONS] FILE...\n\n"
	"Reconstruct every job of every task from a schedule trace.\n\n"
	"Default output: CSV, one row per job in the order jobs finish (--by-task: grouped\n"
	"by task in pid order, job order within a task), columns (times named with\n"
	"their unit, _ns or _ms with -m)\n"
	"  pid,name,job,release_ns,deadline_ns,completion_ns,response_ns,lateness_ns,\n"
	"  tardiness_ns,dl_miss,exec_ns,preemptions,migrations,suspensions,susp_time_ns,\n"
	"  status,flags\n"
	"Jobs are never dropped: a job whose completion is missing has status\n"
	"no-completion (a later job completed) or incomplete (the trace ended); a job\n"
	"whose RELEASE record is missing gets its release inferred from the previous\n"
	"release plus whole periods (flag release-inferred) or, when that is impossible,\n"
	"empty release columns (flag no-release).\n\n"
	"xentrace: the jobs are the RTDS server periods of each VCPU (pid = vcpu,\n"
	"name d<dom>v<vcpu>, wcet/period = its usual budget and period), from one\n"
	"BUDGET_REPLENISH to the next, as in 'rtlens xen --rtds': release = deadline -\n"
	"period and deadline on the trace timeline; completion = when the budget ran\n"
	"out, or, with budget left, when the VCPU last stopped running in the period\n"
	"(the replenish time if it never ran; not before the release), unless it\n"
	"still wanted to run at the period's end: then the period ends at the next\n"
	"replenishment, which drops the budget left, and is a deadline miss (flag\n"
	"server-miss, dl_miss 1); exec = budget consumed; preemptions, migrations and\n"
	"suspensions are counted within the period. Rows come grouped by VCPU in\n"
	"(domain, vcpu) order.\n\n"
	"Options:\n"
	"  -r                    only jobs released at or after the synchronous release\n"
	"  -m                    times in milliseconds (default nanoseconds; --unit ms)\n"
	"  --unit ns|ms          unit of the times printed (CSV and table columns are\n"
	"                        named with it, JSON has a unit member)\n"
	"  -p PID                only the task with this pid (--pid PID)\n"
	"  -n NAME               only tasks with this name (--comm NAME)\n"
	"  -t PERIOD             only tasks with this period (ns, or ms with -m)\n"
	"  -s, --summary         one row per task instead: jobs, misses, response\n"
	"                        min/mean/p50/p99/max, max tardiness, ACET, preemptions...\n"
	"  --format FMT          summary format: table (default), csv, json\n"
	"  --by-task             group the CSV rows by task (pid order)\n"
	"  --compat              st-job-stats' exact output (also: the st-job-stats name)\n"
	"  --linux-jobs          Linux traces: jobs from wake-ups even if the trace has\n"
	"                        RELEASE events (see below)\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
	"  -h, --help            this help\n" RL_SELECT_HELP
	"  Jobs need every event of their task, so no event is dropped before the\n"
	"  reconstruction; the selection picks jobs: --pid and --comm their tasks,\n"
	"  --cpu tasks partitioned on those CPUs (the CPU of the task's parameters;\n"
	"  tasks without a partition, e.g. Linux tasks, are not selected), --from/--to\n"
	"  jobs released in the window (a bare number is in ns; with -r the window\n"
	"  counts from the system release). Not with --compat.\n" RL_INPUT_HELP RL_SKEW_HELP
	"\nLinux traces (trace.dat, ftrace text, CTF) without job events: a job starts\n"
	"when the sleeping task is woken (sched_waking, else sched_wakeup) and ends\n"
	"when it switches out in a sleep state. Columns: pid,name,job,activation_ns,\n"
	"start_ns,end_ns,response_ns,sched_latency_ns,exec_ns,preemptions,migrations,cpu,\n"
	"prio,status.\n";

static int jobs_parse_period(const char *s, int ms, int64_t *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v <= 0 || v > 9.2e18 / (ms ? 1e6 : 1))
		return -1;
	*out = (int64_t)(ms ? v * 1e6 + 0.5 : v);
	return 0;
}

static int jobs_add_cb(void *arg, const struct rl_job *job, struct rl_err *err)
{
	return rl_jobs_add(arg, job, err);
}

/*
 * xentrace: the RTDS analysis runs over the trace, then its server periods
 * go through the job analysis as rows (it sees no events itself).
 * Return: 0 or an exit code with the error printed.
 */
static int jobs_run_xen(struct rl_open *o, struct rl_jobs *jobs, struct rl_vocab *v)
{
	struct rl_xen *x;
	struct rl_sink *sink, *js = rl_jobs_sink(jobs);
	struct rl_err err;
	int r;

	rl_err_init(&err);
	x = rl_xen_new(o->t, &err);
	if (!x) {
		rl_print_err(&err);
		return RL_EXIT_DATA;
	}
	sink = rl_xen_sink(x);
	r = rl_run_selected(o, v, &sink, 1);
	if (!r && (rl_xen_each_job(x, jobs_add_cb, jobs, &err) < 0 || js->finish(js, &err) < 0)) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
	}
	rl_xen_free(x);
	return r;
}

/*
 * The finished analysis @j (records, Linux model or st-job-stats' view) to
 * @f, after the -r check. Return: 0 or an exit code with the error printed.
 */
static int jobs_write(const struct rl_job_out *jo, struct rl_jobs *j, int compat, int summary,
		      int linux_model, FILE *f)
{
	struct rl_err err;
	int r = 0;

	rl_err_init(&err);
	if (compat && jo->filter.after_sys_release) {
		uint64_t rel;

		if (!rl_jobs_compat_sys_release(j, &rel)) {
			fprintf(stderr, "Could not find task system release time.\n");
			return RL_EXIT_DATA;
		}
	}
	if (!compat && !linux_model && jo->filter.after_sys_release) {
		int64_t rel;

		if (!rl_jobs_sys_release(j, &rel)) {
			fprintf(stderr, "%s: error: -r: the trace has no SYS_RELEASE record\n",
				rl_prog);
			return RL_EXIT_DATA;
		}
	}
	if (compat)
		r = rl_jobs_write_compat(j, f, &err);
	else if (summary)
		r = rl_jobs_write_summary(j, f, &err);
	else if (linux_model || (jo->want & RL_JOBS_BY_TASK))
		r = rl_jobs_write_csv(j, f, &err);
	if (r < 0) {
		rl_print_err(&err);
		return RL_EXIT_DATA;
	}
	return 0;
}

static int jobs_run(char **files, int nfiles, const struct rl_input_opts *io, struct rl_job_out *jo,
		    int summary, int compat, const char *outpath, int linux_jobs,
		    struct rl_vocab *v)
{
	struct rl_jobs *lxj = NULL;
	struct rl_sink *sinks[2];
	struct rl_jobs_counts jc;
	struct rl_open o;
	struct rl_outfile out = {0};
	struct rl_jobs *jobs = NULL;
	struct rl_err err;
	int r, damage, have_out = 0, is_linux = 0, use_lx = 0, xen;

	rl_err_init(&err);
	r = rl_open_files(&o, files, nfiles, io);
	if (r) {
		rl_open_close(&o);
		return r;
	}
	xen = o.t->family == RL_FAM_XEN;
	if (xen && compat) {
		fprintf(stderr,
			"%s: error: %s is a %s trace; --compat (st-job-stats) reads "
			"sched_trace files\n",
			rl_prog, files[0], o.t->format);
		rl_open_close(&o);
		return RL_EXIT_USAGE;
	}
	/* the output is open before the run: CSV rows stream out as jobs finish */
	r = rl_out_open(&out, outpath);
	if (r)
		goto out;
	have_out = 1;
	is_linux = !compat && rl_lxjobs_is_linux(o.t);
	if (compat) {
		/* st-job-stats: a view of the same job rows */
		jo->want = RL_JOBS_COMPAT;
	} else {
		if (summary)
			jo->want = RL_JOBS_SUMMARY;
		else if (is_linux)
			/* Linux traces: which analysis answers is known only at the end */
			jo->want = RL_JOBS_BY_TASK;
		else if (!jo->want)
			jo->want = RL_JOBS_CSV;
	}
	jobs = rl_jobs_new(o.t, jo, out.f, &err);
	if (!jobs) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
		goto out;
	}
	sinks[0] = rl_jobs_sink(jobs);
	if (is_linux) {
		/* the same writer with the Linux model: wake-up -> blocking switch-out */
		struct rl_job_out lo = *jo;

		lo.model = RL_JOBS_MODEL_LINUX;
		lo.want = summary ? RL_JOBS_SUMMARY : RL_JOBS_BY_TASK;
		lxj = rl_jobs_new(o.t, &lo, NULL, &err);
		if (!lxj) {
			rl_print_err(&err);
			r = RL_EXIT_DATA;
			goto out;
		}
		sinks[1] = rl_jobs_sink(lxj);
	}
	r = xen ? jobs_run_xen(&o, jobs, v) : rl_run_selected(&o, v, sinks, lxj ? 2 : 1);
	if (r)
		goto out;
	if (lxj) {
		rl_jobs_counts(jobs, &jc);
		use_lx = linux_jobs || !jc.jobs;
	}
	r = jobs_write(jo, use_lx ? lxj : jobs, compat, summary, use_lx, out.f);
	if (!r && v)
		rl_vocab_report(v, "job");
out:
	if (have_out) {
		if (r)
			rl_out_abort(&out);
		else
			r = rl_out_commit(&out);
	}
	damage = rl_print_warnings(o.t);
	if (!r && damage)
		r = RL_EXIT_DATA;
	rl_jobs_free(lxj);
	rl_jobs_free(jobs);
	rl_open_close(&o);
	return r;
}

/* rtlens jobs: options, then jobs_run(). (Over 100 lines: one case per option.) */
int cmd_jobs(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"summary", no_argument, NULL, 's'},
		{"format", required_argument, NULL, 'F'},
		{"compat", no_argument, NULL, 'C'},
		{"by-task", no_argument, NULL, 'B'},
		{"linux-jobs", no_argument, NULL, 'L'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		RL_SELECT_LONGOPTS,
		RL_UNIT_LONGOPT,
		RL_INPUT_LONGOPTS,
		RL_SKEW_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct rl_input_opts io = {0};
	struct rl_job_out jo = {.fmt = RL_OUT_TABLE};
	static struct rl_vocab voc;
	const char *outpath = NULL, *period = NULL;
	int opt, summary = 0, compat = 0, linux_jobs = 0, fmt;

	rl_vocab_init(&voc, RL_UNIT_NS, 0, RL_VOCAB_NS | RL_VOCAB_MS);
	while ((opt = getopt_long(argc, argv, "rmp:n:t:so:hq", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			jo.filter.after_sys_release = 1;
			break;
		case 'm':
			jo.ms = 1;
			break;
		case 'p': {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v <= 0 || v > INT32_MAX) {
				rl_usage_error("-p takes a pid (a positive integer), not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			jo.filter.pid = (int32_t)v;
			break;
		}
		case 'n':
			jo.filter.name = optarg;
			break;
		case 't':
			period = optarg;
			break;
		case 's':
			summary = 1;
			break;
		case 'F':
			if (rl_opt_format(optarg,
					  RL_VOCAB_FMT(RL_OUT_TABLE) | RL_VOCAB_FMT(RL_OUT_CSV) |
						  RL_VOCAB_FMT(RL_OUT_JSON),
					  &fmt))
				return RL_EXIT_USAGE;
			jo.fmt = (enum rl_out_format)fmt;
			break;
		case 'C':
			compat = 1;
			break;
		case 'B':
			jo.want = RL_JOBS_BY_TASK;
			break;
		case 'L':
			linux_jobs = 1;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			fputs(jobs_help, stdout);
			return RL_EXIT_OK;
		default: {
			int k = rl_opt_vocab(opt, optarg, &voc);

			if (!k)
				k = rl_opt_input(opt, optarg, &io);
			if (k <= 0) {
				if (!k)
					rl_try_help("jobs");
				return RL_EXIT_USAGE;
			}
			if (opt == RL_OPT_UNIT)
				jo.ms = voc.unit == RL_UNIT_MS;
		}
		}
	}
	if (rl_vocab_job_filter(&voc, &jo.filter, jo.filter.after_sys_release) && compat) {
		rl_usage_error("--compat takes st-job-stats' selection only (-p, -n, -t, or one "
			       "--pid, --comm), not %s",
			       voc.given);
		return RL_EXIT_USAGE;
	}
	if (compat && summary) {
		rl_usage_error("--compat and --summary do not go together");
		return RL_EXIT_USAGE;
	}
	if (period && jobs_parse_period(period, jo.ms, &jo.filter.period)) {
		rl_usage_error("-t takes a period in %s, not '%s'", jo.ms ? "ms" : "ns", period);
		return RL_EXIT_USAGE;
	}
	return jobs_run(argv + optind, argc - optind, &io, &jo, summary, compat, outpath,
			linux_jobs, &voc);
}

static void stjs_usage(const char *why)
{
	fprintf(stderr, "\n  USAGE\n\n"
			"    st_job_stats [opts] <file.st>+\n\n"
			"  OPTIONS\n"
			"     -r         -- skip jobs prior to task-system release\n"
			"     -m         -- output milliseconds (default: nanoseconds)\n"
			"     -p PID     -- show only data for the task with the given PID\n"
			"     -n NAME    -- show only data for the task(s) with the given NAME\n"
			"     -t PERIOD  -- show only data for the task(s) with the given PERIOD\n"
			"\n  (rtlens compatibility mode; 'rtlens jobs --help' for more)\n\n");
	if (why)
		fprintf(stderr, "Aborted: %s\n", why);
}

/*
 * st-job-stats as a drop-in: same options (atoi semantics: a PID or period
 * that is not a number is "invalid"), same stdout. Errors are reported the
 * rtlens way, with file and offset.
 */
int cmd_st_job_stats(int argc, char **argv)
{
	struct rl_input_opts io = {0};
	struct rl_job_out jo = {.fmt = RL_OUT_CSV};
	uint32_t period = 0;
	int opt;

	while ((opt = getopt(argc, argv, "rmp:n:t:hq")) != -1) {
		switch (opt) {
		case 'r':
			jo.filter.after_sys_release = 1;
			break;
		case 'm':
			jo.ms = 1;
			break;
		case 'p':
			jo.filter.pid = atoi(optarg);
			if (!jo.filter.pid) {
				stjs_usage("Invalid PID.");
				return RL_EXIT_DATA;
			}
			break;
		case 't':
			period = (uint32_t)atoi(optarg);
			if (!period) {
				stjs_usage("Invalid period.");
				return RL_EXIT_DATA;
			}
			break;
		case 'n':
			jo.filter.name = optarg;
			break;
		case 'q':
			rl_quiet = 1;
			break;
		case 'h':
			stjs_usage(NULL);
			return RL_EXIT_OK;
		default:
			stjs_usage("Bad argument.");
			return RL_EXIT_DATA;
		}
	}
	if (jo.ms)
		period *= 1000000u; /* u32, as st-job-stats computes it */
	jo.filter.period = period;
	return jobs_run(argv + optind, argc - optind, &io, &jo, 0, 1, NULL, 0, NULL);
}
