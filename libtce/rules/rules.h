/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Rules: one file each, each a table entry (its public description: number, text id,
 * severity, why, the model it assumes) and a check function that reads the model,
 * never the dump.  A check raises findings, or says the rule does not apply or that
 * the dump cannot decide; the runner (analysis.c) records the outcome.  The catalogue
 * (catalogue.c) is the one list of rules: `tce-inspect rules`, the man page's rule
 * section and the tests' list of ids all come from it.
 */
#ifndef TCE_RULES_RULES_H
#define TCE_RULES_RULES_H

#include "model/model.h"

/* Findings, capped per rule as they are added: memory stays bounded whatever the dump
 * claims (a million corrupt entries make 256 findings and a count). */
#define TCE_FINDINGS_PER_RULE 256

/*
 * What a finding was decided from, so that it can be decided again from fresh reads
 * (tce_analysis_recheck()): an entry of a table (and the entries before it whose run of
 * consecutive pages it continues), a table as a whole, every table of the pass (a rule
 * that counts over all of them), or the vmemmap model.  Tables are named by their
 * semantic key: a second read of a running kernel may find them in another order.
 */
enum finding_on {
	FON_NONE = 0,                 /* a count of findings not listed ("more:N") */
	FON_ENTRY,                    /* entries first..index of table */
	FON_TABLE,                    /* every entry and level of table */
	FON_PASS,                     /* every table */
	FON_MODEL,                    /* the vmemmap model (list, index, translations) */
};

struct finding_where {
	enum finding_on on;
	char *table;                  /* FON_ENTRY, FON_TABLE: the table's key */
	uint64_t first, index;        /* FON_ENTRY */
};

struct finding_list {
	struct tce_finding *v;
	struct finding_where *where;  /* v[i]'s, as long as v */
	uint32_t *at;                 /* v[i]'s entry in the batch of entries checked when
					 it was raised (rule_ctx.pos), as long as v */
	size_t n, cap;
	size_t kept[TCE_RULE_COUNT], dropped[TCE_RULE_COUNT];
	uint64_t raised;              /* tce_rule_finding() calls, kept or dropped: did a
					 rule say something of this entry (the window map) */
	uint64_t counted;             /* dropped ones the pass counted from a batch's sum
					 alone (the rules' count(): for the tests) */
};

/* What a check sees and fills. */
struct rule_ctx {
	const struct tce_model *m;
	/* facts the runner gathered from the dump for the rules (rules read no dump) */
	const struct tce_phys_range *ranges;   /* ELF PT_LOADs, NULL otherwise */
	unsigned nranges;
	const bool *backing_in_dump;           /* per block in list order */
	struct finding_list *fl;
	struct tce_err *err;                   /* where out-of-memory is told */
	enum tce_rule_id rule;                 /* the rule running */
	struct finding_where where;            /* what it reads now (its findings'): an
						  entry check's set by
						  tce_rule_entry_finding(); table borrowed
						  from the pass */
	const struct entry_fact *batch;        /* entry checks: the batch checked
						  (TCE_RULE_ENTRIES), else NULL */
	const struct fact_sum *sum;            /* ... and what it holds; NULL: not
						  known (every entry is checked) */
	uint32_t pos;                          /* its entry a finding is about (set by
						  tce_rule_entry_finding()) */
	enum tce_outcome outcome;              /* left NOT_RUN: pass or fail by findings */
	char reason[256];
	/* table rules: entries (or tables) each rule could not decide, and why the first
	 * could not */
	uint64_t undecided[TCE_RULE_COUNT];
	char undecided_why[TCE_RULE_COUNT][192];
	/* what a table rule gathers over the pass for its check, freed by its release */
	void *state[TCE_RULE_COUNT];
};

/* A rule checks the model as a whole (check), or the facts of the pass over TCE tables
 * (tables.c), a batch of entries at a time (entries, made from the rule's check of one
 * entry by TCE_RULE_ENTRIES) and table by table (the pass reads each once for every
 * rule).  Each returns 0, or -TCE_ENOMEM. */
