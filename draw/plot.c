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
 *
 * Latency plots: a CCDF (exceedance, the fraction of samples above x) on a
 * log y axis with p99, p99.9 and the max marked, and OSADL's latency
 * histogram (bins of a fixed width, log counts, the max marked). A series
 * may be a histogram itself (values with counts, and overflowed samples
 * whose values are unknown up to the known max): those parts are drawn
 * dashed. Legends drop the labels' common prefix and suffix into a heading
 * and wrap long labels; series beyond the ten colours differ by line style
 * and marker shape.
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
#define PLOT_GUIDE_COLOR 0x888888u
#define PLOT_GUIDE_TEXT 0x555555u
#define PLOT_MARK_R 3.5		 /* marker radius */
#define PLOT_MARK_GAP 60.0	 /* distance between markers along a curve */
#define PLOT_LOG_FLOOR 0.5	 /* log count axis: its bottom, below a count of 1 */
#define PLOT_CHAR_W 0.56	 /* legend: average glyph width per font size (wrapping) */
#define PLOT_COMMON_MIN 8	 /* legend: bytes all labels share before they move to a heading */
#define PLOT_LEGEND_MAX_FRAC 0.4 /* a legend grows with its labels up to this part of the width */

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
	double ylmin, ylmax;	   /* log y axis: decades at the bottom and top */
	int logx, logy;
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
	if (p->logy) {
		double f;

		if (!(y > 0))
			return p->py1;
		f = (log10(y) - p->ylmin) / (p->ylmax - p->ylmin);
		return p->py1 - (f < 0 ? 0 : f > 1 ? 1 : f) * (p->py1 - p->py0);
	}
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

static void plot_ytick(struct plot *p, double v)
{
	char buf[48];
	double y = plot_Y(p, v);

	rl_dl_line(p->dl, RL_DC_MINOR_TICK, p->px0, y, p->px1, y, PLOT_GRID_WIDTH, PLOT_GRID_COLOR);
	rl_dl_line(p->dl, RL_DC_AXIS, p->px0 - PLOT_TICK_LEN, y, p->px0, y, PLOT_AXIS_WIDTH,
		   PLOT_AXIS_COLOR);
	plot_fmt(buf, sizeof(buf), v);
	rl_dl_text(p->dl, RL_DC_TICK_LABEL, p->px0 - PLOT_TICK_LEN - 3, y, PLOT_TICK_SIZE,
		   RL_HA_RIGHT | RL_VA_MIDDLE, PLOT_TEXT_COLOR, buf);
}

