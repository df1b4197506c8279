/*
 * tests/fuzz/fuzz-ctf.c - the CTF adapter (libbabeltrace2's src.ctf.fs) on any
 * bytes: the input is a CTF trace folder in one blob, two little-endian bytes
 * giving the length of the TSDL metadata text, the metadata, then the bytes
 * of one data stream file. Both are written into a private temporary folder
 * (removed at exit), read as a trace, counted and through the Linux jobs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz-linux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__asan_default_options(void);

/*
 * Under ASan (libFuzzer build, and make asan's replay): babeltrace2's
 * plugins have no frame pointers, so only the slow unwinder reaches the
 * libbabeltrace2 frames that tests/fuzz/lsan.supp names (given by
 * LSAN_OPTIONS in make asan and tests/fuzz/smoke.sh; trace-dat.c has the
 * program's one __lsan_default_suppressions()).
 */
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

static char fz_dir[256], fz_meta[300], fz_stream[300];

static void fz_cleanup(void)
{
	unlink(fz_meta);
	unlink(fz_stream);
	rmdir(fz_dir);
}

static int fz_write(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(p, 1, n, f) == n;

	if (f && fclose(f))
		ok = 0;
	return ok ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rl_input in;
	size_t mlen;

	if (!fz_dir[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(fz_dir, sizeof(fz_dir), "%s/rtlens-fuzz-ctf.XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(fz_dir))
			abort();
		snprintf(fz_meta, sizeof(fz_meta), "%s/metadata", fz_dir);
		snprintf(fz_stream, sizeof(fz_stream), "%s/stream_0", fz_dir);
		atexit(fz_cleanup);
	}
	if (size < 2)
		return 0;
	mlen = (size_t)data[0] | (size_t)data[1] << 8;
	if (mlen > size - 2)
		mlen = size - 2;
	if (fz_write(fz_meta, data + 2, mlen) ||
	    fz_write(fz_stream, data + 2 + mlen, size - 2 - mlen))
		abort();
	memset(&in, 0, sizeof(in));
	in.path = fz_dir;
	in.is_dir = 1;
	return fuzz_linux_input(&in, &rl_reader_ctf);
}
