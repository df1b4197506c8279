/*
 * skew/estimate.c - per-CPU clock offsets from causal pairs, with bounds
 * that hold whatever the delays are (skew.h, "estimation").
 *
 * The state is the minimum delay and the count per ordered cpu pair; the
 * solver turns every directed minimum into a difference constraint
 * x_b - x_a <= min(r - s) and runs Bellman-Ford: the shortest path from the
 * reference to c bounds offset_c from above, the shortest path from c to
 * the reference bounds it from below. Distances are 128-bit (a path has at
 * most ncpu edges of at most 2^63 each), so no sum can overflow; a bound that
 * does not fit 64 bits makes the cpu FAIL.
 */
#include "skew.h"

#include <stdlib.h>
#include <string.h>

typedef __int128 rl_i128;

/**
 * rl_skew_est_init() - an estimator without pairs
 * @e: the estimator
 */
void rl_skew_est_init(struct rl_skew_est *e)
{
	memset(e, 0, sizeof(*e));
}

/**
 * rl_skew_est_release() - free an estimator's tables
 * @e: the estimator (left empty)
 */
void rl_skew_est_release(struct rl_skew_est *e)
{
	size_t i;

	for (i = 0; e->d && i < (size_t)e->cap * e->cap; i++)
		rl_skew_hull_release(&e->d[i].hull);
	free(e->d);
	rl_skew_est_init(e);
}

/**
 * rl_skew_est_reserve() - report cpus 0..@ncpu-1 (those without pairs as absent)
 * @e:    the estimator
 * @ncpu: number of cpus (<= RL_SKEW_MAX_CPUS)
 * @err:  error out
 *
 * Return: 0, or -RL_E_USAGE (too many cpus) / -RL_E_NOMEM with @err set.
 */
int rl_skew_est_reserve(struct rl_skew_est *e, uint32_t ncpu, struct rl_err *err)
{
	struct rl_skew_dir *d;
	uint32_t cap, a;

	if (ncpu > RL_SKEW_MAX_CPUS)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "clock skew: cpu %u is beyond the %u cpus estimated", ncpu - 1,
				  RL_SKEW_MAX_CPUS);
	if (ncpu > e->cap) {
		cap = e->cap ? e->cap : 4;
		while (cap < ncpu)
			cap *= 2;
		if (cap > RL_SKEW_MAX_CPUS)
			cap = RL_SKEW_MAX_CPUS;
		d = calloc((size_t)cap * cap, sizeof(*d));
		if (!d)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
					  "out of memory for the clock skew of %u cpus", ncpu);
		for (a = 0; a < e->ncpu; a++)
			memcpy(d + (size_t)a * cap, e->d + (size_t)a * e->cap,
			       e->ncpu * sizeof(*d));
		free(e->d);
		e->d = d;
		e->cap = cap;
	}
	if (ncpu > e->ncpu)
		e->ncpu = ncpu;
	return 0;
}

/**
 * rl_skew_est_add_delta() - add one causal pair by its apparent delay
 * @e:     the estimator
 * @a:     the sending cpu
 * @b:     the receiving cpu
 * @delta: r - s: receive time on b's clock minus send time on a's clock
 * @err:   error out
 *
 * A pair within one cpu says nothing about offsets and is ignored.
 * Return: 0, or -RL_E_USAGE (cpu out of range, @delta == INT64_MIN) /
 * -RL_E_NOMEM with @err set.
 */
int rl_skew_est_add_delta(struct rl_skew_est *e, uint32_t a, uint32_t b, int64_t delta,
			  struct rl_err *err)
{
	struct rl_skew_dir *d;
	uint32_t hi = a > b ? a : b;
	int r;

	if (a == b)
		return 0;
	if (delta == INT64_MIN) /* its negation (a lower bound) must be an int64 */
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "clock skew: delay of a pair %u -> %u out of range", a, b);
	if (hi >= e->ncpu && (r = rl_skew_est_reserve(e, hi + 1, err)) < 0)
		return r;
	d = &e->d[(size_t)a * e->cap + b];
	if (!d->n || delta < d->min)
		d->min = delta;
	d->n++;
	e->npairs++;
	return 0;
}

