// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The model's loading: each part once, and only when something asks for it.  The
 * vmemmap (the walk, the index, mem_section for the base, the radix page tables over
 * it, and the translations installed into the dump) is loaded by anything that needs
 * a struct page; the MMU needs only the page-table probe; the struct page layout only
 * VMCOREINFO.  The comparison (compare.c) runs only when the rules ask for it.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

/* The vmemmap region is aligned far beyond any block (1 TiB covers every book3s64
 * layout), which keeps one stray entry from moving a base derived from the blocks. */
#define VMEMMAP_REGION_SHIFT 40
/* The vmemmap of 2^MAX_PHYSMEM_BITS bytes of 4K pages is below 2^48 bytes. */
#define VMEMMAP_SPAN_MAX (1ULL << 48)

void tce_model_init(struct tce_model *m, struct tce_dump *d)
{
	memset(m, 0, sizeof(*m));
	m->d = d;
	m->vm_slot = m->pgt_slot = -1;
}

void tce_model_free(struct tce_model *m)
{
	tce_dump_remove_xlat(m->d, m->vm_slot);
	tce_dump_remove_xlat(m->d, m->pgt_slot);
	tce_vm_walk_free(&m->walk);
	free(m->index);
	free(m->direct);
	free(m->not_vmemmap);
	tce_pgt_free(&m->pgt);
	tce_sections_free(&m->sect);
	tce_page_layout_free(&m->layout);
	free(m->runs);
	tce_model_tables_free(m);
	memset(m, 0, sizeof(*m));
	m->vm_slot = m->pgt_slot = -1;
}

/* Without mem_section: the most common vmemmap region among the blocks (physical
 * memory starts at 0 on ppc64, so the region's start is pfn 0's struct page). */
static int derive_base(struct tce_model *m, uint64_t *base)
{
	const struct vm_walk *w = &m->walk;
	uint64_t best = 0, cur, *v;
	size_t i, bestn = 0, n;

	v = malloc(w->nblocks * sizeof(*v));
	if (!v)
		return tce_set_err(m->d, TCE_ENOMEM, "vmemmap base: out of memory");
	for (i = 0; i < w->nblocks; i++)
		v[i] = w->blocks[i].virt >> VMEMMAP_REGION_SHIFT;
	qsort(v, w->nblocks, sizeof(*v), tce_cmp_u64);
	for (i = 0; i < w->nblocks; i += n) {
		cur = v[i];
		for (n = 0; i + n < w->nblocks && v[i + n] == cur; n++)
			;
		if (n > bestn) {
			bestn = n;
			best = cur;
		}
	}
	free(v);
	*base = best << VMEMMAP_REGION_SHIFT;
	return 0;
}

static void set_max_pfn(struct tce_model *m, uint64_t end)
{
	uint64_t sz = m->psz, pfn = (end - m->base + sz - 1) / sz;

	if (end > m->base && end - m->base <= VMEMMAP_SPAN_MAX && pfn > m->max_pfn)
		m->max_pfn = pfn;
}

