/*
 * tests/unit-ovh-series.c - the generic side of the overhead accumulator:
 * series fed with rl_ovh_push() under a schema of one's own, group columns
 * and their order, hidden groups, spilling beyond the memory budget, and the
 * counting statistics path against the sorting one (small series included).
 */
#include "tap.h"
#include "../stats/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const t_names[] = {"alpha", "beta"};
/* A schema of its own picks its report columns from the one discard enumeration. */
static const uint8_t t_reasons[] = {RL_DISCARD_NEGATIVE, RL_DISCARD_LOST};

static const char *t_event_name(unsigned id, char *buf, size_t len)
{
	snprintf(buf, len, "%s", id < 2 ? t_names[id] : "?");
	return buf;
}

static int t_event_ns(unsigned id)
{
	return id == 1;
}

static int t_event_parse(const char *s, unsigned *id)
{
	for (*id = 0; *id < 2; (*id)++)
		if (!strcmp(s, t_names[*id]))
			return 0;
	return -1;
}

static const struct rl_ovh_schema t_schema = {
	.event_name = t_event_name,
	.event_is_ns = t_event_ns,
	.event_parse = t_event_parse,
	.reasons = t_reasons,
	.nreasons = 2,
	.by_event = 1,
};

static struct rl_ovh *t_new(int count_only, uint64_t budget)
{
	struct rl_ovh_opts oo;
	struct rl_err err;

	memset(&oo, 0, sizeof(oo));
	oo.only_cpu = oo.avoid_cpu = -1;
	oo.count_only = count_only;
	oo.mem_budget = budget;
	oo.schema = &t_schema;
	rl_err_init(&err);
	return rl_ovh_new(&oo, &err);
}

static int t_close(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return fabs(a - b) <= 1e-9 * fabs(b) + 1e-9;
}

/* The counting path (narrow series) equals the sorting path, for every n. */
static void test_counting_equals_sorting(void)
{
	uint64_t seed = 12345, n;
	int bad = 0, tried = 0;

	for (n = 1; n <= 60; n++) {
		struct rl_ovh *h = t_new(1, 0);
		int64_t *v = malloc(n * sizeof(*v));
		struct rl_ovh_stat a, b;
		struct rl_err err;
		uint64_t i;
		int g;

		rl_err_init(&err);
		g = rl_ovh_group_new(h, 0, NULL, NULL, &err);
		for (i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			v[i] = 1000 + (int64_t)((seed >> 33) % 5000);
			rl_ovh_push(h, (uint32_t)rl_ovh_series_at(h, (uint32_t)g, 0, -1, &err),
				    v[i], &err);
		}
		rl_ovh_flush(h, &err);
		if (rl_ovh_stat_fast(h, 0, &a, &err) != 1) {
			bad++;
		} else {
			rl_ovh_stat_compute(v, n, &b);
			tried++;
			if (a.n != b.n || a.min != b.min || a.max != b.max ||
			    !t_close(a.mean, b.mean) || !t_close(a.median, b.median) ||
			    !t_close(a.p90, b.p90) || !t_close(a.p95, b.p95) ||
			    !t_close(a.p99, b.p99) || !t_close(a.p999, b.p999) ||
			    !t_close(a.std, b.std) || !t_close(a.var, b.var)) {
				diag("n=%llu: counted p90 %.3f p99.9 %.3f, sorted %.3f %.3f",
				     (unsigned long long)n, a.p90, a.p999, b.p90, b.p999);
				bad++;
			}
		}
		free(v);
		rl_ovh_free(h);
	}
	is_int(tried, 60, "the counting path serves narrow series of 1..60 samples");
	is_int(bad, 0, "and gives the sorting path's statistics for each");
}

