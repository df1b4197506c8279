/*
 * stats/ - analyses that turn an event stream into results.
 *
 * Each analysis is a sink (model.h) fed one event at a time in merged
 * order. It keeps per-task state only; finished rows go to a row store that
 * spills to a temporary file, so memory grows with the number of tasks and
 * not with the number of jobs. Writers for CSV, tables and JSON take a
 * caller's FILE*; only the CLI decides where that goes.
 */
#ifndef RL_STATS_H
#define RL_STATS_H

#include <stdio.h>

#include "../model/model.h"
#include "../filters/filters.h"

/* ------------------------------------------------------------ row store */

struct rl_rowstore;

/* Default memory budget of a row store (bytes of full chunks before spilling). */
#define RL_ROWSTORE_BUDGET (64ull << 20)

struct rl_rowstore *rl_rowstore_new(size_t rowsz, uint64_t budget);
void rl_rowstore_free(struct rl_rowstore *rs);
int rl_rowstore_add(struct rl_rowstore *rs, uint32_t key, const void *row, struct rl_err *err);
uint32_t rl_rowstore_nkeys(const struct rl_rowstore *rs);
uint64_t rl_rowstore_count(const struct rl_rowstore *rs, uint32_t key);
uint64_t rl_rowstore_nspilled(const struct rl_rowstore *rs);
/* The int64_t rows of @key into a growable array (*v, *cap); *n of them. */
int rl_rowstore_i64(struct rl_rowstore *rs, uint32_t key, int64_t **v, uint32_t *n, uint32_t *cap,
		    struct rl_err *err);
int rl_rowstore_each(struct rl_rowstore *rs, uint32_t key,
		     int (*fn)(void *arg, const void *row, struct rl_err *err), void *arg,
		     struct rl_err *err);

/* ------------------------------------------------------------- quantiles */

/* Linear-interpolation quantile (numpy's default) of sorted values, q in [0,1]. */
double rl_quantile_sorted(const int64_t *v, size_t n, double q);
/* The same on unsorted values, by selection (reorders @v). */
double rl_quantile_select(int64_t *v, size_t n, double q);

/* The trace's tasks in pid order (malloc'ed indices), and JSON string output. */
uint32_t *rl_task_order(const struct rl_trace *t, uint32_t *n);
void rl_json_str(FILE *f, const char *s);

/* ----------------------------------------------------------------- jobs */

#define RL_TIME_UNKNOWN INT64_MIN

/*
 * One job model for every format: LITMUS^RT sched_trace jobs, rt-app jobs
 * (CTF RELEASE/COMPLETION events), Xen RTDS server periods (rows fed with
 * rl_jobs_add()) and Linux jobs (wake-up to blocking switch-out,
 * stats/linux-jobs.c) are rows of struct rl_job with one flag set, written
 * by one writer (CSV rows, by task, summary table, JSON). The row family
 * (enum rl_job_model) picks the columns.
 */

/* Job flags */
#define RL_JOB_NO_RELEASE 0x001	      /* no RELEASE record and nothing to infer it from */
#define RL_JOB_RELEASE_INFERRED 0x002 /* release = previous release + k * period */
#define RL_JOB_NO_COMPLETION 0x004    /* a later job completed: completion record missing */
#define RL_JOB_INCOMPLETE 0x008	      /* the trace ended before the job completed */
#define RL_JOB_FORCED 0x010	      /* budget enforcement ended the job */
#define RL_JOB_DUP_RELEASE 0x020      /* more than one RELEASE record (first kept) */
#define RL_JOB_EXEC_INTERVALS 0x040   /* exec time summed from scheduled intervals */
#define RL_JOB_BEFORE_SYSREL 0x080    /* released before the synchronous release */
#define RL_JOB_SERVER_MISS                                                                         \
	0x100 /* a server (RTDS VCPU) had budget and work left at its                              \
	       * deadline: a miss whatever the completion time says */
#define RL_JOB_OVERDUE                                                                             \
	0x200			    /* incomplete, its deadline before the trace's last event:     \
				     * a miss, lateness >= seen_until - deadline */
#define RL_JOB_LOST 0x400	    /* Linux: events were lost on the task's CPU, job cut */
#define RL_JOB_RUNNING_AT_END 0x800 /* Linux: it was on a CPU when the trace ended */
#define RL_JOB_ST_LATE                                                                             \
	0x1000 /* compat: 20 other completions came before its own                                 \
		* (st-job-stats does not find it) */
#define RL_JOB_ST_EXTRA                                                                            \
	0x2000 /* compat: a duplicate RELEASE record's own row, which                              \
		* st-job-stats lists; no job of its own */

/**
 * struct rl_job - one job as rtlens reconstructs it (all times ns)
 * Unknown times are RL_TIME_UNKNOWN. For Linux jobs, release is the
 * activation (first wake-up), first_start the first switch-in after it and
 * completion the blocking switch-out; they have no deadline.
 */
struct rl_job {
	int64_t release;
	int64_t deadline;
	int64_t completion;
	int64_t first_start; /* first switch-in */
	int64_t exec;	     /* execution time, RL_TIME_UNKNOWN if unknown */
	int64_t susp_time;   /* time suspended (block -> resume) */
	int64_t seen_until;  /* RL_JOB_OVERDUE: the trace's last event (a lower bound of the end) */
	int64_t prio;	     /* Linux: kernel prio at the first switch-in, INT64_MIN unknown */
	/* st-job-stats' view (only with RL_JOBS_COMPAT): */
	uint64_t st_raw; /* the COMPLETION record's raw word: exec << 1 | forced */
	uint64_t st_seq; /* event number of its RELEASE record (st-job-stats' row order) */
	uint32_t task;
	uint32_t job;
	uint32_t preemptions;
	uint32_t migrations;
	uint32_t suspensions;
	uint32_t flags;
	uint32_t cpu;		 /* Linux: the CPU it last ran on (or was woken on) */
	uint32_t st_preemptions; /* every switch-in after a switch-out since the RELEASE record,
				  * suspensions included, as st-job-stats counts them */
	uint32_t st_migrations;	 /* those of them on another CPU than the switch-out */
};

/* Which reconstruction feeds the rows, and so which columns they have. */
enum rl_job_model {
	RL_JOBS_MODEL_RECORDS, /* RELEASE / COMPLETION records (sched_trace, rt-app, Xen rows) */
	RL_JOBS_MODEL_LINUX,   /* wake-up -> blocking switch-out (stats/linux-jobs.c) */
};

struct rl_jobs;
struct rl_sink *rl_jobs_sink(struct rl_jobs *j);
void rl_jobs_free(struct rl_jobs *j);

