// SPDX-License-Identifier: GPL-2.0
/*
 * Real-mode access to struct page: realmode_pfn_to_page(), which turns a pfn
 * into the physical address of its struct page without using the vmemmap's
 * virtual mapping, and realmode_get_page() / realmode_put_page(), which take
 * and drop references in real mode or refuse (-EAGAIN) so that the caller can
 * redo the work in virtual mode.  With SPARSEMEM_VMEMMAP this file also owns
 * the real-mode index of vmemmap blocks, kept in step with vmemmap_list by
 * hooks in arch/powerpc/mm/init_64.c.  Real mode reads only the index, never
 * vmemmap_list: a block the index does not have is refused.
 *
 * Everything called with the MMU off is noinstr (no tracing, sanitizer or
 * coverage hooks, and in .noinstr.text, which kprobes refuses), the file is
 * built without ftrace, sanitizers or coverage (see the Makefile), and
 * struct page is touched with the arch_ (uninstrumented) atomics only.
 */

#include <linux/export.h>
#include <linux/mm.h>
#include <linux/page_ref.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include <linux/pgalloc.h>
#include <asm/realmode_page.h>

#ifdef CONFIG_SPARSEMEM_VMEMMAP

/*
 * With the MMU off the vmemmap's virtual addresses mean nothing, so the
 * physical block behind each vmemmap block has to be looked up.  vmemmap_list
 * has that, but its writers publish and recycle entries with no ordering a
 * lock-free reader could rely on (an entry freed by hot-remove is reused at
 * once), and once hot-remove has recycled entries it is in no order.  So
 * real mode reads a radix tree keyed by vmemmap block number instead.
 *
 * The tree's nodes are one page each, come from the linear mapping
 * (reachable in real mode through their linear addresses) and are never
 * freed, so a lock-free reader never steps on freed memory.  Writers are
 * serialised by the memory hotplug lock (vmemmap_populate() and
 * vmemmap_free() run under it, or single-threaded at boot) and publish with
 * release stores: the geometry before the root, a zeroed node before the slot
 * that points to it, a block's contents before its leaf.  Readers load with
 * acquire.  A leaf slot holds the block's physical address with
 * VMEMMAP_RM_VALID set (blocks are page aligned, so bit 0 is free); hot-remove
 * clears it.  A block that could not be indexed (a node allocation failed)
 * is missing from the tree and real mode refuses its pfns: there is no
 * fallback to vmemmap_list with the MMU off.
 *
 * What a hit stays good for is the caller's business: the struct page is
 * there for as long as its memory cannot be offlined, e.g. while the caller
 * holds a page table lock under which it found the pfn mapped.
 */
#define VMEMMAP_RM_VALID	1UL
#define VMEMMAP_RM_SLOT_BITS	(PAGE_SHIFT - 3)
#define VMEMMAP_RM_SLOTS	BIT(VMEMMAP_RM_SLOT_BITS)
#define VMEMMAP_RM_MAX_LEVELS	8

struct vmemmap_rm_index {
	unsigned long *root;
	unsigned int block_shift;
	unsigned int levels;
	unsigned long nr_blocks;
	/* Some block could not be indexed; real mode refuses its pfns. */
	bool incomplete;
};

static struct vmemmap_rm_index vmemmap_rm_index;

static unsigned int vmemmap_rm_block_shift(void)
{
	return mmu_psize_defs[mmu_vmemmap_psize].shift;
}

/* Block number of a vmemmap address; blocks are aligned to their size. */
static __always_inline unsigned long vmemmap_rm_key(unsigned long va,
						    unsigned int shift)
{
	return (va >> shift) - ((unsigned long)vmemmap >> shift);
}

static __always_inline unsigned int vmemmap_rm_slot(unsigned long key,
						    unsigned int level,
						    unsigned int levels)
{
	unsigned int bits = (levels - 1 - level) * VMEMMAP_RM_SLOT_BITS;

	return (key >> bits) & (VMEMMAP_RM_SLOTS - 1);
}

