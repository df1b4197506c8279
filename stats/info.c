/*
 * stats/info.c - what `rtlens info` reports: the format, files, CPUs,
 * records by name, time span, system release, clock, tasks, jobs and
 * anomalies of a trace, as text or JSON. For xentrace the jobs are the
 * RTDS server periods, known only once the Xen analysis has seen the
 * whole trace.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

struct rl_info_name {
	const char *name;
	uint64_t n;
};

struct rl_info {
	struct rl_sink sink; /* counts, then the jobs (or Xen) analysis */
	struct rl_trace *t;
	struct rl_counts cnt;
	struct rl_jobs *jobs;
	struct rl_xen *xen; /* xentrace: the server periods become the jobs */
	struct rl_sink *second;
	struct rl_info_name *names; /* records by name, sorted (after finish) */
	uint32_t nnames;
	uint64_t odd;	      /* timed events at implausible times */
	struct rl_event odd1; /* the first of them */
};

/*
 * An event time no recording has: more than 2^40 ns (18 minutes) before the
 * clock's zero (a skew correction moves times by microseconds), or more than
 * 2^62 ns (146 years) after it. Byte-swapped or damaged records give them.
 */
#define RL_INFO_TS_MIN (-(INT64_C(1) << 40))
#define RL_INFO_TS_MAX (INT64_C(1) << 62)

static const char *const rl_info_warn_names[RL_W_NKINDS] = {
	"unknown_type", "truncated", "garbage", "cpu_mismatch", "unordered", "lost", "job", "other",
};

static int rl_info_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rl_info_name *)a)->name,
		      ((const struct rl_info_name *)b)->name);
}

static int rl_info_event(struct rl_sink *s, const struct rl_event *ev, struct rl_err *err)
{
	struct rl_info *in = (struct rl_info *)s;
	int r = in->cnt.sink.event(&in->cnt.sink, ev, err);

	if (__builtin_expect(!(ev->flags & RL_EVF_NOTIME) &&
				     (ev->ts < RL_INFO_TS_MIN || ev->ts > RL_INFO_TS_MAX),
			     0) &&
	    !in->odd++)
		in->odd1 = *ev;
	return r < 0 ? r : in->second->event(in->second, ev, err);
}

static int rl_info_add_job(void *arg, const struct rl_job *job, struct rl_err *err)
{
	return rl_jobs_add(arg, job, err);
}

static int rl_info_finish(struct rl_sink *s, struct rl_err *err)
{
	struct rl_info *in = (struct rl_info *)s;
	uint32_t i;
	int r;

	if (in->second->finish) {
		r = in->second->finish(in->second, err);
		if (r < 0)
			return r;
	}
	if (in->odd)
		rl_trace_warn(
			in->t, RL_W_GARBAGE, in->odd1.src, in->odd1.src_off,
			"%llu event%s at implausible times, this one at %lld ns (byte-swapped "
			"or damaged records?): the time span includes them",
			(unsigned long long)in->odd, in->odd > 1 ? "s" : "",
			(long long)in->odd1.ts);
	if (in->xen) {
		r = rl_xen_each_job(in->xen, rl_info_add_job, in->jobs, err);
		if (r < 0)
			return r;
	}
	in->names = calloc(in->cnt.nby_name ? in->cnt.nby_name : 1, sizeof(*in->names));
	if (!in->names)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	for (i = 0; i < in->cnt.nby_name; i++)
		if (in->cnt.by_name[i]) {
			in->names[in->nnames].name = rl_strtab_get(in->t->strs, i);
			in->names[in->nnames++].n = in->cnt.by_name[i];
		}
	qsort(in->names, in->nnames, sizeof(*in->names), rl_info_name_cmp);
	return 0;
}

/**
 * rl_info_new() - the analyses behind rtlens info
 * @t:   the trace (its family set: xentrace gets the Xen analysis)
 * @err: error out
 *
 * Return: the report (free with rl_info_free()), or NULL with @err set.
 */
