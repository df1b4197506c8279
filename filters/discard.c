/*
 * filters/discard.c - the discard reasons of every source, and the rules
 * that pick one for a sample.
 *
 * The judges are pure: they look at the facts a walk collected about one
 * START/END pair or one interval and at the user's rules, and return either
 * RL_DISCARD_KEEP or the one reason the sample is counted under. Where a
 * sample has several faults, the order of the checks below decides which
 * reason wins; it is the order the extraction has always applied, and the
 * overhead goldens pin the resulting counts. The Feather-Trace judges the
 * walk calls for every record (pair, START, single) are inline in
 * filters.h; the rest are here.
 */
#include "filters.h"

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
enum rl_discard rl_judge_ft_pid_pair(const struct rl_ft_pair_facts *f, const struct rl_ft_rules *r)
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
