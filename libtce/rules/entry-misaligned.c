// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-ENTRY-MISALIGNED: a valid TCE's address is not aligned to the IOMMU page. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

/* the bits of raw below an IOMMU page of 1 << shift bytes, above the TCE's own */
static uint64_t low_bits(unsigned shift, uint64_t raw)
{
	return shift > 12 && shift < 64 ? raw & ((1ULL << shift) - 1) & ~0xfffULL : 0;
}

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	unsigned shift = f->t->info->page_shift;
	uint64_t low = low_bits(shift, f->e->raw);

	if (!low)
		return 0;
	return tce_rule_entry_finding(c, f, "its address is not aligned to the %u-bit IOMMU "
				      "page (bits 0x%" PRIx64 ")", shift, low);
}

/* a batch none of whose TCEs (of one table) has such a bit set is skipped */
static bool when(const struct rule_ctx *c, const struct fact_sum *s)
{
	(void)c;
	return low_bits(s->t->info->page_shift, s->raw) != 0;
}

TCE_RULE_ENTRIES_WHEN(entry, when)

const struct rule_def tce_rule_entry_misaligned = {
	.info = {
		.rule = TCE_RULE_ENTRY_MISALIGNED,
		.id = "TCE-ENTRY-MISALIGNED",
		.severity = TCE_SEV_ERROR,
		.summary = "a valid TCE's address is not aligned to the IOMMU page size",
		.why = "An IOMMU page maps an aligned block of that size; the hardware drops "
		       "the low bits, so the device reaches the aligned block around the "
		       "address, not the one written.  KVM refuses such TCEs "
		       "(kvmppc_tce_validate()); one in a table is a corrupt entry or a "
		       "page-size mix-up between the table and whoever filled it.",
		.model = "a TCE's address is a multiple of the table's IOMMU page size",
		.area = TCE_AREA_TABLES,
	},
	.entries = entries,
	.when = when,
};
