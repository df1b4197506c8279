/* stats/ft-clockfit.c - the Feather-Trace cycle rate estimated from a run's sched_trace. */
#include "stats.h"

#include "../readers/feather-trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * The same context switches are recorded twice in one LITMUS^RT run:
 * Feather-Trace's CXS_END (cycles, the pid switched to, per CPU) and
 * sched_trace's SWITCH_TO (ns of litmus_clock(), pid, cpu). Per CPU the two
 * pid sequences are aligned (switches to best-effort tasks, which only
 * Feather-Trace has, are left out), and cycles are fitted against ns by least squares, twice after
 * dropping pairs far from the line (a mismatch). The rate is the median of
 * the CPUs' slopes (each CPU has its own TSC offset, not its own rate), the
 * spread their largest distance from it.
 */

#define CF_MIN_PAIRS 16 /* fewer matched switches on a CPU: no slope from it */
#define CF_WINDOW 4096	/* switches per CPU aligned (a 4097^2 table of uint16: 32 MiB) */

struct cf_pt {
	double x; /* ns */
	double y; /* cycles */
	int32_t pid;
	uint8_t used;
};

struct cf_seq {
	struct cf_pt *p;
	uint32_t n, cap;
};

static int cf_push(struct cf_seq *s, double x, double y, int32_t pid)
{
	if (rl_grow((void **)&s->p, &s->cap, s->n + 1, sizeof(*s->p)))
		return -RL_E_NOMEM;
	s->p[s->n++] = (struct cf_pt){x, y, pid, 0};
	return 0;
}

/* Least squares y = a + b x over the used points; Return: 0, or -1 if degenerate. */
static int cf_fit(const struct cf_pt *p, uint32_t n, double *a, double *b)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0;
	uint32_t i, k = 0;

	for (i = 0; i < n; i++)
		if (p[i].used) {
			mx += p[i].x;
			my += p[i].y;
			k++;
		}
	if (k < 2)
		return -1;
	mx /= k;
	my /= k;
	for (i = 0; i < n; i++)
		if (p[i].used) {
			sxx += (p[i].x - mx) * (p[i].x - mx);
			sxy += (p[i].x - mx) * (p[i].y - my);
		}
	if (!(sxx > 0))
		return -1;
	*b = sxy / sxx;
	*a = my - *b * mx;
	return 0;
}

static int cf_cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Align the ns points @st with the cycle points @ft by pid: a longest common
 * subsequence of the two pid sequences (the traces need not start or stop
 * together, and Feather-Trace misses records under load), over the first
 * CF_WINDOW switches of each (memory stays bounded; a few thousand switches
 * fix the slope to well under a cycle per µs). The pairs go to @pr.
 */
static int cf_align(const struct cf_seq *st, const struct cf_seq *ft, struct cf_seq *pr)
{
	uint32_t n = st->n < CF_WINDOW ? st->n : CF_WINDOW,
		 m = ft->n < CF_WINDOW ? ft->n : CF_WINDOW;
	size_t w = (size_t)m + 1;
	uint16_t *L = calloc(((size_t)n + 1) * w, sizeof(*L));
	uint32_t i, j;
	int r = 0;

	if (!L)
		return -RL_E_NOMEM;
	/* L[i][j]: the LCS length of st[i..] and ft[j..] */
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			L[i * w + j] = st->p[i].pid == ft->p[j].pid
					       ? (uint16_t)(L[(i + 1) * w + j + 1] + 1)
				       : L[(i + 1) * w + j] > L[i * w + j + 1] ? L[(i + 1) * w + j]
									       : L[i * w + j + 1];
	for (i = 0, j = 0; i < n && j < m;) {
		if (st->p[i].pid == ft->p[j].pid) {
			if (cf_push(pr, st->p[i].x, ft->p[j].y, st->p[i].pid)) {
				r = -RL_E_NOMEM;
				break;
			}
			pr->p[pr->n - 1].used = 1;
			i++, j++;
		} else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) {
			i++;
		} else {
			j++;
		}
	}
	free(L);
	return r;
}

