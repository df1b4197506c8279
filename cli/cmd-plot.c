/*
 * cli/cmd-plot.c - `rtlens plot`: CDFs, CCDFs and histograms of samples from
 * CSV files, and of cyclictest's latency histograms.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../draw/draw.h"

static const char plot_help[] =
	"usage: rtlens plot [OPTIONS] FILE.csv... -o OUT.{png,svg,pdf}\n\n"
	"Plot the samples in one column of each CSV file as a CDF (default), a CCDF\n"
	"or a histogram, one series per file, in one figure with a legend. Lines\n"
	"starting with # are skipped; a first line whose field is not a number is a\n"
	"header (then --column may name the column). ft2csv's 'start, end, delta'\n"
	"lines work as they are (the default column is the last).\n"
	"cyclictest results (the -h/--histfile text or --json; rt-tests) give one\n"
	"series per thread, in us: by default OSADL's latency plot (bins of 1 us,\n"
	"log counts, each max marked); samples above the histogram's range are\n"
	"drawn dashed between the range and the max. Several files (host and guest,\n"
	"PREEMPT and PREEMPT_RT) share one figure, labelled by file.\n\n"
	"Options:\n"
	"  -o, --output FILE     image (format from the extension; default plot.pdf)\n"
	"  --format FMT          png, svg, pdf, or layout (the display list as text)\n"
	"  --cdf                 cumulative distribution (default)\n"
	"  --ccdf                exceedance (fraction of samples > x) on a log y axis,\n"
	"                        p99, p99.9 and each max marked: latency tails\n"
	"  --hist                histogram\n"
	"  --bins N              histogram bins (default 40)\n"
	"  --bin-width W         histogram bins of width W (x units) from a multiple\n"
	"                        of W, and each max marked (cyclictest: 1 us)\n"
	"  --log-y               histogram counts on a log axis (cyclictest: default)\n"
	"  --no-markers          no percentile or max markers\n"
	"  -c, --column COL      column number (1 = first) or header name; default last\n"
	"  --label TEXT          legend label of the next file (repeat, in file order);\n"
	"                        default: the file's name without directory and .csv\n"
	"  --scale F             multiply every sample by F (e.g. 0.001: ns to us)\n"
	"  --log-x               logarithmic x axis (samples <= 0 are left out)\n"
	"  --xlabel TEXT         x axis label (default: the column's name, or 'value')\n"
	"  --unit UNIT           appended to the x label as ' (UNIT)'\n"
	"  --ylabel TEXT, --title TEXT\n"
	"  --width N, --height N canvas size (default 800 x 500)\n"
	"  --response-times      inputs are `rtlens jobs` CSV: one CDF per task of its\n"
	"                        jobs' response times, in ms (the unit read from the\n"
	"                        file: ns, or ms written by jobs -m)\n"
	"  --float32             inputs are native float32 arrays (ft2csv -r output)\n"
	"  --by COL              one series per distinct value of column COL (e.g. group\n"
	"                        of `rtlens overheads|latency --samples` output)\n"
	"  -h, --help            this help\n";

#define PLOT_FMT_LAYOUT 100

static char *plot_label_of(const char *path)
{
	const char *b = strrchr(path, '/');
	char *l;
	size_t n;

	b = b ? b + 1 : path;
	l = strdup(b);
	if (!l)
		return NULL;
	n = strlen(l);
	if (n > 4 && !strcmp(l + n - 4, ".csv"))
		l[n - 4] = 0;
	return l;
}

/* Read one file into the set and say what it left out. Return: 0 or an exit code. */
static int plot_read(const char *path, const char *label, const struct rl_samples_opts *so,
		     int float32, struct rl_samples *ss)
{
	struct rl_samples_stats st;
	struct rl_err err;
	uint32_t i;
	int r;

	rl_err_init(&err);
	if (float32)
		r = rl_samples_read_f32(ss, path, label, so->scale, &st, &err);
	else
		r = rl_samples_read_csv(ss, path, label, so, &st, &err);
	for (i = 0; i < st.nfirst_bad; i++)
		fprintf(stderr, "%s:%llu: warning: '%s' is not a number; row skipped\n", path,
			(unsigned long long)st.first_bad[i].line, st.first_bad[i].text);
	if (r < 0) {
		/* errors about a line name it by number, as a text editor would */
		if (st.line)
			fprintf(stderr, "%s:%llu: error: %s\n", path, (unsigned long long)st.line,
				err.msg);
		else
			rl_print_err(&err);
		return RL_EXIT_DATA;
	}
	if (rl_quiet)
		return 0;
	if (st.bad)
		fprintf(stderr,
			"%s: warning: %llu of %llu rows had no number in the column; "
			"skipped\n",
			path, (unsigned long long)st.bad, (unsigned long long)st.rows);
	if (st.empty && !so->response)
		fprintf(stderr, "%s: warning: %llu rows with an empty field skipped\n", path,
			(unsigned long long)st.empty);
	if (st.trailing)
		fprintf(stderr, "%s:0x%llx: warning: trailing %llu bytes are not a whole float32\n",
			path, (unsigned long long)st.trailing_off, (unsigned long long)st.trailing);
	return 0;
}

