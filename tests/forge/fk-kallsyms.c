// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms in the forge's dumps, laid out as scripts/kallsyms.c of 6.1 writes them for a
 * ppc64 kernel (KALLSYMS_BASE_RELATIVE without ABSOLUTE_PERCPU): the symbols sorted by
 * address as its compare_symbols() sorts them, each stored as its type letter followed
 * by its name, compressed with the same greedy scheme (every character that occurs
 * keeps its own code; each unused code, from 255 down, becomes the pair of codes with
 * the highest count, replaced in every symbol at once), and the tables written in
 * write_src()'s order, each 8-aligned.  fk_kallsyms_read() decodes them back the way
 * kernel/kallsyms.c does, from the dump's bytes.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "fk-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINEAR_BASE 0xc000000000000000ULL
#define KSYM_MAX 512 /* KSYM_NAME_LEN of 6.1, with the type letter */

struct fk_ksyms {
	uint64_t phys, cap;        /* where the tables are, and the room there */
	unsigned faults;
	bool valid;
	struct fk_kallsyms_info info;
	uint64_t names_len;        /* bytes of kallsyms_names */
	uint64_t token_table_len;
};

struct ksym {
	uint64_t addr;
	unsigned start_pos;
	unsigned len;              /* of sym, compressed as it goes */
	unsigned char sym[KSYM_MAX + 1];
	char name[KSYM_MAX + 1];   /* the name alone, for sorting by name */
	unsigned seq;
};

static struct fk_ksyms *ksyms(struct fk *k)
{
	struct fk_ksyms **slot = fk_ksyms_slot(k);

	if (!*slot)
		*slot = calloc(1, sizeof(**slot));
	return *slot;
}

void fk_kallsyms_free(struct fk_ksyms *ks)
{
	free(ks);
}

int fk_kallsyms_set_faults(struct fk *k, unsigned faults)
{
	struct fk_ksyms *ks = ksyms(k);

	if (!ks)
		return forge_fail(fk_forge(k), "out of memory");
	ks->faults = faults;
	return 0;
}

int fk_kallsyms_info(const struct fk *k, struct fk_kallsyms_info *out)
{
	struct fk_ksyms *ks = *fk_ksyms_slot((struct fk *)k);

	if (!ks || !ks->valid)
		return -1;
	*out = ks->info;
	return 0;
}

/* ------------------------------------------------------------ sorting */

/* may_be_linker_script_provide_symbol() of scripts/kallsyms.c */
static bool linker_provided(const char *s)
{
	size_t len = strlen(s);

	if (len < 8 || s[0] != '_' || s[1] != '_')
		return false;
	if (!memcmp(s + 2, "start_", 6) || !memcmp(s + 2, "stop_", 5) ||
	    !memcmp(s + 2, "end_", 4))
		return true;
	return len > 6 && (!strcmp(s + len - 6, "_start") || !strcmp(s + len - 4, "_end"));
}

/* compare_symbols() of scripts/kallsyms.c */
static int by_address(const void *pa, const void *pb)
{
	const struct ksym *a = pa, *b = pb;
	int wa, wb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	wa = a->sym[0] == 'w' || a->sym[0] == 'W';
	wb = b->sym[0] == 'w' || b->sym[0] == 'W';
	if (wa != wb)
		return wa - wb;
	wa = linker_provided(a->name);
	wb = linker_provided(b->name);
	if (wa != wb)
		return wa - wb;
	wa = (int)strspn(a->name, "_");
	wb = (int)strspn(b->name, "_");
	if (wa != wb)
		return wa - wb;
	return (int)a->start_pos - (int)b->start_pos;
}

/* sort_symbols_by_name(): by name, then by position */
static int by_name(const void *pa, const void *pb)
{
	const struct ksym *const *a = pa, *const *b = pb;
	int c = strcmp((*a)->name, (*b)->name);

	return c ? c : (int)(*a)->seq - (int)(*b)->seq;
}

/* ------------------------------------------------------------ compression */

struct comp {
	int profit[0x10000];
	unsigned char best[256][2];
	int best_len[256];
};

static void learn(struct comp *c, const unsigned char *s, unsigned len, int d)
{
	unsigned i;

	for (i = 0; i + 1 < len; i++)
		c->profit[s[i] + (s[i + 1] << 8)] += d;
}

