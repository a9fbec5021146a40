// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rules about TCE tables, each on the forge's table scenarios in both byte orders:
 * a healthy machine (the scenario with its own deliberate oddities mended) where no
 * table rule fires, then one fault planted in the forged memory before the dump is
 * written for every rule, which must give exactly that rule's finding with its
 * semantic key and severity, and nothing else above info.  What the dump cannot
 * decide (it_map in vmalloc on the hash MMU, whose page tables the forge does not
 * model; a level in RAM the dump lacks; a VMM's page tables outside the dump; a
 * struct page nothing backs; no type information) must be "unknown" with a reason,
 * never "pass"; a machine without tables makes the table rules not applicable.
 */
#include "config.h"

#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules-util.h"
#include "rules/rules.h"

#define OUTSIDE 0xfff00000000ULL      /* no RAM, no section: as the forge's OUTSIDE_PHYS */
#define DDW (1ULL << 59)
#define T0_KEY "iommu:phb=0:pe=0x1fd:window=0x0"
#define T1_KEY "iommu:phb=0:pe=0x1fd:window=0x800000000000000"
#define A64K_KEY "kvm:pid=1001:liobn=0x80000001"

/*
 * The scenarios' own oddities, mended so that the machine is healthy: powernv-tables
 * maps a free (buddy) zoo page at t0 entry 2; kvm-tables leaves the hardware table
 * attached to a64k's LIOBN empty, and puts one a64k entry at a guest address in no
 * memslot.
 */
static void mend(struct opened *o)
{
	if (!forge_scenario_fact(&o->res, "attach.tbl", 0)) {
		hw_put(o, "tbl.t0", 2, pfn_tce(o, FORGE_ZOO_REFCOUNT1));
	} else {
		uint64_t a64k = fact(o, "stt.a64k"), first = DDW >> 16;
		const struct forge_tce *t = tce_of(o, a64k, first);

		ck_assert_uint_ne(t->host_pfn, FORGE_NO_PFN);
		hw_put(o, "attach.tbl", first, pfn_tce(o, t->host_pfn));
		ck_assert_int_eq(fk_kvm_stt_put(o->res.k, a64k, fact(o, "stt.a64k.noslot_entry"),
						0), 0);
	}
}

/*
 * Builds scenario (variant bit 0: big-endian, bit 1: radix), mends it unless raw,
 * plants the fault, writes the dump and its vmlinux (dwarf), opens both and runs
 * every rule.
 */
static void open_setup(const char *scenario, int variant, bool raw, plant_fn *plant,
		       bool dwarf, void (*setup)(struct opened *o), struct opened *o)
{
	const struct check_opts co = {
		.scenario = scenario,
		.fo = { .endian = variant & 1 ? FORGE_BE : FORGE_LE, .radix = !!(variant & 2) },
		.mend = raw ? NULL : mend, .plant = plant, .no_dwarf = !dwarf, .setup = setup,
	};

	rules_open(&co, o);
}

static void open_check(const char *scenario, int variant, bool raw, plant_fn *plant,
		       bool dwarf, struct opened *o)
{
	open_setup(scenario, variant, raw, plant, dwarf, NULL, o);
}

static void close_check(struct opened *o)
{
	rules_close(o);
}

/* No finding above info, and every table rule passes (or, where told, is unknown);
 * no table of these scenarios is VFIO's (test-rules-vfio.c), and the seed2013 model is
 * not selected */
static void assert_tables_healthy(const struct opened *o, const char *unknown_rule)
{
	const char *const unknown[] = { unknown_rule, NULL };
	static const char *const na[] = { "TCE-VFIO-*", "TCE-SEED-*", NULL };

	assert_healthy(o, unknown, NULL, na);
}

/* ------------------------------------------------------------ healthy machines */

START_TEST(healthy_powernv)
{
	struct opened o;

	/* hash: it_map is vmalloc, which the forge's hash machine cannot translate */
	open_check("powernv-tables", _i, false, NULL, true, &o);
	if (!o.skipped)
		assert_tables_healthy(&o, _i & 2 ? NULL : "TCE-ITMAP-CLEAR");
	if (!o.skipped && !(_i & 2))
		assert_unknown(&o, "TCE-ITMAP-CLEAR", "it_map");
	close_check(&o);
}
END_TEST

START_TEST(healthy_kvm)
{
	struct opened o;

	open_check("kvm-tables", _i, false, NULL, true, &o);
	if (!o.skipped)
		assert_tables_healthy(&o, NULL);
	close_check(&o);
}
END_TEST

/* The scenarios as the forge writes them: their deliberate oddities are found */
START_TEST(scenario_as_forged)
{
	struct opened o;
	char key[128];

	open_check("powernv-tables", _i, true, NULL, true, &o);
	if (!o.skipped)
		assert_only(&o, "TCE-DMA-FREED", T0_KEY ":bus=0x2000", TCE_SEV_ERROR,
			    "buddy free lists");
	close_check(&o);
	open_check("kvm-tables", _i, true, NULL, true, &o);
	if (!o.skipped) {
		ck_assert_uint_eq(count_of(&o, "TCE-KVM-NO-MEMSLOT"), 1);
		ck_assert_uint_eq(count_of(&o, "TCE-KVM-HW-MISMATCH"), 1);
		ck_assert_uint_eq(tce_finding_count(o.a), 2);
		keyf(key, sizeof(key), A64K_KEY ":bus=0x%llx",
		     (unsigned long long)(fact(&o, "stt.a64k.noslot_entry") << 16));
		ck_assert_str_eq(tce_finding(o.a, 0)->id, "TCE-KVM-HW-MISMATCH");
		ck_assert_str_eq(tce_finding(o.a, 0)->key, A64K_KEY ":bus=0x800000000000000");
		ck_assert(strstr(tce_finding(o.a, 0)->message, "has no valid entry"));
		ck_assert_str_eq(tce_finding(o.a, 1)->key, key);
		ck_assert_int_eq(tce_finding(o.a, 1)->severity, TCE_SEV_WARNING);
	}
	close_check(&o);
}
END_TEST

/* ------------------------------------------------------------ one fault a rule */

static void plant_outside(struct opened *o)
{
	hw_put(o, "tbl.t0", 5, OUTSIDE | 3);
}

START_TEST(entry_no_page)
{
	struct opened o;
	char why[160];

	open_check("powernv-tables", _i, false, plant_outside, true, &o);
	if (!o.skipped) {
		assert_only(&o, "TCE-ENTRY-NO-PAGE", T0_KEY ":bus=0x5000", TCE_SEV_ERROR,
			    "no memory section");
		/* no struct page to read: whether it is free is unknown, not "pass"; why is
		 * the page read again for the reason (the pass keeps none of a page that
		 * cannot be located), word for word as a read of it says */
		keyf(why, sizeof(why), "cannot be read: pfn 0x%llx: no vmemmap block backs its "
		     "struct page (0x", (unsigned long long)(OUTSIDE >> o.shift));
		assert_unknown(&o, "TCE-DMA-FREED", why);
		ck_assert_uint_eq(tce_finding(o.a, 0)->pfn_first, OUTSIDE >> o.shift);
	}
	close_check(&o);
}
END_TEST

/* A section of boot RAM present but never onlined: device memory */
static void plant_device(struct opened *o)
{
	uint64_t pfn = 0x4000;

	ck_assert_int_eq(fk_mem_section_set(o->res.k, 0x4000, 1,
					    FK_SECTION_PRESENT | FK_SECTION_HAS_MEM_MAP), 0);
	hw_put(o, "tbl.t0", 5, pfn_tce(o, pfn));
}

START_TEST(entry_device)
{
	struct opened o;
	const struct tce_finding *f;
	size_t i, n = 0;

	open_check("powernv-tables", _i, false, plant_device, true, &o);
	if (!o.skipped) {
		for (i = 0; (f = tce_finding(o.a, i)) != NULL; i++) {
			ck_assert_int_le(f->severity, TCE_SEV_INFO);
			if (!strcmp(f->id, "TCE-ENTRY-DEVICE")) {
				ck_assert_str_eq(f->key, T0_KEY ":bus=0x5000");
				ck_assert_int_eq(f->severity, TCE_SEV_INFO);
				n++;
			}
		}
		ck_assert_uint_eq(n, 1);
		ck_assert_uint_eq(count_of(&o, "TCE-ENTRY-NO-PAGE"), 0);
	}
	close_check(&o);
}
END_TEST

static void plant_reserved_bits(struct opened *o)
{
	hw_put(o, "tbl.t0", 5, pfn_tce(o, FORGE_ZOO_REFCOUNT1) | 0x10);
}

START_TEST(entry_reserved_bits)
{
	struct opened o;

	open_check("powernv-tables", _i, false, plant_reserved_bits, true, &o);
	if (!o.skipped)
		assert_only(&o, "TCE-ENTRY-RESERVED-BITS", T0_KEY ":bus=0x5000",
			    TCE_SEV_WARNING, "bits 0x10");
	close_check(&o);
}
END_TEST

/*
 * Three neighbours of t1, one batch of the pass: the first misaligned, the second with
 * reserved bits, the third both.  The rules run one after the other over a batch of
 * entries; the findings still come entry after entry, each entry's in the catalogue's
 * order (RESERVED-BITS before MISALIGNED), as one rule after the other for each entry
 * gives them.
 */
static void plant_order(struct opened *o)
{
	uint64_t first = DDW >> 16, page = (uint64_t)0x240 << 12;

	hw_put(o, "tbl.t1", first + 7, page | 0x1000 | 3);
	hw_put(o, "tbl.t1", first + 8, page | 0x10 | 3);
	hw_put(o, "tbl.t1", first + 9, page | 0x1000 | 0x10 | 3);
}

