// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-ENTRY-DEVICE: a valid TCE maps device memory the kernel registered. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	if (f->e->host_state != TCE_HOST_PRESENT || f->managed != F_YES || !f->device)
		return 0;
	return tce_rule_entry_finding(c, f, "maps pfn 0x%" PRIx64 ", device memory (a "
				      "present memory section that is not online)", f->pfn);
}

static bool when(const struct rule_ctx *c, const struct fact_sum *s)
{
	(void)c;
	return (s->has & FS_DEVICE) != 0;
}

TCE_RULE_ENTRIES_WHEN(entry, when)

const struct rule_def tce_rule_entry_device = {
	.info = {
		.rule = TCE_RULE_ENTRY_DEVICE,
		.id = "TCE-ENTRY-DEVICE",
		.severity = TCE_SEV_INFO,
		.summary = "a valid TCE maps device memory the kernel registered",
		.why = "Peer-to-peer DMA, or memory a driver registered with memremap_pages() "
		       "(a GPU's, persistent memory): legitimate, but its struct pages do not "
		       "follow the page allocator's rules, so the other checks say little "
		       "about it.",
		.model = "device memory is in present memory sections that are never "
			 "onlined (SECTION_IS_ONLINE clear)",
		.area = TCE_AREA_TABLES,
	},
	.entries = entries,
	.when = when,
};
