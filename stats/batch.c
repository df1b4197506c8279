/*
 * stats/batch.c - the runs of an experiment tree (`rtlens batch`).
 *
 * A tree is walked in name order. A folder is
 *  - a CTF trace when it holds a `metadata` file: one run of that folder;
 *  - an experiment-scripts run when it holds `params.py`: one run of its
 *    trace files (the files rl_paths_expand() takes, compressed notes left
 *    out too; its sub-folders, such as tmp/, are not walked);
 *  - otherwise its trace files form runs by name: files named key=value
 *    (schedule_host=qemu_scheduler=GSN-EDF_cpu=0.bin) by their recording
 *    name (rl_recording_name(): the key=value parts but cpu and msg, so the
 *    schedule_* and overheads_* files of one recording are one run), files
 *    of a folder without key=value names by their name without the trailing
 *    CPU number (st-0.bin .. st-3.bin). A folder whose files make a single
 *    run is that run. In a folder of key=value names, a file without one
 *    belongs to no run: it is listed in @orphans, not guessed. Its
 *    sub-folders are walked.
 * A run's name is the path of its folder from the root's own name
 * (tree/sched=RUN_trial=48), with the recording or file stem appended when
 * a folder holds several runs; runs are listed in name order.
 */
#include "stats.h"
#include "../readers/readers.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A folder below this depth is not walked (symlink loops). */
#define RL_BATCH_DEPTH 32

static int bt_nomem(struct rl_err *err)
{
	return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
}

static int bt_exists(const char *dir, const char *name, int want_dir)
{
	char p[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, name) >= sizeof(p) || stat(p, &st))
		return 0;
	return want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
}

/* Add a run named @name with @n paths (copied). */
static int bt_add(struct rl_batch *b, const char *name, char *const *paths, size_t n,
		  struct rl_err *err)
{
	struct rl_batch_run *r;
	size_t i;

	if (rl_grow((void **)&b->runs, &b->cap, b->n + 1, sizeof(*b->runs)))
		return bt_nomem(err);
	r = &b->runs[b->n];
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	r->paths = calloc(n ? n : 1, sizeof(*r->paths));
	b->n++;
	if (!r->name || !r->paths)
		return bt_nomem(err);
	for (i = 0; i < n; i++) {
		r->paths[i] = strdup(paths[i]);
		if (!r->paths[i])
			return bt_nomem(err);
		r->n++;
	}
	return 0;
}

static int bt_orphan(struct rl_batch *b, const char *path, struct rl_err *err)
{
	if (rl_grow((void **)&b->orphans, &b->cap_orphans, b->norphans + 1, sizeof(*b->orphans)))
		return bt_nomem(err);
	b->orphans[b->norphans] = strdup(path);
	if (!b->orphans[b->norphans])
		return bt_nomem(err);
	b->norphans++;
	return 0;
}

/* The name of an unnamed file without ".gz", its extension and trailing CPU number. */
static void bt_stem(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	char *dot;
	size_t n;

	snprintf(buf, size, "%s", base ? base + 1 : path);
	n = strlen(buf);
	if (n > 3 && !strcmp(buf + n - 3, ".gz"))
		buf[n -= 3] = 0;
	dot = strrchr(buf, '.');
	if (dot && dot != buf)
		*dot = 0;
	n = strlen(buf);
	while (n > 1 && buf[n - 1] >= '0' && buf[n - 1] <= '9')
		buf[--n] = 0;
	while (n > 1 && strchr("-_.", buf[n - 1]))
		buf[--n] = 0;
	/* keep the extension apart: trace.dat and trace.bin are two runs */
	if (dot && dot != buf && n + 1 < size) {
		const char *ext = strrchr(base ? base + 1 : path, '.');

		snprintf(buf + n, size - n, "%s", ext ? ext : "");
		if (!strcmp(buf + n, ".gz"))
			buf[n] = 0;
	}
}

struct bt_file {
	char key[1024];
	const char *path;
};

static int bt_file_cmp(const void *a, const void *b)
{
	const struct bt_file *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->path, y->path);
}

/* The runs among the trace files @p of folder @dir, named from @label. */
static int bt_files(struct rl_batch *b, const struct rl_paths *p, const char *label,
		    struct rl_err *err)
{
	struct bt_file *f = calloc(p->n ? p->n : 1, sizeof(*f));
	char **grp = calloc(p->n ? p->n : 1, sizeof(*grp)), name[2 * PATH_MAX + 2];
	size_t i, j, nf = 0, ngroups = 0, named = 0;
	int r = 0;

