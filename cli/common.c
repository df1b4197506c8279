/* cli/common.c - opening inputs, printing errors and warnings, atomic output. */
#include "cli.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *rl_prog = "rtlens";
int rl_quiet;

void rl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", rl_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The second line after getopt's own message on an unknown option, the same on every command. */
void rl_try_help(const char *cmd)
{
	fprintf(stderr, "(try '%s %s --help')\n", rl_prog, cmd);
}

static int rl_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'm':
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'g':
	case 'G':
		v <<= 30;
		end++;
		break;
	default:
		break;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

/* One shared input option into @io. (Over 100 lines: one case per option.) */
int rl_opt_input(int opt, const char *arg, struct rl_input_opts *io)
{
	switch (opt) {
	case 0x100:
		if (!rl_reader_find(arg)) {
			size_t i;

			rl_usage_error("unknown input format '%s'; known:", arg);
			for (i = 0; rl_reader_at(i); i++)
				fprintf(stderr, "  %-12s %s\n", rl_reader_at(i)->name,
					rl_reader_at(i)->desc);
			return -1;
		}
		io->reader = arg;
		return 1;
	case 0x101:
		if (!strcmp(arg, "2010"))
			io->ro.st_format = 2010;
		else if (!strcmp(arg, "2016") || !strcmp(arg, "current"))
			io->ro.st_format = 2016;
		else {
			rl_usage_error("--st-format takes 2010 or 2016, not '%s'", arg);
			return -1;
		}
		return 1;
	case 0x102:
		if (rl_parse_size(arg, &io->ro.max_inflate) || !io->ro.max_inflate) {
			rl_usage_error(
				"--max-inflate takes a size in bytes (K, M, G suffixes), not '%s'",
				arg);
			return -1;
		}
		return 1;
	case 0x103: {
		char *end;
		double v = strtod(arg, &end);

		if (end != arg && (*end == 'G' || *end == 'g'))
			v *= 1e9, end++;
		else if (end != arg && (*end == 'M' || *end == 'm'))
			v *= 1e6, end++;
		else if (end != arg && (*end == 'K' || *end == 'k'))
			v *= 1e3, end++;
		if (end == arg || *end || !(v >= 1e3 && v <= 1e12)) {
			rl_usage_error("--cpu-hz takes a rate in Hz between 1K and 1000G "
				       "(K, M, G suffixes), not '%s'",
				       arg);
			return -1;
		}
		io->ro.cpu_hz = (uint64_t)(v + 0.5);
		return 1;
	}
	case 0x104: {
		unsigned maj, min;
		char c;

		if (sscanf(arg, "%u.%u%c", &maj, &min, &c) != 2 || maj != 4 || min < 5 ||
		    min > 99) {
			rl_usage_error("--xen-version takes a Xen release such as 4.7 or 4.17 "
				       "(4.5 and later), not '%s'",
				       arg);
			return -1;
		}
		io->ro.xen_version = (int)(maj * 100 + min);
		return 1;
	}
	case 0x105:
		if (!strcmp(arg, "current") || !strcmp(arg, "2012b"))
			io->ro.ft_layout = 0;
		else if (!strcmp(arg, "2012a"))
			io->ro.ft_layout = 1;
		else if (!strcmp(arg, "2008"))
			io->ro.ft_layout = 2;
		else {
			rl_usage_error("--ft-layout takes current, 2012a or 2008, not '%s'", arg);
			return -1;
		}
		return 1;
	case 0x106:
		if (!strcmp(arg, "auto"))
			io->ro.ft_order = 0;
		else if (!strcmp(arg, "le") || !strcmp(arg, "little"))
			io->ro.ft_order = 1;
		else if (!strcmp(arg, "be") || !strcmp(arg, "big"))
			io->ro.ft_order = 2;
		else {
			rl_usage_error("--ft-endian takes auto, le or be, not '%s'", arg);
			return -1;
		}
		return 1;
	case 0x107: /* --skew: off, estimate, or FILE.json (read when the inputs are known) */
		if (!*arg) {
			rl_usage_error("--skew takes off, estimate or an rtlens skew --json file");
			return -1;
		}
		io->skew = arg;
		return 1;
	case 0x108:
		io->skew_force = 1;
		return 1;
	case 0x109: {
		uint64_t v;

		if (rl_parse_size(arg, &v) || !v || v > UINT32_MAX) {
			rl_usage_error("--max-ratio takes a ratio from 1 to 4G, not '%s'", arg);
			return -1;
		}
		io->ro.max_ratio = (uint32_t)v;
		return 1;
	}
	case 0x10a: {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(arg, &end, 10);
		if (!isdigit((unsigned char)*arg) || *end || errno || !v || v > 86400) {
			rl_usage_error("--ctf-timeout takes seconds from 1 to 86400, not '%s'",
				       arg);
			return -1;
		}
		io->ro.ctf_index_secs = (uint32_t)v;
		return 1;
	}
	case 'q':
		rl_quiet = 1;
		return 1;
	default:
		return 0;
	}
}