/**
 * rl_skew_est_add() - add one causal pair: sent on @a at @s, received on @b at @r
 * @e:   the estimator
 * @a:   the sending cpu
 * @s:   send time, @a's clock
 * @b:   the receiving cpu
 * @r:   receive time, @b's clock
 * @err: error out
 *
 * Return: 0, or -RL_E_USAGE when r - s overflows (see rl_skew_est_add_delta()).
 */
int rl_skew_est_add(struct rl_skew_est *e, uint32_t a, int64_t s, uint32_t b, int64_t r,
		    struct rl_err *err)
{
	int64_t delta;
	int rc;

	if (__builtin_sub_overflow(r, s, &delta))
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "clock skew: delay of a pair %u -> %u overflows (%lld - %lld)", a,
				  b, (long long)r, (long long)s);
	if ((rc = rl_skew_est_add_delta(e, a, b, delta, err)) < 0)
		return rc;
	if (e->drift && a != b && rl_skew_hull_add(&e->d[(size_t)a * e->cap + b].hull, r, delta))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	return 0;
}

/* floor((lo + hi) / 2) and ceil((hi - lo) / 2) for lo <= hi: [est - half, est + half] covers
 * [lo, hi]. Return: 0, or -1 when they do not fit 64 bits. */
static int skew_mid(rl_i128 lo, rl_i128 hi, int64_t *est, int64_t *half)
{
	rl_i128 sum = lo + hi, m = sum / 2, h = (hi - lo + 1) / 2;

	if (sum % 2 && sum < 0)
		m--;
	if (m < INT64_MIN || m > INT64_MAX || h > INT64_MAX)
		return -1;
	*est = (int64_t)m;
	*half = (int64_t)h;
	return 0;
}

/* The constraint graph: edge u -> v of weight w means x_v - x_u <= w. */
struct skew_edge {
	uint32_t u, v;
	int64_t w;
	uint64_t n;
};

struct skew_graph {
	struct skew_edge *e;
	size_t ne;
	uint32_t nv;
};

static int skew_graph_build(const struct rl_skew_est *e, struct skew_graph *g)
{
	uint32_t a, b;
	size_t k = 0;

	g->nv = e->ncpu;
	g->ne = 0;
	for (a = 0; a < e->ncpu; a++)
		for (b = 0; b < e->ncpu; b++)
			g->ne += e->d[(size_t)a * e->cap + b].n > 0;
	g->e = calloc(g->ne ? g->ne : 1, sizeof(*g->e));
	if (!g->e)
		return -1;
	for (a = 0; a < e->ncpu; a++)
		for (b = 0; b < e->ncpu; b++) {
			const struct rl_skew_dir *d = &e->d[(size_t)a * e->cap + b];

			if (d->n)
				g->e[k++] = (struct skew_edge){a, b, d->min, d->n};
		}
	return 0;
}

/*
 * Bellman-Ford from @src over the edges (reversed when @rev), or from a virtual source joined
 * to every vertex when @src == UINT32_MAX. dist/pred/reach per vertex (pred: edge index, or
 * SIZE_MAX). Return: -1 when no negative cycle is reachable, else the vertex whose distance
 * still fell in round nv.
 */
static int64_t skew_bf(const struct skew_graph *g, uint32_t src, int rev, rl_i128 *dist,
		       size_t *pred, uint8_t *reach)
{
	uint32_t round, i;
	int64_t last = -1;
	size_t k;

	for (i = 0; i < g->nv; i++) {
		dist[i] = 0;
		pred[i] = SIZE_MAX;
		reach[i] = src == UINT32_MAX || i == src;
	}
	for (round = 0; round <= g->nv; round++) {
		last = -1;
		for (k = 0; k < g->ne; k++) {
			uint32_t u = rev ? g->e[k].v : g->e[k].u, v = rev ? g->e[k].u : g->e[k].v;
			rl_i128 nd = dist[u] + g->e[k].w;

			if (reach[u] && (!reach[v] || nd < dist[v])) {
				dist[v] = nd;
				pred[v] = k;
				reach[v] = 1;
				last = v;
			}
		}
		if (last < 0)
			return -1;
	}
	return last;
}