/* Which jobs to report: st-job-stats' -r -p -n -t. */
struct rl_job_filter {
	int after_sys_release; /* -r */
	int32_t pid;	       /* 0 = any */
	const char *name;      /* NULL = any */
	int64_t period;	       /* 0 = any, ns */
	/* the caller's own selection (NULL: none): 0 drops the job of @task released at @release */
	int (*keep)(void *arg, uint32_t task, int64_t release);
	void *keep_arg;
};

enum rl_out_format { RL_OUT_CSV, RL_OUT_TABLE, RL_OUT_JSON };

/* A summary table of formatted cells, written by rl_table_write(). */
struct rl_table {
	const char *const *cols;
	size_t ncols;
	const char *cells; /* nrows x ncols cells of cellsz bytes, row-major */
	size_t nrows, cellsz;
	size_t text_col;       /* the text column: left-aligned, a JSON string */
	const char *json_head; /* members before "tasks" in JSON, e.g. "\"unit\":\"ms\"" */
	const char *note;      /* last line of the table format, or NULL */
};

void rl_table_write(FILE *f, enum rl_out_format fmt, const struct rl_table *t);

/* What the job analysis produces */
#define RL_JOBS_CSV 0x1	    /* CSV rows streamed as jobs finish */
#define RL_JOBS_BY_TASK 0x2 /* rows kept, written grouped by task at the end */
#define RL_JOBS_SUMMARY 0x4 /* per-task summary */
#define RL_JOBS_COMPAT 0x8  /* st-job-stats' view of the rows, for rl_jobs_write_compat() */
#define RL_JOBS_ROWS                                                                               \
	0x10 /* each row handed to o->row_fn as it finishes (not held back for                     \
	      * the SYS_RELEASE: no before-sys-release flag, no -r) */

struct rl_job_out {
	struct rl_job_filter filter;
	int ms;			/* times in ms instead of ns */
	enum rl_out_format fmt; /* for the summary */
	unsigned want;		/* RL_JOBS_* */
	enum rl_job_model model;
	uint64_t mem_budget; /* bytes of rows kept in memory per row store (0: default) */
	/* RL_JOBS_ROWS: called with each finished row (filters applied); a
	 * negative return stops the analysis */
	int (*row_fn)(void *arg, const struct rl_job *row, struct rl_err *err);
	void *row_arg;
};

struct rl_jobs *rl_jobs_new(struct rl_trace *t, const struct rl_job_out *o, FILE *stream,
			    struct rl_err *err);

/* Return: 1 and *rel if the trace has a synchronous release, else 0. */
int rl_jobs_sys_release(const struct rl_jobs *j, int64_t *rel);
int rl_jobs_write_csv(struct rl_jobs *j, FILE *f, struct rl_err *err);
/* Feed a job reconstructed elsewhere (xentrace RTDS periods) as if it had just finished. */
int rl_jobs_add(struct rl_jobs *j, const struct rl_job *row, struct rl_err *err);
int rl_jobs_write_summary(struct rl_jobs *j, FILE *f, struct rl_err *err);
/* Return: 1 once no row with a release at or before @until can still come or change. */
int rl_jobs_settled(const struct rl_jobs *j, int64_t until);
/* Counters for info / diagnostics */
struct rl_jobs_counts {
	uint64_t jobs, completed, no_release, inferred, no_completion, incomplete, dup_release,
		late_release, overdue;
};
void rl_jobs_counts(const struct rl_jobs *j, struct rl_jobs_counts *c);

/* ------------------------------------------------- st-job-stats emulation */

/*
 * st-job-stats (stats/stjs.c) is a view of the job rows (RL_JOBS_COMPAT):
 * jobs with a RELEASE record whose COMPLETION is among the task's next 20
 * completions, in release order, with st-job-stats' preemption and
 * migration counts (suspensions included), exec and forced bit from the
 * completion record; one row per RELEASE record, duplicates included.
 */
/* Return: 1 and *rel if a pid-0 SYS_RELEASE was seen, else 0. */
int rl_jobs_compat_sys_release(const struct rl_jobs *j, uint64_t *rel);
/* Writes st-job-stats' exact output (header, task lines, rows); filters as in rl_jobs_new(). */
int rl_jobs_write_compat(struct rl_jobs *j, FILE *f, struct rl_err *err);

/* A task line of st-job-stats: "# task NAME=%s PID=%d COST=%lu PERIOD=%lu CPU=%d". */
struct rl_stjs_task_rec {
	const char *name; /* borrowed from the trace */
	int32_t pid;
	uint32_t cost, period; /* ns, cut to 32 bits as st-job-stats prints them */
	int cpu;	       /* -1 without parameters */
};

/* A row of st-job-stats, the values it prints (ns), in its column order. */
struct rl_stjs_rec {
	int32_t pid;
	uint32_t job, period;
	uint64_t response; /* printed with %llu: completion - release, modulo 2^64 */
	uint32_t dl_miss;
	int64_t lateness, tardiness;
	uint32_t forced;
	uint64_t acet;
	uint32_t preemptions, migrations;
};

struct rl_stjs_ops {
	int (*task)(void *arg, const struct rl_stjs_task_rec *tk, struct rl_err *err);
	int (*row)(void *arg, const struct rl_stjs_rec *row, struct rl_err *err);
};

/* st-job-stats' output as values: each task line then its rows, in print order (no -m). */
int rl_jobs_each_compat(struct rl_jobs *j, const struct rl_stjs_ops *ops, void *arg,
			struct rl_err *err);

/* --------------------------------------------------------------- counts */

/* Per-type event counts, cpu set and time span: what `rtlens info` shows. */
struct rl_counts {
	struct rl_sink sink;
	uint64_t events;
	uint64_t by_type[RL_EV_NTYPES];
	int64_t first_ts, last_ts; /* over timed events */
	uint64_t ntimed;
	uint64_t late;
	uint64_t *by_name; /* indexed by string id of the source's event name */
	uint32_t nby_name, cap_by_name;
};

void rl_counts_init(struct rl_counts *c);
void rl_counts_release(struct rl_counts *c);

/* ------------------------------------------------------ fast formatting */

char *rl_fmt_u64(char *p, uint64_t v);
char *rl_fmt_i64(char *p, int64_t v);
char *rl_fmt_pad(char *start, char *end, int width);
char *rl_fmt_u64_w(char *p, uint64_t v, int width);
char *rl_fmt_i64_w(char *p, int64_t v, int width);

/* ---------------------------------------------------- xen (stats/xen.c) */

/*
 * Hypervisor view of a xentrace trace: per-VCPU runstate times, dispatches
 * and waits, per-PCPU utilisation, RTDS server periods as job rows and
 * scheduler overhead samples. Fed by the xentrace reader's events (it
 * recognises them by their "0x%08x" event-id names).
 */
struct rl_xen;
struct rl_ovh;
struct rl_ovh_schema;

enum rl_xen_section {
	RL_XEN_VCPUS = 1,
	RL_XEN_PCPUS = 2,
	RL_XEN_RTDS = 4,
	RL_XEN_OVERHEADS = 8,
	RL_XEN_ALL = 15,
};

