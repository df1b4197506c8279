/*
 * readers/recording.c - one command reads one recording: files of several
 * recordings given together are refused instead of being merged silently.
 *
 * Four signs that files belong to different recordings:
 *  (a) their key=value names differ outside the cpu and msg keys
 *      (schedule_host=qemu_scheduler=GSN-EDF_trace=demo_cpu=0.bin);
 *  (b) sched_trace: two SYS_RELEASE records with different release times;
 *  (c) their time spans are disjoint (rule at rl_rec_disjoint());
 *  (d) per-CPU formats: two files for one CPU stream.
 * (a) is decided from the names, (d) once the reader has opened the files,
 * (b) and (c) while the events stream, by a wrapper around each cursor (a
 * command that then fails commits nothing to its output file). A reader
 * that sees every record's time when it opens the files (sched_trace)
 * decides (b) and (c) there instead, by the same rules, and its cursors are
 * not wrapped: the wrapper would cost every event an indirect call.
 */
#include "readers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* (c), per-CPU formats: a gap between two files' spans must exceed this and both spans. */
#define RL_REC_GAP_NS 1000000000ll

#define RL_REC_HINT "use rtlens batch to process several recordings"

/* The base name of @path without ".gz" and one alphabetic extension (".bin"). */
static size_t rl_rec_base(const char *path, const char **base)
{
	const char *b = strrchr(path, '/'), *dot;
	size_t len;

	b = b ? b + 1 : path;
	len = strlen(b);
	if (len > 3 && !strcmp(b + len - 3, ".gz"))
		len -= 3;
	dot = memrchr(b, '.', len);
	if (dot && dot + 1 < b + len) {
		const char *p = dot + 1;

		while (p < b + len && isalpha((unsigned char)*p))
			p++;
		if (p == b + len)
			len = (size_t)(dot - b);
	}
	*base = b;
	return len;
}

/* Whether the key=value token [@s, @s + @n) has key @key. */
static int rl_rec_is_key(const char *s, size_t n, const char *key)
{
	size_t k = strlen(key);

	return n > k && !memcmp(s, key, k) && s[k] == '=';
}

/* Append [@s, @s + @n) to @buf; once something did not fit, nothing more is written. */
static void rl_rec_put(char *buf, size_t size, size_t *out, const char *s, size_t n)
{
	if (*out + n < size) {
		memcpy(buf + *out, s, n);
		buf[*out + n] = 0;
	}
	*out += n;
}

/**
 * rl_recording_name() - the recording a file belongs to, from its name
 * @path: the file
 * @buf:  receives the name: the key=value parts of the base name except cpu
 *        and msg, joined by '_' ("host=qemu_scheduler=GSN-EDF_trace=demo")
 * @size: size of @buf (a name that does not fit is cut short)
 * @cpu:  if not NULL, receives the cpu=N or msg=N number, or -1
 * @msg:  if not NULL, receives 1 for msg=N (Feather-Trace message files)
 *
 * Tokens before the first key=value (the kind: schedule, overheads, st-...)
 * are not keys; a token without '=' after a key continues its value
 * (trace=my_demo).
 *
 * Return: the length of the full name (0 when the file is not named key=value).
 */
size_t rl_recording_name(const char *path, char *buf, size_t size, int *cpu, int *msg)
{
	const char *base, *p, *end;
	size_t len = rl_rec_base(path, &base), out = 0;
	int in_key = 0, skip = 0;

	if (cpu)
		*cpu = -1;
	if (msg)
		*msg = 0;
	if (size)
		buf[0] = 0;
	for (p = base, end = base + len; p < end;) {
		const char *q = memchr(p, '_', (size_t)(end - p));
		size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
		const char *eq = memchr(p, '=', n);

		if (eq) {
			in_key = 1;
			skip = rl_rec_is_key(p, n, "cpu") || rl_rec_is_key(p, n, "msg");
			if (skip && cpu)
				*cpu = atoi(eq + 1);
			if (skip && msg)
				*msg = rl_rec_is_key(p, n, "msg");
		}
		if (in_key && !skip) {
			if (out)
				rl_rec_put(buf, size, &out, "_", 1);
			rl_rec_put(buf, size, &out, p, n);
		}
		p += n + (q ? 1 : 0);
	}
	return out;
}

