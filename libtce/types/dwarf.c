// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * DWARF of the dumped kernel's vmlinux, through libdw: symbols from its symbol table
 * (moved by the difference between the dump's and the file's _stext, should the kernel
 * have been relocated), structure sizes and member offsets from its debug information.
 * The file is checked before use: an ELF file of ppc64 whose GNU build id is the one
 * the dump's VMCOREINFO records; anything else is refused with one line.
 *
 * Finding it, the way users expect on Debian: the file the caller names; the debug
 * tree (/usr/lib/debug, or another laid out alike) by release
 * (boot/vmlinux-REL, lib/modules/REL/vmlinux) and by build id (.build-id/xx/rest.debug);
 * and debuginfod (the servers DEBUGINFOD_URLS names), by build id.
 *
 * Types are found through an index of every named top-level structure, union, enum
 * and typedef, built on the first lookup by one pass over the compile units' top-level
 * entries (a Debian vmlinux-dbg has thousands of units; their children are skipped).
 */
#include "config.h"

#include <dwarf.h>
#include <elfutils/debuginfod.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "types/types.h"

#define BUILD_ID_MAX 64

struct dw_sym {
	const char *name;
	uint64_t addr;
	bool ambiguous;               /* two symbols of this name at different addresses */
};

/* a named type: what tag, and where its DIE is */
struct dw_type {
	const char *name;
	int kind;                     /* DW_TAG_structure_type, _union_type, _enumeration_type,
					 _typedef */
	Dwarf_Off off;
};

struct dw_prov {
	struct ty_provider p;
	int fd;
	Elf *elf;
	Dwarf *dw;
	int64_t reloc;
	struct dw_sym *syms;
	size_t nsyms;
	bool indexed;
	struct dw_type *types;
	size_t ntypes;
};

static int cmp_sym(const void *a, const void *b)
{
	const struct dw_sym *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_type(const void *a, const void *b)
{
	const struct dw_type *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* ------------------------------------------------------------ checking a file */

/* The file's GNU build id as hex, or "" */
static void hex_id(const unsigned char *id, size_t len, char *out, size_t cap)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < len && 2 * i + 2 < cap; i++)
		snprintf(out + 2 * i, 3, "%02x", id[i]);
}

/*
 * Is the ELF file elf a ppc64 kernel whose build id is the dump's?  0, or -TCE_EINVAL
 * with one line saying why not (path names the file).
 */
static int check_elf(struct tce_dump *d, Elf *elf, const char *path)
{
	unsigned char want[BUILD_ID_MAX];
	char whex[2 * BUILD_ID_MAX + 1], ghex[2 * BUILD_ID_MAX + 1];
	const void *got = NULL;
	size_t wlen = 0;
	ssize_t glen;
	GElf_Ehdr eh;

	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh))
		return tce_set_err(d, TCE_EINVAL, "%s: not an ELF file", path);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_PPC64)
		return tce_set_err(d, TCE_EINVAL, "%s: not a ppc64 kernel (ELF machine %u)",
				   path, (unsigned)eh.e_machine);
	if ((eh.e_ident[EI_DATA] == ELFDATA2MSB) != (tce_dump_byteorder(d) == TCE_BE))
		return tce_set_err(d, TCE_EINVAL, "%s: a %s-endian kernel, the dump is %s-endian",
				   path, eh.e_ident[EI_DATA] == ELFDATA2MSB ? "big" : "little",
				   tce_dump_byteorder(d) == TCE_BE ? "big" : "little");
	if (tce_ty_build_id(d, want, sizeof(want), &wlen))
		return tce_prepend_err(d, TCE_EINVAL, "%s cannot be matched with the dump",
				       path);
	glen = dwelf_elf_gnu_build_id(elf, &got);
	if (glen <= 0)
		return tce_set_err(d, TCE_EINVAL, "%s has no GNU build id: it cannot be "
				   "matched with the dump", path);
	if ((size_t)glen != wlen || memcmp(got, want, wlen)) {
		hex_id(want, wlen, whex, sizeof(whex));
		hex_id(got, (size_t)glen, ghex, sizeof(ghex));
		return tce_set_err(d, TCE_EINVAL, "%s is another build (build id %s; the "
				   "dump's kernel is %s)", path, ghex, whex);
	}
	return 0;
}