	if (!f || !grp) {
		r = bt_nomem(err);
		goto out;
	}
	for (i = 0; i < p->n; i++)
		if (rl_recording_name(p->paths[i], f[0].key, sizeof(f[0].key), NULL, NULL))
			named++;
	for (i = 0; i < p->n && !r; i++) {
		struct bt_file *e = &f[nf];

		e->path = p->paths[i];
		if (rl_recording_name(e->path, e->key, sizeof(e->key), NULL, NULL))
			nf++;
		else if (named)
			r = bt_orphan(b, e->path, err);
		else
			bt_stem(e->path, e->key, sizeof(e->key)), nf++;
	}
	if (r)
		goto out;
	if (nf)
		qsort(f, nf, sizeof(*f), bt_file_cmp);
	for (i = 0; i < nf; i = j) {
		for (j = i; j < nf && !strcmp(f[j].key, f[i].key); j++)
			;
		ngroups++;
	}
	for (i = 0; i < nf && !r; i = j) {
		size_t k;

		for (j = i; j < nf && !strcmp(f[j].key, f[i].key); j++)
			grp[j - i] = (char *)f[j].path;
		/* in name order within the run, as a folder's files are given */
		for (k = 1; k < j - i; k++) {
			size_t m;

			for (m = k; m > 0 && strcmp(grp[m - 1], grp[m]) > 0; m--) {
				char *t = grp[m];

				grp[m] = grp[m - 1], grp[m - 1] = t;
			}
		}
		if (ngroups == 1) {
			snprintf(name, sizeof(name), "%s", label);
		} else if (j - i == 1 && !named) {
			/* a file of its own: its name (without .gz) */
			const char *base = strrchr(f[i].path, '/');
			size_t n;

			snprintf(name, sizeof(name), "%s/%s", label, base ? base + 1 : f[i].path);
			n = strlen(name);
			if (n > 3 && !strcmp(name + n - 3, ".gz"))
				name[n - 3] = 0;
		} else {
			snprintf(name, sizeof(name), "%s/%s", label, f[i].key);
		}
		r = bt_add(b, name, grp, j - i, err);
	}
out:
	free(f);
	free(grp);
	return r;
}

static int bt_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Not a trace: what rl_paths_expand() leaves out of a run folder (hidden
 * files, notes, scripts, results). The walk lists a folder's files itself,
 * as rtlens db would take them, without refusing a folder whose sub-folders
 * hold other formats: those are walked as runs of their own.
 */
static int bt_skip(const char *name)
{
	static const char *const ext[] = {".txt", ".py", ".md", ".log", ".csv", ".json", ".db"};
	size_t n = strlen(name), i;

	if (name[0] == '.')
		return 1;
	/* compressed notes too (trace-cmd report outputs kept as X.report.txt.gz) */
	if (n > 3 && !strcmp(name + n - 3, ".gz"))
		n -= 3;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t k = strlen(ext[i]);

		if (n >= k && !strncmp(name + n - k, ext[i], k))
			return 1;
	}
	return 0;
}

/* @dir's trace files (regular files, bt_skip() aside) in name order into @p. */
static int bt_dir_files(const char *dir, struct rl_paths *p, struct rl_err *err)
{
	char **v = NULL;
	uint32_t n = 0, cap = 0;
	struct dirent *de;
	int r = 0;
	DIR *d = opendir(dir);

	if (!d)
		return rl_err_set(err, -RL_E_IO, dir, RL_OFF_NONE, "cannot read the folder");
	while (!r && (de = readdir(d))) {
		char *s;

		if (bt_skip(de->d_name) || !bt_exists(dir, de->d_name, 0))
			continue;
		if (asprintf(&s, "%s/%s", dir, de->d_name) < 0 ||
		    rl_grow((void **)&v, &cap, n + 1, sizeof(*v))) {
			r = bt_nomem(err);
			break;
		}
		v[n++] = s;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), bt_name_cmp);
	p->paths = v, p->n = n, p->cap = cap;
	return r;
}

