// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host shim's KVM functions: kvm->mmu_lock as a real spinlock and
 * find_kvm_host_pte() over the test's table of host ptes, refusing while an
 * invalidation is in flight exactly as arch/powerpc's does.
 */
#include <shim/kvm.h>

void arch_spin_lock(arch_spinlock_t *lock)
{
	while (__atomic_exchange_n(&lock->slock, 1, __ATOMIC_ACQUIRE))
		;
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
