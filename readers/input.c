/* readers/input.c - load an input file: mmap, read, or inflate gzip with zlib. */
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

#define RL_DEFAULT_MAX_INFLATE (16ull << 30)

static int rl_inflate(struct rl_input *in, const uint8_t *src, size_t len, uint64_t max,
		      struct rl_err *err)
{
	z_stream zs;
	uint8_t *out = NULL, *p;
	size_t cap = len * 4 + 4096, used = 0;
	int zr, ret = 0;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 32) != Z_OK)
		return rl_err_set(err, -RL_E_LIB, in->path, 0, "zlib: cannot initialise inflate");
	if (cap > max)
		cap = (size_t)max + 1;
	out = malloc(cap);
	if (!out) {
		ret = rl_err_set(err, -RL_E_NOMEM, in->path, 0, "cannot allocate %zu bytes", cap);
		goto out;
	}
	zs.next_in = (Bytef *)src;
	for (;;) {
		size_t chunk_in = len - (size_t)((const uint8_t *)zs.next_in - src);

		zs.avail_in = chunk_in > (1u << 30) ? (1u << 30) : (uInt)chunk_in;
		if (used == cap) {
			size_t ncap = cap * 2;

			if (cap > max) {
				ret = rl_err_set(
					err, -RL_E_CORRUPT, in->path, 0,
					"decompressed size exceeds %llu bytes (--max-inflate)",
					(unsigned long long)max);
				goto out;
			}
			if (ncap > max + 1)
				ncap = (size_t)max + 1;
			p = realloc(out, ncap);
			if (!p) {
				ret = rl_err_set(err, -RL_E_NOMEM, in->path, 0,
						 "cannot allocate %zu bytes", ncap);
				goto out;
			}
			out = p;
			cap = ncap;
		}
		zs.next_out = out + used;
		zs.avail_out = (cap - used) > (1u << 30) ? (1u << 30) : (uInt)(cap - used);
		zr = inflate(&zs, Z_NO_FLUSH);
		used = (size_t)(zs.next_out - out);
		if (zr == Z_STREAM_END) {
			size_t rest = len - (size_t)((const uint8_t *)zs.next_in - src);

			/* concatenated gzip members, as `cat a.gz b.gz` makes */
			if (rest >= 2 && zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b) {
				inflateReset(&zs);
				continue;
			}
			break;
		}
		if (zr == Z_BUF_ERROR && zs.avail_in == 0 &&
		    (const uint8_t *)zs.next_in == src + len) {
			ret = rl_err_set(err, -RL_E_TRUNCATED, in->path, len,
					 "gzip stream ends early (truncated file?)");
			goto out;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			ret = rl_err_set(err, -RL_E_CORRUPT, in->path,
					 (uint64_t)((const uint8_t *)zs.next_in - src),
					 "corrupt gzip data: %s",
					 zs.msg ? zs.msg : "inflate failed");
			goto out;
		}
		if (used > max) {
			ret = rl_err_set(err, -RL_E_CORRUPT, in->path, 0,
					 "decompressed size exceeds %llu bytes (--max-inflate)",
					 (unsigned long long)max);
			goto out;
		}
	}
	in->heap_ = out;
	in->buf = out;
	in->len = used;
	in->gz = 1;
	out = NULL;
out:
	inflateEnd(&zs);
	free(out);
	return ret;
}

/**
 * rl_input_open() - load an input file
 * @in:   filled on success
 * @path: file (or directory, for formats stored as directories)
 * @opts: options (max_inflate)
 * @err:  error out
 *
 * Regular files are mapped (read into memory when built with RL_NO_MMAP,
 * as under sanitizers); gzip files are inflated into memory.
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_input_open(struct rl_input *in, const char *path, const struct rl_read_opts *opts,
		  struct rl_err *err)
{
	struct stat st;
	void *p = NULL;
	int fd, r;
	uint64_t max = opts && opts->max_inflate ? opts->max_inflate : RL_DEFAULT_MAX_INFLATE;

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
	if (in->len >= 2 && in->buf[0] == 0x1f && in->buf[1] == 0x8b) {
		const uint8_t *src = in->buf;
		size_t len = in->len;
		void *map = in->map_, *heap = in->heap_;
		size_t map_len = in->map_len_;

		in->map_ = in->heap_ = NULL;
		r = rl_inflate(in, src, len, max, err);
		if (map)
			munmap(map, map_len);
		free(heap);
		if (r < 0) {
			in->buf = NULL;
			in->len = 0;
			return r;
		}
	}
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
	r = 0;
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