static void plot_yaxis(struct plot *p)
{
	char buf[48];
	double k, step = p->o->kind == RL_PLOT_CDF ? 0.2 : plot_nice_step(p->ymax, 5);

	if (p->logy) {
		for (k = ceil(p->ylmin - 1e-9); k <= p->ylmax + 1e-9 && k < PLOT_MAX_TICKS; k++)
			plot_ytick(p, pow(10, k));
		return;
	}
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

/* A series as the layout uses it: distinct values with cumulative counts. */
struct pser {
	double *x;     /* distinct placeable values, ascending */
	uint64_t *cum; /* samples <= x[d] */
	size_t nd;
	uint64_t nin;	/* placeable samples with a value (cum[nd - 1]) */
	uint64_t N;	/* all: nin + over */
	uint64_t over;	/* values unknown, in [over_lo, vmax] */
	uint64_t nraw;	/* entries given (decides the CDF's exact drawing) */
	double over_lo; /* see over */
	double vmax;	/* the known maximum */
	int weighted;
};

/* Distinct value of rank @k (0 = smallest); k < nin. */
static double pser_nth(const struct pser *ps, uint64_t k)
{
	size_t lo = 0, hi = ps->nd;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps->cum[mid] > k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return ps->x[lo < ps->nd ? lo : ps->nd - 1];
}

/* Linear-interpolation quantile (as the reports); Return: 0, or -1 unknown (an overflow). */
static int pser_quantile(const struct pser *ps, double q, double *v)
{
	double h;
	uint64_t lo;

	if (!ps->N)
		return -1;
	h = q * (double)(ps->N - 1);
	lo = h >= (double)(ps->N - 1) ? ps->N - 1 : (uint64_t)h;
	if (lo + 1 >= ps->N && h <= (double)lo) {
		*v = ps->vmax;
		return lo < ps->nin || ps->over ? 0 : -1;
	}
	if (lo >= ps->nin || (h > (double)lo && lo + 1 >= ps->nin))
		return -1;
	*v = pser_nth(ps, lo);
	if (h > (double)lo)
		*v += (h - (double)lo) * (pser_nth(ps, lo + 1) - *v);
	return 0;
}

static void pser_free(struct pser *ps)
{
	free(ps->x);
	free(ps->cum);
}

/*
 * Build @ps from @s: samples that cannot be placed are counted in *drop
 * (weights included). Unweighted samples are sorted in place first.
 */
static int pser_build(struct pser *ps, struct rl_plot_series *s, int logx, uint64_t *drop)
{
	size_t i, d = 0;
	uint64_t c = 0;

	memset(ps, 0, sizeof(*ps));
	ps->weighted = s->w != NULL;
	if (!ps->weighted) {
		/* the samples that can be placed to the front, then sorted */
		size_t k = 0;

		for (i = 0; i < s->n; i++) {
			if (!isfinite(s->v[i]) || (logx && s->v[i] <= 0))
				continue;
			s->v[k++] = s->v[i];
		}
		*drop += s->n - k;
		s->n = k;
		if (k > 1)
			qsort(s->v, k, sizeof(double), plot_dcmp);
	}
	ps->nraw = s->n;
	ps->x = malloc((s->n ? s->n : 1) * sizeof(*ps->x));
	ps->cum = malloc((s->n ? s->n : 1) * sizeof(*ps->cum));
	if (!ps->x || !ps->cum)
		return -RL_E_NOMEM;
	for (i = 0; i < s->n; i++) {
		double v = s->v[i];
		uint64_t w = s->w ? s->w[i] : 1;

		if (!isfinite(v) || (logx && v <= 0)) {
			*drop += w;
			continue;
		}
		if (!w)
			continue;
		c += w;
		if (d && ps->x[d - 1] == v) {
			ps->cum[d - 1] = c;
			continue;
		}
		if (d && v < ps->x[d - 1]) /* weighted series must be ascending */
			return -RL_E_USAGE;
		ps->x[d] = v;
		ps->cum[d++] = c;
	}
	ps->nd = d;
	ps->nin = c;
	ps->over = s->over;
	ps->over_lo = s->over_lo;
	ps->vmax = d ? ps->x[d - 1] : 0;
	if (s->over && isfinite(s->vmax) && (!logx || s->vmax > 0)) {
		ps->vmax = s->vmax;
		if (!(ps->over_lo <= ps->vmax) || (logx && ps->over_lo <= 0))
			ps->over_lo = ps->vmax;
	} else if (s->over) {
		*drop += s->over;
		ps->over = 0;
	}
	if (!ps->nin && ps->over) {
		/* overflows only: nothing placeable but the max */
		*drop += ps->over;
		ps->over = 0;
	}
	ps->N = ps->nin + ps->over;
	return 0;
}

#define PUT(X, Y)                                                                                  \
	do {                                                                                       \
		xy[2 * n] = (X);                                                                   \
		xy[2 * n + 1] = (Y);                                                               \
		n++;                                                                               \
	} while (0)

/* The step curve of a CDF (@ccdf 0) or CCDF, at most one step per device unit column. */
static int plot_steps(struct plot *p, const struct pser *ps, uint32_t rgb, uint32_t title, int ccdf,
		      int dashed, double **out, size_t *nout)
{
	double *xy = NULL;
	size_t cap, n = 0, d;
	double cols = ceil(p->px1 - p->px0), N = (double)ps->N;
	size_t ncnt = ps->weighted ? ps->nd : (size_t)ps->nraw;
	struct rl_dl_item *it;
#define FR(k) (ccdf ? (N - (double)(k)) / N : (double)(k) / N)

	*out = NULL;
	*nout = 0;
	if (!ps->nd)
		return 0;
	cap = 2 * (size_t)(ncnt < cols ? ncnt : cols) + 6;
	xy = malloc(cap * 2 * sizeof(*xy));
	if (!xy)
		return -RL_E_NOMEM;
	PUT(plot_X(p, plot_xv(p, ps->x[0])), plot_Y(p, ccdf ? 1 : 0));
	if (ncnt <= cols) {
		/* exact: a riser at every distinct value */
		for (d = 0; d < ps->nd; d++) {
			double x = plot_X(p, plot_xv(p, ps->x[d]));

			PUT(x, xy[2 * n - 1]);
			PUT(x, plot_Y(p, FR(ps->cum[d])));
		}
	} else {
		/* one column at a time: the fraction of samples left of its right edge */
		uint64_t lo = 0, k;
		size_t c;

		d = 0;
		for (c = 1; c <= (size_t)cols; c++) {
			double xe = p->xmin + (p->xmax - p->xmin) * c / cols;

			while (d < ps->nd && plot_xv(p, ps->x[d]) <= xe)
				d++;
			k = d ? ps->cum[d - 1] : 0;
			if (c == (size_t)cols)
				k = ps->nin;
			if (k != lo) {
				double x = p->px0 + c - 1;

				PUT(x, xy[2 * n - 1]);
				PUT(x, plot_Y(p, FR(k)));
				lo = k;
			}
		}
	}
	if (!ps->over && !ccdf)
		PUT(p->px1, xy[2 * n - 1]);
#undef FR
	it = rl_dl_poly(p->dl, RL_DC_CURVE, xy, (uint32_t)n, PLOT_CURVE_WIDTH, rgb,
			dashed ? RL_DLF_DASHED : 0);
	if (it) {
		it->title = title;
		it->count = (uint32_t)(ps->N > UINT32_MAX ? UINT32_MAX : ps->N);
	}
	if (ps->over) {
		/* the overflowed samples: known only to lie between the range and the max */
		double ox[6];
		size_t m = 0;
		struct rl_dl_item *jt;

		ox[m++] = xy[2 * n - 2];
		ox[m++] = xy[2 * n - 1];
		ox[m++] = plot_X(p, plot_xv(p, ps->vmax));
		ox[m++] = plot_Y(p, ccdf ? 1.0 / N : 1.0);
		ox[m++] = ccdf ? ox[2] : p->px1;
		ox[m++] = ccdf ? p->py1 : ox[3];
		jt = rl_dl_poly(p->dl, RL_DC_TAG, ox, 3, PLOT_CURVE_WIDTH, rgb, RL_DLF_DASHED);
		if (jt)
			jt->title = rl_dl_strf(p->dl, "%llu samples >= %g, values unknown (max %g)",
					       (unsigned long long)ps->over, ps->over_lo, ps->vmax);
	}
	*out = xy;
	*nout = n;
	return 0;
}
#undef PUT

/*
 * Marker shapes: series beyond the ten colours 1 circle, 2 square, 3 triangle,
 * 4 diamond (0 none); 5 the max (a triangle pointing down at it), 6 an open
 * circle (percentiles).
 */
static void plot_marker(struct rl_dl *dl, int shape, double x, double y, double r, uint32_t rgb,
			uint32_t title)
{
	int ring = shape == 6; /* an open circle: percentile marks, unlike any series' marker */

	double xy[16];
	struct rl_dl_item *it;
	uint32_t n = 0, k;

	switch (shape) {
	case 1:
	case 6:
		for (k = 0; k < 8; k++) {
			xy[2 * k] = x + r * cos(k * M_PI / 4);
			xy[2 * k + 1] = y + r * sin(k * M_PI / 4);
		}
		n = 8;
		break;
	case 2:
		xy[0] = x - r, xy[1] = y - r, xy[2] = x + r, xy[3] = y - r;
		xy[4] = x + r, xy[5] = y + r, xy[6] = x - r, xy[7] = y + r;
		n = 4;
		break;
	case 3:
		xy[0] = x, xy[1] = y - r * 1.2, xy[2] = x + r * 1.1, xy[3] = y + r * 0.8;
		xy[4] = x - r * 1.1, xy[5] = y + r * 0.8;
		n = 3;
		break;
	case 5: /* down-pointing: the max */
		xy[0] = x - r, xy[1] = y - r * 1.6, xy[2] = x + r, xy[3] = y - r * 1.6;
		xy[4] = x, xy[5] = y;
		n = 3;
		break;
	default:
		xy[0] = x, xy[1] = y - r * 1.3, xy[2] = x + r, xy[3] = y;
		xy[4] = x, xy[5] = y + r * 1.3, xy[6] = x - r, xy[7] = y;
		n = 4;
		break;
	}
	it = rl_dl_poly(dl, RL_DC_TAG, xy, n, ring ? 1.5 : 1, rgb,
			RL_DLF_CLOSED | (ring ? 0 : RL_DLF_FILL));
	if (it)
		it->title = title;
}

/* Colour, dash and marker of series @i: ten colours, then dashes and marker shapes. */
static void plot_style(size_t i, uint32_t *rgb, int *dashed, int *marker)
{
	size_t k = i / PLOT_NCOLORS;

	*rgb = plot_colors[i % PLOT_NCOLORS];
	*marker = k ? (int)(1 + (k - 1) % 4) : 0;
	*dashed = k ? (int)(((k - 1) / 4 + k) & 1) : 0;
}

/* Markers along a drawn curve, about every PLOT_MARK_GAP device units. */
static void plot_curve_markers(struct plot *p, const double *xy, size_t n, int shape, uint32_t rgb)
{
	double run = PLOT_MARK_GAP / 2;
	size_t i;

	for (i = 1; i < n; i++) {
		run += fabs(xy[2 * i] - xy[2 * i - 2]) + fabs(xy[2 * i + 1] - xy[2 * i - 1]);
		if (run >= PLOT_MARK_GAP) {
			plot_marker(p->dl, shape, xy[2 * i], xy[2 * i + 1], PLOT_MARK_R, rgb, 0);
			run = 0;
		}
	}
}

/* CCDF: p99 and p99.9 guide lines and each series' crossing, and its max. */
static void plot_ccdf_guides(struct plot *p)
{
	static const double ys[2] = {0.01, 0.001};
	static const char *const nm[2] = {"p99", "p99.9"};
	int k;

	for (k = 0; k < 2; k++) {
		double y = plot_Y(p, ys[k]);
		struct rl_dl_item *it;

		if (log10(ys[k]) < p->ylmin)
			continue;
		it = rl_dl_line(p->dl, RL_DC_TAG, p->px0, y, p->px1, y, PLOT_AXIS_WIDTH,
				PLOT_GUIDE_COLOR);
		if (it)
			it->flags |= RL_DLF_DASHED;
		rl_dl_text(p->dl, RL_DC_TAG, p->px1 - 3, y - 3, PLOT_TICK_SIZE,
			   RL_HA_RIGHT | RL_VA_BASELINE, PLOT_GUIDE_TEXT, nm[k]);
	}
}

static void plot_ccdf_marks(struct plot *p, const struct pser *ps, const char *label, uint32_t rgb)
{
	static const double qs[2] = {0.99, 0.999};
	static const char *const nm[2] = {"p99", "p99.9"};
	double v;
	int k;

	for (k = 0; k < 2; k++) {
		if (log10(1 - qs[k]) < p->ylmin || pser_quantile(ps, qs[k], &v))
			continue;
		plot_marker(p->dl, 6, plot_X(p, plot_xv(p, v)), plot_Y(p, 1 - qs[k]),
			    PLOT_MARK_R + 1, rgb, rl_dl_strf(p->dl, "%s: %s %g", label, nm[k], v));
	}
	plot_marker(p->dl, 5, plot_X(p, plot_xv(p, ps->vmax)), plot_Y(p, 1.0 / (double)ps->N),
		    PLOT_MARK_R, rgb, rl_dl_strf(p->dl, "%s: max %g", label, ps->vmax));
}

/* Histogram bin of value @v: bins of width @bw from @x0 (in axis units), clamped. */
static size_t plot_bin(const struct plot *p, double v, double x0, double bw, size_t nb)
{
	double f = (plot_xv(p, v) - x0) / bw;

	return f >= (double)nb ? nb - 1 : f > 0 ? (size_t)f : 0;
}

/* OSADL's latency histogram of one series: a step outline over fixed-width bins. */
static int plot_lathist(struct plot *p, const struct pser *ps, const uint64_t *cnt, size_t nb,
			double x0, double bw, uint32_t rgb, int dashed, uint32_t title, int markers)
{
	double *xy = malloc((2 * nb + 2) * 2 * sizeof(*xy));
	struct rl_dl_item *it;
	size_t n = 0, b;

	if (!xy)
		return -RL_E_NOMEM;
	xy[2 * n] = plot_X(p, x0);
	xy[2 * n++ + 1] = plot_Y(p, 0);
	for (b = 0; b < nb; b++) {
		double y = plot_Y(p, (double)cnt[b]);

		xy[2 * n] = plot_X(p, x0 + b * bw);
		xy[2 * n++ + 1] = y;
		xy[2 * n] = plot_X(p, x0 + (b + 1) * bw);
		xy[2 * n++ + 1] = y;
	}
	xy[2 * n] = plot_X(p, x0 + nb * bw);
	xy[2 * n++ + 1] = plot_Y(p, 0);
	it = rl_dl_poly(p->dl, RL_DC_CURVE, xy, (uint32_t)n, PLOT_CURVE_WIDTH, rgb,
			dashed ? RL_DLF_DASHED : 0);
	if (it) {
		it->title = title;
		it->count = (uint32_t)(ps->N > UINT32_MAX ? UINT32_MAX : ps->N);
	}
	free(xy);
	if (markers && ps->N) {
		double xm = plot_xv(p, ps->vmax), x = plot_X(p, xm > p->xmax ? p->xmax : xm);

		it = rl_dl_line(p->dl, RL_DC_TAG, x, p->py0, x, p->py1, PLOT_AXIS_WIDTH, rgb);
		if (it) {
			it->flags |= RL_DLF_DASHED;
			it->title = rl_dl_strf(p->dl, "max %g%s", ps->vmax,
					       xm > p->xmax ? " (beyond the axis)" : "");
		}
		plot_marker(p->dl, 5, x, p->py0, PLOT_MARK_R, rgb, it ? it->title : 0);
	}
	return 0;
}

static int plot_sepc(char c)
{
	return c == ' ' || c == '_' || c == '/' || c == ':' || c == '=' || c == ',' || c == ';' ||
	       c == '-' || c == '.';
}

/**
 * rl_plot_legend_common() - the common prefix and suffix of legend labels
 * @labels: the labels
 * @n:      how many (fewer than 2: nothing in common)
 * @pre:    bytes of the common prefix, ending just after a separator
 *          (space _ / : = , ; - .)
 * @suf:    bytes of the common suffix, starting at a separator
 *
 * Every label keeps at least one byte between them; less than
 * PLOT_COMMON_MIN bytes in common are left in the labels.
 *
 * Return: 1 if anything is common, else 0.
 */
int rl_plot_legend_common(const char *const *labels, size_t n, size_t *pre, size_t *suf)
{
	size_t i, p = 0, s = 0, minlen = SIZE_MAX;

	*pre = *suf = 0;
	if (n < 2)
		return 0;
	for (i = 0; i < n; i++)
		if (strlen(labels[i]) < minlen)
			minlen = strlen(labels[i]);
	while (p < minlen) {
		for (i = 1; i < n && labels[i][p] == labels[0][p]; i++)
			;
		if (i < n)
			break;
		p++;
	}
	while (p > 0 && !plot_sepc(labels[0][p - 1]))
		p--;
	while (s < minlen - p) {
		char c = labels[0][strlen(labels[0]) - 1 - s];

		for (i = 1; i < n && labels[i][strlen(labels[i]) - 1 - s] == c; i++)
			;
		if (i < n)
			break;
		s++;
	}
	while (s > 0 && !plot_sepc(labels[0][strlen(labels[0]) - s]))
		s--;
	/* keep a byte of every label */
	while (p + s >= minlen && s)
		s--;
	while (p + s >= minlen && p)
		p--;
	while (p > 0 && !plot_sepc(labels[0][p - 1]))
		p--;
	if (p + s < PLOT_COMMON_MIN)
		return 0; /* too little to be worth a heading */
	*pre = p;
	*suf = s;
	return 1;
}

/* Legend text broken into lines of at most @max bytes, at spaces or separators. */
static int plot_legend_text(struct rl_dl *dl, double x, double y, const char *text, size_t max)
{
	size_t len = strlen(text), at = 0;
	int lines = 0;
	char buf[1024];

	while (at < len) {
		size_t take = len - at, k;

		if (take > max) {
			/* break after a space, else after a separator, else anywhere */
			take = max;
			for (k = max; k > max / 3 && text[at + k - 1] != ' '; k--)
				;
			if (k > max / 3)
				take = k;
			else
				for (k = max; k > max / 2; k--)
					if (plot_sepc(text[at + k - 1])) {
						take = k;
						break;
					}
		}
		if (take >= sizeof(buf))
			take = sizeof(buf) - 1;
		memcpy(buf, text + at, take);
		buf[take] = 0;
		for (k = take; k > 0 && buf[k - 1] == ' '; k--)
			buf[k - 1] = 0;
		rl_dl_text(dl, RL_DC_LEGEND, x, y + lines * PLOT_LEGEND_LINE, PLOT_LEGEND_SIZE,
			   RL_HA_LEFT | RL_VA_MIDDLE, PLOT_TEXT_COLOR, buf);
		lines++;
		at += take;
		while (at < len && text[at] == ' ')
			at++;
	}
	return lines ? lines : 1;
}

/**
 * rl_layout_plot() - lay out a CDF, CCDF or histogram of several series
 * @s:       the series; unweighted samples are reordered (sorted) in place
 * @ns:      number of series
 * @o:       options
 * @dl:      filled with the display list (release it)
 * @dropped: set to the number of samples left out (may be NULL)
 * @err:     error out
 *
 * Return: 0; -RL_E_USAGE when no series has a sample to plot or an option is
 * out of range; -RL_E_NOMEM.
 * (Over 100 lines: the ranges of every kind of plot, then its parts in order.)
 */
int rl_layout_plot(struct rl_plot_series *s, size_t ns, const struct rl_plot_opts *o,
		   struct rl_dl *dl, uint64_t *dropped, struct rl_err *err)
{
	struct plot p = {0};
	struct pser *ps = NULL;
	size_t i, nb = 0, total = 0, pre = 0, suf = 0, wrap;
	uint64_t **cnt = NULL, drop = 0;
	unsigned bins = o->bins ? o->bins : PLOT_DEFAULT_BINS, b;
	double W = o->width > 0 ? o->width : PLOT_W, H = o->height > 0 ? o->height : PLOT_H;
	double x0 = 0, bw = 1, ly, lx, legw, hiv = 0, hio = 0;
	const char **labs = NULL;
	char **ltxt = NULL, *head = NULL;
	size_t longest = 0;
	int r = 0, any = 0, anyo = 0, weighted = 0, lat;

	memset(dl, 0, sizeof(*dl));
	if (bins > PLOT_MAX_BINS || W > RL_PNG_MAX_SIDE || H > RL_PNG_MAX_SIDE ||
	    W < PLOT_LEFT + PLOT_RIGHT + PLOT_LEGEND_W + 50 || H < PLOT_TOP + PLOT_BOTTOM + 50)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "plot size %gx%g or %u bins out of range (at least %gx%g, at "
				  "most %d; bins 1..%d)",
				  W, H, bins, PLOT_LEFT + PLOT_RIGHT + PLOT_LEGEND_W + 50,
				  PLOT_TOP + PLOT_BOTTOM + 50, RL_PNG_MAX_SIDE, PLOT_MAX_BINS);
	if (o->bin_width < 0 || !isfinite(o->bin_width) || (o->bin_width > 0 && o->logx))
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "a bin width must be a positive number, on a linear x axis");
	ps = calloc(ns ? ns : 1, sizeof(*ps));
	cnt = calloc(ns ? ns : 1, sizeof(*cnt));
	labs = calloc(ns ? ns : 1, sizeof(*labs));
	ltxt = calloc(ns ? ns : 1, sizeof(*ltxt));
	if (!ps || !cnt || !labs || !ltxt)
		goto nomem;
	p.dl = dl;
	p.o = o;
	p.logx = o->logx;
	for (i = 0; i < ns; i++) {
		double lo, hi;

		labs[i] = s[i].label;
		r = pser_build(&ps[i], &s[i], o->logx, &drop);
		if (r == -RL_E_NOMEM)
			goto nomem;
		if (r < 0) {
			r = rl_err_set(err, r, NULL, RL_OFF_NONE,
				       "series '%s': histogram values not in ascending order",
				       s[i].label);
			goto out;
		}
		weighted |= ps[i].weighted;
		total += ps[i].N;
		if (!ps[i].N)
			continue;
		lo = plot_xv(&p, ps[i].x[0]);
		hi = plot_xv(&p, ps[i].x[ps[i].nd - 1]);
		if (!any || hi > hiv)
			hiv = hi;
		if (ps[i].over && o->kind == RL_PLOT_HIST && (!anyo || ps[i].over_lo > hio))
			hio = ps[i].over_lo, anyo = 1;
		if (ps[i].over)
			hi = plot_xv(&p, o->kind == RL_PLOT_HIST ? ps[i].over_lo : ps[i].vmax);
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
	/* OSADL's histogram: fixed-width bins (histogram inputs: 1 unit), log counts */
	lat = o->kind == RL_PLOT_HIST && (o->logy || o->bin_width > 0 || weighted);
	if (lat && (o->bin_width > 0 || (weighted && !o->logx))) {
		bw = o->bin_width > 0 ? o->bin_width : 1;
		x0 = floor(p.xmin / bw) * bw;
		if (x0 > 0 && x0 < 0.2 * p.xmax)
			x0 = 0; /* latencies: the axis from 0, as OSADL's */
		if (!isfinite((p.xmax - x0) / bw) || (p.xmax - x0) / bw >= PLOT_MAX_BINS) {
			r = rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				       "bins of %g over %g .. %g are more than %d; give a wider "
				       "--bin-width",
				       bw, p.xmin, p.xmax, PLOT_MAX_BINS);
			goto out;
		}
		/* the last value in a bin, the overflows' bound at the end of one */
		{
			double nbd = floor((hiv - x0) / bw) + 1;

			if (anyo)
				nbd = fmax(nbd, ceil((hio - x0) / bw));
			/* the last value or the overflows' bound may lie beyond xmax: same limit */
			if (!isfinite(nbd) || nbd > PLOT_MAX_BINS) {
				r = rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					       "%.0f bins of %g from %g to the largest value "
					       "or overflow bound are more than %d; give a wider "
					       "--bin-width",
					       nbd, bw, x0, PLOT_MAX_BINS);
				goto out;
			}
			nb = nbd < 1 ? 1 : (size_t)nbd;
		}
		p.xmin = x0;
		p.xmax = x0 + (double)nb * bw;
	} else if (p.logx) {
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
	if (lat && !nb) {
		nb = bins;
		x0 = p.xmin;
		bw = (p.xmax - p.xmin) / bins;
	}
	/* the legend's texts first: their length sets its width */
	if (rl_plot_legend_common(labs, ns, &pre, &suf)) {
		const char *l0 = s[0].label;
		size_t len = strlen(l0);

		if (asprintf(&head, "%s%.*s%s%.*s", pre ? "" : "\u2026 ", (int)pre, l0,
			     pre && suf ? " \u2026 "
			     : pre	? " \u2026"
					: "",
			     (int)suf, l0 + len - suf) < 0) {
			head = NULL;
			goto nomem;
		}
	}
	for (i = 0; i < ns; i++) {
		const char *lab = s[i].label;
		size_t len = strlen(lab), w;
		char ov[64] = "";

		if (len > pre + suf)
			lab = lab + pre, len -= pre + suf;
		if (ps[i].over)
			snprintf(ov, sizeof(ov), ", %llu >= %g", (unsigned long long)ps[i].over,
				 ps[i].over_lo);
		if ((o->kind == RL_PLOT_CDF || o->kind == RL_PLOT_HIST) && !ps[i].weighted && !lat)
			r = asprintf(&ltxt[i], "%.*s (n=%llu)", (int)len, lab,
				     (unsigned long long)ps[i].N);
		else
			r = asprintf(&ltxt[i], "%.*s (n=%llu%s, max %g)", (int)len, lab,
				     (unsigned long long)ps[i].N, ov, ps[i].vmax);
		if (r < 0) {
			ltxt[i] = NULL;
			goto nomem;
		}
		w = strlen(ltxt[i]);
		if (w > longest)
			longest = w;
	}
	r = 0;
	legw = 30 + (double)longest * PLOT_LEGEND_SIZE * PLOT_CHAR_W;
	if (legw > W * PLOT_LEGEND_MAX_FRAC)
		legw = W * PLOT_LEGEND_MAX_FRAC;
	if (legw < PLOT_LEGEND_W)
		legw = PLOT_LEGEND_W;
	p.px0 = PLOT_LEFT;
	p.px1 = W - PLOT_RIGHT - legw;
	p.py0 = PLOT_TOP;
	p.py1 = H - PLOT_BOTTOM;
	if (o->kind == RL_PLOT_HIST) {
		uint64_t mx = 0;

		for (i = 0; i < ns; i++) {
			size_t d;

			cnt[i] = calloc(lat ? nb : bins, sizeof(**cnt));
			if (!cnt[i])
				goto nomem;
			for (d = 0; d < ps[i].nd; d++) {
				uint64_t w = ps[i].cum[d] - (d ? ps[i].cum[d - 1] : 0);

				if (lat) {
					cnt[i][plot_bin(&p, ps[i].x[d], x0, bw, nb)] += w;
					continue;
				}
				double f = (plot_xv(&p, ps[i].x[d]) - p.xmin) / (p.xmax - p.xmin);

				b = f >= 1 ? bins - 1 : f > 0 ? (unsigned)(f * bins) : 0;
				cnt[i][b] += w;
			}
			for (d = 0; d < (lat ? nb : bins); d++)
				if (cnt[i][d] > mx)
					mx = cnt[i][d];
		}
		if (o->logy) {
			p.logy = 1;
			p.ylmin = log10(PLOT_LOG_FLOOR);
			p.ylmax = mx > 1 ? ceil(log10((double)mx)) : 1;
		} else {
			p.ymax = plot_nice_step((double)mx, 5);
			p.ymax = ceil((double)mx / p.ymax) * p.ymax;
		}
	} else if (o->kind == RL_PLOT_CCDF) {
		uint64_t nmax = 1;

		for (i = 0; i < ns; i++)
			if (ps[i].N > nmax)
				nmax = ps[i].N;
		p.logy = 1;
		p.ylmax = 0;
		p.ylmin = floor(log10(0.5 / (double)nmax));
	} else {
		p.ymax = 1;
	}
	rl_dl_init(dl, W, H);
	rl_dl_rect(dl, RL_DC_BG, 0, 0, W, H, PLOT_BG);
	plot_xaxis(&p);
	plot_yaxis(&p);
	if (o->kind == RL_PLOT_CCDF && o->markers)
		plot_ccdf_guides(&p);
	/* the legend: labels without what they all share (as a heading), wrapped */
	lx = p.px1 + 16;
	ly = p.py0 + PLOT_LEGEND_LINE / 2;
	wrap = (size_t)((legw - 30) / (PLOT_LEGEND_SIZE * PLOT_CHAR_W));
	if (head)
		ly += PLOT_LEGEND_LINE *
		      plot_legend_text(dl, lx, ly, head,
				       wrap + (size_t)(26 / (PLOT_LEGEND_SIZE * PLOT_CHAR_W)));
	for (i = 0; i < ns; i++) {
		uint32_t rgb, title;
		struct pser *q = &ps[i];
		const char *lab = s[i].label;
		size_t m = 0;
		int dashed, marker, lines;
		double *xy = NULL, med = 0;
		struct rl_dl_item *it;

		plot_style(i, &rgb, &dashed, &marker);
		/* the sample at rank n/2, as before histograms could be plotted */
		med = q->N && q->N / 2 < q->nin ? pser_nth(q, q->N / 2) : NAN;
		if (!q->N)
			title = rl_dl_strf(dl, "%s: no samples", lab);
		else if (q->over)
			title = rl_dl_strf(dl, "%s: n=%llu, min %g, median %g, max %g, %llu >= %g",
					   lab, (unsigned long long)q->N, q->x[0], med, q->vmax,
					   (unsigned long long)q->over, q->over_lo);
		else
			title = rl_dl_strf(dl, "%s: n=%llu, min %g, median %g, max %g", lab,
					   (unsigned long long)q->N, q->x[0], med, q->vmax);
		if (o->kind == RL_PLOT_HIST && lat)
			r = plot_lathist(&p, q, cnt[i], nb, x0, bw, rgb, dashed, title, o->markers);
		else if (o->kind == RL_PLOT_HIST)
			r = plot_hist(&p, &s[i], (size_t)q->N, rgb, title, cnt[i], bins);
		else
			r = plot_steps(&p, q, rgb, title, o->kind == RL_PLOT_CCDF, dashed, &xy, &m);
		if (r < 0)
			goto nomem;
		if (marker && xy)
			plot_curve_markers(&p, xy, m, marker, rgb);
		free(xy);
		if (o->kind == RL_PLOT_CCDF && o->markers && q->N)
			plot_ccdf_marks(&p, q, lab, rgb);
		it = rl_dl_line(dl, RL_DC_LEGEND, lx, ly, lx + 20, ly, dashed ? 2 : 3, rgb);
		if (it && dashed)
			it->flags |= RL_DLF_DASHED;
		if (marker)
			plot_marker(dl, marker, lx + 10, ly, PLOT_MARK_R, rgb, 0);
		lines = plot_legend_text(dl, lx + 26, ly, ltxt[i], wrap);
		ly += PLOT_LEGEND_LINE * lines;
	}
	/* the frame over the curves' ends */
	rl_dl_line(dl, RL_DC_AXIS, p.px0, p.py1, p.px1, p.py1, PLOT_AXIS_WIDTH, PLOT_AXIS_COLOR);
	rl_dl_line(dl, RL_DC_AXIS, p.px0, p.py0, p.px0, p.py1, PLOT_AXIS_WIDTH, PLOT_AXIS_COLOR);
	rl_dl_text(dl, RL_DC_TITLE, (p.px0 + p.px1) / 2, H - 18, PLOT_LABEL_SIZE,
		   RL_HA_CENTER | RL_VA_BASELINE, PLOT_TEXT_COLOR, o->xlabel ? o->xlabel : "value");
	rl_dl_text(dl, RL_DC_TITLE, p.px0, p.py0 - 10, PLOT_LABEL_SIZE, RL_HA_LEFT | RL_VA_BASELINE,
		   PLOT_TEXT_COLOR,
		   o->ylabel		     ? o->ylabel
		   : o->kind == RL_PLOT_CDF  ? "fraction of samples <= x"
		   : o->kind == RL_PLOT_CCDF ? "fraction of samples > x"
		   : lat && o->logy
			   ? (bw == 1 ? "samples per bin of 1 (log)" : "samples per bin (log)")
		   : o->logy ? "samples (log)"
			     : "samples");
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
	if (ps)
		for (i = 0; i < ns; i++)
			pser_free(&ps[i]);
	if (ltxt)
		for (i = 0; i < ns; i++)
			free(ltxt[i]);
	free(ltxt);
	free(head);
	free(ps);
	free(cnt);
	free(labs);
	return r;
}
