// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tce_analysis_recheck(): each finding of a check decided again from fresh reads of
 * what it was decided from, as check --samples does on a running kernel.  The forge's
 * table scenarios as forged (kvm-tables: TCE-KVM-HW-MISMATCH and TCE-KVM-NO-MEMSLOT;
 * powernv-tables: TCE-DMA-FREED), in both byte orders, checked once; then a second
 * handle on the same file gives every finding again (no race), and a second file
 * where the memory behind one finding changed gives that one alone not again (a race),
 * while a finding planted only in the second file, on an entry no finding of the first
 * was decided from, is neither read nor raised (not invented).  The fresh analysis runs
 * only the rules that raised findings.  Misuse (first not checked, fresh checked) is
 * -TCE_EINVAL.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules-util.h"

#define DDW (1ULL << 59)
#define A64K_KEY "kvm:pid=1001:liobn=0x80000001"
#define T0_KEY "iommu:phb=0:pe=0x1fd:window=0x0"

/* A fresh analysis on a new handle of path, with o's type sources */
static struct tce_analysis *fresh_on(const struct opened *o, const char *path,
				     struct tce_dump **d)
{
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	struct tce_analysis *a;

	ck_assert_msg(open_path(path, d) == 0, "open %s: %s", path, tce_errmsg(*d));
	ck_assert_int_eq(tce_analysis_new(*d, &a), 0);
	to.debuginfod = false;
	to.debug_dir = "/nonexistent";
	to.vmlinux = o->vml;
	ck_assert_int_eq(tce_analysis_set_types(a, &to), 0);
	return a;
}

/* The index of o's finding with id and key (aborts without it) */
static size_t finding_at(const struct opened *o, const char *id, const char *key)
{
	const struct tce_finding *f;
	size_t i;

	for (i = 0; (f = tce_finding(o->a, i)) != NULL; i++)
		if (!strcmp(f->id, id) && !strcmp(f->key, key))
			return i;
	print_findings(o);
	ck_abort_msg("no %s [%s]", id, key);
	return 0;
}

/* Did analysis a raise a finding keyed key? */
static bool has_key(const struct tce_analysis *a, const char *key)
{
	const struct tce_finding *f;
	size_t i;

	for (i = 0; (f = tce_finding(a, i)) != NULL; i++)
		if (!strcmp(f->key, key))
			return true;
	return false;
}

