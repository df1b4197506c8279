/*
 * readers/linux.h - what the Linux readers (trace.dat, ftrace text, CTF) share.
 *
 * Internal to readers/: tasks by tid with names taken from comm fields, PID
 * reuse (a fork of a tid that already has a task, or any sight of a tid
 * after its exit, starts a new task), and the mapping of kernel event names
 * onto model events. Every Linux reader fills events the same way:
 *
 *   SWITCH_OUT  task = prev, task2 = next, arg = -1, arg2 = raw prev_state,
 *               RL_EVF_BLOCKED when prev_state is not runnable (S, D, I, ...)
 *   SWITCH_IN   task = next, task2 = prev, arg = -1, arg2 = next prio,
 *               RL_EVF_DERIVED (same source record as the SWITCH_OUT)
 *   WAKEUP      task = woken, task2 = waker (current task), arg = target cpu,
 *               arg2 = prio; sched_waking is RL_EV_OTHER with task = woken
 *   MIGRATE     task = migrated, arg = destination cpu, arg2 = origin cpu
 *   IRQ_ENTER/EXIT arg = irq / softirq vector / x86 vector, arg2 = RL_LX_IRQ_*
 *   IPI_SEND    task = the current task, arg = target cpu (-1: a cpumask of
 *               several or none), arg2 = the targets among cpus 0..63 as bits
 *               (ipi_send_cpu, ipi_send_cpumask), job = 1 for a function call
 *               (a callback), 0 for a reschedule
 *   IPI_RECV    task = the current task, arg = -1 (ipi_entry; x86 reschedule_entry
 *               and call_function*_entry stay IRQ_ENTER vector events)
 *   LOST        arg = events lost (-1 unknown), arg2 = start of the lost range
 *               (the cpu's previous event, ns) or -1; ts = end of the range
 *   OTHER       task = the current task (common_pid / context), name = event
 * The osnoise / timerlat / hwlat tracers' records stay OTHER (name = event)
 * with their fields in arg, arg2 and job, all times in ns (u64 values past
 * INT64_MAX saturate):
 *   timerlat    arg = timer_latency, arg2 = context (0 irq, 1 thread,
 *               2 user return), job = seqnum (the activation)
 *   irq_noise, softirq_noise  arg = start, arg2 = duration (net), job = vector
 *   thread_noise  task = the noise thread (pid, comm), arg = start, arg2 = duration
 *   nmi_noise   arg = start, arg2 = duration
 *   sample_threshold  arg = start, arg2 = duration, job = interference
 *               (UINT32_MAX if larger)
 *   osnoise     arg = noise, arg2 = max_sample (the entry's us x 1000), job =
 *               runtime in us (UINT32_MAX if larger)
 *   hwlat       arg = inner duration, arg2 = outer duration (us x 1000), job = seqnum
 * Priorities are kernel priorities (0..99 RT, 100..139 normal, -1 deadline);
 * idle (tid 0) is no task. Nothing here may use a library type.
 *
 * A reader finds the fields of a record (struct rl_lx_rec: where each value
 * comes from is the format's business) and rl_lx_emit() turns them into the
 * events above: the kind switch, the task bookkeeping and the conventions
 * live there once. LOST markers and events a reader cannot decode stay with
 * the reader.
 */
#ifndef RL_READERS_LINUX_H
#define RL_READERS_LINUX_H

#include "readers.h"

/* IRQ_ENTER / IRQ_EXIT arg2 */
#define RL_LX_IRQ_HARD 0
#define RL_LX_IRQ_SOFT 1
#define RL_LX_IRQ_VECTOR 2

/* How a reader treats an event, from its (system-less) name. */
enum rl_lx_kind {
	RL_LX_OTHER = 0,
	RL_LX_SWITCH,
	RL_LX_WAKEUP, /* sched_wakeup, sched_wakeup_new */
	RL_LX_WAKING, /* sched_waking */
	RL_LX_MIGRATE,
	RL_LX_FORK,
	RL_LX_EXEC,
	RL_LX_EXIT, /* sched_process_exit */
	RL_LX_IRQ_ENTRY,
	RL_LX_IRQ_EXIT,
	RL_LX_SOFT_ENTRY,
	RL_LX_SOFT_EXIT,
	RL_LX_VEC_ENTRY, /* irq_vectors:*_entry (x86) */
	RL_LX_VEC_EXIT,
	RL_LX_PI_SETPRIO,
	RL_LX_TIMERLAT,	     /* ftrace:timerlat */
	RL_LX_IRQ_NOISE,     /* osnoise:irq_noise */
	RL_LX_SOFT_NOISE,    /* osnoise:softirq_noise */
	RL_LX_THREAD_NOISE,  /* osnoise:thread_noise */
	RL_LX_NMI_NOISE,     /* osnoise:nmi_noise */
	RL_LX_THRESHOLD,     /* osnoise:sample_threshold */
	RL_LX_OSNOISE,	     /* ftrace:osnoise (one record per period, us) */
	RL_LX_HWLAT,	     /* ftrace:hwlat (us) */
	RL_LX_IPI_SEND,	     /* ipi:ipi_send_cpu */
	RL_LX_IPI_SEND_MASK, /* ipi:ipi_send_cpumask */
	RL_LX_IPI_ENTRY,     /* ipi:ipi_entry */
};

