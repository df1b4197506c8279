/* tests/unit-xentrace.c - the xentrace reader on small hand-built files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../readers/readers.h"
#include "../stats/stats.h"
#include "tap.h"

/* A little-endian word buffer for building fixtures. */
struct buf {
	uint8_t b[4096];
	size_t n;
};

static void w32(struct buf *b, uint32_t v)
{
	b->b[b->n++] = (uint8_t)v;
	b->b[b->n++] = (uint8_t)(v >> 8);
	b->b[b->n++] = (uint8_t)(v >> 16);
	b->b[b->n++] = (uint8_t)(v >> 24);
}

/* CPU-change record: header, cpu, byte count of the window that follows. */
static void window(struct buf *b, uint32_t cpu, uint32_t bytes)
{
	w32(b, 0x2001f003);
	w32(b, cpu);
	w32(b, bytes);
}

/* Record with TSC: header (n words, TSC flag), tsc lo, tsc hi, words. */
static void rec(struct buf *b, uint32_t id, uint64_t tsc, unsigned n, const uint32_t *w)
{
	unsigned i;

	w32(b, id | (uint32_t)n << 28 | 0x80000000u);
	w32(b, (uint32_t)tsc);
	w32(b, (uint32_t)(tsc >> 32));
	for (i = 0; i < n; i++)
		w32(b, w[i]);
}

/* Record without TSC. */
static void rec_notsc(struct buf *b, uint32_t id, unsigned n, const uint32_t *w)
{
	unsigned i;

	w32(b, id | (uint32_t)n << 28);
	for (i = 0; i < n; i++)
		w32(b, w[i]);
}

struct run {
	struct rl_trace *t;
	struct rl_event ev[64];
	int n, rc;
	struct rl_err err;
};

static void read_all(struct run *r, const struct buf *b, const struct rl_read_opts *ro)
{
	struct rl_input in;
	struct rl_merge *m;
	struct rl_event ev;

	memset(r, 0, sizeof(*r));
	memset(&in, 0, sizeof(in));
	in.path = "fixture";
	in.buf = b->b;
	in.len = b->n;
	r->t = rl_trace_new();
	in.src = (uint16_t)rl_trace_add_source(r->t, "fixture", "xentrace", b->n);
	rl_err_init(&r->err);
	m = rl_open_merge(&in, 1, &rl_reader_xentrace, r->t, ro, &r->err);
	if (!m) {
		r->rc = r->err.code;
		return;
	}
	while ((r->rc = rl_merge_next(m, &ev, &r->err)) > 0)
		if (r->n < 64)
			r->ev[r->n++] = ev;
	rl_merge_free(m);
}

static const char *name(const struct run *r, int i)
{
	return rl_strtab_get(r->t->strs, r->ev[i].name);
}

#define D2V1 0x00020001u  /* "dv" word: domain 2, vcpu 1 */
#define IDLE0 0x7fff0000u /* idle domain 32767, vcpu 0 */

