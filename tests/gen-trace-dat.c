/*
 * tests/gen-trace-dat.c - write a synthetic trace-cmd trace.dat (v6 or v7).
 *
 * For benchmarks and bad-input fixtures: the project ships no recorded
 * trace, so it makes its own. The workload: per CPU a SCHED_OTHER hog that is
 * always runnable and periodic SCHED_FIFO tasks that wake (sched_waking,
 * sched_wakeup), preempt the hog, run, and sleep again; four events per
 * activation. The event formats are written here in the kernel's format-file
 * syntax (sched_switch, sched_wakeup, sched_waking on a 64-bit kernel).
 *
 *   gen-trace-dat [-v 6|7] [-z none|zstd|zlib] [-n EVENTS] [-c CPUS]
 *                 [-t TASKS_PER_CPU] [-s SEED] [-b BREAK] [-O NS] [-T MULT:SHIFT] -o FILE
 * -O adds an OFFSET option, -T makes the clock x86-tsc with a TSC2NSEC option,
 * -i NAME adds a second buffer instance (v7), -E writes a big-endian file.
 *   gen-trace-dat -w timerlat [-f ftrace] [-n ACTIVATIONS] [-c CPUS] [-G TRUTH] -o FILE
 * writes a timerlat + osnoise recording instead (see tl_workload()).
 *   gen-trace-dat -f ctf [-n EVENTS] [-c CPUS] [-t TASKS] -o EXISTING_DIR
 *   gen-trace-dat -I [-K OFF0,OFF1,...] [-n EVENTS] [-c CPUS] ... -o FILE
 * -I writes a cross-cpu workload instead (gen_ipi_sim): a task is woken from
 * another cpu (sched_waking, sched_wakeup, ipi_send_cpu), the target takes the
 * reschedule IPI (irq_vectors reschedule_entry/exit) and switches to it;
 * every fourth wake-up is followed by a function-call IPI to all other cpus
 * (ipi_send_cpumask, call_function_entry/exit). -K shifts each cpu's clock:
 * cpu c's timestamps are true time + OFFc ns (the clock skew rtlens skew
 * estimates; offsets between -100 ms and 100 ms). -R RATE0,... makes each
 * cpu's clock drift: RATEc ppb of the true time since 1 s is added.
 * BREAK makes a damaged file: commit (a page header claims more than a
 * page), unknown-id (an event id without a format), chunk (a corrupt
 * compressed chunk, v7 + compression), lost (pages flagged with lost events).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#define PAGE 4096
#define HDR 16
#define ID_SWITCH 316
#define ID_WAKEUP 318
#define ID_WAKING 319

static const char header_page[] = "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
				  "\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
				  "\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
				  "\tfield: char data;\toffset:16;\tsize:4080;\tsigned:1;\n";

static const char header_event[] = "# compressed entry header\n"
				   "\ttype_len    :    5 bits\n"
				   "\ttime_delta  :   27 bits\n"
				   "\tarray       :   32 bits\n\n"
				   "\tpadding     : type == 29\n"
				   "\ttime_extend : type == 30\n"
				   "\ttime_stamp : type == 31\n"
				   "\tdata max type_len  == 28\n";

#define COMMON                                                                                     \
	"format:\n"                                                                                \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"                     \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"                     \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"             \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

static const char fmt_switch[] =
	"name: sched_switch\nID: 316\n" COMMON
	"\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
	"\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
	"\tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;\n"
	"\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;\n"
	"\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;\n\n"
	"print fmt: \"prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s%s ==> next_comm=%s "
	"next_pid=%d next_prio=%d\", REC->prev_comm, REC->prev_pid, REC->prev_prio, "
	"(REC->prev_state & 0xff) ? __print_flags(REC->prev_state & 0xff, \"|\", { 0x01, \"S\" }, "
	"{ 0x02, \"D\" }, { 0x04, \"T\" }, { 0x08, \"t\" }, { 0x10, \"X\" }, { 0x20, \"Z\" }, "
	"{ 0x40, \"P\" }, { 0x80, \"I\" }) : \"R\", REC->prev_state & 0x100 ? \"+\" : \"\", "
	"REC->next_comm, REC->next_pid, REC->next_prio\n";

#define WAKE_FMT(name, id)                                                                         \
	"name: " name "\nID: " id "\n" COMMON                                                      \
	"\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"                                 \
	"\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n"                                     \
	"\tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n"                                      \
	"\tfield:int target_cpu;\toffset:32;\tsize:4;\tsigned:1;\n\n"                              \
	"print fmt: \"comm=%s pid=%d prio=%d target_cpu=%03d\", REC->comm, REC->pid, REC->prio, "  \
	"REC->target_cpu\n"

static const char fmt_wakeup[] = WAKE_FMT("sched_wakeup", "318");
static const char fmt_waking[] = WAKE_FMT("sched_waking", "319");

/*
 * -I: the ipi and irq_vectors events as a 64-bit x86 kernel's format files
 * give them (include/trace/events/ipi.h, arch/x86/include/asm/trace/irq_vectors.h)
 */
#define ID_IPI_CPU 700
#define ID_IPI_MASK 701
#define ID_RESCHED_ENTRY 710
#define ID_RESCHED_EXIT 711
#define ID_CALLFN_ENTRY 712
#define ID_CALLFN_EXIT 713

static const char fmt_ipi_cpu[] =
	"name: ipi_send_cpu\nID: 700\n" COMMON
	"\tfield:unsigned int cpu;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:void * callsite;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:void * callback;\toffset:24;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"cpu=%u callsite=%pS callback=%pS\", REC->cpu, REC->callsite, REC->callback\n";
static const char fmt_ipi_mask[] =
	"name: ipi_send_cpumask\nID: 701\n" COMMON
	"\tfield:__data_loc cpumask_t cpumask;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:void * callsite;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:void * callback;\toffset:24;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"cpumask=%s callsite=%pS callback=%pS\", __get_cpumask(cpumask), "
	"REC->callsite, REC->callback\n";
#define VEC_FMT(name, id)                                                                          \
	"name: " name "\nID: " id "\n" COMMON                                                      \
	"\tfield:int vector;\toffset:8;\tsize:4;\tsigned:1;\n\n"                                   \
	"print fmt: \"vector=%d\", REC->vector\n"
static const char *const fmt_vectors[] = {
	VEC_FMT("reschedule_entry", "710"),
	VEC_FMT("reschedule_exit", "711"),
	VEC_FMT("call_function_entry", "712"),
	VEC_FMT("call_function_exit", "713"),
};

/* -I: the workload's events per cpu, simulated for all cpus at once */
static int ipi_mode;

struct out {
	FILE *f;
	uint64_t off;
	int big; /* big-endian file (-E) */
};

/* @n bytes of @v into @p, in the file's byte order */
static void enc(uint8_t *p, uint64_t v, int n, int big)
{
	int i;

	for (i = 0; i < n; i++)
		p[big ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static void die(const char *m)
{
	fprintf(stderr, "gen-trace-dat: %s\n", m);
	exit(1);
}

static void wr(struct out *o, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, o->f) != n)
		die("write failed");
	o->off += n;
}

static void w8(struct out *o, uint64_t v)
{
	uint8_t b[8];

	enc(b, v, 8, o->big);
	wr(o, b, 8);
}

static void w4(struct out *o, uint32_t v)
{
	uint8_t b[4];

	enc(b, v, 4, o->big);
	wr(o, b, 4);
}

static void w2(struct out *o, uint16_t v)
{
	uint8_t b[2];

	enc(b, v, 2, o->big);
	wr(o, b, 2);
}

static void seek_to(struct out *o, uint64_t off)
{
	if (fseek(o->f, (long)off, SEEK_SET))
		die("seek failed");
	o->off = off;
}

static void pad_to(struct out *o, uint64_t align)
{
	static const uint8_t z[PAGE];

	while (o->off % align)
		wr(o, z, align - o->off % align > PAGE ? PAGE : align - o->off % align);
}

/* ---------------------------------------------------------------- events */

struct gen {
	int cpus, tasks, brk, big;
	long long offset;     /* -O: OFFSET option (ns), v7 */
	const char *instance; /* -i: a second buffer instance, v7 */
	uint32_t mult, shift; /* -T MULT:SHIFT: x86-tsc clock + TSC2NSEC option, v7 */
	uint64_t events, seed;
	/* the page being filled */
	uint8_t page[PAGE];
	uint32_t used;
	uint64_t page_ts, last_ts;
	int npages_cpu;
	uint64_t lost_every;
	int tl;		   /* -w timerlat */
	const char *truth; /* -G FILE: the timerlat workload's truth */
};

