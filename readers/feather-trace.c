/*
 * readers/feather-trace.c - LITMUS^RT Feather-Trace overhead files (16-byte records).
 *
 * Files come per CPU (..._cpu=N.bin holds CPU-local events, ..._msg=N.bin the
 * IPIs sent to CPU N) or, from old kernels, as one global file. A file has no
 * header: the byte order is detected from the sequence numbers (consecutive
 * in one reading, scrambled in the other), the layout is chosen by the user
 * (--ft-layout) and defaults to the current one. See feather-trace.h for
 * the layouts.
 *
 * As a model reader, each file is one cursor yielding RL_EV_OVERHEAD events
 * in file order (model.h documents the fields). The cycle counter is made
 * monotonic across the 48-bit wrap; msg files hold START records stamped by
 * other CPUs, so their events may come out of time order (the merge flags
 * them).
 *
 * The extraction of overhead samples does not read events: it walks each
 * file's records in file order (stats/ft-pairs.c). rl_ft_set_open() below
 * opens and checks the files it is given.
 */
#include "feather-trace.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------ the format */

struct ft_name {
	unsigned id;
	const char *name;
};

/* The names feather-trace-tools knows (src/timestamp.c), in its lookup order. */
static const struct ft_name ft_names[] = {
	{100, "SCHED_START"},
	{101, "SCHED_END"},
	{102, "SCHED2_START"},
	{103, "SCHED2_END"},
	{110, "TICK_START"},
	{111, "TICK_END"},
	{112, "QUANTUM_BOUNDARY_START"},
	{113, "QUANTUM_BOUNDARY_END"},
	{106, "RELEASE_START"},
	{107, "RELEASE_END"},
	{108, "XCALL_START"},
	{109, "XCALL_END"},
	{114, "SCHED_TIMER_START"},
	{115, "SCHED_TIMER_END"},
	{120, "PLUGIN_SCHED_START"},
	{121, "PLUGIN_SCHED_END"},
	{130, "PLUGIN_TICK_START"},
	{131, "PLUGIN_TICK_END"},
	{104, "CXS_START"},
	{105, "CXS_END"},
	{190, "SEND_RESCHED_START"},
	{191, "SEND_RESCHED_END"},
	{192, "SEND_XCALL_START"},
	{193, "SEND_XCALL_END"},
	{208, "RELEASE_LATENCY"},
	{209, "TIMER_LATENCY"},
	{10, "SYSCALL_IN_START"},
	{11, "SYSCALL_IN_END"},
	{20, "SYSCALL_OUT_START"},
	{21, "SYSCALL_OUT_END"},
	{30, "LOCK_START"},
	{31, "LOCK_END"},
	{40, "UNLOCK_START"},
	{41, "UNLOCK_END"},
	{32, "READ_LOCK_START"},
	{33, "READ_LOCK_END"},
	{42, "READ_UNLOCK_START"},
	{43, "READ_UNLOCK_END"},
	{38, "LOCK_SUSPEND"},
	{39, "LOCK_RESUME"},
};

#define FT_NNAMES (sizeof(ft_names) / sizeof(ft_names[0]))

/**
 * rl_ft_event_name() - the LITMUS name of an event id
 * @id: event id
 *
 * Return: the name, or NULL for an id the LITMUS tools print as a number.
 */
const char *rl_ft_event_name(unsigned id)
{
	size_t i;

	for (i = 0; i < FT_NNAMES; i++)
		if (ft_names[i].id == id)
			return ft_names[i].name;
	return NULL;
}

static int ft_lookup(const char *s, unsigned *id)
{
	size_t i;

	for (i = 0; i < FT_NNAMES; i++)
		if (!strcmp(s, ft_names[i].name)) {
			*id = ft_names[i].id;
			return 0;
		}
	/* a number, read as scanf's %u reads it (leading part, wraps negatives) */
	return sscanf(s, "%u", id) == 1 ? 0 : -1;
}

/**
 * rl_ft_event_parse() - resolve an event name the way ft2csv does
 * @s:  exact name ("CXS_START"), number ("104") or short name ("CXS")
 * @id: output
 *
 * Return: 0, or -1 when the name is unknown.
 */
int rl_ft_event_parse(const char *s, unsigned *id)
{
	char buf[96];

	if (!ft_lookup(s, id))
		return 0;
	snprintf(buf, sizeof(buf), "%s_START", s);
	return ft_lookup(buf, id);
}

