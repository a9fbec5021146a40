// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target (g): type information, two ways in.
 *
 * Types from the dump's own memory (an input's first byte below 0x80: harness.h's
 * template selector).  The templates are forge dumps with kallsyms of every symbol
 * and the BTF a CONFIG_DEBUG_INFO_BTF kernel keeps between __start_BTF and __stop_BTF,
 * and no vmlinux (fuzz/mktemplates.sh: ty-*), and the real samples (their kallsyms;
 * Debian's kernels list no __start_BTF there).  The input overwrites the kallsyms
 * tables (kallsyms_num_syms, the token index and table, the start of the names
 * stream, the offsets and the relative base) and the BTF blob (its header, the start
 * of its types and strings, and the records and member names of the structures the
 * walkers ask for), found by decoding kallsyms as the kernel does and parsing the
 * BTF with libbpf; a VMCOREINFO tail may move the tables.
 *
 * DWARF of a hostile vmlinux (first byte 0x80 and above: (byte & 0x7f) picks one of
 * the table templates' NAME.vmlinux, tce-forge -V).  The input overwrites that file's
 * ELF header, section headers and section names, the start of .debug_abbrev,
 * .debug_str and .debug_aranges (which finds a type's home unit), the start of its
 * symbol table, each unit's header, the DIEs of the structures the walkers ask for with
 * their members, and their names in .debug_str; the file goes to a memory file that
 * the unchanged dump is opened with as its vmlinux (tce_ty_dwarf_open()).  The
 * modules of the templates with KVM built as modules (tm-*: NAME.modules, tce-forge
 * --modules-tree) are such templates too, one a .ko: the same windows of it, with its
 * relocation sections (start and middle) and symbol table, and the dump opened with
 * its vmlinux and a debug tree where that .ko is the memory file
 * (tce_ty_dwarf_open_module(), which relocates its DWARF to the dump's sections).
 *
 * Either way, the questions libtce asks are asked (symbols, sizes, member layouts of
 * struct page, vmemmap_backing, the KVM, powernv and VFIO structures), then the rest
 * runs on those answers: every table found and walked (a bounded number of entries),
 * the vmemmap walk, struct page reads, and the tables' rules.
 */
#define _GNU_SOURCE
#include "config.h"

#include <bpf/btf.h>
#include <dirent.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ENTRIES_MAX 1024
#define DW_MAX 32               /* vmlinux and module templates */
#define DW_WIN_BYTES 49152      /* per vmlinux */
#define DW_WIN_MAX 512
#define KS_NAMES_WIN 2048

/* the structures the walkers ask about, for the windows in BTF and DWARF */
static const char *const structs[] = {
	"page", "folio", "vmemmap_backing", "list_head", "rb_node", "kvm", "kvm_arch",
	"kvm_memslots", "kvm_memory_slot", "kvmppc_spapr_tce_table",
	"kvmppc_spapr_tce_iommu_table", "iommu_table", "iommu_table_group", "mm_struct",
	"module", "pci_controller", "pnv_phb", "pnv_ioda_pe", "vfio_group", "tce_container",
	"mm_iommu_table_group_mem_t", "btf_module", "btf",
};

/* ------------------------------------------------------------ questions and walks */

static const char *const symbols[] = {
	"vmemmap_list", "swapper_pg_dir", "vm_list", "hose_list", "modules", "mem_section",
	"__start_BTF", "__stop_BTF", "btf_modules", "_stext", "kvm_create_vm",
	"no_such_symbol",
};
static const char *const sizes[] = {
	"struct page", "struct vmemmap_backing", "struct kvm", "struct kvmppc_spapr_tce_table",
	"struct iommu_table", "struct module", "struct list_head", "union no_such_union",
	"enum no_such_enum", "pte_t", "struct mm_struct",
};
static const char *const members[][2] = {
	{ "struct page", "flags" }, { "struct page", "_refcount" },
	{ "struct page", "_mapcount" }, { "struct page", "compound_head" },
	{ "struct page", "compound_pincount" }, { "struct folio", "_pincount" },
	{ "struct vmemmap_backing", "list" }, { "struct vmemmap_backing", "phys" },
	{ "struct vmemmap_backing", "virt_addr" },
	{ "struct kvm", "arch.spapr_tce_tables" }, { "struct kvm", "vm_list" },
	{ "struct kvm", "memslots" }, { "struct kvm", "mm" },
	{ "struct kvmppc_spapr_tce_table", "pages" },
	{ "struct kvmppc_spapr_tce_table", "size" },
	{ "struct iommu_table", "it_base" }, { "struct iommu_table", "it_level_size" },
	{ "struct iommu_table", "it_userspace" },
	{ "struct kvm_memslots", "gfn_tree.rb_node" },
	{ "struct mm_struct", "context.iommu_group_mem_list" },
	{ "struct module", "list.next" }, { "struct list_head", "next.prev" },
	{ "struct page", "no_such_member" },
};

static int entry(void *data, const struct tce_table_entry *e)
{
	unsigned *n = data;

	(void)e;
	return ++*n >= ENTRIES_MAX;
}

static void run(struct tce_dump *d, const char *vmlinux, const char *tree)
{
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	struct tce_types_info tyi = TCE_TYPES_INFO_INIT;
	struct tce_tables_info ti = TCE_TABLES_INFO_INIT;
	struct tce_vmemmap_info vi = TCE_VMEMMAP_INFO_INIT;
	struct tce_page pg = TCE_PAGE_INIT;
	struct tce_analysis *a;
	const char *reason;
	uint64_t v, w;
	size_t i;
	unsigned r;

	if (tce_analysis_new(d, &a))
		return;
	to.vmlinux = vmlinux;
	to.debug_dir = tree ? tree : "/nonexistent";
	to.debuginfod = false;
	tce_analysis_set_types(a, &to);
	if (tce_analysis_types(a, &tyi) == 0) {
		/* what the types are, to see what an input does: TCE_FUZZ_VERBOSE=1 */
		if (getenv("TCE_FUZZ_VERBOSE")) {
			fprintf(stderr, "fuzz-types: %s\n", tyi.providers);
			for (i = 0; i < tyi.nmodules; i++)
				fprintf(stderr, "fuzz-types: module %s: %s%s\n",
					tyi.modules[i].name, tyi.modules[i].dwarf_path ?
					tyi.modules[i].dwarf_path : "no DWARF: ",
					tyi.modules[i].note ? tyi.modules[i].note : "");
		}
		for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
			tce_analysis_symbol(a, symbols[i], &v);
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			tce_analysis_type_size(a, sizes[i], &v);
		for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
			tce_analysis_member(a, members[i][0], members[i][1], &v, &w);
	}
	/* a lie in types reaches the walkers */
	if (tce_analysis_tables(a, &ti) == 0) {
		for (i = 0; i < ti.count; i++) {
			struct tce_table_info tt = TCE_TABLE_INFO_INIT;
			struct tce_table_stats st = TCE_TABLE_STATS_INIT;
			unsigned n = 0;

			if (tce_analysis_table(a, i, &tt))
				continue;
			tce_table_entries(a, &tt, 0, UINT64_MAX, entry, &n, &st);
		}
	}
	if (tce_vmemmap_info(a, &vi) == 0)
		for (i = 0; tce_vmemmap_block(a, i); i++)
			;
	for (i = 0; i < fz_page_npfns; i += 4)
		tce_page_read(a, fz_page_pfns[i], &pg);
	for (r = 0; r < TCE_RULE_COUNT; r++)
		tce_analysis_enable(a, r, tce_rule(r)->area == TCE_AREA_TABLES);
	tce_analysis_check(a);
	for (i = 0; tce_finding(a, i) != NULL; i++)
		;
	for (r = 0; r < TCE_RULE_COUNT; r++)
		tce_rule_outcome(a, r, &reason);
	tce_analysis_free(a);
}

static void body(struct tce_dump *d)
{
	run(d, NULL, NULL);
}

/* ------------------------------------------------------------ kallsyms, BTF windows */

static uint64_t get(const uint8_t *p, unsigned n, int be)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[be ? i : n - 1 - i];
	return v;
}

struct ks {
	uint64_t names, num, ttable, tindex, offsets, base;
};

/* The address kallsyms gives name, as kernel/kallsyms.c decodes it; 0 if none. */
static uint64_t ks_lookup(struct fz_tpl *t, const struct ks *k, const char *name)
{
	uint8_t tindex[512], ttable[4096], *names;
	uint64_t num, base, off, pos = 0, len, i, j, cap;
	int be = fz_big_endian(t);
	char sym[600];
	uint64_t found = 0;

	if (fz_read(t, k->num, 4, &num) || !num || num > (1u << 22) ||
	    fz_read_bytes(t, k->tindex, tindex, sizeof(tindex)) ||
	    fz_read_bytes(t, k->ttable, ttable, sizeof(ttable)) || fz_read(t, k->base, 8, &base))
		return 0;
	ttable[sizeof(ttable) - 1] = 0;
	cap = num * 32;
	names = malloc(cap);
	if (!names)
		return 0;
	while (fz_read_bytes(t, k->names, names, cap)) {
		if (cap <= 4096) {
			free(names);
			return 0;
		}
		cap /= 2;     /* the stream ends before a hole */
	}
	for (i = 0; i < num && pos < cap; i++) {
		size_t n = 0;

		len = names[pos++];
		if ((len & 0x80) && pos < cap)
			len = (len & 0x7f) | (uint64_t)names[pos++] << 7;
		if (pos + len > cap)
			break;
		for (j = 0; j < len; j++) {
			uint64_t to = get(tindex + 2 * names[pos + j], 2, be);
			size_t tl = to < sizeof(ttable) ? strlen((char *)ttable + to) : 0;

			if (!tl)
				continue;
			if (n + tl >= sizeof(sym))
				break;
			memcpy(sym + n, ttable + to, tl);
			n += tl;
		}
		sym[n] = 0;
		pos += len;
		if (n > 1 && !strcmp(sym + 1, name) && !fz_read(t, k->offsets + 4 * i, 4, &off)) {
			found = base + off;
			break;
		}
	}
	free(names);
	return found;
}

/* The BTF blob's windows: its header, the start of its types and strings, and the
 * records and member names of the structures above. */
static void btf_windows(struct fz_tpl *t, uint64_t start, uint64_t stop)
{
	uint64_t len = stop - start, hdr, toff, tlen, soff, slen;
	int be = fz_big_endian(t);
	uint8_t *buf;
	struct btf *btf;
	size_t i;

	if (stop <= start || len > (64u << 20) || !(buf = malloc(len)))
		return;
	if (fz_read_bytes(t, start, buf, len) || len < 24) {
		free(buf);
		return;
	}
	hdr = get(buf + 4, 4, be);
	toff = get(buf + 8, 4, be);
	tlen = get(buf + 12, 4, be);
	soff = get(buf + 16, 4, be);
	slen = get(buf + 20, 4, be);
	fz_window(t, start + hdr + toff, tlen < 256 ? tlen : 256);
	fz_window(t, start + hdr + soff, slen < 256 ? slen : 256);
	btf = btf__new(buf, (uint32_t)len);
	if (!btf) {
		free(buf);
		return;
	}
	for (i = 0; i < sizeof(structs) / sizeof(structs[0]); i++) {
		int id = btf__find_by_name_kind(btf, structs[i], BTF_KIND_STRUCT);
		const struct btf_type *ty, *first = btf__type_by_id(btf, 1);
		uint64_t at, end;
		unsigned m;

		if (id <= 0 && (id = btf__find_by_name_kind(btf, structs[i], BTF_KIND_TYPEDEF)) <= 0)
			continue;
		ty = btf__type_by_id(btf, id);
		/* the records are contiguous, as in the blob */
		at = (const char *)ty - (const char *)first;
		end = (uint32_t)id + 1 < btf__type_cnt(btf) ?
		      (uint64_t)((const char *)btf__type_by_id(btf, id + 1) - (const char *)first) :
		      tlen;
		fz_window(t, start + hdr + toff + at, end - at);
		fz_window(t, start + hdr + soff + ty->name_off, strlen(structs[i]) + 1);
		if (!btf_is_composite(ty))
			continue;
		for (m = 0; m < btf_vlen(ty); m++) {
			const char *mn = btf__name_by_offset(btf, btf_members(ty)[m].name_off);

			if (mn && *mn)
				fz_window(t, start + hdr + soff + btf_members(ty)[m].name_off,
					  strlen(mn) + 1);
		}
	}
	btf__free(btf);
	free(buf);
}

/* len, or less where another of the tables starts */
static uint64_t upto(const struct ks *k, uint64_t at, uint64_t len)
{
	const uint64_t next[] = { k->names, k->num, k->ttable, k->tindex, k->offsets, k->base };
	size_t i;

	for (i = 0; i < sizeof(next) / sizeof(next[0]); i++)
		if (next[i] > at && next[i] - at < len)
			len = next[i] - at;
	return len;
}

static void windows(struct fz_tpl *t, const char *dir, const char *name)
{
	static const char *const keys[] = {
		"SYMBOL(kallsyms_names)", "SYMBOL(kallsyms_num_syms)",
		"SYMBOL(kallsyms_token_table)", "SYMBOL(kallsyms_token_index)",
		"SYMBOL(kallsyms_offsets)", "SYMBOL(kallsyms_relative_base)",
	};
	struct ks k;
	uint64_t *dst[] = { &k.names, &k.num, &k.ttable, &k.tindex, &k.offsets, &k.base };
	uint64_t start, stop;
	size_t i;

	(void)dir;
	(void)name;
	for (i = 0; i < 6; i++)
		if (fz_vmcoreinfo(t, keys[i], 16, dst[i]))
			return;
	start = ks_lookup(t, &k, "__start_BTF");
	stop = start ? ks_lookup(t, &k, "__stop_BTF") : 0;
	/* the shortest inputs change the counts and headers; no window runs into the
	 * next table (they are adjacent in kernel data) */
	fz_window(t, k.num, upto(&k, k.num, 4));
	if (stop) {
		uint64_t hdr = 0;

		if (!fz_read(t, start + 4, 4, &hdr) && hdr >= 24 && hdr <= 256)
			fz_window(t, start, hdr);
	}
	fz_window(t, k.tindex, upto(&k, k.tindex, 512));
	fz_window(t, k.base, upto(&k, k.base, 8));
	fz_window(t, k.offsets, upto(&k, k.offsets, 1024));
	fz_window(t, k.names, upto(&k, k.names, KS_NAMES_WIN));
	fz_window(t, k.ttable, upto(&k, k.ttable, 2048));
	if (stop)
		btf_windows(t, start, stop);
}

/* ------------------------------------------------------------ DWARF of a vmlinux */

struct dwtpl {
	char *dump;                   /* the template the vmlinux is of */
	char *tree;                   /* a module's: the debug tree with it (the others
					 of its template unchanged); NULL: a vmlinux */
	int fd;                       /* a memory file with the vmlinux */
	uint8_t *b;                   /* its bytes */
	size_t size;
	uint64_t off[DW_WIN_MAX], len[DW_WIN_MAX];
	size_t nwin, winbytes;
};

static struct dwtpl dws[DW_MAX];
static size_t ndw;

static void dw_win(struct dwtpl *w, uint64_t off, uint64_t len)
{
	if (off >= w->size || w->nwin == DW_WIN_MAX)
		return;
	if (len > w->size - off)
		len = w->size - off;
	if (len > DW_WIN_BYTES - w->winbytes)
		len = DW_WIN_BYTES - w->winbytes;
	if (!len)
		return;
	/* overlapping windows would undo each other: skip what an earlier one has */
	for (size_t i = 0; i < w->nwin; i++)
		if (off < w->off[i] + w->len[i] && w->off[i] < off + len)
			return;
	w->off[w->nwin] = off;
	w->len[w->nwin] = len;
	w->nwin++;
	w->winbytes += len;
}

/* The file offsets of the DIEs of the structures above (each with its children, up to
 * its next sibling), and the units' headers. */
static void dw_dies(struct dwtpl *w, Elf *elf, uint64_t info_off, uint64_t str_off,
		    uint64_t str_len)
{
	Dwarf *dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	Dwarf_Off off = 0, next;
	size_t hsize, i;

	if (!dw)
		return;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, die, sib;

		dw_win(w, info_off + off, hsize + 32);
		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &die) == 0) {
			do {
				const char *n = dwarf_diename(&die);
				int tag = dwarf_tag(&die);
				uint64_t a = dwarf_dieoffset(&die), e;

				if (!n || (tag != DW_TAG_structure_type && tag != DW_TAG_typedef) ||
				    dwarf_hasattr(&die, DW_AT_declaration))
					continue;
				for (i = 0; i < sizeof(structs) / sizeof(structs[0]); i++)
					if (!strcmp(n, structs[i]))
						break;
				if (i == sizeof(structs) / sizeof(structs[0]))
					continue;
				sib = die;
				e = dwarf_siblingof(&sib, &sib) == 0 ? dwarf_dieoffset(&sib) : next;
				dw_win(w, info_off + a, e - a < 1024 ? e - a : 1024);
			} while (dwarf_siblingof(&die, &die) == 0);
		}
		off = next;
	}
	dwarf_end(dw);
	/* the names in .debug_str */
	for (i = 0; str_len && i < sizeof(structs) / sizeof(structs[0]); i++) {
		const uint8_t *s = w->b + str_off, *p;
		size_t l = strlen(structs[i]) + 1;

		for (p = s; (p = memmem(p, str_len - (p - s), structs[i], l)) != NULL; p += l)
			if (p == s || p[-1] == 0) {
				dw_win(w, str_off + (p - s), l);
				break;
			}
	}
}