struct rl_xen *rl_xen_new(struct rl_trace *t, struct rl_err *err);
struct rl_sink *rl_xen_sink(struct rl_xen *x);
void rl_xen_free(struct rl_xen *x);
/* Write the chosen sections (RL_XEN_* mask) as text tables, CSV (one section) or JSON. */
int rl_xen_write(struct rl_xen *x, FILE *f, unsigned sections, enum rl_out_format fmt,
		 struct rl_err *err);
/* Write every overhead sample as CSV: kind,cpu,ts,ns (needs keep_rows below). */
int rl_xen_write_samples(struct rl_xen *x, FILE *f, struct rl_err *err);

/*
 * Scheduler overheads go to an overhead accumulator (stats/ovh-acc.c) with
 * the schema rl_xen_schema: events sched, switch, tickle, irq and the
 * research probes (enum below), in ns; discard reasons lost (lost records on
 * the PCPU inside the span), incomplete (a start whose end never came: a new
 * start, or the end of the trace), negative (end before start: TSC skew
 * between PCPUs); one group "all", one series per event (and PCPU with
 * per_cpu). Without rl_xen_ovh() no overhead is extracted.
 */
enum rl_xen_oh {
	RL_XOH_SCHED,
	RL_XOH_SWITCH,
	RL_XOH_TICKLE,
	RL_XOH_IRQ,
	RL_XOH_RTX_SCHED,
	RL_XOH_RTX_CSWITCH,
	RL_XOH_RTX_SAVED,
	RL_XOH_RTX_WAKE,
	RL_XOH_RTX_SLEEP,
	RL_XOH_MC_SCHED,
	RL_XOH_MC_CONTEXT,
	RL_XOH_N
};

struct rl_xen_ovh_opts {
	unsigned want;	     /* 1 << enum rl_xen_oh; 0: every event */
	int per_cpu;	     /* one series per PCPU */
	int count_only;	     /* only statistics wanted (no sample order) */
	int keep_rows;	     /* also keep (kind, cpu, ts, ns) rows for rl_xen_write_samples() */
	uint64_t mem_budget; /* 0: the accumulator's default */
};

extern const struct rl_ovh_schema rl_xen_schema;

/* Extract overheads (call before feeding events). Return: 0 or negative. */
int rl_xen_ovh(struct rl_xen *x, const struct rl_xen_ovh_opts *o, struct rl_err *err);
/* The accumulator (NULL without rl_xen_ovh()), flushed once the sink finished. */
struct rl_ovh *rl_xen_ovh_get(struct rl_xen *x);
/* Return: 1 and *off (trace ns - Xen system ns, for RTDS deadlines) if fitted, else 0. */
int rl_xen_rt_offset(const struct rl_xen *x, int64_t *off);
/*
 * The RTDS server periods as job rows, VCPUs in (domain, vcpu) order. The
 * finished analysis has also set each RTDS VCPU's task parameters: wcet =
 * its most common budget, period = its most common deadline step.
 */
int rl_xen_each_job(struct rl_xen *x,
		    int (*fn)(void *arg, const struct rl_job *job, struct rl_err *err), void *arg,
		    struct rl_err *err);

/* ============================================ Feather-Trace overheads (issue 3) */

struct rl_ft_file;

/* ft2csv's options; rl_ft2csv_opts_init() sets ft2csv's defaults. */
struct rl_ft2csv_opts {
	int want_interleaved; /* 1; -i clears it */
	int want_best_effort; /* -b */
	int want_interrupted; /* -x */
	int max_skipped;      /* -s */
	int find_by_pid;      /* -1 auto, 1 -p, 0 -e */
	int avoid_cpu;	      /* -a, -1 none */
	int only_cpu;	      /* -o, -1 none */
	int binary;	      /* -r: native float32 */
};

/* ft2csv's counters: unsigned int in ft2csv, printed with %d. */
struct rl_ft2csv_counts {
	uint32_t total, skipped, avoided, complete, incomplete, non_rt, interleaved, interrupted;
};

void rl_ft2csv_opts_init(struct rl_ft2csv_opts *o);
int rl_ft2csv_run(const struct rl_ft_file *f, uint64_t id, const struct rl_ft2csv_opts *o,
		  FILE *out, struct rl_ft2csv_counts *c);
int rl_ft2csv_list(const struct rl_ft_file *f, FILE *out);
/* ftdump's listing of every record (feather-trace-tools' ftdump). */
int rl_ftdump_write(const struct rl_ft_file *f, FILE *out);
/* The counter block ft2csv prints on stderr (or "Event X not present."). */
void rl_ft2csv_write_counts(FILE *f, const struct rl_ft2csv_counts *c, const char *event_arg);

/*
 * rtlens' own overhead extraction (stats/ft-pairs.c): one pass per file
 * extracts every event type; every START/END pair or single record ends as a
 * kept sample (an exact 64-bit integer: cycles, or ns for 208/209) or is
 * counted under exactly one discard reason (enum rl_discard, judged by
 * filters/discard.c; the report shows rl_discard_cols_ft). Deltas are taken
 * modulo 2^48.
 */

/*
 * The accumulator below is generic: named series of exact int64 samples with
 * discard counters, statistics and report writers. A schema says what its
 * event ids and discard reasons are called; Feather-Trace's is the default,
 * the Linux latency analysis (stats/linux-latency.c) brings its own.
 */
struct rl_ovh_schema {
	const char *(*event_name)(unsigned id, char *buf, size_t len);
	int (*event_is_ns)(unsigned id); /* values in ns (shown in us), else cycles */
	int (*event_parse)(const char *s, unsigned *id); /* Return: 0, or -1 unknown */
	const uint8_t *reasons; /* report columns: enum rl_discard values, in order */
	unsigned nreasons;
	int by_event;	/* output order: event, then group columns (else group, event);
			 * the event is then the first column */
	int irq_counts; /* groups have irq_count histograms of SEND_*_END records */
};

extern const struct rl_ovh_schema rl_ovh_schema_ft;

