// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Finding every TCE table a dump holds, and where each was found:
 *
 *  - KVM's guest views: vm_list -> struct kvm (vm_list) -> arch.spapr_tce_tables ->
 *    struct kvmppc_spapr_tce_table (list), and the hardware tables VFIO attached to
 *    each LIOBN (iommu_tables -> struct kvmppc_spapr_tce_iommu_table -> tbl);
 *  - powernv: hose_list -> struct pci_controller (list_node) -> private_data, a
 *    struct pnv_phb whose hose points back -> ioda.pe_list -> struct pnv_ioda_pe
 *    (list) -> table_group.tables[] (the kernel's own tables and those VFIO made);
 *  - pseries: the same PHBs -> pci_data, the tree of struct pci_dn (child_list /
 *    list) -> table_group -> tables[]: the guest's bookkeeping of windows whose
 *    entries live in the hypervisor.
 *
 * Each source ends as found (every list back at its head), absent (the symbol's
 * module is not loaded, no PHB), or unknown with what is missing; a list cut short or
 * looping still yields what came before, and says so.  Offsets come from type
 * information; nothing is read as zero that the dump does not hold.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk/walk.h"

/* KVM_MAX_VCPUS-like sanity: no host runs more VMs, PHBs or PEs than these */
#define DISC_MAX_VMS 65536
#define DISC_MAX_TABLES_PER_VM 4096
#define DISC_MAX_PHBS 4096
#define DISC_MAX_PES 65536
#define DISC_MAX_PDN 65536
#define DISC_PDN_DEPTH 32
#define DISC_MAX_ATTACHED 64

struct dctx {
	struct types *t;
	struct tce_dump *d;
	struct disc *out;
	enum tce_byteorder bo;
	/* the current source and what walked it, for "found" */
	enum disc_src src;
	char path[160];
	uint64_t kvm;
	int64_t pid, phb, pe;
	uint64_t pdn_nodes;
};

static void src_why(struct dctx *c, enum disc_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records what stopped (or limited) a source; the first reason is kept. */
static void src_why(struct dctx *c, enum disc_status st, const char *fmt, ...)
{
	struct disc_source *s = &c->out->src[c->src];
	va_list ap;
	int n;

	if (s->status == DISC_UNKNOWN || (s->status == DISC_PARTIAL && st != DISC_UNKNOWN))
		return;
	s->status = st;
	va_start(ap, fmt);
	n = vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	tce_mark_cut(s->why, sizeof(s->why), n);
}

/* A list that did not end at its head: what it yielded stays, the source is partial */
static void list_end(struct dctx *c, const struct kl_walk *w, const char *what)
{
	if (w->end != KL_HEAD)
		src_why(c, DISC_PARTIAL, "%s: %s", what, w->why);
}

static int read_ptr(struct dctx *c, uint64_t addr, uint64_t *v)
{
	return tce_read_u64(c->d, TCE_KVADDR, addr, c->bo, v);
}

static int member(struct dctx *c, const char *type, const char *path, struct ty_member *m)
{
	return tce_types_member(c->t, type, path, m);
}

/* gcc 12's -fanalyzer loses the store of the grown array into the caller's struct
 * disc (o->t) and calls it leaked; tce_disc_free() frees it */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif

/* Grows o->t for one more table; 0 or -TCE_ENOMEM (o unchanged) */
static int grow_tables(struct disc *o)
{
	size_t cap;
	struct disc_table *nt;

	if (o->n < o->cap)
		return 0;
	cap = o->cap ? o->cap * 2 : 16;
	nt = realloc(o->t, cap * sizeof(*nt));
	if (!nt)
		return -TCE_ENOMEM;
	o->t = nt;
	o->cap = cap;
	return 0;
}

/* The table at addr: its position in c->out->t, added (0) or found before (1) */
static int add_table(struct dctx *c, enum tce_table_kind kind, uint64_t addr, size_t *pos)
{
	struct disc *o = c->out;
	struct disc_table *tb;
	size_t i;

	for (i = 0; i < o->n; i++)
		if (o->t[i].addr == addr && o->t[i].kind == kind) {
			*pos = i;
			return 1;
		}
	if (grow_tables(o))
		return tce_set_err(c->d, TCE_ENOMEM, "TCE tables: out of memory");
	*pos = o->n;
	tb = &o->t[o->n++];
	memset(tb, 0, sizeof(*tb));
	tb->kind = kind;
	tb->addr = addr;
	tb->src = c->src;
	tb->phb = c->phb;
	tb->pe = c->pe;
	tb->pid = c->pid;
	tb->kvm = c->kvm;
	snprintf(tb->found, sizeof(tb->found), "%s", c->path);
	return 0;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* ------------------------------------------------------------ KVM */

struct kvm_layout {
	struct ty_member vm_list, tables, mm, pid;
	bool has_pid;
	struct ty_member stt_list, stt_iommu;
	struct ty_member stit_next, stit_tbl;
	bool has_stit;
};

static int kvm_layout(struct dctx *c, struct kvm_layout *l)
{
	int ret;

	memset(l, 0, sizeof(*l));
	ret = member(c, "struct kvm", "vm_list", &l->vm_list);
	if (!ret)
		ret = member(c, "struct kvm", "arch.spapr_tce_tables", &l->tables);
	if (!ret)
		ret = member(c, "struct kvm", "mm", &l->mm);
	if (!ret)
		ret = member(c, "struct kvmppc_spapr_tce_table", "list", &l->stt_list);
	if (ret)
		return ret;
	l->has_pid = !member(c, "struct kvm", "userspace_pid", &l->pid);
	if (!l->has_pid)
		tce_clear_err(c->d);
	l->has_stit = !member(c, "struct kvmppc_spapr_tce_table", "iommu_tables",
			      &l->stt_iommu) &&
		      !member(c, "struct kvmppc_spapr_tce_iommu_table", "next",
			      &l->stit_next) &&
		      !member(c, "struct kvmppc_spapr_tce_iommu_table", "tbl", &l->stit_tbl);
	if (!l->has_stit)
		tce_clear_err(c->d);
	return 0;
}

struct kvm_walk {
	struct dctx *c;
	const struct kvm_layout *l;
	uint64_t stt;            /* for the attached tables */
	uint64_t liobn;
};

static int attached_cb(void *data, uint64_t node)
{
	struct kvm_walk *kw = data;
	struct dctx *c = kw->c;
	struct disc_table *tb;
	uint64_t tbl;
	size_t pos;
	int ret;

	if (read_ptr(c, node - kw->l->stit_next.offset + kw->l->stit_tbl.offset, &tbl)) {
		src_why(c, DISC_PARTIAL, "an attached table's pointer at 0x%" PRIx64 ": %s",
			node, tce_errmsg(c->d));
		tce_clear_err(c->d);
		return 0;
	}
	if (!tbl)
		return 0;
	snprintf(c->path, sizeof(c->path), "vm_list -> kvm 0x%" PRIx64 " -> LIOBN 0x%"
		 PRIx64 " -> iommu_tables", c->kvm, kw->liobn);
	ret = add_table(c, TCE_TABLE_IOMMU, tbl, &pos);
	if (ret < 0)
		return ret;
	/* already found under its PE: it keeps that place, and learns its guest */
	tb = &c->out->t[pos];
	tb->attached_kvm = c->kvm;
	tb->attached_liobn = kw->liobn;
	tb->attached_stt = kw->stt;
	return 0;
}

static int stt_cb(void *data, uint64_t node)
{
	struct kvm_walk *kw = data;
	struct dctx *c = kw->c;
	uint64_t stt = node - kw->l->stt_list.offset;
	struct disc_table *tb;
	struct kl_walk w;
	struct stt s;
	size_t pos;
	int ret;

	snprintf(c->path, sizeof(c->path), "vm_list -> kvm 0x%" PRIx64 " -> "
		 "arch.spapr_tce_tables", c->kvm);
	ret = add_table(c, TCE_TABLE_KVM, stt, &pos);
	if (ret < 0)
		return ret;
	tb = &c->out->t[pos];
	ret = tce_stt_read(c->t, stt, &s);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret) {
		tb->err = ret;
		snprintf(tb->why, sizeof(tb->why), "%s", tce_errmsg(c->d));
		tce_clear_err(c->d);
		return 0;
	}
	tb->id = s.liobn;
	if (!kw->l->has_stit)
		return 0;
	kw->stt = stt;
	kw->liobn = s.liobn;
	ret = tce_klist_walk(c->t, stt + kw->l->stt_iommu.offset, DISC_MAX_ATTACHED,
			     attached_cb, kw, &w);
	if (ret)
		return ret;
	list_end(c, &w, "a LIOBN's iommu_tables");
	return 0;
}

static int vm_cb(void *data, uint64_t node)
{
	struct kvm_walk *kw = data;
	struct dctx *c = kw->c;
	uint64_t kvm = node - kw->l->vm_list.offset, pid;
	struct disc *o = c->out;
	struct disc_vm *vm;
	struct kl_walk w;
	int ret;

	if (o->nvms == o->vmcap) {
		size_t cap = o->vmcap ? o->vmcap * 2 : 4;
		struct disc_vm *nv = realloc(o->vms, cap * sizeof(*nv));

		if (!nv)
			return tce_set_err(c->d, TCE_ENOMEM, "KVM: out of memory");
		o->vms = nv;
		o->vmcap = cap;
	}
	vm = &o->vms[o->nvms++];
	memset(vm, 0, sizeof(*vm));
	vm->kvm = kvm;
	vm->pid = -1;
	if (kw->l->has_pid && !tce_types_read_uint(c->d, kvm, &kw->l->pid, &pid))
		vm->pid = (int64_t)(int32_t)pid;
	tce_clear_err(c->d);
	c->kvm = kvm;
	c->pid = vm->pid;
	ret = tce_klist_walk(c->t, kvm + kw->l->tables.offset, DISC_MAX_TABLES_PER_VM, stt_cb,
			     kw, &w);
	if (ret)
		return ret;
	list_end(c, &w, "a VM's spapr_tce_tables");
	return 0;
}

/* Does the providers' symbol table cover the kernel's text (so that a missing
 * kvm_init means KVM is not built in)? */
static bool has_symbol_table(const struct types *t)
{
	unsigned i;

	for (i = 0; i < t->nprov; i++)
		if (!strcmp(t->prov[i]->ops->name, "dwarf") ||
		    !strcmp(t->prov[i]->ops->name, "kallsyms"))
			return true;
	return false;
}

/* the dump's release for the name of Debian's debug package, or "REL" */
static const char *kvm_release(const struct dctx *c)
{
	const char *key, *v;
	unsigned i;

	for (i = 0; tce_vmcoreinfo_line(c->d, i, &key, &v); i++)
		if (!strcmp(key, "OSRELEASE") && v && *v && strlen(v) < 128)
			return v;
	return "REL";
}

/*
 * kvm.ko is loaded without the DWARF of its .ko: where its types are missing, why:
 * no .ko found (then what to install), or what the dump lacks to use one (the
 * module's note).  false when it has DWARF or is not on the list.
 */
static bool kvm_no_dwarf(const struct dctx *c, char *why, size_t len)
{
	size_t i;

	for (i = 0; i < c->t->nmods; i++) {
		const struct ty_module *m = &c->t->mods[i];

		const char *btf;

		if (strcmp(m->name, "kvm") || m->dwarf)
			continue;
		/* its BTF not found for a reason of the dump's (btf_modules looping, cut),
		 * not its build's: that clause of the note too */
		btf = m->btf ? NULL : strstr(m->note, "BTF of module ");
		if (btf && strstr(btf, "not on btf_modules"))
			btf = NULL;
		if (!m->note[0] || strstr(m->note, "no .ko with DWARF found"))
			snprintf(why, len, "on Debian: linux-image-%s-dbg%s%.*s", kvm_release(c),
				 btf ? "; " : "", btf ? (int)strcspn(btf, ";") : 0,
				 btf ? btf : "");
		else
			snprintf(why, len, "%.200s", m->note);
		return true;
	}
	return false;
}

/*
 * vm_list is unknown: is KVM absent from this kernel (no kvm module on the modules
 * list, and no kvm_init in the kernel's own symbols), or is it there without the
 * type information to read it?  1 absent, 0 loaded or undecidable (why says).
 */
static int kvm_absent(struct dctx *c, char *why, size_t len)
{
	const struct types *t = c->t;
	uint64_t addr;
	bool present;
	size_t i;

	if (!has_symbol_table(t))
		return 0;
	/* kvm_init known: KVM is there, built in or as kvm.ko (a KALLSYMS_ALL kernel's
	 * module kallsyms have it); the list still says which, for the reason */
	present = !tce_types_symbol(c->t, "kvm_init", &addr);
	tce_clear_err(c->d);
	/* the modules list as the type layer walked it, names read */
	for (i = 0; i < t->nmods; i++)
		if (!strcmp(t->mods[i].name, "kvm")) {
			snprintf(why, len, "kvm.ko is loaded, but ");
			return 0;
		}
	if (present)
		return 0;
	if (!t->mods_whole) {
		snprintf(why, len, "whether kvm.ko is loaded: %.320s", t->mods_note[0] ?
			 t->mods_note : "the modules list was not read to its end");
		return 0;
	}
	return 1;
}

static int discover_kvm(struct dctx *c)
{
	struct kvm_layout l;
	struct kvm_walk kw = { .c = c, .l = &l };
	struct kl_walk w;
	uint64_t head;
	int ret;

	c->src = DISC_KVM;
	c->phb = c->pe = -1;
	ret = tce_types_symbol(c->t, "vm_list", &head);
	if (!ret)
		ret = kvm_layout(c, &l);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret) {
		char msg[TCE_ERR_LEN], why[TCE_ERR_LEN] = "", nodw[256];

		snprintf(msg, sizeof(msg), "%s", tce_errmsg(c->d));
		tce_clear_err(c->d);
		ret = kvm_absent(c, why, sizeof(why));
		if (ret < 0)
			return ret;
		if (ret)
			src_why(c, DISC_ABSENT, "KVM is not loaded (no kvm module, no kvm_init "
				"in the kernel)");
		else if (!strcmp(why, "kvm.ko is loaded, but ") &&
			 kvm_no_dwarf(c, nodw, sizeof(nodw)))
			src_why(c, DISC_UNKNOWN, "kvm.ko is loaded without its DWARF (%s), "
				"and %s", nodw, msg);
		else if (!strcmp(why, "kvm.ko is loaded, but "))
			src_why(c, DISC_UNKNOWN, "kvm.ko is loaded, but %s", msg);
		else if (why[0])
			/* what stopped the modules list first: the lookups' list of who was
			 * asked is long, and the line is cut at its end ("...") */
			src_why(c, DISC_UNKNOWN, "%s; %s", why, msg);
		else
			src_why(c, DISC_UNKNOWN, "%s", msg);
		return 0;
	}
	c->out->src[DISC_KVM].status = DISC_FOUND;
	ret = tce_klist_walk(c->t, head, tce_walk_bound(c->d, 4096, DISC_MAX_VMS), vm_cb, &kw,
			     &w);
	if (ret)
		return ret;
	list_end(c, &w, "vm_list");
	c->out->src[DISC_KVM].count = c->out->nvms;
	return 0;
}

/* ------------------------------------------------------------ PCI host bridges */

struct pci_layout {
	struct ty_member list_node, number, priv, pci_data;
	bool has_pci_data;
	/* powernv */
	bool pnv;
	struct ty_member phb_hose, pe_list, pe_entry, pe_number, pe_tables;
	/* pseries */
	bool pdn;
	struct ty_member pdn_group, pdn_children, pdn_entry, pdn_busno, pdn_devfn;
	struct ty_member group_tables;
};

static int pci_layout(struct dctx *c, struct pci_layout *l)
{
	int ret;

	memset(l, 0, sizeof(*l));
	ret = member(c, "struct pci_controller", "list_node", &l->list_node);
	if (!ret)
		ret = member(c, "struct pci_controller", "global_number", &l->number);
	if (!ret)
		ret = member(c, "struct pci_controller", "private_data", &l->priv);
	if (ret)
		return ret;
	l->has_pci_data = !member(c, "struct pci_controller", "pci_data", &l->pci_data);
	l->pnv = !member(c, "struct pnv_phb", "hose", &l->phb_hose) &&
		 !member(c, "struct pnv_phb", "ioda.pe_list", &l->pe_list) &&
		 !member(c, "struct pnv_ioda_pe", "list", &l->pe_entry) &&
		 !member(c, "struct pnv_ioda_pe", "pe_number", &l->pe_number) &&
		 !member(c, "struct pnv_ioda_pe", "table_group.tables", &l->pe_tables);
	l->pdn = l->has_pci_data &&
		 !member(c, "struct pci_dn", "table_group", &l->pdn_group) &&
		 !member(c, "struct pci_dn", "child_list", &l->pdn_children) &&
		 !member(c, "struct pci_dn", "list", &l->pdn_entry) &&
		 !member(c, "struct pci_dn", "busno", &l->pdn_busno) &&
		 !member(c, "struct pci_dn", "devfn", &l->pdn_devfn) &&
		 !member(c, "struct iommu_table_group", "tables", &l->group_tables);
	tce_clear_err(c->d);
	if (!l->pnv && !l->pdn)
		return tce_set_err(c->d, TCE_ENOENT, "type information has neither powernv's "
				   "struct pnv_phb / pnv_ioda_pe nor pseries' struct pci_dn");
	return 0;
}

struct pci_walk {
	struct dctx *c;
	const struct pci_layout *l;
	uint64_t hose;
	unsigned depth;
	struct addr_set pdns;    /* every pci_dn visited, of every PHB */
};

/* Every non-NULL tables[i] of the iommu_table_group array at addr */
/* A table met again under another PE (c's): shared, said in its path and kept with
 * it, the first PE staying its own */
static void shared_pe(struct dctx *c, struct disc_table *tb, uint64_t slot)
{
	size_t len = strlen(tb->found);
	unsigned i;

	if (tb->phb == c->phb && tb->pe == c->pe)
		return;
	for (i = 0; i < tb->nshared; i++)
		if (tb->shared[i].phb == c->phb && tb->shared[i].pe == c->pe)
			return;
	if (tb->nshared == TCE_TABLE_SHARED_MAX) {
		tb->shared_more++;
		return;
	}
	tb->shared[tb->nshared++] = (struct tce_table_pe){ .phb = c->phb, .pe = c->pe };
	snprintf(tb->found + len, sizeof(tb->found) - len, "; also PHB %" PRId64 " -> PE 0x%"
		 PRIx64 " -> tables[%" PRIu64 "]", c->phb, (uint64_t)c->pe, slot);
}

const char *tce_disc_pes(const struct tce_table_info *ti, char *buf, size_t len)
{
	size_t n, i;

	n = (size_t)snprintf(buf, len, "0x%" PRIx64, (uint64_t)ti->pe);
	if (ti->size < offsetof(struct tce_table_info, shared_more) + sizeof(unsigned))
		return buf;
	for (i = 0; i < ti->nshared && n < len; i++) {
		const struct tce_table_pe *p = &ti->shared[i];

		if (p->phb == ti->phb)
			n += (size_t)snprintf(buf + n, len - n, "+0x%" PRIx64, (uint64_t)p->pe);
		else
			n += (size_t)snprintf(buf + n, len - n, "+0x%" PRIx64 "@phb=%" PRId64,
					      (uint64_t)p->pe, p->phb);
	}
	if (ti->shared_more && n < len)
		snprintf(buf + n, len - n, "+%u-more", ti->shared_more);
	return buf;
}

static int group_tables(struct dctx *c, uint64_t addr, const struct ty_member *arr,
			const char *where)
{
	uint64_t i, n = arr->count ? arr->count : 1, tbl;
	size_t len = strlen(c->path), pos;
	int ret;

	if (arr->elem_size && arr->elem_size != 8)
		return tce_set_err(c->d, TCE_ENOENT, "tables[] of %" PRIu64 "-byte elements "
				   "are no pointers", arr->elem_size);
	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++) {
		if (read_ptr(c, addr + arr->offset + 8 * i, &tbl)) {
			src_why(c, DISC_PARTIAL, "%s tables[%" PRIu64 "]: %s", where, i,
				tce_errmsg(c->d));
			tce_clear_err(c->d);
			continue;
		}
		if (!tbl)
			continue;
		snprintf(c->path + len, sizeof(c->path) - len, " -> tables[%" PRIu64 "]", i);
		ret = add_table(c, TCE_TABLE_IOMMU, tbl, &pos);
		c->path[len] = '\0';
		if (ret < 0)
			return ret;
		if (ret == 0)
			c->out->t[pos].pseries = c->src == DISC_PSERIES;
		else if (c->pe >= 0)
			shared_pe(c, &c->out->t[pos], i);
	}
	return 0;
}

