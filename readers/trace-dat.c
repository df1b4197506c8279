/*
 * readers/trace-dat.c - trace-cmd trace.dat files, versions 6 and 7.
 *
 * The container (initial header, v6 sequential metadata, v7 sections and
 * options chain, zlib/zstd compressed sections and per-CPU chunks, buffer
 * instances, clock options) is parsed here from in->buf. Event formats and
 * ring-buffer pages are libtraceevent's job: format files go to
 * tep_parse_event(), pages are walked with kbuffer, fields located through
 * struct tep_format_field. One cursor per CPU of every buffer instance.
 *
 * The top-level buffer (instance "", or the first one when there is none)
 * feeds the scheduling model; events of other instances are carried as
 * RL_EV_OTHER named "INSTANCE:event", as `trace-cmd report` prints them, so
 * that a second copy of sched_switch does not double the schedule.
 *
 * Pages are copied into a buffer with slack before kbuffer sees them, their
 * commit size is checked against the page, and their raw entries are walked
 * once with kbuffer_raw_get(): a page that would make kbuffer read outside
 * it or loop is cut at the first bad entry and counted as garbage.
 */
#include "linux.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>
#include <traceevent/trace-seq.h>
#include <zlib.h>
#include <zstd.h>

#define TD_MAGIC "\x17\x08\x44tracing"
#define TD_MAGIC_LEN 10
#define TD_PAGE_SLACK 64
#define TD_MAX_CHUNK (256u << 20) /* largest decompressed flyrecord chunk */
#define TD_MAX_SECTIONS 4096
#define TD_STATE_CACHE 64
#define TD_DROP_STEP (1u << 20) /* CPU data read between giving pages back */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TD_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TD_ASAN 1
#endif
#ifdef TD_ASAN
/*
 * libtraceevent 1.7.1 leaks a few bytes (a strdup in its print-format
 * parser) on some old kernels' format files (LISA's 4.x trace); that leak is
 * not ours, so LeakSanitizer is told to ignore the library.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libtraceevent.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

enum td_comp { TD_COMP_NONE, TD_COMP_ZLIB, TD_COMP_ZSTD };
enum td_clock { TD_CLOCK_NS, TD_CLOCK_TSC, TD_CLOCK_COUNTER };

/* option / section ids */
enum {
	TD_OPT_DONE = 0,
	TD_OPT_DATE = 1,
	TD_OPT_BUFFER = 3,
	TD_OPT_TRACECLOCK = 4,
	TD_OPT_OFFSET = 7,
	TD_OPT_CPUCOUNT = 8,
	TD_OPT_TIME_SHIFT = 12,
	TD_OPT_TSC2NSEC = 14,
	TD_SEC_HEADER_INFO = 16,
	TD_SEC_FTRACE_EVENTS = 17,
	TD_SEC_EVENT_FORMATS = 18,
	TD_SEC_KALLSYMS = 19,
	TD_SEC_PRINTK = 20,
	TD_SEC_CMDLINES = 21,
	TD_OPT_BUFFER_TEXT = 22,
};

/* A bounded reader over a byte range (file or decompressed section). */
struct td_rd {
	const uint8_t *p;
	size_t len, pos;
	uint64_t foff; /* file offset of p[0], or RL_OFF_NONE if decompressed */
	uint64_t soff; /* file offset of the section, for errors in decompressed data */
	uint8_t *own;  /* decompressed bytes to free */
};

struct td_cpu {
	uint32_t cpu;
	uint64_t off, size;
};

struct td_buffer {
	char *name;
	int clock;
	int compressed;
	uint32_t page_size;
	struct td_cpu *cpus;
	uint32_t ncpus;
	uint32_t *names; /* event id -> name string id for this buffer (lazily) */
	int primary;
};

/* Fields each kind needs, by position in td_ev.f */
static const char *const td_fields[][8] = {
	[RL_LX_SWITCH] = {"prev_comm", "prev_pid", "prev_prio", "prev_state", "next_comm",
			  "next_pid", "next_prio"},
	[RL_LX_WAKEUP] = {"comm", "pid", "prio", "target_cpu"},
	[RL_LX_WAKING] = {"comm", "pid", "prio", "target_cpu"},
	[RL_LX_MIGRATE] = {"comm", "pid", "prio", "orig_cpu", "dest_cpu"},
	[RL_LX_FORK] = {"child_comm", "child_pid"},
	[RL_LX_EXEC] = {"filename", "pid"},
	[RL_LX_EXIT] = {"comm", "pid"},
	[RL_LX_IRQ_ENTRY] = {"irq"},
	[RL_LX_IRQ_EXIT] = {"irq"},
	[RL_LX_SOFT_ENTRY] = {"vec"},
	[RL_LX_SOFT_EXIT] = {"vec"},
	[RL_LX_VEC_ENTRY] = {"vector"},
	[RL_LX_VEC_EXIT] = {"vector"},
	[RL_LX_PI_SETPRIO] = {"pid", "newprio"},
	/* the osnoise / timerlat / hwlat records: rtm.a, rtm.b, rtm.c, then who */
	[RL_LX_TIMERLAT] = {"timer_latency", "context", "seqnum"},
	[RL_LX_IRQ_NOISE] = {"start", "duration", "vector"},
	[RL_LX_SOFT_NOISE] = {"start", "duration", "vector"},
	[RL_LX_THREAD_NOISE] = {"start", "duration", "", "pid", "comm"},
	[RL_LX_NMI_NOISE] = {"start", "duration"},
	[RL_LX_THRESHOLD] = {"start", "duration", "interference"},
	[RL_LX_OSNOISE] = {"noise", "max_sample", "runtime"},
	[RL_LX_HWLAT] = {"duration", "outer_duration", "seqnum"},
	[RL_LX_IPI_SEND] = {"cpu", "callback"},
	[RL_LX_IPI_SEND_MASK] = {"cpumask", "callback"},
	[RL_LX_IPI_ENTRY] = {NULL},
};
/* fields that may be missing without demoting the event to OTHER */
#define TD_OPTIONAL(kind, i) (((kind) == RL_LX_WAKEUP || (kind) == RL_LX_WAKING) && (i) == 3)

/*
 * Where a field of the records sits, taken once from its struct
 * tep_format_field so that decoding a record reads no format structure.
 */
struct td_fld {
	uint32_t off;
	uint32_t end;	  /* off + size; UINT32_MAX: missing or unusable (size <= 0) */
	uint64_t signbit; /* signed field narrower than 8 bytes: its sign bit, else 0 */
	uint32_t size;	  /* the field's bytes (strings) */
	uint8_t n;	  /* bytes read as a number: size, at most 8 */
	uint8_t dyn, rel; /* __data_loc / __rel_loc string */
};

struct td_ev {
	struct tep_event *ev;
	struct tep_format_field *f[8];
	struct td_fld fd[8]; /* f[] as descriptors */
	uint32_t name;	     /* string id in the primary buffer */
	uint8_t kind;
};

struct td_state {
	int64_t val;
	uint8_t blocked, dead;
};

struct td_cmdline {
	int32_t pid;
	uint32_t name;
};

struct td_file {
	int refs;
	struct rl_trace *t;
	struct tep_handle *tep;
	const char *path;
	const struct rl_input *in; /* open as long as the cursors: pages are given back */
	const uint8_t *buf;
	size_t len;
	uint64_t max_inflate;
	uint16_t src;
	int version, big, file_long, kern_long, comp;
	uint32_t page_size, ncpus;
	struct td_ev *evs; /* indexed by event id */
	uint32_t nevs;
	struct tep_format_field *f_type, *f_pid;
	struct td_fld fd_type, fd_pid;
	int swap; /* the file's byte order is not the host's */
	struct rl_lx lx;
	int64_t ts_offset;
	int have_tsc2nsec;
	uint32_t mult, shift;
	struct td_buffer *bufs;
	uint32_t nbufs;
	struct td_cmdline *cmdl;
	uint32_t ncmdl, cap_cmdl;
	struct trace_seq seq;
	int seq_ok;
	struct td_state states[TD_STATE_CACHE];
	uint32_t nstates;
	uint32_t lost_name, unknown_name;
	char *clock6; /* v6 clock text */
	int have_clock_opt;
};

struct td_cursor {
	struct rl_cursor base;
	struct td_file *f;
	struct td_buffer *b;
	uint32_t cpu;
	struct kbuffer *kb;
	uint64_t end, pos; /* this CPU's data range; next page or chunk */
	uint64_t dropped;  /* file bytes of the range before this went back to the kernel */
	uint64_t page_foff;
	uint32_t chunks_left;
	int chunk_init;
	uint8_t *chunk;
	size_t chunk_len, chunk_cap, chunk_pos;
	uint8_t *page;
	int in_page;
	ZSTD_DCtx *zd;
	struct rl_event q[3];
	int64_t prev_ts; /* time of this cpu's previous event */
	int have_prev;
	int nq, qpos;
	uint32_t page_start, page_size_data;
};

/* ------------------------------------------------------------ numbers */

static uint64_t td_num(const struct td_file *f, const uint8_t *p, int size)
{
	uint64_t v = 0;
	int i;

	if (f->big)
		for (i = 0; i < size; i++)
			v = (v << 8) | p[i];
	else
		for (i = size - 1; i >= 0; i--)
			v = (v << 8) | p[i];
	return v;
}

/* A field's value as td_num() reads it: one load for the usual widths. */
static inline uint64_t td_load(const struct td_file *f, const uint8_t *p, unsigned n)
{
	uint16_t v2;
	uint32_t v4;
	uint64_t v8;

	switch (n) {
	case 1:
		return p[0];
	case 2:
		memcpy(&v2, p, 2);
		return f->swap ? __builtin_bswap16(v2) : v2;
	case 4:
		memcpy(&v4, p, 4);
		return f->swap ? __builtin_bswap32(v4) : v4;
	case 8:
		memcpy(&v8, p, 8);
		return f->swap ? __builtin_bswap64(v8) : v8;
	default:
		return td_num(f, p, (int)n);
	}
}