/* The osnoise / timerlat / hwlat record kinds (RL_LX_TIMERLAT .. RL_LX_HWLAT). */
static inline int rl_lx_is_tracer(int kind)
{
	return kind >= RL_LX_TIMERLAT && kind <= RL_LX_HWLAT;
}

/* Return: the kind of the event called @name (system prefix already removed). */
int rl_lx_kind(const char *name);

/* Entries of the tid -> task cache */
#define RL_LX_TID_CACHE 64

/* Comm fields up to this long are remembered per task (the kernel's TASK_COMM_LEN). */
#define RL_LX_COMM_MAX 16

/* The comm bytes a task's name was last checked against. */
struct rl_lx_seen {
	uint32_t name; /* the task's name id when they matched, 0 if none */
	uint32_t len;
	char comm[RL_LX_COMM_MAX];
};

/* Per-trace Linux task bookkeeping; one per open file set. */
struct rl_lx {
	struct rl_trace *t;
	uint8_t *dead; /* per task index: the task has exited */
	uint32_t cap_dead;
	/*
	 * Per task index: the raw comm field that last matched the task's name
	 * (sched_switch names both tasks every time: a name that did not change
	 * is recognised by comparing the field's bytes, not the string table).
	 */
	struct rl_lx_seen *seen;
	uint32_t cap_seen;
	/*
	 * Recent tid -> task answers of rl_lx_task(), direct-mapped by tid.
	 * Valid while the trace's task count is @tc_ntasks: every new task
	 * (a new tid, or a renewed one after an exit or fork) adds one, so a
	 * changed count empties the cache; an exit empties it too.
	 */
	struct {
		int32_t tid; /* 0: empty */
		uint32_t task;
	} tc[RL_LX_TID_CACHE];
	uint32_t tc_ntasks;
	/*
	 * Comm fields naming another task than the one switching out (next,
	 * woken, migrated, forked) only name tasks that have no name yet. CTF
	 * sets it: there names also come from LTTng statedump and rtapp
	 * task_info, which a 16-byte kernel comm must not overwrite.
	 */
	uint8_t keep_names;
	/*
	 * Set by a reader whose comm fields cost a library call and a strlen
	 * to read (CTF): struct rl_lx_who.comm then holds the reader's handle
	 * of the field, which this turns into the bytes (NULL: none) only when
	 * a name is taken from it; comm_len is unused.
	 */
	const char *(*comm_of)(const char *ref, size_t *len);
};

/* struct rl_lx_who prio when the record gives none (text without prio=) */
#define RL_LX_NO_PRIO INT64_MIN
/* Most model events rl_lx_emit() makes of one record (sched_switch: 2). */
#define RL_LX_MAX_EVENTS 2

/* A task as a record names it. */
struct rl_lx_who {
	int64_t pid;
	int64_t prio;	  /* kernel prio (the reader undoes LTTng's - 100), or RL_LX_NO_PRIO */
	const char *comm; /* comm bytes, need not be NUL-terminated; NULL if none */
	size_t comm_len;
};

/*
 * The fields of one kernel record, as a reader found them. Which union
 * member is used follows @kind; RL_LX_OTHER uses none.
 */
