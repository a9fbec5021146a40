// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCE tables through the public API on the forge's table scenarios: every valid entry
 * of every powernv hardware table (one, two and three levels) and of every KVM guest
 * view (4K, 64K and 16M IOMMU pages, sparse pages[]) is the one the forge wrote (its
 * record, res->tces), in both byte orders, with member offsets from the DWARF of the
 * forge's vmlinux; without that DWARF, a table is unknown, never guessed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"
#include "util.h"

struct expect {
	const struct forge_scenario_result *res;
	uint64_t table;
	unsigned seen, page_shift;
	bool guest;
};

/* each entry must be in the forge's record, for this table, with this value */
static int check_entry(void *data, const struct tce_table_entry *e)
{
	struct expect *x = data;
	unsigned i;

	for (i = 0; i < x->res->ntces; i++) {
		const struct forge_tce *t = &x->res->tces[i];

		if (t->table != x->table || t->entry != e->index)
			continue;
		ck_assert_uint_eq(e->raw, t->tce);
		ck_assert_uint_eq(e->perm, t->tce & 3);
		ck_assert_uint_eq(e->bus, e->index << x->page_shift);
		ck_assert(e->host == !x->guest);
		if (x->guest)
			ck_assert_uint_eq(e->target, t->target & ~((1ULL << x->page_shift) - 1));
		x->seen++;
		return 0;
	}
	ck_abort_msg("entry 0x%llx of table 0x%llx is not one the forge wrote",
		     (unsigned long long)e->index, (unsigned long long)x->table);
	return 0;
}

static unsigned written(const struct forge_scenario_result *res, uint64_t table)
{
	unsigned i, n = 0;

	for (i = 0; i < res->ntces; i++)
		n += res->tces[i].table == table;
	return n;
}

/* variant: bit 0 big-endian, bit 1 the 6.12 shape with 4K pages and radix (Debian 13's
 * default kernel), else 6.1's with 64K pages */
static void run(const char *scenario, int variant, const char *const *tables,
		enum tce_table_kind kind)
{
	int endian = variant & 1;
	struct fk_opts o = { .endian = endian ? FORGE_BE : FORGE_LE };
	struct forge_scenario_result res;
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	char err[256], path[] = "/tmp/tce-tables-XXXXXX", vml[64], why[128];
	struct tce_dump *d = NULL;
	struct tce_analysis *a;
	int fd = mkstemp(path);
	unsigned i;

