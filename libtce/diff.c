// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The difference of two TCE tables by bus address (tce_table_diff()): usually one table
 * in two dumps of a host, before and after a change.  Each table's walk pushes its
 * entries to a callback, so the two are merged a slice of the bus address space at a
 * time: both walks over one slice (through tce_table_entries(), the walk every reader
 * uses, joined with the host page behind each entry) into a buffer each, then merged
 * in bus address order.  Memory is two slices' entries, whatever the windows' sizes.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump/dump.h"

/* One table's side of the diff: its window in bus addresses and the slice's entries */
struct side {
	struct tce_analysis *a;
	const struct tce_table_info *t;
	uint64_t lo, hi;              /* the window's bus addresses (both included) */
	struct tce_table_entry *e;    /* the slice's valid entries, in bus order */
	size_t n, cap;
	char *why;                    /* their host_why and ua_why strings, one after */
	size_t why_used, why_cap;     /* another (a repeated one is kept once) */
	const char *last_why;         /* the walk's pointer that was copied last */
	size_t last_off;
	uint64_t unknown;             /* the slice's entries the dump lacks */
	struct tce_table_stats st;    /* of the whole walk */
};

static const char *const change_names[] = {
	[TCE_CHANGE_MAPPED] = "mapped",
	[TCE_CHANGE_UNMAPPED] = "unmapped",
	[TCE_CHANGE_REMAPPED] = "remapped",
	[TCE_CHANGE_CHANGED] = "changed",
	[TCE_CHANGE_UNKNOWN] = "unknown",
};

const char *tce_entry_change_name(enum tce_entry_change c)
{
	if ((unsigned)c >= sizeof(change_names) / sizeof(change_names[0]))
		return NULL;
	return change_names[c];
}

/* The window's bus addresses; false if it has none or they do not fit 64 bits */
static bool window(const struct tce_table_info *t, uint64_t *lo, uint64_t *hi)
{
	if (!t->entries || t->page_shift >= 64 || t->offset > UINT64_MAX >> t->page_shift ||
	    t->entries - 1 > (UINT64_MAX >> t->page_shift) - t->offset)
		return false;
	*lo = t->offset << t->page_shift;
	*hi = ((t->offset + t->entries - 1) << t->page_shift) | ((1ULL << t->page_shift) - 1);
	return true;
}

/* Copies a why string the walk hands over (valid during its callback) to the slice's
 * strings; the walk gives one reason to many entries in a row: kept once */
static int keep_why(struct side *s, const char *why, size_t *off)
{
	size_t len;

	if (!why) {
		*off = SIZE_MAX;
		return 0;
	}
	if (s->last_why && s->last_off != SIZE_MAX && !strcmp(s->last_why, why)) {
		*off = s->last_off;
		return 0;
	}
	len = strlen(why) + 1;
	if (s->why_used + len > s->why_cap) {
		size_t cap = s->why_cap ? s->why_cap : 4096;
		char *nw;

		while (cap < s->why_used + len)
			cap *= 2;
		nw = realloc(s->why, cap);
		if (!nw)
			return -TCE_ENOMEM;
		s->why = nw;
		s->why_cap = cap;
	}
	memcpy(s->why + s->why_used, why, len);
	*off = s->why_used;
	s->why_used += len;
	s->last_off = *off;
	s->last_why = s->why + *off;
	return 0;
}

static int slice_cb(void *data, const struct tce_table_entry *e)
{
	struct side *s = data;
	struct tce_table_entry *k;
	size_t hw, uw;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct tce_table_entry *ne = realloc(s->e, cap * sizeof(*ne));

		if (!ne)
			return -TCE_ENOMEM;
		s->e = ne;
		s->cap = cap;
	}
	if (keep_why(s, e->host_why, &hw) || keep_why(s, e->ua_why, &uw))
		return -TCE_ENOMEM;
	k = &s->e[s->n++];
	memcpy(k, e, e->size < sizeof(*k) ? e->size : sizeof(*k));
	/* offsets for now: the strings may move as they grow (resolve()) */
	k->host_why = (const char *)(uintptr_t)hw;
	k->ua_why = (const char *)(uintptr_t)uw;
	return 0;
}

/* The slice's entries' strings, once the walk is done with it */
static void resolve(struct side *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		uintptr_t hw = (uintptr_t)s->e[i].host_why, uw = (uintptr_t)s->e[i].ua_why;

		s->e[i].host_why = hw == SIZE_MAX ? NULL : s->why + hw;
		s->e[i].ua_why = uw == SIZE_MAX ? NULL : s->why + uw;
	}
}

/* Walks the part of s's window in [b, e] into s's slice */
static int walk_slice(struct side *s, uint64_t b, uint64_t e)
{
	struct tce_table_stats st = TCE_TABLE_STATS_INIT;
	uint64_t first, last;
	int ret;

	s->n = 0;
	s->why_used = 0;
	s->last_why = NULL;
	s->unknown = 0;
	if (!s->t || e < s->lo || b > s->hi)
		return 0;
	first = ((b > s->lo ? b : s->lo) >> s->t->page_shift) - s->t->offset;
	last = ((e < s->hi ? e : s->hi) >> s->t->page_shift) - s->t->offset;
	ret = tce_table_entries(s->a, s->t, first, last, slice_cb, s, &st);
	if (ret == -TCE_ENOMEM)
		return tce_set_err(tce_analysis_dump(s->a), TCE_ENOMEM, "the diff of table "
				   "0x%" PRIx64 ": out of memory", s->t->addr);
	if (ret)
		return ret;
	resolve(s);
	s->unknown = st.unknown;
	s->st.valid += st.valid;
	s->st.unpopulated += st.unpopulated;
	s->st.missing += st.missing;
	s->st.unknown += st.unknown;
	return 0;
}