static uint32_t rnd(struct gen *g)
{
	g->seed = g->seed * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(g->seed >> 33);
}

typedef void (*page_fn)(void *arg, const uint8_t *page);

static void flush_page(struct gen *g, page_fn fn, void *arg)
{
	uint64_t commit = g->used - HDR;

	if (g->used <= HDR)
		return;
	enc(g->page, g->page_ts, 8, g->big);
	g->npages_cpu++;
	if (g->brk == 'c' && g->npages_cpu == 3)
		commit = PAGE * 2; /* a commit size larger than the page */
	if (g->brk == 'l' && g->npages_cpu % 2 == 0) {
		commit |= (1ull << 31) | (1ull << 30);
		enc(g->page + g->used, 17, 8, g->big); /* 17 events lost before this page */
	}
	enc(g->page + 8, commit, 8, g->big);
	fn(arg, g->page);
	memset(g->page, 0, sizeof(g->page));
	g->used = HDR;
}

static void emit(struct gen *g, uint64_t ts, const uint8_t *data, uint32_t len, page_fn fn,
		 void *arg)
{
	uint32_t need = 4 + len + (g->brk == 'l' ? 8 : 0);

	if (g->used + need > PAGE)
		flush_page(g, fn, arg);
	if (g->used == HDR) {
		g->page_ts = ts;
		g->last_ts = ts;
	}
	/* event header: type_len in the low 5 bits (little endian) or the top 5 (big) */
	enc(g->page + g->used,
	    g->big ? ((uint32_t)(len / 4) << 27) | (uint32_t)(ts - g->last_ts)
		   : (len / 4) | (uint32_t)((ts - g->last_ts) << 5),
	    4, g->big);
	memcpy(g->page + g->used + 4, data, len);
	g->used += 4 + len;
	g->last_ts = ts;
}

static void ev_common(uint8_t *d, uint16_t id, int32_t pid, int big)
{
	memset(d, 0, 64);
	enc(d, id, 2, big);
	d[2] = 1;
	enc(d + 4, (uint32_t)pid, 4, big);
}

static void task_comm(char *c, int cpu, int k)
{
	memset(c, 0, 16); /* the whole comm[16] goes to the file: no stack bytes */
	if (k < 0)
		snprintf(c, 16, "hog/%d", cpu & 0xff);
	else
		snprintf(c, 16, "rt-%d-%d", cpu & 0xff, k & 0x7f);
}

static int32_t task_pid(int cpu, int k)
{
	return 1000 + cpu * 100 + (k < 0 ? 99 : k);
}

/* One CPU's event stream, page by page. */
static uint64_t gen_cpu(struct gen *g, int cpu, uint64_t nev, page_fn fn, void *arg)
{
	uint64_t ts = 1000000000ull + (uint64_t)cpu * 1111, done = 0, act = 0;
	uint8_t d[64];
	char c1[16], c2[16];

	g->used = HDR;
	g->npages_cpu = 0;
	memset(g->page, 0, sizeof(g->page));
	while (done + 4 <= nev) {
		int k = (int)(act++ % (uint64_t)g->tasks);
		int32_t pid = task_pid(cpu, k), hog = task_pid(cpu, -1);
		int prio = 10 + k;
		uint16_t id;

		task_comm(c1, cpu, k);
		task_comm(c2, cpu, -1);
		ts += 20000 + rnd(g) % 80000;
		/* waking and wakeup of the rt task, in the hog's context */
		for (id = ID_WAKING;; id = ID_WAKEUP) {
			ev_common(d, id, hog, g->big);
			memcpy(d + 8, c1, 16);
			enc(d + 24, (uint32_t)pid, 4, g->big);
			enc(d + 28, (uint32_t)prio, 4, g->big);
			enc(d + 32, (uint32_t)cpu, 4, g->big);
			if (g->brk == 'u' && act == 7)
				d[g->big ? 1 : 0] = 0x77; /* an id with no format */
			emit(g, ts, d, 36, fn, arg);
			ts += 500 + rnd(g) % 1000;
			if (id == ID_WAKEUP)
				break;
		}
		/* hog preempted (R+) by the rt task */
		ev_common(d, ID_SWITCH, hog, g->big);
		memcpy(d + 8, c2, 16);
		enc(d + 24, (uint32_t)hog, 4, g->big);
		enc(d + 28, 120, 4, g->big);
		enc(d + 32, 0x100, 8, g->big);
		memcpy(d + 40, c1, 16);
		enc(d + 56, (uint32_t)pid, 4, g->big);
		enc(d + 60, (uint32_t)prio, 4, g->big);
		ts += 1000 + rnd(g) % 3000;
		emit(g, ts, d, 64, fn, arg);
		/* the rt task runs, then sleeps (S) and the hog resumes */
		ev_common(d, ID_SWITCH, pid, g->big);
		memcpy(d + 8, c1, 16);
		enc(d + 24, (uint32_t)pid, 4, g->big);
		enc(d + 28, (uint32_t)prio, 4, g->big);
		enc(d + 32, 0x1, 8, g->big);
		memcpy(d + 40, c2, 16);
		enc(d + 56, (uint32_t)hog, 4, g->big);
		enc(d + 60, 120, 4, g->big);
		ts += 5000 + rnd(g) % 50000;
		emit(g, ts, d, 64, fn, arg);
		done += 4;
	}
	flush_page(g, fn, arg);
	return done;
}

/* ------------------------------------------------- timerlat workload (-w) */

/*
 * -w timerlat: instead of the sched workload, what `trace-cmd record -p
 * timerlat -e osnoise` would record: per CPU a timerlat activation every
 * 1 ms (the ftrace:timerlat IRQ and thread samples, seqnum 1, 2, ...) with
 * osnoise:irq_noise / softirq_noise / thread_noise / nmi_noise records inside
 * it, and every 100 activations an ftrace:osnoise and (cpu 0) an ftrace:hwlat
 * entry. The ftrace entry formats are the kernel's format files (those of
 * this build machine's kernel 6.18, events/ftrace/{timerlat,osnoise,hwlat}/
 * format); the osnoise tracepoints are laid out as include/trace/events/
 * osnoise.h defines them on a 64-bit kernel, with print formats reduced to
 * what libtraceevent parses (the kernel's use __print_ns_to_secs()).
 * -G FILE writes the truth, one CSV row per activation; -f ftrace writes the
 * same records as tracefs `trace` text instead of a trace.dat.
 */
#define TL_ID_HWLAT 16
#define TL_ID_OSNOISE 17
#define TL_ID_TIMERLAT 18
#define TL_ID_THREAD_NOISE 500
#define TL_ID_SOFTIRQ_NOISE 501
#define TL_ID_IRQ_NOISE 502
#define TL_ID_NMI_NOISE 503

#define FTRACE_COMMON                                                                              \
	"format:\n"                                                                                \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"                     \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"                     \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"             \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

static const char tl_fmt_timerlat[] =
	"name: timerlat\nID: 18\n" FTRACE_COMMON
	"\tfield:unsigned int seqnum;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:int context;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\tfield:u64 timer_latency;\toffset:16;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"seq:%u\\tcontext:%d\\ttimer_latency:%llu\\n\", REC->seqnum, REC->context, "
	"REC->timer_latency\n";

static const char tl_fmt_osnoise[] =
	"name: osnoise\nID: 17\n" FTRACE_COMMON
	"\tfield:u64 noise;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 runtime;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 max_sample;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned int hw_count;\toffset:32;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int nmi_count;\toffset:36;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int irq_count;\toffset:40;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int softirq_count;\toffset:44;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int thread_count;\toffset:48;\tsize:4;\tsigned:0;\n\n"
	"print fmt: "
	"\"noise:%llu\\tmax_sample:%llu\\thw:%u\\tnmi:%u\\tirq:%u\\tsoftirq:%u\\tthread:%u\\n\", "
	"REC->noise, REC->max_sample, REC->hw_count, REC->nmi_count, REC->irq_count, "
	"REC->softirq_count, REC->thread_count\n";

