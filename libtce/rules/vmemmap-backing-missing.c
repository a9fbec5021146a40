// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-BACKING-MISSING: a vmemmap block's backing memory is not in the dump. */
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

		if (c->backing_in_dump[i])
			continue;
		snprintf(key, sizeof(key), "entry:%zu", i);
		ret = tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key,
				       "vmemmap_list entry %zu: its backing 0x%" PRIx64 "-0x%"
				       PRIx64 " (struct pages of vmemmap 0x%" PRIx64 ") is not "
				       "in the dump", i, b->phys, b->phys + bs - 1, b->virt);
		if (ret)
			return ret;
	}
	return 0;
}

const struct rule_def tce_rule_vmemmap_backing_missing = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_BACKING_MISSING,
		.id = "TCE-VMEMMAP-BACKING-MISSING",
		.severity = TCE_SEV_ERROR,
		.summary = "a vmemmap block's backing memory is not in the dump",
		.why = "The struct pages of this block cannot be read: the dump excluded or "
		       "lost the memory (a capture cut short, a makedumpfile filter that "
		       "dropped it, or a phys that points nowhere).  Their state is unknown, "
		       "not zero.",
		.model = "vmemmap blocks are kernel memory a full dump holds",
	},
	.check = check,
};
