// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Loaded modules: the dump's modules list, each module's sections (sect_attrs), build
 * id (its .note.gnu.build-id, found through notes_attrs or sect_attrs) and own kallsyms
 * (mod->kallsyms), and the provider that answers from them: the DWARF of each module's
 * .ko, relocated to where the dump has its sections (dwarf.c), then its
 * kallsyms.  Distribution kernels build KVM as modules, so vm_list, struct kvm and
 * struct kvmppc_spapr_tce_table are known only here.
 *
 * Everything about struct module comes from the providers loaded before (the vmlinux's
 * DWARF, or BTF): which members it has decides the shape (6.1's core_layout and
 * init_layout, 6.12's mem[]), never the kernel's version.  Without its layout nothing
 * of the list can be read, and the note says so.  The list is walked with a bound from
 * the dump's size and a set of the entries seen; every count read from the dump
 * (sections, notes, symbols) is capped by what the module's memory can hold.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/types.h"

/* An ELF file has fewer sections than SHN_LORESERVE; the loader makes an attribute
 * for some of them only. */
#define SECTIONS_MAX 0xff00u
#define NOTES_MAX 1024u
#define NOTE_BYTES_MAX 4096u
#define NT_GNU_BUILD_ID 3
/* an Elf64_Sym: st_name (4), st_info, st_other, st_shndx (2), st_value, st_size (8) */
#define ELF64_SYM_SIZE 24u
#define MOD_SYMS_MAX (1u << 20)
/* KSYM_NAME_LEN */
#define SYM_NAME_MAX 512u
#define SECT_NAME_MAX 128u
#define MODULES_MAX 65536u
/* Sections, notes and symbols of all modules together: a real kernel's hundred or two
 * modules have some hundred thousand; a list of 65536 forged modules of 65280 sections
 * each would otherwise take hours of reads */
#define MODS_READS_MAX (1u << 22)

struct mlayout {
	uint64_t next;                /* list_head.next */
	uint64_t mod_size;            /* struct module; 0 unknown */
	struct ty_member list, name, state, kallsyms, sect_attrs, notes_attrs;
	bool has_state, has_kallsyms, has_sect, has_notes;
	/* memory: 6.1 core_layout and init_layout, 6.12 mem[] of struct module_memory */
	int mem_kind;                 /* 0 none, 1 layouts, 2 mem[] */
	struct ty_member core_base, core_size, init_base, init_size, mem, mm_base, mm_size;
	bool has_init;
	/* struct module_sect_attrs, module_sect_attr */
	struct ty_member sa_n, sa_attrs, sect_name, sect_addr;
	uint64_t sect_size;
	/* struct module_notes_attrs, bin_attribute */
	struct ty_member na_n, na_attrs, ba_name, ba_size, ba_private;
	uint64_t ba_struct;
	/* struct mod_kallsyms */
	struct ty_member mk_symtab, mk_num, mk_strtab, mk_typetab;
	bool has_typetab;
};

struct mods_prov {
	struct ty_provider p;
	struct types *t;
	/* mp_home()'s answers: the module holding a type's home symbol, asked first
	 * (type: types.c's string, which lives as long as the program) */
	struct mod_home {
		const char *type;
		size_t mod;
	} homes[TY_HOMES];
	unsigned nhomes;
};

/* ------------------------------------------------------------ reading */

/* Pointers are 8 bytes on ppc64; a member VMCOREINFO gave has no size. */
static void pointer(struct ty_member *m)
{
	if (!m->size)
		m->size = 8;
}

static int rd(struct tce_dump *d, uint64_t addr, const struct ty_member *m, uint64_t *v)
{
	return tce_types_read_uint(d, addr, m, v);
}

/* A NUL-terminated string of at most cap - 1 bytes at addr, read in pieces that do not
 * cross a 4K boundary (so one that ends before a hole is still read). */
static int rd_str(struct tce_dump *d, uint64_t addr, char *buf, size_t cap)
{
	size_t n = 0;

	while (n + 1 < cap) {
		size_t piece = 4096 - ((addr + n) & 4095), i;
		int ret;

		if (piece > cap - 1 - n)
			piece = cap - 1 - n;
		ret = tce_read(d, TCE_KVADDR, addr + n, buf + n, piece);
		if (ret)
			return ret;
		for (i = 0; i < piece; i++)
			if (!buf[n + i])
				return 0;
		n += piece;
	}
	buf[cap - 1] = '\0';
	return tce_set_err(d, TCE_ECORRUPT, "no string of fewer than %zu bytes at 0x%" PRIx64,
			   cap, addr);
}

/* Appends one clause to a note (the first few only: one line) */
static void note(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 3 >= len)
		return;
	if (n) {
		buf[n++] = ';';
		buf[n++] = ' ';
	}
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ struct module's layout */

static bool opt(struct types *t, const char *type, const char *path, struct ty_member *m)
{
	if (tce_types_member(t, type, path, m) == 0)
		return true;
	tce_clear_err(t->d);
	return false;
}

static uint64_t opt_size(struct types *t, const char *type)
{
	uint64_t s;

	if (tce_types_size(t, type, &s) == 0)
		return s;
	tce_clear_err(t->d);
	return 0;
}

static int layout(struct types *t, struct mlayout *L)
{
	struct ty_member nx;
	int ret;

	memset(L, 0, sizeof(*L));
	ret = tce_types_member(t, "struct list_head", "next", &nx);
	if (!ret)
		ret = tce_types_member(t, "struct module", "list", &L->list);
	if (!ret)
		ret = tce_types_member(t, "struct module", "name", &L->name);
	if (ret)
		return ret;
	L->next = nx.offset;
	L->mod_size = opt_size(t, "struct module");
	L->has_state = opt(t, "struct module", "state", &L->state);
	if (L->has_state && L->state.size != 4)
		L->state.size = 4;   /* an enum: int-sized on ppc64 */
	/* 6.1: core_layout and init_layout; 6.12: mem[MOD_MEM_NUM_TYPES] */
	if (opt(t, "struct module", "core_layout.base", &L->core_base) &&
	    opt(t, "struct module", "core_layout.size", &L->core_size)) {
		L->mem_kind = 1;
		L->has_init = opt(t, "struct module", "init_layout.base", &L->init_base) &&
			      opt(t, "struct module", "init_layout.size", &L->init_size);
	} else if (opt(t, "struct module", "mem", &L->mem) && L->mem.count &&
		   L->mem.elem_size && opt(t, "struct module_memory", "base", &L->mm_base) &&
		   opt(t, "struct module_memory", "size", &L->mm_size)) {
		L->mem_kind = 2;
	}
	L->has_sect = opt(t, "struct module", "sect_attrs", &L->sect_attrs) &&
		      opt(t, "struct module_sect_attrs", "nsections", &L->sa_n) &&
		      opt(t, "struct module_sect_attrs", "attrs", &L->sa_attrs) &&
		      opt(t, "struct module_sect_attr", "battr.attr.name", &L->sect_name) &&
		      opt(t, "struct module_sect_attr", "address", &L->sect_addr) &&
		      (L->sect_size = opt_size(t, "struct module_sect_attr")) != 0;
	L->has_notes = opt(t, "struct module", "notes_attrs", &L->notes_attrs) &&
		       opt(t, "struct module_notes_attrs", "notes", &L->na_n) &&
		       opt(t, "struct module_notes_attrs", "attrs", &L->na_attrs) &&
		       opt(t, "struct bin_attribute", "attr.name", &L->ba_name) &&
		       opt(t, "struct bin_attribute", "size", &L->ba_size) &&
		       opt(t, "struct bin_attribute", "private", &L->ba_private) &&
		       (L->ba_struct = opt_size(t, "struct bin_attribute")) != 0;
	L->has_kallsyms = opt(t, "struct module", "kallsyms", &L->kallsyms) &&
			  opt(t, "struct mod_kallsyms", "symtab", &L->mk_symtab) &&
			  opt(t, "struct mod_kallsyms", "num_symtab", &L->mk_num) &&
			  opt(t, "struct mod_kallsyms", "strtab", &L->mk_strtab);
	if (L->has_kallsyms)
		L->has_typetab = opt(t, "struct mod_kallsyms", "typetab", &L->mk_typetab);
	pointer(&L->list);
	pointer(&L->kallsyms);
	pointer(&L->sect_attrs);
	pointer(&L->notes_attrs);
	pointer(&L->sect_name);
	pointer(&L->ba_name);
	pointer(&L->ba_private);
	pointer(&L->mk_symtab);
	pointer(&L->mk_strtab);
	pointer(&L->mk_typetab);
	tce_clear_err(t->d);
	return 0;
}

/* ------------------------------------------------------------ one module */

static void read_memory(struct types *t, const struct mlayout *L, struct ty_module *m)
{
	struct tce_dump *d = t->d;
	uint64_t b, s;
	unsigned i;

	if (L->mem_kind == 1) {
		if (!rd(d, m->addr, &L->core_base, &b) && !rd(d, m->addr, &L->core_size, &s)) {
			m->mem_base[m->nmem] = b;
			m->mem_size[m->nmem++] = s;
		}
		if (L->has_init && !rd(d, m->addr, &L->init_base, &b) &&
		    !rd(d, m->addr, &L->init_size, &s) && b && s) {
			m->mem_base[m->nmem] = b;
			m->mem_size[m->nmem++] = s;
		}
	} else if (L->mem_kind == 2) {
		for (i = 0; i < L->mem.count && m->nmem < 8; i++) {
			uint64_t e = m->addr + L->mem.offset + i * L->mem.elem_size;

			if (!rd(d, e, &L->mm_base, &b) && !rd(d, e, &L->mm_size, &s) && b && s) {
				m->mem_base[m->nmem] = b;
				m->mem_size[m->nmem++] = s;
			}
		}
	}
	tce_clear_err(d);
}

/* Bytes of the module's memory: what any table it keeps fits in (0: unknown). */
static uint64_t memory_bytes(const struct ty_module *m)
{
	uint64_t total = 0;
	unsigned i;

	for (i = 0; i < m->nmem; i++)
		total += m->mem_size[i];
	return total;
}

static int read_sections(struct types *t, const struct mlayout *L, struct ty_module *m)
{
	struct tce_dump *d = t->d;
	uint64_t sa, n, i;
	int ret;

	if (rd(d, m->addr, &L->sect_attrs, &sa))
		return tce_prepend_err(d, TCE_ENODATA, "its sect_attrs");
	if (!sa)
		return tce_set_err(d, TCE_ENOENT, "no sect_attrs");
	ret = rd(d, sa, &L->sa_n, &n);
	if (ret)
		return tce_prepend_err(d, ret, "its sect_attrs");
	if (n > SECTIONS_MAX)
		return tce_set_err(d, TCE_ECORRUPT, "sect_attrs has %" PRIu64 " sections, more "
				   "than an ELF file can", n);
	if (n > t->mods_budget)
		return tce_set_err(d, TCE_ECORRUPT, "sect_attrs has %" PRIu64 " sections, more "
				   "than the modules before it leave to read (%u sections, notes "
				   "and symbols in all)", n, MODS_READS_MAX);
	t->mods_budget -= n;
	m->sects = calloc(n ? n : 1, sizeof(*m->sects));
	if (!m->sects)
		return tce_set_err(d, TCE_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		uint64_t e = sa + L->sa_attrs.offset + i * L->sect_size, np, addr;
		char name[SECT_NAME_MAX];

		ret = rd(d, e, &L->sect_name, &np);
		if (!ret)
			ret = rd(d, e, &L->sect_addr, &addr);
		if (!ret)
			ret = np ? rd_str(d, np, name, sizeof(name)) :
			      tce_set_err(d, TCE_ECORRUPT, "a NULL name");
		if (ret)
			return tce_prepend_err(d, ret, "section %" PRIu64 " of %" PRIu64 " in "
					       "sect_attrs", i, n);
		m->sects[m->nsects].name = strdup(name);
		if (!m->sects[m->nsects].name)
			return tce_set_err(d, TCE_ENOMEM, "out of memory");
		m->sects[m->nsects++].addr = addr;
	}
	return 0;
}

static uint32_t u32_at(const unsigned char *p, enum tce_byteorder bo)
{
	return tce_bo32(p, bo);
}

/* The GNU build id in a run of ELF notes, in the dump's byte order */
static bool parse_notes(const unsigned char *buf, size_t len, enum tce_byteorder bo,
			unsigned char *id, size_t *idlen)
{
	size_t off = 0;

	while (off + 12 <= len) {
		uint32_t nsz = u32_at(buf + off, bo), dsz = u32_at(buf + off + 4, bo);
		uint32_t type = u32_at(buf + off + 8, bo);
		size_t name = off + 12, desc, next;

		if (nsz > len || dsz > len)
			return false;
		desc = name + ((nsz + 3u) & ~3u);
		next = desc + ((dsz + 3u) & ~3u);
		if (next > len || desc + dsz > len)
			return false;
		if (type == NT_GNU_BUILD_ID && nsz == 4 && !memcmp(buf + name, "GNU", 4) &&
		    dsz >= 8 && dsz <= TY_BUILD_ID_MAX) {
			memcpy(id, buf + desc, dsz);
			*idlen = dsz;
			return true;
		}
		off = next;
	}
	return false;
}

static int read_note_at(struct tce_dump *d, uint64_t addr, uint64_t size,
			struct ty_module *m)
{
	unsigned char buf[NOTE_BYTES_MAX];
	int ret;

	if (!size) {
		/* from sect_attrs, which gives no size: the header says how long */
		unsigned char h[12];
		enum tce_byteorder bo = tce_dump_byteorder(d);

		ret = tce_read(d, TCE_KVADDR, addr, h, sizeof(h));
		if (ret)
			return ret;
		size = 12 + ((u32_at(h, bo) + 3ull) & ~3ull) + ((u32_at(h + 4, bo) + 3ull) & ~3ull);
	}
	if (size > sizeof(buf))
		size = sizeof(buf);
	ret = tce_read(d, TCE_KVADDR, addr, buf, size);
	if (ret)
		return ret;
	if (!parse_notes(buf, size, tce_dump_byteorder(d), m->build_id, &m->build_id_len))
		return tce_set_err(d, TCE_ECORRUPT, "its .note.gnu.build-id at 0x%" PRIx64
				   " holds no GNU build id", addr);
	return 0;
}

static int read_build_id(struct types *t, const struct mlayout *L, struct ty_module *m)
{
	struct tce_dump *d = t->d;
	uint64_t na, n, i;
	unsigned j;
	int ret;

	if (L->has_notes && !rd(d, m->addr, &L->notes_attrs, &na) && na &&
	    !rd(d, na, &L->na_n, &n) && n <= NOTES_MAX && n <= t->mods_budget) {
		t->mods_budget -= n;
		for (i = 0; i < n; i++) {
			uint64_t e = na + L->na_attrs.offset + i * L->ba_struct, np, size, priv;
			char name[SECT_NAME_MAX];

			if (rd(d, e, &L->ba_name, &np) || !np ||
			    rd_str(d, np, name, sizeof(name)))
				break;
			if (strcmp(name, ".note.gnu.build-id"))
				continue;
			if (rd(d, e, &L->ba_size, &size) || rd(d, e, &L->ba_private, &priv))
				break;
			ret = read_note_at(d, priv, size, m);
			if (ret != -TCE_ENODATA && ret != -TCE_ENOXLAT && ret != -TCE_ECORRUPT)
				return ret;
			break;
		}
	}
	tce_clear_err(d);
	for (j = 0; j < m->nsects; j++)
		if (!strcmp(m->sects[j].name, ".note.gnu.build-id"))
			return read_note_at(d, m->sects[j].addr, 0, m);
	return tce_set_err(d, TCE_ENOENT, "no .note.gnu.build-id in notes_attrs or "
			   "sect_attrs");
}

struct msym_build {
	struct ty_msym *syms;
	size_t *off;
	size_t n;
	char *strs;
	size_t len, cap;
};

static int cmp_msym(const void *a, const void *b)
{
	const struct ty_msym *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int read_kallsyms(struct types *t, const struct mlayout *L, struct ty_module *m)
{
	struct tce_dump *d = t->d;
	enum tce_byteorder bo = tce_dump_byteorder(d);
	uint64_t mk, symtab, num, strtab, typetab = 0, total = memory_bytes(m), i;
	unsigned char *tab = NULL, *types = NULL;
	struct msym_build b = { 0 };
	int ret;

	ret = rd(d, m->addr, &L->kallsyms, &mk);
	if (ret)
		return tce_prepend_err(d, ret, "its kallsyms");
	if (!mk)
		return tce_set_err(d, TCE_ENOENT, "no kallsyms (NULL)");
	ret = rd(d, mk, &L->mk_symtab, &symtab);
	if (!ret)
		ret = rd(d, mk, &L->mk_num, &num);
	if (!ret)
		ret = rd(d, mk, &L->mk_strtab, &strtab);
	if (!ret && L->has_typetab)
		ret = rd(d, mk, &L->mk_typetab, &typetab);
	if (ret)
		return tce_prepend_err(d, ret, "its kallsyms");
	/* the table lies in the module's memory: it cannot be larger */
	if (num > MOD_SYMS_MAX || (total && num * ELF64_SYM_SIZE > total))
		return tce_set_err(d, TCE_ECORRUPT, "kallsyms: num_symtab %" PRIu64 " is more "
				   "than the module's %" PRIu64 " bytes of memory can hold", num,
				   total);
	if (num > t->mods_budget)
		return tce_set_err(d, TCE_ECORRUPT, "kallsyms: num_symtab %" PRIu64 " is more "
				   "than the modules before it leave to read (%u sections, notes "
				   "and symbols in all)", num, MODS_READS_MAX);
	t->mods_budget -= num;
	if (!num)
		return 0;
	tab = tce_big_alloc(num * ELF64_SYM_SIZE);
	b.syms = calloc(num, sizeof(*b.syms));
	b.off = calloc(num, sizeof(*b.off));
	if (typetab)
		types = malloc(num);
	if (!tab || !b.syms || !b.off || (typetab && !types)) {
		ret = tce_set_err(d, TCE_ENOMEM, "kallsyms of %" PRIu64 " symbols: out of "
				  "memory", num);
		goto out;
	}
	ret = tce_read(d, TCE_KVADDR, symtab, tab, num * ELF64_SYM_SIZE);
	if (!ret && typetab && tce_read(d, TCE_KVADDR, typetab, types, num)) {
		free(types);    /* the letters only: the symbols stand without them */
		types = NULL;
		tce_clear_err(d);
	}
	if (ret) {
		tce_prepend_err(d, ret, "kallsyms: its symtab of %" PRIu64 " symbols", num);
		goto out;
	}
	for (i = 0; i < num; i++) {
		const unsigned char *s = tab + i * ELF64_SYM_SIZE;
		uint32_t st_name = tce_bo32(s, bo);
		uint16_t shndx = tce_bo16(s + 6, bo);
		uint64_t value = tce_bo64(s + 8, bo);
		char name[SYM_NAME_MAX];
		size_t nl;

		if (!st_name || !shndx || !value)
			continue;
		if (rd_str(d, strtab + st_name, name, sizeof(name)) || !name[0]) {
			tce_clear_err(d);
			continue;
		}
		nl = strlen(name) + 1;
		if (b.len + nl > b.cap) {
			size_t nc = b.cap * 2 + nl + 4096;
			char *p = realloc(b.strs, nc);

			if (!p) {
				ret = tce_set_err(d, TCE_ENOMEM, "kallsyms: out of memory");
				goto out;
			}
			b.strs = p;
			b.cap = nc;
		}
		memcpy(b.strs + b.len, name, nl);
		b.off[b.n] = b.len;
		b.syms[b.n].addr = value;
		b.syms[b.n].type = types ? (char)types[i] : '?';
		b.n++;
		b.len += nl;
	}
	for (i = 0; i < b.n; i++)
		b.syms[i].name = b.strs + b.off[i];
	if (b.n)
		qsort(b.syms, b.n, sizeof(*b.syms), cmp_msym);
	m->syms = b.syms;
	m->nsyms = b.n;
	m->strs = b.strs;
	b.syms = NULL;
	b.strs = NULL;
	ret = 0;
out:
	free(tab);
	free(types);
	free(b.syms);
	free(b.off);
	free(b.strs);
	return ret;
}

static void hex(const unsigned char *id, size_t len, char *out)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < len && i < TY_BUILD_ID_MAX; i++)
		snprintf(out + 2 * i, 3, "%02x", id[i]);
}

