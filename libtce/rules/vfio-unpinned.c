// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VFIO-UNPINNED: a preregistered page that is not pinned. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "model/vfio.h"
#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct vfio_model *v = c->m->vfio;
	size_t i;
	int ret;

	if (tce_rule_vfio_absent(c))
		return 0;
	if (v->mm_unknown)
		tce_rule_undecided(c, "the regions of a VFIO table's mm are unknown: %s",
				   v->mm_unknown_why);
	for (i = 0; i < v->nmms; i++)
		if (!v->mms[i].known)
			tce_rule_undecided(c, "%s", v->mms[i].why);
	if (v->pins_undecided)
		tce_rule_undecided(c, "%s", v->pins_why);
	for (i = 0; i < v->nunpinned; i++) {
		const struct vfio_unpinned *u = &v->unpinned[i];
		char key[128];

		snprintf(key, sizeof(key), "vfio:region=0x%" PRIx64 "+0x%" PRIx64 ":page=0x%"
			 PRIx64, u->ua, u->entries, u->index);
		if (u->zero)
			ret = tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key, "the preregistered "
					       "region at ua 0x%" PRIx64 " has no page at hpas[0x%"
					       PRIx64 "]", u->ua, u->index);
		else if (u->large)
			ret = tce_rule_finding(c, u->pfn, u->pfn, key, "preregistered pfn 0x%"
					       PRIx64 " (region at ua 0x%" PRIx64 ", hpas[0x%"
					       PRIx64 "]) is in the large folio at pfn 0x%" PRIx64
					       ", whose pin count %" PRId64 " is below the %" PRId64
					       " pins of registered pages in it", u->pfn, u->ua,
					       u->index, u->head, u->have, u->need);
		else
			ret = tce_rule_finding(c, u->pfn, u->pfn, key, "preregistered pfn 0x%"
					       PRIx64 " (region at ua 0x%" PRIx64 ", hpas[0x%"
					       PRIx64 "]) has _refcount %" PRId64 ", below the %"
					       PRId64 " its FOLL_PIN pins add", u->pfn, u->ua,
					       u->index, u->have, u->need);
		if (ret)
			return ret;
	}
	if (v->unpinned_more)
		return tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, "vfio:unpinned:more",
					"%" PRIu64 " more preregistered pages are not pinned",
					v->unpinned_more);
	return 0;
}

const struct rule_def tce_rule_vfio_unpinned = {
	.info = {
		.rule = TCE_RULE_VFIO_UNPINNED,
		.id = "TCE-VFIO-UNPINNED",
		.severity = TCE_SEV_ERROR,
		.summary = "a page of VFIO's preregistered memory is not pinned",
		.why = "mm_iommu_new() pins every page of a region with pin_user_pages("
		       "FOLL_LONGTERM) and keeps its physical address in hpas[]; only "
		       "mm_iommu_unpin() at the region's release drops the pins.  TCEs are "
		       "made from hpas[] without any further reference, so a registered "
		       "page without its pin can be freed or migrated while devices DMA to "
		       "it: an unpin_user_page() too many (a double unregister, a put on the "
		       "wrong page), or a refcount overwritten.",
		.model = "FOLL_PIN (include/linux/mm.h): each pin adds GUP_PIN_COUNTING_BIAS "
			 "(1024) to an order-0 page's _refcount, and 1 to a large folio's "
			 "_pincount (folio._pincount; 6.1: the first tail page's "
			 "compound_pincount); a page in n regions holds n pins",
		.area = TCE_AREA_TABLES,
	},
	.vfio = true,
	.check = check,
};
