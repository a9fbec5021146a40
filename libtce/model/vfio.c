// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * 6.1's SPAPR TCE v2 model (drivers/vfio/vfio_iommu_spapr_tce.c,
 * arch/powerpc/mm/book3s64/iommu_api.c, the KVM side in book3s_64_vio.c), joined
 * during the rules' pass over the tables:
 *
 *  - a table VFIO made has it_userspace, a tree of the table's shape
 *    (pnv_tce(..., user=true)) holding the userspace address of every valid entry;
 *    tce_iommu_build_v2() and kvmppc_tce_iommu_do_map() write it, the clear paths
 *    zero it with the TCE;
 *  - the table's mm is its container's (container->mm) or, for a table KVM maps for a
 *    guest, the VM's (kvm->mm): both look the address up in mm's preregistered
 *    regions (mm_iommu_lookup(): the first region in list order that holds the whole
 *    IOMMU page), take the host address from hpas[] (mm_iommu_ua_to_hpa(): the
 *    4K-aligned hpas entry with the address's offset in the system page; device
 *    memory: dev_hpa + offset), and count the mapping in the region's `mapped`
 *    (mm_iommu_mapped_inc(); registration sets it to 1, each unmap decrements);
 *  - registration pinned every page with FOLL_PIN (pin_user_pages(FOLL_LONGTERM)):
 *    GUP_PIN_COUNTING_BIAS (1024) on an order-0 page's _refcount a pin, the exact
 *    count in a large folio's _pincount.
 *
 * What the dump cannot decide stays unknown with the reason: the owner without
 * vfio.ko's and vfio_iommu_spapr_tce.ko's types (and no VM), a list cut short, hpas[]
 * or it_userspace levels the dump lacks, a struct page it cannot read.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/vfio.h"

/* iommu_api.c: hpas[] entries keep flags below 4K (MM_IOMMU_TABLE_GROUP_PAGE_MASK) */
#define HPA_MASK (~0xfffULL)
/* the most preregistered pages whose pins are checked (128 MiB of pfns) */
#define PINS_MAX (1ULL << 24)
#define HPA_CHUNK 4096

static struct vfio_model *model(struct tce_model *m)
{
	if (!m->vfio)
		m->vfio = calloc(1, sizeof(*m->vfio));
	return m->vfio;
}

void tce_vfio_model_free(struct tce_model *m)
{
	struct vfio_model *v = m->vfio;
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->nmms; i++)
		tce_vfio_mm_free(&v->mms[i]);
	free(v->mms);
	free(v);
	m->vfio = NULL;
}

/* The regions of mm, read once: its index, or -1 with -TCE_ENOMEM */
static long mm_index(struct tce_model *m, struct types *t, uint64_t mm)
{
	struct vfio_model *v = m->vfio;
	struct vfio_mm *n;
	size_t i;

	for (i = 0; i < v->nmms; i++)
		if (v->mms[i].mm == mm)
			return (long)i;
	n = realloc(v->mms, (v->nmms + 1) * sizeof(*n));
	if (!n)
		return -1;
	v->mms = n;
	if (tce_vfio_mm_read(t, mm, &v->mms[v->nmms]))
		return -1;
	return (long)v->nmms++;
}

/* kvm->mm of a VM, 0 when it cannot be read */
static uint64_t kvm_mm(struct tce_model *m, struct types *t, uint64_t kvm)
{
	struct ty_member mm;
	uint64_t v = 0;

	if (tce_types_member(t, "struct kvm", "mm", &mm) ||
	    tce_types_read_uint(m->d, kvm, &mm, &v))
		v = 0;
	tce_clear_err(m->d);
	return v;
}