/* Loads the file at path as the next DWARF template, of the dump named dump. */
static struct dwtpl *dw_load(const char *path, const char *dump)
{
	static const char *const heads[] = { ".debug_abbrev", ".debug_str", ".debug_aranges" };
	struct dwtpl *w = &dws[ndw];
	struct stat st;
	uint64_t info_off = 0, str_off = 0, str_len = 0;
	size_t shstrndx, k;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	Elf *elf;
	int fd;

	if (ndw == DW_MAX)
		return NULL;
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || st.st_size < 64) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	memset(w, 0, sizeof(*w));
	w->size = st.st_size;
	w->b = mmap(NULL, w->size, PROT_READ, MAP_PRIVATE, fd, 0);
	elf = w->b == MAP_FAILED ? NULL : elf_memory((char *)w->b, w->size);
	if (!elf || !gelf_getehdr(elf, &eh) || elf_getshdrstrndx(elf, &shstrndx)) {
		if (elf)
			elf_end(elf);
		if (w->b != MAP_FAILED)
			munmap(w->b, w->size);
		close(fd);
		return NULL;
	}
	close(fd);
	dw_win(w, 0, 64);
	dw_win(w, eh.e_shoff, (uint64_t)eh.e_shnum * eh.e_shentsize);
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		const char *sn;

		if (!gelf_getshdr(scn, &sh) || !(sn = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    sh.sh_type == SHT_NOBITS || (sh.sh_flags & SHF_COMPRESSED))
			continue;
		if (elf_ndxscn(scn) == shstrndx)
			dw_win(w, sh.sh_offset, sh.sh_size < 512 ? sh.sh_size : 512);
		if (!strcmp(sn, ".debug_info"))
			info_off = sh.sh_offset;
		if (!strcmp(sn, ".debug_str")) {
			str_off = sh.sh_offset;
			str_len = sh.sh_size <= w->size - sh.sh_offset ? sh.sh_size : 0;
		}
		for (k = 0; k < sizeof(heads) / sizeof(heads[0]); k++)
			if (!strcmp(sn, heads[k]))
				dw_win(w, sh.sh_offset, sh.sh_size < 1024 ? sh.sh_size : 1024);
		/* a .ko: what its relocation reads, the relocations (their start and
		 * middle: places, symbols, types, addends) and the symbol table */
		if (eh.e_type == ET_REL && (sh.sh_type == SHT_RELA || sh.sh_type == SHT_REL)) {
			dw_win(w, sh.sh_offset, sh.sh_size < 768 ? sh.sh_size : 768);
			dw_win(w, sh.sh_offset + sh.sh_size / 2 / 24 * 24, 240);
		}
		/* the symbol table (a vmlinux's too: the library sorts it by name) */
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_SYMTAB_SHNDX)
			dw_win(w, sh.sh_offset, sh.sh_size < 512 ? sh.sh_size : 512);
	}
	if (info_off)
		dw_dies(w, elf, info_off, str_off, str_len);
	elf_end(elf);
	w->fd = memfd_create(dump, MFD_CLOEXEC);
	if (w->fd < 0 || write(w->fd, w->b, w->size) != (ssize_t)w->size) {
		fprintf(stderr, "fuzz-types: %s cannot be copied to memory\n", path);
		exit(1);
	}
	w->dump = strdup(dump);
	if (!w->dump)
		exit(1);
	return &dws[ndw++];
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the debug trees made for the modules, removed at exit */
static char *trees[DW_MAX];
static size_t ntrees;

