/* tests/unit-rowstore.c - the row store keeps rows per key in order, in memory and spilled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../stats/stats.h"
#include "tap.h"

/* A 24-byte row that says where it came from. */
struct row {
	uint64_t key, seq, check;
};

struct walk {
	uint64_t key, next, bad;
};

static int walk_row(void *arg, const void *p, struct rl_err *err)
{
	struct walk *w = arg;
	struct row r;

	(void)err;
	memcpy(&r, p, sizeof(r));
	if (r.key != w->key || r.seq != w->next || r.check != (r.key * 1000003u ^ r.seq))
		w->bad++;
	w->next++;
	return 0;
}

static int stop_row(void *arg, const void *p, struct rl_err *err)
{
	(void)p;
	if (++*(int *)arg == 3)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "stop");
	return 0;
}

/* Store @n rows over @nkeys keys with @budget; check every key reads back complete. */
static void fill_and_check(uint64_t budget, uint64_t n, uint32_t nkeys, int want_spill)
{
	struct rl_rowstore *rs = rl_rowstore_new(sizeof(struct row), budget);
	uint64_t i, *seq = calloc(nkeys, sizeof(*seq)), bad = 0, total = 0;
	struct rl_err err = {0};
	uint32_t k;

	ok(rs != NULL, "store with budget %llu", (unsigned long long)budget);
	for (i = 0; i < n; i++) {
		/* uneven key mix: key 0 gets half the rows */
		uint32_t key = (i & 1) ? 0 : (uint32_t)(i / 2 % nkeys);
		struct row r = {key, seq[key], key * 1000003u ^ seq[key]};

		seq[key]++;
		if (rl_rowstore_add(rs, key, &r, &err))
			break;
	}
	is_int(i, n, "%llu rows stored", (unsigned long long)n);
	if (want_spill)
		ok(rl_rowstore_nspilled(rs) > 0, "chunks were spilled (%llu)",
		   (unsigned long long)rl_rowstore_nspilled(rs));
	else
		is_int(rl_rowstore_nspilled(rs), 0, "nothing spilled within the default budget");
	for (k = 0; k < nkeys; k++) {
		struct walk w = {.key = k};

		if (rl_rowstore_each(rs, k, walk_row, &w, &err))
			bad++;
		bad += w.bad;
		if (w.next != seq[k] || rl_rowstore_count(rs, k) != seq[k])
			bad++;
		total += w.next;
	}
	is_int(total, n, "every row read back");
	is_int(bad, 0, "each key's rows complete and in insertion order");
	free(seq);
	rl_rowstore_free(rs);
}

int main(void)
{
	struct rl_err err = {0};

	/* 8 KiB chunks; a 16 KiB budget keeps two chunks, the rest goes to the file */
	fill_and_check(16384, 100000, 5, 1);
	/* a budget smaller than one chunk: every full chunk spills */
	fill_and_check(1, 20000, 3, 1);
	/* the default budget (0) keeps 2.4 MB in memory */
	fill_and_check(0, 100000, 5, 0);

	/* the walk stops at a callback's error, and the error comes back */
	{
		struct rl_rowstore *rs = rl_rowstore_new(sizeof(struct row), 1);
		struct row r = {0};
		int i, seen = 0;

		for (i = 0; i < 2000; i++)
			rl_rowstore_add(rs, 2, &r, &err);
		ok(rl_rowstore_nspilled(rs) > 0, "spilled before the early stop");
		is_int(rl_rowstore_each(rs, 2, stop_row, &seen, &err), -RL_E_USAGE,
		       "a callback's error ends the walk");
		is_int(seen, 3, "after the third row");
		is_int(rl_rowstore_count(rs, 1), 0, "an untouched key below the largest is empty");
		rl_rowstore_free(rs);
	}
	/* int64 rows of a key as one array, spilled chunks read back in place */
	{
		struct rl_rowstore *rs = rl_rowstore_new(sizeof(int64_t), 1);
		int64_t *v = NULL, i, bad = 0;
		uint32_t n = 7, cap = 0;

		for (i = 0; i < 5000; i++) {
			int64_t x = i * 3 - 7000;

			rl_rowstore_add(rs, (uint32_t)(i % 2), &x, &err);
		}
		ok(rl_rowstore_nspilled(rs) > 0, "int64 store spilled");
		is_int(rl_rowstore_i64(rs, 1, &v, &n, &cap, &err), 0, "values of key 1");
		is_int(n, 2500, "all 2500 of them");
		for (i = 0; i < (int64_t)n; i++)
			if (v[i] != (2 * i + 1) * 3 - 7000)
				bad++;
		is_int(bad, 0, "in insertion order, spilled chunks included");
		is_int(rl_rowstore_i64(rs, 9, &v, &n, &cap, &err), 0, "a key without rows");
		is_int(n, 0, "gives no values");
		free(v);
		rl_rowstore_free(rs);
	}
	ok(rl_rowstore_new(0, 0) == NULL && rl_rowstore_new(5000, 0) == NULL,
	   "row sizes outside 1..4096 are refused");
	done_testing();
	return exit_status();
}
