/*
 * `tce-inspect info`: what the dump is (release, arch, byte order, page size, format)
 * and which type information it carries.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "cli.h"

static const char *mmu_name(enum tce_mmu m)
{
	return m == TCE_MMU_RADIX ? "radix" : m == TCE_MMU_HASH ? "hash" : "unknown";
}

int cmd_info(struct cli *c)
{
	struct tce_dump_info in;
	const struct tce_vmemmap *vm;
	const char *path;
	struct tce_dump *d;

	if (c->nargs > 2) {
		fprintf(stderr, "tce-inspect: info takes one DUMP\n");
		return EXIT_USAGE;
	}
	d = cli_open(c, &path);
	if (!d)
		return EXIT_DUMP;
	/* the MMU type shows in the vmemmap walk (page tables map it on radix only) */
	tce_vmemmap_load(d, &vm);
	tce_dump_info(d, &in);

	if (c->json) {
		json_object *o = json_object_new_object(), *t = json_object_new_object();

		json_object_object_add(o, "dump", json_object_new_string(in.path));
		json_object_object_add(o, "format", json_object_new_string(in.format));
		json_object_object_add(o, "arch", json_object_new_string(in.arch));
		json_object_object_add(o, "release", json_object_new_string(in.release));
		json_object_object_add(o, "byte_order", json_object_new_string(
					       in.byte_order == TCE_BE ? "big" : "little"));
		json_object_object_add(o, "page_size", json_object_new_uint64(in.page_size));
		json_object_object_add(o, "mmu", json_object_new_string(mmu_name(in.mmu)));
		json_object_object_add(o, "file_size", json_object_new_uint64(in.file_size));
		json_object_object_add(o, "truncated", json_object_new_boolean(in.truncated));
		json_object_object_add(o, "truncated_bytes",
				       json_object_new_uint64(in.truncated_bytes));
		if (in.nranges) {
			json_object_object_add(o, "phys_bytes",
					       json_object_new_uint64(in.phys_bytes));
			json_object_object_add(o, "phys_end", cli_hex(in.phys_end));
			json_object_object_add(o, "ranges", json_object_new_uint64(in.nranges));
		}
		json_object_object_add(t, "vmcoreinfo", json_object_new_boolean(in.has_vmcoreinfo));
		json_object_object_add(t, "vmcoreinfo_lines",
				       json_object_new_uint64(in.vmcoreinfo_lines));
		json_object_object_add(t, "struct_page", json_object_new_boolean(in.page_layout_known));
		json_object_object_add(t, "vmemmap", json_object_new_boolean(in.vmemmap_known));
		/* null: not looked for, which is not the same as absent */
		json_object_object_add(t, "btf", in.btf_probed ?
				       json_object_new_boolean(in.has_btf) : NULL);
		json_object_object_add(t, "dwarf", json_object_new_boolean(in.has_dwarf));
		json_object_object_add(o, "types", t);
		cli_json_print(o);
	} else {
		printf("dump:        %s\n", in.path);
		printf("format:      %s\n", in.format);
		printf("arch:        %s\n", in.arch);
		printf("release:     %s\n", in.release);
		printf("byte order:  %s-endian\n", in.byte_order == TCE_BE ? "big" : "little");
		printf("page size:   %" PRIu64 "\n", in.page_size);
		printf("mmu:         %s\n", mmu_name(in.mmu));
		printf("file size:   %" PRIu64 "\n", in.file_size);
		if (in.nranges)
			printf("memory:      %" PRIu64 " bytes in %u ranges, up to 0x%" PRIx64 "\n",
			       in.phys_bytes, in.nranges, in.phys_end);
		if (in.truncated)
			printf("TRUNCATED:   %" PRIu64 " bytes of memory are missing from the "
			       "file (a capture cut short): they read as 'not in dump'\n",
			       in.truncated_bytes);
		printf("types:       VMCOREINFO %s (%u lines); struct page layout %s; "
		       "vmemmap items %s; BTF %s; DWARF %s\n",
		       in.has_vmcoreinfo ? "yes" : "no", in.vmcoreinfo_lines,
		       in.page_layout_known ? "yes" : "no", in.vmemmap_known ? "yes" : "no",
		       !in.btf_probed ? "not looked for" : in.has_btf ? "yes" : "no",
		       in.has_dwarf ? "yes" : "no (no vmlinux given)");
	}
	tce_dump_close(d);
	return EXIT_OK;
}
