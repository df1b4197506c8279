/*
 * tests/unit-draw.c - draw/: window rules, the window collector, layout
 * (clipping, merging, misses), and the renderers' output (PNG decoded here
 * with zlib, SVG and PDF checked by their structure).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "../draw/draw.h"
#include "../stats/stats.h"
#include "../readers/readers.h"
#include "tap.h"

#define MS 1000000LL

/* ------------------------------------------------------- PNG checking */

struct png_info {
	uint32_t w, h;
	uint64_t nonwhite;  /* pixels that are not white */
	uint64_t saturated; /* pixels with one channel 255 and another < 64 (palette-like) */
	uint64_t dark_left; /* pixels of the left half with every channel < 128 */
	int ok;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Decode an 8-bit RGB, filter-0 PNG as rc_png writes it; check every CRC. */
static void png_decode(const unsigned char *buf, size_t len, struct png_info *pi)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	unsigned char *idat = NULL, *raw = NULL;
	size_t nidat = 0, pos = 8, rawlen, i;
	uLongf got;
	int seen_end = 0;

	memset(pi, 0, sizeof(*pi));
	if (len < 8 || memcmp(buf, sig, 8))
		return;
	while (pos + 12 <= len) {
		uint32_t n = be32(buf + pos);
		const unsigned char *type = buf + pos + 4, *data = buf + pos + 8;

		if (pos + 12 + n > len)
			goto out;
		if (crc32(crc32(0, NULL, 0), type, 4 + n) != be32(data + n))
			goto out;
		if (!memcmp(type, "IHDR", 4)) {
			pi->w = be32(data);
			pi->h = be32(data + 4);
			if (data[8] != 8 || data[9] != 2)
				goto out;
		} else if (!memcmp(type, "IDAT", 4)) {
			idat = realloc(idat, nidat + n);
			memcpy(idat + nidat, data, n);
			nidat += n;
		} else if (!memcmp(type, "IEND", 4)) {
			seen_end = 1;
		}
		pos += 12 + n;
	}
	if (!seen_end || !pi->w || !pi->h)
		goto out;
	rawlen = (size_t)pi->h * (pi->w * 3 + 1);
	raw = malloc(rawlen);
	got = rawlen;
	if (uncompress(raw, &got, idat, nidat) != Z_OK || got != rawlen)
		goto out;
	for (i = 0; i < pi->h; i++) {
		const unsigned char *r = raw + i * (pi->w * 3 + 1);
		uint32_t x;

		if (r[0] != 0)
			goto out;
		for (x = 0; x < pi->w; x++) {
			unsigned R = r[1 + 3 * x], G = r[2 + 3 * x], B = r[3 + 3 * x];
			unsigned mx = R > G ? (R > B ? R : B) : (G > B ? G : B);
			unsigned mn = R < G ? (R < B ? R : B) : (G < B ? G : B);

			if (R != 255 || G != 255 || B != 255)
				pi->nonwhite++;
			if (mx == 255 && mn < 64)
				pi->saturated++;
			if (mx < 128 && x < pi->w / 2)
				pi->dark_left++;
		}
	}
	pi->ok = 1;
out:
	free(idat);
	free(raw);
}

static int render_mem(const struct rl_dl *dl, int fmt, char **buf, size_t *len)
{
	struct rl_err err;
	FILE *f = open_memstream(buf, len);
	int r;

	rl_err_init(&err);
	if (!f)
		return -1;
	r = rl_render(dl, fmt, f, &err);
	fclose(f);
	if (r)
		diag("render: %s", err.msg);
	return r;
}

static size_t count_str(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	const char *p = hay, *end = hay + len;

	while (p < end && (p = memmem(p, (size_t)(end - p), needle, k))) {
		n++;
		p += k;
	}
	return n;
}

/* ------------------------------------------------------- window rules */

