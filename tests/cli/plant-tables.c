// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * plant-tables DAMAGE [be] [radix] [6.12] OUT: the forge's KVM host (kvm-tables, or
 * kvm-modular with KVM as modules), powernv machine (powernv-tables) or VFIO user
 * (vfio-tables; radix for hpas[], which is vmalloc) with one damage
 * planted in the table structures before the dump is written to OUT, and its DWARF
 * vmlinux to OUT.vmlinux (kvm-modular: also a debug tree OUT.debug with kvm.ko and
 * kvm-hv.ko, for --debug-dir), for tests/cli/test-hostile-tables.sh.  Member offsets are the forge's own for the
 * kernel shape (fk_kernel_offsetof()); addresses are the scenario's facts.  Exit 0,
 * or 1 with a message (an unknown damage, a fact the scenario lacks).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

#define LINEAR 0xc000000000000000ULL

static struct forge_scenario_result res;
static enum fk_kernel kernel;

static void die(const char *what)
{
	fprintf(stderr, "plant-tables: %s\n", what);
	exit(1);
}

static uint64_t fact(const char *name)
{
	uint64_t v = forge_scenario_fact(&res, name, UINT64_MAX);

	if (v == UINT64_MAX)
		die(name);
	return v;
}

static uint64_t off(const char *what)
{
	long o = fk_kernel_offsetof(kernel, what);

	if (o < 0)
		die(what);
	return (uint64_t)o;
}

static void put64(uint64_t kva, uint64_t v)
{
	uint64_t phys = kva & ~LINEAR;

	/* modules live in vmalloc space */
	if (fk_vmalloc_translate(res.k, kva, &phys))
		phys = kva & ~LINEAR;
	if (forge_put_u64(fk_forge(res.k), phys, v))
		die("forge_put_u64");
}

static uint64_t get64(uint64_t kva)
{
	uint64_t v;

	if (forge_get_u64(fk_forge(res.k), kva & ~LINEAR, &v))
		die("forge_get_u64");
	return v;
}

/* the same at a module's (vmalloc) address */
static uint64_t get64v(uint64_t kva)
{
	uint64_t phys, v;

	if (fk_vmalloc_translate(res.k, kva, &phys) ||
	    forge_get_u64(fk_forge(res.k), phys, &v))
		die("forge_get_u64 (vmalloc)");
	return v;
}

/* OUT.debug/lib/modules/REL/kernel/arch/powerpc/kvm/NAME.ko: the module's DWARF, as
 * Debian's debug package lays it out */
static void write_ko(const char *out, const char *fact_name, const char *file)
{
	char p[4200];

	snprintf(p, sizeof(p), "mkdir -p '%s.debug/lib/modules/%s/kernel/arch/powerpc/kvm'",
		 out, fk_opts(res.k)->release);
	if (system(p))
		die("mkdir");
	snprintf(p, sizeof(p), "%s.debug/lib/modules/%s/kernel/arch/powerpc/kvm/%s", out,
		 fk_opts(res.k)->release, file);
	if (fk_module_dwarf_write(res.k, fact(fact_name), p, NULL))
		die(forge_errmsg(fk_forge(res.k)));
}

