/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Named forge scenarios: whole synthetic vmcores built on the kernel layer (a clean
 * boot, the hotplug sequence that breaks vmemmap_list's order, each vmemmap_list
 * fault, truncated and foreign files) together with the facts a test needs about
 * them (pfns of interest, entry indices, sizes) as named values.  tce-forge is a thin
 * CLI over this; C tests can call it directly.
 */
#ifndef TCE_FORGE_SCENARIO_H
#define TCE_FORGE_SCENARIO_H

#include "forge.h"

#define FORGE_SCENARIO_MAX_FACTS 48

struct forge_fact {
	char name[40];
	uint64_t value;
};

struct forge_scenario_result {
	struct fk *k;                   /* the machine, ready for fk_write_file() */
	struct forge_write_opts wopts;  /* the faults this scenario writes with */
	struct forge_fact facts[FORGE_SCENARIO_MAX_FACTS];
	unsigned nfacts;
};

/* Number of scenarios, and the name / one-line description of scenario i. */
unsigned forge_scenario_count(void);
const char *forge_scenario_name(unsigned i);
const char *forge_scenario_desc(unsigned i);

/*
 * Builds scenario name on a machine described by opts (endian, page_shift,
 * struct_page_size, radix are honoured unless the scenario needs otherwise: straddle
 * picks a struct page size that does not divide the block, pgtable-mismatch is
 * radix).  ram_bytes and vmemmap_shift come from the scenario.  On success the caller
 * owns res->k (forge_scenario_release()).  -1 with a message in err otherwise.
 */
int forge_scenario_build(const char *name, const struct fk_opts *opts,
			 struct forge_scenario_result *res, char *err, size_t errlen);
/* Builds and writes in one step. */
int forge_scenario_write(const char *name, const struct fk_opts *opts, const char *path,
			 struct forge_scenario_result *res, char *err, size_t errlen);
void forge_scenario_release(struct forge_scenario_result *res);

/* A fact by name; def if the scenario does not have it. */
uint64_t forge_scenario_fact(const struct forge_scenario_result *res, const char *name,
			     uint64_t def);

/*
 * The page zoo: struct pages in interesting states, written by every scenario that
 * has boot memory at these pfns (facts "pfn.<state>" give them too).
 */
enum {
	FORGE_ZOO_BASE = 256,
	FORGE_ZOO_REFCOUNT0 = FORGE_ZOO_BASE + 0,  /* _refcount 0, not on a free list */
	FORGE_ZOO_REFCOUNT1 = FORGE_ZOO_BASE + 1,  /* as initialised */
	FORGE_ZOO_PINNED = FORGE_ZOO_BASE + 2,     /* _refcount 1025: one FOLL_PIN + 1 */
	FORGE_ZOO_BUDDY = FORGE_ZOO_BASE + 3,      /* free: _mapcount -129, order 0 */
	FORGE_ZOO_OFFLINE = FORGE_ZOO_BASE + 4,    /* _mapcount -257 */
	FORGE_ZOO_HWPOISON = FORGE_ZOO_BASE + 5,   /* PG_hwpoison */
	FORGE_ZOO_SLAB = FORGE_ZOO_BASE + 6,       /* PG_slab */
	FORGE_ZOO_LRU = FORGE_ZOO_BASE + 7,        /* PG_lru, mapped once, page cache */
	FORGE_ZOO_HEAD = FORGE_ZOO_BASE + 8,       /* order-2 compound head, _refcount 1 */
	FORGE_ZOO_TAIL = FORGE_ZOO_BASE + 9,       /* its first tail (order in it) */
	FORGE_ZOO_END = FORGE_ZOO_BASE + 12,
};
#define FORGE_ZOO_PINNED_REFCOUNT 1025
#define FORGE_ZOO_COMPOUND_ORDER 2

#endif /* TCE_FORGE_SCENARIO_H */
