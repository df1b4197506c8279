/*
 * readers/sched-trace.c - LITMUS^RT sched_trace files (24-byte st_event_record).
 *
 * Record: type u8 @0, cpu u8 @1, pid u16 @2, job u32 @4, payload 16 bytes at
 * 8..23 read as two little-endian u64 words w0 (8..15) and w1 (16..23).
 * Two numberings exist: 2010 kernels have type 10 = SYS_RELEASE and no
 * ACTION; 2016+ kernels have 10 = ACTION, 11 = SYS_RELEASE. The kernel never
 * clears unused payload bytes, so only the fields a type defines are read.
 *
 * Ordering. A file is written in record order, but a RELEASE carries its
 * release time, which may lie in the future (the next job) or the past (a
 * tardy job), and even timed records occasionally go backwards. Each cursor
 * yields its file sorted by (event time, record index), as the LITMUS tools
 * do, in one pass and without holding the file's events: a frontier
 * classifies each record once, ST_WINDOW forward records ahead of the
 * output. Records in time order ("forward") wait in a ring; releases and
 * records older than the running maximum ("backward") wait in a small heap
 * until time reaches them. Recorded kernels put a backward record a few
 * dozen records after the ones it precedes (52 at most in the test data);
 * one that comes more than ST_WINDOW / 2 records too late is yielded at
 * once, and the merge flags it late (RL_W_UNORDERED with its offset).
 *
 * What the open needs before any event (the file's cpu, the numbering, the
 * warnings about bad records, the facts for the mixed-recording checks) is
 * found from the first ST_PREFIX records, and the facts also from the last
 * ST_PREFIX: for a file of up to 2 * ST_PREFIX records that is the whole
 * file, as before. For a longer file the frontier carries the checks along
 * (warnings, the 10 % garbage rule, the exact facts): if the facts of a file
 * set turn out different from the ones checked at open, the checks are made
 * again when the last frontier has seen its whole file.
 */
#include "readers.h"

#include <stdlib.h>
#include <string.h>

#define ST_REC 24

enum st_type {
	ST_NAME = 1,
	ST_PARAM = 2,
	ST_RELEASE = 3,
	ST_ASSIGNED = 4,
	ST_SWITCH_TO = 5,
	ST_SWITCH_AWAY = 6,
	ST_COMPLETION = 7,
	ST_BLOCK = 8,
	ST_RESUME = 9,
	ST_ACTION = 10,	     /* 2016+ */
	ST_SYS_RELEASE = 11, /* 2016+; 10 in 2010 */
	ST_NP_ENTER = 12,
	ST_NP_EXIT = 13,
};

#define ST_MAX_TYPE 13

/* Names as the LITMUS tools print them; [0] stands for any unknown type. */
static const char *const st_type_names[ST_MAX_TYPE + 1] = {
	"UNKNOWN",    "NAME",  "PARAM",	 "RELEASE", "ASSIGNED",	   "SWITCH_TO", "SWITCH_AWAY",
	"COMPLETION", "BLOCK", "RESUME", "ACTION",  "SYS_RELEASE", "NP_ENTER",	"NP_EXIT",
};

struct st_key {
	int64_t key;
	uint32_t idx;
};

/* Records looked at when a file is opened, at its start and at its end. */
#define ST_PREFIX (1u << 16)
/* Forward records classified ahead of the output (a power of two); refilled at half. */
#define ST_WINDOW (1u << 15)

/*
 * What a file tells the checks (b) and (c) of mixed recordings
 * (readers/recording.c): the span of the events its cursor yields, and of
 * its SYS_RELEASE records the first in stream order and the first after it
 * that announces another release time (the two that can conflict first).
 */
struct st_facts {
	struct rl_rec_span span;
	struct rl_rec_release rel[2];
	uint32_t nrel;
};

/* The cursors of one file set: their facts, checked again if a frontier finds others. */
struct st_set {
	struct rl_trace *t;
	struct st_facts *facts; /* per cursor: as checked at open, then as found */
	uint32_t n, ndone, refs;
	int changed;
};

