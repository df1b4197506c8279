/*
 * cli/cmd-batch.c - `rtlens batch`: every run of experiment trees into one
 * database. Runs are found by the library (stats/batch.c); each is written
 * by a child process (rtlens db's code: rl_db_write_run()) into a per-run
 * database, at most -j at a time, its stderr kept in a file and printed in
 * run order afterwards. The runs' ids are computed first (-j processes), so
 * that runs are read in run_id order and each is merged into OUTDIR/rtlens.db
 * (rl_db_merger_add()) as soon as it and the runs before it in that order are
 * done, while the others are still being read: the same file rl_db_merge()
 * makes of the per-run databases, whatever -j is.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef RL_VERSION
#define RL_VERSION "0.1"
#endif

/* A child's exit status for "unchanged: already in OUTDIR/rtlens.db". */
#define BATCH_SKIPPED 3

/* A run's folder, when written apart from reading it (batch_export_one()). */
enum { BATCH_X_NONE, BATCH_X_TODO, BATCH_X_STARTED, BATCH_X_DONE };

static const char batch_help[] =
	"usage: rtlens batch -o OUTDIR [OPTIONS] DIR|FILE...\n\n"
	"Find the runs of experiment trees and write them all into OUTDIR/rtlens.db\n"
	"(the tables of rtlens db, one run_id per run), OUTDIR/runs.csv (the\n"
	"run_summary view: one row per run, every parameter a column) and per run\n"
	"OUTDIR/runs/NAME/: jobs.csv, linux-jobs.csv, tasks.csv (task_summary) and\n"
	"overheads.csv (overhead_stats), the run's rows of those tables.\n\n"
	"Runs: a folder with params.py (experiment-scripts) is one run of its trace\n"
	"files; a folder with a CTF metadata file is one run; other folders' trace\n"
	"files form runs by name: key=value names by their recording (the schedule_*\n"
	"and overheads_* files of one recording are one run), other names without\n"
	"their CPU number (st-0.bin .. st-3.bin). Files without a key=value name\n"
	"among key=value ones belong to no run: they are listed, not guessed.\n"
	"A run is named by its place in the tree (--list prints the names).\n\n"
	"Each run is read once, by -j processes at a time; a run that fails is\n"
	"reported and the others go on (exit status 1 at the end). A run already in\n"
	"OUTDIR/rtlens.db with the same inputs (run_id), name and options is not\n"
	"read again. The same inputs and options give the same OUTDIR, byte for byte,\n"
	"whatever -j is. Progress goes to stderr when it is a terminal.\n\n"
	"Options:\n"
	"  -o, --output OUTDIR   the output folder (required; created if needed)\n"
	"  -j, --jobs N          runs read at a time (default: online CPUs)\n"
	"      --list            print the runs found, one name a line, and stop\n"
	"      --files           with --list: each name followed by its files (TAB)\n"
	"      --force           read every run again\n"
	"      --plots           per run also schedule.png (rtlens draw), response-cdf.png\n"
	"                        (the jobs' response times) and cdf-EVENT.png per overhead\n"
	"                        event (rtlens plot), listed in the table run_file\n"
	"      --export exps-csv DIR  also write experiment-scripts' parse_exps.py CSV\n"
	"                        tree: DIR/STAT/VARIABLE/OUTER/INNER/OTHER.csv of x,y lines\n"
	"                        (doc/db.md)\n"
	"  -h, --help            this help\n" RL_INPUT_HELP;

struct batch_slot {
	pid_t pid;
	uint32_t run;
	int exporting; /* writing the run's folder (batch_export_one()), not reading it */
	struct timespec start;
};

struct batch {
	struct rl_batch b;
	const char *outdir;
	char work[PATH_MAX];
	char old[PATH_MAX]; /* OUTDIR/rtlens.db when its runs are reusable, else "" */
	/* runs of the old database: run_id and name, to skip unchanged runs */
	char (*old_ids)[17];
	char **old_names;
	uint32_t nold, cap_old, cap_oldn;
	int *status;	 /* per run: exit status; BATCH_SKIPPED */
	char (*ids)[17]; /* per run: its run_id ("" when unknown) */
	uint8_t *done;	 /* per run: its status is final */
	uint8_t *xstate; /* per run: its folder: BATCH_X_* */
	int defer;	 /* folders written apart from the reading (not with --plots) */
	double *secs;	 /* per run: wall time */
	uint64_t pbytes; /* inputs of the runs done, for progress */
	/* the merge (batch_merge_next()): runs in merge order, the next one to merge */
	uint32_t *order, norder, front;
	struct rl_db_merger *merger; /* NULL until the first run merged */
	struct rl_outfile out;	     /* OUTDIR/rtlens.db */
	char last[17];		     /* the run_id merged last */
	int mfail;		     /* the merge failed: its exit code */
	const char *exps;	     /* --export exps-csv DIR */
	int plots;		     /* --plots */
	const struct rl_input_opts *io;
	const struct rl_db_opt *opts;
	size_t nopts;
	/* threads of a child's run (online CPUs / -j) and of the merge's index builds */
	int threads, mthreads;
};

static int batch_old_run(void *arg, const char *id, const char *name)
{
	struct batch *bt = arg;

	if (rl_grow((void **)&bt->old_ids, &bt->cap_old, bt->nold + 1, sizeof(*bt->old_ids)) ||
	    rl_grow((void **)&bt->old_names, &bt->cap_oldn, bt->nold + 1, sizeof(*bt->old_names)))
		return -1;
	snprintf(bt->old_ids[bt->nold], 17, "%s", id);
	bt->old_names[bt->nold] = name ? strdup(name) : NULL;
	bt->nold++;
	return 0;
}

