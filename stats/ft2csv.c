/*
 * stats/ft2csv.c - exact emulation of feather-trace-tools' ft2csv.
 *
 * ft2csv works on one file, in file order, and its results depend on quirks
 * that an analysis should not have (litmus.md 2 and 9): STARTs before the
 * first END are skipped, a pair must not cross a sequence-number hole, END
 * must be strictly later than START in 48-bit arithmetic, an interrupted
 * interleaved record drops a sample without counting it, and in PID mode
 * -s bounds the number of scanned records. This module reproduces all of
 * that, counter for counter, for byte-identical output. rtlens' own
 * analysis (stats/ft-pairs.c) keeps the good parts and counts every drop.
 */
#include "stats.h"
#include "../readers/feather-trace.h"

#include <string.h>

struct f2c {
	const struct rl_ft_file *f;
	const struct rl_ft2csv_opts *o;
	struct rl_ft2csv_counts *c;
	FILE *out;
};

static inline void f2c_rec(const struct f2c *s, uint64_t i, struct rl_ft_rec *r)
{
	/* the usual case (current layout, little-endian) without run-time branches */
	if (__builtin_expect(s->f->layout == RL_FT_CURRENT && !s->f->be, 1))
		rl_ft_decode_as(s->f->buf + i * RL_FT_REC, RL_FT_CURRENT, 0, r);
	else
		rl_ft_decode(s->f, i, r);
}

/* Next record of @cpu after @first without crossing a hole; -1 if none. */
static int64_t f2c_next(const struct f2c *s, uint64_t first, unsigned cpu)
{
	struct rl_ft_rec r;
	uint32_t last;
	uint64_t i;

	f2c_rec(s, first, &r);
	last = r.seq;
	for (i = first + 1; i < s->f->nrec; i++) {
		f2c_rec(s, i, &r);
		if ((uint32_t)(last + 1) != r.seq)
			return -1;
		last = r.seq;
		if (r.cpu == cpu)
			return (int64_t)i;
	}
	return -1;
}

static int64_t f2c_next_id(struct f2c *s, uint64_t start, unsigned cpu, uint64_t id,
			   uint64_t stop_id, int *irq)
{
	struct rl_ft_rec r;
	int64_t pos = (int64_t)start;
	uint32_t restarts = 0;

	while ((pos = f2c_next(s, (uint64_t)pos, cpu)) >= 0) {
		f2c_rec(s, (uint64_t)pos, &r);
		if (r.event == id)
			break;
		if (r.event == stop_id)
			return -1;
		restarts++;
		if (!s->o->want_interleaved)
			return -1;
		if (r.irq_flag && !s->o->want_interrupted) {
			*irq = 1;
			return -1;
		}
	}
	if (pos < 0)
		return -1;
	s->c->interleaved += restarts;
	if (r.irq_flag) {
		s->c->interrupted++;
		if (!s->o->want_interrupted) {
			*irq = 1;
			return -1;
		}
	}
	return pos;
}

static int64_t f2c_next_pid(struct f2c *s, uint64_t first, uint64_t id1, uint64_t id2,
			    int irq_significant, int *irq)
{
	struct rl_ft_rec f, r;
	uint32_t last;
	uint64_t i;
	int64_t scanned = 0;

	f2c_rec(s, first, &f);
	last = f.seq;
	for (i = first + 1; i < s->f->nrec; i++) {
		scanned++;
		f2c_rec(s, i, &r);
		if ((uint32_t)(last + 1) != r.seq)
			return -1;
		last = r.seq;
		if (irq_significant && r.cpu == f.cpu && r.irq_flag) {
			s->c->interrupted++;
			if (!s->o->want_interrupted) {
				*irq = 1;
				return -1;
			}
		}
		if (r.pid == f.pid) {
			if (r.event == id1 || r.event == id2)
				return (int64_t)i;
			if (scanned > s->o->max_skipped)
				return -1;
		}
	}
	return -1;
}

static uint64_t f2c_ts(const struct f2c *s, int64_t i)
{
	struct rl_ft_rec r;

	f2c_rec(s, (uint64_t)i, &r);
	return r.ts;
}

static int64_t f2c_skip_suspension(struct f2c *s, int64_t pos, uint64_t *last_time)
{
	pos = f2c_next_pid(s, (uint64_t)pos, RL_FT_LOCK_RESUME, RL_FT_SCHED_START, 0, NULL);
	if (pos < 0 || f2c_ts(s, pos) < *last_time)
		return -1;
	*last_time = f2c_ts(s, pos);
	if (s->f->buf[(uint64_t)pos * RL_FT_REC + 13] == RL_FT_SCHED_START) {
		pos = f2c_next_pid(s, (uint64_t)pos, RL_FT_SCHED_END, 0, 0, NULL);
		if (pos < 0 || f2c_ts(s, pos) < *last_time)
			return -1;
		pos = f2c_next_pid(s, (uint64_t)pos, RL_FT_LOCK_RESUME, 0, 0, NULL);
	}
	return pos;
}

