// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-MISSING: the dump lacks what a vmemmap_list walk needs. */
#include "config.h"

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct vm_walk *w = &c->m->walk;

	if (c->m->src == TCE_VMEMMAP_SRC_PGTABLE)
		return tce_rule_not_applicable(c, "the radix page tables map the vmemmap: "
					       "vmemmap_list is not needed");
	if (w->end == VM_WALK_NO_PARAMS)
		return tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, "vmcoreinfo",
					"%s: vmemmap_list cannot be walked", w->why);
	if (w->end == VM_WALK_NO_PSIZE)
		return tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, "mmu_vmemmap_psize",
					"the vmemmap page size cannot be read: %s", w->why);
	return 0;
}

const struct rule_def tce_rule_vmemmap_missing = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_MISSING,
		.id = "TCE-VMEMMAP-MISSING",
		.severity = TCE_SEV_ERROR,
		.summary = "the dump lacks what a vmemmap_list walk needs",
		.why = "VMCOREINFO must name vmemmap_list, mmu_psize_defs, mmu_vmemmap_psize, "
		       "the vmemmap_backing layout and SIZE(page), and the vmemmap page size "
		       "must be readable; without them no struct page can be located, so "
		       "every later answer would be a guess.  Usual causes: a kernel without "
		       "SPARSEMEM_VMEMMAP, a dump whose VMCOREINFO was damaged, or a capture "
		       "that excluded the kernel's own data.",
		.model = "book3s64 with SPARSEMEM_VMEMMAP, whose arch_crash_save_vmcoreinfo() "
			 "exports the vmemmap_list items",
	},
	.check = check,
};
