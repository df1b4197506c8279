/* cli/cmd-info.c - `rtlens info`: what is in a trace. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char info_help[] =
	"usage: rtlens info [OPTIONS] FILE...\n\n"
	"Describe a trace: format, CPUs, records by type, time span, tasks and anomalies.\n"
	"Per-CPU files of one trace are given together, in any order. For xentrace,\n"
	"the jobs counted are the RTDS server periods ('rtlens jobs --help').\n\n"
	"Options:\n"
	"  --format FMT          table (default: the text below) or json\n"
	"  --json                machine-readable output (--format json)\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
	"  -h, --help            this help\n" RL_SELECT_HELP
	"  With a selection, everything counted (events, span, jobs) is over the\n"
	"  selected events; files, cpus and tasks describe the whole trace. An event\n"
	"  belongs to its subject task; events of no task and task names and\n"
	"  parameters (no time) fail --pid/--comm and --from/--to. A bare --from/--to\n"
	"  number is in ns.\n" RL_INPUT_HELP;

static void info_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

struct info_name {
	const char *name;
	uint64_t n;
};

static int info_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct info_name *)a)->name, ((const struct info_name *)b)->name);
}

static int info_add_job(void *arg, const struct rl_job *job, struct rl_err *err)
{
	return rl_jobs_add(arg, job, err);
}

static const char *const warn_kind_names[RL_W_NKINDS] = {
	"unknown_type", "truncated", "garbage", "cpu_mismatch", "unordered", "lost", "job", "other",
};

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		RL_FORMAT_LONGOPT,
		RL_SELECT_LONGOPTS,
		RL_INPUT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct rl_input_opts io = { 0 };
	static struct rl_vocab v;
	struct rl_outfile out = { 0 };
	const char *outpath = NULL;
	struct rl_open o;
	struct rl_counts cnt;
	struct rl_jobs *jobs = NULL;
	struct rl_xen *xen = NULL;
	struct rl_sink *sinks[2];
	struct rl_jobs_counts jc;
	struct info_name *names = NULL;
	struct rl_err err;
	uint32_t i, nn = 0;
	int json = 0, opt, r, damage;
	int64_t sysrel;

	rl_vocab_init(&v, RL_UNIT_NS, RL_VOCAB_FMT(RL_OUT_TABLE) | RL_VOCAB_FMT(RL_OUT_JSON), 0);
	while ((opt = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
		if ((r = rl_opt_vocab(opt, optarg, &v))) {
			if (r < 0)
				return RL_EXIT_USAGE;
			if (opt == RL_OPT_FORMAT)
				json = v.fmt == RL_OUT_JSON;
		} else if (opt == 'o')
			outpath = optarg;
		else if (opt == 'j')
			json = 1;
		else if (opt == 'h') {
			fputs(info_help, stdout);
			return RL_EXIT_OK;
		} else {
			int k = rl_opt_input(opt, optarg, &io);

			if (k <= 0) {
				if (!k)
					fputs(info_help, stderr);
				return RL_EXIT_USAGE;
			}
		}
	}
	r = rl_open_files(&o, argv + optind, argc - optind, &io);
	if (r) {
		rl_open_close(&o);
		return r;
	}
	rl_err_init(&err);
	rl_counts_init(&cnt);
	jobs = rl_jobs_new(o.t, NULL, NULL, &err);
	if (!jobs) {
		rl_print_err(&err);
		rl_open_close(&o);
		return RL_EXIT_DATA;
	}
	sinks[0] = &cnt.sink;
	sinks[1] = rl_jobs_sink(jobs);
	/* xentrace: the jobs are RTDS server periods, known once the xen analysis is done */
	if (!strncmp(o.t->format, "xentrace", 8)) {
		xen = rl_xen_new(o.t, &err);
		if (!xen) {
			rl_print_err(&err);
			r = RL_EXIT_DATA;
			goto out;
		}
		sinks[1] = rl_xen_sink(xen);
	}
	r = rl_run_selected(&o, &v, sinks, 2);
	if (r)
		goto out;
	if (xen && rl_xen_each_job(xen, info_add_job, jobs, &err) < 0) {
		rl_print_err(&err);
		r = RL_EXIT_DATA;
		goto out;
	}
	rl_jobs_counts(jobs, &jc);
	names = calloc(cnt.nby_name ? cnt.nby_name : 1, sizeof(*names));
	if (!names) {
		r = RL_EXIT_DATA;
		goto out;
	}
	for (i = 0; i < cnt.nby_name; i++)
		if (cnt.by_name[i]) {
			names[nn].name = rl_strtab_get(o.t->strs, i);
			names[nn++].n = cnt.by_name[i];
		}
	qsort(names, nn, sizeof(*names), info_name_cmp);
	r = rl_out_stdout(&out, outpath);
	if (r)
		goto out;
	if (json) {
		printf("{\"format\":");
		info_json_str(o.t->format);
		printf(",\"cpus\":%u,\"events\":%llu,\"by_type\":{", o.t->ncpu,
		       (unsigned long long)cnt.events);
		for (i = 0; i < nn; i++) {
			printf("%s", i ? "," : "");
			info_json_str(names[i].name);
			printf(":%llu", (unsigned long long)names[i].n);
		}
		printf("},\"files\":[");
		for (i = 0; i < o.t->nsrcs; i++) {
			printf("%s{\"path\":", i ? "," : "");
			info_json_str(o.t->srcs[i].path);
			printf(",\"cpu\":%d,\"bytes\":%llu,\"records\":%u}", o.t->srcs[i].cpu,
			       (unsigned long long)o.t->srcs[i].size, o.t->srcs[i].nrec);
		}
		printf("],\"tasks\":%u", o.t->ntasks);
		if (cnt.ntimed)
			printf(",\"first_ns\":%lld,\"last_ns\":%lld", (long long)cnt.first_ts,
			       (long long)cnt.last_ts);
		if (rl_jobs_sys_release(jobs, &sysrel))
			printf(",\"sys_release_ns\":%lld", (long long)sysrel);
		if (o.t->clock.hz)
			printf(",\"clock\":{\"hz\":%.0f,\"source\":\"%s\",\"estimated_hz\":%.0f,"
			       "\"estimate_p10_hz\":%.0f,\"estimate_p90_hz\":%.0f,\"estimate_samples\":%llu}",
			       o.t->clock.hz,
			       o.t->clock.given ? "given" : o.t->clock.est_hz ? "estimated" : "assumed",
			       o.t->clock.est_hz, o.t->clock.est_lo, o.t->clock.est_hi,
			       (unsigned long long)o.t->clock.est_n);
		printf(",\"jobs\":{\"total\":%llu,\"completed\":%llu,\"release_inferred\":%llu,"
		       "\"no_release\":%llu,\"no_completion\":%llu,\"incomplete\":%llu,"
		       "\"duplicate_release\":%llu}",
		       (unsigned long long)jc.jobs, (unsigned long long)jc.completed,
		       (unsigned long long)jc.inferred, (unsigned long long)jc.no_release,
		       (unsigned long long)jc.no_completion, (unsigned long long)jc.incomplete,
		       (unsigned long long)jc.dup_release);
		printf(",\"anomalies\":{");
		for (i = 0; i < RL_W_NKINDS; i++)
			printf("%s\"%s\":%llu", i ? "," : "", warn_kind_names[i],
			       (unsigned long long)o.t->warn_count[i]);
		printf("}}\n");
	} else {
		printf("format:      %s\n", o.t->format);
		printf("files:       %u\n", o.t->nsrcs);
		for (i = 0; i < o.t->nsrcs; i++)
			printf("  %s (cpu %d, %llu bytes, %u records)\n", o.t->srcs[i].path,
			       o.t->srcs[i].cpu, (unsigned long long)o.t->srcs[i].size,
			       o.t->srcs[i].nrec);
		printf("cpus:        %u\n", o.t->ncpu);
		printf("events:      %llu\n", (unsigned long long)cnt.events);
		if (cnt.ntimed)
			printf("time span:   %lld .. %lld ns (%.6f s)\n", (long long)cnt.first_ts,
			       (long long)cnt.last_ts, (double)(cnt.last_ts - cnt.first_ts) / 1e9);
		if (rl_jobs_sys_release(jobs, &sysrel))
			printf("sys release: %lld ns\n", (long long)sysrel);
		if (o.t->clock.hz)
			printf("clock:       %.6f GHz (%s; estimate %.6f GHz, p10-p90 %.6f-%.6f, "
			       "%llu samples)\n",
			       o.t->clock.hz / 1e9,
			       o.t->clock.given ? "--cpu-hz" : o.t->clock.est_hz ? "estimated" : "assumed",
			       o.t->clock.est_hz / 1e9, o.t->clock.est_lo / 1e9, o.t->clock.est_hi / 1e9,
			       (unsigned long long)o.t->clock.est_n);
		printf("tasks:       %u\n", o.t->ntasks);
		printf("jobs:        %llu (%llu completed, %llu release inferred, %llu without "
		       "release, %llu completion missing, %llu unfinished at end, %llu duplicate "
		       "releases)\n",
		       (unsigned long long)jc.jobs, (unsigned long long)jc.completed,
		       (unsigned long long)jc.inferred, (unsigned long long)jc.no_release,
		       (unsigned long long)jc.no_completion, (unsigned long long)jc.incomplete,
		       (unsigned long long)jc.dup_release);
		printf("records by type:\n");
		for (i = 0; i < nn; i++)
			printf("  %-14s %llu\n", names[i].name, (unsigned long long)names[i].n);
		printf("anomalies:  ");
		{
			int any = 0;

			for (i = 0; i < RL_W_NKINDS; i++)
				if (o.t->warn_count[i]) {
					printf(" %s=%llu", warn_kind_names[i],
					       (unsigned long long)o.t->warn_count[i]);
					any = 1;
				}
			printf("%s\n", any ? "" : " none");
		}
	}
	if (fflush(stdout) || ferror(stdout))
		r = RL_EXIT_DATA;
	if (out.f && out.f != stdout) {
		if (r)
			rl_out_abort(&out);
		else
			r = rl_out_commit(&out);
	}
out:
	damage = rl_print_warnings(o.t);
	if (!r && damage)
		r = RL_EXIT_DATA;
	free(names);
	rl_counts_release(&cnt);
	rl_jobs_free(jobs);
	rl_xen_free(xen);
	rl_open_close(&o);
	return r;
}
