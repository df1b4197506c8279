/* draw/dl.c - the display list: building it, and printing it as text for goldens. */
#include "draw.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const rl_dc_names[RL_DC_NCLASSES] = {
	[RL_DC_BG] = "bg",
	[RL_DC_MINOR_TICK] = "minor-tick",
	[RL_DC_MAJOR_TICK] = "major-tick",
	[RL_DC_TICK_LABEL] = "tick-label",
	[RL_DC_TASK_LABEL] = "task-label",
	[RL_DC_EXEC] = "exec",
	[RL_DC_TAG] = "tag",
	[RL_DC_BASELINE] = "baseline",
	[RL_DC_MISS] = "miss",
	[RL_DC_SUSPEND] = "suspend",
	[RL_DC_RELEASE] = "release",
	[RL_DC_DEADLINE] = "deadline",
	[RL_DC_COMPLETION] = "completion",
	[RL_DC_JOB_ID] = "job-id",
	[RL_DC_BLOCK] = "block",
	[RL_DC_RESUME] = "resume",
	[RL_DC_LEGEND] = "legend",
	[RL_DC_AXIS] = "axis",
	[RL_DC_CURVE] = "curve",
	[RL_DC_BAR] = "bar",
	[RL_DC_TITLE] = "title",
	[RL_DC_IDLE] = "idle",
};

/**
 * rl_dl_class_name() - the name of an item class (SVG class, golden text)
 * @cls: enum rl_dl_class
 *
 * Return: a static string.
 */
const char *rl_dl_class_name(int cls)
{
	if (cls < 0 || cls >= RL_DC_NCLASSES)
		return "unknown";
	return rl_dc_names[cls];
}

/**
 * rl_dl_init() - start an empty display list
 * @dl: the list
 * @w:  canvas width, device units
 * @h:  canvas height
 */
void rl_dl_init(struct rl_dl *dl, double w, double h)
{
	memset(dl, 0, sizeof(*dl));
	dl->w = w;
	dl->h = h;
	/* offset 0 is "no string" */
	dl->strs = malloc(256);
	if (!dl->strs) {
		dl->nomem = 1;
		return;
	}
	dl->cap_strs = 256;
	dl->strs[0] = 0;
	dl->nstrs = 1;
}

/**
 * rl_dl_release() - free a display list's contents
 * @dl: the list
 */
void rl_dl_release(struct rl_dl *dl)
{
	free(dl->items);
	free(dl->pts);
	free(dl->strs);
	memset(dl, 0, sizeof(*dl));
}

/**
 * rl_dl_check() - report a failure that happened while building
 * @dl:  the list
 * @err: error out
 *
 * Return: 0, or -RL_E_NOMEM with @err set.
 */
int rl_dl_check(const struct rl_dl *dl, struct rl_err *err)
{
	if (dl->nomem)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
				  "out of memory building a display list of %u items", dl->n);
	return 0;
}

/**
 * rl_dl_str() - a string stored in the list
 * @dl:  the list
 * @off: its offset (0: the empty string)
 *
 * Return: the string, valid until the list changes.
 */
const char *rl_dl_str(const struct rl_dl *dl, uint32_t off)
{
	if (!dl->strs || off >= dl->nstrs)
		return "";
	return dl->strs + off;
}

/**
 * rl_dl_strf() - store a formatted string in the list
 * @dl:  the list
 * @fmt: printf format
 *
 * Return: its offset, 0 on failure (sticky nomem set).
 */
uint32_t rl_dl_strf(struct rl_dl *dl, const char *fmt, ...)
{
	va_list ap;
	int len;
	uint32_t off;

	if (dl->nomem)
		return 0;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || (uint64_t)dl->nstrs + (uint64_t)len + 1 > UINT32_MAX / 2) {
		dl->nomem = 1;
		return 0;
	}
	if (rl_grow((void **)&dl->strs, &dl->cap_strs, dl->nstrs + (uint32_t)len + 1, 1)) {
		dl->nomem = 1;
		return 0;
	}
	off = dl->nstrs;
	va_start(ap, fmt);
	vsnprintf(dl->strs + off, (size_t)len + 1, fmt, ap);
	va_end(ap);
	dl->nstrs += (uint32_t)len + 1;
	return off;
}

