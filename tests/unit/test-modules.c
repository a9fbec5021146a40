// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Modules in the type layer, on the forge's kvm-modular scenario (KVM built as modules,
 * as Debian builds it: vm_list in kvm.ko's .data, struct kvmppc_spapr_tce_table only in
 * kvm.ko's DWARF): the modules list is walked (a cycle and absurd counts stop what they
 * must, nothing more); each module's .ko is found in a debug tree by release ('-' for
 * '_'), refused when it is another build or its DWARF's relocations cannot be applied
 * (a type DWARF does not use, a place out of bounds, a symbol past the table), and
 * relocated by the dump's section addresses, so its symbols and types answer; without
 * it, the module's own kallsyms answer for its symbols (with CONFIG_KALLSYMS_ALL only:
 * otherwise they hold functions, and the answer says so); without struct module's
 * layout nothing is guessed.
 */
#include "config.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario.h"
#include "util.h"

#define OTHER_BUILD "00112233445566778899aabbccddeeff00112233"

enum tree {
	TREE_VMLINUX = 1,   /* boot/vmlinux-REL */
	TREE_KO = 2,        /* lib/modules/REL/kernel/arch/powerpc/kvm/kvm.ko, kvm-hv.ko */
	TREE_OTHER_KO = 4,  /* kvm.ko of another build */
	TREE_BAD_RELOC = 8, /* kvm.ko with a relocation of .debug_info spoilt (fix.bad) */
};

/* How TREE_BAD_RELOC spoils the relocation */
enum bad_reloc {
	BAD_TYPE,           /* R_PPC64_REL24: code, not DWARF */
	BAD_OFFSET,         /* its place past the section's end */
	BAD_SYMBOL,         /* a symbol past the symbol table */
	BAD_RELOCS,
};

struct fix {
	struct forge_scenario_result res;
	struct fk *k;
	char path[64], tree[64];
	uint64_t kvm, kvm_hv, vm_list;
	struct tce_dump *d;
	struct tce_analysis *a;
	struct tce_types_info ti;
	enum bad_reloc bad;
};

static void mkdirs(const char *path)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
}

/* Forges the dump; false (and a message) without the cross compiler.  variant: bit 0
 * big-endian, bit 1 the 6.12 shape (struct module's mem[]) with 4K pages, as Debian 13's
 * default kernel, else 6.1's (core_layout) with 64K pages. */
static bool forge(struct fix *f, int variant, enum fk_kallsyms ks)
{
	int endian = variant & 1;
	struct fk_opts o = { .endian = endian ? FORGE_BE : FORGE_LE, .kallsyms = ks };
	char err[256], why[160];
	int fd;

	memset(f, 0, sizeof(*f));
	if (variant & 2) {
		o.kernel = FK_KERNEL_6_12;
		o.page_shift = 12;
	}
	snprintf(f->path, sizeof(f->path), "/tmp/tce-modules-XXXXXX");
	fd = mkstemp(f->path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_msg(forge_scenario_write("kvm-modular", &o, f->path, &f->res, err,
					   sizeof(err)) == 0, "kvm-modular: %s", err);
	f->k = f->res.k;
	f->kvm = forge_scenario_fact(&f->res, "module.kvm", 0);
	f->kvm_hv = forge_scenario_fact(&f->res, "module.kvm_hv", 0);
	f->vm_list = forge_scenario_fact(&f->res, "vm_list", 0);
	ck_assert(f->kvm && f->kvm_hv && f->vm_list);
	/* vm_list is the module's: in module memory, not the linear map */
	ck_assert_uint_eq(f->vm_list >> 48, 0xc008);
	if (!fk_dwarf_available(f->k, why, sizeof(why))) {
		fprintf(stderr, "modules (%s, %s): skipped: %s\n", endian ? "be" : "le",
			variant & 2 ? "6.12" : "6.1", why);
		unlink(f->path);
		forge_scenario_release(&f->res);
		return false;
	}
	return true;
}

/* Writes a 32- or 64-bit value of the dump at a module's (vmalloc) address. */
static void poke(struct fix *f, uint64_t va, uint64_t v, int bytes)
{
	uint64_t phys;

	ck_assert_int_eq(fk_vmalloc_translate(f->k, va, &phys), 0);
	if (bytes == 4)
		ck_assert_int_eq(forge_put_u32(fk_forge(f->k), phys, (uint32_t)v), 0);
	else
		ck_assert_int_eq(forge_put_u64(fk_forge(f->k), phys, v), 0);
}

/* Spoils the middle relocation of .debug_info in the .ko at path as how says */
static void spoil_reloc(const char *path, enum bad_reloc how)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx, n = 0;
	int fd;
	Elf *elf;

	ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
	fd = open(path, O_RDWR);
	ck_assert_int_ge(fd, 0);
	elf = elf_begin(fd, ELF_C_RDWR, NULL);
	ck_assert_ptr_nonnull(elf);
	ck_assert_int_eq(elf_getshdrstrndx(elf, &shstrndx), 0);
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh, tsh;
		GElf_Rela r;
		Elf_Data *data;
		const char *tname;
		int i;

		ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
		if (sh.sh_type != SHT_RELA)
			continue;
		ck_assert_ptr_nonnull(gelf_getshdr(elf_getscn(elf, sh.sh_info), &tsh));
		tname = elf_strptr(elf, shstrndx, tsh.sh_name);
		if (!tname || strcmp(tname, ".debug_info"))
			continue;
		data = elf_getdata(scn, NULL);
		ck_assert_ptr_nonnull(data);
		i = (int)(sh.sh_size / sh.sh_entsize / 2);
		ck_assert_ptr_nonnull(gelf_getrela(data, i, &r));
		if (how == BAD_TYPE)
			r.r_info = GELF_R_INFO(GELF_R_SYM(r.r_info), R_PPC64_REL24);
		else if (how == BAD_OFFSET)
			r.r_offset = tsh.sh_size - 2;
		else
			r.r_info = GELF_R_INFO(0xfffffu, GELF_R_TYPE(r.r_info));
		ck_assert_int_ne(gelf_update_rela(data, i, &r), 0);
		ck_assert_int_ne(elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY), 0);
		n++;
	}
	ck_assert_uint_eq(n, 1);
	/* the layout as it is: only the bytes of the relocation change */
	elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT);
	ck_assert_int_ge(elf_update(elf, ELF_C_WRITE), 0);
	elf_end(elf);
	close(fd);
}

