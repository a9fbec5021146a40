// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target (d): struct page reads.  The input overwrites the struct pages of
 * the pfns in fz_page_pfns (the forge's page zoo at 0x100 and pfns of the real
 * samples) and may append VMCOREINFO lines (SIZE(page), OFFSET(page.*),
 * NUMBER(PG_*), page types; harness.h); then every one of those pfns is read with
 * tce_page_read() and the flag bits the dump names are listed.
 */
#include "config.h"

#include "harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fz_init(FZ_PAGE);
	return 0;
}

static void body(struct tce_dump *d)
{
	struct tce_page pg = TCE_PAGE_INIT;
	struct tce_analysis *a;
	unsigned bit;
	size_t i;

	if (tce_analysis_new(d, &a))
		return;
	for (i = 0; i < fz_page_npfns; i++) {
		tce_page_read(a, fz_page_pfns[i], &pg);
		tce_pfn_to_vmemmap(a, fz_page_pfns[i]);
	}
	tce_page_read(a, TCE_NO_PFN - 1, &pg);
	for (bit = 0; bit < 64; bit++)
		tce_page_flag_bit(a, bit);
	for (bit = 0; bit <= TCE_PF_COUNT; bit++)
		tce_page_flag_name(bit);
	tce_analysis_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, body);
}
