/* readers/input.c - load an input file: mmap, read, or decompress gzip (zlib) or zstd as a stream.
 */
#include "readers.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#define RL_DEFAULT_MAX_INFLATE (16ull << 30)
#define RL_DEFAULT_MAX_RATIO 200u
/* below this decompressed size the ratio is not judged (small files compress well) */
#define RL_RATIO_FLOOR (64ull << 20)
#define RL_SPILL_CHUNK (1u << 20)

/*
 * A compressed input is decompressed as a stream into an unnamed temporary
 * file (O_TMPFILE: it has no name, so nothing is left behind whatever ends
 * the process, SIGKILL included), which is then mapped like any input. The
 * readers keep parsing one byte range with random access (trace.dat's
 * per-CPU sections, the sched_trace prescan) and give the pages they are
 * done with back as they go (rl_input_drop_before()), so memory is that of
 * the uncompressed file's reading: bounded, whatever the decompressed size.
 * Disk use is bounded by --max-inflate, and a decompression bomb is refused
 * once it outgrows its compressed size more than --max-ratio times.
 */

/* One decompressor behind the spill: gzip (zlib) or zstd. */
struct rl_dec {
	int kind; /* 1 gzip, 2 zstd */
	z_stream zs;
	ZSTD_DStream *zd;
	int ended; /* the last gzip member or zstd frame is complete */
	int zinit; /* zs needs inflateEnd() */
};

static const char *rl_dec_name(const struct rl_dec *d)
{
	return d->kind == 1 ? "gzip" : "zstd";
}

/* Open an unnamed temporary file for the decompressed bytes. */
static int rl_spill_open(const char *path, struct rl_err *err)
{
	const char *dirs[3] = {getenv("TMPDIR"), "/var/tmp", "/tmp"};
	int i, fd = -1, e = 0;

	for (i = 0; i < 3 && fd < 0; i++) {
		if (!dirs[i] || !*dirs[i])
			continue;
#ifdef O_TMPFILE
		fd = open(dirs[i], O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
#endif
		if (fd < 0) {
			/* no O_TMPFILE here: a named file, unlinked at once */
			char *tmpl;

			if (asprintf(&tmpl, "%s/rtlens-inflate.XXXXXX", dirs[i]) < 0)
				return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE,
						  "out of memory");
			fd = mkostemp(tmpl, O_CLOEXEC);
			if (fd >= 0)
				unlink(tmpl);
			free(tmpl);
		}
		if (fd < 0)
			e = errno;
	}
	if (fd < 0)
		return rl_err_set(err, -RL_E_IO, path, RL_OFF_NONE,
				  "cannot create a temporary file for the decompressed data "
				  "($TMPDIR, /var/tmp, /tmp): %s",
				  strerror(e));
	return fd;
}

static int rl_write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/*
 * Decompress one chunk of input @src[*pos, len) into @out (capacity @cap);
 * *@got: bytes produced. Return: 0, 1 when the bytes left are not a
 * further gzip member (the end), or a negative RL_E_* code.
 */
static int rl_dec_step(struct rl_dec *d, const char *path, uint64_t base, const uint8_t *src,
		       size_t len, size_t *pos, uint8_t *out, size_t cap, size_t *got,
		       struct rl_err *err)
{
	*got = 0;
	if (d->kind == 1) {
		int zr;

		if (d->ended) {
			/* concatenated gzip members, as `cat a.gz b.gz` makes; else trailing bytes
			 * end it */
			if (len - *pos < 2 || src[*pos] != 0x1f || src[*pos + 1] != 0x8b)
				return 1;
			inflateReset(&d->zs);
			d->ended = 0;
		}
		d->zs.next_in = (Bytef *)(src + *pos);
		d->zs.avail_in = (uInt)(len - *pos);
		d->zs.next_out = out;
		d->zs.avail_out = (uInt)cap;
		zr = inflate(&d->zs, Z_NO_FLUSH);
		*got = cap - d->zs.avail_out;
		*pos = (size_t)((const uint8_t *)d->zs.next_in - src);
		if (zr == Z_STREAM_END)
			d->ended = 1;
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			return rl_err_set(err, -RL_E_CORRUPT, path, base + *pos,
					  "corrupt gzip data: %s",
					  d->zs.msg ? d->zs.msg : "inflate failed");
		return 0;
	} else {
		/* 64 KiB at a time, so that an error is located within 64 KiB */
		ZSTD_inBuffer ib = {src, len - *pos > 65536 ? *pos + 65536 : len, *pos};
		ZSTD_outBuffer ob = {out, cap, 0};
		size_t zr = ZSTD_decompressStream(d->zd, &ob, &ib), was = *pos;

		*got = ob.pos;
		*pos = ib.pos;
		if (ZSTD_isError(zr))
			return rl_err_set(err, -RL_E_CORRUPT, path, base + *pos,
					  "corrupt zstd data: %s", ZSTD_getErrorName(zr));
		/* a call with nothing in and nothing out says nothing about the frame */
		if (ob.pos || ib.pos != was)
			d->ended = zr == 0;
		return 0;
	}
}

