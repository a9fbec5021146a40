// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of kernel/src/arch/powerpc/kvm/book3s_64_vio_hv.c, the
 * real-mode H_PUT_TCE / H_PUT_TCE_INDIRECT / H_STUFF_TCE handlers the series
 * adds, compiled unchanged against kernel/shim together with the real-mode
 * page API they use.  The window check is compared with an independent
 * statement of the virtual-mode rule; the handlers run on a TCE table, guest
 * memslots, host page tables and struct pages held in host memory, and every
 * refusal is checked to leave the table, the reference counts and the lock
 * as they were.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include <shim/kvm.h>
#include <asm/realmode_page.h>

#define LIOBN		0x80000001UL
#define IOMMU_SHIFT	16
#define WIN_OFFSET	0x100UL		/* in IOMMU pages */
#define WIN_PAGES	3UL		/* TCE table pages */
#define WIN_SIZE	(WIN_PAGES * TCES_PER_PAGE)
#define GUEST_RAM	(1UL << 30)
#define GUEST_HVA	0x7e0000000000UL	/* where "QEMU" maps guest RAM */
#define LIST_GPA	0x2000000UL		/* the guest's TCE list */

static struct kvm kvm;
static struct kvm_vcpu vcpu;
static struct mm_struct mm;
static struct kvmppc_spapr_tce_table *stt;
static u64 *tbl[WIN_PAGES];
static __be64 *list;		/* host page holding the guest's TCE list */
static struct page *list_page;	/* its struct page, through the index */
static struct list_head fake_vfio;

static void *page_alloc(void)
{
	void *p;

	ck_assert_int_eq(posix_memalign(&p, PAGE_SIZE, PAGE_SIZE), 0);
	memset(p, 0, PAGE_SIZE);
	return p;
}

/* Puts the vmemmap block holding @pfn's struct page in the index. */
static struct page *back_struct_page(unsigned long pfn)
{
	unsigned long va = (unsigned long)pfn_to_page(pfn);
	unsigned long bs = 1UL << mmu_psize_defs[mmu_vmemmap_psize].shift;
	unsigned long start = va & ~(bs - 1);
	struct vmemmap_backing *vb = calloc(1, sizeof(*vb));
	void *blk;

	ck_assert_int_eq(posix_memalign(&blk, bs, bs), 0);
	memset(blk, 0, bs);
	vb->phys = (unsigned long)blk;
	vb->virt_addr = start;
	vb->list = vmemmap_list;
	vmemmap_list = vb;
	vmemmap_rm_index_add(start, vb->phys, 0);
	return (struct page *)(vb->phys + (va - start));
}

static void map_host(unsigned long hva, unsigned long pfn, unsigned long flags,
		     unsigned int hshift)
{
	ck_assert_int_lt(mm.used, SHIM_MAX_PTES);
	mm.hva[mm.used] = hva;
	mm.pte[mm.used].pte = (pfn << SHIM_PTE_RPN_SHIFT) | flags;
	mm.hshift[mm.used] = hshift;
	mm.used++;
}

static void setup(void)
{
	unsigned long i;

	mmu_vmemmap_psize = 3;
	mmu_psize_defs[3].shift = 16;

	INIT_LIST_HEAD(&kvm.arch.spapr_tce_tables);
	kvm.mm = &mm;
	vcpu.kvm = &kvm;
	kvm.memslots.slots[0].base_gfn = 0;
	kvm.memslots.slots[0].npages = GUEST_RAM >> PAGE_SHIFT;
	kvm.memslots.slots[0].userspace_addr = GUEST_HVA;
	kvm.memslots.used = 1;

	stt = calloc(1, sizeof(*stt) + WIN_PAGES * sizeof(struct page *));
	ck_assert_ptr_nonnull(stt);
	stt->kvm = &kvm;
	stt->liobn = LIOBN;
	stt->page_shift = IOMMU_SHIFT;
	stt->offset = WIN_OFFSET;
	stt->size = WIN_SIZE;
	INIT_LIST_HEAD(&stt->iommu_tables);
	list_add(&stt->list, &kvm.arch.spapr_tce_tables);
	/* Table pages 0 and 2 allocated, 1 not yet (lazily allocated). */
	for (i = 0; i < WIN_PAGES; i++) {
		if (i == 1)
			continue;
		tbl[i] = page_alloc();
		stt->pages[i] = pfn_to_page((unsigned long)tbl[i] >> PAGE_SHIFT);
	}

	list = page_alloc();
	list_page = back_struct_page((unsigned long)list >> PAGE_SHIFT);
	atomic_set(&list_page->_refcount, 1);	/* QEMU's mapping */
	map_host(GUEST_HVA + LIST_GPA, (unsigned long)list >> PAGE_SHIFT,
		 SHIM_PTE_PRESENT, 0);
	INIT_LIST_HEAD(&fake_vfio);
}

