/*
 * stats/ovh-acc.c - the overhead accumulator: named series of exact samples.
 *
 * A series is the samples of one event in one group (and cpu): exact int64
 * values with their discard counters (enum rl_discard). Any source feeds
 * it: the Feather-Trace walker (stats/ft-pairs.c) hands over whole walks,
 * the Linux latency and Xen analyses push one sample at a time. Samples are
 * kept in memory in chunks up to the memory budget of the options
 * (mem_budget) and written, whole chunks in order, to an unlinked temporary
 * file beyond it, so that memory stays within the budget; while only
 * statistics are wanted and a series' range is narrow, exact per-value
 * counts replace the samples. Groups carry key=value columns (from file
 * names, or given) that order the output. Statistics follow
 * ft-compute-stats: numpy's linear percentiles from exact integers, by
 * counting where the range is small and by radix sort otherwise.
 */
#include "ovh-local.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define OVH_DEFAULT_BUDGET (256ull << 20)

/* A chunk of a series in the temporary file. */
struct ovh_ext {
	uint64_t off; /* byte offset */
	uint64_t n;   /* samples */
};

/* A chunk of a series' sample log: in memory, or (v NULL) in the temporary file at @off. */
struct ovh_lchunk {
	int64_t *v;
	uint8_t *st;
	uint64_t n, off;
};

struct ovh_series {
	uint64_t key;
	struct rl_discard_counts discard;
	struct ovh_seg *segs; /* in-memory parts, in file order */
	uint32_t nsegs, cap_segs;
	uint64_t nmem, nspill; /* samples in segments / in the temporary file (after them) */
	struct ovh_ext *ext;   /* the spilled chunks, in order */
	uint32_t next, cap_ext;
	uint64_t *cnt; /* count_only: exact per-value counts over [base, base + range) */
	int64_t base;
	uint64_t range, ncnt;
	uint32_t group;
	int cpu;
	unsigned event;
	struct ovh_lser *direct; /* samples pushed with rl_ovh_push(), not yet merged */
	struct ovh_lchunk *log;	 /* log_samples: every sample in the order judged */
	uint32_t nlog, cap_log;
};

struct ovh_group {
	char *label;
	char **kv; /* key, value, key, value...: the group's columns */
	uint32_t nkv;
	int hidden; /* left out of every output */
	uint64_t irq_hist[2][2][32];
};

struct rl_ovh {
	struct rl_ovh_opts o;
	struct ovh_series *ser;
	uint32_t nser, cap_ser;
	uint32_t *map; /* open addressing: series index + 1 */
	uint32_t map_cap;
	struct ovh_group *groups;
	uint32_t ngroups, cap_groups;
	uint32_t *order;    /* output order, built lazily */
	FILE *spill;	    /* temporary file of the chunks beyond the budget, or NULL */
	uint64_t spill_off; /* its size */
	uint64_t nspilled;  /* chunks written to it */
	uint64_t mem_used;  /* bytes of samples in memory segments */
	uint64_t log_mem;   /* bytes of the sample logs in memory (a budget of their own) */
	int log_nomem;	    /* rl_ovh_discard() could not log a sample */
	int64_t *scratch, *scratch2; /* reused by the statistics */
	uint64_t cap_scratch;
	uint32_t nvisible; /* series in the output order */
	int any_want;
};

/* Large sample arrays: ask for huge pages (fewer page faults); a hint only. */
static void ovh_hugepages(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	uintptr_t a = ((uintptr_t)p + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1);

	if (len >= (4u << 20) && a + (2u << 20) <= (uintptr_t)p + len)
		madvise((void *)a, ((uintptr_t)p + len - a) & ~(uintptr_t)((2u << 20) - 1),
			MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

#define OVH_CHUNK_MAX (1u << 20) /* samples per chunk: 8 MiB */

/* Start a new chunk (the full one is kept as is): sizes 1 Ki .. 1 Mi samples. */
static int ovh_lser_grow(struct ovh_lser *s)
{
	uint64_t ncap = s->cap ? s->cap * 2 : 1024;
	int64_t *nv;

	if (ncap > OVH_CHUNK_MAX)
		ncap = OVH_CHUNK_MAX;
	if (s->n) {
		if (rl_grow((void **)&s->full, &s->cap_full, s->nfull + 1, sizeof(*s->full)))
			return -RL_E_NOMEM;
		s->full[s->nfull].v = s->v;
		s->full[s->nfull++].n = s->n;
		s->v = NULL;
		s->n = 0;
	}
	nv = malloc(ncap * sizeof(int64_t));
	if (!nv)
		return -RL_E_NOMEM;
	free(s->v);
	s->v = nv;
	s->cap = ncap;
	ovh_hugepages(nv, ncap * sizeof(int64_t));
	return 0;
}

#define OVH_COUNT_MAX (1u << 22) /* widest value range kept as counts */

/* Stop counting: the counted samples become stored samples (in value order). */
static int ovh_lser_uncount(struct ovh_lser *s)
{
	uint64_t k, c;

	s->counting = 0;
	if (!s->cnt)
		return 0;
	for (k = 0; k < s->range; k++)
		for (c = 0; c < s->cnt[k]; c++) {
			if (s->n == s->cap && ovh_lser_grow(s) < 0)
				return -RL_E_NOMEM;
			s->v[s->n++] = s->base + (int64_t)k;
		}
	free(s->cnt);
	s->cnt = NULL;
	s->ncnt = 0;
	return 0;
}

/**
 * rl_ovh_lser_push_slow() - add a sample that the counted range does not cover
 * @s: a walk's series
 * @v: the sample
 *
 * Widen the counted range to take @v, or fall back to storing samples: the
 * counts may not take much more memory than the samples would (a range up
 * to 64 Ki values, or 8 counters per sample so far, and never beyond
 * OVH_COUNT_MAX).
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_ovh_lser_push_slow(struct ovh_lser *s, int64_t v)
{
	if (s->counting) {
		/* saturated near the ends of int64 (hostile samples) */
		int64_t lo = s->cnt		    ? s->base
			     : v < INT64_MIN + 1024 ? INT64_MIN
						    : v - 1024,
			hi = s->cnt		    ? s->base + (int64_t)s->range
			     : v > INT64_MAX - 3072 ? INT64_MAX
						    : v + 3072;
		uint64_t nr, have = 0, k;
		uint32_t *nc;

		if (v > INT64_MIN / 4 && v < INT64_MAX / 4 &&
		    (!s->cnt || (lo > INT64_MIN / 4 && hi < INT64_MAX / 4))) {
			if (v < lo)
				lo = v - (hi - lo);
			if (v >= hi)
				hi = v + 1 + (hi - lo);
			nr = (uint64_t)(hi - lo);
			for (k = 0; s->cnt && nr > 65536 && k < s->range; k++)
				have += s->cnt[k];
			if (nr <= OVH_COUNT_MAX && (nr <= 65536 || nr <= 8 * have)) {
				nc = calloc(nr, sizeof(*nc));
				if (!nc)
					return -RL_E_NOMEM;
				if (s->cnt)
					memcpy(nc + (s->base - lo), s->cnt, s->range * sizeof(*nc));
				free(s->cnt);
				s->cnt = nc;
				s->base = lo;
				s->range = nr;
				s->cnt[v - lo]++;
				return 0;
			}
		}
		if (ovh_lser_uncount(s) < 0) /* too wide: store the samples */
			return -RL_E_NOMEM;
	}
	if (s->n == s->cap && ovh_lser_grow(s) < 0)
		return -RL_E_NOMEM;
	s->v[s->n++] = v;
	return 0;
}

