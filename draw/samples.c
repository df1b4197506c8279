/*
 * draw/samples.c - samples to plot, read from CSV or float32 files.
 *
 * A CSV file gives the numbers of one column: lines starting with # and
 * blank lines are skipped, a first line whose fields are not all numbers is
 * a header (the column may then be named), fields are trimmed and may be
 * quoted. ft2csv's "start, end, delta" lines work as they are (the default
 * column is the last). The samples go to one series per file, one per
 * distinct value of a grouping column, or (for `rtlens jobs` CSV) one per
 * task of its response times in ms. A float32 file (ft2csv -r) is native
 * float32 values and nothing else. Nothing here prints: rows that are left
 * out are counted in struct rl_samples_stats, errors carry the path and the
 * byte offset of their line.
 */
#include "draw.h"
#include "../readers/cyclictest.h"
#include "../readers/readers.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- the set */

/**
 * rl_samples_init() - start an empty set of series
 * @ss: the set
 */
void rl_samples_init(struct rl_samples *ss)
{
	memset(ss, 0, sizeof(*ss));
}

/**
 * rl_samples_release() - free the series, their samples and labels
 * @ss: the set (left empty)
 */
void rl_samples_release(struct rl_samples *ss)
{
	uint32_t i;

	for (i = 0; i < ss->n; i++) {
		free(ss->s[i].v);
		free(ss->s[i].w);
		free(ss->labels_[i]);
	}
	free(ss->s);
	free(ss->labels_);
	free(ss->cap_v_);
	free(ss->xlabel);
	memset(ss, 0, sizeof(*ss));
}

/* A new empty series named @label. Return: its index, or -1 out of memory. */
static int rl_samples_add(struct rl_samples *ss, const char *label)
{
	if (ss->n == ss->cap_) {
		uint32_t nc = ss->cap_ ? 2 * ss->cap_ : 8;
		struct rl_plot_series *ns = realloc(ss->s, nc * sizeof(*ns));
		char **nl;
		size_t *ncv;

		if (!ns)
			return -1;
		ss->s = ns;
		nl = realloc(ss->labels_, nc * sizeof(*nl));
		if (!nl)
			return -1;
		ss->labels_ = nl;
		ncv = realloc(ss->cap_v_, nc * sizeof(*ncv));
		if (!ncv)
			return -1;
		ss->cap_v_ = ncv;
		ss->cap_ = nc;
	}
	ss->labels_[ss->n] = strdup(label);
	if (!ss->labels_[ss->n])
		return -1;
	memset(&ss->s[ss->n], 0, sizeof(ss->s[0]));
	ss->s[ss->n].label = ss->labels_[ss->n];
	ss->cap_v_[ss->n] = 0;
	return (int)ss->n++;
}

static int rl_samples_push(struct rl_samples *ss, uint32_t i, double v)
{
	struct rl_plot_series *s = &ss->s[i];

	if (s->n == ss->cap_v_[i]) {
		size_t nc = ss->cap_v_[i] ? 2 * ss->cap_v_[i] : 256;
		double *nv = realloc(s->v, nc * sizeof(*nv));

		if (!nv)
			return -1;
		s->v = nv;
		ss->cap_v_[i] = nc;
	}
	s->v[s->n++] = v;
	return 0;
}

/* ---------------------------------------------------------------- CSV */

/* Split @line at commas in place; fields are trimmed and unquoted. Return: count, -1 no memory. */
static int rl_csv_split(char *line, char ***fields, size_t *cap)
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

/* Return: 0 and *v if @s is a whole number (strtod syntax), else -1. */
static int rl_csv_num(const char *s, double *v)
{
	char *end;

	if (!*s)
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	return (errno == ERANGE && !isfinite(*v)) || *end ? -1 : 0;
}

/* Reading one CSV file. */
struct rl_csv {
	struct rl_samples *ss;
	const struct rl_samples_opts *o;
	struct rl_samples_stats *st;
	const char *path, *label;
	char **f; /* the fields of the current line */
	size_t fcap;
	int nf;
	uint64_t line, off; /* the current line: number (1 = first), byte offset */
	long col, cpid, cname, cby;
	double resp_div; /* response values per ms (1e6: ns); 0: told by the first value */
	int series;	 /* the file's series (one per file), -1 */
	/* --response-times: a series per pid, in order of appearance */
	long *pids;
	uint32_t npids, *pid_series;
	/* by column: its distinct values seen so far and their series */
	char **keys;
	uint32_t *key_series;
	uint32_t nkeys, last_key;
};