static void test_merge_and_inherit(void)
{
	struct buf b = {.n = 0};
	struct rl_read_opts ro = {.cpu_hz = 1000000000}; /* 1 cycle = 1 ns */
	struct run r;
	uint32_t w[4];

	/* window 1: cpu 0, two records */
	window(&b, 0, 2 * 16);
	w[0] = D2V1;
	rec(&b, 0x00021101, 1000, 1, w); /* runnable -> running of d2v1 at 1000 */
	w[0] = 3;
	rec(&b, 0x00022801, 1030, 1, w); /* RTDS tickle cpu 3 at 1030 */
	/* window 2: cpu 1; a TSC-less record, then a wrap record of 1 junk word */
	window(&b, 1, 16 + 8 + 8);
	w[0] = IDLE0;
	rec(&b, 0x00021011, 1100, 1, w); /* idle running -> runnable at 1100 */
	w[0] = 5;
	rec_notsc(&b, 0x00022006, 1, w); /* credit tickle, inherits 1100 */
	w[0] = 0xdeadbeef;
	rec_notsc(&b, 0x0001f002, 1, w); /* wrap padding: skipped */
	/* window 3: cpu 0 again (new epoch), older than cpu 1's window */
	window(&b, 0, 16);
	w[0] = D2V1;
	rec(&b, 0x00021021, 1050, 1, w); /* d2v1 running -> blocked at 1050 */

	read_all(&r, &b, &ro);
	is_int(r.rc, 0, "fixture read to the end");
	is_int(r.n, 5, "5 events (wrap record skipped)");
	is_int(r.ev[0].ts, 1000, "1st event at 1000");
	is_int(r.ev[1].ts, 1030, "2nd at 1030");
	is_int(r.ev[2].ts, 1050, "3rd from a later window of cpu 0, merged by TSC");
	is_int(r.ev[2].cpu, 0, "3rd is on cpu 0");
	is_int(r.ev[3].ts, 1100, "4th from cpu 1's earlier window");
	is_int(r.ev[3].cpu, 1, "4th is on cpu 1");
	is_int(r.ev[4].ts, 1100, "TSC-less record takes its cpu's last TSC");
	ok(r.ev[4].flags & RL_EVF_INHERITED, "and is flagged inherited");
	ok(!(r.ev[3].flags & RL_EVF_INHERITED), "a record with TSC is not");
	is_int(r.ev[4].type, RL_EV_IPI_SEND, "credit tickle is an IPI send");
	is_int(r.ev[4].arg, 5, "to cpu 5");
	is_int(r.ev[1].arg, 3, "RTDS tickle to cpu 3");
	is_int(r.ev[0].type, RL_EV_SWITCH_IN, "runnable -> running is a switch-in");
	is_int(r.ev[0].cpu, 0, "on the PCPU that wrote it");
	is_int(r.ev[2].type, RL_EV_SWITCH_OUT, "running -> blocked is a switch-out");
	is_str(name(&r, 0), "0x00021101", "event name is the 28-bit id");
	is_str(name(&r, 1), "0x00022801", "tickle's name");
	ok(r.ev[0].task != RL_NO_TASK && r.ev[0].task == r.ev[2].task, "one task for d2v1");
	if (r.ev[0].task < r.t->ntasks) {
		const struct rl_task *tk = &r.t->tasks[r.ev[0].task];

		is_int(tk->kind, RL_TASK_VCPU, "task is a VCPU");
		is_int(tk->domain, 2, "of domain 2");
		is_int(tk->pid, 1, "vcpu 1");
		is_str(rl_trace_task_name(r.t, r.ev[0].task), "d2v1", "named d2v1");
	}
	is_int(r.ev[0].src_off, 12, "src_off points at the record");
	is_int(r.t->ncpu, 2, "2 cpus");
	is_int(r.t->warn_count[RL_W_TRUNCATED] + r.t->warn_count[RL_W_GARBAGE], 0, "no damage");
	rl_trace_free(r.t);
}

static void test_lost_and_unknown(void)
{
	struct buf b = {.n = 0};
	struct rl_read_opts ro = {.cpu_hz = 1000000000, .xen_version = 418};
	struct run r;
	uint32_t w[7];

	window(&b, 0, 16 + 28 + 12 + 20);
	w[0] = D2V1;
	rec(&b, 0x00021101, 0x100000000ull, 1, w); /* high TSC word in use */
	w[0] = 7;				   /* 7 records lost */
	w[1] = 2 | 1u << 16;			   /* did 2 in bits 0-15, vid 1 above */
	w[2] = 0x00000500;			   /* first lost TSC, low */
	w[3] = 0x00000001;			   /* ... high */
	rec(&b, 0x0001f001, 0x100000900ull, 4, w);
	rec(&b, 0x00022899, 0x100000a00ull, 0, w); /* an RTDS id nobody defines */
	w[0] = 42;
	w[1] = 43;
	rec(&b, 0x00022806, 0x100000b00ull, 2, w); /* SCHEDULE has 1 word, not 2 */

	read_all(&r, &b, &ro);
	is_int(r.rc, 0, "lost/unknown fixture read");
	is_int(r.n, 4, "4 events");
	is_int(r.ev[1].type, RL_EV_LOST, "lost records become RL_EV_LOST");
	is_int(r.ev[1].arg, 7, "with the count");
	is_int(r.ev[1].ts, 0x100000500ll, "dated at the first lost record");
	is_int(r.ev[1].arg2, 0x100000900ll, "ending at the record's own TSC");
	ok(r.ev[1].task != RL_NO_TASK && !strcmp(rl_trace_task_name(r.t, r.ev[1].task), "d2v1"),
	   "current vcpu after the gap from did/vid");
	is_int(r.t->warn_count[RL_W_LOST], 1, "lost records counted as a warning");
	is_int(r.ev[2].type, RL_EV_OTHER, "unknown id carried");
	ok(r.ev[2].flags & RL_EVF_RAW, "flagged raw");
	is_str(name(&r, 2), "0x00022899", "with its id as name");
	ok(r.ev[3].flags & RL_EVF_RAW, "a known id with a foreign word count is raw too");
	is_int(r.ev[3].arg, 42, "raw word 0 kept");
	is_int(r.t->warn_count[RL_W_UNKNOWN_TYPE], 2, "each unknown (id, words) reported once");
	is_str(r.t->format, "xentrace-4.18", "--xen-version chose the profile");
	rl_trace_free(r.t);
}

