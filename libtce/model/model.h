/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The model: what the walkers found, joined into the answers rules and callers ask
 * for.  The vmemmap index and its four translations (vmemmap-index.c), the comparison
 * of those translations over every pfn as disagreement runs (compare.c), struct pages
 * (page.c), and the loading of it all, each part once and only when asked for
 * (model.c).  Plain data: rules read it and never the dump.
 */
#ifndef TCE_MODEL_MODEL_H
#define TCE_MODEL_MODEL_H

#include "walk/walk.h"

struct vfio_model;
struct vfio_fact;

/* One element of the sorted vmemmap index. */
struct vm_index_ent {
	uint64_t virt;
	uint64_t phys;
	size_t block;     /* position in list order */
};

/* The answer of one translation for one pfn. */
struct xlat_answer {
	enum tce_xlat_status st;
	uint64_t phys;
};

/* The 2013 walk failed where the index found the struct page: safe, but slow. */
#define RUN_SEED_GAVE_UP (1u << TCE_XLAT_NUM)

/* A maximal range of pfns over which the same methods disagree with the index. */
struct cmp_run {
	uint64_t first, last;
	unsigned bad;                 /* bit m: method m disagrees (RUN_SEED_GAVE_UP: the
					 2013 walk only gives up) */
	struct xlat_answer a[TCE_XLAT_NUM];   /* every method's answer at first */
};

struct tce_model {
	struct tce_dump *d;

	/* vmemmap (model.c, vmemmap-index.c) */
	bool vm_loaded;
	int vm_status;                /* 0, or the error loading stopped with */
	/* tce_pfn_to_page()'s fast path: the direct table's slots it may answer from
	 * alone (0: none; it needs the vmemmap loaded, pfns translated by the index of
	 * vmemmap_list's blocks, the base known and blocks of at least a struct page),
	 * and the largest offset in a block whose struct page lies whole in it
	 * (block_size - psz) */
	uint64_t fast_slots, fast_oklim;
	char vm_err[TCE_ERR_LEN];
	uint64_t psz;                 /* SIZE(page) */
	struct vm_walk walk;
	bool list_walked;             /* the walk ran (not NO_PARAMS / NO_PSIZE) */
	struct vm_index_ent *index;   /* sorted by virt, one per distinct virt */
	size_t nindex;
	/* the index as a direct table by block number (the vmemmap is block-aligned):
	 * slot (va - direct_base) >> block_shift holds 1 + the position of the one entry
	 * covering it, 0 for none, DIRECT_SEARCH where entries overlap (the sorted
	 * index decides) */
	uint32_t *direct;
	uint64_t direct_base, ndirect;
	unsigned direct_shift;
	uint64_t pfn_limit;           /* the largest pfn whose struct page's address
					 does not overflow (base set) */
	bool *not_vmemmap;            /* per block in list order: its virt_addr is in the
					 linear map or below it, so no index entry */
	size_t n_not_vmemmap;
	enum tce_vmemmap_source src;  /* what page reads go through */
	char src_why[TCE_ERR_LEN];    /* src NONE: what is missing */
	uint64_t base;                /* pfn 0's struct page; 0 unknown */
	enum tce_base_source base_from;
	uint64_t max_pfn;
	bool ordered;
	struct pgt pgt;               /* probe, and leaves over the vmemmap on radix */
	bool pgt_ok;                  /* leaves collected: the pgtable method applies */
	int vm_slot, pgt_slot;        /* installed translations, -1 none */

	/* mem_section (read with the vmemmap: it gives the base) */
	struct sections sect;

	/* struct page */
	bool layout_loaded;
	struct page_layout layout;

	/* comparison (compare.c) */
	bool compared;
	struct cmp_run *runs;
	size_t nruns;
	uint64_t straddling;          /* struct pages the index finds split in two */

	/* TCE tables (tables.c) */
	bool disc_loaded;
	int disc_status;
	char disc_err[TCE_ERR_LEN];
	struct disc disc;
	struct disc_vm *vmc;          /* VMs of tables met outside the search */
	size_t nvmc;
	struct vfio_model *vfio;      /* VFIO's tables and memory (vfio.c), by the pass */
	bool vfio_skip;               /* the pass gathers none of it, it_userspace not
					 read (no TCE-VFIO-* rule runs) */
};

