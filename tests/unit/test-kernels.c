// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernels users run: Debian 13's 6.12 shape beside 6.1's, on forged dumps.  The
 * MMU as the kernel says it (NUMBER(RADIX_MMU)), the vmemmap base from SYMBOL(vmemmap),
 * the radix page tables as the vmemmap's only map (no vmemmap_list since 6.5) with 4K
 * and 64K geometry, hash with 4K pages (vmemmap at 0xc0003f0000000000 in 4K blocks),
 * 6.11+ page types, and what happens when nothing locates a struct page: a finding
 * and a clear error, never a silent non-answer.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"
#include "util.h"

/* The 6.12 machines: radix 4K, radix 64K, hash 4K, hash 64K (all little-endian, and
 * radix 4K big-endian too). */
static const struct {
	unsigned page_shift;
	bool radix;
	enum forge_endian endian;
	const char *name;
} machines[] = {
	{ 12, true, FORGE_LE, "radix-4k" },
	{ 16, true, FORGE_LE, "radix-64k" },
	{ 12, false, FORGE_LE, "hash-4k" },
	{ 16, false, FORGE_LE, "hash-64k" },
	{ 12, true, FORGE_BE, "radix-4k-be" },
};
#define NMACHINES 5

static struct fk_opts machine(int i)
{
	struct fk_opts o = {
		.endian = machines[i].endian,
		.page_shift = machines[i].page_shift,
		.radix = machines[i].radix,
		.kernel = FK_KERNEL_6_12,
	};

	return o;
}

/* Builds scenario name on machine i, writes it and opens it. */
static struct tce_dump *scenario(const char *name, int i, struct forge_scenario_result *res)
{
	struct fk_opts o = machine(i);
	char err[256], path[] = "/tmp/tce-kernels-XXXXXX";
	struct tce_dump *d = NULL;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_msg(forge_scenario_write(name, &o, path, res, err, sizeof(err)) == 0,
		      "%s on %s: %s", name, machines[i].name, err);
	ck_assert_msg(open_path(path, &d) == 0, "open: %s", tce_errmsg(d));
	unlink(path);
	return d;
}

static void info_of(struct tce_dump *d, struct tce_vmemmap_info *vi)
{
	*vi = (struct tce_vmemmap_info)TCE_VMEMMAP_INFO_INIT;
	ck_assert_int_eq(tce_vmemmap_info(view_analysis(d), vi), 0);
}

/* The MMU is the one the kernel says, and the page tables agree. */
START_TEST(mmu_from_vmcoreinfo)
{
	struct forge_scenario_result res;
	struct tce_dump *d = scenario("clean", _i, &res);
	struct tce_mmu_info mi = TCE_MMU_INFO_INIT;
	enum tce_mmu want = machines[_i].radix ? TCE_MMU_RADIX : TCE_MMU_HASH;

	ck_assert_int_eq(tce_analysis_mmu_info(view_analysis(d), &mi), 0);
	ck_assert_int_eq(mi.mmu, want);
	ck_assert_int_eq(mi.declared, want);
	if (machines[_i].radix)
		ck_assert_int_eq(mi.tables, TCE_MMU_RADIX);
	else
		ck_assert_int_ne(mi.tables, TCE_MMU_RADIX);
	close_dump(d);
	forge_scenario_release(&res);
}
END_TEST

/* Every struct page reads where the kernel put it, through the list (hash) or the
 * page tables (radix), and the info says which. */
