/*
 * stats/export.c - one run into an SQLite database (`rtlens db`).
 *
 * The only file that includes sqlite3.h (STYLE.md 3.1). Tables are STRICT,
 * times integer ns with NULL for unknown, rows written in one transaction
 * through prepared statements, indexes built at the end. The file is
 * deterministic: fixed page size, no journal, no wall-clock time, rows in
 * the order the analysis produces them.
 *
 * run_id: Debian's libraries that rtlens already links offer no SHA-256, so
 * a run is identified by 64-bit FNV-1a (offset basis 0xcbf29ce484222325,
 * prime 0x100000001b3): each input's bytes (decompressed, as the readers
 * see them) are hashed, and run_id is the FNV-1a of those 8-byte hashes
 * (little endian) sorted ascending, as 16 hex digits: the same files give
 * the same id whatever their paths and order. A directory input (CTF) is
 * hashed as the relative path and bytes of each file below it, in name
 * order. It tells runs apart; it is not a cryptographic digest.
 */
#include "stats.h"
#include "../readers/readers.h"
#include "../skew/skew.h"
#include "../readers/cyclictest.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DB_SCHEMA_VERSION 5
/* PRAGMA application_id: "RTLN" */
#define DB_APP_ID 0x52544c4e

/* overhead_stats has one discard_<reason> column per enum rl_discard value */
_Static_assert(RL_DISCARD_N == 10, "overhead_stats' discard columns");

static const char db_schema[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) STRICT;"
	"CREATE TABLE run(run INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE, name TEXT,"
	" nfiles INTEGER NOT NULL,"
	" format TEXT, family TEXT) STRICT;"
	"CREATE TABLE run_param(run INTEGER NOT NULL, key TEXT NOT NULL, value TEXT, typed ANY,"
	" origin TEXT NOT NULL, UNIQUE(run, key, origin)) STRICT;"
	"CREATE TABLE source_file(run INTEGER NOT NULL, idx INTEGER NOT NULL, path TEXT NOT NULL,"
	" size INTEGER NOT NULL, sha256 TEXT, fnv1a64 TEXT NOT NULL, format TEXT, cpu INTEGER,"
	" records INTEGER) STRICT;"
	"CREATE TABLE cpu(run INTEGER NOT NULL, cpu INTEGER NOT NULL, files INTEGER NOT NULL,"
	" records INTEGER NOT NULL) STRICT;"
	"CREATE TABLE task(run INTEGER NOT NULL, task_id INTEGER NOT NULL, pid INTEGER NOT NULL,"
	" name TEXT, wcet INTEGER, period INTEGER, deadline INTEGER, phase INTEGER,"
	" kind TEXT NOT NULL, partition INTEGER, prio INTEGER) STRICT;"
	"CREATE TABLE job(run INTEGER NOT NULL, task_id INTEGER NOT NULL, pid INTEGER NOT NULL,"
	" job INTEGER NOT NULL, release INTEGER, deadline INTEGER, completion INTEGER,"
	" first_start INTEGER, response INTEGER, lateness INTEGER, tardiness INTEGER,"
	" dl_miss INTEGER, exec INTEGER, preemptions INTEGER NOT NULL,"
	" migrations INTEGER NOT NULL, suspensions INTEGER NOT NULL, susp_time INTEGER,"
	" status TEXT NOT NULL, flags TEXT NOT NULL) STRICT;"
	"CREATE TABLE linux_job(run INTEGER NOT NULL, task_id INTEGER NOT NULL,"
	" pid INTEGER NOT NULL, job INTEGER NOT NULL, activation INTEGER, start INTEGER,"
	" end INTEGER, response INTEGER, sched_latency INTEGER, exec INTEGER,"
	" preemptions INTEGER NOT NULL, migrations INTEGER NOT NULL, cpu INTEGER NOT NULL,"
	" prio INTEGER, status TEXT NOT NULL) STRICT;"
	"CREATE TABLE sched_slice(run INTEGER NOT NULL, ts INTEGER NOT NULL, dur INTEGER,"
	" cpu INTEGER NOT NULL, task_id INTEGER NOT NULL, pid INTEGER NOT NULL,"
	" end_state TEXT NOT NULL) STRICT;"
	"CREATE TABLE lost_range(run INTEGER NOT NULL, kind TEXT NOT NULL, source TEXT,"
	" offset INTEGER, message TEXT NOT NULL) STRICT;"
	"CREATE TABLE anomaly(run INTEGER NOT NULL, kind TEXT NOT NULL, source TEXT,"
	" offset INTEGER, message TEXT NOT NULL) STRICT;"
	"CREATE TABLE stats(run INTEGER NOT NULL, name TEXT NOT NULL, idx INTEGER,"
	" severity TEXT NOT NULL, source TEXT NOT NULL, value INTEGER NOT NULL) STRICT;"
	"CREATE TABLE st_job_stats_row(run INTEGER NOT NULL, task INTEGER NOT NULL,"
	" job INTEGER NOT NULL, period INTEGER NOT NULL, response INTEGER NOT NULL,"
	" dl_miss INTEGER NOT NULL, lateness INTEGER NOT NULL, tardiness INTEGER NOT NULL,"
	" forced INTEGER NOT NULL, acet INTEGER NOT NULL, preemptions INTEGER NOT NULL,"
	" migrations INTEGER NOT NULL, ord INTEGER NOT NULL) STRICT;"
	"CREATE TABLE st_job_stats_task(run INTEGER NOT NULL, ord INTEGER NOT NULL,"
	" pid INTEGER NOT NULL, name TEXT NOT NULL, cost INTEGER NOT NULL,"
	" period INTEGER NOT NULL, cpu INTEGER NOT NULL) STRICT;"
	"CREATE TABLE task_summary_row(run INTEGER NOT NULL, pid INTEGER NOT NULL, name TEXT,"
	" wcet INTEGER, period INTEGER, jobs INTEGER, completed INTEGER, incomplete INTEGER,"
	" dl_misses INTEGER, miss_ratio REAL, resp_min INTEGER, resp_mean INTEGER,"
	" resp_p50 INTEGER, resp_p99 INTEGER, resp_max INTEGER, max_tardiness INTEGER,"
	" acet_mean INTEGER, acet_max INTEGER, preemptions INTEGER, migrations INTEGER) STRICT;"
	"CREATE TABLE overhead_stats(run INTEGER NOT NULL, grp TEXT NOT NULL, event TEXT NOT NULL,"
	" cpu INTEGER, unit TEXT NOT NULL, n INTEGER NOT NULL, min INTEGER, max INTEGER,"
	" mean REAL, median REAL, stddev REAL, var REAL, p90 REAL, p95 REAL, p99 REAL,"
	" p999 REAL, discard_irq INTEGER NOT NULL, discard_seq_hole INTEGER NOT NULL,"
	" discard_interleaved INTEGER NOT NULL, discard_non_rt INTEGER NOT NULL,"
	" discard_incomplete INTEGER NOT NULL, discard_cpu_filtered INTEGER NOT NULL,"
	" discard_negative INTEGER NOT NULL, discard_orphan_end INTEGER NOT NULL,"
	" discard_lost INTEGER NOT NULL, discard_no_switch_in INTEGER NOT NULL) STRICT;"
	"CREATE TABLE overhead_sample(run INTEGER NOT NULL, grp TEXT NOT NULL,"
	" event TEXT NOT NULL, cpu INTEGER, unit TEXT NOT NULL, idx INTEGER NOT NULL,"
	" value INTEGER, status TEXT NOT NULL) STRICT;"
	"CREATE TABLE histogram(run INTEGER NOT NULL, grp TEXT NOT NULL, event TEXT NOT NULL,"
	" cpu INTEGER, unit TEXT NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL,"
	" count INTEGER NOT NULL, cum REAL NOT NULL) STRICT;"
	"CREATE TABLE run_file(run INTEGER NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL)"
	" STRICT;"
	"CREATE TABLE job_totals(run INTEGER PRIMARY KEY, jobs INTEGER NOT NULL,"
	" misses INTEGER NOT NULL, miss_ratio REAL, max_tardiness INTEGER, mean_tardiness REAL,"
	" max_response INTEGER, mean_response REAL, linux_jobs INTEGER NOT NULL) STRICT;"
	"CREATE TABLE clock_offset(run INTEGER NOT NULL, cpu INTEGER NOT NULL, ref INTEGER NOT "
	"NULL,"
	" offset INTEGER, uncert INTEGER, lo INTEGER, hi INTEGER, unit TEXT NOT NULL,"
	" quality TEXT NOT NULL, pairs INTEGER NOT NULL, method TEXT NOT NULL) STRICT;"
	/* the views give run_id, the text, where the tables hold the run's key */
	"CREATE VIEW st_job_stats AS SELECT"
	" (SELECT run_id FROM run r WHERE r.run = s.run) AS run_id,"
	" task, job, period, response, dl_miss, lateness, tardiness, forced, acet, preemptions,"
	" migrations FROM st_job_stats_row s ORDER BY s.rowid;"
	/* st-job-stats' text, line by line: header, then each task line and its rows */
	"CREATE VIEW st_job_stats_text AS SELECT (SELECT run_id FROM run r WHERE r.run = x.run)"
	" AS run_id, line FROM ("
	"SELECT run, -1 AS ord, 0 AS sub, '# Task,   Job,     Period,   Response, DL Miss?,"
	"   Lateness,  Tardiness, Forced?,       ACET,  Preemptions,   Migrations' AS line"
	" FROM run WHERE family = 'litmus'"
	" UNION ALL SELECT run, ord, 0, format('# task NAME=%s PID=%d COST=%d PERIOD=%d"
	" CPU=%d', name, pid, cost, period, cpu) FROM st_job_stats_task"
	" UNION ALL SELECT run, ord, rowid, format(' %5d, %5d, %10d, %10llu, %8d, %10lld,"
	" %10lld, %7d, %10llu, %12d, %12d', task, job, period, response, dl_miss, lateness,"
	" tardiness, forced, acet, preemptions, migrations) FROM st_job_stats_row) x"
	" ORDER BY x.run, x.ord, x.sub;"
	"CREATE VIEW task_summary AS SELECT"
	" (SELECT run_id FROM run r WHERE r.run = s.run) AS run_id,"
	" pid, name, wcet, period, jobs, completed, incomplete, dl_misses, miss_ratio, resp_min,"
	" resp_mean, resp_p50, resp_p99, resp_max, max_tardiness, acet_mean, acet_max, preemptions,"
	" migrations FROM task_summary_row s ORDER BY s.rowid;";

/*
 * The run's key comes last in each index: SQLite's sorter compares the
 * first column with a fast integer (or text) path and falls back to a full
 * record compare on ties only, and the key ties on every row of a run
 * (callgrind, CREATE INDEX over 100 k jobs with the key as run_id text:
 * 699 M instructions with it first, 347 M last). Lookups by run and task
 * or cpu still use the index (run is checked in the index, not the table).
 */
static const char db_indexes[] = "CREATE INDEX job_task ON job(task_id, job, run);"
				 "CREATE INDEX linux_job_task ON linux_job(task_id, job, run);"
				 "CREATE INDEX task_pid ON task(pid, run);"
				 "CREATE INDEX sched_slice_cpu ON sched_slice(cpu, ts, run);"
				 "CREATE INDEX source_file_run ON source_file(run, idx);"
				 "CREATE INDEX overhead_sample_series ON"
				 " overhead_sample(event, grp, cpu, value, run);";

/*
 * The tables in the order a merge copies them (every one has the run's
 * key, run, as its first column); meta has none: it must be the same in
 * every input.
 */
static const char *const db_tables[] = {
	"run",
	"run_param",
	"source_file",
	"cpu",
	"task",
	"job",
	"linux_job",
	"sched_slice",
	"lost_range",
	"anomaly",
	"stats",
	"st_job_stats_row",
	"st_job_stats_task",
	"task_summary_row",
	"overhead_stats",
	"overhead_sample",
	"histogram",
	"clock_offset",
	"job_totals",
	"run_file",
};

#define DB_BATCH 64
#define DB_BATCH_TEXT 256

struct db_batch {
	sqlite3_stmt *one, *many;
	struct db_val *v; /* DB_BATCH x ncols */
	char *text;	  /* DB_BATCH x DB_BATCH_TEXT: copies of per-row strings */
	int ncols, n;
};

/* A scheduling slice: @task on a CPU from @start to @end (RL_TIME_UNKNOWN: still on). */
struct db_slice {
	int64_t start, end;
	const char *state;
	uint32_t task; /* RL_NO_TASK: none */
};

/* A CPU's running slice and its last ended one, which waits for its end state. */
struct db_cpu_run {
	struct db_slice cur, done;
};

struct rl_db {
	struct rl_sink slices; /* the sched_slice sink (rl_db_slice_sink()) */
	sqlite3 *h;
	struct db_batch job, lxjob, slice, sample, stjs; /* row batches (db_batch_init()) */
	sqlite3_stmt *hist;
	struct db_cpu_run *run; /* by cpu */
	uint32_t nrun, cap_run;
	uint8_t *ended; /* by task: 'c' completed, 'b' blocked since its switch-in, or 0 */
	uint32_t nended, cap_ended;
	uint64_t unmatched; /* switch-outs without the switch-in */
	const struct rl_trace *t;
	const struct rl_fileset *extra; /* inputs read apart (rl_db_run_begin()) */
	uint64_t *hash;			/* per input, in file set order, then @extra's */
	char (*sha)[65];		/* the same inputs' sha256, hex (rl_db_run_begin()) */
	size_t nhash, nmain;		/* hashes, those of the main file set */
	char run_id[17];
	int64_t key;			 /* the run's key (column run): 1, its one run */
	char params_path[PATH_MAX + 16]; /* the last params.py read (errors point at it) */
	uint64_t by_status[4];		 /* complete, no-completion, incomplete, lost */
	struct db_totals {
		uint64_t jobs, misses, nmiss, ntard, nresp, linux_jobs;
		int64_t max_tard, max_resp;
		double sum_tard, sum_resp; /* summed in row order, as SQLite's AVG() */
	} tot;
};

/* A value to bind: type 0 is NULL, 'I' integer, 'R' real, 'T' text. */
struct db_val {
	int type;
	union { /* 16 bytes a value: a batch's rows are cleared and bound 64 at a time */
		int64_t i;
		double d;
		const char *s;
	};
};

static const char *const db_warn_names[RL_W_NKINDS] = {
	"unknown_type", "truncated", "garbage", "cpu_mismatch", "unordered", "lost", "job", "other",
};

static int db_fail(struct rl_db *db, struct rl_err *err, const char *what)
{
	rl_err_set(err, -RL_E_LIB, NULL, RL_OFF_NONE, "%s", what);
	rl_err_ctx(err, "sqlite: %s", db->h ? sqlite3_errmsg(db->h) : "cannot allocate");
	return err->code;
}

static int db_exec(struct rl_db *db, const char *sql, struct rl_err *err)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, "cannot write the database");
	return 0;
}

static int db_bind(sqlite3_stmt *st, int i, const struct db_val *v)
{
	switch (v->type) {
	case 'I':
		return sqlite3_bind_int64(st, i, v->i);
	case 'R':
		return sqlite3_bind_double(st, i, v->d);
	case 'T':
		/* static: every value outlives the step that follows its binding */
		if (v->s)
			return sqlite3_bind_text(st, i, v->s, -1, SQLITE_STATIC);
		/* fallthrough */
	default:
		return sqlite3_bind_null(st, i);
	}
}

/* Bind @n values to @st, step it and reset it. */
static int db_step(struct rl_db *db, sqlite3_stmt *st, const struct db_val *v, int n,
		   struct rl_err *err)
{
	int i, rc = SQLITE_OK;

	for (i = 0; i < n && rc == SQLITE_OK; i++)
		rc = db_bind(st, i + 1, &v[i]);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	/* every parameter is bound on each row (NULLs too): no clear_bindings */
	sqlite3_reset(st);
	return rc == SQLITE_OK ? 0 : db_fail(db, err, "cannot insert a row");
}

