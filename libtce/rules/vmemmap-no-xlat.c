// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-NO-XLAT: nothing in the dump locates a struct page. */
#include "config.h"

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct tce_model *m = c->m;

	if (!m->list_walked && m->src == TCE_VMEMMAP_SRC_NONE)
		return tce_rule_not_applicable(c, "vmemmap_list cannot be walked: "
					       "TCE-VMEMMAP-MISSING says why");
	if (m->src != TCE_VMEMMAP_SRC_NONE)
		return 0;
	return tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, "vmemmap",
				"no struct page can be located: %s", m->src_why);
}

const struct rule_def tce_rule_vmemmap_no_xlat = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_NO_XLAT,
		.id = "TCE-VMEMMAP-NO-XLAT",
		.severity = TCE_SEV_ERROR,
		.summary = "nothing in the dump locates a struct page",
		.why = "A struct page is found through vmemmap_list (hash kernels, and radix "
		       "before 6.5) or through the radix kernel page tables (the only map on "
		       "radix since 6.5), from the vmemmap base (SYMBOL(vmemmap), mem_section "
		       "or the blocks' region).  When the list is empty or unreadable and the "
		       "page tables are absent, damaged or map nothing there, or the base is "
		       "unknown, no page state can be read and every check of a DMA target "
		       "would be a guess.  Usual causes: a capture that excluded the kernel's "
		       "page tables or the vmemmap_backing entries, a hash dump whose list was "
		       "lost (the hash table that also maps the vmemmap is the hypervisor's), "
		       "or a wrong or damaged VMCOREINFO.",
		.model = "book3s64 SPARSEMEM_VMEMMAP: vmemmap_list on hash, swapper_pg_dir on "
			 "radix",
	},
	.check = check,
};