/**
 * rl_ft_name_cpu() - the cpu a file name says it holds
 * @path: file path; the last "cpu=N" or "msg=N" key of its base name counts
 * @kind: set to the enum rl_ft_kind
 *
 * Return: N, or -1 when the name has no such key.
 */
int rl_ft_name_cpu(const char *path, int *kind)
{
	const char *base = strrchr(path, '/'), *p;
	int cpu = -1;

	*kind = RL_FT_KIND_ANY;
	base = base ? base + 1 : path;
	for (p = base; *p; p++) {
		int k;
		const char *q;
		long v = 0;

		if (p != base && p[-1] != '_')
			continue;
		if (!strncmp(p, "cpu=", 4))
			k = RL_FT_KIND_CPU;
		else if (!strncmp(p, "msg=", 4))
			k = RL_FT_KIND_MSG;
		else
			continue;
		q = p + 4;
		if (*q < '0' || *q > '9')
			continue;
		while (*q >= '0' && *q <= '9' && v < 1000000)
			v = v * 10 + (*q++ - '0');
		if (*q && *q != '_' && *q != '.')
			continue;
		cpu = (int)v;
		*kind = k;
	}
	return cpu;
}

/**
 * rl_ft_encode() - write a record in a given layout and byte order
 * @p:      16 bytes out (the pad byte is zeroed)
 * @r:      the record
 * @layout: enum rl_ft_layout
 * @be:     big-endian
 */
void rl_ft_encode(uint8_t *p, const struct rl_ft_rec *r, int layout, int be)
{
	uint64_t w0;
	uint8_t b;
	int i;

	if (layout == RL_FT_CURRENT)
		w0 = be ? ((r->ts & RL_FT_TS_MASK) << 16) | r->pid
			: (r->ts & RL_FT_TS_MASK) | ((uint64_t)r->pid << 48);
	else
		w0 = r->ts;
	for (i = 0; i < 8; i++)
		p[be ? 7 - i : i] = (uint8_t)(w0 >> (8 * i));
	for (i = 0; i < 4; i++)
		p[8 + (be ? 3 - i : i)] = (uint8_t)(r->seq >> (8 * i));
	p[12] = r->cpu;
	p[13] = r->event;
	if (layout == RL_FT_2008)
		b = r->type;
	else if (be)
		b = (uint8_t)(((r->type & 3) << 6) | ((r->irq_flag & 1) << 5) |
			      (r->irq_count & 31));
	else
		b = (uint8_t)((r->type & 3) | ((r->irq_flag & 1) << 2) |
			      ((r->irq_count & 31) << 3));
	p[14] = b;
	p[15] = 0;
}

/* Does the flags byte read in this order look like a kernel wrote it? */
static int ft_flags_ok(uint8_t b, int be)
{
	unsigned type = be ? b >> 6 : b & 3, flag = be ? (b >> 5) & 1 : (b >> 2) & 1,
		 cnt = be ? b & 31 : b >> 3;

	return type != 3 && (flag || !cnt);
}

/**
 * rl_ft_file_setup() - look at a buffer as a Feather-Trace file
 * @f:    output
 * @buf:  the bytes (kept by reference)
 * @len:  their number
 * @path: file name, for the cpu=N / msg=N key (may be NULL)
 * @o:    layout and byte order (0 = current layout, detected order); may be NULL
 * @err:  error out
 *
 * The byte order is the reading in which more records continue the
 * previous record's sequence number (nearly all, in a real trace); ties are
 * broken by the flags byte, then by the smaller sequence numbers, then
 * little-endian wins.
 *
 * Return: 0, or a negative RL_E_* code with @err set.
 */
