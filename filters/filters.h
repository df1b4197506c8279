/*
 * filters/ - the cleaning stage between the merge and the back ends.
 *
 * Two parts. Discard rules: one enumeration of the reasons a sample is
 * left out, with counters, and pure judge functions that decide for one
 * START/END pair (Feather-Trace) or one interval (Linux, Xen) whether it
 * is kept; every source's overhead and latency extraction uses them, so
 * there is one discard report for all formats. Event selection: a
 * forwarding sink that passes on only the events of chosen CPUs, tasks,
 * event types and a time window. Filters never change an event; they keep
 * it or drop it. Depends on readers/ and model/ only.
 */
#ifndef RL_FILTERS_H
#define RL_FILTERS_H

#include "../model/model.h"

/* ============================================= discard reasons (discard.c) */

#include "../readers/feather-trace.h"

/*
 * Why a sample is left out. One enumeration for every source: Feather-Trace
 * pairs, Linux latency intervals and Xen overhead spans count into it, and
 * each source's report shows the subset of columns it can produce, in a
 * fixed order (rl_discard_cols_*). The names are the report's column names.
 */
enum rl_discard {
	RL_DISCARD_KEEP = -1,	/* not a reason: the sample is kept */
	RL_DISCARD_IRQ,		/* an interrupt hit the cpu inside the measured interval */
	RL_DISCARD_HOLE,	/* a sequence-number hole lies between START and END */
	RL_DISCARD_INTERLEAVED, /* other records of the cpu in between (when asked) */
	RL_DISCARD_NONRT,	/* neither START nor END belongs to a real-time task */
	RL_DISCARD_INCOMPLETE,	/* a start whose end never came (a new start, or EOF) */
	RL_DISCARD_CPU,		/* cpu excluded by only_cpu / avoid_cpu */
	RL_DISCARD_NEGATIVE,	/* end before start (uncalibrated clocks, TSC skew) */
	RL_DISCARD_ORPHAN,	/* END without START (not a sample; informational) */
	RL_DISCARD_LOST,	/* events were lost on the cpu inside the interval */
	RL_DISCARD_NOSWITCH,	/* woken task switched out with no switch-in in the trace */
	RL_DISCARD_N
};

/* Return: the column name of @d ("irq", "seq_hole", ...), "?" if out of range. */
const char *rl_discard_name(enum rl_discard d);

/* Each source's report columns, in the order its reports print them. */
extern const uint8_t rl_discard_cols_ft[8];    /* irq .. orphan_end */
extern const uint8_t rl_discard_cols_linux[3]; /* irq, lost, no_switch_in */
extern const uint8_t rl_discard_cols_xen[3];   /* lost, incomplete, negative */

/* Discard counters, indexed by enum rl_discard. */
struct rl_discard_counts {
	uint64_t n[RL_DISCARD_N];
};

/* Count one discard under @d (RL_DISCARD_KEEP and out-of-range values are ignored). */
static inline void rl_discard_add(struct rl_discard_counts *c, enum rl_discard d)
{
	if ((unsigned)d < RL_DISCARD_N)
		c->n[d]++;
}

void rl_discard_merge(struct rl_discard_counts *dst, const struct rl_discard_counts *src);
uint64_t rl_discard_total(const struct rl_discard_counts *c);

/* The Feather-Trace extraction's options that decide what is kept. */
struct rl_ft_rules {
	int keep_irq;	    /* keep interrupted samples */
	int ignore_ipi_irq; /* ignore the irq flag of SEND_*_END records */
	int no_interleaved; /* discard pairs with other records of the cpu in between */
	int best_effort;    /* 1 keep all, -1 real-time only, 0 real-time only except
			     * SEND_RESCHED, SEND_XCALL, QUANTUM_BOUNDARY (ft-extract-samples) */
	int keep_negative;  /* keep END-before-START pairs (cpu-paired events only) */
	int only_cpu;	    /* -1 none */
	int avoid_cpu;	    /* -1 none */
};

/*
 * What the walk knows about one matched START/END pair. For pid-paired
 * events (ids < 100) @irq_between and @negative cover the executed parts
 * (suspensions excluded), and @between, @irq_end, the task types are unused.
 */
struct rl_ft_pair_facts {
	uint64_t between;     /* records of the cpu strictly between START and END */
	uint64_t irq_between; /* of those, records with the irq flag */
	unsigned start_id;    /* the pair's START id */
	uint8_t hole;	      /* a sequence-number hole lies between START and END */
	uint8_t irq_end;      /* END carries the irq flag */
	uint8_t negative;     /* END earlier than START (modulo the timestamp width) */
	uint8_t start_rt;     /* START's task is real-time */
	uint8_t end_rt;	      /* END's task is real-time */
};

enum rl_discard rl_judge_ft_pid_pair(const struct rl_ft_pair_facts *f, const struct rl_ft_rules *r);

/*
 * The judges the walk calls for every START, END and single record are
 * inline: out of line they cost the extraction about a seventh more
 * instructions (callgrind, 6 M records).
 */