#define OVH_LOG_CHUNK_MAX (1u << 20) /* logged samples per chunk: 9 MiB */

/**
 * rl_ovh_lser_log_grow() - start a new chunk of a walk's sample log
 * @s: a walk's series (log_samples)
 *
 * The full chunk is kept as is (sizes 1 Ki .. 1 Mi samples).
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_ovh_lser_log_grow(struct ovh_lser *s)
{
	uint64_t ncap = s->lcap ? s->lcap * 2 : 1024;
	struct ovh_logc c = {NULL, NULL, 0};

	if (ncap > OVH_LOG_CHUNK_MAX)
		ncap = OVH_LOG_CHUNK_MAX;
	if (s->lcur.n) {
		if (rl_grow((void **)&s->lfull, &s->cap_lfull, s->nlfull + 1, sizeof(*s->lfull)))
			return -RL_E_NOMEM;
		s->lfull[s->nlfull++] = s->lcur;
		s->lcur = c;
	}
	c.v = malloc(ncap * sizeof(*c.v));
	c.st = malloc(ncap);
	if (!c.v || !c.st) {
		free(c.v);
		free(c.st);
		return -RL_E_NOMEM;
	}
	free(s->lcur.v);
	free(s->lcur.st);
	s->lcur = c;
	s->lcap = ncap;
	return 0;
}

/**
 * rl_ovh_lser_free() - free a walk's series
 * @s: the series (NULL is a no-op)
 */
void rl_ovh_lser_free(struct ovh_lser *s)
{
	uint32_t c;

	if (!s)
		return;
	for (c = 0; c < s->nfull; c++)
		free(s->full[c].v);
	for (c = 0; c < s->nlfull; c++) {
		free(s->lfull[c].v);
		free(s->lfull[c].st);
	}
	free(s->lfull);
	free(s->lcur.v);
	free(s->lcur.st);
	free(s->full);
	free(s->cnt);
	free(s->v);
	free(s);
}

/* ----------------------------------------------------------- accumulator */

/**
 * rl_ovh_schema() - how the events and discard reasons of an accumulator are named
 * @h: the accumulator
 *
 * Return: its schema (Feather-Trace's unless the options gave another).
 */
const struct rl_ovh_schema *rl_ovh_schema(const struct rl_ovh *h)
{
	return h->o.schema;
}

/**
 * rl_ovh_new() - an empty overhead accumulator
 * @o:   options (copied)
 * @err: error out
 *
 * Return: the accumulator, or NULL with @err set.
 */
struct rl_ovh *rl_ovh_new(const struct rl_ovh_opts *o, struct rl_err *err)
{
	struct rl_ovh *h = calloc(1, sizeof(*h));
	int i;

	if (!h) {
		rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		return NULL;
	}
	h->o = *o;
	if (!h->o.schema)
		h->o.schema = &rl_ovh_schema_ft;
	if (!h->o.mem_budget)
		h->o.mem_budget = OVH_DEFAULT_BUDGET;
	for (i = 0; i < 256; i++)
		h->any_want |= o->want[i];
	return h;
}

/**
 * rl_ovh_free() - free an accumulator
 * @h: the accumulator (NULL is a no-op)
 */
void rl_ovh_free(struct rl_ovh *h)
{
	uint32_t i, j;

	if (!h)
		return;
	for (i = 0; i < h->nser; i++) {
		for (j = 0; j < h->ser[i].nsegs; j++)
			free(h->ser[i].segs[j].v);
		free(h->ser[i].segs);
		free(h->ser[i].cnt);
		free(h->ser[i].ext);
		rl_ovh_lser_free(h->ser[i].direct);
		for (j = 0; j < h->ser[i].nlog; j++) {
			free(h->ser[i].log[j].v);
			free(h->ser[i].log[j].st);
		}
		free(h->ser[i].log);
	}
	for (i = 0; i < h->ngroups; i++) {
		free(h->groups[i].label);
		for (j = 0; j < h->groups[i].nkv; j++)
			free(h->groups[i].kv[j]);
		free(h->groups[i].kv);
	}
	free(h->ser);
	free(h->map);
	free(h->groups);
	free(h->order);
	free(h->scratch);
	free(h->scratch2);
	if (h->spill)
		fclose(h->spill);
	free(h);
}

/* Append one column (copies of @k and the first @vl bytes of @v) to group @g. */
static int ovh_group_add_kv(struct ovh_group *g, const char *k, size_t kl, const char *v, size_t vl)
{
	char **nkv = realloc(g->kv, (g->nkv + 2) * sizeof(*g->kv));

	if (!nkv)
		return -RL_E_NOMEM;
	g->kv = nkv;
	g->kv[g->nkv] = strndup(k, kl);
	g->kv[g->nkv + 1] = strndup(v, vl);
	if (!g->kv[g->nkv] || !g->kv[g->nkv + 1]) {
		free(g->kv[g->nkv]);
		free(g->kv[g->nkv + 1]);
		return -RL_E_NOMEM;
	}
	g->nkv += 2;
	return 0;
}

static int ovh_group_append(struct rl_ovh *h, char *label)
{
	if (!label || h->ngroups >= UINT32_MAX - 1 ||
	    rl_grow_zero((void **)&h->groups, &h->cap_groups, h->ngroups + 1, sizeof(*h->groups))) {
		free(label);
		return -RL_E_NOMEM;
	}
	h->groups[h->ngroups].label = label;
	return (int)h->ngroups++;
}

/**
 * rl_ovh_group() - find or create a file group
 * @h:     the accumulator
 * @label: its label (the file-name keys that are not combined)
 * @err:   error out
 *
 * The key=value parts of the label ("k1=v1_k2=v2") become the group's columns.
 *
 * Return: the group index, or a negative RL_E_* code.
 */