struct rl_ovh_opts {
	int keep_irq;	     /* keep interrupted samples */
	int ignore_ipi_irq;  /* ignore the irq flag of SEND_*_END records */
	int no_interleaved;  /* discard samples with other records of the cpu in between */
	int best_effort;     /* 1 keep all, -1 real-time only, 0 real-time only except
			      * SEND_RESCHED, SEND_XCALL, QUANTUM_BOUNDARY (as ft-extract-samples) */
	int only_cpu;	     /* -1 none */
	int avoid_cpu;	     /* -1 none */
	int per_cpu;	     /* one series per cpu field instead of per group */
	int keep_negative;   /* keep END-before-START pairs as negative values */
	uint8_t want[256];   /* START or single ids to extract; all zero: all */
	uint64_t mem_budget; /* bytes of samples kept in memory before spilling (0: 256 MiB) */
	int count_only;	     /* only statistics are wanted: keep exact per-value counts instead
			      * of samples while a series' range is narrow (no sample order) */
	int log_samples;     /* also log every sample, kept or discarded, in the order judged
			      * (rl_ovh_log_each(); the statistics do not change) */
	const struct rl_ovh_schema *schema; /* NULL: Feather-Trace */
	/* skew compensation of SEND_RESCHED / SEND_XCALL (NULL: none): the corrected
	 * delays form a second series, id = the END's ("SEND_RESCHED+skew") */
	struct rl_skew_ft_fix *ipi_skew;
	/* called (serialised) as each Feather-Trace file is walked: records and bytes so far */
	rl_progress_fn progress;
	void *progress_arg;
};

struct rl_ovh;
struct rl_ft_file;

struct rl_ovh *rl_ovh_new(const struct rl_ovh_opts *o, struct rl_err *err);
void rl_ovh_free(struct rl_ovh *h);
/* Return: index of the group called @label (created on first use), or negative. */
int rl_ovh_group(struct rl_ovh *h, const char *label, struct rl_err *err);
/* @t (may be NULL) receives counted warnings (cpu mismatch, unknown ids) for source @src. */
int rl_ovh_add_file(struct rl_ovh *h, const struct rl_ft_file *f, uint32_t group,
		    struct rl_trace *t, uint16_t src, struct rl_err *err);

const struct rl_ovh_schema *rl_ovh_schema(const struct rl_ovh *h);
/* Groups have columns (name = value): from the label's k=v parts, or given. */
int rl_ovh_group_new(struct rl_ovh *h, unsigned n, const char *const *keys, const char *const *vals,
		     struct rl_err *err);
int rl_ovh_group_set(struct rl_ovh *h, uint32_t g, unsigned n, const char *const *keys,
		     const char *const *vals, struct rl_err *err);
unsigned rl_ovh_group_ncols(const struct rl_ovh *h, uint32_t g);
const char *rl_ovh_group_col(const struct rl_ovh *h, uint32_t g, unsigned i, const char **val);
const char *rl_ovh_group_value(const struct rl_ovh *h, uint32_t g, const char *key);
void rl_ovh_group_hide(struct rl_ovh *h, uint32_t g);
/* Feeding series directly (any source): a handle, samples, discards, then flush. */
int64_t rl_ovh_series_at(struct rl_ovh *h, uint32_t group, unsigned event, int cpu,
			 struct rl_err *err);
int rl_ovh_push(struct rl_ovh *h, uint32_t si, int64_t v, struct rl_err *err);
void rl_ovh_discard(struct rl_ovh *h, uint32_t si, enum rl_discard reason);
int rl_ovh_flush(struct rl_ovh *h, struct rl_err *err);

/* One series: samples of one event (START id or single id) in one group (and cpu). */
struct rl_ovh_series_info {
	uint32_t group;
	int cpu;	/* -1 when not per cpu */
	unsigned event; /* START id, or single id */
	uint64_t n;	/* kept samples */
	struct rl_discard_counts discard;
};

uint32_t rl_ovh_nseries(const struct rl_ovh *h);
/* Chunks of samples written to the temporary file beyond mem_budget (0: all in memory). */
uint64_t rl_ovh_spilled(const struct rl_ovh *h);
/* Series in output order: by group, event, cpu. */
void rl_ovh_series(const struct rl_ovh *h, uint32_t i, struct rl_ovh_series_info *si);
const char *rl_ovh_group_label(const struct rl_ovh *h, uint32_t g);
uint32_t rl_ovh_ngroups(const struct rl_ovh *h);
/* The kept samples of series @i, in file order: a malloc'ed array of *n values. */
int rl_ovh_samples(struct rl_ovh *h, uint32_t i, int64_t **v, uint64_t *n, struct rl_err *err);
/*
 * log_samples: one sample of series @i's log, in the order the samples were
 * judged: its position @idx, @reason (RL_DISCARD_KEEP: kept) and value
 * (@has_v 0: none, an unended START or an END without START).
 */
typedef int (*rl_ovh_log_fn)(void *arg, uint64_t idx, int64_t v, int has_v, enum rl_discard reason,
			     struct rl_err *err);
int rl_ovh_logging(const struct rl_ovh *h);
int rl_ovh_log_each(struct rl_ovh *h, uint32_t i, rl_ovh_log_fn fn, void *arg, struct rl_err *err);
/* irq_count histogram of SEND_*_END records: [group][event 191/193 -> 0/1][flag][count] */
uint64_t rl_ovh_irq_hist(const struct rl_ovh *h, uint32_t group, int xcall, int flag, int count);

/* Statistics as ft-compute-stats defines them (numpy linear percentiles,
 * std with ddof=1, var with ddof=0); computed from exact integers. */
struct rl_ovh_stat {
	uint64_t n;
	int64_t min, max;
	double mean, median, std, var, p90, p95, p99, p999;
	double exp_max; /* exact expected max of k drawn without replacement (equalize) */
	uint64_t k;	/* sample count after equalizing, or n */
};

/* Sort @v (n values) and fill @st. */
void rl_ovh_stat_compute(int64_t *v, uint64_t n, struct rl_ovh_stat *st);
void rl_ovh_stat_sorted(const int64_t *v, uint64_t n, struct rl_ovh_stat *st);
/* Counting path for narrow series; Return: 1 done, 0 not applicable, < 0 error. */
int rl_ovh_stat_fast(struct rl_ovh *h, uint32_t i, struct rl_ovh_stat *st, struct rl_err *err);
/* Samples of series @i sorted, in memory owned by @h (valid until the next call). */
int rl_ovh_sorted(struct rl_ovh *h, uint32_t i, int64_t **v, uint64_t *n, struct rl_err *err);
/* Several files, walked by @nthreads threads, merged in the given order. */
int rl_ovh_add_files(struct rl_ovh *h, const struct rl_ft_file *fs, const uint32_t *groups,
		     const uint16_t *srcs, size_t n, int nthreads, struct rl_trace *t,
		     struct rl_err *err);
/* The group label of a file: base name without extension and the @combine keys. */
void rl_ovh_file_label(const char *path, const char *combine, char *out, size_t len);
struct rl_ft_set;
/* The cycle rate estimated from the same run's sched_trace (stats/ft-clockfit.c). */
struct rl_rate_est {
	double cycles_per_usec; /* median of the CPUs' fitted slopes */
	double spread;		/* largest distance of a CPU's slope from it, cycles/us */
	uint64_t pairs;		/* context switches matched and kept */
	uint32_t ncpus;		/* CPUs with a slope */
};
int rl_ft_rate_estimate(const struct rl_ft_set *set, struct rl_merge *m, const struct rl_trace *t,
			struct rl_rate_est *out, struct rl_err *err);

