/* cli/cmd-overheads.c - `rtlens overheads`: Feather-Trace overhead statistics. */
#include "ovh-cli.h"
#include "../readers/feather-trace.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char ovh_help[] =
	"usage: rtlens overheads [OPTIONS] FILE|DIR...\n"
	"       rtlens overheads --ft2csv [ft2csv options] EVENT FILE\n"
	"       rtlens overheads --ftdump FILE   (ftdump's listing of every record)\n\n"
	"Extract every overhead sample (all event types, one pass per file) from\n"
	"Feather-Trace files (..._cpu=N.bin, ..._msg=N.bin, or old single files; a\n"
	"directory means its *.bin files) and print statistics per event and file\n"
	"group. Files whose names differ only in the --combine keys form one group;\n"
	"the other key=value parts of the names become columns.\n\n"
	"Pairs are START/END by event id (ids 100..199), by pid with suspensions\n"
	"excluded (ids < 100); ids >= 200 are single values in ns. Deltas are taken\n"
	"modulo 2^48, so pairs across the counter wrap are kept. Every dropped sample\n"
	"is counted by reason: irq, seq_hole, interleaved, non_rt, incomplete,\n"
	"cpu_filtered, negative (END before START), orphan_end (END without START).\n"
	"Statistics as ft-compute-stats: n min max mean median stddev (ddof 1) var\n"
	"(ddof 0) p90 p95 p99 p99.9 (linear interpolation), from exact integers.\n"
	"Given Linux traces (trace.dat, ftrace text, CTF), this is `rtlens latency`:\n"
	"wake-up latency and handler durations in the same report (see its --help).\n"
	"Given xentrace files: the Xen scheduler overheads (events sched, switch,\n"
	"tickle, irq, research probes; in ns; left out: lost, incomplete, negative;\n"
	"see `rtlens xen --help`) in the same report.\n\n"
	"Output (default: the statistics table):\n"
	"  --format FMT          table (default), csv or json\n"
	"  --cycles-per-usec N   show cycle events in us (latency events: always us);\n"
	"                        default: the clock-frequency of the params.py beside\n"
	"                        the inputs (experiment-scripts), else estimated from\n"
	"                        the run's sched_trace beside them (schedule_X_cpu=N.bin\n"
	"                        for overheads_X_cpu=N.bin: context switches aligned),\n"
	"                        said on stderr and under the table\n"
	"  --per-cpu             one row per cpu field (the target cpu for IPIs)\n"
	"  --samples EVENT       the exact kept samples of EVENT (CSV group,cpu,value_UNIT:\n"
	"                        cycles, ns, or us with --cycles-per-usec / --unit us)\n"
	"  --raw                 with --samples: little-endian int64 values only (the\n"
	"                        recorded cycles or ns, never converted)\n"
	"  --cdf                 CDF CSV of every series (exact integer values)\n"
	"  --hist WIDTH          histogram CSV, bins of WIDTH cycles (or ns)\n"
	"  --irq-counts          CSV of irq_flag/irq_count over SEND_*_END records\n"
	"  --schedcat DIR        write SchedCAT tables DIR/oh_<keys>_stat=S.csv, S = max,\n"
	"                        avg, p99, p99.9 (us, one row per n= task count)\n"
	"  --task-count N        with --schedcat: the TASK-COUNT of files whose names\n"
	"                        have no n= key\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n\n"
	"Grouping and sampling:\n"
	"  --combine KEYS        file-name keys merged into one group (default cpu,msg,seq)\n"
	"  --equalize            truncate each event's series to the smallest sample\n"
	"                        count by a seeded shuffle (ft-select-samples), and\n"
	"                        print the exact expected maximum of k of n samples\n"
	"  --seed N              shuffle seed (default 1)\n\n"
	"Filtering:\n"
	"  --events LIST         only these events (comma-separated names or ids)\n"
	"  --keep-irq            keep samples disturbed by interrupts\n"
	"  --ignore-ipi-irq      ignore the irq flag of SEND_*_END records\n"
	"  --keep-negative       keep END-before-START pairs (uncalibrated IPI clocks) as\n"
	"                        negative values instead of dropping them\n"
	"  --no-interleaved      drop pairs with other records of the cpu in between\n"
	"  --best-effort         keep pairs of non-real-time tasks for every event\n"
	"  --rt-only             drop them for every event (default: kept only for\n"
	"                        SEND_RESCHED, SEND_XCALL, QUANTUM_BOUNDARY, as\n"
	"                        ft-extract-samples does)\n"
	"  --cpu N               only records of cpu N;  --avoid-cpu N: all but N\n"
	"                        (Feather-Trace: one cpu; Linux and xentrace: a LIST\n"
	"                        selecting events, see below)\n"
	"  --threads N           files read in parallel (default: online cpus; output\n"
	"                        does not depend on it)\n"
	"  --unit us             the report's unit: us for ns values (the only one;\n"
	"                        Feather-Trace cycles stay cycles without\n"
	"                        --cycles-per-usec); the unit column names it\n"
	"  -h, --help            this help\n" RL_SELECT_HELP
	"  Feather-Trace: --cpu takes one cpu (the samples' cpu field); --from/--to\n"
	"  (cycle counters have no trace time) and --pid/--comm are refused. Linux\n"
	"  traces and xentrace: the selection drops events before the analysis, so\n"
	"  a sample counts when its start and end events are both selected; events\n"
	"  of no task (interrupts, lost records) pass --pid/--comm. A bare\n"
	"  --from/--to number is in ns.\n" RL_INPUT_HELP RL_SKEW_HELP
	"  (Feather-Trace: SEND_RESCHED / SEND_XCALL latencies corrected with the sender's\n"
	"  and the target's offsets, in extra rows SEND_RESCHED+skew, SEND_XCALL+skew)\n";

