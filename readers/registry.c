/* readers/registry.c - the static table of readers, detection and opening. */
#include "readers.h"

#include <stdlib.h>
#include <string.h>

static const struct rl_reader_ops *const rl_readers[] = {
	&rl_reader_schedtrace, &rl_reader_xentrace, &rl_reader_feathertrace,
	&rl_reader_tracedat,   &rl_reader_ctf,	    &rl_reader_ftrace_text,
};

#define RL_NREADERS (sizeof(rl_readers) / sizeof(rl_readers[0]))

/**
 * rl_reader_at() - enumerate the readers
 * @i: index
 *
 * Return: the reader, or NULL past the end.
 */
const struct rl_reader_ops *rl_reader_at(size_t i)
{
	return i < RL_NREADERS ? rl_readers[i] : NULL;
}

/**
 * rl_reader_find() - look a reader up by name
 * @name: e.g. "sched_trace"
 *
 * Return: the reader or NULL.
 */
const struct rl_reader_ops *rl_reader_find(const char *name)
{
	size_t i;

	for (i = 0; i < RL_NREADERS; i++)
		if (!strcmp(rl_readers[i]->name, name))
			return rl_readers[i];
	return NULL;
}

/* The most confident reader for @in, and its confidence in *@conf. */
static const struct rl_reader_ops *rl_reader_best(const struct rl_input *in, int *conf)
{
	const struct rl_reader_ops *best = NULL;
	size_t i;

	*conf = 0;
	for (i = 0; i < RL_NREADERS; i++) {
		int c = rl_readers[i]->probe(in);

		if (c > *conf) {
			*conf = c;
			best = rl_readers[i];
		}
	}
	return best;
}

/**
 * rl_reader_detect() - pick the most confident reader for an input
 * @in: the loaded input
 *
 * Return: the reader or NULL when none recognises it.
 */
const struct rl_reader_ops *rl_reader_detect(const struct rl_input *in)
{
	int conf;

	return rl_reader_best(in, &conf);
}

/*
 * The reader of every input: @reader, or detected from each (they must
 * agree); *@conf: the lowest confidence (100 when @reader was given).
 */
static int rl_detect_all(struct rl_input *ins, size_t n, const struct rl_reader_ops **reader,
			 int *conf, struct rl_err *err)
{
	const struct rl_reader_ops *want = *reader;
	int given = want != NULL;
	size_t i;

	*conf = 100;
	if (!n)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "no input files");
	for (i = 0; i < n; i++) {
		const struct rl_reader_ops *rd = want;
		int c = 100;

		if (!given)
			rd = rl_reader_best(&ins[i], &c);
		if (!rd)
			return rl_err_set(err, -RL_E_FORMAT, ins[i].path, RL_OFF_NONE,
					  ins[i].len ? "unrecognised trace format"
						     : "empty file: no records");
		if (c < *conf)
			*conf = c;
		if (!want)
			want = rd;
		else if (rd != want)
			return rl_err_set(err, -RL_E_USAGE, ins[i].path, RL_OFF_NONE,
					  "looks like %s, but %s was read as %s; give files of "
					  "one format",
					  rd->name, ins[0].path, want->name);
	}
	*reader = want;
	return 0;
}

/**
 * rl_fileset_open() - load a file set once and find its reader and family
 * @fs:     filled (release with rl_fileset_close(), also on failure)
 * @paths:  the files (or directories, for CTF)
 * @n:      their number
 * @reader: reader to use, or NULL to detect it from every file
 * @opts:   reader options (max_inflate)
 * @err:    error out
 *
 * Empty files are left out (per-CPU sets of idle CPUs have them) and listed
 * in @fs->empty. Nothing is decoded yet; rl_fileset_cursors() does that.
 *
 * Return: 0, or a negative RL_E_* code.
 */
int rl_fileset_open(struct rl_fileset *fs, char *const *paths, size_t n,
		    const struct rl_reader_ops *reader, const struct rl_read_opts *opts,
		    struct rl_err *err)
{
	size_t i;
	int r;

	memset(fs, 0, sizeof(*fs));
	if (!n)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "no input files");
	fs->ins = calloc(n, sizeof(*fs->ins));
	fs->empty = calloc(n, sizeof(*fs->empty));
	if (!fs->ins || !fs->empty)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	for (i = 0; i < n; i++) {
		struct rl_input *in = &fs->ins[fs->n];

		r = rl_input_open(in, paths[i], opts, err);
		if (r < 0)
			return r;
		if (!in->is_dir && in->len == 0) {
			rl_input_close(in);
			fs->empty[fs->nempty++] = paths[i];
			continue;
		}
		fs->n++;
	}
	if (!fs->n)
		return rl_err_set(err, -RL_E_FORMAT, NULL, RL_OFF_NONE,
				  "no records: every input file is empty");
	r = rl_detect_all(fs->ins, fs->n, &reader, &fs->confidence, err);
	if (r < 0)
		return r;
	for (i = 0; reader == &rl_reader_ctf && i < fs->n; i++)
		if (fs->ins[i].is_dir && (r = rl_dir_check_mixed(fs->ins[i].path, err)) < 0)
			return r;
	fs->reader = reader;
	fs->family = reader->family;
	return 0;
}

