// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The forge's low layer: sparse physical memory, VMCOREINFO text and the ELF64 core
 * file that carries them.  Memory lives in 64 KiB chunks allocated on first write, so
 * a test can describe a machine of many GiB while the process and the file (written
 * with holes) stay small.  The file looks like /proc/vmcore on ppc64: ELF header, then
 * the program headers at offset 64 (makedumpfile insists on that), one PT_NOTE holding
 * the VMCOREINFO note, one PT_LOAD per RAM region with p_vaddr in the linear map.
 * Faults (enum forge_fault, truncate_bytes) are applied only while writing.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "forge-int.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK_SHIFT 16
#define CHUNK_SIZE (1ULL << CHUNK_SHIFT)
/* file offsets of PT_LOAD data are aligned so that either page size maps cleanly */
#define DATA_ALIGN 0x10000ULL
#define LINEAR_BASE 0xc000000000000000ULL

struct forge_region {
	uint64_t start;
	uint64_t size;
};

struct forge_chunk {
	uint64_t idx;  /* phys >> CHUNK_SHIFT */
	uint8_t *data; /* CHUNK_SIZE bytes */
};

struct forge {
	enum forge_endian endian;
	struct forge_region *regions; /* kept sorted by start */
	size_t nregions;
	struct forge_chunk *chunks; /* kept sorted by idx */
	size_t nchunks;
	size_t chunks_cap;
	char *kernel_text;          /* the kernel layer's VMCOREINFO lines */
	char *user_text;            /* lines added with forge_vmcoreinfo() */
	size_t user_len;
	uint64_t note_phys, note_room; /* forge_set_vmcoreinfo_note(); room 0: none */
	char err[512];
};

int forge_fail(struct forge *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->err, sizeof(f->err), fmt, ap);
	va_end(ap);
	return -1;
}

struct forge *forge_new(enum forge_endian endian)
{
	struct forge *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->endian = endian;
	return f;
}

void forge_free(struct forge *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nchunks; i++)
		free(f->chunks[i].data);
	free(f->chunks);
	free(f->regions);
	free(f->kernel_text);
	free(f->user_text);
	free(f);
}

const char *forge_errmsg(const struct forge *f)
{
	return f->err;
}

enum forge_endian forge_endian(const struct forge *f)
{
	return f->endian;
}

/* ------------------------------------------------------------ regions */

static bool range_ok(uint64_t phys, uint64_t size)
{
	return size && phys + size > phys;
}

static int insert_region(struct forge *f, uint64_t phys, uint64_t size)
{
	struct forge_region *r;
	size_t pos;

	r = realloc(f->regions, (f->nregions + 1) * sizeof(*r));
	if (!r)
		return forge_fail(f, "out of memory");
	f->regions = r;
	for (pos = 0; pos < f->nregions && r[pos].start < phys; pos++)
		;
	memmove(&r[pos + 1], &r[pos], (f->nregions - pos) * sizeof(*r));
	r[pos].start = phys;
	r[pos].size = size;
	f->nregions++;
	return 0;
}

static bool overlaps(const struct forge *f, uint64_t phys, uint64_t size)
{
	size_t i;

	for (i = 0; i < f->nregions; i++) {
		const struct forge_region *r = &f->regions[i];

		if (phys < r->start + r->size && r->start < phys + size)
			return true;
	}
	return false;
}

int forge_add_ram(struct forge *f, uint64_t phys, uint64_t size)
{
	if (!range_ok(phys, size))
		return forge_fail(f, "bad RAM range 0x%llx+0x%llx",
				  (unsigned long long)phys, (unsigned long long)size);
	if (overlaps(f, phys, size))
		return forge_fail(f, "RAM 0x%llx+0x%llx overlaps added RAM",
				  (unsigned long long)phys, (unsigned long long)size);
	return insert_region(f, phys, size);
}

