/*
 * draw/plot.c - CDF and histogram plots of samples, as a display list.
 *
 * Several series share one figure: a CDF is a step curve per series (drawn
 * at the resolution of the plot: with more samples than device units, one
 * step per unit column, computed exactly from the sorted samples), a
 * histogram a translucent bar outline per series over common bins. The x
 * axis is linear or logarithmic with 1-2-5 ticks (decades on log scale);
 * the legend names each series with its sample count. Samples that cannot
 * be placed (NaN, infinite, <= 0 on a log axis) are left out and counted.
 */
#include "draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PLOT_W 800.0
#define PLOT_H 500.0
#define PLOT_LEFT 80.0
#define PLOT_RIGHT 24.0
#define PLOT_TOP 48.0
#define PLOT_BOTTOM 64.0
#define PLOT_LEGEND_W 190.0
#define PLOT_LEGEND_LINE 18.0
#define PLOT_TITLE_SIZE 16.0
#define PLOT_LABEL_SIZE 13.0
#define PLOT_TICK_SIZE 11.0
#define PLOT_LEGEND_SIZE 11.0
#define PLOT_TICK_LEN 5.0
#define PLOT_CURVE_WIDTH 1.5
#define PLOT_AXIS_WIDTH 1.0
#define PLOT_GRID_WIDTH 0.5
#define PLOT_DEFAULT_BINS 40
#define PLOT_MAX_TICKS 50
#define PLOT_MAX_BINS 100000
#define PLOT_FILL_ALPHA 64
#define PLOT_AXIS_COLOR 0x000000u
#define PLOT_GRID_COLOR 0xdddddd
#define PLOT_TEXT_COLOR 0x000000u
#define PLOT_BG 0xffffffu

/* Series colours: ten distinct hues that survive greyscale printing. */
static const uint32_t plot_colors[] = {
	0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd,
	0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
};

#define PLOT_NCOLORS (sizeof(plot_colors) / sizeof(plot_colors[0]))

struct plot {
	struct rl_dl *dl;
	const struct rl_plot_opts *o;
	double px0, px1, py0, py1; /* plot area: left, right, top, bottom */
	double xmin, xmax, ymax;   /* data range (log10 values on a log axis) */
	int logx;
};

static int plot_dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double plot_xv(const struct plot *p, double v)
{
	return p->logx ? log10(v) : v;
}

static double plot_X(const struct plot *p, double xv)
{
	if (p->xmax <= p->xmin)
		return (p->px0 + p->px1) / 2;
	return p->px0 + (xv - p->xmin) / (p->xmax - p->xmin) * (p->px1 - p->px0);
}

static double plot_Y(const struct plot *p, double y)
{
	return p->py1 - (p->ymax > 0 ? y / p->ymax : 0) * (p->py1 - p->py0);
}

/* A 1-2-5 step giving about @n intervals over @span. */
static double plot_nice_step(double span, int n)
{
	double raw = span / n, mag, f;

	if (!(raw > 0))
		return 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	if (f <= 1)
		return mag;
	if (f <= 2)
		return 2 * mag;
	if (f <= 5)
		return 5 * mag;
	return 10 * mag;
}

static void plot_fmt(char *buf, size_t sz, double v)
{
	if (fabs(v) < 1e-12)
		v = 0;
	snprintf(buf, sz, "%g", v);
}

static void plot_xtick(struct plot *p, double xv, double label)
{
	char buf[48];
	double x = plot_X(p, xv);

	rl_dl_line(p->dl, RL_DC_MINOR_TICK, x, p->py0, x, p->py1, PLOT_GRID_WIDTH, PLOT_GRID_COLOR);
	rl_dl_line(p->dl, RL_DC_AXIS, x, p->py1, x, p->py1 + PLOT_TICK_LEN, PLOT_AXIS_WIDTH,
		   PLOT_AXIS_COLOR);
	plot_fmt(buf, sizeof(buf), label);
	rl_dl_text(p->dl, RL_DC_TICK_LABEL, x, p->py1 + PLOT_TICK_LEN + 3, PLOT_TICK_SIZE,
		   RL_HA_CENTER | RL_VA_TOP, PLOT_TEXT_COLOR, buf);
}

