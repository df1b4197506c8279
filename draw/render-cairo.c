/*
 * draw/render-cairo.c - a display list as PDF or PNG through cairo.
 *
 * The only file that includes cairo.h. PDF is drawn in one go on a PDF
 * surface written to the caller's FILE*. PNG is drawn in horizontal strips
 * on a small image surface, each strip encoded as it is finished (zlib),
 * so memory stays bounded by the strip size however tall the picture is;
 * items are culled by their bounding box per strip.
 */
#include "draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <zlib.h>

#define RC_FONT "sans-serif"
#define RC_STRIP_BYTES (16u << 20) /* pixel memory of one PNG strip */
#define RC_PNG_LEVEL 1		   /* zlib level: fastest; pictures compress well anyway */
#define RC_IDAT_CHUNK 65536

static void rc_source(cairo_t *cr, const struct rl_dl_item *it)
{
	double r = ((it->rgb >> 16) & 255) / 255.0, g = ((it->rgb >> 8) & 255) / 255.0,
	       b = (it->rgb & 255) / 255.0;

	if (it->alpha == 255)
		cairo_set_source_rgb(cr, r, g, b);
	else
		cairo_set_source_rgba(cr, r, g, b, it->alpha / 255.0);
}

static void rc_stroke_style(cairo_t *cr, const struct rl_dl_item *it)
{
	static const double dash[] = {3.0, 3.0};

	cairo_set_line_width(cr, it->width);
	cairo_set_dash(cr, dash, (it->flags & RL_DLF_DASHED) ? 2 : 0, 0);
	cairo_set_line_join(cr, (it->flags & RL_DLF_ROUND) ? CAIRO_LINE_JOIN_ROUND
							   : CAIRO_LINE_JOIN_MITER);
}

/* A RECT's hatching: lines every RC_HATCH units, clipped to the rectangle. */
#define RC_HATCH 4.0
#define RC_HATCH_WIDTH 0.6
#define RC_OUTLINE 0x333333u
#define RC_OUTLINE_WIDTH 0.5

static void rc_hatch(cairo_t *cr, const struct rl_dl_item *it)
{
	double x0 = it->x0, y0 = it->y0, x1 = it->x1, y1 = it->y1, h = y1 - y0, d;
	int kind = it->pattern & 0x7f;
	double a = it->alpha / 255.0, c = (it->pattern & RL_PAT_LIGHT) ? 1.0 : 0.0;

	if (!kind || !(x1 > x0) || !(h > 0))
		return;
	cairo_save(cr);
	cairo_rectangle(cr, x0, y0, x1 - x0, h);
	cairo_clip(cr);
	cairo_set_source_rgba(cr, c, c, c, a);
	cairo_set_line_width(cr, RC_HATCH_WIDTH);
	cairo_set_dash(cr, NULL, 0, 0);
	/* lines at a fixed phase of the page, so that neighbouring bars line up */
	if (kind == RL_PAT_DIAG || kind == RL_PAT_CROSS)
		for (d = floor((x0 - h) / RC_HATCH) * RC_HATCH; d <= x1; d += RC_HATCH) {
			cairo_move_to(cr, d, y1);
			cairo_line_to(cr, d + h, y0);
		}
	if (kind == RL_PAT_BACK || kind == RL_PAT_CROSS)
		for (d = floor((x0 - h) / RC_HATCH) * RC_HATCH; d <= x1; d += RC_HATCH) {
			cairo_move_to(cr, d, y0);
			cairo_line_to(cr, d + h, y1);
		}
	if (kind == RL_PAT_HORIZ)
		for (d = floor(y0 / RC_HATCH) * RC_HATCH + RC_HATCH / 2; d <= y1; d += RC_HATCH) {
			cairo_move_to(cr, x0, d);
			cairo_line_to(cr, x1, d);
		}
	if (kind == RL_PAT_VERT)
		for (d = floor(x0 / RC_HATCH) * RC_HATCH + RC_HATCH / 2; d <= x1; d += RC_HATCH) {
			cairo_move_to(cr, d, y0);
			cairo_line_to(cr, d, y1);
		}
	cairo_stroke(cr);
	cairo_restore(cr);
}