int rl_ovh_group(struct rl_ovh *h, const char *label, struct rl_err *err)
{
	const char *p = label;
	uint32_t i;
	int g;

	for (i = 0; i < h->ngroups; i++)
		if (!strcmp(h->groups[i].label, label))
			return (int)i;
	g = ovh_group_append(h, strdup(label));
	if (g < 0)
		goto nomem;
	while (*p) {
		const char *e = strchr(p, '_'), *eq;
		size_t pl = e ? (size_t)(e - p) : strlen(p);

		eq = memchr(p, '=', pl);
		if (eq && eq > p &&
		    ovh_group_add_kv(&h->groups[g], p, (size_t)(eq - p), eq + 1,
				     pl - (size_t)(eq - p) - 1))
			goto nomem;
		if (!e)
			break;
		p = e + 1;
	}
	return g;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot add a file group");
}

/**
 * rl_ovh_group_set() - give a group new columns
 * @h:    the accumulator
 * @g:    group index
 * @n:    number of columns
 * @keys: their names
 * @vals: their values (',', '"' and control characters become '?', so that
 *        CSV cells stay whole)
 * @err:  error out
 *
 * The label (the group cell of sample and CDF outputs) becomes "k1=v1_k2=v2".
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_group_set(struct rl_ovh *h, uint32_t g, unsigned n, const char *const *keys,
		     const char *const *vals, struct rl_err *err)
{
	struct ovh_group *gr = &h->groups[g];
	size_t len = 1, o = 0;
	char *label, *c;
	unsigned i;

	for (i = 0; i < n; i++)
		len += strlen(keys[i]) + strlen(vals[i]) + 2;
	label = malloc(len);
	if (!label)
		goto nomem;
	label[0] = 0;
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(label + o, "%s%s=%s", i ? "_" : "", keys[i], vals[i]);
	for (c = label; *c; c++)
		if (*c == ',' || *c == '"' || (unsigned char)*c < 0x20)
			*c = '?';
	free(gr->label);
	gr->label = label;
	for (i = 0; i < gr->nkv; i++)
		free(gr->kv[i]);
	gr->nkv = 0;
	for (i = 0, c = label; i < n; i++) {
		size_t kl = strlen(keys[i]), vl = strlen(vals[i]);

		if (ovh_group_add_kv(gr, c, kl, c + kl + 1, vl))
			goto nomem;
		c += kl + vl + 2;
	}
	free(h->order); /* the order may depend on the columns */
	h->order = NULL;
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot set group columns");
}

/**
 * rl_ovh_group_new() - a new group with the given columns
 * @h:    the accumulator
 * @n:    number of columns
 * @keys: their names
 * @vals: their values
 * @err:  error out
 *
 * Unlike rl_ovh_group(), equal columns do not mean the same group.
 *
 * Return: the group index, or a negative RL_E_* code.
 */
int rl_ovh_group_new(struct rl_ovh *h, unsigned n, const char *const *keys, const char *const *vals,
		     struct rl_err *err)
{
	int g = ovh_group_append(h, strdup(""));

	if (g < 0)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot add a group");
	if (rl_ovh_group_set(h, (uint32_t)g, n, keys, vals, err) < 0)
		return err->code;
	return g;
}

/**
 * rl_ovh_group_ncols() - number of columns of a group
 * @h: the accumulator
 * @g: group index
 *
 * Return: the count.
 */
unsigned rl_ovh_group_ncols(const struct rl_ovh *h, uint32_t g)
{
	return g < h->ngroups ? h->groups[g].nkv / 2 : 0;
}

/**
 * rl_ovh_group_col() - one column of a group
 * @h:   the accumulator
 * @g:   group index
 * @i:   column (< rl_ovh_group_ncols())
 * @val: set to its value
 *
 * Return: its name.
 */
const char *rl_ovh_group_col(const struct rl_ovh *h, uint32_t g, unsigned i, const char **val)
{
	*val = h->groups[g].kv[2 * i + 1];
	return h->groups[g].kv[2 * i];
}

/**
 * rl_ovh_group_value() - the value of a group's column
 * @h:   the accumulator
 * @g:   group index
 * @key: column name
 *
 * Return: the value of its first column called @key, or NULL.
 */
const char *rl_ovh_group_value(const struct rl_ovh *h, uint32_t g, const char *key)
{
	uint32_t i;

	for (i = 0; g < h->ngroups && i < h->groups[g].nkv; i += 2)
		if (!strcmp(h->groups[g].kv[i], key))
			return h->groups[g].kv[i + 1];
	return NULL;
}

/**
 * rl_ovh_group_hide() - leave a group's series out of every output
 * @h: the accumulator
 * @g: group index
 */
void rl_ovh_group_hide(struct rl_ovh *h, uint32_t g)
{
	if (g < h->ngroups && !h->groups[g].hidden) {
		h->groups[g].hidden = 1;
		free(h->order);
		h->order = NULL;
	}
}

static uint64_t ovh_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static int ovh_map_grow(struct rl_ovh *h)
{
	uint32_t ncap = h->map_cap ? h->map_cap * 2 : 64, i;
	uint32_t *nm = calloc(ncap, sizeof(*nm));

	if (!nm)
		return -RL_E_NOMEM;
	for (i = 0; i < h->nser; i++) {
		uint64_t p = ovh_hash(h->ser[i].key) & (ncap - 1);

		while (nm[p])
			p = (p + 1) & (ncap - 1);
		nm[p] = i + 1;
	}
	free(h->map);
	h->map = nm;
	h->map_cap = ncap;
	return 0;
}

/* Series index of (group, event, cpu), created on first use; -1 on ENOMEM. */
static int64_t ovh_series_of(struct rl_ovh *h, uint32_t group, unsigned event, int cpu)
{
	uint64_t key = ((uint64_t)group << 24) | ((uint64_t)(cpu + 1) << 8) | event, p;
	struct ovh_series *s;

	if ((h->nser + 1) * 2 > h->map_cap && ovh_map_grow(h))
		return -1;
	p = ovh_hash(key) & (h->map_cap - 1);
	while (h->map[p]) {
		if (h->ser[h->map[p] - 1].key == key)
			return h->map[p] - 1;
		p = (p + 1) & (h->map_cap - 1);
	}
	if (h->nser == UINT32_MAX - 1 ||
	    rl_grow_zero((void **)&h->ser, &h->cap_ser, h->nser + 1, sizeof(*h->ser)))
		return -1;
	s = &h->ser[h->nser];
	s->key = key;
	s->group = group;
	s->cpu = cpu;
	s->event = event;
	h->map[p] = h->nser + 1;
	free(h->order);
	h->order = NULL;
	return h->nser++;
}

/* The temporary file of the chunks beyond the budget, created on first use. */
static int ovh_spill_open(struct rl_ovh *h, struct rl_err *err)
{
	if (!h->spill) {
		h->spill = tmpfile();
		if (!h->spill)
			return rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE,
					  "cannot create a temporary file for samples beyond the "
					  "memory budget of %llu bytes",
					  (unsigned long long)h->o.mem_budget);
	}
	return 0;
}

