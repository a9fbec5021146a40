// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of kernel/src/arch/powerpc/mm/realmode_page.c, the file the
 * patch series adds, compiled unchanged against kernel/shim.  A differential
 * test runs the index (realmode_pfn_to_page()), the hot-remove-safe walk
 * (vmemmap_rm_walk()) and the 2013 seed walk over vmemmap_list layouts made
 * the way arch/powerpc/mm/init_64.c makes them (boot order, hot-add,
 * hot-remove with recycled entries, random sequences, allocation failures),
 * against a plain model of which block backs which vmemmap address.  Built
 * once per struct page size (56, 64, 80 bytes: SHIM_STRUCT_PAGE_SIZE) and
 * page size (SHIM_PAGE_SHIFT).  Then get/put semantics on struct pages in
 * host memory reached through the same translation.  Each test runs in its
 * own process (Check's fork mode), so the index starts empty every time.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <shim/shim.h>
#include <asm/realmode_page.h>

#define SZ	sizeof(struct page)
#define VBASE	((unsigned long)vmemmap)

/*
 * ---- init_64.c's vmemmap_list bookkeeping, the series' hunk included ----
 *
 * vmemmap_list_alloc(), vmemmap_list_populate() and vmemmap_list_free() of
 * arch/powerpc/mm/init_64.c as the series leaves it (tests/shipped.sh makes
 * this file from the pristine 6.1 file and series/NNNN.diff): the hooks
 * that keep the index in step are the shipped lines.
 */
#include "init_64-vmemmap.c"

#define MODEL_BLOCKS	(1UL << 16)
static bool model_indexed[MODEL_BLOCKS];	/* the index has the block */
static unsigned long refused;			/* model had it, index not */

/* vmemmap_populate()'s call for one block; false if it failed. */
static bool sim_populate(unsigned long phys, unsigned long start,
			 unsigned long k)
{
	unsigned long failures = shim_alloc_failures;

	if (vmemmap_list_populate(phys, start, 0))
		return false;
	/* An allocation that failed in the hook leaves the block out. */
	model_indexed[k] = shim_alloc_failures == failures;
	return true;
}

/* vmemmap_free()'s call for one block. */
static void sim_free(unsigned long start, unsigned long phys)
{
	ck_assert_uint_eq(vmemmap_list_free(start), phys);
}

/* ---- the model: which physical block backs each vmemmap block ---- */

static unsigned long model_phys[MODEL_BLOCKS];	/* 0: no block */
static unsigned int model_users[MODEL_BLOCKS];	/* memory ranges using it */
static unsigned int shift;
static unsigned long block;
static unsigned long max_pfn_seen;

static void set_block_shift(unsigned int s)
{
	shift = s;
	block = 1UL << s;
	mmu_vmemmap_psize = 3;
	mmu_psize_defs[3].shift = s;
}

static unsigned long next_phys(void)
{
	/* Scattered, block aligned, never 0: like memblock/page allocator. */
	return ((unsigned long)(random() % 0xfffff) + 1) << shift |
	       (1UL << 44);
}

static unsigned long vkey(unsigned long va)
{
	return (va - VBASE) >> shift;
}

/*
 * Memory [spfn, epfn) comes online: vmemmap_populate() over its struct
 * pages, block by block, skipping blocks already populated.
 */
static void mem_add(unsigned long spfn, unsigned long epfn)
{
	unsigned long va = VBASE + spfn * SZ, end = VBASE + epfn * SZ;
	unsigned long k;

	for (k = vkey(va); k <= vkey(end - 1); k++) {
		ck_assert_uint_lt(k, MODEL_BLOCKS);
		if (!model_users[k]++) {
			model_phys[k] = next_phys();
			if (!sim_populate(model_phys[k], VBASE + k * block, k))
				model_phys[k] = 0;	/* hot-add failed */
		}
	}
	if (epfn > max_pfn_seen)
		max_pfn_seen = epfn;
}

/* Memory [spfn, epfn) goes away: vmemmap_free() of blocks no one uses. */
static void mem_remove(unsigned long spfn, unsigned long epfn)
{
	unsigned long va = VBASE + spfn * SZ, end = VBASE + epfn * SZ;
	unsigned long k;

	for (k = vkey(va); k <= vkey(end - 1); k++) {
		ck_assert_uint_gt(model_users[k], 0);
		if (!--model_users[k]) {
			if (model_phys[k])
				sim_free(VBASE + k * block, model_phys[k]);
			model_phys[k] = 0;
			model_indexed[k] = false;
		}
	}
}

static struct page *model_lookup(unsigned long pfn)
{
	unsigned long va = VBASE + pfn * SZ;
	unsigned long k = vkey(va);

	if (pfn > (1UL << 40) || k >= MODEL_BLOCKS || !model_phys[k])
		return NULL;
	if (vkey(va + SZ - 1) != k)
		return NULL;	/* straddles two blocks */
	return (struct page *)(model_phys[k] + (va - VBASE - k * block));
}

/* The 2013 walk of the seed, as it was. */
static struct page *seed_walk(unsigned long pfn)
{
	unsigned long pg_va = (unsigned long)pfn_to_page(pfn);
	struct vmemmap_backing *vb;

	for (vb = vmemmap_list; vb; vb = vb->list) {
		if (pg_va < vb->virt_addr)
			continue;
		if (pg_va + SZ > vb->virt_addr + block)
			return NULL;
		return (struct page *)(vb->phys + pg_va - vb->virt_addr);
	}
	return NULL;
}

static bool list_descending(void)
{
	struct vmemmap_backing *vb;

	for (vb = vmemmap_list; vb && vb->list; vb = vb->list)
		if (vb->list->virt_addr > vb->virt_addr)
			return false;
	return true;
}

struct diff {
	unsigned long checked, present, straddled, seed_wrong;
};

static void check_pfn(unsigned long pfn, struct diff *d)
{
	struct page *want = model_lookup(pfn);
	struct page *idx = realmode_pfn_to_page(pfn);
	struct page *walk = vmemmap_rm_walk(pfn);
	unsigned long k = vkey(VBASE + pfn * SZ);
	/* Real mode refuses what the index lacks; the walk has everything. */
	struct page *want_idx = k < MODEL_BLOCKS && model_indexed[k] ? want :
				NULL;

	/*
	 * Plain tests, not ck_assert: every passing ck_assert records its
	 * location, which costs more than the lookups over millions of pfns.
	 */
	if (idx != want_idx)
		ck_abort_msg("pfn %#lx: index %p, model %p", pfn, (void *)idx,
			     (void *)want_idx);
	if (want && !idx)
		refused++;
	if (walk != want)
		ck_abort_msg("pfn %#lx: walk %p, model %p", pfn, (void *)walk,
			     (void *)want);
	if (seed_walk(pfn) != want)
		d->seed_wrong++;
	d->checked++;
	if (want)
		d->present++;
	else if (model_phys[vkey(VBASE + pfn * SZ)])
		d->straddled++;
}

static unsigned long list_length(void)
{
	struct vmemmap_backing *vb;
	unsigned long n = 0;

	for (vb = vmemmap_list; vb; vb = vb->list)
		n++;
	return n;
}

/*
 * Every pfn up to a little past the end when that is affordable (each walk
 * is linear), else the pfns around every block boundary plus random ones;
 * then pfns far out of range.
 */
static struct diff check_all(void)
{
	unsigned long pfn, end = max_pfn_seen + (4 * block) / SZ;
	struct diff d = { 0 };
	unsigned long k, i;

	if (end * (list_length() + 1) <= 20000000UL) {
		for (pfn = 0; pfn < end; pfn++)
			check_pfn(pfn, &d);
	} else {
		for (k = 0; k < MODEL_BLOCKS && k * block / SZ < end; k++) {
			unsigned long first = k * block / SZ;

			if (!model_phys[k] && !(k && model_phys[k - 1]))
				continue;
			for (pfn = first ? first - 1 : 0; pfn <= first + 1;
			     pfn++)
				check_pfn(pfn, &d);
		}
		for (i = 0; i < 20000; i++)
			check_pfn(random() % end, &d);
	}
	ck_assert_ptr_null(realmode_pfn_to_page(1UL << 36));
	ck_assert_ptr_null(realmode_pfn_to_page(~0UL / SZ));
	ck_assert_ptr_null(realmode_pfn_to_page(~0UL));
	ck_assert_ptr_null(vmemmap_rm_walk(1UL << 36));
	return d;
}

/* pfns per 256M memory block (the pseries LMB size) */
#define LMB_PFNS	((256UL << 20) >> PAGE_SHIFT)

static const unsigned int shifts[] = { 16, 21, 24 };

/* Boot: memory comes up in ascending order, the list is descending. */
START_TEST(boot_order)
{
	struct diff d;
	unsigned long i;

	set_block_shift(shifts[_i]);
	for (i = 0; i < 8; i++)
		mem_add(i * LMB_PFNS, (i + 1) * LMB_PFNS);
	ck_assert(list_descending());
	d = check_all();
	ck_assert_uint_gt(d.present, 0);
	/* In order, the 2013 walk is right too. */
	ck_assert_uint_eq(d.seed_wrong, 0);
	if (block % SZ)
		ck_assert_uint_gt(d.straddled, 0);
	else
		ck_assert_uint_eq(d.straddled, 0);
}
END_TEST

/*
 * The sequence seen on a real 6.1 guest (shared/FIELD-NOTES.md): 2G at
 * boot, add 512M, add 1G above it, remove the 512M, add 512M again.  The
 * recycled entries go to the head: the list is out of order and the seed's
 * walk answers wrongly.
 */
START_TEST(hotplug_recycled)
{
	unsigned long g = 4 * LMB_PFNS;	/* 1G in pfns */
	struct diff d;

	set_block_shift(shifts[_i]);
	/* With big blocks, scale "1G" up until it spans several of them. */
	if (g < 4 * block / SZ)
		g = 4 * block / SZ;
	mem_add(0, 2 * g);
	mem_add(2 * g, 2 * g + g / 2);
	mem_add(2 * g + g / 2, 3 * g + g / 2);
	mem_remove(2 * g, 2 * g + g / 2);
	mem_add(2 * g, 2 * g + g / 2);
	ck_assert(!list_descending());
	d = check_all();
	ck_assert_uint_gt(d.seed_wrong, 0);
}
END_TEST

/* Random hot-add and hot-remove of LMBs: up to 4096 blocks and more. */
START_TEST(random_layouts)
{
	unsigned long nlmb = 64, i, step;
	bool online[64] = { false };

	srandom(1000 + _i);
	set_block_shift(shifts[_i % 3]);
	for (step = 0; step < 200; step++) {
		i = random() % nlmb;
		if (online[i])
			mem_remove(i * LMB_PFNS, (i + 1) * LMB_PFNS);
		else
			mem_add(i * LMB_PFNS, (i + 1) * LMB_PFNS);
		online[i] = !online[i];
		if (step % 50 == 49)
			check_all();
	}
	check_all();
}
END_TEST

/* Ragged ranges: pieces of sections, so blocks are shared between them. */
START_TEST(ragged_ranges)
{
	unsigned long starts[32], ends[32], n = 0, i;

	srandom(77 + _i);
	set_block_shift(shifts[_i % 3]);
	for (i = 0; i < 32; i++) {
		unsigned long s = random() % (16 * LMB_PFNS);
		unsigned long len = 1 + random() % (LMB_PFNS / 2);

		starts[n] = s;
		ends[n] = s + len;
		mem_add(starts[n], ends[n]);
		n++;
		if (random() % 3 == 0) {
			unsigned long j = random() % n;

			mem_remove(starts[j], ends[j]);
			starts[j] = starts[n - 1];
			ends[j] = ends[n - 1];
			n--;
		}
	}
	check_all();
}
END_TEST

/*
 * Allocations fail part way (index nodes or list chunks): blocks whose index
 * entry could not be made are refused in real mode (NULL: the caller goes
 * to virtual mode), never answered from vmemmap_list; the rest is right.
 */
START_TEST(alloc_failure_refuses)
{
	unsigned long g = 4 * LMB_PFNS, k, unindexed = 0;
	struct diff d;

	set_block_shift(16);
	shim_alloc_fail_after = 1 + _i;
	/*
	 * Allocations with 64K pages, in order: a chunk of list entries, the
	 * index root, a leaf (block 0), a leaf for blocks from 8192 up.
	 */
	mem_add(0, 2 * g);
	mem_add(3 * g, 4 * g);
	mem_add(8192 * (block / SZ), 8192 * (block / SZ) + g);
	mem_remove(0, g / 2);
	mem_add(0, g / 4);
	d = check_all();
	/* The failure happened, unless there were not that many calls. */
	if (!shim_alloc_failures)
		ck_assert_uint_lt(shim_alloc_calls, 1 + _i);
	else
		ck_assert(!vmemmap_rm_index_complete() ||
			  shim_alloc_failures == 1);
	ck_assert_uint_gt(d.present, 0);
	for (k = 0; k < MODEL_BLOCKS; k++)
		if (model_phys[k] && !model_indexed[k])
			unindexed++;
	/* 64K pages: the 4th allocation fails, blocks from 8192 stay out. */
	if (_i == 3 && PAGE_SHIFT == 16)
		ck_assert_uint_gt(unindexed, 0);
	/* Exactly the blocks the index lacks are refused. */
	if (unindexed)
		ck_assert_uint_gt(refused, 0);
	else
		ck_assert_uint_eq(refused, 0);
}
END_TEST

START_TEST(all_removed)
{
	unsigned long i;
	struct diff d;

	set_block_shift(shifts[_i]);
	for (i = 0; i < 4; i++)
		mem_add(i * LMB_PFNS, (i + 1) * LMB_PFNS);
	for (i = 0; i < 4; i++)
		mem_remove(i * LMB_PFNS, (i + 1) * LMB_PFNS);
	ck_assert_ptr_null(vmemmap_list);
	d = check_all();
	ck_assert_uint_eq(d.present, 0);
}
END_TEST

/* Nothing populated yet: no index, no list, nothing reachable. */
START_TEST(empty)
{
	set_block_shift(16);
	ck_assert_ptr_null(realmode_pfn_to_page(0));
	ck_assert_ptr_null(realmode_pfn_to_page(12345));
	ck_assert_ptr_null(vmemmap_rm_walk(0));
}
END_TEST

/*
 * The struct pages on both sides of the boundary between two blocks that
 * happen to be adjacent in physical memory.  When sizeof(struct page) does
 * not divide the block, one of them straddles the boundary and is not
 * reachable (the contract says NULL, as the seed did); when it divides, none
 * straddles and the last of block 0 and the first of block 1 are each
 * reached in their own block.
 */
START_TEST(straddle_is_null)
{
	unsigned long pfn, va, k;
	char *mem;

	set_block_shift(16);
	ck_assert_int_eq(posix_memalign((void **)&mem, block, 2 * block), 0);
	for (k = 0; k < 2; k++) {
		model_phys[k] = (unsigned long)mem + k * block;
		model_users[k] = 1;
		ck_assert(sim_populate(model_phys[k], VBASE + k * block, k));
	}
	/* The first struct page that ends beyond block 0. */
	pfn = (block + SZ - 1) / SZ - (block % SZ ? 1 : 0);
	va = VBASE + pfn * SZ;
	if (block % SZ) {
		ck_assert_uint_lt(va, VBASE + block);
		ck_assert_uint_gt(va + SZ, VBASE + block);
		ck_assert_ptr_null(realmode_pfn_to_page(pfn));
		ck_assert_ptr_null(vmemmap_rm_walk(pfn));
		ck_assert_ptr_eq(realmode_pfn_to_page(pfn + 1),
				 (struct page *)(mem + (va + SZ - VBASE)));
	} else {
		ck_assert_uint_eq(va, VBASE + block);
		ck_assert_ptr_eq(realmode_pfn_to_page(pfn),
				 (struct page *)(mem + block));
	}
	ck_assert_ptr_eq(realmode_pfn_to_page(pfn - 1),
			 (struct page *)(mem + (va - SZ - VBASE)));
	free(mem);
}
END_TEST

/* ---- get/put on struct pages in host memory, reached by translation ---- */

static char *backing;

/* A block of host memory behind the vmemmap block of @pfn. */
static struct page *page_at(unsigned long pfn)
{
	unsigned long va = VBASE + pfn * SZ;
	unsigned long k;
	struct page *rm;

	set_block_shift(16);
	k = vkey(va);
	if (!backing) {
		ck_assert_int_eq(posix_memalign((void **)&backing, block,
						block), 0);
		memset(backing, 0, block);
		model_phys[k] = (unsigned long)backing;
		model_users[k] = 1;
		ck_assert(sim_populate(model_phys[k], VBASE + k * block, k));
	}
	rm = realmode_pfn_to_page(pfn);
	ck_assert_ptr_eq(rm, (struct page *)(backing + (va - VBASE -
							k * block)));
	return rm;
}

/* A free page: no reference taken, and no count driven below zero. */
START_TEST(get_put_zero_ref)
{
	struct page *p = page_at(7);

	atomic_set(&p->_refcount, 0);
	ck_assert_int_eq(realmode_get_page(p), -EAGAIN);
	ck_assert_int_eq(page_ref_count(p), 0);
	ck_assert_int_eq(realmode_put_page(p), -EAGAIN);
	ck_assert_int_eq(page_ref_count(p), 0);
	/* A corrupt count is neither raised nor lowered. */
	atomic_set(&p->_refcount, -3);
	ck_assert_int_eq(realmode_get_page(p), -EAGAIN);
	ck_assert_int_eq(realmode_put_page(p), -EAGAIN);
	ck_assert_int_eq(page_ref_count(p), -3);
}
END_TEST

START_TEST(get_put_one_ref)
{
	struct page *p = page_at(8);

	atomic_set(&p->_refcount, 1);
	ck_assert_int_eq(realmode_get_page(p), 0);
	ck_assert_int_eq(page_ref_count(p), 2);
	ck_assert_int_eq(realmode_put_page(p), 0);
	ck_assert_int_eq(page_ref_count(p), 1);
	/* The last reference is never dropped in real mode. */
	ck_assert_int_eq(realmode_put_page(p), -EAGAIN);
	ck_assert_int_eq(page_ref_count(p), 1);
}
END_TEST

START_TEST(get_put_many_refs)
{
	struct page *p = page_at(9);
	int i;

	atomic_set(&p->_refcount, 3);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(realmode_get_page(p), 0);
	ck_assert_int_eq(page_ref_count(p), 1003);
	for (i = 0; i < 1002; i++)
		ck_assert_int_eq(realmode_put_page(p), 0);
	ck_assert_int_eq(page_ref_count(p), 1);
	ck_assert_int_eq(realmode_put_page(p), -EAGAIN);
}
END_TEST

START_TEST(get_put_compound)
{
	struct page *head = page_at(16), *tail = page_at(17);

	head->flags = 1UL << PG_head;
	atomic_set(&head->_refcount, 5);
	/* A tail points at its head (a vmemmap address) with bit 0 set. */
	tail->compound_head = (unsigned long)pfn_to_page(16) | 1;
	atomic_set(&tail->_refcount, 0);
	ck_assert_int_eq(realmode_get_page(head), -EAGAIN);
	ck_assert_int_eq(realmode_put_page(head), -EAGAIN);
	ck_assert_int_eq(realmode_get_page(tail), -EAGAIN);
	ck_assert_int_eq(realmode_put_page(tail), -EAGAIN);
	ck_assert_int_eq(page_ref_count(head), 5);
	ck_assert_int_eq(page_ref_count(tail), 0);
}
END_TEST

/* Two CPUs taking and dropping references: the count never reaches 0. */
static void *get_put_loop(void *arg)
{
	struct page *p = arg;
	int i;

	for (i = 0; i < 200000; i++) {
		if (realmode_get_page(p))
			return (void *)1;
		if (realmode_put_page(p))
			return (void *)2;
	}
	return NULL;
}

START_TEST(get_put_concurrent)
{
	struct page *p = page_at(20);
	pthread_t t[2];
	void *r;
	int i;

	atomic_set(&p->_refcount, 1);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, get_put_loop, p),
				 0);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(pthread_join(t[i], &r), 0);
		ck_assert_ptr_null(r);
	}
	ck_assert_int_eq(page_ref_count(p), 1);
}
END_TEST

