/*
 * cli/cmd-latency.c - `rtlens latency`: Linux wake-up latency and handler
 * durations through the overhead report (the same statistics, samples, CDF
 * and histogram outputs as Feather-Trace overheads; the options are parsed
 * by cmd-overheads.c, so `rtlens overheads` on a Linux trace is the same).
 */
#include "ovh-cli.h"

#include <string.h>

const char lat_help[] =
	"usage: rtlens latency [OPTIONS] FILE...\n"
	"       rtlens overheads [OPTIONS] FILE...   (the same, on a Linux trace)\n\n"
	"Latency distributions of a Linux trace (trace.dat, ftrace text, CTF), in the\n"
	"Feather-Trace overhead report: one row per series with n, min, max, mean,\n"
	"median, stddev (ddof 1), var (ddof 0), p90, p95, p99, p99.9 (linear\n"
	"interpolation, from exact integer ns; shown in us) and the samples left out\n"
	"by reason. Series (the event column) and their columns id, name, prio:\n"
	"  wakeup   per task (id = pid, name) and prio: wake-up (sched_waking, else\n"
	"           sched_wakeup) of a sleeping task to its next switch-in\n"
	"  irq      per IRQ (id): irq_handler_entry to irq_handler_exit\n"
	"  softirq  per vector (id, name): softirq_entry to softirq_exit\n"
	"  vector   per x86 vector (id): local_timer_entry/exit, ...\n"
	"Like Feather-Trace samples, a sample is left out and counted when an\n"
	"interrupt handler (the reschedule IPI excepted) started on the CPU inside\n"
	"the interval (irq), when events were lost on the CPU meanwhile (lost), or\n"
	"when a woken task switched out with no switch-in in the trace (no_switch_in).\n\n"
	"Options:\n"
	"  --format FMT          table (default), csv or json\n"
	"  --samples KIND        the exact kept samples of KIND (CSV group,cpu,value\n"
	"                        in ns; `rtlens plot` draws their CDF)\n"
	"  --raw                 with --samples: little-endian int64 values only\n"
	"  --cdf                 CDF CSV of every series (exact ns values)\n"
	"  --hist WIDTH          histogram CSV, bins of WIDTH ns\n"
	"  --per-cpu             one series per CPU (where the sample ends)\n"
	"  --events LIST         only these kinds (comma-separated: wakeup,irq,...)\n"
	"  --keep-irq            keep samples disturbed by an interrupt\n"
	"  --equalize            truncate each kind's series to the smallest sample\n"
	"                        count by a seeded shuffle; --seed N (default 1)\n"
	"  -p, --pid PID         wake-up series of this task only (a LIST: the\n"
	"                        selection below)\n"
	"  -n, --name NAME       wake-up series of tasks with this name only (--comm)\n"
	"  --unit us             the report's unit (the only one; the unit column\n"
	"                        names it)\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
	"  -h, --help            this help\n" RL_SELECT_HELP
	"  --cpu keeps the samples that end on those CPUs (the cpu column of\n"
	"  --per-cpu; a wake-up on another CPU still counts). --from/--to and a\n"
	"  --pid LIST drop events before the analysis: a sample counts when its\n"
	"  start and end events are both selected (inside the window); events of no\n"
	"  task (interrupts, lost records) pass --pid. A bare --from/--to number is\n"
	"  in ns.\n" RL_INPUT_HELP RL_SKEW_HELP;

/**
 * ovh_inputs() - load the inputs of rtlens overheads once and answer their family
 * @args:    paths
 * @nargs:   their number
 * @a:       parsed options; a->in holds the loaded inputs when kept
 * @latency: invoked as rtlens latency: keep the inputs whatever they are
 *
 * A directory that is at best CTF (no CTF metadata inside) is taken for a
 * Feather-Trace directory.
 *
 * Return: RL_FAM_LINUX, RL_FAM_XEN, or RL_FAM_FEATHER (inputs not kept).
 */
enum rl_family ovh_inputs(char **args, int nargs, struct ovh_args *a, int latency)
{
	const struct rl_reader_ops *rd = a->io.reader ? rl_reader_find(a->io.reader) : NULL;
	struct rl_fileset *fs = &a->in.fs;
	enum rl_family fam = RL_FAM_FEATHER;
	struct rl_err err;
	int ok = 0;

	memset(&a->in, 0, sizeof(a->in));
	rl_err_init(&err);
	if (nargs > 0 && rl_fileset_open(fs, args, (size_t)nargs, rd, &a->io.ro, &err) == 0) {
		ok = 1;
		fam = fs->family;
		if (fam == RL_FAM_LINUX && fs->confidence <= 1)
			fam = RL_FAM_FEATHER;
	}
	if (!ok && latency)
		rl_fileset_close(fs); /* lat_run() loads them again and reports the error */
	if (fam != RL_FAM_LINUX && fam != RL_FAM_XEN && !(latency && ok))
		return RL_FAM_FEATHER; /* its path warns about empty files itself */
	rl_warn_empty(fs);
	a->loaded = 1;
	return fam;
}

/**
 * lat_run() - latency series of a Linux trace, written as the overhead report
 * @args:  input paths
 * @nargs: their number
 * @a:     parsed options
 *
 * Return: exit status.
 */
int lat_run(char **args, int nargs, struct ovh_args *a)
{
	struct rl_open *o = &a->in;
	struct rl_lat *lat = NULL;
	struct rl_sink *sink;
	struct rl_err err;
	int r, damage;

	rl_err_init(&err);
	r = a->loaded ? rl_open_start(o, &a->io) : rl_open_files(o, args, nargs, &a->io);
	if (r) {
		rl_open_close(o);
		return r;
	}
	if (!rl_lxjobs_is_linux(o->t)) {
		fprintf(stderr,
			"%s: error: %s trace, not a Linux trace (trace.dat, ftrace text, "
			"CTF); Feather-Trace overheads: rtlens overheads\n",
			args[0], o->t->format);
		/* a good trace the command does not read: a usage error, as in rtlens xen */
		r = RL_EXIT_USAGE;
		goto out;
	}
	a->lat.per_cpu = a->oo.per_cpu;
	a->lat.keep_irq = a->oo.keep_irq;
	a->lat.count_only = a->oo.count_only;
	lat = rl_lat_new(o->t, &a->lat, &err);
	if (!lat) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
		goto out;
	}
	sink = rl_lat_sink(lat);
	r = rl_run_selected(o, a->voc, &sink, 1);
	if (!r && rl_lat_unmatched(lat))
		rl_trace_warn(o->t, RL_W_OTHER, UINT16_MAX, RL_OFF_NONE,
			      "%llu handler exits matched no entry on their CPU (trace started "
			      "inside a handler?)",
			      (unsigned long long)rl_lat_unmatched(lat));
	if (!r)
		r = ovh_emit(rl_lat_ovh(lat), a);
	if (!r)
		rl_vocab_report(a->voc, "sample");
out:
	damage = rl_print_warnings(o->t);
	if (!r && damage)
		r = RL_EXIT_DATA;
	rl_lat_free(lat);
	rl_open_close(o);
	return r;
}

/**
 * cmd_latency() - rtlens latency
 * @argc: argument count (argv[0] = "latency")
 * @argv: arguments
 *
 * Return: exit status.
 */
int cmd_latency(int argc, char **argv)
{
	return ovh_main(argc, argv, 1);
}
