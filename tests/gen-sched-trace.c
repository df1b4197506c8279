/*
 * tests/gen-sched-trace.c - simulate an EDF task set and write real-format
 * LITMUS^RT sched_trace files with known ground truth.
 *
 * The simulator schedules periodic tasks with partitioned or global EDF on
 * M CPUs and writes what a LITMUS^RT kernel writes: NAME and PARAM records,
 * one SYS_RELEASE, and per job SWITCH_TO / SWITCH_AWAY / COMPLETION records
 * in the file of the CPU where they happen. As the kernel does, the RELEASE
 * of job j+1 is written at the completion of job j (so it is dated in the
 * future, or in the past for a tardy job), the SWITCH_AWAY after a
 * completion already carries job j+1, and unused payload bytes hold stale
 * garbage. With -N 2010 the old numbering is used (type 10 = SYS_RELEASE,
 * completion without execution time, a duplicate first release); with
 * --psn-quirk the RELEASE of a job that is already due at the previous
 * completion is not written (PSN-EDF's behaviour).
 *
 * Ground truth goes to DIR/truth.csv, one line per completed job:
 *   pid,job,release,deadline,completion,exec,preemptions,migrations
 * A preemption is a job descheduled before completion and later resumed;
 * a migration is a resumption on another CPU than the job last ran on.
 *
 * usage: gen-sched-trace -o DIR [-n TASKS] [-m CPUS] [-j JOBS | -d SECONDS] [-u UTIL]
 *                        [-s SEED] [-g] [-N 2010|2016] [--psn-quirk] [--no-truth]
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define T0 1000000000000ull /* the synchronous release: 1000 s after boot */

struct gjob {
	uint64_t rel, dl, exec;
};

