/*
 * cli/skew-opt.c - --skew=off|estimate|FILE.json and --skew-force: the clock
 * correction of jobs, overheads, latency, draw, dump and db, built before
 * the inputs are read (doc/skew.md). The estimate and the rules are the
 * library's (skew/, stats/skew-pairs.c); this file picks the source, reads
 * the file and says what was done.
 */
#include "cli.h"
#include "../readers/feather-trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SKEW_FILE_MAX (64u << 20) /* an rtlens skew --json of 1024 cpus is far smaller */

int rl_skew_wanted(const struct rl_input_opts *io)
{
	return io->skew && strcmp(io->skew, "off");
}

static const char *skew_unit_name(int unit)
{
	return unit == RL_SKEW_UNIT_CYCLES ? "cycles" : "ns";
}

/* FILE.json into @res. Return: 0 or an exit code (printed). */
static int skew_load(const char *path, struct rl_skew_result *res, int *unit)
{
	struct rl_err err;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *f = fopen(path, "rb");
	int r;

	rl_err_init(&err);
	if (!f) {
		fprintf(stderr, "%s: error: --skew: %s\n", path, strerror(errno));
		return RL_EXIT_DATA;
	}
	for (;;) {
		size_t got;

		if (len == cap) {
			char *nb;

			if (cap >= SKEW_FILE_MAX) {
				fprintf(stderr,
					"%s: error: --skew: larger than %u MiB: not an rtlens skew "
					"--json file\n",
					path, SKEW_FILE_MAX >> 20);
				fclose(f);
				free(buf);
				return RL_EXIT_DATA;
			}
			cap = cap ? cap * 2 : 4096;
			nb = realloc(buf, cap);
			if (!nb) {
				fclose(f);
				free(buf);
				fprintf(stderr, "%s: error: out of memory\n", rl_prog);
				return RL_EXIT_DATA;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	r = ferror(f);
	fclose(f);
	if (r) {
		fprintf(stderr, "%s: error: --skew: read error\n", path);
		free(buf);
		return RL_EXIT_DATA;
	}
	r = rl_skew_json_read(path, buf, len, res, unit, &err);
	free(buf);
	if (r < 0) {
		rl_print_err(&err);
		return RL_EXIT_DATA;
	}
	return 0;
}

/* The table of @res; notes on what was done. Return: 0 or an exit code (printed). */
static int skew_apply(struct rl_skew_table *st, const struct rl_skew_result *res, int unit,
		      const struct rl_input_opts *io, const char *source)
{
	struct rl_skew_build b;
	struct rl_err err;
	uint32_t i;
	int r;

	rl_err_init(&err);
	r = rl_skew_table_build(st, res, unit, io->skew_force, &b, &err);
	if (r < 0) {
		if (r == -RL_E_USAGE)
			rl_usage_error("%s", err.msg);
		else
			rl_print_err(&err);
		return rl_exit_code(&err);
	}
	if (rl_quiet)
		return 0;
	fprintf(stderr, "%s: clock skew (%s): %u cpu%s corrected against cpu %u (%s)", rl_prog,
		source, b.applied, b.applied == 1 ? "" : "s", res->ref, skew_unit_name(unit));
	if (b.forced)
		fprintf(stderr, ", %u of them forced from bounds", b.forced);
	fputc('\n', stderr);
	for (i = 0; i < res->ncpu; i++) {
		const struct rl_skew_cpu *c = &res->cpus[i];
		const struct rl_skew_offset *o = rl_skew_table_get(st, i);

		if (o && o->uncert == RL_SKEW_UNBOUNDED)
			fprintf(stderr,
				"%s: clock skew: cpu %u: %s, forced offset %" PRId64
				" without a bound\n",
				rl_prog, i, rl_skew_quality_name(c->quality), o->offset);
		else if (o)
			fprintf(stderr,
				"%s: clock skew: cpu %u: offset %" PRId64 " +- %" PRId64 " (%s)\n",
				rl_prog, i, o->offset, o->uncert, rl_skew_quality_name(c->quality));
		else
			fprintf(stderr, "%s: clock skew: cpu %u: not corrected (%s)\n", rl_prog, i,
				c->quality == RL_SKEW_ABSENT ? "absent: no causal pairs reach it"
							     : "nothing to apply");
	}
	return 0;
}

/* The solved estimate of @e, applied. Return: 0 or an exit code. */
static int skew_solve_apply(struct rl_skew_table *st, const struct rl_skew_est *e, int unit,
			    const struct rl_input_opts *io, const char *source)
{
	struct rl_skew_result res;
	struct rl_err err;
	int r;

	rl_err_init(&err);
	if (!e->ncpu) {
		if (!rl_quiet)
			fprintf(stderr, "%s: clock skew (%s): no cpus, nothing corrected\n",
				rl_prog, source);
		return 0;
	}
	if (rl_skew_est_solve(e, 0, &res, &err) < 0) {
		rl_print_err(&err);
		return rl_exit_code(&err);
	}
	r = skew_apply(st, &res, unit, io, source);
	rl_skew_result_release(&res);
	return r;
}

/* FILE.json, in the unit the trace needs. Return: 0 or an exit code. */
static int skew_from_file(struct rl_skew_table *st, const struct rl_input_opts *io, int want)
{
	struct rl_skew_result res;
	int unit, r;

	memset(&res, 0, sizeof(res));
	r = skew_load(io->skew, &res, &unit);
	if (!r && unit != want) {
		rl_usage_error("--skew=%s: offsets in %s, but these inputs are timed in %s",
			       io->skew, skew_unit_name(unit), skew_unit_name(want));
		r = RL_EXIT_USAGE;
	}
	if (!r)
		r = skew_apply(st, &res, unit, io, io->skew);
	rl_skew_result_release(&res);
	return r;
}

int rl_skew_setup(struct rl_open *o, const struct rl_input_opts *io)
{
	struct rl_skew_lx_stats st;
	struct rl_skew_est e;
	struct rl_err err;
	char source[160];
	int r;

	o->skew_ready = 1;
	rl_skew_table_init(&o->skew);
	if (!rl_skew_wanted(io))
		return 0;
	if (o->fs.family == RL_FAM_FEATHER) {
		rl_usage_error("--skew: Feather-Trace times are corrected by rtlens overheads "
			       "(IPI latencies) only");
		return RL_EXIT_USAGE;
	}
	if (strcmp(io->skew, "estimate"))
		return skew_from_file(&o->skew, io, RL_SKEW_UNIT_NS);
	rl_err_init(&err);
	rl_skew_est_init(&e);
	r = rl_skew_estimate_fileset(&o->fs, &io->ro, &e, &st, &err);
	if (r < 0) {
		rl_print_err(&err);
		rl_skew_est_release(&e);
		return rl_exit_code(&err);
	}
	snprintf(source, sizeof(source),
		 "estimated from %" PRIu64 " task migrations, %" PRIu64 " wake-ups, %" PRIu64
		 " IPIs",
		 st.pairs, st.wake_pairs, st.ipi_pairs);
	r = skew_solve_apply(&o->skew, &e, RL_SKEW_UNIT_NS, io, source);
	rl_skew_est_release(&e);
	return r;
}

int rl_skew_setup_ft(const struct rl_input_opts *io, const struct rl_ft_set *set,
		     struct rl_skew_table *st)
{
	struct rl_skew_ft_stats fst;
	struct rl_skew_est e;
	struct rl_err err;
	char source[160];
	int r;

	rl_skew_table_init(st);
	if (!rl_skew_wanted(io))
		return 0;
	if (strcmp(io->skew, "estimate"))
		return skew_from_file(st, io, RL_SKEW_UNIT_CYCLES);
	rl_err_init(&err);
	rl_skew_est_init(&e);
	r = rl_skew_ft_pairs(set, &e, &fst, &err);
	if (r < 0) {
		rl_print_err(&err);
		rl_skew_est_release(&e);
		return rl_exit_code(&err);
	}
	snprintf(source, sizeof(source), "estimated from %" PRIu64 " IPIs", fst.pairs);
	r = skew_solve_apply(st, &e, RL_SKEW_UNIT_CYCLES, io, source);
	rl_skew_est_release(&e);
	return r;
}

void rl_skew_note_order(struct rl_open *o)
{
	if (!o->p.order.st || o->skew_noted || rl_quiet)
		return;
	o->skew_noted = 1;
	fprintf(stderr,
		"%s: clock skew: %" PRIu64 " events lie within the offsets' uncertainty of the "
		"latest event of another cpu (their cross-cpu order is undecided)\n",
		rl_prog, o->p.order.undecided);
}
