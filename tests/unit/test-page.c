// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct page from VMCOREINFO alone, on forged dumps of both byte orders and page
 * sizes: raw fields, PG_* bits VMCOREINFO names, page types in _mapcount, compound
 * head and tail, bits the dump does not name reported unknown, and pages no block or
 * no dump byte backs.
 */
#include "config.h"

#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "util.h"

#define GiB (1ULL << 30)

static struct fk *kernel(int v, unsigned sz)
{
	struct fk_opts o = variant_opts(v, sz, false, GiB);

	return make_kernel(&o);
}

START_TEST(plain_fields)
{
	struct fk *k = kernel(_i % NVARIANTS, _i < NVARIANTS ? 64 : 56);
	const struct fk_page_layout *l = fk_page_layout(k);
	struct fk_page a = {
		.flags = 1ULL << FK_PG_LRU | 1ULL << FK_PG_SWAPBACKED | 0xff00000000000000ULL,
		.refcount = 1025, .mapcount = 0, .mapping = 0xc000000001234561ULL,
		.private_ = 0x42,
	};
	struct fk_page z = { .refcount = 0, .mapcount = -1 };
	struct tce_dump *d;
	struct tce_page pg;

	ck_assert_int_eq(fk_set_page(k, 100, &a), 0);
	ck_assert_int_eq(fk_set_page(k, 101, &z), 0);
	d = open_kernel(k);
	ck_assert_int_eq(page_read(d, 100, &pg), 0);
	ck_assert_uint_eq(pg.pfn, 100);
	ck_assert_uint_eq(pg.flags, a.flags);
	ck_assert_int_eq(pg.refcount, 1025);
	ck_assert_int_eq(pg.mapcount, 0);
	ck_assert_uint_eq(pg.mapping, a.mapping);
	ck_assert_uint_eq(pg.private_, 0x42);
	ck_assert_uint_eq(pg.vmemmap, fk_pfn_to_vmemmap(k, 100));
	ck_assert_uint_eq(pg.states, TCE_PF_LRU | TCE_PF_SWAPBACKED);
	ck_assert(pg.known & TCE_PF_LRU);
	ck_assert(pg.known & TCE_PF_BUDDY);
	/* VMCOREINFO names no PG_reserved: unknown, not clear */
	ck_assert(!(pg.known & TCE_PF_RESERVED));
	/* not a tail: no head */
	ck_assert_uint_eq(pg.head_pfn, TCE_NO_PFN);
	ck_assert_int_eq(pg.compound_order, -1);
	ck_assert_int_eq(pg.buddy_order, -1);
	/* every bit the dump names, and only those */
	ck_assert(pg.named_flags & (1ULL << FK_PG_LRU));
	ck_assert(pg.named_flags & (1ULL << FK_PG_HEAD));
	ck_assert(!(pg.named_flags & (1ULL << FK_PG_RESERVED)));
	ck_assert_str_eq(tce_page_flag_bit(view_analysis(d), FK_PG_LRU), "lru");
	ck_assert_str_eq(tce_page_flag_bit(view_analysis(d), FK_PG_HEAD), "head");
	ck_assert_str_eq(tce_page_flag_bit(view_analysis(d), FK_PG_HWPOISON), "hwpoison");
	ck_assert_ptr_null(tce_page_flag_bit(view_analysis(d), FK_PG_RESERVED));
	(void)l;

	ck_assert_int_eq(page_read(d, 101, &pg), 0);
	ck_assert_int_eq(pg.refcount, 0);
	ck_assert_int_eq(pg.mapcount, -1);
	ck_assert_uint_eq(pg.states, 0);

	/* an untouched page is as the kernel initialises it */
	ck_assert_int_eq(page_read(d, 102, &pg), 0);
	ck_assert_int_eq(pg.refcount, 1);
	ck_assert_int_eq(pg.mapcount, -1);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(page_types_and_flags)
{
	struct fk *k = kernel(_i, 64);
	/* a free block of order 3: its order is in page->private */
	struct fk_page buddy = { .mapcount = FK_PAGE_BUDDY_MAPCOUNT, .private_ = 3 };
	struct fk_page offline = { .mapcount = FK_PAGE_OFFLINE_MAPCOUNT, .refcount = 1 };
	struct fk_page poison = { .flags = 1ULL << FK_PG_HWPOISON, .mapcount = -1 };
	struct fk_page slab = { .flags = 1ULL << FK_PG_SLAB | 1ULL << FK_PG_PRIVATE,
				.refcount = 1, .mapcount = -1 };
	struct fk_page swap = { .flags = 1ULL << FK_PG_SWAPCACHE, .refcount = 2,
				.mapcount = 0 };
	struct tce_dump *d;
	struct tce_page pg;

	ck_assert_int_eq(fk_set_page(k, 200, &buddy), 0);
	ck_assert_int_eq(fk_set_page(k, 201, &offline), 0);
	ck_assert_int_eq(fk_set_page(k, 202, &poison), 0);
	ck_assert_int_eq(fk_set_page(k, 203, &slab), 0);
	ck_assert_int_eq(fk_set_page(k, 204, &swap), 0);
	d = open_kernel(k);
	ck_assert_int_eq(page_read(d, 200, &pg), 0);
	ck_assert_uint_eq(pg.states, TCE_PF_BUDDY);
	ck_assert_int_eq(pg.buddy_order, 3);
	ck_assert_int_eq(pg.mapcount, -129);
	ck_assert_int_eq(page_read(d, 201, &pg), 0);
	ck_assert_uint_eq(pg.states, TCE_PF_OFFLINE);
	ck_assert_int_eq(page_read(d, 202, &pg), 0);
	ck_assert_uint_eq(pg.states, TCE_PF_HWPOISON);
	ck_assert_int_eq(page_read(d, 203, &pg), 0);
	ck_assert_uint_eq(pg.states, TCE_PF_SLAB | TCE_PF_PRIVATE);
	ck_assert_int_eq(page_read(d, 204, &pg), 0);
	ck_assert_uint_eq(pg.states, TCE_PF_SWAPCACHE);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(compound_pages)
{
	struct fk *k = kernel(_i, 64);
	struct tce_dump *d;
	struct tce_page pg;
	uint64_t p;

	ck_assert_int_eq(fk_set_compound(k, 512, 4, 3), 0);
	d = open_kernel(k);
	ck_assert_int_eq(page_read(d, 512, &pg), 0);
	ck_assert(pg.states & TCE_PF_HEAD);
	ck_assert(!(pg.states & TCE_PF_TAIL));
	ck_assert_int_eq(pg.refcount, 3);
	ck_assert_int_eq(pg.compound_order, 4);
	for (p = 513; p < 512 + 16; p++) {
		ck_assert_int_eq(page_read(d, p, &pg), 0);
		ck_assert(pg.states & TCE_PF_TAIL);
		ck_assert(!(pg.states & TCE_PF_HEAD));
		ck_assert_uint_eq(pg.head_pfn, 512);
		ck_assert_int_eq(pg.refcount, 0);
	}
	/* the page after the compound page is on its own */
	ck_assert_int_eq(page_read(d, 512 + 16, &pg), 0);
	ck_assert(!(pg.states & (TCE_PF_TAIL | TCE_PF_HEAD)));
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(pages_without_struct_page)
{
	struct fk *k = kernel(_i, 64);
	struct tce_dump *d = open_kernel(k);
	struct tce_page pg;

	/* beyond RAM: no block backs the struct page */
	ck_assert_int_eq(page_read(d, (4 * GiB) >> variants[_i].page_shift, &pg),
			 -TCE_ENOXLAT);
	ck_assert(strstr(tce_errmsg(d), "no vmemmap block"));
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(page_layout_missing)
{
	struct fk *k = kernel(_i, 64);
	struct tce_dump *d;
	struct tce_page pg;

	ck_assert_int_eq(fk_vmcoreinfo_override(k, "OFFSET(page._refcount)", NULL), 0);
	d = open_kernel(k);
	ck_assert_int_eq(page_read(d, 5, &pg), -TCE_ENOENT);
	ck_assert(strstr(tce_errmsg(d), "_refcount"));
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(flag_names)
{
	ck_assert_str_eq(tce_page_flag_name(0), "lru");
	ck_assert_str_eq(tce_page_flag_name(8), "buddy");
	ck_assert_str_eq(tce_page_flag_name(TCE_PF_COUNT), "unknown");
}
END_TEST

/* every field of a and b alike */
static void same_page(const struct tce_page *a, const struct tce_page *b)
{
	ck_assert_uint_eq(a->size, b->size);
	ck_assert_uint_eq(a->pfn, b->pfn);
	ck_assert_uint_eq(a->vmemmap, b->vmemmap);
	ck_assert_uint_eq(a->phys, b->phys);
	ck_assert_uint_eq(a->flags, b->flags);
	ck_assert_int_eq(a->refcount, b->refcount);
	ck_assert_int_eq(a->mapcount, b->mapcount);
	ck_assert_uint_eq(a->compound_head, b->compound_head);
	ck_assert_uint_eq(a->mapping, b->mapping);
	ck_assert_uint_eq(a->private_, b->private_);
	ck_assert_uint_eq(a->states, b->states);
	ck_assert_uint_eq(a->known, b->known);
	ck_assert_uint_eq(a->named_flags, b->named_flags);
	ck_assert_uint_eq(a->head_pfn, b->head_pfn);
	ck_assert_int_eq(a->compound_order, b->compound_order);
	ck_assert_int_eq(a->buddy_order, b->buddy_order);
	ck_assert_int_eq(a->has_mapping, b->has_mapping);
	ck_assert_int_eq(a->has_private, b->has_private);
}

/*
 * Struct pages read a run of pfns at a time (tce_model_pages_read_on(): the table
 * pass's, for the pages a batch misses) are those read one by one: plain, free, a
 * compound page's head and tails; a run that reaches pfns no struct page backs, or
 * longer than TCE_PAGES_RUN, is not read (each is then read alone).
 */
START_TEST(runs_read_alike)
{
	struct fk *k = kernel(_i % NVARIANTS, _i < NVARIANTS ? 64 : 56);
	struct fk_page buddy = { .mapcount = FK_PAGE_BUDDY_MAPCOUNT, .private_ = 2 };
	struct fk_page lru = { .flags = 1ULL << FK_PG_LRU, .refcount = 3, .mapcount = 0 };
	struct tce_page one, many[TCE_PAGES_RUN], *out[TCE_PAGES_RUN];
	const struct tce_model *m;
	struct tce_dump *d, *md;
	uint64_t first, end;
	size_t n, i;

	ck_assert_int_eq(fk_set_page(k, 300, &buddy), 0);
	ck_assert_int_eq(fk_set_page(k, 301, &lru), 0);
	ck_assert_int_eq(fk_set_compound(k, 320, 3, 2), 0);
	d = open_kernel(k);
	one.size = sizeof(one);
	ck_assert_int_eq(page_read(d, 300, &one), 0);  /* the vmemmap and layout loaded */
	m = tce_analysis_model(view_analysis(d));
	md = tce_analysis_dump(view_analysis(d));
	for (i = 0; i < TCE_PAGES_RUN; i++)
		out[i] = &many[i];
	for (n = 1; n <= TCE_PAGES_RUN; n += 7) {
		for (first = 290; first < 330; first += 5) {
			for (i = 0; i < n; i++)
				many[i].size = sizeof(many[i]);
			ck_assert_int_eq(tce_model_pages_read_on(m, md, first, n, out), 0);
			for (i = 0; i < n; i++) {
				ck_assert_int_eq(page_read(d, first + i, &one), 0);
				same_page(&one, &many[i]);
			}
		}
	}
	ck_assert_uint_eq(many[0].states, TCE_PF_TAIL);     /* 325: a tail of 320 */
	/* the first pfn past RAM that no struct page backs: a run reaching it */
	for (end = GiB >> variants[_i % NVARIANTS].page_shift; page_read(d, end, &one) == 0;
	     end++)
		ck_assert_uint_lt(end, 4 * GiB >> variants[_i % NVARIANTS].page_shift);
	ck_assert_int_eq(tce_model_pages_read_on(m, md, end - 2, 4, out), 1);
	ck_assert_int_eq(tce_model_pages_read_on(m, md, 300, TCE_PAGES_RUN + 1, out), 1);
	ck_assert_int_eq(tce_model_pages_read_on(m, md, 300, 0, out), 1);
	close_dump(d);
	fk_free(k);
}
END_TEST

/* A caller built against an older, smaller struct tce_page gets only what fits. */
START_TEST(older_callers_get_what_fits)
{
	struct fk *k = kernel(_i, 64);
	struct tce_dump *d = open_kernel(k);
	struct {
		struct tce_page pg;
		unsigned char canary[16];
	} small;
	size_t old = offsetof(struct tce_page, refcount);

	memset(&small, 0xa5, sizeof(small));
	small.pg.size = old;
	ck_assert_int_eq(tce_page_read(view_analysis(d), 100, &small.pg), 0);
	ck_assert_uint_eq(small.pg.size, old);
	ck_assert_uint_eq(small.pg.pfn, 100);
	/* nothing written past the caller's size */
	ck_assert_uint_eq(((unsigned char *)&small.pg)[old], 0xa5);
	small.pg.size = 4;
	ck_assert_int_eq(tce_page_read(view_analysis(d), 100, &small.pg), -TCE_EINVAL);
	close_dump(d);
	fk_free(k);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("page");
	TCase *t = tcase_create("page");

	tcase_set_timeout(t, 600);
	tcase_add_loop_test(t, plain_fields, 0, 2 * NVARIANTS);
	tcase_add_loop_test(t, page_types_and_flags, 0, NVARIANTS);
	tcase_add_loop_test(t, compound_pages, 0, NVARIANTS);
	tcase_add_loop_test(t, runs_read_alike, 0, 2 * NVARIANTS);
	tcase_add_loop_test(t, older_callers_get_what_fits, 0, NVARIANTS);
	tcase_add_loop_test(t, pages_without_struct_page, 0, NVARIANTS);
	tcase_add_loop_test(t, page_layout_missing, 0, NVARIANTS);
	tcase_add_test(t, flag_names);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
