/* tests/unit-sched-trace.c - the sched_trace reader on inline fixtures. */
#include <stdlib.h>
#include <string.h>

#include "../readers/readers.h"
#include "tap.h"

/* One record of every kind the 2016+ kernel writes, little-endian, cpu 1. */
static const uint8_t fixture[] = {
	/* NAME: type 1, cpu 1, pid 0x1234 (4660), job 0, comm "rtspin" + stale bytes */
	0x01,
	0x01,
	0x34,
	0x12,
	0x00,
	0x00,
	0x00,
	0x00,
	'r',
	't',
	's',
	'p',
	'i',
	'n',
	0x00,
	0xaa,
	0xbb,
	0xcc,
	0,
	0,
	0,
	0,
	0,
	0,
	/* PARAM: wcet 2000000 ns @8, period 10000000 ns @12, phase 0 @16, partition 1 @20, class 0
	   @21 */
	0x02,
	0x01,
	0x34,
	0x12,
	0x00,
	0x00,
	0x00,
	0x00,
	0x80,
	0x84,
	0x1e,
	0x00,
	0x80,
	0x96,
	0x98,
	0x00,
	0,
	0,
	0,
	0,
	0x01,
	0x00,
	0xde,
	0xad,
	/* SWITCH_TO: job 5, when 1000 @8, exec so far 7 (u32) @16, stale bytes 20..23 */
	0x05,
	0x01,
	0x34,
	0x12,
	0x05,
	0x00,
	0x00,
	0x00,
	0xe8,
	0x03,
	0,
	0,
	0,
	0,
	0,
	0,
	0x07,
	0,
	0,
	0,
	0x11,
	0x22,
	0x33,
	0x44,
	/* COMPLETION: job 5, when 3000, w1 = exec 1500 << 1 | forced 1 = 3001 */
	0x07,
	0x01,
	0x34,
	0x12,
	0x05,
	0x00,
	0x00,
	0x00,
	0xb8,
	0x0b,
	0,
	0,
	0,
	0,
	0,
	0,
	0xb9,
	0x0b,
	0,
	0,
	0,
	0,
	0,
	0,
	/* RELEASE of job 6, written at completion: release 5000, deadline 15000 (future) */
	0x03,
	0x01,
	0x34,
	0x12,
	0x06,
	0x00,
	0x00,
	0x00,
	0x88,
	0x13,
	0,
	0,
	0,
	0,
	0,
	0,
	0x98,
	0x3a,
	0,
	0,
	0,
	0,
	0,
	0,
	/* SWITCH_AWAY right after the completion already carries job 6: when 3100 */
	0x06,
	0x01,
	0x34,
	0x12,
	0x06,
	0x00,
	0x00,
	0x00,
	0x1c,
	0x0c,
	0,
	0,
	0,
	0,
	0,
	0,
	0x55,
	0x55,
	0,
	0,
	0,
	0,
	0,
	0,
	/* ACTION (2016 numbering, type 10): pid 4660, when 4000, action 9 */
	0x0a,
	0x01,
	0x34,
	0x12,
	0x06,
	0x00,
	0x00,
	0x00,
	0xa0,
	0x0f,
	0,
	0,
	0,
	0,
	0,
	0,
	0x09,
	0x77,
	0x77,
	0,
	0,
	0,
	0,
	0,
	/* SYS_RELEASE (type 11): pid 0, job 0, when 2000, release 5000 */
	0x0b,
	0x01,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0xd0,
	0x07,
	0,
	0,
	0,
	0,
	0,
	0,
	0x88,
	0x13,
	0,
	0,
	0,
	0,
	0,
	0,
};

static void put(uint8_t *r, int type, int cpu, int pid, uint32_t job, uint64_t w0, uint64_t w1)
{
	int i;

	memset(r, 0, 24);
	r[0] = (uint8_t)type;
	r[1] = (uint8_t)cpu;
	r[2] = (uint8_t)pid;
	r[3] = (uint8_t)(pid >> 8);
	for (i = 0; i < 4; i++)
		r[4 + i] = (uint8_t)(job >> (8 * i));
	for (i = 0; i < 8; i++) {
		r[8 + i] = (uint8_t)(w0 >> (8 * i));
		r[16 + i] = (uint8_t)(w1 >> (8 * i));
	}
}

