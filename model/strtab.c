/* model/strtab.c - interned strings, freed all at once with their table. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

struct rl_strtab {
	char **strs; /* id -> string; id 0 is "" */
	uint32_t n, cap;
	uint32_t *hash; /* open addressing: id or 0 */
	uint32_t hcap;
	char *block; /* current allocation block */
	size_t bused, bsize;
	char **blocks;
	uint32_t nblocks, cap_blocks;
	char empty[1];
};

static uint32_t rl_strhash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/**
 * rl_strtab_new() - create an empty string table
 *
 * Return: the table, or NULL when out of memory.
 */
struct rl_strtab *rl_strtab_new(void)
{
	struct rl_strtab *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->hcap = 256;
	st->hash = calloc(st->hcap, sizeof(*st->hash));
	st->strs = calloc(16, sizeof(*st->strs));
	if (!st->hash || !st->strs) {
		free(st->hash);
		free(st->strs);
		free(st);
		return NULL;
	}
	st->cap = 16;
	st->strs[0] = st->empty;
	st->n = 1;
	return st;
}

/**
 * rl_strtab_free() - free a table and every string in it
 * @st: the table (NULL is a no-op)
 */
void rl_strtab_free(struct rl_strtab *st)
{
	uint32_t i;

	if (!st)
		return;
	for (i = 0; i < st->nblocks; i++)
		free(st->blocks[i]);
	free(st->blocks);
	free(st->hash);
	free(st->strs);
	free(st);
}

static char *rl_strtab_alloc(struct rl_strtab *st, size_t len)
{
	char *p;

	if (st->block && st->bused + len <= st->bsize) {
		p = st->block + st->bused;
		st->bused += len;
		return p;
	}
	if (rl_grow((void **)&st->blocks, &st->cap_blocks, st->nblocks + 1, sizeof(char *)))
		return NULL;
	st->bsize = len > 65536 ? len : 65536;
	st->block = malloc(st->bsize);
	if (!st->block)
		return NULL;
	st->blocks[st->nblocks++] = st->block;
	st->bused = len;
	return st->block;
}

static int rl_strtab_rehash(struct rl_strtab *st)
{
	uint32_t ncap = st->hcap * 2, i, *nh;

	nh = calloc(ncap, sizeof(*nh));
	if (!nh)
		return -RL_E_NOMEM;
	for (i = 1; i < st->n; i++) {
		uint32_t h = rl_strhash(st->strs[i], strlen(st->strs[i])) & (ncap - 1);

		while (nh[h])
			h = (h + 1) & (ncap - 1);
		nh[h] = i;
	}
	free(st->hash);
	st->hash = nh;
	st->hcap = ncap;
	return 0;
}

/**
 * rl_strtab_intern() - intern a string
 * @st:  the table
 * @s:   bytes of the string (need not be NUL-terminated)
 * @len: number of bytes; a NUL inside ends the string early
 *
 * Return: the id (>= 1), or 0 when out of memory.
 */
uint32_t rl_strtab_intern(struct rl_strtab *st, const char *s, size_t len)
{
	uint32_t h, id;
	char *p;
	const char *nul = memchr(s, 0, len);

	if (nul)
		len = (size_t)(nul - s);
	if ((uint64_t)st->n * 2 >= st->hcap && rl_strtab_rehash(st))
		return 0;
	h = rl_strhash(s, len) & (st->hcap - 1);
	while ((id = st->hash[h])) {
		if (!strncmp(st->strs[id], s, len) && st->strs[id][len] == 0)
			return id;
		h = (h + 1) & (st->hcap - 1);
	}
	if (rl_grow((void **)&st->strs, &st->cap, st->n + 1, sizeof(char *)))
		return 0;
	p = rl_strtab_alloc(st, len + 1);
	if (!p)
		return 0;
	memcpy(p, s, len);
	p[len] = 0;
	id = st->n++;
	st->strs[id] = p;
	st->hash[h] = id;
	return id;
}

/**
 * rl_strtab_get() - look up an interned string
 * @st: the table
 * @id: an id from rl_strtab_intern()
 *
 * Return: the string, "" for 0 or unknown ids.
 */
const char *rl_strtab_get(const struct rl_strtab *st, uint32_t id)
{
	if (!st || id >= st->n)
		return "";
	return st->strs[id];
}
