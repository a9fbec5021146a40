// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmemmap_list on forged dumps of both byte orders and page sizes: the blocks we list,
 * every translation checked pfn by pfn against the forge's ground truth, the readings
 * installed into libkdumpfile, and each finding with a dump that triggers it and one
 * that does not.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* A kernel booted with `boot` bytes of RAM out of `ram` (room for hot-add). */
static struct fk *boot_kernel(int v, unsigned sz, bool radix, uint64_t boot, uint64_t ram)
{
	struct fk_opts o = variant_opts(v, sz, radix, ram);
	struct fk *k = fk_new(&o);

	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(fk_vmemmap_populate(k, 0, boot >> o.page_shift), 0);
	return k;
}

static void hot_add(struct fk *k, uint64_t start, uint64_t size)
{
	unsigned ps = fk_opts(k)->page_shift;

	ck_assert_int_eq(fk_vmemmap_populate(k, start >> ps, size >> ps), 0);
}

static void hot_remove(struct fk *k, uint64_t start, uint64_t size)
{
	unsigned ps = fk_opts(k)->page_shift;

	ck_assert_int_eq(fk_vmemmap_depopulate(k, start >> ps, size >> ps), 0);
}

/* RAM described by one vmemmap block (64-byte struct pages) */
static uint64_t block_ram(int v, bool radix)
{
	uint64_t bs = radix ? 2 * MiB : 64 * 1024;

	return bs / 64 << variants[v].page_shift;
}

/*
 * The hot-add, hot-add, hot-remove, hot-add sequence FIELD-NOTES saw on real 6.1, in
 * units of the RAM one block describes (so that removal frees whole blocks): the
 * recycled entries of the removed memory come back at the head, out of order.
 */
static struct fk *hotplug_kernel(int v, bool radix)
{
	uint64_t u = block_ram(v, radix);
	struct fk *k = boot_kernel(v, 64, radix, 4 * u, 10 * u);

	hot_add(k, 4 * u, 2 * u);
	hot_add(k, 6 * u, 4 * u);
	hot_remove(k, 4 * u, 2 * u);
	hot_add(k, 4 * u, 2 * u);
	return k;
}

/*
 * Every method against the forge's own truth (which walks the list in the dump for each
 * address, so it is slow): every pfn whose struct page lies near a block edge, where
 * translations go wrong, and every 61st pfn in between.
 */
static void check_translations(struct fk *k, struct tce_dump *d, bool expect_seed_ok)
{
	const struct vmv *vm;
	uint64_t pfn, stride, sz = fk_page_layout(k)->size, bs = fk_vmemmap_block_size(k);
	size_t seed_wrong = 0;

	vmemmap_load(d, &vm);
	ck_assert_uint_eq(vm->base, fk_pfn_to_vmemmap(k, 0));
	stride = 61;
	for (pfn = 0; pfn < vm->max_pfn; pfn++) {
		uint64_t va = fk_pfn_to_vmemmap(k, pfn), truth, phys, p2;
		bool whole;

		if (pfn % stride && va % bs >= 2 * sz && va % bs < bs - 2 * sz)
			continue;
		whole = fk_vmemmap_translate(k, va, &truth) == 0 &&
			     fk_vmemmap_translate(k, va + sz - 1, &p2) == 0 &&
			     p2 == truth + sz - 1 && (va % bs) + sz <= bs;
		enum tce_xlat_status st;

		ck_assert_uint_eq(tce_pfn_to_vmemmap(vm->a, pfn), va);
		st = pfn_to_page(d, TCE_XLAT_INDEX, pfn, &phys);
		if (whole) {
			ck_assert_int_eq(st, TCE_XS_OK);
			ck_assert_uint_eq(phys, truth);
			ck_assert_int_eq(pfn_to_page(d, TCE_XLAT_WALK, pfn, &phys), TCE_XS_OK);
			ck_assert_uint_eq(phys, truth);
			if (pfn_to_page(d, TCE_XLAT_SEED2013, pfn, &phys) != TCE_XS_OK ||
			    phys != truth)
				seed_wrong++;
		} else {
			ck_assert_int_ne(st, TCE_XS_OK);
			ck_assert_int_ne(pfn_to_page(d, TCE_XLAT_WALK, pfn, &phys), TCE_XS_OK);
			ck_assert_int_ne(pfn_to_page(d, TCE_XLAT_SEED2013, pfn, &phys),
					 TCE_XS_OK);
		}
		if (vm->pgtable_available && whole) {
			ck_assert_int_eq(pfn_to_page(d, TCE_XLAT_PGTABLE, pfn, &phys),
					 TCE_XS_OK);
			ck_assert_uint_eq(phys, truth);
		}
	}
	if (expect_seed_ok)
		ck_assert_uint_eq(seed_wrong, 0);
	else
		ck_assert_uint_gt(seed_wrong, 0);
}

