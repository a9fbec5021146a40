// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/realmode-bench: what a lookup of a struct page with the MMU off
 * costs, at 16 to 4096 vmemmap blocks of 64K (hash), comparing three ways:
 *  - realmode_pfn_to_page(), the real-mode page API of kernel/src: the
 *    vmemmap index (a radix tree by block number), which refuses (NULL) a
 *    block it does not have rather than falling back to vmemmap_list;
 *  - vmemmap_rm_walk(), the full walk of vmemmap_list (every entry, as
 *    hot-remove leaves the list in no order), which real mode never runs:
 *    it is the KUnit suite's reference for the index, virtual mode only;
 *  - the seed's 2013 walk, which stops at the first entry below the address.
 * The code measured is kernel/src's, compiled against kernel/shim as in the
 * host tests.  The list is built in boot order (descending), the one order
 * in which the 2013 walk is right, and the three answers are compared for
 * every pfn before anything is timed; lookups are of random pfns that have
 * a struct page.  Prints one line per size and the index/2013-walk ratio.
 *
 * The series' H_PUT_TCE handlers take no page reference (they read the TCE
 * list under kvm->mmu_lock), so they make none of these lookups: the figures
 * are the price real-mode code that needs a reference would pay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <shim/shim.h>
#include <asm/realmode_page.h>

#define SZ	sizeof(struct page)
#define NLOOKUP	4096

static unsigned long block_size;

/* The 2013 walk: first entry at or below the address. */
static struct page *seed_walk(unsigned long pfn)
{
	unsigned long pg_va = (unsigned long)pfn_to_page(pfn);
	struct vmemmap_backing *vb;

	for (vb = vmemmap_list; vb; vb = vb->list) {
		if (pg_va < vb->virt_addr)
			continue;
		if (pg_va + SZ > vb->virt_addr + block_size)
			return NULL;
		return (struct page *)(vb->phys + pg_va - vb->virt_addr);
	}
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Lookups per second of @fn over @pfns, timed for at least 0.2 s. */
static double rate(struct page *(*fn)(unsigned long), const unsigned long *pfns,
		   unsigned long *sink)
{
	unsigned long rounds = 0, i, sum = 0;
	double t0 = now(), t;

	do {
		for (i = 0; i < NLOOKUP; i++)
			sum += (unsigned long)fn(pfns[i]);
		rounds++;
		t = now() - t0;
	} while (t < 0.2);
	*sink += sum;
	return rounds * NLOOKUP / t;
}

int main(void)
{
	static const unsigned long sizes[] = { 16, 64, 256, 1024, 4096 };
	static unsigned long pfns[NLOOKUP];
	unsigned long sink = 0, populated = 0, s, i;
	struct vmemmap_backing *pool;
	unsigned int shift = 16;	/* 64K vmemmap pages, as on hash */

	block_size = 1UL << shift;
	mmu_vmemmap_psize = 3;
	mmu_psize_defs[3].shift = shift;
	pool = calloc(sizes[4], sizeof(*pool));
	if (!pool)
		return 1;
	srandom(42);
	printf("struct page %zu bytes, vmemmap block %lu bytes, %d random lookups per round\n",
	       SZ, block_size, NLOOKUP);
	printf("%8s %16s %16s %16s %12s\n", "blocks", "2013 walk/s",
	       "full walk/s", "index/s", "index/2013");
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		double seed, walk, idx;

		/* Boot: blocks come in ascending order, head insertion. */
		for (; populated < sizes[s]; populated++) {
			struct vmemmap_backing *vb = &pool[populated];

			vb->virt_addr = (unsigned long)vmemmap +
					populated * block_size;
			vb->phys = (1UL << 40) + populated * 3 * block_size;
			vb->list = vmemmap_list;
			vmemmap_list = vb;
			vmemmap_rm_index_add(vb->virt_addr, vb->phys, 0);
		}
		for (i = 0; i < NLOOKUP; i++) {
			pfns[i] = random() % (sizes[s] * block_size / SZ);
			if (seed_walk(pfns[i]) != realmode_pfn_to_page(pfns[i]) ||
			    vmemmap_rm_walk(pfns[i]) != realmode_pfn_to_page(pfns[i])) {
				fprintf(stderr, "pfn %lx: the lookups disagree\n",
					pfns[i]);
				return 1;
			}
		}
		seed = rate(seed_walk, pfns, &sink);
		walk = rate(vmemmap_rm_walk, pfns, &sink);
		idx = rate(realmode_pfn_to_page, pfns, &sink);
		printf("%8lu %16.0f %16.0f %16.0f %11.1fx\n", sizes[s], seed,
		       walk, idx, idx / seed);
	}
	/* Keeps the lookups from being optimised away. */
	return sink == 1;
}
