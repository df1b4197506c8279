/* cli/common.c - opening inputs, printing errors and warnings, atomic output. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static int rl_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

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
			rl_usage_error("--max-inflate takes a size in bytes (K, M, G suffixes), not '%s'",
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
				       "(K, M, G suffixes), not '%s'", arg);
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
				       "(4.5 and later), not '%s'", arg);
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
		fprintf(stderr, "%s: error: %s\n", rl_prog, e->msg[0] ? e->msg : rl_strerror(e->code));
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
					(unsigned long long)w->off, w->msg);
			else if (w->path)
				fprintf(stderr, "%s: warning: %s\n", w->path, w->msg);
			else
				fprintf(stderr, "%s: warning: %s\n", rl_prog, w->msg);
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
	rl_skew_table_init(&o->skew);
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
	rl_skew_table_release(&o->skew);
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

static void rl_progress(void *arg, uint64_t events, uint64_t bytes)
{
	(void)arg;
	(void)bytes;
	fprintf(stderr, "\r%s: %llu M events", rl_prog, (unsigned long long)(events >> 20));
}

int rl_run_sinks(struct rl_open *o, struct rl_sink **sinks, size_t n)
{
	struct rl_err err;
	int tty = isatty(2) && !rl_quiet;
	int r;

	rl_err_init(&err);
	r = rl_pipeline_run(&o->p, sinks, n, tty ? rl_progress : NULL, NULL, &err);
	if (tty)
		fprintf(stderr, "\r\033[K");
	if (r < 0) {
		rl_print_err(&err);
		return err.code == -RL_E_MIXED ? RL_EXIT_USAGE : RL_EXIT_DATA;
	}
	return 0;
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
	o->tmp = malloc(strlen(path) + 16);
	if (!o->path || !o->tmp) {
		fprintf(stderr, "%s: error: out of memory\n", rl_prog);
		return RL_EXIT_DATA;
	}
	sprintf(o->tmp, "%s.tmpXXXXXX", path);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		fprintf(stderr, "%s: error: cannot create output next to it: %s\n", path,
			strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return RL_EXIT_DATA;
	}
	fchmod(fd, 0644);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		close(fd);
		unlink(o->tmp);
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
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