/* One row through a statement prepared for it. */
static int db_insert(struct rl_db *db, const char *sql, const struct db_val *v, int n,
		     struct rl_err *err)
{
	sqlite3_stmt *st;
	int r;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "cannot prepare a statement");
	r = db_step(db, st, v, n, err);
	sqlite3_finalize(st);
	return r;
}

static struct db_val db_i(int64_t v)
{
	return (struct db_val){.type = 'I', .i = v};
}

/* An integer, or NULL when it is @unknown. */
static struct db_val db_iu(int64_t v, int64_t unknown)
{
	return v == unknown ? (struct db_val){0} : db_i(v);
}

static struct db_val db_t(const char *s)
{
	return (struct db_val){.type = 'T', .s = s};
}

/* A growing string; a failed allocation is sticky (len = SIZE_MAX). */
struct db_str {
	char *s;
	size_t len, cap;
};

static void db_str_add(struct db_str *b, const char *s, size_t n)
{
	if (b->len == SIZE_MAX)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *ns;

		while (cap < b->len + n + 1)
			cap *= 2;
		ns = realloc(b->s, cap);
		if (!ns) {
			free(b->s);
			*b = (struct db_str){NULL, SIZE_MAX, 0};
			return;
		}
		b->s = ns, b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void db_str_put(struct db_str *b, const char *s)
{
	db_str_add(b, s, strlen(s));
}

/* @s as an SQL identifier ("..." with inner quotes doubled) or literal ('...'). */
static void db_str_quoted(struct db_str *b, const char *s, char q)
{
	db_str_add(b, &q, 1);
	for (; *s; s++) {
		db_str_add(b, s, 1);
		if (*s == q)
			db_str_add(b, s, 1);
	}
	db_str_add(b, &q, 1);
}

/*
 * Rows of one table inserted DB_BATCH at a time by a multi-row INSERT
 * (`VALUES (?,..), (?,..), ...`): one statement step per DB_BATCH rows
 * instead of one per row (callgrind: about a quarter fewer instructions
 * per row of the job table). Rows wait in @v (their text in @text) until
 * the batch is full or flushed; the rest goes through the one-row
 * statement, so the table's rows keep their order.
 */
/* Prepare @b for table @table of @ncols columns. Return: 0 or negative. */
static int db_batch_init(struct rl_db *db, struct db_batch *b, const char *table, int ncols,
			 struct rl_err *err)
{
	struct db_str q = {0};
	int i, k, rc = SQLITE_OK;

	memset(b, 0, sizeof(*b));
	b->ncols = ncols;
	b->v = calloc((size_t)DB_BATCH * (size_t)ncols, sizeof(*b->v));
	b->text = malloc((size_t)DB_BATCH * DB_BATCH_TEXT);
	for (k = 0; k < 2; k++) {
		int rows = k ? DB_BATCH : 1;

		q.len = q.s ? 0 : q.len;
		db_str_put(&q, "INSERT INTO ");
		db_str_put(&q, table);
		db_str_put(&q, " VALUES");
		for (i = 0; i < rows; i++) {
			int c;

			db_str_put(&q, i ? ", (?" : " (?");
			for (c = 1; c < ncols; c++)
				db_str_put(&q, ", ?");
			db_str_put(&q, ")");
		}
		if (q.len == SIZE_MAX || !b->v || !b->text)
			break;
		rc = sqlite3_prepare_v2(db->h, q.s, -1, k ? &b->many : &b->one, NULL);
		if (rc != SQLITE_OK)
			break;
	}
	free(q.s);
	if (q.len == SIZE_MAX || !b->v || !b->text)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	if (rc != SQLITE_OK)
		return db_fail(db, err, "cannot prepare a statement");
	return 0;
}

static void db_batch_release(struct db_batch *b)
{
	sqlite3_finalize(b->one);
	sqlite3_finalize(b->many);
	free(b->v);
	free(b->text);
	memset(b, 0, sizeof(*b));
}

/* The values of the next row (b->ncols of them, all NULL). */
static struct db_val *db_batch_row(struct db_batch *b)
{
	struct db_val *v = b->v + (size_t)b->n * (size_t)b->ncols;

	memset(v, 0, (size_t)b->ncols * sizeof(*v));
	return v;
}

/* @s copied for the next row (cut to DB_BATCH_TEXT - 1 bytes). */
static struct db_val db_batch_text(struct db_batch *b, const char *s)
{
	char *d = b->text + (size_t)b->n * DB_BATCH_TEXT;
	size_t n = strlen(s);

	if (n > DB_BATCH_TEXT - 1)
		n = DB_BATCH_TEXT - 1;
	memcpy(d, s, n);
	d[n] = 0;
	return (struct db_val){.type = 'T', .s = d};
}

/* The row of db_batch_row() is filled: write the batch when it is full. */
static int db_batch_add(struct rl_db *db, struct db_batch *b, struct rl_err *err)
{
	int i, n = DB_BATCH * b->ncols, rc = SQLITE_OK;

	if (++b->n < DB_BATCH)
		return 0;
	b->n = 0;
	for (i = 0; i < n && rc == SQLITE_OK; i++)
		rc = db_bind(b->many, i + 1, &b->v[i]);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(b->many) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_reset(b->many);
	return rc == SQLITE_OK ? 0 : db_fail(db, err, "cannot insert a row");
}

/* Write the rows waiting in @b. Return: 0 or negative. */
static int db_batch_flush(struct rl_db *db, struct db_batch *b, struct rl_err *err)
{
	int i, n = b->n, r = 0;

	b->n = 0;
	for (i = 0; i < n && !r; i++)
		r = db_step(db, b->one, b->v + (size_t)i * (size_t)b->ncols, b->ncols, err);
	return r;
}

/* Parameter columns of run_summary at most (the others are rows of run_param only). */
#define DB_SUMMARY_MAX_PARAMS 1000

/* The fixed columns of run_summary (parameter columns may not take these names). */
static const char *const db_summary_cols[] = {
	"run_id",	"name",		 "format",
	"family",	"jobs",		 "misses",
	"miss_ratio",	"max_tardiness", "mean_tardiness",
	"max_response", "mean_response", "linux_jobs",
	NULL,
};

/* Whether @name is already a column of the view (SQLite names ignore ASCII case). */
static int db_col_taken(const char *name, char **cols, size_t ncols)
{
	size_t i;

	for (i = 0; db_summary_cols[i]; i++)
		if (!strcasecmp(name, db_summary_cols[i]))
			return 1;
	for (i = 0; i < ncols; i++)
		if (!strcasecmp(name, cols[i]))
			return 1;
	return 0;
}

/*
 * run_summary: one row per run, its parameters pivoted into columns (one
 * per distinct run_param key in the file, a key given by several origins
 * taking params.py's value, then the folder's, then the file name's; typed:
 * integers and reals as numbers; the first DB_SUMMARY_MAX_PARAMS keys in
 * key order), then the job counts and, per overhead
 * event, its n, max and p99.9 over the run's groups (the event's raw unit).
 * The view is written from the data when the file is finished, so a merged
 * file has the columns of all its runs.
 */
static int db_summary_view(sqlite3 *h, struct rl_err *err)
{
	static const char prio[] = "CASE p.origin WHEN 'params.py' THEN 0 WHEN 'folder' THEN 1"
				   " ELSE 2 END";
	struct db_str b = {0};
	sqlite3_stmt *st = NULL;
	char **cols = NULL, base[300], name[320];
	size_t ncols = 0, i;
	uint32_t capc = 0;
	int r = 0, pass;

	db_str_put(&b, "DROP VIEW IF EXISTS run_summary; CREATE VIEW run_summary AS SELECT"
		       " r.run_id AS run_id, r.name AS name, r.format AS format,"
		       " r.family AS family");
	for (pass = 0; pass < 2 && !r; pass++) {
		const char *sql = pass ? "SELECT DISTINCT event FROM overhead_stats ORDER BY event"
				       : "SELECT DISTINCT key FROM run_param ORDER BY key";

		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
			r = -1;
			break;
		}
		if (pass)
			db_str_put(&b,
				   ", COALESCE(t.jobs, 0) AS jobs, COALESCE(t.misses, 0) AS misses,"
				   " t.miss_ratio AS miss_ratio, t.max_tardiness AS max_tardiness,"
				   " t.mean_tardiness AS mean_tardiness, t.max_response AS"
				   " max_response, t.mean_response AS mean_response,"
				   " COALESCE(t.linux_jobs, 0) AS linux_jobs");
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *k = (const char *)sqlite3_column_text(st, 0);
			static const char *const what[3] = {"n", "max", "p999"};
			static const char *const agg[3] = {"SUM(n)", "MAX(max)", "MAX(p999)"};
			int w;

			if (!k)
				continue;
			/* SQLite allows 2000 columns: parameters past the first 1000 stay rows */
			if (!pass && ncols >= DB_SUMMARY_MAX_PARAMS)
				break;
			for (w = 0; w < (pass ? 3 : 1); w++) {
				unsigned sfx = 2;

				snprintf(base, sizeof(base), "%s%s%s", k, pass ? "_" : "",
					 pass ? what[w] : "");
				snprintf(name, sizeof(name), "%s", base);
				while (db_col_taken(name, cols, ncols))
					snprintf(name, sizeof(name), "%s_%u", base, sfx++);
				if (rl_grow((void **)&cols, &capc, (uint32_t)ncols + 1,
					    sizeof(*cols)) ||
				    !(cols[ncols] = strdup(name))) {
					r = -2;
					break;
				}
				ncols++;
				db_str_put(&b, ", (SELECT ");
				if (pass) {
					db_str_put(&b, agg[w]);
					db_str_put(&b, " FROM overhead_stats o WHERE o.run ="
						       " r.run AND o.cpu IS NULL AND o.event = ");
					db_str_quoted(&b, k, '\'');
				} else {
					db_str_put(&b, "p.typed FROM run_param p WHERE p.run ="
						       " r.run AND p.key = ");
					db_str_quoted(&b, k, '\'');
					db_str_put(&b, " ORDER BY ");
					db_str_put(&b, prio);
					db_str_put(&b, " LIMIT 1");
				}
				db_str_put(&b, ") AS ");
				db_str_quoted(&b, name, '"');
			}
			if (r)
				break;
		}
		sqlite3_finalize(st);
	}
	db_str_put(&b, " FROM run r LEFT JOIN job_totals t ON t.run = r.run ORDER BY"
		       " r.run_id;");
	for (i = 0; i < ncols; i++)
		free(cols[i]);
	free(cols);
	if (!r && b.len == SIZE_MAX)
		r = -2;
	if (!r && sqlite3_exec(h, b.s, NULL, NULL, NULL) != SQLITE_OK)
		r = -1;
	free(b.s);
	if (r == -2)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	if (r) {
		rl_err_set(err, -RL_E_LIB, NULL, RL_OFF_NONE, "cannot write the run_summary view");
		rl_err_ctx(err, "sqlite: %s", sqlite3_errmsg(h));
		return err->code;
	}
	return 0;
}