/* the damages: name, scenario, what it does */
static const struct {
	const char *name, *scenario;
} damages[] = {
	{ "vm-cycle", "kvm-tables" },          /* VM a's vm_list.next is VM b's */
	{ "vm-noncanonical", "kvm-tables" },   /* VM b's vm_list.next non-canonical */
	{ "vm-unmapped", "kvm-tables" },       /* ... in the linear map, not in the dump */
	{ "stt-cycle", "kvm-tables" },         /* VM a's second table links to its first */
	{ "memslot-cycle", "kvm-tables" },     /* memslot a0 its own left child */
	{ "memslot-npages", "kvm-tables" },    /* memslot a0 of 2^40 pages */
	{ "stt-size", "kvm-tables" },          /* stt.a4k of 2^40 entries */
	{ "stt-pages-unmapped", "kvm-tables" },/* stt.a64k's size 2^40, pages[] running
						  out of the dump */
	{ "modules-cycle", "kvm-modular" },    /* the list loops after kvm: kvm's next
						  is the first module */
	{ "modules-loop-first", "kvm-modular" },/* the first module links to itself: kvm
						  is never reached */
	{ "modules-dup", "kvm-modular" },      /* after kvm, a third module named
						  kvm_hv, as no kernel loads */
	{ "modules-budget", "kvm-modular" },   /* after kvm, six forged modules of 2^20
						  symbols each: MODS_READS_MAX in all */
	{ "stit-cycle", "kvm-tables" },        /* the attached table's iommu_tables entry
						  links to itself */
	{ "hose-cycle", "powernv-tables" },    /* PHB 1 links back to PHB 0 */
	{ "pe-cycle", "powernv-tables" },      /* PE 0x1fe links back to PE 0x1fd */
	{ "it-size", "powernv-tables" },       /* t0: it_size 2^40 on one level */
	{ "it-level-size", "powernv-tables" }, /* t1: it_level_size 3 */
	{ "it-levels", "powernv-tables" },     /* t1: it_indirect_levels 9 */
	{ "it-base-vmalloc", "powernv-tables" },/* t0: it_base outside the linear map */
	{ "it-shared-level", "powernv-tables" },/* t1: 2^40 entries, every top entry on
						   one level */
	{ "it-level-twice", "powernv-tables" },/* t1: top-level entry 3 on entry 0's
						  level, which one walk meets first from 0 */
	{ "prereg-cycle", "vfio-tables" },     /* region a (the list's last) links to
						  itself */
	{ "prereg-hpas-outside", "vfio-tables" },/* region b's hpas[] at a vmalloc address
						  nothing maps */
	{ "prereg-entries-huge", "vfio-tables" },/* region a claims 2^60 pages */
	/* not damage: the same machine later, for tce-inspect diff (test-diff.sh) */
	{ "diff-pnv", "powernv-tables" },      /* t0: entry 2 unmapped, 5 mapped to the
						  buddy page, 3 remapped, 4 made rw; a
						  new table in PE 0x1fe */
	{ "diff-kvm", "kvm-tables" },          /* a4k: entry 2 unmapped, 5 mapped, 3
						  remapped, 4 made rw, 6 mapped outside
						  every memslot; a64k: its entry outside
						  the memslots unmapped */
};