static void rm_tree(const char *dir)
{
	struct dirent *de;
	DIR *dd = opendir(dir);
	char p[4096];
	struct stat st;

	while (dd && (de = readdir(dd)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (!lstat(p, &st) && S_ISDIR(st.st_mode))
			rm_tree(p);
		else
			unlink(p);
	}
	if (dd)
		closedir(dd);
	rmdir(dir);
}

static void rm_trees(void)
{
	size_t i;

	for (i = 0; i < ntrees; i++)
		rm_tree(trees[i]);
}

/*
 * The modules of template name (tce-forge --modules-tree: NAME.modules/lib/modules/REL/
 * kernel/arch/powerpc/kvm/M.ko), each a template of its own: a debug tree of symbolic
 * links where M.ko is the memory file the input changes and the others the files.
 */
static void dw_modules(const char *dir, const char *name)
{
	char kdir[4096], tree[64], p[4096], q[4096], relbuf[256], *kos[8];
	const char *rel = NULL;
	struct dirent *de;
	size_t nko = 0, i, j;
	DIR *dd;

	snprintf(p, sizeof(p), "%s/%s/lib/modules", dir, name);
	dd = opendir(p);
	while (dd && (de = readdir(dd)) != NULL)
		if (de->d_name[0] != '.') {
			snprintf(relbuf, sizeof(relbuf), "%s", de->d_name);
			rel = relbuf;
		}
	if (dd)
		closedir(dd);
	if (!rel)
		return;
	snprintf(kdir, sizeof(kdir), "%s/%s/lib/modules/%s/kernel/arch/powerpc/kvm", dir, name,
		 rel);
	dd = opendir(kdir);
	while (dd && (de = readdir(dd)) != NULL && nko < 8)
		if (strstr(de->d_name, ".ko") && (kos[nko] = strdup(de->d_name)))
			nko++;
	if (dd)
		closedir(dd);
	qsort(kos, nko, sizeof(*kos), cmp_names);
	for (i = 0; i < nko; i++) {
		struct dwtpl *w;
		char dump[256];

		snprintf(p, sizeof(p), "%s/%s", kdir, kos[i]);
		snprintf(dump, sizeof(dump), "%.*s", (int)(strlen(name) - strlen(".modules")),
			 name);
		w = dw_load(p, dump);
		snprintf(tree, sizeof(tree), "/tmp/fuzz-types-XXXXXX");
		if (!w || !mkdtemp(tree))
			continue;
		trees[ntrees++] = w->tree = strdup(tree);
		snprintf(p, sizeof(p), "%s/lib", tree);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/lib/modules", tree);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/lib/modules/%s", tree, rel);
		mkdir(p, 0755);
		for (j = 0; j < nko; j++) {
			snprintf(p, sizeof(p), "%s/lib/modules/%s/%s", tree, rel, kos[j]);
			if (i == j)
				snprintf(q, sizeof(q), "/proc/self/fd/%d", w->fd);
			else
				snprintf(q, sizeof(q), "%s/%s", kdir, kos[j]);
			if (symlink(q, p)) {
				fprintf(stderr, "fuzz-types: %s: cannot be made\n", p);
				exit(1);
			}
		}
	}
	for (i = 0; i < nko; i++)
		free(kos[i]);
}