void rl_print_err(const struct rl_err *e)
{
	int i;

	if (e->path && e->off != RL_OFF_NONE)
		fprintf(stderr, "%s:0x%llx: error: %s\n", e->path, (unsigned long long)e->off,
			e->msg);
	else if (e->path)
		fprintf(stderr, "%s: error: %s\n", e->path, e->msg);
	else
		fprintf(stderr, "%s: error: %s\n", rl_prog,
			e->msg[0] ? e->msg : rl_strerror(e->code));
	for (i = 0; i < e->nctx; i++)
		fprintf(stderr, "  %s\n", e->ctx[i]);
}

int rl_print_warnings(const struct rl_trace *t)
{
	int k, damage = 0;

	for (k = 0; k < RL_W_NKINDS; k++) {
		uint64_t n = t->warn_count[k], i;

		if (!n)
			continue;
		if ((1u << k) & RL_W_DAMAGE_MASK)
			damage = 1;
		if (rl_quiet)
			continue;
		for (i = 0; i < n && i < RL_WARN_KEEP; i++) {
			const struct rl_warning *w = &t->warns[k][i];

			if (w->path && w->off != RL_OFF_NONE)
				fprintf(stderr, "%s:0x%llx: warning: %s\n", w->path,
					(unsigned long long)w->off, rl_warning_text(w));
			else if (w->path)
				fprintf(stderr, "%s: warning: %s\n", w->path, rl_warning_text(w));
			else
				fprintf(stderr, "%s: warning: %s\n", rl_prog, rl_warning_text(w));
		}
		if (n > RL_WARN_KEEP)
			fprintf(stderr, "%s: warning: ... and %llu more like the above\n", rl_prog,
				(unsigned long long)(n - RL_WARN_KEEP));
	}
	if (damage && !rl_quiet)
		fprintf(stderr, "%s: input is damaged; results may be incomplete (exit status 1)\n",
			rl_prog);
	return damage;
}

int rl_online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 4096 ? 4096 : (int)n;
}

int rl_exit_code(const struct rl_err *e)
{
	return e->code == -RL_E_USAGE || e->code == -RL_E_MIXED ? RL_EXIT_USAGE : RL_EXIT_DATA;
}

void rl_warn_empty(const struct rl_fileset *fs)
{
	size_t i;

	/* per-CPU sets legitimately contain empty files (idle CPUs) */
	for (i = 0; i < fs->nempty && !rl_quiet; i++)
		fprintf(stderr, "%s: warning: empty file, skipped\n", fs->empty[i]);
}

int rl_open_inputs(struct rl_open *o, char **paths, int n, const struct rl_input_opts *io)
{
	const struct rl_reader_ops *rd = io->reader ? rl_reader_find(io->reader) : NULL;
	struct rl_err err;
	int r;

	memset(o, 0, sizeof(*o));
	rl_err_init(&err);
	if (n <= 0) {
		rl_usage_error("no input files (try --help)");
		return RL_EXIT_USAGE;
	}
	r = rl_fileset_open(&o->fs, paths, (size_t)n, rd, &io->ro, &err);
	rl_warn_empty(&o->fs);
	if (r < 0) {
		rl_print_err(&err);
		return rl_exit_code(&err);
	}
	return 0;
}

int rl_open_start(struct rl_open *o, const struct rl_input_opts *io)
{
	struct rl_err err;

	rl_err_init(&err);
	if (!o->skew_ready) { /* built once, kept across rewinds */
		int r = rl_skew_setup(o, io);

		if (r)
			return r;
	}
	o->t = rl_trace_new();
	if (!o->t) {
		fprintf(stderr, "%s: error: out of memory\n", rl_prog);
		return RL_EXIT_DATA;
	}
	if (rl_pipeline_open(&o->p, &o->fs, o->t, &io->ro, &o->skew, &err) < 0) {
		rl_print_err(&err);
		return rl_exit_code(&err);
	}
	o->m = o->p.m;
	return 0;
}

int rl_open_rewind(struct rl_open *o, const struct rl_input_opts *io)
{
	rl_pipeline_close(&o->p);
	o->m = NULL;
	rl_trace_free(o->t);
	o->t = NULL;
	return rl_open_start(o, io);
}

int rl_open_files(struct rl_open *o, char **paths, int n, const struct rl_input_opts *io)
{
	int r = rl_open_inputs(o, paths, n, io);

	return r ? r : rl_open_start(o, io);
}

