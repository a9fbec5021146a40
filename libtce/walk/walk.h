/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Walkers: each reads one kernel structure from the dump and leaves plain data (arrays
 * of C structs, no dump handles inside) for the model.  Every list walk is bounded and
 * cycle-detecting; every count read from the dump is capped by what the dump can hold.
 * Walkers never print and never judge: what they met (a cycle, a cut) is recorded as
 * data for the rules.
 */
#ifndef TCE_WALK_WALK_H
#define TCE_WALK_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump/dump.h"
#include "types/types.h"

/* ------------------------------------------------------------ vmemmap_list (vmemmap-list.c) */

/* What VMCOREINFO says of the vmemmap_list layout. */
struct vm_params {
	uint64_t head_sym, psize_sym, psdefs_sym;
	uint64_t backing_size, off_list, off_phys, off_virt;
	uint64_t psdef_size, off_shift;
	uint64_t page_size;           /* SIZE(page) */
};

/* How the walk of vmemmap_list ended. */
enum vm_walk_end {
	VM_WALK_NOT_RUN = 0,
	VM_WALK_NO_PARAMS,    /* VMCOREINFO lacks an item (missing) or names nonsense */
	VM_WALK_NO_PSIZE,     /* mmu_psize_defs[mmu_vmemmap_psize].shift unreadable/bad */
	VM_WALK_NULL,         /* the list ended in NULL */
	VM_WALK_CYCLE,        /* an entry links back to an earlier one */
	VM_WALK_BOUND,        /* more entries than the dump can hold */
	VM_WALK_CUT,          /* a link (or the head) cannot be read */
};

struct vm_walk {
	enum vm_walk_end end;
	int err;                      /* NO_PARAMS/NO_PSIZE: -TCE_ENOENT (missing),
					 -TCE_ECORRUPT (impossible), -TCE_ENODATA */
	char why[256];                /* NO_PARAMS/NO_PSIZE: what is missing or wrong;
					 CUT: why the link cannot be read */
	struct vm_params p;
	unsigned block_shift;
	uint64_t block_size;
	uint64_t head;                /* value of vmemmap_list */
	struct tce_vmemmap_block *blocks;   /* list order */
	size_t nblocks;
	size_t cycle_from, cycle_to;  /* CYCLE: entry cycle_from links to cycle_to */
	uint64_t cut_at;              /* CUT: the address that cannot be read */
	uint64_t bound;               /* BOUND: the most entries the dump can hold */
};

/* Walks vmemmap_list into w.  0 whatever the list looks like (w->end says how it
 * ended); negative only when memory runs out. */
TCE_HIDDEN int tce_vm_walk(struct tce_dump *d, struct vm_walk *w);
TCE_HIDDEN void tce_vm_walk_free(struct vm_walk *w);

/* ------------------------------------------------------------ linked structures (klist.c) */

/* The most objects of elem_size bytes the dump's memory can hold, at most max. */
TCE_HIDDEN uint64_t tce_walk_bound(const struct tce_dump *d, uint64_t elem_size,
				   uint64_t max);

/* How a walk of a list or tree ended. */
enum kl_end {
	KL_HEAD = 0,          /* back at the head (lists) or every node seen (trees) */
	KL_NULL,              /* a list link is NULL */
	KL_CYCLE,             /* an entry met twice */
	KL_BOUND,             /* more entries than the dump can hold (or too deep) */
	KL_CUT,               /* a link the dump does not hold */
};

struct kl_walk {
	enum kl_end end;
	uint64_t at;          /* CUT: the entry whose link cannot be read; CYCLE: the entry
				 met twice */
	uint64_t n;           /* entries handed to the callback */
	char why[192];        /* not KL_HEAD: what happened, one line */
};

/* Called with the address of each list_head (lists) or rb_node (trees) */
typedef int kl_fn(void *data, uint64_t node);

/* Walks the circular list whose head (a struct list_head) is at kernel-virtual head,
 * calling fn for each entry's list_head.  0 however the list ends (w says how), fn's
 * non-zero return, -TCE_ENOENT when type information lacks struct list_head, or
 * -TCE_ENOMEM. */
TCE_HIDDEN int tce_klist_walk(struct types *t, uint64_t head, uint64_t bound, kl_fn *fn,
			      void *data, struct kl_walk *w);
/* The same for the red-black tree whose root node is root (0: empty), in order. */
TCE_HIDDEN int tce_rb_walk(struct types *t, uint64_t root, uint64_t bound, kl_fn *fn,
			   void *data, struct kl_walk *w);

