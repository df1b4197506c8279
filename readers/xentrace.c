/*
 * readers/xentrace.c - Xen `xentrace` binary files (../shared/docs/xen.md).
 *
 * The file is a sequence of per-PCPU windows, each introduced by a 12-byte
 * CPU-change record (0x2001f003, cpu, byte count) and holding that CPU's raw
 * records. A record is a header word (event id in bits 0-27, payload word
 * count in bits 28-30, TSC flag in bit 31), an optional little-endian 64-bit
 * TSC and up to 7 payload words. Windows are not in time order; each CPU's
 * records are. So there is one cursor per PCPU, which walks the windows of
 * its CPU in file order and skips the others, and the model's merge orders
 * the CPUs by time. A record without TSC takes the last TSC of its CPU.
 *
 * Before the cursors run, one pass over the record headers validates the
 * window structure (located warnings for truncation and damage), counts
 * every (event id, word count) pair, estimates the TSC rate from context
 * switches (SWITCH_INFPREV runtimes against TSC differences, xen.md §3.5) and
 * picks the payload layout profile (Xen 4.5 ... 4.19, xen.md §1.5). Payload
 * layouts are chosen from (id, word count, profile); a record that fits no
 * layout is carried as an RL_EV_OTHER with its raw words and reported once
 * per (id, word count).
 *
 * Every event's name is its 28-bit event id printed "0x%08x", so counts by
 * name compare with other decoders. VCPUs (domain, vcpu) are tasks of kind
 * RL_TASK_VCPU named "d<dom>v<vcpu>"; domain 32767 is the idle domain
 * (its VCPUs are flagged idle in the task table).
 *
 * Mapping to the model (arg, arg2 and job as noted; times in ns):
 *   runstate X->running    SWITCH_IN  task=vcpu, cpu=PCPU, arg=-1, arg2=old<<4|new
 *   runstate running->X    SWITCH_OUT task=vcpu, cpu=PCPU, arg=-1, arg2=old<<4|new
 *   runstate blocked|offline->runnable  WAKEUP (cpu = the waking cpu), arg2 as above
 *   runstate runnable->blocked          BLOCK; other runstate changes OTHER
 *   LOST_RECORDS           LOST at the first lost TSC; arg=count, arg2=ts of the
 *                          record (end of the gap), task=the vcpu running after it
 *   RTDS/credit/credit2 TICKLE  IPI_SEND arg=target cpu
 *   SWITCH                 OTHER task=next, task2=prev
 *   SWITCH_INFPREV         OTHER task=prev (4.8+, else none), arg=runtime, arg2=domid
 *   SWITCH_INFNEXT         OTHER task=next (4.8+), arg=waited, arg2=slice (-1: none)
 *   SWITCH_INFCONT         OTHER task, arg=runtime so far, arg2=slice
 *   RTDS RUNQ_PICK         OTHER task, arg=deadline, arg2=remaining budget
 *   RTDS BUDGET_BURN       OTHER task, arg=remaining budget, arg2=consumed delta,
 *                          job=priority_level<<8 | has_extratime (4.10+)
 *   RTDS BUDGET_REPLENISH  OTHER task, arg=new deadline, arg2=budget, job=priority_level
 *   *SCHEDULE              OTHER arg=payload word(s) (RTDS/credit: w0; credit2: w0|w1<<32)
 *   IRQ_HANDLED            OTHER arg=irq, arg2=handler time
 *   research overheads     OTHER task, arg=measured ns (RT-Xen 0x24001-5, mode-change
 *                          RTDS 0x2280d/e)
 *   anything else          OTHER flagged RL_EVF_RAW: arg=w0, arg2=w1 (-1 when absent),
 *                          job=word count
 */
#include "readers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XT_CPU_CHANGE_HDR 0x2001f003u
#define XT_LOST 0x0001f001u
#define XT_WRAP 0x0001f002u
#define XT_CPU_CHANGE 0x0001f003u
#define XT_MAX_CPU 4096
#define XT_IDLE_DOM 32767
#define XT_MIN_RUNTIME_NS 100000u   /* INFPREV runtimes shorter than this are too noisy */
#define XT_HZ_KEEP 65536	    /* clock-rate samples kept (evenly decimated) */
#define XT_DEFAULT_HZ 2400000000ull /* xenalyze's default when nothing is known */
#define XT_DROP_STEP (16u << 20)    /* give mapped pages back every this many bytes */
#define XT_DROP_EVERY 65536	    /* events between looks at the streams' positions */

/* Payload layout profiles: the Xen releases between which layouts differ. */
enum xt_profile {
	XP_45 = 45,   /* 4.5 - 4.6 */
	XP_47 = 47,   /* 4.7 */
	XP_48 = 48,   /* 4.8 */
	XP_49 = 49,   /* 4.9 */
	XP_410 = 410, /* 4.10 - 4.17 */
	XP_418 = 418, /* 4.18 and later */
};

/* What a record decodes as. */
enum xt_kind {
	XK_UNKNOWN = 0,
	XK_LOST,
	XK_WRAP,
	XK_CPU_CHANGE,
	XK_RUNSTATE,
	XK_CONTINUE,
	XK_DOM, /* w0 = domid */
	XK_DV2, /* w0 = domid, w1 = vcpu (two full words) */
	XK_SWITCH,
	XK_INFPREV,
	XK_INFNEXT,
	XK_INFCONT,
	XK_TICKLE, /* w0 & 0xffff = target cpu */
	XK_RT_PICK,
	XK_RT_BURN,
	XK_RT_REPL,
	XK_RT_TASKLET5, /* 4.5-4.6 per-schedule decision record */
	XK_SCHED1,	/* SCHEDULE with one word */
	XK_SCHED2,	/* credit2 SCHEDULE with two words */
	XK_DV_W0,	/* "dv" packed in w0 (credit2, null, credit RATELIMIT) */
	XK_DV_W2,	/* credit2 UPDATE_VCPU_LOAD: dv in w2 */
	XK_D_V_W01,	/* credit: w0 = dom, w1 = vcpu */
	XK_D_V_W12,	/* credit STOLEN: w1 = dom, w2 = vcpu */
	XK_IRQ,
	XK_RAW,	     /* known layout, nothing to interpret */
	XK_OH_DV2_5, /* RT-Xen 0x24001/2: w0 prev dom, w1 prev vcpu, ..., w5 ns */
	XK_OH_DV2_2, /* RT-Xen 0x24003-5: w0 dom, w1 vcpu, w2 ns */
	XK_OH_MC,    /* mode-change RTDS 0x2280d/e: w0 dv, w1/w2 u64 ns */
};

struct xt_layout {
	uint32_t id;
	uint8_t n;	 /* payload words */
	uint16_t lo, hi; /* profiles (inclusive) */
	uint8_t kind;
};

#define XP_ALL XP_45, XP_418

