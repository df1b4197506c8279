/*
 * cli/cmd-xen.c - `rtlens xen`: per-VCPU, per-PCPU, RTDS and overhead views
 * of a xentrace; and `rtlens overheads` on xentrace files (the scheduler
 * overheads in the overhead report, options parsed by cmd-overheads.c).
 */
#include "ovh-cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char xen_help[] =
	"usage: rtlens xen [OPTIONS] FILE\n\n"
	"The hypervisor's view of a xentrace trace.\n\n"
	"Sections (default: all, as text tables):\n"
	"  --vcpus               per VCPU (domain, vcpu): time and share running, runnable,\n"
	"                        blocked/offline and lost (after lost records); dispatches,\n"
	"                        wake-ups, preemptions; wait (runnable -> running)\n"
	"                        p50/p95/p99/max; PCPU changes; runstate mismatches\n"
	"  --pcpus               per PCPU: busy (a non-idle VCPU), idle, other time, switches\n"
	"  --rtds                RTDS server periods as job rows: replenish time, release,\n"
	"                        deadline (trace timeline, Xen time + fitted offset), budget,\n"
	"                        consumed, remaining, depleted, response (release ->\n"
	"                        depletion), deadline miss (budget left while the VCPU still\n"
	"                        wanted to run at the next replenish)\n"
	"  --overheads           scheduler overhead statistics, as 'rtlens overheads FILE'\n"
	"                        prints them (same columns; that command also gives\n"
	"                        --samples KIND, --cdf, --hist, --per-cpu, json): sched\n"
	"                        (SCHEDULE -> decision, 4.8+), switch (SWITCH_INFPREV ->\n"
	"                        switch-in), tickle (TICKLE -> tickled SCHEDULE on the\n"
	"                        target, 4.8+), irq (IRQ_HANDLED), research builds' probes;\n"
	"                        spans left out: lost (lost records on the PCPU inside),\n"
	"                        incomplete (no end: a new start or the end of the trace),\n"
	"                        negative (end before start: TSC skew)\n"
	"With only --vcpus and/or --pcpus, records other than runstate changes and lost\n"
	"records are skipped undecoded (faster); the other sections decode every record.\n\n"
	"Options:\n"
	"  --format FMT          table (default), csv (exactly one section) or json (every\n"
	"                        chosen section in one object, CSV column names as keys,\n"
	"                        null where the CSV is empty); csv and json times in ns\n"
	"  --unit ns             the CSV's and JSON's unit (the only one; the tables name\n"
	"                        theirs, s and us, in their headers)\n"
	"  --samples FILE        also write every overhead sample as CSV (kind,cpu,ts,ns)\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
	"  -h, --help            this help\n" RL_SELECT_HELP
	"  The selection drops events before the analysis: --cpu selects PCPUs, --pid\n"
	"  VCPU numbers and --comm VCPUs by name (d2v1); every figure is then over the\n"
	"  selected events (a window cuts the runstate intervals at its edges). A bare\n"
	"  --from/--to number is in ns.\n" RL_INPUT_HELP;

/* Warnings printed (damage makes a success exit 1), then everything closed. */
static int xen_close(struct rl_open *o, struct rl_xen *x, int r)
{
	int damage = rl_print_warnings(o->t);

	if (!r && damage)
		r = RL_EXIT_DATA;
	rl_xen_free(x);
	rl_open_close(o);
	return r;
}

static int xen_run(char **files, int nfiles, const struct rl_input_opts *io, unsigned sections,
		   enum rl_out_format fmt, const char *outpath, const char *samples,
		   struct rl_vocab *v)
{
	struct rl_open o;
	struct rl_outfile out, sout;
	struct rl_xen *x = NULL;
	struct rl_sink *sink;
	struct rl_err err;
	int r;

	rl_err_init(&err);
	r = rl_open_files(&o, files, nfiles, io);
	if (r) {
		rl_open_close(&o);
		return r;
	}
	if (o.t->family != RL_FAM_XEN) {
		fprintf(stderr, "%s: error: %s is a %s trace; 'rtlens xen' reads xentrace files\n",
			rl_prog, files[0], o.t->format);
		rl_open_close(&o);
		return RL_EXIT_USAGE;
	}
	x = rl_xen_new(o.t, &err);
	if (!x) {
		rl_print_err(&err);
		rl_open_close(&o);
		return RL_EXIT_DATA;
	}
	if ((sections & RL_XEN_OVERHEADS) || samples) {
		struct rl_xen_ovh_opts xo = {.count_only = 1, .keep_rows = !!samples};

		if (rl_xen_ovh(x, &xo, &err) < 0) {
			rl_print_err(&err);
			r = RL_EXIT_DATA;
			goto out;
		}
	}
	sink = rl_xen_sink(x);
	r = rl_run_selected(&o, v, &sink, 1);
	if (r)
		goto out;
	r = rl_out_open(&out, outpath);
	if (r)
		goto out;
	if (rl_xen_write(x, out.f, sections, fmt, &err) < 0) {
		rl_print_err(&err);
		rl_out_abort(&out);
		r = RL_EXIT_DATA;
		goto out;
	}
	r = rl_out_commit(&out);
	if (r || !samples)
		goto out;
	r = rl_out_open(&sout, samples);
	if (r)
		goto out;
	if (rl_xen_write_samples(x, sout.f, &err) < 0) {
		rl_print_err(&err);
		rl_out_abort(&sout);
		r = RL_EXIT_DATA;
		goto out;
	}
	r = rl_out_commit(&sout);
out:
	return xen_close(&o, x, r);
}

