// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VFIO's SPAPR TCE v2 state as the dump holds it.  A process's preregistered memory is
 * the list mm->context.iommu_group_mem_list of struct mm_iommu_table_group_mem_t
 * (arch/powerpc/mm/book3s64/iommu_api.c): each region a userspace range of `entries`
 * system pages, pinned at registration, whose physical addresses hpas[] keeps (a
 * vmalloc'ed array; device memory has dev_hpa and no array), with `mapped` counting 1 +
 * the TCEs that use it.  A table VFIO made belongs to a container: the iommu_group of
 * its table group is claimed by a struct vfio_group (iommu_group_claim_dma_owner()),
 * whose container's iommu_data is a struct tce_container (mm, v2, tables[]) when the
 * container's IOMMU driver is "iommu-vfio-powerpc".  Those types are vfio.ko's and
 * vfio_iommu_spapr_tce.ko's: without them the owner is unknown, and says why.  Offsets
 * come from type information; the list walk is bounded and detects cycles; counts read
 * from the dump are capped by what the dump can hold.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk/vfio.h"

/* no process preregisters more regions than this (each is at least a page) */
#define VFIO_MAX_REGIONS (1u << 20)
#define SPAPR_TCE_DRIVER "iommu-vfio-powerpc"

static const char *const region_members[] = {
	"next", "used", "mapped", "pageshift", "ua", "entries", "hpas", "dev_hpa",
};
enum { R_NEXT, R_USED, R_MAPPED, R_SHIFT, R_UA, R_ENTRIES, R_HPAS, R_DEV, R_COUNT };

struct mm_walk {
	struct types *t;
	struct vfio_mm *out;
	struct ty_member m[R_COUNT];
	size_t cap;
	int err;
};

static int region_cb(void *data, uint64_t node)
{
	struct mm_walk *w = data;
	struct tce_dump *d = w->t->d;
	struct vfio_mm *o = w->out;
	struct vfio_region r = { .addr = node - w->m[R_NEXT].offset };
	uint64_t v[R_COUNT] = { 0 };
	unsigned i, ps = tce_dump_page_shift(d);

	for (i = R_USED; i < R_COUNT; i++)
		if (tce_types_read_uint(d, r.addr, &w->m[i], &v[i])) {
			snprintf(o->why, sizeof(o->why), "the preregistered region at 0x%" PRIx64
				 ": %s: %s", r.addr, region_members[i], tce_errmsg(d));
			tce_clear_err(d);
			o->known = false;
			return 1;
		}
	r.used = v[R_USED];
	r.mapped = (int64_t)v[R_MAPPED];
	r.pageshift = (unsigned)v[R_SHIFT];
	r.ua = v[R_UA];
	r.entries = v[R_ENTRIES];
	r.hpas = v[R_HPAS];
	r.dev_hpa = v[R_DEV];
	/* hpas[] is entries u64s: more than the dump's memory holds is no array to read
	 * (a region of device memory has none) */
	r.entries_ok = r.entries && r.entries <= tce_walk_bound(d, 8, UINT64_MAX >> 4) &&
		       r.entries < (1ULL << (63 - ps)) && r.ua <= UINT64_MAX - (r.entries << ps);
	if (o->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		struct vfio_region *nr = realloc(o->r, cap * sizeof(*nr));

		if (!nr) {
			w->err = tce_set_err(d, TCE_ENOMEM, "preregistered regions: out of memory");
			return w->err;
		}
		o->r = nr;
		w->cap = cap;
	}
	o->r[o->n++] = r;
	return 0;
}

int tce_vfio_mm_read(struct types *t, uint64_t mm, struct vfio_mm *out)
{
	struct tce_dump *d = t->d;
	struct mm_walk w = { .t = t, .out = out };
	struct ty_member head;
	struct kl_walk kw;
	int ret;

	memset(out, 0, sizeof(*out));
	out->mm = mm;
	ret = tce_types_member(t, "struct mm_struct", "context.iommu_group_mem_list", &head);
	if (!ret)
		ret = tce_types_layout(t, "struct mm_iommu_table_group_mem_t", region_members,
				       R_COUNT, w.m, NULL);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret) {
		snprintf(out->why, sizeof(out->why), "%s", tce_errmsg(d));
		tce_clear_err(d);
		return 0;
	}
	out->known = true;
	ret = tce_klist_walk(t, mm + head.offset, tce_walk_bound(d, 64, VFIO_MAX_REGIONS),
			     region_cb, &w, &kw);
	if (w.err)
		return w.err;
	if (ret < 0 && ret != -TCE_ENOENT)
		return ret;
	if (ret == 1)               /* region_cb stopped: why is set */
		return 0;
	if (ret || kw.end != KL_HEAD) {
		out->known = false;
		snprintf(out->why, sizeof(out->why), "mm 0x%" PRIx64 "'s iommu_group_mem_list: "
			 "%s", mm, ret ? tce_errmsg(d) : kw.why);
		tce_clear_err(d);
	}
	return 0;
}

