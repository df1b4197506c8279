/*
 * readers/feather-trace.h - Feather-Trace overhead records: layout, decoding,
 * names, and the file sets of the overhead extraction.
 *
 * Format knowledge (libc only) shared by the reader (readers/feather-trace.c
 * turns records into RL_EV_OVERHEAD events) and by the analyses that must
 * work in file order on one file (stats/ft2csv.c, stats/ft-pairs.c):
 * rl_ft_file_setup() detects the byte order of a buffer and rl_ft_decode()
 * decodes record i with explicit byte and bit arithmetic (never C
 * bit-fields), so the same code reads little- and big-endian traces on any
 * host. rl_ft_set_open() opens and checks the files of one extraction.
 *
 * Layouts (16 bytes each; no header, no version field in the files):
 *   current (Aug 2012-): u64 { timestamp:48, pid:16 }, u32 seq_no, u8 cpu,
 *                        u8 event, u8 { task_type:2, irq_flag:1, irq_count:5 }, pad
 *   2012a   (Jan 2012):  u64 timestamp, u32 seq_no, u8 cpu, u8 event,
 *                        u8 { task_type:2, irq_flag:1, irq_count:5 }, pad
 *   2008    (2007-2011): u64 timestamp, u32 seq_no, u8 cpu, u8 event, u8 task_type, pad
 * Big-endian gcc ABIs allocate bit-fields from the most significant bit.
 */
#ifndef RL_READERS_FEATHER_TRACE_H
#define RL_READERS_FEATHER_TRACE_H

#include "readers.h"

#include <string.h>

#define RL_FT_REC 16
#define RL_FT_TS_BITS 48
#define RL_FT_TS_MASK ((UINT64_C(1) << RL_FT_TS_BITS) - 1)
#define RL_FT_DETECT_RECS 4096 /* records looked at to detect the byte order */

enum rl_ft_layout { RL_FT_CURRENT = 0, RL_FT_2012A = 1, RL_FT_2008 = 2 };
enum rl_ft_order { RL_FT_ORDER_AUTO = 0, RL_FT_ORDER_LE = 1, RL_FT_ORDER_BE = 2 };
enum rl_ft_task_type { RL_FT_BE = 0, RL_FT_RT = 1, RL_FT_UNKNOWN = 2 };
/* File kind, from the file name: ..._cpu=N.bin, ..._msg=N.bin, or neither. */
enum rl_ft_kind { RL_FT_KIND_ANY = 0, RL_FT_KIND_CPU = 1, RL_FT_KIND_MSG = 2 };

/* Event ids with a meaning to the pairing rules (litmus.md 1.3) */
#define RL_FT_SUSPENSION_RANGE 30
#define RL_FT_LOCK_SUSPEND 38
#define RL_FT_LOCK_RESUME 39
#define RL_FT_PID_RANGE 99
#define RL_FT_SCHED_START 100
#define RL_FT_SCHED_END 101
#define RL_FT_QB_START 112
#define RL_FT_SEND_RESCHED_START 190
#define RL_FT_SEND_RESCHED_END 191
#define RL_FT_SEND_XCALL_START 192
#define RL_FT_SEND_XCALL_END 193
#define RL_FT_SINGLE_RANGE 200
#define RL_FT_RELEASE_LATENCY 208
#define RL_FT_TIMER_LATENCY 209

/**
 * struct rl_ft_rec - one decoded record
 * @ts:        timestamp field (48 bits in the current layout, 64 before); cycles,
 *             or ns for the latency records 208/209
 * @seq:       sequence number
 * @pid:       pid (16 bits; 0 in older layouts)
 * @cpu:       cpu field
 * @event:     event id
 * @type:      task type (enum rl_ft_task_type; 3 unused)
 * @irq_flag:  an interrupt hit the cpu since the previous record of its class
 * @irq_count: number of those interrupts mod 32
 */
struct rl_ft_rec {
	uint64_t ts;
	uint32_t seq;
	uint16_t pid;
	uint8_t cpu;
	uint8_t event;
	uint8_t type;
	uint8_t irq_flag;
	uint8_t irq_count;
	uint8_t pad_;
};

