// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * TCE tables in the model: the search for every table (walk/discover.c), run once and
 * kept; one table's structure as the public struct tce_table_info; and the walk of its
 * entries, each joined with what it maps on the host.  Hardware entries hold host
 * physical addresses already; a guest view's entries hold guest physical addresses,
 * which reach the host through the table's VM (its memslots and the VMM's page
 * tables, read once a VM and cached here).
 */
#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/vfio.h"

int tce_model_tables(struct tce_model *m, struct types *t)
{
	int ret;

	if (m->disc_loaded) {
		if (m->disc_status)
			tce_set_err(m->d, -m->disc_status, "%s", m->disc_err);
		return m->disc_status;
	}
	ret = tce_types_load(t);
	if (ret)
		return ret;
	/* vmalloc'd structures and levels need the page tables; struct pages the vmemmap */
	ret = tce_model_vmemmap(m);
	if (ret == -TCE_ENOMEM || ret == -TCE_EIO)
		return ret;
	tce_clear_err(m->d);
	ret = tce_discover(t, &m->disc);
	if (ret == -TCE_ENOMEM || ret == -TCE_EIO) {
		snprintf(m->disc_err, sizeof(m->disc_err), "%s", tce_errmsg(m->d));
		tce_disc_free(&m->disc);
	}
	m->disc_loaded = true;
	m->disc_status = ret;
	return ret;
}

void tce_model_tables_free(struct tce_model *m)
{
	size_t i;

	tce_disc_free(&m->disc);
	tce_vfio_model_free(m);
	for (i = 0; i < m->nvmc; i++)
		tce_vm_free(&m->vmc[i]);
	free(m->vmc);
	m->vmc = NULL;
	m->nvmc = 0;
}

int tce_model_table_read(struct tce_model *m, struct types *t, enum tce_table_kind kind,
			 uint64_t addr, struct tce_table_info *in)
{
	int ret;

	in->kind = kind;
	in->addr = addr;
	in->pid = in->phb = in->pe = -1;
	ret = tce_model_vmemmap(m);
	if (ret == -TCE_ENOMEM || ret == -TCE_EIO)
		return ret;
	tce_clear_err(m->d);
	if (kind == TCE_TABLE_IOMMU) {
		struct iommu_tbl tb;

		ret = tce_iommu_table_read(t, addr, &tb);
		if (ret)
			return ret;
		in->id = tb.index;
		in->offset = tb.offset;
		in->entries = tb.size;
		in->page_shift = (unsigned)tb.page_shift;
		in->levels = (unsigned)tb.levels + 1;
		in->level_size = tb.level_size;
		in->base = tb.base;
		/* it_map onwards are optional: bit 4 is it_userspace (iommu-table.c) */
		in->userspace = (tb.known & (1u << 4)) && tb.userspace;
		return 0;
	}
	if (kind == TCE_TABLE_KVM) {
		struct stt st;

		ret = tce_stt_read(t, addr, &st);
		if (ret)
			return ret;
		in->id = st.liobn;
		in->offset = st.offset;
		in->entries = st.size;
		in->page_shift = (unsigned)st.page_shift;
		in->levels = 1;
		in->level_size = tce_dump_page_size(m->d) / 8;
		in->base = st.pages;
		in->vm = st.kvm;
		return 0;
	}
	return tce_set_err(m->d, TCE_EINVAL, "no table kind %d", (int)kind);
}

int tce_model_table_found(struct tce_model *m, struct types *t, size_t i,
			  struct tce_table_info *in)
{
	const struct disc_table *dt;
	int ret;

	if (!m->disc_loaded || i >= m->disc.n)
		return tce_set_err(m->d, TCE_EINVAL, "no table %zu", i);
	dt = &m->disc.t[i];
	if (!dt->err) {
		ret = tce_model_table_read(m, t, dt->kind, dt->addr, in);
		if (ret == -TCE_ENOMEM || ret == -TCE_EIO)
			return ret;
		if (ret) {
			/* read at the search but not now: cannot happen with one dump */
			in->err = ret;
			in->why = tce_errmsg(m->d);
		}
	}
	in->kind = dt->kind;
	in->addr = dt->addr;
	in->id = dt->id;
	in->source = (enum tce_table_source)dt->src;
	in->found = dt->found;
	in->phb = dt->phb;
	in->pe = dt->pe;
	if (dt->kind == TCE_TABLE_KVM) {
		in->vm = dt->kvm;
		in->pid = dt->pid;
	}
	in->attached_vm = dt->attached_kvm;
	in->attached_liobn = dt->attached_liobn;
	in->nshared = dt->nshared;
	in->shared = dt->shared;
	in->shared_more = dt->shared_more;
	in->hv_entries = dt->pseries && !dt->err && !in->base;
	if (dt->err) {
		in->err = dt->err;
		in->why = dt->why;
	}
	return 0;
}

/* The VM at kvm, its memslots and mm read (once) */
static int model_vm(struct tce_model *m, struct types *t, uint64_t kvm, struct disc_vm **out)
{
	struct disc_vm *vm = NULL, *nv;
	size_t i;

	for (i = 0; i < m->disc.nvms && !vm; i++)
		if (m->disc.vms[i].kvm == kvm)
			vm = &m->disc.vms[i];
	for (i = 0; i < m->nvmc && !vm; i++)
		if (m->vmc[i].kvm == kvm)
			vm = &m->vmc[i];
	if (!vm) {
		nv = realloc(m->vmc, (m->nvmc + 1) * sizeof(*nv));
		if (!nv)
			return tce_set_err(m->d, TCE_ENOMEM, "VMs: out of memory");
		m->vmc = nv;
		vm = &m->vmc[m->nvmc++];
		memset(vm, 0, sizeof(*vm));
		vm->kvm = kvm;
		vm->pid = -1;
	}
	*out = vm;
	return tce_vm_load(t, vm);
}

struct pass;
struct batch;

/*
 * Which of entry_host()'s cases every entry of a walk takes, known once a table: a
 * 16M-entry table asks for each entry (fill_host(), fill_vm()), and the tests of the
 * other cases were a tenth of the walk's callback
 */
enum host_case {
	HC_ANY,                       /* any: tested an entry */
	HC_HOST,                      /* an iommu table without it_userspace */
	HC_VM,                        /* kvm, its VM and the host's MMU known */
	HC_VM_HIT,                    /* HC_VM, gh the answer of the VM's memo */
};

struct entries_ctx {
	struct tce_dump *d;           /* what the walk reads through */
	tce_table_entry_fn fn;
	void *data;
	/* the rules' pass: entries straight into its batch, handed on by post() when
	 * full (fill_entry()) */
	struct pass *pass;
	int (*post)(struct pass *p);
	enum host_case hc;            /* the rules' pass: its entries' (fill_fn()) */
	bool host;
	struct disc_vm *vm;           /* kvm: the table's VM, NULL unknown */
	const char *no_vm;            /* kvm without vm: why */
	enum tce_mmu mmu;
	/* iommu tables VFIO made: the it_userspace tree (walk/vfio.c), else NULL */
	const struct iommu_tbl *ut;
	struct iommu_leaf_cache *uc;
	char *ua_why;
};

/* e as the public entry out, joined with its host page; out's whys may point into gh
 * and c->ua_why, which the next entry reuses.  hc: a constant, HC_ANY or the case c is
 * known to be (host_case()) */
static inline __attribute__((always_inline)) void
entry_host(const struct entries_ctx *c, const struct tce_entry *e, struct tce_table_entry *out,
	   struct gpa_host *gh, enum host_case hc)
{
	enum tce_host_state state = TCE_HOST_UNKNOWN;
	uint64_t phys = 0, hva = 0, ua = 0;
	const char *why = NULL, *ua_why = NULL;
	int slot = -1;

	if (hc == HC_ANY && c->ut &&
	    tce_vfio_ua_get(c->d, c->ut, c->uc, e->index - c->ut->offset, &ua)) {
		snprintf(c->ua_why, TCE_ERR_LEN, "%s", tce_errmsg(c->d));
		tce_clear_err(c->d);
		ua = 0;
		ua_why = c->ua_why;
	}
	if (hc == HC_HOST || (hc == HC_ANY && c->host)) {
		state = TCE_HOST_PRESENT;
		phys = e->target;
	} else if (hc == HC_ANY && !c->vm) {
		why = c->no_vm;
	} else if (hc == HC_ANY && c->mmu == TCE_MMU_UNKNOWN) {
		why = "the host's MMU is unknown, so the format of the VMM's page tables is";
	} else {
		if (hc != HC_VM_HIT &&
		    !tce_vm_gpa_hit(c->vm, c->mmu == TCE_MMU_HASH, e->target, gh))
			tce_vm_gpa(c->d, c->vm, c->mmu == TCE_MMU_HASH, e->target, gh);
		state = gh->state;
		phys = gh->phys;
		hva = gh->hva;
		slot = gh->slot;
		why = state == TCE_HOST_PRESENT ? NULL : gh->why;
	}
	/* field by field, each once: an initializer is rep stos, dear at 16M entries */
	out->size = sizeof(*out);
	out->index = e->index;
	out->bus = e->bus;
	out->raw = e->raw;
	out->target = e->target;
	out->perm = e->perm;
	out->host = c->host;
	out->host_state = state;
	out->host_phys = phys;
	out->hva = hva;
	out->memslot = slot;
	out->host_why = why;
	out->ua = ua;
	out->ua_why = ua_why;
}

static int entry_cb(void *data, const struct tce_entry *e)
{
	const struct entries_ctx *c = data;
	struct tce_table_entry out;
	struct gpa_host gh;

	entry_host(c, e, &out, &gh, HC_ANY);
	return c->fn(c->data, &out);
}

/* a struct page pointer -> the physical address of its page: (page - base) / SIZE(page)
 * is its pfn */
static int page_phys(void *data, uint64_t page, uint64_t *phys)
{
	const struct tce_model *m = data;
	uint64_t pfn;

	if (!m->base || !m->psz || page < m->base || (page - m->base) % m->psz)
		return -TCE_ENOXLAT;
	pfn = (page - m->base) / m->psz;
	if (pfn > (UINT64_MAX >> tce_dump_page_shift(m->d)))
		return -TCE_ENOXLAT;
	*phys = pfn << tce_dump_page_shift(m->d);
	return 0;
}

/* One table's walk: set up through the model's dump (prepare_walk()), then run
 * through any handle on it (run_walk()): the model's, or a thread's clone */
struct walk_job {
	const struct tce_model *m;
	enum tce_table_kind kind;
	tce_entry_fn *wfn;            /* the walker's callback: entry_cb, fill_entry... */
	tce_leaf_fn *wleaf;           /* or, when set, its callback a leaf at a time */
	struct entries_ctx c;
	struct iommu_tbl tb, ut;
	struct iommu_leaf_cache uc;
	struct stt s;
	char ua_why[TCE_ERR_LEN];
};

static int prepare_walk(struct tce_model *m, struct types *t, const struct tce_table_info *ti,
			tce_table_entry_fn fn, void *data, struct walk_job *j)
{
	size_t isize = ti->size;
	int ret;

	memset(j, 0, sizeof(*j));
	j->m = m;
	j->kind = ti->kind;
	j->wfn = entry_cb;
	j->wleaf = NULL;
	j->c.d = m->d;
	j->c.fn = fn;
	j->c.data = data;
	if (ti->kind == TCE_TABLE_IOMMU) {
		if (isize >= offsetof(struct tce_table_info, hv_entries) + sizeof(bool) &&
		    ti->hv_entries)
			return tce_set_err(m->d, TCE_ENODATA, "iommu_table at 0x%" PRIx64 " is an "
					   "LPAR's window: its entries live in the hypervisor, "
					   "not in this dump", ti->addr);
		j->tb = (struct iommu_tbl){
			.addr = ti->addr, .size = ti->entries, .offset = ti->offset,
			.base = ti->base, .page_shift = ti->page_shift,
			.levels = ti->levels ? ti->levels - 1 : 0, .level_size = ti->level_size,
		};
		j->c.host = true;
		/* VFIO's: the userspace address of each entry */
		if (isize >= offsetof(struct tce_table_info, userspace) + sizeof(bool) &&
		    ti->userspace && !m->vfio_skip &&
		    !tce_iommu_table_read(t, ti->addr, &j->ut) &&
		    j->ut.userspace) {
			j->c.ut = &j->ut;
			j->c.uc = &j->uc;
			j->c.ua_why = j->ua_why;
		}
		tce_clear_err(m->d);
	} else if (ti->kind == TCE_TABLE_KVM) {
		uint64_t kvm = isize >= offsetof(struct tce_table_info, vm) + sizeof(uint64_t) ?
			       ti->vm : 0;
		struct disc_vm *vm = NULL;
		struct stt again;

		j->s = (struct stt){
			.addr = ti->addr, .liobn = ti->id, .page_shift = ti->page_shift,
			.offset = ti->offset, .size = ti->entries, .pages = ti->base,
		};
		/* a caller's info of the older, shorter size: the VM from the table itself */
		if (!kvm && !tce_stt_read(t, ti->addr, &again))
			kvm = again.kvm;
		tce_clear_err(m->d);
		j->c.no_vm = "the table's VM is unknown (type information lacks "
			     "kvmppc_spapr_tce_table.kvm)";
		if (kvm) {
			ret = model_vm(m, t, kvm, &vm);
			if (ret)
				return ret;
			j->c.vm = vm;
		}
		ret = tce_model_mmu(m, &j->c.mmu);
		if (ret == -TCE_ENOMEM || ret == -TCE_EIO)
			return ret;
		tce_clear_err(m->d);
	} else {
		return tce_set_err(m->d, TCE_EINVAL, "no table kind %d", (int)ti->kind);
	}
	return 0;
}

