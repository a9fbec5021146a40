// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target (a): opening a dump.  The input overwrites the headers and notes of
 * a template (ELF: the ELF header, program headers and notes; kdump-compressed: the
 * header, sub-header, notes and VMCOREINFO, the bitmaps and the first page
 * descriptors; see harness.h), which is then opened, described, and its VMCOREINFO
 * read line by line and by key, and a few pages read by physical and kernel virtual
 * address (a kdump-compressed file's page descriptors are checked on each read).
 */
#include "config.h"

#include "harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fz_init(FZ_OPEN);
	return 0;
}

static void body(struct tce_dump *d)
{
	static const char *const syms[] = { "vmemmap_list", "swapper_pg_dir", "mem_section",
					    "mmu_psize_defs", "init_uts_ns", "vmemmap" };
	struct tce_dump_info info = TCE_DUMP_INFO_INIT;
	const char *key, *value;
	uint8_t buf[256];
	uint64_t v, phys;
	int64_t num;
	unsigned i;

	tce_dump_info(d, &info);
	tce_dump_byteorder(d);
	for (i = 0; tce_vmcoreinfo_line(d, i, &key, &value); i++)
		;
	tce_vmcoreinfo(d, "OSRELEASE");
	tce_vmcoreinfo_size(d, "page", &v);
	tce_vmcoreinfo_offset(d, "page", "flags", &v);
	tce_vmcoreinfo_length(d, "mem_section", &v);
	tce_vmcoreinfo_number(d, "RADIX_MMU", &num);
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		if (tce_vmcoreinfo_symbol(d, syms[i], &v))
			continue;
		tce_read(d, TCE_KVADDR, v, buf, sizeof(buf));
		if (tce_kvtop(d, v, &phys) == 0)
			tce_read_u64(d, TCE_PHYS, phys, tce_dump_byteorder(d), &v);
	}
	tce_read(d, TCE_PHYS, 0, buf, sizeof(buf));
	/* (a kdump-compressed file's range is probed a page at a time: a few pages) */
	tce_phys_in_dump(d, 0x2700000, 0x20000);
	if (info.phys_end >= 8) {
		tce_read_u32(d, TCE_PHYS, info.phys_end - 8, TCE_LE, (uint32_t *)buf);
		tce_phys_in_dump(d, info.phys_end - 8, 8);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, body);
}
