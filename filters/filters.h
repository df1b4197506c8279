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
	uint64_t seen, kept;
	uint8_t have_origin;
	uint8_t *comm_ok; /* per task: 0 unknown, 1 no, 2 yes (for the name in comm_name) */
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

/* ========================================== end of event selection */

#endif /* RL_FILTERS_H */
