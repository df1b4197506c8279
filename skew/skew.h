/*
 * skew/ - per-CPU clock offsets: estimation from causal pairs in the trace
 * and the correction stage between the merge and the filters.
 *
 * A correction is a table of per-CPU offsets (clock_c - clock_ref, so a
 * corrected time is t - offset). The apply stage wraps each reader cursor
 * before the merge and rewrites each event's ts on its CPU's offset (so the
 * merge restores the time order); with no offsets nothing is wrapped.
 * Pure arithmetic, no I/O. Depends on model/ only.
 */
#ifndef RL_SKEW_H
#define RL_SKEW_H

#include "../model/model.h"

/* =============================================== correction (apply.c) */

/* An uncertainty that has no bound (an offset applied with --skew-force from a one-sided bound) */
#define RL_SKEW_UNBOUNDED INT64_MAX

/* The clock unit of offsets: the trace's own (ns, or cycles for Feather-Trace) */
enum rl_skew_unit {
	RL_SKEW_UNIT_NS = 0,
	RL_SKEW_UNIT_CYCLES = 1,
};

/**
 * struct rl_skew_offset - the correction of one CPU's clock
 * @offset: clock_cpu - clock_ref in the table's unit: a corrected time is ts - offset
 * @uncert: half-width of the offset's uncertainty (0: exact; RL_SKEW_UNBOUNDED: no bound)
 * @valid:  the offset is set; CPUs without one keep their times
 */
struct rl_skew_offset {
	int64_t offset;
	int64_t uncert;
	uint8_t valid;
	/* with a drift: offset(t) = offset + rate_ppb * (t - epoch) / 1e9 */
	uint8_t has_rate;
	int64_t rate_ppb, epoch;
};

/*
 * Per-CPU offsets, indexed by cpu. An empty table (or one without a valid
 * offset) is the identity: the pipeline then does not wrap the cursors.
 */
struct rl_skew_table {
	struct rl_skew_offset *cpu;
	uint32_t ncpu, cap;
	uint32_t nvalid;
	int unit; /* enum rl_skew_unit */
};

void rl_skew_table_init(struct rl_skew_table *st);
void rl_skew_table_release(struct rl_skew_table *st);
int rl_skew_table_set(struct rl_skew_table *st, uint32_t cpu, int64_t offset, int64_t uncert,
		      struct rl_err *err);
int rl_skew_table_set_rate(struct rl_skew_table *st, uint32_t cpu, int64_t rate_ppb, int64_t epoch);
const struct rl_skew_offset *rl_skew_table_get(const struct rl_skew_table *st, uint32_t cpu);
int rl_skew_table_active(const struct rl_skew_table *st);
int64_t rl_skew_correct(const struct rl_skew_table *st, uint32_t cpu, int64_t ts);
int64_t rl_skew_sat_add(int64_t a, int64_t b);
int64_t rl_skew_sat_sub(int64_t a, int64_t b);
int rl_skew_ipi_correct(const struct rl_skew_table *st, uint32_t sender, uint32_t target,
			int64_t delay, int64_t *corrected, int64_t *uncert);
int rl_skew_undecided(int64_t value, int64_t uncert);
int rl_skew_wrap_cursors(const struct rl_skew_table *st, struct rl_cursor **curs, size_t n,
			 struct rl_err *err);

/* ============================================ end of correction */

/* ============================================== estimation (estimate.c) */

/*
 * Offsets from causal pairs: an event sent on CPU a at s (a's clock) and
 * received on CPU b at r (b's clock) cannot be received before it is sent.
 * With offset_c = clock_c - clock_ref (a corrected time is t - offset_c) and
 * theta = offset_b - offset_a, the true delay r - s - theta is >= 0, so
 *   a -> b pairs:  theta <= min(r - s)          = U
 *   b -> a pairs:  theta >= -min(r' - s')        = L
 * and theta lies in [L, U] whatever the delays are; the midpoint (L + U) / 2
 * is the true offset when the minimum delays of the two directions are equal.
 * Every directed minimum is a difference constraint x_b - x_a <= min(r - s);
 * all of them together are solved by Bellman-Ford on the constraint graph
 * (a negative cycle is a contradiction: the pairs on it cannot all be causal).
 * Exact integer arithmetic: delays are int64 (checked), sums along paths are
 * 128-bit.
 */

#define RL_SKEW_MAX_CPUS 1024
/* pairs in each direction on every constraint of an offset for "accurate" */
#define RL_SKEW_ACCURATE_MIN 8