static int run_walk(struct tce_dump *d, struct walk_job *j, uint64_t first, uint64_t last,
		    struct iommu_walk_stats *ws)
{
	j->c.d = d;
	if (j->kind == TCE_TABLE_IOMMU)
		return j->wleaf ? tce_iommu_table_walk_leaves(d, &j->tb, first, last, j->wleaf,
							      &j->c, ws) :
		       tce_iommu_table_walk(d, &j->tb, first, last, j->wfn, &j->c, ws);
	return j->wleaf ? tce_stt_walk_leaves(d, &j->s, first, last, page_phys, (void *)j->m,
					      j->wleaf, &j->c, ws) :
	       tce_stt_walk(d, &j->s, first, last, page_phys, (void *)j->m, j->wfn, &j->c, ws);
}

/* A leaf's valid entries counted, nothing more (tce_table_entries() without fn) */
static int count_leaf(void *data, const struct tce_leaf *l, uint64_t *valid)
{
	uint64_t i, n = 0;

	(void)data;
	for (i = 0; i < l->n; i++)
		n += (tce_bo64(&l->raw[i], l->bo) & TCE_PERM_BITS) != 0;
	*valid += n;
	return 0;
}

/* tce_model_table_entries() with the walker's own statistics */
static int table_entries(struct tce_model *m, struct types *t, const struct tce_table_info *ti,
			 uint64_t first, uint64_t last, tce_table_entry_fn fn, void *data,
			 struct iommu_walk_stats *ws)
{
	struct walk_job *j = malloc(sizeof(*j));
	int ret;

	if (!j)
		return tce_set_err(m->d, TCE_ENOMEM, "TCE tables: out of memory");
	ret = prepare_walk(m, t, ti, fn, data, j);
	if (!ret && !fn)
		j->wleaf = count_leaf;
	if (!ret)
		ret = run_walk(m->d, j, first, last, ws);
	free(j);
	return ret;
}

int tce_model_table_entries(struct tce_model *m, struct types *t,
			    const struct tce_table_info *ti, uint64_t first, uint64_t last,
			    tce_table_entry_fn fn, void *data, struct tce_table_stats *st)
{
	struct iommu_walk_stats ws;
	size_t ssize = st ? st->size : 0;
	struct tce_table_stats out = { .size = sizeof(out) };
	int ret;

	ret = table_entries(m, t, ti, first, last, fn, data, &ws);
	if (ret)
		return ret;
	out.valid = ws.valid;
	out.unpopulated = ws.empty_levels;
	out.missing = ws.missing_chunks;
	out.unknown = ws.unknown_entries;
	if (st && ssize >= sizeof(size_t)) {
		if (ssize > sizeof(out))
			ssize = sizeof(out);
		memcpy(st, &out, ssize);
		st->size = ssize;
	}
	return 0;
}

/* ------------------------------------------------------------ the rules' pass */

#define PASS_TICK (1u << 20)
/* entries a batch: its slots (120 bytes each, 15 KiB) and its facts stay in the first
 * level cache between the walk that fills them and the rules that read them (512: 20%
 * more CPU on a 16M-entry table) */
#define BATCH 128
#define FACTS 128                     /* facts handed to the rules at a time */
#define MEMO_BITS 13                  /* the memo's first size */
#define MEMO_BITS_MAX 17              /* ... and its largest: 64K pages, 21 MiB */
#define MEMO_ARENA (256u << 10)
#define B_ARENA (64u << 10)
#define SLOT_PENDING 1                /* err of a slot not read yet */

/*
 * Struct pages read, by pfn (entries share pages: a 16M-entry table of a small guest
 * maps a few thousand): an open-addressing table, emptied at once by a new generation
 * when half full, between batches only, so a batch's slots stay.  A pass's own: a table
 * split over two threads has one in each.
 *
 * It starts small, which keeps its keys in the second-level cache: most tables map
 * each page in one run of entries, and a bigger memo only misses the cache more (2^17
 * slots: 1.4x the check of the forge's 16M profile).  A table that maps a working set
 * of pages over and over that the memo cannot hold (a guest's 8192 pages in turn) would
 * read each page again at every entry; the ghost of the pages the table read lately
 * tells such reads, and when half of the reads it watched since the memo was last
 * emptied were of pages read before, the memo doubles (to MEMO_BITS_MAX) as it is
 * emptied.
 */

/* A slot's key, apart from its page (16 bytes, four to a cache line): a probe and the
 * batch's sum (resolve()) touch no struct page */
struct memo_key {
	uint64_t pfn;
	uint32_t gen;                 /* the memo's generation that filled it; else empty */
	/* what an entry mapping the page has of its fact: its FS_* bits (FS_PAGE_ERR,
	 * FS_PAGE_ODD, FS_UNMANAGED, FS_DEVICE), set by read_slots() */
	unsigned has;
};

struct memo_state {
	struct memo_key *key;         /* 1 << bits of each: slot[h]'s key is key[h] */
	struct page_slot *slot;
	unsigned bits;
	size_t mask;                  /* (1 << bits) - 1 */
	uint32_t gen;
	size_t used;
	struct tce_ghost ghost;       /* the pfns read lately; counted since the memo
					 was last emptied */
	char *arena;                  /* the whys of the slots that failed */
	size_t arena_used;
	struct page_slot **miss;      /* a batch's slots to read */
	struct page_slot **seen;      /* a batch's slots, as its entries change page */
};

struct page_slot {
	uint64_t pfn;
	int err;                      /* 0: pg holds the page; else the read's error */
	const char *why;              /* err: why (NULL: the arena was full, ask again) */
	struct page_slot *head;       /* pg a tail: its head's slot, NULL if unknown */
	/* an entry mapping the page: its fact's managed and device */
	enum fact3 managed;
	bool device;
	struct tce_page pg;
};

/* What an entry's fact holds beyond its entry and page: its it_map bit (dma_api) and
 * what an attached hardware table maps at its bus address (entry_fact's) */
struct ent_more {
	enum fact3 itmap, hw_same;
	uint64_t hw_raw, hw_table;
};

struct batch_ent {
	struct tce_table_entry e;
	struct page_slot *slot;       /* host_state PRESENT: the host page's */
};

/* A batch of entries and the whys they point at (the walker's buffers change) */
struct batch {
	struct batch_ent *b;
	/* b[i]'s more, set by resolve() when p->more (apart: most tables have none, and
	 * what the pass touches an entry stays in the first-level cache) */
	struct ent_more *more;
	size_t nb;
	char *arena;
	size_t arena_used;
};

struct split;

/* A run of entries on consecutive host pages (entry_fact.run_first) */
struct run_state {
	uint64_t index, pfn;          /* the last entry of the run and its pfn */
	uint64_t start;               /* the index of its first entry */
	bool valid;
	const struct tce_page *pg;    /* its first page: in the memo, or pass.run_first
					 (NULL: unreadable) */
};

/*
 * Verdicts: what an entry brings to its batch's sum (resolve()), by its raw value, in a
 * table whose entries' facts follow from their values alone: a VM's entries, or a
 * hardware table's without it_userspace, with no it_map bit, attached hardware table
 * or VFIO model to look up by index (vd_use()).  Where a table's entries repeat (many
 * entries mapping the same few pages), a batch whose every entry has a verdict is
 * judged from them alone (probe()): the same sum, so quiet() answers the same, without
 * filling, translating or resolving it; a batch that is not quiet goes the usual way.
 * Open addressing, emptied when half full, when the memo is (the first page of the run
 * a batch leaves is found there by its pfn), and at each table.  TCE_INSPECT_VERDICTS=0
 * keeps none
 * (the tests compare the two).  A table that has had a window of batches resolved
 * (and learnt from) while fewer were judged by verdicts gets no more: its entries do not
 * repeat enough within the verdicts' reach (a linear window, pages shared at random) to
 * pay for their learning (vd_window()).  Verdicts that fill up while half the values
 * a ghost watched since they were last emptied were learnt before (the values come
 * back, more than the verdicts hold) double (to VD_BITS_MAX) instead of being emptied.
 * A table whose verdicts were stopped gets them again when the memo grows.
 */
struct verdict {
	uint64_t raw;                 /* the entries' vd_key(); 0: an empty slot */
	uint64_t w;                   /* VD_*: what the entry brings, packed */
};

/* The key of an entry's verdict: its raw value with both permission bits set (never 0).
 * What an entry brings does not depend on its permission (its host page does not), and
 * a guest that maps its pages read-only, write-only and read-write has a third of the
 * verdicts (the 24576 values of 8192 guest pages in turn: 8192, in a quarter of a
 * megabyte of cache rather than one) */
static inline uint64_t vd_key(uint64_t raw)
{
	return raw | TCE_PERM_BITS;
}

/* A verdict's w: sixteen bytes a verdict, so that the 8192 of a table over 8192 guest
 * pages in turn (2^14 slots) take a quarter of a megabyte of cache, not half */
#define VD_PFN_BITS 52                /* its host page: pfn below 2^52 (host_phys >> 12) */
#define VD_HAS_SHIFT VD_PFN_BITS      /* the page's FS_* bits (below 1 << VD_HAS_BITS) */
#define VD_HAS_BITS 6
#define VD_STATE_SHIFT (VD_HAS_SHIFT + VD_HAS_BITS) /* 1 << its enum tce_host_state
						     (fact_sum.states) */
#define VD_STATE_BITS 4
/* TCE_HOST_PRESENT: pfn and has say its page */
#define VD_PAGE (1ULL << (VD_STATE_SHIFT + VD_STATE_BITS))

#define VD_AHEAD 8                    /* probe()'s prefetch distance, in entries, */
#define VD_BITS_AHEAD 15              /* ... from verdicts of 512 KiB */
#define VD_BITS 13                    /* the verdicts' first size (4096 values) */
#define VD_BITS_MAX 18                /* ... and their largest: 128K values, 4 MiB */

struct pass {
	struct tce_model *m;
	struct tce_dump *d;           /* what this pass reads through: the model's dump, or
					 a second thread's clone (split_main()) */
	struct memo_state ms;         /* struct pages read, by pfn */
	/* entries are taken a batch at a time: the struct pages the batch needs read in
	 * the order of their pfns (neighbours share the dump's blocks), then the entries
	 * handed to the rules in table order */
	struct batch fill;
	struct tce_dump *wd;          /* a second thread's handle, made at the first use */
	bool pages_ok;                /* vmemmap and page layout loaded: threads may read */
	/* a table split over two threads: the first half's walk stops at entry index
	 * stop, which is only the place the second half's scan starts at until that
	 * scan said where the second half starts (stop_final) */
	struct split *split;
	uint64_t stop;
	bool stop_final;
	struct types *t;
	const struct table_visitor *v;
	struct table_fact *tf;
	const struct tce_table_info *infos;   /* every table found, tce_analysis_table order */
	size_t ninfos;
	/* it_map: one chunk of the bitmap at a time */
	uint64_t map_first;           /* first entry position the chunk covers */
	uint64_t map_words[512];
	bool map_valid, map_missing;
	/* kvm: the hardware tables VFIO attached to this LIOBN */
	const struct tce_table_info *hw[4];
	struct iommu_tbl hwt[4];      /* their structures, read once a table */
	struct iommu_leaf_cache hwc[4];
	bool hwt_ok[4];
	size_t nhw;
	/* the guest's pages past the host page its TCE's first lies in: translated here,
	 * in the rules' thread, with a walk cache of its own (NULL: cannot be) */
	struct disc_vm *hw_vm;
	bool hw_hash;
	struct pgt_cache hw_walk;
	/* the last memory section looked up */
	uint64_t sect_nr;
	enum fact3 sect_managed;
	bool sect_device, sect_valid;
	uint64_t done;
	uint64_t tables_begun;
	int err;
	/* the run of consecutive host pages the last entries mapped */
	struct run_state run;
	/* resolve()'s view of the batch: what its facts hold (the rules' sum, which
	 * batch_quiet() asks them about), and the run of pages its entries leave */
	struct fact_sum pre_sum;
	struct run_state pre_run;
	bool more;                    /* its entries' more is set (else all F_NA) */
	struct tce_page run_first;    /* a run that goes on past its batch: its first page
					 (the memo may be emptied between batches) */
	/* verdicts of the table's entries (struct verdict) */
	struct verdict *vd;           /* 1 << vd_bits */
	unsigned vd_bits;
	size_t vd_used;
	bool vd_on;                   /* its entries get verdicts (vd_use()) */
	bool vd_off;                  /* ... no more: they do not repeat */
	bool vd_never;                /* TCE_INSPECT_VERDICTS=0 */
	struct tce_ghost vd_ghost;    /* the values learnt lately; counted since the
					 verdicts were last emptied */
	uint64_t vd_judged, vd_learnt; /* batches judged by them, and resolved to learn
					 them, in this window of vd_window() learnt */
	/* the facts of a batch's entries, handed to the rules together (BATCH) */
	struct entry_fact *facts;
	size_t nfacts;
	/* the table being visited */
	struct table_fact cur;
	bool vfio;                    /* a table VFIO made: its entries' facts in vf */
	struct vfio_fact vf;
	struct iommu_tbl it;
	unsigned page_shift;          /* the dump's */
	char key[128], why[TCE_ERR_LEN], page_why[TCE_ERR_LEN];
};

