// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rules about VFIO's SPAPR TCE v2 state (TCE-VFIO-*) on the forge's vfio-tables
 * scenario, in both byte orders and both kernel shapes: the healthy machine passes
 * every table rule; one fault planted in the forged memory for each rule (an
 * it_userspace address cleared, moved out of every region, a TCE moved off its
 * region's page, a pin dropped from a small page and from a large folio, a region's
 * mapped count off by one) gives exactly that rule's finding with its semantic key
 * (and, for the pin, the window map's state of the entries that map the page);
 * what the dump cannot decide (hpas[] in vmalloc on the forge's hash machine, whose
 * kernel page tables it does not model; a table whose owner is unknown) is "unknown"
 * with a reason, never "pass"; a machine without VFIO tables makes them not
 * applicable.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rules-util.h"

#define DDW (1ULL << 59)
#define T0_KEY "iommu:phb=0:pe=0x3:window=0x0"
#define T1_KEY "iommu:phb=0:pe=0x3:window=0x800000000000000"

/*
 * Builds vfio-tables (variant bit 0: big-endian, bit 1: radix, bit 2: 6.12's
 * structures), plants the fault, writes the dump and its vmlinux, runs every rule.
 */
static void open_check(int variant, plant_fn *plant, struct opened *o)
{
	const struct check_opts co = {
		.scenario = "vfio-tables",
		.fo = { .endian = variant & 1 ? FORGE_BE : FORGE_LE, .radix = !!(variant & 2),
			.kernel = variant & 4 ? FK_KERNEL_6_12 : FK_KERNEL_6_1 },
		.plant = plant,
	};

	rules_open(&co, o);
}

static void close_check(struct opened *o)
{
	rules_close(o);
}

/* No finding above info; every table rule passes but those named unknown (a
 * NULL-terminated list), which must be unknown with a reason containing words */
static void assert_vfio_healthy(const struct opened *o, const char *const *unknown,
				const char *words)
{
	/* the seed2013 model is not selected */
	static const char *const na[] = { "TCE-SEED-*", NULL };

	assert_healthy(o, unknown, words, na);
}

/* Exactly one error of id, with key */
static const struct tce_finding *assert_error(const struct opened *o, const char *id,
					      const char *key, const char *words)
{
	return assert_only(o, id, key, TCE_SEV_ERROR, words);
}

/* the DDW's first entry (region a's page 0) and its bus address */
static uint64_t t1_first(const struct opened *o)
{
	return fact(o, "tbl.t1.offset");
}

static void t1_key(const struct opened *o, uint64_t entry, char *key, size_t len)
{
	keyf(key, len, T1_KEY ":bus=0x%llx", (unsigned long long)(entry << o->shift));
}

/* ------------------------------------------------------------ healthy */

START_TEST(healthy)
{
	static const char *const vmalloc_unknown[] = {
		"TCE-VFIO-HPA-MISMATCH", "TCE-VFIO-UNPINNED", NULL,
	};
	struct opened o;

	/* bit 1 clear: hash, whose vmalloc (hpas[]) the forge does not map */
	open_check(_i, NULL, &o);
	if (!o.skipped)
		assert_vfio_healthy(&o, _i & 2 ? NULL : vmalloc_unknown, "hpas[]");
	close_check(&o);
}
END_TEST

/* powernv-tables has tables, none of them VFIO's: the VFIO rules do not apply */
START_TEST(no_vfio_tables)
{
	const struct check_opts co = {
		.scenario = "powernv-tables",
		.fo = { .endian = _i & 1 ? FORGE_BE : FORGE_LE, .radix = true },
	};
	const char *const ids[] = { "TCE-VFIO-NO-UA", "TCE-VFIO-NO-REGION",
				    "TCE-VFIO-HPA-MISMATCH", "TCE-VFIO-UNPINNED",
				    "TCE-VFIO-MAPPED" };
	struct opened o;
	unsigned i;

	rules_open(&co, &o);
	if (o.skipped)
		return;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		assert_outcome(&o, ids[i], TCE_OUTCOME_NOT_APPLICABLE, "VFIO");
	rules_close(&o);
}
END_TEST

/* ------------------------------------------------------------ one fault a rule */

/* tce_iommu_unuse_page_v2() ran (address cleared, mapped dropped) but the TCE stayed */
static void plant_no_ua(struct opened *o)
{
	ok(o, fk_iommu_user_put(o->res.k, fact(o, "tbl.t1"), fact(o, "vfio.t1.far_entry"), 0));
	ok(o, fk_vfio_mapped_add(o->res.k, fact(o, "vfio.region.a"), -1));
}

START_TEST(no_ua)
{
	struct opened o;
	char key[128];

	open_check(_i, plant_no_ua, &o);
	if (!o.skipped) {
		t1_key(&o, fact(&o, "vfio.t1.far_entry"), key, sizeof(key));
		assert_error(&o, "TCE-VFIO-NO-UA", key, "no userspace address");
	}
	close_check(&o);
}
END_TEST

/* an address no region holds (its count moved with it) */
static void plant_no_region(struct opened *o)
{
	ok(o, fk_iommu_user_put(o->res.k, fact(o, "tbl.t1"), t1_first(o) + 1, 0x10000000ULL));
	ok(o, fk_vfio_mapped_add(o->res.k, fact(o, "vfio.region.a"), -1));
}

START_TEST(no_region)
{
	struct opened o;
	char key[128];

	open_check(_i, plant_no_region, &o);
	if (!o.skipped) {
		t1_key(&o, t1_first(&o) + 1, key, sizeof(key));
		assert_error(&o, "TCE-VFIO-NO-REGION", key, "0x10000000 lies in no");
	}
	close_check(&o);
}
END_TEST

/* the TCE maps another pinned page of region a than hpas[] gives for its address */
static void plant_hpa(struct opened *o)
{
	uint64_t pfn = FORGE_VFIO_PFN_BASE + 30;

	ok(o, fk_iommu_put(o->res.k, fact(o, "tbl.t1"), t1_first(o) + 2,
			   (pfn << o->shift) | 3));
}

START_TEST(hpa_mismatch)
{
	struct opened o;
	char key[128], words[64];

	open_check(_i | 2, plant_hpa, &o);
	if (!o.skipped) {
		t1_key(&o, t1_first(&o) + 2, key, sizeof(key));
		keyf(words, sizeof(words), "is host address 0x%llx",
		     (unsigned long long)(FORGE_VFIO_PFN_BASE + 2) << o.shift);
		assert_error(&o, "TCE-VFIO-HPA-MISMATCH", key, words);
	}
	close_check(&o);
}
END_TEST

/* a small page of region a lost its pin (refcount back to 1) */
static void plant_unpin_small(struct opened *o)
{
	struct fk_page pg;

	ok(o, fk_get_page(o->res.k, FORGE_VFIO_PFN_BASE + 3, &pg));
	pg.refcount = 1;
	ok(o, fk_set_page(o->res.k, FORGE_VFIO_PFN_BASE + 3, &pg));
}

/* the large folio of region b lost one of its pins */
static void plant_unpin_large(struct opened *o)
{
	ok(o, fk_set_pincount(o->res.k, FORGE_VFIO_B_PFN, FORGE_VFIO_B_PAGES - 1));
}

START_TEST(unpinned)
{
	const struct tce_finding *f;
	struct opened o;
	char key[128];

	open_check(_i | 2, plant_unpin_small, &o);
	if (!o.skipped) {
		keyf(key, sizeof(key), "vfio:region=0x%llx+0x%x:page=0x3",
		     FORGE_VFIO_A_UA, FORGE_VFIO_A_PAGES);
		f = assert_error(&o, "TCE-VFIO-UNPINNED", key, "_refcount 1, below the 1024");
		ck_assert_uint_eq(f->pfn_first, FORGE_VFIO_PFN_BASE + 3);
	}
	close_check(&o);
	open_check(_i | 2, plant_unpin_large, &o);
	if (!o.skipped) {
		keyf(key, sizeof(key), "vfio:region=0x%llx+0x%x:page=0x0",
		     FORGE_VFIO_B_UA, FORGE_VFIO_B_PAGES);
		assert_error(&o, "TCE-VFIO-UNPINNED", key, "pin count 15 is below the 16");
	}
	close_check(&o);
}
END_TEST

/* check --format html's window map asked for before the check */
static void map_on(struct opened *o)
{
	ck_assert_int_eq(tce_analysis_set_window_map(o->a, true), 0);
}

/* The window map's entries in state st, and that every one of them listed one by one
 * maps pfn (TCE_NO_PFN: any) */
static uint64_t map_count(const struct opened *o, enum tce_entry_state st, uint64_t pfn)
{
	uint64_t n = 0, listed = 0;
	size_t i, j;

	for (i = 0; i < tce_window_map_count(o->a); i++) {
		const struct tce_window_map *m = tce_window_map(o->a, i);

		ck_assert_uint_eq(m->size, sizeof(*m));
		n += m->count[st];
		for (j = 0; j < m->nexact; j++) {
			if (m->exact[j].state != st)
				continue;
			listed++;
			if (pfn != TCE_NO_PFN)
				ck_assert_uint_eq(m->exact[j].pfn, pfn);
		}
	}
	/* free, not pinned and finding entries are all listed (fewer than the cap) */
	if (st == TCE_ES_FREE || st == TCE_ES_NOT_PINNED || st == TCE_ES_FINDING)
		ck_assert_uint_eq(listed, n);
	return n;
}

/* The window map: the entries of the page that lost its pin are not pinned, nothing
 * else is; healthy, none is (and the map is asked for before the check only) */
START_TEST(unpinned_map)
{
	struct check_opts co = {
		.scenario = "vfio-tables",
		.fo = { .endian = _i & 1 ? FORGE_BE : FORGE_LE, .radix = true },
		.plant = plant_unpin_small, .setup = map_on,
	};
	struct opened o;

	rules_open(&co, &o);
	if (!o.skipped) {
		ck_assert_uint_gt(tce_window_map_count(o.a), 0);
		ck_assert_uint_gt(map_count(&o, TCE_ES_NOT_PINNED, FORGE_VFIO_PFN_BASE + 3), 0);
		ck_assert_uint_eq(map_count(&o, TCE_ES_FREE, TCE_NO_PFN), 0);
		ck_assert_uint_eq(map_count(&o, TCE_ES_FINDING, TCE_NO_PFN), 0);
		ck_assert_uint_gt(map_count(&o, TCE_ES_HEALTHY, TCE_NO_PFN), 0);
		ck_assert_int_eq(tce_analysis_set_window_map(o.a, false), -TCE_EINVAL);
	}
	rules_close(&o);
	co.plant = NULL;
	rules_open(&co, &o);
	if (!o.skipped) {
		ck_assert_uint_eq(map_count(&o, TCE_ES_NOT_PINNED, TCE_NO_PFN), 0);
		ck_assert_uint_gt(map_count(&o, TCE_ES_HEALTHY, TCE_NO_PFN), 0);
	}
	rules_close(&o);
	/* not asked for: no map */
	co.setup = NULL;
	rules_open(&co, &o);
	if (!o.skipped)
		ck_assert_uint_eq(tce_window_map_count(o.a), 0);
	rules_close(&o);
}
END_TEST

/* a mapping counted that no TCE holds: region a can never be unregistered */
static void plant_mapped_leak(struct opened *o)
{
	ok(o, fk_vfio_mapped_add(o->res.k, fact(o, "vfio.region.a"), 1));
}

/* two TCEs not counted: region b could be released under them */
static void plant_mapped_short(struct opened *o)
{
	ok(o, fk_vfio_mapped_add(o->res.k, fact(o, "vfio.region.b"), -2));
}

START_TEST(mapped)
{
	struct opened o;
	char key[128];

	open_check(_i, plant_mapped_leak, &o);
	if (!o.skipped) {
		keyf(key, sizeof(key), "vfio:region=0x%llx+0x%x", FORGE_VFIO_A_UA,
		     FORGE_VFIO_A_PAGES);
		assert_error(&o, "TCE-VFIO-MAPPED", key, "never be unregistered");
	}
	close_check(&o);
	open_check(_i, plant_mapped_short, &o);
	if (!o.skipped) {
		keyf(key, sizeof(key), "vfio:region=0x%llx+0x%x", FORGE_VFIO_B_UA,
		     FORGE_VFIO_B_PAGES);
		assert_error(&o, "TCE-VFIO-MAPPED", key, "has mapped 15, but 16 TCEs");
	}
	close_check(&o);
}
END_TEST

/* region b made device memory (dev_hpa: memremap'd memory with no struct pages to
 * pin; mm_iommu_newdev()), at the host address its TCEs map, or a page off it; its
 * folio's pins dropped, since device memory holds none */
static void plant_dev_hpa(struct opened *o, uint64_t pfn)
{
	put64(o, fact(o, "vfio.region.b") + off("mm_iommu_table_group_mem_t.dev_hpa"),
	      pfn << o->shift);
	ok(o, fk_set_pincount(o->res.k, FORGE_VFIO_B_PFN, 0));
}

static void plant_dev_hpa_same(struct opened *o)
{
	plant_dev_hpa(o, FORGE_VFIO_B_PFN);
}

static void plant_dev_hpa_off(struct opened *o)
{
	plant_dev_hpa(o, FORGE_VFIO_B_PFN + 1);
}

START_TEST(dev_hpa)
{
	struct opened o;
	char key[128], words[96];

	/* the TCEs map dev_hpa + (ua - region ua), and no pin is asked of device memory */
	open_check(_i | 2, plant_dev_hpa_same, &o);
	if (!o.skipped)
		assert_vfio_healthy(&o, NULL, NULL);
	close_check(&o);
	/* dev_hpa a page further: every TCE of b maps the page before the one it says */
	open_check(_i | 2, plant_dev_hpa_off, &o);
	if (!o.skipped) {
		const struct tce_finding *f;
		bool seen = false;
		size_t i;

		keyf(key, sizeof(key), T1_KEY ":bus=0x%llx",
		     (unsigned long long)(fact(&o, "vfio.t1.b_entry") << o.shift));
		keyf(words, sizeof(words), "is host address 0x%llx by its region's dev_hpa",
		     (unsigned long long)(FORGE_VFIO_B_PFN + 1) << o.shift);
		/* b's TCEs, each a page short of where dev_hpa puts it; nothing else */
		ck_assert_uint_eq(count_of(&o, "TCE-VFIO-HPA-MISMATCH"), FORGE_VFIO_B_PAGES);
		for (i = 0; (f = tce_finding(o.a, i)) != NULL; i++) {
			if (strcmp(f->id, "TCE-VFIO-HPA-MISMATCH")) {
				ck_assert_msg(f->severity <= TCE_SEV_INFO, "also %s [%s]", f->id,
					      f->key);
				continue;
			}
			if (strcmp(f->key, key))
				continue;
			seen = true;
			ck_assert_msg(strstr(f->message, words), "'%s' lacks '%s'", f->message,
				      words);
		}
		ck_assert_msg(seen, "no TCE-VFIO-HPA-MISMATCH [%s]", key);
	}
	close_check(&o);
}
END_TEST

/* ------------------------------------------------------------ undecidable */

/* the iommu_group has no DMA owner: the container, so the mm, is unknown */
static void plant_no_owner(struct opened *o)
{
	uint64_t pe = fact(o, "pe.0"), grp;

	ck_assert_int_eq(forge_get_u64(fk_forge(o->res.k),
				       (pe & ~LINEAR) + off("pnv_ioda_pe.table_group") +
				       off("iommu_table_group.group"), &grp), 0);
	put64(o, grp + off("iommu_group.owner"), 0);
}

START_TEST(owner_unknown)
{
	struct opened o;

	open_check(_i | 2, plant_no_owner, &o);
	if (!o.skipped) {
		ck_assert_uint_eq(tce_finding_count(o.a), 0);
		assert_unknown(&o, "TCE-VFIO-NO-REGION", "no DMA owner");
		assert_unknown(&o, "TCE-VFIO-MAPPED", "no DMA owner");
		assert_unknown(&o, "TCE-VFIO-UNPINNED", "no DMA owner");
		/* every entry has its address: nothing to decide there */
		ck_assert_int_eq(tce_rule_outcome(o.a, rule_of("TCE-VFIO-NO-UA"), NULL),
				 TCE_OUTCOME_PASS);
	}
	close_check(&o);
}
END_TEST

/*
 * KVM maps the DDW for a guest (KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE: the table attached
 * to a LIOBN of a VM whose mm is the process's) and the container cannot be found:
 * the VM's mm stands for it, and every rule decides
 */
static void plant_kvm_attached(struct opened *o)
{
	uint64_t kvm, stt, size = fact(o, "tbl.t1.size");

	plant_no_owner(o);
	kvm = fk_kvm_new(o->res.k, 4242);
	ck_assert_uint_ne(kvm, 0);
	put64(o, kvm + off("kvm.mm"), fact(o, "vfio.mm"));
	stt = fk_kvm_stt_new(o->res.k, kvm, 0x80000001, o->shift, DDW >> o->shift, size);
	ck_assert_uint_ne(stt, 0);
	ck_assert_uint_ne(fk_kvm_stt_attach(o->res.k, stt, fact(o, "tbl.t1")), 0);
	/* and a TCE of t1 off its region's page: found only through the VM's mm */
	plant_hpa(o);
}

START_TEST(kvm_attached)
{
	static const char *const t0_unknown[] = {
		"TCE-VFIO-NO-REGION", "TCE-VFIO-MAPPED", "TCE-VFIO-UNPINNED", NULL,
	};
	struct opened o;
	char key[128];
	unsigned i;

	open_check(_i | 2, plant_kvm_attached, &o);
	/* t0 is attached to no VM: its owner stays unknown, the rules that need its mm
	 * with it; t1's entries are decided through the VM's mm */
	if (!o.skipped) {
		t1_key(&o, t1_first(&o) + 2, key, sizeof(key));
		assert_error(&o, "TCE-VFIO-HPA-MISMATCH", key, "by its region's hpas[]");
		for (i = 0; t0_unknown[i]; i++)
			assert_unknown(&o, t0_unknown[i], "no DMA owner");
	}
	close_check(&o);
}
END_TEST

/* the list of preregistered regions loops: what was read is checked, the rest is
 * unknown */
static void plant_cycle(struct opened *o)
{
	uint64_t ra = fact(o, "vfio.region.a");

	/* region a (the list's last) links back to itself */
	put64(o, ra + off("mm_iommu_table_group_mem_t.next"), ra);
}

START_TEST(prereg_cycle)
{
	struct opened o;

	open_check(_i | 2, plant_cycle, &o);
	if (!o.skipped) {
		ck_assert_uint_eq(tce_finding_count(o.a), 0);
		assert_unknown(&o, "TCE-VFIO-MAPPED", "cycle");
		assert_unknown(&o, "TCE-VFIO-UNPINNED", "cycle");
	}
	close_check(&o);
}
END_TEST

/* ------------------------------------------------------------ VFIO's rules off */

#define OUTSIDE 0xfff00000000ULL      /* no RAM, no section */

/* t1's it_userspace tree points where the dump holds nothing */
static void plant_ua_outside(struct opened *o)
{
	put64(o, fact(o, "tbl.t1") + off("iommu_table.it_userspace"), LINEAR | OUTSIDE);
}

static void disable_vfio(struct opened *o)
{
	unsigned r;

	for (r = 0; r < TCE_RULE_COUNT; r++)
		if (!strncmp(tce_rule(r)->id, "TCE-VFIO-", 9))
			ck_assert_int_eq(tce_analysis_enable(o->a, r, false), 0);
}

START_TEST(vfio_rules_off)
{
	const struct check_opts on = {
		.scenario = "vfio-tables",
		.fo = { .endian = _i & 1 ? FORGE_BE : FORGE_LE, .radix = true },
		.plant = plant_ua_outside,
	};
	struct check_opts off_ = on;
	struct opened o;
	unsigned r;

	/* with the rules: the tree is read, and what it lacks leaves them undecided */
	rules_open(&on, &o);
	if (o.skipped)
		return;
	ck_assert_ptr_nonnull(tce_analysis_model(o.a)->vfio);
	assert_unknown(&o, "TCE-VFIO-NO-UA", "it_userspace");
	rules_close(&o);
	/* without them: no VFIO model is gathered, so nothing of the tree is read; the
	 * rules are not run and every other table rule decides as before */
	off_.setup = disable_vfio;
	rules_open(&off_, &o);
	ck_assert_ptr_null(tce_analysis_model(o.a)->vfio);
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		const char *id = tce_rule(r)->id, *reason = NULL;
		enum tce_outcome out = tce_rule_outcome(o.a, r, &reason);

		if (tce_rule(r)->area != TCE_AREA_TABLES)
			continue;
		if (!strncmp(id, "TCE-VFIO-", 9))
			ck_assert_msg(out == TCE_OUTCOME_NOT_RUN && !reason, "%s: %s", id,
				      tce_outcome_name(out));
		else if (!strncmp(id, "TCE-SEED-", 9))
			ck_assert_int_eq(out, TCE_OUTCOME_NOT_APPLICABLE);
		else
			ck_assert_msg(out == TCE_OUTCOME_PASS, "%s: %s (%s)", id,
				      tce_outcome_name(out), reason ? reason : "");
	}
	ck_assert_uint_eq(tce_finding_count(o.a), 0);
	rules_close(&o);
}
END_TEST

