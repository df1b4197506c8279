/*
 * stats/dump.c - the canonical text form of a trace, one event a line:
 *   TIME_NS CPU TYPE NAME pid=PID job=JOB arg=ARG arg2=ARG2 [flags] @SRC:0xOFFSET
 * It is what the goldens diff, so its words and their order are fixed.
 */
#include "stats.h"

#include <string.h>

/* One word per RL_EVF_* bit, printed in bit order. */
static const char *const rl_evf_words[8] = {
	"forced",    /* RL_EVF_FORCED */
	"late",	     /* RL_EVF_LATE */
	"notime",    /* RL_EVF_NOTIME */
	"irq",	     /* RL_EVF_IRQ */
	"inherited", /* RL_EVF_INHERITED */
	"raw",	     /* RL_EVF_RAW */
	"blocked",   /* RL_EVF_BLOCKED */
	"derived",   /* RL_EVF_DERIVED */
};

_Static_assert(RL_EVF_FORCED == 0x01 && RL_EVF_LATE == 0x02 && RL_EVF_NOTIME == 0x04 &&
		       RL_EVF_IRQ == 0x08 && RL_EVF_INHERITED == 0x10 && RL_EVF_RAW == 0x20 &&
		       RL_EVF_BLOCKED == 0x40 && RL_EVF_DERIVED == 0x80,
	       "rl_evf_words follows the RL_EVF_* bits");

/**
 * rl_evf_word() - the dump's word for one event flag
 * @flag: one RL_EVF_* bit
 *
 * Return: a static word ("forced", ...), or NULL if @flag is not one flag bit.
 */
const char *rl_evf_word(unsigned flag)
{
	unsigned i;

	for (i = 0; i < 8; i++)
		if (flag == 1u << i)
			return rl_evf_words[i];
	return NULL;
}

/* One line; @undecided adds the --skew word "skew-undecided" before the source. */
static int rl_dump_line(FILE *f, const struct rl_trace *t, const struct rl_event *ev, int undecided)
{
	unsigned i;

	fprintf(f, "%lld ", (long long)ev->ts);
	if (ev->cpu == RL_NO_CPU)
		fputs("- ", f);
	else
		fprintf(f, "%u ", ev->cpu);
	fprintf(f, "%s %s", rl_ev_type_name(ev->type), rl_strtab_get(t->strs, ev->name));
	if (ev->task < t->ntasks)
		fprintf(f, " pid=%d", t->tasks[ev->task].pid);
	else
		fputs(" pid=-", f);
	fprintf(f, " job=%u arg=%lld arg2=%lld", ev->job, (long long)ev->arg, (long long)ev->arg2);
	for (i = 0; i < 8; i++)
		if (ev->flags & (1u << i)) {
			fputc(' ', f);
			fputs(rl_evf_words[i], f);
		}
	if (undecided)
		fputs(" skew-undecided", f);
	fprintf(f, " @%u:0x%llx\n", ev->src, (unsigned long long)ev->src_off);
	return 0;
}

/**
 * rl_dump_event() - write one event as a line of the canonical dump
 * @f:  output
 * @t:  the trace the event belongs to (names and pids)
 * @ev: the event
 *
 * Return: 0 (write errors are sticky in @f; check ferror() once).
 */
int rl_dump_event(FILE *f, const struct rl_trace *t, const struct rl_event *ev)
{
	return rl_dump_line(f, t, ev, 0);
}

static int rl_dump_sink_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_dump_sink *d = (struct rl_dump_sink *)s;

	(void)err;
	return rl_dump_line(d->f, d->t, ev, d->skew_undecided && *d->skew_undecided);
}

/**
 * rl_dump_sink_init() - a sink that dumps every event it sees
 * @d: the sink
 * @f: output (borrowed)
 * @t: the trace of the events (borrowed)
 */
void rl_dump_sink_init(struct rl_dump_sink *d, FILE *f, const struct rl_trace *t)
{
	memset(d, 0, sizeof(*d));
	d->sink.event = rl_dump_sink_event;
	d->f = f;
	d->t = t;
}