/* The end of a file: the run_summary view, the indexes, the commit. */
static int db_finish_h(sqlite3 *h, struct rl_err *err)
{
	if (db_summary_view(h, err) < 0)
		return err->code;
	if (sqlite3_exec(h, db_indexes, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rl_err_set(err, -RL_E_LIB, NULL, RL_OFF_NONE, "cannot write the database");
		rl_err_ctx(err, "sqlite: %s", sqlite3_errmsg(h));
		return err->code;
	}
	return 0;
}

/* Write the rows waiting in the batches. Return: 0 or negative. */
static int db_flush(struct rl_db *db, struct rl_err *err)
{
	if (db_batch_flush(db, &db->job, err) || db_batch_flush(db, &db->lxjob, err) ||
	    db_batch_flush(db, &db->slice, err) || db_batch_flush(db, &db->sample, err) ||
	    db_batch_flush(db, &db->stjs, err))
		return err->code;
	return 0;
}

static int db_finish(struct rl_db *db, struct rl_err *err)
{
	if (db_flush(db, err) < 0)
		return err->code;
	return db_finish_h(db->h, err);
}

/**
 * rl_db_open() - create an empty rtlens database
 * @path:    where (an empty or absent file: the caller's temporary name)
 * @threads: helper threads SQLite's sorter may use for the index builds
 *           (the caller's choice; < 1: none). The bytes written do not
 *           depend on it.
 * @err:     error out
 *
 * Creates the tables and views and begins the transaction.
 *
 * Return: the database, or NULL with @err set.
 */
struct rl_db *rl_db_open(const char *path, int threads, struct rl_err *err)
{
	struct rl_db *db = calloc(1, sizeof(*db));
	char sql[256];

	if (!db) {
		rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
		return NULL;
	}
	db->key = 1;
	if (sqlite3_open_v2(path, &db->h,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		db_fail(db, err, "cannot create the database");
		err->path = path;
		goto fail;
	}
	/*
	 * threads: SQLite's sorter may sort the index builds at the end on
	 * helper threads. The indexes' bytes do not depend on it (sorted keys
	 * are written in order): on the 10 M-job bench trace 51.6 s -> 45.6 s
	 * with 2, the database identical (cmp).
	 */
	snprintf(sql, sizeof(sql),
		 "PRAGMA page_size=16384; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
		 " PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-32768; PRAGMA threads=%d;"
		 " PRAGMA user_version=%d; PRAGMA application_id=%d;",
		 threads > 0 ? threads : 0, DB_SCHEMA_VERSION, DB_APP_ID);
	if (db_exec(db, sql, err) || db_exec(db, "BEGIN", err) || db_exec(db, db_schema, err))
		goto fail;
	if (db_batch_init(db, &db->job, "job", 19, err) ||
	    db_batch_init(db, &db->lxjob, "linux_job", 15, err) ||
	    db_batch_init(db, &db->slice, "sched_slice", 7, err) ||
	    db_batch_init(db, &db->sample, "overhead_sample", 8, err) ||
	    db_batch_init(db, &db->stjs, "st_job_stats_row", 13, err))
		goto fail;
	return db;
fail:
	rl_db_close(db, 0, NULL);
	return NULL;
}

/**
 * rl_db_close() - finish the database
 * @db:  the database (freed)
 * @ok:  build the indexes and commit; 0: roll back (the caller removes the file)
 * @err: error out (may be NULL when @ok is 0)
 *
 * Return: 0 or a negative code.
 */
int rl_db_close(struct rl_db *db, int ok, struct rl_err *err)
{
	int r = 0;

	if (!db)
		return 0;
	if (ok)
		r = db_finish(db, err);
	else if (db->h)
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db_batch_release(&db->job);
	db_batch_release(&db->lxjob);
	db_batch_release(&db->slice);
	db_batch_release(&db->sample);
	db_batch_release(&db->stjs);
	sqlite3_finalize(db->hist);
	free(db->run);
	free(db->ended);
	if (sqlite3_close(db->h) != SQLITE_OK && !r && ok)
		r = db_fail(db, err, "cannot close the database");
	free(db->hash);
	free(db->sha);
	free(db);
	return r;
}

/**
 * rl_db_run_id() - the run's id
 * @db: the database, after rl_db_run_begin()
 *
 * Return: 16 hex digits (see the top of stats/export.c).
 */
const char *rl_db_run_id(const struct rl_db *db)
{
	return db->run_id;
}

static uint64_t db_fnv(uint64_t h, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/*
 * FNV-1a of a loaded input's bytes, giving each 4 MiB of a mapped file
 * back to the kernel once hashed: the reading that follows maps the pages
 * again as it goes, so the whole input is never resident at once (a 194 MB
 * sched_trace run: peak RSS 243 MB with the pages kept).
 */
static uint64_t db_fnv_input(uint64_t h, const struct rl_input *in, struct rl_sha256 *sha)
{
	const size_t step = (size_t)4 << 20;
	size_t off;

	for (off = 0; off < in->len; off += step) {
		size_t n = in->len - off < step ? in->len - off : step;

		h = db_fnv(h, in->buf + off, n);
		if (sha)
			rl_sha256_add(sha, in->buf + off, n);
		rl_input_drop_range(in, off, off + n);
	}
	return h;
}

/* FNV-1a of a file's bytes into *h (NULL: none), and into @sha. Return: 0 or -1 if it cannot be
 * read. */
static int db_fnv_file(const char *path, uint64_t *h, struct rl_sha256 *sha)
{
	uint8_t buf[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (h)
			*h = db_fnv(*h, buf, n);
		if (sha)
			rl_sha256_add(sha, buf, n);
	}
	n = (size_t)ferror(f);
	fclose(f);
	return n ? -1 : 0;
}

/*
 * A directory input (CTF): the relative path (NUL-terminated) and bytes of
 * every regular file below it, in name order at each level.
 */
static int db_fnv_dir(const char *dir, const char *rel, uint64_t *h, struct rl_sha256 *sha,
		      int depth)
{
	struct dirent **ents;
	char path[2 * PATH_MAX + 2], sub[PATH_MAX];
	int i, n, r = 0;

	snprintf(path, sizeof(path), "%s%s%s", dir, *rel ? "/" : "", rel);
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct stat st;

		if (!r && ents[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", ents[i]->d_name);
			snprintf(path, sizeof(path), "%s/%s", dir, sub);
			if (stat(path, &st))
				r = -1;
			else if (S_ISDIR(st.st_mode) && depth < 16)
				r = db_fnv_dir(dir, sub, h, sha, depth + 1);
			else if (S_ISREG(st.st_mode)) {
				*h = db_fnv(*h, (const uint8_t *)sub, strlen(sub) + 1);
				if (sha)
					rl_sha256_add(sha, sub, strlen(sub) + 1);
				r = db_fnv_file(path, h, sha);
			}
		}
		free(ents[i]);
	}
	free(ents);
	return r;
}

static int db_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The folder of input @in into @dir (the input itself when it is a directory). */
static void db_input_dir(const struct rl_input *in, char *dir, size_t size)
{
	const char *path = in->path, *slash = strrchr(path, '/');

	if (in->is_dir)
		snprintf(dir, size, "%s", path);
	else if (slash)
		snprintf(dir, size, "%.*s", (int)(slash - path + (slash == path)), path);
	else
		snprintf(dir, size, ".");
}

/*
 * Per-input hashes and the run id from them: the inputs of @fs and @extra,
 * and each of their folders' params.py (its bytes after "params.py\0"),
 * so that the same traces under other parameters are another run.
 */
static int db_hash_inputs(struct rl_db *db, const struct rl_fileset *fs,
			  const struct rl_fileset *extra, int want_sha, struct rl_err *err)
{
	size_t nx = extra ? extra->n : 0, ntot = fs->n + nx, ns = ntot, i;
	uint64_t *sorted, h = 0xcbf29ce484222325ull;
	char prev[PATH_MAX] = "", dir[PATH_MAX], pp[PATH_MAX + 16];
	int k;

	db->hash = calloc(ntot ? ntot : 1, sizeof(*db->hash));
	db->sha = want_sha ? calloc(ntot ? ntot : 1, sizeof(*db->sha)) : NULL;
	sorted = calloc(2 * ntot + 1, sizeof(*sorted));
	if (!db->hash || !sorted || (want_sha && !db->sha)) {
		free(sorted);
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	}
	db->nhash = ntot;
	db->nmain = fs->n;
	for (i = 0; i < ntot; i++) {
		const struct rl_input *in = i < fs->n ? &fs->ins[i] : &extra->ins[i - fs->n];
		uint64_t ph = 0xcbf29ce484222325ull;

		struct rl_sha256 sha, *sp = db->sha ? &sha : NULL;

		rl_sha256_init(&sha);
		db->hash[i] = 0xcbf29ce484222325ull;
		if (in->is_dir && db_fnv_dir(in->path, "", &db->hash[i], sp, 0) < 0) {
			free(sorted);
			return rl_err_set(err, -RL_E_IO, in->path, RL_OFF_NONE,
					  "cannot read the files of this directory");
		}
		/* sha256 of the file as stored (sha256sum's), compressed or not */
		if (!in->is_dir)
			db->hash[i] = db_fnv_input(db->hash[i], in, in->gz ? NULL : sp);
		if (sp && !in->is_dir && in->gz && db_fnv_file(in->path, NULL, sp) < 0) {
			free(sorted);
			return rl_err_set(err, -RL_E_IO, in->path, RL_OFF_NONE, "cannot read: %s",
					  strerror(errno));
		}
		if (sp)
			rl_sha256_hex(sp, db->sha[i]);
		sorted[i] = db->hash[i];
		db_input_dir(in, dir, sizeof(dir));
		if (!strcmp(dir, prev))
			continue;
		snprintf(prev, sizeof(prev), "%s", dir);
		snprintf(pp, sizeof(pp), "%s/params.py", dir);
		ph = db_fnv(ph, (const uint8_t *)"params.py", 10);
		if (!access(pp, F_OK) && db_fnv_file(pp, &ph, NULL) == 0)
			sorted[ns++] = ph;
	}
	/* params.py hashes once each (the files of one folder may come in any order) */
	if (ns > ntot)
		qsort(sorted + ntot, ns - ntot, sizeof(*sorted), db_u64_cmp);
	for (i = k = 0; i < ns - ntot; i++)
		if (!i || sorted[ntot + i] != sorted[ntot + i - 1])
			sorted[ntot + k++] = sorted[ntot + i];
	ns = ntot + (size_t)k;
	if (ns)
		qsort(sorted, ns, sizeof(*sorted), db_u64_cmp);
	for (i = 0; i < ns; i++) {
		uint8_t le[8];

		for (k = 0; k < 8; k++)
			le[k] = (uint8_t)(sorted[i] >> (8 * k));
		h = db_fnv(h, le, 8);
	}
	free(sorted);
	snprintf(db->run_id, sizeof(db->run_id), "%016llx", (unsigned long long)h);
	return 0;
}

/**
 * rl_db_hash_run() - a run's run_id without writing it
 * @fs:    the loaded inputs
 * @extra: more inputs of the run read apart, or NULL (as for rl_db_run_begin())
 * @id:    receives the 16 hex digits rl_db_run_begin() would write
 * @err:   error out
 *
 * Return: 0 or a negative code.
 */
int rl_db_hash_run(const struct rl_fileset *fs, const struct rl_fileset *extra, char id[17],
		   struct rl_err *err)
{
	struct rl_db db;
	int r;

	memset(&db, 0, sizeof(db));
	r = db_hash_inputs(&db, fs, extra, 0, err);
	free(db.hash);
	if (!r)
		memcpy(id, db.run_id, 17);
	return r;
}

static const char *db_family(enum rl_family f)
{
	switch (f) {
	case RL_FAM_LITMUS:
		return "litmus";
	case RL_FAM_FEATHER:
		return "feather-trace";
	case RL_FAM_XEN:
		return "xen";
	case RL_FAM_LINUX:
		return "linux";
	default:
		return NULL;
	}
}

/* A parameter's value as a number when all of it is one (decimal integer or real), else text. */
static struct db_val db_typed(const char *s)
{
	char *end;
	long long i;
	double d;

	if (!s || !*s || strchr(" \t\n", *s))
		return db_t(s);
	errno = 0;
	i = strtoll(s, &end, 10);
	if (!*end && !errno)
		return db_i(i);
	if (strpbrk(s, "xXpP") || strpbrk(s, "iInN")) /* no hex floats, inf, nan */
		return db_t(s);
	errno = 0;
	d = strtod(s, &end);
	if (!*end && !errno && d == d)
		return (struct db_val){.type = 'R', .d = d};
	return db_t(s);
}

static int db_param(struct rl_db *db, const char *key, const char *value, const char *origin,
		    struct rl_err *err)
{
	struct db_val v[5] = {db_i(db->key), db_t(key), db_t(value), db_typed(value), db_t(origin)};

	return db_insert(db, "INSERT OR IGNORE INTO run_param VALUES(?1, ?2, ?3, ?4, ?5)", v, 5,
			 err);
}

/*
 * The key=value parts of a name (without its extension), split at '_' as
 * the overhead groups are; cpu and msg are the file's own, not the run's.
 */
static int db_name_params(struct rl_db *db, const char *name, const char *origin,
			  struct rl_err *err)
{
	char buf[PATH_MAX], *p, *dot, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", name);
	/* a file's ".gz" and extension of letters go (".bin"); a folder has none: u=0.5 stays */
	if (!strcmp(origin, "file")) {
		size_t n = strlen(buf);

		if (n > 3 && !strcmp(buf + n - 3, ".gz"))
			buf[n - 3] = 0;
		dot = strrchr(buf, '.');
		if (dot && dot != buf && dot[1] &&
		    strspn(dot + 1, "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(dot + 1))
			*dot = 0;
	}
	for (p = strtok_r(buf, "_", &save); p; p = strtok_r(NULL, "_", &save)) {
		char *eq = strchr(p, '=');

		if (!eq || eq == p)
			continue;
		*eq = 0;
		if (!strcmp(p, "cpu") || !strcmp(p, "msg"))
			continue;
		if (db_param(db, p, eq + 1, origin, err) < 0)
			return err->code;
	}
	return 0;
}

static int db_params_cb(void *arg, const char *key, const char *value, struct rl_err *err)
{
	return db_param(arg, key, value, "params.py", err);
}

/* @dir's params.py, if there is one. */
static int db_params_file(struct rl_db *db, const char *dir, struct rl_err *err)
{
	int r;

	snprintf(db->params_path, sizeof(db->params_path), "%s/params.py", dir);
	r = rl_params_load(db->params_path, db_params_cb, db, err);
	return r < 0 ? r : 0;
}

/* The folders of the inputs: their names' key=value parts and their params.py. */
static int db_folder_params(struct rl_db *db, const struct rl_fileset *fs, char *prev,
			    struct rl_err *err)
{
	char dir[PATH_MAX], real[PATH_MAX];
	size_t i;

	for (i = 0; i < fs->n; i++) {
		db_input_dir(&fs->ins[i], dir, sizeof(dir));
		if (!strcmp(dir, prev))
			continue;
		snprintf(prev, PATH_MAX, "%s", dir);
		if (realpath(dir, real)) {
			const char *base = strrchr(real, '/');

			if (db_name_params(db, base ? base + 1 : real, "folder", err) < 0)
				return err->code;
		}
		if (db_params_file(db, dir, err) < 0)
			return err->code;
	}
	return 0;
}

/* The key=value parts of the inputs' file names. */
static int db_file_params(struct rl_db *db, const struct rl_fileset *fs, struct rl_err *err)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		const char *base = strrchr(fs->ins[i].path, '/');

		if (!fs->ins[i].is_dir &&
		    db_name_params(db, base ? base + 1 : fs->ins[i].path, "file", err) < 0)
			return err->code;
	}
	return 0;
}

/**
 * rl_db_run_begin() - the run's identity and parameters
 * @db:           the database
 * @fs:           the loaded inputs
 * @extra:        more inputs of the run read apart (Feather-Trace files beside
 *                sched_trace ones), or NULL; borrowed until rl_db_run_end()
 * @name:         the run's name (rtlens batch: its place in the tree), or NULL
 * @t:            the trace of @fs (pipeline open, no event read yet)
 * @tool_version: for meta
 * @opts:         the options that change results, for meta
 * @nopts:        their number
 * @err:          error out
 *
 * Writes meta, run and run_param rows.
 *
 * Return: 0 or a negative code.
 */
int rl_db_run_begin(struct rl_db *db, const struct rl_fileset *fs, const struct rl_fileset *extra,
		    const char *name, const struct rl_trace *t, const char *tool_version,
		    const struct rl_db_opt *opts, size_t nopts, struct rl_err *err)
{
	static const char meta_sql[] = "INSERT OR REPLACE INTO meta VALUES(?1, ?2)";
	char ver[16], prev[PATH_MAX] = "";
	struct db_val v[6];
	size_t i;

	db->t = t;
	db->extra = extra;
	if (db_hash_inputs(db, fs, extra, 1, err) < 0)
		return err->code;
	snprintf(ver, sizeof(ver), "%d", DB_SCHEMA_VERSION);
	v[0] = db_t("tool_version"), v[1] = db_t(tool_version);
	if (db_insert(db, meta_sql, v, 2, err) < 0)
		return err->code;
	v[0] = db_t("schema_version"), v[1] = db_t(ver);
	if (db_insert(db, meta_sql, v, 2, err) < 0)
		return err->code;
	v[0] = db_t("run_id_hash"), v[1] = db_t("fnv1a64");
	if (db_insert(db, meta_sql, v, 2, err) < 0)
		return err->code;
	for (i = 0; i < nopts; i++) {
		v[0] = db_t(opts[i].key), v[1] = db_t(opts[i].value);
		if (db_insert(db, meta_sql, v, 2, err) < 0)
			return err->code;
	}
	v[0] = db_i(db->key), v[1] = db_t(db->run_id), v[2] = db_t(name);
	v[3] = db_i((int64_t)(fs->n + (extra ? extra->n : 0)));
	v[4] = db_t(t->format), v[5] = db_t(db_family(t->family));
	if (!v[5].s && t->format && !strncmp(t->format, "cyclictest", 10))
		v[5] = db_t("rt-tests");
	if (db_insert(db, "INSERT INTO run VALUES(?1, ?2, ?3, ?4, ?5, ?6)", v, 6, err) < 0)
		return err->code;
	if (db_file_params(db, fs, err) < 0 || (extra && db_file_params(db, extra, err) < 0))
		return err->code;
	if (db_folder_params(db, fs, prev, err) < 0 ||
	    (extra && db_folder_params(db, extra, prev, err) < 0))
		return err->code;
	return 0;
}

/* A job row's response (v[8]), tardiness (v[10]) and dl_miss (v[11]) into the run's totals. */
static void db_totals_add(struct db_totals *t, const struct db_val *v)
{
	t->jobs++;
	if (v[11].type == 'I')
		t->nmiss++, t->misses += (uint64_t)v[11].i;
	if (v[10].type == 'I') {
		if (!t->ntard++ || v[10].i > t->max_tard)
			t->max_tard = v[10].i;
		t->sum_tard += (double)v[10].i;
	}
	if (v[8].type == 'I') {
		if (!t->nresp++ || v[8].i > t->max_resp)
			t->max_resp = v[8].i;
		t->sum_resp += (double)v[8].i;
	}
}

/*
 * job_totals: the run's job counts and tardiness and response extremes
 * and means, what run_summary shows, counted as the rows went in (the view
 * would otherwise scan the job table once per run and column).
 */
static int db_totals(struct rl_db *db, struct rl_err *err)
{
	const struct db_totals *t = &db->tot;
	struct db_val v[9] = {db_i(db->key), db_i((int64_t)t->jobs), db_i((int64_t)t->misses)};

	if (t->nmiss)
		v[3] = (struct db_val){.type = 'R', .d = (double)t->misses / (double)t->nmiss};
	if (t->ntard) {
		v[4] = db_i(t->max_tard);
		v[5] = (struct db_val){.type = 'R', .d = t->sum_tard / (double)t->ntard};
	}
	if (t->nresp) {
		v[6] = db_i(t->max_resp);
		v[7] = (struct db_val){.type = 'R', .d = t->sum_resp / (double)t->nresp};
	}
	v[8] = db_i((int64_t)t->linux_jobs);
	return db_insert(db, "INSERT INTO job_totals VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", v,
			 9, err);
}

/**
 * rl_db_job_row() - insert one finished job (struct rl_job_out.row_fn)
 * @arg: the database
 * @row: the job
 * @err: error out
 *
 * The columns are those of `rtlens jobs` CSV: response, lateness,
 * tardiness and dl_miss computed the same way, NULL where the CSV is empty.
 *
 * Return: 0 or a negative code.
 */
int rl_db_job_row(void *arg, const struct rl_job *row, struct rl_err *err)
{
	struct rl_db *db = arg;
	const struct rl_task *tk = &db->t->tasks[row->task];
	const char *status = rl_job_status(row);
	struct db_val *v = db_batch_row(&db->job);
	char flags[256];

	v[0] = db_i(db->key);
	v[1] = db_i(row->task);
	v[2] = db_i(tk->pid);
	v[3] = db_i(row->job);
	v[4] = db_iu(row->release, RL_TIME_UNKNOWN);
	v[5] = db_iu(row->deadline, RL_TIME_UNKNOWN);
	v[6] = db_iu(row->completion, RL_TIME_UNKNOWN);
	v[7] = db_iu(row->first_start, RL_TIME_UNKNOWN);
	if (row->completion != RL_TIME_UNKNOWN && row->release != RL_TIME_UNKNOWN) {
		int known = row->deadline != RL_TIME_UNKNOWN; /* else lateness is NULL */
		int64_t late = known ? row->completion - row->deadline : 0;

		v[8] = db_i(row->completion - row->release);
		v[9] = known ? db_i(late) : (struct db_val){0};
		v[10] = known ? db_i(late > 0 ? late : 0) : (struct db_val){0};
		v[11] = db_i(late > 0 || (row->flags & RL_JOB_SERVER_MISS));
	} else if (row->flags & RL_JOB_OVERDUE) {
		/* no response; lateness and tardiness are lower bounds */
		v[9] = v[10] = db_i(row->seen_until - row->deadline);
		v[11] = db_i(1);
	}
	v[12] = db_iu(row->exec, RL_TIME_UNKNOWN);
	v[13] = db_i(row->preemptions);
	v[14] = db_i(row->migrations);
	v[15] = db_i(row->suspensions);
	v[16] = db_iu(row->susp_time, RL_TIME_UNKNOWN);
	v[17] = db_t(status);
	rl_job_flags_text(row->flags, flags, sizeof(flags));
	v[18] = flags[0] ? db_batch_text(&db->job, flags) : db_t("");
	db_totals_add(&db->tot, v);
	db->by_status[status[0] == 'c' ? 0 : status[0] == 'n' ? 1 : status[0] == 'i' ? 2 : 3]++;
	return db_batch_add(db, &db->job, err);
}

/**
 * rl_db_linux_job_row() - insert one Linux job (the Linux model's row_fn)
 * @arg: the database
 * @row: the job: activation (release), first switch-in, blocking switch-out
 * @err: error out
 *
 * The columns are those of `rtlens jobs --linux-jobs` CSV.
 *
 * Return: 0 or a negative code.
 */
int rl_db_linux_job_row(void *arg, const struct rl_job *row, struct rl_err *err)
{
	struct rl_db *db = arg;
	struct db_val *v = db_batch_row(&db->lxjob);

	v[0] = db_i(db->key);
	v[1] = db_i(row->task);
	v[2] = db_i(db->t->tasks[row->task].pid);
	v[3] = db_i(row->job);
	v[4] = db_iu(row->release, RL_TIME_UNKNOWN);
	v[5] = db_iu(row->first_start, RL_TIME_UNKNOWN);
	v[6] = db_iu(row->completion, RL_TIME_UNKNOWN);
	if (row->completion != RL_TIME_UNKNOWN)
		v[7] = db_i(row->completion - row->release);
	if (row->first_start != RL_TIME_UNKNOWN)
		v[8] = db_i(row->first_start - row->release);
	v[9] = db_iu(row->exec, RL_TIME_UNKNOWN);
	v[10] = db_i(row->preemptions);
	v[11] = db_i(row->migrations);
	v[12] = db_i(row->cpu);
	v[13] = db_iu(row->prio, INT64_MIN);
	v[14] = db_t(rl_job_status(row));
	db->tot.linux_jobs++;
	return db_batch_add(db, &db->lxjob, err);
}

/* Write slice @sl of @cpu (dur NULL when @end is unknown: it ran at the trace's end). */
static int db_slice_put(struct rl_db *db, uint32_t cpu, const struct db_slice *sl,
			struct rl_err *err)
{
	struct db_val *v = db_batch_row(&db->slice);

	v[0] = db_i(db->key), v[1] = db_i(sl->start);
	int64_t dur;

	/* unknown end, or ends too far apart to subtract (damaged times): NULL */
	v[2] = sl->end == RL_TIME_UNKNOWN || __builtin_sub_overflow(sl->end, sl->start, &dur)
		       ? (struct db_val){0}
		       : db_i(dur);
	v[3] = db_i(cpu), v[4] = db_i(sl->task), v[5] = db_i(db->t->tasks[sl->task].pid);
	v[6] = db_t(sl->state);
	return db_batch_add(db, &db->slice, err);
}

/* Write @cpu's ended slice, if one waits. */
static int db_slice_flush(struct rl_db *db, uint32_t cpu, struct rl_err *err)
{
	struct db_slice sl = db->run[cpu].done;

	if (sl.task == RL_NO_TASK)
		return 0;
	db->run[cpu].done.task = RL_NO_TASK;
	return db_slice_put(db, cpu, &sl, err);
}

static int db_slice_grow(struct rl_db *db, uint32_t cpu, uint32_t task, struct rl_err *err)
{
	uint32_t old = db->nrun;

	if (cpu >= db->nrun) {
		if (rl_grow((void **)&db->run, &db->cap_run, cpu + 1, sizeof(*db->run)))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		for (db->nrun = cpu + 1; old < db->nrun; old++)
			db->run[old].cur.task = db->run[old].done.task = RL_NO_TASK;
	}
	if (task >= db->nended) {
		if (rl_grow_zero((void **)&db->ended, &db->cap_ended, task + 1, 1))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		db->nended = task + 1;
	}
	return 0;
}

/*
 * A COMPLETION or BLOCK of @task: the end state of its slice, whether it
 * comes before the switch-out (LITMUS^RT's GSN-EDF) or just after it (RUN).
 */
static void db_slice_mark(struct rl_db *db, uint32_t cpu, uint32_t task, int completed)
{
	struct db_slice *d = cpu < db->nrun ? &db->run[cpu].done : NULL;

	if (d && d->task == task && !strcmp(d->state, "preempted"))
		d->state = completed ? "completed" : "blocked";
	else
		db->ended[task] = completed ? 'c' : 'b';
}

/*
 * Scheduling slices from the merged stream: a switch-in opens one on its
 * CPU (what ran there without a switch-out ends "switched"), the task's
 * switch-out on that CPU ends it: "completed" if its job completed, else
 * "blocked" if it suspended, else "preempted". An ended slice waits for
 * the CPU's next switch-in, so that a COMPLETION right after the
 * switch-out still counts.
 */
static int db_slice_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_db *db = (struct rl_db *)s;
	uint32_t cpu = ev->cpu, task = ev->task;
	struct db_cpu_run *c;

	if (task == RL_NO_TASK || task >= db->t->ntasks || cpu == RL_NO_CPU)
		return 0;
	if (ev->type != RL_EV_SWITCH_IN && ev->type != RL_EV_SWITCH_OUT &&
	    ev->type != RL_EV_COMPLETION && ev->type != RL_EV_BLOCK)
		return 0;
	if (db_slice_grow(db, cpu, task, err) < 0)
		return err->code;
	c = &db->run[cpu];
	if (ev->type == RL_EV_COMPLETION || ev->type == RL_EV_BLOCK) {
		db_slice_mark(db, cpu, task, ev->type == RL_EV_COMPLETION);
		return 0;
	}
	if (ev->type == RL_EV_SWITCH_IN) {
		if (db_slice_flush(db, cpu, err) < 0)
			return err->code;
		if (c->cur.task != RL_NO_TASK) {
			c->cur.end = ev->ts;
			c->cur.state = "switched";
			if (db_slice_put(db, cpu, &c->cur, err) < 0)
				return err->code;
		}
		c->cur = (struct db_slice){ev->ts, RL_TIME_UNKNOWN, "running", task};
		db->ended[task] = 0;
		return 0;
	}
	if (c->cur.task != task) {
		db->unmatched++;
		return 0;
	}
	if (db_slice_flush(db, cpu, err) < 0)
		return err->code;
	c->done = c->cur;
	c->done.end = ev->ts;
	c->done.state = db->ended[task] == 'c'					 ? "completed"
			: db->ended[task] == 'b' || (ev->flags & RL_EVF_BLOCKED) ? "blocked"
										 : "preempted";
	c->cur.task = RL_NO_TASK;
	return 0;
}

/* The trace ended: ended slices are written, running ones get a NULL duration. */
static int db_slice_finish(struct rl_sink *s, struct rl_err *err)
{
	struct rl_db *db = (struct rl_db *)s;
	uint32_t c;

	for (c = 0; c < db->nrun; c++) {
		if (db_slice_flush(db, c, err) < 0)
			return err->code;
		if (db->run[c].cur.task != RL_NO_TASK &&
		    db_slice_put(db, c, &db->run[c].cur, err) < 0)
			return err->code;
	}
	return 0;
}

/**
 * rl_db_slice_sink() - the sink that writes sched_slice rows
 * @db: the database, after rl_db_run_begin()
 *
 * Memory grows with CPUs and tasks only; rows go out as slices end.
 *
 * Return: the sink (owned by @db).
 */
struct rl_sink *rl_db_slice_sink(struct rl_db *db)
{
	db->slices.event = db_slice_event;
	db->slices.finish = db_slice_finish;
	return &db->slices;
}

static int db_tasks(struct rl_db *db, const struct rl_trace *t, struct rl_err *err)
{
	sqlite3_stmt *st;
	uint32_t i;
	int r = 0;

	if (sqlite3_prepare_v2(
		    db->h, "INSERT INTO task VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
		    -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "cannot prepare a statement");
	for (i = 0; i < t->ntasks && !r; i++) {
		const struct rl_task *tk = &t->tasks[i];
		struct db_val v[11] = {
			db_i(db->key),
			db_i(i),
			db_i(tk->pid),
			db_t(tk->name ? rl_strtab_get(t->strs, tk->name) : NULL),
			db_iu(tk->wcet, -1),
			db_iu(tk->period, -1),
			db_iu(tk->deadline, -1),
			db_iu(tk->phase, -1),
			db_t(tk->kind == RL_TASK_VCPU ? "vcpu" : "process"),
			db_iu(tk->partition, -1),
			db_iu(tk->prio, INT64_MIN),
		};

		r = db_step(db, st, v, 11, err);
	}
	sqlite3_finalize(st);
	return r;
}

/* source_file and cpu rows (record counts are known at the end). */
static int db_sources(struct rl_db *db, const struct rl_trace *t, struct rl_err *err)
{
	uint32_t c, i;

	for (i = 0; i < t->nsrcs; i++) {
		const struct rl_source *s = &t->srcs[i];
		char hex[17] = "";
		struct db_val v[9];

		if (i < db->nhash)
			snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)db->hash[i]);
		v[0] = db_i(db->key), v[1] = db_i(i), v[2] = db_t(s->path);
		v[3] = db_i((int64_t)s->size);
		v[4] = db->sha && i < db->nhash ? db_t(db->sha[i]) : (struct db_val){0};
		v[5] = db_t(hex), v[6] = db_t(s->reader);
		v[7] = db_iu(s->cpu, -1), v[8] = db_i(s->nrec);
		if (db_insert(db,
			      "INSERT INTO source_file VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			      v, 9, err) < 0)
			return err->code;
	}
	/* the inputs read apart (Feather-Trace beside sched_trace): records not counted */
	for (i = 0; db->extra && i < db->extra->n; i++) {
		const struct rl_input *in = &db->extra->ins[i];
		char hex[17] = "", rec[256];
		struct db_val v[9];
		int cpu;
		size_t k = db->nmain + i;

		if (k < db->nhash)
			snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)db->hash[k]);
		rl_recording_name(in->path, rec, sizeof(rec), &cpu, NULL);
		v[0] = db_i(db->key), v[1] = db_i((int64_t)t->nsrcs + i), v[2] = db_t(in->path);
		v[3] = db_i((int64_t)in->len);
		v[4] = db->sha && k < db->nhash ? db_t(db->sha[k]) : (struct db_val){0};
		v[5] = db_t(hex), v[6] = db_t(db->extra->reader ? db->extra->reader->name : NULL);
		v[7] = db_iu(cpu, -1), v[8] = (struct db_val){0};
		if (db_insert(db,
			      "INSERT INTO source_file VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			      v, 9, err) < 0)
			return err->code;
	}
	for (c = 0; c < t->ncpu; c++) {
		int64_t files = 0, recs = 0;
		struct db_val v[4];

		for (i = 0; i < t->nsrcs; i++)
			if (t->srcs[i].cpu == (int32_t)c)
				files++, recs += t->srcs[i].nrec;
		if (!files && !rl_trace_cpu_seen(t, c))
			continue; /* below a damaged cpu number, never noted */
		v[0] = db_i(db->key), v[1] = db_i(c), v[2] = db_i(files), v[3] = db_i(recs);
		if (db_insert(db, "INSERT INTO cpu VALUES(?1, ?2, ?3, ?4)", v, 4, err) < 0)
			return err->code;
	}
	return 0;
}

/* The kept warnings (lost_range for lost records, anomaly for the rest) and their counts. */
static int db_warnings(struct rl_db *db, const struct rl_trace *t, struct rl_err *err)
{
	int k;

	for (k = 0; k < RL_W_NKINDS; k++) {
		uint64_t i,
			kept = t->warn_count[k] < RL_WARN_KEEP ? t->warn_count[k] : RL_WARN_KEEP;
		const char *sev = k == RL_W_LOST		   ? "data_loss"
				  : ((1u << k) & RL_W_DAMAGE_MASK) ? "error"
								   : "info";
		struct db_val v[6];

		for (i = 0; i < kept; i++) {
			const struct rl_warning *w = &t->warns[k][i];

			v[0] = db_i(db->key), v[1] = db_t(db_warn_names[k]), v[2] = db_t(w->path);
			v[3] = db_iu((int64_t)w->off, (int64_t)RL_OFF_NONE),
			v[4] = db_t(rl_warning_text(w));
			if (db_insert(db,
				      k == RL_W_LOST
					      ? "INSERT INTO lost_range VALUES(?1, ?2, ?3, ?4, ?5)"
					      : "INSERT INTO anomaly VALUES(?1, ?2, ?3, ?4, ?5)",
				      v, 5, err) < 0)
				return err->code;
		}
		v[0] = db_i(db->key), v[1] = db_t(db_warn_names[k]), v[2] = (struct db_val){0};
		v[3] = db_t(sev), v[4] = db_t("trace"), v[5] = db_i((int64_t)t->warn_count[k]);
		if (db_insert(db, "INSERT INTO stats VALUES(?1, ?2, ?3, ?4, ?5, ?6)", v, 6, err) <
		    0)
			return err->code;
	}
	return 0;
}

/* Job counts by status and by the analysis' counters, as stats rows. */
static int db_job_stats(struct rl_db *db, struct rl_jobs *jobs, struct rl_err *err)
{
	struct rl_jobs_counts c = {0};
	const struct {
		const char *name;
		uint64_t v;
	} * e, rows[] = {
		       {"jobs_complete", db->by_status[0]},
		       {"jobs_no_completion", db->by_status[1]},
		       {"jobs_incomplete", db->by_status[2]},
		       {"jobs_lost", db->by_status[3]},
		       {"jobs_no_release", 0},
		       {"jobs_release_inferred", 0},
		       {"jobs_dup_release", 0},
		       {"jobs_overdue", 0},
		       {NULL, 0},
	       };
	uint64_t extra[4];
	int i;

	if (jobs)
		rl_jobs_counts(jobs, &c);
	extra[0] = c.no_release, extra[1] = c.inferred, extra[2] = c.dup_release;
	extra[3] = c.overdue;
	{
		struct db_val v[6] = {
			db_i(db->key),	  db_t("slices_unmatched_switch_out"), {0}, db_t("info"),
			db_t("analysis"), db_i((int64_t)db->unmatched)};

		if (db_insert(db, "INSERT INTO stats VALUES(?1, ?2, ?3, ?4, ?5, ?6)", v, 6, err) <
		    0)
			return err->code;
	}
	for (e = rows, i = 0; e->name; e++, i++) {
		struct db_val v[6] = {db_i(db->key),
				      db_t(e->name),
				      {0},
				      db_t("info"),
				      db_t("analysis"),
				      db_i((int64_t)(i < 4 ? e->v : extra[i - 4]))};

		if (db_insert(db, "INSERT INTO stats VALUES(?1, ?2, ?3, ?4, ?5, ?6)", v, 6, err) <
		    0)
			return err->code;
	}
	return 0;
}

/* Split a line of @ncols comma-separated cells (blanks trimmed) into @cells. */
static int db_split(char *line, char **cells, int ncols)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *e = strchr(p, ','), *end;

		if (e)
			*e = 0;
		while (*p == ' ')
			p++;
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\r'))
			*--end = 0;
		if (n == ncols)
			return -1;
		cells[n++] = p;
		if (!e)
			break;
		p = e + 1;
	}
	return n == ncols ? 0 : -1;
}

/* One cell of type 'I', 'R' or 'T' ("" is NULL). */
static int db_cell(const char *s, char type, struct db_val *v)
{
	char *end;

	*v = (struct db_val){0};
	if (!*s)
		return 0;
	if (type == 'T') {
		*v = db_t(s);
		return 0;
	}
	if (type == 'I') {
		long long x = strtoll(s, &end, 10);

		*v = db_i(x);
	} else {
		*v = (struct db_val){.type = 'R', .d = strtod(s, &end)};
	}
	return *end ? -1 : 0;
}

/*
 * Rows a writer printed to @f (rewound): '#' lines and, with @header, the
 * first line skipped; cells typed by @types (one letter per column after
 * run_id). The rows are exactly what the command prints.
 */
static int db_load_text(struct rl_db *db, FILE *f, const char *table, const char *types, int header,
			struct rl_err *err)
{
	int ncols = (int)strlen(types), i, r = 0;
	char sql[256], *line = NULL, *cells[32];
	size_t cap = 0, off;
	sqlite3_stmt *st;
	struct db_val v[33];

	if (ncols > 32)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "%s: too many columns",
				  table);
	off = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES(?1", table);
	for (i = 0; i < ncols; i++)
		off += (size_t)snprintf(sql + off, sizeof(sql) - off, ", ?%d", i + 2);
	snprintf(sql + off, sizeof(sql) - off, ")");
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "cannot prepare a statement");
	rewind(f);
	v[0] = db_i(db->key);
	while (!r && getline(&line, &cap, f) > 0) {
		if (header) {
			header = 0;
			continue;
		}
		if (line[0] == '#')
			continue;
		if (db_split(line, cells, ncols) < 0) {
			r = rl_err_set(err, -RL_E_CORRUPT, NULL, RL_OFF_NONE,
				       "%s: a row without %d columns", table, ncols);
			break;
		}
		for (i = 0; i < ncols && !r; i++)
			if (db_cell(cells[i], types[i], &v[i + 1]) < 0)
				r = rl_err_set(err, -RL_E_CORRUPT, NULL, RL_OFF_NONE,
					       "%s: bad cell '%s'", table, cells[i]);
		if (!r)
			r = db_step(db, st, v, ncols + 1, err);
	}
	free(line);
	sqlite3_finalize(st);
	return r;
}