static int pe_cb(void *data, uint64_t node)
{
	struct pci_walk *pw = data;
	struct dctx *c = pw->c;
	uint64_t pe = node - pw->l->pe_entry.offset, num;
	size_t len = strlen(c->path);
	int ret;

	if (tce_types_read_uint(c->d, pe, &pw->l->pe_number, &num)) {
		src_why(c, DISC_PARTIAL, "a PHB's ioda.pe_list: the PE at 0x%" PRIx64 " cannot be "
			"read: %s", pe, tce_errmsg(c->d));
		tce_clear_err(c->d);
		return 0;
	}
	c->pe = (int64_t)num;
	snprintf(c->path + len, sizeof(c->path) - len, " -> PE 0x%" PRIx64, num);
	ret = group_tables(c, pe, &pw->l->pe_tables, "PE");
	c->path[len] = '\0';
	c->pe = -1;
	return ret;
}

static int pdn_visit(struct pci_walk *pw, uint64_t pdn);

static int pdn_cb(void *data, uint64_t node)
{
	struct pci_walk *pw = data;

	return pdn_visit(pw, node - pw->l->pdn_entry.offset);
}

/* One pci_dn: its table group, then its children */
static int pdn_visit(struct pci_walk *pw, uint64_t pdn)
{
	struct dctx *c = pw->c;
	const struct pci_layout *l = pw->l;
	size_t len = strlen(c->path);
	uint64_t group, busno, devfn;
	struct kl_walk w;
	int ret = 0;

	if (++c->pdn_nodes > DISC_MAX_PDN) {
		src_why(c, DISC_PARTIAL, "more than %d pci_dn: the tree is damaged",
			DISC_MAX_PDN);
		return 0;
	}
	/* a child list that links back into the tree (an ancestor, another PHB's):
	 * each list's own walk cannot see it */
	ret = tce_addrset_add(&pw->pdns, pdn, 0, NULL);
	if (ret < 0)
		return tce_set_err(c->d, TCE_ENOMEM, "pci_dn tree: out of memory");
	if (ret) {
		src_why(c, DISC_PARTIAL, "the pci_dn tree: pci_dn at 0x%" PRIx64 " is reached "
			"twice: a cycle", pdn);
		return 0;
	}
	if (read_ptr(c, pdn + l->pdn_group.offset, &group) ||
	    tce_types_read_uint(c->d, pdn, &l->pdn_busno, &busno) ||
	    tce_types_read_uint(c->d, pdn, &l->pdn_devfn, &devfn)) {
		src_why(c, DISC_PARTIAL, "pci_dn at 0x%" PRIx64 ": %s", pdn, tce_errmsg(c->d));
		tce_clear_err(c->d);
		return 0;
	}
	if ((int32_t)busno < 0)
		snprintf(c->path + len, sizeof(c->path) - len, " -> pci_dn (the PHB)");
	else
		snprintf(c->path + len, sizeof(c->path) - len, " -> pci_dn %02" PRIx64 ":%02"
			 PRIx64 ".%" PRIu64, busno & 0xff, (devfn >> 3) & 0x1f, devfn & 7);
	if (group)
		ret = group_tables(c, group, &l->group_tables, "pci_dn table_group");
	if (!ret && pw->depth < DISC_PDN_DEPTH) {
		pw->depth++;
		ret = tce_klist_walk(c->t, pdn + l->pdn_children.offset, DISC_MAX_PDN, pdn_cb,
				     pw, &w);
		pw->depth--;
		if (!ret)
			list_end(c, &w, "a pci_dn's child_list");
	} else if (!ret) {
		src_why(c, DISC_PARTIAL, "pci_dn tree deeper than %d levels", DISC_PDN_DEPTH);
	}
	c->path[len] = '\0';
	return ret;
}

