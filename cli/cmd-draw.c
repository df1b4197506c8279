/* cli/cmd-draw.c - `rtlens draw` and the st-draw compatibility name. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../draw/draw.h"

/* PNGs wider than cairo allows are fitted to this width unless -x was given. */
#define DRAW_PNG_FIT_WIDTH 4000.0
#define DRAW_FMT_LAYOUT 100 /* --format layout: the display list as text */

static const char draw_help[] =
	"usage: rtlens draw [OPTIONS] FILE...\n\n"
	"Draw a schedule trace as st-draw does: one row per task (pid order) with\n"
	"execution bars coloured by CPU, release arrows up, deadline arrows down,\n"
	"completion marks; plus deadline misses, suspensions as dashed lines,\n"
	"and (SVG) hover text on every bar and job mark. Times are in ms.\n\n"
	"rtlens draw's look (--style paper, the default): a colour-blind-safe palette\n"
	"(Okabe-Ito; hatching added past six CPUs), a legend naming the CPUs and the\n"
	"miss mark, misses in vermillion with a cross at the deadline (a colour and\n"
	"shape no CPU uses), dark tick labels under a 'time (ms)' title, a note\n"
	"saying where t = 0 is, and runs of bars narrower than --merge units drawn as\n"
	"density bands (shade = share of time run) with a note. st-draw (and\n"
	"--style st-draw) keeps st-draw's own picture.\n\n"
	"xentrace: one row per VCPU (d<dom>v<vcpu>, domain then vcpu order) with bars\n"
	"coloured by PCPU and the RTDS server periods of 'rtlens xen --rtds' as\n"
	"release (up) and deadline (down) arrows, misses in red; --by-cpu: one row per\n"
	"PCPU, bars coloured by domain and tagged d<dom>v<vcpu>, idle time as a light\n"
	"gray band. The idle domain's VCPUs get no row and no colour.\n\n"
	"Output:\n"
	"  -o, --output FILE       image file; the format follows its extension\n"
	"                          (.png .svg .pdf). Default: st-draw's name, the\n"
	"                          inputs' common prefix without _cpu=, plus .pdf\n"
	"  --format FMT            png, svg, pdf, or layout (the display list as text)\n"
	"  --by-cpu                one row per CPU, bars coloured by task, with a legend\n"
	"  --style paper|st-draw   the look (default paper; st-draw's for st-draw)\n"
	"  --grayscale             gray levels with a hatching per CPU, for print\n"
	"  --size column|page|slide  a whole picture 252, 504 or 960 units wide\n"
	"                          (3.5 in, 7 in, a slide), fonts 7, 8 or 18, rows\n"
	"                          18, 22 or 40 units; -y, --margin, --width and\n"
	"                          --font-size given too win. PNGs at 300 dpi\n"
	"                          (slide: 144) unless --dpi\n"
	"  --font-size N           base font size in units (default 12)\n"
	"  --font-scale F          every font times F (default 1)\n"
	"  --dpi N                 PNG resolution: N/72 pixels per unit (default 72)\n"
	"Window (st-draw's rules; 0 means unset, but -f 0 and -u 0 count here):\n"
	"  -f, --from MS           start, ms from the trace's first event, or with -r\n"
	"                          from the release (st-draw: ms since boot, as its\n"
	"                          own rules); --from also takes a unit: 1500us, 2s\n"
	"  -u, --until MS, --to MS end (--until/--to also take a unit)\n"
	"  -l, --length MS         length when -u is not given (default 1000; 0 = to the\n"
	"                          end of the trace)\n"
	"  -r, --relative          -f/-u relative to the first SYS_RELEASE (or first event)\n"
	"  -q, --start-on-multiple Q  round the start down to a multiple of Q ms\n"
	"                          Default window: --length ms from the system release,\n"
	"                          or from the first event. Formats other than\n"
	"                          sched_trace (xentrace): without -l and -u, the window\n"
	"                          ends at the trace's last event if that comes sooner.\n"
	"Geometry (device units: pt in PDF, px in PNG/SVG):\n"
	"  -x, --xscale N          units per ms (default 36; PNGs too wide for cairo are\n"
	"                          fitted to 4000 px unless -x is given)\n"
	"  --width N               the whole picture N units wide, labels and the last\n"
	"                          tick label included (sets -x; st-draw style: the\n"
	"                          window alone)\n"
	"  -y, --yscale N          units per row (default 72)\n"
	"  --margin N              margin (default 36)\n"
	"  --major-ticks MS        major tick spacing (default 10, 0 off)\n"
	"  --minor-ticks MS        minor tick spacing (default 1, 0 off)\n"
	"  --merge N               merge bars and marks narrower/closer than N units\n"
	"                          (default 1); --no-merge keeps every interval apart\n"
	"  -j, --show-job-ids      job numbers next to releases and completions\n"
	"  -v, --verbose           say what is drawn\n"
	"  -h, --help              this help\n"
	"Selection (the same on every command that reads traces):\n"
	"  --cpu LIST              only events of CPUs in LIST (0-3,8)\n"
	"  --pid LIST              only events of tasks with these pids (100,200-210)\n"
	"  --comm NAME             only events of tasks of this name\n"
	"  --from T, --to T        the window as above: from the trace's first event,\n"
	"                          or from the release with -r; a bare number is in ms\n"
	"                          Rows are the tasks (--by-cpu: CPUs) with selected\n"
	"                          events; an event belongs to its subject task.\n"
	"Input options:\n"
	"  --input-format NAME     read as NAME (sched_trace, xentrace); default: detect\n"
	"  --st-format 2010|2016   sched_trace record numbering; default: detect\n"
	"  --max-inflate BYTES     largest decompressed size of a gzip/zstd input (default 16G)\n"
	"  --max-ratio N           refuse a gzip/zstd input decompressing to > N times its size\n"
	"  --cpu-hz HZ             xentrace: TSC rate (K, M, G suffixes); default: estimated\n"
	"  --xen-version X.Y       xentrace: payload layouts of Xen X.Y; default: detected\n"
	"  --quiet                 no warnings or notes (-q is st-draw's quantum "
	"here)\n" RL_SKEW_HELP;

