/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host shim for the KVM side of kernel/src: the parts of struct kvm,
 * struct kvm_vcpu, memslots, the host page tables and the TCE table that
 * book3s_64_vio_hv.c uses, with the 6.1 meaning of each.  Memslots are a
 * small array searched like search_memslots() does; the host page table is
 * an array of (hva page, pte) pairs filled by the test; find_kvm_host_pte()
 * refuses, as the kernel's does, while an MMU notifier invalidation is in
 * flight or after one happened since @mmu_seq was read.
 */
#ifndef SHIM_KVM_H
#define SHIM_KVM_H

#include <shim/shim.h>

struct list_head {
	struct list_head *next, *prev;
};

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline void list_add(struct list_head *n, struct list_head *h)
{
	n->next = h->next;
	n->prev = h;
	h->next->prev = n;
	h->next = n;
}

/* list_add_rcu(): the new entry is published with release. */
static inline void list_add_rcu(struct list_head *n, struct list_head *h)
{
	struct list_head *first = h->next;

	n->next = first;
	n->prev = h;
	__atomic_store_n(&h->next, n, __ATOMIC_RELEASE);
	first->prev = n;
}

static inline void list_del_rcu(struct list_head *e)
{
	e->next->prev = e->prev;
	WRITE_ONCE(e->prev->next, e->next);
}

static inline int list_empty(const struct list_head *h)
{
	return READ_ONCE(h->next) == h;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, __typeof__(*pos), member),	\
	     n = list_entry(pos->member.next, __typeof__(*pos), member); \
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))
/*
 * The kernel's lockless walk relies on address dependencies (READ_ONCE);
 * C11 has no such ordering, so the shim uses acquire, its closest model.
 */
#define list_for_each_entry_lockless(pos, head, member)			\
	for (pos = list_entry(__atomic_load_n(&(head)->next, __ATOMIC_ACQUIRE), \
			      __typeof__(*pos), member);		\
	     &pos->member != (head);					\
	     pos = list_entry(__atomic_load_n(&pos->member.next, __ATOMIC_ACQUIRE), \
			      __typeof__(*pos), member))

/* asm/hvcall.h, asm/tce.h */
#define H_SUCCESS	0
#define H_TOO_HARD	9999
#define H_PARAMETER	-4
#define TCE_PCI_WRITE	0x2
#define TCE_PCI_READ	0x1

/* Locks, references and deferred frees, with their kernel meaning. */
struct mutex {
	int locked;
};
void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

/*
 * SRCU: readers count themselves in one of two counters; synchronize_srcu()
 * flips the current one and waits for the old one to drain (a reader that
 * raced with the flip sees it and moves over).  Sequentially consistent, so
 * that a reader's accesses happen before whatever the updater does after.
 */
struct srcu_struct {
	long count[2];
	int idx;
	struct mutex lock;
};
int srcu_read_lock(struct srcu_struct *ssp);
void srcu_read_unlock(struct srcu_struct *ssp, int idx);
void synchronize_srcu(struct srcu_struct *ssp);

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};
/*
 * No test thread is an RCU reader (real mode is not one either: that is
 * the point), so a grace period may end at once.
 */
static inline void call_rcu(struct rcu_head *head,
			    void (*func)(struct rcu_head *head))
{
	func(head);
}

struct kref {
	int refcount;
};
static inline unsigned int kref_read(const struct kref *k)
{
	return __atomic_load_n(&k->refcount, __ATOMIC_RELAXED);
}
static inline int kref_put(struct kref *k, void (*release)(struct kref *k))
{
	if (__atomic_sub_fetch(&k->refcount, 1, __ATOMIC_SEQ_CST) == 0) {
		release(k);
		return 1;
	}
	return 0;
}

#define GFP_KERNEL	0x1u
#define __GFP_ZERO	0x100u
#define ALIGN(x, a)	(((x) + (a) - 1) & ~((unsigned long)(a) - 1))
struct page *alloc_page(unsigned int gfp);
void __free_page(struct page *page);
void kfree(const void *p);

struct inode {
	int unused;
};
struct file {
	void *private_data;
};

/* asm/kvm_host.h */
#define TCES_PER_PAGE	(PAGE_SIZE / sizeof(u64))

struct kvm;
struct iommu_table;
void iommu_tce_table_put(struct iommu_table *tbl);

struct kvmppc_spapr_tce_iommu_table {
	struct rcu_head rcu;
	struct list_head next;
	struct iommu_table *tbl;
	struct kref kref;
};

struct kvmppc_spapr_tce_table {
	struct list_head list;
	struct kvm *kvm;
	u64 liobn;
	struct rcu_head rcu;
	u32 page_shift;
	u64 offset;		/* in pages */
	u64 size;		/* window size in pages */
	struct list_head iommu_tables;
	struct mutex alloc_lock;
	struct page *pages[];
};

/* include/linux/kvm_host.h */
#define KVM_MEMSLOT_INVALID	(1UL << 16)

struct kvm_memory_slot {
	gfn_t base_gfn;
	unsigned long npages;
	unsigned long userspace_addr;
	u32 flags;
};