static int hose_cb(void *data, uint64_t node)
{
	struct pci_walk *pw = data;
	struct dctx *c = pw->c;
	const struct pci_layout *l = pw->l;
	uint64_t hose = node - l->list_node.offset, num, priv, back, pdn;
	struct kl_walk w;
	int ret;

	c->out->nphbs++;
	if (tce_types_read_uint(c->d, hose, &l->number, &num) ||
	    read_ptr(c, hose + l->priv.offset, &priv)) {
		src_why(c, DISC_PARTIAL, "hose_list: the PHB at 0x%" PRIx64 " cannot be read: %s",
			hose, tce_errmsg(c->d));
		tce_clear_err(c->d);
		return 0;
	}
	c->phb = (int64_t)(int32_t)num;
	/* powernv: private_data is the pnv_phb, which points back at its hose */
	if (l->pnv && priv && !read_ptr(c, priv + l->phb_hose.offset, &back) && back == hose) {
		c->src = DISC_POWERNV;
		c->out->src[DISC_POWERNV].status = c->out->src[DISC_POWERNV].status ?
						    c->out->src[DISC_POWERNV].status : DISC_FOUND;
		c->out->src[DISC_POWERNV].count++;
		snprintf(c->path, sizeof(c->path), "hose_list -> PHB %" PRId64, c->phb);
		ret = tce_klist_walk(c->t, priv + l->pe_list.offset, DISC_MAX_PES, pe_cb, pw,
				     &w);
		if (ret)
			return ret;
		list_end(c, &w, "a PHB's ioda.pe_list");
		return 0;
	}
	tce_clear_err(c->d);
	/* pseries (or no private data): the pci_dn tree */
	if (!l->pdn)
		return 0;
	if (read_ptr(c, hose + l->pci_data.offset, &pdn)) {
		src_why(c, DISC_PARTIAL, "PHB %" PRId64 " pci_data: %s", c->phb,
			tce_errmsg(c->d));
		tce_clear_err(c->d);
		return 0;
	}
	if (!pdn)
		return 0;
	c->src = DISC_PSERIES;
	c->out->src[DISC_PSERIES].status = c->out->src[DISC_PSERIES].status ?
					    c->out->src[DISC_PSERIES].status : DISC_FOUND;
	c->out->src[DISC_PSERIES].count++;
	snprintf(c->path, sizeof(c->path), "hose_list -> PHB %" PRId64, c->phb);
	pw->hose = hose;
	pw->depth = 0;
	return pdn_visit(pw, pdn);
}