static void plant(const char *name)
{
	uint64_t a, b, v;

	if (!strcmp(name, "vm-cycle")) {
		put64(fact("kvm.a") + off("kvm.vm_list"), fact("kvm.b") + off("kvm.vm_list"));
	} else if (!strcmp(name, "vm-noncanonical")) {
		put64(fact("kvm.b") + off("kvm.vm_list"), 0x1234567800000000ULL);
	} else if (!strcmp(name, "vm-unmapped")) {
		put64(fact("kvm.b") + off("kvm.vm_list"), 0xc000000ff0000000ULL);
	} else if (!strcmp(name, "stt-cycle")) {
		/* VM a's list: head -> a64k -> a4k -> head (newest first) */
		a = fact("stt.a4k") + off("kvmppc_spapr_tce_table.list");
		b = fact("stt.a64k") + off("kvmppc_spapr_tce_table.list");
		put64(a, b);
	} else if (!strcmp(name, "memslot-cycle")) {
		unsigned idx;

		a = fact("memslot.a0");
		b = fact("memslot.a1");
		for (idx = 0; idx < 2; idx++) {
			uint64_t n0 = a + off("kvm_memory_slot.gfn_node") + idx * off("rb_node");
			uint64_t n1 = b + off("kvm_memory_slot.gfn_node") + idx * off("rb_node");

			put64(n0 + off("rb_node.rb_left"), n0);
			put64(n1 + off("rb_node.rb_left"), n0);
		}
	} else if (!strcmp(name, "memslot-npages")) {
		put64(fact("memslot.a0") + off("kvm_memory_slot.npages"), 1ULL << 40);
	} else if (!strcmp(name, "stt-size")) {
		put64(fact("stt.a4k") + off("kvmppc_spapr_tce_table.size"), 1ULL << 40);
	} else if (!strcmp(name, "stt-pages-unmapped")) {
		put64(fact("stt.a64k") + off("kvmppc_spapr_tce_table.size"), 1ULL << 39);
	} else if (!strcmp(name, "modules-cycle")) {
		/* modules -> kvm_hv -> kvm -> modules, the newest first: kvm back to
		 * kvm_hv */
		a = fact("module.kvm") + off("module.list");
		b = fact("module.kvm_hv") + off("module.list");
		if (get64v(b) != a)
			die("modules: kvm does not follow kvm_hv");
		put64(a, b);
	} else if (!strcmp(name, "modules-dup")) {
		/* a struct module 8K into kvm_hv's memory, named kvm_hv, linked after kvm
		 * and back to the list's head */
		uint64_t f = fact("module.kvm_hv") + 0x2000, phys;
		static const char nm[8] = "kvm_hv";

		if (fk_vmalloc_translate(res.k, f + off("module.name"), &phys) ||
		    forge_write(fk_forge(res.k), phys, nm, sizeof(nm)))
			die("modules-dup: module memory");
		put64(f + off("module.list"), fk_symbol(res.k, "modules"));
		put64(fact("module.kvm") + off("module.list"), f + off("module.list"));
	} else if (!strcmp(name, "modules-budget")) {
		/* struct modules m0..m5 from 8K into kvm_hv's memory, 2K apart, linked
		 * after kvm, each claiming 2^20 core symbols in a symtab the dump lacks and
		 * no memory of its own (so nothing bounds the count but the budget) */
		uint64_t f0 = fact("module.kvm_hv") + 0x2000, phys, prev;
		char nm[8];
		int i;

		prev = fact("module.kvm") + off("module.list");
		for (i = 0; i < 6; i++) {
			uint64_t f = f0 + 0x800 * i;

			snprintf(nm, sizeof(nm), "m%d", i);
			if (fk_vmalloc_translate(res.k, f + off("module.name"), &phys) ||
			    forge_write(fk_forge(res.k), phys, nm, sizeof(nm)))
				die("modules-budget: module memory");
			put64(f + off("module.kallsyms"), f + off("module.core_kallsyms"));
			put64(f + off("module.core_kallsyms") + off("mod_kallsyms.num_symtab"),
			      1ULL << 20);
			put64(f + off("module.core_kallsyms") + off("mod_kallsyms.symtab"),
			      LINEAR + (0xff0ULL << 28));
			put64(prev, f + off("module.list"));
			prev = f + off("module.list");
		}
		put64(prev, fk_symbol(res.k, "modules"));
	} else if (!strcmp(name, "modules-loop-first")) {
		b = fact("module.kvm_hv") + off("module.list");
		put64(b, b);
	} else if (!strcmp(name, "stit-cycle")) {
		a = fact("attach.stit") + off("kvmppc_spapr_tce_iommu_table.next");
		put64(a, a);
	} else if (!strcmp(name, "hose-cycle")) {
		/* phb.N is the struct pnv_phb; hose_list links its pci_controller */
		a = get64(fact("phb.0") + off("pnv_phb.hose")) + off("pci_controller.list_node");
		b = get64(fact("phb.1") + off("pnv_phb.hose")) + off("pci_controller.list_node");
		put64(a, b);
		put64(b, a);
	} else if (!strcmp(name, "pe-cycle")) {
		a = fact("pe.0") + off("pnv_ioda_pe.list");
		b = fact("pe.1") + off("pnv_ioda_pe.list");
		put64(a, b);
		put64(b, a);
	} else if (!strcmp(name, "it-size")) {
		put64(fact("tbl.t0") + off("iommu_table.it_size"), 1ULL << 40);
	} else if (!strcmp(name, "it-level-size")) {
		put64(fact("tbl.t1") + off("iommu_table.it_level_size"), 3);
	} else if (!strcmp(name, "it-levels")) {
		put64(fact("tbl.t1") + off("iommu_table.it_indirect_levels"), 9);
	} else if (!strcmp(name, "it-base-vmalloc")) {
		put64(fact("tbl.t0") + off("iommu_table.it_base"), 0xc008000000000000ULL);
	} else if (!strcmp(name, "it-shared-level")) {
		/* two levels of 2^20 entries: 2^40 entries, the top level's entries all
		 * on t1's first second-level (the top level is 8 MiB the dump lacks
		 * but its first entries) */
		a = fact("tbl.t1");
		put64(a + off("iommu_table.it_size"), 1ULL << 40);
		put64(a + off("iommu_table.it_level_size"), 1ULL << 20);
		if (forge_get_u64(fk_forge(res.k), (a + off("iommu_table.it_base")) & ~LINEAR,
				  &b) || !b)
			die("it_base");
		if (forge_get_u64(fk_forge(res.k), b & ~LINEAR, &v))
			die("level");
		for (a = 1; a < 8; a++)
			put64(b + 8 * a, v);
	} else if (!strcmp(name, "it-level-twice")) {
		/* t1's window is 8 top-level entries; a table split over two threads
		 * meets the level under 3 in its second half, and 0's in its first */
		a = fact("tbl.t1");
		if (forge_get_u64(fk_forge(res.k), (a + off("iommu_table.it_base")) & ~LINEAR,
				  &b) || !b)
			die("it_base");
		if (forge_get_u64(fk_forge(res.k), b & ~LINEAR, &v) || !v)
			die("level");
		put64(b + 8 * 3, v);
	} else if (!strcmp(name, "prereg-cycle")) {
		a = fact("vfio.region.a");
		put64(a + off("mm_iommu_table_group_mem_t.next"), a);
	} else if (!strcmp(name, "prereg-hpas-outside")) {
		put64(fact("vfio.region.b") + off("mm_iommu_table_group_mem_t.hpas"),
		      0xc00800ffdead0000ULL);
	} else if (!strcmp(name, "prereg-entries-huge")) {
		put64(fact("vfio.region.a") + off("mm_iommu_table_group_mem_t.entries"),
		      1ULL << 60);
	} else if (!strcmp(name, "diff-pnv")) {
		unsigned ps = (unsigned)fact("page_size") == 4096 ? 12 : 16;

		a = fact("tbl.t0");
		if (fk_iommu_put(res.k, a, 2, 0) ||
		    fk_iommu_put(res.k, a, 5, fact("pfn.buddy") << ps | 3) ||
		    fk_iommu_put(res.k, a, 3, 0x200ULL << ps | 1) ||
		    fk_iommu_put(res.k, a, 4, fact("pfn.lru") << ps | 3))
			die(forge_errmsg(fk_forge(res.k)));
		/* PE 0x1fe's first window: 16 MiB of 4K pages at bus 0, two entries */
		b = fk_pnv_table_new(res.k, fact("pe.1"), 0, 0, 12, 1ULL << 24, 1);
		if (!b || fk_iommu_put(res.k, b, 0x10, 0x208ULL << ps | 3) ||
		    fk_iommu_put(res.k, b, 0x11, 0x209ULL << ps | 1))
			die(forge_errmsg(fk_forge(res.k)));
	} else if (!strcmp(name, "diff-kvm")) {
		a = fact("stt.a4k");
		b = fact("stt.a64k");
		if (fk_kvm_stt_put(res.k, a, 2, 0) ||
		    fk_kvm_stt_put(res.k, a, 5, 0x10005003) ||
		    fk_kvm_stt_put(res.k, a, 3, 0x3ffff003) ||
		    fk_kvm_stt_put(res.k, a, 4, 0x10004003) ||
		    fk_kvm_stt_put(res.k, a, 6, 0x1ffff0003ULL) ||
		    fk_kvm_stt_put(res.k, b, fact("stt.a64k.noslot_entry"), 0))
			die(forge_errmsg(fk_forge(res.k)));
	} else {
		die("unknown damage");
	}
}

