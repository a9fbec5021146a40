/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Type information: symbols, structure sizes and member offsets of the dumped kernel,
 * behind one interface with providers asked in order (the shape of libdwfl's
 * callbacks).  VMCOREINFO's own SYMBOL/SIZE/OFFSET items come first (the kernel wrote
 * them, so they are never wrong for it); then DWARF of a vmlinux (dwarf.c), found by
 * the caller's path, a debug tree by release or build id, or debuginfod, and refused
 * when its build id is not the dump's; then the BTF a CONFIG_DEBUG_INFO_BTF kernel
 * keeps in memory (btf.c: sizes and members, for when no DWARF is found); then the
 * kallsyms tables the kernel keeps in memory (kallsyms.c: symbols only).  Offsets
 * never come from constants.
 *
 * Above dump/, below the walkers of TCE tables that need it.
 */
#ifndef TCE_TYPES_TYPES_H
#define TCE_TYPES_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "dump/dump.h"

/* One answer about a member: where it is and how big (bytes; for an array the whole
 * array, elem_size its element). */
struct ty_member {
	uint64_t offset;
	uint64_t size;
	uint64_t elem_size;           /* arrays: the element's size; else 0 */
	uint64_t count;               /* arrays: the number of elements; else 0 */
};

struct ty_provider;

/* What a provider can answer; a NULL function answers nothing.  Each returns 0,
 * -TCE_ENOENT (it does not know: the next provider is asked), or another error. */
struct ty_ops {
	const char *name;             /* "vmcoreinfo", "dwarf", "btf", "kallsyms" */
	int (*symbol)(struct ty_provider *p, const char *name, uint64_t *addr);
	/* type: "struct kvm", "union x", or a typedef name */
	int (*size)(struct ty_provider *p, const char *type, uint64_t *size);
	/* path: "arch.spapr_tce_tables" (members of members, anonymous ones looked
	 * through) */
	int (*member)(struct ty_provider *p, const char *type, const char *path,
		      struct ty_member *m);
	/* Does the provider hold the function symbol, in whose source file the kernel
	 * defines type (types.c's homes)?  0: it does, and answers for type as that file
	 * sees it where it can; -TCE_ENOENT: it does not. */
	int (*home)(struct ty_provider *p, const char *type, const char *symbol);
	/* Reads what the provider put off when it was made (BTF in memory: megabytes to
	 * parse), before the first question it is asked; once done, 0 at once.  0, or an
	 * error with the message set: the chain drops the provider (types.c's
	 * settle()). */
	int (*ready)(struct ty_provider *p);
	void (*free)(struct ty_provider *p);
};

struct ty_provider {
	const struct ty_ops *ops;
	struct tce_dump *d;
	char what[512];               /* what it read: "DWARF of /usr/lib/debug/..." */
	size_t nsymbols;              /* the names its symbol() knows (0: none or unknown) */
	bool type_known;              /* member() answered -TCE_ENOENT knowing the type:
					 the type lacks the member (types.c clears it
					 before each question) */
};

#define TY_MAX_PROVIDERS 8
#define TY_HOMES 32                   /* types.c's homes at most */

/*
 * A hash of a name's len bytes, from seed: the providers' tables of names.  Eight
 * bytes at a time (the last eight, overlapping, for the tail of a name that long):
 * FNV-1a a byte at a time was half the work of reading a vmlinux's 108K symbols.
 */
static inline uint32_t tce_ty_name_hash_len(const char *name, size_t len, uint32_t seed)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t h = (seed ^ ((uint64_t)len << 32)) * k, w = 0;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, name + i, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	if (i < len) {
		if (len >= 8) {
			memcpy(&w, name + len - 8, 8);
		} else {
			w = 0;
			for (; i < len; i++)
				w = w << 8 | (unsigned char)name[i];
		}
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ULL;
	return (uint32_t)(h ^ h >> 32);
}

static inline uint32_t tce_ty_name_hash(const char *name, uint32_t seed)
{
	return tce_ty_name_hash_len(name, strlen(name), seed);
}

