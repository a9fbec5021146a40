// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-KVM-HW-MISMATCH: a guest view and its attached hardware table disagree. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	if (f->hw_same == F_UNKNOWN)
		return tce_rule_undecided(c, "%s entry 0x%" PRIx64 ": the attached hardware "
					  "table's entry, or the host page, is unknown", f->t->key,
					  f->e->index);
	if (f->hw_same != F_NO)
		return 0;
	if (!f->hw_raw)
		return tce_rule_entry_finding(c, f, "maps host address 0x%" PRIx64 ", but the "
					      "attached hardware table 0x%" PRIx64 " has no "
					      "valid entry there", f->e->host_phys, f->hw_table);
	return tce_rule_entry_finding(c, f, "maps host address 0x%" PRIx64 ", but the "
				      "attached hardware table 0x%" PRIx64 " maps tce 0x%"
				      PRIx64 " there", f->e->host_phys, f->hw_table, f->hw_raw);
}

static bool when(const struct rule_ctx *c, const struct fact_sum *s)
{
	(void)c;
	return (s->has & FS_HW) != 0;
}

static bool count(const struct rule_ctx *c, const struct fact_sum *s, uint64_t *n)
{
	(void)c;
	if (s->hw_unknown)
		return false;
	*n = s->hw_no;
	return true;
}

TCE_RULE_ENTRIES_WHEN(entry, when)

const struct rule_def tce_rule_kvm_hw_mismatch = {
	.info = {
		.rule = TCE_RULE_KVM_HW_MISMATCH,
		.id = "TCE-KVM-HW-MISMATCH",
		.severity = TCE_SEV_ERROR,
		.summary = "a guest view and its attached hardware table map different pages",
		.why = "With a VFIO group attached to a LIOBN, KVM writes each guest TCE to "
		       "its own table and, translated to the host page, to the hardware "
		       "table (kvmppc_tce_iommu_map()).  When they disagree the device DMAs "
		       "somewhere other than where the guest believes: a failed or skipped "
		       "hardware update (H_TOO_HARD handled in part), or the guest's page "
		       "moved (migrated, swapped) after it was pinned.",
		.model = "6.1 KVM with VFIO: the hardware entry for bus address B maps the "
			 "host page behind the guest's TCE for B",
		.area = TCE_AREA_TABLES,
	},
	.entries = entries,
	.when = when,
	.count = count,
	.on = RULE_ON_KVM_HW,
};
