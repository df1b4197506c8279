/*
 * tests/unit-ft-truth.c - the overhead extraction against the ground truth of
 * the synthetic Feather-Trace sets (truth.json next to the traces): for every
 * event and cpu, the kept samples are exactly the undisturbed samples, the
 * samples dropped for interrupts are exactly the IRQ-disturbed ones, and the
 * IPI latencies (kept with their sign) are exactly the observed ones.
 */
#include "tap.h"
#include "../readers/feather-trace.h"
#include "../stats/stats.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pair {
	int64_t cpu, v;
};

struct pairs {
	struct pair *p;
	size_t n, cap;
};

static void push(struct pairs *s, int64_t cpu, int64_t v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->p = realloc(s->p, s->cap * sizeof(*s->p));
		if (!s->p)
			abort();
	}
	s->p[s->n].cpu = cpu;
	s->p[s->n++].v = v;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return (x->v > y->v) - (x->v < y->v);
}

static int same(struct pairs *a, struct pairs *b)
{
	if (a->n)
		qsort(a->p, a->n, sizeof(*a->p), pair_cmp);
	if (b->n)
		qsort(b->p, b->n, sizeof(*b->p), pair_cmp);
	return a->n == b->n && (!a->n || !memcmp(a->p, b->p, a->n * sizeof(*a->p)));
}

/* Integer value of "key": inside the flat object [p, e); -1 if absent. */
static int64_t obj_int(const char *p, const char *e, const char *key, int *found)
{
	char pat[64];
	const char *q;
	size_t l = (size_t)snprintf(pat, sizeof(pat), "\"%s\":", key);

	for (q = p; q + l <= e; q++)
		if (!memcmp(q, pat, l)) {
			*found = 1;
			q += l;
			while (*q == ' ')
				q++;
			if (!strncmp(q, "true", 4))
				return 1;
			if (!strncmp(q, "false", 5))
				return 0;
			return strtoll(q, NULL, 10);
		}
	*found = 0;
	return -1;
}

/*
 * Truth samples of event @ev: clean (irq false or absent) and disturbed, as
 * (cpu, cycles|ns) pairs.
 */
static int truth_samples(const char *json, const char *ev, struct pairs *clean, struct pairs *irq)
{
	char pat[80];
	const char *p = strstr(json, "\"samples\""), *end;

	if (!p)
		return -1;
	snprintf(pat, sizeof(pat), "\"%s\":", ev);
	p = strstr(p, pat);
	if (!p)
		return -1;
	p = strchr(p, '[');
	end = p ? strchr(p, ']') : NULL;
	if (!end)
		return -1;
	while ((p = strchr(p, '{')) && p < end) {
		const char *e = strchr(p, '}');
		int f1, f2, f3;
		int64_t cpu = obj_int(p, e, "cpu", &f1), v = obj_int(p, e, "cycles", &f2), dis;

		if (!f2)
			v = obj_int(p, e, "ns", &f2);
		dis = obj_int(p, e, "irq", &f3);
		if (!f1 || !f2)
			return -1;
		push(f3 && dis ? irq : clean, cpu, v);
		p = e + 1;
	}
	return 0;
}

static int truth_ipis(const char *json, struct pairs *out)
{
	const char *p = strstr(json, "\"ipis\""), *end;

	if (!p || !(p = strchr(p, '[')) || !(end = strchr(p, ']')))
		return -1;
	while ((p = strchr(p, '{')) && p < end) {
		const char *e = strchr(p, '}');
		int f1, f2;
		int64_t dst = obj_int(p, e, "dst", &f1), v = obj_int(p, e, "observed_cycles", &f2);

		if (!f1 || !f2)
			return -1;
		if (v >= (1LL << 47)) /* stored modulo 2^48 */
			v -= 1LL << 48;
		push(out, dst, v);
		p = e + 1;
	}
	return 0;
}

static struct rl_ovh *extract(const char *dir, struct rl_ovh_opts *oo)
{
	struct rl_err err;
	struct rl_ovh *h;
	struct dirent *de;
	DIR *d = opendir(dir);

