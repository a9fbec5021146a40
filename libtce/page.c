/*
 * struct page, from VMCOREINFO alone: its size and field offsets (OFFSET(page.*)), the
 * PG_* bit numbers it names, and the page-type values kept in _mapcount.  A bit the
 * dump does not name (PG_reserved, usually) is reported as unknown, never as clear.
 * The struct page is read by kernel virtual address, through the vmemmap translation
 * installed into libkdumpfile, so a struct page split between two blocks reads right.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "priv.h"

static const char *const flag_names[TCE_PF_COUNT] = {
	"lru", "private", "swapcache", "swapbacked", "slab", "hwpoison",
	"head", "tail", "buddy", "offline", "reserved",
};

const char *tce_page_flag_name(unsigned bit)
{
	return bit < TCE_PF_COUNT ? flag_names[bit] : "unknown";
}

/* PG_* bits as VMCOREINFO names them (NUMBER(PG_x) is a bit number). */
static const struct {
	const char *number;
	unsigned flag;
} pg_bits[] = {
	{ "PG_lru", TCE_PF_LRU },
	{ "PG_private", TCE_PF_PRIVATE },
	{ "PG_swapcache", TCE_PF_SWAPCACHE },
	{ "PG_swapbacked", TCE_PF_SWAPBACKED },
	{ "PG_slab", TCE_PF_SLAB },
	{ "PG_hwpoison", TCE_PF_HWPOISON },
	{ "PG_reserved", TCE_PF_RESERVED },
};

static int field(struct tce_dump *d, const char *name, uint64_t size, uint64_t width,
		 uint64_t *off)
{
	int ret = tce_vmcoreinfo_offset(d, "page", name, off);

	if (ret)
		return tce_set_err(d, TCE_ENOENT, "VMCOREINFO has no OFFSET(page.%s)", name);
	if (*off + width > size)
		return tce_set_err(d, TCE_ECORRUPT, "OFFSET(page.%s)=%" PRIu64 " lies past "
				   "SIZE(page)=%" PRIu64, name, *off, size);
	return 0;
}

int tce_page_read(struct tce_dump *d, uint64_t pfn, struct tce_page *pg)
{
	const struct tce_vmemmap *vm;
	unsigned char buf[4096];
	uint64_t size, o_flags, o_ref, o_map, o_head, o, phys;
	int64_t num;
	enum tce_xlat_status st;
	size_t i;
	int ret;

	memset(pg, 0, sizeof(*pg));
	pg->pfn = pfn;
	pg->compound_order = -1;
	ret = tce_vmemmap_load(d, &vm);
	if (ret && !vm->nblocks)
		return ret;
	if (tce_vmcoreinfo_size(d, "page", &size) || size > sizeof(buf) || size < 8)
		return tce_set_err(d, TCE_ENOENT, "VMCOREINFO has no usable SIZE(page)");
	ret = field(d, "flags", size, 8, &o_flags);
	if (!ret)
		ret = field(d, "_refcount", size, 4, &o_ref);
	if (!ret)
		ret = field(d, "_mapcount", size, 4, &o_map);
	if (!ret)
		ret = field(d, "compound_head", size, 8, &o_head);
	if (ret)
		return ret;

	pg->vmemmap = tce_pfn_to_vmemmap(vm, pfn);
	st = tce_pfn_to_page(d, TCE_XLAT_INDEX, pfn, &phys);
	if (st == TCE_XS_NOBLOCK || st == TCE_XS_ERROR)
		return tce_set_err(d, TCE_ENOXLAT, "pfn 0x%" PRIx64 ": no vmemmap block backs "
				   "its struct page (0x%" PRIx64 ")", pfn, pg->vmemmap);
	pg->phys = phys;
	ret = tce_read(d, TCE_KVADDR, pg->vmemmap, buf, size);
	if (ret)
		return ret;

	pg->flags = tce_bo64(buf + o_flags, d->bo);
	pg->refcount = (int32_t)tce_bo32(buf + o_ref, d->bo);
	pg->mapcount = (int32_t)tce_bo32(buf + o_map, d->bo);
	pg->compound_head = tce_bo64(buf + o_head, d->bo);
	if (tce_vmcoreinfo_offset(d, "page", "mapping", &o) == 0 && o + 8 <= size)
		pg->mapping = tce_bo64(buf + o, d->bo);
	if (tce_vmcoreinfo_offset(d, "page", "private", &o) == 0 && o + 8 <= size)
		pg->private_ = tce_bo64(buf + o, d->bo);

	for (i = 0; i < ARRAY_SIZE(pg_bits); i++) {
		if (tce_vmcoreinfo_number(d, pg_bits[i].number, &num) || num < 0 || num > 63)
			continue;
		pg->known |= pg_bits[i].flag;
		if (pg->flags & (1ULL << num))
			pg->decoded |= pg_bits[i].flag;
	}

	pg->head_pfn = pfn;
	pg->known |= TCE_PF_TAIL;
	if (pg->compound_head & 1) {
		uint64_t head = pg->compound_head - 1;

		pg->decoded |= TCE_PF_TAIL;
		if (head >= vm->base && (head - vm->base) % vm->struct_page_size == 0)
			pg->head_pfn = (head - vm->base) / vm->struct_page_size;
		else
			pg->head_pfn = TCE_NO_PFN;
	}
	if (tce_vmcoreinfo_number(d, "PG_head_mask", &num) == 0) {
		pg->known |= TCE_PF_HEAD;
		if (pg->flags & (uint64_t)num)
			pg->decoded |= TCE_PF_HEAD;
	}
	if (tce_vmcoreinfo_number(d, "PAGE_BUDDY_MAPCOUNT_VALUE", &num) == 0) {
		pg->known |= TCE_PF_BUDDY;
		if (pg->mapcount == (int32_t)num)
			pg->decoded |= TCE_PF_BUDDY;
	}
	if (tce_vmcoreinfo_number(d, "PAGE_OFFLINE_MAPCOUNT_VALUE", &num) == 0) {
		pg->known |= TCE_PF_OFFLINE;
		if (pg->mapcount == (int32_t)num)
			pg->decoded |= TCE_PF_OFFLINE;
	}

	/* a head page's order lives in its first tail page (unsigned char in 6.1) */
	if ((pg->decoded & TCE_PF_HEAD) &&
	    tce_vmcoreinfo_offset(d, "page", "compound_order", &o) == 0 && o < size) {
		unsigned char order;

		if (tce_read(d, TCE_KVADDR, tce_pfn_to_vmemmap(vm, pfn + 1) + o, &order, 1) == 0)
			pg->compound_order = order;
	}
	d->err[0] = '\0';
	return 0;
}
