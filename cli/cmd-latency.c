/*
 * cli/cmd-latency.c - `rtlens latency`: Linux wake-up latency and handler
 * durations through the overhead report (the same statistics, samples, CDF
 * and histogram outputs as Feather-Trace overheads; the options are parsed
 * by cmd-overheads.c, so `rtlens overheads` on a Linux trace is the same).
 */
#include "ovh-cli.h"
#include "../readers/cyclictest.h"

#include <math.h>
#include <stdlib.h>
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
	"The osnoise / timerlat / hwlat tracers' records (trace-cmd record -p timerlat\n"
	"-e osnoise; ftrace:timerlat, osnoise, hwlat and osnoise:*_noise) give\n"
	"  timerlat_irq, timerlat_thread, timerlat_uret  per CPU (id): timer_latency\n"
	"  irq_noise, softirq_noise  per vector; thread_noise per task; nmi_noise,\n"
	"           osnoise (noise per period), hwlat (max of inner, outer) per CPU\n"
	"  (every sample kept), and with --samples activation, per activation (IRQ\n"
	"  and thread sample of one seqnum on a CPU): cpu, seqnum, expiry_ns (IRQ time\n"
	"  minus its latency), irq_ns, thread_ns (empty if not in the trace), the net\n"
	"  ns and count of each noise source whose record ended after the expiry and\n"
	"  not after the thread sample, unexplained_ns (thread_ns minus that noise)\n"
	"  and the longest thread noise (top_thread comm:pid, top_thread_ns).\n"
	"Like Feather-Trace samples, a sample is left out and counted when an\n"
	"interrupt handler (the reschedule IPI excepted) started on the CPU inside\n"
	"the interval (irq), when events were lost on the CPU meanwhile (lost), or\n"
	"when a woken task switched out with no switch-in in the trace (no_switch_in).\n\n"
	"cyclictest results (rt-tests: the -h/--histfile text or --json; one or more\n"
	"files, e.g. host and guest, rows labelled by file) give the same report:\n"
	"  cyclictest  per file and thread (columns file, thread, cpu): statistics\n"
	"           from the histogram's counts, exactly; samples above its range\n"
	"           are counted (overflows) and the max kept, and a statistic that\n"
	"           needs their values is left empty (stddev, var, the percentiles\n"
	"           they reach; the mean is then cyclictest's own avg). --cdf and\n"
	"           --hist work (ns), --cpu keeps the threads bound to those CPUs;\n"
	"           the text form does not record its unit (--nsecs writes the\n"
	"           same lines in ns): read as ns when every thread's Min is >= 1000,\n"
	"           else as us (a warning and exit 1 when an Avg is >= 1000).\n\n"
	"Options:\n"
	"  --format FMT          table (default), csv or json\n"
	"  --samples KIND        the exact kept samples of KIND (CSV group,cpu,value\n"
	"                        in ns; `rtlens plot` draws their CDF); KIND\n"
	"                        activation: one CSV row per timerlat activation\n"
	"                        (below)\n"
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

/* How many of the inputs are cyclictest results (none with --input-format). */
/* The wake-up series filter (one --pid, --comm/-n) matched no task of the trace: say so. */
static void lat_filter_report(const struct rl_trace *t, const struct rl_job_filter *fl)
{
	uint32_t i;

	if ((!fl->pid && !fl->name) || rl_quiet)
		return;
	for (i = 0; i < t->ntasks; i++)
		if ((!fl->pid || t->tasks[i].pid == fl->pid) &&
		    (!fl->name || !strcmp(rl_strtab_get(t->strs, t->tasks[i].name), fl->name)))
			return;
	fprintf(stderr, "%s: warning: ", rl_prog);
	if (fl->pid)
		fprintf(stderr, "--pid %ld%s", (long)fl->pid, fl->name ? " " : "");
	if (fl->name)
		fprintf(stderr, "--comm %s", fl->name);
	fputs(" matches no task\n", stderr);
}

static int lat_cyc_count(char **args, int nargs, const struct rl_input_opts *io)
{
	struct rl_input in;
	struct rl_err err;
	int i, n = 0;

	if (io->reader)
		return 0;
	for (i = 0; i < nargs; i++) {
		rl_err_init(&err);
		if (rl_input_open(&in, args[i], &io->ro, &err) < 0)
			continue;
		if (!in.is_dir && rl_cyclictest_probe(in.buf, in.len) >= 50)
			n++;
		rl_input_close(&in);
	}
	return n;
}

/* The label of input @i: its base name, or the path as given when two base names agree. */
static const char *lat_cyc_label(char **args, int nargs, int i)
{
	const char *b = strrchr(args[i], '/'), *bj;
	int j;

	b = b ? b + 1 : args[i];
	for (j = 0; j < nargs; j++) {
		bj = strrchr(args[j], '/');
		bj = bj ? bj + 1 : args[j];
		if (j != i && !strcmp(b, bj))
			return args[i];
	}
	return b;
}