int rl_ft_file_setup(struct rl_ft_file *f, const uint8_t *buf, size_t len, const char *path,
		     const struct rl_ft_opts *o, struct rl_err *err)
{
	uint64_t n, i, flag_ok[2] = {0, 0};
	uint32_t cnt[256] = {0}, best = 0;

	memset(f, 0, sizeof(*f));
	f->buf = buf;
	f->nrec = len / RL_FT_REC;
	f->tail = len % RL_FT_REC;
	f->layout = o ? o->layout : RL_FT_CURRENT;
	if (f->layout < RL_FT_CURRENT || f->layout > RL_FT_2008)
		return rl_err_set(err, -RL_E_USAGE, path, RL_OFF_NONE, "unknown layout %d",
				  f->layout);
	f->ts_mask = f->layout == RL_FT_CURRENT ? RL_FT_TS_MASK : UINT64_MAX;
	f->cpu = rl_ft_name_cpu(path ? path : "", &f->kind);
	n = f->nrec < RL_FT_DETECT_RECS ? f->nrec : RL_FT_DETECT_RECS;
	for (i = 0; i < n; i++) {
		const uint8_t *p = f->buf + i * RL_FT_REC;

		cnt[p[12]]++;
		flag_ok[0] += f->layout == RL_FT_2008 || ft_flags_ok(p[14], 0);
		flag_ok[1] += f->layout == RL_FT_2008 || ft_flags_ok(p[14], 1);
		if (i) {
			int be;

			for (be = 0; be < 2; be++) {
				uint32_t d =
					rl_ft_ld32(p + 8, be) - rl_ft_ld32(p - RL_FT_REC + 8, be);

				/* msg files may be slightly out of seq order */
				f->order_votes[be] += d && (d <= 16 || d >= UINT32_MAX - 15);
			}
		}
	}
	if (f->cpu < 0 && n) {
		for (i = 0; i < 256; i++)
			if (cnt[i] > best) {
				best = cnt[i];
				f->cpu = (int)i;
			}
		/* a file holding all cpus (old single-buffer kernels) has no cpu */
		if (best * 10 < n * 9)
			f->cpu = -1;
	}
	if (o && o->order == RL_FT_ORDER_BE)
		f->be = 1;
	else if (o && o->order == RL_FT_ORDER_LE)
		f->be = 0;
	else if (f->order_votes[0] != f->order_votes[1])
		f->be = f->order_votes[1] > f->order_votes[0];
	else if (flag_ok[0] != flag_ok[1])
		f->be = flag_ok[1] > flag_ok[0];
	else if (n)
		f->be = rl_ft_ld32(f->buf + 8, 1) < rl_ft_ld32(f->buf + 8, 0);
	return 0;
}

/**
 * rl_ft_file_implausible() - does the file fail the sequence-number test?
 * @f: an initialised file
 *
 * Real traces number their records consecutively (holes are rare), so in
 * one of the two byte orders nearly every record continues the previous
 * one. Random bytes do not.
 *
 * Return: 1 if fewer than half of the first records (at least 2) do.
 */
int rl_ft_file_implausible(const struct rl_ft_file *f)
{
	uint64_t n = f->nrec < RL_FT_DETECT_RECS ? f->nrec : RL_FT_DETECT_RECS;
	uint64_t best =
		f->order_votes[0] > f->order_votes[1] ? f->order_votes[0] : f->order_votes[1];

	return n >= 2 && best * 2 < n - 1;
}

/* ------------------------------------------------------------ the files */

/**
 * rl_ft_file_init() - look at a loaded input as a Feather-Trace file
 * @f:   output
 * @in:  the input (buffer and path)
 * @o:   layout and byte order (0 = current layout, detected order); may be NULL
 * @err: error out
 *
 * Return: 0, or a negative RL_E_* code with @err set.
 */
int rl_ft_file_init(struct rl_ft_file *f, const struct rl_input *in, const struct rl_ft_opts *o,
		    struct rl_err *err)
{
	if (in->is_dir)
		return rl_err_set(err, -RL_E_FORMAT, in->path, RL_OFF_NONE,
				  "a directory is not a Feather-Trace file");
	int r = rl_ft_file_setup(f, in->buf, in->len, in->path, o, err);

	if (r >= 0)
		f->in = in;
	return r;
}

/* The unusual cases of rl_ft_clock_step(), out of the hot path. */
int rl_ft_clock_odd(struct rl_ft_clock *c, uint64_t ts, uint64_t mask, uint64_t off)
{
	uint64_t d = (ts - c->last) & mask;

	if (ts != mask && !c->have) {
		c->have = 1;
		c->last = ts;
		return 1;
	}
	if (ts != mask && d >= mask - RL_FT_JUMP) { /* a step backwards */
		if (!c->back++)
			c->first_back = off;
		c->last = ts;
		return 1;
	}
	/* the record before was implausible too, and this one agrees with it */
	if (ts != mask && c->pend_at == c->timed && ((ts - c->pend) & mask) <= RL_FT_JUMP) {
		c->last = ts; /* a new level, confirmed */
		return 1;
	}
	if (ts != mask) {
		c->pend = ts;
		c->pend_at = c->timed + 1;
	}
	if (!c->bad++)
		c->first_bad = off;
	return 0;
}