/**
 * xen_ovh_run() - `rtlens overheads` on xentrace files
 * @args:  input paths
 * @nargs: their number
 * @a:     parsed options of rtlens overheads
 *
 * Return: exit status.
 */
int xen_ovh_run(char **args, int nargs, struct ovh_args *a)
{
	struct rl_xen_ovh_opts xo = {0};
	struct rl_open *o = &a->in;
	struct rl_xen *x = NULL;
	struct rl_sink *sink;
	struct rl_err err;
	const char *bad = a->ft_only ? a->ft_only : a->lx_only;
	int r;

	if (!bad && a->oo.keep_irq)
		bad = "--keep-irq";
	if (bad) {
		rl_usage_error("%s does not apply to xentrace files", bad);
		return RL_EXIT_USAGE;
	}
	if (a->events) {
		char *dup = strdup(a->events), *tok, *save = NULL;
		unsigned id;

		if (!dup)
			return RL_EXIT_DATA;
		for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (rl_xen_schema.event_parse(tok, &id) < 0) {
				rl_usage_error(
					"--events: unknown Xen overhead '%s' (sched, switch, "
					"tickle, irq, rtxen_*, mc_*: see 'rtlens xen --help')",
					tok);
				free(dup);
				return RL_EXIT_USAGE;
			}
			xo.want |= 1u << id;
		}
		free(dup);
	}
	xo.per_cpu = a->oo.per_cpu;
	xo.count_only = a->oo.count_only;
	rl_err_init(&err);
	r = a->loaded ? rl_open_start(o, &a->io) : rl_open_files(o, args, nargs, &a->io);
	if (r) {
		rl_open_close(o);
		return r;
	}
	x = rl_xen_new(o->t, &err);
	if (!x || rl_xen_ovh(x, &xo, &err) < 0) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
		goto out;
	}
	sink = rl_xen_sink(x);
	r = rl_run_selected(o, a->voc, &sink, 1);
	if (!r)
		r = ovh_emit(rl_xen_ovh_get(x), a);
out:
	return xen_close(o, x, r);
}

int cmd_xen(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"vcpus", no_argument, NULL, 'V'},
		{"pcpus", no_argument, NULL, 'P'},
		{"rtds", no_argument, NULL, 'R'},
		{"overheads", no_argument, NULL, 'O'},
		{"format", required_argument, NULL, 'F'},
		{"samples", required_argument, NULL, 'S'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		RL_SELECT_LONGOPTS,
		RL_UNIT_LONGOPT,
		RL_INPUT_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	static struct rl_vocab voc;
	struct rl_input_opts io = {0};
	enum rl_out_format fmt = RL_OUT_TABLE;
	const char *outpath = NULL, *samples = NULL;
	unsigned sections = 0, nsec = 0;
	int opt, f;

	rl_vocab_init(&voc, RL_UNIT_NS, 0, RL_VOCAB_NS);
	while ((opt = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
		switch (opt) {
		case 'V':
			sections |= RL_XEN_VCPUS;
			break;
		case 'P':
			sections |= RL_XEN_PCPUS;
			break;
		case 'R':
			sections |= RL_XEN_RTDS;
			break;
		case 'O':
			sections |= RL_XEN_OVERHEADS;
			break;
		case 'F':
			if (rl_opt_format(optarg,
					  RL_VOCAB_FMT(RL_OUT_TABLE) | RL_VOCAB_FMT(RL_OUT_CSV) |
						  RL_VOCAB_FMT(RL_OUT_JSON),
					  &f))
				return RL_EXIT_USAGE;
			fmt = (enum rl_out_format)f;
			break;
		case 'S':
			samples = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			fputs(xen_help, stdout);
			return RL_EXIT_OK;
		default: {
			int k = rl_opt_vocab(opt, optarg, &voc);

			if (!k)
				k = rl_opt_input(opt, optarg, &io);
			if (k <= 0) {
				if (!k)
					rl_try_help("xen");
				return RL_EXIT_USAGE;
			}
		}
		}
	}
	if (!sections)
		sections = RL_XEN_ALL;
	for (opt = 0; opt < 4; opt++)
		nsec += (sections >> opt) & 1;
	if (fmt == RL_OUT_CSV && nsec != 1) {
		rl_usage_error("--format csv needs exactly one of --vcpus, --pcpus, --rtds, "
			       "--overheads");
		return RL_EXIT_USAGE;
	}
	/* per-VCPU and per-PCPU views need only runstate (and lost) records: skip the rest */
	if (!(sections & ~(unsigned)(RL_XEN_VCPUS | RL_XEN_PCPUS)) && !samples)
		io.ro.xen_mask = 0x00021000;
	if (argc - optind != 1) {
		rl_usage_error("xen takes one xentrace file (try --help)");
		return RL_EXIT_USAGE;
	}
	return xen_run(argv + optind, argc - optind, &io, sections, fmt, outpath, samples, &voc);
}
