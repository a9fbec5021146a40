// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rules about VFIO's SPAPR TCE v2 state (TCE-VFIO-*) on the forge's vfio-tables
 * scenario, in both byte orders and both kernel shapes: the healthy machine passes
 * every table rule; one fault planted in the forged memory for each rule (an
 * it_userspace address cleared, moved out of every region, a TCE moved off its
 * region's page, a pin dropped from a small page and from a large folio, a region's
 * mapped count off by one) gives exactly that rule's finding with its semantic key;
 * what the dump cannot decide (hpas[] in vmalloc on the forge's hash machine, whose
 * kernel page tables it does not model; a table whose owner is unknown) is "unknown"
 * with a reason, never "pass"; a machine without VFIO tables makes them not
 * applicable.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"
#include "util.h"

#define LINEAR 0xc000000000000000ULL
#define DDW (1ULL << 59)
#define T0_KEY "iommu:phb=0:pe=0x3:window=0x0"
#define T1_KEY "iommu:phb=0:pe=0x3:window=0x800000000000000"

struct opened;
typedef void plant_fn(struct opened *o);

struct opened {
	struct forge_scenario_result res;
	struct tce_dump *d;
	struct tce_analysis *a;
	char path[32], vml[48];
	bool skipped;
	unsigned shift;
};

static uint64_t fact(const struct opened *o, const char *name)
{
	uint64_t v = forge_scenario_fact(&o->res, name, UINT64_MAX);

	ck_assert_msg(v != UINT64_MAX, "no fact %s", name);
	return v;
}

static uint64_t off(const char *what)
{
	long v = fk_types_offsetof(what);

	ck_assert_msg(v >= 0, "no offset of %s", what);
	return (uint64_t)v;
}

static void put64(struct opened *o, uint64_t kva, uint64_t v)
{
	ck_assert_int_eq(forge_put_u64(fk_forge(o->res.k), kva & ~LINEAR, v), 0);
}

static void ok(struct opened *o, int ret)
{
	ck_assert_msg(ret == 0, "%s", forge_errmsg(fk_forge(o->res.k)));
}

/*
 * Builds vfio-tables (variant bit 0: big-endian, bit 1: radix, bit 2: 6.12's
 * structures), plants the fault, writes the dump and its vmlinux, runs every rule.
 */
