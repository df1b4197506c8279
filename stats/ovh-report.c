/*
 * stats/ovh-report.c - writers for overhead statistics: table, CSV, JSON,
 * samples, CDF, histogram, irq_count distribution and SchedCAT tables.
 *
 * Group labels are the key=value parts of the file names (litmus.md 4.1);
 * every key seen becomes a column. Statistics follow ft-compute-stats:
 * values in cycles, or microseconds with cycles_per_usec; the latency
 * records (ns) are always shown in microseconds.
 */
#include "stats.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct rep_keys {
	char **names;
	uint32_t n, cap;
};

/* Every column name of every group, in order of first appearance. */
static int rep_keys_build(const struct rl_ovh *h, struct rep_keys *k)
{
	uint32_t g, i;
	unsigned c;

	memset(k, 0, sizeof(*k));
	for (g = 0; g < rl_ovh_ngroups(h); g++)
		for (c = 0; c < rl_ovh_group_ncols(h, g); c++) {
			const char *v, *name = rl_ovh_group_col(h, g, c, &v);
			int found = 0;

			for (i = 0; i < k->n && !found; i++)
				found = !strcmp(k->names[i], name);
			if (found)
				continue;
			if (rl_grow((void **)&k->names, &k->cap, k->n + 1, sizeof(*k->names)))
				return -RL_E_NOMEM;
			k->names[k->n] = strdup(name);
			if (!k->names[k->n])
				return -RL_E_NOMEM;
			k->n++;
		}
	return 0;
}

static void rep_keys_free(struct rep_keys *k)
{
	uint32_t i;

	for (i = 0; i < k->n; i++)
		free(k->names[i]);
	free(k->names);
}

/* A growable table of string cells for aligned output. */
struct rep_tab {
	char **cells;
	uint32_t n, cap;
	uint32_t ncols;
	int oom;
};

static void tab_add(struct rep_tab *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void tab_add(struct rep_tab *t, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int r;

	if (t->oom)
		return;
	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0 || rl_grow((void **)&t->cells, &t->cap, t->n + 1, sizeof(*t->cells))) {
		if (r >= 0)
			free(s);
		t->oom = 1;
		return;
	}
	t->cells[t->n++] = s;
}

static void tab_free(struct rep_tab *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++)
		free(t->cells[i]);
	free(t->cells);
}

static void tab_print(const struct rep_tab *t, FILE *f, int fmt)
{
	uint32_t c, r, nrows = t->ncols ? t->n / t->ncols : 0;
	size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w));

	if (!w)
		return;
	for (r = 0; r < nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t l = strlen(t->cells[r * t->ncols + c]);

			if (l > w[c])
				w[c] = l;
		}
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];

			if (fmt == RL_OUT_CSV)
				fprintf(f, "%s%s", c ? "," : "", s);
			else if (c == 0 || r == 0 || !((s[0] >= '0' && s[0] <= '9') || s[0] == '-'))
				fprintf(f, "%s%-*s", c ? "  " : "", (int)w[c], s);
			else
				fprintf(f, "%s%*s", c ? "  " : "", (int)w[c], s);
		}
		fputc('\n', f);
	}
	free(w);
}

static double rep_scale(const struct rl_ovh *h, const struct rl_ovh_report *o, unsigned ev,
			const char **unit)
{
	if (rl_ovh_schema(h)->event_is_ns(ev)) {
		*unit = "us";
		return 1.0 / 1000.0;
	}
	if (o->cycles_per_usec > 0) {
		*unit = "us";
		return 1.0 / o->cycles_per_usec;
	}
	*unit = "cycles";
	return 1.0;
}

static uint64_t rep_hash(const char *s, uint64_t x)
{
	uint64_t hsh = 1469598103934665603ull ^ x;

	while (*s)
		hsh = (hsh ^ (uint8_t)*s++) * 1099511628211ull;
	return hsh;
}

/* Per event id: smallest non-zero sample count over the series (equalize). */
static void rep_min_counts(const struct rl_ovh *h, uint64_t *kmin)
{
	struct rl_ovh_series_info si;
	uint32_t i;

	for (i = 0; i < 256; i++)
		kmin[i] = 0;
	for (i = 0; i < rl_ovh_nseries(h); i++) {
		rl_ovh_series(h, i, &si);
		if (si.n && (!kmin[si.event] || si.n < kmin[si.event]))
			kmin[si.event] = si.n;
	}
}

