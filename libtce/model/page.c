// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * struct page, read and decoded with the layout resolved once (walk/page-layout.c):
 * raw fields, the states rules rely on (a flag bit the dump does not name stays
 * unknown, never clear), a tail page's head, a head page's order (from its first
 * tail) and a free buddy page's order (page->private).  The struct page is read by
 * kernel virtual address, through the vmemmap translation installed into the dump
 * (vmemmap_list's, or the radix page tables' where the kernel keeps no list), so a
 * struct page split between two blocks reads right.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "model/model.h"

static const char *const state_names[TCE_PF_COUNT] = {
	"lru", "private", "swapcache", "swapbacked", "slab", "hwpoison",
	"head", "tail", "buddy", "offline", "reserved",
};

const char *tce_page_flag_name(unsigned bit)
{
	return bit < TCE_PF_COUNT ? state_names[bit] : "unknown";
}

/* MAX_ORDER is 9 to 13 on book3s64 kernels; a larger value in private is not an order */
#define BUDDY_ORDER_MAX 63

int tce_model_page_read(struct tce_model *m, uint64_t pfn, struct tce_page *out)
{
	int ret;

	if (out->size < offsetof(struct tce_page, pfn) + sizeof(out->pfn))
		return tce_set_err(m->d, TCE_EINVAL, "struct tce_page: size %zu is too small",
				   out->size);
	ret = tce_model_vmemmap(m);
	if (!ret)
		ret = tce_model_layout(m);
	if (ret)
		return ret;
	return tce_model_page_read_on(m, m->d, pfn, out);
}

/* pg (its size set) for pfn: its struct page located, at pg->phys whole (*whole) or
 * to be read by its vmemmap address, and what page_decode() may leave as it is
 * cleared; 0 or the error, with its message when say (a run of pages that cannot be
 * located is read again a page at a time, which says why: a table whose entries lie
 * past the vmemmap's end would format a million messages twice) */
static int page_locate(const struct tce_model *m, struct tce_dump *d, uint64_t pfn,
		       struct tce_page *pg, bool *whole, bool say)
{
	const struct page_layout *l = &m->layout;
	enum tce_xlat_status st;
	enum tce_xlat ref;

	if (!l->known)
		return !say ? -TCE_ENOENT :
		       tce_set_err(d, TCE_ENOENT, "pfn 0x%" PRIx64 ": %s", pfn, l->why);

	pg->pfn = pfn;
	pg->head_pfn = TCE_NO_PFN;
	pg->compound_order = -1;
	pg->buddy_order = -1;
	pg->mapping = 0;
	pg->private_ = 0;
	pg->states = 0;
	ref = tce_model_reference(m);
	if (ref == TCE_XLAT_NUM)
		return !say ? -TCE_ENOXLAT :
		       tce_set_err(d, TCE_ENOXLAT, "pfn 0x%" PRIx64 ": no struct page can be "
				   "located: %s", pfn, m->src_why);
	if (!tce_model_pfn_va(m, pfn, &pg->vmemmap))
		return !say ? -TCE_ENOXLAT :
		       tce_set_err(d, TCE_ENOXLAT, "pfn 0x%" PRIx64 " has no struct page (the "
				   "vmemmap ends before it)", pfn);
	st = tce_vm_xlat(m, ref, pg->vmemmap, &pg->phys);
	/* page tables the dump lacks: the walk of this address says which page */
	if (st == TCE_XS_UNAVAILABLE && ref == TCE_XLAT_PGTABLE)
		st = TCE_XS_STRADDLE;
	if (st != TCE_XS_OK && st != TCE_XS_STRADDLE)
		return !say ? -TCE_ENOXLAT :
		       tce_set_err(d, TCE_ENOXLAT, "pfn 0x%" PRIx64 ": %s its struct page "
				   "(0x%" PRIx64 ")", pfn, ref == TCE_XLAT_INDEX ?
				   "no vmemmap block backs" : "the radix page tables do not map",
				   pg->vmemmap);
	*whole = st == TCE_XS_OK;
	return 0;
}