/* What @write puts in a temporary file, loaded into @table. */
static int db_load(struct rl_db *db, struct rl_jobs *j,
		   int (*write)(struct rl_jobs *j, FILE *f, struct rl_err *err), const char *table,
		   const char *types, int header, struct rl_err *err)
{
	FILE *f = tmpfile();
	int r;

	if (!f)
		return rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE,
				  "cannot create a temporary file");
	r = write(j, f, err);
	if (!r && fflush(f))
		r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write a temporary file");
	if (!r)
		r = db_load_text(db, f, table, types, header, err);
	fclose(f);
	return r;
}

/* st-job-stats' view of the run, as values: where it prints them */
struct db_stjs {
	struct rl_db *db;
	sqlite3_stmt *task;
	int64_t ord; /* the task line's position */
};

static int db_stjs_task(void *arg, const struct rl_stjs_task_rec *tk, struct rl_err *err)
{
	struct db_stjs *x = arg;
	struct db_val v[7] = {db_i(x->db->key), db_i(++x->ord),	  db_i(tk->pid), db_t(tk->name),
			      db_i(tk->cost),	db_i(tk->period), db_i(tk->cpu)};

	return db_step(x->db, x->task, v, 7, err);
}

static int db_stjs_row(void *arg, const struct rl_stjs_rec *row, struct rl_err *err)
{
	struct db_stjs *x = arg;
	struct db_val *v = db_batch_row(&x->db->stjs);

	v[0] = db_i(x->db->key), v[1] = db_i(row->pid), v[2] = db_i(row->job);
	v[3] = db_i(row->period), v[4] = db_i((int64_t)row->response), v[5] = db_i(row->dl_miss);
	v[6] = db_i(row->lateness), v[7] = db_i(row->tardiness), v[8] = db_i(row->forced);
	v[9] = db_i((int64_t)row->acet), v[10] = db_i(row->preemptions);
	v[11] = db_i(row->migrations), v[12] = db_i(x->ord);
	return db_batch_add(x->db, &x->db->stjs, err);
}