/* Writes the debug tree, (re)writes the dump, opens it and loads its types. */
static void open_fix(struct fix *f, unsigned tree)
{
	const char *rel = fk_opts(f->k)->release;
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	char p[1024];

	snprintf(f->tree, sizeof(f->tree), "/tmp/tce-modtree-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->tree));
	if (tree & TREE_VMLINUX) {
		snprintf(p, sizeof(p), "%s/boot", f->tree);
		mkdirs(p);
		snprintf(p, sizeof(p), "%s/boot/vmlinux-%s", f->tree, rel);
		ck_assert_msg(fk_dwarf_write(f->k, p) == 0, "%s", forge_errmsg(fk_forge(f->k)));
	}
	if (tree & (TREE_KO | TREE_OTHER_KO)) {
		snprintf(p, sizeof(p), "%s/lib/modules/%s/kernel/arch/powerpc/kvm", f->tree, rel);
		mkdirs(p);
		snprintf(p, sizeof(p), "%s/lib/modules/%s/kernel/arch/powerpc/kvm/kvm.ko",
			 f->tree, rel);
		ck_assert_msg(fk_module_dwarf_write(f->k, f->kvm, p, tree & TREE_OTHER_KO ?
						    OTHER_BUILD : NULL) == 0, "%s",
			      forge_errmsg(fk_forge(f->k)));
		if (tree & TREE_BAD_RELOC)
			spoil_reloc(p, f->bad);
		/* the file is named with '-', the module with '_', as kbuild does */
		snprintf(p, sizeof(p), "%s/lib/modules/%s/kernel/arch/powerpc/kvm/kvm-hv.ko",
			 f->tree, rel);
		ck_assert_msg(fk_module_dwarf_write(f->k, f->kvm_hv, p, NULL) == 0, "%s",
			      forge_errmsg(fk_forge(f->k)));
	}
	ck_assert_int_eq(fk_write_file(f->k, f->path, NULL), 0);
	ck_assert_msg(open_path(f->path, &f->d) == 0, "open: %s", tce_errmsg(f->d));
	f->a = view_analysis(f->d);
	to.debug_dir = f->tree;
	to.debuginfod = false;
	ck_assert_int_eq(tce_analysis_set_types(f->a, &to), 0);
	f->ti = (struct tce_types_info)TCE_TYPES_INFO_INIT;
	ck_assert_msg(tce_analysis_types(f->a, &f->ti) == 0, "%s", tce_errmsg(f->d));
}

static void close_fix(struct fix *f)
{
	char cmd[200];

	close_dump(f->d);
	unlink(f->path);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->tree);
	ck_assert_int_eq(system(cmd), 0);
	forge_scenario_release(&f->res);
}

