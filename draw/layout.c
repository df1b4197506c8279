/*
 * draw/layout.c - a collected window becomes a display list.
 *
 * The task view is st-draw's picture: one row per task sorted by pid,
 * execution bars in the lower half of the row coloured by CPU, release
 * arrows up, deadline arrows down, completion "T"s, block and resume
 * triangles, a grid of minor and major ticks with "<k>ms" labels. rtlens
 * adds: deadline misses (red deadline arrow and a red band from the deadline
 * to the completion), suspensions (a dashed line from block to resume),
 * hover titles, intervals clipped to the window, and merging of bars and
 * marks narrower than the merge threshold, so that long windows stay
 * readable and bounded (a merged item says how many it stands for).
 * The CPU view has one row per CPU with bars coloured by task and a legend.
 *
 * Xen VCPUs (tasks of kind RL_TASK_VCPU) are named d<dom>v<vcpu>. The task
 * view gives them rows in (domain, vcpu) order, coloured by PCPU as any
 * task; the CPU view colours them by domain, with one legend entry per
 * domain. A CPU's idle task (rl_task.idle: Xen's idle domain) never gets a
 * row or a colour of its own: the CPU view shows its time as a light gray
 * band under the other bars, the task view leaves it out.
 *
 * Geometry and style constants are st-draw's (FTT sched_trace/draw.py).
 */
#include "draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ARROW_LINE_WIDTH 2.0
#define ARROW_WIDTH 12.0     /* the head is ARROW_WIDTH / 2 each side */
#define ARROW_HEIGHT 0.8     /* of a row */
#define ALLOC_HEIGHT 0.5     /* of a row: bars fill the lower half */
#define CPU_ALLOC_HEIGHT 0.7 /* CPU view: no arrows above the bars */
#define MAJOR_TICK_FONT_SIZE 24.0
#define TASK_LABEL_FONT_SIZE 18.0
#define TAG_FONT_SIZE 12.0
#define JOB_ID_FONT_SIZE 10.0
#define LEGEND_FONT_SIZE 12.0
#define GRID_WIDTH 2.0
#define MAJOR_TICK_WIDTH 2.0
#define MINOR_TICK_WIDTH 1.0
#define SUSPEND_WIDTH 1.0
#define XLABEL_MARGIN 72.0  /* below the rows, for tick labels */
#define YLABEL_MARGIN 200.0 /* left of the rows, for task labels */
#define LABEL_GAP 24.0	    /* task labels end this far left of time 0 */
#define MISS_TOP 0.42	    /* of a row: the miss band sits just above the bars */
#define LEGEND_COL_WIDTH 180.0
#define LEGEND_LINE 18.0
#define LEGEND_SWATCH 12.0
#define MIN_MINOR_GAP 3.0 /* minor ticks closer than this are thinned */
#define MAX_TICKS 20000	  /* and so are ticks more numerous than this */
#define MAX_CANVAS 1e8	  /* widest or tallest canvas, device units */
#define GLYPH_WIDTH 0.62  /* of the font size: a generous digit width */
#define LABEL_PAD 12.0	  /* least room between two tick labels */

#define COLOR_BLACK 0x000000u
#define COLOR_WHITE 0xffffffu
#define MAJOR_TICK_COLOR 0xb3b3b3u /* gray 0.7 */
#define MINOR_TICK_COLOR 0xccccccu /* gray 0.8 */
#define GRID_COLOR 0xb3b3b3u
#define MISS_COLOR 0xd00000u
#define SUSPEND_COLOR 0x555555u
#define IDLE_COLOR 0xddddddu /* CPU view: the idle task's band */
#define IDLE_HEIGHT 0.35     /* of a row: the idle band is lower than the bars */

/*
 * The paper style (rtlens draw). Fonts follow one base size (opts font_size
 * x font_scale); the label margin fits the labels, the right margin the last
 * tick label; a legend names the CPUs and the miss mark; misses are a
 * colour no CPU uses plus a cross at the deadline; merged slivers are
 * density bands whose shade is the share of time the row ran.
 */
#define PAPER_FONT 12.0		  /* default base font size */
#define PAPER_TICK_TEXT 0x222222u /* tick labels and axis title */
#define PAPER_NOTE_TEXT 0x444444u
#define PAPER_MAJOR_TICK 0x999999u
#define PAPER_MINOR_TICK 0xe0e0e0u
#define PAPER_MERGED_MARK 0x8c8c8cu /* marks standing for several */
#define PAPER_MISS_TOP 0.30	    /* of a row: the miss band is thicker than st-draw's */
#define PAPER_LABEL_EST 160.0	    /* label margin assumed before the labels are known */
#define PAPER_MIN_ALPHA 0.15	    /* lightest density band */
#define PAPER_GLYPH_WIDTH 0.66	    /* of the font size: wider than any digit of the usual fonts */
#define PAPER_OUTLINE_MIN 2.0	    /* bars at least this wide get an outline */

/* st-draw's 32 CPU colours (FTT draw.py COLORS), as 0xRRGGBB. */
static const float st_colors[32][3] = {
	{0.0000f, 0.1667f, 1.0000f}, {1.0000f, 0.0833f, 0.0000f}, {0.0417f, 1.0000f, 0.0000f},
	{0.9583f, 0.0000f, 1.0000f}, {0.9792f, 1.0000f, 0.0000f}, {0.0000f, 1.0000f, 0.8958f},
	{0.3958f, 0.0000f, 1.0000f}, {1.0000f, 0.0000f, 0.4792f}, {0.6042f, 1.0000f, 0.0000f},
	{0.0000f, 0.7292f, 1.0000f}, {0.0000f, 1.0000f, 0.3333f}, {1.0000f, 0.4583f, 0.0000f},
	{0.0208f, 0.0000f, 1.0000f}, {1.0000f, 0.8333f, 0.0000f}, {0.2083f, 0.0000f, 1.0000f},
	{0.7917f, 1.0000f, 0.0000f}, {0.5833f, 0.0000f, 1.0000f}, {0.4167f, 1.0000f, 0.0000f},
	{0.7708f, 0.0000f, 1.0000f}, {0.2292f, 1.0000f, 0.0000f}, {1.0000f, 0.0000f, 0.8542f},
	{0.0000f, 1.0000f, 0.1458f}, {1.0000f, 0.0000f, 0.6667f}, {0.0000f, 1.0000f, 0.5208f},
	{1.0000f, 0.0000f, 0.2917f}, {0.0000f, 1.0000f, 0.7083f}, {1.0000f, 0.0000f, 0.1042f},
	{0.0000f, 0.9167f, 1.0000f}, {1.0000f, 0.2708f, 0.0000f}, {0.0000f, 0.5417f, 1.0000f},
	{1.0000f, 0.6458f, 0.0000f}, {0.0000f, 0.3542f, 1.0000f},
};

/**
 * rl_palette() - st-draw's colour for CPU (or task) @i
 * @i: index; the palette repeats every 32
 *
 * Return: 0xRRGGBB.
 */
uint32_t rl_palette(uint32_t i)
{
	const float *c = st_colors[i % 32];

	return ((uint32_t)lroundf(c[0] * 255) << 16) | ((uint32_t)lroundf(c[1] * 255) << 8) |
	       (uint32_t)lroundf(c[2] * 255);
}

/* Okabe & Ito (2008), without black (the marks) and vermillion (the misses),
 * ordered so that neighbouring CPUs differ most in lightness. */
static const uint32_t okabe_ito[6] = {0x0072b2u, 0xe69f00u, 0x009e73u,
				      0xf0e442u, 0xcc79a7u, 0x56b4e9u};
#define OKABE_VERMILLION 0xd55e00u
/* Grayscale: four levels at least 45 apart, all far from the misses' black. */
static const uint32_t gray_levels[4] = {0x5a5a5au, 0x919191u, 0xc3c3c3u, 0xf0f0f0u};

/**
 * rl_luma() - lightness of a colour in a grayscale conversion
 * @rgb: 0xRRGGBB
 *
 * Return: Rec. 601 luma, 0.299 R + 0.587 G + 0.114 B, 0..255.
 */
double rl_luma(uint32_t rgb)
{
	return 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
}

