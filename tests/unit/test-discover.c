// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The search for TCE tables and the join of guest-view entries with host pages,
 * through the public API on the forge's table scenarios (both byte orders): every
 * table the forge laid out is found once, with the path that leads to it, its PHB, PE,
 * VM and VMM pid; every guest-view entry maps to the host pfn the forge put behind it,
 * or says no-memslot / not-present; and damage (a vm_list cycle, a cut hose_list,
 * a looping memslot tree, no type information) gives partial or unknown answers with
 * the reason, never a wrong one.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel-6.1-types.h"
#include "scenario.h"
#include "util.h"
#include "walk/walk.h"

#define LINEAR 0xc000000000000000ULL

/* A damage done to the forged memory before the dump is written. */
typedef void damage_fn(struct forge_scenario_result *res);

struct opened {
	struct forge_scenario_result res;
	struct tce_dump *d;
	struct tce_analysis *a;
	char path[32], vml[48];
	bool skipped;
};

static void put64(struct forge_scenario_result *res, uint64_t kva, uint64_t v)
{
	ck_assert_int_eq(forge_put_u64(fk_forge(res->k), kva & ~LINEAR, v), 0);
}

/*
 * variant: bit 0 the byte order (big-endian), bit 1 the kernel shape: 6.12's structures
 * (kernel-6.12-types.h) with 4K pages and radix, as Debian 13's default kernel, else
 * 6.1's with 64K pages.
 */
static void open_scenario(const char *name, int variant, damage_fn *damage, bool dwarf,
			  struct opened *o)
{
	int endian = variant & 1;
	struct fk_opts fo = { .endian = endian ? FORGE_BE : FORGE_LE };
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	char err[256], why[128];
	int fd;