static const char tl_fmt_hwlat[] =
	"name: hwlat\nID: 16\n" FTRACE_COMMON
	"\tfield:u64 duration;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 outer_duration;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 nmi_total_ts;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:s64 tv_sec;\toffset:32;\tsize:8;\tsigned:1;\n"
	"\tfield:long tv_nsec;\toffset:40;\tsize:8;\tsigned:1;\n"
	"\tfield:unsigned int nmi_count;\toffset:48;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int seqnum;\toffset:52;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int count;\toffset:56;\tsize:4;\tsigned:0;\n\n"
	"print fmt: "
	"\"cnt:%u\\tts:%010llu.%010lu\\tinner:%llu\\touter:%llu\\tcount:%d\\tnmi-ts:%llu\\t"
	"nmi-count:%u\\n\", REC->seqnum, REC->tv_sec, REC->tv_nsec, REC->duration, "
	"REC->outer_duration, REC->count, REC->nmi_total_ts, REC->nmi_count\n";

static const char tl_fmt_thread_noise[] =
	"name: thread_noise\nID: 500\n" COMMON
	"\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
	"\tfield:u64 start;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 duration;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:pid_t pid;\toffset:40;\tsize:4;\tsigned:1;\n\n"
	"print fmt: \"%8s:%d start %llu duration %llu ns\", REC->comm, REC->pid, REC->start, "
	"REC->duration\n";

static const char tl_fmt_softirq_noise[] =
	"name: softirq_noise\nID: 501\n" COMMON
	"\tfield:u64 start;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 duration;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:int vector;\toffset:24;\tsize:4;\tsigned:1;\n\n"
	"print fmt: \"%d start %llu duration %llu ns\", REC->vector, REC->start, REC->duration\n";

static const char tl_fmt_irq_noise[] =
	"name: irq_noise\nID: 502\n" COMMON "\tfield:u64 start;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 duration;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:__data_loc char[] desc;\toffset:24;\tsize:4;\tsigned:0;\n"
	"\tfield:int vector;\toffset:28;\tsize:4;\tsigned:1;\n\n"
	"print fmt: \"%s:%d start %llu duration %llu ns\", __get_str(desc), REC->vector, "
	"REC->start, REC->duration\n";

static const char tl_fmt_nmi_noise[] =
	"name: nmi_noise\nID: 503\n" COMMON "\tfield:u64 start;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 duration;\toffset:16;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"start %llu duration %llu ns\", REC->start, REC->duration\n";

enum { TL_TIMERLAT, TL_IRQN, TL_SOFTN, TL_THRN, TL_NMIN, TL_OSNOISE, TL_HWLAT };

struct tl_rec {
	uint64_t ts, a, b, c;
	int32_t pid;  /* common_pid */
	int32_t npid; /* thread_noise: the noise thread */
	int type, cpu;
	char comm[16]; /* thread_noise: its comm; else the current task's (text) */
	const char *desc;
};

struct tl_set {
	struct tl_rec *r;
	size_t n, cap;
};

static struct tl_rec *tl_add(struct tl_set *s, int type, int cpu, uint64_t ts, int32_t pid)
{
	struct tl_rec *x;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->r = realloc(s->r, s->cap * sizeof(*s->r));
		if (!s->r)
			die("out of memory");
	}
	x = &s->r[s->n++];
	memset(x, 0, sizeof(*x));
	x->type = type;
	x->cpu = cpu;
	x->ts = ts;
	x->pid = pid;
	return x;
}

/* The records of one CPU in time order, and the truth rows. */
static void tl_workload(struct gen *g, int cpu, uint64_t nact, struct tl_set *s, FILE *truth)
{
	uint64_t k, t0 = 1000000000ull + (uint64_t)cpu * 333;
	int32_t hog = 1000 + cpu * 100 + 99, tl = 2000 + cpu;
	char hogc[16];

	task_comm(hogc, cpu, -1);
	for (k = 1; k <= nact; k++) {
		uint64_t exp = t0 + k * 1000000ull, now = exp, irq_ts, st;
		uint64_t sum[4] = {0}, cnt[4] = {0}, d, irq_lat, thr_lat;
		struct tl_rec *x;

		/* a device interrupt delays the timer IRQ (one in four activations) */
		if (rnd(g) % 4 == 0) {
			st = now + 100 + rnd(g) % 400;
			d = 2000 + rnd(g) % 8000;
			now = st + d;
			x = tl_add(s, TL_IRQN, cpu, now, hog);
			x->a = st, x->b = d, x->c = 33, x->desc = "virtio0-input";
			sum[0] += d, cnt[0]++;
		}
		if (rnd(g) % 16 == 0) { /* an NMI */
			/* ending >= 1 us after the expiry: the text's us times place it alike */
			st = now + 1000;
			d = 500 + rnd(g) % 3000;
			now = st + d;
			x = tl_add(s, TL_NMIN, cpu, now, hog);
			x->a = st, x->b = d;
			sum[3] += d, cnt[3]++;
		}
		irq_ts = now + 300 + rnd(g) % 3000;
		irq_lat = irq_ts - exp;
		x = tl_add(s, TL_TIMERLAT, cpu, irq_ts, hog);
		x->a = irq_lat, x->b = 0, x->c = k;
		/* the timer interrupt itself, then maybe a softirq */
		st = irq_ts - 150;
		d = 1000 + rnd(g) % 3000;
		now = st + d;
		x = tl_add(s, TL_IRQN, cpu, now, hog);
		x->a = st, x->b = d, x->c = 236, x->desc = "local_timer";
		sum[0] += d, cnt[0]++;
		if (rnd(g) % 3 == 0) {
			st = now + 50;
			d = 1000 + rnd(g) % 6000;
			now = st + d;
			x = tl_add(s, TL_SOFTN, cpu, now, hog);
			x->a = st, x->b = d, x->c = 1;
			sum[1] += d, cnt[1]++;
		}
		/* the running thread holds the CPU a while (one in two) */
		if (rnd(g) % 2 == 0) {
			d = 1000 + rnd(g) % 40000;
			now += d;
			x = tl_add(s, TL_THRN, cpu, now, hog);
			x->a = irq_ts + 100, x->b = d, x->npid = hog;
			memcpy(x->comm, hogc, 16);
			sum[2] += d, cnt[2]++;
		}
		now += 200 + rnd(g) % 800;
		thr_lat = now - exp;
		x = tl_add(s, TL_TIMERLAT, cpu, now, tl);
		x->a = thr_lat, x->b = 1, x->c = k;
		if (k % 100 == 0) {
			x = tl_add(s, TL_OSNOISE, cpu, now + 1000, tl);
			x->a = 40 + rnd(g) % 100, x->b = 900 + rnd(g) % 50, x->c = 5 + rnd(g) % 30;
			if (cpu == 0) {
				x = tl_add(s, TL_HWLAT, cpu, now + 2000, tl);
				x->a = 3 + rnd(g) % 20, x->b = 2 + rnd(g) % 20, x->c = k / 100;
			}
		}
		if (truth)
			fprintf(truth,
				"%d,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n", cpu,
				(unsigned long long)k, (unsigned long long)irq_lat,
				(unsigned long long)thr_lat, (unsigned long long)sum[0],
				(unsigned long long)cnt[0], (unsigned long long)sum[1],
				(unsigned long long)cnt[1], (unsigned long long)sum[2],
				(unsigned long long)cnt[2], (unsigned long long)sum[3],
				(unsigned long long)cnt[3]);
	}
}

/* Every CPU's records; the truth file is written once, CPU by CPU. */
static struct tl_set *tl_all(struct gen *g)
{
	static struct tl_set *all;
	FILE *truth = NULL;
	int cpu;

	if (all)
		return all;
	all = calloc((size_t)g->cpus, sizeof(*all));
	if (!all)
		die("out of memory");
	if (g->truth && !(truth = fopen(g->truth, "w")))
		die("cannot create the truth file");
	if (truth)
		fprintf(truth,
			"cpu,seqnum,irq_ns,thread_ns,irq_noise_ns,irq_noise_n,softirq_noise_ns,"
			"softirq_noise_n,thread_noise_ns,thread_noise_n,nmi_noise_ns,"
			"nmi_noise_n\n");
	for (cpu = 0; cpu < g->cpus; cpu++)
		tl_workload(g, cpu, g->events / (uint64_t)g->cpus, &all[cpu], truth);
	if (truth && fclose(truth))
		die("write failed");
	return all;
}