/**
 * rl_ft_rules_cpu_excluded() - whether the cpu filter leaves out a cpu
 * @r:   the rules
 * @cpu: the record's cpu field
 *
 * Return: 1 if @cpu is the avoided cpu, or not the only one wanted.
 */
static inline int rl_ft_rules_cpu_excluded(const struct rl_ft_rules *r, unsigned cpu)
{
	return (int)cpu == r->avoid_cpu || (r->only_cpu >= 0 && (int)cpu != r->only_cpu);
}

/* Pairs of non-real-time tasks are kept for every event, none, or (default) the IPIs and
 * QUANTUM_BOUNDARY, as ft-extract-samples keeps them. */
static inline int rl_ft_best_effort_ok(const struct rl_ft_rules *r, unsigned start_id)
{
	if (r->best_effort)
		return r->best_effort > 0;
	return start_id == RL_FT_SEND_RESCHED_START || start_id == RL_FT_SEND_XCALL_START ||
	       start_id == RL_FT_QB_START;
}

/**
 * rl_judge_ft_pair() - keep or discard a cpu-paired Feather-Trace sample (ids 100..199)
 * @f: what the walk saw between START and END
 * @r: the rules
 *
 * Checks, first match wins: sequence hole; irq (a flagged record in between,
 * or the END's own flag unless it is a SEND_*_END with ignore_ipi_irq; none
 * with keep_irq); interleaved records (with no_interleaved); negative delta
 * (unless keep_negative); neither task real-time (unless best effort allows
 * the event).
 *
 * Return: RL_DISCARD_KEEP or the reason.
 */
static inline enum rl_discard rl_judge_ft_pair(const struct rl_ft_pair_facts *f,
					       const struct rl_ft_rules *r)
{
	int ipi = f->start_id == RL_FT_SEND_RESCHED_START || f->start_id == RL_FT_SEND_XCALL_START;

	if (f->hole)
		return RL_DISCARD_HOLE;
	if (!r->keep_irq && (f->irq_between || (f->irq_end && !(ipi && r->ignore_ipi_irq))))
		return RL_DISCARD_IRQ;
	if (r->no_interleaved && f->between)
		return RL_DISCARD_INTERLEAVED;
	if (f->negative && !r->keep_negative)
		return RL_DISCARD_NEGATIVE;
	if (!f->start_rt && !f->end_rt && !rl_ft_best_effort_ok(r, f->start_id))
		return RL_DISCARD_NONRT;
	return RL_DISCARD_KEEP;
}

/**
 * rl_judge_ft_single() - keep or discard a single-record sample (ids >= 200)
 * @cpu: its cpu field
 * @rt:  its task is real-time
 * @r:   the rules
 *
 * The irq flag is not looked at: these records are written inside the timer
 * interrupt. Checks: cpu filter, then real-time (unless best_effort > 0).
 *
 * Return: RL_DISCARD_KEEP or the reason.
 */
static inline enum rl_discard rl_judge_ft_single(unsigned cpu, int rt, const struct rl_ft_rules *r)
{
	if (rl_ft_rules_cpu_excluded(r, cpu))
		return RL_DISCARD_CPU;
	if (!rt && r->best_effort <= 0)
		return RL_DISCARD_NONRT;
	return RL_DISCARD_KEEP;
}

/**
 * rl_judge_ft_start() - whether a START opens a pair at all
 * @cpu: its cpu field
 * @r:   the rules
 *
 * Return: RL_DISCARD_KEEP, or RL_DISCARD_CPU when the cpu filter excludes it.
 */
static inline enum rl_discard rl_judge_ft_start(unsigned cpu, const struct rl_ft_rules *r)
{
	return rl_ft_rules_cpu_excluded(r, cpu) ? RL_DISCARD_CPU : RL_DISCARD_KEEP;
}

/**
 * rl_judge_ft_unended() - the reason for a START that never got its END
 * @hole: a sequence-number hole lies after it (the END may be among the lost records)
 *
 * Return: RL_DISCARD_HOLE or RL_DISCARD_INCOMPLETE.
 */
static inline enum rl_discard rl_judge_ft_unended(int hole)
{
	return hole ? RL_DISCARD_HOLE : RL_DISCARD_INCOMPLETE;
}

/* What a Linux or Xen analysis knows about one measured interval. */
struct rl_interval_facts {
	uint8_t lost;	  /* events were lost on the cpu inside it */
	uint8_t irq;	  /* an interrupt handler started on the cpu inside it */
	uint8_t negative; /* it ends before it starts */
};

struct rl_interval_rules {
	uint8_t keep_irq;      /* keep intervals an interrupt disturbed */
	uint8_t keep_negative; /* keep negative intervals */
};

enum rl_discard rl_judge_interval(const struct rl_interval_facts *f,
				  const struct rl_interval_rules *r);

/* ========================================== end of discard reasons */

/* ============================================ event selection (select.c) */

/*
 * A set of ids (CPUs, pids) as sorted, disjoint, inclusive ranges: any
 * size, memory by the number of ranges given, not by the largest id.
 */
struct rl_idrange {
	uint32_t lo, hi;
};

struct rl_idset {
	struct rl_idrange *r;
	uint32_t n, cap;
};