static int ovh_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || end == s || *end || *s == '-' ? -1 : 0;
}

static int ovh_parse_cpu(const char *s, int *cpu)
{
	uint64_t v;

	if (ovh_parse_u64(s, &v) || v > 255)
		return -1;
	*cpu = (int)v;
	return 0;
}

static int ovh_parse_events(const char *list, uint8_t *want)
{
	char *dup = strdup(list), *tok, *save = NULL;
	int r = 0;

	if (!dup)
		return -1;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned id;

		if (rl_ft_event_parse(tok, &id) < 0 || id > 255) {
			rl_usage_error("--events: unknown event '%s'", tok);
			r = -1;
			break;
		}
		want[id] = 1;
		want[rl_ft_pair_start(id)] = 1; /* an END names its pair */
	}
	free(dup);
	return r;
}

/**
 * ovh_write() - the chosen output of an accumulator
 * @h:   the accumulator (Feather-Trace or Linux latencies)
 * @a:   options: --samples (an event name of @h's schema), --cdf, --hist,
 *       --irq-counts, else the statistics table
 * @f:   output
 * @err: error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int ovh_write(struct rl_ovh *h, const struct ovh_args *a, FILE *f, struct rl_err *err)
{
	if (a->samples) {
		unsigned id;

		if (rl_ovh_schema(h)->event_parse(a->samples, &id) < 0)
			return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					  "--samples: unknown event '%s'", a->samples);
		return rl_ovh_write_samples_in(h, f, id, a->raw, &a->rep, err);
	}
	if (a->cdf || a->hist)
		return rl_ovh_write_dist(h, f, a->cdf ? 0 : a->hist, err);
	if (a->irq_csv)
		return rl_ovh_write_irq(h, f, RL_OUT_CSV, 0, err);
	return rl_ovh_write_stats(h, f, &a->rep, err);
}

/**
 * ovh_emit() - the chosen output of an accumulator, to the chosen file
 * @h: the accumulator
 * @a: options (--output and those of ovh_write())
 *
 * Return: exit status.
 */
int ovh_emit(struct rl_ovh *h, const struct ovh_args *a)
{
	struct rl_outfile out;
	struct rl_err err;
	int r = rl_out_open(&out, a->outpath);

	if (r)
		return r;
	rl_err_init(&err);
	if (ovh_write(h, a, out.f, &err) < 0) {
		rl_print_err(&err);
		rl_out_abort(&out);
		return err.code == -RL_E_USAGE ? RL_EXIT_USAGE : RL_EXIT_DATA;
	}
	return rl_out_commit(&out);
}