/**
 * rl_ovh_series_stat() - statistics of one series, equalized if asked
 * @h:    the accumulator
 * @i:    series position
 * @o:    report options (equalize, seed)
 * @kmin: per-event sample count to equalize to (NULL: no equalizing)
 * @st:   output
 * @err:  error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_series_stat(struct rl_ovh *h, uint32_t i, const struct rl_ovh_report *o,
		       const uint64_t *kmin, struct rl_ovh_stat *st, struct rl_err *err)
{
	struct rl_ovh_series_info si;
	int64_t *v;
	uint64_t n, k;
	double emax;
	int r;

	rl_ovh_series(h, i, &si);
	if (!(o->equalize && kmin && kmin[si.event] && kmin[si.event] < si.n)) {
		r = rl_ovh_stat_fast(h, i, st, err);
		if (r)
			return r < 0 ? r : 0;
	}
	r = rl_ovh_sorted(h, i, &v, &n, err);
	if (r < 0)
		return r;
	k = kmin && o->equalize && kmin[si.event] && kmin[si.event] < n ? kmin[si.event] : n;
	if (k < n) {
		emax = rl_ovh_expected_max(v, n, k);
		rl_ovh_shuffle(v, n, k,
			       rep_hash(rl_ovh_group_label(h, si.group),
					o->seed ^ ((uint64_t)si.event << 32) ^ (uint32_t)si.cpu));
		rl_ovh_stat_compute(v, k, st);
		st->n = n;
		st->k = k;
		st->exp_max = emax;
	} else {
		rl_ovh_stat_sorted(v, n, st);
	}
	return 0;
}

/* A statistic; none (NaN: no samples, or one sample's stddev) is empty in CSV, "-" in tables. */
static void rep_num(struct rep_tab *t, double x, double scale, int integer, int csv)
{
	if (isnan(x))
		tab_add(t, "%s", csv ? "" : "-");
	else if (integer && scale == 1.0)
		tab_add(t, "%.0f", x);
	else if (scale == 1.0)
		tab_add(t, "%.3f", x);
	else
		tab_add(t, "%.5f", x * scale);
}

static void rep_json_num(FILE *f, const char *name, double x, double scale, int integer)
{
	if (isnan(x))
		fprintf(f, ",\"%s\":null", name);
	else if (integer && scale == 1.0)
		fprintf(f, ",\"%s\":%.0f", name, x);
	else
		fprintf(f, ",\"%s\":%.6f", name, x * scale);
}

/* SEND_RESCHED_END (@x 0) or SEND_XCALL_END (1) records of group @g. */
static uint64_t rep_irq_total(const struct rl_ovh *h, uint32_t g, int x)
{
	uint64_t tot = 0;
	int fl, c;

	for (fl = 0; fl < 2; fl++)
		for (c = 0; c < 32; c++)
			tot += rl_ovh_irq_hist(h, g, x, fl, c);
	return tot;
}

static void rep_irq_json(const struct rl_ovh *h, uint32_t g, FILE *f)
{
	int x, c, first = 1;

	fprintf(f, ",\"ipi_end_irq_count\":{");
	for (x = 0; x < 2; x++) {
		uint64_t tot = rep_irq_total(h, g, x);

		if (!tot)
			continue;
		fprintf(f, "%s\"%s\":{", first ? "" : ",",
			x ? "SEND_XCALL_END" : "SEND_RESCHED_END");
		first = 0;
		fprintf(f, "\"records\":%llu,\"flag0\":[", (unsigned long long)tot);
		for (c = 0; c < 32; c++)
			fprintf(f, "%s%llu", c ? "," : "",
				(unsigned long long)rl_ovh_irq_hist(h, g, x, 0, c));
		fprintf(f, "],\"flag1\":[");
		for (c = 0; c < 32; c++)
			fprintf(f, "%s%llu", c ? "," : "",
				(unsigned long long)rl_ovh_irq_hist(h, g, x, 1, c));
		fprintf(f, "]}");
	}
	fprintf(f, "}");
}

/* The statistics columns after n (and k, exp_max_k), in order. */
static const char *const rep_stat_names[10] = {
	"min", "max", "mean", "median", "stddev", "var", "p90", "p95", "p99", "p99.9",
};

/* One row of the statistics: a series, its statistics and how they are shown. */
struct rep_row {
	struct rl_ovh_series_info si;
	struct rl_ovh_stat st;
	const char *unit, *lab;
	double sc; /* unit scale */
	char ev[64];
};

/* The values of rep_stat_names for @w: value, scale, and whether it is an exact integer. */
static void rep_stat_vals(const struct rep_row *w, double *x, double *scale, int *integer)
{
	const struct rl_ovh_stat *st = &w->st;
	int k;

	x[0] = (double)st->min;
	x[1] = (double)st->max;
	x[2] = st->mean;
	x[3] = st->median;
	x[4] = st->std;
	x[5] = st->var;
	x[6] = st->p90;
	x[7] = st->p95;
	x[8] = st->p99;
	x[9] = st->p999;
	/* no samples: no statistic (not zeros); one sample: no sample stddev (ddof=1) */
	for (k = 0; k < 10 && !st->n; k++)
		x[k] = NAN;
	if (st->n == 1)
		x[4] = NAN;
	for (k = 0; k < 10; k++) {
		scale[k] = k == 5 ? w->sc * w->sc : w->sc;
		integer[k] = k < 2;
	}
}