/* Set up @d for @kind (1 gzip/zlib, else zstd). */
static int rl_dec_init(struct rl_dec *d, int kind, const char *path, struct rl_err *err)
{
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	if (kind == 1) {
		if (inflateInit2(&d->zs, 15 + 32) != Z_OK)
			return rl_err_set(err, -RL_E_LIB, path, 0,
					  "zlib: cannot initialise inflate");
		d->zinit = 1;
		return 0;
	}
	d->zd = ZSTD_createDStream();
	if (!d->zd || ZSTD_isError(ZSTD_initDStream(d->zd)))
		return rl_err_set(err, -RL_E_LIB, path, 0, "zstd: cannot initialise decompression");
	return 0;
}

/*
 * @got more bytes out after @in bytes in: within --max-inflate and
 * --max-ratio? Adds @got to *@total.
 */
static int rl_dec_limits(const struct rl_dec *d, const char *path, uint64_t *total, size_t got,
			 uint64_t in, uint64_t max, uint64_t ratio, struct rl_err *err)
{
	if (got > max - *total)
		return rl_err_set(err, -RL_E_CORRUPT, path, in,
				  "decompressed size exceeds %llu bytes (--max-inflate)",
				  (unsigned long long)max);
	*total += got;
	if (*total > RL_RATIO_FLOOR && *total / ratio > in)
		return rl_err_set(err, -RL_E_CORRUPT, path, in,
				  "%s data decompresses to more than %llu times its size "
				  "(%llu bytes from %llu; a decompression bomb?); --max-ratio "
				  "raises the limit",
				  rl_dec_name(d), (unsigned long long)ratio,
				  (unsigned long long)*total, (unsigned long long)in);
	return 0;
}

/* The @total decompressed bytes in temporary file @sp as @in's buffer: mapped, or read. */
static int rl_inflated_map(struct rl_input *in, int sp, uint64_t total, struct rl_err *err)
{
	uint8_t *h;
	size_t at = 0;
#ifndef RL_NO_MMAP
	void *p = mmap(NULL, (size_t)total, PROT_READ, MAP_PRIVATE, sp, 0);

	if (p != MAP_FAILED) {
		in->map_ = p;
		in->map_len_ = (size_t)total;
		in->buf = p;
		madvise(p, (size_t)total, MADV_SEQUENTIAL);
		return 0;
	}
#endif
	/* sanitizer builds read inputs into memory, so that every access is checked */
	h = malloc((size_t)total);
	if (!h)
		return rl_err_set(err, -RL_E_NOMEM, in->path, RL_OFF_NONE,
				  "cannot allocate %llu bytes", (unsigned long long)total);
	while (at < total) {
		ssize_t k = pread(sp, h + at, (size_t)total - at, (off_t)at);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			free(h);
			return rl_err_set(err, -RL_E_IO, in->path, RL_OFF_NONE,
					  "cannot read the decompressed data back: %s",
					  k < 0 ? strerror(errno) : "temporary file shrank");
		}
		at += (size_t)k;
	}
	in->heap_ = h;
	in->buf = h;
	return 0;
}

/*
 * Decompress @fd (a regular file of @size bytes whose first bytes are a gzip
 * or zstd magic, @kind) into an unnamed temporary file and map that as @in.
 */