/* Say, unless -q, which statistics the overflows of each series leave unknown. */
static void lat_cyc_notes(const struct rl_cnt_set *set)
{
	static const char *const nm[7] = {"mean", "stddev/var", "median", "p90",
					  "p95",  "p99",	"p99.9"};
	struct rl_ovh_stat st;
	uint32_t i;
	unsigned u, k;

	for (i = 0; i < set->n && !rl_quiet; i++) {
		const struct rl_cnt_series *s = &set->s[i];
		char buf[128] = "";
		size_t o = 0;

		if (!s->over)
			continue;
		u = rl_cnt_stat(s, &st);
		for (k = 0; k < 7; k++)
			if (u & (1u << k) && o < sizeof(buf))
				o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
						      o ? ", " : "", nm[k]);
		if (!s->nval)
			fprintf(stderr,
				"%s: note: thread %u: no sample in a histogram (run without -h, "
				"or all above its range): %s unknown%s\n",
				s->file, s->thread, buf,
				u & RL_CNT_U_MEAN ? "" : "; mean is cyclictest's avg");
		else
			fprintf(stderr,
				"%s: note: thread %u: %llu of %llu samples above the histogram's "
				"range (>= %g us, max %g us): %s unknown%s\n",
				s->file, s->thread, (unsigned long long)s->over,
				(unsigned long long)s->n, (double)s->over_lo / 1000.0,
				(double)s->max / 1000.0, buf,
				u & RL_CNT_U_MEAN ? "" : "; mean is cyclictest's avg");
	}
}

/*
 * Say how the unit of a text histogram was inferred. Return: 1 when the
 * reading may be wrong (µs, but a mean of a millisecond or more).
 */
static int lat_cyc_unit(const struct rl_cyclictest *c, const char *path)
{
	uint32_t i;

	if (c->form != RL_CYC_TEXT)
		return 0;
	if (c->unit_from == RL_CYC_FROM_MIN && !rl_quiet)
		fprintf(stderr,
			"%s: note: text histogram read as ns (cyclictest --nsecs): every "
			"thread's Min is >= %u\n",
			path, RL_CYC_NS_MIN);
	if (c->unit_from != RL_CYC_FROM_DOUBT)
		return 0;
	for (i = 0; i < c->nthreads; i++)
		if (c->threads[i].cycles && c->threads[i].avg >= (double)RL_CYC_NS_MIN)
			break;
	fprintf(stderr,
		"%s: warning: text histogram read as us, but thread %u has Avg %.0f (>= 1 ms "
		"in us; an --nsecs file of a machine with sub-us minima would look so)\n",
		path, i, i < c->nthreads ? c->threads[i].avg : 0.0);
	return 1;
}

/**
 * lat_cyc_run() - cyclictest results through the latency report
 * @args:  input paths (every one a cyclictest file)
 * @nargs: their number
 * @a:     parsed options
 *
 * Return: exit status.
 */
static int lat_cyc_run(char **args, int nargs, struct ovh_args *a)
{
	struct rl_cnt_set set = {0};
	struct rl_outfile out;
	struct rl_err err;
	const char *bad = a->samples	    ? "--samples (cyclictest keeps counts, not samples; "
					      "use --cdf or --hist)"
			  : a->rep.equalize ? "--equalize"
			  : a->lx_only	    ? a->lx_only
			  : a->events	    ? "--events"
			  : a->voc->sel.has_from || a->voc->sel.has_to ? "--from/--to"
			  : a->voc->sel.pids.n			       ? "--pid"
								       : NULL;
	uint32_t i, k;
	int r = 0, doubt = 0;

	if (bad) {
		rl_usage_error("%s does not apply to cyclictest results", bad);
		return RL_EXIT_USAGE;
	}
	rl_err_init(&err);
	for (i = 0; i < (uint32_t)nargs; i++) {
		struct rl_cyclictest c;
		struct rl_input in;

		rl_cyclictest_init(&c);
		if (rl_input_open(&in, args[i], &a->io.ro, &err) < 0)
			goto data;
		r = rl_cyclictest_parse(&c, in.buf, in.len, args[i], &err);
		rl_input_close(&in);
		if (r == 0)
			doubt |= lat_cyc_unit(&c, args[i]);
		if (r == 0)
			r = rl_cnt_add_cyclictest(&set, &c, lat_cyc_label(args, nargs, (int)i),
						  &err);
		rl_cyclictest_release(&c);
		if (r < 0)
			goto data;
	}
	if (a->lat.keep_cpu) {
		/* --cpu: the threads bound to those CPUs */
		for (i = 0, k = 0; i < set.n; i++) {
			struct rl_cnt_series *s = &set.s[i];

			if (s->cpu >= 0 && a->lat.keep_cpu(a->lat.keep_arg, (uint32_t)s->cpu)) {
				set.s[k++] = *s;
				continue;
			}
			if (s->cpu < 0 && !rl_quiet)
				fprintf(stderr,
					"%s: warning: thread %u has no known CPU (the text form "
					"does not say): left out by --cpu\n",
					s->file, s->thread);
			free(s->group);
			free(s->file);
			free(s->val);
			free(s->cnt);
		}
		set.n = k;
		if (!k && !rl_quiet)
			fprintf(stderr, "%s: warning: --cpu %s matches no thread\n", rl_prog,
				a->voc->given);
	}
	r = rl_out_open(&out, a->outpath);
	if (r)
		goto out;
	if (a->cdf || a->hist)
		r = rl_cnt_write_dist(&set, out.f, a->cdf ? 0 : a->hist, &err);
	else
		r = rl_cnt_write_stats(&set, out.f, &a->rep, &err);
	if (r < 0) {
		rl_out_abort(&out);
		rl_print_err(&err);
		r = err.code == -RL_E_USAGE ? RL_EXIT_USAGE : RL_EXIT_DATA;
		goto out;
	}
	r = rl_out_commit(&out);
	if (!r && !a->cdf && !a->hist)
		lat_cyc_notes(&set);
	if (!r && doubt)
		r = RL_EXIT_DATA;
	goto out;
data:
	rl_print_err(&err);
	r = RL_EXIT_DATA;
out:
	rl_cnt_release(&set);
	return r;
}

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
	if (nargs > 0 && lat_cyc_count(args, nargs, &a->io) == nargs)
		return RL_FAM_LINUX; /* cyclictest results: lat_run() reads them */
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