/* FNV-1a of a module's name, the key of the set of names met */
static uint64_t name_key(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h ? h : 1;
}

/* Reads what the dump holds of the module at m->addr; what it lacks goes to m->note.
 * 1 when its name is one an earlier module on the list has (names: their keys), and
 * nothing more is read of it: no kernel loads two modules of one name.  Only running
 * out of memory is an error. */
static int read_module(struct types *t, const struct mlayout *L, struct ty_module *m,
		       struct addr_set *names)
{
	struct tce_dump *d = t->d;
	uint64_t st;
	char name[sizeof(m->name)];
	size_t first;
	int ret;

	m->state = -1;
	/* the name and its NUL lie within the member's size */
	if (rd_str(d, m->addr + L->name.offset, name, L->name.size &&
		   L->name.size < sizeof(name) ? L->name.size + 1 : sizeof(name))) {
		snprintf(m->name, sizeof(m->name), "module@0x%" PRIx64, m->addr);
		note(m->note, sizeof(m->note), "its name cannot be read (%s)", tce_errmsg(d));
	} else {
		snprintf(m->name, sizeof(m->name), "%s", name);
		ret = tce_addrset_add(names, name_key(m->name), (size_t)(m - t->mods), &first);
		if (ret < 0)
			return tce_set_err(d, TCE_ENOMEM, "modules: out of memory");
		if (ret && !strcmp(t->mods[first].name, m->name))
			return 1;
	}
	if (L->has_state && !rd(d, m->addr, &L->state, &st))
		m->state = (int)(int32_t)st;
	read_memory(t, L, m);
	if (L->has_sect) {
		ret = read_sections(t, L, m);
		if (ret == -TCE_ENOMEM)
			return ret;
		if (ret)
			note(m->note, sizeof(m->note), "sections: %s", tce_errmsg(d));
	}
	ret = read_build_id(t, L, m);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret)
		note(m->note, sizeof(m->note), "build id: %s", tce_errmsg(d));
	else
		hex(m->build_id, m->build_id_len, m->build_id_hex);
	if (L->has_kallsyms) {
		ret = read_kallsyms(t, L, m);
		if (ret == -TCE_ENOMEM)
			return ret;
		if (ret)
			note(m->note, sizeof(m->note), "%s", tce_errmsg(d));
	}
	tce_clear_err(d);
	return 0;
}