static unsigned long ioba_of(unsigned long idx)
{
	return (WIN_OFFSET + idx) << IOMMU_SHIFT;
}

static u64 *entry(unsigned long idx)
{
	u64 *t = tbl[idx / TCES_PER_PAGE];

	return t ? &t[idx % TCES_PER_PAGE] : NULL;
}

/* A copy of the table, to show that a refused hcall wrote nothing. */
struct snap {
	u64 t[WIN_PAGES][TCES_PER_PAGE];
	struct page *pages[WIN_PAGES];
	int list_refs;
};

static void take(struct snap *s)
{
	unsigned long i;

	for (i = 0; i < WIN_PAGES; i++) {
		s->pages[i] = stt->pages[i];
		if (tbl[i])
			memcpy(s->t[i], tbl[i], PAGE_SIZE);
	}
	s->list_refs = page_ref_count(list_page);
}

static void unchanged(const struct snap *s)
{
	unsigned long i;

	ck_assert_int_eq(kvm.mmu_lock.rlock.raw_lock.slock, 0);
	ck_assert_int_eq(page_ref_count(list_page), s->list_refs);
	for (i = 0; i < WIN_PAGES; i++) {
		ck_assert_ptr_eq(stt->pages[i], s->pages[i]);
		if (tbl[i])
			ck_assert_int_eq(memcmp(s->t[i], tbl[i], PAGE_SIZE), 0);
	}
}

#define TCE(gpa, perm)	((u64)(gpa) | (perm))
#define RW		(TCE_PCI_READ | TCE_PCI_WRITE)

/* ---- the window check, against the rule stated independently ---- */

static long spec_ioba(u32 shift, u64 off, u64 size, unsigned long ioba,
		      unsigned long npages)
{
	unsigned __int128 first = ioba >> shift;

	if (ioba & ((1UL << shift) - 1))
		return H_PARAMETER;
	if (first < off || first + npages > (unsigned __int128)off + size)
		return H_PARAMETER;
	return H_SUCCESS;
}

START_TEST(ioba_matches_rule)
{
	struct kvmppc_spapr_tce_table w = { 0 };
	unsigned long i, fails = 0;

	srandom(3);
	for (i = 0; i < 2000000; i++) {
		unsigned long ioba, npages;

		w.page_shift = 12 + random() % 23;
		w.offset = random() % 4096;
		w.size = 1 + random() % 8192;
		ioba = (w.offset + random() % 10000 - 1000) << w.page_shift;
		if (random() & 1)
			ioba |= random() & ((1UL << w.page_shift) - 1);
		npages = random() % 600;
		switch (random() % 8) {
		case 0:
			npages = ~0UL - random() % 4096;
			break;
		case 1:
			ioba = ~0UL << w.page_shift;
			break;
		case 2:
			npages = w.offset + w.size - (ioba >> w.page_shift);
			break;
		}
		if (kvmppc_rm_ioba_validate(&w, ioba, npages) !=
		    spec_ioba(w.page_shift, w.offset, w.size, ioba, npages))
			fails++;
	}
	ck_assert_uint_eq(fails, 0);
}
END_TEST

/* ---- H_PUT_TCE ---- */

START_TEST(put_tce_maps)
{
	setup();
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN, ioba_of(5),
					     TCE(0x30000, RW)), H_SUCCESS);
	ck_assert_uint_eq(*entry(5), TCE(0x30000, RW));
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN, ioba_of(2 * TCES_PER_PAGE + 7),
					     TCE(0x40000, TCE_PCI_READ)),
			 H_SUCCESS);
	ck_assert_uint_eq(*entry(2 * TCES_PER_PAGE + 7),
			  TCE(0x40000, TCE_PCI_READ));
	/* Clearing, and poisoning: no permission bits, any other bits. */
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN, ioba_of(5), 0),
			 H_SUCCESS);
	ck_assert_uint_eq(*entry(5), 0);
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN, ioba_of(6),
					     0xdead0000beef0000UL), H_SUCCESS);
	ck_assert_uint_eq(*entry(6), 0xdead0000beef0000UL);
}
END_TEST

