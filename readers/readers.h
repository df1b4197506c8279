/*
 * readers/ - turn trace files into per-CPU event cursors.
 *
 * A reader is a table of functions found through one static registry.
 * probe() looks at the first bytes and the path and returns a confidence;
 * open() takes every input of a file set that the reader claimed (per-CPU
 * files belong together) and returns one time-ordered cursor per stream.
 * Readers we write parse from in->buf / in->len only. No library type crosses
 * this header. A file set is loaded once (rl_fileset_open(), which answers
 * its reader and family before any record is decoded); files of several
 * recordings are refused when it is opened and read (recording.c).
 */
#ifndef RL_READERS_H
#define RL_READERS_H

#include "../model/model.h"

/**
 * struct rl_input - one input file, loaded
 * @path: as given by the user
 * @buf:  its bytes (decompressed if it was gzip or zstd); NULL for directories
 * @len:  number of bytes
 * @src:  source index in the trace (set by the caller before open())
 * @gz:   it was compressed: 1 gzip, 2 zstd
 * @is_dir: it is a directory (CTF)
 */
struct rl_input {
	const char *path;
	const uint8_t *buf;
	size_t len;
	uint16_t src;
	uint8_t gz;
	uint8_t is_dir;
	/* private to readers/input.c */
	void *map_;
	size_t map_len_;
	void *heap_;
};

/* Options every reader may look at; zero means "automatic". */
struct rl_read_opts {
	int st_format;	      /* sched_trace numbering: 0 auto, 2010, 2016 */
	uint64_t max_inflate; /* largest decompressed input, bytes (0: 16 GiB) */
	uint32_t max_ratio;   /* largest decompressed/compressed size ratio past 64 MiB (0: 200) */
	uint64_t cpu_hz;      /* xentrace: cycle counter rate; 0 = estimate from the trace */
	int xen_version;      /* xentrace payload layouts: 0 auto, else 100*major+minor (417) */
	uint32_t xen_mask;    /* xentrace: emit only events of these classes/subclasses, as
			       * xentrace -e masks (lost records always); 0 = all */
	int ft_layout;	      /* Feather-Trace layout: 0 current, 1 2012a, 2 2008 */
	int ft_order;	      /* Feather-Trace byte order: 0 detect, 1 LE, 2 BE */
	uint32_t ctf_index_secs; /* CTF: seconds libbabeltrace2 may take to index a trace's
				  * packets before the trace is refused (0: 30 + 1 per 16 MiB) */
};

struct rl_reader_ops {
	const char *name;
	const char *desc;
	enum rl_family family; /* the trace's family once this reader opened it */
	/* Return: 0 = not mine, 1..100 = confidence. Never allocates. */
	int (*probe)(const struct rl_input *in);
	/* open() refuses files of several recordings itself, every check (recording.c) */
	int mixed_at_open;
	/* Open a file set; on success *curs is a malloc'ed array of *ncurs cursors. */
	int (*open)(struct rl_input *ins, size_t n, struct rl_trace *t,
		    const struct rl_read_opts *opts, struct rl_cursor ***curs, size_t *ncurs,
		    struct rl_err *err);
};

extern const struct rl_reader_ops rl_reader_schedtrace;
extern const struct rl_reader_ops rl_reader_xentrace;
extern const struct rl_reader_ops rl_reader_feathertrace;
extern const struct rl_reader_ops rl_reader_tracedat;
extern const struct rl_reader_ops rl_reader_ctf;
extern const struct rl_reader_ops rl_reader_ftrace_text;

/* Return: the reader called @name, or NULL. */
const struct rl_reader_ops *rl_reader_find(const char *name);
/* Return: the most confident reader for @in, or NULL. */
const struct rl_reader_ops *rl_reader_detect(const struct rl_input *in);
/* Return: the i-th registered reader, NULL past the end. */
const struct rl_reader_ops *rl_reader_at(size_t i);

int rl_input_open(struct rl_input *in, const char *path, const struct rl_read_opts *opts,
		  struct rl_err *err);
void rl_input_close(struct rl_input *in);
/* Refuse a folder of trace files beside a CTF trace in a subfolder (part would be ignored). */
int rl_dir_check_mixed(const char *dir, struct rl_err *err);
/* Hint that bytes before @off will rarely be read again (mapped inputs drop them from RSS). */
void rl_input_drop_before(const struct rl_input *in, size_t off);
/* The same for [from, to) only (everything before @from already given back). */
void rl_input_drop_range(const struct rl_input *in, size_t from, size_t to);

