/* cli/cmd-overheads.c - `rtlens overheads`: Feather-Trace overhead statistics. */
#include "ovh-cli.h"
#include "../readers/feather-trace.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char ovh_help[] =
	"usage: rtlens overheads [OPTIONS] FILE|DIR...\n"
	"       rtlens overheads --ft2csv [ft2csv options] EVENT FILE\n"
	"       rtlens overheads --ftdump FILE   (ftdump's listing of every record)\n\n"
	"Extract every overhead sample (all event types, one pass per file) from\n"
	"Feather-Trace files (..._cpu=N.bin, ..._msg=N.bin, or old single files; a\n"
	"directory means its *.bin files) and print statistics per event and file\n"
	"group. Files whose names differ only in the --combine keys form one group;\n"
	"the other key=value parts of the names become columns.\n\n"
	"Pairs are START/END by event id (ids 100..199), by pid with suspensions\n"
	"excluded (ids < 100); ids >= 200 are single values in ns. Deltas are taken\n"
	"modulo 2^48, so pairs across the counter wrap are kept. Every dropped sample\n"
	"is counted by reason: irq, seq_hole, interleaved, non_rt, incomplete,\n"
	"cpu_filtered, negative (END before START), orphan_end (END without START).\n"
	"Statistics as ft-compute-stats: n min max mean median stddev (ddof 1) var\n"
	"(ddof 0) p90 p95 p99 p99.9 (linear interpolation), from exact integers.\n"
	"Given Linux traces (trace.dat, ftrace text, CTF), this is `rtlens latency`:\n"
	"wake-up latency and handler durations in the same report (see its --help).\n"
	"Given xentrace files: the Xen scheduler overheads (events sched, switch,\n"
	"tickle, irq, research probes; in ns; left out: lost, incomplete, negative;\n"
	"see `rtlens xen --help`) in the same report.\n\n"
	"Output (default: the statistics table):\n"
	"  --format FMT          table (default), csv or json\n"
	"  --cycles-per-usec N   show cycle events in us (latency events: always us)\n"
	"  --per-cpu             one row per cpu field (the target cpu for IPIs)\n"
	"  --samples EVENT       the exact kept samples of EVENT (CSV group,cpu,value)\n"
	"  --raw                 with --samples: little-endian int64 values only\n"
	"  --cdf                 CDF CSV of every series (exact integer values)\n"
	"  --hist WIDTH          histogram CSV, bins of WIDTH cycles (or ns)\n"
	"  --irq-counts          CSV of irq_flag/irq_count over SEND_*_END records\n"
	"  --schedcat DIR        write SchedCAT tables DIR/oh_<keys>_stat=max.csv and\n"
	"                        _stat=avg.csv (us, one row per n= task count)\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n\n"
	"Grouping and sampling:\n"
	"  --combine KEYS        file-name keys merged into one group (default cpu,msg,seq)\n"
	"  --equalize            truncate each event's series to the smallest sample\n"
	"                        count by a seeded shuffle (ft-select-samples), and\n"
	"                        print the exact expected maximum of k of n samples\n"
	"  --seed N              shuffle seed (default 1)\n\n"
	"Filtering:\n"
	"  --events LIST         only these events (comma-separated names or ids)\n"
	"  --keep-irq            keep samples disturbed by interrupts\n"
	"  --ignore-ipi-irq      ignore the irq flag of SEND_*_END records\n"
	"  --keep-negative       keep END-before-START pairs (uncalibrated IPI clocks) as\n"
	"                        negative values instead of dropping them\n"
	"  --no-interleaved      drop pairs with other records of the cpu in between\n"
	"  --best-effort         keep pairs of non-real-time tasks for every event\n"
	"  --rt-only             drop them for every event (default: kept only for\n"
	"                        SEND_RESCHED, SEND_XCALL, QUANTUM_BOUNDARY, as\n"
	"                        ft-extract-samples does)\n"
	"  --cpu N               only records of cpu N;  --avoid-cpu N: all but N\n"
	"  --threads N           files read in parallel (default: online cpus; output\n"
	"                        does not depend on it)\n"
	"  -h, --help            this help\n" RL_INPUT_HELP;

static int ovh_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || end == s || *end || *s == '-' ? -1 : 0;
}