START_TEST(put_tce_refusals)
{
	struct kvm_memory_slot *slot = &kvm.memslots.slots[0];
	struct snap s;

	setup();
	take(&s);
	/* Parameter errors come back as virtual mode returns them. */
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN, ioba_of(0) + 8,
					     TCE(0x30000, RW)), H_PARAMETER);
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN, ioba_of(-1UL),
					     TCE(0x30000, RW)), H_PARAMETER);
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN, ioba_of(WIN_SIZE),
					     TCE(0x30000, RW)), H_PARAMETER);
	/* The rest goes to virtual mode. */
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN + 1, ioba_of(0),
					     TCE(0x30000, RW)), H_TOO_HARD);
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN, ioba_of(0),
					     TCE(0x31000, RW)), H_TOO_HARD);
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN, ioba_of(0),
					     TCE(GUEST_RAM, RW)), H_TOO_HARD);
	/* A table page not allocated yet. */
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN,
					     ioba_of(TCES_PER_PAGE + 1),
					     TCE(0x30000, RW)), H_TOO_HARD);
	/* A memslot being deleted. */
	slot->flags |= KVM_MEMSLOT_INVALID;
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN, ioba_of(0),
					     TCE(0x30000, RW)), H_TOO_HARD);
	slot->flags = 0;
	/* A VFIO group on the LIOBN. */
	list_add(&fake_vfio, &stt->iommu_tables);
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN, ioba_of(0),
					     TCE(0x30000, RW)), H_TOO_HARD);
	unchanged(&s);
	/* Zero into a missing page needs nothing. */
	stt->iommu_tables.next = &stt->iommu_tables;
	ck_assert_int_eq(kvmppc_rm_h_put_tce(&vcpu, LIOBN,
					     ioba_of(TCES_PER_PAGE + 1), 0),
			 H_SUCCESS);
	unchanged(&s);
}
END_TEST

/* ---- H_STUFF_TCE ---- */

START_TEST(stuff_tce)
{
	unsigned long i;
	struct snap s;

	setup();
	ck_assert_int_eq(kvmppc_rm_h_stuff_tce(&vcpu, LIOBN, ioba_of(10),
					       0xab00, 100), H_SUCCESS);
	for (i = 10; i < 110; i++)
		ck_assert_uint_eq(*entry(i), 0xab00);
	ck_assert_uint_eq(*entry(9), 0);
	ck_assert_uint_eq(*entry(110), 0);

	take(&s);
	ck_assert_int_eq(kvmppc_rm_h_stuff_tce(&vcpu, LIOBN, ioba_of(10),
					       TCE(0, TCE_PCI_READ), 1),
			 H_PARAMETER);
	ck_assert_int_eq(kvmppc_rm_h_stuff_tce(&vcpu, LIOBN, ioba_of(10),
					       0, ~0UL), H_PARAMETER);
	ck_assert_int_eq(kvmppc_rm_h_stuff_tce(&vcpu, LIOBN, ioba_of(10),
					       0, WIN_SIZE), H_PARAMETER);
	/* Across the missing page with a value: refused, nothing written. */
	ck_assert_int_eq(kvmppc_rm_h_stuff_tce(&vcpu, LIOBN,
					       ioba_of(TCES_PER_PAGE - 4),
					       0x5500, 8), H_TOO_HARD);
	/* Longer than real mode wants to spend with interrupts off. */
	ck_assert_int_eq(kvmppc_rm_h_stuff_tce(&vcpu, LIOBN, ioba_of(0), 0,
					       TCES_PER_PAGE + 1), H_TOO_HARD);
	list_add(&fake_vfio, &stt->iommu_tables);
	ck_assert_int_eq(kvmppc_rm_h_stuff_tce(&vcpu, LIOBN, ioba_of(10), 0,
					       1), H_TOO_HARD);
	unchanged(&s);
	stt->iommu_tables.next = &stt->iommu_tables;

	/* Zero across the missing page: the present entries are cleared. */
	ck_assert_int_eq(kvmppc_rm_h_stuff_tce(&vcpu, LIOBN,
					       ioba_of(TCES_PER_PAGE - 4), 0,
					       8), H_SUCCESS);
	*entry(TCES_PER_PAGE - 5) = 1;
	ck_assert_int_eq(kvmppc_rm_h_stuff_tce(&vcpu, LIOBN, ioba_of(10), 0,
					       100), H_SUCCESS);
	for (i = 10; i < 110; i++)
		ck_assert_uint_eq(*entry(i), 0);
	ck_assert_ptr_null(stt->pages[1]);
}
END_TEST