/* ------------------------------------------------------------ radix page tables (pgtable.c) */

/* A page-table leaf: [virt, virt + size) -> phys */
struct pgt_leaf {
	uint64_t virt;
	uint64_t size;
	uint64_t phys;
};

struct pgt {
	uint64_t root;               /* physical address of swapper_pg_dir; 0: no tables
					to read */
	bool hash;                   /* root holds hash-format Linux tables (vmalloc, io,
					modules only), else radix ones */
	bool user;                   /* root is a process's (mm->pgd): addresses beyond
					the user address space are refused, not wrapped */
	bool probed;
	enum tce_mmu mmu;            /* what the probe decided */
	enum tce_mmu declared;       /* NUMBER(RADIX_MMU), UNKNOWN when absent */
	enum tce_mmu tables;         /* what the tables look like: RADIX if swapper_pg_dir
					maps itself, HASH if readable and not, else UNKNOWN */
	char why[192];               /* tables not RADIX: why */
	struct pgt_leaf *leaves;     /* sorted by virt, adjacent ones merged */
	size_t nleaves;
	/* what tce_pgt_collect() could not decide: [virt, virt + size) whose tables lie in
	 * pages the dump lacks (makedumpfile excluded them, a hole, a cut), sorted and
	 * merged like the leaves (phys unused); gap_why: the first such page's reason */
	struct pgt_leaf *gaps;
	size_t ngaps;
	char gap_why[160];
};

/* Decides the MMU: NUMBER(RADIX_MMU) when VMCOREINFO has it; else radix if
 * swapper_pg_dir's address translates to itself through radix tables, hash if its
 * tables are in the dump and do not, unknown otherwise.  pt->root is set when the mmu
 * is radix and the tables map themselves.  Returns 0 or -TCE_ENOMEM. */
TCE_HIDDEN int tce_pgt_probe(struct tce_dump *d, struct pgt *pt);
/* Walks one address: 0 and *phys, *leaf_size; -TCE_ENOXLAT unmapped; other errors. */
TCE_HIDDEN int tce_pgt_translate(struct tce_dump *d, const struct pgt *pt, uint64_t va,
				 uint64_t *phys, uint64_t *leaf_size);
/* The last level's table of the latest walk, for the next address under it. */
struct pgt_cache {
	bool valid;
	uint64_t root, tag, table;
};
/* The same, starting at the last level when cache holds its table (cache may be NULL;
 * it is updated); an unmapped address is -TCE_ENOXLAT without a message. */
TCE_HIDDEN int tce_pgt_translate_cached(struct tce_dump *d, const struct pgt *pt,
					struct pgt_cache *cache, uint64_t va, uint64_t *phys,
					uint64_t *leaf_size);
/* Collects the leaves mapping [start, end) into pt->leaves, and into pt->gaps the
 * ranges whose tables the dump lacks (a table is read page by page when it cannot be
 * read whole: one missing page loses its own entries only). */
TCE_HIDDEN int tce_pgt_collect(struct tce_dump *d, struct pgt *pt, uint64_t start,
			       uint64_t end);
TCE_HIDDEN void tce_pgt_free(struct pgt *pt);
/* The translation function the dump runs for vmalloc addresses (data: the struct pgt) */
TCE_HIDDEN int tce_pgt_xlat(struct tce_dump *d, void *data, uint64_t va, uint64_t *phys,
			    uint64_t *span);

/* ------------------------------------------------------------ mem_section (sections.c) */

/* One present memory section. */
struct mem_sect {
	uint64_t nr;                 /* section number */
	uint64_t mem_map;            /* decoded section_mem_map: pfn 0's struct page */
	bool has_mem_map;
	bool online;
};

struct sect_gap {
	uint64_t first, last;        /* section numbers */
};

enum sect_status {
	SECT_NOT_RUN = 0,
	SECT_OK,
	SECT_UNKNOWN,                /* why says what the dump lacks */
};

struct sections {
	enum sect_status status;
	char why[256];
	unsigned size_bits;          /* SECTION_SIZE_BITS */
	unsigned pfn_shift;          /* SECTION_SIZE_BITS - PAGE_SHIFT */
	struct mem_sect *v;          /* present sections, ascending nr */
	size_t n;
	struct sect_gap *gaps;       /* section numbers whose root the dump lacks: unknown */
	size_t ngaps;
	uint64_t mem_map;            /* the one mem_map base all sections agree on, or 0 */
	bool mem_map_agrees;
};