static void plot_xaxis(struct plot *p)
{
	double k, k0, k1, step;
	int i;

	if (p->logx) {
		k0 = ceil(p->xmin);
		k1 = floor(p->xmax + 1e-9);
		for (k = k0; k <= k1 && k - k0 < PLOT_MAX_TICKS; k++)
			plot_xtick(p, k, pow(10, k));
		return;
	}
	step = plot_nice_step(p->xmax - p->xmin, 8);
	k0 = ceil(p->xmin / step);
	k1 = floor(p->xmax / step + 1e-9);
	if (!(k1 >= k0 && k1 - k0 < PLOT_MAX_TICKS)) {
		/* a range too narrow for its magnitude (or not finite): the ends only */
		plot_xtick(p, p->xmin, p->xmin);
		if (p->xmax > p->xmin)
			plot_xtick(p, p->xmax, p->xmax);
		return;
	}
	for (i = 0; i <= (int)(k1 - k0); i++)
		plot_xtick(p, (k0 + i) * step, (k0 + i) * step);
}

static void plot_yaxis(struct plot *p)
{
	char buf[48];
	double k, step = p->o->kind == RL_PLOT_CDF ? 0.2 : plot_nice_step(p->ymax, 5);

	for (k = 0; k * step <= p->ymax + step * 1e-9 && k < PLOT_MAX_TICKS; k++) {
		double y = plot_Y(p, k * step);

		rl_dl_line(p->dl, RL_DC_MINOR_TICK, p->px0, y, p->px1, y, PLOT_GRID_WIDTH,
			   PLOT_GRID_COLOR);
		rl_dl_line(p->dl, RL_DC_AXIS, p->px0 - PLOT_TICK_LEN, y, p->px0, y, PLOT_AXIS_WIDTH,
			   PLOT_AXIS_COLOR);
		plot_fmt(buf, sizeof(buf), k * step);
		rl_dl_text(p->dl, RL_DC_TICK_LABEL, p->px0 - PLOT_TICK_LEN - 3, y, PLOT_TICK_SIZE,
			   RL_HA_RIGHT | RL_VA_MIDDLE, PLOT_TEXT_COLOR, buf);
	}
}

/* Points of a step CDF, at most one step per device unit column. */
static int plot_cdf(struct plot *p, const struct rl_plot_series *s, size_t nv, uint32_t rgb,
		    uint32_t title)
{
	double *xy = NULL;
	size_t cap, n = 0, i;
	struct rl_dl_item *it;
	double cols = ceil(p->px1 - p->px0);

	if (!nv)
		return 0;
	cap = 2 * (size_t)(nv < cols ? nv : cols) + 4;
	xy = malloc(cap * 2 * sizeof(*xy));
	if (!xy)
		return -RL_E_NOMEM;
#define PUT(X, Y)                                                                                  \
	do {                                                                                       \
		xy[2 * n] = (X);                                                                   \
		xy[2 * n + 1] = (Y);                                                               \
		n++;                                                                               \
	} while (0)
	PUT(plot_X(p, plot_xv(p, s->v[0])), plot_Y(p, 0));
	if (nv <= cols) {
		/* exact: a riser at every distinct value */
		for (i = 0; i < nv; i++) {
			size_t j = i;

			while (j + 1 < nv && s->v[j + 1] == s->v[i])
				j++;
			PUT(plot_X(p, plot_xv(p, s->v[i])), xy[2 * n - 1]);
			PUT(plot_X(p, plot_xv(p, s->v[i])), plot_Y(p, (double)(j + 1) / nv));
			i = j;
		}
	} else {
		/* one column at a time: the fraction of samples left of its right edge */
		size_t lo = 0, c;

		for (c = 1; c <= (size_t)cols; c++) {
			double xe = p->xmin + (p->xmax - p->xmin) * c / cols;
			size_t k = lo;

			while (k < nv && plot_xv(p, s->v[k]) <= xe)
				k++;
			if (c == (size_t)cols)
				k = nv;
			if (k != lo) {
				double x = p->px0 + c - 1;

				PUT(x, xy[2 * n - 1]);
				PUT(x, plot_Y(p, (double)k / nv));
				lo = k;
			}
		}
	}
	PUT(p->px1, xy[2 * n - 1]);
#undef PUT
	it = rl_dl_poly(p->dl, RL_DC_CURVE, xy, (uint32_t)n, PLOT_CURVE_WIDTH, rgb, 0);
	if (it) {
		it->title = title;
		it->count = (uint32_t)(nv > UINT32_MAX ? UINT32_MAX : nv);
	}
	free(xy);
	return 0;
}

