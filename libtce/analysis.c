// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The analysis object: the top of libtce.  It owns the model of one dump and, once
 * tce_analysis_check() has run, every rule's outcome and the findings.  The public
 * calls that read the model (blocks, translations, struct pages) load only the part
 * they need; the check gathers the few dump facts rules need (which PT_LOADs the file
 * holds, whether each block's backing is in it), runs the comparison, then every rule
 * of the catalogue in order.  A recheck (tce_analysis_recheck()) is such a check on a
 * fresh handle, restricted to the rules and objects of another analysis's findings.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis-priv.h"
#include "model/vfio.h"
#include "rules/rules.h"
#include "winmap.h"

struct tce_analysis {
	struct tce_dump *d;
	struct tce_model m;
	struct types ty;
	char providers[1536];
	bool checked;
	bool disabled[TCE_RULE_COUNT];
	bool model_on[TCE_KMODEL_COUNT];
	tce_progress_fn progress;
	void *progress_data;
	struct finding_list fl;
	enum tce_outcome outcome[TCE_RULE_COUNT];
	char reason[TCE_RULE_COUNT][256];
	bool map_on;                  /* make the window map in the pass */
	struct winmap map;
	const struct recheck *sel;    /* tce_analysis_recheck(): what the check reads */
};

/* What a recheck reads of the tables: per table (by key, sorted) its whole or spans */
struct recheck_table {
	const char *key;              /* the first analysis's */
	bool whole;
	struct entry_span *spans;     /* sorted, apart */
	size_t n, cap;
};

struct recheck {
	bool model;                   /* a finding about the vmemmap model */
	bool pass;                    /* ... of a rule that counts over every table */
	struct recheck_table *t;
	size_t nt;
};

/* Module memory is vmalloc: the model installs the kernel page-table translation that
 * reads it before the type layer walks the modules list.  A model that cannot load
 * leaves those reads unanswered, which the module walk reports. */
static int types_prepare(void *data)
{
	struct tce_analysis *a = data;
	int ret = tce_model_vmemmap(&a->m);

	return ret == -TCE_ENOMEM ? ret : 0;
}

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
	tce_types_init(&a->ty, d);
	a->ty.prepare = types_prepare;
	a->ty.prepare_data = a;
	*out = a;
	return 0;
}

void tce_analysis_free(struct tce_analysis *a)
{
	if (!a)
		return;
	tce_model_free(&a->m);
	tce_types_free(&a->ty);
	tce_findings_free(&a->fl);
	tce_winmap_free(&a->map);
	tce_dump_release(a->d);
	free(a);
}

const struct tce_model *tce_analysis_model(const struct tce_analysis *a)
{
	return &a->m;
}

uint64_t tce_analysis_counted(const struct tce_analysis *a)
{
	return a->fl.counted;
}