int main(int argc, char **argv)
{
	struct fk_opts fo = { .endian = FORGE_LE };
	const char *scenario = NULL, *out;
	char err[256], vml[4096];
	size_t i;
	int j;

	if (argc < 3)
		die("usage: plant-tables DAMAGE [be] [radix] [6.12] OUT");
	for (i = 0; i < sizeof(damages) / sizeof(damages[0]); i++)
		if (!strcmp(damages[i].name, argv[1]))
			scenario = damages[i].scenario;
	if (!scenario)
		die("unknown damage");
	for (j = 2; j < argc - 1; j++) {
		if (!strcmp(argv[j], "be")) {
			fo.endian = FORGE_BE;
		} else if (!strcmp(argv[j], "radix")) {
			fo.radix = true;
		} else if (!strcmp(argv[j], "6.12")) {
			fo.kernel = FK_KERNEL_6_12;
			fo.page_shift = 12;
			fo.radix = true;
		} else {
			die(argv[j]);
		}
	}
	kernel = fo.kernel;
	out = argv[argc - 1];
	if (forge_scenario_build(scenario, &fo, &res, err, sizeof(err)))
		die(err);
	plant(argv[1]);
	snprintf(vml, sizeof(vml), "%s.vmlinux", out);
	if (fk_write_file(res.k, out, &res.wopts) || fk_dwarf_write(res.k, vml))
		die(forge_errmsg(fk_forge(res.k)));
	if (!strcmp(scenario, "kvm-modular")) {
		write_ko(out, "module.kvm", "kvm.ko");
		write_ko(out, "module.kvm_hv", "kvm-hv.ko");
	}
	forge_scenario_release(&res);
	return 0;
}
