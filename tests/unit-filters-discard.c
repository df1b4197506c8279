/*
 * tests/unit-filters-discard.c - the discard judges of filters/discard.c:
 * one table row per rule and per precedence conflict (a sample with several
 * faults is counted under the first reason the extraction checks), the
 * name table and the per-source report columns, and the counters.
 */
#include "tap.h"
#include "../filters/filters.h"

#include <string.h>

#define K RL_DISCARD_KEEP
#define SCHED 100   /* SCHED_START */
#define RESCHED 190 /* SEND_RESCHED_START */
#define XCALL 192   /* SEND_XCALL_START */
#define QB 112	    /* QUANTUM_BOUNDARY_START */

/* Rules: irq=keep_irq ipi=ignore_ipi_irq il=no_interleaved be=best_effort neg=keep_negative */
struct pair_row {
	const char *name;
	struct rl_ft_pair_facts f; /* between, irq_between, start_id, hole, irq_end, negative,
				    * start_rt, end_rt */
	struct rl_ft_rules r;	   /* keep_irq, ignore_ipi_irq, no_interleaved, best_effort,
				    * keep_negative, only_cpu, avoid_cpu */
	enum rl_discard want;
};

static const struct pair_row pair_rows[] = {
	{"clean rt pair", {0, 0, SCHED, 0, 0, 0, 1, 1}, {0, 0, 0, 0, 0, -1, -1}, K},
	{"one rt side is enough", {0, 0, SCHED, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, -1, -1}, K},
	{"seq hole", {0, 0, SCHED, 1, 0, 0, 1, 1}, {0, 0, 0, 0, 0, -1, -1}, RL_DISCARD_HOLE},
	{"irq in between", {3, 1, SCHED, 0, 0, 0, 1, 1}, {0, 0, 0, 0, 0, -1, -1}, RL_DISCARD_IRQ},
	{"irq flag on END", {0, 0, SCHED, 0, 1, 0, 1, 1}, {0, 0, 0, 0, 0, -1, -1}, RL_DISCARD_IRQ},
	{"keep_irq keeps it", {3, 1, SCHED, 0, 1, 0, 1, 1}, {1, 0, 0, 0, 0, -1, -1}, K},
	{"ignore_ipi_irq: END flag of SEND_RESCHED ignored",
	 {0, 0, RESCHED, 0, 1, 0, 1, 1},
	 {0, 1, 0, 0, 0, -1, -1},
	 K},
	{"ignore_ipi_irq: END flag of SEND_XCALL ignored",
	 {0, 0, XCALL, 0, 1, 0, 1, 1},
	 {0, 1, 0, 0, 0, -1, -1},
	 K},
	{"ignore_ipi_irq: not for SCHED",
	 {0, 0, SCHED, 0, 1, 0, 1, 1},
	 {0, 1, 0, 0, 0, -1, -1},
	 RL_DISCARD_IRQ},
	{"ignore_ipi_irq: irq in between still counts",
	 {2, 1, RESCHED, 0, 0, 0, 1, 1},
	 {0, 1, 0, 0, 0, -1, -1},
	 RL_DISCARD_IRQ},
	{"IPI END flag without ignore_ipi_irq",
	 {0, 0, RESCHED, 0, 1, 0, 1, 1},
	 {0, 0, 0, 0, 0, -1, -1},
	 RL_DISCARD_IRQ},
	{"interleaved, asked",
	 {2, 0, SCHED, 0, 0, 0, 1, 1},
	 {0, 0, 1, 0, 0, -1, -1},
	 RL_DISCARD_INTERLEAVED},
	{"interleaved, not asked", {2, 0, SCHED, 0, 0, 0, 1, 1}, {0, 0, 0, 0, 0, -1, -1}, K},
	{"negative", {0, 0, SCHED, 0, 0, 1, 1, 1}, {0, 0, 0, 0, 0, -1, -1}, RL_DISCARD_NEGATIVE},
	{"keep_negative", {0, 0, SCHED, 0, 0, 1, 1, 1}, {0, 0, 0, 0, 1, -1, -1}, K},
	{"non-rt SCHED", {0, 0, SCHED, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, -1, -1}, RL_DISCARD_NONRT},
	{"non-rt SEND_RESCHED kept by default",
	 {0, 0, RESCHED, 0, 0, 0, 0, 0},
	 {0, 0, 0, 0, 0, -1, -1},
	 K},
	{"non-rt SEND_XCALL kept by default",
	 {0, 0, XCALL, 0, 0, 0, 0, 0},
	 {0, 0, 0, 0, 0, -1, -1},
	 K},
	{"non-rt QUANTUM_BOUNDARY kept by default",
	 {0, 0, QB, 0, 0, 0, 0, 0},
	 {0, 0, 0, 0, 0, -1, -1},
	 K},
	{"non-rt SEND_RESCHED with rt-only",
	 {0, 0, RESCHED, 0, 0, 0, 0, 0},
	 {0, 0, 0, -1, 0, -1, -1},
	 RL_DISCARD_NONRT},
	{"non-rt SCHED with best effort", {0, 0, SCHED, 0, 0, 0, 0, 0}, {0, 0, 0, 1, 0, -1, -1}, K},
	/* precedence conflicts */
	{"hole beats irq", {1, 1, SCHED, 1, 1, 0, 1, 1}, {0, 0, 0, 0, 0, -1, -1}, RL_DISCARD_HOLE},
	{"hole beats everything",
	 {4, 2, SCHED, 1, 1, 1, 0, 0},
	 {0, 0, 1, 0, 0, -1, -1},
	 RL_DISCARD_HOLE},
	{"irq beats interleaved",
	 {2, 1, SCHED, 0, 0, 0, 1, 1},
	 {0, 0, 1, 0, 0, -1, -1},
	 RL_DISCARD_IRQ},
	{"irq beats negative and non-rt",
	 {0, 0, SCHED, 0, 1, 1, 0, 0},
	 {0, 0, 0, 0, 0, -1, -1},
	 RL_DISCARD_IRQ},
	{"interleaved beats negative",
	 {1, 0, SCHED, 0, 0, 1, 1, 1},
	 {0, 0, 1, 0, 0, -1, -1},
	 RL_DISCARD_INTERLEAVED},
	{"negative beats non-rt",
	 {0, 0, SCHED, 0, 0, 1, 0, 0},
	 {0, 0, 0, 0, 0, -1, -1},
	 RL_DISCARD_NEGATIVE},
	{"keep_irq: interleaved next",
	 {2, 1, SCHED, 0, 1, 0, 1, 1},
	 {1, 0, 1, 0, 0, -1, -1},
	 RL_DISCARD_INTERLEAVED},
	{"keep_negative: non-rt next",
	 {0, 0, SCHED, 0, 0, 1, 0, 0},
	 {0, 0, 0, 0, 1, -1, -1},
	 RL_DISCARD_NONRT},
	{"cpu filter is not the pair's business",
	 {0, 0, SCHED, 0, 0, 0, 1, 1},
	 {0, 0, 0, 0, 0, 3, 2},
	 K},
};