START_TEST(findings_entry_order)
{
	static const char *const want[][2] = {
		{ "TCE-ENTRY-MISALIGNED", T1_KEY ":bus=0x800000000070000" },
		{ "TCE-ENTRY-RESERVED-BITS", T1_KEY ":bus=0x800000000080000" },
		{ "TCE-ENTRY-RESERVED-BITS", T1_KEY ":bus=0x800000000090000" },
		{ "TCE-ENTRY-MISALIGNED", T1_KEY ":bus=0x800000000090000" },
	};
	struct opened o;
	size_t i;

	ck_assert_uint_lt(TCE_RULE_ENTRY_RESERVED_BITS, TCE_RULE_ENTRY_MISALIGNED);
	open_check("powernv-tables", _i, false, plant_order, true, &o);
	if (!o.skipped) {
		ck_assert_uint_eq(tce_finding_count(o.a), 4);
		for (i = 0; i < 4; i++) {
			ck_assert_str_eq(tce_finding(o.a, i)->id, want[i][0]);
			ck_assert_str_eq(tce_finding(o.a, i)->key, want[i][1]);
		}
	}
	close_check(&o);
}
END_TEST

/* t1 has 64K IOMMU pages: an address 4K into one */
static void plant_misaligned_hw(struct opened *o)
{
	hw_put(o, "tbl.t1", (DDW >> 16) + 7, ((uint64_t)0x240 << 12) | 0x1000 | 3);
}

/* a64k: a guest address 4K into a 64K IOMMU page, in memslot 0 */
static void plant_misaligned_kvm(struct opened *o)
{
	ck_assert_int_eq(fk_kvm_stt_put(o->res.k, fact(o, "stt.a64k"), (DDW >> 16) + 1,
					0x40001000ULL | 3), 0);
}

START_TEST(entry_misaligned)
{
	struct opened o;

	open_check("powernv-tables", _i, false, plant_misaligned_hw, true, &o);
	if (!o.skipped)
		assert_only(&o, "TCE-ENTRY-MISALIGNED", T1_KEY ":bus=0x800000000070000",
			    TCE_SEV_ERROR, "bits 0x1000");
	close_check(&o);
	open_check("kvm-tables", _i, false, plant_misaligned_kvm, true, &o);
	if (!o.skipped) {
		/* the hardware table has nothing at that bus address: a mismatch too */
		ck_assert_uint_eq(count_of(&o, "TCE-ENTRY-MISALIGNED"), 1);
		ck_assert_str_eq(tce_finding(o.a, 0)->key, A64K_KEY ":bus=0x800000000010000");
	}
	close_check(&o);
}
END_TEST

static void set_reserved(struct opened *o, uint64_t start, uint64_t end)
{
	uint64_t t0 = fact(o, "tbl.t0");

	put64(o, t0 + off("iommu_table.it_reserved_start"), start);
	put64(o, t0 + off("iommu_table.it_reserved_end"), end);
}

static void plant_reserved_range(struct opened *o)
{
	set_reserved(o, 3, 4);
}

static void plant_reserved_range_clear(struct opened *o)
{
	/* entries 5..0x1ff reserved, none of them valid */
	set_reserved(o, 5, 0x200);
}

START_TEST(entry_reserved_range)
{
	struct opened o;

	open_check("powernv-tables", _i, false, plant_reserved_range, true, &o);
	if (!o.skipped)
		assert_only(&o, "TCE-ENTRY-RESERVED-RANGE", T0_KEY ":bus=0x3000",
			    TCE_SEV_WARNING, "0x3-0x3");
	close_check(&o);
	open_check("powernv-tables", _i, false, plant_reserved_range_clear, true, &o);
	if (!o.skipped)
		assert_tables_healthy(&o, _i & 2 ? NULL : "TCE-ITMAP-CLEAR");
	close_check(&o);
}
END_TEST

/* t1's second top-level entry (never allocated) pointed at no RAM */
static void plant_level_outside(struct opened *o)
{
	ck_assert_int_eq(fk_iommu_set_indirect(o->res.k, fact(o, "tbl.t1"), 1, OUTSIDE | 3), 0);
}

/* ... at RAM, but not at the start of a level */
static void plant_level_misaligned(struct opened *o)
{
	ck_assert_int_eq(fk_iommu_set_indirect(o->res.k, fact(o, "tbl.t1"), 1,
					       0x1000800ULL | 3), 0);
}

/* ... at a present memory section the dump does not hold (past the RAM) */
static void plant_level_not_in_dump(struct opened *o)
{
	uint64_t pfn = fact(o, "ram_bytes") >> o->shift << 2;

	ck_assert_int_eq(fk_mem_section_set(o->res.k, pfn, 1, FK_SECTION_PRESENT), 0);
	ck_assert_int_eq(fk_iommu_set_indirect(o->res.k, fact(o, "tbl.t1"), 1,
					       pfn << o->shift | 3), 0);
}

START_TEST(level_bad)
{
	struct opened o;
	char key[160];

	open_check("powernv-tables", _i, false, plant_level_outside, true, &o);
	if (!o.skipped) {
		keyf(key, sizeof(key), T1_KEY ":level=0:first=0x%llx",
		     (unsigned long long)fact(&o, "tbl.t1.level_size"));
		assert_only(&o, "TCE-LEVEL-BAD", key, TCE_SEV_ERROR, "outside RAM");
	}
	close_check(&o);
	open_check("powernv-tables", _i, false, plant_level_misaligned, true, &o);
	if (!o.skipped)
		assert_only(&o, "TCE-LEVEL-BAD", key, TCE_SEV_ERROR, "misaligned");
	close_check(&o);
	open_check("powernv-tables", _i, false, plant_level_not_in_dump, true, &o);
	if (!o.skipped)
		assert_unknown(&o, "TCE-LEVEL-BAD", "in RAM but not in the dump");
	close_check(&o);
}
END_TEST

/* t0's window shrunk to half: its valid entry 0xffff lies past it */
static void plant_overfull_hw(struct opened *o)
{
	put64(o, fact(o, "tbl.t0") + off("iommu_table.it_size"), 0x8000);
}

/* b16m's one page of TCEs holds more than its 4096 entries: one valid past them */
static void plant_overfull_kvm(struct opened *o)
{
	uint64_t page = fk_kvm_stt_page(o->res.k, fact(o, "stt.b16m"), 0);

	ck_assert_uint_ne(page, 0);
	ck_assert_uint_gt((1ULL << o->shift) / 8, fact(o, "stt.b16m.size") + 5);
	ck_assert_int_eq(forge_put_u64(fk_forge(o->res.k), page +
				       (fact(o, "stt.b16m.size") + 5) * 8, (2ULL << 24) | 3), 0);
}

START_TEST(table_overfull)
{
	struct opened o;

	open_check("powernv-tables", _i, false, plant_overfull_hw, true, &o);
	if (!o.skipped)
		assert_only(&o, "TCE-TABLE-OVERFULL", T0_KEY ":beyond", TCE_SEV_ERROR,
			    "1 valid entry past the window of 32768 entries, the first at "
			    "position 0xffff");
	close_check(&o);
	open_check("kvm-tables", _i, false, plant_overfull_kvm, true, &o);
	if (!o.skipped)
		assert_only(&o, "TCE-TABLE-OVERFULL", "kvm:pid=1002:liobn=0x80000000:beyond",
			    TCE_SEV_ERROR, "position 0x1005");
	close_check(&o);
}
END_TEST

static uint64_t zoo_pfn;

static void plant_zoo(struct opened *o)
{
	hw_put(o, "tbl.t0", 5, pfn_tce(o, zoo_pfn));
}

/* the zoo's order-2 compound page, its head's reference dropped */
static void plant_tail_freed(struct opened *o)
{
	struct fk_page p;

	ck_assert_int_eq(fk_get_page(o->res.k, FORGE_ZOO_HEAD, &p), 0);
	p.refcount = 0;
	ck_assert_int_eq(fk_set_page(o->res.k, FORGE_ZOO_HEAD, &p), 0);
	hw_put(o, "tbl.t0", 5, pfn_tce(o, FORGE_ZOO_TAIL));
}

/* the host page behind a4k's entry 1 freed: _refcount 0 */
static void plant_kvm_freed(struct opened *o)
{
	const struct forge_tce *t = tce_of(o, fact(o, "stt.a4k"), 1);
	struct fk_page p;

	ck_assert_int_eq(fk_get_page(o->res.k, t->host_pfn, &p), 0);
	p.refcount = 0;
	ck_assert_int_eq(fk_set_page(o->res.k, t->host_pfn, &p), 0);
}

/* a present section with no mem_map, past the RAM: no struct page to read */
static void plant_page_unreadable(struct opened *o)
{
	uint64_t pfn = fact(o, "ram_bytes") >> o->shift << 2;

	ck_assert_int_eq(fk_mem_section_set(o->res.k, pfn, 1, FK_SECTION_PRESENT |
					    FK_SECTION_ONLINE), 0);
	hw_put(o, "tbl.t0", 5, pfn_tce(o, pfn));
}

/*
 * A buffer of two pages mapped page after page (dma_alloc_coherent()'s non-compound
 * order-1 allocation): its second page holds no reference of its own.  buf_first is
 * the first page's pfn; the second's _refcount is set to 0.
 */
static uint64_t buf_first;
static uint64_t buf_flags;      /* the second page's flags besides (0: as they are) */

static void plant_buffer(struct opened *o)
{
	struct fk_page p;

	ck_assert_int_eq(fk_get_page(o->res.k, buf_first + 1, &p), 0);
	p.refcount = 0;
	p.flags |= buf_flags;
	ck_assert_int_eq(fk_set_page(o->res.k, buf_first + 1, &p), 0);
	hw_put(o, "tbl.t0", 5, pfn_tce(o, buf_first));
	hw_put(o, "tbl.t0", 6, pfn_tce(o, buf_first + 1));
}