/* What mem_section says of section nr. */
enum sect_answer {
	SECT_ANS_UNKNOWN = 0,         /* no mem_section, or a root the dump lacks */
	SECT_ANS_PRESENT,             /* *ms is the section */
	SECT_ANS_ABSENT,
};
TCE_HIDDEN enum sect_answer tce_sections_lookup(const struct sections *s, uint64_t nr,
						const struct mem_sect **ms);

/* Reads SPARSEMEM's mem_section (roots, then every present section).  0 whatever the
 * dump holds (s->status says); negative only when memory runs out. */
TCE_HIDDEN int tce_sections_read(struct tce_dump *d, struct sections *s);
TCE_HIDDEN void tce_sections_free(struct sections *s);

/* ------------------------------------------------------------ struct page layout (page-layout.c) */

#define TCE_MAX_NAMED_FLAGS 64

struct page_layout {
	bool known;                  /* size and the four fields every read needs */
	char why[128];               /* when not known: what is missing */
	uint64_t size;               /* SIZE(page) */
	uint64_t o_flags, o_refcount, o_mapcount, o_compound_head;
	bool has_mapping, has_private, has_order;
	uint64_t o_mapping, o_private, o_compound_order;
	/* page->flags bits the dump names: NUMBER(PG_x) and PG_head_mask */
	char *flag_name[TCE_MAX_NAMED_FLAGS];   /* "lru"; NULL: not named */
	uint64_t named_mask;
	int bit_of[TCE_PF_COUNT];    /* TCE_PF_* -> flag bit number, -1 unknown */
	/* TCE_PF_* states that are page types kept in _mapcount (page_type): the state
	 * holds when (_mapcount & mask) == value */
	struct page_type {
		bool known;
		uint32_t mask, value;
	} type_of[TCE_PF_COUNT];
	/* the same, for a read of every struct page: the states the dump can say, the
	 * flag bits that say some (flag_mask) and which (TCE_PF_* bits by flag bit), and
	 * the page types (state indices) */
	unsigned known_states;
	uint64_t flag_mask;
	unsigned states_of_bit[TCE_MAX_NAMED_FLAGS];
	unsigned ntype;
	unsigned char type_state[TCE_PF_COUNT];
};

/* Resolves the layout from VMCOREINFO once.  0, or -TCE_ENOMEM. */
TCE_HIDDEN int tce_page_layout(struct tce_dump *d, struct page_layout *l);
TCE_HIDDEN void tce_page_layout_free(struct page_layout *l);


/* ------------------------------------------------------------ iommu_table (iommu-table.c) */

/* One struct iommu_table as read from the dump. */
struct iommu_tbl {
	uint64_t addr;               /* kernel virtual address of the struct */
	uint64_t size, offset, base, page_shift, levels, level_size;
	uint64_t map, index, busno, type, userspace, reserved_start, reserved_end;
	unsigned known;              /* bit i: the i-th optional member (it_map onwards)
					was read */
	uint64_t cap;                /* entries the allocated leaves can hold (it_size
					rounded up to a leaf) */
	bool beyond;                 /* walks may go past it_size, up to cap */
	/* NULL: a walk keeps the levels it met to itself; else the set it adds them to
	 * (with where the indirect entry pointing at each is), kept for the caller: a
	 * walk resumed where another stopped goes on with the levels that one met */
	struct addr_set *levels_met;
};

/* bits of iommu_tbl.known */
#define IT_KNOWN_MAP (1u << 0)
#define IT_KNOWN_USERSPACE (1u << 4)
#define IT_KNOWN_RESERVED (3u << 5)

/* A TCE's permission bits, TCE_PCI_READ | TCE_PCI_WRITE: either makes it valid */
#define TCE_PERM_BITS 0x3ULL

/* One valid TCE. */
struct tce_entry {
	uint64_t index;              /* bus page number (it_offset + position) */
	uint64_t bus;                /* bus address: index << it_page_shift */
	uint64_t raw;                /* the entry as the hardware reads it */
	uint64_t target;             /* physical address it maps */
	unsigned perm;               /* TCE_PCI_READ 1 | TCE_PCI_WRITE 2 */
};

/* An indirect entry that leads nowhere readable: misaligned, or its level is not in
 * the dump (the walk counts its entries as unknown). */
struct odd_level {
	uint64_t value;              /* the entry as stored */
	uint64_t first;              /* position (from 0) of the first entry under it */
	unsigned level;              /* of the level it points at (0: leaves) */
	bool misaligned;             /* not aligned to the level's size */
	bool shared;                 /* a level an earlier indirect entry points at:
					walked once, as the hardware could not */
};