static int batch_in_old(const struct batch *bt, const char *id, const char *name)
{
	uint32_t i;

	for (i = 0; i < bt->nold; i++)
		if (!strcmp(bt->old_ids[i], id) && bt->old_names[i] &&
		    !strcmp(bt->old_names[i], name))
			return 1;
	return 0;
}

static void batch_path(char *buf, size_t len, const struct batch *bt, uint32_t i, const char *ext)
{
	snprintf(buf, len, "%s/%06u.%s", bt->work, i, ext);
}

static int batch_run_dir(const struct batch *bt, uint32_t i);
static int batch_run_plots(const struct batch *bt, uint32_t i);

/* In a child: stdout to /dev/null, stderr (appended) to WORK/i.err. */
static void batch_redirect(const struct batch *bt, uint32_t i)
{
	char path[PATH_MAX + 32];
	int fd;

	fflush(stderr);
	batch_path(path, sizeof(path), bt, i, "err");
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, 2);
		close(fd);
	}
	fd = open("/dev/null", O_WRONLY);
	if (fd >= 0) {
		dup2(fd, 1);
		close(fd);
	}
}

/*
 * A child of batch_ids(): the run_id of runs @c, @c + @stride, ... each
 * into WORK/i.id ("!STATUS" when it cannot be had, the reason in WORK/i.err).
 * Does not return.
 */
static void batch_id_child(const struct batch *bt, uint32_t c, uint32_t stride)
{
	char path[PATH_MAX + 32], id[17];
	uint32_t i;
	int r;

	for (i = c; i < bt->b.n; i += stride) {
		const struct rl_batch_run *run = &bt->b.runs[i];
		FILE *f;

		batch_redirect(bt, i);
		if (!run->n) {
			fprintf(stderr, "%s: run %s: error: no trace files in it\n", rl_prog,
				run->name);
			r = RL_EXIT_DATA;
		} else {
			r = rl_db_run_id_of(run->paths, (int)run->n, bt->io, id);
		}
		fflush(stderr);
		batch_path(path, sizeof(path), bt, i, "id");
		f = fopen(path, "w");
		if (!f || (r ? fprintf(f, "!%d\n", r) : fprintf(f, "%s\n", id)) < 0 || fclose(f))
			_exit(RL_EXIT_DATA);
	}
	_exit(0);
}

/*
 * Every run's run_id into bt->ids (@jobs processes); a run without one has
 * failed (bt->status, bt->done); a run unchanged since OUTDIR/rtlens.db is
 * BATCH_SKIPPED. Return: 0 or an exit code.
 */
static int batch_ids(struct batch *bt, int jobs)
{
	uint32_t n = bt->b.n, stride = (uint32_t)jobs < n ? (uint32_t)jobs : n, c, i;
	char path[PATH_MAX + 32], line[64];
	int ws;

	for (c = 0; c < stride; c++) {
		pid_t pid;

		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "%s: error: cannot start a process: %s\n", rl_prog,
				strerror(errno));
			break;
		}
		if (pid == 0)
			batch_id_child(bt, c, stride);
	}
	while (wait(&ws) > 0 || errno == EINTR)
		;
	for (i = 0; i < n; i++) {
		FILE *f;

		batch_path(path, sizeof(path), bt, i, "id");
		f = fopen(path, "r");
		line[0] = 0;
		if (!f || !fgets(line, sizeof(line), f))
			line[0] = 0;
		if (f)
			fclose(f);
		line[strcspn(line, "\n")] = 0;
		if (strlen(line) == 16 && strspn(line, "0123456789abcdef") == 16) {
			memcpy(bt->ids[i], line, 17);
			if (bt->nold && batch_in_old(bt, line, bt->b.runs[i].name))
				bt->status[i] = BATCH_SKIPPED, bt->done[i] = 1;
		} else {
			bt->status[i] = line[0] == '!' && atoi(line + 1) > 0 ? atoi(line + 1)
									     : RL_EXIT_DATA;
			bt->done[i] = 1;
		}
	}
	return 0;
}

/*
 * The child: run @i into WORK/i.db and its folder OUTDIR/runs/NAME; its
 * stderr into WORK/i.err. Does not return.
 */
static void batch_child(struct batch *bt, uint32_t i)
{
	const struct rl_batch_run *run = &bt->b.runs[i];
	char path[PATH_MAX + 32];
	int r;

	batch_redirect(bt, i);
	batch_path(path, sizeof(path), bt, i, "db");
	r = rl_db_write_run(run->paths, (int)run->n, run->name, bt->io, path, bt->opts, bt->nopts,
			    bt->threads);
	/* the run's folder from its own database, here with --plots (they add run_file rows) */
	if (!r && !bt->defer)
		r = batch_run_dir(bt, i);
	if (!r && bt->plots)
		r = batch_run_plots(bt, i);
	fflush(stderr);
	_exit(r);
}

/*
 * In a child: the folder OUTDIR/runs/NAME of run @i from its database
 * (read before); a failure's exit status into WORK/i.xf, its message into
 * WORK/i.err.
 */