/* ---- H_PUT_TCE_INDIRECT ---- */

static void fill_list(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		list[i] = cpu_to_be64(TCE((i + 1) << IOMMU_SHIFT, RW));
}

static long indirect(unsigned long idx, unsigned long n)
{
	return kvmppc_rm_h_put_tce_indirect(&vcpu, LIOBN, ioba_of(idx),
					    LIST_GPA, n);
}

START_TEST(indirect_maps)
{
	unsigned long i;

	setup();
	fill_list(512);
	ck_assert_int_eq(indirect(2 * TCES_PER_PAGE, 512), H_SUCCESS);
	for (i = 0; i < 512; i++)
		ck_assert_uint_eq(*entry(2 * TCES_PER_PAGE + i),
				  TCE((i + 1) << IOMMU_SHIFT, RW));
	/* The reference taken in real mode was dropped again. */
	ck_assert_int_eq(page_ref_count(list_page), 1);
	ck_assert_int_eq(kvm.mmu_lock.rlock.raw_lock.slock, 0);
	ck_assert_ptr_null(vcpu.arch.tce_rm_put_page);
	/* Zero entries into a missing page are fine. */
	memset(list, 0, 16 * sizeof(*list));
	ck_assert_int_eq(indirect(TCES_PER_PAGE, 16), H_SUCCESS);
	ck_assert_ptr_null(stt->pages[1]);
}
END_TEST

START_TEST(indirect_refusals)
{
	struct snap s;

	setup();
	fill_list(512);
	take(&s);
	ck_assert_int_eq(indirect(0, 513), H_PARAMETER);
	ck_assert_int_eq(kvmppc_rm_h_put_tce_indirect(&vcpu, LIOBN, ioba_of(0),
						      LIST_GPA + 8, 1),
			 H_PARAMETER);
	ck_assert_int_eq(indirect(WIN_SIZE - 4, 8), H_PARAMETER);
	ck_assert_int_eq(kvmppc_rm_h_put_tce_indirect(&vcpu, LIOBN + 1,
						      ioba_of(0), LIST_GPA, 1),
			 H_TOO_HARD);
	/* One bad entry at the end: nothing of the list is written. */
	list[511] = cpu_to_be64(TCE(0x1000, RW));
	ck_assert_int_eq(indirect(0, 512), H_TOO_HARD);
	list[511] = cpu_to_be64(TCE(GUEST_RAM + 0x10000, RW));
	ck_assert_int_eq(indirect(0, 512), H_TOO_HARD);
	/* Poison outside every memslot: virtual mode would fail half way. */
	list[511] = cpu_to_be64(GUEST_RAM + 0x10000);
	ck_assert_int_eq(indirect(0, 512), H_TOO_HARD);
	fill_list(512);
	/* The target range crosses the missing table page. */
	ck_assert_int_eq(indirect(TCES_PER_PAGE - 4, 8), H_TOO_HARD);
	/* A VFIO group on the LIOBN. */
	list_add(&fake_vfio, &stt->iommu_tables);
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	stt->iommu_tables.next = &stt->iommu_tables;
	unchanged(&s);
}
END_TEST

