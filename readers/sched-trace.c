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
 * yields its file exactly sorted by (event time, record index), as the
 * LITMUS tools do, without holding the file's events: a first pass finds the
 * few records that are older than the running maximum ("backward" records)
 * and keeps only those, sorted; the second pass sweeps the file forward,
 * holding future-dated releases in a small heap until time reaches them.
 * The first pass also learns what the open needs (the file's cpu, the
 * numbering evidence, the facts for the mixed-recording checks): it assumes
 * the file is clean (one cpu, 2016 numbering or the one asked for) and is
 * repeated, with its warnings, only for a file where that turns out wrong.
 * So a clean file is read twice, not three times.
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

struct st_cursor {
	struct rl_cursor base;
	struct rl_trace *t;
	const uint8_t *buf;
	uint32_t nrec;
	int numbering; /* 2010 or 2016 */
	int fcpu;      /* the file's cpu (majority of the cpu fields) */
	uint16_t src;
	/* forward sweep */
	uint32_t idx;
	int64_t wm; /* running maximum of timed forward records */
	int have_fwd;
	struct st_key fwd;
	/* future-dated releases waiting for their time */
	struct st_key *heap;
	uint32_t nheap, cap_heap;
	/* backward records, sorted by (key, idx) */
	struct st_key *back;
	uint32_t nback, pos_back;
	uint32_t names[ST_MAX_TYPE + 1]; /* native record names, [0] = unknown */
	uint8_t cls[256];		 /* STC_* of each raw type byte in this numbering */
	int8_t canon[256];		 /* st_canon() of each raw type byte */
	uint32_t drop_at;		 /* record index at which the sweep gives pages back */
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

static int st_key_cmp(const void *a, const void *b)
{
	const struct st_key *x = a, *y = b;

	if (st_key_less(x, y))
		return -1;
	return st_key_less(y, x);
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

/*
 * Classify record @r against the running maximum *wm: 1 = forward timed
 * record (advances *wm), 2 = forward release (future-dated), 0 = backward,
 * -1 = garbage (a type not of sched_trace, or another cpu than the file's;
 * fcpu is -1 only in a file without any valid type). *@key is the time
 * that orders the record, as the LITMUS tools define it: the first payload
 * word of RELEASE and up, 0 for NAME, PARAM and types unknown in the
 * numbering. The first pass and the sweep call this identically.
 */
static inline int st_classify(const struct st_cursor *c, const uint8_t *r, int64_t *wm,
			      int64_t *key)
{
	unsigned cl = c->cls[r[0]];

	if (!cl || r[1] != c->fcpu)
		return -1;
	*key = cl & STC_TIMED ? (int64_t)st_le64(r + 8) : 0;
	if (*key < *wm)
		return 0;
	if (cl & STC_RELEASE)
		return 2;
	*wm = *key;
	return 1;
}

/* The sweep gives the pages it passed back to the kernel every so often (RSS stays bounded). */
#define ST_DROP_EVERY (16u << 20)
#define ST_DROP_KEEP (1u << 20)

static void st_sweep_drop(struct st_cursor *c)
{
	size_t at = (size_t)c->idx * ST_REC, to = at - ST_DROP_KEEP;

	rl_input_drop_range(c->in, c->dropped, to);
	c->dropped = to;
	c->drop_at = (uint32_t)((to + ST_DROP_EVERY) / ST_REC + 1);
}

/* Advance the sweep to the next forward timed record, queueing releases. */
static inline __attribute__((always_inline)) int st_sweep(struct st_cursor *c)
{
	int64_t key, wm = c->wm;
	uint32_t i = c->idx;
	int ret = 0;

	c->have_fwd = 0;
	while (i < c->nrec) {
		int k = st_classify(c, c->buf + (size_t)i * ST_REC, &wm, &key);

		if (k == 1) {
			c->fwd = (struct st_key){key, i};
			c->have_fwd = 1;
			i++;
			break;
		}
		if (k == 2 && st_heap_push(c, (struct st_key){key, i})) {
			ret = -RL_E_NOMEM;
			break;
		}
		i++;
	}
	c->idx = i;
	c->wm = wm;
	if (i >= c->drop_at)
		st_sweep_drop(c);
	return ret;
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

static int st_next(struct rl_cursor *base, struct rl_event *ev, struct rl_err *err)
{
	struct st_cursor *c = (struct st_cursor *)base;
	const struct st_key *best = NULL;
	int which = 0;

	if (c->have_fwd) {
		best = &c->fwd;
		which = 1;
	}
	if (c->nheap && (!best || st_key_less(&c->heap[0], best))) {
		best = &c->heap[0];
		which = 2;
	}
	if (c->pos_back < c->nback && (!best || st_key_less(&c->back[c->pos_back], best))) {
		best = &c->back[c->pos_back];
		which = 3;
	}
	switch (which) {
	case 0:
		return 0;
	case 1:
		st_decode(c, c->fwd.idx, ev);
		if (st_sweep(c) < 0)
			return rl_err_set(err, -RL_E_NOMEM, c->t->srcs[c->src].path, RL_OFF_NONE,
					  "cannot queue releases");
		break;
	case 2:
		st_decode(c, st_heap_pop(c).idx, ev);
		break;
	default:
		st_decode(c, c->back[c->pos_back++].idx, ev);
		break;
	}
	c->t->srcs[c->src].nrec++;
	return 1;
}

static void st_close(struct rl_cursor *base)
{
	struct st_cursor *c = (struct st_cursor *)base;

	free(c->heap);
	free(c->back);
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

/*
 * The file's cpu, as the slow path finds it: the majority of the cpu bytes
 * of records with a plausible type (-1: no such record).
 */
static int st_file_cpu(const struct rl_input *in, uint32_t nrec)
{
	uint32_t cnt[256] = {0}, i, best = 0;
	size_t dropped = 0;
	int cpu = -1;

	for (i = 0; i < nrec; i++) {
		const uint8_t *r = in->buf + (size_t)i * ST_REC;

		if (!(i & ((1u << 20) - 1)) && i) {
			rl_input_drop_range(in, dropped, (size_t)i * ST_REC);
			dropped = (size_t)i * ST_REC;
		}
		if (r[0] >= 1 && r[0] <= ST_MAX_TYPE)
			cnt[r[1]]++;
	}
	rl_input_drop_range(in, dropped, in->len);
	for (i = 0; i < 256; i++)
		if (cnt[i] > best) {
			best = cnt[i];
			cpu = (int)i;
		}
	return cpu;
}

/* What the first pass counts beside its facts. */
struct st_pass {
	uint64_t ngarb;	   /* garbage records */
	uint64_t nunknown; /* records of a type unknown in the numbering */
	uint64_t nhigh;	   /* valid records of types 10..13 (read differently by numbering) */
	uint64_t v2010;	   /* records that say 2010 numbering ... */
	uint64_t v2016;	   /* ... or 2016+ */
};

/*
 * The evidence of a type 10 or 11 record @r for the numbering: a
 * SYS_RELEASE-shaped type 10 says 2010; an ACTION with a pid or a type 11
 * SYS_RELEASE says 2016+.
 */
static void st_evidence(const uint8_t *r, struct st_pass *p)
{
	uint16_t pid = st_le16(r + 2);
	uint32_t job = st_le32(r + 4);
	uint64_t w0 = st_le64(r + 8), w1 = st_le64(r + 16);

	if (r[0] == 10 && pid != 0)
		p->v2016++;
	else if (r[0] == 11 && pid == 0 && job == 0)
		p->v2016++;
	else if (r[0] == 10 && pid == 0 && job == 0 && w1 >= w0 && w1 - w0 < 1000000000000ull)
		p->v2010++;
}

/*
 * What the first pass learns of a file for the checks (b) and (c) at open
 * (readers/recording.c): the span of the events its cursor yields, and of
 * its SYS_RELEASE records the first in stream order and the first after it
 * that announces another release time (the two that can conflict first).
 */
struct st_facts {
	struct rl_rec_span span;
	struct rl_rec_release rel[2];
	uint32_t nrel;
};

/*
 * SYS_RELEASE record @j of @c, at @ts. The first pass finds them in record
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

/* The running state of a first pass. */
struct st_fp {
	int64_t wm, first, last; /* running maximum; span of the timed records */
	uint32_t cap_back;
	int untimed; /* some records are not timed */
	int warn;
	struct st_facts *f;
	struct st_pass *p;
};

static int st_back_add(struct st_cursor *c, uint32_t *cap, int64_t key, uint32_t j)
{
	if (rl_grow((void **)&c->back, cap, c->nback + 1, sizeof(*c->back)))
		return -RL_E_NOMEM;
	c->back[c->nback++] = (struct st_key){key, j};
	return 0;
}

/*
 * Record @j of the first pass when it is not a plain one (garbage, types
 * 10 and up): every case, out of the loop that sees the plain ones.
 */
static __attribute__((noinline)) int st_fp_other(struct rl_trace *t, struct st_cursor *c,
						 struct st_fp *s, uint32_t j)
{
	const uint8_t *r = c->buf + (size_t)j * ST_REC;
	int64_t key = 0;
	int k = st_classify(c, r, &s->wm, &key);
	unsigned cl = c->cls[r[0]];

	if (r[0] - 10u < 2u)
		st_evidence(r, s->p);
	if (k < 0) {
		s->p->ngarb++;
		if (s->warn)
			st_warn_garbage(t, c, j, r);
		return 0;
	}
	s->p->nhigh += r[0] >= 10;
	if (cl & STC_UNKNOWN) {
		s->p->nunknown++;
		if (s->warn)
			rl_trace_warn(t, RL_W_UNKNOWN_TYPE, c->src, (uint64_t)j * ST_REC,
				      "record type %u is unknown in the %d numbering; "
				      "carried as UNKNOWN",
				      r[0], c->numbering);
	}
	if (cl & STC_TIMED) {
		if (key < s->first)
			s->first = key;
		if (key > s->last)
			s->last = key;
		if (cl & STC_SYSREL)
			st_note_release(s->f, c, j, key);
	} else {
		s->untimed = 1;
	}
	return k == 0 ? st_back_add(c, &s->cap_back, key, j) : 0;
}

/*
 * Records [@j, @end) of the first pass. Plain records (types 1..9 of the
 * file's cpu: nearly all) are handled here, in registers; the others go to
 * st_fp_other() with the state written back around the call.
 */
static int st_fp_range(struct rl_trace *t, struct st_cursor *c, struct st_fp *s, uint32_t j,
		       uint32_t end)
{
	int64_t wm = s->wm, first = s->first, last = s->last, key;
	const uint8_t *r = c->buf + (size_t)j * ST_REC;
	int untimed = s->untimed, fcpu = c->fcpu;

	for (; j < end; j++, r += ST_REC) {
		unsigned cl = c->cls[r[0]];

		if (__builtin_expect(!(cl & STC_PLAIN) || r[1] != fcpu, 0)) {
			s->wm = wm;
			s->first = first;
			s->last = last;
			s->untimed = untimed;
			if (st_fp_other(t, c, s, j) < 0)
				return -RL_E_NOMEM;
			wm = s->wm;
			first = s->first;
			last = s->last;
			untimed = s->untimed;
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
		if (key < wm) {
			if (st_back_add(c, &s->cap_back, key, j) < 0)
				return -RL_E_NOMEM;
		} else if (!(cl & STC_RELEASE)) {
			wm = key;
		}
	}
	s->wm = wm;
	s->first = first;
	s->last = last;
	s->untimed = untimed;
	return 0;
}

/* The first pass gives the pages it passed back to the kernel every so many records. */
#define ST_FP_CHUNK (1u << 20)

/*
 * First pass over @c's file: count the garbage (and the numbering evidence
 * into @p), collect the backward records, and note @f; with @warn, each
 * garbage and unknown-type record is also a warning. The cursor yields
 * every record that is not garbage at its key; those of type RELEASE and up
 * are timed (st_decode() sets ts to their first payload word, the key),
 * NAME, PARAM and types unknown in the numbering are not.
 */
static int st_first_pass(struct rl_trace *t, struct st_cursor *c, struct st_facts *f,
			 struct st_pass *p, int warn)
{
	struct st_fp s = {
		.wm = 0, .first = INT64_MAX, .last = INT64_MIN, .warn = warn, .f = f, .p = p};
	struct rl_rec_span *sp = &f->span;
	uint32_t j, end;

	for (j = 0; j < c->nrec; j = end) {
		end = c->nrec - j > ST_FP_CHUNK ? j + ST_FP_CHUNK : c->nrec;
		if (st_fp_range(t, c, &s, j, end) < 0)
			return -RL_E_NOMEM;
		/* keep the first pass from holding the whole file in RSS */
		rl_input_drop_range(c->in, (size_t)j * ST_REC, (size_t)end * ST_REC);
	}
	rl_input_drop_range(c->in, (size_t)c->nrec * ST_REC, c->in->len);
	sp->first = s.first;
	sp->last = s.last;
	/* the stream ends at its latest key: untimed records are at 0 */
	sp->end = s.untimed && s.last < 0 ? 0 : s.last;
	sp->rank = c->base.rank;
	sp->src = c->src;
	sp->started = p->ngarb < c->nrec;
	sp->timed = s.first <= s.last;
	return 0;
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

/* @c reads its file as if its cpu were @fcpu. */
static void st_set_cpu(struct st_cursor *c, int fcpu)
{
	c->fcpu = fcpu;
	c->base.rank = fcpu >= 0 ? (uint32_t)fcpu : UINT32_MAX;
}

/*
 * A cursor for @in (stored in *@out, also on failure), its first pass made
 * on the guess that the file is clean: every record of a valid type has
 * the cpu of the first, and the numbering is @numbering. @p receives what
 * st_cursor_finish() needs to tell whether the guess held.
 */
static int st_cursor_new(struct rl_input *in, struct rl_trace *t, int numbering,
			 struct rl_cursor **out, struct st_facts *f, struct st_pass *p,
			 struct rl_err *err)
{
	uint64_t nrec64 = in->len / ST_REC;
	struct st_cursor *c;
	uint32_t j;
	int guess = -1;

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
	c->drop_at = ST_DROP_EVERY / ST_REC + 1;
	for (j = 0; j < c->nrec && guess < 0; j++)
		if (in->buf[(size_t)j * ST_REC] >= 1 && in->buf[(size_t)j * ST_REC] <= ST_MAX_TYPE)
			guess = in->buf[(size_t)j * ST_REC + 1];
	st_set_cpu(c, guess);
	st_set_numbering(c, numbering);
	if (st_first_pass(t, c, f, p, 0) < 0)
		goto nomem;
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory opening sched_trace");
}

/*
 * Finish opening cursor @base of @in in the file set's @numbering. Where
 * the first pass's guess did not hold (garbage, records of another cpu or
 * of a type unknown in the numbering, types 10..13 read in another
 * numbering), the file's cpu is found from all its records and the first
 * pass is made again, warning about each bad record; @f and @p are then
 * replaced.
 */
static int st_cursor_finish(struct rl_input *in, struct rl_trace *t, int numbering,
			    struct rl_cursor *base, struct st_facts *f, struct st_pass *p,
			    struct rl_err *err)
{
	struct st_cursor *c = (struct st_cursor *)base;
	int held = !p->ngarb && !p->nunknown && (numbering == c->numbering || !p->nhigh);

	if (!held) {
		free(c->back);
		c->back = NULL;
		c->nback = 0;
		st_set_cpu(c, st_file_cpu(in, c->nrec));
		memset(f, 0, sizeof(*f));
		memset(p, 0, sizeof(*p));
	}
	st_set_numbering(c, numbering);
	if (st_intern_names(t, c) < 0)
		goto nomem;
	if (c->fcpu >= 0) {
		t->srcs[in->src].cpu = c->fcpu;
		rl_trace_note_cpu(t, (uint32_t)c->fcpu);
	}
	if (in->len % ST_REC)
		rl_trace_warn(t, RL_W_TRUNCATED, in->src, (uint64_t)c->nrec * ST_REC,
			      "trailing %zu bytes do not form a whole %d-byte record "
			      "(truncated file?)",
			      in->len % ST_REC, ST_REC);
	if (!held && st_first_pass(t, c, f, p, 1) < 0)
		goto nomem;
	if (c->nrec && p->ngarb * 10 > c->nrec)
		return rl_err_set(err, -RL_E_FORMAT, in->path, 0,
				  "%llu of %u records are not valid sched_trace records; "
				  "not a sched_trace file?",
				  (unsigned long long)p->ngarb, c->nrec);
	if (c->nback) /* qsort(NULL, 0, ...) is undefined */
		qsort(c->back, c->nback, sizeof(*c->back), st_key_cmp);
	if (st_sweep(c) < 0)
		goto nomem;
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory opening sched_trace");
}

/*
 * (b) and (c) on the facts @f of the @n files @ins, once all are open;
 * (d) before them, as rl_fileset_cursors() checks it before any event
 * streams through its guard (the same refusal for files mixed in two ways).
 */
static int st_check_mixed(const struct rl_trace *t, const struct rl_input *ins,
			  const struct st_facts *f, size_t n, struct rl_err *err)
{
	struct rl_rec_release *rel = calloc(2 * n, sizeof(*rel));
	struct rl_rec_span *span = calloc(n, sizeof(*span));
	size_t i, nrel = 0;
	int r;

	r = rl_recordings_check_streams(t, ins, n, err);
	if (r < 0)
		goto out;
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
 * With several files, (b) and (c) are decided here, before any event is
 * read (rl_reader_ops.mixed_at_open): the first pass sees every record.
 * The numbering is the file set's (every file's evidence), so the first
 * passes are made before it is known, on a guess (st_cursor_new()).
 */
static int st_open(struct rl_input *ins, size_t n, struct rl_trace *t,
		   const struct rl_read_opts *opts, struct rl_cursor ***out, size_t *nout,
		   struct rl_err *err)
{
	struct rl_cursor **curs = NULL;
	struct st_facts *facts = NULL;
	struct st_pass *pass = NULL;
	int guess = opts && opts->st_format ? opts->st_format : 2016;
	uint64_t v2010 = 0, v2016 = 0;
	int numbering, ret = 0;
	size_t i;

	curs = calloc(n ? n : 1, sizeof(*curs));
	facts = calloc(n ? n : 1, sizeof(*facts));
	pass = calloc(n ? n : 1, sizeof(*pass));
	if (!curs || !facts || !pass) {
		ret = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot allocate cursors");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		ret = st_cursor_new(&ins[i], t, guess, &curs[i], &facts[i], &pass[i], err);
		if (ret < 0)
			goto fail;
		v2010 += pass[i].v2010;
		v2016 += pass[i].v2016;
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
		ret = st_cursor_finish(&ins[i], t, numbering, curs[i], &facts[i], &pass[i], err);
		if (ret < 0)
			goto fail;
	}
	if (n > 1) {
		ret = st_check_mixed(t, ins, facts, n, err);
		if (ret < 0)
			goto fail;
	}
	*out = curs;
	*nout = n;
	free(facts);
	free(pass);
	return 0;
fail:
	for (i = 0; curs && i < n; i++)
		if (curs[i])
			rl_cursor_close(curs[i]);
	free(curs);
	free(facts);
	free(pass);
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