struct st_cursor {
	struct rl_cursor base;
	struct rl_trace *t;
	const uint8_t *buf;
	uint32_t nrec;
	int numbering; /* 2010 or 2016 */
	int fcpu;      /* the file's cpu (majority of the cpu fields of its first records) */
	uint16_t src;
	/* the frontier: records [0, front) are classified */
	uint32_t front;
	uint32_t pend;	     /* records [0, pend) were checked (warned about, counted) at open */
	int64_t wm;	     /* running maximum of the forward timed records */
	int64_t first, last; /* span of the timed records */
	int untimed;	     /* some records are not timed */
	int done;	     /* the frontier has seen the whole file */
	uint64_t ngarb;	     /* garbage records */
	/* indices of the forward records and releases, in order, waiting for the output */
	uint32_t *ring;
	uint32_t rhead, rcount, rsize;
	/* releases and backward records waiting for their time */
	struct st_key *heap;
	uint32_t nheap, cap_heap;
	struct st_facts found; /* SYS_RELEASE facts of the whole file (span at the end) */
	struct st_set *set;    /* NULL for a file alone */
	uint32_t set_i;
	uint32_t names[ST_MAX_TYPE + 1]; /* native record names, [0] = unknown */
	uint8_t cls[256];		 /* STC_* of each raw type byte in this numbering */
	int8_t canon[256];		 /* st_canon() of each raw type byte */
	struct {
		int32_t pid; /* small direct-mapped cache of pid -> task lookups */
		uint32_t task;
	} pcache[64];
	const struct rl_input *in;
	size_t dropped; /* bytes before this were handed back to the kernel */
};

static inline uint16_t st_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t st_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t st_le64(const uint8_t *p)
{
	return (uint64_t)st_le32(p) | ((uint64_t)st_le32(p + 4) << 32);
}

/* Canonical type (2016 numbering) of a raw type byte, 0 if invalid. */
static int st_canon(int numbering, unsigned raw)
{
	if (raw == 0 || raw > ST_MAX_TYPE)
		return 0;
	if (numbering == 2010) {
		if (raw == 10)
			return ST_SYS_RELEASE;
		if (raw >= 11)
			return -(int)raw; /* unknown in 2010 numbering */
	}
	return (int)raw;
}

/* What a raw type byte is in a cursor's numbering (its cls[] table). */
#define STC_VALID 0x01	 /* a sched_trace type: not garbage */
#define STC_TIMED 0x02	 /* RELEASE and up: ordered by its first payload word */
#define STC_RELEASE 0x04 /* RELEASE: may be dated in the future */
#define STC_SYSREL 0x08	 /* SYS_RELEASE */
#define STC_UNKNOWN 0x10 /* a type this numbering does not have (carried, untimed) */
#define STC_PLAIN 0x20	 /* types 1..9: the same in both numberings, nothing to note */

/* Read @c's records in @numbering: the tables behind st_classify() and st_decode(). */
static void st_set_numbering(struct st_cursor *c, int numbering)
{
	unsigned raw;

	c->numbering = numbering;
	for (raw = 0; raw < 256; raw++) {
		int canon = st_canon(numbering, raw);
		uint8_t cl = 0;

		if (canon)
			cl |= STC_VALID;
		if (canon < 0)
			cl |= STC_UNKNOWN;
		if (canon >= ST_RELEASE)
			cl |= STC_TIMED;
		if (canon == ST_RELEASE)
			cl |= STC_RELEASE;
		if (canon == ST_SYS_RELEASE)
			cl |= STC_SYSREL;
		if (canon > 0 && raw < 10)
			cl |= STC_PLAIN;
		c->cls[raw] = cl;
		c->canon[raw] = (int8_t)canon;
	}
}

static int st_key_less(const struct st_key *a, const struct st_key *b)
{
	return a->key < b->key || (a->key == b->key && a->idx < b->idx);
}

static int st_heap_push(struct st_cursor *c, struct st_key k)
{
	uint32_t i;

	if (c->nheap == c->cap_heap &&
	    rl_grow((void **)&c->heap, &c->cap_heap, c->nheap + 1, sizeof(*c->heap)))
		return -RL_E_NOMEM;
	i = c->nheap++;
	while (i) {
		uint32_t p = (i - 1) / 2;

		if (!st_key_less(&k, &c->heap[p]))
			break;
		c->heap[i] = c->heap[p];
		i = p;
	}
	c->heap[i] = k;
	return 0;
}

static struct st_key st_heap_pop(struct st_cursor *c)
{
	struct st_key top = c->heap[0], x = c->heap[--c->nheap];
	uint32_t i = 0, n = c->nheap;

	for (;;) {
		uint32_t l = 2 * i + 1, m;

		if (l >= n)
			break;
		m = (l + 1 < n && st_key_less(&c->heap[l + 1], &c->heap[l])) ? l + 1 : l;
		if (!st_key_less(&c->heap[m], &x))
			break;
		c->heap[i] = c->heap[m];
		i = m;
	}
	if (n)
		c->heap[i] = x;
	return top;
}

