/* tests/unit-fmt.c - the fast decimal writers against printf, at every digit-group edge. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../stats/stats.h"
#include "tap.h"

/* 64-bit xorshift: values of every magnitude, reproducible. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int check_u64(uint64_t v)
{
	char want[32], got[32], *e;

	snprintf(want, sizeof(want), "%" PRIu64, v);
	e = rl_fmt_u64(got, v);
	*e = 0;
	return !strcmp(got, want);
}

static int check_i64(int64_t v)
{
	char want[48], got[48], *e;

	snprintf(want, sizeof(want), "%" PRId64 "|%25" PRId64, v, v);
	e = rl_fmt_i64(got, v);
	*e++ = '|';
	e = rl_fmt_i64_w(e, v, 25);
	*e = 0;
	return !strcmp(got, want);
}

int main(void)
{
	uint64_t p10 = 1, s = 88172645463325252ull;
	int i, bad = 0, n = 0;

	/* every power of ten and its neighbours, unsigned and signed */
	for (i = 0; i < 20; i++, p10 *= 10) {
		uint64_t e[3] = {p10 - 1, p10, p10 + 1};
		int k;

		for (k = 0; k < 3; k++) {
			bad += !check_u64(e[k]);
			bad += !check_i64((int64_t)e[k]);
			bad += !check_i64(-(int64_t)e[k]);
			n += 3;
		}
	}
	ok(!bad, "powers of ten and neighbours (%d values) print as printf does", n);
	ok(check_u64(0) && check_u64(UINT64_MAX) && check_i64(INT64_MIN) && check_i64(INT64_MAX) &&
		   check_i64(0),
	   "0, UINT64_MAX, INT64_MIN, INT64_MAX");
	for (bad = 0, i = 0; i < 200000; i++) {
		uint64_t v = next_rand(&s) >> (i % 64);

		bad += !check_u64(v) + !check_i64((int64_t)v);
	}
	ok(!bad, "200000 values of every magnitude print as printf does (%d differ)", bad);
	{
		char buf[32], *e = rl_fmt_u64_w(buf, 42, 6);

		*e = 0;
		is_str(buf, "    42", "right-aligned in 6 columns");
	}
	done_testing();
	return exit_status();
}