/* One record as the kernel lays it out; @d has room for 64 bytes. Return: its length. */
static uint32_t tl_encode(const struct tl_rec *x, uint8_t *d, int big)
{
	size_t n;

	switch (x->type) {
	case TL_TIMERLAT:
		ev_common(d, TL_ID_TIMERLAT, x->pid, big);
		enc(d + 8, x->c, 4, big);
		enc(d + 12, x->b, 4, big);
		enc(d + 16, x->a, 8, big);
		return 24;
	case TL_IRQN:
		ev_common(d, TL_ID_IRQ_NOISE, x->pid, big);
		enc(d + 8, x->a, 8, big);
		enc(d + 16, x->b, 8, big);
		n = strlen(x->desc) + 1;
		enc(d + 24, (uint32_t)(n << 16 | 32), 4, big); /* __data_loc: len << 16 | offset */
		enc(d + 28, x->c, 4, big);
		memcpy(d + 32, x->desc, n);
		return (uint32_t)((32 + n + 3) & ~(size_t)3);
	case TL_SOFTN:
		ev_common(d, TL_ID_SOFTIRQ_NOISE, x->pid, big);
		enc(d + 8, x->a, 8, big);
		enc(d + 16, x->b, 8, big);
		enc(d + 24, x->c, 4, big);
		return 28;
	case TL_THRN:
		ev_common(d, TL_ID_THREAD_NOISE, x->pid, big);
		memcpy(d + 8, x->comm, 16);
		enc(d + 24, x->a, 8, big);
		enc(d + 32, x->b, 8, big);
		enc(d + 40, (uint32_t)x->npid, 4, big);
		return 44;
	case TL_NMIN:
		ev_common(d, TL_ID_NMI_NOISE, x->pid, big);
		enc(d + 8, x->a, 8, big);
		enc(d + 16, x->b, 8, big);
		return 24;
	case TL_OSNOISE:
		ev_common(d, TL_ID_OSNOISE, x->pid, big);
		enc(d + 8, x->a, 8, big);
		enc(d + 16, 1000, 8, big); /* runtime, us */
		enc(d + 24, x->c, 8, big);
		enc(d + 40, 3, 4, big); /* irq_count */
		return 52;
	default: /* TL_HWLAT */
		ev_common(d, TL_ID_HWLAT, x->pid, big);
		enc(d + 8, x->a, 8, big);
		enc(d + 16, x->b, 8, big);
		enc(d + 52, x->c, 4, big);
		return 60;
	}
}

/* One CPU's timerlat records, page by page (gen_cpu's counterpart). */
static uint64_t tl_cpu(struct gen *g, int cpu, page_fn fn, void *arg)
{
	const struct tl_set *s = &tl_all(g)[cpu];
	uint8_t d[64];
	size_t i;

	g->used = HDR;
	g->npages_cpu = 0;
	memset(g->page, 0, sizeof(g->page));
	for (i = 0; i < s->n; i++)
		emit(g, s->r[i].ts, d, tl_encode(&s->r[i], d, g->big), fn, arg);
	flush_page(g, fn, arg);
	return s->n;
}

static void tl_fmt(struct out *o, const char *f)
{
	w8(o, strlen(f));
	wr(o, f, strlen(f));
}

/* The ftrace entry formats (v6 "ftrace formats"). */
static void tl_ftrace_formats(struct out *o)
{
	w4(o, 3);
	tl_fmt(o, tl_fmt_hwlat);
	tl_fmt(o, tl_fmt_osnoise);
	tl_fmt(o, tl_fmt_timerlat);
}

/* The event systems: sched as formats() writes it, and osnoise. */
static void tl_formats(struct out *o)
{
	w4(o, 2);
	wr(o, "sched", 6);
	w4(o, 3);
	tl_fmt(o, fmt_switch);
	tl_fmt(o, fmt_wakeup);
	tl_fmt(o, fmt_waking);
	wr(o, "osnoise", 8);
	w4(o, 4);
	tl_fmt(o, tl_fmt_thread_noise);
	tl_fmt(o, tl_fmt_softirq_noise);
	tl_fmt(o, tl_fmt_irq_noise);
	tl_fmt(o, tl_fmt_nmi_noise);
}

static int tl_cmp(const void *a, const void *b)
{
	const struct tl_rec *x = *(const struct tl_rec *const *)a,
			    *y = *(const struct tl_rec *const *)b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->cpu - y->cpu;
}

/* -f ftrace: the records as the tracefs `trace` file prints them, merged by time. */
static void tl_text(struct gen *g, const char *path)
{
	static const char *const sirq[] = {"HI", "TIMER"};
	struct tl_set *all = tl_all(g);
	const struct tl_rec **v;
	size_t n = 0, i, j;
	FILE *f = fopen(path, "w");
	int cpu;

	if (!f)
		die("cannot create the output");
	for (cpu = 0; cpu < g->cpus; cpu++)
		n += all[cpu].n;
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		die("out of memory");
	for (cpu = 0, j = 0; cpu < g->cpus; cpu++)
		for (i = 0; i < all[cpu].n; i++)
			v[j++] = &all[cpu].r[i];
	qsort(v, n, sizeof(*v), tl_cmp);
	fprintf(f, "# tracer: timerlat\n#\n");
	for (i = 0; i < n; i++) {
		const struct tl_rec *x = v[i];
		char who[32];

		if (x->pid >= 2000)
			snprintf(who, sizeof(who), "timerlat/%d", x->cpu);
		else
			task_comm(who, x->cpu, -1);
		fprintf(f, "%16s-%-7d [%03d] d.h1. %5llu.%06llu: ", who, x->pid, x->cpu,
			(unsigned long long)(x->ts / 1000000000ull),
			(unsigned long long)(x->ts % 1000000000ull / 1000));
		switch (x->type) {
		case TL_TIMERLAT:
			fprintf(f, "#%-5llu context %6s timer_latency %9llu ns\n",
				(unsigned long long)x->c, x->b ? "thread" : "irq",
				(unsigned long long)x->a);
			break;
		case TL_IRQN:
			fprintf(f, "irq_noise: %s:%llu start %llu.%09llu duration %llu ns\n",
				x->desc, (unsigned long long)x->c,
				(unsigned long long)(x->a / 1000000000ull),
				(unsigned long long)(x->a % 1000000000ull),
				(unsigned long long)x->b);
			break;
		case TL_SOFTN:
			fprintf(f, "softirq_noise: %8s:%llu start %llu.%09llu duration %llu ns\n",
				sirq[x->c & 1], (unsigned long long)x->c,
				(unsigned long long)(x->a / 1000000000ull),
				(unsigned long long)(x->a % 1000000000ull),
				(unsigned long long)x->b);
			break;
		case TL_THRN:
			fprintf(f, "thread_noise: %8s:%d start %llu.%09llu duration %llu ns\n",
				x->comm, x->npid, (unsigned long long)(x->a / 1000000000ull),
				(unsigned long long)(x->a % 1000000000ull),
				(unsigned long long)x->b);
			break;
		case TL_NMIN:
			fprintf(f, "nmi_noise: start %llu.%09llu duration %llu ns\n",
				(unsigned long long)(x->a / 1000000000ull),
				(unsigned long long)(x->a % 1000000000ull),
				(unsigned long long)x->b);
			break;
		case TL_OSNOISE: /* runtime, noise, % available, max single, hw nmi irq softirq
				    thread */
			fprintf(f, "%llu %10llu %3llu.%05llu %7llu %6u %6u %6u %6u %6u\n", 1000ull,
				(unsigned long long)x->a,
				(unsigned long long)((1000 - x->a) * 100 / 1000),
				(unsigned long long)((1000 - x->a) * 10000000 / 1000 % 100000),
				(unsigned long long)x->c, 0u, 0u, 3u, 0u, 0u);
			break;
		default: /* TL_HWLAT */
			fprintf(f, "#%-5llu inner/outer(us): %4llu/%-5llu ts:%lld.%09ld count:%d\n",
				(unsigned long long)x->c, (unsigned long long)x->a,
				(unsigned long long)x->b, 1700000000ll + (long long)x->c, 0l, 1);
			break;
		}
	}
	free(v);
	if (fclose(f))
		die("write failed");
}

/* ------------------------------------------------ -I: cross-cpu workload */

struct ipi_ev {
	uint64_t ts;
	uint32_t len;
	uint8_t d[64];
};