#define WALK_ODD_MAX 16

struct iommu_walk_stats {
	uint64_t valid;              /* entries handed to the callback */
	uint64_t empty_levels;       /* indirect entries that are zero (never populated) */
	uint64_t missing_chunks;     /* reads of table memory the dump does not hold */
	uint64_t unknown_entries;    /* entries under those: unknown */
	uint64_t nodd;               /* indirect entries leading nowhere readable */
	struct odd_level odd[WALK_ODD_MAX];   /* the first of them */
};

typedef int tce_entry_fn(void *data, const struct tce_entry *e);

/* Entries of a leaf level as stored, valid or not: raw[i] is the entry of index
 * index + i (bus page number) */
struct tce_leaf {
	const uint64_t *raw;
	uint64_t n;
	uint64_t index;
	unsigned page_shift;         /* the table's IOMMU page */
	enum tce_byteorder bo;       /* raw's byte order */
};

/* Takes the valid entries of l (read or write set) in order: 0, or non-zero to stop
 * the walk (which returns it); *valid: how many it took, the one it stopped at
 * included.  A walk hands its callback a leaf at a time: a 16M-entry table is 16M
 * entries but a few thousand leaves. */
typedef int tce_leaf_fn(void *data, const struct tce_leaf *l, uint64_t *valid);

/* Entry i of l when valid (read or write set): *e, true */
static inline bool tce_leaf_entry(const struct tce_leaf *l, uint64_t i, struct tce_entry *e)
{
	uint64_t v = tce_bo64(&l->raw[i], l->bo);

	if (!(v & TCE_PERM_BITS))
		return false;
	e->index = l->index + i;
	e->bus = e->index << l->page_shift;
	e->raw = v;
	e->perm = (unsigned)(v & TCE_PERM_BITS);
	e->target = v & ~((1ULL << l->page_shift) - 1);
	return true;
}

/* l's valid entries one at a time to fn, as a tce_leaf_fn would take them; inline, so
 * that a leaf callback passing its own static fn gets fn inlined into the loop */
static inline __attribute__((always_inline)) int
tce_leaf_each(const struct tce_leaf *l, tce_entry_fn *fn, void *data, uint64_t *valid)
{
	struct tce_entry e;
	uint64_t i;
	int ret;

	for (i = 0; i < l->n; i++) {
		if (!tce_leaf_entry(l, i, &e))
			continue;
		++*valid;
		ret = fn(data, &e);
		if (ret)
			return ret;
	}
	return 0;
}

/* The same, out of line */
TCE_HIDDEN int tce_leaf_entries(const struct tce_leaf *l, tce_entry_fn *fn, void *data,
				uint64_t *valid);

/* Reads the iommu_table at addr (offsets from t; the members a walk needs are
 * required, the others read when known).  0, -TCE_ENOENT (type information lacks a
 * member: the message names it), -TCE_ECORRUPT (impossible values), or a read error. */
TCE_HIDDEN int tce_iommu_table_read(struct types *t, uint64_t addr, struct iommu_tbl *tb);
/* Calls fn for every valid entry whose position (from 0) lies in [first, last], in
 * order; fn's non-zero return stops the walk and is returned.  Table memory the dump
 * lacks is counted in st, never read as zeros. */
TCE_HIDDEN int tce_iommu_table_walk(struct tce_dump *d, const struct iommu_tbl *tb,
				    uint64_t first, uint64_t last, tce_entry_fn *fn,
				    void *data, struct iommu_walk_stats *st);
/* The same, a leaf (the part of it in [first, last]) at a time */
TCE_HIDDEN int tce_iommu_table_walk_leaves(struct tce_dump *d, const struct iommu_tbl *tb,
					   uint64_t first, uint64_t last, tce_leaf_fn *fn,
					   void *data, struct iommu_walk_stats *st);

/* The leaf a table's last lookup reached (only for the same top level). */
#define LEAF_BLOCK 64

struct iommu_leaf_cache {
	bool valid;
	uint64_t base;               /* the tree's top level (it_base, it_userspace) */
	uint64_t first;              /* position of the leaf's first entry */
	uint64_t leaf;               /* its kernel virtual address */
	/* entries looked up in order: a block of the leaf's, as stored, read at once
	 * (nblk of them from position blk_first; 0 none) rather than a read an entry */
	uint64_t blk_first;
	unsigned nblk;
	uint64_t blk[LEAF_BLOCK];
};