/* the table templates' NAME.vmlinux, and the modules of NAME.modules, in name order */
static void dw_init(const char *dir)
{
	struct dirent *de;
	char *names[DW_MAX];
	size_t n = 0, i;
	DIR *dd = opendir(dir);

	elf_version(EV_CURRENT);
	while (dd && (de = readdir(dd)) != NULL && n < DW_MAX) {
		size_t l = strlen(de->d_name);

		if (l > 8 && (!strcmp(de->d_name + l - 8, ".vmlinux") ||
			      !strcmp(de->d_name + l - 8, ".modules")) &&
		    (names[n] = strdup(de->d_name)))
			n++;
	}
	if (dd)
		closedir(dd);
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		char p[4096];

		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (l > 8 && !strcmp(names[i] + l - 8, ".modules")) {
			dw_modules(dir, names[i]);
		} else {
			names[i][l - 8] = '\0';
			dw_load(p, names[i]);
		}
		free(names[i]);
	}
	atexit(rm_trees);
}

static void dw_seeds(const char *dir)
{
	size_t i, j;

	for (i = 0; i < ndw; i++) {
		char path[4096];
		uint8_t sel = 0x80 | i;
		FILE *f;

		snprintf(path, sizeof(path), "%s/dwarf-%02zu-%s", dir, i, dws[i].dump);
		f = fopen(path, "wb");
		if (!f)
			exit(1);
		fwrite(&sel, 1, 1, f);
		for (j = 0; j < dws[i].nwin; j++)
			fwrite(dws[i].b + dws[i].off[j], 1, dws[i].len[j], f);
		if (fclose(f))
			exit(1);
	}
}