static struct rl_dl_item *rl_dl_add(struct rl_dl *dl, int kind, int cls, uint32_t rgb)
{
	struct rl_dl_item *it;

	if (dl->nomem || rl_grow((void **)&dl->items, &dl->cap, dl->n + 1, sizeof(*dl->items))) {
		dl->nomem = 1;
		return NULL;
	}
	it = &dl->items[dl->n++];
	memset(it, 0, sizeof(*it));
	it->kind = (uint8_t)kind;
	it->cls = (uint8_t)cls;
	it->rgb = rgb;
	it->alpha = 255;
	it->count = 1;
	return it;
}

/**
 * rl_dl_rect() - add a filled rectangle
 * @dl:  the list
 * @cls: enum rl_dl_class
 * @x0:  left
 * @y0:  top
 * @x1:  right
 * @y1:  bottom
 * @rgb: fill colour
 *
 * Return: the item (to set a title or count), or NULL when out of memory.
 */
struct rl_dl_item *rl_dl_rect(struct rl_dl *dl, int cls, double x0, double y0, double x1, double y1,
			      uint32_t rgb)
{
	struct rl_dl_item *it = rl_dl_add(dl, RL_DL_RECT, cls, rgb);

	if (it) {
		it->x0 = x0;
		it->y0 = y0;
		it->x1 = x1;
		it->y1 = y1;
	}
	return it;
}

/**
 * rl_dl_line() - add a stroked line segment
 * @dl:    the list
 * @cls:   enum rl_dl_class
 * @x0:    start x
 * @y0:    start y
 * @x1:    end x
 * @y1:    end y
 * @width: stroke width
 * @rgb:   colour
 *
 * Return: the item, or NULL when out of memory.
 */
struct rl_dl_item *rl_dl_line(struct rl_dl *dl, int cls, double x0, double y0, double x1, double y1,
			      double width, uint32_t rgb)
{
	struct rl_dl_item *it = rl_dl_add(dl, RL_DL_LINE, cls, rgb);

	if (it) {
		it->x0 = x0;
		it->y0 = y0;
		it->x1 = x1;
		it->y1 = y1;
		it->width = width;
	}
	return it;
}

/**
 * rl_dl_poly() - add a polyline or polygon
 * @dl:    the list
 * @cls:   enum rl_dl_class
 * @xy:    @npts points as x, y pairs
 * @npts:  number of points
 * @width: stroke width
 * @rgb:   colour
 * @flags: RL_DLF_CLOSED, RL_DLF_FILL, RL_DLF_ROUND, RL_DLF_DASHED
 *
 * The bounding box is kept in x0..x1, y0..y1 (renderers cull with it).
 *
 * Return: the item, or NULL when out of memory.
 */
struct rl_dl_item *rl_dl_poly(struct rl_dl *dl, int cls, const double *xy, uint32_t npts,
			      double width, uint32_t rgb, int flags)
{
	struct rl_dl_item *it;
	uint32_t i;

	if (dl->nomem || !npts ||
	    rl_grow((void **)&dl->pts, &dl->cap_pts, (dl->npts + npts) * 2, sizeof(double))) {
		dl->nomem = 1;
		return NULL;
	}
	it = rl_dl_add(dl, RL_DL_POLY, cls, rgb);
	if (!it)
		return NULL;
	it->pts = dl->npts;
	it->npts = npts;
	it->width = width;
	it->flags = (uint8_t)flags;
	it->x0 = it->x1 = xy[0];
	it->y0 = it->y1 = xy[1];
	for (i = 0; i < npts; i++) {
		double x = xy[2 * i], y = xy[2 * i + 1];

		dl->pts[2 * (dl->npts + i)] = x;
		dl->pts[2 * (dl->npts + i) + 1] = y;
		if (x < it->x0)
			it->x0 = x;
		if (x > it->x1)
			it->x1 = x;
		if (y < it->y0)
			it->y0 = y;
		if (y > it->y1)
			it->y1 = y;
	}
	dl->npts += npts;
	return it;
}

