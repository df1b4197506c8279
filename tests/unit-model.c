/* tests/unit-model.c - string table, task table, errors, merge, row store, quantiles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../stats/stats.h"
#include "arr-cursor.h"
#include "tap.h"

static struct rl_event ev_at(int64_t ts, uint32_t cpu, int64_t arg)
{
	struct rl_event e;

	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.cpu = cpu;
	e.arg = arg;
	e.type = RL_EV_OTHER;
	e.task = e.task2 = RL_NO_TASK;
	return e;
}

static int collect_row(void *arg, const void *row, struct rl_err *err)
{
	uint64_t **p = arg;

	(void)err;
	memcpy(*p, row, sizeof(uint64_t));
	(*p)++;
	return 0;
}

/*
 * Merge @k cursors of random sorted streams (times from a few values, so
 * that many are equal, some streams empty) and check the order against
 * (ts, cursor, place in cursor): both the scan (k <= 8) and the heap.
 */
static int merge_random_ok(struct rl_trace *t, uint32_t k, unsigned seed)
{
	struct rl_event *ev[20];
	struct rl_cursor *curs[20];
	size_t n[20], i, total = 0, got = 0;
	struct rl_merge *m;
	struct rl_event e;
	struct rl_err err;
	int64_t prev_ts = INT64_MIN, prev_key = -1;
	int bad = 0;
	uint32_t c;

	srand(seed);
	for (c = 0; c < k; c++) {
		int64_t ts = rand() % 4;

		n[c] = (size_t)(rand() % 5 == 0 ? 0 : rand() % 300);
		ev[c] = calloc(n[c] ? n[c] : 1, sizeof(**ev));
		for (i = 0; i < n[c]; i++) {
			ts += rand() % 3 == 0 ? rand() % 4 : 0;
			/* arg: cursor and place, the order among equal times */
			ev[c][i] = ev_at(ts, c, (int64_t)c * 1000 + (int64_t)i);
		}
		total += n[c];
		curs[c] = arr_cursor(ev[c], n[c], c);
	}
	rl_err_init(&err);
	m = rl_merge_new(t, curs, k, &err);
	while (m && rl_merge_next(m, &e, &err) == 1) {
		if (e.ts < prev_ts || (e.ts == prev_ts && e.arg <= prev_key))
			bad++;
		prev_ts = e.ts;
		prev_key = e.arg;
		got++;
	}
	rl_merge_free(m);
	for (c = 0; c < k; c++)
		free(ev[c]);
	return m && !bad && got == total;
}