static void rl_csv_release(struct rl_csv *c)
{
	uint32_t i;

	for (i = 0; i < c->nkeys; i++)
		free(c->keys[i]);
	free(c->keys);
	free(c->key_series);
	free(c->pids);
	free(c->pid_series);
	free(c->f);
}

/* @err, noted as being about the current line (its number goes to the stats). */
static struct rl_err *rl_csv_at(struct rl_csv *c, struct rl_err *err)
{
	c->st->line = c->line;
	return err;
}

static int rl_samples_nomem(struct rl_err *err)
{
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
}

/* `rtlens jobs` CSV: the header must name pid and response (ns, or ms with -m). */
static int rl_csv_header_jobs(struct rl_csv *c, struct rl_err *err)
{
	/* the response column and its unit (plain 'response': told by its values) */
	static const struct {
		const char *name;
		double div;
	} resp[] = {
		{"response", 0}, {"response_ns", 1e6}, {"response_us", 1e3}, {"response_ms", 1}};
	size_t k;
	int i;

	for (i = 0; i < c->nf; i++) {
		for (k = 0; k < sizeof(resp) / sizeof(resp[0]); k++)
			if (!strcmp(c->f[i], resp[k].name)) {
				c->col = i;
				c->resp_div = resp[k].div;
			}
		if (!strcmp(c->f[i], "pid"))
			c->cpid = i;
		else if (!strcmp(c->f[i], "name"))
			c->cname = i;
	}
	if (c->col < 0 || c->cpid < 0)
		return rl_err_set(rl_csv_at(c, err), -RL_E_FORMAT, c->path, c->off,
				  "no 'pid' and 'response' columns: not `rtlens jobs` CSV output");
	return 1;
}

/*
 * The first line that is not a comment: a header, or already data.
 * Return: 1 a header (consumed), 0 data, or a negative error code.
 */
static int rl_csv_header(struct rl_csv *c, struct rl_err *err)
{
	const struct rl_samples_opts *o = c->o;
	double v;
	int i;

	if (o->response)
		return rl_csv_header_jobs(c, err);
	if (o->column) {
		char *end;
		long k = strtol(o->column, &end, 10);

		if (!*end && k >= 1)
			c->col = k - 1;
	}
	if (c->col < 0 && !o->column)
		c->col = c->nf - 1;
	for (i = 0; i < c->nf && !rl_csv_num(c->f[i], &v); i++)
		;
	if (i == c->nf && c->col < 0)
		return rl_err_set(rl_csv_at(c, err), -RL_E_FORMAT, c->path, c->off,
				  "column '%s' named, but the file has no header", o->column);
	if (i == c->nf || (c->col >= 0 && c->col < c->nf && !rl_csv_num(c->f[c->col], &v))) {
		/* no header: this is data */
		if (o->by)
			return rl_err_set(rl_csv_at(c, err), -RL_E_FORMAT, c->path, c->off,
					  "--by names a column, but the file has no header");
		return 0;
	}
	/* a header: find the column by name */
	if (c->col < 0)
		for (i = 0; i < c->nf; i++)
			if (!strcmp(c->f[i], o->column))
				c->col = i;
	if (c->col < 0 || c->col >= c->nf)
		return rl_err_set(rl_csv_at(c, err), -RL_E_FORMAT, c->path, c->off,
				  "no column '%s' (the header has %d fields)",
				  o->column ? o->column : "?", c->nf);
	if (!c->ss->xlabel)
		c->ss->xlabel = strdup(c->f[c->col]);
	for (i = 0; o->by && i < c->nf; i++)
		if (!strcmp(c->f[i], o->by))
			c->cby = i;
	if (o->by && c->cby < 0)
		return rl_err_set(rl_csv_at(c, err), -RL_E_FORMAT, c->path, c->off,
				  "--by: no column '%s'", o->by);
	return 1;
}