static void test_versions(void)
{
	struct buf b = {.n = 0};
	struct rl_read_opts ro = {.cpu_hz = 1000000000};
	struct run r;
	uint32_t w[7];

	/* 4.5/4.6 RTDS packs dom in bits 0-15; the runstate records know d2v1 */
	window(&b, 0, 16 + 20 + 32);
	w[0] = D2V1;
	rec(&b, 0x00021101, 100, 1, w); /* runstate: dv packing, always */
	w[0] = 1;
	w[1] = 5000;
	rec(&b, 0x0002800e, 200, 2, w); /* INFPREV with 2 words: <= 4.7 */
	w[0] = 2 | 1u << 16;		/* dom 2 low, vcpu 1 high: 4.5/4.6 order */
	w[1] = 10000000;		/* deadline lo */
	w[2] = 0;			/* deadline hi */
	w[3] = 2500000;			/* budget lo */
	w[4] = 0;			/* budget hi */
	rec(&b, 0x00022804, 300, 5, w); /* BUDGET_REPLENISH, 5 words */

	read_all(&r, &b, &ro);
	is_int(r.rc, 0, "version fixture read");
	is_str(r.t->format, "xentrace-4.5", "4.6 half order detected from runstate pairs");
	is_int(r.n, 3, "3 events");
	ok(r.ev[2].task == r.ev[0].task, "replenish attributed to d2v1");
	is_int(r.ev[2].arg, 10000000, "deadline");
	is_int(r.ev[2].arg2, 2500000, "budget");
	is_int(r.ev[1].arg, 5000, "INFPREV runtime from word 1 (<= 4.7)");
	rl_trace_free(r.t);

	ro.xen_version = 407; /* forced: the other half order */
	read_all(&r, &b, &ro);
	is_str(r.t->format, "xentrace-4.7", "--xen-version 4.7 overrides detection");
	ok(r.n == 3 && r.ev[2].task != r.ev[0].task, "then the replenish names another vcpu");
	rl_trace_free(r.t);
}

static void test_bad(void)
{
	struct buf b = {.n = 0};
	struct rl_read_opts ro = {.cpu_hz = 1000000000};
	struct run r;
	uint32_t w[2] = {D2V1, 0};

	w32(&b, 0x12345678); /* not a CPU-change record */
	w32(&b, 0);
	w32(&b, 0);
	read_all(&r, &b, &ro);
	is_int(r.rc, -RL_E_FORMAT, "not xentrace: format error");
	is_int(r.err.off, 0, "located at offset 0");
	rl_trace_free(r.t);

	b.n = 0;
	window(&b, 0, 1000); /* claims 1000 bytes */
	rec(&b, 0x00021101, 100, 1, w);
	w32(&b, 0x80021101 | 1u << 28); /* a record cut after its header */
	read_all(&r, &b, &ro);
	is_int(r.rc, 0, "window past the end: not fatal");
	is_int(r.n, 1, "the complete record is kept");
	ok(r.t->warn_count[RL_W_TRUNCATED] >= 1, "truncation counted (damage)");
	rl_trace_free(r.t);

	b.n = 0;
	window(&b, 0, 32);
	rec(&b, 0x00021101, 0, 1, w); /* Arm <= 4.11: TSC always 0 */
	rec(&b, 0x00021011, 0, 1, w);
	read_all(&r, &b, &ro);
	is_int(r.n, 2, "all-zero TSC file read");
	is_int(r.t->warn_count[RL_W_GARBAGE], 1, "equal timestamps reported as damage");
	rl_trace_free(r.t);
}