/* The descriptor of @fl (NULL: a field the record never has). */
static void td_fld_set(struct td_fld *d, const struct tep_format_field *fl)
{
	memset(d, 0, sizeof(*d));
	d->end = UINT32_MAX;
	if (!fl || fl->offset < 0 || fl->size <= 0)
		return;
	d->off = (uint32_t)fl->offset;
	d->size = (uint32_t)fl->size;
	d->end = d->off + d->size;
	d->n = (uint8_t)(fl->size > 8 ? 8 : fl->size);
	if ((fl->flags & TEP_FIELD_IS_SIGNED) && d->n < 8)
		d->signbit = 1ull << (d->n * 8 - 1);
	d->dyn = (fl->flags & TEP_FIELD_IS_DYNAMIC) != 0;
	d->rel = (fl->flags & TEP_FIELD_IS_RELATIVE) != 0;
}

static uint64_t td_rd_off(const struct td_rd *r)
{
	return r->foff != RL_OFF_NONE ? r->foff + r->pos : r->soff;
}

static int td_need(struct td_file *f, struct td_rd *r, size_t n, const char *what,
		   struct rl_err *err)
{
	if (r->len - r->pos >= n)
		return 0;
	return rl_err_set(err, -RL_E_TRUNCATED, f->path, td_rd_off(r),
			  "%s: need %zu bytes, %zu left%s", what, n, r->len - r->pos,
			  r->foff == RL_OFF_NONE ? " in the decompressed section" : "");
}

static int td_u(struct td_file *f, struct td_rd *r, int size, uint64_t *v, const char *what,
		struct rl_err *err)
{
	if (td_need(f, r, (size_t)size, what, err))
		return err->code;
	*v = td_num(f, r->p + r->pos, size);
	r->pos += (size_t)size;
	return 0;
}

/* A NUL-terminated string at the reader position. */
static int td_str(struct td_file *f, struct td_rd *r, const char **s, const char *what,
		  struct rl_err *err)
{
	const uint8_t *nul = r->pos < r->len ? memchr(r->p + r->pos, 0, r->len - r->pos) : NULL;

	if (!nul)
		return rl_err_set(err, -RL_E_TRUNCATED, f->path, td_rd_off(r),
				  "%s: string not terminated", what);
	*s = (const char *)r->p + r->pos;
	r->pos = (size_t)(nul - r->p) + 1;
	return 0;
}

/* Take @n bytes: *out points at them (borrowed). */
static int td_bytes(struct td_file *f, struct td_rd *r, uint64_t n, const uint8_t **out,
		    const char *what, struct rl_err *err)
{
	if (n > r->len - r->pos)
		return rl_err_set(err, -RL_E_TRUNCATED, f->path, td_rd_off(r),
				  "%s: size %llu exceeds the %zu bytes left", what,
				  (unsigned long long)n, r->len - r->pos);
	*out = r->p + r->pos;
	r->pos += (size_t)n;
	return 0;
}

/* -------------------------------------------------------- decompression */

static int td_decompress(struct td_file *f, const uint8_t *src, size_t slen, uint8_t *dst,
			 size_t dlen, ZSTD_DCtx *zd)
{
	if (f->comp == TD_COMP_ZSTD) {
		size_t r = zd ? ZSTD_decompressDCtx(zd, dst, dlen, src, slen)
			      : ZSTD_decompress(dst, dlen, src, slen);

		return ZSTD_isError(r) || r != dlen ? -1 : 0;
	}
	if (f->comp == TD_COMP_ZLIB) {
		uLongf out = (uLongf)dlen;

		if (uncompress(dst, &out, src, (uLong)slen) != Z_OK || out != dlen)
			return -1;
		return 0;
	}
	return -1;
}

/* Open the body of the section at @off (v7), decompressing it if flagged. */
static int td_section(struct td_file *f, uint64_t off, int want_id, struct td_rd *out,
		      struct rl_err *err)
{
	struct td_rd r = {f->buf, f->len, 0, 0, 0, NULL};
	uint64_t id, flags, desc, size, csize, usize;
	const uint8_t *body = NULL;

	memset(out, 0, sizeof(*out));
	if (off > f->len)
		return rl_err_set(err, -RL_E_TRUNCATED, f->path, off,
				  "section offset 0x%llx is past the end of the file (%zu bytes)",
				  (unsigned long long)off, f->len);
	r.pos = (size_t)off;
	if (td_u(f, &r, 2, &id, "section header", err) ||
	    td_u(f, &r, 2, &flags, "section header", err) ||
	    td_u(f, &r, 4, &desc, "section header", err) ||
	    td_u(f, &r, 8, &size, "section header", err))
		return err->code;
	if (want_id >= 0 && id != (uint64_t)want_id)
		return rl_err_set(err, -RL_E_CORRUPT, f->path, off,
				  "section id %llu where section %d was expected",
				  (unsigned long long)id, want_id);
	if (td_bytes(f, &r, size, &body, "section body", err))
		return err->code;
	out->soff = off;
	if (!(flags & 1)) {
		out->p = body;
		out->len = (size_t)size;
		out->foff = off + 16;
		return 0;
	}
	if (f->comp == TD_COMP_NONE)
		return rl_err_set(err, -RL_E_CORRUPT, f->path, off,
				  "section flagged compressed in a file without compression");
	r.p = body;
	r.len = (size_t)size;
	r.pos = 0;
	r.foff = off + 16;
	if (td_u(f, &r, 4, &csize, "compressed section", err) ||
	    td_u(f, &r, 4, &usize, "compressed section", err))
		return err->code;
	if (csize > r.len - r.pos)
		return rl_err_set(err, -RL_E_TRUNCATED, f->path, off + 24,
				  "compressed size %llu exceeds the section (%zu bytes)",
				  (unsigned long long)csize, r.len - r.pos);
	if (usize > f->max_inflate)
		return rl_err_set(
			err, -RL_E_CORRUPT, f->path, off + 20,
			"decompressed section size %llu exceeds %llu bytes (--max-inflate)",
			(unsigned long long)usize, (unsigned long long)f->max_inflate);
	/* metadata is text: a ratio beyond 1:1024 is a corrupt size, not compression */
	if (usize > (64u << 20) && usize / 1024 > csize)
		return rl_err_set(err, -RL_E_CORRUPT, f->path, off + 20,
				  "section claims %llu decompressed bytes from %llu",
				  (unsigned long long)usize, (unsigned long long)csize);
	out->own = malloc(usize ? (size_t)usize : 1);
	if (!out->own)
		return rl_err_set(err, -RL_E_NOMEM, f->path, off, "cannot allocate %llu bytes",
				  (unsigned long long)usize);
	if (td_decompress(f, r.p + r.pos, (size_t)csize, out->own, (size_t)usize, NULL)) {
		free(out->own);
		out->own = NULL;
		return rl_err_set(err, -RL_E_CORRUPT, f->path, off + 24,
				  "corrupt compressed section (id %llu)", (unsigned long long)id);
	}
	out->p = out->own;
	out->len = (size_t)usize;
	out->foff = RL_OFF_NONE;
	return 0;
}

/* ------------------------------------------------------------ metadata */

static int td_is_text(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') || p[i] > 0x7e)
			return 0;
	return 1;
}

static int td_ident(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_';
}

/* Is @name (length @n) declared by a "field:TYPE NAME[...];" line of format @p? */
static int td_declares(const uint8_t *p, size_t len, const char *name, size_t n)
{
	const char *s = (const char *)p, *e = s + len, *l = s;

	while (l < e) {
		const char *nl = memchr(l, '\n', (size_t)(e - l)), *semi, *q;

		if (!nl)
			nl = e;
		while (l < nl && (*l == ' ' || *l == '\t'))
			l++;
		if (nl - l > 6 && !memcmp(l, "field:", 6) &&
		    (semi = memchr(l, ';', (size_t)(nl - l)))) {
			q = semi;
			if (q > l && q[-1] == ']')
				while (q > l && *q != '[')
					q--;
			while (q > l && !td_ident(q[-1]))
				q--;
			if ((size_t)(q - l) >= n && !memcmp(q - n, name, n) &&
			    (q - n == l || !td_ident(*(q - n - 1))))
				return 1;
		}
		l = nl + 1;
	}
	return 0;
}

/*
 * libtraceevent 1.7.1 dereferences NULL when a print fmt names a field the
 * format does not declare (REC->x): check every REC->x before parsing.
 */
static int td_print_refs_ok(const uint8_t *p, size_t len)
{
	const uint8_t *pf = memmem(p, len, "\nprint fmt: ", 12), *q;

	for (q = pf; q && (q = memmem(q, len - (size_t)(q - p), "REC->", 5));) {
		const uint8_t *id = q + 5, *ie = id;

		while (ie < p + len && td_ident((char)*ie))
			ie++;
		if (ie == id ||
		    !td_declares(p, (size_t)(pf - p), (const char *)id, (size_t)(ie - id)))
			return 0;
		q = ie;
	}
	return 1;
}

/* A NUL-terminated private copy for libtraceevent calls that take char *. */
static char *td_dup(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = 0;
	}
	return s;
}

