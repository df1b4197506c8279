/* tests/fuzz/fuzz-cyclictest.c - the cyclictest reader (text and JSON) on any bytes. */
#include <stdint.h>

#include "../../readers/cyclictest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double qs[] = {0, 0.5, 0.99, 0.99999, 1};
	struct rl_cyclictest c;
	struct rl_err err;
	uint32_t i, k;
	double v;

	rl_cyclictest_probe(data, size);
	rl_cyclictest_init(&c);
	rl_err_init(&err);
	if (rl_cyclictest_parse(&c, data, size, "fuzz", &err))
		return 0;
	for (i = 0; i < c.nthreads; i++) {
		for (k = 0; k < sizeof(qs) / sizeof(qs[0]); k++)
			rl_cyclictest_quantile(&c.threads[i], qs[k], &v);
		rl_cyclictest_hist_mean(&c.threads[i], &v);
	}
	rl_cyclictest_meta(&c, "cmdline");
	rl_cyclictest_release(&c);
	return 0;
}