/* ------------------------------------------------------------ the list */

/* The first module on the list named name */
static size_t first_of(const struct types *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nmods && strcmp(t->mods[i].name, name); i++)
		;
	return i;
}

static int walk(struct types *t, const struct mlayout *L, uint64_t head)
{
	struct tce_dump *d = t->d;
	struct ty_member next = { .offset = L->next, .size = 8 };
	uint64_t bound = MODULES_MAX, nx, phys = tce_dump_phys_bytes(d);
	struct addr_set seen = { 0 }, names = { 0 };
	size_t cap = 0, first;
	int ret;

	t->mods_budget = MODS_READS_MAX;

	if (L->mod_size && phys && phys / L->mod_size < bound)
		bound = phys / L->mod_size;
	ret = rd(d, head, &next, &nx);
	if (ret) {
		note(t->mods_note, sizeof(t->mods_note), "the modules list head at 0x%" PRIx64
		     " cannot be read: %s", head, tce_errmsg(d));
		return 0;
	}
	for (;;) {
		struct ty_module *m;

		if (nx == head) {
			t->mods_whole = true;
			break;
		}

		if (!nx) {
			note(t->mods_note, sizeof(t->mods_note), "the modules list ends in a "
			     "NULL link after %zu modules", t->nmods);
			break;
		}
		if (t->nmods >= bound) {
			note(t->mods_note, sizeof(t->mods_note), "the modules list goes on past "
			     "%" PRIu64 " entries, more than the dump's memory can hold: read no "
			     "further", bound);
			break;
		}
		ret = tce_addrset_add(&seen, nx, t->nmods, &first);
		if (ret < 0)
			goto nomem;
		if (ret) {
			/* name both ends of the bad link: which list looped, and where */
			note(t->mods_note, sizeof(t->mods_note), "the modules list loops back: "
			     "module %s links to module %s (0x%" PRIx64 "), met before, not to "
			     "the list's head (a cycle after %zu module%s)",
			     t->mods[t->nmods - 1].name, t->mods[first].name,
			     nx - L->list.offset, t->nmods, t->nmods == 1 ? "" : "s");
			break;
		}
		if (t->nmods == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct ty_module *p = realloc(t->mods, nc * sizeof(*p));

			if (!p)
				goto nomem;
			t->mods = p;
			cap = nc;
		}
		m = &t->mods[t->nmods++];
		memset(m, 0, sizeof(*m));
		m->addr = nx - L->list.offset;
		ret = read_module(t, L, m, &names);
		if (ret < 0)
			goto nomem;
		if (ret) {
			t->nmods--;
			note(t->mods_note, sizeof(t->mods_note), "the modules list names module "
			     "%s twice (at 0x%" PRIx64 " and 0x%" PRIx64 "), which no kernel "
			     "loads: read no further", m->name, t->mods[first_of(t, m->name)].addr,
			     m->addr);
			break;
		}
		if (rd(d, nx, &next, &nx)) {
			note(t->mods_note, sizeof(t->mods_note), "the modules list is cut after "
			     "%s: %s", m->name, tce_errmsg(d));
			break;
		}
	}
	tce_addrset_free(&seen);
	tce_addrset_free(&names);
	tce_clear_err(d);
	return 0;
nomem:
	tce_addrset_free(&seen);
	tce_addrset_free(&names);
	return tce_set_err(d, TCE_ENOMEM, "modules: out of memory");
}