int forge_add_ram_merge(struct forge *f, uint64_t phys, uint64_t size)
{
	size_t i, below = SIZE_MAX, above = SIZE_MAX;

	if (!range_ok(phys, size))
		return forge_fail(f, "bad RAM range 0x%llx+0x%llx",
				  (unsigned long long)phys, (unsigned long long)size);
	if (overlaps(f, phys, size))
		return forge_fail(f, "RAM 0x%llx+0x%llx overlaps added RAM",
				  (unsigned long long)phys, (unsigned long long)size);
	for (i = 0; i < f->nregions; i++) {
		if (f->regions[i].start + f->regions[i].size == phys)
			below = i;
		if (f->regions[i].start == phys + size)
			above = i;
	}
	if (below != SIZE_MAX && above != SIZE_MAX) {
		f->regions[below].size += size + f->regions[above].size;
		memmove(&f->regions[above], &f->regions[above + 1],
			(f->nregions - above - 1) * sizeof(*f->regions));
		f->nregions--;
		return 0;
	}
	if (below != SIZE_MAX) {
		f->regions[below].size += size;
		return 0;
	}
	if (above != SIZE_MAX) {
		f->regions[above].start = phys;
		f->regions[above].size += size;
		return 0;
	}
	return insert_region(f, phys, size);
}

bool forge_is_ram(const struct forge *f, uint64_t phys, uint64_t len)
{
	size_t i;

	if (!len)
		return true;
	if (phys + len < phys)
		return false;
	/* regions are disjoint and sorted; adjacent ones may cover a range together */
	for (i = 0; i < f->nregions && phys < phys + len; i++) {
		const struct forge_region *r = &f->regions[i];

		if (phys < r->start)
			return false;
		if (phys < r->start + r->size) {
			uint64_t end = r->start + r->size;

			if (phys + len <= end)
				return true;
			len -= end - phys;
			phys = end;
		}
	}
	return false;
}

/* ------------------------------------------------------------ chunks */

static size_t chunk_pos(const struct forge *f, uint64_t idx, bool *found)
{
	size_t lo = 0, hi = f->nchunks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->chunks[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < f->nchunks && f->chunks[lo].idx == idx;
	return lo;
}

static uint8_t *chunk_get(struct forge *f, uint64_t idx, bool create)
{
	bool found;
	size_t pos = chunk_pos(f, idx, &found);
	uint8_t *data;

	if (found)
		return f->chunks[pos].data;
	if (!create)
		return NULL;
	if (f->nchunks == f->chunks_cap) {
		size_t cap = f->chunks_cap ? 2 * f->chunks_cap : 64;
		struct forge_chunk *c = realloc(f->chunks, cap * sizeof(*c));

		if (!c)
			return NULL;
		f->chunks = c;
		f->chunks_cap = cap;
	}
	data = calloc(1, CHUNK_SIZE);
	if (!data)
		return NULL;
	memmove(&f->chunks[pos + 1], &f->chunks[pos],
		(f->nchunks - pos) * sizeof(*f->chunks));
	f->chunks[pos].idx = idx;
	f->chunks[pos].data = data;
	f->nchunks++;
	return data;
}

int forge_write(struct forge *f, uint64_t phys, const void *buf, size_t len)
{
	const uint8_t *src = buf;

	if (!forge_is_ram(f, phys, len))
		return forge_fail(f, "write of %zu bytes at 0x%llx: not in added RAM",
				  len, (unsigned long long)phys);
	while (len) {
		uint64_t off = phys & (CHUNK_SIZE - 1);
		size_t n = CHUNK_SIZE - off < len ? CHUNK_SIZE - off : len;
		uint8_t *c = chunk_get(f, phys >> CHUNK_SHIFT, true);

		if (!c)
			return forge_fail(f, "out of memory");
		memcpy(c + off, src, n);
		src += n;
		phys += n;
		len -= n;
	}
	return 0;
}

int forge_read(struct forge *f, uint64_t phys, void *buf, size_t len)
{
	uint8_t *dst = buf;

	if (!forge_is_ram(f, phys, len))
		return forge_fail(f, "read of %zu bytes at 0x%llx: not in added RAM",
				  len, (unsigned long long)phys);
	while (len) {
		uint64_t off = phys & (CHUNK_SIZE - 1);
		size_t n = CHUNK_SIZE - off < len ? CHUNK_SIZE - off : len;
		const uint8_t *c = chunk_get(f, phys >> CHUNK_SHIFT, false);

		if (c)
			memcpy(dst, c + off, n);
		else
			memset(dst, 0, n);
		dst += n;
		phys += n;
		len -= n;
	}
	return 0;
}

/* ------------------------------------------------------------ byte order */

static void store(enum forge_endian e, uint8_t *p, uint64_t v, unsigned bytes)
{
	unsigned i;

	for (i = 0; i < bytes; i++) {
		unsigned shift = 8 * (e == FORGE_LE ? i : bytes - 1 - i);

		p[i] = (uint8_t)(v >> shift);
	}
}

static uint64_t load(enum forge_endian e, const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++) {
		unsigned shift = 8 * (e == FORGE_LE ? i : bytes - 1 - i);

		v |= (uint64_t)p[i] << shift;
	}
	return v;
}

