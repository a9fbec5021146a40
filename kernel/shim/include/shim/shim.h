/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host shim: just enough of the Linux 6.1 powerpc environment for the
 * files in kernel/src to compile and run unchanged in a host process (host
 * tests, benchmark).  "Physical" addresses are host addresses (__pa and __va
 * are the identity), the vmemmap is a range of fake virtual addresses that is
 * never dereferenced, and memory comes from the C library.  Every definition
 * here follows the 6.1 kernel's meaning of the name; nothing here decides an
 * outcome that the code under test should decide.
 */
#ifndef SHIM_SHIM_H
#define SHIM_SHIM_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>	/* the system's UAPI one: __u64, __be64 */

#ifndef SHIM_PAGE_SHIFT
#define SHIM_PAGE_SHIFT 16
#endif
#ifndef SHIM_STRUCT_PAGE_SIZE
#define SHIM_STRUCT_PAGE_SIZE 64
#endif

#define CONFIG_SPARSEMEM_VMEMMAP 1
#define CONFIG_PPC64 1
#define CONFIG_PPC_REALMODE_PAGE 1
#define CONFIG_KVM_BOOK3S_HV_RM_TCE 1
#define IS_ENABLED(option)	(option)

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s64 s64;
typedef u64 gfn_t;

#define PAGE_SHIFT		SHIM_PAGE_SHIFT
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define MAX_PHYSMEM_BITS	51
#define PFN_PHYS(x)		((unsigned long)(x) << PAGE_SHIFT)
#define SZ_4K			0x1000UL

#define __meminit
#define __ref
#ifndef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#endif
/*
 * noinstr as the kernel has it, minus the sanitizer exclusions: on the host
 * the sanitizers are the tests' own tools.  test-noinstr.sh checks the rest
 * (no mcount call, the section kprobes refuses).
 */
#define noinstr			__attribute__((no_instrument_function, noinline, \
					       section(".noinstr.text")))
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_IF_KUNIT(sym)
#define BIT(n)			(1UL << (n))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define likely(x)		__builtin_expect(!!(x), 1)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* Ordering: the kernel's primitives mapped onto the C11 memory model. */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#ifdef __SANITIZE_THREAD__
/*
 * ThreadSanitizer does not model fences; the code under test must not rely
 * on one for what the concurrent test checks (it does not: smp_rmb() there
 * only orders the MMU notifier sequence, which the lock then rechecks).
 */
#define smp_rmb()		__atomic_signal_fence(__ATOMIC_SEQ_CST)
#define smp_wmb()		__atomic_signal_fence(__ATOMIC_SEQ_CST)
#else
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#endif

static inline u64 be64_to_cpu(__be64 v)
{
	return __builtin_bswap64(v);
}

static inline __be64 cpu_to_be64(u64 v)
{
	return __builtin_bswap64(v);
}

/* atomic_t and the page_ref API of include/linux/page_ref.h */
typedef struct {
	int counter;
} atomic_t;

static inline int atomic_read(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_set(atomic_t *v, int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

/* Adds @a unless the value is @u; true if it added (as in the kernel). */
static inline bool atomic_add_unless(atomic_t *v, int a, int u)
{
	int c = atomic_read(v);

	do {
		if (c == u)
			return false;
	} while (!__atomic_compare_exchange_n(&v->counter, &c, c + a, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return true;
}

/*
 * struct page: the fields the code under test touches, padded to the size
 * being tested (56, 64 and 80 all occur in real configurations).
 */
#define PG_head 16
struct page {
	unsigned long flags;
	unsigned long compound_head;
	atomic_t _refcount;
	int _mapcount;
	char _pad[SHIM_STRUCT_PAGE_SIZE - 2 * sizeof(unsigned long) -
		  2 * sizeof(int)];
};
_Static_assert(sizeof(struct page) == SHIM_STRUCT_PAGE_SIZE, "page size");

/* The uninstrumented primitives (asm-generic/bitops, atomic-arch-fallback). */
static inline bool arch_test_bit(long nr, const volatile unsigned long *addr)
{
	return (__atomic_load_n(addr, __ATOMIC_RELAXED) >> nr) & 1;
}

static inline int arch_atomic_read(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline bool arch_atomic_try_cmpxchg(atomic_t *v, int *old, int new)
{
	return __atomic_compare_exchange_n(&v->counter, old, new, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

static inline int PageCompound(struct page *page)
{
	return (READ_ONCE(page->flags) >> PG_head) & 1 ||
	       (READ_ONCE(page->compound_head) & 1);
}

static inline int page_ref_count(struct page *page)
{
	return atomic_read(&page->_refcount);
}

static inline bool page_ref_add_unless(struct page *page, int nr, int u)
{
	return atomic_add_unless(&page->_refcount, nr, u);
}

static inline bool get_page_unless_zero(struct page *page)
{
	return page_ref_add_unless(page, 1, 0);
}

/* Virtual mode's put_page(): the shim only counts, it frees nothing. */
static inline void put_page(struct page *page)
{
	__atomic_sub_fetch(&page->_refcount.counter, 1, __ATOMIC_SEQ_CST);
}

/* SPARSEMEM_VMEMMAP: struct page *vmemmap and the arithmetic around it. */
extern struct page *vmemmap;
#define pfn_to_page(pfn)	(vmemmap + (pfn))
#define page_to_pfn(page)	((unsigned long)((page) - vmemmap))
#define __pa(x)			((unsigned long)(x))
#define __va(x)			((void *)(unsigned long)(x))
#define page_to_virt(page)	__va(PFN_PHYS(page_to_pfn(page)))

struct vmemmap_backing {
	struct vmemmap_backing *list;
	unsigned long phys;
	unsigned long virt_addr;
};
extern struct vmemmap_backing *vmemmap_list;

struct mmu_psize_def {
	unsigned int shift;
};
#define MMU_PAGE_COUNT 16
extern struct mmu_psize_def mmu_psize_defs[MMU_PAGE_COUNT];
extern int mmu_vmemmap_psize;

/* What init_64.c's vmemmap_list code uses besides the above. */
#define WARN_ON(c)		({ bool __c = !!(c); if (__c) shim_warn(__FILE__, __LINE__); __c; })
#define WARN_ON_ONCE(c)		WARN_ON(c)
#define pr_debug(...)		do { } while (0)
void shim_warn(const char *file, int line);
extern unsigned long shim_warnings;

/*
 * mm/sparse-vmemmap.c's allocator; shim_alloc_fail_after makes the n-th
 * call from now fail (0: never), to test what happens when memory runs out.
 */
void *vmemmap_alloc_block(unsigned long size, int node);
extern long shim_alloc_fail_after;
extern unsigned long shim_alloc_calls, shim_alloc_failures;

#endif /* SHIM_SHIM_H */