static unsigned long * __meminit vmemmap_rm_alloc_node(int node)
{
	unsigned long *p = vmemmap_alloc_block(PAGE_SIZE, node);

	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

/* Sets the geometry and the root on first use; false if that failed. */
static bool __meminit vmemmap_rm_index_init(int node)
{
	struct vmemmap_rm_index *idx = &vmemmap_rm_index;
	unsigned int shift = vmemmap_rm_block_shift();
	unsigned long max_bytes, blocks, span;
	unsigned int levels;
	unsigned long *root;

	/* Every pfn the architecture can have, times a struct page. */
	max_bytes = (1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT)) *
		    sizeof(struct page);
	blocks = (max_bytes + (1UL << shift) - 1) >> shift;
	levels = 1;
	span = VMEMMAP_RM_SLOTS;
	while (span < blocks && levels < VMEMMAP_RM_MAX_LEVELS) {
		span <<= VMEMMAP_RM_SLOT_BITS;
		levels++;
	}

	root = vmemmap_rm_alloc_node(node);
	if (!root)
		return false;

	idx->block_shift = shift;
	idx->levels = levels;
	idx->nr_blocks = blocks;
	/* Readers test root first: the geometry is visible before it. */
	smp_store_release(&idx->root, root);
	return true;
}

/*
 * Records that the vmemmap block at @start is backed by the physical block
 * at @phys, whose contents the caller has written.  Called by
 * vmemmap_list_populate().
 */
void __meminit vmemmap_rm_index_add(unsigned long start, unsigned long phys,
				    int node)
{
	struct vmemmap_rm_index *idx = &vmemmap_rm_index;
	unsigned long key, *table;
	unsigned int level;

	if (!idx->root && !vmemmap_rm_index_init(node))
		goto give_up;
	if (idx->block_shift != vmemmap_rm_block_shift() ||
	    (phys & VMEMMAP_RM_VALID))
		goto give_up;

	key = vmemmap_rm_key(start, idx->block_shift);
	if (key >= idx->nr_blocks)
		goto give_up;

	table = idx->root;
	for (level = 0; level + 1 < idx->levels; level++) {
		unsigned int slot = vmemmap_rm_slot(key, level, idx->levels);
		unsigned long *child = (unsigned long *)table[slot];

		if (!child) {
			child = vmemmap_rm_alloc_node(node);
			if (!child)
				goto give_up;
			/* A reader that sees the node sees it zeroed. */
			smp_store_release(&table[slot], (unsigned long)child);
		}
		table = child;
	}
	/* A reader that sees the leaf sees what was written to the block. */
	smp_store_release(&table[vmemmap_rm_slot(key, level, idx->levels)],
			  phys | VMEMMAP_RM_VALID);
	return;

give_up:
	/* Only this block is missing: real mode refuses its pfns. */
	WRITE_ONCE(idx->incomplete, true);
}

/* Forgets the vmemmap block at @start; called by vmemmap_list_free(). */
void vmemmap_rm_index_del(unsigned long start)
{
	struct vmemmap_rm_index *idx = &vmemmap_rm_index;
	unsigned long key, *table = idx->root;
	unsigned int level;

	if (!table)
		return;
	key = vmemmap_rm_key(start, idx->block_shift);
	if (key >= idx->nr_blocks)
		return;
	for (level = 0; level + 1 < idx->levels; level++) {
		table = (unsigned long *)table[vmemmap_rm_slot(key, level,
							       idx->levels)];
		if (!table)
			return;
	}
	WRITE_ONCE(table[vmemmap_rm_slot(key, level, idx->levels)], 0);
}

/* True when every block so far has been indexed (for the KUnit suite). */
bool vmemmap_rm_index_complete(void)
{
	/* Pairs with the release in vmemmap_rm_index_init(). */
	return smp_load_acquire(&vmemmap_rm_index.root) &&
	       !READ_ONCE(vmemmap_rm_index.incomplete);
}
EXPORT_SYMBOL_IF_KUNIT(vmemmap_rm_index_complete);

/*
 * The physical block backing the vmemmap address @va, with its size, or
 * false when the index has none.
 */
static noinstr bool vmemmap_rm_index_find(unsigned long va,
					  unsigned long *phys,
					  unsigned int *shift)
{
	struct vmemmap_rm_index *idx = &vmemmap_rm_index;
	unsigned long key, ent, *table;
	unsigned int level;

	/* Pairs with the release in vmemmap_rm_index_init(). */
	table = smp_load_acquire(&idx->root);
	if (!table)
		return false;
	key = vmemmap_rm_key(va, idx->block_shift);
	if (key >= idx->nr_blocks)
		return false;
	for (level = 0; level + 1 < idx->levels; level++) {
		unsigned int slot = vmemmap_rm_slot(key, level, idx->levels);

		/* Pairs with the release of a new node. */
		table = (unsigned long *)smp_load_acquire(&table[slot]);
		if (!table)
			return false;
	}
	/* Pairs with the release of the leaf. */
	ent = smp_load_acquire(&table[vmemmap_rm_slot(key, level,
						      idx->levels)]);
	if (!(ent & VMEMMAP_RM_VALID))
		return false;
	*phys = ent & ~VMEMMAP_RM_VALID;
	*shift = idx->block_shift;
	return true;
}