static void open_check(int variant, plant_fn *plant, struct opened *o)
{
	struct fk_opts fo = { .endian = variant & 1 ? FORGE_BE : FORGE_LE,
			      .radix = !!(variant & 2),
			      .kernel = variant & 4 ? FK_KERNEL_6_12 : FK_KERNEL_6_1 };
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	char err[256], why[128];
	int fd;

	memset(o, 0, sizeof(*o));
	ck_assert_msg(forge_scenario_build("vfio-tables", &fo, &o->res, err, sizeof(err)) == 0,
		      "vfio-tables: %s", err);
	if (!fk_dwarf_available(o->res.k, why, sizeof(why))) {
		fprintf(stderr, "vfio-tables (%d): skipped: %s\n", variant, why);
		forge_scenario_release(&o->res);
		o->skipped = true;
		return;
	}
	o->shift = (unsigned)__builtin_ctzll(fact(o, "page_size"));
	if (plant)
		plant(o);
	snprintf(o->path, sizeof(o->path), "/tmp/tce-vfio-XXXXXX");
	fd = mkstemp(o->path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(fk_write_file(o->res.k, o->path, &o->res.wopts), 0);
	ck_assert_msg(open_path(o->path, &o->d) == 0, "open: %s", tce_errmsg(o->d));
	ck_assert_int_eq(tce_analysis_new(o->d, &o->a), 0);
	to.debuginfod = false;
	to.debug_dir = "/nonexistent";
	snprintf(o->vml, sizeof(o->vml), "%s.vmlinux", o->path);
	ck_assert_int_eq(fk_dwarf_write(o->res.k, o->vml), 0);
	to.vmlinux = o->vml;
	ck_assert_int_eq(tce_analysis_set_types(o->a, &to), 0);
	ck_assert_msg(tce_analysis_check(o->a) == 0, "check: %s", tce_errmsg(o->d));
}

static void close_check(struct opened *o)
{
	if (o->skipped)
		return;
	tce_analysis_free(o->a);
	tce_dump_free(o->d);
	unlink(o->path);
	unlink(o->vml);
	forge_scenario_release(&o->res);
}

static void print_findings(const struct opened *o)
{
	const struct tce_finding *f;
	size_t i;

	for (i = 0; (f = tce_finding(o->a, i)) != NULL; i++)
		fprintf(stderr, "  %s %s [%s]: %s\n", tce_severity_name(f->severity), f->id,
			f->key, f->message);
}

static enum tce_rule_id rule_of(const char *id)
{
	enum tce_rule_id r;

	ck_assert_msg(tce_rule_lookup(id, &r) == 0, "no rule %s", id);
	return r;
}

static size_t count_of(const struct opened *o, const char *id)
{
	const struct tce_finding *f;
	size_t i, n = 0;

	for (i = 0; (f = tce_finding(o->a, i)) != NULL; i++)
		n += !strcmp(f->id, id);
	return n;
}

/* No finding above info; every table rule passes but those named unknown (a
 * NULL-terminated list), which must be unknown with a reason containing words */
static void assert_healthy(const struct opened *o, const char *const *unknown,
			   const char *words)
{
	const struct tce_finding *f;
	const char *reason;
	unsigned r, i;

	for (i = 0; (f = tce_finding(o->a, i)) != NULL; i++)
		if (f->severity > TCE_SEV_INFO) {
			print_findings(o);
			ck_abort_msg("healthy: %s [%s]", f->id, f->key);
		}
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		enum tce_outcome out = tce_rule_outcome(o->a, r, &reason);
		bool want_unknown = false;

		if (tce_rule(r)->area != TCE_AREA_TABLES)
			continue;
		for (i = 0; unknown && unknown[i]; i++)
			want_unknown |= !strcmp(unknown[i], tce_rule(r)->id);
		if (want_unknown)
			ck_assert_msg(out == TCE_OUTCOME_UNKNOWN && reason && strstr(reason, words),
				      "%s: %s (%s), want unknown with '%s'", tce_rule(r)->id,
				      tce_outcome_name(out), reason ? reason : "", words);
		else
			ck_assert_msg(out == TCE_OUTCOME_PASS, "%s: %s (%s)", tce_rule(r)->id,
				      tce_outcome_name(out), reason ? reason : "");
	}
}

/* Exactly one finding of id, with key; the rule failed; nothing else above info */
static const struct tce_finding *assert_only(const struct opened *o, const char *id,
					     const char *key, const char *words)
{
	const struct tce_finding *f, *hit = NULL;
	size_t i;

	for (i = 0; (f = tce_finding(o->a, i)) != NULL; i++) {
		if (!strcmp(f->id, id)) {
			if (hit)
				print_findings(o);
			ck_assert_msg(!hit, "%s: more than one finding", id);
			hit = f;
		} else if (f->severity > TCE_SEV_INFO) {
			print_findings(o);
			ck_abort_msg("want only %s, also %s [%s]", id, f->id, f->key);
		}
	}
	if (!hit)
		print_findings(o);
	ck_assert_msg(hit, "no %s finding", id);
	ck_assert_str_eq(hit->key, key);
	ck_assert_int_eq(hit->severity, TCE_SEV_ERROR);
	ck_assert_int_eq(tce_rule_outcome(o->a, rule_of(id), NULL), TCE_OUTCOME_FAIL);
	if (words)
		ck_assert_msg(strstr(hit->message, words), "%s: '%s' lacks '%s'", id,
			      hit->message, words);
	return hit;
}

static void assert_unknown(const struct opened *o, const char *id, const char *words)
{
	const char *reason = NULL;
	enum tce_outcome out = tce_rule_outcome(o->a, rule_of(id), &reason);

	ck_assert_msg(out == TCE_OUTCOME_UNKNOWN, "%s: %s, want unknown", id,
		      tce_outcome_name(out));
	ck_assert_uint_eq(count_of(o, id), 0);
	ck_assert_ptr_nonnull(reason);
	ck_assert_msg(strstr(reason, words), "%s: reason '%s' lacks '%s'", id, reason, words);
}