/* Known (id, word count) layouts, xen.md §2. Runstate ids are handled apart. */
static const struct xt_layout xt_layouts[] = {
	{XT_LOST, 4, XP_ALL, XK_LOST},
	{0x00021002, 1, XP_ALL, XK_CONTINUE},
	{0x00028001, 2, XP_45, XP_45, XK_DV2},
	{0x00028001, 1, XP_47, XP_418, XK_DOM},
	{0x00028002, 1, XP_47, XP_418, XK_DOM},
	{0x00028003, 2, XP_ALL, XK_DV2},
	{0x00028004, 2, XP_ALL, XK_DV2},
	{0x00028005, 2, XP_ALL, XK_DV2},
	{0x00028006, 2, XP_ALL, XK_DV2},
	{0x00028007, 3, XP_ALL, XK_DV2},
	{0x00028009, 1, XP_ALL, XK_DOM},
	{0x0002800a, 4, XP_ALL, XK_SWITCH},
	{0x0002800e, 2, XP_45, XP_47, XK_INFPREV},
	{0x0002800e, 3, XP_48, XP_418, XK_INFPREV},
	{0x0002800f, 3, XP_45, XP_47, XK_INFNEXT},
	{0x0002800f, 4, XP_48, XP_418, XK_INFNEXT},
	{0x00028010, 3, XP_ALL, XK_DV2},
	{0x00028011, 4, XP_49, XP_418, XK_INFCONT},
	/* RTDS */
	{0x00022801, 1, XP_ALL, XK_TICKLE},
	{0x00022802, 5, XP_ALL, XK_RT_PICK},
	{0x00022802, 0, XP_45, XP_45, XK_RAW},
	{0x00022803, 4, XP_45, XP_49, XK_RT_BURN},
	{0x00022803, 6, XP_410, XP_418, XK_RT_BURN},
	{0x00022804, 5, XP_45, XP_49, XK_RT_REPL},
	{0x00022804, 6, XP_410, XP_418, XK_RT_REPL},
	{0x00022805, 5, XP_45, XP_45, XK_RT_TASKLET5},
	{0x00022805, 0, XP_47, XP_418, XK_RAW},
	{0x00022806, 1, XP_48, XP_418, XK_SCHED1},
	/* mode-change RTDS fork probes (ids unused upstream) */
	{0x0002280d, 3, XP_ALL, XK_OH_MC},
	{0x0002280e, 5, XP_ALL, XK_OH_MC},
	/* credit */
	{0x00022001, 0, XP_ALL, XK_RAW},
	{0x00022002, 3, XP_ALL, XK_D_V_W01},
	{0x00022003, 3, XP_ALL, XK_D_V_W01},
	{0x00022004, 3, XP_ALL, XK_D_V_W12},
	{0x00022005, 3, XP_ALL, XK_D_V_W01},
	{0x00022006, 1, XP_ALL, XK_TICKLE},
	{0x00022007, 2, XP_47, XP_418, XK_D_V_W01},
	{0x00022008, 2, XP_47, XP_418, XK_D_V_W01},
	{0x00022009, 1, XP_48, XP_418, XK_SCHED1},
	{0x0002200a, 2, XP_48, XP_418, XK_DV_W0},
	{0x0002200b, 2, XP_49, XP_418, XK_RAW},
	/* credit2 */
	{0x00022202, 2, XP_ALL, XK_DV_W0},
	{0x00022203, 3, XP_45, XP_49, XK_DV_W0},
	{0x00022203, 4, XP_410, XP_418, XK_DV_W0},
	{0x00022205, 3, XP_ALL, XK_DV_W0},
	{0x00022206, 1, XP_ALL, XK_TICKLE},
	{0x00022207, 3, XP_ALL, XK_DV_W0},
	{0x00022207, 4, XP_45, XP_410, XK_DV_W0},
	{0x00022208, 0, XP_ALL, XK_RAW},
	{0x00022209, 0, XP_ALL, XK_RAW},
	{0x0002220a, 2, XP_ALL, XK_DV_W0},
	{0x0002220b, 4, XP_ALL, XK_DV_W2},
	{0x0002220c, 6, XP_ALL, XK_RAW},
	{0x0002220d, 3, XP_48, XP_418, XK_DV_W0},
	{0x00022213, 2, XP_48, XP_418, XK_DV_W0},
	{0x00022214, 3, XP_48, XP_418, XK_DV_W0},
	{0x00022215, 2, XP_48, XP_418, XK_SCHED2},
	{0x00022216, 2, XP_48, XP_418, XK_DV_W0},
	{0x00022217, 1, XP_410, XP_418, XK_DV_W0},
	/* null */
	{0x00022a01, 2, XP_410, XP_418, XK_DV_W0},
	{0x00022a02, 2, XP_410, XP_418, XK_DV_W0},
	{0x00022a03, 2, XP_410, XP_418, XK_DV_W0},
	{0x00022a04, 2, XP_410, XP_418, XK_DV_W0},
	{0x00022a05, 2, XP_410, XP_418, XK_RAW},
	{0x00022a06, 0, XP_410, XP_418, XK_RAW},
	/* RT-Xen overhead instrumentation (research builds) */
	{0x00024001, 6, XP_ALL, XK_OH_DV2_5},
	{0x00024002, 6, XP_ALL, XK_OH_DV2_5},
	{0x00024003, 3, XP_ALL, XK_OH_DV2_2},
	{0x00024004, 3, XP_ALL, XK_OH_DV2_2},
	{0x00024005, 3, XP_ALL, XK_OH_DV2_2},
	/* hardware, dom0 ops */
	{0x00802008, 3, XP_ALL, XK_IRQ},
	{0x00041001, 1, XP_ALL, XK_DOM},
	{0x00041002, 1, XP_ALL, XK_DOM},
};

#define XT_NLAYOUTS (sizeof(xt_layouts) / sizeof(xt_layouts[0]))

static inline uint32_t xt_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t xt_le64(const uint8_t *p)
{
	return (uint64_t)xt_le32(p) | ((uint64_t)xt_le32(p + 4) << 32);
}

/* A runstate change id: 0x21001 | old << 8 | new << 4, old != new. */
static int xt_is_runstate(uint32_t id)
{
	return (id & 0x0ffff00f) == 0x00021001 && ((id >> 8) & 0xf) <= 3 &&
	       ((id >> 4) & 0xf) <= 3 && ((id >> 8) & 0xf) != ((id >> 4) & 0xf);
}

/* Exactly one class bit (16-27) set: a well-formed event id. */
static int xt_class_ok(uint32_t id)
{
	uint32_t cls = (id >> 16) & 0xfff;

	return cls && !(cls & (cls - 1));
}

/*
 * @tsc is more than 2^40 cycles after @last or more than 2^32 before it (the
 * difference taken modulo 2^64: one add and one compare).
 */
static inline int xt_tsc_jump(uint64_t tsc, uint64_t last)
{
	return tsc - last + (UINT64_C(1) << 32) > (UINT64_C(1) << 40) + (UINT64_C(1) << 32);
}

/*
 * A record no Xen writes, so the window's record boundaries are lost (random
 * bytes over it): an id without a single class bit, or a TSC that jumps from
 * the window's previous one by more than 2^40 cycles forward (many minutes
 * inside one buffer flush) or 2^32 back. The index pass and the cursors skip
 * the rest of the window from it. Return: NULL, or what is wrong.
 */
static const char *xt_rec_damaged(uint32_t id, unsigned has, const uint8_t *p, int win_has,
				  uint64_t win_last)
{
	uint64_t tsc;

	if (!xt_class_ok(id))
		return "an event id without a single class bit";
	if (!has || !win_has)
		return NULL;
	tsc = xt_le64(p + 4);
	if (xt_tsc_jump(tsc, win_last))
		return "a TSC jump no clock makes";
	return NULL;
}

/**
 * xt_kind_of() - how a record of (@id, @n) decodes under @prof
 */
static int xt_kind_of(uint32_t id, unsigned n, int prof)
{
	size_t i;

	if (id == XT_WRAP)
		return XK_WRAP;
	if (id == XT_CPU_CHANGE)
		return n == 2 ? XK_CPU_CHANGE : XK_UNKNOWN;
	if (xt_is_runstate(id))
		return n == 1 ? XK_RUNSTATE : XK_UNKNOWN;
	for (i = 0; i < XT_NLAYOUTS; i++) {
		const struct xt_layout *l = &xt_layouts[i];

		if (l->id == id && l->n == n && prof >= l->lo && prof <= l->hi)
			return l->kind;
	}
	return XK_UNKNOWN;
}