static Suite *rules_vfio_suite(void)
{
	Suite *s = suite_create("rules-vfio");
	TCase *tc = tcase_create("forge");

	tcase_set_timeout(tc, 600);
	/* bit 0: big-endian, bit 1: radix, bit 2: 6.12's structures */
	tcase_add_loop_test(tc, healthy, 0, 8);
	tcase_add_loop_test(tc, no_vfio_tables, 0, 2);
	tcase_add_loop_test(tc, no_ua, 0, 2);
	tcase_add_loop_test(tc, no_region, 0, 2);
	tcase_add_loop_test(tc, hpa_mismatch, 0, 2);
	tcase_add_loop_test(tc, hpa_mismatch, 4, 6);
	tcase_add_loop_test(tc, unpinned, 0, 2);
	tcase_add_loop_test(tc, unpinned, 4, 6);
	tcase_add_loop_test(tc, unpinned_map, 0, 2);
	tcase_add_loop_test(tc, mapped, 0, 2);
	tcase_add_loop_test(tc, dev_hpa, 0, 2);
	tcase_add_loop_test(tc, dev_hpa, 4, 6);
	tcase_add_loop_test(tc, owner_unknown, 0, 2);
	tcase_add_loop_test(tc, prereg_cycle, 0, 2);
	tcase_add_loop_test(tc, kvm_attached, 0, 2);
	tcase_add_loop_test(tc, vfio_rules_off, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(rules_vfio_suite());
}
