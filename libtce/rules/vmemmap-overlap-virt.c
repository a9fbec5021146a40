// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-OVERLAP-VIRT: two vmemmap blocks back the same vmemmap addresses. */
#include "config.h"

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	return tce_rule_overlaps(c, false);
}

const struct rule_def tce_rule_vmemmap_overlap_virt = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_OVERLAP_VIRT,
		.id = "TCE-VMEMMAP-OVERLAP-VIRT",
		.severity = TCE_SEV_ERROR,
		.summary = "two vmemmap blocks back the same vmemmap addresses",
		.why = "Each vmemmap address is backed once.  Two entries covering the same "
		       "virtual range make the answer depend on list order: translations "
		       "disagree, and real mode may read or write the wrong struct page.  "
		       "Seen when a recycled entry was re-added without being unlinked.",
		.model = "vmemmap_populate() records each vmemmap page once",
	},
	.check = check,
};
