/*
 * readers/ctf.c - CTF traces (LTTng kernel and UST, perf's CTF export)
 * through libbabeltrace2.
 *
 * The input is a directory. Every directory below it that holds a
 * `metadata` file is one trace: each gets a src.ctf.fs component, all of
 * them feed one flt.utils.muxer, and our simple sink pulls the muxed
 * messages one batch at a time (bt_graph_run_once) as the cursor is asked
 * for events. The result is a single time-ordered cursor.
 *
 * Field names and conventions differ by tracer (readers/linux.h gives the
 * model): LTTng uses tid/prev_tid/next_tid and stores prio - 100; perf uses
 * the tracepoint's pid/prev_pid/next_pid and kernel prio, with "system:"
 * before event names. The CPU is the packet context's cpu_id, else a
 * payload perf_cpu. Timestamps are the clock value in ns (no clock-class
 * offset), i.e. CLOCK_MONOTONIC for LTTng, so that times carried inside
 * payloads (rtapp release_ns) share the timeline.
 *
 * LTTng-UST rtapp events map to jobs: rtapp:task_info to task parameters,
 * rtapp:job_release to RELEASE at release_ns (held in a small heap until
 * the muxed time passes it), rtapp:job_end to COMPLETION.
 */
#include "linux.h"

#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <babeltrace2/babeltrace.h>

#define CT_MAX_DEPTH 8
#define CT_NF 8
#define CT_MAX_LAG 1000000000ll /* release_ns this far before its event is not trusted */

enum {
	CT_RTAPP_INFO = 100,
	CT_RTAPP_RELEASE,
	CT_RTAPP_END,
	CT_STATEDUMP,
};

/* Field names per kind: LTTng name, perf/ftrace name (NULL = same). */
static const char *const ct_fields[][CT_NF][2] = {
	[RL_LX_SWITCH] = {{"prev_comm"},
			  {"prev_tid", "prev_pid"},
			  {"prev_prio"},
			  {"prev_state"},
			  {"next_comm"},
			  {"next_tid", "next_pid"},
			  {"next_prio"}},
	[RL_LX_WAKEUP] = {{"comm"}, {"tid", "pid"}, {"prio"}, {"target_cpu"}},
	[RL_LX_WAKING] = {{"comm"}, {"tid", "pid"}, {"prio"}, {"target_cpu"}},
	[RL_LX_MIGRATE] = {{"comm"}, {"tid", "pid"}, {"prio"}, {"orig_cpu"}, {"dest_cpu"}},
	[RL_LX_FORK] = {{"child_comm"}, {"child_tid", "child_pid"}},
	[RL_LX_EXEC] = {{"filename"}, {"tid", "pid"}},
	[RL_LX_EXIT] = {{"comm"}, {"tid", "pid"}},
	[RL_LX_IRQ_ENTRY] = {{"irq"}},
	[RL_LX_IRQ_EXIT] = {{"irq"}},
	[RL_LX_SOFT_ENTRY] = {{"vec"}},
	[RL_LX_SOFT_EXIT] = {{"vec"}},
	[RL_LX_VEC_ENTRY] = {{"vector"}},
	[RL_LX_VEC_EXIT] = {{"vector"}},
	[RL_LX_PI_SETPRIO] = {{"tid", "pid"}, {"newprio"}},
	[RL_LX_IPI_SEND] = {{"cpu"}, {"callback"}},
	[RL_LX_IPI_ENTRY] = {{NULL}},
	[CT_RTAPP_INFO] = {{"tid"}, {"name"}, {"policy"}, {"prio"}, {"period_ns"}, {"wcet_ns"}},
	[CT_RTAPP_RELEASE] = {{"tid"}, {"job"}, {"release_ns"}},
	[CT_RTAPP_END] = {{"tid"}, {"job"}, {"deadline_miss"}},
	[CT_STATEDUMP] = {{"tid"}, {"name"}},
};

/* payload fields giving the current task, in order of preference */
static const char *const ct_cur_names[] = {"common_pid", "perf_tid"};

struct ct_class {
	const bt_event_class *cls;
	uint32_t name;
	int kind;
	int64_t idx[CT_NF]; /* payload member index, -1 if absent */
	int8_t sgn[CT_NF];  /* 1 signed, 0 unsigned integer, -1 other */
	/* the integer slots only, for the per-event loop: slot, member, signedness */
	uint8_t nint;
	uint8_t int_slot[CT_NF];
	uint64_t int_idx[CT_NF];
	int8_t int_sgn[CT_NF];
	int64_t cur_idx; /* payload member for the current task, -1 */
	int64_t cpu_idx; /* payload perf_cpu, -1 */
	int lttng_prio;	 /* prio fields are kernel prio - 100 */
};

struct ct_strm {
	const bt_stream *s;
	uint32_t cpu;
	/* the stream class's default clock, looked up at its first event */
	uint8_t clk_known, has_clk;
	uint64_t freq;
};

struct ct_held {
	struct rl_event ev;
	uint64_t seq;
};

struct ct_cursor {
	struct rl_cursor base;
	struct rl_trace *t;
	struct rl_lx lx;
	const char *path;
	uint16_t src;
	bt_graph *graph;
	const bt_plugin *ctf, *utils;
	bt_message_iterator *it;
	int ended, failed;
	struct rl_err ferr;
	/* event class cache: open addressing on the class pointer */
	struct ct_class *cls;
	uint32_t cap_cls, ncls;
	/* pending events, in order; held (future-dated) events in a heap */
	struct rl_event *q;
	uint32_t nq, qpos, cap_q;
	struct ct_held *heap;
	uint32_t nheap, cap_heap;
	uint64_t heap_seq;
	int64_t mux_ts, max_lag;
	int reorder;
	struct ct_strm *strm; /* stream -> cpu_id of its packets */
	uint32_t cap_strm, nstrm;
	uint32_t *cur; /* per cpu: current task */
	uint32_t cap_cur;
	uint32_t lost_name;
	uint64_t nev;
};

/* ------------------------------------------------------------ discovery */

/* Visit directories holding `metadata` below @dir (bounded depth). */
static int ct_walk(const char *dir, int depth, int (*fn)(void *arg, const char *dir), void *arg)
{
	char p[PATH_MAX];
	struct stat st;
	DIR *d;
	struct dirent *de;
	char **subs = NULL;
	size_t nsub = 0, i;
	int r = 0;

	if (snprintf(p, sizeof(p), "%s/metadata", dir) >= (int)sizeof(p))
		return 0;
	if (!stat(p, &st) && S_ISREG(st.st_mode))
		return fn(arg, dir);
	if (depth >= CT_MAX_DEPTH)
		return 0;
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char **ns;

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >= (int)sizeof(p))
			continue;
		if (stat(p, &st) || !S_ISDIR(st.st_mode))
			continue;
		ns = realloc(subs, (nsub + 1) * sizeof(*subs));
		if (!ns)
			break;
		subs = ns;
		subs[nsub] = strdup(p);
		if (subs[nsub])
			nsub++;
	}
	closedir(d);
	/* sorted: a deterministic component order */
	for (i = 1; i < nsub; i++) {
		size_t j = i;

		while (j && strcmp(subs[j - 1], subs[j]) > 0) {
			char *x = subs[j];

			subs[j] = subs[j - 1];
			subs[j - 1] = x;
			j--;
		}
	}
	for (i = 0; i < nsub && !r; i++)
		r = ct_walk(subs[i], depth + 1, fn, arg);
	for (i = 0; i < nsub; i++)
		free(subs[i]);
	free(subs);
	return r;
}

static int ct_found(void *arg, const char *dir)
{
	(void)dir;
	(*(int *)arg)++;
	return 1; /* one is enough */
}

static int ct_probe(const struct rl_input *in)
{
	int n = 0;

	if (!in->is_dir)
		return 0;
	ct_walk(in->path, 0, ct_found, &n);
	/* any directory is at best CTF: open() then says what is missing */
	return n ? 90 : 1;
}

/* ---------------------------------------------------------------- errors */