static void rc_item(cairo_t *cr, const struct rl_dl *dl, const struct rl_dl_item *it)
{
	cairo_text_extents_t ext;
	const char *s;
	double x, y;
	uint32_t k;

	rc_source(cr, it);
	switch (it->kind) {
	case RL_DL_RECT:
		cairo_rectangle(cr, it->x0, it->y0, it->x1 - it->x0, it->y1 - it->y0);
		cairo_fill(cr);
		rc_hatch(cr, it);
		if (it->flags & RL_DLF_OUTLINE) {
			cairo_set_source_rgba(cr, ((RC_OUTLINE >> 16) & 255) / 255.0,
					      ((RC_OUTLINE >> 8) & 255) / 255.0,
					      (RC_OUTLINE & 255) / 255.0, it->alpha / 255.0);
			cairo_set_line_width(cr, RC_OUTLINE_WIDTH);
			cairo_set_dash(cr, NULL, 0, 0);
			cairo_rectangle(cr, it->x0, it->y0, it->x1 - it->x0, it->y1 - it->y0);
			cairo_stroke(cr);
		}
		break;
	case RL_DL_LINE:
		rc_stroke_style(cr, it);
		cairo_move_to(cr, it->x0, it->y0);
		cairo_line_to(cr, it->x1, it->y1);
		cairo_stroke(cr);
		break;
	case RL_DL_POLY:
		rc_stroke_style(cr, it);
		cairo_new_path(cr);
		for (k = 0; k < it->npts; k++) {
			x = dl->pts[2 * (it->pts + k)];
			y = dl->pts[2 * (it->pts + k) + 1];
			if (k)
				cairo_line_to(cr, x, y);
			else
				cairo_move_to(cr, x, y);
		}
		if (it->flags & RL_DLF_CLOSED)
			cairo_close_path(cr);
		if (it->flags & RL_DLF_FILL)
			cairo_fill(cr);
		else
			cairo_stroke(cr);
		break;
	default:
		s = rl_dl_str(dl, it->str);
		cairo_select_font_face(cr, RC_FONT, CAIRO_FONT_SLANT_NORMAL,
				       (it->flags & RL_DLF_BOLD) ? CAIRO_FONT_WEIGHT_BOLD
								 : CAIRO_FONT_WEIGHT_NORMAL);
		cairo_set_font_size(cr, it->width);
		cairo_text_extents(cr, s, &ext);
		x = it->x0;
		y = it->y0;
		if ((it->align & 3) == RL_HA_CENTER)
			x -= ext.width / 2;
		else if ((it->align & 3) == RL_HA_RIGHT)
			x -= ext.width;
		if (it->align & RL_VA_TOP)
			y += ext.height;
		else if (it->align & RL_VA_MIDDLE)
			y += ext.height / 2;
		cairo_move_to(cr, x, y);
		cairo_show_text(cr, s);
		cairo_new_path(cr);
		break;
	}
}

/* Vertical extent an item may paint, generous for strokes and text. */
static void rc_yrange(const struct rl_dl_item *it, double *lo, double *hi)
{
	double pad = it->kind == RL_DL_TEXT ? it->width * 2 : it->width + 2;

	*lo = fmin(it->y0, it->y1) - pad;
	*hi = fmax(it->y0, it->y1) + pad;
}

static cairo_status_t rc_write(void *closure, const unsigned char *data, unsigned int len)
{
	FILE *f = closure;

	return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void rc_pdf_date(cairo_surface_t *s)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long t = 0;
	char *end, buf[32];
	struct tm tm;
	time_t tt;

	if (sde && *sde) {
		t = strtoll(sde, &end, 10);
		if (*end || t < 0 || t > 253402300799LL) /* up to 9999-12-31 */
			t = 0;
	}
	tt = (time_t)t;
	if (!gmtime_r(&tt, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, buf);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "rtlens");
}

