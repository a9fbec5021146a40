// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-CYCLE: vmemmap_list loops back on itself. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct vm_walk *w = &c->m->walk;
	char key[64];

	if (!tce_rule_need_walk(c) || w->end != VM_WALK_CYCLE)
		return 0;
	snprintf(key, sizeof(key), "entry:%zu", w->cycle_from);
	return tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key,
				"vmemmap_list entry %zu (0x%" PRIx64 ") links back to entry "
				"%zu (0x%" PRIx64 "): the list is a cycle", w->cycle_from,
				w->blocks[w->cycle_from].entry, w->cycle_to,
				w->blocks[w->cycle_to].entry);
}

const struct rule_def tce_rule_vmemmap_cycle = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_CYCLE,
		.id = "TCE-VMEMMAP-CYCLE",
		.severity = TCE_SEV_ERROR,
		.summary = "vmemmap_list loops back on itself",
		.why = "A list entry points at an entry already visited.  The kernel's own "
		       "walks (the real-mode translation, crash-dump tools) would never end; "
		       "the blocks after the loop are lost.  Usually memory corruption of a "
		       "vmemmap_backing entry (a use-after-free of a recycled entry after "
		       "hot-remove): look at the entries around the one named.",
		.model = "vmemmap_list is a NULL-terminated singly linked list",
	},
	.check = check,
};
