/* cli/cmd-skew.c - `rtlens skew`: per-CPU clock offsets estimated from causal pairs. */
#include "cli.h"
#include "../readers/feather-trace.h"

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char skew_help[] =
	"usage: rtlens skew [OPTIONS] FILE...\n\n"
	"Estimate the offset of each CPU's clock against a reference CPU from causal\n"
	"pairs in the trace, with bounds that hold whatever the delays are.\n"
	"Causal pairs: Feather-Trace SEND_RESCHED / SEND_XCALL IPIs (START written by\n"
	"the sender, END by the target; the sender is inferred from the pid of the\n"
	"START and the sending cpu's own records around that time); Linux traces\n"
	"(trace.dat, ftrace text, CTF), sched_trace and xentrace: task (VCPU)\n"
	"migrations, a switch-out before the task's next switch-in on another cpu\n"
	"(valid while the skew is shorter than the tasks' run-plus-sleep cycles; see\n"
	"doc/skew.md); Linux wake-ups on one cpu of a task that then runs on another,\n"
	"and ipi_send_cpu/ipi_send_cpumask to the target's IPI entry; xentrace\n"
	"wake-ups (blocked -> runnable -> running) and RTDS tickles to the tickled\n"
	"cpu's schedule.\n\n"
	"Method: for a CPU pair (a, b), a pair sent on a at s and received on b at r\n"
	"bounds theta = offset_b - offset_a <= min(r - s) = U; pairs the other way give\n"
	"theta >= L. [L, U] is guaranteed (delays are never negative); the estimate\n"
	"(L + U) / 2 assumes equal minimum delays in both directions, and its error is\n"
	"at most the half-width (U - L) / 2. All pairwise bounds are solved together\n"
	"(difference constraints, Bellman-Ford) into one offset per CPU.\n"
	"Sign: offset of CPU c = clock_c - clock_ref; a corrected time is t - offset.\n\n"
	"Output (table, or --json):\n"
	"  pairs: a, b, n_ab and n_ba (pairs per direction), L, U, estimate, half-width\n"
	"         and state: ok, incomplete (one direction: a bound only), violation\n"
	"         (L > U: the pairs contradict causality), cycle (on a contradictory\n"
	"         cycle of constraints through several CPUs)\n"
	"  cpus:  offset, uncertainty (the true offset is within offset +- uncertainty),\n"
	"         pairs (behind the bounding constraints) and quality: accurate (bounded\n"
	"         both ways, >= 8 pairs per direction on every constraint used),\n"
	"         approximate (bounded both ways, fewer pairs), incomplete (one-sided\n"
	"         bound; no offset), absent (no pairs reach the reference), fail (the\n"
	"         constraints contradict each other)\n"
	"  JSON:  {\"reference_cpu\":0,\"unit\":\"cycles\",\"cpus\":[{\"cpu\":N,\n"
	"         \"offset_cycles\":X,\"uncertainty_cycles\":U,\"lower_cycles\":L,\n"
	"         \"upper_cycles\":H,\"pairs\":P,\"quality\":Q}],\"pairs\":[...]} (offset and\n"
	"         uncertainty null unless accurate or approximate; lower/upper: the\n"
	"         offset's bounds, null where there is none). Linux traces add\n"
	"         \"match_limit_ns\" (the shortest same-cpu cycle of a task behind a\n"
	"         migration or wake-up pair: a skew below it cannot make the matching\n"
	"         pair the wrong events) and per cpu \"within_match_limit\" (false when\n"
	"         the cpu's band reaches that limit, so a larger skew cannot be ruled\n"
	"         out; see doc/skew.md). This file is what\n"
	"         --skew=FILE.json of jobs, overheads, latency, draw, dump and db reads\n"
	"  A contradiction is reported (and warned about); the exit status stays 0.\n\n"
	"Options:\n"
	"  --reference-cpu N     offsets against CPU N (default 0)\n"
	"  --drift               also a linear drift per CPU pair, offset + rate * (t - epoch)\n"
	"                        (convex hulls of the pairs; Linux, sched_trace, xentrace):\n"
	"                        the rate's bounds (ppm), theta(epoch)'s bounds over every\n"
	"                        line that fits, and the middle line; a CPU with a direct\n"
	"                        pair with the reference gets offset_*/uncertainty_* at\n"
	"                        epoch_* and rate_ppb (rate_lower_ppb, rate_upper_ppb) in\n"
	"                        JSON, which --skew=FILE.json applies\n"
	"  --format FMT          table (default) or json\n"
	"  --json                machine-readable output (--format json)\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
	"  -h, --help            this help\n" RL_INPUT_HELP;

