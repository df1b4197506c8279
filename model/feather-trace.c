/* model/feather-trace.c - Feather-Trace record format: names, encoding, byte-order detection. */
#include "feather-trace.h"

#include <stdio.h>
#include <string.h>

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
