/*
 * stats/ovh-local.h - what the overhead accumulator (stats/ovh-acc.c) and the
 * Feather-Trace pairing walker (stats/ft-pairs.c) share, and nothing else
 * includes.
 *
 * A walk collects the samples of one file into series of its own (struct
 * ovh_lser: chunks in file order, or exact per-value counts while a series
 * is narrow and only statistics are wanted); the accumulator takes them over
 * in file order, so that walks can run in parallel threads.
 */
#ifndef RL_STATS_OVH_LOCAL_H
#define RL_STATS_OVH_LOCAL_H

#include "stats.h"

struct ovh_seg {
	int64_t *v;
	uint64_t n;
};

/* A series as one file's walk sees it (group fixed; cpu -1 unless per cpu). */
struct ovh_lser {
	int64_t *v;	      /* current chunk */
	uint64_t n, cap;      /* samples in it, its size */
	struct ovh_seg *full; /* filled chunks, in order (never reallocated: no copies) */
	uint32_t nfull, cap_full;
	uint32_t *cnt; /* count_only: per-value counts while the range stays narrow */
	int64_t base;
	uint64_t range, ncnt;
	int counting;
	struct rl_discard_counts discard;
	int cpu;
	unsigned event;
	struct ovh_lser *next; /* creation order */
};

int rl_ovh_lser_push_slow(struct ovh_lser *s, int64_t v);
void rl_ovh_lser_free(struct ovh_lser *s);

/* Add one sample to a walk's series: the common case (a counted value) inline. */
static inline int ovh_lpush(struct ovh_lser *s, int64_t v)
{
	if (s->cnt) {
		uint64_t d = (uint64_t)v - (uint64_t)s->base;

		if (d < s->range) {
			s->cnt[d]++; /* ncnt is summed from the counts at the merge */
			return 0;
		}
	}
	return rl_ovh_lser_push_slow(s, v);
}

const struct rl_ovh_opts *rl_ovh_opts_get(const struct rl_ovh *h);
int rl_ovh_take_walk(struct rl_ovh *h, uint32_t group, uint64_t irq_hist[2][2][32],
		     struct ovh_lser *first, struct rl_err *err);

#endif /* RL_STATS_OVH_LOCAL_H */
