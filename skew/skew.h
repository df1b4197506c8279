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

/**
 * struct rl_skew_offset - the correction of one CPU's clock
 * @offset: clock_cpu - clock_ref in ns: a corrected time is ts - offset
 * @uncert: half-width of the offset's uncertainty in ns (0: exact or unknown)
 * @valid:  the offset is set; CPUs without one keep their times
 */
struct rl_skew_offset {
	int64_t offset;
	int64_t uncert;
	uint8_t valid;
};

/*
 * Per-CPU offsets, indexed by cpu. An empty table (or one without a valid
 * offset) is the identity: the pipeline then does not wrap the cursors.
 */
struct rl_skew_table {
	struct rl_skew_offset *cpu;
	uint32_t ncpu, cap;
	uint32_t nvalid;
};

void rl_skew_table_init(struct rl_skew_table *st);
void rl_skew_table_release(struct rl_skew_table *st);
int rl_skew_table_set(struct rl_skew_table *st, uint32_t cpu, int64_t offset, int64_t uncert,
		      struct rl_err *err);
const struct rl_skew_offset *rl_skew_table_get(const struct rl_skew_table *st, uint32_t cpu);
int rl_skew_table_active(const struct rl_skew_table *st);
int64_t rl_skew_correct(const struct rl_skew_table *st, uint32_t cpu, int64_t ts);
int rl_skew_wrap_cursors(const struct rl_skew_table *st, struct rl_cursor **curs, size_t n,
			 struct rl_err *err);

/* ============================================ end of correction */

#endif /* RL_SKEW_H */
