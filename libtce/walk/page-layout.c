// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The struct page layout, resolved from VMCOREINFO once per analysis: its size, the
 * offsets of the fields we read, the page->flags bits the dump names (every
 * NUMBER(PG_x) line, and PG_head_mask) and the page types kept in _mapcount (buddy,
 * offline).  A bit the dump does not name (PG_reserved, usually) stays unknown.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk/walk.h"

/* TCE_PF_* states that are page->flags bits, and the PG_ name of each */
static const struct {
	unsigned state;
	const char *pg;
} state_bits[] = {
	{ TCE_PF_LRU, "PG_lru" },
	{ TCE_PF_PRIVATE, "PG_private" },
	{ TCE_PF_SWAPCACHE, "PG_swapcache" },
	{ TCE_PF_SWAPBACKED, "PG_swapbacked" },
	{ TCE_PF_SLAB, "PG_slab" },
	{ TCE_PF_HWPOISON, "PG_hwpoison" },
	{ TCE_PF_RESERVED, "PG_reserved" },
};

static unsigned state_index(unsigned state)
{
	return (unsigned)__builtin_ctz(state);
}

/* TCE_PF_* states that are page types, and the VMCOREINFO item giving each */
static const struct {
	unsigned state;
	const char *item;
} type_items[] = {
	{ TCE_PF_BUDDY, "PAGE_BUDDY_MAPCOUNT_VALUE" },
	{ TCE_PF_OFFLINE, "PAGE_OFFLINE_MAPCOUNT_VALUE" },
	{ TCE_PF_SLAB, "PAGE_SLAB_MAPCOUNT_VALUE" },
};

/*
 * A page type from its VMCOREINFO value, in either of the kernel's two encodings:
 * up to 6.9 a type is one bit cleared below PAGE_TYPE_BASE (0xf0000000) in an
 * otherwise all-ones page_type (PageBuddy: -129 = ~0x80, tested as
 * (page_type & (PAGE_TYPE_BASE | 0x80)) == PAGE_TYPE_BASE); since 6.11 the type is the
 * top byte (PGTY_buddy << 24 = 0xf0000000, tested as page_type >> 24 == 0xf0).  A
 * value in neither shape is compared whole.  A page type replaces a flag bit the
 * dump also names (6.1's PG_slab, when PAGE_SLAB_MAPCOUNT_VALUE exists).
 */
static void page_type(struct tce_dump *d, struct page_layout *l, unsigned state,
		      const char *item)
{
	struct page_type *t = &l->type_of[state_index(state)];
	int64_t num;
	uint32_t v, cleared;

	if (tce_vmcoreinfo_number(d, item, &num) || num < INT32_MIN || num > UINT32_MAX)
		return;
	v = (uint32_t)num;
	cleared = ~v & 0x0fffffffu;
	t->known = true;
	if ((v & 0x00ffffffu) == 0 && v >> 24 != 0 && v >> 24 != 0xff) {
		t->mask = 0xff000000u;
		t->value = v;
	} else if ((v & 0xf0000000u) == 0xf0000000u && cleared &&
		   !(cleared & (cleared - 1))) {
		t->mask = 0xf0000000u | cleared;
		t->value = 0xf0000000u;
	} else {
		t->mask = 0xffffffffu;
		t->value = v;
	}
	l->bit_of[state_index(state)] = -1;
}

static int name_bit(struct tce_dump *d, struct page_layout *l, int64_t bit,
		    const char *name)
{
	if (bit < 0 || bit >= TCE_MAX_NAMED_FLAGS || l->flag_name[bit])
		return 0;
	l->flag_name[bit] = strdup(name);
	if (!l->flag_name[bit])
		return tce_set_err(d, TCE_ENOMEM, "page flag %s: out of memory", name);
	l->named_mask |= 1ULL << bit;
	return 0;
}

