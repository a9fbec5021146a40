// SPDX-License-Identifier: GPL-2.0
/*
 * Real-mode (MMU off) handlers for H_PUT_TCE, H_PUT_TCE_INDIRECT and
 * H_STUFF_TCE on the POWER7/8 HV hcall path (hcall_real_table in
 * book3s_hv_rmhandlers.S), for KVM guest-view TCE tables.  They apply the
 * checks of the virtual-mode handlers in book3s_64_vio.c and return their
 * errors unchanged; whatever they cannot finish in real mode (a VFIO group on
 * the LIOBN, a table page not allocated yet, a TCE list page real mode cannot
 * reach or reference) they return as H_TOO_HARD before writing anything, and
 * the virtual-mode handlers then do the whole hcall.
 */

#include <linux/kvm_host.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <kunit/visibility.h>
#include <asm/hvcall.h>
#include <asm/kvm_book3s.h>
#include <asm/kvm_ppc.h>
#include <asm/realmode_page.h>
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
long kvmppc_rm_ioba_validate(const struct kvmppc_spapr_tce_table *stt,
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
static long kvmppc_rm_gpa_to_hva(struct kvm *kvm, unsigned long gpa,
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
 * a memslot, or the hcall goes on to userspace (H_TOO_HARD).
 */
long kvmppc_rm_tce_validate(struct kvmppc_spapr_tce_table *stt,
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

static struct kvmppc_spapr_tce_table *kvmppc_rm_find_table(struct kvm *kvm,
							   unsigned long liobn)
{
	struct kvmppc_spapr_tce_table *stt;

	/*
	 * Tables are freed by call_rcu(); real mode runs with interrupts
	 * off, which holds off the grace period as rcu_read_lock() would.
	 */
	list_for_each_entry_lockless(stt, &kvm->arch.spapr_tce_tables, list)
		if (stt->liobn == liobn)
			return stt;
	return NULL;
}

/*
 * The kernel address of the table page holding @entry, or NULL when it is
 * not allocated yet (allocating is virtual mode's business).  stt itself was
 * kzalloc()ed and the table pages come from alloc_page(), so both are in the
 * linear mapping; page_to_virt() is arithmetic on the struct page pointer.
 */
static u64 *kvmppc_rm_tce_page(struct kvmppc_spapr_tce_table *stt,
			       unsigned long entry)
{
	struct page *page;

	page = READ_ONCE(stt->pages[(entry - stt->offset) / TCES_PER_PAGE]);
	return page ? page_to_virt(page) : NULL;
}

/*
 * True when every entry to be written to is in an allocated table page.  A
 * zero TCE into a missing page needs nothing (the page reads as zeroes), as
 * in kvmppc_tce_put().
 */
static bool kvmppc_rm_tce_pages_present(struct kvmppc_spapr_tce_table *stt,
					unsigned long entry,
					unsigned long npages,
					const u64 *tces, u64 tce_value)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		u64 tce = tces ? tces[i] : tce_value;

		if (tce && !kvmppc_rm_tce_page(stt, entry + i))
			return false;
	}
	return true;
}

/* kvmppc_tce_put() once kvmppc_rm_tce_pages_present() has said yes. */
static void kvmppc_rm_tce_put(struct kvmppc_spapr_tce_table *stt,
			      unsigned long entry, u64 tce)
{
	u64 *tbl = kvmppc_rm_tce_page(stt, entry);

	if (tbl)
		WRITE_ONCE(tbl[(entry - stt->offset) % TCES_PER_PAGE], tce);
}

static bool kvmppc_rm_has_vfio(struct kvmppc_spapr_tce_table *stt)
{
	return !list_empty(&stt->iommu_tables);
}

long kvmppc_rm_h_put_tce(struct kvm_vcpu *vcpu, unsigned long liobn,
			 unsigned long ioba, unsigned long tce)
{
	struct kvmppc_spapr_tce_table *stt;
	unsigned long entry;
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

	entry = ioba >> stt->page_shift;
	if (!kvmppc_rm_tce_pages_present(stt, entry, 1, NULL, tce))
		return H_TOO_HARD;
	kvmppc_rm_tce_put(stt, entry, tce);
	return H_SUCCESS;
}

/*
 * Copies the guest's TCE list (big-endian) into @buf.  The host page behind
 * it is found in QEMU's page tables under kvm->mmu_lock with no MMU notifier
 * invalidation in flight, so that page cannot be unmapped and freed while we
 * hold the lock; on top of that a reference is taken with the real-mode page
 * API for the time of the copy.  -EAGAIN when real mode cannot do it.
 */
static int kvmppc_rm_copy_tce_list(struct kvm_vcpu *vcpu,
				   unsigned long tce_list,
				   unsigned long npages, u64 *buf)
{
	struct kvm *kvm = vcpu->kvm;
	unsigned long hva, mmu_seq, pfn, i;
	unsigned int shift = 0;
	struct page *page;
	const __be64 *src;
	pte_t *ptep, pte;
	int ret = -EAGAIN;

	if (kvmppc_rm_gpa_to_hva(kvm, tce_list, &hva))
		return -EAGAIN;

	mmu_seq = kvm->mmu_invalidate_seq;
	/* The sequence is read before the ptes, as in kvmppc_do_h_enter(). */
	smp_rmb();
	arch_spin_lock(&kvm->mmu_lock.rlock.raw_lock);
	ptep = find_kvm_host_pte(kvm, mmu_seq, hva, &shift);
	if (!ptep)
		goto unlock;
	pte = ptep_get(ptep);
	/* Special and device mappings have no ordinary page reference. */
	if (!pte_present(pte) || pte_special(pte) || pte_devmap(pte))
		goto unlock;
	if (!shift)
		shift = PAGE_SHIFT;
	pfn = pte_pfn(pte) + ((hva & ((1UL << shift) - 1)) >> PAGE_SHIFT);

	page = realmode_pfn_to_page(pfn);
	if (!page || realmode_get_page(page))
		goto unlock;

	/* The list is 4K aligned and at most 4K: it is in this one page. */
	src = __va(PFN_PHYS(pfn) | (hva & ~PAGE_MASK));
	for (i = 0; i < npages; i++)
		buf[i] = be64_to_cpu(READ_ONCE(src[i]));
	ret = 0;

	if (realmode_put_page(page)) {
		/*
		 * Ours was the last reference: the page was unmapped behind
		 * our back.  Virtual mode drops it and redoes the hcall.
		 */
		vcpu->arch.tce_rm_put_page = pfn_to_page(pfn);
		ret = -EAGAIN;
	}
unlock:
	arch_spin_unlock(&kvm->mmu_lock.rlock.raw_lock);
	return ret;
}

long kvmppc_rm_h_put_tce_indirect(struct kvm_vcpu *vcpu, unsigned long liobn,
				  unsigned long ioba, unsigned long tce_list,
				  unsigned long npages)
{
	struct kvmppc_spapr_tce_table *stt;
	unsigned long entry, i, hva;
	u64 *tces;
	long ret;

	stt = kvmppc_rm_find_table(vcpu->kvm, liobn);
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
	/* A reference left over from last time must be dropped first. */
	if (vcpu->arch.tce_rm_put_page)
		return H_TOO_HARD;

	/* Checked and written from a copy the guest cannot change. */
	tces = vcpu->arch.tce_rm_list;
	BUILD_BUG_ON(ARRAY_SIZE(vcpu->arch.tce_rm_list) <
		     KVMPPC_RM_TCE_LIST_MAX);
	if (kvmppc_rm_copy_tce_list(vcpu, tce_list, npages, tces))
		return H_TOO_HARD;

	for (i = 0; i < npages; i++) {
		ret = kvmppc_rm_tce_validate(stt, tces[i]);
		if (ret != H_SUCCESS)
			return ret;
		/*
		 * Virtual mode looks every TCE up in the memslots, even one
		 * without permission bits, and fails with H_PARAMETER half way
		 * through the list: leave such lists to it.
		 */
		if (!(tces[i] & (TCE_PCI_READ | TCE_PCI_WRITE)) &&
		    kvmppc_rm_gpa_to_hva(vcpu->kvm, tces[i], &hva))
			return H_TOO_HARD;
	}

	entry = ioba >> stt->page_shift;
	if (!kvmppc_rm_tce_pages_present(stt, entry, npages, tces, 0))
		return H_TOO_HARD;
	for (i = 0; i < npages; i++)
		kvmppc_rm_tce_put(stt, entry + i, tces[i]);
	return H_SUCCESS;
}

long kvmppc_rm_h_stuff_tce(struct kvm_vcpu *vcpu, unsigned long liobn,
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
	if (!kvmppc_rm_tce_pages_present(stt, entry, npages, NULL, tce_value))
		return H_TOO_HARD;
	for (i = 0; i < npages; i++)
		kvmppc_rm_tce_put(stt, entry + i, tce_value);
	return H_SUCCESS;
}

/*
 * Virtual mode: drops the reference kvmppc_rm_copy_tce_list() could not.
 * Called before any hcall is handled in virtual mode and when the vcpu is
 * freed.
 */
void kvmppc_rm_tce_put_deferred(struct kvm_vcpu *vcpu)
{
	struct page *page = vcpu->arch.tce_rm_put_page;

	if (page) {
		vcpu->arch.tce_rm_put_page = NULL;
		put_page(page);
	}
}
EXPORT_SYMBOL_GPL(kvmppc_rm_tce_put_deferred);
