// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VFIO-MAPPED: a preregistered region's `mapped` count disagrees with its TCEs. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "model/vfio.h"
#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct vfio_model *v = c->m->vfio;
	size_t i, j;
	int ret;

	if (tce_rule_vfio_absent(c))
		return 0;
	if (v->mm_unknown)
		tce_rule_undecided(c, "the regions of a VFIO table's mm are unknown: %s",
				   v->mm_unknown_why);
	for (i = 0; i < v->nmms; i++) {
		const struct vfio_mm *mm = &v->mms[i];

		if (!mm->known)
			tce_rule_undecided(c, "%s", mm->why);
		for (j = 0; j < mm->n; j++) {
			const struct vfio_region *r = &mm->r[j];
			int64_t want = 1 + (int64_t)r->counted;
			char key[96];

			if (r->mapped == want)
				continue;
			/* entries not seen can only add to the count */
			if (r->mapped > want && v->lost) {
				tce_rule_undecided(c, "the region at ua 0x%" PRIx64 " counts %"
						   PRId64 " mappings, %" PRIu64 " TCEs seen: %s",
						   r->ua, r->mapped - 1, r->counted, v->lost_why);
				continue;
			}
			snprintf(key, sizeof(key), "vfio:region=0x%" PRIx64 "+0x%" PRIx64, r->ua,
				 r->entries);
			ret = tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key, "the preregistered "
					       "region at ua 0x%" PRIx64 " (0x%" PRIx64 " pages) "
					       "has mapped %" PRId64 ", but %" PRIu64 " TCE%s use it "
					       "(mapped is 1 + the TCEs): %s", r->ua, r->entries,
					       r->mapped, r->counted, r->counted == 1 ? "" : "s",
					       r->mapped < want ? "it can be unregistered while "
					       "devices still map it" : "it can never be "
					       "unregistered, its pages stay pinned");
			if (ret)
				return ret;
		}
	}
	return 0;
}

const struct rule_def tce_rule_vfio_mapped = {
	.info = {
		.rule = TCE_RULE_VFIO_MAPPED,
		.id = "TCE-VFIO-MAPPED",
		.severity = TCE_SEV_ERROR,
		.summary = "a preregistered region's mapped count disagrees with the TCEs using it",
		.why = "Registration sets a region's `mapped` to 1; every TCE made from it "
		       "adds one (mm_iommu_mapped_inc()) and every TCE cleared drops one "
		       "(mm_iommu_mapped_dec()); unregistering succeeds only when it is back "
		       "at 1.  Fewer counts than TCEs let the region be released and its "
		       "pages unpinned while devices still reach them; more leave it pinned "
		       "forever.  Usually an unmap path that skipped the decrement (an "
		       "it_userspace entry already cleared) or a map path whose hardware "
		       "update failed after the increment.",
		.model = "6.1's SPAPR TCE v2: mapped = 1 + the valid entries, over every VFIO "
			 "table of the mm, whose it_userspace address mm_iommu_lookup() finds "
			 "in the region",
		.area = TCE_AREA_TABLES,
	},
	.vfio = true,
	.check = check,
};
