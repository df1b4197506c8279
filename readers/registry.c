/* readers/registry.c - the static table of readers, detection and opening. */
#include "readers.h"

#include <stdlib.h>
#include <string.h>

static const struct rl_reader_ops *const rl_readers[] = {
	&rl_reader_schedtrace,
	&rl_reader_xentrace,
	&rl_reader_feathertrace,
	&rl_reader_tracedat,
	&rl_reader_ctf,
	&rl_reader_ftrace_text,
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

/**
 * rl_reader_detect() - pick the most confident reader for an input
 * @in: the loaded input
 *
 * Return: the reader or NULL when none recognises it.
 */
const struct rl_reader_ops *rl_reader_detect(const struct rl_input *in)
{
	const struct rl_reader_ops *best = NULL;
	int bestc = 0;
	size_t i;

	for (i = 0; i < RL_NREADERS; i++) {
		int c = rl_readers[i]->probe(in);

		if (c > bestc) {
			bestc = c;
			best = rl_readers[i];
		}
	}
	return best;
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
 * Return: the merge, or NULL with @err set.
 */
struct rl_merge *rl_open_merge(struct rl_input *ins, size_t n, const struct rl_reader_ops *reader,
			       struct rl_trace *t, const struct rl_read_opts *opts,
			       struct rl_err *err)
{
	struct rl_cursor **curs = NULL;
	struct rl_merge *m;
	size_t ncurs = 0, i;
	int r;

	if (!n) {
		rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "no input files");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		const struct rl_reader_ops *rd = reader ? reader : rl_reader_detect(&ins[i]);

		if (!rd) {
			rl_err_set(err, -RL_E_FORMAT, ins[i].path, RL_OFF_NONE,
				   ins[i].len ? "unrecognised trace format"
					      : "empty file: no records");
			return NULL;
		}
		if (!reader)
			reader = rd;
		else if (rd != reader) {
			rl_err_set(err, -RL_E_USAGE, ins[i].path, RL_OFF_NONE,
				   "looks like %s, but %s was read as %s; give files of one format",
				   rd->name, ins[0].path, reader->name);
			return NULL;
		}
	}
	for (i = 0; i < n; i++) {
		r = rl_trace_add_source(t, ins[i].path, reader->name, ins[i].len);
		if (r < 0) {
			rl_err_set(err, r, ins[i].path, RL_OFF_NONE, "cannot register source");
			return NULL;
		}
		ins[i].src = (uint16_t)r;
	}
	r = reader->open(ins, n, t, opts, &curs, &ncurs, err);
	if (r < 0)
		return NULL;
	m = rl_merge_new(t, curs, ncurs, err);
	free(curs);
	return m;
}
