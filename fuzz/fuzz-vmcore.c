// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: a whole vmcore from the fuzzer's bytes, opened through libtce as
 * tce-inspect would (open, info, the vmemmap walk with every check, a few struct pages).
 * Start from real dumps: `fuzz/fuzz-vmcore -max_len=4000000 CORPUS` with the sample
 * (build/sample.vmcore) and forge scenarios (tests/forge/tce-forge) in CORPUS.
 * Everything must end without a crash, a leak or a sanitizer report (libkdumpfile's own
 * leaks on corrupt notes: LSAN_OPTIONS=suppressions=tests/cli/lsan-libkdumpfile.supp).
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
	const struct tce_vmemmap *vm;
	struct tce_dump_info info;
	struct tce_dump *d = NULL;
	struct tce_page pg;
	size_t off = 0, i;
	int fd;

	fd = memfd_create("fuzz-vmcore", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0)
			break;
		off += n;
	}
	if (off == size && tce_dump_open_fd(fd, "fuzz", &d) == 0) {
		tce_vmemmap_load(d, &vm);
		tce_dump_info(d, &info);
		for (i = 0; i < sizeof(pfns) / sizeof(pfns[0]); i++) {
			uint64_t phys;
			int m;

			for (m = 0; m < TCE_XLAT_NUM; m++)
				tce_pfn_to_page(d, m, pfns[i], &phys);
			tce_page_read(d, pfns[i], &pg);
		}
	}
	tce_dump_close(d);
	close(fd);
	return 0;
}