/*
 * A symbol table by name (an ELF file's in dwarf.c, the kernel's kallsyms): one entry a
 * name, sorted by its hash and found by binary search.  Built in the order the symbols
 * are read, then sorted by a radix sort: a hash table of twice the symbols, written at
 * random, was 40% of a small 6.12 dump's check (kallsyms) and a fifth of a real dump's
 * page faults (a vmlinux's 108K symbols) in cache, TLB and page misses.
 */
struct ty_sym {
	const char *name;
	uint64_t addr;                /* the lowest of the name's */
	uint32_t hash;                /* tce_ty_name_hash(name, 0) */
	bool ambiguous;               /* two symbols of this name at different addresses */
};

/* *v, *n symbols (name and addr set) made the table: a new array in *v, its length in
 * *n, the old one freed.  0, or -1 without memory (then *v and *n are unchanged). */
TCE_HIDDEN int tce_ty_syms_index(struct ty_sym **v, size_t *n);
/* name's entry in the table v of n, or NULL */
TCE_HIDDEN const struct ty_sym *tce_ty_syms_find(const struct ty_sym *v, size_t n,
						  const char *name);

/* Where DWARF may come from, in the order tried. */
struct ty_sources {
	const char *vmlinux;          /* a file the user named: used or refused, never
					 skipped */
	const char *debug_dir;        /* a tree laid out like /usr/lib/debug; NULL: the
					 system's /usr/lib/debug */
	bool debuginfod;              /* ask the servers DEBUGINFOD_URLS names */
};

/* A section of a loaded module and where the dump's sect_attrs say it is. */
struct ty_modsect {
	char *name;
	uint64_t addr;
};

/* A symbol of a module's own kallsyms (mod->kallsyms) */
struct ty_msym {
	const char *name;             /* in struct ty_module.strs */
	uint64_t addr;
	char type;
};

#define TY_BUILD_ID_MAX 64

/* A module on the dump's modules list (modules.c), and what is known of it. */
struct ty_module {
	char name[64];
	uint64_t addr;                /* its struct module */
	int state;                    /* enum module_state; -1 unknown */
	uint64_t mem_base[8];         /* its memory: 6.1 core_layout and init_layout,
					 6.12 mem[]; size 0: none */
	uint64_t mem_size[8];
	unsigned nmem;
	struct ty_modsect *sects;     /* from sect_attrs */
	unsigned nsects;
	unsigned char build_id[TY_BUILD_ID_MAX];
	size_t build_id_len;          /* 0: the dump does not hold it */
	char build_id_hex[2 * TY_BUILD_ID_MAX + 1];
	struct ty_msym *syms;         /* its kallsyms, sorted by name */
	size_t nsyms;
	char *strs;
	struct ty_provider *dwarf;    /* DWARF of its .ko, relocated; or NULL */
	struct ty_provider *btf;      /* without DWARF: its split BTF from the kernel's
					 btf_modules (CONFIG_DEBUG_INFO_BTF_MODULES), or
					 NULL */
	char dwarf_path[1024];
	char dwarf_how[128];
	char note[512];               /* what could not be read of it, or why no DWARF */
};