static struct {
	struct ipi_ev **e; /* per cpu, in time order */
	size_t *n, *cap;
	long long *off; /* -K: per-cpu clock offsets (ns) */
	int noff;
	long long *rate; /* -R: per-cpu clock drifts (ppb, from true time 1 s) */
	int nrate;
} ipi_sim;

/* An event of cpu @cpu at true time @t, on that cpu's clock. */
static void ipi_push(int cpu, uint64_t t, const uint8_t *d, uint32_t len)
{
	struct ipi_ev *x;
	long long off = cpu < ipi_sim.noff ? ipi_sim.off[cpu] : 0;

	if (ipi_sim.n[cpu] == ipi_sim.cap[cpu]) {
		ipi_sim.cap[cpu] = ipi_sim.cap[cpu] ? 2 * ipi_sim.cap[cpu] : 1024;
		ipi_sim.e[cpu] = realloc(ipi_sim.e[cpu], ipi_sim.cap[cpu] * sizeof(**ipi_sim.e));
		if (!ipi_sim.e[cpu])
			die("out of memory");
	}
	x = &ipi_sim.e[cpu][ipi_sim.n[cpu]++];
	x->ts = (uint64_t)((long long)t + off);
	if (cpu < ipi_sim.nrate) /* the clock runs rate ppb fast from 1 s (true time) on */
		x->ts = (uint64_t)((long long)x->ts + (long long)(((__int128)t - 1000000000) *
								  ipi_sim.rate[cpu] / 1000000000));
	x->len = len;
	memcpy(x->d, d, len);
}

static void ipi_wake(struct gen *g, int cpu, uint64_t t, uint16_t id, int32_t cur, int tcpu, int k)
{
	uint8_t d[64];
	char c[16];

	task_comm(c, tcpu, k);
	ev_common(d, id, cur, g->big);
	memcpy(d + 8, c, 16);
	enc(d + 24, (uint32_t)task_pid(tcpu, k), 4, g->big);
	enc(d + 28, (uint32_t)(10 + k), 4, g->big);
	enc(d + 32, (uint32_t)tcpu, 4, g->big);
	ipi_push(cpu, t, d, 36);
}

/* sched_switch on @cpu from task @kp to task @kn (-1: the cpu's hog) */
static void ipi_switch(struct gen *g, int cpu, uint64_t t, int kp, int kn, uint64_t state)
{
	uint8_t d[64];
	char c[16];

	ev_common(d, ID_SWITCH, task_pid(cpu, kp), g->big);
	task_comm(c, cpu, kp);
	memcpy(d + 8, c, 16);
	enc(d + 24, (uint32_t)task_pid(cpu, kp), 4, g->big);
	enc(d + 28, kp < 0 ? 120 : (uint32_t)(10 + kp), 4, g->big);
	enc(d + 32, state, 8, g->big);
	task_comm(c, cpu, kn);
	memcpy(d + 40, c, 16);
	enc(d + 56, (uint32_t)task_pid(cpu, kn), 4, g->big);
	enc(d + 60, kn < 0 ? 120 : (uint32_t)(10 + kn), 4, g->big);
	ipi_push(cpu, t, d, 64);
}

static void ipi_vector(struct gen *g, int cpu, uint64_t t, uint16_t id, int32_t cur, int vec)
{
	uint8_t d[64];

	ev_common(d, id, cur, g->big);
	enc(d + 8, (uint32_t)vec, 4, g->big);
	ipi_push(cpu, t, d, 12);
}

/*
 * The whole workload in true time, one wake-up at a time (so every cpu's
 * events are in time order): cpu a's hog wakes task k of cpu b and sends the
 * reschedule IPI; b enters the handler 1-3 us later and switches to the task
 * 0.8-1.8 us after that; the task runs 5-55 us and sleeps. Every fourth time
 * a then sends a function-call IPI to all other cpus (cpus 0..63 in the mask).
 */
static void gen_ipi_sim(struct gen *g)
{
	uint64_t t = 1000000000ull, done = 0, step = 0;
	uint8_t d[64];
	int c;

	ipi_sim.e = calloc((size_t)g->cpus, sizeof(*ipi_sim.e));
	ipi_sim.n = calloc((size_t)g->cpus, sizeof(*ipi_sim.n));
	ipi_sim.cap = calloc((size_t)g->cpus, sizeof(*ipi_sim.cap));
	if (!ipi_sim.e || !ipi_sim.n || !ipi_sim.cap)
		die("out of memory");
	while (done < g->events) {
		int a = (int)(rnd(g) % (uint32_t)g->cpus);
		int b = (a + 1 + (int)(rnd(g) % (uint32_t)(g->cpus - 1))) % g->cpus;
		int k = (int)(rnd(g) % (uint32_t)g->tasks);
		int32_t hog_a = task_pid(a, -1), hog_b = task_pid(b, -1);
		uint64_t t1, t2, t3, t4, t5;

		t += 20000 + rnd(g) % 80000;
		ipi_wake(g, a, t, ID_WAKING, hog_a, b, k);
		t1 = t + 500 + rnd(g) % 1000;
		ipi_wake(g, a, t1, ID_WAKEUP, hog_a, b, k);
		t2 = t1 + 200 + rnd(g) % 300;
		ev_common(d, ID_IPI_CPU, hog_a, g->big);
		enc(d + 8, (uint32_t)b, 4, g->big);
		enc(d + 16, 0xffffffff81100000ull + 0x40 * (uint64_t)(rnd(g) % 8), 8, g->big);
		enc(d + 24, 0, 8, g->big); /* a reschedule: no callback */
		ipi_push(a, t2, d, 32);
		t3 = t2 + 1000 + rnd(g) % 2000;
		ipi_vector(g, b, t3, ID_RESCHED_ENTRY, hog_b, 253);
		ipi_vector(g, b, t3 + 300 + rnd(g) % 200, ID_RESCHED_EXIT, hog_b, 253);
		t4 = t3 + 800 + rnd(g) % 1000;
		ipi_switch(g, b, t4, -1, k, 0x100); /* the hog preempted (R+) */
		t5 = t4 + 5000 + rnd(g) % 50000;
		ipi_switch(g, b, t5, k, -1, 0x1); /* the task sleeps (S) */
		done += 7;
		if (++step % 4 == 0 && g->cpus > 1) {
			uint64_t t6 = t5 + 2000, mask = 0, end = t6;

			for (c = 0; c < g->cpus && c < 64; c++)
				if (c != a)
					mask |= 1ull << c;
			ev_common(d, ID_IPI_MASK, hog_a, g->big);
			enc(d + 8, (8u << 16) | 32u, 4, g->big); /* __data_loc: 8 bytes at 32 */
			enc(d + 16, 0xffffffff81200000ull, 8, g->big);
			enc(d + 24, 0xffffffff81300000ull, 8, g->big);
			enc(d + 32, mask, 8, g->big);
			ipi_push(a, t6, d, 40);
			done++;
			for (c = 0; c < g->cpus && c < 64; c++) {
				uint64_t tc = t6 + 1000 + rnd(g) % 2000;

				if (c == a)
					continue;
				ipi_vector(g, c, tc, ID_CALLFN_ENTRY, task_pid(c, -1), 252);
				ipi_vector(g, c, tc + 500, ID_CALLFN_EXIT, task_pid(c, -1), 252);
				if (tc + 500 > end)
					end = tc + 500;
				done += 2;
			}
			t5 = end;
		}
		t = t5;
	}
}

/* One cpu's events of the -I workload, page by page. */
static void gen_ipi_cpu(struct gen *g, int cpu, page_fn fn, void *arg)
{
	size_t i;

	g->used = HDR;
	g->npages_cpu = 0;
	memset(g->page, 0, sizeof(g->page));
	for (i = 0; i < ipi_sim.n[cpu]; i++)
		emit(g, ipi_sim.e[cpu][i].ts, ipi_sim.e[cpu][i].d, ipi_sim.e[cpu][i].len, fn, arg);
	flush_page(g, fn, arg);
}

/* -K OFF0,OFF1,... (ns) or -R RATE0,RATE1,... (ppb): per-cpu values, |v| <= 1e8 */
static void ipi_list(const char *s, long long **vals, int *n, const char *what)
{
	char *end;

	for (;;) {
		long long v = strtoll(s, &end, 0);

		if (end == s || v < -100000000ll || v > 100000000ll)
			die(what);
		*vals = realloc(*vals, (size_t)(*n + 1) * sizeof(**vals));
		if (!*vals)
			die("out of memory");
		(*vals)[(*n)++] = v;
		if (*end != ',')
			break;
		s = end + 1;
	}
	if (*end)
		die(what);
}