/* The series of task @pid (created in order of appearance); -1 out of memory. */
static int rl_csv_pid_series(struct rl_csv *c, long pid)
{
	const char *name = c->cname >= 0 && c->cname < c->nf ? c->f[c->cname] : "";
	uint32_t k, *nps;
	char lab[256];
	long *np;
	int sidx;

	for (k = 0; k < c->npids && c->pids[k] != pid; k++)
		;
	if (k < c->npids)
		return (int)c->pid_series[k];
	np = realloc(c->pids, (c->npids + 1) * sizeof(*np));
	if (!np)
		return -1;
	c->pids = np;
	nps = realloc(c->pid_series, (c->npids + 1) * sizeof(*nps));
	if (!nps)
		return -1;
	c->pid_series = nps;
	if (c->o->nfiles > 1)
		snprintf(lab, sizeof(lab), "%s: %s/%ld", c->label, name, pid);
	else
		snprintf(lab, sizeof(lab), "%s/%ld", name, pid);
	sidx = rl_samples_add(c->ss, lab);
	if (sidx < 0)
		return -1;
	c->pids[c->npids] = pid;
	c->pid_series[c->npids++] = (uint32_t)sidx;
	return sidx;
}

/* The series of by-column value @key (created in order of appearance); -1 out of memory. */
static int rl_csv_key_series(struct rl_csv *c, const char *key)
{
	char **nk;
	uint32_t *ns;
	char *lab;
	int sidx;

	if (c->nkeys && !strcmp(c->keys[c->last_key], key)) /* rows of a series come together */
		return (int)c->key_series[c->last_key];
	for (c->last_key = 0; c->last_key < c->nkeys; c->last_key++)
		if (!strcmp(c->keys[c->last_key], key))
			return (int)c->key_series[c->last_key];
	nk = realloc(c->keys, (c->nkeys + 1) * sizeof(*nk));
	if (nk)
		c->keys = nk;
	ns = realloc(c->key_series, (c->nkeys + 1) * sizeof(*ns));
	if (ns)
		c->key_series = ns;
	if (!nk || !ns)
		return -1;
	if (c->o->nfiles > 1 ? asprintf(&lab, "%s: %s", c->label, key) < 0 : !(lab = strdup(key)))
		return -1;
	sidx = rl_samples_add(c->ss, lab);
	free(lab);
	c->keys[c->nkeys] = strdup(key);
	if (sidx < 0 || !c->keys[c->nkeys])
		return -1;
	c->key_series[c->nkeys] = (uint32_t)sidx;
	c->last_key = c->nkeys++;
	return sidx;
}

/* A data row. Return: 0, or -1 out of memory. */
static int rl_csv_row(struct rl_csv *c)
{
	struct rl_samples_stats *st = c->st;
	const char *s;
	double v;
	int sidx;

	st->rows++;
	if (c->col >= c->nf) {
		st->bad++;
		return 0;
	}
	s = c->f[c->col];
	if (!*s) {
		st->empty++;
		return 0;
	}
	if (rl_csv_num(s, &v)) {
		if (st->bad < RL_SAMPLES_KEEP_BAD) {
			struct rl_samples_bad *b = &st->first_bad[st->nfirst_bad++];

			b->line = c->line;
			b->off = c->off;
			snprintf(b->text, sizeof(b->text), "%s", s);
		}
		st->bad++;
		return 0;
	}
	if (c->o->response) {
		char *end;

		/* a plain 'response' column: `rtlens jobs` writes ns as integers, ms (-m) with
		 * decimals */
		if (!c->resp_div)
			c->resp_div = strpbrk(s, ".eE") ? 1 : 1e6;
		sidx = rl_csv_pid_series(c, c->cpid < c->nf ? strtol(c->f[c->cpid], &end, 10) : 0);
		return sidx < 0 ? -1 : rl_samples_push(c->ss, (uint32_t)sidx, v / c->resp_div);
	}
	if (c->o->by) {
		sidx = rl_csv_key_series(c, c->cby < c->nf ? c->f[c->cby] : "");
		return sidx < 0 ? -1 : rl_samples_push(c->ss, (uint32_t)sidx, v * c->o->scale);
	}
	return rl_samples_push(c->ss, (uint32_t)c->series, v * c->o->scale);
}

