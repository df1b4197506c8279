/*
 * stats/rowstore.c - fixed-size rows grouped by key, spilled to a temporary file.
 *
 * Analyses finish rows in time order but print them grouped by task. Full
 * chunks stay in memory up to a budget (64 MiB); past it they go to an
 * unlinked temporary file, so memory is bounded by the budget plus one
 * chunk per key, whatever the number of rows. The budget is the caller's
 * (an analysis passes its --mem-budget option; 0 means RL_ROWSTORE_BUDGET).
 */
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RS_CHUNK_BYTES 8192

struct rs_chunk {
	uint8_t *mem; /* the rows, or NULL when spilled */
	uint64_t off; /* file offset when spilled */
};

struct rs_key {
	uint8_t *buf;	  /* current chunk */
	uint32_t nbuf;	  /* rows in it */
	uint32_t nchunks; /* full chunks */
	uint32_t cap_chunks;
	struct rs_chunk *chunks;
	uint64_t nrows;
};

struct rl_rowstore {
	size_t rowsz;
	uint32_t per_chunk;
	struct rs_key *keys;
	uint32_t nkeys, cap_keys;
	FILE *spill;
	uint64_t spill_off;
	uint64_t mem_used, budget;
	uint64_t nspilled; /* chunks written to the temporary file */
};

/**
 * rl_rowstore_new() - create a store of rows of @rowsz bytes
 * @rowsz:  row size in bytes (1..4096)
 * @budget: bytes of full chunks kept in memory before they spill to a
 *          temporary file; 0 for RL_ROWSTORE_BUDGET (64 MiB)
 *
 * Return: the store, or NULL when out of memory.
 */
struct rl_rowstore *rl_rowstore_new(size_t rowsz, uint64_t budget)
{
	struct rl_rowstore *rs;

	if (!rowsz || rowsz > 4096)
		return NULL;
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return NULL;
	rs->rowsz = rowsz;
	rs->budget = budget ? budget : RL_ROWSTORE_BUDGET;
	rs->per_chunk = (uint32_t)(RS_CHUNK_BYTES / rowsz);
	if (!rs->per_chunk)
		rs->per_chunk = 1;
	return rs;
}

/**
 * rl_rowstore_free() - free a store and its temporary file
 * @rs: the store (NULL is a no-op)
 */
void rl_rowstore_free(struct rl_rowstore *rs)
{
	uint32_t i;

	if (!rs)
		return;
	for (i = 0; i < rs->nkeys; i++) {
		uint32_t c;

		for (c = 0; c < rs->keys[i].nchunks; c++)
			free(rs->keys[i].chunks[c].mem);
		free(rs->keys[i].buf);
		free(rs->keys[i].chunks);
	}
	free(rs->keys);
	if (rs->spill)
		fclose(rs->spill);
	free(rs);
}

/**
 * rl_rowstore_nkeys() - number of keys that have (or had room for) rows
 * @rs: the store
 *
 * Return: one more than the largest key added.
 */
uint32_t rl_rowstore_nkeys(const struct rl_rowstore *rs)
{
	return rs->nkeys;
}

/**
 * rl_rowstore_count() - rows stored under a key
 * @rs:  the store
 * @key: the key
 *
 * Return: the count.
 */
uint64_t rl_rowstore_count(const struct rl_rowstore *rs, uint32_t key)
{
	return key < rs->nkeys ? rs->keys[key].nrows : 0;
}

/**
 * rl_rowstore_nspilled() - chunks that went to the temporary file
 * @rs: the store
 *
 * Return: how many full chunks were written out because the budget was used up.
 */
uint64_t rl_rowstore_nspilled(const struct rl_rowstore *rs)
{
	return rs->nspilled;
}

/**
 * rl_rowstore_add() - append a row under a key
 * @rs:  the store
 * @key: the key (a task index)
 * @row: rowsz bytes
 * @err: error out
 *
 * Return: 0 or a negative RL_E_* code.
 */