/* ------------------------------------------------------------ the provider */

/* "kvm-hv" and "kvm_hv" name one module */
static bool same_name(const char *a, const char *b, size_t blen)
{
	size_t i;

	for (i = 0; i < blen; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];

		if (!a[i] || x != y)
			return false;
	}
	return !a[blen];
}

static int ksym_find(const struct ty_module *m, const char *name, uint64_t *addr)
{
	struct ty_msym key = { .name = name }, *s;

	s = m->nsyms ? bsearch(&key, m->syms, m->nsyms, sizeof(*m->syms), cmp_msym) : NULL;
	if (!s)
		return -TCE_ENOENT;
	/* a static name met twice in one module: no one answer */
	if ((s > m->syms && !strcmp(s[-1].name, name) && s[-1].addr != s->addr) ||
	    (s + 1 < m->syms + m->nsyms && !strcmp(s[1].name, name) && s[1].addr != s->addr))
		return 1;
	*addr = s->addr;
	return 0;
}

/* Does the module's kallsyms have a variable?  Without CONFIG_KALLSYMS_ALL the loader
 * keeps only the symbols of executable sections once the module's init is done. */
static bool has_data(const struct ty_module *m)
{
	size_t i;

	for (i = 0; i < m->nsyms; i++)
		if (m->syms[i].type != 't' && m->syms[i].type != 'T' &&
		    m->syms[i].type != 'w' && m->syms[i].type != 'W')
			return true;
	return false;
}

