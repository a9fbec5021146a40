// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The catalogue: every rule, by number.  The one list from which `tce-inspect rules`,
 * the man page's rule section and the tests' list of ids are made.
 */
#include "config.h"

#include <string.h>

#include "rules/rules.h"

static const struct rule_def *const catalogue[TCE_RULE_COUNT] = {
	[TCE_RULE_VMEMMAP_MISSING] = &tce_rule_vmemmap_missing,
	[TCE_RULE_VMEMMAP_CYCLE] = &tce_rule_vmemmap_cycle,
	[TCE_RULE_VMEMMAP_UNTERMINATED] = &tce_rule_vmemmap_unterminated,
	[TCE_RULE_VMEMMAP_TRUNCATED] = &tce_rule_vmemmap_truncated,
	[TCE_RULE_VMEMMAP_MISALIGNED] = &tce_rule_vmemmap_misaligned,
	[TCE_RULE_VMEMMAP_OVERLAP_VIRT] = &tce_rule_vmemmap_overlap_virt,
	[TCE_RULE_VMEMMAP_OVERLAP_PHYS] = &tce_rule_vmemmap_overlap_phys,
	[TCE_RULE_VMEMMAP_BACKING_MISSING] = &tce_rule_vmemmap_backing_missing,
	[TCE_RULE_VMEMMAP_UNCOVERED] = &tce_rule_vmemmap_uncovered,
	[TCE_RULE_VMEMMAP_UNORDERED] = &tce_rule_vmemmap_unordered,
	[TCE_RULE_VMEMMAP_SEED_FALLBACK] = &tce_rule_vmemmap_seed_fallback,
	[TCE_RULE_VMEMMAP_XLAT_MISMATCH] = &tce_rule_vmemmap_xlat_mismatch,
	[TCE_RULE_VMEMMAP_STRADDLE] = &tce_rule_vmemmap_straddle,
	[TCE_RULE_DUMP_UNMANAGED] = &tce_rule_dump_unmanaged,
	[TCE_RULE_VMEMMAP_NO_XLAT] = &tce_rule_vmemmap_no_xlat,
	[TCE_RULE_VMEMMAP_NOT_VMEMMAP] = &tce_rule_vmemmap_not_vmemmap,
	[TCE_RULE_ENTRY_NO_PAGE] = &tce_rule_entry_no_page,
	[TCE_RULE_ENTRY_RESERVED_BITS] = &tce_rule_entry_reserved_bits,
	[TCE_RULE_ENTRY_MISALIGNED] = &tce_rule_entry_misaligned,
	[TCE_RULE_LEVEL_BAD] = &tce_rule_level_bad,
	[TCE_RULE_TABLE_OVERFULL] = &tce_rule_table_overfull,
	[TCE_RULE_DMA_FREED] = &tce_rule_dma_freed,
	[TCE_RULE_ITMAP_CLEAR] = &tce_rule_itmap_clear,
	[TCE_RULE_ENTRY_RESERVED_RANGE] = &tce_rule_entry_reserved_range,
	[TCE_RULE_KVM_NO_MEMSLOT] = &tce_rule_kvm_no_memslot,
	[TCE_RULE_KVM_HW_MISMATCH] = &tce_rule_kvm_hw_mismatch,
	[TCE_RULE_ENTRY_DEVICE] = &tce_rule_entry_device,
	[TCE_RULE_VFIO_NO_UA] = &tce_rule_vfio_no_ua,
	[TCE_RULE_VFIO_NO_REGION] = &tce_rule_vfio_no_region,
	[TCE_RULE_VFIO_HPA_MISMATCH] = &tce_rule_vfio_hpa_mismatch,
	[TCE_RULE_VFIO_UNPINNED] = &tce_rule_vfio_unpinned,
	[TCE_RULE_VFIO_MAPPED] = &tce_rule_vfio_mapped,
	[TCE_RULE_SEED_REFS] = &tce_rule_seed_refs,
};

const struct rule_def *tce_rule_def(enum tce_rule_id rule)
{
	return (unsigned)rule < TCE_RULE_COUNT ? catalogue[rule] : NULL;
}

const struct tce_rule *tce_rule(enum tce_rule_id rule)
{
	const struct rule_def *def = tce_rule_def(rule);

	return def ? &def->info : NULL;
}

int tce_rule_lookup(const char *id, enum tce_rule_id *rule)
{
	unsigned r;

	for (r = 0; r < TCE_RULE_COUNT; r++) {
		if (strcmp(catalogue[r]->info.id, id) == 0) {
			*rule = r;
			return 0;
		}
	}
	return -TCE_ENOENT;
}