static int64_t f2c_exec_time(struct f2c *s, uint64_t start, uint64_t stop_id, uint64_t *sum,
			     int *irq)
{
	int64_t pos = (int64_t)start;
	uint64_t exec_start, last_time = f2c_ts(s, pos);

	*sum = 0;
	for (;;) {
		exec_start = f2c_ts(s, pos);
		pos = f2c_next_pid(s, (uint64_t)pos, RL_FT_LOCK_SUSPEND, stop_id, 1, irq);
		if (pos < 0 || f2c_ts(s, pos) < last_time)
			return -1;
		*sum += f2c_ts(s, pos) - exec_start;
		if (s->f->buf[(uint64_t)pos * RL_FT_REC + 13] == stop_id)
			return pos;
		last_time = f2c_ts(s, pos);
		pos = f2c_skip_suspension(s, pos, &last_time);
		if (pos < 0 || f2c_ts(s, pos) < last_time)
			return -1;
		last_time = f2c_ts(s, pos);
	}
}

static void f2c_emit(struct f2c *s, uint64_t a, uint64_t b, uint64_t v, int single)
{
	if (s->o->binary) {
		float x = (float)v;

		fwrite(&x, sizeof(x), 1, s->out);
	} else if (single) {
		fprintf(s->out, "0, 0, %llu\n", (unsigned long long)v);
	} else {
		fprintf(s->out, "%llu, %llu, %llu\n", (unsigned long long)a, (unsigned long long)b,
			(unsigned long long)v);
	}
}

static void f2c_by_pid(struct f2c *s, uint64_t first)
{
	struct rl_ft_rec f;
	uint64_t exec = 0;
	int64_t second;
	int irq = 0;

	f2c_rec(s, first, &f);
	if (f.event >= RL_FT_SUSPENSION_RANGE && s->o->max_skipped == 0) {
		second = f2c_exec_time(s, first, (uint64_t)f.event + 1, &exec, &irq);
	} else {
		second = f2c_next_pid(s, first, (uint64_t)f.event + 1, 0, 1, &irq);
		if (second >= 0 && f2c_ts(s, second) > f.ts)
			exec = f2c_ts(s, second) - f.ts;
		else
			second = -1;
	}
	if (second >= 0) {
		f2c_emit(s, f.ts, f2c_ts(s, second), exec, 0);
		s->c->complete++;
	} else if (!irq) {
		s->c->incomplete++;
	}
}

static void f2c_by_eid(struct f2c *s, uint64_t first)
{
	struct rl_ft_rec f, e;
	int64_t second;
	int irq = 0;

	f2c_rec(s, first, &f);
	second = f2c_next_id(s, first, f.cpu, (uint64_t)f.event + 1, f.event, &irq);
	if (second >= 0)
		f2c_rec(s, (uint64_t)second, &e);
	if (second >= 0 && e.ts > f.ts) {
		if (f.type != RL_FT_RT && e.type != RL_FT_RT && !s->o->want_best_effort) {
			s->c->non_rt++;
		} else {
			f2c_emit(s, f.ts, e.ts, e.ts - f.ts, 0);
			s->c->complete++;
		}
	} else if (!irq) {
		s->c->incomplete++;
	}
}

static int f2c_cpu_avoided(const struct rl_ft2csv_opts *o, unsigned cpu)
{
	return (int)cpu == o->avoid_cpu || (o->only_cpu != -1 && (int)cpu != o->only_cpu);
}

/**
 * rl_ft2csv_run() - ft2csv's extraction of one event from one file
 * @f:   the file
 * @id:  event id (ids >= 200 are single records)
 * @o:   ft2csv's options
 * @out: where the CSV lines or float32 values go
 * @c:   counters (zeroed here), as ft2csv prints them on stderr
 *
 * Return: 0, or -RL_E_IO when writing @out failed.
 */
int rl_ft2csv_run(const struct rl_ft_file *f, uint64_t id, const struct rl_ft2csv_opts *o,
		  FILE *out, struct rl_ft2csv_counts *c)
{
	struct f2c s = {f, o, c, out};
	struct rl_ft_rec r;
	int by_pid = o->find_by_pid;
	uint64_t i = 0;

	memset(c, 0, sizeof(*c));
	c->total = (uint32_t)f->nrec;
	if (by_pid < 0)
		by_pid = id <= RL_FT_PID_RANGE;
	if (id >= RL_FT_SINGLE_RANGE) {
		for (i = 0; i < f->nrec; i++) {
			if (f->buf[i * RL_FT_REC + 13] != id)
				continue;
			rl_ft_decode(f, i, &r);
			if (f2c_cpu_avoided(o, r.cpu)) {
				c->avoided++;
			} else if (r.type == RL_FT_RT) {
				f2c_emit(&s, 0, 0, r.ts, 1);
				c->complete++;
			} else {
				c->non_rt++;
			}
		}
	} else {
		while (i < f->nrec && f->buf[i * RL_FT_REC + 13] != id + 1) {
			c->skipped++;
			i++;
		}
		for (; i < f->nrec; i++) {
			if (f->buf[i * RL_FT_REC + 13] != id)
				continue;
			if (f2c_cpu_avoided(o, f->buf[i * RL_FT_REC + 12]))
				c->avoided++;
			else if (by_pid)
				f2c_by_pid(&s, i);
			else
				f2c_by_eid(&s, i);
		}
	}
	return ferror(out) ? -RL_E_IO : 0;
}