#define SHIM_MAX_SLOTS 8
struct kvm_memslots {
	int used;
	struct kvm_memory_slot slots[SHIM_MAX_SLOTS];
};

typedef struct {
	unsigned long pte;
} pte_t;

#define SHIM_PTE_PRESENT	0x1UL
#define SHIM_PTE_SPECIAL	0x2UL
#define SHIM_PTE_DEVMAP		0x4UL
#define SHIM_PTE_RPN_SHIFT	PAGE_SHIFT

#define SHIM_MAX_PTES 64
struct mm_struct {
	int used;
	unsigned long hva[SHIM_MAX_PTES];	/* page aligned */
	pte_t pte[SHIM_MAX_PTES];
	unsigned int hshift[SHIM_MAX_PTES];	/* 0: PAGE_SIZE page */
};

typedef struct {
	volatile int slock;
} arch_spinlock_t;

struct kvm {
	struct mutex lock;
	struct srcu_struct srcu;
	struct {
		struct list_head spapr_tce_tables;
	} arch;
	struct kvm_memslots memslots;
	struct mm_struct *mm;
	struct {
		struct {
			arch_spinlock_t raw_lock;
		} rlock;
	} mmu_lock;
	unsigned long mmu_invalidate_seq;
	long mmu_invalidate_in_progress;
};

struct kvm_vcpu {
	struct kvm *kvm;
};

/* What kvm_spapr_tce_release() does besides the table (counted). */
struct mm_struct;
int account_locked_vm(struct mm_struct *mm, unsigned long pages, bool inc);
void kvm_put_kvm(struct kvm *kvm);
extern unsigned long shim_iommu_puts, shim_locked_vm, shim_kvm_puts;

static inline struct kvm_memslots *kvm_memslots_raw(struct kvm *kvm)
{
	return &kvm->memslots;
}

/*
 * Called on every memslot lookup, for tests of what another vcpu does while
 * an hcall runs (the handlers look a TCE's gfn up as they check it).
 */
extern void (*shim_memslot_hook)(gfn_t gfn);

static inline struct kvm_memory_slot *
__gfn_to_memslot(struct kvm_memslots *slots, gfn_t gfn)
{
	int i;

	if (shim_memslot_hook)
		shim_memslot_hook(gfn);
	for (i = 0; i < slots->used; i++) {
		struct kvm_memory_slot *s = &slots->slots[i];

		if (gfn >= s->base_gfn && gfn < s->base_gfn + s->npages)
			return s;
	}
	return NULL;
}

static inline unsigned long
__gfn_to_hva_memslot(const struct kvm_memory_slot *slot, gfn_t gfn)
{
	return slot->userspace_addr + (gfn - slot->base_gfn) * PAGE_SIZE;
}

void arch_spin_lock(arch_spinlock_t *lock);
/* Called with the lock just taken, for tests of what happens meanwhile. */
extern void (*shim_spin_lock_hook)(void);
void arch_spin_unlock(arch_spinlock_t *lock);

static inline int mmu_invalidate_retry(struct kvm *kvm, unsigned long mmu_seq)
{
	if (kvm->mmu_invalidate_in_progress)
		return 1;
	smp_rmb();
	return kvm->mmu_invalidate_seq != mmu_seq;
}

pte_t *find_kvm_host_pte(struct kvm *kvm, unsigned long mmu_seq,
			 unsigned long ea, unsigned int *hshift);

static inline pte_t ptep_get(pte_t *ptep)
{
	pte_t p = { READ_ONCE(ptep->pte) };

	return p;
}

static inline int pte_present(pte_t pte)
{
	return !!(pte.pte & SHIM_PTE_PRESENT);
}

static inline int pte_special(pte_t pte)
{
	return !!(pte.pte & SHIM_PTE_SPECIAL);
}

static inline int pte_devmap(pte_t pte)
{
	return !!(pte.pte & SHIM_PTE_DEVMAP);
}

static inline unsigned long pte_pfn(pte_t pte)
{
	return pte.pte >> SHIM_PTE_RPN_SHIFT;
}

/* The prototypes the patch adds to asm/kvm_ppc.h. */
long kvmppc_rm_ioba_validate(const struct kvmppc_spapr_tce_table *stt,
			     unsigned long ioba, unsigned long npages);
long kvmppc_rm_tce_validate(struct kvmppc_spapr_tce_table *stt,
			    unsigned long tce);
long kvmppc_rm_h_put_tce(struct kvm_vcpu *vcpu, unsigned long liobn,
			 unsigned long ioba, unsigned long tce);
long kvmppc_rm_h_put_tce_indirect(struct kvm_vcpu *vcpu, unsigned long liobn,
				  unsigned long ioba, unsigned long tce_list,
				  unsigned long npages);
long kvmppc_rm_h_stuff_tce(struct kvm_vcpu *vcpu, unsigned long liobn,
			   unsigned long ioba, unsigned long tce_value,
			   unsigned long npages);

#endif /* SHIM_KVM_H */
