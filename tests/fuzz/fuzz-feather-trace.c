/* tests/fuzz/fuzz-feather-trace.c - the Feather-Trace reader, ft2csv emulation and
 * the overhead extraction on any bytes, in every layout and byte order. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../readers/feather-trace.h"
#include "../../stats/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned ids[] = {100, 104, 190, 208, 30, 10};
	struct rl_input in;
	struct rl_err err;
	FILE *null = fopen("/dev/null", "w");
	int layout, order;
	size_t k;

	if (!null)
		return 0;
	memset(&in, 0, sizeof(in));
	in.path = "fuzz_cpu=0.bin";
	in.buf = data;
	in.len = size;
	for (layout = 0; layout < 3; layout++)
		for (order = 0; order < 3; order++) {
			struct rl_ft_opts fo = {layout, order};
			struct rl_read_opts ro = {0};
			struct rl_ovh_opts oo;
			struct rl_ovh_report rep = {.fmt = RL_OUT_JSON,
						    .cycles_per_usec = 1000.0,
						    .equalize = 1,
						    .seed = 3};
			struct rl_ft2csv_opts fc;
			struct rl_ft2csv_counts c;
			struct rl_ft_file f;
			struct rl_trace *t = rl_trace_new();
			struct rl_merge *m;
			struct rl_event ev;
			struct rl_ovh *h;

			rl_err_init(&err);
			if (!t || rl_ft_file_init(&f, &in, &fo, &err)) {
				rl_trace_free(t);
				continue;
			}
			rl_ft2csv_opts_init(&fc);
			fc.want_interleaved = order != 1;
			fc.find_by_pid = layout == 2 ? 1 : -1;
			for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++)
				rl_ft2csv_run(&f, ids[k], &fc, null, &c);
			rl_ft2csv_list(&f, null);
			memset(&oo, 0, sizeof(oo));
			oo.only_cpu = oo.avoid_cpu = -1;
			oo.per_cpu = order == 2;
			oo.keep_negative = layout == 1;
			oo.mem_budget = 256; /* exercise spilling */
			h = rl_ovh_new(&oo, &err);
			if (h && rl_ovh_group(h, "n=4_x=y", &err) == 0 &&
			    !rl_ovh_add_file(h, &f, 0, t, 0, &err)) {
				rl_ovh_write_stats(h, null, &rep, &err);
				rl_ovh_write_dist(h, null, 0, &err);
				rl_ovh_write_samples(h, null, 104, 0, &err);
				rl_ovh_write_schedcat(h, null, &rep, "x=y", 0, &err);
			}
			rl_ovh_free(h);
			ro.ft_layout = layout;
			ro.ft_order = order;
			m = rl_open_merge(&in, 1, &rl_reader_feathertrace, t, &ro, &err);
			if (m) {
				while (rl_merge_next(m, &ev, &err) > 0)
					;
				rl_merge_free(m);
			}
			rl_trace_free(t);
		}
	fclose(null);
	return 0;
}
