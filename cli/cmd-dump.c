/* cli/cmd-dump.c - `rtlens dump`: the canonical text form of a trace, one event a line. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>

static const char dump_help[] =
	"usage: rtlens dump [OPTIONS] FILE...\n\n"
	"Print every event in merged time order, one per line:\n"
	"  TIME_NS CPU TYPE NAME pid=PID job=JOB arg=ARG arg2=ARG2 [FLAGS] @SRC:0xOFFSET\n"
	"FLAGS, in this order: forced late notime irq inherited raw blocked derived.\n"
	"TYPE is rtlens's event type, NAME the source's own record name, SRC the index\n"
	"of the input file (in command-line order after empty files are dropped).\n\n"
	"Options:\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
	"  -h, --help            this help\n" RL_SELECT_HELP
	"  An event belongs to its subject task (pid= column); events of no task (pid=-)\n"
	"  and task names and parameters (no time) fail --pid/--comm and --from/--to.\n"
	"  A bare --from/--to number is in ns.\n" RL_INPUT_HELP RL_SKEW_HELP;

int cmd_dump(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		RL_SELECT_LONGOPTS,
		RL_INPUT_LONGOPTS,
		RL_SKEW_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct rl_input_opts io = {0};
	static struct rl_vocab v;
	struct rl_outfile out;
	struct rl_open o;
	struct rl_dump_sink d;
	struct rl_sink *sinks[1];
	const char *outpath = NULL;
	int opt, r, damage;

	rl_vocab_init(&v, RL_UNIT_NS, 0, 0);
	while ((opt = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
		if ((r = rl_opt_vocab(opt, optarg, &v))) {
			if (r < 0)
				return RL_EXIT_USAGE;
		} else if (opt == 'o')
			outpath = optarg;
		else if (opt == 'h') {
			fputs(dump_help, stdout);
			return RL_EXIT_OK;
		} else {
			int k = rl_opt_input(opt, optarg, &io);

			if (k <= 0) {
				if (!k)
					rl_try_help("dump");
				return RL_EXIT_USAGE;
			}
		}
	}
	r = rl_open_files(&o, argv + optind, argc - optind, &io);
	if (r) {
		rl_open_close(&o);
		return r;
	}
	r = rl_out_open(&out, outpath);
	if (r) {
		rl_open_close(&o);
		return r;
	}
	rl_dump_sink_init(&d, out.f, o.t);
	if (o.p.order.st) /* --skew: lines whose cross-cpu order is undecided say so */
		d.skew_undecided = &o.p.order.cur;
	sinks[0] = &d.sink;
	r = rl_run_selected(&o, &v, sinks, 1);
	if (r)
		rl_out_abort(&out);
	else
		r = rl_out_commit(&out);
	damage = rl_print_warnings(o.t);
	if (!r && damage)
		r = RL_EXIT_DATA;
	rl_open_close(&o);
	return r;
}