static void test_probe(void)
{
	struct buf b = {.n = 0};
	struct rl_input in;
	uint32_t w[1] = {D2V1};

	window(&b, 3, 16);
	rec(&b, 0x00021101, 100, 1, w);
	memset(&in, 0, sizeof(in));
	in.buf = b.b;
	in.len = b.n;
	ok(rl_reader_xentrace.probe(&in) >= 80, "probe recognises a window chain");
	ok(rl_reader_detect(&in) == &rl_reader_xentrace, "detection picks xentrace");
	b.b[0] ^= 1;
	is_int(rl_reader_xentrace.probe(&in), 0, "probe rejects a bad header");
}

/* Run the xen analysis over a fixture; its CSV sections go to @out (malloc'ed). */
static void analyse(const struct buf *b, const struct rl_read_opts *ro, unsigned sec, char **out)
{
	struct rl_input in;
	struct rl_trace *t = rl_trace_new();
	struct rl_merge *m;
	struct rl_xen *x = NULL;
	struct rl_sink *sink;
	struct rl_err err;
	size_t len = 0;
	FILE *f = open_memstream(out, &len);

	memset(&in, 0, sizeof(in));
	in.path = "fixture";
	in.buf = b->b;
	in.len = b->n;
	in.src = (uint16_t)rl_trace_add_source(t, "fixture", "xentrace", b->n);
	rl_err_init(&err);
	m = rl_open_merge(&in, 1, &rl_reader_xentrace, t, ro, &err);
	if (m)
		x = rl_xen_new(t, &err);
	if (x && (sec & RL_XEN_OVERHEADS)) {
		struct rl_xen_ovh_opts xo = {.count_only = 1};

		if (rl_xen_ovh(x, &xo, &err) < 0) {
			rl_xen_free(x);
			x = NULL;
		}
	}
	if (x) {
		sink = rl_xen_sink(x);
		if (!rl_run(m, &sink, 1, NULL, NULL, &err)) {
			int64_t off = 0;

			rl_xen_write(x, f, sec, RL_OUT_CSV, &err);
			if (sec == RL_XEN_RTDS)
				is_int(rl_xen_rt_offset(x, &off) ? off : 1, -9000,
				       "Xen -> trace offset: replenish 11000 at deadline 20000");
		}
	}
	fclose(f);
	rl_xen_free(x);
	rl_merge_free(m);
	rl_trace_free(t);
}

#define XEN_OVH_HDR                                                                                \
	"event,group,unit,samples,min,max,mean,median,stddev,var,p90,p95,p99,p99.9,lost,"          \
	"incomplete,negative\n"