void tce_vfio_mm_free(struct vfio_mm *m)
{
	free(m->r);
	m->r = NULL;
	m->n = 0;
}

int tce_vfio_hpa(struct tce_dump *d, const struct vfio_region *r, uint64_t i, uint64_t *hpa)
{
	if (!r->entries_ok || i >= r->entries || !r->hpas)
		return tce_set_err(d, TCE_ENODATA, "the preregistered region at 0x%" PRIx64
				   " has no hpas[%" PRIu64 "] to read", r->addr, i);
	return tce_read_u64(d, TCE_KVADDR, r->hpas + 8 * i, tce_dump_byteorder(d), hpa);
}

/* ------------------------------------------------------------ it_userspace */

int tce_vfio_ua_get(struct tce_dump *d, const struct iommu_tbl *tb,
		    struct iommu_leaf_cache *c, uint64_t pos, uint64_t *ua)
{
	if (pos >= tb->size || !tb->userspace)
		return tce_set_err(d, TCE_ENOENT, "iommu_table at 0x%" PRIx64 " has no "
				   "it_userspace entry %" PRIu64, tb->addr, pos);
	return tce_iommu_tree_get(d, tb, tb->userspace, c, pos, ua);
}

/* ------------------------------------------------------------ the container */

static int owner_why(struct tce_dump *d, struct vfio_owner *o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int owner_why(struct tce_dump *d, struct vfio_owner *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->why, sizeof(o->why), fmt, ap);
	va_end(ap);
	tce_clear_err(d);
	return 0;
}

static int rd(struct tce_dump *d, uint64_t addr, const struct ty_member *m, uint64_t *v)
{
	return tce_types_read_uint(d, addr, m, v);
}

