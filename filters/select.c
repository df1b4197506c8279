/*
 * filters/select.c - event selection: CPU, task, time window and type
 * criteria, their parsers, and the forwarding sink that applies them
 * between the merge and the analyses.
 */
#include "filters.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- id sets */

/**
 * rl_idset_init() - an empty set
 * @s: the set
 */
void rl_idset_init(struct rl_idset *s)
{
	memset(s, 0, sizeof(*s));
}

/**
 * rl_idset_release() - free a set's ranges; it is empty afterwards
 * @s: the set
 */
void rl_idset_release(struct rl_idset *s)
{
	free(s->r);
	rl_idset_init(s);
}

/**
 * rl_idset_add() - add the ids @lo..@hi (inclusive)
 * @s:   the set
 * @lo:  first id
 * @hi:  last id (>= @lo)
 * @err: error out
 *
 * The ranges stay sorted and disjoint: overlapping and adjacent ones merge.
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_idset_add(struct rl_idset *s, uint32_t lo, uint32_t hi, struct rl_err *err)
{
	uint32_t i = 0, j;

	/* first range that ends at or after lo - 1 (adjacent ranges merge) */
	while (i < s->n && s->r[i].hi < lo && s->r[i].hi + 1 < lo)
		i++;
	/* ranges i..j-1 touch [lo, hi]: they merge into one */
	for (j = i; j < s->n && (s->r[j].lo <= hi || s->r[j].lo - 1 <= hi); j++) {
		if (s->r[j].lo < lo)
			lo = s->r[j].lo;
		if (s->r[j].hi > hi)
			hi = s->r[j].hi;
	}
	if (j == i) {
		if (rl_grow((void **)&s->r, &s->cap, s->n + 1, sizeof(*s->r)))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		memmove(&s->r[i + 1], &s->r[i], (size_t)(s->n - i) * sizeof(*s->r));
		s->n++;
	} else if (j > i + 1) {
		memmove(&s->r[i + 1], &s->r[j], (size_t)(s->n - j) * sizeof(*s->r));
		s->n -= j - i - 1;
	}
	s->r[i].lo = lo;
	s->r[i].hi = hi;
	return 0;
}

/**
 * rl_idset_has() - whether @v is in the set
 * @s: the set
 * @v: an id
 *
 * Return: 1 or 0 (binary search over the ranges).
 */
int rl_idset_has(const struct rl_idset *s, uint32_t v)
{
	uint32_t lo = 0, hi = s->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (s->r[mid].hi < v)
			lo = mid + 1;
		else if (s->r[mid].lo > v)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

/* A decimal id at *p (no sign, no space), at most @max; Return: 0 or -1. */
static int sel_id(const char **p, uint32_t max, uint32_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return -1;
	}
	*p = s;
	*out = (uint32_t)v;
	return 0;
}

/**
 * rl_idset_parse() - add a list such as "0-3,8" to a set
 * @s:    the set
 * @list: comma-separated ids and ranges A-B (A <= B); duplicates are fine
 * @max:  largest id allowed
 * @what: what the ids are, for messages ("cpu", "pid")
 * @err:  error out (-RL_E_USAGE: the list is not valid; nothing is added then)
 *
 * Return: 0 or a negative code.
 */
int rl_idset_parse(struct rl_idset *s, const char *list, uint32_t max, const char *what,
		   struct rl_err *err)
{
	struct rl_idset tmp;
	const char *p = list;
	uint32_t i;
	int r = 0;

	rl_idset_init(&tmp);
	if (!*list)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "empty %s list", what);
	while (!r) {
		const char *item = p;
		uint32_t lo, hi;

		if (sel_id(&p, max, &lo)) {
			r = rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				       "'%s': bad %s at '%s' (a number 0..%u, or a range A-B)",
				       list, what, item, max);
			break;
		}
		hi = lo;
		if (*p == '-') {
			p++;
			if (sel_id(&p, max, &hi) || hi < lo) {
				r = rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					       "'%s': bad %s range at '%s' (A-B with A <= B <= %u)",
					       list, what, item, max);
				break;
			}
		}
		if (*p && *p != ',') {
			r = rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				       "'%s': unexpected '%c' after %s '%.*s'", list, *p, what,
				       (int)(p - item), item);
			break;
		}
		r = rl_idset_add(&tmp, lo, hi, err);
		if (!*p++)
			break;
	}
	for (i = 0; !r && i < tmp.n; i++)
		r = rl_idset_add(s, tmp.r[i].lo, tmp.r[i].hi, err);
	rl_idset_release(&tmp);
	return r;
}