/* "vm_list", or "kvm:vm_list" for the one in module kvm */
static int mp_symbol(struct ty_provider *p, const char *name, uint64_t *addr)
{
	struct types *t = ((struct mods_prov *)p)->t;
	const char *colon = strchr(name, ':'), *sym = colon ? colon + 1 : name, *first = NULL;
	uint64_t v, found = 0;
	bool ambiguous = false;
	size_t i;
	int ret;

	for (i = 0; i < t->nmods; i++) {
		struct ty_module *m = &t->mods[i];

		if (colon && !same_name(m->name, name, (size_t)(colon - name)))
			continue;
		ret = -TCE_ENOENT;
		if (m->dwarf) {
			ret = m->dwarf->ops->symbol(m->dwarf, sym, &v);
			if (ret && ret != -TCE_ENOENT)
				return ret;
		}
		if (ret)
			ret = ksym_find(m, sym, &v);
		if (ret == 1)
			ambiguous = true;
		if (ret)
			continue;
		if (first && v != found)
			return tce_set_err(p->d, TCE_ENOENT, "%s is in modules %s and %s at "
					   "different addresses: ask for %s:%s", sym, first,
					   m->name, first, sym);
		first = m->name;
		found = v;
	}
	tce_clear_err(p->d);
	if (first) {
		*addr = found;
		return 0;
	}
	if (ambiguous)
		return tce_set_err(p->d, TCE_ENOENT, "%s names more than one symbol of a "
				   "module", sym);
	for (i = 0; i < t->nmods; i++)
		if (!t->mods[i].dwarf && t->mods[i].nsyms && !has_data(&t->mods[i]))
			return tce_set_err(p->d, TCE_ENOENT, "module %s has no DWARF and its "
					   "kallsyms hold functions only (a kernel without "
					   "CONFIG_KALLSYMS_ALL)", t->mods[i].name);
	return -TCE_ENOENT;
}

