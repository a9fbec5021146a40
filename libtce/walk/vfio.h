/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Walkers of VFIO's SPAPR TCE v2 state (vfio.c): a process's preregistered memory
 * (mm->context.iommu_group_mem_list, arch/powerpc/mm/book3s64/iommu_api.c) and the
 * container that owns a table VFIO made (its iommu_group's DMA owner, a struct
 * vfio_group of vfio.ko, whose container's iommu_data is vfio_iommu_spapr_tce.ko's
 * struct tce_container).  Plain data out, bounded walks, what cannot be read said.
 */
#ifndef TCE_WALK_VFIO_H
#define TCE_WALK_VFIO_H

#include "walk/walk.h"

/* MM_IOMMU_TABLE_INVALID_HPA: dev_hpa of a region of ordinary (pinned) memory */
#define VFIO_INVALID_HPA UINT64_MAX

/* One struct mm_iommu_table_group_mem_t. */
struct vfio_region {
	uint64_t addr;                /* kernel virtual address of the struct */
	uint64_t ua;                  /* userspace start */
	uint64_t entries;             /* system pages */
	uint64_t used;
	int64_t mapped;               /* atomic64: 1 + the mappings through it */
	unsigned pageshift;           /* the largest IOMMU page it backs */
	uint64_t hpas;                /* vmalloc'ed: entries physical addresses */
	uint64_t dev_hpa;             /* VFIO_INVALID_HPA, or device memory's base */
	bool entries_ok;              /* entries * 8 bytes of hpas[] fit the dump */
	/* counted by the model's pass */
	uint64_t counted;             /* valid entries of the mm's tables in it */
};

/* The preregistered regions of one mm, in list order (mm_iommu_lookup()'s). */
struct vfio_mm {
	uint64_t mm;
	bool known;                   /* the list was read back to its head */
	char why[256];                /* !known: why */
	struct vfio_region *r;
	size_t n;
	/* the model's: tables of this mm whose entries were not all seen */
	bool partial;
	char partial_why[256];
};

/* Reads mm's list of preregistered regions.  0 (what could not be read is in out:
 * known false, why), or -TCE_ENOMEM. */
TCE_HIDDEN int tce_vfio_mm_read(struct types *t, uint64_t mm, struct vfio_mm *out);
TCE_HIDDEN void tce_vfio_mm_free(struct vfio_mm *m);
/* hpas[i] of region r as stored (a physical address, low bits flags); 0 or a read
 * error. */
TCE_HIDDEN int tce_vfio_hpa(struct tce_dump *d, const struct vfio_region *r, uint64_t i,
			    uint64_t *hpa);

/* The leaf of it_userspace the last lookup reached */
/* Entry pos (from 0) of the table's it_userspace tree, which has the table's shape
 * (pnv_tce(user=true)): 0 and *ua (0: none, or under a level never allocated), or the
 * error of a read the dump cannot serve.  c (zeroed before a table's first lookup)
 * keeps the leaf. */
TCE_HIDDEN int tce_vfio_ua_get(struct tce_dump *d, const struct iommu_tbl *tb,
			       struct iommu_leaf_cache *c, uint64_t pos, uint64_t *ua);

/* Who owns a table VFIO made. */
struct vfio_owner {
	bool found;                   /* the container was found and lists the table */
	uint64_t container;           /* struct tce_container */
	uint64_t mm;                  /* container->mm (0: none yet) */
	bool v2;                      /* container->v2 */
	char why[320];                /* !found: why not */
};

/* Follows tbl's it_group_list to its table group's iommu_group, whose DMA owner is a
 * vfio_group, to the container.  0 (o->found says), or -TCE_ENOMEM. */
TCE_HIDDEN int tce_vfio_owner(struct types *t, uint64_t tbl, struct vfio_owner *o);

#endif /* TCE_WALK_VFIO_H */