/* ------------------------------------------------------------- file sets */

/**
 * struct rl_fileset - the inputs of one run, loaded once, with their reader
 * @ins:    the non-empty inputs, in the order given
 * @n:      their number
 * @empty:  paths of the empty files left out (idle CPUs; borrowed from the caller)
 * @nempty: their number
 * @reader: the reader that claimed every input
 * @family: its family: what a command dispatches on before reading a record
 * @confidence: the lowest probe confidence over the inputs (100 when the
 *          reader was given); 1 for a directory that is at best CTF
 */
struct rl_fileset {
	struct rl_input *ins;
	size_t n;
	const char **empty;
	size_t nempty;
	const struct rl_reader_ops *reader;
	enum rl_family family;
	int confidence;
};

int rl_fileset_open(struct rl_fileset *fs, char *const *paths, size_t n,
		    const struct rl_reader_ops *reader, const struct rl_read_opts *opts,
		    struct rl_err *err);
int rl_fileset_cursors(struct rl_fileset *fs, struct rl_trace *t, const struct rl_read_opts *opts,
		       struct rl_cursor ***curs, size_t *ncurs, struct rl_err *err);
struct rl_merge *rl_fileset_merge(struct rl_fileset *fs, struct rl_trace *t,
				  const struct rl_read_opts *opts, struct rl_err *err);
void rl_fileset_close(struct rl_fileset *fs);

/* ------------------------------------------------------------ recordings */

/* One recording of a file set, named from key=value file names (readers/recording.c). */
struct rl_recording {
	char *name;    /* "host=qemu_scheduler=GSN-EDF_trace=demo" */
	size_t nfiles; /* files of the set that belong to it */
};

struct rl_recording_list {
	struct rl_recording *v;
	uint32_t n, cap;
};

size_t rl_recording_name(const char *path, char *buf, size_t size, int *cpu, int *msg);
int rl_recordings_of(const struct rl_input *ins, size_t n, struct rl_recording_list *out,
		     struct rl_err *err);
void rl_recording_list_release(struct rl_recording_list *l);
/* The checks behind rl_fileset_*(): each fails with -RL_E_MIXED listing the recordings. */
int rl_recordings_check_names(const struct rl_input *ins, size_t n, struct rl_err *err);
int rl_recordings_check_streams(const struct rl_trace *t, const struct rl_input *ins, size_t n,
				struct rl_err *err);
int rl_recordings_guard(struct rl_trace *t, struct rl_cursor **curs, size_t n, struct rl_err *err);

/**
 * struct rl_rec_span - one stream's events as its reader found them at open, for (c)
 * @first:   earliest time of its timed events
 * @last:    latest time of its timed events
 * @end:     time of its last event: where the stream ends in the merge
 * @rank:    its cursor's rank
 * @src:     its source
 * @started: it has events
 * @timed:   some of them are timed
 */
struct rl_rec_span {
	int64_t first, last, end;
	uint32_t rank;
	uint16_t src;
	uint8_t started, timed;
};

/**
 * struct rl_rec_release - one sched_trace SYS_RELEASE record, for (b)
 * @ts:   its time
 * @rel:  the release time it announces
 * @rank: its cursor's rank
 * @seq:  its place in its stream among events of the same time
 * @src:  its source
 */
struct rl_rec_release {
	int64_t ts, rel;
	uint32_t rank, seq;
	uint16_t src;
};

/* (c) and (b) decided when the reader opens the files (rl_reader_ops.mixed_at_open). */
int rl_recordings_check_spans(const struct rl_trace *t, struct rl_rec_span *v, size_t n,
			      struct rl_err *err);
int rl_recordings_check_releases(const struct rl_trace *t, struct rl_rec_release *v, size_t n,
				 struct rl_err *err);

/*
 * Open a set of inputs with one reader (detected from the first input when
 * @reader is NULL; every input must then agree) and return a merge of all
 * their cursors. The inputs must stay open until the merge is freed.
 */
struct rl_merge *rl_open_merge(struct rl_input *ins, size_t n, const struct rl_reader_ops *reader,
			       struct rl_trace *t, const struct rl_read_opts *opts,
			       struct rl_err *err);

/* The inputs of one run: files as given, a folder standing for its trace files. */
struct rl_paths {
	char **paths;
	size_t n, cap;
};

int rl_paths_expand(struct rl_paths *p, char **args, int n, struct rl_err *err);
void rl_paths_release(struct rl_paths *p);

#endif /* RL_READERS_H */
