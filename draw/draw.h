/*
 * draw/ - schedule pictures and sample plots.
 *
 * Three stages, each testable alone. A window collector (a sink fed by the
 * merge) keeps only what falls in the requested time window: scheduled
 * intervals, releases, deadlines, completions, suspensions and the jobs
 * they belong to. A layout turns that into a display list: boxes, lines,
 * polylines and text in device units (1 unit = 1 pt in PDF, 1 px in PNG and
 * SVG), with every size and colour a named constant in layout.c. Renderers
 * turn a display list into PNG or PDF (render-cairo.c, the only file that
 * includes cairo.h) or SVG with <title> hover text (render-svg.c). The
 * display list also prints as text, which is what the golden tests compare.
 * Nothing here prints or exits; the caller owns every FILE*.
 */
#ifndef RL_DRAW_H
#define RL_DRAW_H

#include <stdio.h>

#include "../model/model.h"

/* ------------------------------------------------------- display list */

enum rl_dl_kind { RL_DL_RECT, RL_DL_LINE, RL_DL_POLY, RL_DL_TEXT };

/* What an item shows; SVG uses it as the class attribute. */
enum rl_dl_class {
	RL_DC_BG,
	RL_DC_MINOR_TICK,
	RL_DC_MAJOR_TICK,
	RL_DC_TICK_LABEL,
	RL_DC_TASK_LABEL,
	RL_DC_EXEC,
	RL_DC_TAG,
	RL_DC_BASELINE,
	RL_DC_MISS,
	RL_DC_SUSPEND,
	RL_DC_RELEASE,
	RL_DC_DEADLINE,
	RL_DC_COMPLETION,
	RL_DC_JOB_ID,
	RL_DC_BLOCK,
	RL_DC_RESUME,
	RL_DC_LEGEND,
	RL_DC_AXIS,
	RL_DC_CURVE,
	RL_DC_BAR,
	RL_DC_TITLE,
	RL_DC_IDLE, /* CPU view: the CPU's idle task runs */
	RL_DC_NCLASSES
};

/* Text alignment relative to the anchor point (x0, y0). */
#define RL_HA_LEFT 0
#define RL_HA_CENTER 1
#define RL_HA_RIGHT 2
#define RL_VA_BASELINE 0 /* anchor is on the baseline */
#define RL_VA_MIDDLE 4	 /* anchor is half the ink height above the baseline */
#define RL_VA_TOP 8	 /* anchor is the ink height above the baseline */

/* Item flags */
#define RL_DLF_CLOSED 0x01  /* POLY: close the path */
#define RL_DLF_DASHED 0x02  /* LINE/POLY: dashed stroke */
#define RL_DLF_ROUND 0x04   /* LINE/POLY: round joins */
#define RL_DLF_FILL 0x08    /* POLY: filled rather than stroked */
#define RL_DLF_BOLD 0x10    /* TEXT: bold */
#define RL_DLF_OUTLINE 0x20 /* RECT: a thin dark outline around the fill */

/* RECT fill patterns drawn over the fill colour (grayscale and many-CPU palettes) */
enum rl_dl_pattern {
	RL_PAT_NONE,
	RL_PAT_DIAG,	     /* lines rising to the right */
	RL_PAT_BACK,	     /* lines falling to the right */
	RL_PAT_CROSS,	     /* both */
	RL_PAT_HORIZ,	     /* horizontal lines */
	RL_PAT_VERT,	     /* vertical lines */
	RL_PAT_LIGHT = 0x80, /* flag: the pattern's lines are white, not black */
};
#define RL_PAT_KINDS 6 /* RL_PAT_NONE .. RL_PAT_VERT */