static const struct pair_row pid_rows[] = {
	{"pid pair clean", {0, 0, 10, 0, 0, 0, 0, 0}, {0, 0, 0, -1, 0, -1, -1}, K},
	{"pid pair hole", {0, 0, 10, 1, 0, 0, 1, 1}, {0, 0, 0, 0, 0, -1, -1}, RL_DISCARD_HOLE},
	{"pid pair irq", {0, 1, 10, 0, 0, 0, 1, 1}, {0, 0, 0, 0, 0, -1, -1}, RL_DISCARD_IRQ},
	{"pid pair irq kept", {0, 1, 10, 0, 0, 0, 1, 1}, {1, 0, 0, 0, 0, -1, -1}, K},
	{"pid pair negative",
	 {0, 0, 10, 0, 0, 1, 1, 1},
	 {0, 0, 0, 0, 0, -1, -1},
	 RL_DISCARD_NEGATIVE},
	{"pid pair: keep_negative does not apply",
	 {0, 0, 10, 0, 0, 1, 1, 1},
	 {0, 0, 0, 0, 1, -1, -1},
	 RL_DISCARD_NEGATIVE},
	{"pid pair: no interleaving or non-rt rule",
	 {5, 0, 10, 0, 1, 0, 0, 0},
	 {0, 0, 1, -1, 0, -1, -1},
	 K},
	{"pid pair: hole beats irq",
	 {0, 1, 10, 1, 0, 1, 1, 1},
	 {0, 0, 0, 0, 0, -1, -1},
	 RL_DISCARD_HOLE},
	{"pid pair: irq beats negative",
	 {0, 1, 10, 0, 0, 1, 1, 1},
	 {0, 0, 0, 0, 0, -1, -1},
	 RL_DISCARD_IRQ},
};

struct single_row {
	const char *name;
	unsigned cpu;
	int rt;
	struct rl_ft_rules r;
	enum rl_discard want;
};

static const struct single_row single_rows[] = {
	{"single rt", 1, 1, {0, 0, 0, 0, 0, -1, -1}, K},
	{"single non-rt", 1, 0, {0, 0, 0, 0, 0, -1, -1}, RL_DISCARD_NONRT},
	{"single non-rt, rt-only", 1, 0, {0, 0, 0, -1, 0, -1, -1}, RL_DISCARD_NONRT},
	{"single non-rt, best effort", 1, 0, {0, 0, 0, 1, 0, -1, -1}, K},
	{"single on the avoided cpu", 2, 1, {0, 0, 0, 0, 0, -1, 2}, RL_DISCARD_CPU},
	{"single not on the only cpu", 1, 1, {0, 0, 0, 0, 0, 3, -1}, RL_DISCARD_CPU},
	{"single on the only cpu", 3, 1, {0, 0, 0, 0, 0, 3, -1}, K},
	{"single: cpu beats non-rt", 2, 0, {0, 0, 0, 0, 0, -1, 2}, RL_DISCARD_CPU},
};

struct ival_row {
	const char *name;
	struct rl_interval_facts f; /* lost, irq, negative */
	struct rl_interval_rules r; /* keep_irq, keep_negative */
	enum rl_discard want;
};