/* n more entries judged: a tick each PASS_TICK entries (counted a batch at a time) */
static void progress(struct pass *p, size_t n)
{
	uint64_t before = p->done;

	p->done += n;
	if (p->v->progress && before / PASS_TICK != p->done / PASS_TICK)
		p->v->progress(p->v->progress_data, "TCE entries",
			       p->done / PASS_TICK * PASS_TICK, 0);
}

/* it_map is read a chunk of ITMAP_SPAN bits at a time */
#define ITMAP_SPAN (64 * 512)

/* The chunk of it_map that holds position pos (from it_offset) into p->map_words */
static void itmap_chunk(struct pass *p, uint64_t pos)
{
	const struct iommu_tbl *it = p->tf->it;
	uint64_t first = pos / ITMAP_SPAN * ITMAP_SPAN;
	uint64_t words = (it->size + 63) / 64 - first / 64;

	if (words > ITMAP_SPAN / 64)
		words = ITMAP_SPAN / 64;
	p->map_first = first;
	p->map_valid = true;
	p->map_missing = tce_read(p->d, TCE_KVADDR, it->map + first / 8, p->map_words,
				  words * 8) != 0;
	tce_clear_err(p->d);
}

/* The host address of the guest's TCE e's part at off: in the host page of its first
 * byte, from that; past it, through the VMM's page tables; 0 when unknown */
static int hw_host(struct pass *p, const struct tce_table_entry *e, uint64_t off,
		   uint64_t *hpa)
{
	uint64_t in_page = e->host_phys & ((1ULL << p->page_shift) - 1);
	struct gpa_host gh;

	if (in_page + off < (1ULL << p->page_shift)) {
		*hpa = e->host_phys + off;
		return 0;
	}
	if (!p->hw_vm)
		return -1;
	tce_vm_gpa_own(p->d, p->hw_vm, p->hw_hash, e->target + off, &p->hw_walk, &gh);
	if (gh.state != TCE_HOST_PRESENT)
		return -1;
	*hpa = gh.phys;
	return 0;
}

/* Does hardware table i's entry idx (from its offset) map hpa's page?  F_YES; F_NO,
 * with x->hw_raw its value when it is valid; F_UNKNOWN when it cannot be read. */
static inline enum fact3 hw_entry(struct pass *p, size_t i, uint64_t idx, uint64_t hpa,
				  struct ent_more *x)
{
	const uint64_t mask = (1ULL << p->hw[i]->page_shift) - 1;
	uint64_t raw;

	if (tce_iommu_table_get(p->d, &p->hwt[i], &p->hwc[i], idx, &raw)) {
		tce_clear_err(p->d);
		return F_UNKNOWN;
	}
	if (!(raw & 3) || (raw & ~mask) != (hpa & ~mask)) {
		x->hw_raw = raw & 3 ? raw : 0;
		return F_NO;
	}
	return F_YES;
}

/*
 * Does every attached hardware table map the same host pages at e's bus address?  A
 * guest TCE of larger pages than a hardware table's is written there as one entry a
 * hardware page (kvmppc_tce_iommu_map()'s subpages): each is compared, with the host
 * address of the part of the guest's page it maps.  Any that differs: F_NO; any that
 * cannot be read or whose host page is unknown: F_UNKNOWN; else F_YES.
 */
static void hw_compare(struct pass *p, const struct tce_table_entry *e, struct ent_more *f)
{
	const struct tce_table_info *ti = p->tf->info;
	bool unknown = false, same = false;
	size_t i;

	f->hw_same = F_NA;
	for (i = 0; i < p->nhw; i++) {
		const struct tce_table_info *hw = p->hw[i];
		uint64_t idx = e->bus >> hw->page_shift, n = 1, s, hpa;

		if (idx < hw->offset || idx - hw->offset >= hw->entries)
			continue;
		f->hw_table = hw->addr;
		if (!p->hwt_ok[i] || e->host_state != TCE_HOST_PRESENT) {
			unknown = true;
			continue;
		}
		if (ti->page_shift > hw->page_shift && ti->page_shift - hw->page_shift < 32)
			n = 1ULL << (ti->page_shift - hw->page_shift);
		for (s = 0; s < n && idx + s - hw->offset < hw->entries; s++) {
			enum fact3 r = F_UNKNOWN;

			if (!hw_host(p, e, s << hw->page_shift, &hpa))
				r = hw_entry(p, i, idx + s - hw->offset, hpa, f);
			if (r == F_NO) {
				f->hw_same = F_NO;
				return;
			}
			if (r == F_UNKNOWN) {
				unknown = true;
				break;
			}
		}
		if (s == n)
			same = true;
	}
	if (unknown)
		f->hw_same = F_UNKNOWN;
	else if (same)
		f->hw_same = F_YES;
}

/* Is pfn in memory the kernel manages (a present section), and device memory? */
static void managed(struct pass *p, uint64_t pfn, enum fact3 *managed, bool *device)
{
	const struct sections *s = &p->m->sect;
	uint64_t nr = pfn >> s->pfn_shift;
	const struct mem_sect *ms = NULL;

	*managed = F_UNKNOWN;
	*device = false;
	if (s->status != SECT_OK)
		return;
	/* neighbouring pages: the section before is likely this one */
	if (p->sect_valid && p->sect_nr == nr) {
		*managed = p->sect_managed;
		*device = p->sect_device;
		return;
	}
	switch (tce_sections_lookup(s, nr, &ms)) {
	case SECT_ANS_UNKNOWN:
		return;
	case SECT_ANS_PRESENT:
		*managed = F_YES;
		*device = !ms->online;
		break;
	case SECT_ANS_ABSENT:
		*managed = F_NO;
		break;
	}
	p->sect_valid = true;
	p->sect_nr = nr;
	p->sect_managed = *managed;
	p->sect_device = *device;
}

/* The key of a slot's page */
static inline struct memo_key *slot_key(const struct pass *p, const struct page_slot *sl)
{
	return &p->ms.key[sl - p->ms.slot];
}

/*
 * The memo's key of pfn, or, when it has none, the empty key where it goes (never full:
 * at most half the slots and two batches' worth are used).  Four consecutive pfns share
 * a line of keys (entries map runs of pages: the keys a table's pages need stay in the
 * first-level cache), the groups spread by Fibonacci hashing (pfns of any stride do not
 * pile up)
 */
static inline size_t memo_index(const struct pass *p, uint64_t pfn)
{
	size_t h = ((size_t)(((pfn >> 2) * 0x9e3779b97f4a7c15ULL) >> 32) & p->ms.mask & ~3ULL) |
		   (pfn & 3);

	for (;; h = (h + 1) & p->ms.mask)
		if (p->ms.key[h].gen != p->ms.gen || p->ms.key[h].pfn == pfn)
			return h;
}

/* The memo's slot of pfn, or NULL */
static const struct page_slot *memo_find(const struct pass *p, uint64_t pfn)
{
	size_t h = memo_index(p, pfn);

	return p->ms.key[h].gen == p->ms.gen ? &p->ms.slot[h] : NULL;
}

/* The memo's slot of pfn, a new one (err SLOT_PENDING) if it has none: *fresh says */
static inline struct page_slot *memo_slot(struct pass *p, uint64_t pfn, bool *fresh)
{
	size_t h = memo_index(p, pfn);
	struct memo_key *k = &p->ms.key[h];
	struct page_slot *sl;

	if (k->gen == p->ms.gen) {
		*fresh = false;
		return &p->ms.slot[h];
	}
	k->gen = p->ms.gen;
	k->pfn = pfn;
	k->has = 0;
	sl = &p->ms.slot[h];
	sl->pfn = pfn;
	sl->err = SLOT_PENDING;
	sl->why = NULL;
	sl->head = NULL;
	p->ms.used++;
	*fresh = true;
	return sl;
}

/* The struct page of pfn read through the pass's handle: the model's dump, which loads
 * the vmemmap and the layout first (unless both are: pages_ok), or a clone in another
 * thread once both are (m is then only read); say: with a message when it cannot be
 * located (tce_model_page_read_quiet()) */
static int page_read(const struct pass *p, uint64_t pfn, struct tce_page *pg, bool say)
{
	if (p->d == p->m->d && !p->pages_ok)
		return tce_model_page_read(p->m, pfn, pg);
	return say ? tce_model_page_read_on(p->m, p->d, pfn, pg) :
	       tce_model_page_read_quiet(p->m, p->d, pfn, pg);
}

/* table_fact's page_why: the page read again for its message, into the pass's buffer
 * (the rule that asks copies it at once) */
static const char *page_why_again(const struct table_fact *t, uint64_t pfn)
{
	struct pass *p = t->pass;
	struct tce_page rd = { .size = sizeof(rd) };

	if (!page_read(p, pfn, &rd, true))
		snprintf(p->page_why, sizeof(p->page_why), "it could not be read when the "
			 "pass read it, and can now (the memory of a running system changes "
			 "while it is read)");
	else
		snprintf(p->page_why, sizeof(p->page_why), "%s", tce_errmsg(p->d));
	tce_clear_err(p->d);
	return p->page_why;
}

static int cmp_slot(const void *a, const void *b)
{
	uint64_t x = (*(struct page_slot *const *)a)->pfn;
	uint64_t y = (*(struct page_slot *const *)b)->pfn;

	return x < y ? -1 : x > y;
}

#define SORT_SMALL 24

/*
 * miss[0..n) in pfn order.  A batch misses a few pages (16 on the forge's 16M profile),
 * mostly in one direction: neighbouring entries map neighbouring pages, upwards, or
 * downwards where the page allocator handed them out so.  A run already in order is
 * left, one in reverse order turned, a few sorted by insertion; qsort() only for many
 * pages out of order (it cost 1900 instructions a batch of 16).
 */
static void sort_slots(struct page_slot **miss, size_t n)
{
	size_t i, j, up = 0, down = 0;

	for (i = 1; i < n; i++) {
		up += miss[i - 1]->pfn < miss[i]->pfn;
		down += miss[i - 1]->pfn > miss[i]->pfn;
	}
	if (!down)
		return;
	if (!up) {
		for (i = 0, j = n - 1; i < j; i++, j--) {
			struct page_slot *sl = miss[i];

			miss[i] = miss[j];
			miss[j] = sl;
		}
		return;
	}
	if (n > SORT_SMALL) {
		qsort(miss, n, sizeof(*miss), cmp_slot);
		return;
	}
	for (i = 1; i < n; i++) {
		struct page_slot *sl = miss[i];

		for (j = i; j && miss[j - 1]->pfn > sl->pfn; j--)
			miss[j] = miss[j - 1];
		miss[j] = sl;
	}
}

/* The slots from miss[i] on (up to TCE_PAGES_RUN) holding consecutive pfns, whose
 * struct pages lie side by side in the dump: read together (tce_model_pages_read_on()),
 * and how many; 0, nothing read, when there are not two such, or before the layout is
 * loaded (page_read()): each is read alone */
static size_t run_of_slots(struct pass *p, size_t i, size_t n)
{
	struct tce_page *pg[TCE_PAGES_RUN];
	struct page_slot *const *miss = p->ms.miss + i;
	size_t k;

	if (!p->pages_ok)
		return 0;
	for (k = 1; k < n - i && k < TCE_PAGES_RUN && miss[k]->pfn == miss[0]->pfn + k; k++)
		;
	if (k == 1)
		return 0;
	for (i = 0; i < k; i++) {
		miss[i]->pg.size = sizeof(miss[i]->pg);
		pg[i] = &miss[i]->pg;
	}
	return tce_model_pages_read_on(p->m, p->d, miss[0]->pfn, k, pg) ? 0 : k;
}