static int ovh_schedcat(struct rl_ovh *h, const struct ovh_args *a, struct rl_err *err)
{
	uint32_t g, k;
	char base[512], prev[512] = "";
	int stat, r;

	if (mkdir(a->schedcat, 0777) && errno != EEXIST) {
		fprintf(stderr, "%s: error: cannot create directory: %s\n", a->schedcat,
			strerror(errno));
		return RL_EXIT_DATA;
	}
	for (g = 0; g < rl_ovh_ngroups(h); g++) {
		int seen = 0;

		rl_ovh_label_without(rl_ovh_group_label(h, g), "n,overheads", base, sizeof(base));
		for (k = 0; k < g; k++) {
			char b2[512];

			rl_ovh_label_without(rl_ovh_group_label(h, k), "n,overheads", b2,
					     sizeof(b2));
			seen |= !strcmp(b2, base);
		}
		if (seen)
			continue;
		(void)prev;
		rl_ovh_label_without(rl_ovh_group_label(h, g), "n", base, sizeof(base));
		for (stat = 0; stat < RL_SC_NSTATS; stat++) {
			static const char *const sname[RL_SC_NSTATS] = {
				[RL_SC_MAX] = "max",
				[RL_SC_AVG] = "avg",
				[RL_SC_P99] = "p99",
				[RL_SC_P999] = "p99.9",
			};
			struct rl_outfile out;
			char *path, b3[512];

			rl_ovh_label_without(base, "overheads", b3, sizeof(b3));
			if (asprintf(&path, "%s/oh_%s_stat=%s.csv", a->schedcat, b3, sname[stat]) <
			    0)
				return RL_EXIT_DATA;
			r = rl_out_open(&out, path);
			if (r) {
				free(path);
				return r;
			}
			r = rl_ovh_write_schedcat(h, out.f, &a->rep, base, stat, err);
			if (r < 0) {
				rl_out_abort(&out);
				free(path);
				return r == -RL_E_USAGE ? RL_EXIT_USAGE : RL_EXIT_DATA;
			}
			r = rl_out_commit(&out);
			free(path);
			if (r)
				return r;
		}
	}
	return 0;
}

/*
 * Without --cycles-per-usec: the clock-frequency of the params.py beside the
 * input files (experiment-scripts writes one per run), if every one that
 * states it agrees. @from receives the file it came from.
 * Return: 0, or an exit status.
 */
static void ovh_progress(void *arg, uint64_t recs, uint64_t bytes)
{
	(void)arg;
	rl_progress_show(bytes, recs, "records", NULL);
}

/*
 * No params.py: the rate estimated from the run's sched_trace when it lies
 * beside the Feather-Trace files (overheads_X_cpu=N.bin and schedule_X_cpu=N.bin,
 * the naming of LITMUS^RT's recording scripts). Return: the rate, or 0 (none).
 */
static double ovh_estimate_rate(const struct rl_ft_set *set, char *from, size_t len)
{
	struct rl_input_opts io = {0};
	struct rl_rate_est est;
	struct rl_open o = {0};
	struct rl_err err;
	char **paths = calloc(set->n ? set->n : 1, sizeof(*paths));
	struct stat sb;
	uint32_t i;
	int n = 0, r = 0;

	char l0[512], l1[512];

	if (!paths)
		return 0;
	/* one recording only: the files' names differ in their cpu/msg/seq keys alone */
	for (i = 0; i < set->n; i++) {
		rl_ovh_file_label(set->ins[i].path, "cpu,msg,seq", i ? l1 : l0, sizeof(l0));
		if (i && strcmp(l0, l1)) {
			free(paths);
			return 0;
		}
	}
	for (i = 0; i < set->n; i++) {
		const char *p = set->ins[i].path, *b = strrchr(p, '/');
		size_t dl = b ? (size_t)(b - p + 1) : 0;
		char *q;

		b = b ? b + 1 : p;
		if (set->fs[i].kind != RL_FT_KIND_CPU || strncmp(b, "overheads_", 10))
			continue;
		q = malloc(strlen(p) + 8);
		if (!q)
			break;
		sprintf(q, "%.*sschedule_%s", (int)dl, p, b + 10);
		if (stat(q, &sb) || !S_ISREG(sb.st_mode)) {
			free(q);
			continue;
		}
		paths[n++] = q;
	}
	rl_err_init(&err);
	if (n) {
		int saved = rl_quiet;

		rl_quiet = 1; /* its warnings belong to rtlens jobs, not to this estimate */
		if (!rl_open_files(&o, paths, n, &io))
			r = rl_ft_rate_estimate(set, o.m, o.t, &est, &err);
		rl_quiet = saved;
		rl_open_close(&o);
	}
	for (i = 0; i < (uint32_t)n; i++)
		free(paths[i]);
	free(paths);
	if (r <= 0)
		return 0;
	snprintf(from, len,
		 "an estimate: %llu context switches (CXS_END) of %u CPUs aligned with the run's "
		 "sched_trace SWITCH_TO; the CPUs' slopes within +-%.3f cycles/us",
		 (unsigned long long)est.pairs, est.ncpus, est.spread);
	return est.cycles_per_usec;
}