/*
 * A cause of libbabeltrace2 as one context line of @len bytes: its heap
 * addresses (", comp-addr=0x55..." fields) left out, and a message too long
 * cut after its last whole field or word, marked "...".
 */
static void ct_cause(char *out, size_t len, const char *msg)
{
	const char *p = msg;
	size_t o = 0;

	while (*p && o + 1 < len) {
		/* "state: msg-it-addr=0x55..., state=..." as well */
		if ((p == msg || p[-1] == ' ') && p[0] >= 'a' && p[0] <= 'z') {
			const char *q = p;

			while ((*q >= 'a' && *q <= 'z') || *q == '-' || *q == '_')
				q++;
			if (q - p >= 4 && !strncmp(q - 4, "addr", 4) && !strncmp(q, "=0x", 3)) {
				for (q += 3; (*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f');)
					q++;
				p = q[0] == ',' && q[1] == ' ' ? q + 2 : q;
				continue;
			}
		}
		if (p[0] == ',' && p[1] == ' ') {
			const char *q = p + 2;

			while ((*q >= 'a' && *q <= 'z') || *q == '-' || *q == '_')
				q++;
			if (q - p >= 6 && !strncmp(q - 4, "addr", 4) && !strncmp(q, "=0x", 3)) {
				for (q += 3; (*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f');)
					q++;
				p = q;
				continue;
			}
		}
		out[o++] = *p++;
	}
	out[o] = 0;
	if (*p && len > 8) {
		char *cut;

		o = len - 4 < o ? len - 4 : o;
		out[o] = 0;
		cut = strrchr(out, ' ');
		if (cut && cut - out > (ptrdiff_t)(len / 2))
			*cut = 0;
		if (cut && cut > out && cut[-1] == ',')
			cut[-1] = 0;
		strcat(out, "...");
	}
}

static int ct_lib_err(struct rl_err *err, const char *path, const char *what)
{
	const bt_error *e = bt_current_thread_take_error();
	char msg[sizeof(err->msg) - 64] = "";
	uint64_t n = e ? bt_error_get_cause_count(e) : 0, i;

	/* cause 0 is the deepest (first appended); the others say where */
	if (n)
		ct_cause(msg, sizeof(msg),
			 bt_error_cause_get_message(bt_error_borrow_cause_by_index(e, 0)));
	rl_err_set(err, -RL_E_LIB, path, RL_OFF_NONE, "%s%s%s", what, msg[0] ? ": " : "", msg);
	for (i = 1; i < n && i < 4; i++) {
		char ctx[sizeof(err->ctx[0])];

		ct_cause(ctx, sizeof(ctx),
			 bt_error_cause_get_message(bt_error_borrow_cause_by_index(e, i)));
		rl_err_ctx(err, "%s", ctx);
	}
	if (e)
		bt_error_release(e);
	return err->code;
}

/* ---------------------------------------------------------------- fields */

static int ct_int(const bt_field *fld, int64_t *v)
{
	bt_field_class_type ty;

	if (!fld)
		return 0;
	ty = bt_field_get_class_type(fld);
	if (bt_field_class_type_is(ty, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER)) {
		*v = bt_field_integer_signed_get_value(fld);
		return 1;
	}
	if (bt_field_class_type_is(ty, BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER)) {
		*v = (int64_t)bt_field_integer_unsigned_get_value(fld);
		return 1;
	}
	return 0;
}

static const char *ct_string(const bt_field *fld)
{
	if (!fld || bt_field_get_class_type(fld) != BT_FIELD_CLASS_TYPE_STRING)
		return NULL;
	return bt_field_string_get_value(fld);
}

static const bt_field *ct_member(const bt_field *st, int64_t idx)
{
	if (!st || idx < 0)
		return NULL;
	return bt_field_structure_borrow_member_field_by_index_const(st, (uint64_t)idx);
}

static int64_t ct_find_member(const bt_field_class *fc, const char *name)
{
	uint64_t i, n;

	if (!fc || !name || bt_field_class_get_type(fc) != BT_FIELD_CLASS_TYPE_STRUCTURE)
		return -1;
	n = bt_field_class_structure_get_member_count(fc);
	for (i = 0; i < n; i++) {
		const bt_field_class_structure_member *m =
			bt_field_class_structure_borrow_member_by_index_const(fc, i);

		if (!strcmp(bt_field_class_structure_member_get_name(m), name))
			return (int64_t)i;
	}
	return -1;
}

/*
 * Whether prio fields follow LTTng's prio - 100: the trace environment's
 * tracer_name says (lttng-modules / perf); without it, perf's "system:event"
 * names tell perf apart.
 */
static int ct_lttng_prio(const bt_event *ev, const char *name)
{
	const bt_stream *st = bt_event_borrow_stream_const(ev);
	const bt_trace *tr = st ? bt_stream_borrow_trace_const(st) : NULL;
	const bt_value *v =
		tr ? bt_trace_borrow_environment_entry_value_by_name_const(tr, "tracer_name")
		   : NULL;

	if (v && bt_value_get_type(v) == BT_VALUE_TYPE_STRING) {
		const char *tn = bt_value_string_get(v);

		if (!strncmp(tn, "lttng", 5))
			return 1;
		if (!strcmp(tn, "perf"))
			return 0;
	}
	return strchr(name, ':') == NULL;
}

static uint32_t ct_hash(const void *p, uint32_t cap)
{
	return (uint32_t)(((uintptr_t)p >> 4) * 2654435761u) & (cap - 1);
}

/*
 * The payload members a class of kind @kind carries (k->idx, k->sgn and the
 * integer list), found by name in @pfc. Return: @kind, or RL_LX_OTHER when a
 * member the kind needs is missing (warned once: the class is carried as is).
 */
static int ct_class_fields(struct ct_cursor *c, struct ct_class *k, const bt_field_class *pfc,
			   const char *name, int kind)
{
	int j;

	for (j = 0; j < CT_NF; j++)
		k->idx[j] = -1;
	if (kind != RL_LX_OTHER) {
		for (j = 0; j < CT_NF && ct_fields[kind][j][0]; j++) {
			k->idx[j] = ct_find_member(pfc, ct_fields[kind][j][0]);
			if (k->idx[j] < 0 && ct_fields[kind][j][1])
				k->idx[j] = ct_find_member(pfc, ct_fields[kind][j][1]);
			/* target_cpu may be absent on old kernels */
			if (k->idx[j] < 0 &&
			    !((kind == RL_LX_WAKEUP || kind == RL_LX_WAKING) && j == 3))
				break;
		}
		if (j < CT_NF && ct_fields[kind][j][0]) {
			rl_trace_warn(c->t, RL_W_OTHER, c->src, RL_OFF_NONE,
				      "event %s lacks field %s: carried uninterpreted", name,
				      ct_fields[kind][j][0]);
			kind = RL_LX_OTHER;
		}
	}
	for (j = 0; j < CT_NF; j++) {
		k->sgn[j] = -1;
		if (k->idx[j] >= 0) {
			const bt_field_class *mfc =
				bt_field_class_structure_member_borrow_field_class_const(
					bt_field_class_structure_borrow_member_by_index_const(
						pfc, (uint64_t)k->idx[j]));
			bt_field_class_type ty = bt_field_class_get_type(mfc);

			if (bt_field_class_type_is(ty, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER))
				k->sgn[j] = 1;
			else if (bt_field_class_type_is(ty, BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER))
				k->sgn[j] = 0;
		}
	}
	k->nint = 0;
	for (j = 0; j < CT_NF; j++) {
		if (k->sgn[j] < 0)
			continue;
		k->int_slot[k->nint] = (uint8_t)j;
		k->int_idx[k->nint] = (uint64_t)k->idx[j];
		k->int_sgn[k->nint] = k->sgn[j];
		k->nint++;
	}
	return kind;
}

static struct ct_class *ct_class_of(struct ct_cursor *c, const bt_event *ev)
{
	const bt_event_class *ec = bt_event_borrow_class_const(ev);
	const bt_field_class *pfc;
	const char *name, *base;
	struct ct_class *k;
	uint32_t h, i;
	int kind, j;

	if (c->cap_cls) {
		h = ct_hash(ec, c->cap_cls);
		while (c->cls[h].cls) {
			if (c->cls[h].cls == ec)
				return &c->cls[h];
			h = (h + 1) & (c->cap_cls - 1);
		}
	}
	if ((c->ncls + 1) * 2 > c->cap_cls) {
		uint32_t ncap = c->cap_cls ? c->cap_cls * 2 : 64;
		struct ct_class *nc = calloc(ncap, sizeof(*nc));

		if (!nc)
			return NULL;
		for (i = 0; i < c->cap_cls; i++) {
			if (!c->cls[i].cls)
				continue;
			h = ct_hash(c->cls[i].cls, ncap);
			while (nc[h].cls)
				h = (h + 1) & (ncap - 1);
			nc[h] = c->cls[i];
		}
		free(c->cls);
		c->cls = nc;
		c->cap_cls = ncap;
	}
	h = ct_hash(ec, c->cap_cls);
	while (c->cls[h].cls)
		h = (h + 1) & (c->cap_cls - 1);
	k = &c->cls[h];
	memset(k, 0, sizeof(*k));
	name = bt_event_class_get_name(ec);
	if (!name)
		name = "unnamed";
	k->name = rl_strtab_intern(c->t->strs, name, strlen(name));
	if (!k->name)
		return NULL;
	base = strchr(name, ':') ? strchr(name, ':') + 1 : name;
	if (!strcmp(name, "rtapp:task_info"))
		kind = CT_RTAPP_INFO;
	else if (!strcmp(name, "rtapp:job_release"))
		kind = CT_RTAPP_RELEASE;
	else if (!strcmp(name, "rtapp:job_end"))
		kind = CT_RTAPP_END;
	else if (!strcmp(name, "lttng_statedump_process_state"))
		kind = CT_STATEDUMP;
	else
		kind = rl_lx_kind(base);
	/* the osnoise / timerlat / hwlat records are read from trace.dat and text only */
	if (rl_lx_is_tracer(kind))
		kind = RL_LX_OTHER;
	if (kind == RL_LX_IPI_SEND_MASK) /* a bitmask field: not read from CTF */
		kind = RL_LX_OTHER;
	pfc = bt_event_class_borrow_payload_field_class_const(ec);
	k->lttng_prio = ct_lttng_prio(ev, name);
	k->cur_idx = -1;
	for (j = 0; j < 2 && k->cur_idx < 0; j++)
		k->cur_idx = ct_find_member(pfc, ct_cur_names[j]);
	k->cpu_idx = ct_find_member(pfc, "perf_cpu");
	kind = ct_class_fields(c, k, pfc, name, kind);
	k->kind = kind;
	k->cls = ec;
	c->ncls++;
	return k;
}

/* ---------------------------------------------------------------- queue */

static struct rl_event *ct_push(struct ct_cursor *c)
{
	if (c->nq >= c->cap_q && rl_grow((void **)&c->q, &c->cap_q, c->nq + 1, sizeof(*c->q)))
		return NULL;
	memset(&c->q[c->nq], 0, sizeof(c->q[c->nq]));
	return &c->q[c->nq++];
}

static int ct_held_less(const struct ct_held *a, const struct ct_held *b)
{
	return a->ev.ts < b->ev.ts || (a->ev.ts == b->ev.ts && a->seq < b->seq);
}

static int ct_hold(struct ct_cursor *c, const struct rl_event *ev)
{
	uint32_t i;
	struct ct_held x = {*ev, c->heap_seq++};

	if (rl_grow((void **)&c->heap, &c->cap_heap, c->nheap + 1, sizeof(*c->heap)))
		return -RL_E_NOMEM;
	i = c->nheap++;
	while (i) {
		uint32_t p = (i - 1) / 2;

		if (!ct_held_less(&x, &c->heap[p]))
			break;
		c->heap[i] = c->heap[p];
		i = p;
	}
	c->heap[i] = x;
	return 0;
}

static struct rl_event ct_unhold(struct ct_cursor *c)
{
	struct ct_held top = c->heap[0], x = c->heap[--c->nheap];
	uint32_t i = 0, n = c->nheap;

	for (;;) {
		uint32_t l = 2 * i + 1, m;

		if (l >= n)
			break;
		m = (l + 1 < n && ct_held_less(&c->heap[l + 1], &c->heap[l])) ? l + 1 : l;
		if (!ct_held_less(&c->heap[m], &x))
			break;
		c->heap[i] = c->heap[m];
		i = m;
	}
	if (n)
		c->heap[i] = x;
	return top.ev;
}

static uint32_t *ct_cur(struct ct_cursor *c, uint32_t cpu)
{
	if (cpu == RL_NO_CPU || cpu > (1u << 20))
		return NULL;
	if (cpu >= c->cap_cur) {
		uint32_t old = c->cap_cur, i;

		if (rl_grow((void **)&c->cur, &c->cap_cur, cpu + 1, sizeof(*c->cur)))
			return NULL;
		for (i = old; i < c->cap_cur; i++)
			c->cur[i] = RL_NO_TASK;
	}
	return &c->cur[cpu];
}

/* The cpu_id of a packet's context, RL_NO_CPU if it has none. */
static uint32_t ct_packet_cpu(const bt_packet *pk)
{
	const bt_field *pc = pk ? bt_packet_borrow_context_field_const(pk) : NULL;
	int64_t v;

	if (pc && bt_field_get_class_type(pc) == BT_FIELD_CLASS_TYPE_STRUCTURE &&
	    ct_int(bt_field_structure_borrow_member_field_by_name_const(pc, "cpu_id"), &v) &&
	    v >= 0 && v < (1 << 20))
		return (uint32_t)v;
	return RL_NO_CPU;
}

static struct ct_strm *ct_strm_find(struct ct_cursor *c, const bt_stream *st)
{
	uint32_t h;

	if (!c->cap_strm)
		return NULL;
	h = ct_hash(st, c->cap_strm);
	while (c->strm[h].s) {
		if (c->strm[h].s == st)
			return &c->strm[h];
		h = (h + 1) & (c->cap_strm - 1);
	}
	return NULL;
}

/* A packet begins: remember its stream's cpu (streams outlive their packets). */
static int ct_packet_begin(struct ct_cursor *c, const bt_message *msg)
{
	const bt_packet *pk = bt_message_packet_beginning_borrow_packet_const(msg);
	const bt_stream *st = bt_packet_borrow_stream_const(pk);
	struct ct_strm *e = ct_strm_find(c, st);
	uint32_t h, i;

	if (!e) {
		if ((c->nstrm + 1) * 2 > c->cap_strm) {
			uint32_t ncap = c->cap_strm ? c->cap_strm * 2 : 32;
			struct ct_strm *ns = calloc(ncap, sizeof(*ns));

			if (!ns)
				return -RL_E_NOMEM;
			for (i = 0; i < c->cap_strm; i++) {
				if (!c->strm[i].s)
					continue;
				h = ct_hash(c->strm[i].s, ncap);
				while (ns[h].s)
					h = (h + 1) & (ncap - 1);
				ns[h] = c->strm[i];
			}
			free(c->strm);
			c->strm = ns;
			c->cap_strm = ncap;
		}
		h = ct_hash(st, c->cap_strm);
		while (c->strm[h].s)
			h = (h + 1) & (c->cap_strm - 1);
		e = &c->strm[h];
		e->s = st;
		c->nstrm++;
	}
	e->cpu = ct_packet_cpu(pk);
	e->clk_known = 0; /* (a new stream may reuse a freed one's address) */
	return 0;
}

/* ---------------------------------------------------------------- decode */

static int64_t ct_prio(const struct ct_class *k, int64_t p)
{
	return k->lttng_prio ? p + 100 : p;
}

/* Name @task after a comm field (the record is the task's own: statedump, rtapp). */
static void ct_comm(struct ct_cursor *c, uint32_t task, const bt_field *fld)
{
	const char *s = ct_string(fld);

	if (s)
		rl_lx_comm(&c->lx, task, s, strlen(s));
}

/*
 * A string member as a struct rl_lx_who comm: the field itself (NULL if the
 * record has none), read by ct_comm_of() only when rl_lx_emit() takes a
 * name from it (names of other tasks than the one switching out are taken
 * only for tasks without one: most such fields are never read).
 */
static const char *ct_str(const bt_field *pl, const struct ct_class *k, int j, size_t *len)
{
	*len = 0;
	return (const char *)ct_member(pl, k->idx[j]);
}

/* struct rl_lx comm_of: the bytes of a field ct_str() handed over. */
static const char *ct_comm_of(const char *ref, size_t *len)
{
	const char *s = ct_string((const bt_field *)ref);

	*len = s ? strlen(s) : 0;
	return s;
}

/* The fields of a kernel record (integers in @a, by ct_fields slot) into @r. */
static void ct_rec(const struct ct_class *k, const bt_field *pl, const int64_t *a,
		   struct rl_lx_rec *r)
{
	r->kind = k->kind;
	switch (k->kind) {
	case RL_LX_SWITCH:
		r->sw.prev.pid = a[1];
		r->sw.prev.comm = ct_str(pl, k, 0, &r->sw.prev.comm_len);
		r->sw.prev.prio = ct_prio(k, a[2]);
		r->sw.state = a[3];
		/* TASK_REPORT bits (>= 4.14) and the older raw state bits agree below 0x100 */
		r->sw.blocked = (a[3] & 0xff) != 0;
		r->sw.dead = 0;
		r->sw.next.pid = a[5];
		r->sw.next.comm = ct_str(pl, k, 4, &r->sw.next.comm_len);
		r->sw.next.prio = ct_prio(k, a[6]);
		break;
	case RL_LX_WAKEUP:
	case RL_LX_WAKING:
		r->wake.woken.pid = a[1];
		r->wake.woken.comm = ct_str(pl, k, 0, &r->wake.woken.comm_len);
		r->wake.woken.prio = ct_prio(k, a[2]);
		r->wake.target_cpu = k->idx[3] >= 0 ? a[3] : -1;
		break;
	case RL_LX_MIGRATE:
		r->mig.task.pid = a[1];
		r->mig.task.comm = ct_str(pl, k, 0, &r->mig.task.comm_len);
		r->mig.orig_cpu = a[3];
		r->mig.dest_cpu = a[4];
		break;
	case RL_LX_FORK:
		r->child.pid = a[1];
		r->child.comm = ct_str(pl, k, 0, &r->child.comm_len);
		break;
	case RL_LX_EXEC:
		r->exec.pid = a[1];
		r->exec.filename = ct_str(pl, k, 0, &r->exec.len);
		break;
	case RL_LX_EXIT:
		r->exit_pid = a[1];
		break;
	case RL_LX_PI_SETPRIO:
		r->pi.pid = a[0];
		r->pi.prio = ct_prio(k, a[1]);
		break;
	case RL_LX_IPI_SEND:
		rl_lx_ipi_cpu(r, a[0]);
		r->ipi.fn = a[1] != 0;
		break;
	case RL_LX_IPI_ENTRY:
		break;
	default: /* the IRQ, softirq and vector kinds; OTHER uses nothing */
		r->num = a[0];
		break;
	}
}

/* LTTng statedump and rtapp UST events: task names, parameters and jobs. */
static void ct_own(struct ct_cursor *c, const struct ct_class *k, const bt_field *pl,
		   const int64_t *a, struct rl_event *ev)
{
	struct rl_lx *lx = &c->lx;
	struct rl_task *tk;
	int64_t lag;

	switch (k->kind) {
	case CT_STATEDUMP:
		ev->task = rl_lx_task(lx, a[0]);
		ct_comm(c, ev->task, ct_member(pl, k->idx[1]));
		break;
	case CT_RTAPP_INFO:
		ev->type = RL_EV_TASK_PARAM;
		ev->task = rl_lx_task(lx, a[0]);
		ct_comm(c, ev->task, ct_member(pl, k->idx[1]));
		ev->arg = a[5];
		ev->arg2 = a[4];
		if (ev->task == RL_NO_TASK)
			break;
		tk = &c->t->tasks[ev->task];
		tk->wcet = a[5];
		tk->period = a[4];
		tk->deadline = a[4];
		tk->has_param = 1;
		/* SCHED_FIFO / SCHED_RR rt priority to kernel prio */
		tk->prio = (a[2] == 1 || a[2] == 2) ? 99 - a[3] : 120;
		break;
	case CT_RTAPP_RELEASE:
		ev->task = rl_lx_task(lx, a[0]);
		if (ev->task == RL_NO_TASK || a[1] < 0 || a[1] >= UINT32_MAX)
			break;
		tk = &c->t->tasks[ev->task];
		ev->type = RL_EV_RELEASE;
		ev->job = (uint32_t)a[1] + 1;
		lag = ev->ts - a[2];
		if (lag < 0 || lag > CT_MAX_LAG) {
			/* a release in the future or long past: keep the event's time */
			rl_trace_warn(c->t, RL_W_OTHER, c->src, RL_OFF_NONE,
				      "rtapp release_ns %lld is %lld ns from its event; dated at "
				      "the event",
				      (long long)a[2], (long long)lag);
			ev->arg = tk->deadline > 0 ? ev->ts + tk->deadline : ev->ts;
			break;
		}
		if (lag > c->max_lag)
			c->max_lag = lag;
		ev->ts = a[2];
		ev->arg = tk->deadline > 0 ? a[2] + tk->deadline : a[2];
		/* dated before the event: from now on events pass a reorder heap */
		c->reorder = 1;
		break;
	case CT_RTAPP_END:
		ev->task = rl_lx_task(lx, a[0]);
		if (ev->task == RL_NO_TASK || a[1] < 0 || a[1] >= UINT32_MAX)
			break;
		ev->type = RL_EV_COMPLETION;
		ev->job = (uint32_t)a[1] + 1;
		ev->arg = -1;
		ev->arg2 = a[2];
		break;
	default:
		break;
	}
}

/* The event's header: time, cpu, source; RL_EVF_NOTIME without a clock. */
static void ct_header(struct ct_cursor *c, const bt_message *msg, const struct ct_class *k,
		      const bt_field *pl, struct rl_event *ev)
{
	const bt_event *bev = bt_message_event_borrow_event_const(msg);
	const bt_packet *pk = bt_event_borrow_packet_const(bev);
	struct ct_strm *e = pk ? ct_strm_find(c, bt_packet_borrow_stream_const(pk)) : NULL;
	int64_t v;
	int has_clk;
	uint64_t fq = 0;

	ev->src = c->src;
	ev->src_off = RL_OFF_NONE;
	ev->name = k->name;
	ev->task = ev->task2 = RL_NO_TASK;
	ev->cpu = RL_NO_CPU;
	ev->type = RL_EV_OTHER;
	if (e && e->clk_known) {
		has_clk = e->has_clk;
		fq = e->freq;
	} else {
		const bt_clock_class *cc =
			bt_message_event_borrow_stream_class_default_clock_class_const(msg);

		has_clk = cc != NULL;
		if (cc)
			fq = bt_clock_class_get_frequency(cc);
		if (e) {
			e->clk_known = 1;
			e->has_clk = (uint8_t)has_clk;
			e->freq = fq;
		}
	}
	if (has_clk) {
		uint64_t cyc = bt_clock_snapshot_get_value(
			bt_message_event_borrow_default_clock_snapshot_const(msg));

		ev->raw = cyc;
		if (fq == 1000000000ull || !fq)
			ev->ts = (int64_t)cyc;
		else
			ev->ts = (int64_t)((unsigned __int128)cyc * 1000000000ull / fq);
		if (ev->ts > c->mux_ts)
			c->mux_ts = ev->ts;
	} else {
		ev->flags |= RL_EVF_NOTIME;
	}
	if (pk)
		ev->cpu = e ? e->cpu : ct_packet_cpu(pk);
	if (ev->cpu == RL_NO_CPU && k->cpu_idx >= 0 && ct_int(ct_member(pl, k->cpu_idx), &v))
		ev->cpu = (uint32_t)v;
}

static int ct_event(struct ct_cursor *c, const bt_message *msg, struct rl_err *err)
{
	const bt_event *bev = bt_message_event_borrow_event_const(msg);
	const bt_field *pl = bt_event_borrow_payload_field_const(bev);
	struct ct_class *k = ct_class_of(c, bev);
	struct rl_event *ev;
	struct rl_lx_rec r;
	int64_t v, a[CT_NF] = {0};
	uint32_t *curp;
	int j, n = 1;

	if (!k)
		return rl_err_set(err, -RL_E_NOMEM, c->path, RL_OFF_NONE, "out of memory");
	/* the record's events are built in place, in room for RL_LX_MAX_EVENTS */
	if (c->nq + RL_LX_MAX_EVENTS > c->cap_q &&
	    rl_grow((void **)&c->q, &c->cap_q, c->nq + RL_LX_MAX_EVENTS, sizeof(*c->q)))
		return rl_err_set(err, -RL_E_NOMEM, c->path, RL_OFF_NONE, "out of memory");
	ev = &c->q[c->nq];
	memset(ev, 0, sizeof(*ev)); /* a second event is a copy of the first (rl_lx_emit) */
	ct_header(c, msg, k, pl, ev);
	rl_trace_note_cpu(c->t, ev->cpu);
	curp = ct_cur(c, ev->cpu);
	if (k->cur_idx >= 0 && ct_int(ct_member(pl, k->cur_idx), &v))
		ev->task = rl_lx_task(&c->lx, v);
	else if (curp)
		ev->task = *curp;
	for (j = 0; j < k->nint; j++) {
		const bt_field *f =
			bt_field_structure_borrow_member_field_by_index_const(pl, k->int_idx[j]);

		a[k->int_slot[j]] = k->int_sgn[j] ? bt_field_integer_signed_get_value(f)
						  : (int64_t)bt_field_integer_unsigned_get_value(f);
	}
	if (k->kind >= CT_RTAPP_INFO) {
		ct_own(c, k, pl, a, ev);
	} else {
		/* ct_rec fills what the kind uses */
		r.cur = ev->task;
		r.has_cur = 1;
		r.cur_pid = 0;
		ct_rec(k, pl, a, &r);
		n = rl_lx_emit(&c->lx, &r, ev);
		if (k->kind == RL_LX_SWITCH && curp)
			*curp = ev[1].task;
	}
	c->nq += (uint32_t)n;
	return 0;
}

static int ct_discarded(struct ct_cursor *c, const bt_message *msg)
{
	struct rl_event *ev = ct_push(c);
	uint64_t n = 0;
	int have = bt_message_discarded_events_get_count(msg, &n) ==
		   BT_PROPERTY_AVAILABILITY_AVAILABLE;

	if (!ev)
		return -RL_E_NOMEM;
	ev->type = RL_EV_LOST;
	ev->src = c->src;
	ev->src_off = RL_OFF_NONE;
	ev->name = c->lost_name;
	ev->task = ev->task2 = RL_NO_TASK;
	ev->cpu = RL_NO_CPU;
	{
		/* the stream's cpu, from its packets (LTTng: one stream per cpu) */
		const struct ct_strm *e =
			ct_strm_find(c, bt_message_discarded_events_borrow_stream_const(msg));

		if (e)
			ev->cpu = e->cpu;
	}
	ev->arg = have ? (int64_t)n : -1;
	ev->ts = c->mux_ts == INT64_MIN ? 0 : c->mux_ts;
	if (bt_message_discarded_events_borrow_stream_class_default_clock_class_const(msg)) {
		const bt_clock_snapshot *cs =
			bt_message_discarded_events_borrow_end_default_clock_snapshot_const(msg);

		ev->raw = bt_clock_snapshot_get_value(cs);
		if (bt_clock_class_get_frequency(bt_clock_snapshot_borrow_clock_class_const(cs)) ==
		    1000000000ull)
			ev->ts = (int64_t)ev->raw;
	}
	if (c->mux_ts != INT64_MIN && ev->ts < c->mux_ts)
		ev->ts = c->mux_ts;
	/* the lost range starts at the message's beginning snapshot */
	ev->arg2 = -1;
	if (bt_message_discarded_events_borrow_stream_class_default_clock_class_const(msg)) {
		const bt_clock_snapshot *b =
			bt_message_discarded_events_borrow_beginning_default_clock_snapshot_const(
				msg);

		if (bt_clock_class_get_frequency(bt_clock_snapshot_borrow_clock_class_const(b)) ==
		    1000000000ull)
			ev->arg2 = (int64_t)bt_clock_snapshot_get_value(b);
	}
	if (have)
		rl_trace_warn(c->t, RL_W_LOST, c->src, RL_OFF_NONE,
			      "the tracer discarded %llu events", (unsigned long long)n);
	else
		rl_trace_warn(c->t, RL_W_LOST, c->src, RL_OFF_NONE, "the tracer discarded events");
	return 0;
}

static bt_graph_simple_sink_component_initialize_func_status ct_sink_init(bt_message_iterator *it,
									  void *data)
{
	((struct ct_cursor *)data)->it = it;
	return BT_GRAPH_SIMPLE_SINK_COMPONENT_INITIALIZE_FUNC_STATUS_OK;
}

static bt_graph_simple_sink_component_consume_func_status ct_sink_consume(bt_message_iterator *it,
									  void *data)
{
	struct ct_cursor *c = data;
	bt_message_array_const msgs;
	uint64_t n, i;
	int r = 0;

	switch (bt_message_iterator_next(it, &msgs, &n)) {
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
		break;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
	default:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
	}
	for (i = 0; i < n; i++) {
		const bt_message *m = msgs[i];

		if (!r) {
			switch (bt_message_get_type(m)) {
			case BT_MESSAGE_TYPE_EVENT:
				r = ct_event(c, m, &c->ferr);
				break;
			case BT_MESSAGE_TYPE_PACKET_BEGINNING:
				r = ct_packet_begin(c, m);
				if (r)
					rl_err_set(&c->ferr, r, c->path, RL_OFF_NONE,
						   "out of memory");
				break;
			case BT_MESSAGE_TYPE_DISCARDED_EVENTS:
				r = ct_discarded(c, m);
				if (r)
					rl_err_set(&c->ferr, r, c->path, RL_OFF_NONE,
						   "out of memory");
				break;
			default:
				break;
			}
		}
		bt_message_put_ref(m);
	}
	if (r) {
		c->failed = 1;
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
	}
	return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
}

static int ct_emit(struct ct_cursor *c, struct rl_event *ev, const struct rl_event *src)
{
	*ev = *src;
	if (!(ev->flags & RL_EVF_DERIVED))
		c->t->srcs[c->src].nrec++;
	return 1;
}

static int ct_next(struct rl_cursor *base, struct rl_event *ev, struct rl_err *err)
{
	struct ct_cursor *c = (struct ct_cursor *)base;
	uint32_t i;

	for (;;) {
		bt_graph_run_once_status st;

		if (!c->reorder && c->qpos < c->nq)
			return ct_emit(c, ev, &c->q[c->qpos++]);
		if (c->reorder && c->nheap &&
		    (c->ended || c->heap[0].ev.ts + 2 * c->max_lag + 1000000 <= c->mux_ts)) {
			struct rl_event e = ct_unhold(c);

			return ct_emit(c, ev, &e);
		}
		if (c->ended)
			return 0;
		c->nq = c->qpos = 0;
		st = bt_graph_run_once(c->graph);
		if (c->failed) {
			/* the causes babeltrace2 appended for our sink's failure: ours says it */
			bt_current_thread_clear_error();
			*err = c->ferr;
			return err->code;
		}
		if (st == BT_GRAPH_RUN_ONCE_STATUS_ERROR ||
		    st == BT_GRAPH_RUN_ONCE_STATUS_MEMORY_ERROR)
			return ct_lib_err(err, c->path, "babeltrace2 cannot read the trace");
		{
			/*
			 * src.ctf.fs can record an error on a damaged packet and
			 * still report success; the next bt_graph_run_once() would
			 * then abort the process (a library precondition).
			 */
			const bt_error *e = bt_current_thread_take_error();

			if (e) {
				bt_current_thread_move_error(e);
				return ct_lib_err(err, c->path,
						  "babeltrace2 cannot read the trace");
			}
		}
		if (st == BT_GRAPH_RUN_ONCE_STATUS_END)
			c->ended = 1;
		if (c->reorder) {
			for (i = 0; i < c->nq; i++)
				if (ct_hold(c, &c->q[i]))
					return rl_err_set(err, -RL_E_NOMEM, c->path, RL_OFF_NONE,
							  "out of memory");
			c->nq = 0;
		}
	}
}

static void ct_close(struct rl_cursor *base)
{
	struct ct_cursor *c = (struct ct_cursor *)base;

	bt_graph_put_ref(c->graph);
	bt_plugin_put_ref(c->ctf);
	bt_plugin_put_ref(c->utils);
	rl_lx_release(&c->lx);
	free(c->cls);
	free(c->strm);
	free(c->q);
	free(c->heap);
	free(c->cur);
	free(c);
}

static const struct rl_cursor_ops ct_cursor_ops = {ct_next, ct_close};

/* ---------------------------------------------------------------- open */

struct ct_build {
	struct ct_cursor *c;
	const struct rl_read_opts *opts;
	const bt_component_class_source *src_cls;
	const bt_component_filter *mux;
	struct rl_err *err;
	int n, failed;
};

/*
 * babeltrace2 skips a 0-byte data stream file without a word, and with it
 * every event of that stream: each one is a counted warning of damage.
 * Return: the bytes of the trace's stream files (for the indexing limit).
 */
static uint64_t ct_scan_streams(struct ct_build *b, const char *dir)
{
	uint64_t bytes = 0;
	struct dirent *de;
	struct stat st;
	char p[PATH_MAX];
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "metadata") ||
		    !strcmp(de->d_name, "index"))
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >= (int)sizeof(p))
			continue;
		if (stat(p, &st) || !S_ISREG(st.st_mode))
			continue;
		if (st.st_size) {
			bytes += (uint64_t)st.st_size;
			continue;
		}
		rl_trace_warn(b->c->t, RL_W_TRUNCATED, b->c->src, RL_OFF_NONE,
			      "CTF stream file %s is empty (0 bytes): babeltrace2 skips it, and "
			      "its stream's events are missing",
			      p);
	}
	closedir(d);
	return bytes;
}

