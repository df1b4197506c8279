/* cli/cmd-info.c - `rtlens info`: what is in a trace. */
#include "cli.h"

#include <getopt.h>

static const char info_help[] =
	"usage: rtlens info [OPTIONS] FILE...\n\n"
	"Describe a trace: format, CPUs, records by type, time span, tasks and anomalies.\n"
	"Per-CPU files of one trace are given together, in any order. For xentrace,\n"
	"the jobs counted are the RTDS server periods ('rtlens jobs --help').\n\n"
	"Options:\n"
	"  --json                machine-readable output\n"
	"  -h, --help            this help\n" RL_INPUT_HELP;

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		RL_INPUT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct rl_input_opts io = { 0 };
	struct rl_info *info = NULL;
	struct rl_sink *sink;
	struct rl_open o;
	struct rl_err err;
	int json = 0, opt, r, damage;

	while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
		if (opt == 'j')
			json = 1;
		else if (opt == 'h') {
			fputs(info_help, stdout);
			return RL_EXIT_OK;
		} else {
			int k = rl_opt_input(opt, optarg, &io);

			if (k <= 0) {
				if (!k)
					fputs(info_help, stderr);
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
	r = rl_run_sinks(&o, &sink, 1);
	if (!r && rl_info_write(info, stdout, json) < 0)
		r = RL_EXIT_DATA;
	damage = rl_print_warnings(o.t);
	if (!r && damage)
		r = RL_EXIT_DATA;
	rl_info_free(info);
	rl_open_close(&o);
	return r;
}