/* Header: the event first when it is the primary key of the order. */
static void rep_stats_header(struct rep_tab *t, const struct rl_ovh_schema *sch,
			     const struct rep_keys *keys, int per_cpu, int equalize)
{
	uint32_t c;
	unsigned j;

	if (sch->by_event)
		tab_add(t, "event");
	if (!keys->n)
		tab_add(t, "group");
	for (c = 0; c < keys->n; c++)
		tab_add(t, "%s", keys->names[c]);
	if (!sch->by_event)
		tab_add(t, "event");
	if (per_cpu)
		tab_add(t, "cpu");
	tab_add(t, "unit");
	tab_add(t, "samples");
	if (equalize) {
		tab_add(t, "k");
		tab_add(t, "exp_max_k");
	}
	for (j = 0; j < 10; j++)
		tab_add(t, "%s", rep_stat_names[j]);
	for (j = 0; j < sch->nreasons; j++)
		tab_add(t, "%s", rl_discard_name(sch->reasons[j]));
	t->ncols = t->n;
}

/* One series as a JSON object (@first: no separator before it). */
static void rep_stats_json(const struct rl_ovh *h, FILE *f, const struct rep_keys *keys,
			   const struct rep_row *w, int equalize, int first)
{
	const struct rl_ovh_schema *sch = rl_ovh_schema(h);
	double x[10], scale[10];
	int integer[10], j, k;
	uint32_t c;

	fprintf(f, "%s{\"group\":", first ? "\n" : ",\n");
	rl_json_str(f, w->lab);
	fprintf(f, ",\"keys\":{");
	for (c = 0, j = 0; c < keys->n; c++) {
		const char *v = rl_ovh_group_value(h, w->si.group, keys->names[c]);

		if (v) {
			fprintf(f, "%s", j++ ? "," : "");
			rl_json_str(f, keys->names[c]);
			fputc(':', f);
			rl_json_str(f, v);
		}
	}
	fprintf(f, "},\"event\":\"%s\",\"event_id\":%u", w->ev, w->si.event);
	if (w->si.cpu >= 0)
		fprintf(f, ",\"cpu\":%d", w->si.cpu);
	fprintf(f, ",\"unit\":\"%s\",\"n\":%llu", w->unit, (unsigned long long)w->st.n);
	if (equalize) {
		fprintf(f, ",\"k\":%llu", (unsigned long long)w->st.k);
		rep_json_num(f, "exp_max_k", w->st.exp_max, w->sc, 0);
	}
	rep_stat_vals(w, x, scale, integer);
	for (k = 0; k < 10; k++)
		rep_json_num(f, rep_stat_names[k], x[k], scale[k], integer[k]);
	fprintf(f, ",\"discarded\":{");
	for (j = 0; j < (int)sch->nreasons; j++)
		fprintf(f, "%s\"%s\":%llu", j ? "," : "", rl_discard_name(sch->reasons[j]),
			(unsigned long long)w->si.discard.n[sch->reasons[j]]);
	fprintf(f, "}}");
}

/* One series as cells of the table or CSV. */
static void rep_stats_cells(const struct rl_ovh *h, struct rep_tab *t, const struct rep_keys *keys,
			    const struct rep_row *w, const struct rl_ovh_report *o, int per_cpu)
{
	const struct rl_ovh_schema *sch = rl_ovh_schema(h);
	double x[10], scale[10];
	int integer[10], k;
	unsigned j;
	uint32_t c;

	if (sch->by_event)
		tab_add(t, "%s", w->ev);
	if (!keys->n)
		tab_add(t, "%s", w->lab);
	for (c = 0; c < keys->n; c++) {
		const char *v = rl_ovh_group_value(h, w->si.group, keys->names[c]);

		tab_add(t, "%s", v ? v : (o->fmt == RL_OUT_CSV ? "" : "-"));
	}
	if (!sch->by_event)
		tab_add(t, "%s", w->ev);
	if (per_cpu)
		tab_add(t, "%d", w->si.cpu);
	tab_add(t, "%s", w->unit);
	tab_add(t, "%llu", (unsigned long long)w->st.n);
	if (o->equalize) {
		tab_add(t, "%llu", (unsigned long long)w->st.k);
		rep_num(t, w->st.exp_max, w->sc, 0, o->fmt == RL_OUT_CSV);
	}
	rep_stat_vals(w, x, scale, integer);
	for (k = 0; k < 10; k++)
		rep_num(t, x[k], scale[k], integer[k], o->fmt == RL_OUT_CSV);
	for (j = 0; j < sch->nreasons; j++)
		tab_add(t, "%llu", (unsigned long long)w->si.discard.n[sch->reasons[j]]);
}

/* Where the cycle rate came from, when it was not given (a field of the JSON object). */
static void rep_rate_json(FILE *f, const struct rl_ovh_report *o)
{
	if (!o->rate_from || !(o->cycles_per_usec > 0))
		return;
	fprintf(f, ",\"cycle_rate\":{\"cycles_per_usec\":%.17g,\"from\":", o->cycles_per_usec);
	rl_json_str(f, o->rate_from);
	fputc('}', f);
}