#define SKEW_OPT_REF 0x180
#define SKEW_OPT_DRIFT 0x181

struct skew_args {
	struct rl_input_opts io;
	const char *outpath;
	const char *method; /* the causal pairs used, for the table */
	const char *unit;   /* "cycles" or "ns" */
	char counts[512];   /* what the pair walk saw, lines for the table */
	uint32_t ref;
	int json;
	uint8_t has_limit; /* Linux: the match limit (rl_skew_lx_stats.cycle_min) */
	uint64_t limit;
	int drift; /* --drift: a linear drift per cpu pair (Linux, xentrace, sched_trace) */
};

/* A bound or value in a table column: the number, or "-" when absent. */
static const char *skew_num(char *buf, size_t len, int has, int64_t v)
{
	if (!has)
		return "-";
	snprintf(buf, len, "%" PRId64, v);
	return buf;
}

static void skew_table_pairs(FILE *f, const struct rl_skew_result *res)
{
	char b1[32], b2[32], b3[32], b4[32];
	uint32_t i;

	fputs("\npairs (bounds on offset_b - offset_a):\n", f);
	fprintf(f, "%4s %4s %8s %8s %14s %14s %14s %12s  %s\n", "a", "b", "n_ab", "n_ba", "L", "U",
		"estimate", "half-width", "state");
	for (i = 0; i < res->npair; i++) {
		const struct rl_skew_pair *p = &res->pairs[i];
		int both = p->state == RL_SKEW_PAIR_OK || p->state == RL_SKEW_PAIR_CYCLE;

		both = both && p->n_ab && p->n_ba && p->lo <= p->hi;
		fprintf(f, "%4u %4u %8" PRIu64 " %8" PRIu64 " %14s %14s %14s %12s  %s\n", p->a,
			p->b, p->n_ab, p->n_ba, skew_num(b1, sizeof(b1), p->n_ba > 0, p->lo),
			skew_num(b2, sizeof(b2), p->n_ab > 0, p->hi),
			skew_num(b3, sizeof(b3), both, p->est),
			skew_num(b4, sizeof(b4), both, p->half), rl_skew_pair_state_name(p->state));
	}
	if (!res->npair)
		fputs("  (no causal pairs)\n", f);
}

/* The cpu's band reaches the match limit: the skews it allows could slip the matching. */
static int skew_beyond(const struct skew_args *a, const struct rl_skew_cpu *c)
{
	uint64_t lo, hi;

	if (!a->has_limit || !c->has_lo || !c->has_hi || c->quality == RL_SKEW_FAIL)
		return 0;
	lo = c->lo < 0 ? -(uint64_t)c->lo : (uint64_t)c->lo;
	hi = c->hi < 0 ? -(uint64_t)c->hi : (uint64_t)c->hi;
	return lo >= a->limit || hi >= a->limit;
}

