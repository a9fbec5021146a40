// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The templates and windows of harness.h.  The windows are found by reading the
 * template as a kernel would be read, with a reader of its own (ELF program headers,
 * VMCOREINFO, the vmemmap_list, the radix tables), never through libtce: what the
 * fuzzer reaches in libtce is then what its inputs reach, not what setting up did.
 */
#define _GNU_SOURCE
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "harness.h"

#define KBASE 0xc000000000000000ULL
#define MAX_TEMPLATES 64
#define MAX_WIN_BYTES 65536     /* per template */
#define MAX_WRITES 4096
#define PGT_MAX_SLOTS 1024      /* page-table entries a template's windows hold */
#define LIST_MAX 100000         /* vmemmap_list entries followed */

struct win {
	uint64_t off, len;
};

struct load {
	uint64_t phys, off, len;
};

struct tpl {
	char *name;
	int fd;
	uint8_t *b;
	size_t size;
	bool elf, be;
	/* ELF */
	uint64_t phoff;
	unsigned phnum;
	int note_ph;                  /* index of PT_NOTE, -1 none */
	uint64_t note_off, note_len;
	uint64_t vmci_off, vmci_len;  /* VMCOREINFO's text in the file; len 0 none */
	struct load *load;
	size_t nload;
	/* this target's windows */
	struct win *win;
	size_t nwin, winbytes;
};

static struct tpl tpls[MAX_TEMPLATES];
static size_t ntpl;
static enum fz_kind fz_kind;
static const char *tpl_dir;
static void (*windows_fn)(struct fz_tpl *t, const char *dir, const char *name);

/* what fz_apply() changed: restored from the template's bytes */
static struct tpl *cur;
static struct win writes[MAX_WRITES];
static size_t nwrites;
static bool grown;

const uint64_t fz_page_pfns[] = {
	0x100, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106, 0x107,
	0x108, 0x109, 0x10a, 0x10b, 0x10c, 0x10d, 0x10e, 0x10f,
	0x10, 0x11, 0x12, 0x13, 0x5000, 0x5001, 0x5002, 0x5003,
	0x6ffe, 0x6fff, 0x7000, 0x7001,
};
const size_t fz_page_npfns = sizeof(fz_page_pfns) / sizeof(fz_page_pfns[0]);

static void die(const char *what, const char *msg) __attribute__((noreturn));

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "fuzz harness: %s: %s\n", what, msg);
	exit(1);
}

static uint64_t get(const uint8_t *p, unsigned n, bool be)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[be ? i : n - 1 - i];
	return v;
}