/* ----------------------------------------------------------- small maps */

struct xt_census_ent {
	uint32_t key; /* id << 3 | n, + 1 (0 = empty) */
	uint32_t pad_;
	uint64_t count;
	uint64_t first_off;
};

#define XT_CC 256 /* census cache slots */

struct xt_census {
	struct xt_census_ent *e;
	uint32_t cap, n;
	/* direct-mapped cache: key -> its slot in e (cleared when e grows) */
	uint32_t ck[XT_CC], cs[XT_CC];
};

/*
 * Hash of a 32-bit key, masked by the callers to a power-of-two table. The
 * product's high bits are folded down: keys differ mostly in their high bits
 * (event ids << 3, domain << 16), and the low bits of a product depend on the
 * low bits of the key only, which made long probe chains.
 */
static uint32_t xt_hash(uint32_t k)
{
	k *= 2654435761u;
	return k ^ (k >> 15);
}

static int xt_census_add(struct xt_census *c, uint32_t id, unsigned n, uint64_t off)
{
	uint32_t key = ((id << 3) | n) + 1, h, ci = (key * 2654435761u) >> 24;

	if (c->ck[ci] == key) {
		c->e[c->cs[ci]].count++;
		return 0;
	}
	/* (ids in the census are well formed: the class is checked on a cache miss only) */
	if (!xt_class_ok(id))
		return 1;
	if ((uint64_t)(c->n + 1) * 2 > c->cap) {
		uint32_t ncap = c->cap ? c->cap * 2 : 256, i;
		struct xt_census_ent *ne = calloc(ncap, sizeof(*ne));

		if (!ne)
			return -RL_E_NOMEM;
		for (i = 0; i < c->cap; i++) {
			if (!c->e[i].key)
				continue;
			h = xt_hash(c->e[i].key) & (ncap - 1);
			while (ne[h].key)
				h = (h + 1) & (ncap - 1);
			ne[h] = c->e[i];
		}
		free(c->e);
		c->e = ne;
		c->cap = ncap;
		memset(c->ck, 0, sizeof(c->ck));
	}
	h = xt_hash(key) & (c->cap - 1);
	while (c->e[h].key && c->e[h].key != key)
		h = (h + 1) & (c->cap - 1);
	if (!c->e[h].key) {
		c->e[h].key = key;
		c->e[h].first_off = off;
		c->n++;
	}
	c->e[h].count++;
	c->ck[ci] = key;
	c->cs[ci] = h;
	return 0;
}

static uint64_t xt_census_get(const struct xt_census *c, uint32_t id, unsigned n)
{
	uint32_t key = ((id << 3) | n) + 1, h;

	if (!c->cap)
		return 0;
	h = xt_hash(key) & (c->cap - 1);
	while (c->e[h].key) {
		if (c->e[h].key == key)
			return c->e[h].count;
		h = (h + 1) & (c->cap - 1);
	}
	return 0;
}

/* u32 -> u32 map (values + 1 stored, 0 = empty): dv words -> task, ids -> names. */
struct xt_map {
	uint32_t *k, *v;
	uint32_t cap, n;
};

static uint32_t xt_map_get(const struct xt_map *m, uint32_t key)
{
	uint32_t h;

	if (!m->cap)
		return 0;
	h = xt_hash(key) & (m->cap - 1);
	while (m->v[h]) {
		if (m->k[h] == key)
			return m->v[h];
		h = (h + 1) & (m->cap - 1);
	}
	return 0;
}

static int xt_map_put(struct xt_map *m, uint32_t key, uint32_t val)
{
	uint32_t h;

	if ((uint64_t)(m->n + 1) * 2 > m->cap) {
		uint32_t ncap = m->cap ? m->cap * 2 : 64, i;
		uint32_t *nk = calloc(ncap, sizeof(*nk)), *nv = calloc(ncap, sizeof(*nv));

		if (!nk || !nv) {
			free(nk);
			free(nv);
			return -RL_E_NOMEM;
		}
		for (i = 0; i < m->cap; i++) {
			if (!m->v[i])
				continue;
			h = xt_hash(m->k[i]) & (ncap - 1);
			while (nv[h])
				h = (h + 1) & (ncap - 1);
			nk[h] = m->k[i];
			nv[h] = m->v[i];
		}
		free(m->k);
		free(m->v);
		m->k = nk;
		m->v = nv;
		m->cap = ncap;
	}
	h = xt_hash(key) & (m->cap - 1);
	while (m->v[h] && m->k[h] != key)
		h = (h + 1) & (m->cap - 1);
	if (!m->v[h])
		m->n++;
	m->k[h] = key;
	m->v[h] = val;
	return 0;
}