/*
 * Declarations libbabeltrace2 (2.0) cannot survive, refused before it sees
 * them (plain-text metadata; no tracer writes any of them):
 * - a pointer declarator (`typealias integer {...} * := t;`): an assertion
 *   in its metadata visitor aborts the process;
 * - a static array of more than CT_MAX_ARRAY elements: the library
 *   allocates the field whole when it decodes the event (2^32 elements:
 *   a 32 GiB g_malloc, which ends the process);
 * - an array or sequence of a structure that can take no bits (`struct { }
 *   x[n]`, also through a named struct or a typealias of one, and one whose
 *   members are only such structures, arrays of length 0 and sequences, whose
 *   length the data may make 0): each element may take no bits, so decoding
 *   2^32 of them never comes back.
 * A small token scanner over the code outside comments and strings.
 */
#define CT_MAX_ARRAY (UINT64_C(1) << 20)

enum ct_ts_state {
	TS_CODE,   /* nothing pending */
	TS_STRUCT, /* after `struct` */
	TS_SNAME,  /* after `struct NAME` */
	TS_EMPTY,  /* after an empty structure type */
	TS_ALIGN,  /* inside its align(...) */
	TS_COLON,  /* after `:` */
	TS_ALIAS,  /* after `:=` */
	TS_DECL,   /* after an empty type and a declarator name */
	TS_LBRACK, /* after `[` */
	TS_NUM,	   /* after `[ NUMBER` */
};