/* Two samples: p90 interpolates (the counted ranks overlap). */
static void test_two_samples(void)
{
	struct rl_ovh *h = t_new(1, 0);
	struct rl_ovh_report rep = {.fmt = RL_OUT_CSV};
	struct rl_ovh_stat st;
	struct rl_err err;
	int64_t si;

	rl_err_init(&err);
	si = rl_ovh_series_at(h, (uint32_t)rl_ovh_group_new(h, 0, NULL, NULL, &err), 0, -1, &err);
	rl_ovh_push(h, (uint32_t)si, 2985, &err);
	rl_ovh_push(h, (uint32_t)si, 5055, &err);
	rl_ovh_flush(h, &err);
	ok(!rl_ovh_series_stat(h, 0, &rep, NULL, &st, &err), "statistics of 2 samples");
	ok(st.p90 == 4848.0 && st.p95 == 4951.5 && st.median == 4020.0,
	   "p90 4848, p95 4951.5, median 4020 (got %.1f %.1f %.1f)", st.p90, st.p95, st.median);
	rl_ovh_free(h);
}

/* Columns, order (event, then columns: integers by value), hiding, discards, labels. */
static void test_groups_and_report(void)
{
	static const char *const keys[] = {"id", "name"};
	const char *v10[] = {"10", "x,y"}, *v9[] = {"9", "z"}, *v2[] = {"2", "hidden"};
	struct rl_ovh *h = t_new(0, 0);
	struct rl_ovh_report rep = {.fmt = RL_OUT_CSV};
	struct rl_ovh_series_info si;
	struct rl_err err;
	const char *hdr;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int g10, g9, g2;

	rl_err_init(&err);
	g10 = rl_ovh_group_new(h, 2, keys, v10, &err);
	g9 = rl_ovh_group_new(h, 2, keys, v9, &err);
	g2 = rl_ovh_group_new(h, 2, keys, v2, &err);
	rl_ovh_push(h, (uint32_t)rl_ovh_series_at(h, (uint32_t)g10, 1, -1, &err), 7000, &err);
	rl_ovh_push(h, (uint32_t)rl_ovh_series_at(h, (uint32_t)g10, 0, -1, &err), 5, &err);
	rl_ovh_discard(h, (uint32_t)rl_ovh_series_at(h, (uint32_t)g9, 0, -1, &err),
		       RL_DISCARD_LOST);
	rl_ovh_push(h, (uint32_t)rl_ovh_series_at(h, (uint32_t)g2, 0, -1, &err), 1, &err);
	rl_ovh_group_hide(h, (uint32_t)g2);
	ok(!rl_ovh_flush(h, &err), "flushed");
	is_int(rl_ovh_nseries(h), 3, "3 series shown (the hidden group's left out)");
	rl_ovh_series(h, 0, &si);
	ok(si.group == (uint32_t)g9 && si.event == 0 && si.discard.n[RL_DISCARD_LOST] == 1 &&
		   si.n == 0,
	   "first: alpha of id 9 (9 < 10 as integers), one 'lost' discard");
	rl_ovh_series(h, 2, &si);
	ok(si.group == (uint32_t)g10 && si.event == 1, "last: beta (events lead the order)");
	is_str(rl_ovh_group_label(h, (uint32_t)g10), "id=10_name=x?y",
	       "label: a comma becomes '?'");
	f = open_memstream(&buf, &len);
	ok(!rl_ovh_write_stats(h, f, &rep, &err), "statistics written");
	fclose(f);
	hdr = "event,id,name,unit,samples,min,max,mean,median,stddev,var,p90,p95,p99,p99.9,"
	      "negative,lost\n";
	ok(buf && !strncmp(buf, hdr, strlen(hdr)),
	   "header: event first, the group columns, the schema's reasons");
	ok(buf && strstr(buf, "\nbeta,10,x?y,us,1,7.00000,7.00000,") != NULL,
	   "beta is in ns, shown in us");
	ok(buf && strstr(buf, "\nalpha,10,x?y,cycles,1,5,5,") != NULL, "alpha in cycles");
	free(buf);
	rl_ovh_free(h);
}

/* Everything a report can show of @h, as text: statistics (CSV), samples, CDF. */
static char *t_report(struct rl_ovh *h)
{
	struct rl_ovh_report rep = {.fmt = RL_OUT_CSV, .seed = 1};
	struct rl_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	rl_err_init(&err);
	if (rl_ovh_write_stats(h, f, &rep, &err) || rl_ovh_write_samples(h, f, 0, 0, &err) ||
	    rl_ovh_write_samples(h, f, 1, 0, &err) || rl_ovh_write_dist(h, f, 0, &err))
		fprintf(f, "error: %s\n", err.msg);
	fclose(f);
	return buf;
}