/* model.c */
TCE_HIDDEN void tce_model_init(struct tce_model *m, struct tce_dump *d);
TCE_HIDDEN void tce_model_free(struct tce_model *m);
/* Loads the vmemmap (walk, index, base, page tables, translations); once.  0, or
 * -TCE_ENOENT/-TCE_ECORRUPT when the walk cannot start (message: why), -TCE_ENOMEM. */
TCE_HIDDEN int tce_model_vmemmap(struct tce_model *m);
TCE_HIDDEN int tce_model_mmu(struct tce_model *m, enum tce_mmu *mmu);
TCE_HIDDEN int tce_model_layout(struct tce_model *m);
/* pfn's vmemmap address; false if it lies past the vmemmap (or would overflow) */
static inline bool tce_model_pfn_va(const struct tce_model *m, uint64_t pfn, uint64_t *va)
{
	if (!m->base || pfn > m->pfn_limit)
		return false;
	*va = m->base + pfn * m->psz;
	return true;
}
/* The method page reads go through (TCE_XLAT_INDEX, TCE_XLAT_PGTABLE), TCE_XLAT_NUM
 * for none. */
TCE_HIDDEN enum tce_xlat tce_model_reference(const struct tce_model *m);
/* Is vmemmap address va backed by the reference translation?  *next: the first address
 * above va where the answer may change (the end of its block or leaf, or the start of
 * the next one; UINT64_MAX past the last). */
TCE_HIDDEN bool tce_model_backed(const struct tce_model *m, uint64_t va, uint64_t *next);
/* Is va where the radix page tables over the vmemmap lie in pages the dump lacks
 * (unknown: neither mapped nor not)?  *next: the end of that range. */
TCE_HIDDEN bool tce_model_gap(const struct tce_model *m, uint64_t va, uint64_t *next);

/* vmemmap-index.c */
#define DIRECT_SEARCH UINT32_MAX
/* At most this many slots (32 MiB): a vmemmap of 2^22 blocks is 8 PiB of RAM in 2M
 * blocks; beyond that the sorted index alone answers. */
#define DIRECT_MAX_SLOTS (1ULL << 23)
TCE_HIDDEN int tce_index_build(struct tce_model *m);
/* qsort order of uint64_t */
TCE_HIDDEN int tce_cmp_u64(const void *a, const void *b);
/* qsort order of index entries: by virt, then list position */
TCE_HIDDEN int tce_index_cmp(const void *a, const void *b);
/* How many elements of a virt-sorted array (virt first in each) have virt <= va. */
TCE_HIDDEN size_t tce_count_le_virt(const void *arr, size_t n, size_t size, uint64_t va);
/* The direct table's answer for va: 1 and *e the index entry whose block contains va,
 * or NULL when none does; 0 when the sorted index must be searched (no direct table,
 * or a slot several blocks share).  Calls nothing: a caller that needs no search is a
 * leaf, and saves no register. */
static inline int tce_index_direct(const struct tce_model *m, uint64_t va,
				   const struct vm_index_ent **e)
{
	uint64_t slot;
	uint32_t v;

	*e = NULL;
	if (!m->direct)
		return 0;
	if (va < m->direct_base)
		return 1;
	slot = (va - m->direct_base) >> m->direct_shift;
	if (slot >= m->ndirect)
		return 1;
	v = m->direct[slot];
	if (v == DIRECT_SEARCH)
		return 0;
	/* the slot's one block, unless va is in the part of the slot it leaves to none
	 * (a misaligned block) */
	if (v && va - m->index[v - 1].virt < m->walk.block_size)
		*e = &m->index[v - 1];
	return 1;
}

/* The index entry whose block contains va, or NULL (inline: a lookup of the direct
 * table is a few instructions, and the calls around it were most of its cost) */