/* An open `{`: a structure body (its members' sizes tracked) or another block. */
struct ct_ts_frame {
	char name[64];	 /* the structure's name ("" anonymous) */
	int is_struct;	 /* a structure body */
	int nonzero;	 /* a member that takes bits was seen */
	int member_next; /* the next token starts a member */
	int member_nz;	 /* this member's type takes bits... */
	int member_zero; /* ...but it is an array of length 0 */
};

struct ct_tsdl_scan {
	enum ct_ts_state st;
	char tok[64], name[64];
	size_t ntok;
	uint64_t tok_off, num;
	char **empty; /* names of empty structs and their aliases */
	size_t nempty, cap;
	struct ct_ts_frame *fr; /* open blocks */
	size_t depth, fcap;
	int lost;	 /* out of memory: the check stops (nothing refused) */
	const char *why; /* set when the metadata is refused, at off */
	uint64_t off;
};

static int ct_ts_is_empty(const struct ct_tsdl_scan *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nempty; i++)
		if (!strcmp(s->empty[i], name))
			return 1;
	return 0;
}

static void ct_ts_add_empty(struct ct_tsdl_scan *s, const char *name)
{
	char *d;

	if (!*name || ct_ts_is_empty(s, name))
		return;
	if (s->nempty == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 8;
		char **ne = realloc(s->empty, nc * sizeof(*ne));

		if (!ne) {
			s->lost = 1;
			return;
		}
		s->empty = ne;
		s->cap = nc;
	}
	if ((d = strdup(name)))
		s->empty[s->nempty++] = d;
	else
		s->lost = 1;
}

