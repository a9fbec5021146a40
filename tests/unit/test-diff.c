// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tce_table_diff() and tce_table_key() through the public API on the forge's KVM host:
 * pairs of its guest-view tables (4K, 64K and 16M IOMMU pages; a64k and b16m share their
 * window's first bus address with other page sizes, so slices hold whole pages of both)
 * compared by bus address against what the forge wrote (res->tces): every difference
 * handed over once, in bus address order, classed as the record says; a table against
 * itself gives none; against NULL every entry is mapped or unmapped.  Both byte orders.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"
#include "util.h"

#define MAXCH 256

struct change {
	enum tce_entry_change c;
	uint64_t bus, old_raw, new_raw;
};

struct got {
	struct change ch[MAXCH];
	unsigned n;
	uint64_t last_bus;
};

static int collect(void *data, enum tce_entry_change c, const struct tce_table_entry *o,
		   const struct tce_table_entry *n)
{
	struct got *g = data;
	const struct tce_table_entry *e = n ? n : o;

	ck_assert_uint_lt(g->n, MAXCH);
	ck_assert(o || n);
	/* in bus address order, each once */
	if (g->n)
		ck_assert_uint_gt(e->bus, g->last_bus);
	if (o && n)
		ck_assert_uint_eq(o->bus, n->bus);
	g->last_bus = e->bus;
	g->ch[g->n++] = (struct change){ c, e->bus, o ? o->raw : 0, n ? n->raw : 0 };
	return 0;
}

/* table t's entries as the forge wrote them: bus -> raw, in bus order */
struct rec {
	uint64_t bus, raw, target;
};

static unsigned record(const struct forge_scenario_result *res, uint64_t table,
		       unsigned shift, struct rec *out)
{
	unsigned i, j, n = 0;

	for (i = 0; i < res->ntces; i++) {
		const struct forge_tce *t = &res->tces[i];
		struct rec r;

		if (t->table != table)
			continue;
		r = (struct rec){ t->entry << shift, t->tce,
				  t->target & ~((1ULL << shift) - 1) };
		for (j = n; j > 0 && out[j - 1].bus > r.bus; j--)
			out[j] = out[j - 1];
		out[j] = r;
		n++;
	}
	return n;
}

/* What the record says the diff of tables a (old) and b (new) is */
static unsigned expect(const struct rec *a, unsigned na, const struct rec *b, unsigned nb,
		       struct change *out)
{
	unsigned i = 0, j = 0, n = 0;

	while (i < na || j < nb) {
		if (i < na && j < nb && a[i].bus == b[j].bus) {
			if (a[i].raw != b[j].raw)
				out[n++] = (struct change){ a[i].target != b[j].target ?
							    TCE_CHANGE_REMAPPED :
							    TCE_CHANGE_CHANGED, a[i].bus,
							    a[i].raw, b[j].raw };
			i++;
			j++;
		} else if (i < na && (j >= nb || a[i].bus < b[j].bus)) {
			out[n++] = (struct change){ TCE_CHANGE_UNMAPPED, a[i].bus, a[i].raw, 0 };
			i++;
		} else {
			out[n++] = (struct change){ TCE_CHANGE_MAPPED, b[j].bus, 0, b[j].raw };
			j++;
		}
	}
	return n;
}

START_TEST(kvm_pairs)
{
	static const char *const names[] = { "stt.a4k", "stt.a64k", "stt.b16m" };
	static const int pairs[][2] = { { 1, 2 }, { 2, 1 }, { 0, 1 }, { 0, 0 }, { -1, 0 },
					{ 2, -1 } };
	struct fk_opts o = { .endian = _i ? FORGE_BE : FORGE_LE };
	struct forge_scenario_result res;
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	struct tce_table_info ti[3];
	char err[256], path[] = "/tmp/tce-diff-XXXXXX", vml[64], why[128];
	struct rec *rec[3];
	unsigned nrec[3], p, k;
	struct tce_dump *d = NULL;
	struct tce_analysis *a;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_msg(forge_scenario_write("kvm-tables", &o, path, &res, err, sizeof(err)) == 0,
		      "%s", err);
	if (!fk_dwarf_available(res.k, why, sizeof(why))) {
		fprintf(stderr, "kvm-tables: skipped: %s\n", why);
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
	for (k = 0; k < 3; k++) {
		char key[TCE_TABLE_KEY_MAX], want[64], fact[64];

		ti[k] = (struct tce_table_info)TCE_TABLE_INFO_INIT;
		ck_assert_int_eq(tce_table_at(a, TCE_TABLE_KVM, forge_scenario_fact(&res, names[k],
										    0), &ti[k]), 0);
		rec[k] = calloc(res.ntces + 1, sizeof(*rec[k]));
		ck_assert_ptr_nonnull(rec[k]);
		nrec[k] = record(&res, ti[k].addr, ti[k].page_shift, rec[k]);
		ck_assert_uint_gt(nrec[k], 0);
		/* the key: kind, the VM (its pid: the forge's VMM has no -name) and LIOBN */
		snprintf(fact, sizeof(fact), "%s.liobn", names[k]);
		snprintf(want, sizeof(want), ":liobn=0x%llx",
			 (unsigned long long)forge_scenario_fact(&res, fact, 0));
		ck_assert_int_eq(tce_table_key(a, &ti[k], key, sizeof(key)), 0);
		ck_assert_msg(!strncmp(key, "kvm:pid=", 8) &&
			      !strcmp(key + strlen(key) - strlen(want), want), "%s", key);
	}
	/* a64k and b16m: one window start, 64K and 16M pages */
	ck_assert_uint_eq(ti[1].offset << ti[1].page_shift, ti[2].offset << ti[2].page_shift);
	for (p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
		int io = pairs[p][0], in = pairs[p][1];
		struct tce_table_diff_stats st = TCE_TABLE_DIFF_STATS_INIT;
		struct change *want = calloc(2 * res.ntces + 1, sizeof(*want));
		struct got *g = calloc(1, sizeof(*g));
		unsigned nw, i, c[TCE_CHANGE_UNKNOWN + 1] = { 0 };

		ck_assert_ptr_nonnull(want);
		ck_assert_ptr_nonnull(g);
		nw = expect(io >= 0 ? rec[io] : NULL, io >= 0 ? nrec[io] : 0,
			    in >= 0 ? rec[in] : NULL, in >= 0 ? nrec[in] : 0, want);
		ck_assert_msg(tce_table_diff(a, io >= 0 ? &ti[io] : NULL, a,
					     in >= 0 ? &ti[in] : NULL, collect, g, &st) == 0,
			      "%s", tce_errmsg(d));
		ck_assert_uint_eq(g->n, nw);
		for (i = 0; i < nw; i++) {
			ck_assert_msg(g->ch[i].c == want[i].c && g->ch[i].bus == want[i].bus &&
				      g->ch[i].old_raw == want[i].old_raw &&
				      g->ch[i].new_raw == want[i].new_raw,
				      "pair %u, change %u: %s at 0x%llx, want %s at 0x%llx", p, i,
				      tce_entry_change_name(g->ch[i].c),
				      (unsigned long long)g->ch[i].bus,
				      tce_entry_change_name(want[i].c),
				      (unsigned long long)want[i].bus);
			c[want[i].c]++;
		}
		ck_assert_uint_eq(st.mapped, c[TCE_CHANGE_MAPPED]);
		ck_assert_uint_eq(st.unmapped, c[TCE_CHANGE_UNMAPPED]);
		ck_assert_uint_eq(st.remapped, c[TCE_CHANGE_REMAPPED]);
		ck_assert_uint_eq(st.changed, c[TCE_CHANGE_CHANGED]);
		ck_assert_uint_eq(st.unknown, 0);
		ck_assert_uint_eq(st.failed, 0);
		ck_assert_uint_eq(st.old.valid, io >= 0 ? nrec[io] : 0);
		ck_assert_uint_eq(st.new_.valid, in >= 0 ? nrec[in] : 0);
		/* a table against itself: every entry the same, nothing handed over */
		if (io == in)
			ck_assert(nw == 0 && st.same == nrec[io]);
		free(want);
		free(g);
	}
	/* a caller's struct of an older size has no room for the key's fields */
	{
		struct tce_table_info small = ti[0];
		char key[TCE_TABLE_KEY_MAX];

		small.size = offsetof(struct tce_table_info, phb);
		ck_assert_int_eq(tce_table_key(a, &small, key, sizeof(key)), -TCE_EINVAL);
	}
	for (k = 0; k < 3; k++)
		free(rec[k]);
	close_dump(d);
	unlink(path);
	unlink(vml);
	forge_scenario_release(&res);
}
END_TEST

START_TEST(change_names)
{
	ck_assert_str_eq(tce_entry_change_name(TCE_CHANGE_MAPPED), "mapped");
	ck_assert_str_eq(tce_entry_change_name(TCE_CHANGE_UNMAPPED), "unmapped");
	ck_assert_str_eq(tce_entry_change_name(TCE_CHANGE_REMAPPED), "remapped");
	ck_assert_str_eq(tce_entry_change_name(TCE_CHANGE_CHANGED), "changed");
	ck_assert_str_eq(tce_entry_change_name(TCE_CHANGE_UNKNOWN), "unknown");
	ck_assert_ptr_null(tce_entry_change_name(TCE_CHANGE_UNKNOWN + 1));
	ck_assert_ptr_null(tce_entry_change_name(0));
}
END_TEST

static Suite *diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("forge");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, kvm_pairs, 0, 2);
	tcase_add_test(tc, change_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(diff_suite());
}