struct rl_lx_rec {
	int kind; /* enum rl_lx_kind */
	/*
	 * The current task (waker, forking parent, irq context, subject of an
	 * OTHER event): @cur if the reader tracks it (@has_cur), else the task
	 * of @cur_pid (common_pid), looked up only by kinds that use it.
	 */
	uint32_t cur;
	uint8_t has_cur;
	int64_t cur_pid;
	union {
		struct {
			struct rl_lx_who prev, next;
			int64_t state;	 /* raw prev_state: SWITCH_OUT arg2 */
			uint8_t blocked; /* the reader decoded prev_state as not runnable */
			uint8_t dead;	 /* ... as exited (X, Z): the tid is reused next */
		} sw;
		struct {
			struct rl_lx_who woken;
			int64_t target_cpu; /* -1 if the record has none */
		} wake;			    /* RL_LX_WAKEUP, RL_LX_WAKING */
		struct {
			struct rl_lx_who task; /* prio unused */
			int64_t orig_cpu, dest_cpu;
		} mig;
		struct rl_lx_who child; /* RL_LX_FORK; the parent is the current task */
		struct {
			int64_t pid;
			const char *filename; /* need not be NUL-terminated */
			size_t len;
		} exec;
		int64_t exit_pid;
		struct {
			int64_t pid, prio;
		} pi;	     /* RL_LX_PI_SETPRIO: the new prio */
		int64_t num; /* IRQ: irq, SOFT: softirq vec, VEC: x86 vector */
		/*
		 * RL_LX_TIMERLAT .. RL_LX_HWLAT, as the record has them: timerlat
		 * a = timer_latency, b = context, c = seqnum; *_noise and
		 * sample_threshold a = start, b = duration, c = vector /
		 * interference; osnoise a = noise, b = max_sample, c = runtime;
		 * hwlat a = inner, b = outer, c = seqnum; thread_noise's thread
		 * in who (prio unused)
		 */
		struct {
			uint64_t a, b, c;
			struct rl_lx_who who;
		} rtm;
		struct {
			int64_t cpu;   /* ipi_send_cpu's target; -1 for a cpumask */
			uint64_t mask; /* the targets among cpus 0..63 */
			uint8_t fn;    /* a function call (callback set), else a reschedule */
		} ipi;		       /* RL_LX_IPI_SEND, RL_LX_IPI_SEND_MASK */
	};
};

void rl_lx_init(struct rl_lx *lx, struct rl_trace *t);
void rl_lx_release(struct rl_lx *lx);
/* rl_lx_task() past its cache (and for the invalid tids). */
uint32_t rl_lx_task_slow(struct rl_lx *lx, int64_t tid);

/* Return: the task of @tid (RL_NO_TASK for 0 / negative / out of memory). */
static inline uint32_t rl_lx_task(struct rl_lx *lx, int64_t tid)
{
	uint32_t slot = (uint32_t)tid & (RL_LX_TID_CACHE - 1);

	/* the common case, inline: a tid seen lately, no task added since */
	if (tid > 0 && tid <= INT32_MAX && lx->tc_ntasks == lx->t->ntasks &&
	    lx->tc[slot].tid == tid)
		return lx->tc[slot].task;
	return rl_lx_task_slow(lx, tid);
}
/* A fork made @tid: a new task if the tid was used before. Return: the task. */
uint32_t rl_lx_fork(struct rl_lx *lx, int64_t tid);
/* @task exited: the next sight of its tid is a new task. */
void rl_lx_exit(struct rl_lx *lx, uint32_t task);
/* Give @task the name @comm (up to @len bytes, stops at NUL) if it differs. */
void rl_lx_comm(struct rl_lx *lx, uint32_t task, const char *comm, size_t len);
/* Fill @ev[0] (header already set) and @ev[1]. Return: the number of events. */
int rl_lx_emit(struct rl_lx *lx, const struct rl_lx_rec *r, struct rl_event *ev);
/* Remember a priority seen for @task. */
static inline void rl_lx_prio(struct rl_lx *lx, uint32_t task, int64_t prio)
{
	if (task != RL_NO_TASK)
		lx->t->tasks[task].prio = prio;
}

/* An ipi_send_cpu record's target: @r->ipi from the cpu field. */
static inline void rl_lx_ipi_cpu(struct rl_lx_rec *r, int64_t cpu)
{
	r->ipi.cpu = cpu;
	r->ipi.mask = cpu >= 0 && cpu < 64 ? 1ull << cpu : 0;
}

/* An ipi_send_cpumask record's targets: @mask holds cpus 0..63 (bit c: cpu c). */
static inline void rl_lx_ipi_mask(struct rl_lx_rec *r, uint64_t mask)
{
	int64_t c = 0;

	r->ipi.mask = mask;
	r->ipi.cpu = -1;
	if (mask && !(mask & (mask - 1))) { /* one target */
		while (!(mask & 1)) {
			mask >>= 1;
			c++;
		}
		r->ipi.cpu = c;
	}
}

#endif /* RL_READERS_LINUX_H */
