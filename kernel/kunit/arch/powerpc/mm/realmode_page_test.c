// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the real-mode page API (arch/powerpc/mm/realmode_page.c),
 * run in a booted kernel: realmode_pfn_to_page() against the vmemmap itself
 * for every pfn of every online node, the index against the walk of
 * vmemmap_list, and realmode_get_page() / realmode_put_page() on real
 * order-0, compound and free pages.  Built as a module it can be loaded after
 * memory hot-add and hot-remove have put vmemmap_list out of order.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/pgalloc.h>
#include <asm/realmode_page.h>

/*
 * The functions return the physical address of a struct page, for use with
 * the MMU off; with the MMU on, as here, the same bytes are reached through
 * the linear mapping.
 */
static struct page *rm_alias(struct page *rm)
{
	return rm ? (struct page *)__va((unsigned long)rm) : NULL;
}

/* The 2013 walk: first entry at or below the address (needs sorted list). */
static struct page *seed_walk(unsigned long pfn)
{
	unsigned long page_size = 1UL << mmu_psize_defs[mmu_vmemmap_psize].shift;
	unsigned long pg_va = (unsigned long)pfn_to_page(pfn);
	struct vmemmap_backing *vb;

	for (vb = vmemmap_list; vb; vb = vb->list) {
		if (pg_va < vb->virt_addr)
			continue;
		if (pg_va + sizeof(struct page) > vb->virt_addr + page_size)
			return NULL;
		return (struct page *)(vb->phys + pg_va - vb->virt_addr);
	}
	return NULL;
}

/*
 * Every vmemmap_list entry is a distinct, aligned block, and the index has
 * it with the same physical block: what real mode answers for the first
 * whole struct page in the block is that entry's.
 */
static void rm_list_matches_index(struct kunit *test)
{
	unsigned long block = 1UL << mmu_psize_defs[mmu_vmemmap_psize].shift;
	unsigned long entries = 0, inversions = 0;
	struct vmemmap_backing *vb, *other;

	if (!vmemmap_rm_index_complete())
		kunit_skip(test, "the index is incomplete (an allocation failed)");
	for (vb = vmemmap_list; vb; vb = vb->list) {
		unsigned long off = (vb->virt_addr - (unsigned long)vmemmap) %
				    sizeof(struct page);
		unsigned long first = vb->virt_addr +
				      (off ? sizeof(struct page) - off : 0);
		unsigned long pfn = (first - (unsigned long)vmemmap) /
				    sizeof(struct page);

		entries++;
		if (vb->list && vb->list->virt_addr > vb->virt_addr)
			inversions++;
		KUNIT_ASSERT_EQ(test, vb->virt_addr & (block - 1), 0UL);
		for (other = vb->list; other; other = other->list)
			KUNIT_ASSERT_NE(test, other->virt_addr, vb->virt_addr);
		KUNIT_ASSERT_PTR_EQ(test, realmode_pfn_to_page(pfn),
				    (struct page *)(vb->phys + first -
						    vb->virt_addr));
	}
	kunit_info(test, "vmemmap_list: %lu entries, %lu inversions, block %lu\n",
		   entries, inversions, block);
	KUNIT_EXPECT_GT(test, entries, 0UL);
}

/*
 * For every pfn of every online node: the index (real mode never walks
 * vmemmap_list) agrees with the walk, every
 * valid pfn is reachable (no straddling when sizeof(struct page) divides the
 * block), and the translation is the vmemmap's own: a change made through
 * pfn_to_page(pfn) shows at the returned address.  The change is an
 * increment and decrement of _refcount with interrupts off on the only CPU,
 * so nothing else can see or race with it.
 */