/**
 * rl_recording_list_release() - free a list of recordings
 * @l: the list (a zeroed list is a no-op)
 */
void rl_recording_list_release(struct rl_recording_list *l)
{
	uint32_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/**
 * rl_recordings_of() - the distinct recordings of a file set, from the names
 * @ins: the inputs
 * @n:   their number
 * @out: filled with the names in first-seen order and their file counts
 *       (release with rl_recording_list_release()); files whose names are
 *       not key=value are not counted
 * @err: error out
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_recordings_of(const struct rl_input *ins, size_t n, struct rl_recording_list *out,
		     struct rl_err *err)
{
	char name[512];
	size_t i;
	uint32_t k;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		if (!rl_recording_name(ins[i].path, name, sizeof(name), NULL, NULL))
			continue;
		for (k = 0; k < out->n; k++)
			if (!strcmp(out->v[k].name, name))
				break;
		if (k < out->n) {
			out->v[k].nfiles++;
			continue;
		}
		if (rl_grow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v)))
			goto nomem;
		out->v[k].name = strdup(name);
		if (!out->v[k].name)
			goto nomem;
		out->v[k].nfiles = 1;
		out->n++;
	}
	return 0;
nomem:
	rl_recording_list_release(out);
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
}

/**
 * rl_recordings_check_names() - refuse a file set whose names are of several recordings
 * @ins: the inputs
 * @n:   their number
 * @err: error out: -RL_E_MIXED with the recordings listed as causes
 *
 * Return: 0, or a negative RL_E_* code with @err set.
 */
int rl_recordings_check_names(const struct rl_input *ins, size_t n, struct rl_err *err)
{
	struct rl_recording_list l;
	uint32_t k;
	int r = rl_recordings_of(ins, n, &l, err);

	if (r < 0 || l.n < 2)
		goto out;
	r = rl_err_set(err, -RL_E_MIXED, NULL, RL_OFF_NONE,
		       "the files are of %u recordings; " RL_REC_HINT, l.n);
	for (k = 0; k < l.n; k++) {
		if (k == 3 && l.n > 4) {
			rl_err_ctx(err, "... and %u more recordings", l.n - 3);
			break;
		}
		rl_err_ctx(err, "recording %s (%zu file%s)", l.v[k].name, l.v[k].nfiles,
			   l.v[k].nfiles == 1 ? "" : "s");
	}
out:
	rl_recording_list_release(&l);
	return r;
}

/* Per-CPU formats: each file is one CPU's stream. */
static int rl_rec_per_cpu(enum rl_family fam)
{
	return fam == RL_FAM_LITMUS || fam == RL_FAM_FEATHER;
}

/**
 * rl_recordings_check_streams() - refuse two files for one CPU stream (per-CPU formats)
 * @t:   the trace, its sources' cpus set by the reader's open
 * @ins: the inputs, in source order
 * @n:   their number
 * @err: error out: -RL_E_MIXED naming both files
 *
 * The stream of a sched_trace file is its CPU; of a Feather-Trace file its
 * CPU and whether it is a msg= file. The CPU is the one its records name
 * (the reader's), else the one its name gives.
 *
 * Return: 0, or -RL_E_MIXED with @err set.
 */
int rl_recordings_check_streams(const struct rl_trace *t, const struct rl_input *ins, size_t n,
				struct rl_err *err)
{
	char name[8];
	size_t i, k;
	int *cpu, *msg;

	if (!rl_rec_per_cpu(t->family) || n < 2)
		return 0;
	cpu = calloc(n, sizeof(*cpu));
	msg = calloc(n, sizeof(*msg));
	if (!cpu || !msg) {
		free(cpu);
		free(msg);
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	}
	for (i = 0; i < n; i++) {
		int ncpu;

		rl_recording_name(ins[i].path, name, sizeof(name), &ncpu, &msg[i]);
		cpu[i] = ins[i].src < t->nsrcs && t->srcs[ins[i].src].cpu >= 0
				 ? t->srcs[ins[i].src].cpu
				 : ncpu;
		if (t->family != RL_FAM_FEATHER)
			msg[i] = 0;
	}
	for (i = 0; i < n; i++)
		for (k = 0; k < i; k++)
			if (cpu[i] >= 0 && cpu[i] == cpu[k] && msg[i] == msg[k]) {
				rl_err_set(err, -RL_E_MIXED, NULL, RL_OFF_NONE,
					   "two files for %s %d: they are of different recordings "
					   "(or one file twice); " RL_REC_HINT,
					   msg[i] ? "the messages of cpu" : "cpu", cpu[i]);
				rl_err_ctx(err, "file %s", ins[k].path);
				rl_err_ctx(err, "file %s", ins[i].path);
				i = n;
				break;
			}
	free(cpu);
	free(msg);
	return err->code == -RL_E_MIXED ? err->code : 0;
}

/* ------------------------------------------------ (b) and (c): the rules */

/* A source's span, as far as its events have been seen. */
struct rl_rec_src {
	int64_t first, last; /* over timed events */
	uint32_t live;	     /* cursors of the source that have events left */
	uint8_t started;     /* one of its cursors yielded an event */
	uint8_t timed;
};

/* The sources of a file set, for (c). */
struct rl_rec_srcs {
	const struct rl_trace *t;
	struct rl_rec_src *v; /* per source */
	uint32_t n;
};

/* (b): the first SYS_RELEASE seen. */
struct rl_rec_rel {
	int64_t rel;
	uint16_t src;
	uint8_t have;
};

static int rl_rec_srcs_init(struct rl_rec_srcs *s, const struct rl_trace *t)
{
	s->t = t;
	s->n = t->nsrcs ? t->nsrcs : 1;
	s->v = calloc(s->n, sizeof(*s->v));
	return s->v ? 0 : -RL_E_NOMEM;
}

/* Widen @sp to [@first, @last]. */
static void rl_rec_fold(struct rl_rec_src *sp, int64_t first, int64_t last)
{
	if (!sp->timed || first < sp->first)
		sp->first = first;
	if (!sp->timed || last > sp->last)
		sp->last = last;
	sp->timed = 1;
}

static int64_t rl_rec_sub(int64_t a, int64_t b)
{
	int64_t d;

	if (__builtin_sub_overflow(a, b, &d))
		return a > b ? INT64_MAX : INT64_MIN;
	return d;
}

/*
 * (c): source @a ends before source @b begins. For Linux and Xen traces
 * (each file is a whole recording: all its CPUs) any gap between the spans
 * means two recordings. In per-CPU formats a CPU's file can be short (an
 * idle CPU writes a few records), so the gap must also be longer than a
 * second and than each of the two spans.
 */
static int rl_rec_disjoint(const struct rl_rec_srcs *s, const struct rl_rec_src *a,
			   const struct rl_rec_src *b)
{
	int64_t gap;

	if (!a->timed || !b->timed || a->last >= b->first)
		return 0;
	gap = rl_rec_sub(b->first, a->last);
	if (!rl_rec_per_cpu(s->t->family))
		return 1;
	return gap > RL_REC_GAP_NS && gap > rl_rec_sub(a->last, a->first) &&
	       gap > rl_rec_sub(b->last, b->first);
}

/* (c) found: source @a (ended) before source @b. */
static int rl_rec_span_err(const struct rl_rec_srcs *s, uint32_t a, uint32_t b, struct rl_err *err)
{
	const struct rl_rec_src *x = &s->v[a], *y = &s->v[b];

	rl_err_set(
		err, -RL_E_MIXED, NULL, RL_OFF_NONE,
		"the files do not overlap in time: they are of different recordings; " RL_REC_HINT);
	rl_err_ctx(err, "recording %s: %lld .. %lld ns", s->t->srcs[a].path, (long long)x->first,
		   (long long)x->last);
	if (y->live)
		rl_err_ctx(err, "recording %s: from %lld ns", s->t->srcs[b].path,
			   (long long)y->first);
	else
		rl_err_ctx(err, "recording %s: %lld .. %lld ns", s->t->srcs[b].path,
			   (long long)y->first, (long long)y->last);
	return err->code;
}

/*
 * (c), the one rule: source @e has no events left. Against every other
 * source that has ended too, (c) is decided on both complete spans.
 * Whole-recording formats need no span lengths, so a source that is still
 * streaming is checked at once: it began after @e ended (its later events
 * come later still).
 */
static int rl_rec_source_ended(const struct rl_rec_srcs *s, uint16_t e, struct rl_err *err)
{
	const struct rl_rec_src *x = &s->v[e];
	uint32_t u;

	for (u = 0; u < s->n; u++) {
		const struct rl_rec_src *y = &s->v[u];

		if (u == e || !y->started)
			continue;
		if (y->live) {
			if (!rl_rec_per_cpu(s->t->family) && rl_rec_disjoint(s, x, y))
				return rl_rec_span_err(s, e, u, err);
			continue;
		}
		if (rl_rec_disjoint(s, x, y))
			return rl_rec_span_err(s, e, u, err);
		if (rl_rec_disjoint(s, y, x))
			return rl_rec_span_err(s, u, e, err);
	}
	return 0;
}

/* (b), the one rule: a SYS_RELEASE of source @src announces release time @rel. */
static int rl_rec_release(const struct rl_trace *t, struct rl_rec_rel *first, int64_t rel,
			  uint16_t src, struct rl_err *err)
{
	if (!first->have) {
		first->have = 1;
		first->rel = rel;
		first->src = src;
		return 0;
	}
	if (rel == first->rel)
		return 0;
	rl_err_set(err, -RL_E_MIXED, NULL, RL_OFF_NONE,
		   "two system releases (SYS_RELEASE at %lld and %lld ns): the files are of "
		   "different recordings; " RL_REC_HINT,
		   (long long)first->rel, (long long)rel);
	rl_err_ctx(err, "recording %s: release at %lld ns",
		   first->src < t->nsrcs ? t->srcs[first->src].path : "?", (long long)first->rel);
	rl_err_ctx(err, "recording %s: release at %lld ns",
		   src < t->nsrcs ? t->srcs[src].path : "?", (long long)rel);
	return err->code;
}

/* ---------------------------------------------------- checks at open time */

/*
 * Stream order, as the merge orders events: by time, then by the cursor's
 * rank, then by cursor (the readers that check at open have one per
 * source), then by place in the cursor's stream.
 */
static int rl_rec_stream_cmp(int64_t ta, uint32_t ra, uint16_t sa, uint32_t qa, int64_t tb,
			     uint32_t rb, uint16_t sb, uint32_t qb)
{
	if (ta != tb)
		return ta < tb ? -1 : 1;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	return (qa > qb) - (qa < qb);
}

/* The streams' ends in stream order: each ends after its last event. */
static int rl_rec_end_cmp(const void *a, const void *b)
{
	const struct rl_rec_span *x = a, *y = b;

	return rl_rec_stream_cmp(x->end, x->rank, x->src, 0, y->end, y->rank, y->src, 0);
}

/**
 * rl_recordings_check_spans() - check (c) at open, on the spans a reader found
 * @t:   the trace (family set, sources registered)
 * @v:   the spans of the file set's streams, one per cursor; sorted in place
 *       into the order in which the streams end
 * @n:   their number
 * @err: error out
 *
 * For a reader that knows every event's time when it opens the files. The
 * streams end in the merge's order and each end is checked as
 * rl_recordings_guard() checks it, so the same files are named.
 *
 * Return: 0, or -RL_E_MIXED or -RL_E_NOMEM with @err set.
 */
int rl_recordings_check_spans(const struct rl_trace *t, struct rl_rec_span *v, size_t n,
			      struct rl_err *err)
{
	struct rl_rec_srcs s;
	size_t i;
	int r = 0;

	if (rl_rec_srcs_init(&s, t) < 0)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	for (i = 0; i < n; i++) {
		struct rl_rec_src *x = &s.v[v[i].src < s.n ? v[i].src : 0];

		if (!v[i].started)
			continue;
		if (v[i].timed)
			rl_rec_fold(x, v[i].first, v[i].last);
		x->started = 1;
		x->live++;
	}
	if (n) /* qsort(NULL, 0, ...) is undefined */
		qsort(v, n, sizeof(*v), rl_rec_end_cmp);
	for (i = 0; i < n && !r; i++) {
		uint16_t e = v[i].src < s.n ? v[i].src : 0;

		if (v[i].started && !--s.v[e].live)
			r = rl_rec_source_ended(&s, e, err);
	}
	free(s.v);
	return r;
}

static int rl_rec_release_cmp(const void *a, const void *b)
{
	const struct rl_rec_release *x = a, *y = b;

	return rl_rec_stream_cmp(x->ts, x->rank, x->src, x->seq, y->ts, y->rank, y->src, y->seq);
}

/**
 * rl_recordings_check_releases() - check (b) at open, on a sched_trace file set's SYS_RELEASEs
 * @t:   the trace (sources registered)
 * @v:   SYS_RELEASE records, in any order (sorted in place into stream
 *       order); of each file at least its first in stream order and the
 *       first after it that announces another release time
 * @n:   their number
 * @err: error out
 *
 * Return: 0, or -RL_E_MIXED with @err set naming the first release in
 * stream order and the first one that differs from it, as
 * rl_recordings_guard() would.
 */
int rl_recordings_check_releases(const struct rl_trace *t, struct rl_rec_release *v, size_t n,
				 struct rl_err *err)
{
	struct rl_rec_rel first = {0};
	size_t i;

	if (n)
		qsort(v, n, sizeof(*v), rl_rec_release_cmp);
	for (i = 0; i < n; i++)
		if (rl_rec_release(t, &first, v[i].rel, v[i].src, err) < 0)
			return err->code;
	return 0;
}

/* ------------------------------------------------- checks while streaming */

struct rl_recguard {
	struct rl_rec_srcs s;
	struct rl_rec_rel rel;
	uint32_t refs; /* open wrappers */
};

struct rl_recguard_cursor {
	struct rl_cursor base;
	struct rl_cursor *inner;
	struct rl_recguard *g;
	int64_t first, last; /* this cursor's span, folded into its source's at the end */
	uint16_t src;
	uint8_t started, ended, timed;
};

/* A cursor's first event: its source has one more cursor streaming. */
static void rl_recguard_start(struct rl_recguard_cursor *w, const struct rl_event *ev)
{
	struct rl_recguard *g = w->g;

	w->started = 1;
	w->src = ev->src < g->s.n ? ev->src : 0;
	g->s.v[w->src].live++;
	g->s.v[w->src].started = 1;
}

/* A cursor's first timed event: its source's start is known (live sources are compared by it). */
static void rl_recguard_first(struct rl_recguard_cursor *w, int64_t ts)
{
	w->first = w->last = ts;
	w->timed = 1;
	rl_rec_fold(&w->g->s.v[w->src], ts, ts);
}

/* The cursor has no events left: its span joins its source's; the last one decides (c). */
static int rl_recguard_end(struct rl_recguard_cursor *w, struct rl_err *err)
{
	struct rl_recguard *g = w->g;
	struct rl_rec_src *sp = &g->s.v[w->src];

	w->ended = 1;
	if (!w->started)
		return 0;
	if (w->timed)
		rl_rec_fold(sp, w->first, w->last);
	if (!--sp->live)
		return rl_rec_source_ended(&g->s, w->src, err);
	return 0;
}

/*
 * The hot path: every event of every cursor passes here, so it only keeps
 * the cursor's own span; the checks run at the ends and on SYS_RELEASE.
 */
static int rl_recguard_next(struct rl_cursor *c, struct rl_event *ev, struct rl_err *err)
{
	struct rl_recguard_cursor *w = (struct rl_recguard_cursor *)c;
	int r;

	if (w->ended)
		return 0;
	r = rl_cursor_next(w->inner, ev, err);
	if (__builtin_expect(r <= 0, 0))
		return r < 0 ? r : rl_recguard_end(w, err);
	if (__builtin_expect(!w->started, 0))
		rl_recguard_start(w, ev);
	if (!(ev->flags & RL_EVF_NOTIME)) {
		if (__builtin_expect(!w->timed, 0))
			rl_recguard_first(w, ev->ts);
		else if (ev->ts > w->last)
			w->last = ev->ts;
		else if (ev->ts < w->first)
			w->first = ev->ts;
	}
	if (__builtin_expect(ev->type == RL_EV_SYS_RELEASE, 0) &&
	    w->g->s.t->family == RL_FAM_LITMUS)
		return rl_rec_release(w->g->s.t, &w->g->rel, ev->arg, ev->src, err) < 0 ? err->code
											: 1;
	return 1;
}

static void rl_recguard_close(struct rl_cursor *c)
{
	struct rl_recguard_cursor *w = (struct rl_recguard_cursor *)c;
	struct rl_recguard *g = w->g;

	rl_cursor_close(w->inner);
	free(w);
	if (!--g->refs) {
		free(g->s.v);
		free(g);
	}
}

static const struct rl_cursor_ops rl_recguard_ops = {
	.next = rl_recguard_next,
	.close = rl_recguard_close,
};

/**
 * rl_recordings_guard() - check (b) and (c) while the cursors stream
 * @t:    the trace (family set, sources registered)
 * @curs: the cursors of the file set; each is replaced by a wrapper that
 *        owns it (on failure the array is left as it was)
 * @n:    their number
 * @err:  error out
 *
 * A wrapper's next() fails with -RL_E_MIXED when a SYS_RELEASE names
 * another release time than an earlier one (sched_trace), or when the last
 * cursor of a file ends and that file's span is disjoint from another's.
 * Readers that check both at open (rl_reader_ops.mixed_at_open) need no
 * guard.
 *
 * Return: 0 or -RL_E_NOMEM.
 */
int rl_recordings_guard(struct rl_trace *t, struct rl_cursor **curs, size_t n, struct rl_err *err)
{
	struct rl_recguard_cursor **w = NULL;
	struct rl_recguard *g = NULL;
	size_t i;

	if (!n)
		return 0;
	g = calloc(1, sizeof(*g));
	w = calloc(n, sizeof(*w));
	if (!g || !w || rl_rec_srcs_init(&g->s, t) < 0)
		goto nomem;
	for (i = 0; i < n; i++) {
		w[i] = calloc(1, sizeof(**w));
		if (!w[i])
			goto nomem;
	}
	for (i = 0; i < n; i++) {
		w[i]->base.ops = &rl_recguard_ops;
		w[i]->base.rank = curs[i]->rank;
		w[i]->inner = curs[i];
		w[i]->g = g;
		curs[i] = &w[i]->base;
	}
	g->refs = (uint32_t)n;
	free(w);
	return 0;
nomem:
	for (i = 0; w && i < n; i++)
		free(w[i]);
	free(w);
	if (g)
		free(g->s.v);
	free(g);
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
}