START_TEST(dma_freed_buffer)
{
	struct opened o;

	/* aligned to the two pages: one allocation, in use */
	buf_first = 600;
	open_check("powernv-tables", _i, false, plant_buffer, true, &o);
	if (o.skipped)
		return;
	ck_assert_uint_eq(count_of(&o, "TCE-DMA-FREED"), 0);
	ck_assert_int_eq(tce_rule_outcome(o.a, TCE_RULE_DMA_FREED, NULL), TCE_OUTCOME_PASS);
	close_check(&o);
	/* starting on an odd pfn no order-1 allocation can: the second page is freed */
	buf_first = 601;
	open_check("powernv-tables", _i, false, plant_buffer, true, &o);
	assert_only(&o, "TCE-DMA-FREED", T0_KEY ":bus=0x6000", TCE_SEV_ERROR,
		    "whose _refcount is 0");
	close_check(&o);
	/* aligned, but the second page on the LRU, or swap-backed (a guest's anonymous
	 * memory): a page of its own, holding no reference: freed */
	buf_first = 600;
	buf_flags = 1ULL << FK_PG_LRU;
	open_check("powernv-tables", _i, false, plant_buffer, true, &o);
	assert_only(&o, "TCE-DMA-FREED", T0_KEY ":bus=0x6000", TCE_SEV_ERROR,
		    "whose _refcount is 0");
	close_check(&o);
	buf_flags = 1ULL << FK_PG_SWAPBACKED;
	open_check("powernv-tables", _i, false, plant_buffer, true, &o);
	assert_only(&o, "TCE-DMA-FREED", T0_KEY ":bus=0x6000", TCE_SEV_ERROR,
		    "whose _refcount is 0");
	close_check(&o);
	buf_flags = 0;
}
END_TEST

START_TEST(dma_freed)
{
	static const struct {
		uint64_t pfn;
		const char *words;
	} freed[] = {
		{ FORGE_ZOO_REFCOUNT0, "_refcount is 0" },
		{ FORGE_ZOO_BUDDY, "buddy free lists" },
		{ FORGE_ZOO_OFFLINE, "offline" },
		{ FORGE_ZOO_HWPOISON, "hardware-poisoned" },
	}, kept[] = { { FORGE_ZOO_PINNED, NULL }, { FORGE_ZOO_TAIL, NULL },
		      { FORGE_ZOO_SLAB, NULL }, { FORGE_ZOO_LRU, NULL } };
	struct opened o;
	unsigned i;

	for (i = 0; i < sizeof(freed) / sizeof(freed[0]); i++) {
		zoo_pfn = freed[i].pfn;
		open_check("powernv-tables", _i, false, plant_zoo, true, &o);
		if (o.skipped)
			return;
		assert_only(&o, "TCE-DMA-FREED", T0_KEY ":bus=0x5000", TCE_SEV_ERROR,
			    freed[i].words);
		ck_assert_uint_eq(tce_finding(o.a, 0)->pfn_first, freed[i].pfn);
		close_check(&o);
	}
	/* pinned, a tail whose head holds the reference, slab, page cache: in use */
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		zoo_pfn = kept[i].pfn;
		open_check("powernv-tables", _i, false, plant_zoo, true, &o);
		ck_assert_uint_eq(count_of(&o, "TCE-DMA-FREED"), 0);
		ck_assert_int_eq(tce_rule_outcome(o.a, TCE_RULE_DMA_FREED, NULL),
				 TCE_OUTCOME_PASS);
		close_check(&o);
	}
	open_check("powernv-tables", _i, false, plant_tail_freed, true, &o);
	assert_only(&o, "TCE-DMA-FREED", T0_KEY ":bus=0x5000", TCE_SEV_ERROR,
		    "whose _refcount is 0");
	close_check(&o);
	/* every table kind: a guest-view entry's host page, which a4k's entries 1-4
	 * all map (four 4K IOMMU pages in one 64K host page): a finding each */
	open_check("kvm-tables", _i, false, plant_kvm_freed, true, &o);
	ck_assert_uint_eq(tce_finding_count(o.a), 4);
	for (i = 0; i < 4; i++) {
		const struct tce_finding *f = tce_finding(o.a, i);
		char key[64];

		keyf(key, sizeof(key), "kvm:pid=1001:liobn=0x80000000:bus=0x%x", (i + 1) << 12);
		ck_assert_str_eq(f->id, "TCE-DMA-FREED");
		ck_assert_str_eq(f->key, key);
		ck_assert_int_eq(f->severity, TCE_SEV_ERROR);
		ck_assert_uint_eq(f->pfn_first, tce_of(&o, fact(&o, "stt.a4k"), 1)->host_pfn);
		ck_assert(strstr(f->message, "_refcount is 0"));
	}
	close_check(&o);
	/* a struct page nothing in the dump holds: unknown, never pass */
	open_check("powernv-tables", _i, false, plant_page_unreadable, true, &o);
	assert_unknown(&o, "TCE-DMA-FREED", "cannot be read");
	ck_assert_uint_eq(count_of(&o, "TCE-ENTRY-NO-PAGE"), 0);
	close_check(&o);
}
END_TEST

/* it_map's bit of t0 entry 1 cleared, the TCE left valid */
static void plant_itmap(struct opened *o)
{
	uint64_t map = get64(o, fact(o, "tbl.t0") + off("iommu_table.it_map")), phys, w;
	struct forge *f = fk_forge(o->res.k);

	ck_assert_int_eq(fk_vmalloc_translate(o->res.k, map, &phys), 0);
	ck_assert_int_eq(forge_get_u64(f, phys, &w), 0);
	ck_assert_uint_ne(w & 2, 0);
	ck_assert_int_eq(forge_put_u64(f, phys, w & ~2ULL), 0);
}

START_TEST(itmap_clear)
{
	struct opened o;

	open_check("powernv-tables", _i, false, plant_itmap, true, &o);
	if (o.skipped)
		return;
	if (_i & 2) {
		assert_only(&o, "TCE-ITMAP-CLEAR", T0_KEY ":bus=0x1000", TCE_SEV_ERROR,
			    "it_map bit is clear");
	} else {
		/* hash: the bitmap's vmalloc pages cannot be translated */
		assert_unknown(&o, "TCE-ITMAP-CLEAR", "it_map bits of its entries are not in "
			       "the dump");
		ck_assert_uint_eq(tce_finding_count(o.a), 0);
	}
	close_check(&o);
}
END_TEST

static void plant_noslot(struct opened *o)
{
	/* a64k entry 2 at gpa 5 GiB: VM a's memslots end at 4 GiB */
	ck_assert_int_eq(fk_kvm_stt_put(o->res.k, fact(o, "stt.a64k"), (DDW >> 16) + 0x4002,
					0x140000000ULL | 3), 0);
}

START_TEST(kvm_no_memslot)
{
	struct opened o;

	open_check("kvm-tables", _i, false, plant_noslot, true, &o);
	if (!o.skipped)
		assert_only(&o, "TCE-KVM-NO-MEMSLOT", A64K_KEY ":bus=0x800000040020000",
			    TCE_SEV_WARNING, "guest address 0x140000000");
	close_check(&o);
}
END_TEST

/* the hardware entry at a64k's first bus address maps the next host page */
static void plant_hw_other(struct opened *o)
{
	const struct forge_tce *t = tce_of(o, fact(o, "stt.a64k"), DDW >> 16);

	hw_put(o, "attach.tbl", DDW >> 16, pfn_tce(o, t->host_pfn + 1));
}

START_TEST(kvm_hw_mismatch)
{
	struct opened o;
	char words[64];

	open_check("kvm-tables", _i, false, plant_hw_other, true, &o);
	if (!o.skipped) {
		const struct forge_tce *t = tce_of(&o, fact(&o, "stt.a64k"), DDW >> 16);

		keyf(words, sizeof(words), "maps tce 0x%llx",
		     (unsigned long long)pfn_tce(&o, t->host_pfn + 1));
		assert_only(&o, "TCE-KVM-HW-MISMATCH", A64K_KEY ":bus=0x800000000000000",
			    TCE_SEV_ERROR, words);
	}
	close_check(&o);
}
END_TEST

/* a64k's first entry: at its window's first bus address */
#define HW_FIRST (DDW >> 16)

/*
 * A second hardware table, of 4K pages, attached to a64k's LIOBN over its first 16 MiB,
 * as KVM attaches a guest's 64K window to a host window of 4K pages: KVM wrote a64k's
 * first TCE there as 16 entries (kvmppc_tce_iommu_map()'s subpages), one for each 4K of
 * its host page; subpage hw_sub_bad (16: none) maps the next host page instead.
 */
static unsigned hw_sub_bad;

static void plant_hw_sub(struct opened *o)
{
	const struct forge_tce *t = tce_of(o, fact(o, "stt.a64k"), HW_FIRST);
	uint64_t phb = fk_pnv_phb_new(o->res.k, 256);
	uint64_t pe = phb ? fk_pnv_pe_new(o->res.k, phb, 3) : 0;
	uint64_t tbl = pe ? fk_pnv_table_new(o->res.k, pe, 0, DDW, 12, 16ULL << 20, 1) : 0;
	uint64_t sub;

	ck_assert(tbl && fk_kvm_stt_attach(o->res.k, fact(o, "stt.a64k"), tbl));
	ck_assert_uint_eq(o->shift, 16);
	for (sub = 0; sub < 16; sub++)
		ok(o, fk_iommu_put(o->res.k, tbl, (DDW >> 12) + sub,
				   pfn_tce(o, t->host_pfn + (sub == hw_sub_bad)) + (sub << 12)));
}

START_TEST(kvm_hw_subpages)
{
	struct opened o;
	char words[64];
	uint64_t pfn;

	/* every subpage where KVM puts it: both tables agree with the guest */
	hw_sub_bad = 16;
	open_check("kvm-tables", _i, false, plant_hw_sub, true, &o);
	if (o.skipped)
		return;
	assert_tables_healthy(&o, NULL);
	ck_assert_int_eq(tce_rule_outcome(o.a, TCE_RULE_KVM_HW_MISMATCH, NULL), TCE_OUTCOME_PASS);
	close_check(&o);
	/* the sixth maps another page: the guest's TCE disagrees with the 4K table (its
	 * first subpage alone was compared before) */
	hw_sub_bad = 5;
	open_check("kvm-tables", _i, false, plant_hw_sub, true, &o);
	pfn = tce_of(&o, fact(&o, "stt.a64k"), HW_FIRST)->host_pfn;
	keyf(words, sizeof(words), "maps tce 0x%llx",
	     (unsigned long long)(pfn_tce(&o, pfn + 1) + (5 << 12)));
	assert_only(&o, "TCE-KVM-HW-MISMATCH", A64K_KEY ":bus=0x800000000000000", TCE_SEV_ERROR,
		    words);
	close_check(&o);
}
END_TEST

