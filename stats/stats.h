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

/* ------------------------------------------------------------ row store */

struct rl_rowstore;

struct rl_rowstore *rl_rowstore_new(size_t rowsz);
void rl_rowstore_free(struct rl_rowstore *rs);
int rl_rowstore_add(struct rl_rowstore *rs, uint32_t key, const void *row, struct rl_err *err);
uint32_t rl_rowstore_nkeys(const struct rl_rowstore *rs);
uint64_t rl_rowstore_count(const struct rl_rowstore *rs, uint32_t key);
int rl_rowstore_each(struct rl_rowstore *rs, uint32_t key,
		     int (*fn)(void *arg, const void *row, struct rl_err *err), void *arg,
		     struct rl_err *err);

/* ------------------------------------------------------------- quantiles */

/* Linear-interpolation quantile (numpy's default) of sorted values, q in [0,1]. */
double rl_quantile_sorted(const int64_t *v, size_t n, double q);

/* ----------------------------------------------------------------- jobs */

#define RL_TIME_UNKNOWN INT64_MIN

/* Job flags */
#define RL_JOB_NO_RELEASE 0x001       /* no RELEASE record and nothing to infer it from */
#define RL_JOB_RELEASE_INFERRED 0x002 /* release = previous release + k * period */
#define RL_JOB_NO_COMPLETION 0x004    /* a later job completed: completion record missing */
#define RL_JOB_INCOMPLETE 0x008       /* the trace ended before the job completed */
#define RL_JOB_FORCED 0x010           /* budget enforcement ended the job */
#define RL_JOB_DUP_RELEASE 0x020      /* more than one RELEASE record (first kept) */
#define RL_JOB_EXEC_INTERVALS 0x040   /* exec time summed from scheduled intervals */
#define RL_JOB_BEFORE_SYSREL 0x080    /* released before the synchronous release */
#define RL_JOB_SERVER_MISS 0x100      /* a server (RTDS VCPU) had budget and work left at its
				       * deadline: a miss whatever the completion time says */

/**
 * struct rl_job - one job as rtlens reconstructs it (all times ns)
 * Unknown times are RL_TIME_UNKNOWN.
 */
struct rl_job {
	int64_t release;
	int64_t deadline;
	int64_t completion;
	int64_t first_start; /* first switch-in */
	int64_t exec;        /* execution time, RL_TIME_UNKNOWN if unknown */
	int64_t susp_time;   /* time suspended (block -> resume) */
	uint32_t task;
	uint32_t job;
	uint32_t preemptions;
	uint32_t migrations;
	uint32_t suspensions;
	uint32_t flags;
};

struct rl_jobs;
struct rl_sink *rl_jobs_sink(struct rl_jobs *j);
void rl_jobs_free(struct rl_jobs *j);

/* Which jobs to report: st-job-stats' -r -p -n -t. */
struct rl_job_filter {
	int after_sys_release; /* -r */
	int32_t pid;           /* 0 = any */
	const char *name;      /* NULL = any */
	int64_t period;        /* 0 = any, ns */
};

enum rl_out_format { RL_OUT_CSV, RL_OUT_TABLE, RL_OUT_JSON };

/* What the job analysis produces */
#define RL_JOBS_CSV 0x1     /* CSV rows streamed as jobs finish */
#define RL_JOBS_BY_TASK 0x2 /* rows kept, written grouped by task at the end */
#define RL_JOBS_SUMMARY 0x4 /* per-task summary */

struct rl_job_out {
	struct rl_job_filter filter;
	int ms;                 /* times in ms instead of ns */
	enum rl_out_format fmt; /* for the summary */
	unsigned want;          /* RL_JOBS_* */
};

struct rl_jobs *rl_jobs_new(struct rl_trace *t, const struct rl_job_out *o, FILE *stream,
			    struct rl_err *err);

/* Return: 1 and *rel if the trace has a synchronous release, else 0. */
int rl_jobs_sys_release(const struct rl_jobs *j, int64_t *rel);
int rl_jobs_write_csv(struct rl_jobs *j, FILE *f, struct rl_err *err);
/* Feed a job reconstructed elsewhere (xentrace RTDS periods) as if it had just finished. */
int rl_jobs_add(struct rl_jobs *j, const struct rl_job *row, struct rl_err *err);
int rl_jobs_write_summary(struct rl_jobs *j, FILE *f, struct rl_err *err);
/* Counters for info / diagnostics */
struct rl_jobs_counts {
	uint64_t jobs, completed, no_release, inferred, no_completion, incomplete, dup_release,
		late_release;
};
void rl_jobs_counts(const struct rl_jobs *j, struct rl_jobs_counts *c);

/* ------------------------------------------------- st-job-stats emulation */

struct rl_stjs;

struct rl_stjs *rl_stjs_new(struct rl_trace *t, struct rl_err *err);
struct rl_sink *rl_stjs_sink(struct rl_stjs *s);
void rl_stjs_free(struct rl_stjs *s);
/* Return: 1 and *rel if a pid-0 SYS_RELEASE was seen, else 0. */
int rl_stjs_sys_release(const struct rl_stjs *s, uint64_t *rel);
/* Writes st-job-stats' exact output (header, task lines, rows). */
int rl_stjs_write(struct rl_stjs *s, FILE *f, const struct rl_job_out *o, struct rl_err *err);

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
/* Write the chosen sections (RL_XEN_* mask) as text tables or CSV. */
int rl_xen_write(struct rl_xen *x, FILE *f, unsigned sections, enum rl_out_format fmt,
		 struct rl_err *err);
/* Write every overhead sample as CSV: kind,cpu,ts,ns. */
int rl_xen_write_samples(struct rl_xen *x, FILE *f, struct rl_err *err);
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

#endif /* RL_STATS_H */