	memset(o, 0, sizeof(*o));
	if (variant & 2) {
		fo.kernel = FK_KERNEL_6_12;
		fo.page_shift = 12;
		fo.radix = true;
	}
	ck_assert_msg(forge_scenario_build(name, &fo, &o->res, err, sizeof(err)) == 0, "%s: %s",
		      name, err);
	if (dwarf && !fk_dwarf_available(o->res.k, why, sizeof(why))) {
		fprintf(stderr, "%s (%s, %s): skipped: %s\n", name, endian ? "be" : "le",
			variant & 2 ? "6.12" : "6.1", why);
		forge_scenario_release(&o->res);
		o->skipped = true;
		return;
	}
	if (damage)
		damage(&o->res);
	snprintf(o->path, sizeof(o->path), "/tmp/tce-disc-XXXXXX");
	fd = mkstemp(o->path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(fk_write_file(o->res.k, o->path, &o->res.wopts), 0);
	ck_assert_msg(open_path(o->path, &o->d) == 0, "open: %s", tce_errmsg(o->d));
	o->a = view_analysis(o->d);
	to.debuginfod = false;
	to.debug_dir = "/nonexistent";
	if (dwarf) {
		snprintf(o->vml, sizeof(o->vml), "%s.vmlinux", o->path);
		ck_assert_int_eq(fk_dwarf_write(o->res.k, o->vml), 0);
		to.vmlinux = o->vml;
	}
	ck_assert_int_eq(tce_analysis_set_types(o->a, &to), 0);
}

static void close_scenario(struct opened *o)
{
	if (o->skipped)
		return;
	close_dump(o->d);
	unlink(o->path);
	if (o->vml[0])
		unlink(o->vml);
	forge_scenario_release(&o->res);
}

static uint64_t fact(const struct opened *o, const char *name)
{
	uint64_t v = forge_scenario_fact(&o->res, name, UINT64_MAX);

	ck_assert_msg(v != UINT64_MAX, "no fact %s", name);
	return v;
}

/* The table at addr among those found; asserts it is there exactly once. */
static void find_table(struct opened *o, uint64_t addr, struct tce_table_info *out)
{
	struct tce_tables_info ti = TCE_TABLES_INFO_INIT;
	unsigned found = 0;
	size_t i;

	ck_assert_int_eq(tce_analysis_tables(o->a, &ti), 0);
	for (i = 0; i < ti.count; i++) {
		struct tce_table_info t = TCE_TABLE_INFO_INIT;

		ck_assert_int_eq(tce_analysis_table(o->a, i, &t), 0);
		if (t.addr == addr) {
			*out = t;
			found++;
		}
	}
	ck_assert_msg(found == 1, "table 0x%llx found %u times", (unsigned long long)addr,
		      found);
}

/* ------------------------------------------------------------ finding them */

START_TEST(kvm_found)
{
	static const char *const stts[] = { "stt.a4k", "stt.a64k", "stt.b16m" };
	struct tce_tables_info ti = TCE_TABLES_INFO_INIT;
	struct tce_table_info t = TCE_TABLE_INFO_INIT;
	struct opened o;
	char n[48];
	unsigned i;

	open_scenario("kvm-tables", _i, NULL, true, &o);
	if (o.skipped)
		return;
	ck_assert_int_eq(tce_analysis_tables(o.a, &ti), 0);
	ck_assert_int_eq(ti.source[TCE_SOURCE_KVM].status, TCE_SEARCH_FOUND);
	ck_assert_uint_eq(ti.source[TCE_SOURCE_KVM].count, fact(&o, "kvm.count"));
	ck_assert_int_eq(ti.source[TCE_SOURCE_POWERNV].status, TCE_SEARCH_FOUND);
	ck_assert_int_eq(ti.source[TCE_SOURCE_PSERIES].status, TCE_SEARCH_ABSENT);
	/* three guest views and the hardware table attached to one of them */
	ck_assert_uint_eq(ti.count, fact(&o, "stt.count") + 1);
	for (i = 0; i < 3; i++) {
		uint64_t vm = fact(&o, i < 2 ? "kvm.a" : "kvm.b");

		find_table(&o, fact(&o, stts[i]), &t);
		ck_assert_int_eq(t.kind, TCE_TABLE_KVM);
		ck_assert_int_eq(t.err, 0);
		ck_assert_int_eq(t.source, TCE_SOURCE_KVM);
		snprintf(n, sizeof(n), "%s.liobn", stts[i]);
		ck_assert_uint_eq(t.id, fact(&o, n));
		ck_assert_uint_eq(t.vm, vm);
		ck_assert_int_eq(t.pid, i < 2 ? 1001 : 1002);
		ck_assert_int_eq(t.phb, -1);
		ck_assert_ptr_nonnull(strstr(t.found, "vm_list -> kvm"));
		ck_assert_ptr_nonnull(strstr(t.found, "spapr_tce_tables"));
	}
	/* found under its PE first; the LIOBN it is attached to is added */
	find_table(&o, fact(&o, "attach.tbl"), &t);
	ck_assert_int_eq(t.kind, TCE_TABLE_IOMMU);
	ck_assert_int_eq(t.source, TCE_SOURCE_POWERNV);
	ck_assert_int_eq(t.pe, 2);
	ck_assert_int_eq(t.phb, 0);
	ck_assert_uint_eq(t.attached_vm, fact(&o, "kvm.a"));
	ck_assert_uint_eq(t.attached_liobn, fact(&o, "stt.a64k.liobn"));
	ck_assert_str_eq(t.found, "hose_list -> PHB 0 -> PE 0x2 -> tables[1]");
	close_scenario(&o);
}
END_TEST

START_TEST(powernv_found)
{
	struct tce_tables_info ti = TCE_TABLES_INFO_INIT;
	struct tce_table_info t = TCE_TABLE_INFO_INIT;
	struct opened o;

	open_scenario("powernv-tables", _i, NULL, true, &o);
	if (o.skipped)
		return;
	ck_assert_int_eq(tce_analysis_tables(o.a, &ti), 0);
	ck_assert_int_eq(ti.source[TCE_SOURCE_POWERNV].status, TCE_SEARCH_FOUND);
	ck_assert_uint_eq(ti.source[TCE_SOURCE_POWERNV].count, fact(&o, "phb.count"));
	ck_assert_uint_eq(ti.count, 3);
	find_table(&o, fact(&o, "tbl.t0"), &t);
	ck_assert_str_eq(t.found, "hose_list -> PHB 0 -> PE 0x1fd -> tables[0]");
	ck_assert_int_eq(t.pe, 0x1fd);
	ck_assert_uint_eq(t.levels, 1);
	ck_assert(!t.hv_entries);
	find_table(&o, fact(&o, "tbl.t1"), &t);
	ck_assert_str_eq(t.found, "hose_list -> PHB 0 -> PE 0x1fd -> tables[1]");
	ck_assert_uint_eq(t.levels, 2);
	find_table(&o, fact(&o, "tbl.t2"), &t);
	ck_assert_str_eq(t.found, "hose_list -> PHB 1 -> PE 0x0 -> tables[0]");
	ck_assert_int_eq(t.phb, 1);
	ck_assert_uint_eq(t.levels, 3);
	ck_assert_uint_eq(t.attached_vm, 0);
	close_scenario(&o);
}
END_TEST

/* ------------------------------------------------------------ the host behind */

struct join {
	struct opened *o;
	uint64_t table;
	unsigned page_shift, host_shift;
	unsigned seen, present, not_present, no_slot;
};

static int check_join(void *data, const struct tce_table_entry *e)
{
	struct join *j = data;
	unsigned i;

	for (i = 0; i < j->o->res.ntces; i++) {
		const struct forge_tce *t = &j->o->res.tces[i];

		if (t->table != j->table || t->entry != e->index)
			continue;
		j->seen++;
		if (t->host_pfn != FORGE_NO_PFN) {
			ck_assert_msg(e->host_state == TCE_HOST_PRESENT, "entry 0x%llx: %s (%s)",
				      (unsigned long long)e->index,
				      tce_host_state_name(e->host_state),
				      e->host_why ? e->host_why : "");
			ck_assert_uint_eq(e->host_phys >> j->host_shift, t->host_pfn);
			ck_assert_int_ge(e->memslot, 0);
			j->present++;
		} else if (e->host_state == TCE_HOST_NO_MEMSLOT) {
			ck_assert_int_eq(e->memslot, -1);
			ck_assert_ptr_nonnull(e->host_why);
			j->no_slot++;
		} else {
			ck_assert_msg(e->host_state == TCE_HOST_NOT_PRESENT, "entry 0x%llx: %s",
				      (unsigned long long)e->index,
				      tce_host_state_name(e->host_state));
			ck_assert_uint_ne(e->hva, 0);
			j->not_present++;
		}
		return 0;
	}
	ck_abort_msg("entry 0x%llx is not one the forge wrote", (unsigned long long)e->index);
	return 0;
}

START_TEST(kvm_host_join)
{
	static const char *const stts[] = { "stt.a4k", "stt.a64k", "stt.b16m" };
	struct opened o;
	unsigned i, present = 0, not_present = 0, no_slot = 0;

	open_scenario("kvm-tables", _i, NULL, true, &o);
	if (o.skipped)
		return;
	for (i = 0; i < 3; i++) {
		struct tce_table_info t = TCE_TABLE_INFO_INIT;
		struct tce_table_stats st = TCE_TABLE_STATS_INIT;
		struct join j = { .o = &o, .host_shift = _i & 2 ? 12 : 16 };

		j.table = fact(&o, stts[i]);
		find_table(&o, j.table, &t);
		j.page_shift = t.page_shift;
		ck_assert_int_eq(tce_table_entries(o.a, &t, 0, UINT64_MAX, check_join, &j, &st),
				 0);
		ck_assert_uint_eq(j.seen, st.valid);
		present += j.present;
		not_present += j.not_present;
		no_slot += j.no_slot;
	}
	/* stt.a4k.unmapped_entry and stt.a64k.noslot_entry, the rest mapped */
	ck_assert_uint_eq(not_present, 1);
	ck_assert_uint_eq(no_slot, 1);
	ck_assert_uint_gt(present, 20);
	close_scenario(&o);
}
END_TEST

/* The same through tce_table_at() with an info of the 0.2 size: the VM comes from the
 * table itself. */
START_TEST(kvm_join_old_info)
{
	struct opened o;
	struct tce_table_info t = TCE_TABLE_INFO_INIT;
	struct join j = { .o = &o, .host_shift = 16 };

	open_scenario("kvm-tables", 0, NULL, true, &o);
	if (o.skipped)
		return;
	j.table = fact(&o, "stt.a4k");
	t.size = offsetof(struct tce_table_info, base) + sizeof(t.base);
	ck_assert_int_eq(tce_table_at(o.a, TCE_TABLE_KVM, j.table, &t), 0);
	ck_assert_int_eq(tce_table_entries(o.a, &t, 0, UINT64_MAX, check_join, &j, NULL), 0);
	ck_assert_uint_eq(j.not_present, 1);
	ck_assert_uint_eq(j.present, j.seen - 1);
	close_scenario(&o);
}
END_TEST

/*
 * Memslots that overlap, which KVM never makes but a damaged dump may hold: slot 2 of
 * VM a starts inside slot 0 (at 1 GiB, for 2 GiB) at the VMM address slot 0 gives the
 * same guest address.  Three a64k entries, 1.5 GiB, 0.5 GiB, 1.5 GiB again: the kernel's
 * rule (the last slot starting at or below the gfn) gives slot 2, 0, 2, whatever slot
 * answered the entry before (the walk keeps it, and the host page it found) and
 * whatever the translation memo holds.
 */
#define OVERLAP_FIRST 0x5000
static const uint64_t overlap_gpa[] = { 0x60000000, 0x20000000, 0x60000000 };

static void overlapping_slots(struct forge_scenario_result *res)
{
	unsigned ps = (unsigned)__builtin_ctzll(forge_scenario_fact(res, "page_size", 1ULL << 16));
	uint64_t kva = forge_scenario_fact(res, "kvm.a", 0);
	uint64_t a64k = forge_scenario_fact(res, "stt.a64k", 0);
	uint64_t ua0 = forge_scenario_fact(res, "memslot.a0.ua", 0);
	unsigned i;

	ck_assert(kva && a64k && ua0);
	ck_assert(fk_kvm_memslot_add(res->k, kva, 2, (1ULL << 30) >> ps, (2ULL << 30) >> ps,
				     ua0 + (1ULL << 30)));
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(fk_kvm_stt_put(res->k, a64k,
						((1ULL << 59) >> 16) + OVERLAP_FIRST + i,
						overlap_gpa[i] | 3), 0);
}

struct overlap {
	uint64_t first;
	int slot[3];
	uint64_t hva[3];
	unsigned seen;
};

static int overlap_cb(void *data, const struct tce_table_entry *e)
{
	struct overlap *v = data;

	if (e->index >= v->first && e->index < v->first + 3) {
		v->slot[e->index - v->first] = e->memslot;
		v->hva[e->index - v->first] = e->hva;
		v->seen++;
	}
	return 0;
}

START_TEST(memslots_overlap)
{
	struct opened o;
	struct tce_table_info t = TCE_TABLE_INFO_INIT;
	struct overlap v = { .first = ((1ULL << 59) >> 16) + OVERLAP_FIRST };

	open_scenario("kvm-tables", _i, overlapping_slots, true, &o);
	if (o.skipped)
		return;
	find_table(&o, fact(&o, "stt.a64k"), &t);
	ck_assert_int_eq(tce_table_entries(o.a, &t, 0, UINT64_MAX, overlap_cb, &v, NULL), 0);
	ck_assert_uint_eq(v.seen, 3);
	ck_assert_int_eq(v.slot[0], 2);
	ck_assert_int_eq(v.slot[1], 0);
	ck_assert_int_eq(v.slot[2], 2);
	ck_assert_uint_eq(v.hva[0], fact(&o, "memslot.a0.ua") + overlap_gpa[0]);
	ck_assert_uint_eq(v.hva[2], v.hva[0]);
	close_scenario(&o);
}
END_TEST

/* ------------------------------------------------------------ damage */

/* vm_list is b -> a -> head: a links back to b */
static void vm_cycle(struct forge_scenario_result *res)
{
	uint64_t a = forge_scenario_fact(res, "kvm.a", 0), b = forge_scenario_fact(res, "kvm.b", 0);

	put64(res, a + offsetof(struct kvm, vm_list), b + offsetof(struct kvm, vm_list));
}

START_TEST(vm_list_cycle)
{
	struct tce_tables_info ti = TCE_TABLES_INFO_INIT;
	struct opened o;

	open_scenario("kvm-tables", _i, vm_cycle, true, &o);
	if (o.skipped)
		return;
	ck_assert_int_eq(tce_analysis_tables(o.a, &ti), 0);
	ck_assert_int_eq(ti.source[TCE_SOURCE_KVM].status, TCE_SEARCH_PARTIAL);
	ck_assert_msg(strstr(ti.source[TCE_SOURCE_KVM].why, "vm_list") &&
		      strstr(ti.source[TCE_SOURCE_KVM].why, "cycle"), "%s",
		      ti.source[TCE_SOURCE_KVM].why);
	/* both VMs were walked before the cycle: every table is still there */
	ck_assert_uint_eq(ti.count, fact(&o, "stt.count") + 1);
	close_scenario(&o);
}
END_TEST

/* PHB 1's list_node.next points where the dump holds nothing (phb.1 is its pnv_phb) */
static void hose_cut(struct forge_scenario_result *res)
{
	uint64_t phb1 = forge_scenario_fact(res, "phb.1", 0), hose;

	ck_assert_int_eq(forge_get_u64(fk_forge(res->k), (phb1 & ~LINEAR) +
				       offsetof(struct pnv_phb, hose), &hose), 0);
	put64(res, hose + offsetof(struct pci_controller, list_node),
	      LINEAR | 0xfff00000000ULL);
}

START_TEST(hose_list_cut)
{
	struct tce_tables_info ti = TCE_TABLES_INFO_INIT;
	struct tce_table_info t = TCE_TABLE_INFO_INIT;
	struct opened o;

	open_scenario("powernv-tables", _i, hose_cut, true, &o);
	if (o.skipped)
		return;
	ck_assert_int_eq(tce_analysis_tables(o.a, &ti), 0);
	ck_assert_int_eq(ti.source[TCE_SOURCE_POWERNV].status, TCE_SEARCH_PARTIAL);
	ck_assert_msg(strstr(ti.source[TCE_SOURCE_POWERNV].why, "hose_list"), "%s",
		      ti.source[TCE_SOURCE_POWERNV].why);
	/* the PHBs before the cut keep their tables */
	ck_assert_uint_eq(ti.count, 3);
	find_table(&o, fact(&o, "tbl.t2"), &t);
	close_scenario(&o);
}
END_TEST

/* VM a's memslot 0 links to itself as its left child: no red-black tree */
static void slot_loop(struct forge_scenario_result *res)
{
	uint64_t s0 = forge_scenario_fact(res, "memslot.a0", 0), s1;
	unsigned idx;

	s1 = forge_scenario_fact(res, "memslot.a1", 0);
	/* both node sets: whichever is active loops */
	for (idx = 0; idx < 2; idx++) {
		uint64_t n0 = s0 + offsetof(struct kvm_memory_slot, gfn_node) +
			      idx * sizeof(struct rb_node);
		uint64_t n1 = s1 + offsetof(struct kvm_memory_slot, gfn_node) +
			      idx * sizeof(struct rb_node);

		put64(res, n0 + offsetof(struct rb_node, rb_left), n0);
		put64(res, n1 + offsetof(struct rb_node, rb_left), n0);
	}
}

static int no_present(void *data, const struct tce_table_entry *e)
{
	unsigned *n = data;

	ck_assert_msg(e->host_state == TCE_HOST_UNKNOWN, "entry 0x%llx: %s",
		      (unsigned long long)e->index, tce_host_state_name(e->host_state));
	ck_assert_ptr_nonnull(strstr(e->host_why, "memslots"));
	(*n)++;
	return 0;
}

START_TEST(memslot_loop)
{
	struct tce_table_info t = TCE_TABLE_INFO_INIT;
	struct opened o;
	unsigned n = 0;

	open_scenario("kvm-tables", _i, slot_loop, true, &o);
	if (o.skipped)
		return;
	find_table(&o, fact(&o, "stt.a4k"), &t);
	ck_assert_int_eq(tce_table_entries(o.a, &t, 0, UINT64_MAX, no_present, &n, NULL), 0);
	ck_assert_uint_eq(n, fact(&o, "stt.a4k.valid"));
	close_scenario(&o);
}
END_TEST

/* No type information: every source unknown, with what is missing, and no table */
START_TEST(no_types)
{
	struct tce_tables_info ti = TCE_TABLES_INFO_INIT;
	struct opened o;
	unsigned s;

	open_scenario("kvm-tables", 0, NULL, false, &o);
	ck_assert_int_eq(tce_analysis_tables(o.a, &ti), 0);
	ck_assert_uint_eq(ti.count, 0);
	for (s = 0; s < TCE_SOURCE_COUNT; s++) {
		ck_assert_int_eq(ti.source[s].status, TCE_SEARCH_UNKNOWN);
		ck_assert_msg(strstr(ti.source[s].why, "unknown"), "%s", ti.source[s].why);
	}
	ck_assert_int_eq(tce_analysis_table(o.a, 0, &(struct tce_table_info)TCE_TABLE_INFO_INIT),
			 -TCE_EINVAL);
	close_scenario(&o);
}
END_TEST

/* A VM's identity for keys from its VMM's argv: QEMU's -name (guest= or bare), else
 * -uuid; bytes a key cannot hold made '_'; nothing from an argv that names neither. */
START_TEST(vmm_argv_ident)
{
	static const struct {
		const char *argv;  /* arguments separated by '|' (NULs in the buffer) */
		const char *want;  /* NULL: no name */
	} c[] = {
		{ "/usr/bin/qemu-system-ppc64|-name|guest=web-1,debug-threads=on|-uuid|"
		  "0f8fad5b-d9cb-469f-a165-70867728950e|-m|4096", "vm=web-1" },
		{ "qemu-system-ppc64|--name|db.2", "vm=db.2" },
		{ "qemu-system-ppc64|-name|debug-threads=on,guest=x", "vm=x" },
		{ "qemu-system-ppc64|-uuid|0f8fad5b-d9cb-469f-a165-70867728950e",
		  "vm=0f8fad5b-d9cb-469f-a165-70867728950e" },
		{ "qemu|-name|guest=a:b*c/d e", "vm=a_b_c_d_e" },
		{ "/bin/kvm-tables", NULL },
		{ "qemu|-name", NULL },
		{ "qemu|-named|x|-uuidx|y", NULL },
		{ "", NULL },
	};
	char buf[256], out[64];
	size_t i, n;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		n = strlen(c[i].argv);
		memcpy(buf, c[i].argv, n + 1);
		for (size_t k = 0; k < n; k++)
			if (buf[k] == '|')
				buf[k] = '\0';
		/* an argv ends with its last NUL */
		memset(out, 'z', sizeof(out));
		if (c[i].want) {
			ck_assert_msg(tce_vmm_argv_ident(buf, n + 1, out, sizeof(out)) == 1, "%s",
				      c[i].argv);
			ck_assert_str_eq(out, c[i].want);
		} else {
			ck_assert_msg(!tce_vmm_argv_ident(buf, n + 1, out, sizeof(out)), "%s",
				      c[i].argv);
		}
	}
	/* a name longer than the buffer is cut, never overrun; no NUL at the end is fine */
	memcpy(buf, "q\0-name\0guest=", 14);
	memset(buf + 14, 'n', 100);
	ck_assert_int_eq(tce_vmm_argv_ident(buf, 114, out, sizeof(out)), 1);
	ck_assert_uint_eq(strlen(out), sizeof(out) - 1);
	ck_assert(!strncmp(out, "vm=nnnn", 7));
}
END_TEST

static Suite *discover_suite(void)
{
	Suite *s = suite_create("discover");
	TCase *tc = tcase_create("forge");

	tcase_set_timeout(tc, 300);
	/* 0, 1: 6.1 (LE, BE); 2, 3: 6.12 with 4K pages and radix (LE, BE) */
	tcase_add_loop_test(tc, kvm_found, 0, 4);
	tcase_add_loop_test(tc, powernv_found, 0, 4);
	tcase_add_loop_test(tc, kvm_host_join, 0, 4);
	tcase_add_test(tc, kvm_join_old_info);
	tcase_add_loop_test(tc, memslots_overlap, 0, 4);
	tcase_add_loop_test(tc, vm_list_cycle, 0, 2);
	tcase_add_loop_test(tc, hose_list_cut, 0, 2);
	tcase_add_loop_test(tc, memslot_loop, 0, 2);
	tcase_add_test(tc, no_types);
	tcase_add_test(tc, vmm_argv_ident);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(discover_suite());
}