/* The task of @pid (0: none), through a small direct-mapped cache. */
static inline uint32_t st_task_of(struct st_cursor *c, int32_t pid)
{
	uint32_t task;

	if (!pid)
		return RL_NO_TASK;
	if (c->pcache[pid & 63].pid == pid)
		return c->pcache[pid & 63].task;
	task = rl_trace_task(c->t, pid);
	if (task != RL_NO_TASK) {
		c->pcache[pid & 63].pid = pid;
		c->pcache[pid & 63].task = task;
	}
	return task;
}

/*
 * Record @i of the cursor's file into @ev. Every field is written (the
 * event has no padding), so nothing is cleared first. (Over 100 lines: one
 * case per sched_trace record type, in both numberings.)
 */
static inline __attribute__((always_inline)) void st_decode(struct st_cursor *c, uint32_t i,
							    struct rl_event *ev)
{
	const uint8_t *r = c->buf + (size_t)i * ST_REC;
	int canon = c->canon[r[0]];
	uint64_t w0 = st_le64(r + 8), w1 = st_le64(r + 16);
	struct rl_task *tk;

	ev->ts = (int64_t)w0;
	ev->raw = w0;
	ev->arg = 0;
	ev->arg2 = 0;
	ev->src_off = (uint64_t)i * ST_REC;
	ev->task = st_task_of(c, st_le16(r + 2));
	ev->task2 = RL_NO_TASK;
	ev->job = st_le32(r + 4);
	ev->name = c->names[canon > 0 ? canon : 0];
	ev->cpu = r[1];
	ev->src = c->src;
	ev->flags = 0;
	switch (canon) {
	case ST_NAME:
		ev->type = RL_EV_TASK_NAME;
		ev->ts = 0;
		ev->raw = 0;
		ev->flags = RL_EVF_NOTIME;
		if (ev->task != RL_NO_TASK) {
			tk = &c->t->tasks[ev->task];
			tk->name = rl_strtab_intern(c->t->strs, (const char *)r + 8, 16);
		}
		break;
	case ST_PARAM:
		ev->type = RL_EV_TASK_PARAM;
		ev->ts = 0;
		ev->raw = 0;
		ev->flags = RL_EVF_NOTIME;
		ev->arg = st_le32(r + 8);
		ev->arg2 = st_le32(r + 12);
		if (ev->task != RL_NO_TASK) {
			tk = &c->t->tasks[ev->task];
			tk->wcet = ev->arg;
			tk->period = ev->arg2;
			tk->deadline = ev->arg2;
			tk->phase = st_le32(r + 16);
			tk->partition = r[20];
			tk->class_ = r[21];
			tk->has_param = 1;
		}
		break;
	case ST_RELEASE:
		ev->type = RL_EV_RELEASE;
		ev->arg = (int64_t)w1;
		break;
	case ST_ASSIGNED:
		ev->type = RL_EV_OTHER;
		ev->arg = r[16];
		break;
	case ST_SWITCH_TO:
		ev->type = RL_EV_SWITCH_IN;
		ev->arg = st_le32(r + 16);
		break;
	case ST_SWITCH_AWAY:
		ev->type = RL_EV_SWITCH_OUT;
		ev->arg = (int64_t)w1;
		break;
	case ST_COMPLETION:
		ev->type = RL_EV_COMPLETION;
		/* 2010 kernels wrote only the byte holding `forced`: the rest is stale */
		ev->arg = c->numbering == 2010 ? -1 : (int64_t)(w1 >> 1);
		ev->arg2 = (int64_t)w1;
		if (w1 & 1)
			ev->flags = RL_EVF_FORCED;
		break;
	case ST_BLOCK:
		ev->type = RL_EV_BLOCK;
		break;
	case ST_RESUME:
		ev->type = RL_EV_RESUME;
		break;
	case ST_ACTION:
		ev->type = RL_EV_ACTION;
		ev->arg = r[16];
		break;
	case ST_SYS_RELEASE:
		ev->type = RL_EV_SYS_RELEASE;
		ev->arg = (int64_t)w1;
		break;
	case ST_NP_ENTER:
	case ST_NP_EXIT:
		ev->type = RL_EV_OTHER;
		break;
	default: /* a type unknown in this numbering: carried, not interpreted */
		ev->type = RL_EV_OTHER;
		ev->ts = 0;
		ev->raw = 0;
		ev->flags = RL_EVF_NOTIME;
		ev->arg = r[0];
		break;
	}
}