/* Reads the struct pages of the slots miss[0..n) in pfn order */
static int read_slots(struct pass *p, size_t n)
{
	struct tce_dump *d = p->d;
	size_t i, len, run = 0;
	unsigned has;

	sort_slots(p->ms.miss, n);
	p->tf->page_reads += n;
	for (i = 0; i < n; i++) {
		struct page_slot *sl = p->ms.miss[i];

		tce_ghost_meet(&p->ms.ghost, sl->pfn);
		if (!run)
			run = run_of_slots(p, i, n);
		if (run) {
			run--;
			sl->err = 0;
		} else {
			sl->pg.size = sizeof(sl->pg);
			/* a page that cannot be located says nothing: page_why_again() */
			sl->err = page_read(p, sl->pfn, &sl->pg, false);
		}
		if (sl->err == -TCE_ENOMEM)
			return sl->err;
		managed(p, sl->pfn, &sl->managed, &sl->device);
		has = (sl->managed != F_YES ? FS_UNMANAGED : 0) | (sl->device ? FS_DEVICE : 0);
		if (sl->err)
			has |= FS_PAGE_ERR;
		else if ((sl->pg.states & FS_PAGE_STATES) || sl->pg.refcount <= 0)
			has |= FS_PAGE_ODD;
		slot_key(p, sl)->has = has;
		/* a page that cannot be located has no message: page_why_again() */
		if (sl->err && *tce_errmsg(d)) {
			len = strlen(tce_errmsg(d)) + 1;
			if (len <= MEMO_ARENA - p->ms.arena_used) {
				sl->why = memcpy(p->ms.arena + p->ms.arena_used,
						 tce_errmsg(d), len);
				p->ms.arena_used += len;
			}
		}
		tce_clear_err(d);
	}
	return 0;
}

/* gcc 12's -fanalyzer loses the stores of the pass's buffers into struct pass and
 * struct memo_state (p->ms.slot, p->fill.b, ...) and calls them leaked;
 * tce_model_table_pass() frees them (and LeakSanitizer checks it in the tests) */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif

/* Is the memo too full for another batch?  Then it is emptied (memo_reset()) before
 * the batch is resolved, once no batch in flight points into it. */
static bool memo_full(const struct pass *p)
{
	return p->ms.used + 2 * BATCH > ((size_t)1 << p->ms.bits) / 2;
}

/* A new generation of a table whose slots say which filled them (gen): every slot
 * empty at once; the slots (bytes of them) cleared when gen wraps round */
static void next_gen(uint32_t *gen, void *slots, size_t bytes)
{
	if (!++*gen) {
		memset(slots, 0, bytes);
		*gen = 1;
	}
}

/* Every verdict gone */
static void vd_forget(struct pass *p)
{
	if (p->vd_used)
		memset(p->vd, 0, ((size_t)1 << p->vd_bits) * sizeof(*p->vd));
	p->vd_used = 0;
	tce_ghost_restart(&p->vd_ghost);
}

/* The memo twice as big, empty; false (nothing changed) when memory runs out: it
 * stays as it is */
static bool memo_grow(struct pass *p)
{
	unsigned bits = p->ms.bits + 1;
	struct memo_key *key = tce_zalloc((size_t)1 << bits, sizeof(*key));
	struct page_slot *slot = tce_big_alloc(((size_t)1 << bits) * sizeof(*slot));

	if (!key || !slot) {
		tce_zfree(key, (size_t)1 << bits, sizeof(*key));
		free(slot);
		return false;
	}
	tce_zfree(p->ms.key, (size_t)1 << p->ms.bits, sizeof(*p->ms.key));
	free(p->ms.slot);
	p->ms.key = key;
	p->ms.slot = slot;
	p->ms.bits = bits;
	p->ms.mask = ((size_t)1 << bits) - 1;
	p->ms.gen = 1;
	/* verdicts stopped as the memo, which they point into, was emptied under them
	 * may pay now */
	p->vd_off = false;
	p->vd_judged = p->vd_learnt = 0;
	return true;
}

static void memo_reset(struct pass *p)
{
	bool grown = tce_ghost_back(&p->ms.ghost) && p->ms.bits < MEMO_BITS_MAX &&
		     memo_grow(p);

	if (grown)
		p->tf->memo_grown++;
	else
		next_gen(&p->ms.gen, p->ms.key, ((size_t)1 << p->ms.bits) * sizeof(*p->ms.key));
	p->ms.used = 0;
	tce_ghost_restart(&p->ms.ghost);
	p->ms.arena_used = 0;
	vd_forget(p);          /* they point into it */
}

/* A new table: no verdict, and they are tried again */
static void vd_table(struct pass *p)
{
	vd_forget(p);
	p->vd_on = p->vd_off = false;
	p->vd_judged = p->vd_learnt = 0;
	tce_ghost_clear(&p->vd_ghost);
}

/* Do the entries of the table being walked get verdicts?  Asked by the callbacks of
 * the walks whose entries' pages follow from their values (HC_VM, HC_HOST) */
static inline bool vd_use(struct pass *p)
{
	const struct table_fact *tf = p->tf;

	p->vd_on = !p->vd_off && !p->vd_never && p->v->quiet && !p->vfio && !tf->dma_api &&
		   !(tf->info->kind == TCE_TABLE_KVM && p->nhw);
	return p->vd_on;
}

/* Where raw's verdict is looked for first among 1 << bits */
static inline size_t vd_hash(uint64_t raw, unsigned bits)
{
	return (size_t)((raw * 0x9e3779b97f4a7c15ULL) >> (64 - bits));
}

/* The slot of vd (1 << bits of them) holding raw's verdict, or, when none does, the
 * empty slot where it goes (never full: at most half the slots are used) */
static inline struct verdict *vd_slot(struct verdict *vd, unsigned bits, uint64_t raw)
{
	size_t h = vd_hash(raw, bits);

	for (;; h = (h + 1) & (((size_t)1 << bits) - 1))
		if (!vd[h].raw || vd[h].raw == raw)
			return &vd[h];
}

/* The batches of a window of verdicts: those that would fill them with new values
 * sixteen times over (1024 at first), so that values that come back after more than
 * the verdicts hold are seen to, by the ghost; the learning costs a quarter of a
 * batch's work, so a window wasted on a table whose values do not repeat costs a
 * tenth of a percent of a 16M-entry table */
static inline uint64_t vd_window(const struct pass *p)
{
	return ((uint64_t)1 << p->vd_bits) / 8;
}

/* The verdicts twice as many, none kept; false (nothing changed) without memory */
static bool vd_grow(struct pass *p)
{
	unsigned bits = p->vd_bits + 1;
	struct verdict *vd = tce_zalloc((size_t)1 << bits, sizeof(*vd));

	if (!vd)
		return false;
	tce_zfree(p->vd, (size_t)1 << p->vd_bits, sizeof(*p->vd));
	p->vd = vd;
	p->vd_bits = bits;
	p->vd_used = 0;
	tce_ghost_restart(&p->vd_ghost);
	return true;
}

/* The verdicts of the batch's entries, their pages read */
static __attribute__((noinline)) void vd_learn(struct pass *p, const struct batch *bt)
{
	uint64_t last = 0;
	size_t i;

	if (++p->vd_learnt == vd_window(p)) {
		if (p->vd_judged < p->vd_learnt) {
			p->vd_off = true;
			p->vd_on = false;
			return;
		}
		p->vd_judged = p->vd_learnt = 0;
	}
	for (i = 0; i < bt->nb; i++) {
		const struct batch_ent *be = &bt->b[i];
		struct verdict *v;
		uint64_t w;

		if (i && vd_key(be->e.raw) == last)
			continue;
		last = vd_key(be->e.raw);
		v = vd_slot(p->vd, p->vd_bits, last);
		if (v->raw)
			continue;
		if ((unsigned)be->e.host_state >= VD_STATE_BITS)
			continue;
		w = (uint64_t)(1u << be->e.host_state) << VD_STATE_SHIFT;
		if (be->slot) {
			uint64_t pfn = be->e.host_phys >> p->page_shift;
			unsigned has = slot_key(p, be->slot)->has;

			/* what does not fit gets no verdict: its batches go the usual way */
			if (pfn >> VD_PFN_BITS || has >> VD_HAS_BITS)
				continue;
			w |= VD_PAGE | pfn | (uint64_t)has << VD_HAS_SHIFT;
		}
		if (p->vd_used == ((size_t)1 << p->vd_bits) / 2) {
			/* full: twice as many when half the values the ghost watched
			 * since they were last emptied were learnt before (they come
			 * back, more than they hold), else emptied */
			if (tce_ghost_back(&p->vd_ghost) && p->vd_bits < VD_BITS_MAX &&
			    vd_grow(p))
				p->tf->vd_grown++;
			else
				vd_forget(p);
			v = vd_slot(p->vd, p->vd_bits, last);
		}
		p->vd_used++;
		tce_ghost_meet(&p->vd_ghost, last);
		v->raw = last;
		v->w = w;
	}
}

/* An entry at index mapping pfn (its struct page pg, NULL unreadable) into run r: true
 * if it continues the run (consecutive entries on consecutive pages: one buffer) */
static inline bool run_step(struct run_state *r, uint64_t index, uint64_t pfn,
			    const struct tce_page *pg)
{
	bool more = r->valid && index == r->index + 1 && pfn == r->pfn + 1;

	if (!more) {
		r->valid = true;
		r->start = index;
		r->pg = pg;
	}
	r->index = index;
	r->pfn = pfn;
	return more;
}

/* A DMA-API table's batch: each entry's it_map bit (ent_more's itmap), counted into
 * sum; its entries are in index order, so the chunk of the bitmap changes seldom */
static void batch_itmap(struct pass *p, struct batch *bt, struct fact_sum *sum)
{
	const enum tce_byteorder bo = tce_dump_byteorder(p->d);
	const uint64_t offset = p->tf->info->offset, size = p->tf->it->size;
	size_t i;

	for (i = 0; i < bt->nb; i++) {
		uint64_t index = bt->b[i].e.index, pos = index - offset, rel;
		struct ent_more *x = &bt->more[i];

		*x = (struct ent_more){ .itmap = F_NA, .hw_same = F_NA };
		/* (it_map has it_size bits: an entry past them has none) */
		if (index < offset || pos >= size)
			continue;
		rel = pos - p->map_first;
		if (!p->map_valid || rel >= ITMAP_SPAN) {
			itmap_chunk(p, pos);
			rel = pos - p->map_first;
		}
		if (p->map_missing) {
			x->itmap = F_UNKNOWN;
			sum->itmap_unknown++;
		} else if ((tce_bo64(&p->map_words[rel / 64], bo) >> (rel % 64)) & 1) {
			x->itmap = F_YES;
		} else {
			x->itmap = F_NO;
			sum->itmap_no++;
		}
	}
	if (sum->itmap_no || sum->itmap_unknown)
		sum->has |= FS_ITMAP;
}

/* A guest view's batch with hardware tables attached: does each entry's host page
 * agree with theirs (ent_more's hw_same), counted into sum */
static void batch_hw(struct pass *p, struct batch *bt, struct fact_sum *sum)
{
	const struct tce_table_info *hw = p->hw[0];
	/* one table whose pages are no smaller than the guest's, readable (VFIO's own
	 * shape, KVM's commonest): each entry is compared with one of its entries, at the
	 * host address the entry starts at; as hw_compare() does, without its loops */
	const bool one = p->nhw == 1 && p->hwt_ok[0] &&
			 p->tf->info->page_shift <= hw->page_shift;
	size_t i;

	for (i = 0; i < bt->nb; i++) {
		const struct tce_table_entry *e = &bt->b[i].e;
		struct ent_more *x = &bt->more[i];
		uint64_t idx = e->bus >> hw->page_shift;

		*x = (struct ent_more){ .itmap = F_NA, .hw_same = F_NA };
		if (!one) {
			hw_compare(p, e, x);
		} else if (idx >= hw->offset && idx - hw->offset < hw->entries) {
			x->hw_table = hw->addr;
			x->hw_same = e->host_state != TCE_HOST_PRESENT ? F_UNKNOWN :
				     hw_entry(p, 0, idx - hw->offset, e->host_phys, x);
		}
		if (x->hw_same == F_NO)
			sum->hw_no++;
		else if (x->hw_same == F_UNKNOWN)
			sum->hw_unknown++;
	}
	if (sum->hw_no || sum->hw_unknown)
		sum->has |= FS_HW;
}

/* What the batch's facts hold beyond their entries and pages (struct ent_more), into sum
 * too: a table of the DMA API has it_map bits, a guest view may have hardware tables
 * attached, never both */