static void side_free(struct side *s)
{
	free(s->e);
	free(s->why);
}

static uint64_t target_of(const struct tce_table_entry *e)
{
	return e->target;
}

/* Merges the slices of o and n in bus order; fn for each difference */
static int merge(struct side *o, struct side *n, tce_entry_diff_fn fn, void *data,
		 struct tce_table_diff_stats *out)
{
	size_t i = 0, j = 0;
	int ret = 0;

	while (!ret && (i < o->n || j < n->n)) {
		const struct tce_table_entry *a = i < o->n ? &o->e[i] : NULL;
		const struct tce_table_entry *b = j < n->n ? &n->e[j] : NULL;

		if (a && b && a->bus == b->bus) {
			i++;
			j++;
			if (a->raw == b->raw) {
				out->same++;
				continue;
			}
			if (target_of(a) != target_of(b) || a->host != b->host) {
				out->remapped++;
				ret = fn(data, TCE_CHANGE_REMAPPED, a, b);
			} else {
				out->changed++;
				ret = fn(data, TCE_CHANGE_CHANGED, a, b);
			}
		} else if (a && (!b || a->bus < b->bus)) {
			i++;
			/* the new table's memory here is not in its dump: it may hold it */
			if (n->unknown) {
				out->unknown++;
				ret = fn(data, TCE_CHANGE_UNKNOWN, a, NULL);
			} else {
				out->unmapped++;
				ret = fn(data, TCE_CHANGE_UNMAPPED, a, NULL);
			}
		} else {
			j++;
			if (o->unknown) {
				out->unknown++;
				ret = fn(data, TCE_CHANGE_UNKNOWN, NULL, b);
			} else {
				out->mapped++;
				ret = fn(data, TCE_CHANGE_MAPPED, NULL, b);
			}
		}
	}
	return ret;
}

static void copy_stats(const struct tce_table_diff_stats *in, struct tce_table_diff_stats *st)
{
	size_t size = st->size;

	if (size < sizeof(size_t))
		return;
	if (size > sizeof(*in))
		size = sizeof(*in);
	memcpy(st, in, size);
	st->size = size;
}

int tce_table_diff(struct tce_analysis *old, const struct tce_table_info *told,
		   struct tce_analysis *new_, const struct tce_table_info *tnew,
		   tce_entry_diff_fn fn, void *data, struct tce_table_diff_stats *st)
{
	struct tce_table_diff_stats out = TCE_TABLE_DIFF_STATS_INIT;
	struct side s[2] = { { .a = old, .t = told }, { .a = new_, .t = tnew } };
	uint64_t span, b, e;
	unsigned k, small = 64, big = 0;
	int ret = 0;

	for (k = 0; k < 2; k++) {
		const struct tce_table_info *t = s[k].t;
		struct tce_dump *d = tce_analysis_dump(s[k].a);

		if (!t)
			continue;
		if (t->size < offsetof(struct tce_table_info, hv_entries) + sizeof(bool))
			return tce_set_err(d, TCE_EINVAL, "struct tce_table_info: size %zu is "
					   "too small", t->size);
		if (t->err)
			return tce_set_err(d, -t->err > 0 ? -t->err : TCE_EINVAL, "%s", t->why ?
					   t->why : "the table cannot be read");
		if (t->hv_entries)
			return tce_set_err(d, TCE_ENODATA, "iommu_table at 0x%" PRIx64 " is an "
					   "LPAR's window: its entries live in the hypervisor, "
					   "not in this dump", t->addr);
		if (!window(t, &s[k].lo, &s[k].hi)) {
			s[k].t = NULL;   /* no entries: every one of the other's differs */
			continue;
		}
		if (t->page_shift < small)
			small = t->page_shift;
		if (t->page_shift > big)
			big = t->page_shift;
	}
	if (!s[0].t && !s[1].t)
		goto done;
	/* a slice holds whole pages of both tables: a power of two, aligned */
	span = small + 12 < 64 ? (uint64_t)TCE_DIFF_SLICE << small : 0;
	if (big < 64 && span < 1ULL << big)
		span = 1ULL << big;
	b = UINT64_MAX;
	for (k = 0; k < 2; k++)
		if (s[k].t && s[k].lo < b)
			b = s[k].lo;
	for (;;) {
		uint64_t next = UINT64_MAX;
		bool any = false;

		if (span)
			b &= ~(span - 1);
		e = !span || b > UINT64_MAX - (span - 1) ? UINT64_MAX : b + (span - 1);
		for (k = 0; k < 2; k++)
			any |= s[k].t && e >= s[k].lo && b <= s[k].hi;
		if (any) {
			for (k = 0; k < 2 && !ret; k++) {
				ret = walk_slice(&s[k], b, e);
				if (ret)
					out.failed = (int)k + 1;
			}
			if (!ret)
				ret = merge(&s[0], &s[1], fn, data, &out);
			if (ret)
				break;
		}
		if (e == UINT64_MAX)
			break;
		/* past a gap: the next window part either table has */
		for (k = 0; k < 2; k++)
			if (s[k].t && s[k].hi > e) {
				uint64_t at = s[k].lo > e ? s[k].lo : e + 1;

				if (at < next)
					next = at;
			}
		if (next == UINT64_MAX)
			break;
		b = next;
	}
done:
	out.old = s[0].st;
	out.new_ = s[1].st;
	out.old.size = out.new_.size = sizeof(struct tce_table_stats);
	side_free(&s[0]);
	side_free(&s[1]);
	if (st)
		copy_stats(&out, st);
	return ret;
}
