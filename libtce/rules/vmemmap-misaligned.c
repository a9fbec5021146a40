// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-MISALIGNED: a vmemmap block is not aligned to the vmemmap page size. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct vm_walk *w = &c->m->walk;
	uint64_t bs = w->block_size;
	char key[64];
	size_t i;
	int ret;

	if (!tce_rule_need_walk(c))
		return 0;
	for (i = 0; i < w->nblocks; i++) {
		const struct tce_vmemmap_block *b = &w->blocks[i];

		if (!((b->virt | b->phys) & (bs - 1)))
			continue;
		snprintf(key, sizeof(key), "entry:%zu", i);
		ret = tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key,
				       "vmemmap_list entry %zu (virt 0x%" PRIx64 ", phys 0x%"
				       PRIx64 ") is not aligned to the 0x%" PRIx64 "-byte "
				       "vmemmap page", i, b->virt, b->phys, bs);
		if (ret)
			return ret;
	}
	return 0;
}

const struct rule_def tce_rule_vmemmap_misaligned = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_MISALIGNED,
		.id = "TCE-VMEMMAP-MISALIGNED",
		.severity = TCE_SEV_ERROR,
		.summary = "a vmemmap block is not aligned to the vmemmap page size",
		.why = "vmemmap_populate() maps whole, naturally aligned pages of the vmemmap "
		       "page size; a block whose virt_addr or phys is not aligned was not "
		       "made by the kernel: the entry is corrupt.",
		.model = "vmemmap_populate() backs the vmemmap in aligned "
			 "mmu_psize_defs[mmu_vmemmap_psize] pages",
	},
	.check = check,
};
