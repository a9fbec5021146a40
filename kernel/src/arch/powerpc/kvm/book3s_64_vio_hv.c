// SPDX-License-Identifier: GPL-2.0
/*
 * Real-mode (MMU off) handlers for H_PUT_TCE, H_PUT_TCE_INDIRECT and
 * H_STUFF_TCE on the hcall path of book3s_hv_rmhandlers.S (POWER7/8 hosts,
 * and HPT guests on POWER9), for KVM guest-view TCE tables.  They apply the
 * checks of the virtual-mode handlers in book3s_64_vio.c and return their
 * errors unchanged; whatever they cannot finish in real mode (a VFIO group on
 * the LIOBN, a table page not allocated yet, a TCE list whose page is not
 * mapped) they return as H_TOO_HARD, and the virtual-mode handlers then do
 * the whole hcall again.
 *
 * What keeps things alive with the MMU off:
 * - TCE tables: guest entry holds kvm->srcu (kvmppc_run_core()), and
 *   kvm_spapr_tce_release() waits for it with synchronize_srcu() after
 *   unlinking a table and before freeing it.  RCU is no help here: guest
 *   entry is an RCU extended quiescent state on nohz_full CPUs.
 * - Table pages: allocated before they are published (smp_store_release() in
 *   kvm_spapr_get_tce_page()) and freed only with their table.
 * - Memslots: read under the same kvm->srcu, as the real-mode H_ENTER does.
 * - The guest's TCE list: read under kvm->mmu_lock through the host pte found
 *   with no MMU notifier invalidation in flight; the page cannot be unmapped
 *   and freed before the lock is dropped, so no page reference is taken, and
 *   a huge (THP or hugetlb) host page is as good as a small one.
 *
 * The whole file runs with the MMU off: it is built without ftrace,
 * sanitizers or coverage (Makefile), and every function is noinstr, so that
 * even an out-of-line copy carries no hook and sits in .noinstr.text, where
 * kprobes refuses to probe.
 */

#include <linux/kvm_host.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <kunit/visibility.h>
#include <asm/hvcall.h>
#include <asm/kvm_book3s.h>
#include <asm/kvm_ppc.h>
#include <asm/tce.h>

/* SPAPR: at most 512 TCEs in an H_PUT_TCE_INDIRECT list (one 4K page). */
#define KVMPPC_RM_TCE_LIST_MAX	512

/*
 * H_STUFF_TCE runs with interrupts off in real mode: longer requests go to
 * virtual mode rather than holding the CPU for a whole window.
 */
#define KVMPPC_RM_STUFF_MAX	TCES_PER_PAGE

/*
 * The window check of iommu_tce_check_ioba(): @ioba aligned to the IOMMU
 * page, and @npages entries from it inside [offset, offset + size), without
 * wrapping.  Kept here so that real mode calls no instrumented code.
 */
noinstr long kvmppc_rm_ioba_validate(const struct kvmppc_spapr_tce_table *stt,
				     unsigned long ioba, unsigned long npages)
{
	unsigned long entry;

	if (ioba & ((1UL << stt->page_shift) - 1))
		return H_PARAMETER;
	entry = ioba >> stt->page_shift;
	if (entry < stt->offset)
		return H_PARAMETER;
	if (entry + npages < entry ||
	    entry - stt->offset + npages > stt->size)
		return H_PARAMETER;
	return H_SUCCESS;
}
EXPORT_SYMBOL_IF_KUNIT(kvmppc_rm_ioba_validate);

/* The memslot behind @gpa, as kvmppc_tce_to_ua() finds it, or -EINVAL. */
static noinstr long kvmppc_rm_gpa_to_hva(struct kvm *kvm, unsigned long gpa,
					 unsigned long *hva)
{
	unsigned long gfn = gpa >> PAGE_SHIFT;
	struct kvm_memory_slot *memslot;

	memslot = __gfn_to_memslot(kvm_memslots_raw(kvm), gfn);
	/* A slot being deleted is left for virtual mode to judge. */
	if (!memslot || (memslot->flags & KVM_MEMSLOT_INVALID))
		return -EINVAL;
	*hva = __gfn_to_hva_memslot(memslot, gfn) | (gpa & ~PAGE_MASK);
	return 0;
}

/*
 * kvmppc_tce_validate() for a table with no VFIO group: a TCE without
 * permission bits is allowed whatever it holds (userspace poisons tables
 * that way); otherwise the address must be aligned to the IOMMU page and in
 * a memslot, or the hcall goes on to virtual mode (H_TOO_HARD).
 */
