/* cli/cmd-plot.c - `rtlens plot`: CDFs and histograms of samples from CSV files. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../draw/draw.h"

static const char plot_help[] =
	"usage: rtlens plot [OPTIONS] FILE.csv... -o OUT.{png,svg,pdf}\n\n"
	"Plot the samples in one column of each CSV file as a CDF (default) or a\n"
	"histogram, one series per file, in one figure with a legend. Lines starting\n"
	"with # are skipped; a first line whose field is not a number is a header\n"
	"(then --column may name the column). ft2csv's 'start, end, delta' lines work\n"
	"as they are (the default column is the last).\n\n"
	"Options:\n"
	"  -o, --output FILE     image (format from the extension; default plot.pdf)\n"
	"  --format FMT          png, svg, pdf, or layout (the display list as text)\n"
	"  --cdf                 cumulative distribution (default)\n"
	"  --hist                histogram\n"
	"  --bins N              histogram bins (default 40)\n"
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
	"                        jobs' response times, in ms\n"
	"  --float32             inputs are native float32 arrays (ft2csv -r output)\n"
	"  --by COL              one series per distinct value of column COL (e.g. group\n"
	"                        of `rtlens overheads|latency --samples` output)\n"
	"  -h, --help            this help\n";

#define PLOT_FMT_LAYOUT 100

struct plot_set {
	struct rl_plot_series *s;
	char **labels; /* owned */
	uint32_t n, cap;
	size_t *cap_v;
};

static int plot_set_add(struct plot_set *ps, const char *label)
{
	if (ps->n == ps->cap) {
		uint32_t nc = ps->cap ? 2 * ps->cap : 8;
		struct rl_plot_series *ns = realloc(ps->s, nc * sizeof(*ns));
		char **nl;
		size_t *ncv;

		if (!ns)
			return -1;
		ps->s = ns;
		nl = realloc(ps->labels, nc * sizeof(*nl));
		if (!nl)
			return -1;
		ps->labels = nl;
		ncv = realloc(ps->cap_v, nc * sizeof(*ncv));
		if (!ncv)
			return -1;
		ps->cap_v = ncv;
		ps->cap = nc;
	}
	ps->labels[ps->n] = strdup(label);
	if (!ps->labels[ps->n])
		return -1;
	memset(&ps->s[ps->n], 0, sizeof(ps->s[0]));
	ps->s[ps->n].label = ps->labels[ps->n];
	ps->cap_v[ps->n] = 0;
	return (int)ps->n++;
}

static int plot_push(struct plot_set *ps, uint32_t i, double v)
{
	struct rl_plot_series *s = &ps->s[i];

	if (s->n == ps->cap_v[i]) {
		size_t nc = ps->cap_v[i] ? 2 * ps->cap_v[i] : 256;
		double *nv = realloc(s->v, nc * sizeof(*nv));

		if (!nv)
			return -1;
		s->v = nv;
		ps->cap_v[i] = nc;
	}
	s->v[s->n++] = v;
	return 0;
}

static void plot_set_free(struct plot_set *ps)
{
	uint32_t i;

	for (i = 0; i < ps->n; i++) {
		free(ps->s[i].v);
		free(ps->labels[i]);
	}
	free(ps->s);
	free(ps->labels);
	free(ps->cap_v);
	memset(ps, 0, sizeof(*ps));
}

/* Split @line at commas in place; fields are trimmed and unquoted. */
static int plot_split(char *line, char ***fields, size_t *cap)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *f, *e;

		if ((size_t)n == *cap) {
			size_t nc = *cap ? 2 * *cap : 16;
			char **nf = realloc(*fields, nc * sizeof(*nf));

			if (!nf)
				return -1;
			*fields = nf;
			*cap = nc;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		f = p;
		while (*p && *p != ',' && *p != '\n' && *p != '\r')
			p++;
		e = p;
		while (e > f && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e - f >= 2 && *f == '"' && e[-1] == '"') {
			f++;
			e--;
		}
		(*fields)[n++] = f;
		if (*p != ',') {
			*e = 0;
			break;
		}
		*e = 0;
		p++;
	}
	return n;
}

