/*
 * tests/arr-cursor.h - a cursor over a fixed array of events, for unit tests
 * that feed the merge, the skew stage or the recording checks by hand.
 */
#ifndef RL_TESTS_ARR_CURSOR_H
#define RL_TESTS_ARR_CURSOR_H

#include <stdlib.h>

#include "../model/model.h"

struct arr_cursor {
	struct rl_cursor base;
	const struct rl_event *ev;
	size_t n, i;
};

static int arr_next(struct rl_cursor *c, struct rl_event *ev, struct rl_err *err)
{
	struct arr_cursor *a = (struct arr_cursor *)c;

	(void)err;
	if (a->i == a->n)
		return 0;
	*ev = a->ev[a->i++];
	return 1;
}

static void arr_close(struct rl_cursor *c)
{
	free(c);
}

static const struct rl_cursor_ops arr_ops = {arr_next, arr_close};

/* A cursor of rank @rank over @n events at @ev (borrowed), or NULL. */
static inline struct rl_cursor *arr_cursor(const struct rl_event *ev, size_t n, uint32_t rank)
{
	struct arr_cursor *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->base.ops = &arr_ops;
	a->base.rank = rank;
	a->ev = ev;
	a->n = n;
	return &a->base;
}

#endif /* RL_TESTS_ARR_CURSOR_H */
