/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The window map's store (winmap.c): the analysis begins a table, hands it each valid
 * entry's position and state, ends it; the public calls read what it kept.
 */
#ifndef TCE_WINMAP_H
#define TCE_WINMAP_H

#include "base.h"

struct wm_table;

struct winmap {
	struct wm_table **t;
	size_t n, cap;
	struct wm_table *cur;         /* the table being visited */
};

/* Each returns 0 or -TCE_ENOMEM (what was begun stays, for tce_winmap_free()). */
TCE_HIDDEN int tce_winmap_begin(struct winmap *wm, size_t table, const char *key,
				uint64_t entries, uint64_t offset, unsigned page_shift);
TCE_HIDDEN int tce_winmap_entry(struct winmap *wm, uint64_t pos, uint64_t bus, uint64_t pfn,
				enum tce_entry_state s);
TCE_HIDDEN int tce_winmap_end(struct winmap *wm, int walk_err, const char *walk_why);
TCE_HIDDEN const struct tce_window_map *tce_winmap_get(const struct winmap *wm, size_t i);
TCE_HIDDEN void tce_winmap_free(struct winmap *wm);

#endif /* TCE_WINMAP_H */