static int plot_hist(struct plot *p, const struct rl_plot_series *s, size_t nv, uint32_t rgb,
		     uint32_t title, const uint64_t *cnt, unsigned bins)
{
	double *xy = malloc((2 * (size_t)bins + 2) * 2 * sizeof(*xy));
	double bw = (p->px1 - p->px0) / bins;
	struct rl_dl_item *it;
	size_t n = 0;
	unsigned b;

	(void)s;
	if (!xy)
		return -RL_E_NOMEM;
	xy[n * 2] = p->px0;
	xy[n * 2 + 1] = plot_Y(p, 0);
	n++;
	for (b = 0; b < bins; b++) {
		double y = plot_Y(p, (double)cnt[b]);

		if (cnt[b]) {
			it = rl_dl_rect(p->dl, RL_DC_BAR, p->px0 + b * bw, y, p->px0 + (b + 1) * bw,
					plot_Y(p, 0), rgb);
			if (it) {
				it->alpha = PLOT_FILL_ALPHA;
				it->count = (uint32_t)cnt[b];
			}
		}
		xy[n * 2] = p->px0 + b * bw;
		xy[n * 2 + 1] = y;
		n++;
		xy[n * 2] = p->px0 + (b + 1) * bw;
		xy[n * 2 + 1] = y;
		n++;
	}
	xy[n * 2] = p->px1;
	xy[n * 2 + 1] = plot_Y(p, 0);
	n++;
	it = rl_dl_poly(p->dl, RL_DC_CURVE, xy, (uint32_t)n, PLOT_CURVE_WIDTH, rgb, 0);
	if (it) {
		it->title = title;
		it->count = (uint32_t)(nv > UINT32_MAX ? UINT32_MAX : nv);
	}
	free(xy);
	return 0;
}

/* Move the samples that can be placed to the front; return how many. */
static size_t plot_keep(struct rl_plot_series *s, int logx)
{
	size_t i, k = 0;

	for (i = 0; i < s->n; i++) {
		double v = s->v[i];

		if (!isfinite(v) || (logx && v <= 0))
			continue;
		s->v[k++] = v;
	}
	return k;
}

/**
 * rl_layout_plot() - lay out a CDF or histogram of several series
 * @s:       the series; their samples are reordered (sorted) in place
 * @ns:      number of series
 * @o:       options
 * @dl:      filled with the display list (release it)
 * @dropped: set to the number of samples left out (may be NULL)
 * @err:     error out
 *
 * Return: 0; -RL_E_USAGE when no series has a sample to plot or an option is
 * out of range; -RL_E_NOMEM.
 */
