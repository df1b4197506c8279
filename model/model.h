/*
 * model/ - the common event model of rtlens.
 *
 * Every reader translates its format into a stream of struct rl_event: one
 * fixed-size, pointer-free record per event, with time in nanoseconds on one
 * trace timeline and the raw clock value kept beside it. Variable-size data
 * (task names, event names) lives in side tables owned by struct rl_trace and
 * is referenced by 32-bit ids. This module also owns the error type used by
 * every other module, the string table, the task table and the k-way merge of
 * per-CPU cursors. It depends on nothing but libc.
 */
#ifndef RL_MODEL_H
#define RL_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

/* ---------------------------------------------------------------- errors */

#define RL_ERRORS                                                                                  \
	RL_ERR(NOMEM, "out of memory")                                                             \
	RL_ERR(IO, "i/o error")                                                                    \
	RL_ERR(FORMAT, "unrecognised trace format")                                                \
	RL_ERR(TRUNCATED, "unexpected end of file")                                                \
	RL_ERR(CORRUPT, "corrupt record")                                                          \
	RL_ERR(VERSION, "unsupported format version")                                              \
	RL_ERR(LIB, "error from underlying library")                                               \
	RL_ERR(USAGE, "invalid argument")                                                          \
	RL_ERR(MIXED, "files of several recordings")

#define RL_ERR(name, str) RL_E_##name,
enum rl_errno { RL_E_OK = 0, RL_ERRORS RL_E_MAX_ };
#undef RL_ERR

#define RL_OFF_NONE UINT64_MAX

/**
 * struct rl_err - an error with its location and a stack of causes.
 * @code:  0 or a negative RL_E_* code
 * @path:  file the error is about (borrowed; may be NULL)
 * @off:   byte offset in @path, or RL_OFF_NONE
 * @msg:   innermost cause
 * @ctx:   outer causes, appended by callers ("while reading cpu 3")
 */
struct rl_err {
	int code;
	const char *path;
	uint64_t off;
	char msg[512];
	char ctx[4][512];
	int nctx;
};