/* Collect the negative cycle through the predecessors of @v into res->cycle (in edge
 * order). Return: 0 or -1 (no memory). */
static int skew_cycle(const struct skew_graph *g, const size_t *pred, uint32_t v,
		      struct rl_skew_result *res)
{
	uint32_t i, x = v, n = 0, *c;

	for (i = 0; i < g->nv; i++) { /* walk back into the cycle itself */
		if (pred[x] == SIZE_MAX)
			return 0; /* no cycle on this path: reported without its cpus */
		x = g->e[pred[x]].u;
	}
	v = x;
	do {
		n++;
		if (pred[x] == SIZE_MAX || n > g->nv)
			return 0;
		x = g->e[pred[x]].u;
	} while (x != v);
	c = calloc(n, sizeof(*c));
	if (!c)
		return -1;
	/* predecessors run backwards: fill from the end so the cycle reads forwards */
	x = v;
	for (i = n; i-- > 0;) {
		c[i] = x;
		x = g->e[pred[x]].u;
	}
	res->cycle = c;
	res->ncycle = n;
	return 0;
}

/* Connected components of the undirected graph: comp[v], by flooding. */
static void skew_components(const struct skew_graph *g, uint32_t *comp)
{
	uint32_t i;
	size_t k;
	int changed = 1;

	for (i = 0; i < g->nv; i++)
		comp[i] = i;
	while (changed) {
		changed = 0;
		for (k = 0; k < g->ne; k++) {
			uint32_t *cu = &comp[g->e[k].u], *cv = &comp[g->e[k].v];

			if (*cu != *cv) {
				if (*cu < *cv)
					*cv = *cu;
				else
					*cu = *cv;
				changed = 1;
			}
		}
	}
}

/* The pairs table of the result: one entry per unordered cpu pair with causal pairs. */
static int skew_pairs(const struct rl_skew_est *e, struct rl_skew_result *res)
{
	uint32_t a, b, n = 0;

	for (a = 0; a < e->ncpu; a++)
		for (b = a + 1; b < e->ncpu; b++)
			n += e->d[(size_t)a * e->cap + b].n || e->d[(size_t)b * e->cap + a].n;
	res->pairs = calloc(n ? n : 1, sizeof(*res->pairs));
	if (!res->pairs)
		return -1;
	for (a = 0; a < e->ncpu; a++)
		for (b = a + 1; b < e->ncpu; b++) {
			const struct rl_skew_dir *ab = &e->d[(size_t)a * e->cap + b];
			const struct rl_skew_dir *ba = &e->d[(size_t)b * e->cap + a];
			struct rl_skew_pair *p;

			if (!ab->n && !ba->n)
				continue;
			p = &res->pairs[res->npair++];
			p->a = a;
			p->b = b;
			p->n_ab = ab->n;
			p->n_ba = ba->n;
			p->hi = ab->n ? ab->min : 0;
			p->lo = ba->n ? -ba->min : 0;
			if (!ab->n || !ba->n)
				p->state = RL_SKEW_PAIR_INCOMPLETE;
			else if (p->lo > p->hi)
				p->state = RL_SKEW_PAIR_VIOLATION;
			else
				skew_mid(p->lo, p->hi, &p->est,
					 &p->half); /* fits: lo, hi are int64 */
		}
	return 0;
}