void rl_open_close(struct rl_open *o)
{
	rl_pipeline_close(&o->p);
	rl_fileset_close(&o->fs);
	rl_trace_free(o->t);
	rl_skew_table_release(&o->skew);
	memset(o, 0, sizeof(*o));
}

/*
 * Progress on a terminal, one line for every long command:
 *   rtlens: 42% of 1.2 GB, 85.3 MB/s, 3.1 M events/s, ETA 0:14
 *   rtlens: batch 3/10 runs, tree/a: 42% of 1.2 GB, 85.3 MB/s, ETA 0:14
 * redrawn at most 4 times a second (RTLENS_PROGRESS_DELAY seconds, default
 * 0.25, also before the first line: a short run shows none), erased at the
 * end; nothing when stderr is not a terminal or with -q.
 */
static struct {
	int on, shown;
	uint64_t total;
	double t0, last, delay;
} rl_meter;

static double rl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void rl_fmt_bytes(char *b, size_t n, double v)
{
	if (v >= 1e9)
		snprintf(b, n, "%.1f GB", v / 1e9);
	else if (v >= 1e6)
		snprintf(b, n, "%.1f MB", v / 1e6);
	else
		snprintf(b, n, "%.0f kB", v / 1e3);
}

void rl_progress_begin(uint64_t total)
{
	const char *d = getenv("RTLENS_PROGRESS_DELAY");

	rl_progress_end();
	rl_meter.on = isatty(2) && !rl_quiet;
	rl_meter.total = total;
	rl_meter.delay = d && *d ? strtod(d, NULL) : 0.25;
	if (!(rl_meter.delay >= 0 && rl_meter.delay < 3600))
		rl_meter.delay = 0.25;
	rl_meter.t0 = rl_meter.last = rl_now();
}

void rl_progress_show(uint64_t bytes, uint64_t count, const char *what, const char *detail)
{
	char line[192], sz[32];
	double now, dt, f;
	size_t n;

	if (!rl_meter.on)
		return;
	now = rl_now();
	if (now - rl_meter.last < rl_meter.delay)
		return;
	rl_meter.last = now;
	dt = now - rl_meter.t0 > 1e-6 ? now - rl_meter.t0 : 1e-6;
	n = (size_t)snprintf(line, sizeof(line), "%s:%s%s%s", rl_prog, detail ? " " : "",
			     detail ? detail : "", detail && rl_meter.total && bytes ? ":" : "");
	if (rl_meter.total && bytes) {
		f = bytes < rl_meter.total ? (double)bytes / (double)rl_meter.total : 1.0;
		rl_fmt_bytes(sz, sizeof(sz), (double)rl_meter.total);
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %3.0f%% of %s, %.1f MB/s",
				      f * 100, sz, (double)bytes / dt / 1e6);
	}
	if (count && what && n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n, ", %.1f %s %s/s",
				      (double)count / dt >= 1e6 ? (double)count / dt / 1e6
								: (double)count / dt,
				      (double)count / dt >= 1e6 ? "M" : "", what);
	if (rl_meter.total && bytes && bytes < rl_meter.total && n < sizeof(line)) {
		double eta = (double)(rl_meter.total - bytes) * dt / (double)bytes;

		if (eta < 1e7)
			snprintf(line + n, sizeof(line) - n, ", ETA %d:%02d", (int)eta / 60,
				 (int)eta % 60);
	}
	fprintf(stderr, "\r%s\033[K", line);
	rl_meter.shown = 1;
}

void rl_progress_end(void)
{
	if (rl_meter.shown)
		fputs("\r\033[K", stderr);
	rl_meter.on = rl_meter.shown = 0;
}

static void rl_progress(void *arg, uint64_t events, uint64_t bytes)
{
	(void)arg;
	rl_progress_show(bytes, events, "events", NULL);
}

/* The input's size: the sum of the trace's sources. */
static uint64_t rl_trace_bytes(const struct rl_trace *t)
{
	uint64_t s = 0;
	uint32_t i;

	for (i = 0; t && i < t->nsrcs; i++)
		s += t->srcs[i].size;
	return s;
}

/* The progress callback for a loop of the caller's: on a terminal only (else NULL). */
rl_progress_fn rl_progress_tty(const struct rl_trace *t)
{
	rl_progress_begin(rl_trace_bytes(t));
	return rl_meter.on ? rl_progress : NULL;
}