/* Series @si takes over the full chunk @sg: kept in memory, or spilled beyond the budget. */
static int ovh_take_seg(struct rl_ovh *h, uint32_t si, struct ovh_seg *sg, struct rl_err *err)
{
	struct ovh_series *s = &h->ser[si];

	if (!s->nspill && h->mem_used + sg->n * sizeof(int64_t) <= h->o.mem_budget) {
		if (rl_grow((void **)&s->segs, &s->cap_segs, s->nsegs + 1, sizeof(*s->segs)))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		s->segs[s->nsegs++] = *sg; /* taken over */
		s->nmem += sg->n;
		h->mem_used += sg->n * sizeof(int64_t);
		sg->v = NULL;
		return 0;
	}
	/* over the budget: this series continues in the temporary file */
	if (ovh_spill_open(h, err) < 0)
		return err->code;
	if (rl_grow((void **)&s->ext, &s->cap_ext, s->next + 1, sizeof(*s->ext)))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	if (fseeko(h->spill, (off_t)h->spill_off, SEEK_SET) ||
	    fwrite(sg->v, sizeof(int64_t), sg->n, h->spill) != sg->n)
		return rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE,
				  "cannot write samples to the temporary file (disk full?)");
	s->ext[s->next].off = h->spill_off;
	s->ext[s->next++].n = sg->n;
	h->spill_off += sg->n * sizeof(int64_t);
	h->nspilled++;
	s->nspill += sg->n;
	return 0;
}

/*
 * Series @si's log takes over the full log chunk @c: kept in memory within
 * the budget (counted apart from the samples', so that the statistics'
 * path does not depend on it), else written to the temporary file.
 */
static int ovh_take_log(struct rl_ovh *h, uint32_t si, struct ovh_logc *c, struct rl_err *err)
{
	struct ovh_series *s = &h->ser[si];
	struct ovh_lchunk *lc;
	uint64_t bytes = c->n * (sizeof(int64_t) + 1);

	if (rl_grow((void **)&s->log, &s->cap_log, s->nlog + 1, sizeof(*s->log)))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	lc = &s->log[s->nlog];
	lc->n = c->n;
	lc->off = 0;
	if (h->log_mem + bytes <= h->o.mem_budget) {
		lc->v = c->v; /* taken over */
		lc->st = c->st;
		c->v = NULL;
		c->st = NULL;
		h->log_mem += bytes;
		s->nlog++;
		return 0;
	}
	if (ovh_spill_open(h, err) < 0)
		return err->code;
	if (fseeko(h->spill, (off_t)h->spill_off, SEEK_SET) ||
	    fwrite(c->v, sizeof(int64_t), c->n, h->spill) != c->n ||
	    fwrite(c->st, 1, c->n, h->spill) != c->n)
		return rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE,
				  "cannot write samples to the temporary file (disk full?)");
	lc->v = NULL;
	lc->st = NULL;
	lc->off = h->spill_off;
	h->spill_off += bytes;
	h->nspilled++;
	s->nlog++;
	return 0;
}

/* Hand the log of @ls to series @si, in order (@ls's log is left empty). */
static int ovh_merge_log(struct rl_ovh *h, struct ovh_lser *ls, uint32_t si, struct rl_err *err)
{
	uint32_t c;
	int r = 0;

	if (ls->lcur.n && rl_ovh_lser_log_grow(ls) < 0) /* the current chunk joins the full ones */
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	for (c = 0; c < ls->nlfull; c++) {
		if (!r)
			r = ovh_take_log(h, si, &ls->lfull[c], err);
		free(ls->lfull[c].v); /* NULL when taken over */
		free(ls->lfull[c].st);
	}
	ls->nlfull = 0;
	return r;
}

/* Hand the samples, counts and discards of @ls to series @si (@ls is left empty). */
static int ovh_merge_lser(struct rl_ovh *h, struct ovh_lser *ls, uint32_t si, struct rl_err *err)
{
	struct ovh_series *s = &h->ser[si];
	uint32_t c;

	rl_discard_merge(&s->discard, &ls->discard);
	if (ls->logging && ovh_merge_log(h, ls, si, err) < 0)
		return err->code;
	if (ls->cnt) {
		uint64_t q2;

		for (q2 = 0, ls->ncnt = 0; q2 < ls->range; q2++)
			ls->ncnt += ls->cnt[q2];
	}
	if (ls->cnt && ls->ncnt && s->cnt) {
		int64_t a0 = s->base < ls->base ? s->base : ls->base;
		int64_t a1 = s->base + (int64_t)s->range > ls->base + (int64_t)ls->range
				     ? s->base + (int64_t)s->range
				     : ls->base + (int64_t)ls->range;
		uint64_t span = (uint64_t)(a1 - a0);

		/* far apart: this file's counts become samples instead */
		if (span > OVH_COUNT_MAX || span > 8 * (s->ncnt + ls->ncnt) + 65536) {
			if (ovh_lser_uncount(ls) < 0)
				goto nomem;
		}
	}
	if (ls->cnt && ls->ncnt) {
		int64_t lo = s->cnt ? (s->base < ls->base ? s->base : ls->base) : ls->base;
		int64_t hi = ls->base + (int64_t)ls->range, shi = s->base + (int64_t)s->range;
		uint64_t nr, q;
		uint64_t *nc;

		if (s->cnt && shi > hi)
			hi = shi;
		nr = (uint64_t)(hi - lo);
		if (!s->cnt || lo != s->base || nr != s->range) {
			nc = calloc(nr, sizeof(*nc));
			if (!nc)
				goto nomem;
			if (s->cnt)
				memcpy(nc + (s->base - lo), s->cnt, s->range * sizeof(*nc));
			free(s->cnt);
			s->cnt = nc;
			s->base = lo;
			s->range = nr;
		}
		for (q = 0; q < ls->range; q++)
			s->cnt[(uint64_t)(ls->base - lo) + q] += ls->cnt[q];
		s->ncnt += ls->ncnt;
	}
	if (ls->n && ovh_lser_grow(ls) < 0) /* the current chunk joins the full ones */
		goto nomem;
	for (c = 0; c < ls->nfull; c++)
		if (ovh_take_seg(h, si, &ls->full[c], err) < 0)
			return err->code;
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
}

/**
 * rl_ovh_opts_get() - the options an accumulator was made with
 * @h: the accumulator
 *
 * Return: its options (the defaults filled in).
 */
const struct rl_ovh_opts *rl_ovh_opts_get(const struct rl_ovh *h)
{
	return &h->o;
}