static void test_window_rules(void)
{
	struct rl_trace_span sp = {.sys_release = 5000 * MS + 123,
				   .earliest = 4000 * MS,
				   .latest = 9000 * MS,
				   .has_sys_release = 1,
				   .has_events = 1};
	struct rl_trace_span nosys = sp;
	struct rl_window_opts o;
	struct rl_err err;
	int64_t s, e;

	nosys.has_sys_release = 0;
	rl_err_init(&err);

	memset(&o, 0, sizeof(o));
	o.length = 1000;
	ok(rl_window_needs_span(&o), "default window needs the trace");
	ok(!rl_window_resolve(&o, &sp, &s, &e, &err) && s == sp.sys_release &&
		   e == sp.sys_release + 1000 * MS,
	   "default: 1000 ms from the system release");
	ok(!rl_window_resolve(&o, &nosys, &s, &e, &err) && s == 4000 * MS && e == 5000 * MS,
	   "default without SYS_RELEASE: from the earliest event");

	o.from = 6000;
	ok(!rl_window_needs_span(&o), "-f with a length needs no first pass");
	ok(!rl_window_resolve(&o, NULL, &s, &e, &err) && s == 6000 * MS && e == 7000 * MS,
	   "-f is absolute ms without -r");
	o.relative = 1;
	ok(!rl_window_resolve(&o, &sp, &s, &e, &err) && s == sp.sys_release + 6000 * MS,
	   "-r -f is relative to the system release");

	memset(&o, 0, sizeof(o));
	o.until = 7000;
	o.length = 500;
	ok(!rl_window_resolve(&o, &sp, &s, &e, &err) && s == 6500 * MS && e == 7000 * MS,
	   "-u with -l: start = until - length");

	memset(&o, 0, sizeof(o));
	o.length = 1000;
	o.quantum = 3;
	ok(!rl_window_resolve(&o, &sp, &s, &e, &err) && s == 4998 * MS && e == s + 1000 * MS,
	   "-q floors the start to a multiple (5000.000123 ms -> 4998 ms)");

	memset(&o, 0, sizeof(o));
	o.length = 0;
	o.from = 5000;
	ok(!rl_window_resolve(&o, &sp, &s, &e, &err) && s == 5000 * MS && e == sp.latest,
	   "-l 0: to the end of the trace");

	memset(&o, 0, sizeof(o));
	o.from = 0;
	o.length = 10;
	ok(!rl_window_resolve(&o, &sp, &s, &e, &err) && s == sp.sys_release,
	   "-f 0 counts as unset, as in st-draw");

	memset(&o, 0, sizeof(o));
	o.from = 7000;
	o.until = 6000;
	o.length = 1000;
	is_int(rl_window_resolve(&o, &sp, &s, &e, &err), -RL_E_USAGE, "-u before -f is an error");
	ok(strstr(err.msg, "empty time window") != NULL, "the error says the window is empty: %s",
	   err.msg);

	memset(&o, 0, sizeof(o));
	o.length = 1000;
	memset(&nosys, 0, sizeof(nosys));
	is_int(rl_window_resolve(&o, &nosys, &s, &e, &err), -RL_E_USAGE,
	       "a trace without timed events cannot place the default window");
}

/* ------------------------------------------------- synthetic schedule */

/* A job row into the window with the flags rtlens draw gives (cli/cmd-draw.c). */
static int add_row(void *arg, const struct rl_job *j, struct rl_err *err)
{
	int miss = !!(j->flags & (RL_JOB_SERVER_MISS | RL_JOB_OVERDUE));
	int inferred = !!(j->flags & RL_JOB_RELEASE_INFERRED);

	return rl_schedwin_add_job(
		arg, j->task, j->job, j->release, j->deadline, j->completion,
		RL_WJ_END_MARK | (miss ? RL_WJ_MISS : 0) | (inferred ? RL_WJ_INFERRED : 0), err);
}

/* The job analysis whose rows go into window @w (the events ev_put() feeds both). */
static struct rl_jobs *cur_jobs;

static void jobs_for(struct rl_trace *t, struct rl_schedwin *w)
{
	struct rl_job_out o = {.want = RL_JOBS_ROWS, .row_fn = add_row, .row_arg = w};
	struct rl_err err;

	rl_err_init(&err);
	cur_jobs = rl_jobs_new(t, &o, NULL, &err);
}

/* The trace ended: the job analysis' last rows, then the window closes. */
static int win_done(struct rl_schedwin *w, struct rl_err *err)
{
	if (cur_jobs) {
		struct rl_sink *s = rl_jobs_sink(cur_jobs);
		int r = s->finish(s, err);

		rl_jobs_free(cur_jobs);
		cur_jobs = NULL;
		if (r)
			return r;
	}
	return rl_schedwin_finish(w, err);
}

static void ev_put(struct rl_schedwin *w, int type, int64_t ts, uint32_t task, uint32_t cpu,
		   uint32_t job, int64_t arg)
{
	struct rl_event ev;
	struct rl_err err;

	memset(&ev, 0, sizeof(ev));
	ev.type = (uint8_t)type;
	ev.ts = ts;
	ev.task = task;
	ev.task2 = RL_NO_TASK;
	ev.cpu = cpu;
	ev.job = job;
	ev.arg = arg;
	rl_schedwin_event(w, &ev, &err);
	if (cur_jobs) {
		struct rl_sink *s = rl_jobs_sink(cur_jobs);

		s->event(s, &ev, &err);
	}
}

static uint32_t count_class(const struct rl_dl *dl, int cls, uint32_t *sum)
{
	uint32_t i, n = 0;

	if (sum)
		*sum = 0;
	for (i = 0; i < dl->n; i++)
		if (dl->items[i].cls == cls) {
			n++;
			if (sum)
				*sum += dl->items[i].count;
		}
	return n;
}

