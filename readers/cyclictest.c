/*
 * readers/cyclictest.c - cyclictest's text histogram and --json output.
 *
 * Both parsers read a byte buffer, keep every number exactly (unsigned 64-bit,
 * overflow-checked) and report the first problem as a struct rl_err located at
 * the start of the offending line (text) or the offending token (JSON). The
 * JSON tokenizer is small and strict: RFC 8259 values, nesting limited to
 * CYC_JSON_DEPTH, plus the bare nan/-nan that cyclictest's "%.2f" writes for
 * the average of a thread with no cycles.
 */
#include "cyclictest.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CYC_JSON_DEPTH 32 /* cyclictest writes 4 levels */
#define CYC_NUM_MAX 64	  /* longest number converted as a double */
#define CYC_PROBE_WINDOW 65536

/* ---------------------------------------------------------------- common */

static int cyc_add_u64(uint64_t *acc, uint64_t v)
{
	if (*acc > UINT64_MAX - v)
		return -1;
	*acc += v;
	return 0;
}

/* Parse [p, p + n) as an unsigned decimal: 0, -1 if not all digits, -2 if above UINT64_MAX. */
static int cyc_parse_u64(const uint8_t *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d = (unsigned)p[i] - '0';

		if (d > 9)
			return -1;
		if (v > (UINT64_MAX - d) / 10)
			return -2;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* Make threads[0..n) exist; new ones get their index and an unknown CPU. */
static int cyc_threads_need(struct rl_cyclictest *c, uint32_t n)
{
	uint32_t i;

	if (rl_grow_zero((void **)&c->threads, &c->cap_threads, n, sizeof(*c->threads)))
		return -RL_E_NOMEM;
	for (i = c->nthreads; i < n; i++) {
		c->threads[i].index = i;
		c->threads[i].cpu = -1;
		c->threads[i].node = -1;
	}
	if (n > c->nthreads)
		c->nthreads = n;
	return 0;
}

static int cyc_bucket_add(struct rl_cyc_thread *t, uint64_t value, uint64_t count)
{
	if (rl_grow((void **)&t->buckets, &t->cap_buckets, t->nbuckets + 1, sizeof(*t->buckets)))
		return -RL_E_NOMEM;
	t->buckets[t->nbuckets].value = value;
	t->buckets[t->nbuckets].count = count;
	t->nbuckets++;
	return 0;
}

static void cyc_thread_release(struct rl_cyc_thread *t)
{
	free(t->buckets);
	free(t->ovf_cycles);
	memset(t, 0, sizeof(*t));
}

static int cyc_meta_add(struct rl_cyclictest *c, const char *key, size_t klen, const char *val,
			size_t vlen)
{
	struct rl_cyc_meta *m;

	if (rl_grow((void **)&c->meta, &c->cap_meta, c->nmeta + 1, sizeof(*c->meta)))
		return -RL_E_NOMEM;
	m = &c->meta[c->nmeta];
	/* no NUL inside: the tokenizer refuses control characters and \u0000 */
	m->key = strndup(key, klen);
	m->value = strndup(val, vlen);
	if (!m->key || !m->value) {
		free(m->key);
		free(m->value);
		return -RL_E_NOMEM;
	}
	c->nmeta++;
	return 0;
}

/**
 * rl_cyclictest_init() - make an empty result
 * @c: the struct to fill
 */
void rl_cyclictest_init(struct rl_cyclictest *c)
{
	memset(c, 0, sizeof(*c));
}

/**
 * rl_cyclictest_release() - free what rl_cyclictest_parse() allocated
 * @c: a result (may be NULL); it is empty again afterwards
 */
void rl_cyclictest_release(struct rl_cyclictest *c)
{
	uint32_t i;

	if (!c)
		return;
	for (i = 0; i < c->cap_threads; i++)
		cyc_thread_release(&c->threads[i]);
	for (i = 0; i < c->nmeta; i++) {
		free(c->meta[i].key);
		free(c->meta[i].value);
	}
	free(c->threads);
	free(c->meta);
	rl_cyclictest_init(c);
}

/**
 * rl_cyclictest_meta() - look up a JSON header entry
 * @c:   a parsed result
 * @key: dotted key without rt-tests' trailing colon ("cmdline", "sysinfo.release")
 *
 * Return: the value's text (borrowed from @c), or NULL if absent.
 */
const char *rl_cyclictest_meta(const struct rl_cyclictest *c, const char *key)
{
	uint32_t i;

	for (i = 0; i < c->nmeta; i++)
		if (!strcmp(c->meta[i].key, key))
			return c->meta[i].value;
	return NULL;
}

/* ------------------------------------------------------------------ text */

/* Footer lines of the text form, in the order cyclictest writes them. */
#define CYC_L_TOTAL "# Total:"
#define CYC_L_MIN "# Min Latencies:"
#define CYC_L_AVG "# Avg Latencies:"
#define CYC_L_MAX "# Max Latencies:"
#define CYC_L_OVF "# Histogram Overflows:"
#define CYC_L_OVFAT "# Histogram Overflow at cycle number:"
#define CYC_L_SMI "# SMIs:"

struct cyc_text {
	struct rl_cyclictest *c;
	const uint8_t *b;
	const char *path;
	struct rl_err *err;
	uint64_t *vals;	  /* the numbers of the current footer line */
	uint64_t *totals; /* the "# Total" line's numbers */
	size_t len, pos;  /* pos: start of the next line */
	size_t ls, le;	  /* current line: [ls, le) */
	size_t total_off, sum_bad_off, ovf_off;
	uint32_t nvals, cap_vals, ntotals, cap_totals;
	uint32_t ncol; /* count columns of the bucket lines */
	int has_total, sum_bad;
};

static int tx_next(struct cyc_text *tx)
{
	const uint8_t *nl;

	if (tx->pos >= tx->len)
		return 0;
	tx->ls = tx->pos;
	nl = memchr(tx->b + tx->pos, '\n', tx->len - tx->pos);
	tx->le = nl ? (size_t)(nl - tx->b) : tx->len;
	tx->pos = nl ? tx->le + 1 : tx->len;
	return 1;
}

/* Return: the offset just past @prefix if the current line starts with it, else 0. */
static size_t tx_starts(const struct cyc_text *tx, const char *prefix)
{
	size_t n = strlen(prefix);

	if (tx->le - tx->ls < n || memcmp(tx->b + tx->ls, prefix, n))
		return 0;
	return tx->ls + n;
}

static int tx_fail(struct cyc_text *tx, int code, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int tx_fail(struct cyc_text *tx, int code, uint64_t off, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return rl_err_set(tx->err, code, tx->path, off, "%s", msg);
}

/* Missing line: at the end of the file it is a truncation, else a corrupt line. */
static int tx_expected(struct cyc_text *tx, int have_line, const char *what)
{
	if (!have_line)
		return tx_fail(tx, -RL_E_TRUNCATED, tx->len,
			       "cyclictest histogram ends before '%s'", what);
	return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "expected '%s' line", what);
}

static int tx_is_space(uint8_t ch)
{
	return ch == ' ' || ch == '\t';
}

/* Split [from, le) on blanks into tx->vals; every field must be an unsigned decimal. */
static int tx_values(struct cyc_text *tx, size_t from)
{
	size_t p = from, q;
	uint64_t v;
	int r;

	tx->nvals = 0;
	while (p < tx->le) {
		if (tx_is_space(tx->b[p])) {
			p++;
			continue;
		}
		for (q = p; q < tx->le && !tx_is_space(tx->b[q]); q++)
			;
		r = cyc_parse_u64(tx->b + p, q - p, &v);
		if (r == -2)
			return tx_fail(tx, -RL_E_CORRUPT, tx->ls,
				       "number at column %zu does not fit in 64 bits",
				       p - tx->ls + 1);
		if (r)
			return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "bad number at column %zu",
				       p - tx->ls + 1);
		if (rl_grow((void **)&tx->vals, &tx->cap_vals, tx->nvals + 1, sizeof(*tx->vals)))
			return -RL_E_NOMEM;
		tx->vals[tx->nvals++] = v;
		p = q;
	}
	return 0;
}

