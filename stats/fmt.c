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
static inline __attribute__((always_inline)) char *rl_fmt_rev32(char *end, uint32_t v)
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

/* The 8 digits of @v < 10^8, leading zeros included, at @p. */
static inline void rl_fmt_put8(char *p, uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/*
	 * All eight at once in one 64-bit word, most significant digit in the
	 * lowest byte: split into 4-digit halves (32-bit lanes), each into 2-digit
	 * quarters (16-bit lanes), each into digits (bytes), dividing by 100 and
	 * by 10 as multiplications that are exact in these ranges (x * 10486 >> 20
	 * = x / 100 for x < 10^4; x * 103 >> 10 = x / 10 for x < 100). Checked
	 * against printf for every value below 10^8.
	 */
	uint64_t t = (uint64_t)(v / 10000) | ((uint64_t)(v % 10000) << 32);
	uint64_t h = ((t * 10486) >> 20) & 0x0000007f0000007full;

	t = h | ((t - h * 100) << 16);
	h = ((t * 103) >> 10) & 0x000f000f000f000full;
	t = h | ((t - h * 10) << 8);
	t |= 0x3030303030303030ull;
	memcpy(p, &t, 8);
#else
	int k;

	for (k = 0; k < 4; k++) {
		unsigned d = (v % 100) * 2;

		v /= 100;
		p[7 - 2 * k] = rl_digits2[d + 1];
		p[6 - 2 * k] = rl_digits2[d];
	}
#endif
}

/*
 * Digits of @v, written backwards ending at @end; returns the first digit.
 * Eight digits at a time are split off with one 64-bit division and written
 * at once; the rest, below 10^8, with 32-bit arithmetic: timestamps in ns
 * have 10 to 20 digits.
 */
static inline __attribute__((always_inline)) char *rl_fmt_rev(char *end, uint64_t v)
{
	while (v >= 100000000u) {
		end -= 8;
		rl_fmt_put8(end, (uint32_t)(v % 100000000u));
		v /= 100000000u;
	}
	return rl_fmt_rev32(end, (uint32_t)v);
}

/* Number of decimal digits of @v (1 for 0). */
static inline unsigned rl_ndigits(uint64_t v)
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

/*
 * @n spaces at @p (a field's padding) in fixed-size stores: a byte loop here
 * becomes a call to memset, which costs more than the few bytes it writes.
 */
static inline char *rl_fmt_spaces(char *p, int n)
{
	for (; n >= 8; n -= 8, p += 8)
		memcpy(p, "        ", 8);
	if (n & 4) {
		memcpy(p, "    ", 4);
		p += 4;
	}
	if (n & 2) {
		memcpy(p, "  ", 2);
		p += 2;
	}
	if (n & 1)
		*p++ = ' ';
	return p;
}

/* rl_fmt_u64(), inlined into the writers of this file (one call per number, not three). */
static inline __attribute__((always_inline)) char *rl_fmt_u64_in(char *p, uint64_t v)
{
	unsigned n = rl_ndigits(v);

	/* written in place, backwards from the end: no copy */
	rl_fmt_rev(p + n, v);
	return p + n;
}

char *rl_fmt_u64(char *p, uint64_t v)
{
	return rl_fmt_u64_in(p, v);
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

	if (width > n)
		p = rl_fmt_spaces(p, width - n);
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

	if (width > n)
		p = rl_fmt_spaces(p, width - n);
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
		return rl_fmt_u64_in(p, (uint64_t)0 - (uint64_t)v);
	}
	return rl_fmt_u64_in(p, (uint64_t)v);
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
