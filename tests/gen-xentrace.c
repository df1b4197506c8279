/*
 * tests/gen-xentrace.c - a deterministic xentrace generator with ground truth.
 *
 *   gen-xentrace [-c CPUS] [-g GUESTS_PER_CPU] [-n SCHEDS | -m MBYTES] [-L EVERY]
 *                [-s SEED] [-t TRUTH] -o FILE
 *
 * Simulates an RTDS host in the Xen 4.18 record layouts (xen.md §2): every
 * PCPU runs its pinned guest VCPUs (domains 1.., vcpu = cpu) and its idle
 * VCPU (domain 32767). At each scheduling point the CPU writes RTDS SCHEDULE
 * and BUDGET_BURN, wakes some blocked guests (WAKE + blocked->runnable),
 * picks the next VCPU round robin (RUNQ_PICK), and writes SWITCH_INFPREV,
 * SWITCH_INFNEXT, SWITCH and the two runstate changes; every 10 ms each
 * guest gets a BUDGET_REPLENISH followed by a TICKLE (written without TSC,
 * as Xen <= 4.6 did, to exercise TSC inheritance). Records are buffered per
 * CPU and written as xentrace does: per poll period (100 ms) one CPU-change
 * window per CPU in CPU order, so windows overlap in time and need merging.
 * A wrap record pads some windows. With -L EVERY, every EVERY-th scheduling
 * point of CPU 1 is dropped and replaced by a LOST_RECORDS record.
 *
 * -X writes a cross-PCPU workload instead (gen_cross): one step at a time, a
 * guest VCPU homed on PCPU b is woken on PCPU a (WAKE + blocked->runnable on
 * a), a tickles b (RTDS TICKLE, with TSC), b schedules 1-3 us later (SCHEDULE
 * with the tickled bit), switches from its idle VCPU to the guest, which runs
 * 5-55 us and blocks. -K OFF0,OFF1,... shifts each PCPU's TSC: PCPU c writes
 * (true ns + OFFc) * 2 cycles (the skew rtlens skew estimates).
 *
 * -B CASE writes a small damaged file instead, for testdata/bad/xentrace:
 * window-past-eof, truncated-record, zero-tsc, bad-boundary, not-xentrace.
 *
 * The TSC runs at 2 GHz (pass --cpu-hz 2G to the reader). -t writes the
 * ground truth: per guest VCPU, its running time in ns (closed intervals),
 * dispatches, and the number of records and of lost records.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HZ_PER_NS 2 /* 2 GHz */
#define POLL_NS 100000000ull
#define PERIOD_NS 10000000ull
#define IDLE_DOM 32767u

struct vc {
	uint32_t dom, vcpu;
	int state; /* 0 running, 1 runnable, 2 blocked */
	uint64_t run_since, run_ns, dispatches, next_repl, deadline;
	int64_t budget;
};

struct cpu {
	uint8_t *buf;
	size_t len, cap;
	uint64_t now; /* ns */
	uint32_t cur; /* index into vcs; guests first, idle last */
	uint32_t rr;
	uint32_t nsched;
	struct vc *vcs;
	uint32_t nvc;
	int64_t off; /* -K: this PCPU's clock offset, ns */
};

static uint64_t rng_state = 88172645463325252ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint64_t nrec, nlost, ntickled;

static void put32(struct cpu *c, uint32_t v)
{
	if (c->len + 4 > c->cap) {
		c->cap = c->cap ? c->cap * 2 : 65536;
		c->buf = realloc(c->buf, c->cap);
		if (!c->buf) {
			perror("realloc");
			exit(1);
		}
	}
	c->buf[c->len++] = (uint8_t)v;
	c->buf[c->len++] = (uint8_t)(v >> 8);
	c->buf[c->len++] = (uint8_t)(v >> 16);
	c->buf[c->len++] = (uint8_t)(v >> 24);
}