/* The all-threads column of -H: remember the first line where it is not the sum. */
static void tx_check_sum(struct cyc_text *tx)
{
	uint64_t s = 0;
	uint32_t i;

	if (tx->sum_bad || tx->nvals < 3)
		return;
	for (i = 1; i + 1 < tx->nvals; i++)
		if (cyc_add_u64(&s, tx->vals[i]))
			break;
	if (i + 1 < tx->nvals || s != tx->vals[tx->nvals - 1]) {
		tx->sum_bad = 1;
		tx->sum_bad_off = tx->ls;
	}
}

/* One "%06d count count ..." line. */
static int tx_bucket_line(struct cyc_text *tx, uint64_t *prev, int first)
{
	struct rl_cyclictest *c = tx->c;
	uint32_t i;
	int r;

	r = tx_values(tx, tx->ls);
	if (r)
		return r;
	if (tx->nvals < 2)
		return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "bucket line without counts");
	if (first) {
		tx->ncol = tx->nvals - 1;
		r = cyc_threads_need(c, tx->ncol);
		if (r)
			return r;
	} else if (tx->nvals - 1 != tx->ncol) {
		return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "bucket line has %u counts, not %u",
			       tx->nvals - 1, tx->ncol);
	} else if (tx->vals[0] <= *prev) {
		return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "bucket %llu after bucket %llu",
			       (unsigned long long)tx->vals[0], (unsigned long long)*prev);
	}
	if (tx->vals[0] == UINT64_MAX)
		return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "bucket value out of range");
	*prev = tx->vals[0];
	c->range = tx->vals[0] + 1;
	tx_check_sum(tx);
	for (i = 0; i < tx->ncol; i++) {
		struct rl_cyc_thread *t = &c->threads[i];
		uint64_t n = tx->vals[i + 1];

		if (!n)
			continue;
		if (cyc_add_u64(&t->total, n))
			return tx_fail(tx, -RL_E_CORRUPT, tx->ls,
				       "counts of column %u exceed 64 bits", i + 1);
		r = cyc_bucket_add(t, tx->vals[0], n);
		if (r)
			return r;
	}
	return 0;
}

/* Skip to "# Histogram" (stdout captures have status lines before it), then read the buckets. */
static int tx_buckets(struct cyc_text *tx)
{
	uint64_t prev = 0;
	int have, first = 1, r;

	while ((have = tx_next(tx)))
		if (tx->le - tx->ls == 11 && !memcmp(tx->b + tx->ls, "# Histogram", 11))
			break;
	if (!have)
		return tx_fail(tx, -RL_E_CORRUPT, 0, "no '# Histogram' line");
	while ((have = tx_next(tx)) && tx->le > tx->ls && tx->b[tx->ls] != '#') {
		r = tx_bucket_line(tx, &prev, first);
		if (r)
			return r;
		first = 0;
	}
	if (!have)
		return tx_expected(tx, 0, CYC_L_MIN);
	return 0;
}

/* Read a footer line of @n values, or @n + 1 with the -H column when @extra. */
static int tx_footer(struct cyc_text *tx, const char *prefix, uint32_t n, int extra, int have)
{
	size_t from = have ? tx_starts(tx, prefix) : 0;
	int r;

	if (!from)
		return tx_expected(tx, have, prefix);
	r = tx_values(tx, from);
	if (r)
		return r;
	if (tx->nvals != n && !(extra && tx->nvals == n + 1))
		return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "'%s' has %u values for %u threads",
			       prefix, tx->nvals, n);
	return 0;
}

/* "# Thread N: c c c ... [# NNNNN others]" */
static int tx_ovf_line(struct cyc_text *tx, struct rl_cyc_thread *t, int have)
{
	char prefix[40];
	size_t from, p, q;
	uint64_t listed;
	uint32_t i;
	int r, others = -1;

	snprintf(prefix, sizeof(prefix), "# Thread %u:", t->index);
	from = have ? tx_starts(tx, prefix) : 0;
	if (!from)
		return tx_expected(tx, have, prefix);
	for (p = from; p < tx->le; p++)
		if (tx->b[p] == '#')
			break;
	if (p < tx->le) {
		/* the tail: " # NNNNN others" and nothing after it */
		for (q = p + 1; q < tx->le && tx_is_space(tx->b[q]); q++)
			;
		if (tx->le - q < 7 || memcmp(tx->b + tx->le - 7, " others", 7))
			return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "bad overflow list tail");
		if (cyc_parse_u64(tx->b + q, tx->le - 7 - q, &t->ovf_others))
			return tx_fail(tx, -RL_E_CORRUPT, tx->ls,
				       "bad overflow count in list tail");
		others = 1;
	}
	/* tx_values() stops at le, so parse the cycle numbers before the tail */
	q = tx->le;
	tx->le = p;
	r = tx_values(tx, from);
	tx->le = q;
	if (r)
		return r;
	if (tx->nvals) {
		t->ovf_cycles = malloc((size_t)tx->nvals * sizeof(*t->ovf_cycles));
		if (!t->ovf_cycles)
			return -RL_E_NOMEM;
		for (i = 0; i < tx->nvals; i++)
			t->ovf_cycles[i] = tx->vals[i];
		t->novf = t->cap_ovf = tx->nvals;
	}
	listed = t->novf;
	if (cyc_add_u64(&listed, others > 0 ? t->ovf_others : 0) || listed != t->overflows)
		return tx_fail(tx, -RL_E_CORRUPT, tx->ls,
			       "%llu overflow cycles listed for %llu overflows",
			       (unsigned long long)listed, (unsigned long long)t->overflows);
	t->flags |= RL_CYC_F_OVFLIST;
	return 0;
}

