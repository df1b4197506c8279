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

/*
 * Why a sample is left out. One enumeration for every source: Feather-Trace
 * pairs, Linux latency intervals and Xen overhead spans count into it, and
 * each source's report shows the subset of columns it can produce, in a
 * fixed order (rl_discard_cols_*). The names are the report's column names.
 */
enum rl_discard {
	RL_DISCARD_KEEP = -1,   /* not a reason: the sample is kept */
	RL_DISCARD_IRQ,         /* an interrupt hit the cpu inside the measured interval */
	RL_DISCARD_HOLE,        /* a sequence-number hole lies between START and END */
	RL_DISCARD_INTERLEAVED, /* other records of the cpu in between (when asked) */
	RL_DISCARD_NONRT,       /* neither START nor END belongs to a real-time task */
	RL_DISCARD_INCOMPLETE,  /* a start whose end never came (a new start, or EOF) */
	RL_DISCARD_CPU,         /* cpu excluded by only_cpu / avoid_cpu */
	RL_DISCARD_NEGATIVE,    /* end before start (uncalibrated clocks, TSC skew) */
	RL_DISCARD_ORPHAN,      /* END without START (not a sample; informational) */
	RL_DISCARD_LOST,        /* events were lost on the cpu inside the interval */
	RL_DISCARD_NOSWITCH,    /* woken task switched out with no switch-in in the trace */
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
	int keep_irq;       /* keep interrupted samples */
	int ignore_ipi_irq; /* ignore the irq flag of SEND_*_END records */
	int no_interleaved; /* discard pairs with other records of the cpu in between */
	int best_effort;    /* 1 keep all, -1 real-time only, 0 real-time only except
			     * SEND_RESCHED, SEND_XCALL, QUANTUM_BOUNDARY (ft-extract-samples) */
	int keep_negative;  /* keep END-before-START pairs (cpu-paired events only) */
	int only_cpu;       /* -1 none */
	int avoid_cpu;      /* -1 none */
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
	uint8_t hole;         /* a sequence-number hole lies between START and END */
	uint8_t irq_end;      /* END carries the irq flag */
	uint8_t negative;     /* END earlier than START (modulo the timestamp width) */
	uint8_t start_rt;     /* START's task is real-time */
	uint8_t end_rt;       /* END's task is real-time */
};

/* Return: 1 if records of @cpu are excluded by only_cpu / avoid_cpu. */
int rl_ft_rules_cpu_excluded(const struct rl_ft_rules *r, unsigned cpu);
enum rl_discard rl_judge_ft_pair(const struct rl_ft_pair_facts *f, const struct rl_ft_rules *r);
enum rl_discard rl_judge_ft_pid_pair(const struct rl_ft_pair_facts *f,
				     const struct rl_ft_rules *r);
enum rl_discard rl_judge_ft_single(unsigned cpu, int rt, const struct rl_ft_rules *r);
enum rl_discard rl_judge_ft_start(unsigned cpu, const struct rl_ft_rules *r);
enum rl_discard rl_judge_ft_unended(int hole);

/* What a Linux or Xen analysis knows about one measured interval. */
struct rl_interval_facts {
	uint8_t lost;     /* events were lost on the cpu inside it */
	uint8_t irq;      /* an interrupt handler started on the cpu inside it */
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



/* ========================================== end of event selection */

#endif /* RL_FILTERS_H */