/**
 * rl_samples_read_csv() - add the samples of one CSV file
 * @ss:    the set the series go to
 * @path:  the file
 * @label: the file's label: its series' name (one series per file), or the
 *         prefix of its series' names when @o->nfiles > 1
 * @o:     which column and how to group
 * @st:    filled with what was left out (and, on an error about a line, its number)
 * @err:   error: path and the byte offset of the line it is about
 *
 * Return: 0, or a negative RL_E_* code: cannot open or read (RL_E_IO), a
 * column that is not there (RL_E_FORMAT), out of memory.
 */
int rl_samples_read_csv(struct rl_samples *ss, const char *path, const char *label,
			const struct rl_samples_opts *o, struct rl_samples_stats *st,
			struct rl_err *err)
{
	struct rl_csv c = {.ss = ss,
			   .o = o,
			   .st = st,
			   .path = path,
			   .label = label,
			   .col = -1,
			   .cpid = -1,
			   .cname = -1,
			   .cby = -1,
			   .series = -1};
	FILE *f = fopen(path, "r");
	int header_done = 0, r = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;

	memset(st, 0, sizeof(*st));
	if (!f)
		return rl_err_set(err, -RL_E_IO, path, RL_OFF_NONE, "cannot open: %s",
				  strerror(errno));
	if (!o->response && !o->by) {
		c.series = rl_samples_add(ss, label);
		if (c.series < 0)
			goto nomem;
	}
	for (; (len = getline(&line, &lcap, f)) > 0; c.off += (uint64_t)len) {
		c.line++;
		if (line[0] == '#' || line[0] == '\n' || (line[0] == '\r' && line[1] == '\n'))
			continue;
		c.nf = rl_csv_split(line, &c.f, &c.fcap);
		if (c.nf < 0)
			goto nomem;
		if (!header_done) {
			header_done = 1;
			r = rl_csv_header(&c, err);
			if (r < 0)
				goto out;
			if (r > 0)
				continue;
		}
		if (rl_csv_row(&c))
			goto nomem;
	}
	r = 0;
	if (ferror(f))
		r = rl_err_set(err, -RL_E_IO, path, RL_OFF_NONE, "cannot read: %s",
			       strerror(errno));
	goto out;
nomem:
	r = rl_samples_nomem(err);
out:
	rl_csv_release(&c);
	free(line);
	fclose(f);
	return r;
}

/* ------------------------------------------------------------ float32 */

/**
 * rl_samples_read_f32() - add the samples of a float32 file as one series
 * @ss:    the set the series goes to
 * @path:  the file: native float32 values (ft2csv -r)
 * @label: the series' name
 * @scale: every sample is multiplied by it
 * @st:    trailing bytes that are not a whole float32 are counted here
 * @err:   error
 *
 * Return: 0, or a negative RL_E_* code (cannot open or read, out of memory).
 */
int rl_samples_read_f32(struct rl_samples *ss, const char *path, const char *label, double scale,
			struct rl_samples_stats *st, struct rl_err *err)
{
	FILE *f = fopen(path, "rb");
	float buf[4096];
	size_t n, i;
	uint64_t total = 0;
	int series, r = 0;
	long end;

	memset(st, 0, sizeof(*st));
	if (!f)
		return rl_err_set(err, -RL_E_IO, path, RL_OFF_NONE, "cannot open: %s",
				  strerror(errno));
	series = rl_samples_add(ss, label);
	if (series < 0)
		goto nomem;
	while ((n = fread(buf, sizeof(float), sizeof(buf) / sizeof(buf[0]), f)) > 0) {
		for (i = 0; i < n; i++)
			if (rl_samples_push(ss, (uint32_t)series, (double)buf[i] * scale))
				goto nomem;
		total += n;
	}
	st->rows = total;
	if (ferror(f)) {
		r = rl_err_set(err, -RL_E_IO, path, RL_OFF_NONE, "cannot read: %s",
			       strerror(errno));
	} else if ((end = ftell(f)) >= 0 && (uint64_t)end != total * sizeof(float)) {
		st->trailing_off = total * sizeof(float);
		st->trailing = (uint64_t)end - st->trailing_off;
	}
	fclose(f);
	return r;
nomem:
	fclose(f);
	return rl_samples_nomem(err);
}