static int put_n(struct forge *f, uint64_t phys, uint64_t v, unsigned bytes)
{
	uint8_t b[8];

	store(f->endian, b, v, bytes);
	return forge_write(f, phys, b, bytes);
}

int forge_put_u64(struct forge *f, uint64_t phys, uint64_t v)
{
	return put_n(f, phys, v, 8);
}

int forge_put_u32(struct forge *f, uint64_t phys, uint32_t v)
{
	return put_n(f, phys, v, 4);
}

int forge_put_u16(struct forge *f, uint64_t phys, uint16_t v)
{
	return put_n(f, phys, v, 2);
}

int forge_put_u8(struct forge *f, uint64_t phys, uint8_t v)
{
	return put_n(f, phys, v, 1);
}

int forge_get_u64(struct forge *f, uint64_t phys, uint64_t *v)
{
	uint8_t b[8];

	if (forge_read(f, phys, b, sizeof(b)))
		return -1;
	*v = load(f->endian, b, 8);
	return 0;
}

/* ------------------------------------------------------------ VMCOREINFO */

int forge_vmcoreinfo(struct forge *f, const char *fmt, ...)
{
	va_list ap;
	char *line, *text;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return forge_fail(f, "out of memory");
	if (strchr(line, '\n')) {
		free(line);
		return forge_fail(f, "VMCOREINFO line contains a newline");
	}
	text = realloc(f->user_text, f->user_len + (size_t)n + 2);
	if (!text) {
		free(line);
		return forge_fail(f, "out of memory");
	}
	memcpy(text + f->user_len, line, (size_t)n);
	f->user_len += (size_t)n;
	text[f->user_len++] = '\n';
	text[f->user_len] = '\0';
	f->user_text = text;
	free(line);
	return 0;
}

int forge_set_kernel_vmcoreinfo(struct forge *f, const char *text)
{
	char *copy = strdup(text);

	if (!copy)
		return forge_fail(f, "out of memory");
	free(f->kernel_text);
	f->kernel_text = copy;
	return 0;
}

/* The note's text: kernel lines then user lines, minus OSRELEASE if that fault is on. */
static char *note_text(struct forge *f, unsigned faults, size_t *len)
{
	const char *parts[2] = { f->kernel_text, f->user_text };
	size_t cap = 1, used = 0, i;
	char *out;

	for (i = 0; i < 2; i++)
		cap += parts[i] ? strlen(parts[i]) : 0;
	out = malloc(cap);
	if (!out)
		return NULL;
	for (i = 0; i < 2; i++) {
		const char *p = parts[i];

		while (p && *p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);

			if (!((faults & FORGE_FAULT_NO_OSRELEASE) &&
			      !strncmp(p, "OSRELEASE=", 10))) {
				memcpy(out + used, p, n);
				used += n;
			}
			p += n;
		}
	}
	out[used] = '\0';
	*len = used;
	return out;
}

int forge_set_vmcoreinfo_note(struct forge *f, uint64_t phys, uint64_t room)
{
	if (!room || !forge_is_ram(f, phys, room))
		return forge_fail(f, "the VMCOREINFO note's pages are not RAM");
	f->note_phys = phys;
	f->note_room = room;
	return 0;
}

/* ------------------------------------------------------------ the file */

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* Something that is no ELF file (but is not empty either), reproducibly. */
static int write_garbage(struct forge *f, int fd)
{
	uint8_t buf[4096];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)x;
	}
	memcpy(buf, "GARBAGE!", 8);
	if (pwrite_all(fd, buf, sizeof(buf), 0))
		return forge_fail(f, "write: %s", strerror(errno));
	return 0;
}