static int td_header_info(struct td_file *f, struct td_rd *r, struct rl_err *err)
{
	const uint8_t *p = NULL;
	uint64_t size;
	char *text;
	int k;

	if (td_need(f, r, 12, "header_page", err))
		return err->code;
	if (memcmp(r->p + r->pos, "header_page", 12))
		return rl_err_set(err, -RL_E_CORRUPT, f->path, td_rd_off(r),
				  "expected \"header_page\"");
	r->pos += 12;
	if (td_u(f, r, 8, &size, "header_page size", err) ||
	    td_bytes(f, r, size, &p, "header_page", err))
		return err->code;
	if (!td_is_text(p, (size_t)size))
		return rl_err_set(err, -RL_E_CORRUPT, f->path, td_rd_off(r) - size,
				  "header_page is not text");
	text = td_dup(p, (size_t)size);
	if (!text)
		return rl_err_set(err, -RL_E_NOMEM, f->path, RL_OFF_NONE, "out of memory");
	k = tep_parse_header_page(f->tep, text, (unsigned long)size, f->file_long);
	free(text);
	if (k)
		return rl_err_set(err, -RL_E_CORRUPT, f->path, td_rd_off(r),
				  "libtraceevent cannot parse header_page");
	f->kern_long = tep_get_header_page_size(f->tep);
	if (f->kern_long != 4 && f->kern_long != 8)
		return rl_err_set(err, -RL_E_CORRUPT, f->path, td_rd_off(r),
				  "header_page commit field is %d bytes (expected 4 or 8)",
				  f->kern_long);
	if (td_need(f, r, 13, "header_event", err))
		return err->code;
	if (memcmp(r->p + r->pos, "header_event", 13))
		return rl_err_set(err, -RL_E_CORRUPT, f->path, td_rd_off(r),
				  "expected \"header_event\"");
	r->pos += 13;
	if (td_u(f, r, 8, &size, "header_event size", err) ||
	    td_bytes(f, r, size, &p, "header_event", err))
		return err->code;
	return 0;
}

/* An event format text waiting to be handed to libtraceevent. */
struct td_fmt {
	const uint8_t *p;
	size_t size;
	const char *sys;
	uint64_t at;
	int bad;
};

struct td_fmts {
	struct td_fmt *v;
	uint32_t n, cap;
};

static int td_formats(struct td_file *f, struct td_rd *r, const char *sys, struct td_fmts *out,
		      struct rl_err *err)
{
	uint64_t n, i, size;
	const uint8_t *p = NULL;

	if (td_u(f, r, 4, &n, "format count", err))
		return err->code;
	for (i = 0; i < n; i++) {
		uint64_t at = td_rd_off(r);

		if (td_u(f, r, 8, &size, "format size", err) ||
		    td_bytes(f, r, size, &p, "event format", err))
			return err->code;
		/* format files are text: binary bytes mean a wrong size or a damaged file */
		if (!td_is_text(p, (size_t)size)) {
			rl_trace_warn(f->t, RL_W_GARBAGE, f->src, at,
				      "event format of system %s is not text; skipped", sys);
			continue;
		}
		/*
		 * A kernel format file ends with its "print fmt:" line and a
		 * newline; a cut one (wrong size) can crash libtraceevent 1.7.
		 */
		if (!size || p[size - 1] != '\n' || !memmem(p, (size_t)size, "\nprint fmt: ", 12)) {
			rl_trace_warn(f->t, RL_W_GARBAGE, f->src, at,
				      "event format of system %s is incomplete (no final print fmt "
				      "line); skipped",
				      sys);
			continue;
		}
		if (!td_print_refs_ok(p, (size_t)size)) {
			rl_trace_warn(f->t, RL_W_GARBAGE, f->src, at,
				      "event format of system %s prints a field it does not "
				      "declare; skipped",
				      sys);
			continue;
		}
		if (rl_grow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v)))
			return rl_err_set(err, -RL_E_NOMEM, f->path, at, "out of memory");
		out->v[out->n++] = (struct td_fmt){p, (size_t)size, sys, at, 0};
	}
	return 0;
}

/*
 * libtraceevent 1.7.1 dereferences NULL on some malformed format texts
 * that no cheap check recognises (found by fuzzing). rtlens must not crash
 * on a damaged file, so the formats are first parsed by a child process
 * that reports the index of each format before parsing it: if the child
 * dies, the last index it reported is the format that killed it, which is
 * skipped with a warning, and a new child continues after it. The parent
 * then parses only formats the child survived. Normally that is one fork
 * per format section.
 */
static void td_formats_probe(struct td_file *f, struct td_fmts *fm)
{
	uint32_t start = 0;

	while (start < fm->n) {
		int fds[2], st;
		uint32_t last = UINT32_MAX, idx;
		int done = 0;
		pid_t pid;

		if (pipe(fds))
			return;
		pid = fork();
		if (pid < 0) {
			close(fds[0]);
			close(fds[1]);
			return; /* cannot isolate: parse as we are */
		}
		if (pid == 0) {
			static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
			struct rlimit nocore = {0, 0};
			uint32_t i, end = UINT32_MAX;
			size_t k;

			/* a crash here is expected news: die quietly, no core, no handlers */
			for (k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++)
				signal(sigs[k], SIG_DFL);
			setrlimit(RLIMIT_CORE, &nocore);
			close(fds[0]);
			for (i = start; i < fm->n; i++) {
				if (fm->v[i].bad)
					continue;
				if (write(fds[1], &i, sizeof(i)) != sizeof(i))
					_exit(2);
				tep_parse_event(f->tep, (const char *)fm->v[i].p, fm->v[i].size,
						fm->v[i].sys);
			}
			if (write(fds[1], &end, sizeof(end)) != sizeof(end))
				_exit(2);
			_exit(0);
		}
		close(fds[1]);
		while (read(fds[0], &idx, sizeof(idx)) == sizeof(idx)) {
			if (idx == UINT32_MAX) {
				done = 1;
				break;
			}
			last = idx;
		}
		close(fds[0]);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (done || last == UINT32_MAX)
			return;
		fm->v[last].bad = 1;
		rl_trace_warn(f->t, RL_W_GARBAGE, f->src, fm->v[last].at,
			      "libtraceevent crashes on this event format of system %s; skipped",
			      fm->v[last].sys);
		start = last + 1;
	}
}

static void td_formats_parse(struct td_file *f, struct td_fmts *fm)
{
	uint32_t i;

	td_formats_probe(f, fm);
	for (i = 0; i < fm->n; i++) {
		if (fm->v[i].bad)
			continue;
		if (tep_parse_event(f->tep, (const char *)fm->v[i].p, fm->v[i].size, fm->v[i].sys))
			rl_trace_warn(f->t, RL_W_OTHER, f->src, fm->v[i].at,
				      "libtraceevent cannot parse an event format of system %s",
				      fm->v[i].sys);
	}
	free(fm->v);
	memset(fm, 0, sizeof(*fm));
}

static int td_event_formats(struct td_file *f, struct td_rd *r, struct td_fmts *fm,
			    struct rl_err *err)
{
	uint64_t nsys, i;
	const char *sys = NULL;

	if (td_u(f, r, 4, &nsys, "system count", err))
		return err->code;
	for (i = 0; i < nsys; i++)
		if (td_str(f, r, &sys, "system name", err) || td_formats(f, r, sys, fm, err))
			return err->code;
	return 0;
}

/* Read the formats of a section and parse them (safely) while its buffer lives. */
static int td_formats_now(struct td_file *f, struct td_rd *r, int events, struct rl_err *err)
{
	struct td_fmts fm = {0};
	int k = events ? td_event_formats(f, r, &fm, err) : td_formats(f, r, "ftrace", &fm, err);

	if (k) {
		free(fm.v);
		return k;
	}
	td_formats_parse(f, &fm);
	return 0;
}

