// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VFIO-NO-REGION: a VFIO TCE whose userspace address is in no preregistered region. */
#include "config.h"

#include <inttypes.h>

#include "model/vfio.h"
#include "rules/rules.h"

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	const struct vfio_fact *v = f->vfio;

	if (!v || v->has_ua != F_YES || v->in_region == F_YES)
		return 0;
	if (v->in_region == F_UNKNOWN)
		return tce_rule_undecided(c, "%s entry 0x%" PRIx64 ": its preregistered "
					  "regions are unknown: %s", f->t->key, f->e->index,
					  v->why);
	return tce_rule_entry_finding(c, f, "userspace address 0x%" PRIx64 " lies in no "
				      "preregistered region of its mm: the memory behind "
				      "the TCE is not pinned by registration", v->ua);
}

static int check(struct rule_ctx *c)
{
	tce_rule_vfio_absent(c);
	return 0;
}

TCE_RULE_ENTRIES(entry)

const struct rule_def tce_rule_vfio_no_region = {
	.info = {
		.rule = TCE_RULE_VFIO_NO_REGION,
		.id = "TCE-VFIO-NO-REGION",
		.severity = TCE_SEV_ERROR,
		.summary = "a VFIO TCE whose userspace address lies in no preregistered region",
		.why = "With the v2 IOMMU, VFIO and KVM map only memory the process "
		       "preregistered (VFIO_IOMMU_SPAPR_REGISTER_MEMORY): mm_iommu_lookup() "
		       "must find a region holding the whole IOMMU page, whose pages "
		       "registration pinned.  A TCE whose address no region holds maps "
		       "memory nothing keeps pinned: the region was unregistered while the "
		       "TCE stayed (a `mapped` count that reached 1 too early), or "
		       "it_userspace was overwritten.",
		.model = "6.1's SPAPR TCE v2: every it_userspace address lies, with its IOMMU "
			 "page, in a region on the mm's context.iommu_group_mem_list (the "
			 "container's mm, or the VM's for a table KVM maps)",
		.area = TCE_AREA_TABLES,
	},
	.vfio = true,
	.entries = entries,
	.check = check,
};