static void put_ehdr(enum forge_endian e, uint8_t *p, unsigned faults,
		     uint16_t phnum)
{
	memset(p, 0, sizeof(Elf64_Ehdr));
	memcpy(p, ELFMAG, SELFMAG);
	p[EI_CLASS] = ELFCLASS64;
	p[EI_DATA] = e == FORGE_LE ? ELFDATA2LSB : ELFDATA2MSB;
	p[EI_VERSION] = EV_CURRENT;
	p[EI_OSABI] = ELFOSABI_NONE;
	store(e, p + offsetof(Elf64_Ehdr, e_type), ET_CORE, 2);
	store(e, p + offsetof(Elf64_Ehdr, e_machine),
	      (faults & FORGE_FAULT_MACHINE_X86_64) ? EM_X86_64 : EM_PPC64, 2);
	store(e, p + offsetof(Elf64_Ehdr, e_version), EV_CURRENT, 4);
	store(e, p + offsetof(Elf64_Ehdr, e_phoff), sizeof(Elf64_Ehdr), 8);
	store(e, p + offsetof(Elf64_Ehdr, e_ehsize), sizeof(Elf64_Ehdr), 2);
	store(e, p + offsetof(Elf64_Ehdr, e_phentsize), sizeof(Elf64_Phdr), 2);
	store(e, p + offsetof(Elf64_Ehdr, e_phnum), phnum, 2);
}

static void put_phdr(enum forge_endian e, uint8_t *p, uint32_t type, uint64_t off,
		     uint64_t vaddr, uint64_t paddr, uint64_t size)
{
	memset(p, 0, sizeof(Elf64_Phdr));
	store(e, p + offsetof(Elf64_Phdr, p_type), type, 4);
	store(e, p + offsetof(Elf64_Phdr, p_flags),
	      type == PT_LOAD ? PF_R | PF_W | PF_X : 0, 4);
	store(e, p + offsetof(Elf64_Phdr, p_offset), off, 8);
	store(e, p + offsetof(Elf64_Phdr, p_vaddr), vaddr, 8);
	store(e, p + offsetof(Elf64_Phdr, p_paddr), paddr, 8);
	store(e, p + offsetof(Elf64_Phdr, p_filesz), size, 8);
	store(e, p + offsetof(Elf64_Phdr, p_memsz), size, 8);
}

/* The VMCOREINFO note as the kernel's append_elf_note() lays it out. */
static uint8_t *build_note(struct forge *f, const char *text, size_t tlen,
			   size_t *nlen);

/* QEMU 7.2's section names: "", ".shstrtab" */
#define QEMU_SHSTRTAB "\0.shstrtab"

/* QEMU's ppc64 CORE notes of one CPU, zeroed, in byte order e: PRSTATUS (QEMU's
 * PPCElfPrstatus, 504 bytes), FPREGSET (264), VMX (544), VSX (256). */
static uint8_t *qemu_notes(enum forge_endian e, size_t *len)
{
	static const struct { uint32_t type, size; } n[] = {
		{ NT_PRSTATUS, 504 }, { NT_PRFPREG, 264 }, { NT_PPC_VMX, 544 },
		{ NT_PPC_VSX, 256 },
	};
	size_t i, total = 0, at = 0;
	uint8_t *p;

	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		total += 12 + 8 + n[i].size;
	p = calloc(1, total);
	if (!p)
		return NULL;
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		store(e, p + at, 5, 4);
		store(e, p + at + 4, n[i].size, 4);
		store(e, p + at + 8, n[i].type, 4);
		memcpy(p + at + 12, "CORE", 5);
		at += 12 + 8 + n[i].size;
	}
	*len = total;
	return p;
}

/* The note in guest memory (and its faulty copies), as the kernel keeps it. */
static int put_guest_note(struct forge *f, unsigned faults, const char *text, size_t tlen)
{
	uint8_t *note = NULL;
	char *alt = NULL;
	size_t nlen, half = f->note_room / 2;
	int ret = -1;

	if (!f->note_room || (faults & FORGE_FAULT_QEMU_NO_NOTE))
		return 0;
	if (faults & FORGE_FAULT_QEMU_STALE_NOTE) {
		const char *os = strstr(text, "OSRELEASE=");
		const char *eol = os ? strchr(os, '\n') : NULL;

		if (!eol)
			return forge_fail(f, "stale note: no OSRELEASE line");
		if (asprintf(&alt, "%.*s-old%s", (int)(eol - text), text, eol) < 0)
			return forge_fail(f, "out of memory");
		text = alt;
		tlen = strlen(alt);
	}
	note = build_note(f, text, tlen, &nlen);
	if (!note) {
		forge_fail(f, "out of memory");
		goto out;
	}
	if (nlen > half) {
		forge_fail(f, "the VMCOREINFO note (%zu bytes) exceeds its pages", nlen);
		goto out;
	}
	if (forge_write(f, f->note_phys, note, nlen))
		goto out;
	if (faults & FORGE_FAULT_QEMU_TWO_NOTES) {
		/* the same kernel's note with one more line: another, different note */
		free(alt);
		if (asprintf(&alt, "%.*sQEMU_TEST_EXTRA=1\n", (int)tlen, text) < 0) {
			alt = NULL;
			forge_fail(f, "out of memory");
			goto out;
		}
		free(note);
		note = build_note(f, alt, strlen(alt), &nlen);
		if (!note || nlen > half) {
			forge_fail(f, "the second VMCOREINFO note does not fit");
			goto out;
		}
		if (forge_write(f, f->note_phys + half, note, nlen))
			goto out;
	}
	ret = 0;
out:
	free(alt);
	free(note);
	return ret;
}