/*
 * st_job_stats_task and st_job_stats_row: the values `rtlens jobs --compat`
 * prints, one row per line in print order (@ord numbers the task lines), so
 * st_job_stats_text prints them again byte for byte. Integers past
 * INT64_MAX (a response of a completion before its release, modulo 2^64
 * as st-job-stats prints it) are stored as their two's complement and
 * printed back with %llu.
 */
static int db_compat(struct rl_db *db, struct rl_jobs *compat, struct rl_err *err)
{
	static const struct rl_stjs_ops ops = {db_stjs_task, db_stjs_row};
	struct db_stjs x = {.db = db};
	int r;

	if (sqlite3_prepare_v2(db->h,
			       "INSERT INTO st_job_stats_task VALUES(?1, ?2, ?3, ?4, ?5,"
			       " ?6, ?7)",
			       -1, &x.task, NULL) != SQLITE_OK)
		return db_fail(db, err, "cannot prepare a statement");
	r = rl_jobs_each_compat(compat, &ops, &x, err);
	if (!r)
		r = db_batch_flush(db, &db->stjs, err);
	sqlite3_finalize(x.task);
	return r;
}

/**
 * rl_db_run_end() - what is known once the run has been read
 * @db:     the database
 * @t:      the trace
 * @jobs:   the job analysis (RL_JOBS_SUMMARY, CSV format, ns), or NULL
 * @compat: the st-job-stats view (RL_JOBS_COMPAT, ns), or NULL
 * @err:    error out
 *
 * task_summary_row holds `rtlens jobs --summary --format csv`'s rows and
 * st_job_stats_row `rtlens jobs --compat`'s, from their writers: the views
 * over them give exactly those commands' rows.
 *
 * Return: 0 or a negative code.
 */
int rl_db_run_end(struct rl_db *db, const struct rl_trace *t, struct rl_jobs *jobs,
		  struct rl_jobs *compat, struct rl_err *err)
{
	if (db_tasks(db, t, err) < 0 || db_sources(db, t, err) < 0 || db_warnings(db, t, err) < 0 ||
	    db_job_stats(db, jobs, err) < 0 || db_totals(db, err) < 0)
		return err->code;
	if (jobs && db_load(db, jobs, rl_jobs_write_summary, "task_summary_row",
			    "ITIIIIIIRIIIIIIIIII", 1, err) < 0)
		return err->code;
	if (compat && db_compat(db, compat, err) < 0)
		return err->code;
	return 0;
}

/* A statistic, NULL when there are no samples (NaN). */
static struct db_val db_r(double x, uint64_t n)
{
	return n && x == x ? (struct db_val){.type = 'R', .d = x} : (struct db_val){0};
}

/*
 * The histogram bucket of @v: [lo, hi], exact below 16, else 8 buckets per
 * power of two (the width is 2^(e-3) for v in [2^e, 2^(e+1))); negative
 * values mirror. Fixed edges: histograms of runs add up bucket by bucket.
 */
static void db_bucket(int64_t v, int64_t *lo, int64_t *hi)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, w, a, b;
	int e = 63;

	if (u < 16) {
		a = b = u;
	} else {
		while (!(u >> e))
			e--;
		w = 1ull << (e - 3);
		a = u & ~(w - 1);
		b = a + (w - 1);
	}
	if (b > (uint64_t)INT64_MAX)
		b = (uint64_t)INT64_MAX;
	if (a > (uint64_t)INT64_MAX)
		a = (uint64_t)INT64_MAX;
	if (v < 0)
		*lo = -(int64_t)b, *hi = -(int64_t)a;
	else
		*lo = (int64_t)a, *hi = (int64_t)b;
}

static int db_i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

struct db_log {
	struct rl_db *db;
	const struct db_val *key;
	uint64_t kept;
};

/* One logged sample as an overhead_sample row: value NULL when it has none. */
static int db_log_row(void *arg, uint64_t idx, int64_t x, int has_v, enum rl_discard reason,
		      struct rl_err *err)
{
	struct db_log *l = arg;
	struct db_val *w = db_batch_row(&l->db->sample);

	memcpy(w, l->key, 5 * sizeof(*w));
	w[5] = db_i((int64_t)idx);
	w[6] = has_v ? db_i(x) : (struct db_val){0};
	w[7] = db_t(reason == RL_DISCARD_KEEP ? "kept" : rl_discard_name(reason));
	l->kept += reason == RL_DISCARD_KEEP;
	return db_batch_add(l->db, &l->db->sample, err);
}

/*
 * Series @i's samples into overhead_sample and the kept ones' histogram.
 * With the accumulator's sample log (log_samples), every sample in the
 * order judged, idx its position, status "kept" or the discard reason;
 * else the kept samples alone. @key holds the series' run_id, group,
 * event, cpu and unit as bound for overhead_stats.
 */
static int db_ovh_samples(struct rl_db *db, struct rl_ovh *h, uint32_t i, const struct db_val *key,
			  struct rl_err *err)
{
	struct db_val v[9];
	int64_t *x = NULL;
	uint64_t n = 0, j, at;
	int r;

	if (!db->hist) {
		if (sqlite3_prepare_v2(
			    db->h,
			    "INSERT INTO histogram VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
			    " ?9)",
			    -1, &db->hist, NULL) != SQLITE_OK)
			return db_fail(db, err, "cannot prepare a statement");
	}
	r = rl_ovh_samples(h, i, &x, &n, err);
	memcpy(v, key, 5 * sizeof(*v));
	if (!r && rl_ovh_logging(h)) {
		struct db_log l = {db, key, 0};

		r = rl_ovh_log_each(h, i, db_log_row, &l, err);
		if (!r && l.kept != n)
			r = rl_err_set(err, -RL_E_CORRUPT, NULL, RL_OFF_NONE,
				       "sample log of %llu kept samples for a series of %llu",
				       (unsigned long long)l.kept, (unsigned long long)n);
	}
	for (j = 0; j < n && !r && !rl_ovh_logging(h); j++) {
		struct db_val *w = db_batch_row(&db->sample);

		memcpy(w, key, 5 * sizeof(*w));
		w[5] = db_i((int64_t)j), w[6] = db_i(x[j]), w[7] = db_t("kept");
		r = db_batch_add(db, &db->sample, err);
	}
	if (!r && n)
		qsort(x, n, sizeof(*x), db_i64_cmp);
	for (j = 0; j < n && !r; j = at) {
		int64_t lo, hi;

		db_bucket(x[j], &lo, &hi);
		for (at = j; at < n && x[at] <= hi; at++)
			;
		v[5] = db_i(lo), v[6] = db_i(hi), v[7] = db_i((int64_t)(at - j));
		v[8] = (struct db_val){.type = 'R', .d = (double)at / (double)n};
		r = db_step(db, db->hist, v, 9, err);
	}
	/* the series' key texts are the caller's for this series only */
	if (!r)
		r = db_batch_flush(db, &db->sample, err);
	free(x);
	return r;
}

/**
 * rl_db_add_overheads() - the overhead report's rows into overhead_stats
 * @db:  the database
 * @h:   the flushed accumulator (Feather-Trace: rl_ovh_add_set())
 * @err: error out
 *
 * One row per series in report order: group label, event, cpu (NULL unless
 * per cpu), the raw unit (cycles, or ns for latency records), the
 * statistics of rl_ovh_series_stat() in that unit (no equalizing) and the
 * discards by reason (columns discard_<reason>, enum rl_discard's order).
 *
 * Return: 0 or a negative code.
 */
int rl_db_add_overheads(struct rl_db *db, struct rl_ovh *h, struct rl_err *err)
{
	const struct rl_ovh_schema *sch = rl_ovh_schema(h);
	struct rl_ovh_report rep = {.fmt = RL_OUT_CSV};
	char sql[256], ev[64];
	sqlite3_stmt *st;
	size_t off;
	uint32_t i;
	int k, r = 0;

	off = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO overhead_stats VALUES(?1");
	for (k = 2; k <= 16 + RL_DISCARD_N; k++)
		off += (size_t)snprintf(sql + off, sizeof(sql) - off, ", ?%d", k);
	snprintf(sql + off, sizeof(sql) - off, ")");
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "cannot prepare a statement");
	for (i = 0; i < rl_ovh_nseries(h) && !r; i++) {
		struct rl_ovh_series_info si;
		struct rl_ovh_stat s = {0};
		struct db_val v[16 + RL_DISCARD_N];

		rl_ovh_series(h, i, &si);
		r = rl_ovh_series_stat(h, i, &rep, NULL, &s, err);
		if (r < 0)
			break;
		sch->event_name(si.event, ev, sizeof(ev));
		v[0] = db_i(db->key), v[1] = db_t(rl_ovh_group_label(h, si.group));
		v[2] = db_t(ev), v[3] = db_iu(si.cpu, -1);
		v[4] = db_t(sch->event_is_ns(si.event) ? "ns" : "cycles");
		v[5] = db_i((int64_t)s.n);
		v[6] = s.n ? db_i(s.min) : (struct db_val){0};
		v[7] = s.n ? db_i(s.max) : (struct db_val){0};
		v[8] = db_r(s.mean, s.n), v[9] = db_r(s.median, s.n), v[10] = db_r(s.std, s.n);
		v[11] = db_r(s.var, s.n), v[12] = db_r(s.p90, s.n), v[13] = db_r(s.p95, s.n);
		v[14] = db_r(s.p99, s.n), v[15] = db_r(s.p999, s.n);
		for (k = 0; k < RL_DISCARD_N; k++)
			v[16 + k] = db_i((int64_t)si.discard.n[k]);
		r = db_step(db, st, v, 16 + RL_DISCARD_N, err);
		if (!r)
			r = db_ovh_samples(db, h, i, v, err);
	}
	sqlite3_finalize(st);
	return r;
}

/* Quantile @q of thread @t as a statistic: NULL when it falls among the overflows. */
static struct db_val db_cyc_q(const struct rl_cyc_thread *t, double q)
{
	double x;

	if (rl_cyclictest_quantile(t, q, &x) != 0)
		return (struct db_val){0};
	return (struct db_val){.type = 'R', .d = x};
}

/**
 * rl_db_add_cyclictest() - a cyclictest result file into histogram and overhead_stats
 * @db:    the database, after rl_db_run_begin()
 * @c:     the parsed file (readers/cyclictest.h)
 * @label: the file's name: the group of its rows is LABEL:THREAD
 * @err:   error out
 *
 * Per thread: its buckets as histogram rows (lo = hi = the bucket, in the
 * file's unit: us, or ns with --nsecs; a text file that does not say is
 * taken as us, cyclictest's default), then its overflows as one row from
 * rl_cyclictest_overflow_min() to the exact max, with the cumulative share
 * over all cycles; and one overhead_stats row (event "cyclictest"): n =
 * cycles, the exact min and max, cyclictest's own avg as the mean,
 * median and percentiles from the counts (NULL where they fall among the
 * overflows, whose values are unknown; stddev and var are NULL). The JSON
 * header (rt-tests' cmdline, rt_test_version, sysinfo, ...) goes to
 * run_param with origin "rt-tests" (the first file of a run that has one).
 *
 * Return: 0 or a negative code.
 */
int rl_db_add_cyclictest(struct rl_db *db, const struct rl_cyclictest *c, const char *label,
			 struct rl_err *err)
{
	const char *unit = c->unit == RL_CYC_UNIT_NS ? "ns" : "us";
	sqlite3_stmt *st = NULL;
	char grp[320];
	uint32_t i, b;
	int k, r = 0;

