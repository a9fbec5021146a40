// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-ITMAP-CLEAR: a valid TCE of a kernel DMA-API table whose it_map bit is clear. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	if (f->itmap == F_UNKNOWN)
		return tce_rule_undecided(c, "%s: the it_map bits of its entries are not in "
					  "the dump", f->t->key);
	if (f->itmap != F_NO)
		return 0;
	return tce_rule_entry_finding(c, f, "valid, but its it_map bit is clear: the "
				      "allocator believes the range is free");
}

static bool when(const struct rule_ctx *c, const struct fact_sum *s)
{
	(void)c;
	return (s->has & FS_ITMAP) != 0;
}

static bool count(const struct rule_ctx *c, const struct fact_sum *s, uint64_t *n)
{
	(void)c;
	if (s->itmap_unknown)
		return false;
	*n = s->itmap_no;
	return true;
}

TCE_RULE_ENTRIES_WHEN(entry, when)

const struct rule_def tce_rule_itmap_clear = {
	.info = {
		.rule = TCE_RULE_ITMAP_CLEAR,
		.id = "TCE-ITMAP-CLEAR",
		.severity = TCE_SEV_ERROR,
		.summary = "a valid TCE of the kernel's DMA API whose it_map bit is clear",
		.why = "iommu_alloc() sets a table's it_map bits before it writes TCEs and "
		       "iommu_free() clears them after it clears the TCEs.  A valid TCE with "
		       "a clear bit is a mapping the allocator has forgotten: it will hand "
		       "the bus address to another mapping while the device still uses the "
		       "old one.  Usually a dma_unmap that freed the range without clearing "
		       "the TCE (tce_free not called or failed), or a double unmap.",
		.model = "6.1's DMA API on powernv: it_map bit i is set while entry i is "
			 "mapped (VFIO's tables have no it_map and are not checked)",
		.area = TCE_AREA_TABLES,
	},
	.entries = entries,
	.when = when,
	.count = count,
	.on = RULE_ON_DMA_API,
};
