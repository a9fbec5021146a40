// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-OVERLAP-PHYS: two vmemmap blocks share physical memory. */
#include "config.h"

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	return tce_rule_overlaps(c, true);
}

const struct rule_def tce_rule_vmemmap_overlap_phys = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_OVERLAP_PHYS,
		.id = "TCE-VMEMMAP-OVERLAP-PHYS",
		.severity = TCE_SEV_ERROR,
		.summary = "two vmemmap blocks share physical memory",
		.why = "Two different parts of the vmemmap stored in the same physical memory "
		       "means one struct page overwrites another: refcounts and flags read "
		       "there belong to two pages at once.",
		.model = "each vmemmap page has its own backing memory",
	},
	.check = check,
};