static int rl_inflate(struct rl_input *in, int fd, uint64_t size, int kind,
		      const struct rl_read_opts *opts, struct rl_err *err)
{
	uint64_t max = opts && opts->max_inflate ? opts->max_inflate : RL_DEFAULT_MAX_INFLATE;
	uint64_t ratio = opts && opts->max_ratio ? opts->max_ratio : RL_DEFAULT_MAX_RATIO;
	uint64_t base = 0, total = 0;
	struct rl_dec d;
	uint8_t *ibuf = NULL, *obuf = NULL;
	size_t ilen = 0, ipos = 0;
	int sp = -1, ret = 0, eof = 0;

	if (rl_dec_init(&d, kind, in->path, err))
		return err->code;
	ibuf = malloc(RL_SPILL_CHUNK);
	obuf = malloc(RL_SPILL_CHUNK);
	if (!ibuf || !obuf) {
		ret = rl_err_set(err, -RL_E_NOMEM, in->path, RL_OFF_NONE, "out of memory");
		goto out;
	}
	sp = rl_spill_open(in->path, err);
	if (sp < 0) {
		ret = sp;
		goto out;
	}
	for (;;) {
		size_t got;
		int need;

		need = ipos == ilen || (d.kind == 1 && d.ended && ilen - ipos < 2);
		if (need && !eof) {
			ssize_t k;

			/* keep the bytes not consumed yet (a gzip magic cut by the chunk) */
			memmove(ibuf, ibuf + ipos, ilen - ipos);
			base += ipos;
			ilen -= ipos;
			ipos = 0;
			k = read(fd, ibuf + ilen, RL_SPILL_CHUNK - ilen);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				ret = rl_err_set(err, -RL_E_IO, in->path, base + ilen,
						 "cannot read: %s", strerror(errno));
				goto out;
			}
			ilen += (size_t)k;
			eof = k == 0;
		}
		ret = rl_dec_step(&d, in->path, base, ibuf, ilen, &ipos, obuf, RL_SPILL_CHUNK, &got,
				  err);
		if (ret < 0)
			goto out;
		if (rl_dec_limits(&d, in->path, &total, got, base + ipos, max, ratio, err)) {
			ret = err->code;
			goto out;
		}
		if (got && rl_write_all(sp, obuf, got) < 0) {
			ret = rl_err_set(
				err, -RL_E_IO, in->path, base + ipos,
				"cannot write the decompressed data to a temporary file: %s",
				strerror(errno));
			goto out;
		}
		if (ret > 0) {
			ret = 0; /* trailing bytes after the last gzip member: ignored, as gzip -d
				    does */
			break;
		}
		/* all input given and nothing more comes out: the end */
		if (eof && ipos == ilen && !got)
			break;
	}
	if (!d.ended) {
		ret = rl_err_set(err, -RL_E_TRUNCATED, in->path, size,
				 "%s stream ends early (truncated file?)", rl_dec_name(&d));
		goto out;
	}
	in->gz = (uint8_t)kind;
	in->len = (size_t)total;
	if (!total)
		goto out;
	ret = rl_inflated_map(in, sp, total, err);
out:
	if (d.zinit)
		inflateEnd(&d.zs);
	ZSTD_freeDStream(d.zd);
	free(ibuf);
	free(obuf);
	if (sp >= 0)
		close(sp); /* the mapping keeps the file; unmapping frees it */
	if (ret < 0) {
		in->buf = NULL;
		in->len = 0;
		in->gz = 0;
	}
	return ret;
}

/**
 * rl_input_open() - load an input file
 * @in:   filled on success
 * @path: file (or directory, for formats stored as directories)
 * @opts: options (max_inflate, max_ratio)
 * @err:  error out
 *
 * Regular files are mapped (read into memory when built with RL_NO_MMAP,
 * as under sanitizers); gzip and zstd files are decompressed as a stream
 * into an unnamed temporary file, which is mapped (see above).
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_input_open(struct rl_input *in, const char *path, const struct rl_read_opts *opts,
		  struct rl_err *err)
{
	static const uint8_t zst_magic[4] = {0x28, 0xb5, 0x2f, 0xfd};
	uint8_t head[4] = {0, 0, 0, 0};
	struct stat st;
	void *p = NULL;
	int fd, r;

	memset(in, 0, sizeof(*in));
	in->path = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rl_err_set(err, -RL_E_IO, path, RL_OFF_NONE, "cannot open: %s",
				  strerror(errno));
	if (fstat(fd, &st) < 0) {
		r = rl_err_set(err, -RL_E_IO, path, RL_OFF_NONE, "cannot stat: %s",
			       strerror(errno));
		close(fd);
		return r;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		in->is_dir = 1;
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return rl_err_set(err, -RL_E_IO, path, RL_OFF_NONE, "not a regular file");
	}
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	if (pread(fd, head, sizeof(head), 0) < 0) {
		r = rl_err_set(err, -RL_E_IO, path, 0, "cannot read: %s", strerror(errno));
		close(fd);
		return r;
	}
	if ((st.st_size >= 2 && head[0] == 0x1f && head[1] == 0x8b) ||
	    (st.st_size >= 4 && !memcmp(head, zst_magic, 4))) {
		r = rl_inflate(in, fd, (uint64_t)st.st_size, head[0] == 0x1f ? 1 : 2, opts, err);
		close(fd);
		return r;
	}
#ifndef RL_NO_MMAP
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		p = NULL;
	else {
		in->map_ = p;
		in->map_len_ = (size_t)st.st_size;
		madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
	}
#endif
	if (!p) {
		size_t got = 0;

		p = malloc((size_t)st.st_size);
		if (!p) {
			close(fd);
			return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE,
					  "cannot allocate %lld bytes", (long long)st.st_size);
		}
		while (got < (size_t)st.st_size) {
			ssize_t k = read(fd, (char *)p + got, (size_t)st.st_size - got);

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0) {
				free(p);
				close(fd);
				return rl_err_set(err, -RL_E_IO, path, got, "cannot read: %s",
						  k < 0 ? strerror(errno) : "file shrank");
			}
			got += (size_t)k;
		}
		in->heap_ = p;
	}
	close(fd);
	in->buf = p;
	in->len = (size_t)st.st_size;
	return 0;
}

/**
 * rl_input_close() - release an input's memory
 * @in: the input (a zeroed input is a no-op)
 */