static void test_synthetic(void)
{
	struct rl_trace *t = rl_trace_new();
	struct rl_schedwin w;
	struct rl_draw_opts o;
	struct rl_layout_stats st;
	struct rl_dl dl;
	struct rl_err err;
	uint32_t a, b, c, i, sum;
	double ox;
	char *buf = NULL;
	size_t len = 0;
	struct png_info pi;
	int r;

	rl_err_init(&err);
	a = rl_trace_task(t, 100);
	b = rl_trace_task(t, 50);
	c = rl_trace_task(t, 70); /* never in the window */
	t->tasks[a].name = rl_strtab_intern(t->strs, "alpha", 5);
	t->tasks[a].wcet = 2 * MS;
	t->tasks[a].period = 10 * MS;
	t->ncpu = 2;

	ok(!rl_schedwin_init(&w, 100 * MS, 200 * MS, &err), "collector starts");
	jobs_for(t, &w);
	/* c runs and completes long before the window */
	ev_put(&w, RL_EV_RELEASE, 10 * MS, c, 0, 1, 20 * MS);
	ev_put(&w, RL_EV_SWITCH_IN, 11 * MS, c, 0, 1, 0);
	ev_put(&w, RL_EV_SWITCH_OUT, 12 * MS, c, 0, 1, 0);
	ev_put(&w, RL_EV_COMPLETION, 12 * MS, c, 0, 1, 0);
	/* a: released before the window, runs across its start, misses in it */
	ev_put(&w, RL_EV_RELEASE, 90 * MS, a, 0, 1, 110 * MS);
	ev_put(&w, RL_EV_SWITCH_IN, 95 * MS, a, 1, 1, 0);
	ev_put(&w, RL_EV_ACTION, 96 * MS, a, 1, 1, 3);
	ev_put(&w, RL_EV_OTHER, 97 * MS, a, 1, 1, 12);
	ev_put(&w, RL_EV_SWITCH_OUT, 105 * MS, a, 1, 1, 0);
	ev_put(&w, RL_EV_BLOCK, 106 * MS, a, 1, 1, 0);
	ev_put(&w, RL_EV_RESUME, 115 * MS, a, 1, 1, 0);
	ev_put(&w, RL_EV_SWITCH_IN, 116 * MS, a, 0, 1, 0);
	ev_put(&w, RL_EV_SWITCH_OUT, 120 * MS, a, 0, 1, 0);
	ev_put(&w, RL_EV_COMPLETION, 120 * MS, a, 0, 1, 0);
	/* b: released in the window, a switch-out without switch-in, runs past the end */
	ev_put(&w, RL_EV_RELEASE, 150 * MS, b, 1, 7, 160 * MS);
	ev_put(&w, RL_EV_SWITCH_OUT, 151 * MS, b, 1, 7, 0);
	ev_put(&w, RL_EV_SWITCH_IN, 190 * MS, b, 1, 7, 0);
	ok(!rl_schedwin_done(&w), "not done before the window's end");
	ev_put(&w, RL_EV_SWITCH_OUT, 230 * MS, b, 1, 7, 0);
	ev_put(&w, RL_EV_COMPLETION, 231 * MS, b, 1, 7, 0);
	ok(rl_schedwin_done(&w), "done once everything begun in the window has ended");
	ok(!win_done(&w, &err), "finish");
	is_int(w.nivs, 3, "three intervals touch the window (c's is outside)");
	is_int(w.unpaired, 1, "one switch-out without its switch-in");
	is_int(w.nsusps, 1, "one suspension");

	rl_draw_opts_default(&o);
	o.titles = 1;
	r = rl_layout_schedule(&w, t, &o, &dl, &st, &err);
	ok(!r, "layout");
	is_int(st.rows, 2, "two rows (c has nothing in the window)");
	is_int(st.intervals, 3, "three intervals drawn");
	is_int(st.misses, 2, "a and b missed their deadlines");
	is_int(st.suspensions, 1, "the suspension is drawn");
	ox = o.margin + 200;
	for (i = 0; i < dl.n; i++) {
		const struct rl_dl_item *it = &dl.items[i];

		if (it->cls == RL_DC_EXEC && (it->x0 < ox - 1e-9 || it->x1 > ox + 100 * 36 + 1e-9))
			break;
	}
	ok(i == dl.n, "every bar is clipped to the window");
	ok(dl.items[1].cls == RL_DC_MINOR_TICK, "the grid comes first, over the background");
	is_int(count_class(&dl, RL_DC_MISS, NULL), 2, "two miss bands");
	/* rows are in pid order: b (50) above a (100) */
	for (i = 0; i < dl.n; i++)
		if (dl.items[i].cls == RL_DC_TASK_LABEL)
			break;
	ok(i < dl.n && !strcmp(rl_dl_str(&dl, dl.items[i].str), "/50"),
	   "first row is pid 50 (no name: empty, as st-draw)");
	ok(i + 1 < dl.n && !strcmp(rl_dl_str(&dl, dl.items[i + 3].str), "(2.00ms, 10.00ms)"),
	   "second row's parameters: %s", rl_dl_str(&dl, dl.items[i + 3].str));

	ok(!render_mem(&dl, RL_IMG_PNG, &buf, &len), "PNG renders");
	png_decode((unsigned char *)buf, len, &pi);
	ok(pi.ok, "PNG decodes (signature, CRCs, IDAT, filter bytes)");
	ok(pi.w == (uint32_t)ceil(dl.w) && pi.h == (uint32_t)ceil(dl.h), "PNG is %ux%u", pi.w,
	   pi.h);
	ok(pi.nonwhite > 1000, "PNG is not blank (%llu non-white pixels)",
	   (unsigned long long)pi.nonwhite);
	ok(pi.saturated > 100, "PNG has palette-coloured bars (%llu pixels)",
	   (unsigned long long)pi.saturated);
	free(buf);
	buf = NULL;

	ok(!render_mem(&dl, RL_IMG_SVG, &buf, &len), "SVG renders");
	is_int(count_str(buf, len, "<rect class=\"exec\""), 3, "SVG has three exec bars");
	ok(count_str(buf, len, "<title>alpha/100 job 1 on CPU 1") == 1,
	   "exec bars carry task, job and CPU in their title");
	ok(count_str(buf, len,
		     "response time 30.000000 ms, lateness 10.000000 ms (deadline miss)") >= 1,
	   "job titles carry response time and lateness");
	free(buf);
	buf = NULL;

	ok(!render_mem(&dl, RL_IMG_PDF, &buf, &len), "PDF renders");
	ok(len > 500 && !memcmp(buf, "%PDF-", 5) && memmem(buf, len, "%%EOF", 5),
	   "PDF has a header and an end (%zu bytes)", len);
	free(buf);
	rl_dl_release(&dl);

	o.by_cpu = 1;
	ok(!rl_layout_schedule(&w, t, &o, &dl, &st, &err), "CPU view");
	is_int(st.rows, 2, "one row per CPU");
	is_int(count_class(&dl, RL_DC_LEGEND, NULL), 4, "legend: swatch and name for 2 tasks");
	rl_dl_release(&dl);
	rl_schedwin_release(&w);

	/* nothing in the window */
	rl_schedwin_init(&w, 1000 * MS, 1100 * MS, &err);
	jobs_for(t, &w);
	ev_put(&w, RL_EV_SWITCH_IN, 1 * MS, a, 0, 1, 0);
	ev_put(&w, RL_EV_SWITCH_OUT, 2 * MS, a, 0, 1, 0);
	win_done(&w, &err);
	o.by_cpu = 0;
	is_int(rl_layout_schedule(&w, t, &o, &dl, &st, &err), -RL_E_USAGE,
	       "an empty window is an error");
	ok(strstr(err.msg, "nothing to draw") != NULL, "which says so: %s", err.msg);
	rl_schedwin_release(&w);
	rl_trace_free(t);

	/* many tiny intervals merge into one bar, and are all counted */
	t = rl_trace_new();
	a = rl_trace_task(t, 1);
	rl_schedwin_init(&w, 0, 1000 * MS, &err);
	jobs_for(t, &w);
	for (i = 0; i < 1000; i++) {
		ev_put(&w, RL_EV_SWITCH_IN, 10 * MS + i * 1000, a, i % 2, 1, 0);
		ev_put(&w, RL_EV_SWITCH_OUT, 10 * MS + i * 1000 + 500, a, i % 2, 1, 0);
	}
	win_done(&w, &err);
	rl_draw_opts_default(&o);
	o.xscale = 0.5; /* 1000 intervals of 0.5 us in 1 ms = 0.5 units */
	ok(!rl_layout_schedule(&w, t, &o, &dl, &st, &err), "layout of 1000 sub-unit intervals");
	is_int(count_class(&dl, RL_DC_EXEC, &sum), 1, "they become one bar");
	is_int(sum, 1000, "which stands for all 1000");
	rl_dl_release(&dl);
	o.merge = 0;
	ok(!rl_layout_schedule(&w, t, &o, &dl, &st, &err), "layout without merging");
	is_int(count_class(&dl, RL_DC_EXEC, NULL), 1000, "--no-merge keeps 1000 bars");
	rl_dl_release(&dl);
	rl_schedwin_release(&w);

	/* the same, merged while collecting (what the CLI does): memory follows the width */
	rl_schedwin_init(&w, 0, 1000 * MS, &err);
	jobs_for(t, &w);
	rl_schedwin_set_merge(&w, 2000, 12000, 0, 0);
	for (i = 0; i < 1000; i++) {
		ev_put(&w, RL_EV_RELEASE, 10 * MS + i * 1000, a, 0, i + 1,
		       10 * MS + i * 1000 + 900);
		ev_put(&w, RL_EV_SWITCH_IN, 10 * MS + i * 1000, a, i % 2, i + 1, 0);
		ev_put(&w, RL_EV_SWITCH_OUT, 10 * MS + i * 1000 + 500, a, i % 2, i + 1, 0);
		ev_put(&w, RL_EV_COMPLETION, 10 * MS + i * 1000 + 500 + (i == 500) * 1000, a, 0,
		       i + 1, 0);
	}
	win_done(&w, &err);
	is_int(w.nivs, 1, "merged while collecting: one stored interval");
	is_int(w.ivs[0].count, 1000, "standing for 1000");
	ok(w.nmarks < 300, "marks merged while collecting (%u kept for 3000)", w.nmarks);
	is_int(w.njobs, 1, "only the missed job is kept when hover texts are off");
	rl_draw_opts_default(&o);
	o.xscale = 0.5;
	ok(!rl_layout_schedule(&w, t, &o, &dl, &st, &err), "layout of the merged window");
	is_int(st.intervals, 1000, "all 1000 intervals are counted");
	is_int(st.releases, 1000, "all 1000 releases are counted");
	is_int(st.completions, 1000, "all 1000 completions are counted");
	is_int(st.deadlines, 1000, "all 1000 deadlines are counted");
	is_int(st.misses, 1, "the one miss is counted");
	is_int(count_class(&dl, RL_DC_MISS, NULL), 1, "and drawn");
	ok(dl.items[count_class(&dl, RL_DC_BG, NULL)].title == 0, "no hover texts when off");
	rl_dl_release(&dl);
	rl_schedwin_release(&w);
	rl_trace_free(t);
}

