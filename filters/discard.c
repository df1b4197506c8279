/*
 * filters/discard.c - the discard reasons of every source, and the rules
 * that pick one for a sample.
 *
 * The judges are pure: they look at the facts a walk collected about one
 * START/END pair or one interval and at the user's rules, and return either
 * RL_DISCARD_KEEP or the one reason the sample is counted under. Where a
 * sample has several faults, the order of the checks below decides which
 * reason wins; it is the order the extraction has always applied, and the
 * overhead goldens pin the resulting counts.
 */
#include "filters.h"
#include "../readers/feather-trace.h"

static const char *const discard_names[RL_DISCARD_N] = {
	[RL_DISCARD_IRQ] = "irq",
	[RL_DISCARD_HOLE] = "seq_hole",
	[RL_DISCARD_INTERLEAVED] = "interleaved",
	[RL_DISCARD_NONRT] = "non_rt",
	[RL_DISCARD_INCOMPLETE] = "incomplete",
	[RL_DISCARD_CPU] = "cpu_filtered",
	[RL_DISCARD_NEGATIVE] = "negative",
	[RL_DISCARD_ORPHAN] = "orphan_end",
	[RL_DISCARD_LOST] = "lost",
	[RL_DISCARD_NOSWITCH] = "no_switch_in",
};

const uint8_t rl_discard_cols_ft[8] = {
	RL_DISCARD_IRQ,	       RL_DISCARD_HOLE, RL_DISCARD_INTERLEAVED, RL_DISCARD_NONRT,
	RL_DISCARD_INCOMPLETE, RL_DISCARD_CPU,	RL_DISCARD_NEGATIVE,	RL_DISCARD_ORPHAN,
};

const uint8_t rl_discard_cols_linux[3] = {RL_DISCARD_IRQ, RL_DISCARD_LOST, RL_DISCARD_NOSWITCH};

const uint8_t rl_discard_cols_xen[3] = {RL_DISCARD_LOST, RL_DISCARD_INCOMPLETE,
					RL_DISCARD_NEGATIVE};

/**
 * rl_discard_name() - the report column name of a discard reason
 * @d: the reason
 *
 * Return: its name ("irq", "seq_hole", ...), or "?" for a value out of range.
 */
const char *rl_discard_name(enum rl_discard d)
{
	return (unsigned)d < RL_DISCARD_N ? discard_names[d] : "?";
}

/**
 * rl_discard_merge() - add one set of discard counters to another
 * @dst: the sum
 * @src: counters added to it
 */
void rl_discard_merge(struct rl_discard_counts *dst, const struct rl_discard_counts *src)
{
	unsigned k;

	for (k = 0; k < RL_DISCARD_N; k++)
		dst->n[k] += src->n[k];
}

/**
 * rl_discard_total() - the number of samples left out, over every reason
 * @c: the counters
 *
 * Return: their sum.
 */
uint64_t rl_discard_total(const struct rl_discard_counts *c)
{
	uint64_t s = 0;
	unsigned k;

	for (k = 0; k < RL_DISCARD_N; k++)
		s += c->n[k];
	return s;
}

/**
 * rl_ft_rules_cpu_excluded() - whether the cpu filter leaves out a cpu
 * @r:   the rules
 * @cpu: the record's cpu field
 *
 * Return: 1 if @cpu is the avoided cpu, or not the only one wanted.
 */
int rl_ft_rules_cpu_excluded(const struct rl_ft_rules *r, unsigned cpu)
{
	return (int)cpu == r->avoid_cpu || (r->only_cpu >= 0 && (int)cpu != r->only_cpu);
}

/* Pairs of non-real-time tasks are kept for every event, none, or (default) the IPIs and
 * QUANTUM_BOUNDARY, as ft-extract-samples keeps them. */
static int ft_best_effort_ok(const struct rl_ft_rules *r, unsigned start_id)
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
enum rl_discard rl_judge_ft_pair(const struct rl_ft_pair_facts *f, const struct rl_ft_rules *r)
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
	if (!f->start_rt && !f->end_rt && !ft_best_effort_ok(r, f->start_id))
		return RL_DISCARD_NONRT;
	return RL_DISCARD_KEEP;
}

/**
 * rl_judge_ft_pid_pair() - keep or discard a pid-paired Feather-Trace sample (ids < 100)
 * @f: what the walk saw over the executed parts of the pair
 * @r: the rules
 *
 * Checks, first match wins: sequence hole; irq on the cpu while executing
 * (unless keep_irq); a negative executed part. keep_negative does not apply:
 * the value is a sum of parts, and one negative part makes it meaningless.
 *
 * Return: RL_DISCARD_KEEP or the reason.
 */
enum rl_discard rl_judge_ft_pid_pair(const struct rl_ft_pair_facts *f,
				     const struct rl_ft_rules *r)
{
	if (f->hole)
		return RL_DISCARD_HOLE;
	if (f->irq_between && !r->keep_irq)
		return RL_DISCARD_IRQ;
	if (f->negative)
		return RL_DISCARD_NEGATIVE;
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
enum rl_discard rl_judge_ft_single(unsigned cpu, int rt, const struct rl_ft_rules *r)
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
enum rl_discard rl_judge_ft_start(unsigned cpu, const struct rl_ft_rules *r)
{
	return rl_ft_rules_cpu_excluded(r, cpu) ? RL_DISCARD_CPU : RL_DISCARD_KEEP;
}

/**
 * rl_judge_ft_unended() - the reason for a START that never got its END
 * @hole: a sequence-number hole lies after it (the END may be among the lost records)
 *
 * Return: RL_DISCARD_HOLE or RL_DISCARD_INCOMPLETE.
 */
enum rl_discard rl_judge_ft_unended(int hole)
{
	return hole ? RL_DISCARD_HOLE : RL_DISCARD_INCOMPLETE;
}

/**
 * rl_judge_interval() - keep or discard a Linux or Xen interval
 * @f: what the analysis saw on the cpu inside the interval
 * @r: the rules
 *
 * Checks, first match wins: lost events; an interrupt (unless keep_irq);
 * negative length (unless keep_negative).
 *
 * Return: RL_DISCARD_KEEP or the reason.
 */
enum rl_discard rl_judge_interval(const struct rl_interval_facts *f,
				  const struct rl_interval_rules *r)
{
	if (f->lost)
		return RL_DISCARD_LOST;
	if (f->irq && !r->keep_irq)
		return RL_DISCARD_IRQ;
	if (f->negative && !r->keep_negative)
		return RL_DISCARD_NEGATIVE;
	return RL_DISCARD_KEEP;
}
