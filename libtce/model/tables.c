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
	const struct disc_vm *vm;     /* kvm: the table's VM, NULL unknown */
	const char *no_vm;            /* kvm without vm: why */
	enum tce_mmu mmu;
};

static int entry_cb(void *data, const struct tce_entry *e)
{
	const struct entries_ctx *c = data;
	struct tce_table_entry out = {
		.size = sizeof(out), .index = e->index, .bus = e->bus, .raw = e->raw,
		.target = e->target, .perm = e->perm, .host = c->host, .memslot = -1,
	};
	struct gpa_host gh;

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

int tce_model_table_entries(struct tce_model *m, struct types *t,
			    const struct tce_table_info *ti, uint64_t first, uint64_t last,
			    tce_table_entry_fn fn, void *data, struct tce_table_stats *st)
{
	struct entries_ctx c = { .m = m, .fn = fn, .data = data };
	struct iommu_walk_stats ws;
	size_t ssize = st ? st->size : 0;
	struct tce_table_stats out = { .size = sizeof(out) };
	size_t isize = ti->size;
	int ret;

	if (ti->kind == TCE_TABLE_IOMMU) {
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
		ret = tce_iommu_table_walk(m->d, &tb, first, last, entry_cb, &c, &ws);
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
		ret = tce_stt_walk(m->d, &s, first, last, page_phys, m, entry_cb, &c, &ws);
	} else {
		return tce_set_err(m->d, TCE_EINVAL, "no table kind %d", (int)ti->kind);
	}
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
