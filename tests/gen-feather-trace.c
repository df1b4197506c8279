/*
 * tests/gen-feather-trace.c - write synthetic Feather-Trace overhead files.
 *
 * usage: gen-feather-trace [-c CPUS] [-n PAIRS] [-s MBYTES] [-t START_TS] [-e] [-S SEED]
 *                          [-k KEYS] DIR
 *
 * Per cpu, DIR/overheads_host=gen_scheduler=GEN_trace=T_cpu=N.bin holds
 * SCHED, SCHED2, CXS, RELEASE and TICK START/END pairs and RELEASE_LATENCY
 * singles; DIR/..._msg=N.bin holds SEND_RESCHED pairs. Sequence numbers are
 * consecutive, about 2 % of the ENDs carry an IRQ flag, 20 % of the pairs
 * belong to best-effort tasks. -t starts the cycle counter there (close to
 * 2^48 = 281474976710656 to make it wrap), -e writes big-endian records.
 * -n is the number of pairs per cpu, -s the approximate total size; -k adds
 * key=value parts to the file names ("n=10_u=0.5").
 *
 * On stdout, one line per event: what an extraction must find.
 *   EVENT pairs=P kept=K irq=I nonrt=B wrapped=W
 * kept = real-time (or SEND_RESCHED, kept for every task type), undisturbed;
 * wrapped = pairs whose END timestamp passed 2^48 after their START.
 */
#include "../readers/feather-trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct gen_count {
	unsigned long long pairs, kept, irq, nonrt, wrapped;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

struct gen_out {
	FILE *f;
	uint8_t buf[1 << 16];
	size_t n;
	int be;
};

static void put(struct gen_out *o, const struct rl_ft_rec *r)
{
	rl_ft_encode(o->buf + o->n, r, RL_FT_CURRENT, o->be);
	o->n += 16;
	if (o->n == sizeof(o->buf)) {
		if (fwrite(o->buf, 1, o->n, o->f) != o->n) {
			perror("gen-feather-trace: write");
			exit(1);
		}
		o->n = 0;
	}
}

static void flush_out(struct gen_out *o)
{
	if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n) {
		perror("gen-feather-trace: write");
		exit(1);
	}
	o->n = 0;
	if (fclose(o->f)) {
		perror("gen-feather-trace: close");
		exit(1);
	}
}

static const char *extra_keys = "";

static FILE *open_out(const char *dir, const char *kind, int cpu)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/overheads_host=gen_scheduler=GEN_trace=T%s%s_%s=%d.bin",
		 dir, *extra_keys ? "_" : "", extra_keys, kind, cpu);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	return f;
}

static const unsigned pair_ids[] = {100, 102, 104, 106, 110};
static const char *const pair_names[] = {"SCHED", "SCHED2", "CXS", "RELEASE", "TICK"};
#define NPAIR 5