/* Entry off (from the leaf's first) from lc's block, when the block holds it: true and
 * *raw */
static inline bool tce_leaf_block_get(const struct iommu_leaf_cache *lc, uint64_t off,
				      uint64_t *raw)
{
	if (!lc->nblk || off < lc->blk_first || off - lc->blk_first >= lc->nblk)
		return false;
	*raw = tce_bo64(&lc->blk[off - lc->blk_first], TCE_BE);
	return true;
}

/* tce_iommu_table_get() when lc's block does not hold the entry: the levels walked */
TCE_HIDDEN int tce_iommu_table_fetch(struct tce_dump *d, const struct iommu_tbl *tb,
				     struct iommu_leaf_cache *lc, uint64_t pos, uint64_t *raw);

/* Entry pos (from 0) of the table as stored (0: invalid, or under a level never
 * populated); 0, or the error of a read the dump cannot serve.  No allocation: for
 * lookups one at a time; lc (NULL: none, else zeroed before the first lookup) keeps the
 * leaf for the next lookup in it.  Inline where lc's block holds the entry (a lookup an
 * entry of a 16M-entry table). */
static inline int tce_iommu_table_get(struct tce_dump *d, const struct iommu_tbl *tb,
				      struct iommu_leaf_cache *lc, uint64_t pos, uint64_t *raw)
{
	uint64_t first = tb->levels ? pos & ~(tb->level_size - 1) : 0;

	if (lc && lc->valid && pos < tb->size && tb->base && lc->base == tb->base &&
	    lc->first == first && tce_leaf_block_get(lc, pos - first, raw))
		return 0;
	return tce_iommu_table_fetch(d, tb, lc, pos, raw);
}
/* The same walk of any tree of the table's shape from its top level top (it_base, or
 * it_userspace, which pnv_tce(user=true) lays out alike); pos < tb->size and top are the
 * caller's to check. */
TCE_HIDDEN int tce_iommu_tree_get(struct tce_dump *d, const struct iommu_tbl *tb,
				  uint64_t top, struct iommu_leaf_cache *lc, uint64_t pos,
				  uint64_t *raw);

/* One struct kvmppc_spapr_tce_table: KVM's view of a guest's TCE table (a LIOBN). */
struct stt {
	uint64_t addr;               /* kernel virtual address of the struct */
	uint64_t liobn, page_shift, offset, size;
	uint64_t pages;              /* kernel virtual address of pages[0] */
	uint64_t kvm;                /* its VM; 0 when type information lacks the member */
	bool beyond;                 /* walks may go past size, to the end of the last
					page of pages[] */
};

/* struct page pointer -> physical address of its page; 0 or an error */
typedef int page_phys_fn(void *data, uint64_t page, uint64_t *phys);

TCE_HIDDEN int tce_stt_read(struct types *t, uint64_t addr, struct stt *s);
/* Calls fn for every valid guest-view entry (target: a guest physical address) whose
 * position lies in [first, last], in order; pages the guest never wrote are counted as empty, pages the dump lacks as
 * unknown entries. */
TCE_HIDDEN int tce_stt_walk(struct tce_dump *d, const struct stt *s, uint64_t first,
			    uint64_t last, page_phys_fn *page_phys, void *pdata,
			    tce_entry_fn *fn, void *data, struct iommu_walk_stats *st);
/* The same, a page of pages[] (the part of it in [first, last]) at a time */
TCE_HIDDEN int tce_stt_walk_leaves(struct tce_dump *d, const struct stt *s, uint64_t first,
				   uint64_t last, page_phys_fn *page_phys, void *pdata,
				   tce_leaf_fn *fn, void *data, struct iommu_walk_stats *st);

/* ------------------------------------------------------------ table discovery (discover.c) */

/* Where tables are looked for */
enum disc_src { DISC_KVM = 0, DISC_POWERNV, DISC_PSERIES, DISC_NSRC };

enum disc_status {
	DISC_NOT_RUN = 0,
	DISC_FOUND,           /* walked to the end */
	DISC_ABSENT,          /* nothing of that kind in this kernel (why says) */
	DISC_PARTIAL,         /* walked, but a list was cut or damaged (why says) */
	DISC_UNKNOWN,         /* cannot be walked: why names what is missing */
};

struct disc_source {
	enum disc_status status;
	char why[TCE_ERR_LEN];
	unsigned count;       /* VMs (kvm), PHBs (powernv, pseries) */
};

