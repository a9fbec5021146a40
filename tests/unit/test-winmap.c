// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libtce/winmap.c, the window map's store: the cells a window is cut into (at most
 * TCE_MAP_CELLS over the whole window, TCE_MAP_ZOOM finer ones in each), the counts by
 * state each cell holds against a count of the test's own, and the entries kept one by
 * one: every valid entry of a small window, the free, not pinned and finding ones of a
 * big one up to TCE_MAP_EXACT, the rest counted.  The map the check makes of real
 * tables is tests/cli/test-html.sh's.
 */
#include "config.h"

#include <stdlib.h>

#include <check.h>

#include "winmap.h"

static uint32_t counted(const struct tce_window_map *m, unsigned l, size_t c,
			enum tce_entry_state s)
{
	ck_assert_uint_lt(c, m->ncells[l]);
	return m->cells[l][c][s];
}

/* 16M positions: 1024 cells of 16384, 32768 of 512 */
START_TEST(big_window)
{
	struct winmap wm = { 0 };
	const struct tce_window_map *m;
	uint64_t pos, n = 0, findings = 0;

	ck_assert_int_eq(tce_winmap_begin(&wm, 3, "kvm:pid=1:liobn=0x1", 1u << 24, 0x800, 16),
			 0);
	/* every 7th position valid, every 3000th of those a finding, every 5000th free */
	for (pos = 0; pos < 1u << 24; pos += 7, n++) {
		enum tce_entry_state s = n % 5000 == 1 ? TCE_ES_FREE :
					 n % 3000 == 2 ? TCE_ES_FINDING : TCE_ES_HEALTHY;

		findings += s != TCE_ES_HEALTHY;
		ck_assert_int_eq(tce_winmap_entry(&wm, pos, (0x800 + pos) << 16, pos, s), 0);
	}
	/* outside the window: not counted */
	ck_assert_int_eq(tce_winmap_entry(&wm, 1u << 24, 0, 0, TCE_ES_FREE), 0);
	ck_assert_int_eq(tce_winmap_end(&wm, 0, NULL), 0);
	m = tce_winmap_get(&wm, 0);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_null(tce_winmap_get(&wm, 1));
	ck_assert_uint_eq(m->table, 3);
	ck_assert_str_eq(m->key, "kvm:pid=1:liobn=0x1");
	ck_assert_uint_eq(m->shift[0], 14);
	ck_assert_uint_eq(m->shift[1], 9);
	ck_assert_uint_eq(m->ncells[0], TCE_MAP_CELLS);
	ck_assert_uint_eq(m->ncells[1], TCE_MAP_CELLS * TCE_MAP_ZOOM);
	ck_assert_uint_eq(m->count[TCE_ES_HEALTHY] + m->count[TCE_ES_FREE] +
			  m->count[TCE_ES_FINDING], n);
	ck_assert_uint_eq(m->count[TCE_ES_FREE] + m->count[TCE_ES_FINDING], findings);
	/* cell 0 holds positions 0..16383: valid every 7th, 2341 of them */
	ck_assert_uint_eq(counted(m, 0, 0, TCE_ES_HEALTHY) + counted(m, 0, 0, TCE_ES_FREE) +
			  counted(m, 0, 0, TCE_ES_FINDING), (16383 / 7) + 1);
	/* the first free entry (n 1, position 7) in cell 0 of both levels */
	ck_assert_uint_eq(counted(m, 0, 0, TCE_ES_FREE), 1);
	ck_assert_uint_eq(counted(m, 1, 0, TCE_ES_FREE), 1);
	ck_assert_uint_eq(counted(m, 1, 1, TCE_ES_FREE), 0);
	/* the big window lists only what carries something, every one of them here */
	ck_assert(!m->exact_all);
	ck_assert_uint_eq(m->nexact, findings);
	ck_assert_uint_eq(m->exact_more, 0);
	ck_assert_uint_eq(m->exact[0].pos, 7);
	ck_assert_uint_eq(m->exact[0].bus, (0x800ULL + 7) << 16);
	ck_assert_int_eq(m->exact[0].state, TCE_ES_FREE);
	tce_winmap_free(&wm);
	ck_assert_uint_eq(wm.n, 0);
}
END_TEST