/*
 * The evidence of a type 10 or 11 record @r for the numbering: a
 * SYS_RELEASE-shaped type 10 says 2010; an ACTION with a pid or a type 11
 * SYS_RELEASE says 2016+.
 */
static void st_evidence(const uint8_t *r, uint64_t *v2010, uint64_t *v2016)
{
	uint16_t pid = st_le16(r + 2);
	uint32_t job = st_le32(r + 4);
	uint64_t w0 = st_le64(r + 8), w1 = st_le64(r + 16);

	if (r[0] == 10 && pid != 0)
		(*v2016)++;
	else if (r[0] == 11 && pid == 0 && job == 0)
		(*v2016)++;
	else if (r[0] == 10 && pid == 0 && job == 0 && w1 >= w0 && w1 - w0 < 1000000000000ull)
		(*v2010)++;
}

/*
 * SYS_RELEASE record @j of @c, at @ts, into @f. They are met in record
 * order; the file's stream is in (ts, record) order.
 */
static void st_note_release(struct st_facts *f, const struct st_cursor *c, uint32_t j, int64_t ts)
{
	const struct rl_rec_release x = {
		.ts = ts,
		.rel = (int64_t)st_le64(c->buf + (size_t)j * ST_REC + 16),
		.rank = c->base.rank,
		.seq = j,
		.src = c->src,
	};
	struct rl_rec_release *m = f->rel;

	if (!f->nrel) {
		m[f->nrel++] = x;
	} else if (x.ts < m[0].ts) {
		/* m[0] is the first announcing another time than x, if it does */
		if (x.rel != m[0].rel) {
			m[1] = m[0];
			f->nrel = 2;
		}
		m[0] = x;
	} else if (x.rel != m[0].rel && (f->nrel < 2 || x.ts < m[1].ts)) {
		m[1] = x;
		f->nrel = 2;
	}
}

/* Warn about garbage record @j (r) of @c. */
static void st_warn_garbage(struct rl_trace *t, const struct st_cursor *c, uint32_t j,
			    const uint8_t *r)
{
	if (st_canon(c->numbering, r[0]) == 0)
		rl_trace_warn(t, RL_W_GARBAGE, c->src, (uint64_t)j * ST_REC,
			      "record type %u is not a sched_trace type; record skipped", r[0]);
	else
		rl_trace_warn(t, RL_W_GARBAGE, c->src, (uint64_t)j * ST_REC,
			      "record for cpu %u in the file of cpu %d; record skipped", r[1],
			      c->fcpu);
}

static void st_warn_unknown(struct rl_trace *t, const struct st_cursor *c, uint32_t j,
			    const uint8_t *r)
{
	rl_trace_warn(t, RL_W_UNKNOWN_TYPE, c->src, (uint64_t)j * ST_REC,
		      "record type %u is unknown in the %d numbering; carried as UNKNOWN", r[0],
		      c->numbering);
}

/* Span @sp of a stream whose timed records span [@first, @last]. */
static void st_span(const struct st_cursor *c, struct rl_rec_span *sp, int64_t first, int64_t last,
		    int untimed, int started)
{
	sp->first = first;
	sp->last = last;
	/* the stream ends at its latest key: untimed records are at 0 */
	sp->end = untimed && last < 0 ? 0 : last;
	sp->rank = c->base.rank;
	sp->src = c->src;
	sp->started = (uint8_t)started;
	sp->timed = first <= last;
}

/* ------------------------------------------------------------ frontier */

static int st_facts_same(const struct st_facts *a, const struct st_facts *b)
{
	const struct rl_rec_span *x = &a->span, *y = &b->span;
	uint32_t i;

	if (x->first != y->first || x->last != y->last || x->end != y->end ||
	    x->started != y->started || x->timed != y->timed || a->nrel != b->nrel)
		return 0;
	for (i = 0; i < a->nrel; i++)
		if (a->rel[i].ts != b->rel[i].ts || a->rel[i].rel != b->rel[i].rel ||
		    a->rel[i].seq != b->rel[i].seq)
			return 0;
	return 1;
}

/* (b) and (c) on the facts @f of @n files (sorted in place). */
static int st_check_facts(const struct rl_trace *t, const struct st_facts *f, size_t n,
			  struct rl_err *err)
{
	struct rl_rec_release *rel = calloc(2 * n, sizeof(*rel));
	struct rl_rec_span *span = calloc(n, sizeof(*span));
	size_t i, nrel = 0;
	int r;