/* A checked set of files (readers/feather-trace.h), grouped by rl_ovh_file_label(). */
int rl_ovh_add_set(struct rl_ovh *h, const struct rl_ft_set *s, const char *combine, int nthreads,
		   struct rl_trace *t, struct rl_err *err);
/* Exact expected maximum of k values drawn without replacement from sorted v[0..n). */
double rl_ovh_expected_max(const int64_t *v, uint64_t n, uint64_t k);
/* Seeded, reproducible Fisher-Yates: the first k of v become a uniform sample. */
void rl_ovh_shuffle(int64_t *v, uint64_t n, uint64_t k, uint64_t seed);
/* Radix sort of signed 64-bit integers (tmp: n values of scratch). */
void rl_ovh_sort(int64_t *v, int64_t *tmp, uint64_t n);

/* The short name of an event (SCHED, CXS, RELEASE_LATENCY, EVENT_123) into buf. */
const char *rl_ovh_event_short(unsigned id, char *buf, size_t len);
/* Does this series hold ns values (latency records) rather than cycles? */
int rl_ovh_event_is_ns(unsigned id);

/* Reports (stats/ovh-report.c) */
struct rl_ovh_report {
	int fmt;		/* enum rl_out_format */
	double cycles_per_usec; /* 0: cycle events stay in cycles */
	int equalize;		/* truncate each event's series to the smallest count */
	uint64_t seed;		/* shuffle seed for equalize */
	int unit_us;		/* --unit us: ns samples shown in us too */
	long task_count;	/* --schedcat: TASK-COUNT of groups without n= (0: none) */
	const char *rate_from;	/* where cycles_per_usec was found (NULL: given) */
};

/* The statistic of a SchedCAT table (rl_ovh_write_schedcat()). */
enum { RL_SC_MAX, RL_SC_AVG, RL_SC_P99, RL_SC_P999, RL_SC_NSTATS };

int rl_ovh_series_stat(struct rl_ovh *h, uint32_t i, const struct rl_ovh_report *o,
		       const uint64_t *kmin, struct rl_ovh_stat *st, struct rl_err *err);
int rl_ovh_write_stats(struct rl_ovh *h, FILE *f, const struct rl_ovh_report *o,
		       struct rl_err *err);
int rl_ovh_write_irq(struct rl_ovh *h, FILE *f, int fmt, int banner, struct rl_err *err);
int rl_ovh_write_samples(struct rl_ovh *h, FILE *f, unsigned event, int raw, struct rl_err *err);
int rl_ovh_write_samples_in(struct rl_ovh *h, FILE *f, unsigned event, int raw,
			    const struct rl_ovh_report *o, struct rl_err *err);
int rl_ovh_write_dist(struct rl_ovh *h, FILE *f, uint64_t width, struct rl_err *err);
int rl_ovh_write_schedcat(struct rl_ovh *h, FILE *f, const struct rl_ovh_report *o,
			  const char *base, int stat, struct rl_err *err);
char *rl_ovh_label_without(const char *label, const char *keys, char *out, size_t len);

/* ======================================== end of Feather-Trace overheads (issue 3) */

/* ------------------------------------------- Linux jobs (stats/linux-jobs.c) */

/*
 * Jobs of Linux tasks (ftrace, CTF): a wake-up activates a job, the task's
 * switch-out into a sleep state ends it. Create them with rl_jobs_new() and
 * model RL_JOBS_MODEL_LINUX (filters: pid and name); see stats/linux-jobs.c.
 */

/* Return: 1 if @t was opened by a Linux reader (trace.dat, ftrace text, CTF). */
int rl_lxjobs_is_linux(const struct rl_trace *t);

/* ------------------------------------ Linux latencies (stats/linux-latency.c) */

/* Wake-up latency per task and prio, handler durations per IRQ / vector. */
enum rl_lat_kind {
	RL_LAT_WAKEUP,
	RL_LAT_IRQ,
	RL_LAT_SOFTIRQ,
	RL_LAT_VECTOR,
	/* the osnoise / timerlat / hwlat tracers' own measurements (ns) */
	RL_LAT_TL_IRQ,	   /* timerlat, IRQ context, per CPU */
	RL_LAT_TL_THREAD,  /* timerlat, thread context, per CPU */
	RL_LAT_TL_URET,	   /* timerlat, return to user space (-u), per CPU */
	RL_LAT_IRQ_NOISE,  /* irq_noise durations per vector */
	RL_LAT_SOFT_NOISE, /* softirq_noise per vector */
	RL_LAT_THR_NOISE,  /* thread_noise per task */
	RL_LAT_NMI_NOISE,  /* nmi_noise per CPU */
	RL_LAT_OSNOISE,	   /* osnoise: noise per period, per CPU */
	RL_LAT_HWLAT,	   /* hwlat: the larger of inner and outer, per CPU */
	RL_LAT_NKINDS
};

/* The noise sources of a timerlat activation, struct rl_lat_act.noise[] */
enum rl_lat_src { RL_LAT_SRC_IRQ, RL_LAT_SRC_SOFTIRQ, RL_LAT_SRC_THREAD, RL_LAT_SRC_NMI };

/**
 * struct rl_lat_act - one timerlat activation and the noise inside it
 * @expiry:     when the timer was due: the IRQ sample's time minus its latency
 * @irq_lat:    timer latency seen by the IRQ handler (ns), -1 if not in the trace
 * @thread_lat: latency seen by the timerlat thread (ns, gross), -1 if missing
 * @noise:      net ns of the osnoise:*_noise records on the CPU that ended
 *              after @expiry and not after the thread sample, by enum rl_lat_src
 * @top_ns:     the longest thread_noise among them (0: none)
 * @count:      those records, by source
 * @top_task:   its thread (RL_NO_TASK: none)
 * @cpu:        the CPU
 * @seqnum:     the activation id (timerlat seqnum)
 */
struct rl_lat_act {
	int64_t expiry;
	int64_t irq_lat, thread_lat;
	int64_t noise[4];
	int64_t top_ns;
	uint32_t count[4];
	uint32_t top_task;
	uint32_t cpu, seqnum;
};

/*
 * The samples flow into an overhead accumulator (rl_lat_ovh()) with the
 * schema rl_lat_schema: events wakeup, irq, softirq, vector (ns); discard
 * reasons irq, lost, no_switch_in; one group per key with columns id, name
 * (task or softirq), prio. Its reports are Feather-Trace's.
 */