static void batch_more(struct pass *p, struct batch *bt, struct fact_sum *sum)
{
	p->more = true;
	if (p->tf->dma_api)
		batch_itmap(p, bt, sum);
	else if (p->tf->info->kind == TCE_TABLE_KVM && p->nhw)
		batch_hw(p, bt, sum);
	else
		p->more = false;
}

/*
 * The struct pages of the batch's host pages and of their heads, from the memo or read;
 * the memo has room (memo_full() is false).  On the way, what batch_quiet() asks: the
 * batch's sum (its pages' FS_* bits once the pages are read) and the run of pages it
 * leaves (p->pre_sum, p->pre_run), in the same loop over its entries.
 */
static int resolve(struct pass *p, struct batch *bt)
{
	struct page_slot *last = NULL, *run_slot = NULL, *sl;
	struct fact_sum sum = { .t = p->tf };
	uint64_t last_pfn = 0;
	struct run_state r = p->run;
	size_t i, n = 0, nh = 0, ns = 0;
	bool fresh;
	int ret;

	for (i = 0; i < bt->nb; i++) {
		struct batch_ent *be = &bt->b[i];
		uint64_t pfn = be->e.host_phys >> p->page_shift;

		sum.raw |= be->e.raw;
		sum.states |= 1u << be->e.host_state;
		be->slot = NULL;
		if (be->e.host_state != TCE_HOST_PRESENT) {
			sum.count[be->e.host_state]++;
			r.valid = false;
			continue;
		}
		/* neighbours often map one page */
		if (!last || last_pfn != pfn) {
			last = memo_slot(p, pfn, &fresh);
			last_pfn = pfn;
			if (fresh)
				p->ms.miss[n++] = last;
			p->ms.seen[ns++] = last;
		}
		be->slot = last;
		/* a run begun here: its first page is known once read */
		if (!run_step(&r, be->e.index, pfn, NULL))
			run_slot = last;
	}
	ret = read_slots(p, n);
	if (ret)
		return ret;
	/* the heads of the tail pages read now (those read before have theirs) */
	for (i = 0; i < n; i++) {
		sl = p->ms.miss[i];
		if (sl->err || !(sl->pg.states & TCE_PF_TAIL) || sl->pg.head_pfn == TCE_NO_PFN)
			continue;
		sl->head = memo_slot(p, sl->pg.head_pfn, &fresh);
		if (fresh)
			p->ms.miss[n + nh++] = sl->head;
	}
	if (nh) {
		memmove(p->ms.miss, p->ms.miss + n, nh * sizeof(*p->ms.miss));
		ret = read_slots(p, nh);
		if (ret)
			return ret;
	}
	/* the present ones: the rest (the loop counts the few others) */
	sum.count[TCE_HOST_PRESENT] = (uint32_t)bt->nb;
	for (i = 0; i < TCE_HOST_STATES; i++)
		if (i != TCE_HOST_PRESENT)
			sum.count[TCE_HOST_PRESENT] -= sum.count[i];
	for (i = 0; i < ns; i++)
		sum.has |= slot_key(p, p->ms.seen[i])->has;
	if (p->vd_on)
		vd_learn(p, bt);
	batch_more(p, bt, &sum);
	if (run_slot)
		r.pg = run_slot->err ? NULL : &run_slot->pg;
	if (bt->nb) {
		sum.first = bt->b[0].e.index;
		sum.last = bt->b[bt->nb - 1].e.index;
	}
	p->pre_sum = sum;
	p->pre_run = r;
	return 0;
}

/* The facts gathered so far to the rules, with their batch's sum (what they hold is in
 * it: a rule may look at more than it needs, never at less) */
static int visit_facts(struct pass *p)
{
	struct fact_sum sum = p->pre_sum;
	size_t n = p->nfacts;

	p->nfacts = 0;
	if (!n || !p->v->entries)
		return 0;
	sum.first = p->facts[0].e->index;
	sum.last = p->facts[n - 1].e->index;
	return p->v->entries(p->v->data, p->facts, n, &sum);
}

/* One entry of the batch, its page resolved, into the batch's facts: to the rules at
 * the batch's end (visit_batch()), or at once when a fact points into a buffer the
 * next entry reuses */
static int pass_one(struct pass *p, const struct batch_ent *be)
{
	const struct tce_table_entry *e = &be->e;
	struct entry_fact *f = &p->facts[p->nfacts++];
	const struct ent_more *x;
	const struct tce_page *pg = NULL, *head = NULL, *run_first = NULL;
	const char *page_why = NULL;
	uint64_t pfn = 0, run_start = e->index;
	int page_err = 0;
	bool now = false;

	f->managed = F_NA;
	f->device = false;
	if (e->host_state == TCE_HOST_PRESENT) {
		const struct page_slot *sl = be->slot;

		pfn = e->host_phys >> p->page_shift;
		if (!sl->err) {
			pg = &sl->pg;
			head = sl->head && !sl->head->err ? &sl->head->pg : NULL;
		} else {
			/* NULL: none kept (or it did not fit the arena), asked of
			 * page_why_again() by the rule that needs it */
			page_err = sl->err;
			page_why = sl->why;
		}
		f->managed = sl->managed;
		f->device = sl->device;
		if (run_step(&p->run, e->index, pfn, pg)) {
			run_first = p->run.pg;
			run_start = p->run.start;
		}
	} else {
		p->run.valid = false;
	}
	/* field by field: an initializer or a memset becomes rep stos, whose start-up
	 * was a third of the pass */
	f->t = p->tf;
	f->e = e;
	f->pfn = pfn;
	f->page_err = page_err;
	f->page_why = page_why;
	f->pg = pg;
	f->head = head;
	f->run_first = run_first;
	f->run_start = run_start;
	x = p->more ? &p->fill.more[be - p->fill.b] : NULL;
	f->itmap = x ? x->itmap : F_NA;
	f->hw_same = x ? x->hw_same : F_NA;
	f->hw_raw = x ? x->hw_raw : 0;
	f->hw_table = x ? x->hw_table : 0;
	f->vfio = NULL;
	if (p->vfio) {
		/* its facts are the VFIO model's, for one entry at a time */
		if (tce_vfio_entry(p->m, e, &p->vf))
			return p->err = -TCE_ENOMEM;
		f->vfio = &p->vf;
		now = true;
	}
	return now || p->nfacts == FACTS ? visit_facts(p) : 0;
}

/* The batch's facts to the rules, once its entries are all in them; a run of pages
 * that goes on into the next batch keeps its first page */
static int visit_batch(struct pass *p)
{
	int ret = visit_facts(p);

	if (p->run.valid && p->run.pg && p->run.pg != &p->run_first) {
		p->run_first = *p->run.pg;
		p->run.pg = &p->run_first;
	}
	return ret;
}

/*
 * Would the rules say nothing of the batch, its pages resolved?  The visitor's quiet()
 * judges the sum pass_one() would make (resolve() made it); then the batch needs no
 * facts, and only the run of pages goes on (into the next batch).  Most batches of a
 * big table hold nothing a rule looks at twice, and their facts were most of the pass.
 * VFIO's tables always get them (their facts are the VFIO model's, an entry at a time).
 */
static bool batch_quiet(struct pass *p, const struct batch *bt)
{
	if (!p->v->quiet || !bt->nb || p->vfio || !p->v->quiet(p->v->data, &p->pre_sum))
		return false;
	p->run = p->pre_run;
	return true;
}

/* A batch whose pages are resolved to the rules, its entries in order; emptied */
static int pass_batch(struct pass *p, struct batch *bt)
{
	size_t i = 0;
	int ret = 0;

	if (batch_quiet(p, bt))
		i = bt->nb;
	for (; i < bt->nb && !ret; i++)
		ret = pass_one(p, &bt->b[i]);
	progress(p, i);
	if (!ret)
		ret = visit_batch(p);
	p->nfacts = 0;
	bt->nb = 0;
	bt->arena_used = 0;
	return ret;
}

/* The batch to the rules, its pages resolved, then its entries in order */
static int flush(struct pass *p)
{
	struct batch *bt = &p->fill;
	int ret;

	if (bt->nb) {
		if (memo_full(p))
			memo_reset(p);
		ret = resolve(p, bt);
		if (ret) {
			p->err = ret;
			bt->nb = 0;
			bt->arena_used = 0;
			return ret;
		}
	}
	return pass_batch(p, bt);
}

/*
 * With the batch empty, at the valid entry *i of leaf l: the batch of the next BATCH
 * valid entries judged by their verdicts alone, the sum resolve() would make of them
 * made from the verdicts, and its run of pages as run_step() would leave it.  True when
 * every entry has one and the rules would say nothing of the batch: it is done as
 * pass_batch() does a quiet one, *i is its last entry, *n counts its entries.  False,
 * nothing done, when an entry has none, the leaf ends first, or the batch is not quiet
 * (it goes the usual way).  bo is a constant where probe() calls it: one loop for each
 * byte order.
 */
static inline __attribute__((always_inline)) bool
probe_bo(struct pass *p, const struct tce_leaf *l, uint64_t *i, uint64_t *n,
	 enum tce_byteorder bo)
{
	/* what the loop reads in locals, which its stores cannot reach */
	struct verdict *vdt = p->vd;
	const unsigned vd_bits = p->vd_bits;
	const bool ahead = vd_bits >= VD_BITS_AHEAD;
	const uint64_t *rawp = l->raw, base = l->index, end = l->n;
	const uint64_t pfn_mask = (1ULL << VD_PFN_BITS) - 1;
	uint64_t k, nb = 0, raw = 0, r_index = p->run.index, r_pfn = p->run.pfn;
	uint64_t r_start = p->run.start, run_pfn = 0;
	bool r_valid = p->run.valid, run_new = false;
	uint64_t states = 0, has = 0;
	uint32_t pageless[TCE_HOST_STATES] = { 0 };
	struct fact_sum sum;
	unsigned st;

	for (k = *i; k < end; k++) {
		uint64_t v = tce_bo64(&rawp[k], bo), index, w, pfn;
		const struct verdict *vd;

		/* verdicts that outgrow the second-level cache (from 2^15 slots: a table
		 * over 16384 pages in turn) miss it at every lookup: the verdict of the
		 * entry VD_AHEAD on is asked for now */
		if (ahead && k + VD_AHEAD < end)
			__builtin_prefetch(&vdt[vd_hash(vd_key(tce_bo64(&rawp[k + VD_AHEAD],
								       bo)), vd_bits)]);
		if (!(v & TCE_PERM_BITS))
			continue;
		vd = vd_slot(vdt, vd_bits, vd_key(v));
		if (!vd->raw)
			return false;
		w = vd->w;
		raw |= v;
		states |= w;
		if (!(w & VD_PAGE)) {
			/* one state bit: not present, no memslot, unknown */
			pageless[__builtin_ctzll(w >> VD_STATE_SHIFT)]++;
			r_valid = false;
		} else {
			has |= w;
			pfn = w & pfn_mask;
			index = base + k;
			if (!r_valid || index != r_index + 1 || pfn != r_pfn + 1) {
				r_valid = true;
				r_start = index;
				run_new = true;
				run_pfn = pfn;
			}
			r_index = index;
			r_pfn = pfn;
		}
		if (++nb == BATCH)
			break;
	}
	if (nb < BATCH)
		return false;
	sum = (struct fact_sum){
		.t = p->tf, .first = base + *i, .last = base + k, .raw = raw,
		.states = (unsigned)(states >> VD_STATE_SHIFT) & ((1u << VD_STATE_BITS) - 1),
		.has = (unsigned)(has >> VD_HAS_SHIFT) & ((1u << VD_HAS_BITS) - 1),
	};
	/* a verdict with a page is of a present one */
	sum.count[TCE_HOST_PRESENT] = BATCH;
	for (st = 0; st < TCE_HOST_STATES; st++) {
		sum.count[st] += pageless[st];
		sum.count[TCE_HOST_PRESENT] -= pageless[st];
	}
	if (!p->v->quiet(p->v->data, &sum))
		return false;
	p->vd_judged++;
	p->tf->vd_batches++;
	p->run.valid = r_valid;
	p->run.index = r_index;
	p->run.pfn = r_pfn;
	p->run.start = r_start;
	if (run_new) {
		/* the verdicts are emptied with the memo: the page is in it */
		const struct page_slot *sl = memo_find(p, run_pfn);

		p->run.pg = sl && !sl->err ? &sl->pg : NULL;
	}
	progress(p, BATCH);
	visit_batch(p);               /* no facts: only the run's first page kept */
	*i = k;
	*n += BATCH;
	return true;
}

static bool probe(struct pass *p, const struct tce_leaf *l, uint64_t *i, uint64_t *n)
{
	return l->bo == TCE_BE ? probe_bo(p, l, i, n, TCE_BE) : probe_bo(p, l, i, n, TCE_LE);
}

static int probe_post(const struct entries_ctx *c);

