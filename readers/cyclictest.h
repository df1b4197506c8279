/*
 * readers/cyclictest.h - cyclictest's result files (rt-tests), read exactly.
 *
 * cyclictest (Debian package rt-tests) measures timer wake-up latency per
 * thread and writes its results in two forms, both read here from a byte
 * buffer into one struct rl_cyclictest:
 *
 *  - the text histogram of -h/-H (--histfile=FILE or stdout): "# Histogram",
 *    one line per bucket ("%06d" bucket, then one count per column), then
 *    "# Total:", "# Min/Avg/Max Latencies:", "# Histogram Overflows:", the
 *    overflow cycle numbers per thread and, with --smi, "# SMIs:";
 *  - --json=FILE: rt-tests' common header (cmdline, version, times, sysinfo)
 *    and per thread the non-empty buckets, cycles, min, max, avg, cpu, node.
 *
 * Values are kept in the file's unit (µs, or ns with --nsecs: JSON says
 * which in resolution_in_ns; the text form is the same with --nsecs, ns
 * values in 1 ns buckets, so its unit is inferred, see @unit_from). Nothing is
 * estimated: the overflowed samples' values are unknown (only their count and
 * cycle numbers survive), and rl_cyclictest_quantile() says so. This module
 * reads only; it owns the arrays and strings of the struct it fills.
 */
#ifndef RL_READERS_CYCLICTEST_H
#define RL_READERS_CYCLICTEST_H

#include <stddef.h>
#include <stdint.h>

#include "../model/model.h"

/* Which of cyclictest's outputs a struct rl_cyclictest was read from. */
enum rl_cyc_form {
	RL_CYC_TEXT = 1, /* -h/-H histogram text */
	RL_CYC_JSON = 2, /* --json */
};

/* Unit of bucket values, min, max and avg. */
enum rl_cyc_unit {
	RL_CYC_UNIT_UNKNOWN = 0, /* not decided (an empty struct) */
	RL_CYC_UNIT_US = 1,
	RL_CYC_UNIT_NS = 2,
};

/* How struct rl_cyclictest.unit was decided. */
enum rl_cyc_unit_from {
	RL_CYC_FROM_JSON = 0,  /* resolution_in_ns */
	RL_CYC_FROM_MIN = 1,   /* text: every thread's Min >= RL_CYC_NS_MIN: ns */
	RL_CYC_FROM_SMALL = 2, /* text: some thread's Min below it: µs */
	RL_CYC_FROM_DOUBT = 3, /* text: µs as above, but some thread's Avg >= RL_CYC_NS_MIN */
	RL_CYC_FROM_NONE = 4,  /* text: no thread has a sample: µs (nothing to scale) */
};

/*
 * Text form: a thread Min (and Avg) of this many units or more is taken as
 * ns. In µs it would be a wake-up latency of at least 1 ms on every cycle,
 * which no working system shows; in ns it is 1 µs, which timer wake-ups reach
 * on few machines (their --nsecs files keep the µs reading and the doubt).
 */
#define RL_CYC_NS_MIN 1000u

/* struct rl_cyc_thread.flags */
#define RL_CYC_F_HIST 0x1u    /* the file has a histogram for this thread */
#define RL_CYC_F_OVFLIST 0x2u /* overflow cycle numbers were listed (text form) */
#define RL_CYC_F_SMI 0x4u     /* @smis is set (text form with --smi) */
#define RL_CYC_F_CPU 0x8u     /* @cpu and @node are set (JSON form) */

/**
 * struct rl_cyc_bucket - one non-empty histogram bucket
 * @value: the bucket, in the file's unit (samples v with value <= v < value + 1)
 * @count: samples in it (never 0)
 */
struct rl_cyc_bucket {
	uint64_t value;
	uint64_t count;
};

