/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The SPAPR TCE v2 model (vfio.c): for every table VFIO made (it_userspace set), its
 * owner's mm and that mm's preregistered regions; for every valid entry, the userspace
 * address it_userspace keeps, the region that address lies in and the host page the
 * region's hpas[] gives; per region the entries that use it; per preregistered page
 * whether it is pinned.  Gathered during the rules' pass over the tables (hooks in
 * tables.c), read by the TCE-VFIO-* rules.
 */
#ifndef TCE_MODEL_VFIO_H
#define TCE_MODEL_VFIO_H

#include "model/model.h"
#include "walk/vfio.h"

/* include/linux/mm.h: a FOLL_PIN pin of an order-0 page adds this to _refcount */
#define GUP_PIN_COUNTING_BIAS 1024

/* One entry of a VFIO table, as the model sees it. */
struct vfio_fact {
	enum fact3 has_ua;            /* it_userspace holds an address */
	uint64_t ua;
	enum fact3 v2;                /* the table's container is v2 (or KVM maps it):
					 every valid entry has an address */
	enum fact3 in_region;         /* NA without an address */
	const struct vfio_region *region;
	enum fact3 hpa_same;          /* NA without a region: the region gives the
					 entry's host page */
	uint64_t want;                /* the host address the region gives */
	bool shift_bad;               /* the table's IOMMU pages exceed the region's */
	const char *why;              /* an UNKNOWN above: why */
};

/* A preregistered page (or large folio) that is not pinned as registration left it. */
struct vfio_unpinned {
	uint64_t ua;                  /* its region's start and size (the key) */
	uint64_t entries;
	uint64_t index;               /* hpas[] index */
	uint64_t pfn;
	bool zero;                    /* hpas[index] is 0: no page at all */
	bool large;                   /* a large folio: pincount, else _refcount */
	uint64_t head;                /* large: the folio's head pfn */
	int64_t have, need;           /* the pin count (or _refcount) and its least value */
};

#define VFIO_UNPINNED_MAX 256

struct vfio_model {
	struct vfio_mm *mms;          /* every mm met, regions read once */
	size_t nmms;
	size_t ntables;               /* VFIO tables visited */
	/* the table being visited */
	bool cur_on;
	struct iommu_tbl ut;          /* the table */
	long cur_mm;                  /* index into mms, -1 unknown */
	enum fact3 cur_v2;
	char cur_why[384];            /* cur_mm < 0 or cur_v2 unknown: why */
	char entry_why[320];
	uint64_t cur_seen;            /* entries with an address */
	/* a VFIO table whose mm is unknown: its regions are not among mms */
	bool mm_unknown;
	char mm_unknown_why[448];
	/* some entries' region could not be counted: every count is a lower bound */
	bool lost;
	char lost_why[320];
	/* pins (after the pass) */
	bool pins_done;
	uint64_t pins_checked;        /* pages and folios decided */
	struct vfio_unpinned unpinned[VFIO_UNPINNED_MAX];
	size_t nunpinned;
	uint64_t unpinned_more;
	uint64_t pins_undecided;
	char pins_why[320];
};

/* Hooks of the rules' pass (tables.c): a table begins (it: its structure read, or
 * NULL), returns whether it is VFIO's; an entry; the table ends (unknown: entries of
 * it were not seen); the pass ends (pins).  0 or -TCE_ENOMEM. */
TCE_HIDDEN int tce_vfio_table_begin(struct tce_model *m, struct types *t,
				    const struct tce_table_info *ti,
				    const struct iommu_tbl *it, bool *vfio);
TCE_HIDDEN int tce_vfio_entry(struct tce_model *m, const struct tce_table_entry *e,
			      struct vfio_fact *f);
TCE_HIDDEN void tce_vfio_table_end(struct tce_model *m, uint64_t unknown,
				   const char *why);
TCE_HIDDEN int tce_vfio_pass_end(struct tce_model *m, struct types *t);
TCE_HIDDEN void tce_vfio_model_free(struct tce_model *m);

#endif /* TCE_MODEL_VFIO_H */
