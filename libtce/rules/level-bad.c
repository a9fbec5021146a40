// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-LEVEL-BAD: an indirect level of a multi-level table points outside RAM or is
 * misaligned. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

/* Is phys in a present memory section?  F_UNKNOWN without mem_section */
static enum fact3 in_ram(const struct sections *s, uint64_t phys)
{
	uint64_t nr = s->size_bits < 64 ? phys >> s->size_bits : 0;

	switch (tce_sections_lookup(s, nr, NULL)) {
	case SECT_ANS_PRESENT:
		return F_YES;
	case SECT_ANS_ABSENT:
		return F_NO;
	default:
		return F_UNKNOWN;
	}
}

static int table(struct rule_ctx *c, const struct table_fact *t)
{
	uint64_t i;
	char key[192];
	int ret;

	if (t->walk_err || t->info->kind != TCE_TABLE_IOMMU)
		return 0;
	for (i = 0; i < t->st.nodd && i < WALK_ODD_MAX; i++) {
		const struct odd_level *o = &t->st.odd[i];
		uint64_t next = o->value & ~3ULL;
		enum fact3 ram = o->misaligned || o->shared ? F_NO : in_ram(&c->m->sect, next);

		if (ram == F_YES) {
			tce_rule_undecided(c, "%s: the level at 0x%" PRIx64 " is in RAM but not "
					   "in the dump", t->key, next);
			continue;
		}
		if (ram == F_UNKNOWN) {
			tce_rule_undecided(c, "%s: the level at 0x%" PRIx64 " is not in the "
					   "dump, and without mem_section whether it is RAM is "
					   "unknown", t->key, next);
			continue;
		}
		snprintf(key, sizeof(key), "%s:level=%u:first=0x%" PRIx64, t->key, o->level,
			 o->first);
		ret = tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key, "%s: the indirect entry "
				       "0x%" PRIx64 " for entries from 0x%" PRIx64 " points %s",
				       t->key, o->value, t->info->offset + o->first,
				       o->misaligned ? "at an address no level can start at "
				       "(misaligned)" : o->shared ? "at a level an earlier "
				       "indirect entry points at (one level for two ranges)" :
				       "outside RAM");
		if (ret)
			return ret;
	}
	return 0;
}

const struct rule_def tce_rule_level_bad = {
	.info = {
		.rule = TCE_RULE_LEVEL_BAD,
		.id = "TCE-LEVEL-BAD",
		.severity = TCE_SEV_ERROR,
		.summary = "a TCE table's indirect level points outside RAM or is misaligned",
		.why = "The hardware walks the levels of a multi-level table itself: an "
		       "indirect entry that points outside RAM or not at the start of a "
		       "level makes every TCE under it garbage, and the device's DMA there "
		       "goes wherever that garbage says.  A level freed and reused "
		       "(pnv_pci_ioda2_table_free_pages() racing a lazy allocation), or "
		       "memory corruption of the table.",
		.model = "powernv levels (pnv_alloc_tce_level()) are whole power-of-two "
			 "blocks of RAM; an indirect entry is __pa(level) | read | write",
		.area = TCE_AREA_TABLES,
	},
	.table = table,
};