static void test_analysis(void)
{
	struct buf b = {.n = 0};
	struct rl_read_opts ro = {.cpu_hz = 1000000000, .xen_version = 418};
	uint32_t w[7];
	char *out = NULL;
	size_t start;

	window(&b, 0, 0); /* size patched below */
	start = b.n;
	w[0] = D2V1;  /* BUDGET_REPLENISH (4.10+): dv */
	w[1] = 0;     /* priority_level */
	w[2] = 20000; /* deadline lo (Xen ns) */
	w[3] = 0;     /* deadline hi */
	w[4] = 500;   /* budget lo */
	w[5] = 0;     /* budget hi */
	rec(&b, 0x00022804, 1000, 6, w);
	w[0] = 0; /* TICKLE cpu 0 */
	rec(&b, 0x00022801, 1010, 1, w);
	w[0] = 0 | 1u << 24 | 1u << 28; /* SCHEDULE: cpu 0, tickled, idle */
	rec(&b, 0x00022806, 1100, 1, w);
	w[0] = 32767; /* SWITCH_INFPREV (4.8+): prev dom, vcpu, runtime */
	w[1] = 0;
	w[2] = 100;
	rec(&b, 0x0002800e, 1150, 3, w);
	w[0] = IDLE0; /* idle running -> runnable */
	rec(&b, 0x00021011, 1200, 1, w);
	w[0] = D2V1; /* d2v1 runnable -> running */
	rec(&b, 0x00021101, 1250, 1, w);
	w[0] = D2V1; /* BUDGET_BURN: dv, budget lo, hi, delta, prio, extratime */
	w[1] = 0;
	w[2] = 0;
	w[3] = 450;
	w[4] = 0;
	w[5] = 0;
	rec(&b, 0x00022803, 1700, 6, w);
	w[0] = D2V1; /* d2v1 running -> blocked */
	rec(&b, 0x00021021, 1800, 1, w);
	w[0] = IDLE0; /* idle runnable -> running: waited 610 */
	rec(&b, 0x00021101, 1810, 1, w);
	w[0] = D2V1; /* next period: deadline 30000 */
	w[1] = 0;
	w[2] = 30000;
	w[3] = 0;
	w[4] = 500;
	w[5] = 0;
	rec(&b, 0x00022804, 11000, 6, w);
	w[0] = 9; /* IRQ_HANDLED: irq, tsc_in lo, tsc_out lo */
	w[1] = 11020;
	w[2] = 11080;
	rec(&b, 0x00802008, 11100, 3, w);
	w[0] = 2; /* RT-Xen SCHED_LATENCY: prev d, v, next d, v, migrated, ns */
	w[1] = 1;
	w[2] = 32767;
	w[3] = 0;
	w[4] = 0;
	w[5] = 777;
	rec(&b, 0x00024001, 11200, 6, w);
	b.b[8] = (uint8_t)(b.n - start); /* patch the window's byte count */
	b.b[9] = (uint8_t)((b.n - start) >> 8);

	analyse(&b, &ro, RL_XEN_OVERHEADS, &out);
	/* the overhead report's CSV: event,group,unit,samples,min,max,... (us) */
	ok(out && strstr(out, "\nsched,all,us,1,0.05000,0.05000,"),
	   "sched: SCHEDULE -> INFPREV = 50 ns");
	ok(out && strstr(out, "\nswitch,all,us,1,0.10000,0.10000,"),
	   "switch: INFPREV -> switch-in = 100 ns");
	ok(out && strstr(out, "\ntickle,all,us,1,0.09000,0.09000,"),
	   "tickle: TICKLE -> tickled SCHEDULE = 90 ns");
	ok(out && strstr(out, "\nirq,all,us,1,0.06000,0.06000,"),
	   "irq: handler span rebuilt from low TSC words");
	ok(out && strstr(out, "\nrtxen_sched_latency,all,us,1,0.77700,0.77700,"),
	   "RT-Xen probe carried as recorded");
	ok(out && !strncmp(out, XEN_OVH_HDR, strlen(XEN_OVH_HDR)),
	   "the overhead report's columns, with the Xen discard reasons");
	if (out && !strstr(out, "\nsched,all,us,1,"))
		diag("%s", out);
	free(out);
	analyse(&b, &ro, RL_XEN_RTDS, &out);
	ok(out && strstr(out,
			 "\n2,1,1,1000,1000,11000,20000,10000,500,450,0,1,1700,700,0,1,complete\n"),
	   "RTDS row: release and deadline on the trace timeline, depleted at 1700");
	if (out && !strstr(out, "complete\n"))
		diag("%s", out);
	free(out);
	analyse(&b, &ro, RL_XEN_VCPUS, &out);
	if (out &&
	    !strstr(out, "\n32767,0,610,0,610,0,610,0,0,0,1,1,0,1,0,1,610,610,610,610,0,0\n"))
		diag("%s", out);
	ok(out && strstr(out, "\n32767,0,610,0,610,0,610,0,0,0,1,1,0,1,0,1,610,610,610,610,0,0\n"),
	   "idle VCPU: preempted, runnable 610 ns, dispatched (wait 610)");
	ok(out && strstr(out, "\n2,1,560,550,0,0,0,10,0,0,1,0,0,0,1,1,0,0,0,0,0,0\n"),
	   "d2v1: running 550 ns, blocked 10 ns to the end, one dispatch");
	free(out);
}

static int add_job(void *arg, const struct rl_job *job, struct rl_err *err)
{
	return rl_jobs_add(arg, job, err);
}