static int ovh_parse_cpu(const char *s, int *cpu)
{
	uint64_t v;

	if (ovh_parse_u64(s, &v) || v > 255)
		return -1;
	*cpu = (int)v;
	return 0;
}

static int ovh_parse_events(const char *list, uint8_t *want)
{
	char *dup = strdup(list), *tok, *save = NULL;
	int r = 0;

	if (!dup)
		return -1;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned id;

		if (rl_ft_event_parse(tok, &id) < 0 || id > 255) {
			rl_usage_error("--events: unknown event '%s'", tok);
			r = -1;
			break;
		}
		want[id] = 1;
		if (id < RL_FT_SINGLE_RANGE && id != RL_FT_LOCK_SUSPEND &&
		    id != RL_FT_LOCK_RESUME && (id & 1))
			want[id - 1] = 1; /* an END names its pair */
	}
	free(dup);
	return r;
}

/* Label of a file: its base name without extension and without the combined keys. */
static void ovh_label(const char *path, const char *combine, char *out, size_t len)
{
	const char *b = strrchr(path, '/');
	char base[512];
	char *dot;

	snprintf(base, sizeof(base), "%s", b ? b + 1 : path);
	if ((dot = strstr(base, ".gz")) && !dot[3])
		*dot = 0;
	dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = 0;
	rl_ovh_label_without(base, combine, out, len);
	if (!out[0])
		snprintf(out, len, "all");
}

struct ovh_paths {
	char **v;
	uint8_t *from_dir; /* found in a directory: skipped quietly if not Feather-Trace */
	uint32_t n, cap, cap2;
};

static int ovh_path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ovh_add_path(struct ovh_paths *p, const char *s, int from_dir)
{
	if (rl_grow((void **)&p->v, &p->cap, p->n + 1, sizeof(*p->v)) ||
	    rl_grow((void **)&p->from_dir, &p->cap2, p->n + 1, sizeof(*p->from_dir)))
		return -1;
	p->from_dir[p->n] = (uint8_t)from_dir;
	p->v[p->n] = strdup(s);
	return p->v[p->n++] ? 0 : -1;
}

/* Expand directories into their *.bin / *.bin.gz files, sorted. */
static int ovh_expand(char **args, int n, struct ovh_paths *p)
{
	int i;

	for (i = 0; i < n; i++) {
		struct stat st;
		DIR *d;
		struct dirent *de;
		uint32_t first = p->n;

		if (stat(args[i], &st) || !S_ISDIR(st.st_mode)) {
			if (ovh_add_path(p, args[i], 0))
				return -1;
			continue;
		}
		d = opendir(args[i]);
		if (!d) {
			fprintf(stderr, "%s: error: cannot open directory: %s\n", args[i],
				strerror(errno));
			return -2;
		}
		while ((de = readdir(d))) {
			size_t l = strlen(de->d_name);
			char *full;

			if (!((l > 4 && !strcmp(de->d_name + l - 4, ".bin")) ||
			      (l > 7 && !strcmp(de->d_name + l - 7, ".bin.gz"))))
				continue;
			if (asprintf(&full, "%s/%s", args[i], de->d_name) < 0 ||
			    ovh_add_path(p, full, 1)) {
				closedir(d);
				return -1;
			}
			free(full);
		}
		closedir(d);
		if (p->n > first)
			qsort(p->v + first, p->n - first, sizeof(*p->v), ovh_path_cmp);
	}
	return 0;
}

/**
 * ovh_write() - the chosen output of an accumulator
 * @h:   the accumulator (Feather-Trace or Linux latencies)
 * @a:   options: --samples (an event name of @h's schema), --cdf, --hist,
 *       --irq-counts, else the statistics table
 * @f:   output
 * @err: error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int ovh_write(struct rl_ovh *h, const struct ovh_args *a, FILE *f, struct rl_err *err)
{
	if (a->samples) {
		unsigned id;

		if (rl_ovh_schema(h)->event_parse(a->samples, &id) < 0)
			return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					  "--samples: unknown event '%s'", a->samples);
		return rl_ovh_write_samples(h, f, id, a->raw, err);
	}
	if (a->cdf || a->hist)
		return rl_ovh_write_dist(h, f, a->cdf ? 0 : a->hist, err);
	if (a->irq_csv)
		return rl_ovh_write_irq(h, f, RL_OUT_CSV, 0, err);
	return rl_ovh_write_stats(h, f, &a->rep, err);
}

/**
 * ovh_emit() - the chosen output of an accumulator, to the chosen file
 * @h: the accumulator
 * @a: options (--output and those of ovh_write())
 *
 * Return: exit status.
 */