int rl_run_sinks(struct rl_open *o, struct rl_sink **sinks, size_t n)
{
	struct rl_err err;
	rl_progress_fn pf = rl_progress_tty(o->t);
	int r;

	rl_err_init(&err);
	r = rl_pipeline_run(&o->p, sinks, n, pf, NULL, &err);
	rl_progress_end();
	if (r >= 0)
		rl_skew_note_order(o);
	if (r < 0) {
		rl_print_err(&err);
		return err.code == -RL_E_MIXED ? RL_EXIT_USAGE : RL_EXIT_DATA;
	}
	return 0;
}

/*
 * Temporary outputs being written, for the signal handler: SIGINT, SIGTERM
 * and SIGHUP remove them (unlink() is async-signal-safe) and the process
 * then dies of the signal, so the shell sees 130, 143 or 129. The list is
 * changed with those signals blocked. Names are PATH.rltmp<pid>.XXXXXX, so
 * that a later run writing PATH recognises the leftovers of a killed run
 * (SIGKILL leaves them) by a pid that no longer runs, and removes them.
 */
struct rl_out_node {
	struct rl_out_node *next;
	char tmp[]; /* a copy: the handler reads no caller's memory */
};

static struct rl_out_node *volatile rl_out_live;
static const int rl_out_sigs[] = {SIGINT, SIGTERM, SIGHUP};