static inline const struct vm_index_ent *tce_index_find(const struct tce_model *m,
							  uint64_t va)
{
	const struct vm_index_ent *e;
	size_t lo;

	if (tce_index_direct(m, va, &e))
		return e;
	lo = tce_count_le_virt(m->index, m->nindex, sizeof(*m->index), va);
	if (!lo)
		return NULL;
	e = &m->index[lo - 1];
	if (va - e->virt >= m->walk.block_size)
		return NULL;
	return e;
}

/* An index entry's answer for vmemmap address va in its block */
static inline enum tce_xlat_status tce_index_answer(const struct tce_model *m,
						    const struct vm_index_ent *e, uint64_t va,
						    uint64_t *phys)
{
	*phys = e->phys + (va - e->virt);
	return va - e->virt <= m->walk.block_size - m->psz ? TCE_XS_OK : TCE_XS_STRADDLE;
}

/* TCE_XLAT_INDEX's answer for vmemmap address va (tce_vm_xlat()) */
static inline enum tce_xlat_status tce_index_xlat_va(const struct tce_model *m, uint64_t va,
						     uint64_t *phys)
{
	const struct vm_index_ent *e = tce_index_find(m, va);

	return e ? tce_index_answer(m, e, va, phys) : TCE_XS_NOBLOCK;
}
/* The translations of vmemmap address va (a struct page's start). */
TCE_HIDDEN enum tce_xlat_status tce_vm_xlat(const struct tce_model *m, enum tce_xlat meth,
					    uint64_t va, uint64_t *phys);
/* The function installed into the dump for the vmemmap range (data: the model). */
TCE_HIDDEN int tce_index_xlat(struct tce_dump *d, void *data, uint64_t va,
			      uint64_t *phys, uint64_t *span);

/* compare.c: the runs of disagreement over every pfn; once. */
TCE_HIDDEN int tce_model_compare(struct tce_model *m);
/* Do answers a and b agree (both fail, or both find the same address)? */
TCE_HIDDEN bool tce_answers_agree(const struct xlat_answer *a, const struct xlat_answer *b);

/* tables.c: the search for tables (once; types answers offsets), one table's
 * structure, and its entries joined with the host's pages */
TCE_HIDDEN int tce_model_tables(struct tce_model *m, struct types *t);
TCE_HIDDEN int tce_model_table_read(struct tce_model *m, struct types *t,
				    enum tce_table_kind kind, uint64_t addr,
				    struct tce_table_info *in);
TCE_HIDDEN int tce_model_table_found(struct tce_model *m, struct types *t, size_t i,
				     struct tce_table_info *in);
TCE_HIDDEN int tce_model_table_entries(struct tce_model *m, struct types *t,
				       const struct tce_table_info *ti, uint64_t first,
				       uint64_t last, tce_table_entry_fn fn, void *data,
				       struct tce_table_stats *st);
TCE_HIDDEN void tce_model_tables_free(struct tce_model *m);
/* The table's semantic key, as its findings start (tce_table_key()), into key */
TCE_HIDDEN void tce_model_table_key(struct tce_model *m, struct types *t,
				    const struct tce_table_info *ti, char *key, size_t len);

/*
 * The facts rules about tables read: one pass over every table and every valid entry
 * (also those past the window in memory the table allocated), each entry joined with
 * its host page and that page's struct page, read once.
 */
enum fact3 { F_NA = 0, F_YES, F_NO, F_UNKNOWN };

#define TCE_HOST_STATES (TCE_HOST_NO_MEMSLOT + 1)   /* enum tce_host_state's */

