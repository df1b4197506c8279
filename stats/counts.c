/* stats/counts.c - events by type, time span: the numbers behind `rtlens info`. */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

static int rl_counts_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_counts *c = (struct rl_counts *)s;

	/* events counts source records: a record's second model event is not one */
	if (!(ev->flags & RL_EVF_DERIVED))
		c->events++;
	if (ev->name >= c->nby_name) {
		if (ev->name == UINT32_MAX || rl_grow_zero((void **)&c->by_name, &c->cap_by_name,
							   ev->name + 1, sizeof(*c->by_name)))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		c->nby_name = ev->name + 1;
	}
	if (!(ev->flags & RL_EVF_DERIVED))
		c->by_name[ev->name]++;
	if (ev->type < RL_EV_NTYPES)
		c->by_type[ev->type]++;
	if (ev->flags & RL_EVF_LATE)
		c->late++;
	if (!(ev->flags & RL_EVF_NOTIME)) {
		if (!c->ntimed || ev->ts < c->first_ts)
			c->first_ts = ev->ts;
		if (!c->ntimed || ev->ts > c->last_ts)
			c->last_ts = ev->ts;
		c->ntimed++;
	}
	return 0;
}

/**
 * rl_counts_init() - prepare a counting sink
 * @c: the counts to clear
 */
void rl_counts_init(struct rl_counts *c)
{
	memset(c, 0, sizeof(*c));
	c->sink.event = rl_counts_event;
}

/**
 * rl_counts_release() - free what counting allocated
 * @c: the counts
 */
void rl_counts_release(struct rl_counts *c)
{
	free(c->by_name);
	c->by_name = NULL;
	c->nby_name = c->cap_by_name = 0;
}