/* What real mode cannot do with the page holding the list. */
START_TEST(indirect_list_page)
{
	unsigned long lpfn;
	struct snap s;

	setup();
	lpfn = (unsigned long)list >> PAGE_SHIFT;
	fill_list(8);
	take(&s);

	list_page->flags = 1UL << PG_head;		/* compound */
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	list_page->flags = 0;
	list_page->compound_head = 0x1234561;		/* tail */
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	list_page->compound_head = 0;
	unchanged(&s);

	atomic_set(&list_page->_refcount, 0);		/* being freed */
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	ck_assert_int_eq(page_ref_count(list_page), 0);
	atomic_set(&list_page->_refcount, 1);

	kvm.mmu_invalidate_in_progress = 1;		/* notifier running */
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	kvm.mmu_invalidate_in_progress = 0;

	mm.pte[0].pte &= ~SHIM_PTE_PRESENT;		/* swapped out */
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	mm.pte[0].pte |= SHIM_PTE_PRESENT | SHIM_PTE_SPECIAL;
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	mm.pte[0].pte &= ~SHIM_PTE_SPECIAL;
	mm.pte[0].pte |= SHIM_PTE_DEVMAP;
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	mm.pte[0].pte &= ~SHIM_PTE_DEVMAP;

	/* The list's gpa in no memslot. */
	ck_assert_int_eq(kvmppc_rm_h_put_tce_indirect(&vcpu, LIOBN, ioba_of(0),
						      GUEST_RAM, 8),
			 H_TOO_HARD);
	unchanged(&s);

	/* A pfn whose struct page real mode cannot reach (no block). */
	mm.pte[0].pte = ((lpfn + (1UL << 30)) << SHIM_PTE_RPN_SHIFT) |
			SHIM_PTE_PRESENT;
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	mm.pte[0].pte = (lpfn << SHIM_PTE_RPN_SHIFT) | SHIM_PTE_PRESENT;
	unchanged(&s);

	ck_assert_int_eq(indirect(0, 8), H_SUCCESS);
}
END_TEST

/* A reference real mode could not drop: virtual mode drops it first. */
START_TEST(indirect_deferred_put)
{
	struct snap s;

	setup();
	fill_list(8);
	atomic_set(&list_page->_refcount, 2);
	vcpu.arch.tce_rm_put_page = pfn_to_page(0x1234);
	take(&s);
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	unchanged(&s);
	/* The shim's put_page() works on the real-mode alias. */
	vcpu.arch.tce_rm_put_page = list_page;
	kvmppc_rm_tce_put_deferred(&vcpu);
	ck_assert_ptr_null(vcpu.arch.tce_rm_put_page);
	ck_assert_int_eq(page_ref_count(list_page), 1);
	kvmppc_rm_tce_put_deferred(&vcpu);
	ck_assert_int_eq(page_ref_count(list_page), 1);
	ck_assert_int_eq(indirect(0, 8), H_SUCCESS);
}
END_TEST

/* The list in a 16M host page: the pfn is the head's plus the offset. */
START_TEST(indirect_huge_host_page)
{
	unsigned long lpfn, sub = 5, hva;

	setup();
	lpfn = (unsigned long)list >> PAGE_SHIFT;
	fill_list(4);
	hva = GUEST_HVA + 0x4000000UL + sub * PAGE_SIZE;
	/* gpa 0x4000000 + 5 pages, in a huge page whose head is lpfn - 5 */
	map_host(GUEST_HVA + 0x4000000UL, lpfn - sub, SHIM_PTE_PRESENT, 24);
	ck_assert_uint_eq(hva - GUEST_HVA, 0x4000000UL + sub * PAGE_SIZE);
	ck_assert_int_eq(kvmppc_rm_h_put_tce_indirect(&vcpu, LIOBN, ioba_of(0),
						      0x4000000UL +
						      sub * PAGE_SIZE, 4),
			 H_SUCCESS);
	ck_assert_uint_eq(*entry(3), TCE(4UL << IOMMU_SHIFT, RW));
	ck_assert_int_eq(page_ref_count(list_page), 1);
}
END_TEST

static Suite *rm_tce_suite(void)
{
	Suite *s = suite_create("rm_tce");
	TCase *tc = tcase_create("hcalls");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, ioba_matches_rule);
	tcase_add_test(tc, put_tce_maps);
	tcase_add_test(tc, put_tce_refusals);
	tcase_add_test(tc, stuff_tce);
	tcase_add_test(tc, indirect_maps);
	tcase_add_test(tc, indirect_refusals);
	tcase_add_test(tc, indirect_list_page);
	tcase_add_test(tc, indirect_deferred_put);
	tcase_add_test(tc, indirect_huge_host_page);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rm_tce_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