static void rl_out_on_signal(int sig)
{
	struct rl_out_node *n;

	for (n = rl_out_live; n; n = n->next)
		unlink(n->tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void rl_out_block(sigset_t *old, int block)
{
	sigset_t set;
	size_t i;

	if (!block) {
		sigprocmask(SIG_SETMASK, old, NULL);
		return;
	}
	sigemptyset(&set);
	for (i = 0; i < sizeof(rl_out_sigs) / sizeof(rl_out_sigs[0]); i++)
		sigaddset(&set, rl_out_sigs[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* Before the temporary file exists: a signal from then on removes it. Return: 0 or -1. */
static int rl_out_track(struct rl_outfile *o)
{
	static int installed;
	struct rl_out_node *n = malloc(sizeof(*n) + strlen(o->tmp) + 1);
	sigset_t old;
	size_t i;

	if (!n)
		return -1;
	strcpy(n->tmp, o->tmp);
	rl_out_block(&old, 1);
	if (!installed) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = rl_out_on_signal;
		sigemptyset(&sa.sa_mask);
		for (i = 0; i < sizeof(rl_out_sigs) / sizeof(rl_out_sigs[0]); i++) {
			struct sigaction cur;

			/* a signal ignored by the caller (nohup) stays ignored */
			if (sigaction(rl_out_sigs[i], NULL, &cur) == 0 && cur.sa_handler == SIG_IGN)
				continue;
			sigaction(rl_out_sigs[i], &sa, NULL);
		}
		installed = 1;
	}
	n->next = rl_out_live;
	rl_out_live = n;
	o->live = n;
	rl_out_block(&old, 0);
	return 0;
}

/* The name the handler holds becomes the created file's (mkstemp filled it in). */
static void rl_out_track_name(struct rl_outfile *o)
{
	struct rl_out_node *n = o->live;
	sigset_t old;

	if (!n)
		return;
	rl_out_block(&old, 1);
	strcpy(n->tmp, o->tmp);
	rl_out_block(&old, 0);
}

static void rl_out_untrack(struct rl_outfile *o)
{
	struct rl_out_node *volatile *pp;
	struct rl_out_node *n = o->live;
	sigset_t old;

	if (!n)
		return;
	rl_out_block(&old, 1);
	for (pp = &rl_out_live; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	rl_out_block(&old, 0);
	free(n);
	o->live = NULL;
}

/* Remove PATH.rltmp<pid>.XXXXXX files of runs that no longer exist (killed by SIGKILL). */
static void rl_out_sweep_stale(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t blen = strlen(base), dlen = slash ? (size_t)(slash - path) : 0;
	char *dir = slash ? strndup(path, dlen ? dlen : 1) : strdup(".");
	struct dirent *d;
	DIR *dp;

	if (!dir)
		return;
	dp = opendir(dir);
	while (dp && (d = readdir(dp))) {
		const char *n = d->d_name, *q;
		char *end, full[4096];
		long pid;

		if (strncmp(n, base, blen) || strncmp(n + blen, ".rltmp", 6))
			continue;
		q = n + blen + 6;
		pid = strtol(q, &end, 10);
		if (end == q || *end != '.' || strlen(end + 1) != 6 || pid <= 0)
			continue;
		if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* ours, or a run still going (or not ours to judge) */
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", dir, n) < sizeof(full))
			unlink(full);
	}
	if (dp)
		closedir(dp);
	free(dir);
}

int rl_out_open(struct rl_outfile *o, const char *path)
{
	int fd;

	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	o->path = strdup(path);
	o->tmp = malloc(strlen(path) + 40);
	if (!o->path || !o->tmp) {
		fprintf(stderr, "%s: error: out of memory\n", rl_prog);
		return RL_EXIT_DATA;
	}
	rl_out_sweep_stale(path);
	sprintf(o->tmp, "%s.rltmp%ld.XXXXXX", path, (long)getpid());
	/* signals blocked from mkstemp until the handler knows the name */
	{
		sigset_t old;

		if (rl_out_track(o) < 0) {
			fprintf(stderr, "%s: error: out of memory\n", rl_prog);
			return RL_EXIT_DATA;
		}
		rl_out_block(&old, 1);
		fd = mkstemp(o->tmp);
		rl_out_track_name(o);
		rl_out_block(&old, 0);
	}
	if (fd < 0) {
		fprintf(stderr, "%s: error: cannot create output next to it: %s\n", path,
			strerror(errno));
		rl_out_untrack(o);
		free(o->tmp);
		o->tmp = NULL;
		return RL_EXIT_DATA;
	}
	{
		/* the mode of the file it replaces, else what the umask lets a new file have */
		struct stat st;
		mode_t mode, mask;

		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			mode = st.st_mode & 07777;
		} else {
			mask = umask(0);
			umask(mask);
			mode = 0666 & ~mask;
		}
		fchmod(fd, mode);
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		close(fd);
		unlink(o->tmp);
		rl_out_untrack(o);
		return RL_EXIT_DATA;
	}
	return 0;
}

int rl_out_commit(struct rl_outfile *o)
{
	int bad;

	if (o->f == stdout) {
		bad = fflush(stdout) != 0 || ferror(stdout);
		if (bad)
			fprintf(stderr, "%s: error: cannot write standard output: %s\n", rl_prog,
				strerror(errno));
		return bad ? RL_EXIT_DATA : 0;
	}
	bad = ferror(o->f);
	if (fclose(o->f))
		bad = 1;
	o->f = NULL;
	if (bad || rename(o->tmp, o->path)) {
		fprintf(stderr, "%s: error: cannot write: %s\n", o->path, strerror(errno));
		unlink(o->tmp);
		bad = 1;
	}
	/* after the rename: a signal in between finds no temporary file to remove */
	rl_out_untrack(o);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return bad ? RL_EXIT_DATA : 0;
}

void rl_out_abort(struct rl_outfile *o)
{
	if (o->f && o->f != stdout) {
		fclose(o->f);
		unlink(o->tmp);
		rl_out_untrack(o);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

/* ================================ option vocabulary (rl_opt_vocab and friends) */

static const struct {
	const char *name;
	int fmt;
} rl_formats[] = {
	{"table", RL_OUT_TABLE},
	{"csv", RL_OUT_CSV},
	{"json", RL_OUT_JSON},
};

static const struct {
	const char *name;
	int64_t unit;
	unsigned bit;
} rl_units[] = {
	{"ns", RL_UNIT_NS, RL_VOCAB_NS},
	{"us", RL_UNIT_US, RL_VOCAB_US},
	{"ms", RL_UNIT_MS, RL_VOCAB_MS},
};

#define RL_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * "a, b or c" of the names whose bit is in @allowed, for usage messages.
 * @names: the table's names, @bits: each one's bit.
 */
static void rl_list_names(char *buf, size_t len, const char *const *names, const unsigned *bits,
			  size_t n, unsigned allowed)
{
	size_t i, k = 0, total = 0, off = 0;
	const char *sep;

	for (i = 0; i < n; i++)
		total += !!(bits[i] & allowed);
	buf[0] = 0;
	for (i = 0; i < n && off < len; i++) {
		if (!(bits[i] & allowed))
			continue;
		k++;
		sep = k == 1 ? "" : ", ";
		if (k > 1 && k == total)
			sep = " or ";
		off += (size_t)snprintf(buf + off, len - off, "%s%s", sep, names[i]);
	}
}

/**
 * rl_opt_format() - parse --format against the formats a command prints
 * @arg:     the argument
 * @allowed: RL_VOCAB_FMT() bits
 * @fmt:     receives the enum rl_out_format
 *
 * Return: 0, or -1 with a usage error printed that lists the formats.
 */
int rl_opt_format(const char *arg, unsigned allowed, int *fmt)
{
	const char *names[RL_NELEM(rl_formats)];
	unsigned bits[RL_NELEM(rl_formats)];
	char list[64];
	size_t i;

	for (i = 0; i < RL_NELEM(rl_formats); i++) {
		names[i] = rl_formats[i].name;
		bits[i] = RL_VOCAB_FMT(rl_formats[i].fmt);
		if ((bits[i] & allowed) && !strcmp(arg, names[i])) {
			*fmt = rl_formats[i].fmt;
			return 0;
		}
	}
	rl_list_names(list, sizeof(list), names, bits, RL_NELEM(rl_formats), allowed);
	rl_usage_error("--format takes %s, not '%s'", list, arg);
	return -1;
}

/**
 * rl_opt_unit() - parse --unit against the units a command prints
 * @arg:     the argument (ns, us, ms)
 * @allowed: RL_VOCAB_NS / _US / _MS bits
 * @unit:    receives ns per unit
 *
 * Return: 0, or -1 with a usage error printed that lists the units.
 */
int rl_opt_unit(const char *arg, unsigned allowed, int64_t *unit)
{
	const char *names[RL_NELEM(rl_units)];
	unsigned bits[RL_NELEM(rl_units)];
	char list[64];
	size_t i;

	for (i = 0; i < RL_NELEM(rl_units); i++) {
		names[i] = rl_units[i].name;
		bits[i] = rl_units[i].bit;
		if ((bits[i] & allowed) && !strcmp(arg, names[i])) {
			*unit = rl_units[i].unit;
			return 0;
		}
	}
	rl_list_names(list, sizeof(list), names, bits, RL_NELEM(rl_units), allowed);
	rl_usage_error("--unit takes %s here, not '%s'", list, arg);
	return -1;
}

/**
 * rl_unit_name() - the suffix of a unit
 * @unit: ns per unit
 *
 * Return: "ns", "us", "ms", "s", or "?" for another value.
 */
const char *rl_unit_name(int64_t unit)
{
	size_t i;

	for (i = 0; i < RL_NELEM(rl_units); i++)
		if (rl_units[i].unit == unit)
			return rl_units[i].name;
	return unit == RL_UNIT_S ? "s" : "?";
}

/* The command's options, released at exit whatever path the command returns by. */
static struct rl_vocab *rl_vocab_live;

static void rl_vocab_atexit(void)
{
	if (rl_vocab_live)
		rl_vocab_release(rl_vocab_live);
}

/**
 * rl_vocab_init() - the shared options, none given yet
 * @v:         the options; static storage: they are released at exit (one
 *             command runs per process), so early returns need no cleanup
 * @time_unit: unit of a bare --from/--to number (RL_UNIT_*)
 * @fmts:      formats --format accepts (RL_VOCAB_FMT bits; 0: none)
 * @units:     units --unit accepts (RL_VOCAB_* bits; 0: none)
 */
void rl_vocab_init(struct rl_vocab *v, int64_t time_unit, unsigned fmts, unsigned units)
{
	if (!rl_vocab_live)
		atexit(rl_vocab_atexit);
	rl_vocab_live = v;
	memset(v, 0, sizeof(*v));
	rl_select_opts_init(&v->sel);
	v->time_unit = time_unit;
	v->fmts = fmts;
	v->units = units;
	v->fmt = -1;
}

/**
 * rl_vocab_release() - free the parsed sets and the stage
 * @v: the options
 */
void rl_vocab_release(struct rl_vocab *v)
{
	if (rl_vocab_live == v)
		rl_vocab_live = NULL;
	if (v->staged)
		rl_select_release(&v->stage);
	rl_select_opts_release(&v->sel);
	rl_idset_release(&v->sample_cpus);
	v->staged = 0;
}

/* Remember "--cpu 7" for the warning when nothing matches. */
static void rl_vocab_note(struct rl_vocab *v, const char *name, const char *arg)
{
	size_t off = strlen(v->given);

	if (off < sizeof(v->given))
		snprintf(v->given + off, sizeof(v->given) - off, "%s--%s %s", off ? " " : "", name,
			 arg);
	v->nsel++;
}

static int rl_vocab_time(struct rl_vocab *v, const char *name, const char *arg, int64_t *out)
{
	struct rl_err err;

	rl_err_init(&err);
	if (rl_time_parse(arg, v->time_unit, out, &err) < 0) {
		rl_usage_error("--%s: %s", name, err.msg);
		return -1;
	}
	rl_vocab_note(v, name, arg);
	return 1;
}

/**
 * rl_opt_vocab() - handle one of the shared options
 * @opt: the getopt code
 * @arg: its argument
 * @v:   the options
 *
 * Return: 1 if handled, 0 if @opt is not a vocabulary option, -1 on a bad
 * value (the usage error, naming the option, is printed).
 */
int rl_opt_vocab(int opt, const char *arg, struct rl_vocab *v)
{
	struct rl_err err;

	rl_err_init(&err);
	switch (opt) {
	case RL_OPT_CPU:
		if (rl_select_parse_cpus(arg, &v->sel.cpus, &err) < 0) {
			rl_usage_error("--cpu: %s", err.msg);
			return -1;
		}
		rl_vocab_note(v, "cpu", arg);
		return 1;
	case RL_OPT_PID:
		if (rl_select_parse_pids(arg, &v->sel.pids, &err) < 0) {
			rl_usage_error("--pid: %s", err.msg);
			return -1;
		}
		rl_vocab_note(v, "pid", arg);
		return 1;
	case RL_OPT_COMM:
		if (!*arg) {
			rl_usage_error("--comm takes a task name, not ''");
			return -1;
		}
		v->sel.comm = arg;
		rl_vocab_note(v, "comm", arg);
		return 1;
	case RL_OPT_FROM:
		v->sel.has_from = 1;
		return rl_vocab_time(v, "from", arg, &v->sel.from);
	case RL_OPT_TO:
		v->sel.has_to = 1;
		return rl_vocab_time(v, "to", arg, &v->sel.to);
	case RL_OPT_UNIT:
		return rl_opt_unit(arg, v->units, &v->unit) < 0 ? -1 : 1;
	case RL_OPT_FORMAT:
		return rl_opt_format(arg, v->fmts, &v->fmt) < 0 ? -1 : 1;
	default:
		return 0;
	}
}

/* --pid/--comm given, and no task of the trace passes them (after a run through the stage). */
static int rl_vocab_no_task(struct rl_vocab *v)
{
	uint32_t i;

	if (!v->staged || (!v->sel.pids.n && !v->sel.comm))
		return 0;
	for (i = 0; i < v->stage.t->ntasks; i++)
		if (rl_select_task(&v->stage, i))
			return 0;
	return 1;
}

/**
 * rl_run_selected() - run sinks behind the selection stage
 * @o:     the opened inputs
 * @v:     the options (NULL: no selection)
 * @sinks: the command's analyses
 * @n:     their number
 *
 * Without a selection this is rl_run_sinks(). Otherwise the stage drops
 * what the options do not select (the job selection only watches times),
 * and a selection that matched no event is said on stderr (exit status
 * unchanged).
 *
 * Return: exit code.
 */
int rl_run_selected(struct rl_open *o, struct rl_vocab *v, struct rl_sink **sinks, size_t n)
{
	struct rl_err err;
	int r;

	if (!v || (!v->nsel && !v->job_mode))
		return rl_run_sinks(o, sinks, n);
	rl_err_init(&err);
	if (v->staged)
		rl_select_release(&v->stage);
	rl_select_init(&v->stage, o->t, &v->sel, rl_pipeline_backends(&o->p), &err);
	v->stage.watch_only = v->job_mode;
	v->staged = 1;
	rl_pipeline_set_filter(&o->p, &v->stage.sink);
	r = rl_run_sinks(o, sinks, n);
	rl_pipeline_set_filter(&o->p, NULL);
	if (!r && !v->job_mode && v->stage.seen && !v->stage.kept && !rl_quiet)
		fprintf(stderr, "%s: warning: %s matches no event\n", rl_prog, v->given);
	else if (!r && !v->job_mode && v->sel.keep_taskless && rl_vocab_no_task(v) && !rl_quiet)
		/* events of no task were kept (latency: IRQs), none of a task */
		fprintf(stderr, "%s: warning: %s matches no task\n", rl_prog, v->given);
	return r;
}

/* Set up the stage of a command that reads the merge itself (once). */
static void rl_vocab_stage(struct rl_vocab *v, struct rl_open *o)
{
	struct rl_err err;

	if (v->staged)
		return;
	rl_err_init(&err);
	rl_select_init(&v->stage, o->t, &v->sel, NULL, &err);
	v->staged = 1;
}

/**
 * rl_vocab_selection() - the selection stage for a command that reads the merge itself
 * @v: the options (the stage is set up on the first call)
 * @o: the opened inputs
 *
 * Return: the stage (its seen and kept counters are the reader's to update),
 * or NULL without a selection.
 */
struct rl_select *rl_vocab_selection(struct rl_vocab *v, struct rl_open *o)
{
	if (!v || !v->nsel)
		return NULL;
	rl_vocab_stage(v, o);
	return &v->stage;
}

/**
 * rl_vocab_task() - whether a task passes the --pid and --comm criteria
 * @v:    the options
 * @task: task index
 *
 * Return: 1 if it passes (always without a selection or before any event), else 0.
 */
int rl_vocab_task(struct rl_vocab *v, uint32_t task)
{
	if (!v || !v->nsel || !v->staged)
		return 1;
	return rl_select_task(&v->stage, task);
}

/**
 * rl_vocab_next_report() - warn when the stage of rl_vocab_selection() kept nothing
 * @v: the options
 */
void rl_vocab_next_report(const struct rl_vocab *v)
{
	if (v && v->nsel && v->staged && v->stage.seen && !v->stage.kept && !rl_quiet)
		fprintf(stderr, "%s: warning: %s matches no event\n", rl_prog, v->given);
}

/* jobs: the keep() callback of struct rl_job_filter. */
static int rl_vocab_job_keep(void *arg, uint32_t task, int64_t release)
{
	struct rl_vocab *v = arg;

	if (!v->staged)
		return 1;
	if (!rl_select_job(&v->stage, task, release, v->rel))
		return 0;
	v->jobs_kept++;
	return 1;
}

/**
 * rl_vocab_job_filter() - the selection as a job filter (rtlens jobs)
 * @v:   the options
 * @fl:  the job filter to complete
 * @rel: -r given: --from and --to count from the system release
 *
 * Job reconstruction needs every event of a task, so nothing is dropped
 * before it: --pid and --comm select tasks, --cpu tasks partitioned on
 * those CPUs, --from/--to jobs released in the window. A single --pid or
 * a --comm alone are st-job-stats' -p and -n.
 *
 * Return: 1 if the keep() callback is installed, 0 if plain -p/-n suffice.
 */
int rl_vocab_job_filter(struct rl_vocab *v, struct rl_job_filter *fl, int rel)
{
	const struct rl_select_opts *o = &v->sel;
	int single_pid = o->pids.n == 1 && o->pids.r[0].lo == o->pids.r[0].hi;

	v->rel = (uint8_t)rel;
	if (!v->nsel)
		return 0;
	/* never an event selection: rl_run_selected() only watches the times */
	v->job_mode = 1;
	if (!o->cpus.n && !o->has_from && !o->has_to && (!o->pids.n || single_pid)) {
		if (o->pids.n)
			fl->pid = (int32_t)o->pids.r[0].lo;
		if (o->comm)
			fl->name = o->comm;
		return 0;
	}
	fl->keep = rl_vocab_job_keep;
	fl->keep_arg = v;
	v->job_hook = 1;
	return 1;
}

static int rl_vocab_keep_cpu(void *arg, uint32_t cpu)
{
	struct rl_vocab *v = arg;

	if (!rl_idset_has(&v->sample_cpus, cpu))
		return 0;
	v->jobs_kept++;
	return 1;
}

/**
 * rl_vocab_sample_cpus() - --cpu as a sample selection (rtlens latency)
 * @v: the options
 *
 * A wake-up latency starts on the waker's CPU and ends on the woken task's:
 * dropping events by CPU would lose the samples that cross CPUs. So --cpu
 * keeps the samples that end on those CPUs, the rows --per-cpu shows for
 * them, and no event is dropped for it.
 *
 * Return: the callback (its arg is @v), or NULL without --cpu.
 */
int (*rl_vocab_sample_cpus(struct rl_vocab *v))(void *arg, uint32_t cpu)
{
	if (!v->sel.cpus.n)
		return NULL;
	rl_idset_release(&v->sample_cpus);
	v->sample_cpus = v->sel.cpus;
	rl_idset_init(&v->sel.cpus);
	return rl_vocab_keep_cpu;
}

/**
 * rl_vocab_report() - say so when the job or sample selection kept nothing
 * @v:    the options, after the run
 * @what: "job" or "sample"
 */
void rl_vocab_report(struct rl_vocab *v, const char *what)
{
	if (rl_quiet)
		return;
	if ((v->job_hook || v->sample_cpus.n) && !v->jobs_kept) {
		fprintf(stderr, "%s: warning: %s matches no %s\n", rl_prog, v->given, what);
		return;
	}
	/* plain -p/-n (rl_vocab_job_filter()): the jobs writer chose; say so if no task is theirs
	 */
	if (v->job_mode && !v->job_hook && rl_vocab_no_task(v))
		fprintf(stderr, "%s: warning: %s matches no task\n", rl_prog, v->given);
}

/**
 * rl_out_stdout() - standard output to a file, atomically
 * @o:    the output (commit with rl_out_commit() after fflush(stdout))
 * @path: the file, or NULL/"-" for standard output as it is
 *
 * For commands that print with printf(): their output goes to @path's
 * temporary file, renamed into place on commit.
 *
 * Return: 0 or an exit code with the error printed.
 */
int rl_out_stdout(struct rl_outfile *o, const char *path)
{
	int r = rl_out_open(o, path);

	if (r || o->f == stdout)
		return r;
	fflush(stdout);
	if (dup2(fileno(o->f), STDOUT_FILENO) < 0) {
		fprintf(stderr, "%s: error: cannot redirect output: %s\n", path, strerror(errno));
		rl_out_abort(o);
		return RL_EXIT_DATA;
	}
	return 0;
}

/* ========================================== end of option vocabulary */