/* ---------------------------------------------------------- cyclictest */

/**
 * rl_samples_probe_cyclictest() - is this file cyclictest's output?
 * @path: the file
 *
 * Return: 1 for the -h/--histfile text or --json of cyclictest (gzip too), else 0.
 */
int rl_samples_probe_cyclictest(const char *path)
{
	struct rl_read_opts ro;
	struct rl_input in;
	struct rl_err err;
	int r;

	memset(&ro, 0, sizeof(ro));
	rl_err_init(&err);
	if (rl_input_open(&in, path, &ro, &err) < 0)
		return 0;
	r = !in.is_dir && rl_cyclictest_probe(in.buf, in.len) >= 50;
	rl_input_close(&in);
	return r;
}

/**
 * rl_samples_read_cyclictest() - the histograms of a cyclictest file, one series per thread
 * @ss:    the set the series go to
 * @path:  the file (-h/--histfile text or --json)
 * @label: the file's label: the prefix of its series' names with @o->nfiles > 1
 * @o:     @o->scale multiplies every value
 * @st:    @st->rows: the samples (cycles) read
 * @err:   error: path and offset
 *
 * The series are histograms (struct rl_plot_series @w) in microseconds:
 * counts per value, the overflowed samples counted with their lower bound
 * and the known max. They are named "thread N (cpu C)", the CPU when the
 * file says it.
 *
 * Return: 0, or a negative RL_E_* code.
 */
int rl_samples_read_cyclictest(struct rl_samples *ss, const char *path, const char *label,
			       const struct rl_samples_opts *o, struct rl_samples_stats *st,
			       struct rl_err *err)
{
	struct rl_cyclictest c;
	struct rl_read_opts ro;
	struct rl_input in;
	double mul;
	uint32_t i, b;
	int r;

	memset(st, 0, sizeof(*st));
	memset(&ro, 0, sizeof(ro));
	rl_cyclictest_init(&c);
	r = rl_input_open(&in, path, &ro, err);
	if (r < 0)
		return r;
	r = rl_cyclictest_parse(&c, in.buf, in.len, path, err);
	rl_input_close(&in);
	if (r < 0)
		return r;
	mul = (c.unit == RL_CYC_UNIT_NS ? 1e-3 : 1) * o->scale;
	for (i = 0; i < c.nthreads; i++) {
		const struct rl_cyc_thread *t = &c.threads[i];
		struct rl_plot_series *s;
		char lab[512], cpu[32] = "";
		int k;

		if (t->flags & RL_CYC_F_CPU && t->cpu >= 0)
			snprintf(cpu, sizeof(cpu), " (cpu %d)", t->cpu);
		if (o->nfiles > 1)
			snprintf(lab, sizeof(lab), "%s: thread %u%s", label, t->index, cpu);
		else
			snprintf(lab, sizeof(lab), "thread %u%s", t->index, cpu);
		k = rl_samples_add(ss, lab);
		if (k < 0)
			goto nomem;
		s = &ss->s[k];
		s->v = malloc((t->nbuckets ? t->nbuckets : 1) * sizeof(*s->v));
		s->w = malloc((t->nbuckets ? t->nbuckets : 1) * sizeof(*s->w));
		if (!s->v || !s->w)
			goto nomem;
		for (b = 0; b < t->nbuckets; b++) {
			s->v[b] = (double)t->buckets[b].value * mul;
			s->w[b] = t->buckets[b].count;
		}
		s->n = t->nbuckets;
		ss->cap_v_[k] = t->nbuckets;
		s->over = t->overflows;
		s->over_lo = (double)rl_cyclictest_overflow_min(&c, t) * mul;
		s->vmax = (double)t->max * mul;
		st->rows += t->cycles;
	}
	rl_cyclictest_release(&c);
	return 0;
nomem:
	rl_cyclictest_release(&c);
	return rl_samples_nomem(err);
}