static int plot_num(const char *s, double *v)
{
	char *end;

	if (!*s)
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	return (errno == ERANGE && !isfinite(*v)) || *end ? -1 : 0;
}

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

struct plot_args {
	const char *column;
	const char *by; /* one series per distinct value of this column */
	double scale;
	int response;
	int float32;
	char *xlabel_auto; /* owned */
};

/* ft2csv -r: native float32 values, nothing else. */
static int plot_read_f32(const char *path, const char *label, double scale, struct plot_set *ps)
{
	FILE *f = fopen(path, "rb");
	float buf[4096];
	size_t n, i;
	uint64_t total = 0;
	int series, r = 0;

	if (!f) {
		fprintf(stderr, "%s: error: cannot open: %s\n", path, strerror(errno));
		return RL_EXIT_DATA;
	}
	series = plot_set_add(ps, label);
	if (series < 0)
		goto nomem;
	while ((n = fread(buf, sizeof(float), sizeof(buf) / sizeof(buf[0]), f)) > 0) {
		for (i = 0; i < n; i++)
			if (plot_push(ps, (uint32_t)series, (double)buf[i] * scale))
				goto nomem;
		total += n;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
		r = RL_EXIT_DATA;
	} else if (ftell(f) >= 0 && (uint64_t)ftell(f) != total * sizeof(float) && !rl_quiet) {
		fprintf(stderr, "%s:0x%llx: warning: trailing %llu bytes are not a whole float32\n",
			path, (unsigned long long)(total * sizeof(float)),
			(unsigned long long)((uint64_t)ftell(f) - total * sizeof(float)));
	}
	fclose(f);
	return r;
nomem:
	fclose(f);
	fprintf(stderr, "%s: error: out of memory\n", rl_prog);
	return RL_EXIT_DATA;
}

/* --by: the distinct values of the column seen so far and their series. */
struct plot_by {
	char **keys;
	uint32_t *series;
	uint32_t n, last;
};

static void plot_by_free(struct plot_by *b)
{
	uint32_t i;

	for (i = 0; i < b->n; i++)
		free(b->keys[i]);
	free(b->keys);
	free(b->series);
	memset(b, 0, sizeof(*b));
}

/* The series of value @key (created in order of appearance); -1 out of memory. */
static int plot_by_series(struct plot_by *b, struct plot_set *ps, const char *key,
			  const char *file, int nfiles)
{
	char **nk;
	uint32_t *ns;
	char *lab;
	int sidx;

	if (b->n && !strcmp(b->keys[b->last], key)) /* rows of a series come together */
		return (int)b->series[b->last];
	for (b->last = 0; b->last < b->n; b->last++)
		if (!strcmp(b->keys[b->last], key))
			return (int)b->series[b->last];
	nk = realloc(b->keys, (b->n + 1) * sizeof(*nk));
	if (nk)
		b->keys = nk;
	ns = realloc(b->series, (b->n + 1) * sizeof(*ns));
	if (ns)
		b->series = ns;
	if (!nk || !ns)
		return -1;
	if (nfiles > 1 ? asprintf(&lab, "%s: %s", file, key) < 0 : !(lab = strdup(key)))
		return -1;
	sidx = plot_set_add(ps, lab);
	free(lab);
	b->keys[b->n] = strdup(key);
	if (sidx < 0 || !b->keys[b->n])
		return -1;
	b->series[b->n] = (uint32_t)sidx;
	b->last = b->n++;
	return sidx;
}