void rl_input_close(struct rl_input *in)
{
	if (in->map_)
		munmap(in->map_, in->map_len_);
	free(in->heap_);
	memset(in, 0, sizeof(*in));
}

/**
 * rl_input_drop_before() - give the pages of a mapped input back to the kernel
 * @in:  the input
 * @off: bytes before this offset (rounded down to a page) are dropped
 *
 * The mapping stays valid: a later access reads the page again from the
 * page cache. Inputs held in memory (gzip, or RL_NO_MMAP) are left alone.
 */
void rl_input_drop_before(const struct rl_input *in, size_t off)
{
	size_t pg = 4096, len;

	if (!in || !in->map_ || in->buf != in->map_)
		return;
	if (off > in->map_len_)
		off = in->map_len_;
	len = off & ~(pg - 1);
	if (len)
		madvise(in->map_, len, MADV_DONTNEED);
}

/**
 * rl_input_drop_range() - give back the pages of [@from, @to) of a mapped input
 * @in:   the input
 * @from: start (rounded down to a page)
 * @to:   end (rounded down to a page)
 *
 * As rl_input_drop_before(), for a caller that already gave back everything
 * before @from: the pages released earlier are not walked again.
 */
void rl_input_drop_range(const struct rl_input *in, size_t from, size_t to)
{
	size_t pg = 4096;

	if (!in || !in->map_ || in->buf != in->map_)
		return;
	if (to > in->map_len_)
		to = in->map_len_;
	from &= ~(pg - 1);
	to &= ~(pg - 1);
	if (to > from)
		madvise((char *)in->map_ + from, to - from, MADV_DONTNEED);
}

/* ------------------------------------------------------- run folders */

static int rl_paths_add(struct rl_paths *p, char *s, struct rl_err *err)
{
	if (!s)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		char **np = realloc(p->paths, cap * sizeof(*np));

		if (!np) {
			free(s);
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		}
		p->paths = np;
		p->cap = cap;
	}
	p->paths[p->n++] = s;
	return 0;
}

/* Not a trace: notes, scripts and results next to the traces of a run folder. */
static int rl_paths_skip(const char *name)
{
	static const char *const ext[] = {".txt", ".py", ".md", ".log", ".csv", ".json", ".db"};
	size_t n = strlen(name), i;

	if (name[0] == '.')
		return 1;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t k = strlen(ext[i]);

		if (n >= k && !strcmp(name + n - k, ext[i]))
			return 1;
	}
	return 0;
}

static int rl_paths_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether @dir or a folder below it holds a CTF `metadata` file; *@where: the first such folder. */
static int rl_dir_ctf_below(const char *dir, int depth, char **where)
{
	struct dirent *de;
	struct stat st;
	char *p;
	DIR *d;
	int found = 0;

	if (asprintf(&p, "%s/metadata", dir) < 0)
		return 0;
	if (!stat(p, &st) && S_ISREG(st.st_mode)) {
		free(p);
		*where = strdup(dir);
		return *where != NULL;
	}
	free(p);
	if (depth >= 8 || !(d = opendir(dir)))
		return 0;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0)
			break;
		if (!stat(p, &st) && S_ISDIR(st.st_mode))
			found = rl_dir_ctf_below(p, depth + 1, where);
		free(p);
	}
	closedir(d);
	return found;
}

