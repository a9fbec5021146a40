// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of kernel/src/arch/powerpc/kvm/book3s_64_vio_hv.c, the
 * real-mode H_PUT_TCE / H_PUT_TCE_INDIRECT / H_STUFF_TCE handlers the series
 * adds, compiled unchanged against kernel/shim.  The window check is
 * compared with an independent statement of the virtual-mode rule; the
 * handlers run on a TCE table, guest memslots and host page tables held in
 * host memory, and every refusal is checked to leave the table and the lock
 * as they were.  The handlers take no page reference (the list is read
 * under kvm->mmu_lock), so no struct page is involved: test-rm-concurrent.c
 * runs them against table release and page allocation under ThreadSanitizer.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include <shim/kvm.h>

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
static struct list_head fake_vfio;

static void *page_alloc(void)
{
	void *p;

	ck_assert_int_eq(posix_memalign(&p, PAGE_SIZE, PAGE_SIZE), 0);
	memset(p, 0, PAGE_SIZE);
	return p;
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
};

static void take(struct snap *s)
{
	unsigned long i;

	for (i = 0; i < WIN_PAGES; i++) {
		s->pages[i] = stt->pages[i];
		if (tbl[i])
			memcpy(s->t[i], tbl[i], PAGE_SIZE);
	}
}

