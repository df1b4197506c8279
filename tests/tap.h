/*
 * tests/tap.h - a tiny TAP emitter for C unit tests (run by prove).
 *
 *   plan(N) or no plan + done_testing();  ok(cond, "name", ...);
 *   is_int(got, want, "name", ...);  is_str(got, want, "name", ...);
 *   diag("text", ...);  skip_all("reason");  return exit_status();
 * A failing check prints what it got and what it wanted.
 */
#ifndef RL_TAP_H
#define RL_TAP_H

#include <stddef.h>
#include <stdint.h>

void plan(int n);
void skip_all(const char *why, ...) __attribute__((format(printf, 1, 2), noreturn));
int ok_(int cond, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int is_int_(long long got, long long want, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
int is_str_(const char *got, const char *want, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void done_testing(void);
int exit_status(void);
/* Path of the shared test data, or NULL (then call skip_all or skip checks). */
const char *tap_shared_dir(void);
/* Project source directory (for testdata/). */
const char *tap_src_dir(void);
/* A whole file, NUL-terminated (malloc'ed; *len its size), or NULL. */
char *tap_slurp(const char *path, size_t *len);

#define ok(cond, ...) ok_(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...)                                                                     \
	is_int_((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) is_str_((got), (want), __FILE__, __LINE__, __VA_ARGS__)

#endif
