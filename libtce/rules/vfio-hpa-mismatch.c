// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VFIO-HPA-MISMATCH: a VFIO TCE maps another host page than its region gives. */
#include "config.h"

#include <inttypes.h>

#include "model/vfio.h"
#include "rules/rules.h"

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	const struct vfio_fact *v = f->vfio;

	if (!v || v->in_region != F_YES || v->hpa_same == F_YES)
		return 0;
	if (v->hpa_same == F_UNKNOWN)
		return tce_rule_undecided(c, "%s entry 0x%" PRIx64 ": %s", f->t->key,
					  f->e->index, v->why);
	if (v->shift_bad)
		return tce_rule_entry_finding(c, f, "userspace address 0x%" PRIx64 " is in a "
					      "region of %u-bit pages, smaller than the "
					      "table's IOMMU pages: mm_iommu_ua_to_hpa() "
					      "refuses it", v->ua, v->region->pageshift);
	return tce_rule_entry_finding(c, f, "maps host address 0x%" PRIx64 ", but its "
				      "userspace address 0x%" PRIx64 " is host address 0x%"
				      PRIx64 " by its region's %s", f->e->target, v->ua,
				      v->want, v->region->dev_hpa != VFIO_INVALID_HPA ?
				      "dev_hpa (device memory)" : "hpas[]");
}

static int check(struct rule_ctx *c)
{
	tce_rule_vfio_absent(c);
	return 0;
}

TCE_RULE_ENTRIES(entry)

const struct rule_def tce_rule_vfio_hpa_mismatch = {
	.info = {
		.rule = TCE_RULE_VFIO_HPA_MISMATCH,
		.id = "TCE-VFIO-HPA-MISMATCH",
		.severity = TCE_SEV_ERROR,
		.summary = "a VFIO TCE maps another host page than its region's hpas[] gives",
		.why = "tce_iommu_build_v2() and kvmppc_tce_iommu_do_map() take the host "
		       "address of a TCE from the preregistered region (hpas[], filled from "
		       "the pinned pages at registration), never from the page tables.  A "
		       "TCE that maps another page lets the device reach memory the region "
		       "does not pin: the TCE was written by another path, or hpas[] or "
		       "the TCE was overwritten.",
		.model = "6.1's SPAPR TCE v2: a TCE maps (hpas[(ua - region ua) >> "
			 "PAGE_SHIFT] & ~0xfff) | (ua & ~PAGE_MASK) (device memory: dev_hpa "
			 "+ (ua - region ua)), the region's pageshift at least the table's",
		.area = TCE_AREA_TABLES,
	},
	.vfio = true,
	.entries = entries,
	.check = check,
};
