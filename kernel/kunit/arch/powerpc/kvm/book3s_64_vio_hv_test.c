// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the real-mode TCE hcall handlers (book3s_64_vio_hv.c):
 * their window check against iommu_tce_check_ioba(), the function the
 * virtual-mode handlers use, over edge cases and random windows, so that
 * real mode returns H_PARAMETER exactly where virtual mode does.
 */

#include <kunit/test.h>
#include <linux/kvm_host.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <asm/hvcall.h>
#include <asm/iommu.h>
#include <asm/kvm_ppc.h>

static void check_window(struct kunit *test,
			 struct kvmppc_spapr_tce_table *stt,
			 unsigned long ioba, unsigned long npages)
{
	long virt = iommu_tce_check_ioba(stt->page_shift, stt->offset,
					 stt->size, ioba, npages) ?
		    H_PARAMETER : H_SUCCESS;

	KUNIT_EXPECT_EQ_MSG(test, kvmppc_rm_ioba_validate(stt, ioba, npages),
			    virt,
			    "shift %u offset %llx size %llx ioba %lx npages %lx",
			    stt->page_shift, stt->offset, stt->size, ioba,
			    npages);
}

static void rm_ioba_edges(struct kunit *test)
{
	static const u32 shifts[] = { 12, 16, 21, 24, 34 };
	struct kvmppc_spapr_tce_table *stt;
	int s;

	stt = kunit_kzalloc(test, sizeof(*stt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, stt);
	for (s = 0; s < ARRAY_SIZE(shifts); s++) {
		unsigned long ps = 1UL << shifts[s];
		unsigned long base;

		stt->page_shift = shifts[s];
		stt->offset = 0x800;
		stt->size = 0x1000;
		base = stt->offset << shifts[s];

		check_window(test, stt, base, 1);
		check_window(test, stt, base - ps, 1);
		check_window(test, stt, base + 1, 1);
		check_window(test, stt, base, stt->size);
		check_window(test, stt, base, stt->size + 1);
		check_window(test, stt, base + (stt->size - 1) * ps, 1);
		check_window(test, stt, base + (stt->size - 1) * ps, 2);
		check_window(test, stt, base + stt->size * ps, 1);
		check_window(test, stt, base, 0);
		check_window(test, stt, base, ~0UL);
		check_window(test, stt, base + ps, ~0UL - 1);
		check_window(test, stt, ~0UL & ~(ps - 1), 1);
	}
}

static void rm_ioba_random(struct kunit *test)
{
	struct kvmppc_spapr_tce_table *stt;
	struct rnd_state rnd;
	int i;

	stt = kunit_kzalloc(test, sizeof(*stt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, stt);
	prandom_seed_state(&rnd, 0x7ce);
	for (i = 0; i < 100000; i++) {
		unsigned long ioba, npages;

		stt->page_shift = 12 + prandom_u32_state(&rnd) % 23;
		stt->offset = prandom_u32_state(&rnd) % 4096;
		stt->size = 1 + prandom_u32_state(&rnd) % 8192;
		ioba = (stt->offset + prandom_u32_state(&rnd) % 10000 - 1000)
		       << stt->page_shift;
		if (prandom_u32_state(&rnd) & 1)
			ioba |= prandom_u32_state(&rnd) &
				((1UL << stt->page_shift) - 1);
		npages = prandom_u32_state(&rnd) % 600;
		if (!(prandom_u32_state(&rnd) % 16))
			npages = ~0UL - prandom_u32_state(&rnd) % 4096;
		check_window(test, stt, ioba, npages);
	}
}

static struct kunit_case rm_tce_cases[] = {
	KUNIT_CASE(rm_ioba_edges),
	KUNIT_CASE(rm_ioba_random),
	{}
};

static struct kunit_suite rm_tce_suite = {
	.name = "kvm_book3s_hv_rm_tce",
	.test_cases = rm_tce_cases,
};

kunit_test_suite(rm_tce_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests for the real-mode H_PUT_TCE checks");
MODULE_LICENSE("GPL");