/* more entries with findings than are kept: the first TCE_MAP_EXACT, the rest counted */
START_TEST(capped)
{
	struct winmap wm = { 0 };
	const struct tce_window_map *m;
	uint64_t pos;

	ck_assert_int_eq(tce_winmap_begin(&wm, 0, "iommu:it_index=0x1:window=0x0", 100000, 0,
					  12), 0);
	for (pos = 0; pos < 5000; pos++)
		ck_assert_int_eq(tce_winmap_entry(&wm, pos, pos << 12, TCE_NO_PFN,
						  pos % 2 ? TCE_ES_FINDING : TCE_ES_UNKNOWN), 0);
	ck_assert_int_eq(tce_winmap_end(&wm, -TCE_EIO, "the table's level 2 is not in the dump"),
			 0);
	m = tce_winmap_get(&wm, 0);
	/* 100000 positions: cells of 128, zoomed cells of 4 */
	ck_assert_uint_eq(m->shift[0], 7);
	ck_assert_uint_eq(m->shift[1], 2);
	ck_assert_uint_eq(m->ncells[0], (100000 + 127) / 128);
	ck_assert_uint_eq(m->count[TCE_ES_FINDING], 2500);
	ck_assert_uint_eq(m->count[TCE_ES_UNKNOWN], 2500);
	/* unknown entries are counted, not listed: 2500 findings fit */
	ck_assert_uint_eq(m->nexact, 2500);
	ck_assert_int_eq(m->walk_err, -TCE_EIO);
	ck_assert_str_eq(m->walk_why, "the table's level 2 is not in the dump");
	tce_winmap_free(&wm);

	ck_assert_int_eq(tce_winmap_begin(&wm, 0, "t", 1u << 20, 0, 12), 0);
	for (pos = 0; pos < TCE_MAP_EXACT + 100; pos++)
		ck_assert_int_eq(tce_winmap_entry(&wm, pos * 3, 0, pos, TCE_ES_NOT_PINNED), 0);
	m = tce_winmap_get(&wm, 0);
	ck_assert_uint_eq(m->nexact, TCE_MAP_EXACT);
	ck_assert_uint_eq(m->exact_more, 100);
	ck_assert_uint_eq(m->count[TCE_ES_NOT_PINNED], TCE_MAP_EXACT + 100);
	ck_assert_uint_eq(m->exact[TCE_MAP_EXACT - 1].pfn, TCE_MAP_EXACT - 1);
	tce_winmap_free(&wm);
}
END_TEST

/* a small window: one position a cell, no zoom, every valid entry listed; an empty
 * window and a table that was never walked have no cells */
START_TEST(small_window)
{
	struct winmap wm = { 0 };
	const struct tce_window_map *m;

	ck_assert_int_eq(tce_winmap_begin(&wm, 0, "a", 512, 0, 12), 0);
	ck_assert_int_eq(tce_winmap_entry(&wm, 5, 5 << 12, 0x100, TCE_ES_HEALTHY), 0);
	ck_assert_int_eq(tce_winmap_entry(&wm, 511, 511 << 12, TCE_NO_PFN, TCE_ES_UNKNOWN), 0);
	ck_assert_int_eq(tce_winmap_end(&wm, 0, NULL), 0);
	ck_assert_int_eq(tce_winmap_begin(&wm, 1, "b", 0, 0, 12), 0);
	ck_assert_int_eq(tce_winmap_end(&wm, -TCE_ENODATA, "an LPAR's window"), 0);
	m = tce_winmap_get(&wm, 0);
	ck_assert_uint_eq(m->shift[0], 0);
	ck_assert_uint_eq(m->ncells[0], 512);
	ck_assert_uint_eq(m->ncells[1], 0);
	ck_assert_ptr_null(m->cells[1]);
	ck_assert(m->exact_all);
	ck_assert_uint_eq(m->nexact, 2);
	ck_assert_uint_eq(m->exact[0].pfn, 0x100);
	ck_assert_uint_eq(m->exact[1].pfn, TCE_NO_PFN);
	ck_assert_uint_eq(counted(m, 0, 511, TCE_ES_UNKNOWN), 1);
	ck_assert_uint_eq(counted(m, 0, 5, TCE_ES_HEALTHY), 1);
	ck_assert_uint_eq(counted(m, 0, 6, TCE_ES_HEALTHY), 0);
	m = tce_winmap_get(&wm, 1);
	ck_assert_uint_eq(m->table, 1);
	ck_assert_uint_eq(m->ncells[0], 0);
	ck_assert_uint_eq(m->nexact, 0);
	ck_assert_int_eq(m->walk_err, -TCE_ENODATA);
	/* the names the page and the API use */
	ck_assert_str_eq(tce_entry_state_name(TCE_ES_NOT_PINNED), "not-pinned");
	ck_assert_ptr_null(tce_entry_state_name(TCE_ES_COUNT));
	tce_winmap_free(&wm);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("winmap");
	TCase *t = tcase_create("winmap");

	tcase_add_test(t, big_window);
	tcase_add_test(t, capped);
	tcase_add_test(t, small_window);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