	ck_assert_int_ge(fd, 0);
	close(fd);
	if (variant & 2) {
		o.kernel = FK_KERNEL_6_12;
		o.page_shift = 12;
		o.radix = true;
	}
	ck_assert_msg(forge_scenario_write(scenario, &o, path, &res, err, sizeof(err)) == 0,
		      "%s: %s", scenario, err);
	if (!fk_dwarf_available(res.k, why, sizeof(why))) {
		fprintf(stderr, "%s (%s, %s): skipped: %s\n", scenario, endian ? "be" : "le",
			variant & 2 ? "6.12" : "6.1", why);
		unlink(path);
		forge_scenario_release(&res);
		return;
	}
	snprintf(vml, sizeof(vml), "%s.vmlinux", path);
	ck_assert_int_eq(fk_dwarf_write(res.k, vml), 0);
	ck_assert_msg(open_path(path, &d) == 0, "open: %s", tce_errmsg(d));
	a = view_analysis(d);
	to.vmlinux = vml;
	ck_assert_int_eq(tce_analysis_set_types(a, &to), 0);
	for (i = 0; tables[i]; i++) {
		struct tce_table_info ti = TCE_TABLE_INFO_INIT;
		struct tce_table_stats st = TCE_TABLE_STATS_INIT, cs = TCE_TABLE_STATS_INIT;
		char fact[64];
		struct expect x = { .res = &res, .guest = kind == TCE_TABLE_KVM };
		uint64_t want;

		x.table = forge_scenario_fact(&res, tables[i], 0);
		ck_assert_uint_ne(x.table, 0);
		ck_assert_msg(tce_table_at(a, kind, x.table, &ti) == 0, "%s: %s", tables[i],
			      tce_errmsg(d));
		x.page_shift = ti.page_shift;
		snprintf(fact, sizeof(fact), "%s.page_shift", tables[i]);
		ck_assert_uint_eq(ti.page_shift, forge_scenario_fact(&res, fact, 0));
		snprintf(fact, sizeof(fact), "%s.offset", tables[i]);
		ck_assert_uint_eq(ti.offset, forge_scenario_fact(&res, fact, 1));
		snprintf(fact, sizeof(fact), "%s.size", tables[i]);
		ck_assert_uint_eq(ti.entries, forge_scenario_fact(&res, fact, 0));
		if (kind == TCE_TABLE_KVM) {
			snprintf(fact, sizeof(fact), "%s.liobn", tables[i]);
			ck_assert_uint_eq(ti.id, forge_scenario_fact(&res, fact, 0));
		} else {
			snprintf(fact, sizeof(fact), "%s.levels", tables[i]);
			ck_assert_uint_eq(ti.levels, forge_scenario_fact(&res, fact, 0));
		}
		ck_assert_int_eq(tce_table_entries(a, &ti, 0, UINT64_MAX, check_entry, &x, &st),
				 0);
		snprintf(fact, sizeof(fact), "%s.valid", tables[i]);
		want = forge_scenario_fact(&res, fact, UINT64_MAX);
		ck_assert_uint_eq(x.seen, want);
		ck_assert_uint_eq(st.valid, want);
		/* counted only (no fn): the same statistics */
		ck_assert_int_eq(tce_table_entries(a, &ti, 0, UINT64_MAX, NULL, NULL, &cs), 0);
		ck_assert_uint_eq(cs.valid, st.valid);
		ck_assert_uint_eq(cs.unpopulated, st.unpopulated);
		ck_assert_uint_eq(cs.missing, st.missing);
		ck_assert_uint_eq(cs.unknown, st.unknown);
		/* every entry the forge wrote where the dump holds it was found */
		if (!st.unknown)
			ck_assert_uint_eq(x.seen, written(&res, x.table));
	}
	close_dump(d);
	unlink(path);
	unlink(vml);
	forge_scenario_release(&res);
}

START_TEST(powernv_tables)
{
	static const char *const t[] = { "tbl.t0", "tbl.t1", "tbl.t2", NULL };

	run("powernv-tables", _i, t, TCE_TABLE_IOMMU);
}
END_TEST

START_TEST(kvm_guest_views)
{
	static const char *const t[] = { "stt.a4k", "stt.a64k", "stt.b16m", NULL };

	run("kvm-tables", _i, t, TCE_TABLE_KVM);
}
END_TEST

/* without DWARF the table's layout is unknown: one line that names it */
START_TEST(no_types_no_table)
{
	struct fk_opts o = { .endian = FORGE_LE };
	struct forge_scenario_result res;
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	struct tce_table_info ti = TCE_TABLE_INFO_INIT;
	char err[256], path[] = "/tmp/tce-tables-XXXXXX";
	struct tce_dump *d = NULL;
	struct tce_analysis *a;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(forge_scenario_write("powernv-tables", &o, path, &res, err,
					      sizeof(err)), 0);
	ck_assert_int_eq(open_path(path, &d), 0);
	a = view_analysis(d);
	to.debug_dir = "/nonexistent";
	to.debuginfod = false;
	ck_assert_int_eq(tce_analysis_set_types(a, &to), 0);
	ck_assert_int_eq(tce_table_at(a, TCE_TABLE_IOMMU, forge_scenario_fact(&res, "tbl.t0",
									      0), &ti),
			 -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(d), "struct iommu_table.it_size is unknown"), "%s",
		      tce_errmsg(d));
	close_dump(d);
	unlink(path);
	forge_scenario_release(&res);
}
END_TEST

static Suite *tables_suite(void)
{
	Suite *s = suite_create("tables");
	TCase *tc = tcase_create("forge");

	tcase_set_timeout(tc, 300);
	/* 0, 1: 6.1 (LE, BE); 2, 3: 6.12 with 4K pages and radix (LE, BE) */
	tcase_add_loop_test(tc, powernv_tables, 0, 4);
	tcase_add_loop_test(tc, kvm_guest_views, 0, 4);
	tcase_add_test(tc, no_types_no_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(tables_suite());
}