/* Writes o's forged memory, as it is now, to a file of its own (path: 32 bytes) */
static void write_again(struct opened *o, char *path)
{
	int fd;

	snprintf(path, 32, "/tmp/tce-recheck-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(fk_write_file(o->res.k, path, &o->res.wopts), 0);
}

static void open_raw(const char *scenario, int variant, struct opened *o)
{
	const struct check_opts co = {
		.scenario = scenario,
		.fo = { .endian = variant & 1 ? FORGE_BE : FORGE_LE, .radix = !!(variant & 2) },
	};

	rules_open(&co, o);
}

START_TEST(kvm)
{
	struct opened o;
	struct tce_dump *d;
	struct tce_analysis *b;
	char noslot[128], planted[128], path[32];
	size_t hw, ns, n;
	bool seen[8];
	unsigned r;

	open_raw("kvm-tables", _i, &o);
	if (o.skipped)
		return;
	keyf(noslot, sizeof(noslot), A64K_KEY ":bus=0x%llx",
	     (unsigned long long)(fact(&o, "stt.a64k.noslot_entry") << 16));
	hw = finding_at(&o, "TCE-KVM-HW-MISMATCH", A64K_KEY ":bus=0x800000000000000");
	ns = finding_at(&o, "TCE-KVM-NO-MEMSLOT", noslot);
	n = tce_finding_count(o.a);
	ck_assert_uint_eq(n, 2);

	/* the same memory read again: every finding shows again */
	b = fresh_on(&o, o.path, &d);
	memset(seen, 0, sizeof(seen));
	ck_assert_msg(tce_analysis_recheck(b, o.a, seen) == 0, "%s", tce_errmsg(d));
	ck_assert(seen[hw] && seen[ns]);
	ck_assert_uint_eq(tce_finding_count(b), 2);
	/* only the rules that raised findings ran */
	for (r = 0; r < TCE_RULE_COUNT; r++)
		ck_assert_int_eq(tce_rule_outcome(b, r, NULL),
				 r == TCE_RULE_KVM_HW_MISMATCH || r == TCE_RULE_KVM_NO_MEMSLOT ?
				 TCE_OUTCOME_FAIL : TCE_OUTCOME_NOT_RUN);
	/* once is all: checked now */
	ck_assert_int_eq(tce_analysis_recheck(b, o.a, seen), -TCE_EINVAL);
	tce_analysis_free(b);
	tce_dump_free(d);

	/* the entry in no memslot cleared since, and another one put in none: the first
	 * is a race, the hardware mismatch still there, the new one not read */
	ck_assert_int_eq(fk_kvm_stt_put(o.res.k, fact(&o, "stt.a64k"),
					fact(&o, "stt.a64k.noslot_entry"), 0), 0);
	ck_assert_int_eq(fk_kvm_stt_put(o.res.k, fact(&o, "stt.a64k"), (DDW >> 16) + 0x4002,
					0x140000000ULL | 3), 0);
	keyf(planted, sizeof(planted), A64K_KEY ":bus=0x%llx",
	     (unsigned long long)(((DDW >> 16) + 0x4002) << 16));
	write_again(&o, path);
	b = fresh_on(&o, path, &d);
	memset(seen, 0, sizeof(seen));
	ck_assert_msg(tce_analysis_recheck(b, o.a, seen) == 0, "%s", tce_errmsg(d));
	ck_assert(seen[hw]);
	ck_assert(!seen[ns]);
	ck_assert(!has_key(b, noslot));
	ck_assert(!has_key(b, planted));
	tce_analysis_free(b);
	tce_dump_free(d);
	/* ... which a whole check of that file finds */
	b = fresh_on(&o, path, &d);
	ck_assert_int_eq(tce_analysis_check(b), 0);
	ck_assert(has_key(b, planted));
	ck_assert(!has_key(b, noslot));
	/* a checked analysis is no fresh one */
	ck_assert_int_eq(tce_analysis_recheck(b, o.a, seen), -TCE_EINVAL);
	tce_analysis_free(b);
	tce_dump_free(d);
	unlink(path);
	rules_close(&o);
}
END_TEST

START_TEST(powernv)
{
	struct opened o;
	struct tce_dump *d;
	struct tce_analysis *b;
	char path[32];
	size_t freed;
	bool seen[8];

	open_raw("powernv-tables", _i, &o);
	if (o.skipped)
		return;
	ck_assert_uint_eq(tce_finding_count(o.a), 1);
	freed = finding_at(&o, "TCE-DMA-FREED", T0_KEY ":bus=0x2000");

	b = fresh_on(&o, o.path, &d);
	seen[freed] = false;
	ck_assert_msg(tce_analysis_recheck(b, o.a, seen) == 0, "%s", tce_errmsg(d));
	ck_assert(seen[freed]);
	tce_analysis_free(b);
	tce_dump_free(d);

	/* the entry now maps a page in use: the free page was a race */
	hw_put(&o, "tbl.t0", 2, pfn_tce(&o, FORGE_ZOO_REFCOUNT1));
	write_again(&o, path);
	b = fresh_on(&o, path, &d);
	seen[freed] = true;
	ck_assert_msg(tce_analysis_recheck(b, o.a, seen) == 0, "%s", tce_errmsg(d));
	ck_assert(!seen[freed]);
	ck_assert_uint_eq(tce_finding_count(b), 0);
	ck_assert_int_eq(tce_rule_outcome(b, TCE_RULE_DMA_FREED, NULL), TCE_OUTCOME_PASS);
	tce_analysis_free(b);
	tce_dump_free(d);
	unlink(path);
	rules_close(&o);
}
END_TEST

START_TEST(misuse)
{
	struct opened o;
	struct tce_analysis *b, *c;
	struct tce_dump *d, *d2;
	bool seen[8];

	open_raw("powernv-tables", 0, &o);
	if (o.skipped)
		return;
	/* no second analysis on the first one's handle, whose reads would serve it */
	ck_assert_int_eq(tce_analysis_new(o.d, &b), -TCE_EINVAL);
	/* the first one not checked */
	b = fresh_on(&o, o.path, &d);
	c = fresh_on(&o, o.path, &d2);
	ck_assert_int_eq(tce_analysis_recheck(c, b, seen), -TCE_EINVAL);
	ck_assert(strstr(tce_errmsg(d2), "not checked"));
	tce_analysis_free(c);
	tce_analysis_free(b);
	tce_dump_free(d2);
	tce_dump_free(d);
	rules_close(&o);
}
END_TEST

static Suite *recheck_suite(void)
{
	Suite *s = suite_create("recheck");
	TCase *tc = tcase_create("recheck");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, kvm, 0, 2);
	tcase_add_loop_test(tc, powernv, 0, 2);
	tcase_add_test(tc, misuse);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(recheck_suite());
}
