/*
 * skew/ - per-CPU clock offsets: estimation from causal pairs in the trace
 * and the correction stage between the merge and the filters.
 *
 * A correction is a table of per-CPU offsets (clock_c - clock_ref, so a
 * corrected time is t - offset). The apply stage is a forwarding sink that
 * rewrites each event's ts on its CPU's offset; with no offsets it passes
 * events through unchanged. Pure arithmetic, no I/O. Depends on model/ only.
 */
#ifndef RL_SKEW_H
#define RL_SKEW_H

#include "../model/model.h"

/* =============================================== correction (apply.c) */



/* ============================================ end of correction */

#endif /* RL_SKEW_H */
