// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VFIO-NO-UA: a valid TCE of a VFIO v2 table without a userspace address. */
#include "config.h"

#include <inttypes.h>

#include "model/vfio.h"
#include "rules/rules.h"

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	const struct vfio_fact *v = f->vfio;

	if (!v || v->has_ua == F_YES)
		return 0;
	if (v->has_ua == F_UNKNOWN)
		return tce_rule_undecided(c, "%s entry 0x%" PRIx64 ": %s", f->t->key,
					  f->e->index, v->why);
	if (v->v2 == F_NO)
		return 0;
	if (v->v2 == F_UNKNOWN)
		return tce_rule_undecided(c, "%s: whether its container is v2 is unknown: %s",
					  f->t->key, v->why);
	return tce_rule_entry_finding(c, f, "valid, but it_userspace holds no userspace "
				      "address for it: the unmap path cannot find its "
				      "preregistered region");
}

static int check(struct rule_ctx *c)
{
	tce_rule_vfio_absent(c);
	return 0;
}

TCE_RULE_ENTRIES(entry)

const struct rule_def tce_rule_vfio_no_ua = {
	.info = {
		.rule = TCE_RULE_VFIO_NO_UA,
		.id = "TCE-VFIO-NO-UA",
		.severity = TCE_SEV_ERROR,
		.summary = "a valid TCE of a VFIO v2 table without an it_userspace address",
		.why = "tce_iommu_build_v2() and KVM's kvmppc_tce_iommu_do_map() store the "
		       "userspace address of every TCE they write in it_userspace, and the "
		       "unmap paths read it back to find the preregistered region whose "
		       "`mapped` count they drop.  A valid TCE without it was written by "
		       "another path, or its address was cleared while the TCE stayed: the "
		       "region's count can never drop to 1, so the memory stays pinned, and "
		       "nothing will clear the TCE when the region goes.",
		.model = "6.1's SPAPR TCE v2: a valid entry of a table with it_userspace whose "
			 "container is v2 (or that KVM maps for a guest) has a non-zero "
			 "it_userspace entry",
		.area = TCE_AREA_TABLES,
	},
	.vfio = true,
	.entries = entries,
	.check = check,
};
