// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-TABLE-OVERFULL: valid TCEs past the end of the window. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

static int table(struct rule_ctx *c, const struct table_fact *t)
{
	char key[192];

	if (t->walk_err)
		return 0;
	if (!t->beyond_known && !t->beyond)
		return tce_rule_undecided(c, "%s: memory past its window is not all in the "
					  "dump", t->key);
	if (!t->beyond)
		return 0;
	snprintf(key, sizeof(key), "%s:beyond", t->key);
	return tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key, "%s: %" PRIu64 " valid "
				"entr%s past the window of %" PRIu64 " entries, the first at "
				"position 0x%" PRIx64 " (tce 0x%" PRIx64 ")", t->key, t->beyond,
				t->beyond == 1 ? "y" : "ies", t->info->entries,
				t->beyond_first, t->beyond_raw);
}

const struct rule_def tce_rule_table_overfull = {
	.info = {
		.rule = TCE_RULE_TABLE_OVERFULL,
		.id = "TCE-TABLE-OVERFULL",
		.severity = TCE_SEV_ERROR,
		.summary = "valid TCEs past the end of the table's window",
		.why = "A table's memory is allocated in whole pages or levels, so it can "
		       "hold more entries than its window; no kernel path writes past the "
		       "window (the bus addresses would lie outside it).  Valid entries there "
		       "come from an index computed against another window size (a "
		       "resized or reused table) or from memory corruption.",
		.model = "only entries 0 .. it_size-1 (kvm: size-1) are ever written",
		.area = TCE_AREA_TABLES,
	},
	.table = table,
};