/* ---------------------------------------------------------------- cursor */

struct ft_cursor {
	struct rl_cursor base;
	struct rl_trace *t;
	struct rl_ft_file f;
	uint64_t idx;
	uint64_t epoch;	  /* multiple of 2^48 added to the timestamps */
	uint64_t last_ts; /* last cycle timestamp (unwrapped) */
	uint64_t last_raw;
	int have_last;
	int told_back; /* the backwards summary is given */
	struct rl_ft_clock clock;
	uint16_t src;
	uint32_t names[256];
};

static int ft_name_of(struct ft_cursor *c, unsigned id, uint32_t *out)
{
	char buf[32];
	const char *nm;

	if (!c->names[id]) {
		nm = rl_ft_event_name(id);
		if (!nm) {
			snprintf(buf, sizeof(buf), "EVENT_%u", id);
			nm = buf;
		}
		c->names[id] = rl_strtab_intern(c->t->strs, nm, strlen(nm));
		if (!c->names[id])
			return -RL_E_NOMEM;
	}
	*out = c->names[id];
	return 0;
}

static int ft_next(struct rl_cursor *base, struct rl_event *ev, struct rl_err *err)
{
	struct ft_cursor *c = (struct ft_cursor *)base;
	struct rl_ft_rec r;
	uint64_t off;

	for (;;) {
		int value;

		if (c->idx >= c->f.nrec) {
			if (rl_ft_clock_scrambled(&c->clock, c->f.kind) && !c->told_back++)
				rl_trace_warn(c->t, RL_W_GARBAGE, c->src, c->clock.first_back,
					      "timestamps run backwards at %llu of %llu records "
					      "(wrong byte order or --ft-layout?)",
					      (unsigned long long)c->clock.back,
					      (unsigned long long)c->clock.timed);
			return 0;
		}
		off = c->idx * RL_FT_REC;
		rl_ft_decode(&c->f, c->idx++, &r);
		value = r.event == RL_FT_RELEASE_LATENCY || r.event == RL_FT_TIMER_LATENCY;
		if (value ? r.ts != c->f.ts_mask
			  : rl_ft_clock_step(&c->clock, r.ts, c->f.ts_mask, off))
			break;
		rl_trace_warn(c->t, RL_W_GARBAGE, c->src, off,
			      "implausible %s 0x%llx (all ones%s): record skipped",
			      value ? "value" : "timestamp", (unsigned long long)r.ts,
			      value ? "" : ", or a jump of over 2^44 cycles");
	}
	memset(ev, 0, sizeof(*ev));
	ev->type = RL_EV_OVERHEAD;
	ev->src = c->src;
	ev->src_off = off;
	ev->cpu = r.cpu;
	ev->raw = r.ts;
	ev->arg = r.event;
	ev->arg2 = RL_OVH_ARG2(r.seq, r.irq_count, r.type, r.pid);
	ev->task = r.pid ? rl_trace_task(c->t, r.pid) : RL_NO_TASK;
	ev->task2 = RL_NO_TASK;
	if (r.irq_flag)
		ev->flags |= RL_EVF_IRQ;
	if (ft_name_of(c, r.event, &ev->name) < 0)
		return rl_err_set(err, -RL_E_NOMEM, c->t->srcs[c->src].path, off,
				  "cannot intern event name");
	if (!rl_ft_event_name(r.event))
		rl_trace_warn(c->t, RL_W_UNKNOWN_TYPE, c->src, off,
			      "event id %u has no name; carried as EVENT_%u", r.event, r.event);
	if (c->f.cpu >= 0 && r.cpu != c->f.cpu)
		rl_trace_warn(c->t, RL_W_CPU_MISMATCH, c->src, off,
			      "record for cpu %u in the file of cpu %d", r.cpu, c->f.cpu);
	if (r.event == RL_FT_RELEASE_LATENCY || r.event == RL_FT_TIMER_LATENCY) {
		/* a value in ns, not a time: keep the record where it is */
		ev->ts = (int64_t)c->last_ts;
	} else {
		if (c->f.layout == RL_FT_CURRENT && c->have_last && r.ts < c->last_raw &&
		    c->last_raw - r.ts > (RL_FT_TS_MASK >> 1))
			c->epoch += RL_FT_TS_MASK + 1; /* the 48-bit counter wrapped */
		c->last_raw = r.ts;
		c->have_last = 1;
		c->last_ts = r.ts + c->epoch;
		ev->ts = (int64_t)(c->last_ts & INT64_MAX);
	}
	c->t->srcs[c->src].nrec++;
	return 1;
}

