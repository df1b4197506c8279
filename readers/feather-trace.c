/*
 * readers/feather-trace.c - LITMUS^RT Feather-Trace overhead files (16-byte records).
 *
 * Files come per CPU (..._cpu=N.bin holds CPU-local events, ..._msg=N.bin the
 * IPIs sent to CPU N) or, from old kernels, as one global file. A file has no
 * header: the byte order is detected from the sequence numbers (consecutive
 * in one reading, scrambled in the other), the layout is chosen by the user
 * (--ft-layout) and defaults to the current one. See feather-trace.h.
 *
 * As a model reader, each file is one cursor yielding RL_EV_OVERHEAD events
 * in file order (model.h documents the fields). The cycle counter is made
 * monotonic across the 48-bit wrap; msg files hold START records stamped by
 * other CPUs, so their events may come out of time order (the merge flags
 * them).
 */
#include "feather-trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	return rl_ft_file_setup(f, in->buf, in->len, in->path, o, err);
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

	if (c->idx >= c->f.nrec)
		return 0;
	off = c->idx * RL_FT_REC;
	rl_ft_decode(&c->f, c->idx++, &r);
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
