/*
 * draw/render-svg.c - a display list as SVG, written directly.
 *
 * Each item becomes one element whose class names what it shows (exec,
 * release, deadline, ...) and whose <title> child carries the hover text.
 * Merged items say how many trace items they stand for in data-n. Text is
 * aligned with text-anchor and a baseline offset from the font size, so no
 * font metrics are needed here.
 */
#include "draw.h"

#include <string.h>
#include <strings.h>

#define SVG_CAP_HEIGHT 0.73 /* DejaVu Sans, the usual sans-serif on Linux */

static void svg_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			/* control characters are not allowed in XML 1.0 */
			fputc((unsigned char)*s < 0x20 ? '?' : *s, f);
		}
	}
}

static void svg_color(FILE *f, const char *attr, const struct rl_dl_item *it)
{
	fprintf(f, " %s=\"#%06x\"", attr, it->rgb & 0xffffffu);
	if (it->alpha != 255)
		fprintf(f, " %s-opacity=\"%.3f\"", attr, it->alpha / 255.0);
}

static void svg_close(FILE *f, const struct rl_dl *dl, const struct rl_dl_item *it, const char *tag)
{
	if (!it->title) {
		fputs("/>\n", f);
		return;
	}
	fputs("><title>", f);
	svg_escape(f, rl_dl_str(dl, it->title));
	fprintf(f, "</title></%s>\n", tag);
}

static void svg_common(FILE *f, const struct rl_dl_item *it)
{
	fprintf(f, " class=\"%s\"", rl_dl_class_name(it->cls));
	if (it->count != 1)
		fprintf(f, " data-n=\"%u\"", it->count);
}

static void svg_stroke(FILE *f, const struct rl_dl_item *it)
{
	svg_color(f, "stroke", it);
	fprintf(f, " stroke-width=\"%.2f\"", it->width);
	if (it->flags & RL_DLF_DASHED)
		fputs(" stroke-dasharray=\"3,3\"", f);
	if (it->flags & RL_DLF_ROUND)
		fputs(" stroke-linejoin=\"round\"", f);
}

/* Hatching patterns (only when some item uses one): id rl-p<kind><d|l>. */
static void svg_patterns(FILE *f, const struct rl_dl *dl)
{
	static const char *const path[RL_PAT_KINDS] = {"",	 "M0 2H4", "M0 2H4", "M0 2H4M2 0V4",
						       "M0 2H4", "M2 0V4"};
	static const char *const rot[RL_PAT_KINDS] = {"",
						      " patternTransform=\"rotate(-45)\"",
						      " patternTransform=\"rotate(45)\"",
						      " patternTransform=\"rotate(45)\"",
						      "",
						      ""};
	uint8_t used[RL_PAT_KINDS][2] = {{0}};
	uint32_t i;
	int k, light, any = 0;

	for (i = 0; i < dl->n; i++) {
		k = dl->items[i].pattern & 0x7f;
		if (dl->items[i].kind == RL_DL_RECT && k > 0 && k < RL_PAT_KINDS) {
			used[k][(dl->items[i].pattern & RL_PAT_LIGHT) ? 1 : 0] = 1;
			any = 1;
		}
	}
	if (!any)
		return;
	fputs("<defs>\n", f);
	for (k = 1; k < RL_PAT_KINDS; k++)
		for (light = 0; light < 2; light++)
			if (used[k][light])
				fprintf(f,
					"<pattern id=\"rl-p%d%c\" patternUnits=\"userSpaceOnUse\" "
					"width=\"4\" height=\"4\"%s><path d=\"%s\" stroke=\"#%s\" "
					"stroke-width=\"0.6\"/></pattern>\n",
					k, light ? 'l' : 'd', rot[k], path[k],
					light ? "ffffff" : "000000");
	fputs("</defs>\n", f);
}

/* A RECT's hatching over its fill, as a second rectangle. */
static void svg_hatch(FILE *f, const struct rl_dl_item *it)
{
	int k = it->pattern & 0x7f;

	if (!k || k >= RL_PAT_KINDS)
		return;
	fprintf(f,
		"<rect class=\"hatch\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
		"fill=\"url(#rl-p%d%c)\"",
		it->x0, it->y0, it->x1 - it->x0, it->y1 - it->y0, k,
		(it->pattern & RL_PAT_LIGHT) ? 'l' : 'd');
	if (it->alpha != 255)
		fprintf(f, " fill-opacity=\"%.3f\"", it->alpha / 255.0);
	fputs("/>\n", f);
}

/**
 * rl_render_svg() - write a display list as an SVG document
 * @dl:  the list
 * @f:   where to
 * @err: error out
 *
 * Return: 0 or -RL_E_IO.
 */