static void ct_ts_push(struct ct_tsdl_scan *s, int is_struct, const char *name)
{
	struct ct_ts_frame *f;

	if (s->depth == s->fcap) {
		size_t nc = s->fcap ? s->fcap * 2 : 16;
		struct ct_ts_frame *nf = realloc(s->fr, nc * sizeof(*nf));

		if (!nf) {
			s->lost = 1;
			return;
		}
		s->fr = nf;
		s->fcap = nc;
	}
	f = &s->fr[s->depth++];
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->is_struct = is_struct;
	f->nonzero = 0;
	f->member_next = 1;
	f->member_nz = f->member_zero = 0;
}

/* A member ends (`;` or `}`): it takes bits unless its type or its length is empty. */
static void ct_ts_member_end(struct ct_ts_frame *f)
{
	if (f->member_nz && !f->member_zero)
		f->nonzero = 1;
	f->member_nz = f->member_zero = 0;
	f->member_next = 1;
}

/* The innermost open structure body whose member is being read, if any. */
static struct ct_ts_frame *ct_ts_top(struct ct_tsdl_scan *s)
{
	return s->depth && s->fr[s->depth - 1].is_struct ? &s->fr[s->depth - 1] : NULL;
}

/* The type of the innermost structure's member takes bits (it is not empty). */
static void ct_ts_nonzero(struct ct_tsdl_scan *s)
{
	struct ct_ts_frame *f = ct_ts_top(s);

	if (f)
		f->member_nz = 1;
}