int rl_rowstore_add(struct rl_rowstore *rs, uint32_t key, const void *row, struct rl_err *err)
{
	struct rs_key *k;

	if (key >= rs->nkeys) {
		if (key == UINT32_MAX ||
		    rl_grow_zero((void **)&rs->keys, &rs->cap_keys, key + 1, sizeof(*rs->keys)))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
					  "cannot grow row store to %u keys", key + 1);
		rs->nkeys = key + 1;
	}
	k = &rs->keys[key];
	if (!k->buf) {
		k->buf = malloc(rs->rowsz * rs->per_chunk);
		if (!k->buf)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
					  "cannot allocate row chunk");
	}
	if (k->nbuf == rs->per_chunk) {
		size_t csz = rs->rowsz * rs->per_chunk;
		struct rs_chunk *ch;

		if (rl_grow((void **)&k->chunks, &k->cap_chunks, k->nchunks + 1,
			    sizeof(*k->chunks)))
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
					  "cannot grow chunk list");
		ch = &k->chunks[k->nchunks];
		ch->mem = NULL;
		if (rs->mem_used + csz <= rs->budget) {
			/* keep the full chunk in memory, start a new one */
			uint8_t *nb = malloc(csz);

			if (nb) {
				ch->mem = k->buf;
				k->buf = nb;
				rs->mem_used += csz;
			}
		}
		if (!ch->mem) {
			if (!rs->spill) {
				rs->spill = tmpfile();
				if (!rs->spill)
					return rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE,
							  "cannot create temporary file for rows");
			}
			if (fseeko(rs->spill, (off_t)rs->spill_off, SEEK_SET) ||
			    fwrite(k->buf, rs->rowsz, rs->per_chunk, rs->spill) != rs->per_chunk)
				return rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE,
						  "cannot write temporary rows (disk full?)");
			ch->off = rs->spill_off;
			rs->spill_off += csz;
			rs->nspilled++;
		}
		k->nchunks++;
		k->nbuf = 0;
	}
	memcpy(k->buf + rs->rowsz * k->nbuf++, row, rs->rowsz);
	k->nrows++;
	return 0;
}

/**
 * rl_rowstore_each() - visit the rows of a key in insertion order
 * @rs:  the store
 * @key: the key
 * @fn:  called per row; a negative return stops the walk and is returned
 * @arg: passed to @fn
 * @err: error out
 *
 * Return: 0 or a negative code.
 */
int rl_rowstore_each(struct rl_rowstore *rs, uint32_t key,
		     int (*fn)(void *arg, const void *row, struct rl_err *err), void *arg,
		     struct rl_err *err)
{
	struct rs_key *k;
	uint8_t *tmp = NULL;
	uint32_t c, i;
	int r = 0;

	if (key >= rs->nkeys)
		return 0;
	k = &rs->keys[key];
	if (k->nchunks) {
		tmp = malloc(rs->rowsz * rs->per_chunk);
		if (!tmp)
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE,
					  "cannot allocate row chunk");
	}
	if (rs->spill)
		fflush(rs->spill);
	for (c = 0; c < k->nchunks; c++) {
		const uint8_t *rows = k->chunks[c].mem;

		if (!rows) {
			if (fseeko(rs->spill, (off_t)k->chunks[c].off, SEEK_SET) ||
			    fread(tmp, rs->rowsz, rs->per_chunk, rs->spill) != rs->per_chunk) {
				r = rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE,
					       "cannot read temporary rows");
				goto out;
			}
			rows = tmp;
		}
		for (i = 0; i < rs->per_chunk; i++) {
			r = fn(arg, rows + rs->rowsz * i, err);
			if (r < 0)
				goto out;
		}
	}
	for (i = 0; i < k->nbuf; i++) {
		r = fn(arg, k->buf + rs->rowsz * i, err);
		if (r < 0)
			goto out;
	}
out:
	free(tmp);
	return r < 0 ? r : 0;
}

/**
 * rl_rowstore_i64() - the rows of a key of an int64_t store, as an array
 * @rs:  the store (rows of sizeof(int64_t) bytes)
 * @key: the key
 * @v:   a growable array (may be NULL with *@cap 0), grown as needed
 * @n:   receives the number of values, in insertion order
 * @cap: its capacity in elements
 * @err: error out
 *
 * Return: 0 or a negative code.
 */
int rl_rowstore_i64(struct rl_rowstore *rs, uint32_t key, int64_t **v, uint32_t *n, uint32_t *cap,
		    struct rl_err *err)
{
	const struct rs_key *k;
	uint32_t c;

	*n = 0;
	if (rs->rowsz != sizeof(int64_t))
		return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "not a store of int64 rows");
	if (key >= rs->nkeys || !rs->keys[key].nrows)
		return 0;
	k = &rs->keys[key];
	if (k->nrows > UINT32_MAX || rl_grow((void **)v, cap, (uint32_t)k->nrows, sizeof(**v)))
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	if (rs->spill)
		fflush(rs->spill);
	for (c = 0; c < k->nchunks; c++) {
		int64_t *dst = *v + (size_t)c * rs->per_chunk;

		if (k->chunks[c].mem) {
			memcpy(dst, k->chunks[c].mem, rs->rowsz * rs->per_chunk);
		} else if (fseeko(rs->spill, (off_t)k->chunks[c].off, SEEK_SET) ||
			   fread(dst, rs->rowsz, rs->per_chunk, rs->spill) != rs->per_chunk) {
			return rl_err_set(err, -RL_E_IO, NULL, RL_OFF_NONE,
					  "cannot read temporary rows");
		}
	}
	memcpy(*v + (size_t)k->nchunks * rs->per_chunk, k->buf, rs->rowsz * k->nbuf);
	*n = (uint32_t)k->nrows;
	return 0;
}