struct rule_def {
	struct tce_rule info;
	int (*check)(struct rule_ctx *c);
	int (*entries)(struct rule_ctx *c, const struct entry_fact *f, size_t n);
	/* NULL: any batch.  Else false when entries() can say nothing (no finding, no
	 * undecided count) of a batch whose sum is s (TCE_RULE_ENTRIES_WHEN's when) */
	bool (*when)(const struct rule_ctx *c, const struct fact_sum *s);
	/* NULL, or, for a batch whose sum is s and when() true: true with *n the
	 * findings entries() would raise of it and nothing else (no undecided count),
	 * false when the sum cannot tell.  A rule past its cap then only counts them:
	 * the pass makes no facts of such a batch (a 16M-entry table that is all
	 * findings) */
	bool (*count)(const struct rule_ctx *c, const struct fact_sum *s, uint64_t *n);
	int (*table)(struct rule_ctx *c, const struct table_fact *t);
	void (*release)(void *state);          /* frees c->state[rule] */
	/* bit m: the rule assumes kernel model m (enum tce_kmodel) and runs only when it
	 * is selected; not applicable otherwise */
	unsigned models;
	bool vfio;                             /* reads the VFIO model (model/vfio.c), which
						  the pass gathers only for such a rule; its
						  entry check sees only VFIO's tables' entries */
	/* the tables whose entries the entry check can say anything of (RULE_ON_*; 0:
	 * every table): the pass calls it for no other (16M entries, a dozen rules) */
	unsigned on;
};

/*
 * A rule's entries check, made from its check of one entry (a static function of the
 * rule's file, which the compiler inlines into the loop): every rule runs over a whole
 * batch, rather than every rule for each entry through a pointer (16M entries, a dozen
 * rules).  An entry check raises its findings with tce_rule_entry_finding(), which
 * notes the entry's place in the batch: the runner puts the batch's findings back in
 * entry order (tce_findings_order()).
 */
#define TCE_RULE_ENTRIES(entry) TCE_RULE_ENTRIES_IF(entry, true)

/*
 * As TCE_RULE_ENTRIES, for a check that can say nothing of an entry unless the batch's
 * sum (its raw TCEs, host states and kinds of facts, or'ed, and its table and first and
 * last index) shows one it might: when(c, sum) false skips the batch whole.  when()
 * must be true for every batch holding an entry that entry() would raise a finding or
 * an undecided count for; the rule's definition names it (.when) for the pass, which
 * then makes no facts of a batch no rule wants (tables.c).
 */
#define TCE_RULE_ENTRIES_WHEN(entry, when) TCE_RULE_ENTRIES_IF(entry, !c->sum || when(c, c->sum))

/* entries(): the batch checked when wanted, an expression of c (the rule_ctx) */
#define TCE_RULE_ENTRIES_IF(entry, wanted)                                              \
	static int entries(struct rule_ctx *c, const struct entry_fact *f, size_t n)    \
	{                                                                               \
		size_t i;                                                               \
		int ret;                                                                \
										\
		if (!(wanted))                                                          \
			return 0;                                                       \
		c->batch = f;                                                           \
		for (i = 0; i < n; i++) {                                               \
			ret = entry(c, &f[i]);                                          \
			if (ret)                                                        \
				return ret;                                             \
		}                                                                       \
		return 0;                                                               \
	}

#define RULE_ON_KVM 1u                  /* KVM's guest views */
#define RULE_ON_KVM_HW 2u               /* ... with a hardware table attached */
#define RULE_ON_IOMMU 4u                /* hardware tables */
#define RULE_ON_DMA_API 8u              /* ... of the kernel's DMA API (it_map) */

/* Has the running rule its TCE_FINDINGS_PER_RULE findings?  Then one more is counted
 * (raised and dropped) and true: the caller need not make its key and message, which
 * cost a table whose 16M entries all lie in no memslot 2.4 s of printf (inline: such a
 * table asks at each entry) */