static Suite *realmode_suite(void)
{
	Suite *s = suite_create("realmode_page");
	TCase *tc = tcase_create("translate");
	TCase *rc = tcase_create("refs");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, boot_order, 0, 3);
	tcase_add_loop_test(tc, hotplug_recycled, 0, 3);
	tcase_add_loop_test(tc, random_layouts, 0, 6);
	tcase_add_loop_test(tc, ragged_ranges, 0, 6);
	tcase_add_loop_test(tc, alloc_failure_refuses, 0, 6);
	tcase_add_loop_test(tc, all_removed, 0, 3);
	tcase_add_test(tc, empty);
	tcase_add_test(tc, straddle_is_null);
	suite_add_tcase(s, tc);

	tcase_set_timeout(rc, 60);
	tcase_add_test(rc, get_put_zero_ref);
	tcase_add_test(rc, get_put_one_ref);
	tcase_add_test(rc, get_put_many_refs);
	tcase_add_test(rc, get_put_compound);
	tcase_add_test(rc, get_put_concurrent);
	suite_add_tcase(s, rc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(realmode_suite());
	int failed;

	/* Every test needs a fresh process: the index is global state. */
	srunner_set_fork_status(sr, CK_FORK);
	printf("struct page %zu bytes, PAGE_SHIFT %d\n", SZ, PAGE_SHIFT);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