static void batch_export_one(const struct batch *bt, uint32_t i)
{
	char path[PATH_MAX + 32];
	int r;

	batch_redirect(bt, i);
	r = batch_run_dir(bt, i);
	fflush(stderr);
	if (r) {
		FILE *f;

		batch_path(path, sizeof(path), bt, i, "xf");
		f = fopen(path, "w");
		if (f) {
			fprintf(f, "%d\n", r);
			fclose(f);
		}
	}
}

/* The size of run @i's inputs in bytes (a folder counts 0), for progress. */
static uint64_t batch_run_bytes(const struct batch *bt, uint32_t i)
{
	const struct rl_batch_run *run = &bt->b.runs[i];
	uint64_t sum = 0;
	struct stat st;
	uint32_t k;

	for (k = 0; k < run->n; k++)
		if (!stat(run->paths[k], &st) && S_ISREG(st.st_mode))
			sum += (uint64_t)st.st_size;
	return sum;
}

/*
 * The order runs are read and merged in: rl_db_merge()'s, by run_id, name
 * and input, where OUTDIR's old database (the unchanged runs) is the first
 * input and the per-run databases follow in run order.
 */
static int batch_order_cmp(const void *a, const void *b, void *arg)
{
	const struct batch *bt = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(bt->ids[x], bt->ids[y]);

	if (!c)
		c = strcmp(bt->b.runs[x].name, bt->b.runs[y].name);
	if (!c)
		c = (bt->status[y] == BATCH_SKIPPED) - (bt->status[x] == BATCH_SKIPPED);
	return c ? c : (x > y) - (x < y);
}

/* Merge an error into the state of the merge: the output is given up. */
static void batch_merge_fail(struct batch *bt, const struct rl_err *err)
{
	if (err)
		rl_print_err(err);
	rl_db_merger_close(bt->merger, 0, NULL);
	bt->merger = NULL;
	if (bt->out.tmp)
		rl_out_abort(&bt->out);
	bt->mfail = RL_EXIT_DATA;
}

/*
 * Merge the next run in order into OUTDIR/rtlens.db if it is done (left
 * out if it failed, or is another copy of the run before it).
 * Return: 1 if a run was taken, 0 if the next one is not done.
 */
static int batch_merge_next(struct batch *bt)
{
	char path[PATH_MAX + 32];
	struct rl_err err;
	uint32_t i;

	if (bt->front >= bt->norder || !bt->done[bt->order[bt->front]])
		return 0;
	i = bt->order[bt->front++];
	if (bt->mfail || (bt->status[i] && bt->status[i] != BATCH_SKIPPED) ||
	    !strcmp(bt->ids[i], bt->last))
		return 1;
	rl_err_init(&err);
	if (!bt->merger) {
		snprintf(path, sizeof(path), "%s/rtlens.db", bt->outdir);
		if (rl_out_open(&bt->out, path)) {
			batch_merge_fail(bt, NULL);
			return 1;
		}
		bt->merger = rl_db_merger_open(bt->out.tmp, bt->mthreads, &err);
		if (!bt->merger) {
			batch_merge_fail(bt, &err);
			return 1;
		}
	}
	if (bt->status[i] == BATCH_SKIPPED)
		snprintf(path, sizeof(path), "%s", bt->old);
	else
		batch_path(path, sizeof(path), bt, i, "db");
	if (rl_db_merger_add(bt->merger, path, bt->ids[i], &err) < 0) {
		batch_merge_fail(bt, &err);
		return 1;
	}
	memcpy(bt->last, bt->ids[i], sizeof(bt->last));
	return 1;
}

/* OUTDIR/rtlens.db finished (an empty database when no run was merged). Return: exit code. */
static int batch_merge_end(struct batch *bt)
{
	char path[PATH_MAX + 32];
	struct rl_err err;
	int r;

	if (bt->mfail)
		return bt->mfail;
	rl_err_init(&err);
	if (!bt->merger) {
		struct rl_db *db;

		snprintf(path, sizeof(path), "%s/rtlens.db", bt->outdir);
		r = rl_out_open(&bt->out, path);
		if (r)
			return r;
		db = rl_db_open(bt->out.tmp, 1, &err); /* empty: nothing to sort */
		if (!db || rl_db_close(db, 1, &err) < 0) {
			batch_merge_fail(bt, &err);
			return bt->mfail;
		}
	} else {
		r = rl_db_merger_close(bt->merger, 1, &err);
		bt->merger = NULL;
		if (r < 0) {
			batch_merge_fail(bt, &err);
			return bt->mfail;
		}
	}
	return rl_out_commit(&bt->out);
}

/* Reap a child (@flags: WNOHANG or 0). Return: 1 if one ended, else 0. */
static int batch_reap(struct batch *bt, struct batch_slot *slot, int jobs, int flags)
{
	struct timespec now;
	uint32_t i;
	int ws, k;
	pid_t pid = waitpid(-1, &ws, flags);

	if (pid <= 0)
		return 0;
	for (k = 0; k < jobs && slot[k].pid != pid; k++)
		;
	if (k == jobs)
		return 1;
	i = slot[k].run;
	slot[k].pid = 0;
	if (slot[k].exporting) {
		bt->xstate[i] = BATCH_X_DONE;
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	bt->secs[i] = (double)(now.tv_sec - slot[k].start.tv_sec) +
		      (now.tv_nsec - slot[k].start.tv_nsec) * 1e-9;
	bt->status[i] = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	bt->done[i] = 1;
	if (!bt->status[i] && bt->defer)
		bt->xstate[i] = BATCH_X_TODO;
	bt->pbytes += batch_run_bytes(bt, i);
	return 1;
}

/* Start a child in a free slot: reading run @i, or writing its folder. Return: 0 or -1. */
static int batch_start(struct batch *bt, struct batch_slot *slot, int jobs, uint32_t i,
		       int exporting)
{
	pid_t pid;
	int k;

	for (k = 0; k < jobs && slot[k].pid; k++)
		;
	if (k == jobs)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: error: cannot start a process: %s\n", rl_prog,
			strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (!exporting)
			batch_child(bt, i);
		batch_export_one(bt, i);
		_exit(0);
	}
	slot[k].pid = pid;
	slot[k].run = i;
	slot[k].exporting = exporting;
	clock_gettime(CLOCK_MONOTONIC, &slot[k].start);
	return 0;
}