/* The slope of one CPU's pairs, with outliers dropped; Return: 0, or -1 if too few. */
static int cf_slope(struct cf_seq *pr, double *slope, uint32_t *kept)
{
	double a, b, *res = NULL;
	uint32_t i, round, k;

	if (pr->n < CF_MIN_PAIRS || cf_fit(pr->p, pr->n, &a, &b))
		return -1;
	res = malloc(pr->n * sizeof(*res));
	if (!res)
		return -1;
	for (round = 0; round < 3; round++) {
		double med;

		for (i = 0, k = 0; i < pr->n; i++)
			if (pr->p[i].used)
				res[k++] = fabs(pr->p[i].y - (a + b * pr->p[i].x));
		qsort(res, k, sizeof(*res), cf_cmp_d);
		med = res[k / 2];
		for (i = 0; i < pr->n; i++)
			if (pr->p[i].used && fabs(pr->p[i].y - (a + b * pr->p[i].x)) > 5 * med + 1)
				pr->p[i].used = 0;
		if (cf_fit(pr->p, pr->n, &a, &b))
			break;
	}
	free(res);
	for (i = 0, k = 0; i < pr->n; i++)
		k += pr->p[i].used;
	if (k < CF_MIN_PAIRS || !(b > 0))
		return -1;
	*slope = b;
	*kept = k;
	return 0;
}

/**
 * rl_ft_rate_estimate() - cycles per µs from the same run's sched_trace
 * @set: the Feather-Trace files (their ..._cpu=N.bin files are used)
 * @m:   a merge of the run's sched_trace files, unread (it is read to the end)
 * @t:   their trace (task pids)
 * @out: the estimate
 * @err: error out
 *
 * Return: 1 with @out set, 0 when the data allow no estimate (no CPU with
 * enough matched switches), or a negative RL_E_* code.
 */
int rl_ft_rate_estimate(const struct rl_ft_set *set, struct rl_merge *m, const struct rl_trace *t,
			struct rl_rate_est *out, struct rl_err *err)
{
	struct cf_seq *st = NULL, *ft = NULL;
	const struct rl_event *ev;
	struct rl_ft_rec rec;
	double *slopes = NULL;
	uint32_t ncpu = 256, c, i, ns = 0;
	uint64_t k;
	int r = 0;

	memset(out, 0, sizeof(*out));
	st = calloc(ncpu, sizeof(*st));
	ft = calloc(ncpu, sizeof(*ft));
	slopes = calloc(ncpu, sizeof(*slopes));
	if (!st || !ft || !slopes)
		goto nomem;
	while ((r = rl_merge_peek_next(m, &ev, err)) > 0) {
		if (ev->type != RL_EV_SWITCH_IN || ev->cpu >= ncpu || ev->task >= t->ntasks)
			continue;
		if (cf_push(&st[ev->cpu], (double)ev->raw, 0, t->tasks[ev->task].pid))
			goto nomem;
	}
	if (r < 0)
		goto out;
	for (i = 0; i < set->n; i++) {
		const struct rl_ft_file *f = &set->fs[i];

		if (f->kind != RL_FT_KIND_CPU)
			continue;
		for (k = 0; k < f->nrec; k++) {
			rl_ft_decode(f, k, &rec);
			if (rec.event != 105 || rec.type != RL_FT_RT || !rec.pid)
				continue; /* CXS_END of a real-time task */
			if (cf_push(&ft[rec.cpu], 0, (double)rec.ts, rec.pid))
				goto nomem;
		}
	}
	for (c = 0; c < ncpu; c++) {
		struct cf_seq pr = {0};
		uint32_t kept;

		if (!st[c].n || !ft[c].n)
			continue;
		if (cf_align(&st[c], &ft[c], &pr)) {
			free(pr.p);
			goto nomem;
		}
		if (!cf_slope(&pr, &slopes[ns], &kept)) {
			ns++;
			out->pairs += kept;
		}
		free(pr.p);
	}
	r = 0;
	if (ns) {
		double med;

		qsort(slopes, ns, sizeof(*slopes), cf_cmp_d);
		med = ns % 2 ? slopes[ns / 2] : (slopes[ns / 2 - 1] + slopes[ns / 2]) / 2;
		out->cycles_per_usec = med * 1000;
		out->spread = fmax(med - slopes[0], slopes[ns - 1] - med) * 1000;
		out->ncpus = ns;
		r = 1;
	}
	goto out;
nomem:
	r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
out:
	for (c = 0; st && c < ncpu; c++)
		free(st[c].p);
	for (c = 0; ft && c < ncpu; c++)
		free(ft[c].p);
	free(st);
	free(ft);
	free(slopes);
	return r;
}
