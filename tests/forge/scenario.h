/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Named forge scenarios: whole synthetic vmcores built on the kernel layer (a clean
 * boot, the hotplug sequence that breaks vmemmap_list's order, each vmemmap_list
 * fault, truncated and foreign files) together with the facts a test needs about
 * them (pfns of interest, entry indices, sizes) as named values.  tce-forge is a thin
 * CLI over this; C tests can call it directly.
 */
#ifndef TCE_FORGE_SCENARIO_H
#define TCE_FORGE_SCENARIO_H

#include "forge.h"

#define FORGE_SCENARIO_MAX_FACTS 160

struct forge_fact {
	char name[40];
	uint64_t value;
};

/*
 * One TCE a table scenario wrote, as the ground truth for readers: the table (the
 * kvmppc_spapr_tce_table or iommu_table's kernel virtual address), the entry (absolute:
 * the IOMMU page number, offset/it_offset included), the raw value, and what it points
 * at: for hardware tables the host pfn (tce & ~0xfff >> PAGE_SHIFT), for guest-view
 * tables the guest physical address (tce & ~0xfff).
 */
struct forge_tce {
	uint64_t table;
	uint64_t entry;
	uint64_t tce;
	uint64_t target;   /* host pfn (hardware) or guest physical address (guest view) */
	bool guest_view;
	/* guest view: the host pfn behind the gpa (memslot -> VMM address -> the VMM's
	 * page tables), FORGE_NO_PFN where no memslot holds it or nothing is mapped */
	uint64_t host_pfn;
};
#define FORGE_NO_PFN UINT64_MAX

struct forge_scenario_result {
	struct fk *k;                   /* the machine, ready for fk_write_file() */
	struct forge_write_opts wopts;  /* the faults this scenario writes with */
	struct forge_fact facts[FORGE_SCENARIO_MAX_FACTS];
	unsigned nfacts;
	struct forge_tce *tces;         /* table scenarios: every valid entry written */
	unsigned ntces;
};

/* Number of scenarios, and the name / one-line description of scenario i. */
unsigned forge_scenario_count(void);
const char *forge_scenario_name(unsigned i);
const char *forge_scenario_desc(unsigned i);

/*
 * Whether scenario i can be built for opts: the scenarios that fault vmemmap_list
 * entries (cycle, truncated, misaligned, overlap-virt, overlap-phys, backing-outside,
 * pgtable-mismatch) need a list, which a 6.12 radix kernel does not keep; the table
 * scenarios (kvm-tables, powernv-tables) lay out 6.1's structures only.
 * forge_scenario_why_not() says which, NULL when supported.
 */
bool forge_scenario_supported(unsigned i, const struct fk_opts *opts);
const char *forge_scenario_why_not(unsigned i, const struct fk_opts *opts);