/**
 * struct rl_skew_dir - the pairs sent on one CPU and received on another
 * @min: smallest r - s (a's send time s, b's receive time r, each on its own clock)
 * @n:   number of pairs
 */
struct rl_skew_hull {
	int64_t (*p)[2]; /* (x, y), x increasing */
	uint32_t n, cap;
};

struct rl_skew_dir {
	int64_t min;
	uint64_t n;
	struct rl_skew_hull hull; /* with drift: the lower hull of (r, r - s) (drift.c) */
};

/**
 * struct rl_skew_est - the estimator's state: minimum delays per ordered pair
 * @d:      d[a * cap + b]: pairs sent on a and received on b
 * @ncpu:   cpus 0..ncpu-1 are reported
 * @cap:    row length of @d
 * @npairs: pairs added (same-cpu pairs are not counted)
 */
struct rl_skew_est {
	struct rl_skew_dir *d;
	uint32_t ncpu, cap;
	uint64_t npairs;
	uint8_t drift; /* keep the hulls of the pairs (rl_skew_est_add) for rl_skew_drift() */
};

/* State of a CPU pair: both directions, one direction, L > U, on a contradictory cycle */
enum rl_skew_pair_state {
	RL_SKEW_PAIR_OK = 0,
	RL_SKEW_PAIR_INCOMPLETE = 1,
	RL_SKEW_PAIR_VIOLATION = 2,
	RL_SKEW_PAIR_CYCLE = 3,
};

/**
 * struct rl_skew_pair - the bounds one CPU pair gives on offset_b - offset_a
 * @a, @b:   the cpus, a < b
 * @n_ab:    pairs sent on a, received on b (they give @hi)
 * @n_ba:    pairs sent on b, received on a (they give @lo)
 * @lo:      L = -min(r - s) over b -> a (valid when @n_ba)
 * @hi:      U = min(r - s) over a -> b (valid when @n_ab)
 * @est:     floor((L + U) / 2) (both directions, L <= U)
 * @half:    ceil((U - L) / 2): |theta - est| <= half (both directions, L <= U)
 * @state:   enum rl_skew_pair_state
 */
struct rl_skew_pair {
	uint32_t a, b;
	uint64_t n_ab, n_ba;
	int64_t lo, hi;
	int64_t est, half;
	int state;
};

/*
 * Quality of a CPU's offset, modelled on Trace Compass's:
 *  ACCURATE:    bounded on both sides, and every pair constraint on the two
 *               bounding paths rests on >= RL_SKEW_ACCURATE_MIN pairs (the
 *               reference cpu itself is accurate, offset 0);
 *  APPROXIMATE: bounded on both sides, but some constraint on the paths rests
 *               on fewer pairs (its minimum is likely above the least delay);
 *  INCOMPLETE:  bounded on one side only (pairs in one direction): a bound,
 *               not an estimate;
 *  ABSENT:      no pairs connect the cpu to the reference;
 *  FAIL:        the constraints of the cpu's group contradict each other (a
 *               negative cycle), or a bound does not fit 64 bits.
 */
enum rl_skew_quality {
	RL_SKEW_ACCURATE = 0,
	RL_SKEW_APPROXIMATE = 1,
	RL_SKEW_INCOMPLETE = 2,
	RL_SKEW_ABSENT = 3,
	RL_SKEW_FAIL = 4,
};

/**
 * struct rl_skew_cpu - the offset of one cpu against the reference
 * @cpu:     the cpu
 * @offset:  clock_cpu - clock_ref, floor((lo + hi) / 2) (ACCURATE, APPROXIMATE)
 * @uncert:  ceil((hi - lo) / 2): the true offset is within offset +- uncert
 * @lo, @hi: the bounds (each valid when @has_lo / @has_hi)
 * @has_lo, @has_hi: the bounds exist
 * @pairs:   pairs behind the constraints on the two bounding paths
 * @quality: enum rl_skew_quality
 */
struct rl_skew_cpu {
	uint32_t cpu;
	int64_t offset, uncert;
	int64_t lo, hi;
	uint8_t has_lo, has_hi;
	uint64_t pairs;
	int quality;
	/* --drift (a direct pair with the reference): offset and uncert are at @epoch */
	uint8_t has_rate;
	int64_t rate_ppb, rate_lo_ppb, rate_hi_ppb, epoch;
};