static void skew_table_cpus(FILE *f, const struct skew_args *a, const struct rl_skew_result *res)
{
	char b1[48], b2[32];
	uint32_t i;

	fputs("\ncpus:\n", f);
	fprintf(f, "%4s %16s %12s %8s  %s\n", "cpu", "offset", "uncertainty", "pairs", "quality");
	for (i = 0; i < res->ncpu; i++) {
		const struct rl_skew_cpu *c = &res->cpus[i];
		int est = c->quality == RL_SKEW_ACCURATE || c->quality == RL_SKEW_APPROXIMATE;

		if (c->quality == RL_SKEW_INCOMPLETE)
			snprintf(b1, sizeof(b1), "%s %" PRId64,
				 c->has_hi ? "<=" : ">=", c->has_hi ? c->hi : c->lo);
		else
			skew_num(b1, sizeof(b1), est, c->offset);
		fprintf(f, "%4u %16s %12s %8" PRIu64 "  %s%s%s\n", c->cpu,
			est || c->quality == RL_SKEW_INCOMPLETE ? b1 : "-",
			skew_num(b2, sizeof(b2), est, c->uncert), c->pairs,
			rl_skew_quality_name(c->quality), i == res->ref ? " (reference)" : "",
			skew_beyond(a, c) ? " (band reaches the match limit)" : "");
	}
	if (res->ncycle) {
		fputs("\ncontradiction: the constraints of the cycle", f);
		for (i = 0; i < res->ncycle; i++)
			fprintf(f, " %u ->", res->cycle[i]);
		fprintf(f, " %u cannot all hold (pairs marked cycle or violation)\n",
			res->cycle[0]);
	}
}

static void skew_write_table(FILE *f, const struct skew_args *a, const struct rl_skew_result *res)
{
	fprintf(f, "clock skew from causal pairs: %s\n", a->method);
	fputs("method: minimum one-way delays per CPU pair, all pairs solved together;\n"
	      "  bounds are guaranteed, the estimate assumes symmetric minimum delays\n"
	      "sign: offset = clock_cpu - clock_ref; a corrected time is t - offset\n",
	      f);
	fprintf(f, "unit: %s; reference cpu: %u\n", a->unit, res->ref);
	fputs(a->counts, f);
	if (a->has_limit)
		fprintf(f,
			"match limit: %" PRIu64
			" %s, the shortest task cycle (switch-in to the next)\n"
			"  behind a migration or wake-up pair: pairs are matched in recorded "
			"order,\n"
			"  which is right while every skew is below it; a larger skew can slip "
			"whole\n"
			"  cycles and give bands that exclude it, with nothing in the pairs to "
			"show\n"
			"  it (doc/skew.md)\n",
			a->limit, a->unit);
	skew_table_pairs(f, res);
	skew_table_cpus(f, a, res);
}

/* "name":value or "name":null */
static void skew_json_num(FILE *f, const char *name, const char *unit, int has, int64_t v)
{
	fprintf(f, ",\"%s%s%s\":", name, unit ? "_" : "", unit ? unit : "");
	if (has)
		fprintf(f, "%" PRId64, v);
	else
		fputs("null", f);
}

static void skew_write_json(FILE *f, const struct skew_args *a, const struct rl_skew_result *res)
{
	uint32_t i;

	fprintf(f, "{\"reference_cpu\":%u,\"unit\":\"%s\"", res->ref, a->unit);
	if (a->has_limit)
		fprintf(f, ",\"match_limit_%s\":%" PRIu64, a->unit, a->limit);
	fputs(",\"cpus\":[", f);
	for (i = 0; i < res->ncpu; i++) {
		const struct rl_skew_cpu *c = &res->cpus[i];
		int est = c->quality == RL_SKEW_ACCURATE || c->quality == RL_SKEW_APPROXIMATE;

		fprintf(f, "%s{\"cpu\":%u", i ? "," : "", c->cpu);
		skew_json_num(f, "offset", a->unit, est, c->offset);
		skew_json_num(f, "uncertainty", a->unit, est, c->uncert);
		skew_json_num(f, "lower", a->unit, c->has_lo && c->quality != RL_SKEW_FAIL, c->lo);
		skew_json_num(f, "upper", a->unit, c->has_hi && c->quality != RL_SKEW_FAIL, c->hi);
		if (c->has_rate) {
			skew_json_num(f, "epoch", a->unit, 1, c->epoch);
			skew_json_num(f, "rate_ppb", NULL, 1, c->rate_ppb);
			skew_json_num(f, "rate_lower_ppb", NULL, 1, c->rate_lo_ppb);
			skew_json_num(f, "rate_upper_ppb", NULL, 1, c->rate_hi_ppb);
		}
		fprintf(f, ",\"pairs\":%" PRIu64 ",\"quality\":\"%s\"", c->pairs,
			rl_skew_quality_name(c->quality));
		if (a->has_limit)
			fprintf(f, ",\"within_match_limit\":%s",
				skew_beyond(a, c) ? "false" : "true");
		fputc('}', f);
	}
	fputs("],\"pairs\":[", f);
	for (i = 0; i < res->npair; i++) {
		const struct rl_skew_pair *p = &res->pairs[i];
		int both = p->n_ab && p->n_ba && p->lo <= p->hi;

		fprintf(f, "%s{\"cpu_a\":%u,\"cpu_b\":%u,\"n_ab\":%" PRIu64 ",\"n_ba\":%" PRIu64,
			i ? "," : "", p->a, p->b, p->n_ab, p->n_ba);
		skew_json_num(f, "lower", a->unit, p->n_ba > 0, p->lo);
		skew_json_num(f, "upper", a->unit, p->n_ab > 0, p->hi);
		skew_json_num(f, "estimate", a->unit, both, p->est);
		skew_json_num(f, "half_width", a->unit, both, p->half);
		fprintf(f, ",\"state\":\"%s\"}", rl_skew_pair_state_name(p->state));
	}
	fputs("]}\n", f);
}

