// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target (b): the vmemmap walk, the comparison of the four translations and
 * every rule.  The input overwrites vmemmap_list (its head and entries),
 * mmu_vmemmap_psize, mmu_psize_defs and mem_section's roots and first sections of a
 * template, and may append VMCOREINFO lines (harness.h); then an analysis loads the
 * model, runs tce_analysis_check() and every result is read back.
 */
#include "config.h"

#include "harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fz_init(FZ_VMEMMAP);
	return 0;
}

static void body(struct tce_dump *d)
{
	struct tce_vmemmap_info vi = TCE_VMEMMAP_INFO_INIT;
	struct tce_mmu_info mi = TCE_MMU_INFO_INIT;
	struct tce_pfn_xlat x = TCE_PFN_XLAT_INIT;
	const struct tce_finding *f;
	struct tce_analysis *a;
	const char *reason;
	uint64_t pfns[5] = { 0, 1, 0x100 }, n = 3;
	size_t i;
	unsigned r;

	if (tce_analysis_new(d, &a))
		return;
	tce_analysis_mmu_info(a, &mi);
	if (tce_vmemmap_info(a, &vi) == 0) {
		for (i = 0; tce_vmemmap_block(a, i); i++)
			;
		pfns[n++] = vi.max_pfn ? vi.max_pfn - 1 : 0;
		pfns[n++] = vi.max_pfn;
	}
	tce_analysis_check(a);
	for (i = 0; (f = tce_finding(a, i)) != NULL; i++)
		;
	for (r = 0; r < TCE_RULE_COUNT; r++)
		tce_rule_outcome(a, r, &reason);
	for (i = 0; i < n; i++)
		tce_pfn_xlat(a, pfns[i], &x);
	tce_analysis_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, body);
}
