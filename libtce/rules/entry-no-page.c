// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-ENTRY-NO-PAGE: a valid TCE maps memory the kernel does not manage. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	if (f->e->host_state == TCE_HOST_UNKNOWN)
		return tce_rule_undecided(c, "the host page behind %s entry 0x%" PRIx64 " is "
					  "unknown: %s", f->t->key, f->e->index,
					  f->e->host_why ? f->e->host_why : "");
	if (f->e->host_state != TCE_HOST_PRESENT)
		return 0;
	if (f->managed == F_NO)
		return tce_rule_entry_finding(c, f, "maps pfn 0x%" PRIx64 ", which lies in no "
					      "memory section the kernel manages", f->pfn);
	if (f->managed == F_YES)
		return 0;
	/* no mem_section to say: the vmemmap's own answer */
	if (f->page_err == -TCE_ENOXLAT)
		return tce_rule_entry_finding(c, f, "maps pfn 0x%" PRIx64 ", which has no "
					      "struct page", f->pfn);
	if (f->page_err && !tce_rule_undecided_again(c))
		return tce_rule_undecided(c, "pfn 0x%" PRIx64 ": %s", f->pfn,
					  tce_fact_page_why(f));
	return 0;
}

/* a batch with neither an unknown host page nor a present one outside managed memory
 * is skipped */
static bool when(const struct rule_ctx *c, const struct fact_sum *s)
{
	(void)c;
	return (s->states & (1u << TCE_HOST_UNKNOWN)) || (s->has & FS_UNMANAGED);
}

TCE_RULE_ENTRIES_WHEN(entry, when)

const struct rule_def tce_rule_entry_no_page = {
	.info = {
		.rule = TCE_RULE_ENTRY_NO_PAGE,
		.id = "TCE-ENTRY-NO-PAGE",
		.severity = TCE_SEV_ERROR,
		.summary = "a valid TCE maps memory the kernel does not manage",
		.why = "The device may write to a physical page that has no struct page: "
		       "memory the kernel never onlined, removed by hot-remove while the "
		       "mapping stayed, or an address that is no memory at all.  A stale "
		       "entry after memory hot-remove, or a corrupt TCE: look at who owns the "
		       "table (the kernel's DMA API, VFIO, a VM) and at the memory blocks "
		       "removed before the crash.",
		.model = "every page a device may reach is in a present memory section "
			 "(mem_section), or is device memory the kernel registered",
		.area = TCE_AREA_TABLES,
	},
	.entries = entries,
	.when = when,
};
