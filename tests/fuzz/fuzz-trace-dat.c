/* tests/fuzz/fuzz-trace-dat.c - the trace.dat reader, counts and Linux jobs on any bytes. */
#include "fuzz-linux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_linux(data, size, &rl_reader_tracedat);
}
