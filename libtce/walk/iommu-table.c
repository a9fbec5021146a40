// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One kernel iommu_table (arch/powerpc/include/asm/iommu.h) and its hardware TCEs, as
 * powernv's pnv_tce() lays them out: it_base is the kernel address of the top level;
 * with it_indirect_levels > 0 each level holds it_level_size big-endian entries whose
 * value is the physical address of the next level with the read/write bits (a zero
 * entry: that part of the window was never populated); the last level holds the TCEs,
 * big-endian, index (bus page - it_offset).  A TCE is valid when it has TCE_PCI_READ
 * or TCE_PCI_WRITE; its target is the value without the bits below it_page_shift.
 * Member offsets come from type information, never from constants; every count read
 * from the dump is bounded.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk/walk.h"

#define TCE_PCI_READ 0x1ULL
#define TCE_PCI_WRITE 0x2ULL
/* pnv_pci_ioda2_table_alloc_pages(): at most 5 levels (POWERNV_IOMMU_MAX_LEVELS) */
#define LEVELS_MAX 5
/* a level is at most a few MB; 2^24 entries of 8 bytes is 128 MB: corrupt beyond */
#define LEVEL_SIZE_MAX (1ULL << 24)
/* IOMMU pages are 4K to 16G */
#define PAGE_SHIFT_MIN 12
#define PAGE_SHIFT_MAX 34

static const char *const members[] = {
	"it_size", "it_offset", "it_base", "it_page_shift", "it_indirect_levels",
	"it_level_size", "it_map", "it_index", "it_busno", "it_type", "it_userspace",
	"it_reserved_start", "it_reserved_end",
};
enum { M_SIZE, M_OFFSET, M_BASE, M_SHIFT, M_LEVELS, M_LEVEL_SIZE, M_MAP, M_INDEX,
       M_BUSNO, M_TYPE, M_USERSPACE, M_RES_START, M_RES_END, M_COUNT };
/* the ones a walk cannot do without */
#define M_NEEDED 6

int tce_iommu_table_read(struct types *t, uint64_t addr, struct iommu_tbl *tb)
{
	struct tce_dump *d = t->d;
	struct ty_member m[M_COUNT];
	uint64_t *dst[M_COUNT] = {
		&tb->size, &tb->offset, &tb->base, &tb->page_shift, &tb->levels,
		&tb->level_size, &tb->map, &tb->index, &tb->busno, &tb->type, &tb->userspace,
		&tb->reserved_start, &tb->reserved_end,
	};
	unsigned i;
	int ret;

	memset(tb, 0, sizeof(*tb));
	tb->addr = addr;
	ret = tce_types_layout(t, "struct iommu_table", members, M_NEEDED, m, NULL);
	if (ret)
		return tce_prepend_err(d, ret, "iommu_table at 0x%" PRIx64, addr);
	for (i = 0; i < M_COUNT; i++) {
		if (i >= M_NEEDED && tce_types_member(t, "struct iommu_table", members[i], &m[i])) {
			tce_clear_err(d);
			continue;
		}
		ret = tce_types_read_uint(d, addr, &m[i], dst[i]);
		if (ret)
			return tce_prepend_err(d, ret, "iommu_table at 0x%" PRIx64 ": %s", addr,
					       members[i]);
		if (i >= M_NEEDED)
			tb->known |= 1u << (i - M_NEEDED);
	}
	/* what no real table can be */
	if (tb->page_shift < PAGE_SHIFT_MIN || tb->page_shift > PAGE_SHIFT_MAX)
		return tce_set_err(d, TCE_ECORRUPT, "iommu_table at 0x%" PRIx64 ": it_page_shift "
				   "%" PRIu64 " is no IOMMU page size", addr, tb->page_shift);
	if (tb->levels >= LEVELS_MAX)
		return tce_set_err(d, TCE_ECORRUPT, "iommu_table at 0x%" PRIx64 ": "
				   "it_indirect_levels %" PRIu64 " (at most %d levels)", addr,
				   tb->levels, LEVELS_MAX);
	if (tb->levels && (tb->level_size < 2 || tb->level_size > LEVEL_SIZE_MAX ||
			   (tb->level_size & (tb->level_size - 1))))
		return tce_set_err(d, TCE_ECORRUPT, "iommu_table at 0x%" PRIx64 ": "
				   "it_level_size %" PRIu64 " is no power of two a level can "
				   "hold", addr, tb->level_size);
	if (tb->size > (1ULL << 40) || tb->offset > UINT64_MAX - tb->size ||
	    (tb->offset + tb->size) > (UINT64_MAX >> tb->page_shift))
		return tce_set_err(d, TCE_ECORRUPT, "iommu_table at 0x%" PRIx64 ": a window of "
				   "%" PRIu64 " entries from %" PRIu64 " is impossible", addr,
				   tb->size, tb->offset);
	/* one level: it_level_size (pnv_pci_ioda2_table_alloc_pages() sets it to the
	 * allocated size, at least a page) may exceed it_size; pseries leaves it 0 */
	if (!tb->levels) {
		tb->cap = tb->level_size >= tb->size && tb->level_size <= LEVEL_SIZE_MAX ?
			  tb->level_size : tb->size;
		tb->level_size = tb->size;
	} else {
		tb->cap = (tb->size + tb->level_size - 1) & ~(tb->level_size - 1);
	}
	return 0;
}