static int td_cmdl_cmp(const void *a, const void *b)
{
	const struct td_cmdline *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* saved_cmdlines text: "PID COMM" lines, the task-name fallback. */
static int td_cmdlines(struct td_file *f, const uint8_t *p, size_t n, struct rl_err *err)
{
	size_t i = 0;

	while (i < n) {
		size_t e = i, s;
		long pid = 0;
		int digits = 0;

		while (e < n && p[e] != '\n')
			e++;
		s = i;
		while (s < e && p[s] >= '0' && p[s] <= '9' && digits < 10) {
			pid = pid * 10 + (p[s++] - '0');
			digits++;
		}
		if (digits && s < e && p[s] == ' ' && pid > 0 && pid <= INT32_MAX) {
			struct td_cmdline *c;

			if (rl_grow((void **)&f->cmdl, &f->cap_cmdl, f->ncmdl + 1,
				    sizeof(*f->cmdl)))
				return rl_err_set(err, -RL_E_NOMEM, f->path, RL_OFF_NONE,
						  "out of memory");
			c = &f->cmdl[f->ncmdl++];
			c->pid = (int32_t)pid;
			c->name = rl_strtab_intern(f->t->strs, (const char *)p + s + 1, e - s - 1);
		}
		i = e + 1;
	}
	if (f->ncmdl) /* qsort(NULL, 0, ...) is undefined */
		qsort(f->cmdl, f->ncmdl, sizeof(*f->cmdl), td_cmdl_cmp);
	return 0;
}

static int td_cmdlines_rd(struct td_file *f, struct td_rd *r, struct rl_err *err)
{
	uint64_t size;
	const uint8_t *p = NULL;

	if (td_u(f, r, 8, &size, "cmdlines size", err) ||
	    td_bytes(f, r, size, &p, "saved cmdlines", err))
		return err->code;
	return td_cmdlines(f, p, (size_t)size, err);
}

static int td_clock_kind(const char *name, size_t n)
{
	if (n == 7 && !strncmp(name, "x86-tsc", 7))
		return TD_CLOCK_TSC;
	if (n == 7 && !strncmp(name, "counter", 7))
		return TD_CLOCK_COUNTER;
	return TD_CLOCK_NS;
}

/* The selected clock of a trace_clock text: the name in brackets. */
static int td_clock_from_text(const char *s, size_t n)
{
	const char *a = memchr(s, '[', n), *b;

	if (!a)
		return TD_CLOCK_NS;
	b = memchr(a, ']', n - (size_t)(a - s));
	if (!b)
		return TD_CLOCK_NS;
	return td_clock_kind(a + 1, (size_t)(b - a - 1));
}

static int td_add_buffer(struct td_file *f, const char *name, struct td_buffer **out,
			 struct rl_err *err)
{
	struct td_buffer *nb = realloc(f->bufs, (f->nbufs + 1) * sizeof(*f->bufs));

	if (!nb)
		return rl_err_set(err, -RL_E_NOMEM, f->path, RL_OFF_NONE, "out of memory");
	f->bufs = nb;
	*out = &f->bufs[f->nbufs++];
	memset(*out, 0, sizeof(**out));
	(*out)->name = strdup(name);
	(*out)->page_size = f->page_size;
	if (!(*out)->name)
		return rl_err_set(err, -RL_E_NOMEM, f->path, RL_OFF_NONE, "out of memory");
	return 0;
}

/* v6 flyrecord table: per CPU offset and size (+ clock text if TRACECLOCK). */
static int td_flyrecord6(struct td_file *f, struct td_rd *r, struct td_buffer *b,
			 struct rl_err *err)
{
	uint32_t i;

	b->cpus = calloc(f->ncpus ? f->ncpus : 1, sizeof(*b->cpus));
	if (!b->cpus)
		return rl_err_set(err, -RL_E_NOMEM, f->path, RL_OFF_NONE, "out of memory");
	for (i = 0; i < f->ncpus; i++) {
		b->cpus[i].cpu = i;
		if (td_u(f, r, 8, &b->cpus[i].off, "flyrecord cpu offset", err) ||
		    td_u(f, r, 8, &b->cpus[i].size, "flyrecord cpu size", err))
			return err->code;
	}
	b->ncpus = f->ncpus;
	b->clock = TD_CLOCK_NS;
	if (f->have_clock_opt) {
		uint64_t size;
		const uint8_t *p = NULL;

		if (td_u(f, r, 8, &size, "trace clock size", err) ||
		    td_bytes(f, r, size, &p, "trace clock", err))
			return err->code;
		b->clock = td_clock_from_text((const char *)p, (size_t)size);
	}
	return 0;
}

static int64_t td_parse_int(const uint8_t *p, size_t n)
{
	char tmp[40];

	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	memcpy(tmp, p, n);
	tmp[n] = 0;
	return strtoll(tmp, NULL, 0);
}

/* Options that v6 and v7 share. (Over 100 lines: one case per option id, each short.) */
static int td_option(struct td_file *f, uint64_t id, const uint8_t *p, uint64_t size, uint64_t at,
		     struct rl_err *err)
{
	struct td_rd r = {p, (size_t)size, 0, at, at, NULL};
	struct td_buffer *b;
	uint64_t v, cnt, i;
	const char *name, *clock;

	switch (id) {
	case TD_OPT_DATE:
		f->ts_offset += td_parse_int(p, (size_t)size) * 1000;
		return 0;
	case TD_OPT_OFFSET:
		f->ts_offset += td_parse_int(p, (size_t)size);
		return 0;
	case TD_OPT_TRACECLOCK:
		f->have_clock_opt = 1;
		return 0;
	case TD_OPT_TSC2NSEC:
		if (size < 16)
			return rl_err_set(err, -RL_E_CORRUPT, f->path, at,
					  "TSC2NSEC option of %llu bytes",
					  (unsigned long long)size);
		f->mult = (uint32_t)td_num(f, p, 4);
		f->shift = (uint32_t)td_num(f, p + 4, 4);
		if (f->shift > 63)
			return rl_err_set(err, -RL_E_CORRUPT, f->path, at, "TSC2NSEC shift %u",
					  f->shift);
		f->have_tsc2nsec = 1;
		return 0;
	case TD_OPT_TIME_SHIFT:
		rl_trace_warn(f->t, RL_W_OTHER, f->src, at,
			      "guest time shift (TIME_SHIFT option) is not applied: times are the "
			      "guest's");
		return 0;
	case TD_OPT_BUFFER_TEXT:
		rl_trace_warn(f->t, RL_W_OTHER, f->src, at,
			      "latency-format buffer (text) ignored; read it with the text reader");
		return 0;
	case TD_OPT_BUFFER:
		if (f->version < 7) {
			struct td_rd fr = {f->buf, f->len, 0, 0, 0, NULL};

			if (td_u(f, &r, 8, &v, "BUFFER option", err) ||
			    td_str(f, &r, &name, "BUFFER option name", err))
				return err->code;
			if (td_add_buffer(f, name, &b, err))
				return err->code;
			if (v > f->len || f->len - v < 10 || memcmp(f->buf + v, "flyrecord", 10))
				return rl_err_set(
					err, -RL_E_CORRUPT, f->path, at,
					"BUFFER option of instance \"%s\" points to 0x%llx, "
					"which holds no flyrecord table",
					name, (unsigned long long)v);
			fr.pos = (size_t)v + 10;
			return td_flyrecord6(f, &fr, b, err);
		}
		if (td_u(f, &r, 8, &v, "BUFFER option", err) ||
		    td_str(f, &r, &name, "BUFFER option name", err) ||
		    td_str(f, &r, &clock, "BUFFER option clock", err))
			return err->code;
		if (td_add_buffer(f, name, &b, err))
			return err->code;
		b->clock = td_clock_kind(clock, strlen(clock));
		if (td_u(f, &r, 4, &i, "BUFFER page size", err) ||
		    td_u(f, &r, 4, &cnt, "BUFFER cpu count", err))
			return err->code;
		if (i < 64 || i > (1u << 24))
			return rl_err_set(err, -RL_E_CORRUPT, f->path, at,
					  "instance \"%s\": page size %llu", name,
					  (unsigned long long)i);
		b->page_size = (uint32_t)i;
		if (cnt > (r.len - r.pos) / 20)
			return rl_err_set(err, -RL_E_TRUNCATED, f->path, at,
					  "instance \"%s\": %llu cpus do not fit the option", name,
					  (unsigned long long)cnt);
		b->cpus = calloc(cnt ? cnt : 1, sizeof(*b->cpus));
		if (!b->cpus)
			return rl_err_set(err, -RL_E_NOMEM, f->path, RL_OFF_NONE, "out of memory");
		for (i = 0; i < cnt; i++) {
			uint64_t c;

			td_u(f, &r, 4, &c, "cpu", err);
			b->cpus[i].cpu = (uint32_t)c;
			td_u(f, &r, 8, &b->cpus[i].off, "cpu offset", err);
			td_u(f, &r, 8, &b->cpus[i].size, "cpu size", err);
		}
		b->ncpus = (uint32_t)cnt;
		{
			struct td_rd sr = {f->buf, f->len, 0, 0, 0, NULL};
			uint64_t sid, sfl;

			if (v > f->len || f->len - v < 16)
				return rl_err_set(err, -RL_E_TRUNCATED, f->path, at,
						  "instance \"%s\": buffer section offset 0x%llx "
						  "is past the end",
						  name, (unsigned long long)v);
			sr.pos = (size_t)v;
			td_u(f, &sr, 2, &sid, "section id", err);
			td_u(f, &sr, 2, &sfl, "section flags", err);
			if (sid != TD_OPT_BUFFER)
				return rl_err_set(err, -RL_E_CORRUPT, f->path, v,
						  "instance \"%s\": section id %llu, not a buffer",
						  name, (unsigned long long)sid);
			b->compressed = (sfl & 1) && f->comp != TD_COMP_NONE;
		}
		return 0;
	default:
		return 0;
	}
}

/* v7: follow the chain of options sections. */
static int td_options7(struct td_file *f, uint64_t off, uint64_t *secs, struct rl_err *err)
{
	uint32_t n = 0;
	uint64_t seen[64];
	uint32_t nseen = 0, i;

	while (off) {
		struct td_rd r;
		int done = 0;

		if (++n > TD_MAX_SECTIONS)
			return rl_err_set(err, -RL_E_CORRUPT, f->path, off,
					  "more than %d options sections", TD_MAX_SECTIONS);
		for (i = 0; i < nseen; i++)
			if (seen[i] == off)
				return rl_err_set(err, -RL_E_CORRUPT, f->path, off,
						  "options sections form a loop");
		if (nseen < 64)
			seen[nseen++] = off;
		if (td_section(f, off, 0, &r, err))
			return err->code;
		while (!done) {
			uint64_t id, size, at;
			const uint8_t *p = NULL;

			if (td_u(f, &r, 2, &id, "option id", err) ||
			    td_u(f, &r, 4, &size, "option size", err))
				goto fail;
			at = td_rd_off(&r);
			if (td_bytes(f, &r, size, &p, "option", err))
				goto fail;
			if (id == TD_OPT_DONE) {
				if (size < 8) {
					rl_err_set(err, -RL_E_CORRUPT, f->path, at,
						   "DONE option of %llu bytes",
						   (unsigned long long)size);
					goto fail;
				}
				off = td_num(f, p, 8);
				done = 1;
			} else if (id >= TD_SEC_HEADER_INFO && id <= TD_SEC_CMDLINES) {
				if (size >= 8)
					secs[id - TD_SEC_HEADER_INFO] = td_num(f, p, 8);
			} else if (id == TD_OPT_CPUCOUNT && size >= 4) {
				f->ncpus = (uint32_t)td_num(f, p, 4);
			} else if (td_option(f, id, p, size, at, err)) {
				goto fail;
			}
		}
		free(r.own);
		continue;
	fail:
		free(r.own);
		return err->code;
	}
	return 0;
}

static int td_parse7(struct td_file *f, struct td_rd *r, struct rl_err *err)
{
	const char *comp, *cver;
	uint64_t opt, secs[6] = {0};
	struct td_rd s;
	int k;

	if (td_str(f, r, &comp, "compression name", err) ||
	    td_str(f, r, &cver, "compression version", err) ||
	    td_u(f, r, 8, &opt, "options offset", err))
		return err->code;
	if (!strcmp(comp, "none"))
		f->comp = TD_COMP_NONE;
	else if (!strcmp(comp, "zlib"))
		f->comp = TD_COMP_ZLIB;
	else if (!strcmp(comp, "zstd"))
		f->comp = TD_COMP_ZSTD;
	else
		return rl_err_set(err, -RL_E_VERSION, f->path, r->pos,
				  "unsupported compression \"%s\" (zlib and zstd are supported)",
				  comp);
	if (td_options7(f, opt, secs, err))
		return err->code;
	if (!secs[0])
		return rl_err_set(err, -RL_E_CORRUPT, f->path, opt,
				  "no HEADER_INFO section: not a complete trace.dat");
	if (td_section(f, secs[0], TD_SEC_HEADER_INFO, &s, err))
		return err->code;
	k = td_header_info(f, &s, err);
	free(s.own);
	if (k)
		return k;
	if (secs[1]) {
		if (td_section(f, secs[1], TD_SEC_FTRACE_EVENTS, &s, err))
			return err->code;
		k = td_formats_now(f, &s, 0, err);
		free(s.own);
		if (k)
			return k;
	}
	if (secs[2]) {
		if (td_section(f, secs[2], TD_SEC_EVENT_FORMATS, &s, err))
			return err->code;
		k = td_formats_now(f, &s, 1, err);
		free(s.own);
		if (k)
			return k;
	}
	if (secs[5]) {
		if (td_section(f, secs[5], TD_SEC_CMDLINES, &s, err))
			return err->code;
		k = td_cmdlines_rd(f, &s, err);
		free(s.own);
		if (k)
			return k;
	}
	return 0;
}

static int td_parse6(struct td_file *f, struct td_rd *r, struct rl_err *err)
{
	uint64_t size, ncpus, id;
	const uint8_t *p = NULL;
	struct td_buffer *b;

	if (td_header_info(f, r, err) || td_formats_now(f, r, 0, err) ||
	    td_formats_now(f, r, 1, err))
		return err->code;
	if (td_u(f, r, 4, &size, "kallsyms size", err) || td_bytes(f, r, size, &p, "kallsyms", err))
		return err->code;
	if (td_u(f, r, 4, &size, "printk size", err) || td_bytes(f, r, size, &p, "printk", err))
		return err->code;
	if (td_cmdlines_rd(f, r, err) || td_u(f, r, 4, &ncpus, "cpu count", err))
		return err->code;
	if (ncpus > 65536)
		return rl_err_set(err, -RL_E_CORRUPT, f->path, r->pos - 4, "%llu cpus",
				  (unsigned long long)ncpus);
	f->ncpus = (uint32_t)ncpus;
	for (;;) {
		uint64_t at = r->pos;

		if (td_need(f, r, 10, "section tag", err))
			return err->code;
		p = r->p + r->pos;
		r->pos += 10;
		if (!memcmp(p, "options  ", 10)) {
			for (;;) {
				if (td_u(f, r, 2, &id, "option id", err))
					return err->code;
				if (id == TD_OPT_DONE)
					break;
				if (td_u(f, r, 4, &size, "option size", err))
					return err->code;
				at = r->pos;
				if (td_bytes(f, r, size, &p, "option", err) ||
				    td_option(f, id, p, size, at, err))
					return err->code;
			}
		} else if (!memcmp(p, "latency  ", 10)) {
			return rl_err_set(err, -RL_E_VERSION, f->path, at,
					  "latency-mode trace.dat: it holds the tracer's text, not "
					  "events (read that text with the ftrace text reader)");
		} else if (!memcmp(p, "flyrecord", 10)) {
			/* the top-level buffer is the file's own table */
			if (td_add_buffer(f, "", &b, err))
				return err->code;
			/* keep the top buffer first: instances were added by options */
			if (f->nbufs > 1) {
				struct td_buffer top = f->bufs[f->nbufs - 1];

				memmove(f->bufs + 1, f->bufs, (f->nbufs - 1) * sizeof(*f->bufs));
				f->bufs[0] = top;
				b = &f->bufs[0];
			}
			return td_flyrecord6(f, r, b, err);
		} else {
			return rl_err_set(err, -RL_E_CORRUPT, f->path, at,
					  "unknown section tag (expected options, latency or "
					  "flyrecord)");
		}
	}
}

/* ------------------------------------------------------- event mapping */

static int td_map_events(struct td_file *f, struct rl_err *err)
{
	struct tep_event **all = tep_list_events(f->tep, TEP_EVENT_SORT_ID);
	int n = tep_get_events_count(f->tep), i, k;
	uint32_t maxid = 0;

	if (n <= 0 || !all)
		return rl_err_set(err, -RL_E_CORRUPT, f->path, RL_OFF_NONE,
				  "the file defines no event formats");
	for (i = 0; i < n; i++)
		if (all[i]->id > 0 && (uint32_t)all[i]->id > maxid)
			maxid = (uint32_t)all[i]->id;
	if (maxid > 65535)
		maxid = 65535;
	f->nevs = maxid + 1;
	f->evs = calloc(f->nevs, sizeof(*f->evs));
	if (!f->evs)
		return rl_err_set(err, -RL_E_NOMEM, f->path, RL_OFF_NONE, "out of memory");
	for (i = 0; i < n; i++) {
		struct tep_event *e = all[i];
		struct td_ev *m;
		int kind;

		if (e->id < 0 || (uint32_t)e->id >= f->nevs)
			continue;
		m = &f->evs[e->id];
		m->ev = e;
		m->name = rl_strtab_intern(f->t->strs, e->name, strlen(e->name));
		if (!m->name)
			return rl_err_set(err, -RL_E_NOMEM, f->path, RL_OFF_NONE, "out of memory");
		if (!f->f_type) {
			f->f_type = tep_find_common_field(e, "common_type");
			f->f_pid = tep_find_common_field(e, "common_pid");
		}
		kind = rl_lx_kind(e->name);
		if (kind == RL_LX_OTHER)
			continue;
		for (k = 0; k < 8 && td_fields[kind][k]; k++) {
			if (!td_fields[kind][k][0])
				continue; /* a position the kind does not use */
			m->f[k] = tep_find_field(e, td_fields[kind][k]);
			if (!m->f[k] && !TD_OPTIONAL(kind, k))
				break;
		}
		if (k < 8 && td_fields[kind][k]) {
			rl_trace_warn(f->t, RL_W_OTHER, f->src, RL_OFF_NONE,
				      "event %s lacks field %s: carried uninterpreted", e->name,
				      td_fields[kind][k]);
			continue;
		}
		m->kind = (uint8_t)kind;
	}
	if (!f->f_type || f->f_type->size < 1 || f->f_type->size > 4)
		return rl_err_set(err, -RL_E_CORRUPT, f->path, RL_OFF_NONE,
				  "event formats have no usable common_type field");
	td_fld_set(&f->fd_type, f->f_type);
	td_fld_set(&f->fd_pid, f->f_pid);
	for (i = 0; i < (int)f->nevs; i++)
		for (k = 0; k < 8; k++)
			td_fld_set(&f->evs[i].fd[k], f->evs[i].f[k]);
	return 0;
}

/* ---------------------------------------------------------------- open */

static void td_file_put(struct td_file *f)
{
	uint32_t i;

	if (!f || --f->refs > 0)
		return;
	for (i = 0; i < f->nbufs; i++) {
		free(f->bufs[i].name);
		free(f->bufs[i].cpus);
		free(f->bufs[i].names);
	}
	free(f->bufs);
	free(f->evs);
	free(f->cmdl);
	free(f->clock6);
	if (f->seq_ok)
		trace_seq_destroy(&f->seq);
	if (f->tep)
		tep_free(f->tep);
	rl_lx_release(&f->lx);
	free(f);
}

static int td_probe(const struct rl_input *in)
{
	if (in->is_dir || in->len < TD_MAGIC_LEN + 2)
		return 0;
	if (memcmp(in->buf, TD_MAGIC, TD_MAGIC_LEN))
		return 0;
	return 100;
}

static void td_close(struct rl_cursor *base)
{
	struct td_cursor *c = (struct td_cursor *)base;

	if (c->kb)
		kbuffer_free(c->kb);
	if (c->zd)
		ZSTD_freeDCtx(c->zd);
	free(c->chunk);
	free(c->page);
	td_file_put(c->f);
	free(c);
}

/* ---------------------------------------------------------------- pages */

static void td_put_commit(struct td_cursor *c, uint64_t commit)
{
	struct td_file *f = c->f;
	uint8_t *p = c->page + 8;
	int n = f->kern_long, i;

	for (i = 0; i < n; i++) {
		int sh = f->big ? (n - 1 - i) * 8 : i * 8;

		p[i] = (uint8_t)(commit >> sh);
	}
}

/*
 * Check the page in c->page (avail bytes were present in the file): commit
 * size within the page, every raw entry moving forward inside the data.
 * Return: 1 if usable (possibly cut), 0 to skip it.
 */
static int td_page_check(struct td_cursor *c, size_t avail, uint64_t foff)
{
	struct td_file *f = c->f;
	uint32_t start = (uint32_t)(f->kern_long == 8 ? 16 : 12);
	uint64_t commit, size, flags, lim;
	struct kbuffer_raw_info info;
	uint8_t *prev, *end;

	if (avail < start + 4)
		return 0;
	commit = td_num(f, c->page + 8, f->kern_long);
	size = commit & ((1u << 27) - 1);
	flags = commit & ~(uint64_t)((1u << 27) - 1);
	lim = avail - start;
	if ((flags & (1ull << 30)) && lim >= (uint64_t)f->kern_long)
		lim -= (uint64_t)f->kern_long; /* room for the stored lost count */
	if (size > lim) {
		rl_trace_warn(f->t, RL_W_GARBAGE, f->src, foff + 8,
			      "cpu %u: page header commit size %llu exceeds the page (%llu bytes "
			      "of data); page cut",
			      c->cpu, (unsigned long long)size, (unsigned long long)lim);
		size = lim;
		td_put_commit(c, flags | size);
	}
	end = c->page + start + size;
	memset(&info, 0, sizeof(info));
	info.next = c->page + start;
	while ((uint8_t *)info.next < end) {
		prev = info.next;
		if (!kbuffer_raw_get(c->kb, c->page, &info))
			break;
		if ((uint8_t *)info.next <= prev || (uint8_t *)info.next > end) {
			rl_trace_warn(f->t, RL_W_GARBAGE, f->src, foff + (uint64_t)(prev - c->page),
				      "cpu %u: ring-buffer entry with bad length (type %d, length "
				      "%d); rest of page skipped",
				      c->cpu, info.type, info.length);
			td_put_commit(c, flags | (uint64_t)(prev - c->page - start));
			break;
		}
	}
	return 1;
}

/* Load the next chunk of compressed CPU data. Return: 1 loaded, 0 end. */
static int td_next_chunk(struct td_cursor *c)
{
	struct td_file *f = c->f;
	uint64_t csize, usize;

	for (;;) {
		if (!c->chunk_init) {
			c->chunk_init = 1;
			if (c->end - c->pos < 4) {
				if (c->end > c->pos)
					rl_trace_warn(f->t, RL_W_TRUNCATED, f->src, c->pos,
						      "cpu %u: compressed data too short", c->cpu);
				return 0;
			}
			c->chunks_left = (uint32_t)td_num(f, f->buf + c->pos, 4);
			c->pos += 4;
		}
		if (!c->chunks_left)
			return 0;
		if (c->end - c->pos < 8) {
			rl_trace_warn(f->t, RL_W_TRUNCATED, f->src, c->pos,
				      "cpu %u: %u compressed chunks missing (truncated file?)",
				      c->cpu, c->chunks_left);
			return 0;
		}
		csize = td_num(f, f->buf + c->pos, 4);
		usize = td_num(f, f->buf + c->pos + 4, 4);
		c->page_foff = c->pos;
		if (csize > c->end - c->pos - 8) {
			rl_trace_warn(f->t, RL_W_TRUNCATED, f->src, c->pos,
				      "cpu %u: compressed chunk of %llu bytes exceeds the data "
				      "(truncated file?)",
				      c->cpu, (unsigned long long)csize);
			return 0;
		}
		c->pos += 8 + csize;
		c->chunks_left--;
		if (!usize) { /* no page in it (and no buffer yet to copy from) */
			rl_trace_warn(f->t, RL_W_GARBAGE, f->src, c->page_foff,
				      "cpu %u: chunk claims 0 decompressed bytes; skipped", c->cpu);
			continue;
		}
		if (usize > TD_MAX_CHUNK || usize > f->max_inflate) {
			rl_trace_warn(f->t, RL_W_GARBAGE, f->src, c->page_foff,
				      "cpu %u: chunk claims %llu decompressed bytes; skipped",
				      c->cpu, (unsigned long long)usize);
			continue;
		}
		if (usize > c->chunk_cap) {
			uint8_t *nb = realloc(c->chunk, (size_t)usize);

			if (!nb) {
				rl_trace_warn(f->t, RL_W_GARBAGE, f->src, c->page_foff,
					      "cpu %u: cannot allocate %llu bytes; chunk skipped",
					      c->cpu, (unsigned long long)usize);
				continue;
			}
			c->chunk = nb;
			c->chunk_cap = (size_t)usize;
		}
		if (td_decompress(f, f->buf + c->page_foff + 8, (size_t)csize, c->chunk,
				  (size_t)usize, c->zd)) {
			rl_trace_warn(f->t, RL_W_GARBAGE, f->src, c->page_foff,
				      "cpu %u: corrupt compressed chunk; its events are lost",
				      c->cpu);
			continue;
		}
		c->chunk_len = (size_t)usize;
		c->chunk_pos = 0;
		return 1;
	}
}

/* Load the next usable page into kbuffer. Return: 1 loaded, 0 end. */
static int td_next_page(struct td_cursor *c)
{
	struct td_file *f = c->f;
	uint32_t ps = c->b->page_size;

	for (;;) {
		size_t avail;
		uint64_t foff;

		if (c->b->compressed) {
			if (c->chunk_pos >= c->chunk_len && !td_next_chunk(c))
				return 0;
			avail = c->chunk_len - c->chunk_pos;
			if (avail > ps)
				avail = ps;
			memcpy(c->page, c->chunk + c->chunk_pos, avail);
			c->chunk_pos += avail;
			foff = c->page_foff;
		} else {
			if (c->pos >= c->end)
				return 0;
			avail = (size_t)(c->end - c->pos < ps ? c->end - c->pos : ps);
			memcpy(c->page, f->buf + c->pos, avail);
			foff = c->pos;
			c->page_foff = foff;
			c->pos += avail;
		}
		memset(c->page + avail, 0, ps - avail + TD_PAGE_SLACK);
		if (avail < ps)
			rl_trace_warn(f->t, RL_W_TRUNCATED, f->src, foff,
				      "cpu %u: last page has %zu of %u bytes (truncated file?)",
				      c->cpu, avail, ps);
		/* the file bytes read so far are copied out: memory stays that of a page */
		if (c->pos - c->dropped >= TD_DROP_STEP) {
			rl_input_drop_range(f->in, (size_t)c->dropped, (size_t)c->pos);
			c->dropped = c->pos;
		}
		if (!td_page_check(c, avail, foff))
			continue;
		if (kbuffer_load_subbuffer(c->kb, c->page))
			continue;
		return 1;
	}
}

/* ---------------------------------------------------------------- decode */

static inline int64_t td_field(const struct td_file *f, const struct td_fld *d, const uint8_t *data,
			       uint32_t size, int *ok)
{
	uint64_t v;

	if (d->end > size) {
		*ok = 0;
		return 0;
	}
	v = td_load(f, data + d->off, d->n);
	return (int64_t)((v ^ d->signbit) - d->signbit);
}

/* A string field (fixed array or __data_loc / __rel_loc). Return: length, 0 if none. */
static inline size_t td_string(const struct td_file *f, const struct td_fld *d, const uint8_t *data,
			       uint32_t size, const char **s)
{
	if (d->end > size)
		return 0;
	if (d->dyn) {
		uint32_t loc, off, len;

		if (d->size < 4)
			return 0;
		loc = (uint32_t)td_load(f, data + d->off, 4);
		off = loc & 0xffff;
		len = loc >> 16;
		if (d->rel)
			off += d->end;
		if (off > size || len > size - off)
			return 0;
		*s = (const char *)data + off;
		return len;
	}
	*s = (const char *)data + d->off;
	return d->size;
}

/*
 * A __cpumask / __bitmask field: cpus 0..63 from its first unsigned longs in
 * the file's byte order (0 when the record holds none).
 */
static uint64_t td_cpumask(const struct td_file *f, const struct td_fld *d, const uint8_t *data,
			   uint32_t size)
{
	const char *s = NULL;
	size_t n = td_string(f, d, data, size, &s);
	const uint8_t *p = (const uint8_t *)s;

	if (f->file_long == 4) /* 32-bit words, least significant first */
		return n >= 8	? td_load(f, p, 4) | td_load(f, p + 4, 4) << 32
		       : n >= 4 ? td_load(f, p, 4)
				: 0;
	return n >= 8 ? td_load(f, p, 8) : 0;
}

static uint32_t td_buf_name(struct td_file *f, struct td_buffer *b, uint32_t id)
{
	char tmp[256];

	if (b->primary)
		return f->evs[id].name;
	if (!b->names) {
		b->names = calloc(f->nevs, sizeof(*b->names));
		if (!b->names)
			return f->evs[id].name;
	}
	if (!b->names[id]) {
		int n = snprintf(tmp, sizeof(tmp), "%s:%s", b->name, f->evs[id].ev->name);

		b->names[id] = rl_strtab_intern(f->t->strs, tmp,
						n < (int)sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
	}
	return b->names[id] ? b->names[id] : f->evs[id].name;
}

/* Whether a prev_state value means the task blocked, from the event's own print fmt. */
static const struct td_state *td_prev_state(struct td_file *f, struct tep_event *e,
					    const uint8_t *data, uint32_t size, int64_t val)
{
	static const struct td_state unknown = {0, 0, 0};
	struct td_state *st;
	struct tep_record rec;
	const char *s, *p;
	uint32_t i;

	for (i = 0; i < f->nstates; i++)
		if (f->states[i].val == val)
			return &f->states[i];
	if (!f->seq_ok) {
		trace_seq_init(&f->seq);
		f->seq_ok = 1;
	}
	trace_seq_reset(&f->seq);
	memset(&rec, 0, sizeof(rec));
	rec.data = (void *)data;
	rec.size = (int)size;
	rec.cpu = 0;
	tep_print_event(f->tep, &f->seq, &rec, "%s", TEP_PRINT_INFO);
	trace_seq_terminate(&f->seq);
	(void)e;
	s = f->seq.buffer ? f->seq.buffer : "";
	p = strstr(s, "prev_state=");
	if (f->nstates >= TD_STATE_CACHE)
		return &unknown;
	st = &f->states[f->nstates++];
	st->val = val;
	if (p) {
		p += 11;
		st->blocked = *p != 'R' && *p != ' ' && *p != 0;
		for (; *p && *p != ' '; p++)
			if (*p == 'X' || *p == 'Z' || *p == 'x')
				st->dead = 1;
	} else {
		/* no rendering: kernel >= 4.14 report bits */
		st->blocked = (val & 0xff) != 0;
		st->dead = (val & 0x30) != 0;
	}
	return st;
}

static void td_ev_init(struct rl_event *ev, const struct td_cursor *c, int64_t ts, uint64_t raw,
		       uint64_t off, uint32_t name)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts = ts;
	ev->raw = raw;
	ev->src = c->f->src;
	ev->src_off = off;
	ev->cpu = c->cpu;
	ev->name = name;
	ev->task = ev->task2 = RL_NO_TASK;
}

static uint32_t td_comm_task(struct td_file *f, uint32_t task)
{
	struct td_cmdline key, *hit;

	if (task == RL_NO_TASK || f->t->tasks[task].name || !f->ncmdl)
		return task;
	key.pid = f->t->tasks[task].pid;
	hit = bsearch(&key, f->cmdl, f->ncmdl, sizeof(*f->cmdl), td_cmdl_cmp);
	if (hit)
		f->t->tasks[task].name = hit->name;
	return task;
}

/* A comm / file name field as a struct rl_lx_who comm (NULL if the record has none). */
static inline void td_comm(const struct td_file *f, const struct td_fld *fl, const uint8_t *data,
			   uint32_t size, const char **s, size_t *n)
{
	*n = td_string(f, fl, data, size, s);
	if (!*n)
		*s = NULL;
}

/*
 * The fields of a modelled record into @r (its kind and cur_pid set). @ok:
 * whether common_pid fitted. Return: 0 if a field the kind needs does not
 * fit the record.
 */
/* The osnoise / timerlat / hwlat records: fields by td_fields position. */
static int td_rtm(struct td_file *f, const struct td_ev *m, const uint8_t *data, uint32_t size,
		  struct rl_lx_rec *r, int ok)
{
	uint64_t *v[3] = {&r->rtm.a, &r->rtm.b, &r->rtm.c};
	int k;

	memset(&r->rtm, 0, sizeof(r->rtm));
	for (k = 0; k < 3; k++)
		if (m->f[k])
			*v[k] = (uint64_t)td_field(f, &m->fd[k], data, size, &ok);
	if (r->kind == RL_LX_THREAD_NOISE) {
		r->rtm.who.pid = td_field(f, &m->fd[3], data, size, &ok);
		r->rtm.who.prio = RL_LX_NO_PRIO;
		td_comm(f, &m->fd[4], data, size, &r->rtm.who.comm, &r->rtm.who.comm_len);
	}
	return ok;
}

static int td_rec(struct td_file *f, const struct td_ev *m, const uint8_t *data, uint32_t size,
		  struct rl_lx_rec *r, int ok)
{
	int any = 1;
	const struct td_state *st;

	if (rl_lx_is_tracer(r->kind))
		return td_rtm(f, m, data, size, r, ok);
	switch (r->kind) {
	case RL_LX_SWITCH:
		r->sw.prev.pid = td_field(f, &m->fd[1], data, size, &ok);
		r->sw.state = td_field(f, &m->fd[3], data, size, &ok);
		r->sw.next.pid = td_field(f, &m->fd[5], data, size, &ok);
		r->sw.next.prio = td_field(f, &m->fd[6], data, size, &ok);
		/* prev_prio sits before prev_state: 0 if the record is that short */
		r->sw.prev.prio = td_field(f, &m->fd[2], data, size, &any);
		td_comm(f, &m->fd[0], data, size, &r->sw.prev.comm, &r->sw.prev.comm_len);
		td_comm(f, &m->fd[4], data, size, &r->sw.next.comm, &r->sw.next.comm_len);
		if (!ok)
			return 0;
		st = td_prev_state(f, m->ev, data, size, r->sw.state);
		r->sw.blocked = st->blocked;
		r->sw.dead = st->dead;
		return 1;
	case RL_LX_WAKEUP:
	case RL_LX_WAKING:
		r->wake.woken.pid = td_field(f, &m->fd[1], data, size, &ok);
		r->wake.woken.prio = td_field(f, &m->fd[2], data, size, &ok);
		r->wake.target_cpu = td_field(f, &m->fd[3], data, size, &any);
		if (!any)
			r->wake.target_cpu = -1;
		td_comm(f, &m->fd[0], data, size, &r->wake.woken.comm, &r->wake.woken.comm_len);
		return ok;
	case RL_LX_MIGRATE:
		r->mig.task.pid = td_field(f, &m->fd[1], data, size, &ok);
		r->mig.orig_cpu = td_field(f, &m->fd[3], data, size, &ok);
		r->mig.dest_cpu = td_field(f, &m->fd[4], data, size, &ok);
		td_comm(f, &m->fd[0], data, size, &r->mig.task.comm, &r->mig.task.comm_len);
		return ok;
	case RL_LX_FORK:
		r->child.pid = td_field(f, &m->fd[1], data, size, &ok);
		td_comm(f, &m->fd[0], data, size, &r->child.comm, &r->child.comm_len);
		return ok;
	case RL_LX_EXEC:
		r->exec.pid = td_field(f, &m->fd[1], data, size, &ok);
		td_comm(f, &m->fd[0], data, size, &r->exec.filename, &r->exec.len);
		return ok;
	case RL_LX_EXIT:
		/* a short record exits no task (pid 0) */
		r->exit_pid = td_field(f, &m->fd[1], data, size, &any);
		return 1;
	case RL_LX_PI_SETPRIO:
		r->pi.pid = td_field(f, &m->fd[0], data, size, &ok);
		r->pi.prio = td_field(f, &m->fd[1], data, size, &ok);
		return ok;
	case RL_LX_IPI_SEND:
		rl_lx_ipi_cpu(r, td_field(f, &m->fd[0], data, size, &ok));
		r->ipi.fn = td_field(f, &m->fd[1], data, size, &ok) != 0;
		return ok;
	case RL_LX_IPI_SEND_MASK:
		rl_lx_ipi_mask(r, td_cpumask(f, &m->fd[0], data, size));
		r->ipi.fn = td_field(f, &m->fd[1], data, size, &ok) != 0;
		return ok;
	case RL_LX_IPI_ENTRY:
	case RL_LX_OTHER:
		return 1;
	default: /* the IRQ, softirq and vector kinds */
		r->num = td_field(f, &m->fd[0], data, size, &ok);
		return ok;
	}
}

static void td_decode(struct td_cursor *c, const uint8_t *data, uint32_t size, int64_t ts,
		      uint64_t raw, uint64_t off)
{
	struct td_file *f = c->f;
	struct rl_event *ev = &c->q[c->nq];
	struct rl_lx_rec r;
	struct td_ev *m;
	uint32_t id;
	int ok = 1;

	if (f->fd_type.end > size) {
		td_ev_init(ev, c, ts, raw, off, f->unknown_name);
		ev->type = RL_EV_OTHER;
		c->nq++;
		rl_trace_warn(f->t, RL_W_GARBAGE, f->src, off,
			      "cpu %u: event of %u bytes has no room for its type", c->cpu, size);
		return;
	}
	id = (uint32_t)td_load(f, data + f->fd_type.off, f->fd_type.n);
	if (id >= f->nevs || !f->evs[id].ev) {
		td_ev_init(ev, c, ts, raw, off, f->unknown_name);
		ev->type = RL_EV_OTHER;
		ev->arg = id;
		c->nq++;
		rl_trace_warn(f->t, RL_W_UNKNOWN_TYPE, f->src, off,
			      "cpu %u: event id %u has no format in the file", c->cpu, id);
		return;
	}
	m = &f->evs[id];
	td_ev_init(ev, c, ts, raw, off, td_buf_name(f, c->b, id));
	/* td_rec fills what its kind needs; no reader tracks the current task here */
	r.has_cur = 0;
	r.cur = RL_NO_TASK;
	/* only the top buffer's events are modelled; instances are carried */
	r.kind = c->b->primary ? m->kind : RL_LX_OTHER;
	r.cur_pid = td_field(f, &f->fd_pid, data, size, &ok);
	if (!td_rec(f, m, data, size, &r, ok)) {
		ev->type = RL_EV_OTHER;
		c->nq++;
		rl_trace_warn(f->t, RL_W_GARBAGE, f->src, off,
			      "cpu %u: %s record of %u bytes is too short for its fields", c->cpu,
			      m->ev->name, size);
		return;
	}
	c->nq += rl_lx_emit(&f->lx, &r, ev);
	if (r.kind == RL_LX_OTHER)
		td_comm_task(f, ev->task);
}

static int64_t td_time(const struct td_cursor *c, uint64_t raw)
{
	const struct td_file *f = c->f;
	uint64_t ns = raw;

	/* as trace-cmd: a TSC2NSEC option converts whatever the clock is called */
	if (f->have_tsc2nsec)
		ns = (uint64_t)(((unsigned __int128)raw * f->mult) >> f->shift);
	return (int64_t)ns + f->ts_offset;
}

static int td_next(struct rl_cursor *base, struct rl_event *ev, struct rl_err *err)
{
	struct td_cursor *c = (struct td_cursor *)base;
	struct td_file *f = c->f;

	(void)err;
	for (;;) {
		unsigned long long raw;
		const uint8_t *data;
		uint64_t off;
		int64_t ts;
		int size, missed = 0;

		if (c->qpos < c->nq) {
			*ev = c->q[c->qpos++];
			return 1;
		}
		c->nq = c->qpos = 0;
		if (!c->in_page) {
			if (!td_next_page(c))
				return 0;
			c->in_page = 1;
			data = kbuffer_read_event(c->kb, &raw);
			missed = kbuffer_missed_events(c->kb);
		} else {
			data = kbuffer_next_event(c->kb, &raw);
		}
		if (!data) {
			c->in_page = 0;
			continue;
		}
		size = kbuffer_event_size(c->kb);
		off = c->b->compressed ? c->page_foff
				       : c->page_foff + (uint64_t)kbuffer_curr_offset(c->kb);
		if (size < 0 || data + size > c->page + c->b->page_size) {
			rl_trace_warn(f->t, RL_W_GARBAGE, f->src, off,
				      "cpu %u: event runs past its page; rest of page skipped",
				      c->cpu);
			c->in_page = 0;
			continue;
		}
		if (missed) {
			struct rl_event *l = &c->q[c->nq++];

			td_ev_init(l, c, td_time(c, raw), raw, off, f->lost_name);
			l->type = RL_EV_LOST;
			l->arg = missed;
			/* the lost range: after this cpu's previous event, before this one */
			l->arg2 = c->have_prev ? c->prev_ts : -1;
			if (missed > 0)
				rl_trace_warn(f->t, RL_W_LOST, f->src, c->page_foff,
					      "cpu %u: %d events lost before this page", c->cpu,
					      missed);
			else
				rl_trace_warn(f->t, RL_W_LOST, f->src, c->page_foff,
					      "cpu %u: events lost before this page", c->cpu);
		}
		ts = td_time(c, raw);
		td_decode(c, data, (uint32_t)size, ts, raw, off);
		c->prev_ts = ts;
		c->have_prev = 1;
		f->t->srcs[f->src].nrec++;
	}
}

static const struct rl_cursor_ops td_cursor_ops = {td_next, td_close};

static int td_nomem(const struct td_file *f, struct rl_err *err)
{
	return rl_err_set(err, -RL_E_NOMEM, f->path, RL_OFF_NONE,
			  "out of memory opening trace.dat");
}

/* One cursor per CPU with data in buffer @b (sizes checked against the file). */
static int td_buffer_cursors(struct td_file *f, struct td_buffer *b, struct rl_cursor ***curs,
			     size_t *ncurs, uint32_t *cap, struct rl_err *err)
{
	uint32_t j;

	if (b->clock == TD_CLOCK_TSC && !f->have_tsc2nsec)
		rl_trace_warn(f->t, RL_W_OTHER, f->src, RL_OFF_NONE,
			      "buffer \"%s\" uses the x86-tsc clock without a TSC2NSEC "
			      "option: times are in cycles",
			      b->name);
	else if (b->clock == TD_CLOCK_COUNTER)
		rl_trace_warn(f->t, RL_W_OTHER, f->src, RL_OFF_NONE,
			      "buffer \"%s\" uses the counter clock: times are not ns", b->name);
	for (j = 0; j < b->ncpus; j++) {
		struct td_cursor *c;
		struct td_cpu *cp = &b->cpus[j];

		if (!cp->size)
			continue;
		if (cp->off > f->len) {
			rl_trace_warn(f->t, RL_W_TRUNCATED, f->src, cp->off,
				      "cpu %u data of buffer \"%s\" starts past the end of the "
				      "file (truncated file?)",
				      cp->cpu, b->name);
			continue;
		}
		/* compressed: the size does not count the leading chunk count */
		if (b->compressed && cp->size <= UINT64_MAX - 4)
			cp->size += 4;
		if (cp->size > f->len - cp->off) {
			rl_trace_warn(f->t, RL_W_TRUNCATED, f->src, f->len,
				      "cpu %u data of buffer \"%s\" ends %llu bytes past the "
				      "end of the file (truncated file?)",
				      cp->cpu, b->name,
				      (unsigned long long)(cp->size - (f->len - cp->off)));
			cp->size = f->len - cp->off;
		}
		if (rl_grow((void **)curs, cap, (uint32_t)*ncurs + 1, sizeof(**curs)))
			return td_nomem(f, err);
		c = calloc(1, sizeof(*c));
		if (!c)
			return td_nomem(f, err);
		(*curs)[(*ncurs)++] = &c->base;
		c->base.ops = &td_cursor_ops;
		c->f = f;
		f->refs++;
		c->b = b;
		c->cpu = cp->cpu;
		c->pos = cp->off;
		c->dropped = cp->off;
		c->end = cp->off + cp->size;
		c->page = calloc(1, b->page_size + TD_PAGE_SLACK);
		c->kb = kbuffer_alloc(f->kern_long == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4,
				      f->big ? KBUFFER_ENDIAN_BIG : KBUFFER_ENDIAN_LITTLE);
		if (b->compressed && f->comp == TD_COMP_ZSTD)
			c->zd = ZSTD_createDCtx();
		if (!c->page || !c->kb || (b->compressed && f->comp == TD_COMP_ZSTD && !c->zd))
			return td_nomem(f, err);
		if (b->primary)
			rl_trace_note_cpu(f->t, cp->cpu);
	}
	return 0;
}

static int td_open_one(struct rl_input *in, struct rl_trace *t, const struct rl_read_opts *opts,
		       struct rl_cursor ***curs, size_t *ncurs, uint32_t *cap, struct rl_err *err)
{
	struct td_file *f = calloc(1, sizeof(*f));
	struct td_rd r;
	const char *ver;
	uint64_t v;
	uint32_t i;
	int ret = 0, primary = -1;

	if (!f)
		return rl_err_set(err, -RL_E_NOMEM, in->path, RL_OFF_NONE, "out of memory");
	f->refs = 1;
	f->t = t;
	f->path = in->path;
	f->in = in;
	f->buf = in->buf;
	f->len = in->len;
	f->src = in->src;
	f->max_inflate = opts && opts->max_inflate ? opts->max_inflate : (16ull << 30);
	rl_lx_init(&f->lx, t);
	if (in->len < TD_MAGIC_LEN + 2 || memcmp(in->buf, TD_MAGIC, TD_MAGIC_LEN)) {
		ret = rl_err_set(err, -RL_E_FORMAT, in->path, 0,
				 "not a trace-cmd trace.dat (no \\x17\\x08\\x44tracing magic)");
		goto fail;
	}
	memset(&r, 0, sizeof(r));
	r.p = in->buf;
	r.len = in->len;
	r.pos = TD_MAGIC_LEN;
	if (td_str(f, &r, &ver, "version", err))
		goto fail;
	f->version = atoi(ver);
	if (f->version != 6 && f->version != 7) {
		ret = rl_err_set(err, -RL_E_VERSION, in->path, TD_MAGIC_LEN,
				 "trace.dat version \"%.8s\" (6 and 7 are supported)", ver);
		goto fail;
	}
	if (td_u(f, &r, 1, &v, "endianness", err))
		goto fail;
	f->big = v != 0;
	f->swap = f->big != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	if (td_u(f, &r, 1, &v, "long size", err))
		goto fail;
	f->file_long = (int)v;
	if (td_u(f, &r, 4, &v, "page size", err))
		goto fail;
	if (v < 64 || v > (1u << 24)) {
		ret = rl_err_set(err, -RL_E_CORRUPT, in->path, r.pos - 4, "page size %llu",
				 (unsigned long long)v);
		goto fail;
	}
	f->page_size = (uint32_t)v;
	f->tep = tep_alloc();
	if (!f->tep) {
		ret = rl_err_set(err, -RL_E_NOMEM, in->path, RL_OFF_NONE, "tep_alloc failed");
		goto fail;
	}
	tep_set_file_bigendian(f->tep, f->big ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_long_size(f->tep, f->file_long == 4 ? 4 : 8);
	tep_set_page_size(f->tep, (int)f->page_size);
	if ((f->version == 6 ? td_parse6(f, &r, err) : td_parse7(f, &r, err)))
		goto fail;
	if (td_map_events(f, err))
		goto fail;
	f->lost_name = rl_strtab_intern(t->strs, "lost_events", 11);
	f->unknown_name = rl_strtab_intern(t->strs, "unknown_event", 13);
	if (!f->lost_name || !f->unknown_name)
		goto nomem;
	t->format = f->version == 6 ? "trace.dat-v6" : "trace.dat-v7";
	if (!f->nbufs) {
		ret = rl_err_set(
			err, -RL_E_CORRUPT, in->path, RL_OFF_NONE,
			"no flyrecord buffer in the file (latency-mode or incomplete file)");
		goto fail;
	}
	for (i = 0; i < f->nbufs && primary < 0; i++)
		if (!f->bufs[i].name[0])
			primary = (int)i;
	f->bufs[primary < 0 ? 0 : primary].primary = 1;
	for (i = 0; i < f->nbufs; i++)
		if (td_buffer_cursors(f, &f->bufs[i], curs, ncurs, cap, err))
			goto fail;
	if (f->ncpus)
		rl_trace_note_cpu(t, f->ncpus - 1);
	td_file_put(f);
	return 0;
nomem:
	ret = rl_err_set(err, -RL_E_NOMEM, in->path, RL_OFF_NONE,
			 "out of memory opening trace.dat");
fail:
	if (!ret)
		ret = err->code;
	td_file_put(f);
	return ret;
}

static int td_open(struct rl_input *ins, size_t n, struct rl_trace *t,
		   const struct rl_read_opts *opts, struct rl_cursor ***out, size_t *nout,
		   struct rl_err *err)
{
	struct rl_cursor **curs = NULL;
	size_t ncurs = 0, i;
	uint32_t cap = 0;
	int r;

	for (i = 0; i < n; i++) {
		r = td_open_one(&ins[i], t, opts, &curs, &ncurs, &cap, err);
		if (r < 0) {
			for (i = 0; i < ncurs; i++)
				rl_cursor_close(curs[i]);
			free(curs);
			return r;
		}
	}
	if (!curs) {
		curs = calloc(1, sizeof(*curs));
		if (!curs)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	}
	*out = curs;
	*nout = ncurs;
	return 0;
}

const struct rl_reader_ops rl_reader_tracedat = {
	.name = "trace.dat",
	.family = RL_FAM_LINUX,
	.desc = "trace-cmd trace.dat v6/v7 (none, zlib or zstd compression; instances)",
	.probe = td_probe,
	.open = td_open,
};