/* One record at c->now (+ off ns), with or without TSC. */
static void rec(struct cpu *c, uint32_t id, int tsc, unsigned n, const uint32_t *w)
{
	unsigned i;
	uint64_t t = (uint64_t)((int64_t)c->now + c->off) * HZ_PER_NS;

	put32(c, id | (uint32_t)n << 28 | (tsc ? 0x80000000u : 0));
	if (tsc) {
		put32(c, (uint32_t)t);
		put32(c, (uint32_t)(t >> 32));
	}
	for (i = 0; i < n; i++)
		put32(c, w[i]);
	nrec++;
}

static uint32_t dv(const struct vc *v)
{
	return v->dom << 16 | v->vcpu;
}

static void sched_point(struct cpu *c, uint32_t cpu, int drop, int ending)
{
	struct vc *prev = &c->vcs[c->cur], *next;
	uint32_t w[7], i, nguest = c->nvc - 1;
	size_t mark = c->len;
	uint64_t mark_rec = nrec, first_tsc = c->now * HZ_PER_NS;
	int tickled = 0;

	/* replenishments due */
	for (i = 0; i < nguest; i++) {
		struct vc *v = &c->vcs[i];

		if (c->now >= v->next_repl) {
			v->deadline = v->next_repl + PERIOD_NS;
			v->next_repl = v->deadline;
			v->budget = 2500000;
			w[0] = dv(v);
			w[1] = 0;
			w[2] = (uint32_t)v->deadline;
			w[3] = (uint32_t)(v->deadline >> 32);
			w[4] = (uint32_t)v->budget;
			w[5] = 0;
			rec(c, 0x00022804, 1, 6, w);
			c->now += 50;
			w[0] = cpu;
			rec(c, 0x00022801, 0, 1, w); /* TICKLE without TSC */
			tickled = 1;
		}
	}
	/* SCHEDULE: cpu, tickled in bits 24-27, idle in bits 28-31 */
	w[0] = cpu | (prev->dom == IDLE_DOM ? 1u << 28 : 0) | (tickled ? 1u << 24 : 0);
	if (tickled && !drop)
		ntickled++;
	rec(c, 0x00022806, 1, 1, w);
	c->now += 50;
	if (prev->dom != IDLE_DOM) {
		uint64_t ran = c->now - prev->run_since;

		prev->budget -= (int64_t)ran;
		if (prev->budget < 0)
			prev->budget = 0;
		w[0] = dv(prev);
		w[1] = (uint32_t)prev->budget;
		w[2] = (uint32_t)((uint64_t)prev->budget >> 32);
		w[3] = (uint32_t)ran;
		w[4] = 0;
		w[5] = 0;
		rec(c, 0x00022803, 1, 6, w);
		c->now += 50;
	}
	/* wake some blocked guests */
	for (i = 0; i < nguest; i++) {
		struct vc *v = &c->vcs[i];

		if (v->state == 2 && !ending && rnd() % 2) {
			w[0] = v->dom;
			w[1] = v->vcpu;
			rec(c, 0x00028004, 1, 2, w);
			c->now += 40;
			w[0] = dv(v);
			rec(c, 0x00021211, 1, 1, w);
			c->now += 40;
			v->state = 1;
		}
	}
	/* pick: next runnable guest round robin, else idle */
	next = &c->vcs[nguest];
	for (i = 0; i < nguest; i++) {
		uint32_t k = (c->rr + i) % nguest;

		if (c->vcs[k].state == 1 && &c->vcs[k] != prev) {
			next = &c->vcs[k];
			c->rr = k + 1;
			break;
		}
	}
	if (next == prev) {
		c->now += 100;
		goto done;
	}
	if (next->dom != IDLE_DOM) {
		w[0] = dv(next);
		w[1] = (uint32_t)next->deadline;
		w[2] = (uint32_t)(next->deadline >> 32);
		w[3] = (uint32_t)next->budget;
		w[4] = (uint32_t)((uint64_t)next->budget >> 32);
		rec(c, 0x00022802, 1, 5, w);
		c->now += 50;
	}
	w[0] = prev->dom;
	w[1] = prev->vcpu;
	w[2] = (uint32_t)(c->now - prev->run_since);
	rec(c, 0x0002800e, 1, 3, w);
	c->now += 60;
	w[0] = next->dom;
	w[1] = next->vcpu;
	w[2] = 1000;
	w[3] = next->dom == IDLE_DOM ? UINT32_MAX : (uint32_t)next->budget;
	rec(c, 0x0002800f, 1, 4, w);
	c->now += 60;
	w[0] = prev->dom;
	w[1] = prev->vcpu;
	w[2] = next->dom;
	w[3] = next->vcpu;
	rec(c, 0x0002800a, 1, 4, w);
	c->now += 60;
	/* prev stops running */
	{
		int to = prev->dom == IDLE_DOM ? 1 : (rnd() % 3 && !ending ? 1 : 2);

		w[0] = dv(prev);
		rec(c, to == 1 ? 0x00021011 : 0x00021021, 1, 1, w);
		if (!drop)
			prev->run_ns += c->now - prev->run_since;
		prev->state = to;
		c->now += 60;
	}
	w[0] = dv(next);
	rec(c, 0x00021101, 1, 1, w);
	next->state = 0;
	next->run_since = c->now;
	if (!drop)
		next->dispatches++;
	c->cur = (uint32_t)(next - c->vcs);
done:
	if (drop) {
		uint64_t dropped = nrec - mark_rec;

		c->len = mark;
		nrec = mark_rec;
		w[0] = (uint32_t)dropped;
		w[1] = c->vcs[c->cur].dom | c->vcs[c->cur].vcpu << 16;
		w[2] = (uint32_t)first_tsc;
		w[3] = (uint32_t)(first_tsc >> 32);
		c->now += 10;
		rec(c, 0x0001f001, 1, 4, w);
		nlost += dropped;
	}
	c->now += 20000 + rnd() % 1000000; /* next scheduling point in 20 us .. 1 ms */
}

