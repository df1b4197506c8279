/*
 * stats/fmt.c - fast decimal formatting for large tables.
 *
 * Job tables have tens of millions of rows; printf's format parsing was the
 * largest cost of writing them. These write digits straight into a buffer.
 */
#include "stats.h"

#include <string.h>

/*
 * rl_fmt_u64() - write @v in decimal
 * @p: where to write (at least 20 bytes)
 * @v: the value
 *
 * Return: the end of what was written (not NUL-terminated).
 */
static const char rl_digits2[201] = "00010203040506070809101112131415161718192021222324252627282930"
				    "31323334353637383940414243444546474849505152535455565758596061"
				    "62636465666768697071727374757677787980818283848586878889909192"
				    "93949596979899";

/* Digits of a 32-bit @v, written backwards ending at @end; returns the first digit. */
static char *rl_fmt_rev32(char *end, uint32_t v)
{
	while (v >= 100) {
		unsigned d = (v % 100) * 2;

		v /= 100;
		*--end = rl_digits2[d + 1];
		*--end = rl_digits2[d];
	}
	if (v >= 10) {
		unsigned d = v * 2;

		*--end = rl_digits2[d + 1];
		*--end = rl_digits2[d];
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

/*
 * Digits of @v, written backwards ending at @end; returns the first digit.
 * Eight digits at a time are split off with one 64-bit division, and each
 * group is written with 32-bit arithmetic, which is cheaper: timestamps in
 * ns have 13 to 20 digits.
 */
static char *rl_fmt_rev(char *end, uint64_t v)
{
	while (v >= 100000000u) {
		uint32_t lo = (uint32_t)(v % 100000000u);
		int k;

		v /= 100000000u;
		for (k = 0; k < 4; k++) {
			unsigned d = (lo % 100) * 2;

			lo /= 100;
			*--end = rl_digits2[d + 1];
			*--end = rl_digits2[d];
		}
	}
	return rl_fmt_rev32(end, (uint32_t)v);
}

/* Number of decimal digits of @v (1 for 0). */
static unsigned rl_ndigits(uint64_t v)
{
	static const uint64_t p10[20] = {1ull,
					 10ull,
					 100ull,
					 1000ull,
					 10000ull,
					 100000ull,
					 1000000ull,
					 10000000ull,
					 100000000ull,
					 1000000000ull,
					 10000000000ull,
					 100000000000ull,
					 1000000000000ull,
					 10000000000000ull,
					 100000000000000ull,
					 1000000000000000ull,
					 10000000000000000ull,
					 100000000000000000ull,
					 1000000000000000000ull,
					 10000000000000000000ull};
	/* log10(2) ~ 1233 / 4096: from the bit length, then one correction */
	unsigned t = ((64u - (unsigned)__builtin_clzll(v | 1)) * 1233u) >> 12;

	if (!v)
		return 1;
	return t + 1 - (v < p10[t]);
}

char *rl_fmt_u64(char *p, uint64_t v)
{
	unsigned n = rl_ndigits(v);

	/* written in place, backwards from the end: no copy */
	rl_fmt_rev(p + n, v);
	return p + n;
}

/**
 * rl_fmt_u64_w() - write @v right-aligned in @width columns (as printf "%*llu")
 * @p:     where to write
 * @v:     the value
 * @width: minimum field width
 *
 * Return: the end of what was written.
 */
char *rl_fmt_u64_w(char *p, uint64_t v, int width)
{
	int n = (int)rl_ndigits(v);

	while (width-- > n)
		*p++ = ' ';
	rl_fmt_rev(p + n, v);
	return p + n;
}

/**
 * rl_fmt_i64_w() - write @v right-aligned in @width columns (as printf "%*lld")
 * @p:     where to write
 * @v:     the value
 * @width: minimum field width
 *
 * Return: the end of what was written.
 */
char *rl_fmt_i64_w(char *p, int64_t v, int width)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int n = (int)rl_ndigits(u) + (v < 0);

	while (width-- > n)
		*p++ = ' ';
	if (v < 0)
		*p = '-';
	rl_fmt_rev(p + n, u);
	return p + n;
}

/**
 * rl_fmt_i64() - write @v in decimal, with a minus sign when negative
 * @p: where to write (at least 21 bytes)
 * @v: the value
 *
 * Return: the end of what was written.
 */
char *rl_fmt_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return rl_fmt_u64(p, (uint64_t)0 - (uint64_t)v);
	}
	return rl_fmt_u64(p, (uint64_t)v);
}

/**
 * rl_fmt_pad() - right-align the text between @start and @end in @width columns
 * @start: where the field begins
 * @end:   where its text ends
 * @width: field width; text longer than that is left as it is
 *
 * Return: the new end of the field.
 */
char *rl_fmt_pad(char *start, char *end, int width)
{
	int len = (int)(end - start);

	if (len >= width)
		return end;
	memmove(start + (width - len), start, (size_t)len);
	memset(start, ' ', (size_t)(width - len));
	return start + width;
}
