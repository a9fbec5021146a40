// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The pass the two overlap rules share: blocks sorted by virtual or physical address,
 * each pair closer than a block reported once.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "rules/rules.h"

struct keyed {
	uint64_t key;
	size_t pos;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

int tce_rule_overlaps(struct rule_ctx *c, bool phys)
{
	const struct vm_walk *w = &c->m->walk;
	uint64_t bs = w->block_size;
	struct keyed *s;
	char key[64];
	size_t i;
	int ret = 0;

	if (!tce_rule_need_walk(c) || w->nblocks < 2)
		return 0;
	s = malloc(w->nblocks * sizeof(*s));
	if (!s)
		return tce_err_set(c->err, TCE_ENOMEM, "overlaps of %zu blocks: out of memory",
				   w->nblocks);
	for (i = 0; i < w->nblocks; i++) {
		s[i].key = phys ? w->blocks[i].phys : w->blocks[i].virt;
		s[i].pos = i;
	}
	qsort(s, w->nblocks, sizeof(*s), cmp_keyed);
	for (i = 1; !ret && i < w->nblocks; i++) {
		uint64_t a = s[i - 1].key, b = s[i].key;
		size_t pa = s[i - 1].pos, pb = s[i].pos;

		if (b - a >= bs)
			continue;
		snprintf(key, sizeof(key), "entries:%zu,%zu", pa < pb ? pa : pb,
			 pa < pb ? pb : pa);
		ret = tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key,
				       "vmemmap_list entries %zu and %zu overlap in %s memory "
				       "(0x%" PRIx64 " and 0x%" PRIx64 ", blocks of 0x%" PRIx64
				       ")", pa, pb, phys ? "physical" : "virtual", a, b, bs);
	}
	free(s);
	return ret;
}