static const struct tce_module_info *module(const struct fix *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->ti.nmodules; i++)
		if (!strcmp(f->ti.modules[i].name, name))
			return &f->ti.modules[i];
	ck_abort_msg("module %s is not listed", name);
	return NULL;
}

static uint64_t symbol(struct fix *f, const char *name)
{
	uint64_t v = 0;

	ck_assert_msg(tce_analysis_symbol(f->a, name, &v) == 0, "%s: %s", name,
		      tce_errmsg(f->d));
	return v;
}

/* The list in its order, each module's build id and sections, its .ko by release,
 * relocated: symbols at the dump's addresses, module-only types known, the KVM table
 * read with them. */
START_TEST(modules_with_dwarf)
{
	struct fix f;
	const struct tce_module_info *m;
	struct tce_table_info tab = TCE_TABLE_INFO_INIT;
	uint64_t off, size, ps;

	if (!forge(&f, _i, FK_KALLSYMS_TEXT))
		return;
	open_fix(&f, TREE_VMLINUX | TREE_KO);
	ck_assert_msg(f.ti.no_modules == NULL, "%s", f.ti.no_modules);
	ck_assert_uint_eq(f.ti.nmodules, 2);
	/* list_add_rcu() at the head: the last loaded first */
	ck_assert_str_eq(f.ti.modules[0].name, "kvm_hv");
	ck_assert_str_eq(f.ti.modules[1].name, "kvm");
	ck_assert_uint_eq(f.ti.modules[0].addr, f.kvm_hv);
	ck_assert_uint_eq(f.ti.modules[1].addr, f.kvm);
	m = module(&f, "kvm");
	ck_assert_ptr_nonnull(m->build_id);
	ck_assert_str_eq(m->build_id, fk_module_build_id(f.k, f.kvm));
	ck_assert_uint_eq(m->sections, 4);
	ck_assert_ptr_nonnull(m->dwarf_path);
	ck_assert_msg(strstr(m->dwarf_path, "/kvm.ko"), "%s", m->dwarf_path);
	ck_assert_str_eq(m->dwarf_how, "debug tree by release");
	m = module(&f, "kvm_hv");
	ck_assert_msg(m->dwarf_path && strstr(m->dwarf_path, "/kvm-hv.ko"), "%s",
		      m->note ? m->note : "no DWARF");
	ck_assert_str_eq(m->build_id, fk_module_build_id(f.k, f.kvm_hv));

	/* .data is at the dump's address for it and vm_list 8 bytes into it: the DWARF's
	 * and the symbol table's addresses are relocated */
	ck_assert_uint_eq(symbol(&f, "vm_list"), f.vm_list);
	ck_assert_uint_eq(symbol(&f, "kvm:vm_list"), f.vm_list);
	ck_assert_uint_eq(symbol(&f, "kvm_rebooting") + 8, f.vm_list);
	ps = 1ULL << fk_opts(f.k)->page_shift;
	ck_assert_uint_eq(symbol(&f, "kvm_fk_text"), f.kvm - ps);
	ck_assert_uint_eq(symbol(&f, "kvm_hv_fk_text"), f.kvm_hv - ps);
	ck_assert_int_eq(tce_analysis_symbol(f.a, "kvm_hv:vm_list", &off), -TCE_ENOENT);

	/* kvm.ko's types: the vmlinux has no kvmppc_spapr_tce_table */
	ck_assert_int_eq(tce_analysis_type_size(f.a, "struct kvmppc_spapr_tce_table", &size), 0);
	ck_assert_uint_eq(size, fk_kernel_offsetof(fk_opts(f.k)->kernel,
						   "kvmppc_spapr_tce_table"));
	ck_assert_int_eq(tce_analysis_member(f.a, "struct kvmppc_spapr_tce_table", "liobn",
					     &off, &size), 0);
	ck_assert_uint_eq(off, fk_kernel_offsetof(fk_opts(f.k)->kernel,
						  "kvmppc_spapr_tce_table.liobn"));
	ck_assert_uint_eq(size, 8);
	ck_assert_msg(tce_table_at(f.a, TCE_TABLE_KVM, forge_scenario_fact(&f.res, "stt.a4k", 0),
				   &tab) == 0, "%s", tce_errmsg(f.d));
	ck_assert_uint_eq(tab.id, forge_scenario_fact(&f.res, "stt.a4k.liobn", 0));
	ck_assert_uint_eq(tab.page_shift, 12);
	close_fix(&f);
}
END_TEST