struct walk_ctx {
	struct tce_dump *d;
	const struct iommu_tbl *tb;
	unsigned shift;              /* log2(level_size) */
	uint64_t first, last;        /* entry indices (from 0) to visit */
	tce_leaf_fn *fn;
	void *data;
	struct iommu_walk_stats *st;
	uint64_t *buf[LEVELS_MAX + 1];  /* one chunk a level */
	struct addr_set own;         /* levels walked: one met again is not walked again */
	struct addr_set *levels;     /* own, or the caller's (tb->levels_met) */
};

#define CHUNK 8192

/*
 * After a read at linear-map address va failed: the first linear-map address above
 * va the dump holds (an ELF dump's next PT_LOAD data, a kdump-compressed dump's next
 * page in its bitmap), UINT64_MAX if none (or va is past the linear map), 0 if the
 * dump cannot say or holds va (the failure was something else).  A window of 2^40
 * entries over a hole is skipped in one step, not a chunk at a time.
 */
static uint64_t next_held(struct tce_dump *d, uint64_t va)
{
	uint64_t phys, next;

	/* a level is linear-map memory: past the map's end nothing more of it is held
	 * (the kernel's page tables translate there, a page at a time) */
	if (va >= TCE_LINEAR_BASE && va >= tce_linear_end(d))
		return UINT64_MAX;
	if (!tce_dump_direct_mapped(d, va))
		return 0;
	phys = va - TCE_LINEAR_BASE;
	if (!tce_dump_next_held(d, phys, &next))
		return 0;
	if (next == UINT64_MAX || next > UINT64_MAX - TCE_LINEAR_BASE)
		return UINT64_MAX;
	return next > phys ? TCE_LINEAR_BASE + next : 0;
}

static int walk_level(struct walk_ctx *c, uint64_t va, unsigned lvl, uint64_t base);

/* Entries [from, to] of level lvl (whose entry 0 has index base), read into buf from
 * entry from on: the TCEs to the callback, the levels below walked. */