static void ft_close(struct rl_cursor *base)
{
	free(base);
}

static const struct rl_cursor_ops ft_cursor_ops = {ft_next, ft_close};

static int ft_probe(const struct rl_input *in)
{
	uint64_t n, i, ok = 0, cpu_same = 0;
	int kind, be;

	if (in->is_dir || in->len < 2 * RL_FT_REC)
		return 0;
	n = in->len / RL_FT_REC;
	if (n > 64)
		n = 64;
	for (be = 0; be < 2; be++) {
		uint64_t k = 0;

		for (i = 1; i < n; i++) {
			const uint8_t *p = in->buf + i * RL_FT_REC;
			uint32_t d = rl_ft_ld32(p + 8, be) - rl_ft_ld32(p - RL_FT_REC + 8, be);

			k += d && (d <= 16 || d >= UINT32_MAX - 15);
		}
		if (k > ok)
			ok = k;
	}
	for (i = 1; i < n; i++)
		cpu_same += in->buf[i * RL_FT_REC + 12] == in->buf[12];
	if (ok * 10 < (n - 1) * 8)
		return 0;
	if (rl_ft_name_cpu(in->path ? in->path : "", &kind) >= 0 || cpu_same == n - 1)
		return in->len % RL_FT_REC ? 40 : 70;
	return 30;
}

static int ft_open(struct rl_input *ins, size_t n, struct rl_trace *t,
		   const struct rl_read_opts *opts, struct rl_cursor ***out, size_t *nout,
		   struct rl_err *err)
{
	struct rl_ft_opts fo = {opts ? opts->ft_layout : 0, opts ? opts->ft_order : 0};
	struct rl_cursor **curs;
	size_t i, ncurs = 0;
	int ret;

	curs = calloc(n ? n : 1, sizeof(*curs));
	if (!curs)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "cannot allocate cursors");
	for (i = 0; i < n; i++) {
		struct ft_cursor *c = calloc(1, sizeof(*c));

		if (!c) {
			ret = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
			goto fail;
		}
		curs[ncurs++] = &c->base;
		c->base.ops = &ft_cursor_ops;
		c->t = t;
		c->src = ins[i].src;
		ret = rl_ft_file_init(&c->f, &ins[i], &fo, err);
		if (ret < 0)
			goto fail;
		if (rl_ft_file_implausible(&c->f)) {
			ret = rl_err_set(
				err, -RL_E_FORMAT, ins[i].path, 0,
				"not a Feather-Trace file: only %llu of the first %llu "
				"records continue the sequence numbering",
				(unsigned long long)(c->f.order_votes[0] > c->f.order_votes[1]
							     ? c->f.order_votes[0]
							     : c->f.order_votes[1]),
				(unsigned long long)(c->f.nrec < RL_FT_DETECT_RECS
							     ? c->f.nrec
							     : RL_FT_DETECT_RECS));
			goto fail;
		}
		if (c->f.cpu >= 0) {
			t->srcs[c->src].cpu = c->f.cpu;
			rl_trace_note_cpu(t, (uint32_t)c->f.cpu);
		}
		if (c->f.tail)
			rl_trace_warn(t, RL_W_TRUNCATED, c->src, c->f.nrec * RL_FT_REC,
				      "trailing %llu bytes do not form a whole %d-byte record "
				      "(truncated file?)",
				      (unsigned long long)c->f.tail, RL_FT_REC);
		if (fo.order && c->f.nrec > 16 &&
		    c->f.order_votes[!c->f.be] > 4 * c->f.order_votes[c->f.be] + 4)
			rl_trace_warn(t, RL_W_GARBAGE, c->src, 0,
				      "sequence numbers run in %s byte order, but %s was forced",
				      c->f.be ? "little-endian" : "big-endian",
				      c->f.be ? "big-endian" : "little-endian");
	}
	t->format = fo.layout == RL_FT_2008    ? "feather-trace-2008"
		    : fo.layout == RL_FT_2012A ? "feather-trace-2012a"
					       : "feather-trace";
	*out = curs;
	*nout = ncurs;
	return 0;
fail:
	for (i = 0; i < ncurs; i++)
		rl_cursor_close(curs[i]);
	free(curs);
	return ret;
}