	if (!rel || !span) {
		r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		memcpy(rel + nrel, f[i].rel, f[i].nrel * sizeof(*rel));
		nrel += f[i].nrel;
		span[i] = f[i].span;
	}
	r = rl_recordings_check_releases(t, rel, nrel, err);
	if (r >= 0)
		r = rl_recordings_check_spans(t, span, n, err);
out:
	free(rel);
	free(span);
	return r;
}

/*
 * The frontier has seen the whole file: the 10 % garbage rule on all its
 * records, and its exact facts for the checks of its file set, which are
 * made again by the last frontier to finish if some file's facts differ
 * from those its first and last records gave at open.
 */
static __attribute__((noinline)) int st_front_done(struct st_cursor *c, struct rl_err *err)
{
	struct st_set *s = c->set;

	c->done = 1;
	if (c->nrec > c->pend && c->ngarb * 10 > c->nrec)
		return rl_err_set(err, -RL_E_FORMAT, c->in->path, 0,
				  "%llu of %u records are not valid sched_trace records; "
				  "not a sched_trace file?",
				  (unsigned long long)c->ngarb, c->nrec);
	if (!s)
		return 0;
	st_span(c, &c->found.span, c->first, c->last, c->untimed, c->ngarb < c->nrec);
	if (!st_facts_same(&s->facts[c->set_i], &c->found)) {
		s->facts[c->set_i] = c->found;
		s->changed = 1;
	}
	if (++s->ndone == s->n && s->changed)
		return st_check_facts(s->t, s->facts, s->n, err);
	return 0;
}

/* The frontier gives the pages the output passed back to the kernel every so often. */
#define ST_DROP_EVERY (4u << 20)
#define ST_DROP_KEEP (1u << 20)

static void st_drop(struct st_cursor *c)
{
	size_t at = c->rcount ? (size_t)c->ring[c->rhead] * ST_REC : (size_t)c->front * ST_REC;

	if (at > c->dropped + ST_DROP_EVERY + ST_DROP_KEEP) {
		rl_input_drop_range(c->in, c->dropped, at - ST_DROP_KEEP);
		c->dropped = at - ST_DROP_KEEP;
	}
}

/*
 * Record @j when it is not a plain one (garbage, types 10 and up): every
 * case, out of the loop that sees the plain ones. The frontier's state is
 * in @c.
 */
static __attribute__((noinline)) int st_front_other(struct st_cursor *c, uint32_t j)
{
	const uint8_t *r = c->buf + (size_t)j * ST_REC;
	unsigned cl = c->cls[r[0]];
	int64_t key = 0;

	if (!cl || r[1] != c->fcpu) {
		c->ngarb++;
		if (j >= c->pend)
			st_warn_garbage(c->t, c, j, r);
		return 0;
	}
	if ((cl & STC_UNKNOWN) && j >= c->pend)
		st_warn_unknown(c->t, c, j, r);
	if (cl & STC_TIMED) {
		key = (int64_t)st_le64(r + 8);
		if (key < c->first)
			c->first = key;
		if (key > c->last)
			c->last = key;
		if (cl & STC_SYSREL)
			st_note_release(&c->found, c, j, key);
	} else {
		c->untimed = 1;
	}
	if (key < c->wm)
		return st_heap_push(c, (struct st_key){key, j});
	c->wm = key;
	c->ring[(c->rhead + c->rcount++) & (c->rsize - 1)] = j;
	return 0;
}

/*
 * Classify records until the ring is full or the file ends. Plain records
 * (types 1..9 of the file's cpu: nearly all) are handled here, in
 * registers; the others go to st_front_other() with the state written back
 * around the call. A record older than the running maximum (backward) goes
 * to the heap, the others to the ring; a release leaves the ring for the
 * heap when the output reaches it (a release is dated in the future of its
 * place: early in the heap it would only make the heap larger).
 */