/* The next run whose folder is to be written, or UINT32_MAX. */
static uint32_t batch_next_export(const struct batch *bt)
{
	uint32_t i;

	for (i = 0; i < bt->b.n; i++)
		if (bt->xstate[i] == BATCH_X_TODO)
			return i;
	return UINT32_MAX;
}

/*
 * The end: the folders not written yet by @nw processes (each every nw-th
 * of them, one after the other) while this one builds OUTDIR/rtlens.db's
 * indexes (batch_merge_end()), the larger serial part; with -j 1 before
 * it. A folder that cannot be written fails its run (it is in the
 * database, its folder is removed). Return: batch_merge_end()'s code.
 */
static int batch_finish(struct batch *bt, int jobs)
{
	uint32_t n = bt->b.n, i, c, nw = jobs > 1 ? (uint32_t)jobs - 1 : 1, todo = 0;
	char path[PATH_MAX + 32];
	int r, ws;

	for (i = 0; i < n; i++)
		todo += bt->xstate[i] == BATCH_X_TODO;
	for (c = 0; c < nw && c < todo; c++) {
		pid_t pid;

		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "%s: error: cannot start a process: %s\n", rl_prog,
				strerror(errno));
			break;
		}
		if (pid == 0) {
			uint32_t k = 0;

			for (i = 0; i < n; i++)
				if (bt->xstate[i] == BATCH_X_TODO && k++ % nw == c)
					batch_export_one(bt, i);
			_exit(0);
		}
	}
	/* the k-th folder to write is process k % nw's; those of processes not started are not */
	for (todo = 0, i = 0; i < n; i++)
		if (bt->xstate[i] == BATCH_X_TODO)
			bt->xstate[i] = todo++ % nw < c ? BATCH_X_STARTED : BATCH_X_NONE;
	if (jobs == 1)
		while (wait(&ws) > 0 || errno == EINTR)
			;
	r = batch_merge_end(bt);
	while (wait(&ws) > 0 || errno == EINTR)
		;
	for (i = 0; i < n; i++) {
		FILE *f;
		int code = 0;

		if (bt->xstate[i] == BATCH_X_STARTED || bt->xstate[i] == BATCH_X_DONE) {
			batch_path(path, sizeof(path), bt, i, "xf");
			f = fopen(path, "r");
			if (f) {
				code = fscanf(f, "%d", &code) == 1 && code > 0 ? code
									       : RL_EXIT_DATA;
				fclose(f);
			}
		} else if (bt->xstate[i] != BATCH_X_NONE || (!bt->status[i] && bt->defer)) {
			code = RL_EXIT_DATA; /* never written */
		}
		if (code && !bt->status[i])
			bt->status[i] = code;
	}
	return r;
}

/*
 * Read every run not known yet in merge order, merging each as soon as it
 * and the runs before it are done, at most @jobs processes at work (the
 * merge counted); a process free when no run is left to read writes a run's
 * folder. Then batch_finish(). Return: 0 or an exit code.
 */
static int batch_read(struct batch *bt, int jobs, int tty)
{
	struct batch_slot *slot = calloc((size_t)jobs, sizeof(*slot));
	uint32_t next = 0, n = bt->b.n, i, ndone;
	uint64_t total = 0;
	int running, reading, k, r;

	bt->order = calloc(n + 1, sizeof(*bt->order));
	bt->xstate = calloc(n + 1, sizeof(*bt->xstate));
	if (!slot || !bt->order || !bt->xstate) {
		free(slot);
		batch_merge_fail(bt, NULL);
		return RL_EXIT_DATA;
	}
	for (i = 0; i < n; i++)
		if (!bt->done[i] || bt->status[i] == BATCH_SKIPPED)
			bt->order[bt->norder++] = i;
	qsort_r(bt->order, bt->norder, sizeof(*bt->order), batch_order_cmp, bt);
	for (i = 0; tty && i < n; i++)
		total += batch_run_bytes(bt, i);
	if (tty)
		rl_progress_begin(total);
	for (;;) {
		for (running = 0, reading = 0, k = 0; k < jobs; k++) {
			running += slot[k].pid != 0;
			reading += slot[k].pid && !slot[k].exporting;
		}
		/*
		 * Merging is one of the -j processes at work: the next run in
		 * order merged when a process is free (before more are
		 * read), so that -j 1 reads and merges one run at a time.
		 */
		if (running < jobs && batch_merge_next(bt)) {
			while (batch_reap(bt, slot, jobs, WNOHANG))
				;
			continue;
		}
		while (running < jobs && next < bt->norder) {
			i = bt->order[next++];
			if (bt->done[i])
				continue;
			if (batch_start(bt, slot, jobs, i, 0) < 0) {
				bt->status[i] = RL_EXIT_DATA;
				bt->done[i] = 1;
				continue;
			}
			running++, reading++;
		}
		/* nothing left to read, runs still being read: a folder meanwhile */
		while (running < jobs && reading && (i = batch_next_export(bt)) != UINT32_MAX &&
		       !batch_start(bt, slot, jobs, i, 1)) {
			bt->xstate[i] = BATCH_X_STARTED;
			running++;
		}
		if (tty) {
			char what[256];

			for (ndone = 0, i = 0; i < n; i++)
				ndone += bt->done[i];
			snprintf(what, sizeof(what), "batch %u/%u runs, %s", ndone, n,
				 next ? bt->b.runs[bt->order[next - 1]].name : "-");
			rl_progress_show(bt->pbytes, 0, NULL, what);
		}
		if (!reading && next >= bt->norder && bt->front >= bt->norder)
			break;
		if (!running)
			break;
		if (!batch_reap(bt, slot, jobs, 0) && errno != EINTR)
			break;
	}
	for (i = 0; i < n; i++)
		if (!bt->done[i])
			bt->status[i] = RL_EXIT_DATA, bt->done[i] = 1;
	if (tty)
		rl_progress_end();
	/* the folders being written are waited for by batch_finish() */
	free(slot);
	r = batch_finish(bt, jobs);
	return r;
}

