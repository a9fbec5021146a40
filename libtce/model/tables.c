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
		free(m->vmc[i].slots);
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

struct entries_ctx {
	struct tce_model *m;
	tce_table_entry_fn fn;
	void *data;
	bool host;
	struct disc_vm *vm;           /* kvm: the table's VM, NULL unknown */
	const char *no_vm;            /* kvm without vm: why */
	enum tce_mmu mmu;
	/* iommu tables VFIO made: the it_userspace tree (walk/vfio.c), else NULL */
	const struct iommu_tbl *ut;
	struct iommu_leaf_cache *uc;
	char *ua_why;
};

static int entry_cb(void *data, const struct tce_entry *e)
{
	const struct entries_ctx *c = data;
	struct tce_table_entry out = {
		.size = sizeof(out), .index = e->index, .bus = e->bus, .raw = e->raw,
		.target = e->target, .perm = e->perm, .host = c->host, .memslot = -1,
	};
	struct gpa_host gh;

	if (c->ut && tce_vfio_ua_get(c->m->d, c->ut, c->uc, e->index - c->ut->offset,
				     &out.ua)) {
		snprintf(c->ua_why, TCE_ERR_LEN, "%s", tce_errmsg(c->m->d));
		tce_clear_err(c->m->d);
		out.ua = 0;
		out.ua_why = c->ua_why;
	}
	if (c->host) {
		out.host_state = TCE_HOST_PRESENT;
		out.host_phys = e->target;
	} else if (!c->vm) {
		out.host_why = c->no_vm;
	} else if (c->mmu == TCE_MMU_UNKNOWN) {
		out.host_why = "the host's MMU is unknown, so the format of the VMM's page "
			       "tables is";
	} else {
		tce_vm_gpa(c->m->d, c->vm, c->mmu == TCE_MMU_HASH, e->target, &gh);
		out.host_state = gh.state;
		out.host_phys = gh.phys;
		out.hva = gh.hva;
		out.memslot = gh.slot;
		out.host_why = gh.state == TCE_HOST_PRESENT ? NULL : gh.why;
	}
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

/* tce_model_table_entries() with the walker's own statistics */
static int table_entries(struct tce_model *m, struct types *t, const struct tce_table_info *ti,
			 uint64_t first, uint64_t last, tce_table_entry_fn fn, void *data,
			 struct iommu_walk_stats *ws)
{
	struct entries_ctx c = { .m = m, .fn = fn, .data = data };
	size_t isize = ti->size;
	int ret;

	if (ti->kind == TCE_TABLE_IOMMU) {
		struct iommu_tbl ut;
		struct iommu_leaf_cache uc = { 0 };
		char ua_why[TCE_ERR_LEN];
		struct iommu_tbl tb = {
			.addr = ti->addr, .size = ti->entries, .offset = ti->offset,
			.base = ti->base, .page_shift = ti->page_shift,
			.levels = ti->levels ? ti->levels - 1 : 0, .level_size = ti->level_size,
		};

		if (isize >= offsetof(struct tce_table_info, hv_entries) + sizeof(bool) &&
		    ti->hv_entries)
			return tce_set_err(m->d, TCE_ENODATA, "iommu_table at 0x%" PRIx64 " is an "
					   "LPAR's window: its entries live in the hypervisor, "
					   "not in this dump", ti->addr);
		c.host = true;
		/* VFIO's: the userspace address of each entry */
		if (isize >= offsetof(struct tce_table_info, userspace) + sizeof(bool) &&
		    ti->userspace && !m->vfio_skip && !tce_iommu_table_read(t, ti->addr, &ut) &&
		    ut.userspace) {
			c.ut = &ut;
			c.uc = &uc;
			c.ua_why = ua_why;
		}
		tce_clear_err(m->d);
		ret = tce_iommu_table_walk(m->d, &tb, first, last, entry_cb, &c, ws);
	} else if (ti->kind == TCE_TABLE_KVM) {
		struct stt s = {
			.addr = ti->addr, .liobn = ti->id, .page_shift = ti->page_shift,
			.offset = ti->offset, .size = ti->entries, .pages = ti->base,
		};
		uint64_t kvm = isize >= offsetof(struct tce_table_info, vm) + sizeof(uint64_t) ?
			       ti->vm : 0;
		struct disc_vm *vm = NULL;
		struct stt again;

		/* a caller's info of the older, shorter size: the VM from the table itself */
		if (!kvm && !tce_stt_read(t, ti->addr, &again))
			kvm = again.kvm;
		tce_clear_err(m->d);
		c.no_vm = "the table's VM is unknown (type information lacks "
			  "kvmppc_spapr_tce_table.kvm)";
		if (kvm) {
			ret = model_vm(m, t, kvm, &vm);
			if (ret)
				return ret;
			c.vm = vm;
		}
		ret = tce_model_mmu(m, &c.mmu);
		if (ret == -TCE_ENOMEM || ret == -TCE_EIO)
			return ret;
		tce_clear_err(m->d);
		ret = tce_stt_walk(m->d, &s, first, last, page_phys, m, entry_cb, &c, ws);
	} else {
		return tce_set_err(m->d, TCE_EINVAL, "no table kind %d", (int)ti->kind);
	}
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
#define PAGE_MEMO 64

struct pass {
	struct tce_model *m;
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
	/* the last memory section looked up */
	uint64_t sect_nr;
	enum fact3 sect_managed;
	bool sect_device, sect_valid;
	uint64_t done;
	int err;
	/* struct pages read, by pfn: entries often share pages */
	struct page_memo {
		uint64_t pfn;          /* TCE_NO_PFN: empty */
		struct tce_page pg, head;
		bool has_head;
	} memo[PAGE_MEMO];
	/* the run of consecutive host pages the last entries mapped */
	uint64_t run_index, run_pfn;  /* the last entry of the run and its pfn */
	bool run_valid, run_first_ok;
	struct tce_page run_first;
	/* the table being visited */
	struct table_fact cur;
	bool vfio;                    /* a table VFIO made: its entries' facts in vf */
	struct vfio_fact vf;
	struct iommu_tbl it;
	unsigned page_shift;          /* the dump's */
	char key[128], why[TCE_ERR_LEN], page_why[TCE_ERR_LEN];
};

static void progress(struct pass *p)
{
	if (p->v->progress && !(++p->done % PASS_TICK))
		p->v->progress(p->v->progress_data, "TCE entries", p->done, 0);
}

/* The entry's bit of it_map (position from it_offset), in chunks of the bitmap */
static enum fact3 itmap_bit(struct pass *p, uint64_t pos)
{
	const struct iommu_tbl *it = p->tf->it;
	enum tce_byteorder bo = tce_dump_byteorder(p->m->d);
	uint64_t span = 64 * 512, first = pos / span * span;

	if (!p->map_valid || p->map_first != first) {
		uint64_t words = (it->size + 63) / 64 - first / 64;

		if (words > 512)
			words = 512;
		p->map_first = first;
		p->map_valid = true;
		p->map_missing = tce_read(p->m->d, TCE_KVADDR, it->map + first / 8,
					  p->map_words, words * 8) != 0;
		tce_clear_err(p->m->d);
	}
	if (p->map_missing)
		return F_UNKNOWN;
	return (tce_bo64(&p->map_words[(pos - first) / 64], bo) >> (pos % 64)) & 1 ?
	       F_YES : F_NO;
}

/* Does an attached hardware table map the same host page at e's bus address? */
static void hw_compare(struct pass *p, const struct tce_table_entry *e, struct entry_fact *f)
{
	size_t i;

	f->hw_same = F_NA;
	for (i = 0; i < p->nhw; i++) {
		const struct tce_table_info *hw = p->hw[i];
		uint64_t idx = e->bus >> hw->page_shift, raw;

		if (idx < hw->offset || idx - hw->offset >= hw->entries)
			continue;
		f->hw_table = hw->addr;
		if (!p->hwt_ok[i] || e->host_state != TCE_HOST_PRESENT ||
		    tce_iommu_table_get(p->m->d, &p->hwt[i], &p->hwc[i], idx - hw->offset,
					&raw)) {
			tce_clear_err(p->m->d);
			f->hw_same = F_UNKNOWN;
			continue;
		}
		if (!(raw & 3) || (raw & ~((1ULL << hw->page_shift) - 1)) !=
				  (e->host_phys & ~((1ULL << hw->page_shift) - 1))) {
			f->hw_same = F_NO;
			f->hw_raw = raw & 3 ? raw : 0;
			return;
		}
		f->hw_same = F_YES;
	}
}

static void managed(struct pass *p, struct entry_fact *f)
{
	const struct sections *s = &p->m->sect;
	uint64_t nr = f->pfn >> s->pfn_shift;
	const struct mem_sect *ms = NULL;

	f->managed = F_UNKNOWN;
	if (s->status != SECT_OK)
		return;
	/* entries map neighbouring pages: the section before is likely this one */
	if (p->sect_valid && p->sect_nr == nr) {
		f->managed = p->sect_managed;
		f->device = p->sect_device;
		return;
	}
	switch (tce_sections_lookup(s, nr, &ms)) {
	case SECT_ANS_UNKNOWN:
		return;
	case SECT_ANS_PRESENT:
		f->managed = F_YES;
		f->device = !ms->online;
		break;
	case SECT_ANS_ABSENT:
		f->managed = F_NO;
		break;
	}
	p->sect_valid = true;
	p->sect_nr = nr;
	p->sect_managed = f->managed;
	p->sect_device = f->device;
}

static int pass_entry(void *data, const struct tce_table_entry *e)
{
	struct pass *p = data;
	struct entry_fact f = { .t = p->tf, .e = e, .itmap = F_NA, .hw_same = F_NA };
	const struct tce_table_info *ti = p->tf->info;

	progress(p);
	if (e->host_state == TCE_HOST_PRESENT) {
		struct page_memo *pm;

		f.pfn = e->host_phys >> p->page_shift;
		pm = &p->memo[f.pfn % PAGE_MEMO];
		if (pm->pfn == f.pfn) {
			f.pg = &pm->pg;
			f.head = pm->has_head ? &pm->head : NULL;
			managed(p, &f);
			goto decided;
		}
		/* read into the memo's slot: what was read is kept; what could not be is
		 * asked again (rare) */
		pm->pfn = TCE_NO_PFN;
		pm->pg.size = sizeof(pm->pg);
		f.page_err = tce_model_page_read(p->m, f.pfn, &pm->pg);
		if (f.page_err == -TCE_ENOMEM)
			return p->err = f.page_err;
		if (f.page_err) {
			snprintf(p->page_why, sizeof(p->page_why), "%s", tce_errmsg(p->m->d));
			f.page_why = p->page_why;
		} else {
			f.pg = &pm->pg;
			pm->head.size = sizeof(pm->head);
			pm->has_head = (pm->pg.states & TCE_PF_TAIL) &&
				       pm->pg.head_pfn != TCE_NO_PFN &&
				       !tce_model_page_read(p->m, pm->pg.head_pfn, &pm->head);
			f.head = pm->has_head ? &pm->head : NULL;
			pm->pfn = f.pfn;
		}
		tce_clear_err(p->m->d);
		managed(p, &f);
	}
decided:
	if (e->host_state == TCE_HOST_PRESENT) {
		/* consecutive entries on consecutive pages: one buffer */
		if (p->run_valid && e->index == p->run_index + 1 && f.pfn == p->run_pfn + 1) {
			f.run_first = p->run_first_ok ? &p->run_first : NULL;
		} else {
			p->run_valid = true;
			p->run_first_ok = f.pg != NULL;
			if (f.pg)
				p->run_first = *f.pg;
		}
		p->run_index = e->index;
		p->run_pfn = f.pfn;
	} else {
		p->run_valid = false;
	}
	if (p->tf->dma_api && e->index >= ti->offset)
		f.itmap = itmap_bit(p, e->index - ti->offset);
	if (ti->kind == TCE_TABLE_KVM && p->nhw)
		hw_compare(p, e, &f);
	if (p->vfio) {
		if (tce_vfio_entry(p->m, e, &p->vf))
			return p->err = -TCE_ENOMEM;
		f.vfio = &p->vf;
	}
	return p->v->entry ? p->v->entry(p->v->data, &f) : 0;
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
static const char *vm_ident(struct pass *p, const struct tce_table_info *ti)
{
	struct disc_vm *vm;
	enum tce_mmu mmu = TCE_MMU_UNKNOWN;

	if (!ti->vm || model_vm(p->m, p->t, ti->vm, &vm)) {
		tce_clear_err(p->m->d);
		return NULL;
	}
	if (tce_model_mmu(p->m, &mmu))
		mmu = TCE_MMU_UNKNOWN;
	tce_clear_err(p->m->d);
	tce_vm_ident(p->t, vm, mmu != TCE_MMU_UNKNOWN, mmu == TCE_MMU_HASH);
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

static int pass_table(struct pass *p, size_t i)
{
	const struct tce_table_info *ti = &p->infos[i];
	struct table_fact *tf = &p->cur;
	struct iommu_tbl *it = &p->it;
	size_t j;
	int ret;

	memset(tf, 0, sizeof(*tf));
	memset(it, 0, sizeof(*it));
	tf->info = ti;
	table_key(ti, ti->kind == TCE_TABLE_KVM && !ti->err ? vm_ident(p, ti) : NULL, p->key,
		  sizeof(p->key));
	tf->key = p->key;
	p->tf = tf;
	p->map_valid = false;
	p->run_valid = false;
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
	}
	if (ti->hv_entries) {
		tf->walk_err = -TCE_ENODATA;
		tf->walk_why = "an LPAR's window: its entries live in the hypervisor";
		return p->v->table ? p->v->table(p->v->data, tf) : 0;
	}
	ret = table_entries(p->m, p->t, ti, 0, UINT64_MAX, pass_entry, p, &tf->st);
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
		ret = scan_beyond(p, tf, it);
		if (ret)
			return ret;
	}
	return p->v->table ? p->v->table(p->v->data, tf) : 0;
}

int tce_model_table_pass(struct tce_model *m, struct types *t, const struct table_visitor *v)
{
	struct pass *p = calloc(1, sizeof(*p));
	struct tce_table_info *infos = NULL;
	size_t i;
	int ret;

	if (!p)
		return tce_set_err(m->d, TCE_ENOMEM, "TCE tables: out of memory");
	tce_vfio_model_free(m);
	p->m = m;
	p->t = t;
	p->v = v;
	p->page_shift = tce_dump_page_shift(m->d);
	for (i = 0; i < PAGE_MEMO; i++)
		p->memo[i].pfn = TCE_NO_PFN;

	ret = tce_model_tables(m, t);
	if (ret)
		goto out;
	ret = tce_model_layout(m);
	if (ret == -TCE_ENOMEM || ret == -TCE_EIO)
		goto out;
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
	free(p);
	return ret;
}