/*
 * A tiny memory budget (24 KiB: the first two chunks of a series, 3 Ki
 * samples) makes the samples of two interleaved series really go to the
 * temporary file; every output must equal that of the same pushes kept in
 * memory.
 */
static void test_spill(void)
{
	struct rl_ovh *h[2] = {t_new(0, 24 << 10), t_new(0, 0)};
	int64_t *v[2] = {NULL, NULL}, *sv[2];
	uint64_t n[2] = {0, 0}, sn[2] = {0, 0}, i, wrong = 0;
	char *rep[2];
	struct rl_err err;
	int64_t si[2][2];
	int b, e, pushed = 1;

	rl_err_init(&err);
	for (b = 0; b < 2; b++) {
		int g = rl_ovh_group_new(h[b], 0, NULL, NULL, &err);

		for (e = 0; e < 2; e++)
			si[b][e] = rl_ovh_series_at(h[b], (uint32_t)g, (unsigned)e, 3, &err);
		for (i = 0; i < 300000; i++) {
			pushed &= !rl_ovh_push(h[b], (uint32_t)si[b][0],
					       (int64_t)(i * 7919 % 100003) - 50000, &err);
			if (i % 3 == 0)
				pushed &= !rl_ovh_push(h[b], (uint32_t)si[b][1],
						       (int64_t)(i * 104729 % 65537), &err);
		}
		pushed &= !rl_ovh_flush(h[b], &err);
	}
	ok(pushed, "300000 + 100000 samples pushed with a 24 KiB and the default budget");
	ok(rl_ovh_spilled(h[0]) > 0, "24 KiB budget: %llu chunks went to the temporary file",
	   (unsigned long long)rl_ovh_spilled(h[0]));
	is_int(rl_ovh_spilled(h[1]), 0, "default budget: every sample in memory");
	for (b = 0; b < 2; b++)
		ok(!rl_ovh_samples(h[b], 0, &v[b], &n[b], &err), "samples read back (%s)",
		   b ? "memory" : "spilled");
	for (i = 0; i < n[0]; i++)
		wrong += v[0][i] != (int64_t)(i * 7919 % 100003) - 50000;
	ok(n[0] == 300000 && !wrong, "spilled series: all samples, in push order (%llu wrong)",
	   (unsigned long long)wrong);
	ok(n[0] == n[1] && !memcmp(v[0], v[1], n[0] * sizeof(int64_t)),
	   "same samples in the same order as in memory");
	for (e = 0; e < 2; e++) {
		for (b = 0; b < 2; b++) {
			int64_t *p;

			sv[b] = NULL;
			if (!rl_ovh_sorted(h[b], (uint32_t)e, &p, &sn[b], &err)) {
				sv[b] = malloc(sn[b] * sizeof(int64_t));
				if (sv[b])
					memcpy(sv[b], p, sn[b] * sizeof(int64_t));
			}
		}
		ok(sv[0] && sv[1] && sn[0] == sn[1] && sn[0] == (e ? 100000 : 300000) &&
			   !memcmp(sv[0], sv[1], sn[0] * sizeof(int64_t)),
		   "series %d sorted: equal to the in-memory one", e);
		free(sv[0]);
		free(sv[1]);
	}
	for (b = 0; b < 2; b++)
		rep[b] = t_report(h[b]);
	ok(rep[0] && rep[1] && !strstr(rep[0], "error:") && !strcmp(rep[0], rep[1]),
	   "statistics, samples and CDF equal to those kept in memory (%zu bytes)",
	   rep[0] ? strlen(rep[0]) : 0);
	for (b = 0; b < 2; b++) {
		free(rep[b]);
		free(v[b]);
		rl_ovh_free(h[b]);
	}
}

int main(void)
{
	test_counting_equals_sorting();
	test_two_samples();
	test_groups_and_report();
	test_spill();
	done_testing();
	return exit_status();
}