/**
 * rl_ovh_take_walk() - hand the series of one walk to the accumulator
 * @h:        the accumulator
 * @group:    the group of the walked file
 * @irq_hist: its irq_count histogram of SEND_*_END records, added to the group's
 * @first:    its series, linked by ->next (left empty, still owned by the caller)
 * @err:      error out
 *
 * Walks are taken in file order (the call order), which makes the sample
 * order of every series independent of how many threads walked.
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_take_walk(struct rl_ovh *h, uint32_t group, uint64_t irq_hist[2][2][32],
		     struct ovh_lser *first, struct rl_err *err)
{
	struct ovh_group *g = &h->groups[group];
	struct ovh_lser *ls;
	unsigned k, a, b;

	for (a = 0; a < 2; a++)
		for (b = 0; b < 2; b++)
			for (k = 0; k < 32; k++)
				g->irq_hist[a][b][k] += irq_hist[a][b][k];
	for (ls = first; ls; ls = ls->next) {
		int64_t si = ovh_series_of(h, group, ls->event, ls->cpu);

		if (si < 0)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		if (ovh_merge_lser(h, ls, (uint32_t)si, err) < 0)
			return err->code;
	}
	return 0;
}

/**
 * rl_ovh_series_at() - the series of (group, event, cpu), for rl_ovh_push()
 * @h:     the accumulator
 * @group: group index
 * @event: event id (0..255, named by the schema)
 * @cpu:   cpu (0..65534), or -1 for all
 * @err:   error out
 *
 * Return: the series handle (created on first use), or a negative RL_E_* code.
 */
int64_t rl_ovh_series_at(struct rl_ovh *h, uint32_t group, unsigned event, int cpu,
			 struct rl_err *err)
{
	int64_t si;

	if (group >= h->ngroups || event > 255 || cpu < -1 || cpu > 65534)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "no series for group %u event %u cpu %d", group, event, cpu);
	si = ovh_series_of(h, group, event, cpu);
	if (si < 0)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	return si;
}

/**
 * rl_ovh_push() - add one kept sample to a series
 * @h:   the accumulator
 * @si:  series handle from rl_ovh_series_at()
 * @v:   the exact value
 * @err: error out
 *
 * Samples are stored as the Feather-Trace walk stores them (exact counts
 * while a series is narrow and only statistics are wanted; chunks in memory
 * up to the budget, then the temporary file). Call rl_ovh_flush() before
 * reading the series.
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_push(struct rl_ovh *h, uint32_t si, int64_t v, struct rl_err *err)
{
	struct ovh_series *s = &h->ser[si];
	struct ovh_lser *ls = s->direct;
	uint32_t c;

	if (!ls) {
		ls = s->direct = calloc(1, sizeof(*ls));
		if (!ls)
			goto nomem;
		ls->cpu = s->cpu;
		ls->event = s->event;
		ls->counting = h->o.count_only;
		ls->logging = h->o.log_samples;
	}
	if (ovh_lkeep(ls, v) < 0)
		goto nomem;
	if (ls->nfull) { /* a chunk filled up: the series takes it now */
		for (c = 0; c < ls->nfull; c++) {
			int r = ovh_take_seg(h, si, &ls->full[c], err);

			free(ls->full[c].v); /* NULL when taken over */
			ls->full[c].v = NULL;
			if (r < 0)
				return r;
		}
		ls->nfull = 0;
	}
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
}

/**
 * rl_ovh_discard() - count a sample left out of a series
 * @h:      the accumulator
 * @si:     series handle from rl_ovh_series_at()
 * @reason: why (RL_DISCARD_KEEP is ignored)
 */
void rl_ovh_discard(struct rl_ovh *h, uint32_t si, enum rl_discard reason)
{
	struct ovh_series *s = &h->ser[si];

	if (!h->o.log_samples) {
		rl_discard_add(&s->discard, reason);
		return;
	}
	/* logged in order with the pushed samples */
	if (!s->direct) {
		s->direct = calloc(1, sizeof(*s->direct));
		if (s->direct) {
			s->direct->cpu = s->cpu;
			s->direct->event = s->event;
			s->direct->counting = h->o.count_only;
			s->direct->logging = 1;
		}
	}
	rl_discard_add(&s->discard, reason);
	if (!s->direct || ((unsigned)reason < RL_DISCARD_N &&
			   ovh_llog(s->direct, 0, (1u + (unsigned)reason) | OVH_LOG_NOVAL) < 0))
		h->log_nomem = 1; /* sticky: rl_ovh_flush() fails */
}

/**
 * rl_ovh_flush() - merge the samples pushed with rl_ovh_push() into their series
 * @h:   the accumulator
 * @err: error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_flush(struct rl_ovh *h, struct rl_err *err)
{
	uint32_t i;
	int r;

	if (h->log_nomem)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
				  "out of memory while logging discarded samples");
	for (i = 0; i < h->nser; i++) {
		struct ovh_lser *ls = h->ser[i].direct;

		if (!ls)
			continue;
		r = ovh_merge_lser(h, ls, i, err);
		rl_ovh_lser_free(ls);
		h->ser[i].direct = NULL;
		if (r < 0)
			return r;
	}
	return 0;
}

/* Column values: integers by value (before other text), other text by strcmp. */
static int ovh_val_cmp(const char *x, const char *y)
{
	char *ex, *ey;
	long long a = strtoll(x, &ex, 10), b = strtoll(y, &ey, 10);
	int nx = *x && !*ex, ny = *y && !*ey;

	if (nx && ny)
		return (a > b) - (a < b);
	if (nx != ny)
		return nx ? -1 : 1;
	return strcmp(x, y);
}

/* Groups by their columns in order (a missing column first), then by index. */
static int ovh_group_cmp(const struct rl_ovh *h, uint32_t a, uint32_t b)
{
	const struct ovh_group *x = &h->groups[a], *y = &h->groups[b];
	uint32_t i;
	int c;

	for (i = 0; i < x->nkv && i < y->nkv; i += 2) {
		c = strcmp(x->kv[i], y->kv[i]);
		if (!c)
			c = ovh_val_cmp(x->kv[i + 1], y->kv[i + 1]);
		if (c)
			return c;
	}
	if (x->nkv != y->nkv)
		return x->nkv < y->nkv ? -1 : 1;
	return (a > b) - (a < b);
}