/* Read a buffer; fills ev[] (up to max), returns the count or a negative code. */
static int read_all(struct rl_trace *t, const uint8_t *buf, size_t len, int numbering,
		    struct rl_event *ev, int max, struct rl_err *err)
{
	struct rl_input in;
	struct rl_read_opts ro = {.st_format = numbering};
	struct rl_merge *m;
	int n = 0, r;

	memset(&in, 0, sizeof(in));
	in.path = "fixture.bin";
	in.buf = buf;
	in.len = len;
	rl_err_init(err);
	m = rl_open_merge(&in, 1, &rl_reader_schedtrace, t, &ro, err);
	if (!m)
		return err->code;
	while (n < max && (r = rl_merge_next(m, &ev[n], err)) == 1)
		n++;
	rl_merge_free(m);
	return n;
}

/*
 * Stream @n buffers (file set "big-N.bin") to the end: the number of
 * events, of events out of time order and of late-flagged ones, the offset
 * of the first late one. Return: 0 or the merge's error.
 */
struct big_run {
	uint64_t n, unordered, late, late_off;
};

static int stream_all(struct rl_trace *t, uint8_t **bufs, const size_t *lens, size_t n,
		      struct big_run *o, struct rl_err *err)
{
	static const char *const paths[] = {"big-0.bin", "big-1.bin", "big-2.bin"};
	struct rl_input in[3];
	struct rl_merge *m;
	struct rl_event ev;
	int64_t last = INT64_MIN;
	size_t i;
	int r;

	memset(in, 0, sizeof(in));
	memset(o, 0, sizeof(*o));
	for (i = 0; i < n; i++) {
		in[i].path = paths[i];
		in[i].buf = bufs[i];
		in[i].len = lens[i];
	}
	rl_err_init(err);
	m = rl_open_merge(in, n, &rl_reader_schedtrace, t, NULL, err);
	if (!m)
		return err->code;
	while ((r = rl_merge_next(m, &ev, err)) == 1) {
		o->n++;
		if (ev.ts < last)
			o->unordered++;
		else
			last = ev.ts;
		if ((ev.flags & RL_EVF_LATE) && !o->late++)
			o->late_off = ev.src_off;
	}
	rl_merge_free(m);
	return r;
}

/* @nrec records of cpu @cpu: a SYS_RELEASE at 0, then SWITCH_TO/AWAY 10 ns apart. */
static uint8_t *big_file(uint32_t nrec, int cpu, uint64_t rel)
{
	uint8_t *b = malloc((size_t)nrec * 24);
	uint32_t i;

	if (!b)
		return NULL;
	put(b, 11, cpu, 0, 0, 1000, rel);
	for (i = 1; i < nrec; i++)
		put(b + 24 * (size_t)i, 5 + (i & 1), cpu, 9, i / 2, 1000 + 10 * (uint64_t)i, 0);
	return b;
}