/**
 * rl_dl_text() - add a text item
 * @dl:    the list
 * @cls:   enum rl_dl_class
 * @x:     anchor x
 * @y:     anchor y
 * @size:  font size
 * @align: RL_HA_* | RL_VA_*
 * @rgb:   colour
 * @text:  the text (copied)
 *
 * Return: the item, or NULL when out of memory.
 */
struct rl_dl_item *rl_dl_text(struct rl_dl *dl, int cls, double x, double y, double size, int align,
			      uint32_t rgb, const char *text)
{
	uint32_t off = rl_dl_strf(dl, "%s", text);
	struct rl_dl_item *it;

	if (!off)
		return NULL;
	it = rl_dl_add(dl, RL_DL_TEXT, cls, rgb);
	if (it) {
		it->x0 = it->x1 = x;
		it->y0 = it->y1 = y;
		it->width = size;
		it->align = (uint8_t)align;
		it->str = off;
	}
	return it;
}

static void rl_dl_quote(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/**
 * rl_dl_write_text() - print a display list, one item a line (the golden form)
 * @dl:  the list
 * @f:   where to
 * @err: error out
 *
 * Coordinates are printed with two decimals, so the text does not depend on
 * the last bits of floating point arithmetic.
 *
 * Return: 0 or -RL_E_IO.
 */
int rl_dl_write_text(const struct rl_dl *dl, FILE *f, struct rl_err *err)
{
	uint32_t i, k;

	fprintf(f, "canvas %.2f %.2f items %u\n", dl->w, dl->h, dl->n);
	for (i = 0; i < dl->n; i++) {
		const struct rl_dl_item *it = &dl->items[i];

		switch (it->kind) {
		case RL_DL_RECT:
			fprintf(f, "rect %s %.2f %.2f %.2f %.2f", rl_dl_class_name(it->cls), it->x0,
				it->y0, it->x1, it->y1);
			break;
		case RL_DL_LINE:
			fprintf(f, "line %s %.2f %.2f %.2f %.2f w=%.2f", rl_dl_class_name(it->cls),
				it->x0, it->y0, it->x1, it->y1, it->width);
			break;
		case RL_DL_POLY:
			fprintf(f, "poly %s", rl_dl_class_name(it->cls));
			for (k = 0; k < it->npts; k++)
				fprintf(f, " %.2f,%.2f", dl->pts[2 * (it->pts + k)],
					dl->pts[2 * (it->pts + k) + 1]);
			fprintf(f, " w=%.2f", it->width);
			break;
		default:
			fprintf(f, "text %s %.2f %.2f size=%.1f align=%u ",
				rl_dl_class_name(it->cls), it->x0, it->y0, it->width, it->align);
			rl_dl_quote(f, rl_dl_str(dl, it->str));
			break;
		}
		fprintf(f, " #%06x", it->rgb);
		if (it->alpha != 255)
			fprintf(f, " a=%u", it->alpha);
		if (it->flags)
			fprintf(f, " f=%u", it->flags);
		if (it->count != 1)
			fprintf(f, " n=%u", it->count);
		if (it->pattern)
			fprintf(f, " p=%u", it->pattern);
		if (it->title) {
			fputc(' ', f);
			rl_dl_quote(f, rl_dl_str(dl, it->title));
		}
		fputc('\n', f);
	}
	if (ferror(f))
		return rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write display list");
	return 0;
}
