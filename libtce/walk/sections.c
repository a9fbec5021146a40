// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SPARSEMEM's mem_section: the kernel's own record of which memory it manages, one
 * section of 2^SECTION_SIZE_BITS bytes at a time.  ppc64 builds SPARSEMEM_EXTREME:
 * SYMBOL(mem_section) is an array of LENGTH(mem_section) root pointers, each root a
 * page of struct mem_section.  A section is present when bit 0 of section_mem_map is
 * set; with SPARSEMEM_VMEMMAP the rest of the word (flag bits cleared) is the address
 * of pfn 0's struct page, the same for every section: the vmemmap base, from the
 * kernel itself.  Memory the dump holds but no present section covers is memory the
 * kernel does not manage (device memory a hypervisor dumped).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk/walk.h"

/* section_mem_map's flag bits (include/linux/mmzone.h), stable since 2.6 and relied on
 * by makedumpfile and crash alike; VMCOREINFO does not carry them. */
#define SECTION_MARKED_PRESENT (1ULL << 0)
#define SECTION_HAS_MEM_MAP (1ULL << 1)
#define SECTION_IS_ONLINE (1ULL << 2)
/* The flags stay below bit SECTION_MAP_LAST_BIT (5 in 6.1, 6 later): the encoded map
 * is aligned past them, and the vmemmap base far more, so clearing 8 bits is safe. */
#define SECTION_FLAG_MASK 0xffULL
/* Bounds that a real kernel never reaches: 2^22 roots (4 MiB of pointers) and 2^22
 * present sections (64 TiB of 16 MiB sections). */
#define ROOTS_MAX (1ULL << 22)
#define PRESENT_MAX (1ULL << 22)

