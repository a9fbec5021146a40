// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: a whole vmcore from the fuzzer's bytes, opened through libtce as
 * tce-inspect would (open, info, the vmemmap walk with every check, a few struct pages).
 * Its corpus starts from the templates themselves (fuzz/run.sh: the forge's dumps, the
 * real samples and kdump-compressed copies under 8 MiB); the other targets mutate
 * only the bytes a step reads (harness.h), this one every byte.  It links harness.c
 * for its smaller libkdumpfile cache only.  Everything must end without a crash, a
 * leak or a sanitizer report (libkdumpfile's own leaks on corrupt notes:
 * LSAN_OPTIONS=suppressions=tests/cli/lsan-libkdumpfile.supp, as run.sh sets).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tce/tce.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t pfns[] = { 0, 1, 0x100, 0x5000, 0x6fff, 1ULL << 40 };
	struct tce_vmemmap_info vm = TCE_VMEMMAP_INFO_INIT;
	struct tce_dump_info info = TCE_DUMP_INFO_INIT;
	struct tce_dump *d = tce_dump_new();
	struct tce_analysis *a = NULL;
	struct tce_page pg = TCE_PAGE_INIT;
	size_t off = 0, i;
	int fd;

	fd = memfd_create("fuzz-vmcore", MFD_CLOEXEC);
	if (fd < 0 || !d) {
		tce_dump_free(d);
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0)
			break;
		off += n;
	}
	if (off == size && tce_dump_open_fd(d, fd, "fuzz") == 0 &&
	    tce_analysis_new(d, &a) == 0) {
		enum tce_mmu mmu;

		tce_analysis_mmu(a, &mmu);
		tce_vmemmap_info(a, &vm);
		tce_dump_info(d, &info);
		for (i = 0; i < sizeof(pfns) / sizeof(pfns[0]); i++) {
			enum tce_xlat_status st;
			uint64_t phys;
			int m;

			for (m = 0; m < TCE_XLAT_NUM; m++)
				tce_pfn_to_page(a, m, pfns[i], &st, &phys);
			tce_page_read(a, pfns[i], &pg);
		}
		tce_analysis_check(a);
	}
	tce_analysis_free(a);
	tce_dump_free(d);
	close(fd);
	return 0;
}