struct rl_lat_opts {
	struct rl_job_filter filter; /* pid / name: only these tasks' wake-up series */
	unsigned want;		     /* 1 << enum rl_lat_kind; 0: every kind */
	int per_cpu;		     /* one series per CPU (where the sample ends) */
	int keep_irq;		     /* keep samples disturbed by an interrupt */
	int count_only;		     /* only statistics wanted (no sample order) */
	uint64_t mem_budget;	     /* 0: the accumulator's default */
	/* the caller's cpu selection (NULL: none): 0 drops a sample ending on @cpu */
	int (*keep_cpu)(void *arg, uint32_t cpu);
	void *keep_arg;
	/* NULL, or called with every timerlat activation, in thread-sample order */
	int (*on_act)(void *arg, const struct rl_lat_act *a, struct rl_err *err);
	void *act_arg;
};

struct rl_lat;

extern const struct rl_ovh_schema rl_lat_schema;

struct rl_lat *rl_lat_new(struct rl_trace *t, const struct rl_lat_opts *o, struct rl_err *err);
struct rl_sink *rl_lat_sink(struct rl_lat *l);
void rl_lat_free(struct rl_lat *l);
uint64_t rl_lat_unmatched(const struct rl_lat *l);
struct rl_ovh *rl_lat_ovh(struct rl_lat *l);

/* ------------------------------ counted series: histograms (stats/counted.c) */

/*
 * Latency histograms written by a measuring tool (cyclictest) as series of
 * exact per-value counts in ns, for the overhead report's statistics: n,
 * min, max, mean, percentiles from the counts, exactly. The samples above a
 * histogram's range (overflows) are counted; their values are unknown
 * except that they lie in [over_lo, max], so a statistic that needs one of
 * them is unknown (NaN: empty in CSV, null in JSON, "-" in tables).
 */
struct rl_cyclictest;

/**
 * struct rl_cnt_series - one counted series
 * @group:  its label, "file=F_thread=N" (owned)
 * @file:   the file's label (owned)
 * @val:    distinct in-range values, ascending, ns (owned)
 * @cnt:    their counts, never 0 (owned)
 * @n:      all samples: Σ @cnt + @over
 * @over:   samples above the histogram range, values unknown
 * @over_lo: the overflowed samples are >= this (ns)
 * @min, @max: exact extremes (ns; valid when @n)
 * @mean_tool: the tool's own mean of all samples (ns; NaN if none), used when
 *         overflows make the counted mean unknown
 * @nval:   entries in @val and @cnt
 * @thread: the tool's thread number
 * @cpu:    the CPU the thread was bound to, -1 unknown
 */
struct rl_cnt_series {
	char *group, *file;
	int64_t *val;
	uint64_t *cnt;
	uint64_t n, over;
	int64_t over_lo, min, max;
	double mean_tool;
	uint32_t nval, thread;
	int cpu;
};

struct rl_cnt_set {
	struct rl_cnt_series *s;
	uint32_t n, cap;
};

/* Which statistics of rl_cnt_stat() are unknown because of overflows. */
#define RL_CNT_U_MEAN 0x01u
#define RL_CNT_U_SPREAD 0x02u /* stddev and var */
#define RL_CNT_U_MEDIAN 0x04u
#define RL_CNT_U_P90 0x08u
#define RL_CNT_U_P95 0x10u
#define RL_CNT_U_P99 0x20u
#define RL_CNT_U_P999 0x40u

void rl_cnt_release(struct rl_cnt_set *set);
/* Add every thread of @c as a series of file @file; Return: 0 or negative. */
int rl_cnt_add_cyclictest(struct rl_cnt_set *set, const struct rl_cyclictest *c, const char *file,
			  struct rl_err *err);
/* Statistics of @s (unknown ones NaN); Return: mask of RL_CNT_U_* that are unknown. */
unsigned rl_cnt_stat(const struct rl_cnt_series *s, struct rl_ovh_stat *st);
/* Quantile @q of @s (ns) as rl_quantile_sorted(); Return: 0, or 1 if it is unknown. */
int rl_cnt_quantile(const struct rl_cnt_series *s, double q, double *v);
/* The statistics table of the set (ovh-report.c; columns as rl_ovh_write_stats()). */
int rl_cnt_write_stats(const struct rl_cnt_set *set, FILE *f, const struct rl_ovh_report *o,
		       struct rl_err *err);
/* CDF (@width 0) or histogram CSV of the set, as rl_ovh_write_dist(). */
int rl_cnt_write_dist(const struct rl_cnt_set *set, FILE *f, uint64_t width, struct rl_err *err);

/* ------------------------------------------ canonical dump (stats/dump.c) */

struct rl_dump_sink {
	struct rl_sink sink;
	FILE *f;
	const struct rl_trace *t;
	/* --skew: set while the current event's cross-cpu order is undecided (the
	 * pipeline's rl_skew_order.cur); the line then says "skew-undecided" */
	const uint8_t *skew_undecided;
};

const char *rl_evf_word(unsigned flag);
int rl_dump_event(FILE *f, const struct rl_trace *t, const struct rl_event *ev);
void rl_dump_sink_init(struct rl_dump_sink *d, FILE *f, const struct rl_trace *t);

/* ------------------------------------------- rtlens info (stats/info.c) */

struct rl_info;

struct rl_info *rl_info_new(struct rl_trace *t, struct rl_err *err);
struct rl_sink *rl_info_sink(struct rl_info *in);
int rl_info_write(const struct rl_info *in, FILE *f, int json);
void rl_info_free(struct rl_info *in);

/* ------------------------------------- pipeline (stats/pipeline.c) */

/*
 * readers -> skew (per cursor) -> merge -> filter chain -> back ends,
 * assembled in one place. The pipeline borrows the file set and the trace.
 */
struct rl_fileset;
struct rl_read_opts;
struct rl_skew_table;

/* A sink passing each event and the finish to several sinks. */
struct rl_fanout {
	struct rl_sink sink;
	struct rl_sink **to;
	size_t n;
};

/*
 * With a clock correction, the events whose order against the latest event
 * of another cpu the offsets' uncertainties cannot decide (their distance is
 * at most the sum of the two uncertainties) are counted after the merge.
 */
struct rl_skew_order {
	struct rl_sink sink;
	struct rl_sink *next;
	const struct rl_skew_table *st;
	int64_t *last; /* per cpu: the latest corrected ts */
	uint8_t *seen;
	uint32_t cap;
	uint64_t undecided; /* events counted */
	uint8_t cur;	    /* the event being forwarded is one of them */
};

struct rl_pipeline {
	struct rl_merge *m;	/* the merged, corrected stream */
	struct rl_sink *filter; /* optional filter chain, forwarding to backends */
	struct rl_fanout backends;
	struct rl_skew_order order; /* active with a correction (order.st set) */
};

void rl_fanout_init(struct rl_fanout *f, struct rl_sink **to, size_t n);
int rl_pipeline_open(struct rl_pipeline *p, struct rl_fileset *fs, struct rl_trace *t,
		     const struct rl_read_opts *ro, const struct rl_skew_table *skew,
		     struct rl_err *err);
