// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCE tables in the forge's dumps, in the 6.1 shape or, compiled a second time by
 * fk-tables-6.12.c (FK_TABLES_6_12), in the 6.12 shape: the structures of
 * kernel-6.1-types.h or kernel-6.12-types.h written at the offsets the host compiler gives
 * them (the same as ppc64's, which the headers assert), with the values and in the places
 * the kernel puts them (6.1 and 6.12 alike but for struct module's memory layout):
 * KVM's guest view (virt/kvm/kvm_main.c, arch/powerpc/kvm/book3s_64_vio.c) and powernv's
 * hardware tables (arch/powerpc/kernel/pci-common.c, platforms/powernv/pci-ioda.c and
 * pci-ioda-tce.c, arch/powerpc/kernel/iommu.c).  Like the rest of the kernel layer, every
 * operation reads what it needs back from the dump (list heads, table fields, level
 * entries), so a fault written into the dump is seen as the kernel would see it.
 */
#ifdef FK_TABLES_6_12
#include "kernel-6.12-types.h"
#define FK_TABLES_KERNEL FK_KERNEL_6_12
#define FKT(name) name##_6_12
#else
#include "kernel-6.1-types.h"
#define FK_TABLES_KERNEL FK_KERNEL_6_1
#define FKT(name) name##_6_1
#endif

#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "fk-int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINEAR_BASE 0xc000000000000000ULL
#define POWERNV_IOMMU_MAX_LEVELS 5
/* vmalloc's start on 64K hash and radix (hash-64k.h, radix.h), and on 4K hash */
#define VMALLOC_START_64K 0xc008000000000000ULL
#define VMALLOC_START_HASH_4K 0xc0003d0000000000ULL
/* where the forge's vmalloc allocations begin: past what boot would have used */
#define VMALLOC_FORGE_OFFSET 0x10000000ULL

struct fk_slot;
struct fk_module;

struct fk_tables {
	uint64_t vm_list, hose_list, modules; /* physical addresses of the heads */
	uint64_t vm_list_kva;                 /* vm_list in module kvm: its address */
	struct fk_module *mods;               /* every module made, in order */
	size_t nmods;
	uint64_t vmalloc_next;                /* the next free vmalloc address */
	unsigned nphbs;
	struct fk_slot *slots;                /* every memslot made, in order */
	size_t nslots;
};

static int tfail(struct fk *k, const char *what)
{
	return forge_fail(fk_forge(k), "%s", what);
}

static struct fk_tables *tables(struct fk *k)
{
	struct fk_tables **slot = fk_tables_slot(k);

	if (fk_opts(k)->kernel != FK_TABLES_KERNEL) {
		tfail(k, "the table structures of one kernel shape asked of the other's");
		return NULL;
	}
	if (!*slot) {
		*slot = calloc(1, sizeof(**slot));
		if (!*slot) {
			tfail(k, "out of memory");
			return NULL;
		}
	}
	return *slot;
}

#ifndef FK_TABLES_6_12
/* the same struct fk_tables in either shape: defined once */
void fk_tables_free(struct fk_tables *t)
{
	if (t) {
		free(t->slots);
		free(t->mods);
	}
	free(t);
}
#endif

static uint64_t pa(uint64_t kva)
{
	return kva & ~LINEAR_BASE;
}

static int w64(struct fk *k, uint64_t phys, uint64_t v)
{
	return forge_put_u64(fk_forge(k), phys, v);
}

static int w32(struct fk *k, uint64_t phys, uint32_t v)
{
	return forge_put_u32(fk_forge(k), phys, v);
}

static int r64(struct fk *k, uint64_t phys, uint64_t *v)
{
	return forge_get_u64(fk_forge(k), phys, v);
}

/* Hardware TCEs are big-endian whatever the CPU's order (cpu_to_be64()). */
static int wbe64(struct fk *k, uint64_t phys, uint64_t v)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	return forge_write(fk_forge(k), phys, b, 8);
}

static int rbe64(struct fk *k, uint64_t phys, uint64_t *v)
{
	uint8_t b[8];
	int i;

	if (forge_read(fk_forge(k), phys, b, 8))
		return -1;
	*v = 0;
	for (i = 0; i < 8; i++)
		*v = (*v << 8) | b[i];
	return 0;
}

static void user_geometry(const struct fk *k, unsigned bits[4]);
static int mm_context_init(struct fk *k, uint64_t mm);

static uint64_t pagesize(const struct fk *k)
{
	return 1ULL << fk_opts(k)->page_shift;
}

/* ------------------------------------------------------------ lists */

/* INIT_LIST_HEAD() at a physical address whose kernel address is kva */
static int list_init(struct fk *k, uint64_t phys, uint64_t kva)
{
	return w64(k, phys + offsetof(struct list_head, next), kva) ||
	       w64(k, phys + offsetof(struct list_head, prev), kva) ? -1 : 0;
}

/* __list_add(new, prev, next), reading the neighbours from the dump; phys_of turns
 * a list kva into a physical address (the linear map, or a vmalloc mapping) */
static int phys_of(struct fk *k, uint64_t kva, uint64_t *phys)
{
	if (!fk_vmalloc_translate(k, kva, phys))
		return 0;
	if ((kva >> 48) == 0xc000) {
		*phys = pa(kva);
		return 0;
	}
	return forge_fail(fk_forge(k), "list entry 0x%llx is nowhere",
			  (unsigned long long)kva);
}

static int list_insert(struct fk *k, uint64_t new_kva, uint64_t head_kva, bool tail)
{
	uint64_t head, prev_kva, next_kva, prev, next, newp;

	if (phys_of(k, head_kva, &head) || phys_of(k, new_kva, &newp))
		return -1;
	if (tail) {
		next_kva = head_kva;
		if (r64(k, head + offsetof(struct list_head, prev), &prev_kva))
			return -1;
	} else {
		prev_kva = head_kva;
		if (r64(k, head + offsetof(struct list_head, next), &next_kva))
			return -1;
	}
	if (phys_of(k, prev_kva, &prev) || phys_of(k, next_kva, &next))
		return -1;
	if (w64(k, next + offsetof(struct list_head, prev), new_kva) ||
	    w64(k, newp + offsetof(struct list_head, next), next_kva) ||
	    w64(k, newp + offsetof(struct list_head, prev), prev_kva) ||
	    w64(k, prev + offsetof(struct list_head, next), new_kva))
		return -1;
	return 0;
}

/* A global LIST_HEAD(name) in kernel data, made on first use. */
static uint64_t global_list(struct fk *k, uint64_t *slot, const char *name)
{
	uint64_t p;

	if (*slot)
		return *slot;
	p = fk_alloc(k, sizeof(struct list_head), 8);
	if (!p || list_init(k, p, fk_kva(p)) || fk_symbol_add(k, name, fk_kva(p), 'D'))
		return 0;
	*slot = p;
	return p;
}

static int mutex_init(struct fk *k, uint64_t phys, uint64_t kva)
{
	return list_init(k, phys + offsetof(struct mutex, wait_list),
			 kva + offsetof(struct mutex, wait_list));
}

/* ------------------------------------------------------------ vmalloc */

static uint64_t vmalloc_area(struct fk *k, struct fk_tables *t, uint64_t size,
			     uint64_t *phys)
{
	uint64_t ps = pagesize(k), va;
	const struct fk_opts *o = fk_opts(k);

	size = (size + ps - 1) & ~(ps - 1);
	if (!t->vmalloc_next)
		t->vmalloc_next = (o->radix || o->page_shift == 16 ? VMALLOC_START_64K
								   : VMALLOC_START_HASH_4K) +
				  VMALLOC_FORGE_OFFSET;
	*phys = fk_alloc(k, size, ps);
	if (!*phys)
		return 0;
	va = t->vmalloc_next;
	/* a guard page after every area, as __get_vm_area_node() leaves one */
	t->vmalloc_next += size + ps;
	if (fk_vmalloc_map(k, va, *phys, size))
		return 0;
	return va;
}

/* ------------------------------------------------------------ KVM */

static int kvm_module_vm_list(struct fk *k, struct fk_tables *t);

uint64_t FKT(fk_kvm_new)(struct fk *k, int32_t userspace_pid)
{
	struct fk_tables *t = tables(k);
	uint64_t head, p, kva, mm;

	if (!t)
		return 0;
	if (fk_opts(k)->kvm_modular && !t->vm_list && kvm_module_vm_list(k, t))
		return 0;
	head = global_list(k, &t->vm_list, "vm_list");
	/* kvm_arch_alloc_vm(): kzalloc; the VMM's mm_struct stands in as a zeroed block */
	p = fk_alloc(k, sizeof(struct kvm), 64);
	/* the VMM's mm_struct and its (empty) user page tables */
	mm = fk_alloc(k, sizeof(struct mm_struct), 64);
	if (!head || !p || !mm)
		return 0;
	{
		unsigned bits[4];
		uint64_t size, pgd;

		user_geometry(k, bits);
		size = 8ULL << bits[0];
		pgd = fk_alloc(k, size, size);
		if (!pgd || w64(k, mm + offsetof(struct mm_struct, pgd), fk_kva(pgd)) ||
		    w32(k, mm + offsetof(struct mm_struct, mm_users), 1) ||
		    w32(k, mm + offsetof(struct mm_struct, mm_count), 1) ||
		    mm_context_init(k, mm))
			return 0;
	}
	kva = fk_kva(p);
	/* kvm_create_vm(): two memslot sets, node_idx 0 and 1, the first active */
	if (w32(k, p + offsetof(struct kvm, __memslots[0][1].node_idx), 1) ||
	    w64(k, p + offsetof(struct kvm, memslots[0]), kva + offsetof(struct kvm, __memslots)))
		return 0;
	if (mutex_init(k, p + offsetof(struct kvm, slots_lock),
		       kva + offsetof(struct kvm, slots_lock)) ||
	    mutex_init(k, p + offsetof(struct kvm, slots_arch_lock),
		       kva + offsetof(struct kvm, slots_arch_lock)) ||
	    mutex_init(k, p + offsetof(struct kvm, lock), kva + offsetof(struct kvm, lock)) ||
	    w64(k, p + offsetof(struct kvm, mm), fk_kva(mm)) ||
	    w32(k, p + offsetof(struct kvm, online_vcpus), 1) ||
	    w32(k, p + offsetof(struct kvm, max_vcpus), 2048) ||
	    w32(k, p + offsetof(struct kvm, created_vcpus), 1) ||
	    w32(k, p + offsetof(struct kvm, last_boosted_vcpu), 0) ||
	    forge_put_u8(fk_forge(k), p + offsetof(struct kvm, arch.radix),
			 fk_opts(k)->radix ? 1 : 0) ||
	    list_init(k, p + offsetof(struct kvm, arch.spapr_tce_tables),
		      kva + offsetof(struct kvm, arch.spapr_tce_tables)) ||
	    list_init(k, p + offsetof(struct kvm, arch.rtas_tokens),
		      kva + offsetof(struct kvm, arch.rtas_tokens)) ||
	    w32(k, p + offsetof(struct kvm, users_count), 1) ||
	    w32(k, p + offsetof(struct kvm, userspace_pid), (uint32_t)userspace_pid) ||
	    /* kvm_create_vm(): list_add(&kvm->vm_list, &vm_list) */
	    list_insert(k, kva + offsetof(struct kvm, vm_list),
			t->vm_list_kva ? t->vm_list_kva : fk_kva(head), false))
		return 0;
	return kva;
}

/* kvmppc_tce_pages() */
static uint64_t stt_npages(const struct fk *k, uint64_t size)
{
	uint64_t per = pagesize(k) / 8; /* TCES_PER_PAGE */

	return (size + per - 1) / per;
}

uint64_t FKT(fk_kvm_stt_new)(struct fk *k, uint64_t kvm, uint64_t liobn, unsigned page_shift,
			uint64_t offset, uint64_t size)
{
	uint64_t p, kva, n;

	if (!tables(k))
		return 0;
	if (!size || page_shift < 12 || page_shift > 34) {
		forge_fail(fk_forge(k), "KVM_CREATE_SPAPR_TCE_64 refuses size %llu, page_shift %u",
			   (unsigned long long)size, page_shift);
		return 0;
	}
	n = stt_npages(k, size);
	p = fk_alloc(k, sizeof(struct kvmppc_spapr_tce_table) + 8 * n, 64);
	if (!p)
		return 0;
	kva = fk_kva(p);
	if (w64(k, p + offsetof(struct kvmppc_spapr_tce_table, kvm), kvm) ||
	    w64(k, p + offsetof(struct kvmppc_spapr_tce_table, liobn), liobn) ||
	    w32(k, p + offsetof(struct kvmppc_spapr_tce_table, page_shift), page_shift) ||
	    w64(k, p + offsetof(struct kvmppc_spapr_tce_table, offset), offset) ||
	    w64(k, p + offsetof(struct kvmppc_spapr_tce_table, size), size) ||
	    list_init(k, p + offsetof(struct kvmppc_spapr_tce_table, iommu_tables),
		      kva + offsetof(struct kvmppc_spapr_tce_table, iommu_tables)) ||
	    mutex_init(k, p + offsetof(struct kvmppc_spapr_tce_table, alloc_lock),
		       kva + offsetof(struct kvmppc_spapr_tce_table, alloc_lock)) ||
	    /* list_add_rcu(&stt->list, &kvm->arch.spapr_tce_tables) */
	    list_insert(k, kva + offsetof(struct kvmppc_spapr_tce_table, list),
			kvm + offsetof(struct kvm, arch.spapr_tce_tables), false))
		return 0;
	return kva;
}

static int stt_read(struct fk *k, uint64_t stt, uint64_t *offset, uint64_t *size)
{
	return r64(k, pa(stt) + offsetof(struct kvmppc_spapr_tce_table, offset), offset) ||
	       r64(k, pa(stt) + offsetof(struct kvmppc_spapr_tce_table, size), size) ? -1 : 0;
}

/* The physical address of the page a struct page pointer names (page_to_virt()). */
static int page_ptr_phys(struct fk *k, uint64_t page, uint64_t *phys)
{
	const struct fk_opts *o = fk_opts(k);

	if (page < o->vmemmap_base || (page - o->vmemmap_base) % o->struct_page_size)
		return forge_fail(fk_forge(k), "0x%llx is no struct page",
				  (unsigned long long)page);
	*phys = ((page - o->vmemmap_base) / o->struct_page_size) << o->page_shift;
	return 0;
}

uint64_t FKT(fk_kvm_stt_page)(struct fk *k, uint64_t stt, uint64_t i)
{
	uint64_t page, phys, offset, size;

	if (!tables(k) || stt_read(k, stt, &offset, &size) || i >= stt_npages(k, size) ||
	    r64(k, pa(stt) + offsetof(struct kvmppc_spapr_tce_table, pages) + 8 * i, &page) ||
	    !page || page_ptr_phys(k, page, &phys))
		return 0;
	return phys;
}

int FKT(fk_kvm_stt_put)(struct fk *k, uint64_t stt, uint64_t entry, uint64_t tce)
{
	uint64_t offset, size, idx, per = pagesize(k) / 8, slot, page, phys;

	if (!tables(k) || stt_read(k, stt, &offset, &size))
		return -1;
	if (entry < offset || entry - offset >= size)
		return forge_fail(fk_forge(k), "entry 0x%llx is outside the window",
				  (unsigned long long)entry);
	idx = entry - offset;
	slot = pa(stt) + offsetof(struct kvmppc_spapr_tce_table, pages) + 8 * (idx / per);
	if (r64(k, slot, &page))
		return -1;
	if (!page) {
		if (!tce)
			return 0;
		/* kvm_spapr_get_tce_page(): alloc_page(GFP_KERNEL | __GFP_ZERO) */
		phys = fk_alloc(k, pagesize(k), pagesize(k));
		if (!phys)
			return -1;
		page = fk_pfn_to_vmemmap(k, phys >> fk_opts(k)->page_shift);
		if (w64(k, slot, page))
			return -1;
	} else if (page_ptr_phys(k, page, &phys)) {
		return -1;
	}
	/* tbl[idx % TCES_PER_PAGE] = tce: the CPU's order */
	return w64(k, phys + 8 * (idx % per), tce);
}

uint64_t FKT(fk_kvm_stt_attach)(struct fk *k, uint64_t stt, uint64_t tbl)
{
	uint64_t p, kva;

	if (!tables(k))
		return 0;
	p = fk_alloc(k, sizeof(struct kvmppc_spapr_tce_iommu_table), 64);
	if (!p)
		return 0;
	kva = fk_kva(p);
	if (w64(k, p + offsetof(struct kvmppc_spapr_tce_iommu_table, tbl), tbl) ||
	    w32(k, p + offsetof(struct kvmppc_spapr_tce_iommu_table, kref), 1) ||
	    list_insert(k, kva + offsetof(struct kvmppc_spapr_tce_iommu_table, next),
			stt + offsetof(struct kvmppc_spapr_tce_table, iommu_tables), false))
		return 0;
	return kva;
}

/* ------------------------------------------------------------ powernv */

uint64_t FKT(fk_pnv_phb_new)(struct fk *k, unsigned total_pe_num)
{
	struct fk_tables *t = tables(k);
	uint64_t head, hose, phb, pes, hkva, pkva, i;

	if (!t)
		return 0;
	if (!total_pe_num || total_pe_num > 0x10000) {
		tfail(k, "a PHB has 1..65536 PEs");
		return 0;
	}
	head = global_list(k, &t->hose_list, "hose_list");
	/* pcibios_alloc_controller(): zalloc_maybe_bootmem(); pnv_pci_init_ioda_phb():
	 * memblock_alloc() for the phb and the PE array */
	hose = fk_alloc(k, sizeof(struct pci_controller), 64);
	phb = fk_alloc(k, sizeof(struct pnv_phb), 64);
	pes = fk_alloc(k, sizeof(struct pnv_ioda_pe) * total_pe_num, 64);
	if (!head || !hose || !phb || !pes)
		return 0;
	hkva = fk_kva(hose);
	pkva = fk_kva(phb);
	if (w32(k, hose + offsetof(struct pci_controller, global_number), t->nphbs) ||
	    w32(k, hose + offsetof(struct pci_controller, first_busno), 0) ||
	    w32(k, hose + offsetof(struct pci_controller, last_busno), 0xff) ||
	    w64(k, hose + offsetof(struct pci_controller, private_data), pkva) ||
	    list_insert(k, hkva + offsetof(struct pci_controller, list_node), fk_kva(head),
			true) ||
	    w64(k, phb + offsetof(struct pnv_phb, hose), hkva) ||
	    w32(k, phb + offsetof(struct pnv_phb, type), PNV_PHB_IODA2) ||
	    w32(k, phb + offsetof(struct pnv_phb, model), PNV_PHB_MODEL_PHB3) ||
	    w64(k, phb + offsetof(struct pnv_phb, opal_id), 0x8000000 + t->nphbs) ||
	    w32(k, phb + offsetof(struct pnv_phb, ioda.total_pe_num), total_pe_num) ||
	    w32(k, phb + offsetof(struct pnv_phb, ioda.reserved_pe_idx), total_pe_num - 1) ||
	    w32(k, phb + offsetof(struct pnv_phb, ioda.root_pe_idx), total_pe_num - 2) ||
	    w64(k, phb + offsetof(struct pnv_phb, ioda.pe_array), fk_kva(pes)) ||
	    mutex_init(k, phb + offsetof(struct pnv_phb, ioda.pe_alloc_mutex),
		       pkva + offsetof(struct pnv_phb, ioda.pe_alloc_mutex)) ||
	    list_init(k, phb + offsetof(struct pnv_phb, ioda.pe_list),
		      pkva + offsetof(struct pnv_phb, ioda.pe_list)) ||
	    mutex_init(k, phb + offsetof(struct pnv_phb, ioda.pe_list_mutex),
		       pkva + offsetof(struct pnv_phb, ioda.pe_list_mutex)))
		return 0;
	for (i = 0; i < total_pe_num; i++) {
		uint64_t pe = pes + i * sizeof(struct pnv_ioda_pe);

		if (w64(k, pe + offsetof(struct pnv_ioda_pe, phb), pkva) ||
		    w32(k, pe + offsetof(struct pnv_ioda_pe, pe_number), (uint32_t)i))
			return 0;
	}
	t->nphbs++;
	return pkva;
}

uint64_t FKT(fk_pnv_pe_new)(struct fk *k, uint64_t phb, unsigned pe_number)
{
	uint64_t total, pes, pe, kva;

	if (!tables(k))
		return 0;
	if (forge_get_u64(fk_forge(k), pa(phb) + offsetof(struct pnv_phb, ioda.pe_array),
			  &pes))
		return 0;
	{
		uint8_t b[4];

		if (forge_read(fk_forge(k), pa(phb) + offsetof(struct pnv_phb, ioda.total_pe_num),
			       b, 4))
			return 0;
		total = fk_opts(k)->endian == FORGE_LE
				? (uint64_t)b[0] | b[1] << 8 | b[2] << 16 | (uint64_t)b[3] << 24
				: (uint64_t)b[3] | b[2] << 8 | b[1] << 16 | (uint64_t)b[0] << 24;
	}
	if (pe_number >= total) {
		tfail(k, "no such PE number on this PHB");
		return 0;
	}
	pe = pa(pes) + pe_number * sizeof(struct pnv_ioda_pe);
	kva = fk_kva(pe);
	/* pnv_ioda_configure_pe(), pnv_pci_ioda2_setup_dma_pe(): the table group's
	 * properties as an IODA2 PHB reports them */
	if (w64(k, pe + offsetof(struct pnv_ioda_pe, flags), 1 /* PNV_IODA_PE_DEV */) ||
	    w32(k, pe + offsetof(struct pnv_ioda_pe, device_count), 1) ||
	    w32(k, pe + offsetof(struct pnv_ioda_pe, rid), pe_number << 8) ||
	    w32(k, pe + offsetof(struct pnv_ioda_pe, table_group.tce32_start), 0) ||
	    w32(k, pe + offsetof(struct pnv_ioda_pe, table_group.tce32_size), 0x80000000u) ||
	    w64(k, pe + offsetof(struct pnv_ioda_pe, table_group.pgsizes),
		(1ULL << 12) | (1ULL << 16) | (1ULL << 24)) ||
	    w32(k, pe + offsetof(struct pnv_ioda_pe, table_group.max_dynamic_windows_supported),
		IOMMU_TABLE_GROUP_MAX_TABLES) ||
	    w32(k, pe + offsetof(struct pnv_ioda_pe, table_group.max_levels),
		POWERNV_IOMMU_MAX_LEVELS) ||
	    forge_put_u8(fk_forge(k), pe + offsetof(struct pnv_ioda_pe, dma_setup_done), 1) ||
	    w32(k, pe + offsetof(struct pnv_ioda_pe, mve_number), pe_number) ||
	    list_init(k, pe + offsetof(struct pnv_ioda_pe, slaves),
		      kva + offsetof(struct pnv_ioda_pe, slaves)) ||
	    list_insert(k, kva + offsetof(struct pnv_ioda_pe, list),
			phb + offsetof(struct pnv_phb, ioda.pe_list), true))
		return 0;
	return kva;
}

static unsigned ilog2_u64(uint64_t v)
{
	unsigned n = 0;

	while (v >>= 1)
		n++;
	return n;
}

uint64_t FKT(fk_pnv_table_new)(struct fk *k, uint64_t pe, int num, uint64_t bus_offset,
			  unsigned page_shift, uint64_t window_size, unsigned levels)
{
	struct fk_tables *t = tables(k);
	unsigned ps = fk_opts(k)->page_shift, window_shift, entries_shift, table_shift;
	unsigned level_shift, i;
	uint64_t tbl, top, kva, it_size, map_va, map_phys, map_bytes, bytes, tts, dts, lv;
	uint64_t nr_pools, poolsize, tgl;

	if (!t)
		return 0;
	if (num < 0 || num >= IOMMU_TABLE_GROUP_MAX_TABLES || !levels ||
	    levels > POWERNV_IOMMU_MAX_LEVELS || !window_size ||
	    (window_size & (window_size - 1)) || page_shift < 12 ||
	    ilog2_u64(window_size) <= page_shift) {
		tfail(k, "pnv_pci_ioda2_table_alloc_pages() refuses these parameters");
		return 0;
	}
	/* pnv_pci_ioda2_table_alloc_pages() */
	window_shift = ilog2_u64(window_size);
	entries_shift = window_shift - page_shift;
	table_shift = entries_shift + 3 > ps ? entries_shift + 3 : ps;
	entries_shift = (entries_shift + levels - 1) / levels;
	level_shift = entries_shift + 3 > ps ? entries_shift + 3 : ps;
	if ((level_shift - 3) * levels + page_shift >= 55) {
		tfail(k, "pnv_pci_ioda2_table_alloc_pages(): too many levels of entries");
		return 0;
	}
	it_size = (1ULL << table_shift) >> 3;
	/* pnv_pci_ioda2_get_table_size(), which the caller puts in it_allocated_size */
	tts = 1ULL << (window_shift - page_shift + 3);
	if (tts < 0x1000)
		tts = 0x1000;
	dts = 1ULL << level_shift;
	for (bytes = 0, lv = levels; lv; lv--) {
		bytes += (tts + dts - 1) / dts * dts;
		tts = tts / dts * 8;
		if (tts < dts)
			tts = dts;
	}
	tbl = fk_alloc(k, sizeof(struct iommu_table), 128);
	top = fk_alloc(k, 1ULL << level_shift, 1ULL << level_shift);
	/* iommu_init_table(): it_map = vzalloc_node(BITS_TO_LONGS(it_size) * 8) */
	map_bytes = (it_size + 63) / 64 * 8;
	map_va = vmalloc_area(k, t, map_bytes, &map_phys);
	tgl = fk_alloc(k, sizeof(struct iommu_table_group_link), 64);
	if (!tbl || !top || !map_va || !tgl)
		return 0;
	kva = fk_kva(tbl);
	nr_pools = (it_size << page_shift) >= (1ULL << 30) ? IOMMU_NR_POOLS : 1;
	poolsize = (it_size * 3 / 4) / nr_pools;
	if (w64(k, tbl + offsetof(struct iommu_table, it_busno), 0) ||
	    w64(k, tbl + offsetof(struct iommu_table, it_size), it_size) ||
	    w64(k, tbl + offsetof(struct iommu_table, it_indirect_levels), levels - 1) ||
	    w64(k, tbl + offsetof(struct iommu_table, it_level_size), 1ULL << (level_shift - 3)) ||
	    w64(k, tbl + offsetof(struct iommu_table, it_allocated_size), 2 * bytes) ||
	    w64(k, tbl + offsetof(struct iommu_table, it_offset), bus_offset >> page_shift) ||
	    w64(k, tbl + offsetof(struct iommu_table, it_base), fk_kva(top)) ||
	    w64(k, tbl + offsetof(struct iommu_table, it_index), 0) ||
	    w64(k, tbl + offsetof(struct iommu_table, it_type), TCE_PCI) ||
	    w64(k, tbl + offsetof(struct iommu_table, it_blocksize), 16) ||
	    w64(k, tbl + offsetof(struct iommu_table, poolsize), poolsize) ||
	    w64(k, tbl + offsetof(struct iommu_table, nr_pools), nr_pools) ||
	    w64(k, tbl + offsetof(struct iommu_table, it_map), map_va) ||
	    w64(k, tbl + offsetof(struct iommu_table, it_page_shift), page_shift) ||
	    w32(k, tbl + offsetof(struct iommu_table, it_kref), 1) ||
	    w32(k, tbl + offsetof(struct iommu_table, it_nid), 0))
		return 0;
	for (i = 0; i < nr_pools; i++) {
		uint64_t pool = tbl + offsetof(struct iommu_table, pools) + i * sizeof(struct iommu_pool);

		if (w64(k, pool + offsetof(struct iommu_pool, start), poolsize * i) ||
		    w64(k, pool + offsetof(struct iommu_pool, hint), poolsize * i) ||
		    w64(k, pool + offsetof(struct iommu_pool, end), poolsize * (i + 1)))
			return 0;
	}
	{
		uint64_t pool = tbl + offsetof(struct iommu_table, large_pool);

		if (w64(k, pool + offsetof(struct iommu_pool, start), poolsize * nr_pools) ||
		    w64(k, pool + offsetof(struct iommu_pool, hint), poolsize * nr_pools) ||
		    w64(k, pool + offsetof(struct iommu_pool, end), it_size))
			return 0;
	}
	/* iommu_table_reserve_pages(): entry 0 of a window at bus address 0 is never
	 * handed out */
	if (!(bus_offset >> page_shift) && w64(k, map_phys, 1))
		return 0;
	/* pnv_pci_link_table_and_group(): a link on it_group_list back to the group */
	if (list_init(k, tbl + offsetof(struct iommu_table, it_group_list),
		      kva + offsetof(struct iommu_table, it_group_list)) ||
	    w64(k, tgl + offsetof(struct iommu_table_group_link, table_group),
		pe + offsetof(struct pnv_ioda_pe, table_group)) ||
	    list_insert(k, fk_kva(tgl) + offsetof(struct iommu_table_group_link, next),
			kva + offsetof(struct iommu_table, it_group_list), false) ||
	    /* pnv_pci_ioda2_set_window(): table_group->tables[num] = tbl */
	    w64(k, pa(pe) + offsetof(struct pnv_ioda_pe, table_group.tables) + 8 * (unsigned)num,
		kva))
		return 0;
	return kva;
}

struct tbl_geom {
	uint64_t base, size, offset, levels, level_size, map;
};

static int tbl_read(struct fk *k, uint64_t tbl, struct tbl_geom *g)
{
	uint64_t p = pa(tbl);

	if (r64(k, p + offsetof(struct iommu_table, it_base), &g->base) ||
	    r64(k, p + offsetof(struct iommu_table, it_size), &g->size) ||
	    r64(k, p + offsetof(struct iommu_table, it_offset), &g->offset) ||
	    r64(k, p + offsetof(struct iommu_table, it_indirect_levels), &g->levels) ||
	    r64(k, p + offsetof(struct iommu_table, it_level_size), &g->level_size) ||
	    r64(k, p + offsetof(struct iommu_table, it_map), &g->map))
		return -1;
	if (!g->level_size || (g->level_size & (g->level_size - 1)) || g->levels > 4)
		return tfail(k, "the iommu_table's geometry is broken");
	return 0;
}

/* pnv_tce(): the physical address of entry idx (relative to it_offset); 0 where a
 * level is missing and alloc is false */
static int pnv_tce(struct fk *k, const struct tbl_geom *g, uint64_t idx, bool alloc,
		   uint64_t *where)
{
	uint64_t tmp = pa(g->base), level = g->levels, shift = ilog2_u64(g->level_size);
	uint64_t mask = (g->level_size - 1) << (level * shift);

	while (level) {
		uint64_t n = (idx & mask) >> (level * shift), tce;

		if (rbe64(k, tmp + 8 * n, &tce))
			return -1;
		if (!tce) {
			uint64_t lvl;

			if (!alloc) {
				*where = 0;
				return 0;
			}
			/* pnv_alloc_tce_level(): alloc_pages_node(), zeroed */
			lvl = fk_alloc(k, g->level_size * 8, g->level_size * 8);
			if (!lvl)
				return -1;
			tce = lvl | TCE_PCI_READ | TCE_PCI_WRITE;
			if (wbe64(k, tmp + 8 * n, tce))
				return -1;
		}
		tmp = tce & ~(uint64_t)(TCE_PCI_READ | TCE_PCI_WRITE);
		idx &= ~mask;
		mask >>= shift;
		--level;
	}
	*where = tmp + 8 * idx;
	return 0;
}

int FKT(fk_iommu_put)(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t tce)
{
	struct tbl_geom g;
	uint64_t where, idx, map_phys, word;

	if (!tables(k) || tbl_read(k, tbl, &g))
		return -1;
	if (entry < g.offset || entry - g.offset >= g.size)
		return forge_fail(fk_forge(k), "entry 0x%llx is outside the table",
				  (unsigned long long)entry);
	idx = entry - g.offset;
	if (pnv_tce(k, &g, idx, true, &where) || wbe64(k, where, tce))
		return -1;
	/* the allocation bitmap: the entry is in use while it maps something */
	if (!fk_vmalloc_translate(k, g.map + idx / 64 * 8, &map_phys)) {
		if (r64(k, map_phys, &word))
			return -1;
		word = tce ? word | 1ULL << (idx % 64) : word & ~(1ULL << (idx % 64));
		if (w64(k, map_phys, word))
			return -1;
	}
	return 0;
}

int FKT(fk_iommu_get)(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t *tce)
{
	struct tbl_geom g;
	uint64_t where;

	*tce = 0;
	if (!tables(k) || tbl_read(k, tbl, &g))
		return -1;
	if (entry < g.offset || entry - g.offset >= g.size)
		return forge_fail(fk_forge(k), "entry 0x%llx is outside the table",
				  (unsigned long long)entry);
	if (pnv_tce(k, &g, entry - g.offset, false, &where))
		return -1;
	if (!where)
		return forge_fail(fk_forge(k), "no level holds entry 0x%llx",
				  (unsigned long long)entry);
	return rbe64(k, where, tce);
}

int FKT(fk_iommu_set_indirect)(struct fk *k, uint64_t tbl, uint64_t i, uint64_t raw)
{
	struct tbl_geom g;

	if (!tables(k) || tbl_read(k, tbl, &g))
		return -1;
	if (i >= g.level_size)
		return tfail(k, "no such top-level entry");
	return wbe64(k, pa(g.base) + 8 * i, raw);
}

/* ------------------------------------------------------------ VFIO (SPAPR TCE v2) */

/* The it_userspace tree of tbl in the table's geometry, g with base it_userspace */
static int user_geom(struct fk *k, uint64_t tbl, struct tbl_geom *g)
{
	uint64_t us;

	if (tbl_read(k, tbl, g) ||
	    r64(k, pa(tbl) + offsetof(struct iommu_table, it_userspace), &us))
		return -1;
	if (!us)
		return tfail(k, "the iommu_table has no it_userspace");
	g->base = us;
	return 0;
}

int FKT(fk_pnv_table_userspace)(struct fk *k, uint64_t tbl)
{
	struct tbl_geom g;
	uint64_t top;

	if (!tables(k) || tbl_read(k, tbl, &g))
		return -1;
	/* pnv_pci_ioda2_table_alloc_pages(alloc_userspace_copy): a tree of the table's
	 * shape, its top level allocated like it_base's */
	top = fk_alloc(k, g.level_size * 8, g.level_size * 8);
	if (!top)
		return -1;
	return w64(k, pa(tbl) + offsetof(struct iommu_table, it_userspace), fk_kva(top));
}

int FKT(fk_iommu_user_put)(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t ua)
{
	struct tbl_geom g;
	uint64_t where;

	if (!tables(k) || user_geom(k, tbl, &g))
		return -1;
	if (entry < g.offset || entry - g.offset >= g.size)
		return forge_fail(fk_forge(k), "entry 0x%llx is outside the table",
				  (unsigned long long)entry);
	/* IOMMU_TABLE_USERSPACE_ENTRY(): pnv_tce(user=true, alloc=true); cpu_to_be64 */
	if (pnv_tce(k, &g, entry - g.offset, true, &where))
		return -1;
	return wbe64(k, where, ua);
}

int FKT(fk_iommu_user_set_indirect)(struct fk *k, uint64_t tbl, uint64_t i, uint64_t raw)
{
	struct tbl_geom g;

	if (!tables(k) || user_geom(k, tbl, &g))
		return -1;
	if (i >= g.level_size)
		return tfail(k, "no such top-level entry");
	return wbe64(k, pa(g.base) + 8 * i, raw);
}

/* mm_init() -> mm_iommu_init(): INIT_LIST_HEAD_RCU(&mm->context.iommu_group_mem_list) */
static int mm_context_init(struct fk *k, uint64_t mm)
{
	return list_init(k, mm + offsetof(struct mm_struct, context.iommu_group_mem_list),
			 fk_kva(mm) + offsetof(struct mm_struct, context.iommu_group_mem_list));
}

uint64_t FKT(fk_process_mm_new)(struct fk *k)
{
	uint64_t mm, pgd, size;
	unsigned bits[4];

	if (!tables(k))
		return 0;
	mm = fk_alloc(k, sizeof(struct mm_struct), 64);
	user_geometry(k, bits);
	size = 8ULL << bits[0];
	pgd = fk_alloc(k, size, size);
	if (!mm || !pgd || w64(k, mm + offsetof(struct mm_struct, pgd), fk_kva(pgd)) ||
	    w32(k, mm + offsetof(struct mm_struct, mm_users), 1) ||
	    w32(k, mm + offsetof(struct mm_struct, mm_count), 1) || mm_context_init(k, mm))
		return 0;
	return fk_kva(mm);
}

uint64_t FKT(fk_vfio_prereg)(struct fk *k, uint64_t mm, uint64_t ua, uint64_t entries,
			     const uint64_t *pfns, unsigned pageshift)
{
	struct fk_tables *t = tables(k);
	uint64_t mem, hpas_va, hpas, i, kva;
	unsigned ps = fk_opts(k)->page_shift;

	if (!t)
		return 0;
	if (!entries || (ua & (pagesize(k) - 1))) {
		tfail(k, "mm_iommu_new() refuses this region");
		return 0;
	}
	/* mm_iommu_do_alloc(): kzalloc'd region, vzalloc'd hpas[], each the pinned
	 * page's physical address once registration is done */
	mem = fk_alloc(k, sizeof(struct mm_iommu_table_group_mem_t), 64);
	hpas_va = vmalloc_area(k, t, entries * 8, &hpas);
	if (!mem || !hpas_va)
		return 0;
	for (i = 0; i < entries; i++)
		if (w64(k, hpas + 8 * i, pfns[i] << ps))
			return 0;
	kva = fk_kva(mem);
	if (w64(k, mem + offsetof(struct mm_iommu_table_group_mem_t, used), 1) ||
	    w64(k, mem + offsetof(struct mm_iommu_table_group_mem_t, mapped), 1) ||
	    w32(k, mem + offsetof(struct mm_iommu_table_group_mem_t, pageshift), pageshift) ||
	    w64(k, mem + offsetof(struct mm_iommu_table_group_mem_t, ua), ua) ||
	    w64(k, mem + offsetof(struct mm_iommu_table_group_mem_t, entries), entries) ||
	    w64(k, mem + offsetof(struct mm_iommu_table_group_mem_t, hpas), hpas_va) ||
	    w64(k, mem + offsetof(struct mm_iommu_table_group_mem_t, dev_hpa), ~0ULL) ||
	    /* list_add_rcu(&mem->next, &mm->context.iommu_group_mem_list) */
	    list_insert(k, kva + offsetof(struct mm_iommu_table_group_mem_t, next),
			mm + offsetof(struct mm_struct, context.iommu_group_mem_list), false))
		return 0;
	return kva;
}

int FKT(fk_vfio_mapped_add)(struct fk *k, uint64_t region, int64_t delta)
{
	uint64_t v, at = pa(region) + offsetof(struct mm_iommu_table_group_mem_t, mapped);

	if (!tables(k) || r64(k, at, &v))
		return -1;
	return w64(k, at, v + (uint64_t)delta);
}

/* vfio_register_iommu_driver(&tce_iommu_driver_ops): the driver, made once */
static uint64_t spapr_tce_driver(struct fk *k)
{
	static const char name[] = "iommu-vfio-powerpc";
	uint64_t drv = fk_alloc(k, sizeof(struct vfio_iommu_driver), 64);
	uint64_t ops = fk_alloc(k, sizeof(struct vfio_iommu_driver_ops), 64);
	uint64_t str = fk_alloc(k, sizeof(name), 8);

	if (!drv || !ops || !str || forge_write(fk_forge(k), str, name, sizeof(name)) ||
	    w64(k, ops + offsetof(struct vfio_iommu_driver_ops, name), fk_kva(str)) ||
	    w64(k, drv + offsetof(struct vfio_iommu_driver, ops), fk_kva(ops)) ||
	    list_init(k, drv + offsetof(struct vfio_iommu_driver, vfio_next),
		      fk_kva(drv) + offsetof(struct vfio_iommu_driver, vfio_next)))
		return 0;
	return fk_kva(drv);
}

uint64_t FKT(fk_vfio_container_new)(struct fk *k, uint64_t mm, bool v2)
{
	uint64_t vc, tc, drv;

	if (!tables(k))
		return 0;
	/* vfio_container_fops_open(), then VFIO_SET_IOMMU: tce_iommu_open() */
	vc = fk_alloc(k, sizeof(struct vfio_container), 64);
	tc = fk_alloc(k, sizeof(struct tce_container), 64);
	drv = spapr_tce_driver(k);
	if (!vc || !tc || !drv ||
	    w32(k, vc + offsetof(struct vfio_container, kref), 1) ||
	    list_init(k, vc + offsetof(struct vfio_container, group_list),
		      fk_kva(vc) + offsetof(struct vfio_container, group_list)) ||
	    w64(k, vc + offsetof(struct vfio_container, iommu_driver), drv) ||
	    w64(k, vc + offsetof(struct vfio_container, iommu_data), fk_kva(tc)) ||
	    mutex_init(k, tc + offsetof(struct tce_container, lock),
		       fk_kva(tc) + offsetof(struct tce_container, lock)) ||
	    forge_put_u8(fk_forge(k), tc + offsetof(struct tce_container, enabled), 1) ||
	    forge_put_u8(fk_forge(k), tc + offsetof(struct tce_container, v2), v2) ||
	    w64(k, tc + offsetof(struct tce_container, mm), mm) ||
	    list_init(k, tc + offsetof(struct tce_container, group_list),
		      fk_kva(tc) + offsetof(struct tce_container, group_list)) ||
	    list_init(k, tc + offsetof(struct tce_container, prereg_list),
		      fk_kva(tc) + offsetof(struct tce_container, prereg_list)))
		return 0;
	return fk_kva(vc);
}

static int container_tce(struct fk *k, uint64_t container, uint64_t *tc)
{
	return r64(k, pa(container) + offsetof(struct vfio_container, iommu_data), tc);
}

int FKT(fk_vfio_container_table)(struct fk *k, uint64_t container, int num, uint64_t tbl)
{
	uint64_t tc;

	if (!tables(k) || container_tce(k, container, &tc))
		return -1;
	if (num < 0 || num >= IOMMU_TABLE_GROUP_MAX_TABLES)
		return tfail(k, "no such container table");
	/* tce_iommu_create_window(): container->tables[num] = tbl */
	return w64(k, pa(tc) + offsetof(struct tce_container, tables) + 8 * (unsigned)num, tbl);
}

uint64_t FKT(fk_vfio_group_attach)(struct fk *k, uint64_t container, uint64_t pe)
{
	uint64_t grp, vg;

	if (!tables(k))
		return 0;
	/* iommu_register_group(): pe->table_group.group; VFIO_GROUP_SET_CONTAINER:
	 * iommu_group_claim_dma_owner(group->iommu_group, group) */
	grp = fk_alloc(k, sizeof(struct iommu_group), 64);
	vg = fk_alloc(k, sizeof(struct vfio_group), 64);
	if (!grp || !vg ||
	    w64(k, grp + offsetof(struct iommu_group, owner), fk_kva(vg)) ||
	    w64(k, vg + offsetof(struct vfio_group, iommu_group), fk_kva(grp)) ||
	    w64(k, vg + offsetof(struct vfio_group, container), container) ||
	    w64(k, pa(pe) + offsetof(struct pnv_ioda_pe, table_group.group), fk_kva(grp)))
		return 0;
	return fk_kva(vg);
}

/* ------------------------------------------------------------ memslots, user page tables */

/*
 * The user page tables of a VMM process, as book3s64 keeps them: radix (the radix tree
 * the MMU walks: index bits 13/9/9/5 for 64K pages, 13/9/9/9 for 4K) or hash (Linux's
 * own tree, which the hash MMU never reads: H_PGD/PUD/PMD/PTE_INDEX_SIZE 8/10/10/8 for
 * 64K, 9/9/7/9 for 4K), entries big-endian, a table pointer __pa(table) | 1 << 63
 * (radix adds the next level's index size, RADIX_*_VAL_BITS), a PTE
 * (pfn << PAGE_SHIFT) | _PAGE_PTE | _PAGE_PRESENT | READ | WRITE | ACCESSED | DIRTY.
 */
static void user_geometry(const struct fk *k, unsigned bits[4])
{
	const struct fk_opts *o = fk_opts(k);
	static const unsigned r64[4] = { 13, 9, 9, 5 }, r4[4] = { 13, 9, 9, 9 };
	static const unsigned h64[4] = { 8, 10, 10, 8 }, h4[4] = { 9, 9, 7, 9 };
	const unsigned *g = o->radix ? (o->page_shift == 16 ? r64 : r4)
				     : (o->page_shift == 16 ? h64 : h4);

	memcpy(bits, g, 4 * sizeof(*bits));
}

#define UPTE_PRESENT 0x8000000000000000ULL
#define UPTE_PTE 0x4000000000000000ULL
#define UPTE_USER_RW (0x4 | 0x2 | 0x100 | 0x80) /* READ WRITE ACCESSED DIRTY */
#define UPTE_RPN_MASK 0x01fffffffffff000ULL     /* 53 bits of physical address */

static uint64_t user_table_bytes(const struct fk *k, int level, const unsigned bits[4])
{
	uint64_t b = 8ULL << bits[level];

	/* a 64K hash PTE fragment keeps the hash slot details in a second half */
	if (level == 3 && !fk_opts(k)->radix && fk_opts(k)->page_shift == 16)
		b *= 2;
	return b < 256 ? 256 : b;
}

/* The entry for ua at the last level, allocating levels on the way when alloc. */
static int user_walk(struct fk *k, uint64_t pgd_phys, uint64_t ua, bool alloc, uint64_t *where)
{
	unsigned bits[4], shift[4], ps = fk_opts(k)->page_shift;
	uint64_t table = pgd_phys;
	int l;

	user_geometry(k, bits);
	shift[3] = ps;
	shift[2] = ps + bits[3];
	shift[1] = shift[2] + bits[2];
	shift[0] = shift[1] + bits[1];
	if (ua >> (shift[0] + bits[0]))
		return forge_fail(fk_forge(k), "0x%llx is beyond the user address space",
				  (unsigned long long)ua);
	for (l = 0; l < 3; l++) {
		uint64_t slot = table + 8 * ((ua >> shift[l]) & ((1ULL << bits[l]) - 1)), e;

		if (rbe64(k, slot, &e))
			return -1;
		if (!(e & UPTE_PRESENT)) {
			uint64_t size = user_table_bytes(k, l + 1, bits), t;

			if (!alloc) {
				*where = 0;
				return 0;
			}
			t = fk_alloc(k, size, size);
			if (!t)
				return -1;
			e = t | UPTE_PRESENT | (fk_opts(k)->radix ? bits[l + 1] : 0);
			if (wbe64(k, slot, e))
				return -1;
		}
		table = e & 0x0fffffffffffff00ULL;
	}
	*where = table + 8 * ((ua >> shift[3]) & ((1ULL << bits[3]) - 1));
	return 0;
}

static int mm_pgd(struct fk *k, uint64_t mm, uint64_t *pgd)
{
	uint64_t v;

	if (r64(k, pa(mm) + offsetof(struct mm_struct, pgd), &v))
		return -1;
	*pgd = pa(v);
	return 0;
}

int FKT(fk_user_map)(struct fk *k, uint64_t mm, uint64_t ua, uint64_t pfn)
{
	uint64_t pgd, where;

	if (!tables(k) || mm_pgd(k, mm, &pgd) || user_walk(k, pgd, ua, true, &where))
		return -1;
	return wbe64(k, where, ((pfn << fk_opts(k)->page_shift) & UPTE_RPN_MASK) | UPTE_PTE |
			       UPTE_PRESENT | UPTE_USER_RW);
}

int FKT(fk_user_translate)(struct fk *k, uint64_t mm, uint64_t ua, uint64_t *pfn)
{
	uint64_t pgd, where, e;

	if (!tables(k) || mm_pgd(k, mm, &pgd) || user_walk(k, pgd, ua, false, &where))
		return -1;
	if (!where || rbe64(k, where, &e) || !(e & UPTE_PRESENT))
		return forge_fail(fk_forge(k), "nothing mapped at 0x%llx",
				  (unsigned long long)ua);
	*pfn = (e & UPTE_RPN_MASK) >> fk_opts(k)->page_shift;
	return 0;
}

/* A memslot in the forge's books (the dump holds the truth). */
struct fk_slot {
	uint64_t kvm, slot; /* kernel virtual addresses */
	uint64_t base_gfn, npages, ua;
};

#define RB_BLACK 1

/*
 * Links nodes n[lo..hi) (sorted) as a balanced subtree under parent; nodes at depth
 * red_depth are red, the rest black (a valid red-black tree: the median split leaves
 * every NULL child at depth h-1 or h).  node(i) is node i's rb_node address, last(i)
 * its interval's end (0 for the gfn tree); returns the subtree root, 0 if empty, and
 * the subtree's largest last in *sub.
 */
struct rbb {
	struct fk *k;
	uint64_t *node;  /* rb_node kernel addresses, sorted */
	uint64_t *last;  /* interval ends, or NULL */
	unsigned red_depth;
	int err;
};

static uint64_t rb_build(struct rbb *b, unsigned lo, unsigned hi, uint64_t parent, unsigned depth,
			 uint64_t *sub)
{
	unsigned mid;
	uint64_t n, l, r, sl = 0, sr = 0, me;

	if (lo >= hi) {
		*sub = 0;
		return 0;
	}
	mid = lo + (hi - lo) / 2;
	n = b->node[mid];
	l = rb_build(b, lo, mid, n, depth + 1, &sl);
	r = rb_build(b, mid + 1, hi, n, depth + 1, &sr);
	me = b->last ? b->last[mid] : 0;
	if (sl > me)
		me = sl;
	if (sr > me)
		me = sr;
	*sub = me;
	if (w64(b->k, pa(n) + offsetof(struct rb_node, __rb_parent_color),
		parent | (depth == b->red_depth ? 0 : RB_BLACK)) ||
	    w64(b->k, pa(n) + offsetof(struct rb_node, rb_left), l) ||
	    w64(b->k, pa(n) + offsetof(struct rb_node, rb_right), r) ||
	    (b->last && w64(b->k, pa(n) + offsetof(struct interval_tree_node, __subtree_last), me)))
		b->err = -1;
	return n;
}

static unsigned tree_height(unsigned n)
{
	unsigned h = 0;

	while (n) {
		h++;
		n >>= 1;
	}
	return h;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Rebuilds one set's gfn_tree and hva_tree from the slots of kvm. */
static int slots_rebuild(struct fk *k, struct fk_tables *t, uint64_t kvm, unsigned idx)
{
	uint64_t set = kvm + offsetof(struct kvm, __memslots) + idx * sizeof(struct kvm_memslots);
	uint64_t keys[64][3], gfn[64], hva[64], last[64], root, sub;
	unsigned n = 0, i, h;
	struct rbb b = { .k = k };

	for (i = 0; i < t->nslots; i++)
		if (t->slots[i].kvm == kvm && n < 64) {
			keys[n][0] = t->slots[i].base_gfn;
			keys[n][1] = t->slots[i].slot;
			keys[n][2] = i;
			n++;
		}
	qsort(keys, n, sizeof(keys[0]), cmp_u64);
	for (i = 0; i < n; i++)
		gfn[i] = keys[i][1] + offsetof(struct kvm_memory_slot, gfn_node) +
			 idx * sizeof(struct rb_node);
	h = tree_height(n);
	b.node = gfn;
	b.red_depth = n == (1u << h) - 1 ? ~0u : h - 1;
	root = rb_build(&b, 0, n, 0, 0, &sub);
	if (b.err || w64(k, pa(set) + offsetof(struct kvm_memslots, gfn_tree), root))
		return -1;
	/* the hva tree, by start: the slots' userspace addresses */
	for (i = 0; i < n; i++) {
		const struct fk_slot *sl = &t->slots[keys[i][2]];

		keys[i][0] = sl->ua;
	}
	qsort(keys, n, sizeof(keys[0]), cmp_u64);
	for (i = 0; i < n; i++) {
		const struct fk_slot *sl = &t->slots[keys[i][2]];

		hva[i] = sl->slot + offsetof(struct kvm_memory_slot, hva_node) +
			 idx * sizeof(struct interval_tree_node);
		last[i] = sl->ua + (sl->npages << fk_opts(k)->page_shift) - 1;
	}
	b.node = hva;
	b.last = last;
	root = rb_build(&b, 0, n, 0, 0, &sub);
	if (b.err || w64(k, pa(set) + offsetof(struct kvm_memslots, hva_tree.rb_root), root) ||
	    w64(k, pa(set) + offsetof(struct kvm_memslots, hva_tree.rb_leftmost), n ? hva[0] : 0))
		return -1;
	return 0;
}

uint64_t FKT(fk_kvm_memslot_add)(struct fk *k, uint64_t kvm, int id, uint64_t base_gfn,
			    uint64_t npages, uint64_t ua)
{
	struct fk_tables *t = tables(k);
	uint64_t p, kva, active, gen;
	struct fk_slot *ns;
	unsigned idx, bucket;

	if (!t)
		return 0;
	if (!npages || id < 0 || id >= 512 || t->nslots >= 64) {
		tfail(k, "KVM_SET_USER_MEMORY_REGION refuses this slot");
		return 0;
	}
	p = fk_alloc(k, sizeof(struct kvm_memory_slot), 64);
	if (!p)
		return 0;
	kva = fk_kva(p);
	if (w64(k, p + offsetof(struct kvm_memory_slot, base_gfn), base_gfn) ||
	    w64(k, p + offsetof(struct kvm_memory_slot, npages), npages) ||
	    w64(k, p + offsetof(struct kvm_memory_slot, userspace_addr), ua) ||
	    forge_put_u16(fk_forge(k), p + offsetof(struct kvm_memory_slot, id), (uint16_t)id))
		return 0;
	for (idx = 0; idx < 2; idx++) {
		uint64_t node = p + offsetof(struct kvm_memory_slot, hva_node) +
				idx * sizeof(struct interval_tree_node);
		uint64_t set = pa(kvm) + offsetof(struct kvm, __memslots) +
			       idx * sizeof(struct kvm_memslots);
		uint64_t head, first, hn = kva + offsetof(struct kvm_memory_slot, id_node) +
					       idx * sizeof(struct hlist_node);

		if (w64(k, node + offsetof(struct interval_tree_node, start), ua) ||
		    w64(k, node + offsetof(struct interval_tree_node, last),
			ua + (npages << fk_opts(k)->page_shift) - 1))
			return 0;
		/* hash_add(slots->id_hash, &slot->id_node[idx], id): hash_32(id, 7) */
		bucket = (uint32_t)((uint32_t)id * 0x61C88647u) >> (32 - 7);
		head = set + offsetof(struct kvm_memslots, id_hash) + 8 * bucket;
		if (r64(k, head, &first) ||
		    w64(k, pa(hn) + offsetof(struct hlist_node, next), first) ||
		    (first && w64(k, pa(first) + offsetof(struct hlist_node, pprev),
				  hn + offsetof(struct hlist_node, next))) ||
		    w64(k, head, hn) ||
		    w64(k, pa(hn) + offsetof(struct hlist_node, pprev), fk_kva(head)))
			return 0;
	}
	ns = realloc(t->slots, (t->nslots + 1) * sizeof(*ns));
	if (!ns) {
		tfail(k, "out of memory");
		return 0;
	}
	t->slots = ns;
	ns[t->nslots++] = (struct fk_slot){ kvm, kva, base_gfn, npages, ua };
	if (slots_rebuild(k, t, kvm, 0) || slots_rebuild(k, t, kvm, 1))
		return 0;
	/* kvm_swap_active_memslots(): the other set becomes active, a new generation */
	if (r64(k, pa(kvm) + offsetof(struct kvm, memslots), &active))
		return 0;
	idx = active == kvm + offsetof(struct kvm, __memslots) ? 1 : 0;
	active = kvm + offsetof(struct kvm, __memslots) + idx * sizeof(struct kvm_memslots);
	if (r64(k, pa(kvm) + offsetof(struct kvm, __memslots) + (1 - idx) *
		   sizeof(struct kvm_memslots) + offsetof(struct kvm_memslots, generation), &gen) ||
	    w64(k, pa(active) + offsetof(struct kvm_memslots, generation), gen + 2) ||
	    w64(k, pa(kvm) + offsetof(struct kvm, memslots), active))
		return 0;
	{
		uint64_t pages;

		if (r64(k, pa(kvm) + offsetof(struct kvm, nr_memslot_pages), &pages) ||
		    w64(k, pa(kvm) + offsetof(struct kvm, nr_memslot_pages), pages + npages))
			return 0;
	}
	return kva;
}

int FKT(fk_kvm_gpa_to_ua)(struct fk *k, uint64_t kvm, uint64_t gpa, uint64_t *ua)
{
	struct fk_tables *t = tables(k);
	uint64_t gfn = gpa >> fk_opts(k)->page_shift;
	size_t i;

	if (!t)
		return -1;
	for (i = 0; i < t->nslots; i++)
		if (t->slots[i].kvm == kvm && gfn >= t->slots[i].base_gfn &&
		    gfn - t->slots[i].base_gfn < t->slots[i].npages) {
			*ua = t->slots[i].ua +
			      (gpa - (t->slots[i].base_gfn << fk_opts(k)->page_shift));
			return 0;
		}
	return forge_fail(fk_forge(k), "no memslot holds gpa 0x%llx", (unsigned long long)gpa);
}

/* ------------------------------------------------------------ modules */

/*
 * A module as 6.1's loader leaves it once its init has run (kernel/module/main.c,
 * sysfs.c, kallsyms.c): module_alloc()'d core memory in the vmalloc range, here four
 * pages: .text; .gnu.linkonce.this_module (the struct module) with .note.gnu.build-id
 * after it; .data, where fk_module_var() puts variables in order, each 8-aligned (as
 * fk_module_dwarf_write()'s object has them); the core kallsyms (symtab, typetab,
 * strtab).  sect_attrs and notes_attrs are kmalloc'd (add_sect_attrs(),
 * add_notes_attrs()).  mod->kallsyms is &mod->core_kallsyms, as after do_free_init():
 * every symbol with FK_KALLSYMS_ALL, those of executable sections only with
 * FK_KALLSYMS_TEXT (is_core_symbol() without CONFIG_KALLSYMS_ALL), NULL without
 * kallsyms.
 */
#define MOD_PAGES 4
#define MOD_VARS_MAX 32
#define MOD_SYMS_CAP 64
enum { MOD_TEXT, MOD_THIS, MOD_DATA, MOD_KSYMS };
/* .note.gnu.build-id, after the struct module (1024 bytes in 6.1, 1408 in 6.12) */
#define MOD_NOTE_OFF ((sizeof(struct module) + 511) & ~(size_t)511)
#define MOD_NOTE_SIZE 36   /* namesz, descsz, type, "GNU\0", 20 bytes */

static const char *const mod_sections[] = {
	".note.gnu.build-id", ".text", ".data", ".gnu.linkonce.this_module",
};
#define MOD_NSECTIONS (sizeof(mod_sections) / sizeof(mod_sections[0]))

struct fk_modvar {
	char name[64], pre[64], suf[32];
	uint64_t off, size;
	char type;
};

struct fk_module {
	char name[MODULE_NAME_LEN];
	uint64_t mod_va, core_va, core_phys;
	char build_id[41];
	struct fk_modvar vars[MOD_VARS_MAX];
	unsigned nvars;
	uint64_t data_used;
};

static struct fk_module *module_of(struct fk *k, struct fk_tables *t, uint64_t mod_va)
{
	size_t i;

	for (i = 0; t && i < t->nmods; i++)
		if (t->mods[i].mod_va == mod_va)
			return &t->mods[i];
	forge_fail(fk_forge(k), "0x%llx is no module the forge made",
		   (unsigned long long)mod_va);
	return NULL;
}

static uint64_t mod_page(const struct fk *k, const struct fk_module *m, int i, bool va)
{
	return (va ? m->core_va : m->core_phys) + (uint64_t)i * pagesize(k);
}

/* a 40-digit build id of the module's own: its name and the kernel's shape */
static void module_build_id(const struct fk *k, const char *name, char *out)
{
	uint64_t h[3] = { 0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL, 0x1234567887654321ULL };
	char shape[96];
	unsigned j;
	size_t i;

	snprintf(shape, sizeof(shape), "fk-module %s %d %u", name, (int)fk_opts(k)->endian,
		 fk_opts(k)->page_shift);
	for (j = 0; j < 3; j++)
		for (i = 0; shape[i]; i++) {
			h[j] ^= (unsigned char)shape[i] + j;
			h[j] *= 0x100000001b3ULL;
		}
	snprintf(out, 41, "%016llx%016llx%08llx", (unsigned long long)h[0],
		 (unsigned long long)h[1], (unsigned long long)(h[2] >> 32));
}

/* one Elf64_Sym of the core kallsyms, in the dump's byte order */
static int put_sym(struct fk *k, uint64_t at, uint32_t name, uint8_t info, uint16_t shndx,
		   uint64_t value, uint64_t size)
{
	struct forge *f = fk_forge(k);

	return forge_put_u32(f, at, name) || forge_put_u8(f, at + 4, info) ||
	       forge_put_u8(f, at + 5, 0) || forge_put_u16(f, at + 6, shndx) ||
	       forge_put_u64(f, at + 8, value) || forge_put_u64(f, at + 16, size) ? -1 : 0;
}

/* (Re)writes the module's core kallsyms and points mod->kallsyms at them. */
static int module_kallsyms(struct fk *k, struct fk_module *m)
{
	enum fk_kallsyms ks = fk_opts(k)->kallsyms;
	uint64_t mod = mod_page(k, m, MOD_THIS, false), base = mod_page(k, m, MOD_KSYMS, false);
	uint64_t base_va = mod_page(k, m, MOD_KSYMS, true);
	uint64_t symtab = base, typetab = base + 24 * MOD_SYMS_CAP;
	uint64_t strtab = typetab + MOD_SYMS_CAP, str = 1, n = 0;
	char text[80];
	unsigned i;

	if (ks == FK_KALLSYMS_NONE)
		return w64(k, mod + offsetof(struct module, kallsyms), 0);
	/* symbol 0 is the null symbol, as the loader keeps it */
	if (put_sym(k, symtab, 0, 0, 0, 0, 0) || forge_put_u8(fk_forge(k), typetab, 0))
		return -1;
	n = 1;
	snprintf(text, sizeof(text), "%s_fk_text", m->name);
	for (i = 0; i <= m->nvars; i++) {
		const char *name = i ? m->vars[i - 1].name : text;
		char type = i ? m->vars[i - 1].type : 'T';
		uint64_t value = i ? mod_page(k, m, MOD_DATA, true) + m->vars[i - 1].off :
				 mod_page(k, m, MOD_TEXT, true);

		if (i && ks != FK_KALLSYMS_ALL)
			break;
		if (strtab + str + strlen(name) + 1 > base + pagesize(k))
			return tfail(k, "module kallsyms: no room");
		if (forge_write(fk_forge(k), strtab + str, name, strlen(name) + 1) ||
		    put_sym(k, symtab + 24 * n, (uint32_t)str, i ? 0x11 : 0x12, i ? 3 : 2, value,
			    i ? m->vars[i - 1].size : 4) ||
		    forge_put_u8(fk_forge(k), typetab + n, (uint8_t)type))
			return -1;
		str += strlen(name) + 1;
		n++;
	}
	return w64(k, mod + offsetof(struct module, core_kallsyms.symtab), base_va) ||
	       w32(k, mod + offsetof(struct module, core_kallsyms.num_symtab), (uint32_t)n) ||
	       w64(k, mod + offsetof(struct module, core_kallsyms.strtab),
		   base_va + (strtab - base)) ||
	       w64(k, mod + offsetof(struct module, core_kallsyms.typetab),
		   base_va + (typetab - base)) ||
	       w64(k, mod + offsetof(struct module, kallsyms),
		   m->mod_va + offsetof(struct module, core_kallsyms)) ? -1 : 0;
}

/* add_sect_attrs() and add_notes_attrs(): the section addresses and the notes */
static int module_attrs(struct fk *k, struct fk_module *m)
{
	size_t n = MOD_NSECTIONS, i;
	uint64_t sa = fk_alloc(k, sizeof(struct module_sect_attrs) +
			       n * sizeof(struct module_sect_attr) + 256, 8);
	uint64_t na = fk_alloc(k, sizeof(struct module_notes_attrs) +
			       sizeof(struct bin_attribute), 8);
	uint64_t names = sa + sizeof(struct module_sect_attrs) +
			 n * sizeof(struct module_sect_attr);
	uint64_t mod = mod_page(k, m, MOD_THIS, false), note_name = 0;
	const uint64_t addr[] = {
		mod_page(k, m, MOD_THIS, true) + MOD_NOTE_OFF, mod_page(k, m, MOD_TEXT, true),
		mod_page(k, m, MOD_DATA, true), m->mod_va,
	};

	if (!sa || !na || w32(k, sa + offsetof(struct module_sect_attrs, nsections), (uint32_t)n))
		return -1;
	for (i = 0; i < n; i++) {
		uint64_t e = sa + offsetof(struct module_sect_attrs, attrs) +
			     i * sizeof(struct module_sect_attr);

		if (forge_write(fk_forge(k), names, mod_sections[i], strlen(mod_sections[i]) + 1) ||
		    w64(k, e + offsetof(struct module_sect_attr, battr.attr.name), fk_kva(names)) ||
		    forge_put_u16(fk_forge(k), e + offsetof(struct module_sect_attr,
							  battr.attr.mode), 0400) ||
		    w64(k, e + offsetof(struct module_sect_attr, battr.size), 3 + 16) ||
		    w64(k, e + offsetof(struct module_sect_attr, address), addr[i]))
			return -1;
		if (!i)
			note_name = fk_kva(names);
		names += strlen(mod_sections[i]) + 1;
	}
	if (w32(k, na + offsetof(struct module_notes_attrs, notes), 1) ||
	    w64(k, na + offsetof(struct module_notes_attrs, attrs[0].attr.name), note_name) ||
	    w64(k, na + offsetof(struct module_notes_attrs, attrs[0].size), MOD_NOTE_SIZE) ||
	    w64(k, na + offsetof(struct module_notes_attrs, attrs[0].private), addr[0]))
		return -1;
	return w64(k, mod + offsetof(struct module, sect_attrs), fk_kva(sa)) ||
	       w64(k, mod + offsetof(struct module, notes_attrs), fk_kva(na)) ? -1 : 0;
}

/* the module's .note.gnu.build-id, in the dump's byte order */
static int module_note(struct fk *k, struct fk_module *m)
{
	uint64_t at = mod_page(k, m, MOD_THIS, false) + MOD_NOTE_OFF;
	uint8_t id[20];
	unsigned i;

	for (i = 0; i < 20; i++) {
		char h[3] = { m->build_id[2 * i], m->build_id[2 * i + 1], 0 };

		id[i] = (uint8_t)strtoul(h, NULL, 16);
	}
	return w32(k, at, 4) || w32(k, at + 4, 20) || w32(k, at + 8, 3 /* NT_GNU_BUILD_ID */) ||
	       forge_write(fk_forge(k), at + 12, "GNU", 4) ||
	       forge_write(fk_forge(k), at + 16, id, sizeof(id)) ? -1 : 0;
}

#ifdef FK_TABLES_6_12
/* 6.12: mem[MOD_TEXT] the text page, mem[MOD_DATA] the rest (the struct module is in
 * .gnu.linkonce.this_module, data), every mem[]'s mtn.mod the module */
static int module_layout(struct fk *k, uint64_t mod, uint64_t core_va, uint64_t mod_va)
{
	uint64_t ps = pagesize(k);
	unsigned i;

	if (w64(k, mod + offsetof(struct module, mem[0].base), core_va) ||
	    w32(k, mod + offsetof(struct module, mem[0].size), (uint32_t)ps) ||
	    w64(k, mod + offsetof(struct module, mem[1].base), core_va + ps) ||
	    w32(k, mod + offsetof(struct module, mem[1].size), (uint32_t)((MOD_PAGES - 1) * ps)))
		return -1;
	for (i = 0; i < MOD_MEM_NUM_TYPES; i++)
		if (w64(k, mod + offsetof(struct module, mem) + i * sizeof(struct module_memory) +
			   offsetof(struct module_memory, mtn.mod), mod_va))
			return -1;
	return 0;
}
#else
/* 6.1: core_layout over every page (text first), init_layout empty */
static int module_layout(struct fk *k, uint64_t mod, uint64_t core_va, uint64_t mod_va)
{
	uint64_t ps = pagesize(k);

	return w64(k, mod + offsetof(struct module, core_layout.base), core_va) ||
	       w32(k, mod + offsetof(struct module, core_layout.size), (uint32_t)(MOD_PAGES * ps)) ||
	       w32(k, mod + offsetof(struct module, core_layout.text_size), (uint32_t)ps) ||
	       w32(k, mod + offsetof(struct module, core_layout.ro_size), (uint32_t)ps) ||
	       w32(k, mod + offsetof(struct module, core_layout.ro_after_init_size),
		   (uint32_t)ps) ||
	       w64(k, mod + offsetof(struct module, core_layout.mtn.mod), mod_va) ||
	       w64(k, mod + offsetof(struct module, init_layout.mtn.mod), mod_va) ? -1 : 0;
}
#endif

uint64_t FKT(fk_modules_init)(struct fk *k)
{
	struct fk_tables *t = tables(k);

	return t ? global_list(k, &t->modules, "modules") : 0;
}

uint64_t FKT(fk_module_new)(struct fk *k, const char *name)
{
	struct fk_tables *t = tables(k);
	uint64_t head, core_va, core_phys, ps = pagesize(k), mod_va, mod;
	struct fk_module *m;

	if (!t)
		return 0;
	if (strlen(name) >= MODULE_NAME_LEN) {
		tfail(k, "module name too long");
		return 0;
	}
	head = global_list(k, &t->modules, "modules");
	core_va = head ? vmalloc_area(k, t, MOD_PAGES * ps, &core_phys) : 0;
	if (!core_va)
		return 0;
	m = realloc(t->mods, (t->nmods + 1) * sizeof(*m));
	if (!m) {
		tfail(k, "out of memory");
		return 0;
	}
	t->mods = m;
	m = &t->mods[t->nmods++];
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->core_va = core_va;
	m->core_phys = core_phys;
	m->mod_va = mod_va = core_va + MOD_THIS * ps;
	mod = core_phys + MOD_THIS * ps;
	module_build_id(k, name, m->build_id);
	if (w32(k, mod + offsetof(struct module, state), MODULE_STATE_LIVE) ||
	    forge_write(fk_forge(k), mod + offsetof(struct module, name), name,
			strlen(name) + 1) ||
	    module_layout(k, mod, core_va, mod_va) ||
	    module_note(k, m) || module_attrs(k, m) || module_kallsyms(k, m) ||
	    /* list_add_rcu(&mod->list, &modules) */
	    list_insert(k, mod_va + offsetof(struct module, list), fk_kva(head), false))
		return 0;
	return mod_va;
}

uint64_t FKT(fk_module_var)(struct fk *k, uint64_t mod, const char *name, const char *pre,
		       const char *suf, uint64_t size, char type)
{
	struct fk_tables *t = tables(k);
	struct fk_module *m = module_of(k, t, mod);
	struct fk_modvar *v;
	uint64_t off;

	if (!m)
		return 0;
	off = (m->data_used + 7) & ~7ULL;
	if (m->nvars == MOD_VARS_MAX || off + size > pagesize(k) || strlen(name) >= 64 ||
	    strlen(pre) >= 64 || strlen(suf) >= 32) {
		tfail(k, "fk_module_var: no room for it");
		return 0;
	}
	v = &m->vars[m->nvars++];
	snprintf(v->name, sizeof(v->name), "%s", name);
	snprintf(v->pre, sizeof(v->pre), "%s", pre);
	snprintf(v->suf, sizeof(v->suf), "%s", suf);
	v->off = off;
	v->size = size;
	v->type = type;
	m->data_used = off + size;
	if (module_kallsyms(k, m))
		return 0;
	return mod_page(k, m, MOD_DATA, true) + off;
}

const char *FKT(fk_module_build_id)(struct fk *k, uint64_t mod)
{
	struct fk_module *m = module_of(k, tables(k), mod);

	return m ? m->build_id : NULL;
}

int FKT(fk_module_source)(struct fk *k, uint64_t mod, FILE *f, const char **build_id,
		     const char **name)
{
	struct fk_module *m = module_of(k, tables(k), mod);
	unsigned i;

	if (!m)
		return -1;
	/* at .text's start, where kallsyms has it */
	fprintf(f, "void %s_fk_text(void) {}\n", m->name);
	/* in .data in this order (-fno-toplevel-reorder), each 8-aligned: where
	 * fk_module_var() put them */
	for (i = 0; i < m->nvars; i++)
		fprintf(f, "__attribute__((section(\".data\"), aligned(8))) %s%s%s;\n",
			m->vars[i].pre, m->vars[i].name, m->vars[i].suf);
	*build_id = m->build_id;
	*name = m->name;
	return 0;
}

/* Modular KVM: vm_list is kvm.ko's (kvm_main.c's LIST_HEAD(vm_list)) */
static int kvm_module_vm_list(struct fk *k, struct fk_tables *t)
{
	uint64_t mod = 0, va, phys;
	size_t i;

	for (i = 0; i < t->nmods; i++)
		if (!strcmp(t->mods[i].name, "kvm"))
			mod = t->mods[i].mod_va;
	if (!mod)
		mod = fk_module_new(k, "kvm");
	/* kvm_main.c's kvm_rebooting first, so that vm_list is not at .data's start */
	va = mod ? fk_module_var(k, mod, "kvm_rebooting", "int ", "", sizeof(int), 'D') : 0;
	va = va ? fk_module_var(k, mod, "vm_list", "struct list_head ", "",
				sizeof(struct list_head), 'D') : 0;
	if (!va || fk_vmalloc_translate(k, va, &phys) || list_init(k, phys, va))
		return -1;
	t->vm_list = phys;
	t->vm_list_kva = va;
	return 0;
}

/* ------------------------------------------------------------ offsets for tests */

#define OFF(s, m) { #s "." #m, offsetof(struct s, m) }
#define SZ(s) { #s, sizeof(struct s) }

long FKT(fk_types_offsetof)(const char *what)
{
	static const struct {
		const char *name;
		size_t value;
	} tab[] = {
		SZ(list_head), OFF(list_head, next), OFF(list_head, prev),
		SZ(page), OFF(page, flags), OFF(page, _mapcount), OFF(page, _refcount),
#ifndef FK_TABLES_6_12
		OFF(page, compound_order),
#endif
		OFF(page, mapping),
		SZ(vmemmap_backing), OFF(vmemmap_backing, phys), OFF(vmemmap_backing, virt_addr),
		SZ(mmu_psize_def), OFF(mmu_psize_def, shift),
		SZ(iommu_table), OFF(iommu_table, it_busno), OFF(iommu_table, it_size),
		OFF(iommu_table, it_indirect_levels), OFF(iommu_table, it_level_size),
		OFF(iommu_table, it_allocated_size), OFF(iommu_table, it_offset),
		OFF(iommu_table, it_base), OFF(iommu_table, it_index), OFF(iommu_table, it_type),
		OFF(iommu_table, it_blocksize), OFF(iommu_table, large_pool),
		OFF(iommu_table, pools), OFF(iommu_table, it_map),
		OFF(iommu_table, it_page_shift), OFF(iommu_table, it_group_list),
		OFF(iommu_table, it_userspace), OFF(iommu_table, it_ops),
		OFF(iommu_table, it_kref), OFF(iommu_table, it_nid),
		OFF(iommu_table, it_reserved_start), OFF(iommu_table, it_reserved_end),
		SZ(iommu_pool),
		SZ(iommu_table_group), OFF(iommu_table_group, pgsizes),
		OFF(iommu_table_group, max_levels), OFF(iommu_table_group, tables),
		OFF(iommu_table_group, ops),
		SZ(iommu_table_group_link), OFF(iommu_table_group_link, table_group),
		SZ(pci_controller), OFF(pci_controller, list_node),
		OFF(pci_controller, global_number), OFF(pci_controller, private_data),
		SZ(pnv_phb), OFF(pnv_phb, hose), OFF(pnv_phb, ioda),
		OFF(pnv_phb, ioda.total_pe_num), OFF(pnv_phb, ioda.pe_array),
		OFF(pnv_phb, ioda.pe_list), OFF(pnv_phb, ioda.pe_rmap), OFF(pnv_phb, diag_data),
		SZ(pnv_ioda_pe), OFF(pnv_ioda_pe, phb), OFF(pnv_ioda_pe, pe_number),
		OFF(pnv_ioda_pe, table_group), OFF(pnv_ioda_pe, list),
		SZ(kvmppc_spapr_tce_table), OFF(kvmppc_spapr_tce_table, list),
		OFF(kvmppc_spapr_tce_table, kvm), OFF(kvmppc_spapr_tce_table, liobn),
		OFF(kvmppc_spapr_tce_table, rcu), OFF(kvmppc_spapr_tce_table, page_shift),
		OFF(kvmppc_spapr_tce_table, offset), OFF(kvmppc_spapr_tce_table, size),
		OFF(kvmppc_spapr_tce_table, iommu_tables),
		OFF(kvmppc_spapr_tce_table, alloc_lock), OFF(kvmppc_spapr_tce_table, pages),
		SZ(kvmppc_spapr_tce_iommu_table), OFF(kvmppc_spapr_tce_iommu_table, next),
		OFF(kvmppc_spapr_tce_iommu_table, tbl), OFF(kvmppc_spapr_tce_iommu_table, kref),
		SZ(kvm_arch), OFF(kvm_arch, radix), OFF(kvm_arch, spapr_tce_tables),
		SZ(mm_struct), OFF(mm_struct, pgd), OFF(mm_struct, mm_users),
		OFF(mm_struct, context.iommu_group_mem_list),
		SZ(mm_iommu_table_group_mem_t), OFF(mm_iommu_table_group_mem_t, next),
		OFF(mm_iommu_table_group_mem_t, used), OFF(mm_iommu_table_group_mem_t, mapped),
		OFF(mm_iommu_table_group_mem_t, pageshift), OFF(mm_iommu_table_group_mem_t, ua),
		OFF(mm_iommu_table_group_mem_t, entries), OFF(mm_iommu_table_group_mem_t, hpas),
		OFF(mm_iommu_table_group_mem_t, dev_hpa),
		SZ(tce_container), OFF(tce_container, v2), OFF(tce_container, mm),
		OFF(tce_container, tables), OFF(vfio_container, iommu_driver),
		OFF(vfio_container, iommu_data),
		OFF(iommu_group, owner), OFF(vfio_group, container), OFF(vfio_group, iommu_group),
		OFF(iommu_table_group, group), OFF(folio, _pincount),
		SZ(kvm_memslots), OFF(kvm_memslots, generation), OFF(kvm_memslots, hva_tree),
		OFF(kvm_memslots, gfn_tree), OFF(kvm_memslots, id_hash),
		OFF(kvm_memslots, node_idx),
		SZ(kvm_memory_slot), OFF(kvm_memory_slot, id_node), OFF(kvm_memory_slot, hva_node),
		OFF(kvm_memory_slot, gfn_node), OFF(kvm_memory_slot, base_gfn),
		OFF(kvm_memory_slot, npages), OFF(kvm_memory_slot, userspace_addr),
		OFF(kvm_memory_slot, id),
		SZ(rb_node), OFF(rb_node, __rb_parent_color), OFF(rb_node, rb_right),
		OFF(rb_node, rb_left), SZ(interval_tree_node), OFF(interval_tree_node, start),
		OFF(interval_tree_node, last), OFF(interval_tree_node, __subtree_last),
		SZ(kvm), OFF(kvm, mm), OFF(kvm, __memslots), OFF(kvm, memslots),
		OFF(kvm, vm_list), OFF(kvm, arch),
		OFF(kvm, arch.spapr_tce_tables), OFF(kvm, users_count),
		OFF(kvm, userspace_pid),
		SZ(module), OFF(module, state), OFF(module, list), OFF(module, name),
#ifdef FK_TABLES_6_12
		OFF(module, mem), OFF(module, mem[0].base), SZ(module_memory),
		OFF(module_memory, mtn),
#else
		OFF(module, core_layout), OFF(module, core_layout.base),
#endif
		OFF(module, kallsyms),
		OFF(module, core_kallsyms), OFF(module, sect_attrs), OFF(module, notes_attrs),
		OFF(module_sect_attrs, nsections), OFF(module_sect_attrs, attrs),
		SZ(module_sect_attr), OFF(module_sect_attr, address),
		OFF(mod_kallsyms, num_symtab), OFF(mod_kallsyms, symtab),
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(tab[i].name, what))
			return (long)tab[i].value;
	return -1;
}