static int discover_pci(struct dctx *c)
{
	struct pci_layout l;
	struct pci_walk pw = { .c = c, .l = &l };
	struct kl_walk w;
	uint64_t head;
	int ret;

	c->kvm = 0;
	c->pid = c->phb = c->pe = -1;
	ret = tce_types_symbol(c->t, "hose_list", &head);
	if (!ret)
		ret = pci_layout(c, &l);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret) {
		c->src = DISC_POWERNV;
		src_why(c, DISC_UNKNOWN, "%s", tce_errmsg(c->d));
		c->src = DISC_PSERIES;
		src_why(c, DISC_UNKNOWN, "%s", tce_errmsg(c->d));
		tce_clear_err(c->d);
		return 0;
	}
	c->src = DISC_POWERNV;
	ret = tce_klist_walk(c->t, head, tce_walk_bound(c->d, 1024, DISC_MAX_PHBS), hose_cb,
			     &pw, &w);
	tce_addrset_free(&pw.pdns);
	if (ret)
		return ret;
	if (w.end != KL_HEAD) {
		/* a cut hose_list leaves the platform's answer incomplete: a kernel runs
		 * one platform, so PHBs of one kind before the cut say which; with none
		 * seen, both are incomplete */
		bool pnv = c->out->src[DISC_POWERNV].count;
		bool pser = c->out->src[DISC_PSERIES].count;

		c->src = DISC_POWERNV;
		if (pnv || !pser)
			list_end(c, &w, "hose_list");
		c->src = DISC_PSERIES;
		if (pser || !pnv)
			list_end(c, &w, "hose_list");
	}
	return 0;
}