/*
 * A hardware table of 64K pages attached to b16m's LIOBN over its first 32 MiB: KVM
 * wrote b16m's first two TCEs (guest pages 16M and 32M) there as 256 entries each, one
 * for each 64K part.
 * The parts past the first lie in other host pages, which the check reads through the
 * VMM's page tables: here the VMM maps every part on the first part's host page (a map
 * the forge gives without new pages).  Part b16m_bad's hardware entry maps the next
 * page; part b16m_hole the VMM does not map (256: none).
 */
static unsigned b16m_bad, b16m_hole;

static void plant_hw_16m(struct opened *o)
{
	uint64_t phb = fk_pnv_phb_new(o->res.k, 256);
	uint64_t pe = phb ? fk_pnv_pe_new(o->res.k, phb, 3) : 0;
	uint64_t tbl = pe ? fk_pnv_table_new(o->res.k, pe, 0, DDW, 16, 32ULL << 20, 1) : 0;
	uint64_t part, ua, i;

	ck_assert(tbl && fk_kvm_stt_attach(o->res.k, fact(o, "stt.b16m"), tbl));
	for (i = 0; i < 2; i++) {
		const struct forge_tce *t = tce_of(o, fact(o, "stt.b16m"), (DDW >> 24) + i);

		ck_assert_uint_ne(t->host_pfn, FORGE_NO_PFN);
		for (part = 0; part < 256; part++) {
			ok(o, fk_kvm_gpa_to_ua(o->res.k, fact(o, "kvm.b"),
					       t->target + (part << 16), &ua));
			if (part && (i || part != b16m_hole))
				ok(o, fk_user_map(o->res.k, fact(o, "kvm.b.mm"), ua, t->host_pfn));
			ok(o, fk_iommu_put(o->res.k, tbl, (DDW >> 16) + 256 * i + part,
					   pfn_tce(o, t->host_pfn + (!i && part == b16m_bad))));
		}
	}
}

START_TEST(kvm_hw_parts)
{
	struct opened o;
	char words[64];
	uint64_t pfn;

	b16m_bad = b16m_hole = 256;
	open_check("kvm-tables", _i, false, plant_hw_16m, true, &o);
	if (o.skipped)
		return;
	assert_tables_healthy(&o, NULL);
	ck_assert_int_eq(tce_rule_outcome(o.a, TCE_RULE_KVM_HW_MISMATCH, NULL), TCE_OUTCOME_PASS);
	close_check(&o);
	/* the eighth part's hardware entry on another page */
	b16m_bad = 7;
	open_check("kvm-tables", _i, false, plant_hw_16m, true, &o);
	pfn = tce_of(&o, fact(&o, "stt.b16m"), DDW >> 24)->host_pfn;
	keyf(words, sizeof(words), "maps tce 0x%llx", (unsigned long long)pfn_tce(&o, pfn + 1));
	assert_only(&o, "TCE-KVM-HW-MISMATCH", "kvm:pid=1002:liobn=0x80000000:bus=0x800000000000000",
		    TCE_SEV_ERROR, words);
	close_check(&o);
	/* the tenth part unmapped in the VMM: where the device should write is unknown */
	b16m_bad = 256;
	b16m_hole = 9;
	open_check("kvm-tables", _i, false, plant_hw_16m, true, &o);
	ck_assert_uint_eq(tce_finding_count(o.a), 0);
	assert_unknown(&o, "TCE-KVM-HW-MISMATCH", "is unknown");
	close_check(&o);
}
END_TEST

/* ------------------------------------------------------------ a table two PEs share */

/* t0 (PE 0x1fd of PHB 0) in the tables[] of a new PE 0x1fe of PHB 0 and of PE 0x7 of
 * PHB 1 too, as VFIO does for a container's groups */
static void plant_shared(struct opened *o)
{
	const char *const phbs[] = { "phb.0", "phb.1" };
	const unsigned nums[] = { 0x1fe, 0x7 };
	unsigned i;

	for (i = 0; i < 2; i++) {
		uint64_t pe = fk_pnv_pe_new(o->res.k, fact(o, phbs[i]), nums[i]);

		ck_assert_uint_ne(pe, 0);
		put64(o, pe + off("pnv_ioda_pe.table_group") + off("iommu_table_group.tables"),
		      fact(o, "tbl.t0"));
	}
}

START_TEST(shared_table)
{
	struct tce_tables_info ti = TCE_TABLES_INFO_INIT;
	struct tce_table_info t = TCE_TABLE_INFO_INIT;
	struct opened o;
	size_t i;

	/* as forged: t0 entry 2 maps a free page */
	open_check("powernv-tables", _i, true, plant_shared, true, &o);
	if (o.skipped)
		return;
	/* one table, listed once, with every PE that holds it */
	ck_assert_int_eq(tce_analysis_tables(o.a, &ti), 0);
	ck_assert_uint_eq(ti.count, 3);
	for (i = 0; i < ti.count; i++) {
		ck_assert_int_eq(tce_analysis_table(o.a, i, &t), 0);
		if (t.addr == fact(&o, "tbl.t0"))
			break;
	}
	ck_assert_uint_eq(t.addr, fact(&o, "tbl.t0"));
	ck_assert_int_eq(t.phb, 0);
	ck_assert_int_eq(t.pe, 0x1fd);
	ck_assert_uint_eq(t.nshared, 2);
	ck_assert_uint_eq(t.shared_more, 0);
	ck_assert_int_eq(t.shared[0].phb, 0);
	ck_assert_int_eq(t.shared[0].pe, 0x1fe);
	ck_assert_int_eq(t.shared[1].phb, 1);
	ck_assert_int_eq(t.shared[1].pe, 0x7);
	ck_assert_str_eq(t.found, "hose_list -> PHB 0 -> PE 0x1fd -> tables[0]; also PHB 0 -> "
			 "PE 0x1fe -> tables[0]; also PHB 1 -> PE 0x7 -> tables[0]");
	/* its entries are checked once, the key naming every PE */
	assert_only(&o, "TCE-DMA-FREED", "iommu:phb=0:pe=0x1fd+0x1fe+0x7@phb=1:window=0x0:"
		    "bus=0x2000", TCE_SEV_ERROR, "buddy free lists");
	close_check(&o);
	/* not shared: the key as before */
	open_check("powernv-tables", _i, true, NULL, true, &o);
	assert_only(&o, "TCE-DMA-FREED", T0_KEY ":bus=0x2000", TCE_SEV_ERROR, NULL);
	close_check(&o);
}
END_TEST

/* ------------------------------------------------------------ the seed's contract */

/* the hardware table attached to a64k's LIOBN: its window's first entry */

static void select_seed(struct opened *o)
{
	ck_assert_int_eq(tce_analysis_set_model(o->a, TCE_KMODEL_SEED2013, true), 0);
}

static void set_refcount(struct opened *o, uint64_t pfn, int32_t refcount)
{
	struct fk_page p;

	ok(o, fk_get_page(o->res.k, pfn, &p));
	p.refcount = refcount;
	ok(o, fk_set_page(o->res.k, pfn, &p));
}

/* the host page behind a64k's first entry (mended: the hardware table's entry 0 maps
 * it too) mapped by two more hardware entries, at bus addresses the guest view leaves
 * empty; seed_refcount: its _refcount */
static int32_t seed_refcount;

static void plant_seed_three(struct opened *o)
{
	uint64_t pfn = tce_of(o, fact(o, "stt.a64k"), HW_FIRST)->host_pfn;

	hw_put(o, "attach.tbl", HW_FIRST + 5, pfn_tce(o, pfn));
	hw_put(o, "attach.tbl", HW_FIRST + 6, pfn_tce(o, pfn));
	set_refcount(o, pfn, seed_refcount);
}

/* the zoo's order-2 compound page, its head at one reference, mapped through its
 * head and its first tail: both references are the head's */
static void plant_seed_tail(struct opened *o)
{
	set_refcount(o, FORGE_ZOO_HEAD, 1);
	hw_put(o, "attach.tbl", HW_FIRST + 5, pfn_tce(o, FORGE_ZOO_HEAD));
	hw_put(o, "attach.tbl", HW_FIRST + 6, pfn_tce(o, FORGE_ZOO_TAIL));
}

/* a hardware entry on a page whose struct page nothing in the dump holds */
static void plant_seed_unreadable(struct opened *o)
{
	uint64_t pfn = fact(o, "ram_bytes") >> o->shift << 2;

	ok(o, fk_mem_section_set(o->res.k, pfn, 1, FK_SECTION_PRESENT | FK_SECTION_ONLINE));
	hw_put(o, "attach.tbl", HW_FIRST + 5, pfn_tce(o, pfn));
}

/* the attached table's key, as the finding of the entry at HW_FIRST + n has it */
static void seed_key(const struct opened *o, unsigned n, char *key, size_t len)
{
	struct tce_table_info ti = { .size = sizeof(ti) };
	size_t i;

	for (i = 0; tce_analysis_table(o->a, i, &ti) == 0; i++)
		if (ti.addr == fact(o, "attach.tbl"))
			break;
	ck_assert_uint_eq(ti.addr, fact(o, "attach.tbl"));
	keyf(key, len, "iommu:phb=%lld:pe=0x%llx:window=0x%llx:bus=0x%llx", (long long)ti.phb,
	     (unsigned long long)ti.pe, (unsigned long long)DDW,
	     (unsigned long long)(DDW + ((uint64_t)n << 16)));
}