static int rc_pdf(const struct rl_dl *dl, FILE *f, struct rl_err *err)
{
	cairo_surface_t *s;
	cairo_t *cr;
	cairo_status_t st;
	uint32_t i;

	s = cairo_pdf_surface_create_for_stream(rc_write, f, dl->w, dl->h);
	/*
	 * cairo stamps the PDF with the time of day: a fixed creation date (the
	 * epoch, or SOURCE_DATE_EPOCH) makes the same picture the same bytes
	 */
	rc_pdf_date(s);
	cr = cairo_create(s);
	for (i = 0; i < dl->n; i++)
		rc_item(cr, dl, &dl->items[i]);
	st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS)
		return rl_err_set(err, st == CAIRO_STATUS_WRITE_ERROR ? -RL_E_IO : -RL_E_LIB, NULL,
				  RL_OFF_NONE, "cairo: cannot write PDF: %s",
				  cairo_status_to_string(st));
	return 0;
}

/* ---------------------------------------------------------------- PNG */

struct rc_png {
	FILE *f;
	z_stream zs;
	unsigned char out[RC_IDAT_CHUNK];
	int bad;
};

static void rc_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void rc_chunk(struct rc_png *p, const char *type, const unsigned char *data, uint32_t len)
{
	unsigned char hdr[8], crc[4];
	uLong c = crc32(0L, Z_NULL, 0);

	rc_be32(hdr, len);
	memcpy(hdr + 4, type, 4);
	c = crc32(c, hdr + 4, 4);
	if (len)
		c = crc32(c, data, len);
	rc_be32(crc, (uint32_t)c);
	if (fwrite(hdr, 1, 8, p->f) != 8 || (len && fwrite(data, 1, len, p->f) != len) ||
	    fwrite(crc, 1, 4, p->f) != 4)
		p->bad = 1;
}

static int rc_deflate(struct rc_png *p, const unsigned char *in, size_t len, int flush)
{
	int zr;

	p->zs.next_in = (Bytef *)in;
	p->zs.avail_in = (uInt)len;
	do {
		uint32_t n;

		zr = deflate(&p->zs, flush);
		if (zr == Z_STREAM_ERROR)
			return -1;
		n = (uint32_t)(sizeof(p->out) - p->zs.avail_out);
		if (p->zs.avail_out == 0 || (zr == Z_STREAM_END && n)) {
			rc_chunk(p, "IDAT", p->out, n);
			p->zs.next_out = p->out;
			p->zs.avail_out = sizeof(p->out);
		}
	} while (p->zs.avail_in || (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

/*
 * The PNG is drawn in horizontal strips (memory of one strip, not of the
 * picture) and its rows are deflated as they come. (Over 100 lines: the
 * header, the strip loop and the trailer share one clean-up.)
 */
static int rc_png(const struct rl_dl *dl, double scale, FILE *f, struct rl_err *err)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	struct rc_png *p = NULL;
	cairo_surface_t *s = NULL;
	unsigned char ihdr[13], *row = NULL;
	uint32_t W, Hh, sh, y0, y, x, i;
	int ret = 0;

	if (!(scale > 0 && scale <= 100) || !(dl->w * scale >= 1 && dl->h * scale >= 1) ||
	    dl->w * scale > RL_PNG_MAX_SIDE || dl->h * scale > 1e9)
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE,
				  "a PNG of %.0f x %.0f pixels cannot be drawn (widest %d); use a "
				  "smaller -x or a vector format",
				  dl->w * scale, dl->h * scale, RL_PNG_MAX_SIDE);
	W = (uint32_t)ceil(dl->w * scale);
	Hh = (uint32_t)ceil(dl->h * scale);
	sh = RC_STRIP_BYTES / (W * 4);
	if (sh < 16)
		sh = 16;
	if (sh > Hh)
		sh = Hh;
	p = calloc(1, sizeof(*p));
	row = malloc((size_t)W * 3 + 1);
	if (!p || !row) {
		ret = rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory for PNG rows");
		goto out_nozs;
	}
	p->f = f;
	if (deflateInit(&p->zs, RC_PNG_LEVEL) != Z_OK) {
		ret = rl_err_set(err, -RL_E_LIB, NULL, RL_OFF_NONE, "zlib: cannot start deflate");
		goto out_nozs;
	}
	p->zs.next_out = p->out;
	p->zs.avail_out = sizeof(p->out);
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)W, (int)sh);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		ret = rl_err_set(err, -RL_E_LIB, NULL, RL_OFF_NONE,
				 "cairo: cannot create a %u x %u image: %s", W, sh,
				 cairo_status_to_string(cairo_surface_status(s)));
		goto out;
	}
	if (fwrite(sig, 1, 8, f) != 8)
		p->bad = 1;
	rc_be32(ihdr, W);
	rc_be32(ihdr + 4, Hh);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 2;  /* colour type: RGB */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* filter method 0 */
	ihdr[12] = 0; /* no interlace */
	rc_chunk(p, "IHDR", ihdr, 13);
	for (y0 = 0; y0 < Hh && !p->bad; y0 += sh) {
		uint32_t rows = Hh - y0 < sh ? Hh - y0 : sh;
		cairo_t *cr = cairo_create(s);
		const unsigned char *data;
		int stride;

		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_translate(cr, 0, -(double)y0);
		if (scale != 1)
			cairo_scale(cr, scale, scale);
		for (i = 0; i < dl->n; i++) {
			double lo, hi;

			rc_yrange(&dl->items[i], &lo, &hi);
			if (hi * scale < y0 || lo * scale > (double)y0 + rows)
				continue;
			rc_item(cr, dl, &dl->items[i]);
		}
		if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
			ret = rl_err_set(err, -RL_E_LIB, NULL, RL_OFF_NONE, "cairo: %s",
					 cairo_status_to_string(cairo_status(cr)));
			cairo_destroy(cr);
			goto out;
		}
		cairo_destroy(cr);
		cairo_surface_flush(s);
		data = cairo_image_surface_get_data(s);
		stride = cairo_image_surface_get_stride(s);
		for (y = 0; y < rows; y++) {
			const uint32_t *px =
				(const uint32_t *)(const void *)(data + (size_t)y * stride);

			row[0] = 0; /* filter: none */
			for (x = 0; x < W; x++) {
				row[1 + 3 * x] = (unsigned char)(px[x] >> 16);
				row[2 + 3 * x] = (unsigned char)(px[x] >> 8);
				row[3 + 3 * x] = (unsigned char)px[x];
			}
			if (rc_deflate(p, row, (size_t)W * 3 + 1, Z_NO_FLUSH)) {
				ret = rl_err_set(err, -RL_E_LIB, NULL, RL_OFF_NONE,
						 "zlib: deflate failed");
				goto out;
			}
		}
	}
	if (rc_deflate(p, NULL, 0, Z_FINISH)) {
		ret = rl_err_set(err, -RL_E_LIB, NULL, RL_OFF_NONE, "zlib: deflate failed");
		goto out;
	}
	rc_chunk(p, "IEND", NULL, 0);
	if (p->bad || ferror(f))
		ret = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write PNG");