int main(int argc, char **argv)
{
	struct gen_count cnt[NPAIR + 2];
	unsigned long long npairs = 10000, mbytes = 0;
	uint64_t t0 = 1000000000ull;
	int cpus = 4, be = 0, opt, c, e;
	static struct gen_out out;

	rng_state = 1;
	while ((opt = getopt(argc, argv, "c:n:s:t:eS:k:")) != -1) {
		switch (opt) {
		case 'c':
			cpus = atoi(optarg);
			break;
		case 'n':
			npairs = strtoull(optarg, NULL, 10);
			break;
		case 's':
			mbytes = strtoull(optarg, NULL, 10);
			break;
		case 't':
			t0 = strtoull(optarg, NULL, 0);
			break;
		case 'e':
			be = 1;
			break;
		case 'S':
			rng_state = strtoull(optarg, NULL, 10);
			break;
		case 'k':
			extra_keys = optarg;
			break;
		default:
			fprintf(stderr, "usage: gen-feather-trace [-c CPUS] [-n PAIRS] [-s MBYTES] "
					"[-t START_TS] [-e] [-S SEED] [-k KEYS] DIR\n");
			return 2;
		}
	}
	if (optind != argc - 1 || cpus < 1 || cpus > 256) {
		fprintf(stderr, "gen-feather-trace: give one output directory (and 1..256 cpus)\n");
		return 2;
	}
	if (mbytes) /* cpu files: 2 records per pair + a latency record every 8 pairs */
		npairs = (mbytes << 20) / (unsigned long long)cpus / (32 + 2);
	memset(cnt, 0, sizeof(cnt));
	out.be = be;
	for (c = 0; c < cpus; c++) {
		struct rl_ft_rec r;
		uint64_t ts = t0 + rnd_below(100000), i;
		uint32_t seq = rnd_below(1000);

		memset(&r, 0, sizeof(r));
		r.cpu = (uint8_t)c;
		out.f = open_out(argv[optind], "cpu", c);
		for (i = 0; i < npairs; i++) {
			int k = (int)rnd_below(NPAIR), rt = rnd_below(5) != 0,
			    irq = rnd_below(50) == 0;
			uint64_t start = ts, end;

			r.event = (uint8_t)pair_ids[k];
			r.seq = seq++;
			r.ts = start & RL_FT_TS_MASK;
			r.type = rt ? RL_FT_RT : RL_FT_BE;
			r.pid = (uint16_t)(rt ? 1000 + rnd_below(20) : 0);
			r.irq_flag = 0;
			r.irq_count = 0;
			put(&out, &r);
			end = start + 500 + rnd_below(5000);
			r.event++;
			r.seq = seq++;
			r.ts = end & RL_FT_TS_MASK;
			r.irq_flag = (uint8_t)irq;
			r.irq_count = (uint8_t)irq;
			put(&out, &r);
			cnt[k].pairs++;
			cnt[k].irq += irq;
			cnt[k].nonrt += !irq && !rt;
			cnt[k].kept += !irq && rt;
			cnt[k].wrapped += (end & RL_FT_TS_MASK) < (start & RL_FT_TS_MASK);
			ts = end + 1000 + rnd_below(20000);
			if ((i & 7) == 7) {
				r.event = RL_FT_RELEASE_LATENCY;
				r.seq = seq++;
				r.ts = 1000 + rnd_below(50000); /* ns */
				r.type = RL_FT_RT;
				r.pid = 0;
				r.irq_flag = 1; /* written inside the timer interrupt */
				r.irq_count = 1;
				put(&out, &r);
				cnt[NPAIR].pairs++;
				cnt[NPAIR].kept++;
			}
		}
		flush_out(&out);
		/* IPIs received by cpu c: START stamped by the sender, END by c */
		out.f = open_out(argv[optind], "msg", c);
		seq = 0;
		ts = t0 + rnd_below(100000);
		for (i = 0; i < npairs / 16 + 1; i++) {
			uint64_t lat = 2000 + rnd_below(30000);
			int irq = rnd_below(50) == 0;

			r.event = RL_FT_SEND_RESCHED_START;
			r.seq = seq++;
			r.ts = ts & RL_FT_TS_MASK;
			r.type = RL_FT_BE;
			r.pid = 0;
			r.irq_flag = 0;
			r.irq_count = 0;
			put(&out, &r);
			r.event = RL_FT_SEND_RESCHED_END;
			r.seq = seq++;
			r.ts = (ts + lat) & RL_FT_TS_MASK;
			r.irq_flag = (uint8_t)irq;
			r.irq_count = (uint8_t)irq;
			put(&out, &r);
			cnt[NPAIR + 1].pairs++;
			cnt[NPAIR + 1].irq += irq;
			cnt[NPAIR + 1].kept += !irq;
			cnt[NPAIR + 1].wrapped +=
				((ts + lat) & RL_FT_TS_MASK) < (ts & RL_FT_TS_MASK);
			ts += lat + 100000 + rnd_below(1000000);
		}
		flush_out(&out);
	}
	for (e = 0; e < NPAIR + 2; e++)
		printf("%s pairs=%llu kept=%llu irq=%llu nonrt=%llu wrapped=%llu\n",
		       e < NPAIR    ? pair_names[e]
		       : e == NPAIR ? "RELEASE_LATENCY"
				    : "SEND_RESCHED",
		       cnt[e].pairs, cnt[e].kept, cnt[e].irq, cnt[e].nonrt, cnt[e].wrapped);
	return 0;
}