/* A `}`: a structure body ends empty (TS_EMPTY follows) or not. */
static void ct_ts_close(struct ct_tsdl_scan *s)
{
	struct ct_ts_frame f;

	if (!s->depth)
		return;
	f = s->fr[--s->depth];
	if (f.is_struct)
		ct_ts_member_end(&f);
	if (f.is_struct && !f.nonzero) {
		ct_ts_add_empty(s, f.name);
		s->st = TS_EMPTY;
		return;
	}
	if (f.is_struct)
		ct_ts_nonzero(s);
}

/* One token (@t: text, @kind: 'a' identifier, '0' number, else the punctuation). */
static void ct_ts_token(struct ct_tsdl_scan *s, const char *t, int kind, uint64_t off)
{
	struct ct_ts_frame *top;

	for (;;) {
		switch (s->st) {
		case TS_CODE:
			if (kind == '{') {
				ct_ts_push(s, 0, "");
				return;
			}
			if (kind == '}') {
				ct_ts_close(s);
				return;
			}
			top = ct_ts_top(s);
			if (kind == ';') {
				if (top)
					ct_ts_member_end(top);
				return;
			}
			if (top && top->member_next) { /* the member's type */
				top->member_next = 0;
				if (kind == 'a' && !strcmp(t, "struct"))
					s->st = TS_STRUCT;
				else if (kind == 'a' && ct_ts_is_empty(s, t))
					s->st = TS_EMPTY;
				else
					top->member_nz = 1;
				if (s->st != TS_CODE)
					return;
			} else if (kind == 'a' && !strcmp(t, "struct")) {
				s->st = TS_STRUCT;
				return;
			} else if (kind == 'a' && ct_ts_is_empty(s, t)) {
				s->st = TS_EMPTY;
				return;
			}
			if (kind == '[')
				s->st = TS_LBRACK;
			return;
		case TS_STRUCT:
			if (kind == '{') {
				s->st = TS_CODE;
				ct_ts_push(s, 1, "");
				return;
			}
			if (kind == 'a') {
				snprintf(s->name, sizeof(s->name), "%s", t);
				s->st = TS_SNAME;
				return;
			}
			s->st = TS_CODE;
			ct_ts_nonzero(s);
			continue;
		case TS_SNAME:
			if (kind == '{') {
				s->st = TS_CODE;
				ct_ts_push(s, 1, s->name);
				return;
			}
			if (ct_ts_is_empty(s, s->name))
				s->st = TS_EMPTY;
			else {
				s->st = TS_CODE;
				ct_ts_nonzero(s);
			}
			continue;
		case TS_EMPTY:
			if (kind == 'a' && !strcmp(t, "align")) {
				s->st = TS_ALIGN;
				return;
			}
			if (kind == ':') {
				s->st = TS_COLON;
				return;
			}
			if (kind == 'a') {
				s->st = TS_DECL;
				return;
			}
			s->st = TS_CODE;
			continue;
		case TS_ALIGN:
			if (kind == ')')
				s->st = TS_EMPTY;
			return;
		case TS_COLON:
			s->st = kind == '=' ? TS_ALIAS : TS_CODE;
			if (kind == '=')
				return;
			continue;
		case TS_ALIAS:
			s->st = TS_CODE;
			if (kind == 'a') {
				ct_ts_add_empty(s, t);
				return;
			}
			continue;
		case TS_DECL:
			if (kind == '[') {
				s->why =
					"an array or sequence of a structure that can take no "
					"bits (empty, or of sequences and empty parts only), which "
					"libbabeltrace2 decodes without end";
				s->off = off;
				return;
			}
			s->st = TS_CODE;
			continue;
		case TS_LBRACK:
			if (kind == '0') {
				s->st = TS_NUM;
				return;
			}
			/* `T x[len]`: a sequence, of length 0 when the data say so */
			if (kind == 'a' && (top = ct_ts_top(s)))
				top->member_zero = 1;
			s->st = TS_CODE;
			continue;
		case TS_NUM:
			if (kind == ']' && s->num > CT_MAX_ARRAY) {
				s->why = "a static array of more than 1048576 elements, which "
					 "libbabeltrace2 would allocate whole";
				s->off = s->tok_off;
				return;
			}
			if (kind == ']' && !s->num && (top = ct_ts_top(s)))
				top->member_zero = 1; /* `T x[0]` takes no bits */
			s->st = TS_CODE;
			continue;
		}
	}
}