struct types {
	struct tce_dump *d;
	bool loaded;
	int status;                   /* of loading: 0 or an error (a named vmlinux that
					 does not match) */
	struct ty_sources src;
	struct ty_provider *prov[TY_MAX_PROVIDERS];
	unsigned nprov;
	bool has_dwarf;
	char dwarf_path[1024];        /* the vmlinux whose DWARF is used */
	char dwarf_how[128];          /* "named with --vmlinux", "debug tree by build id" */
	char tried[1024];             /* no DWARF: where it was looked for, and why not */
	bool has_btf;
	char no_btf[512];             /* no BTF: why not */
	/* modules (modules.c): read after the providers above, which must know the
	 * symbol modules and struct module */
	struct ty_module *mods;
	size_t nmods;
	bool mods_read;               /* the list was walked (maybe partly: mods_note) */
	bool mods_whole;              /* ... back to its head: every module is in mods */
	char mods_note[512];          /* why the list could not be read, or where it ended */
	uint64_t mods_budget;         /* sections, notes and symbols the rest of the list
					 may still have read (modules.c) */
	/* called before module memory (vmalloc) is read: installs the translations
	 * (the analysis loads its model there); NULL: none */
	int (*prepare)(void *data);
	void *prepare_data;
	struct tce_module_info *modinfo;  /* tce_types_modules()'s */
	/* types.c's homes: the provider holding each one's symbol (index + 1; 0: none),
	 * as found when the chain was at generation home_gen (gen counts each provider
	 * put in or dropped; 0: never found) */
	unsigned char home_prov[TY_HOMES];
	unsigned home_gen[TY_HOMES];
	unsigned gen;
};

TCE_HIDDEN void tce_types_init(struct types *t, struct tce_dump *d);
TCE_HIDDEN void tce_types_free(struct types *t);
/* Sets where DWARF may come from (before the first lookup); copies the strings. */
TCE_HIDDEN int tce_types_set_sources(struct types *t, const struct ty_sources *src);
/* Loads the providers once.  0, or an error with the message set (a vmlinux the user
 * named that cannot be used); no DWARF found is not an error. */
TCE_HIDDEN int tce_types_load(struct types *t);
/* Loads the providers and has each read what it put off (BTF's parse), so that the
 * chain is the one every lookup will meet: what a report of the type information
 * needs (tce_analysis_types()).  0, or an error as tce_types_load() (or
 * -TCE_ENOMEM). */
TCE_HIDDEN int tce_types_settle(struct types *t);
/* Provider i made ready to answer (its ops->ready); one that cannot be is dropped from
 * the chain as if it had not been found (BTF: has_btf false, no_btf its reason).  0,
 * 1 (dropped: the providers after it moved down one), or -TCE_ENOMEM. */
TCE_HIDDEN int tce_types_ready(struct types *t, unsigned i);

/* The lookups: the first provider that knows answers.  -TCE_ENOENT with a message that
 * says which providers were asked when none knows. */
TCE_HIDDEN int tce_types_symbol(struct types *t, const char *name, uint64_t *addr);
TCE_HIDDEN int tce_types_size(struct types *t, const char *type, uint64_t *size);
TCE_HIDDEN int tce_types_member(struct types *t, const char *type, const char *path,
				struct ty_member *m);

/*
 * Resolves the members a walker reads of one type, once: out[i] for paths[i].  0, or
 * the first path no provider knows (-TCE_ENOENT, the message names it and who was
 * asked).  *size (may be NULL) gets the type's size, 0 if unknown.
 */
TCE_HIDDEN int tce_types_layout(struct types *t, const char *type,
				const char *const *paths, unsigned n, struct ty_member *out,
				uint64_t *size);
/* Reads the integer member m (1, 2, 4 or 8 bytes, in the dump's byte order) of the
 * object at kernel-virtual addr; -TCE_EINVAL if m's size is none of those. */
TCE_HIDDEN int tce_types_read_uint(struct tce_dump *d, uint64_t addr,
				   const struct ty_member *m, uint64_t *val);

/* providers (each returns 0 and *out, -TCE_ENOENT when its source is absent, or an
 * error; the message says why) */
TCE_HIDDEN int tce_ty_vmcoreinfo_new(struct tce_dump *d, struct ty_provider **out);
/* DWARF of the ELF file at path; refused (-TCE_EINVAL) when its build id is not the
 * dump's BUILD-ID */
TCE_HIDDEN int tce_ty_dwarf_open(struct tce_dump *d, const char *path,
				 struct ty_provider **out);
/* Finds a vmlinux for the dump as src says (not src->vmlinux); 0 and path, or
 * -TCE_ENOENT with where it looked in the message. */
TCE_HIDDEN int tce_ty_dwarf_find(struct tce_dump *d, const struct ty_sources *src,
				 char *path, size_t len, char *how, size_t howlen);