static int dw_run(const uint8_t *data, size_t size)
{
	struct dwtpl *w;
	struct tce_dump *d;
	char dump[4096], vmlinux[4096];
	const char *out = getenv("TCE_FUZZ_WRITE");
	size_t i, k;

	if (!ndw)
		return 0;
	w = &dws[(data[0] & 0x7f) % ndw];
	data++;
	size--;
	for (i = 0; i < w->nwin && size; i++) {
		k = size < w->len[i] ? size : w->len[i];
		if (pwrite(w->fd, data, k, w->off[i]) != (ssize_t)k)
			exit(1);
		data += k;
		size -= k;
	}
	snprintf(dump, sizeof(dump), "%s/%s", fz_dir(), w->dump);
	if (w->tree)
		snprintf(vmlinux, sizeof(vmlinux), "%s/%s.vmlinux", fz_dir(), w->dump);
	else
		snprintf(vmlinux, sizeof(vmlinux), "/proc/self/fd/%d", w->fd);
	if (out) {
		/* the vmlinux an input makes; the dump is the template's */
		FILE *f = fopen(out, "wb");
		uint8_t buf[65536];
		ssize_t n;
		off_t o = 0;

		while (f && (n = pread(w->fd, buf, sizeof(buf), o)) > 0) {
			fwrite(buf, 1, n, f);
			o += n;
		}
		if (f)
			fclose(f);
		fprintf(stderr, "fuzz-types: vmlinux %s of the dump %s\n", out, dump);
	} else {
		d = tce_dump_new();
		if (d && tce_dump_open(d, dump) == 0)
			run(d, vmlinux, w->tree);
		tce_dump_free(d);
	}
	for (i = 0; i < w->nwin; i++)
		if (pwrite(w->fd, w->b + w->off[i], w->len[i], w->off[i]) != (ssize_t)w->len[i])
			exit(1);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("TCE_FUZZ_TEMPLATES"), *seeds = getenv("TCE_FUZZ_SEEDS");

	(void)argc;
	(void)argv;
	dw_init(dir ? dir : TCE_FUZZ_TEMPLATES);
	if (seeds)
		dw_seeds(seeds);
	fz_set_windows(windows);
	fz_init(FZ_TYPES);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] & 0x80)
		return dw_run(data, size);
	return fz_run(data, size, body);
}