static int plot_dim(const char *opt, const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(*out)) {
		rl_usage_error("%s takes a number, not '%s'", opt, s);
		return -1;
	}
	return 0;
}

/* rtlens plot: options, then one figure. (Over 100 lines: one case per option.) */
static int plot_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 0x300},
		{"cdf", no_argument, NULL, 0x301},
		{"hist", no_argument, NULL, 0x302},
		{"bins", required_argument, NULL, 0x303},
		{"column", required_argument, NULL, 'c'},
		{"label", required_argument, NULL, 0x304},
		{"scale", required_argument, NULL, 0x305},
		{"log-x", no_argument, NULL, 0x306},
		{"xlabel", required_argument, NULL, 0x307},
		{"unit", required_argument, NULL, 0x308},
		{"ylabel", required_argument, NULL, 0x309},
		{"title", required_argument, NULL, 0x30a},
		{"width", required_argument, NULL, 0x30b},
		{"height", required_argument, NULL, 0x30c},
		{"response-times", no_argument, NULL, 0x30d},
		{"float32", no_argument, NULL, 0x30e},
		{"by", required_argument, NULL, 0x30f},
		{"ccdf", no_argument, NULL, 0x310},
		{"bin-width", required_argument, NULL, 0x311},
		{"log-y", no_argument, NULL, 0x312},
		{"no-markers", no_argument, NULL, 0x313},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct rl_plot_opts po = {.kind = RL_PLOT_CDF, .markers = 1};
	struct rl_samples_opts so = {.scale = 1};
	struct rl_samples ss;
	struct rl_outfile out;
	struct rl_err err;
	struct rl_dl dl;
	const char *output = "plot.pdf", *unit = NULL, **labels = NULL;
	char *xlabel = NULL, ylabel[96];
	int opt, format = 0, nlabels = 0, float32 = 0, i, r = 0, kind_given = 0, ncyc = 0;
	uint64_t dropped = 0;
	double v;

	memset(&dl, 0, sizeof(dl));
	rl_samples_init(&ss);
	rl_err_init(&err);
	labels = calloc((size_t)argc + 1, sizeof(*labels)); /* at most one per argument */
	if (!labels) {
		fprintf(stderr, "%s: error: out of memory\n", rl_prog);
		return RL_EXIT_DATA;
	}
	while ((opt = getopt_long(argc, argv, "o:c:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 0x300:
			if (!strcmp(optarg, "layout"))
				format = PLOT_FMT_LAYOUT;
			else if (!(format = rl_img_format_by_name(optarg))) {
				rl_usage_error("--format takes png, svg, pdf or layout, not '%s'",
					       optarg);
				r = RL_EXIT_USAGE;
				goto out;
			}
			break;
		case 0x301:
			po.kind = RL_PLOT_CDF;
			kind_given = 1;
			break;
		case 0x302:
			po.kind = RL_PLOT_HIST;
			kind_given = 1;
			break;
		case 0x310:
			po.kind = RL_PLOT_CCDF;
			kind_given = 1;
			break;
		case 0x311:
			if (plot_dim("--bin-width", optarg, &po.bin_width))
				goto usage;
			if (!(po.bin_width > 0)) {
				rl_usage_error("--bin-width takes a positive width, not '%s'",
					       optarg);
				goto usage;
			}
			break;
		case 0x312:
			po.logy = 1;
			break;
		case 0x313:
			po.markers = 0;
			break;
		case 0x303:
			if (plot_dim("--bins", optarg, &v))
				goto usage;
			if (v < 1 || v > 100000 || v != floor(v)) {
				rl_usage_error("--bins takes a whole number 1..100000, not '%s'",
					       optarg);
				goto usage;
			}
			po.bins = (unsigned)v;
			break;
		case 'c':
			so.column = optarg;
			break;
		case 0x304:
			labels[nlabels++] = optarg;
			break;
		case 0x305:
			if (plot_dim("--scale", optarg, &so.scale))
				goto usage;
			break;
		case 0x306:
			po.logx = 1;
			break;
		case 0x307:
			po.xlabel = optarg;
			break;
		case 0x308:
			unit = optarg;
			break;
		case 0x309:
			po.ylabel = optarg;
			break;
		case 0x30a:
			po.title = optarg;
			break;
		case 0x30b:
			if (plot_dim("--width", optarg, &po.width))
				goto usage;
			break;
		case 0x30c:
			if (plot_dim("--height", optarg, &po.height))
				goto usage;
			break;
		case 0x30d:
			so.response = 1;
			break;
		case 0x30e:
			float32 = 1;
			break;
		case 0x30f:
			so.by = optarg;
			break;
		case 'q':
			rl_quiet = 1;
			break;
		case 'h':
			fputs(plot_help, stdout);
			goto out;
		default:
			fputs("(try 'rtlens plot --help')\n", stderr);
			goto usage;
		}
	}
	if (optind >= argc) {
		rl_usage_error("no input files (try --help)");
		goto usage;
	}
	so.nfiles = argc - optind;
	if (nlabels > argc - optind) {
		rl_usage_error("%d labels for %d files", nlabels, argc - optind);
		goto usage;
	}
	if (so.by && (so.response || float32)) {
		rl_usage_error("--by goes with CSV samples, not --response-times or --float32");
		goto usage;
	}
	if (!format)
		format = rl_img_format_of_path(output);
	if (!format) {
		rl_usage_error("cannot tell the image format of '%s': use a .png, .svg or .pdf "
			       "name, or --format",
			       output);
		goto usage;
	}
	for (i = optind; i < argc; i++) {
		char *auto_label = NULL;
		int k = i - optind;

		if (k >= nlabels) {
			auto_label = plot_label_of(argv[i]);
			if (!auto_label) {
				r = RL_EXIT_DATA;
				goto out;
			}
		}
		if (!float32 && !so.response && rl_samples_probe_cyclictest(argv[i])) {
			struct rl_samples_stats st;
			uint32_t first = ss.n, j;
			size_t in = 0;

			rl_err_init(&err);
			r = rl_samples_read_cyclictest(
				&ss, argv[i], k < nlabels ? labels[k] : auto_label, &so, &st, &err);
			if (r < 0) {
				rl_print_err(&err);
				r = RL_EXIT_DATA;
			}
			for (j = first; j < ss.n; j++)
				in += ss.s[j].n;
			if (!r && !in && !rl_quiet)
				fprintf(stderr,
					"%s: warning: no sample inside a histogram (run without "
					"-h, "
					"or all %llu above its range): nothing to draw but "
					"maxima\n",
					argv[i], (unsigned long long)st.rows);
			ncyc++;
		} else {
			r = plot_read(argv[i], k < nlabels ? labels[k] : auto_label, &so, float32,
				      &ss);
		}
		free(auto_label);
		if (r)
			goto out;
	}
	if (ncyc) {
		/* latency histograms: OSADL's plot unless another kind is asked for */
		if (!kind_given && ncyc == argc - optind)
			po.kind = RL_PLOT_HIST;
		if (po.kind == RL_PLOT_HIST && !po.logx)
			po.logy = 1;
		if (!po.xlabel && !ss.xlabel)
			po.xlabel = unit ? "latency" : "latency (us)";
		if (po.kind == RL_PLOT_HIST && po.logy && !po.ylabel && !po.logx) {
			snprintf(ylabel, sizeof(ylabel), "samples per %g %s bin (log)",
				 po.bin_width > 0 ? po.bin_width : 1, unit ? unit : "us");
			po.ylabel = ylabel;
		}
	}
	if (po.kind == RL_PLOT_HIST && po.logx && po.bin_width > 0) {
		rl_usage_error("--bin-width goes with a linear x axis, not --log-x");
		goto usage;
	}
	if (so.response) {
		if (!po.xlabel)
			po.xlabel = "response time (ms)";
		if (!po.title)
			po.title = "Job response times";
	} else if (!po.xlabel || unit) {
		const char *base = po.xlabel ? po.xlabel : ss.xlabel ? ss.xlabel : "value";

		xlabel = malloc(strlen(base) + (unit ? strlen(unit) : 0) + 4);
		if (!xlabel) {
			r = RL_EXIT_DATA;
			goto out;
		}
		if (unit) {
			/* rescaled, the column's unit no longer holds: value_ns --scale 0.001
			 * --unit us is "value (us)", not "value_ns (us)" */
			static const char *const sfx[] = {"_ns", "_us", "_ms", "_s", "_cycles"};
			size_t bl = strlen(base), k, l;

			for (k = 0; !po.xlabel && so.scale != 1 && k < sizeof(sfx) / sizeof(sfx[0]);
			     k++) {
				l = strlen(sfx[k]);
				if (bl > l && !strcmp(base + bl - l, sfx[k])) {
					bl -= l;
					break;
				}
			}
			sprintf(xlabel, "%.*s (%s)", (int)bl, base, unit);
		} else
			strcpy(xlabel, base);
		if (!unit && !po.xlabel && so.scale == 1) {
			/* a column named with its unit (response_ms, value_ns): "response (ms)" */
			static const char *const units[] = {"_ns", "_us", "_ms", "_s", "_cycles"};
			size_t n = strlen(xlabel), k, l;

			for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
				l = strlen(units[k]);
				if (n > l && !strcmp(xlabel + n - l, units[k])) {
					sprintf(xlabel + n - l, " (%s)", units[k] + 1);
					break;
				}
			}
		}
		po.xlabel = xlabel;
	}
	if (rl_layout_plot(ss.s, ss.n, &po, &dl, &dropped, &err) < 0) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
		goto out;
	}
	if (dropped && !rl_quiet)
		fprintf(stderr, "%s: warning: %llu samples left out (not finite%s)\n", rl_prog,
			(unsigned long long)dropped, po.logx ? ", or <= 0 on the log axis" : "");
	r = rl_out_open(&out, output);
	if (r)
		goto out;
	if (format == PLOT_FMT_LAYOUT)
		r = rl_dl_write_text(&dl, out.f, &err);
	else
		r = rl_render(&dl, format, out.f, &err);
	if (r < 0) {
		rl_print_err(&err);
		rl_out_abort(&out);
		r = RL_EXIT_DATA;
		goto out;
	}
	r = rl_out_commit(&out);
	goto out;
usage:
	r = RL_EXIT_USAGE;
out:
	free(labels);
	rl_dl_release(&dl);
	rl_samples_release(&ss);
	free(xlabel);
	return r;
}

/**
 * cmd_plot() - `rtlens plot`
 * @argc: argument count
 * @argv: arguments, argv[0] = "plot"
 *
 * Return: exit status.
 */
int cmd_plot(int argc, char **argv)
{
	int r = plot_main(argc, argv);

	rl_draw_cleanup();
	return r;
}
