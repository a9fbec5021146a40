// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The analysis object: the top of libtce.  It owns the model of one dump and, once
 * tce_analysis_check() has run, every rule's outcome and the findings.  The public
 * calls that read the model (blocks, translations, struct pages) load only the part
 * they need; the check gathers the few dump facts rules need (which PT_LOADs the file
 * holds, whether each block's backing is in it), runs the comparison, then every rule
 * of the catalogue in order.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis-priv.h"
#include "rules/rules.h"

struct tce_analysis {
	struct tce_dump *d;
	struct tce_model m;
	bool checked;
	struct finding_list fl;
	enum tce_outcome outcome[TCE_RULE_COUNT];
	char reason[TCE_RULE_COUNT][256];
};

int tce_analysis_new(struct tce_dump *d, struct tce_analysis **out)
{
	struct tce_analysis *a;
	int ret;

	*out = NULL;
	ret = tce_dump_claim(d);
	if (ret)
		return ret;
	a = calloc(1, sizeof(*a));
	if (!a) {
		tce_dump_release(d);
		return tce_set_err(d, TCE_ENOMEM, "analysis: out of memory");
	}
	a->d = d;
	tce_model_init(&a->m, d);
	*out = a;
	return 0;
}

void tce_analysis_free(struct tce_analysis *a)
{
	if (!a)
		return;
	tce_model_free(&a->m);
	tce_findings_free(&a->fl);
	tce_dump_release(a->d);
	free(a);
}

const struct tce_model *tce_analysis_model(const struct tce_analysis *a)
{
	return &a->m;
}

struct tce_dump *tce_analysis_dump(const struct tce_analysis *a)
{
	return a->d;
}

const char *tce_mmu_name(enum tce_mmu mmu)
{
	return mmu == TCE_MMU_RADIX ? "radix" : mmu == TCE_MMU_HASH ? "hash" : "unknown";
}

int tce_analysis_mmu(struct tce_analysis *a, enum tce_mmu *mmu)
{
	return tce_model_mmu(&a->m, mmu);
}

int tce_vmemmap_info(struct tce_analysis *a, struct tce_vmemmap_info *vi)
{
	const struct tce_model *m = &a->m;
	struct tce_vmemmap_info in = { .size = sizeof(in) };
	size_t size = vi->size;
	int ret;

	if (size < offsetof(struct tce_vmemmap_info, head) + sizeof(in.head))
		return tce_set_err(a->d, TCE_EINVAL, "struct tce_vmemmap_info: size %zu is "
				   "too small", size);
	ret = tce_model_vmemmap(&a->m);
	if (ret)
		return ret;
	in.head = m->walk.head;
	in.block_size = m->walk.block_size;
	in.block_shift = m->walk.block_shift;
	in.struct_page_size = m->walk.p.page_size;
	in.base = m->base;
	in.base_from_sections = m->base_from_sections;
	in.max_pfn = m->max_pfn;
	in.nblocks = m->walk.nblocks;
	in.complete = m->walk.end == VM_WALK_NULL;
	in.ordered = m->ordered;
	in.pgtable = m->pgt_ok;
	in.mmu = m->pgt.mmu;
	if (size > sizeof(in))
		size = sizeof(in);
	memcpy(vi, &in, size);
	vi->size = size;
	return 0;
}

const struct tce_vmemmap_block *tce_vmemmap_block(const struct tce_analysis *a, size_t i)
{
	return i < a->m.walk.nblocks ? &a->m.walk.blocks[i] : NULL;
}

int tce_pfn_to_page(struct tce_analysis *a, enum tce_xlat meth, uint64_t pfn,
		    enum tce_xlat_status *st, uint64_t *phys)
{
	uint64_t va;
	int ret;

	if ((unsigned)meth >= TCE_XLAT_NUM)
		return tce_set_err(a->d, TCE_EINVAL, "no translation method %d", (int)meth);
	ret = tce_model_vmemmap(&a->m);
	if (ret)
		return ret;
	*phys = 0;
	if (meth == TCE_XLAT_PGTABLE && !a->m.pgt_ok)
		*st = TCE_XS_UNAVAILABLE;
	else if (!tce_model_pfn_va(&a->m, pfn, &va))
		*st = TCE_XS_NOBLOCK;
	else
		*st = tce_vm_xlat(&a->m, meth, va, phys);
	return 0;
}

uint64_t tce_pfn_to_vmemmap(const struct tce_analysis *a, uint64_t pfn)
{
	uint64_t va;

	return a->m.vm_loaded && tce_model_pfn_va(&a->m, pfn, &va) ? va : 0;
}

int tce_page_read(struct tce_analysis *a, uint64_t pfn, struct tce_page *pg)
{
	return tce_model_page_read(&a->m, pfn, pg);
}

const char *tce_page_flag_bit(struct tce_analysis *a, unsigned bit)
{
	if (tce_model_layout(&a->m) || bit >= TCE_MAX_NAMED_FLAGS)
		return NULL;
	return a->m.layout.flag_name[bit];
}

const char *tce_outcome_name(enum tce_outcome o)
{
	switch (o) {
	case TCE_OUTCOME_NOT_RUN:
		return "not-run";
	case TCE_OUTCOME_PASS:
		return "pass";
	case TCE_OUTCOME_FAIL:
		return "fail";
	case TCE_OUTCOME_UNKNOWN:
		return "unknown";
	case TCE_OUTCOME_NOT_APPLICABLE:
		return "not-applicable";
	}
	return "unknown";
}

enum tce_outcome tce_rule_outcome(const struct tce_analysis *a, enum tce_rule_id rule,
				  const char **reason)
{
	enum tce_outcome o = (unsigned)rule < TCE_RULE_COUNT ? a->outcome[rule] :
			     TCE_OUTCOME_NOT_RUN;

	if (reason)
		*reason = o == TCE_OUTCOME_UNKNOWN || o == TCE_OUTCOME_NOT_APPLICABLE ?
			  a->reason[rule] : NULL;
	return o;
}

size_t tce_finding_count(const struct tce_analysis *a)
{
	return a->fl.n;
}

const struct tce_finding *tce_finding(const struct tce_analysis *a, size_t i)
{
	return i < a->fl.n ? &a->fl.v[i] : NULL;
}

/* Whether each block's backing is in the dump: 1, 0; the rules cannot ask the dump. */
static int backing_facts(struct tce_analysis *a, bool **out)
{
	const struct vm_walk *w = &a->m.walk;
	bool *in;
	size_t i;
	int ret;

	in = calloc(w->nblocks ? w->nblocks : 1, sizeof(*in));
	if (!in)
		return tce_set_err(a->d, TCE_ENOMEM, "backing of %zu blocks: out of memory",
				   w->nblocks);
	for (i = 0; i < w->nblocks; i++) {
		ret = tce_phys_in_dump(a->d, w->blocks[i].phys, w->block_size);
		if (ret < 0) {
			free(in);
			return tce_prepend_err(a->d, ret, "vmemmap_list entry %zu", i);
		}
		in[i] = ret;
	}
	*out = in;
	return 0;
}

static int run_rules(struct tce_analysis *a, bool *backing)
{
	struct rule_ctx c = {
		.m = &a->m,
		.ranges = tce_dump_range(a->d, 0),
		.backing_in_dump = backing,
		.fl = &a->fl,
	};
	struct tce_err err = { "" };
	unsigned r;
	int ret;

	while (tce_dump_range(a->d, c.nranges))
		c.nranges++;
	c.err = &err;
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		size_t before = a->fl.n;

		c.rule = r;
		c.outcome = TCE_OUTCOME_NOT_RUN;
		c.reason[0] = '\0';
		ret = tce_rule_def(r)->check(&c);
		if (ret)
			return tce_set_err(a->d, ret, "%s", err.msg);
		if (c.outcome == TCE_OUTCOME_NOT_RUN)
			c.outcome = a->fl.n > before || a->fl.dropped[r] ? TCE_OUTCOME_FAIL :
				    TCE_OUTCOME_PASS;
		a->outcome[r] = c.outcome;
		snprintf(a->reason[r], sizeof(a->reason[r]), "%s", c.reason);
	}
	ret = tce_findings_close(&a->fl, &err);
	if (ret)
		return tce_set_err(a->d, ret, "%s", err.msg);
	return 0;
}

int tce_analysis_check(struct tce_analysis *a)
{
	struct tce_model *m = &a->m;
	bool *backing = NULL;
	int ret;

	if (a->checked)
		return 0;
	ret = tce_model_vmemmap(m);
	/* a walk that cannot start is the MISSING rule's finding, not a failure */
	if (ret == -TCE_ENOMEM || ret == -TCE_EIO)
		return ret;
	if (!ret) {
		ret = tce_model_compare(m);
		if (!ret)
			ret = backing_facts(a, &backing);
	} else {
		ret = 0;
	}
	if (!ret)
		ret = tce_sections_read(a->d, &m->sect);
	if (!ret)
		ret = run_rules(a, backing);
	free(backing);
	if (ret) {
		tce_findings_free(&a->fl);
		memset(a->outcome, 0, sizeof(a->outcome));
		return ret;
	}
	a->checked = true;
	tce_clear_err(a->d);
	return 0;
}