static void no_source(struct tce_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void no_source(struct tce_model *m, const char *fmt, ...)
{
	va_list ap;

	m->src = TCE_VMEMMAP_SRC_NONE;
	va_start(ap, fmt);
	vsnprintf(m->src_why, sizeof(m->src_why), fmt, ap);
	va_end(ap);
}

/* The vmemmap base: the kernel's own variable (SYMBOL(vmemmap), 6.2 and later), else
 * mem_section's encoded mem_map, else the region the blocks lie in. */
static int find_base(struct tce_model *m)
{
	struct tce_dump *d = m->d;
	uint64_t v;
	int ret;

	if (tce_vmcoreinfo_symbol(d, "vmemmap", &v) == 0 && v >= tce_linear_end(d)) {
		m->base = v;
		m->base_from = TCE_BASE_VMCOREINFO;
		return 0;
	}
	tce_clear_err(d);
	if (m->sect.status == SECT_OK && m->sect.mem_map) {
		m->base = m->sect.mem_map;
		m->base_from = TCE_BASE_SECTIONS;
		return 0;
	}
	if (m->walk.nblocks) {
		ret = derive_base(m, &m->base);
		if (ret)
			return ret;
		m->base_from = TCE_BASE_BLOCKS;
	}
	return 0;
}

/*
 * Radix: the kernel page tables map the vmemmap, read over the whole vmemmap the
 * kernel could have (a struct page for every pfn below 2^MAX_PHYSMEM_BITS), so that a
 * block the list lost still shows.  With a list they are an independent opinion;
 * without one (radix since 6.5) they are the only map.
 */
static int collect_pgtable(struct tce_model *m)
{
	struct tce_dump *d = m->d;
	uint64_t span;
	int ret;

	if (m->pgt.mmu != TCE_MMU_RADIX || !m->pgt.root || !m->base)
		return 0;
	span = tce_max_physmem(d) / tce_dump_page_size(d) * m->psz;
	ret = tce_pgt_collect(d, &m->pgt, m->base, m->base + span);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret) {
		/* the tables over the vmemmap are damaged or missing: no opinion */
		snprintf(m->pgt.why, sizeof(m->pgt.why), "%s", tce_errmsg(d));
		tce_clear_err(d);
		return 0;
	}
	if (!m->pgt.nleaves && m->pgt.ngaps) {
		/* not one table over the vmemmap in the dump: no opinion, said so */
		snprintf(m->pgt.why, sizeof(m->pgt.why), "their pages are not in the dump: "
			 "%.150s", m->pgt.gap_why);
		return 0;
	}
	m->pgt_ok = true;
	if (m->pgt.nleaves) {
		const struct pgt_leaf *l = &m->pgt.leaves[m->pgt.nleaves - 1];

		set_max_pfn(m, l->virt + l->size);
	}
	return 0;
}

/* Which translation page reads go through, and why there is none. */
static void choose_source(struct tce_model *m)
{
	const struct vm_walk *w = &m->walk;
	char list[TCE_ERR_LEN];

	if (!m->base) {
		no_source(m, "the vmemmap base is unknown (VMCOREINFO has no SYMBOL(vmemmap), "
			  "mem_section gives none, and vmemmap_list has no block)");
		return;
	}
	if (m->list_walked && w->nblocks) {
		m->src = TCE_VMEMMAP_SRC_LIST;
		return;
	}
	if (m->pgt_ok && m->pgt.nleaves) {
		m->src = TCE_VMEMMAP_SRC_PGTABLE;
		return;
	}
	if (m->list_walked)
		snprintf(list, sizeof(list), "vmemmap_list is empty");
	else
		snprintf(list, sizeof(list), "vmemmap_list cannot be walked (%s)", w->why);
	if (m->pgt.mmu == TCE_MMU_HASH)
		no_source(m, "%s, and on the hash MMU nothing else in a dump maps the vmemmap "
			  "(its hash-table entries are the hypervisor's)", list);
	else if (m->pgt.mmu == TCE_MMU_UNKNOWN)
		no_source(m, "%s, and the MMU is unknown (no NUMBER(RADIX_MMU); %s)", list,
			  m->pgt.why[0] ? m->pgt.why : "no radix page tables");
	else if (!m->pgt.root)
		no_source(m, "%s, and the radix page tables cannot be read (%s)", list,
			  m->pgt.why[0] ? m->pgt.why : "no SYMBOL(swapper_pg_dir)");
	else if (!m->pgt_ok && m->pgt.ngaps)
		no_source(m, "%s, and the radix page tables over the vmemmap cannot be read "
			  "(%s)", list, m->pgt.why);
	else if (!m->pgt_ok)
		no_source(m, "%s, and the radix page tables over the vmemmap are damaged (%s)",
			  list, m->pgt.why);
	else
		no_source(m, "%s, and the radix page tables map nothing at the vmemmap "
			  "(0x%" PRIx64 ")", list, m->base);
}