int main(void)
{
	struct rl_strtab *st = rl_strtab_new();
	struct rl_trace *t = rl_trace_new();
	struct rl_err err;
	uint32_t a, b, c, i;

	/* string table */
	a = rl_strtab_intern(st, "rtspin", 6);
	b = rl_strtab_intern(st, "rtspin\0garbage", 14);
	c = rl_strtab_intern(st, "other", 5);
	ok(a && a == b, "interning stops at NUL and deduplicates");
	ok(c && c != a, "different strings get different ids");
	is_str(rl_strtab_get(st, a), "rtspin", "lookup returns the string");
	is_str(rl_strtab_get(st, 0), "", "id 0 is the empty string");
	is_str(rl_strtab_get(st, 999999), "", "unknown id is the empty string");
	for (i = 0; i < 100000; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "s%u", i);
		if (rl_strtab_intern(st, buf, strlen(buf)) == 0)
			break;
	}
	is_int(i, 100000, "100000 strings interned (no fixed cap)");
	is_str(rl_strtab_get(st, rl_strtab_intern(st, "s77777", 6)), "s77777",
	       "a string survives rehashing");
	rl_strtab_free(st);

	/* task table: no caps, pid reuse */
	for (i = 1; i <= 70000; i++)
		if (rl_trace_task(t, (int32_t)i) != i - 1)
			break;
	is_int(i, 70001, "70000 tasks, indices in order of creation");
	is_int(rl_trace_task(t, 123), 122, "an existing pid finds its task");
	a = rl_trace_task_renew(t, 123);
	is_int(a, 70000, "a reused pid gets a new task");
	is_int(rl_trace_task_find(t, 123), a, "later lookups find the new task");
	is_int(t->tasks[a].generation, 1, "the new task is generation 1");
	is_int(rl_trace_task_find(t, 999999), RL_NO_TASK, "unknown pid is not found");

	/* errors */
	rl_err_init(&err);
	is_int(rl_err_set(&err, -RL_E_CORRUPT, "f.bin", 0x30, "record type %u", 77), -RL_E_CORRUPT,
	       "rl_err_set returns the code");
	rl_err_ctx(&err, "while reading cpu %d", 3);
	is_str(err.msg, "record type 77", "message formatted");
	is_int(err.off, 0x30, "offset kept");
	is_str(err.ctx[0], "while reading cpu 3", "cause appended");
	is_str(rl_strerror(-RL_E_TRUNCATED), "unexpected end of file", "strerror of a code");

	/* warnings: kept whole however long (a deep folder's path in the text) */
	{
		char longp[1200];

		memset(longp, 'd', sizeof(longp) - 1);
		longp[sizeof(longp) - 1] = 0;
		for (i = 0; i < RL_WARN_KEEP + 2; i++)
			rl_trace_warn(t, RL_W_OTHER, UINT16_MAX, RL_OFF_NONE,
				      "file %s/x.bin skipped", longp);
		ok(t->warns[RL_W_OTHER][0].msg &&
			   strlen(t->warns[RL_W_OTHER][0].msg) == 5 + 1199 + 14,
		   "a 1218-character warning is kept whole");
		is_int(t->warn_count[RL_W_OTHER], RL_WARN_KEEP + 2, "every warning counted");
	}

	/* merge: by time, then cursor order; late events flagged and counted */
	{
		static struct rl_event e0[3], e1[3];
		struct rl_cursor *curs[2];
		struct rl_merge *m;
		struct rl_event ev;
		int64_t got[6];
		int n = 0;

		e0[0] = ev_at(10, 0, 0);
		e0[1] = ev_at(30, 0, 1);
		e0[2] = ev_at(30, 0, 2);
		e1[0] = ev_at(5, 1, 3);
		e1[1] = ev_at(30, 1, 4);
		e1[2] = ev_at(20, 1, 5); /* older than what was merged: late */
		curs[0] = arr_cursor(e0, 3, 0);
		curs[1] = arr_cursor(e1, 3, 0);
		m = rl_merge_new(t, curs, 2, &err);
		ok(m != NULL, "merge created");
		while (n < 6 && rl_merge_next(m, &ev, &err) == 1)
			got[n++] = ev.arg * 1000 + (ev.flags & RL_EVF_LATE ? 1 : 0);
		is_int(n, 6, "all events merged");
		is_int(got[0], 3000, "earliest first");
		is_int(got[1], 0, "then time 10");
		is_int(got[2], 1000, "equal times: lower cursor first");
		is_int(got[3], 2000, "equal times: cursor order kept");
		is_int(got[4], 4000, "then the other cursor's time-30 event");
		is_int(got[5], 5001, "a late event comes out flagged");
		is_int(t->warn_count[RL_W_UNORDERED], 1, "and counted as unordered");
		is_int(rl_merge_next(m, &ev, &err), 0, "end of merge");
		rl_merge_free(m);
	}

	/* merge order with few cursors (scanned) and many (heap), equal times everywhere */
	{
		static const uint32_t ks[] = {1, 2, 3, 4, 7, 8, 9, 12, 20};
		int bad = 0;
		size_t ki;
		unsigned s;

		for (ki = 0; ki < sizeof(ks) / sizeof(ks[0]); ki++)
			for (s = 1; s <= 20; s++)
				bad += !merge_random_ok(t, ks[ki], s * 7 + ks[ki]);
		is_int(bad, 0, "random merges of 1..20 cursors in (ts, cursor, place) order");
	}

	/* row store: many rows, several keys, spilled and read back in order */
	{
		struct rl_rowstore *rs = rl_rowstore_new(sizeof(uint64_t), 0);
		uint64_t *buf = malloc(sizeof(uint64_t) * 200000), *p;
		uint64_t k, bad = 0;

		for (k = 0; k < 300000; k++) {
			uint64_t v = k;

			if (rl_rowstore_add(rs, (uint32_t)(k % 3), &v, &err))
				break;
		}
		is_int(k, 300000, "300000 rows stored");
		is_int(rl_rowstore_count(rs, 1), 100000, "key 1 holds a third");
		p = buf;
		ok(rl_rowstore_each(rs, 1, collect_row, &p, &err) == 0, "rows read back");
		is_int(p - buf, 100000, "as many as were stored");
		for (k = 0; k < 100000; k++)
			if (buf[k] != 3 * k + 1)
				bad++;
		is_int(bad, 0, "in insertion order, across spilled chunks");
		p = buf;
		ok(rl_rowstore_each(rs, 7, collect_row, &p, &err) == 0 && p == buf,
		   "a key without rows yields none");
		free(buf);
		rl_rowstore_free(rs);
	}

	/* quantiles: numpy's linear interpolation */
	{
		int64_t v[] = {1, 2, 3, 4, 10};

		ok(rl_quantile_sorted(v, 5, 0.5) == 3.0, "median of 5 values");
		ok(rl_quantile_sorted(v, 5, 0.99) > 9.7 && rl_quantile_sorted(v, 5, 0.99) < 9.8,
		   "p99 interpolates between the two largest (9.76)");
		ok(rl_quantile_sorted(v, 4, 0.5) == 2.5, "median of 4 values is the midpoint");
		ok(rl_quantile_sorted(v, 0, 0.5) == 0.0, "no values: 0");
	}
	rl_trace_free(t);
	done_testing();
	return exit_status();
}