struct lat_act_out {
	FILE *f;
	const struct rl_trace *t;
};

static void lat_act_num(FILE *f, int64_t v)
{
	if (v >= 0)
		fprintf(f, "%lld", (long long)v);
}

/* One row of --samples activation. */
static int lat_act_row(void *arg, const struct rl_lat_act *a, struct rl_err *err)
{
	struct lat_act_out *o = arg;
	int64_t sum = 0;
	int k;

	(void)err;
	fprintf(o->f, "%u,%u,%lld,", a->cpu, a->seqnum, (long long)a->expiry);
	lat_act_num(o->f, a->irq_lat);
	fputc(',', o->f);
	lat_act_num(o->f, a->thread_lat);
	for (k = 0; k < 4; k++) {
		fprintf(o->f, ",%lld,%u", (long long)a->noise[k], a->count[k]);
		sum = a->noise[k] > INT64_MAX - sum ? INT64_MAX : sum + a->noise[k];
	}
	fputc(',', o->f);
	if (a->thread_lat >= 0)
		fprintf(o->f, "%lld", (long long)(a->thread_lat - sum));
	if (a->top_task != RL_NO_TASK && a->top_task < o->t->ntasks) {
		const struct rl_task *tk = &o->t->tasks[a->top_task];

		fprintf(o->f, ",%s:%d,%lld\n", rl_strtab_get(o->t->strs, tk->name), tk->pid,
			(long long)a->top_ns);
	} else {
		fputs(",,\n", o->f);
	}
	return 0;
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
	struct rl_outfile out;
	struct lat_act_out ao = {0};
	int r, damage, acts = a->samples && !strcmp(a->samples, "activation");

	rl_err_init(&err);
	if (!a->loaded) {
		int ncyc = lat_cyc_count(args, nargs, &a->io);

		if (ncyc == nargs)
			return lat_cyc_run(args, nargs, a);
		if (ncyc) {
			rl_usage_error("cyclictest results and traces go in separate calls");
			return RL_EXIT_USAGE;
		}
	}
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
	if (acts) {
		if (a->raw) {
			rl_usage_error("--raw does not go with --samples activation (CSV rows)");
			r = RL_EXIT_USAGE;
			goto out;
		}
		r = rl_out_open(&out, a->outpath);
		if (r)
			goto out;
		ao.f = out.f;
		ao.t = o->t;
		fputs("cpu,seqnum,expiry_ns,irq_ns,thread_ns,irq_noise_ns,irq_noise_n,"
		      "softirq_noise_ns,softirq_noise_n,thread_noise_ns,thread_noise_n,nmi_noise_"
		      "ns,"
		      "nmi_noise_n,unexplained_ns,top_thread,top_thread_ns\n",
		      ao.f);
		a->lat.on_act = lat_act_row;
		a->lat.act_arg = &ao;
		a->lat.count_only = 1;
	}
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
	if (acts) {
		if (r)
			rl_out_abort(&out);
		else
			r = rl_out_commit(&out);
		ao.f = NULL;
	} else if (!r) {
		r = ovh_emit(rl_lat_ovh(lat), a);
	}
	if (!r)
		rl_vocab_report(a->voc, "sample");
	if (!r)
		lat_filter_report(o->t, &a->lat.filter);
out:
	if (ao.f)
		rl_out_abort(&out);
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