static __attribute__((noinline)) int st_fill(struct st_cursor *c, struct rl_err *err)
{
	int64_t wm = c->wm, first = c->first, last = c->last, key;
	uint32_t j = c->front, nrec = c->nrec, n = c->rcount, size = c->rsize;
	uint32_t mask = size - 1, head = c->rhead;
	const uint8_t *r = c->buf + (size_t)j * ST_REC;
	uint32_t *ring = c->ring;
	int untimed = c->untimed, fcpu = c->fcpu, ret = 0;

	for (; j < nrec && n < size; j++, r += ST_REC) {
		unsigned cl = c->cls[r[0]];

		if (__builtin_expect(!(cl & STC_PLAIN) || r[1] != fcpu, 0)) {
			c->wm = wm;
			c->first = first;
			c->last = last;
			c->untimed = untimed;
			c->rcount = n;
			ret = st_front_other(c, j);
			wm = c->wm;
			first = c->first;
			last = c->last;
			untimed = c->untimed;
			n = c->rcount;
			if (ret < 0)
				break;
			continue;
		}
		if (cl & STC_TIMED) {
			key = (int64_t)st_le64(r + 8);
			first = key < first ? key : first;
			last = key > last ? key : last;
		} else {
			key = 0;
			untimed = 1;
		}
		if (__builtin_expect(key < wm, 0)) {
			ret = st_heap_push(c, (struct st_key){key, j});
			if (ret < 0)
				break;
		} else {
			if (!(cl & STC_RELEASE))
				wm = key;
			ring[(head + n++) & mask] = j;
		}
	}
	c->wm = wm;
	c->first = first;
	c->last = last;
	c->untimed = untimed;
	c->rcount = n;
	c->front = j;
	if (ret < 0)
		return rl_err_set(err, -RL_E_NOMEM, c->t->srcs[c->src].path, RL_OFF_NONE,
				  "cannot queue releases");
	if (j == nrec && !c->done)
		return st_front_done(c, err);
	st_drop(c);
	return 0;
}

static int st_next(struct rl_cursor *base, struct rl_event *ev, struct rl_err *err)
{
	struct st_cursor *c = (struct st_cursor *)base;
	uint32_t idx;

	if (__builtin_expect(c->rcount < c->rsize / 2, 0) && !c->done) {
		int r = st_fill(c, err);

		if (r < 0)
			return r;
	}
	/* the releases before the next forward record wait for their time in the heap */
	for (;;) {
		const uint8_t *r;
		unsigned cl;
		int64_t key;

		if (!c->rcount) {
			if (!c->nheap)
				return 0;
			goto heap;
		}
		idx = c->ring[c->rhead];
		r = c->buf + (size_t)idx * ST_REC;
		cl = c->cls[r[0]];
		key = cl & STC_TIMED ? (int64_t)st_le64(r + 8) : 0;
		c->rhead = (c->rhead + 1) & (c->rsize - 1);
		c->rcount--;
		if (cl & STC_RELEASE) {
			if (st_heap_push(c, (struct st_key){key, idx}) < 0)
				return rl_err_set(err, -RL_E_NOMEM, c->t->srcs[c->src].path,
						  RL_OFF_NONE, "cannot queue releases");
			continue;
		}
		if (c->nheap && st_key_less(&c->heap[0], &(struct st_key){key, idx})) {
			/* the forward record stays first in the ring */
			c->rhead = (c->rhead - 1) & (c->rsize - 1);
			c->rcount++;
			goto heap;
		}
		break;
	}
	if (0) {
	heap:
		idx = st_heap_pop(c).idx;
	}
	st_decode(c, idx, ev);
	c->t->srcs[c->src].nrec++;
	return 1;
}

static void st_close(struct rl_cursor *base)
{
	struct st_cursor *c = (struct st_cursor *)base;

	if (c->set && !--c->set->refs) {
		free(c->set->facts);
		free(c->set);
	}
	free(c->ring);
	free(c->heap);
	free(c);
}

static const struct rl_cursor_ops st_cursor_ops = {st_next, st_close};

static int st_probe(const struct rl_input *in)
{
	size_t n, i, ok = 0;
	unsigned cpu;

	if (in->is_dir || in->len < ST_REC)
		return 0;
	n = in->len / ST_REC;
	if (n > 32)
		n = 32;
	cpu = in->buf[1];
	for (i = 0; i < n; i++) {
		const uint8_t *r = in->buf + i * ST_REC;

		if (r[0] >= 1 && r[0] <= ST_MAX_TYPE && r[1] == cpu)
			ok++;
	}
	if (ok * 10 < n * 9)
		return 0;
	return in->len % ST_REC ? 30 : 60;
}

/* ---------------------------------------------------------------- open */

/*
 * The first records of @c's file, before the numbering is known: the
 * file's cpu (the majority of the cpu bytes of records with a plausible
 * type; -1 if there is none) and the numbering evidence.
 */
