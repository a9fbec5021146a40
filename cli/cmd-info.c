// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `tce-inspect info`: what the dump is (release, arch, byte order, page size, format,
 * MMU) and which type information it carries.  It walks nothing: the MMU comes from a
 * few page-table entries (tce_analysis_mmu()).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "cli.h"

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "unknown";
}

static json_object *string_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static size_t modules_with_dwarf(const struct tce_types_info *ti)
{
	size_t i, n = 0;

	for (i = 0; i < ti->nmodules; i++)
		n += ti->modules[i].dwarf_path != NULL;
	return n;
}

int cmd_info(struct cli *c)
{
	struct tce_dump_info in = TCE_DUMP_INFO_INIT;
	struct tce_mmu_info mi = TCE_MMU_INFO_INIT;
	struct tce_types_info ti;
	enum tce_mmu mmu = TCE_MMU_UNKNOWN;
	char mmu_why[256] = "", how[320] = "";
	struct cli_dump cd;
	int ret;

	ret = cli_open(c->nargs ? c->args[0] : NULL, &cd);
	if (ret)
		return ret;
	if (tce_dump_info(cd.d, &in)) {
		ret = cli_dump_error(&cd);
		cli_close(&cd);
		return ret;
	}
	ret = cli_types(c, &cd, &ti);
	if (ret) {
		cli_close(&cd);
		return ret;
	}
	ret = tce_analysis_mmu_info(cd.a, &mi);
	mmu = mi.mmu;
	if (ret == -TCE_ENOMEM || ret == -TCE_EIO) {
		ret = cli_dump_error(&cd);
		cli_close(&cd);
		return ret;
	}
	if (ret)  /* the page tables are damaged: the MMU is unknown, and why */
		snprintf(mmu_why, sizeof(mmu_why), "%s", tce_errmsg(cd.d));
	else if (mi.declared != TCE_MMU_UNKNOWN && mi.tables == mi.declared)
		snprintf(how, sizeof(how), "VMCOREINFO NUMBER(RADIX_MMU); the page tables "
			 "agree");
	else if (mi.declared != TCE_MMU_UNKNOWN)
		snprintf(how, sizeof(how), "VMCOREINFO NUMBER(RADIX_MMU); the page tables %s",
			 mi.tables == TCE_MMU_UNKNOWN ? "cannot tell" : "look otherwise");
	else if (mmu != TCE_MMU_UNKNOWN)
		snprintf(how, sizeof(how), "from the page tables: %s", mmu == TCE_MMU_RADIX ?
			 "swapper_pg_dir maps itself through radix tables" : mi.why ?
			 mi.why : "no radix tables");

	if (c->format == CLI_JSON) {
		json_object *o = cli_json_doc(cd.name), *t = json_object_new_object();

		json_object_object_add(o, "format", string_or_null(in.format));
		json_object_object_add(o, "repaired", string_or_null(tce_dump_repaired(cd.d)));
		json_object_object_add(o, "arch", string_or_null(in.arch));
		json_object_object_add(o, "release", string_or_null(in.release));
		json_object_object_add(o, "byte_order", json_object_new_string(
					       in.byte_order == TCE_BE ? "big" : "little"));
		json_object_object_add(o, "page_size", json_object_new_uint64(in.page_size));
		json_object_object_add(o, "mmu", mmu == TCE_MMU_UNKNOWN ? NULL :
				       json_object_new_string(tce_mmu_name(mmu)));
		json_object_object_add(o, "mmu_declared", mi.declared == TCE_MMU_UNKNOWN ?
				       NULL : json_object_new_string(tce_mmu_name(mi.declared)));
		json_object_object_add(o, "mmu_tables", mi.tables == TCE_MMU_UNKNOWN ?
				       NULL : json_object_new_string(tce_mmu_name(mi.tables)));
		json_object_object_add(o, "file_size", json_object_new_uint64(in.file_size));
		json_object_object_add(o, "live", json_object_new_boolean(in.live));
		json_object_object_add(o, "virt_segments", json_object_new_uint64(in.virt_segments));
		json_object_object_add(o, "truncated", json_object_new_boolean(in.truncated));
		json_object_object_add(o, "truncated_bytes",
				       json_object_new_uint64(in.truncated_bytes));
		/* absent: not an ELF dump, which does not list its memory */
		if (in.nranges) {
			json_object_object_add(o, "ranges", json_object_new_uint64(in.nranges));
			json_object_object_add(o, "phys_bytes",
					       json_object_new_uint64(in.phys_bytes));
			json_object_object_add(o, "phys_end", cli_hex(in.phys_end));
		}
		json_object_object_add(t, "vmcoreinfo",
				       json_object_new_boolean(in.vmcoreinfo_lines > 0));
		json_object_object_add(t, "vmcoreinfo_lines",
				       json_object_new_uint64(in.vmcoreinfo_lines));
		json_object_object_add(t, "btf", json_object_new_boolean(ti.btf));
		json_object_object_add(t, "btf_what", string_or_null(ti.btf_what));
		json_object_object_add(t, "no_btf", string_or_null(ti.no_btf));
		json_object_object_add(t, "dwarf", json_object_new_boolean(ti.dwarf));
		json_object_object_add(t, "dwarf_path", ti.dwarf_path ?
				       json_object_new_string(ti.dwarf_path) : NULL);
		json_object_object_add(t, "providers", json_object_new_string(ti.providers));
		json_object_object_add(t, "modules", json_object_new_uint64(ti.nmodules));
		json_object_object_add(t, "modules_with_dwarf",
				       json_object_new_uint64(modules_with_dwarf(&ti)));
		json_object_object_add(o, "types", t);
		cli_json_print(o);
	} else {
		printf("dump:        %s\n", cd.name);
		printf("format:      %s\n", or_unknown(in.format));
		if (tce_dump_repaired(cd.d))
			printf("repaired:    in memory (the file is not written): %s\n", tce_dump_repaired(cd.d));
		printf("arch:        %s\n", or_unknown(in.arch));
		printf("release:     %s\n", or_unknown(in.release));
		printf("byte order:  %s-endian\n", in.byte_order == TCE_BE ? "big" : "little");
		printf("page size:   %" PRIu64 "\n", in.page_size);
		if (mmu_why[0])
			printf("mmu:         unknown (%s)\n", mmu_why);
		else if (mmu == TCE_MMU_UNKNOWN)
			printf("mmu:         unknown (VMCOREINFO has no NUMBER(RADIX_MMU); "
			       "page tables: %s)\n", mi.why ? mi.why : "not in the dump");
		else
			printf("mmu:         %s (%s)\n", tce_mmu_name(mmu), how);
		printf("file size:   %" PRIu64 "\n", in.file_size);
		if (in.live)
			printf("LIVE:        a running kernel's memory (procfs): it changes "
			       "while it is read, so every answer is one sample of it\n");
		if (in.nranges)
			printf("memory:      %" PRIu64 " bytes in %u ranges, up to 0x%" PRIx64 "\n",
			       in.phys_bytes, in.nranges, in.phys_end);
		if (in.virt_segments)
			printf("virtual:     %u segments by kernel virtual address only (not "
			       "read: libtce translates and reads physical memory)\n",
			       in.virt_segments);
		if (in.truncated)
			printf("TRUNCATED:   %" PRIu64 " bytes of memory are missing from the "
			       "file (a capture cut short): they read as 'not in dump'\n",
			       in.truncated_bytes);
		printf("types:       VMCOREINFO %s (%u lines)\n",
		       in.vmcoreinfo_lines ? "yes" : "no", in.vmcoreinfo_lines);
		if (ti.dwarf)
			printf("DWARF:       %s (%s)\n", ti.dwarf_path, ti.dwarf_how);
		else
			printf("DWARF:       none (%s)\n", ti.no_dwarf);
		if (ti.btf)
			printf("BTF:         %s%s\n", ti.btf_what, ti.dwarf ?
			       " (DWARF answers first)" : "");
		else
			printf("BTF:         none (%s)\n", ti.no_btf);
		printf("answers:     %s\n", ti.providers);
		if (ti.nmodules)
			printf("modules:     %zu on the list, %zu with DWARF (tce-inspect types "
			       "lists them)\n", ti.nmodules, modules_with_dwarf(&ti));
		else
			printf("modules:     none read%s%s\n", ti.no_modules ? ": " : "",
			       ti.no_modules ? ti.no_modules : "");
	}
	cli_close(&cd);
	return EXIT_OK;
}