noinstr long kvmppc_rm_tce_validate(struct kvmppc_spapr_tce_table *stt,
				    unsigned long tce)
{
	unsigned long gpa = tce & ~(TCE_PCI_READ | TCE_PCI_WRITE);
	unsigned long hva;

	if (!(tce & (TCE_PCI_READ | TCE_PCI_WRITE)))
		return H_SUCCESS;
	if (gpa & ((1UL << stt->page_shift) - 1))
		return H_TOO_HARD;
	if (kvmppc_rm_gpa_to_hva(stt->kvm, gpa, &hva))
		return H_TOO_HARD;
	return H_SUCCESS;
}

/*
 * Under kvm->srcu, which guest entry holds: kvm_spapr_tce_release() unlinks
 * a table, then waits for kvm->srcu before the table is freed.
 */
static noinstr struct kvmppc_spapr_tce_table *
kvmppc_rm_find_table(struct kvm *kvm, unsigned long liobn)
{
	struct kvmppc_spapr_tce_table *stt;

	list_for_each_entry_lockless(stt, &kvm->arch.spapr_tce_tables, list)
		if (stt->liobn == liobn)
			return stt;
	return NULL;
}

/*
 * The kernel address of the table page holding @entry, or NULL when it is
 * not allocated yet (allocating is virtual mode's business).  The table
 * pages come from alloc_page(), so they are in the linear mapping, and
 * page_to_virt() is arithmetic on the struct page pointer.  The page is
 * seen zeroed.
 */
static noinstr u64 *kvmppc_rm_tce_page(struct kvmppc_spapr_tce_table *stt,
				       unsigned long entry)
{
	struct page *page;

	/* Pairs with the release in kvm_spapr_get_tce_page(). */
	page = smp_load_acquire(&stt->pages[(entry - stt->offset) /
					    TCES_PER_PAGE]);
	return page ? page_to_virt(page) : NULL;
}

/*
 * kvmppc_tce_put() without allocation: false when @tce needs a table page
 * that is not there yet.  A zero TCE into a missing page needs nothing (the
 * page reads as zeroes), as in kvmppc_tce_put().
 */
static noinstr bool kvmppc_rm_tce_put(struct kvmppc_spapr_tce_table *stt,
				      unsigned long entry, u64 tce)
{
	u64 *tbl = kvmppc_rm_tce_page(stt, entry);

	if (!tbl)
		return !tce;
	WRITE_ONCE(tbl[(entry - stt->offset) % TCES_PER_PAGE], tce);
	return true;
}

/* True when every entry to be written to is in an allocated table page. */
static noinstr bool
kvmppc_rm_stuff_pages_present(struct kvmppc_spapr_tce_table *stt,
			      unsigned long entry, unsigned long npages,
			      u64 tce_value)
{
	unsigned long i;

	if (!tce_value)
		return true;
	for (i = 0; i < npages; i++)
		if (!kvmppc_rm_tce_page(stt, entry + i))
			return false;
	return true;
}

static noinstr bool kvmppc_rm_has_vfio(struct kvmppc_spapr_tce_table *stt)
{
	return !list_empty(&stt->iommu_tables);
}

noinstr long kvmppc_rm_h_put_tce(struct kvm_vcpu *vcpu, unsigned long liobn,
				 unsigned long ioba, unsigned long tce)
{
	struct kvmppc_spapr_tce_table *stt;
	long ret;

	stt = kvmppc_rm_find_table(vcpu->kvm, liobn);
	if (!stt)
		return H_TOO_HARD;
	ret = kvmppc_rm_ioba_validate(stt, ioba, 1);
	if (ret != H_SUCCESS)
		return ret;
	if (kvmppc_rm_has_vfio(stt))
		return H_TOO_HARD;
	ret = kvmppc_rm_tce_validate(stt, tce);
	if (ret != H_SUCCESS)
		return ret;
	if (!kvmppc_rm_tce_put(stt, ioba >> stt->page_shift, tce))
		return H_TOO_HARD;
	return H_SUCCESS;
}

/*
 * The guest's TCE list (big-endian, 4K aligned, at most 4K) through the
 * host pte of its page, or NULL.  Called with kvm->mmu_lock held, which
 * keeps the page mapped until it is dropped: find_kvm_host_pte() refuses
 * while an MMU notifier invalidation is in flight or after one happened
 * since @mmu_seq was read, and unmapping takes the lock.  A huge host page
 * (THP, hugetlb) needs nothing more: @shift says how big it is.
 */
static noinstr const __be64 *kvmppc_rm_tce_list(struct kvm *kvm,
						unsigned long mmu_seq,
						unsigned long hva)
{
	unsigned int shift = 0;
	unsigned long pfn;
	pte_t *ptep, pte;

	ptep = find_kvm_host_pte(kvm, mmu_seq, hva, &shift);
	if (!ptep)
		return NULL;
	pte = ptep_get(ptep);
	/* Special and device mappings: no memory of the linear mapping. */
	if (!pte_present(pte) || pte_special(pte) || pte_devmap(pte))
		return NULL;
	if (!shift)
		shift = PAGE_SHIFT;
	pfn = pte_pfn(pte) + ((hva & ((1UL << shift) - 1)) >> PAGE_SHIFT);
	return __va(PFN_PHYS(pfn) | (hva & ~PAGE_MASK));
}

