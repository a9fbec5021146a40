/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reaching struct page with the MMU off: the declarations of
 * arch/powerpc/mm/realmode_page.c, the hooks that keep its vmemmap index in
 * step with vmemmap_list, and the fallbacks for memory models whose struct
 * pages real mode cannot reach.  realmode_pfn_to_page()'s answer is good for
 * as long as the caller keeps @pfn's memory from being offlined.
 */
#ifndef _ASM_POWERPC_REALMODE_PAGE_H
#define _ASM_POWERPC_REALMODE_PAGE_H

#include <linux/errno.h>
#include <linux/types.h>

struct page;

#ifdef CONFIG_PPC_REALMODE_PAGE
struct page *realmode_pfn_to_page(unsigned long pfn);
int realmode_get_page(struct page *page);
int realmode_put_page(struct page *page);
#else
static inline struct page *realmode_pfn_to_page(unsigned long pfn)
{
	return NULL;
}

static inline int realmode_get_page(struct page *page)
{
	return -EAGAIN;
}

static inline int realmode_put_page(struct page *page)
{
	return -EAGAIN;
}
#endif

#if defined(CONFIG_PPC_REALMODE_PAGE) && defined(CONFIG_SPARSEMEM_VMEMMAP)
void vmemmap_rm_index_add(unsigned long start, unsigned long phys, int node);
void vmemmap_rm_index_del(unsigned long start);
bool vmemmap_rm_index_complete(void);
struct page *vmemmap_rm_walk(unsigned long pfn);
#else
static inline void vmemmap_rm_index_add(unsigned long start,
					unsigned long phys, int node)
{
}

static inline void vmemmap_rm_index_del(unsigned long start)
{
}
#endif

#endif /* _ASM_POWERPC_REALMODE_PAGE_H */