/* compress_symbols(): every occurrence of the pair becomes idx, left to right */
static void compress(struct comp *c, struct ksym *t, size_t n, const unsigned char *pair,
		     unsigned idx)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char *s = t[i].sym;
		unsigned r, w = 0;
		bool found = false;

		for (r = 0; r + 1 < t[i].len; r++)
			if (s[r] == pair[0] && s[r + 1] == pair[1])
				found = true;
		if (!found)
			continue;
		learn(c, s, t[i].len, -1);
		for (r = 0; r < t[i].len; r++) {
			if (r + 1 < t[i].len && s[r] == pair[0] && s[r + 1] == pair[1]) {
				s[w++] = (unsigned char)idx;
				r++;
			} else {
				s[w++] = s[r];
			}
		}
		t[i].len = w;
		learn(c, s, t[i].len, 1);
	}
}

static void optimize(struct comp *c, struct ksym *t, size_t n)
{
	size_t i;
	unsigned j;
	int slot;

	for (i = 0; i < n; i++)
		learn(c, t[i].sym, t[i].len, 1);
	for (i = 0; i < n; i++)
		for (j = 0; j < t[i].len; j++) {
			c->best[t[i].sym[j]][0] = t[i].sym[j];
			c->best_len[t[i].sym[j]] = 1;
		}
	for (slot = 255; slot >= 0; slot--) {
		int best = 0, bestprofit = -10000, p;

		if (c->best_len[slot])
			continue;
		for (p = 0; p < 0x10000; p++)
			if (c->profit[p] > bestprofit) {
				best = p;
				bestprofit = c->profit[p];
			}
		if (c->profit[best] == 0)
			break;
		c->best_len[slot] = 2;
		c->best[slot][0] = (unsigned char)(best & 0xff);
		c->best[slot][1] = (unsigned char)(best >> 8);
		compress(c, t, n, c->best[slot], (unsigned)slot);
	}
}

/* expand_symbol(): a token's characters */
static size_t expand(const struct comp *c, const unsigned char *data, int len, char *out)
{
	size_t n = 0;
	int i;

	for (i = 0; i < len; i++) {
		unsigned char ch = data[i];

		if (c->best_len[ch] == 1 && c->best[ch][0] == ch)
			out[n++] = (char)ch;
		else
			n += expand(c, c->best[ch], c->best_len[ch], out + n);
	}
	out[n] = 0;
	return n;
}

/* ------------------------------------------------------------ layout */

static void put_n(const struct fk *k, uint8_t *p, uint64_t v, unsigned bytes)
{
	unsigned i;
	bool le = fk_opts(k)->endian == FORGE_LE;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * (le ? i : bytes - 1 - i)));
}

static uint64_t align8(uint64_t v)
{
	return (v + 7) & ~7ULL;
}