int rl_layout_plot(struct rl_plot_series *s, size_t ns, const struct rl_plot_opts *o,
		   struct rl_dl *dl, uint64_t *dropped, struct rl_err *err)
{
	struct plot p = {0};
	size_t i, *nv = NULL, total = 0;
	uint64_t **cnt = NULL, drop = 0;
	unsigned bins = o->bins ? o->bins : PLOT_DEFAULT_BINS, b;
	double W = o->width > 0 ? o->width : PLOT_W, H = o->height > 0 ? o->height : PLOT_H;
	char buf[256];
	int r = 0, any = 0;

	memset(dl, 0, sizeof(*dl));
	if (bins > PLOT_MAX_BINS || W > RL_PNG_MAX_SIDE || H > RL_PNG_MAX_SIDE ||
	    W < PLOT_LEFT + PLOT_RIGHT + PLOT_LEGEND_W + 50 || H < PLOT_TOP + PLOT_BOTTOM + 50)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "plot size %gx%g or %u bins out of range (at least %gx%g, at "
				  "most %d; bins 1..%d)",
				  W, H, bins, PLOT_LEFT + PLOT_RIGHT + PLOT_LEGEND_W + 50,
				  PLOT_TOP + PLOT_BOTTOM + 50, RL_PNG_MAX_SIDE, PLOT_MAX_BINS);
	nv = calloc(ns ? ns : 1, sizeof(*nv));
	cnt = calloc(ns ? ns : 1, sizeof(*cnt));
	if (!nv || !cnt)
		goto nomem;
	p.dl = dl;
	p.o = o;
	p.logx = o->logx;
	for (i = 0; i < ns; i++) {
		double lo, hi;

		nv[i] = plot_keep(&s[i], o->logx);
		drop += s[i].n - nv[i];
		if (nv[i] > 1)
			qsort(s[i].v, nv[i], sizeof(double), plot_dcmp);
		total += nv[i];
		if (!nv[i])
			continue;
		lo = plot_xv(&p, s[i].v[0]);
		hi = plot_xv(&p, s[i].v[nv[i] - 1]);
		if (!any || lo < p.xmin)
			p.xmin = lo;
		if (!any || hi > p.xmax)
			p.xmax = hi;
		any = 1;
	}
	if (dropped)
		*dropped = drop;
	if (!total) {
		r = rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
			       "nothing to plot: no series has a usable sample (%llu left out%s)",
			       (unsigned long long)drop, o->logx ? ", <= 0 on a log axis" : "");
		goto out;
	}
	if (p.logx) {
		p.xmin = floor(p.xmin);
		p.xmax = ceil(p.xmax);
		if (p.xmax <= p.xmin)
			p.xmax = p.xmin + 1;
	} else if (p.xmax <= p.xmin) {
		/* one value: a range around it that its magnitude can resolve */
		double d = fmax(1.0, fabs(p.xmin) * 1e-3);

		p.xmin -= d;
		p.xmax += d;
	} else {
		double step = plot_nice_step(p.xmax - p.xmin, 8);
		double lo = floor(p.xmin / step) * step, hi = ceil(p.xmax / step) * step;

		/* round the ends to ticks, unless that leaves the doubles */
		if (isfinite(lo) && isfinite(hi) && isfinite(hi - lo) && hi > lo) {
			p.xmin = lo;
			p.xmax = hi;
		}
	}
	if (!isfinite(p.xmax - p.xmin)) {
		r = rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
			       "the samples span %g to %g, too wide a range to plot", p.xmin,
			       p.xmax);
		goto out;
	}
	p.px0 = PLOT_LEFT;
	p.px1 = W - PLOT_RIGHT - PLOT_LEGEND_W;
	p.py0 = PLOT_TOP;
	p.py1 = H - PLOT_BOTTOM;
	if (o->kind == RL_PLOT_HIST) {
		uint64_t mx = 0;

		for (i = 0; i < ns; i++) {
			size_t k;

			cnt[i] = calloc(bins, sizeof(**cnt));
			if (!cnt[i])
				goto nomem;
			for (k = 0; k < nv[i]; k++) {
				double f = (plot_xv(&p, s[i].v[k]) - p.xmin) / (p.xmax - p.xmin);

				b = f >= 1 ? bins - 1 : f > 0 ? (unsigned)(f * bins) : 0;
				cnt[i][b]++;
			}
			for (b = 0; b < bins; b++)
				if (cnt[i][b] > mx)
					mx = cnt[i][b];
		}
		p.ymax = plot_nice_step((double)mx, 5);
		p.ymax = ceil((double)mx / p.ymax) * p.ymax;
	} else {
		p.ymax = 1;
	}
	rl_dl_init(dl, W, H);
	rl_dl_rect(dl, RL_DC_BG, 0, 0, W, H, PLOT_BG);
	plot_xaxis(&p);
	plot_yaxis(&p);
	for (i = 0; i < ns; i++) {
		uint32_t rgb = plot_colors[i % PLOT_NCOLORS], title;
		double ly = p.py0 + i * PLOT_LEGEND_LINE + PLOT_LEGEND_LINE / 2;
		double lx = p.px1 + 16;

		if (!nv[i])
			title = rl_dl_strf(dl, "%s: no samples", s[i].label);
		else
			title = rl_dl_strf(dl, "%s: n=%zu, min %g, median %g, max %g", s[i].label,
					   nv[i], s[i].v[0], s[i].v[nv[i] / 2], s[i].v[nv[i] - 1]);
		if (o->kind == RL_PLOT_HIST)
			r = plot_hist(&p, &s[i], nv[i], rgb, title, cnt[i], bins);
		else
			r = plot_cdf(&p, &s[i], nv[i], rgb, title);
		if (r < 0)
			goto nomem;
		rl_dl_line(dl, RL_DC_LEGEND, lx, ly, lx + 20, ly, 3, rgb);
		snprintf(buf, sizeof(buf), "%s (n=%zu)", s[i].label, nv[i]);
		rl_dl_text(dl, RL_DC_LEGEND, lx + 26, ly, PLOT_LEGEND_SIZE,
			   RL_HA_LEFT | RL_VA_MIDDLE, PLOT_TEXT_COLOR, buf);
	}
	/* the frame over the curves' ends */
	rl_dl_line(dl, RL_DC_AXIS, p.px0, p.py1, p.px1, p.py1, PLOT_AXIS_WIDTH, PLOT_AXIS_COLOR);
	rl_dl_line(dl, RL_DC_AXIS, p.px0, p.py0, p.px0, p.py1, PLOT_AXIS_WIDTH, PLOT_AXIS_COLOR);
	rl_dl_text(dl, RL_DC_TITLE, (p.px0 + p.px1) / 2, H - 18, PLOT_LABEL_SIZE,
		   RL_HA_CENTER | RL_VA_BASELINE, PLOT_TEXT_COLOR, o->xlabel ? o->xlabel : "value");
	rl_dl_text(dl, RL_DC_TITLE, p.px0, p.py0 - 10, PLOT_LABEL_SIZE, RL_HA_LEFT | RL_VA_BASELINE,
		   PLOT_TEXT_COLOR,
		   o->ylabel ? o->ylabel
			     : (o->kind == RL_PLOT_CDF ? "fraction of samples <= x" : "samples"));
	if (o->title) {
		struct rl_dl_item *it =
			rl_dl_text(dl, RL_DC_TITLE, W / 2, 20, PLOT_TITLE_SIZE,
				   RL_HA_CENTER | RL_VA_BASELINE, PLOT_TEXT_COLOR, o->title);

		if (it)
			it->flags |= RL_DLF_BOLD;
	}
	r = rl_dl_check(dl, err);
	goto out;
nomem:
	r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory laying out a plot");
out:
	if (r < 0)
		rl_dl_release(dl);
	if (cnt)
		for (i = 0; i < ns; i++)
			free(cnt[i]);
	free(cnt);
	free(nv);
	return r;
}