struct draw_args {
	struct rl_window_opts win;
	struct rl_draw_opts d;
	const char *output;
	int format;
	int xscale_given;
	int length_given;
	double fit_width;
	int verbose;
	int st_draw;
	const char *size;
	double dpi;
	int yscale_given, margin_given, font_given;
	char origin[200];
	struct rl_vocab *voc; /* --cpu --pid --comm: events drawn */
};

static int draw_num(const char *opt, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v)) {
		rl_usage_error("%s takes a number, not '%s'", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * st-draw's default output name: the longest common prefix of the input
 * paths, its basename, "_cpu=" removed when it ends so; with one input the
 * loop ends one short, so "a.bin" gives "a.bi" (kept: scripts rely on names).
 */
static char *draw_default_name(char **files, int n, const char *ext)
{
	size_t len, i = 0, k;
	char *cand, *base, *res, *p;
	int j, stop = 0;

	if (n <= 0)
		goto plain;
	len = strlen(files[0]);
	for (i = 0; i < len && !stop; i++)
		for (j = 1; j < n; j++)
			if (files[j][i] != files[0][i]) {
				stop = 1;
				break;
			}
	/* Python's loop variable stays on the mismatch, or on the last index */
	if (stop)
		i--;
	else if (i > 0)
		i--;
	cand = strndup(files[0], i);
	if (!cand)
		return NULL;
	p = strrchr(cand, '/');
	base = p ? p + 1 : cand;
	k = strlen(base);
	if (k >= 5 && !strcmp(base + k - 5, "_cpu=")) {
		/* str.replace: every occurrence goes */
		char *r = base, *w = base;

		while (*r) {
			if (!strncmp(r, "_cpu=", 5))
				r += 5;
			else
				*w++ = *r++;
		}
		*w = 0;
	}
	/* st-N.bin: the prefix "st-" would name "st-.pdf"; separators at its end go */
	k = strlen(base);
	while (k && strchr("-_.=", base[k - 1]))
		base[--k] = 0;
	if (!*base) {
		free(cand);
		goto plain;
	}
	res = malloc(strlen(base) + strlen(ext) + 2);
	if (res)
		sprintf(res, "%s.%s", base, ext);
	free(cand);
	return res;
plain:
	res = malloc(strlen(ext) + 10);
	if (res)
		sprintf(res, "schedule.%s", ext);
	return res;
}

static const char *draw_ext(int format)
{
	switch (format) {
	case RL_IMG_PNG:
		return "png";
	case RL_IMG_SVG:
		return "svg";
	case DRAW_FMT_LAYOUT:
		return "txt";
	default:
		return "pdf";
	}
}

/* First pass over the loaded inputs: the system release and the trace's first and last times. */
static int draw_span(struct rl_open *o, const struct rl_input_opts *io, struct rl_trace_span *sp)
{
	struct rl_span_sink ss;
	struct rl_sink *sink;
	int r;

	r = rl_open_start(o, io);
	if (r)
		return r;
	rl_span_sink_init(&ss);
	sink = &ss.sink;
	r = rl_run_sinks(o, &sink, 1);
	*sp = ss.span;
	/* the second pass reads the same inputs again, into a new trace */
	if (!r)
		r = rl_open_rewind(o, io);
	return r;
}

/* What the job rows go to: the window, and the selection deciding the rows. */
struct draw_jobs_to {
	struct rl_schedwin *w;
	struct rl_vocab *voc;
};

static int draw_add_job(void *arg, const struct rl_job *j, struct rl_err *err)
{
	struct draw_jobs_to *to = arg;

	if (!rl_vocab_task(to->voc, j->task))
		return 0;
	return rl_schedwin_add_job(to->w, j->task, j->job, j->release, j->deadline, j->completion,
				   j->flags & RL_JOB_SERVER_MISS ? RL_WJ_MISS : 0, err);
}

/* A row of the job analysis: its marks and miss, where they fall into the window. */
static int draw_add_row(void *arg, const struct rl_job *j, struct rl_err *err)
{
	struct draw_jobs_to *to = arg;
	uint32_t fl = RL_WJ_END_MARK;

	if (!rl_vocab_task(to->voc, j->task))
		return 0;
	if (j->flags & (RL_JOB_SERVER_MISS | RL_JOB_OVERDUE))
		fl |= RL_WJ_MISS;
	if (j->flags & RL_JOB_RELEASE_INFERRED)
		fl |= RL_WJ_INFERRED;
	return rl_schedwin_add_job(to->w, j->task, j->job, j->release, j->deadline, j->completion,
				   fl, err);
}

/* The window (the selected events) and an analysis @s (or none) read the trace together. */
static int draw_fill_with(struct rl_schedwin *w, struct rl_open *o, struct rl_vocab *voc,
			  struct rl_sink *s, const struct rl_jobs *jobs, struct rl_err *err)
{
	int r;

	/* the second pass can be as long as the first: progress on a terminal too */
	w->progress = rl_progress_tty(o->t);
	r = rl_schedwin_read(w, o->m, rl_vocab_selection(voc, o), s, jobs, err);
	rl_progress_end();
	if (r >= 0)
		rl_vocab_next_report(voc);
	return r < 0 ? r : 0;
}

static int draw_fill_xen(struct rl_schedwin *w, struct rl_open *o, struct rl_vocab *voc,
			 struct rl_err *err)
{
	struct draw_jobs_to to = {w, voc};
	struct rl_xen *x = rl_xen_new(o->t, err);
	int r;

	if (!x)
		return err->code;
	r = draw_fill_with(w, o, voc, rl_xen_sink(x), NULL, err);
	if (!r)
		r = rl_xen_each_job(x, draw_add_job, &to, err);
	rl_xen_free(x);
	return r < 0 ? r : 0;
}

/* Releases (inferred ones too), deadlines, completions and misses from the job analysis. */
static int draw_fill_jobs(struct rl_schedwin *w, struct rl_open *o, struct rl_vocab *voc,
			  struct rl_err *err)
{
	struct draw_jobs_to to = {w, voc};
	struct rl_job_out jo = {.want = RL_JOBS_ROWS, .row_fn = draw_add_row, .row_arg = &to};
	struct rl_jobs *jobs = rl_jobs_new(o->t, &jo, NULL, err);
	int r;

	if (!jobs)
		return err->code;
	r = draw_fill_with(w, o, voc, rl_jobs_sink(jobs), jobs, err);
	rl_jobs_free(jobs);
	return r;
}

/*
 * The command's steps in order: window, output, inputs, collection, layout,
 * rendering. (Over 100 lines: one linear sequence whose steps share the
 * clean-up at the end.)
 */
static int draw_run(char **files, int n, const struct rl_input_opts *io, struct draw_args *a)
{
	struct rl_input_opts io2 = *io;
	struct rl_trace_span sp = {0};
	struct rl_layout_stats st;
	struct rl_schedwin w;
	struct rl_outfile out;
	struct rl_open o;
	struct rl_err err;
	struct rl_dl dl;
	int64_t start, end;
	char *defname = NULL;
	int r, damage, have_w = 0, have_o = 0, have_out = 0, quiet_was = rl_quiet;
	int need_span, to_end, xen, litmus, paper;
	double scale = a->dpi > 0 ? a->dpi / 72.0 : 1.0, xs;

	rl_err_init(&err);
	memset(&dl, 0, sizeof(dl));
	if (!a->output) {
		defname = draw_default_name(files, n, draw_ext(a->format ? a->format : RL_IMG_PDF));
		if (!defname) {
			fprintf(stderr, "%s: error: out of memory\n", rl_prog);
			return RL_EXIT_DATA;
		}
		a->output = defname;
	}
	if (!a->format)
		a->format = rl_img_format_of_path(a->output);
	if (!a->format) {
		rl_usage_error("cannot tell the image format of '%s': use a .png, .svg or .pdf "
			       "name, or --format",
			       a->output);
		free(defname);
		return RL_EXIT_USAGE;
	}
	if (n <= 0) {
		rl_usage_error("no input files (try --help)");
		free(defname);
		return RL_EXIT_USAGE;
	}
	/*
	 * st-draw's 1000 ms default overshoots short traces of other formats: without
	 * -l and -u they stop at the trace's end, which the first pass finds (run for
	 * that alone only when the files are not sched_trace)
	 */
	to_end = !a->length_given && !a->win.until;
	r = rl_open_inputs(&o, files, n, &io2);
	have_o = 1;
	if (r)
		goto out;
	litmus = o.fs.family == RL_FAM_LITMUS;
	need_span = rl_window_needs_span(&a->win) || (to_end && !litmus);
	if (need_span) {
		/* the second pass prints the warnings; this one only looks */
		rl_quiet = 1;
		r = draw_span(&o, &io2, &sp);
		rl_quiet = quiet_was;
		if (r)
			goto out;
	}
	if (rl_window_resolve(&a->win, &sp, &start, &end, &err) < 0) {
		rl_print_err(&err);
		r = RL_EXIT_USAGE;
		goto out;
	}
	if (to_end && need_span && !litmus && sp.has_events && sp.latest > start && sp.latest < end)
		end = sp.latest;
	paper = a->d.style == RL_STYLE_PAPER;
	if (paper) {
		rl_window_origin_text(a->origin, sizeof(a->origin), start, need_span ? &sp : NULL,
				      litmus);
		a->d.origin = a->origin;
	}
	if (a->fit_width > 0 && paper)
		a->d.canvas_width = a->fit_width;
	else if (a->fit_width > 0)
		a->d.xscale = a->fit_width / ((double)(end - start) / 1e6);
	if (a->format == RL_IMG_PNG &&
	    rl_layout_width(&a->d, end - start) * scale > RL_PNG_MAX_SIDE) {
		if (a->xscale_given || a->fit_width > 0) {
			rl_usage_error("the PNG would be %.0f px wide, more than cairo's %d: use a "
				       "smaller -x/--width/--dpi, a shorter window, or SVG/PDF",
				       rl_layout_width(&a->d, end - start) * scale,
				       RL_PNG_MAX_SIDE);
			r = RL_EXIT_USAGE;
			goto out;
		}
		if (paper)
			a->d.canvas_width = DRAW_PNG_FIT_WIDTH / scale;
		else
			a->d.xscale = DRAW_PNG_FIT_WIDTH / ((double)(end - start) / 1e6);
		if (!rl_quiet && paper)
			fprintf(stderr,
				"%s: note: picture fitted to %.0f px wide (give -x or --width to "
				"choose)\n",
				rl_prog, DRAW_PNG_FIT_WIDTH);
		else if (!rl_quiet)
			fprintf(stderr,
				"%s: note: x scale set to %.4g units/ms to fit the PNG in %.0f px "
				"(give -x or --width to choose)\n",
				rl_prog, a->d.xscale, DRAW_PNG_FIT_WIDTH);
	}
	/* the units per ms the layout will use at most (a fitted picture: less, for its labels) */
	xs = paper && a->d.canvas_width > 0 ? a->d.canvas_width / ((double)(end - start) / 1e6)
					    : a->d.xscale;
	if (a->verbose)
		fprintf(stderr, "%s: drawing %.6f ms from %.6f ms to %.6f ms into %s\n", rl_prog,
			(end - start) / 1e6, start / 1e6, end / 1e6, a->output);
	r = rl_out_open(&out, a->output);
	if (r)
		goto out;
	have_out = 1;
	if (!need_span) {
		r = rl_open_start(&o, &io2);
		if (r)
			goto out;
	}
	if (rl_schedwin_init(&w, start, end, &err) < 0) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
		goto out;
	}
	have_w = 1;
	/* hover texts only where they can be seen; collect at the drawn resolution */
	a->d.titles = a->format == RL_IMG_SVG || a->format == DRAW_FMT_LAYOUT;
	rl_schedwin_set_merge(&w, (int64_t)(a->d.merge / (xs / 1e6)),
			      (int64_t)(a->d.merge * RL_MARK_MERGE / (xs / 1e6)), a->d.by_cpu,
			      a->d.titles);
	w.t = o.t; /* idle tasks: no rows, no colours */
	xen = o.t->family == RL_FAM_XEN;
	if (a->d.by_cpu)
		r = draw_fill_with(&w, &o, a->voc, NULL, NULL, &err);
	else
		r = xen ? draw_fill_xen(&w, &o, a->voc, &err)
			: draw_fill_jobs(&w, &o, a->voc, &err);
	if (r < 0) {
		rl_print_err(&err);
		r = err.code == -RL_E_MIXED ? RL_EXIT_USAGE : RL_EXIT_DATA;
		goto out;
	}
	if (rl_layout_schedule(&w, o.t, &a->d, &dl, &st, &err) < 0) {
		rl_print_err(&err);
		if (err.code == -RL_E_USAGE && w.last_ts != INT64_MIN && start > w.last_ts)
			fprintf(stderr,
				"  the window starts after the trace's last event at %.6f ms\n",
				w.last_ts / 1e6);
		r = RL_EXIT_DATA;
		goto out;
	}
	if (a->verbose)
		fprintf(stderr,
			"%s: %u rows, %u bars for %u intervals, %u releases, %u deadlines, %u "
			"completions, %u deadline misses, %u suspensions; %llu switches without "
			"a partner; %llu events read; canvas %.0f x %.0f\n",
			rl_prog, st.rows, st.bars, st.intervals, st.releases, st.deadlines,
			st.completions, st.misses, st.suspensions, (unsigned long long)w.unpaired,
			(unsigned long long)w.events, dl.w, dl.h);
	if (a->verbose && st.density)
		fprintf(stderr, "%s: %u density bands (merged bars narrower than %g units)\n",
			rl_prog, st.density, a->d.merge);
	if (a->format == DRAW_FMT_LAYOUT)
		r = rl_dl_write_text(&dl, out.f, &err);
	else
		r = rl_render_scaled(&dl, a->format, scale, out.f, &err);
	if (r < 0) {
		rl_print_err(&err);
		r = err.code == -RL_E_USAGE ? RL_EXIT_USAGE : RL_EXIT_DATA;
		goto out;
	}
	r = rl_out_commit(&out);
	have_out = 0;
out:
	if (have_out)
		rl_out_abort(&out);
	if (have_o) {
		damage = o.t ? rl_print_warnings(o.t) : 0;
		if (!r && damage)
			r = RL_EXIT_DATA;
		rl_open_close(&o);
	}
	if (have_w)
		rl_schedwin_release(&w);
	rl_dl_release(&dl);
	free(defname);
	return r;
}

/* --size: the preset's width, fonts, rows, margin and PNG resolution, unless given. */
static void draw_size_preset(struct draw_args *a)
{
	static const struct {
		const char *name;
		double width, font, row, margin, dpi;
	} presets[] = {
		{"column", 252, 7, 18, 6, 300},
		{"page", 504, 8, 22, 8, 300},
		{"slide", 960, 18, 40, 16, 144},
	};
	size_t i;

	for (i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		if (strcmp(a->size, presets[i].name))
			continue;
		if (!(a->fit_width > 0) && !a->xscale_given)
			a->fit_width = presets[i].width;
		if (!a->font_given)
			a->d.font_size = presets[i].font;
		if (!a->yscale_given)
			a->d.yscale = presets[i].row;
		if (!a->margin_given)
			a->d.margin = presets[i].margin;
		if (!(a->dpi > 0))
			a->dpi = presets[i].dpi;
	}
}

/*
 * rtlens draw and st-draw: options, then draw_run(). (Over 100 lines: one
 * case per option of two option sets, st-draw's and rtlens'.)
 */
static int draw_main(int argc, char **argv, int st_draw)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"xscale", required_argument, NULL, 'x'},
		{"yscale", required_argument, NULL, 'y'},
		{"margin", required_argument, NULL, 0x200},
		{"major-ticks", required_argument, NULL, 0x201},
		{"minor-ticks", required_argument, NULL, 0x202},
		{"show-job-ids", no_argument, NULL, 'j'},
		{"from", required_argument, NULL, 0x20b},
		{"until", required_argument, NULL, 0x20a},
		{"to", required_argument, NULL, 0x20a},
		{"cpu", required_argument, NULL, RL_OPT_CPU},
		{"pid", required_argument, NULL, RL_OPT_PID},
		{"comm", required_argument, NULL, RL_OPT_COMM},
		{"length", required_argument, NULL, 'l'},
		{"relative", no_argument, NULL, 'r'},
		{"start-on-multiple", required_argument, NULL, 0x203},
		{"verbose", no_argument, NULL, 'v'},
		{"format", required_argument, NULL, 0x204},
		{"by-cpu", no_argument, NULL, 0x205},
		{"width", required_argument, NULL, 0x206},
		{"merge", required_argument, NULL, 0x207},
		{"no-merge", no_argument, NULL, 0x208},
		{"help", no_argument, NULL, 'h'},
		{"input-format", required_argument, NULL, 0x100},
		{"st-format", required_argument, NULL, 0x101},
		{"max-inflate", required_argument, NULL, 0x102},
		{"max-ratio", required_argument, NULL, 0x109},
		{"cpu-hz", required_argument, NULL, 0x103},
		{"xen-version", required_argument, NULL, 0x104},
		{"quiet", no_argument, NULL, 0x209},
		{"style", required_argument, NULL, 0x210},
		{"grayscale", no_argument, NULL, 0x211},
		{"greyscale", no_argument, NULL, 0x211},
		{"size", required_argument, NULL, 0x212},
		{"font-size", required_argument, NULL, 0x213},
		{"font-scale", required_argument, NULL, 0x214},
		{"dpi", required_argument, NULL, 0x215},
		RL_SKEW_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct rl_input_opts io = {0};
	static struct rl_vocab voc;
	struct draw_args a;
	int opt;

	memset(&a, 0, sizeof(a));
	rl_vocab_init(&voc, RL_UNIT_MS, 0, 0);
	a.voc = &voc;
	if (st_draw)
		rl_draw_opts_default(&a.d);
	else
		rl_draw_opts_paper(&a.d);
	a.win.length = 1000;
	a.st_draw = st_draw;
	a.win.from_start = !st_draw; /* st-draw: the trace timeline; rtlens draw: its start */
	while ((opt = getopt_long(argc, argv, "o:x:y:jf:u:l:rq:vh", longopts, NULL)) != -1) {
		double v;

		switch (opt) {
		case 'o':
			a.output = optarg;
			break;
		case 'x':
			if (draw_num("-x", optarg, &a.d.xscale))
				return RL_EXIT_USAGE;
			a.xscale_given = 1;
			break;
		case 'y':
			if (draw_num("-y", optarg, &a.d.yscale))
				return RL_EXIT_USAGE;
			a.yscale_given = 1;
			break;
		case 0x200:
			if (draw_num("--margin", optarg, &a.d.margin))
				return RL_EXIT_USAGE;
			a.margin_given = 1;
			break;
		case 0x210:
			if (!strcmp(optarg, "paper")) {
				a.d.style = RL_STYLE_PAPER;
			} else if (!strcmp(optarg, "st-draw")) {
				a.d.style = RL_STYLE_ST_DRAW;
			} else {
				rl_usage_error("--style takes paper or st-draw, not '%s'", optarg);
				return RL_EXIT_USAGE;
			}
			break;
		case 0x211:
			a.d.palette = RL_PAL_GRAY;
			break;
		case 0x212:
			if (strcmp(optarg, "column") && strcmp(optarg, "page") &&
			    strcmp(optarg, "slide")) {
				rl_usage_error("--size takes column, page or slide, not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			a.size = optarg;
			break;
		case 0x213:
		case 0x214:
		case 0x215:
			if (draw_num(opt == 0x213   ? "--font-size"
				     : opt == 0x214 ? "--font-scale"
						    : "--dpi",
				     optarg, &v))
				return RL_EXIT_USAGE;
			if (!(v > 0) || v > (opt == 0x215 ? 7200 : 1000)) {
				rl_usage_error("%s takes a positive number (at most %d), not '%s'",
					       opt == 0x213   ? "--font-size"
					       : opt == 0x214 ? "--font-scale"
							      : "--dpi",
					       opt == 0x215 ? 7200 : 1000, optarg);
				return RL_EXIT_USAGE;
			}
			if (opt == 0x213) {
				a.d.font_size = v;
				a.font_given = 1;
			} else if (opt == 0x214) {
				a.d.font_scale = v;
			} else {
				a.dpi = v;
			}
			break;
		case 0x201:
			if (draw_num("--major-ticks", optarg, &a.d.major_ticks))
				return RL_EXIT_USAGE;
			break;
		case 0x202:
			if (draw_num("--minor-ticks", optarg, &a.d.minor_ticks))
				return RL_EXIT_USAGE;
			break;
		case 'j':
			a.d.show_job_ids = 1;
			break;
		case 'f':
			if (draw_num("-f", optarg, &a.win.from))
				return RL_EXIT_USAGE;
			a.win.from_given = 1;
			break;
		case 'u':
			if (draw_num("-u", optarg, &a.win.until))
				return RL_EXIT_USAGE;
			a.win.until_given = 1;
			break;
		case 0x20a:
		case 0x20b: {
			int64_t ns;
			struct rl_err err;

			rl_err_init(&err);
			if (rl_time_parse(optarg, RL_UNIT_MS, &ns, &err) < 0) {
				rl_usage_error("--%s: %s", opt == 0x20b ? "from" : "until/--to",
					       err.msg);
				return RL_EXIT_USAGE;
			}
			*(opt == 0x20b ? &a.win.from : &a.win.until) = (double)ns / 1e6;
			*(opt == 0x20b ? &a.win.from_given : &a.win.until_given) = 1;
			break;
		}
		case 'l':
			if (draw_num("-l", optarg, &a.win.length))
				return RL_EXIT_USAGE;
			a.length_given = 1;
			break;
		case 'r':
			a.win.relative = 1;
			break;
		case 'q':
		case 0x203:
			if (draw_num("-q", optarg, &a.win.quantum))
				return RL_EXIT_USAGE;
			break;
		case 'v':
			a.verbose = 1;
			break;
		case 0x204:
			if (!strcmp(optarg, "layout"))
				a.format = DRAW_FMT_LAYOUT;
			else if (!(a.format = rl_img_format_by_name(optarg))) {
				rl_usage_error("--format takes png, svg, pdf or layout, not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			break;
		case 0x205:
			a.d.by_cpu = 1;
			break;
		case 0x206:
			if (draw_num("--width", optarg, &v))
				return RL_EXIT_USAGE;
			if (!(v > 0)) {
				rl_usage_error("--width takes a positive number, not '%s'", optarg);
				return RL_EXIT_USAGE;
			}
			a.fit_width = v;
			break;
		case 0x207:
			if (draw_num("--merge", optarg, &a.d.merge))
				return RL_EXIT_USAGE;
			break;
		case 0x208:
			a.d.merge = 0;
			break;
		case 0x209:
			rl_quiet = 1;
			break;
		case 'h':
			fputs(draw_help, stdout);
			return RL_EXIT_OK;
		default: {
			int k = opt == '?' ? 0 : rl_opt_vocab(opt, optarg, &voc);

			if (!k && opt != '?')
				k = rl_opt_input(opt, optarg, &io);

			if (k <= 0) {
				if (!k)
					fprintf(stderr, "(try '%s --help')\n",
						st_draw ? "st-draw" : "rtlens draw");
				return RL_EXIT_USAGE;
			}
		}
		}
	}
	if (a.size && a.d.style != RL_STYLE_PAPER) {
		rl_usage_error("--size is for the paper style, not --style st-draw");
		return RL_EXIT_USAGE;
	}
	if (a.size)
		draw_size_preset(&a);
	if (!(a.d.xscale > 0) || !(a.d.yscale > 0) || a.d.margin < 0 || a.d.major_ticks < 0 ||
	    a.d.minor_ticks < 0 || a.d.merge < 0 || a.win.length < 0 || a.win.quantum < 0) {
		rl_usage_error("scales must be positive; margin, ticks, --merge, -l and -q not "
			       "negative");
		return RL_EXIT_USAGE;
	}
	return draw_run(argv + optind, argc - optind, &io, &a);
}

/**
 * cmd_draw() - `rtlens draw`
 * @argc: argument count
 * @argv: arguments, argv[0] = "draw"
 *
 * Return: exit status.
 */
int cmd_draw(int argc, char **argv)
{
	int r = draw_main(argc, argv, 0);

	rl_draw_cleanup();
	return r;
}

/**
 * cmd_st_draw() - the st-draw compatibility name: same options, PDF by default
 * @argc: argument count
 * @argv: arguments
 *
 * Return: exit status.
 */
int cmd_st_draw(int argc, char **argv)
{
	int r = draw_main(argc, argv, 1);

	rl_draw_cleanup();
	return r;
}