START_TEST(seed_refs_model)
{
	struct opened o;

	/* without the model: not applicable, whatever the references, and says how */
	seed_refcount = 1;
	open_check("kvm-tables", _i, false, plant_seed_three, true, &o);
	if (o.skipped)
		return;
	assert_outcome(&o, "TCE-SEED-REFS", TCE_OUTCOME_NOT_APPLICABLE, "--model seed2013");
	ck_assert_uint_eq(tce_finding_count(o.a), 0);
	close_check(&o);
	/* chosen once the check ran: refused */
	open_setup("kvm-tables", _i, false, NULL, true, select_seed, &o);
	ck_assert_int_eq(tce_analysis_set_model(o.a, TCE_KMODEL_SEED2013, false), -TCE_EINVAL);
	ck_assert_int_eq(tce_analysis_set_model(o.a, TCE_KMODEL_COUNT, true), -TCE_EINVAL);
	/* with it, on the healthy machine: one entry, one reference */
	assert_outcome(&o, "TCE-SEED-REFS", TCE_OUTCOME_PASS, NULL);
	close_check(&o);
	/* a machine whose attached table is empty: nothing the contract speaks of */
	open_setup("kvm-tables", _i, true, NULL, true, select_seed, &o);
	assert_outcome(&o, "TCE-SEED-REFS", TCE_OUTCOME_NOT_APPLICABLE, "attached");
	close_check(&o);
}
END_TEST

START_TEST(seed_refs)
{
	struct opened o;
	char key[160], words[96];
	uint64_t pfn;

	/* three entries, two references: the third entry's the finding */
	seed_refcount = 2;
	open_setup("kvm-tables", _i, false, plant_seed_three, true, select_seed, &o);
	if (o.skipped)
		return;
	pfn = tce_of(&o, fact(&o, "stt.a64k"), HW_FIRST)->host_pfn;
	seed_key(&o, 6, key, sizeof(key));
	keyf(words, sizeof(words), "pfn 0x%llx has _refcount 2, below the 3 valid entries",
	     (unsigned long long)pfn);
	ck_assert_uint_eq(assert_only(&o, "TCE-SEED-REFS", key, TCE_SEV_ERROR,
				      words)->pfn_first, pfn);
	close_check(&o);
	/* three references: enough */
	seed_refcount = 3;
	open_setup("kvm-tables", _i, false, plant_seed_three, true, select_seed, &o);
	assert_outcome(&o, "TCE-SEED-REFS", TCE_OUTCOME_PASS, NULL);
	ck_assert_uint_eq(tce_finding_count(o.a), 0);
	close_check(&o);
	/* a tail's mapping counts on its head */
	open_setup("kvm-tables", _i, false, plant_seed_tail, true, select_seed, &o);
	seed_key(&o, 6, key, sizeof(key));
	keyf(words, sizeof(words), "pfn 0x%llx has _refcount 1, below the 2 valid entries",
	     (unsigned long long)FORGE_ZOO_HEAD);
	assert_only(&o, "TCE-SEED-REFS", key, TCE_SEV_ERROR, words);
	ck_assert(strstr(tce_finding(o.a, 0)->message, "through its tail pages"));
	close_check(&o);
	/* a struct page the dump does not hold: unknown, never pass */
	open_setup("kvm-tables", _i, false, plant_seed_unreadable, true, select_seed, &o);
	assert_unknown(&o, "TCE-SEED-REFS", "cannot be read");
	close_check(&o);
}
END_TEST

/* ------------------------------------------------------------ undecided */

/* VM a's VMM page tables outside the dump: its guest pages' hosts are unknown */
static void plant_pgd_outside(struct opened *o)
{
	put64(o, fact(o, "kvm.a.mm") + off("mm_struct.pgd"), LINEAR | OUTSIDE);
}

START_TEST(host_unknown)
{
	struct opened o;

	open_check("kvm-tables", _i, false, plant_pgd_outside, true, &o);
	if (o.skipped)
		return;
	ck_assert_uint_eq(tce_finding_count(o.a), 0);
	assert_unknown(&o, "TCE-ENTRY-NO-PAGE", "is unknown");
	assert_unknown(&o, "TCE-DMA-FREED", "is unknown");
	assert_unknown(&o, "TCE-KVM-HW-MISMATCH", "is unknown");
	/* what does not need the host page is still decided */
	ck_assert_int_eq(tce_rule_outcome(o.a, TCE_RULE_KVM_NO_MEMSLOT, NULL), TCE_OUTCOME_PASS);
	ck_assert_int_eq(tce_rule_outcome(o.a, rule_of("TCE-ENTRY-MISALIGNED"), NULL),
			 TCE_OUTCOME_PASS);
	close_check(&o);
}
END_TEST

START_TEST(no_types)
{
	struct opened o;
	unsigned r;

	/* every table rule, that of the seed2013 model too */
	open_setup("kvm-tables", _i, true, NULL, false, select_seed, &o);
	if (o.skipped)
		return;
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		const char *reason = NULL;

		if (tce_rule(r)->area != TCE_AREA_TABLES)
			continue;
		ck_assert_int_eq(tce_rule_outcome(o.a, r, &reason), TCE_OUTCOME_UNKNOWN);
		ck_assert_msg(reason && strstr(reason, "vm_list"), "%s: %s", tce_rule(r)->id,
			      reason ? reason : "");
	}
	ck_assert_uint_eq(tce_finding_count(o.a), 0);
	close_check(&o);
}
END_TEST

/* powernv-tables with hose_list emptied and kvm-tables with vm_list emptied: a machine
 * with neither, so no table at all */
static void empty_lists(struct opened *o)
{
	uint64_t head = fk_symbol(o->res.k, "hose_list");

	ck_assert_uint_ne(head, 0);
	put64(o, head, head);
	put64(o, head + 8, head);
}

START_TEST(no_tables)
{
	struct opened o;
	unsigned r;

	open_setup("powernv-tables", _i, true, empty_lists, true, select_seed, &o);
	if (o.skipped)
		return;
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		const char *reason = NULL;

		if (tce_rule(r)->area != TCE_AREA_TABLES)
			continue;
		ck_assert_msg(tce_rule_outcome(o.a, r, &reason) == TCE_OUTCOME_NOT_APPLICABLE,
			      "%s: %s (%s)", tce_rule(r)->id,
			      tce_outcome_name(tce_rule_outcome(o.a, r, NULL)),
			      reason ? reason : "");
		ck_assert_str_eq(reason, "the dump holds no TCE table");
	}
	ck_assert_uint_eq(tce_finding_count(o.a), 0);
	close_check(&o);
}
END_TEST

/*
 * What the pass asks the rules' quiet() about a batch (its sum, made before any fact
 * is) must hold everything the batch's facts hold: a bit it lacked would let a batch
 * with a finding go unchecked.  A visitor that is never quiet sees every batch's facts
 * and the sum with them; on scenarios whose pages, entries and tables are of every kind
 * the rules look at, the sum holds each fact's share as model.h defines it.
 */
struct sum_audit {
	struct fact_sum asked;        /* quiet()'s last question */
	bool have;
	uint64_t batches, facts;
	unsigned has;                 /* every bit the facts held */
};

static bool audit_quiet(void *data, const struct fact_sum *s)
{
	struct sum_audit *a = data;

	a->asked = *s;
	a->have = true;
	return false;
}

static int audit_entries(void *data, const struct entry_fact *f, size_t n,
			 const struct fact_sum *s)
{
	struct sum_audit *a = data;
	struct fact_sum own = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		const struct tce_table_entry *e = f[i].e;
		bool present = e->host_state == TCE_HOST_PRESENT;

		own.raw |= e->raw;
		own.states |= 1u << e->host_state;
		own.count[e->host_state]++;
		own.hw_no += f[i].hw_same == F_NO;
		own.hw_unknown += f[i].hw_same == F_UNKNOWN;
		own.itmap_no += f[i].itmap == F_NO;
		own.itmap_unknown += f[i].itmap == F_UNKNOWN;
		own.has |= f[i].device ? FS_DEVICE : 0;
		own.has |= present && f[i].managed != F_YES ? FS_UNMANAGED : 0;
		own.has |= f[i].itmap == F_NO || f[i].itmap == F_UNKNOWN ? FS_ITMAP : 0;
		own.has |= f[i].hw_same == F_NO || f[i].hw_same == F_UNKNOWN ? FS_HW : 0;
		own.has |= present && f[i].page_err ? FS_PAGE_ERR : 0;
		if (f[i].pg && ((f[i].pg->states & FS_PAGE_STATES) || f[i].pg->refcount <= 0))
			own.has |= FS_PAGE_ODD;
		ck_assert_ptr_eq(f[i].t, f->t);
	}
	ck_assert_ptr_eq(s->t, f->t);
	ck_assert_uint_le(s->first, f[0].e->index);
	ck_assert_uint_ge(s->last, f[n - 1].e->index);
	ck_assert_uint_eq(s->raw & own.raw, own.raw);
	ck_assert_uint_eq(s->states & own.states, own.states);
	ck_assert_uint_eq(s->has & own.has, own.has);
	/* the counts are the whole batch's, of which these facts may be a part */
	for (i = 0; i < TCE_HOST_STATES; i++)
		ck_assert_uint_ge(s->count[i], own.count[i]);
	ck_assert_uint_ge(s->hw_no, own.hw_no);
	ck_assert_uint_ge(s->hw_unknown, own.hw_unknown);
	ck_assert_uint_ge(s->itmap_no, own.itmap_no);
	ck_assert_uint_ge(s->itmap_unknown, own.itmap_unknown);
	/* what quiet() was asked is what the rules get (VFIO's tables are not asked) */
	if (!f->t->vfio) {
		ck_assert(a->have);
		ck_assert_uint_eq(a->asked.raw, s->raw);
		ck_assert_uint_eq(a->asked.states, s->states);
		ck_assert_uint_eq(a->asked.has, s->has);
		ck_assert_mem_eq(a->asked.count, s->count, sizeof(s->count));
		ck_assert_uint_eq(a->asked.hw_no + a->asked.itmap_no, s->hw_no + s->itmap_no);
	}
	a->batches++;
	a->facts += n;
	a->has |= own.has;
	return 0;
}

