// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Symbols without any debug file: the kallsyms tables the kernel keeps in memory,
 * which VMCOREINFO points at (SYMBOL(kallsyms_names|num_syms|token_table|token_index|
 * offsets|relative_base), or kallsyms_addresses without KALLSYMS_BASE_RELATIVE).
 * Names are token-compressed: each is a length (one byte, or two when the first has
 * bit 7 set: 6.1 and later) and that many token indices, each token a string in
 * kallsyms_token_table at kallsyms_token_index[i]; the first character decoded is the
 * symbol's type.  An address is kallsyms_relative_base + (u32)kallsyms_offsets[i].
 * Without CONFIG_KALLSYMS_ALL (Debian) the tables hold functions, not variables.
 * Every count and length read from the dump is bounded.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/types.h"

/* No kernel has millions of symbols: a count beyond this is corrupt. */
#define KSYMS_MAX (1u << 22)
/* A decoded name longer than this is corrupt (KSYM_NAME_LEN is 512 since 6.1). */
#define KSYM_NAME_MAX 512
#define TOKEN_TABLE_MAX 65536

struct ks_prov {
	struct ty_provider p;
	struct ty_sym *syms;          /* the symbol table (tce_ty_syms_index()) */
	size_t nsyms;                 /* names in it */
	size_t decoded;               /* symbols decoded (a name may be two symbols') */
	char *arena;                  /* the names */
};

static int ks_symbol(struct ty_provider *p, const char *name, uint64_t *addr)
{
	struct ks_prov *k = (struct ks_prov *)p;
	const struct ty_sym *s;

	if (!k->syms)
		return -TCE_ENOENT;   /* covered: asked after a provider that holds them all */
	s = tce_ty_syms_find(k->syms, k->nsyms, name);
	if (!s)
		return -TCE_ENOENT;
	/* the name is two symbols' (static functions of two files): no one answer */
	if (s->ambiguous)
		return tce_set_err(p->d, TCE_ENOENT, "%s names more than one symbol in %s",
				   name, p->what);
	*addr = s->addr;
	return 0;
}

static void ks_destroy(struct ks_prov *k)
{
	free(k->syms);
	free(k->arena);
	free(k);
}

static void ks_free(struct ty_provider *p)
{
	ks_destroy((struct ks_prov *)p);
}

static const struct ty_ops ks_ops = {
	.name = "kallsyms",
	.symbol = ks_symbol,
	.free = ks_free,
};

/* Reads len bytes at kernel-virtual va into a new buffer. */
static int read_new(struct tce_dump *d, uint64_t va, size_t len, unsigned char **out)
{
	unsigned char *buf = tce_big_alloc(len);
	int ret;

	if (!buf)
		return tce_set_err(d, TCE_ENOMEM, "kallsyms: out of memory");
	ret = tce_read(d, TCE_KVADDR, va, buf, len);
	if (ret) {
		free(buf);
		return ret;
	}
	*out = buf;
	return 0;
}

struct tables {
	uint64_t names, num, ttable, tindex, offsets, base, addresses;
	bool relative;
};

static int locate(struct tce_dump *d, struct tables *t)
{
	static const char *const need[] = {
		"kallsyms_names", "kallsyms_num_syms", "kallsyms_token_table",
		"kallsyms_token_index",
	};
	uint64_t *dst[] = { &t->names, &t->num, &t->ttable, &t->tindex };
	unsigned i;

	for (i = 0; i < 4; i++)
		if (tce_vmcoreinfo_symbol(d, need[i], dst[i]))
			return tce_set_err(d, TCE_ENOENT, "VMCOREINFO has no SYMBOL(%s)",
					   need[i]);
	if (tce_vmcoreinfo_symbol(d, "kallsyms_offsets", &t->offsets) == 0 &&
	    tce_vmcoreinfo_symbol(d, "kallsyms_relative_base", &t->base) == 0) {
		t->relative = true;
		return 0;
	}
	if (tce_vmcoreinfo_symbol(d, "kallsyms_addresses", &t->addresses) == 0)
		return 0;
	return tce_set_err(d, TCE_ENOENT, "VMCOREINFO has neither SYMBOL(kallsyms_offsets) "
			   "nor SYMBOL(kallsyms_addresses)");
}

