// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A cache of dump blocks for small physical reads.  Walkers read a struct page (64
 * bytes), a TCE (8), a list node at a time, mostly near the last read; each such read
 * through libkdumpfile costs a lock, a cache lookup and range checks, ten times the copy.
 * Here a read is served from a 4 KiB block read whole once: 4-way set-associative,
 * 32 MiB in all, allocated at the first small read.  Blocks of the dump's 64 KiB page
 * made a random struct page read 5 to 10 times dearer (a whole page copied, and
 * faulted in from libkdumpfile's map of the file, for 64 bytes) and kept 60% more of
 * the file mapped.  A block is cached only when it
 * lies wholly in the dump; every other read goes the exact way, so what fails and the
 * message it gives are those of the uncached read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dump/dump-priv.h"

#define CACHE_BYTES (32u << 20)
#define CACHE_WAYS 4
#define BLK_SHIFT 12
#define CACHE_SETS ((CACHE_BYTES >> BLK_SHIFT) / CACHE_WAYS)

struct blk_cache {
	unsigned shift;                          /* of the block size */
	unsigned sets;                           /* CACHE_SETS */
	uint64_t tag[CACHE_SETS][CACHE_WAYS]; /* block number + 1; 0: empty */
	unsigned char next[CACHE_SETS];      /* the way the next miss replaces */
	uint64_t mru;                            /* the block last read + 1, and where */
	const unsigned char *mru_data;
	unsigned char data[];                    /* sets * CACHE_WAYS blocks */
};

static struct blk_cache *cache_get(struct tce_dump *d)
{
	struct blk_cache *c = d->cache;

	if (c || d->cache_failed)
		return c;
	c = malloc(sizeof(*c) + CACHE_BYTES);
	if (!c) {
		/* no memory: read exactly from now on */
		d->cache_failed = true;
		return NULL;
	}
	memset(c, 0, sizeof(*c));
	c->shift = BLK_SHIFT;
	c->sets = CACHE_SETS;
	d->cache = c;
	return c;
}

/* The cached copy of block blk, read now if need be; NULL when it cannot be cached. */
static const unsigned char *block(struct tce_dump *d, struct blk_cache *c, uint64_t blk)
{
	/* spread neighbouring blocks of different structures over the sets */
	uint64_t bsize = 1ULL << c->shift, start = blk << c->shift;
	unsigned set, w;
	unsigned char *p;
	size_t got = bsize;

	if (c->mru == blk + 1)
		return c->mru_data;
	set = (unsigned)((blk * 0x9e3779b97f4a7c15ULL) >> 40) % c->sets;
	for (w = 0; w < CACHE_WAYS; w++)
		if (c->tag[set][w] == blk + 1) {
			c->mru = blk + 1;
			return c->mru_data = c->data + (((size_t)set * CACHE_WAYS + w) << c->shift);
		}
	if (d->ranges && tce_phys_in_dump(d, start, bsize) != 1)
		return NULL;
	if (d->dd && tce_diskdump_check(d, start, bsize)) {
		tce_clear_err(d);
		return NULL;
	}
	w = c->next[set];
	c->next[set] = (w + 1) % CACHE_WAYS;
	p = c->data + (((size_t)set * CACHE_WAYS + w) << c->shift);
	c->tag[set][w] = 0;
	if (c->mru_data == p)
		c->mru = 0;
	if (kdump_read(d->kd, KDUMP_KPHYSADDR, start, p, &got) != KDUMP_OK ||
	    got != bsize) {
		kdump_clear_err(d->kd);
		return NULL;
	}
	c->tag[set][w] = blk + 1;
	c->mru = blk + 1;
	return c->mru_data = p;
}

int tce_cache_read(struct tce_dump *d, uint64_t addr, void *buf, size_t len)
{
	struct blk_cache *c;
	unsigned char *out = buf;
	uint64_t first, last, b, bsize;

	if (!len || addr + len < addr)
		return 0;
	c = cache_get(d);
	if (!c)
		return 0;
	bsize = 1ULL << c->shift;
	if (len > bsize / 2)
		return 0;
	/* at most two blocks; on a failure the caller's exact read overwrites buf */
	first = addr >> c->shift;
	last = (addr + len - 1) >> c->shift;
	for (b = first; b <= last; b++) {
		const unsigned char *p = block(d, c, b);
		uint64_t s = b == first ? addr & (bsize - 1) : 0;
		size_t n = bsize - s;

		if (!p)
			return 0;
		if (n > len)
			n = len;
		memcpy(out, p + s, n);
		out += n;
		len -= n;
	}
	return 1;
}

void tce_cache_free(struct tce_dump *d)
{
	free(d->cache);
	d->cache = NULL;
}