static void plant_freed_zoo(struct opened *o)
{
	hw_put(o, "tbl.t0", 5, pfn_tce(o, FORGE_ZOO_BUDDY));
	hw_put(o, "tbl.t0", 6, pfn_tce(o, FORGE_ZOO_REFCOUNT0));
	hw_put(o, "tbl.t0", 7, pfn_tce(o, FORGE_ZOO_TAIL));
}

START_TEST(pass_sum_holds_facts)
{
	static const struct {
		const char *scenario;
		plant_fn *plant;
		unsigned has;                 /* the facts must hold these, or the
						 scenario tests nothing */
	} cases[] = {
		{ "powernv-tables", plant_freed_zoo, FS_PAGE_ODD },
		{ "powernv-tables", plant_page_unreadable, FS_PAGE_ERR },
		{ "powernv-tables", plant_device, FS_DEVICE },
		{ "powernv-tables", plant_itmap, FS_ITMAP },
		{ "kvm-tables", plant_kvm_freed, FS_PAGE_ODD },
		{ "kvm-tables", plant_hw_other, FS_HW },
	};
	unsigned c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct sum_audit a = { .have = false };
		struct table_visitor v = {
			.data = &a, .entries = audit_entries, .quiet = audit_quiet,
		};
		struct opened o;

		open_check(cases[c].scenario, _i, false, cases[c].plant, true, &o);
		if (o.skipped)
			return;
		ck_assert_int_eq(tce_analysis_table_pass(o.a, &v), 0);
		ck_assert_uint_gt(a.batches, 0);
		ck_assert_msg((a.has & cases[c].has) == cases[c].has, "case %u: facts hold "
			      "0x%x, not 0x%x", c, a.has, cases[c].has);
		close_check(&o);
	}
}
END_TEST

/*
 * Verdicts (tables.c's probe()): where a table's entries repeat, a batch whose every
 * entry's value was met before is judged from what those entries brought to their
 * batch's sum, without its facts, when the rules would say nothing of it.  On a4k (a
 * VM's table with nothing looked up by index), two runs of VD_RUN entries, each mapping
 * host pages page after page (guest pages 64K apart, 4K IOMMU pages): A on pages
 * vd_first + VD_OTHER.., B on pages vd_first..; then A, B again, and one more entry
 * continuing the last B onto a page that holds no reference.  The second A and B are
 * judged by their verdicts (the second B's run begins inside such a batch, A's run
 * before it on other pages); the last entry's fact has the second B's first page and
 * entry as its run's: a buffer (no finding) when that page is aligned to a block
 * spanning the run, a freed page when it is not, as without verdicts.  Then B and the
 * last entry again: a batch of values all met before, one of them on the page that
 * holds no reference, is not quiet, and is judged entry by entry.  So is one with an
 * entry in no memslot (vd_noslot), met before.
 */
#define VD_RUN 256
#define VD_OTHER 1024
#define VD_GPA_A 0x50000000ULL
#define VD_GPA_B 0x60000000ULL
static uint64_t vd_first;
static bool vd_noslot;          /* A's entry VD_NOSLOT maps a guest address no memslot
				   holds */
#define VD_NOSLOT 128
#define VD_NOSLOT_GPA 0x200000000ULL

/* the first entry of the runs (a leaf of their own), and the last entry */
static uint64_t vd_base(const struct opened *o)
{
	return 24 * ((1ULL << o->shift) / 8);
}

static uint64_t vd_last(const struct opened *o)
{
	return vd_base(o) + 4 * VD_RUN;
}

/* n guest pages from gpa mapped to host pages pfn.., each referenced but the last
 * when freed_last */
static void vd_map(struct opened *o, uint64_t gpa, uint64_t pfn, uint64_t n, bool freed_last)
{
	struct fk *k = o->res.k;
	uint64_t kvm = fact(o, "kvm.a"), mm = fact(o, "kvm.a.mm"), ua, j;

	ck_assert_uint_lt(pfn + n, fact(o, "ram_bytes") >> o->shift);
	for (j = 0; j < n; j++) {
		struct fk_page p;

		ok(o, fk_kvm_gpa_to_ua(k, kvm, gpa + (j << 16), &ua));
		ok(o, fk_user_map(k, mm, ua, pfn + j));
		ok(o, fk_get_page(k, pfn + j, &p));
		p.refcount = freed_last && j == n - 1 ? 0 : 1;
		p.flags &= ~(1ULL << FK_PG_LRU | 1ULL << FK_PG_SWAPBACKED);
		ok(o, fk_set_page(k, pfn + j, &p));
	}
}

static void plant_repeats(struct opened *o)
{
	uint64_t a4k = fact(o, "stt.a4k"), e = vd_base(o), j;
	unsigned r;

	ck_assert_uint_eq(o->shift, 16);
	vd_map(o, VD_GPA_A, vd_first + VD_OTHER, VD_RUN, false);
	vd_map(o, VD_GPA_B, vd_first, VD_RUN + 1, true);
	for (r = 0; r < 4; r++)
		for (j = 0; j < VD_RUN; j++)
			ok(o, fk_kvm_stt_put(o->res.k, a4k, e++,
					     (!(r & 1) && vd_noslot && j == VD_NOSLOT ?
					      VD_NOSLOT_GPA : (r & 1 ? VD_GPA_B : VD_GPA_A) +
					      (j << 16)) | 3));
	ok(o, fk_kvm_stt_put(o->res.k, a4k, e++, (VD_GPA_B + (VD_RUN << 16)) | 3));
	/* B and its last entry once more: every value met before, the last page's
	 * verdict says it holds no reference, so the batch is not judged by verdicts */
	for (j = 0; j <= VD_RUN; j++)
		ok(o, fk_kvm_stt_put(o->res.k, a4k, e++, (VD_GPA_B + (j << 16)) | 3));
	/* ... in a batch of whole entries: B's first ones after it */
	for (j = 0; j < VD_RUN; j++)
		ok(o, fk_kvm_stt_put(o->res.k, a4k, e++, (VD_GPA_B + (j << 16)) | 3));
}

/* a visitor as the rules': quiet unless a page is odd; a4k's batches judged by
 * verdicts and the last entry's fact kept */
struct vd_seen {
	uint64_t last, vd_batches, run_start, run_pfn;
	bool have;
};

static bool vd_quiet(void *data, const struct fact_sum *s)
{
	(void)data;
	return !(s->has & FS_PAGE_ODD);
}

static int vd_entries(void *data, const struct entry_fact *f, size_t n,
		      const struct fact_sum *s)
{
	struct vd_seen *v = data;
	size_t i;

	(void)s;
	for (i = 0; i < n; i++)
		if (f[i].e->index == v->last) {
			v->have = true;
			v->run_start = f[i].run_start;
			v->run_pfn = f[i].run_first ? f[i].run_first->pfn : 0;
		}
	return 0;
}

static int vd_table(void *data, const struct table_fact *t)
{
	struct vd_seen *v = data;

	if (t->info->kind == TCE_TABLE_KVM && t->info->id == 0x80000000 &&
	    t->info->page_shift == 12)
		v->vd_batches = t->vd_batches;
	return 0;
}

START_TEST(verdict_batches)
{
	struct opened o;
	char key[80];
	uint64_t last;
	unsigned i;

	/* aligned to 512 pages, which span the run's 257: one buffer */
	vd_first = 0x3000;
	open_check("kvm-tables", _i, false, plant_repeats, true, &o);
	if (o.skipped)
		return;
	ck_assert_uint_eq(count_of(&o, "TCE-DMA-FREED"), 0);
	ck_assert_int_eq(tce_rule_outcome(o.a, TCE_RULE_DMA_FREED, NULL), TCE_OUTCOME_PASS);
	{
		struct vd_seen v = { .last = vd_last(&o) };
		struct table_visitor tv = {
			.data = &v, .entries = vd_entries, .quiet = vd_quiet, .table = vd_table,
		};

		ck_assert_int_eq(tce_analysis_table_pass(o.a, &tv), 0);
		/* the second A and B: 512 entries, 3 whole batches at least */
		ck_assert_uint_ge(v.vd_batches, 3);
		ck_assert(v.have);
		ck_assert_uint_eq(v.run_start, vd_base(&o) + 3 * VD_RUN);
		ck_assert_uint_eq(v.run_pfn, vd_first);
	}
	close_check(&o);
	/* one page further: no allocation of 512 pages starts there, the last page is
	 * freed */
	vd_first = 0x3001;
	open_check("kvm-tables", _i, false, plant_repeats, true, &o);
	ck_assert_uint_eq(tce_finding_count(o.a), 2);
	for (i = 0; i < 2; i++) {
		const struct tce_finding *f = tce_finding(o.a, i);

		last = vd_last(&o) + i * (VD_RUN + 1);
		keyf(key, sizeof(key), "kvm:pid=1001:liobn=0x80000000:bus=0x%" PRIx64,
		     last << 12);
		ck_assert_str_eq(f->id, "TCE-DMA-FREED");
		ck_assert_str_eq(f->key, key);
		ck_assert_int_eq(f->severity, TCE_SEV_ERROR);
		ck_assert(strstr(f->message, "whose _refcount is 0"));
		ck_assert_uint_eq(f->pfn_first, vd_first + VD_RUN);
	}
	close_check(&o);
	/* an entry in no memslot in both A: a finding each, the second one's batch
	 * judged entry by entry too */
	vd_first = 0x3000;
	vd_noslot = true;
	open_check("kvm-tables", _i, false, plant_repeats, true, &o);
	vd_noslot = false;
	ck_assert_uint_eq(count_of(&o, "TCE-DMA-FREED"), 0);
	ck_assert_uint_eq(tce_finding_count(o.a), 2);
	for (i = 0; i < 2; i++) {
		keyf(key, sizeof(key), "kvm:pid=1001:liobn=0x80000000:bus=0x%" PRIx64,
		     (vd_base(&o) + 2 * i * VD_RUN + VD_NOSLOT) << 12);
		ck_assert_str_eq(tce_finding(o.a, i)->id, "TCE-KVM-NO-MEMSLOT");
		ck_assert_str_eq(tce_finding(o.a, i)->key, key);
	}
	close_check(&o);
}
END_TEST