/**
 * struct rl_dl_item - one thing to draw, in device units (y grows down)
 * @x0, @y0:  RECT top-left corner, LINE start, TEXT anchor
 * @x1, @y1:  RECT bottom-right corner, LINE end
 * @width:    stroke width (LINE, POLY) or font size (TEXT)
 * @rgb:      colour 0xRRGGBB
 * @str:      TEXT: offset of the text in the list's strings
 * @title:    hover text offset, 0 if none
 * @pts:      POLY: index of the first point in the list's points
 * @npts:     POLY: number of points
 * @count:    EXEC and marks: how many trace items this one stands for
 * @kind:     enum rl_dl_kind
 * @cls:      enum rl_dl_class
 * @align:    TEXT: RL_HA_* | RL_VA_*
 * @flags:    RL_DLF_*
 * @alpha:    opacity 0..255
 * @pattern:  RECT: enum rl_dl_pattern, drawn over the fill
 */
struct rl_dl_item {
	double x0, y0, x1, y1;
	double width;
	uint32_t rgb;
	uint32_t str;
	uint32_t title;
	uint32_t pts, npts;
	uint32_t count;
	uint8_t kind, cls, align, flags;
	uint8_t alpha;
	uint8_t pattern;
};

/**
 * struct rl_dl - a display list: a canvas size and items in drawing order
 *
 * Building functions never fail loudly: an allocation failure sets the
 * sticky @nomem, checked once by the caller (rl_dl_check()).
 */
struct rl_dl {
	double w, h;
	struct rl_dl_item *items;
	uint32_t n, cap;
	double *pts; /* x, y pairs */
	uint32_t npts, cap_pts;
	char *strs;
	uint32_t nstrs, cap_strs;
	int nomem;
};