/**
 * rl_ovh_write_stats() - the statistics table (table, csv or json)
 * @h:   the accumulator
 * @f:   output
 * @o:   report options
 * @err: error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_write_stats(struct rl_ovh *h, FILE *f, const struct rl_ovh_report *o, struct rl_err *err)
{
	const struct rl_ovh_schema *sch = rl_ovh_schema(h);
	struct rep_tab t = {0};
	struct rep_keys keys;
	struct rep_row w;
	uint64_t kmin[256];
	int r, per_cpu = 0;
	uint32_t i, g;

	r = rep_keys_build(h, &keys);
	if (r < 0) {
		rep_keys_free(&keys);
		return rl_err_set(err, r, NULL, RL_OFF_NONE, "out of memory");
	}
	rep_min_counts(h, kmin);
	for (i = 0; i < rl_ovh_nseries(h); i++) {
		rl_ovh_series(h, i, &w.si);
		per_cpu |= w.si.cpu >= 0;
	}
	if (o->fmt == RL_OUT_JSON)
		fprintf(f, "{\"series\":[");
	rep_stats_header(&t, sch, &keys, per_cpu, o->equalize);
	for (i = 0; i < rl_ovh_nseries(h); i++) {
		rl_ovh_series(h, i, &w.si);
		r = rl_ovh_series_stat(h, i, o, kmin, &w.st, err);
		if (r < 0)
			goto out;
		w.sc = rep_scale(h, o, w.si.event, &w.unit);
		w.lab = rl_ovh_group_label(h, w.si.group);
		sch->event_name(w.si.event, w.ev, sizeof(w.ev));
		if (o->fmt == RL_OUT_JSON)
			rep_stats_json(h, f, &keys, &w, o->equalize, !i);
		else
			rep_stats_cells(h, &t, &keys, &w, o, per_cpu);
	}
	if (t.oom) {
		r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		goto out;
	}
	if (o->fmt == RL_OUT_JSON && !sch->irq_counts) {
		fprintf(f, "\n]");
		rep_rate_json(f, o);
		fprintf(f, "}\n");
	} else if (o->fmt == RL_OUT_JSON) {
		fprintf(f, "\n],\"groups\":[");
		for (g = 0; g < rl_ovh_ngroups(h); g++) {
			fprintf(f, "%s{\"group\":", g ? ",\n" : "\n");
			rl_json_str(f, rl_ovh_group_label(h, g));
			rep_irq_json(h, g, f);
			fprintf(f, "}");
		}
		fprintf(f, "\n]");
		rep_rate_json(f, o);
		fprintf(f, "}\n");
	} else {
		tab_print(&t, f, o->fmt);
		if (o->fmt == RL_OUT_TABLE && o->rate_from && o->cycles_per_usec > 0)
			fprintf(f, "\ncycles converted at %g GHz (%g cycles/us) from %s\n",
				o->cycles_per_usec / 1000.0, o->cycles_per_usec, o->rate_from);
		if (o->fmt == RL_OUT_TABLE) {
			r = rl_ovh_write_irq(h, f, o->fmt, 1, err);
			if (r < 0)
				goto out;
		}
	}
	r = ferror(f) ? rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "write error") : 0;
out:
	tab_free(&t);
	rep_keys_free(&keys);
	return r;
}

/**
 * rl_ovh_write_irq() - irq_count distribution of SEND_*_END records
 * @h:      the accumulator
 * @f:      output
 * @fmt:    RL_OUT_TABLE (compact lines) or RL_OUT_CSV (group,event,irq_flag,irq_count,records)
 * @banner: in table form, print a heading first
 * @err:    error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_write_irq(struct rl_ovh *h, FILE *f, int fmt, int banner, struct rl_err *err)
{
	uint32_t g;
	int x, fl, c, any = 0;

	if (fmt == RL_OUT_CSV)
		fprintf(f, "group,event,irq_flag,irq_count,records\n");
	for (g = 0; g < rl_ovh_ngroups(h); g++)
		for (x = 0; x < 2; x++) {
			const char *nm = x ? "SEND_XCALL_END" : "SEND_RESCHED_END";
			uint64_t tot = rep_irq_total(h, g, x);

			if (!tot)
				continue;
			if (fmt == RL_OUT_CSV) {
				for (fl = 0; fl < 2; fl++)
					for (c = 0; c < 32; c++)
						if (rl_ovh_irq_hist(h, g, x, fl, c))
							fprintf(f, "%s,%s,%d,%d,%llu\n",
								rl_ovh_group_label(h, g), nm, fl, c,
								(unsigned long long)rl_ovh_irq_hist(
									h, g, x, fl, c));
				continue;
			}
			if (banner && !any)
				fprintf(f,
					"\nirq_count of %s records (count:records; "
					"flag 1 with count 0 = a multiple of 32):\n",
					"SEND_*_END");
			any = 1;
			fprintf(f, "  %s %s (%llu):", rl_ovh_group_label(h, g), nm,
				(unsigned long long)tot);
			for (c = 0; c < 32; c++) {
				uint64_t k = rl_ovh_irq_hist(h, g, x, 0, c) +
					     (c ? rl_ovh_irq_hist(h, g, x, 1, c) : 0);

				if (k)
					fprintf(f, " %d:%llu", c, (unsigned long long)k);
			}
			if (rl_ovh_irq_hist(h, g, x, 1, 0))
				fprintf(f, " 32k:%llu",
					(unsigned long long)rl_ovh_irq_hist(h, g, x, 1, 0));
			fputc('\n', f);
		}
	return ferror(f) ? rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "write error") : 0;
}

/**
 * rl_ovh_write_samples_in() - the exact kept samples of one event, in the report's unit
 * @h:     the accumulator
 * @f:     output
 * @event: START or single id
 * @raw:   1: little-endian int64 values only (always the recorded cycles or ns);
 *         0: CSV group,cpu,value_UNIT
 * @o:     report options: cycles_per_usec > 0 shows cycle events in us, unit_us
 *         ns events in us (NULL: the recorded integers)
 * @err:   error out
 *
 * The value column names its unit: value_cycles, value_ns or value_us.
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_write_samples_in(struct rl_ovh *h, FILE *f, unsigned event, int raw,
			    const struct rl_ovh_report *o, struct rl_err *err)
{
	struct rl_ovh_series_info si;
	int ns = rl_ovh_schema(h)->event_is_ns(event);
	double div = 0; /* 0: the recorded integer */
	const char *unit = ns ? "ns" : "cycles";
	uint32_t i;
	uint64_t j, n;
	int64_t *v;
	int r, b;

	if (ns && o && o->unit_us)
		div = 1000.0;
	else if (!ns && o && o->cycles_per_usec > 0)
		div = o->cycles_per_usec;
	if (div > 0)
		unit = "us";
	if (!raw)
		fprintf(f, "group,cpu,value_%s\n", unit);
	for (i = 0; i < rl_ovh_nseries(h); i++) {
		rl_ovh_series(h, i, &si);
		if (si.event != event)
			continue;
		r = rl_ovh_samples(h, i, &v, &n, err);
		if (r < 0)
			return r;
		for (j = 0; j < n; j++) {
			char cpu[16] = "";

			if (raw) {
				uint8_t le[8];

				for (b = 0; b < 8; b++)
					le[b] = (uint8_t)((uint64_t)v[j] >> (8 * b));
				fwrite(le, 1, 8, f);
				continue;
			}
			if (si.cpu >= 0)
				snprintf(cpu, sizeof(cpu), "%d", si.cpu);
			if (div > 0)
				fprintf(f, "%s,%s,%.6f\n", rl_ovh_group_label(h, si.group), cpu,
					(double)v[j] / div);
			else
				fprintf(f, "%s,%s,%lld\n", rl_ovh_group_label(h, si.group), cpu,
					(long long)v[j]);
		}
		free(v);
	}
	return ferror(f) ? rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "write error") : 0;
}