static int64_t skew_ppb(long double rate, int up)
{
	long double v = rate * 1e9L;

	if (v > 9.0e18L)
		return INT64_MAX;
	if (v < -9.0e18L)
		return INT64_MIN;
	return up ? (int64_t)ceill(v) : (int64_t)floorl(v);
}

/* --drift: each cpu with a direct pair with the reference gets the pair's line. */
static void skew_drift_fill(const struct rl_skew_est *e, struct rl_skew_result *res)
{
	uint32_t c;
	int any = 0;

	for (c = 0; c < res->ncpu; c++) {
		struct rl_skew_cpu *o = &res->cpus[c];
		struct rl_skew_drift d;
		int neg = c < res->ref;

		const struct rl_skew_dir *ab, *ba;
		uint32_t x = neg ? c : res->ref, y = neg ? res->ref : c;

		if (c == res->ref || c >= e->ncpu)
			continue;
		if (rl_skew_drift_pair(e, x, y, &d) < 0 || d.state != RL_SKEW_DRIFT_OK ||
		    d.off_lo == INT64_MIN || d.off_hi == INT64_MAX)
			continue;
		/* a drift can explain pairs that no constant offset fits: the line decides */
		ab = &e->d[(size_t)x * e->cap + y];
		ba = &e->d[(size_t)y * e->cap + x];
		o->quality = ab->n >= RL_SKEW_ACCURATE_MIN && ba->n >= RL_SKEW_ACCURATE_MIN
				     ? RL_SKEW_ACCURATE
				     : RL_SKEW_APPROXIMATE;
		o->pairs = ab->n + ba->n;
		/* theta of the pair is offset_b - offset_a: against the reference when c is b */
		o->has_rate = 1;
		o->epoch = d.epoch;
		o->offset = neg ? -d.off : d.off;
		o->lo = neg ? -d.off_hi : d.off_lo;
		o->hi = neg ? -d.off_lo : d.off_hi;
		o->has_lo = o->has_hi = 1;
		o->uncert = o->hi - o->offset > o->offset - o->lo ? o->hi - o->offset
								  : o->offset - o->lo;
		o->rate_ppb = skew_ppb(neg ? -d.rate : d.rate, 0);
		o->rate_lo_ppb = skew_ppb(neg ? -d.rate_hi : d.rate_lo, 0);
		o->rate_hi_ppb = skew_ppb(neg ? -d.rate_lo : d.rate_hi, 1);
		any = 1;
	}
	if (any) { /* the reference, by definition */
		struct rl_skew_cpu *r = &res->cpus[res->ref];

		r->quality = RL_SKEW_ACCURATE;
		r->offset = r->uncert = r->lo = r->hi = 0;
		r->has_lo = r->has_hi = 1;
	}
}

