/*
 * cli/ - the rtlens command line: argument parsing, diagnostics, exit codes.
 * The only module that prints diagnostics, exits, or keeps globals.
 */
#ifndef RL_CLI_H
#define RL_CLI_H

#include <stdio.h>

#include "../model/model.h"
#include "../readers/readers.h"
#include "../skew/skew.h"
#include "../stats/stats.h"

#define RL_EXIT_OK 0
#define RL_EXIT_DATA 1
#define RL_EXIT_USAGE 2

extern const char *rl_prog; /* name used in messages */
extern int rl_quiet;        /* -q: no warnings */

struct rl_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *status;
};

int cmd_info(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_jobs(int argc, char **argv);
int cmd_xen(int argc, char **argv);
int cmd_latency(int argc, char **argv);
int cmd_st_job_stats(int argc, char **argv);
int cmd_unsupported(int argc, char **argv);
int cmd_draw(int argc, char **argv);
int cmd_st_draw(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_overheads(int argc, char **argv);
int cmd_ft2csv(int argc, char **argv);

/*
 * Inputs opened for one run: loaded once (rl_open_inputs(), which answers
 * the family), then read through the pipeline (rl_open_start()).
 */
struct rl_open {
	struct rl_fileset fs;
	struct rl_trace *t;
	struct rl_pipeline p;
	struct rl_skew_table skew; /* empty: no clock correction */
	struct rl_merge *m;        /* p.m: the merged stream */
};

/* Common input options, filled by rl_opt_input(). */
struct rl_input_opts {
	const char *reader; /* --input-format */
	struct rl_read_opts ro;
};

/* Long options every reading command accepts (merged into each table). */
#define RL_INPUT_LONGOPTS                                                                          \
	{ "input-format", required_argument, NULL, 0x100 },                                        \
		{ "st-format", required_argument, NULL, 0x101 },                                   \
		{ "max-inflate", required_argument, NULL, 0x102 },                                 \
		{ "cpu-hz", required_argument, NULL, 0x103 },                                      \
		{ "xen-version", required_argument, NULL, 0x104 },                                 \
		{ "ft-layout", required_argument, NULL, 0x105 },                                   \
		{ "ft-endian", required_argument, NULL, 0x106 },                                   \
		{ "quiet", no_argument, NULL, 'q' }

#define RL_INPUT_HELP                                                                              \
	"Input options:\n"                                                                         \
	"  --input-format NAME   read as NAME (sched_trace, feather-trace, xentrace,\n"         \
	"                        trace.dat, ftrace-text, ctf); default: detect\n"              \
	"  --st-format 2010|2016 sched_trace record numbering; default: detect\n"                 \
	"  --max-inflate BYTES   largest decompressed size of a gzip input (default 16G)\n"       \
	"  --cpu-hz HZ           xentrace: TSC rate (K, M, G suffixes: 3.392G); default:\n"     \
	"                        estimated from the trace's context switches\n"                  \
	"  --xen-version X.Y     xentrace: payload layouts of Xen X.Y (4.5-4.19); default:\n"   \
	"                        detected from the file\n"                                       \
	"  --ft-layout L         Feather-Trace record layout: current, 2012a, 2008\n"             \
	"  --ft-endian E         Feather-Trace byte order: auto (default), le, be\n"              \
	"  -q, --quiet           do not print warnings (they still set the exit code)\n"

/* Return: 1 if handled, 0 if not an input option, -1 on a bad value (printed). */
int rl_opt_input(int opt, const char *arg, struct rl_input_opts *io);

/* Load the files once and find their reader: o->fs.family. Return: 0 or an exit code. */
int rl_open_inputs(struct rl_open *o, char **paths, int n, const struct rl_input_opts *io);
/* Read the loaded files through the pipeline: o->t, o->m. Return: 0 or an exit code. */
int rl_open_start(struct rl_open *o, const struct rl_input_opts *io);
/* Warn about the empty files a file set left out (unless -q). */
void rl_warn_empty(const struct rl_fileset *fs);
/* Start again from the first event, into a new trace (a second pass). Return: exit code. */
int rl_open_rewind(struct rl_open *o, const struct rl_input_opts *io);
/* Both. Return: 0, or an exit code with the error printed. */
int rl_open_files(struct rl_open *o, char **paths, int n, const struct rl_input_opts *io);
void rl_open_close(struct rl_open *o);
/* The exit code of a library error: 2 for usage errors and mixed recordings, else 1. */
int rl_exit_code(const struct rl_err *e);

/* Print an rl_err compiler-style. */
void rl_print_err(const struct rl_err *e);
/* Print the trace's warnings; Return: 1 if any of them means damaged data. */
int rl_print_warnings(const struct rl_trace *t);
/* Drive the merge into sinks, with progress on a terminal. Return: exit code. */
int rl_run_sinks(struct rl_open *o, struct rl_sink **sinks, size_t n);

void rl_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Atomic output: write to PATH.tmpXXXXXX, rename on success. NULL/"-" = stdout. */
struct rl_outfile {
	FILE *f;
	char *path;
	char *tmp;
};
int rl_out_open(struct rl_outfile *o, const char *path);
int rl_out_commit(struct rl_outfile *o);
void rl_out_abort(struct rl_outfile *o);

#endif /* RL_CLI_H */
