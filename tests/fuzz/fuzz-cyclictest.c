/*
 * tests/fuzz/fuzz-cyclictest.c - the cyclictest reader (text and JSON) on any
 * bytes, and what is built on it: the counted series' statistics and writers
 * (stats/counted.c, stats/ovh-report.c) and the plot layouts of its histograms.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../draw/draw.h"
#include "../../readers/cyclictest.h"
#include "../../stats/stats.h"

/* The statistics, CDF and histogram writers of the counted series, and three plots. */
static void fuzz_counted(const struct rl_cyclictest *c)
{
	static const int kinds[3] = {RL_PLOT_HIST, RL_PLOT_CCDF, RL_PLOT_CDF};
	struct rl_ovh_report rep = {.fmt = RL_OUT_JSON};
	struct rl_plot_series *ps = calloc(c->nthreads ? c->nthreads : 1, sizeof(*ps));
	struct rl_cnt_set set = {0};
	struct rl_ovh_stat st;
	struct rl_err err;
	FILE *f = fopen("/dev/null", "w");
	uint32_t i, b;
	int k;

	rl_err_init(&err);
	if (f && !rl_cnt_add_cyclictest(&set, c, "fuzz", &err)) {
		for (i = 0; i < set.n; i++)
			rl_cnt_stat(&set.s[i], &st);
		rl_cnt_write_stats(&set, f, &rep, &err);
		rl_cnt_write_dist(&set, f, 0, &err);
		rl_cnt_write_dist(&set, f, 1000, &err);
	}
	for (i = 0; ps && i < c->nthreads; i++) {
		const struct rl_cyc_thread *t = &c->threads[i];

		ps[i].label = "fuzz thread";
		ps[i].v = malloc((t->nbuckets ? t->nbuckets : 1) * sizeof(double));
		ps[i].w = malloc((t->nbuckets ? t->nbuckets : 1) * sizeof(uint64_t));
		if (!ps[i].v || !ps[i].w)
			continue;
		for (b = 0; b < t->nbuckets; b++) {
			ps[i].v[b] = (double)t->buckets[b].value;
			ps[i].w[b] = t->buckets[b].count;
		}
		ps[i].n = t->nbuckets;
		ps[i].over = t->overflows;
		ps[i].over_lo = (double)rl_cyclictest_overflow_min(c, t);
		ps[i].vmax = (double)t->max;
	}
	for (k = 0; ps && k < 3; k++) {
		struct rl_plot_opts o = {.kind = kinds[k], .logy = k == 0, .markers = 1};
		struct rl_dl dl;

		rl_err_init(&err);
		if (!rl_layout_plot(ps, c->nthreads, &o, &dl, NULL, &err))
			rl_dl_release(&dl);
	}
	for (i = 0; ps && i < c->nthreads; i++) {
		free(ps[i].v);
		free(ps[i].w);
	}
	free(ps);
	rl_cnt_release(&set);
	if (f)
		fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double qs[] = {0, 0.5, 0.99, 0.99999, 1};
	struct rl_cyclictest c;
	struct rl_err err;
	uint32_t i, k;
	double v;

	rl_cyclictest_probe(data, size);
	rl_cyclictest_init(&c);
	rl_err_init(&err);
	if (rl_cyclictest_parse(&c, data, size, "fuzz", &err))
		return 0;
	for (i = 0; i < c.nthreads; i++) {
		for (k = 0; k < sizeof(qs) / sizeof(qs[0]); k++)
			rl_cyclictest_quantile(&c.threads[i], qs[k], &v);
		rl_cyclictest_hist_mean(&c.threads[i], &v);
	}
	rl_cyclictest_meta(&c, "cmdline");
	fuzz_counted(&c);
	rl_cyclictest_release(&c);
	return 0;
}