START_TEST(clean_reads_every_page)
{
	struct forge_scenario_result res;
	struct tce_dump *d = scenario("clean", _i, &res);
	struct tce_vmemmap_info vi;
	const struct vmv *vm;
	uint64_t pfns = forge_scenario_fact(&res, "boot_pfns", 0), pfn, step;

	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	info_of(d, &vi);
	ck_assert_uint_eq(vi.base, forge_scenario_fact(&res, "vmemmap_base", 0));
	ck_assert_int_eq(vi.base_source, TCE_BASE_VMCOREINFO);
	if (machines[_i].radix) {
		ck_assert_int_eq(vi.source, TCE_VMEMMAP_SRC_PGTABLE);
		ck_assert_int_eq(vi.reference, TCE_XLAT_PGTABLE);
		ck_assert_uint_eq(vi.nblocks, 0);
		ck_assert_uint_eq(vi.head, 0);
	} else {
		ck_assert_int_eq(vi.source, TCE_VMEMMAP_SRC_LIST);
		ck_assert_int_eq(vi.reference, TCE_XLAT_INDEX);
		ck_assert_uint_eq(vi.nblocks, forge_scenario_fact(&res, "blocks", 0));
		if (machines[_i].page_shift == 12)
			ck_assert_uint_eq(vi.base, FK_VMEMMAP_BASE_HASH_4K);
	}
	ck_assert_ptr_null(vi.why);
	ck_assert_uint_gt(pfns, 0);
	step = pfns / 97 + 1;
	for (pfn = 0; pfn < pfns; pfn += step) {
		struct tce_pfn_xlat x = TCE_PFN_XLAT_INIT;
		struct tce_page pg = TCE_PAGE_INIT;
		uint64_t want;

		ck_assert_int_eq(fk_vmemmap_translate(res.k, fk_pfn_to_vmemmap(res.k, pfn),
						      &want), 0);
		ck_assert_int_eq(tce_pfn_xlat(view_analysis(d), pfn, &x), 0);
		ck_assert_int_eq(x.reference, vi.reference);
		ck_assert_int_eq(x.st[x.reference], TCE_XS_OK);
		ck_assert_uint_eq(x.phys[x.reference], want);
		ck_assert_uint_eq(x.nproblems, 0);
		if (machines[_i].radix) {
			ck_assert_int_eq(x.st[TCE_XLAT_INDEX], TCE_XS_UNAVAILABLE);
			ck_assert_int_eq(x.st[TCE_XLAT_SEED2013], TCE_XS_UNAVAILABLE);
		}
		ck_assert_int_eq(page_read(d, pfn, &pg), 0);
		ck_assert_uint_eq(pg.phys, want);
	}
	/* a healthy dump: no finding, and the list's rules say they do not apply */
	ck_assert_uint_eq(vm->nfindings, 0);
	if (machines[_i].radix)
		ck_assert_int_eq(tce_rule_outcome(view_analysis(d), TCE_RULE_VMEMMAP_UNORDERED,
						  NULL), TCE_OUTCOME_NOT_APPLICABLE);
	ck_assert_int_eq(tce_rule_outcome(view_analysis(d), TCE_RULE_VMEMMAP_NO_XLAT, NULL),
			 TCE_OUTCOME_PASS);
	ck_assert_int_eq(tce_rule_outcome(view_analysis(d), TCE_RULE_VMEMMAP_UNCOVERED, NULL),
			 TCE_OUTCOME_PASS);
	close_dump(d);
	forge_scenario_release(&res);
}
END_TEST

/* 6.11+ page types (the top byte of page_type), slab as a type, the buddy order. */
START_TEST(page_types)
{
	struct forge_scenario_result res;
	struct tce_dump *d = scenario("clean", _i, &res);
	static const struct {
		const char *fact;
		unsigned state;
	} want[] = {
		{ "pfn.buddy", TCE_PF_BUDDY },
		{ "pfn.offline", TCE_PF_OFFLINE },
		{ "pfn.slab", TCE_PF_SLAB },
		{ "pfn.refcount1", 0 },
		{ "pfn.lru", TCE_PF_LRU },
	};
	unsigned i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct tce_page pg = TCE_PAGE_INIT;
		uint64_t pfn = forge_scenario_fact(&res, want[i].fact, UINT64_MAX);
		unsigned types = TCE_PF_BUDDY | TCE_PF_OFFLINE | TCE_PF_SLAB;

		ck_assert_uint_ne(pfn, UINT64_MAX);
		ck_assert_int_eq(page_read(d, pfn, &pg), 0);
		ck_assert_msg((pg.known & types) == types, "%s: known 0x%x", want[i].fact,
			      pg.known);
		ck_assert_msg((pg.states & (types | TCE_PF_LRU)) == want[i].state,
			      "%s: states 0x%x, want 0x%x", want[i].fact, pg.states,
			      want[i].state);
		if (want[i].state == TCE_PF_BUDDY)
			ck_assert_int_eq(pg.buddy_order, 0);
	}
	close_dump(d);
	forge_scenario_release(&res);
}
END_TEST

/* Radix: a present section whose struct pages the page tables do not map is
 * TCE-VMEMMAP-UNCOVERED (and its pfns cannot be read); the clean dump above raises
 * none. */