/* Read one file into the set. Return: 0 or an exit code (printed). */
static int plot_read(const char *path, const char *label, struct plot_args *pa, struct plot_set *ps,
		     int nfiles)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, **fields = NULL;
	size_t lcap = 0, fcap = 0;
	ssize_t len;
	long lineno = 0, col = -1, cpid = -1, cname = -1, cby = -1;
	struct plot_by by = {0};
	uint64_t bad = 0, empty = 0, rows = 0;
	int header_done = 0, r = 0, series = -1;
	/* --response-times: series per pid, in order of appearance */
	long *pids = NULL;
	uint32_t npids = 0, *pid_series = NULL;

	if (!f) {
		fprintf(stderr, "%s: error: cannot open: %s\n", path, strerror(errno));
		return RL_EXIT_DATA;
	}
	if (!pa->response && !pa->by) {
		series = plot_set_add(ps, label);
		if (series < 0)
			goto nomem;
	}
	while ((len = getline(&line, &lcap, f)) > 0) {
		int nf, i;
		double v;

		lineno++;
		if (line[0] == '#' || line[0] == '\n' || (line[0] == '\r' && line[1] == '\n'))
			continue;
		nf = plot_split(line, &fields, &fcap);
		if (nf < 0)
			goto nomem;
		if (!header_done) {
			header_done = 1;
			if (pa->response) {
				for (i = 0; i < nf; i++) {
					if (!strcmp(fields[i], "response"))
						col = i;
					else if (!strcmp(fields[i], "pid"))
						cpid = i;
					else if (!strcmp(fields[i], "name"))
						cname = i;
				}
				if (col < 0 || cpid < 0) {
					fprintf(stderr,
						"%s:%ld: error: no 'pid' and 'response' columns: "
						"not `rtlens jobs` CSV output\n",
						path, lineno);
					r = RL_EXIT_DATA;
					goto out;
				}
				continue;
			}
			if (pa->column) {
				char *end;
				long k = strtol(pa->column, &end, 10);

				if (!*end && k >= 1)
					col = k - 1;
			}
			if (col < 0 && !pa->column)
				col = nf - 1;
			for (i = 0; i < nf && !plot_num(fields[i], &v); i++)
				;
			if (i == nf && col < 0) {
				fprintf(stderr,
					"%s:%ld: error: column '%s' named, but the file has no "
					"header\n",
					path, lineno, pa->column);
				r = RL_EXIT_DATA;
				goto out;
			}
			if (i == nf || (col >= 0 && col < nf && !plot_num(fields[col], &v))) {
				/* no header: this is data */
				if (pa->by) {
					fprintf(stderr,
						"%s:%ld: error: --by names a column, but the file "
						"has no header\n",
						path, lineno);
					r = RL_EXIT_DATA;
					goto out;
				}
			} else {
				/* a header: find the column by name */
				if (col < 0)
					for (i = 0; i < nf; i++)
						if (!strcmp(fields[i], pa->column))
							col = i;
				if (col < 0 || col >= nf) {
					fprintf(stderr,
						"%s:%ld: error: no column '%s' (the header has %d "
						"fields)\n",
						path, lineno, pa->column ? pa->column : "?", nf);
					r = RL_EXIT_DATA;
					goto out;
				}
				if (!pa->xlabel_auto && nfiles >= 1)
					pa->xlabel_auto = strdup(fields[col]);
				for (i = 0; pa->by && i < nf; i++)
					if (!strcmp(fields[i], pa->by))
						cby = i;
				if (pa->by && cby < 0) {
					fprintf(stderr, "%s:%ld: error: --by: no column '%s'\n",
						path, lineno, pa->by);
					r = RL_EXIT_DATA;
					goto out;
				}
				continue;
			}
		}
		rows++;
		if (col >= nf) {
			bad++;
			continue;
		}
		if (!*fields[col]) {
			empty++;
			continue;
		}
		if (plot_num(fields[col], &v)) {
			if (bad < 3)
				fprintf(stderr,
					"%s:%ld: warning: '%s' is not a number; row skipped\n",
					path, lineno, fields[col]);
			bad++;
			continue;
		}
		if (pa->response) {
			char *end;
			long pid = cpid < nf ? strtol(fields[cpid], &end, 10) : 0;
			uint32_t k;

			for (k = 0; k < npids && pids[k] != pid; k++)
				;
			if (k == npids) {
				char lab[256];
				long *np = realloc(pids, (npids + 1) * sizeof(*np));
				uint32_t *nps;
				int sidx;

				if (!np)
					goto nomem;
				pids = np;
				nps = realloc(pid_series, (npids + 1) * sizeof(*nps));
				if (!nps)
					goto nomem;
				pid_series = nps;
				if (nfiles > 1)
					snprintf(lab, sizeof(lab), "%s: %s/%ld", label,
						 cname >= 0 && cname < nf ? fields[cname] : "",
						 pid);
				else
					snprintf(lab, sizeof(lab), "%s/%ld",
						 cname >= 0 && cname < nf ? fields[cname] : "",
						 pid);
				sidx = plot_set_add(ps, lab);
				if (sidx < 0)
					goto nomem;
				pids[npids] = pid;
				pid_series[npids++] = (uint32_t)sidx;
			}
			if (plot_push(ps, pid_series[k], v / 1e6))
				goto nomem;
		} else if (pa->by) {
			int sidx = plot_by_series(&by, ps, cby < nf ? fields[cby] : "", label,
						  nfiles);

			if (sidx < 0 || plot_push(ps, (uint32_t)sidx, v * pa->scale))
				goto nomem;
		} else if (plot_push(ps, (uint32_t)series, v * pa->scale)) {
			goto nomem;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
		r = RL_EXIT_DATA;
		goto out;
	}
	if (bad && !rl_quiet)
		fprintf(stderr,
			"%s: warning: %llu of %llu rows had no number in the column; "
			"skipped\n",
			path, (unsigned long long)bad, (unsigned long long)rows);
	if (empty && !rl_quiet && !pa->response)
		fprintf(stderr, "%s: warning: %llu rows with an empty field skipped\n", path,
			(unsigned long long)empty);
	goto out;
nomem:
	fprintf(stderr, "%s: error: out of memory\n", rl_prog);
	r = RL_EXIT_DATA;
out:
	plot_by_free(&by);
	free(pids);
	free(pid_series);
	free(line);
	free(fields);
	fclose(f);
	return r;
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
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct rl_plot_opts po = {.kind = RL_PLOT_CDF};
	struct plot_args pa = {.scale = 1};
	struct plot_set ps = {0};
	struct rl_outfile out;
	struct rl_err err;
	struct rl_dl dl;
	const char *output = "plot.pdf", *unit = NULL, **labels = NULL;
	char *xlabel = NULL;
	int opt, format = 0, nlabels = 0, i, r = 0;
	uint64_t dropped = 0;
	double v;

	memset(&dl, 0, sizeof(dl));
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
			break;
		case 0x302:
			po.kind = RL_PLOT_HIST;
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
			pa.column = optarg;
			break;
		case 0x304:
			labels[nlabels++] = optarg;
			break;
		case 0x305:
			if (plot_dim("--scale", optarg, &pa.scale))
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
			pa.response = 1;
			break;
		case 0x30e:
			pa.float32 = 1;
			break;
		case 0x30f:
			pa.by = optarg;
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
	if (nlabels > argc - optind) {
		rl_usage_error("%d labels for %d files", nlabels, argc - optind);
		goto usage;
	}
	if (pa.by && (pa.response || pa.float32)) {
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
		if (pa.float32)
			r = plot_read_f32(argv[i], k < nlabels ? labels[k] : auto_label, pa.scale,
					  &ps);
		else
			r = plot_read(argv[i], k < nlabels ? labels[k] : auto_label, &pa, &ps,
				      argc - optind);
		free(auto_label);
		if (r)
			goto out;
	}
	if (pa.response) {
		if (!po.xlabel)
			po.xlabel = "response time (ms)";
		if (!po.title)
			po.title = "Job response times";
	} else if (!po.xlabel || unit) {
		const char *base = po.xlabel	    ? po.xlabel
				   : pa.xlabel_auto ? pa.xlabel_auto
						    : "value";

		xlabel = malloc(strlen(base) + (unit ? strlen(unit) : 0) + 4);
		if (!xlabel) {
			r = RL_EXIT_DATA;
			goto out;
		}
		if (unit)
			sprintf(xlabel, "%s (%s)", base, unit);
		else
			strcpy(xlabel, base);
		po.xlabel = xlabel;
	}
	if (rl_layout_plot(ps.s, ps.n, &po, &dl, &dropped, &err) < 0) {
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
	plot_set_free(&ps);
	free(pa.xlabel_auto);
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