/* The module whose symbol is type's home (mp_home()), else nmods */
static size_t home_mod(const struct mods_prov *mp, const char *type)
{
	unsigned i;

	for (i = 0; i < mp->nhomes; i++)
		if (!strcmp(mp->homes[i].type, type))
			return mp->homes[i].mod;
	return mp->t->nmods;
}

/* The modules in turn, the one holding type's home first: the first whose DWARF (or
 * BTF) knows the type answers; a module that knows the type but not the member says
 * so. */
static int mp_type(struct ty_provider *p, const char *type, const char *path, void *out)
{
	struct mods_prov *mp = (struct mods_prov *)p;
	struct types *t = mp->t;
	size_t home = home_mod(mp, type), k, i;
	char why[TCE_ERR_LEN] = "";
	int ret;

	for (k = 0; k <= t->nmods; k++) {
		struct ty_provider *w;

		i = !k ? home : k - 1;
		if (i >= t->nmods || (k && i == home))
			continue;
		w = t->mods[i].dwarf ? t->mods[i].dwarf : t->mods[i].btf;
		if (!w)
			continue;
		tce_clear_err(p->d);
		ret = path ? w->ops->member(w, type, path, out) : w->ops->size(w, type, out);
		if (ret != -TCE_ENOENT)
			return ret;
		if (!why[0] && tce_errmsg(p->d)[0])
			snprintf(why, sizeof(why), "%s", tce_errmsg(p->d));
	}
	if (why[0])
		return tce_set_err(p->d, TCE_ENOENT, "%s", why);
	tce_clear_err(p->d);
	return -TCE_ENOENT;
}