static uint8_t *build_note(struct forge *f, const char *text, size_t tlen,
			   size_t *nlen)
{
	static const char name[] = "VMCOREINFO";
	size_t namesz = sizeof(name), len;
	uint8_t *n;

	len = 12 + align_up(namesz, 4) + align_up(tlen, 4);
	n = calloc(1, len);
	if (!n)
		return NULL;
	store(f->endian, n, namesz, 4);
	store(f->endian, n + 4, tlen, 4);
	store(f->endian, n + 8, 0, 4);
	memcpy(n + 12, name, namesz);
	memcpy(n + 12 + align_up(namesz, 4), text, tlen);
	*nlen = len;
	return n;
}

static int write_file(struct forge *f, const char *path,
		      const struct forge_write_opts *opts);

static int write_regions(struct forge *f, int fd, const uint64_t *offsets)
{
	size_t r, c;

	for (r = 0; r < f->nregions; r++) {
		const struct forge_region *rg = &f->regions[r];
		bool found;

		/* only chunks that were written: the rest of the region is a hole */
		c = chunk_pos(f, rg->start >> CHUNK_SHIFT, &found);
		for (; c < f->nchunks; c++) {
			uint64_t cstart = f->chunks[c].idx << CHUNK_SHIFT;
			uint64_t lo = cstart > rg->start ? cstart : rg->start;
			uint64_t hi = cstart + CHUNK_SIZE;

			if (cstart >= rg->start + rg->size)
				break;
			if (hi > rg->start + rg->size)
				hi = rg->start + rg->size;
			if (pwrite_all(fd, f->chunks[c].data + (lo - cstart), hi - lo,
				       offsets[r] + (lo - rg->start)))
				return forge_fail(f, "write: %s", strerror(errno));
		}
	}
	return 0;
}