struct rl_info *rl_info_new(struct rl_trace *t, struct rl_err *err)
{
	struct rl_info *in = calloc(1, sizeof(*in));

	if (!in) {
		rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		return NULL;
	}
	in->t = t;
	rl_counts_init(&in->cnt);
	in->sink.event = rl_info_event;
	in->sink.finish = rl_info_finish;
	in->jobs = rl_jobs_new(t, NULL, NULL, err);
	if (!in->jobs)
		goto fail;
	in->second = rl_jobs_sink(in->jobs);
	if (t->family == RL_FAM_XEN) {
		in->xen = rl_xen_new(t, err);
		if (!in->xen)
			goto fail;
		in->second = rl_xen_sink(in->xen);
	}
	return in;
fail:
	rl_info_free(in);
	return NULL;
}

/**
 * rl_info_sink() - the sink to feed every event to
 * @in: the report
 *
 * Return: the sink (borrowed).
 */
struct rl_sink *rl_info_sink(struct rl_info *in)
{
	return &in->sink;
}

/**
 * rl_info_free() - free a report
 * @in: the report (NULL is a no-op)
 */
void rl_info_free(struct rl_info *in)
{
	if (!in)
		return;
	rl_counts_release(&in->cnt);
	rl_jobs_free(in->jobs);
	rl_xen_free(in->xen);
	free(in->names);
	free(in);
}

static const char *rl_info_clock_source(const struct rl_clock_info *c, const char *given)
{
	return c->given ? given : c->est_hz ? "estimated" : "assumed";
}

static void rl_info_write_json(const struct rl_info *in, FILE *f)
{
	const struct rl_trace *t = in->t;
	struct rl_jobs_counts jc;
	int64_t sysrel;
	uint32_t i;

	rl_jobs_counts(in->jobs, &jc);
	fprintf(f, "{\"format\":");
	rl_json_str(f, t->format);
	fprintf(f, ",\"cpus\":%u,\"events\":%llu,\"by_type\":{", t->ncpu,
		(unsigned long long)in->cnt.events);
	for (i = 0; i < in->nnames; i++) {
		fprintf(f, "%s", i ? "," : "");
		rl_json_str(f, in->names[i].name);
		fprintf(f, ":%llu", (unsigned long long)in->names[i].n);
	}
	fprintf(f, "},\"files\":[");
	for (i = 0; i < t->nsrcs; i++) {
		fprintf(f, "%s{\"path\":", i ? "," : "");
		rl_json_str(f, t->srcs[i].path);
		fprintf(f, ",\"cpu\":%d,\"bytes\":%llu,\"records\":%u}", t->srcs[i].cpu,
			(unsigned long long)t->srcs[i].size, t->srcs[i].nrec);
	}
	fprintf(f, "],\"tasks\":%u", t->ntasks);
	if (in->cnt.ntimed)
		fprintf(f, ",\"first_ns\":%lld,\"last_ns\":%lld", (long long)in->cnt.first_ts,
			(long long)in->cnt.last_ts);
	if (rl_jobs_sys_release(in->jobs, &sysrel))
		fprintf(f, ",\"sys_release_ns\":%lld", (long long)sysrel);
	if (t->clock.hz)
		fprintf(f,
			",\"clock\":{\"hz\":%.0f,\"source\":\"%s\",\"estimated_hz\":%.0f,"
			"\"estimate_p10_hz\":%.0f,\"estimate_p90_hz\":%.0f,"
			"\"estimate_samples\":%llu}",
			t->clock.hz, rl_info_clock_source(&t->clock, "given"), t->clock.est_hz,
			t->clock.est_lo, t->clock.est_hi, (unsigned long long)t->clock.est_n);
	fprintf(f,
		",\"jobs\":{\"total\":%llu,\"completed\":%llu,\"release_inferred\":%llu,"
		"\"no_release\":%llu,\"no_completion\":%llu,\"incomplete\":%llu,"
		"\"duplicate_release\":%llu}",
		(unsigned long long)jc.jobs, (unsigned long long)jc.completed,
		(unsigned long long)jc.inferred, (unsigned long long)jc.no_release,
		(unsigned long long)jc.no_completion, (unsigned long long)jc.incomplete,
		(unsigned long long)jc.dup_release);
	fprintf(f, ",\"anomalies\":{");
	for (i = 0; i < RL_W_NKINDS; i++)
		fprintf(f, "%s\"%s\":%llu", i ? "," : "", rl_info_warn_names[i],
			(unsigned long long)t->warn_count[i]);
	fprintf(f, "}}\n");
}