/* The character @c at @off of the code (outside comments and strings; 0: a break). */
static void ct_ts_char(struct ct_tsdl_scan *s, int c, uint64_t off)
{
	int word = isalnum(c) || c == '_';

	if (word && s->ntok + 1 < sizeof(s->tok)) {
		if (!s->ntok)
			s->tok_off = off;
		s->tok[s->ntok++] = (char)c;
		return;
	}
	if (word)
		return; /* a long name: its first 63 characters count */
	if (s->ntok) {
		s->tok[s->ntok] = 0;
		if (isdigit((unsigned char)s->tok[0])) {
			errno = 0;
			s->num = strtoull(s->tok, NULL, 0);
			if (errno)
				s->num = UINT64_MAX;
			ct_ts_token(s, s->tok, '0', s->tok_off);
		} else
			ct_ts_token(s, s->tok, 'a', s->tok_off);
		s->ntok = 0;
	}
	if (c && strchr("{}[]():=;,<>", c))
		ct_ts_token(s, "", c, off);
}

/*
 * Return: 0, or 1 with @b's error set where the metadata shows one of the
 * declarations above.
 */
static int ct_meta_check(struct ct_build *b, const char *dir)
{
	char p[PATH_MAX], buf[4096];
	int st = 0, prev = 0; /* 0 code, 1 // comment, 2 block comment, 3 string */
	uint64_t off = 0, at = 0;
	const char *why = NULL;
	struct ct_tsdl_scan ts = {0};
	size_t n, i;
	FILE *f;

	if (snprintf(p, sizeof(p), "%s/metadata", dir) >= (int)sizeof(p) || !(f = fopen(p, "rb")))
		return 0;
	n = fread(buf, 1, sizeof(buf), f);
	if (n < 6 || memcmp(buf, "/* CTF", 6)) { /* packetized metadata: binary */
		fclose(f);
		return 0;
	}
	for (; n && !why; off += n, n = fread(buf, 1, sizeof(buf), f)) {
		for (i = 0; i < n && !why; prev = buf[i++]) {
			int c = (unsigned char)buf[i];

			if (st == 1 && c == '\n')
				st = 0;
			else if (st == 2 && prev == '*' && c == '/')
				c = 0, st = 0; /* (so that a '/' after it opens nothing) */
			else if (st == 3 && c == '"' && prev != '\\')
				st = 0, c = 0;
			else if (!st && prev == '/' && (c == '/' || c == '*'))
				st = c == '/' ? 1 : 2, c = 0;
			else if (!st && c == '"')
				st = 3, ct_ts_char(&ts, 0, off + i);
			else if (!st && c == '*') {
				why = "a pointer declarator ('*'), which no tracer writes and on "
				      "which libbabeltrace2 may abort";
				at = off + i;
			} else if (!st && c != '/')
				ct_ts_char(&ts, c, off + i);
			if (ts.why && !why && !ts.lost)
				why = ts.why, at = ts.off;
			buf[i] = (char)c;
		}
	}
	fclose(f);
	for (i = 0; i < ts.nempty; i++)
		free(ts.empty[i]);
	free(ts.empty);
	free(ts.fr);
	if (why) {
		uint32_t id = rl_strtab_intern(b->c->t->strs, p, strlen(p));

		rl_err_set(b->err, -RL_E_FORMAT, id ? rl_strtab_get(b->c->t->strs, id) : NULL, at,
			   "%s: refused", why);
		b->failed = 1;
		return 1;
	}
	return 0;
}

/*
 * libbabeltrace2 2.0 ends the process (an assertion, SIGABRT) on some
 * damaged packet contexts while src.ctf.fs indexes the packets, which it
 * does when the component is added, and on others it does not come back.
 * A child process adds the same component first, in a graph of its own,
 * with @secs seconds to do it (alarm): if the library kills it or it runs
 * out of time, the trace is refused here with a located error instead of
 * taking rtlens down or hanging. (The child only initialises and _exits:
 * no output, no atexit.)
 * Return: 0 the library survives, 1 it died (@sig set; SIGALRM: out of
 * time), -1 no child.
 */