/* Opens path as ELF for reading: 0 with *fd and *elf, or an error naming the file. */
static int open_elf(struct tce_dump *d, const char *path, int *fd, Elf **elf)
{
	struct stat st;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return tce_set_err(d, TCE_EINVAL, "libelf: %s", elf_errmsg(-1));
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return tce_set_err(d, errno == ENOENT ? TCE_ENOENT : TCE_EIO, "%s: %s", path,
				   strerror(errno));
	if (fstat(*fd, &st) || !S_ISREG(st.st_mode)) {
		close(*fd);
		return tce_set_err(d, TCE_EINVAL, "%s: not a regular file", path);
	}
	*elf = elf_begin(*fd, ELF_C_READ_MMAP, NULL);
	if (!*elf) {
		close(*fd);
		return tce_set_err(d, TCE_EINVAL, "%s: %s", path, elf_errmsg(-1));
	}
	return 0;
}

/* ------------------------------------------------------------ symbols */

static int read_symbols(struct dw_prov *w)
{
	Elf_Scn *scn = NULL;
	size_t i, n = 0, k;

	while ((scn = elf_nextscn(w->elf, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t cnt;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		cnt = sh.sh_size / sh.sh_entsize;
		w->syms = calloc(cnt ? cnt : 1, sizeof(*w->syms));
		if (!w->syms)
			return tce_set_err(w->p.d, TCE_ENOMEM, "%zu symbols: out of memory", cnt);
		for (i = 0; i < cnt; i++) {
			GElf_Sym s;
			const char *name;

			if (!gelf_getsym(data, (int)i, &s) || s.st_shndx == SHN_UNDEF)
				continue;
			if (GELF_ST_TYPE(s.st_info) == STT_SECTION ||
			    GELF_ST_TYPE(s.st_info) == STT_FILE)
				continue;
			name = elf_strptr(w->elf, sh.sh_link, s.st_name);
			if (!name || !*name)
				continue;
			w->syms[n].name = name;
			w->syms[n].addr = s.st_value;
			n++;
		}
		break;
	}
	qsort(w->syms, n, sizeof(*w->syms), cmp_sym);
	/* one entry a name: the same name at two addresses (two static variables) is
	 * ambiguous, and answered by no address at all */
	for (i = 0, k = 0; i < n; i++) {
		if (k && !strcmp(w->syms[k - 1].name, w->syms[i].name)) {
			if (w->syms[k - 1].addr != w->syms[i].addr)
				w->syms[k - 1].ambiguous = true;
			continue;
		}
		w->syms[k++] = w->syms[i];
	}
	w->nsyms = k;
	return 0;
}

static const struct dw_sym *find_sym(const struct dw_prov *w, const char *name)
{
	struct dw_sym key = { .name = name };
	size_t lo = 0, hi = w->nsyms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(w->syms[mid].name, key.name);

		if (!c)
			return &w->syms[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int dw_symbol(struct ty_provider *p, const char *name, uint64_t *addr)
{
	struct dw_prov *w = (struct dw_prov *)p;
	const struct dw_sym *s = find_sym(w, name);

	if (!s)
		return -TCE_ENOENT;
	if (s->ambiguous)
		return tce_set_err(p->d, TCE_ENOENT, "%s names more than one symbol in %s",
				   name, p->what);
	*addr = s->addr + (uint64_t)w->reloc;
	return 0;
}

/* ------------------------------------------------------------ types */

static bool is_type_tag(int tag)
{
	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
	       tag == DW_TAG_enumeration_type || tag == DW_TAG_typedef;
}

static int index_types(struct dw_prov *w)
{
	Dwarf_Off off = 0, next;
	size_t hsize, cap = 0;

	w->indexed = true;
	while (dwarf_nextcu(w->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, die;

		if (dwarf_offdie(w->dw, off + hsize, &cu) && dwarf_child(&cu, &die) == 0) {
			do {
				int tag = dwarf_tag(&die);
				const char *name;

				if (!is_type_tag(tag) || dwarf_hasattr(&die, DW_AT_declaration))
					continue;
				name = dwarf_diename(&die);
				if (!name)
					continue;
				if (w->ntypes == cap) {
					size_t nc = cap ? cap * 2 : 4096;
					struct dw_type *t = realloc(w->types, nc * sizeof(*t));

					if (!t)
						return tce_set_err(w->p.d, TCE_ENOMEM, "type index: "
								   "out of memory");
					w->types = t;
					cap = nc;
				}
				w->types[w->ntypes].name = name;
				w->types[w->ntypes].kind = tag;
				w->types[w->ntypes].off = dwarf_dieoffset(&die);
				w->ntypes++;
			} while (dwarf_siblingof(&die, &die) == 0);
		}
		off = next;
	}
	qsort(w->types, w->ntypes, sizeof(*w->types), cmp_type);
	return 0;
}

/* The DIE of "struct X", "union X", "enum X" or typedef X. */
static int find_type(struct dw_prov *w, const char *type, Dwarf_Die *out)
{
	int kind = DW_TAG_typedef, ret;
	const char *name = type;
	size_t lo = 0, hi;

	if (!strncmp(type, "struct ", 7)) {
		kind = DW_TAG_structure_type;
		name = type + 7;
	} else if (!strncmp(type, "union ", 6)) {
		kind = DW_TAG_union_type;
		name = type + 6;
	} else if (!strncmp(type, "enum ", 5)) {
		kind = DW_TAG_enumeration_type;
		name = type + 5;
	}
	if (!w->indexed) {
		ret = index_types(w);
		if (ret)
			return ret;
	}
	/* the first entry (name, kind): lowest DIE offset */
	hi = w->ntypes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(w->types[mid].name, name);

		if (!c)
			c = w->types[mid].kind < kind ? -1 : w->types[mid].kind > kind;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == w->ntypes || strcmp(w->types[lo].name, name) || w->types[lo].kind != kind)
		return -TCE_ENOENT;
	if (!dwarf_offdie(w->dw, w->types[lo].off, out))
		return tce_set_err(w->p.d, TCE_ECORRUPT, "%s: the DIE of %s cannot be read: %s",
				   w->p.what, type, dwarf_errmsg(-1));
	return 0;
}

/* Follows DW_AT_type through typedefs and qualifiers; false if there is none. */
static bool strip(const Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	Dwarf_Die cur = *die;
	int depth;

	for (depth = 0; depth < 64; depth++) {
		int tag = dwarf_tag(&cur);

		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type && tag != DW_TAG_restrict_type &&
		    tag != DW_TAG_atomic_type && tag != DW_TAG_member) {
			*out = cur;
			return true;
		}
		if (!dwarf_attr_integrate(&cur, DW_AT_type, &a) || !dwarf_formref_die(&a, &cur))
			return false;
	}
	return false;
}

static bool member_offset(Dwarf_Die *m, uint64_t *off)
{
	Dwarf_Attribute a;
	Dwarf_Word v;

	if (!dwarf_attr_integrate(m, DW_AT_data_member_location, &a)) {
		/* a union member, or the only member: at the start (a bit field is not) */
		if (dwarf_hasattr(m, DW_AT_data_bit_offset) || dwarf_hasattr(m, DW_AT_bit_size))
			return false;
		*off = 0;
		return true;
	}
	if (dwarf_formudata(&a, &v) != 0)
		return false;
	*off = v;
	return true;
}

/* Looks for member name (len bytes) in the aggregate agg, through anonymous members. */
static int find_member(Dwarf_Die *agg, const char *name, size_t len, Dwarf_Die *out,
		       uint64_t *off, int depth)
{
	Dwarf_Die child, t;

	if (depth > 16 || dwarf_child(agg, &child) != 0)
		return -TCE_ENOENT;
	do {
		const char *mn;
		uint64_t mo;

		if (dwarf_tag(&child) != DW_TAG_member || !member_offset(&child, &mo))
			continue;
		mn = dwarf_diename(&child);
		if (mn && strlen(mn) == len && !memcmp(mn, name, len)) {
			*out = child;
			*off = mo;
			return 0;
		}
		if (!mn && strip(&child, &t) && (dwarf_tag(&t) == DW_TAG_structure_type ||
						 dwarf_tag(&t) == DW_TAG_union_type) &&
		    find_member(&t, name, len, out, off, depth + 1) == 0) {
			*off += mo;
			return 0;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return -TCE_ENOENT;
}

static int dw_size(struct ty_provider *p, const char *type, uint64_t *size)
{
	struct dw_prov *w = (struct dw_prov *)p;
	Dwarf_Die die, t;
	Dwarf_Word sz;
	int ret = find_type(w, type, &die);

	if (ret)
		return ret;
	if (!strip(&die, &t) || dwarf_aggregate_size(&t, &sz) != 0)
		return tce_set_err(p->d, TCE_ENOENT, "%s: the size of %s is not given",
				   p->what, type);
	*size = sz;
	return 0;
}

static int dw_member(struct ty_provider *p, const char *type, const char *path,
		     struct ty_member *m)
{
	struct dw_prov *w = (struct dw_prov *)p;
	Dwarf_Die die, t, mem;
	Dwarf_Word sz;
	uint64_t total = 0, off;
	const char *c = path;
	int ret = find_type(w, type, &die);

	if (ret)
		return ret;
	if (!strip(&die, &t))
		return -TCE_ENOENT;
	for (;;) {
		const char *dot = strchr(c, '.');
		size_t len = dot ? (size_t)(dot - c) : strlen(c);

		if (dwarf_tag(&t) != DW_TAG_structure_type && dwarf_tag(&t) != DW_TAG_union_type)
			return tce_set_err(p->d, TCE_ENOENT, "%s: %s.%.*s: not a structure or "
					   "union there", p->what, type, (int)(c - path + len),
					   path);
		if (find_member(&t, c, len, &mem, &off, 0))
			return tce_set_err(p->d, TCE_ENOENT, "%s: %s has no member %.*s",
					   p->what, type, (int)(c - path + len), path);
		total += off;
		if (!strip(&mem, &t))
			return tce_set_err(p->d, TCE_ECORRUPT, "%s: %s.%s has no type", p->what,
					   type, path);
		if (!dot)
			break;
		c = dot + 1;
	}
	memset(m, 0, sizeof(*m));
	m->offset = total;
	if (dwarf_aggregate_size(&t, &sz) == 0)
		m->size = sz;
	if (dwarf_tag(&t) == DW_TAG_array_type) {
		Dwarf_Attribute a;
		Dwarf_Die e;

		if (dwarf_attr_integrate(&t, DW_AT_type, &a) && dwarf_formref_die(&a, &e) &&
		    strip(&e, &e) && dwarf_aggregate_size(&e, &sz) == 0 && sz) {
			m->elem_size = sz;
			m->count = m->size / sz;
		}
	}
	return 0;
}

static void dw_free(struct ty_provider *p)
{
	struct dw_prov *w = (struct dw_prov *)p;

	if (w->dw)
		dwarf_end(w->dw);
	if (w->elf)
		elf_end(w->elf);
	if (w->fd >= 0)
		close(w->fd);
	free(w->syms);
	free(w->types);
	free(w);
}

static const struct ty_ops dw_ops = {
	.name = "dwarf",
	.symbol = dw_symbol,
	.size = dw_size,
	.member = dw_member,
	.free = dw_free,
};

int tce_ty_dwarf_open(struct tce_dump *d, const char *path, struct ty_provider **out)
{
	struct dw_prov *w = calloc(1, sizeof(*w));
	uint64_t dstext;
	const struct dw_sym *s;
	int ret;

	if (!w)
		return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", path);
	w->p.ops = &dw_ops;
	w->p.d = d;
	w->fd = -1;
	snprintf(w->p.what, sizeof(w->p.what), "DWARF of %s", path);
	ret = open_elf(d, path, &w->fd, &w->elf);
	if (!ret)
		ret = check_elf(d, w->elf, path);
	if (!ret) {
		w->dw = dwarf_begin_elf(w->elf, DWARF_C_READ, NULL);
		if (!w->dw)
			ret = tce_set_err(d, TCE_EINVAL, "%s has no DWARF (%s): a stripped "
					  "vmlinux; the debug one is in linux-image-REL-dbg",
					  path, dwarf_errmsg(-1));
	}
	if (!ret)
		ret = read_symbols(w);
	if (ret) {
		dw_free(&w->p);
		return ret;
	}
	/* a relocated kernel: the dump's _stext against the file's */
	s = find_sym(w, "_stext");
	if (s && !s->ambiguous && tce_vmcoreinfo_symbol(d, "_stext", &dstext) == 0)
		w->reloc = (int64_t)(dstext - s->addr);
	tce_clear_err(d);
	*out = &w->p;
	return 0;
}

/* ------------------------------------------------------------ finding the file */

static const char *osrelease(struct tce_dump *d)
{
	const char *key, *v;
	unsigned i;

	for (i = 0; tce_vmcoreinfo_line(d, i, &key, &v); i++)
		if (!strcmp(key, "OSRELEASE"))
			return v && *v && !strchr(v, '/') ? v : NULL;
	return NULL;
}

/* Does path exist and match the dump?  1 yes, 0 no (why appended to tried), <0 error */
static int candidate(struct tce_dump *d, const char *path, char *tried, size_t len)
{
	size_t n = strlen(tried);
	Elf *elf;
	int fd, ret;

	if (access(path, F_OK) != 0) {
		snprintf(tried + n, len - n, "%s%s (none)", n ? "; " : "", path);
		return 0;
	}
	ret = open_elf(d, path, &fd, &elf);
	if (!ret) {
		ret = check_elf(d, elf, path);
		elf_end(elf);
		close(fd);
	}
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret) {
		snprintf(tried + n, len - n, "%s%s", n ? "; " : "", tce_errmsg(d));
		return 0;
	}
	return 1;
}

int tce_ty_dwarf_find(struct tce_dump *d, const struct ty_sources *src, char *path,
		      size_t len, char *how, size_t howlen)
{
	const char *root = src->debug_dir ? src->debug_dir : "/usr/lib/debug";
	const char *rel = osrelease(d);
	unsigned char id[BUILD_ID_MAX];
	char hex[2 * BUILD_ID_MAX + 1], tried[1024] = "";
	size_t idlen = 0;
	int ret;

	if (rel) {
		snprintf(path, len, "%s/boot/vmlinux-%s", root, rel);
		ret = candidate(d, path, tried, sizeof(tried));
		if (ret)
			goto found_rel;
		snprintf(path, len, "%s/lib/modules/%s/vmlinux", root, rel);
		ret = candidate(d, path, tried, sizeof(tried));
		if (ret)
			goto found_rel;
	}
	if (tce_ty_build_id(d, id, sizeof(id), &idlen) == 0) {
		hex_id(id, idlen, hex, sizeof(hex));
		snprintf(path, len, "%s/.build-id/%.2s/%s.debug", root, hex, hex + 2);
		ret = candidate(d, path, tried, sizeof(tried));
		if (ret < 0)
			return ret;
		if (ret) {
			snprintf(how, howlen, "debug tree by build id");
			return 0;
		}
		if (src->debuginfod) {
			const char *urls = getenv("DEBUGINFOD_URLS");
			size_t n = strlen(tried);

			if (urls && *urls) {
				debuginfod_client *c = debuginfod_begin();
				char *got = NULL;
				int fd = -1;

				if (c) {
					fd = debuginfod_find_debuginfo(c, id, (int)idlen, &got);
					debuginfod_end(c);
				}
				if (fd >= 0) {
					close(fd);
					snprintf(path, len, "%s", got);
					free(got);
					ret = candidate(d, path, tried, sizeof(tried));
					if (ret < 0)
						return ret;
					if (ret) {
						snprintf(how, howlen, "debuginfod");
						return 0;
					}
				} else {
					snprintf(tried + n, sizeof(tried) - n, "%sdebuginfod (%s): "
						 "%s", n ? "; " : "", urls, c ?
						 strerror(-fd) : "cannot start a client");
				}
			} else {
				snprintf(tried + n, sizeof(tried) - n, "%sdebuginfod: "
					 "DEBUGINFOD_URLS is not set", n ? "; " : "");
			}
		}
	}
	return tce_set_err(d, TCE_ENOENT, "no vmlinux with DWARF for %s found (tried: %s); "
			   "on Debian install linux-image-%s-dbg, or name the file with "
			   "--vmlinux", rel ? rel : "this kernel", tried[0] ? tried :
			   "nothing", rel ? rel : "REL");
found_rel:
	if (ret < 0)
		return ret;
	snprintf(how, howlen, "debug tree by release");
	return 0;
}