/* Print what run @i said on stderr (unless -q) and why it failed. */
static void batch_report(const struct batch *bt, uint32_t i)
{
	char path[PATH_MAX + 32], buf[4096];
	size_t got;
	FILE *f;

	batch_path(path, sizeof(path), bt, i, "err");
	f = fopen(path, "r");
	if (f) {
		while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
			if (!rl_quiet || (bt->status[i] && bt->status[i] != BATCH_SKIPPED))
				fwrite(buf, 1, got, stderr);
		fclose(f);
	}
	if (bt->status[i] && bt->status[i] != BATCH_SKIPPED)
		fprintf(stderr, "%s: run %s: failed (exit status %d)\n", rl_prog,
			bt->b.runs[i].name, bt->status[i]);
}

/*
 * The per-run files of OUTDIR/runs/NAME/, and the tables (run_id first,
 * rowid order: rl_db_write_table_csv()) or queries that fill them.
 */
static const char *const batch_run_files[][3] = {
	{"jobs.csv", "job", NULL},
	{"linux-jobs.csv", "linux_job", NULL},
	{"tasks.csv", NULL, "SELECT * FROM task_summary"},
	{"overheads.csv", "overhead_stats", NULL},
};
#define BATCH_NFILES (sizeof(batch_run_files) / sizeof(batch_run_files[0]))

/* OUTDIR/runs/NAME/ of run @i from its own database. Return: exit code. */
static int batch_run_dir(const struct batch *bt, uint32_t i)
{
	char dir[2 * PATH_MAX], file[2 * PATH_MAX + 32], db[PATH_MAX + 32];
	struct rl_outfile out = {0};
	struct rl_err err;
	size_t k;
	int r = 0;

	snprintf(dir, sizeof(dir), "%s/runs/%s", bt->outdir, bt->b.runs[i].name);
	if (strstr(bt->b.runs[i].name, "..") || rl_mkdirs(dir, 1)) {
		fprintf(stderr, "%s: %s: error: cannot create the folder: %s\n", rl_prog, dir,
			strerror(errno));
		return RL_EXIT_DATA;
	}
	batch_path(db, sizeof(db), bt, i, "db");
	rl_err_init(&err);
	for (k = 0; k < BATCH_NFILES && !r; k++) {
		snprintf(file, sizeof(file), "%s/%s", dir, batch_run_files[k][0]);
		r = rl_out_open(&out, file);
		if (r)
			break;
		if ((batch_run_files[k][1]
			     ? rl_db_write_table_csv(db, batch_run_files[k][1], out.f, &err)
			     : rl_db_write_csv(db, batch_run_files[k][2], out.f, &err)) < 0) {
			rl_print_err(&err);
			rl_out_abort(&out);
			r = RL_EXIT_DATA;
			break;
		}
		r = rl_out_commit(&out);
	}
	return r;
}

/* Run subcommand @fn with @args (argv[0] included) as rtlens would; Return: its exit code. */
static int batch_call(int (*fn)(int, char **), char **args, int n)
{
	optind = 0; /* a fresh getopt_long() scan */
	return fn(n, args);
}

/* Whether the CSV file @path has a row after its header. */
static int batch_has_rows(const char *path)
{
	FILE *f = fopen(path, "r");
	int c, lines = 0;

	if (!f)
		return 0;
	while ((c = getc(f)) != EOF && lines < 2)
		lines += c == '\n';
	fclose(f);
	return lines >= 2;
}

/* Note @file (OUTDIR/runs/NAME/@base) of kind @kind in run @i's database. */
static int batch_note(const struct batch *bt, uint32_t i, const char *kind, const char *base)
{
	char db[PATH_MAX + 32], rel[2 * PATH_MAX];
	struct rl_err err;

	rl_err_init(&err);
	batch_path(db, sizeof(db), bt, i, "db");
	snprintf(rel, sizeof(rel), "runs/%s/%s", bt->b.runs[i].name, base);
	if (rl_db_add_run_file(db, kind, rel, &err) < 0) {
		rl_print_err(&err);
		return RL_EXIT_DATA;
	}
	return 0;
}

