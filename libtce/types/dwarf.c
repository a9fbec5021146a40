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
 * Types are found through a hash index of the named top-level structures, unions,
 * enums and typedefs, built unit by unit as far as the lookups need (a Debian
 * vmlinux-dbg has thousands of units and 269 MB of DWARF; the types the walkers name are
 * defined in the first few hundred, and a type no string of the file names, such as a
 * module's asked of vmlinux first, is answered without a walk); the first unit defining
 * a type answers for it, as a full index sorted by offset would.  Symbols are found by
 * a hash of their names.
 */
#include "config.h"

#include <dwarf.h>
#include <elfutils/debuginfod.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <dirent.h>
#include <dlfcn.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "types/types.h"

#define BUILD_ID_MAX 64
/* names looked for in the file's bytes (each a pass over its .debug_info) before the
 * rest of the units is indexed instead */
#define DW_ABSENT_MAX 8

/* a named type: what tag, and where its first defining DIE is (a slot of the index's
 * hash table; name NULL: free) */
struct dw_type {
	const char *name;
	Dwarf_Off off;
	uint32_t hash;
	int kind;                     /* DW_TAG_structure_type, _union_type, _enumeration_type,
					 _typedef */
};

struct dw_half;

struct dw_prov {
	struct ty_provider p;
	int fd;
	Elf *elf;
	Dwarf *dw;
	bool module;                  /* a module's .ko, its DWARF relocated here */
	int64_t reloc;
	struct ty_sym *syms;          /* the symbol table (tce_ty_syms_index()) */
	size_t nsyms;
	/* the type index: (name, kind) -> the lowest offset of a DIE defining it, filled
	 * unit by unit as lookups need (types.c asks for a few dozen types; most are
	 * defined in the first units, so most of a vmlinux's DWARF is never walked) */
	struct dw_type *types;        /* open addressing, tcap a power of two */
	size_t ntypes, tcap;
	Dwarf_Off next_cu;            /* the first unit not indexed yet */
	bool indexed;                 /* every unit is */
	struct dw_half *half;         /* a second thread indexing every other unit */
	bool half_tried;
	/* names no DIE of the file can have (name_absent()), so that asking for a type
	 * another file defines (a module's, asked of vmlinux first) walks no unit */
	char *absent[DW_ABSENT_MAX];
	unsigned nabsent, nsearched;
	/* types whose home unit defines them (dw_home()): answered before the index */
	struct dw_type homes[TY_HOMES];   /* one a type types.c homes, at most */
	unsigned nhomes;
};


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
 * Is the ELF file elf a ppc64 object of the dump's byte order (a relocatable one for a
 * module) whose build id is want (wlen bytes; wlen 0: not checked)?  0, or
 * -TCE_EINVAL with one line saying why not (path names the file, whose what it is).
 */
static int check_file(struct tce_dump *d, Elf *elf, const char *path, bool module,
		      const unsigned char *want, size_t wlen, const char *whose)
{
	char whex[2 * BUILD_ID_MAX + 1], ghex[2 * BUILD_ID_MAX + 1];
	const char *kind = module ? "kernel module" : "kernel";
	const void *got = NULL;
	ssize_t glen;
	GElf_Ehdr eh;

	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh))
		return tce_set_err(d, TCE_EINVAL, "%s: not an ELF file", path);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_PPC64)
		return tce_set_err(d, TCE_EINVAL, "%s: not a ppc64 %s (ELF machine %u)",
				   path, kind, (unsigned)eh.e_machine);
	if (module && eh.e_type != ET_REL)
		return tce_set_err(d, TCE_EINVAL, "%s: not a kernel module (ELF type %u, not "
				   "a relocatable object)", path, (unsigned)eh.e_type);
	if ((eh.e_ident[EI_DATA] == ELFDATA2MSB) != (tce_dump_byteorder(d) == TCE_BE))
		return tce_set_err(d, TCE_EINVAL, "%s: a %s-endian %s, the dump is %s-endian",
				   path, eh.e_ident[EI_DATA] == ELFDATA2MSB ? "big" : "little",
				   kind, tce_dump_byteorder(d) == TCE_BE ? "big" : "little");
	if (!wlen)
		return 0;
	glen = dwelf_elf_gnu_build_id(elf, &got);
	if (glen <= 0)
		return tce_set_err(d, TCE_EINVAL, "%s has no GNU build id: it cannot be "
				   "matched with the dump", path);
	if ((size_t)glen != wlen || memcmp(got, want, wlen)) {
		hex_id(want, wlen, whex, sizeof(whex));
		hex_id(got, (size_t)glen, ghex, sizeof(ghex));
		return tce_set_err(d, TCE_EINVAL, "%s is another build (build id %s; the "
				   "dump's %s is %s)", path, ghex, whose, whex);
	}
	return 0;
}

/* Is elf a ppc64 kernel whose build id is the dump's BUILD-ID? */
static int check_elf(struct tce_dump *d, Elf *elf, const char *path)
{
	unsigned char want[BUILD_ID_MAX];
	size_t wlen = 0;
	int ret = check_file(d, elf, path, false, NULL, 0, NULL);

	if (ret)
		return ret;
	if (tce_ty_build_id(d, want, sizeof(want), &wlen))
		return tce_prepend_err(d, TCE_EINVAL, "%s cannot be matched with the dump",
				       path);
	return check_file(d, elf, path, false, want, wlen, "kernel");
}

/* Opens path as ELF for reading: 0 with *fd and *elf, or an error naming the file. */
static int open_elf(struct tce_dump *d, const char *path, Elf_Cmd cmd, int *fd, Elf **elf)
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
	*elf = elf_begin(*fd, cmd, NULL);
	if (!*elf) {
		close(*fd);
		return tce_set_err(d, TCE_EINVAL, "%s: %s", path, elf_errmsg(-1));
	}
	return 0;
}

/* ------------------------------------------------------------ symbols */

static int index_symbols(struct dw_prov *w, size_t n);

/*
 * The string table of section ndx as one block whose last byte is a NUL, so that any
 * offset below *size names a whole string (what elf_strptr() checks at each call, a
 * fifth of reading a vmlinux's symbols); NULL when it is not that (then elf_strptr()
 * answers)
 */
static const char *strtab_block(Elf *elf, size_t ndx, size_t *size)
{
	Elf_Scn *scn = elf_getscn(elf, ndx);
	Elf_Data *data;
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_STRTAB ||
	    (sh.sh_flags & SHF_COMPRESSED))
		return NULL;
	data = elf_getdata(scn, NULL);
	if (!data || !data->d_buf || !data->d_size || elf_getdata(scn, data) ||
	    ((const char *)data->d_buf)[data->d_size - 1])
		return NULL;
	*size = data->d_size;
	return data->d_buf;
}