int main(void)
{
	struct rl_trace *t = rl_trace_new();
	struct rl_event ev[64];
	struct rl_err err;
	struct rl_input in;
	int n, i;
	uint32_t task;

	memset(&in, 0, sizeof(in));
	in.buf = fixture;
	in.len = sizeof(fixture);
	ok(rl_reader_schedtrace.probe(&in) > 0, "probe recognises the fixture");
	in.buf = (const uint8_t *)"this is a text file, not a trace at all......";
	in.len = 48;
	is_int(rl_reader_schedtrace.probe(&in), 0, "probe rejects text");

	n = read_all(t, fixture, sizeof(fixture), 0, ev, 64, &err);
	is_int(n, 8, "8 events from 8 records");
	is_str(t->format, "sched_trace-2016", "numbering detected as 2016 (ACTION with a pid)");
	task = rl_trace_task_find(t, 0x1234);
	ok(task != RL_NO_TASK, "task 4660 exists");
	is_str(rl_trace_task_name(t, task), "rtspin",
	       "name stops at the NUL (stale bytes ignored)");
	is_int(t->tasks[task].wcet, 2000000, "wcet");
	is_int(t->tasks[task].period, 10000000, "period");
	is_int(t->tasks[task].partition, 1, "partition");
	/* order: NAME, PARAM at 0; SWITCH_TO 1000; SYS_RELEASE 2000; COMPLETION 3000;
	 * SWITCH_AWAY 3100; ACTION 4000; RELEASE 5000 (placed at its release time) */
	is_int(ev[0].type, RL_EV_TASK_NAME, "NAME first (time 0)");
	is_int(ev[1].type, RL_EV_TASK_PARAM, "PARAM second");
	is_int(ev[2].type, RL_EV_SWITCH_IN, "SWITCH_TO at 1000");
	is_int(ev[2].arg, 7, "SWITCH_TO exec is the u32 at 16 (stale 20..23 ignored)");
	is_int(ev[3].type, RL_EV_SYS_RELEASE, "SYS_RELEASE at 2000");
	is_int(ev[3].arg, 5000, "SYS_RELEASE's release instant");
	is_int(ev[3].task, RL_NO_TASK, "SYS_RELEASE belongs to no task");
	is_int(ev[4].type, RL_EV_COMPLETION, "COMPLETION at 3000");
	is_int(ev[4].arg, 1500, "completion exec = w1 >> 1");
	ok(ev[4].flags & RL_EVF_FORCED, "completion forced bit");
	is_int(ev[5].type, RL_EV_SWITCH_OUT, "SWITCH_AWAY at 3100");
	is_int(ev[5].job, 6, "SWITCH_AWAY carries job 6");
	is_int(ev[6].type, RL_EV_ACTION, "ACTION at 4000");
	is_int(ev[6].arg, 9, "action code");
	is_int(ev[7].type, RL_EV_RELEASE, "future RELEASE comes out at its release time");
	is_int(ev[7].ts, 5000, "release time");
	is_int(ev[7].arg, 15000, "deadline");
	is_int(ev[7].src_off, 4 * 24, "src_off points at the record");
	is_str(rl_strtab_get(t->strs, ev[7].name), "RELEASE", "native record name");
	is_int(ev[2].cpu, 1, "cpu from the header");
	rl_trace_free(t);

	/* 2010 numbering: type 10 is SYS_RELEASE; completion exec is stale */
	{
		uint8_t b[24 * 3];

		t = rl_trace_new();
		put(b, 10, 0, 0, 0, 1000, 5000);	    /* SYS_RELEASE (2010) */
		put(b + 24, 7, 0, 77, 3, 2000, 0xffffff01); /* COMPLETION: stale bits */
		put(b + 48, 3, 0, 77, 3, 500, 1500);	    /* RELEASE */
		n = read_all(t, b, sizeof(b), 0, ev, 64, &err);
		is_int(n, 3, "2010: 3 events");
		is_str(t->format, "sched_trace-2010", "2010 numbering detected");
		is_int(ev[0].type, RL_EV_RELEASE, "2010: past-dated RELEASE sorted first");
		is_int(ev[1].type, RL_EV_SYS_RELEASE, "2010: type 10 is SYS_RELEASE");
		is_int(ev[2].arg, -1, "2010: completion exec unknown");
		rl_trace_free(t);
	}

	/* a backward record and a past-dated release are sorted exactly */
	{
		uint8_t b[24 * 6];
		int64_t want[] = {100, 150, 200, 250, 300, 400};

		t = rl_trace_new();
		put(b, 5, 2, 9, 1, 100, 0);
		put(b + 24, 6, 2, 9, 1, 300, 0);
		put(b + 48, 3, 2, 9, 2, 150, 400); /* past-dated release */
		put(b + 72, 8, 2, 9, 2, 250, 0);   /* backward timed record */
		put(b + 96, 3, 2, 9, 3, 400, 500); /* future release */
		put(b + 120, 9, 2, 9, 2, 200, 0);  /* backward again */
		n = read_all(t, b, sizeof(b), 2016, ev, 64, &err);
		is_int(n, 6, "order: 6 events");
		for (i = 0; i < 6 && i < n; i++)
			is_int(ev[i].ts, want[i], "order: event %d at %lld", i, (long long)want[i]);
		is_int(t->warn_count[RL_W_UNORDERED], 0, "order: nothing comes out late");
		rl_trace_free(t);
	}

	/* damaged input */
	{
		uint8_t b[24 * 20 + 5];

		t = rl_trace_new();
		for (i = 0; i < 20; i++)
			put(b + 24 * i, 5 + (i & 1), 0, 9, 1, 1000 + 10 * (uint64_t)i, 0);
		memset(b + 480, 0xee, 5);
		b[24 * 7] = 0xc8;  /* record 7: type 200 */
		b[24 * 9 + 1] = 3; /* record 9: cpu 3 in the file of cpu 0 */
		n = read_all(t, b, sizeof(b), 0, ev, 64, &err);
		is_int(n, 18, "damaged: 18 of 20 records read");
		is_int(t->warn_count[RL_W_TRUNCATED], 1, "damaged: trailing bytes warned");
		is_int(t->warns[RL_W_TRUNCATED][0].off, 480, "damaged: at offset 0x1e0");
		is_int(t->warn_count[RL_W_GARBAGE], 2, "damaged: two garbage records warned");
		is_int(t->warns[RL_W_GARBAGE][0].off, 24 * 7, "damaged: first at record 7");
		rl_trace_free(t);

		t = rl_trace_new();
		for (i = 0; i < 6; i++)
			b[24 * i] = 0xc8;
		n = read_all(t, b, 24 * 20, 0, ev, 64, &err);
		is_int(n, -RL_E_FORMAT, "mostly garbage: format error");
		ok(strstr(err.msg, "not a sched_trace file") != NULL, "mostly garbage: says why");
		rl_trace_free(t);
	}
	/*
	 * Files past what the open looks at (2 x 65536 records at each end):
	 * the one pass keeps them in order within its window, yields a
	 * record that comes too late at once (flagged by the merge, located),
	 * and makes the checks the open made on the ends again on the whole.
	 */
	{
		const uint32_t N = 140000;
		uint8_t *b[2] = {big_file(N, 0, 5000), big_file(N, 1, 5000)};
		size_t len[2] = {(size_t)N * 24, (size_t)N * 24};
		struct big_run o;

		t = rl_trace_new();
		is_int(stream_all(t, b, len, 2, &o, &err), 0, "big: two clean files read");
		is_int((int)o.n, 2 * (int)N, "big: every record yields an event");
		is_int((int)o.unordered, 0, "big: in time order");
		rl_trace_free(t);

		/* record 90000 dated 50 records back, record 120000 dated 100000 records back */
		put(b[0] + 24 * 90000, 8, 0, 9, 1, 1000 + 10 * (90000 - 50), 0);
		put(b[0] + 24 * 120000, 8, 0, 9, 1, 1000 + 10 * 20000, 0);
		t = rl_trace_new();
		is_int(stream_all(t, b, len, 2, &o, &err), 0, "big, backward records: read");
		is_int((int)o.n, 2 * (int)N, "big, backward records: every record yields an event");
		is_int((int)o.late, 1,
		       "big, backward records: only the one past the window is late");
		is_int((int)o.late_off, 24 * 120000, "big, backward records: it is located");
		is_int((int)t->warn_count[RL_W_UNORDERED], 1,
		       "big, backward records: counted once");
		rl_trace_free(t);
		put(b[0] + 24 * 90000, 8, 0, 9, 1, 1000 + 10 * 90000, 0);
		put(b[0] + 24 * 120000, 8, 0, 9, 1, 1000 + 10 * 120000, 0);

		/* a SYS_RELEASE with another release time in the middle of file 1 */
		put(b[1] + 24 * 70000, 11, 1, 0, 0, 1000 + 10 * 70000, 6000);
		t = rl_trace_new();
		is_int(stream_all(t, b, len, 2, &o, &err), -RL_E_MIXED,
		       "big, second release in the middle: refused once the frontier sees it");
		ok(strstr(err.msg, "two system releases") != NULL,
		   "big, second release in the middle: says why");
		rl_trace_free(t);
		put(b[1] + 24 * 70000, 6, 1, 9, 35000, 1000 + 10 * 70000, 0);

		/* garbage past the first records: warned with offsets, then the 10 % rule */
		for (i = 80000; i < 100000; i++)
			b[1][24 * (size_t)i] = 0xc8;
		t = rl_trace_new();
		is_int(stream_all(t, b, len, 2, &o, &err), -RL_E_FORMAT,
		       "big, 14 %% garbage in the middle: format error at the end");
		is_int((int)t->warn_count[RL_W_GARBAGE], 20000, "big, garbage: each record warned");
		is_int((int)t->warns[RL_W_GARBAGE][0].off, 24 * 80000, "big, garbage: located");
		rl_trace_free(t);
		free(b[0]);
		free(b[1]);
	}
	done_testing();
	return exit_status();
}
