// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-UNORDERED: vmemmap_list is not in descending virt_addr order. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct vm_walk *w = &c->m->walk;
	char key[64];
	size_t i;
	int ret;

	if (!tce_rule_need_walk(c))
		return 0;
	for (i = 1; i < w->nblocks; i++) {
		const struct tce_vmemmap_block *b = &w->blocks[i];

		if (b->virt <= w->blocks[i - 1].virt)
			continue;
		snprintf(key, sizeof(key), "entry:%zu", i);
		ret = tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key,
				       "vmemmap_list entry %zu (virt 0x%" PRIx64 ") follows "
				       "entry %zu (virt 0x%" PRIx64 "): the list is not in "
				       "descending order, so the 2013 walk stops at the wrong "
				       "entry and gives up (or, where blocks overlap, picks the "
				       "wrong one)", i, b->virt, i - 1, w->blocks[i - 1].virt);
		if (ret)
			return ret;
	}
	return 0;
}

const struct rule_def tce_rule_vmemmap_unordered = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_UNORDERED,
		.id = "TCE-VMEMMAP-UNORDERED",
		.severity = TCE_SEV_WARNING,
		.summary = "vmemmap_list is not in descending virt_addr order",
		.why = "The 2013 real-mode walk takes the first entry with virt_addr <= "
		       "address, which is right only while the list is in descending order.  "
		       "Memory hot-remove recycles entries and breaks that order (fixed "
		       "upstream in 2014): the walk then gives up on every struct page behind "
		       "the misplaced entry, sending each H_PUT_TCE for those pages to "
		       "virtual mode, and where entries overlap it picks a wrong one.",
		.model = "the 2013 walk's assumption: entries are added at the head in "
			 "ascending address order, so the list descends",
	},
	.check = check,
};
