// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-ENTRY-MISALIGNED: a valid TCE's address is not aligned to the IOMMU page. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	unsigned shift = f->t->info->page_shift;
	uint64_t low = shift > 12 && shift < 64 ? f->e->raw & ((1ULL << shift) - 1) &
		       ~0xfffULL : 0;

	if (!low)
		return 0;
	return tce_rule_entry_finding(c, f, "its address is not aligned to the %u-bit IOMMU "
				      "page (bits 0x%" PRIx64 ")", shift, low);
}

TCE_RULE_ENTRIES(entry)

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
};
