/* tests/tap.c - see tap.h. */
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int tap_n, tap_fail, tap_planned = -1;

void plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
}

void skip_all(const char *why, ...)
{
	va_list ap;

	printf("1..0 # SKIP ");
	va_start(ap, why);
	vprintf(why, ap);
	va_end(ap);
	printf("\n");
	exit(0);
}

static void tap_line(int cond, const char *fmt, va_list ap)
{
	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	vprintf(fmt, ap);
	printf("\n");
	if (!cond)
		tap_fail++;
}

int ok_(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_line(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   failed at %s:%d\n", file, line);
	return cond;
}

int is_int_(long long got, long long want, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int cond = got == want;

	va_start(ap, fmt);
	tap_line(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   failed at %s:%d\n#          got: %lld\n#     expected: %lld\n", file,
		       line, got, want);
	return cond;
}

int is_str_(const char *got, const char *want, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int cond = got && want ? !strcmp(got, want) : got == want;

	va_start(ap, fmt);
	tap_line(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   failed at %s:%d\n#          got: '%s'\n#     expected: '%s'\n", file,
		       line, got ? got : "(null)", want ? want : "(null)");
	return cond;
}

void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_n);
}

int exit_status(void)
{
	if (tap_planned >= 0 && tap_planned != tap_n)
		return 255;
	return tap_fail > 255 ? 255 : tap_fail;
}

const char *tap_src_dir(void)
{
	const char *s = getenv("RL_SRCDIR");

#ifdef RL_SRCDIR
	if (!s)
		s = RL_SRCDIR;
#endif
	return s ? s : ".";
}

const char *tap_shared_dir(void)
{
	static char buf[4096];
	const char *s = getenv("RL_SHARED");
	struct stat st;

	if (!s) {
		snprintf(buf, sizeof(buf), "%s/../shared", tap_src_dir());
		s = buf;
	}
	if (stat(s, &st) || !S_ISDIR(st.st_mode))
		return NULL;
	return s;
}

char *tap_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	if (b)
		b[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return b;
}