/* ------------------------------------------------------- a real trace */

static void test_real(void)
{
	const char *sh = tap_shared_dir();
	char path[4][512];
	struct rl_input ins[4];
	struct rl_read_opts ro = {0};
	struct rl_trace *t;
	struct rl_merge *m;
	struct rl_schedwin w;
	struct rl_draw_opts o;
	struct rl_layout_stats st;
	struct rl_dl dl;
	struct rl_err err;
	struct png_info pi;
	char *buf = NULL;
	size_t len = 0;
	int i;

	if (!sh) {
		ok(1, "# SKIP shared test data absent: real-trace rendering not checked");
		return;
	}
	rl_err_init(&err);
	t = rl_trace_new();
	for (i = 0; i < 4; i++) {
		snprintf(path[i], sizeof(path[i]),
			 "%s/testdata/litmus/sched_trace/run-trial48/st-%d.bin", sh, i);
		if (rl_input_open(&ins[i], path[i], &ro, &err)) {
			ok(0, "open %s: %s", path[i], err.msg);
			return;
		}
	}
	m = rl_open_merge(ins, 4, NULL, t, &ro, &err);
	ok(m != NULL, "run-trial48 opens");
	/* 200 ms from the system release (23852000 ms) */
	rl_schedwin_init(&w, 23852000 * MS, 23852200 * MS, &err);
	jobs_for(t, &w);
	{
		struct rl_sink *s = rl_jobs_sink(cur_jobs);
		struct rl_event ev;
		int r;

		/* as rtlens draw reads: window and job analysis together, until both are done */
		while ((r = rl_merge_next(m, &ev, &err)) > 0) {
			if (rl_schedwin_event(&w, &ev, &err) < 0 || s->event(s, &ev, &err) < 0)
				break;
			if (ev.ts > w.end && rl_schedwin_done(&w) &&
			    rl_jobs_settled(cur_jobs, w.end))
				break;
		}
		ok(r >= 0 && !win_done(&w, &err), "window collected");
	}
	ok(w.events < 7783, "reading stopped early (%llu of 7783 events)",
	   (unsigned long long)w.events);
	rl_draw_opts_default(&o);
	o.xscale = 8;
	ok(!rl_layout_schedule(&w, t, &o, &dl, &st, &err), "layout");
	is_int(st.rows, 18, "18 tasks (run-trial48 has 18 rtspin tasks)");
	ok(!render_mem(&dl, RL_IMG_PNG, &buf, &len), "PNG renders");
	png_decode((unsigned char *)buf, len, &pi);
	ok(pi.ok && pi.w == 1872 && pi.h == 1440, "PNG decodes, 1872x1440 (%ux%u)", pi.w, pi.h);
	ok(pi.saturated > 20000, "bars are drawn (%llu palette pixels)",
	   (unsigned long long)pi.saturated);
	free(buf);
	rl_dl_release(&dl);
	rl_schedwin_release(&w);
	rl_merge_free(m);
	for (i = 0; i < 4; i++)
		rl_input_close(&ins[i]);
	rl_trace_free(t);
}