/* The source's translation answers kernel-virtual reads of the vmemmap; the kernel
 * page tables (radix, or hash's Linux tables) answer vmalloc, io and modules (from the
 * end of the linear map to the vmemmap). */
static int install(struct tce_model *m)
{
	struct tce_dump *d = m->d;
	uint64_t lin = tce_linear_end(d), end, bs = m->walk.block_size;
	int ret;

	if (m->src != TCE_VMEMMAP_SRC_NONE && m->base >= lin) {
		tce_xlat_fn *fn = tce_index_xlat;
		void *data = m;

		end = m->base + m->max_pfn * m->psz;
		if (m->src == TCE_VMEMMAP_SRC_LIST) {
			end = (end + bs - 1) & ~(bs - 1);
		} else {
			const struct pgt_leaf *l = &m->pgt.leaves[m->pgt.nleaves - 1];

			end = l->virt + l->size;
			/* past the last leaf, tables the dump lacks: the walk says so */
			if (m->pgt.ngaps) {
				l = &m->pgt.gaps[m->pgt.ngaps - 1];
				if (l->virt + l->size > end)
					end = l->virt + l->size;
			}
			fn = tce_pgt_xlat;
			data = &m->pgt;
		}
		if (end > m->base) {
			ret = tce_dump_add_xlat(d, m->base, end, fn, data);
			if (ret < 0)
				return ret;
			m->vm_slot = ret;
		}
	}
	if ((m->pgt_ok || (m->pgt.hash && m->pgt.root)) && m->base > lin) {
		ret = tce_dump_add_xlat(d, lin, m->base, tce_pgt_xlat, &m->pgt);
		if (ret < 0)
			return ret;
		m->pgt_slot = ret;
	}
	return 0;
}

static int load_vmemmap(struct tce_model *m)
{
	struct tce_dump *d = m->d;
	struct vm_walk *w = &m->walk;
	size_t i;
	int ret;

	ret = tce_vm_walk(d, w);
	if (ret)
		return ret;
	m->list_walked = w->end != VM_WALK_NO_PARAMS && w->end != VM_WALK_NO_PSIZE;
	/* the walk needs SIZE(page) too, and says so first when it is missing */
	if (tce_vmcoreinfo_size(d, "page", &m->psz))
		return m->list_walked ? tce_set_err(d, TCE_ENOENT, "VMCOREINFO has no "
						    "SIZE(page): no struct page can be "
						    "located") :
		       tce_set_err(d, w->err, "vmemmap_list cannot be walked: %s", w->why);
	if (m->psz < 8 || m->psz > 4096)
		return tce_set_err(d, TCE_ECORRUPT, "VMCOREINFO SIZE(page)=%" PRIu64 " is "
				   "impossible", m->psz);
	if (m->list_walked)
		ret = tce_index_build(m);
	if (!ret)
		ret = tce_sections_read(d, &m->sect);
	if (!ret)
		ret = tce_pgt_probe(d, &m->pgt);
	if (!ret)
		ret = find_base(m);
	if (ret)
		return ret;

	if (m->base)
		m->pfn_limit = (UINT64_MAX - m->base) / m->psz;
	m->ordered = true;
	for (i = 0; i < w->nblocks; i++) {
		const struct tce_vmemmap_block *b = &w->blocks[i];

		if (i && b->virt > w->blocks[i - 1].virt)
			m->ordered = false;
		if (m->base && b->virt >= m->base)
			set_max_pfn(m, b->virt + w->block_size);
	}
	ret = collect_pgtable(m);
	if (ret)
		return ret;
	choose_source(m);
	ret = install(m);
	if (ret)
		return ret;
	/* a list that cannot be walked matters only when nothing else maps the vmemmap */
	if (!m->list_walked && m->src == TCE_VMEMMAP_SRC_NONE)
		return tce_set_err(d, w->err, "vmemmap_list cannot be walked: %s", w->why);
	return 0;
}