static int write_core(struct forge *f, int fd, unsigned faults, uint64_t truncate,
		      uint64_t *size_out)
{
	bool qemu = faults & FORGE_FAULT_QEMU;
	bool with_note = !(faults & FORGE_FAULT_NO_VMCOREINFO);
	/* QEMU writes its headers big-endian (unless told otherwise), whatever the
	 * guest's order */
	enum forge_endian he = !qemu ? f->endian :
		(faults & FORGE_FAULT_QEMU_LE_HEADERS) ? FORGE_LE : FORGE_BE;
	size_t tlen = 0, nlen = 0, nph, hdr_len, ph_at, i;
	uint8_t *hdr = NULL, *note = NULL;
	uint64_t *offsets = NULL, off, total, strtab_at = 0;
	char *text = NULL;
	int ret = -1;

	text = note_text(f, faults, &tlen);
	if (!text) {
		forge_fail(f, "out of memory");
		goto out;
	}
	if (put_guest_note(f, faults, text, tlen))
		goto out;
	if (qemu) {
		/* the file's notes are QEMU's CORE notes instead */
		free(text);
		text = NULL;
		note = qemu_notes(he, &nlen);
		if (!note) {
			forge_fail(f, "out of memory");
			goto out;
		}
		faults |= FORGE_FAULT_VADDR_EQ_PADDR;
		with_note = true;
	}
	nph = f->nregions + (with_note ? 1 : 0);
	if (nph > 0xffff) {
		forge_fail(f, "too many program headers (%zu)", nph);
		goto out;
	}
	if (with_note && !qemu) {
		if (!(note = build_note(f, text, tlen, &nlen))) {
			forge_fail(f, "out of memory");
			goto out;
		}
	}
	/* QEMU 7.2: two section headers (the null one, the section names) before the
	 * program headers, the names at the end of the file */
	ph_at = sizeof(Elf64_Ehdr) + (qemu ? 2 * sizeof(Elf64_Shdr) : 0);
	hdr_len = ph_at + nph * sizeof(Elf64_Phdr);
	hdr = calloc(1, hdr_len);
	offsets = calloc(f->nregions + 1, sizeof(*offsets));
	if (!hdr || !offsets) {
		forge_fail(f, "out of memory");
		goto out;
	}
	put_ehdr(he, hdr, faults, (uint16_t)nph);

	off = align_up(hdr_len + nlen, DATA_ALIGN);
	for (i = 0; i < f->nregions; i++) {
		offsets[i] = off;
		off = align_up(off + f->regions[i].size, DATA_ALIGN);
	}
	total = f->nregions ? offsets[f->nregions - 1] + f->regions[f->nregions - 1].size
			    : hdr_len + nlen;
	if (qemu) {
		uint8_t *sh = hdr + sizeof(Elf64_Ehdr) + sizeof(Elf64_Shdr);
		/* QEMU 7.2 writes the section headers in its host's byte order, not the
		 * file's: little-endian, on x86 */
		enum forge_endian se = (faults & FORGE_FAULT_QEMU_SHDR_FILE_ORDER) ? he :
			FORGE_LE;

		store(he, hdr + offsetof(Elf64_Ehdr, e_phoff), ph_at, 8);
		store(he, hdr + offsetof(Elf64_Ehdr, e_shoff), sizeof(Elf64_Ehdr), 8);
		store(he, hdr + offsetof(Elf64_Ehdr, e_shentsize), sizeof(Elf64_Shdr), 2);
		store(he, hdr + offsetof(Elf64_Ehdr, e_shnum), 2, 2);
		store(he, hdr + offsetof(Elf64_Ehdr, e_shstrndx), 1, 2);
		store(se, sh + offsetof(Elf64_Shdr, sh_name), 1, 4);
		store(se, sh + offsetof(Elf64_Shdr, sh_type), SHT_STRTAB, 4);
		store(se, sh + offsetof(Elf64_Shdr, sh_offset), total, 8);
		store(se, sh + offsetof(Elf64_Shdr, sh_size), sizeof(QEMU_SHSTRTAB), 8);
		store(se, sh + offsetof(Elf64_Shdr, sh_addralign), 1, 8);
		strtab_at = total;
		total += sizeof(QEMU_SHSTRTAB);
	}

	i = 0;
	if (with_note)
		put_phdr(he, hdr + ph_at + sizeof(Elf64_Phdr) * i++,
			 PT_NOTE, hdr_len, 0, 0, nlen);
	for (size_t r = 0; r < f->nregions; r++) {
		uint64_t p = f->regions[r].start;
		uint64_t v = (faults & FORGE_FAULT_VADDR_EQ_PADDR) ? p : LINEAR_BASE | p;

		put_phdr(he, hdr + ph_at + sizeof(Elf64_Phdr) * i++,
			 PT_LOAD, offsets[r], v, p, f->regions[r].size);
	}

	if (truncate > total) {
		forge_fail(f, "cannot cut %llu bytes off a %llu-byte file",
			   (unsigned long long)truncate, (unsigned long long)total);
		goto out;
	}
	if (pwrite_all(fd, hdr, hdr_len, 0) ||
	    (nlen && pwrite_all(fd, note, nlen, hdr_len))) {
		forge_fail(f, "write: %s", strerror(errno));
		goto out;
	}
	if (write_regions(f, fd, offsets))
		goto out;
	if (strtab_at && pwrite_all(fd, QEMU_SHSTRTAB, sizeof(QEMU_SHSTRTAB), strtab_at)) {
		forge_fail(f, "write: %s", strerror(errno));
		goto out;
	}
	/* extends with a hole where the last region ends unwritten, cuts otherwise */
	if (ftruncate(fd, (off_t)(total - truncate))) {
		forge_fail(f, "ftruncate: %s", strerror(errno));
		goto out;
	}
	*size_out = total - truncate;
	ret = 0;
out:
	free(text);
	free(note);
	free(hdr);
	free(offsets);
	return ret;
}