static int ovh_find_rate(const struct rl_ft_set *set, struct ovh_args *a, char *from, size_t len)
{
	char prev[4096] = "", dir[4096], pp[4200];
	double rate = 0, r1;
	uint32_t i;
	struct rl_err err;
	int r;

	rl_err_init(&err);
	for (i = 0; i < set->nargs; i++) {
		const char *sl = strrchr(set->paths[i], '/');
		size_t dl = sl ? (size_t)(sl - set->paths[i]) : 0;

		if (dl >= sizeof(dir))
			continue;
		if (sl)
			snprintf(dir, sizeof(dir), "%.*s", (int)(dl ? dl : 1), set->paths[i]);
		else
			snprintf(dir, sizeof(dir), ".");
		if (i && !strcmp(dir, prev))
			continue;
		snprintf(prev, sizeof(prev), "%s", dir);
		snprintf(pp, sizeof(pp), "%s/params.py", dir);
		r = rl_params_clock(pp, &r1, &err);
		if (r < 0) {
			rl_print_err(&err);
			return RL_EXIT_DATA;
		}
		if (!r)
			continue;
		if (rate > 0 && r1 != rate) {
			rl_usage_error(
				"clock-frequency %g in %s, but %g in %s: give --cycles-per-usec",
				rate, from, r1, pp);
			return RL_EXIT_USAGE;
		}
		if (rate <= 0 && strlen(pp) < len)
			memcpy(from, pp, strlen(pp) + 1);
		rate = r1;
	}
	if (rate <= 0)
		rate = ovh_estimate_rate(set, from, len);
	if (rate > 0) {
		a->rep.cycles_per_usec = rate;
		a->rep.rate_from = from;
		if (!rl_quiet)
			fprintf(stderr, "%s: cycles converted at %g GHz (%g cycles/us) from %s\n",
				rl_prog, rate / 1000.0, rate, from);
	}
	return 0;
}

/*
 * One overheads run: open the file set, find the cycle rate, --skew, the
 * report, the output. (Over 100 lines: one linear sequence whose steps share
 * the clean-up at the end.)
 */