/*
 * The linear walk of vmemmap_list, for the KUnit suite to compare with the
 * index: virtual mode only, with memory hotplug excluded by the caller.  A
 * struct page is reachable when one entry holds all of it; every entry is
 * checked, as the list has no order once hot-remove recycled entries (the
 * 2013 walk stopped at the first entry below the address).
 */
struct page *vmemmap_rm_walk(unsigned long pfn)
{
	unsigned long page_size = 1UL << vmemmap_rm_block_shift();
	unsigned long pg_va = (unsigned long)pfn_to_page(pfn);
	struct vmemmap_backing *vmem_back;

	for (vmem_back = vmemmap_list; vmem_back; vmem_back = vmem_back->list) {
		if (pg_va < vmem_back->virt_addr)
			continue;
		if (pg_va + sizeof(struct page) <=
		    vmem_back->virt_addr + page_size)
			return (struct page *)(vmem_back->phys + pg_va -
					       vmem_back->virt_addr);
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vmemmap_rm_walk);

/*
 * Returns the physical address of @pfn's struct page, usable with the MMU
 * off, or NULL when real mode cannot reach it: no indexed block backs it, or
 * it straddles two blocks (they need not be adjacent in physical memory).
 */
noinstr struct page *realmode_pfn_to_page(unsigned long pfn)
{
	unsigned long pg_va = (unsigned long)pfn_to_page(pfn);
	unsigned long phys, offset, size;
	unsigned int shift;

	if (!vmemmap_rm_index_find(pg_va, &phys, &shift))
		return NULL;
	size = 1UL << shift;
	offset = pg_va & (size - 1);
	if (offset + sizeof(struct page) > size)
		return NULL;
	return (struct page *)(phys + offset);
}
EXPORT_SYMBOL_IF_KUNIT(realmode_pfn_to_page);

#elif defined(CONFIG_FLATMEM)

/* mem_map comes from memblock, so it is in the linear mapping already. */
noinstr struct page *realmode_pfn_to_page(unsigned long pfn)
{
	if (!pfn_valid(pfn))
		return NULL;
	return (struct page *)__pa(pfn_to_page(pfn));
}
EXPORT_SYMBOL_IF_KUNIT(realmode_pfn_to_page);

#endif /* CONFIG_SPARSEMEM_VMEMMAP / CONFIG_FLATMEM */

#if defined(CONFIG_SPARSEMEM_VMEMMAP) || defined(CONFIG_FLATMEM)

/*
 * PageCompound() without instrumentation: compound pages are refused, as
 * their reference count lives in the head page, which is reached through a
 * virtual address (compound_head).  Like PageCompound(), this reads only the
 * struct page it is given (PageTail() may read the next one, which can be in
 * another vmemmap block).
 */
static __always_inline bool realmode_page_compound(struct page *page)
{
	return arch_test_bit(PG_head, &page->flags) ||
	       (READ_ONCE(page->compound_head) & 1);
}

/*
 * Takes a reference unless the count is zero (a free page) or below (a
 * corrupt one): get_page_unless_zero() with the uninstrumented atomics and
 * without the page_ref tracepoint.
 */
noinstr int realmode_get_page(struct page *page)
{
	int c;

	if (realmode_page_compound(page))
		return -EAGAIN;
	c = arch_atomic_read(&page->_refcount);
	do {
		if (c <= 0)
			return -EAGAIN;
	} while (!arch_atomic_try_cmpxchg(&page->_refcount, &c, c + 1));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(realmode_get_page);

/*
 * Drops a reference unless it is the last one: freeing needs virtual mode,
 * so that put is refused, and so is one on a count already at zero or below,
 * which is never driven further down.
 */
noinstr int realmode_put_page(struct page *page)
{
	int c;

	if (realmode_page_compound(page))
		return -EAGAIN;
	c = arch_atomic_read(&page->_refcount);
	do {
		if (c <= 1)
			return -EAGAIN;
	} while (!arch_atomic_try_cmpxchg(&page->_refcount, &c, c - 1));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(realmode_put_page);

#endif