/* The runs of written chunks inside RAM, as regions (written_only). */
static int written_runs(struct forge *f, uint64_t whole_from, struct forge_region **out,
			size_t *nout)
{
	struct forge_region *runs = NULL;
	size_t n = 0, cap = 0, r, c;

	for (r = 0; r < f->nregions; r++) {
		const struct forge_region *rg = &f->regions[r];
		bool found, whole = whole_from && rg->start >= whole_from;

		c = chunk_pos(f, rg->start >> CHUNK_SHIFT, &found);
		for (; whole || c < f->nchunks; c++) {
			uint64_t cstart = whole ? rg->start : f->chunks[c].idx << CHUNK_SHIFT;
			uint64_t lo = cstart > rg->start ? cstart : rg->start;
			uint64_t hi = whole ? rg->start + rg->size : cstart + CHUNK_SIZE;

			if (!whole && cstart >= rg->start + rg->size)
				break;
			if (hi > rg->start + rg->size)
				hi = rg->start + rg->size;
			whole = false;
			if (hi == rg->start + rg->size)
				c = f->nchunks; /* region done */
			if (n && runs[n - 1].start + runs[n - 1].size == lo) {
				runs[n - 1].size += hi - lo;
				continue;
			}
			if (n == cap) {
				struct forge_region *g;

				cap = cap ? 2 * cap : 64;
				g = realloc(runs, cap * sizeof(*runs));
				if (!g) {
					free(runs);
					return forge_fail(f, "out of memory");
				}
				runs = g;
			}
			runs[n].start = lo;
			runs[n++].size = hi - lo;
		}
	}
	*out = runs;
	*nout = n;
	return 0;
}

/* f's regions cut into pieces of at most step bytes, in descending order if asked */
static int cut_regions(struct forge *f, uint64_t step, bool descending,
		       struct forge_region **out, size_t *nout)
{
	struct forge_region *v;
	size_t n = 0, r;
	uint64_t at;

	for (r = 0; r < f->nregions; r++)
		n += f->regions[r].size / step + 1;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return forge_fail(f, "out of memory");
	n = 0;
	for (r = 0; r < f->nregions; r++)
		for (at = 0; at < f->regions[r].size; at += step) {
			uint64_t left = f->regions[r].size - at;

			v[n].start = f->regions[r].start + at;
			v[n++].size = left < step ? left : step;
			if (left <= step)
				break;
		}
	for (r = 0; descending && r < n / 2; r++) {
		struct forge_region t = v[r];

		v[r] = v[n - 1 - r];
		v[n - 1 - r] = t;
	}
	*out = v;
	*nout = n;
	return 0;
}

int forge_write_file(struct forge *f, const char *path,
		     const struct forge_write_opts *opts)
{
	struct forge_region *saved = f->regions, *v = NULL;
	size_t nsaved = f->nregions, n = 0;
	struct forge_write_opts o;
	int ret;

	if (!opts || (!opts->written_only && !opts->split_bytes && !opts->descending))
		return write_file(f, path, opts);
	/* the file written with other regions in f's place: the runs of written chunks
	 * first, then those cut */
	o = *opts;
	if (opts->written_only) {
		ret = written_runs(f, opts->whole_from, &v, &n);
		o.written_only = false;
	} else {
		ret = cut_regions(f, opts->split_bytes ? opts->split_bytes : UINT64_MAX,
				  opts->descending, &v, &n);
		o.split_bytes = 0;
		o.descending = false;
	}
	if (ret)
		return -1;
	f->regions = v;
	f->nregions = n;
	ret = forge_write_file(f, path, &o);
	f->regions = saved;
	f->nregions = nsaved;
	free(v);
	return ret;
}

static int write_file(struct forge *f, const char *path,
		      const struct forge_write_opts *opts)
{
	unsigned faults = opts ? opts->faults : 0;
	uint64_t truncate = opts ? opts->truncate_bytes : 0;
	uint64_t size = 0;
	int fd, ret;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return forge_fail(f, "%s: %s", path, strerror(errno));
	if (faults & FORGE_FAULT_NOT_ELF)
		ret = write_garbage(f, fd);
	else
		ret = write_core(f, fd, faults, truncate, &size);
	if (close(fd) && !ret)
		ret = forge_fail(f, "close %s: %s", path, strerror(errno));
	if (ret)
		unlink(path);
	return ret;
}