const struct rl_reader_ops rl_reader_feathertrace = {
	.name = "feather-trace",
	.family = RL_FAM_FEATHER,
	.desc = "LITMUS^RT Feather-Trace overheads (16-byte records, cpu/msg files, LE or BE)",
	.probe = ft_probe,
	.open = ft_open,
};

/* ------------------------------------------------------------ file sets */

/**
 * rl_ft_pair_start() - the START id of the pair an event id belongs to
 * @id: event id
 *
 * Ids below 200 pair up as START (even) and END (START + 1); LOCK_SUSPEND
 * and LOCK_RESUME split a pid-paired interval and are not pairs of their
 * own; ids from 200 are single records.
 *
 * Return: @id - 1 for an END, else @id.
 */
unsigned rl_ft_pair_start(unsigned id)
{
	if (id < RL_FT_SINGLE_RANGE && (id & 1) && id != RL_FT_LOCK_RESUME)
		return id - 1;
	return id;
}

static int ft_set_path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ft_set_add_path(struct rl_ft_set *s, const char *path, int from_dir)
{
	if (rl_grow((void **)&s->paths, &s->cap, s->nargs + 1, sizeof(*s->paths)) ||
	    rl_grow((void **)&s->from_dir, &s->cap2, s->nargs + 1, sizeof(*s->from_dir)))
		return -RL_E_NOMEM;
	s->from_dir[s->nargs] = (uint8_t)from_dir;
	s->paths[s->nargs] = strdup(path);
	return s->paths[s->nargs++] ? 0 : -RL_E_NOMEM;
}

static int ft_set_is_bin(const char *name)
{
	size_t l = strlen(name);

	return (l > 4 && !strcmp(name + l - 4, ".bin")) ||
	       (l > 7 && !strcmp(name + l - 7, ".bin.gz"));
}

/* What a directory argument left out, said once per directory. */
struct ft_dir_note {
	const char *dir;
	uint32_t first, end;   /* its paths in the set */
	uint32_t nsub, nother; /* subfolders, files not named *.bin */
	uint32_t nfmt;	       /* *.bin of another format */
	char ex_sub[64], ex_other[64], ex_fmt[160];
};

static void ft_note_ex(char *buf, size_t len, uint32_t n, const char *name)
{
	if (!n && snprintf(buf, len, "%s", name) >= (int)len)
		memcpy(buf + len - 4, "...", 4); /* a long name, cut: said */
}

/* Notes, parameters, tool outputs beside a trace: left out without a word. */
static int ft_is_doc(const char *name)
{
	static const char *const ext[] = {".txt", ".py", ".md", ".log", ".csv", ".json", ".db"};
	size_t n = strlen(name), i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (n > strlen(ext[i]) && !strcmp(name + n - strlen(ext[i]), ext[i]))
			return 1;
	return 0;
}

/* A subfolder with *.bin files of its own: not read (no recursion), so said. */
static int ft_dir_has_bin(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int found = 0;

	while (d && !found && (de = readdir(d)))
		found = ft_set_is_bin(de->d_name);
	if (d)
		closedir(d);
	return found;
}

/*
 * The arguments as paths: a directory becomes its *.bin / *.bin.gz files,
 * sorted; what else it holds that may be a trace is counted in @notes (one
 * per argument): subfolders with *.bin files, files of other names.
 */
static int ft_set_expand(struct rl_ft_set *s, char *const *args, int nargs,
			 struct ft_dir_note *notes, struct rl_err *err)
{
	int i;

	for (i = 0; i < nargs; i++) {
		uint32_t first = s->nargs;
		struct ft_dir_note *dn = &notes[i];
		struct dirent *de;
		struct stat st;
		DIR *d;

		if (stat(args[i], &st) || !S_ISDIR(st.st_mode)) {
			if (ft_set_add_path(s, args[i], 0) < 0)
				goto nomem;
			continue;
		}
		/* a CTF trace in a subfolder would be left out: as every command, refuse */
		if (rl_dir_check_mixed(args[i], err) < 0)
			return err->code;
		d = opendir(args[i]);
		if (!d)
			return rl_err_set(err, -RL_E_IO, args[i], RL_OFF_NONE,
					  "cannot open directory: %s", strerror(errno));
		dn->dir = args[i];
		while ((de = readdir(d))) {
			char *full;

			if (de->d_name[0] == '.')
				continue;
			if (asprintf(&full, "%s/%s", args[i], de->d_name) < 0) {
				closedir(d);
				goto nomem;
			}
			if (!ft_set_is_bin(de->d_name)) {
				if (!stat(full, &st) && S_ISDIR(st.st_mode)) {
					if (ft_dir_has_bin(full))
						ft_note_ex(dn->ex_sub, sizeof(dn->ex_sub),
							   dn->nsub++, de->d_name);
				} else if (!ft_is_doc(de->d_name)) {
					ft_note_ex(dn->ex_other, sizeof(dn->ex_other), dn->nother++,
						   de->d_name);
				}
				free(full);
				continue;
			}
			if (ft_set_add_path(s, full, 1) < 0) {
				free(full);
				closedir(d);
				goto nomem;
			}
			free(full);
		}
		closedir(d);
		if (s->nargs > first)
			qsort(s->paths + first, s->nargs - first, sizeof(*s->paths),
			      ft_set_path_cmp);
		dn->first = first;
		dn->end = s->nargs;
	}
	return 0;
nomem:
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
}