/* One table found. */
struct disc_table {
	enum tce_table_kind kind;
	uint64_t addr;
	enum disc_src src;
	char found[160];      /* the path that led to it */
	uint64_t id;          /* LIOBN (kvm) or it_index (iommu), once read */
	int64_t phb, pe;      /* PHB (global_number) and PE number, -1 unknown */
	uint64_t kvm;         /* kvm: its VM */
	int64_t pid;          /* kvm: the VMM's pid (kvm->userspace_pid), -1 unknown */
	bool pseries;         /* an LPAR's window: its entries live in the hypervisor */
	/* iommu: the VM and LIOBN whose guest view VFIO attached it to */
	uint64_t attached_kvm, attached_liobn, attached_stt;
	/* iommu: other PEs whose tables[] hold it too, and how many more */
	struct tce_table_pe shared[TCE_TABLE_SHARED_MAX];
	unsigned nshared, shared_more;
	int err;              /* its structure cannot be read: the error, why says */
	char why[256];
};

/* A VM, and (once tce_vm_load() ran) what joins its guest addresses to host pages. */
struct kvm_slot {
	uint64_t base_gfn, npages, ua;
	int id;
	/* for tce_vm_gpa_hit(), set by tce_vm_load(): the pages from base_gfn this slot
	 * answers for (npages, or fewer where the next slot starts: the search finds the
	 * last slot starting at or below a gfn), and ua - (base_gfn << page shift), which
	 * a guest address in the slot plus is its VMM address (modulo 2^64) */
	uint64_t span, delta;
};

struct disc_vm {
	uint64_t kvm;
	int64_t pid;
	bool loaded;
	uint64_t mm, pgd;     /* pgd: physical address of the VMM's top table; 0 unknown */
	char mm_why[192];     /* pgd 0: why */
	struct kvm_slot *slots;   /* sorted by base_gfn */
	size_t nslots;
	bool slots_known;
	char slots_why[256];  /* !slots_known, or a partial walk: why */
	uint64_t slots_end;   /* set by tce_vm_load(): the last slot's end (UINT64_MAX if it
				 wraps); a gfn from there is in no slot (vm_slot()) */
	struct pgt_cache walk;   /* the VMM's page tables: the last PTE table walked */
	unsigned page_shift;  /* the dump's, set by tce_vm_load() */
	size_t hint;          /* tce_vm_gpa(): the slot its last answer found */
	bool memo_ready;      /* loaded, with slots, the VMM's tables and the memo:
				 tce_vm_gpa_hit() may answer */
	/* host pages translated (tce_vm_gpa): entries map the same guest pages again and
	 * again; direct-mapped by the VMM's page number, allocated at the first use, of
	 * 1 << memo_bits slots (GPA_MEMO_BITS, doubled up to GPA_MEMO_BITS_MAX when the
	 * pages the tables map in turn do not fit: of its last misses, as many as its
	 * slots, half of those the ghost watched were of pages translated before) */
	struct gpa_memo *memo;
	unsigned memo_bits;
	uint64_t memo_misses;  /* since the memo was made or last decided */
	uint64_t walks;        /* page-table walks for the memo's misses */
	unsigned memo_grown;   /* times the memo doubled */
	struct tce_ghost ghost;        /* the VMM's pages translated lately, counted
					  as memo_misses */
	/* the messages of walks the dump could not serve (a page table it lacks), each
	 * once, which the memo's GM_FAILED slots name: the VMM's pages under one missing
	 * table share it (up to GM_FAILS_MAX; the others are walked each time) */
	char **fails;
	unsigned nfails;
	bool ident_done;
	char ident[80];       /* for keys: "vm=NAME" (QEMU's -name, else -uuid, from the
				 VMM's argv), else "pid=N", else "pid=unknown" */
};

struct disc {
	struct disc_source src[DISC_NSRC];
	struct disc_table *t;
	size_t n, cap;
	struct disc_vm *vms;
	size_t nvms, vmcap;
	unsigned nphbs;
};

/* Finds every table.  0 whatever the dump holds (out->src says how each source
 * ended); -TCE_ENOMEM. */
TCE_HIDDEN int tce_discover(struct types *t, struct disc *out);
TCE_HIDDEN void tce_disc_free(struct disc *o);
TCE_HIDDEN const char *tce_disc_src_name(enum disc_src s);

/* ------------------------------------------------------------ a VM's memory (kvm-vm.c) */