static int decode(struct ks_prov *k, const struct tables *t, uint32_t num)
{
	struct tce_dump *d = k->p.d;
	enum tce_byteorder bo = tce_dump_byteorder(d);
	unsigned char *tindex = NULL, *ttable = NULL, *addrs = NULL, *names = NULL;
	uint16_t tok[256], toklen[256];
	size_t tlen = 0, i, pos = 0, namecap, apos = 0, acap, decoded = 0;
	uint64_t base = 0;
	int ret;

	ret = read_new(d, t->tindex, sizeof(tok), &tindex);
	if (ret)
		goto out;
	for (i = 0; i < 256; i++) {
		tok[i] = tce_bo16(tindex + 2 * i, bo);
		if (tok[i] + 64u > tlen)
			tlen = tok[i] + 64u;
	}
	if (tlen > TOKEN_TABLE_MAX)
		tlen = TOKEN_TABLE_MAX;
	ret = read_new(d, t->ttable, tlen, &ttable);
	if (ret)
		goto out;
	ttable[tlen - 1] = '\0';
	for (i = 0; i < 256; i++)
		toklen[i] = tok[i] < tlen ?
			    (uint16_t)strnlen((const char *)ttable + tok[i], tlen - tok[i]) : 0;

	if (t->relative) {
		ret = read_new(d, t->offsets, (size_t)num * 4, &addrs);
		if (!ret)
			ret = tce_read_u64(d, TCE_KVADDR, t->base, bo, &base);
	} else {
		ret = read_new(d, t->addresses, (size_t)num * 8, &addrs);
	}
	if (ret)
		goto out;

	/* the names stream: a length and a few token indices a symbol (16 bytes a
	 * symbol is ample for real tables); read that much, and less where the dump's
	 * memory ends sooner */
	namecap = (size_t)num * 16 + 4096;
	for (;;) {
		ret = read_new(d, t->names, namecap, &names);
		if (ret != -TCE_ENODATA || namecap <= 65536)
			break;
		namecap /= 2;     /* the stream ends before a hole: read less */
	}
	if (ret)
		goto out;

	k->syms = tce_big_alloc((size_t)num * sizeof(*k->syms));
	/* room for names of 48 bytes on average (24 was too few for Debian's 6.12):
	 * pages are touched only as names are written, and growing copies them all */
	acap = (size_t)num * 48 + 1;
	k->arena = tce_big_alloc(acap);
	if (!k->syms || !k->arena) {
		ret = tce_set_err(d, TCE_ENOMEM, "kallsyms of %u symbols: out of memory", num);
		goto out;
	}
	for (i = 0; i < num; i++) {
		char name[KSYM_NAME_MAX + 1];
		size_t len, n = 0, j;

		if (pos >= namecap)
			break;
		len = names[pos++];
		if (len & 0x80) {
			if (pos >= namecap)
				break;
			len = (len & 0x7f) | ((size_t)names[pos++] << 7);
		}
		if (pos + len > namecap)
			break;
		for (j = 0; j < len; j++) {
			const char *tk = (const char *)ttable + tok[names[pos + j]];
			size_t tl = toklen[names[pos + j]];

			if (n + tl > KSYM_NAME_MAX) {
				n = KSYM_NAME_MAX + 1;
				break;
			}
			memcpy(name + n, tk, tl);
			n += tl;
		}
		pos += len;
		if (n < 2 || n > KSYM_NAME_MAX)
			continue;    /* no name after the type character, or corrupt */
		if (apos + n > acap) {
			char *na;
			size_t nc = acap * 2 + n;

			na = realloc(k->arena, nc);
			if (!na) {
				ret = tce_set_err(d, TCE_ENOMEM, "kallsyms: out of memory");
				goto out;
			}
			k->arena = na;
			acap = nc;
		}
		memcpy(k->arena + apos, name + 1, n - 1);
		k->arena[apos + n - 1] = '\0';
		/* the arena may move while names are added: where a name starts, for now */
		k->syms[decoded++] = (struct ty_sym){
			.name = (const char *)(uintptr_t)apos,
			.addr = t->relative ? base + tce_bo32(addrs + 4 * i, bo) :
				tce_bo64(addrs + 8 * i, bo),
		};
		apos += n;
	}
	if (decoded < num / 2) {
		ret = tce_set_err(d, TCE_ECORRUPT, "kallsyms: only %zu of %u names decode",
				  decoded, num);
		goto out;
	}
	for (i = 0; i < decoded; i++)
		k->syms[i].name = k->arena + (uintptr_t)k->syms[i].name;
	k->decoded = decoded;
	if (tce_ty_syms_index(&k->syms, &decoded)) {
		ret = tce_set_err(d, TCE_ENOMEM, "kallsyms: out of memory");
		goto out;
	}
	k->nsyms = decoded;
	ret = 0;
out:
	free(tindex);
	free(ttable);
	free(addrs);
	free(names);
	return ret;
}

int tce_ty_kallsyms_new(struct tce_dump *d, bool covered, struct ty_provider **out)
{
	struct tables t = { 0 };
	struct ks_prov *k;
	uint32_t num;
	int ret;

	ret = locate(d, &t);
	if (ret)
		return ret;
	ret = tce_read_u32(d, TCE_KVADDR, t.num, tce_dump_byteorder(d), &num);
	if (ret)
		return tce_prepend_err(d, ret, "kallsyms_num_syms");
	if (!num || num > KSYMS_MAX)
		return tce_set_err(d, TCE_ECORRUPT, "kallsyms_num_syms = %u is impossible", num);
	k = calloc(1, sizeof(*k));
	if (!k)
		return tce_set_err(d, TCE_ENOMEM, "kallsyms: out of memory");
	k->p.ops = &ks_ops;
	k->p.d = d;
	if (covered) {
		/* the vmlinux's symbol table answers first and holds every name kallsyms
		 * does (scripts/kallsyms takes them from it): 39K names decoded and hashed
		 * for nothing were a seventh of a small dump's check */
		snprintf(k->p.what, sizeof(k->p.what), "kallsyms (%u symbols, not decoded: "
			 "the vmlinux's symbol table holds them)", num);
		*out = &k->p;
		return 0;
	}
	ret = decode(k, &t, num);
	if (ret) {
		ks_destroy(k);
		return ret;
	}
	if (k->decoded == num)
		snprintf(k->p.what, sizeof(k->p.what), "kallsyms (%zu symbols in memory)",
			 k->decoded);
	else
		snprintf(k->p.what, sizeof(k->p.what), "kallsyms (%zu of %u symbols: the "
			 "rest is not in the dump or does not decode)", k->decoded, num);
	*out = &k->p;
	return 0;
}