out:
	deflateEnd(&p->zs);
out_nozs:
	if (s)
		cairo_surface_destroy(s);
	free(row);
	free(p);
	return ret;
}

/**
 * rl_render_cairo() - write a display list as PNG or PDF
 * @dl:     the list
 * @format: RL_IMG_PNG or RL_IMG_PDF
 * @f:      where to
 * @err:    error out
 *
 * Return: 0, -RL_E_USAGE (bad format or a PNG too large), -RL_E_IO,
 * -RL_E_LIB or -RL_E_NOMEM.
 */
int rl_render_cairo(const struct rl_dl *dl, int format, FILE *f, struct rl_err *err)
{
	return rl_render_cairo_scaled(dl, format, 1.0, f, err);
}

/**
 * rl_render_cairo_scaled() - the same, a PNG at @scale pixels per device unit
 * @dl:     the list
 * @format: RL_IMG_PNG or RL_IMG_PDF (which ignores @scale)
 * @scale:  pixels per unit, (0, 100]
 * @f:      where to
 * @err:    error out
 *
 * Return: as rl_render_cairo().
 */
int rl_render_cairo_scaled(const struct rl_dl *dl, int format, double scale, FILE *f,
			   struct rl_err *err)
{
	if (format == RL_IMG_PDF)
		return rc_pdf(dl, f, err);
	if (format == RL_IMG_PNG)
		return rc_png(dl, scale, f, err);
	return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "cairo renders PNG and PDF only");
}

/**
 * rl_draw_cleanup() - free cairo's and fontconfig's process-wide caches
 *
 * Call once, at exit, after the last rendering (and only if no other part of
 * the process still uses cairo): it keeps leak checkers quiet. Drawing after
 * it works but rebuilds the caches.
 */
void rl_draw_cleanup(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