	for (i = 0; i < c->nmeta && !r; i++) {
		struct db_val v[5] = {db_i(db->key), db_t(c->meta[i].key), db_t(c->meta[i].value),
				      db_typed(c->meta[i].value), db_t("rt-tests")};

		r = db_insert(db, "INSERT OR IGNORE INTO run_param VALUES(?1, ?2, ?3, ?4, ?5)", v,
			      5, err);
	}
	if (!r && !db->hist &&
	    sqlite3_prepare_v2(db->h,
			       "INSERT INTO histogram VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			       -1, &db->hist, NULL) != SQLITE_OK)
		return db_fail(db, err, "cannot prepare a statement");
	if (!r) {
		char sql[256];
		size_t off =
			(size_t)snprintf(sql, sizeof(sql), "INSERT INTO overhead_stats VALUES(?1");

		for (k = 2; k <= 16 + RL_DISCARD_N; k++)
			off += (size_t)snprintf(sql + off, sizeof(sql) - off, ", ?%d", k);
		snprintf(sql + off, sizeof(sql) - off, ")");
		if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
			return db_fail(db, err, "cannot prepare a statement");
	}
	for (i = 0; i < c->nthreads && !r; i++) {
		const struct rl_cyc_thread *t = &c->threads[i];
		struct db_val v[16 + RL_DISCARD_N] = {{0}};
		uint64_t cum = 0;

		snprintf(grp, sizeof(grp), "%s:%u", label, t->index);
		v[0] = db_i(db->key), v[1] = db_t(grp), v[2] = db_t("cyclictest");
		v[3] = db_iu(t->cpu, -1), v[4] = db_t(unit);
		for (b = 0; b < t->nbuckets && !r; b++) {
			const struct rl_cyc_bucket *bk = &t->buckets[b];

			cum += bk->count;
			v[5] = db_i((int64_t)bk->value), v[6] = db_i((int64_t)bk->value);
			v[7] = db_i((int64_t)bk->count);
			v[8] = (struct db_val){.type = 'R', .d = (double)cum / (double)t->cycles};
			r = db_step(db, db->hist, v, 9, err);
		}
		if (!r && t->overflows) {
			v[5] = db_i((int64_t)rl_cyclictest_overflow_min(c, t));
			v[6] = db_i((int64_t)t->max), v[7] = db_i((int64_t)t->overflows);
			v[8] = (struct db_val){.type = 'R', .d = 1.0};
			r = db_step(db, db->hist, v, 9, err);
		}
		if (r)
			break;
		v[5] = db_i((int64_t)t->cycles);
		v[6] = t->cycles ? db_i((int64_t)t->min) : (struct db_val){0};
		v[7] = t->cycles ? db_i((int64_t)t->max) : (struct db_val){0};
		v[8] = db_r(t->avg, t->cycles);
		v[9] = t->cycles ? db_cyc_q(t, 0.5) : (struct db_val){0};
		v[10] = v[11] = (struct db_val){0};
		v[12] = t->cycles ? db_cyc_q(t, 0.90) : (struct db_val){0};
		v[13] = t->cycles ? db_cyc_q(t, 0.95) : (struct db_val){0};
		v[14] = t->cycles ? db_cyc_q(t, 0.99) : (struct db_val){0};
		v[15] = t->cycles ? db_cyc_q(t, 0.999) : (struct db_val){0};
		for (k = 0; k < RL_DISCARD_N; k++)
			v[16 + k] = db_i(0);
		r = db_step(db, st, v, 16 + RL_DISCARD_N, err);
	}
	sqlite3_finalize(st);
	return r;
}

/* ------------------------------------------------------------------ merge */

/* One run of a merge's inputs. */
#define DB_NTABLES (sizeof(db_tables) / sizeof(db_tables[0]))

struct db_mrun {
	char run_id[17];
	int64_t key; /* its key (column run) in its input */
	char *name;  /* NULL: none */
	size_t input;
	/* an input of several runs: the run's rows of each table are rowids
	 * lo..hi (lo > hi: none); lo = -1: not one range, copied by a scan */
	int64_t lo[DB_NTABLES], hi[DB_NTABLES];
};

static int db_mrun_key_cmp(const void *a, const void *b)
{
	int64_t x = (*(struct db_mrun *const *)a)->key, y = (*(struct db_mrun *const *)b)->key;

	return x < y ? -1 : x > y;
}

static int db_mfail(sqlite3 *h, struct rl_err *err, const char *path, const char *what)
{
	rl_err_set(err, -RL_E_LIB, path, RL_OFF_NONE, "%s", what);
	rl_err_ctx(err, "sqlite: %s", sqlite3_errmsg(h));
	return err->code;
}

/*
 * The rowid range of each run of input @path (its runs are @v[0..n), in
 * run_id order) in every table: one walk over each table in rowid order,
 * so that copying a run reads its rows only, not the whole input (a batch
 * copies each unchanged run of its old database: one scan per run and
 * table would make that quadratic). A merge writes each run's rows
 * together; a run whose rows are not one range is copied by a scan.
 */
static int db_merge_ranges(sqlite3 *h, const char *path, struct db_mrun *v, uint32_t n,
			   struct rl_err *err)
{
	struct db_mrun **by_key = calloc(n, sizeof(*by_key));
	char sql[128];
	size_t t;
	uint32_t i;
	int r = 0;

	if (!by_key)
		return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
	for (i = 0; i < n; i++) {
		by_key[i] = &v[i];
		for (t = 0; t < DB_NTABLES; t++)
			v[i].lo[t] = 1, v[i].hi[t] = 0;
	}
	qsort(by_key, n, sizeof(*by_key), db_mrun_key_cmp);
	for (t = 0; t < DB_NTABLES && !r; t++) {
		struct db_mrun *cur = NULL, probe, *pp = &probe, **hit;
		sqlite3_stmt *st;
		int rc;

		snprintf(sql, sizeof(sql), "SELECT run, rowid FROM src.%s ORDER BY rowid",
			 db_tables[t]);
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
			r = db_mfail(h, err, path, "cannot read a table");
			break;
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int null = sqlite3_column_type(st, 0) != SQLITE_INTEGER;
			int64_t key = sqlite3_column_int64(st, 0),
				row = sqlite3_column_int64(st, 1);

			if (!cur || null || key != cur->key) {
				probe.key = key;
				hit = null ? NULL
					   : bsearch(&pp, by_key, n, sizeof(*by_key),
						     db_mrun_key_cmp);
				cur = hit ? *hit : NULL;
				if (!cur)
					continue; /* not a run of the run table: not copied */
				if (cur->lo[t] <= cur->hi[t])
					cur->lo[t] = -1; /* seen before: rows apart */
				else if (cur->lo[t] != -1)
					cur->lo[t] = row;
			}
			if (cur->lo[t] != -1)
				cur->hi[t] = row;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			r = db_mfail(h, err, path, "cannot read a table");
	}
	free(by_key);
	return r;
}

static int db_mrun_cmp(const void *a, const void *b)
{
	const struct db_mrun *x = a, *y = b;
	int c = strcmp(x->run_id, y->run_id);

	if (c)
		return c;
	if (!x->name || !y->name)
		c = !!x->name - !!y->name;
	else
		c = strcmp(x->name, y->name);
	return c ? c : (x->input > y->input) - (x->input < y->input);
}

/* ATTACH @path AS src (read only). */
static int db_attach(sqlite3 *h, const char *path, struct rl_err *err)
{
	sqlite3_stmt *st;
	char *uri = sqlite3_mprintf("file:%s?mode=ro", path);
	int rc;

	if (!uri)
		return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
	/* a path with URI characters is attached by name (no query string) */
	if (strpbrk(path, "?#%")) {
		sqlite3_free(uri);
		uri = sqlite3_mprintf("%s", path);
		if (!uri)
			return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
	}
	rc = sqlite3_prepare_v2(h, "ATTACH ?1 AS src", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, uri, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
	}
	sqlite3_free(uri);
	return rc == SQLITE_OK ? 0 : db_mfail(h, err, path, "cannot open the database");
}

/* One integer from @sql, or @dflt. */
static int64_t db_int(sqlite3 *h, const char *sql, int64_t dflt)
{
	sqlite3_stmt *st;
	int64_t v = dflt;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return dflt;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* src's meta rows as "key=value\n" lines in key order (malloc'ed), or NULL. */
static char *db_meta_text(sqlite3 *h, const char *schema)
{
	struct db_str b = {0};
	sqlite3_stmt *st;
	char sql[96];

	snprintf(sql, sizeof(sql), "SELECT key, value FROM %s.meta ORDER BY key", schema);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	db_str_put(&b, "");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0),
			   *v = (const char *)sqlite3_column_text(st, 1);

		db_str_put(&b, k ? k : "");
		db_str_put(&b, "=");
		db_str_put(&b, v ? v : "");
		db_str_put(&b, "\n");
	}
	sqlite3_finalize(st);
	return b.len == SIZE_MAX ? NULL : b.s;
}

/* The first line where @a and @b differ, into @buf. */
static void db_meta_diff(const char *a, const char *b, char *buf, size_t len)
{
	while (*a && *a == *b) {
		const char *na = strchr(a, '\n'), *nb = strchr(b, '\n');

		if (!na || !nb || na - a != nb - b || memcmp(a, b, (size_t)(na - a)))
			break;
		a = na + 1, b = nb + 1;
	}
	snprintf(buf, len, "'%.*s' here, '%.*s' in the first input", (int)strcspn(a, "\n"), a,
		 (int)strcspn(b, "\n"), b);
}

/*
 * Check input @path (attached as src) against the first input's meta
 * (*@meta0; set from this one when NULL) and list its runs into @v.
 */
static int db_merge_scan(sqlite3 *h, const char *path, size_t k, char **meta0, struct db_mrun **v,
			 uint32_t *nv, uint32_t *cap, struct rl_err *err)
{
	int64_t ver = db_int(h, "PRAGMA src.user_version", -1),
		app = db_int(h, "PRAGMA src.application_id", -1);
	sqlite3_stmt *st;
	char *meta, diff[300];
	int r = 0;

	if (app != DB_APP_ID || ver < 1)
		return rl_err_set(err, -RL_E_FORMAT, path, RL_OFF_NONE,
				  "not an rtlens database (application_id %lld)", (long long)app);
	if (ver != DB_SCHEMA_VERSION)
		return rl_err_set(err, -RL_E_VERSION, path, RL_OFF_NONE,
				  "schema version %lld, this rtlens writes %d: remake it with this"
				  " version",
				  (long long)ver, DB_SCHEMA_VERSION);
	uint32_t first = *nv;

	meta = db_meta_text(h, "src");
	if (!meta)
		return db_mfail(h, err, path, "cannot read the meta table");
	if (!*meta0) {
		*meta0 = meta;
	} else {
		if (strcmp(meta, *meta0)) {
			db_meta_diff(meta, *meta0, diff, sizeof(diff));
			r = rl_err_set(err, -RL_E_USAGE, path, RL_OFF_NONE,
				       "made with another tool version or other options: %s", diff);
		}
		free(meta);
		if (r)
			return r;
	}
	if (sqlite3_prepare_v2(h, "SELECT run_id, name, run FROM src.run ORDER BY run_id", -1, &st,
			       NULL) != SQLITE_OK)
		return db_mfail(h, err, path, "cannot read the run table");
	while (!r && sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0),
			   *name = (const char *)sqlite3_column_text(st, 1);

		if (!id || strlen(id) != 16 || strspn(id, "0123456789abcdef") != 16) {
			r = rl_err_set(err, -RL_E_CORRUPT, path, RL_OFF_NONE,
				       "run table: '%.40s' is not a run_id (16 hex digits)",
				       id ? id : "NULL");
			break;
		}
		if (rl_grow((void **)v, cap, *nv + 1, sizeof(**v))) {
			r = rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
			break;
		}
		snprintf((*v)[*nv].run_id, sizeof((*v)[*nv].run_id), "%s", id ? id : "");
		(*v)[*nv].key = sqlite3_column_int64(st, 2);
		(*v)[*nv].name = name ? strdup(name) : NULL;
		(*v)[*nv].input = k;
		if (name && !(*v)[*nv].name)
			r = rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
		(*nv)++;
	}
	sqlite3_finalize(st);
	if (!r && *nv - first > 1)
		r = db_merge_ranges(h, path, *v + first, *nv - first, err);
	return r;
}

/*
 * The columns of each table after its first (the run's key), quoted and
 * comma-separated, from main's schema (the inputs have the same one).
 */
static int db_merge_cols(sqlite3 *h, char **cols, struct rl_err *err)
{
	size_t t;

	for (t = 0; t < DB_NTABLES; t++) {
		sqlite3_stmt *st;
		const char *c;
		int rc = sqlite3_prepare_v2(h,
					    "SELECT group_concat('\"' || name || '\"', ', ') FROM"
					    " pragma_table_info(?1, 'main') WHERE cid > 0",
					    -1, &st, NULL);

		if (rc == SQLITE_OK) {
			sqlite3_bind_text(st, 1, db_tables[t], -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
		}
		c = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		cols[t] = c ? strdup(c) : NULL;
		sqlite3_finalize(st);
		if (!cols[t])
			return c ? rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory")
				 : db_mfail(h, err, NULL, "cannot read the schema");
	}
	return 0;
}

/*
 * Copy run @m (every run of src when @whole) into main, table by table,
 * as run @key: a merge numbers its runs 1, 2, ... in run_id order.
 */
static int db_merge_copy(sqlite3 *h, const char *path, const struct db_mrun *m, int whole,
			 int64_t key, char *const *cols, struct rl_err *err)
{
	struct db_str sql = {0};
	size_t t;

	for (t = 0; t < DB_NTABLES; t++) {
		int range = !whole && m->lo[t] != -1;
		sqlite3_stmt *st;
		int rc;

		if (range && m->lo[t] > m->hi[t])
			continue; /* no rows of the run in this table */
		/*
		 * Always row by row (a bare SELECT * would let SQLite copy the
		 * records raw, which lays pages out otherwise): the bytes of the
		 * result do not depend on which input a run came from.
		 */
		sql.len = sql.s ? 0 : sql.len;
		db_str_put(&sql, "INSERT INTO main.");
		db_str_put(&sql, db_tables[t]);
		db_str_put(&sql, " SELECT ?4, ");
		db_str_put(&sql, cols[t]);
		db_str_put(&sql, " FROM src.");
		db_str_put(&sql, db_tables[t]);
		db_str_put(&sql, whole	 ? " WHERE ?1 IS NOT NULL"
				 : range ? " WHERE rowid BETWEEN ?2 AND ?3 AND run = ?1"
					 : " WHERE run = ?1");
		db_str_put(&sql, " ORDER BY rowid");
		if (sql.len == SIZE_MAX)
			return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
		if (sqlite3_prepare_v2(h, sql.s, -1, &st, NULL) != SQLITE_OK) {
			free(sql.s);
			return db_mfail(h, err, path, "cannot read a table");
		}
		sqlite3_bind_int64(st, 1, m->key);
		if (range) {
			sqlite3_bind_int64(st, 2, m->lo[t]);
			sqlite3_bind_int64(st, 3, m->hi[t]);
		}
		sqlite3_bind_int64(st, 4, key);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			free(sql.s);
			return db_mfail(h, err, path, "cannot copy a table");
		}
	}
	free(sql.s);
	return 0;
}

/* (Over 100 lines: open, attach and copy each input, then the summary, in one transaction sequence
 * whose clean-up is shared.) */