/* With -H: the extra column and the extra footer values must match the threads. */
static int tx_drop_all_column(struct cyc_text *tx, uint32_t n)
{
	struct rl_cyclictest *c = tx->c;
	uint64_t s = 0;
	uint32_t i;

	if (tx->sum_bad)
		return tx_fail(tx, -RL_E_CORRUPT, tx->sum_bad_off,
			       "all-threads column is not the sum of the threads");
	for (i = 0; i < n; i++)
		if (cyc_add_u64(&s, c->threads[i].total))
			break;
	if (i < n || s != c->threads[n].total)
		return tx_fail(tx, -RL_E_CORRUPT, tx->has_total ? tx->total_off : tx->ls,
			       "all-threads column is not the sum of the threads");
	cyc_thread_release(&c->threads[n]);
	c->nthreads = n;
	c->histofall = 1;
	return 0;
}

/* Min, Avg, Max and Overflows lines into the threads. */
static int tx_stats(struct cyc_text *tx, uint32_t n)
{
	struct rl_cyclictest *c = tx->c;
	uint64_t all = 0, maxmax = 0;
	uint32_t i;
	int r, wrap = 0;

	r = tx_footer(tx, CYC_L_AVG, n, 0, tx_next(tx));
	for (i = 0; !r && i < n; i++)
		c->threads[i].avg = (double)tx->vals[i];
	r = r ? r : tx_footer(tx, CYC_L_MAX, n, c->histofall, tx_next(tx));
	for (i = 0; !r && i < n; i++) {
		c->threads[i].max = tx->vals[i];
		maxmax = tx->vals[i] > maxmax ? tx->vals[i] : maxmax;
	}
	if (!r && tx->nvals > n && tx->vals[n] != maxmax)
		return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "all-threads maximum is not the largest");
	r = r ? r : tx_footer(tx, CYC_L_OVF, n, c->histofall, tx_next(tx));
	for (i = 0; !r && i < n; i++) {
		c->threads[i].overflows = tx->vals[i];
		wrap |= cyc_add_u64(&all, tx->vals[i]);
	}
	tx->ovf_off = tx->ls;
	if (!r && tx->nvals > n && (wrap || tx->vals[n] != all))
		return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "all-threads overflows are not the sum");
	return r;
}

/* Totals against the bucket sums, and cycles = in range + overflows. */
static int tx_totals(struct cyc_text *tx, uint32_t n)
{
	struct rl_cyc_thread *t;
	uint32_t i;

	if (tx->has_total && tx->ntotals != n && !(tx->c->histofall && tx->ntotals == n + 1))
		return tx_fail(tx, -RL_E_CORRUPT, tx->total_off,
			       "'%s' has %u values for %u threads", CYC_L_TOTAL, tx->ntotals, n);
	for (i = 0; i < n; i++) {
		t = &tx->c->threads[i];
		if (tx->has_total && tx->totals[i] != t->total)
			return tx_fail(tx, -RL_E_CORRUPT, tx->total_off,
				       "thread %u total %llu but its buckets hold %llu", i,
				       (unsigned long long)tx->totals[i],
				       (unsigned long long)t->total);
		t->cycles = t->total;
		if (cyc_add_u64(&t->cycles, t->overflows))
			return tx_fail(tx, -RL_E_CORRUPT, tx->ovf_off,
				       "thread %u cycles exceed 64 bits", i);
		t->flags |= RL_CYC_F_HIST;
	}
	if (tx->has_total && tx->ntotals > n) {
		uint64_t s = 0;
		int wrap = 0;

		for (i = 0; i < n; i++)
			wrap |= cyc_add_u64(&s, tx->totals[i]);
		if (wrap || s != tx->totals[n])
			return tx_fail(tx, -RL_E_CORRUPT, tx->total_off,
				       "all-threads total is not the sum");
	}
	return 0;
}

/* "# Total:" (optional) and "# Min Latencies:": the latter fixes the thread count. */
static int tx_min(struct cyc_text *tx, uint32_t *nthr)
{
	struct rl_cyclictest *c = tx->c;
	uint32_t n, i;
	int r;

	if (tx_starts(tx, CYC_L_TOTAL)) {
		r = tx_values(tx, tx_starts(tx, CYC_L_TOTAL));
		if (r)
			return r;
		tx->has_total = 1;
		tx->total_off = tx->ls;
		/* keep them: tx->vals is reused by the next lines */
		if (rl_grow((void **)&tx->totals, &tx->cap_totals, tx->nvals, sizeof(*tx->totals)))
			return -RL_E_NOMEM;
		if (tx->nvals)
			memcpy(tx->totals, tx->vals, (size_t)tx->nvals * sizeof(*tx->vals));
		tx->ntotals = tx->nvals;
		if (!tx_next(tx))
			return tx_expected(tx, 0, CYC_L_MIN);
	}
	if (!tx_starts(tx, CYC_L_MIN))
		return tx_expected(tx, 1, CYC_L_MIN);
	r = tx_values(tx, tx_starts(tx, CYC_L_MIN));
	if (r)
		return r;
	n = tx->nvals;
	if (!n)
		return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "'%s' lists no thread", CYC_L_MIN);
	if (tx->ncol && tx->ncol != n && tx->ncol != n + 1)
		return tx_fail(tx, -RL_E_CORRUPT, tx->ls, "%u threads but %u histogram columns", n,
			       tx->ncol);
	r = cyc_threads_need(c, n);
	if (r)
		return r;
	for (i = 0; i < n; i++)
		c->threads[i].min = tx->vals[i];
	if (tx->ncol == n + 1) {
		r = tx_drop_all_column(tx, n);
		if (r)
			return r;
	}
	*nthr = n;
	return 0;
}