const char *rl_strerror(int code);
void rl_err_init(struct rl_err *e);
int rl_err_set(struct rl_err *e, int code, const char *path, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void rl_err_ctx(struct rl_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------ warnings */

/*
 * Readers and analyses never print. Anomalies that do not stop the work are
 * counted by kind in the trace; the first few of each kind keep their
 * location and text so that the CLI can show them.
 */
enum rl_warn_kind {
	RL_W_UNKNOWN_TYPE, /* record type / event id we do not know */
	RL_W_TRUNCATED,	   /* trailing partial record */
	RL_W_GARBAGE,	   /* implausible record skipped */
	RL_W_CPU_MISMATCH, /* record's cpu field disagrees with its file */
	RL_W_UNORDERED,	   /* record older than events already merged */
	RL_W_LOST,	   /* records known to be lost */
	RL_W_JOB,	   /* job-level anomaly (missing release, duplicate...) */
	RL_W_OTHER,
	RL_W_NKINDS
};

/* Warnings of these kinds mean a result may be wrong: the CLI exits 1. */
#define RL_W_DAMAGE_MASK ((1u << RL_W_TRUNCATED) | (1u << RL_W_GARBAGE))

#define RL_WARN_KEEP 8

struct rl_warning {
	int kind;
	const char *path; /* borrowed from the trace's sources */
	uint64_t off;
	char *msg; /* owned by the trace, whole however long; NULL if out of memory */
};

/* The warning's text, also when it could not be kept. */
static inline const char *rl_warning_text(const struct rl_warning *w)
{
	return w->msg ? w->msg : "(text lost: out of memory)";
}

/* ---------------------------------------------------------------- events */

enum rl_ev_type {
	RL_EV_NONE = 0,
	RL_EV_TASK_NAME,   /* task got a name: name = string id */
	RL_EV_TASK_PARAM,  /* arg = wcet ns, arg2 = period ns (also in the task table) */
	RL_EV_RELEASE,	   /* ts = release, arg = absolute deadline */
	RL_EV_COMPLETION,  /* arg = exec time ns or -1, flags RL_EVF_FORCED */
	RL_EV_SWITCH_IN,   /* task starts running on cpu; arg = exec so far or -1 */
	RL_EV_SWITCH_OUT,  /* task stops running on cpu; arg = exec so far or -1 */
	RL_EV_BLOCK,	   /* task suspends */
	RL_EV_RESUME,	   /* task resumes */
	RL_EV_WAKEUP,	   /* task2 = waker */
	RL_EV_MIGRATE,	   /* arg = target cpu */
	RL_EV_SYS_RELEASE, /* arg = synchronous release instant */
	RL_EV_ACTION,	   /* arg = action code */
	RL_EV_IRQ_ENTER,   /* arg = irq number */
	RL_EV_IRQ_EXIT,
	RL_EV_IPI_SEND, /* arg = target cpu */
	RL_EV_IPI_RECV,
	RL_EV_OVERHEAD, /* Feather-Trace timestamp: arg = id, arg2 = packed, see below */
	RL_EV_LOST,	/* arg = number of records lost (or -1 if unknown) */
	RL_EV_OTHER,	/* name = interned event name */
	RL_EV_NTYPES
};

#define RL_EVF_FORCED 0x01    /* completion forced by budget enforcement */
#define RL_EVF_LATE 0x02      /* record dated before events already emitted */
#define RL_EVF_NOTIME 0x04    /* record carries no timestamp (ts = 0) */
#define RL_EVF_IRQ 0x08	      /* interrupt flag set (overheads) */
#define RL_EVF_INHERITED 0x10 /* record had no timestamp: ts/raw are its cpu's previous ones */
#define RL_EVF_RAW 0x20	      /* payload layout unknown: arg/arg2 hold raw words, not fields */

/*
 * RL_EV_OVERHEAD (Feather-Trace record): arg = event id (0..255); arg2 packs
 * seq_no (bits 0..31), irq_count (32..36), task_type (40..41) and pid
 * (48..63); RL_EVF_IRQ = irq_flag; raw = the timestamp field (cycles, or ns
 * for the single latency records 208/209, whose ts is that of the previous
 * record of the file, so that they stay in place); ts = raw cycles made
 * monotonic across the 48-bit wrap; task = the pid's task (RL_NO_TASK for 0).
 */
#define RL_OVH_ARG2(seq, irqc, ttype, pid)                                                         \
	((int64_t)((uint64_t)(uint32_t)(seq) | ((uint64_t)((irqc)&31) << 32) |                     \
		   ((uint64_t)((ttype)&3) << 40) | ((uint64_t)(uint16_t)(pid) << 48)))
#define RL_OVH_SEQ(ev) ((uint32_t)((uint64_t)(ev)->arg2 & 0xffffffffu))
#define RL_OVH_IRQC(ev) ((unsigned)(((uint64_t)(ev)->arg2 >> 32) & 31))
#define RL_OVH_TTYPE(ev) ((unsigned)(((uint64_t)(ev)->arg2 >> 40) & 3))
#define RL_OVH_PID(ev) ((unsigned)((uint64_t)(ev)->arg2 >> 48))

#define RL_EVF_BLOCKED 0x40 /* switch-out: the task blocked (Linux: prev_state not runnable) */
#define RL_EVF_DERIVED 0x80 /* second model event of one source record (not counted by name) */

#define RL_NO_TASK UINT32_MAX
#define RL_NO_CPU UINT32_MAX

/*
 * One event. 64 bytes, fields ordered by size, no pointers: it can be copied,
 * written to disk and compared byte for byte.
 */
struct rl_event {
	int64_t ts;   /* ns on the trace timeline */
	uint64_t raw; /* the raw clock value as recorded (cycles, ns, tsc) */
	int64_t arg;  /* by type, see enum rl_ev_type */
	int64_t arg2;
	uint64_t src_off; /* byte offset of the raw record in its source */
	uint32_t task;	  /* index into the task table, or RL_NO_TASK */
	uint32_t task2;	  /* other task (switch: prev, wakeup: waker) or RL_NO_TASK */
	uint32_t job;	  /* job sequence number, 0 if none */
	uint32_t name;	  /* string id (event name for RL_EV_OTHER), 0 if none */
	uint32_t cpu;	  /* cpu or RL_NO_CPU */
	uint16_t src;	  /* index into the trace's sources */
	uint8_t type;	  /* enum rl_ev_type */
	uint8_t flags;	  /* RL_EVF_* */
};
_Static_assert(sizeof(struct rl_event) == 64, "rl_event layout");

const char *rl_ev_type_name(int type);

/* ---------------------------------------------------------- string table */

struct rl_strtab;

struct rl_strtab *rl_strtab_new(void);
void rl_strtab_free(struct rl_strtab *st);
/* Return: id >= 1 of the interned copy, 0 on allocation failure. */
uint32_t rl_strtab_intern(struct rl_strtab *st, const char *s, size_t len);
/* Return: the string of @id ("" for 0 or an unknown id); valid until the table is freed. */
const char *rl_strtab_get(const struct rl_strtab *st, uint32_t id);

/* ---------------------------------------------------------------- tasks */

enum rl_task_kind { RL_TASK_PROCESS = 0, RL_TASK_VCPU = 1 };

struct rl_task {
	int64_t wcet;	     /* ns, -1 unknown */
	int64_t period;	     /* ns, -1 unknown */
	int64_t deadline;    /* relative, ns, -1 unknown */
	int64_t phase;	     /* ns, -1 unknown */
	int64_t prio;	     /* scheduler priority if known, else INT64_MIN */
	int32_t pid;	     /* pid / tid (or vcpu id) */
	int32_t domain;	     /* xen domain, -1 otherwise */
	uint32_t name;	     /* string id, 0 unknown */
	uint32_t generation; /* 0 for the first task with this pid, 1.. after reuse */
	int32_t partition;   /* cpu the task is bound to, -1 none */
	uint8_t kind;	     /* enum rl_task_kind */
	uint8_t class_;	     /* sched_trace class byte (0 hard, 1 soft, 2 BE) */
	uint8_t has_param;
	uint8_t idle; /* a CPU's idle task (Xen idle-domain VCPU): runs when nothing else does */
};

/* ---------------------------------------------------------------- trace */

/*
 * How raw clock values became ns, for formats whose clock is cycles
 * (xentrace). Readers whose raw clock already is ns leave it zero.
 */
struct rl_clock_info {
	double hz;	       /* rate used to turn raw values into ns; 0: raw is ns */
	double est_hz;	       /* rate estimated from the trace itself, 0 if none */
	double est_lo, est_hi; /* p10 and p90 of the samples behind est_hz */
	uint64_t est_n;	       /* number of those samples */
	uint8_t given;	       /* hz came from the user (--cpu-hz) */
};

struct rl_source {
	const char *path;   /* interned */
	const char *reader; /* static reader name */
	uint64_t size;
	int32_t cpu;   /* cpu of the stream, -1 if several/unknown */
	uint32_t nrec; /* records read */
};

/*
 * The family of a trace: which analyses apply to it. Set by the reader that
 * opened the trace (from its ops), so commands dispatch on it instead of
 * comparing format strings; t->format stays for display.
 */
enum rl_family {
	RL_FAM_NONE = 0, /* no reader has opened the trace yet */
	RL_FAM_LITMUS,	 /* LITMUS^RT sched_trace */
	RL_FAM_FEATHER,	 /* LITMUS^RT Feather-Trace overheads */
	RL_FAM_XEN,	 /* Xen xentrace */
	RL_FAM_LINUX,	 /* Linux: trace.dat, ftrace text, CTF */
};

/**
 * struct rl_trace - what is global and small about a trace.
 *
 * Owns the string table, the task table, the sources and the anomaly
 * counters. Events are not kept here: they stream through cursors.
 */
struct rl_trace {
	struct rl_strtab *strs;
	struct rl_task *tasks;
	uint32_t ntasks, cap_tasks;
	uint32_t *pid_map; /* open-addressed hash pid -> task index + 1 */
	uint32_t pid_map_cap;
	struct rl_source *srcs;
	uint32_t nsrcs, cap_srcs;
	uint32_t ncpu;	       /* highest cpu seen + 1 */
	uint8_t *cpu_seen;     /* bit per cpu noted (a damaged cpu field leaves gaps) */
	uint32_t cap_cpu_seen; /* bytes of cpu_seen */
	int cpu_seen_lost;     /* out of memory: every cpu below ncpu counts as seen */
	const char *format;    /* static: "sched_trace-2016", ... (for display) */
	enum rl_family family; /* set when a reader opens the trace */
	struct rl_clock_info clock;
	uint64_t warn_count[RL_W_NKINDS];
	struct rl_warning warns[RL_W_NKINDS][RL_WARN_KEEP];
};

struct rl_trace *rl_trace_new(void);
void rl_trace_free(struct rl_trace *t);
/* Return: source index, or -RL_E_NOMEM. */
int rl_trace_add_source(struct rl_trace *t, const char *path, const char *reader, uint64_t size);
/* Return: task index for @pid (created on first use), RL_NO_TASK on allocation failure. */
uint32_t rl_trace_task(struct rl_trace *t, int32_t pid);
/* Return: task index for @pid if it exists, else RL_NO_TASK. */
uint32_t rl_trace_task_find(const struct rl_trace *t, int32_t pid);
/* Start a new task for a reused pid; later lookups of @pid find the new one. */
uint32_t rl_trace_task_renew(struct rl_trace *t, int32_t pid);
const char *rl_trace_task_name(const struct rl_trace *t, uint32_t task);
/* Return: index of a new VCPU task (kind RL_TASK_VCPU, not in the pid map), or RL_NO_TASK. */
uint32_t rl_trace_task_vcpu(struct rl_trace *t, int32_t domain, int32_t vcpu);
void rl_trace_warn(struct rl_trace *t, int kind, uint16_t src, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void rl_trace_note_cpu_slow(struct rl_trace *t, uint32_t cpu);
/* Remember that @cpu exists (readers call it per event: the seen case is inline). */
static inline void rl_trace_note_cpu(struct rl_trace *t, uint32_t cpu)
{
	if (__builtin_expect(cpu < t->ncpu && cpu / 8 < t->cap_cpu_seen &&
				     (t->cpu_seen[cpu / 8] >> (cpu % 8) & 1),
			     1))
		return;
	rl_trace_note_cpu_slow(t, cpu);
}
/* Whether @cpu was noted (not only below the highest one noted). */
int rl_trace_cpu_seen(const struct rl_trace *t, uint32_t cpu);

/* -------------------------------------------------------------- cursors */

struct rl_cursor;

struct rl_cursor_ops {
	/* Return: 1 with *ev filled, 0 at the end, or a negative RL_E_* code. */
	int (*next)(struct rl_cursor *c, struct rl_event *ev, struct rl_err *err);
	void (*close)(struct rl_cursor *c);
};

/*
 * Readers embed this as the first member of their cursor struct. @rank
 * orders cursors whose events have equal times (a reader sets the stream's
 * cpu), so that the merge does not depend on the order files were given in.
 */
struct rl_cursor {
	const struct rl_cursor_ops *ops;
	uint32_t rank;
};

static inline int rl_cursor_next(struct rl_cursor *c, struct rl_event *ev, struct rl_err *err)
{
	return c->ops->next(c, ev, err);
}

void rl_cursor_close(struct rl_cursor *c);

/* ---------------------------------------------------------------- merge */

/*
 * The merge takes any number of cursors, each in its own time order, and
 * yields their events ordered by (ts, cursor index, order within cursor).
 * It holds one event per cursor. Events dated before the last one it
 * returned (a reader could not order them) come out at once, flagged
 * RL_EVF_LATE, and are counted as RL_W_UNORDERED.
 */
struct rl_merge;

/* Takes ownership of the cursors (closed by rl_merge_free), not of the array. */
struct rl_merge *rl_merge_new(struct rl_trace *t, struct rl_cursor **curs, size_t n,
			      struct rl_err *err);
int rl_merge_next(struct rl_merge *m, struct rl_event *ev, struct rl_err *err);
/* The same without copying: *out stays valid until the next call. */
int rl_merge_peek_next(struct rl_merge *m, const struct rl_event **out, struct rl_err *err);
void rl_merge_free(struct rl_merge *m);
/* Bytes of the sources read so far (an estimate for progress): see merge.c. */
uint64_t rl_merge_done_bytes(const struct rl_merge *m);

/* ---------------------------------------------------------------- sinks */

/*
 * An analysis is a sink: it sees every event once, in merged order, and
 * finishes at the end. rl_run() drives a merge into several sinks.
 */
struct rl_sink {
	int (*event)(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err);
	int (*finish)(struct rl_sink *s, struct rl_err *err);
};

/* Progress callback: called every 64 Ki events with the count and bytes read. */
typedef void (*rl_progress_fn)(void *arg, uint64_t events, uint64_t bytes);

int rl_run(struct rl_merge *m, struct rl_sink **sinks, size_t nsinks, rl_progress_fn progress,
	   void *parg, struct rl_err *err);

/* --------------------------------------------------------------- helpers */

/* Checked growth of an array: returns 0 or -RL_E_NOMEM (no overflow). */
int rl_grow(void **ptr, uint32_t *cap, uint32_t need, size_t elem);
/* The same, and elements past the old capacity are zeroed. */
int rl_grow_zero(void **ptr, uint32_t *cap, uint32_t need, size_t elem);

#endif /* RL_MODEL_H */