/* Symbol st_name's name: from strs (strtab_block()) when there is one */
static const char *sym_name(Elf *elf, size_t ndx, const char *strs, size_t nstrs,
			    size_t st_name)
{
	if (!strs)
		return elf_strptr(elf, ndx, st_name);
	return st_name < nstrs ? strs + st_name : NULL;
}

static int read_symbols(struct dw_prov *w)
{
	Elf_Scn *scn = NULL;
	size_t i, n = 0;

	while ((scn = elf_nextscn(w->elf, scn)) != NULL) {
		const unsigned char *sym64 = NULL;
		const char *strs;
		size_t nstrs = 0;
		GElf_Shdr sh;
		Elf_Data *data;
		size_t cnt;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !gelf_fsize(w->elf, ELF_T_SYM, 1, EV_CURRENT))
			continue;
		/* what the section holds, not what its sh_entsize claims (1 would have
		 * made an array 24 times the file's size) */
		cnt = data->d_size / gelf_fsize(w->elf, ELF_T_SYM, 1, EV_CURRENT);
		w->syms = tce_big_alloc(cnt * sizeof(*w->syms));
		if (!w->syms)
			return tce_set_err(w->p.d, TCE_ENOMEM, "%zu symbols: out of memory", cnt);
		/* a 64-bit file's symbols as libelf gives them, in this machine's byte
		 * order, read in place (gelf_getsym() copies each through a call) */
		if (gelf_getclass(w->elf) == ELFCLASS64 && data->d_type == ELF_T_SYM && data->d_buf)
			sym64 = data->d_buf;
		strs = strtab_block(w->elf, sh.sh_link, &nstrs);
		for (i = 0; i < cnt; i++) {
			GElf_Sym s;
			const char *name;

			if (sym64)
				memcpy(&s, sym64 + i * sizeof(s), sizeof(s));
			else if (!gelf_getsym(data, (int)i, &s))
				continue;
			if (s.st_shndx == SHN_UNDEF || GELF_ST_TYPE(s.st_info) == STT_SECTION ||
			    GELF_ST_TYPE(s.st_info) == STT_FILE)
				continue;
			name = sym_name(w->elf, sh.sh_link, strs, nstrs, s.st_name);
			if (!name || !*name)
				continue;
			w->syms[n].name = name;
			w->syms[n].addr = s.st_value;
			n++;
		}
		break;
	}
	return index_symbols(w, n);
}

/* The first n of w->syms, the file's symbols, made its symbol table.  The same name
 * at two addresses (two static variables) is ambiguous, and answered by no address. */
static int index_symbols(struct dw_prov *w, size_t n)
{
	if (tce_ty_syms_index(&w->syms, &n))
		return tce_set_err(w->p.d, TCE_ENOMEM, "%zu symbols: out of memory", n);
	w->nsyms = n;
	w->p.nsymbols = n;
	return 0;
}

static const struct ty_sym *find_sym(const struct dw_prov *w, const char *name)
{
	return tce_ty_syms_find(w->syms, w->nsyms, name);
}

static int dw_symbol(struct ty_provider *p, const char *name, uint64_t *addr)
{
	struct dw_prov *w = (struct dw_prov *)p;
	const struct ty_sym *s = find_sym(w, name);

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

static struct dw_type *type_slot(const struct dw_prov *w, const char *name, int kind,
				 uint32_t h)
{
	size_t mask = w->tcap - 1, i;

	for (i = h & mask;; i = (i + 1) & mask) {
		struct dw_type *t = &w->types[i];

		if (!t->name || (t->hash == h && t->kind == kind &&
				 (t->name == name || !strcmp(t->name, name))))
			return t;
	}
}

static int type_grow(struct dw_prov *w)
{
	size_t nc = w->tcap ? w->tcap * 2 : 16384, i;
	struct dw_type *old = w->types, *t = calloc(nc, sizeof(*t));

	if (!t)
		return tce_set_err(w->p.d, TCE_ENOMEM, "type index: out of memory");
	w->types = t;
	w->tcap = nc;
	for (i = 0; i < nc / 2; i++)
		if (old && old[i].name)
			*type_slot(w, old[i].name, old[i].kind, old[i].hash) = old[i];
	free(old);
	return 0;
}

/* A named top-level type DIE of a unit, to the index or to the second thread's list */
typedef int found_fn(void *data, const char *name, int tag, Dwarf_Off off);

/* The top-level type DIEs of the unit cu to fn, until it returns other than 0; their
 * children are skipped */
static int scan_cu(Dwarf_Die *cu, found_fn *fn, void *data)
{
	Dwarf_Die die;
	int ret;

	if (dwarf_child(cu, &die) != 0)
		return 0;
	do {
		int tag = dwarf_tag(&die);
		const char *name;

		if (!is_type_tag(tag) || dwarf_hasattr(&die, DW_AT_declaration))
			continue;
		name = dwarf_diename(&die);
		if (name && (ret = fn(data, name, tag, dwarf_dieoffset(&die))) != 0)
			return ret;
	} while (dwarf_siblingof(&die, &die) == 0);
	return 0;
}

/* scan_cu() of the unit at off, hsize its header's size */
static int scan_unit(Dwarf *dw, Dwarf_Off off, size_t hsize, found_fn *fn, void *data)
{
	Dwarf_Die cu;

	return dwarf_offdie(dw, off + hsize, &cu) ? scan_cu(&cu, fn, data) : 0;
}

/* Into the index unless a DIE of the same (name, kind) is there: the lowest offset */
static int index_type(void *data, const char *name, int tag, Dwarf_Off off)
{
	struct dw_prov *w = data;
	struct dw_type *t;
	uint32_t h;

	if (2 * (w->ntypes + 1) > w->tcap && type_grow(w))
		return -TCE_ENOMEM;
	h = tce_ty_name_hash(name, (uint32_t)tag);
	t = type_slot(w, name, tag, h);
	if (t->name)
		return 0;
	t->name = name;
	t->hash = h;
	t->kind = tag;
	t->off = off;
	w->ntypes++;
	return 0;
}

/*
 * A vmlinux's index walks hundreds of units for one type defined late (6.1's struct
 * module_sect_attrs is kernel/module/sysfs.c's: 388 units of Debian's vmlinux, a third
 * of a check of a small dump).  Where tce_second_thread() allows, a second thread
 * with a Dwarf of its own on the same file indexes every other unit into a list, which
 * joins the index after the unit before it: the index still holds every unit up to one,
 * each type at its lowest offset.  Its names point into its own Dwarf, which lives as
 * long as the index.
 */
struct dw_found {
	const char *name;
	int tag;
	Dwarf_Off off;
};

struct dw_half {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	Elf *elf;
	Dwarf *dw;
	Dwarf_Off unit;               /* the unit to index ... */
	size_t hsize;
	bool work, quit;              /* ... when work (under mu) */
	struct dw_found *v;           /* what it found */
	size_t n, cap;
	int ret;                      /* 0, or -TCE_ENOMEM: the unit is indexed again */
};

static int half_found(void *data, const char *name, int tag, Dwarf_Off off)
{
	struct dw_half *h = data;

	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 1024;
		struct dw_found *v = realloc(h->v, cap * sizeof(*v));

		if (!v)
			return -TCE_ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n++] = (struct dw_found){ name, tag, off };
	return 0;
}