/* Without the .ko: its kallsyms, which have variables with CONFIG_KALLSYMS_ALL only */
START_TEST(modules_kallsyms_only)
{
	struct fix f;
	struct tce_tables_info ti = TCE_TABLES_INFO_INIT;
	char want[256];
	uint64_t v, size;

	if (!forge(&f, _i, FK_KALLSYMS_ALL))
		return;
	open_fix(&f, TREE_VMLINUX);
	ck_assert_uint_eq(f.ti.nmodules, 2);
	ck_assert_ptr_null(module(&f, "kvm")->dwarf_path);
	ck_assert_msg(strstr(module(&f, "kvm")->note, "no .ko with DWARF found"), "%s",
		      module(&f, "kvm")->note);
	ck_assert_uint_ge(module(&f, "kvm")->kallsyms, 3);
	ck_assert_uint_eq(symbol(&f, "vm_list"), f.vm_list);
	ck_assert_int_eq(tce_analysis_type_size(f.a, "struct kvmppc_spapr_tce_table", &size),
			 -TCE_ENOENT);
	/* Debian 13's case (KALLSYMS_ALL, no kvm.ko DWARF): the search says what is
	 * missing and which package has it, in one line */
	ck_assert_int_eq(tce_analysis_tables(f.a, &ti), 0);
	ck_assert_int_eq(ti.source[TCE_SOURCE_KVM].status, TCE_SEARCH_UNKNOWN);
	snprintf(want, sizeof(want), "kvm.ko is loaded without its DWARF (on Debian: "
		 "linux-image-%s-dbg), and struct kvmppc_spapr_tce_table.", fk_opts(f.k)->release);
	ck_assert_msg(strstr(ti.source[TCE_SOURCE_KVM].why, want) ==
		      ti.source[TCE_SOURCE_KVM].why, "%s", ti.source[TCE_SOURCE_KVM].why);
	ck_assert_ptr_null(strchr(ti.source[TCE_SOURCE_KVM].why, '\n'));
	close_fix(&f);

	if (!forge(&f, _i, FK_KALLSYMS_TEXT))
		return;
	open_fix(&f, TREE_VMLINUX);
	ck_assert_uint_eq(symbol(&f, "kvm_fk_text"), f.kvm - (1ULL << fk_opts(f.k)->page_shift));
	ck_assert_int_eq(tce_analysis_symbol(f.a, "vm_list", &v), -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(f.d), "kallsyms hold functions only"), "%s",
		      tce_errmsg(f.d));
	close_fix(&f);
}
END_TEST

/* kvm.ko's DWARF refused, its note one line holding words; kvm-hv.ko's DWARF (the
 * forge's .ko files all describe every type) and kvm's kallsyms still answer */
static void assert_kvm_refused(struct fix *f, const char *words)
{
	const struct tce_module_info *m = module(f, "kvm");
	uint64_t size;

	ck_assert_ptr_null(m->dwarf_path);
	ck_assert_msg(m->note && strstr(m->note, words), "%s", m->note ? m->note : "");
	ck_assert_ptr_null(strchr(m->note, '\n'));
	ck_assert_ptr_nonnull(module(f, "kvm_hv")->dwarf_path);
	ck_assert_uint_eq(symbol(f, "vm_list"), f->vm_list);
	ck_assert_int_eq(tce_analysis_type_size(f->a, "struct kvmppc_spapr_tce_table", &size),
			 0);
	ck_assert_uint_eq(size, fk_types_offsetof("kvmppc_spapr_tce_table"));
}

/* kvm.ko of another build: refused in one line; its kallsyms still answer */
START_TEST(modules_other_build)
{
	struct fix f;

	if (!forge(&f, _i, FK_KALLSYMS_ALL))
		return;
	open_fix(&f, TREE_VMLINUX | TREE_OTHER_KO);
	assert_kvm_refused(&f, "kvm.ko is another build (build id " OTHER_BUILD "; the dump's "
			   "module is");
	close_fix(&f);
}
END_TEST

/* kvm.ko whose DWARF cannot be relocated: refused in one line that says why, never read
 * half relocated; kvm-hv.ko's DWARF and kvm's kallsyms still answer */
START_TEST(modules_bad_relocation)
{
	static const char *const why[] = {
		[BAD_TYPE] = "kvm.ko: relocation type 10 in .debug_info, not one DWARF uses",
		[BAD_OFFSET] = "of .debug_info is out of bounds",
		[BAD_SYMBOL] = "of .debug_info is out of bounds",
	};
	struct fix f;

	if (!forge(&f, _i & 1, FK_KALLSYMS_ALL))
		return;
	f.bad = (enum bad_reloc)(_i / 2);
	open_fix(&f, TREE_VMLINUX | TREE_KO | TREE_BAD_RELOC);
	assert_kvm_refused(&f, why[f.bad]);
	close_fix(&f);
}
END_TEST

