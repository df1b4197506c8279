/*
 * bench/gen-draw-trace.c - a synthetic LITMUS^RT sched_trace set for the
 * drawing benchmarks and the demo: N periodic tasks partitioned over M CPUs,
 * scheduled by preemptive EDF on each CPU, for S seconds. Deterministic (a
 * fixed LCG); writes PREFIX_cpu=K.bin, one file per CPU, in the 2016+ record
 * numbering (NAME, PARAM, SYS_RELEASE, RELEASE, SWITCH_TO, SWITCH_AWAY,
 * COMPLETION). Not a recording: for timing and pictures only.
 *
 * usage: gen-draw-trace PREFIX NTASKS NCPUS SECONDS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1000000000ULL	/* records start 1 s after "boot" */
#define REL (T0 + 500000000ULL) /* synchronous release */

struct task {
	uint64_t period, wcet, next_rel, deadline, remaining;
	uint32_t job, pid;
	int active;
};

static uint64_t lcg = 42;

static uint32_t rnd(uint32_t n)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)((lcg >> 33) % n);
}

static void put(FILE *f, int type, int cpu, uint32_t pid, uint32_t job, uint64_t w0, uint64_t w1)
{
	unsigned char r[24];
	int i;

	r[0] = (unsigned char)type;
	r[1] = (unsigned char)cpu;
	r[2] = (unsigned char)pid;
	r[3] = (unsigned char)(pid >> 8);
	for (i = 0; i < 4; i++)
		r[4 + i] = (unsigned char)(job >> (8 * i));
	for (i = 0; i < 8; i++) {
		r[8 + i] = (unsigned char)(w0 >> (8 * i));
		r[16 + i] = (unsigned char)(w1 >> (8 * i));
	}
	fwrite(r, 1, 24, f);
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int main(int argc, char **argv)
{
	uint32_t ntasks, ncpus, c, i;
	uint64_t end;
	char path[4096];

	if (argc != 5) {
		fprintf(stderr, "usage: %s PREFIX NTASKS NCPUS SECONDS\n", argv[0]);
		return 2;
	}
	ntasks = (uint32_t)atoi(argv[2]);
	ncpus = (uint32_t)atoi(argv[3]);
	end = REL + (uint64_t)(atof(argv[4]) * 1e9);
	if (!ntasks || !ncpus || ncpus > 255 || ntasks > 60000 || end <= REL) {
		fprintf(stderr, "%s: bad arguments\n", argv[0]);
		return 2;
	}
	for (c = 0; c < ncpus; c++) {
		uint32_t n = 0;
		struct task *ts = calloc(ntasks, sizeof(*ts));
		FILE *f;
		uint64_t now = REL;
		int run = -1;

		snprintf(path, sizeof(path), "%s_cpu=%u.bin", argv[1], c);
		f = fopen(path, "wb");
		if (!f || !ts) {
			perror(path);
			return 1;
		}
		/* tasks c, c + ncpus, ... live on this CPU: utilisation about 0.75 */
		for (i = c; i < ntasks; i += ncpus) {
			struct task *t = &ts[n++];
			uint32_t per_cpu = (ntasks + ncpus - 1) / ncpus;
			unsigned char name[16] = "rtspin";

			t->pid = 1000 + i;
			t->period = (uint64_t)(10 + rnd(91)) * 1000000ULL;
			t->wcet = t->period * 3 / (4 * per_cpu);
			if (!t->wcet)
				t->wcet = 1000;
			t->next_rel = REL;
			/* NAME: the comm is the payload, little-endian words as put() writes */
			put(f, 1, (int)c, t->pid, 0, le64(name), le64(name + 8));
			put(f, 2, (int)c, t->pid, 0, t->wcet | (t->period << 32), c);
		}
		if (c == 0)
			put(f, 11, 0, 0, 0, T0 + 100000000ULL, REL);
		while (now < end) {
			uint64_t next = end;
			int best = -1;

			/* releases due now */
			for (i = 0; i < n; i++) {
				struct task *t = &ts[i];

				if (t->next_rel <= now && !t->active) {
					t->active = 1;
					t->job++;
					t->deadline = t->next_rel + t->period;
					/* execution varies between half and all of the wcet */
					t->remaining =
						t->wcet / 2 + rnd((uint32_t)(t->wcet / 2 + 1));
					put(f, 3, (int)c, t->pid, t->job, t->next_rel, t->deadline);
					t->next_rel += t->period;
				}
			}
			for (i = 0; i < n; i++)
				if (ts[i].active &&
				    (best < 0 || ts[i].deadline < ts[best].deadline))
					best = (int)i;
			if (best != run) {
				if (run >= 0 && ts[run].active)
					put(f, 6, (int)c, ts[run].pid, ts[run].job, now, 0);
				if (best >= 0)
					put(f, 5, (int)c, ts[best].pid, ts[best].job, now, 0);
				run = best;
			}
			for (i = 0; i < n; i++)
				if (ts[i].next_rel > now && ts[i].next_rel < next)
					next = ts[i].next_rel;
			if (run >= 0 && now + ts[run].remaining <= next) {
				struct task *t = &ts[run];

				now += t->remaining;
				t->remaining = 0;
				t->active = 0;
				put(f, 6, (int)c, t->pid, t->job, now, 0);
				put(f, 7, (int)c, t->pid, t->job, now, (t->wcet << 1));
				run = -1;
				continue;
			}
			if (run >= 0)
				ts[run].remaining -= next - now;
			now = next;
		}
		fclose(f);
		free(ts);
	}
	return 0;
}