/**
 * rl_paper_swatch() - the paper style's fill for a CPU or task
 * @palette: RL_PAL_COLOR or RL_PAL_GRAY
 * @i:       CPU (task view) or colour index (CPU view)
 *
 * Colour: six Okabe-Ito colours, a hatching added for every further six.
 * Gray: four levels times six patterns (none, /, \, x, -, |), distinct for
 * twelve indices. Lines are white on dark fills.
 *
 * Return: the fill.
 */
struct rl_swatch rl_paper_swatch(int palette, uint32_t i)
{
	struct rl_swatch sw;

	if (palette == RL_PAL_GRAY) {
		sw.rgb = gray_levels[i % 4];
		sw.pattern = (uint8_t)(i % RL_PAT_KINDS);
	} else {
		sw.rgb = okabe_ito[i % 6];
		sw.pattern = (uint8_t)((i / 6) % RL_PAT_KINDS);
	}
	if (sw.pattern && rl_luma(sw.rgb) < 110)
		sw.pattern |= RL_PAT_LIGHT;
	return sw;
}

/**
 * rl_paper_miss_color() - the deadline-miss colour of a palette
 * @palette: RL_PAL_COLOR or RL_PAL_GRAY
 *
 * Return: vermillion (colour), black (gray): no CPU's fill.
 */
uint32_t rl_paper_miss_color(int palette)
{
	return palette == RL_PAL_GRAY ? COLOR_BLACK : OKABE_VERMILLION;
}

/**
 * rl_draw_opts_paper() - rtlens draw's defaults
 * @o: filled
 */
void rl_draw_opts_paper(struct rl_draw_opts *o)
{
	rl_draw_opts_default(o);
	o->style = RL_STYLE_PAPER;
	o->palette = RL_PAL_COLOR;
	o->font_scale = 1;
}

/**
 * rl_draw_opts_default() - st-draw's defaults
 * @o: filled
 */
void rl_draw_opts_default(struct rl_draw_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->xscale = 36;
	o->yscale = 72;
	o->margin = 36;
	o->major_ticks = 10;
	o->minor_ticks = 1;
	o->merge = 1;
}

/**
 * rl_layout_width() - canvas width for a window
 * @o:  options (xscale, margin)
 * @ns: window length
 *
 * Return: the width in device units, as st-draw computes it.
 */
double rl_layout_width(const struct rl_draw_opts *o, int64_t ns)
{
	if (o->style == RL_STYLE_PAPER && o->canvas_width > 0)
		return ceil(o->canvas_width);
	if (o->style == RL_STYLE_PAPER)
		return ceil(o->margin * 2 + (double)ns * (o->xscale / 1e6) + PAPER_LABEL_EST);
	return ceil(o->margin * 2 + (double)ns * (o->xscale / 1e6) + YLABEL_MARGIN);
}

struct lay_bar {
	double x0, x1;	/* clipped, device units */
	double longest; /* the longest member's length, ns */
	uint32_t rgb, count;
	uint8_t pattern;
	int64_t busy;	/* members' running time, ns */
	uint32_t first; /* index of its first interval */
	int64_t t0, t1; /* span of its members, ns */
	int open;
};

struct lay_mark {
	double x;
	uint32_t item; /* index of the drawn item that absorbs close neighbours */
	int open;
};

struct lay {
	const struct rl_schedwin *w;
	const struct rl_trace *t;
	const struct rl_draw_opts *o;
	struct rl_dl *dl;
	struct rl_layout_stats *st;
	double ox, oy, X, H, minw;
	uint32_t *row_of; /* task (or cpu) -> row + 1, 0 none */
	uint32_t nrow_of;
	uint32_t *row_task; /* task view: row -> task */
	uint32_t nrows;
	uint32_t *color_of;  /* CPU view: task -> palette index */
	int32_t *legend_dom; /* CPU view, VCPUs: legend entry -> domain */
	int has_idle;	     /* CPU view: some idle time is drawn */
	int vcpus;	     /* the trace's tasks are VCPUs */
	char who[160];	     /* lay_who()'s result */
	struct rl_win_job **jobs_sorted;
	/* style: st-draw's constants, or the paper style's */
	int paper;
	double fs_tick, fs_label, fs_tag, fs_jobid, fs_legend, fs_note;
	double alw, aw, gw; /* arrow line width, arrow half head, baseline width */
	double lm;	    /* label margin: left of time 0 */
	double lgap;	    /* labels end this far left of time 0 */
	double xs;	    /* units per ms */
	uint32_t tick_rgb, miss_rgb;
	uint8_t *cpu_used; /* task view, paper: CPUs with a bar (legend) */
	uint32_t ncpu_used;
	uint32_t nmiss_drawn;
	uint32_t nmarks_merged;
	double tick_div;       /* paper: ms per unit of the tick labels (1, 1000, 60000) */
	const char *tick_unit; /* paper: their unit, in the axis title */
};

static double lay_x(const struct lay *l, int64_t t)
{
	return l->ox + ((double)t - (double)l->w->start) * l->X;
}

static double lay_y(const struct lay *l, double row)
{
	return l->oy + row * l->H;
}

static double lay_ms(const struct lay *l, int64_t t)
{
	return ((double)t - (double)l->w->start) / 1e6;
}

static const char *lay_name(const struct lay *l, uint32_t task)
{
	return task < l->t->ntasks ? rl_trace_task_name(l->t, task) : "";
}

static int lay_pid(const struct lay *l, uint32_t task)
{
	return task < l->t->ntasks ? l->t->tasks[task].pid : -1;
}

static int lay_is_vcpu(const struct lay *l, uint32_t task)
{
	return task < l->t->ntasks && l->t->tasks[task].kind == RL_TASK_VCPU;
}

static int lay_is_idle(const struct lay *l, uint32_t task)
{
	return task < l->t->ntasks && l->t->tasks[task].idle;
}

/* How a task is named in labels and hover texts: "d2v0" or "rtspin/1198" (valid until the next
 * call). */
static const char *lay_who(struct lay *l, uint32_t task)
{
	if (lay_is_vcpu(l, task))
		snprintf(l->who, sizeof(l->who), "%s", lay_name(l, task));
	else
		snprintf(l->who, sizeof(l->who), "%s/%d", lay_name(l, task), lay_pid(l, task));
	return l->who;
}

