// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-NOT-VMEMMAP: a vmemmap_list entry whose virt_addr is no vmemmap address. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct tce_model *m = c->m;
	const struct vm_walk *w = &m->walk;
	char key[48];
	size_t i;
	int ret;

	if (!tce_rule_need_walk(c))
		return 0;
	for (i = 0; i < w->nblocks && m->not_vmemmap; i++) {
		if (!m->not_vmemmap[i])
			continue;
		snprintf(key, sizeof(key), "entry:%zu", i);
		ret = tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key,
				       "vmemmap_list entry %zu (at 0x%" PRIx64 ") says it backs "
				       "0x%" PRIx64 ", which is %s, not the vmemmap: the entry "
				       "is corrupt, and no struct page is read through it", i,
				       w->blocks[i].entry, w->blocks[i].virt,
				       w->blocks[i].virt < TCE_LINEAR_BASE ?
				       "no kernel address" : "in the linear map");
		if (ret)
			return ret;
	}
	return 0;
}

const struct rule_def tce_rule_vmemmap_not_vmemmap = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_NOT_VMEMMAP,
		.id = "TCE-VMEMMAP-NOT-VMEMMAP",
		.severity = TCE_SEV_ERROR,
		.summary = "a vmemmap_list entry backs an address outside the vmemmap",
		.why = "vmemmap_populate() records only vmemmap addresses (0xc00c... on radix "
		       "and 64K hash, 0xc0003f... on 4K hash).  An entry whose virt_addr lies in "
		       "the linear map or below the kernel's addresses was overwritten (a stray "
		       "write into the vmemmap_backing page, a use after free of a recycled "
		       "entry) or the list pointer leads into foreign memory: real mode would "
		       "take such an entry for a struct page mapping and hand out whatever "
		       "physical memory it names.  Look at the memory around the entry and at "
		       "whoever freed or reused its page.",
		.model = "book3s64 vmemmap_list: every entry's virt_addr lies in the vmemmap "
			 "region, above the linear map",
	},
	.check = check,
};
