// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The walk of ppc64's vmemmap_list: the vmemmap_backing entries that record which
 * physical memory backs each block of the vmemmap (arch/powerpc/mm/init_64.c), in list
 * order.  The layout comes from VMCOREINFO.  The walk is bounded by what the dump can
 * hold and detects cycles with a set of visited addresses; how it ended is data for
 * the rules, never an error.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk/walk.h"

/* mmu_psize_defs[] has MMU_PAGE_COUNT entries (16 in 6.1): an index past this is
 * corrupt whatever the kernel. */
#define MMU_PAGE_COUNT_MAX 64
/* The largest vmemmap page a ppc64 kernel uses is 16G (hash 16G pages). */
#define VMEMMAP_SHIFT_MAX 34
/* A vmemmap of 2^24 blocks describes petabytes: a longer list is corrupt. */
#define VM_WALK_MAX_ENTRIES (1ULL << 24)
/* Any kernel structure we read whole is smaller than this. */
#define STRUCT_MAX 4096

static void why(struct vm_walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void why(struct vm_walk *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->why, sizeof(w->why), fmt, ap);
	va_end(ap);
}

static bool get_params(struct tce_dump *d, struct vm_walk *w)
{
	struct vm_params *p = &w->p;
	struct {
		int ret;
		const char *what;
	} need[] = {
		{ tce_vmcoreinfo_symbol(d, "vmemmap_list", &p->head_sym),
		  "SYMBOL(vmemmap_list)" },
		{ tce_vmcoreinfo_symbol(d, "mmu_vmemmap_psize", &p->psize_sym),
		  "SYMBOL(mmu_vmemmap_psize)" },
		{ tce_vmcoreinfo_symbol(d, "mmu_psize_defs", &p->psdefs_sym),
		  "SYMBOL(mmu_psize_defs)" },
		{ tce_vmcoreinfo_size(d, "vmemmap_backing", &p->backing_size),
		  "SIZE(vmemmap_backing)" },
		{ tce_vmcoreinfo_offset(d, "vmemmap_backing", "list", &p->off_list),
		  "OFFSET(vmemmap_backing.list)" },
		{ tce_vmcoreinfo_offset(d, "vmemmap_backing", "phys", &p->off_phys),
		  "OFFSET(vmemmap_backing.phys)" },
		{ tce_vmcoreinfo_offset(d, "vmemmap_backing", "virt_addr", &p->off_virt),
		  "OFFSET(vmemmap_backing.virt_addr)" },
		{ tce_vmcoreinfo_size(d, "mmu_psize_def", &p->psdef_size),
		  "SIZE(mmu_psize_def)" },
		{ tce_vmcoreinfo_offset(d, "mmu_psize_def", "shift", &p->off_shift),
		  "OFFSET(mmu_psize_def.shift)" },
		{ tce_vmcoreinfo_size(d, "page", &p->page_size), "SIZE(page)" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(need); i++) {
		if (need[i].ret == 0)
			continue;
		why(w, "VMCOREINFO has no %s", need[i].what);
		w->err = -TCE_ENOENT;
		return false;
	}
	if (!tce_field_fits(0, 8, p->backing_size) || p->backing_size > STRUCT_MAX ||
	    !tce_field_fits(p->off_list, 8, p->backing_size) ||
	    !tce_field_fits(p->off_phys, 8, p->backing_size) ||
	    !tce_field_fits(p->off_virt, 8, p->backing_size) ||
	    p->page_size < 8 || p->page_size > STRUCT_MAX || p->psdef_size > STRUCT_MAX ||
	    !tce_field_fits(p->off_shift, 4, p->psdef_size)) {
		why(w, "VMCOREINFO describes an impossible vmemmap_backing, mmu_psize_def "
		    "or page layout");
		w->err = -TCE_ECORRUPT;
		return false;
	}
	return true;
}

/* Reads mmu_psize_defs[mmu_vmemmap_psize].shift. */
static bool get_block_shift(struct tce_dump *d, struct vm_walk *w)
{
	const struct vm_params *p = &w->p;
	enum tce_byteorder bo = tce_dump_byteorder(d);
	uint32_t idx, sh;

	w->err = -TCE_ECORRUPT;
	if (tce_read_u32(d, TCE_KVADDR, p->psize_sym, bo, &idx)) {
		why(w, "mmu_vmemmap_psize cannot be read: %s", tce_errmsg(d));
		w->err = -TCE_ENODATA;
		return false;
	}
	if (idx >= MMU_PAGE_COUNT_MAX) {
		why(w, "mmu_vmemmap_psize = %u is not a page size index", idx);
		return false;
	}
	if (tce_read_u32(d, TCE_KVADDR, p->psdefs_sym + idx * p->psdef_size + p->off_shift,
			 bo, &sh)) {
		why(w, "mmu_psize_defs[%u] cannot be read: %s", idx, tce_errmsg(d));
		w->err = -TCE_ENODATA;
		return false;
	}
	if (sh < tce_dump_page_shift(d) || sh > VMEMMAP_SHIFT_MAX) {
		why(w, "mmu_psize_defs[%u].shift = %u is not a vmemmap page size", idx, sh);
		return false;
	}
	w->block_shift = sh;
	w->block_size = 1ULL << sh;
	w->err = 0;
	return true;
}

static int walk_list(struct tce_dump *d, struct vm_walk *w)
{
	const struct vm_params *p = &w->p;
	enum tce_byteorder bo = tce_dump_byteorder(d);
	struct addr_set seen = { 0 };
	unsigned char buf[STRUCT_MAX];
	uint64_t elem, bound;
	size_t cap = 0, first;
	int ret = 0;

	if (tce_read_u64(d, TCE_KVADDR, p->head_sym, bo, &w->head)) {
		w->end = VM_WALK_CUT;
		w->cut_at = p->head_sym;
		why(w, "%s", tce_errmsg(d));
		return 0;
	}
	/* no more entries than the dump's memory could hold */
	bound = tce_dump_phys_bytes(d) ? tce_dump_phys_bytes(d) / p->backing_size + 1 :
		VM_WALK_MAX_ENTRIES;
	if (bound > VM_WALK_MAX_ENTRIES)
		bound = VM_WALK_MAX_ENTRIES;

	for (elem = w->head; elem; ) {
		struct tce_vmemmap_block *b;

		if (w->nblocks >= bound) {
			w->end = VM_WALK_BOUND;
			w->bound = bound;
			goto out;
		}
		ret = tce_addrset_add(&seen, elem, w->nblocks, &first);
		if (ret < 0) {
			ret = tce_set_err(d, TCE_ENOMEM, "vmemmap_list entry %zu: out of memory",
					  w->nblocks);
			goto out;
		}
		if (ret == 1) {
			w->end = VM_WALK_CYCLE;
			w->cycle_from = w->nblocks - 1;
			w->cycle_to = first;
			ret = 0;
			goto out;
		}
		if (tce_read(d, TCE_KVADDR, elem, buf, p->backing_size)) {
			w->end = VM_WALK_CUT;
			w->cut_at = elem;
			why(w, "%s", tce_errmsg(d));
			ret = 0;
			goto out;
		}
		if (w->nblocks == cap) {
			struct tce_vmemmap_block *nb;

			cap = cap ? cap * 2 : 64;
			nb = realloc(w->blocks, cap * sizeof(*nb));
			if (!nb) {
				ret = tce_set_err(d, TCE_ENOMEM, "vmemmap_list entry %zu: out of "
						  "memory", w->nblocks);
				goto out;
			}
			w->blocks = nb;
		}
		b = &w->blocks[w->nblocks++];
		b->entry = elem;
		b->phys = tce_bo64(buf + p->off_phys, bo);
		b->virt = tce_bo64(buf + p->off_virt, bo);
		elem = tce_bo64(buf + p->off_list, bo);
	}
	w->end = VM_WALK_NULL;
out:
	tce_addrset_free(&seen);
	return ret;
}

int tce_vm_walk(struct tce_dump *d, struct vm_walk *w)
{
	int ret;

	if (w->end != VM_WALK_NOT_RUN)
		return 0;
	if (!get_params(d, w)) {
		w->end = VM_WALK_NO_PARAMS;
		return 0;
	}
	/*
	 * An empty list needs no block size: radix since 6.5 keeps the list empty and
	 * leaves mmu_vmemmap_psize at MMU_PAGE_4K (only the hash code sets it), which on
	 * a 64K-page kernel names a page smaller than a base page.
	 */
	if (tce_read_u64(d, TCE_KVADDR, w->p.head_sym, tce_dump_byteorder(d), &w->head) == 0 &&
	    !w->head) {
		w->end = VM_WALK_NULL;
		tce_clear_err(d);
		return 0;
	}
	tce_clear_err(d);
	if (!get_block_shift(d, w)) {
		w->end = VM_WALK_NO_PSIZE;
		return 0;
	}
	ret = walk_list(d, w);
	if (!ret)
		tce_clear_err(d);
	return ret;
}

void tce_vm_walk_free(struct vm_walk *w)
{
	free(w->blocks);
	memset(w, 0, sizeof(*w));
}