/**
 * rl_select_parse_cpus() - a CPU list ("0-3,8") into a set
 * @list: the list
 * @s:    the set (ids are added)
 * @err:  error out
 *
 * Return: 0 or a negative code (-RL_E_USAGE for a bad list).
 */
int rl_select_parse_cpus(const char *list, struct rl_idset *s, struct rl_err *err)
{
	return rl_idset_parse(s, list, RL_NO_CPU - 1, "cpu", err);
}

/**
 * rl_select_parse_pids() - a pid list ("100,200-210") into a set
 * @list: the list
 * @s:    the set (ids are added)
 * @err:  error out
 *
 * Return: 0 or a negative code (-RL_E_USAGE for a bad list).
 */
int rl_select_parse_pids(const char *list, struct rl_idset *s, struct rl_err *err)
{
	return rl_idset_parse(s, list, INT32_MAX, "pid", err);
}

/**
 * rl_select_parse_types() - event type names into a mask
 * @list: comma-separated names as rl_ev_type_name() prints them (release, switch_in, ...)
 * @mask: receives 1 << type for each (others kept)
 * @err:  error out
 *
 * Return: 0 or -RL_E_USAGE for an unknown name.
 */
int rl_select_parse_types(const char *list, uint64_t *mask, struct rl_err *err)
{
	const char *p = list;
	uint64_t m = 0;

	do {
		size_t len = strcspn(p, ",");
		int t;

		for (t = 1; t < RL_EV_NTYPES; t++)
			if (strlen(rl_ev_type_name(t)) == len &&
			    !strncmp(p, rl_ev_type_name(t), len))
				break;
		if (t == RL_EV_NTYPES)
			return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					  "unknown event type '%.*s'", (int)len, p);
		m |= UINT64_C(1) << t;
		p += len;
	} while (*p++);
	*mask |= m;
	return 0;
}

/* ---------------------------------------------------------------- times */

static const struct {
	const char *suffix;
	int64_t unit;
} sel_units[] = {
	{"ns", RL_UNIT_NS},
	{"us", RL_UNIT_US},
	{"ms", RL_UNIT_MS},
	{"s", RL_UNIT_S},
};

/**
 * rl_time_parse() - a time with an optional unit suffix, in ns
 * @s:            digits, an optional fraction (".5"), an optional unit: ns, us, ms, s
 * @default_unit: ns per unit of a number without a suffix (RL_UNIT_*)
 * @ns:           receives the time in ns
 * @err:          error out (-RL_E_USAGE, with a message saying why)
 *
 * Negative times, fractions finer than 1 ns and times past INT64_MAX ns are
 * refused, as is anything else after the number.
 *
 * Return: 0 or -RL_E_USAGE.
 */
int rl_time_parse(const char *s, int64_t default_unit, int64_t *ns, struct rl_err *err)
{
	const char *str = s, *p = s, *frac = NULL;
	int64_t unit = default_unit, v = 0, f = 0, scale;
	size_t i;

	if (*p == '-')
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "'%s': a time cannot be negative", s);
	if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')))
		return rl_err_set(
			err, -RL_E_USAGE, NULL, RL_OFF_NONE,
			"'%s' is not a time (a number with a unit: 250ms, 1.5s, 20us, 100ns)", s);
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		frac = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p) {
		for (i = 0; i < sizeof(sel_units) / sizeof(sel_units[0]); i++)
			if (!strcmp(p, sel_units[i].suffix))
				break;
		if (i == sizeof(sel_units) / sizeof(sel_units[0]))
			return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
					  "'%s': unknown time unit '%s' (ns, us, ms, s)", s, p);
		unit = sel_units[i].unit;
	}
	/* integer part, exactly, with overflow checks */
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (INT64_MAX - (*s - '0')) / 10)
			goto overflow;
		v = v * 10 + (*s - '0');
	}
	if (v > INT64_MAX / unit)
		goto overflow;
	v *= unit;
	/* fraction: each digit is worth unit / 10^k ns, which must stay whole */
	for (scale = unit; frac && *frac >= '0' && *frac <= '9'; frac++) {
		if (scale % 10) {
			if (*frac != '0')
				return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
						  "'%s': finer than 1 ns", str);
			continue;
		}
		scale /= 10;
		f += (*frac - '0') * scale;
	}
	if (f > INT64_MAX - v)
		goto overflow;
	*ns = v + f;
	return 0;