/* The walker's callback in the rules' pass: e decoded straight into the batch being
 * filled, with copies of the whys in buffers the next entry reuses (a page-table
 * read's message, it_userspace's); the others are constants or the VM's, which last
 * the table's walk (a guest's pages the VMM never touched: millions of entries).  The
 * batch handed on when full, or before e when its arena has no room for them (a
 * message is far shorter than an empty batch's arena) */
static inline __attribute__((always_inline)) int fill_as(void *data, const struct tce_entry *e,
							 enum host_case hc)
{
	const struct entries_ctx *c = data;
	struct batch *bt = &c->pass->fill;
	struct batch_ent *be = &bt->b[bt->nb];
	struct gpa_host gh;
	size_t hl, ul;
	int ret;

	entry_host(c, e, &be->e, &gh, hc);
	if (be->e.host_why == gh.why_buf || be->e.ua_why) {
		hl = be->e.host_why == gh.why_buf ? strlen(be->e.host_why) + 1 : 0;
		ul = be->e.ua_why ? strlen(be->e.ua_why) + 1 : 0;
		if (hl + ul > B_ARENA - bt->arena_used) {
			struct tce_table_entry te = be->e;

			ret = c->post(c->pass);
			if (ret)
				return ret;
			be = &bt->b[bt->nb];
			be->e = te;
		}
		if (hl) {
			be->e.host_why = memcpy(bt->arena + bt->arena_used, be->e.host_why, hl);
			bt->arena_used += hl;
		}
		if (ul) {
			be->e.ua_why = memcpy(bt->arena + bt->arena_used, be->e.ua_why, ul);
			bt->arena_used += ul;
		}
	}
	return ++bt->nb == BATCH ? c->post(c->pass) : 0;
}

static int fill_entry(void *data, const struct tce_entry *e)
{
	return fill_as(data, e, HC_ANY);
}

/* (inline: fill_host_leaf()'s loop takes it in) */
static inline __attribute__((always_inline)) int fill_host(void *data,
							    const struct tce_entry *e)
{
	return fill_as(data, e, HC_HOST);
}

/* Most of a VM's entries are answered by its memo: then the entry needs no why kept
 * and no call, and the callback saves few registers (fill_entry() for the others) */
static int fill_vm(void *data, const struct tce_entry *e)
{
	const struct entries_ctx *c = data;
	struct batch *bt = &c->pass->fill;
	struct gpa_host gh;

	if (!tce_vm_gpa_hit(c->vm, c->mmu == TCE_MMU_HASH, e->target, &gh))
		return fill_entry(data, e);
	entry_host(c, e, &bt->b[bt->nb].e, &gh, HC_VM_HIT);
	return ++bt->nb == BATCH ? c->post(c->pass) : 0;
}

/* The same a leaf at a time, for an iommu table without it_userspace: each valid
 * entry's fill_host(), inlined into the loop, the entry built where nothing else sees
 * it */
static int fill_host_leaf(void *data, const struct tce_leaf *l, uint64_t *valid)
{
	const struct entries_ctx *c = data;
	struct pass *p = c->pass;
	struct tce_entry e;
	uint64_t i;
	int ret = 0;

	if (!vd_use(p))
		return tce_leaf_each(l, fill_host, data, valid);
	/* with verdicts: a batch at a time by probe() where it can */
	for (i = 0; i < l->n && !ret; i++) {
		if (!tce_leaf_entry(l, i, &e))
			continue;
		if (!p->fill.nb && probe(p, l, &i, valid)) {
			ret = probe_post(c);
			continue;
		}
		++*valid;
		ret = fill_host(data, &e);
	}
	return ret;
}

/* ... and for a VM's entries: fill_vm()'s for each, with what the memo's lookup and
 * the batch's end read of the VM and the batch kept where the batch's stores cannot
 * reach them (taken again after a call).  Not tce_leaf_each() with fill_vm(): that
 * took 1.04x the time of this loop on the real 16M dump (one thread, 2 x 12 pairs) */
static int fill_vm_leaf(void *data, const struct tce_leaf *l, uint64_t *valid)
{
	const struct entries_ctx *c = data;
	struct batch *bt = &c->pass->fill;
	bool hash = c->mmu == TCE_MMU_HASH, vd;
	struct batch_ent *b = bt->b;
	size_t nb = bt->nb;
	uint64_t i, n = 0;
	struct tce_entry e;
	struct gpa_host gh;
	struct vm_hit h;
	int ret = 0;

	tce_vm_hit_begin(c->vm, hash, &h);
	vd = vd_use(c->pass);
	for (i = 0; i < l->n && !ret; i++) {
		if (!tce_leaf_entry(l, i, &e))
			continue;
		if (!nb && vd && probe(c->pass, l, &i, &n)) {
			ret = probe_post(c);
			continue;
		}
		n++;
		if (tce_vm_hit(&h, e.target, &gh)) {
			entry_host(c, &e, &b[nb].e, &gh, HC_VM_HIT);
			if (++nb < BATCH)
				continue;
			bt->nb = nb;
			ret = c->post(c->pass);
		} else {
			bt->nb = nb;
			ret = fill_entry(data, &e);
			tce_vm_hit_begin(c->vm, hash, &h);
		}
		nb = bt->nb;
	}
	bt->nb = nb;
	*valid += n;
	return ret;
}

/* The case of every entry of the walk c is set up for */
static enum host_case host_case(const struct entries_ctx *c)
{
	if (c->host && !c->ut)
		return HC_HOST;
	if (!c->host && c->vm && c->mmu != TCE_MMU_UNKNOWN)
		return HC_VM;
	return HC_ANY;
}

/* The rules' pass's callbacks for the entries of each case, an entry and a leaf at a
 * time (NULL: an entry at a time only) */
static tce_entry_fn *const fill_of[] = {
	[HC_ANY] = fill_entry, [HC_HOST] = fill_host, [HC_VM] = fill_vm,
};
static tce_leaf_fn *const fill_leaf_of[] = {
	[HC_ANY] = NULL, [HC_HOST] = fill_host_leaf, [HC_VM] = fill_vm_leaf,
};

/* j's walk to the rules' pass: its case kept in j->c.hc (fill_upto() asks it), and
 * the callbacks for it */
static void fill_fn(struct walk_job *j)
{
	j->c.hc = host_case(&j->c);
	j->wfn = fill_of[j->c.hc];
	j->wleaf = fill_leaf_of[j->c.hc];
}

/* After a walk that returned ret: the entries of its last batch to the rules (also of a
 * walk that stopped on what the dump holds: those it gave, its message kept); the
 * rules' error, else ret */
static int pass_end(struct pass *p, int ret)
{
	if (!p->err && p->fill.nb && ret != -TCE_ENOMEM && ret != -TCE_EIO) {
		char why[TCE_ERR_LEN];
		int fret;

		/* the walk's message outlives the rules' reads */
		snprintf(why, sizeof(why), "%s", tce_errmsg(p->d));
		fret = flush(p);
		if (fret)
			return fret;
		if (ret)
			tce_set_err(p->d, -ret, "%s", why);
	}
	p->fill.nb = 0;
	p->fill.arena_used = 0;
	return p->err ? p->err : ret;
}

/* The rules' pass over entries first..last of table ti, one thread: as table_entries(),
 * then pass_end() */
static int pass_entries(struct pass *p, const struct tce_table_info *ti, uint64_t first,
			uint64_t last, struct iommu_walk_stats *ws)
{
	struct walk_job *j = malloc(sizeof(*j));
	uint64_t walks;
	unsigned grown;
	int ret;

	if (!j)
		return tce_set_err(p->m->d, TCE_ENOMEM, "TCE tables: out of memory");
	ret = prepare_walk(p->m, p->t, ti, NULL, NULL, j);
	if (!ret) {
		fill_fn(j);
		j->c.pass = p;
		j->c.post = flush;
		walks = j->c.vm ? j->c.vm->walks : 0;
		grown = j->c.vm ? j->c.vm->memo_grown : 0;
		ret = run_walk(p->d, j, first, last, ws);
		if (j->c.vm) {
			p->tf->gpa_walks += j->c.vm->walks - walks;
			p->tf->gpa_grown += j->c.vm->memo_grown - grown;
		}
		ret = pass_end(p, ret);
	}
	free(j);
	return ret;
}

/* ------------------------------------------------------------ two threads */

/*
 * A big table split over two threads (by default on a machine with two processors or
 * more: tce_second_thread()).  Each half is walked and judged by a pass of its own: its
 * own handle on the dump (tce_dump_clone()), memo of struct pages, copy of the VM's
 * translations and rules' context (the visitor's fork()), so the threads share nothing
 * an entry at a time.  The second half's findings follow the first's (the visitor's
 * join()): the same findings in the same order as one thread.
 *
 * What an entry's facts depend on beyond the entry itself is the run of consecutive
 * host pages it continues (TCE-DMA-FREED judges a page by its run's first; a finding
 * names the run's first entry).  So the second half starts where a run starts: its
 * thread scans from the middle of the window to the first entry that continues no
 * run, and the first half's walk stops there; a table that is one run from its middle
 * on is not split.  The walks' statistics add up, since no hole, empty level or
 * unreadable level holds a valid entry.  A level that two indirect entries point at,
 * one in each half, is what a half cannot see: the second half is then walked again
 * after the first, with the levels the first met, as one walk would have.
 */
#define SPLIT_STOP 1                  /* a walk's callback: this half ends here */
/* windows of fewer entries are not worth a thread (one of 64K entries takes 3 ms) */
#define SPLIT_MIN (1u << 16)
#define SPLIT_NONE UINT64_MAX         /* no second half */

struct split {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pass *p;               /* the second half's pass */
	struct walk_job *job;         /* and its walk */
	struct disc_vm vm;            /* a KVM table's VM with a memo and walk cache of the
					 second half's own */
	struct table_visitor v;       /* the first half's, with the second's data */
	/* the table as the second half's facts name it: copies of what lies in the
	 * first half's struct pass, among fields it writes at every entry (the two
	 * threads took each other's cache lines: 1.5x the CPU) */
	struct table_fact tf;
	struct iommu_tbl it;
	char key[128];
	uint64_t mid;                 /* the entry index the scan starts at */
	uint64_t at;                  /* the second half's first entry, or SPLIT_NONE */
	bool known;                   /* at is (under mu) */
	int abort;                    /* the first half failed: the second stops (atomic) */
	/* the scan: the last entry it met */
	bool prev, prev_present;
	uint64_t prev_index, prev_pfn;
	/* the second half's walk: 0 or its error (why), statistics and levels met */
	int ret;
	char why[TCE_ERR_LEN];
	struct iommu_walk_stats ws;
	struct addr_set levels_a, levels_b;
};

/* The second thread's scan: the first entry from s->mid on that continues no run of
 * consecutive host pages, one the second half judges alone */
static int scan_entry(void *data, const struct tce_entry *e)
{
	const struct entries_ctx *c = data;
	struct split *s = c->pass->split;
	struct tce_table_entry out;
	struct gpa_host gh;
	uint64_t pfn;
	bool present;

	entry_host(c, e, &out, &gh, HC_ANY);
	present = out.host_state == TCE_HOST_PRESENT;
	pfn = out.host_phys >> c->pass->page_shift;
	if (s->prev ? !present || !s->prev_present || e->index != s->prev_index + 1 ||
		      pfn != s->prev_pfn + 1 :
		      e->index != s->mid) {
		s->at = e->index;
		return SPLIT_STOP;
	}
	s->prev = true;
	s->prev_present = present;
	s->prev_index = e->index;
	s->prev_pfn = pfn;
	return 0;
}

/* The first half's callback: the entries before the second half's first, as
 * fill_of[]'s; at the middle, where that is is waited for */
static int fill_upto(void *data, const struct tce_entry *e)
{
	const struct entries_ctx *c = data;
	struct pass *p = c->pass;

	if (e->index >= p->stop && !p->stop_final) {
		struct split *s = p->split;

		pthread_mutex_lock(&s->mu);
		while (!s->known)
			pthread_cond_wait(&s->cv, &s->mu);
		pthread_mutex_unlock(&s->mu);
		p->stop = s->at;
		p->stop_final = true;
	}
	if (e->index >= p->stop)
		return SPLIT_STOP;
	return fill_of[c->hc](data, e);
}

/* The same a leaf at a time: a leaf wholly before the middle (where the second half
 * cannot start) goes on whole, to the case's leaf callback */
static int fill_upto_leaf(void *data, const struct tce_leaf *l, uint64_t *valid)
{
	const struct entries_ctx *c = data;
	const struct pass *p = c->pass;

	if (fill_leaf_of[c->hc] && l->index + l->n <= p->stop)
		return fill_leaf_of[c->hc](data, l, valid);
	return tce_leaf_entries(l, fill_upto, data, valid);
}

/* The second half's batches to its rules, unless the first half failed */
static int split_flush(struct pass *p)
{
	if (__atomic_load_n(&p->split->abort, __ATOMIC_RELAXED))
		return SPLIT_STOP;
	return flush(p);
}