/**
 * struct rl_ft_file - a loaded Feather-Trace file
 * @buf:     the records
 * @nrec:    number of whole records
 * @tail:    trailing bytes that do not form a whole record
 * @ts_mask: mask of the timestamp field (2^48-1, or all ones for old layouts)
 * @layout:  enum rl_ft_layout
 * @be:      records are big-endian
 * @order_votes: records whose sequence number continues the previous one,
 *           read little-endian [0] and big-endian [1] (detection evidence)
 * @cpu:     the cpu of the file (from its name, else the majority cpu field), -1 unknown
 * @kind:    enum rl_ft_kind from the file name
 */
struct rl_ft_file {
	const uint8_t *buf;
	const struct rl_input *in; /* the loaded input, or NULL (a caller's buffer) */
	uint64_t nrec;
	uint64_t tail;
	uint64_t ts_mask;
	uint64_t order_votes[2];
	int layout;
	int be;
	int cpu;
	int kind;
};

struct rl_ft_opts {
	int layout; /* enum rl_ft_layout */
	int order;  /* enum rl_ft_order */
};

/* Look at @len bytes named @path as a Feather-Trace file (see rl_ft_file_init()). */
int rl_ft_file_setup(struct rl_ft_file *f, const uint8_t *buf, size_t len, const char *path,
		     const struct rl_ft_opts *o, struct rl_err *err);
/* Return: 1 when the sequence numbers say this is not a Feather-Trace file
 * (fewer than half of the first records continue their predecessor). */
int rl_ft_file_implausible(const struct rl_ft_file *f);

/* Return: the name of event @id as the LITMUS tools spell it, or NULL. */
const char *rl_ft_event_name(unsigned id);
/* Resolve a name as ft2csv does: exact name, number, then NAME_START. Return: 0 or -1. */
int rl_ft_event_parse(const char *s, unsigned *id);
/* Return: the cpu=N or msg=N key of a file name, -1 if none; *kind set. */
int rl_ft_name_cpu(const char *path, int *kind);

static inline uint64_t rl_ft_ld64(const uint8_t *p, int be)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v)); /* one load; the swap below is a single instruction */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return be ? __builtin_bswap64(v) : v;
#else
	return be ? v : __builtin_bswap64(v);
#endif
}

static inline uint32_t rl_ft_ld32(const uint8_t *p, int be)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return be ? __builtin_bswap32(v) : v;
#else
	return be ? v : __builtin_bswap32(v);
#endif
}

/**
 * rl_ft_decode_as() - decode 16 bytes with a fixed layout and byte order
 * @p:      the record
 * @layout: enum rl_ft_layout
 * @be:     big-endian
 * @r:      output
 *
 * With constant @layout and @be the compiler drops every branch; hot loops
 * call it that way.
 */
static inline void rl_ft_decode_as(const uint8_t *p, int layout, int be, struct rl_ft_rec *r)
{
	uint64_t w0 = rl_ft_ld64(p, be);
	uint8_t b = p[14];

	r->seq = rl_ft_ld32(p + 8, be);
	r->cpu = p[12];
	r->event = p[13];
	r->pad_ = 0;
	if (layout == RL_FT_CURRENT) {
		r->ts = be ? w0 >> 16 : w0 & RL_FT_TS_MASK;
		r->pid = (uint16_t)(be ? w0 & 0xffff : w0 >> 48);
	} else {
		r->ts = w0;
		r->pid = 0;
	}
	if (layout == RL_FT_2008) {
		r->type = b;
		r->irq_flag = 0;
		r->irq_count = 0;
	} else if (be) {
		r->type = b >> 6;
		r->irq_flag = (b >> 5) & 1;
		r->irq_count = b & 31;
	} else {
		r->type = b & 3;
		r->irq_flag = (b >> 2) & 1;
		r->irq_count = b >> 3;
	}
}

/**
 * rl_ft_decode() - decode record @i of @f
 * @f: the file
 * @i: record index (< f->nrec)
 * @r: output
 */
static inline void rl_ft_decode(const struct rl_ft_file *f, uint64_t i, struct rl_ft_rec *r)
{
	rl_ft_decode_as(f->buf + i * RL_FT_REC, f->layout, f->be, r);
}

