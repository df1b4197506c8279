/* cli/cmd-info.c - `rtlens info`: what is in a trace. */
#include "cli.h"

#include <getopt.h>

static const char info_help[] =
	"usage: rtlens info [OPTIONS] FILE...\n\n"
	"Describe a trace: format, CPUs, records by type, time span, tasks and anomalies.\n"
	"Per-CPU files of one trace are given together, in any order. For xentrace,\n"
	"the jobs counted are the RTDS server periods ('rtlens jobs --help').\n\n"
	"Options:\n"
	"  --format FMT          table (default: the text below) or json\n"
	"  --json                machine-readable output (--format json)\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
	"  -h, --help            this help\n" RL_SELECT_HELP
	"  With a selection, everything counted (events, span, jobs) is over the\n"
	"  selected events; files, cpus and tasks describe the whole trace. An event\n"
	"  belongs to its subject task; events of no task and task names and\n"
	"  parameters (no time) fail --pid/--comm and --from/--to. A bare --from/--to\n"
	"  number is in ns.\n" RL_INPUT_HELP;

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{"output", required_argument, NULL, 'o'},
		RL_FORMAT_LONGOPT,
		RL_SELECT_LONGOPTS,
		RL_INPUT_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct rl_input_opts io = {0};
	static struct rl_vocab v;
	struct rl_outfile out = {0};
	const char *outpath = NULL;
	struct rl_info *info = NULL;
	struct rl_sink *sink;
	struct rl_open o;
	struct rl_err err;
	int json = 0, opt, r, damage;

	rl_vocab_init(&v, RL_UNIT_NS, RL_VOCAB_FMT(RL_OUT_TABLE) | RL_VOCAB_FMT(RL_OUT_JSON), 0);
	while ((opt = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
		if ((r = rl_opt_vocab(opt, optarg, &v))) {
			if (r < 0)
				return RL_EXIT_USAGE;
			if (opt == RL_OPT_FORMAT)
				json = v.fmt == RL_OUT_JSON;
		} else if (opt == 'o')
			outpath = optarg;
		else if (opt == 'j')
			json = 1;
		else if (opt == 'h') {
			fputs(info_help, stdout);
			return RL_EXIT_OK;
		} else {
			int k = rl_opt_input(opt, optarg, &io);

			if (k <= 0) {
				if (!k)
					rl_try_help("info");
				return RL_EXIT_USAGE;
			}
		}
	}
	r = rl_open_files(&o, argv + optind, argc - optind, &io);
	if (r) {
		rl_open_close(&o);
		return r;
	}
	rl_err_init(&err);
	info = rl_info_new(o.t, &err);
	if (!info) {
		rl_print_err(&err);
		rl_open_close(&o);
		return RL_EXIT_DATA;
	}
	sink = rl_info_sink(info);
	r = rl_run_selected(&o, &v, &sink, 1);
	if (!r)
		r = rl_out_stdout(&out, outpath);
	if (!r && rl_info_write(info, stdout, json) < 0)
		r = RL_EXIT_DATA;
	if (fflush(stdout) || ferror(stdout))
		r = RL_EXIT_DATA;
	if (out.f && out.f != stdout) {
		if (r)
			rl_out_abort(&out);
		else
			r = rl_out_commit(&out);
	}
	damage = rl_print_warnings(o.t);
	if (!r && damage)
		r = RL_EXIT_DATA;
	rl_info_free(info);
	rl_open_close(&o);
	return r;
}
