/* tests/fuzz/fuzz-skew-json.c - an rtlens skew --json read back (--skew=FILE.json) on any
 * bytes, then built into a correction and applied to extreme delays. */
#include <stdint.h>

#include "../../skew/skew.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t delays[] = {INT64_MIN, -1, 0, 1, INT64_MAX};
	struct rl_skew_result res;
	struct rl_skew_table st;
	struct rl_skew_build b;
	struct rl_err err;
	uint32_t a, c;
	int unit, force;
	size_t k;

	rl_err_init(&err);
	if (rl_skew_json_read("fuzz", (const char *)data, size, &res, &unit, &err) < 0) {
		rl_skew_result_release(&res);
		return 0;
	}
	for (force = 0; force < 2; force++) {
		rl_err_init(&err);
		if (rl_skew_table_build(&st, &res, unit, force, &b, &err) == 0)
			for (a = 0; a < st.ncpu && a < 8; a++)
				for (c = 0; c < st.ncpu && c < 8; c++)
					for (k = 0; k < sizeof(delays) / sizeof(delays[0]); k++) {
						int64_t v, u;

						if (rl_skew_ipi_correct(&st, a, c, delays[k], &v,
									&u))
							(void)rl_skew_undecided(v, u);
						(void)rl_skew_correct(&st, a, delays[k]);
					}
		rl_skew_table_release(&st);
	}
	rl_skew_result_release(&res);
	return 0;
}