struct rl_sink *rl_pipeline_backends(struct rl_pipeline *p);
void rl_pipeline_set_filter(struct rl_pipeline *p, struct rl_sink *filter);
int rl_pipeline_run(struct rl_pipeline *p, struct rl_sink **sinks, size_t n,
		    rl_progress_fn progress, void *parg, struct rl_err *err);
void rl_pipeline_close(struct rl_pipeline *p);

/* -------------------------------------- causal pairs for the clock skew (skew-pairs.c) */

struct rl_ft_set;
struct rl_skew_est;

/**
 * struct rl_skew_ft_stats - what the Feather-Trace causal-pair walk saw
 * @starts:       SEND_RESCHED / SEND_XCALL START records
 * @pairs:        START -> END pairs given to the estimator
 * @unmatched:    STARTs without an END (an ignored IPI, a lost record)
 * @unattributed: pairs whose sending cpu could not be inferred
 * @ambiguous:    of those, pairs with two equally near candidate senders
 * @out_of_range: pairs whose delay does not fit the estimator (int64)
 */
struct rl_skew_ft_stats {
	uint64_t starts, pairs, unmatched, unattributed, ambiguous, out_of_range;
};

int rl_skew_ft_pairs(const struct rl_ft_set *s, struct rl_skew_est *e, struct rl_skew_ft_stats *st,
		     struct rl_err *err);

/**
 * struct rl_skew_lx_stats - what the Linux causal-pair sink saw
 * @pairs:    switch-out -> next switch-in pairs across cpus given to the estimator
 * @same_cpu: such pairs within one cpu (no information)
 * @held:     switch-ins shown before the switch-out they follow (a skewed clock)
 * @confused: switches that break the alternation (lost events, or a skew longer than a
 *            run): the task's state is forgotten until its next switch-in
 * @wake_pairs:    first wake-up after a switch-out -> the next switch-in on another cpu
 * @wake_same_cpu: such pairs within one cpu
 * @wake_moved:    switch-ins on another cpu than the one sched_wakeup chose (no pair)
 * @wake_ambiguous: more than one wake-up between a blocking switch-out and the switch-in
 * @ipi_sends:     IPIs (or Xen tickles) sent to another cpu, per target
 * @ipi_pairs:     earliest pending send -> the target's handler entry (Xen: schedule)
 * @ipi_orphans:   handler entries with no send pending
 * @ipi_held:      of the pairs, entries shown before their send (refining passes only)
 * @wake_early:    wake-up pairs from a wake-up shown before the blocking switch-out
 * @cycle_pairs:   switch-ins that gave migration or wake-up pairs after an earlier switch-in
 * @cycle_min:     the match limit: the shortest task cycle (switch-in to the next, as
 *                 recorded) behind those pairs; skews below it cannot slip the matching
 */
struct rl_skew_lx_stats {
	uint64_t pairs, same_cpu, held, confused;
	uint64_t wake_pairs, wake_same_cpu, wake_moved, wake_ambiguous;
	uint64_t ipi_sends, ipi_pairs, ipi_orphans, ipi_held;
	uint64_t wake_early;
	uint64_t cycle_pairs, cycle_min;
};

struct rl_sink *rl_skew_lx_new(const struct rl_trace *t, struct rl_skew_est *e,
			       struct rl_skew_lx_stats *st, struct rl_err *err);
void rl_skew_lx_free(struct rl_sink *s);

struct rl_skew_table;
struct rl_fileset;
struct rl_read_opts;
/* Passes of rl_skew_lx_refine() at most (the first, uncorrected, included) */
#define RL_SKEW_PASSES 4
/* Refined only from a solution whose uncertainties are at most this (ns) */
#define RL_SKEW_REFINE_MAX 20000
int rl_skew_lx_refine(struct rl_fileset *fs, const struct rl_read_opts *ro, uint32_t ref,
		      struct rl_skew_est *e, struct rl_skew_lx_stats *st, uint32_t *passes,
		      struct rl_err *err);

/*
 * The estimation pass of --skew=estimate on a file set read through the
 * pipeline: Linux traces give their migration pairs (ns); other formats
 * without causal pairs yet give none (every cpu but the reference absent).
 */
int rl_skew_estimate_fileset(struct rl_fileset *fs, const struct rl_read_opts *ro,
			     struct rl_skew_est *e, struct rl_skew_lx_stats *st,
			     struct rl_err *err);

/*
 * Skew compensation of Feather-Trace IPI latencies (rtlens overheads
 * --skew): the sender of each SEND_RESCHED / SEND_XCALL START inferred as
 * rl_skew_ft_pairs() does, the END - START delay corrected with the two
 * cpus' offsets (rl_skew_ipi_correct()). Read-only after creation except
 * for its counters, which are atomic: the overhead walks call it from
 * several threads, and the counts do not depend on their number.
 * @corrected:    delays corrected
 * @unattributed: delays left out: the sender could not be inferred
 * @no_offset:    delays left out: the sender or the target has no offset
 * @undecided:    corrected delays whose uncertainty is at least their size
 *                (rl_skew_undecided(): send and receive not ordered)
 * @negative:     corrected delays still negative
 */
struct rl_skew_ft_fix_counts {
	uint64_t corrected, unattributed, no_offset, undecided, negative;
};
struct rl_skew_ft_fix;
struct rl_skew_ft_fix *rl_skew_ft_fix_new(const struct rl_ft_set *s, const struct rl_skew_table *st,
					  struct rl_err *err);
int rl_skew_ft_fix_ipi(struct rl_skew_ft_fix *x, uint32_t target, uint64_t start_ts, uint16_t pid,
		       int64_t delay, int64_t *corrected);
void rl_skew_ft_fix_counts(const struct rl_skew_ft_fix *x, struct rl_skew_ft_fix_counts *c);
void rl_skew_ft_fix_free(struct rl_skew_ft_fix *x);

/* --------------------------------------------- SQLite export (stats/export.c) */

/*
 * `rtlens db`: one run into an SQLite database (stats/export.c is the only
 * file that includes sqlite3.h). The database is written in one
 * transaction with prepared statements, STRICT tables, integer ns times
 * (NULL when unknown) and fixed page size, no journal and indexes built at
 * the end, so the same inputs and options give the same bytes. The caller
 * opens it at a temporary path and renames it after rl_db_close().
 */
struct rl_db;
struct rl_fileset;

/* params.py (experiment-scripts) read as a Python literal (stats/params.c). */
typedef int (*rl_params_fn)(void *arg, const char *key, const char *value, struct rl_err *err);
int rl_params_parse(const char *buf, size_t len, const char *path, rl_params_fn fn, void *arg,
		    struct rl_err *err);