/* Walk folder @dir (run names from @label). */
static int bt_walk(struct rl_batch *b, const char *dir, const char *label, int depth,
		   struct rl_err *err)
{
	struct rl_paths p = {0};
	char **subs = NULL, sub[PATH_MAX], sublabel[PATH_MAX];
	uint32_t nsubs = 0, capsubs = 0, i;
	char *arg = (char *)dir;
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (bt_exists(dir, ".rtlens-batch", 0))
		return 0; /* an rtlens batch output folder */
	if (bt_exists(dir, "metadata", 0))
		return bt_add(b, label, &arg, 1, err);
	r = bt_dir_files(dir, &p, err);
	if (r < 0)
		goto out;
	if (bt_exists(dir, "params.py", 0)) {
		r = bt_add(b, label, p.paths, p.n, err);
		goto out;
	}
	if (p.n)
		r = bt_files(b, &p, label, err);
	if (r < 0 || depth >= RL_BATCH_DEPTH)
		goto out;
	d = opendir(dir);
	if (!d) {
		r = rl_err_set(err, -RL_E_IO, dir, RL_OFF_NONE, "cannot read the folder");
		goto out;
	}
	while (!r && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !bt_exists(dir, de->d_name, 1))
			continue;
		if (rl_grow((void **)&subs, &capsubs, nsubs + 1, sizeof(*subs)) ||
		    !(subs[nsubs] = strdup(de->d_name)))
			r = bt_nomem(err);
		else
			nsubs++;
	}
	closedir(d);
	if (nsubs)
		qsort(subs, nsubs, sizeof(*subs), bt_name_cmp);
	for (i = 0; i < nsubs && !r; i++) {
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, subs[i]) >= sizeof(sub) ||
		    (size_t)snprintf(sublabel, sizeof(sublabel), "%s/%s", label, subs[i]) >=
			    sizeof(sublabel)) {
			r = rl_err_set(err, -RL_E_IO, dir, RL_OFF_NONE, "path too long: %s",
				       subs[i]);
			break;
		}
		r = bt_walk(b, sub, sublabel, depth + 1, err);
	}
out:
	for (i = 0; i < nsubs; i++)
		free(subs[i]);
	free(subs);
	rl_paths_release(&p);
	return r;
}

static int bt_run_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rl_batch_run *)a)->name,
		      ((const struct rl_batch_run *)b)->name);
}

/**
 * rl_batch_find() - the runs of experiment trees
 * @b:     filled (release with rl_batch_release(), also on failure)
 * @roots: folders (trees, or run folders) or files (one run of those files)
 * @n:     their number
 * @err:   error out
 *
 * The rules are at the top of stats/batch.c. Files given as roots are
 * grouped as a folder's files are.
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_batch_find(struct rl_batch *b, char *const *roots, size_t n, struct rl_err *err)
{
	struct rl_paths files = {0};
	char real[PATH_MAX], **fl = NULL;
	uint32_t nfl = 0, capfl = 0;
	size_t i;
	int r = 0;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < n && !r; i++) {
		struct stat st;
		const char *base;
		char *s;

		if (stat(roots[i], &st)) {
			r = rl_err_set(err, -RL_E_IO, roots[i], RL_OFF_NONE,
				       "cannot read: no such file or folder");
			break;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (rl_grow((void **)&fl, &capfl, nfl + 1, sizeof(*fl)) ||
			    !(fl[nfl] = strdup(roots[i])))
				r = bt_nomem(err);
			else
				nfl++;
			continue;
		}
		if (!realpath(roots[i], real))
			snprintf(real, sizeof(real), "%s", roots[i]);
		base = strrchr(real, '/');
		base = base && base[1] ? base + 1 : real;
		s = strdup(roots[i]);
		if (!s) {
			r = bt_nomem(err);
			break;
		}
		/* no trailing slashes: names and paths stay clean */
		while (strlen(s) > 1 && s[strlen(s) - 1] == '/')
			s[strlen(s) - 1] = 0;
		r = bt_walk(b, s, base, 0, err);
		free(s);
	}
	files.paths = fl, files.n = nfl;
	if (!r && nfl)
		r = bt_files(b, &files, ".", err);
	for (i = 0; i < nfl; i++)
		free(fl[i]);
	free(fl);
	if (!r && b->n)
		qsort(b->runs, b->n, sizeof(*b->runs), bt_run_cmp);
	return r;
}

/**
 * rl_batch_release() - free what rl_batch_find() found
 * @b: the runs (zeroed)
 */
void rl_batch_release(struct rl_batch *b)
{
	uint32_t i;
	size_t k;

	for (i = 0; i < b->n; i++) {
		for (k = 0; k < b->runs[i].n; k++)
			free(b->runs[i].paths[k]);
		free(b->runs[i].paths);
		free(b->runs[i].name);
	}
	free(b->runs);
	for (i = 0; i < b->norphans; i++)
		free(b->orphans[i]);
	free(b->orphans);
	memset(b, 0, sizeof(*b));
}
