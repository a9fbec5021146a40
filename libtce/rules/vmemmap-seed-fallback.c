// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-SEED-FALLBACK: the 2013 walk gives up on struct pages the index finds. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

static int check(struct rule_ctx *c)
{
	const struct tce_model *m = c->m;
	char key[80];
	size_t i;
	int ret;

	if (!tce_rule_need_walk(c))
		return 0;
	for (i = 0; i < m->nruns; i++) {
		const struct cmp_run *r = &m->runs[i];

		if (r->bad != RUN_SEED_GAVE_UP)
			continue;
		snprintf(key, sizeof(key), "pfn:0x%" PRIx64 "-0x%" PRIx64, r->first, r->last);
		ret = tce_rule_finding(c, r->first, r->last, key,
				       "pfns 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 "): the "
				       "2013 walk gives up where the index finds the struct "
				       "page (at the first pfn: seed2013 %s, index 0x%" PRIx64
				       "): real mode would send these to virtual mode",
				       r->first, r->last, r->last - r->first + 1,
				       tce_xlat_status_name(r->a[TCE_XLAT_SEED2013].st),
				       r->a[TCE_XLAT_INDEX].phys);
		if (ret)
			return ret;
	}
	return 0;
}

const struct rule_def tce_rule_vmemmap_seed_fallback = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_SEED_FALLBACK,
		.id = "TCE-VMEMMAP-SEED-FALLBACK",
		.severity = TCE_SEV_WARNING,
		.summary = "the 2013 walk gives up on struct pages the index finds",
		.why = "Behind an out-of-order vmemmap_list entry the 2013 real-mode walk "
		       "stops at the wrong entry and returns NULL: nothing is corrupted, but "
		       "every H_PUT_TCE for those pages exits to virtual mode, and a kernel "
		       "that trusts the walk for anything else is wrong there.",
		.model = "realmode_pfn_to_page() as the 2013 patch wrote it",
	},
	.check = check,
};