/* The CDF of overhead event @ev's samples (a line of rl_db_write_csv()) of run @i. */
static int batch_event_cdf(const struct batch *bt, uint32_t i, char *ev, const char *dir,
			   const char *db, char **args)
{
	char sql[256], csv[PATH_MAX + 64], out[3 * PATH_MAX], base[160], kind[160];
	struct rl_err err;
	size_t k;
	FILE *f;
	int r, n = 0;

	ev[strcspn(ev, "\r\n")] = 0;
	/* event names are SCHED, CXS, SEND_RESCHED+skew ...: anything else is left out */
	if (!*ev ||
	    strspn(ev, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-") !=
		    strlen(ev) ||
	    strlen(ev) > 100)
		return 0;
	snprintf(sql, sizeof(sql),
		 "SELECT value FROM overhead_sample WHERE event = '%s' AND status = 'kept' ORDER BY"
		 " rowid",
		 ev);
	batch_path(csv, sizeof(csv), bt, i, "samples");
	f = fopen(csv, "w");
	rl_err_init(&err);
	if (!f || rl_db_write_csv(db, sql, f, &err) < 0 || fclose(f)) {
		if (f)
			rl_print_err(&err);
		unlink(csv);
		return RL_EXIT_DATA;
	}
	snprintf(base, sizeof(base), "cdf-%.100s.png", ev);
	for (k = 0; base[k]; k++)
		if (base[k] == '+')
			base[k] = '_';
	snprintf(out, sizeof(out), "%s/%s", dir, base);
	args[n++] = (char *)"plot", args[n++] = (char *)"--label", args[n++] = ev;
	args[n++] = (char *)"-o", args[n++] = out, args[n++] = csv;
	r = batch_call(cmd_plot, args, n);
	unlink(csv);
	snprintf(kind, sizeof(kind), "cdf:%.100s", ev);
	return r ? r : batch_note(bt, i, kind, base);
}

/*
 * --plots: the run's schedule image and CDF plots into OUTDIR/runs/NAME/,
 * made by rtlens draw and rtlens plot, each noted in run_file. A run
 * without jobs (Feather-Trace only) gets no schedule; a run without samples
 * no CDFs. Return: an exit code.
 */
static int batch_run_plots(const struct batch *bt, uint32_t i)
{
	const struct rl_batch_run *run = &bt->b.runs[i];
	char dir[2 * PATH_MAX], out[2 * PATH_MAX + 64], in[2 * PATH_MAX + 64], db[PATH_MAX + 32];
	char **args = calloc(run->n + 16, sizeof(*args));
	struct rl_err err;
	int n, r = 0;
	size_t k;

	if (!args)
		return RL_EXIT_DATA;
	snprintf(dir, sizeof(dir), "%s/runs/%s", bt->outdir, run->name);
	snprintf(in, sizeof(in), "%s/jobs.csv", dir);
	if (batch_has_rows(in)) {
		snprintf(out, sizeof(out), "%s/schedule.png", dir);
		n = 0;
		args[n++] = (char *)"draw", args[n++] = (char *)"-o", args[n++] = out;
		for (k = 0; k < run->n; k++)
			args[n++] = run->paths[k];
		r = batch_call(cmd_draw, args, n);
		if (!r)
			r = batch_note(bt, i, "schedule", "schedule.png");
		snprintf(out, sizeof(out), "%s/response-cdf.png", dir);
		n = 0;
		args[n++] = (char *)"plot", args[n++] = (char *)"-c",
		args[n++] = (char *)"response";
		args[n++] = (char *)"--label", args[n++] = (char *)"response time (ms)";
		args[n++] = (char *)"--scale", args[n++] = (char *)"0.000001";
		args[n++] = (char *)"-o", args[n++] = out, args[n++] = in;
		if (!r)
			r = batch_call(cmd_plot, args, n);
		if (!r)
			r = batch_note(bt, i, "response-cdf", "response-cdf.png");
	}
	/* one CDF per overhead event of the run, from its samples */
	rl_err_init(&err);
	batch_path(db, sizeof(db), bt, i, "db");
	batch_path(in, sizeof(in), bt, i, "events");
	if (!r) {
		FILE *f = fopen(in, "w+");
		char line[128];

		if (!f || rl_db_write_csv(
				  db,
				  "SELECT DISTINCT event FROM overhead_sample WHERE status = 'kept'"
				  " ORDER BY event",
				  f, &err) < 0) {
			if (f)
				rl_print_err(&err);
			r = RL_EXIT_DATA;
		}
		if (f)
			rewind(f);
		/* the first line is the header */
		while (!r && f && fgets(line, sizeof(line), f))
			if (strcmp(line, "event\n"))
				r = batch_event_cdf(bt, i, line, dir, db, args);
		if (f)
			fclose(f);
		unlink(in);
	}
	free(args);
	return r;
}

/* Whether @rel (below OUTDIR/runs) is the folder of a run written or kept this time. */
static int batch_is_current(const struct batch *bt, const char *rel)
{
	uint32_t i;

	for (i = 0; i < bt->b.n; i++)
		if ((!bt->status[i] || bt->status[i] == BATCH_SKIPPED) &&
		    !strcmp(bt->b.runs[i].name, rel))
			return 1;
	return 0;
}

/*
 * Remove the per-run files below @dir (OUTDIR/runs/@rel) of runs no longer
 * in the trees (a run that failed this time loses its folder too), and the
 * folders left empty. Return: 1 if @dir is left empty.
 */
static int batch_prune(const struct batch *bt, const char *dir, const char *rel, int depth)
{
	char sub[2 * PATH_MAX], subrel[2 * PATH_MAX];
	struct dirent *de;
	int empty = 1, mine = !batch_is_current(bt, rel);
	struct stat st;
	DIR *d;

	if (depth > 64 || !(d = opendir(dir)))
		return 0;
	while ((de = readdir(d))) {
		size_t k;
		int ours = 0;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		snprintf(subrel, sizeof(subrel), "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		if (!lstat(sub, &st) && S_ISDIR(st.st_mode)) {
			if (batch_prune(bt, sub, subrel, depth + 1))
				rmdir(sub);
			else
				empty = 0;
			continue;
		}
		for (k = 0; k < BATCH_NFILES; k++)
			ours |= !strcmp(de->d_name, batch_run_files[k][0]);
		/* --plots' images */
		ours |= !strcmp(de->d_name, "schedule.png") ||
			!strcmp(de->d_name, "response-cdf.png") ||
			(!strncmp(de->d_name, "cdf-", 4) && strlen(de->d_name) > 8 &&
			 !strcmp(de->d_name + strlen(de->d_name) - 4, ".png"));
		if (ours && mine && *rel)
			unlink(sub);
		else
			empty = 0;
	}
	closedir(d);
	return empty;
}

/* OUTDIR/runs.csv: the run_summary view. Return: exit code. */
static int batch_csv(struct batch *bt)
{
	char db[PATH_MAX + 16], csv[PATH_MAX + 16];
	struct rl_outfile out = {0};
	struct rl_err err;
	int r;

	snprintf(db, sizeof(db), "%s/rtlens.db", bt->outdir);
	snprintf(csv, sizeof(csv), "%s/runs.csv", bt->outdir);
	r = rl_out_open(&out, csv);
	if (r)
		return r;
	rl_err_init(&err);
	if (rl_db_write_csv(db, "SELECT * FROM run_summary", out.f, &err) < 0) {
		rl_print_err(&err);
		rl_out_abort(&out);
		return RL_EXIT_DATA;
	}
	return rl_out_commit(&out);
}

/* Remove a work folder and what is in it. */
static void batch_rmwork(const char *work)
{
	struct dirent *de;
	char path[2 * PATH_MAX];
	DIR *d = opendir(work);

	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", work, de->d_name);
			unlink(path);
		}
	closedir(d);
	rmdir(work);
}