static void rm_pfn_to_page_every_pfn(struct kunit *test)
{
	unsigned long checked = 0, identity = 0, seed_wrong = 0;
	bool exact = num_online_cpus() == 1;
	bool divides;
	int nid;

	divides = !((1UL << mmu_psize_defs[mmu_vmemmap_psize].shift) %
		    sizeof(struct page));
	/* Real mode refuses blocks an incomplete index lacks: no comparison. */
	if (!vmemmap_rm_index_complete())
		kunit_skip(test, "the index is incomplete (an allocation failed)");

	for_each_online_node(nid) {
		unsigned long pfn, start = node_start_pfn(nid);
		unsigned long end = node_end_pfn(nid);

		for (pfn = start; pfn < end; pfn++) {
			struct page *rm = realmode_pfn_to_page(pfn);
			struct page *page, *alias;
			unsigned long flags;
			int before, during;

			KUNIT_ASSERT_PTR_EQ(test, rm, vmemmap_rm_walk(pfn));
			if (rm != seed_walk(pfn))
				seed_wrong++;
			if (!pfn_valid(pfn))
				continue;
			checked++;
			if (divides)
				KUNIT_ASSERT_NOT_NULL(test, rm);
			if (!rm)
				continue;
			page = pfn_to_page(pfn);
			alias = rm_alias(rm);
			if (!exact) {
				KUNIT_EXPECT_EQ(test, alias->flags, page->flags);
				continue;
			}
			local_irq_save(flags);
			before = atomic_read(&alias->_refcount);
			atomic_inc(&page->_refcount);
			during = atomic_read(&alias->_refcount);
			atomic_dec(&page->_refcount);
			local_irq_restore(flags);
			KUNIT_ASSERT_EQ_MSG(test, during, before + 1,
					    "pfn %lx: 0x%lx is not its struct page",
					    pfn, (unsigned long)rm);
			identity++;
		}
	}
	kunit_info(test, "%lu valid pfns, %lu checked through the vmemmap, seed walk wrong for %lu\n",
		   checked, identity, seed_wrong);
	KUNIT_EXPECT_GT(test, checked, 0UL);
}

static void rm_pfn_to_page_out_of_range(struct kunit *test)
{
	unsigned long last = 0;
	int nid;

	for_each_online_node(nid)
		last = max(last, node_end_pfn(nid));
	/* Far above any memory: no block, and the index must say so. */
	KUNIT_EXPECT_NULL(test, realmode_pfn_to_page(last + (1UL << 30)));
	KUNIT_EXPECT_NULL(test, vmemmap_rm_walk(last + (1UL << 30)));
}

static void rm_get_put_order0(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct page *alias;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, page);
	alias = rm_alias(realmode_pfn_to_page(page_to_pfn(page)));
	KUNIT_ASSERT_NOT_NULL(test, alias);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);

	KUNIT_EXPECT_EQ(test, realmode_get_page(alias), 0);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 2);
	KUNIT_EXPECT_EQ(test, realmode_put_page(alias), 0);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);

	/* The last reference is never dropped in real mode. */
	KUNIT_EXPECT_EQ(test, realmode_put_page(alias), -EAGAIN);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);

	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, realmode_get_page(alias), 0);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 101);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, realmode_put_page(alias), 0);
	KUNIT_EXPECT_EQ(test, realmode_put_page(alias), -EAGAIN);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);

	__free_page(page);
}

static void rm_get_put_compound(struct kunit *test)
{
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, head);
	for (i = 0; i < 4; i++) {
		struct page *alias;

		alias = rm_alias(realmode_pfn_to_page(page_to_pfn(head) + i));
		KUNIT_ASSERT_NOT_NULL(test, alias);
		KUNIT_EXPECT_EQ(test, realmode_get_page(alias), -EAGAIN);
		KUNIT_EXPECT_EQ(test, realmode_put_page(alias), -EAGAIN);
	}
	KUNIT_EXPECT_EQ(test, page_ref_count(head), 1);
	__free_pages(head, 2);
}

static void rm_get_free_page(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long flags, pfn;
	struct page *alias;
	int ret, put;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	alias = rm_alias(realmode_pfn_to_page(pfn));
	KUNIT_ASSERT_NOT_NULL(test, alias);
	__free_page(page);

	local_irq_save(flags);
	if (page_ref_count(page)) {
		/* Reallocated by another CPU already: nothing to test. */
		local_irq_restore(flags);
		kunit_skip(test, "pfn %lx was reused", pfn);
	}
	ret = realmode_get_page(alias);
	/* Nor is a count of zero ever driven below zero. */
	put = realmode_put_page(alias);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, ret, -EAGAIN);
	KUNIT_EXPECT_EQ(test, put, -EAGAIN);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 0);
}

static struct kunit_case realmode_page_cases[] = {
	KUNIT_CASE(rm_list_matches_index),
	KUNIT_CASE(rm_pfn_to_page_every_pfn),
	KUNIT_CASE(rm_pfn_to_page_out_of_range),
	KUNIT_CASE(rm_get_put_order0),
	KUNIT_CASE(rm_get_put_compound),
	KUNIT_CASE(rm_get_free_page),
	{}
};

static struct kunit_suite realmode_page_suite = {
	.name = "powerpc_realmode_page",
	.test_cases = realmode_page_cases,
};

kunit_test_suite(realmode_page_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests for the powerpc real-mode page API");
MODULE_LICENSE("GPL");