/**
 * struct rl_skew_result - the solved offsets
 * @ref:    the reference cpu
 * @cpus:   cpus 0..ncpu-1
 * @pairs:  the cpu pairs with causal pairs, by (a, b)
 * @cycle:  the cpus of one contradictory cycle in order (each to the next,
 *          the last to the first), or NULL
 */
struct rl_skew_result {
	uint32_t ref;
	struct rl_skew_cpu *cpus;
	uint32_t ncpu;
	struct rl_skew_pair *pairs;
	uint32_t npair;
	uint32_t *cycle;
	uint32_t ncycle;
};

void rl_skew_est_init(struct rl_skew_est *e);
void rl_skew_est_release(struct rl_skew_est *e);
int rl_skew_est_reserve(struct rl_skew_est *e, uint32_t ncpu, struct rl_err *err);
int rl_skew_est_add_delta(struct rl_skew_est *e, uint32_t a, uint32_t b, int64_t delta,
			  struct rl_err *err);
int rl_skew_est_add(struct rl_skew_est *e, uint32_t a, int64_t s, uint32_t b, int64_t r,
		    struct rl_err *err);
int rl_skew_est_solve(const struct rl_skew_est *e, uint32_t ref, struct rl_skew_result *res,
		      struct rl_err *err);
void rl_skew_result_release(struct rl_skew_result *res);
const char *rl_skew_quality_name(int quality);
const char *rl_skew_pair_state_name(int state);

/*
 * What rl_skew_table_build() did with each cpu of a result.
 * @applied:  cpus corrected (accurate or approximate, and forced ones)
 * @forced:   of which incomplete or fail, applied because of --skew-force
 * @refused:  incomplete or fail cpus not applied (no force; the build fails)
 * @absent:   cpus without pairs: never corrected
 * @unapplied: incomplete or fail cpus with nothing to apply even with force
 */
struct rl_skew_build {
	uint32_t applied, forced, refused, absent, unapplied;
};

int rl_skew_table_build(struct rl_skew_table *st, const struct rl_skew_result *res, int unit,
			int force, struct rl_skew_build *b, struct rl_err *err);

/* ==================================================== drift (drift.c) */

/*
 * A linear drift between two clocks: theta(t) = offset_b - offset_a at time t
 * = offset + rate * (t - epoch). Every a -> b pair (s, r) bounds the line from
 * above at t = r (theta(r) <= r - s), every b -> a pair from below; only the
 * lower convex hull of each direction's points (r, r - s) can bind, so the
 * estimator keeps those vertices. The feasible lines form a convex polygon in
 * (rate, offset): its rate range, the range of theta(epoch) over it, and the
 * midline (the middle rate, and the middle offset at that rate) are reported.
 * Rates are ratios of exact integer differences evaluated in long double.
 */
enum rl_skew_drift_state {
	RL_SKEW_DRIFT_OK = 0,
	RL_SKEW_DRIFT_INCOMPLETE =
		1, /* the rate is unbounded on a side (too few pairs, too short) */
	RL_SKEW_DRIFT_VIOLATION = 2, /* no line fits between the pairs */
};

/**
 * struct rl_skew_drift - the drift of one cpu pair (a < b)
 * @state:          enum rl_skew_drift_state
 * @rate_lo, @rate_hi: the rate's bounds (ns per ns), @rate the middle
 * @epoch:          the time the offsets are given at (middle of the pairs' times)
 * @off_lo, @off_hi: theta(epoch) over every feasible line (rounded outward)
 * @off:            theta(epoch) on the midline
 * @nu, @nl:        hull vertices a -> b, b -> a
 */
struct rl_skew_drift {
	int state;
	long double rate_lo, rate_hi, rate;
	int64_t epoch, off_lo, off_hi, off;
	uint32_t nu, nl;
};

int rl_skew_drift_pair(const struct rl_skew_est *e, uint32_t a, uint32_t b,
		       struct rl_skew_drift *out);
int rl_skew_hull_add(struct rl_skew_hull *h, int64_t x, int64_t y);
void rl_skew_hull_release(struct rl_skew_hull *h);

/* ============================================ end of drift */

/* ============================================ end of estimation */

/* =============================================== reading back (json.c) */

int rl_skew_json_read(const char *path, const char *text, size_t len, struct rl_skew_result *res,
		      int *unit, struct rl_err *err);

/* ============================================ end of reading back */

#endif /* RL_SKEW_H */