START_TEST(pgtable_hole)
{
	struct forge_scenario_result res;
	int i = _i == 0 ? 0 : 1;      /* radix 4K, radix 64K */
	struct tce_dump *d = scenario("pgtable-hole", i, &res);
	uint64_t hole = forge_scenario_fact(&res, "hole.pfn", UINT64_MAX);
	uint64_t mapped = forge_scenario_fact(&res, "mapped.pfn", UINT64_MAX);
	struct tce_page pg = TCE_PAGE_INIT;
	const struct vmv *vm;
	size_t f;

	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	ck_assert_uint_ne(hole, UINT64_MAX);
	ck_assert_findings(vm, "TCE-VMEMMAP-UNCOVERED", 1);
	for (f = 0; f < vm->nfindings; f++)
		if (!strcmp(vm->findings[f].id, "TCE-VMEMMAP-UNCOVERED")) {
			ck_assert_uint_le(vm->findings[f].pfn_first, hole);
			ck_assert_uint_ge(vm->findings[f].pfn_last, hole);
			ck_assert(strstr(vm->findings[f].message, "page tables"));
		}
	ck_assert_int_eq(page_read(d, hole, &pg), -TCE_ENOXLAT);
	ck_assert(strstr(tce_errmsg(d), "page tables do not map"));
	ck_assert_int_eq(page_read(d, mapped, &pg), 0);
	close_dump(d);
	forge_scenario_release(&res);
}
END_TEST

/* Nothing locates a struct page: one error finding that says why, and every page read
 * fails with the same reason. */
START_TEST(no_translation)
{
	struct forge_scenario_result res;
	struct tce_dump *d = scenario("no-translation", _i, &res);
	struct tce_page pg = TCE_PAGE_INIT;
	struct tce_vmemmap_info vi;
	const struct vmv *vm;

	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	info_of(d, &vi);
	ck_assert_int_eq(vi.source, TCE_VMEMMAP_SRC_NONE);
	ck_assert_ptr_nonnull(vi.why);
	ck_assert_findings(vm, "TCE-VMEMMAP-NO-XLAT", 1);
	ck_assert_findings(vm, "TCE-VMEMMAP-MISSING", 0);
	ck_assert_int_eq(vm->findings[0].severity, TCE_SEV_ERROR);
	ck_assert_msg(strstr(vm->findings[0].message, machines[_i].radix ? "radix page tables"
			     : "hash MMU"), "%s", vm->findings[0].message);
	ck_assert_int_eq(page_read(d, 0x100, &pg), -TCE_ENOXLAT);
	ck_assert(strstr(tce_errmsg(d), "no struct page can be located"));
	close_dump(d);
	forge_scenario_release(&res);
}
END_TEST

/* A 6.1-shaped dump says no NUMBER(RADIX_MMU): the page tables decide, as before. */
START_TEST(mmu_without_radix_mmu_item)
{
	struct fk_opts o = machine(_i);
	struct tce_mmu_info mi = TCE_MMU_INFO_INIT;
	struct fk *k;
	struct tce_dump *d;

	o.kernel = FK_KERNEL_6_12;
	k = make_kernel(&o);
	ck_assert_int_eq(fk_vmcoreinfo_override(k, "NUMBER(RADIX_MMU)", NULL), 0);
	d = open_kernel(k);
	ck_assert_int_eq(tce_analysis_mmu_info(view_analysis(d), &mi), 0);
	ck_assert_int_eq(mi.declared, TCE_MMU_UNKNOWN);
	if (machines[_i].radix)
		ck_assert_int_eq(mi.mmu, TCE_MMU_RADIX);
	else
		ck_assert_int_ne(mi.mmu, TCE_MMU_RADIX);
	close_dump(d);
	fk_free(k);
}
END_TEST

static Suite *kernels_suite(void)
{
	Suite *s = suite_create("kernels");
	TCase *tc = tcase_create("6.12");

	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, mmu_from_vmcoreinfo, 0, NMACHINES);
	tcase_add_loop_test(tc, clean_reads_every_page, 0, NMACHINES);
	tcase_add_loop_test(tc, page_types, 0, NMACHINES);
	tcase_add_loop_test(tc, pgtable_hole, 0, 2);
	tcase_add_loop_test(tc, no_translation, 0, NMACHINES);
	tcase_add_loop_test(tc, mmu_without_radix_mmu_item, 0, NMACHINES);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(kernels_suite());
}
