// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host shim's data and allocator: the globals that Linux defines in
 * arch/powerpc/mm (vmemmap, vmemmap_list, mmu_psize_defs; the code that
 * maintains vmemmap_list is the shipped init_64.c's, tests/shipped.sh) and
 * vmemmap_alloc_block() from the C library, with failure injection.
 */
#include <stdlib.h>
#include <shim/shim.h>

/* Where book3s64 puts the vmemmap with 64K pages (never dereferenced). */
struct page *vmemmap = (struct page *)0xc00c000000000000UL;
struct vmemmap_backing *vmemmap_list;
struct mmu_psize_def mmu_psize_defs[MMU_PAGE_COUNT];
int mmu_vmemmap_psize;

unsigned long shim_warnings;

void shim_warn(const char *file, int line)
{
	(void)file;
	(void)line;
	__atomic_add_fetch(&shim_warnings, 1, __ATOMIC_RELAXED);
}

long shim_alloc_fail_after;
unsigned long shim_alloc_calls, shim_alloc_failures;

void *vmemmap_alloc_block(unsigned long size, int node)
{
	void *p;

	(void)node;
	shim_alloc_calls++;
	if (shim_alloc_fail_after > 0 && --shim_alloc_fail_after == 0) {
		shim_alloc_failures++;
		return NULL;
	}
	/* Not zeroed, like the page allocator path of the real one. */
	if (posix_memalign(&p, size < PAGE_SIZE ? PAGE_SIZE : size, size))
		return NULL;
	memset(p, 0xa5, size);
	return p;
}