/* ------------------------------------------------ -X: cross-PCPU workload */

/* PCPU @c switches from @prev to @next (both on it) at c->now, @to: prev's new runstate. */
static void cross_switch(struct cpu *c, struct vc *prev, struct vc *next, int to)
{
	uint32_t w[4];

	w[0] = prev->dom;
	w[1] = prev->vcpu;
	w[2] = (uint32_t)(c->now - prev->run_since);
	rec(c, 0x0002800e, 1, 3, w);
	c->now += 60;
	w[0] = next->dom;
	w[1] = next->vcpu;
	w[2] = 1000;
	w[3] = next->dom == IDLE_DOM ? UINT32_MAX : 2500000;
	rec(c, 0x0002800f, 1, 4, w);
	c->now += 60;
	w[0] = prev->dom;
	w[1] = prev->vcpu;
	w[2] = next->dom;
	w[3] = next->vcpu;
	rec(c, 0x0002800a, 1, 4, w);
	c->now += 60;
	w[0] = dv(prev);
	rec(c, to == 1 ? 0x00021011 : 0x00021021, 1, 1, w);
	prev->run_ns += c->now - prev->run_since;
	prev->state = to;
	c->now += 60;
	w[0] = dv(next);
	rec(c, 0x00021101, 1, 1, w);
	next->state = 0;
	next->run_since = c->now;
	next->dispatches++;
	c->cur = (uint32_t)(next - c->vcs);
}

/* SCHEDULE on @c (its cpu number @cpu), tickled or not */
static void cross_schedule(struct cpu *c, uint32_t cpu, int tickled)
{
	uint32_t w[1];

	w[0] = cpu | (c->vcs[c->cur].dom == IDLE_DOM ? 1u << 28 : 0) | (tickled ? 1u << 24 : 0);
	rec(c, 0x00022806, 1, 1, w);
	c->now += 50;
}