int tce_analysis_table_pass(struct tce_analysis *a, const struct table_visitor *v)
{
	return tce_model_table_pass(&a->m, &a->ty, v);
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

int tce_analysis_mmu_info(struct tce_analysis *a, struct tce_mmu_info *mi)
{
	struct tce_mmu_info in = { .size = sizeof(in) };
	size_t size = mi->size;
	int ret;

	if (size < offsetof(struct tce_mmu_info, mmu) + sizeof(in.mmu))
		return tce_set_err(a->d, TCE_EINVAL, "struct tce_mmu_info: size %zu is too "
				   "small", size);
	ret = tce_model_mmu(&a->m, &in.mmu);
	if (ret)
		return ret;
	in.declared = a->m.pgt.declared;
	in.tables = a->m.pgt.tables;
	in.why = in.tables != TCE_MMU_RADIX && a->m.pgt.why[0] ? a->m.pgt.why : NULL;
	if (size > sizeof(in))
		size = sizeof(in);
	memcpy(mi, &in, size);
	mi->size = size;
	return 0;
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
	in.struct_page_size = m->psz;
	in.base = m->base;
	in.base_from_sections = m->base_from == TCE_BASE_SECTIONS;
	in.max_pfn = m->max_pfn;
	in.nblocks = m->walk.nblocks;
	in.complete = m->walk.end == VM_WALK_NULL;
	in.ordered = m->ordered;
	in.pgtable = m->pgt_ok;
	in.mmu = m->pgt.mmu;
	in.source = m->src;
	in.reference = tce_model_reference(m);
	in.base_source = m->base_from;
	in.mmu_declared = m->pgt.declared;
	in.mmu_tables = m->pgt.tables;
	in.why = m->src == TCE_VMEMMAP_SRC_NONE ? m->src_why : NULL;
	in.list_walked = m->list_walked;
	if (size > sizeof(in))
		size = sizeof(in);
	memcpy(vi, &in, size);
	vi->size = size;
	return 0;
}

const char *tce_vmemmap_source_name(enum tce_vmemmap_source src)
{
	switch (src) {
	case TCE_VMEMMAP_SRC_LIST:
		return "vmemmap_list";
	case TCE_VMEMMAP_SRC_PGTABLE:
		return "page-tables";
	default:
		return "none";
	}
}

const char *tce_base_source_name(enum tce_base_source src)
{
	switch (src) {
	case TCE_BASE_VMCOREINFO:
		return "vmcoreinfo";
	case TCE_BASE_SECTIONS:
		return "mem_section";
	case TCE_BASE_BLOCKS:
		return "blocks";
	default:
		return "unknown";
	}
}

const struct tce_vmemmap_block *tce_vmemmap_block(const struct tce_analysis *a, size_t i)
{
	return i < a->m.walk.nblocks ? &a->m.walk.blocks[i] : NULL;
}

/* tce_pfn_to_page() but for the index's lookups once loaded */
static __attribute__((noinline)) int pfn_to_page(struct tce_analysis *a, enum tce_xlat meth,
						 uint64_t pfn, enum tce_xlat_status *st,
						 uint64_t *phys)
{
	uint64_t va;
	int ret;

	if ((unsigned)meth >= TCE_XLAT_NUM)
		return tce_set_err(a->d, TCE_EINVAL, "no translation method %d", (int)meth);
	ret = a->m.vm_loaded && !a->m.vm_status ? 0 : tce_model_vmemmap(&a->m);
	if (ret)
		return ret;
	*phys = 0;
	if (meth == TCE_XLAT_PGTABLE && !a->m.pgt_ok)
		*st = TCE_XS_UNAVAILABLE;
	else if (meth != TCE_XLAT_PGTABLE &&
		 (!a->m.list_walked || a->m.src == TCE_VMEMMAP_SRC_PGTABLE))
		*st = TCE_XS_UNAVAILABLE;
	else if (!tce_model_pfn_va(&a->m, pfn, &va))
		*st = TCE_XS_NOBLOCK;
	else if (meth == TCE_XLAT_INDEX)
		*st = tce_index_xlat_va(&a->m, va, phys);
	else
		*st = tce_vm_xlat(&a->m, meth, va, phys);
	return 0;
}

int tce_pfn_to_page(struct tce_analysis *a, enum tce_xlat meth, uint64_t pfn,
		    enum tce_xlat_status *st, uint64_t *phys)
{
	const struct tce_model *m = &a->m;
	const struct vm_index_ent *e;
	uint64_t va, slot, off;
	uint32_t i;

	/* The index's common answer calls nothing, so it saves no register: a pfn whose
	 * struct page lies whole in the one block of its direct slot.  Everything else
	 * (not loaded, past the table or the pfn limit, a slot with no block or several,
	 * a struct page past its block's end) is pfn_to_page()'s, by a tail call: the
	 * checks and saves around the lookup were most of its cost.  A slot of 0 holds
	 * no block, so i wraps to UINT32_MAX and fails the test against nindex, as
	 * DIRECT_SEARCH does (nindex < UINT32_MAX where a direct table exists).  The
	 * answer is stored last: a store through phys may alias the model. */
	if (meth != TCE_XLAT_INDEX || pfn > m->pfn_limit)
		return pfn_to_page(a, meth, pfn, st, phys);
	va = m->base + pfn * m->psz;
	slot = (va - m->direct_base) >> m->direct_shift;
	if (slot >= m->fast_slots)
		return pfn_to_page(a, meth, pfn, st, phys);
	i = m->direct[slot] - 1;
	if (i >= m->nindex)
		return pfn_to_page(a, meth, pfn, st, phys);
	e = &m->index[i];
	off = va - e->virt;
	if (off > m->fast_oklim)
		return pfn_to_page(a, meth, pfn, st, phys);
	*phys = e->phys + off;
	*st = TCE_XS_OK;
	return 0;
}

static void describe(char *buf, size_t len, enum tce_xlat_status st, uint64_t phys)
{
	if (st == TCE_XS_OK)
		snprintf(buf, len, "0x%" PRIx64, phys);
	else if (st == TCE_XS_STRADDLE)
		snprintf(buf, len, "0x%" PRIx64 " (straddling)", phys);
	else
		snprintf(buf, len, "%s", tce_xlat_status_name(st));
}

static void problem(struct tce_pfn_xlat *x, enum tce_rule_id rule, enum tce_xlat meth,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void problem(struct tce_pfn_xlat *x, enum tce_rule_id rule, enum tce_xlat meth,
		    const char *fmt, ...)
{
	struct tce_pfn_problem *p = &x->problem[x->nproblems++];
	va_list ap;

	p->rule = rule;
	p->method = meth;
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
}

int tce_pfn_xlat(struct tce_analysis *a, uint64_t pfn, struct tce_pfn_xlat *out)
{
	struct tce_pfn_xlat x = { .size = sizeof(x), .pfn = pfn };
	size_t size = out->size;
	enum tce_xlat ref;
	char got[64], want[64];
	unsigned m;
	int ret;

	if (size < offsetof(struct tce_pfn_xlat, pfn) + sizeof(x.pfn))
		return tce_set_err(a->d, TCE_EINVAL, "struct tce_pfn_xlat: size %zu is too "
				   "small", size);
	for (m = 0; m < TCE_XLAT_NUM; m++) {
		ret = tce_pfn_to_page(a, m, pfn, &x.st[m], &x.phys[m]);
		if (ret)
			return ret;
	}
	x.vmemmap = tce_pfn_to_vmemmap(a, pfn);
	ref = x.reference = tce_model_reference(&a->m);
	if (ref < TCE_XLAT_NUM) {
		describe(want, sizeof(want), x.st[ref], x.phys[ref]);
		for (m = 0; m < TCE_XLAT_NUM; m++) {
			enum tce_xlat_status st = x.st[m];

			if (m == ref || st == TCE_XS_UNAVAILABLE)
				continue;
			/* the page tables map memory, not struct pages: a split one is fine */
			if (m == TCE_XLAT_PGTABLE && x.st[ref] == TCE_XS_STRADDLE &&
			    st == TCE_XS_OK && x.phys[m] == x.phys[ref])
				continue;
			if (st == x.st[ref] && (st == TCE_XS_NOBLOCK || x.phys[m] == x.phys[ref]))
				continue;
			describe(got, sizeof(got), st, x.phys[m]);
			problem(&x, m == TCE_XLAT_SEED2013 && st == TCE_XS_NOBLOCK &&
				x.st[ref] == TCE_XS_OK ? TCE_RULE_VMEMMAP_SEED_FALLBACK :
				TCE_RULE_VMEMMAP_XLAT_MISMATCH, m, "%s gives %s, the %s %s",
				tce_xlat_name(m), got, tce_xlat_name(ref), want);
		}
		if (x.st[ref] == TCE_XS_STRADDLE)
			problem(&x, TCE_RULE_VMEMMAP_STRADDLE, ref, "the struct page spans two "
				"vmemmap blocks: real mode cannot reach it");
	}
	if (size > sizeof(x))
		size = sizeof(x);
	memcpy(out, &x, size);
	out->size = size;
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

int tce_analysis_set_types(struct tce_analysis *a, const struct tce_types_opts *o)
{
	struct ty_sources src = { 0 };

	if (o->size < offsetof(struct tce_types_opts, vmlinux) + sizeof(o->vmlinux))
		return tce_set_err(a->d, TCE_EINVAL, "struct tce_types_opts: size %zu is too "
				   "small", o->size);
	src.vmlinux = o->vmlinux;
	if (o->size >= offsetof(struct tce_types_opts, debug_dir) + sizeof(o->debug_dir))
		src.debug_dir = o->debug_dir;
	if (o->size >= offsetof(struct tce_types_opts, debuginfod) + sizeof(o->debuginfod))
		src.debuginfod = o->debuginfod;
	return tce_types_set_sources(&a->ty, &src);
}

int tce_analysis_load_types(struct tce_analysis *a)
{
	return tce_types_load(&a->ty);
}

int tce_analysis_types(struct tce_analysis *a, struct tce_types_info *ti)
{
	struct tce_types_info in = { .size = sizeof(in) };
	const struct types *t = &a->ty;
	size_t size = ti->size, n = 0;
	unsigned i;
	int ret;

	if (size < offsetof(struct tce_types_info, dwarf) + sizeof(in.dwarf))
		return tce_set_err(a->d, TCE_EINVAL, "struct tce_types_info: size %zu is too "
				   "small", size);
	/* everything read that lookups would: has_btf is BTF that parses */
	ret = tce_types_settle(&a->ty);
	if (ret)
		return ret;
	in.dwarf = t->has_dwarf;
	in.dwarf_path = t->has_dwarf ? t->dwarf_path : NULL;
	in.dwarf_how = t->has_dwarf ? t->dwarf_how : NULL;
	in.no_dwarf = t->has_dwarf ? NULL : t->tried;
	a->providers[0] = '\0';
	for (i = 0; i < t->nprov && n < sizeof(a->providers); i++)
		n += snprintf(a->providers + n, sizeof(a->providers) - n, "%s%s", i ? ", " : "",
			      t->prov[i]->what);
	in.providers = a->providers;
	in.btf = t->has_btf;
	in.btf_what = NULL;
	for (i = 0; i < t->nprov; i++)
		if (!strcmp(t->prov[i]->ops->name, "btf"))
			in.btf_what = t->prov[i]->what;
	in.no_btf = t->has_btf ? NULL : t->no_btf;
	in.modules = tce_types_modules(&a->ty, &in.nmodules);
	if (!in.modules && in.nmodules)
		return tce_set_err(a->d, TCE_ENOMEM, "modules: out of memory");
	in.no_modules = t->mods_note[0] ? t->mods_note : NULL;
	if (size > sizeof(in))
		size = sizeof(in);
	memcpy(ti, &in, size);
	ti->size = size;
	return 0;
}

int tce_analysis_symbol(struct tce_analysis *a, const char *name, uint64_t *addr)
{
	return tce_types_symbol(&a->ty, name, addr);
}

int tce_analysis_type_size(struct tce_analysis *a, const char *type, uint64_t *size)
{
	return tce_types_size(&a->ty, type, size);
}

int tce_analysis_member(struct tce_analysis *a, const char *type, const char *path,
			uint64_t *offset, uint64_t *size)
{
	struct ty_member m;
	int ret = tce_types_member(&a->ty, type, path, &m);

	if (ret)
		return ret;
	*offset = m.offset;
	*size = m.size;
	return 0;
}

const char *tce_table_kind_name(enum tce_table_kind k)
{
	return k == TCE_TABLE_IOMMU ? "iommu" : k == TCE_TABLE_KVM ? "kvm" : "unknown";
}

const char *tce_table_source_name(enum tce_table_source s)
{
	return tce_disc_src_name((enum disc_src)s);
}

const char *tce_search_name(enum tce_search s)
{
	switch (s) {
	case TCE_SEARCH_FOUND:
		return "found";
	case TCE_SEARCH_ABSENT:
		return "absent";
	case TCE_SEARCH_PARTIAL:
		return "partial";
	case TCE_SEARCH_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *tce_host_state_name(enum tce_host_state s)
{
	switch (s) {
	case TCE_HOST_PRESENT:
		return "present";
	case TCE_HOST_NOT_PRESENT:
		return "not-present";
	case TCE_HOST_NO_MEMSLOT:
		return "no-memslot";
	case TCE_HOST_UNKNOWN:
		break;
	}
	return "unknown";
}

/* The caller's struct tce_table_info must reach addr: 0 or -TCE_EINVAL */
static int info_size_ok(struct tce_dump *d, size_t size)
{
	if (size < offsetof(struct tce_table_info, addr) + sizeof(uint64_t))
		return tce_set_err(d, TCE_EINVAL, "struct tce_table_info: size %zu is too "
				   "small", size);
	return 0;
}

/* Copies in to the caller's struct of size bytes (info_size_ok()) */
static void copy_info(const struct tce_table_info *in, struct tce_table_info *ti,
		      size_t size)
{
	if (size > sizeof(*in))
		size = sizeof(*in);
	memcpy(ti, in, size);
	ti->size = size;
}

int tce_table_at(struct tce_analysis *a, enum tce_table_kind kind, uint64_t addr,
		 struct tce_table_info *ti)
{
	struct tce_table_info in = { .size = sizeof(in) };
	size_t size = ti->size;
	int ret;

	ret = info_size_ok(a->d, size);
	if (!ret)
		ret = tce_model_table_read(&a->m, &a->ty, kind, addr, &in);
	if (!ret)
		copy_info(&in, ti, size);
	return ret;
}

int tce_analysis_tables(struct tce_analysis *a, struct tce_tables_info *ti)
{
	struct tce_tables_info in = { .size = sizeof(in) };
	size_t size = ti->size;
	unsigned i;
	int ret;

	if (size < offsetof(struct tce_tables_info, count) + sizeof(in.count))
		return tce_set_err(a->d, TCE_EINVAL, "struct tce_tables_info: size %zu is too "
				   "small", size);
	ret = tce_model_tables(&a->m, &a->ty);
	if (ret)
		return ret;
	in.count = a->m.disc.n;
	for (i = 0; i < TCE_SOURCE_COUNT; i++) {
		const struct disc_source *s = &a->m.disc.src[i];

		in.source[i].status = s->status == DISC_FOUND ? TCE_SEARCH_FOUND :
				      s->status == DISC_ABSENT ? TCE_SEARCH_ABSENT :
				      s->status == DISC_PARTIAL ? TCE_SEARCH_PARTIAL :
				      TCE_SEARCH_UNKNOWN;
		in.source[i].why = s->status == DISC_FOUND ? NULL : s->why;
		in.source[i].count = s->count;
	}
	if (size > sizeof(in))
		size = sizeof(in);
	memcpy(ti, &in, size);
	ti->size = size;
	return 0;
}

int tce_analysis_table(struct tce_analysis *a, size_t i, struct tce_table_info *ti)
{
	struct tce_table_info in = { .size = sizeof(in) };
	size_t size = ti->size;
	int ret;

	ret = info_size_ok(a->d, size);
	if (!ret)
		ret = tce_model_tables(&a->m, &a->ty);
	if (!ret)
		ret = tce_model_table_found(&a->m, &a->ty, i, &in);
	if (!ret)
		copy_info(&in, ti, size);
	return ret;
}

int tce_table_entries(struct tce_analysis *a, const struct tce_table_info *ti,
		      uint64_t first, uint64_t last, tce_table_entry_fn fn, void *data,
		      struct tce_table_stats *st)
{
	if (ti->size < offsetof(struct tce_table_info, base) + sizeof(ti->base))
		return tce_set_err(a->d, TCE_EINVAL, "struct tce_table_info: size %zu is too "
				   "small", ti->size);
	return tce_model_table_entries(&a->m, &a->ty, ti, first, last, fn, data, st);
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

int tce_analysis_set_window_map(struct tce_analysis *a, bool on)
{
	if (a->checked)
		return tce_set_err(a->d, TCE_EINVAL, "the check has run: the window map is "
				   "asked for before");
	a->map_on = on;
	return 0;
}

size_t tce_window_map_count(const struct tce_analysis *a)
{
	return a->map.n;
}

const struct tce_window_map *tce_window_map(const struct tce_analysis *a, size_t i)
{
	return tce_winmap_get(&a->map, i);
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

int tce_analysis_enable(struct tce_analysis *a, enum tce_rule_id rule, bool on)
{
	if ((unsigned)rule >= TCE_RULE_COUNT)
		return tce_set_err(a->d, TCE_EINVAL, "no rule %d", (int)rule);
	if (a->checked)
		return tce_set_err(a->d, TCE_EINVAL, "the check has run: rules are chosen "
				   "before");
	a->disabled[rule] = !on;
	return 0;
}

static const char *const kmodel_names[TCE_KMODEL_COUNT] = {
	[TCE_KMODEL_SEED2013] = "seed2013",
};

const char *tce_kmodel_name(enum tce_kmodel m)
{
	return (unsigned)m < TCE_KMODEL_COUNT ? kmodel_names[m] : NULL;
}

int tce_kmodel_parse(const char *name, enum tce_kmodel *m)
{
	unsigned i;

	for (i = 0; i < TCE_KMODEL_COUNT; i++)
		if (!strcmp(kmodel_names[i], name)) {
			*m = i;
			return 0;
		}
	return -TCE_EINVAL;
}

int tce_analysis_set_model(struct tce_analysis *a, enum tce_kmodel m, bool on)
{
	if ((unsigned)m >= TCE_KMODEL_COUNT)
		return tce_set_err(a->d, TCE_EINVAL, "no kernel model %d", (int)m);
	if (a->checked)
		return tce_set_err(a->d, TCE_EINVAL, "the check has run: models are chosen "
				   "before");
	a->model_on[m] = on;
	return 0;
}

/* The first model rule r assumes that is not selected, or TCE_KMODEL_COUNT */
static unsigned model_missing(const struct tce_analysis *a, enum tce_rule_id r)
{
	unsigned m;

	for (m = 0; m < TCE_KMODEL_COUNT; m++)
		if ((tce_rule_def(r)->models & (1u << m)) && !a->model_on[m])
			return m;
	return TCE_KMODEL_COUNT;
}

/* Does the check run rule r: enabled, and the models it assumes selected */
static bool rule_runs(const struct tce_analysis *a, enum tce_rule_id r)
{
	return !a->disabled[r] && model_missing(a, r) == TCE_KMODEL_COUNT;
}

void tce_analysis_set_progress(struct tce_analysis *a, tce_progress_fn fn, void *data)
{
	a->progress = fn;
	a->progress_data = data;
}

/* The pass over the tables hands each fact to every table rule that runs (the rules
 * with an entry check, listed once) */
struct table_rules {
	struct tce_analysis *a;
	struct rule_ctx *c;
	const struct rule_def *entry[TCE_RULE_COUNT];
	unsigned nentry;
	/* those whose entry check can say something of the table being visited */
	uint64_t seq;                 /* its table_fact's; 0 none yet */
	const struct rule_def *on[TCE_RULE_COUNT];
	unsigned non;
	uint64_t map_seq;             /* the table the window map has begun */
	bool unpinned_on;             /* TCE-VFIO-UNPINNED runs: entries may be not pinned */
};

/* Can rule r's entry check say anything of table t's entries? */
static bool rule_on(const struct rule_def *r, const struct table_fact *t)
{
	enum tce_table_kind kind = t->info->kind;

	if (r->vfio && !t->vfio)
		return false;
	if ((r->on & RULE_ON_KVM) && kind != TCE_TABLE_KVM)
		return false;
	if ((r->on & RULE_ON_KVM_HW) && (kind != TCE_TABLE_KVM || !t->hw))
		return false;
	if ((r->on & RULE_ON_IOMMU) && kind != TCE_TABLE_IOMMU)
		return false;
	if ((r->on & RULE_ON_DMA_API) && !t->dma_api)
		return false;
	return true;
}

/* The window map begins table t (once) */
static int map_begin(struct table_rules *tr, const struct table_fact *t)
{
	const struct tce_table_info *ti = t->info;

	if (tr->map_seq == t->seq)
		return 0;
	tr->map_seq = t->seq;
	if (tce_winmap_begin(&tr->a->map, (size_t)t->seq - 1, t->key, ti->entries, ti->offset,
			     ti->page_shift))
		return tce_err_set(tr->c->err, TCE_ENOMEM, "window map: out of memory");
	return 0;
}

/* A table VFIO made: an order-0 page of a preregistered region without one FOLL_PIN
 * pin (TCE-VFIO-UNPINNED counts every region's pins over the pass; one entry knows
 * its page needs one at least) */
static bool not_pinned(const struct entry_fact *f)
{
	const struct tce_page *pg = f->pg;

	return f->vfio && f->vfio->in_region == F_YES && f->vfio->hpa_same == F_YES && pg &&
	       !(pg->states & (TCE_PF_HEAD | TCE_PF_TAIL)) &&
	       pg->refcount < GUP_PIN_COUNTING_BIAS;
}

/*
 * The rules on f, as visit_entries(), and the entry's state into the window map: free
 * when TCE-DMA-FREED raised a finding about it, not pinned, finding for another rule,
 * unknown when there is no struct page to judge.  Only with the map on: the plain pass
 * stays as lean as it was.
 */
static int visit_entry_map(struct table_rules *tr, const struct entry_fact *f)
{
	const struct tce_table_entry *e = f->e;
	struct finding_list *fl = tr->c->fl;
	bool freed = false, other = false;
	enum tce_entry_state s;
	unsigned i;
	int ret;

	ret = map_begin(tr, f->t);
	if (ret)
		return ret;
	for (i = 0; i < tr->non; i++) {
		enum tce_rule_id r = tr->on[i]->info.rule;
		uint64_t raised = fl->raised;

		tr->c->rule = r;
		ret = tr->on[i]->entries(tr->c, f, 1);
		if (ret)
			return ret;
		/* the rule raised its findings through tr->c->fl, which cppcheck does
		 * not follow */
		/* cppcheck-suppress knownConditionTrueFalse */
		if (fl->raised != raised) {
			if (r == TCE_RULE_DMA_FREED)
				freed = true;
			else
				other = true;
		}
	}
	if (freed)
		s = TCE_ES_FREE;
	else if (tr->unpinned_on && not_pinned(f))
		s = TCE_ES_NOT_PINNED;
	else if (other)
		s = TCE_ES_FINDING;
	else if (e->host_state != TCE_HOST_PRESENT || f->page_err)
		s = TCE_ES_UNKNOWN;
	else
		s = TCE_ES_HEALTHY;
	if (tce_winmap_entry(&tr->a->map, e->index - f->t->info->offset, e->bus,
			     e->host_state == TCE_HOST_PRESENT ? f->pfn : TCE_NO_PFN, s))
		return tce_err_set(tr->c->err, TCE_ENOMEM, "window map: out of memory");
	return 0;
}

/* The rules whose entry check can say something of table t into tr->on */
static void rules_for(struct table_rules *tr, const struct table_fact *t)
{
	unsigned i;

	if (t->seq == tr->seq)
		return;
	tr->seq = t->seq;
	tr->non = 0;
	for (i = 0; i < tr->nentry; i++)
		if (rule_on(tr->entry[i], t))
			tr->on[tr->non++] = tr->entry[i];
}

/*
 * Would no rule say anything of a batch whose sum is sum (each rule's when()), or only
 * raise findings past its cap, which the sum counts (its count())?  Then those are
 * counted as dropped, as tce_rule_full() would one by one, and the pass makes no facts
 * of the batch.  Not with the window map, which judges every entry.
 */
static bool quiet_entries(void *data, const struct fact_sum *sum)
{
	struct table_rules *tr = data;
	struct finding_list *fl = tr->c->fl;
	uint64_t n[TCE_RULE_COUNT];
	unsigned i;

	if (tr->a->map_on)
		return false;
	rules_for(tr, sum->t);
	for (i = 0; i < tr->non; i++) {
		const struct rule_def *r = tr->on[i];

		n[i] = 0;
		if (r->when && !r->when(tr->c, sum))
			continue;
		if (!r->when || !r->count || !r->count(tr->c, sum, &n[i]))
			return false;
		if (n[i] && fl->kept[r->info.rule] < TCE_FINDINGS_PER_RULE)
			return false;
	}
	for (i = 0; i < tr->non; i++) {
		fl->raised += n[i];
		fl->counted += n[i];
		fl->dropped[tr->on[i]->info.rule] += n[i];
	}
	return true;
}

/* A batch of entries of one table: every rule over the whole batch, one rule after the
 * other, then the batch's findings in the order of its entries (each entry's in rule
 * order), as if each entry had been checked by every rule in turn */
static int visit_entries(void *data, const struct entry_fact *f, size_t n,
			 const struct fact_sum *sum)
{
	struct table_rules *tr = data;
	size_t i, from = tr->c->fl->n;
	int ret = 0;

	if (!n)
		return 0;
	rules_for(tr, f->t);
	if (tr->a->map_on) {
		/* one entry at a time: each checked */
		tr->c->sum = NULL;
		for (i = 0; i < n; i++) {
			ret = visit_entry_map(tr, &f[i]);
			if (ret)
				return ret;
		}
		return 0;
	}
	tr->c->sum = sum;
	for (i = 0; i < tr->non; i++) {
		tr->c->rule = tr->on[i]->info.rule;
		ret = tr->on[i]->entries(tr->c, f, n);
		if (ret)
			break;
	}
	tr->c->sum = NULL;
	return ret ? ret : tce_findings_order(tr->c->fl, from, tr->c->err);
}

/* The rules of the second half of a table split over two threads: a context of their
 * own, its findings and undecided entries joined to this one's after the first half's */
struct rules_half {
	struct table_rules tr;
	struct rule_ctx c;
	struct finding_list fl;
	struct tce_err err;
};

static void *fork_rules(void *data)
{
	const struct table_rules *tr = data;
	struct rules_half *h;

	/* the window map and TCE-SEED-REFS take the entries in table order, one pass */
	if (tr->a->map_on || rule_runs(tr->a, TCE_RULE_SEED_REFS))
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->c.m = tr->c->m;
	h->c.ranges = tr->c->ranges;
	h->c.nranges = tr->c->nranges;
	h->c.backing_in_dump = tr->c->backing_in_dump;
	h->c.fl = &h->fl;
	h->c.err = &h->err;
	h->tr = *tr;
	h->tr.c = &h->c;
	return h;
}

static int join_rules(void *data, void *child, bool keep)
{
	struct table_rules *tr = data;
	struct rules_half *h = child;
	struct rule_ctx *c = tr->c;
	unsigned r;
	int ret = 0;

	if (keep) {
		for (r = 0; r < TCE_RULE_COUNT; r++) {
			if (h->c.undecided[r] && !c->undecided[r])
				memcpy(c->undecided_why[r], h->c.undecided_why[r],
				       sizeof(c->undecided_why[r]));
			c->undecided[r] += h->c.undecided[r];
		}
		ret = tce_findings_join(c->fl, &h->fl, c->err);
	}
	tce_findings_free(&h->fl);
	free(h);
	return ret;
}

static int visit_table(void *data, const struct table_fact *t)
{
	struct table_rules *tr = data;
	unsigned r;
	int ret;

	tr->c->where = (struct finding_where){ FON_TABLE, (char *)t->key, 0, 0 };
	if (tr->a->map_on) {
		ret = map_begin(tr, t);
		if (!ret && tce_winmap_end(&tr->a->map, t->walk_err, t->walk_why))
			ret = tce_err_set(tr->c->err, TCE_ENOMEM, "window map: out of memory");
		if (ret)
			return ret;
	}
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		const struct rule_def *def = tce_rule_def(r);

		if (!rule_runs(tr->a, r) || def->info.area != TCE_AREA_TABLES)
			continue;
		/* a table whose entries could not be walked leaves every rule undecided */
		if (t->walk_err && t->walk_err != -TCE_ENODATA) {
			tr->c->rule = r;
			tce_rule_undecided(tr->c, "%s: %s", t->key, t->walk_why);
			continue;
		}
		if (!def->table)
			continue;
		tr->c->rule = r;
		ret = def->table(tr->c, t);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The outcome of a table rule without findings: not applicable without tables, unknown
 * when the search or some entries could not be decided, pass otherwise.
 */
static void table_outcome(struct tce_analysis *a, struct rule_ctx *c, enum tce_rule_id r,
			  int pass_err, const char *pass_why)
{
	const struct disc *disc = &a->m.disc;
	unsigned s;

	if (pass_err) {
		tce_rule_unknown(c, "the TCE tables cannot be read: %s", pass_why);
		return;
	}
	for (s = 0; s < DISC_NSRC; s++)
		if (disc->src[s].status == DISC_UNKNOWN || disc->src[s].status == DISC_PARTIAL) {
			tce_rule_unknown(c, "%s tables: %s", tce_disc_src_name(s),
					 disc->src[s].why);
			return;
		}
	if (c->undecided[r]) {
		tce_rule_unknown(c, "%" PRIu64 " entr%s or tables could not be decided, the "
				 "first: %s", c->undecided[r], c->undecided[r] == 1 ? "y" : "ies",
				 c->undecided_why[r]);
		return;
	}
	if (!disc->n) {
		tce_rule_not_applicable(c, "the dump holds no TCE table");
		return;
	}
	for (s = 0; s < disc->n; s++)
		if (!disc->t[s].pseries)
			return;
	tce_rule_not_applicable(c, "the dump's only TCE tables are an LPAR's windows, whose "
				"entries live in the hypervisor");
}

static int recheck_table_cmp(const void *a, const void *b)
{
	return strcmp(((const struct recheck_table *)a)->key,
		      ((const struct recheck_table *)b)->key);
}

/* A recheck's pass: the tables and entries of the first analysis's findings alone */
static int select_table(void *data, const char *key, const struct entry_span **spans,
			size_t *n)
{
	const struct recheck *sel = ((struct table_rules *)data)->a->sel;
	struct recheck_table want = { .key = key };
	const struct recheck_table *t;

	if (sel->pass)
		return PASS_WHOLE;
	t = sel->nt ? bsearch(&want, sel->t, sel->nt, sizeof(*sel->t), recheck_table_cmp) :
	    NULL;
	if (!t)
		return PASS_SKIP;
	if (t->whole)
		return PASS_WHOLE;
	*spans = t->spans;
	*n = t->n;
	return PASS_SPANS;
}

static int run_all(struct tce_analysis *a, struct rule_ctx *c)
{
	struct table_rules tr = { .a = a, .c = c };
	struct table_visitor v = {
		.data = &tr, .entries = visit_entries, .quiet = quiet_entries,
		.table = visit_table,
		.select = a->sel ? select_table : NULL,
		.fork = fork_rules, .join = join_rules,
		.progress = a->progress, .progress_data = a->progress_data,
	};
	char pass_why[TCE_ERR_LEN] = "";
	bool tables = false, vfio = false;
	unsigned r;
	int ret, pass_err = 0;

	while (tce_dump_range(a->d, c->nranges))
		c->nranges++;
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		tables |= rule_runs(a, r) && tce_rule_def(r)->info.area == TCE_AREA_TABLES;
		vfio |= rule_runs(a, r) && tce_rule_def(r)->vfio;
		if (rule_runs(a, r) && tce_rule_def(r)->entries)
			tr.entry[tr.nentry++] = tce_rule_def(r);
	}
	tr.unpinned_on = rule_runs(a, TCE_RULE_VFIO_UNPINNED);
	/* one pass over every table for all table rules; findings go to a->fl */
	if (tables) {
		/* VFIO's model only for the rules that read it: it costs the it_userspace
		 * tree of every VFIO table, the preregistered regions and their pins */
		a->m.vfio_skip = !vfio;
		pass_err = tce_model_table_pass(&a->m, &a->ty, &v);
		a->m.vfio_skip = false;
		if (pass_err == -TCE_ENOMEM || pass_err == -TCE_EIO)
			return pass_err == -TCE_ENOMEM && c->err->msg[0] ?
			       tce_set_err(a->d, TCE_ENOMEM, "%s", c->err->msg) : pass_err;
		if (pass_err) {
			snprintf(pass_why, sizeof(pass_why), "%s", tce_errmsg(a->d));
			tce_clear_err(a->d);
		}
	}
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		const struct rule_def *def = tce_rule_def(r);
		size_t before = a->fl.n;

		c->rule = r;
		c->outcome = TCE_OUTCOME_NOT_RUN;
		c->reason[0] = '\0';
		c->where = (struct finding_where){
			def->info.area == TCE_AREA_TABLES ? FON_PASS : FON_MODEL, NULL, 0, 0 };
		if (a->disabled[r]) {
			a->outcome[r] = TCE_OUTCOME_NOT_RUN;
			a->reason[r][0] = '\0';
			continue;
		}
		if (model_missing(a, r) < TCE_KMODEL_COUNT) {
			a->outcome[r] = TCE_OUTCOME_NOT_APPLICABLE;
			snprintf(a->reason[r], sizeof(a->reason[r]), "the rule assumes the %s "
				 "kernel model, which is not selected (check --model %s)",
				 tce_kmodel_name(model_missing(a, r)),
				 tce_kmodel_name(model_missing(a, r)));
			continue;
		}
		ret = def->check ? def->check(c) : 0;
		if (ret)
			return tce_set_err(a->d, ret, "%s", c->err->msg);
		if (def->info.area == TCE_AREA_TABLES && !a->fl.kept[r] && !a->fl.dropped[r])
			table_outcome(a, c, r, pass_err, pass_why);
		/* the check added its findings to a->fl through c->fl, which cppcheck
		 * does not follow */
		if (c->outcome == TCE_OUTCOME_NOT_RUN)
			/* cppcheck-suppress knownConditionTrueFalse */
			c->outcome = a->fl.n > before || a->fl.kept[r] || a->fl.dropped[r] ?
				    TCE_OUTCOME_FAIL : TCE_OUTCOME_PASS;
		a->outcome[r] = c->outcome;
		snprintf(a->reason[r], sizeof(a->reason[r]), "%s", c->reason);
	}
	ret = tce_findings_close(&a->fl, c->err);
	if (ret)
		return tce_set_err(a->d, ret, "%s", c->err->msg);
	return 0;
}

/* Every rule that runs, in catalogue order; the others not run or not applicable */
static int run_rules(struct tce_analysis *a, bool *backing)
{
	struct tce_err err = { "" };
	struct rule_ctx *c = calloc(1, sizeof(*c));
	unsigned r;
	int ret;

	if (!c)
		return tce_set_err(a->d, TCE_ENOMEM, "rules: out of memory");
	c->m = &a->m;
	c->ranges = tce_dump_range(a->d, 0);
	c->backing_in_dump = backing;
	c->fl = &a->fl;
	c->err = &err;
	ret = run_all(a, c);
	for (r = 0; r < TCE_RULE_COUNT; r++)
		if (c->state[r])
			tce_rule_def(r)->release(c->state[r]);
	free(c);
	return ret;
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
	/* a recheck of table findings alone compares no translation over every pfn */
	if (a->sel && !a->sel->model) {
		ret = 0;
	} else if (!ret) {
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
		tce_winmap_free(&a->map);
		memset(a->outcome, 0, sizeof(a->outcome));
		return ret;
	}
	a->checked = true;
	tce_clear_err(a->d);
	return 0;
}

int tce_table_key(struct tce_analysis *a, const struct tce_table_info *ti, char *buf,
		  size_t len)
{
	if (ti->size < offsetof(struct tce_table_info, shared_more) + sizeof(ti->shared_more))
		return tce_set_err(a->d, TCE_EINVAL, "struct tce_table_info: size %zu is too "
				   "small for a key", ti->size);
	if (!len)
		return tce_set_err(a->d, TCE_EINVAL, "no room for a table's key");
	tce_model_table_key(&a->m, &a->ty, ti, buf, len);
	return 0;
}

/* ------------------------------------------------------------ recheck */

static void recheck_free(struct recheck *sel)
{
	size_t i;

	for (i = 0; i < sel->nt; i++)
		free(sel->t[i].spans);
	free(sel->t);
}

static int span_cmp(const void *a, const void *b)
{
	const struct entry_span *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* The table keyed key in sel (added, unsorted yet), or NULL out of memory */
static struct recheck_table *recheck_table(struct recheck *sel, const char *key, size_t *cap)
{
	struct recheck_table *t;
	size_t i;

	for (i = 0; i < sel->nt; i++)
		if (!strcmp(sel->t[i].key, key))
			return &sel->t[i];
	if (sel->nt == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;

		t = realloc(sel->t, ncap * sizeof(*t));
		if (!t)
			return NULL;
		sel->t = t;
		*cap = ncap;
	}
	t = &sel->t[sel->nt++];
	memset(t, 0, sizeof(*t));
	t->key = key;
	return t;
}

/* What the findings of first were decided from; 0 or -TCE_ENOMEM */
static int recheck_build(const struct tce_analysis *first, struct recheck *sel)
{
	const struct finding_list *fl = &first->fl;
	size_t i, j, cap = 0;

	for (i = 0; i < fl->n; i++) {
		const struct finding_where *w = &fl->where[i];
		struct recheck_table *t;

		if (w->on == FON_MODEL)
			sel->model = true;
		if (w->on == FON_PASS)
			sel->pass = true;
		if (w->on != FON_ENTRY && w->on != FON_TABLE)
			continue;
		t = recheck_table(sel, w->table, &cap);
		if (!t)
			return -TCE_ENOMEM;
		if (w->on == FON_TABLE) {
			t->whole = true;
			continue;
		}
		if (t->n == t->cap) {
			size_t ncap = t->cap ? t->cap * 2 : 8;
			struct entry_span *sp = realloc(t->spans, ncap * sizeof(*sp));

			if (!sp)
				return -TCE_ENOMEM;
			t->spans = sp;
			t->cap = ncap;
		}
		t->spans[t->n++] = (struct entry_span){ w->first <= w->index ? w->first :
							w->index, w->index };
	}
	qsort(sel->t, sel->nt, sizeof(*sel->t), recheck_table_cmp);
	/* spans in order, those that touch or overlap made one (the pass's runs of
	 * consecutive pages go on across them) */
	for (i = 0; i < sel->nt; i++) {
		struct recheck_table *t = &sel->t[i];
		size_t n = 0;

		if (!t->n)
			continue;
		qsort(t->spans, t->n, sizeof(*t->spans), span_cmp);
		for (j = 1; j < t->n; j++)
			if (t->spans[j].first <= t->spans[n].last + 1) {
				if (t->spans[j].last > t->spans[n].last)
					t->spans[n].last = t->spans[j].last;
			} else {
				t->spans[++n] = t->spans[j];
			}
		t->n = n + 1;
	}
	return 0;
}

struct fkey {
	enum tce_rule_id rule;
	const char *key;
};

static int fkey_cmp(const void *a, const void *b)
{
	const struct fkey *x = a, *y = b;

	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* seen[i]: fresh raised first's finding i again (a "more:N" count: one of its rule's
 * listed findings) */
static int recheck_match(struct tce_analysis *fresh, const struct tce_analysis *first,
			 bool *seen)
{
	size_t n = fresh->fl.n, i;
	struct fkey *k = calloc(n ? n : 1, sizeof(*k));
	bool again[TCE_RULE_COUNT] = { false };

	if (!k)
		return tce_set_err(fresh->d, TCE_ENOMEM, "recheck: out of memory");
	for (i = 0; i < n; i++)
		k[i] = (struct fkey){ fresh->fl.v[i].rule, fresh->fl.v[i].key };
	qsort(k, n, sizeof(*k), fkey_cmp);
	for (i = 0; i < first->fl.n; i++) {
		const struct tce_finding *f = &first->fl.v[i];
		struct fkey want = { f->rule, f->key };

		seen[i] = first->fl.where[i].on != FON_NONE && n &&
			  bsearch(&want, k, n, sizeof(*k), fkey_cmp);
		again[f->rule] |= seen[i];
	}
	for (i = 0; i < first->fl.n; i++)
		if (first->fl.where[i].on == FON_NONE)
			seen[i] = again[first->fl.v[i].rule];
	free(k);
	return 0;
}

int tce_analysis_recheck(struct tce_analysis *fresh, const struct tce_analysis *first,
			 bool *seen)
{
	struct recheck sel = { 0 };
	bool raised[TCE_RULE_COUNT] = { false };
	size_t i;
	unsigned r;
	int ret;

	if (!first->checked)
		return tce_set_err(fresh->d, TCE_EINVAL, "recheck: the first analysis is not "
				   "checked");
	if (fresh->checked || fresh->d == first->d)
		return tce_set_err(fresh->d, TCE_EINVAL, "recheck: the fresh analysis is %s",
				   fresh->checked ? "checked already" :
				   "on the first one's dump handle, whose reads it would reuse");
	for (i = 0; i < first->fl.n; i++)
		raised[first->fl.v[i].rule] = true;
	/* the rules that raised findings, as the first analysis chose them */
	for (r = 0; r < TCE_RULE_COUNT; r++)
		fresh->disabled[r] = first->disabled[r] || !raised[r];
	memcpy(fresh->model_on, first->model_on, sizeof(fresh->model_on));
	ret = recheck_build(first, &sel);
	if (ret) {
		recheck_free(&sel);
		return tce_set_err(fresh->d, TCE_ENOMEM, "recheck: out of memory");
	}
	fresh->sel = &sel;
	ret = tce_analysis_check(fresh);
	fresh->sel = NULL;
	recheck_free(&sel);
	if (ret)
		return ret;
	return recheck_match(fresh, first, seen);
}