int rl_db_merge(const char *out, char *const *ins, size_t n,
		int (*keep)(void *, const char *, size_t), void *arg, int threads,
		struct rl_db_merge_stats *st, struct rl_err *err)
{
	struct rl_db_merge_stats dummy;
	struct db_mrun *v = NULL;
	const struct db_mrun *last = NULL;
	uint32_t nv = 0, cap = 0, i;
	size_t *nruns = NULL, k, att = SIZE_MAX;
	struct rl_db *db;
	char *meta0 = NULL, *cols[DB_NTABLES] = {0};
	int64_t key = 0;
	int r = 0, intx = 0;

	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	if (!n)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "no input databases");
	db = rl_db_open(out, threads, err);
	if (!db)
		return err->code;
	nruns = calloc(n, sizeof(*nruns));
	if (!nruns) {
		r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		goto out;
	}
	/* the schema is written; ATTACH and DETACH happen between transactions */
	if (db_exec(db, "COMMIT", err) < 0 || db_merge_cols(db->h, cols, err) < 0) {
		r = err->code;
		goto out;
	}
	for (k = 0; k < n && !r; k++) {
		uint32_t before = nv;

		r = db_attach(db->h, ins[k], err);
		if (r)
			break;
		r = db_merge_scan(db->h, ins[k], k, &meta0, &v, &nv, &cap, err);
		if (!r && k == 0 &&
		    sqlite3_exec(db->h, "INSERT INTO main.meta SELECT * FROM src.meta ORDER BY key",
				 NULL, NULL, NULL) != SQLITE_OK)
			r = db_mfail(db->h, err, ins[k], "cannot copy the meta table");
		nruns[k] = nv - before;
		if (sqlite3_exec(db->h, "DETACH src", NULL, NULL, NULL) != SQLITE_OK && !r)
			r = db_mfail(db->h, err, ins[k], "cannot close the database");
	}
	st->inputs = n;
	if (r)
		goto out;
	if (nv)
		qsort(v, nv, sizeof(*v), db_mrun_cmp);
	for (i = 0; i < nv && !r; i++) {
		const struct db_mrun *m = &v[i];

		if (keep && !keep(arg, m->run_id, m->input)) {
			st->dropped++;
			continue;
		}
		if (last && !strcmp(m->run_id, last->run_id)) {
			const char *a = m->name, *b = last->name;

			st->duplicates++;
			if (!a != !b || (a && strcmp(a, b)))
				st->conflicts++;
			continue;
		}
		last = m;
		if (att != m->input) {
			if (intx && db_exec(db, "COMMIT", err) < 0) {
				r = err->code;
				break;
			}
			intx = 0;
			if (att != SIZE_MAX &&
			    sqlite3_exec(db->h, "DETACH src", NULL, NULL, NULL) != SQLITE_OK) {
				r = db_mfail(db->h, err, ins[att], "cannot close the database");
				break;
			}
			att = SIZE_MAX;
			r = db_attach(db->h, ins[m->input], err);
			if (r)
				break;
			att = m->input;
		}
		/* one transaction per run: the file does not depend on how runs were grouped */
		if (!intx && db_exec(db, "BEGIN", err) < 0) {
			r = err->code;
			break;
		}
		intx = 1;
		r = db_merge_copy(db->h, ins[m->input], m, nruns[m->input] == 1, ++key, cols, err);
		if (!r)
			r = db_exec(db, "COMMIT", err) < 0 ? err->code : 0;
		intx = 0;
		st->runs++;
	}
	if (!r && intx)
		r = db_exec(db, "COMMIT", err);
	intx = 0;
	if (att != SIZE_MAX && sqlite3_exec(db->h, "DETACH src", NULL, NULL, NULL) != SQLITE_OK &&
	    !r)
		r = db_mfail(db->h, err, ins[att], "cannot close the database");
	if (!r)
		r = db_exec(db, "BEGIN", err);
out:
	if (intx)
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	for (i = 0; i < nv; i++)
		free(v[i].name);
	for (k = 0; k < DB_NTABLES; k++)
		free(cols[k]);
	free(v);
	free(nruns);
	free(meta0);
	intx = rl_db_close(db, !r, err);
	return r ? r : intx;
}

/* An input of a streaming merge: its path and runs, listed once. */
struct db_min {
	char *path;
	struct db_mrun *v;
	uint32_t nv, cap;
};

/*
 * A merge written run by run as the caller hands them over (rtlens batch,
 * while its other runs are still being read). Given each run in the order
 * rl_db_merge() sorts them (run_id, name, input), without the copies it
 * leaves out, it writes the same bytes: the same statements in the same
 * order, one transaction per run.
 */
struct rl_db_merger {
	struct rl_db *db;
	struct db_min *in;
	uint32_t nin, cap_in, att; /* att: the input attached, or UINT32_MAX */
	char *meta0;
	char *cols[DB_NTABLES];
	int64_t key;
};

/**
 * rl_db_merger_open() - begin a streaming merge into @out
 * @out:     the output (an empty or absent file: the caller's temporary name)
 * @threads: as for rl_db_open()
 * @err:     error out
 *
 * Return: the merge, or NULL with @err set.
 */
struct rl_db_merger *rl_db_merger_open(const char *out, int threads, struct rl_err *err)
{
	struct rl_db_merger *m = calloc(1, sizeof(*m));

	if (!m) {
		rl_err_set(err, -RL_E_NOMEM, out, RL_OFF_NONE, "out of memory");
		return NULL;
	}
	m->att = UINT32_MAX;
	m->db = rl_db_open(out, threads, err);
	if (!m->db) {
		free(m);
		return NULL;
	}
	/* as rl_db_merge(): the schema is written; ATTACH and DETACH happen between transactions */
	if (db_exec(m->db, "COMMIT", err) < 0 || db_merge_cols(m->db->h, m->cols, err) < 0) {
		rl_db_merger_close(m, 0, NULL);
		return NULL;
	}
	return m;
}

/* Attach input @path (listing its runs the first time it is seen); its index into *@k. */
static int db_merger_attach(struct rl_db_merger *m, const char *path, uint32_t *k,
			    struct rl_err *err)
{
	sqlite3 *h = m->db->h;
	uint32_t i;
	int r, first;

	for (i = 0; i < m->nin && strcmp(m->in[i].path, path); i++)
		;
	*k = i;
	if (i == m->att)
		return 0;
	if (m->att != UINT32_MAX) {
		if (sqlite3_exec(h, "DETACH src", NULL, NULL, NULL) != SQLITE_OK)
			return db_mfail(h, err, m->in[m->att].path, "cannot close the database");
		m->att = UINT32_MAX;
	}
	r = db_attach(h, path, err);
	if (r)
		return r;
	m->att = i;
	if (i < m->nin)
		return 0;
	if (rl_grow((void **)&m->in, &m->cap_in, m->nin + 1, sizeof(*m->in)))
		return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
	memset(&m->in[i], 0, sizeof(m->in[i]));
	m->in[i].path = strdup(path);
	if (!m->in[i].path)
		return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
	m->nin++;
	first = !m->meta0;
	r = db_merge_scan(h, path, i, &m->meta0, &m->in[i].v, &m->in[i].nv, &m->in[i].cap, err);
	if (!r && first &&
	    sqlite3_exec(h, "INSERT INTO main.meta SELECT * FROM src.meta ORDER BY key", NULL, NULL,
			 NULL) != SQLITE_OK)
		r = db_mfail(h, err, path, "cannot copy the meta table");
	return r;
}

/**
 * rl_db_merger_add() - copy one run into a streaming merge
 * @m:      the merge
 * @path:   the database holding it (attached once for consecutive runs of it)
 * @run_id: the run (16 hex digits)
 * @err:    error out
 *
 * The run gets the next key (1, 2, ...).
 *
 * Return: 0 or a negative code; -RL_E_CORRUPT when @path has no run @run_id.
 */
int rl_db_merger_add(struct rl_db_merger *m, const char *path, const char *run_id,
		     struct rl_err *err)
{
	const struct db_min *in;
	uint32_t k, i;
	int r = db_merger_attach(m, path, &k, err);

	if (r)
		return r;
	in = &m->in[k];
	for (i = 0; i < in->nv && strcmp(in->v[i].run_id, run_id); i++)
		;
	if (i == in->nv)
		return rl_err_set(err, -RL_E_CORRUPT, path, RL_OFF_NONE,
				  "no run %s in it (were its files changed while being read?)",
				  run_id);
	if (db_exec(m->db, "BEGIN", err) < 0)
		return err->code;
	r = db_merge_copy(m->db->h, path, &in->v[i], in->nv == 1, ++m->key, m->cols, err);
	if (r) {
		sqlite3_exec(m->db->h, "ROLLBACK", NULL, NULL, NULL);
		return r;
	}
	return db_exec(m->db, "COMMIT", err) < 0 ? err->code : 0;
}

/**
 * rl_db_merger_close() - finish a streaming merge (freed)
 * @m:   the merge (NULL: nothing)
 * @ok:  build the indexes and commit (rl_db_close()); 0: leave it (the caller removes the file)
 * @err: error out (may be NULL when @ok is 0)
 *
 * Return: 0 or a negative code.
 */
int rl_db_merger_close(struct rl_db_merger *m, int ok, struct rl_err *err)
{
	uint32_t i, k;
	int r = 0, c;

	if (!m)
		return 0;
	if (m->att != UINT32_MAX &&
	    sqlite3_exec(m->db->h, "DETACH src", NULL, NULL, NULL) != SQLITE_OK && ok)
		r = db_mfail(m->db->h, err, m->in[m->att].path, "cannot close the database");
	if (ok && !r)
		r = db_exec(m->db, "BEGIN", err);
	c = rl_db_close(m->db, ok && !r, err);
	if (!r)
		r = c;
	for (i = 0; i < m->nin; i++) {
		for (k = 0; k < m->in[i].nv; k++)
			free(m->in[i].v[k].name);
		free(m->in[i].v);
		free(m->in[i].path);
	}
	for (i = 0; i < DB_NTABLES; i++)
		free(m->cols[i]);
	free(m->in);
	free(m->meta0);
	free(m);
	return r;
}

/**
 * rl_db_runs() - the runs of an rtlens database and whether it was made so
 * @path:  the database
 * @tool_version, @opts, @nopts: what rl_db_run_begin() would write to meta
 * @fn:    called with each run_id and name (NULL if none)
 * @arg:   for @fn
 * @err:   error out
 *
 * Return: 1 if the file has this schema and exactly that meta (its runs
 * were then given to @fn), 0 if not (made otherwise: nothing is reusable),
 * or a negative code when it cannot be read.
 */
int rl_db_runs(const char *path, const char *tool_version, const struct rl_db_opt *opts,
	       size_t nopts, int (*fn)(void *, const char *, const char *), void *arg,
	       struct rl_err *err)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	struct db_str want = {0};
	char ver[16], *meta = NULL;
	int r = 0;
	size_t i;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		r = db_mfail(h, err, path, "cannot open the database");
		goto out;
	}
	if (db_int(h, "PRAGMA application_id", -1) != DB_APP_ID ||
	    db_int(h, "PRAGMA user_version", -1) != DB_SCHEMA_VERSION)
		goto out;
	/* the meta rows rl_db_run_begin() writes, in key order */
	{
		struct rl_db_opt all[64];
		size_t na = 0, a, b;

		snprintf(ver, sizeof(ver), "%d", DB_SCHEMA_VERSION);
		all[na++] = (struct rl_db_opt){"tool_version", tool_version};
		all[na++] = (struct rl_db_opt){"schema_version", ver};
		all[na++] = (struct rl_db_opt){"run_id_hash", "fnv1a64"};
		for (i = 0; i < nopts && na < 64; i++)
			all[na++] = opts[i];
		for (a = 1; a < na; a++)
			for (b = a; b > 0 && strcmp(all[b - 1].key, all[b].key) > 0; b--) {
				struct rl_db_opt t = all[b];

				all[b] = all[b - 1], all[b - 1] = t;
			}
		db_str_put(&want, "");
		for (a = 0; a < na; a++) {
			if (a + 1 < na && !strcmp(all[a].key, all[a + 1].key))
				continue; /* INSERT OR REPLACE: the last one stays */
			db_str_put(&want, all[a].key);
			db_str_put(&want, "=");
			db_str_put(&want, all[a].value ? all[a].value : "");
			db_str_put(&want, "\n");
		}
	}
	meta = db_meta_text(h, "main");
	if (!meta || want.len == SIZE_MAX || strcmp(meta, want.s))
		goto out;
	if (sqlite3_prepare_v2(h, "SELECT run_id, name FROM run ORDER BY run_id", -1, &st, NULL) !=
	    SQLITE_OK) {
		r = db_mfail(h, err, path, "cannot read the run table");
		goto out;
	}
	r = 1;
	while (r == 1 && sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0),
			   *name = (const char *)sqlite3_column_text(st, 1);

		if (id && fn(arg, id, name) < 0)
			r = rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	free(meta);
	free(want.s);
	return r;
}

/* One CSV cell: quoted when it holds a comma, a quote or a line break. */
static void db_csv_cell(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/**
 * rl_db_write_csv() - a query's rows as CSV with a header line
 * @path: the database
 * @sql:  the query (rtlens batch: SELECT * FROM run_summary)
 * @f:    where
 * @err:  error out
 *
 * NULL is an empty cell; numbers are written as SQLite prints them.
 *
 * Return: 0 or a negative code.
 */
int rl_db_write_csv(const char *path, const char *sql, FILE *f, struct rl_err *err)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int r = 0, n, i, rc;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		r = db_mfail(h, err, path, "cannot read the database");
		goto out;
	}
	n = sqlite3_column_count(st);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		db_csv_cell(f, sqlite3_column_name(st, i));
	}
	fputc('\n', f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			const char *s = (const char *)sqlite3_column_text(st, i);

			if (i)
				fputc(',', f);
			if (s)
				db_csv_cell(f, s);
		}
		fputc('\n', f);
	}
	if (rc != SQLITE_DONE)
		r = db_mfail(h, err, path, "cannot read the database");
	else if (ferror(f))
		r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write the CSV");
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return r;
}

/**
 * rl_db_write_table_csv() - a table's rows as CSV, run_id first
 * @path:  the database
 * @table: a table whose first column is the run's key (job, linux_job, ...)
 * @f:     where
 * @err:   error out
 *
 * The rows in rowid order, the key given as the run's run_id (a column
 * named run_id), as the table held it before schema 4.
 *
 * Return: 0 or a negative code.
 */
int rl_db_write_table_csv(const char *path, const char *table, FILE *f, struct rl_err *err)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	struct db_str q = {0};
	const char *cols = NULL;
	int r = 0;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h,
			       "SELECT group_concat('t.\"' || name || '\"', ', ') FROM"
			       " pragma_table_info(?1) WHERE cid > 0",
			       -1, &st, NULL) != SQLITE_OK) {
		r = db_mfail(h, err, path, "cannot read the database");
		goto out;
	}
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		cols = (const char *)sqlite3_column_text(st, 0);
	if (!cols) {
		r = db_mfail(h, err, path, "cannot read the database");
		goto out;
	}
	db_str_put(&q, "SELECT (SELECT run_id FROM run r WHERE r.run = t.run) AS run_id, ");
	db_str_put(&q, cols);
	db_str_put(&q, " FROM ");
	db_str_quoted(&q, table, '"');
	db_str_put(&q, " t ORDER BY t.rowid");
	if (q.len == SIZE_MAX)
		r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	if (!r)
		r = rl_db_write_csv(path, q.s, f, err);
	free(q.s);
	return r;
}

/**
 * rl_db_add_clock_offsets() - the per-CPU clock offsets of the skew estimate
 * @db:     the database
 * @res:    the solved offsets (rl_skew_est_solve())
 * @method: how the pairs were found ("feather-trace-ipi")
 * @unit:   the unit of the offsets ("cycles")
 * @err:    error out
 *
 * One clock_offset row per CPU: offset = clock_cpu - clock_ref and its
 * uncertainty (NULL unless bounded on both sides), the bounds, the quality.
 *
 * Return: 0 or a negative code.
 */
int rl_db_add_clock_offsets(struct rl_db *db, const struct rl_skew_result *res, const char *method,
			    const char *unit, struct rl_err *err)
{
	uint32_t i;

	for (i = 0; i < res->ncpu; i++) {
		const struct rl_skew_cpu *c = &res->cpus[i];
		int both = c->quality == RL_SKEW_ACCURATE || c->quality == RL_SKEW_APPROXIMATE;
		struct db_val v[11] = {
			db_i(db->key),
			db_i(c->cpu),
			db_i(res->ref),
			both ? db_i(c->offset) : (struct db_val){0},
			both ? db_i(c->uncert) : (struct db_val){0},
			c->has_lo ? db_i(c->lo) : (struct db_val){0},
			c->has_hi ? db_i(c->hi) : (struct db_val){0},
			db_t(unit),
			db_t(rl_skew_quality_name(c->quality)),
			db_i((int64_t)c->pairs),
			db_t(method),
		};

		if (db_insert(db,
			      "INSERT INTO clock_offset VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
			      "?10,"
			      " ?11)",
			      v, 11, err) < 0)
			return err->code;
	}
	return 0;
}