static void gen_cross(struct cpu *cpus, uint32_t ncpu, uint32_t nguest, uint64_t steps)
{
	uint64_t t = 1000000000ull, k;
	uint32_t i, w[2];

	for (i = 0; i < ncpu; i++) /* start: every guest blocked, every PCPU idle */
		for (k = 0; k + 1 < cpus[i].nvc; k++)
			cpus[i].vcs[k].state = 2;
	for (k = 0; k < steps; k++) {
		uint32_t a = rnd() % ncpu, b = (a + 1 + rnd() % (ncpu - 1)) % ncpu;
		struct cpu *ca = &cpus[a], *cb = &cpus[b];
		struct vc *v = &cb->vcs[rnd() % nguest], *idle = &cb->vcs[nguest];

		t += 30000 + rnd() % 70000;
		ca->now = t; /* a wakes v and tickles b */
		w[0] = v->dom;
		w[1] = v->vcpu;
		rec(ca, 0x00028004, 1, 2, w);
		ca->now += 40;
		w[0] = dv(v);
		rec(ca, 0x00021211, 1, 1, w);
		v->state = 1;
		ca->now += 200 + rnd() % 300;
		w[0] = b;
		rec(ca, 0x00022801, 1, 1, w);
		ntickled++;
		cb->now = ca->now + 1000 + rnd() % 2000; /* b schedules: idle -> v */
		cross_schedule(cb, b, 1);
		cross_switch(cb, idle, v, 1);
		cb->now += 5000 + rnd() % 50000; /* v runs, then blocks: v -> idle */
		cross_schedule(cb, b, 0);
		cross_switch(cb, v, idle, 2);
		t = cb->now;
	}
}

/* -K OFF0,OFF1,...: per-PCPU clock offsets (ns, |OFF| <= 100 ms) */
static int cross_offsets(const char *s, struct cpu *cpus, uint32_t ncpu)
{
	uint32_t i = 0;
	char *end;

	for (;;) {
		long long v = strtoll(s, &end, 0);

		if (end == s || v < -100000000ll || v > 100000000ll || i >= ncpu)
			return -1;
		cpus[i++].off = v;
		if (*end != ',')
			break;
		s = end + 1;
	}
	return *end ? -1 : 0;
}

static void write_all(FILE *f, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, f) != n) {
		perror("write");
		exit(1);
	}
}

static void flush_cpu(FILE *f, struct cpu *c, uint32_t cpu, int pad)
{
	uint32_t hdr[3];
	uint8_t b[12];
	unsigned i, k;

	if (pad) { /* a wrap record of 2 junk words, as Xen pads a ring's tail */
		put32(c, 0x0001f002u | 2u << 28);
		put32(c, 0xdeadbeef);
		put32(c, 0xdeadbeef);
	}
	hdr[0] = 0x2001f003;
	hdr[1] = cpu;
	hdr[2] = (uint32_t)c->len;
	for (i = 0; i < 3; i++)
		for (k = 0; k < 4; k++)
			b[4 * i + k] = (uint8_t)(hdr[i] >> (8 * k));
	write_all(f, b, 12);
	write_all(f, c->buf, c->len);
	c->len = 0;
}

static void bad_word(FILE *f, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

	write_all(f, b, 4);
}

/* A runstate record d1v0 runnable -> running with TSC @tsc: 16 bytes. */
static void bad_runstate(FILE *f, uint32_t id, uint64_t tsc)
{
	bad_word(f, id | 1u << 28 | 0x80000000u);
	bad_word(f, (uint32_t)tsc);
	bad_word(f, (uint32_t)(tsc >> 32));
	bad_word(f, 0x00010000);
}