int tce_vfio_table_begin(struct tce_model *m, struct types *t, const struct tce_table_info *ti,
			 const struct iommu_tbl *it, bool *vfio)
{
	struct vfio_model *v;
	struct vfio_owner o;
	uint64_t mm = 0;
	long idx;
	int ret;

	*vfio = false;
	if (m->vfio)
		m->vfio->cur_on = false;
	if (m->vfio_skip || !it || ti->kind != TCE_TABLE_IOMMU || !(it->known & IT_KNOWN_USERSPACE) ||
	    !it->userspace)
		return 0;
	v = model(m);
	if (!v)
		return tce_set_err(m->d, TCE_ENOMEM, "VFIO model: out of memory");
	v->ntables++;
	v->cur_on = true;
	v->cur_seen = 0;
	v->ut = *it;
	v->cur_mm = -1;
	v->cur_v2 = F_UNKNOWN;
	v->cur_why[0] = '\0';
	ret = tce_vfio_owner(t, it->addr, &o);
	if (ret)
		return ret;
	if (o.found) {
		mm = o.mm;
		v->cur_v2 = o.v2 ? F_YES : F_NO;
		if (!mm)
			snprintf(v->cur_why, sizeof(v->cur_why), "its container has no mm (no "
				 "memory was ever registered)");
	} else if (ti->attached_vm) {
		/* KVM maps it for a guest: kvmppc_tce_iommu_do_map() writes every
		 * address, through the VM's mm */
		mm = kvm_mm(m, t, ti->attached_vm);
		v->cur_v2 = F_YES;
		if (!mm)
			snprintf(v->cur_why, sizeof(v->cur_why), "its VM 0x%" PRIx64 "'s mm cannot "
				 "be read (and %s)", ti->attached_vm, o.why);
	} else {
		snprintf(v->cur_why, sizeof(v->cur_why), "its owner: %s", o.why);
	}
	if (!mm && !v->mm_unknown) {
		v->mm_unknown = true;
		snprintf(v->mm_unknown_why, sizeof(v->mm_unknown_why), "iommu_table 0x%" PRIx64
			 ": %s", it->addr, v->cur_why);
	}
	if (mm) {
		idx = mm_index(m, t, mm);
		if (idx < 0)
			return tce_set_err(m->d, TCE_ENOMEM, "VFIO model: out of memory");
		v->cur_mm = idx;
	}
	*vfio = true;
	return 0;
}

/*
 * The first region of mm (list order) holding [ua, ua + size): mm_iommu_lookup().
 * NULL with *odd set when a region before it claims more pages than the dump can
 * hold at an address at or below ua: what it covers is unknown.
 */
static struct vfio_region *lookup(struct vfio_mm *mm, uint64_t ua, uint64_t size,
				  unsigned ps, const struct vfio_region **odd)
{
	size_t i;

	*odd = NULL;
	for (i = 0; i < mm->n; i++) {
		struct vfio_region *r = &mm->r[i];

		if (r->ua > ua)
			continue;
		if (!r->entries_ok) {
			if (r->entries) {
				*odd = r;
				return NULL;
			}
			continue;
		}
		if (ua - r->ua <= (r->entries << ps) && size <= (r->entries << ps) - (ua - r->ua))
			return r;
	}
	return NULL;
}