static void st_prefix_cpu(struct st_cursor *c, uint64_t *v2010, uint64_t *v2016)
{
	uint32_t cnt[256] = {0}, i, best = 0;
	int cpu = -1;

	for (i = 0; i < c->pend; i++) {
		const uint8_t *r = c->buf + (size_t)i * ST_REC;

		if (r[0] >= 1 && r[0] <= ST_MAX_TYPE)
			cnt[r[1]]++;
		if (r[0] - 10u < 2u)
			st_evidence(r, v2010, v2016);
	}
	for (i = 0; i < 256; i++)
		if (cnt[i] > best) {
			best = cnt[i];
			cpu = (int)i;
		}
	c->fcpu = cpu;
	c->base.rank = cpu >= 0 ? (uint32_t)cpu : UINT32_MAX;
}

/* What st_scan() finds in a range of records. */
struct st_scan {
	int64_t first, last;
	uint64_t ngarb, n;
	int untimed;
};

/*
 * Records [@j, @end) of @c at open: the garbage (with @warn, each bad
 * record is a warning), the span of the timed records and the SYS_RELEASE
 * records into @f.
 */
static void st_scan(struct st_cursor *c, uint32_t j, uint32_t end, int warn, struct st_scan *s,
		    struct st_facts *f)
{
	for (; j < end; j++) {
		const uint8_t *r = c->buf + (size_t)j * ST_REC;
		unsigned cl = c->cls[r[0]];
		int64_t key;

		s->n++;
		if (!cl || r[1] != c->fcpu) {
			s->ngarb++;
			if (warn)
				st_warn_garbage(c->t, c, j, r);
			continue;
		}
		if ((cl & STC_UNKNOWN) && warn)
			st_warn_unknown(c->t, c, j, r);
		if (!(cl & STC_TIMED)) {
			s->untimed = 1;
			continue;
		}
		key = (int64_t)st_le64(r + 8);
		if (key < s->first)
			s->first = key;
		if (key > s->last)
			s->last = key;
		if (cl & STC_SYSREL)
			st_note_release(f, c, j, key);
	}
}

/* Intern the record names as @c's numbering calls them. */
static int st_intern_names(struct rl_trace *t, struct st_cursor *c)
{
	uint32_t j;

	for (j = 0; j <= ST_MAX_TYPE; j++) {
		const char *nm = st_type_names[j];

		if (c->numbering == 2010 && j == ST_SYS_RELEASE)
			nm = "SYS_RELEASE";
		c->names[j] = rl_strtab_intern(t->strs, nm, strlen(nm));
		if (!c->names[j])
			return -RL_E_NOMEM;
	}
	return 0;
}

/*
 * A cursor for @in (stored in *@out, also on failure): its cpu and the
 * numbering evidence of its first records, added to *@v2010 and *@v2016.
 */
static int st_cursor_new(struct rl_input *in, struct rl_trace *t, struct rl_cursor **out,
			 uint64_t *v2010, uint64_t *v2016, struct rl_err *err)
{
	uint64_t nrec64 = in->len / ST_REC;
	struct st_cursor *c;

	if (nrec64 > UINT32_MAX)
		return rl_err_set(err, -RL_E_USAGE, in->path, RL_OFF_NONE,
				  "file has %llu records; at most %u per file are supported",
				  (unsigned long long)nrec64, UINT32_MAX);
	c = calloc(1, sizeof(*c));
	if (!c)
		goto nomem;
	*out = &c->base;
	c->base.ops = &st_cursor_ops;
	c->t = t;
	c->buf = in->buf;
	c->nrec = (uint32_t)nrec64;
	c->src = in->src;
	c->in = in;
	c->pend = c->nrec < ST_PREFIX ? c->nrec : ST_PREFIX;
	/* a ring the size of a small file: all of it is classified at once */
	c->rsize = 16;
	while (c->rsize < ST_WINDOW && c->rsize < c->nrec)
		c->rsize *= 2;
	c->ring = malloc(c->rsize * sizeof(*c->ring));
	if (!c->ring)
		goto nomem;
	c->first = INT64_MAX;
	c->last = INT64_MIN;
	st_prefix_cpu(c, v2010, v2016);
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory opening sched_trace");
}

/*
 * Finish opening cursor @base of @in in the file set's @numbering: warn
 * about the bad records among the first ones, refuse a file that is mostly
 * garbage there, and find its facts @f from its first and last records.
 */
static int st_cursor_finish(struct rl_input *in, struct rl_trace *t, int numbering,
			    struct rl_cursor *base, struct st_facts *f, struct rl_err *err)
{
	struct st_cursor *c = (struct st_cursor *)base;
	struct st_scan s = {.first = INT64_MAX, .last = INT64_MIN};
	uint32_t tail;