/*
 * Builds scenario name on a machine described by opts (endian, page_shift,
 * struct_page_size, radix and kernel are honoured unless the scenario needs
 * otherwise: straddle picks a struct page size that does not divide the block,
 * pgtable-mismatch and pgtable-hole are radix).  ram_bytes and vmemmap_shift come from
 * the scenario: 2M blocks for radix, 64K for hash, 4K for 6.12 hash with 4K pages
 * (then the vmemmap is at FK_VMEMMAP_BASE_HASH_4K).  On success the caller owns res->k
 * (forge_scenario_release()).  -1 with a message in err otherwise (also for a
 * scenario forge_scenario_supported() refuses).
 *
 * Facts every scenario gives: page_size, struct_page_size, block_size, vmemmap_base,
 * ram_bytes, boot_pfns, entries_created (vmemmap_list entries ever made: 0 in 6.12
 * radix), list.len (unless the list is cyclic), blocks (populated vmemmap blocks,
 * fk_vmemmap_nblocks()), vmemmap_list and swapper_pg_dir (kernel virtual addresses),
 * radix (the MMU: 1 radix, 0 hash), kernel ((major << 8) | minor: 0x601 or 0x60c).
 * Every scenario with boot memory adds the zoo's pfn.<state> facts and
 * compound_order (6.12: also slab.cache, the kmem_cache its slab page points at).
 * Others: hotplug: inversion.pos (not in 6.12 radix: no list), hotplug.d1_pfn|
 * d1_pfns|d2_pfn|d2_pfns, pfn.d3; pgtable-hole: hole.virt|phys|pfn|pfn_last (the
 * unmapped block, its backing, the pfns whose struct pages lie in it), hole.section|
 * sections (the present sections wholly in it), mapped.pfn; no-translation:
 * sections_with_mem_map; and one group a fault scenario (see scenario.c).
 *
 * The table scenarios (6.1 only, fk_opts.debuginfo forced on so that BUILD-ID names
 * fk_dwarf_write()'s vmlinux; kallsyms as opts asks) fill res->tces with every valid
 * entry and give:
 *   kvm-tables: a powernv KVM host: modules "kvm_hv" and "kvm" (module.kvm,
 *   module.kvm_hv), two VMs on vm_list (kvm.count, kvm.a, kvm.b; vm_list order b, a),
 *   three guest-view tables stt.<x> for x = a4k (VM a, 4K IOMMU pages, 1 GiB at 0),
 *   a64k (VM a, 64K pages, 64 GiB at 1 << 59) and b16m (VM b, 16M pages, 64 GiB at
 *   1 << 59), each with .liobn .page_shift .offset .size (IOMMU pages) .npages (pages[]
 *   slots) .allocated (non-NULL) .valid (non-zero entries) .entry/.tce (one of them)
 *   .null_entry (one in a NULL page), and stt.count; a64k has a hardware table
 *   attached (attach.tbl, attach.stit: the kvmppc_spapr_tce_iommu_table).  Guest
 *   memory: VM a has memslots 0 (gpa 0..2 GiB) and 1 (2..4 GiB), VM b slot 0 (0..1
 *   GiB) (memslot.a0, .a1, .b0: the slots' addresses; memslot.<x>.ua), the VMM pages
 *   behind the entries mapped in the VMM's user page tables (kvm.a.mm, kvm.b.mm) to
 *   host pfns from FORGE_VMM_PFN_BASE on, except stt.a4k.unmapped_entry's (in a
 *   memslot, never touched: no PTE) and stt.a64k.noslot_entry's (no memslot holds
 *   its gpa); tces[].host_pfn has the pfn behind each entry.
 *   powernv-tables: hose_list with two PHBs (phb.count, phb.0, phb.1); PHB 0 has PEs
 *   0x1fd (pe.0, with tables) and 0x1fe (pe.1, none) on its pe_list, PHB 1 has PE 0
 *   (pe.2); tables tbl.<x> for x = t0 (pe.0 tables[0]: one level, 4K pages, 256 MiB
 *   at 0), t1 (pe.0 tables[1]: two levels, 64K pages, 4 GiB at 1 << 59, the second
 *   top-level entry never allocated) and t2 (pe.2 tables[0]: three levels, 4K pages,
 *   2 GiB at 0, a top-level entry pointing outside the dump), each with .levels
 *   .level_size .page_shift .offset .size (entries) .valid (readable valid entries)
 *   .entry/.tce/.pfn (one of them), and t1.missing_entry (under the missing level),
 *   t2.outside_entry (under the level outside the dump), t2.outside_level (its
 *   physical address); the entries of t0 point at the zoo (pinned, buddy, refcount1,
 *   lru), others at pages of boot memory.
 *   vfio-tables: a PHB (phb.0) with PE 3 (pe.0) owned by a process's VFIO container
 *   (vfio.container, its vfio_group vfio.group, its mm vfio.mm), the v2 SPAPR TCE
 *   IOMMU; two tables VFIO made with it_userspace: tbl.t0 (pe.0 tables[0]: one level,
 *   1 GiB at 0) and tbl.t1 (tables[1]: two levels, 4 GiB at 1 << 59), both of the
 *   kernel's page size, with the facts of tbl.<x> above; mm's preregistered regions
 *   vfio.region.a (FORGE_VFIO_A_PAGES small pages at FORGE_VFIO_A_UA, pfns from
 *   FORGE_VFIO_PFN_BASE, _refcount 1025) and vfio.region.b (one large folio at
 *   FORGE_VFIO_B_PFN of FORGE_VFIO_B_PAGES pages at FORGE_VFIO_B_UA, _pincount one a
 *   page), each with .mapped (1 + the TCEs using it).  t1 maps a's pages 0..7 at its
 *   first entries and page 8 at vfio.t1.far_entry (under another top-level entry),
 *   b's pages from vfio.t1.b_entry on; t0 maps a's pages 20..23 at entries 1..4.
 *   Every TCE's userspace address is in it_userspace.
 *   Both also give kallsyms.count when kallsyms is on.
 * kallsyms-bad-count, kallsyms-bad-names (both kernels; kallsyms forced on):
 *   kallsyms.count, kallsyms.bad_count or kallsyms.bad_index.
 */