static int ovh_order_cmp(const void *a, const void *b, void *arg)
{
	const struct rl_ovh *h = arg;
	const struct ovh_series *x = &h->ser[*(const uint32_t *)a];
	const struct ovh_series *y = &h->ser[*(const uint32_t *)b];

	if (h->o.schema->by_event && x->event != y->event)
		return x->event < y->event ? -1 : 1;
	if (x->group != y->group)
		return h->o.schema->by_event ? ovh_group_cmp(h, x->group, y->group)
					     : (x->group < y->group ? -1 : 1);
	if (x->event != y->event)
		return x->event < y->event ? -1 : 1;
	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

/* The output order (series of hidden groups left out), built lazily: a cache. */
static uint32_t ovh_ordered(const struct rl_ovh *h, uint32_t i)
{
	struct rl_ovh *m = (struct rl_ovh *)h;
	uint32_t k;

	if (!m->order) {
		m->order = malloc((size_t)(m->nser ? m->nser : 1) * sizeof(*m->order));
		if (!m->order)
			return i;
		m->nvisible = 0;
		for (k = 0; k < m->nser; k++)
			if (!m->groups[m->ser[k].group].hidden)
				m->order[m->nvisible++] = k;
		qsort_r(m->order, m->nvisible, sizeof(*m->order), ovh_order_cmp, m);
	}
	return m->order[i];
}

/**
 * rl_ovh_spilled() - how many chunks of samples went to the temporary file
 * @h: the accumulator
 *
 * Return: the number of chunks written beyond the memory budget (0: every
 * sample is in memory).
 */
uint64_t rl_ovh_spilled(const struct rl_ovh *h)
{
	return h->nspilled;
}

/**
 * rl_ovh_nseries() - number of series (event x group [x cpu]) in the output
 * @h: the accumulator
 *
 * Return: the count (series of hidden groups are not counted).
 */
uint32_t rl_ovh_nseries(const struct rl_ovh *h)
{
	if (!h->nser)
		return 0;
	ovh_ordered(h, 0);
	return h->order ? h->nvisible : h->nser;
}

/**
 * rl_ovh_ngroups() - number of file groups
 * @h: the accumulator
 *
 * Return: the count.
 */
uint32_t rl_ovh_ngroups(const struct rl_ovh *h)
{
	return h->ngroups;
}

/**
 * rl_ovh_group_label() - the label of a group
 * @h: the accumulator
 * @g: group index
 *
 * Return: the label.
 */
const char *rl_ovh_group_label(const struct rl_ovh *h, uint32_t g)
{
	return g < h->ngroups ? h->groups[g].label : "";
}

/**
 * rl_ovh_series() - describe a series
 * @h:  the accumulator
 * @i:  position in output order (< rl_ovh_nseries())
 * @si: output
 */
void rl_ovh_series(const struct rl_ovh *h, uint32_t i, struct rl_ovh_series_info *si)
{
	const struct ovh_series *s = &h->ser[ovh_ordered(h, i)];

	si->group = s->group;
	si->cpu = s->cpu;
	si->event = s->event;
	si->n = s->nmem + s->nspill + s->ncnt;
	si->discard = s->discard;
}

/* Read the spilled chunks of @s back into @v, in order. */
static int ovh_unspill(struct rl_ovh *h, const struct ovh_series *s, int64_t *v, struct rl_err *err)
{
	uint32_t k;

	for (k = 0; k < s->next; k++) {
		if (fseeko(h->spill, (off_t)s->ext[k].off, SEEK_SET) ||
		    fread(v, sizeof(int64_t), s->ext[k].n, h->spill) != s->ext[k].n)
			return rl_err_set(err, -RL_E_IO, NULL, s->ext[k].off,
					  "cannot read samples back from the temporary file");
		v += s->ext[k].n;
	}
	return 0;
}

/* Gather series @idx into h->scratch (valid until the next call). */
static int ovh_gather(struct rl_ovh *h, uint32_t idx, int64_t **v, uint64_t *n, struct rl_err *err)
{
	struct ovh_series *s = &h->ser[idx];
	uint64_t total = s->nmem + s->nspill + s->ncnt, o = 0, q, c2;
	uint32_t k;
	int r;

	if (total > SIZE_MAX / sizeof(int64_t))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "too many samples");
	if (total > h->cap_scratch) {
		free(h->scratch);
		free(h->scratch2);
		h->scratch = malloc(total * sizeof(int64_t));
		h->scratch2 = malloc(total * sizeof(int64_t));
		h->cap_scratch = h->scratch && h->scratch2 ? total : 0;
		if (h->cap_scratch) {
			ovh_hugepages(h->scratch, total * sizeof(int64_t));
			ovh_hugepages(h->scratch2, total * sizeof(int64_t));
		}
		if (!h->cap_scratch)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
					  "cannot allocate %llu samples",
					  (unsigned long long)total);
	}
	for (k = 0; k < s->nsegs; k++) {
		memcpy(h->scratch + o, s->segs[k].v, s->segs[k].n * sizeof(int64_t));
		o += s->segs[k].n;
	}
	for (q = 0; s->cnt && q < s->range; q++) /* counted samples, in value order */
		for (c2 = 0; c2 < s->cnt[q]; c2++)
			h->scratch[o++] = s->base + (int64_t)q;
	if (s->nspill) {
		r = ovh_unspill(h, s, h->scratch + o, err);
		if (r < 0)
			return r;
		o += s->nspill;
	}
	*v = h->scratch;
	*n = o;
	return 0;
}

/**
 * rl_ovh_samples() - the kept samples of a series, in file order
 * @h:   the accumulator
 * @i:   position in output order
 * @v:   set to a malloc'ed array (the caller frees it)
 * @n:   set to its length
 * @err: error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_samples(struct rl_ovh *h, uint32_t i, int64_t **v, uint64_t *n, struct rl_err *err)
{
	int64_t *p;
	int r;

	*v = NULL;
	*n = 0;
	r = ovh_gather(h, ovh_ordered(h, i), &p, n, err);
	if (r < 0)
		return r;
	*v = malloc((size_t)(*n ? *n : 1) * sizeof(int64_t));
	if (!*v)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
				  "cannot allocate %llu samples", (unsigned long long)*n);
	if (*n)
		memcpy(*v, p, *n * sizeof(int64_t));
	return 0;
}

/**
 * rl_ovh_logging() - whether an accumulator logs every sample
 * @h: the accumulator
 *
 * Return: 1 when it was made with log_samples (rl_ovh_log_each() has them).
 */
int rl_ovh_logging(const struct rl_ovh *h)
{
	return !!h->o.log_samples;
}

/**
 * rl_ovh_log_each() - every logged sample of a series, in the order judged
 * @h:   the accumulator (made with log_samples, flushed)
 * @i:   position in output order
 * @fn:  called per sample (a non-zero return stops the walk and is returned)
 * @arg: its argument
 * @err: error out
 *
 * The order is that of the records that decided each sample (the END of a
 * pair, the START that replaced an unended one, the end of the file), files
 * in the order they were added: it does not depend on the thread count.
 * Kept samples come with exactly the values the statistics use.
 *
 * Return: 0, @fn's non-zero return, or a negative RL_E_* code.
 */
