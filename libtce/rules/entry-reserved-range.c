// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-ENTRY-RESERVED-RANGE: a valid TCE inside the table's reserved range. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	const struct iommu_tbl *it = f->t->it;

	if (!it || (it->known & IT_KNOWN_RESERVED) != IT_KNOWN_RESERVED ||
	    it->reserved_start >= it->reserved_end)
		return 0;
	if (f->e->index < it->reserved_start || f->e->index >= it->reserved_end)
		return 0;
	return tce_rule_entry_finding(c, f, "inside the reserved range 0x%" PRIx64 "-0x%"
				      PRIx64 " (it_reserved_start/end)", it->reserved_start,
				      it->reserved_end - 1);
}

/* a batch (its entries in table order) that ends before the range or starts past it
 * is skipped */
static bool when(const struct rule_ctx *c, const struct fact_sum *s)
{
	const struct iommu_tbl *it = s->t->it;

	(void)c;
	return it && (it->known & IT_KNOWN_RESERVED) == IT_KNOWN_RESERVED &&
	       s->last >= it->reserved_start && s->first < it->reserved_end;
}

TCE_RULE_ENTRIES_WHEN(entry, when)

const struct rule_def tce_rule_entry_reserved_range = {
	.info = {
		.rule = TCE_RULE_ENTRY_RESERVED_RANGE,
		.id = "TCE-ENTRY-RESERVED-RANGE",
		.severity = TCE_SEV_WARNING,
		.summary = "a valid TCE inside the table's reserved range",
		.why = "iommu_init_table() reserves the bus addresses that overlap the PHB's "
		       "32-bit MMIO window (it_reserved_start/end): a DMA there reaches the "
		       "MMIO space, not memory.  The kernel's allocator never hands them out, "
		       "so an entry there was written by something else (VFIO without the "
		       "reservation, a corrupt table).",
		.model = "entries it_reserved_start .. it_reserved_end-1 stay invalid",
		.area = TCE_AREA_TABLES,
	},
	.entries = entries,
	.when = when,
	.on = RULE_ON_IOMMU,
};