static int ct_probe_init(const bt_component_class_source *cls, const bt_value *params,
			 unsigned secs, int *sig)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		bt_graph *g;
		const bt_component_source *src = NULL;
		int fd = open("/dev/null", O_WRONLY);

		/* the library's own abort message would only repeat the error below */
		if (fd >= 0)
			dup2(fd, 2);
		/*
		 * Handlers the parent installed (a sanitizer's, a fuzzer's) would
		 * turn the library's abort into an ordinary exit: die plainly.
		 */
		signal(SIGABRT, SIG_DFL);
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		signal(SIGFPE, SIG_DFL);
		signal(SIGILL, SIG_DFL);
		signal(SIGALRM, SIG_DFL);
		alarm(secs);
		g = bt_graph_create(0);

		if (g)
			(void)bt_graph_add_source_component(g, cls, "probe", params,
							    BT_LOGGING_LEVEL_NONE, &src);
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(st)) {
		*sig = WTERMSIG(st);
		return 1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
		*sig = 0; /* ended by something that caught the signal first */
		return 1;
	}
	return 0;
}

static int ct_add_trace(void *arg, const char *walked)
{
	struct ct_build *b = arg;
	bt_value *params = bt_value_map_create(), *arr = NULL;
	const bt_component_source *src = NULL;
	/*
	 * The walk frees its directory names; an error keeps its path, so the
	 * name lives in the trace's string table (freed with the trace).
	 */
	uint32_t id = rl_strtab_intern(b->c->t->strs, walked, strlen(walked));
	const char *dir = id ? rl_strtab_get(b->c->t->strs, id) : b->c->path;
	char name[32];
	uint64_t i, np, bytes;
	unsigned secs;
	int sig = 0;

	if (!params || bt_value_map_insert_empty_array_entry(params, "inputs", &arr) ||
	    bt_value_array_append_string_element(arr, dir)) {
		bt_value_put_ref(params);
		rl_err_set(b->err, -RL_E_NOMEM, dir, RL_OFF_NONE, "out of memory");
		b->failed = 1;
		return 1;
	}
	if (ct_meta_check(b, dir)) {
		bt_value_put_ref(params);
		return 1;
	}
	bytes = ct_scan_streams(b, dir);
	secs = b->opts && b->opts->ctf_index_secs ? b->opts->ctf_index_secs
						  : 30 + (unsigned)((bytes >> 24) & 0xffffff);
	if (ct_probe_init(b->src_cls, params, secs, &sig) == 1) {
		bt_value_put_ref(params);
		char how[32] = "it stops";

		if (sig == SIGALRM)
			rl_err_set(b->err, -RL_E_CORRUPT, dir, RL_OFF_NONE,
				   "libbabeltrace2 does not finish indexing the packets of this "
				   "trace (%u s; a damaged packet header or context?)",
				   secs);
		else {
			if (sig)
				snprintf(how, sizeof(how), "signal %d", sig);
			rl_err_set(b->err, -RL_E_CORRUPT, dir, RL_OFF_NONE,
				   "libbabeltrace2 dies on this trace (%s while it indexes the "
				   "packets: a damaged packet header or context?)",
				   how);
		}
		b->failed = 1;
		return 1;
	}
	snprintf(name, sizeof(name), "src%d", b->n++);
	if (bt_graph_add_source_component(b->c->graph, b->src_cls, name, params,
					  BT_LOGGING_LEVEL_NONE, &src)) {
		bt_value_put_ref(params);
		ct_lib_err(b->err, dir, "babeltrace2 cannot open the CTF trace");
		b->failed = 1;
		return 1;
	}
	bt_value_put_ref(params);
	np = bt_component_source_get_output_port_count(src);
	for (i = 0; i < np; i++) {
		uint64_t nin = bt_component_filter_get_input_port_count(b->mux);
		const bt_port_output *op =
			bt_component_source_borrow_output_port_by_index_const(src, i);
		const bt_port_input *ip =
			bt_component_filter_borrow_input_port_by_index_const(b->mux, nin - 1);

		if (bt_graph_connect_ports(b->c->graph, op, ip, NULL)) {
			ct_lib_err(b->err, dir, "cannot connect a stream to the muxer");
			b->failed = 1;
			return 1;
		}
	}
	return 0;
}

static int ct_open(struct rl_input *ins, size_t n, struct rl_trace *t,
		   const struct rl_read_opts *opts, struct rl_cursor ***out, size_t *nout,
		   struct rl_err *err)
{
	struct ct_cursor *c;
	struct ct_build b;
	const bt_component_class_filter *mux_cls;
	const bt_component_sink *sink;
	const bt_component_class_source *src_cls;
	struct rl_cursor **curs;
	size_t i;

	for (i = 0; i < n; i++)
		if (!ins[i].is_dir)
			return rl_err_set(err, -RL_E_FORMAT, ins[i].path, RL_OFF_NONE,
					  "CTF traces are directories (the one holding `metadata`, "
					  "or a session directory above it)");
	c = calloc(1, sizeof(*c));
	curs = calloc(1, sizeof(*curs));
	if (!c || !curs) {
		free(c);
		free(curs);
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	}
	c->base.ops = &ct_cursor_ops;
	c->t = t;
	c->path = ins[0].path;
	c->src = ins[0].src;
	c->mux_ts = INT64_MIN;
	rl_err_init(&c->ferr);
	rl_lx_init(&c->lx, t);
	c->lx.keep_names = 1;
	c->lx.comm_of = ct_comm_of;
	c->lost_name = rl_strtab_intern(t->strs, "lost_events", 11);
	if (bt_plugin_find("ctf", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_FALSE, &c->ctf) !=
		    BT_PLUGIN_FIND_STATUS_OK ||
	    bt_plugin_find("utils", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_FALSE, &c->utils) !=
		    BT_PLUGIN_FIND_STATUS_OK) {
		ct_lib_err(err, c->path,
			   "babeltrace2 plugins ctf/utils not found (Debian package "
			   "libbabeltrace2-0)");
		goto fail;
	}
	src_cls = bt_plugin_borrow_source_component_class_by_name_const(c->ctf, "fs");
	mux_cls = bt_plugin_borrow_filter_component_class_by_name_const(c->utils, "muxer");
	c->graph = bt_graph_create(0);
	if (!src_cls || !mux_cls || !c->graph) {
		ct_lib_err(err, c->path, "cannot set up the babeltrace2 graph");
		goto fail;
	}
	memset(&b, 0, sizeof(b));
	b.c = c;
	b.src_cls = src_cls;
	b.err = err;
	b.opts = opts;
	if (bt_graph_add_filter_component(c->graph, mux_cls, "mux", NULL, BT_LOGGING_LEVEL_NONE,
					  &b.mux)) {
		ct_lib_err(err, c->path, "cannot add the muxer");
		goto fail;
	}
	for (i = 0; i < n && !b.failed; i++) {
		int before = b.n;

		ct_walk(ins[i].path, 0, ct_add_trace, &b);
		if (!b.failed && b.n == before) {
			rl_err_set(err, -RL_E_FORMAT, ins[i].path, RL_OFF_NONE,
				   "no CTF `metadata` file in this directory or below it: a "
				   "directory is read as a CTF trace; sched_trace, xentrace, "
				   "trace.dat and ftrace text are given as files (e.g. DIR/*.bin), "
				   "and rtlens overheads reads a folder of Feather-Trace files");
			goto fail;
		}
	}
	if (b.failed)
		goto fail;
	if (bt_graph_add_simple_sink_component(c->graph, "rtlens", ct_sink_init, ct_sink_consume,
					       NULL, c, &sink) ||
	    bt_graph_connect_ports(
		    c->graph, bt_component_filter_borrow_output_port_by_index_const(b.mux, 0),
		    bt_component_sink_borrow_input_port_by_index_const(sink, 0), NULL)) {
		ct_lib_err(err, c->path, "cannot connect the sink");
		goto fail;
	}
	t->format = "ctf";
	curs[0] = &c->base;
	*out = curs;
	*nout = 1;
	return 0;
fail:
	ct_close(&c->base);
	free(curs);
	return err->code ? err->code : -RL_E_LIB;
}

const struct rl_reader_ops rl_reader_ctf = {
	.name = "ctf",
	.family = RL_FAM_LINUX,
	.desc = "CTF 1.8 directory (LTTng kernel/UST, perf data convert --to-ctf) via "
		"libbabeltrace2",
	.probe = ct_probe,
	.open = ct_open,
};