/* Xen VCPUs: idle kept apart, colours by domain, RTDS periods added as jobs. */
static void test_vcpus(void)
{
	struct rl_trace *t = rl_trace_new();
	struct rl_schedwin w;
	struct rl_draw_opts o;
	struct rl_layout_stats st;
	struct rl_dl dl;
	struct rl_err err;
	uint32_t d0, d1a, d1b, idle, i, n, sum;
	uint32_t rgb_a = 0, rgb_b = 0, rgb_0 = 0;
	int legend_idle = 0, legend_dom = 0, rows_named_idle = 0;

	rl_err_init(&err);
	d0 = rl_trace_task_vcpu(t, 0, 0);
	d1a = rl_trace_task_vcpu(t, 1, 0);
	d1b = rl_trace_task_vcpu(t, 1, 1);
	idle = rl_trace_task_vcpu(t, 32767, 0);
	t->tasks[d0].name = rl_strtab_intern(t->strs, "d0v0", 4);
	t->tasks[d1a].name = rl_strtab_intern(t->strs, "d1v0", 4);
	t->tasks[d1b].name = rl_strtab_intern(t->strs, "d1v1", 4);
	t->tasks[idle].name = rl_strtab_intern(t->strs, "d32767v0", 8);
	t->tasks[idle].idle = 1;
	t->ncpu = 1;

	/* CPU view, merging at 1 ms: a long idle stretch, then a short guest interval */
	rl_schedwin_init(&w, 0, 100 * MS, &err);
	w.t = t;
	rl_schedwin_set_merge(&w, 1 * MS, 6 * MS, 1, 1);
	ev_put(&w, RL_EV_SWITCH_IN, 0, idle, 0, 0, 0);
	ev_put(&w, RL_EV_SWITCH_OUT, 50 * MS, idle, 0, 0, 0);
	ev_put(&w, RL_EV_SWITCH_IN, 50 * MS + 1000, d1a, 0, 0, 0);
	ev_put(&w, RL_EV_SWITCH_OUT, 50 * MS + 300000, d1a, 0, 0, 0);
	ev_put(&w, RL_EV_SWITCH_IN, 60 * MS, d1b, 0, 0, 0);
	ev_put(&w, RL_EV_SWITCH_OUT, 70 * MS, d1b, 0, 0, 0);
	ev_put(&w, RL_EV_SWITCH_IN, 80 * MS, d0, 0, 0, 0);
	ev_put(&w, RL_EV_SWITCH_OUT, 90 * MS, d0, 0, 0, 0);
	rl_schedwin_finish(&w, &err);
	for (i = 0, n = 0; i < w.nivs; i++)
		n += w.ivs[i].task == d1a;
	is_int(n, 1, "a short guest interval after idle time is not merged into it");
	rl_draw_opts_default(&o);
	o.by_cpu = 1;
	o.titles = 1;
	ok(!rl_layout_schedule(&w, t, &o, &dl, &st, &err), "CPU view of VCPUs");
	is_int(count_class(&dl, RL_DC_IDLE, NULL), 1, "the idle time is one band");
	is_int(count_class(&dl, RL_DC_EXEC, &sum), 3, "three guest bars");
	for (i = 0; i < dl.n; i++) {
		const struct rl_dl_item *it = &dl.items[i];
		const char *title = rl_dl_str(&dl, it->title);

		if (it->cls == RL_DC_EXEC && !strncmp(title, "d1v0 ", 5))
			rgb_a = it->rgb;
		if (it->cls == RL_DC_EXEC && !strncmp(title, "d1v1 ", 5))
			rgb_b = it->rgb;
		if (it->cls == RL_DC_EXEC && !strncmp(title, "d0v0 ", 5))
			rgb_0 = it->rgb;
		if (it->kind == RL_DL_TEXT && it->cls == RL_DC_LEGEND) {
			legend_idle += !strcmp(rl_dl_str(&dl, it->str), "idle");
			legend_dom += !strncmp(rl_dl_str(&dl, it->str), "domain ", 7);
		}
		if (it->kind == RL_DL_TEXT && strstr(rl_dl_str(&dl, it->str), "32767"))
			rows_named_idle++;
	}
	ok(rgb_a && rgb_a == rgb_b, "the VCPUs of one domain share a colour");
	ok(rgb_0 && rgb_0 != rgb_a, "another domain has another colour");
	is_int(rl_palette(0), rgb_0, "domains in order: domain 0 takes the first colour");
	is_int(legend_dom, 2, "the legend has one entry per domain");
	is_int(legend_idle, 1, "and one for idle");
	is_int(rows_named_idle, 0, "the idle VCPU is named nowhere");
	rl_dl_release(&dl);
	rl_schedwin_release(&w);

	/* task view: idle has no row; RTDS periods added as jobs give marks */
	rl_schedwin_init(&w, 0, 100 * MS, &err);
	w.t = t;
	ev_put(&w, RL_EV_SWITCH_IN, 0, idle, 0, 0, 0);
	ev_put(&w, RL_EV_SWITCH_OUT, 10 * MS, idle, 0, 0, 0);
	ev_put(&w, RL_EV_SWITCH_IN, 10 * MS, d1a, 0, 0, 0);
	ev_put(&w, RL_EV_SWITCH_OUT, 12 * MS, d1a, 0, 0, 0);
	rl_schedwin_finish(&w, &err);
	ok(!rl_schedwin_add_job(&w, d1a, 1, 10 * MS, 20 * MS, 12 * MS, 0, &err) &&
		   !rl_schedwin_add_job(&w, d1a, 2, 20 * MS, 30 * MS, 35 * MS, 1, &err) &&
		   !rl_schedwin_add_job(&w, d1a, 3, 30 * MS, 40 * MS, INT64_MIN, 0, &err),
	   "RTDS periods added as jobs");
	t->tasks[d1a].wcet = 2 * MS;
	t->tasks[d1a].period = 10 * MS;
	t->tasks[d1a].has_param = 1;
	rl_draw_opts_default(&o);
	o.titles = 1;
	ok(!rl_layout_schedule(&w, t, &o, &dl, &st, &err), "task view of VCPUs");
	is_int(st.rows, 1, "one row: the guest VCPU, not the idle one");
	is_int(st.releases, 3, "a release arrow per period");
	is_int(st.deadlines, 3, "a deadline arrow per period");
	is_int(st.misses, 1, "the flagged period is a miss");
	for (i = 0, n = 0; i < dl.n; i++)
		if (dl.items[i].kind == RL_DL_TEXT && dl.items[i].cls == RL_DC_TASK_LABEL)
			n += !strcmp(rl_dl_str(&dl, dl.items[i].str), "d1v0") ||
			     !strcmp(rl_dl_str(&dl, dl.items[i].str), "(2.00ms, 10.00ms)");
	is_int(n, 2, "the row is labelled d1v0 with its budget and period");
	rl_dl_release(&dl);
	rl_schedwin_release(&w);
	rl_trace_free(t);
}