static void *half_main(void *data)
{
	struct dw_half *h = data;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->work && !h->quit)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->quit)
			break;
		pthread_mutex_unlock(&h->mu);
		h->n = 0;
		h->ret = scan_unit(h->dw, h->unit, h->hsize, half_found, h);
		pthread_mutex_lock(&h->mu);
		h->work = false;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static void half_free(struct dw_half *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->mu);
	h->quit = true;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->th, NULL);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	dwarf_end(h->dw);
	elf_end(h->elf);
	free(h->v);
	free(h);
}

/* indexes of files this big take a second thread */
#define HALF_MIN (16u << 20)

/* The second thread, for a vmlinux (not a module's relocated DWARF) big enough; NULL
 * when there is none */
static struct dw_half *half_start(struct dw_prov *w)
{
	struct dw_half *h;
	struct stat st;

	if (w->module || w->fd < 0 || fstat(w->fd, &st) ||
	    !tce_second_thread((uint64_t)st.st_size, HALF_MIN))
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	/* the same file through an Elf and a Dwarf of its own */
	h->elf = elf_begin(w->fd, ELF_C_READ_MMAP, NULL);
	if (!h->elf)
		goto free_h;
	h->dw = dwarf_begin_elf(h->elf, DWARF_C_READ, NULL);
	if (!h->dw)
		goto end_elf;
	if (pthread_mutex_init(&h->mu, NULL))
		goto end_dwarf;
	if (pthread_cond_init(&h->cv, NULL))
		goto destroy_mu;
	if (!pthread_create(&h->th, NULL, half_main, h))
		return h;
	pthread_cond_destroy(&h->cv);
destroy_mu:
	pthread_mutex_destroy(&h->mu);
end_dwarf:
	dwarf_end(h->dw);
end_elf:
	elf_end(h->elf);
free_h:
	free(h);
	return NULL;
}

/*
 * Indexes the top-level types of the next unit, and of the one after it in the second
 * thread when there is one; units are taken in the order of their offsets, so the
 * index answers the lowest offset whatever has been indexed.
 */
