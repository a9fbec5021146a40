// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The comparison engine at the edge of the address space: a model whose vmemmap lies
 * at the top of it (a hostile vmemmap base and virt_addr near 2^64, issue 17), built
 * by hand so that no walk stands between the test and the arithmetic.  Where a block
 * ends at 2^64, "virt + block size" wraps to 0: the comparison must still see the
 * struct pages inside it as inside it, never report the 2013 walk as giving up or a
 * struct page as split, and never compare past the top.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "model/model.h"

#define BS 0x10000ULL           /* block size */
#define SZ 64ULL                /* SIZE(page) */
#define NB 4                    /* blocks, the last one ending at 2^64 */

/* A model of NB blocks ending at 2^64 - gap, in descending order (as the 2013 walk
 * wants them) or ascending, loaded as far as the comparison needs; npfn pfns. */
static void top_model(struct tce_model *m, struct tce_dump *d, uint64_t gap, uint64_t npfn,
		      bool ascending)
{
	uint64_t top = 0 - gap;
	size_t i;

	tce_model_init(m, d);
	m->psz = SZ;
	m->walk.end = VM_WALK_NULL;
	m->walk.block_size = BS;
	m->walk.block_shift = 16;
	m->walk.blocks = calloc(NB, sizeof(*m->walk.blocks));
	ck_assert_ptr_nonnull(m->walk.blocks);
	m->walk.nblocks = NB;
	for (i = 0; i < NB; i++) {
		m->walk.blocks[i].entry = 0xc000000002710000ULL + 32 * i;
		m->walk.blocks[i].virt = top - (ascending ? NB - i : i + 1) * BS;
		m->walk.blocks[i].phys = m->walk.blocks[i].virt - (top - NB * BS) +
					 0x10000000ULL;
	}
	m->list_walked = true;
	ck_assert_int_eq(tce_index_build(m), 0);
	ck_assert_uint_eq(m->nindex, NB);
	m->base = top - NB * BS;
	m->base_from = TCE_BASE_BLOCKS;
	m->max_pfn = npfn;
	m->src = TCE_VMEMMAP_SRC_LIST;
	m->ordered = !ascending;
	m->vm_loaded = true;
}

/* Every method agrees with the index on every pfn below 2^64: no run, no straddle. */
START_TEST(blocks_ending_at_2_64)
{
	/* gap 0: the last block ends exactly at 2^64 (its end wraps to 0);
	 * npfn: all but the last struct page, then all of them (end wraps too) */
	static const struct {
		uint64_t gap, npfn;
	} c[] = {
		{ 0, NB * BS / SZ - 1 },
		{ 0, NB * BS / SZ },
		{ 0, NB * BS / SZ + 1000 },
		{ SZ, NB * BS / SZ - 1 },
		{ BS / 2, NB * BS / SZ },
	};
	struct fk_opts o = variant_opts(0, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	struct tce_dump *d = open_kernel(k);
	struct tce_model m;
	uint64_t pfn, phys;

	top_model(&m, d, c[_i].gap, c[_i].npfn, false);
	ck_assert_int_eq(tce_model_compare(&m), 0);
	ck_assert_msg(m.nruns == 0, "%zu runs, the first 0x%llx-0x%llx bad 0x%x", m.nruns,
		      m.nruns ? (unsigned long long)m.runs[0].first : 0ULL,
		      m.nruns ? (unsigned long long)m.runs[0].last : 0ULL,
		      m.nruns ? m.runs[0].bad : 0);
	ck_assert_uint_eq(m.straddling, 0);
	/* and the per-pfn answers of the index are where the blocks put them */
	for (pfn = 0; pfn < NB * BS / SZ - (c[_i].gap ? 0 : 1); pfn += 97) {
		uint64_t va = m.base + pfn * SZ;

		ck_assert_int_eq(tce_vm_xlat(&m, TCE_XLAT_INDEX, va, &phys), TCE_XS_OK);
		ck_assert_int_eq(tce_vm_xlat(&m, TCE_XLAT_SEED2013, va, &phys), TCE_XS_OK);
		ck_assert_int_eq(tce_vm_xlat(&m, TCE_XLAT_WALK, va, &phys), TCE_XS_OK);
	}
	tce_model_free(&m);
	close_dump(d);
	fk_free(k);
}
END_TEST

/* Ascending, the 2013 walk gives up above the first block: one run, to the top. */
START_TEST(ascending_to_2_64)
{
	struct fk_opts o = variant_opts(0, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	struct tce_dump *d = open_kernel(k);
	uint64_t npfn = NB * BS / SZ;
	struct tce_model m;

	/* all pfns to the top, whose end (2^64) wraps: the last struct page is left out */
	top_model(&m, d, 0, npfn - _i, true);
	ck_assert_int_eq(tce_model_compare(&m), 0);
	ck_assert_uint_eq(m.nruns, 1);
	ck_assert_uint_eq(m.runs[0].first, BS / SZ);
	ck_assert_uint_eq(m.runs[0].last, npfn - 2);
	ck_assert_uint_eq(m.runs[0].bad, RUN_SEED_GAVE_UP);
	ck_assert_uint_eq(m.straddling, 0);
	tce_model_free(&m);
	close_dump(d);
	fk_free(k);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("compare");
	TCase *t = tcase_create("top-of-address-space");

	tcase_add_loop_test(t, blocks_ending_at_2_64, 0, 5);
	tcase_add_loop_test(t, ascending_to_2_64, 0, 2);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