/* Everything after the buckets; the current line is the first footer line. */
static int tx_tail(struct cyc_text *tx)
{
	struct rl_cyclictest *c = tx->c;
	uint32_t n = 0, i;
	int r, have;

	r = tx_min(tx, &n);
	r = r ? r : tx_stats(tx, n);
	r = r ? r : tx_totals(tx, n);
	if (r)
		return r;
	have = tx_next(tx);
	if (!have || tx->le - tx->ls != strlen(CYC_L_OVFAT) || !tx_starts(tx, CYC_L_OVFAT))
		return tx_expected(tx, have, CYC_L_OVFAT);
	for (i = 0; i < n; i++) {
		r = tx_ovf_line(tx, &c->threads[i], tx_next(tx));
		if (r)
			return r;
	}
	have = tx_next(tx);
	if (have && tx_starts(tx, CYC_L_SMI)) {
		r = tx_footer(tx, CYC_L_SMI, n, 0, 1);
		for (i = 0; !r && i < n; i++) {
			c->threads[i].smis = tx->vals[i];
			c->threads[i].flags |= RL_CYC_F_SMI;
		}
		if (r)
			return r;
		have = tx_next(tx);
	}
	for (; have; have = tx_next(tx))
		if (tx->le != tx->ls)
			return tx_fail(tx, -RL_E_CORRUPT, tx->ls,
				       "unexpected line after histogram");
	return 0;
}

/*
 * The text form's unit. cyclictest --nsecs writes the same lines ("%06d"
 * buckets, "%05lu" Min/Avg/Max) with ns values, so only the values tell:
 * ns when every thread that ran has Min >= RL_CYC_NS_MIN.
 */
static void cyc_text_unit(struct rl_cyclictest *c)
{
	uint32_t i, ran = 0, small = 0, slow = 0;

	for (i = 0; i < c->nthreads; i++) {
		const struct rl_cyc_thread *t = &c->threads[i];

		if (!t->cycles)
			continue;
		ran++;
		small += t->min < RL_CYC_NS_MIN;
		slow += t->avg >= (double)RL_CYC_NS_MIN;
	}
	c->unit = ran && !small ? RL_CYC_UNIT_NS : RL_CYC_UNIT_US;
	c->unit_from = !ran	? RL_CYC_FROM_NONE
		       : !small ? RL_CYC_FROM_MIN
		       : slow	? RL_CYC_FROM_DOUBT
				: RL_CYC_FROM_SMALL;
}

static int cyc_parse_text(struct rl_cyclictest *c, const uint8_t *buf, size_t len, const char *path,
			  struct rl_err *err)
{
	struct cyc_text tx = {.c = c, .b = buf, .len = len, .path = path, .err = err};
	int r;

	c->form = RL_CYC_TEXT;
	r = tx_buckets(&tx);
	r = r ? r : tx_tail(&tx);
	if (!r)
		cyc_text_unit(c);
	free(tx.vals);
	free(tx.totals);
	return r;
}

/* ------------------------------------------------------------------ JSON */

struct cyc_json {
	struct rl_cyclictest *c;
	const uint8_t *b;
	const char *path;
	struct rl_err *err;
	char *str; /* the last string read, unescaped and NUL-terminated */
	char *key; /* dotted key of the header value being read */
	size_t len, pos;
	size_t key_off; /* where the last member's key starts */
	size_t nthreads_off;
	uint64_t nthreads_val;
	uint32_t nstr, cap_str, nkey, cap_key;
	int has_nthreads, has_thread;
};