static void xt_map_release(struct xt_map *m)
{
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------- shared state */

/* What the PCPU streams of one file share; owned by the file's merged cursor. */
/* A window whose records stop being records at @at (xt_rec_damaged()). */
struct xt_cut {
	size_t win, at; /* offsets of the window's first record and of the damage */
};

struct xt_file {
	struct rl_trace *t;
	const struct rl_input *in; /* for rl_input_drop_before(); open as long as we are */
	const uint8_t *buf;
	size_t len; /* bytes of well-formed windows (a damaged tail is cut) */
	uint16_t src;
	int prof;
	uint32_t mask;	     /* xentrace-style event mask (0: all) */
	uint64_t mult;	     /* ns per cycle, 32.32 fixed point */
	uint64_t tsc0;	     /* subtracted before scaling when absolute values overflow */
	struct xt_map vcpus; /* (dom << 16 | vcpu) -> task + 1 */
	uint64_t vc[256];    /* direct-mapped cache of it: 1 << 63 | task << 32 | key */
	struct {
		uint32_t key;  /* (id << 3 | n) + 1, 0 = empty */
		uint32_t name; /* string id of "0x%08x" */
		uint8_t kind;  /* its xt_kind under prof */
	} kc[1024];	       /* direct-mapped decode cache */
	struct xt_map names;   /* event id -> string id */
	struct xt_cut *cuts;   /* damaged windows, in file order (the index pass's) */
	uint32_t ncuts;
};

/* One PCPU's stream: its windows in file order. */
struct xt_cursor {
	struct xt_file *f;
	uint32_t cpu;
	size_t scan; /* next window header to look at */
	size_t pos, end;
	uint64_t last_tsc;
	uint32_t last_id, last_name;
	uint32_t next_cut; /* first entry of f->cuts not behind this cursor */
};

static void xt_file_free(struct xt_file *f)
{
	if (!f)
		return;
	xt_map_release(&f->vcpus);
	xt_map_release(&f->names);
	free(f->cuts);
	free(f);
}

static int64_t xt_ns(const struct xt_file *f, uint64_t tsc)
{
	unsigned __int128 v = (unsigned __int128)(tsc - f->tsc0) * f->mult;

	v >>= 32;
	return v > (unsigned __int128)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static uint32_t xt_vcpu(struct xt_file *f, uint32_t dom, uint32_t vcpu)
{
	uint32_t key = (dom & 0xffff) << 16 | (vcpu & 0xffff), v, task;
	uint64_t *vc = &f->vc[(key * 2654435761u) >> 24];
	char nm[32];
	int len;

	if ((*vc >> 63) && (uint32_t)*vc == key)
		return (uint32_t)(*vc >> 32) & 0x7fffffff;
	v = xt_map_get(&f->vcpus, key);
	if (v && v - 1 <= 0x7fffffff) {
		*vc = 1ull << 63 | (uint64_t)(v - 1) << 32 | key;
		return v - 1;
	}
	if (v)
		return v - 1;
	task = rl_trace_task_vcpu(f->t, (int32_t)(dom & 0xffff), (int32_t)(vcpu & 0xffff));
	if (task == RL_NO_TASK)
		return RL_NO_TASK;
	len = snprintf(nm, sizeof(nm), "d%uv%u", dom & 0xffff, vcpu & 0xffff);
	f->t->tasks[task].name = rl_strtab_intern(f->t->strs, nm, (size_t)len);
	f->t->tasks[task].idle = (dom & 0xffff) == XT_IDLE_DOM;
	if (xt_map_put(&f->vcpus, key, task + 1))
		return RL_NO_TASK;
	return task;
}

/* A "dv" word: domain in bits 16-31, vcpu in bits 0-15. */
static uint32_t xt_dv(struct xt_file *f, uint32_t w)
{
	return xt_vcpu(f, w >> 16, w & 0xffff);
}

/* 4.5-4.6 RTDS and credit2 packing: domain in bits 0-15, vcpu in 16-31. */
static uint32_t xt_dv_rt(struct xt_file *f, uint32_t w)
{
	return f->prof == XP_45 ? xt_vcpu(f, w & 0xffff, w >> 16) : xt_dv(f, w);
}

static uint32_t xt_name(struct xt_cursor *c, uint32_t id)
{
	struct xt_file *f = c->f;
	uint32_t v;
	char nm[16];

	if (id == c->last_id && c->last_name)
		return c->last_name;
	v = xt_map_get(&f->names, id);
	if (!v) {
		snprintf(nm, sizeof(nm), "0x%08x", id);
		v = rl_strtab_intern(f->t->strs, nm, 10);
		if (!v || xt_map_put(&f->names, id, v))
			return 0;
	}
	c->last_id = id;
	c->last_name = v;
	return v;
}

static int64_t xt_u64w(const uint8_t *w, unsigned i)
{
	return (int64_t)((uint64_t)xt_le32(w + 4 * i) | (uint64_t)xt_le32(w + 4 * i + 4) << 32);
}

/*
 * Decode one record into @ev (already zeroed except identity fields).
 * (Over 100 lines: one case per payload layout of xt_layouts, each a few lines.)
 */
static void xt_decode(struct xt_cursor *c, uint32_t id, unsigned n, const uint8_t *w,
		      struct rl_event *ev)
{
	struct xt_file *f = c->f;
	uint32_t w0 = n > 0 ? xt_le32(w) : 0, w1 = n > 1 ? xt_le32(w + 4) : 0;
	uint32_t key = (id << 3 | n) + 1, slot = (key * 2654435761u) >> 22;
	int kind;

	if (f->kc[slot].key != key) {
		f->kc[slot].key = key;
		f->kc[slot].kind = (uint8_t)xt_kind_of(id, n, f->prof);
		f->kc[slot].name = xt_name(c, id);
	}
	kind = f->kc[slot].kind;
	ev->name = f->kc[slot].name;

	ev->type = RL_EV_OTHER;
	switch (kind) {
	case XK_RUNSTATE: {
		unsigned o = (id >> 8) & 0xf, nw = (id >> 4) & 0xf;

		ev->task = xt_dv(f, w0);
		ev->arg = -1;
		ev->arg2 = (int64_t)(o << 4 | nw);
		if (nw == 0)
			ev->type = RL_EV_SWITCH_IN;
		else if (o == 0)
			ev->type = RL_EV_SWITCH_OUT;
		else if (nw == 1)
			ev->type = RL_EV_WAKEUP;
		else if (nw == 2)
			ev->type = RL_EV_BLOCK;
		break;
	}
	case XK_LOST: {
		/* one event for the gap, dated at the first lost record */
		uint64_t first = (uint64_t)xt_le32(w + 8) | (uint64_t)xt_le32(w + 12) << 32;

		ev->type = RL_EV_LOST;
		ev->arg = w0;
		ev->arg2 = ev->ts;
		if (first <= ev->raw && first >= f->tsc0) {
			ev->raw = first;
			ev->ts = xt_ns(f, first);
		}
		ev->task = xt_vcpu(f, w1 & 0xffff, w1 >> 16);
		break;
	}
	case XK_CONTINUE:
		ev->task = xt_dv(f, w0);
		break;
	case XK_DOM:
		ev->arg = w0;
		break;
	case XK_DV2:
		ev->task = xt_vcpu(f, w0, w1);
		if (n > 2)
			ev->arg = xt_le32(w + 8);
		break;
	case XK_SWITCH:
		ev->task2 = xt_vcpu(f, w0, w1);
		ev->task = xt_vcpu(f, xt_le32(w + 8), xt_le32(w + 12));
		break;
	case XK_INFPREV:
		ev->arg2 = w0;
		if (n == 3) {
			ev->task = xt_vcpu(f, w0, w1);
			ev->arg = xt_le32(w + 8);
		} else {
			ev->arg = w1;
		}
		break;
	case XK_INFNEXT: {
		uint32_t slice;

		ev->arg2 = w0;
		if (n == 4) {
			ev->task = xt_vcpu(f, w0, w1);
			ev->arg = xt_le32(w + 8);
			slice = xt_le32(w + 12);
		} else {
			ev->arg = w1;
			slice = xt_le32(w + 8);
		}
		ev->arg2 = slice == UINT32_MAX ? -1 : (int64_t)slice;
		break;
	}
	case XK_INFCONT: {
		uint32_t slice = xt_le32(w + 12);

		ev->task = xt_vcpu(f, w0, w1);
		ev->arg = xt_le32(w + 8);
		ev->arg2 = slice == UINT32_MAX ? -1 : (int64_t)slice;
		break;
	}
	case XK_TICKLE:
		ev->type = RL_EV_IPI_SEND;
		ev->arg = w0 & 0xffff;
		break;
	case XK_RT_PICK:
	case XK_RT_TASKLET5:
		ev->task = xt_dv_rt(f, w0);
		ev->arg = xt_u64w(w, 1);
		ev->arg2 = xt_u64w(w, 3);
		break;
	case XK_RT_BURN:
		ev->task = xt_dv_rt(f, w0);
		ev->arg = xt_u64w(w, 1);
		ev->arg2 = (int32_t)xt_le32(w + 12);
		if (n == 6) /* has_extratime: only its low byte is meaningful before 4.18 */
			ev->job = (xt_le32(w + 16) << 8) | (xt_le32(w + 20) & 0xff);
		break;
	case XK_RT_REPL:
		ev->task = xt_dv_rt(f, w0);
		if (n == 6) {
			ev->job = w1;
			ev->arg = xt_u64w(w, 2);
			ev->arg2 = xt_u64w(w, 4);
		} else {
			ev->arg = xt_u64w(w, 1);
			ev->arg2 = xt_u64w(w, 3);
		}
		break;
	case XK_SCHED1:
		ev->arg = w0;
		break;
	case XK_SCHED2:
		ev->arg = (int64_t)((uint64_t)w0 | (uint64_t)w1 << 32);
		break;
	case XK_DV_W0:
		ev->task = xt_dv_rt(f, w0);
		ev->arg = w1;
		break;
	case XK_DV_W2:
		ev->task = xt_dv_rt(f, xt_le32(w + 8));
		break;
	case XK_D_V_W01:
		ev->task = xt_vcpu(f, w0, w1);
		break;
	case XK_D_V_W12:
		ev->task = xt_vcpu(f, w1, xt_le32(w + 8));
		ev->arg = w0;
		break;
	case XK_IRQ: {
		/* rebuild the handler's in/out TSCs from their low words (xen.md §2.8) */
		uint32_t lo = (uint32_t)ev->raw, in_lo = w1, out_lo = xt_le32(w + 8);
		uint64_t out = ev->raw - (uint32_t)(lo - out_lo);
		uint64_t in = out - (uint32_t)(out_lo - in_lo);

		ev->arg = w0;
		ev->arg2 = xt_ns(f, out) - xt_ns(f, in);
		break;
	}
	case XK_OH_DV2_5:
		ev->task2 = xt_vcpu(f, w0, w1);
		ev->task = xt_vcpu(f, xt_le32(w + 8), xt_le32(w + 12));
		ev->arg = xt_le32(w + 20);
		break;
	case XK_OH_DV2_2:
		ev->task = xt_vcpu(f, w0, w1);
		ev->arg = xt_le32(w + 8);
		break;
	case XK_OH_MC:
		ev->task = xt_dv(f, w0);
		ev->arg = xt_u64w(w, 1);
		break;
	case XK_RAW:
		break;
	default: /* unknown: raw words, reported by the index pass */
		ev->flags |= RL_EVF_RAW;
		ev->arg = n > 0 ? (int64_t)w0 : -1;
		ev->arg2 = n > 1 ? (int64_t)w1 : -1;
		ev->job = n;
		break;
	}
}

/* Move to the next window of this cursor's cpu. Return: 1 found, 0 end. */
static int xt_next_window(struct xt_cursor *c)
{
	const struct xt_file *f = c->f;

	while (c->scan + 12 <= f->len) {
		const uint8_t *p = f->buf + c->scan;
		uint32_t cpu = xt_le32(p + 4);
		size_t size = xt_le32(p + 8), data = c->scan + 12;

		if (size > f->len - data)
			size = (f->len - data) & ~(size_t)3;
		c->scan = data + size;
		if (cpu == c->cpu) {
			c->pos = data;
			c->end = data + size;
			/* a damaged window ends where the index pass found the damage */
			while (c->next_cut < f->ncuts && f->cuts[c->next_cut].win < data)
				c->next_cut++;
			if (c->next_cut < f->ncuts && f->cuts[c->next_cut].win == data)
				c->end = f->cuts[c->next_cut].at;
			return 1;
		}
	}
	return 0;
}

/* The next record of one PCPU's stream. Return: 1 with @ev filled, 0 at its end. */
static int xt_next(struct xt_cursor *c, struct rl_event *ev)
{
	struct xt_file *f = c->f;

	for (;;) {
		const uint8_t *p;
		uint32_t hdr, id;
		unsigned n, has;
		size_t sz;

		if (c->pos >= c->end) {
			if (!xt_next_window(c))
				return 0;
			continue;
		}
		p = f->buf + c->pos;
		if (c->end - c->pos < 4) {
			c->pos = c->end;
			continue;
		}
		hdr = xt_le32(p);
		n = (hdr >> 28) & 7;
		has = hdr >> 31;
		sz = 4 + 8 * has + 4 * n;
		if (sz > c->end - c->pos) { /* reported by the index pass */
			c->pos = c->end;
			continue;
		}
		id = hdr & 0x0fffffff;
		if (id == XT_WRAP || (f->mask && (id >> 16) != 1 &&
				      !((id & f->mask & 0x0fff0000) && (id & f->mask & 0xf000)))) {
			/* padding, or an event the caller masked out (lost records never are) */
			c->pos += sz;
			continue;
		}
		memset(ev, 0, sizeof(*ev));
		ev->src = f->src;
		ev->src_off = c->pos;
		ev->cpu = c->cpu;
		ev->task = ev->task2 = RL_NO_TASK;
		if (has)
			c->last_tsc = xt_le64(p + 4);
		else
			ev->flags |= RL_EVF_INHERITED;
		ev->raw = c->last_tsc;
		ev->ts = xt_ns(f, c->last_tsc);
		c->pos += sz;
		xt_decode(c, id, n, p + 4 + 8 * has, ev);
		f->t->srcs[f->src].nrec++;
		return 1;
	}
}

/*
 * The file's PCPU streams merged here, by (TSC, cpu), into one cursor: a
 * binary heap of the CPUs' next events where, after taking the top, the
 * CPU's following event usually stays on top (records come in bursts), so
 * the sift-down stops after one comparison with each child.
 */
struct xt_mcursor {
	struct rl_cursor base;
	struct xt_file *f;
	struct xt_cursor *cpus; /* one per PCPU with records */
	struct rl_event *head;	/* next event of each */
	uint32_t *heap;		/* indices into cpus, min-heap by (ts, cpu) */
	uint32_t ncpus, nheap;
	uint32_t until_drop; /* events before the next look at the streams' positions */
	size_t dropped;	     /* bytes before this offset were given back */
	uint8_t started, pending;
};

static int xt_head_less(const struct xt_mcursor *m, uint32_t a, uint32_t b)
{
	const struct rl_event *x = &m->head[a], *y = &m->head[b];

	return x->ts < y->ts || (x->ts == y->ts && x->cpu < y->cpu);
}

static void xt_sift(struct xt_mcursor *m, uint32_t i)
{
	uint32_t x = m->heap[i], n = m->nheap;

	for (;;) {
		uint32_t l = 2 * i + 1, k;

		if (l >= n)
			break;
		k = (l + 1 < n && xt_head_less(m, m->heap[l + 1], m->heap[l])) ? l + 1 : l;
		if (!xt_head_less(m, m->heap[k], x))
			break;
		m->heap[i] = m->heap[k];
		i = k;
	}
	m->heap[i] = x;
}

/*
 * Give back the mapped pages every stream has passed, so that resident
 * memory follows the spread of the streams' positions in the file and not
 * the file's size. A stream still in the heap may read again from the start
 * of its current window; a finished one reads nothing.
 */
static void xt_drop_behind(struct xt_mcursor *m)
{
	size_t low = m->f->len;
	uint32_t i;

	m->until_drop = XT_DROP_EVERY;
	for (i = 0; i < m->nheap; i++) {
		const struct xt_cursor *c = &m->cpus[m->heap[i]];
		size_t at = c->end > c->pos ? c->pos : c->scan;

		if (at < low)
			low = at;
	}
	if (low >= m->dropped + XT_DROP_STEP) {
		rl_input_drop_range(m->f->in, m->dropped, low);
		m->dropped = low;
	}
}

static int xt_mnext(struct rl_cursor *base, struct rl_event *ev, struct rl_err *err)
{
	struct xt_mcursor *m = (struct xt_mcursor *)base;
	uint32_t i;

	(void)err;
	if (!m->started) {
		m->started = 1;
		for (i = 0; i < m->ncpus; i++) {
			if (xt_next(&m->cpus[i], &m->head[i]))
				m->heap[m->nheap++] = i;
		}
		for (i = m->nheap / 2; i-- > 0;)
			xt_sift(m, i);
	} else if (m->pending) {
		i = m->heap[0];
		if (!xt_next(&m->cpus[i], &m->head[i]))
			m->heap[0] = m->heap[--m->nheap];
		if (m->nheap)
			xt_sift(m, 0);
	}
	m->pending = 0;
	if (!m->nheap)
		return 0;
	if (!m->until_drop--)
		xt_drop_behind(m);
	*ev = m->head[m->heap[0]];
	m->pending = 1;
	return 1;
}

static void xt_mclose(struct rl_cursor *base)
{
	struct xt_mcursor *m = (struct xt_mcursor *)base;

	xt_file_free(m->f);
	free(m->cpus);
	free(m->head);
	free(m->heap);
	free(m);
}

static const struct rl_cursor_ops xt_mcursor_ops = {xt_mnext, xt_mclose};

static int xt_probe(const struct rl_input *in)
{
	size_t off = 0;
	int wins = 0;

	if (in->is_dir || in->len < 12)
		return 0;
	/* the first few windows must chain: cpu-change header, sane cpu, size */
	while (off + 12 <= in->len && wins < 4) {
		uint32_t cpu = xt_le32(in->buf + off + 4), size = xt_le32(in->buf + off + 8);

		if (xt_le32(in->buf + off) != XT_CPU_CHANGE_HDR || cpu >= XT_MAX_CPU || size % 4)
			return wins ? 40 : 0;
		wins++;
		if (size > in->len - off - 12)
			break;
		off += 12 + (size_t)size;
	}
	return 90;
}

/* ------------------------------------------------------- index pass */

struct xt_hz {
	double *v; /* cycles per ns samples, every `stride`-th kept */
	uint32_t n, cap;
	uint64_t seen, stride;
};

static int xt_hz_add(struct xt_hz *h, double r)
{
	if (h->seen++ % h->stride)
		return 0;
	if (h->n == XT_HZ_KEEP) { /* keep every other sample, halve the rate */
		uint32_t i;

		for (i = 0; i < h->n / 2; i++)
			h->v[i] = h->v[2 * i];
		h->n /= 2;
		h->stride *= 2;
		if ((h->seen - 1) % h->stride)
			return 0;
	}
	if (rl_grow((void **)&h->v, &h->cap, h->n + 1, sizeof(*h->v)))
		return -RL_E_NOMEM;
	h->v[h->n++] = r;
	return 0;
}

static int xt_dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct xt_cpu_state {
	uint64_t last_tsc, last_infprev;
	uint8_t seen, has_tsc, has_infprev;
	uint32_t nwin;
};

struct xt_index {
	struct xt_census census;
	struct xt_cpu_state *cpus;
	uint32_t ncpus, cap_cpus;
	struct xt_hz hz;
	struct xt_map rs_dv;  /* dv words seen in runstate records */
	uint64_t rs_seen[64]; /* direct-mapped: 1 << 32 | dv already in rs_dv */
	uint64_t rt_seen[64]; /* the same for rt_w0 */
	struct xt_map rt_w0;  /* w0 of RTDS pick/burn/replenish records */
	uint64_t ntsc, nrec;
	uint64_t tsc_min, tsc_max, tsc_first;
	uint8_t tsc_vary;
	size_t good_len; /* end of the last well-formed window */
	struct xt_cut *cuts;
	uint32_t ncuts, cap_cuts;
};

static void xt_index_release(struct xt_index *x)
{
	free(x->census.e);
	free(x->cpus);
	free(x->hz.v);
	xt_map_release(&x->rs_dv);
	xt_map_release(&x->rt_w0);
	free(x->cuts);
}

static struct xt_cpu_state *xt_index_cpu(struct xt_index *x, uint32_t cpu)
{
	if (cpu >= x->ncpus) {
		/* elements past ncpus stay zero until used: zeroed as the array grows */
		if (rl_grow_zero((void **)&x->cpus, &x->cap_cpus, cpu + 1, sizeof(*x->cpus)))
			return NULL;
		x->ncpus = cpu + 1;
	}
	return &x->cpus[cpu];
}

/*
 * Note @w in the set @m, past a direct-mapped cache @seen (64 slots of
 * 1 << 32 | w) of words known to be in it: most records repeat a few words.
 * Return: 0 or -RL_E_NOMEM.
 */
static int xt_seen(struct xt_map *m, uint64_t *seen, uint32_t w)
{
	uint64_t *s = &seen[(w * 2654435761u) >> 26];

	if (*s == (1ull << 32 | w))
		return 0;
	if (!xt_map_get(m, w) && xt_map_put(m, w, 1))
		return -RL_E_NOMEM;
	*s = 1ull << 32 | w;
	return 0;
}

/* Walk one window's records. Return: 0 or -RL_E_NOMEM. * (Over 100 lines: one record's checks,
 * census and clock notes in file order, each step depending on the ones before.)
 */
static int xt_index_window(struct xt_index *x, const struct rl_input *in, struct rl_trace *t,
			   uint32_t cpu, size_t pos, size_t end, int cut)
{
	struct xt_cpu_state *cs = xt_index_cpu(x, cpu);
	int win_tsc = 0, r;
	const char *bad;
	size_t win = pos;

	if (!cs)
		return -RL_E_NOMEM;
	cs->seen = 1;
	cs->nwin++;
	while (pos < end) {
		const uint8_t *p = in->buf + pos;
		uint64_t tsc;
		uint32_t hdr, id;
		unsigned n, has;
		size_t sz;

		if (end - pos < 4) {
			rl_trace_warn(t, RL_W_TRUNCATED, in->src, pos,
				      "%zu stray bytes at the end of a window of cpu %u", end - pos,
				      cpu);
			break;
		}
		hdr = xt_le32(p);
		n = (hdr >> 28) & 7;
		has = hdr >> 31;
		sz = 4 + 8 * has + 4 * n;
		id = hdr & 0x0fffffff;
		if (sz > end - pos) {
			if (cut)
				rl_trace_warn(
					t, RL_W_TRUNCATED, in->src, pos,
					"record 0x%08x of %zu bytes cut by the end of the file "
					"(truncated file?); dropped",
					id, sz);
			else
				rl_trace_warn(t, RL_W_GARBAGE, in->src, pos,
					      "record 0x%08x of %zu bytes runs past the end of its "
					      "window (%zu bytes left); rest of the window skipped",
					      id, sz, end - pos);
			break;
		}
		tsc = 0;
		r = 0;
		if (has) {
			tsc = xt_le64(p + 4);
			/* forward by at most 2^40 cycles (nearly always): no check below */
			if (__builtin_expect(tsc - cs->last_tsc > (UINT64_C(1) << 40), 0)) {
				/* the window's previous TSC is the cpu's last one */
				if (win_tsc && xt_tsc_jump(tsc, cs->last_tsc))
					r = 1;
				else if (cs->has_tsc && tsc < cs->last_tsc)
					rl_trace_warn(t, RL_W_UNORDERED, in->src, pos,
						      "cpu %u: TSC goes back by %llu cycles", cpu,
						      (unsigned long long)(cs->last_tsc - tsc));
			}
		}
		/* an id without a single class bit: the census checks the ids it has not seen */
		if (!r && id != XT_WRAP) {
			r = xt_census_add(&x->census, id, n, pos);
			if (r < 0)
				return r;
		}
		if (r) {
			bad = xt_rec_damaged(id, has, p, win_tsc, cs->last_tsc);
			rl_trace_warn(t, RL_W_GARBAGE, in->src, pos,
				      "record 0x%08x of cpu %u has %s (damaged window?): the "
				      "window's last %zu bytes skipped",
				      hdr, cpu, bad ? bad : "damage", end - pos);
			if (rl_grow((void **)&x->cuts, &x->cap_cuts, x->ncuts + 1,
				    sizeof(*x->cuts)))
				return -RL_E_NOMEM;
			x->cuts[x->ncuts].win = win;
			x->cuts[x->ncuts++].at = pos;
			break;
		}
		win_tsc |= has;
		if (id == XT_LOST && n == 4 && has)
			rl_trace_warn(
				t, RL_W_LOST, in->src, pos,
				"cpu %u lost %u records (consumer too slow; larger -S buffers "
				"help); the schedule has a gap there",
				cpu, xt_le32(p + 12));
		if (id != XT_WRAP)
			x->nrec++;
		if (has) {
			if (!x->ntsc++) {
				x->tsc_min = x->tsc_max = x->tsc_first = tsc;
			} else {
				if (tsc != x->tsc_first)
					x->tsc_vary = 1;
				if (tsc < x->tsc_min)
					x->tsc_min = tsc;
				if (tsc > x->tsc_max)
					x->tsc_max = tsc;
			}
			cs->last_tsc = tsc;
			cs->has_tsc = 1;
			if (id == 0x0002800e && (n == 2 || n == 3)) {
				uint32_t rt = xt_le32(p + 12 + 4 * (n - 1));

				if (cs->has_infprev && rt >= XT_MIN_RUNTIME_NS &&
				    tsc > cs->last_infprev &&
				    xt_hz_add(&x->hz, (double)(tsc - cs->last_infprev) / rt))
					return -RL_E_NOMEM;
				cs->last_infprev = tsc;
				cs->has_infprev = 1;
			}
		}
		if (n >= 1 && xt_is_runstate(id)) {
			if (xt_seen(&x->rs_dv, x->rs_seen, xt_le32(p + 4 + 8 * has)))
				return -RL_E_NOMEM;
		} else if (n >= 4 && (id == 0x00022802 || id == 0x00022803 || id == 0x00022804)) {
			if (x->rt_w0.n < 65536 &&
			    xt_seen(&x->rt_w0, x->rt_seen, xt_le32(p + 4 + 8 * has)))
				return -RL_E_NOMEM;
		}
		pos += sz;
	}
	return 0;
}

/* Walk the windows. Return: 0, or a negative code with @err set. */
static int xt_index_file(struct xt_index *x, const struct rl_input *in, struct rl_trace *t,
			 struct rl_err *err)
{
	size_t off = 0, dropped = 0;
	int r;

	while (off < in->len) {
		const uint8_t *p = in->buf + off;
		uint32_t hdr, cpu;
		size_t size, avail;
		int cut = 0;

		if (in->len - off < 12) {
			rl_trace_warn(t, RL_W_TRUNCATED, in->src, off,
				      "%zu bytes at the end of the file are too short for a "
				      "CPU-change record (truncated file?); ignored",
				      in->len - off);
			break;
		}
		hdr = xt_le32(p);
		cpu = xt_le32(p + 4);
		size = xt_le32(p + 8);
		if (hdr != XT_CPU_CHANGE_HDR || cpu >= XT_MAX_CPU || size % 4) {
			if (!off)
				return rl_err_set(
					err, -RL_E_FORMAT, in->path, 0,
					"not a xentrace file: expected a CPU-change record "
					"(0x%08x, cpu < %u, size multiple of 4), found "
					"0x%08x 0x%08x 0x%08x",
					XT_CPU_CHANGE_HDR, XT_MAX_CPU, hdr, cpu, (uint32_t)size);
			rl_trace_warn(t, RL_W_GARBAGE, in->src, off,
				      "expected a CPU-change record at a window boundary, found "
				      "0x%08x 0x%08x 0x%08x; the rest of the file (%zu bytes) is "
				      "ignored",
				      hdr, cpu, (uint32_t)size, in->len - off);
			break;
		}
		avail = in->len - off - 12;
		if (size > avail) {
			rl_trace_warn(t, RL_W_TRUNCATED, in->src, off,
				      "window of cpu %u declares %zu bytes but only %zu remain "
				      "(truncated file?); its complete records are kept",
				      cpu, size, avail);
			size = avail & ~(size_t)3;
			cut = 1;
		}
		r = xt_index_window(x, in, t, cpu, off + 12, off + 12 + size, cut);
		if (r < 0)
			return rl_err_set(err, r, in->path, off, "out of memory indexing xentrace");
		off += 12 + size;
		/* one sequential pass: what it has read is not needed again soon */
		if (off >= dropped + XT_DROP_STEP) {
			rl_input_drop_range(in, dropped, off);
			dropped = off;
		}
		x->good_len = off;
		if (cut)
			break;
	}
	rl_input_drop_range(in, dropped, in->len); /* the streams start again from the top */
	return 0;
}

/* Format names (static, kept by the trace) and the releases they cover. */
static const char *xt_profile_name(int prof)
{
	switch (prof) {
	case XP_45:
		return "xentrace-4.5";
	case XP_47:
		return "xentrace-4.7";
	case XP_48:
		return "xentrace-4.8";
	case XP_49:
		return "xentrace-4.9";
	case XP_410:
		return "xentrace-4.10";
	default:
		return "xentrace-4.18";
	}
}

static const char *xt_profile_releases(int prof)
{
	switch (prof) {
	case XP_45:
		return "Xen 4.5-4.6";
	case XP_47:
		return "Xen 4.7";
	case XP_48:
		return "Xen 4.8";
	case XP_49:
		return "Xen 4.9";
	case XP_410:
		return "Xen 4.10-4.17";
	default:
		return "Xen 4.18+";
	}
}

static int xt_profile_of_version(int v)
{
	if (v < 407)
		return XP_45;
	if (v == 407)
		return XP_47;
	if (v == 408)
		return XP_48;
	if (v == 409)
		return XP_49;
	if (v < 418)
		return XP_410;
	return XP_418;
}

/* Pick the layout profile from the census (xen.md §1.5). */
static int xt_detect_profile(const struct xt_index *x, struct rl_trace *t, uint16_t src)
{
	const struct xt_census *c = &x->census;
	int le46 = xt_census_get(c, 0x00022805, 5) || xt_census_get(c, 0x00028001, 2) ||
		   xt_census_get(c, 0x00022802, 0);
	int le47 = xt_census_get(c, 0x0002800e, 2) || xt_census_get(c, 0x0002800f, 3);
	int ge48 = xt_census_get(c, 0x0002800e, 3) || xt_census_get(c, 0x00022806, 1) ||
		   xt_census_get(c, 0x0002800f, 4);
	int ge49 = xt_census_get(c, 0x00028011, 4) != 0;
	int ge410 = xt_census_get(c, 0x00022804, 6) || xt_census_get(c, 0x00022803, 6);
	int prof;

	if ((le46 || le47) && (ge48 || ge49 || ge410))
		rl_trace_warn(t, RL_W_OTHER, src, RL_OFF_NONE,
			      "payload layouts of different Xen versions in one file; decoding "
			      "with the newer ones (--xen-version to choose)");
	if (ge410)
		prof = XP_410;
	else if (ge49)
		prof = XP_49;
	else if (ge48)
		prof = XP_48;
	else if (le46)
		prof = XP_45;
	else if (le47) {
		/* 4.6 and 4.7 differ in the dom/vcpu halves of RTDS words: keep the
		 * reading whose (dom, vcpu) pairs the runstate records know */
		uint64_t as47 = 0, as46 = 0;
		uint32_t i;

		for (i = 0; i < x->rt_w0.cap; i++) {
			uint32_t w;

			if (!x->rt_w0.v[i])
				continue;
			w = x->rt_w0.k[i];
			as47 += xt_map_get(&x->rs_dv, w) != 0;
			as46 += xt_map_get(&x->rs_dv, (w & 0xffff) << 16 | w >> 16) != 0;
		}
		prof = as46 > as47 ? XP_45 : XP_47;
	} else {
		prof = XP_418;
	}
	return prof;
}

static int xt_census_cmp(const void *a, const void *b)
{
	const struct xt_census_ent *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Report every (id, n) that fits no layout, once, in id order. */
static int xt_report_unknown(struct xt_index *x, struct rl_trace *t, uint16_t src, int prof)
{
	struct xt_census_ent *v;
	uint32_t i, k = 0;

	v = malloc((x->census.n ? x->census.n : 1) * sizeof(*v));
	if (!v)
		return -RL_E_NOMEM;
	for (i = 0; i < x->census.cap; i++)
		if (x->census.e[i].key)
			v[k++] = x->census.e[i];
	qsort(v, k, sizeof(*v), xt_census_cmp);
	for (i = 0; i < k; i++) {
		uint32_t id = (v[i].key - 1) >> 3, n = (v[i].key - 1) & 7;
		uint32_t cls = id >> 16;

		if (xt_kind_of(id, n, prof) != XK_UNKNOWN)
			continue;
		/* (ids without a single class bit end their window: xt_rec_damaged()) */
		if (cls == 0x0001 || cls == 0x0002)
			rl_trace_warn(t, RL_W_UNKNOWN_TYPE, src, v[i].first_off,
				      "event 0x%08x with %u payload words matches no %s layout "
				      "(research build?): %llu records carried as unknown",
				      id, n, xt_profile_releases(prof),
				      (unsigned long long)v[i].count);
		/* other classes (HVM, PV, memory...) are carried raw without a word */
	}
	free(v);
	return 0;
}

/* Set the TSC rate: given, estimated from the trace, or xenalyze's default. */
static void xt_clock(struct xt_index *x, struct rl_trace *t, uint16_t src,
		     const struct rl_read_opts *opts)
{
	struct rl_clock_info *ck = &t->clock;

	memset(ck, 0, sizeof(*ck));
	if (x->hz.n) {
		double *v = x->hz.v;
		uint32_t n = x->hz.n;

		qsort(v, n, sizeof(*v), xt_dbl_cmp);
		ck->est_hz = round(v[n / 2] * 1e6) * 1e3; /* to the kHz */
		ck->est_lo = v[n / 10] * 1e9;
		ck->est_hi = v[(n * 9) / 10] * 1e9;
		ck->est_n = n;
	}
	if (opts && opts->cpu_hz) {
		ck->hz = (double)opts->cpu_hz;
		ck->given = 1;
		if (ck->est_hz && fabs(ck->est_hz - ck->hz) > 0.01 * ck->hz)
			rl_trace_warn(t, RL_W_OTHER, src, RL_OFF_NONE,
				      "--cpu-hz %.6f GHz differs from the %.6f GHz the context "
				      "switches in the trace suggest",
				      ck->hz / 1e9, ck->est_hz / 1e9);
	} else if (ck->est_hz) {
		ck->hz = ck->est_hz;
		if (ck->est_n < 10 || ck->est_hi - ck->est_lo > 0.02 * ck->est_hz)
			rl_trace_warn(t, RL_W_OTHER, src, RL_OFF_NONE,
				      "cpu clock estimated at %.6f GHz from only %llu context "
				      "switches or widely spread (p10 %.6f, p90 %.6f GHz); give "
				      "--cpu-hz",
				      ck->est_hz / 1e9, (unsigned long long)ck->est_n,
				      ck->est_lo / 1e9, ck->est_hi / 1e9);
	} else {
		ck->hz = (double)XT_DEFAULT_HZ;
		if (x->ntsc > 1)
			rl_trace_warn(t, RL_W_OTHER, src, RL_OFF_NONE,
				      "no context switch to estimate the cpu clock from; assuming "
				      "%.1f GHz (give --cpu-hz)",
				      ck->hz / 1e9);
	}
}

static int xt_open(struct rl_input *ins, size_t nin, struct rl_trace *t,
		   const struct rl_read_opts *opts, struct rl_cursor ***out, size_t *nout,
		   struct rl_err *err)
{
	struct rl_cursor **curs = NULL;
	size_t ncurs = 0, i;
	uint32_t cap = 0;
	int ret = 0;

	for (i = 0; i < nin; i++) {
		struct rl_input *in = &ins[i];
		struct xt_index x;
		struct xt_file *f = NULL;
		struct xt_mcursor *m;
		unsigned __int128 top;
		uint32_t cpu;

		memset(&x, 0, sizeof(x));
		x.hz.stride = 1;
		ret = xt_index_file(&x, in, t, err);
		if (ret < 0) {
			xt_index_release(&x);
			goto fail;
		}
		f = calloc(1, sizeof(*f));
		if (!f) {
			xt_index_release(&x);
			goto nomem;
		}
		f->t = t;
		f->in = in;
		f->buf = in->buf;
		f->len = x.good_len;
		f->src = in->src;
		f->mask = opts ? opts->xen_mask : 0;
		f->cuts = x.cuts;
		f->ncuts = x.ncuts;
		x.cuts = NULL;
		f->prof = opts && opts->xen_version ? xt_profile_of_version(opts->xen_version)
						    : xt_detect_profile(&x, t, in->src);
		t->format = xt_profile_name(f->prof);
		if (xt_report_unknown(&x, t, in->src, f->prof)) {
			xt_index_release(&x);
			xt_file_free(f);
			goto nomem;
		}
		if (x.ntsc > 1 && !x.tsc_vary)
			rl_trace_warn(t, RL_W_GARBAGE, in->src, RL_OFF_NONE,
				      "all %llu timestamps are equal (0x%llx): Xen on Arm before "
				      "4.12 writes no cycle counter; times and durations are "
				      "meaningless",
				      (unsigned long long)x.ntsc, (unsigned long long)x.tsc_first);
		xt_clock(&x, t, in->src, opts);
		f->mult = (uint64_t)((1e9 * 4294967296.0) / t->clock.hz);
		if (!f->mult)
			f->mult = 1;
		top = ((unsigned __int128)x.tsc_max * f->mult) >> 32;
		if (top > (unsigned __int128)INT64_MAX)
			f->tsc0 = x.tsc_min; /* absolute ns would overflow: count from the first */
		m = calloc(1, sizeof(*m));
		if (!m || rl_grow((void **)&curs, &cap, (uint32_t)ncurs + 1, sizeof(*curs))) {
			free(m);
			xt_file_free(f);
			xt_index_release(&x);
			goto nomem;
		}
		m->base.ops = &xt_mcursor_ops;
		m->f = f;
		curs[ncurs++] = &m->base;
		m->cpus = calloc(x.ncpus ? x.ncpus : 1, sizeof(*m->cpus));
		m->head = calloc(x.ncpus ? x.ncpus : 1, sizeof(*m->head));
		m->heap = calloc(x.ncpus ? x.ncpus : 1, sizeof(*m->heap));
		if (!m->cpus || !m->head || !m->heap) {
			xt_index_release(&x);
			goto nomem;
		}
		for (cpu = 0; cpu < x.ncpus; cpu++) {
			struct xt_cursor *c = &m->cpus[m->ncpus];

			if (!x.cpus[cpu].seen)
				continue;
			c->f = f;
			c->cpu = cpu;
			m->ncpus++;
			rl_trace_note_cpu(t, cpu);
		}
		if (nin == 1)
			t->srcs[in->src].cpu = -1;
		xt_index_release(&x);
	}
	*out = curs;
	*nout = ncurs;
	return 0;
nomem:
	ret = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory opening xentrace");
fail:
	for (i = 0; i < ncurs; i++)
		rl_cursor_close(curs[i]);
	free(curs);
	return ret;
}

const struct rl_reader_ops rl_reader_xentrace = {
	.name = "xentrace",
	.family = RL_FAM_XEN,
	.desc = "Xen xentrace binary (per-PCPU windows, Xen 4.5-4.19 scheduler payloads)",
	.probe = xt_probe,
	.open = xt_open,
};
