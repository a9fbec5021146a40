// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target (c): the kernel page-table walker (radix, and hash's Linux page
 * tables).  The input overwrites the page tables of a template (every set entry reachable from swapper_pg_dir with its
 * neighbours, and the PGD entries of the vmemmap and vmalloc; harness.h) and may
 * append VMCOREINFO lines (NUMBER(RADIX_MMU), PAGESIZE, SYMBOL(swapper_pg_dir), ...);
 * then the MMU is probed, the tables collected over the vmemmap, pfns and kernel
 * addresses translated through them, and the checks run.
 */
#include "config.h"

#include "harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fz_init(FZ_PGTABLE);
	return 0;
}

static void body(struct tce_dump *d)
{
	static const uint64_t kvas[] = {
		0xc00c000000000000ULL, 0xc00c000000200000ULL, 0xc00c000001000000ULL,
		0xc008000000000000ULL, 0xc008000000010000ULL, 0xc0003f0000000000ULL,
		0xc0003d0000000000ULL, 0xc0003d0000010000ULL, 0xc000000002700000ULL,
		0xc000000000000000ULL,
	};
	static const uint64_t pfns[] = { 0, 0x100, 0x7fff, 0x8000, 0x17fff, 0x40000 };
	struct tce_vmemmap_info vi = TCE_VMEMMAP_INFO_INIT;
	struct tce_mmu_info mi = TCE_MMU_INFO_INIT;
	struct tce_analysis *a;
	enum tce_xlat_status st;
	uint64_t phys;
	size_t i;

	if (tce_analysis_new(d, &a))
		return;
	tce_analysis_mmu_info(a, &mi);
	tce_vmemmap_info(a, &vi);
	for (i = 0; i < sizeof(pfns) / sizeof(pfns[0]); i++)
		tce_pfn_to_page(a, TCE_XLAT_PGTABLE, pfns[i], &st, &phys);
	for (i = 0; i < sizeof(kvas) / sizeof(kvas[0]); i++)
		tce_kvtop(d, kvas[i], &phys);
	tce_analysis_check(a);
	tce_analysis_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, body);
}