static void keyf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void keyf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
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
		assert_healthy(&o, _i & 2 ? NULL : vmalloc_unknown, "hpas[]");
	close_check(&o);
}
END_TEST

/* powernv-tables has tables, none of them VFIO's: the VFIO rules do not apply */
START_TEST(no_vfio_tables)
{
	struct fk_opts fo = { .endian = _i & 1 ? FORGE_BE : FORGE_LE, .radix = true };
	struct forge_scenario_result res;
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	struct tce_dump *d;
	struct tce_analysis *a;
	char err[256], why[128], path[] = "/tmp/tce-vfio-XXXXXX", vml[48];
	const char *const ids[] = { "TCE-VFIO-NO-UA", "TCE-VFIO-NO-REGION",
				    "TCE-VFIO-HPA-MISMATCH", "TCE-VFIO-UNPINNED",
				    "TCE-VFIO-MAPPED" };
	unsigned i;
	int fd;

	ck_assert_int_eq(forge_scenario_build("powernv-tables", &fo, &res, err, sizeof(err)),
			 0);
	if (!fk_dwarf_available(res.k, why, sizeof(why))) {
		forge_scenario_release(&res);
		return;
	}
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(vml, sizeof(vml), "%s.vmlinux", path);
	ck_assert_int_eq(fk_write_file(res.k, path, &res.wopts), 0);
	ck_assert_int_eq(fk_dwarf_write(res.k, vml), 0);
	ck_assert_int_eq(open_path(path, &d), 0);
	ck_assert_int_eq(tce_analysis_new(d, &a), 0);
	to.debuginfod = false;
	to.debug_dir = "/nonexistent";
	to.vmlinux = vml;
	ck_assert_int_eq(tce_analysis_set_types(a, &to), 0);
	ck_assert_int_eq(tce_analysis_check(a), 0);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const char *reason = NULL;

		ck_assert_int_eq(tce_rule_outcome(a, rule_of(ids[i]), &reason),
				 TCE_OUTCOME_NOT_APPLICABLE);
		ck_assert_ptr_nonnull(strstr(reason, "VFIO"));
	}
	tce_analysis_free(a);
	tce_dump_free(d);
	unlink(path);
	unlink(vml);
	forge_scenario_release(&res);
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
		assert_only(&o, "TCE-VFIO-NO-UA", key, "no userspace address");
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
		assert_only(&o, "TCE-VFIO-NO-REGION", key, "0x10000000 lies in no");
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
		assert_only(&o, "TCE-VFIO-HPA-MISMATCH", key, words);
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
		f = assert_only(&o, "TCE-VFIO-UNPINNED", key, "_refcount 1, below the 1024");
		ck_assert_uint_eq(f->pfn_first, FORGE_VFIO_PFN_BASE + 3);
	}
	close_check(&o);
	open_check(_i | 2, plant_unpin_large, &o);
	if (!o.skipped) {
		keyf(key, sizeof(key), "vfio:region=0x%llx+0x%x:page=0x0",
		     FORGE_VFIO_B_UA, FORGE_VFIO_B_PAGES);
		assert_only(&o, "TCE-VFIO-UNPINNED", key, "pin count 15 is below the 16");
	}
	close_check(&o);
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
		assert_only(&o, "TCE-VFIO-MAPPED", key, "never be unregistered");
	}
	close_check(&o);
	open_check(_i, plant_mapped_short, &o);
	if (!o.skipped) {
		keyf(key, sizeof(key), "vfio:region=0x%llx+0x%x", FORGE_VFIO_B_UA,
		     FORGE_VFIO_B_PAGES);
		assert_only(&o, "TCE-VFIO-MAPPED", key, "has mapped 15, but 16 TCEs");
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
		assert_only(&o, "TCE-VFIO-HPA-MISMATCH", key, "by its region's hpas[]");
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
	tcase_add_loop_test(tc, mapped, 0, 2);
	tcase_add_loop_test(tc, owner_unknown, 0, 2);
	tcase_add_loop_test(tc, prereg_cycle, 0, 2);
	tcase_add_loop_test(tc, kvm_attached, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(rules_vfio_suite());
}
