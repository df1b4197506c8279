/*
 * tests/fuzz/fuzz-draw.c - any bytes as a sched_trace file, drawn: the window
 * rules, the collector, both layouts and the SVG and PNG renderers; and the
 * same bytes as plot samples.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../draw/draw.h"
#include "../../readers/readers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rl_merge *fz_open(const uint8_t *data, size_t size, struct rl_trace *t)
{
	struct rl_input in;
	struct rl_read_opts ro = {0};
	struct rl_err err;

	memset(&in, 0, sizeof(in));
	in.path = "fuzz";
	in.buf = data;
	in.len = size;
	rl_err_init(&err);
	return rl_open_merge(&in, 1, &rl_reader_schedtrace, t, &ro, &err);
}

static void fz_draw(const uint8_t *data, size_t size, int by_cpu, FILE *null)
{
	struct rl_trace *t = rl_trace_new();
	struct rl_span_sink ss;
	struct rl_sink *sink = &ss.sink;
	struct rl_window_opts wo = {.length = 1000};
	struct rl_draw_opts o;
	struct rl_schedwin w;
	struct rl_merge *m;
	struct rl_err err;
	struct rl_dl dl;
	int64_t start, end;

	rl_err_init(&err);
	if (!t)
		return;
	m = fz_open(data, size, t);
	if (!m)
		goto out;
	rl_span_sink_init(&ss);
	if (rl_run(m, &sink, 1, NULL, NULL, &err) ||
	    rl_window_resolve(&wo, &ss.span, &start, &end, &err))
		goto out;
	rl_merge_free(m);
	m = fz_open(data, size, t);
	if (!m || rl_schedwin_init(&w, start, end, &err))
		goto out;
	rl_draw_opts_default(&o);
	o.xscale = 0.5; /* a 1000 ms window in 500 units keeps PNGs small */
	o.yscale = 10;
	o.by_cpu = by_cpu;
	o.titles = 1;
	rl_schedwin_set_merge(&w, 2000000, 12000000, by_cpu, 1);
	if (!rl_schedwin_fill(&w, m, &err) && !rl_layout_schedule(&w, t, &o, &dl, NULL, &err)) {
		rl_render(&dl, RL_IMG_SVG, null, &err);
		if (dl.w * dl.h < 4e6)
			rl_render(&dl, RL_IMG_PNG, null, &err);
		rl_dl_write_text(&dl, null, &err);
		rl_dl_release(&dl);
		/* the paper style too, in gray (patterns) and fitted to a width */
		o.style = RL_STYLE_PAPER;
		o.palette = RL_PAL_GRAY;
		o.font_scale = 1;
		o.canvas_width = 600;
		o.origin = "t = 0 at the fuzz";
		if (!rl_layout_schedule(&w, t, &o, &dl, NULL, &err)) {
			rl_render(&dl, RL_IMG_SVG, null, &err);
			if (dl.w * dl.h < 4e6)
				rl_render(&dl, RL_IMG_PNG, null, &err);
			rl_dl_release(&dl);
		}
	}
	rl_schedwin_release(&w);
out:
	rl_merge_free(m);
	rl_trace_free(t);
}

static void fz_plot(const uint8_t *data, size_t size, FILE *null)
{
	double v[512];
	struct rl_plot_series s = {.label = "fuzz", .v = v};
	struct rl_plot_opts o = {.kind = (size & 1) ? RL_PLOT_HIST : RL_PLOT_CDF,
				 .logx = !!(size & 2)};
	struct rl_err err;
	struct rl_dl dl;
	size_t i;

	for (i = 0; i + 8 <= size && s.n < 512; i += 8)
		memcpy(&v[s.n++], data + i, 8);
	rl_err_init(&err);
	if (!rl_layout_plot(&s, 1, &o, &dl, NULL, &err)) {
		rl_render(&dl, RL_IMG_SVG, null, &err);
		rl_dl_release(&dl);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *null = fopen("/dev/null", "w");

	if (!null)
		return 0;
	fz_draw(data, size, 0, null);
	fz_draw(data, size, 1, null);
	fz_plot(data, size, null);
	fclose(null);
	rl_draw_cleanup();
	return 0;
}
