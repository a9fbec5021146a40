// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-UNCOVERED: memory the kernel manages whose struct pages nothing maps. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

/* How many pfns of [pfn, last] have a struct page the reference translation does not
 * back (no vmemmap_list block, or no page-table leaf where the page tables are the
 * map). */
static uint64_t uncovered(const struct tce_model *m, uint64_t pfn, uint64_t last,
			  uint64_t *unknown)
{
	uint64_t sz = m->psz, n = 0;

	while (pfn <= last) {
		uint64_t va, nextva, next;
		bool backed, gap = false;

		if (!tce_model_pfn_va(m, pfn, &va))
			return n + (last - pfn + 1);
		/* page tables the dump lacks map these or not: unknown */
		if (m->src == TCE_VMEMMAP_SRC_PGTABLE && tce_model_gap(m, va, &nextva))
			backed = gap = true;
		else
			backed = tce_model_backed(m, va, &nextva);
		/* the first pfn whose struct page starts at or after nextva */
		next = nextva == UINT64_MAX || nextva < m->base ? last + 1 :
		       (nextva - m->base + sz - 1) / sz;
		if (next > last + 1)
			next = last + 1;
		else if (next <= pfn)
			next = pfn + 1;
		if (!backed)
			n += next - pfn;
		if (gap)
			*unknown += next - pfn;
		pfn = next;
	}
	return n;
}

static int report(struct rule_ctx *c, uint64_t first, uint64_t last)
{
	char key[80];

	snprintf(key, sizeof(key), "pfn:0x%" PRIx64 "-0x%" PRIx64, first, last);
	return tce_rule_finding(c, first, last, key,
				"pfns 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 ") are memory "
				"the kernel manages (present sections with a mem_map), but %s "
				"any of their struct pages", first, last, last - first + 1,
				c->m->src == TCE_VMEMMAP_SRC_PGTABLE ?
				"the radix page tables map none of" :
				"no vmemmap_list block backs");
}

/*
 * A present section with a mem_map whose struct pages no block backs at all lost its
 * entries.  One backed in part may be sub-section hotplug (populated in 2 MiB units,
 * told apart only by mem_section_usage's subsection_map, which VMCOREINFO does not
 * describe): that is unknown, not a finding.
 */
static int check(struct rule_ctx *c)
{
	const struct tce_model *m = c->m;
	const struct sections *s = &m->sect;
	uint64_t first = 0, last = 0, per = 1ULL << s->pfn_shift, partial = 0, unknown = 0;
	bool open = false, any = false;
	size_t i;
	int ret;

	if (m->src == TCE_VMEMMAP_SRC_NONE)
		return tce_rule_not_applicable(c, "nothing locates a struct page "
					       "(TCE-VMEMMAP-NO-XLAT or -MISSING says why)");
	if (s->status != SECT_OK)
		return tce_rule_unknown(c, "which memory the kernel manages is unknown: %s",
					s->why);
	if (!m->base)
		return tce_rule_unknown(c, "the vmemmap base is unknown");
	for (i = 0; i < s->n; i++) {
		uint64_t lo = s->v[i].nr << s->pfn_shift, hi = lo + per - 1, u;

		if (!s->v[i].has_mem_map)
			continue;
		u = uncovered(m, lo, hi, &unknown);
		if (u && u < per)
			partial++;
		if (u != per)
			continue;
		if (open && lo == last + 1) {
			last = hi;
			continue;
		}
		if (open) {
			ret = report(c, first, last);
			if (ret)
				return ret;
		}
		first = lo;
		last = hi;
		open = any = true;
	}
	if (open) {
		ret = report(c, first, last);
		if (ret)
			return ret;
	}
	if (unknown && !any)
		return tce_rule_unknown(c, "the radix page tables over the struct pages of %"
					PRIu64 " pfns are not in the dump (%s)", unknown,
					m->pgt.gap_why);
	if (partial && !any)
		return tce_rule_unknown(c, "%" PRIu64 " present sections are backed only in "
					"part: sub-section hotplug or lost entries, which needs "
					"mem_section_usage (type information) to tell", partial);
	return 0;
}

const struct rule_def tce_rule_vmemmap_uncovered = {
	.info = {
		.rule = TCE_RULE_VMEMMAP_UNCOVERED,
		.id = "TCE-VMEMMAP-UNCOVERED",
		.severity = TCE_SEV_ERROR,
		.summary = "memory the kernel manages whose struct pages nothing maps",
		.why = "The kernel gives every pfn of a present memory section a struct page, "
		       "online or not, and records the vmemmap page behind it in vmemmap_list "
		       "(or, on radix since 6.5, only in its page tables).  A present section "
		       "none of whose struct pages the map backs means it lost entries (cut, "
		       "corrupted, or rebuilt wrongly after hot-remove): real mode cannot "
		       "reach those struct pages and a dump reader cannot read them.  Memory "
		       "the dump holds outside every present section (device memory a "
		       "hypervisor dumped) is not the kernel's and is not judged here.",
		.model = "SPARSEMEM_VMEMMAP: mem_section's present sections with "
			 "SECTION_HAS_MEM_MAP are the memory with struct pages",
	},
	.check = check,
};
