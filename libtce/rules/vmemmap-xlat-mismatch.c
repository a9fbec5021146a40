// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-XLAT-MISMATCH: translations of pfn to struct page disagree. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"

static void fmt_answer(char *buf, size_t len, const struct xlat_answer *a)
{
	if (a->st == TCE_XS_OK)
		snprintf(buf, len, "0x%" PRIx64, a->phys);
	else
		snprintf(buf, len, "%s", tce_xlat_status_name(a->st));
}

static int report(struct rule_ctx *c, const struct cmp_run *r)
{
	static const char *const who[TCE_XLAT_NUM + 1] = {
		[TCE_XLAT_SEED2013] = "the 2013 walk",
		[TCE_XLAT_WALK] = "the hot-remove-safe walk",
		[TCE_XLAT_PGTABLE] = "the page tables",
		[TCE_XLAT_NUM] = "the 2013 walk (which gives up)",
	};
	char key[80], msg[TCE_XLAT_NUM][48], names[128] = "";
	int i, n = 0;

	for (i = 0; i < TCE_XLAT_NUM; i++)
		fmt_answer(msg[i], sizeof(msg[i]), &r->a[i]);
	for (i = 0; i <= TCE_XLAT_NUM; i++) {
		if (!(r->bad & 1u << i) || !who[i])
			continue;
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 n++ ? " and " : "", who[i]);
	}
	snprintf(key, sizeof(key), "pfn:0x%" PRIx64 "-0x%" PRIx64, r->first, r->last);
	return tce_rule_finding(c, r->first, r->last, key,
				"pfns 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 "): %s and the "
				"index disagree (at the first pfn: seed2013 %s, walk %s, index "
				"%s, pgtable %s)", r->first, r->last, r->last - r->first + 1,
				names, msg[TCE_XLAT_SEED2013], msg[TCE_XLAT_WALK],
				msg[TCE_XLAT_INDEX], msg[TCE_XLAT_PGTABLE]);
}

static int check(struct rule_ctx *c)
{
	const struct tce_model *m = c->m;
	size_t i;
	int ret;

	if (!tce_rule_need_walk(c))
		return 0;
	for (i = 0; i < m->nruns; i++) {
		if (m->runs[i].bad == RUN_SEED_GAVE_UP)
			continue;
		ret = report(c, &m->runs[i]);
		if (ret)
			return ret;
	}
	return 0;
}

const struct rule_def tce_rule_vmemmap_xlat_mismatch = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_XLAT_MISMATCH,
		.id = "TCE-VMEMMAP-XLAT-MISMATCH",
		.severity = TCE_SEV_ERROR,
		.summary = "translations of pfn to struct page disagree",
		.why = "The 2013 walk, the hot-remove-safe walk, the sorted index and (on "
		       "radix) the kernel page tables must locate every struct page at the "
		       "same physical address.  Where they give different addresses (or one "
		       "finds a struct page another says does not exist), a real-mode user "
		       "of the disagreeing method reads or writes the wrong struct page, or "
		       "the kernel's own maps contradict each other.",
		.model = "one physical home for every struct page, whichever map is asked",
	},
	.check = check,
};