/*
 * A table whose entries are findings by the thousand: past TCE_FINDINGS_PER_RULE, a
 * batch of them is counted from its sum (the rules' count()), its entries' facts never
 * made: CAP_DISTINCT entries at guest addresses in no memslot, a page each (the fill's
 * way), then CAP_SAME entries of one such address (the verdicts').  The findings
 * listed are the first ones in table order and the count says how many more, as
 * checking each entry does; most of the dropped ones were only counted.
 */
#define CAP_DISTINCT 1500
#define CAP_SAME 1500
#define CAP_GPA 0x200000000ULL

static void plant_noslots(struct opened *o)
{
	uint64_t a4k = fact(o, "stt.a4k"), e = vd_base(o), j;

	for (j = 0; j < CAP_DISTINCT; j++)
		ok(o, fk_kvm_stt_put(o->res.k, a4k, e++, (CAP_GPA + (j << 16)) | 3));
	for (j = 0; j < CAP_SAME; j++)
		ok(o, fk_kvm_stt_put(o->res.k, a4k, e++, CAP_GPA | 3));
}

START_TEST(counted_past_cap)
{
	const uint64_t all = CAP_DISTINCT + CAP_SAME;
	const struct tce_finding *f;
	char key[80], more[32];
	struct opened o;
	uint64_t n = 0;
	size_t i;

	open_check("kvm-tables", _i, false, plant_noslots, true, &o);
	if (o.skipped)
		return;
	keyf(more, sizeof(more), "more:%" PRIu64, all - TCE_FINDINGS_PER_RULE);
	for (i = 0; (f = tce_finding(o.a, i)) != NULL; i++) {
		if (strcmp(f->id, "TCE-KVM-NO-MEMSLOT"))
			continue;
		if (n < TCE_FINDINGS_PER_RULE)
			keyf(key, sizeof(key), "kvm:pid=1001:liobn=0x80000000:bus=0x%" PRIx64,
			     (vd_base(&o) + n) << 12);
		ck_assert_str_eq(f->key, n < TCE_FINDINGS_PER_RULE ? key : more);
		n++;
	}
	ck_assert_uint_eq(n, TCE_FINDINGS_PER_RULE + 1);
	/* all but the batches the cap falls in, or a split table's second half's first */
	ck_assert_uint_ge(tce_analysis_counted(o.a), CAP_SAME);
	ck_assert_uint_le(tce_analysis_counted(o.a), all - TCE_FINDINGS_PER_RULE);
	close_check(&o);
}
END_TEST

/*
 * The memos grow (tables.c's memo of struct pages and its verdicts, kvm-vm.c's VM memo
 * of translations): a4k maps GROW_PAGES guest pages in turn, GROW_ROUNDS times, read-
 * only, write-only and read-write in turn (3 * GROW_PAGES values): more pages than the
 * pass's first memo holds (3840), than its VM's memo of translations (4096 slots), more
 * values than its first verdicts (4096).  In a pass of one thread before the check (its
 * counts are that pass's, the VM's memo fresh): each memo doubles, the struct pages are
 * read about once each (without the growth, once an entry), the VMM's page tables
 * walked about once a page, the later rounds judged by verdicts; and the findings are
 * those of a check without verdicts.  A table mapping ONCE_PAGES pages once each fills
 * and empties them as often, and grows none: it reads each page once.
 */
#define GROW_PAGES 6000
#define GROW_ROUNDS 6
#define ONCE_PAGES 12000
#define GROW_GPA 0x40000000ULL
#define GROW_PFN 0x3000

static void plant_cycle(struct opened *o)
{
	uint64_t a4k = fact(o, "stt.a4k"), e = vd_base(o), r, j;

	ck_assert_uint_eq(o->shift, 16);
	vd_map(o, GROW_GPA, GROW_PFN, GROW_PAGES, false);
	for (r = 0; r < GROW_ROUNDS; r++)
		for (j = 0; j < GROW_PAGES; j++, e++)
			ok(o, fk_kvm_stt_put(o->res.k, a4k, e, (GROW_GPA + (j << 16)) | (1 + e % 3)));
}

static void plant_once(struct opened *o)
{
	uint64_t a4k = fact(o, "stt.a4k"), e = vd_base(o), j;

	ck_assert_uint_eq(o->shift, 16);
	vd_map(o, GROW_GPA, GROW_PFN, ONCE_PAGES, false);
	for (j = 0; j < ONCE_PAGES; j++, e++)
		ok(o, fk_kvm_stt_put(o->res.k, a4k, e, (GROW_GPA + (j << 16)) | 3));
}

static struct grow_seen {
	uint64_t page_reads, gpa_walks, vd_batches;
	unsigned memo_grown, vd_grown, gpa_grown;
	bool have, split;
} grow_seen;

static int grow_table(void *data, const struct table_fact *t)
{
	struct grow_seen *g = data;

	if (t->info->kind == TCE_TABLE_KVM && t->info->id == 0x80000000 &&
	    t->info->page_shift == 12) {
		g->page_reads = t->page_reads;
		g->gpa_walks = t->gpa_walks;
		g->vd_batches = t->vd_batches;
		g->memo_grown = t->memo_grown;
		g->vd_grown = t->vd_grown;
		g->gpa_grown = t->gpa_grown;
		g->split = t->split;
		g->have = true;
	}
	return 0;
}

/* the table pass before the check (open_setup()'s setup) */
static void grow_pass(struct opened *o)
{
	struct table_visitor tv = {
		.data = &grow_seen, .quiet = vd_quiet, .table = grow_table,
	};

	memset(&grow_seen, 0, sizeof(grow_seen));
	ck_assert_int_eq(tce_analysis_table_pass(o->a, &tv), 0);
	ck_assert(grow_seen.have);
}

START_TEST(memos_grow)
{
	const struct grow_seen *g = &grow_seen;
	struct opened o, plain;
	size_t i, n;

	setenv("TCE_INSPECT_THREADS", "1", 1);
	open_setup("kvm-tables", _i, false, plant_cycle, true, grow_pass, &o);
	if (o.skipped) {
		unsetenv("TCE_INSPECT_THREADS");
		return;
	}
	ck_assert_uint_ge(g->memo_grown, 1);
	ck_assert_uint_ge(g->vd_grown, 1);
	ck_assert_uint_ge(g->gpa_grown, 1);
	ck_assert_msg(g->page_reads < 3 * GROW_PAGES, "%" PRIu64 " struct pages read for %d "
		      "entries on %d pages", g->page_reads, GROW_PAGES * GROW_ROUNDS, GROW_PAGES);
	ck_assert_msg(g->gpa_walks < 3 * GROW_PAGES, "%" PRIu64 " page-table walks for %d "
		      "entries on %d pages", g->gpa_walks, GROW_PAGES * GROW_ROUNDS, GROW_PAGES);
	ck_assert_uint_ge(g->vd_batches, GROW_PAGES / 128);
	/* the same findings without verdicts */
	setenv("TCE_INSPECT_VERDICTS", "0", 1);
	open_check("kvm-tables", _i, false, plant_cycle, true, &plain);
	unsetenv("TCE_INSPECT_VERDICTS");
	n = tce_finding_count(o.a);
	ck_assert_uint_eq(tce_finding_count(plain.a), n);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(tce_finding(o.a, i)->id, tce_finding(plain.a, i)->id);
		ck_assert_str_eq(tce_finding(o.a, i)->key, tce_finding(plain.a, i)->key);
	}
	close_check(&plain);
	close_check(&o);
	/* pages met once each: nothing grows */
	open_setup("kvm-tables", _i, false, plant_once, true, grow_pass, &o);
	unsetenv("TCE_INSPECT_THREADS");
	ck_assert_uint_eq(g->memo_grown, 0);
	ck_assert_uint_eq(g->vd_grown, 0);
	ck_assert_uint_eq(g->gpa_grown, 0);
	/* (and the few pages the scenario's own entries of a4k map) */
	ck_assert_uint_ge(g->page_reads, ONCE_PAGES);
	ck_assert_uint_le(g->page_reads, ONCE_PAGES + 8);
	close_check(&o);
}
END_TEST

/*
 * A verdict is an entry's page's, whatever its permission: a4k maps PERM_PAGES guest
 * pages read-write, then read-only, then write-only.  The second and third rounds are
 * judged by the verdicts the first learnt (verdicts by raw value learn each round anew
 * and judge none of it).
 */
#define PERM_PAGES 1024

static void plant_perms(struct opened *o)
{
	uint64_t a4k = fact(o, "stt.a4k"), e = vd_base(o), r, j;

	ck_assert_uint_eq(o->shift, 16);
	vd_map(o, GROW_GPA, GROW_PFN, PERM_PAGES, false);
	for (r = 0; r < 3; r++)
		for (j = 0; j < PERM_PAGES; j++, e++)
			ok(o, fk_kvm_stt_put(o->res.k, a4k, e,
					     (GROW_GPA + (j << 16)) | (r ? r : 3)));
}

/* kvm-tables with plant, the pass setup() runs before the check in one thread (its
 * counts are one pass's); false when the forge cannot write the scenario here */
static bool open_one_thread(int i, plant_fn *plant, void (*setup)(struct opened *o),
			    struct opened *o)
{
	setenv("TCE_INSPECT_THREADS", "1", 1);
	open_setup("kvm-tables", i, false, plant, true, setup, o);
	unsetenv("TCE_INSPECT_THREADS");
	return !o->skipped;
}

