// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-VMEMMAP-UNCOVERED: memory the kernel manages whose struct pages no block backs. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

/* How many pfns of [pfn, last] have a struct page no index block holds. */
static uint64_t uncovered(const struct tce_model *m, uint64_t pfn, uint64_t last)
{
	uint64_t sz = m->walk.p.page_size, bs = m->walk.block_size, n = 0;

	while (pfn <= last) {
		uint64_t va, next;
		const struct vm_index_ent *e;
		size_t lo;

		if (!tce_model_pfn_va(m, pfn, &va))
			return n + (last - pfn + 1);
		e = tce_index_find(m, va);
		if (e) {
			/* skip to the first pfn past this block */
			next = (e->virt + bs - m->base + sz - 1) / sz;
			pfn = next > pfn ? next : pfn + 1;
			continue;
		}
		/* the next block above va, if any */
		lo = tce_count_le_virt(m->index, m->nindex, sizeof(*m->index), va);
		next = lo < m->nindex ? (m->index[lo].virt - m->base + sz - 1) / sz : last + 1;
		if (next > last + 1 || next <= pfn)
			next = last + 1;
		n += next - pfn;
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
				"the kernel manages (present sections with a mem_map), but no "
				"vmemmap_list block backs any of their struct pages", first,
				last, last - first + 1);
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
	uint64_t first = 0, last = 0, per = 1ULL << s->pfn_shift, partial = 0;
	bool open = false, any = false;
	size_t i;
	int ret;

	if (!tce_rule_need_walk(c))
		return 0;
	if (s->status != SECT_OK)
		return tce_rule_unknown(c, "which memory the kernel manages is unknown: %s",
					s->why);
	if (!m->base)
		return tce_rule_unknown(c, "the vmemmap base is unknown");
	for (i = 0; i < s->n; i++) {
		uint64_t lo = s->v[i].nr << s->pfn_shift, hi = lo + per - 1, u;

		if (!s->v[i].has_mem_map)
			continue;
		u = uncovered(m, lo, hi);
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
		.summary = "memory the kernel manages whose struct pages no vmemmap block backs",
		.why = "6.1 gives every pfn of a present memory section a struct page, online "
		       "or not, and records the vmemmap page behind it in vmemmap_list.  A "
		       "present section none of whose struct pages any block backs means the "
		       "list lost entries (cut, "
		       "corrupted, or rebuilt wrongly after hot-remove): real mode cannot "
		       "reach those struct pages and a dump reader cannot read them.  Memory "
		       "the dump holds outside every present section (device memory a "
		       "hypervisor dumped) is not the kernel's and is not judged here.",
		.model = "SPARSEMEM_VMEMMAP: mem_section's present sections with "
			 "SECTION_HAS_MEM_MAP are the memory with struct pages",
	},
	.check = check,
};
