// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * TCE-SEED-REFS: under the 2013 seed's contract (this project's series), a host page
 * holds at least one reference for every valid entry of a hardware table attached to
 * a guest's LIOBN that maps it.  The entries reach the rule one by one over the pass;
 * it counts them per page (a compound page's head, which holds a tail's references)
 * in a hash table whose size follows the distinct pages, never the entries, and keeps
 * the entry that first went past a page's references: the finding's key, told after
 * the pass with the page's totals.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "rules/rules.h"

/* One page's count: pfn TCE_NO_PFN is an empty slot */
struct ref_slot {
	uint64_t pfn;
	uint32_t count;               /* saturates */
	int32_t refcount;             /* the page's _refcount, read once */
};

/* An entry that took a page past its references */
struct over {
	uint64_t pfn, mapped_pfn, bus, index;
	char table[128];              /* its table's key */
};

struct seed_refs {
	struct ref_slot *slot;
	size_t cap, n;                /* cap a power of two; n used */
	uint64_t entries;             /* of attached hardware tables, seen */
	struct over over[TCE_FINDINGS_PER_RULE];
	size_t nover;
	uint64_t over_more;           /* pages past their references beyond over[] */
};

static void release(void *state)
{
	struct seed_refs *s = state;

	free(s->slot);
	free(s);
}

static int nomem(struct rule_ctx *c)
{
	snprintf(c->err->msg, sizeof(c->err->msg), "TCE-SEED-REFS: out of memory");
	return -TCE_ENOMEM;
}

static size_t slot_of(const struct seed_refs *s, uint64_t pfn)
{
	/* Fibonacci hashing: consecutive pfns spread over the table */
	size_t i = (size_t)((pfn * 0x9e3779b97f4a7c15ULL) >> 20) & (s->cap - 1);

	while (s->slot[i].pfn != TCE_NO_PFN && s->slot[i].pfn != pfn)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* gcc 12's -fanalyzer loses the table stored in the rule's state (c->state[rule], a
 * symbolic index) and calls it leaked, in grow() and in entry() as the batch loop
 * calls it; release() frees it */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif

/* Keeps the table at most half full */
static int grow(struct rule_ctx *c, struct seed_refs *s)
{
	struct ref_slot *old = s->slot;
	size_t i, cap = s->cap, ncap = cap ? cap * 2 : 1024;

	if (s->n + 1 <= cap / 2)
		return 0;
	s->slot = malloc(ncap * sizeof(*s->slot));
	if (!s->slot) {
		s->slot = old;
		return nomem(c);
	}
	for (i = 0; i < ncap; i++)
		s->slot[i].pfn = TCE_NO_PFN;
	s->cap = ncap;
	for (i = 0; i < cap; i++)
		if (old[i].pfn != TCE_NO_PFN)
			s->slot[slot_of(s, old[i].pfn)] = old[i];
	free(old);
	return 0;
}

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	struct seed_refs *s = c->state[c->rule];
	const struct tce_page *ref = f->pg;
	struct ref_slot *sl;
	uint64_t pfn = f->pfn;
	int ret;

	/* the real-mode path writes hardware tables VFIO attached to a guest's LIOBN */
	if (f->t->info->kind != TCE_TABLE_IOMMU || !f->t->info->attached_vm)
		return 0;
	if (!s) {
		s = c->state[c->rule] = calloc(1, sizeof(*s));
		if (!s)
			return nomem(c);
	}
	s->entries++;
	if (tce_rule_need_page(c, f))
		return 0;
	/* get_page() on a tail takes the reference on its head */
	if (ref->states & TCE_PF_TAIL) {
		if (!f->head)
			return tce_rule_undecided(c, "pfn 0x%" PRIx64 " (%s entry 0x%" PRIx64 ") "
						  "is a tail page whose head cannot be read",
						  f->pfn, f->t->key, f->e->index);
		ref = f->head;
		pfn = f->head->pfn;
	}
	ret = grow(c, s);
	if (ret)
		return ret;
	sl = &s->slot[slot_of(s, pfn)];
	if (sl->pfn == TCE_NO_PFN) {
		sl->pfn = pfn;
		sl->count = 0;
		sl->refcount = ref->refcount;
		s->n++;
	}
	if (sl->count < UINT32_MAX)
		sl->count++;
	/* the entry that goes past the references: once a page, as counts only grow */
	if ((int64_t)sl->count == (int64_t)sl->refcount + 1 ||
	    (sl->count == 1 && sl->refcount < 0)) {
		if (s->nover < TCE_FINDINGS_PER_RULE) {
			struct over *o = &s->over[s->nover++];

			o->pfn = pfn;
			o->mapped_pfn = f->pfn;
			o->bus = f->e->bus;
			o->index = f->e->index;
			snprintf(o->table, sizeof(o->table), "%s", f->t->key);
		} else {
			s->over_more++;
		}
	}
	return 0;
}

