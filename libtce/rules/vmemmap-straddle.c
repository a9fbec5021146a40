// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-STRADDLE: struct pages span two vmemmap blocks. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct tce_model *m = c->m;

	if (!tce_rule_need_walk(c) || !m->straddling)
		return 0;
	return tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, "straddling",
				"%" PRIu64 " struct pages span two vmemmap blocks (SIZE(page)="
				"%" PRIu64 " does not divide the 0x%" PRIx64 "-byte block): "
				"real mode cannot reach them", m->straddling, m->psz,
				m->walk.block_size);
}

const struct rule_def tce_rule_vmemmap_straddle = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_STRADDLE,
		.id = "TCE-VMEMMAP-STRADDLE",
		.severity = TCE_SEV_INFO,
		.summary = "struct pages span two vmemmap blocks",
		.why = "When SIZE(page) does not divide the vmemmap page size (56- or 80-byte "
		       "struct pages, from debug options), some struct pages are split between "
		       "two blocks that need not be physically adjacent: real mode cannot "
		       "reach them and must fall back to virtual mode.",
		.model = "real mode reads a struct page through one block's physical address",
	},
	.check = check,
};
