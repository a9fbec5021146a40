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
 * message it gives are those of the uncached read.  On a running kernel's /proc/kcore
 * the blocks may be stale within one handle's life (one sample of a memory that changes
 * while it is read, as libkdumpfile's own file cache is): a second sample is a handle
 * of its own (check --samples), so no block read in one sample serves another.
 *
 * The blocks' memory is given out in the order blocks are first read, not by set, in
 * huge pages (tce_big_alloc()): a small dump's few hundred blocks then touch one 2 MiB
 * page, and a host's 8192 take 16 page faults, not 8192 (a fault costs about as much as
 * the 4 KiB read that caused it: 13% of the forge's 16M-entry check went to faulting
 * the cache in a page at a time).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dump/dump-priv.h"

#define CACHE_BYTES (32u << 20)
#define CACHE_WAYS 4
#define BLK_SHIFT 12
#define BLK_SIZE (1u << BLK_SHIFT)
#define CACHE_SETS ((CACHE_BYTES >> BLK_SHIFT) / CACHE_WAYS)

struct blk_cache {
	uint64_t tag[CACHE_SETS][CACHE_WAYS];    /* block number + 1; 0: empty */
	uint32_t slot[CACHE_SETS][CACHE_WAYS];   /* its block's slot of data[] + 1; 0: none */
	unsigned char next[CACHE_SETS];          /* the way the next miss replaces */
	uint32_t used;                           /* slots of data[] given out */
	uint64_t mru;                            /* the block last read + 1, and where */
	const unsigned char *mru_data;
	unsigned char *data;                     /* CACHE_SETS * CACHE_WAYS blocks */
};

static struct blk_cache *cache_get(struct tce_dump *d)
{
	struct blk_cache *c = d->cache;

	if (c || d->cache_failed)
		return c;
	c = calloc(1, sizeof(*c));
	if (c)
		c->data = tce_big_alloc(CACHE_BYTES);
	if (!c || !c->data) {
		/* no memory: read exactly from now on */
		free(c);
		d->cache_failed = true;
		return NULL;
	}
	d->cache = c;
	return c;
}

static inline unsigned char *slot_data(const struct blk_cache *c, unsigned set, unsigned w)
{
	return c->data + ((size_t)(c->slot[set][w] - 1) << BLK_SHIFT);
}

/* The cached copy of block blk, read now if need be; NULL when it cannot be cached. */
static const unsigned char *block(struct tce_dump *d, struct blk_cache *c, uint64_t blk)
{
	uint64_t start = blk << BLK_SHIFT;
	unsigned set, w;
	unsigned char *p;
	size_t got = BLK_SIZE;

	if (c->mru == blk + 1)
		return c->mru_data;
	/* spread neighbouring blocks of different structures over the sets */
	set = (unsigned)((blk * 0x9e3779b97f4a7c15ULL) >> 40) % CACHE_SETS;
	for (w = 0; w < CACHE_WAYS; w++)
		if (c->tag[set][w] == blk + 1) {
			c->mru = blk + 1;
			return c->mru_data = slot_data(c, set, w);
		}
	if (d->ranges && tce_phys_in_dump(d, start, BLK_SIZE) != 1)
		return NULL;
	if (d->dd && tce_diskdump_check(d, start, BLK_SIZE)) {
		tce_clear_err(d);
		return NULL;
	}
	w = c->next[set];
	c->next[set] = (w + 1) % CACHE_WAYS;
	/* a way gets its block's memory when first used, the next slot of data[] */
	if (!c->slot[set][w])
		c->slot[set][w] = ++c->used;
	p = slot_data(c, set, w);
	c->tag[set][w] = 0;
	if (c->mru_data == p)
		c->mru = 0;
	if (tce_dump_elf_pread(d)) {
		/* an ELF file's PT_LOADs, read without libkdumpfile */
		if (tce_elf_read(d, start, p, BLK_SIZE))
			return NULL;
	} else if (tce_kd_read(d, KDUMP_KPHYSADDR, start, p, &got, NULL, 0) != KDUMP_OK ||
		   got != BLK_SIZE) {
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
	uint64_t first, last, b;

	if (!len || len > BLK_SIZE / 2 || addr + len < addr)
		return 0;
	c = cache_get(d);
	if (!c)
		return 0;
	/* at most two blocks; on a failure the caller's exact read overwrites buf */
	first = addr >> BLK_SHIFT;
	last = (addr + len - 1) >> BLK_SHIFT;
	for (b = first; b <= last; b++) {
		const unsigned char *p = block(d, c, b);
		uint64_t s = b == first ? addr & (BLK_SIZE - 1) : 0;
		size_t n = BLK_SIZE - s;

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
	if (d->cache)
		free(d->cache->data);
	free(d->cache);
	d->cache = NULL;
}