static void lose(struct vfio_model *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void lose(struct vfio_model *v, const char *fmt, ...)
{
	va_list ap;

	if (v->lost)
		return;
	v->lost = true;
	va_start(ap, fmt);
	vsnprintf(v->lost_why, sizeof(v->lost_why), fmt, ap);
	va_end(ap);
}

int tce_vfio_entry(struct tce_model *m, const struct tce_table_entry *e, struct vfio_fact *f)
{
	struct vfio_model *v = m->vfio;
	struct tce_dump *d = m->d;
	unsigned ps = tce_dump_page_shift(d), shift = (unsigned)v->ut.page_shift;
	const struct vfio_region *odd;
	struct vfio_mm *mm;
	struct vfio_region *r;
	uint64_t ua, hpa, mask = ~((1ULL << shift) - 1);

	memset(f, 0, sizeof(*f));
	f->has_ua = f->in_region = f->hpa_same = F_NA;
	f->v2 = v->cur_v2;
	f->why = v->cur_why;
	/* read with the entry (tables.c's walk) */
	ua = e->ua;
	if (e->ua_why) {
		snprintf(v->entry_why, sizeof(v->entry_why), "its it_userspace entry: %s",
			 e->ua_why);
		f->has_ua = F_UNKNOWN;
		f->why = v->entry_why;
		lose(v, "an it_userspace entry the dump lacks (%s)", v->entry_why);
		return 0;
	}
	if (!ua) {
		f->has_ua = F_NO;
		return 0;
	}
	f->has_ua = F_YES;
	f->ua = ua;
	v->cur_seen++;
	if (v->cur_mm < 0) {
		f->in_region = F_UNKNOWN;
		lose(v, "a VFIO table's mm is unknown: %s", v->cur_why);
		return 0;
	}
	mm = &v->mms[v->cur_mm];
	r = lookup(mm, ua, 1ULL << shift, ps, &odd);
	if (!r && odd) {
		snprintf(v->entry_why, sizeof(v->entry_why), "the preregistered region at ua 0x%"
			 PRIx64 " claims 0x%" PRIx64 " pages, more than the dump can hold",
			 odd->ua, odd->entries);
		f->in_region = F_UNKNOWN;
		f->why = v->entry_why;
		lose(v, "%s", v->entry_why);
		return 0;
	}
	if (!r) {
		if (mm->known) {
			f->in_region = F_NO;
			return 0;
		}
		f->in_region = F_UNKNOWN;
		f->why = mm->why;
		lose(v, "%s", mm->why);
		return 0;
	}
	f->in_region = F_YES;
	f->region = r;
	r->counted++;
	if (r->dev_hpa != VFIO_INVALID_HPA) {
		f->want = r->dev_hpa + (ua - r->ua);
	} else if (tce_vfio_hpa(d, r, (ua - r->ua) >> ps, &hpa)) {
		snprintf(v->entry_why, sizeof(v->entry_why), "hpas[] of the region at ua 0x%"
			 PRIx64 ": %s", r->ua, tce_errmsg(d));
		tce_clear_err(d);
		f->hpa_same = F_UNKNOWN;
		f->why = v->entry_why;
		return 0;
	} else {
		f->want = (hpa & HPA_MASK) | (ua & ((1ULL << ps) - 1));
	}
	/* mm_iommu_ua_to_hpa() refuses IOMMU pages larger than the region's */
	f->shift_bad = shift > r->pageshift;
	f->hpa_same = !f->shift_bad && (f->want & mask) == (e->target & mask) ? F_YES : F_NO;
	return 0;
}

void tce_vfio_table_end(struct tce_model *m, uint64_t unknown, const char *why)
{
	struct vfio_model *v = m->vfio;

	if (!v || !v->cur_on)
		return;
	if (unknown || why)
		lose(v, "entries of a VFIO table are not in the dump%s%s", why ? ": " : "",
		     why ? why : "");
	v->cur_on = false;
}

/* ------------------------------------------------------------ pins */

struct pin_ref {
	uint64_t pfn;
	uint32_t mm, region;          /* where the first hpas[] entry of it is */
	uint64_t index;
};

static int pin_cmp(const void *a, const void *b)
{
	const struct pin_ref *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

static void undecided(struct vfio_model *v, uint64_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void undecided(struct vfio_model *v, uint64_t n, const char *fmt, ...)
{
	va_list ap;

	if (!v->pins_undecided) {
		va_start(ap, fmt);
		vsnprintf(v->pins_why, sizeof(v->pins_why), fmt, ap);
		va_end(ap);
	}
	v->pins_undecided += n;
}

static void unpinned(struct vfio_model *v, const struct vfio_region *r, uint64_t index,
		     const struct vfio_unpinned *u)
{
	struct vfio_unpinned *n;

	if (v->nunpinned >= VFIO_UNPINNED_MAX) {
		v->unpinned_more++;
		return;
	}
	n = &v->unpinned[v->nunpinned++];
	*n = *u;
	n->ua = r->ua;
	n->entries = r->entries;
	n->index = index;
}

struct pin_refs {
	struct pin_ref *v;
	size_t n, cap;
};

/* The pfns of hpas[c .. c + cn) of region r (region j of mm i), read into buf */
static int collect_chunk(struct vfio_model *v, const struct vfio_region *r, size_t i,
			 size_t j, uint64_t c, const uint64_t *buf, uint64_t cn,
			 enum tce_byteorder bo, unsigned ps, struct pin_refs *refs)
{
	uint64_t k;

	for (k = 0; k < cn; k++) {
		uint64_t hpa = tce_bo64(&buf[k], bo);

		if (!hpa || hpa == VFIO_INVALID_HPA) {
			struct vfio_unpinned u = { .zero = true, .pfn = TCE_NO_PFN };

			unpinned(v, r, c + k, &u);
			continue;
		}
		if (refs->n == refs->cap) {
			size_t nc = refs->cap ? refs->cap * 2 : 1024;
			struct pin_ref *nr = realloc(refs->v, nc * sizeof(*nr));

			if (!nr)
				return -1;
			refs->v = nr;
			refs->cap = nc;
		}
		refs->v[refs->n++] = (struct pin_ref){ (hpa & HPA_MASK) >> ps, (uint32_t)i,
						       (uint32_t)j, c + k };
	}
	return 0;
}

/* Every hpas[] entry of every region of ordinary memory, as pfns sorted; 0 or -1
 * (memory) */
static int collect(struct tce_model *m, struct pin_refs *refs)
{
	struct vfio_model *v = m->vfio;
	struct tce_dump *d = m->d;
	enum tce_byteorder bo = tce_dump_byteorder(d);
	unsigned ps = tce_dump_page_shift(d);
	uint64_t *buf, total = 0;
	size_t i, j;

	buf = malloc(HPA_CHUNK * 8);
	if (!buf)
		return -1;
	for (i = 0; i < v->nmms; i++)
		for (j = 0; j < v->mms[i].n; j++) {
			const struct vfio_region *r = &v->mms[i].r[j];
			uint64_t c, cn;

			if (r->dev_hpa != VFIO_INVALID_HPA)
				continue;
			if (!r->entries_ok || !r->hpas || total + r->entries > PINS_MAX) {
				undecided(v, r->entries ? r->entries : 1, "the region at ua 0x%"
					  PRIx64 " claims 0x%" PRIx64 " pages%s", r->ua, r->entries,
					  r->entries_ok && r->hpas ? ", more than are checked" :
					  ": no hpas[] the dump can hold");
				continue;
			}
			total += r->entries;
			for (c = 0; c < r->entries; c += cn) {
				cn = r->entries - c < HPA_CHUNK ? r->entries - c : HPA_CHUNK;
				if (tce_read(d, TCE_KVADDR, r->hpas + 8 * c, buf, cn * 8)) {
					undecided(v, cn, "hpas[] of the region at ua 0x%" PRIx64
						  ": %s", r->ua, tce_errmsg(d));
					tce_clear_err(d);
				} else if (collect_chunk(v, r, i, j, c, buf, cn, bo, ps, refs)) {
					free(buf);
					return -1;
				}
			}
		}
	free(buf);
	if (refs->n)
		qsort(refs->v, refs->n, sizeof(*refs->v), pin_cmp);
	return 0;
}

/* Where a large folio keeps its pin count, from its head's struct page: folio._pincount
 * (6.1 and 6.12), or the first tail page's compound_pincount; false if neither is
 * known */
static bool pincount_offset(struct types *t, uint64_t psz, uint64_t *off, uint64_t *size)
{
	struct ty_member mb;

	if (!tce_types_member(t, "struct folio", "_pincount", &mb)) {
		*off = mb.offset;
		*size = mb.size;
		return true;
	}
	tce_clear_err(t->d);
	if (!tce_types_member(t, "struct page", "compound_pincount", &mb)) {
		*off = psz + mb.offset;
		*size = mb.size;
		return true;
	}
	tce_clear_err(t->d);
	return false;
}

int tce_vfio_pass_end(struct tce_model *m, struct types *t)
{
	struct vfio_model *v = m->vfio;
	struct tce_dump *d = m->d;
	struct pin_refs pr = { 0 };
	struct pin_ref *refs;
	uint64_t pc_off = 0, pc_size = 0;
	bool pc_known;
	size_t n = 0, i, j;
	int ret = 0;

	if (!v || v->pins_done)
		return 0;
	v->pins_done = true;
	if (collect(m, &pr)) {
		free(pr.v);
		return tce_set_err(d, TCE_ENOMEM, "VFIO pins: out of memory");
	}
	refs = pr.v;
	n = pr.n;
	pc_known = pincount_offset(t, m->psz, &pc_off, &pc_size);
	for (i = 0; i < n; i = j) {
		struct tce_page pg = TCE_PAGE_INIT;
		const struct vfio_region *r = &v->mms[refs[i].mm].r[refs[i].region];
		struct vfio_unpinned u = { .pfn = refs[i].pfn };
		uint64_t head, va, cnt = 0, need;
		unsigned bits = TCE_PF_HEAD | TCE_PF_TAIL;
		uint8_t b[4];

		/* the group: this pfn, or every pfn of its large folio */
		for (j = i; j < n && refs[j].pfn == refs[i].pfn; j++)
			cnt++;
		ret = tce_model_page_read(m, refs[i].pfn, &pg);
		if (ret == -TCE_ENOMEM)
			break;
		if (ret) {
			ret = 0;
			undecided(v, cnt, "the struct page of preregistered pfn 0x%" PRIx64 ": %s",
				  refs[i].pfn, tce_errmsg(d));
			tce_clear_err(d);
			continue;
		}
		if ((pg.known & bits) != bits) {
			undecided(v, cnt, "whether pfn 0x%" PRIx64 " is part of a large folio "
				  "is unknown (no PG_head)", refs[i].pfn);
			continue;
		}
		if (!(pg.states & bits)) {
			need = cnt * GUP_PIN_COUNTING_BIAS;
			v->pins_checked++;
			if ((int64_t)pg.refcount >= (int64_t)need)
				continue;
			u.have = pg.refcount;
			u.need = (int64_t)need;
			unpinned(v, r, refs[i].index, &u);
			continue;
		}
		head = pg.states & TCE_PF_TAIL ? pg.head_pfn : refs[i].pfn;
		if (head == TCE_NO_PFN) {
			undecided(v, cnt, "pfn 0x%" PRIx64 " is a tail page whose head is unknown",
				  refs[i].pfn);
			continue;
		}
		/* every pin of the folio's pages counts in its one _pincount: the group
		 * runs on while the next pfns share the head (they are consecutive) */
		while (j < n) {
			struct tce_page np = TCE_PAGE_INIT;
			size_t k;

			if (tce_model_page_read(m, refs[j].pfn, &np) ||
			    !(np.states & TCE_PF_TAIL) || np.head_pfn != head) {
				tce_clear_err(d);
				break;
			}
			for (k = j; k < n && refs[k].pfn == refs[j].pfn; k++)
				cnt++;
			j = k;
		}
		u.large = true;
		u.head = head;
		if (!pc_known || pc_size != 4 || !tce_model_pfn_va(m, head, &va) ||
		    tce_read(d, TCE_KVADDR, va + pc_off, b, 4)) {
			undecided(v, cnt, "the pin count of the large folio at pfn 0x%" PRIx64
				  " cannot be read%s%s", head, pc_known ? ": " : " (type "
				  "information has neither folio._pincount nor "
				  "page.compound_pincount)", pc_known ? tce_errmsg(d) : "");
			tce_clear_err(d);
			continue;
		}
		v->pins_checked++;
		u.have = (int32_t)tce_bo32(b, tce_dump_byteorder(d));
		u.need = (int64_t)cnt;
		if (u.have < u.need)
			unpinned(v, r, refs[i].index, &u);
	}
	free(refs);
	if (ret)
		return tce_set_err(d, TCE_ENOMEM, "VFIO pins: out of memory");
	return 0;
}
