// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-TRUNCATED: a vmemmap_list link points outside the dump. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct vm_walk *w = &c->m->walk;
	char key[64];

	if (!tce_rule_need_walk(c) || w->end != VM_WALK_CUT)
		return 0;
	if (w->nblocks)
		snprintf(key, sizeof(key), "entry:%zu", w->nblocks - 1);
	else
		snprintf(key, sizeof(key), "head");
	if (!w->nblocks && w->cut_at == w->p.head_sym)
		return tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key,
					"vmemmap_list itself (0x%" PRIx64 ") cannot be read: %s",
					w->cut_at, w->why);
	return tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key,
				"%s points at 0x%" PRIx64 ", which cannot be read (%s): the "
				"list is cut there", w->nblocks ? "a vmemmap_list entry" :
				"vmemmap_list", w->cut_at, w->why);
}

const struct rule_def tce_rule_vmemmap_truncated = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_TRUNCATED,
		.id = "TCE-VMEMMAP-TRUNCATED",
		.severity = TCE_SEV_ERROR,
		.summary = "a vmemmap_list link points outside the dump",
		.why = "An entry (or the list head) cannot be read: its address is not kernel "
		       "memory, or the page holding it is not in the dump (a capture cut "
		       "short, or makedumpfile excluded it).  The blocks after it are "
		       "unknown.",
		.model = "vmemmap_backing entries are kernel memory the dump holds",
	},
	.check = check,
};