START_TEST(verdicts_by_page)
{
	struct opened o;

	if (!open_one_thread(_i, plant_perms, grow_pass, &o))
		return;
	/* two rounds of eight batches, but for those a round's ends share */
	ck_assert_uint_ge(grow_seen.vd_batches, 2 * PERM_PAGES / 128 - 2);
	close_check(&o);
}
END_TEST

/*
 * A walk of the VMM's page tables that the dump cannot serve is kept in the VM's memo
 * with its message, as a walk that succeeds is: a4k maps FAIL_PAGES guest pages
 * FAIL_ROUNDS times over while VM a's page tables lie outside the dump.  The tables are
 * walked about once a page (a kdump that lost them walked and formatted the failure at
 * each of 10M entries), and every entry's host is unknown, its message naming its own
 * address, as each walk says.
 */
#define FAIL_PAGES 64
#define FAIL_ROUNDS 8

/* VM a's top-level page table's entries (big-endian table pointers: bit 63 set, bit
 * 62, a leaf's, clear) made to point outside the dump: the PGD reads, the walk below it
 * fails.  Its entries: 2^13 (radix), 2^8 or 2^9 (the hash MMU's tree, 64K or 4K pages) */
static void plant_pud_outside(struct opened *o)
{
	struct forge *f = fk_forge(o->res.k);
	uint64_t pgd = get64(o, fact(o, "kvm.a.mm") + off("mm_struct.pgd")) - LINEAR, w, v;
	unsigned i, n = 0, entries = fk_opts(o->res.k)->radix ? 8192 : o->shift == 16 ? 256 : 512;
	bool swap;

	for (i = 0; i < entries; i++) {
		if (forge_get_u64(f, pgd + 8 * i, &w) || !w)
			continue;
		/* read in the forge's byte order: the big-endian entry may come swapped */
		swap = w >> 62 != 2;
		v = swap ? __builtin_bswap64(w) : w;
		ck_assert_uint_eq(v >> 62, 2);
		v = (v & ~0x0fffffffffffff00ULL) | OUTSIDE;
		ck_assert_int_eq(forge_put_u64(f, pgd + 8 * i, swap ? __builtin_bswap64(v) : v), 0);
		n++;
	}
	ck_assert_uint_gt(n, 0);
}

static void plant_fail_cycle(struct opened *o)
{
	uint64_t a4k = fact(o, "stt.a4k"), e = vd_base(o), r, j;

	vd_map(o, GROW_GPA, GROW_PFN, FAIL_PAGES, false);
	plant_pud_outside(o);
	for (r = 0; r < FAIL_ROUNDS; r++)
		for (j = 0; j < FAIL_PAGES; j++)
			ok(o, fk_kvm_stt_put(o->res.k, a4k, e++, (GROW_GPA + (j << 16)) | 3));
}

static uint64_t fail_base, fail_seen;

static int fail_entries(void *data, const struct entry_fact *f, size_t n,
			const struct fact_sum *sum)
{
	char at[64];
	size_t i;

	(void)data;
	(void)sum;
	for (i = 0; i < n; i++) {
		const struct tce_table_entry *e = f[i].e;

		if (f[i].t->info->page_shift != 12 || e->index < fail_base ||
		    e->index >= fail_base + FAIL_PAGES * FAIL_ROUNDS)
			continue;
		keyf(at, sizeof(at), "the VMM's page tables at 0x%" PRIx64 ": ", e->hva);
		ck_assert_int_eq(e->host_state, TCE_HOST_UNKNOWN);
		ck_assert_msg(e->host_why && !strncmp(e->host_why, at, strlen(at)),
			      "entry 0x%" PRIx64 ": %s", e->index, e->host_why);
		fail_seen++;
	}
	return 0;
}

static void fail_pass(struct opened *o)
{
	struct table_visitor tv = {
		.data = &grow_seen, .entries = fail_entries, .table = grow_table,
	};

	memset(&grow_seen, 0, sizeof(grow_seen));
	fail_base = vd_base(o);
	fail_seen = 0;
	ck_assert_int_eq(tce_analysis_table_pass(o->a, &tv), 0);
	ck_assert(grow_seen.have);
}

START_TEST(host_unknown_memo)
{
	struct opened o;

	if (!open_one_thread(_i, plant_fail_cycle, fail_pass, &o))
		return;
	ck_assert_uint_eq(fail_seen, FAIL_PAGES * FAIL_ROUNDS);
	/* (and the pages the scenario's own entries of a4k map) */
	ck_assert_uint_le(grow_seen.gpa_walks, FAIL_PAGES + 8);
	assert_unknown(&o, "TCE-ENTRY-NO-PAGE", "is unknown");
	close_check(&o);
}
END_TEST

/*
 * A table is split over two threads by what its populated part can hold, not by its
 * window: a4k's window is 256K entries, of which the scenario writes three of its
 * table pages (8192 entries a page on 64K pages).  One entry more on another page:
 * five pages, fewer than SPLIT_MIN (65536) entries, one thread.  One on each of as
 * many pages as SPLIT_MIN needs: two threads where there are two processors to run
 * them.  TCE_INSPECT_THREADS=2 splits even the first.
 */
static uint64_t split_pages;

/* the second half's data: the same (its table is the first's) */
static void *split_fork(void *data)
{
	return data;
}

static int split_join(void *data, void *child, bool keep)
{
	(void)data;
	(void)child;
	(void)keep;
	return 0;
}

/* grow_pass() with halves */
static void split_pass(struct opened *o)
{
	struct table_visitor tv = {
		.data = &grow_seen, .quiet = vd_quiet, .table = grow_table,
		.fork = split_fork, .join = split_join,
	};

	memset(&grow_seen, 0, sizeof(grow_seen));
	ck_assert_int_eq(tce_analysis_table_pass(o->a, &tv), 0);
	ck_assert(grow_seen.have);
}

static void plant_pages(struct opened *o)
{
	uint64_t a4k = fact(o, "stt.a4k"), per = (1ULL << o->shift) / 8, j;

	vd_map(o, GROW_GPA, GROW_PFN, 1, false);
	for (j = 0; j < split_pages; j++)
		ok(o, fk_kvm_stt_put(o->res.k, a4k, (10 + j) * per, GROW_GPA | 3));
}

START_TEST(split_by_populated)
{
	cpu_set_t cpus;
	bool two = !sched_getaffinity(0, sizeof(cpus), &cpus) && CPU_COUNT(&cpus) >= 2;
	struct opened o;

	unsetenv("TCE_INSPECT_THREADS");
	split_pages = 1;
	open_setup("kvm-tables", _i, false, plant_pages, true, split_pass, &o);
	if (o.skipped)
		return;
	ck_assert(!grow_seen.split);
	close_check(&o);
	split_pages = 65536 / ((1ULL << o.shift) / 8) + 1;
	open_setup("kvm-tables", _i, false, plant_pages, true, split_pass, &o);
	ck_assert_int_eq(grow_seen.split, two);
	close_check(&o);
	setenv("TCE_INSPECT_THREADS", "2", 1);
	split_pages = 1;
	open_setup("kvm-tables", _i, false, plant_pages, true, split_pass, &o);
	unsetenv("TCE_INSPECT_THREADS");
	ck_assert(grow_seen.split);
	close_check(&o);
}
END_TEST

static Suite *rules_tables_suite(void)
{
	Suite *s = suite_create("rules-tables");
	TCase *tc = tcase_create("forge");

	tcase_set_timeout(tc, 600);
	/* bit 0: big-endian, bit 1: radix (the forge's hash machine has no vmalloc
	 * page tables: it_map reads unknown there) */
	tcase_add_loop_test(tc, healthy_powernv, 0, 4);
	tcase_add_loop_test(tc, healthy_kvm, 0, 2);
	tcase_add_loop_test(tc, scenario_as_forged, 0, 2);
	tcase_add_loop_test(tc, entry_no_page, 0, 2);
	tcase_add_loop_test(tc, entry_device, 0, 2);
	tcase_add_loop_test(tc, entry_reserved_bits, 0, 2);
	tcase_add_loop_test(tc, entry_misaligned, 0, 2);
	tcase_add_loop_test(tc, findings_entry_order, 0, 2);
	tcase_add_loop_test(tc, entry_reserved_range, 0, 2);
	tcase_add_loop_test(tc, level_bad, 0, 2);
	tcase_add_loop_test(tc, table_overfull, 0, 2);
	tcase_add_loop_test(tc, dma_freed, 0, 2);
	tcase_add_loop_test(tc, dma_freed_buffer, 0, 2);
	tcase_add_loop_test(tc, itmap_clear, 0, 4);
	tcase_add_loop_test(tc, kvm_no_memslot, 0, 2);
	tcase_add_loop_test(tc, kvm_hw_mismatch, 0, 2);
	tcase_add_loop_test(tc, kvm_hw_subpages, 0, 2);
	tcase_add_loop_test(tc, kvm_hw_parts, 0, 4);
	tcase_add_loop_test(tc, shared_table, 0, 2);
	tcase_add_loop_test(tc, seed_refs_model, 0, 2);
	tcase_add_loop_test(tc, seed_refs, 0, 2);
	tcase_add_loop_test(tc, host_unknown, 0, 2);
	tcase_add_loop_test(tc, no_types, 0, 2);
	tcase_add_loop_test(tc, no_tables, 0, 2);
	tcase_add_loop_test(tc, pass_sum_holds_facts, 0, 2);
	tcase_add_loop_test(tc, verdict_batches, 0, 2);
	tcase_add_loop_test(tc, counted_past_cap, 0, 2);
	tcase_add_loop_test(tc, memos_grow, 0, 2);
	tcase_add_loop_test(tc, verdicts_by_page, 0, 2);
	tcase_add_loop_test(tc, host_unknown_memo, 0, 2);
	tcase_add_loop_test(tc, split_by_populated, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(rules_tables_suite());
}