struct table_fact {
	const struct tce_table_info *info;
	const char *key;              /* semantic: "kvm:vm=web-1:liobn=0x80000001",
					 "iommu:phb=0:pe=0x1fd:it_index=0x1fd" */
	const struct iommu_tbl *it;   /* iommu: the structure (it_map, reserved range) */
	bool dma_api;                 /* a powernv table of the kernel's DMA API: it_map
					 set and no it_userspace (VFIO's have none) */
	bool vfio;                    /* VFIO made it: its entries carry vfio facts */
	bool hw;                      /* kvm: a hardware table is attached (hw_same) */
	uint64_t seq;                 /* tables the pass began so far: another table,
					 another seq (the struct itself is reused) */
	int walk_err;                 /* its entries could not be walked: why */
	const char *walk_why;
	struct iommu_walk_stats st;   /* of the walk of the window */
	uint64_t beyond;              /* valid entries past the window, in memory the
					 table allocated; beyond_first the first's position */
	uint64_t beyond_first, beyond_raw;
	bool beyond_known;
	uint64_t vd_batches;          /* batches judged by their entries' verdicts alone
					 (tables.c's probe(); one thread's, for the tests) */
	uint64_t page_reads;          /* struct pages read (one thread's, for the tests) */
	uint64_t gpa_walks;           /* kvm: walks of the VMM's page tables its VM's memo
					 missed (one thread's, for the tests) */
	unsigned memo_grown, vd_grown, gpa_grown; /* doublings of the memo of struct
					 pages, the verdicts and the VM's memo (one
					 thread's, for the tests) */
	bool split;                   /* walked in two halves by two threads (tests) */
	/* why the struct page of pfn cannot be read, for an entry fact whose page_err is
	 * set and page_why NULL: the pass (pass, this thread's) keeps the reasons of the
	 * first pages that failed only, and reads the page again when a rule asks (once
	 * a rule: tce_fact_page_why()) */
	const char *(*page_why)(const struct table_fact *t, uint64_t pfn);
	void *pass;
};

/* (tables.c's pass_one() sets every field by name: a new field is set there too) */
struct entry_fact {
	const struct table_fact *t;
	const struct tce_table_entry *e;
	uint64_t pfn;                 /* the host page's pfn (e->host_state PRESENT) */
	int page_err;                 /* reading its struct page: 0, or the error */
	const char *page_why;         /* ... its reason; NULL: ask tce_fact_page_why() */
	const struct tce_page *pg;    /* page_err 0 */
	const struct tce_page *head;  /* pg is a tail: its head, NULL if unreadable */
	/* the entry continues a run of entries mapping consecutive host pages (one
	 * multi-page DMA buffer, as dma_alloc_coherent()'s non-compound high-order
	 * allocations are, whose pages after the first hold no reference of their own):
	 * the run's first page, NULL when this entry starts a run or it is unreadable */
	const struct tce_page *run_first;
	uint64_t run_start;           /* the index of the run's first entry (e->index when
					 this entry starts one or maps no page): what a
					 finding about this entry was decided from */
	enum fact3 managed;           /* pfn in memory the kernel manages (a present
					 section): YES, NO, UNKNOWN (no mem_section) */
	bool device;                  /* present but not online: device memory the
					 kernel registered (memremap_pages) */
	enum fact3 itmap;             /* dma_api tables: the entry's it_map bit */
	enum fact3 hw_same;           /* kvm with an attached hardware table: does it
					 map the same host page at this bus address? */
	uint64_t hw_raw;              /* hw_same NO: the hardware entry (0: none valid) */
	uint64_t hw_table;
	const struct vfio_fact *vfio; /* a table VFIO made: its entry (vfio.h), else NULL */
};

/*
 * What a batch of facts holds, or'ed over its entries, for rules that can say nothing
 * of a batch without some entry of a kind (a 16M-entry table is 131072 batches; most
 * hold no entry most rules would look at twice)
 */
struct fact_sum {
	const struct table_fact *t;   /* their table */
	uint64_t first, last;         /* the first's e->index and the last's */
	uint64_t raw;                 /* e->raw */
	unsigned states;              /* 1 << e->host_state */
	unsigned has;                 /* FS_*: some entry is so */
	/* how many of the batch's entries are so (of the whole batch, where facts are
	 * handed on in parts: for quiet(), which judges a batch whole) */
	uint32_t count[TCE_HOST_STATES];      /* e->host_state */
	uint32_t hw_no, hw_unknown;   /* hw_same NO, UNKNOWN */
	uint32_t itmap_no, itmap_unknown;     /* itmap NO, UNKNOWN */
};