START_TEST(clean_boot_list)
{
	struct fk *k = boot_kernel(_i, 64, false, GiB, GiB);
	struct tce_dump *d = open_kernel(k);
	const struct vmv *vm;
	size_t i;

	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	if (vm->nfindings)
		dump_findings(vm);
	ck_assert_uint_eq(vm->nfindings, 0);
	ck_assert_uint_eq(vm->nblocks, (size_t)fk_vmemmap_nentries(k));
	ck_assert_uint_eq(vm->block_size, fk_vmemmap_block_size(k));
	ck_assert_uint_eq(vm->struct_page_size, 64);
	ck_assert(vm->ordered);
	ck_assert(vm->complete);
	ck_assert(!vm->pgtable_available);
	ck_assert_uint_eq(vm->straddling_pages, 0);
	ck_assert_uint_eq(vm->max_pfn, GiB >> variants[_i].page_shift);
	/* every block is one of the forge's entries, and they are all there */
	for (i = 0; i < vm->nblocks; i++) {
		uint64_t phys;

		ck_assert_int_eq(fk_vmemmap_translate(k, vm->blocks[i].virt, &phys), 0);
		ck_assert_uint_eq(phys, vm->blocks[i].phys);
		if (i)
			ck_assert_uint_lt(vm->blocks[i].virt, vm->blocks[i - 1].virt);
	}
	check_translations(k, d, true);
	/* a second load returns the same model */
	{
		const struct vmv *again;

		ck_assert_int_eq(vmemmap_load(d, &again), 0);
		ck_assert_ptr_eq(again, vm);
	}
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(vmemmap_reads_go_through_libkdumpfile)
{
	struct fk *k = boot_kernel(_i, 64, false, GiB, GiB);
	struct fk_page pg = { .flags = 0x1234, .refcount = 7, .mapcount = -1 };
	struct tce_dump *d;
	const struct vmv *vm;
	unsigned char a[64], b[64];
	uint64_t va = fk_pfn_to_vmemmap(k, 4097), phys;
	size_t len = sizeof(a);

	ck_assert_int_eq(fk_set_page(k, 4097, &pg), 0);
	d = open_kernel(k);
	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	/* libkdumpfile's own read of a vmemmap address uses our translation */
	ck_assert_int_eq(kdump_read(d->kd, KDUMP_KVADDR, va, a, &len), KDUMP_OK);
	ck_assert_uint_eq(len, sizeof(a));
	ck_assert_int_eq(fk_vmemmap_translate(k, va, &phys), 0);
	ck_assert_int_eq(tce_read(d, TCE_PHYS, phys, b, sizeof(b)), 0);
	ck_assert_mem_eq(a, b, sizeof(a));
	ck_assert_int_eq(tce_kvtop(d, va, &phys), 0);
	ck_assert_int_eq(tce_read(d, TCE_KVADDR, va, b, sizeof(b)), 0);
	ck_assert_mem_eq(a, b, sizeof(a));
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(hotplug_breaks_the_2013_walk)
{
	struct fk *k = hotplug_kernel(_i, false);
	struct tce_dump *d = open_kernel(k);
	const struct vmv *vm;
	size_t i;

	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	ck_assert(!vm->ordered);
	ck_assert(vm->complete);
	ck_assert_findings(vm, "TCE-VMEMMAP-UNORDERED", 1);
	ck_assert_uint_ge(count_findings(vm, "TCE-VMEMMAP-SEED-FALLBACK"), 1);
	/* the 2013 walk gives up there, it never returns a wrong address */
	ck_assert_findings(vm, "TCE-VMEMMAP-XLAT-MISMATCH", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-OVERLAP-VIRT", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-CYCLE", 0);
	/* pfns of the re-added memory */
	for (i = 0; i < vm->nfindings; i++) {
		const struct tce_finding *f = &vm->findings[i];

		if (strcmp(f->id, "TCE-VMEMMAP-SEED-FALLBACK"))
			continue;
		ck_assert(strstr(f->message, "the 2013 walk gives up"));
		ck_assert_int_eq(f->severity, TCE_SEV_WARNING);
		ck_assert_uint_ge(f->pfn_first, 4 * block_ram(_i, false) >>
				  variants[_i].page_shift);
		ck_assert_uint_lt(f->pfn_last, 10 * block_ram(_i, false) >>
				  variants[_i].page_shift);
	}
	check_translations(k, d, false);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(hot_add_alone_keeps_order)
{
	uint64_t u = block_ram(_i, false);
	struct fk *k = boot_kernel(_i, 64, false, 4 * u, 10 * u);
	struct tce_dump *d;
	const struct vmv *vm;

	hot_add(k, 4 * u, 2 * u);
	hot_add(k, 6 * u, 4 * u);
	d = open_kernel(k);
	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	ck_assert(vm->ordered);
	ck_assert_findings(vm, "TCE-VMEMMAP-UNORDERED", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-XLAT-MISMATCH", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-SEED-FALLBACK", 0);
	check_translations(k, d, true);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(cycle_is_found_and_ends)
{
	struct fk *k = boot_kernel(_i, 64, false, GiB, GiB);
	int n = fk_vmemmap_nentries(k);
	struct tce_dump *d;
	const struct vmv *vm;

	/* the oldest entry (the tail of the list) links back to the newest (the head) */
	ck_assert_int_eq(fk_vmemmap_set_next(k, 0, fk_kva(fk_vmemmap_entry_phys(k, n - 1))),
			 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-CYCLE", 1);
	ck_assert(!vm->complete);
	ck_assert_uint_eq(vm->nblocks, (size_t)n);
	ck_assert_findings(vm, "TCE-VMEMMAP-XLAT-MISMATCH", 0);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(self_loop_is_a_cycle)
{
	struct fk *k = boot_kernel(_i, 64, false, GiB, GiB);
	struct tce_dump *d;
	const struct vmv *vm;
	int mid = fk_vmemmap_nentries(k) / 2;

	ck_assert_int_eq(fk_vmemmap_set_next(k, mid, fk_kva(fk_vmemmap_entry_phys(k, mid))),
			 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-CYCLE", 1);
	ck_assert(!vm->complete);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(cut_list_is_truncated)
{
	struct fk *k = boot_kernel(_i, 64, false, GiB, GiB);
	struct tce_dump *d;
	const struct vmv *vm;
	int n = fk_vmemmap_nentries(k);

	/* entry n/2 points into RAM that the dump does not hold */
	ck_assert_int_eq(fk_vmemmap_set_next(k, n / 2, fk_kva(0x30000000)), 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-TRUNCATED", 1);
	ck_assert_findings(vm, "TCE-VMEMMAP-CYCLE", 0);
	ck_assert(!vm->complete);
	ck_assert_uint_eq(vm->nblocks, (size_t)(n - n / 2));
	/* the blocks lost behind the cut back RAM the dump holds (the backing itself) */
	ck_assert_uint_ge(count_findings(vm, "TCE-VMEMMAP-UNCOVERED"), 1);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(garbage_pointer_is_truncated)
{
	struct fk *k = boot_kernel(_i, 64, false, GiB, GiB);
	struct tce_dump *d;
	const struct vmv *vm;

	ck_assert_int_eq(fk_vmemmap_set_head(k, 0x12345678), 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-TRUNCATED", 1);
	ck_assert_uint_eq(vm->nblocks, 0);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(endless_list_is_unterminated)
{
	struct fk *k = boot_kernel(_i, 64, false, 64 * MiB, 64 * MiB);
	struct forge *f = fk_forge(k);
	const uint64_t region = 0x100000000ULL, size = 4 * MiB;
	struct tce_dump *d;
	const struct vmv *vm;
	uint64_t a;

	/* entries 8 bytes apart, each linking to the next: longer than the dump can
	 * hold whole entries, without ever repeating an address */
	ck_assert_int_eq(forge_add_ram(f, region, size), 0);
	for (a = region; a + 8 < region + size; a += 8)
		ck_assert_int_eq(forge_put_u64(f, a, fk_kva(a + 8)), 0);
	ck_assert_int_eq(fk_vmemmap_set_head(k, fk_kva(region)), 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-UNTERMINATED", 1);
	ck_assert_findings(vm, "TCE-VMEMMAP-CYCLE", 0);
	ck_assert(!vm->complete);
	/* per-entry findings are capped */
	ck_assert_uint_le(count_findings(vm, "TCE-VMEMMAP-MISALIGNED"), 257);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(misaligned_block)
{
	struct fk *k = boot_kernel(_i, 64, false, GiB, GiB);
	struct tce_dump *d;
	const struct vmv *vm;
	uint64_t virt = fk_pfn_to_vmemmap(k, 0), phys;

	ck_assert_int_eq(fk_vmemmap_translate(k, virt, &phys), 0);
	/* the first block created (pfn 0's) moved by 4 KiB in physical memory */
	ck_assert_int_eq(fk_vmemmap_set_fields(k, 0, phys + 4096, virt), 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-MISALIGNED", 1);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(overlapping_blocks)
{
	struct fk *k = boot_kernel(_i, 64, false, GiB, GiB);
	struct tce_dump *d;
	const struct vmv *vm;
	uint64_t bs = fk_vmemmap_block_size(k), v0 = fk_pfn_to_vmemmap(k, 0), p0, p1;

	ck_assert_int_eq(fk_vmemmap_translate(k, v0, &p0), 0);
	ck_assert_int_eq(fk_vmemmap_translate(k, v0 + bs, &p1), 0);
	/* entry 1 claims block 0's virtual range (same backing: only virt overlaps) */
	ck_assert_int_eq(fk_vmemmap_set_fields(k, 1, p1, v0), 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-OVERLAP-VIRT", 1);
	ck_assert_findings(vm, "TCE-VMEMMAP-OVERLAP-PHYS", 0);
	close_dump(d);
	fk_free(k);

	k = boot_kernel(_i, 64, false, GiB, GiB);
	ck_assert_int_eq(fk_vmemmap_translate(k, v0, &p0), 0);
	/* entry 1 stored in block 0's memory */
	ck_assert_int_eq(fk_vmemmap_set_fields(k, 1, p0, v0 + bs), 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-OVERLAP-PHYS", 1);
	ck_assert_findings(vm, "TCE-VMEMMAP-OVERLAP-VIRT", 0);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(no_overlap_in_clean_lists)
{
	struct fk *k = hotplug_kernel(_i, false);
	struct tce_dump *d = open_kernel(k);
	const struct vmv *vm;

	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-OVERLAP-VIRT", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-OVERLAP-PHYS", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-MISALIGNED", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-BACKING-MISSING", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-TRUNCATED", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-UNTERMINATED", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-MISSING", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-STRADDLE", 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-UNCOVERED", 0);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(backing_outside_the_dump)
{
	struct fk *k = boot_kernel(_i, 64, false, GiB, 2 * GiB);
	struct tce_dump *d;
	const struct vmv *vm;
	uint64_t bs = fk_vmemmap_block_size(k);
	uint64_t virt = fk_pfn_to_vmemmap(k, GiB >> variants[_i].page_shift);

	/* a hot-added block whose backing (at 1.5 GiB) the dump does not hold */
	ck_assert_int_ge(fk_vmemmap_add(k, virt & ~(bs - 1), 0x60000000), 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-BACKING-MISSING", 1);
	/* its struct pages are "not in the dump", not zeros */
	{
		struct tce_page pg;
		uint64_t pfn = GiB >> variants[_i].page_shift;

		ck_assert_int_eq(page_read(d, pfn, &pg), -TCE_ENODATA);
	}
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(straddling_struct_pages)
{
	/* SIZE(page) = 56 does not divide the block: some struct pages span two */
	struct fk *k = boot_kernel(_i, 56, false, GiB, GiB);
	struct tce_dump *d;
	const struct vmv *vm;
	uint64_t bs = fk_vmemmap_block_size(k), pfn, want = 0, straddler = 0;
	struct fk_page fp = { .flags = 0xabcdef, .refcount = 3, .mapcount = 5 };
	struct tce_page pg;

	for (pfn = 0; pfn < (GiB >> variants[_i].page_shift); pfn++) {
		uint64_t off = fk_pfn_to_vmemmap(k, pfn) % bs;

		if (off + 56 > bs) {
			want++;
			if (!straddler)
				straddler = pfn;
		}
	}
	ck_assert_uint_gt(want, 0);
	ck_assert_int_eq(fk_set_page(k, straddler, &fp), 0);
	d = open_kernel(k);
	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	ck_assert_uint_eq(vm->straddling_pages, want);
	ck_assert_findings(vm, "TCE-VMEMMAP-STRADDLE", 1);
	ck_assert_findings(vm, "TCE-VMEMMAP-XLAT-MISMATCH", 0);
	/* real mode cannot reach it, but the dump reads it whole through the vmemmap */
	{
		uint64_t phys;

		ck_assert_int_eq(pfn_to_page(d, TCE_XLAT_SEED2013, straddler, &phys),
				 TCE_XS_STRADDLE);
		ck_assert_int_eq(pfn_to_page(d, TCE_XLAT_WALK, straddler, &phys),
				 TCE_XS_STRADDLE);
		ck_assert_int_eq(pfn_to_page(d, TCE_XLAT_INDEX, straddler, &phys),
				 TCE_XS_STRADDLE);
	}
	ck_assert_int_eq(page_read(d, straddler, &pg), 0);
	ck_assert_uint_eq(pg.flags, 0xabcdef);
	ck_assert_int_eq(pg.refcount, 3);
	ck_assert_int_eq(pg.mapcount, 5);
	check_translations(k, d, true);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(struct_page_80)
{
	struct fk *k = boot_kernel(_i, 80, false, GiB, GiB);
	struct tce_dump *d = open_kernel(k);
	const struct vmv *vm;

	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	ck_assert_uint_eq(vm->struct_page_size, 80);
	ck_assert_uint_gt(vm->straddling_pages, 0);
	ck_assert_findings(vm, "TCE-VMEMMAP-XLAT-MISMATCH", 0);
	check_translations(k, d, true);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(missing_vmcoreinfo_items)
{
	static const char *const keys[] = {
		"SYMBOL(vmemmap_list)", "SIZE(page)", "OFFSET(vmemmap_backing.virt_addr)",
		"SYMBOL(mmu_psize_defs)",
	};
	unsigned i;

	for (i = 0; i < 4; i++) {
		struct fk *k = boot_kernel(_i, 64, false, GiB, GiB);
		struct tce_dump *d;
		const struct vmv *vm;

		ck_assert_int_eq(fk_vmcoreinfo_override(k, keys[i], NULL), 0);
		d = open_kernel(k);
		ck_assert_int_eq(vmemmap_load(d, &vm), -TCE_ENOENT);
		ck_assert_findings(vm, "TCE-VMEMMAP-MISSING", 1);
		ck_assert_msg(strstr(vm->err, keys[i]), "%s", vm->err);
		ck_assert(strstr(vm->findings[0].message, keys[i]));
		ck_assert_uint_eq(vm->nblocks, 0);
		close_dump(d);
		fk_free(k);
	}
}
END_TEST

START_TEST(radix_page_tables_agree)
{
	struct fk *k = hotplug_kernel(_i, true);
	struct tce_dump *d = open_kernel(k);
	const struct vmv *vm;
	enum tce_mmu mmu;

	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	ck_assert(vm->pgtable_available);
	ck_assert_uint_eq(vm->block_size, 2 * MiB);
	ck_assert_int_eq(vm->mmu, TCE_MMU_RADIX);
	ck_assert_int_eq(tce_analysis_mmu(vm->a, &mmu), 0);
	ck_assert_int_eq(mmu, TCE_MMU_RADIX);
	{
		size_t i;

		for (i = 0; i < vm->nfindings; i++)
			ck_assert(!strstr(vm->findings[i].message, "the page tables"));
		ck_assert_uint_ge(count_findings(vm, "TCE-VMEMMAP-SEED-FALLBACK"), 1);
		ck_assert_findings(vm, "TCE-VMEMMAP-XLAT-MISMATCH", 0);
	}
	check_translations(k, d, false);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(radix_page_tables_map_more)
{
	/* the page tables map a block that vmemmap_list lost */
	struct fk *k = boot_kernel(_i, 64, true, 4 * block_ram(_i, true),
				   8 * block_ram(_i, true));
	struct tce_dump *d;
	const struct vmv *vm;
	uint64_t bs = fk_vmemmap_block_size(k), lost = fk_pfn_to_vmemmap(k, 0) + 6 * bs;

	/* mapped in the page tables, in no vmemmap_list entry */
	ck_assert_int_eq(fk_pgtable_remap(k, lost, 0x40000000), 0);
	d = open_kernel(k);
	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	ck_assert(vm->pgtable_available);
	ck_assert_findings(vm, "TCE-VMEMMAP-XLAT-MISMATCH", 1);
	{
		size_t i;

		for (i = 0; i < vm->nfindings; i++)
			if (!strcmp(vm->findings[i].id, "TCE-VMEMMAP-XLAT-MISMATCH"))
				ck_assert_uint_eq(vm->findings[i].pfn_first, 6 * bs / 64);
	}
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(radix_page_tables_disagree)
{
	struct fk *k = boot_kernel(_i, 64, true, 4 * block_ram(_i, true),
				   8 * block_ram(_i, true));
	struct tce_dump *d;
	const struct vmv *vm;
	uint64_t bs = fk_vmemmap_block_size(k), v = fk_pfn_to_vmemmap(k, 0) + 2 * bs, phys;
	uint64_t first = 2 * bs / 64, last = 3 * bs / 64 - 1;
	size_t i, n = 0;

	ck_assert_int_eq(fk_pgtable_build(k), 0);
	/* the page tables map the third block somewhere else */
	ck_assert_int_eq(fk_pgtable_remap(k, v, 0x40000000), 0);
	d = open_kernel(k);
	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	ck_assert(vm->pgtable_available);
	for (i = 0; i < vm->nfindings; i++) {
		const struct tce_finding *f = &vm->findings[i];

		if (strcmp(f->id, "TCE-VMEMMAP-XLAT-MISMATCH"))
			continue;
		n++;
		ck_assert(strstr(f->message, "the page tables"));
		ck_assert(!strstr(f->message, "the 2013 walk"));
		ck_assert_uint_eq(f->pfn_first, first);
		ck_assert_uint_eq(f->pfn_last, last);
	}
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(pfn_to_page(d, TCE_XLAT_PGTABLE, first, &phys), TCE_XS_OK);
	ck_assert_uint_eq(phys, 0x40000000);
	close_dump(d);
	fk_free(k);
}
END_TEST

/*
 * Coverage is judged against mem_section: memory the dump holds in no present section
 * (a display's RAM a hypervisor dumped) is TCE-DUMP-UNMANAGED (info), never
 * TCE-VMEMMAP-UNCOVERED; a present section whose struct pages lost their block is.
 */
START_TEST(coverage_follows_mem_section)
{
	struct fk *k = boot_kernel(_i, 64, false, GiB, 2 * GiB);
	const uint64_t vram = 0x200080000000ULL;
	struct forge_write_opts cut = { .split_bytes = 64 << 10, .descending = true };
	struct tce_dump *d;
	const struct vmv *vm;
	char key[80], *path;

	ck_assert_int_eq(forge_add_ram(fk_forge(k), vram, 1 * MiB), 0);
	ck_assert_int_eq(forge_put_u64(fk_forge(k), vram, 0x1234), 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert(vm->base_from_sections);
	ck_assert_uint_eq(vm->base, fk_pfn_to_vmemmap(k, 0));
	ck_assert_findings(vm, "TCE-DUMP-UNMANAGED", 1);
	ck_assert_findings(vm, "TCE-VMEMMAP-UNCOVERED", 0);
	ck_assert_uint_eq(vm->findings[0].severity, TCE_SEV_INFO);
	ck_assert(strstr(vm->findings[0].key, "phys:0x200080000000-"));
	snprintf(key, sizeof(key), "%s", vm->findings[0].key);
	ck_assert_int_eq(tce_rule_outcome(vm->a, TCE_RULE_VMEMMAP_UNCOVERED, NULL),
			 TCE_OUTCOME_PASS);
	close_dump(d);

	/* ... and in a file of 64 KiB PT_LOADs, highest first (makedumpfile -E writes one
	 * for each run of pages it kept): the display's RAM is still one stretch */
	path = write_dump(k, &cut);
	ck_assert_int_eq(open_path(path, &d), 0);
	ck_assert_uint_ge(d->nranges, 16);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-DUMP-UNMANAGED", 1);
	ck_assert_findings(vm, "TCE-VMEMMAP-UNCOVERED", 0);
	ck_assert_str_eq(vm->findings[0].key, key);
	close_dump(d);
	unlink(path);
	free(path);
	fk_free(k);

	/* the same machine whose sections say it manages 1 GiB more than the list backs */
	k = boot_kernel(_i, 64, false, GiB, 2 * GiB);
	ck_assert_int_eq(fk_mem_section_set(k, GiB >> variants[_i].page_shift,
					    GiB >> variants[_i].page_shift,
					    FK_SECTION_PRESENT | FK_SECTION_HAS_MEM_MAP), 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-UNCOVERED", 1);
	ck_assert_findings(vm, "TCE-DUMP-UNMANAGED", 0);
	ck_assert_uint_eq(vm->findings[0].pfn_first, GiB >> variants[_i].page_shift);
	ck_assert_uint_eq(vm->findings[0].pfn_last, (2 * GiB >> variants[_i].page_shift) - 1);
	close_dump(d);
	fk_free(k);
}
END_TEST

/* Without mem_section the dump cannot say which memory the kernel manages: unknown. */
START_TEST(coverage_without_mem_section_is_unknown)
{
	struct fk_opts o = variant_opts(_i, 64, false, GiB);
	struct fk *k;
	struct tce_dump *d;
	const struct vmv *vm;
	const char *why;

	o.no_mem_section = true;
	k = fk_new(&o);
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(fk_vmemmap_populate(k, 0, GiB >> o.page_shift), 0);
	d = open_kernel(k);
	vmemmap_load(d, &vm);
	ck_assert(!vm->base_from_sections);
	ck_assert_uint_eq(vm->base, fk_pfn_to_vmemmap(k, 0));
	ck_assert_int_eq(tce_rule_outcome(vm->a, TCE_RULE_VMEMMAP_UNCOVERED, &why),
			 TCE_OUTCOME_UNKNOWN);
	ck_assert(strstr(why, "mem_section"));
	ck_assert_int_eq(tce_rule_outcome(vm->a, TCE_RULE_DUMP_UNMANAGED, &why),
			 TCE_OUTCOME_UNKNOWN);
	ck_assert_findings(vm, "TCE-VMEMMAP-UNCOVERED", 0);
	ck_assert_findings(vm, "TCE-DUMP-UNMANAGED", 0);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(hash_has_no_page_table_oracle)
{
	struct fk *k = boot_kernel(_i, 64, false, GiB, GiB);
	struct tce_dump *d = open_kernel(k);
	const struct vmv *vm;
	uint64_t phys;
	enum tce_mmu mmu;

	vmemmap_load(d, &vm);
	ck_assert(!vm->pgtable_available);
	ck_assert_int_eq(pfn_to_page(d, TCE_XLAT_PGTABLE, 5, &phys), TCE_XS_UNAVAILABLE);
	ck_assert_int_eq(vm->mmu, TCE_MMU_HASH);
	ck_assert_int_eq(tce_analysis_mmu(vm->a, &mmu), 0);
	ck_assert_int_eq(mmu, TCE_MMU_HASH);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(tce_xlat_name(TCE_XLAT_SEED2013), "seed2013");
	ck_assert_str_eq(tce_xlat_name(TCE_XLAT_PGTABLE), "pgtable");
	ck_assert_str_eq(tce_xlat_name(TCE_XLAT_NUM), "unknown");
	ck_assert_str_eq(tce_xlat_status_name(TCE_XS_STRADDLE), "straddle");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vmemmap");
	TCase *t = tcase_create("vmemmap");

	tcase_set_timeout(t, 300);
	tcase_add_loop_test(t, clean_boot_list, 0, NVARIANTS);
	tcase_add_loop_test(t, vmemmap_reads_go_through_libkdumpfile, 0, NVARIANTS);
	tcase_add_loop_test(t, hotplug_breaks_the_2013_walk, 0, NVARIANTS);
	tcase_add_loop_test(t, hot_add_alone_keeps_order, 0, NVARIANTS);
	tcase_add_loop_test(t, cycle_is_found_and_ends, 0, NVARIANTS);
	tcase_add_loop_test(t, self_loop_is_a_cycle, 0, NVARIANTS);
	tcase_add_loop_test(t, cut_list_is_truncated, 0, NVARIANTS);
	tcase_add_loop_test(t, garbage_pointer_is_truncated, 0, NVARIANTS);
	tcase_add_loop_test(t, endless_list_is_unterminated, 0, NVARIANTS);
	tcase_add_loop_test(t, misaligned_block, 0, NVARIANTS);
	tcase_add_loop_test(t, overlapping_blocks, 0, NVARIANTS);
	tcase_add_loop_test(t, no_overlap_in_clean_lists, 0, NVARIANTS);
	tcase_add_loop_test(t, backing_outside_the_dump, 0, NVARIANTS);
	tcase_add_loop_test(t, straddling_struct_pages, 0, NVARIANTS);
	tcase_add_loop_test(t, struct_page_80, 0, NVARIANTS);
	tcase_add_loop_test(t, missing_vmcoreinfo_items, 0, NVARIANTS);
	tcase_add_loop_test(t, radix_page_tables_agree, 0, NVARIANTS);
	tcase_add_loop_test(t, radix_page_tables_disagree, 0, NVARIANTS);
	tcase_add_loop_test(t, radix_page_tables_map_more, 0, NVARIANTS);
	tcase_add_loop_test(t, hash_has_no_page_table_oracle, 0, NVARIANTS);
	tcase_add_loop_test(t, coverage_follows_mem_section, 0, NVARIANTS);
	tcase_add_loop_test(t, coverage_without_mem_section_is_unknown, 0, NVARIANTS);
	tcase_add_test(t, names);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