int tce_discover(struct types *t, struct disc *out)
{
	struct dctx c = { .t = t, .d = t->d, .out = out, .bo = tce_dump_byteorder(t->d) };
	unsigned i;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = discover_pci(&c);
	if (!ret)
		ret = discover_kvm(&c);
	if (ret)
		return ret;
	for (i = 0; i < DISC_NSRC; i++)
		if (out->src[i].status == DISC_NOT_RUN)
			out->src[i].status = DISC_ABSENT;
	if (out->src[DISC_POWERNV].status == DISC_ABSENT)
		snprintf(out->src[DISC_POWERNV].why, sizeof(out->src[0].why), "%s",
			 out->nphbs ? "no PHB is a powernv one" : "no PCI host bridge");
	if (out->src[DISC_PSERIES].status == DISC_ABSENT)
		snprintf(out->src[DISC_PSERIES].why, sizeof(out->src[0].why), "%s",
			 out->nphbs ? "no PHB has pseries' pci_dn tree" : "no PCI host bridge");
	/* each table's own structure, read once: the ones found through the PCI side */
	for (i = 0; i < out->n; i++) {
		struct disc_table *tb = &out->t[i];
		struct iommu_tbl it;

		if (tb->kind != TCE_TABLE_IOMMU)
			continue;
		ret = tce_iommu_table_read(t, tb->addr, &it);
		if (ret == -TCE_ENOMEM)
			return ret;
		if (ret) {
			tb->err = ret;
			snprintf(tb->why, sizeof(tb->why), "%s", tce_errmsg(t->d));
			tce_clear_err(t->d);
			continue;
		}
		tb->id = it.index;
	}
	return 0;
}

void tce_disc_free(struct disc *o)
{
	size_t i;

	for (i = 0; i < o->nvms; i++)
		tce_vm_free(&o->vms[i]);
	free(o->vms);
	free(o->t);
	memset(o, 0, sizeof(*o));
}

const char *tce_disc_src_name(enum disc_src s)
{
	static const char *const names[DISC_NSRC] = { "kvm", "powernv", "pseries" };

	return (unsigned)s < DISC_NSRC ? names[s] : "unknown";
}