	st_set_numbering(c, numbering);
	if (st_intern_names(t, c) < 0)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
				  "out of memory opening sched_trace");
	if (c->fcpu >= 0) {
		t->srcs[in->src].cpu = c->fcpu;
		rl_trace_note_cpu(t, (uint32_t)c->fcpu);
	}
	if (in->len % ST_REC)
		rl_trace_warn(t, RL_W_TRUNCATED, in->src, (uint64_t)c->nrec * ST_REC,
			      "trailing %zu bytes do not form a whole %d-byte record "
			      "(truncated file?)",
			      in->len % ST_REC, ST_REC);
	st_scan(c, 0, c->pend, 1, &s, f);
	if (c->pend && s.ngarb * 10 > c->pend)
		return rl_err_set(err, -RL_E_FORMAT, in->path, 0,
				  "%llu of %u records are not valid sched_trace records; "
				  "not a sched_trace file?",
				  (unsigned long long)s.ngarb, c->pend);
	tail = c->nrec - c->pend > ST_PREFIX ? c->nrec - ST_PREFIX : c->pend;
	st_scan(c, tail, c->nrec, 0, &s, f);
	st_span(c, &f->span, s.first, s.last, s.untimed, s.ngarb < s.n);
	return 0;
}

/*
 * With several files, (b) and (c) are decided here, before any event is
 * read (rl_reader_ops.mixed_at_open), on the facts of each file's first and
 * last records; the frontiers check them again if the whole files say
 * otherwise (st_front_done()). The numbering is the file set's (the
 * evidence of every file's first records).
 */
static int st_open(struct rl_input *ins, size_t n, struct rl_trace *t,
		   const struct rl_read_opts *opts, struct rl_cursor ***out, size_t *nout,
		   struct rl_err *err)
{
	struct rl_cursor **curs = NULL;
	struct st_facts *facts = NULL;
	struct st_set *set = NULL;
	uint64_t v2010 = 0, v2016 = 0;
	int numbering, ret = 0;
	size_t i;

	curs = calloc(n ? n : 1, sizeof(*curs));
	facts = calloc(n ? n : 1, sizeof(*facts));
	if (!curs || !facts) {
		ret = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot allocate cursors");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		ret = st_cursor_new(&ins[i], t, &curs[i], &v2010, &v2016, err);
		if (ret < 0)
			goto fail;
	}
	if (opts && opts->st_format)
		numbering = opts->st_format;
	else
		numbering = v2010 > v2016 ? 2010 : 2016;
	if (v2010 && v2016)
		rl_trace_warn(t, RL_W_OTHER, ins[0].src, RL_OFF_NONE,
			      "record numbering is ambiguous (%llu records say 2010, %llu say "
			      "2016); reading as %d (--st-format to choose)",
			      (unsigned long long)v2010, (unsigned long long)v2016, numbering);
	t->format = numbering == 2010 ? "sched_trace-2010" : "sched_trace-2016";
	for (i = 0; i < n; i++) {
		ret = st_cursor_finish(&ins[i], t, numbering, curs[i], &facts[i], err);
		if (ret < 0)
			goto fail;
	}
	if (n > 1) {
		ret = rl_recordings_check_streams(t, ins, n, err);
		if (ret >= 0)
			ret = st_check_facts(t, facts, n, err);
		if (ret < 0)
			goto fail;
		set = calloc(1, sizeof(*set));
		if (!set) {
			ret = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
			goto fail;
		}
		set->t = t;
		set->facts = facts;
		set->n = set->refs = (uint32_t)n;
		facts = NULL;
		for (i = 0; i < n; i++) {
			((struct st_cursor *)curs[i])->set = set;
			((struct st_cursor *)curs[i])->set_i = (uint32_t)i;
		}
	}
	*out = curs;
	*nout = n;
	free(facts);
	return 0;
fail:
	for (i = 0; curs && i < n; i++)
		if (curs[i])
			rl_cursor_close(curs[i]);
	free(curs);
	free(facts);
	return ret;
}

const struct rl_reader_ops rl_reader_schedtrace = {
	.name = "sched_trace",
	.family = RL_FAM_LITMUS,
	.mixed_at_open = 1,
	.desc = "LITMUS^RT sched_trace (24-byte records, per-CPU files, 2010 or 2016+ numbering)",
	.probe = st_probe,
	.open = st_open,
};
