// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-UNTERMINATED: vmemmap_list is longer than the dump's memory can hold. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct vm_walk *w = &c->m->walk;

	if (!tce_rule_need_walk(c) || w->end != VM_WALK_BOUND)
		return 0;
	return tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, "list",
				"vmemmap_list has more than %" PRIu64 " entries (the most "
				"this dump can hold) and no end", w->bound);
}

const struct rule_def tce_rule_vmemmap_unterminated = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_UNTERMINATED,
		.id = "TCE-VMEMMAP-UNTERMINATED",
		.severity = TCE_SEV_ERROR,
		.summary = "vmemmap_list is longer than the dump's memory can hold",
		.why = "The walk stopped at a bound derived from the dump's size without "
		       "reaching a NULL link: the list is corrupt (a cycle too long to be "
		       "the kernel's, or links into garbage that happens to be readable).",
		.model = "every vmemmap_backing entry lives in the dump's memory",
	},
	.check = check,
};