int forge_scenario_build(const char *name, const struct fk_opts *opts,
			 struct forge_scenario_result *res, char *err, size_t errlen);
/* Builds and writes in one step. */
int forge_scenario_write(const char *name, const struct fk_opts *opts, const char *path,
			 struct forge_scenario_result *res, char *err, size_t errlen);
void forge_scenario_release(struct forge_scenario_result *res);

/* A fact by name; def if the scenario does not have it. */
uint64_t forge_scenario_fact(const struct forge_scenario_result *res, const char *name,
			     uint64_t def);

/*
 * The page zoo: struct pages in interesting states, written by every scenario that
 * has boot memory at these pfns (facts "pfn.<state>" give them too).
 */
enum {
	FORGE_ZOO_BASE = 256,
	FORGE_ZOO_REFCOUNT0 = FORGE_ZOO_BASE + 0,  /* _refcount 0, not on a free list */
	FORGE_ZOO_REFCOUNT1 = FORGE_ZOO_BASE + 1,  /* as initialised */
	FORGE_ZOO_PINNED = FORGE_ZOO_BASE + 2,     /* _refcount 1025: one FOLL_PIN + 1 */
	FORGE_ZOO_BUDDY = FORGE_ZOO_BASE + 3,      /* free: _mapcount -129, order 0
						      (6.12: page_type 0xf0000000) */
	FORGE_ZOO_OFFLINE = FORGE_ZOO_BASE + 4,    /* _mapcount -257 (6.12: 0xf1000000) */
	FORGE_ZOO_HWPOISON = FORGE_ZOO_BASE + 5,   /* PG_hwpoison */
	FORGE_ZOO_SLAB = FORGE_ZOO_BASE + 6,       /* PG_slab (6.12: page_type 0xf5000000,
						      slab_cache at compound_head's
						      offset, no flag) */
	FORGE_ZOO_LRU = FORGE_ZOO_BASE + 7,        /* PG_lru, mapped once, page cache */
	FORGE_ZOO_HEAD = FORGE_ZOO_BASE + 8,       /* order-2 compound head, _refcount 1 */
	FORGE_ZOO_TAIL = FORGE_ZOO_BASE + 9,       /* its first tail (order in it; 6.12:
						      in its flags' low byte) */
	FORGE_ZOO_END = FORGE_ZOO_BASE + 12,
};
#define FORGE_ZOO_PINNED_REFCOUNT 1025
/* kvm-tables: the host pfns of the VMM's guest memory pages start here */
#define FORGE_VMM_PFN_BASE 0x1800
#define FORGE_ZOO_COMPOUND_ORDER 2
/* vfio-tables: region a (small pages from FORGE_VFIO_PFN_BASE), region b (one large
 * folio of order FORGE_VFIO_B_ORDER from FORGE_VFIO_B_PFN), their userspace addresses */
#define FORGE_VFIO_PFN_BASE 0x2000
#define FORGE_VFIO_A_PAGES 32
#define FORGE_VFIO_A_UA 0x3fff00000000ULL
#define FORGE_VFIO_B_PFN 0x2100
#define FORGE_VFIO_B_ORDER 4
#define FORGE_VFIO_B_PAGES (1u << FORGE_VFIO_B_ORDER)
#define FORGE_VFIO_B_UA 0x3ffe00000000ULL

#endif /* TCE_FORGE_SCENARIO_H */