/**
 * rl_fileset_cursors() - open a loaded file set with its reader
 * @fs:    the file set (its inputs stay open until the cursors are closed)
 * @t:     trace receiving sources, tasks and anomalies; its family is set
 * @opts:  reader options
 * @curs:  set to a malloc'ed array of cursors (the caller owns both)
 * @ncurs: set to their number
 * @err:   error out
 *
 * Files of several recordings are refused: by their key=value names, then
 * per-CPU files for one CPU, and, with several files, each cursor is
 * wrapped so that the rest is refused as the events stream
 * (rl_recordings_guard()), unless the reader refused them when it opened
 * the files (rl_reader_ops.mixed_at_open).
 *
 * Return: 0, or a negative RL_E_* code.
 */
int rl_fileset_cursors(struct rl_fileset *fs, struct rl_trace *t, const struct rl_read_opts *opts,
		       struct rl_cursor ***curs, size_t *ncurs, struct rl_err *err)
{
	size_t i;
	int r;

	*curs = NULL;
	*ncurs = 0;
	r = rl_recordings_check_names(fs->ins, fs->n, err);
	if (r < 0)
		return r;
	for (i = 0; i < fs->n; i++) {
		r = rl_trace_add_source(t, fs->ins[i].path, fs->reader->name, fs->ins[i].len);
		if (r < 0)
			return rl_err_set(err, r, fs->ins[i].path, RL_OFF_NONE,
					  "cannot register source");
		fs->ins[i].src = (uint16_t)r;
	}
	t->family = fs->family;
	r = fs->reader->open(fs->ins, fs->n, t, opts, curs, ncurs, err);
	if (r < 0)
		return r;
	/* a reader that checks at open (sched_trace) has made every check itself */
	r = fs->reader->mixed_at_open ? 0 : rl_recordings_check_streams(t, fs->ins, fs->n, err);
	if (r >= 0 && fs->n > 1 && !fs->reader->mixed_at_open)
		r = rl_recordings_guard(t, *curs, *ncurs, err);
	if (r < 0) {
		for (i = 0; i < *ncurs; i++)
			rl_cursor_close((*curs)[i]);
		free(*curs);
		*curs = NULL;
		*ncurs = 0;
	}
	return r;
}

/**
 * rl_fileset_merge() - open a loaded file set and merge its streams
 * @fs:   the file set (kept open by the caller until the merge is freed)
 * @t:    trace receiving sources, tasks and anomalies
 * @opts: reader options
 * @err:  error out
 *
 * Return: the merge, or NULL with @err set.
 */
struct rl_merge *rl_fileset_merge(struct rl_fileset *fs, struct rl_trace *t,
				  const struct rl_read_opts *opts, struct rl_err *err)
{
	struct rl_cursor **curs;
	struct rl_merge *m;
	size_t ncurs;

	if (rl_fileset_cursors(fs, t, opts, &curs, &ncurs, err) < 0)
		return NULL;
	m = rl_merge_new(t, curs, ncurs, err);
	free(curs);
	return m;
}

/**
 * rl_fileset_close() - close a file set's inputs
 * @fs: the file set (a zeroed one is a no-op)
 */
void rl_fileset_close(struct rl_fileset *fs)
{
	size_t i;

	for (i = 0; fs->ins && i < fs->n; i++)
		rl_input_close(&fs->ins[i]);
	free(fs->ins);
	free(fs->empty);
	memset(fs, 0, sizeof(*fs));
}

/**
 * rl_open_merge() - open a file set and merge its streams
 * @ins:    loaded inputs (kept open by the caller until the merge is freed)
 * @n:      number of inputs
 * @reader: reader to use, or NULL to detect it
 * @t:      trace receiving sources, tasks and anomalies
 * @opts:   reader options
 * @err:    error out
 *
 * The same checks as rl_fileset_open() and rl_fileset_cursors(), on inputs
 * the caller loaded.
 *
 * Return: the merge, or NULL with @err set.
 */
struct rl_merge *rl_open_merge(struct rl_input *ins, size_t n, const struct rl_reader_ops *reader,
			       struct rl_trace *t, const struct rl_read_opts *opts,
			       struct rl_err *err)
{
	struct rl_fileset fs = {.ins = ins, .n = n};

	if (rl_detect_all(ins, n, &reader, &fs.confidence, err) < 0)
		return NULL;
	fs.reader = reader;
	fs.family = reader->family;
	return rl_fileset_merge(&fs, t, opts, err);
}