#define FS_DEVICE 1u                  /* device */
#define FS_UNMANAGED 2u               /* a present host page whose managed is not YES */
#define FS_ITMAP 4u                   /* itmap NO or UNKNOWN */
#define FS_HW 8u                      /* hw_same NO or UNKNOWN */
#define FS_PAGE_ERR 16u               /* a present host page with page_err */
/* a struct page read (pg) that is not plainly a referenced page: _refcount <= 0, or
 * buddy, offline, hardware-poisoned or a tail (FS_PAGE_STATES) */
#define FS_PAGE_ODD 32u
#define FS_PAGE_STATES (TCE_PF_BUDDY | TCE_PF_OFFLINE | TCE_PF_HWPOISON | TCE_PF_TAIL)

/* Entries first..last of a table, by index (bus page number, e->index) */
struct entry_span {
	uint64_t first, last;
};

#define PASS_SKIP 0                   /* the table is not visited */
#define PASS_WHOLE 1                  /* every entry, past the window too */
#define PASS_SPANS 2                  /* the spans alone */

struct table_visitor {
	void *data;
	int (*table)(void *data, const struct table_fact *t);   /* after its entries */
	/* a batch of n entries of one table, in table order, and what they hold (sum);
	 * each fact, and what it points to, lasts until the call returns */
	int (*entries)(void *data, const struct entry_fact *f, size_t n,
		       const struct fact_sum *sum);
	/* NULL, or true when the batch whose sum is sum needs no facts: entries() would
	 * do nothing with it (no finding, no undecided count), or all it would do is
	 * count findings past their rules' cap, which quiet() then counts (when it says
	 * true, never when false).  The pass then makes no facts of the batch. */
	bool (*quiet)(void *data, const struct fact_sum *sum);
	/* NULL: every table whole.  Else what the pass reads of the table whose key is
	 * key: PASS_SKIP, PASS_WHOLE, or PASS_SPANS with *spans (*n of them, sorted,
	 * apart), which the visitor owns (tce_analysis_recheck()) */
	int (*select)(void *data, const char *key, const struct entry_span **spans,
		      size_t *n);
	/* NULL, or a table split over two threads (tables.c): fork() gives data of their
	 * own for the second half's entries (NULL: they cannot be judged apart), which
	 * join() takes back after the first half's: their findings after its (keep),
	 * or dropped; 0 or -TCE_ENOMEM */
	void *(*fork)(void *data);
	int (*join)(void *data, void *child, bool keep);
	tce_progress_fn progress;
	void *progress_data;
};

/* Runs the pass; 0, a visitor's error, or -TCE_ENOMEM / -TCE_EIO.  Tables the search
 * could not read are visited with walk_err set. */
TCE_HIDDEN int tce_model_table_pass(struct tce_model *m, struct types *t,
				    const struct table_visitor *v);

/* page.c */
TCE_HIDDEN int tce_model_page_read(struct tce_model *m, uint64_t pfn, struct tce_page *pg);
/* The same once the vmemmap and the page layout are loaded (tce_model_vmemmap() and
 * tce_model_layout() returned 0), read through d (m's dump, or a clone of it in
 * another thread: m is only read) */
TCE_HIDDEN int tce_model_page_read_on(const struct tce_model *m, struct tce_dump *d,
				      uint64_t pfn, struct tce_page *pg);
/* The same, with no message when the struct page cannot be located (a pfn past the
 * vmemmap, no block backing it): a table of a million such entries is a million
 * messages nobody reads; the dump's own read errors still say theirs */
TCE_HIDDEN int tce_model_page_read_quiet(const struct tce_model *m, struct tce_dump *d,
					 uint64_t pfn, struct tce_page *pg);
/* The struct pages of the n pfns from pfn on (n <= TCE_PAGES_RUN; each out[i]->size
 * sizeof(struct tce_page)) as tce_model_page_read_on() reads them, when they lie whole
 * and side by side in the dump: then read at once, 0; else 1, out[] undefined: each
 * is to be read alone */
#define TCE_PAGES_RUN 32
TCE_HIDDEN int tce_model_pages_read_on(const struct tce_model *m, struct tce_dump *d,
				       uint64_t pfn, size_t n, struct tce_page *const *out);

#endif /* TCE_MODEL_MODEL_H */
