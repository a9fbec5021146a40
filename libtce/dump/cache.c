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
 * the cache in a page at a time).  An ELF file's blocks are read ahead of a walk that
 * reads upwards (read_ahead()).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "dump/dump-priv.h"

#define CACHE_BYTES (32u << 20)
#define CACHE_WAYS 4
#define BLK_SHIFT 12
#define BLK_SIZE (1u << BLK_SHIFT)
#define CACHE_SETS ((CACHE_BYTES >> BLK_SHIFT) / CACHE_WAYS)

/* A sequence of block reads: the block after the last one read, and how many the
 * last read took */
struct ra_stream {
	uint64_t next;
	unsigned win;
};

#define RA_STREAMS 4
#define RA_MAX 16                                /* blocks a read takes at most */

struct blk_cache {
	uint64_t tag[CACHE_SETS][CACHE_WAYS];    /* block number + 1; 0: empty */
	uint32_t slot[CACHE_SETS][CACHE_WAYS];   /* its block's slot of data[] + 1; 0: none */
	unsigned char next[CACHE_SETS];          /* the way the next miss replaces */
	uint32_t used;                           /* slots of data[] given out */
	uint64_t mru;                            /* the block last read + 1, and where */
	const unsigned char *mru_data;
	unsigned char *data;                     /* CACHE_SETS * CACHE_WAYS blocks */
	struct ra_stream ra[RA_STREAMS];         /* an ELF file's reads (read_ahead()) */
	unsigned ra_rr;                          /* the stream a new sequence replaces */
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

static inline unsigned set_of(uint64_t blk)
{
	/* spread neighbouring blocks of different structures over the sets */
	return (unsigned)((blk * 0x9e3779b97f4a7c15ULL) >> 40) % CACHE_SETS;
}

/* Is block blk cached?  (A lookup that changes no way: read_ahead()'s) */
static bool cached(const struct blk_cache *c, uint64_t blk)
{
	unsigned set = set_of(blk), w;

	for (w = 0; w < CACHE_WAYS; w++)
		if (c->tag[set][w] == blk + 1)
			return true;
	return false;
}

/* The way of set the next miss takes, its memory given out if need be, emptied */
static unsigned char *take_way(struct blk_cache *c, unsigned set, unsigned *way)
{
	unsigned w = c->next[set];
	unsigned char *p;

	c->next[set] = (w + 1) % CACHE_WAYS;
	/* a way gets its block's memory when first used, the next slot of data[] */
	if (!c->slot[set][w])
		c->slot[set][w] = ++c->used;
	p = slot_data(c, set, w);
	c->tag[set][w] = 0;
	if (c->mru_data == p)
		c->mru = 0;
	*way = w;
	return p;
}

/*
 * Read-ahead, an ELF file's PT_LOADs only (their blocks are the file's, one system
 * call for many).  A walk that reads memory in ascending order misses block after
 * block: the struct pages of a table that maps pages upwards, a batch at a time (the
 * forge's 16M profile: 22,500 of 45,700 block reads followed the block read before,
 * each a pread(2) of ~3 us on these machines).  A miss that continues one of the last
 * RA_STREAMS sequences of reads takes twice the blocks its last read took (up to
 * RA_MAX) into the cache with one preadv(2); any other miss reads its block alone and
 * begins a sequence.  A read ahead stops before a block cached or not wholly in blk's
 * PT_LOAD; one the file does not give whole leaves blk to the exact read (false), and
 * its blocks empty.  True when blk is in p, the blocks after it cached.
 */
static bool read_ahead(struct tce_dump *d, struct blk_cache *c, uint64_t blk,
		       unsigned blk_set, unsigned blk_way, unsigned char *p)
{
	const struct tce_phys_range *rg;
	struct ra_stream *st = NULL;
	struct iovec iov[RA_MAX];
	unsigned set[RA_MAX], way[RA_MAX], win, n, i, k;
	uint64_t start = blk << BLK_SHIFT;
	ssize_t got;

	for (i = 0, win = 0; i < RA_STREAMS && !win; i++)
		if (c->ra[i].next == blk && c->ra[i].win) {
			st = &c->ra[i];
			win = st->win < RA_MAX / 2 ? 2 * st->win : RA_MAX;
		}
	if (!st) {
		st = &c->ra[c->ra_rr++ % RA_STREAMS];
		st->next = blk + 1;
		st->win = 1;
		return false;
	}
	rg = tce_range_at(d, start);
	if (!rg || rg->avail - (start - rg->start) < BLK_SIZE) {
		st->win = 0;
		return false;
	}
	set[0] = blk_set;
	way[0] = blk_way;
	iov[0].iov_base = p;
	iov[0].iov_len = BLK_SIZE;
	for (n = 1; n < win; n++) {
		uint64_t b = blk + n, at = b << BLK_SHIFT;

		if (at - rg->start > rg->avail - BLK_SIZE || cached(c, b))
			break;
		set[n] = set_of(b);
		/* the way it would take holds a block of this read */
		for (k = 0; k < n; k++)
			if (set[k] == set[n] && way[k] == c->next[set[n]])
				break;
		if (k < n)
			break;
		iov[n].iov_base = take_way(c, set[n], &way[n]);
		iov[n].iov_len = BLK_SIZE;
	}
	do
		got = preadv(d->fd, iov, (int)n, (off_t)(d->range_off[rg - d->ranges] +
							  (start - rg->start)));
	while (got < 0 && errno == EINTR);
	if (got != (ssize_t)n << BLK_SHIFT) {
		st->win = 0;
		return false;
	}
	for (i = 1; i < n; i++)
		c->tag[set[i]][way[i]] = blk + i + 1;
	st->next = blk + n;
	st->win = win;
	return true;
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
	set = set_of(blk);
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
	p = take_way(c, set, &w);
	if (tce_dump_elf_pread(d)) {
		/* an ELF file's PT_LOADs, read without libkdumpfile */
		if (!(d->ranges && read_ahead(d, c, blk, set, w, p)) &&
		    tce_elf_read(d, start, p, BLK_SIZE))
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