static inline bool tce_rule_full(struct rule_ctx *c)
{
	struct finding_list *l = c->fl;

	if (l->kept[c->rule] < TCE_FINDINGS_PER_RULE)
		return false;
	l->raised++;
	l->dropped[c->rule]++;
	return true;
}
/* Adds a finding of the running rule; 0 or -TCE_ENOMEM (message set). */
TCE_HIDDEN int tce_rule_finding(struct rule_ctx *c, uint64_t pfn_first, uint64_t pfn_last,
				const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The dump cannot decide / the rule does not apply; returns 0. */
TCE_HIDDEN int tce_rule_unknown(struct rule_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
TCE_HIDDEN int tce_rule_not_applicable(struct rule_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* For rules about vmemmap_list: 1 if it was walked and is the kernel's map (the check
 * goes on), else 0 with the outcome set: not applicable where the radix page tables
 * are the only map, unknown where the walk could not run. */
TCE_HIDDEN int tce_rule_need_walk(struct rule_ctx *c);

/* A table rule could not decide one entry or table; returns 0. */
TCE_HIDDEN int tce_rule_undecided(struct rule_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same when the running rule has given the reason of an undecided entry before:
 * counted, true; false for its first (give it with tce_rule_undecided()).  For a
 * reason dear to make (tce_fact_page_why()). */
static inline bool tce_rule_undecided_again(struct rule_ctx *c)
{
	if (!c->undecided[c->rule])
		return false;
	c->undecided[c->rule]++;
	return true;
}
/* Why f's struct page cannot be read (f->page_err): the fact's reason, or the pass's
 * when the fact has none (f->t->page_why: it reads the page again) */
TCE_HIDDEN const char *tce_fact_page_why(const struct entry_fact *f);
/* A finding about entry f: the key is the table's key and the bus address, the pfns
 * the host page's (when known); the message starts with where the entry is. */
TCE_HIDDEN int tce_rule_entry_finding(struct rule_ctx *c, const struct entry_fact *f,
				      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The page behind an entry could not be read: undecided with why; 1 if so.  Inline:
 * every entry of a dozen rules asks, and nearly all have their page. */
TCE_HIDDEN int tce_rule_no_page(struct rule_ctx *c, const struct entry_fact *f);
static inline int tce_rule_need_page(struct rule_ctx *c, const struct entry_fact *f)
{
	enum tce_host_state s = f->e->host_state;

	if (s == TCE_HOST_PRESENT && !f->page_err)
		return 0;
	/* no host page (a guest page the VMM never touched, no memslot): nothing to say */
	if (s != TCE_HOST_PRESENT && s != TCE_HOST_UNKNOWN)
		return 1;
	return tce_rule_no_page(c, f);
}
/* rules/vfio-common.c: not applicable when the dump holds no table VFIO made (with
 * it_userspace); 1 if so */
TCE_HIDDEN int tce_rule_vfio_absent(struct rule_ctx *c);

/* finding.c */
/* The findings from v[from] on, raised by the rules one after the other over one batch
 * of entries, in the order one rule after the other for each entry gives: by their
 * entry's position (at[]), in rule order for one entry.  0 or -TCE_ENOMEM. */
TCE_HIDDEN int tce_findings_order(struct finding_list *l, size_t from, struct tce_err *err);
/* Moves the findings of from (raised after those of l) to the end of l, as if raised
 * there: past a rule's cap they are counted as dropped.  0 or -TCE_ENOMEM. */
TCE_HIDDEN int tce_findings_join(struct finding_list *l, struct finding_list *from,
				 struct tce_err *err);
/* Appends one "N more findings" entry for every rule that dropped some; 0 or
 * -TCE_ENOMEM. */
TCE_HIDDEN int tce_findings_close(struct finding_list *l, struct tce_err *err);
TCE_HIDDEN void tce_findings_free(struct finding_list *l);

/* catalogue.c */
TCE_HIDDEN const struct rule_def *tce_rule_def(enum tce_rule_id rule);

/* rules/vmemmap-overlap.c: the two overlap rules share their pass */
TCE_HIDDEN int tce_rule_overlaps(struct rule_ctx *c, bool phys);

/* one per rule file */
extern const struct rule_def tce_rule_vmemmap_missing;
extern const struct rule_def tce_rule_vmemmap_cycle;
extern const struct rule_def tce_rule_vmemmap_unterminated;
extern const struct rule_def tce_rule_vmemmap_truncated;
extern const struct rule_def tce_rule_vmemmap_misaligned;
extern const struct rule_def tce_rule_vmemmap_overlap_virt;
extern const struct rule_def tce_rule_vmemmap_overlap_phys;
extern const struct rule_def tce_rule_vmemmap_backing_missing;
extern const struct rule_def tce_rule_vmemmap_uncovered;
extern const struct rule_def tce_rule_vmemmap_unordered;
extern const struct rule_def tce_rule_vmemmap_seed_fallback;
extern const struct rule_def tce_rule_vmemmap_xlat_mismatch;
extern const struct rule_def tce_rule_vmemmap_straddle;
extern const struct rule_def tce_rule_dump_unmanaged;
extern const struct rule_def tce_rule_vmemmap_no_xlat;
extern const struct rule_def tce_rule_vmemmap_not_vmemmap;
extern const struct rule_def tce_rule_entry_no_page;
extern const struct rule_def tce_rule_entry_reserved_bits;
extern const struct rule_def tce_rule_entry_misaligned;
extern const struct rule_def tce_rule_level_bad;
extern const struct rule_def tce_rule_table_overfull;
extern const struct rule_def tce_rule_dma_freed;
extern const struct rule_def tce_rule_itmap_clear;
extern const struct rule_def tce_rule_entry_reserved_range;
extern const struct rule_def tce_rule_kvm_no_memslot;
extern const struct rule_def tce_rule_kvm_hw_mismatch;
extern const struct rule_def tce_rule_entry_device;
extern const struct rule_def tce_rule_vfio_no_ua;
extern const struct rule_def tce_rule_vfio_no_region;
extern const struct rule_def tce_rule_vfio_hpa_mismatch;
extern const struct rule_def tce_rule_vfio_unpinned;
extern const struct rule_def tce_rule_vfio_mapped;
extern const struct rule_def tce_rule_seed_refs;

#endif /* TCE_RULES_RULES_H */
