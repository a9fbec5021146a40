// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-DMA-FREED: a valid TCE maps a page the kernel freed. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

/* the largest allocation the page allocator makes: 2^MAX_ORDER pages (6.1: 2^12 with
 * 64K pages, more with 4K) */
#define MAX_ORDER_CAP 13

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	const struct tce_page *pg = f->pg;

	if (tce_rule_need_page(c, f))
		return 0;
	/* most pages: none of the states below, referenced (when()'s FS_PAGE_ODD) */
	if (!(pg->states & FS_PAGE_STATES) && pg->refcount > 0)
		return 0;
	if ((pg->known & TCE_PF_BUDDY) && (pg->states & TCE_PF_BUDDY))
		return tce_rule_entry_finding(c, f, "maps pfn 0x%" PRIx64 ", which is free on "
					      "the buddy free lists (order %d)", f->pfn,
					      pg->buddy_order);
	if ((pg->known & TCE_PF_OFFLINE) && (pg->states & TCE_PF_OFFLINE))
		return tce_rule_entry_finding(c, f, "maps pfn 0x%" PRIx64 ", which is offline",
					      f->pfn);
	if ((pg->known & TCE_PF_HWPOISON) && (pg->states & TCE_PF_HWPOISON))
		return tce_rule_entry_finding(c, f, "maps pfn 0x%" PRIx64 ", which is "
					      "hardware-poisoned", f->pfn);
	if (pg->states & TCE_PF_TAIL) {
		/* a tail page's _refcount is always 0: its head holds the reference */
		if (!f->head)
			return tce_rule_undecided(c, "pfn 0x%" PRIx64 " is a tail page whose head "
						  "cannot be read", f->pfn);
		if (f->head->refcount <= 0)
			return tce_rule_entry_finding(c, f, "maps pfn 0x%" PRIx64 ", a tail of "
						      "pfn 0x%" PRIx64 " whose _refcount is %d: "
						      "freed", f->pfn, f->head->pfn,
						      f->head->refcount);
		return 0;
	}
	if (pg->refcount > 0)
		return 0;
	/*
	 * A page after the first of a buffer mapped page after page holds no reference
	 * when the buffer is one non-compound high-order allocation (dma_alloc_coherent()
	 * on powernv): its pages 1..2^order-1 look free but are not.  The run's first
	 * page, referenced and aligned to a block that spans this one, speaks for it.
	 * Not for a page on the LRU or of anonymous or shmem memory (swap-backed): those
	 * are order-0 pages or compound heads, each holding its own reference (a KVM
	 * guest's memory, whose host pages often lie in a row).
	 */
	if (f->run_first && f->run_first->refcount > 0 &&
	    !(f->run_first->states & TCE_PF_BUDDY) &&
	    !(pg->states & (TCE_PF_LRU | TCE_PF_SWAPBACKED))) {
		uint64_t span = f->pfn - f->run_first->pfn + 1, block = 1;

		while (block < span && block < (1ULL << MAX_ORDER_CAP))
			block <<= 1;
		if (block >= span && !(f->run_first->pfn & (block - 1)))
			return 0;
	}
	return tce_rule_entry_finding(c, f, "maps pfn 0x%" PRIx64 ", whose _refcount is %d: "
				      "freed", f->pfn, pg->refcount);
}

/* Nothing to say of a batch whose host pages are all known and read, each referenced
 * and in none of the states above (no FS_PAGE_ODD): tce_rule_need_page() and the test
 * above return for each of its entries */
static bool when(const struct rule_ctx *c, const struct fact_sum *s)
{
	(void)c;
	return (s->states & (1u << TCE_HOST_UNKNOWN)) || (s->has & (FS_PAGE_ERR | FS_PAGE_ODD));
}

TCE_RULE_ENTRIES_WHEN(entry, when)

const struct rule_def tce_rule_dma_freed = {
	.info = {
		.rule = TCE_RULE_DMA_FREED,
		.id = "TCE-DMA-FREED",
		.severity = TCE_SEV_ERROR,
		.summary = "a valid TCE maps a page the kernel freed (DMA into freed memory)",
		.why = "The device can still write to a page the allocator considers free: "
		       "whoever gets it next has its memory overwritten by DMA.  The classic "
		       "cause is a reference dropped before the TCE was cleared (a driver "
		       "unmapping late, a put_page() too many in a real-mode or VFIO path, "
		       "a guest page released while its TCE stayed).  Look at the table's "
		       "owner and at the page's history (page_owner, if enabled).",
		.model = "a page a device may reach holds a reference: _refcount > 0 (a "
			 "compound page's head's; for a buffer mapped page after page, the "
			 "first page's of the non-compound allocation it is in), not "
			 "PageBuddy, not offline, not hardware-poisoned",
		.area = TCE_AREA_TABLES,
	},
	.entries = entries,
	.when = when,
};