/**
 * rl_ovh_write_samples() - the exact kept samples of one event, as recorded
 * @h:     the accumulator
 * @f:     output
 * @event: START or single id
 * @raw:   1: little-endian int64 values only; 0: CSV group,cpu,value_UNIT
 * @err:   error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_write_samples(struct rl_ovh *h, FILE *f, unsigned event, int raw, struct rl_err *err)
{
	return rl_ovh_write_samples_in(h, f, event, raw, NULL, err);
}

/**
 * rl_ovh_write_dist() - CDF or histogram CSV of every series
 * @h:     the accumulator
 * @f:     output
 * @width: 0 for the CDF (one row per distinct value), else the histogram bin
 *         width (bins k*width .. (k+1)*width, the last one closed)
 * @err:   error out
 *
 * Values are the exact integers (cycles, or ns for latency records).
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_write_dist(struct rl_ovh *h, FILE *f, uint64_t width, struct rl_err *err)
{
	struct rl_ovh_series_info si;
	uint32_t i;
	uint64_t j, n;
	int64_t *v;
	char ev[64];
	int r;

	fprintf(f, width ? "group,event,cpu,unit,bin_lo,bin_hi,count\n"
			 : "group,event,cpu,unit,value,count_le,fraction\n");
	for (i = 0; i < rl_ovh_nseries(h); i++) {
		const char *unit;
		char cpu[16] = "";

		rl_ovh_series(h, i, &si);
		r = rl_ovh_sorted(h, i, &v, &n, err);
		if (r < 0)
			return r;
		unit = rl_ovh_schema(h)->event_is_ns(si.event) ? "ns" : "cycles";
		rl_ovh_schema(h)->event_name(si.event, ev, sizeof(ev));
		if (si.cpu >= 0)
			snprintf(cpu, sizeof(cpu), "%d", si.cpu);
		if (!width) {
			for (j = 0; j < n; j++)
				if (j + 1 == n || v[j + 1] != v[j])
					fprintf(f, "%s,%s,%s,%s,%lld,%llu,%.9f\n",
						rl_ovh_group_label(h, si.group), ev, cpu, unit,
						(long long)v[j], (unsigned long long)(j + 1),
						(double)(j + 1) / (double)n);
		} else if (n) {
			uint64_t lo = 0, nb, b;

			if (v[0] < 0) {
				return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
						  "histogram of negative values");
			}
			nb = (uint64_t)v[n - 1] / width + 1;
			if (nb > 10000000) {
				return rl_err_set(
					err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					"--hist %llu gives %llu bins for %s; use wider bins",
					(unsigned long long)width, (unsigned long long)nb, ev);
			}
			j = 0;
			for (b = 0; b < nb; b++) {
				uint64_t cnt = 0;

				while (j < n && ((uint64_t)v[j] < lo + width || b + 1 == nb)) {
					cnt++;
					j++;
				}
				fprintf(f, "%s,%s,%s,%s,%llu,%llu,%llu\n",
					rl_ovh_group_label(h, si.group), ev, cpu, unit,
					(unsigned long long)lo, (unsigned long long)(lo + width),
					(unsigned long long)cnt);
				lo += width;
			}
		}
	}
	return ferror(f) ? rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "write error") : 0;
}

/* Feather-Trace event -> SchedCAT column (litmus.md 8.3) */
static const struct {
	unsigned id;
	const char *col;
} rep_sc_cols[] = {
	{104, "CXS"},	    {208, "RELEASE-LATENCY"}, {106, "RELEASE"},
	{100, "SCHEDULE"},  {190, "IPI-LATENCY"},     {110, "TICK"},
	{30, "LOCK"},	    {32, "READ-LOCK"},	      {42, "READ-UNLOCK"},
	{10, "SYSCALL-IN"}, {20, "SYSCALL-OUT"},      {40, "UNLOCK"},
};