static void formats_ipi(struct out *o)
{
	size_t i;

	wr(o, "ipi", 4);
	w4(o, 2);
	w8(o, sizeof(fmt_ipi_cpu) - 1);
	wr(o, fmt_ipi_cpu, sizeof(fmt_ipi_cpu) - 1);
	w8(o, sizeof(fmt_ipi_mask) - 1);
	wr(o, fmt_ipi_mask, sizeof(fmt_ipi_mask) - 1);
	wr(o, "irq_vectors", 12);
	w4(o, 4);
	for (i = 0; i < 4; i++) {
		w8(o, strlen(fmt_vectors[i]));
		wr(o, fmt_vectors[i], strlen(fmt_vectors[i]));
	}
}

/* ---------------------------------------------------------------- writers */

struct cpu_sink {
	struct out *o;
	int comp; /* 0 none, 1 zlib, 2 zstd */
	uint8_t chunk[PAGE * 10];
	uint32_t nchunk_pages, nchunks;
	int brk;
};

static void compress_chunk(struct cpu_sink *s)
{
	size_t cap = ZSTD_compressBound(sizeof(s->chunk)) + 64;
	uint8_t *buf = malloc(cap);
	size_t n;

	if (!buf)
		die("out of memory");
	if (s->comp == 2) {
		n = ZSTD_compress(buf, cap, s->chunk, s->nchunk_pages * PAGE, 1);
		if (ZSTD_isError(n))
			die("zstd failed");
	} else {
		uLongf z = (uLongf)cap;

		if (compress2(buf, &z, s->chunk, s->nchunk_pages * PAGE, 6) != Z_OK)
			die("zlib failed");
		n = z;
	}
	if (s->brk == 'z' && s->nchunks == 1)
		memset(buf + n / 3, 0xa5, n / 3); /* a corrupt chunk */
	w4(s->o, (uint32_t)n);
	w4(s->o, s->nchunk_pages * PAGE);
	wr(s->o, buf, n);
	free(buf);
	s->nchunks++;
	s->nchunk_pages = 0;
}

static void page_out(void *arg, const uint8_t *page)
{
	struct cpu_sink *s = arg;

	if (!s->comp) {
		wr(s->o, page, PAGE);
		return;
	}
	memcpy(s->chunk + s->nchunk_pages * PAGE, page, PAGE);
	if (++s->nchunk_pages == 10)
		compress_chunk(s);
}

static void formats_ipi(struct out *o);

static void formats(struct out *o)
{
	w4(o, ipi_mode ? 3 : 1);
	wr(o, "sched", 6);
	w4(o, 3);
	w8(o, sizeof(fmt_switch) - 1);
	wr(o, fmt_switch, sizeof(fmt_switch) - 1);
	w8(o, sizeof(fmt_wakeup) - 1);
	wr(o, fmt_wakeup, sizeof(fmt_wakeup) - 1);
	w8(o, sizeof(fmt_waking) - 1);
	wr(o, fmt_waking, sizeof(fmt_waking) - 1);
	if (ipi_mode)
		formats_ipi(o);
}

static void header_info(struct out *o)
{
	wr(o, "header_page", 12);
	w8(o, sizeof(header_page) - 1);
	wr(o, header_page, sizeof(header_page) - 1);
	wr(o, "header_event", 13);
	w8(o, sizeof(header_event) - 1);
	wr(o, header_event, sizeof(header_event) - 1);
}

static char *cmdlines(struct gen *g, size_t *len)
{
	size_t cap = (size_t)g->cpus * (size_t)(g->tasks + 1) * 32 + 1, n = 0;
	char *s = malloc(cap), c[16];
	int cpu, k;

	if (!s)
		die("out of memory");
	for (cpu = 0; cpu < g->cpus; cpu++)
		for (k = -1; k < g->tasks; k++) {
			task_comm(c, cpu, k);
			n += (size_t)snprintf(s + n, cap - n, "%d %s\n", task_pid(cpu, k), c);
		}
	*len = n;
	return s;
}

static void gen_cpus(struct gen *g, struct out *o, int comp, uint64_t *offs, uint64_t *sizes)
{
	int cpu;
	uint64_t per = g->events / (uint64_t)g->cpus;

	for (cpu = 0; cpu < g->cpus; cpu++) {
		struct cpu_sink *s = calloc(1, sizeof(*s));
		uint64_t cnt_at = 0;

		if (!s)
			die("out of memory");
		s->o = o;
		s->comp = comp;
		s->brk = g->brk;
		pad_to(o, PAGE);
		offs[cpu] = o->off;
		if (comp) {
			cnt_at = o->off;
			w4(o, 0); /* chunk count, patched below */
		}
		if (g->tl)
			tl_cpu(g, cpu, page_out, s);
		else if (ipi_mode)
			gen_ipi_cpu(g, cpu, page_out, s);
		else
			gen_cpu(g, cpu, per, page_out, s);
		if (comp) {
			uint64_t end;

			if (s->nchunk_pages)
				compress_chunk(s);
			end = o->off;
			seek_to(o, cnt_at);
			w4(o, s->nchunks);
			seek_to(o, end);
			/* trace-cmd's size leaves out the chunk count */
			sizes[cpu] = end - cnt_at - 4;
		} else {
			sizes[cpu] = o->off - offs[cpu];
		}
		free(s);
	}
}

static void write_v6(struct gen *g, struct out *o)
{
	uint64_t *offs = calloc((size_t)g->cpus, 8), *sizes = calloc((size_t)g->cpus, 8), table;
	size_t cl;
	char *cmd = cmdlines(g, &cl);
	int cpu;

	if (!offs || !sizes)
		die("out of memory");
	header_info(o);
	if (g->tl) {
		tl_ftrace_formats(o);
		tl_formats(o);
	} else {
		w4(o, 0); /* ftrace formats */
		formats(o);
	}
	w4(o, 0); /* kallsyms */
	w4(o, 0); /* printk */
	w8(o, cl);
	wr(o, cmd, cl);
	w4(o, (uint32_t)g->cpus);
	wr(o, "flyrecord", 10);
	table = o->off;
	for (cpu = 0; cpu < g->cpus; cpu++) {
		w8(o, 0);
		w8(o, 0);
	}
	gen_cpus(g, o, 0, offs, sizes);
	seek_to(o, table);
	for (cpu = 0; cpu < g->cpus; cpu++) {
		w8(o, offs[cpu]);
		w8(o, sizes[cpu]);
	}
	free(cmd);
	free(offs);
	free(sizes);
}

/* v7: sections back to back after the header (trace-cmd scans them for strings) */
struct sec {
	uint64_t at;
	int comp, big;
	uint8_t *buf;
	size_t len, cap;
};