int ovh_emit(struct rl_ovh *h, const struct ovh_args *a)
{
	struct rl_outfile out;
	struct rl_err err;
	int r = rl_out_open(&out, a->outpath);

	if (r)
		return r;
	rl_err_init(&err);
	if (ovh_write(h, a, out.f, &err) < 0) {
		rl_print_err(&err);
		rl_out_abort(&out);
		return err.code == -RL_E_USAGE ? RL_EXIT_USAGE : RL_EXIT_DATA;
	}
	return rl_out_commit(&out);
}

static int ovh_schedcat(struct rl_ovh *h, const struct ovh_args *a, struct rl_err *err)
{
	uint32_t g, k;
	char base[512], prev[512] = "";
	int stat, r;

	if (mkdir(a->schedcat, 0777) && errno != EEXIST) {
		fprintf(stderr, "%s: error: cannot create directory: %s\n", a->schedcat,
			strerror(errno));
		return RL_EXIT_DATA;
	}
	for (g = 0; g < rl_ovh_ngroups(h); g++) {
		int seen = 0;

		rl_ovh_label_without(rl_ovh_group_label(h, g), "n,overheads", base, sizeof(base));
		for (k = 0; k < g; k++) {
			char b2[512];

			rl_ovh_label_without(rl_ovh_group_label(h, k), "n,overheads", b2,
					     sizeof(b2));
			seen |= !strcmp(b2, base);
		}
		if (seen)
			continue;
		(void)prev;
		rl_ovh_label_without(rl_ovh_group_label(h, g), "n", base, sizeof(base));
		for (stat = 0; stat < 2; stat++) {
			struct rl_outfile out;
			char *path, b3[512];

			rl_ovh_label_without(base, "overheads", b3, sizeof(b3));
			if (asprintf(&path, "%s/oh_%s_stat=%s.csv", a->schedcat, b3,
				     stat ? "avg" : "max") < 0)
				return RL_EXIT_DATA;
			r = rl_out_open(&out, path);
			if (r) {
				free(path);
				return r;
			}
			r = rl_ovh_write_schedcat(h, out.f, &a->rep, base, stat, err);
			if (r < 0) {
				rl_out_abort(&out);
				free(path);
				return r == -RL_E_USAGE ? RL_EXIT_USAGE : RL_EXIT_DATA;
			}
			r = rl_out_commit(&out);
			free(path);
			if (r)
				return r;
		}
	}
	return 0;
}