static int write_bad(const char *kase, const char *out)
{
	FILE *f = fopen(out, "wb");
	int ok = 1;

	if (!f) {
		perror(out);
		return 1;
	}
	if (!strcmp(kase, "truncated-record")) {
		/* window 1 says 24 bytes: one record, then a 16-byte record's first 8 */
		bad_word(f, 0x2001f003);
		bad_word(f, 0);
		bad_word(f, 24);
		bad_runstate(f, 0x00021101, 1000);
		bad_word(f, 0x00021011 | 1u << 28 | 0x80000000u);
		bad_word(f, 2000);
		bad_word(f, 0x2001f003); /* a sound window follows */
		bad_word(f, 1);
		bad_word(f, 16);
		bad_runstate(f, 0x00021101, 1500);
	} else if (!strcmp(kase, "zero-tsc")) {
		/* Xen on Arm <= 4.11: every TSC is 0 */
		bad_word(f, 0x2001f003);
		bad_word(f, 0);
		bad_word(f, 48);
		bad_runstate(f, 0x00021101, 0);
		bad_runstate(f, 0x00021011, 0);
		bad_runstate(f, 0x00021101, 0);
	} else if (!strcmp(kase, "bad-boundary")) {
		bad_word(f, 0x2001f003);
		bad_word(f, 0);
		bad_word(f, 16);
		bad_runstate(f, 0x00021101, 1000);
		bad_word(f, 0x41414141); /* where the next CPU-change record should be */
		bad_word(f, 0x41414141);
		bad_word(f, 0x41414141);
	} else if (!strcmp(kase, "not-xentrace")) {
		fputs("this is a text file, not a xentrace recording\n", f);
	} else if (!strcmp(kase, "window-past-eof")) {
		/* the window claims 4096 bytes; the file ends after one record + 6 bytes */
		bad_word(f, 0x2001f003);
		bad_word(f, 2);
		bad_word(f, 4096);
		bad_runstate(f, 0x00021101, 1000);
		bad_word(f, 0x00021011 | 1u << 28 | 0x80000000u);
		write_all(f, "\x10\x20", 2);
	} else {
		fprintf(stderr, "gen-xentrace: unknown -B case '%s'\n", kase);
		ok = 0;
	}
	if (fclose(f) || !ok) {
		if (ok)
			perror(out);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *bad = NULL;
	uint32_t ncpu = 4, nguest = 2, i, j, lost_every = 0;
	uint64_t nsched = 20000, mbytes = 0, total = 0, poll_end;
	const char *out = NULL, *truth = NULL, *offs = NULL;
	struct cpu *cpus;
	FILE *f;
	int opt, flushes = 0, cross = 0;

	while ((opt = getopt(argc, argv, "c:g:n:m:L:s:t:o:B:XK:")) != -1) {
		switch (opt) {
		case 'X':
			cross = 1;
			break;
		case 'K':
			offs = optarg;
			break;
		case 'B':
			bad = optarg;
			break;
		case 'c':
			ncpu = (uint32_t)atoi(optarg);
			break;
		case 'g':
			nguest = (uint32_t)atoi(optarg);
			break;
		case 'n':
			nsched = strtoull(optarg, NULL, 10);
			break;
		case 'm':
			mbytes = strtoull(optarg, NULL, 10);
			break;
		case 'L':
			lost_every = (uint32_t)atoi(optarg);
			break;
		case 's':
			rng_state ^= strtoull(optarg, NULL, 10) * 0x9e3779b97f4a7c15ull;
			break;
		case 't':
			truth = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			fprintf(stderr,
				"usage: gen-xentrace [-c CPUS] [-g GUESTS] [-n SCHEDS | -m MB] "
				"[-L EVERY] [-s SEED] [-t TRUTH] -o FILE\n");
			return 2;
		}
	}
	if (out && bad)
		return write_bad(bad, out);
	if (!out || !ncpu || ncpu > 256 || !nguest || nguest > 64) {
		fprintf(stderr, "gen-xentrace: need -o FILE, 1..256 cpus, 1..64 guests per cpu\n");
		return 2;
	}
	f = fopen(out, "wb");
	cpus = calloc(ncpu, sizeof(*cpus));
	if (!f || !cpus) {
		perror(out);
		return 1;
	}
	for (i = 0; i < ncpu; i++) {
		struct cpu *c = &cpus[i];

		c->nvc = nguest + 1;
		c->vcs = calloc(c->nvc, sizeof(*c->vcs));
		if (!c->vcs)
			return 1;
		for (j = 0; j < nguest; j++) {
			c->vcs[j].dom = 1 + j;
			c->vcs[j].vcpu = i;
			c->vcs[j].state = 1;
			c->vcs[j].next_repl = 1000000000ull + j * 1000;
		}
		c->vcs[nguest].dom = IDLE_DOM;
		c->vcs[nguest].vcpu = i;
		c->vcs[nguest].state = 0;
		c->cur = nguest;
		/* the CPUs' clocks start a little apart, so windows overlap in time */
		c->now = 1000000000ull + i * 333333;
		c->vcs[nguest].run_since = c->now;
	}
	if (offs && cross_offsets(offs, cpus, ncpu) < 0) {
		fprintf(stderr, "gen-xentrace: -K takes one offset in ns (|OFF| <= 100 ms) "
				"per cpu at most, separated by commas\n");
		return 2;
	}
	if (cross) {
		if (ncpu < 2 || mbytes || lost_every) {
			fprintf(stderr, "gen-xentrace: -X needs 2 cpus or more, -n, no -L\n");
			return 2;
		}
		for (i = 0; i < ncpu; i++)
			cpus[i].now = 1000000000ull;
		gen_cross(cpus, ncpu, nguest, nsched);
		for (i = 0; i < ncpu; i++)
			flush_cpu(f, &cpus[i], i, 0);
		nsched = 0;
		goto written;
	}
	poll_end = 1000000000ull + POLL_NS;
	for (;;) {
		int done = mbytes ? total >= mbytes << 20 : cpus[0].nsched >= nsched;

		for (i = 0; i < ncpu; i++) {
			struct cpu *c = &cpus[i];

			while (c->now < poll_end && !done && (mbytes || c->nsched < nsched)) {
				int drop = lost_every && i == 1 &&
					   c->nsched % lost_every == lost_every - 1;

				sched_point(c, i, drop, 0);
				c->nsched++;
			}
			if (done && c->vcs[c->cur].dom != IDLE_DOM) {
				/* end: the running guest blocks, nothing else is runnable */
				for (j = 0; j + 1 < c->nvc; j++)
					if (c->vcs[j].state == 1)
						c->vcs[j].state = 2;
				sched_point(c, i, 0, 1);
			}
		}
		for (i = 0; i < ncpu; i++) {
			total += cpus[i].len + 12;
			flush_cpu(f, &cpus[i], i, (flushes++ % 7) == 3);
		}
		if (done)
			break;
		poll_end += POLL_NS;
	}
written:
	if (fclose(f)) {
		perror(out);
		return 1;
	}
	if (truth) {
		FILE *t = fopen(truth, "w");

		if (!t) {
			perror(truth);
			return 1;
		}
		fprintf(t, "records %llu\nlost %llu\ntickled %llu\n", (unsigned long long)nrec,
			(unsigned long long)nlost, (unsigned long long)ntickled);
		for (j = 0; j < nguest; j++)
			for (i = 0; i < ncpu; i++) {
				const struct vc *v = &cpus[i].vcs[j];

				fprintf(t, "d%uv%u running_ns %llu dispatches %llu\n", v->dom,
					v->vcpu, (unsigned long long)v->run_ns,
					(unsigned long long)v->dispatches);
			}
		fclose(t);
	}
	for (i = 0; i < ncpu; i++) {
		free(cpus[i].buf);
		free(cpus[i].vcs);
	}
	free(cpus);
	return 0;
}
