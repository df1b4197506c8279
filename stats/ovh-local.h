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

/*
 * A chunk of the sample log (rl_ovh_opts.log_samples): every sample of a
 * series in the order it was judged, kept or not, with its status byte
 * (OVH_LOG_KEPT, or 1 + enum rl_discard, OVH_LOG_NOVAL when it has no value).
 */
struct ovh_logc {
	int64_t *v;
	uint8_t *st;
	uint64_t n;
};

#define OVH_LOG_KEPT 0
#define OVH_LOG_NOVAL 0x80

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
	struct ovh_logc lcur;	/* log_samples: the current chunk of the log */
	uint64_t lcap;		/* its size */
	struct ovh_logc *lfull; /* filled log chunks, in order */
	uint32_t nlfull, cap_lfull;
	int logging; /* log_samples */
	int cpu;
	unsigned event;
	struct ovh_lser *next; /* creation order */
};

int rl_ovh_lser_push_slow(struct ovh_lser *s, int64_t v);
int rl_ovh_lser_log_grow(struct ovh_lser *s);
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

/* Log one sample (log_samples only): its value and status byte. */
static inline int ovh_llog(struct ovh_lser *s, int64_t v, unsigned st)
{
	if (s->lcur.n == s->lcap && rl_ovh_lser_log_grow(s) < 0)
		return -RL_E_NOMEM;
	s->lcur.v[s->lcur.n] = v;
	s->lcur.st[s->lcur.n++] = (uint8_t)st;
	return 0;
}

/* A kept sample: into the statistics, and into the log when there is one. */
static inline int ovh_lkeep(struct ovh_lser *s, int64_t v)
{
	if (ovh_lpush(s, v) < 0)
		return -RL_E_NOMEM;
	return __builtin_expect(s->logging, 0) ? ovh_llog(s, v, OVH_LOG_KEPT) : 0;
}

/*
 * A discarded sample: counted under @reason, and logged with its value
 * @v (when @has_v: both records were seen) when there is a log.
 */
static inline int ovh_ldiscard(struct ovh_lser *s, enum rl_discard reason, int64_t v, int has_v)
{
	rl_discard_add(&s->discard, reason);
	if (__builtin_expect(s->logging, 0) && (unsigned)reason < RL_DISCARD_N)
		return ovh_llog(s, has_v ? v : 0,
				(1u + (unsigned)reason) | (has_v ? 0u : OVH_LOG_NOVAL));
	return 0;
}

const struct rl_ovh_opts *rl_ovh_opts_get(const struct rl_ovh *h);
int rl_ovh_take_walk(struct rl_ovh *h, uint32_t group, uint64_t irq_hist[2][2][32],
		     struct ovh_lser *first, struct rl_err *err);

#endif /* RL_STATS_OVH_LOCAL_H */