static void unchanged(const struct snap *s)
{
	unsigned long i;

	ck_assert_int_eq(kvm.mmu_lock.rlock.raw_lock.slock, 0);
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

	/*
	 * Zero across the missing page: the present entries are cleared,
	 * their neighbours are not, and the missing page stays missing.
	 */
	for (i = TCES_PER_PAGE - 6; i < TCES_PER_PAGE; i++)
		*entry(i) = TCE(i << IOMMU_SHIFT, RW);
	ck_assert_int_eq(kvmppc_rm_h_stuff_tce(&vcpu, LIOBN,
					       ioba_of(TCES_PER_PAGE - 4), 0,
					       8), H_SUCCESS);
	for (i = TCES_PER_PAGE - 4; i < TCES_PER_PAGE; i++)
		ck_assert_uint_eq(*entry(i), 0);
	ck_assert_uint_eq(*entry(TCES_PER_PAGE - 5),
			  TCE((TCES_PER_PAGE - 5) << IOMMU_SHIFT, RW));
	ck_assert_uint_eq(*entry(TCES_PER_PAGE - 6),
			  TCE((TCES_PER_PAGE - 6) << IOMMU_SHIFT, RW));
	ck_assert_ptr_null(stt->pages[1]);
	/* The 100 entries stuffed with 0xab00 above, cleared, and only them. */
	*entry(9) = 0x900;
	*entry(110) = 0x1100;
	ck_assert_int_eq(kvmppc_rm_h_stuff_tce(&vcpu, LIOBN, ioba_of(10), 0,
					       100), H_SUCCESS);
	for (i = 10; i < 110; i++)
		ck_assert_uint_eq(*entry(i), 0);
	ck_assert_uint_eq(*entry(9), 0x900);
	ck_assert_uint_eq(*entry(110), 0x1100);
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

/* An invalidation that ran between reading the sequence and the lock. */
static void bump_seq(void)
{
	kvm.mmu_invalidate_seq++;
}

static long indirect_seq_moves(unsigned long idx, unsigned long n)
{
	long ret;

	shim_spin_lock_hook = bump_seq;
	ret = kvmppc_rm_h_put_tce_indirect(&vcpu, LIOBN, ioba_of(idx),
					   LIST_GPA, n);
	shim_spin_lock_hook = NULL;
	return ret;
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
	ck_assert_int_eq(kvm.mmu_lock.rlock.raw_lock.slock, 0);
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

/*
 * Another vcpu rewrites the list while the hcall runs: the hook fires when
 * real mode looks the last TCE up in the memslots, i.e. after every entry
 * has been checked once and before anything is written.  Real mode reads
 * the list again for the writes and must check what it reads then: the
 * entry that changed is what lands in the table, or nothing does.
 */
static unsigned long rewrite_gfn, rewrite_idx;
static u64 rewrite_tce;
static int rewrites;

static void rewrite_list(gfn_t gfn)
{
	if (rewrites || gfn != rewrite_gfn)
		return;
	list[rewrite_idx] = cpu_to_be64(rewrite_tce);
	rewrites++;
}

static long indirect_rewritten(unsigned long n, unsigned long idx, u64 tce)
{
	long ret;

	rewrite_gfn = (n << IOMMU_SHIFT) >> PAGE_SHIFT;	/* list[n - 1]'s */
	rewrite_idx = idx;
	rewrite_tce = tce;
	rewrites = 0;
	shim_memslot_hook = rewrite_list;
	ret = indirect(0, n);
	shim_memslot_hook = NULL;
	ck_assert_int_eq(rewrites, 1);
	return ret;
}

START_TEST(indirect_list_rewritten)
{
	struct snap s;
	unsigned long i;

	setup();
	/* Rewritten to a TCE outside every memslot: it never lands. */
	fill_list(8);
	take(&s);
	ck_assert_int_eq(indirect_rewritten(8, 0,
					    TCE(GUEST_RAM + 0x10000, RW)),
			 H_TOO_HARD);
	unchanged(&s);
	/* Misaligned to the IOMMU page, at the end of the list. */
	fill_list(8);
	ck_assert_int_eq(indirect_rewritten(8, 7, TCE(0x1000, RW)),
			 H_TOO_HARD);
	for (i = 0; i < 8; i++)
		ck_assert_uint_ne(*entry(i), TCE(0x1000, RW));
	ck_assert_int_eq(kvm.mmu_lock.rlock.raw_lock.slock, 0);

	/* Rewritten to another good TCE: the new one is what is written. */
	memset(tbl[0], 0, PAGE_SIZE);
	fill_list(8);
	ck_assert_int_eq(indirect_rewritten(8, 3, TCE(0x700000, RW)),
			 H_SUCCESS);
	ck_assert_uint_eq(*entry(3), TCE(0x700000, RW));
	for (i = 0; i < 8; i++)
		if (i != 3)
			ck_assert_uint_eq(*entry(i),
					  TCE((i + 1) << IOMMU_SHIFT, RW));
}
END_TEST

/* What real mode cannot do with the page holding the list. */
START_TEST(indirect_list_page)
{
	struct snap s;

	setup();
	fill_list(8);
	take(&s);

	kvm.mmu_invalidate_in_progress = 1;		/* notifier running */
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	kvm.mmu_invalidate_in_progress = 0;
	ck_assert_int_eq(indirect_seq_moves(0, 8), H_TOO_HARD);

	mm.pte[0].pte &= ~SHIM_PTE_PRESENT;		/* swapped out */
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	mm.pte[0].pte |= SHIM_PTE_PRESENT | SHIM_PTE_SPECIAL;
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	mm.pte[0].pte &= ~SHIM_PTE_SPECIAL;
	mm.pte[0].pte |= SHIM_PTE_DEVMAP;
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	mm.pte[0].pte &= ~SHIM_PTE_DEVMAP;
	mm.used = 0;					/* not mapped at all */
	ck_assert_int_eq(indirect(0, 8), H_TOO_HARD);
	mm.used = 1;

	/* The list's gpa in no memslot. */
	ck_assert_int_eq(kvmppc_rm_h_put_tce_indirect(&vcpu, LIOBN, ioba_of(0),
						      GUEST_RAM, 8),
			 H_TOO_HARD);
	unchanged(&s);

	ck_assert_int_eq(indirect(0, 8), H_SUCCESS);
	ck_assert_uint_eq(*entry(7), TCE(8UL << IOMMU_SHIFT, RW));
}
END_TEST

/*
 * The list in a huge host page (a 16M THP or hugetlb page, as a PMD maps it
 * with 64K base pages): the pfn is the huge page's first plus the offset.
 * Real mode completes it: no struct page is involved, so a compound page is
 * no reason to refuse.
 */
START_TEST(indirect_huge_host_page)
{
	unsigned long lpfn, sub = 5, gpa = 0x4000000UL;
	unsigned long i;

	setup();
	lpfn = (unsigned long)list >> PAGE_SHIFT;
	fill_list(4);
	/* gpa + 5 pages, in a huge page whose first pfn is lpfn - 5 */
	map_host(GUEST_HVA + gpa, lpfn - sub, SHIM_PTE_PRESENT, 24);
	ck_assert_int_eq(kvmppc_rm_h_put_tce_indirect(&vcpu, LIOBN, ioba_of(0),
						      gpa + sub * PAGE_SIZE,
						      4), H_SUCCESS);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(*entry(i), TCE((i + 1) << IOMMU_SHIFT, RW));
	ck_assert_uint_eq(*entry(4), 0);
	ck_assert_int_eq(kvm.mmu_lock.rlock.raw_lock.slock, 0);
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
	tcase_add_test(tc, indirect_list_rewritten);
	tcase_add_test(tc, indirect_list_page);
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