/**
 * rl_dir_check_mixed() - refuse a folder of trace files beside a CTF trace in a subfolder
 * @dir: a folder given as an input
 * @err: error out
 *
 * One command reads one format: read as CTF, such a folder would leave its
 * files out; expanded to its files, it would leave the CTF trace out. Either
 * way, part of the input would be ignored without a word.
 *
 * Return: 0, or -RL_E_FORMAT naming a file and the CTF folder.
 */
int rl_dir_check_mixed(const char *dir, struct rl_err *err)
{
	struct dirent *de;
	struct stat st;
	char *p, *first = NULL, *ctf = NULL;
	size_t nfiles = 0;
	DIR *d;
	int r = 0;

	if (asprintf(&p, "%s/metadata", dir) < 0)
		return rl_err_set(err, -RL_E_NOMEM, dir, RL_OFF_NONE, "out of memory");
	r = stat(p, &st);
	free(p);
	if (!r)
		return 0; /* a CTF trace itself: the files beside metadata are its streams */
	r = 0;
	d = opendir(dir);
	if (!d)
		return 0; /* said by whoever reads it */
	while ((de = readdir(d))) {
		if (rl_paths_skip(de->d_name))
			continue;
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0)
			break;
		if (!stat(p, &st) && S_ISREG(st.st_mode)) {
			if (!nfiles++)
				first = strdup(de->d_name);
		} else if (!ctf && !stat(p, &st) && S_ISDIR(st.st_mode)) {
			rl_dir_ctf_below(p, 1, &ctf);
		}
		free(p);
	}
	closedir(d);
	if (nfiles && ctf)
		r = rl_err_set(err, -RL_E_FORMAT, dir, RL_OFF_NONE,
			       "holds %zu trace file%s (%s%s) beside the CTF trace %s; one command "
			       "reads one format, so part would be ignored: give them to separate "
			       "commands",
			       nfiles, nfiles > 1 ? "s" : "", first ? first : "?",
			       nfiles > 1 ? ", ..." : "", ctf);
	free(first);
	free(ctf);
	return r;
}

/* @dir's trace files in name order, or @dir itself when it is a CTF trace. */
static int rl_paths_dir(struct rl_paths *p, const char *dir, struct rl_err *err)
{
	size_t first = p->n;
	struct dirent *de;
	struct stat st;
	char *meta;
	DIR *d;
	int r = 0;

	if (asprintf(&meta, "%s/metadata", dir) < 0)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	r = stat(meta, &st);
	free(meta);
	if (!r)
		return rl_paths_add(p, strdup(dir), err);
	r = rl_dir_check_mixed(dir, err);
	if (r < 0)
		return r;
	d = opendir(dir);
	if (!d)
		return rl_err_set(err, -RL_E_IO, dir, RL_OFF_NONE, "cannot read the directory: %s",
				  strerror(errno));
	while (!r && (de = readdir(d))) {
		char *s;

		if (rl_paths_skip(de->d_name))
			continue;
		if (asprintf(&s, "%s/%s", dir, de->d_name) < 0)
			s = NULL;
		if (s && (stat(s, &st) || !S_ISREG(st.st_mode))) {
			free(s);
			continue;
		}
		r = rl_paths_add(p, s, err);
	}
	closedir(d);
	if (r < 0)
		return r;
	/* no files of its own: a CTF trace with its metadata further down, or nothing */
	if (p->n == first)
		return rl_paths_add(p, strdup(dir), err);
	qsort(p->paths + first, p->n - first, sizeof(*p->paths), rl_paths_cmp);
	return 0;
}

/**
 * rl_paths_expand() - the inputs of one run, a folder standing for its trace files
 * @p:    filled (release with rl_paths_release(), also on failure)
 * @args: paths as given: files, or folders of a run
 * @n:    their number
 * @err:  error out
 *
 * A folder stands for its regular files in name order, leaving out hidden
 * files and notes, scripts and results (.txt .py .md .log .csv .json .db);
 * a folder with a CTF `metadata` file, or with no files of its own, is one
 * input (a CTF trace).
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_paths_expand(struct rl_paths *p, char **args, int n, struct rl_err *err)
{
	struct stat st;
	int i, r;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < n; i++) {
		if (!stat(args[i], &st) && S_ISDIR(st.st_mode))
			r = rl_paths_dir(p, args[i], err);
		else
			r = rl_paths_add(p, strdup(args[i]), err);
		if (r < 0)
			return r;
	}
	return 0;
}

/**
 * rl_paths_release() - free the paths of rl_paths_expand()
 * @p: the list (zeroed afterwards)
 */
void rl_paths_release(struct rl_paths *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->paths[i]);
	free(p->paths);
	memset(p, 0, sizeof(*p));
}