static void sbuf(struct sec *s, const void *p, size_t n)
{
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2 + 256;
		s->buf = realloc(s->buf, s->cap);
		if (!s->buf)
			die("out of memory");
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

static void s8(struct sec *s, uint64_t v)
{
	uint8_t b[8];

	enc(b, v, 8, s->big);
	sbuf(s, b, 8);
}

static void s4(struct sec *s, uint32_t v)
{
	uint8_t b[4];

	enc(b, v, 4, s->big);
	sbuf(s, b, 4);
}

static void s2(struct sec *s, uint16_t v)
{
	uint8_t b[2];

	enc(b, v, 2, s->big);
	sbuf(s, b, 2);
}

/* Write section @id with body @b (compressed if @comp). Return: its offset. */
static uint64_t section(struct out *o, uint16_t id, uint32_t desc, struct sec *b, int comp)
{
	uint64_t at = o->off;

	w2(o, id);
	w2(o, comp ? 1 : 0);
	w4(o, desc);
	if (!comp) {
		w8(o, b->len);
		wr(o, b->buf, b->len);
	} else {
		size_t cap = ZSTD_compressBound(b->len) + compressBound((uLong)b->len) + 64, n;
		uint8_t *z = malloc(cap);

		if (!z)
			die("out of memory");
		if (comp == 2) {
			n = ZSTD_compress(z, cap, b->buf, b->len, 1);
		} else {
			uLongf zl = (uLongf)cap;

			compress2(z, &zl, b->buf, (uLong)b->len, 6);
			n = zl;
		}
		w8(o, n + 8);
		w4(o, (uint32_t)n);
		w4(o, (uint32_t)b->len);
		wr(o, z, n);
		free(z);
	}
	b->len = 0;
	return at;
}

static void write_v7(struct gen *g, struct out *o, int comp, uint64_t hdr_opt)
{
	struct sec b = {.big = o->big};
	uint64_t off[6], opt_at, buf_at, buf_body, buf_opt_at, *offs, *sizes, end, prev_done;
	int inst;
	size_t cl;
	char *cmd = cmdlines(g, &cl);
	int cpu, i;
	static const char strings[] = "headers\0ftrace events\0events\0kallsyms\0printk\0"
				      "cmdlines\0options\0flyrecord\0strings";

	offs = calloc((size_t)g->cpus, 8);
	sizes = calloc((size_t)g->cpus, 8);
	if (!offs || !sizes)
		die("out of memory");
	/* metadata bodies are built through a memory stream */
	{
		char *mem = NULL;
		size_t ml = 0;
		struct out m = {open_memstream(&mem, &ml), 0, o->big};

		if (!m.f)
			die("open_memstream failed");
		header_info(&m);
		fflush(m.f);
		sbuf(&b, mem, ml);
		fclose(m.f);
		free(mem);
	}
	off[0] = section(o, 16, 0, &b, comp);
	s4(&b, 0);
	off[1] = section(o, 17, 8, &b, comp);
	{
		char *mem = NULL;
		size_t ml = 0;
		struct out m = {open_memstream(&mem, &ml), 0, o->big};

		if (!m.f)
			die("open_memstream failed");
		formats(&m);
		fflush(m.f);
		sbuf(&b, mem, ml);
		fclose(m.f);
		free(mem);
	}
	off[2] = section(o, 18, 22, &b, comp);
	s4(&b, 0);
	off[3] = section(o, 19, 29, &b, comp);
	s4(&b, 0);
	off[4] = section(o, 20, 38, &b, comp);
	s8(&b, cl);
	sbuf(&b, cmd, cl);
	off[5] = section(o, 21, 45, &b, comp);
	/* first options section: section offsets, clock, cpu count, DONE -> buffer options */
	opt_at = o->off;
	for (i = 0; i < 6; i++) {
		s2(&b, (uint16_t)(16 + i));
		s4(&b, 8);
		s8(&b, off[i]);
	}
	s2(&b, 4);
	s4(&b, g->mult ? 9 : 8);
	sbuf(&b, g->mult ? "[x86-tsc]" : "[local]\n", g->mult ? 9 : 8);
	if (g->offset) {
		char num[32];
		int nn = snprintf(num, sizeof(num), "%lld", g->offset);

		s2(&b, 7);
		s4(&b, (uint32_t)nn + 1);
		sbuf(&b, num, (size_t)nn + 1);
	}
	if (g->mult) {
		s2(&b, 14);
		s4(&b, 16);
		s4(&b, g->mult);
		s4(&b, g->shift);
		s8(&b, 0);
	}
	s2(&b, 8);
	s4(&b, 4);
	s4(&b, (uint32_t)g->cpus);
	s2(&b, 0);
	s4(&b, 8);
	s8(&b, 0); /* patched: next options section */
	section(o, 0, 54, &b, 0);
	/* first options section's DONE payload: patched to the next options section */
	prev_done = opt_at + 16 + 6 * 14 + (g->mult ? 15 : 14) + 10 + 6 +
		    (g->offset ? 6 + (uint64_t)snprintf(NULL, 0, "%lld", g->offset) + 1 : 0) +
		    (g->mult ? 22 : 0);
	for (inst = 0; inst < (g->instance ? 2 : 1); inst++) {
		const char *iname = inst ? g->instance : "";

		/* the buffer section: flyrecord pages of every cpu */
		buf_at = o->off;
		w2(o, 3);
		w2(o, comp ? 1 : 0);
		w4(o, 62);
		w8(o, 0); /* patched: size */
		buf_body = o->off;
		if (inst)
			g->seed += 12345;
		gen_cpus(g, o, comp, offs, sizes);
		end = o->off;
		seek_to(o, buf_at + 8);
		w8(o, end - buf_body);
		seek_to(o, end);
		/* options section with the buffer option, chained from the previous one */
		buf_opt_at = o->off;
		seek_to(o, prev_done);
		w8(o, buf_opt_at);
		seek_to(o, buf_opt_at);
		s2(&b, 3);
		s4(&b, (uint32_t)(8 + strlen(iname) + 1 + (g->mult ? 8 : 6) + 8 +
				  20 * (unsigned)g->cpus));
		s8(&b, buf_at);
		sbuf(&b, iname, strlen(iname) + 1);
		sbuf(&b, g->mult ? "x86-tsc" : "local", g->mult ? 8 : 6);
		s4(&b, PAGE);
		s4(&b, (uint32_t)g->cpus);
		for (cpu = 0; cpu < g->cpus; cpu++) {
			s4(&b, (uint32_t)cpu);
			s8(&b, offs[cpu]);
			s8(&b, sizes[cpu]);
		}
		s2(&b, 0);
		s4(&b, 8);
		s8(&b, 0);
		prev_done = buf_opt_at + 16 + b.len - 8;
		section(o, 0, 54, &b, 0);
	}
	sbuf(&b, strings, sizeof(strings));
	section(o, 15, 72, &b, 0);
	/* patch the header's options offset */
	seek_to(o, hdr_opt);
	w8(o, opt_at);
	free(b.buf);
	free(cmd);
	free(offs);
	free(sizes);
}

/* ---------------------------------------------------------------- CTF */

static const char ctf_metadata[] =
	"/* CTF 1.8 */\n\n"
	"typealias integer { size = 8; align = 8; signed = false; } := uint8_t;\n"
	"typealias integer { size = 32; align = 8; signed = false; } := uint32_t;\n"
	"typealias integer { size = 64; align = 8; signed = false; } := uint64_t;\n"
	"typealias integer { size = 32; align = 8; signed = true; } := int32_t;\n"
	"typealias integer { size = 64; align = 8; signed = true; } := int64_t;\n\n"
	"trace {\n\tmajor = 1;\n\tminor = 8;\n\tbyte_order = le;\n"
	"\tpacket.header := struct { uint32_t magic; uint32_t stream_id; };\n};\n\n"
	"env {\n\ttracer_name = \"rtlens-gen-trace-dat\";\n};\n\n"
	"clock {\n\tname = \"monotonic\";\n\tfreq = 1000000000;\n\toffset = 0;\n};\n\n"
	"typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; } "
	":= clock_t;\n\n"
	"stream {\n\tid = 0;\n"
	"\tpacket.context := struct { clock_t timestamp_begin; clock_t timestamp_end; "
	"uint64_t content_size; uint64_t packet_size; uint32_t cpu_id; };\n"
	"\tevent.header := struct { uint32_t id; clock_t timestamp; };\n};\n\n"
	"event {\n\tname = \"sched_switch\";\n\tid = 0;\n\tstream_id = 0;\n"
	"\tfields := struct { string prev_comm; int32_t prev_tid; int32_t prev_prio; "
	"int64_t prev_state; string next_comm; int32_t next_tid; int32_t next_prio; };\n};\n\n"
	"event {\n\tname = \"sched_wakeup\";\n\tid = 1;\n\tstream_id = 0;\n"
	"\tfields := struct { string comm; int32_t tid; int32_t prio; int32_t target_cpu; "
	"};\n};\n\n"
	"event {\n\tname = \"sched_waking\";\n\tid = 2;\n\tstream_id = 0;\n"
	"\tfields := struct { string comm; int32_t tid; int32_t prio; int32_t target_cpu; };\n};\n";

#define CTF_PKT 65536
#define CTF_PH 44 /* packet header (8) + context (36) */

struct ctf_stream {
	FILE *f;
	uint8_t pkt[CTF_PKT];
	uint32_t used;
	uint64_t first, last;
	uint32_t cpu;
};

static void ctf_flush(struct ctf_stream *s)
{
	uint32_t magic = 0xC1FC1FC1u, sid = 0;
	uint64_t content = (uint64_t)s->used * 8, size = (uint64_t)CTF_PKT * 8;

	if (s->used <= CTF_PH)
		return;
	memcpy(s->pkt, &magic, 4);
	memcpy(s->pkt + 4, &sid, 4);
	memcpy(s->pkt + 8, &s->first, 8);
	memcpy(s->pkt + 16, &s->last, 8);
	memcpy(s->pkt + 24, &content, 8);
	memcpy(s->pkt + 32, &size, 8);
	memcpy(s->pkt + 40, &s->cpu, 4);
	memset(s->pkt + s->used, 0, CTF_PKT - s->used);
	if (fwrite(s->pkt, 1, CTF_PKT, s->f) != CTF_PKT)
		die("write failed");
	s->used = CTF_PH;
}

static void ctf_put(struct ctf_stream *s, const void *p, size_t n)
{
	memcpy(s->pkt + s->used, p, n);
	s->used += (uint32_t)n;
}

static void ctf_ev(struct ctf_stream *s, uint32_t id, uint64_t ts, const char *c1, int32_t a,
		   int32_t b, int64_t st, const char *c2, int32_t d, int32_t e)
{
	if (s->used + 128 > CTF_PKT)
		ctf_flush(s);
	if (s->used == CTF_PH)
		s->first = ts;
	s->last = ts;
	ctf_put(s, &id, 4);
	ctf_put(s, &ts, 8);
	ctf_put(s, c1, strlen(c1) + 1);
	ctf_put(s, &a, 4);
	ctf_put(s, &b, 4);
	if (id == 0) {
		ctf_put(s, &st, 8);
		ctf_put(s, c2, strlen(c2) + 1);
		ctf_put(s, &d, 4);
		ctf_put(s, &e, 4);
	} else {
		ctf_put(s, &d, 4);
	}
}

/* The same workload as gen_cpu(), as an LTTng-style CTF trace (prio - 100). */
static void write_ctf(struct gen *g, const char *dir)
{
	char path[4096], c1[16], c2[16];
	struct ctf_stream *s = calloc(1, sizeof(*s));
	uint64_t per = g->events / (uint64_t)g->cpus;
	FILE *m;
	int cpu;

	if (!s)
		die("out of memory");
	snprintf(path, sizeof(path), "%s/metadata", dir);
	m = fopen(path, "w");
	if (!m || fputs(ctf_metadata, m) < 0 || fclose(m))
		die("cannot write the metadata (does the directory exist?)");
	for (cpu = 0; cpu < g->cpus; cpu++) {
		uint64_t ts = 1000000000ull + (uint64_t)cpu * 1111, done = 0, act = 0;

		snprintf(path, sizeof(path), "%s/stream_%d", dir, cpu);
		s->f = fopen(path, "wb");
		if (!s->f)
			die("cannot create a stream file");
		s->cpu = (uint32_t)cpu;
		s->used = CTF_PH;
		while (done + 4 <= per) {
			int k = (int)(act++ % (uint64_t)g->tasks);
			int32_t pid = task_pid(cpu, k), hog = task_pid(cpu, -1);
			int32_t prio = 10 + k - 100;

			task_comm(c1, cpu, k);
			task_comm(c2, cpu, -1);
			ts += 20000 + rnd(g) % 80000;
			ctf_ev(s, 2, ts, c1, pid, prio, 0, NULL, cpu, 0);
			ts += 500 + rnd(g) % 1000;
			ctf_ev(s, 1, ts, c1, pid, prio, 0, NULL, cpu, 0);
			ts += 1000 + rnd(g) % 3000;
			ctf_ev(s, 0, ts, c2, hog, 20, 0x100, c1, pid, prio);
			ts += 5000 + rnd(g) % 50000;
			ctf_ev(s, 0, ts, c1, pid, prio, 1, c2, hog, 20);
			done += 4;
		}
		ctf_flush(s);
		if (fclose(s->f))
			die("write failed");
	}
	free(s);
}

int main(int argc, char **argv)
{
	struct gen g = {.cpus = 2, .tasks = 3, .events = 100000, .seed = 1};
	const char *path = NULL, *z = "none";
	int v = 6, opt, comp, ctf = 0;
	struct out o;
	uint64_t hdr_opt;

	while ((opt = getopt(argc, argv, "v:z:n:c:t:s:b:o:f:O:T:i:Ew:G:IK:R:")) != -1) {
		switch (opt) {
		case 'I':
			ipi_mode = 1;
			break;
		case 'K':
			ipi_list(optarg, &ipi_sim.off, &ipi_sim.noff,
				 "-K takes offsets in ns (-100 ms .. 100 ms), separated by commas");
			break;
		case 'R':
			ipi_list(optarg, &ipi_sim.rate, &ipi_sim.nrate,
				 "-R takes drifts in ppb (-1e8 .. 1e8), separated by commas");
			break;
		case 'w':
			if (strcmp(optarg, "timerlat"))
				die("-w takes timerlat");
			g.tl = 1;
			break;
		case 'G':
			g.truth = optarg;
			break;
		case 'O':
			g.offset = strtoll(optarg, NULL, 0);
			break;
		case 'i':
			g.instance = optarg;
			break;
		case 'E':
			g.big = 1;
			break;
		case 'T':
			if (sscanf(optarg, "%u:%u", &g.mult, &g.shift) != 2 || !g.mult ||
			    g.shift > 32)
				die("-T takes MULT:SHIFT");
			break;
		case 'f':
			ctf = !strcmp(optarg, "ctf") ? 1 : !strcmp(optarg, "ftrace") ? 2 : 0;
			break;
		case 'v':
			v = atoi(optarg);
			break;
		case 'z':
			z = optarg;
			break;
		case 'n':
			g.events = strtoull(optarg, NULL, 10);
			break;
		case 'c':
			g.cpus = atoi(optarg);
			break;
		case 't':
			g.tasks = atoi(optarg);
			break;
		case 's':
			g.seed = strtoull(optarg, NULL, 10);
			break;
		case 'b':
			g.brk = !strcmp(optarg, "commit")	? 'c'
				: !strcmp(optarg, "unknown-id") ? 'u'
				: !strcmp(optarg, "chunk")	? 'z'
				: !strcmp(optarg, "lost")	? 'l'
								: '?';
			if (g.brk == '?')
				die("-b takes commit, unknown-id, chunk or lost");
			break;
		case 'o':
			path = optarg;
			break;
		default:
			die("usage: gen-trace-dat [-v 6|7] [-z none|zstd|zlib] [-n EVENTS] "
			    "[-c CPUS] [-t TASKS] [-s SEED] [-b BREAK] -o FILE");
		}
	}
	comp = !strcmp(z, "zstd") ? 2 : !strcmp(z, "zlib") ? 1 : 0;
	if (!path || (v != 6 && v != 7) || g.cpus < 1 || g.cpus > 256 || g.tasks < 1 ||
	    g.tasks > 98 || (v == 6 && (comp || g.offset || g.mult || g.instance)))
		die("bad arguments (v6 is never compressed)");
	if (g.tl && (v != 6 || ctf == 1))
		die("-w timerlat writes a v6 trace.dat or (-f ftrace) text");
	if (ctf == 2) {
		if (!g.tl)
			die("-f ftrace goes with -w timerlat");
		tl_text(&g, path);
		return 0;
	}
	if (ipi_mode && (ctf || g.cpus < 2 || g.brk || g.tl))
		die("-I needs two cpus or more, trace.dat, no -b, no -w");
	if (ipi_mode)
		gen_ipi_sim(&g);
	if (ctf) {
		write_ctf(&g, path);
		return 0;
	}
	o.f = fopen(path, "wb");
	o.off = 0;
	o.big = g.big;
	if (!o.f)
		die("cannot create the output");
	wr(&o, "\x17\x08\x44tracing", 10);
	wr(&o, v == 6 ? "6" : "7", 2);
	wr(&o, g.big ? "\1\x08" : "\0\x08", 2);
	w4(&o, PAGE);
	if (v == 6) {
		write_v6(&g, &o);
	} else {
		wr(&o, comp == 2 ? "zstd" : comp ? "zlib" : "none", 5);
		wr(&o, comp == 2 ? "1.5.4" : comp ? "1.2.13" : "", comp == 2 ? 6 : comp ? 7 : 1);
		hdr_opt = o.off;
		w8(&o, 0);
		write_v7(&g, &o, comp, hdr_opt);
	}
	if (fclose(o.f))
		die("write failed");
	return 0;
}
