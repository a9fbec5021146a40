// SPDX-License-Identifier: GPL-2.0
/*
 * Real-mode access to struct page: realmode_pfn_to_page(), which turns a pfn
 * into the physical address of its struct page without using the vmemmap's
 * virtual mapping, and realmode_get_page() / realmode_put_page(), which take
 * and drop references in real mode or refuse (-EAGAIN) so that the caller can
 * redo the work in virtual mode.  With SPARSEMEM_VMEMMAP this file also owns
 * the real-mode index of vmemmap blocks, kept in step with vmemmap_list by
 * hooks in arch/powerpc/mm/init_64.c; the linear walk of vmemmap_list is kept
 * for when the index cannot answer.
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
 * has that, but a walk is linear and, once memory hot-remove has recycled
 * entries, the list is in no particular order.  So we also keep a radix tree
 * keyed by vmemmap block number.  Its nodes are one page each, come from the
 * linear mapping (reachable in real mode through their linear addresses) and
 * are never freed: a lock-free reader can never step on freed memory, and
 * hot-remove only clears a leaf slot.  Writers are serialised by the memory
 * hotplug lock (vmemmap_populate() and vmemmap_free() run under it, or
 * single-threaded at boot).  A leaf slot holds the block's physical address
 * with VMEMMAP_RM_VALID set (blocks are page aligned, so bit 0 is free).
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
	/*
	 * Set for good when a block could not be indexed (node allocation
	 * failed, block out of range): from then on a miss is answered by the
	 * walk instead of being taken as final.
	 */
	bool incomplete;
};

static struct vmemmap_rm_index vmemmap_rm_index;

static unsigned int vmemmap_rm_block_shift(void)
{
	return mmu_psize_defs[mmu_vmemmap_psize].shift;
}

/* Block number of a vmemmap address; blocks are aligned to their size. */
static unsigned long vmemmap_rm_key(unsigned long va, unsigned int shift)
{
	return (va >> shift) - ((unsigned long)vmemmap >> shift);
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
	/* Readers test root first: the geometry must be visible before it. */
	smp_store_release(&idx->root, root);
	return true;
}

static unsigned int vmemmap_rm_slot(unsigned long key, unsigned int level,
				    unsigned int levels)
{
	unsigned int bits = (levels - 1 - level) * VMEMMAP_RM_SLOT_BITS;

	return (key >> bits) & (VMEMMAP_RM_SLOTS - 1);
}

/*
 * Records that the vmemmap block at @start is backed by the physical block
 * at @phys.  Called by vmemmap_list_populate() after it linked the entry.
 */
void __meminit vmemmap_rm_index_add(unsigned long start, unsigned long phys,
				    int node)
{
	struct vmemmap_rm_index *idx = &vmemmap_rm_index;
	unsigned long key, *table;
	unsigned int level;

	if (idx->incomplete)
		return;
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
	WRITE_ONCE(table[vmemmap_rm_slot(key, level, idx->levels)],
		   phys | VMEMMAP_RM_VALID);
	return;

give_up:
	/*
	 * Readers that miss from now on walk vmemmap_list, which has every
	 * block; entries already in the index stay right.
	 */
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

/*
 * Looks @va up in the index: 0 with *@phys and *@shift set when a block
 * backs it, -ENOENT when the index knows that none does, -EAGAIN when the
 * index cannot tell.
 */
static int vmemmap_rm_index_find(unsigned long va, unsigned long *phys,
				 unsigned int *shift)
{
	struct vmemmap_rm_index *idx = &vmemmap_rm_index;
	unsigned long key, ent, *table;
	unsigned int level;

	/* Pairs with the release in vmemmap_rm_index_init(). */
	table = smp_load_acquire(&idx->root);
	if (!table)
		return -EAGAIN;
	key = vmemmap_rm_key(va, idx->block_shift);
	if (key >= idx->nr_blocks)
		goto miss;
	for (level = 0; level + 1 < idx->levels; level++) {
		unsigned int slot = vmemmap_rm_slot(key, level, idx->levels);

		/* Pairs with the release in vmemmap_rm_index_add(). */
		table = (unsigned long *)smp_load_acquire(&table[slot]);
		if (!table)
			goto miss;
	}
	ent = READ_ONCE(table[vmemmap_rm_slot(key, level, idx->levels)]);
	if (!(ent & VMEMMAP_RM_VALID))
		goto miss;
	*phys = ent & ~VMEMMAP_RM_VALID;
	*shift = idx->block_shift;
	return 0;

miss:
	return READ_ONCE(idx->incomplete) ? -EAGAIN : -ENOENT;
}

/*
 * The linear walk: a struct page is reachable when one vmemmap_list entry
 * holds all of it.  Every entry is checked, as the list has no order once
 * hot-remove recycled entries (the 2013 walk stopped at the first entry
 * below the address, which is wrong then).  Visible to the KUnit suite,
 * which compares it with the index.
 */
struct page *vmemmap_rm_walk(unsigned long pfn)
{
	unsigned long page_size = 1UL << vmemmap_rm_block_shift();
	unsigned long pg_va = (unsigned long)pfn_to_page(pfn);
	struct vmemmap_backing *vmem_back;

	for (vmem_back = READ_ONCE(vmemmap_list); vmem_back;
	     vmem_back = READ_ONCE(vmem_back->list)) {
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
 * off, or NULL when real mode cannot reach it: no block backs it, or it
 * straddles two blocks (they need not be adjacent in physical memory).
 */
struct page *realmode_pfn_to_page(unsigned long pfn)
{
	unsigned long pg_va = (unsigned long)pfn_to_page(pfn);
	unsigned long phys, offset, size;
	unsigned int shift;
	int ret;

	ret = vmemmap_rm_index_find(pg_va, &phys, &shift);
	if (ret == -EAGAIN)
		return vmemmap_rm_walk(pfn);
	if (ret)
		return NULL;
	size = 1UL << shift;
	offset = pg_va & (size - 1);
	if (offset + sizeof(struct page) > size)
		return NULL;
	return (struct page *)(phys + offset);
}
EXPORT_SYMBOL_GPL(realmode_pfn_to_page);

#elif defined(CONFIG_FLATMEM)

/* mem_map comes from memblock, so it is in the linear mapping already. */
struct page *realmode_pfn_to_page(unsigned long pfn)
{
	if (!pfn_valid(pfn))
		return NULL;
	return (struct page *)__pa(pfn_to_page(pfn));
}
EXPORT_SYMBOL_GPL(realmode_pfn_to_page);

#endif /* CONFIG_SPARSEMEM_VMEMMAP / CONFIG_FLATMEM */

#if defined(CONFIG_SPARSEMEM_VMEMMAP) || defined(CONFIG_FLATMEM)

/*
 * Compound pages are refused: their reference count lives in the head page,
 * which is reached through a virtual address (compound_head).  PageCompound()
 * reads only this struct page, which is why it is used here rather than
 * PageTail() (see the comment above PageCompound()).
 */
int realmode_get_page(struct page *page)
{
	if (PageCompound(page))
		return -EAGAIN;
	if (!get_page_unless_zero(page))
		return -EAGAIN;
	return 0;
}
EXPORT_SYMBOL_GPL(realmode_get_page);

/*
 * Dropping the last reference frees the page, which real mode cannot do:
 * that put is refused and left to the caller's virtual-mode path.
 */
int realmode_put_page(struct page *page)
{
	if (PageCompound(page))
		return -EAGAIN;
	if (!page_ref_add_unless(page, -1, 1))
		return -EAGAIN;
	return 0;
}
EXPORT_SYMBOL_GPL(realmode_put_page);

#endif