/* Run the xen analysis and feed its RTDS periods to a job analysis (CSV and summary). */
static void rtds_jobs(const struct buf *b, const struct rl_read_opts *ro, char **csv, char **sum)
{
	struct rl_input in;
	struct rl_trace *t = rl_trace_new();
	struct rl_merge *m;
	struct rl_xen *x = NULL;
	struct rl_jobs *j = NULL;
	struct rl_job_out jo = {.fmt = RL_OUT_CSV, .want = RL_JOBS_CSV | RL_JOBS_SUMMARY};
	struct rl_sink *sink;
	struct rl_err err;
	size_t l1 = 0, l2 = 0;
	FILE *f = open_memstream(csv, &l1), *g = open_memstream(sum, &l2);

	memset(&in, 0, sizeof(in));
	in.path = "fixture";
	in.buf = b->b;
	in.len = b->n;
	in.src = (uint16_t)rl_trace_add_source(t, "fixture", "xentrace", b->n);
	rl_err_init(&err);
	m = rl_open_merge(&in, 1, &rl_reader_xentrace, t, ro, &err);
	if (m)
		x = rl_xen_new(t, &err);
	if (x)
		j = rl_jobs_new(t, &jo, f, &err);
	if (j) {
		sink = rl_xen_sink(x);
		ok(!rl_run(m, &sink, 1, NULL, NULL, &err) &&
			   !rl_xen_each_job(x, add_job, j, &err) &&
			   !rl_jobs_sink(j)->finish(rl_jobs_sink(j), &err) &&
			   !rl_jobs_write_summary(j, g, &err),
		   "RTDS periods go through the job analysis");
	}
	fclose(f);
	fclose(g);
	rl_jobs_free(j);
	rl_xen_free(x);
	rl_merge_free(m);
	rl_trace_free(t);
}

/*
 * One VCPU, four RTDS periods of 10000 ns with budget 500: the first
 * depletes (after a preemption and a migration), the second blocks with
 * budget left, the third is still runnable with budget left when the fourth
 * is replenished exactly at its deadline (a server miss with lateness 0),
 * the fourth is cut by the end of the trace.
 */
static void test_rtds_jobs(void)
{
	struct buf b = {.n = 0};
	struct rl_read_opts ro = {.cpu_hz = 1000000000, .xen_version = 418};
	uint32_t w[7] = {0};
	char *csv = NULL, *sum = NULL;
	size_t start;

	window(&b, 0, 0);
	start = b.n;
	w[0] = D2V1; /* BUDGET_REPLENISH: dv, prio, deadline lo/hi, budget lo/hi */
	w[2] = 10000;
	w[4] = 500;
	rec(&b, 0x00022804, 1000, 6, w);
	rec(&b, 0x00021101, 1100, 1, w); /* runnable -> running on PCPU 0 */
	rec(&b, 0x00021011, 1300, 1, w); /* running -> runnable: preempted */
	b.b[8] = (uint8_t)(b.n - start);
	b.b[9] = (uint8_t)((b.n - start) >> 8);

	window(&b, 1, 0);
	start = b.n;
	rec(&b, 0x00021101, 1400, 1, w); /* runnable -> running on PCPU 1: migrated */
	w[1] = 0;			 /* BUDGET_BURN: dv, remaining lo/hi, delta, prio, extra */
	w[2] = 0;
	w[3] = 500;
	rec(&b, 0x00022803, 1700, 6, w); /* depleted */
	rec(&b, 0x00021011, 1710, 1, w); /* parked: no preemption */
	b.b[start - 4] = (uint8_t)(b.n - start);
	b.b[start - 3] = (uint8_t)((b.n - start) >> 8);

	window(&b, 0, 0);
	start = b.n;
	memset(w, 0, sizeof(w));
	w[0] = D2V1;
	w[2] = 20000;
	w[4] = 500;
	rec(&b, 0x00022804, 10005, 6, w); /* period 2 */
	rec(&b, 0x00021101, 10100, 1, w);
	w[1] = 300; /* remaining 300 after 200 */
	w[2] = 0;
	w[3] = 200;
	w[4] = 0;
	rec(&b, 0x00022803, 10300, 6, w);
	rec(&b, 0x00021021, 10350, 1, w); /* running -> blocked: done for this period */
	memset(w, 0, sizeof(w));
	w[0] = D2V1;
	w[2] = 30000;
	w[4] = 500;
	rec(&b, 0x00022804, 20005, 6, w); /* period 3, still blocked */
	rec(&b, 0x00021201, 20100, 1, w); /* blocked -> runnable, never dispatched */
	w[2] = 40000;
	rec(&b, 0x00022804, 30000, 6, w); /* period 4, at period 3's deadline */
	rec(&b, 0x00021101, 31000, 1, w); /* runs until the trace ends */
	b.b[start - 4] = (uint8_t)(b.n - start);
	b.b[start - 3] = (uint8_t)((b.n - start) >> 8);

	rtds_jobs(&b, &ro, &csv, &sum);
	ok(csv && strstr(csv, "\n1,d2v1,1,0,10000,1700,1700,-8300,0,0,500,1,1,0,0,complete,\n"),
	   "period 1 completes when the budget runs out; one preemption, one migration");
	ok(csv && strstr(csv,
			 "\n1,d2v1,2,10000,20000,10350,350,-9650,0,0,200,0,0,1,9655,complete,\n"),
	   "period 2 completes when the VCPU blocks with budget left; blocked to its end");
	ok(csv && strstr(csv, "\n1,d2v1,3,20000,30000,30000,10000,0,0,1,0,0,0,0,95,complete,server-"
			      "miss\n"),
	   "period 3: runnable with budget at its end is a miss, though its lateness is 0");
	ok(csv && strstr(csv, "\n1,d2v1,4,30000,40000,,,,,,0,0,0,0,0,incomplete,\n"),
	   "period 4 is cut by the end of the trace");
	if (csv && !strstr(csv, "server-miss\n"))
		diag("%s", csv);
	ok(sum && strstr(sum, "\n1,d2v1,500,10000,4,3,1,1,0.3333,"),
	   "summary: budget and period as task parameters, 4 periods, 3 complete, 1 miss");
	if (sum && !strstr(sum, "\n1,d2v1,500,10000,4,3,1,1,"))
		diag("%s", sum);
	free(csv);
	free(sum);
}