/* A list that loops back to its first module instead of its head */
START_TEST(modules_cycle)
{
	struct fix f;
	uint64_t list = (uint64_t)fk_types_offsetof("module.list");

	if (!forge(&f, _i, FK_KALLSYMS_ALL))
		return;
	poke(&f, f.kvm + list, f.kvm_hv + list, 8);
	open_fix(&f, TREE_VMLINUX | TREE_KO);
	ck_assert_uint_eq(f.ti.nmodules, 2);
	ck_assert_msg(f.ti.no_modules && strstr(f.ti.no_modules, "loops back"), "%s",
		      f.ti.no_modules ? f.ti.no_modules : "(none)");
	/* what was read before the loop still answers */
	ck_assert_uint_eq(symbol(&f, "vm_list"), f.vm_list);
	close_fix(&f);
}
END_TEST

/* Counts no module memory can hold: that part of the module is refused, the rest
 * stands */
START_TEST(modules_absurd_counts)
{
	struct fix f;
	uint64_t sa, nsect = (uint64_t)fk_types_offsetof("module_sect_attrs.nsections");
	uint64_t num = (uint64_t)fk_types_offsetof("module.core_kallsyms") +
		       (uint64_t)fk_types_offsetof("mod_kallsyms.num_symtab");
	const struct tce_module_info *m;

	if (!forge(&f, _i, FK_KALLSYMS_ALL))
		return;
	/* kvm_hv: 2^31 - 1 sections; kvm: 2^31 - 1 symbols */
	{
		uint64_t phys;

		ck_assert_int_eq(fk_vmalloc_translate(f.k, f.kvm_hv +
						      (uint64_t)fk_types_offsetof("module.sect_attrs"),
						      &phys), 0);
		ck_assert_int_eq(forge_get_u64(fk_forge(f.k), phys, &sa), 0);
	}
	ck_assert_int_eq(forge_put_u32(fk_forge(f.k), (sa & ~0xc000000000000000ULL) + nsect,
				       0x7fffffff), 0);
	poke(&f, f.kvm + num, 0x7fffffff, 4);
	open_fix(&f, TREE_VMLINUX | TREE_KO);
	ck_assert_uint_eq(f.ti.nmodules, 2);
	m = module(&f, "kvm_hv");
	ck_assert_uint_eq(m->sections, 0);
	ck_assert_ptr_null(m->dwarf_path);
	ck_assert_msg(strstr(m->note, "2147483647 sections, more than an ELF file can"), "%s",
		      m->note);
	m = module(&f, "kvm");
	ck_assert_uint_eq(m->kallsyms, 0);
	ck_assert_msg(strstr(m->note, "num_symtab 2147483647 is more than the module's"), "%s",
		      m->note);
	/* kvm's sections are sound: its DWARF is relocated and answers */
	ck_assert_ptr_nonnull(m->dwarf_path);
	ck_assert_uint_eq(symbol(&f, "vm_list"), f.vm_list);
	close_fix(&f);
}
END_TEST

/* Without the vmlinux's DWARF, struct module is unknown: nothing of the list is read */
START_TEST(modules_no_layout)
{
	struct fix f;
	uint64_t v;

	if (!forge(&f, _i, FK_KALLSYMS_ALL))
		return;
	open_fix(&f, TREE_KO);
	ck_assert_uint_eq(f.ti.nmodules, 0);
	ck_assert_msg(f.ti.no_modules && strstr(f.ti.no_modules, "struct module is unknown"),
		      "%s", f.ti.no_modules ? f.ti.no_modules : "(none)");
	ck_assert_int_eq(tce_analysis_symbol(f.a, "vm_list", &v), -TCE_ENOENT);
	close_fix(&f);
}
END_TEST

static Suite *modules_suite(void)
{
	Suite *s = suite_create("modules");
	TCase *tc = tcase_create("forge");

	tcase_set_timeout(tc, 300);
	/* 0, 1: 6.1 (LE, BE); 2, 3: 6.12 with 4K pages (LE, BE) */
	tcase_add_loop_test(tc, modules_with_dwarf, 0, 4);
	tcase_add_loop_test(tc, modules_kallsyms_only, 0, 4);
	tcase_add_test(tc, modules_other_build);
	/* LE and BE for each way of spoiling */
	tcase_add_loop_test(tc, modules_bad_relocation, 0, 2 * BAD_RELOCS);
	tcase_add_test(tc, modules_cycle);
	tcase_add_test(tc, modules_absurd_counts);
	tcase_add_test(tc, modules_no_layout);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(modules_suite());
}