static int visit(struct walk_ctx *c, unsigned lvl, uint64_t base, const uint64_t *buf,
		 uint64_t from, uint64_t to)
{
	const struct iommu_tbl *tb = c->tb;
	uint64_t span = lvl ? 1ULL << (c->shift * lvl) : 1, i;
	int ret;

	if (!lvl) {
		struct tce_leaf l = {
			.raw = buf, .n = to - from + 1, .index = tb->offset + base + from,
			.page_shift = (unsigned)tb->page_shift, .bo = TCE_BE,
		};
		uint64_t valid = 0;

		ret = c->fn(c->data, &l, &valid);
		c->st->valid += valid;
		return ret;
	}
	for (i = from; i <= to; i++) {
		uint64_t v = tce_bo64(&buf[i - from], TCE_BE);
		uint64_t next = v & ~(TCE_PCI_READ | TCE_PCI_WRITE);
		bool odd = next & (tb->level_size * 8 - 1) & 0xfff, shared;
		size_t where, first;

		if (!v) {
			c->st->empty_levels++;
			continue;
		}
		/* two indirect entries on one level: walking it again for
		 * each would take 2^40 reads of one table's memory */
		where = (size_t)((base + i * span) << 3 | lvl);
		ret = tce_addrset_add(c->levels, next, where, &first);
		if (ret < 0)
			return tce_set_err(c->d, TCE_ENOMEM, "iommu_table levels: "
					   "out of memory");
		/* another indirect entry's (this one's again: a resumed walk) */
		shared = ret == 1 && first != where;
		/* a level is a power of two of at least 4K, so aligned: one
		 * that is not, or that the dump lacks, is no level to read */
		if (odd || shared || tce_phys_in_dump(c->d, next, 8) != 1) {
			struct iommu_walk_stats *st = c->st;

			if (st->nodd < WALK_ODD_MAX)
				st->odd[st->nodd] = (struct odd_level){
					v, base + i * span, lvl - 1, odd,
					shared && !odd };
			st->nodd++;
			st->missing_chunks++;
			st->unknown_entries += span;
			tce_clear_err(c->d);
			continue;
		}
		ret = walk_level(c, TCE_LINEAR_BASE | next, lvl - 1,
				 base + i * span);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Entries [clo, chi] of the level at va whose read as one chunk failed: what the dump
 * holds of them, a page at a time (a kdump-compressed dump lacks single pages: one
 * excluded page must not hide the others'); the entries of pages it lacks are
 * unknown, never zero, up to the next memory it holds in one step (at most to hi).
 * *end gets the last entry accounted for.
 */
static int visit_held(struct walk_ctx *c, uint64_t va, unsigned lvl, uint64_t base,
		      uint64_t clo, uint64_t chi, uint64_t hi, uint64_t *end)
{
	uint64_t span = lvl ? 1ULL << (c->shift * lvl) : 1, ps = tce_dump_page_size(c->d);
	uint64_t *buf = c->buf[lvl], pos = clo, pe, nv, to;
	int ret;

	if (!ps || ps & (ps - 1))
		ps = 4096;
	while (pos <= chi) {
		pe = pos + (ps - ((va + pos * 8) & (ps - 1))) / 8 - 1;
		if (pe > chi)
			pe = chi;
		ret = tce_read(c->d, TCE_KVADDR, va + pos * 8, buf, (pe - pos + 1) * 8);
		if (ret == -TCE_ENOMEM)
			return ret;
		if (!ret) {
			ret = visit(c, lvl, base, buf, pos, pe);
			if (ret)
				return ret;
			pos = pe + 1;
			continue;
		}
		tce_clear_err(c->d);
		nv = next_held(c->d, va + pos * 8);
		to = pe;
		if (nv == UINT64_MAX || (nv && (nv - va) / 8 > hi))
			to = hi;
		else if (nv && (nv - va) / 8 > pe + 1)
			to = (nv - va) / 8 - 1;
		c->st->missing_chunks++;
		c->st->unknown_entries += (to - pos + 1) * span;
		pos = to + 1;
		if (to >= chi)
			break;
	}
	*end = pos - 1;
	return 0;
}

/* Visits entries [lo, hi] of the table at kernel-virtual va, level lvl (0: the
 * leaves), whose entry 0 has index base, a chunk at a time. */
static int walk_level(struct walk_ctx *c, uint64_t va, unsigned lvl, uint64_t base)
{
	const struct iommu_tbl *tb = c->tb;
	uint64_t n = tb->levels ? tb->level_size :
		     tb->beyond && tb->cap > tb->size ? tb->cap : tb->size;
	uint64_t span = lvl ? 1ULL << (c->shift * lvl) : 1, lo, hi, clo, chi;
	uint64_t *buf = c->buf[lvl];
	int ret;

	lo = c->first > base ? (c->first - base) / span : 0;
	hi = (c->last - base) / span;
	if (hi >= n)
		hi = n - 1;
	for (clo = lo; clo <= hi; clo = chi + 1) {
		chi = hi - clo >= CHUNK ? clo + CHUNK - 1 : hi;
		ret = tce_read(c->d, TCE_KVADDR, va + clo * 8, buf, (chi - clo + 1) * 8);
		if (ret == -TCE_ENOMEM)
			return ret;
		if (ret) {
			tce_clear_err(c->d);
			ret = visit_held(c, va, lvl, base, clo, chi, hi, &chi);
		} else {
			ret = visit(c, lvl, base, buf, clo, chi);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* An entry callback's walk a leaf at a time */
struct by_entry {
	tce_entry_fn *fn;
	void *data;
};

int tce_leaf_entries(const struct tce_leaf *l, tce_entry_fn *fn, void *data, uint64_t *valid)
{
	return tce_leaf_each(l, fn, data, valid);
}

static int leaf_entries(void *data, const struct tce_leaf *l, uint64_t *valid)
{
	const struct by_entry *b = data;

	return tce_leaf_entries(l, b->fn, b->data, valid);
}

int tce_iommu_table_walk(struct tce_dump *d, const struct iommu_tbl *tb, uint64_t first,
			 uint64_t last, tce_entry_fn *fn, void *data,
			 struct iommu_walk_stats *st)
{
	struct by_entry b = { fn, data };

	return tce_iommu_table_walk_leaves(d, tb, first, last, leaf_entries, &b, st);
}

int tce_iommu_table_walk_leaves(struct tce_dump *d, const struct iommu_tbl *tb,
				uint64_t first, uint64_t last, tce_leaf_fn *fn, void *data,
				struct iommu_walk_stats *st)
{
	struct walk_ctx c = { .d = d, .tb = tb, .fn = fn, .data = data, .st = st };
	uint64_t end = tb->beyond && tb->cap > tb->size ? tb->cap : tb->size;
	unsigned i;
	int ret = 0;

	c.levels = tb->levels_met ? tb->levels_met : &c.own;
	memset(st, 0, sizeof(*st));
	if (!end || first >= end)
		return 0;
	if (last >= end)
		last = end - 1;
	c.first = first;
	c.last = last;
	c.shift = tb->levels ? (unsigned)__builtin_ctzll(tb->level_size) : 0;
	if (tb->levels && (uint64_t)c.shift * (tb->levels + 1) < 64 &&
	    tb->size > 1ULL << (c.shift * (tb->levels + 1)))
		return tce_set_err(d, TCE_ECORRUPT, "iommu_table at 0x%" PRIx64 ": %" PRIu64
				   " entries do not fit %" PRIu64 " levels of %" PRIu64, tb->addr,
				   tb->size, tb->levels + 1, tb->level_size);
	if (!tb->base)
		return tce_set_err(d, TCE_ENOENT, "iommu_table at 0x%" PRIx64 " has no table "
				   "(it_base is NULL)", tb->addr);
	/* the levels are pages of the linear map (pnv_alloc_tce_level(), pseries'
	 * __va()): anything else is no table, and a read a chunk at a time of what no
	 * translation reaches would take 2^27 failed reads for a 2^40-entry window */
	if (!tce_dump_direct_mapped(d, tb->base))
		return tce_set_err(d, TCE_ECORRUPT, "iommu_table at 0x%" PRIx64 ": it_base 0x%"
				   PRIx64 " is not in the kernel's linear map", tb->addr,
				   tb->base);
	for (i = 0; i <= tb->levels; i++) {
		c.buf[i] = malloc(CHUNK * 8);
		if (!c.buf[i]) {
			ret = tce_set_err(d, TCE_ENOMEM, "iommu_table levels: out of memory");
			break;
		}
	}
	if (!ret)
		ret = walk_level(&c, tb->base, (unsigned)tb->levels, 0);
	for (i = 0; i <= LEVELS_MAX; i++)
		free(c.buf[i]);
	tce_addrset_free(&c.own);
	return ret;
}

int tce_iommu_tree_get(struct tce_dump *d, const struct iommu_tbl *tb, uint64_t top,
		       struct iommu_leaf_cache *lc, uint64_t pos, uint64_t *raw)
{
	unsigned shift = tb->levels ? (unsigned)__builtin_ctzll(tb->level_size) : 0, lvl;
	uint64_t va = top, v, first = tb->levels ? pos & ~(tb->level_size - 1) : 0;
	int ret;

	/* entries looked up in order share their leaf: start there */
	if (lc && lc->valid && lc->first == first && lc->base == top) {
		va = lc->leaf;
		goto leaf;
	}
	/* the levels pnv_tce() walks, top first: zero means never populated */
	for (lvl = (unsigned)tb->levels; lvl; lvl--) {
		uint64_t idx = (uint64_t)shift * lvl < 64 ? pos >> (shift * lvl) : 0;

		ret = tce_read_u64(d, TCE_KVADDR, va + 8 * (idx & (tb->level_size - 1)), TCE_BE,
				   &v);
		if (ret)
			return ret;
		if (!v) {
			*raw = 0;
			return 0;
		}
		va = TCE_LINEAR_BASE | (v & ~(TCE_PCI_READ | TCE_PCI_WRITE));
	}
	if (lc) {
		lc->valid = true;
		lc->base = top;
		lc->first = first;
		lc->leaf = va;
		lc->nblk = 0;
	}
leaf:
	if (lc) {
		/* the block of LEAF_BLOCK entries around pos, within the leaf (a level of
		 * level_size entries, or the one level of size) */
		uint64_t off = pos - first, b = off & ~(uint64_t)(LEAF_BLOCK - 1);
		uint64_t lim = tb->levels ? tb->level_size : tb->size, n = b < lim ? lim - b : 0;

		if (n > LEAF_BLOCK)
			n = LEAF_BLOCK;
		if (tce_leaf_block_get(lc, off, raw))
			return 0;
		if (off - b < n && !tce_read(d, TCE_KVADDR, va + 8 * b, lc->blk, n * 8)) {
			lc->blk_first = b;
			lc->nblk = (unsigned)n;
			*raw = tce_bo64(&lc->blk[off - b], TCE_BE);
			return 0;
		}
		/* a block the dump does not hold whole: the entry alone */
		lc->nblk = 0;
		tce_clear_err(d);
	}
	return tce_read_u64(d, TCE_KVADDR, va + 8 * (pos - first), TCE_BE, raw);
}

int tce_iommu_table_fetch(struct tce_dump *d, const struct iommu_tbl *tb,
			  struct iommu_leaf_cache *lc, uint64_t pos, uint64_t *raw)
{
	if (pos >= tb->size || !tb->base)
		return tce_set_err(d, TCE_ENOENT, "iommu_table at 0x%" PRIx64 " has no entry %"
				   PRIu64, tb->addr, pos);
	return tce_iommu_tree_get(d, tb, tb->base, lc, pos, raw);
}

/* ------------------------------------------------------------ KVM's guest view */

/*
 * A struct kvmppc_spapr_tce_table (arch/powerpc/include/asm/kvm_host.h): the TCEs a
 * guest put with H_PUT_TCE, in pages[] (struct page pointers, NULL until the guest
 * first writes there), PAGE_SIZE / 8 entries a page, in the kernel's byte order, entry
 * i for bus page offset + i; each holds a guest physical address and the read/write
 * bits.
 */
static const char *const stt_members[] = {
	"liobn", "page_shift", "offset", "size", "pages",
};

int tce_stt_read(struct types *t, uint64_t addr, struct stt *out)
{
	struct tce_dump *d = t->d;
	struct ty_member m[5];
	uint64_t *dst[4] = { &out->liobn, &out->page_shift, &out->offset, &out->size };
	unsigned i;
	int ret;

	memset(out, 0, sizeof(*out));
	out->addr = addr;
	ret = tce_types_layout(t, "struct kvmppc_spapr_tce_table", stt_members, 5, m, NULL);
	if (ret)
		return tce_prepend_err(d, ret, "kvmppc_spapr_tce_table at 0x%" PRIx64, addr);
	for (i = 0; i < 4; i++) {
		ret = tce_types_read_uint(d, addr, &m[i], dst[i]);
		if (ret)
			return tce_prepend_err(d, ret, "kvmppc_spapr_tce_table at 0x%" PRIx64 ": "
					       "%s", addr, stt_members[i]);
	}
	if (addr > UINT64_MAX - m[4].offset)
		return tce_set_err(d, TCE_ECORRUPT, "kvmppc_spapr_tce_table at 0x%" PRIx64
				   ": pages[] wraps", addr);
	out->pages = addr + m[4].offset;
	/* its VM, to join guest addresses with the host's pages */
	if (tce_types_member(t, "struct kvmppc_spapr_tce_table", "kvm", &m[0]) ||
	    tce_types_read_uint(d, addr, &m[0], &out->kvm)) {
		out->kvm = 0;
		tce_clear_err(d);
	}
	if (out->page_shift < PAGE_SHIFT_MIN || out->page_shift > PAGE_SHIFT_MAX)
		return tce_set_err(d, TCE_ECORRUPT, "kvmppc_spapr_tce_table at 0x%" PRIx64
				   ": page_shift %" PRIu64 " is no IOMMU page size", addr,
				   out->page_shift);
	if (out->size > (1ULL << 40) || out->offset > UINT64_MAX - out->size ||
	    out->offset + out->size > (UINT64_MAX >> out->page_shift))
		return tce_set_err(d, TCE_ECORRUPT, "kvmppc_spapr_tce_table at 0x%" PRIx64
				   ": a window of %" PRIu64 " entries from %" PRIu64 " is "
				   "impossible", addr, out->size, out->offset);
	return 0;
}

int tce_stt_walk(struct tce_dump *d, const struct stt *s, uint64_t first, uint64_t last,
		 page_phys_fn *page_phys, void *pdata, tce_entry_fn *fn, void *data,
		 struct iommu_walk_stats *st)
{
	struct by_entry b = { fn, data };

	return tce_stt_walk_leaves(d, s, first, last, page_phys, pdata, leaf_entries, &b, st);
}

/* Table pages read at once, in bytes at most (64 pages of 4 KiB, 4 of 64 KiB) */
#define STT_RUN_BYTES (256u << 10)

/*
 * Page p of the table (the page at phys) and those after it that the kernel allocated
 * right after it in memory, as alloc_page() mostly does (32452 of a 16M-entry table's
 * 32768 4 KiB pages follow the one before): read with one read into run (up to max
 * pages of per entries, none from page end on), so that a 4K-page host's table is not
 * 32768 reads.  How many were read: 0 when fewer than two could be (the caller reads
 * page p alone, with its own error).
 */
static uint64_t stt_run(struct tce_dump *d, const struct stt *s, uint64_t p, uint64_t phys,
			uint64_t end, uint64_t max, uint64_t per, page_phys_fn *page_phys,
			void *pdata, uint64_t *run)
{
	enum tce_byteorder bo = tce_dump_byteorder(d);
	uint64_t k, pg, next;

	for (k = 1; k < max && p + k < end; k++) {
		if (tce_read_u64(d, TCE_KVADDR, s->pages + 8 * (p + k), bo, &pg) || !pg ||
		    page_phys(pdata, pg, &next) || next != phys + k * per * 8)
			break;
	}
	tce_clear_err(d);
	if (k > 1 && tce_read(d, TCE_PHYS, phys, run, k * per * 8)) {
		tce_clear_err(d);
		k = 1;
	}
	return k > 1 ? k : 0;
}

int tce_stt_walk_leaves(struct tce_dump *d, const struct stt *s, uint64_t first,
			uint64_t last, page_phys_fn *page_phys, void *pdata, tce_leaf_fn *fn,
			void *data, struct iommu_walk_stats *st)
{
	enum tce_byteorder bo = tce_dump_byteorder(d);
	uint64_t per = tce_dump_page_size(d) / 8, npages, p, *buf, *run, *page, end, valid;
	uint64_t run_first = 0, run_n = 0, run_max, run_end;
	struct tce_leaf l = { .page_shift = (unsigned)s->page_shift, .bo = bo };
	int ret = 0;

	memset(st, 0, sizeof(*st));
	if (!per)
		return tce_set_err(d, TCE_EINVAL, "the dump's page size is unknown");
	end = s->beyond ? (s->size + per - 1) / per * per : s->size;

	if (!s->size || first >= end)
		return 0;
	if (last >= end)
		last = end - 1;
	npages = last / per + 1;
	/* the pages a run may hold: whole ones, up to the last the walk reads */
	run_end = end / per < npages ? end / per : npages;
	run_max = STT_RUN_BYTES / (per * 8);
	buf = malloc(per * 8);
	run = run_max > 1 ? malloc(run_max * per * 8) : NULL;
	if (!buf || (run_max > 1 && !run)) {
		free(buf);
		free(run);
		return tce_set_err(d, TCE_ENOMEM, "kvmppc_spapr_tce_table: out of memory");
	}
	for (p = first / per; p < npages && !ret; p++) {
		uint64_t pg, phys, n = end - p * per < per ? end - p * per : per;
		uint64_t lo = p == first / per ? first % per : 0;
		uint64_t hi = p == last / per ? last % per + 1 : n;

		/* a page of the run read last: stt_run() read its pages[] slot */
		if (p - run_first < run_n) {
			page = run + (p - run_first) * per;
			goto walk;
		}
		if (tce_read_u64(d, TCE_KVADDR, s->pages + 8 * p, bo, &pg)) {
			uint64_t nv = next_held(d, s->pages + 8 * p), q = p, to;

			/* pages[] the dump lacks: up to the next memory it holds in one
			 * step (2^31 slots over a hole are no 2^31 failed reads) */
			if (nv == UINT64_MAX || (nv && (nv - s->pages) / 8 >= npages))
				q = npages - 1;
			else if (nv && (nv - s->pages) / 8 > p + 1)
				q = (nv - s->pages) / 8 - 1;
			to = q == p ? p * per + hi - 1 : (q + 1) * per - 1 < last ?
			     (q + 1) * per - 1 : last;
			st->missing_chunks++;
			st->unknown_entries += to - (p * per + lo) + 1;
			tce_clear_err(d);
			p = q;
			continue;
		}
		if (!pg) {
			st->empty_levels++;    /* never written by the guest */
			continue;
		}
		if (page_phys(pdata, pg, &phys)) {
			st->missing_chunks++;
			st->unknown_entries += hi - lo;
			tce_clear_err(d);
			continue;
		}
		/* a run from here, or this page alone */
		run_first = p;
		run_n = run && p < run_end ? stt_run(d, s, p, phys, run_end, run_max, per,
						     page_phys, pdata, run) : 0;
		if (run_n) {
			page = run;
		} else if (tce_read(d, TCE_PHYS, phys, buf, n * 8)) {
			st->missing_chunks++;
			st->unknown_entries += hi - lo;
			tce_clear_err(d);
			continue;
		} else {
			page = buf;
		}
walk:
		l.raw = page + lo;
		l.n = hi - lo;
		l.index = s->offset + p * per + lo;
		valid = 0;
		ret = fn(data, &l, &valid);
		st->valid += valid;
	}
	free(buf);
	free(run);
	return ret;
}