/* Does CSV @out have a row starting with @head and ending with @tail? */
static int row_ends(const char *out, const char *head, const char *tail)
{
	const char *p = out, *e;
	size_t hl = strlen(head), tl = strlen(tail);

	while (p && *p) {
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		if ((size_t)(e - p) >= hl + tl && !strncmp(p, head, hl) &&
		    !strncmp(e - tl, tail, tl))
			return 1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

/* Spans that give no sample are counted by reason, once each. */
static void test_overhead_discards(void)
{
	struct buf b = {.n = 0};
	struct rl_read_opts ro = {.cpu_hz = 1000000000, .xen_version = 418};
	uint32_t w[7];
	char *out = NULL;
	size_t start;

	window(&b, 0, 0); /* size patched below */
	start = b.n;
	w[0] = 0; /* SCHEDULE, not tickled */
	rec(&b, 0x00022806, 100, 1, w);
	w[0] = 3; /* 3 records lost inside the open sched span */
	w[1] = 2 | 1u << 16;
	w[2] = 150;
	w[3] = 0;
	rec(&b, 0x0001f001, 200, 4, w);
	w[0] = 0; /* SCHEDULE ... */
	rec(&b, 0x00022806, 300, 1, w);
	w[0] = 32767; /* ... -> INFPREV: a sched sample of 50 ns */
	w[1] = 0;
	w[2] = 100;
	rec(&b, 0x0002800e, 350, 3, w);
	rec(&b, 0x0002800e, 400, 3, w); /* INFPREV again: the first switch never ended */
	w[0] = 0;			/* SCHEDULE: the second switch never ended either */
	rec(&b, 0x00022806, 500, 1, w);
	w[0] = D2V1; /* RT-Xen probe with a negative value: left out */
	w[1] = 0;
	w[2] = 0xfffffff0u;
	w[3] = 0xffffffffu;
	w[4] = 0;
	w[5] = 0;
	rec(&b, 0x0002280d, 600, 3, w);
	b.b[8] = (uint8_t)(b.n - start);
	b.b[9] = (uint8_t)((b.n - start) >> 8);
	analyse(&b, &ro, RL_XEN_OVERHEADS, &out);
	/* the trace ends inside the last SCHEDULE: incomplete */
	ok(row_ends(out, "sched,all,us,1,0.05000,0.05000,", ",1,1,0"),
	   "sched: one sample, one span cut by lost records, one left open at the end");
	ok(row_ends(out, "switch,all,us,0,", ",0,2,0"),
	   "switch: two INFPREV without a switch-in are incomplete");
	ok(row_ends(out, "mc_sched_time,all,us,0,", ",0,0,1"),
	   "a negative probe value is left out as negative");
	if (!row_ends(out, "switch,all,us,0,", ",0,2,0"))
		diag("%s", out ? out : "(no output)");
	free(out);
}

int main(void)
{
	test_analysis();
	test_overhead_discards();
	test_rtds_jobs();
	test_merge_and_inherit();
	test_lost_and_unknown();
	test_versions();
	test_bad();
	test_probe();
	done_testing();
	return exit_status();
}