static const struct ival_row ival_rows[] = {
	{"clean interval", {0, 0, 0}, {0, 0}, K},
	{"lost", {1, 0, 0}, {0, 0}, RL_DISCARD_LOST},
	{"irq", {0, 1, 0}, {0, 0}, RL_DISCARD_IRQ},
	{"irq kept", {0, 1, 0}, {1, 0}, K},
	{"negative", {0, 0, 1}, {0, 0}, RL_DISCARD_NEGATIVE},
	{"negative kept", {0, 0, 1}, {0, 1}, K},
	{"lost beats irq", {1, 1, 0}, {0, 0}, RL_DISCARD_LOST},
	{"lost beats irq even with keep_irq", {1, 1, 0}, {1, 0}, RL_DISCARD_LOST},
	{"irq beats negative", {0, 1, 1}, {0, 0}, RL_DISCARD_IRQ},
	{"keep_irq: negative next", {0, 1, 1}, {1, 0}, RL_DISCARD_NEGATIVE},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void t_names(void)
{
	static const char *const ft[] = {"irq",	       "seq_hole",     "interleaved", "non_rt",
					 "incomplete", "cpu_filtered", "negative",    "orphan_end"};
	static const char *const lx[] = {"irq", "lost", "no_switch_in"};
	static const char *const xen[] = {"lost", "incomplete", "negative"};
	unsigned i, j;
	int uniq = 1;

	for (i = 0; i < N(ft); i++)
		is_str(rl_discard_name(rl_discard_cols_ft[i]), ft[i], "Feather-Trace column %u", i);
	for (i = 0; i < N(lx); i++)
		is_str(rl_discard_name(rl_discard_cols_linux[i]), lx[i], "Linux column %u", i);
	for (i = 0; i < N(xen); i++)
		is_str(rl_discard_name(rl_discard_cols_xen[i]), xen[i], "Xen column %u", i);
	for (i = 0; i < RL_DISCARD_N; i++)
		for (j = i + 1; j < RL_DISCARD_N; j++)
			uniq &= strcmp(rl_discard_name(i), rl_discard_name(j)) != 0;
	ok(uniq, "every reason has its own name");
	is_str(rl_discard_name(RL_DISCARD_KEEP), "?", "KEEP is not a reason");
	is_str(rl_discard_name(RL_DISCARD_N), "?", "out of range");
}

static void t_counts(void)
{
	struct rl_discard_counts a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	rl_discard_add(&a, RL_DISCARD_IRQ);
	rl_discard_add(&a, RL_DISCARD_IRQ);
	rl_discard_add(&a, RL_DISCARD_KEEP);
	rl_discard_add(&a, RL_DISCARD_N);
	rl_discard_add(&b, RL_DISCARD_LOST);
	rl_discard_add(&b, RL_DISCARD_IRQ);
	is_int(rl_discard_total(&a), 2, "KEEP and out-of-range values are not counted");
	rl_discard_merge(&a, &b);
	is_int(a.n[RL_DISCARD_IRQ], 3, "merge adds per reason (irq)");
	is_int(a.n[RL_DISCARD_LOST], 1, "merge adds per reason (lost)");
	is_int(rl_discard_total(&a), 4, "total after merge");
}

int main(void)
{
	struct rl_ft_rules def = {0, 0, 0, 0, 0, -1, -1}, only = {0, 0, 0, 0, 0, 1, 4};
	unsigned i;

	for (i = 0; i < N(pair_rows); i++)
		is_int(rl_judge_ft_pair(&pair_rows[i].f, &pair_rows[i].r), pair_rows[i].want, "%s",
		       pair_rows[i].name);
	for (i = 0; i < N(pid_rows); i++)
		is_int(rl_judge_ft_pid_pair(&pid_rows[i].f, &pid_rows[i].r), pid_rows[i].want, "%s",
		       pid_rows[i].name);
	for (i = 0; i < N(single_rows); i++)
		is_int(rl_judge_ft_single(single_rows[i].cpu, single_rows[i].rt, &single_rows[i].r),
		       single_rows[i].want, "%s", single_rows[i].name);
	for (i = 0; i < N(ival_rows); i++)
		is_int(rl_judge_interval(&ival_rows[i].f, &ival_rows[i].r), ival_rows[i].want, "%s",
		       ival_rows[i].name);
	is_int(rl_judge_ft_start(0, &def), K, "START opens a pair");
	is_int(rl_judge_ft_start(4, &only), RL_DISCARD_CPU,
	       "START on the avoided cpu (which wins "
	       "over only_cpu)");
	is_int(rl_judge_ft_start(1, &only), K, "START on the only cpu");
	is_int(rl_judge_ft_start(2, &only), RL_DISCARD_CPU, "START not on the only cpu");
	is_int(rl_judge_ft_unended(0), RL_DISCARD_INCOMPLETE, "unended START: incomplete");
	is_int(rl_judge_ft_unended(1), RL_DISCARD_HOLE, "unended START after a hole: seq hole");
	t_names();
	t_counts();
	done_testing();
	return exit_status();
}
