/*
 * cli/ovh-cli.h - what `rtlens overheads` and `rtlens latency` share: one
 * option parser and one output dispatch over the overhead accumulator, fed
 * by Feather-Trace files (cmd-overheads.c) or a Linux trace (cmd-latency.c).
 */
#ifndef RL_OVH_CLI_H
#define RL_OVH_CLI_H

#include "cli.h"

struct ovh_args {
	struct rl_input_opts io;
	struct rl_ovh_opts oo;
	struct rl_ovh_report rep;
	struct rl_lat_opts lat;
	const char *combine;
	const char *samples;
	const char *schedcat;
	const char *outpath;
	const char *events;  /* --events, parsed once the kind of input is known */
	const char *ft_only; /* first Feather-Trace-only option given */
	const char *lx_only; /* first Linux-only option given */
	uint64_t hist;
	int raw, cdf, irq_csv;
	int threads;
	struct rl_vocab *voc; /* --cpu --pid --from --to --unit: the shared vocabulary */
	struct rl_open in;    /* Linux and xentrace inputs, loaded once by ovh_inputs() */
	int loaded;
};

/* The parser of both commands; @latency: invoked as `rtlens latency`. */
int ovh_main(int argc, char **argv, int latency);
/* The chosen output (statistics, samples, CDF, histogram, irq counts) of @h. */
int ovh_write(struct rl_ovh *h, const struct ovh_args *a, FILE *f, struct rl_err *err);
/* ovh_write() of @h to --output (atomically) or standard output; Return: exit status. */
int ovh_emit(struct rl_ovh *h, const struct ovh_args *a);
/* Linux traces: the latency analysis into the accumulator, then ovh_write(). */
int lat_run(char **args, int nargs, struct ovh_args *a);
/*
 * Load the inputs once into a->in and answer their family: RL_FAM_LINUX or
 * RL_FAM_XEN (or any, with @latency), else RL_FAM_FEATHER: the
 * Feather-Trace path then loads and checks its file set with rl_ft_set_open().
 */
enum rl_family ovh_inputs(char **args, int nargs, struct ovh_args *a, int latency);

/* xentrace files (cmd-xen.c): the scheduler overheads, then ovh_write(). */
int xen_ovh_run(char **args, int nargs, struct ovh_args *a);

extern const char lat_help[];

#endif /* RL_OVH_CLI_H */