void rl_dl_init(struct rl_dl *dl, double w, double h);
void rl_dl_release(struct rl_dl *dl);
int rl_dl_check(const struct rl_dl *dl, struct rl_err *err);
const char *rl_dl_str(const struct rl_dl *dl, uint32_t off);
uint32_t rl_dl_strf(struct rl_dl *dl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct rl_dl_item *rl_dl_rect(struct rl_dl *dl, int cls, double x0, double y0, double x1, double y1,
			      uint32_t rgb);
struct rl_dl_item *rl_dl_line(struct rl_dl *dl, int cls, double x0, double y0, double x1, double y1,
			      double width, uint32_t rgb);
struct rl_dl_item *rl_dl_poly(struct rl_dl *dl, int cls, const double *xy, uint32_t npts,
			      double width, uint32_t rgb, int flags);
struct rl_dl_item *rl_dl_text(struct rl_dl *dl, int cls, double x, double y, double size, int align,
			      uint32_t rgb, const char *text);
const char *rl_dl_class_name(int cls);
int rl_dl_write_text(const struct rl_dl *dl, FILE *f, struct rl_err *err);

/* ------------------------------------------------------------ renderers */

enum rl_img_format { RL_IMG_NONE, RL_IMG_PNG, RL_IMG_SVG, RL_IMG_PDF };

/* Return: the format named by @name ("png", "svg", "pdf") or RL_IMG_NONE. */
int rl_img_format_by_name(const char *name);
/* Return: the format from a path's extension, or RL_IMG_NONE. */
int rl_img_format_of_path(const char *path);
/* Largest PNG side cairo can draw, in pixels. */
#define RL_PNG_MAX_SIDE 32767

int rl_render_svg(const struct rl_dl *dl, FILE *f, struct rl_err *err);
int rl_render_cairo(const struct rl_dl *dl, int format, FILE *f, struct rl_err *err);
int rl_render_cairo_scaled(const struct rl_dl *dl, int format, double scale, FILE *f,
			   struct rl_err *err);
int rl_render(const struct rl_dl *dl, int format, FILE *f, struct rl_err *err);
/* The same, a PNG drawn at @scale pixels per device unit (1: 72 dpi); PDF and SVG ignore it. */
int rl_render_scaled(const struct rl_dl *dl, int format, double scale, FILE *f, struct rl_err *err);
void rl_draw_cleanup(void);

/* ------------------------------------------------------- time windows */

/**
 * struct rl_trace_span - what a first pass learns for st-draw's window rules
 * @sys_release:  release time of the first SYS_RELEASE (file order)
 * @earliest:     earliest timed event (> 0)
 * @latest:       latest timed event
 * @has_sys_release, @has_events: whether the above are set
 */
struct rl_trace_span {
	int64_t sys_release, earliest, latest;
	uint32_t sys_release_src;
	uint8_t has_sys_release, has_events;
};

struct rl_span_sink {
	struct rl_sink sink;
	struct rl_trace_span span;
};

void rl_span_sink_init(struct rl_span_sink *s);

/**
 * struct rl_window_opts - st-draw's time options, ms (0 = unset, as st-draw)
 * @relative:   from/until count from the first SYS_RELEASE (or first event)
 * @from_start: without @relative, from/until count from the trace's first
 *              event (rtlens draw, as --from/--to on every command) instead
 *              of the trace timeline's 0 (st-draw); then an explicit 0
 *              (@from_given, @until_given) is the trace's start, not "unset"
 */
struct rl_window_opts {
	double from, until, length, quantum;
	int relative;
	int from_start;
	uint8_t from_given, until_given;
};

/* Return: 1 if the window rules need a first pass over the trace. */
int rl_window_needs_span(const struct rl_window_opts *o);
int rl_window_resolve(const struct rl_window_opts *o, const struct rl_trace_span *sp,
		      int64_t *start, int64_t *end, struct rl_err *err);
/*
 * Where a window's t = 0 lies, as a sentence for the picture: "t = 0 at the
 * system release, 14000 ms after boot" (@boot: the clock counts from boot,
 * as LITMUS^RT's and ftrace's do; else "on the trace clock").
 */
void rl_window_origin_text(char *buf, size_t sz, int64_t start, const struct rl_trace_span *sp,
			   int boot);

/* ------------------------------------------------------ window contents */

/*
 * A scheduled interval; with merging on (rl_schedwin_set_merge()), several
 * short, close intervals of one row are kept as one: t0..t1 spans them,
 * @count says how many, task/cpu/job/longest describe the longest member.
 */
struct rl_win_interval {
	int64_t t0, t1; /* as recorded, not clipped */
	int64_t longest;
	int64_t busy; /* sum of the members' lengths */
	uint32_t task, cpu, job;
	uint32_t count;
};

#define RL_WM_DEADLINE 0xfe /* mark type of a deadline (the others are RL_EV_*) */

/* A mark in the window; @count close marks of one kind and row merged. */
struct rl_win_mark {
	int64_t ts;
	uint32_t task, job, count;
	uint8_t type; /* RL_EV_RELEASE, RL_EV_COMPLETION, RL_EV_BLOCK, RL_EV_RESUME, RL_WM_DEADLINE
		       */
	uint8_t miss; /* deadline of a job that missed it */
};

#define RL_WJ_COMPLETED 0x01 /* completion seen */
#define RL_WJ_MISS 0x02	     /* completed after its deadline, or not done by then */
#define RL_WJ_NO_END 0x04    /* no completion seen before the reading stopped */
#define RL_WJ_INFERRED 0x08  /* release inferred by the job analysis */
#define RL_WJ_END_MARK 0x10  /* rl_schedwin_add_job(): put a completion mark */

/* A job touching the window (all of them, or only misses: see keep_jobs). */
struct rl_win_job {
	int64_t release, deadline, completion; /* completion: or last time known unfinished */
	uint32_t task, job;
	uint32_t flags;
	uint32_t count; /* misses merged into this one */
};

struct rl_win_susp {
	int64_t t0, t1;
	uint32_t task;
};

/* Marks closer than this many merge units (--merge) are drawn as one. */
#define RL_MARK_MERGE 6.0

/**
 * struct rl_schedwin - the events of one time window, collected from a stream
 *
 * Memory grows with what lies in the window and with the number of tasks
 * and CPUs, never with the length of the trace.
 */
struct rl_schedwin {
	int64_t start, end;
	struct rl_win_interval *ivs;
	uint32_t nivs, cap_ivs;
	struct rl_win_mark *marks; /* releases, completions, blocks, resumes in the window */
	uint32_t nmarks, cap_marks;
	struct rl_win_job *jobs; /* jobs with a release, deadline or completion in the window */
	uint32_t njobs, cap_jobs;
	struct rl_win_susp *susps;
	uint32_t nsusps, cap_susps;
	int64_t merge_iv, merge_mark; /* ns; 0: keep every interval / mark apart */
	int by_cpu;		      /* rows are CPUs (no marks or jobs kept) */
	int keep_jobs;		      /* keep every job touching the window, not just misses */
	uint64_t unpaired;	      /* switch-ins without a matching switch-out */
	uint64_t events;	      /* events read */
	int64_t last_ts;	      /* time of the last event read */
	const struct rl_trace *t;     /* optional (set after init): idle tasks (rl_task.idle)
				       * are left out of the task view and, in the CPU view,
				       * never merged with other tasks' intervals */
	rl_progress_fn progress;      /* optional (set after init): rl_schedwin_read() calls it
				       * every 4 Mi events read, as rl_run() does */
	void *progress_arg;
	/* private */
	void *priv_;
};

int rl_schedwin_init(struct rl_schedwin *w, int64_t start, int64_t end, struct rl_err *err);
void rl_schedwin_release(struct rl_schedwin *w);
void rl_schedwin_set_merge(struct rl_schedwin *w, int64_t iv_ns, int64_t mark_ns, int by_cpu,
			   int keep_jobs);
int rl_schedwin_event(struct rl_schedwin *w, const struct rl_event *ev, struct rl_err *err);
int rl_schedwin_done(const struct rl_schedwin *w);
int rl_schedwin_finish(struct rl_schedwin *w, struct rl_err *err);
int rl_schedwin_fill(struct rl_schedwin *w, struct rl_merge *m, struct rl_err *err);
struct rl_select;
struct rl_jobs;
/* The same, the window taking @sel's events (NULL: all), with an analysis @s fed every event. */
int rl_schedwin_read(struct rl_schedwin *w, struct rl_merge *m, struct rl_select *sel,
		     struct rl_sink *s, const struct rl_jobs *jobs, struct rl_err *err);
/*
 * Add a job of the job analysis (stats/jobs.c rows; xentrace RTDS periods):
 * release, completion (RL_WJ_END_MARK) and deadline marks, a miss band
 * (RL_WJ_MISS: a miss whatever the completion says).
 */
int rl_schedwin_add_job(struct rl_schedwin *w, uint32_t task, uint32_t job, int64_t release,
			int64_t deadline, int64_t completion, uint32_t flags, struct rl_err *err);

/* -------------------------------------------------------------- layout */

/**
 * struct rl_draw_opts - what st-draw's options set, and rtlens's additions
 * @xscale:       device units per ms (st-draw -x, 36)
 * @yscale:       device units per row (st-draw -y, 72)
 * @margin:       around the picture (36)
 * @major_ticks:  ms between major ticks, 0 off (10)
 * @minor_ticks:  ms between minor ticks, 0 off (1)
 * @merge:        bars narrower than this many units are merged with close
 *                neighbours on their row (1); 0 keeps every interval apart
 * @show_job_ids: st-draw -j
 * @by_cpu:       one row per CPU, bars coloured by task, with a legend
 * @titles:       hover texts (SVG); off, the display list is much smaller
 * @style:        RL_STYLE_ST_DRAW (st-draw's picture, kept as it was) or
 *                RL_STYLE_PAPER (rtlens draw: the fields below apply)
 * @palette:      RL_PAL_COLOR (Okabe-Ito, colour-blind safe) or RL_PAL_GRAY
 *                (gray levels with hatching, for print)
 * @font_size:    base font size, device units (0: 12)
 * @font_scale:   every font times this (0: 1)
 * @canvas_width: > 0: the whole picture is this wide (sets @xscale)
 * @origin:       the axis note saying where t = 0 is (borrowed; NULL: none)
 */
struct rl_draw_opts {
	double xscale, yscale, margin, major_ticks, minor_ticks, merge;
	int show_job_ids;
	int by_cpu;
	int titles;
	int style;
	int palette;
	double font_size, font_scale, canvas_width;
	const char *origin;
};

enum rl_draw_style { RL_STYLE_ST_DRAW, RL_STYLE_PAPER };
enum rl_draw_palette { RL_PAL_COLOR, RL_PAL_GRAY };

void rl_draw_opts_default(struct rl_draw_opts *o);
/* rtlens draw's look: st-draw's geometry, RL_STYLE_PAPER, the colour palette. */
void rl_draw_opts_paper(struct rl_draw_opts *o);

/**
 * struct rl_swatch - how a CPU (or task) is filled in the paper style
 * @rgb:     fill colour
 * @pattern: enum rl_dl_pattern over it
 */
struct rl_swatch {
	uint32_t rgb;
	uint8_t pattern;
};

/* The paper style's fill for index @i (CPU or task) in @palette (RL_PAL_*). */
struct rl_swatch rl_paper_swatch(int palette, uint32_t i);
/* The paper style's deadline-miss colour in @palette: one no swatch uses. */
uint32_t rl_paper_miss_color(int palette);
/* Luma of a colour as a grayscale print or conversion gives it (Rec. 601), 0..255. */
double rl_luma(uint32_t rgb);

/* Counts of what a layout drew, for tests and verbose output. */
struct rl_layout_stats {
	uint32_t rows, bars, intervals, releases, deadlines, completions, misses, suspensions;
	uint32_t density; /* paper style: merged bars drawn as density bands */
};

int rl_layout_schedule(const struct rl_schedwin *w, const struct rl_trace *t,
		       const struct rl_draw_opts *o, struct rl_dl *dl, struct rl_layout_stats *st,
		       struct rl_err *err);
/* Return: the canvas width a window of @ns would get (for fitting PNGs). */
double rl_layout_width(const struct rl_draw_opts *o, int64_t ns);

/* The st-draw palette: 32 saturated colours, 0xRRGGBB. */
uint32_t rl_palette(uint32_t i);

/* --------------------------------------------------------------- plots */

enum rl_plot_kind { RL_PLOT_CDF, RL_PLOT_HIST, RL_PLOT_CCDF };

/**
 * struct rl_plot_series - one series of samples
 * @label: legend text (borrowed)
 * @v:     samples (sorted in place by the layout); with @w: distinct values
 *         in ascending order
 * @n:     entries in @v
 * @w:     NULL, or the count of each value of @v (a histogram)
 * @over:  samples whose values are unknown but >= @over_lo and <= @vmax (a
 *         histogram's overflows); 0 for none
 * @over_lo, @vmax: see @over; @vmax is the series' known maximum
 */
struct rl_plot_series {
	const char *label;
	double *v;
	size_t n;
	uint64_t *w;
	uint64_t over;
	double over_lo, vmax;
};

/**
 * struct rl_plot_opts - a plot's look
 * @kind:      CDF, histogram, or CCDF (exceedance: fraction of samples > x,
 *             always on a log y axis)
 * @logx:      logarithmic x axis (samples <= 0 are left out and counted)
 * @logy:      histogram: logarithmic count axis (OSADL's latency plot)
 * @markers:   CCDF: p99, p99.9 and max marked on each curve; histogram with
 *             @logy or @bin_width: each series' max marked
 * @bins:      histogram bins (0: 40)
 * @bin_width: histogram bins of this width in x units from a multiple of it
 *             (0: @bins bins over the range)
 * @width, @height: canvas size in device units (0: 800 x 500)
 * @xlabel, @ylabel, @title: text, NULL for defaults
 */
struct rl_plot_opts {
	int kind;
	int logx;
	int logy;
	int markers;
	unsigned bins;
	double bin_width;
	double width, height;
	const char *xlabel, *ylabel, *title;
};

/* Legend labels with their common prefix and suffix (at word boundaries) cut. */
int rl_plot_legend_common(const char *const *labels, size_t n, size_t *pre, size_t *suf);

int rl_layout_plot(struct rl_plot_series *s, size_t ns, const struct rl_plot_opts *o,
		   struct rl_dl *dl, uint64_t *dropped, struct rl_err *err);

/* ------------------------------------------------------------- samples */

/*
 * Samples to plot, read from CSV files (one column; a header optional) or
 * float32 files (ft2csv -r) into series (draw/samples.c). Fill a set with
 * rl_samples_read_csv() / rl_samples_read_f32(), once per file, then hand
 * @s and @n to rl_layout_plot().
 */
struct rl_samples {
	struct rl_plot_series *s; /* in order of creation; labels owned by the set */
	uint32_t n;
	char *xlabel; /* header name of the first column read under a header, or NULL */
	/* private */
	char **labels_;
	size_t *cap_v_;
	uint32_t cap_;
};

/**
 * struct rl_samples_opts - which samples a CSV file gives
 * @column:   column number (1 = first) or header name; NULL: the last
 * @by:       one series per distinct value of this (header) column, NULL: one per file
 * @scale:    every sample is multiplied by it (not response times)
 * @response: `rtlens jobs` CSV: one series per pid of its response times in ms
 * @nfiles:   files read into the set; with more than one, series made per
 *            value or per task are named "LABEL: ..."
 */
struct rl_samples_opts {
	const char *column;
	const char *by;
	double scale;
	int response;
	int nfiles;
};

/* The first rows whose field was not a number. */
#define RL_SAMPLES_KEEP_BAD 3
struct rl_samples_bad {
	uint64_t line, off; /* line number (1 = first) and its byte offset */
	char text[160];	    /* the field (cut to fit) */
};

/**
 * struct rl_samples_stats - what reading one file left out, for the caller to report
 * @rows:         data rows (CSV) or values (float32) read
 * @bad:          rows without a number in the column (too short, or not a number)
 * @empty:        rows whose field is empty
 * @line:         on an error about a line: its number (1 = first), else 0
 * @first_bad:    the first of the @bad rows that are not a number (@nfirst_bad)
 * @trailing:     float32: bytes after the last whole value, at @trailing_off
 */
struct rl_samples_stats {
	uint64_t rows, bad, empty;
	uint64_t line;
	struct rl_samples_bad first_bad[RL_SAMPLES_KEEP_BAD];
	uint32_t nfirst_bad;
	uint64_t trailing, trailing_off;
};

void rl_samples_init(struct rl_samples *ss);
void rl_samples_release(struct rl_samples *ss);
int rl_samples_read_csv(struct rl_samples *ss, const char *path, const char *label,
			const struct rl_samples_opts *o, struct rl_samples_stats *st,
			struct rl_err *err);
int rl_samples_read_f32(struct rl_samples *ss, const char *path, const char *label, double scale,
			struct rl_samples_stats *st, struct rl_err *err);
/* cyclictest results (readers/cyclictest.h): one histogram series per thread, in us. */
int rl_samples_probe_cyclictest(const char *path);
int rl_samples_read_cyclictest(struct rl_samples *ss, const char *path, const char *label,
			       const struct rl_samples_opts *o, struct rl_samples_stats *st,
			       struct rl_err *err);

#endif /* RL_DRAW_H */