static int unknown(struct sections *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int unknown(struct sections *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	s->status = SECT_UNKNOWN;
	free(s->v);
	free(s->gaps);
	s->v = NULL;
	s->gaps = NULL;
	s->n = s->ngaps = 0;
	return 0;
}

/* Section numbers [first, last] are unknown; adjacent gaps merge. */
static int add_gap(struct tce_dump *d, struct sections *s, uint64_t first, uint64_t last)
{
	struct sect_gap *g;

	if (s->ngaps && s->gaps[s->ngaps - 1].last + 1 == first) {
		s->gaps[s->ngaps - 1].last = last;
		return 0;
	}
	/* room doubles (16, 32, ...): a corrupt root array can leave a gap at every
	 * other root, and growing by one is quadratic */
	if (s->ngaps == 0 || (s->ngaps >= 16 && !(s->ngaps & (s->ngaps - 1)))) {
		g = realloc(s->gaps, (s->ngaps ? s->ngaps * 2 : 16) * sizeof(*g));
		if (!g)
			return tce_set_err(d, TCE_ENOMEM, "mem_section gaps: out of memory");
		s->gaps = g;
	}
	s->gaps[s->ngaps].first = first;
	s->gaps[s->ngaps].last = last;
	s->ngaps++;
	return 0;
}

static int add(struct tce_dump *d, struct sections *s, size_t *cap, uint64_t nr,
	       uint64_t smm)
{
	struct mem_sect *m;

	if (s->n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;

		m = realloc(s->v, c * sizeof(*m));
		if (!m)
			return tce_set_err(d, TCE_ENOMEM, "mem_section %" PRIu64 ": out of "
					   "memory", nr);
		s->v = m;
		*cap = c;
	}
	m = &s->v[s->n++];
	m->nr = nr;
	m->mem_map = smm & ~SECTION_FLAG_MASK;
	m->has_mem_map = smm & SECTION_HAS_MEM_MAP;
	m->online = smm & SECTION_IS_ONLINE;
	return 0;
}

/* Root pointers read at once (64 KiB) */
#define ROOT_CHUNK 8192

/* A root in use: its number, its address */
struct live_root {
	uint64_t r, at;
};

/*
 * Root pointers r .. r + m - 1 (of the array at sym) into ptrs, page by page: a dump
 * may hold part of the array (a trimmed sample, makedumpfile's filters); the pointers
 * it lacks read as none, their sections unknown, not empty (gaps).  0 or -TCE_ENOMEM.
 */
static int read_roots(struct tce_dump *d, struct sections *s, uint64_t sym, uint64_t r,
		      uint64_t m, uint64_t per_root, unsigned char *ptrs)
{
	uint64_t page_size = tce_dump_page_size(d), q;
	int ret;

	for (q = r; q < r + m; ) {
		uint64_t at = sym + q * 8, chunk = page_size - (at & (page_size - 1));
		uint64_t n = chunk / 8 < r + m - q ? chunk / 8 : r + m - q;

		if (tce_read(d, TCE_KVADDR, at, ptrs + (q - r) * 8, n * 8)) {
			tce_clear_err(d);
			memset(ptrs + (q - r) * 8, 0, n * 8);
			ret = add_gap(d, s, q * per_root, (q + n) * per_root - 1);
			if (ret)
				return ret;
		}
		q += n;
	}
	return 0;
}

int tce_sections_read(struct tce_dump *d, struct sections *s)
{
	enum tce_byteorder bo = tce_dump_byteorder(d);
	uint64_t sym, ms_size, off, len, per_root, nr_sections, nroots, r, i;
	uint64_t page_size = tce_dump_page_size(d), root_bytes, m, j;
	int64_t sbits, pbits;
	unsigned char *root = NULL, *ptrs = NULL;
	struct live_root *live = NULL;
	size_t cap = 0, nlive = 0, live_cap = 0;
	bool extreme;
	int ret = 0;

	if (s->status != SECT_NOT_RUN)
		return 0;
	if (tce_vmcoreinfo_symbol(d, "mem_section", &sym) ||
	    tce_vmcoreinfo_size(d, "mem_section", &ms_size) ||
	    tce_vmcoreinfo_offset(d, "mem_section", "section_mem_map", &off) ||
	    tce_vmcoreinfo_number(d, "SECTION_SIZE_BITS", &sbits) ||
	    tce_vmcoreinfo_number(d, "MAX_PHYSMEM_BITS", &pbits)) {
		ret = unknown(s, "%s", tce_errmsg(d));
		tce_clear_err(d);
		return ret;
	}
	if (sbits <= (int64_t)tce_dump_page_shift(d) || pbits > 64 || sbits >= pbits ||
	    pbits - sbits > 40 || !tce_field_fits(off, 8, ms_size) || ms_size > page_size)
		return unknown(s, "VMCOREINFO describes an impossible mem_section layout "
			       "(SECTION_SIZE_BITS=%" PRId64 ", MAX_PHYSMEM_BITS=%" PRId64
			       ", SIZE(mem_section)=%" PRIu64 ")", sbits, pbits, ms_size);
	/* an array of pointers (or of struct mem_section) is pointer-aligned in every
	 * kernel; one that is not would also leave pointers straddling the pages the root
	 * array is read by, and that read would never step over them */
	if (sym & 7)
		return unknown(s, "SYMBOL(mem_section)=0x%" PRIx64 " is not aligned to a "
			       "pointer", sym);
	s->size_bits = sbits;
	s->pfn_shift = sbits - tce_dump_page_shift(d);
	nr_sections = 1ULL << (pbits - sbits);
	per_root = page_size / ms_size;
	nroots = (nr_sections + per_root - 1) / per_root;
	/* SPARSEMEM_EXTREME: LENGTH is the number of roots; a static array would have
	 * one section per root */
	extreme = tce_vmcoreinfo_length(d, "mem_section", &len) != 0 || len == nroots;
	tce_clear_err(d);
	if (!extreme) {
		if (len != nr_sections)
			return unknown(s, "LENGTH(mem_section)=%" PRIu64 " fits neither a "
				       "SPARSEMEM_EXTREME (%" PRIu64 " roots) nor a static "
				       "array (%" PRIu64 " sections)", len, nroots, nr_sections);
		per_root = 1;
		nroots = nr_sections;
	}
	if (nroots > ROOTS_MAX)
		return unknown(s, "%" PRIu64 " mem_section roots: more than any kernel "
			       "keeps", nroots);

	root_bytes = per_root * ms_size;
	root = malloc(root_bytes);
	ptrs = extreme ? malloc(ROOT_CHUNK * 8) : NULL;
	if (!root || (extreme && !ptrs)) {
		ret = tce_set_err(d, TCE_ENOMEM, "mem_section roots: out of memory");
		goto out;
	}
	/* the root array a chunk at a time, the roots in use kept (a 4K-page 6.12 kernel's
	 * array is 2^19 pointers, 4 MiB, of which a 2 GiB machine uses one) */
	for (r = 0; extreme && r < nroots; r += m) {
		m = nroots - r < ROOT_CHUNK ? nroots - r : ROOT_CHUNK;
		if (tce_read(d, TCE_KVADDR, sym + r * 8, ptrs, m * 8)) {
			tce_clear_err(d);
			ret = read_roots(d, s, sym, r, m, per_root, ptrs);
			if (ret)
				goto out;
		}
		for (i = 0; i < m; i++) {
			uint64_t at = tce_bo64(ptrs + 8 * i, bo);

			if (!at)
				continue;
			if (nlive == live_cap) {
				size_t c = live_cap ? 2 * live_cap : 64;
				struct live_root *l = realloc(live, c * sizeof(*l));

				if (!l) {
					ret = tce_set_err(d, TCE_ENOMEM, "mem_section roots: out of "
							  "memory");
					goto out;
				}
				live = l;
				live_cap = c;
			}
			live[nlive].r = r + i;
			live[nlive++].at = at;
		}
	}
	if (extreme && s->ngaps == 1 && s->gaps[0].first == 0 &&
	    s->gaps[0].last == nroots * per_root - 1) {
		ret = unknown(s, "the mem_section root array (0x%" PRIx64 ", %" PRIu64
			      " pointers) is not in the dump", sym, nroots);
		goto out;
	}
	for (j = 0; j < (extreme ? nlive : nroots); j++) {
		uint64_t at = extreme ? live[j].at : sym + j * ms_size;

		r = extreme ? live[j].r : j;
		if (tce_read(d, TCE_KVADDR, at, root, root_bytes)) {
			tce_clear_err(d);
			ret = add_gap(d, s, r * per_root, (r + 1) * per_root - 1);
			if (ret)
				goto out;
			continue;
		}
		for (i = 0; i < per_root; i++) {
			uint64_t smm = tce_bo64(root + i * ms_size + off, bo);

			if (!(smm & SECTION_MARKED_PRESENT))
				continue;
			if (s->n >= PRESENT_MAX) {
				ret = unknown(s, "more than %llu present memory sections: "
					      "mem_section is corrupt",
					      (unsigned long long)PRESENT_MAX);
				goto out;
			}
			ret = add(d, s, &cap, r * per_root + i, smm);
			if (ret)
				goto out;
		}
	}
	s->status = SECT_OK;
	s->mem_map_agrees = true;
	for (i = 0; i < s->n; i++) {
		if (!s->v[i].has_mem_map)
			continue;
		if (!s->mem_map)
			s->mem_map = s->v[i].mem_map;
		else if (s->mem_map != s->v[i].mem_map)
			s->mem_map_agrees = false;
	}
	if (!s->mem_map_agrees)
		s->mem_map = 0;
out:
	free(root);
	free(ptrs);
	free(live);
	return ret;
}

void tce_sections_free(struct sections *s)
{
	free(s->v);
	free(s->gaps);
	memset(s, 0, sizeof(*s));
}

enum sect_answer tce_sections_lookup(const struct sections *s, uint64_t nr,
				     const struct mem_sect **ms)
{
	size_t lo = 0, hi = s->n, i;

	if (s->status != SECT_OK)
		return SECT_ANS_UNKNOWN;
	for (i = 0; i < s->ngaps; i++)
		if (nr >= s->gaps[i].first && nr <= s->gaps[i].last)
			return SECT_ANS_UNKNOWN;
	/* present sections are sorted by number */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n && s->v[lo].nr == nr) {
		if (ms)
			*ms = &s->v[lo];
		return SECT_ANS_PRESENT;
	}
	return SECT_ANS_ABSENT;
}