static void batch_clean(const struct batch *bt)
{
	batch_rmwork(bt->work);
}

/* Work folders an interrupted batch left in OUTDIR (one batch per OUTDIR at a time). */
static void batch_clean_stale(const char *outdir)
{
	struct dirent *de;
	char path[2 * PATH_MAX];
	DIR *d = opendir(outdir);

	if (!d)
		return;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, ".rltmp-work.", 12)) {
			snprintf(path, sizeof(path), "%s/%s", outdir, de->d_name);
			batch_rmwork(path);
		}
	closedir(d);
}

static int batch_list(const struct rl_batch *b, int files)
{
	uint32_t i;
	size_t k;

	for (i = 0; i < b->n; i++) {
		fputs(b->runs[i].name, stdout);
		for (k = 0; files && k < b->runs[i].n; k++)
			printf("\t%s", b->runs[i].paths[k]);
		putchar('\n');
	}
	return fflush(stdout) || ferror(stdout) ? RL_EXIT_DATA : RL_EXIT_OK;
}

static int batch_run(struct batch *bt, int jobs, int force)
{
	char path[PATH_MAX + 32];
	struct rl_err err;
	uint32_t i, nfail = 0, nskip = 0;
	int r, fd, tty = isatty(2) && !rl_quiet;
	struct stat st;

	if (mkdir(bt->outdir, 0777) && errno != EEXIST) {
		fprintf(stderr, "%s: %s: error: cannot create the folder: %s\n", rl_prog,
			bt->outdir, strerror(errno));
		return RL_EXIT_DATA;
	}
	/* a marker: a tree walk that meets this folder leaves it out */
	snprintf(path, sizeof(path), "%s/.rtlens-batch", bt->outdir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: error: cannot write: %s\n", rl_prog, path,
			strerror(errno));
		return RL_EXIT_DATA;
	}
	close(fd);
	batch_clean_stale(bt->outdir);
	snprintf(bt->work, sizeof(bt->work), "%s/.rltmp-work.XXXXXX", bt->outdir);
	if (!mkdtemp(bt->work)) {
		fprintf(stderr, "%s: %s: error: cannot create a folder: %s\n", rl_prog, bt->work,
			strerror(errno));
		return RL_EXIT_DATA;
	}
	snprintf(bt->old, sizeof(bt->old), "%s/rtlens.db", bt->outdir);
	rl_err_init(&err);
	if (force || stat(bt->old, &st)) {
		bt->old[0] = 0;
	} else {
		r = rl_db_runs(bt->old, RL_VERSION, bt->opts, bt->nopts, batch_old_run, bt, &err);
		if (r < 0) {
			/* unreadable: read everything again and replace it */
			if (!rl_quiet)
				rl_print_err(&err);
			r = 0;
		}
		if (!r)
			bt->old[0] = 0, bt->nold = 0;
	}
	bt->defer = !bt->plots;
	r = batch_ids(bt, jobs);
	if (!r)
		r = batch_read(bt, jobs, tty);
	else
		batch_merge_fail(bt, NULL);
	for (i = 0; i < bt->b.n; i++) {
		batch_report(bt, i);
		if (bt->status[i] == BATCH_SKIPPED)
			nskip++;
		else if (bt->status[i])
			nfail++;
	}
	if (!r)
		r = batch_csv(bt);
	/* per-run folders: written by the runs read now (batch_child()), kept for the unchanged */
	if (!r) {
		snprintf(path, sizeof(path), "%s/runs", bt->outdir);
		batch_prune(bt, path, "", 0);
	}
	if (!r && bt->exps) {
		snprintf(path, sizeof(path), "%s/rtlens.db", bt->outdir);
		if (rl_db_export_exps(path, bt->exps, &err) < 0) {
			rl_print_err(&err);
			r = RL_EXIT_DATA;
		}
	}
	batch_clean(bt);
	if (!rl_quiet)
		fprintf(stderr,
			"%s batch: %u runs: %u read, %u unchanged, %u failed -> %s/rtlens.db\n",
			rl_prog, bt->b.n, bt->b.n - nskip - nfail, nskip, nfail, bt->outdir);
	return r ? r : nfail ? RL_EXIT_DATA : RL_EXIT_OK;
}

