/* model/err.c - error values with location and causes. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RL_ERR(name, str) [RL_E_##name] = str,
static const char *const rl_err_strs[] = {[RL_E_OK] = "success", RL_ERRORS};
#undef RL_ERR

/**
 * rl_strerror() - describe an error code
 * @code: 0 or an RL_E_* code, positive or negated
 *
 * Return: a static string.
 */
const char *rl_strerror(int code)
{
	if (code < 0)
		code = -code;
	if (code >= RL_E_MAX_)
		return "unknown error";
	return rl_err_strs[code];
}

/**
 * rl_err_init() - clear an error
 * @e: the error
 */
void rl_err_init(struct rl_err *e)
{
	memset(e, 0, sizeof(*e));
	e->off = RL_OFF_NONE;
}

/**
 * rl_err_set() - record an error
 * @e:    the error to fill (may be NULL)
 * @code: negative RL_E_* code
 * @path: file concerned, or NULL
 * @off:  byte offset, or RL_OFF_NONE
 * @fmt:  message, lowercase, problem first
 *
 * Return: @code, so that callers can `return rl_err_set(...)`.
 */
int rl_err_set(struct rl_err *e, int code, const char *path, uint64_t off, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	rl_err_init(e);
	e->code = code;
	e->path = path;
	e->off = off;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

/**
 * rl_err_ctx() - append an outer cause ("while reading ...")
 * @e:   the error
 * @fmt: text of the cause
 */
void rl_err_ctx(struct rl_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e || e->nctx >= (int)(sizeof(e->ctx) / sizeof(e->ctx[0])))
		return;
	va_start(ap, fmt);
	vsnprintf(e->ctx[e->nctx], sizeof(e->ctx[0]), fmt, ap);
	va_end(ap);
	e->nctx++;
}

/**
 * rl_grow() - make room for @need elements in a growable array
 * @ptr:  pointer to the array pointer
 * @cap:  its capacity in elements
 * @need: elements required
 * @elem: element size
 *
 * Return: 0, or -RL_E_NOMEM (also on size overflow).
 */
int rl_grow(void **ptr, uint32_t *cap, uint32_t need, size_t elem)
{
	uint64_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? (uint64_t)*cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	if (ncap > UINT32_MAX)
		ncap = UINT32_MAX;
	if (ncap < need || ncap > SIZE_MAX / elem)
		return -RL_E_NOMEM;
	p = realloc(*ptr, (size_t)ncap * elem);
	if (!p)
		return -RL_E_NOMEM;
	*ptr = p;
	*cap = (uint32_t)ncap;
	return 0;
}

/**
 * rl_grow_zero() - rl_grow(), and the new elements past the old capacity are zeroed
 * @ptr:  pointer to the array pointer
 * @cap:  its capacity in elements
 * @need: elements required
 * @elem: element size
 *
 * Return: 0, or -RL_E_NOMEM (also on size overflow); on failure nothing changes.
 */
int rl_grow_zero(void **ptr, uint32_t *cap, uint32_t need, size_t elem)
{
	uint32_t old = *cap;
	int r = rl_grow(ptr, cap, need, elem);

	if (!r && *cap > old)
		memset((char *)*ptr + (size_t)old * elem, 0, (size_t)(*cap - old) * elem);
	return r;
}