/* params.py's clock-frequency (cycles per us) into *rate: 1, 0 if absent, or negative. */
/* Read @path and parse it with rl_params_parse(). Return: 1, 0 no file, or negative. */
int rl_params_load(const char *path, rl_params_fn fn, void *arg, struct rl_err *err);
int rl_params_clock(const char *path, double *rate, struct rl_err *err);

/* SHA-256 (stats/sha256.c): source_file's digest, as sha256sum prints it. */
struct rl_sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes added */
	uint8_t buf[64];
	uint32_t nbuf;
	int soft; /* 1: the portable code even where the CPU has SHA instructions (tests) */
	int ni;	  /* the CPU has them (rl_sha256_init()) */
};
void rl_sha256_init(struct rl_sha256 *s);
void rl_sha256_add(struct rl_sha256 *s, const void *p, size_t n);
void rl_sha256_hex(struct rl_sha256 *s, char hex[65]);

/* A result-changing option of the run, for the meta table ("st_format" = "2016"). */
struct rl_db_opt {
	const char *key, *value;
};

/* An empty database at @path; @threads: SQLite sorter threads for the index builds. */
struct rl_db *rl_db_open(const char *path, int threads, struct rl_err *err);
/* Commit (@ok) or roll back, then close and free. Return: 0 or negative. */
int rl_db_close(struct rl_db *db, int ok, struct rl_err *err);
/*
 * Begin the run read from @fs into @t (the pipeline opened, no event read
 * yet): meta, run and run_param rows (the key=value parts of the inputs'
 * file and folder names, and the folders' params.py).
 */
int rl_db_run_begin(struct rl_db *db, const struct rl_fileset *fs, const struct rl_fileset *extra,
		    const char *name, const struct rl_trace *t, const char *tool_version,
		    const struct rl_db_opt *opts, size_t nopts, struct rl_err *err);
/* The job analysis' row callback (struct rl_job_out.row_fn, arg = the db). */
int rl_db_job_row(void *arg, const struct rl_job *row, struct rl_err *err);
/* The same for the Linux model's rows (table linux_job; Linux traces only). */
int rl_db_linux_job_row(void *arg, const struct rl_job *row, struct rl_err *err);
/*
 * End the run: cpu, task, lost_range, anomaly, stats rows; @jobs (created
 * with RL_JOBS_SUMMARY, CSV format, ns) gives task_summary_row, @compat
 * (RL_JOBS_COMPAT, or NULL) st_job_stats_row.
 */
int rl_db_run_end(struct rl_db *db, const struct rl_trace *t, struct rl_jobs *jobs,
		  struct rl_jobs *compat, struct rl_err *err);
/* sched_slice: who ran on which CPU, from when, how long, how it ended (a sink). */
struct rl_sink *rl_db_slice_sink(struct rl_db *db);
/* Feather-Trace: the overhead report's series and statistics into overhead_stats. */
int rl_db_add_overheads(struct rl_db *db, struct rl_ovh *h, struct rl_err *err);
struct rl_cyclictest;
/* A cyclictest result file: its histograms, statistics and JSON header (run parameters). */
int rl_db_add_cyclictest(struct rl_db *db, const struct rl_cyclictest *c, const char *label,
			 struct rl_err *err);
/* The run's id: hex of the hash of its inputs' contents (valid after rl_db_run_begin()). */
const char *rl_db_run_id(const struct rl_db *db);

/* What rl_db_merge() did: inputs read, runs written, copies left out. */
struct rl_db_merge_stats {
	uint64_t inputs, runs;
	uint64_t duplicates; /* runs found again (same run_id), kept once */
	uint64_t conflicts;  /* of those, copies under another name */
	uint64_t dropped;    /* runs @keep left out */
};
/* Databases into one at @out, runs in run_id order (rtlens merge; rtlens batch). */
int rl_db_merge(const char *out, char *const *ins, size_t n,
		int (*keep)(void *, const char *, size_t), void *arg, int threads,
		struct rl_db_merge_stats *st, struct rl_err *err);
/*
 * A merge written run by run, while its inputs are still being made (rtlens
 * batch): given the runs in rl_db_merge()'s order, it writes the same file.
 */
struct rl_db_merger;
struct rl_db_merger *rl_db_merger_open(const char *out, int threads, struct rl_err *err);
int rl_db_merger_add(struct rl_db_merger *m, const char *path, const char *run_id,
		     struct rl_err *err);
int rl_db_merger_close(struct rl_db_merger *m, int ok, struct rl_err *err);
/* Per-CPU clock offsets of a skew estimate into clock_offset. */
struct rl_skew_result;
int rl_db_add_clock_offsets(struct rl_db *db, const struct rl_skew_result *res, const char *method,
			    const char *unit, struct rl_err *err);
/* The run_id rl_db_run_begin() would give these inputs. */
int rl_db_hash_run(const struct rl_fileset *fs, const struct rl_fileset *extra, char id[17],
		   struct rl_err *err);
/* The runs of @path if it was made with this tool version and these options (Return: 1). */
int rl_db_runs(const char *path, const char *tool_version, const struct rl_db_opt *opts,
	       size_t nopts, int (*fn)(void *, const char *, const char *), void *arg,
	       struct rl_err *err);
/* parse_exps.py's CSV tree (STAT/VARIABLE/OUTER/INNER/OTHER.csv) from a database. */
int rl_db_export_exps(const char *path, const char *dir, struct rl_err *err);
/* A query's rows as CSV with a header (runs.csv: SELECT * FROM run_summary). */
int rl_db_write_csv(const char *path, const char *sql, FILE *f, struct rl_err *err);
/* A table's rows as CSV in rowid order, its run key given as the run's run_id. */
int rl_db_write_table_csv(const char *path, const char *table, FILE *f, struct rl_err *err);
/* A file made from the run of database @path (rtlens batch --plots), into run_file. */
int rl_db_add_run_file(const char *path, const char *kind, const char *file, struct rl_err *err);

/* ------------------------------------------ experiment trees (stats/batch.c) */

/* One run of a tree: its name (its place in the tree) and its input paths. */
struct rl_batch_run {
	char *name;
	char **paths;
	size_t n;
};

/* The runs of trees, in name order, and the files that belong to no run. */
struct rl_batch {
	struct rl_batch_run *runs;
	uint32_t n, cap;
	char **orphans;
	uint32_t norphans, cap_orphans;
};

int rl_batch_find(struct rl_batch *b, char *const *roots, size_t n, struct rl_err *err);
void rl_batch_release(struct rl_batch *b);
/* The CSV flags column of a job row ("release-inferred|forced") into @buf. */
size_t rl_job_flags_text(uint32_t flags, char *buf, size_t len);
/* The CSV status column of a job row: complete, no-completion, incomplete, lost. */
const char *rl_job_status(const struct rl_job *r);

/* mkdir -p of the folders of @path, and of @path itself with @last (stats/util.c). */
int rl_mkdirs(char *path, int last);

#endif /* RL_STATS_H */