/* rtlens batch: options, then the run. (Over 100 lines: one case per option.) */
int cmd_batch(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"jobs", required_argument, NULL, 'j'},
		{"list", no_argument, NULL, 'L'},
		{"files", no_argument, NULL, 'F'},
		{"force", no_argument, NULL, 'f'},
		{"export", required_argument, NULL, 'E'},
		{"plots", no_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		RL_INPUT_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct rl_db_opt opts[RL_DB_NOPTS];
	struct rl_input_opts io = {0};
	struct batch bt;
	struct rl_err err;
	int cpus = rl_online_cpus();
	int opt, k, jobs = cpus, list = 0, files = 0, force = 0, r;
	size_t nopts = 0;
	uint32_t i;
	char *end;

	memset(&bt, 0, sizeof(bt));
	while ((opt = getopt_long(argc, argv, "o:j:hq", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			bt.outdir = optarg;
			break;
		case 'j':
			errno = 0;
			jobs = (int)strtol(optarg, &end, 10);
			if (errno || *end || jobs < 1 || jobs > 4096) {
				rl_usage_error("-j takes a number of processes from 1 to 4096, not "
					       "'%s'",
					       optarg);
				return RL_EXIT_USAGE;
			}
			break;
		case 'L':
			list = 1;
			break;
		case 'F':
			files = 1;
			break;
		case 'f':
			force = 1;
			break;
		case 'P':
			bt.plots = 1;
			/* the per-run files and run_file rows differ: runs read without it are read
			 * again */
			if (nopts < RL_DB_NOPTS)
				opts[nopts++] = (struct rl_db_opt){"plots", "1"};
			break;
		case 'E':
			if (strcmp(optarg, "exps-csv") || optind >= argc) {
				rl_usage_error(
					"--export takes a format and a folder: --export exps-csv "
					"DIR");
				return RL_EXIT_USAGE;
			}
			bt.exps = argv[optind++];
			break;
		case 'h':
			fputs(batch_help, stdout);
			return RL_EXIT_OK;
		default:
			k = rl_db_opt_input(opt, optarg, &io, opts, &nopts);
			if (k <= 0) {
				if (!k)
					rl_try_help("batch");
				return RL_EXIT_USAGE;
			}
		}
	}
	if (optind >= argc) {
		rl_usage_error("no experiment tree given (try --help)");
		return RL_EXIT_USAGE;
	}
	if (!list && (!bt.outdir || !strcmp(bt.outdir, "-"))) {
		rl_usage_error("batch needs -o OUTDIR (a folder)");
		return RL_EXIT_USAGE;
	}
	rl_err_init(&err);
	if (rl_batch_find(&bt.b, argv + optind, (size_t)(argc - optind), &err) < 0) {
		rl_print_err(&err);
		rl_batch_release(&bt.b);
		return RL_EXIT_DATA;
	}
	for (i = 0; i < bt.b.norphans && !rl_quiet; i++)
		fprintf(stderr,
			"%s: %s: warning: belongs to no run (not named key=value as the "
			"other files of its folder); left out\n",
			rl_prog, bt.b.orphans[i]);
	if (list) {
		r = batch_list(&bt.b, files);
		rl_batch_release(&bt.b);
		return r;
	}
	if (!bt.b.n && !rl_quiet)
		fprintf(stderr, "%s: warning: no runs found\n", rl_prog);
	bt.io = &io;
	bt.opts = opts;
	bt.nopts = nopts;
	bt.status = calloc(bt.b.n + 1, sizeof(*bt.status));
	bt.ids = calloc(bt.b.n + 1, sizeof(*bt.ids));
	bt.secs = calloc(bt.b.n + 1, sizeof(*bt.secs));
	bt.done = calloc(bt.b.n + 1, sizeof(*bt.done));
	if (!bt.status || !bt.ids || !bt.secs || !bt.done) {
		fprintf(stderr, "%s: error: out of memory\n", rl_prog);
		r = RL_EXIT_DATA;
	} else {
		bt.threads = cpus / jobs > 1 ? cpus / jobs : 1;
		bt.mthreads = rl_db_sorter_threads(cpus);
		r = batch_run(&bt, jobs, force);
	}
	for (i = 0; i < bt.nold; i++)
		free(bt.old_names[i]);
	free(bt.old_names);
	free(bt.old_ids);
	free(bt.status);
	free(bt.ids);
	free(bt.secs);
	free(bt.done);
	free(bt.order);
	free(bt.xstate);
	rl_batch_release(&bt.b);
	return r;
}