/* pg (located) decoded from its struct page's bytes buf; d reads a head page's order */
static void page_decode(const struct tce_model *m, struct tce_dump *d,
			const unsigned char *buf, struct tce_page *pg)
{
	const struct page_layout *l = &m->layout;
	enum tce_byteorder bo = tce_dump_byteorder(d);
	uint64_t set;
	unsigned i;

	pg->flags = tce_bo64(buf + l->o_flags, bo);
	pg->refcount = (int32_t)tce_bo32(buf + l->o_refcount, bo);
	pg->mapcount = (int32_t)tce_bo32(buf + l->o_mapcount, bo);
	pg->compound_head = tce_bo64(buf + l->o_compound_head, bo);
	pg->has_mapping = l->has_mapping;
	pg->has_private = l->has_private;
	if (l->has_mapping)
		pg->mapping = tce_bo64(buf + l->o_mapping, bo);
	if (l->has_private)
		pg->private_ = tce_bo64(buf + l->o_private, bo);
	pg->named_flags = l->named_mask;

	/* the states the layout can say (tce_page_layout()), then each from its flag bit
	 * or its page type */
	pg->known = l->known_states;
	/* the set bits alone (a page has few of those named) */
	for (set = pg->flags & l->flag_mask; set; set &= set - 1)
		pg->states |= l->states_of_bit[__builtin_ctzll(set)];
	/* a tail page's compound_head is its head's address with bit 0 set */
	pg->known |= TCE_PF_TAIL;
	if (pg->compound_head & 1) {
		uint64_t head = pg->compound_head - 1, sz = m->psz;

		pg->states |= TCE_PF_TAIL;
		if (head >= m->base && (head - m->base) % sz == 0)
			pg->head_pfn = (head - m->base) / sz;
	}
	for (i = 0; i < l->ntype; i++) {
		const struct page_type *t = &l->type_of[l->type_state[i]];

		if (((uint32_t)pg->mapcount & t->mask) == t->value)
			pg->states |= 1u << l->type_state[i];
	}
	if ((pg->states & TCE_PF_BUDDY) && l->has_private && pg->private_ <= BUDDY_ORDER_MAX)
		pg->buddy_order = (int)pg->private_;
	/* a head page's order lives in its first tail page (an unsigned char in 6.1) */
	if ((pg->states & TCE_PF_HEAD) && l->has_order) {
		unsigned char order;
		uint64_t tail;

		if (tce_model_pfn_va(m, pg->pfn + 1, &tail) &&
		    tce_read(d, TCE_KVADDR, tail + l->o_compound_order, &order, 1) == 0)
			pg->compound_order = order;
	}
}

static int page_read(const struct tce_model *m, struct tce_dump *d, uint64_t pfn,
		     struct tce_page *out, bool say)
{
	const struct page_layout *l = &m->layout;
	struct tce_page pg = { .size = sizeof(pg) };
	unsigned char buf[4096];
	size_t size = out->size;
	bool whole;
	int ret;

	ret = page_locate(m, d, pfn, &pg, &whole, say);
	if (ret)
		return ret;
	/* a whole struct page in one block is read where the translation found it; one
	 * split between blocks (or under page tables the dump lacks) through the
	 * vmemmap's own translation */
	ret = whole ? tce_read(d, TCE_PHYS, pg.phys, buf, l->size) :
	      tce_read(d, TCE_KVADDR, pg.vmemmap, buf, l->size);
	if (ret)
		return tce_prepend_err(d, ret, "pfn 0x%" PRIx64 ": struct page at 0x%" PRIx64,
				       pfn, pg.vmemmap);
	page_decode(m, d, buf, &pg);
	if (size > sizeof(pg))
		size = sizeof(pg);
	memcpy(out, &pg, size);
	out->size = size;
	tce_clear_err(d);
	return 0;
}

int tce_model_page_read_on(const struct tce_model *m, struct tce_dump *d, uint64_t pfn,
			   struct tce_page *out)
{
	return page_read(m, d, pfn, out, true);
}

int tce_model_page_read_quiet(const struct tce_model *m, struct tce_dump *d, uint64_t pfn,
			      struct tce_page *out)
{
	return page_read(m, d, pfn, out, false);
}

int tce_model_pages_read_on(const struct tce_model *m, struct tce_dump *d, uint64_t pfn,
			    size_t n, struct tce_page *const *out)
{
	unsigned char buf[4096];
	uint64_t len;
	bool whole;
	size_t i;

	if (n > TCE_PAGES_RUN || !n)
		return 1;
	len = (n - 1) * m->psz + m->layout.size;
	if (len > sizeof(buf))
		return 1;
	/* decoded in place: the caller's struct tce_page is this one */
	for (i = 0; i < n; i++) {
		if (out[i]->size != sizeof(*out[i]) ||
		    page_locate(m, d, pfn + i, out[i], &whole, false) || !whole ||
		    out[i]->phys != out[0]->phys + i * m->psz) {
			tce_clear_err(d);
			return 1;
		}
	}
	if (tce_read(d, TCE_PHYS, out[0]->phys, buf, len)) {
		tce_clear_err(d);
		return 1;
	}
	for (i = 0; i < n; i++)
		page_decode(m, d, buf + i * m->psz, out[i]);
	tce_clear_err(d);
	return 0;
}