/* After probe() judged a batch: what c->post() would say of the walk going on (the
 * second half stops when the first failed) */
static int probe_post(const struct entries_ctx *c)
{
	if (c->post == split_flush && __atomic_load_n(&c->pass->split->abort, __ATOMIC_RELAXED))
		return SPLIT_STOP;
	return 0;
}

/* The offset of the table the job walks: entry index - position */
static uint64_t job_offset(const struct walk_job *j)
{
	return j->kind == TCE_TABLE_IOMMU ? j->tb.offset : j->s.offset;
}

/* the most entries split_mid() reads of one level (512 KiB) */
#define MID_READ (1u << 16)

/* The index in buf[0..n) of the populated entry (non-zero; leaves: valid) with as many
 * populated before it as after, and their number in *k (0: none) */
static uint64_t mid_populated(const uint64_t *buf, uint64_t n, enum tce_byteorder bo,
			      bool leaves, uint64_t *k)
{
	uint64_t i, want;

#define POPULATED(v) (leaves ? (tce_bo64(&(v), bo) & TCE_PERM_BITS) != 0 : \
		      (v) != 0)
	for (i = 0, *k = 0; i < n; i++)
		*k += POPULATED(buf[i]);
	for (i = 0, want = *k / 2; i < n; i++)
		if (POPULATED(buf[i]) && !want--)
			break;
#undef POPULATED
	return i;
}

/*
 * Where to split table j so that each half gets about as many entries (an entry
 * index): from the top of the table down to the first level (KVM's pages[], a hardware
 * table's levels) with more than one populated entry, the one in the middle of those;
 * the window's middle when the table does not say.  Only a guess: the halves are
 * exact wherever they split.  *work: the entries the populated ones at that level
 * hold at most (UINT64_MAX when the table does not say).
 */
static uint64_t split_mid(struct tce_dump *d, const struct walk_job *j, uint64_t *work)
{
	bool kvm = j->kind == TCE_TABLE_KVM;
	uint64_t off = job_offset(j), size = kvm ? j->s.size : j->tb.size;
	uint64_t va = kvm ? j->s.pages : j->tb.base, first = 0, per, n, span, i, k;
	uint64_t mid = off + size / 2, *buf;
	unsigned lvl, shift;

	if (kvm) {
		per = tce_dump_page_size(d) / 8;
		if (!per || per & (per - 1))
			return mid;
		shift = (unsigned)__builtin_ctzll(per);
		lvl = 1;                      /* pages[] holds pointers to leaves */
	} else {
		shift = j->tb.levels ? (unsigned)__builtin_ctzll(j->tb.level_size) : 0;
		lvl = (unsigned)j->tb.levels;
	}
	*work = UINT64_MAX;
	buf = malloc(MID_READ * sizeof(*buf));
	if (!buf)
		return mid;
	for (;;) {
		if ((uint64_t)shift * lvl >= 64)
			break;
		span = 1ULL << (shift * lvl);
		n = (size - first + span - 1) / span;
		if (!kvm && j->tb.levels && n > j->tb.level_size)
			n = j->tb.level_size;
		if (n > MID_READ || tce_read(d, TCE_KVADDR, va, buf, n * 8))
			break;
		i = mid_populated(buf, n, kvm ? tce_dump_byteorder(d) : TCE_BE, !lvl, &k);
		*work = k > UINT64_MAX / span ? UINT64_MAX : k * span;
		if (!k)
			break;
		if (k > 1 || !lvl || kvm) {
			mid = off + first + i * span;
			break;
		}
		/* one subtree holds the whole window: its levels say more */
		first += i * span;
		va = TCE_LINEAR_BASE | (tce_bo64(&buf[i], TCE_BE) & ~TCE_PERM_BITS);
		lvl--;
	}
	tce_clear_err(d);
	free(buf);
	return mid;
}

static void *split_main(void *data)
{
	struct split *s = data;
	struct pass *p = s->p;
	struct walk_job *j = s->job;
	struct iommu_walk_stats scan;
	int ret;

	j->wfn = scan_entry;
	s->at = SPLIT_NONE;
	ret = run_walk(p->d, j, s->mid - job_offset(j), UINT64_MAX, &scan);
	if (ret != SPLIT_STOP)
		s->at = SPLIT_NONE;   /* one run, no entry, or an error: the first half's */
	tce_clear_err(p->d);
	pthread_mutex_lock(&s->mu);
	s->known = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	if (s->at == SPLIT_NONE)
		return NULL;
	/* the scan's entries again, now to the rules: the scan met no level */
	fill_fn(j);
	j->tb.levels_met = &s->levels_b;
	ret = run_walk(p->d, j, s->at - job_offset(j), UINT64_MAX, &s->ws);
	if (ret != SPLIT_STOP)
		ret = pass_end(p, ret);
	if (ret && ret != SPLIT_STOP)
		snprintf(s->why, sizeof(s->why), "%s", tce_errmsg(p->d));
	s->ret = ret;
	return NULL;
}

static void add_stats(struct iommu_walk_stats *to, const struct iommu_walk_stats *from)
{
	uint64_t i;

	to->valid += from->valid;
	to->empty_levels += from->empty_levels;
	to->missing_chunks += from->missing_chunks;
	to->unknown_entries += from->unknown_entries;
	for (i = 0; i < from->nodd && to->nodd + i < WALK_ODD_MAX; i++)
		to->odd[to->nodd + i] = from->odd[i];
	to->nodd += from->nodd;
}

/* Does a level the second half walked hang under another indirect entry in the
 * first half?  (One walk would have walked it once, from the first.) */
static bool levels_cross(const struct split *s)
{
	const struct addr_set *b = &s->levels_b;
	size_t i, pos;

	for (i = 0; i < b->cap; i++)
		if (b->key[i] && tce_addrset_find(&s->levels_a, b->key[i], &pos) &&
		    pos != b->pos[i])
			return true;
	return false;
}

static struct pass *pass_new(struct tce_model *m, struct tce_dump *d);
static void pass_free(struct pass *p);

/* The second half's pass, walk and rules; false when they cannot be had */
static bool split_prepare(struct pass *p, const struct tce_table_info *ti, struct split *s)
{
	struct pass *c;
	uint64_t work;

	s->job = malloc(sizeof(*s->job));
	if (!s->job || prepare_walk(p->m, p->t, ti, NULL, NULL, s->job)) {
		tce_clear_err(p->m->d);
		return false;
	}
	/* a window whose populated part is small is not worth a thread and a pass (a
	 * KVM window of 256K entries with five pages of them written: 4 ms of a check
	 * of 70) */
	s->mid = split_mid(p->m->d, s->job, &work);
	if (!tce_second_thread(work, SPLIT_MIN))
		return false;
	s->p = c = pass_new(p->m, p->wd);
	if (!c)
		return false;
	s->v = *p->v;
	s->v.data = p->v->fork(p->v->data);
	if (!s->v.data)
		return false;
	s->v.select = NULL;
	s->v.fork = NULL;
	s->v.progress = NULL;
	c->t = p->t;
	c->v = &s->v;
	s->tf = *p->tf;
	if (p->tf->it) {
		s->it = *p->tf->it;
		s->tf.it = &s->it;
	}
	snprintf(s->key, sizeof(s->key), "%s", p->tf->key);
	s->tf.key = s->key;
	s->tf.pass = c;               /* its pages read again through its own dump */
	c->tf = &s->tf;
	c->infos = p->infos;
	c->ninfos = p->ninfos;
	c->pages_ok = p->pages_ok;
	c->split = s;
	c->nhw = p->nhw;
	memcpy(c->hw, p->hw, sizeof(c->hw));
	memcpy(c->hwt, p->hwt, sizeof(c->hwt));
	memcpy(c->hwt_ok, p->hwt_ok, sizeof(c->hwt_ok));
	c->hw_vm = p->hw_vm;          /* tce_vm_gpa_own() only reads it */
	c->hw_hash = p->hw_hash;
	if (s->job->c.vm) {
		s->vm = *s->job->c.vm;
		s->vm.memo = NULL;
		s->vm.fails = NULL;
		s->vm.nfails = 0;
		s->vm.ghost = (struct tce_ghost){ 0 };
		s->vm.memo_ready = false;
		s->vm.hint = 0;
		memset(&s->vm.walk, 0, sizeof(s->vm.walk));
		s->job->c.vm = &s->vm;
	}
	s->job->c.pass = c;
	s->job->c.post = split_flush;
	return true;
}

/* Frees s, its second half's rules given back unread if they were not joined */
static void split_free(struct pass *p, struct split *s)
{
	if (!s)
		return;
	if (s->v.data)
		p->v->join(p->v->data, s->v.data, false);
	tce_zfree(s->vm.memo, (size_t)1 << s->vm.memo_bits, sizeof(*s->vm.memo));
	tce_ghost_free(&s->vm.ghost);
	tce_vm_fails_free(&s->vm);
	pass_free(s->p);
	free(s->job);
	tce_addrset_free(&s->levels_a);
	tce_addrset_free(&s->levels_b);
	free(s);
}

/*
 * Table ti's entries to the rules over two threads (this one walks the first half);
 * 1 when they cannot be (the caller walks them in one), else as pass_entries() and
 * pass_end() after it.
 */
static int pass_split(struct pass *p, const struct tce_table_info *ti,
		      struct iommu_walk_stats *ws)
{
	struct iommu_walk_stats more;
	struct split *s;
	struct walk_job *ja;
	bool keep, again;
	int ret, jret;

	if (!p->v->fork || !p->v->join || (!p->wd && !(p->wd = tce_dump_clone(p->m->d))))
		return 1;
	s = calloc(1, sizeof(*s));
	ja = malloc(sizeof(*ja));
	if (!s || !ja || !split_prepare(p, ti, s) ||
	    prepare_walk(p->m, p->t, ti, NULL, NULL, ja)) {
		tce_clear_err(p->m->d);
		split_free(p, s);
		free(ja);
		return 1;
	}
	ja->c.hc = host_case(&ja->c);
	ja->wfn = fill_upto;
	ja->wleaf = fill_upto_leaf;
	ja->c.pass = p;
	ja->c.post = flush;
	ja->tb.levels_met = &s->levels_a;
	p->split = s;
	p->stop = s->mid;
	p->stop_final = false;
	ret = 1;
	if (pthread_mutex_init(&s->mu, NULL))
		goto free_s;
	if (pthread_cond_init(&s->cv, NULL))
		goto destroy_mu;
	if (pthread_create(&s->th, NULL, split_main, s))
		goto destroy_cv;
	p->tf->split = true;
	ret = run_walk(p->d, ja, 0, UINT64_MAX, ws);
	if (ret == SPLIT_STOP) {
		/* the walk counted the entry it stopped at, the second half's first */
		ws->valid--;
		ret = 0;
	}
	ret = pass_end(p, ret);
	if (ret)
		__atomic_store_n(&s->abort, 1, __ATOMIC_RELAXED);
	pthread_join(s->th, NULL);
	/* the second half counts if the first reached it (a walk that failed before
	 * did not) and saw its levels as one walk would have */
	keep = !ret && s->at != SPLIT_NONE;
	again = keep && levels_cross(s);
	keep = keep && !again;
	jret = p->v->join(p->v->data, s->v.data, keep);
	s->v.data = NULL;
	if (jret) {
		ret = p->err = jret;
	} else if (keep) {
		add_stats(ws, &s->ws);
		if (s->ret) {
			ret = s->ret;
			if (ret == -TCE_ENOMEM)
				p->err = ret;
			tce_set_err(p->d, -ret, "%s", s->why);
		}
	} else if (again) {
		fill_fn(ja);
		ret = pass_end(p, run_walk(p->d, ja, s->at - job_offset(ja), UINT64_MAX, &more));
		add_stats(ws, &more);
	}
destroy_cv:
	pthread_cond_destroy(&s->cv);
destroy_mu:
	pthread_mutex_destroy(&s->mu);
free_s:
	p->split = NULL;
	split_free(p, s);
	free(ja);
	return ret;
}

static int beyond_cb(void *data, const struct tce_entry *e)
{
	struct table_fact *tf = data;

	if (!tf->beyond++) {
		tf->beyond_first = e->index - tf->info->offset;
		tf->beyond_raw = e->raw;
	}
	return 0;
}

/* Valid entries past the window, in memory the table allocated for it */
static int scan_beyond(struct pass *p, struct table_fact *tf, const struct iommu_tbl *it)
{
	const struct tce_table_info *ti = tf->info;
	struct iommu_walk_stats ws;
	int ret;

	if (ti->kind == TCE_TABLE_IOMMU) {
		struct iommu_tbl b = *it;

		b.beyond = true;
		ret = tce_iommu_table_walk(p->m->d, &b, ti->entries, UINT64_MAX, beyond_cb, tf,
					   &ws);
	} else {
		struct stt s = {
			.addr = ti->addr, .liobn = ti->id, .page_shift = ti->page_shift,
			.offset = ti->offset, .size = ti->entries, .pages = ti->base,
			.beyond = true,
		};

		ret = tce_stt_walk(p->m->d, &s, ti->entries, UINT64_MAX, page_phys, p->m,
				   beyond_cb, tf, &ws);
	}
	if (ret == -TCE_ENOMEM)
		return ret;
	tce_clear_err(p->m->d);
	tf->beyond_known = !ret && !ws.unknown_entries;
	return 0;
}

