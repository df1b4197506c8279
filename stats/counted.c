/*
 * stats/counted.c - counted series: latency histograms of a measuring tool
 * (cyclictest) as exact per-value counts in ns, and their statistics.
 *
 * cyclictest truncates each latency to a whole microsecond (or nanosecond
 * with --nsecs) before it counts it, so a bucket's value is the sample's
 * value: order statistics from the cumulative counts are the samples' own,
 * with the same interpolation as the overhead report (rl_quantile_sorted()).
 * Samples above the histogram's range keep only their count, and the max;
 * a statistic that needs their values is unknown (NaN), never guessed.
 */
#include "stats.h"
#include "../readers/cyclictest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/**
 * rl_cnt_release() - free every series of a set
 * @set: the set (left empty)
 */
void rl_cnt_release(struct rl_cnt_set *set)
{
	uint32_t i;

	for (i = 0; i < set->n; i++) {
		free(set->s[i].group);
		free(set->s[i].file);
		free(set->s[i].val);
		free(set->s[i].cnt);
	}
	free(set->s);
	memset(set, 0, sizeof(*set));
}

static int64_t cnt_ns(uint64_t v, uint64_t mul)
{
	return v > (uint64_t)INT64_MAX / mul ? INT64_MAX : (int64_t)(v * mul);
}

/**
 * rl_cnt_add_cyclictest() - every thread of a cyclictest file as a series
 * @set:  the set
 * @c:    a file read by rl_cyclictest_parse()
 * @file: the file's label
 * @err:  error out
 *
 * Values become ns (µs files times 1000; the text form's unit is the one
 * the reader inferred, JSON's resolution_in_ns, else µs, cyclictest's default). The overflowed
 * samples are at least rl_cyclictest_overflow_min().
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_cnt_add_cyclictest(struct rl_cnt_set *set, const struct rl_cyclictest *c, const char *file,
			  struct rl_err *err)
{
	uint64_t mul = c->unit == RL_CYC_UNIT_NS ? 1 : 1000;
	uint32_t i, b;

	for (i = 0; i < c->nthreads; i++) {
		const struct rl_cyc_thread *t = &c->threads[i];
		struct rl_cnt_series *s;

		if (rl_grow((void **)&set->s, &set->cap, set->n + 1, sizeof(*set->s)))
			goto nomem;
		s = &set->s[set->n];
		memset(s, 0, sizeof(*s));
		set->n++;
		s->file = strdup(file);
		if (!s->file || asprintf(&s->group, "file=%s_thread=%u", file, t->index) < 0) {
			s->group = NULL;
			goto nomem;
		}
		s->val = calloc(t->nbuckets ? t->nbuckets : 1, sizeof(*s->val));
		s->cnt = calloc(t->nbuckets ? t->nbuckets : 1, sizeof(*s->cnt));
		if (!s->val || !s->cnt)
			goto nomem;
		for (b = 0; b < t->nbuckets; b++) {
			s->val[b] = cnt_ns(t->buckets[b].value, mul);
			s->cnt[b] = t->buckets[b].count;
		}
		s->nval = t->nbuckets;
		s->n = t->cycles;
		s->over = t->overflows;
		s->over_lo = cnt_ns(rl_cyclictest_overflow_min(c, t), mul);
		s->min = cnt_ns(t->min, mul);
		s->max = cnt_ns(t->max, mul);
		s->mean_tool = isnan(t->avg) ? NAN : t->avg * (double)mul;
		s->thread = t->index;
		s->cpu = (t->flags & RL_CYC_F_CPU) ? t->cpu : -1;
	}
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
}

/* The value of rank @k (0 = smallest) among the in-range samples; k < Σ cnt. */
static int64_t cnt_nth(const struct rl_cnt_series *s, uint64_t k)
{
	uint64_t seen = 0;
	uint32_t i;

	for (i = 0; i < s->nval; i++) {
		if (k - seen < s->cnt[i])
			return s->val[i];
		seen += s->cnt[i];
	}
	return s->nval ? s->val[s->nval - 1] : 0;
}

/**
 * rl_cnt_quantile() - a quantile of a counted series
 * @s: the series
 * @q: quantile in [0, 1]
 * @v: the result (ns), as rl_quantile_sorted() on the expanded samples
 *
 * Return: 0, or 1 when it needs an overflowed sample (or @s is empty): unknown.
 */
int rl_cnt_quantile(const struct rl_cnt_series *s, double q, double *v)
{
	uint64_t in = s->n - s->over, lo;
	double h;

	*v = NAN;
	if (!s->n || s->over > s->n)
		return 1;
	if (q >= 1) {
		*v = (double)s->max;
		return 0;
	}
	if (q <= 0) {
		*v = (double)s->min;
		return 0;
	}
	h = q * (double)(s->n - 1);
	lo = h >= (double)(s->n - 1) ? s->n - 1 : (uint64_t)h;
	if (lo + 1 >= s->n) {
		*v = (double)s->max;
		return 0;
	}
	if (lo >= in || (h > (double)lo && lo + 1 >= in))
		return 1;
	{
		int64_t a = cnt_nth(s, lo), b = h > (double)lo ? cnt_nth(s, lo + 1) : a;

		*v = (double)a + (h - (double)lo) * (double)(b - a);
	}
	return 0;
}

/**
 * rl_cnt_stat() - the overhead report's statistics of a counted series
 * @s:  the series
 * @st: output; unknown statistics are NaN
 *
 * With no overflow every statistic is exact (the mean from the exact sum).
 * With overflows: n, min and max stay exact, the mean is the tool's own
 * (cyclictest's avg: rounded in JSON, truncated in text), stddev and var are
 * unknown, and so is each percentile whose ranks reach the overflows.
 *
 * Return: mask of RL_CNT_U_* statistics that are unknown.
 */
unsigned rl_cnt_stat(const struct rl_cnt_series *s, struct rl_ovh_stat *st)
{
	static const double qs[5] = {0.5, 0.90, 0.95, 0.99, 0.999};
	double *qv[5] = {&st->median, &st->p90, &st->p95, &st->p99, &st->p999};
	unsigned unknown = 0;
	uint32_t i;
	int k;

	memset(st, 0, sizeof(*st));
	st->n = st->k = s->n;
	st->min = s->min;
	st->max = s->max;
	st->exp_max = (double)s->max;
	if (!s->n)
		return 0;
	if (!s->over) {
		__int128 sum = 0;
		double ss = 0;

		for (i = 0; i < s->nval; i++)
			sum += (__int128)s->cnt[i] * s->val[i];
		st->mean = (double)((long double)sum / (long double)s->n);
		for (i = 0; i < s->nval; i++) {
			double d = (double)s->val[i] - st->mean;

			ss += (double)s->cnt[i] * d * d;
		}
		st->var = ss / (double)s->n;
		st->std = s->n > 1 ? sqrt(ss / (double)(s->n - 1)) : NAN;
	} else {
		st->mean = s->mean_tool;
		st->var = st->std = NAN;
		unknown |= RL_CNT_U_SPREAD;
		if (isnan(st->mean))
			unknown |= RL_CNT_U_MEAN;
	}
	for (k = 0; k < 5; k++)
		if (rl_cnt_quantile(s, qs[k], qv[k]))
			unknown |= RL_CNT_U_MEDIAN << k;
	return unknown;
}