/* Mark the pairs along the contradictory cycle (those not already violations). */
static void skew_mark_cycle(struct rl_skew_result *res)
{
	uint32_t i, j;

	for (i = 0; i < res->ncycle; i++) {
		uint32_t u = res->cycle[i], v = res->cycle[(i + 1) % res->ncycle];
		uint32_t a = u < v ? u : v, b = u < v ? v : u;

		for (j = 0; j < res->npair; j++)
			if (res->pairs[j].a == a && res->pairs[j].b == b &&
			    res->pairs[j].state != RL_SKEW_PAIR_VIOLATION)
				res->pairs[j].state = RL_SKEW_PAIR_CYCLE;
	}
}

/* Sum of pair counts and smallest count along the predecessor path to @v. */
static void skew_path(const struct skew_graph *g, const size_t *pred, int rev, uint32_t v,
		      uint64_t *pairs, uint64_t *minn)
{
	uint32_t hops = 0;

	while (pred[v] != SIZE_MAX && hops++ < g->nv) {
		const struct skew_edge *ed = &g->e[pred[v]];

		*pairs += ed->n;
		if (ed->n < *minn)
			*minn = ed->n;
		v = rev ? ed->v : ed->u;
	}
}

struct skew_solve {
	const struct skew_graph *g;
	rl_i128 *df, *dr; /* shortest distances from the reference, forward and reversed */
	size_t *pf, *pr;
	uint8_t *rf, *rr;
	uint32_t *comp;
	int64_t bad; /* a vertex of a negative cycle, or -1 */
};

/* The offset of one cpu from the two Bellman-Ford runs from the reference. */
static void skew_cpu(const struct skew_solve *s, uint32_t ref, uint32_t c, struct rl_skew_cpu *o)
{
	uint64_t minn = UINT64_MAX;

	o->cpu = c;
	if (s->bad >= 0 && s->comp[c] == s->comp[s->bad]) {
		o->quality = RL_SKEW_FAIL;
		return;
	}
	if (c == ref) {
		o->quality = RL_SKEW_ACCURATE;
		o->has_lo = o->has_hi = 1;
		return;
	}
	o->has_hi = s->rf[c]; /* x_c - x_ref <= dist(ref -> c) */
	o->has_lo = s->rr[c]; /* x_ref - x_c <= dist(c -> ref) */
	if ((o->has_hi && (s->df[c] < INT64_MIN || s->df[c] > INT64_MAX)) ||
	    (o->has_lo && (-s->dr[c] < INT64_MIN || -s->dr[c] > INT64_MAX))) {
		o->quality = RL_SKEW_FAIL;
		o->has_lo = o->has_hi = 0;
		return;
	}
	if (o->has_hi) {
		o->hi = (int64_t)s->df[c];
		skew_path(s->g, s->pf, 0, c, &o->pairs, &minn);
	}
	if (o->has_lo) {
		o->lo = (int64_t)-s->dr[c];
		skew_path(s->g, s->pr, 1, c, &o->pairs, &minn);
	}
	if (!o->has_lo && !o->has_hi)
		o->quality = RL_SKEW_ABSENT;
	else if (!o->has_lo || !o->has_hi)
		o->quality = RL_SKEW_INCOMPLETE;
	else if (skew_mid(o->lo, o->hi, &o->offset, &o->uncert))
		o->quality = RL_SKEW_FAIL;
	else
		o->quality = minn >= RL_SKEW_ACCURATE_MIN ? RL_SKEW_ACCURATE : RL_SKEW_APPROXIMATE;
}

static int skew_solve_run(const struct rl_skew_est *e, uint32_t ref, struct skew_solve *s,
			  struct rl_skew_result *res)
{
	const struct skew_graph *g = s->g;
	uint32_t c;

