// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Big arrays: the block cache, symbol tables, the kallsyms buffers.  Each page of a
 * fresh allocation costs a page fault at its first touch; on a virtual machine a fault
 * costs about what a 4 KiB pread(2) does, and a check of a real 16M-entry dump took
 * 5000 of them, a quarter of its time.  An array of a megabyte or more is given whole
 * huge pages, aligned to 2 MiB and advised to the kernel as transparent huge pages
 * (madvise(MADV_HUGEPAGE): only advice; without them nothing changes), so that it
 * faults a huge page at a time; it may then hold up to 2 MiB more than asked.  Freed
 * with free().  A table that must start zeroed (the memos, the verdicts, the ghosts) is
 * mapped fresh instead (tce_zalloc()): calloc() zeroed a heap chunk it could not know
 * was zero, touching all of it, and a small dump's check, which uses a corner of each,
 * spent a tenth of its time in those faults.
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

/* What tce_zalloc() maps for size bytes: whole pages, whole huge pages from HUGE_SIZE / 2 */
static size_t zsize(size_t size)
{
	size_t unit = size < HUGE_SIZE / 2 ? 4096 : HUGE_SIZE;

	return (size + unit - 1) & ~(unit - 1);
}

void *tce_zalloc(size_t n, size_t size)
{
	size_t len, extra = 0, head;
	unsigned char *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	size = n * size;
	if (size > SIZE_MAX - 2 * HUGE_SIZE)
		return NULL;
	len = zsize(size ? size : 1);
	/* a huge-page array at a huge page's address: the room to move it there */
	if (len >= HUGE_SIZE)
		extra = HUGE_SIZE;
	p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (extra) {
		head = (HUGE_SIZE - ((uintptr_t)p & (HUGE_SIZE - 1))) & (HUGE_SIZE - 1);
		if (head)
			munmap(p, head);
		if (extra - head)
			munmap(p + head + len, extra - head);
		p += head;
#ifdef MADV_HUGEPAGE
		madvise(p, len, MADV_HUGEPAGE);
#endif
	}
	return p;
}

void tce_zfree(void *p, size_t n, size_t size)
{
	if (p)
		munmap(p, zsize(n * size > 0 ? n * size : 1));
}

void tce_prefault(const void *p, size_t len, bool write)
{
#if defined(MADV_POPULATE_READ) && defined(MADV_POPULATE_WRITE)
	uintptr_t a = (uintptr_t)p, e = a + len;
	size_t pg = 4096;

	if (!len || e < a)
		return;
	a &= ~(uintptr_t)(pg - 1);
	madvise((void *)a, e - a, write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
#else
	(void)p;
	(void)len;
	(void)write;
#endif
}

int tce_ghost_init(struct tce_ghost *g)
{
	g->bits = tce_zalloc(((size_t)1 << TCE_GHOST_BITS) / 64, sizeof(*g->bits));
	g->set = 0;
	tce_ghost_restart(g);
	return g->bits ? 0 : -1;
}

void tce_ghost_free(struct tce_ghost *g)
{
	tce_zfree(g->bits, ((size_t)1 << TCE_GHOST_BITS) / 64, sizeof(*g->bits));
	g->bits = NULL;
	g->set = 0;
	tce_ghost_restart(g);
}