#define REP_NSC (sizeof(rep_sc_cols) / sizeof(rep_sc_cols[0]))

/**
 * rl_ovh_write_schedcat() - SchedCAT overhead table for one set of groups
 * @h:      the accumulator
 * @f:      output
 * @o:      report options (cycles_per_usec required; equalize honoured)
 * @base:   the groups whose label without the n= key equals @base are the rows
 * @stat:   RL_SC_MAX, RL_SC_AVG, RL_SC_P99 or RL_SC_P999
 * @err:    error out
 *
 * Rows are ordered by TASK-COUNT: the n= key, else o->task_count (a group
 * without either is an error); values in microseconds. Per-cpu series of a
 * row are folded: the mean weighted by sample counts, else the largest.
 *
 * Return: 0 or a negative RL_E_* code.
 * (Over 100 lines: fold the series into rows, order them, then write, with one clean-up.)
 */
int rl_ovh_write_schedcat(struct rl_ovh *h, FILE *f, const struct rl_ovh_report *o,
			  const char *base, int stat, struct rl_err *err)
{
	uint32_t ng = rl_ovh_ngroups(h), g, i, ns = rl_ovh_nseries(h);
	int have[REP_NSC] = {0}, r = 0;
	double *val = NULL, *wsum = NULL;
	long *tc = NULL;
	uint32_t *rows = NULL, nrows = 0, c, a, b;
	uint64_t kmin[256];
	char lb[512];

	if (o->cycles_per_usec <= 0)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "--schedcat needs --cycles-per-usec (SchedCAT works in us)");
	rep_min_counts(h, kmin);
	rows = calloc(ng ? ng : 1, sizeof(*rows));
	tc = calloc(ng ? ng : 1, sizeof(*tc));
	val = calloc((size_t)(ng ? ng : 1) * REP_NSC, sizeof(*val));
	wsum = calloc((size_t)(ng ? ng : 1) * REP_NSC, sizeof(*wsum));
	if (!rows || !tc || !val || !wsum) {
		r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		goto out;
	}
	for (g = 0; g < ng; g++) {
		rl_ovh_label_without(rl_ovh_group_label(h, g), "n", lb, sizeof(lb));
		if (strcmp(lb, base))
			continue;
		const char *nv = rl_ovh_group_value(h, g, "n");

		if (!nv && o->task_count <= 0) {
			r = rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				       "group '%s' has no n= key (task count) for --schedcat; "
				       "give --task-count N",
				       rl_ovh_group_label(h, g));
			goto out;
		}
		tc[nrows] = nv ? strtol(nv, NULL, 10) : o->task_count;
		rows[nrows++] = g;
	}
	/* rows by task count (insertion sort: few rows) */
	for (a = 1; a < nrows; a++)
		for (b = a; b > 0 && tc[b - 1] > tc[b]; b--) {
			long t = tc[b];
			uint32_t u = rows[b];

			tc[b] = tc[b - 1];
			tc[b - 1] = t;
			rows[b] = rows[b - 1];
			rows[b - 1] = u;
		}
	for (i = 0; i < ns; i++) {
		struct rl_ovh_series_info si;
		struct rl_ovh_stat st;
		const char *unit;

		rl_ovh_series(h, i, &si);
		for (c = 0; c < REP_NSC && rep_sc_cols[c].id != si.event; c++)
			;
		for (a = 0; a < nrows && rows[a] != si.group; a++)
			;
		if (c == REP_NSC || a == nrows || !si.n)
			continue;
		r = rl_ovh_series_stat(h, i, o, kmin, &st, err);
		if (r < 0)
			goto out;
		have[c] = 1;
		{
			double sc = rep_scale(h, o, si.event, &unit),
			       x = stat == RL_SC_AVG	? st.mean
				   : stat == RL_SC_P99	? st.p99
				   : stat == RL_SC_P999 ? st.p999
							: (double)st.max;
			size_t at = (size_t)a * REP_NSC + c;
			double w = (double)(st.k ? st.k : st.n);

			/* per-cpu series: the weighted mean of means, the max of the others */
			if (stat == RL_SC_AVG) {
				val[at] = (val[at] * wsum[at] + x * sc * w) / (wsum[at] + w);
				wsum[at] += w;
			} else if (x * sc > val[at]) {
				val[at] = x * sc;
			}
		}
	}
	fprintf(f, "TASK-COUNT");
	for (c = 0; c < REP_NSC; c++)
		if (have[c])
			fprintf(f, ", %s", rep_sc_cols[c].col);
	fputc('\n', f);
	for (a = 0; a < nrows; a++) {
		fprintf(f, "%ld", tc[a]);
		for (c = 0; c < REP_NSC; c++)
			if (have[c])
				fprintf(f, ", %.5f", val[a * REP_NSC + c]);
		fputc('\n', f);
	}
	r = ferror(f) ? rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "write error") : 0;