static int mp_size(struct ty_provider *p, const char *type, uint64_t *size)
{
	return mp_type(p, type, NULL, size);
}

static int mp_member(struct ty_provider *p, const char *type, const char *path,
		     struct ty_member *m)
{
	return mp_type(p, type, path, m);
}

/* The ty_ops home: the first module whose DWARF or kallsyms has symbol */
static int mp_home(struct ty_provider *p, const char *type, const char *symbol)
{
	struct mods_prov *mp = (struct mods_prov *)p;
	struct types *t = mp->t;
	uint64_t addr;
	size_t i;
	int ret;

	if (home_mod(mp, type) < t->nmods)
		return 0;
	for (i = 0; i < t->nmods; i++) {
		struct ty_module *m = &t->mods[i];

		ret = m->dwarf ? m->dwarf->ops->home(m->dwarf, type, symbol) : -TCE_ENOENT;
		if (ret == -TCE_ENOMEM)
			return ret;
		if (ret && ksym_find(m, symbol, &addr))
			continue;
		if (mp->nhomes < TY_HOMES)
			mp->homes[mp->nhomes++] = (struct mod_home){ type, i };
		return 0;
	}
	return -TCE_ENOENT;
}

static void mp_free(struct ty_provider *p)
{
	free(p);
}

static const struct ty_ops mp_ops = {
	.name = "modules",
	.symbol = mp_symbol,
	.size = mp_size,
	.member = mp_member,
	.home = mp_home,
	.free = mp_free,
};

void tce_ty_modules_free(struct types *t)
{
	size_t i;
	unsigned j;

	for (i = 0; i < t->nmods; i++) {
		struct ty_module *m = &t->mods[i];

		if (m->dwarf)
			m->dwarf->ops->free(m->dwarf);
		if (m->btf)
			m->btf->ops->free(m->btf);
		for (j = 0; j < m->nsects; j++)
			free(m->sects[j].name);
		free(m->sects);
		free(m->syms);
		free(m->strs);
	}
	free(t->mods);
	free(t->modinfo);
	t->mods = NULL;
	t->modinfo = NULL;
	t->nmods = 0;
}

const struct tce_module_info *tce_types_modules(struct types *t, size_t *n)
{
	size_t i;

	*n = t->nmods;
	if (!t->nmods || t->modinfo)
		return t->modinfo;
	t->modinfo = calloc(t->nmods, sizeof(*t->modinfo));
	if (!t->modinfo)
		return NULL;
	for (i = 0; i < t->nmods; i++) {
		const struct ty_module *m = &t->mods[i];
		struct tce_module_info *o = &t->modinfo[i];

		o->name = m->name;
		o->addr = m->addr;
		o->build_id = m->build_id_len ? m->build_id_hex : NULL;
		o->sections = m->nsects;
		o->kallsyms = m->nsyms;
		o->dwarf_path = m->dwarf ? m->dwarf_path : NULL;
		o->dwarf_how = m->dwarf ? m->dwarf_how : NULL;
		o->note = m->note[0] ? m->note : NULL;
	}
	return t->modinfo;
}

/* A module without DWARF: its types from the BTF the kernel keeps for it, on top of
 * vmlinux's BTF in memory (when that is among the providers).  Once btf_modules could
 * not be walked (*list_bad, bad_why), it is not walked again for every module after. */
