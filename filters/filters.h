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



/* ========================================== end of discard reasons */




/* ============================================ event selection (select.c) */



/* ========================================== end of event selection */

#endif /* RL_FILTERS_H */