static int ovh_run(char **args, int nargs, struct ovh_args *a)
{
	struct ovh_paths paths = {0};
	struct rl_trace *t = rl_trace_new();
	struct rl_ovh *h = NULL;
	struct rl_input *ins = NULL;
	struct rl_ft_file *fts = NULL;
	uint32_t *groups = NULL, nin = 0;
	uint16_t *srcs = NULL;
	struct rl_outfile out;
	struct rl_err err;
	uint32_t i;
	int r = 0, damage;

	rl_err_init(&err);
	if (!t)
		goto nomem;
	r = ovh_expand(args, nargs, &paths);
	if (r == -1)
		goto nomem;
	if (r) {
		r = RL_EXIT_DATA;
		goto out;
	}
	if (!paths.n) {
		rl_usage_error("no Feather-Trace files given (a directory must hold *.bin files)");
		r = RL_EXIT_USAGE;
		goto out;
	}
	h = rl_ovh_new(&a->oo, &err);
	ins = calloc(paths.n, sizeof(*ins));
	fts = calloc(paths.n, sizeof(*fts));
	groups = calloc(paths.n, sizeof(*groups));
	srcs = calloc(paths.n, sizeof(*srcs));
	if (!h || !ins || !fts || !groups || !srcs)
		goto nomem;
	for (i = 0; i < paths.n; i++) {
		struct rl_ft_opts fo = {a->io.ro.ft_layout, a->io.ro.ft_order};
		struct rl_input *in = &ins[nin];
		struct rl_ft_file *f = &fts[nin];
		char label[512];
		int g, src;

		if (!ovh_take_input(a, paths.v[i], in) &&
		    rl_input_open(in, paths.v[i], &a->io.ro, &err) < 0)
			goto err;
		if (in->len) {
			const struct rl_reader_ops *rd = rl_reader_detect(in);

			if (rd && rd != &rl_reader_feathertrace) {
				if (paths.from_dir[i]) { /* e.g. schedule_*.bin beside the overheads
							  */
					rl_input_close(in);
					continue;
				}
				rl_err_set(&err, -RL_E_FORMAT, paths.v[i], RL_OFF_NONE,
					   "looks like %s, not Feather-Trace (--input-format "
					   "feather-trace to insist)",
					   rd->name);
				if (!a->io.reader || strcmp(a->io.reader, "feather-trace")) {
					rl_input_close(in);
					goto err;
				}
			}
		}
		nin++;
		src = rl_trace_add_source(t, paths.v[i], "feather-trace", in->len);
		if (src < 0) {
			rl_err_set(&err, -RL_E_NOMEM, paths.v[i], RL_OFF_NONE, "out of memory");
			goto err;
		}
		if (rl_ft_file_init(f, in, &fo, &err) < 0)
			goto err;
		if (!f->nrec && !f->tail && !paths.from_dir[i]) /* empty msg files are normal */
			rl_trace_warn(t, RL_W_OTHER, (uint16_t)src, RL_OFF_NONE,
				      "empty file: no records");
		if (rl_ft_file_implausible(f)) {
			if (paths.from_dir[i]) {
				rl_input_close(in);
				nin--;
				continue;
			}
			rl_err_set(&err, -RL_E_FORMAT, paths.v[i], 0,
				   "not a Feather-Trace file: its sequence numbers do not run "
				   "consecutively in either byte order");
			goto err;
		}
		if (f->tail)
			rl_trace_warn(t, RL_W_TRUNCATED, (uint16_t)src, f->nrec * RL_FT_REC,
				      "trailing %llu bytes do not form a whole %d-byte record "
				      "(truncated file?)",
				      (unsigned long long)f->tail, RL_FT_REC);
		if (fo.order && f->nrec > 16 &&
		    f->order_votes[!f->be] > 4 * f->order_votes[f->be] + 4)
			rl_trace_warn(t, RL_W_GARBAGE, (uint16_t)src, 0,
				      "sequence numbers run in %s byte order, but --ft-endian %s "
				      "was given",
				      f->be ? "little-endian" : "big-endian", f->be ? "be" : "le");
		if (f->cpu >= 0)
			t->srcs[src].cpu = f->cpu;
		t->srcs[src].nrec = (uint32_t)(f->nrec > UINT32_MAX ? UINT32_MAX : f->nrec);
		ovh_label(paths.v[i], a->combine, label, sizeof(label));
		g = rl_ovh_group(h, label, &err);
		if (g < 0)
			goto err;
		groups[nin - 1] = (uint32_t)g;
		srcs[nin - 1] = (uint16_t)src;
	}
	if (rl_ovh_add_files(h, fts, groups, srcs, nin, a->threads, t, &err) < 0)
		goto err;
	for (i = 0; i < nin; i++)
		rl_input_close(&ins[i]);
	nin = 0;
	if (a->schedcat) {
		r = ovh_schedcat(h, a, &err);
		if (r) {
			if (err.code)
				rl_print_err(&err);
			goto out;
		}
		if (!a->outpath)
			goto out;
	}
	r = rl_out_open(&out, a->outpath);
	if (r)
		goto out;
	if (ovh_write(h, a, out.f, &err) < 0) {
		rl_out_abort(&out);
		rl_print_err(&err);
		r = err.code == -RL_E_USAGE ? RL_EXIT_USAGE : RL_EXIT_DATA;
		goto out;
	}
	r = rl_out_commit(&out);
	goto out;
nomem:
	rl_err_set(&err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
err:
	rl_print_err(&err);
	r = RL_EXIT_DATA;
out:
	damage = t ? rl_print_warnings(t) : 0;
	if (!r && damage)
		r = RL_EXIT_DATA;
	for (i = 0; i < paths.n; i++)
		free(paths.v[i]);
	free(paths.v);
	free(paths.from_dir);
	for (i = 0; i < nin; i++)
		rl_input_close(&ins[i]);
	free(ins);
	free(fts);
	free(groups);
	free(srcs);
	rl_ovh_free(h);
	rl_trace_free(t);
	return r;
}

/* rtlens overheads --ftdump [--ft-endian E] [--ft-layout L] FILE: ftdump's listing */
static int ovh_ftdump(int argc, char **argv, int at)
{
	struct rl_input_opts io = {0};
	struct rl_ft_opts fo;
	struct rl_ft_file f;
	struct rl_input in;
	struct rl_err err;
	const char *path = NULL;
	int i, r;

	for (i = 1; i < argc; i++) {
		if (i == at)
			continue;
		if ((!strcmp(argv[i], "--ft-endian") || !strcmp(argv[i], "--ft-layout")) &&
		    i + 1 < argc) {
			if (rl_opt_input(argv[i][5] == 'e' ? 0x106 : 0x105, argv[i + 1], &io) < 0)
				return RL_EXIT_USAGE;
			i++;
		} else if (!path && argv[i][0] != '-') {
			path = argv[i];
		} else {
			rl_usage_error("usage: rtlens overheads --ftdump [--ft-endian E] "
				       "[--ft-layout L] FILE");
			return RL_EXIT_USAGE;
		}
	}
	if (!path) {
		rl_usage_error("--ftdump needs a file");
		return RL_EXIT_USAGE;
	}
	rl_err_init(&err);
	if (rl_input_open(&in, path, &io.ro, &err) < 0) {
		rl_print_err(&err);
		return RL_EXIT_DATA;
	}
	fo.layout = io.ro.ft_layout;
	fo.order = io.ro.ft_order;
	r = rl_ft_file_init(&f, &in, &fo, &err);
	if (r < 0)
		rl_print_err(&err);
	else
		r = rl_ftdump_write(&f, stdout);
	rl_input_close(&in);
	if (fflush(stdout) || r < 0)
		return RL_EXIT_DATA;
	return RL_EXIT_OK;
}

/* The options that only make sense for Feather-Trace files (NULL: not one). */
static const char *ovh_ft_only(int opt)
{
	switch (opt) {
	case 'p':
		return "--cycles-per-usec";
	case 0x305:
		return "--irq-counts";
	case 0x306:
		return "--schedcat";
	case 0x307:
		return "--combine";
	case 0x30c:
		return "--ignore-ipi-irq";
	case 0x30d:
		return "--no-interleaved";
	case 0x30e:
		return "--best-effort";
	case 0x30f:
		return "--rt-only";
	case 0x310:
		return "--cpu";
	case 0x311:
		return "--avoid-cpu";
	case 0x312:
		return "--keep-negative";
	case 0x313:
		return "--threads";
	default:
		return NULL;
	}
}

/* Linux traces: the options checked, --events parsed, then the latency report. */
static int ovh_linux(char **args, int nargs, struct ovh_args *a)
{
	char *dup, *tok, *save = NULL;
	unsigned id;
	int r = 0;

	if (a->ft_only) {
		rl_usage_error("%s applies to Feather-Trace files only, not to Linux traces",
			       a->ft_only);
		return RL_EXIT_USAGE;
	}
	if (a->events) {
		dup = strdup(a->events);
		if (!dup)
			return RL_EXIT_DATA;
		for (tok = strtok_r(dup, ",", &save); tok && !r; tok = strtok_r(NULL, ",", &save)) {
			if (rl_lat_schema.event_parse(tok, &id) < 0) {
				rl_usage_error("--events: unknown kind '%s' (wakeup, irq, softirq, "
					       "vector)",
					       tok);
				r = RL_EXIT_USAGE;
			}
			a->lat.want |= 1u << id;
		}
		free(dup);
		if (r)
			return r;
	}
	return lat_run(args, nargs, a);
}

/**
 * cmd_overheads() - rtlens overheads
 * @argc: argument count (argv[0] = "overheads")
 * @argv: arguments
 *
 * Return: exit status.
 */
int cmd_overheads(int argc, char **argv)
{
	return ovh_main(argc, argv, 0);
}

/**
 * ovh_main() - the options of rtlens overheads and rtlens latency
 * @argc:    argument count
 * @argv:    arguments
 * @latency: 1 for rtlens latency (Linux traces; -p is --pid, -n --name)
 *
 * rtlens overheads on Linux traces is rtlens latency.
 *
 * Return: exit status.
 */
int ovh_main(int argc, char **argv, int latency)
{
	static const struct option lopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"cycles-per-usec", required_argument, NULL, 'p'},
		{"per-cpu", no_argument, NULL, 0x300},
		{"samples", required_argument, NULL, 0x301},
		{"raw", no_argument, NULL, 0x302},
		{"cdf", no_argument, NULL, 0x303},
		{"hist", required_argument, NULL, 0x304},
		{"irq-counts", no_argument, NULL, 0x305},
		{"schedcat", required_argument, NULL, 0x306},
		{"combine", required_argument, NULL, 0x307},
		{"equalize", no_argument, NULL, 0x308},
		{"seed", required_argument, NULL, 0x309},
		{"events", required_argument, NULL, 0x30a},
		{"keep-irq", no_argument, NULL, 0x30b},
		{"ignore-ipi-irq", no_argument, NULL, 0x30c},
		{"no-interleaved", no_argument, NULL, 0x30d},
		{"best-effort", no_argument, NULL, 0x30e},
		{"rt-only", no_argument, NULL, 0x30f},
		{"cpu", required_argument, NULL, 0x310},
		{"avoid-cpu", required_argument, NULL, 0x311},
		{"keep-negative", no_argument, NULL, 0x312},
		{"threads", required_argument, NULL, 0x313},
		{"pid", required_argument, NULL, 0x314},
		{"name", required_argument, NULL, 0x315},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		RL_INPUT_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct ovh_args a;
	enum rl_family fam;
	int opt, i, r, nmodes;

	const char *help = latency ? lat_help : ovh_help;

	for (i = 1; i < argc && !latency; i++)
		if (!strcmp(argv[i], "--ftdump"))
			return ovh_ftdump(argc, argv, i);
	for (i = 1; i < argc && !latency; i++)
		if (!strcmp(argv[i], "--ft2csv")) {
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof(*argv));
			rl_prog = "rtlens overheads --ft2csv";
			return cmd_ft2csv(argc - 1, argv);
		}
	memset(&a, 0, sizeof(a));
	a.oo.only_cpu = -1;
	a.oo.avoid_cpu = -1;
	a.rep.fmt = RL_OUT_TABLE;
	a.rep.seed = 1;
	a.combine = "cpu,msg,seq";
	a.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (a.threads < 1)
		a.threads = 1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, latency ? "f:p:n:o:hq" : "f:p:o:hq", lopts, NULL)) !=
	       -1) {
		r = rl_opt_input(opt, optarg, &a.io);
		if (r < 0)
			return RL_EXIT_USAGE;
		if (r)
			continue;
		if (latency && (opt == 'p' || opt == 'n'))
			opt = opt == 'p' ? 0x314 : 0x315;
		if (!a.ft_only)
			a.ft_only = ovh_ft_only(opt);
		switch (opt) {
		case 'f':
			if (!strcmp(optarg, "table"))
				a.rep.fmt = RL_OUT_TABLE;
			else if (!strcmp(optarg, "csv"))
				a.rep.fmt = RL_OUT_CSV;
			else if (!strcmp(optarg, "json"))
				a.rep.fmt = RL_OUT_JSON;
			else {
				rl_usage_error("--format takes table, csv or json, not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			break;
		case 'p': {
			char *end;

			errno = 0;
			a.rep.cycles_per_usec = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(a.rep.cycles_per_usec > 0) ||
			    a.rep.cycles_per_usec > 1e9) {
				rl_usage_error(
					"--cycles-per-usec takes a positive number, not '%s'",
					optarg);
				return RL_EXIT_USAGE;
			}
			break;
		}
		case 0x300:
			a.oo.per_cpu = 1;
			break;
		case 0x301:
			a.samples = optarg;
			break;
		case 0x302:
			a.raw = 1;
			break;
		case 0x303:
			a.cdf = 1;
			break;
		case 0x304:
			if (ovh_parse_u64(optarg, &a.hist) || !a.hist) {
				rl_usage_error("--hist takes a positive bin width, not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			break;
		case 0x305:
			a.irq_csv = 1;
			break;
		case 0x306:
			a.schedcat = optarg;
			break;
		case 0x307:
			a.combine = optarg;
			break;
		case 0x308:
			a.rep.equalize = 1;
			break;
		case 0x309:
			if (ovh_parse_u64(optarg, &a.rep.seed)) {
				rl_usage_error("--seed takes an unsigned integer, not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			break;
		case 0x30a:
			a.events = optarg;
			break;
		case 0x30b:
			a.oo.keep_irq = 1;
			break;
		case 0x30c:
			a.oo.ignore_ipi_irq = 1;
			break;
		case 0x30d:
			a.oo.no_interleaved = 1;
			break;
		case 0x30e:
			a.oo.best_effort = 1;
			break;
		case 0x30f:
			a.oo.best_effort = -1;
			break;
		case 0x310:
		case 0x311:
			if (ovh_parse_cpu(optarg,
					  opt == 0x310 ? &a.oo.only_cpu : &a.oo.avoid_cpu)) {
				rl_usage_error("--%s takes a cpu number 0..255, not '%s'",
					       opt == 0x310 ? "cpu" : "avoid-cpu", optarg);
				return RL_EXIT_USAGE;
			}
			break;
		case 0x312:
			a.oo.keep_negative = 1;
			break;
		case 0x313: {
			uint64_t v;

			if (ovh_parse_u64(optarg, &v) || !v || v > 1024) {
				rl_usage_error("--threads takes 1..1024, not '%s'", optarg);
				return RL_EXIT_USAGE;
			}
			a.threads = (int)v;
			break;
		}
		case 0x314: {
			uint64_t v;

			if (ovh_parse_u64(optarg, &v) || !v || v > INT32_MAX) {
				rl_usage_error("--pid takes a pid (a positive integer), not '%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			a.lat.filter.pid = (int32_t)v;
			a.lx_only = "--pid";
			break;
		}
		case 0x315:
			a.lat.filter.name = optarg;
			a.lx_only = "--name";
			break;
		case 'o':
			a.outpath = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			return RL_EXIT_OK;
		default:
			fprintf(stderr, "see 'rtlens %s --help'\n", latency ? "latency" : "overheads");
			return RL_EXIT_USAGE;
		}
	}
	nmodes = !!a.samples + a.cdf + !!a.hist + a.irq_csv;
	/* the statistics need no sample order, so exact counts suffice */
	a.oo.count_only = !a.samples && !a.rep.equalize;
	if (nmodes > 1) {
		rl_usage_error("--samples, --cdf, --hist and --irq-counts exclude each other");
		return RL_EXIT_USAGE;
	}
	if (a.raw && !a.samples) {
		rl_usage_error("--raw goes with --samples");
		return RL_EXIT_USAGE;
	}
	if (a.schedcat && a.rep.cycles_per_usec <= 0) {
		rl_usage_error("--schedcat needs --cycles-per-usec (SchedCAT tables are in us)");
		return RL_EXIT_USAGE;
	}
	if (optind >= argc) {
		rl_usage_error("no input files (see 'rtlens %s --help')",
			       latency ? "latency" : "overheads");
		return RL_EXIT_USAGE;
	}
	/* the inputs are loaded once; their family picks the analysis */
	fam = ovh_inputs(argv + optind, argc - optind, &a, latency);
	if (fam == RL_FAM_LINUX || fam == RL_FAM_XEN || latency) {
		r = fam == RL_FAM_XEN && !latency ? xen_ovh_run(argv + optind, argc - optind, &a)
						  : ovh_linux(argv + optind, argc - optind, &a);
		rl_open_close(&a.in);
		return r;
	}
	r = RL_EXIT_USAGE;
	if (a.lx_only)
		rl_usage_error("%s applies to Linux traces only", a.lx_only);
	else if (!a.events || !ovh_parse_events(a.events, a.oo.want))
		r = ovh_run(argv + optind, argc - optind, &a);
	rl_open_close(&a.in);
	return r;
}
