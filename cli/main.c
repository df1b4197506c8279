/* cli/main.c - rtlens entry point: subcommands and compatibility names. */
#include "cli.h"

#include <libgen.h>
#include <string.h>

#ifndef RL_VERSION
#define RL_VERSION "0.1"
#endif

static const struct rl_cmd rl_cmds[] = {
	{"info", cmd_info, "format, CPUs, records by type, time span, tasks, anomalies", "works"},
	{"dump", cmd_dump, "canonical text, one event per line", "works"},
	{"jobs", cmd_jobs, "per-job table, per-task summary, st-job-stats compatible output",
	 "works"},
	{"xen", cmd_xen, "xentrace: per-VCPU runstates, per-PCPU use, RTDS periods, overheads",
	 "works"},
	{"overheads", cmd_overheads, "Feather-Trace overhead statistics, ft2csv compatible output",
	 "works"},
	{"draw", cmd_draw, "schedule images (st-draw): PNG, SVG, PDF; per-task or per-CPU",
	 "works"},
	{"plot", cmd_plot, "CDF and histogram plots of CSV samples; job response-time CDFs",
	 "works"},
	{"latency", cmd_latency, "Linux wake-up latency and IRQ/softirq durations", "works"},
	{"skew", cmd_skew, "per-CPU clock offsets from causal pairs, with bounds", "works"},
	{"db", cmd_db, "one run into an SQLite database (jobs, tasks, parameters)", "works"},
	{"batch", cmd_batch, "every run of an experiment tree into one database, in parallel",
	 "works"},
	{"merge", cmd_merge, "SQLite databases of runs into one (scale-out)", "works"},
};

#define RL_NCMDS (sizeof(rl_cmds) / sizeof(rl_cmds[0]))

static void rl_main_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: rtlens COMMAND [OPTIONS] FILE...\n\n"
		   "Real-time scheduling traces (LITMUS^RT sched_trace and Feather-Trace,\n"
		   "xentrace, ftrace, CTF) into job statistics, overheads and pictures.\n\n"
		   "Commands:\n");
	for (i = 0; i < RL_NCMDS; i++)
		fprintf(f, "  %-10s %s%s%s\n", rl_cmds[i].name, rl_cmds[i].summary,
			strcmp(rl_cmds[i].status, "works") ? " -- " : "",
			strcmp(rl_cmds[i].status, "works") ? rl_cmds[i].status : "");
	fprintf(f, "\nCompatibility names (symlinks to rtlens): st-job-stats, ft2csv, st-draw.\n"
		   "Run 'rtlens COMMAND --help' for a command's options.\n"
		   "Exit status: 0 ok, 1 bad data or i/o error, 2 usage error.\n");
}

int cmd_unsupported(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: rtlens %s\n\nNot yet supported in this version of rtlens: the "
		       "command "
		       "is reserved\n(see 'rtlens --help' and the README's command table).\n",
		       argv[0]);
		return RL_EXIT_OK;
	}
	fprintf(stderr, "%s: %s: not yet supported in this version of rtlens\n", rl_prog, argv[0]);
	return RL_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	char *base = basename(argv[0]);
	size_t i;

	if (!strcmp(base, "st-job-stats") || !strcmp(base, "st_job_stats")) {
		rl_prog = "st-job-stats";
		return cmd_st_job_stats(argc, argv);
	}
	if (!strcmp(base, "st-draw") || !strcmp(base, "st_draw")) {
		rl_prog = "st-draw";
		return cmd_st_draw(argc, argv);
	}
	if (!strcmp(base, "ft2csv")) {
		rl_prog = "ft2csv";
		return cmd_ft2csv(argc, argv);
	}
	if (argc < 2) {
		rl_main_usage(stderr);
		return RL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		rl_main_usage(stdout);
		return RL_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("rtlens %s\n", RL_VERSION);
		return RL_EXIT_OK;
	}
	for (i = 0; i < RL_NCMDS; i++)
		if (!strcmp(argv[1], rl_cmds[i].name))
			return rl_cmds[i].fn(argc - 1, argv + 1);
	rl_usage_error("unknown command '%s' (see 'rtlens --help')", argv[1]);
	return RL_EXIT_USAGE;
}