int fk_kallsyms_build(struct fk *k)
{
	struct forge *f = fk_forge(k);
	struct fk_ksyms *ks = ksyms(k);
	unsigned total = fk_symbol_count(k), i, n = 0;
	struct ksym *t = NULL, **byname = NULL;
	struct comp *c = NULL;
	char (*tokens)[KSYM_MAX + 1] = NULL;
	uint64_t o_off, o_base, o_num, o_names, o_markers, o_seqs, o_tt, o_ti, size, base;
	uint64_t names_len = 0, tt_len = 0, at;
	uint8_t *img = NULL;
	int ret = -1;

	if (!ks)
		return forge_fail(f, "out of memory");
	t = calloc(total ? total : 1, sizeof(*t));
	byname = calloc(total ? total : 1, sizeof(*byname));
	c = calloc(1, sizeof(*c));
	tokens = calloc(256, sizeof(*tokens));
	if (!t || !byname || !c || !tokens) {
		forge_fail(f, "out of memory");
		goto out;
	}
	for (i = 0; i < total; i++) {
		const char *name;
		uint64_t kva;
		char type;

		if (fk_symbol_get(k, i, &name, &kva, &type))
			goto out;
		/* KALLSYMS_ALL off: only what lies in the text (symbol_valid()) */
		if (fk_opts(k)->kallsyms == FK_KALLSYMS_TEXT && type != 'T' && type != 't' &&
		    type != 'W' && type != 'w')
			continue;
		t[n].addr = kva;
		t[n].start_pos = n;
		t[n].sym[0] = (unsigned char)type;
		snprintf(t[n].name, sizeof(t[n].name), "%s", name);
		memcpy(t[n].sym + 1, t[n].name, strlen(t[n].name));
		t[n].len = 1 + (unsigned)strlen(t[n].name);
		n++;
	}
	if (!n) {
		forge_fail(f, "kallsyms: no symbols");
		goto out;
	}
	qsort(t, n, sizeof(*t), by_address);
	base = t[0].addr; /* record_relative_base(): the lowest address */
	optimize(c, t, n);
	for (i = 0; i < 256; i++)
		tt_len += expand(c, c->best[i], c->best_len[i], tokens[i]) + 1;
	for (i = 0; i < n; i++) {
		names_len += t[i].len + (t[i].len > 0x7f ? 2 : 1);
		t[i].seq = i;
		byname[i] = &t[i];
	}
	qsort(byname, n, sizeof(*byname), by_name);

	o_off = 0;
	o_base = align8(o_off + 4ULL * n);
	o_num = align8(o_base + 8);
	o_names = align8(o_num + 4);
	o_markers = align8(o_names + names_len);
	o_seqs = align8(o_markers + 4ULL * ((n + 255) / 256));
	o_tt = align8(o_seqs + 3ULL * n);
	o_ti = align8(o_tt + tt_len);
	size = o_ti + 2 * 256;
	img = calloc(1, size);
	if (!img) {
		forge_fail(f, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		put_n(k, img + o_off + 4ULL * i, (uint32_t)(t[i].addr - base), 4);
	put_n(k, img + o_base, base, 8);
	put_n(k, img + o_num, ks->faults & FK_KALLSYMS_FAULT_COUNT ? FK_KALLSYMS_BAD_COUNT : n, 4);
	at = o_names;
	ks->info.faulted_index = n / 2;
	for (i = 0; i < n; i++) {
		if (!(i & 0xff))
			put_n(k, img + o_markers + 4ULL * (i >> 8), (uint32_t)(at - o_names), 4);
		if ((ks->faults & FK_KALLSYMS_FAULT_NAMES) && i == n / 2) {
			/* a length of 0x3fff where the record is much shorter */
			img[at] = 0xff;
			img[at + 1] = 0x7f;
			at += t[i].len + (t[i].len > 0x7f ? 2 : 1);
			continue;
		}
		if (t[i].len <= 0x7f) {
			img[at++] = (uint8_t)t[i].len;
		} else {
			img[at++] = (uint8_t)((t[i].len & 0x7f) | 0x80);
			img[at++] = (uint8_t)((t[i].len >> 7) & 0x7f);
		}
		memcpy(img + at, t[i].sym, t[i].len);
		at += t[i].len;
	}
	for (i = 0; i < n; i++) {
		img[o_seqs + 3ULL * i] = (uint8_t)(byname[i]->seq >> 16);
		img[o_seqs + 3ULL * i + 1] = (uint8_t)(byname[i]->seq >> 8);
		img[o_seqs + 3ULL * i + 2] = (uint8_t)byname[i]->seq;
	}
	at = o_tt;
	for (i = 0; i < 256; i++) {
		put_n(k, img + o_ti + 2ULL * i, (uint16_t)(at - o_tt), 2);
		memcpy(img + at, tokens[i], strlen(tokens[i]) + 1);
		at += strlen(tokens[i]) + 1;
	}

	if (ks->cap < size) {
		ks->phys = fk_alloc(k, size, 8);
		if (!ks->phys)
			goto out;
		ks->cap = size;
	}
	{
		uint8_t *zero = calloc(1, ks->cap);

		if (!zero || forge_write(f, ks->phys, zero, ks->cap)) {
			free(zero);
			if (!zero)
				forge_fail(f, "out of memory");
			goto out;
		}
		free(zero);
	}
	if (forge_write(f, ks->phys, img, size))
		goto out;
	ks->info.offsets = fk_kva(ks->phys + o_off);
	ks->info.relative_base = fk_kva(ks->phys + o_base);
	ks->info.num_syms = fk_kva(ks->phys + o_num);
	ks->info.names = fk_kva(ks->phys + o_names);
	ks->info.markers = fk_kva(ks->phys + o_markers);
	ks->info.seqs_of_names = fk_kva(ks->phys + o_seqs);
	ks->info.token_table = fk_kva(ks->phys + o_tt);
	ks->info.token_index = fk_kva(ks->phys + o_ti);
	ks->info.count = n;
	ks->info.base = base;
	ks->names_len = names_len;
	ks->token_table_len = tt_len;
	ks->valid = true;
	ret = 0;
out:
	free(img);
	free(tokens);
	free(c);
	free(byname);
	free(t);
	return ret;
}

/* ------------------------------------------------------------ reading back */

static int rd(struct fk *k, uint64_t kva, void *buf, size_t len)
{
	return forge_read(fk_forge(k), kva & ~LINEAR_BASE, buf, len);
}

static uint64_t get_n(const struct fk *k, const uint8_t *p, unsigned bytes)
{
	bool le = fk_opts(k)->endian == FORGE_LE;
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * (le ? i : bytes - 1 - i));
	return v;
}

int fk_kallsyms_read(struct fk *k, unsigned idx, char *name, size_t len, char *type,
		     uint64_t *addr)
{
	struct fk_ksyms *ks = *fk_ksyms_slot(k);
	uint8_t b[8], *names = NULL, tindex[512], *ttab = NULL;
	uint64_t off, num, pos;
	size_t out = 0;
	unsigned i, slen;
	int ret = -1;
	bool first = true;

	if (!ks || !ks->valid || !len)
		return forge_fail(fk_forge(k), "no kallsyms written");
	if (rd(k, ks->info.num_syms, b, 4))
		return -1;
	num = get_n(k, b, 4);
	if (idx >= num || idx >= ks->info.count)
		return forge_fail(fk_forge(k), "kallsyms has no symbol %u", idx);
	names = malloc(ks->names_len);
	ttab = malloc(ks->token_table_len);
	if (!names || !ttab) {
		forge_fail(fk_forge(k), "out of memory");
		goto out;
	}
	if (rd(k, ks->info.names, names, ks->names_len) ||
	    rd(k, ks->info.token_table, ttab, ks->token_table_len) ||
	    rd(k, ks->info.token_index, tindex, sizeof(tindex)) ||
	    rd(k, ks->info.markers + 4ULL * (idx >> 8), b, 4))
		goto out;
	/* get_symbol_offset() */
	off = get_n(k, b, 4);
	for (i = 0; i < (idx & 0xff); i++) {
		if (off >= ks->names_len)
			goto bad;
		slen = names[off];
		if (slen & 0x80) {
			if (off + 1 >= ks->names_len)
				goto bad;
			slen = ((slen & 0x7f) | ((unsigned)names[off + 1] << 7)) + 1;
		}
		off += slen + 1;
	}
	/* kallsyms_expand_symbol() */
	if (off >= ks->names_len)
		goto bad;
	slen = names[off++];
	if (slen & 0x80) {
		if (off >= ks->names_len)
			goto bad;
		slen = (slen & 0x7f) | ((unsigned)names[off++] << 7);
	}
	if (off + slen > ks->names_len)
		goto bad;
	for (pos = off; pos < off + slen; pos++) {
		uint64_t tp = get_n(k, tindex + 2 * names[pos], 2);

		for (; tp < ks->token_table_len && ttab[tp]; tp++) {
			if (first) {
				*type = (char)ttab[tp];
				first = false;
			} else if (out + 1 < len) {
				name[out++] = (char)ttab[tp];
			}
		}
	}
	name[out] = 0;
	/* kallsyms_sym_address() */
	if (rd(k, ks->info.offsets + 4ULL * idx, b, 4))
		goto out;
	off = (uint32_t)get_n(k, b, 4);
	if (rd(k, ks->info.relative_base, b, 8))
		goto out;
	*addr = get_n(k, b, 8) + off;
	ret = 0;
	goto out;
bad:
	forge_fail(fk_forge(k), "kallsyms_names runs past its end at symbol %u", idx);
out:
	free(names);
	free(ttab);
	return ret;
}