static void rl_info_write_text(const struct rl_info *in, FILE *f)
{
	const struct rl_trace *t = in->t;
	struct rl_jobs_counts jc;
	int64_t sysrel;
	uint32_t i;
	int any = 0;

	rl_jobs_counts(in->jobs, &jc);
	fprintf(f, "format:      %s\n", t->format);
	fprintf(f, "files:       %u\n", t->nsrcs);
	for (i = 0; i < t->nsrcs; i++)
		fprintf(f, "  %s (cpu %d, %llu bytes, %u records)\n", t->srcs[i].path,
			t->srcs[i].cpu, (unsigned long long)t->srcs[i].size, t->srcs[i].nrec);
	fprintf(f, "cpus:        %u\n", t->ncpu);
	fprintf(f, "events:      %llu\n", (unsigned long long)in->cnt.events);
	if (in->cnt.ntimed)
		fprintf(f, "time span:   %lld .. %lld ns (%.6f s)\n", (long long)in->cnt.first_ts,
			(long long)in->cnt.last_ts,
			/* in double: a damaged trace's span may not fit int64 */
			((double)in->cnt.last_ts - (double)in->cnt.first_ts) / 1e9);
	if (rl_jobs_sys_release(in->jobs, &sysrel))
		fprintf(f, "sys release: %lld ns\n", (long long)sysrel);
	if (t->clock.hz)
		fprintf(f,
			"clock:       %.6f GHz (%s; estimate %.6f GHz, p10-p90 %.6f-%.6f, "
			"%llu samples)\n",
			t->clock.hz / 1e9, rl_info_clock_source(&t->clock, "--cpu-hz"),
			t->clock.est_hz / 1e9, t->clock.est_lo / 1e9, t->clock.est_hi / 1e9,
			(unsigned long long)t->clock.est_n);
	fprintf(f, "tasks:       %u\n", t->ntasks);
	fprintf(f,
		"jobs:        %llu (%llu completed, %llu release inferred, %llu without "
		"release, %llu completion missing, %llu unfinished at end, %llu duplicate "
		"releases)\n",
		(unsigned long long)jc.jobs, (unsigned long long)jc.completed,
		(unsigned long long)jc.inferred, (unsigned long long)jc.no_release,
		(unsigned long long)jc.no_completion, (unsigned long long)jc.incomplete,
		(unsigned long long)jc.dup_release);
	fprintf(f, "records by type:\n");
	for (i = 0; i < in->nnames; i++)
		fprintf(f, "  %-14s %llu\n", in->names[i].name, (unsigned long long)in->names[i].n);
	fprintf(f, "anomalies:  ");
	for (i = 0; i < RL_W_NKINDS; i++)
		if (t->warn_count[i]) {
			fprintf(f, " %s=%llu", rl_info_warn_names[i],
				(unsigned long long)t->warn_count[i]);
			any = 1;
		}
	fprintf(f, "%s\n", any ? "" : " none");
}

/**
 * rl_info_write() - write the report of a finished run
 * @in:   the report (its sink finished)
 * @f:    output
 * @json: 1 for one JSON object, 0 for text
 *
 * Return: 0, or -RL_E_IO when @f has an error.
 */
int rl_info_write(const struct rl_info *in, FILE *f, int json)
{
	if (json)
		rl_info_write_json(in, f);
	else
		rl_info_write_text(in, f);
	return fflush(f) || ferror(f) ? -RL_E_IO : 0;
}
