/* cli/cmd-dump.c - `rtlens dump`: the canonical text form of a trace, one event a line. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>

static const char dump_help[] =
	"usage: rtlens dump [OPTIONS] FILE...\n\n"
	"Print every event in merged time order, one per line:\n"
	"  TIME_NS CPU TYPE NAME pid=PID job=JOB arg=ARG arg2=ARG2 [flags] @SRC:0xOFFSET\n"
	"TYPE is rtlens's event type, NAME the source's own record name, SRC the index\n"
	"of the input file (in command-line order after empty files are dropped).\n\n"
	"Options:\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
	"  -h, --help            this help\n" RL_SELECT_HELP
	"  An event belongs to its subject task (pid= column); events of no task (pid=-)\n"
	"  and task names and parameters (no time) fail --pid/--comm and --from/--to.\n"
	"  A bare --from/--to number is in ns.\n" RL_INPUT_HELP;

struct dump_sink {
	struct rl_sink sink;
	FILE *f;
	const struct rl_trace *t;
};

static int dump_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct dump_sink *d = (struct dump_sink *)s;
	FILE *f = d->f;

	(void)err;
	fprintf(f, "%lld ", (long long)ev->ts);
	if (ev->cpu == RL_NO_CPU)
		fputs("- ", f);
	else
		fprintf(f, "%u ", ev->cpu);
	fprintf(f, "%s %s", rl_ev_type_name(ev->type), rl_strtab_get(d->t->strs, ev->name));
	if (ev->task != RL_NO_TASK)
		fprintf(f, " pid=%d", d->t->tasks[ev->task].pid);
	else
		fputs(" pid=-", f);
	fprintf(f, " job=%u arg=%lld arg2=%lld", ev->job, (long long)ev->arg, (long long)ev->arg2);
	if (ev->flags & RL_EVF_FORCED)
		fputs(" forced", f);
	if (ev->flags & RL_EVF_LATE)
		fputs(" late", f);
	if (ev->flags & RL_EVF_NOTIME)
		fputs(" notime", f);
	if (ev->flags & RL_EVF_IRQ)
		fputs(" irq", f);
	fprintf(f, " @%u:0x%llx\n", ev->src, (unsigned long long)ev->src_off);
	return 0;
}

int cmd_dump(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		RL_SELECT_LONGOPTS,
		RL_INPUT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct rl_input_opts io = { 0 };
	static struct rl_vocab v;
	struct rl_outfile out;
	struct rl_open o;
	struct dump_sink d;
	struct rl_sink *sinks[1];
	const char *outpath = NULL;
	int opt, r, damage;

	rl_vocab_init(&v, RL_UNIT_NS, 0, 0);
	while ((opt = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
		if ((r = rl_opt_vocab(opt, optarg, &v))) {
			if (r < 0)
				return RL_EXIT_USAGE;
		} else if (opt == 'o')
			outpath = optarg;
		else if (opt == 'h') {
			fputs(dump_help, stdout);
			return RL_EXIT_OK;
		} else {
			int k = rl_opt_input(opt, optarg, &io);

			if (k <= 0) {
				if (!k)
					fputs(dump_help, stderr);
				return RL_EXIT_USAGE;
			}
		}
	}
	r = rl_open_files(&o, argv + optind, argc - optind, &io);
	if (r) {
		rl_open_close(&o);
		return r;
	}
	r = rl_out_open(&out, outpath);
	if (r) {
		rl_open_close(&o);
		return r;
	}
	d.sink.event = dump_event;
	d.sink.finish = NULL;
	d.f = out.f;
	d.t = o.t;
	sinks[0] = &d.sink;
	r = rl_run_selected(&o, &v, sinks, 1);
	if (r)
		rl_out_abort(&out);
	else
		r = rl_out_commit(&out);
	damage = rl_print_warnings(o.t);
	if (!r && damage)
		r = RL_EXIT_DATA;
	rl_open_close(&o);
	return r;
}