/* What a guest physical address is on the host. */
struct gpa_host {
	enum tce_host_state state;
	int slot;             /* memslot id, -1 none */
	uint64_t hva;         /* the VMM's address; 0 without a slot */
	/* (why between hva and phys: a caller copying both would load them as one 16-byte
	 * word, which the two 8-byte stores just made cannot forward: a stall an entry) */
	const char *why;      /* not PRESENT: why (NOT_PRESENT, NO_MEMSLOT: a constant; the
				 entry's target and hva say where), else NULL */
	uint64_t phys;        /* PRESENT: the host physical address */
	char why_buf[320];    /* UNKNOWN: what why points at */
};

/* The PEs of an iommu table for its key: "0x1fd", "0x1fd+0x1fe" (shared, same PHB),
 * "0x1fd+0x5@phb=1" (another PHB's PE), "...+2-more" past those kept; buf */
TCE_HIDDEN const char *tce_disc_pes(const struct tce_table_info *ti, char *buf, size_t len);
/* Reads a VM's mm and active memslots once.  0 (what it lacks is recorded in vm),
 * or -TCE_ENOMEM. */
TCE_HIDDEN int tce_vm_load(struct types *t, struct disc_vm *vm);
/* Frees what tce_vm_load() and tce_vm_gpa() allocated in vm */
TCE_HIDDEN void tce_vm_free(struct disc_vm *vm);
/* Frees the messages of vm's failed walks (a copy of a VM has its own) */
TCE_HIDDEN void tce_vm_fails_free(struct disc_vm *vm);
/* The VM's identity for finding keys, once (vm->ident): the name its VMM was given on
 * its command line (QEMU's -name guest=NAME or -name NAME, else -uuid), read from the
 * VMM's argv in user memory through its page tables (hash says their format; mmu_known
 * false: not tried), which survives a reboot as a pid does not; else the pid. */
TCE_HIDDEN void tce_vm_ident(struct types *t, struct disc_vm *vm, bool mmu_known, bool hash);
/* The name in a VMM's argv (len bytes of NUL-separated arguments): 1 and out ("vm=..."
 * with every byte outside [A-Za-z0-9._-] made '_'), or 0 when it names none. */
TCE_HIDDEN int tce_vmm_argv_ident(const char *argv, size_t len, char *out, size_t outlen);
/* gpa -> memslot -> VMM address -> the VMM's page tables (hash says their format). */
TCE_HIDDEN void tce_vm_gpa(struct tce_dump *d, struct disc_vm *vm, bool hash, uint64_t gpa,
			   struct gpa_host *out);
/* The same without the VM's memo and walk cache, which it neither reads nor writes: the
 * page-table walk starts from the caller's cache (a thread of its own may translate
 * while another walks the VM's tables with tce_vm_gpa()) */
TCE_HIDDEN void tce_vm_gpa_own(struct tce_dump *d, struct disc_vm *vm, bool hash, uint64_t gpa,
			       struct pgt_cache *cache, struct gpa_host *out);

/* Translations kept a VM (vm->memo): a 16M-entry table maps a few thousand guest pages,
 * over and over; each walk of the VMM's page tables costs a read a level.  64 KiB at
 * first, 4 MiB at most (a quarter of a million pages) */
#define GPA_MEMO_BITS 12
#define GPA_MEMO_BITS_MAX 18

struct gpa_memo {
	uint64_t page;        /* the VMM's page number + 1; 0: empty */
	uint64_t phys;        /* the host physical address of that page | GM_PRESENT, or
				 0: the VMM's page tables map nothing there; | GM_HASH:
				 the hash MMU's tables said it (16 bytes: four a line) */
};

#define GM_PRESENT 1ULL
#define GM_HASH 2ULL
/* the walk failed (a read the dump cannot serve): the message is the VM's fails[phys >>
 * GM_FAIL_SHIFT]; an answer only tce_vm_gpa() gives (its message names the entry) */
#define GM_FAILED 4ULL
#define GM_FAIL_SHIFT 3
#define GM_FAILS_MAX 256

/* The slot of the VMM's page pg in a VM's memo of 1 << bits slots (mask: one less):
 * consecutive pages in consecutive slots */
static inline size_t tce_vm_memo_index(uint64_t pg, unsigned bits, uint64_t mask)
{
	return (size_t)((pg ^ (pg >> bits)) & mask);
}

static inline struct gpa_memo *tce_vm_memo_slot(struct gpa_memo *memo, unsigned bits,
						uint64_t pg)
{
	return &memo[tce_vm_memo_index(pg, bits, (1ULL << bits) - 1)];
}

TCE_HIDDEN extern const char tce_vm_no_map[];  /* NOT_PRESENT's why */
TCE_HIDDEN extern const char tce_vm_no_slot[]; /* NO_MEMSLOT's */