/* kallsyms, from the tables VMCOREINFO points at; covered: a provider asked before it
 * holds every name it does (the symbol table of a vmlinux of the dump's own build),
 * so its names are only counted, and it answers none */
TCE_HIDDEN int tce_ty_kallsyms_new(struct tce_dump *d, bool covered,
				   struct ty_provider **out);
/* BTF in memory between __start_BTF and __stop_BTF, found through the symbol answers
 * of from[0..n) (NULL entries skipped); -TCE_ENOENT when they do not know them. */
TCE_HIDDEN int tce_ty_btf_new(struct tce_dump *d, struct ty_provider *const *from,
			      unsigned n, struct ty_provider **out);
/* A module's BTF (len bytes of split BTF at kernel-virtual addr) on top of vmlinux's,
 * a provider tce_ty_btf_new() made, which must outlive it.  It answers for the module's
 * own types. */
TCE_HIDDEN int tce_ty_btf_module_new(struct ty_provider *vmlinux, const char *module,
				     uint64_t addr, uint64_t len, struct ty_provider **out);
/* The BTF of the module whose struct module is at module, as kernel/bpf/btf.c keeps
 * it on btf_modules (found through from[0..n), as tce_ty_btf_new()): the hook for the
 * module list's walker.  A live module's own btf_data is cleared after its init.
 * -TCE_ENOENT when the list or the module on it is not there; module memory must be
 * translatable (vmalloc) before.  *list_bad (may be NULL) is set when the list itself
 * cannot be walked (it loops, a link the dump lacks): asking for the next module
 * would meet the same. */
TCE_HIDDEN int tce_ty_btf_module_find(struct ty_provider *vmlinux,
				      struct ty_provider *const *from, unsigned n,
				      uint64_t module, const char *name,
				      struct ty_provider **out, bool *list_bad);

/*
 * Modules (modules.c): walks the dump's modules list with what the providers loaded so
 * far know (symbol modules, struct module), reads each module's sections, build id and
 * kallsyms, finds and relocates its DWARF, and returns the provider that answers from
 * them (-TCE_ENOENT, t->mods_note saying why, when the list cannot be read).
 */
TCE_HIDDEN int tce_ty_modules_load(struct types *t, struct ty_provider **out);
TCE_HIDDEN void tce_ty_modules_free(struct types *t);
/* The modules as the public API lists them (*n of them; NULL with *n > 0: out of
 * memory), owned by t. */
TCE_HIDDEN const struct tce_module_info *tce_types_modules(struct types *t, size_t *n);

/* A module's .ko with DWARF (dwarf.c), relocated here to the section addresses
 * m->sects holds; refused (-TCE_EINVAL, one line) when it is not a ppc64 relocatable
 * object of the dump's byte order, or its build id is not m->build_id (if known). */
TCE_HIDDEN int tce_ty_dwarf_open_module(struct tce_dump *d, const char *path,
					const struct ty_module *m,
					struct ty_provider **out);
/* Finds m's .ko as src says: the debug tree by release (lib/modules/REL/.../NAME.ko,
 * '-' and '_' alike), by m's build id (.build-id/), debuginfod.  0 and path, or
 * -TCE_ENOENT with where it looked in the message.  *index caches the tree's listing
 * between calls (free with tce_ty_modindex_free). */
struct ty_modindex;
TCE_HIDDEN int tce_ty_dwarf_find_module(struct tce_dump *d, const struct ty_sources *src,
					struct ty_modindex **index,
					const struct ty_module *m, char *path, size_t len,
					char *how, size_t howlen);
TCE_HIDDEN void tce_ty_modindex_free(struct ty_modindex *ix);

/* The dump's BUILD-ID as bytes; 0 and *len, or -TCE_ENOENT. */
TCE_HIDDEN int tce_ty_build_id(struct tce_dump *d, unsigned char *id, size_t cap,
			       size_t *len);

#endif /* TCE_TYPES_TYPES_H */
