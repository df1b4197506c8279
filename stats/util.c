/* stats/util.c - helpers every analysis shares: quantiles by selection, task order, JSON text. */
#include "stats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Put the k-th smallest of v[0..n) at v[k], smaller ones left of it, larger right (Hoare). */
static void rl_select(int64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
		int64_t a = v[lo], b = v[mid], c = v[hi], piv, t;

		/* median of three */
		piv = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		while (i <= j) {
			while (v[i] < piv)
				i++;
			while (v[j] > piv)
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/**
 * rl_quantile_select() - quantile with linear interpolation, without sorting
 * @v: the values; reordered
 * @n: how many (0 gives 0)
 * @q: quantile in [0, 1]
 *
 * Same result as rl_quantile_sorted() on the sorted values, in O(n) on
 * average: select the rank below the quantile; everything right of it is
 * not smaller, so the next rank is their minimum.
 *
 * Return: the quantile.
 */
double rl_quantile_select(int64_t *v, size_t n, double q)
{
	double h;
	size_t lo, i;
	int64_t a, b;

	if (!n)
		return 0;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	h = q * (double)(n - 1);
	lo = (size_t)h;
	rl_select(v, n, lo);
	a = v[lo];
	if (lo + 1 >= n)
		return (double)a;
	b = v[lo + 1];
	for (i = lo + 2; i < n; i++)
		if (v[i] < b)
			b = v[i];
	return (double)a + (h - (double)lo) * (double)(b - a);
}

static int rl_task_order_cmp(const void *a, const void *b, void *arg)
{
	const struct rl_trace *t = arg;
	const struct rl_task *x = &t->tasks[*(const uint32_t *)a];
	const struct rl_task *y = &t->tasks[*(const uint32_t *)b];

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->generation < y->generation ? -1 : x->generation > y->generation;
}

/**
 * rl_task_order() - the trace's tasks in pid order (then generation, for reused pids)
 * @t: the trace
 * @n: receives the number of tasks
 *
 * Return: a malloc'ed array of task indices (free it), or NULL when out of memory.
 */
uint32_t *rl_task_order(const struct rl_trace *t, uint32_t *n)
{
	uint32_t *ord = malloc((t->ntasks ? t->ntasks : 1) * sizeof(*ord)), i;

	if (!ord)
		return NULL;
	for (i = 0; i < t->ntasks; i++)
		ord[i] = i;
	qsort_r(ord, t->ntasks, sizeof(*ord), rl_task_order_cmp, (void *)t);
	*n = t->ntasks;
	return ord;
}

/**
 * rl_json_str() - write @s as a JSON string (quoted, escaped)
 * @f: output
 * @s: the text
 */
void rl_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/**
 * rl_table_write() - write a matrix of formatted cells as CSV, an aligned table or JSON
 * @f:   output
 * @fmt: RL_OUT_CSV, RL_OUT_TABLE or RL_OUT_JSON
 * @t:   column names, cells (row-major, NUL-terminated, "" = unknown) and decorations
 *
 * Unknown cells are empty in CSV, "-" in the table and null in JSON. The
 * text column is left-aligned and written as a JSON string; the others are
 * numbers. JSON is {HEAD,"tasks":[{...},...]}; the table ends with @t->note.
 */
void rl_table_write(FILE *f, enum rl_out_format fmt, const struct rl_table *t)
{
	size_t *width = calloc(t->ncols ? t->ncols : 1, sizeof(*width)), i, c;

#define RL_CELL(i, c) (t->cells + ((i)*t->ncols + (c)) * t->cellsz)
	for (c = 0; c < t->ncols; c++) {
		size_t w = strlen(t->cols[c]);

		for (i = 0; i < t->nrows; i++)
			if (strlen(RL_CELL(i, c)) > w)
				w = strlen(RL_CELL(i, c));
		if (width)
			width[c] = w;
	}
	switch (fmt) {
	case RL_OUT_CSV:
		for (c = 0; c < t->ncols; c++)
			fprintf(f, "%s%s", c ? "," : "", t->cols[c]);
		fputc('\n', f);
		for (i = 0; i < t->nrows; i++) {
			for (c = 0; c < t->ncols; c++)
				fprintf(f, "%s%s", c ? "," : "", RL_CELL(i, c));
			fputc('\n', f);
		}
		break;
	case RL_OUT_TABLE:
		for (i = 0; i <= t->nrows; i++) {
			for (c = 0; c < t->ncols; c++) {
				const char *s = i ? RL_CELL(i - 1, c) : t->cols[c];
				int w = width ? (int)width[c] : 0;

				fprintf(f, "%s%*s", c ? "  " : "", c == t->text_col ? -w : w,
					s[0] ? s : "-");
			}
			fputc('\n', f);
		}
		if (t->note)
			fprintf(f, "%s\n", t->note);
		break;
	case RL_OUT_JSON:
		fprintf(f, "{%s,\"tasks\":[", t->json_head ? t->json_head : "\"unit\":\"ns\"");
		for (i = 0; i < t->nrows; i++) {
			fprintf(f, "%s\n {", i ? "," : "");
			for (c = 0; c < t->ncols; c++) {
				fprintf(f, "%s\"%s\":", c ? "," : "", t->cols[c]);
				if (c == t->text_col)
					rl_json_str(f, RL_CELL(i, c));
				else
					fputs(RL_CELL(i, c)[0] ? RL_CELL(i, c) : "null", f);
			}
			fputc('}', f);
		}
		fprintf(f, "\n]}\n");
		break;
	}
#undef RL_CELL
	free(width);
}

/**
 * rl_mkdirs() - make the folders of @path, as mkdir -p
 * @path: a path, changed while it works and restored
 * @last: also make its last part (else that part is a file to be written)
 *
 * Return: 0, or -1 with errno set.
 */
int rl_mkdirs(char *path, int last)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0777) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (last && mkdir(path, 0777) && errno != EEXIST)
		return -1;
	return 0;
}
