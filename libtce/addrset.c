// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A set of addresses, each with the position it was first met at: open addressing
 * over a table that doubles, so every walk of a structure the dump links (lists,
 * trees, page tables, levels, the modules list) can tell a node it has met before,
 * with memory bounded by the nodes it met.  Knows nothing of dumps.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base.h"

static uint64_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static int set_grow(struct addr_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64, i;
	uint64_t *key = calloc(cap, sizeof(*key));
	size_t *pos = calloc(cap, sizeof(*pos));

	if (!key || !pos) {
		free(key);
		free(pos);
		return -TCE_ENOMEM;
	}
	for (i = 0; i < s->cap; i++) {
		size_t h;

		if (!s->key[i])
			continue;
		for (h = hash64(s->key[i]) & (cap - 1); key[h]; h = (h + 1) & (cap - 1))
			;
		key[h] = s->key[i];
		pos[h] = s->pos[i];
	}
	free(s->key);
	free(s->pos);
	s->key = key;
	s->pos = pos;
	s->cap = cap;
	return 0;
}

/* The slot of a in s (cap > 0): where it is, or the empty one it would go in */
static size_t slot_of(const struct addr_set *s, uint64_t a)
{
	size_t h;

	for (h = hash64(a) & (s->cap - 1); s->key[h] && s->key[h] != a;
	     h = (h + 1) & (s->cap - 1))
		;
	return h;
}

int tce_addrset_add(struct addr_set *s, uint64_t a, size_t pos, size_t *first)
{
	size_t h;

	if ((s->n + 1) * 2 > s->cap && set_grow(s))
		return -TCE_ENOMEM;
	h = slot_of(s, a);
	if (s->key[h]) {
		if (first)
			*first = s->pos[h];
		return 1;
	}
	s->key[h] = a;
	s->pos[h] = pos;
	s->n++;
	return 0;
}

int tce_addrset_find(const struct addr_set *s, uint64_t a, size_t *pos)
{
	size_t h;

	if (!s->cap)
		return 0;
	h = slot_of(s, a);
	if (!s->key[h])
		return 0;
	*pos = s->pos[h];
	return 1;
}

void tce_addrset_free(struct addr_set *s)
{
	free(s->key);
	free(s->pos);
	memset(s, 0, sizeof(*s));
}