int rl_render_svg(const struct rl_dl *dl, FILE *f, struct rl_err *err)
{
	static const char *const anchors[] = {"start", "middle", "end", "start"};
	uint32_t i, k;
	double dy;

	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
		"height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n",
		dl->w, dl->h, dl->w, dl->h);
	svg_patterns(f, dl);
	for (i = 0; i < dl->n; i++) {
		const struct rl_dl_item *it = &dl->items[i];

		switch (it->kind) {
		case RL_DL_RECT:
			fputs("<rect", f);
			svg_common(f, it);
			fprintf(f, " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", it->x0,
				it->y0, it->x1 - it->x0, it->y1 - it->y0);
			svg_color(f, "fill", it);
			if (it->flags & RL_DLF_OUTLINE)
				fputs(" stroke=\"#333333\" stroke-width=\"0.5\"", f);
			svg_close(f, dl, it, "rect");
			svg_hatch(f, it);
			break;
		case RL_DL_LINE:
			fputs("<line", f);
			svg_common(f, it);
			fprintf(f, " x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"", it->x0,
				it->y0, it->x1, it->y1);
			svg_stroke(f, it);
			svg_close(f, dl, it, "line");
			break;
		case RL_DL_POLY: {
			const char *tag = (it->flags & RL_DLF_CLOSED) ? "polygon" : "polyline";

			fprintf(f, "<%s", tag);
			svg_common(f, it);
			fputs(" points=\"", f);
			for (k = 0; k < it->npts; k++)
				fprintf(f, "%s%.2f,%.2f", k ? " " : "", dl->pts[2 * (it->pts + k)],
					dl->pts[2 * (it->pts + k) + 1]);
			fputc('"', f);
			if (it->flags & RL_DLF_FILL) {
				svg_color(f, "fill", it);
			} else {
				fputs(" fill=\"none\"", f);
				svg_stroke(f, it);
			}
			svg_close(f, dl, it, tag);
			break;
		}
		default:
			fputs("<text", f);
			svg_common(f, it);
			/*
			 * Baseline placed here rather than with dominant-baseline,
			 * which viewers support unevenly: the ink of digits and capitals
			 * is about SVG_CAP_HEIGHT of the font size above the baseline.
			 */
			dy = (it->align & RL_VA_TOP)	  ? SVG_CAP_HEIGHT * it->width
			     : (it->align & RL_VA_MIDDLE) ? SVG_CAP_HEIGHT / 2 * it->width
							  : 0;
			fprintf(f, " x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" text-anchor=\"%s\"",
				it->x0, it->y0 + dy, it->width, anchors[it->align & 3]);
			if (it->flags & RL_DLF_BOLD)
				fputs(" font-weight=\"bold\"", f);
			svg_color(f, "fill", it);
			fputc('>', f);
			if (it->title) {
				fputs("<title>", f);
				svg_escape(f, rl_dl_str(dl, it->title));
				fputs("</title>", f);
			}
			svg_escape(f, rl_dl_str(dl, it->str));
			fputs("</text>\n", f);
			break;
		}
	}
	fputs("</svg>\n", f);
	if (ferror(f))
		return rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE, "cannot write SVG");
	return 0;
}

/**
 * rl_img_format_by_name() - an image format from its name
 * @name: "png", "svg" or "pdf" (any case)
 *
 * Return: RL_IMG_* or RL_IMG_NONE.
 */
int rl_img_format_by_name(const char *name)
{
	if (!strcasecmp(name, "png"))
		return RL_IMG_PNG;
	if (!strcasecmp(name, "svg"))
		return RL_IMG_SVG;
	if (!strcasecmp(name, "pdf"))
		return RL_IMG_PDF;
	return RL_IMG_NONE;
}

/**
 * rl_img_format_of_path() - an image format from a file name's extension
 * @path: the file name
 *
 * Return: RL_IMG_* or RL_IMG_NONE.
 */
int rl_img_format_of_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return RL_IMG_NONE;
	return rl_img_format_by_name(dot + 1);
}

/**
 * rl_render() - write a display list in a format
 * @dl:     the list
 * @format: RL_IMG_PNG, RL_IMG_SVG or RL_IMG_PDF
 * @f:      where to
 * @err:    error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_render(const struct rl_dl *dl, int format, FILE *f, struct rl_err *err)
{
	return rl_render_scaled(dl, format, 1.0, f, err);
}

/**
 * rl_render_scaled() - write a display list, a PNG at @scale pixels per unit
 * @dl:     the list
 * @format: RL_IMG_PNG, RL_IMG_SVG or RL_IMG_PDF
 * @scale:  PNG pixels per device unit (1: 72 dpi)
 * @f:      where to
 * @err:    error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_render_scaled(const struct rl_dl *dl, int format, double scale, FILE *f, struct rl_err *err)
{
	if (format == RL_IMG_SVG)
		return rl_render_svg(dl, f, err);
	return rl_render_cairo_scaled(dl, format, scale, f, err);
}