static void skew_table_drift(FILE *f, const struct rl_skew_est *e, const struct rl_skew_result *res)
{
	uint32_t i;

	fputs("\ndrift (offset_b - offset_a = offset + rate * (t - epoch); bounds over every line "
	      "that fits):\n",
	      f);
	fprintf(f, "%4s %4s %6s %12s %12s %12s %16s %12s %12s %12s  %s\n", "a", "b", "hull",
		"rate_ppm", "rate_lo", "rate_hi", "epoch", "offset", "off_lo", "off_hi", "state");
	for (i = 0; i < res->npair; i++) {
		const struct rl_skew_pair *p = &res->pairs[i];
		struct rl_skew_drift d;

		if (rl_skew_drift_pair(e, p->a, p->b, &d) < 0)
			continue;
		if (d.state != RL_SKEW_DRIFT_OK) {
			fprintf(f, "%4u %4u %3u+%-2u %12s %12s %12s %16s %12s %12s %12s  %s\n",
				p->a, p->b, d.nu, d.nl, "-", "-", "-", "-", "-", "-", "-",
				d.state == RL_SKEW_DRIFT_VIOLATION ? "violation" : "incomplete");
			continue;
		}
		fprintf(f,
			"%4u %4u %3u+%-2u %12.4Lf %12.4Lf %12.4Lf %16" PRId64 " %12" PRId64
			" %12" PRId64 " %12" PRId64 "  ok\n",
			p->a, p->b, d.nu, d.nl, d.rate * 1e6L, d.rate_lo * 1e6L, d.rate_hi * 1e6L,
			d.epoch, d.off, d.off_lo, d.off_hi);
	}
}

/* Solve and write. Return: exit code. */
static int skew_report(struct rl_skew_est *e, struct skew_args *a)
{
	struct rl_skew_result res;
	struct rl_outfile out;
	struct rl_err err;
	int r;

	rl_err_init(&err);
	if (a->ref >= e->ncpu) {
		rl_usage_error("--reference-cpu %u: the trace has cpus 0-%d", a->ref,
			       (int)e->ncpu - 1);
		return RL_EXIT_USAGE;
	}
	if (rl_skew_est_solve(e, a->ref, &res, &err) < 0) {
		rl_print_err(&err);
		return rl_exit_code(&err);
	}
	if (a->drift)
		skew_drift_fill(e, &res);
	if (res.ncycle && !rl_quiet)
		fprintf(stderr,
			"%s: warning: clock skew: the causal pairs contradict each other "
			"(a cycle of %u cpus); its cpus are reported as fail%s\n",
			rl_prog, res.ncycle,
			a->drift ? " unless a drift line fits their pairs with the reference" : "");
	r = rl_out_open(&out, a->outpath);
	if (!r) {
		if (a->json) {
			skew_write_json(out.f, a, &res);
		} else {
			skew_write_table(out.f, a, &res);
			if (a->drift)
				skew_table_drift(out.f, e, &res);
		}
		r = rl_out_commit(&out);
	}
	rl_skew_result_release(&res);
	return r;
}

