// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Big arrays: the block cache, symbol tables, the kallsyms buffers.  Each page of a
 * fresh allocation costs a page fault at its first touch; on a virtual machine a fault
 * costs about what a 4 KiB pread(2) does, and a check of a real 16M-entry dump took
 * 5000 of them, a quarter of its time.  An array of a megabyte or more is given whole
 * huge pages, aligned to 2 MiB and advised to the kernel as transparent huge pages
 * (madvise(MADV_HUGEPAGE): only advice; without them nothing changes), so that it
 * faults a huge page at a time; it may then hold up to 2 MiB more than asked.  Freed
 * with free().
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base.h"

#define HUGE_SIZE ((size_t)2 << 20)

void *tce_big_alloc(size_t size)
{
	void *p;

	if (size < HUGE_SIZE / 2)
		return malloc(size ? size : 1);
	if (size > SIZE_MAX - HUGE_SIZE)
		return NULL;
	size = (size + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
	if (posix_memalign(&p, HUGE_SIZE, size))
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, size, MADV_HUGEPAGE);
#endif
	return p;
}

void *tce_big_calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = tce_big_alloc(n * size);
	/* memory fresh from the kernel is zero already, but not memory malloc reuses */
	if (p)
		memset(p, 0, n * size);
	return p;
}

int tce_ghost_init(struct tce_ghost *g)
{
	g->bits = calloc(((size_t)1 << TCE_GHOST_BITS) / 64, sizeof(*g->bits));
	g->set = 0;
	tce_ghost_restart(g);
	return g->bits ? 0 : -1;
}

void tce_ghost_free(struct tce_ghost *g)
{
	free(g->bits);
	g->bits = NULL;
	g->set = 0;
	tce_ghost_restart(g);
}
