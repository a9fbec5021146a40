// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vmemmap index's direct table (one slot a block) answers every address exactly as
 * the sorted index's binary search does: on the forge's clean and hot-plugged lists,
 * a misaligned block (two slots share it), two entries for one block (the slot defers
 * to the search) and struct pages straddling blocks, in both byte orders and page
 * sizes, for every struct page of every pfn up to the highest and a block beyond; and
 * tce_pfn_to_page(), whose lookup of the direct table is a path of its own, answers as
 * the index for each of those pfns, and gives no block for a pfn whose struct page's
 * address would wrap round to one of theirs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "model/model.h"
#include "scenario.h"
#include "util.h"

/* the sorted index alone */
static const struct vm_index_ent *search(const struct tce_model *m, uint64_t va)
{
	size_t lo = tce_count_le_virt(m->index, m->nindex, sizeof(*m->index), va);

	if (!lo || va - m->index[lo - 1].virt >= m->walk.block_size)
		return NULL;
	return &m->index[lo - 1];
}

static void run(const char *scenario, int i)
{
	struct fk_opts o = variant_opts(i, 64, false, 0);
	struct forge_scenario_result res;
	char err[256], path[] = "/tmp/tce-index-XXXXXX";
	const struct tce_model *m;
	struct tce_dump *d = NULL;
	uint64_t va, end, pfn;
	int fd = mkstemp(path);
	size_t n = 0;

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_msg(forge_scenario_write(scenario, &o, path, &res, err, sizeof(err)) == 0,
		      "%s: %s", scenario, err);
	ck_assert_int_eq(open_path(path, &d), 0);
	m = tce_analysis_model(view_analysis(d));
	ck_assert_ptr_nonnull(m->direct);
	ck_assert_uint_gt(m->nindex, 0);
	end = m->index[m->nindex - 1].virt + 2 * m->walk.block_size;
	for (va = m->direct_base - m->psz; va < end; va += m->psz, n++)
		ck_assert_msg(tce_index_find(m, va) == search(m, va), "%s (%s): va 0x%llx",
			      scenario, variants[i].name, (unsigned long long)va);
	ck_assert_uint_gt(n, 16);
	/* the API's lookup (its leaf path for the direct table) answers as the index */
	for (pfn = 0; m->base + pfn * m->psz < end; pfn++) {
		enum tce_xlat_status st, want = TCE_XS_NOBLOCK;
		uint64_t phys = 1, wphys = 0;

		ck_assert_int_eq(tce_pfn_to_page(view_analysis(d), TCE_XLAT_INDEX, pfn, &st,
						 &phys), 0);
		if (tce_model_pfn_va(m, pfn, &va))
			want = tce_index_xlat_va(m, va, &wphys);
		ck_assert_msg(st == want && phys == wphys, "%s (%s): pfn 0x%llx: %d 0x%llx, "
			      "the index %d 0x%llx", scenario, variants[i].name,
			      (unsigned long long)pfn, (int)st, (unsigned long long)phys,
			      (int)want, (unsigned long long)wphys);
		/* a pfn whose struct page's address wraps round to this one's is past
		 * every struct page (psz a power of two: 2^64 / psz pfns further on) */
		if (!(m->psz & (m->psz - 1))) {
			ck_assert_int_eq(tce_pfn_to_page(view_analysis(d), TCE_XLAT_INDEX,
							 pfn + UINT64_MAX / m->psz + 1, &st,
							 &phys), 0);
			ck_assert_msg(st == TCE_XS_NOBLOCK, "%s (%s): pfn 0x%llx wrapped: %d",
				      scenario, variants[i].name, (unsigned long long)pfn,
				      (int)st);
		}
	}
	close_dump(d);
	unlink(path);
	forge_scenario_release(&res);
}

START_TEST(clean) { run("clean", _i); }
END_TEST
START_TEST(hotplug) { run("hotplug", _i); }
END_TEST
START_TEST(misaligned) { run("misaligned", _i); }
END_TEST
START_TEST(overlap_virt) { run("overlap-virt", _i); }
END_TEST
START_TEST(straddle) { run("straddle", _i); }
END_TEST

static Suite *index_suite(void)
{
	Suite *s = suite_create("index");
	TCase *tc = tcase_create("direct");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, clean, 0, NVARIANTS);
	tcase_add_loop_test(tc, hotplug, 0, NVARIANTS);
	tcase_add_loop_test(tc, misaligned, 0, NVARIANTS);
	tcase_add_loop_test(tc, overlap_virt, 0, NVARIANTS);
	tcase_add_loop_test(tc, straddle, 0, NVARIANTS);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(index_suite());
}