int rl_ovh_log_each(struct rl_ovh *h, uint32_t i, rl_ovh_log_fn fn, void *arg, struct rl_err *err)
{
	const struct ovh_series *s = &h->ser[ovh_ordered(h, i)];
	int64_t *bv = NULL;
	uint8_t *bst = NULL;
	uint64_t idx = 0, j;
	uint32_t k;
	int r = 0;

	for (k = 0; k < s->nlog && !r; k++) {
		const struct ovh_lchunk *c = &s->log[k];
		const int64_t *v = c->v;
		const uint8_t *st = c->st;

		if (!v) { /* spilled: read back (a chunk holds at most OVH_LOG_CHUNK_MAX) */
			if (!bv) {
				bv = malloc(OVH_LOG_CHUNK_MAX * sizeof(*bv));
				bst = malloc(OVH_LOG_CHUNK_MAX);
				if (!bv || !bst) {
					r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
						       "out of memory");
					break;
				}
			}
			if (fseeko(h->spill, (off_t)c->off, SEEK_SET) ||
			    fread(bv, sizeof(int64_t), c->n, h->spill) != c->n ||
			    fread(bst, 1, c->n, h->spill) != c->n) {
				r = rl_err_set(err, -RL_E_IO, NULL, c->off,
					       "cannot read samples back from the temporary file");
				break;
			}
			v = bv;
			st = bst;
		}
		for (j = 0; j < c->n && !r; j++, idx++) {
			unsigned b = st[j] & ~OVH_LOG_NOVAL;

			r = fn(arg, idx, v[j], !(st[j] & OVH_LOG_NOVAL),
			       b == OVH_LOG_KEPT ? RL_DISCARD_KEEP : (enum rl_discard)(b - 1), err);
		}
	}
	free(bv);
	free(bst);
	return r;
}

/**
 * rl_ovh_sorted() - the kept samples of a series, sorted, in scratch memory
 * @h:   the accumulator
 * @i:   position in output order
 * @v:   set to the values (owned by @h, valid until the next call)
 * @n:   set to their number
 * @err: error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_ovh_sorted(struct rl_ovh *h, uint32_t i, int64_t **v, uint64_t *n, struct rl_err *err)
{
	int r = ovh_gather(h, ovh_ordered(h, i), v, n, err);

	if (r < 0)
		return r;
	rl_ovh_sort(*v, h->scratch2, *n);
	return 0;
}

/**
 * rl_ovh_irq_hist() - irq_count distribution of SEND_*_END records
 * @h:     the accumulator
 * @group: group index
 * @xcall: 0 SEND_RESCHED_END, 1 SEND_XCALL_END
 * @flag:  irq_flag
 * @count: irq_count (0..31)
 *
 * Return: the number of such records.
 */
uint64_t rl_ovh_irq_hist(const struct rl_ovh *h, uint32_t group, int xcall, int flag, int count)
{
	if (group >= h->ngroups || count < 0 || count > 31)
		return 0;
	return h->groups[group].irq_hist[!!xcall][!!flag][count];
}

/* ------------------------------------------------------------ statistics */

static int ovh_cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/**
 * rl_ovh_sort() - LSD radix sort of int64 values
 * @v:   values (sorted in place)
 * @tmp: scratch of @n values (NULL: sort with qsort)
 * @n:   count
 *
 * Byte positions where every value agrees are skipped, so small cycle counts
 * take two or three passes.
 */