/* Counted warnings: what each directory argument left out, and why. */
static void ft_set_notes(const struct ft_dir_note *notes, int nargs, struct rl_trace *t)
{
	int i;

	for (i = 0; i < nargs; i++) {
		const struct ft_dir_note *dn = &notes[i];

		if (!dn->dir)
			continue;
		if (dn->nfmt)
			rl_trace_warn(t, RL_W_OTHER, UINT16_MAX, RL_OFF_NONE,
				      "%s: %u *.bin left out as %s%s)", dn->dir, dn->nfmt,
				      dn->ex_fmt, dn->nfmt > 1 ? ", ..." : "");
		if (dn->nsub)
			rl_trace_warn(t, RL_W_OTHER, UINT16_MAX, RL_OFF_NONE,
				      "%s: %u subfolder%s left out (%s%s; give one as an argument)",
				      dn->dir, dn->nsub, dn->nsub > 1 ? "s" : "", dn->ex_sub,
				      dn->nsub > 1 ? ", ..." : "");
		if (dn->nother)
			rl_trace_warn(t, RL_W_OTHER, UINT16_MAX, RL_OFF_NONE,
				      "%s: %u file%s not named *.bin left out (%s%s)", dn->dir,
				      dn->nother, dn->nother > 1 ? "s" : "", dn->ex_other,
				      dn->nother > 1 ? ", ..." : "");
	}
}

/*
 * Open path @i of the set as file s->n. Return: 1 added, 0 left out (found
 * in a directory, but not Feather-Trace), or a negative RL_E_* code.
 */
static int ft_set_open_one(struct rl_ft_set *s, uint32_t i, const struct rl_ft_set_opts *o,
			   struct ft_dir_note *dn, struct rl_trace *t, struct rl_err *err)
{
	const char *base = strrchr(s->paths[i], '/') ? strrchr(s->paths[i], '/') + 1 : s->paths[i];
	struct rl_ft_opts fo = {o->ro ? o->ro->ft_layout : 0, o->ro ? o->ro->ft_order : 0};
	struct rl_input *in = &s->ins[s->n];
	struct rl_ft_file *f = &s->fs[s->n];
	const char *path = s->paths[i];
	int src;