static int ovh_run(char **args, int nargs, struct ovh_args *a)
{
	char rate_from[4096] = "";
	/* --input-format feather-trace keeps files another reader would claim */
	struct rl_ft_set_opts so = {&a->io.ro,
				    a->io.reader && !strcmp(a->io.reader, "feather-trace")};
	struct rl_trace *t = rl_trace_new();
	struct rl_ovh *h = NULL;
	struct rl_ft_set set = {0};
	struct rl_skew_ft_fix *fix = NULL;
	struct rl_skew_table skt;
	struct rl_outfile out;
	struct rl_err err;
	int r = 0, damage;

	rl_err_init(&err);
	rl_skew_table_init(&skt);
	if (!t)
		goto nomem;
	r = rl_ft_set_open(&set, args, nargs, &so, t, &err);
	if (r == -RL_E_USAGE) {
		rl_usage_error("%s", err.msg);
		r = RL_EXIT_USAGE;
		goto out;
	}
	if (r < 0)
		goto err;
	{
		/* as every command: no record in any file is bad data, not an empty table */
		uint64_t nrec = 0;
		uint32_t i;

		for (i = 0; i < set.n; i++)
			nrec += set.fs[i].nrec;
		if (!nrec) {
			rl_err_set(&err, -RL_E_FORMAT, NULL, RL_OFF_NONE,
				   "no records: every input file is empty");
			goto err;
		}
	}
	if (a->rep.cycles_per_usec <= 0) {
		r = ovh_find_rate(&set, a, rate_from, sizeof(rate_from));
		if (r)
			goto out;
	}
	if (a->schedcat && a->rep.cycles_per_usec <= 0) {
		rl_usage_error("--schedcat needs --cycles-per-usec (SchedCAT tables are in us; "
			       "no params.py beside the inputs gives clock-frequency)");
		r = RL_EXIT_USAGE;
		goto out;
	}
	if (rl_skew_wanted(&a->io)) { /* --skew: the IPI latencies once more, on one clock */
		r = rl_skew_setup_ft(&a->io, &set, &skt);
		if (r)
			goto out;
		if (skt.nvalid && !(fix = rl_skew_ft_fix_new(&set, &skt, &err)))
			goto err;
		a->oo.ipi_skew = fix;
	}
	{
		uint64_t bytes = 0;
		uint32_t i;

		for (i = 0; i < set.n; i++)
			bytes += set.fs[i].nrec * 16;
		rl_progress_begin(bytes); /* on a terminal: as each file is walked */
		a->oo.progress = ovh_progress;
	}
	h = rl_ovh_new(&a->oo, &err);
	if (!h)
		goto err;
	if (rl_ovh_add_set(h, &set, a->combine, a->threads, t, &err) < 0) {
		rl_progress_end();
		goto err;
	}
	rl_progress_end();
	if (a->oo.only_cpu >= 0 && !rl_quiet) {
		/* --cpu N: say so when no sample has that cpu (the table would be all zeros) */
		struct rl_ovh_series_info si;
		uint64_t kept = 0;
		uint32_t i;

		for (i = 0; i < rl_ovh_nseries(h); i++) {
			rl_ovh_series(h, i, &si);
			kept += si.n;
		}
		if (!kept)
			fprintf(stderr, "%s: warning: --cpu %d matches no sample\n", rl_prog,
				a->oo.only_cpu);
	}
	if (fix && !rl_quiet) {
		struct rl_skew_ft_fix_counts c;

		rl_skew_ft_fix_counts(fix, &c);
		fprintf(stderr,
			"%s: clock skew: %llu IPI latencies corrected (%llu still negative, %llu "
			"undecided: uncertainty >= |latency|), %llu left out (sender unknown %llu, "
			"cpu without offset %llu)\n",
			rl_prog, (unsigned long long)c.corrected, (unsigned long long)c.negative,
			(unsigned long long)c.undecided,
			(unsigned long long)(c.unattributed + c.no_offset),
			(unsigned long long)c.unattributed, (unsigned long long)c.no_offset);
	}
	if (a->schedcat) {
		r = ovh_schedcat(h, a, &err);
		if (r) {
			if (err.code)
				rl_print_err(&err);
			goto out;
		}
		if (!a->outpath)
			goto out;
	}
	r = rl_out_open(&out, a->outpath);
	if (r)
		goto out;
	if (ovh_write(h, a, out.f, &err) < 0) {
		rl_out_abort(&out);
		rl_print_err(&err);
		r = err.code == -RL_E_USAGE ? RL_EXIT_USAGE : RL_EXIT_DATA;
		goto out;
	}
	r = rl_out_commit(&out);
	goto out;
nomem:
	rl_err_set(&err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
err:
	rl_print_err(&err);
	r = RL_EXIT_DATA;
out:
	damage = t ? rl_print_warnings(t) : 0;
	if (!r && damage)
		r = RL_EXIT_DATA;
	rl_ovh_free(h);
	rl_skew_ft_fix_free(fix);
	rl_skew_table_release(&skt);
	rl_ft_set_close(&set);
	rl_trace_free(t);
	return r;
}

/* rtlens overheads --ftdump [--ft-endian E] [--ft-layout L] FILE: ftdump's listing */
static int ovh_ftdump(int argc, char **argv, int at)
{
	struct rl_input_opts io = {0};
	struct rl_ft_opts fo;
	struct rl_ft_file f;
	struct rl_input in;
	struct rl_err err;
	const char *path = NULL;
	int i, r;

	for (i = 1; i < argc; i++) {
		if (i == at)
			continue;
		if ((!strcmp(argv[i], "--ft-endian") || !strcmp(argv[i], "--ft-layout")) &&
		    i + 1 < argc) {
			if (rl_opt_input(argv[i][5] == 'e' ? 0x106 : 0x105, argv[i + 1], &io) < 0)
				return RL_EXIT_USAGE;
			i++;
		} else if (!path && argv[i][0] != '-') {
			path = argv[i];
		} else {
			rl_usage_error("usage: rtlens overheads --ftdump [--ft-endian E] "
				       "[--ft-layout L] FILE");
			return RL_EXIT_USAGE;
		}
	}
	if (!path) {
		rl_usage_error("--ftdump needs a file");
		return RL_EXIT_USAGE;
	}
	rl_err_init(&err);
	if (rl_input_open(&in, path, &io.ro, &err) < 0) {
		rl_print_err(&err);
		return RL_EXIT_DATA;
	}
	fo.layout = io.ro.ft_layout;
	fo.order = io.ro.ft_order;
	r = rl_ft_file_init(&f, &in, &fo, &err);
	if (r < 0)
		rl_print_err(&err);
	else
		r = rl_ftdump_write(&f, stdout);
	rl_input_close(&in);
	if (fflush(stdout) || r < 0)
		return RL_EXIT_DATA;
	return RL_EXIT_OK;
}

/* The options that only make sense for Feather-Trace files (NULL: not one). */
static const char *ovh_ft_only(int opt)
{
	switch (opt) {
	case 'p':
		return "--cycles-per-usec";
	case 0x305:
		return "--irq-counts";
	case 0x306:
		return "--schedcat";
	case 0x307:
		return "--combine";
	case 0x30c:
		return "--ignore-ipi-irq";
	case 0x30d:
		return "--no-interleaved";
	case 0x30e:
		return "--best-effort";
	case 0x30f:
		return "--rt-only";
	case 0x311:
		return "--avoid-cpu";
	case 0x312:
		return "--keep-negative";
	case 0x313:
		return "--threads";
	case 0x316:
		return "--task-count";
	default:
		return NULL;
	}
}

/* Linux traces: the options checked, --events parsed, then the latency report. */
static int ovh_linux(char **args, int nargs, struct ovh_args *a)
{
	char *dup, *tok, *save = NULL;
	unsigned id;
	int r = 0;

	if (a->ft_only) {
		rl_usage_error("%s applies to Feather-Trace files only, not to Linux traces",
			       a->ft_only);
		return RL_EXIT_USAGE;
	}
	if (a->events) {
		dup = strdup(a->events);
		if (!dup)
			return RL_EXIT_DATA;
		for (tok = strtok_r(dup, ",", &save); tok && !r; tok = strtok_r(NULL, ",", &save)) {
			if (rl_lat_schema.event_parse(tok, &id) < 0) {
				rl_usage_error(
					"--events: unknown kind '%s' (wakeup, irq, softirq, "
					"vector, timerlat_irq, timerlat_thread, ...: see --help)",
					tok);
				r = RL_EXIT_USAGE;
			}
			a->lat.want |= 1u << id;
		}
		free(dup);
		if (r)
			return r;
	}
	return lat_run(args, nargs, a);
}

/**
 * cmd_overheads() - rtlens overheads
 * @argc: argument count (argv[0] = "overheads")
 * @argv: arguments
 *
 * Return: exit status.
 */
int cmd_overheads(int argc, char **argv)
{
	return ovh_main(argc, argv, 0);
}

/**
 * ovh_main() - the options of rtlens overheads and rtlens latency
 * @argc:    argument count
 * @argv:    arguments
 * @latency: 1 for rtlens latency (Linux traces; -p is --pid, -n --name)
 *
 * rtlens overheads on Linux traces is rtlens latency.
 * (Over 100 lines: one case per option of both commands.)
 *
 * Return: exit status.
 */
int ovh_main(int argc, char **argv, int latency)
{
	static const struct option lopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"cycles-per-usec", required_argument, NULL, 'p'},
		{"per-cpu", no_argument, NULL, 0x300},
		{"samples", required_argument, NULL, 0x301},
		{"raw", no_argument, NULL, 0x302},
		{"cdf", no_argument, NULL, 0x303},
		{"hist", required_argument, NULL, 0x304},
		{"irq-counts", no_argument, NULL, 0x305},
		{"schedcat", required_argument, NULL, 0x306},
		{"combine", required_argument, NULL, 0x307},
		{"equalize", no_argument, NULL, 0x308},
		{"seed", required_argument, NULL, 0x309},
		{"events", required_argument, NULL, 0x30a},
		{"keep-irq", no_argument, NULL, 0x30b},
		{"ignore-ipi-irq", no_argument, NULL, 0x30c},
		{"no-interleaved", no_argument, NULL, 0x30d},
		{"best-effort", no_argument, NULL, 0x30e},
		{"rt-only", no_argument, NULL, 0x30f},
		{"cpu", required_argument, NULL, RL_OPT_CPU},
		{"avoid-cpu", required_argument, NULL, 0x311},
		{"keep-negative", no_argument, NULL, 0x312},
		{"threads", required_argument, NULL, 0x313},
		{"pid", required_argument, NULL, 0x314},
		{"name", required_argument, NULL, 0x315},
		{"task-count", required_argument, NULL, 0x316},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{"comm", required_argument, NULL, RL_OPT_COMM},
		{"from", required_argument, NULL, RL_OPT_FROM},
		{"to", required_argument, NULL, RL_OPT_TO},
		RL_UNIT_LONGOPT,
		RL_INPUT_LONGOPTS,
		RL_SKEW_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	static struct rl_vocab voc;
	struct ovh_args a;
	enum rl_family fam;
	int opt, i, r, nmodes;

	const char *help = latency ? lat_help : ovh_help;

	for (i = 1; i < argc && !latency; i++)
		if (!strcmp(argv[i], "--ftdump"))
			return ovh_ftdump(argc, argv, i);
	for (i = 1; i < argc && !latency; i++)
		if (!strcmp(argv[i], "--ft2csv")) {
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof(*argv));
			rl_prog = "rtlens overheads --ft2csv";
			return cmd_ft2csv(argc - 1, argv);
		}
	memset(&a, 0, sizeof(a));
	a.oo.only_cpu = -1;
	a.oo.avoid_cpu = -1;
	a.rep.fmt = RL_OUT_TABLE;
	a.rep.seed = 1;
	a.combine = "cpu,msg,seq";
	rl_vocab_init(&voc, RL_UNIT_NS, 0, RL_VOCAB_US);
	voc.sel.keep_taskless = 1;
	a.voc = &voc;
	a.threads = rl_online_cpus();
	if (a.threads < 1)
		a.threads = 1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, latency ? "f:p:n:o:hq" : "f:p:o:hq", lopts, NULL)) !=
	       -1) {
		r = rl_opt_input(opt, optarg, &a.io);
		if (!r && opt != RL_OPT_PID && opt != RL_OPT_COMM)
			r = rl_opt_vocab(opt, optarg, &voc);
		if (r < 0)
			return RL_EXIT_USAGE;
		if (r)
			continue;
		if (latency && (opt == 'p' || opt == 'n'))
			opt = opt == 'p' ? 0x314 : 0x315;
		if (!a.ft_only)
			a.ft_only = ovh_ft_only(opt);
		switch (opt) {
		case 'f':
			if (rl_opt_format(optarg,
					  RL_VOCAB_FMT(RL_OUT_TABLE) | RL_VOCAB_FMT(RL_OUT_CSV) |
						  RL_VOCAB_FMT(RL_OUT_JSON),
					  &a.rep.fmt))
				return RL_EXIT_USAGE;
			break;
		case 'p': {
			char *end;

			errno = 0;
			a.rep.cycles_per_usec = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(a.rep.cycles_per_usec > 0) ||
			    a.rep.cycles_per_usec > 1e9) {
				rl_usage_error(
					"--cycles-per-usec takes a positive number, not '%s'",
					optarg);
				return RL_EXIT_USAGE;
			}
			break;
		}
		case 0x300:
			a.oo.per_cpu = 1;
			break;
		case 0x301:
			a.samples = optarg;
			break;
		case 0x302:
			a.raw = 1;
			break;
		case 0x303:
			a.cdf = 1;
			break;
		case 0x304:
			if (ovh_parse_u64(optarg, &a.hist) || !a.hist) {
				rl_usage_error("--hist takes a positive bin width, not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			break;
		case 0x305:
			a.irq_csv = 1;
			break;
		case 0x306:
			a.schedcat = optarg;
			break;
		case 0x307:
			a.combine = optarg;
			break;
		case 0x308:
			a.rep.equalize = 1;
			break;
		case 0x309:
			if (ovh_parse_u64(optarg, &a.rep.seed)) {
				rl_usage_error("--seed takes an unsigned integer, not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			break;
		case 0x30a:
			a.events = optarg;
			break;
		case 0x30b:
			a.oo.keep_irq = 1;
			break;
		case 0x30c:
			a.oo.ignore_ipi_irq = 1;
			break;
		case 0x30d:
			a.oo.no_interleaved = 1;
			break;
		case 0x30e:
			a.oo.best_effort = 1;
			break;
		case 0x30f:
			a.oo.best_effort = -1;
			break;
		case 0x311:
			if (ovh_parse_cpu(optarg, &a.oo.avoid_cpu)) {
				rl_usage_error("--avoid-cpu takes a cpu number 0..255, not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			break;
		case 0x312:
			a.oo.keep_negative = 1;
			break;
		case 0x313: {
			uint64_t v;

			if (ovh_parse_u64(optarg, &v) || !v || v > 1024) {
				rl_usage_error("--threads takes 1..1024, not '%s'", optarg);
				return RL_EXIT_USAGE;
			}
			a.threads = (int)v;
			break;
		}
		case 0x314: {
			uint64_t v;

			/* one pid: the wake-up series filter; a list: event selection */
			if (!ovh_parse_u64(optarg, &v) && v && v <= INT32_MAX)
				a.lat.filter.pid = (int32_t)v;
			else if (rl_opt_vocab(RL_OPT_PID, optarg, &voc) < 0)
				return RL_EXIT_USAGE;
			a.lx_only = "--pid";
			break;
		}
		case 0x316: {
			uint64_t v;

			if (ovh_parse_u64(optarg, &v) || !v || v > INT32_MAX) {
				rl_usage_error("--task-count takes a positive integer, not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			a.rep.task_count = (long)v;
			break;
		}
		case RL_OPT_COMM:
		case 0x315:
			if (!*optarg) {
				rl_usage_error("--%s takes a task name, not ''",
					       opt == RL_OPT_COMM ? "comm" : "name");
				return RL_EXIT_USAGE;
			}
			a.lat.filter.name = optarg;
			a.lx_only = opt == RL_OPT_COMM ? "--comm" : "--name";
			break;
		case 'o':
			a.outpath = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			return RL_EXIT_OK;
		default:
			rl_try_help(latency ? "latency" : "overheads");
			return RL_EXIT_USAGE;
		}
	}
	a.rep.unit_us = voc.unit == RL_UNIT_US;
	nmodes = !!a.samples + a.cdf + !!a.hist + a.irq_csv;
	/* the statistics need no sample order, so exact counts suffice */
	a.oo.count_only = !a.samples && !a.rep.equalize;
	if (nmodes > 1) {
		rl_usage_error("--samples, --cdf, --hist and --irq-counts exclude each other");
		return RL_EXIT_USAGE;
	}
	if (a.raw && !a.samples) {
		rl_usage_error("--raw goes with --samples");
		return RL_EXIT_USAGE;
	}
	if (a.rep.task_count && !a.schedcat) {
		rl_usage_error("--task-count goes with --schedcat");
		return RL_EXIT_USAGE;
	}
	if (optind >= argc) {
		rl_usage_error("no input files (see 'rtlens %s --help')",
			       latency ? "latency" : "overheads");
		return RL_EXIT_USAGE;
	}
	/* the inputs are loaded once; their family picks the analysis */
	fam = ovh_inputs(argv + optind, argc - optind, &a, latency);
	if (fam == RL_FAM_LINUX || fam == RL_FAM_XEN || latency) {
		if (fam == RL_FAM_XEN && !latency) {
			r = xen_ovh_run(argv + optind, argc - optind, &a);
		} else {
			a.lat.keep_cpu = rl_vocab_sample_cpus(&voc);
			a.lat.keep_arg = &voc;
			r = ovh_linux(argv + optind, argc - optind, &a);
		}
		rl_open_close(&a.in);
		return r;
	}
	/* Feather-Trace: rl_ft_set_open() loads and checks the file set itself */
	rl_open_close(&a.in);
	if (a.lx_only) {
		rl_usage_error("%s applies to Linux traces only", a.lx_only);
		return RL_EXIT_USAGE;
	}
	if (voc.sel.has_from || voc.sel.has_to) {
		rl_usage_error("--from/--to do not apply to Feather-Trace files: their cycle "
			       "counters have no trace time");
		return RL_EXIT_USAGE;
	}
	if (voc.sel.cpus.n) {
		if (voc.sel.cpus.n != 1 || voc.sel.cpus.r[0].lo != voc.sel.cpus.r[0].hi ||
		    voc.sel.cpus.r[0].lo > 255) {
			rl_usage_error("--cpu on Feather-Trace files takes one cpu number 0..255, "
				       "not a list ('%s')",
				       voc.given);
			return RL_EXIT_USAGE;
		}
		a.oo.only_cpu = (int)voc.sel.cpus.r[0].lo;
	}
	if (a.events && ovh_parse_events(a.events, a.oo.want))
		return RL_EXIT_USAGE;
	return ovh_run(argv + optind, argc - optind, &a);
}