struct gtask {
	int pid;
	uint64_t period, wcet;
	int part; /* partition (partitioned EDF) */
	/* released, unfinished jobs: queue[0] is the current job */
	struct gjob *q;
	uint32_t nq, capq;
	uint32_t next_job; /* number of the next job to release */
	uint32_t head_job; /* number of queue[0] */
	uint64_t next_rel;
	/* current job state */
	uint64_t done; /* executed so far */
	int cpu;       /* running on, -1 if not */
	int last_cpu;  /* cpu the current job last ran on, -1 if it has not run */
	int aff_cpu;   /* cpu the task last ran on (placement preference) */
	int pend_preempt;
	uint32_t preempt, migr;
	int released_all;
};

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* splitmix64: deterministic for a seed */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double rnd(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

struct out {
	FILE **f;
	int m;
	int numbering;
	FILE *truth;
	uint64_t records;
};

static void put_rec(struct out *o, int cpu, int type, int pid, uint32_t job, uint64_t w0,
		    uint64_t w1)
{
	uint8_t r[24];
	int i;

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
	fwrite(r, 1, 24, o->f[cpu]);
	o->records++;
}

static void put_release(struct out *o, int cpu, struct gtask *t, uint32_t job, uint64_t rel)
{
	put_rec(o, cpu, 3, t->pid, job, rel, rel + t->period);
}

static int gen_cmp_dl(const struct gtask *a, const struct gtask *b)
{
	if (a->q[0].dl != b->q[0].dl)
		return a->q[0].dl < b->q[0].dl ? -1 : 1;
	return a->pid < b->pid ? -1 : 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: gen-sched-trace -o DIR [-n TASKS] [-m CPUS] [-j JOBS] [-u UTIL] [-s SEED]\n"
		"                       [-g] [-N 2010|2016] [--psn-quirk] [--no-truth]\n"
		"  -o DIR     write DIR/st-<cpu>.bin and DIR/truth.csv\n"
		"  -n TASKS   number of tasks (default 10)\n"
		"  -m CPUS    number of CPUs (default 4)\n"
		"  -j JOBS    total jobs to release (default 2000)\n"
		"  -d SECS    release jobs for this many seconds instead (no job limit)\n"
		"  -u UTIL    total utilisation (default 0.6 * CPUS)\n"
		"  -s SEED    random seed (default 1)\n"
		"  -g         global EDF (default partitioned EDF)\n"
		"  -N YEAR    record numbering: 2016 (default) or 2010\n"
		"  --psn-quirk  omit RELEASE records of jobs already due (PSN-EDF)\n"
		"  --no-truth   do not write truth.csv (large benchmark inputs)\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"psn-quirk", no_argument, NULL, 'Q'},
		{"no-truth", no_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const uint64_t periods_ms[] = {10, 20, 25, 40, 50, 80, 100, 125, 200};
	const char *dir = NULL;
	int n = 10, m = 4, global = 0, numbering = 2016, psn = 0, notruth = 0, opt, i, c;
	uint64_t jobs = 2000, released = 0, seed = 1, t, until = UINT64_MAX;
	double util = -1, *u, sum;
	struct gtask *tk;
	struct gtask **run; /* per cpu */
	double *load;
	struct out o = {0};
	char path[4096];

	while ((opt = getopt_long(argc, argv, "o:n:m:j:d:u:s:gN:h", lo, NULL)) != -1) {
		switch (opt) {
		case 'o':
			dir = optarg;
			break;
		case 'n':
			n = atoi(optarg);
			break;
		case 'm':
			m = atoi(optarg);
			break;
		case 'j':
			jobs = strtoull(optarg, NULL, 10);
			break;
		case 'd':
			until = T0 + (uint64_t)(atof(optarg) * 1e9);
			jobs = UINT64_MAX;
			break;
		case 'u':
			util = atof(optarg);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'g':
			global = 1;
			break;
		case 'N':
			numbering = atoi(optarg);
			break;
		case 'Q':
			psn = 1;
			break;
		case 'T':
			notruth = 1;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if (!dir || n <= 0 || n > 65535 || m <= 0 || m > 256 ||
	    (numbering != 2010 && numbering != 2016)) {
		usage();
		return 2;
	}
	if (util <= 0)
		util = 0.6 * m;
	rng_state = seed;
	mkdir(dir, 0755);
	o.m = m;
	o.numbering = numbering;
	o.f = calloc((size_t)m, sizeof(*o.f));
	tk = calloc((size_t)n, sizeof(*tk));
	run = calloc((size_t)m, sizeof(*run));
	load = calloc((size_t)m, sizeof(*load));
	u = calloc((size_t)n, sizeof(*u));
	if (!o.f || !tk || !run || !load || !u)
		return 1;
	for (c = 0; c < m; c++) {
		snprintf(path, sizeof(path), "%s/st-%d.bin", dir, c);
		o.f[c] = fopen(path, "wb");
		if (!o.f[c]) {
			fprintf(stderr, "gen-sched-trace: %s: %s\n", path, strerror(errno));
			return 1;
		}
		setvbuf(o.f[c], NULL, _IOFBF, 1 << 20);
	}
	if (!notruth) {
		snprintf(path, sizeof(path), "%s/truth.csv", dir);
		o.truth = fopen(path, "w");
		if (!o.truth)
			return 1;
		setvbuf(o.truth, NULL, _IOFBF, 1 << 20);
		fprintf(o.truth,
			"pid,job,release,deadline,completion,exec,preemptions,migrations\n");
	}
	/* UUniFast utilisations, capped so that every task fits on one cpu */
	sum = util;
	for (i = 0; i < n - 1; i++) {
		double next = sum * pow(rnd(), 1.0 / (n - 1 - i));

		u[i] = sum - next;
		sum = next;
	}
	u[n - 1] = sum;
	for (i = 0; i < n; i++) {
		struct gtask *x = &tk[i];
		int best = 0;

		if (u[i] > 0.9)
			u[i] = 0.9;
		if (u[i] < 0.001)
			u[i] = 0.001;
		x->pid = 1000 + i;
		x->period =
			periods_ms[rng() % (sizeof(periods_ms) / sizeof(periods_ms[0]))] * 1000000;
		x->wcet = (uint64_t)(u[i] * (double)x->period);
		if (x->wcet < 1000)
			x->wcet = 1000;
		for (c = 1; c < m; c++) /* worst fit */
			if (load[c] < load[best])
				best = c;
		x->part = best;
		load[best] += u[i];
		x->cpu = x->last_cpu = x->aff_cpu = -1;
		x->next_job = 1;
		x->next_rel = T0;
		{
			uint8_t name[16] = "rtspin\0\0\0\0\0\0\0\0\0";
			uint64_t w0, w1;

			/* stale bytes after the NUL, as the kernel leaves them */
			name[8] = (uint8_t)rng();
			name[9] = (uint8_t)rng();
			memcpy(&w0, name, 8);
			memcpy(&w1, name + 8, 8);
			put_rec(&o, x->part, 1, x->pid, 0, w0, w1);
			put_rec(&o, x->part, 2, x->pid, 0, x->wcet | (x->period << 32),
				(uint64_t)x->part << 32 | (rng() & 0xffff000000000000ull));
			/* first release, written at set-up; 2010 kernels wrote it twice */
			put_release(&o, x->part, x, 1, T0);
			if (numbering == 2010)
				put_release(&o, x->part, x, 1, T0);
		}
	}
	put_rec(&o, 0, numbering == 2010 ? 10 : 11, 0, 0, T0 - 1000000, T0);

	t = T0;
	for (;;) {
		uint64_t next = UINT64_MAX;
		int active = 0;

		/* releases due now */
		for (i = 0; i < n; i++) {
			struct gtask *x = &tk[i];

			while (!x->released_all && x->next_rel <= t) {
				struct gjob jb;
				double f = 0.5 + 0.5 * rnd();

				if (released >= jobs || x->next_rel >= until) {
					x->released_all = 1;
					break;
				}
				if (rng() % 50 == 0)
					f = 1.3; /* an overrun: makes tardiness */
				jb.rel = x->next_rel;
				jb.dl = x->next_rel + x->period;
				jb.exec = (uint64_t)((double)x->wcet * f);
				if (jb.exec == 0)
					jb.exec = 1;
				if (x->nq == x->capq) {
					x->capq = x->capq ? x->capq * 2 : 4;
					x->q = realloc(x->q, x->capq * sizeof(*x->q));
					if (!x->q)
						return 1;
				}
				if (!x->nq)
					x->head_job = x->next_job;
				x->q[x->nq++] = jb;
				x->next_job++;
				x->next_rel += x->period;
				released++;
			}
		}
		/* choose what runs: EDF per partition or globally */
		{
			struct gtask **want = calloc((size_t)m, sizeof(*want));

			if (!want)
				return 1;
			for (i = 0; i < n; i++) {
				struct gtask *x = &tk[i];

				if (!x->nq || x->q[0].rel > t)
					continue;
				if (!global) {
					if (!want[x->part] || gen_cmp_dl(x, want[x->part]) < 0)
						want[x->part] = x;
				} else {
					/* insert into the sorted top-m list */
					int k = m - 1;

					if (want[k] && gen_cmp_dl(x, want[k]) > 0)
						continue;
					while (k > 0 &&
					       (!want[k - 1] || gen_cmp_dl(x, want[k - 1]) < 0)) {
						want[k] = want[k - 1];
						k--;
					}
					want[k] = x;
				}
			}
			if (global) {
				/* keep selected running jobs where they are */
				struct gtask **place = calloc((size_t)m, sizeof(*place));
				int k;

				if (!place)
					return 1;
				for (k = 0; k < m; k++)
					if (want[k] && want[k]->cpu >= 0)
						place[want[k]->cpu] = want[k];
				for (k = 0; k < m; k++) {
					struct gtask *x = want[k];

					if (!x || x->cpu >= 0)
						continue;
					if (x->aff_cpu >= 0 && !place[x->aff_cpu])
						place[x->aff_cpu] = x;
					else {
						for (c = 0; c < m && place[c]; c++)
							;
						place[c] = x;
					}
				}
				memcpy(want, place, (size_t)m * sizeof(*want));
				free(place);
			}
			/* preempt what is no longer wanted */
			for (c = 0; c < m; c++) {
				struct gtask *x = run[c];

				if (x && want[c] != x) {
					put_rec(&o, c, 6, x->pid, x->head_job, t, x->done);
					x->cpu = -1;
					x->last_cpu = x->aff_cpu = c;
					x->pend_preempt = 1;
					run[c] = NULL;
				}
			}
			for (c = 0; c < m; c++) {
				struct gtask *x = want[c];

				if (!x || run[c] == x)
					continue;
				if (x->pend_preempt) {
					x->preempt++;
					x->pend_preempt = 0;
				}
				if (x->last_cpu >= 0 && x->last_cpu != c)
					x->migr++;
				put_rec(&o, c, 5, x->pid, x->head_job, t,
					(rng() & 0xffffffff00000000ull) | (uint32_t)x->done);
				if (numbering == 2016 &&
				    rng() % 8 == 0) /* RUN-style ACTION noise */
					put_rec(&o, c, 10, x->pid, x->head_job, t, rng() & 0xff);
				x->cpu = c;
				run[c] = x;
			}
			free(want);
		}
		/* next event: a completion or a release */
		for (i = 0; i < n; i++) {
			struct gtask *x = &tk[i];

			if (x->nq)
				active = 1;
			if (x->cpu >= 0 && t + (x->q[0].exec - x->done) < next)
				next = t + (x->q[0].exec - x->done);
			if (!x->released_all) {
				active = 1;
				if (x->next_rel < next)
					next = x->next_rel;
			}
			if (x->nq && x->cpu < 0 && x->q[0].rel > t && x->q[0].rel < next)
				next = x->q[0].rel;
		}
		if (!active || next == UINT64_MAX)
			break;
		for (c = 0; c < m; c++)
			if (run[c])
				run[c]->done += next - t;
		t = next;
		/* completions at t */
		for (c = 0; c < m; c++) {
			struct gtask *x = run[c];
			struct gjob *jb;
			uint32_t job;
			int cont;

			if (!x || x->done < x->q[0].exec)
				continue;
			jb = &x->q[0];
			job = x->head_job;
			put_rec(&o, c, 7, x->pid, job, t,
				numbering == 2016 ? jb->exec << 1 : (rng() | 1));
			if (o.truth)
				fprintf(o.truth,
					"%d,%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
					",%u,%u\n",
					x->pid, job, jb->rel, jb->dl, t, jb->exec, x->preempt,
					x->migr);
			/* the next job's RELEASE is written now, dated at its release */
			if (x->nq > 1 || !x->released_all) {
				uint64_t nrel = x->nq > 1 ? x->q[1].rel : x->next_rel;

				if (!(psn && nrel <= t))
					put_release(&o, c, x, job + 1, nrel);
			}
			memmove(x->q, x->q + 1, (x->nq - 1) * sizeof(*x->q));
			x->nq--;
			x->head_job = job + 1;
			x->done = 0;
			x->preempt = x->migr = 0;
			x->pend_preempt = 0;
			x->aff_cpu = c;
			/* a job that continues on this cpu has run here; a new one has not */
			x->last_cpu = -1;
			/* a due next job keeps the cpu without switch records */
			cont = x->nq && x->q[0].rel <= t;
			if (cont)
				x->last_cpu = c;
			if (!cont) {
				put_rec(&o, c, 6, x->pid, job + 1, t, rng());
				x->cpu = -1;
				run[c] = NULL;
			}
		}
	}
	for (c = 0; c < m; c++)
		if (fclose(o.f[c]))
			return 1;
	if (o.truth && fclose(o.truth))
		return 1;
	fprintf(stderr,
		"gen-sched-trace: %d tasks, %d cpus, %" PRIu64 " jobs, %" PRIu64
		" records, %.1f s simulated\n",
		n, m, released, o.records, (double)(t - T0) / 1e9);
	for (i = 0; i < n; i++)
		free(tk[i].q);
	free(tk);
	free(run);
	free(load);
	free(u);
	free(o.f);
	return 0;
}
