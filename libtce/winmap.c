// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The window map: per table of the check's pass, the states of the pages behind its
 * valid entries, counted in cells of a fixed number over the window (two levels: the
 * whole window, and each cell split for a zoom) and listed one by one for small windows
 * and for the entries that carry something (free, not pinned, a finding).  Its memory
 * is bounded by the cells whatever a window's size: a 16M-entry window is 1024 + 32768
 * cells.  The analysis (analysis.c) decides each entry's state in its pass and hands
 * it here; this file only counts and keeps.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "winmap.h"

static const char *const state_names[TCE_ES_COUNT] = {
	[TCE_ES_HEALTHY] = "healthy",
	[TCE_ES_FREE] = "free",
	[TCE_ES_NOT_PINNED] = "not-pinned",
	[TCE_ES_UNKNOWN] = "unknown",
	[TCE_ES_FINDING] = "finding",
};

const char *tce_entry_state_name(enum tce_entry_state s)
{
	return (unsigned)s < TCE_ES_COUNT ? state_names[s] : NULL;
}

struct wm_table {
	struct tce_window_map pub;
	char *key, *why;
	uint32_t (*cells[2])[TCE_ES_COUNT];
	struct tce_map_entry *exact;
	size_t exact_cap;
};

/* The level-0 cell size: the smallest power of two that covers the window in
 * TCE_MAP_CELLS cells */
static unsigned shift_for(uint64_t entries)
{
	unsigned s = 0;

	while (s < 63 && (entries - 1) >> s >= TCE_MAP_CELLS)
		s++;
	return s;
}

static size_t cells_for(uint64_t entries, unsigned shift)
{
	return entries ? (size_t)((entries - 1) >> shift) + 1 : 0;
}

int tce_winmap_begin(struct winmap *wm, size_t table, const char *key, uint64_t entries,
		     uint64_t offset, unsigned page_shift)
{
	struct wm_table *t;
	unsigned l;

	if (wm->n == wm->cap) {
		size_t cap = wm->cap ? wm->cap * 2 : 8;
		struct wm_table **v = realloc(wm->t, cap * sizeof(*v));

		if (!v)
			return -TCE_ENOMEM;
		wm->t = v;
		wm->cap = cap;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return -TCE_ENOMEM;
	wm->t[wm->n++] = t;
	t->pub.size = sizeof(t->pub);
	t->pub.table = table;
	t->pub.entries = entries;
	t->pub.offset = offset;
	t->pub.page_shift = page_shift;
	t->pub.exact_all = entries <= TCE_MAP_EXACT;
	t->key = strdup(key ? key : "");
	if (!t->key)
		return -TCE_ENOMEM;
	t->pub.key = t->key;
	t->pub.shift[0] = shift_for(entries);
	t->pub.shift[1] = t->pub.shift[0] > 5 ? t->pub.shift[0] - 5 : 0;
	for (l = 0; l < 2; l++) {
		if (l == 1 && !t->pub.shift[0])
			break;
		t->pub.ncells[l] = cells_for(entries, t->pub.shift[l]);
		if (!t->pub.ncells[l])
			continue;
		t->cells[l] = calloc(t->pub.ncells[l], sizeof(*t->cells[l]));
		if (!t->cells[l])
			return -TCE_ENOMEM;
		t->pub.cells[l] = (const uint32_t (*)[TCE_ES_COUNT])t->cells[l];
	}
	wm->cur = t;
	return 0;
}

static void bump(uint32_t *c)
{
	if (*c != UINT32_MAX)
		(*c)++;
}

int tce_winmap_entry(struct winmap *wm, uint64_t pos, uint64_t bus, uint64_t pfn,
		     enum tce_entry_state s)
{
	struct wm_table *t = wm->cur;
	unsigned l;

	if (!t || pos >= t->pub.entries)
		return 0;   /* the walk gives positions in the window only */
	t->pub.count[s]++;
	for (l = 0; l < 2 && t->cells[l]; l++)
		bump(&t->cells[l][pos >> t->pub.shift[l]][s]);
	if (!t->pub.exact_all && s == TCE_ES_HEALTHY)
		return 0;
	if (!t->pub.exact_all && s == TCE_ES_UNKNOWN)
		return 0;
	if (t->pub.nexact == TCE_MAP_EXACT) {
		t->pub.exact_more++;
		return 0;
	}
	if (t->pub.nexact == t->exact_cap) {
		size_t cap = t->exact_cap ? t->exact_cap * 2 : 64;
		struct tce_map_entry *v = realloc(t->exact, cap * sizeof(*v));

		if (!v)
			return -TCE_ENOMEM;
		t->exact = v;
		t->exact_cap = cap;
		t->pub.exact = v;
	}
	t->exact[t->pub.nexact++] = (struct tce_map_entry){ pos, bus, pfn, s };
	return 0;
}

int tce_winmap_end(struct winmap *wm, int walk_err, const char *walk_why)
{
	struct wm_table *t = wm->cur;

	wm->cur = NULL;
	if (!t || !walk_err)
		return 0;
	t->pub.walk_err = walk_err;
	t->why = strdup(walk_why ? walk_why : "");
	if (!t->why)
		return -TCE_ENOMEM;
	t->pub.walk_why = t->why;
	return 0;
}

const struct tce_window_map *tce_winmap_get(const struct winmap *wm, size_t i)
{
	return i < wm->n ? &wm->t[i]->pub : NULL;
}

void tce_winmap_free(struct winmap *wm)
{
	size_t i;

	for (i = 0; i < wm->n; i++) {
		struct wm_table *t = wm->t[i];

		free(t->key);
		free(t->why);
		free(t->cells[0]);
		free(t->cells[1]);
		free(t->exact);
		free(t);
	}
	free(wm->t);
	memset(wm, 0, sizeof(*wm));
}