void rl_idset_init(struct rl_idset *s);
void rl_idset_release(struct rl_idset *s);
int rl_idset_add(struct rl_idset *s, uint32_t lo, uint32_t hi, struct rl_err *err);
int rl_idset_has(const struct rl_idset *s, uint32_t v);
/* "0-3,8" style lists (ids 0..@max) added to @s; @what names the list in messages. */
int rl_idset_parse(struct rl_idset *s, const char *list, uint32_t max, const char *what,
		   struct rl_err *err);
int rl_select_parse_cpus(const char *list, struct rl_idset *s, struct rl_err *err);
int rl_select_parse_pids(const char *list, struct rl_idset *s, struct rl_err *err);
/* Event type names as rl_ev_type_name() spells them, comma-separated, into a 1 << type mask. */
int rl_select_parse_types(const char *list, uint64_t *mask, struct rl_err *err);

/* Units of a time without a suffix (ns per unit). */
#define RL_UNIT_NS INT64_C(1)
#define RL_UNIT_US INT64_C(1000)
#define RL_UNIT_MS INT64_C(1000000)
#define RL_UNIT_S INT64_C(1000000000)

/* "250ms", "1.5s", "20" (in @default_unit) into ns; not negative, no overflow. */
int rl_time_parse(const char *s, int64_t default_unit, int64_t *ns, struct rl_err *err);

/* Where --from and --to count from. */
enum rl_select_origin {
	RL_SELECT_ORIGIN_FIRST = 0, /* the first timed event that reaches the stage */
	RL_SELECT_ORIGIN_ZERO,	    /* the trace timeline's 0 */
	RL_SELECT_ORIGIN_GIVEN,	    /* rl_select.origin as set by the caller */
};

/**
 * struct rl_select_opts - what an event must match to pass (every given criterion)
 * @cpus:          CPUs (empty: any); events without a CPU never match a CPU set
 * @pids:          pids of the subject task (empty: any)
 * @comm:          subject task's name in the task table (NULL: any; borrowed)
 * @from:          window start, ns after the origin (with @has_from)
 * @to:            window end (exclusive), ns after the origin (with @has_to)
 * @types:         1 << enum rl_ev_type (0: any)
 * @origin:        enum rl_select_origin
 * @has_from:      @from given
 * @has_to:        @to given
 * @keep_taskless: events of no task (sys release, irq, lost) pass the pid
 *                 and comm criteria instead of failing them
 *
 * Events flagged RL_EVF_NOTIME (task names and parameters) have no time: a
 * window drops them.
 */
struct rl_select_opts {
	struct rl_idset cpus;
	struct rl_idset pids;
	const char *comm;
	int64_t from, to;
	uint64_t types;
	int origin;
	uint8_t has_from, has_to, keep_taskless;
};

void rl_select_opts_init(struct rl_select_opts *o);
void rl_select_opts_release(struct rl_select_opts *o);
/* Return: 1 if @o selects anything at all (some criterion is given). */
int rl_select_opts_active(const struct rl_select_opts *o);

/**
 * struct rl_select - the selection stage: a sink that forwards what matches
 * @sink:    the stage's own sink (give this to rl_run())
 * @next:    downstream sink (borrowed); its finish() is called from ours
 * @t:       the trace (task table for pids and names)
 * @o:       criteria (borrowed)
 * @origin:  ns of the origin once known (RL_SELECT_ORIGIN_GIVEN: set it)
 * @seen:    events received
 * @kept:    events forwarded
 */
struct rl_select {
	struct rl_sink sink;
	struct rl_sink *next;
	const struct rl_trace *t;
	const struct rl_select_opts *o;
	int64_t origin;
	int64_t sys_release; /* the first SYS_RELEASE event's instant (with has_sys_release) */
	uint64_t seen, kept;
	uint8_t have_origin, has_sys_release;
	uint8_t watch_only; /* forward every event; only note the origin and the release */
	uint8_t *comm_ok;   /* per task: 0 unknown, 1 no, 2 yes (for the name in comm_name) */
	uint32_t *comm_name;
	uint32_t cap_ok, cap_name;
};

int rl_select_init(struct rl_select *s, const struct rl_trace *t, const struct rl_select_opts *o,
		   struct rl_sink *next, struct rl_err *err);
void rl_select_release(struct rl_select *s);
void rl_select_set_origin(struct rl_select *s, int64_t ns);
/* Return: 1 if @ev passes (the origin is taken from it if still unknown), else 0. */
int rl_select_match(struct rl_select *s, const struct rl_event *ev);
/* Return: 1 if task @task passes the pid and name criteria. */
int rl_select_task(struct rl_select *s, uint32_t task);
/*
 * Jobs are selected, not their events (a task's jobs need all its events):
 * Return: 1 if the job of @task released at @release passes: the task by pid
 * and name, by partition for a CPU set, the release inside the window
 * counted from the stage's origin, or with @from_sys_release from the first
 * SYS_RELEASE the stage saw.
 */
int rl_select_job(struct rl_select *s, uint32_t task, int64_t release, int from_sys_release);

/* ========================================== end of event selection */

#endif /* RL_FILTERS_H */