/**
 * rl_ft2csv_list() - ft2csv -l: the events present, in order of first appearance
 * @f:   the file
 * @out: one name (or number) per line
 *
 * Return: 0, or -RL_E_IO.
 */
int rl_ft2csv_list(const struct rl_ft_file *f, FILE *out)
{
	uint8_t seen[256] = {0};
	uint64_t i;

	for (i = 0; i < f->nrec; i++) {
		unsigned ev = f->buf[i * RL_FT_REC + 13];
		const char *nm;

		if (seen[ev])
			continue;
		seen[ev] = 1;
		nm = rl_ft_event_name(ev);
		if (nm)
			fprintf(out, "%s\n", nm);
		else
			fprintf(out, "%u\n", ev);
	}
	return ferror(out) ? -RL_E_IO : 0;
}

/**
 * rl_ft2csv_opts_init() - ft2csv's default options
 * @o: output
 */
void rl_ft2csv_opts_init(struct rl_ft2csv_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->want_interleaved = 1;
	o->find_by_pid = -1;
	o->avoid_cpu = -1;
	o->only_cpu = -1;
}

/**
 * rl_ft2csv_write_counts() - ft2csv's closing report
 * @f:         stream (ft2csv uses stderr)
 * @c:         the counters
 * @event_arg: the event argument as the user typed it
 */
void rl_ft2csv_write_counts(FILE *f, const struct rl_ft2csv_counts *c, const char *event_arg)
{
	if (c->total == c->skipped) {
		fprintf(f, "Event %s not present.\n", event_arg);
		return;
	}
	fprintf(f,
		"Total       : %10d\nSkipped     : %10d\nAvoided     : %10d\n"
		"Complete    : %10d\nIncomplete  : %10d\nNon RT      : %10d\n"
		"Interleaved : %10d\nInterrupted : %10d\n",
		(int)c->total, (int)c->skipped, (int)c->avoided, (int)c->complete,
		(int)c->incomplete, (int)c->non_rt, (int)c->interleaved, (int)c->interrupted);
}

static const char *f2c_type_name(unsigned t)
{
	return t == RL_FT_RT ? "RT" : t == RL_FT_BE ? "BE" : "UNKNOWN";
}

/**
 * rl_ftdump_write() - ftdump's listing of a file (feather-trace-tools' ftdump)
 * @f:   the file
 * @out: where the text goes
 *
 * The header with the record geometry, then one line per record in file
 * order; a line "==== non-consecutive sequence number ====" precedes a
 * record that does not continue the previous sequence number (unless that
 * one was 0, as ftdump does).
 *
 * Return: 0, or -RL_E_IO.
 */
int rl_ftdump_write(const struct rl_ft_file *f, FILE *out)
{
	uint32_t last = 0;
	uint64_t i;

	fprintf(out,
		"struct timestamp:\n\t size              = %3u\n\t offset(seq_no)    = %3u\n"
		"\t offset(cpu)       = %3u\n\t offset(event)     = %3u\n",
		16u, 8u, 12u, 13u);
	for (i = 0; i < f->nrec; i++) {
		struct rl_ft_rec r;
		const char *nm;

		rl_ft_decode(f, i, &r);
		nm = rl_ft_event_name(r.event);
		if (last && (uint32_t)(last + 1) != r.seq)
			fputs("==== non-consecutive sequence number ====\n", out);
		last = r.seq;
		if (nm)
			fprintf(out,
				"%-20s seq:%u  pid:%u  timestamp:%llu  cpu:%u  type:%-8s irq:%u "
				"irqc:%02u \n",
				nm, r.seq, r.pid, (unsigned long long)r.ts, r.cpu,
				f2c_type_name(r.type), r.irq_flag, r.irq_count);
		else
			fprintf(out,
				"%16s:%3u seq:%u pid:%u  timestamp:%llu  cpu:%u  type:%-8s irq:%u "
				"irqc:%02u\n",
				"event", r.event, r.seq, r.pid, (unsigned long long)r.ts, r.cpu,
				f2c_type_name(r.type), r.irq_flag, r.irq_count);
	}
	return ferror(out) ? -RL_E_IO : 0;
}