static int check(struct rule_ctx *c)
{
	const struct seed_refs *s = c->state[c->rule];
	char key[192];
	uint64_t i;
	int ret;

	if (!s || !s->entries) {
		tce_rule_not_applicable(c, "the dump holds no hardware table attached to a "
					"guest's LIOBN (with a valid entry)");
		return 0;
	}
	for (i = 0; i < s->nover; i++) {
		const struct over *o = &s->over[i];
		const struct ref_slot *sl = &s->slot[slot_of(s, o->pfn)];

		snprintf(key, sizeof(key), "%s:bus=0x%" PRIx64, o->table, o->bus);
		ret = tce_rule_finding(c, o->pfn, o->pfn, key, "pfn 0x%" PRIx64 " has _refcount "
				       "%" PRId32 ", below the %" PRIu32 " valid entr%s of "
				       "hardware tables attached to a guest's LIOBN that map it%s; "
				       "the first past its references: %s entry 0x%" PRIx64
				       " (bus 0x%" PRIx64 ", pfn 0x%" PRIx64 ")", o->pfn,
				       sl->refcount, sl->count, sl->count == 1 ? "y" : "ies",
				       o->pfn != o->mapped_pfn ? " (through its tail pages)" : "",
				       o->table, o->index, o->bus, o->mapped_pfn);
		if (ret)
			return ret;
	}
	/* over[] holds as many as the finding list keeps: the rest are counted there,
	 * as not listed */
	c->fl->dropped[c->rule] += s->over_more;
	return 0;
}

TCE_RULE_ENTRIES(entry)

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

const struct rule_def tce_rule_seed_refs = {
	.info = {
		.rule = TCE_RULE_SEED_REFS,
		.id = "TCE-SEED-REFS",
		.severity = TCE_SEV_ERROR,
		.summary = "a page holds fewer references than the real-mode TCEs that map it",
		.why = "In the 2013 seed's design, KVM's real-mode H_PUT_TCE takes one "
		       "reference on the host page with realmode_get_page() for every TCE "
		       "it puts into a hardware table attached to the guest's LIOBN, and "
		       "H_PUT_TCE clearing it drops that reference with realmode_put_page().  "
		       "This project's series keeps that page API (kernel/patches 0001) "
		       "but its real-mode handlers (0003) take no reference and leave "
		       "tables with a VFIO group to virtual mode: select the model for a "
		       "kernel whose real-mode path does take them.  "
		       "A page whose _refcount is below the number of such entries mapping "
		       "it lost a reference the device still relies on: a put too many (a "
		       "virtual-mode retry that dropped what real mode had not taken, a "
		       "clear of an entry that was not valid), or a get skipped on a path "
		       "that then wrote the entry.  The page can be freed and reused while "
		       "the device still writes to it.  Look at the hcall path that last "
		       "wrote the entry and at the page's history (page_owner).",
		.model = "the seed2013 kernel model, selected by the user (check --model "
			 "seed2013): every valid entry of a hardware table attached to a KVM "
			 "LIOBN holds one reference on the page it maps (a compound page's "
			 "head for a tail), so _refcount >= the number of such entries",
		.area = TCE_AREA_TABLES,
	},
	.entries = entries,
	.check = check,
	.release = release,
	.models = 1u << TCE_KMODEL_SEED2013,
};