int tce_vfio_owner(struct types *t, uint64_t tbl, struct vfio_owner *o)
{
	struct tce_dump *d = t->d;
	struct ty_member it_groups, list_next, link_next, link_group, tg_group, grp_owner, vg_container,
			 vg_group, vc_driver, vc_data, drv_ops, ops_name, tc_mm, tc_v2, tc_tables;
	uint64_t node, link, tg, grp, owner, cont, back, drv, ops, name, tc, v, i, n;
	char drvname[32];
	int ret;

	memset(o, 0, sizeof(*o));
	ret = tce_types_member(t, "struct iommu_table", "it_group_list", &it_groups);
	if (!ret)
		ret = tce_types_member(t, "struct list_head", "next", &list_next);
	if (!ret)
		ret = tce_types_member(t, "struct iommu_table_group_link", "next", &link_next);
	if (!ret)
		ret = tce_types_member(t, "struct iommu_table_group_link", "table_group",
				       &link_group);
	if (!ret)
		ret = tce_types_member(t, "struct iommu_table_group", "group", &tg_group);
	if (!ret)
		ret = tce_types_member(t, "struct iommu_group", "owner", &grp_owner);
	if (!ret)
		ret = tce_types_member(t, "struct vfio_group", "container", &vg_container);
	if (!ret)
		ret = tce_types_member(t, "struct vfio_group", "iommu_group", &vg_group);
	if (!ret)
		ret = tce_types_member(t, "struct vfio_container", "iommu_driver", &vc_driver);
	if (!ret)
		ret = tce_types_member(t, "struct vfio_container", "iommu_data", &vc_data);
	if (!ret)
		ret = tce_types_member(t, "struct vfio_iommu_driver", "ops", &drv_ops);
	if (!ret)
		ret = tce_types_member(t, "struct vfio_iommu_driver_ops", "name", &ops_name);
	if (!ret)
		ret = tce_types_member(t, "struct tce_container", "mm", &tc_mm);
	if (!ret)
		ret = tce_types_member(t, "struct tce_container", "v2", &tc_v2);
	if (!ret)
		ret = tce_types_member(t, "struct tce_container", "tables", &tc_tables);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret)
		return owner_why(d, o, "the container is unknown: %s (vfio.ko's and "
				 "vfio_iommu_spapr_tce.ko's DWARF or BTF has these types)",
				 tce_errmsg(d));
	/* the first group the table is linked to: every group of a container gets the
	 * same tables (tce_iommu_create_window()) */
	if (tce_read_u64(d, TCE_KVADDR, tbl + it_groups.offset + list_next.offset,
			 tce_dump_byteorder(d), &node))
		return owner_why(d, o, "iommu_table 0x%" PRIx64 " it_group_list: %s", tbl,
				 tce_errmsg(d));
	if (node == tbl + it_groups.offset || !node)
		return owner_why(d, o, "iommu_table 0x%" PRIx64 " is linked to no table group",
				 tbl);
	link = node - link_next.offset;
	if (rd(d, link, &link_group, &tg) || rd(d, tg, &tg_group, &grp) ||
	    (grp && rd(d, grp, &grp_owner, &owner)))
		return owner_why(d, o, "iommu_table 0x%" PRIx64 "'s group: %s", tbl,
				 tce_errmsg(d));
	if (!grp)
		return owner_why(d, o, "iommu_table 0x%" PRIx64 "'s table group has no "
				 "iommu_group", tbl);
	if (!owner)
		return owner_why(d, o, "iommu_group 0x%" PRIx64 " has no DMA owner: no VFIO "
				 "container holds it", grp);
	/* the owner is a vfio_group that names this iommu_group back */
	if (rd(d, owner, &vg_group, &back) || rd(d, owner, &vg_container, &cont))
		return owner_why(d, o, "iommu_group 0x%" PRIx64 "'s owner 0x%" PRIx64 ": %s", grp,
				 owner, tce_errmsg(d));
	if (back != grp)
		return owner_why(d, o, "iommu_group 0x%" PRIx64 "'s DMA owner 0x%" PRIx64 " is "
				 "no vfio_group of it", grp, owner);
	if (!cont)
		return owner_why(d, o, "vfio_group 0x%" PRIx64 " is in no container", owner);
	if (rd(d, cont, &vc_driver, &drv) || rd(d, cont, &vc_data, &tc) ||
	    (drv && rd(d, drv, &drv_ops, &ops)) || (drv && ops && rd(d, ops, &ops_name, &name)))
		return owner_why(d, o, "vfio_container 0x%" PRIx64 ": %s", cont, tce_errmsg(d));
	if (!drv || !ops || !name || !tc)
		return owner_why(d, o, "vfio_container 0x%" PRIx64 " has no IOMMU driver set",
				 cont);
	memset(drvname, 0, sizeof(drvname));
	if (tce_read(d, TCE_KVADDR, name, drvname, sizeof(drvname) - 1))
		return owner_why(d, o, "vfio_container 0x%" PRIx64 "'s driver name: %s", cont,
				 tce_errmsg(d));
	if (strcmp(drvname, SPAPR_TCE_DRIVER))
		return owner_why(d, o, "vfio_container 0x%" PRIx64 "'s IOMMU driver is '%.31s', "
				 "not " SPAPR_TCE_DRIVER, cont, drvname);
	if (rd(d, tc, &tc_mm, &o->mm) || rd(d, tc, &tc_v2, &v))
		return owner_why(d, o, "tce_container 0x%" PRIx64 ": %s", tc, tce_errmsg(d));
	o->v2 = v & 1;
	o->container = tc;
	n = tc_tables.count ? tc_tables.count : 1;
	for (i = 0; i < n && i < 16; i++) {
		if (tce_read_u64(d, TCE_KVADDR, tc + tc_tables.offset + 8 * i,
				 tce_dump_byteorder(d), &v))
			return owner_why(d, o, "tce_container 0x%" PRIx64 " tables[%" PRIu64 "]: "
					 "%s", tc, i, tce_errmsg(d));
		if (v == tbl) {
			o->found = true;
			return 0;
		}
	}
	return owner_why(d, o, "tce_container 0x%" PRIx64 " does not list iommu_table 0x%"
			 PRIx64 " in its tables[]", tc, tbl);
}