/* Feather-Trace: the IPI pairs of the file set. Return: exit code. */
static int skew_ft(char **args, int nargs, struct skew_args *a)
{
	struct rl_ft_set_opts so = {&a->io.ro,
				    a->io.reader && !strcmp(a->io.reader, "feather-trace")};
	struct rl_trace *t = rl_trace_new();
	struct rl_skew_ft_stats st;
	struct rl_ft_set set = {0};
	struct rl_skew_est e;
	struct rl_err err;
	int r, damage;

	rl_err_init(&err);
	rl_skew_est_init(&e);
	if (!t) {
		fprintf(stderr, "%s: error: out of memory\n", rl_prog);
		return RL_EXIT_DATA;
	}
	a->method = "Feather-Trace SEND_RESCHED / SEND_XCALL IPIs (START -> END)";
	a->unit = "cycles";
	r = rl_ft_set_open(&set, args, nargs, &so, t, &err);
	if (r >= 0)
		r = rl_skew_ft_pairs(&set, &e, &st, &err);
	if (r < 0) {
		rl_print_err(&err);
		r = rl_exit_code(&err);
	} else {
		snprintf(a->counts, sizeof(a->counts),
			 "IPIs: %" PRIu64 " STARTs, %" PRIu64 " pairs used, %" PRIu64
			 " without END, %" PRIu64 " sender unknown (%" PRIu64
			 " ambiguous), %" PRIu64 " out of range\n",
			 st.starts, st.pairs, st.unmatched, st.unattributed, st.ambiguous,
			 st.out_of_range);
		r = skew_report(&e, a);
	}
	damage = rl_print_warnings(t);
	if (!r && damage)
		r = RL_EXIT_DATA;
	rl_ft_set_close(&set);
	rl_skew_est_release(&e);
	rl_trace_free(t);
	return r;
}

/* Linux, sched_trace, xentrace: migrations (a switch-out -> the task's next switch-in), over
 * the merged stream. Return: exit code. */
static int skew_linux(char **args, int nargs, struct skew_args *a)
{
	struct rl_skew_lx_stats st;
	struct rl_sink *sink = NULL;
	struct rl_skew_est e;
	struct rl_open o;
	struct rl_err err;
	uint32_t passes = 1;
	int r, damage;

	rl_err_init(&err);
	rl_skew_est_init(&e);
	e.drift = (uint8_t)a->drift;
	a->method = "task migrations (switch-out -> the task's next switch-in on "
		    "another cpu), wake-ups (-> the switch-in), IPIs (send -> handler entry; "
		    "Xen tickle -> schedule)";
	a->unit = "ns";
	r = rl_open_files(&o, args, nargs, &a->io);
	if (!r) {
		sink = rl_skew_lx_new(o.t, &e, &st, &err);
		if (!sink) {
			rl_print_err(&err);
			r = RL_EXIT_DATA;
		}
	}
	if (!r)
		r = rl_run_sinks(&o, &sink, 1);
	if (!r && o.t->ncpu && rl_skew_est_reserve(&e, o.t->ncpu, &err) < 0) {
		rl_print_err(&err);
		r = rl_exit_code(&err);
	}
	/* matched again on times corrected by the estimate, while that narrows it */
	if (!r && rl_skew_lx_refine(&o.fs, &a->io.ro, a->ref, &e, &st, &passes, &err) < 0) {
		rl_print_err(&err);
		r = rl_exit_code(&err);
	}
	if (!r) {
		snprintf(a->counts, sizeof(a->counts),
			 "passes: %u (pairs matched on times corrected by the previous pass's "
			 "estimate when that narrowed it)\n",
			 passes);
		snprintf(a->counts + strlen(a->counts), sizeof(a->counts) - strlen(a->counts),
			 "switches: %" PRIu64 " cross-cpu pairs used, %" PRIu64
			 " same-cpu pairs, %" PRIu64
			 " switch-ins shown before their switch-out, %" PRIu64
			 " out of alternation\n",
			 st.pairs, st.same_cpu, st.held, st.confused);
		snprintf(a->counts + strlen(a->counts), sizeof(a->counts) - strlen(a->counts),
			 "wake-ups: %" PRIu64 " cross-cpu pairs used, %" PRIu64
			 " same-cpu, %" PRIu64 " run elsewhere than chosen, %" PRIu64
			 " ambiguous, %" PRIu64 " shown before the block they end\n"
			 "IPIs: %" PRIu64 " sent, %" PRIu64 " pairs used (%" PRIu64
			 " entries shown before their send), %" PRIu64
			 " handler entries without a pending send\n",
			 st.wake_pairs, st.wake_same_cpu, st.wake_moved, st.wake_ambiguous,
			 st.wake_early, st.ipi_sends, st.ipi_pairs, st.ipi_held, st.ipi_orphans);
		a->has_limit = st.cycle_pairs > 0;
		a->limit = st.cycle_min;
		r = skew_report(&e, a);
	}
	damage = o.t ? rl_print_warnings(o.t) : 0;
	if (!r && damage)
		r = RL_EXIT_DATA;
	rl_skew_lx_free(sink);
	rl_skew_est_release(&e);
	rl_open_close(&o);
	return r;
}