/**
 * struct rl_cyc_thread - one measuring thread, as cyclictest reported it
 * @buckets:    non-empty buckets in ascending @value
 * @ovf_cycles: overflow cycle numbers as listed (text form; at most as many
 *              as the histogram has buckets, the rest is @ovf_others)
 * @total:      samples inside the histogram range (Σ @buckets counts; the text
 *              "# Total" line, checked against that sum)
 * @overflows:  samples above the range (text: "# Histogram Overflows"; JSON,
 *              which has no such field: cycles − Σ histogram, so a run without
 *              -h, whose JSON histogram is empty, has all its cycles here)
 * @cycles:     all samples: @total + @overflows (JSON: the "cycles" field)
 * @min:        smallest latency (exact, not bucketed)
 * @max:        largest latency (exact)
 * @ovf_others: the "# NNNNN others" tail of the overflow list (text form)
 * @smis:       SMI count (text form with --smi; see RL_CYC_F_SMI)
 * @avg:        mean latency as printed: text form truncated to an integer,
 *              JSON "%.2f" (NaN when cyclictest wrote nan for 0 cycles)
 * @cpu:        CPU the thread was bound to, -1 if none or unknown
 * @node:       NUMA node, -1 if unknown
 * @index:      thread number (0, 1, ...)
 * @nbuckets:   entries in @buckets
 * @novf:       entries in @ovf_cycles
 * @flags:      RL_CYC_F_*
 */
struct rl_cyc_thread {
	struct rl_cyc_bucket *buckets;
	uint64_t *ovf_cycles;
	uint64_t total;
	uint64_t overflows;
	uint64_t cycles;
	uint64_t min;
	uint64_t max;
	uint64_t ovf_others;
	uint64_t smis;
	double avg;
	int32_t cpu;
	int32_t node;
	uint32_t index;
	uint32_t nbuckets, cap_buckets;
	uint32_t novf, cap_ovf;
	uint32_t flags;
};

/**
 * struct rl_cyc_meta - one run parameter from the JSON header
 * @key:   dotted path ("cmdline", "sysinfo.release"); rt-tests writes some keys
 *         with a trailing colon ("cmdline:"), which is dropped here
 * @value: the value's text: strings unescaped, numbers and true/false/null as
 *         written
 */
struct rl_cyc_meta {
	char *key;
	char *value;
};

/**
 * struct rl_cyclictest - everything read from one cyclictest output file
 * @threads:   per thread, in file order (thread i has index i)
 * @meta:      JSON header entries in file order (none for the text form)
 * @range:     text form: one past the last bucket line's value, i.e. the -h
 *             value (cyclictest writes buckets 0 .. h − 1): overflowed samples
 *             are >= @range; 0 for JSON, which does not record it
 * @nthreads:  entries in @threads
 * @nmeta:     entries in @meta
 * @form:      enum rl_cyc_form
 * @unit:      enum rl_cyc_unit (JSON: from resolution_in_ns; text: inferred)
 * @unit_from: enum rl_cyc_unit_from: how @unit was decided
 * @histofall: text form written with -H: the extra all-threads column was
 *             checked against the threads and dropped
 */
struct rl_cyclictest {
	struct rl_cyc_thread *threads;
	struct rl_cyc_meta *meta;
	uint64_t range;
	uint32_t nthreads, cap_threads;
	uint32_t nmeta, cap_meta;
	int form;
	int unit;
	int unit_from;
	int histofall;
};

/* rl_cyclictest_quantile() result for a quantile among the overflows */
#define RL_CYC_ABOVE 1

void rl_cyclictest_init(struct rl_cyclictest *c);
void rl_cyclictest_release(struct rl_cyclictest *c);
int rl_cyclictest_probe(const uint8_t *buf, size_t len);
int rl_cyclictest_parse(struct rl_cyclictest *c, const uint8_t *buf, size_t len, const char *path,
			struct rl_err *err);
const char *rl_cyclictest_meta(const struct rl_cyclictest *c, const char *key);
int rl_cyclictest_quantile(const struct rl_cyc_thread *t, double q, double *val);
int rl_cyclictest_hist_mean(const struct rl_cyc_thread *t, double *mean);
uint64_t rl_cyclictest_overflow_min(const struct rl_cyclictest *c, const struct rl_cyc_thread *t);

#endif /* RL_READERS_CYCLICTEST_H */