overflow:
	return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "time too large (more than %lld ns)",
			  (long long)INT64_MAX);
}

/* ------------------------------------------------------------ criteria */

/**
 * rl_select_opts_init() - criteria that select everything
 * @o: the criteria
 */
void rl_select_opts_init(struct rl_select_opts *o)
{
	memset(o, 0, sizeof(*o));
	rl_idset_init(&o->cpus);
	rl_idset_init(&o->pids);
	o->to = INT64_MAX;
}

/**
 * rl_select_opts_release() - free the criteria's sets
 * @o: the criteria (back to selecting everything)
 */
void rl_select_opts_release(struct rl_select_opts *o)
{
	rl_idset_release(&o->cpus);
	rl_idset_release(&o->pids);
	rl_select_opts_init(o);
}

/**
 * rl_select_opts_active() - whether any criterion is given
 * @o: the criteria
 *
 * Return: 1 if some events may be dropped, 0 if every event passes.
 */
int rl_select_opts_active(const struct rl_select_opts *o)
{
	return o->cpus.n || o->pids.n || o->comm || o->has_from || o->has_to || o->types;
}

/* ---------------------------------------------------------------- stage */

static int sel_event(struct rl_sink *sink, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_select *s = (struct rl_select *)sink;

	s->seen++;
	if (ev->type == RL_EV_SYS_RELEASE && !s->has_sys_release) {
		s->sys_release = ev->arg;
		s->has_sys_release = 1;
	}
	if (s->watch_only) {
		if (!s->have_origin && s->o->origin == RL_SELECT_ORIGIN_FIRST &&
		    !(ev->flags & RL_EVF_NOTIME)) {
			s->origin = ev->ts;
			s->have_origin = 1;
		}
		return s->next->event(s->next, ev, err);
	}
	if (!rl_select_match(s, ev))
		return 0;
	s->kept++;
	return s->next->event(s->next, ev, err);
}

static int sel_finish(struct rl_sink *sink, struct rl_err *err)
{
	struct rl_select *s = (struct rl_select *)sink;

	return s->next->finish ? s->next->finish(s->next, err) : 0;
}

/**
 * rl_select_init() - set up the selection stage in front of @next
 * @s:    the stage (embedded by the caller)
 * @t:    the trace whose events will flow (task table; borrowed)
 * @o:    criteria (borrowed; must outlive the stage)
 * @next: downstream sink (borrowed)
 * @err:  error out
 *
 * Return: 0 (nothing is allocated until a name criterion meets a task).
 */
int rl_select_init(struct rl_select *s, const struct rl_trace *t, const struct rl_select_opts *o,
		   struct rl_sink *next, struct rl_err *err)
{
	(void)err;
	memset(s, 0, sizeof(*s));
	s->sink.event = sel_event;
	s->sink.finish = sel_finish;
	s->next = next;
	s->t = t;
	s->o = o;
	if (o->origin == RL_SELECT_ORIGIN_ZERO)
		s->have_origin = 1;
	return 0;
}

/**
 * rl_select_set_origin() - where --from and --to count from (RL_SELECT_ORIGIN_GIVEN)
 * @s:  the stage
 * @ns: the origin on the trace timeline
 */
void rl_select_set_origin(struct rl_select *s, int64_t ns)
{
	s->origin = ns;
	s->have_origin = 1;
}

/**
 * rl_select_release() - free what the stage allocated
 * @s: the stage
 */
void rl_select_release(struct rl_select *s)
{
	free(s->comm_ok);
	free(s->comm_name);
	s->comm_ok = NULL;
	s->comm_name = NULL;
	s->cap_ok = s->cap_name = 0;
}

/*
 * Name test, cached per task; the cache entry holds the name id it was
 * computed for, so a task renamed later (exec) is judged again.
 */