/* By domain (-1 for processes, so they keep pid order), then pid (vcpu id), then index. */
static int lay_task_cmp(const void *a, const void *b, void *arg)
{
	const struct rl_trace *t = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (t->tasks[x].domain != t->tasks[y].domain)
		return t->tasks[x].domain < t->tasks[y].domain ? -1 : 1;
	if (t->tasks[x].pid != t->tasks[y].pid)
		return t->tasks[x].pid < t->tasks[y].pid ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Task view rows: every task with something drawn in the window, by pid. */
static int lay_task_rows(struct lay *l)
{
	const struct rl_schedwin *w = l->w;
	uint32_t nt = l->t->ntasks, i, n = 0;
	uint8_t *used = calloc(nt ? nt : 1, 1);

	l->row_of = calloc(nt ? nt : 1, sizeof(*l->row_of));
	l->row_task = calloc(nt ? nt : 1, sizeof(*l->row_task));
	l->nrow_of = nt;
	if (!used || !l->row_of || !l->row_task) {
		free(used);
		return -RL_E_NOMEM;
	}
	for (i = 0; i < w->nivs; i++)
		if (w->ivs[i].task < nt)
			used[w->ivs[i].task] = 1;
	for (i = 0; i < w->nmarks; i++)
		if (w->marks[i].task < nt)
			used[w->marks[i].task] = 1;
	for (i = 0; i < w->njobs; i++)
		if (w->jobs[i].task < nt && (w->jobs[i].flags & RL_WJ_MISS))
			used[w->jobs[i].task] = 1;
	for (i = 0; i < w->nsusps; i++)
		if (w->susps[i].task < nt)
			used[w->susps[i].task] = 1;
	for (i = 0; i < nt; i++)
		if (used[i] && !l->t->tasks[i].idle)
			l->row_task[n++] = i;
	free(used);
	qsort_r(l->row_task, n, sizeof(*l->row_task), lay_task_cmp, (void *)l->t);
	for (i = 0; i < n; i++)
		l->row_of[l->row_task[i]] = i + 1;
	l->nrows = n;
	return 0;
}

/*
 * CPU view rows: every CPU of the trace. Colours: processes with bars, by
 * pid; VCPUs by domain. Return: the number of legend entries (row_task
 * lists the processes, legend_dom the domains), or -RL_E_NOMEM.
 */
static int lay_cpu_rows(struct lay *l)
{
	const struct rl_schedwin *w = l->w;
	uint32_t ncpu = l->t->ncpu, nt = l->t->ntasks, i, n = 0, k;
	uint8_t *used;

	for (i = 0; i < w->nivs; i++)
		if (w->ivs[i].cpu + 1 > ncpu)
			ncpu = w->ivs[i].cpu + 1;
	l->row_of = calloc(ncpu ? ncpu : 1, sizeof(*l->row_of));
	l->color_of = calloc(nt ? nt : 1, sizeof(*l->color_of));
	l->row_task = calloc(nt ? nt : 1, sizeof(*l->row_task));
	used = calloc(nt ? nt : 1, 1);
	if (!l->row_of || !l->color_of || !l->row_task || !used) {
		free(used);
		return -RL_E_NOMEM;
	}
	l->nrow_of = ncpu;
	for (i = 0; i < ncpu; i++)
		l->row_of[i] = i + 1;
	l->nrows = ncpu;
	for (i = 0; i < w->nivs; i++) {
		if (w->ivs[i].task >= nt)
			continue;
		if (l->t->tasks[w->ivs[i].task].idle)
			l->has_idle = 1;
		else
			used[w->ivs[i].task] = 1;
	}
	for (i = 0; i < nt; i++)
		if (used[i])
			l->row_task[n++] = i;
	free(used);
	qsort_r(l->row_task, n, sizeof(*l->row_task), lay_task_cmp, (void *)l->t);
	if (!l->vcpus) {
		for (i = 0; i < n; i++)
			l->color_of[l->row_task[i]] = i;
		/* row_task now lists the legend's tasks; n of them */
		return (int)n;
	}
	/* VCPUs: one colour per domain, domains in order (row_task is sorted by domain) */
	l->legend_dom = calloc(n ? n : 1, sizeof(*l->legend_dom));
	if (!l->legend_dom)
		return -RL_E_NOMEM;
	for (i = 0, k = 0; i < n; i++) {
		int32_t dom = l->t->tasks[l->row_task[i]].domain;

		if (!k || l->legend_dom[k - 1] != dom)
			l->legend_dom[k++] = dom;
		l->color_of[l->row_task[i]] = k - 1;
	}
	return (int)k;
}

/* Paper style: the unit of tick labels @step ms apart: ms below 1 s, s below 1 min, then min. */
static double lay_tick_div(double step, const char **unit)
{
	if (step >= 60000 - 1e-6) {
		*unit = "min";
		return 60000;
	}
	if (step >= 1000 - 1e-6) {
		*unit = "s";
		return 1000;
	}
	*unit = "ms";
	return 1;
}

static void lay_fmt_tick(const struct lay *l, char *buf, size_t sz, double ms, double step)
{
	const char *unit;
	double div;
	int dec = 0;

	if (!l->paper) {
		snprintf(buf, sz, "%lldms", (long long)ms);
		return;
	}
	/* the paper style: numbers under an axis title, as many decimals as the step needs */
	div = lay_tick_div(step, &unit);
	ms /= div;
	step /= div;
	while (dec < 6 && fabs(step * pow(10, dec) - nearbyint(step * pow(10, dec))) > 1e-6)
		dec++;
	snprintf(buf, sz, "%.*f", dec, ms);
}

/*
 * Paper style: the next coarser major step after @step ms once 1-2-5 in ms
 * reaches a second: 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30, 60 min,
 * then 1-2-5 hours, so that an hour-long window is labelled in minutes.
 */
static double lay_next_step(double step)
{
	static const double ladder[] = {1000,	2000,	5000,	10000,	15000,	 30000,	 60000,
					120000, 300000, 600000, 900000, 1800000, 3600000};
	double h, e, m;
	size_t i;

	for (i = 0; i < sizeof(ladder) / sizeof(ladder[0]); i++)
		if (ladder[i] > step + 1e-6)
			return ladder[i];
	h = step / 3600000;
	e = pow(10, floor(log10(h) + 1e-9));
	m = h / e;
	return (m < 1.5 ? 2 : m < 3.5 ? 5 : 10) * e * 3600000;
}

/* Width of @n characters of text at font size @fs, generously (DejaVu Sans digits: 0.636). */
static double lay_textw(size_t n, double fs)
{
	return (double)n * fs * PAPER_GLYPH_WIDTH;
}

static void lay_grid(struct lay *l)
{
	const struct rl_draw_opts *o = l->o;
	double ybot = lay_y(l, l->nrows), len_ms = ((double)l->w->end - (double)l->w->start) / 1e6;
	double step, k;
	char buf[64];

	if (o->minor_ticks > 0) {
		step = o->minor_ticks;
		while (step * l->xs < MIN_MINOR_GAP || len_ms / step > MAX_TICKS)
			step *= 10;
		for (k = 0; k * step <= len_ms; k++) {
			double x = l->ox + k * step * l->xs;

			rl_dl_line(l->dl, RL_DC_MINOR_TICK, x, ybot, x, l->oy,
				   l->paper ? fmin(MINOR_TICK_WIDTH, l->gw / 2) : MINOR_TICK_WIDTH,
				   l->paper ? PAPER_MINOR_TICK : MINOR_TICK_COLOR);
		}
	}
	if (o->major_ticks > 0) {
		double labw;

		static const double mult[] = {2, 2.5, 2}; /* 1, 2, 5, 10, 20, 50, ... */
		unsigned m = 0;

		step = o->major_ticks;
		/* labels must not overlap: thin 1-2-5 until the widest fits */
		for (;;) {
			lay_fmt_tick(l, buf, sizeof(buf), len_ms, step);
			labw = l->paper ? lay_textw(strlen(buf), l->fs_tick) + l->fs_tick
					: (double)strlen(buf) * MAJOR_TICK_FONT_SIZE * GLYPH_WIDTH +
						  LABEL_PAD;
			if ((step * l->xs >= labw && len_ms / step <= MAX_TICKS) || step >= len_ms)
				break;
			if (l->paper && step * mult[m % 3] > 1000 + 1e-6)
				step = lay_next_step(step);
			else
				step *= mult[m++ % 3];
		}
		if (l->paper)
			l->tick_div = lay_tick_div(step, &l->tick_unit);
		for (k = 0; k * step <= len_ms; k++) {
			double x = l->ox + k * step * l->xs;

			if (l->paper) {
				rl_dl_line(l->dl, RL_DC_MAJOR_TICK, x, ybot + 0.3 * l->fs_tick, x,
					   l->oy, fmin(MAJOR_TICK_WIDTH, l->gw), PAPER_MAJOR_TICK);
				lay_fmt_tick(l, buf, sizeof(buf), k * step, step);
				rl_dl_text(l->dl, RL_DC_TICK_LABEL, x, ybot + 0.5 * l->fs_tick,
					   l->fs_tick, RL_HA_CENTER | RL_VA_TOP, l->tick_rgb, buf);
				continue;
			}
			rl_dl_line(l->dl, RL_DC_MAJOR_TICK, x, lay_y(l, l->nrows + 0.2), x, l->oy,
				   MAJOR_TICK_WIDTH, MAJOR_TICK_COLOR);
			lay_fmt_tick(l, buf, sizeof(buf), k * step, step);
			rl_dl_text(l->dl, RL_DC_TICK_LABEL, x, lay_y(l, l->nrows + 0.3),
				   MAJOR_TICK_FONT_SIZE, RL_HA_CENTER | RL_VA_TOP, MAJOR_TICK_COLOR,
				   buf);
		}
	}
}

static void lay_labels(struct lay *l)
{
	/* st-draw's sizes fit its 72-unit rows; shorter rows get smaller text */
	double fs = l->paper ? l->fs_label : TASK_LABEL_FONT_SIZE * fmin(1.0, l->H / 72.0);
	uint32_t i;
	char buf[160];

	for (i = 0; i < l->nrows; i++) {
		if (l->o->by_cpu) {
			snprintf(buf, sizeof(buf), "%s %u", l->vcpus ? "PCPU" : "CPU", i);
			rl_dl_text(l->dl, RL_DC_TASK_LABEL, l->ox - l->lgap, lay_y(l, i + 0.6), fs,
				   RL_HA_RIGHT | RL_VA_MIDDLE, COLOR_BLACK, buf);
		} else {
			uint32_t task = l->row_task[i];
			const struct rl_task *tk = &l->t->tasks[task];

			rl_dl_text(l->dl, RL_DC_TASK_LABEL, l->ox - l->lgap, lay_y(l, i + 0.25), fs,
				   RL_HA_RIGHT | RL_VA_MIDDLE, COLOR_BLACK, lay_who(l, task));
			/* a VCPU has (budget, period) only as an RTDS server */
			if (tk->kind == RL_TASK_VCPU && !tk->has_param)
				continue;
			snprintf(buf, sizeof(buf), "(%.2fms, %.2fms)",
				 tk->wcet > 0 ? tk->wcet / 1e6 : 0.0,
				 tk->period > 0 ? tk->period / 1e6 : 0.0);
			rl_dl_text(l->dl, RL_DC_TASK_LABEL, l->ox - l->lgap, lay_y(l, i + 0.75), fs,
				   RL_HA_RIGHT | RL_VA_MIDDLE, COLOR_BLACK, buf);
		}
	}
}

struct lay_ivref {
	int64_t t0;
	uint32_t row, idx;
};

static int lay_ivref_cmp(const void *a, const void *b)
{
	const struct lay_ivref *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->t0 != y->t0)
		return x->t0 < y->t0 ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void lay_flush_bar(struct lay *l, uint32_t row, struct lay_bar *b, int idle)
{
	const struct rl_win_interval *iv;
	double top = lay_y(l, row + 1 -
				      (idle	      ? IDLE_HEIGHT
				       : l->o->by_cpu ? CPU_ALLOC_HEIGHT
						      : ALLOC_HEIGHT));
	double x1 = b->x1;
	struct rl_dl_item *it;
	char buf[64];

	if (!b->open)
		return;
	b->open = 0;
	iv = &l->w->ivs[b->first];
	if (x1 - b->x0 < l->minw)
		x1 = b->x0 + l->minw;
	it = rl_dl_rect(l->dl, idle ? RL_DC_IDLE : RL_DC_EXEC, b->x0, top, x1, lay_y(l, row + 1),
			b->rgb);
	if (!it)
		return;
	it->count = b->count;
	if (l->paper && !idle) {
		double span = (double)b->t1 - (double)b->t0;

		it->pattern = b->pattern;
		/* a merged sliver run wider than the threshold: a density band */
		if (b->count > 1 && x1 - b->x0 >= 2 * l->minw && span > 0) {
			double share = fmin(1.0, (double)b->busy / span);

			it->alpha = (uint8_t)lround(255 * fmax(PAPER_MIN_ALPHA, share));
			l->st->density++;
		} else if (x1 - b->x0 >= PAPER_OUTLINE_MIN) {
			it->flags |= RL_DLF_OUTLINE;
		}
	}
	if (idle) {
		if (l->o->titles)
			it->title = rl_dl_strf(l->dl, "idle: %.6f ms to %.6f ms", lay_ms(l, b->t0),
					       lay_ms(l, b->t1));
		return;
	}
	l->st->bars++;
	l->st->intervals += b->count;
	if (l->o->titles && b->count == 1 && lay_is_vcpu(l, iv->task))
		it->title = rl_dl_strf(l->dl, "%s on PCPU %u: %.6f ms to %.6f ms (%.6f ms)",
				       lay_who(l, iv->task), iv->cpu, lay_ms(l, iv->t0),
				       lay_ms(l, iv->t1), ((double)iv->t1 - (double)iv->t0) / 1e6);
	else if (l->o->titles && b->count == 1)
		it->title = rl_dl_strf(l->dl, "%s job %u on CPU %u: %.6f ms to %.6f ms (%.6f ms)",
				       lay_who(l, iv->task), iv->job, iv->cpu, lay_ms(l, iv->t0),
				       lay_ms(l, iv->t1), ((double)iv->t1 - (double)iv->t0) / 1e6);
	else if (l->o->titles)
		it->title = rl_dl_strf(l->dl,
				       "%u intervals merged (narrower than %.2g units): %.6f ms to "
				       "%.6f ms",
				       b->count, l->o->merge, lay_ms(l, b->t0), lay_ms(l, b->t1));
	/* the tag: CPU number (task view), pid or VCPU name (CPU view), if it fits */
	if (l->o->by_cpu && lay_is_vcpu(l, iv->task))
		snprintf(buf, sizeof(buf), "%s", lay_name(l, iv->task));
	else if (l->o->by_cpu)
		snprintf(buf, sizeof(buf), "%d", lay_pid(l, iv->task));
	else
		snprintf(buf, sizeof(buf), "%u", iv->cpu);
	if (l->paper) {
		/* on a hatched fill a tag is hard to read: the legend says which CPU it is */
		if (b->count == 1 && !b->pattern &&
		    x1 - b->x0 >= lay_textw(strlen(buf), l->fs_tag) + 4 &&
		    lay_y(l, row + 1) - top >= l->fs_tag + 2)
			rl_dl_text(l->dl, RL_DC_TAG, b->x0 + 2, top + 1, l->fs_tag,
				   RL_HA_LEFT | RL_VA_TOP,
				   rl_luma(b->rgb) < 110 ? COLOR_WHITE : COLOR_BLACK, buf);
		return;
	}
	if (b->count == 1 && x1 - b->x0 >= (double)strlen(buf) * TAG_FONT_SIZE * GLYPH_WIDTH + 4)
		rl_dl_text(l->dl, RL_DC_TAG, b->x0 + 2, top + 2, TAG_FONT_SIZE,
			   RL_HA_LEFT | RL_VA_TOP, COLOR_BLACK, buf);
}

/* The bars of the window; @idle: only the idle task's (CPU view), else all others. */
static int lay_bars(struct lay *l, int idle)
{
	const struct rl_schedwin *w = l->w;
	struct lay_ivref *refs = NULL;
	struct lay_bar b = {0};
	uint32_t i, n = 0, row = 0;
	double xs = lay_x(l, w->start), xe = lay_x(l, w->end);

	refs = malloc((w->nivs ? w->nivs : 1) * sizeof(*refs));
	if (!refs)
		return -RL_E_NOMEM;
	for (i = 0; i < w->nivs; i++) {
		uint32_t key = l->o->by_cpu ? w->ivs[i].cpu : w->ivs[i].task;

		if (key >= l->nrow_of || !l->row_of[key] || lay_is_idle(l, w->ivs[i].task) != idle)
			continue;
		refs[n].row = l->row_of[key] - 1;
		refs[n].t0 = w->ivs[i].t0;
		refs[n].idx = i;
		n++;
	}
	qsort(refs, n, sizeof(*refs), lay_ivref_cmp);
	for (i = 0; i < n; i++) {
		const struct rl_win_interval *iv = &w->ivs[refs[i].idx];
		double x0 = fmax(lay_x(l, iv->t0), xs), x1 = fmin(lay_x(l, iv->t1), xe);
		double len = (double)iv->longest;
		uint32_t ci = l->o->by_cpu ? (iv->task < l->t->ntasks ? l->color_of[iv->task] : 0)
					   : iv->cpu;
		uint32_t rgb = idle ? IDLE_COLOR : rl_palette(ci);
		struct rl_swatch sw = {rgb, 0};

		if (l->paper && !idle) {
			sw = rl_paper_swatch(l->o->palette, ci);
			rgb = sw.rgb;
			if (!l->o->by_cpu && ci < l->ncpu_used)
				l->cpu_used[ci] = 1;
		}

		if (b.open && (refs[i].row != row || x0 - b.x1 >= l->o->merge ||
			       (b.x1 - b.x0 >= l->o->merge && x1 - x0 >= l->o->merge) ||
			       b.count + iv->count < b.count))
			lay_flush_bar(l, row, &b, idle);
		if (!b.open) {
			b.open = 1;
			b.x0 = x0;
			b.x1 = x1;
			b.rgb = rgb;
			b.pattern = sw.pattern;
			b.busy = iv->busy;
			b.longest = len;
			b.count = iv->count;
			b.first = refs[i].idx;
			b.t0 = iv->t0;
			b.t1 = iv->t1;
			row = refs[i].row;
			continue;
		}
		/* merge: the colour of the longest member wins */
		b.count += iv->count;
		b.busy = b.busy > INT64_MAX - iv->busy ? INT64_MAX : b.busy + iv->busy;
		if (x1 > b.x1)
			b.x1 = x1;
		if (iv->t1 > b.t1)
			b.t1 = iv->t1;
		if (len > b.longest) {
			b.longest = len;
			b.rgb = rgb;
			b.pattern = sw.pattern;
		}
	}
	lay_flush_bar(l, row, &b, idle);
	free(refs);
	return 0;
}

static int lay_job_cmp(const void *a, const void *b)
{
	const struct rl_win_job *x = *(struct rl_win_job *const *)a;
	const struct rl_win_job *y = *(struct rl_win_job *const *)b;

	if (x->task != y->task)
		return x->task < y->task ? -1 : 1;
	if (x->job != y->job)
		return x->job < y->job ? -1 : 1;
	return x->release < y->release ? -1 : x->release > y->release;
}

static const struct rl_win_job *lay_find_job(const struct lay *l, uint32_t task, uint32_t job)
{
	struct rl_win_job key = {.task = task, .job = job, .release = INT64_MIN};
	size_t lo = 0, hi = l->w->njobs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct rl_win_job *k = &key;

		if (lay_job_cmp(&l->jobs_sorted[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->w->njobs && l->jobs_sorted[lo]->task == task && l->jobs_sorted[lo]->job == job)
		return l->jobs_sorted[lo];
	return NULL;
}

static uint32_t lay_job_title(struct lay *l, uint32_t task, uint32_t job, uint32_t count,
			      const char *what)
{
	const struct rl_win_job *j;

	if (!l->o->titles)
		return 0;
	if (count > 1)
		return rl_dl_strf(l->dl, "%s: %u %ss merged (closer than %.2g units), from job %u",
				  lay_who(l, task), count, what, l->o->merge * RL_MARK_MERGE, job);
	j = lay_find_job(l, task, job);
	if (!j)
		return rl_dl_strf(l->dl, "%s job %u: %s", lay_who(l, task), job, what);
	if (j->flags & RL_WJ_COMPLETED)
		return rl_dl_strf(l->dl,
				  "%s job %u: %s; release %.6f ms, deadline %.6f ms, "
				  "completion %.6f ms, response time %.6f ms, lateness %.6f ms%s%s",
				  lay_who(l, task), job, what, lay_ms(l, j->release),
				  lay_ms(l, j->deadline), lay_ms(l, j->completion),
				  ((double)j->completion - (double)j->release) / 1e6,
				  ((double)j->completion - (double)j->deadline) / 1e6,
				  (j->flags & RL_WJ_MISS) ? " (deadline miss)" : "",
				  (j->flags & RL_WJ_INFERRED) ? " (release inferred)" : "");
	return rl_dl_strf(l->dl,
			  "%s job %u: %s; release %.6f ms, deadline %.6f ms, no completion "
			  "seen up to %.6f ms%s%s",
			  lay_who(l, task), job, what, lay_ms(l, j->release),
			  lay_ms(l, j->deadline), lay_ms(l, j->completion),
			  (j->flags & RL_WJ_MISS) ? " (deadline miss)" : "",
			  (j->flags & RL_WJ_INFERRED) ? " (release inferred)" : "");
}

/* Close marks of one kind on one row become one item with a count. */
static int lay_absorb(struct lay *l, struct lay_mark *last, double x, uint32_t count)
{
	if (last->open && fabs(x - last->x) < l->o->merge * RL_MARK_MERGE) {
		l->dl->items[last->item].count += count;
		return 1;
	}
	return 0;
}

static void lay_remember(struct lay *l, struct lay_mark *last, double x, uint32_t count)
{
	last->open = 1;
	last->x = x;
	last->item = l->dl->n - 1;
	l->dl->items[last->item].count = count;
}

static void lay_arrow(struct lay *l, int cls, double x, double ytail, double yhead, uint32_t rgb,
		      uint32_t title)
{
	double w = l->aw, dir = yhead < ytail ? 1 : -1;
	double head[6] = {x - w, yhead + dir * w, x, yhead, x + w, yhead + dir * w};
	struct rl_dl_item *it;

	it = rl_dl_line(l->dl, cls, x, ytail, x, yhead, l->alw, rgb);
	if (it)
		it->title = title;
	it = rl_dl_poly(l->dl, cls, head, 3, l->alw, rgb, RL_DLF_ROUND);
	if (it)
		it->title = title;
}

/* An x-shaped cross centred on (@x, @y), sized to the row. */
static void lay_cross(struct lay *l, double x, double y, uint32_t rgb)
{
	double r = fmin(ARROW_WIDTH / 2, 0.16 * l->H);

	rl_dl_line(l->dl, RL_DC_MISS, x - r, y - r, x + r, y + r, fmax(l->alw, 1.0) * 1.5, rgb);
	rl_dl_line(l->dl, RL_DC_MISS, x - r, y + r, x + r, y - r, fmax(l->alw, 1.0) * 1.5, rgb);
}

/* Deadline misses: a band from the deadline to the completion. */
static void lay_misses(struct lay *l, double xs, double xe)
{
	const struct rl_schedwin *w = l->w;
	uint32_t i;

	for (i = 0; i < w->njobs; i++) {
		const struct rl_win_job *j = &w->jobs[i];
		uint32_t row;
		double x0, x1;
		struct rl_dl_item *it;

		if (!(j->flags & RL_WJ_MISS) || j->task >= l->nrow_of || !l->row_of[j->task])
			continue;
		row = l->row_of[j->task] - 1;
		l->st->misses += j->count;
		x0 = fmax(lay_x(l, j->deadline), xs);
		x1 = fmin(lay_x(l, j->completion), xe);
		if (x1 < x0)
			continue;
		it = rl_dl_rect(l->dl, RL_DC_MISS, x0,
				lay_y(l, row + (l->paper ? PAPER_MISS_TOP : MISS_TOP)),
				fmax(x1, x0 + 1), lay_y(l, row + 1 - ALLOC_HEIGHT), l->miss_rgb);
		if (it) {
			it->count = j->count;
			it->title = lay_job_title(l, j->task, j->job, j->count, "deadline miss");
		}
		l->nmiss_drawn++;
		/* the paper style's shape no CPU uses: a cross at the missed deadline */
		if (l->paper && lay_x(l, j->deadline) >= xs)
			lay_cross(l, lay_x(l, j->deadline),
				  lay_y(l, row + (PAPER_MISS_TOP + 1 - ALLOC_HEIGHT) / 2 - 0.1),
				  l->miss_rgb);
	}
}

/* Suspensions: dashed from block to resume. */
static void lay_susps(struct lay *l, double xs, double xe)
{
	const struct rl_schedwin *w = l->w;
	uint32_t i;

	for (i = 0; i < w->nsusps; i++) {
		const struct rl_win_susp *s = &w->susps[i];
		struct rl_dl_item *it;
		double y;

		if (s->task >= l->nrow_of || !l->row_of[s->task])
			continue;
		y = lay_y(l, l->row_of[s->task] - 1 + 0.75);
		it = rl_dl_line(l->dl, RL_DC_SUSPEND, fmax(lay_x(l, s->t0), xs), y,
				fmin(lay_x(l, s->t1), xe), y, SUSPEND_WIDTH, SUSPEND_COLOR);
		if (it) {
			it->flags |= RL_DLF_DASHED;
			if (l->o->titles)
				it->title = rl_dl_strf(
					l->dl, "%s suspended %.6f ms to %.6f ms (%.6f ms)",
					lay_who(l, s->task), lay_ms(l, s->t0), lay_ms(l, s->t1),
					((double)s->t1 - (double)s->t0) / 1e6);
		}
		l->st->suspensions++;
	}
}

/* A job id beside a release or completion mark at @x on the row whose base is @base. */
static void lay_job_id(struct lay *l, double x, double base, uint32_t job)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u", job);
	rl_dl_text(l->dl, RL_DC_JOB_ID, x + 4, base - ARROW_HEIGHT * l->H - 4, l->fs_jobid,
		   RL_HA_LEFT | RL_VA_BASELINE, COLOR_BLACK, buf);
}

/*
 * One release, deadline, completion, block or resume mark; @lrel, @ldl and
 * @lcomp remember the last drawn mark of each kind per row, so that marks
 * too close to it are absorbed into it.
 */
static void lay_mark(struct lay *l, const struct rl_win_mark *m, struct lay_mark *lrel,
		     struct lay_mark *ldl, struct lay_mark *lcomp)
{
	double A = ARROW_HEIGHT * l->H, aw = l->aw, g1 = l->gw - 1;
	uint32_t row;
	double x, base, ym, y1, y2;
	double tri[6];
	struct rl_dl_item *it;

	if (m->task >= l->nrow_of || !l->row_of[m->task])
		return;
	row = l->row_of[m->task] - 1;
	x = lay_x(l, m->ts);
	base = lay_y(l, row + 1);
	switch (m->type) {
	case RL_WM_DEADLINE:
		/* st-draw draws one per release in the window; here every deadline in it */
		l->st->deadlines += m->count;
		if (lay_absorb(l, &ldl[row], x, m->count))
			break;
		lay_arrow(l, RL_DC_DEADLINE, x, base - A - g1, base - g1,
			  m->miss ? l->miss_rgb : COLOR_BLACK,
			  lay_job_title(l, m->task, m->job, m->count, "deadline"));
		lay_remember(l, &ldl[row], x, m->count);
		break;
	case RL_EV_RELEASE:
		l->st->releases += m->count;
		if (lay_absorb(l, &lrel[row], x, m->count))
			break;
		lay_arrow(l, RL_DC_RELEASE, x, base - g1, base - g1 - A, COLOR_BLACK,
			  lay_job_title(l, m->task, m->job, m->count, "release"));
		lay_remember(l, &lrel[row], x, m->count);
		if (l->o->show_job_ids)
			lay_job_id(l, x, base, m->job);
		break;
	case RL_EV_COMPLETION: {
		double tee[8] = {x,	 base - g1,	x,	base - g1 - A,
				 x - aw, base - g1 - A, x + aw, base - g1 - A};

		l->st->completions += m->count;
		if (lay_absorb(l, &lcomp[row], x, m->count))
			break;
		it = rl_dl_poly(l->dl, RL_DC_COMPLETION, tee, 4, l->alw, COLOR_BLACK, RL_DLF_ROUND);
		if (it)
			it->title = lay_job_title(l, m->task, m->job, m->count, "completion");
		lay_remember(l, &lcomp[row], x, m->count);
		if (l->o->show_job_ids)
			lay_job_id(l, x, base, m->job);
		break;
	}
	case RL_EV_BLOCK:
	case RL_EV_RESUME:
		ym = lay_y(l, row + 0.75);
		y1 = lay_y(l, row + 0.7);
		y2 = lay_y(l, row + 0.8);
		tri[0] = x;
		tri[1] = y1;
		tri[2] = x;
		tri[3] = y2;
		tri[4] = m->type == RL_EV_BLOCK ? x - aw : x + aw;
		tri[5] = ym;
		it = rl_dl_poly(l->dl, m->type == RL_EV_BLOCK ? RL_DC_BLOCK : RL_DC_RESUME, tri, 3,
				1.0, COLOR_BLACK, RL_DLF_CLOSED);
		if (it)
			it->count = m->count;
		if (it && l->o->titles)
			it->title = rl_dl_strf(l->dl, "%s %s at %.6f ms", lay_who(l, m->task),
					       m->type == RL_EV_BLOCK ? "blocks" : "resumes",
					       lay_ms(l, m->ts));
		break;
	default:
		break;
	}
}

static int lay_is_mark(int cls)
{
	return cls == RL_DC_RELEASE || cls == RL_DC_DEADLINE || cls == RL_DC_COMPLETION;
}

/*
 * Paper style: a mark standing for several (closer than the merge distance)
 * is drawn thin and gray (misses keep their colour), so that a long window's
 * merged arrows do not hide its bars.
 */
static void lay_thin_merged_marks(struct lay *l)
{
	struct rl_dl_item *it = l->dl->items;
	uint32_t i;

	for (i = 0; i < l->dl->n; i++) {
		if (it[i].kind != RL_DL_POLY || !lay_is_mark(it[i].cls) || it[i].count <= 1)
			continue;
		l->nmarks_merged++;
		/* an arrow is a stem (the item before) and a head */
		if (i > 0 && it[i - 1].kind == RL_DL_LINE && it[i - 1].cls == it[i].cls) {
			if (it[i - 1].rgb != l->miss_rgb)
				it[i - 1].rgb = PAPER_MERGED_MARK;
			it[i - 1].width = fmin(it[i - 1].width, 0.5);
		}
		if (it[i].rgb != l->miss_rgb)
			it[i].rgb = PAPER_MERGED_MARK;
		it[i].width = fmin(it[i].width, 0.5);
	}
}

static int lay_jobs(struct lay *l)
{
	const struct rl_schedwin *w = l->w;
	double xs = lay_x(l, w->start), xe = lay_x(l, w->end);
	struct lay_mark *lrel, *ldl, *lcomp;
	uint32_t i;

	lrel = calloc(l->nrows + 1, sizeof(*lrel));
	ldl = calloc(l->nrows + 1, sizeof(*ldl));
	lcomp = calloc(l->nrows + 1, sizeof(*lcomp));
	if (!lrel || !ldl || !lcomp) {
		free(lrel);
		free(ldl);
		free(lcomp);
		return -RL_E_NOMEM;
	}
	lay_misses(l, xs, xe);
	lay_susps(l, xs, xe);
	/* baselines */
	for (i = 0; i < l->nrows; i++)
		rl_dl_line(l->dl, RL_DC_BASELINE, xs, lay_y(l, i + 1), xe, lay_y(l, i + 1), l->gw,
			   GRID_COLOR);
	for (i = 0; i < w->nmarks; i++)
		lay_mark(l, &w->marks[i], lrel, ldl, lcomp);
	if (l->paper)
		lay_thin_merged_marks(l);
	free(lrel);
	free(ldl);
	free(lcomp);
	return 0;
}

/* Legend entries: @n tasks or domains (l->legend_dom), then "idle" if drawn. */
static void lay_legend(struct lay *l, uint32_t n, double top, uint32_t cols)
{
	uint32_t i;
	char buf[160];

	for (i = 0; i < n + (uint32_t)l->has_idle; i++) {
		double x = l->ox - YLABEL_MARGIN + (i % cols) * LEGEND_COL_WIDTH;
		double y = top + (i / cols) * LEGEND_LINE;
		struct rl_dl_item *it;
		uint32_t rgb;

		if (i == n) {
			rgb = IDLE_COLOR;
			snprintf(buf, sizeof(buf), "idle");
		} else if (l->legend_dom) {
			rgb = rl_palette(i);
			snprintf(buf, sizeof(buf), "domain %d", l->legend_dom[i]);
		} else {
			rgb = rl_palette(l->color_of[l->row_task[i]]);
			snprintf(buf, sizeof(buf), "%s", lay_who(l, l->row_task[i]));
		}
		it = rl_dl_rect(l->dl, RL_DC_LEGEND, x, y, x + LEGEND_SWATCH, y + LEGEND_SWATCH,
				rgb);
		if (it && l->o->titles)
			it->title = rl_dl_strf(l->dl, "%s", buf);
		rl_dl_text(l->dl, RL_DC_LEGEND, x + LEGEND_SWATCH + 4, y + LEGEND_SWATCH / 2,
			   LEGEND_FONT_SIZE, RL_HA_LEFT | RL_VA_MIDDLE, COLOR_BLACK, buf);
	}
}

/* The fonts, strokes and colours of the style. */
static void lay_style(struct lay *l)
{
	const struct rl_draw_opts *o = l->o;
	double base;

	l->xs = o->xscale;
	if (!l->paper) {
		l->fs_tick = MAJOR_TICK_FONT_SIZE;
		l->fs_tag = TAG_FONT_SIZE;
		l->fs_jobid = JOB_ID_FONT_SIZE;
		l->fs_legend = LEGEND_FONT_SIZE;
		l->alw = ARROW_LINE_WIDTH;
		l->aw = ARROW_WIDTH / 2;
		l->gw = GRID_WIDTH;
		l->lm = YLABEL_MARGIN;
		l->lgap = LABEL_GAP;
		l->tick_rgb = MAJOR_TICK_COLOR;
		l->miss_rgb = MISS_COLOR;
		return;
	}
	base = (o->font_size > 0 ? o->font_size : PAPER_FONT) *
	       (o->font_scale > 0 ? o->font_scale : 1.0);
	l->fs_tick = base;
	l->fs_label = fmin(base, 0.42 * l->H);
	l->fs_tag = fmin(0.75 * base, 0.4 * l->H);
	l->fs_jobid = fmin(0.7 * base, 0.3 * l->H);
	l->fs_legend = base;
	l->fs_note = 0.85 * base;
	l->alw = fmin(ARROW_LINE_WIDTH, fmax(0.5, l->H / 36));
	l->aw = fmin(ARROW_WIDTH / 2, l->H / 6);
	l->gw = fmin(GRID_WIDTH, fmax(0.75, l->H / 36));
	l->lgap = 0.6 * base + l->aw; /* clear of the release arrows' heads at t = 0 */
	l->tick_rgb = PAPER_TICK_TEXT;
	l->miss_rgb = rl_paper_miss_color(o->palette);
}

/* Paper style: the label margin that fits the longest row label. */
static void lay_label_margin(struct lay *l)
{
	size_t most = 0, n;
	uint32_t i;
	char buf[160];

	for (i = 0; i < l->nrows; i++) {
		if (l->o->by_cpu) {
			n = (size_t)snprintf(buf, sizeof(buf), "%s %u", l->vcpus ? "PCPU" : "CPU",
					     i);
		} else {
			const struct rl_task *tk = &l->t->tasks[l->row_task[i]];

			n = strlen(lay_who(l, l->row_task[i]));
			if (n > most)
				most = n;
			if (tk->kind == RL_TASK_VCPU && !tk->has_param)
				continue;
			n = (size_t)snprintf(buf, sizeof(buf), "(%.2fms, %.2fms)",
					     tk->wcet > 0 ? tk->wcet / 1e6 : 0.0,
					     tk->period > 0 ? tk->period / 1e6 : 0.0);
		}
		if (n > most)
			most = n;
	}
	l->lm = lay_textw(most, l->fs_label) + l->lgap;
}

/* Paper style: the right margin fits half the widest tick label (the last one). */
static double lay_right_pad(const struct lay *l, double len_ms)
{
	char buf[64];

	lay_fmt_tick(l, buf, sizeof(buf), len_ms,
		     l->o->major_ticks > 0 ? l->o->major_ticks / 4 : 1);
	return fmax(l->o->margin, lay_textw(strlen(buf), l->fs_tick) / 2 + 4);
}

/* One legend entry at (@x, @y): a swatch (or the miss mark) and its text. */
static void lay_legend_entry(struct lay *l, double x, double y, uint32_t rgb, uint8_t pattern,
			     int miss, const char *text)
{
	double sw = l->fs_legend;
	struct rl_dl_item *it;

	it = rl_dl_rect(l->dl, RL_DC_LEGEND, x, miss ? y + 0.3 * sw : y, x + 1.6 * sw,
			miss ? y + 0.7 * sw : y + sw, rgb);
	if (it && !miss) {
		it->pattern = pattern;
		it->flags |= RL_DLF_OUTLINE;
	}
	/* before the cross is added: adding items may move them */
	if (it && l->o->titles)
		it->title = rl_dl_strf(l->dl, "%s", text);
	if (miss)
		lay_cross(l, x + 0.8 * sw, y + 0.5 * sw, rgb);
	rl_dl_text(l->dl, RL_DC_LEGEND, x + 2.0 * sw, y + sw / 2, l->fs_legend,
		   RL_HA_LEFT | RL_VA_MIDDLE, COLOR_BLACK, text);
}

/* Paper style: the legend in columns from @top. Return: the y under it. */
static double lay_legend_paper(struct lay *l, uint32_t nlegend, double top, double width)
{
	uint32_t n = 0, i, k, cols, most = 0;
	double colw, line = 1.5 * l->fs_legend;
	char buf[160];

	/* entries: (CPU view) tasks or domains, idle; (task view) CPUs used, the miss mark */
	if (l->o->by_cpu) {
		for (i = 0; i < nlegend; i++) {
			if (l->legend_dom)
				k = (uint32_t)snprintf(buf, sizeof(buf), "domain %d",
						       l->legend_dom[i]);
			else
				k = (uint32_t)strlen(lay_who(l, l->row_task[i]));
			most = k > most ? k : most;
		}
		n = nlegend + (uint32_t)l->has_idle;
	} else {
		for (i = 0; i < l->ncpu_used; i++)
			if (l->cpu_used[i])
				n++;
		most = 12;
		n += l->nmiss_drawn ? 1 : 0;
	}
	if (!n)
		return top;
	if (most < 13)
		most = 13; /* "deadline miss" */
	colw = lay_textw(most, l->fs_legend) + 3.5 * l->fs_legend;
	cols = (uint32_t)floor((width - 2 * l->o->margin) / colw);
	if (cols < 1)
		cols = 1;
	for (i = 0, k = 0; i < n; i++) {
		double x = l->o->margin + (i % cols) * colw, y = top + (i / cols) * line;
		struct rl_swatch sw;

		if (l->o->by_cpu && i == nlegend) {
			lay_legend_entry(l, x, y, IDLE_COLOR, 0, 0, "idle");
		} else if (l->o->by_cpu) {
			sw = rl_paper_swatch(l->o->palette,
					     l->legend_dom ? i : l->color_of[l->row_task[i]]);
			if (l->legend_dom)
				snprintf(buf, sizeof(buf), "domain %d", l->legend_dom[i]);
			else
				snprintf(buf, sizeof(buf), "%s", lay_who(l, l->row_task[i]));
			lay_legend_entry(l, x, y, sw.rgb, sw.pattern, 0, buf);
		} else {
			while (k < l->ncpu_used && !l->cpu_used[k])
				k++;
			if (k < l->ncpu_used) {
				sw = rl_paper_swatch(l->o->palette, k);
				snprintf(buf, sizeof(buf), "%s %u", l->vcpus ? "PCPU" : "CPU", k);
				lay_legend_entry(l, x, y, sw.rgb, sw.pattern, 0, buf);
				k++;
			} else {
				lay_legend_entry(l, x, y, l->miss_rgb, 0, 1, "deadline miss");
			}
		}
	}
	return top + ((n + cols - 1) / cols) * line;
}

/*
 * Paper style: a note at (@x, @y), wrapped at spaces to fit @room units.
 * Return: the y under it.
 */
static double lay_note(struct lay *l, double x, double y, double room, const char *text)
{
	size_t n = strlen(text), fit, cut;
	char buf[256];

	while (n) {
		fit = (size_t)fmax(8, floor(room / (l->fs_note * PAPER_GLYPH_WIDTH)));
		cut = n;
		if (n > fit) {
			/* the last space within the fit; none: cut at the fit */
			for (cut = fit; cut > 0 && text[cut] != ' '; cut--)
				;
			if (!cut)
				cut = fit;
		}
		if (cut >= sizeof(buf))
			cut = sizeof(buf) - 1;
		memcpy(buf, text, cut);
		buf[cut] = 0;
		rl_dl_text(l->dl, RL_DC_TITLE, x, y, l->fs_note, RL_HA_LEFT | RL_VA_TOP,
			   PAPER_NOTE_TEXT, buf);
		y += 1.4 * l->fs_note;
		text += cut;
		n -= cut;
		while (*text == ' ') {
			text++;
			n--;
		}
	}
	return y;
}

/* Paper style: axis title, notes and legend under the rows; the canvas ends under them. */
static void lay_bottom(struct lay *l, uint32_t nlegend, double width)
{
	double y = lay_y(l, l->nrows) + 0.5 * l->fs_tick + 1.3 * l->fs_tick;
	double xs = lay_x(l, l->w->start), xe = lay_x(l, l->w->end);
	double h;

	char title[32];

	snprintf(title, sizeof(title), "time (%s)", l->tick_unit ? l->tick_unit : "ms");
	rl_dl_text(l->dl, RL_DC_TITLE, (xs + xe) / 2, y, l->fs_tick, RL_HA_CENTER | RL_VA_TOP,
		   l->tick_rgb, title);
	y += 1.6 * l->fs_tick;
	if (l->o->origin && *l->o->origin)
		y = lay_note(l, l->o->margin, y, width - 2 * l->o->margin, l->o->origin);
	if (l->st->density) {
		char buf[200];

		snprintf(buf, sizeof(buf),
			 "%u density band%s (bars narrower than %.2g unit%s merged): shade = "
			 "share of time run",
			 l->st->density, l->st->density == 1 ? "" : "s", l->o->merge,
			 l->o->merge == 1 ? "" : "s");
		y = lay_note(l, l->o->margin, y, width - 2 * l->o->margin, buf);
	}
	if (l->nmarks_merged) {
		char buf[200];

		snprintf(buf, sizeof(buf),
			 "thin gray marks: %u merged groups of releases, deadlines or completions "
			 "closer than %.2g units",
			 l->nmarks_merged, l->o->merge * RL_MARK_MERGE);
		y = lay_note(l, l->o->margin, y, width - 2 * l->o->margin, buf);
	}
	y = lay_legend_paper(l, nlegend, y + 0.5 * l->fs_legend, width);
	h = ceil(y + l->o->margin);
	if (h > MAX_CANVAS)
		h = MAX_CANVAS;
	l->dl->h = h;
	if (l->dl->n)
		l->dl->items[0].y1 = h; /* the background */
}

/*
 * Paper style: label margin, right margin and x scale (fitted to the
 * canvas width when one is asked for); the CPUs-used table for the legend.
 */
static int lay_paper_geometry(struct lay *l, int64_t len, double *width, struct rl_err *err)
{
	const struct rl_draw_opts *o = l->o;
	double len_ms = (double)len / 1e6, rp, avail;
	uint32_t i, ncpu = l->t->ncpu;

	lay_label_margin(l);
	l->ox = o->margin + l->lm;
	rp = lay_right_pad(l, len_ms);
	if (o->canvas_width > 0) {
		avail = o->canvas_width - l->ox - rp;
		if (!(avail >= 1))
			return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					  "a picture %.0f units wide leaves no room for the window "
					  "beside its labels (%.0f units): give a larger --width",
					  o->canvas_width, l->ox + rp);
		l->xs = avail / len_ms;
		l->X = avail / (double)len;
		*width = ceil(o->canvas_width);
	} else {
		*width = ceil(l->ox + (double)len * l->X + rp);
	}
	if (!o->by_cpu) {
		for (i = 0; i < l->w->nivs; i++)
			if (l->w->ivs[i].cpu + 1 > ncpu)
				ncpu = l->w->ivs[i].cpu + 1;
		l->cpu_used = calloc(ncpu ? ncpu : 1, 1);
		if (!l->cpu_used)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
					  "out of memory laying out the schedule");
		l->ncpu_used = ncpu;
	}
	return 0;
}

