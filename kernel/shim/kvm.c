// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host shim's KVM functions: kvm->mmu_lock as a real spinlock,
 * find_kvm_host_pte() over the test's table of host ptes, refusing while an
 * invalidation is in flight exactly as arch/powerpc's does, mutexes, SRCU,
 * and pages from the C library (a struct page pointer is the vmemmap
 * address of the host page's "pfn", as page_to_virt() expects).
 */
#include <sched.h>
#include <stdlib.h>
#include <shim/kvm.h>

void mutex_init(struct mutex *m)
{
	m->locked = 0;
}

void mutex_lock(struct mutex *m)
{
	while (__atomic_exchange_n(&m->locked, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

void mutex_unlock(struct mutex *m)
{
	__atomic_store_n(&m->locked, 0, __ATOMIC_RELEASE);
}

int srcu_read_lock(struct srcu_struct *ssp)
{
	for (;;) {
		int idx = __atomic_load_n(&ssp->idx, __ATOMIC_SEQ_CST);

		__atomic_add_fetch(&ssp->count[idx], 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&ssp->idx, __ATOMIC_SEQ_CST) == idx)
			return idx;
		__atomic_sub_fetch(&ssp->count[idx], 1, __ATOMIC_SEQ_CST);
	}
}

void srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	__atomic_sub_fetch(&ssp->count[idx], 1, __ATOMIC_SEQ_CST);
}

void synchronize_srcu(struct srcu_struct *ssp)
{
	int idx;

	mutex_lock(&ssp->lock);
	idx = __atomic_load_n(&ssp->idx, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ssp->idx, !idx, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&ssp->count[idx], __ATOMIC_SEQ_CST))
		sched_yield();
	mutex_unlock(&ssp->lock);
}

struct page *alloc_page(unsigned int gfp)
{
	void *p;

	if (posix_memalign(&p, PAGE_SIZE, PAGE_SIZE))
		return NULL;
	memset(p, (gfp & __GFP_ZERO) ? 0 : 0x5a, PAGE_SIZE);
	return pfn_to_page((unsigned long)p >> PAGE_SHIFT);
}

void __free_page(struct page *page)
{
	free(page_to_virt(page));
}

void kfree(const void *p)
{
	free((void *)p);
}

unsigned long shim_iommu_puts, shim_locked_vm, shim_kvm_puts;

void iommu_tce_table_put(struct iommu_table *tbl)
{
	(void)tbl;
	__atomic_add_fetch(&shim_iommu_puts, 1, __ATOMIC_RELAXED);
}

int account_locked_vm(struct mm_struct *mm, unsigned long pages, bool inc)
{
	(void)mm;
	if (inc)
		__atomic_add_fetch(&shim_locked_vm, pages, __ATOMIC_RELAXED);
	else
		__atomic_sub_fetch(&shim_locked_vm, pages, __ATOMIC_RELAXED);
	return 0;
}

void kvm_put_kvm(struct kvm *kvm)
{
	(void)kvm;
	__atomic_add_fetch(&shim_kvm_puts, 1, __ATOMIC_RELAXED);
}

void (*shim_spin_lock_hook)(void);
void (*shim_memslot_hook)(gfn_t gfn);

void arch_spin_lock(arch_spinlock_t *lock)
{
	while (__atomic_exchange_n(&lock->slock, 1, __ATOMIC_ACQUIRE))
		;
	if (shim_spin_lock_hook)
		shim_spin_lock_hook();
}

void arch_spin_unlock(arch_spinlock_t *lock)
{
	__atomic_store_n(&lock->slock, 0, __ATOMIC_RELEASE);
}

pte_t *find_kvm_host_pte(struct kvm *kvm, unsigned long mmu_seq,
			 unsigned long ea, unsigned int *hshift)
{
	struct mm_struct *mm = kvm->mm;
	int i;

	if (mmu_invalidate_retry(kvm, mmu_seq))
		return NULL;
	for (i = 0; i < mm->used; i++) {
		unsigned int shift = mm->hshift[i] ? mm->hshift[i] : PAGE_SHIFT;

		if ((ea >> shift) == (mm->hva[i] >> shift)) {
			*hshift = mm->hshift[i];
			return &mm->pte[i];
		}
	}
	return NULL;
}