/*
 * The clock check of one file's timed records (ids below 200), the same for
 * the model cursor and the overhead walk. A record is implausible when its
 * timestamp field is all ones or when it jumps more than RL_FT_JUMP cycles
 * (2^44: hours at any clock rate) away from the last plausible one, either
 * way; the 48-bit wrap is a small step modulo the mask. Two consecutive
 * records agreeing on a new level are taken as the clock (the first stays
 * counted). Steps backwards (not a wrap) are counted: a few are normal in
 * msg files, many say the byte order or the layout is wrong.
 */
#define RL_FT_JUMP (UINT64_C(1) << 44)

struct rl_ft_clock {
	uint64_t last, pend;
	uint64_t pend_at;	   /* timed when pend was seen (+ 1; 0: none) */
	uint64_t bad, first_bad;   /* implausible records; offset of the first */
	uint64_t back, first_back; /* steps backwards; offset of the first */
	uint64_t timed;		   /* records checked */
	int have;
};

/* Return: 1 when @ts (of the record at @off, field mask @mask) is plausible. */
int rl_ft_clock_odd(struct rl_ft_clock *c, uint64_t ts, uint64_t mask, uint64_t off);

static inline int rl_ft_clock_step(struct rl_ft_clock *c, uint64_t ts, uint64_t mask, uint64_t off)
{
	uint64_t d = (ts - c->last) & mask;

	c->timed++;
	if (__builtin_expect(d <= RL_FT_JUMP && ts != mask && c->have, 1)) {
		c->last = ts;
		return 1;
	}
	return rl_ft_clock_odd(c, ts, mask, off);
}

/*
 * Many steps backwards in a cpu file: more than 1/64 of its timed records
 * (recorded cpu files have none; read in the wrong byte order, 7 % and more).
 * Msg files hold STARTs stamped by other cpus, and global files records of
 * every cpu: their order says nothing.
 */
static inline int rl_ft_clock_scrambled(const struct rl_ft_clock *c, int kind)
{
	return kind == RL_FT_KIND_CPU && c->back > c->timed / 64;
}

/* Encode @r into 16 bytes (generators and tests). */
void rl_ft_encode(uint8_t *p, const struct rl_ft_rec *r, int layout, int be);

/* Look at a loaded input as a Feather-Trace file (rl_ft_file_setup() of its bytes). */
int rl_ft_file_init(struct rl_ft_file *f, const struct rl_input *in, const struct rl_ft_opts *o,
		    struct rl_err *err);

/* Return: the START id of the pair @id belongs to (an END names its START); @id itself
 * for STARTs, single records (>= 200), LOCK_SUSPEND and LOCK_RESUME. */
unsigned rl_ft_pair_start(unsigned id);

/*
 * The Feather-Trace files of one overhead extraction: the arguments in
 * order, a directory standing for its *.bin and *.bin.gz files (sorted).
 * Each file is loaded, checked (not claimed by another reader, plausible
 * sequence numbers) and added to the trace as a source; damage that does
 * not stop the extraction (empty file, trailing bytes, a forced byte order
 * the sequence numbers contradict) becomes a counted warning of the trace.
 * Files found in a directory that are not Feather-Trace (schedule_*.bin of
 * sched_trace beside the overheads) are left out quietly.
 */
struct rl_ft_set {
	struct rl_input *ins;  /* the loaded inputs (closed by rl_ft_set_close()) */
	struct rl_ft_file *fs; /* their records */
	uint16_t *srcs;	       /* source index of each file in the trace */
	uint32_t n;	       /* files in the set */
	uint32_t nargs;	       /* files named or found in directories */
	char **paths;	       /* their paths (owned) */
	uint8_t *from_dir;     /* found in a directory */
	uint32_t cap, cap2;
};

struct rl_ft_set_opts {
	const struct rl_read_opts *ro; /* input options, --ft-layout, --ft-endian */
	int force;		       /* --input-format feather-trace: keep files another
					* reader would claim */
};

int rl_ft_set_open(struct rl_ft_set *s, char *const *args, int nargs,
		   const struct rl_ft_set_opts *o, struct rl_trace *t, struct rl_err *err);
void rl_ft_set_close(struct rl_ft_set *s);

#endif /* RL_READERS_FEATHER_TRACE_H */
