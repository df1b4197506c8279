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
#include "../filters/filters.h"

#define RL_EXIT_OK 0
#define RL_EXIT_DATA 1
#define RL_EXIT_USAGE 2

extern const char *rl_prog; /* name used in messages */
extern int rl_quiet;	    /* -q: no warnings */

/* Online CPUs (at least 1): the default thread and process counts. */
int rl_online_cpus(void);

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
int cmd_skew(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_batch(int argc, char **argv);

/*
 * Inputs opened for one run: loaded once (rl_open_inputs(), which answers
 * the family), then read through the pipeline (rl_open_start()).
 */
struct rl_open {
	struct rl_fileset fs;
	struct rl_trace *t;
	struct rl_pipeline p;
	struct rl_skew_table skew; /* empty: no clock correction */
	struct rl_merge *m;	   /* p.m: the merged stream */
	int skew_ready;		   /* skew built (kept across rewinds) */
	int skew_noted;		   /* the undecided-order note printed */
};

/* Common input options, filled by rl_opt_input(). */
struct rl_input_opts {
	const char *reader; /* --input-format */
	struct rl_read_opts ro;
	const char *skew; /* --skew: NULL or "off", "estimate", or an rtlens skew --json file */
	int skew_force;	  /* --skew-force */
};

/* --skew and --skew-force: the commands that correct clocks add these to their tables. */
/* clang-format off */
#define RL_SKEW_LONGOPTS                                                                           \
	{ "skew", required_argument, NULL, 0x107 },                                                \
		{ "skew-force", no_argument, NULL, 0x108 }
#define RL_SKEW_HELP                                                                               \
	"Clock skew (doc/skew.md):\n"                                                              \
	"  --skew=MODE           per-CPU clock offsets taken out of every time: off\n"            \
	"                        (default), estimate (a first pass estimates them, as\n"          \
	"                        rtlens skew), or FILE.json (an earlier rtlens skew --json)\n"    \
	"  --skew-force          also apply offsets of quality incomplete or fail (one-sided\n"   \
	"                        bounds, contradictions); otherwise they are refused (exit 2)\n"
/* clang-format on */

struct rl_ft_set;
/* The clock correction of --skew for a trace read through the pipeline (ns). Return: exit code. */
int rl_skew_setup(struct rl_open *o, const struct rl_input_opts *io);
/* --skew for Feather-Trace files (cycles): @st filled from an estimate over @set or a file.
 * Return: 0, or an exit code with the error printed. */
int rl_skew_setup_ft(const struct rl_input_opts *io, const struct rl_ft_set *set,
		     struct rl_skew_table *st);
/* After a corrected run: the count of events whose cross-cpu order is undecided (stderr). */
void rl_skew_note_order(struct rl_open *o);
/* Whether --skew asks for a correction. */
int rl_skew_wanted(const struct rl_input_opts *io);

/* Long options every reading command accepts (merged into each table). */
/* clang-format off */
#define RL_INPUT_LONGOPTS                                                                          \
	{ "input-format", required_argument, NULL, 0x100 },                                        \
		{ "st-format", required_argument, NULL, 0x101 },                                   \
		{ "max-inflate", required_argument, NULL, 0x102 },                                 \
		{ "max-ratio", required_argument, NULL, 0x109 },                                   \
		{ "ctf-timeout", required_argument, NULL, 0x10a },                                 \
		{ "cpu-hz", required_argument, NULL, 0x103 },                                      \
		{ "xen-version", required_argument, NULL, 0x104 },                                 \
		{ "ft-layout", required_argument, NULL, 0x105 },                                   \
		{ "ft-endian", required_argument, NULL, 0x106 },                                   \
		{ "quiet", no_argument, NULL, 'q' }
/* clang-format on */

/* clang-format off */
#define RL_INPUT_HELP                                                                              \
	"Input options:\n"                                                                         \
	"  --input-format NAME   read as NAME (sched_trace, feather-trace, xentrace,\n"         \
	"                        trace.dat, ftrace-text, ctf); default: detect\n"              \
	"  --st-format 2010|2016 sched_trace record numbering; default: detect\n"                 \
	"  --max-inflate BYTES   largest decompressed size of a gzip/zstd input (default 16G)\n"  \
	"  --max-ratio N         refuse a gzip/zstd input past 64M that decompresses to more\n"  \
	"                        than N times its size (a bomb; default 200)\n"                 \
	"  --ctf-timeout SECS    CTF: refuse a trace whose packets libbabeltrace2 has not\n"    \
	"                        indexed after SECS seconds (default 30 + 1 per 16M)\n"       \
	"  --cpu-hz HZ           xentrace: TSC rate (K, M, G suffixes: 3.392G); default:\n"     \
	"                        estimated from the trace's context switches\n"                  \
	"  --xen-version X.Y     xentrace: payload layouts of Xen X.Y (4.5-4.19); default:\n"   \
	"                        detected from the file\n"                                       \
	"  --ft-layout L         Feather-Trace record layout: current, 2012a, 2008\n"             \
	"  --ft-endian E         Feather-Trace byte order: auto (default), le, be\n"              \
	"  -q, --quiet           do not print warnings (they still set the exit code)\n"
/* clang-format on */

/* Return: 1 if handled, 0 if not an input option, -1 on a bad value (printed). */
int rl_opt_input(int opt, const char *arg, struct rl_input_opts *io);
/* rtlens db, batch (cmd-db.c): an input option and its meta row; one run into @outpath. */
#define RL_DB_NOPTS 10 /* meta rows rl_db_opt_input() may fill */
int rl_db_opt_input(int opt, const char *arg, struct rl_input_opts *io, struct rl_db_opt *opts,
		    size_t *nopts);
/* @threads: threads the run may use (overheads, SQLite's index sorts); nothing else changes. */
int rl_db_write_run(char **args, int nargs, const char *name, const struct rl_input_opts *io,
		    const char *outpath, const struct rl_db_opt *opts, size_t nopts, int threads);
int rl_db_run_id_of(char **args, int nargs, const struct rl_input_opts *io, char id[17]);
/* SQLite sorter helper threads beside a writer that may use @threads in all. */
int rl_db_sorter_threads(int threads);

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
/* Progress of a long command on a terminal (stderr a tty and not -q; else all no-ops):
 * begin with the input's size in bytes (0 unknown), show what is done (bytes, a count of
 * @what per second ("events"; NULL none), @detail before it or NULL; redrawn at most 4
 * times a second), end erases the line. */
void rl_progress_begin(uint64_t total_bytes);
void rl_progress_show(uint64_t bytes, uint64_t count, const char *what, const char *detail);
void rl_progress_end(void);
/* rl_progress_begin() with the trace's size; Return: rl_run()'s callback, NULL off a tty. */
rl_progress_fn rl_progress_tty(const struct rl_trace *t);
/* Drive the merge into sinks, with progress on a terminal. Return: exit code. */
int rl_run_sinks(struct rl_open *o, struct rl_sink **sinks, size_t n);

void rl_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "(try 'rtlens CMD --help')" on stderr: the hint after an unknown option */
void rl_try_help(const char *cmd);

/* Atomic output: write to PATH.tmpXXXXXX, rename on success. NULL/"-" = stdout. */
struct rl_outfile {
	FILE *f;
	char *path;
	char *tmp;
	void *live; /* the signal handler's copy of @tmp (common.c) */
};
int rl_out_open(struct rl_outfile *o, const char *path);
int rl_out_commit(struct rl_outfile *o);
void rl_out_abort(struct rl_outfile *o);

/* ================================ option vocabulary (common.c, rl_opt_vocab) */

/*
 * One vocabulary on every command that reads traces: --cpu LIST, --pid
 * LIST, --comm NAME, --from T, --to T select; --unit and --format choose
 * how results are printed. Commands merge the long options they take into
 * their getopt table, hand unknown codes to rl_opt_vocab(), and run their
 * sinks through rl_run_selected(), which puts the selection stage
 * (filters/select.c) between the merge and them.
 */
#define RL_OPT_CPU 0x120
#define RL_OPT_PID 0x121
#define RL_OPT_COMM 0x122
#define RL_OPT_FROM 0x123
#define RL_OPT_TO 0x124
#define RL_OPT_UNIT 0x125
#define RL_OPT_FORMAT 0x126
#define RL_OPT_OUTPUT 'o'

/* clang-format off */
/* clang-format off */
#define RL_SELECT_LONGOPTS                                                                         \
	{ "cpu", required_argument, NULL, RL_OPT_CPU },                                            \
		{ "pid", required_argument, NULL, RL_OPT_PID },                                    \
		{ "comm", required_argument, NULL, RL_OPT_COMM },                                  \
		{ "from", required_argument, NULL, RL_OPT_FROM },                                  \
		{ "to", required_argument, NULL, RL_OPT_TO }
/* clang-format on */

/* clang-format off */
#define RL_UNIT_LONGOPT { "unit", required_argument, NULL, RL_OPT_UNIT }
/* clang-format on */
/* clang-format off */
#define RL_FORMAT_LONGOPT { "format", required_argument, NULL, RL_OPT_FORMAT }
/* clang-format on */
/* clang-format on */

/* The selection options' help; each command adds what they mean for it. */
/* clang-format off */
#define RL_SELECT_HELP                                                                             \
	"Selection (the same on every command that reads traces):\n"                               \
	"  --cpu LIST            only CPUs in LIST (0-3,8)\n"                                      \
	"  --pid LIST            only tasks with these pids (100,200-210)\n"                       \
	"  --comm NAME           only tasks of this name (as in the task table)\n"                 \
	"  --from T, --to T      only the window [T1, T2), counted from the trace's first\n"       \
	"                        timed event; T has a unit: ns, us, ms, s (250ms, 1.5s)\n"
/* clang-format on */

/* Bits of rl_vocab.units: the units --unit accepts. */
#define RL_VOCAB_NS 0x1
#define RL_VOCAB_US 0x2
#define RL_VOCAB_MS 0x4
/* Bits of rl_vocab.fmts: 1 << enum rl_out_format. */
#define RL_VOCAB_FMT(f) (1u << (f))

/**
 * struct rl_vocab - the shared options as parsed
 * @sel:       --cpu --pid --comm --from --to
 * @stage:     the selection stage between the merge and the back ends (set up
 *             by rl_run_selected() or rl_vocab_selection()); for a job selection it
 *             forwards every event and judges the jobs (rl_select_job())
 * @given:     the options as typed, for the "matches nothing" warning
 * @time_unit: unit of a bare --from/--to number (RL_UNIT_*)
 * @unit:      --unit in ns per unit, 0 if not given
 * @fmt:       --format (enum rl_out_format), -1 if not given
 * @fmts:      formats --format accepts (RL_VOCAB_FMT bits)
 * @units:     units --unit accepts (RL_VOCAB_* bits)
 * @sample_cpus: latency: CPUs whose samples are kept (rl_vocab_sample_cpus())
 * @jobs_kept: jobs (latency: samples) the selection kept
 * @nsel:      selection options given
 * @staged:    @stage is set up
 * @job_mode:  the selection applies to jobs (rl_vocab_job_filter()), not events
 * @job_hook:  with @job_mode: the keep() callback is installed
 * @rel:       with @job_mode: times count from the system release (-r)
 */
struct rl_vocab {
	struct rl_select_opts sel;
	struct rl_select stage;
	struct rl_idset sample_cpus;
	char given[160];
	int64_t time_unit;
	int64_t unit;
	uint64_t jobs_kept;
	int fmt;
	unsigned fmts, units;
	int nsel, staged;
	uint8_t job_mode, job_hook, rel;
};

void rl_vocab_init(struct rl_vocab *v, int64_t time_unit, unsigned fmts, unsigned units);
void rl_vocab_release(struct rl_vocab *v);
/* Return: 1 if handled, 0 if not a vocabulary option, -1 on a bad value (printed). */
int rl_opt_vocab(int opt, const char *arg, struct rl_vocab *v);
/* --format NAME among @allowed; Return: 0, or -1 with the usage error printed. */
int rl_opt_format(const char *arg, unsigned allowed, int *fmt);
/* --unit NAME among @allowed; Return: 0, or -1 with the usage error printed. */
int rl_opt_unit(const char *arg, unsigned allowed, int64_t *unit);
/* Return: "ns", "us", "ms" or "s" for a unit in ns. */
const char *rl_unit_name(int64_t unit);
/* rl_run_sinks() behind the selection stage when a selection is given; warns if nothing matched. */
int rl_run_selected(struct rl_open *o, struct rl_vocab *v, struct rl_sink **sinks, size_t n);
/*
 * jobs: the selection applies to jobs, not events: a single --pid / --comm
 * becomes -p / -n, anything else a keep() callback over tasks (pid, name,
 * partition) and release times. @rel: -r (--from/--to count from the
 * system release). Return: 1 if a keep() callback is needed, 0 if not.
 */
int rl_vocab_job_filter(struct rl_vocab *v, struct rl_job_filter *fl, int rel);
/*
 * latency: --cpu selects samples by the CPU they end on (the --per-cpu
 * column) instead of events; moves the CPU set out of the event selection.
 * Return: the keep_cpu() callback for struct rl_lat_opts (arg: @v), or NULL
 * without --cpu.
 */
int (*rl_vocab_sample_cpus(struct rl_vocab *v))(void *arg, uint32_t cpu);
/* The selection stage for a reader of the merge (NULL: none); is a task (--pid, --comm) selected?
 */
struct rl_select *rl_vocab_selection(struct rl_vocab *v, struct rl_open *o);
int rl_vocab_task(struct rl_vocab *v, uint32_t task);
/* After reading with rl_vocab_selection(): warn if the selection matched nothing. */
void rl_vocab_next_report(const struct rl_vocab *v);
/* jobs, latency: warn when the job or sample selection kept nothing (after the run). */
void rl_vocab_report(struct rl_vocab *v, const char *what);
/* Point standard output at @path atomically (rl_out_open; NULL/"-": stdout stays). */
int rl_out_stdout(struct rl_outfile *o, const char *path);

/* ========================================== end of option vocabulary */

#endif /* RL_CLI_H */