noinstr long kvmppc_rm_h_put_tce_indirect(struct kvm_vcpu *vcpu,
					  unsigned long liobn,
					  unsigned long ioba,
					  unsigned long tce_list,
					  unsigned long npages)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvmppc_spapr_tce_table *stt;
	unsigned long entry, i, hva, mmu_seq;
	const __be64 *tces;
	long ret;

	stt = kvmppc_rm_find_table(kvm, liobn);
	if (!stt)
		return H_TOO_HARD;
	if (npages > KVMPPC_RM_TCE_LIST_MAX)
		return H_PARAMETER;
	if (tce_list & (SZ_4K - 1))
		return H_PARAMETER;
	ret = kvmppc_rm_ioba_validate(stt, ioba, npages);
	if (ret != H_SUCCESS)
		return ret;
	if (kvmppc_rm_has_vfio(stt))
		return H_TOO_HARD;
	if (kvmppc_rm_gpa_to_hva(kvm, tce_list, &hva))
		return H_TOO_HARD;

	mmu_seq = kvm->mmu_invalidate_seq;
	/* The sequence is read before the ptes, as in kvmppc_do_h_enter(). */
	smp_rmb();
	arch_spin_lock(&kvm->mmu_lock.rlock.raw_lock);
	tces = kvmppc_rm_tce_list(kvm, mmu_seq, hva);
	if (!tces) {
		ret = H_TOO_HARD;
		goto unlock;
	}

	entry = ioba >> stt->page_shift;
	for (i = 0; i < npages; i++) {
		unsigned long tce = be64_to_cpu(READ_ONCE(tces[i]));

		ret = kvmppc_rm_tce_validate(stt, tce);
		if (ret != H_SUCCESS)
			goto unlock;
		/* A table page to allocate: before anything is written. */
		if (tce && !kvmppc_rm_tce_page(stt, entry + i)) {
			ret = H_TOO_HARD;
			goto unlock;
		}
		/*
		 * Virtual mode looks every TCE up in the memslots, even one
		 * without permission bits, and fails with H_PARAMETER half way
		 * through the list: leave such lists to it.
		 */
		if (!(tce & (TCE_PCI_READ | TCE_PCI_WRITE)) &&
		    kvmppc_rm_gpa_to_hva(kvm, tce, &hva)) {
			ret = H_TOO_HARD;
			goto unlock;
		}
	}

	/*
	 * The list is read again, as virtual mode does, and whatever another
	 * vcpu changed since is checked again before it is written.  Should a
	 * check or a missing table page stop us half way, virtual mode redoes
	 * the whole list; writing the same TCEs twice is harmless.
	 */
	for (i = 0; i < npages; i++) {
		unsigned long tce = be64_to_cpu(READ_ONCE(tces[i]));

		if (kvmppc_rm_tce_validate(stt, tce) != H_SUCCESS ||
		    !kvmppc_rm_tce_put(stt, entry + i, tce)) {
			ret = H_TOO_HARD;
			goto unlock;
		}
	}
	ret = H_SUCCESS;
unlock:
	arch_spin_unlock(&kvm->mmu_lock.rlock.raw_lock);
	return ret;
}

noinstr long kvmppc_rm_h_stuff_tce(struct kvm_vcpu *vcpu, unsigned long liobn,
				   unsigned long ioba, unsigned long tce_value,
				   unsigned long npages)
{
	struct kvmppc_spapr_tce_table *stt;
	unsigned long entry, i;
	long ret;

	stt = kvmppc_rm_find_table(vcpu->kvm, liobn);
	if (!stt)
		return H_TOO_HARD;
	ret = kvmppc_rm_ioba_validate(stt, ioba, npages);
	if (ret != H_SUCCESS)
		return ret;
	/* Permission bits are refused; other bits may poison the table. */
	if (tce_value & (TCE_PCI_WRITE | TCE_PCI_READ))
		return H_PARAMETER;
	if (kvmppc_rm_has_vfio(stt))
		return H_TOO_HARD;
	if (npages > KVMPPC_RM_STUFF_MAX)
		return H_TOO_HARD;

	entry = ioba >> stt->page_shift;
	if (!kvmppc_rm_stuff_pages_present(stt, entry, npages, tce_value))
		return H_TOO_HARD;
	for (i = 0; i < npages; i++)
		kvmppc_rm_tce_put(stt, entry + i, tce_value);
	return H_SUCCESS;
}