static bool field(struct tce_dump *d, struct page_layout *l, const char *name,
		  uint64_t width, uint64_t *off)
{
	if (tce_vmcoreinfo_offset(d, "page", name, off)) {
		snprintf(l->why, sizeof(l->why), "VMCOREINFO has no OFFSET(page.%s)", name);
		return false;
	}
	if (!tce_field_fits(*off, width, l->size)) {
		snprintf(l->why, sizeof(l->why), "OFFSET(page.%s)=%" PRIu64 " lies past "
			 "SIZE(page)=%" PRIu64, name, *off, l->size);
		return false;
	}
	return true;
}

int tce_page_layout(struct tce_dump *d, struct page_layout *l)
{
	const char *key, *value;
	int64_t num;
	unsigned i;
	int ret;

	for (i = 0; i < TCE_PF_COUNT; i++)
		l->bit_of[i] = -1;
	/* the bits the dump names: every NUMBER(PG_x) is a bit number, except masks */
	for (i = 0; tce_vmcoreinfo_line(d, i, &key, &value); i++) {
		char name[64], pg[80];
		size_t n;

		if (strncmp(key, "NUMBER(PG_", 10) != 0)
			continue;
		n = strlen(key + 10);
		if (n < 2 || n >= sizeof(name) || key[10 + n - 1] != ')')
			continue;
		memcpy(name, key + 10, n - 1);
		name[n - 1] = '\0';
		if (strstr(name, "_mask"))
			continue;
		snprintf(pg, sizeof(pg), "PG_%s", name);
		if (tce_vmcoreinfo_number(d, pg, &num))
			continue;
		ret = name_bit(d, l, num, name);
		if (ret)
			return ret;
	}
	if (tce_vmcoreinfo_number(d, "PG_head_mask", &num) == 0 && num > 0 &&
	    !(num & (num - 1))) {
		ret = name_bit(d, l, __builtin_ctzll((uint64_t)num), "head");
		if (ret)
			return ret;
		l->bit_of[state_index(TCE_PF_HEAD)] = __builtin_ctzll((uint64_t)num);
	}
	for (i = 0; i < ARRAY_SIZE(state_bits); i++) {
		if (tce_vmcoreinfo_number(d, state_bits[i].pg, &num) || num < 0 ||
		    num >= TCE_MAX_NAMED_FLAGS)
			continue;
		l->bit_of[state_index(state_bits[i].state)] = (int)num;
	}
	for (i = 0; i < ARRAY_SIZE(type_items); i++)
		page_type(d, l, type_items[i].state, type_items[i].item);
	l->known_states = 0;
	l->ntype = 0;
	l->flag_mask = 0;
	memset(l->states_of_bit, 0, sizeof(l->states_of_bit));
	for (i = 0; i < TCE_PF_COUNT; i++) {
		if (l->bit_of[i] >= 0) {
			l->flag_mask |= 1ULL << l->bit_of[i];
			l->states_of_bit[l->bit_of[i]] |= 1u << i;
			l->known_states |= 1u << i;
		}
		if (l->type_of[i].known) {
			l->type_state[l->ntype++] = (unsigned char)i;
			l->known_states |= 1u << i;
		}
	}

	l->known = false;
	if (tce_vmcoreinfo_size(d, "page", &l->size) || l->size < 8 || l->size > 4096) {
		snprintf(l->why, sizeof(l->why), "VMCOREINFO has no usable SIZE(page)");
		goto out;
	}
	if (!field(d, l, "flags", 8, &l->o_flags) ||
	    !field(d, l, "_refcount", 4, &l->o_refcount) ||
	    !field(d, l, "_mapcount", 4, &l->o_mapcount) ||
	    !field(d, l, "compound_head", 8, &l->o_compound_head))
		goto out;
	l->known = true;
	l->has_mapping = field(d, l, "mapping", 8, &l->o_mapping);
	l->has_private = field(d, l, "private", 8, &l->o_private);
	/* an unsigned char in the first tail page (6.1) */
	l->has_order = field(d, l, "compound_order", 1, &l->o_compound_order);
	l->why[0] = '\0';
out:
	tce_clear_err(d);
	return 0;
}

void tce_page_layout_free(struct page_layout *l)
{
	unsigned i;

	for (i = 0; i < TCE_MAX_NAMED_FLAGS; i++)
		free(l->flag_name[i]);
	memset(l, 0, sizeof(*l));
}