static void put(uint8_t *p, unsigned n, uint64_t v, bool be)
{
	unsigned i;

	for (i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* ------------------------------------------------------------------ ELF */

static void parse_notes(struct tpl *t)
{
	uint64_t o = t->note_off, end = t->note_off + t->note_len;

	while (o + 12 <= end) {
		uint64_t nsz = get(t->b + o, 4, t->be), dsz = get(t->b + o + 4, 4, t->be);
		uint64_t name = o + 12, desc = name + ((nsz + 3) & ~3ULL);

		if (desc > end || dsz > end - desc)
			return;
		if (nsz == 11 && !memcmp(t->b + name, "VMCOREINFO", 11)) {
			t->vmci_off = desc;
			t->vmci_len = dsz;
		}
		o = desc + ((dsz + 3) & ~3ULL);
	}
}

static void parse_elf(struct tpl *t)
{
	const uint8_t *b = t->b;
	unsigned i;

	t->note_ph = -1;
	if (t->size < 64 || memcmp(b, "\177ELF", 4) || b[4] != 2 || (b[5] != 1 && b[5] != 2))
		return;
	t->elf = true;
	t->be = b[5] == 2;
	t->phoff = get(b + 32, 8, t->be);
	t->phnum = get(b + 56, 2, t->be);
	if (get(b + 54, 2, t->be) != 56 || t->phoff > t->size ||
	    (t->size - t->phoff) / 56 < t->phnum) {
		t->phnum = 0;
		return;
	}
	t->load = calloc(t->phnum ? t->phnum : 1, sizeof(*t->load));
	if (!t->load)
		die(t->name, "out of memory");
	for (i = 0; i < t->phnum; i++) {
		const uint8_t *p = b + t->phoff + 56 * i;
		uint64_t type = get(p, 4, t->be), off = get(p + 8, 8, t->be);
		uint64_t paddr = get(p + 24, 8, t->be), fsz = get(p + 32, 8, t->be);

		if (off > t->size)
			continue;
		if (fsz > t->size - off)
			fsz = t->size - off;
		if (type == 1 && fsz) {
			t->load[t->nload].phys = paddr;
			t->load[t->nload].off = off;
			t->load[t->nload].len = fsz;
			t->nload++;
		} else if (type == 4 && t->note_ph < 0) {
			t->note_ph = i;
			t->note_off = off;
			t->note_len = fsz;
		}
	}
	if (t->note_ph >= 0)
		parse_notes(t);
}

/* The value of VMCOREINFO's KEY (the last line wins), in base. */
static bool vmci(const struct tpl *t, const char *key, int base, uint64_t *v)
{
	const char *s = (const char *)t->b + t->vmci_off, *end = s + t->vmci_len, *l;
	size_t kl = strlen(key);
	bool found = false;

	for (l = s; l < end;) {
		const char *nl = memchr(l, '\n', end - l);

		if (!nl)
			nl = end;
		if ((size_t)(nl - l) > kl && !memcmp(l, key, kl) && l[kl] == '=') {
			char buf[32];
			size_t n = nl - l - kl - 1;

			if (n < sizeof(buf)) {
				char *e;

				memcpy(buf, l + kl + 1, n);
				buf[n] = 0;
				*v = strtoull(buf, &e, base);
				found = *e == 0 && n;
			}
		}
		l = nl + 1;
	}
	return found;
}

/* The file offset of [phys, phys + len), if one PT_LOAD holds all of it. */
static bool phys_off(const struct tpl *t, uint64_t phys, uint64_t len, uint64_t *off)
{
	size_t i;

	for (i = 0; i < t->nload; i++) {
		const struct load *l = &t->load[i];

		if (phys >= l->phys && phys - l->phys <= l->len && len <= l->len - (phys - l->phys)) {
			*off = l->off + (phys - l->phys);
			return true;
		}
	}
	return false;
}

static bool rd(const struct tpl *t, uint64_t phys, unsigned n, bool be, uint64_t *v)
{
	uint64_t off;

	if (!phys_off(t, phys, n, &off))
		return false;
	*v = get(t->b + off, n, be);
	return true;
}

static bool kv(uint64_t kva, uint64_t *phys)
{
	if (kva < KBASE || kva - KBASE >= (1ULL << 52))
		return false;
	*phys = kva - KBASE;
	return true;
}

static unsigned page_shift(const struct tpl *t)
{
	uint64_t ps = 0;

	return vmci(t, "PAGESIZE", 10, &ps) && ps == 4096 ? 12 : 16;
}

/* ------------------------------------------------------------------ windows */

static void add_win(struct tpl *t, uint64_t off, uint64_t len)
{
	struct win *w;

	if (off >= t->size)
		return;
	if (len > t->size - off)
		len = t->size - off;
	if (len > MAX_WIN_BYTES - t->winbytes)
		len = MAX_WIN_BYTES - t->winbytes;
	if (!len)
		return;
	if (t->nwin && t->win[t->nwin - 1].off + t->win[t->nwin - 1].len == off) {
		t->win[t->nwin - 1].len += len;
		t->winbytes += len;
		return;
	}
	w = realloc(t->win, (t->nwin + 1) * sizeof(*w));
	if (!w)
		die(t->name, "out of memory");
	t->win = w;
	t->win[t->nwin].off = off;
	t->win[t->nwin].len = len;
	t->nwin++;
	t->winbytes += len;
}

static void add_phys(struct tpl *t, uint64_t phys, uint64_t len)
{
	uint64_t off;

	if (phys_off(t, phys, len, &off))
		add_win(t, off, len);
}

static void wins_open_elf(struct tpl *t)
{
	add_win(t, 0, 64);
	add_win(t, t->phoff, 56ULL * t->phnum);
	add_win(t, t->note_off, t->note_len < 32768 ? t->note_len : 32768);
}

/* makedumpfile's layout: header (block 0), sub-header (block 1...), two bitmaps,
 * page descriptors, pages. */
static void wins_open_kdump(struct tpl *t)
{
	uint64_t bs, sub, bm, so, no, nl, vo, vl, pd;

	if (t->size < 464 || memcmp(t->b, "KDUMP   ", 8))
		return;
	bs = get(t->b + 428, 4, false);
	t->be = bs != 4096 && bs != 65536;
	bs = get(t->b + 428, 4, t->be);
	sub = get(t->b + 432, 4, t->be);
	bm = get(t->b + 436, 4, t->be);
	add_win(t, 0, 464);
	if (bs != 4096 && bs != 65536)
		return;
	so = bs;
	if (so + 104 > t->size)
		return;
	add_win(t, so, 104);
	vo = get(t->b + so + 32, 8, t->be);
	vl = get(t->b + so + 40, 8, t->be);
	no = get(t->b + so + 48, 8, t->be);
	nl = get(t->b + so + 56, 8, t->be);
	add_win(t, no, nl < 16384 ? nl : 16384);
	if (vo < no || vo >= no + nl)
		add_win(t, vo, vl < 8192 ? vl : 8192);
	add_win(t, (1 + sub) * bs, bm * bs / 2 < 1024 ? bm * bs / 2 : 1024);
	add_win(t, (1 + sub) * bs + bm * bs / 2, 1024);
	pd = (1 + sub + bm) * bs;
	add_win(t, pd, 24 * 128);
}

/* makedumpfile's flattened format (QEMU's -z): its header's type, the first records'
 * headers (offset, size) and the start of the data of the first ones (the kdump
 * header and sub-header, laid out by libtce/dump/flat.c before anything reads them). */
static void wins_open_flat(struct tpl *t)
{
	uint64_t pos = 4096, size;
	unsigned n;

	if (t->size < 4096 + 16 || memcmp(t->b, "makedumpfile", 13))
		return;
	add_win(t, 16, 16);
	for (n = 0; n < 64 && pos + 16 <= t->size; n++) {
		add_win(t, pos, 16);
		size = get(t->b + pos + 8, 8, true);
		if (get(t->b + pos, 8, true) == UINT64_MAX || size > t->size - pos - 16)
			break;
		if (n < 2)
			add_win(t, pos + 16, size < 512 ? size : 512);
		pos += 16 + size;
	}
}

/* The vmemmap_list entries, each passed to fn; false if the list cannot be read. */
struct vm_list {
	uint64_t esz, ol, op, ov, head_phys;
	unsigned shift;         /* block shift, 0 unknown */
};

static bool vm_list_params(const struct tpl *t, struct vm_list *l)
{
	uint64_t sym, ps_sym, defs, dsz, oshift, psize, shift;

	if (!vmci(t, "SYMBOL(vmemmap_list)", 16, &sym) || !kv(sym, &l->head_phys) ||
	    !vmci(t, "SIZE(vmemmap_backing)", 10, &l->esz) ||
	    !vmci(t, "OFFSET(vmemmap_backing.list)", 10, &l->ol) ||
	    !vmci(t, "OFFSET(vmemmap_backing.phys)", 10, &l->op) ||
	    !vmci(t, "OFFSET(vmemmap_backing.virt_addr)", 10, &l->ov) || l->esz > 4096 ||
	    l->ol > l->esz - 8 || l->op > l->esz - 8 || l->ov > l->esz - 8)
		return false;
	l->shift = 0;
	if (vmci(t, "SYMBOL(mmu_vmemmap_psize)", 16, &ps_sym) &&
	    vmci(t, "SYMBOL(mmu_psize_defs)", 16, &defs) &&
	    vmci(t, "SIZE(mmu_psize_def)", 10, &dsz) &&
	    vmci(t, "OFFSET(mmu_psize_def.shift)", 10, &oshift) && kv(ps_sym, &ps_sym) &&
	    kv(defs, &defs) && rd(t, ps_sym, 4, t->be, &psize) && psize < 16 &&
	    rd(t, defs + psize * dsz + oshift, 4, t->be, &shift) && shift >= 12 && shift < 40)
		l->shift = shift;
	return true;
}

/* Radix: va -> phys through swapper_pg_dir, as the kernel's tables say. */
static bool radix_xlat(const struct tpl *t, uint64_t va, uint64_t *phys)
{
	unsigned ps = page_shift(t), shift[4] = { 39, 30, 21, ps };
	unsigned bits[4] = { 13, 9, 9, 21 - ps }, lvl;
	uint64_t sym, table, val;

	if (!vmci(t, "SYMBOL(swapper_pg_dir)", 16, &sym) || !kv(sym, &table))
		return false;
	for (lvl = 0; lvl < 4; lvl++) {
		uint64_t idx = (va >> shift[lvl]) & ((1ULL << bits[lvl]) - 1);

		if (!rd(t, table + 8 * idx, 8, true, &val) || !(val >> 63))
			return false;
		if ((val >> 62) & 1 || lvl == 3) {
			uint64_t size = 1ULL << shift[lvl];

			*phys = ((val & 0x00fffffffffff000ULL) & ~(size - 1)) | (va & (size - 1));
			return true;
		}
		table = val & 0x0fffffffffffff00ULL;
	}
	return false;
}

static bool vmemmap_xlat(const struct tpl *t, uint64_t va, uint64_t *phys)
{
	struct vm_list l;
	uint64_t e, p, next, virt, bphys;
	unsigned n;

	if (vm_list_params(t, &l) && l.shift && rd(t, l.head_phys, 8, t->be, &e)) {
		for (n = 0; e && n < LIST_MAX && kv(e, &p); n++) {
			if (!rd(t, p + l.ol, 8, t->be, &next) || !rd(t, p + l.op, 8, t->be, &bphys) ||
			    !rd(t, p + l.ov, 8, t->be, &virt))
				break;
			if (va >= virt && va - virt < (1ULL << l.shift)) {
				*phys = bphys + (va - virt);
				return true;
			}
			e = next;
		}
	}
	return radix_xlat(t, va, phys);
}

static void wins_vmemmap(struct tpl *t)
{
	uint64_t sym, p, e, next, len, roots, first_root = 0, lo = 0, hi = 0, sz;
	struct vm_list l;
	unsigned n;

	if (!vm_list_params(t, &l))
		return;
	add_phys(t, l.head_phys, 8);
	/* the entries, as spans within 4K pages, in list order of the pages */
	if (rd(t, l.head_phys, 8, t->be, &e)) {
		for (n = 0; e && n < LIST_MAX && kv(e, &p); n++) {
			if (hi && (p >> 12 != lo >> 12 || p < lo)) {
				add_phys(t, lo, hi - lo);
				hi = 0;
			}
			if (!hi)
				lo = p;
			if (p + l.esz > hi)
				hi = p + l.esz;
			if (!rd(t, p + l.ol, 8, t->be, &next))
				break;
			e = next;
		}
		if (hi)
			add_phys(t, lo, hi - lo);
	}
	if (vmci(t, "SYMBOL(mmu_vmemmap_psize)", 16, &sym) && kv(sym, &p))
		add_phys(t, p, 4);
	if (vmci(t, "SYMBOL(mmu_psize_defs)", 16, &sym) && kv(sym, &p) &&
	    vmci(t, "SIZE(mmu_psize_def)", 10, &sz) && sz <= 64)
		add_phys(t, p, 16 * sz);
	/* mem_section: the roots, and the sections of the first root */
	if (vmci(t, "SYMBOL(mem_section)", 16, &sym) && kv(sym, &p) &&
	    vmci(t, "LENGTH(mem_section)", 10, &roots)) {
		len = roots * 8 < 512 ? roots * 8 : 512;
		add_phys(t, p, len);
		for (n = 0; n < len / 8 && !first_root; n++)
			if (!rd(t, p + 8 * n, 8, t->be, &first_root))
				break;
		if (first_root && kv(first_root, &p))
			add_phys(t, p, 1024);
	}
}

/* Page tables: the set entries of every table reachable from the root, with their
 * neighbours, as 8-byte slots (in table order, level by level in depth order). */
static void pgt_slots(struct tpl *t, uint64_t table, unsigned lvl, const unsigned *bits,
		      size_t *slots)
{
	uint64_t n = 1ULL << bits[lvl], i, val, from, to, next_free = 0;

	for (i = 0; i < n && *slots < PGT_MAX_SLOTS; i++) {
		if (!rd(t, table + 8 * i, 8, true, &val))
			return;
		if (!val)
			continue;
		/* this entry and one either side */
		from = i ? i - 1 : 0;
		if (from < next_free)
			from = next_free;
		to = i + 1 < n ? i + 1 : i;
		add_phys(t, table + 8 * from, 8 * (to - from + 1));
		*slots += to - from + 1;
		next_free = to + 1;
		if (lvl < 3 && val >> 63 && !((val >> 62) & 1))
			pgt_slots(t, val & 0x0fffffffffffff00ULL, lvl + 1, bits, slots);
	}
}

/* Radix, or hash's Linux page tables (which map vmalloc and io there): what the
 * kernel says, else whether the linear map's PGD entry names a radix PUD's size. */
static bool radix_tables(const struct tpl *t, uint64_t root)
{
	uint64_t radix, val;

	if (vmci(t, "NUMBER(RADIX_MMU)", 10, &radix))
		return radix == 1;
	return rd(t, root, 8, true, &val) && val >> 63 && (val & 0x1f) == 9;
}

static void wins_pgtable(struct tpl *t)
{
	/* index bits from the PGD down: book3s/64/{radix,hash}-{4k,64k}.h */
	static const unsigned radix64k[4] = { 13, 9, 9, 5 }, radix4k[4] = { 13, 9, 9, 9 };
	static const unsigned hash64k[4] = { 8, 10, 10, 8 }, hash4k[4] = { 9, 9, 7, 9 };
	static const uint64_t kvas[] = { 0xc00c000000000000ULL, 0xc008000000000000ULL,
					 0xc0003f0000000000ULL, 0xc0003d0000000000ULL };
	unsigned ps = page_shift(t), shift = ps, i;
	const unsigned *bits;
	uint64_t sym, root;
	size_t slots = 0;

	if (!vmci(t, "SYMBOL(swapper_pg_dir)", 16, &sym) || !kv(sym, &root))
		return;
	bits = radix_tables(t, root) ? (ps == 12 ? radix4k : radix64k) :
	       (ps == 12 ? hash4k : hash64k);
	for (i = 1; i < 4; i++)
		shift += bits[i];
	/* the PGD entries of the vmemmap (0xc00c..., 4K hash: 0xc0003f...), vmalloc
	 * (0xc008..., 4K hash: 0xc0003d...) */
	for (i = 0; i < sizeof(kvas) / sizeof(kvas[0]); i++)
		add_phys(t, root + 8 * ((kvas[i] >> shift) & ((1ULL << bits[0]) - 1)), 8);
	pgt_slots(t, root, 0, bits, &slots);
}

static uint64_t vmemmap_base(const struct tpl *t)
{
	uint64_t v;

	return vmci(t, "SYMBOL(vmemmap)", 16, &v) ? v : 0xc00c000000000000ULL;
}

static void wins_page(struct tpl *t)
{
	uint64_t sz, base = vmemmap_base(t), phys;
	size_t i;

	if (!vmci(t, "SIZE(page)", 10, &sz) || sz < 8 || sz > 4096)
		return;
	for (i = 0; i < fz_page_npfns; i++)
		if (vmemmap_xlat(t, base + fz_page_pfns[i] * sz, &phys))
			add_phys(t, phys, sz);
}

/* FZ_TABLES: the target's own windows, by kernel virtual address (the linear map, or
 * what the radix tables map) */
struct fz_tpl {
	struct tpl t;
};

static bool kva_phys(const struct tpl *t, uint64_t kva, uint64_t *phys)
{
	return kv(kva, phys) || radix_xlat(t, kva, phys);
}

void fz_set_windows(void (*fn)(struct fz_tpl *t, const char *dir, const char *name))
{
	windows_fn = fn;
}

void fz_window(struct fz_tpl *ft, uint64_t kva, uint64_t len)
{
	struct tpl *t = &ft->t;
	uint64_t phys, n;

	/* page by page: a vmalloc address's pages need not be contiguous */
	while (len) {
		n = 4096 - (kva & 4095);
		if (n > len)
			n = len;
		if (kva_phys(t, kva, &phys))
			add_phys(t, phys, n);
		kva += n;
		len -= n;
	}
}

int fz_read(const struct fz_tpl *ft, uint64_t kva, unsigned n, uint64_t *v)
{
	uint64_t phys;

	return kva_phys(&ft->t, kva, &phys) && rd(&ft->t, phys, n, ft->t.be, v) ? 0 : -1;
}

int fz_read_bytes(const struct fz_tpl *ft, uint64_t kva, void *buf, size_t len)
{
	uint8_t *b = buf;
	uint64_t phys, off, n;

	/* page by page, as fz_window() */
	while (len) {
		n = 4096 - (kva & 4095);
		if (n > len)
			n = len;
		if (!kva_phys(&ft->t, kva, &phys) || !phys_off(&ft->t, phys, n, &off))
			return -1;
		memcpy(b, ft->t.b + off, n);
		b += n;
		kva += n;
		len -= n;
	}
	return 0;
}

int fz_vmcoreinfo(const struct fz_tpl *ft, const char *key, int base, uint64_t *v)
{
	return ft->t.vmci_len && vmci(&ft->t, key, base, v) ? 0 : -1;
}

int fz_big_endian(const struct fz_tpl *ft)
{
	return ft->t.be;
}

const char *fz_dir(void)
{
	return tpl_dir;
}

const char *fz_name(void)
{
	return cur ? cur->name : NULL;
}

/* ------------------------------------------------------------------ loading */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load(const char *dir, const char *name)
{
	struct tpl *t = &tpls[ntpl];
	char path[4096];
	struct stat st;
	size_t off = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	memset(t, 0, sizeof(*t));
	t->name = strdup(name);
	t->size = st.st_size;
	if (!t->name)
		die(name, "out of memory");
	/* mapped, not copied to the heap: LeakSanitizer scans the heap for pointers at
	 * every leak check, and templates are tens of megabytes */
	t->b = t->size ? mmap(NULL, t->size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	if (!t->size || t->b == MAP_FAILED) {
		close(fd);
		free(t->name);
		return;
	}
	close(fd);
	parse_elf(t);
	switch (fz_kind) {
	case FZ_OPEN:
		if (t->elf)
			wins_open_elf(t);
		else if (!memcmp(t->b, "makedumpfile", 12))
			wins_open_flat(t);
		else
			wins_open_kdump(t);
		break;
	case FZ_VMEMMAP:
		if (t->vmci_len)
			wins_vmemmap(t);
		break;
	case FZ_PGTABLE:
		if (t->vmci_len)
			wins_pgtable(t);
		break;
	case FZ_PAGE:
		if (t->vmci_len)
			wins_page(t);
		break;
	case FZ_TABLES:
	case FZ_TYPES:
		if (t->vmci_len && windows_fn)
			windows_fn((struct fz_tpl *)t, dir, name);
		break;
	}
	if (!t->nwin) {
		free(t->name);
		munmap(t->b, t->size);
		free(t->load);
		free(t->win);
		return;
	}
	t->fd = memfd_create(name, MFD_CLOEXEC);
	for (off = 0; t->fd >= 0 && off < t->size;) {
		ssize_t n = write(t->fd, t->b + off, t->size - off);

		if (n <= 0)
			die(name, "cannot be copied to memory");
		off += n;
	}
	if (t->fd < 0)
		die(name, "memfd_create failed");
	ntpl++;
}

static void write_seeds(const char *dir)
{
	static const char *const kinds[] = { "open", "vmemmap", "pgtable", "page", "tables",
					     "types" };
	size_t i, j;

	for (i = 0; i < ntpl; i++) {
		const struct tpl *t = &tpls[i];
		char path[4096];
		uint8_t sel = i;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s-%02zu-%s", dir, kinds[fz_kind], i, t->name);
		f = fopen(path, "wb");
		if (!f)
			die(path, "cannot be written");
		fwrite(&sel, 1, 1, f);
		for (j = 0; j < t->nwin; j++)
			fwrite(t->b + t->win[j].off, 1, t->win[j].len, f);
		if (fclose(f))
			die(path, "cannot be written");
	}
	fprintf(stderr, "fuzz harness: %zu seeds in %s\n", ntpl, dir);
	exit(0);
}

void fz_init(enum fz_kind kind)
{
	const char *dir = getenv("TCE_FUZZ_TEMPLATES"), *seeds = getenv("TCE_FUZZ_SEEDS");
	char **names = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *dd;

	fz_kind = kind;
	if (!dir)
		dir = TCE_FUZZ_TEMPLATES;
	tpl_dir = dir;
	dd = opendir(dir);
	if (!dd)
		die(dir, "no templates (make fuzz-templates, or set TCE_FUZZ_TEMPLATES)");
	while ((de = readdir(dd)) != NULL) {
		char **v;

		/* hidden files, and sidecars (NAME.vmlinux...) */
		if (strchr(de->d_name, '.'))
			continue;
		v = realloc(names, (n + 1) * sizeof(*names));
		if (!v || !(v[n] = strdup(de->d_name)))
			die(dir, "out of memory");
		names = v;
		n++;
	}
	closedir(dd);
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		if (ntpl < MAX_TEMPLATES)
			load(dir, names[i]);
		free(names[i]);
	}
	free(names);
	if (!ntpl)
		die(dir, "no template has what this target fuzzes");
	if (seeds)
		write_seeds(seeds);
}

/* ------------------------------------------------------------------ libkdumpfile */

/*
 * libkdumpfile allocates its page cache at every open: 1024 pages, 64 MiB with 64K
 * pages.  Under ASan, mapping, poisoning and quarantining that much each run took
 * ~15 ms, nine tenths of a run.  The targets open through this definition (the
 * executable's wins over the library's), which asks for 16 pages first: libtce
 * reads the same bytes through a smaller cache.  A read holds one of its pages at a
 * time (two with a target's second thread), and no size is safer than another from
 * 0.5.1's lost page buffer (doc/libkdumpfile-defects.md, 14): a cache that has evicted
 * a page, whatever its size, loses a buffer at a failed read, and a small one gets
 * there sooner, after 16 pages rather than 1024.  So the targets try, within a few
 * reads, what keeps libtce clear of it (tce_kd_read() makes the cache anew after
 * every failed read); fuzz-open found it so (fuzz/regress/fuzz-open/).
 */
kdump_status kdump_open_fdset(kdump_ctx_t *ctx, unsigned nfds, const int *fds)
{
	static kdump_status (*real)(kdump_ctx_t *, unsigned, const int *);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "kdump_open_fdset");
	if (!real)
		die("kdump_open_fdset", "not found in libkdumpfile");
	kdump_set_number_attr(ctx, "cache.size", 16);
	return real(ctx, nfds, fds);
}

/* ------------------------------------------------------------------ inputs */

static void overwrite(struct tpl *t, const void *buf, uint64_t len, uint64_t off)
{
	if (nwrites == MAX_WRITES)
		return;
	if (pwrite(t->fd, buf, len, off) != (ssize_t)len)
		die(t->name, "pwrite failed");
	writes[nwrites].off = off;
	writes[nwrites].len = len;
	nwrites++;
}

/* A new note segment at the end of the file: the notes but VMCOREINFO, then
 * VMCOREINFO with tail appended; the PT_NOTE header points at it. */
static void append_vmcoreinfo(struct tpl *t, const uint8_t *tail, size_t tlen)
{
	uint64_t o = t->note_off, end = t->note_off + t->note_len, seg = (t->size + 7) & ~7ULL;
	uint64_t dsz = t->vmci_len + tlen, nlen = 0;
	uint8_t *buf, *p, ph[56];

	buf = malloc(t->note_len + 24 + dsz + 8);
	if (!buf)
		die(t->name, "out of memory");
	p = buf;
	while (o + 12 <= end) {
		uint64_t nsz = get(t->b + o, 4, t->be), d = get(t->b + o + 4, 4, t->be);
		uint64_t desc = o + 12 + ((nsz + 3) & ~3ULL), next = desc + ((d + 3) & ~3ULL);

		if (desc > end || next > end)
			break;
		if (desc != t->vmci_off) {
			memcpy(p, t->b + o, next - o);
			p += next - o;
		}
		o = next;
	}
	put(p, 4, 11, t->be);
	put(p + 4, 4, dsz, t->be);
	put(p + 8, 4, 0, t->be);
	memcpy(p + 12, "VMCOREINFO\0\0", 12);
	memcpy(p + 24, t->b + t->vmci_off, t->vmci_len);
	memcpy(p + 24 + t->vmci_len, tail, tlen);
	p += 24 + dsz;
	while ((p - buf) % 4)
		*p++ = 0;
	nlen = p - buf;
	if (pwrite(t->fd, buf, nlen, seg) != (ssize_t)nlen)
		die(t->name, "pwrite failed");
	free(buf);
	grown = true;
	memcpy(ph, t->b + t->phoff + 56ULL * t->note_ph, 56);
	put(ph + 8, 8, seg, t->be);
	put(ph + 32, 8, nlen, t->be);
	put(ph + 40, 8, nlen, t->be);
	overwrite(t, ph, 56, t->phoff + 56ULL * t->note_ph);
}

int fz_apply(const uint8_t *data, size_t size, const char **name)
{
	struct tpl *t;
	size_t i;

	if (!size)
		return -1;
	t = cur = &tpls[data[0] % ntpl];
	data++;
	size--;
	nwrites = 0;
	grown = false;
	for (i = 0; i < t->nwin && size; i++) {
		uint64_t k = size < t->win[i].len ? size : t->win[i].len;

		overwrite(t, data, k, t->win[i].off);
		data += k;
		size -= k;
	}
	if (size && fz_kind != FZ_OPEN && t->vmci_len)
		append_vmcoreinfo(t, data, size);
	*name = t->name;
	return t->fd;
}

void fz_restore(void)
{
	size_t i;

	if (!cur)
		return;
	for (i = nwrites; i-- > 0;)
		if (pwrite(cur->fd, cur->b + writes[i].off, writes[i].len, writes[i].off) !=
		    (ssize_t)writes[i].len)
			die(cur->name, "pwrite failed");
	if (grown && ftruncate(cur->fd, cur->size))
		die(cur->name, "ftruncate failed");
	nwrites = 0;
	grown = false;
	cur = NULL;
}

/* $TCE_FUZZ_WRITE: the dump an input makes, written to that file (to triage what a
 * target found with tce-inspect, or to make a test of it) */
static void write_dump(int fd, const char *path)
{
	static uint8_t buf[1 << 16];
	off_t off = 0;
	ssize_t n;
	FILE *f = fopen(path, "wb");

	if (!f)
		die(path, "cannot be written");
	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		fwrite(buf, 1, n, f);
		off += n;
	}
	if (fclose(f) || n < 0)
		die(path, "cannot be written");
	fprintf(stderr, "fuzz harness: %s: %lld bytes\n", path, (long long)off);
}

int fz_run(const uint8_t *data, size_t size, void (*body)(struct tce_dump *d))
{
	const char *name, *out = getenv("TCE_FUZZ_WRITE");
	struct tce_dump *d;
	int fd = fz_apply(data, size, &name);

	if (fd < 0)
		return 0;
	if (out) {
		write_dump(fd, out);
		fz_restore();
		return 0;
	}
	d = tce_dump_new();
	if (d && tce_dump_open_fd(d, fd, name) == 0)
		body(d);
	tce_dump_free(d);
	fz_restore();
	return 0;
}