/* A KVM table's VM as keys name it: its VMM's -name or -uuid, else its pid (vm_ident) */
static const char *vm_ident(struct tce_model *m, struct types *t, const struct tce_table_info *ti)
{
	struct disc_vm *vm;
	enum tce_mmu mmu = TCE_MMU_UNKNOWN;

	if (!ti->vm || model_vm(m, t, ti->vm, &vm)) {
		tce_clear_err(m->d);
		return NULL;
	}
	if (tce_model_mmu(m, &mmu))
		mmu = TCE_MMU_UNKNOWN;
	tce_clear_err(m->d);
	tce_vm_ident(t, vm, mmu != TCE_MMU_UNKNOWN, mmu == TCE_MMU_HASH);
	return vm->ident;
}

static void table_key(const struct tce_table_info *ti, const char *vm, char *key, size_t len)
{
	char pes[96];
	uint64_t start = ti->page_shift < 64 && ti->offset <= UINT64_MAX >> ti->page_shift ?
			 ti->offset << ti->page_shift : 0;

	/* two VMs often use one LIOBN (QEMU gives every pseries guest 0x80000000) */
	if (ti->kind == TCE_TABLE_KVM && vm)
		snprintf(key, len, "kvm:%s:liobn=0x%" PRIx64, vm, ti->id);
	else if (ti->kind == TCE_TABLE_KVM && ti->pid >= 0)
		snprintf(key, len, "kvm:pid=%" PRId64 ":liobn=0x%" PRIx64, ti->pid, ti->id);
	else if (ti->kind == TCE_TABLE_KVM)
		snprintf(key, len, "kvm:pid=unknown:liobn=0x%" PRIx64, ti->id);
	else if (ti->phb >= 0 && ti->pe >= 0)
		snprintf(key, len, "iommu:phb=%" PRId64 ":pe=%s:window=0x%" PRIx64, ti->phb,
			 tce_disc_pes(ti, pes, sizeof(pes)), start);
	else if (ti->attached_vm)
		snprintf(key, len, "iommu:liobn=0x%" PRIx64 ":window=0x%" PRIx64,
			 ti->attached_liobn, start);
	else
		snprintf(key, len, "iommu:it_index=0x%" PRIx64 ":window=0x%" PRIx64, ti->id,
			 start);
}

void tce_model_table_key(struct tce_model *m, struct types *t, const struct tce_table_info *ti,
			 char *key, size_t len)
{
	table_key(ti, ti->kind == TCE_TABLE_KVM && !ti->err ? vm_ident(m, t, ti) : NULL, key,
		  len);
}

static int pass_table(struct pass *p, size_t i)
{
	const struct tce_table_info *ti = &p->infos[i];
	struct table_fact *tf = &p->cur;
	struct iommu_tbl *it = &p->it;
	const struct entry_span *spans = NULL;
	size_t j, nspans = 0;
	int ret, sel = PASS_WHOLE;

	tce_model_table_key(p->m, p->t, ti, p->key, sizeof(p->key));
	if (p->v->select) {
		sel = p->v->select(p->v->data, p->key, &spans, &nspans);
		if (sel == PASS_SKIP)
			return 0;
	}
	memset(tf, 0, sizeof(*tf));
	memset(it, 0, sizeof(*it));
	tf->seq = ++p->tables_begun;
	tf->info = ti;
	tf->key = p->key;
	tf->page_why = page_why_again;
	tf->pass = p;
	p->tf = tf;
	p->map_valid = false;
	p->run.valid = false;
	vd_table(p);
	/* the memo grows for the pages a table reads again itself, not for those another
	 * table read before (each once, as a guest's table and VFIO's of its pages) */
	tce_ghost_clear(&p->ms.ghost);
	p->nhw = 0;
	p->vfio = false;
	if (ti->err) {
		tf->walk_err = ti->err;
		tf->walk_why = ti->why;
		return p->v->table ? p->v->table(p->v->data, tf) : 0;
	}
	if (ti->kind == TCE_TABLE_IOMMU) {
		ret = tce_iommu_table_read(p->t, ti->addr, it);
		if (ret == -TCE_ENOMEM)
			return ret;
		tce_clear_err(p->m->d);
		tf->it = it;
		/* a table VFIO attached to a VM's LIOBN is VFIO's whatever it_userspace
		 * says: tce_iommu_build() never touches it_map */
		tf->dma_api = !ret && ti->source == TCE_SOURCE_POWERNV && !ti->hv_entries &&
			      !ti->attached_vm && (it->known & IT_KNOWN_MAP) && it->map &&
			      (it->known & IT_KNOWN_USERSPACE) && !it->userspace;
		if (tce_vfio_table_begin(p->m, p->t, ti, ret ? NULL : it, &p->vfio))
			return -TCE_ENOMEM;
	} else {
		p->hw_vm = NULL;
		memset(&p->hw_walk, 0, sizeof(p->hw_walk));
		for (j = 0; j < p->ninfos && p->nhw < 4; j++)
			if (p->infos[j].kind == TCE_TABLE_IOMMU && !p->infos[j].err &&
			    p->infos[j].attached_vm == ti->vm &&
			    p->infos[j].attached_liobn == ti->id) {
				p->hw[p->nhw] = &p->infos[j];
				ret = tce_iommu_table_read(p->t, p->infos[j].addr,
							   &p->hwt[p->nhw]);
				if (ret == -TCE_ENOMEM)
					return ret;
				tce_clear_err(p->m->d);
				memset(&p->hwc[p->nhw], 0, sizeof(p->hwc[0]));
				p->hwt_ok[p->nhw++] = !ret;
			}
		if (p->nhw) {
			enum tce_mmu mmu = TCE_MMU_UNKNOWN;

			/* vm_ident() has loaded it: found, not allocated */
			if (model_vm(p->m, p->t, ti->vm, &p->hw_vm) || tce_model_mmu(p->m, &mmu) ||
			    mmu == TCE_MMU_UNKNOWN)
				p->hw_vm = NULL;
			tce_clear_err(p->m->d);
			p->hw_hash = mmu == TCE_MMU_HASH;
		}
	}
	if (ti->hv_entries) {
		tf->walk_err = -TCE_ENODATA;
		tf->walk_why = "an LPAR's window: its entries live in the hypervisor";
		return p->v->table ? p->v->table(p->v->data, tf) : 0;
	}
	tf->vfio = p->vfio;
	tf->hw = p->nhw > 0;
	ret = 1;
	if (sel == PASS_SPANS) {
		/* a few entries each: one thread; the statistics are the last span's */
		for (j = 0, ret = 0; j < nspans && !ret; j++)
			if (spans[j].last >= ti->offset)
				ret = pass_entries(p, ti, spans[j].first > ti->offset ?
						   spans[j].first - ti->offset : 0,
						   spans[j].last - ti->offset, &tf->st);
	} else if (p->pages_ok && !p->vfio &&
		   tce_second_thread(ti->entries, SPLIT_MIN)) {
		/* VFIO's model counts every entry in order: its tables are not split */
		ret = pass_split(p, ti, &tf->st);
	}
	if (ret == 1)
		ret = pass_entries(p, ti, 0, UINT64_MAX, &tf->st);
	if (p->err)
		return p->err;
	if (ret == -TCE_ENOMEM || ret == -TCE_EIO)
		return ret;
	if (ret) {
		tf->walk_err = ret;
		snprintf(p->why, sizeof(p->why), "%s", tce_errmsg(p->m->d));
		tf->walk_why = p->why;
		tce_clear_err(p->m->d);
		tce_vfio_table_end(p->m, 0, p->why);
	} else {
		tce_vfio_table_end(p->m, tf->st.unknown_entries, NULL);
		ret = sel == PASS_WHOLE ? scan_beyond(p, tf, it) : 0;
		if (ret)
			return ret;
	}
	return p->v->table ? p->v->table(p->v->data, tf) : 0;
}

/* A pass reading through d, its buffers allocated; NULL when memory runs out */
static struct pass *pass_new(struct tce_model *m, struct tce_dump *d)
{
	struct pass *p = calloc(1, sizeof(*p));
	const char *env;

	if (!p)
		return NULL;
	p->m = m;
	p->d = d;
	p->page_shift = tce_dump_page_shift(m->d);
	p->facts = malloc(FACTS * sizeof(*p->facts));
	p->ms.gen = 1;
	p->ms.bits = MEMO_BITS;
	p->ms.mask = ((size_t)1 << MEMO_BITS) - 1;
	p->ms.key = tce_zalloc((size_t)1 << MEMO_BITS, sizeof(*p->ms.key));
	p->ms.slot = tce_big_alloc(((size_t)1 << MEMO_BITS) * sizeof(*p->ms.slot));
	tce_ghost_init(&p->ms.ghost);
	tce_ghost_init(&p->vd_ghost);
	p->ms.arena = malloc(MEMO_ARENA);
	p->ms.miss = malloc(2 * BATCH * sizeof(*p->ms.miss));
	p->ms.seen = malloc(BATCH * sizeof(*p->ms.seen));
	p->fill.b = malloc(BATCH * sizeof(*p->fill.b));
	p->fill.more = malloc(BATCH * sizeof(*p->fill.more));
	p->fill.arena = malloc(B_ARENA);
	p->vd = tce_zalloc((size_t)1 << VD_BITS, sizeof(*p->vd));
	p->vd_bits = VD_BITS;
	env = getenv("TCE_INSPECT_VERDICTS");
	p->vd_never = env && !strcmp(env, "0");
	if (!p->vd || !p->facts || !p->ms.key || !p->ms.slot || !p->ms.ghost.bits ||
	    !p->vd_ghost.bits || !p->ms.arena || !p->ms.miss || !p->ms.seen || !p->fill.b ||
	    !p->fill.more || !p->fill.arena) {
		pass_free(p);
		return NULL;
	}
	return p;
}

static void pass_free(struct pass *p)
{
	if (!p)
		return;
	tce_zfree(p->ms.key, (size_t)1 << p->ms.bits, sizeof(*p->ms.key));
	free(p->ms.slot);
	tce_ghost_free(&p->ms.ghost);
	tce_ghost_free(&p->vd_ghost);
	free(p->ms.arena);
	free(p->ms.miss);
	free(p->ms.seen);
	free(p->fill.b);
	free(p->fill.more);
	free(p->fill.arena);
	tce_zfree(p->vd, (size_t)1 << p->vd_bits, sizeof(*p->vd));
	free(p->facts);
	tce_dump_free(p->wd);
	free(p);
}

int tce_model_table_pass(struct tce_model *m, struct types *t, const struct table_visitor *v)
{
	struct pass *p = pass_new(m, m->d);
	struct tce_table_info *infos = NULL;
	size_t i;
	int ret;

	if (!p)
		return tce_set_err(m->d, TCE_ENOMEM, "TCE tables: out of memory");
	tce_vfio_model_free(m);
	p->t = t;
	p->v = v;

	ret = tce_model_tables(m, t);
	if (ret)
		goto out;
	ret = tce_model_layout(m);
	if (ret == -TCE_ENOMEM || ret == -TCE_EIO)
		goto out;
	/* a second thread reads struct pages only once both are known (the model is then
	 * only read); else every page read says why here */
	p->pages_ok = !ret && !tce_model_vmemmap(m);
	tce_clear_err(m->d);
	if (m->sect.status == SECT_NOT_RUN) {
		ret = tce_sections_read(m->d, &m->sect);
		if (ret)
			goto out;
	}
	infos = calloc(m->disc.n ? m->disc.n : 1, sizeof(*infos));
	if (!infos) {
		ret = tce_set_err(m->d, TCE_ENOMEM, "TCE tables: out of memory");
		goto out;
	}
	for (i = 0; i < m->disc.n; i++) {
		infos[i].size = sizeof(infos[i]);
		ret = tce_model_table_found(m, t, i, &infos[i]);
		if (ret)
			goto out;
	}
	p->infos = infos;
	p->ninfos = m->disc.n;
	for (i = 0; i < m->disc.n; i++) {
		if (v->progress)
			v->progress(v->progress_data, "TCE tables", i, m->disc.n);
		ret = pass_table(p, i);
		if (ret)
			goto out;
	}
	/* VFIO's preregistered pages, once every table's entries are counted */
	ret = tce_vfio_pass_end(m, t);
out:
	free(infos);
	pass_free(p);
	return ret;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