static int index_next_unit(struct dw_prov *w)
{
	Dwarf_Off off = w->next_cu, next, next2;
	size_t hsize, hsize2;
	struct dw_half *h;
	int ret;
	size_t i;

	if (dwarf_nextcu(w->dw, off, &next, &hsize, NULL, NULL, NULL) != 0) {
		w->indexed = true;
		return 0;
	}
	if (!w->half_tried) {
		w->half_tried = true;
		w->half = half_start(w);
	}
	h = w->half;
	if (!h || dwarf_nextcu(w->dw, next, &next2, &hsize2, NULL, NULL, NULL) != 0) {
		w->next_cu = next;
		return scan_unit(w->dw, off, hsize, index_type, w);
	}
	pthread_mutex_lock(&h->mu);
	h->unit = next;
	h->hsize = hsize2;
	h->work = true;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	ret = scan_unit(w->dw, off, hsize, index_type, w);
	pthread_mutex_lock(&h->mu);
	while (h->work)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
	if (ret)
		return ret;
	w->next_cu = next2;
	if (h->ret)                   /* its list could not grow: the unit here */
		return scan_unit(w->dw, next, hsize2, index_type, w);
	for (i = 0; i < h->n; i++) {
		ret = index_type(w, h->v[i].name, h->v[i].tag, h->v[i].off);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Can no DIE of the file be named name?  A DIE's name is a string of .debug_str or
 * .debug_line_str (DW_FORM_strp, _strx, _line_strp), or written in the unit itself
 * (DW_FORM_string), possibly of another DIE (DW_AT_specification, _abstract_origin):
 * when the name and its NUL are in none of those sections' bytes, no unit defines it,
 * and the units need not be walked to say so.  A file whose names may lie elsewhere
 * (a dwz file, .debug_sup) or whose sections are compressed is never said to lack one.
 */
static bool name_absent(struct dw_prov *w, const char *name)
{
	/* the string sections first: a name they hold ends the search at once */
	static const char *const where[] = { ".debug_str", ".debug_line_str", ".debug_info",
					     ".debug_types" };
	Elf *elf = dwarf_getelf(w->dw);
	Elf_Scn *scn[4] = { NULL };
	size_t shstrndx, len = strlen(name) + 1;
	Elf_Scn *s = NULL;
	unsigned i;

	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		return false;
	while ((s = elf_nextscn(elf, s)) != NULL) {
		GElf_Shdr sh;
		const char *sn;

		if (!gelf_getshdr(s, &sh) || !(sn = elf_strptr(elf, shstrndx, sh.sh_name)))
			return false;
		if (!strcmp(sn, ".gnu_debugaltlink") || !strcmp(sn, ".debug_sup") ||
		    !strncmp(sn, ".zdebug", 7))
			return false;
		for (i = 0; i < 4; i++)
			if (!strcmp(sn, where[i]) && sh.sh_type != SHT_NOBITS) {
				if (sh.sh_flags & SHF_COMPRESSED)
					return false;
				scn[i] = s;
			}
	}
	for (i = 0; i < 4; i++) {
		Elf_Data *data = scn[i] ? elf_getdata(scn[i], NULL) : NULL;

		if (!data)
			continue;
		if (elf_getdata(scn[i], data) || (data->d_size && !data->d_buf))
			return false;
		/* a name no unit has is searched through all of .debug_info (158 MB in
		 * Debian's 6.1 vmlinux: two such names took 30% of a check of a small
		 * dump, in one thread) */
		if (tce_holds(data->d_buf, data->d_size, name, len))
			return false;
	}
	return true;
}

/* Is name known to be no DIE's?  Asks name_absent() for the first few names the index
 * does not hold, and remembers its answers. */
static bool known_absent(struct dw_prov *w, const char *name)
{
	unsigned i;

	for (i = 0; i < w->nabsent; i++)
		if (!strcmp(w->absent[i], name))
			return true;
	if (w->nsearched == DW_ABSENT_MAX)
		return false;
	w->nsearched++;
	if (!name_absent(w, name))
		return false;
	w->absent[w->nabsent] = strdup(name);
	if (w->absent[w->nabsent])
		w->nabsent++;
	return true;
}

/* "struct X", "union X", "enum X" or typedef X: its tag, *name X */
static int type_kind(const char *type, const char **name)
{
	if (!strncmp(type, "struct ", 7)) {
		*name = type + 7;
		return DW_TAG_structure_type;
	}
	if (!strncmp(type, "union ", 6)) {
		*name = type + 6;
		return DW_TAG_union_type;
	}
	if (!strncmp(type, "enum ", 5)) {
		*name = type + 5;
		return DW_TAG_enumeration_type;
	}
	*name = type;
	return DW_TAG_typedef;
}

static const struct dw_type *home_of(const struct dw_prov *w, const char *name, int kind)
{
	unsigned i;

	for (i = 0; i < w->nhomes; i++)
		if (w->homes[i].kind == kind && !strcmp(w->homes[i].name, name))
			return &w->homes[i];
	return NULL;
}

/* The DIE of "struct X", "union X", "enum X" or typedef X. */
static int find_type(struct dw_prov *w, const char *type, Dwarf_Die *out)
{
	const char *name;
	int kind = type_kind(type, &name), ret;
	const struct dw_type *t = home_of(w, name, kind);
	bool searched;
	uint32_t h;

	h = tce_ty_name_hash(name, (uint32_t)kind);
	for (searched = false; !t; searched = true) {
		if (w->tcap) {
			t = type_slot(w, name, kind, h);
			if (t->name)
				break;
			t = NULL;
		}
		if (w->indexed || (!searched && known_absent(w, name)))
			return -TCE_ENOENT;
		ret = index_next_unit(w);
		if (ret)
			return ret;
	}
	if (!dwarf_offdie(w->dw, t->off, out))
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

		if (dwarf_tag(&t) != DW_TAG_structure_type &&
		    dwarf_tag(&t) != DW_TAG_union_type) {
			p->type_known = true;
			return tce_set_err(p->d, TCE_ENOENT, "%s: %s.%.*s: not a structure or "
					   "union there", p->what, type, (int)(c - path + len),
					   path);
		}
		if (find_member(&t, c, len, &mem, &off, 0)) {
			p->type_known = true;
			return tce_set_err(p->d, TCE_ENOENT, "%s: %s has no member %.*s",
					   p->what, type, (int)(c - path + len), path);
		}
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

/* home_found()'s question: the top-level DIE defining (name, kind) */
struct home_want {
	const char *name;
	int kind;
	Dwarf_Off off;
};

static int home_found(void *data, const char *name, int tag, Dwarf_Off off)
{
	struct home_want *h = data;

	if (tag != h->kind || strcmp(name, h->name))
		return 0;
	h->off = off;
	return 1;
}

/* The section of elf named name (its header in *sh), or NULL */
static Elf_Scn *section_named(Elf *elf, const char *name, GElf_Shdr *sh)
{
	size_t shstrndx;
	Elf_Scn *s = NULL;
	const char *sn;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((s = elf_nextscn(elf, s)) != NULL)
		if (gelf_getshdr(s, sh) && (sn = elf_strptr(elf, shstrndx, sh->sh_name)) &&
		    !strcmp(sn, name))
			return s;
	return NULL;
}

/* ELF v1 (big-endian ppc64): the code of the function whose descriptor is at addr in
 * .opd (its first doubleword); false when addr is in no .opd */
static bool opd_entry(Elf *elf, uint64_t addr, uint64_t *entry)
{
	Elf_Data *data;
	GElf_Shdr sh;
	GElf_Ehdr eh;
	Elf_Scn *s;

	if (!gelf_getehdr(elf, &eh) || !(s = section_named(elf, ".opd", &sh)) ||
	    sh.sh_type != SHT_PROGBITS || sh.sh_size < 8 || addr < sh.sh_addr ||
	    addr - sh.sh_addr > sh.sh_size - 8)
		return false;
	data = elf_rawdata(s, NULL);
	if (!data || !data->d_buf || data->d_size != sh.sh_size)
		return false;
	*entry = tce_bo64((const unsigned char *)data->d_buf + (addr - sh.sh_addr),
			  eh.e_ident[EI_DATA] == ELFDATA2MSB ? TCE_BE : TCE_LE);
	return true;
}

/*
 * The unit whose address ranges hold addr, as .debug_aranges says: 1 with its DIE in
 * *cu, 0 when no set of it does, -1 when the file has no such section or it does not
 * parse (then libdw's dwarf_addrdie() answers).  Read here because libdw's
 * dwarf_getaranges() also reads the header of every unit a set names: 3000 pages
 * spread over 158 MB of Debian's 6.1 vmlinux, a third of a check's page faults.
 */
static int aranges_unit(struct dw_prov *w, uint64_t addr, Dwarf_Die *cu)
{
	enum tce_byteorder bo;
	const unsigned char *b;
	Elf_Data *data;
	GElf_Shdr sh;
	GElf_Ehdr eh;
	Elf_Scn *s;
	size_t pos = 0, size;

	if (!gelf_getehdr(w->elf, &eh) || !(s = section_named(w->elf, ".debug_aranges", &sh)) ||
	    sh.sh_type != SHT_PROGBITS || (sh.sh_flags & SHF_COMPRESSED))
		return -1;
	data = elf_rawdata(s, NULL);
	if (!data || !data->d_buf || data->d_size != sh.sh_size)
		return -1;
	b = data->d_buf;
	size = data->d_size;
	bo = eh.e_ident[EI_DATA] == ELFDATA2MSB ? TCE_BE : TCE_LE;
	while (size - pos >= 4) {
		uint64_t len = tce_bo32(b + pos, bo), info, end, t;
		size_t hdr = 4, osz = 4, asz, tup, hsize;
		Dwarf_Off next;

		if (len == 0xffffffffu) {
			if (size - pos < 12)
				return -1;
			len = tce_bo64(b + pos + 4, bo);
			hdr = 12;
			osz = 8;
		}
		if (len > size - pos - hdr || len < 2 + osz + 2)
			return -1;
		end = pos + hdr + len;
		info = osz == 8 ? tce_bo64(b + pos + hdr + 2, bo) : tce_bo32(b + pos + hdr + 2, bo);
		asz = b[pos + hdr + 2 + osz];
		/* tuples start at a multiple of their size from the set's start */
		tup = hdr + 2 + osz + 2;
		if (asz == 8 && !b[pos + hdr + 3 + osz]) {
			tup = (tup + 15) / 16 * 16;
			for (t = pos + tup; t + 16 <= end; t += 16) {
				uint64_t a = tce_bo64(b + t, bo), l = tce_bo64(b + t + 8, bo);

				if (!a && !l)
					break;
				if (addr - a >= l)
					continue;
				if (dwarf_next_unit(w->dw, info, &next, &hsize, NULL, NULL, NULL,
						    NULL, NULL, NULL) ||
				    !dwarf_offdie(w->dw, info + hsize, cu))
					return 0;
				return 1;
			}
		}
		pos = end;
	}
	return 0;
}

/* The unit whose code holds addr: 1 with its DIE in *cu, else 0 */
static int unit_die(struct dw_prov *w, uint64_t addr, Dwarf_Die *cu)
{
	int ret = aranges_unit(w, addr, cu);

	if (ret < 0)
		ret = dwarf_addrdie(w->dw, addr, cu) != NULL;
	return ret;
}

/*
 * The ty_ops home: 0 when the file has the function symbol, and then, if the unit of
 * its code defines type, that definition answers for type from now on, before the
 * index (a type one .c file defines is found without indexing the units before it:
 * 6.1's struct module_sect_attrs is kernel/module/sysfs.c's, 388 units into Debian's
 * vmlinux; 6.12's struct iommu_group, drivers/iommu/iommu.c's, two thirds into its
 * DWARF).  -TCE_ENOENT when the file has no such symbol.  A module's units are few:
 * its index answers.  A unit that does not define type changes nothing.
 */
static int dw_home(struct ty_provider *p, const char *type, const char *symbol)
{
	struct dw_prov *w = (struct dw_prov *)p;
	const struct ty_sym *s = find_sym(w, symbol), *code;
	struct home_want want = { .off = 0 };
	uint64_t entry;
	char dot[128];
	Dwarf_Die cu;

	if (!s)
		return -TCE_ENOENT;
	want.kind = type_kind(type, &want.name);
	if (w->module || w->nhomes == TY_HOMES || home_of(w, want.name, want.kind))
		return 0;
	/* ELF v1 (big-endian): the symbol is a function descriptor; the kernel's
	 * .symbol is its code, else the descriptor says where that is */
	code = snprintf(dot, sizeof(dot), ".%s", symbol) < (int)sizeof(dot) ?
	       find_sym(w, dot) : NULL;
	if (!code)
		code = s;
	if (code->ambiguous)
		return 0;
	if (!unit_die(w, code->addr, &cu) &&
	    (!opd_entry(w->elf, code->addr, &entry) || !unit_die(w, entry, &cu)))
		return 0;
	if (scan_cu(&cu, home_found, &want) != 1)
		return 0;
	w->homes[w->nhomes] = (struct dw_type){
		.name = strdup(want.name), .kind = want.kind, .off = want.off,
	};
	if (!w->homes[w->nhomes].name)
		return tce_set_err(p->d, TCE_ENOMEM, "%s: out of memory", p->what);
	w->nhomes++;
	return 0;
}

static void dw_free(struct ty_provider *p)
{
	struct dw_prov *w = (struct dw_prov *)p;
	unsigned i;

	half_free(w->half);
	if (w->dw)
		dwarf_end(w->dw);
	if (w->elf)
		elf_end(w->elf);
	if (w->fd >= 0)
		close(w->fd);
	free(w->syms);
	free(w->types);
	for (i = 0; i < w->nabsent; i++)
		free(w->absent[i]);
	for (i = 0; i < w->nhomes; i++)
		free((char *)w->homes[i].name);
	free(w);
}

static const struct ty_ops dw_ops = {
	.name = "dwarf",
	.symbol = dw_symbol,
	.size = dw_size,
	.member = dw_member,
	.home = dw_home,
	.free = dw_free,
};

int tce_ty_dwarf_open(struct tce_dump *d, const char *path, struct ty_provider **out)
{
	struct dw_prov *w = calloc(1, sizeof(*w));
	uint64_t dstext;
	const struct ty_sym *s;
	int ret;

	if (!w)
		return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", path);
	w->p.ops = &dw_ops;
	w->p.d = d;
	w->fd = -1;
	snprintf(w->p.what, sizeof(w->p.what), "DWARF of %s", path);
	ret = open_elf(d, path, ELF_C_READ_MMAP, &w->fd, &w->elf);
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
	ret = open_elf(d, path, ELF_C_READ_MMAP, &fd, &elf);
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
/*
 * libdebuginfod, loaded at its first use rather than linked: with it come libcurl and
 * its TLS, Kerberos and LDAP libraries, whose loading cost every run of every command
 * about 5 ms (for a check of a 16M-entry dump, 2%), and only a lookup on a server needs
 * them.  difd_find(): debuginfod_find_debuginfo()'s answer, or -ENOSYS with *why set
 * when the library cannot be loaded or started.
 */
static struct {
	pthread_once_t once;
	debuginfod_client *(*begin)(void);
	int (*find)(debuginfod_client *c, const unsigned char *id, int len, char **path);
	void (*end)(debuginfod_client *c);
	char why[160];
} difd = { .once = PTHREAD_ONCE_INIT };

static void difd_load(void)
{
	void *h = dlopen("libdebuginfod.so.1", RTLD_NOW | RTLD_LOCAL);
	const char *err;

	if (!h) {
		err = dlerror();
		snprintf(difd.why, sizeof(difd.why), "cannot load libdebuginfod.so.1: %s",
			 err ? err : "unknown error");
		return;
	}
	*(void **)&difd.begin = dlsym(h, "debuginfod_begin");
	*(void **)&difd.find = dlsym(h, "debuginfod_find_debuginfo");
	*(void **)&difd.end = dlsym(h, "debuginfod_end");
	if (!difd.begin || !difd.find || !difd.end) {
		snprintf(difd.why, sizeof(difd.why), "libdebuginfod.so.1 lacks "
			 "debuginfod_find_debuginfo()");
		difd.begin = NULL;
	}
}

static int difd_find(const unsigned char *id, size_t len, char **path, const char **why)
{
	debuginfod_client *c;
	int fd;

	pthread_once(&difd.once, difd_load);
	if (!difd.begin) {
		*why = difd.why;
		return -ENOSYS;
	}
	c = difd.begin();
	if (!c) {
		*why = "cannot start a client";
		return -ENOSYS;
	}
	fd = difd.find(c, id, (int)len, path);
	difd.end(c);
	*why = fd < 0 ? strerror(-fd) : NULL;
	return fd;
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
				const char *why = NULL;
				char *got = NULL;
				int fd = difd_find(id, idlen, &got, &why);

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
						 "%s", n ? "; " : "", urls, why);
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

/* ------------------------------------------------------------ modules */

/*
 * A module's .ko is a relocatable object: the module loader placed its sections one by
 * one, where the dump's sect_attrs record.  Its symbols are at their section's address
 * plus their value; a section sect_attrs does not list was not loaded (its symbols are
 * left out).  Its DWARF is relocated here, in a private mapping of the file, in the
 * sections a type lookup reads: .debug_info (the offsets of its strings, abbreviations
 * and line table, references between units), and .debug_types and .debug_str_offsets
 * if the module has them.  A relocation's symbol counts at its section's address in
 * the dump (0 for a section not loaded, and for the debug sections, whose offsets are
 * their own), as libdwfl would place it; the addresses in the DWARF are not read (the
 * symbol table answers for symbols, and a module's units are few enough not to need
 * home()).  libdwfl relocated every debug section through a callback a relocation:
 * 450 instructions each, 40% of the instructions of a check of a small dump.  Only
 * the relocations a ppc64 compiler writes into DWARF are known (ADDR64, ADDR32 and
 * their unaligned forms); any other refuses the module's DWARF with a line saying so.
 */
struct modrel {
	struct tce_dump *d;
	const char *path;
	Elf *elf;
	bool msb;                     /* the file is big-endian */
	size_t shnum, shstrndx;
	uint64_t *base;               /* by section index: its address in the dump (as
					 sect_attrs gives it), or 0: not loaded */
	size_t symndx;                /* the symbol table's section (0: none) */
	size_t strndx;                /* its string table's */
	const Elf64_Sym *sym;
	size_t nsym;
	const Elf32_Word *xndx;       /* SHT_SYMTAB_SHNDX, or NULL */
	size_t nxndx;
};

/* Section i's name, or "" */
static const char *scn_name(Elf *elf, size_t shstrndx, const GElf_Shdr *sh)
{
	const char *n = elf_strptr(elf, shstrndx, sh->sh_name);

	return n ? n : "";
}

/* Symbol i's section index (SHN_XINDEX looked up), or SHN_UNDEF when none can be said */
static size_t sym_shndx(const struct modrel *r, size_t i)
{
	size_t x = r->sym[i].st_shndx;

	if (x != SHN_XINDEX)
		return x;
	return r->xndx && i < r->nxndx ? r->xndx[i] : SHN_UNDEF;
}

/* The sections' addresses from sect_attrs, and the symbol table */
static int modrel_sections(struct modrel *r, const struct ty_module *m)
{
	Elf_Scn *scn = NULL;
	unsigned k;

	if (elf_getshdrnum(r->elf, &r->shnum) || elf_getshdrstrndx(r->elf, &r->shstrndx))
		return tce_set_err(r->d, TCE_EINVAL, "%s: %s", r->path, elf_errmsg(-1));
	r->base = calloc(r->shnum ? r->shnum : 1, sizeof(*r->base));
	if (!r->base)
		return tce_set_err(r->d, TCE_ENOMEM, "%s: out of memory", r->path);
	while ((scn = elf_nextscn(r->elf, scn)) != NULL) {
		size_t i = elf_ndxscn(scn);
		Elf_Data *data;
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh) || i >= r->shnum)
			continue;
		name = scn_name(r->elf, r->shstrndx, &sh);
		if (sh.sh_flags & SHF_ALLOC)
			for (k = 0; k < m->nsects; k++)
				if (m->sects[k].addr && !strcmp(m->sects[k].name, name)) {
					r->base[i] = m->sects[k].addr;
					break;
				}
		if (sh.sh_type == SHT_SYMTAB && !r->symndx) {
			data = elf_getdata(scn, NULL);
			if (!data || data->d_type != ELF_T_SYM)
				return tce_set_err(r->d, TCE_EINVAL, "%s: its symbol table cannot "
						   "be read (%s)", r->path, elf_errmsg(-1));
			r->symndx = i;
			r->strndx = sh.sh_link;
			r->sym = data->d_buf;
			r->nsym = data->d_size / sizeof(*r->sym);
		}
	}
	if (!r->symndx)
		return tce_set_err(r->d, TCE_EINVAL, "%s: no symbol table", r->path);
	scn = NULL;
	while ((scn = elf_nextscn(r->elf, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB_SHNDX ||
		    sh.sh_link != r->symndx)
			continue;
		data = elf_getdata(scn, NULL);
		if (data && data->d_type == ELF_T_WORD) {
			r->xndx = data->d_buf;
			r->nxndx = data->d_size / sizeof(*r->xndx);
		}
		break;
	}
	return 0;
}

/* The relocations of rela (a SHT_RELA section) applied to target's bytes */
static int modrel_apply(struct modrel *r, Elf_Scn *rela, const GElf_Shdr *rsh,
			Elf_Scn *target, const char *tname)
{
	Elf_Data *rd, *td;
	GElf_Shdr tsh;
	const Elf64_Rela *rel;
	unsigned char *b;
	size_t i, n;

	if (rsh->sh_link != r->symndx)
		return tce_set_err(r->d, TCE_EINVAL, "%s: the relocations of %s name another "
				   "symbol table", r->path, tname);
	if (!gelf_getshdr(target, &tsh))
		return tce_set_err(r->d, TCE_EINVAL, "%s: %s", r->path, elf_errmsg(-1));
	if ((tsh.sh_flags & SHF_COMPRESSED) && elf_compress(target, 0, 0) < 0)
		return tce_set_err(r->d, TCE_EINVAL, "%s: %s cannot be decompressed (%s)",
				   r->path, tname, elf_errmsg(-1));
	rd = elf_getdata(rela, NULL);
	td = elf_getdata(target, NULL);
	if (!rd || rd->d_type != ELF_T_RELA || !td || !td->d_buf || td->d_type != ELF_T_BYTE)
		return tce_set_err(r->d, TCE_EINVAL, "%s: %s or its relocations cannot be read "
				   "(%s)", r->path, tname, elf_errmsg(-1));
	rel = rd->d_buf;
	n = rd->d_size / sizeof(*rel);
	b = td->d_buf;
	/* kvm.ko's 100K relocations write its private mapping of .debug_info a page at
	 * a time: each page's copy, made at one fault, cost a fault's trap on a virtual
	 * machine (600 of a small dump's 2500 faults) */
	tce_prefault(rel, rd->d_size, false);
	tce_prefault(b, td->d_size, true);
	for (i = 0; i < n; i++) {
		size_t si = ELF64_R_SYM(rel[i].r_info), sx, len;
		unsigned type = (unsigned)ELF64_R_TYPE(rel[i].r_info);
		uint64_t v, off = rel[i].r_offset;

		if (type == R_PPC64_NONE)
			continue;
		if (type == R_PPC64_ADDR64 || type == R_PPC64_UADDR64)
			len = 8;
		else if (type == R_PPC64_ADDR32 || type == R_PPC64_UADDR32)
			len = 4;
		else
			return tce_set_err(r->d, TCE_EINVAL, "%s: relocation type %u in %s, not "
					   "one DWARF uses", r->path, type, tname);
		if (si >= r->nsym || off > td->d_size || td->d_size - off < len)
			return tce_set_err(r->d, TCE_EINVAL, "%s: relocation %zu of %s is out of "
					   "bounds", r->path, i, tname);
		sx = sym_shndx(r, si);
		v = sx == SHN_ABS ? r->sym[si].st_value :
		    sx < r->shnum ? r->base[sx] + r->sym[si].st_value : 0;
		v += (uint64_t)rel[i].r_addend;
		if (len == 4 && v > UINT32_MAX)
			return tce_set_err(r->d, TCE_EINVAL, "%s: relocation %zu of %s overflows "
					   "32 bits", r->path, i, tname);
		if (len == 8) {
			uint64_t x = r->msb ? htobe64(v) : htole64(v);

			memcpy(b + off, &x, 8);
		} else {
			uint32_t x = r->msb ? htobe32((uint32_t)v) : htole32((uint32_t)v);

			memcpy(b + off, &x, 4);
		}
	}
	return 0;
}

/* Relocates the DWARF sections a type lookup reads (above) */
static int modrel_dwarf(struct modrel *r)
{
	static const char *const read[] = {
		".debug_info", ".debug_types", ".debug_str_offsets",
	};
	Elf_Scn *scn = NULL;
	unsigned k;
	int ret;

	while ((scn = elf_nextscn(r->elf, scn)) != NULL) {
		GElf_Shdr sh, tsh;
		Elf_Scn *target;
		const char *tname;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_RELA && sh.sh_type != SHT_REL))
			continue;
		target = elf_getscn(r->elf, sh.sh_info);
		if (!target || !gelf_getshdr(target, &tsh))
			continue;
		tname = scn_name(r->elf, r->shstrndx, &tsh);
		for (k = 0; k < sizeof(read) / sizeof(read[0]); k++)
			if (!strcmp(tname, read[k]))
				break;
		if (k == sizeof(read) / sizeof(read[0]))
			continue;
		if (sh.sh_type == SHT_REL)
			return tce_set_err(r->d, TCE_EINVAL, "%s: %s has SHT_REL relocations, "
					   "which ppc64 does not use", r->path, tname);
		ret = modrel_apply(r, scn, &sh, target, tname);
		if (ret)
			return ret;
	}
	return 0;
}

/* The module's symbols at their sections' addresses; those of sections not loaded left
 * out */
static int mod_symbols(struct dw_prov *w, const struct modrel *r)
{
	size_t i, n = 0, sx, nstrs = 0;
	const char *strs = strtab_block(r->elf, r->strndx, &nstrs);

	w->syms = tce_big_alloc(r->nsym * sizeof(*w->syms));
	if (!w->syms)
		return tce_set_err(w->p.d, TCE_ENOMEM, "%zu symbols: out of memory", r->nsym);
	for (i = 0; i < r->nsym; i++) {
		const Elf64_Sym *s = &r->sym[i];
		const char *name;

		if (ELF64_ST_TYPE(s->st_info) == STT_SECTION ||
		    ELF64_ST_TYPE(s->st_info) == STT_FILE)
			continue;
		sx = sym_shndx(r, i);
		if (sx == SHN_UNDEF || sx >= r->shnum || !r->base[sx])
			continue;
		name = sym_name(r->elf, r->strndx, strs, nstrs, s->st_name);
		if (!name || !*name)
			continue;
		w->syms[n].name = name;
		w->syms[n].addr = r->base[sx] + s->st_value;
		n++;
	}
	return index_symbols(w, n);
}

int tce_ty_dwarf_open_module(struct tce_dump *d, const char *path, const struct ty_module *m,
			     struct ty_provider **out)
{
	struct modrel r = { .d = d, .path = path };
	struct dw_prov *w;
	GElf_Ehdr eh;
	unsigned i;
	int ret;

	w = calloc(1, sizeof(*w));
	if (!w)
		return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", path);
	w->p.ops = &dw_ops;
	w->p.d = d;
	w->module = true;
	snprintf(w->p.what, sizeof(w->p.what), "DWARF of %s", path);
	/* private: the relocations are written into the mapping */
	ret = open_elf(d, path, ELF_C_READ_MMAP_PRIVATE, &w->fd, &w->elf);
	if (ret) {
		w->fd = -1;
		goto out;
	}
	/* checked first: a clear line for a wrong file */
	ret = check_file(d, w->elf, path, true, m->build_id, m->build_id_len, "module");
	if (ret)
		goto out;
	for (i = 0; i < m->nsects && !m->sects[i].addr; i++)
		;
	if (i == m->nsects) {
		ret = tce_set_err(d, TCE_EINVAL, "%s: the dump records no section address of "
				  "module %s", path, m->name);
		goto out;
	}
	r.elf = w->elf;
	r.msb = gelf_getehdr(w->elf, &eh) && eh.e_ident[EI_DATA] == ELFDATA2MSB;
	ret = modrel_sections(&r, m);
	if (!ret)
		ret = modrel_dwarf(&r);
	if (ret)
		goto out;
	w->dw = dwarf_begin_elf(w->elf, DWARF_C_READ, NULL);
	if (!w->dw) {
		ret = tce_set_err(d, TCE_EINVAL, "%s has no DWARF (%s): a stripped module",
				  path, dwarf_errmsg(-1));
		goto out;
	}
	ret = mod_symbols(w, &r);
out:
	free(r.base);
	if (ret) {
		dw_free(&w->p);
		return ret;
	}
	*out = &w->p;
	return 0;
}

/* ------------------------------------------------------------ finding a module's .ko */

/* The debug tree's lib/modules/REL listed once: module name ('-' as '_') -> path */
struct ty_modindex {
	char *names;                  /* "name\0path\0" pairs */
	size_t len, cap, count;
	char why[2200];               /* no listing: why */
};

#define MODINDEX_MAX_FILES 100000
#define MODINDEX_MAX_DEPTH 12

void tce_ty_modindex_free(struct ty_modindex *ix)
{
	if (ix)
		free(ix->names);
	free(ix);
}

/* "kvm-hv.ko" -> "kvm_hv"; false when it is no module file (.ko, .ko.debug) */
static bool module_file_name(const char *file, char *out, size_t cap)
{
	size_t n = strlen(file), i;

	if (n > 9 && !strcmp(file + n - 9, ".ko.debug"))
		n -= 9;
	else if (n > 3 && !strcmp(file + n - 3, ".ko"))
		n -= 3;
	else
		return false;
	if (n >= cap)
		return false;
	for (i = 0; i < n; i++)
		out[i] = file[i] == '-' ? '_' : file[i];
	out[n] = '\0';
	return true;
}

static int index_add(struct ty_modindex *ix, const char *name, const char *path)
{
	size_t need = strlen(name) + strlen(path) + 2;

	if (ix->len + need > ix->cap) {
		size_t nc = (ix->cap ? ix->cap * 2 : 65536) + need;
		char *p = realloc(ix->names, nc);

		if (!p)
			return -TCE_ENOMEM;
		ix->names = p;
		ix->cap = nc;
	}
	memcpy(ix->names + ix->len, name, strlen(name) + 1);
	ix->len += strlen(name) + 1;
	memcpy(ix->names + ix->len, path, strlen(path) + 1);
	ix->len += strlen(path) + 1;
	ix->count++;
	return 0;
}

static int index_dir(struct ty_modindex *ix, const char *dir, int depth)
{
	DIR *dp;
	struct dirent *e;
	int ret = 0;

	if (depth > MODINDEX_MAX_DEPTH)
		return 0;
	dp = opendir(dir);
	if (!dp)
		return 0;
	while (!ret && ix->count < MODINDEX_MAX_FILES && (e = readdir(dp)) != NULL) {
		char path[4096], name[128];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    sizeof(path))
			continue;
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			ret = index_dir(ix, path, depth + 1);
		else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
			 module_file_name(e->d_name, name, sizeof(name)))
			ret = index_add(ix, name, path);
	}
	closedir(dp);
	return ret;
}