int tce_model_vmemmap(struct tce_model *m)
{
	if (m->vm_loaded) {
		if (m->vm_status)
			tce_set_err(m->d, m->vm_status, "%s", m->vm_err);
		return m->vm_status;
	}
	m->vm_loaded = true;
	m->vm_status = load_vmemmap(m);
	if (m->vm_status)
		snprintf(m->vm_err, sizeof(m->vm_err), "%s", tce_errmsg(m->d));
	else
		tce_clear_err(m->d);
	if (!m->vm_status && m->list_walked && m->src != TCE_VMEMMAP_SRC_PGTABLE && m->base &&
	    m->direct && m->walk.block_size >= m->psz) {
		m->fast_slots = m->ndirect;
		m->fast_oklim = m->walk.block_size - m->psz;
	}
	return m->vm_status;
}

int tce_model_mmu(struct tce_model *m, enum tce_mmu *mmu)
{
	int ret = tce_pgt_probe(m->d, &m->pgt);

	*mmu = m->pgt.mmu;
	return ret;
}

int tce_model_layout(struct tce_model *m)
{
	int ret;

	if (m->layout_loaded)
		return 0;
	ret = tce_page_layout(m->d, &m->layout);
	if (ret) {
		tce_page_layout_free(&m->layout);
		return ret;
	}
	m->layout_loaded = true;
	return 0;
}

enum tce_xlat tce_model_reference(const struct tce_model *m)
{
	switch (m->src) {
	case TCE_VMEMMAP_SRC_LIST:
		return TCE_XLAT_INDEX;
	case TCE_VMEMMAP_SRC_PGTABLE:
		return TCE_XLAT_PGTABLE;
	default:
		return TCE_XLAT_NUM;
	}
}

bool tce_model_gap(const struct tce_model *m, uint64_t va, uint64_t *next)
{
	size_t lo;

	if (!m->pgt_ok || !m->pgt.ngaps)
		return false;
	lo = tce_count_le_virt(m->pgt.gaps, m->pgt.ngaps, sizeof(*m->pgt.gaps), va);
	if (!lo || va - m->pgt.gaps[lo - 1].virt >= m->pgt.gaps[lo - 1].size)
		return false;
	*next = m->pgt.gaps[lo - 1].virt + m->pgt.gaps[lo - 1].size;
	return true;
}

bool tce_model_backed(const struct tce_model *m, uint64_t va, uint64_t *next)
{
	uint64_t start, size;
	size_t lo;

	if (m->src == TCE_VMEMMAP_SRC_LIST) {
		lo = tce_count_le_virt(m->index, m->nindex, sizeof(*m->index), va);
		start = lo ? m->index[lo - 1].virt : 0;
		size = lo ? m->walk.block_size : 0;
		if (lo < m->nindex)
			*next = m->index[lo].virt;
		else
			*next = UINT64_MAX;
	} else if (m->src == TCE_VMEMMAP_SRC_PGTABLE) {
		lo = tce_count_le_virt(m->pgt.leaves, m->pgt.nleaves, sizeof(*m->pgt.leaves),
				       va);
		start = lo ? m->pgt.leaves[lo - 1].virt : 0;
		size = lo ? m->pgt.leaves[lo - 1].size : 0;
		*next = lo < m->pgt.nleaves ? m->pgt.leaves[lo].virt : UINT64_MAX;
	} else {
		*next = UINT64_MAX;
		return false;
	}
	if (lo && va - start < size) {
		/* blocks may overlap (a corrupt list): the end of this one is a boundary */
		if (start + size < *next)
			*next = start + size;
		return true;
	}
	return false;
}