void rl_ovh_sort(int64_t *v, int64_t *tmp, uint64_t n)
{
	uint64_t(*cnt)[256] = calloc(8, sizeof(*cnt));
	uint64_t i, *src = (uint64_t *)v, *dst = (uint64_t *)tmp, diff = 0;
	int b, act[8], nact = 0;

	if (!cnt || !tmp) {
		free(cnt);
		if (n > 1)
			qsort(v, n, sizeof(*v), ovh_cmp64);
		return;
	}
	if (n < 2) {
		free(cnt);
		return;
	}
	for (i = 1; i < n; i++)
		diff |= src[i] ^ src[0];
	for (b = 0; b < 8; b++)
		if ((diff >> (8 * b)) & 255)
			act[nact++] = b;
	for (i = 0; i < n; i++) {
		uint64_t x = src[i] ^ (1ull << 63);
		int a;

		for (a = 0; a < nact; a++)
			cnt[a][(x >> (8 * act[a])) & 255]++;
	}
	for (b = 0; b < nact; b++) {
		uint64_t sum = 0, c, *t, *ct = cnt[b];
		int j, sh = 8 * act[b];

		for (j = 0; j < 256; j++) {
			c = ct[j];
			ct[j] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			uint64_t x = src[i];

			dst[ct[((x ^ (1ull << 63)) >> sh) & 255]++] = x;
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != (uint64_t *)v)
		memcpy(v, src, n * sizeof(*v));
	free(cnt);
}

/**
 * rl_ovh_stat_compute() - ft-compute-stats' statistics of exact samples
 * @v:  samples (sorted in place)
 * @n:  count
 * @st: output (n = 0 gives zeros, as ft-compute-stats prints)
 */
void rl_ovh_stat_compute(int64_t *v, uint64_t n, struct rl_ovh_stat *st)
{
	int64_t *tmp = n ? malloc(n * sizeof(*tmp)) : NULL;

	rl_ovh_sort(v, tmp, n); /* qsort when tmp is NULL */
	free(tmp);
	rl_ovh_stat_sorted(v, n, st);
}

/**
 * rl_ovh_stat_sorted() - ft-compute-stats' statistics of sorted exact samples
 * @v:  samples, sorted
 * @n:  count
 * @st: output (n = 0 gives zeros)
 *
 * The mean comes from the exact 128-bit sum; the squared deviations are
 * summed in double precision (numpy works in float64 or float32).
 */
void rl_ovh_stat_sorted(const int64_t *v, uint64_t n, struct rl_ovh_stat *st)
{
	__int128 sum = 0;
	double mean, ss = 0, ss2 = 0;
	uint64_t i;

	memset(st, 0, sizeof(*st));
	st->n = st->k = n;
	if (!n)
		return;
	for (i = 0; i < n; i++)
		sum += v[i];
	mean = (double)((long double)sum / (long double)n);
	for (i = 0; i + 1 < n; i += 2) { /* two accumulators: vectorises, less rounding */
		double d0 = (double)v[i] - mean, d1 = (double)v[i + 1] - mean;

		ss += d0 * d0;
		ss2 += d1 * d1;
	}
	if (i < n)
		ss += ((double)v[i] - mean) * ((double)v[i] - mean);
	ss += ss2;
	st->min = v[0];
	st->max = v[n - 1];
	st->mean = mean;
	st->var = ss / (double)n;
	st->std = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
	st->median = rl_quantile_sorted(v, n, 0.5);
	st->p90 = rl_quantile_sorted(v, n, 0.90);
	st->p95 = rl_quantile_sorted(v, n, 0.95);
	st->p99 = rl_quantile_sorted(v, n, 0.99);
	st->p999 = rl_quantile_sorted(v, n, 0.999);
	st->exp_max = (double)st->max;
}

/*
 * Order statistics of ranks @rk from counts; out[j] = value of rank rk[j].
 * The ranks are visited in ascending order: the pairs of neighbouring
 * quantiles overlap when there are few samples (n = 3: median and p90 both
 * need ranks 1 and 2), so the list itself is not sorted.
 */
static void ovh_ranks_from_counts(const uint64_t *cnt, uint64_t range, int64_t base,
				  const uint64_t *rk, int nrk, int64_t *out)
{
	uint64_t cum = 0, v;
	int ord[16], j = 0, a, b;

	for (a = 0; a < nrk && a < 16; a++) /* insertion sort of the rank indices */
		for (ord[a] = a, b = a; b > 0 && rk[ord[b - 1]] > rk[ord[b]]; b--) {
			int t = ord[b];

			ord[b] = ord[b - 1];
			ord[b - 1] = t;
		}
	for (v = 0; v < range && j < nrk; v++) {
		cum += cnt[v];
		while (j < nrk && rk[ord[j]] < cum)
			out[ord[j++]] = base + (int64_t)v;
	}
}

static double ovh_q(const int64_t *val, double h)
{
	/* val[0] = value at floor(h), val[1] = at floor(h) + 1 */
	return (double)val[0] + (h - floor(h)) * (double)(val[1] - val[0]);
}

/**
 * rl_ovh_stat_fast() - statistics of a series without sorting, when its range is small
 * @h:   the accumulator
 * @i:   series position
 * @st:  output
 * @err: error out
 *
 * Cycle counts of one overhead span a few thousand values, so one counting
 * pass over the samples (in place, no copy) gives every order statistic
 * exactly; the definitions are those of rl_ovh_stat_sorted().
 *
 * Return: 1 when @st was filled, 0 when the series needs the sorting path
 * (wide range or spilled samples), or a negative RL_E_* code.
 */
int rl_ovh_stat_fast(struct rl_ovh *h, uint32_t i, struct rl_ovh_stat *st, struct rl_err *err)
{
	static const double qs[5] = {0.5, 0.90, 0.95, 0.99, 0.999};
	struct ovh_series *s = &h->ser[ovh_ordered(h, i)];
	uint64_t n = s->nmem + s->ncnt, range, rk[10], k, j;
	int64_t mn = INT64_MAX, mx = INT64_MIN, val[10];
	const uint64_t *cnt;
	uint64_t *own = NULL;
	__int128 sum = 0;
	double mean, ss = 0, hq[5];
	uint32_t g;

	if (s->nspill || !n)
		return 0;
	for (g = 0; g < s->nsegs; g++) {
		const int64_t *v = s->segs[g].v;

		for (j = 0; j < s->segs[g].n; j++) {
			mn = v[j] < mn ? v[j] : mn;
			mx = v[j] > mx ? v[j] : mx;
		}
	}
	if (s->ncnt) {
		for (k = 0; !s->cnt[k]; k++)
			;
		mn = s->base + (int64_t)k < mn ? s->base + (int64_t)k : mn;
		for (k = s->range - 1; !s->cnt[k]; k--)
			;
		mx = s->base + (int64_t)k > mx ? s->base + (int64_t)k : mx;
	}
	if (!s->nmem) { /* counted only: use the counts in place */
		cnt = s->cnt + (mn - s->base);
		range = (uint64_t)mx - (uint64_t)mn + 1;
	} else {
		/* mx >= mn: the unsigned difference is exact where the signed one overflows */
		if ((uint64_t)mx - (uint64_t)mn >= OVH_COUNT_MAX ||
		    (uint64_t)mx - (uint64_t)mn > 4 * n + 4096)
			return 0;
		range = (uint64_t)mx - (uint64_t)mn + 1;
		own = calloc(range, sizeof(*own));
		if (!own)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		for (g = 0; g < s->nsegs; g++) {
			const int64_t *v = s->segs[g].v;

			for (j = 0; j < s->segs[g].n; j++)
				own[v[j] - mn]++;
		}
		for (k = 0; s->ncnt && k < s->range; k++)
			own[(uint64_t)(s->base - mn) + k] += s->cnt[k];
		cnt = own;
	}
	for (k = 0; k < range; k++)
		sum += (__int128)cnt[k] * (mn + (int64_t)k);
	mean = (double)((long double)sum / (long double)n);
	for (k = 0; k < range; k++)
		if (cnt[k]) {
			double d = (double)(mn + (int64_t)k) - mean;

			ss += (double)cnt[k] * d * d;
		}
	for (k = 0; k < 5; k++) {
		hq[k] = qs[k] * (double)(n - 1);
		rk[2 * k] = (uint64_t)hq[k];
		rk[2 * k + 1] = rk[2 * k] + 1 < n ? rk[2 * k] + 1 : n - 1;
	}
	ovh_ranks_from_counts(cnt, range, mn, rk, 10, val);
	free(own);
	memset(st, 0, sizeof(*st));
	st->n = st->k = n;
	st->min = mn;
	st->max = mx;
	st->mean = mean;
	st->var = ss / (double)n;
	st->std = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
	st->median = ovh_q(val + 0, hq[0]);
	st->p90 = ovh_q(val + 2, hq[1]);
	st->p95 = ovh_q(val + 4, hq[2]);
	st->p99 = ovh_q(val + 6, hq[3]);
	st->p999 = ovh_q(val + 8, hq[4]);
	st->exp_max = (double)mx;
	return 1;
}

/**
 * rl_ovh_expected_max() - exact E[max] of k draws without replacement
 * @v: sorted values
 * @n: count
 * @k: draws (1..n)
 *
 * P(max = v[i-1]) = C(i-1, k-1) / C(n, k) for i = k..n; the terms are
 * produced from i = n downwards by the ratio (i-k)/(i-1). No randomness.
 *
 * Return: the expectation (v[n-1] when k >= n, 0 when k or n is 0).
 */
double rl_ovh_expected_max(const int64_t *v, uint64_t n, uint64_t k)
{
	long double p, e = 0;
	uint64_t i;

	if (!n || !k)
		return 0;
	if (k >= n)
		return (double)v[n - 1];
	p = (long double)k / n;
	for (i = n; i >= k && p > 0; i--) {
		e += p * v[i - 1];
		if (i == k || i == 1)
			break;
		p = p * (i - k) / (i - 1);
	}
	return (double)e;
}

static uint64_t ovh_splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/**
 * rl_ovh_shuffle() - seeded partial Fisher-Yates shuffle
 * @v:    values
 * @n:    count
 * @k:    positions to fill with a uniform random sample (k <= n)
 * @seed: the seed: equal seeds give equal results on every platform
 */
void rl_ovh_shuffle(int64_t *v, uint64_t n, uint64_t k, uint64_t seed)
{
	uint64_t s = seed, i;

	for (i = 0; i < k && i + 1 < n; i++) {
		uint64_t range = n - i, lim = UINT64_MAX - UINT64_MAX % range, x, j;
		int64_t t;

		do
			x = ovh_splitmix(&s);
		while (x >= lim);
		j = i + x % range;
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}