	rl_err_init(&err);
	h = rl_ovh_new(oo, &err);
	if (!d || !h || rl_ovh_group(h, "g", &err))
		return NULL;
	while ((de = readdir(d))) {
		struct rl_ft_opts fo = {0, 0};
		struct rl_input in;
		struct rl_ft_file f;
		char path[4096];
		size_t l = strlen(de->d_name);

		if (l < 4 || strcmp(de->d_name + l - 4, ".bin"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (rl_input_open(&in, path, NULL, &err) || rl_ft_file_init(&f, &in, &fo, &err) ||
		    rl_ovh_add_file(h, &f, 0, NULL, 0, &err)) {
			diag("%s: %s", path, err.msg);
			closedir(d);
			rl_ovh_free(h);
			return NULL;
		}
		rl_input_close(&in);
	}
	closedir(d);
	return h;
}

static void collect(struct rl_ovh *h, unsigned ev, struct pairs *out)
{
	struct rl_ovh_series_info si;
	struct rl_err err;
	uint32_t i;
	uint64_t j, n;
	int64_t *v;

	for (i = 0; i < rl_ovh_nseries(h); i++) {
		rl_ovh_series(h, i, &si);
		if (si.event != ev || rl_ovh_samples(h, i, &v, &n, &err))
			continue;
		for (j = 0; j < n; j++)
			push(out, si.cpu, v[j]);
		free(v);
	}
}

/* a - b as multisets (both sorted) */
static void minus(const struct pairs *a, const struct pairs *b, struct pairs *out)
{
	size_t i = 0, j = 0;

	while (i < a->n) {
		int c = j < b->n ? pair_cmp(&a->p[i], &b->p[j]) : -1;

		if (c < 0) {
			push(out, a->p[i].cpu, a->p[i].v);
			i++;
		} else if (c > 0)
			j++;
		else
			i++, j++;
	}
}

static void check_set(const char *shared, const char *set)
{
	static const char *const events[] = {"SCHED",	"SCHED2", "CXS",
					     "RELEASE", "TICK",	  "RELEASE_LATENCY"};
	struct rl_ovh_opts oo;
	struct rl_ovh *kept, *all, *ipi;
	char dir[2048], path[4096];
	char *json;
	size_t len, e;

	snprintf(dir, sizeof(dir), "%s/testdata/synthetic/feather-trace/%s", shared, set);
	snprintf(path, sizeof(path), "%s/truth.json", dir);
	json = tap_slurp(path, &len);
	if (!json) {
		ok(0, "%s: truth.json readable", set);
		return;
	}
	memset(&oo, 0, sizeof(oo));
	oo.only_cpu = oo.avoid_cpu = -1;
	oo.per_cpu = 1;
	oo.best_effort = 1; /* the truth lists samples of every task type */
	kept = extract(dir, &oo);
	oo.keep_irq = 1;
	all = extract(dir, &oo);
	oo.keep_negative = 1;
	ipi = extract(dir, &oo);
	ok(kept && all && ipi, "%s: all files extracted", set);
	if (!kept || !all || !ipi)
		goto out;
	for (e = 0; e < sizeof(events) / sizeof(events[0]); e++) {
		struct pairs tc = {0}, ti = {0}, k = {0}, a = {0}, dropped = {0};
		unsigned id;

		if (truth_samples(json, events[e], &tc, &ti)) {
			ok(0, "%s: truth has %s samples", set, events[e]);
			continue;
		}
		rl_ft_event_parse(events[e], &id);
		collect(kept, id, &k);
		collect(all, id, &a);
		ok(tc.n > 0 && same(&k, &tc), "%s %s: %zu kept samples = the %zu undisturbed ones",
		   set, events[e], k.n, tc.n);
		if (a.n)
			qsort(a.p, a.n, sizeof(*a.p), pair_cmp);
		minus(&a, &k, &dropped);
		ok(same(&dropped, &ti), "%s %s: %zu dropped for irq = the %zu IRQ-disturbed ones",
		   set, events[e], dropped.n, ti.n);
		free(tc.p);
		free(ti.p);
		free(k.p);
		free(a.p);
		free(dropped.p);
	}
	{
		struct pairs t = {0}, k = {0};

		ok(!truth_ipis(json, &t), "%s: truth has IPIs", set);
		collect(ipi, RL_FT_SEND_RESCHED_START, &k);
		ok(t.n > 0 && same(&k, &t), "%s: %zu IPI latencies (signed) = the %zu observed",
		   set, k.n, t.n);
		free(t.p);
		free(k.p);
	}
out:
	rl_ovh_free(kept);
	rl_ovh_free(all);
	rl_ovh_free(ipi);
	free(json);
}

int main(void)
{
	const char *shared = tap_shared_dir();

	if (!shared)
		skip_all("shared test data not found (../shared absent)");
	check_set(shared, "gsn-edf-4cpu");
	check_set(shared, "big-endian-2cpu");
	done_testing();
	return exit_status();
}
