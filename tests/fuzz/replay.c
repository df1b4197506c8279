/*
 * tests/fuzz/replay.c - run a fuzz target over its corpus as a TAP test.
 *
 * Linked with one tests/fuzz/fuzz-<reader>.c into build/tests/fuzz-<reader>.t.
 * Feeds every file of tests/fuzz/corpus/<reader>/ and testdata/bad/<reader>/
 * (and any paths given as arguments) to LLVMFuzzerTestOneInput(). Under
 * `make asan` a memory error aborts the run, so "ok" means the input was
 * handled without a crash, a sanitizer report or a hang.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n;

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		printf("not ok %d - cannot read %s\n", ++n, path);
		if (f)
			fclose(f);
		return;
	}
	buf = malloc(len ? (size_t)len : 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		printf("not ok %d - cannot read %s\n", ++n, path);
		fclose(f);
		free(buf);
		return;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	printf("ok %d - %s handled\n", ++n, path);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t nn = 0, cap = 0, i;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[4096];
		struct stat st;

		if (de->d_name[0] == '.' || strstr(de->d_name, ".expect"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (nn == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[nn++] = strdup(path);
	}
	closedir(d);
	if (nn)
		qsort(names, nn, sizeof(*names), name_cmp);
	for (i = 0; i < nn; i++) {
		run_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	const char *src = getenv("RL_SRCDIR");
	const char *base = strrchr(argv[0], '/');
	char reader[256], alt[256], dir[4096];
	size_t len;
	int i;

#ifdef RL_SRCDIR
	if (!src)
		src = RL_SRCDIR;
#endif
	if (!src)
		src = ".";
	base = base ? base + 1 : argv[0];
	if (!strncmp(base, "fuzz-", 5))
		base += 5;
	snprintf(reader, sizeof(reader), "%s", base);
	len = strlen(reader);
	if (len > 2 && !strcmp(reader + len - 2, ".t"))
		reader[len - 2] = 0;
	/* corpus folders are named with '-' or '_' (fuzz-trace-dat: trace-dat or trace_dat) */
	snprintf(alt, sizeof(alt), "%s", reader);
	for (len = 0; alt[len]; len++)
		if (alt[len] == '-')
			alt[len] = '_';
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", src, reader);
	run_dir(dir);
	snprintf(dir, sizeof(dir), "%s/testdata/bad/%s", src, reader);
	run_dir(dir);
	if (strcmp(alt, reader)) {
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", src, alt);
		run_dir(dir);
		snprintf(dir, sizeof(dir), "%s/testdata/bad/%s", src, alt);
		run_dir(dir);
	}
	for (i = 1; i < argc; i++)
		run_file(argv[i]);
	if (!n) {
		printf("1..0 # SKIP no corpus for %s (tests/fuzz/corpus/%s)\n", reader, reader);
		return 0;
	}
	printf("1..%d\n", n);
	return 0;
}