/* ------------------------------------------------ exps-csv (parse_exps.py) */

/*
 * The per-run statistics of the export, one row per (run, stat, inner type):
 * schedule statistics reduced over the run's tasks, overheads per event
 * (the series of all CPUs), in µs when the run has a clock-frequency
 * parameter (cycles per µs, as experiment-scripts), else in raw units.
 */
static const char exps_setup[] =
	"CREATE TEMP VIEW exps_param AS SELECT p.run AS run, p.key AS key, (SELECT"
	" q.typed FROM run_param q WHERE q.run = p.run AND q.key = p.key ORDER BY CASE"
	" q.origin WHEN 'params.py' THEN 0 WHEN 'folder' THEN 1 ELSE 2 END LIMIT 1) AS v, (SELECT"
	" q.value FROM run_param q WHERE q.run = p.run AND q.key = p.key ORDER BY CASE"
	" q.origin WHEN 'params.py' THEN 0 WHEN 'folder' THEN 1 ELSE 2 END LIMIT 1) AS t FROM"
	" (SELECT DISTINCT run, key FROM run_param r WHERE r.origin = 'params.py' OR NOT"
	" EXISTS (SELECT 1 FROM run_param z WHERE z.run = r.run AND z.origin ="
	" 'params.py')) p;"
	"CREATE TEMP TABLE exps_task AS SELECT j.run AS run, j.task_id AS task_id,"
	" CAST(SUM(j.dl_miss) AS REAL) / COUNT(j.dl_miss) AS miss,"
	" CAST(MAX(j.tardiness) AS REAL) / t.period AS tmax,"
	" AVG(j.tardiness) / t.period AS tavg, MAX(j.susp_time) / 1e6 AS bmax,"
	" AVG(j.susp_time) / 1e6 AS bavg FROM job j JOIN task t USING (run, task_id)"
	" GROUP BY j.run, j.task_id;"
	"CREATE TEMP TABLE exps_stat(run INTEGER, stat TEXT, inner TEXT, value REAL);"
	"INSERT INTO exps_stat SELECT run, s.name, i.name, CASE i.name"
	" WHEN 'Max' THEN MAX(s.x) WHEN 'Min' THEN MIN(s.x) WHEN 'Avg' THEN AVG(s.x)"
	" ELSE AVG((s.x - s.m) * (s.x - s.m)) END FROM (SELECT *, AVG(x) OVER (PARTITION BY"
	" run, name) AS m FROM (SELECT run, 'miss-ratio' AS"
	" name, miss AS x FROM exps_task UNION ALL SELECT run, 'tard-max', tmax FROM"
	" exps_task UNION ALL SELECT run, 'tard-avg', tavg FROM exps_task UNION ALL SELECT"
	" run, 'block-max', bmax FROM exps_task UNION ALL SELECT run, 'block-avg', bavg"
	" FROM exps_task)) s, (SELECT 'Max' AS name UNION ALL SELECT 'Min' UNION ALL SELECT"
	" 'Avg' UNION ALL SELECT 'Var') i WHERE s.x IS NOT NULL GROUP BY run, s.name, i.name;"
	"INSERT INTO exps_stat SELECT o.run, o.event, i.name, CASE i.name WHEN 'Max' THEN"
	" MAX(o.max) / f.c WHEN 'Min' THEN MIN(o.min) / f.c WHEN 'Avg' THEN SUM(o.mean * o.n) /"
	" SUM(o.n) / f.c ELSE MAX(o.var) / (f.c * f.c) END FROM overhead_stats o JOIN (SELECT"
	" r.run AS run, COALESCE((SELECT CAST(v AS REAL) FROM exps_param e WHERE"
	" e.run = r.run AND e.key = 'clock-frequency' AND typeof(v) IN ('integer',"
	" 'real') AND v > 0), 1.0) AS c FROM run r) f USING (run), (SELECT 'Max' AS name"
	" UNION ALL SELECT 'Min' UNION ALL SELECT 'Avg' UNION ALL SELECT 'Var') i WHERE"
	" o.cpu IS NULL AND o.n > 0 AND o.unit = 'cycles' GROUP BY o.run, o.event, i.name;";

/* @s with '_' and '=' as '-' (experiment-scripts' ColMap.encode), into @b. */
static void exps_enc(struct db_str *b, const char *s)
{
	for (; *s; s++)
		db_str_add(b, *s == '_' || *s == '=' ? "-" : s, 1);
}

/*
 * The varying parameters (more than one value over the runs), in key order;
 * not trial and clock-frequency, which parse_exps.py takes out of its ColMap.
 */
static int exps_keys(sqlite3 *h, char ***keys, int **numeric, uint32_t *n)
{
	sqlite3_stmt *st;
	uint32_t cap = 0, capn = 0;

	*n = 0;
	if (sqlite3_prepare_v2(
		    h,
		    "SELECT key, SUM(typeof(v) NOT IN ('integer', 'real')) = 0 FROM"
		    " exps_param WHERE key NOT IN ('trial', 'clock-frequency') GROUP BY key HAVING"
		    " COUNT(DISTINCT v) > 1 ORDER BY key",
		    -1, &st, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);

		if (rl_grow((void **)keys, &cap, *n + 1, sizeof(**keys)) ||
		    rl_grow((void **)numeric, &capn, *n + 1, sizeof(**numeric)) ||
		    !((*keys)[*n] = strdup(k ? k : ""))) {
			sqlite3_finalize(st);
			return -2;
		}
		(*numeric)[*n] = sqlite3_column_int(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * One (stat, x variable, outer, inner) of the tree: for each combination of
 * the other varying parameters (grouped by their values), a file of "x,y"
 * lines in numeric x order, y the outer reduction over the runs at that x
 * of the run's inner statistic. A file with a single x is not written.
 * (Over 100 lines: the query is built clause by clause, then its rows become files.)
 */
static int exps_write_one(sqlite3 *h, const char *dir, const char *stat, char **keys, uint32_t nk,
			  uint32_t x, const char *outer, struct rl_err *err, const char *inner)
{
	struct db_str q = {0}, path = {0}, prev = {0};
	sqlite3_stmt *st = NULL;
	uint32_t k;
	FILE *f = NULL;
	char **lines = NULL;
	uint32_t nl = 0, capl = 0;
	int r = 0, rc, i;
	static const char *const agg[] = {
		"Max", "MAX(s.value)",
		"Min", "MIN(s.value)",
		"Avg", "AVG(s.value)",
		"Var", "AVG(s.value * s.value) - AVG(s.value) * AVG(s.value)"};

	db_str_put(&q, "SELECT ");
	for (i = 0; i < 8 && strcmp(agg[i], outer); i += 2)
		;
	db_str_put(&q, agg[i + 1]);
	db_str_put(&q, ", CAST(px.v AS REAL) AS x, MIN(px.t)");
	/* the other varying parameters, in reverse key order (ColMap's file names) */
	for (k = nk; k-- > 0;)
		if (k != x) {
			char col[32];

			snprintf(col, sizeof(col), ", p%u.v", k);
			db_str_put(&q, col);
		}
	db_str_put(&q, " FROM exps_stat s JOIN exps_param px ON px.run = s.run AND px.key = ");
	db_str_quoted(&q, keys[x], '\'');
	for (k = 0; k < nk; k++)
		if (k != x) {
			char j[96];

			snprintf(j, sizeof(j),
				 " LEFT JOIN exps_param p%u ON p%u.run = s.run AND p%u.key = ", k,
				 k, k);
			db_str_put(&q, j);
			db_str_quoted(&q, keys[k], '\'');
		}
	db_str_put(&q, " WHERE s.stat = ");
	db_str_quoted(&q, stat, '\'');
	db_str_put(&q, " AND s.inner = ");
	db_str_quoted(&q, inner, '\'');
	db_str_put(&q, " GROUP BY ");
	for (k = nk; k-- > 0;)
		if (k != x) {
			char col[16];

			snprintf(col, sizeof(col), "p%u.v, ", k);
			db_str_put(&q, col);
		}
	db_str_put(&q, "x ORDER BY ");
	for (k = nk; k-- > 0;)
		if (k != x) {
			char col[16];

			snprintf(col, sizeof(col), "p%u.v, ", k);
			db_str_put(&q, col);
		}
	db_str_put(&q, "x");
	if (q.len == SIZE_MAX) {
		r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(h, q.s, -1, &st, NULL) != SQLITE_OK) {
		r = db_mfail(h, err, NULL, "cannot read the database for the exps-csv export");
		goto out;
	}
	db_str_put(&prev, "\001");
	for (;;) {
		struct db_str name = {0};
		int c = 3;

		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			for (k = nk; k-- > 0;)
				if (k != x) {
					const char *v = (const char *)sqlite3_column_text(st, c++);

					if (!v)
						continue;
					if (name.len)
						db_str_put(&name, "_");
					exps_enc(&name, keys[k]);
					db_str_put(&name, "=");
					exps_enc(&name, v);
				}
			db_str_put(&name, "");
		}
		/* a group ends: its lines into a file (two x values at least) */
		if (rc != SQLITE_ROW || strcmp(name.s ? name.s : "", prev.s)) {
			if (nl >= 2) {
				path.len = 0;
				db_str_put(&path, dir);
				db_str_put(&path, "/");
				exps_enc(&path, stat);
				db_str_put(&path, "/");
				exps_enc(&path, keys[x]);
				db_str_put(&path, "/");
				db_str_put(&path, inner);
				db_str_put(&path, "/");
				db_str_put(&path, outer);
				db_str_put(&path, "/");
				db_str_put(&path, *prev.s ? prev.s : "line");
				db_str_put(&path, ".csv");
				if (path.len == SIZE_MAX || rl_mkdirs(path.s, 0) ||
				    !(f = fopen(path.s, "w"))) {
					r = rl_err_set(err, -RL_E_IO, path.s, RL_OFF_NONE,
						       "cannot write: %s", strerror(errno));
					free(name.s);
					break;
				}
				for (k = 0; k < nl; k++)
					fputs(lines[k], f);
				if (ferror(f) | fclose(f)) {
					r = rl_err_set(err, -RL_E_IO, path.s, RL_OFF_NONE,
						       "cannot write");
					free(name.s);
					break;
				}
			}
			for (k = 0; k < nl; k++)
				free(lines[k]);
			nl = 0;
			prev.len = 0;
			db_str_put(&prev, name.s ? name.s : "");
		}
		if (rc != SQLITE_ROW) {
			free(name.s);
			break;
		}
		if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
			char line[96];

			/* x as params.py spells it, y as Python 2's str(float) ("%.12g") */
			snprintf(line, sizeof(line), "%.40s,%.12g\n",
				 (const char *)sqlite3_column_text(st, 2),
				 sqlite3_column_double(st, 0));
			if (rl_grow((void **)&lines, &capl, nl + 1, sizeof(*lines)) ||
			    !(lines[nl] = strdup(line))) {
				r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
					       "out of memory");
				free(name.s);
				break;
			}
			nl++;
		}
		free(name.s);
	}
	if (!r && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = db_mfail(h, err, NULL, "cannot read the database for the exps-csv export");
out:
	for (k = 0; k < nl; k++)
		free(lines[k]);
	free(lines);
	sqlite3_finalize(st);
	free(q.s);
	free(path.s);
	free(prev.s);
	return r;
}

/**
 * rl_db_export_exps() - experiment-scripts' parse_exps.py CSV tree from a database
 * @path: the database (rtlens batch's rtlens.db)
 * @dir:  the tree's root (created; files in it are replaced, others left)
 * @err:  error out
 *
 * DIR/STAT/VARIABLE/INNER/OUTER/OTHER.csv, as parse_exps.py lays it out
 * (experiment-scripts @ 0b0cfe0, ReducedTupleTable.__add_to_dirmap: the
 * run's own statistic, then the summary over the runs of one point):
 * STAT is miss-ratio, tard-max, tard-avg (tardiness over the period),
 * block-max, block-avg (suspension, ms) or an overhead event (µs with the
 * run's clock-frequency parameter, else cycles); VARIABLE a numeric
 * parameter that varies over the runs (not trial); INNER (Max, Min, Avg,
 * Var) reduces over the run's tasks (overheads: over its samples), OUTER
 * over the runs of one point; the parameters are a run's params.py ones
 * (parse_exps.py reads no folder names), its name parts when it has none; OTHER the other varying
 * parameters as key=value joined by '_' in reverse key order ('_' and '=' inside them written '-'),
 * or "line". OUTER/INNER pairs are those parse_exps.py summarises: Max/Max, Min/Min and Avg of
 * each INNER. Each file holds "x,y" lines without a header in numeric x order, x spelt as in
 * params.py (str() of the value), y as Python 2's str(float) ("%.12g"); a file with a single
 * point is not written.
 *
 * Return: 0 or a negative code.
 */
int rl_db_export_exps(const char *path, const char *dir, struct rl_err *err)
{
	static const char *const types[] = {"Max", "Min", "Avg", "Var"};
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	char **keys = NULL, **stats = NULL;
	int *numeric = NULL, r = 0;
	uint32_t nk = 0, ns = 0, caps = 0, i, x;
	int o, in;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_exec(h, exps_setup, NULL, NULL, NULL) != SQLITE_OK) {
		r = db_mfail(h, err, path, "cannot read the database for the exps-csv export");
		goto out;
	}
	if (mkdir(dir, 0777) && errno != EEXIST) {
		r = rl_err_set(err, -RL_E_IO, dir, RL_OFF_NONE, "cannot create the folder: %s",
			       strerror(errno));
		goto out;
	}
	r = exps_keys(h, &keys, &numeric, &nk);
	if (r == -2 || (!r && sqlite3_prepare_v2(h,
						 "SELECT DISTINCT stat FROM exps_stat ORDER BY"
						 " stat",
						 -1, &st, NULL) != SQLITE_OK)) {
		r = r == -2 ? rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory")
			    : db_mfail(h, err, path, "cannot read the database");
		goto out;
	}
	if (r) {
		r = db_mfail(h, err, path, "cannot read the database");
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);

		if (rl_grow((void **)&stats, &caps, ns + 1, sizeof(*stats)) ||
		    !(stats[ns] = strdup(s ? s : ""))) {
			r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
			goto out;
		}
		ns++;
	}
	for (i = 0; i < ns && !r; i++)
		for (x = 0; x < nk && !r; x++) {
			if (!numeric[x])
				continue;
			/* parse_exps.py's summaries: Max of Max, Min of Min, Avg of each */
			for (o = 0; o < 3 && !r; o++)
				for (in = 0; in < 4 && !r; in++)
					if (o == 2 || o == in)
						r = exps_write_one(h, dir, stats[i], keys, nk, x,
								   types[o], err, types[in]);
		}
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	for (i = 0; i < nk; i++)
		free(keys[i]);
	for (i = 0; i < ns; i++)
		free(stats[i]);
	free(keys);
	free(stats);
	free(numeric);
	return r;
}

/**
 * rl_db_add_run_file() - note a file made from a run (rtlens batch --plots)
 * @path: a database of one run
 * @kind: what the file shows ("schedule", "response-cdf", "cdf:CXS", ...)
 * @file: where it is (relative to the batch's output folder)
 * @err:  error out
 *
 * Return: 0 or a negative code.
 */
int rl_db_add_run_file(const char *path, const char *kind, const char *file, struct rl_err *err)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int r = 0;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "INSERT INTO run_file SELECT run, ?1, ?2 FROM run", -1, &st,
			       NULL) != SQLITE_OK) {
		r = db_mfail(h, err, path, "cannot write the database");
	} else {
		sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			r = db_mfail(h, err, path, "cannot write the database");
	}
	sqlite3_finalize(st);
	if (h && sqlite3_close(h) != SQLITE_OK && !r)
		r = rl_err_set(err, -RL_E_LIB, path, RL_OFF_NONE, "cannot close the database");
	return r;
}