	s->bad = skew_bf(g, UINT32_MAX, 0, s->df, s->pf, s->rf);
	if (s->bad >= 0 && skew_cycle(g, s->pf, (uint32_t)s->bad, res))
		return -1;
	skew_components(g, s->comp);
	if (s->bad < 0 || s->comp[ref] != s->comp[s->bad]) {
		/* no negative cycle can be reached from the reference: both runs end */
		skew_bf(g, ref, 0, s->df, s->pf, s->rf);
		skew_bf(g, ref, 1, s->dr, s->pr, s->rr);
	} else {
		/* the reference's group contradicts itself: nothing is connected to it */
		memset(s->rf, 0, g->nv);
		memset(s->rr, 0, g->nv);
	}
	for (c = 0; c < e->ncpu; c++)
		skew_cpu(s, ref, c, &res->cpus[c]);
	return 0;
}

/**
 * rl_skew_est_solve() - per-cpu offsets against @ref from all the pairs together
 * @e:   the estimator
 * @ref: the reference cpu (< e->ncpu; its offset is 0)
 * @res: the result (released with rl_skew_result_release())
 * @err: error out
 *
 * A contradiction (a negative cycle of constraints) is no error: its cpus
 * are in res->cycle, the pairs on it are RL_SKEW_PAIR_CYCLE (or VIOLATION)
 * and every cpu connected to it FAILs.
 * Return: 0, or -RL_E_USAGE (bad reference) / -RL_E_NOMEM with @err set.
 */
int rl_skew_est_solve(const struct rl_skew_est *e, uint32_t ref, struct rl_skew_result *res,
		      struct rl_err *err)
{
	struct skew_graph g = {0};
	struct skew_solve s = {0};
	uint32_t n = e->ncpu;
	int r = 0;

	memset(res, 0, sizeof(*res));
	res->ref = ref;
	if (ref >= n)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "reference cpu %u has no causal pairs (cpus 0-%d seen)", ref,
				  (int)n - 1);
	s.g = &g;
	res->ncpu = n;
	res->cpus = calloc(n, sizeof(*res->cpus));
	s.df = calloc(n, sizeof(*s.df));
	s.dr = calloc(n, sizeof(*s.dr));
	s.pf = calloc(n, sizeof(*s.pf));
	s.pr = calloc(n, sizeof(*s.pr));
	s.rf = calloc(n, 1);
	s.rr = calloc(n, 1);
	s.comp = calloc(n, sizeof(*s.comp));
	if (!res->cpus || !s.df || !s.dr || !s.pf || !s.pr || !s.rf || !s.rr || !s.comp ||
	    skew_graph_build(e, &g) || skew_pairs(e, res) || skew_solve_run(e, ref, &s, res))
		r = -1;
	else
		skew_mark_cycle(res);
	free(g.e);
	free(s.df);
	free(s.dr);
	free(s.pf);
	free(s.pr);
	free(s.rf);
	free(s.rr);
	free(s.comp);
	if (r) {
		rl_skew_result_release(res);
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
				  "out of memory solving the clock skew of %u cpus", n);
	}
	return 0;
}

/**
 * rl_skew_result_release() - free a result
 * @res: the result (left empty)
 */
void rl_skew_result_release(struct rl_skew_result *res)
{
	free(res->cpus);
	free(res->pairs);
	free(res->cycle);
	memset(res, 0, sizeof(*res));
}

/**
 * rl_skew_quality_name() - the word of a quality
 * @quality: enum rl_skew_quality
 *
 * Return: "accurate", "approximate", "incomplete", "absent" or "fail".
 */
const char *rl_skew_quality_name(int quality)
{
	static const char *const names[] = {"accurate", "approximate", "incomplete", "absent",
					    "fail"};

	return quality >= 0 && quality <= RL_SKEW_FAIL ? names[quality] : "fail";
}

/**
 * rl_skew_pair_state_name() - the word of a pair state
 * @state: enum rl_skew_pair_state
 *
 * Return: "ok", "incomplete", "violation" or "cycle".
 */
const char *rl_skew_pair_state_name(int state)
{
	static const char *const names[] = {"ok", "incomplete", "violation", "cycle"};

	return state >= 0 && state <= RL_SKEW_PAIR_CYCLE ? names[state] : "violation";
}