out:
	free(rows);
	free(tc);
	free(val);
	free(wsum);
	return r;
}

/**
 * rl_ovh_label_without() - a file label with some keys removed
 * @label: "k1=v1_k2=v2_..."
 * @keys:  comma-separated keys to remove ("cpu,msg,seq"); a bare part ("overheads")
 *         is removed when it is listed
 * @out:   result
 * @len:   size of @out
 *
 * Return: @out.
 */
char *rl_ovh_label_without(const char *label, const char *keys, char *out, size_t len)
{
	const char *p = label;
	size_t o = 0;

	if (!len)
		return out;
	out[0] = 0;
	while (*p) {
		const char *e = strchr(p, '_'), *eq;
		size_t pl = e ? (size_t)(e - p) : strlen(p);
		int drop = 0;

		eq = memchr(p, '=', pl);
		{
			const char *k = keys;
			size_t kl = eq ? (size_t)(eq - p) : pl; /* a bare key matches too */

			while (*k) {
				const char *ke = strchr(k, ',');
				size_t l = ke ? (size_t)(ke - k) : strlen(k);

				if (l == kl && !strncmp(k, p, kl))
					drop = 1;
				if (!ke)
					break;
				k = ke + 1;
			}
		}
		if (!drop && o + pl + 2 < len) {
			if (o)
				out[o++] = '_';
			memcpy(out + o, p, pl);
			o += pl;
			out[o] = 0;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return out;
}

/* ------------------------------------------- counted series (histograms) */

/* A counted series' row: the statistics shown as the overhead report's (us). */
static void rep_cnt_row(const struct rl_cnt_series *s, struct rep_row *w)
{
	memset(w, 0, sizeof(*w));
	w->si.group = 0;
	w->si.cpu = s->cpu;
	w->si.n = s->n;
	rl_cnt_stat(s, &w->st);
	w->unit = "us";
	w->sc = 1.0 / 1000.0;
	w->lab = s->group;
	snprintf(w->ev, sizeof(w->ev), "cyclictest");
}

/**
 * rl_cnt_write_stats() - the statistics table of counted series
 * @set: the series
 * @f:   output
 * @o:   report options (the format)
 * @err: error out
 *
 * The columns of the latency report: event (cyclictest), file, thread, cpu
 * (empty when the file does not say), unit, samples, the ten statistics
 * (unknown ones empty in CSV, "-" in tables, null in JSON), then overflows.
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_cnt_write_stats(const struct rl_cnt_set *set, FILE *f, const struct rl_ovh_report *o,
		       struct rl_err *err)
{
	static const char *const hdr[] = {"event", "file", "thread", "cpu", "unit", "samples"};
	int csv = o->fmt == RL_OUT_CSV, k, r;
	double x[10], scale[10];
	int integer[10];
	struct rep_tab t = {0};
	struct rep_row w;
	uint32_t i;
	unsigned j;

	if (o->fmt == RL_OUT_JSON)
		fprintf(f, "{\"series\":[");
	for (j = 0; j < sizeof(hdr) / sizeof(hdr[0]); j++)
		tab_add(&t, "%s", hdr[j]);
	for (j = 0; j < 10; j++)
		tab_add(&t, "%s", rep_stat_names[j]);
	tab_add(&t, "overflows");
	t.ncols = t.n;
	for (i = 0; i < set->n; i++) {
		const struct rl_cnt_series *s = &set->s[i];

		rep_cnt_row(s, &w);
		rep_stat_vals(&w, x, scale, integer);
		if (o->fmt == RL_OUT_JSON) {
			fprintf(f, "%s{\"group\":", i ? ",\n" : "\n");
			rl_json_str(f, s->group);
			fprintf(f, ",\"keys\":{\"file\":");
			rl_json_str(f, s->file);
			fprintf(f, ",\"thread\":\"%u\"},\"event\":\"cyclictest\"", s->thread);
			if (s->cpu >= 0)
				fprintf(f, ",\"cpu\":%d", s->cpu);
			fprintf(f, ",\"unit\":\"us\",\"n\":%llu", (unsigned long long)s->n);
			for (k = 0; k < 10; k++)
				rep_json_num(f, rep_stat_names[k], x[k], scale[k], integer[k]);
			fprintf(f, ",\"overflows\":%llu", (unsigned long long)s->over);
			if (s->over)
				rep_json_num(f, "overflow_min", (double)s->over_lo, w.sc, 0);
			fprintf(f, "}");
			continue;
		}
		tab_add(&t, "cyclictest");
		tab_add(&t, "%s", s->file);
		tab_add(&t, "%u", s->thread);
		if (s->cpu >= 0)
			tab_add(&t, "%d", s->cpu);
		else
			tab_add(&t, "%s", csv ? "" : "-");
		tab_add(&t, "us");
		tab_add(&t, "%llu", (unsigned long long)s->n);
		for (k = 0; k < 10; k++)
			rep_num(&t, x[k], scale[k], integer[k], csv);
		tab_add(&t, "%llu", (unsigned long long)s->over);
	}
	r = 0;
	if (t.oom)
		r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	else if (o->fmt == RL_OUT_JSON)
		fprintf(f, "\n]}\n");
	else
		tab_print(&t, f, o->fmt);
	tab_free(&t);
	if (!r && ferror(f))
		r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "write error");
	return r;
}

/**
 * rl_cnt_write_dist() - CDF or histogram CSV of counted series
 * @set:   the series
 * @f:     output
 * @width: 0 for the CDF, else the histogram bin width in ns
 * @err:   error out
 *
 * The columns of rl_ovh_write_dist(), values in ns. CDF: one row per
 * in-range value, then, with overflows, one row at the max (count_le = n,
 * fraction 1): between the histogram's end and the max the CDF is unknown.
 * Histogram: the non-empty bins of @width (bin k holds [k*@width,
 * (k+1)*@width)), in order, so that a few far values cost a few rows, then,
 * with overflows, one row from the overflows' lower bound to the max (closed)
 * holding them.
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_cnt_write_dist(const struct rl_cnt_set *set, FILE *f, uint64_t width, struct rl_err *err)
{
	uint32_t i, j;

	fprintf(f, width ? "group,event,cpu,unit,bin_lo,bin_hi,count\n"
			 : "group,event,cpu,unit,value,count_le,fraction\n");
	for (i = 0; i < set->n; i++) {
		const struct rl_cnt_series *s = &set->s[i];
		char cpu[16] = "";
		uint64_t cum = 0;

		if (s->cpu >= 0)
			snprintf(cpu, sizeof(cpu), "%d", s->cpu);
		if (!width) {
			for (j = 0; j < s->nval; j++) {
				cum += s->cnt[j];
				fprintf(f, "%s,cyclictest,%s,ns,%lld,%llu,%.9f\n", s->group, cpu,
					(long long)s->val[j], (unsigned long long)cum,
					(double)cum / (double)s->n);
			}
			if (s->over)
				fprintf(f, "%s,cyclictest,%s,ns,%lld,%llu,%.9f\n", s->group, cpu,
					(long long)s->max, (unsigned long long)s->n, 1.0);
			continue;
		}
		if (s->nval && s->val[0] < 0)
			return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					  "histogram of negative values");
		/* non-empty bins only: rows grow with the distinct values, not their range */
		for (j = 0; j < s->nval;) {
			uint64_t b = (uint64_t)s->val[j] / width, c = 0;

			while (j < s->nval && (uint64_t)s->val[j] / width == b)
				c += s->cnt[j++];
			if (c)
				fprintf(f, "%s,cyclictest,%s,ns,%llu,%llu,%llu\n", s->group, cpu,
					(unsigned long long)(b * width),
					(unsigned long long)(b * width + width),
					(unsigned long long)c);
		}
		if (s->over)
			fprintf(f, "%s,cyclictest,%s,ns,%lld,%lld,%llu\n", s->group, cpu,
				(long long)s->over_lo, (long long)s->max,
				(unsigned long long)s->over);
	}
	return ferror(f) ? rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "write error") : 0;
}