static int skew_parse_ref(const char *s, uint32_t *ref)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || *s == '-' || v >= RL_SKEW_MAX_CPUS) {
		rl_usage_error("--reference-cpu: '%s' is not a cpu number (0-%d)", s,
			       RL_SKEW_MAX_CPUS - 1);
		return -1;
	}
	*ref = (uint32_t)v;
	return 0;
}

/* Options into @a. Return: -1 to go on, else the exit code. */
static int skew_options(int argc, char **argv, struct skew_args *a)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{"output", required_argument, NULL, 'o'},
		{"reference-cpu", required_argument, NULL, SKEW_OPT_REF},
		{"drift", no_argument, NULL, SKEW_OPT_DRIFT},
		RL_FORMAT_LONGOPT,
		RL_INPUT_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	static struct rl_vocab v;
	int opt, r;

	rl_vocab_init(&v, RL_UNIT_NS, RL_VOCAB_FMT(RL_OUT_TABLE) | RL_VOCAB_FMT(RL_OUT_JSON), 0);
	while ((opt = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
		if ((r = rl_opt_vocab(opt, optarg, &v))) {
			if (r < 0)
				return RL_EXIT_USAGE;
			if (opt == RL_OPT_FORMAT)
				a->json = v.fmt == RL_OUT_JSON;
		} else if (opt == 'o') {
			a->outpath = optarg;
		} else if (opt == 'j') {
			a->json = 1;
		} else if (opt == SKEW_OPT_DRIFT) {
			a->drift = 1;
		} else if (opt == SKEW_OPT_REF) {
			if (skew_parse_ref(optarg, &a->ref))
				return RL_EXIT_USAGE;
		} else if (opt == 'h') {
			fputs(skew_help, stdout);
			return RL_EXIT_OK;
		} else if ((r = rl_opt_input(opt, optarg, &a->io)) <= 0) {
			if (!r)
				rl_try_help("skew");
			return RL_EXIT_USAGE;
		}
	}
	return -1;
}

/* The family of the inputs, as rtlens overheads decides it: what the readers do not claim
 * (or take for CTF at best) is Feather-Trace, whose path loads and checks the files itself. */
static int skew_family(char **args, int nargs, const struct skew_args *a)
{
	const struct rl_reader_ops *rd = a->io.reader ? rl_reader_find(a->io.reader) : NULL;
	struct rl_fileset fs;
	struct rl_err err;
	int fam = RL_FAM_FEATHER;

	memset(&fs, 0, sizeof(fs));
	rl_err_init(&err);
	if (rl_fileset_open(&fs, args, (size_t)nargs, rd, &a->io.ro, &err) == 0) {
		fam = fs.family;
		if (fam == RL_FAM_LINUX && fs.confidence <= 1)
			fam = RL_FAM_FEATHER;
	}
	rl_fileset_close(&fs);
	return fam;
}

/**
 * cmd_skew() - `rtlens skew`: per-CPU clock offsets with guaranteed bounds
 * @argc: argument count
 * @argv: arguments
 *
 * Return: exit code (0, 1 on bad data, 2 on bad usage).
 */
int cmd_skew(int argc, char **argv)
{
	struct skew_args a;
	int r, fam;

	memset(&a, 0, sizeof(a));
	r = skew_options(argc, argv, &a);
	if (r >= 0)
		return r;
	if (optind >= argc) {
		rl_usage_error("no input files (see 'rtlens skew --help')");
		return RL_EXIT_USAGE;
	}
	fam = skew_family(argv + optind, argc - optind, &a);
	if (fam == RL_FAM_FEATHER)
		return skew_ft(argv + optind, argc - optind, &a);
	return skew_linux(argv + optind, argc - optind, &a);
}