static const char *index_find(const struct ty_modindex *ix, const char *name)
{
	size_t off = 0;

	while (off < ix->len) {
		const char *n = ix->names + off, *p = n + strlen(n) + 1;

		if (!strcmp(n, name))
			return p;
		off = (size_t)(p + strlen(p) + 1 - ix->names);
	}
	return NULL;
}

/* Is the file at path m's .ko?  1 yes, 0 no (why appended to tried), <0 error */
static int mod_candidate(struct tce_dump *d, const char *path, const struct ty_module *m,
			 char *tried, size_t len)
{
	size_t n = strlen(tried);
	Elf *elf;
	int fd, ret;

	if (access(path, F_OK) != 0) {
		snprintf(tried + n, len - n, "%s%s (none)", n ? "; " : "", path);
		return 0;
	}
	ret = open_elf(d, path, ELF_C_READ_MMAP, &fd, &elf);
	if (!ret) {
		ret = check_file(d, elf, path, true, m->build_id, m->build_id_len, "module");
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

int tce_ty_dwarf_find_module(struct tce_dump *d, const struct ty_sources *src,
			     struct ty_modindex **index, const struct ty_module *m,
			     char *path, size_t len, char *how, size_t howlen)
{
	const char *root = src->debug_dir ? src->debug_dir : "/usr/lib/debug";
	const char *rel = osrelease(d), *p;
	char hex[2 * BUILD_ID_MAX + 1], tried[1024] = "", name[128];
	struct ty_modindex *ix = *index;
	size_t i;
	int ret;

	for (i = 0; m->name[i] && i + 1 < sizeof(name); i++)
		name[i] = m->name[i] == '-' ? '_' : m->name[i];
	name[i] = '\0';
	if (rel) {
		if (!ix) {
			char dir[2048];

			ix = calloc(1, sizeof(*ix));
			if (!ix)
				return tce_set_err(d, TCE_ENOMEM, "out of memory");
			*index = ix;
			snprintf(dir, sizeof(dir), "%s/lib/modules/%s", root, rel);
			if (index_dir(ix, dir, 0))
				return tce_set_err(d, TCE_ENOMEM, "listing %s: out of memory", dir);
			if (!ix->count)
				snprintf(ix->why, sizeof(ix->why), "%s holds no .ko", dir);
		}
		p = index_find(ix, name);
		if (p) {
			snprintf(path, len, "%s", p);
			ret = mod_candidate(d, path, m, tried, sizeof(tried));
			if (ret < 0)
				return ret;
			if (ret) {
				snprintf(how, howlen, "debug tree by release");
				return 0;
			}
		} else {
			size_t n = strlen(tried);

			snprintf(tried + n, sizeof(tried) - n, "%s%.400s", n ? "; " : "",
				 ix->why[0] ? ix->why : "no .ko of that name in the debug tree");
		}
	}
	if (m->build_id_len) {
		hex_id(m->build_id, m->build_id_len, hex, sizeof(hex));
		snprintf(path, len, "%s/.build-id/%.2s/%s.debug", root, hex, hex + 2);
		ret = mod_candidate(d, path, m, tried, sizeof(tried));
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
				const char *why = NULL;
				char *got = NULL;
				int fd = difd_find(m->build_id, m->build_id_len, &got, &why);

				if (fd >= 0) {
					close(fd);
					snprintf(path, len, "%s", got);
					free(got);
					ret = mod_candidate(d, path, m, tried, sizeof(tried));
					if (ret < 0)
						return ret;
					if (ret) {
						snprintf(how, howlen, "debuginfod");
						return 0;
					}
				} else {
					snprintf(tried + n, sizeof(tried) - n, "%sdebuginfod: %s",
						 n ? "; " : "", why);
				}
			}
		}
	} else {
		size_t n = strlen(tried);

		snprintf(tried + n, sizeof(tried) - n, "%sthe dump holds no build id of it "
			 "(none looked up by id)", n ? "; " : "");
	}
	return tce_set_err(d, TCE_ENOENT, "no .ko with DWARF found (tried: %s)", tried);
}
