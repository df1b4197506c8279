/* cli/cmd-latency.c - `rtlens latency`: wake-up latency and IRQ durations of Linux traces. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char lat_help[] =
	"usage: rtlens latency [OPTIONS] FILE...\n\n"
	"Latency distributions of a Linux trace (trace.dat, ftrace text, CTF), one line per\n"
	"key: samples, samples left out, min, mean, p50, p99, max.\n"
	"  wakeup   per task and prio: wake-up (sched_waking, else sched_wakeup) of a\n"
	"           sleeping task to its next switch-in\n"
	"  irq      per IRQ: irq_handler_entry to irq_handler_exit\n"
	"  softirq  per vector: softirq_entry to softirq_exit\n"
	"  vector   per x86 vector: local_timer_entry/exit, reschedule_entry/exit...\n"
	"Like Feather-Trace overhead samples, samples disturbed by an interrupt handler\n"
	"starting on the CPU inside the interval (f_irq; the reschedule IPI excepted) or\n"
	"spanning lost events (f_lost) are counted and left out.\n\n"
	"Options:\n"
	"  -m                    times in milliseconds (default nanoseconds)\n"
	"  -p PID                wake-up latency of this task only\n"
	"  -n NAME               wake-up latency of tasks with this name only\n"
	"  --format FMT          table (default), csv, json\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
	"  -h, --help            this help\n" RL_INPUT_HELP;

int cmd_latency(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'F'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		RL_INPUT_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct rl_input_opts io = {0};
	struct rl_job_out jo = {.fmt = RL_OUT_TABLE};
	const char *outpath = NULL;
	struct rl_outfile out;
	struct rl_open o;
	struct rl_lat *lat;
	struct rl_sink *sink;
	struct rl_err err;
	int opt, r, damage;

	while ((opt = getopt_long(argc, argv, "mp:n:o:hq", longopts, NULL)) != -1) {
		switch (opt) {
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
		case 'F':
			if (!strcmp(optarg, "csv"))
				jo.fmt = RL_OUT_CSV;
			else if (!strcmp(optarg, "table"))
				jo.fmt = RL_OUT_TABLE;
			else if (!strcmp(optarg, "json"))
				jo.fmt = RL_OUT_JSON;
			else {
				rl_usage_error("--format takes csv, table or json, not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			fputs(lat_help, stdout);
			return RL_EXIT_OK;
		default: {
			int k = rl_opt_input(opt, optarg, &io);

			if (k <= 0) {
				if (!k)
					fputs(lat_help, stderr);
				return RL_EXIT_USAGE;
			}
		}
		}
	}
	r = rl_open_files(&o, argv + optind, argc - optind, &io);
	if (r) {
		rl_open_close(&o);
		return r;
	}
	rl_err_init(&err);
	lat = rl_lat_new(o.t, &err);
	if (!lat) {
		rl_print_err(&err);
		rl_open_close(&o);
		return RL_EXIT_DATA;
	}
	sink = rl_lat_sink(lat);
	r = rl_run_sinks(&o, &sink, 1);
	if (!r && rl_lat_unmatched(lat))
		rl_trace_warn(o.t, RL_W_OTHER, UINT16_MAX, RL_OFF_NONE,
			      "%llu handler exits matched no entry on their CPU (trace started "
			      "inside a handler?)",
			      (unsigned long long)rl_lat_unmatched(lat));
	if (!r) {
		r = rl_out_open(&out, outpath);
		if (!r) {
			if (rl_lat_write(lat, out.f, &jo, &err) < 0) {
				rl_print_err(&err);
				rl_out_abort(&out);
				r = RL_EXIT_DATA;
			} else {
				r = rl_out_commit(&out);
			}
		}
	}
	damage = rl_print_warnings(o.t);
	if (!r && damage)
		r = RL_EXIT_DATA;
	rl_lat_free(lat);
	rl_open_close(&o);
	return r;
}