/* The memo's answer for the VMM's page pg (hva in it) in gm: true with out's state,
 * phys and why set as tce_vm_gpa() sets them, false if gm holds another page, the
 * other MMU's answer or a failed walk */
static inline bool tce_vm_memo_answer(const struct gpa_memo *gm, uint64_t pg, bool hash,
				      uint64_t hva, unsigned ps, struct gpa_host *out)
{
	if (gm->page != pg + 1 || (gm->phys & (GM_HASH | GM_FAILED)) != (hash ? GM_HASH : 0))
		return false;
	if (gm->phys & GM_PRESENT) {
		out->state = TCE_HOST_PRESENT;
		out->phys = (gm->phys & ~(GM_PRESENT | GM_HASH)) | (hva & ((1ULL << ps) - 1));
		out->why = NULL;
	} else {
		out->state = TCE_HOST_NOT_PRESENT;
		out->phys = 0;
		out->why = tce_vm_no_map;
	}
	return true;
}

/* Does gm hold a failed walk of the VMM's page pg for this MMU (GM_FAILED)?  The one
 * answer of the memo tce_vm_memo_answer() does not give */
static inline bool tce_vm_memo_failed(const struct gpa_memo *gm, uint64_t pg, bool hash)
{
	return gm->page == pg + 1 &&
	       (gm->phys & (GM_HASH | GM_FAILED)) == (GM_FAILED | (hash ? GM_HASH : 0));
}

/* What tce_vm_hit() reads of a VM, taken once for many lookups (a loop keeps it in
 * registers, where the stores between them could otherwise alias the VM): valid until
 * the next tce_vm_gpa() on the VM */
struct vm_hit {
	struct gpa_memo *memo;
	unsigned memo_bits;
	uint64_t memo_mask;               /* (1 << memo_bits) - 1, made once */
	uint64_t base_gfn, span, delta;   /* the memslot of the last answer; span 0: none */
	uint64_t slots_end;               /* gfns from here: no memslot (UINT64_MAX: ask) */
	unsigned ps;
	int id;
	bool hash;
};

static inline void tce_vm_hit_begin(const struct disc_vm *vm, bool hash, struct vm_hit *h)
{
	const struct kvm_slot *s = vm->memo_ready ? &vm->slots[vm->hint] : NULL;

	h->memo = vm->memo;
	h->memo_bits = vm->memo_bits;
	h->memo_mask = (1ULL << vm->memo_bits) - 1;
	h->hash = hash;
	h->ps = vm->page_shift;
	h->base_gfn = s ? s->base_gfn : 0;
	h->span = s ? s->span : 0;
	h->delta = s ? s->delta : 0;
	h->id = s ? s->id : -1;
	h->slots_end = vm->loaded && vm->slots_known ? vm->slots_end : UINT64_MAX;
}

/*
 * tce_vm_gpa()'s answer where it needs no call: gpa in the memslot of its last answer
 * and the VMM's page in the memo.  true with out set as tce_vm_gpa() sets it (its why a
 * constant), false: ask tce_vm_gpa().  Inline: a 16M-entry table asks for every entry.
 */
static inline bool tce_vm_hit(const struct vm_hit *h, uint64_t gpa, struct gpa_host *out)
{
	uint64_t hva, pg, gfn = gpa >> h->ps;

	if (gfn - h->base_gfn >= h->span) {
		/* past every memslot (a table filled beyond the guest's memory): what
		 * tce_vm_gpa() answers, without its call */
		if (gfn < h->slots_end)
			return false;
		out->state = TCE_HOST_NO_MEMSLOT;
		out->slot = -1;
		out->hva = out->phys = 0;
		out->why = tce_vm_no_slot;
		return true;
	}
	hva = gpa + h->delta;
	pg = hva >> h->ps;
	if (!tce_vm_memo_answer(&h->memo[tce_vm_memo_index(pg, h->memo_bits, h->memo_mask)], pg,
				h->hash, hva, h->ps, out))
		return false;
	out->slot = h->id;
	out->hva = hva;
	return true;
}

/* The same for one lookup */
static inline bool tce_vm_gpa_hit(const struct disc_vm *vm, bool hash, uint64_t gpa,
				  struct gpa_host *out)
{
	struct vm_hit h;

	tce_vm_hit_begin(vm, hash, &h);
	return tce_vm_hit(&h, gpa, out);
}

#endif /* TCE_WALK_WALK_H */