/* The paper style's palettes, and hatching and scale in the renderers. */
static void test_paper(void)
{
	struct rl_swatch a, b;
	struct rl_dl dl;
	struct rl_dl_item *it;
	struct png_info pi, pi2;
	struct rl_err err;
	char *buf = NULL;
	size_t len = 0;
	uint32_t i, j, nsame = 0, ncol_same = 0;
	double lmin = 255, d, dmin = 255;
	FILE *f;

	rl_err_init(&err);
	/* colour: 6 Okabe-Ito fills, none the miss colour; patterns keep 36 apart */
	for (i = 0; i < 36; i++) {
		a = rl_paper_swatch(RL_PAL_COLOR, i);
		if (a.rgb == rl_paper_miss_color(RL_PAL_COLOR))
			break;
		for (j = 0; j < i; j++) {
			b = rl_paper_swatch(RL_PAL_COLOR, j);
			ncol_same += a.rgb == b.rgb;
			nsame += a.rgb == b.rgb && a.pattern == b.pattern;
		}
	}
	is_int(i, 36, "no CPU is filled with the colour of the misses");
	is_int(nsame, 0, "36 CPUs: 36 distinct colour x hatching fills");
	ok(ncol_same > 0, "beyond six CPUs the colours repeat (told apart by hatching)");
	is_int(rl_paper_swatch(RL_PAL_COLOR, 0).rgb, 0x0072b2, "CPU 0: Okabe-Ito blue");
	is_int(rl_paper_swatch(RL_PAL_COLOR, 3).pattern, 0, "CPUs 0-5 are not hatched");
	/* gray: fills are grays, 12 distinct level x hatching pairs, far from the black misses */
	nsame = 0;
	for (i = 0; i < 12; i++) {
		a = rl_paper_swatch(RL_PAL_GRAY, i);
		ok(((a.rgb >> 16) & 255) == (a.rgb & 255) && ((a.rgb >> 8) & 255) == (a.rgb & 255),
		   "gray CPU %u: #%06x is a gray, luma %.0f", i, a.rgb, rl_luma(a.rgb));
		lmin = fmin(lmin, rl_luma(a.rgb));
		for (j = 0; j < i; j++) {
			b = rl_paper_swatch(RL_PAL_GRAY, j);
			nsame += a.rgb == b.rgb && a.pattern == b.pattern;
			d = fabs(rl_luma(a.rgb) - rl_luma(b.rgb));
			if (i < 4 && j < 4)
				dmin = fmin(dmin, d);
		}
	}
	is_int(nsame, 0, "gray: 12 CPUs, 12 distinct fills");
	ok(dmin >= 40, "gray: CPUs 0-3 at least 40 luma apart (%.0f)", dmin);
	ok(rl_luma(rl_paper_miss_color(RL_PAL_GRAY)) == 0 && lmin >= 80,
	   "gray: misses black, every CPU fill at least 80 luma (%.0f)", lmin);
	ok(fabs(rl_luma(0x002bff) - 54) < 1 && fabs(rl_luma(0xf400ff) - 102) < 1,
	   "luma is Rec. 601 (st-draw's CPU 0 at 54, CPU 3 at 102, as the issue measured)");

	/* renderers: a hatched rectangle has dark lines over a light fill */
	rl_dl_init(&dl, 40, 20);
	rl_dl_rect(&dl, RL_DC_BG, 0, 0, 40, 20, 0xffffff);
	it = rl_dl_rect(&dl, RL_DC_EXEC, 0, 0, 20, 20, 0xf0f0f0);
	it->pattern = RL_PAT_CROSS;
	it = rl_dl_rect(&dl, RL_DC_EXEC, 20, 0, 40, 20, 0xf0f0f0);
	it->flags |= RL_DLF_OUTLINE;
	ok(!rl_dl_check(&dl, &err), "hatched display list");
	f = open_memstream(&buf, &len);
	ok(f && !rl_render_scaled(&dl, RL_IMG_PNG, 1.0, f, &err), "PNG at scale 1");
	fclose(f);
	png_decode((unsigned char *)buf, len, &pi);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	ok(f && !rl_render_scaled(&dl, RL_IMG_PNG, 2.5, f, &err), "PNG at scale 2.5");
	fclose(f);
	png_decode((unsigned char *)buf, len, &pi2);
	free(buf);
	buf = NULL;
	ok(pi.ok && pi.w == 40 && pi.h == 20, "scale 1: 40 x 20 px");
	ok(pi2.ok && pi2.w == 100 && pi2.h == 50, "scale 2.5: 100 x 50 px");
	/* all pixels are non-white (#f0f0f0 fills); the hatching makes the difference */
	ok(pi.nonwhite == 800, "both rectangles fill the canvas (%llu px)",
	   (unsigned long long)pi.nonwhite);
	ok(pi.dark_left > 60 && pi.dark_left < 300,
	   "the cross-hatched half has dark lines over its light fill (%llu of 400 px)",
	   (unsigned long long)pi.dark_left);
	f = open_memstream(&buf, &len);
	ok(f && !rl_render_svg(&dl, f, &err), "SVG");
	fclose(f);
	ok(count_str(buf, len, "<pattern id=\"rl-p3d\"") == 1 &&
		   count_str(buf, len, "fill=\"url(#rl-p3d)\"") == 1,
	   "SVG: a cross-hatch pattern, used once");
	ok(count_str(buf, len, "stroke=\"#333333\"") == 1, "SVG: one outlined rectangle");
	is_int(count_str(buf, len, "<rect class=\"exec\""), 2, "SVG: the hatch is no exec bar");
	free(buf);
	buf = NULL;
	rl_dl_release(&dl);
	/* without patterns no <defs>: st-draw's SVG stays as it was */
	rl_dl_init(&dl, 10, 10);
	rl_dl_rect(&dl, RL_DC_EXEC, 0, 0, 5, 5, 0x0000ff);
	f = open_memstream(&buf, &len);
	ok(f && !rl_render_svg(&dl, f, &err), "SVG without patterns");
	fclose(f);
	is_int(count_str(buf, len, "<defs>"), 0, "no pattern, no <defs>");
	free(buf);
	rl_dl_release(&dl);
}

int main(void)
{
	is_int(rl_palette(0), 0x002bff, "palette[0] is st-draw's (0, .1667, 1)");
	is_int(rl_palette(1), 0xff1500, "palette[1] is st-draw's (1, .0833, 0)");
	is_int(rl_palette(33), rl_palette(1), "the palette repeats every 32");
	is_int(rl_img_format_of_path("a/b.c/x.PNG"), RL_IMG_PNG, "extension, any case");
	is_int(rl_img_format_of_path("a.d/x"), RL_IMG_NONE, "no extension");
	is_int(rl_img_format_of_path("x.jpg"), RL_IMG_NONE, "unknown extension");
	test_window_rules();
	test_paper();
	test_synthetic();
	test_vcpus();
	test_real();
	rl_draw_cleanup();
	done_testing();
	return exit_status();
}