static int find_btf(struct types *t, struct ty_module *m, bool *list_bad, char *bad_why,
		    size_t why_len)
{
	struct ty_provider *vmlinux = NULL, *from[TY_MAX_PROVIDERS];
	unsigned i, n = 0;
	int ret;

	if (m->dwarf)
		return 0;
	for (i = 0; i < t->nprov; i++) {
		if (strcmp(t->prov[i]->ops->name, "btf"))
			continue;
		/* read now: damaged, it is dropped from the chain */
		ret = tce_types_ready(t, i);
		if (ret < 0)
			return ret;
		break;
	}
	for (i = 0; i < t->nprov; i++) {
		if (!strcmp(t->prov[i]->ops->name, "btf"))
			vmlinux = t->prov[i];
		else
			from[n++] = t->prov[i];
	}
	if (!vmlinux)
		return 0;
	if (*list_bad) {
		note(m->note, sizeof(m->note), "no BTF: %s", bad_why);
		return 0;
	}
	ret = tce_ty_btf_module_find(vmlinux, from, n, m->addr, m->name, &m->btf, list_bad);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret) {
		note(m->note, sizeof(m->note), "%s", tce_errmsg(t->d));
		if (*list_bad)
			snprintf(bad_why, why_len, "btf_modules could not be walked for module "
				 "%.64s", m->name);
		m->btf = NULL;
	}
	tce_clear_err(t->d);
	return 0;
}

/* Each module's DWARF: found as the vmlinux's is, refused when another build. */
static int find_dwarf(struct types *t, struct ty_module *m, struct ty_modindex **ix)
{
	struct tce_dump *d = t->d;
	char path[1024], how[64];
	int ret;

	ret = tce_ty_dwarf_find_module(d, &t->src, ix, m, path, sizeof(path), how,
				       sizeof(how));
	if (!ret)
		ret = tce_ty_dwarf_open_module(d, path, m, &m->dwarf);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret) {
		note(m->note, sizeof(m->note), "%s", tce_errmsg(d));
		m->dwarf = NULL;
	} else {
		snprintf(m->dwarf_path, sizeof(m->dwarf_path), "%s", path);
		snprintf(m->dwarf_how, sizeof(m->dwarf_how), "%s%s", how, m->build_id_len ?
			 "" : "; its build id is not in the dump: not checked");
	}
	tce_clear_err(d);
	return 0;
}

int tce_ty_modules_load(struct types *t, struct ty_provider **out)
{
	struct tce_dump *d = t->d;
	struct ty_modindex *ix = NULL;
	struct mods_prov *mp;
	struct mlayout L;
	uint64_t head;
	size_t i, ndw = 0, nks = 0, nbtf = 0;
	bool btf_bad = false;
	char btf_why[128] = "";
	int ret;

	t->mods_note[0] = '\0';
	if (t->prepare) {
		ret = t->prepare(t->prepare_data);
		if (ret == -TCE_ENOMEM)
			return ret;
		tce_clear_err(d);
	}
	ret = tce_types_symbol(t, "modules", &head);
	if (ret) {
		snprintf(t->mods_note, sizeof(t->mods_note), "the modules list is unknown: %s",
			 tce_errmsg(d));
		tce_clear_err(d);
		return -TCE_ENOENT;
	}
	ret = layout(t, &L);
	if (ret) {
		snprintf(t->mods_note, sizeof(t->mods_note), "struct module is unknown (%s): "
			 "the modules list cannot be read, so nothing of a module (kvm.ko's "
			 "vm_list, struct kvm) is known; the vmlinux's DWARF describes it",
			 tce_errmsg(d));
		tce_clear_err(d);
		return -TCE_ENOENT;
	}
	ret = walk(t, &L, head);
	if (ret)
		return ret;
	t->mods_read = true;
	for (i = 0; i < t->nmods; i++) {
		ret = find_dwarf(t, &t->mods[i], &ix);
		if (!ret)
			ret = find_btf(t, &t->mods[i], &btf_bad, btf_why, sizeof(btf_why));
		if (ret) {
			tce_ty_modindex_free(ix);
			return ret;
		}
		ndw += t->mods[i].dwarf != NULL;
		nbtf += t->mods[i].btf != NULL;
		nks += t->mods[i].nsyms != 0;
	}
	tce_ty_modindex_free(ix);
	if (!L.has_kallsyms)
		note(t->mods_note, sizeof(t->mods_note), "struct mod_kallsyms is unknown: no "
		     "module's own symbols");
	mp = calloc(1, sizeof(*mp));
	if (!mp)
		return tce_set_err(d, TCE_ENOMEM, "modules: out of memory");
	mp->p.ops = &mp_ops;
	mp->p.d = d;
	mp->t = t;
	snprintf(mp->p.what, sizeof(mp->p.what), "modules (%zu on the list: %zu with DWARF, "
		 "%zu with BTF, %zu with kallsyms)", t->nmods, ndw, nbtf, nks);
	*out = &mp->p;
	return 0;
}