static int js_fail(struct cyc_json *j, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int js_fail(struct cyc_json *j, size_t off, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (off >= j->len)
		return rl_err_set(j->err, -RL_E_TRUNCATED, j->path, j->len, "%s", msg);
	return rl_err_set(j->err, -RL_E_CORRUPT, j->path, off, "%s", msg);
}

static void js_ws(struct cyc_json *j)
{
	while (j->pos < j->len && (j->b[j->pos] == ' ' || j->b[j->pos] == '\t' ||
				   j->b[j->pos] == '\n' || j->b[j->pos] == '\r'))
		j->pos++;
}

/* Skip blanks; return the next byte, or -1 at the end. */
static int js_peek(struct cyc_json *j)
{
	js_ws(j);
	return j->pos < j->len ? j->b[j->pos] : -1;
}

static int js_expect(struct cyc_json *j, int ch)
{
	if (js_peek(j) != ch)
		return js_fail(j, j->pos,
			       j->pos < j->len ? "expected '%c'" : "JSON ends before '%c'", ch);
	j->pos++;
	return 0;
}

static int js_put(struct cyc_json *j, uint32_t cp)
{
	uint8_t u[4];
	uint32_t n, i;

	if (cp < 0x80) {
		u[0] = (uint8_t)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (uint8_t)(0xc0 | cp >> 6), u[1] = (uint8_t)(0x80 | (cp & 0x3f)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (uint8_t)(0xe0 | cp >> 12), u[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (uint8_t)(0x80 | (cp & 0x3f)), n = 3;
	} else {
		u[0] = (uint8_t)(0xf0 | cp >> 18), u[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f)), u[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (j->nstr > UINT32_MAX - 5 || rl_grow((void **)&j->str, &j->cap_str, j->nstr + n + 1, 1))
		return -RL_E_NOMEM;
	for (i = 0; i < n; i++)
		j->str[j->nstr++] = (char)u[i];
	j->str[j->nstr] = 0;
	return 0;
}

/* Four hex digits at j->pos. */
static int js_hex4(struct cyc_json *j, uint32_t *cp)
{
	uint32_t v = 0, i;

	if (j->len - j->pos < 4)
		return js_fail(j, j->len, "JSON ends inside a \\u escape");
	for (i = 0; i < 4; i++) {
		uint8_t ch = j->b[j->pos + i];

		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= ch - '0';
		else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
			v |= (ch | 0x20) - 'a' + 10;
		else
			return js_fail(j, j->pos + i, "bad hex digit in \\u escape");
	}
	j->pos += 4;
	*cp = v;
	return 0;
}

/* \uXXXX, with a surrogate pair when needed; j->pos is just past the 'u'. */
static int js_unicode(struct cyc_json *j, size_t esc)
{
	uint32_t cp, lo;
	int r = js_hex4(j, &cp);

	if (r)
		return r;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return js_fail(j, esc, "lone low surrogate in string");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (j->len - j->pos < 2 || j->b[j->pos] != '\\' || j->b[j->pos + 1] != 'u')
			return js_fail(j, esc, "high surrogate without low surrogate");
		j->pos += 2;
		r = js_hex4(j, &lo);
		if (r)
			return r;
		if (lo < 0xdc00 || lo > 0xdfff)
			return js_fail(j, esc, "high surrogate without low surrogate");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (!cp)
		return js_fail(j, esc, "NUL character in string");
	return js_put(j, cp);
}

/* A string at j->pos (after blanks) into j->str. */
static int js_string(struct cyc_json *j)
{
	static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
	const char *e;
	size_t start;
	int r;

	if (js_peek(j) != '"')
		return js_fail(j, j->pos, "expected a string");
	start = j->pos++;
	j->nstr = 0;
	if (js_put(j, 'x')) /* so that j->str exists even for "" */
		return -RL_E_NOMEM;
	j->nstr = 0;
	j->str[0] = 0;
	while (j->pos < j->len) {
		uint8_t ch = j->b[j->pos];

		if (ch == '"') {
			j->pos++;
			return 0;
		}
		if (ch < 0x20)
			return js_fail(j, j->pos, "control character in string");
		if (ch != '\\') {
			r = js_put(j, ch); /* bytes >= 0x80 are copied as they are */
			j->pos++;
		} else if (j->pos + 1 >= j->len) {
			break;
		} else if (j->b[j->pos + 1] == 'u') {
			j->pos += 2;
			r = js_unicode(j, j->pos - 2);
		} else if (j->b[j->pos + 1] && (e = strchr(esc_in, j->b[j->pos + 1]))) {
			r = js_put(j, (uint8_t)esc_out[e - esc_in]);
			j->pos += 2;
		} else {
			return js_fail(j, j->pos, "bad escape in string");
		}
		if (r)
			return r;
	}
	return js_fail(j, j->len, "JSON ends inside the string at offset %zu", start);
}

static int js_digits(struct cyc_json *j)
{
	size_t s = j->pos;

	while (j->pos < j->len && j->b[j->pos] >= '0' && j->b[j->pos] <= '9')
		j->pos++;
	return j->pos > s;
}

/*
 * A number at j->pos (after blanks): RFC 8259 grammar, or nan/-nan as glibc's
 * printf writes them. Return: 0 with [*start, j->pos) the token, or an error.
 */
static int js_number(struct cyc_json *j, size_t *start)
{
	size_t s;

	js_ws(j);
	s = *start = j->pos;
	if (j->pos < j->len && j->b[j->pos] == '-')
		j->pos++;
	if (j->len - j->pos >= 3 && !memcmp(j->b + j->pos, "nan", 3)) {
		j->pos += 3;
		return 0;
	}
	if (j->pos < j->len && j->b[j->pos] == '0')
		j->pos++;
	else if (!js_digits(j))
		return js_fail(j, s, "expected a number");
	if (j->pos < j->len && j->b[j->pos] == '.') {
		j->pos++;
		if (!js_digits(j))
			return js_fail(j, s, "bad number");
	}
	if (j->pos < j->len && (j->b[j->pos] | 0x20) == 'e') {
		j->pos++;
		if (j->pos < j->len && (j->b[j->pos] == '+' || j->b[j->pos] == '-'))
			j->pos++;
		if (!js_digits(j))
			return js_fail(j, s, "bad number");
	}
	return 0;
}

static int js_u64(struct cyc_json *j, uint64_t *v)
{
	size_t s;
	int r = js_number(j, &s);

	if (r)
		return r;
	r = cyc_parse_u64(j->b + s, j->pos - s, v);
	if (r == -2)
		return js_fail(j, s, "number does not fit in 64 bits");
	if (r)
		return js_fail(j, s, "expected an unsigned integer");
	return 0;
}

static int js_i32(struct cyc_json *j, int32_t *v)
{
	size_t s;
	uint64_t u;
	int neg, r = js_number(j, &s);

	if (r)
		return r;
	neg = j->b[s] == '-';
	r = cyc_parse_u64(j->b + s + neg, j->pos - s - neg, &u);
	if (r || u > (neg ? 2147483648u : 2147483647u))
		return js_fail(j, s, "expected a 32-bit integer");
	*v = neg ? (int32_t)(-(int64_t)u) : (int32_t)u;
	return 0;
}

static int js_double(struct cyc_json *j, double *v)
{
	char tmp[CYC_NUM_MAX + 1];
	size_t s, n;
	int r = js_number(j, &s);

	if (r)
		return r;
	n = j->pos - s;
	if (n > CYC_NUM_MAX)
		return js_fail(j, s, "number longer than %d characters", CYC_NUM_MAX);
	memcpy(tmp, j->b + s, n);
	tmp[n] = 0;
	*v = strstr(tmp, "nan") ? NAN : strtod(tmp, NULL);
	return 0;
}

/* The next member of an object whose '{' was read: 1 with the key in j->str, 0 at '}'. */
static int js_member(struct cyc_json *j, int *first)
{
	int ch = js_peek(j), r;

	if (ch == '}' && *first) {
		j->pos++;
		return 0;
	}
	if (!*first) {
		if (ch == '}') {
			j->pos++;
			return 0;
		}
		if (ch != ',')
			return js_fail(j, j->pos,
				       ch < 0 ? "JSON ends inside an object"
					      : "expected ',' or '}'");
		j->pos++;
	}
	*first = 0;
	j->key_off = j->pos;
	r = js_string(j);
	r = r ? r : js_expect(j, ':');
	return r ? r : 1;
}

/* Skip any value, nested at most CYC_JSON_DEPTH deep. */
static int js_skip(struct cyc_json *j, unsigned depth)
{
	int ch = js_peek(j), first = 1, r;
	size_t s;

	if (ch == '{' || ch == '[') {
		if (depth >= CYC_JSON_DEPTH)
			return js_fail(j, j->pos, "JSON nested deeper than %d", CYC_JSON_DEPTH);
		j->pos++;
		if (ch == '{') {
			while ((r = js_member(j, &first)) > 0)
				if ((r = js_skip(j, depth + 1)))
					return r;
			return r;
		}
		if (js_peek(j) == ']') {
			j->pos++;
			return 0;
		}
		for (;;) {
			if ((r = js_skip(j, depth + 1)))
				return r;
			ch = js_peek(j);
			j->pos++;
			if (ch == ']')
				return 0;
			if (ch != ',')
				return js_fail(j, j->pos - 1,
					       ch < 0 ? "JSON ends inside an array"
						      : "expected ',' or ']'");
		}
	}
	if (ch == '"')
		return js_string(j);
	if (ch < 0)
		return js_fail(j, j->len, "JSON ends before a value");
	for (s = 0; s < 3; s++) {
		static const char *const lit[] = {"true", "false", "null"};
		size_t n = strlen(lit[s]);

		if (j->len - j->pos >= n && !memcmp(j->b + j->pos, lit[s], n)) {
			j->pos += n;
			return 0;
		}
	}
	return js_number(j, &s);
}

/* Append ".part" to the dotted header key (without rt-tests' trailing colon). */
static int js_key_push(struct cyc_json *j, const char *part, uint32_t *saved)
{
	size_t n = strlen(part);

	if (n && part[n - 1] == ':')
		n--;
	*saved = j->nkey;
	if (n > UINT32_MAX - 2 - (size_t)j->nkey ||
	    rl_grow((void **)&j->key, &j->cap_key, j->nkey + (uint32_t)n + 2, 1))
		return -RL_E_NOMEM;
	if (j->nkey)
		j->key[j->nkey++] = '.';
	memcpy(j->key + j->nkey, part, n);
	j->nkey += (uint32_t)n;
	j->key[j->nkey] = 0;
	return 0;
}

static int js_meta(struct cyc_json *j, unsigned depth);

/* The elements of a header array, keyed "name.0", "name.1", ... */
static int js_meta_array(struct cyc_json *j, unsigned depth)
{
	uint32_t idx = 0, saved;
	char part[16];
	int ch, r;

	if (js_peek(j) == ']') {
		j->pos++;
		return 0;
	}
	for (;; idx++) {
		snprintf(part, sizeof(part), "%u", idx);
		r = js_key_push(j, part, &saved);
		r = r ? r : js_meta(j, depth + 1);
		j->nkey = saved;
		if (r)
			return r;
		ch = js_peek(j);
		j->pos++;
		if (ch == ']')
			return 0;
		if (ch != ',')
			return js_fail(j, j->pos - 1,
				       ch < 0 ? "JSON ends inside an array"
					      : "expected ',' or ']'");
	}
}

/* A header value: objects and arrays are flattened into dotted keys. */
static int js_meta(struct cyc_json *j, unsigned depth)
{
	int ch = js_peek(j), first = 1, r;
	uint32_t saved;
	size_t s;

	if (ch == '{' || ch == '[') {
		if (depth >= CYC_JSON_DEPTH)
			return js_fail(j, j->pos, "JSON nested deeper than %d", CYC_JSON_DEPTH);
		j->pos++;
		if (ch == '[')
			return js_meta_array(j, depth);
		while ((r = js_member(j, &first)) > 0) {
			r = js_key_push(j, j->str, &saved);
			r = r ? r : js_meta(j, depth + 1);
			j->nkey = saved;
			if (r)
				return r;
		}
		return r;
	}
	if (ch == '"') {
		r = js_string(j);
		return r ? r : cyc_meta_add(j->c, j->key, j->nkey, j->str, j->nstr);
	}
	s = j->pos;
	r = js_skip(j, depth); /* a scalar: kept as written */
	return r ? r : cyc_meta_add(j->c, j->key, j->nkey, (const char *)j->b + s, j->pos - s);
}

/* "histogram": {"<bucket>": count, ...} in ascending bucket order. */
static int js_hist(struct cyc_json *j, struct rl_cyc_thread *t)
{
	uint64_t value, prev = 0, count;
	int first = 1, r;
	size_t s;

	r = js_expect(j, '{');
	while (!r && (r = js_member(j, &first)) > 0) {
		r = cyc_parse_u64((const uint8_t *)j->str, j->nstr, &value);
		if (r)
			return js_fail(j, j->key_off,
				       r == -2 ? "bucket does not fit in 64 bits"
					       : "bucket is not an unsigned integer");
		if (t->nbuckets && value <= prev)
			return js_fail(j, j->key_off, "bucket %llu after bucket %llu",
				       (unsigned long long)value, (unsigned long long)prev);
		js_ws(j);
		s = j->pos;
		r = js_u64(j, &count);
		if (r)
			return r;
		if (!count)
			continue;
		if (cyc_add_u64(&t->total, count))
			return js_fail(j, s, "histogram counts exceed 64 bits");
		r = cyc_bucket_add(t, value, count);
		prev = value;
	}
	t->flags |= RL_CYC_F_HIST;
	return r;
}

/* One thread's object; @off is where it starts. */
static int js_thread(struct cyc_json *j, struct rl_cyc_thread *t, size_t off)
{
	static const char *const need[] = {"cycles", "min", "max", "avg"};
	static const char *const keys[] = {"cycles", "min",  "max",	 "avg",
					   "cpu",    "node", "histogram"};
	unsigned seen = 0, k;
	int first = 1, r;

	r = js_expect(j, '{');
	while (!r && (r = js_member(j, &first)) > 0) {
		for (k = 0; k < 7 && strcmp(j->str, keys[k]); k++)
			;
		if (k < 7 && seen & 1u << k)
			return js_fail(j, j->key_off, "duplicate key '%s'", keys[k]);
		seen |= k < 7 ? 1u << k : 0;
		switch (k) {
		case 0:
			r = js_u64(j, &t->cycles);
			break;
		case 1:
			r = js_u64(j, &t->min);
			break;
		case 2:
			r = js_u64(j, &t->max);
			break;
		case 3:
			r = js_double(j, &t->avg);
			break;
		case 4:
			r = js_i32(j, &t->cpu);
			break;
		case 5:
			r = js_i32(j, &t->node);
			break;
		case 6:
			r = js_hist(j, t);
			break;
		default:
			r = js_skip(j, 3); /* a key this version does not know */
		}
	}
	if (r)
		return r;
	for (k = 0; k < 4; k++)
		if (!(seen & 1u << k))
			return js_fail(j, off, "thread %u has no '%s'", t->index, need[k]);
	if (seen & 1u << 4)
		t->flags |= RL_CYC_F_CPU;
	if (t->total > t->cycles)
		return js_fail(j, off, "thread %u histogram holds %llu samples, cycles %llu",
			       t->index, (unsigned long long)t->total,
			       (unsigned long long)t->cycles);
	t->overflows = t->cycles - t->total;
	return 0;
}

/* "thread": {"0": {...}, "1": {...}, ...} */
static int js_threads(struct cyc_json *j)
{
	struct rl_cyclictest *c = j->c;
	uint64_t idx;
	int first = 1, r;

	if (j->has_thread)
		return js_fail(j, j->key_off, "duplicate key 'thread'");
	j->has_thread = 1;
	r = js_expect(j, '{');
	while (!r && (r = js_member(j, &first)) > 0) {
		if (cyc_parse_u64((const uint8_t *)j->str, j->nstr, &idx) || idx != c->nthreads ||
		    idx == UINT32_MAX)
			return js_fail(j, j->key_off, "thread key '%.40s' where %u was expected",
				       j->str, c->nthreads);
		r = cyc_threads_need(c, c->nthreads + 1);
		r = r ? r : js_thread(j, &c->threads[idx], (js_ws(j), j->pos));
	}
	return r;
}

/* The two header entries that describe the threads; the value is the last meta entry. */
static int js_header_check(struct cyc_json *j, const char *key, size_t off)
{
	const char *v = j->c->nmeta ? j->c->meta[j->c->nmeta - 1].value : "";

	if (!strcmp(key, "resolution_in_ns")) {
		if (strcmp(v, "0") && strcmp(v, "1"))
			return js_fail(j, off, "resolution_in_ns is neither 0 nor 1");
		j->c->unit = v[0] == '1' ? RL_CYC_UNIT_NS : RL_CYC_UNIT_US;
	} else if (!strcmp(key, "num_threads")) {
		if (cyc_parse_u64((const uint8_t *)v, strlen(v), &j->nthreads_val))
			return js_fail(j, off, "num_threads is not an unsigned integer");
		j->has_nthreads = 1;
		j->nthreads_off = off;
	}
	return 0;
}

static int cyc_parse_json(struct rl_cyclictest *c, const uint8_t *buf, size_t len, const char *path,
			  struct rl_err *err)
{
	struct cyc_json j = {.c = c, .b = buf, .len = len, .path = path, .err = err};
	uint32_t saved;
	int first = 1, r;
	size_t off;

	c->form = RL_CYC_JSON;
	r = js_expect(&j, '{');
	while (!r && (r = js_member(&j, &first)) > 0) {
		if (!strcmp(j.str, "thread")) {
			r = js_threads(&j);
			continue;
		}
		r = js_key_push(&j, j.str, &saved);
		off = (js_ws(&j), j.pos);
		r = r ? r : js_meta(&j, 1);
		r = r ? r : js_header_check(&j, j.key, off);
		j.nkey = saved;
	}
	if (!r && js_peek(&j) >= 0)
		r = js_fail(&j, j.pos, "data after the JSON object");
	if (!r && !j.has_thread)
		r = js_fail(&j, 0, "no 'thread' object: not cyclictest output");
	if (!r && j.has_nthreads && j.nthreads_val != c->nthreads)
		r = js_fail(&j, j.nthreads_off, "num_threads %llu but %u threads",
			    (unsigned long long)j.nthreads_val, c->nthreads);
	free(j.str);
	free(j.key);
	return r;
}

/* ----------------------------------------------------------------- entry */

static int cyc_has(const uint8_t *buf, size_t len, const char *s)
{
	return memmem(buf, len < CYC_PROBE_WINDOW ? len : CYC_PROBE_WINDOW, s, strlen(s)) != NULL;
}

/**
 * rl_cyclictest_probe() - is this cyclictest output?
 * @buf: file contents
 * @len: their length
 *
 * Looks at the first 64 KiB (and, for a long stdout capture, the last) and
 * never allocates. Text: 100 when the file starts with the "# Histogram" line
 * (--histfile), 60 when that line follows other lines and the "# Min
 * Latencies:" footer is there too (stdout captures; when the capture starts
 * with cyclictest's status lines, both may be in its last 64 KiB). JSON (an object): 100 with a
 * "thread" key, an rt-tests "rt_test_version" and "cyclictest" in it (the cmdline), 80 without the
 * latter (another rt-tests tool could write that), 50 for "thread" and
 * "cycles" alone.
 *
 * Return: confidence 0 (not cyclictest) to 100.
 */
int rl_cyclictest_probe(const uint8_t *buf, size_t len)
{
	size_t p = 0;

	if (!buf || !len) /* an empty file (no buffer at all) */
		return 0;
	while (p < len && (buf[p] == ' ' || buf[p] == '\t' || buf[p] == '\n' || buf[p] == '\r'))
		p++;
	if (p < len && buf[p] == '{') {
		if (!cyc_has(buf, len, "\"thread\""))
			return 0;
		if (cyc_has(buf, len, "\"rt_test_version"))
			return cyc_has(buf, len, "cyclictest") ? 100 : 80;
		return cyc_has(buf, len, "\"cycles\"") ? 50 : 0;
	}
	if (len >= 12 && !memcmp(buf, "# Histogram\n", 12))
		return 100;
	if (cyc_has(buf, len, "\n# Histogram\n") && cyc_has(buf, len, "\n" CYC_L_MIN))
		return 60;
	/*
	 * A stdout capture without -q: cyclictest's status lines (redrawn with
	 * cursor escapes for the whole run) come first, the histogram at the
	 * end, often past the first window: the last window holds it.
	 */
	if (len > CYC_PROBE_WINDOW &&
	    (cyc_has(buf, len, "# /dev/cpu_dma_latency set to") || cyc_has(buf, len, "\nT: 0 (")) &&
	    memmem(buf + len - CYC_PROBE_WINDOW, CYC_PROBE_WINDOW, "\n# Histogram\n", 13) &&
	    memmem(buf + len - CYC_PROBE_WINDOW, CYC_PROBE_WINDOW, "\n" CYC_L_MIN,
		   strlen(CYC_L_MIN) + 1))
		return 60;
	return 0;
}

/**
 * rl_cyclictest_parse() - read cyclictest's text histogram or --json output
 * @c:    an empty result (rl_cyclictest_init()); on success it owns arrays and
 *        strings until rl_cyclictest_release(), on failure it is left empty
 * @buf:  file contents (not kept)
 * @len:  their length
 * @path: file name for errors (borrowed by @err)
 * @err:  error with the byte offset of the offending line (text) or token (JSON)
 *
 * The form is told by the first non-blank byte: '{' is JSON, anything else the
 * text form (lines before "# Histogram", as in a stdout capture, are skipped).
 * Besides the syntax, the parser checks what cyclictest guarantees: bucket
 * values ascend, "# Total" equals the sum of the buckets, listed plus "others"
 * overflow cycles equal the overflow count, the -H column is the sum of the
 * threads, the JSON histogram holds no more samples than "cycles", thread keys
 * are 0, 1, ... and num_threads matches them.
 *
 * Return: 0, or -RL_E_CORRUPT, -RL_E_TRUNCATED or -RL_E_NOMEM.
 */
int rl_cyclictest_parse(struct rl_cyclictest *c, const uint8_t *buf, size_t len, const char *path,
			struct rl_err *err)
{
	size_t p = 0;
	int r;

	while (p < len && (buf[p] == ' ' || buf[p] == '\t' || buf[p] == '\n' || buf[p] == '\r'))
		p++;
	if (p == len)
		return rl_err_set(err, -RL_E_TRUNCATED, path, 0, "empty cyclictest file");
	if (buf[p] == '{')
		r = cyc_parse_json(c, buf, len, path, err);
	else
		r = cyc_parse_text(c, buf, len, path, err);
	if (r == -RL_E_NOMEM && err->code != r)
		rl_err_set(err, r, path, RL_OFF_NONE, "out of memory reading cyclictest output");
	if (r)
		rl_cyclictest_release(c);
	return r;
}

/* Value of the k-th smallest in-range sample (k < t->total). */
static double cyc_nth(const struct rl_cyc_thread *t, uint64_t k)
{
	uint64_t seen = 0;
	uint32_t i;

	for (i = 0; i < t->nbuckets; i++) {
		if (k - seen < t->buckets[i].count)
			return (double)t->buckets[i].value;
		seen += t->buckets[i].count;
	}
	return t->nbuckets ? (double)t->buckets[t->nbuckets - 1].value : NAN;
}

/**
 * rl_cyclictest_quantile() - an order statistic of one thread's samples
 * @t:   a thread read by rl_cyclictest_parse()
 * @q:   the quantile, 0 <= q <= 1
 * @val: the result, in the file's unit
 *
 * The same as numpy.quantile(samples, q) with its default "linear" method,
 * where samples is the histogram expanded into one value per sample (each at
 * its bucket value) plus the @t->overflows samples, whose values are unknown
 * but above the range, sorted last (as +inf). The ranks come from cumulative
 * counts, nothing is expanded: h = (n − 1)·q with n = total + overflows, and
 * the result interpolates the samples of ranks floor(h) and floor(h) + 1 as
 * numpy's _lerp does. When a sample needed for that is an overflow, the
 * quantile is "above range": RL_CYC_ABOVE is returned and *@val is +inf.
 *
 * Return: 0, RL_CYC_ABOVE, or -RL_E_USAGE if @q is outside [0, 1] (or NaN) or
 * the thread has no samples.
 */
int rl_cyclictest_quantile(const struct rl_cyc_thread *t, double q, double *val)
{
	uint64_t n = t->total + t->overflows, lo;
	double h, g, a, b, d;

	if (!(q >= 0 && q <= 1) || !n || n < t->total)
		return -RL_E_USAGE;
	h = (double)(n - 1) * q;
	/* (double)(n - 1) may round up to 2^64, where the cast would be undefined */
	lo = h >= (double)(n - 1) ? n - 1 : (uint64_t)floor(h);
	g = h - (double)lo;
	if (lo >= t->total || (g > 0 && lo + 1 >= t->total)) {
		*val = INFINITY;
		return RL_CYC_ABOVE;
	}
	a = cyc_nth(t, lo);
	if (g <= 0) {
		*val = a;
		return 0;
	}
	b = cyc_nth(t, lo + 1);
	d = b - a;
	*val = g >= 0.5 ? b - d * (1 - g) : a + d * g;
	return 0;
}

/**
 * rl_cyclictest_hist_mean() - mean of the in-range samples, from the buckets
 * @t:    a thread read by rl_cyclictest_parse()
 * @mean: Σ value·count / total
 *
 * cyclictest computes one integer latency per cycle (µs truncated, or ns with
 * --nsecs) and feeds that same value to min, max, avg and the bucket it
 * counts in (rt-tests cyclictest.c, timerthread()), so a bucket's value is
 * its samples' value. Without overflows this equals cyclictest's avg (up to
 * its printing); with overflows it leaves them out and is smaller.
 *
 * Return: 0, or -RL_E_USAGE if no sample is in range.
 */
int rl_cyclictest_hist_mean(const struct rl_cyc_thread *t, double *mean)
{
	long double s = 0;
	uint32_t i;

	if (!t->total)
		return -RL_E_USAGE;
	for (i = 0; i < t->nbuckets; i++)
		s += (long double)t->buckets[i].value * (long double)t->buckets[i].count;
	*mean = (double)(s / (long double)t->total);
	return 0;
}

/* The -h/-H (--histogram/--histofall) value of a cyclictest command line, 0 if none. */
static uint64_t cyc_cmdline_range(const char *cmd)
{
	const char *p = cmd;

	while (p && *p) {
		const char *a = NULL;

		while (*p == ' ')
			p++;
		if (!strncmp(p, "--histogram=", 12) || !strncmp(p, "--histofall=", 12))
			a = p + 12;
		else if ((!strncmp(p, "--histogram ", 12) || !strncmp(p, "--histofall ", 12)))
			a = p + 12;
		else if ((p[0] == '-' && (p[1] == 'h' || p[1] == 'H')) && p[2] != '-')
			a = p[2] == ' ' || p[2] == '=' ? p + 3 : p + 2;
		if (a && *a >= '0' && *a <= '9')
			return strtoull(a, NULL, 10);
		p = strchr(p, ' ');
	}
	return 0;
}

/**
 * rl_cyclictest_overflow_min() - a lower bound of a thread's overflowed samples
 * @c: the file
 * @t: one of its threads
 *
 * The histogram's range (the text's bucket count, or the -h/-H value of the
 * JSON command line), at least one past the last bucket, at least the min.
 *
 * Return: the bound, in the file's unit.
 */
uint64_t rl_cyclictest_overflow_min(const struct rl_cyclictest *c, const struct rl_cyc_thread *t)
{
	uint64_t lo = c->range;

	if (!lo && c->form == RL_CYC_JSON)
		lo = cyc_cmdline_range(rl_cyclictest_meta(c, "cmdline"));
	if (t->nbuckets && t->buckets[t->nbuckets - 1].value + 1 > lo)
		lo = t->buckets[t->nbuckets - 1].value + 1;
	return t->min > lo ? t->min : lo;
}