/**
 * rl_layout_schedule() - lay out a collected window
 * @w:   the window's contents
 * @t:   the trace (task names and parameters)
 * @o:   options
 * @dl:  filled with the display list (initialised here; release it)
 * @st:  filled with counts of what was drawn (may be NULL)
 * @err: error out
 *
 * Return: 0; -RL_E_USAGE when nothing in the window can be drawn or the
 * scales are unusable; -RL_E_NOMEM.
 * (Over 100 lines: the window and scale checks, then the picture's parts in drawing order, sharing
 * one clean-up.)
 */
int rl_layout_schedule(const struct rl_schedwin *w, const struct rl_trace *t,
		       const struct rl_draw_opts *o, struct rl_dl *dl, struct rl_layout_stats *st,
		       struct rl_err *err)
{
	struct rl_layout_stats dummy;
	struct lay l = {0};
	double width, height, legend_h = 0;
	uint32_t nlegend = 0, cols = 1, i;
	int64_t len;
	int r = 0;

	memset(dl, 0, sizeof(*dl));
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	if (!(o->xscale > 0) || !(o->yscale > 0) || !(o->margin >= 0) || !(o->merge >= 0) ||
	    !(o->major_ticks >= 0) || !(o->minor_ticks >= 0) || o->xscale > 1e9 ||
	    o->yscale > 1e6 || o->margin > 1e6)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "scales must be positive and finite (x %g, y %g, margin %g)",
				  o->xscale, o->yscale, o->margin);
	if (w->end <= w->start)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "empty time window");
	if (__builtin_sub_overflow(w->end, w->start, &len))
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "time window too long");
	l.w = w;
	l.t = t;
	l.o = o;
	l.dl = dl;
	l.st = st;
	l.X = o->xscale / 1e6;
	l.H = o->yscale;
	l.ox = o->margin + YLABEL_MARGIN;
	l.oy = o->margin;
	l.paper = o->style == RL_STYLE_PAPER;
	l.minw = o->merge > 0 ? fmin(o->merge, 1.0) : 0;
	for (i = 0; i < t->ntasks && !l.vcpus; i++)
		l.vcpus = t->tasks[i].kind == RL_TASK_VCPU;
	if (o->by_cpu) {
		r = lay_cpu_rows(&l);
		if (r < 0)
			goto nomem;
		nlegend = (uint32_t)r;
		r = 0;
	} else {
		r = lay_task_rows(&l);
		if (r < 0)
			goto nomem;
	}
	if (!l.nrows || (o->by_cpu && !w->nivs)) {
		r = rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
			       "nothing to draw: no task %s between %.6f ms and %.6f ms",
			       o->by_cpu ? "is scheduled" : "runs, is released or completes",
			       w->start / 1e6, w->end / 1e6);
		goto out;
	}
	lay_style(&l);
	width = rl_layout_width(o, len);
	if (l.paper) {
		r = lay_paper_geometry(&l, len, &width, err);
		if (r < 0)
			goto out;
	}
	if (!(width <= MAX_CANVAS) || !(l.nrows * l.H <= MAX_CANVAS)) {
		r = rl_err_set(
			err, -RL_E_USAGE, NULL, RL_OFF_NONE,
			"the picture would be %.0f units wide and %.0f tall, more than %.0f: "
			"use a smaller -x or -y, or a shorter window",
			width, l.nrows * l.H, MAX_CANVAS);
		goto out;
	}
	if (nlegend + (uint32_t)l.has_idle && !l.paper) {
		cols = (uint32_t)floor((width - 2 * o->margin) / LEGEND_COL_WIDTH);
		if (cols < 1)
			cols = 1;
		legend_h = ceil((double)(nlegend + (uint32_t)l.has_idle) / cols) * LEGEND_LINE +
			   LEGEND_LINE;
	}
	height = ceil(o->margin * 2 + l.nrows * l.H + XLABEL_MARGIN + legend_h);
	if (width > MAX_CANVAS || height > MAX_CANVAS) {
		r = rl_err_set(
			err, -RL_E_USAGE, NULL, RL_OFF_NONE,
			"the picture would be %.0f x %.0f units, more than %.0f: use a smaller "
			"-x or -y, or a shorter window",
			width, height, MAX_CANVAS);
		goto out;
	}
	st->rows = l.nrows;
	rl_dl_init(dl, width, height);
	rl_dl_rect(dl, RL_DC_BG, 0, 0, width, height, COLOR_WHITE);
	lay_grid(&l);
	lay_labels(&l);
	if (l.has_idle && lay_bars(&l, 1) < 0) /* under the others' bars */
		goto nomem;
	r = lay_bars(&l, 0);
	if (r < 0)
		goto nomem;
	if (o->by_cpu) {
		for (i = 0; i < l.nrows; i++)
			rl_dl_line(dl, RL_DC_BASELINE, lay_x(&l, w->start), lay_y(&l, i + 1),
				   lay_x(&l, w->end), lay_y(&l, i + 1), l.gw, GRID_COLOR);
		if (!l.paper)
			lay_legend(&l, nlegend, lay_y(&l, l.nrows) + XLABEL_MARGIN, cols);
	} else {
		l.jobs_sorted = malloc((w->njobs ? w->njobs : 1) * sizeof(*l.jobs_sorted));
		if (!l.jobs_sorted)
			goto nomem;
		for (i = 0; i < w->njobs; i++)
			l.jobs_sorted[i] = &w->jobs[i];
		qsort(l.jobs_sorted, w->njobs, sizeof(*l.jobs_sorted), lay_job_cmp);
		r = lay_jobs(&l);
		if (r < 0)
			goto nomem;
	}
	if (l.paper)
		lay_bottom(&l, nlegend, width);
	r = rl_dl_check(dl, err);
	goto out;
nomem:
	r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
		       "out of memory laying out the schedule");
out:
	if (r < 0)
		rl_dl_release(dl);
	free(l.row_of);
	free(l.row_task);
	free(l.color_of);
	free(l.legend_dom);
	free(l.jobs_sorted);
	free(l.cpu_used);
	return r;
}
