/*
 * bench/sqlite-floor.c - what SQLite itself costs for rtlens db's rows.
 *
 * sqlite-floor DB N [full]: N rows of the job table's shape (19 columns,
 * two of them text) inserted into an empty STRICT table, through one
 * prepared 64-row INSERT, in one transaction, with rtlens db's PRAGMAs;
 * with "full" also, per job, a row of st_job_stats_row's shape (13
 * integers) and of sched_slice's (7 columns), and the two indexes rtlens
 * db builds at the end. No trace is read: the values are made up. Prints
 * seconds and job rows per second, the ceiling for rtlens db on this
 * machine and this SQLite.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 64

static sqlite3 *h;

static void die(const char *what)
{
	fprintf(stderr, "sqlite-floor: %s: %s\n", what, sqlite3_errmsg(h));
	exit(1);
}

static sqlite3_stmt *prep(const char *table, int ncols)
{
	size_t cap = (size_t)BATCH * (size_t)ncols * 4 + 256, len;
	char *sql = malloc(cap);
	sqlite3_stmt *st;
	int r, c;

	if (!sql)
		exit(1);
	len = (size_t)snprintf(sql, cap, "INSERT INTO %s VALUES", table);
	for (r = 0; r < BATCH; r++) {
		len += (size_t)snprintf(sql + len, cap - len, "%s(?", r ? "," : "");
		for (c = 1; c < ncols; c++)
			len += (size_t)snprintf(sql + len, cap - len, ",?");
		len += (size_t)snprintf(sql + len, cap - len, ")");
	}
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		die("prepare");
	free(sql);
	return st;
}

static void step(sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die("insert");
	sqlite3_reset(st);
}

int main(int argc, char **argv)
{
	sqlite3_stmt *job, *stjs = NULL, *slice = NULL;
	struct timespec t0, t1;
	long long n, i;
	int full, k, r;
	double s;

	if (argc < 3 || (n = atoll(argv[2])) < 1) {
		fprintf(stderr, "usage: sqlite-floor DB N [full]\n");
		return 2;
	}
	full = argc > 3 && !strcmp(argv[3], "full");
	n -= n % BATCH;
	remove(argv[1]);
	if (sqlite3_open(argv[1], &h) != SQLITE_OK)
		die("open");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sqlite3_exec(
		    h,
		    "PRAGMA page_size=16384; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
		    " PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-32768; PRAGMA threads=2;"
		    " BEGIN;"
		    " CREATE TABLE job(run INTEGER NOT NULL, task_id INTEGER NOT NULL, pid INTEGER"
		    " NOT NULL, job INTEGER NOT NULL, release INTEGER, deadline INTEGER, completion"
		    " INTEGER, first_start INTEGER, response INTEGER, lateness INTEGER, tardiness"
		    " INTEGER, dl_miss INTEGER, exec INTEGER, preemptions INTEGER NOT NULL,"
		    " migrations INTEGER NOT NULL, suspensions INTEGER NOT NULL, susp_time INTEGER,"
		    " status TEXT NOT NULL, flags TEXT NOT NULL) STRICT;"
		    " CREATE TABLE st(run INTEGER NOT NULL, task INTEGER NOT NULL, job INTEGER NOT"
		    " NULL, period INTEGER NOT NULL, response INTEGER NOT NULL, dl_miss INTEGER NOT"
		    " NULL, lateness INTEGER NOT NULL, tardiness INTEGER NOT NULL, forced INTEGER"
		    " NOT NULL, acet INTEGER NOT NULL, preemptions INTEGER NOT NULL, migrations"
		    " INTEGER NOT NULL, ord INTEGER NOT NULL) STRICT;"
		    " CREATE TABLE slice(run INTEGER NOT NULL, ts INTEGER NOT NULL, dur INTEGER,"
		    " cpu INTEGER NOT NULL, task_id INTEGER NOT NULL, pid INTEGER NOT NULL,"
		    " end_state TEXT NOT NULL) STRICT;",
		    NULL, NULL, NULL) != SQLITE_OK)
		die("schema");
	job = prep("job", 19);
	if (full)
		stjs = prep("st", 13), slice = prep("slice", 7);
	for (i = 0; i < n; i += BATCH) {
		for (r = 0; r < BATCH; r++) {
			long long j = i + r, task = j % 100, rel = 1000000000000LL + j * 4000000,
				  resp = 80000 + j % 50000;
			long long v[17] = {
				1,	    task,	   1000 + task, j / 100 + 1, rel, rel + 1e7,
				rel + resp, rel + j % 900, resp,	resp - 1e7,  0,	  0,
				resp - 3,   j % 3,	   j % 2,	0,	     0};

			for (k = 0; k < 17; k++)
				sqlite3_bind_int64(job, r * 19 + k + 1, v[k]);
			sqlite3_bind_text(job, r * 19 + 18, "complete", -1, SQLITE_STATIC);
			sqlite3_bind_text(job, r * 19 + 19, "", -1, SQLITE_STATIC);
			if (!full)
				continue;
			for (k = 0; k < 13; k++)
				sqlite3_bind_int64(stjs, r * 13 + k + 1,
						   k < 4     ? v[k]
						   : k == 12 ? task
							     : v[k + 4]);
			for (k = 0; k < 6; k++)
				sqlite3_bind_int64(slice, r * 7 + k + 1,
						   (long long[]){1, rel, resp, task % 4, task,
								 1000 + task}[k]);
			sqlite3_bind_text(slice, r * 7 + 7, "completed", -1, SQLITE_STATIC);
		}
		step(job);
		if (full)
			step(stjs), step(slice);
	}
	if (full && sqlite3_exec(h,
				 "CREATE INDEX job_task ON job(task_id, job, run);"
				 " CREATE INDEX slice_cpu ON slice(cpu, ts, run);",
				 NULL, NULL, NULL) != SQLITE_OK)
		die("index");
	if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("commit");
	sqlite3_finalize(job);
	sqlite3_finalize(stjs);
	sqlite3_finalize(slice);
	sqlite3_close(h);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.2f %.3f\n", s, (double)n / s / 1e6);
	remove(argv[1]);
	return 0;
}