	if (rl_input_open(in, path, o->ro, err) < 0)
		return err->code;
	if (in->len) {
		const struct rl_reader_ops *rd = rl_reader_detect(in);

		if (rd && rd != &rl_reader_feathertrace) {
			if (s->from_dir[i]) { /* e.g. schedule_*.bin beside the overheads */
				/* the LITMUS^RT layout: sched_trace files beside the overheads */
				if (dn && strcmp(rd->name, "sched_trace") && !dn->nfmt++)
					snprintf(dn->ex_fmt, sizeof(dn->ex_fmt), "%s (%s", rd->name,
						 base);
				rl_input_close(in);
				return 0;
			}
			rl_err_set(err, -RL_E_FORMAT, path, RL_OFF_NONE,
				   "looks like %s, not Feather-Trace (--input-format "
				   "feather-trace to insist)",
				   rd->name);
			if (!o->force) {
				rl_input_close(in);
				return err->code;
			}
		}
	}
	s->n++; /* from here on, rl_ft_set_close() closes it */
	src = rl_trace_add_source(t, path, "feather-trace", in->len);
	if (src < 0)
		return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
	if (rl_ft_file_init(f, in, &fo, err) < 0)
		return err->code;
	if (!f->nrec && !f->tail && !s->from_dir[i]) /* empty msg files are normal */
		rl_trace_warn(t, RL_W_OTHER, (uint16_t)src, RL_OFF_NONE, "empty file: no records");
	if (rl_ft_file_implausible(f)) {
		if (s->from_dir[i]) {
			/*
			 * Named *.bin in a Feather-Trace folder, probed as no other
			 * format, yet not numbered: damaged or byte-swapped, and
			 * its cpu is missing from the result (damage, exit 1).
			 */
			rl_trace_warn(t, RL_W_GARBAGE, (uint16_t)src, 0,
				      "its records' sequence numbers do not run consecutively "
				      "in either byte order (damaged, or not a Feather-Trace "
				      "file): left out");
			rl_input_close(in);
			s->n--;
			return 0;
		}
		return rl_err_set(err, -RL_E_FORMAT, path, 0,
				  "not a Feather-Trace file: its sequence numbers do not run "
				  "consecutively in either byte order");
	}
	if (f->tail)
		rl_trace_warn(t, RL_W_TRUNCATED, (uint16_t)src, f->nrec * RL_FT_REC,
			      "trailing %llu bytes do not form a whole %d-byte record "
			      "(truncated file?)",
			      (unsigned long long)f->tail, RL_FT_REC);
	if (fo.order && f->nrec > 16 && f->order_votes[!f->be] > 4 * f->order_votes[f->be] + 4)
		rl_trace_warn(t, RL_W_GARBAGE, (uint16_t)src, 0,
			      "sequence numbers run in %s byte order, but --ft-endian %s "
			      "was given",
			      f->be ? "little-endian" : "big-endian", f->be ? "be" : "le");
	if (f->cpu >= 0)
		t->srcs[src].cpu = f->cpu;
	t->srcs[src].nrec = (uint32_t)(f->nrec > UINT32_MAX ? UINT32_MAX : f->nrec);
	s->srcs[s->n - 1] = (uint16_t)src;
	return 1;
}

/**
 * rl_ft_set_open() - open and check the Feather-Trace files of one extraction
 * @s:     output (rl_ft_set_close() it whatever this returns)
 * @args:  files and directories, in order
 * @nargs: their number
 * @o:     input options and --input-format feather-trace
 * @t:     trace: each file becomes a source; counted warnings
 * @err:   error out
 *
 * Return: 0, -RL_E_USAGE when no file was given (no argument, or
 * directories without *.bin files), or another negative RL_E_* code.
 */
int rl_ft_set_open(struct rl_ft_set *s, char *const *args, int nargs,
		   const struct rl_ft_set_opts *o, struct rl_trace *t, struct rl_err *err)
{
	struct ft_dir_note *notes;
	uint32_t i;
	int r, k = 0;

	memset(s, 0, sizeof(*s));
	notes = calloc(nargs > 0 ? (size_t)nargs : 1, sizeof(*notes));
	if (!notes)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	r = ft_set_expand(s, args, nargs, notes, err);
	if (r < 0)
		goto out;
	if (!s->nargs) {
		r = rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
			       "no Feather-Trace files given (a directory must hold *.bin "
			       "files)");
		goto out;
	}
	s->ins = calloc(s->nargs, sizeof(*s->ins));
	s->fs = calloc(s->nargs, sizeof(*s->fs));
	s->srcs = calloc(s->nargs, sizeof(*s->srcs));
	if (!s->ins || !s->fs || !s->srcs) {
		r = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		goto out;
	}
	for (i = 0; i < s->nargs; i++) {
		struct ft_dir_note *dn = NULL;

		if (s->from_dir[i]) { /* paths of one directory come together, in order */
			while (k < nargs &&
			       !(notes[k].dir && i >= notes[k].first && i < notes[k].end))
				k++;
			dn = k < nargs ? &notes[k] : NULL;
		}
		r = ft_set_open_one(s, i, o, dn, t, err);
		if (r < 0)
			goto out;
	}
	ft_set_notes(notes, nargs, t);
	r = 0;
out:
	free(notes);
	return r;
}

/**
 * rl_ft_set_close() - close the files of a set and free it
 * @s: the set (closing twice is a no-op)
 */
void rl_ft_set_close(struct rl_ft_set *s)
{
	uint32_t i;

	for (i = 0; s->ins && i < s->n; i++)
		rl_input_close(&s->ins[i]);
	for (i = 0; i < s->nargs; i++)
		free(s->paths[i]);
	free(s->paths);
	free(s->from_dir);
	free(s->ins);
	free(s->fs);
	free(s->srcs);
	memset(s, 0, sizeof(*s));
}