static int sel_comm(struct rl_select *s, uint32_t task)
{
	const struct rl_task *tk = &s->t->tasks[task];

	if (task < s->cap_ok && task < s->cap_name && s->comm_ok[task] &&
	    s->comm_name[task] == tk->name)
		return s->comm_ok[task] == 2;
	if (!rl_grow_zero((void **)&s->comm_ok, &s->cap_ok, task + 1, 1) &&
	    !rl_grow_zero((void **)&s->comm_name, &s->cap_name, task + 1, sizeof(uint32_t))) {
		s->comm_ok[task] = strcmp(rl_strtab_get(s->t->strs, tk->name), s->o->comm) ? 1 : 2;
		s->comm_name[task] = tk->name;
		return s->comm_ok[task] == 2;
	}
	/* no memory for the cache: answer without it */
	return !strcmp(rl_strtab_get(s->t->strs, tk->name), s->o->comm);
}

/**
 * rl_select_task() - whether a task passes the pid and name criteria
 * @s:    the stage
 * @task: index in the trace's task table, or RL_NO_TASK
 *
 * Return: 1 or 0. RL_NO_TASK passes only with keep_taskless (or without
 * pid and name criteria).
 */
int rl_select_task(struct rl_select *s, uint32_t task)
{
	const struct rl_select_opts *o = s->o;

	if (!o->pids.n && !o->comm)
		return 1;
	if (task == RL_NO_TASK || task >= s->t->ntasks)
		return o->keep_taskless;
	if (o->pids.n &&
	    (s->t->tasks[task].pid < 0 || !rl_idset_has(&o->pids, (uint32_t)s->t->tasks[task].pid)))
		return 0;
	return !o->comm || sel_comm(s, task);
}

/**
 * rl_select_job() - whether a job passes the selection
 * @s:                the stage that saw the events (origin, system release)
 * @task:             the job's task
 * @release:          its release (RL_TIME_UNKNOWN: fails a window)
 * @from_sys_release: the window counts from the system release (-r)
 *
 * --pid and --comm select the task, --cpu tasks partitioned on those CPUs,
 * --from/--to jobs released in [from, to).
 *
 * Return: 1 or 0.
 */
int rl_select_job(struct rl_select *s, uint32_t task, int64_t release, int from_sys_release)
{
	const struct rl_select_opts *o = s->o;
	const struct rl_trace *t = s->t;
	int64_t origin, rel;

	if (!rl_select_task(s, task))
		return 0;
	if (o->cpus.n && (task >= t->ntasks || t->tasks[task].partition < 0 ||
			  !rl_idset_has(&o->cpus, (uint32_t)t->tasks[task].partition)))
		return 0;
	if (!o->has_from && !o->has_to)
		return 1;
	if (from_sys_release ? !s->has_sys_release : !s->have_origin)
		return 0;
	origin = from_sys_release ? s->sys_release : s->origin;
	if (release == INT64_MIN)
		return 0;
	if (release < origin)
		return !o->has_from;
	/* release - origin >= 0 without overflow */
	if (origin < 0 && release > INT64_MAX + origin)
		return !o->has_to;
	rel = release - origin;
	if (o->has_from && rel < o->from)
		return 0;
	return !o->has_to || rel < o->to;
}

/**
 * rl_select_match() - whether an event passes every criterion
 * @s:  the stage
 * @ev: the event
 *
 * With RL_SELECT_ORIGIN_FIRST, the first event with a time sets the origin
 * (whether or not it passes the other criteria).
 *
 * Return: 1 or 0.
 */
int rl_select_match(struct rl_select *s, const struct rl_event *ev)
{
	const struct rl_select_opts *o = s->o;

	if (!s->have_origin && o->origin == RL_SELECT_ORIGIN_FIRST &&
	    !(ev->flags & RL_EVF_NOTIME)) {
		s->origin = ev->ts;
		s->have_origin = 1;
	}
	if (o->types && (ev->type >= 64 || !(o->types & (UINT64_C(1) << ev->type))))
		return 0;
	if (o->cpus.n && (ev->cpu == RL_NO_CPU || !rl_idset_has(&o->cpus, ev->cpu)))
		return 0;
	if (o->has_from || o->has_to) {
		int64_t rel;

		if ((ev->flags & RL_EVF_NOTIME) || !s->have_origin)
			return 0;
		/* ts - origin without overflow: compare in the wider sense */
		if (ev->ts < 0 && s->origin > 0 && ev->ts < INT64_MIN + s->origin)
			return 0;
		if (ev->ts > 0 && s->origin < 0 && ev->ts > INT64_MAX + s->origin)
			return !o->has_to;
		rel = ev->ts - s->origin;
		if (o->has_from && rel < o->from)
			return 0;
		if (o->has_to && rel >= o->to)
			return 0;
	}
	return rl_select_task(s, ev->task);
}
