// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Guest dumps taken by the hypervisor: QEMU's dump-guest-memory (and virsh dump
 * --memory-only, which asks QEMU for it) of a ppc64 pseries or powernv guest.  QEMU 7.2
 * gets two things wrong there (FIELD-NOTES §3): the ELF header, program headers and its
 * own CORE notes are big-endian for a little-endian pseries guest, and there is no
 * VMCOREINFO (QEMU takes it from the fw_cfg vmcoreinfo device, which these machines
 * lack); it also writes p_vaddr = p_paddr where /proc/vmcore writes the linear map.  Its
 * kdump-compressed output (-z: makedumpfile's flattened format, which flat.c lays out
 * first, or the file makedumpfile -R made of it) has the same two faults and names no
 * architecture (utsname.machine "Unknown").
 *
 * Such a dump is recognised by that shape only (ppc64, no VMCOREINFO anywhere, every
 * PT_LOAD's p_vaddr its p_paddr and no note but QEMU's CORE notes; or a kdump file of
 * machine "Unknown" without VMCOREINFO) and repaired in memory, the file untouched:
 * the file is read as QEMU wrote it (its headers agree with each other, so physical
 * reads are right), and libtce takes the byte order and VMCOREINFO from the
 * guest's own VMCOREINFO note, found in guest memory.  The kernel keeps that note in
 * pages of its own (crash_save_vmcoreinfo_init(): alloc_pages_exact(), so at the start
 * of a page): every 4 KiB of memory is looked at, and a note counts only if it is
 * well-formed, VMCOREINFO's checks pass (notescan.c), it starts a page of its PAGESIZE,
 * and the kernel it describes is the one in memory (init_uts_ns, at SYMBOL(init_uts_ns)
 * + OFFSET(uts_namespace.name), holds OSRELEASE).  Several such notes that differ are
 * refused as ambiguous; none is refused.  Headers little-endian for a big-endian guest
 * are not QEMU's fault and are refused too.
 *
 * An ELF file of QEMU's is known by its headers alone (tce_qemu_probe_elf(), before
 * libkdumpfile), and read from its PT_LOADs (tce_elf_read()), never by libkdumpfile:
 * QEMU 7.2 writes its two section headers in its host's byte order, little-endian on
 * x86 in a big-endian file, and libkdumpfile 0.5.1 allocates what their sh_size says
 * read the other way (doc/libkdumpfile-defects.md, 9); nor does it know a page size
 * without VMCOREINFO.  A kdump-compressed file of QEMU's is read by libkdumpfile, told the
 * page size.  tce_dump_write_repaired() writes the repaired file in the input's form.
 * An ELF file: the same bytes, the headers rewritten in the guest's byte order at
 * offset 64 (makedumpfile wants them there), QEMU's PT_NOTE dropped, p_vaddr in the
 * linear map, the guest's VMCOREINFO note appended.  A kdump-compressed file stays
 * one (the pages stay compressed, a file a seventh of the ELF's): header, sub-header
 * and page descriptors in the guest's byte order, the guest's utsname, the VMCOREINFO
 * note as the sub-header's notes, the bitmaps and pages copied (write_diskdump());
 * but QEMU writes 64 KiB blocks for a guest of 4 KiB pages too, which such a file
 * cannot say: that one is written as an ELF vmcore (write_diskdump_elf()).
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump/dump-priv.h"

/* The kernel's note pages start on its page boundary: 4 KiB is the smallest. */
#define SCAN_STRIDE 4096ULL
#define SCAN_CHUNK (1ULL << 20)
/* Elf64_Nhdr, then "VMCOREINFO" with its NUL (11 bytes) padded to 12 */
#define NOTE_HEAD 24
#define VMCI_NAME "VMCOREINFO"
/* struct new_utsname: six strings of 65 bytes; release is the third */
#define UTS_LEN 65
#define UTS_RELEASE (2 * UTS_LEN)
/* makedumpfile's disk_dump_header: utsname.machine, as diskscan.c reads it */
#define DH_UTS_MACHINE (12 + 4 * 65)
/* QEMU's ELF_MACHINE_UNAME where the target defines none (ppc) */
#define QEMU_UNAME "Unknown"
/* At most this many notes with QEMU's names (one PRSTATUS and a few more a CPU) */
#define QEMU_NOTES_MAX (1ULL << 24)

struct tce_qemu {
	bool elf;               /* else a kdump-compressed file */
	bool hdr_be;            /* the byte order QEMU wrote the headers in */
	bool guest_be;          /* the guest's, from its VMCOREINFO note */
	uint64_t note_phys;     /* where the note was found */
	unsigned copies;        /* identical notes found (1: one) */
	unsigned char *note;    /* the note as the kernel wrote it (header, name, text) */
	size_t note_len;        /* padded to 4 bytes */
	char *what;             /* one line: what was repaired */
};

struct scan {
	struct tce_qemu *q;
	unsigned char *buf;
	uint64_t first_bad;     /* the first note-shaped page that was not the kernel's */
	char why[200];          /* and why */
	bool found;
};

static void put(unsigned char *p, unsigned n, uint64_t v, bool be)
{
	unsigned i;

	for (i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Guest physical memory as the file holds it: 0, or -TCE_ENODATA / -TCE_EIO. */
static int read_phys(struct tce_dump *d, uint64_t addr, void *buf, size_t len)
{
	size_t got = len;
	kdump_status ks;

	if (d->qemu->elf)
		return tce_elf_read(d, addr, buf, len);
	if (d->dd) {
		int ret = tce_diskdump_check(d, addr, len);

		if (ret) {
			tce_clear_err(d);
			return ret;
		}
	}
	ks = tce_kd_read(d, KDUMP_MACHPHYSADDR, addr, buf, &got, NULL, 0);
	if (ks != KDUMP_OK || got != len)
		return ks == KDUMP_ERR_SYSTEM ? -TCE_EIO : -TCE_ENODATA;
	return 0;
}

/* The value of key in VMCOREINFO text (the last line wins), or NULL; *vlen its length. */
static const char *vmci_value(const char *text, size_t len, const char *key, size_t *vlen)
{
	const char *p = text, *end = text + len, *found = NULL, *nl;
	size_t klen = strlen(key);

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if ((size_t)(nl - p) > klen && !memcmp(p, key, klen) && p[klen] == '=') {
			found = p + klen + 1;
			*vlen = (size_t)(nl - found);
		}
	}
	return found;
}

static bool vmci_number(const char *text, size_t len, const char *key, int base,
			uint64_t *v)
{
	char buf[32], *e;
	size_t n;
	const char *s = vmci_value(text, len, key, &n);

	if (!s || !n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*v = strtoull(buf, &e, base);
	return !errno && !*e;
}

/* Why the note at phys is not the kernel's (s->why; the first one is kept). */
static void reject(struct scan *s, uint64_t phys, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void reject(struct scan *s, uint64_t phys, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->why[0])
		return;
	s->first_bad = phys;
	n = snprintf(s->why, sizeof(s->why), "the VMCOREINFO note at physical 0x%llx ",
		     (unsigned long long)phys);
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(s->why))
		vsnprintf(s->why + n, sizeof(s->why) - (size_t)n, fmt, ap);
	va_end(ap);
}

/*
 * A note-shaped page at phys (its first bytes in head): is it the kernel's VMCOREINFO
 * note?  0 (taken, or rejected with s->why), or a negative error that ends the scan.
 */
static int candidate(struct tce_dump *d, struct scan *s, uint64_t phys,
		     const unsigned char *head, bool be)
{
	struct tce_qemu *q = s->q;
	uint32_t descsz = tce_get32(head + 4, be);
	uint64_t pagesize = 0, sym, off, rel;
	size_t len = NOTE_HEAD + align_up(descsz, 4), osl;
	char uts[UTS_LEN + 1] = "", *text;
	const char *os;
	unsigned char *note;
	int ret;

	if (!descsz || descsz > 65536) {
		reject(s, phys, "has a text of %u bytes", descsz);
		return 0;
	}
	note = calloc(1, len);
	if (!note)
		return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", d->path);
	if (read_phys(d, phys, note, len)) {
		reject(s, phys, "is cut off by the end of the memory the dump holds");
		free(note);
		return 0;
	}
	text = (char *)note + NOTE_HEAD;
	/* libkdumpfile never sees it, but the parser and the walkers do */
	ret = tce_vmci_precheck(d, text, descsz, &pagesize);
	if (ret) {
		if (ret == -TCE_ENOMEM) {
			free(note);
			return ret;
		}
		reject(s, phys, "is not a kernel's: %s", tce_errmsg(d) + strlen(d->path) + 2);
		tce_clear_err(d);
		free(note);
		return 0;
	}
	os = vmci_value(text, descsz, "OSRELEASE", &osl);
	if (!os || !osl || osl >= UTS_LEN || !pagesize) {
		reject(s, phys, "has no OSRELEASE or PAGESIZE");
		free(note);
		return 0;
	}
	if (phys % pagesize) {
		reject(s, phys, "does not start a page of its PAGESIZE=%llu",
		       (unsigned long long)pagesize);
		free(note);
		return 0;
	}
	/* the kernel in memory is the one the note describes: its init_uts_ns */
	if (!vmci_number(text, descsz, "SYMBOL(init_uts_ns)", 16, &sym) ||
	    !vmci_number(text, descsz, "OFFSET(uts_namespace.name)", 10, &off)) {
		reject(s, phys, "has no SYMBOL(init_uts_ns) or OFFSET(uts_namespace.name)");
		free(note);
		return 0;
	}
	rel = sym - TCE_LINEAR_BASE + off + UTS_RELEASE;
	if (sym < TCE_LINEAR_BASE || off > 4096 || rel < sym - TCE_LINEAR_BASE ||
	    read_phys(d, rel, uts, UTS_LEN)) {
		reject(s, phys, "names init_uts_ns at 0x%llx, which is not in the dump",
		       (unsigned long long)sym);
		free(note);
		return 0;
	}
	uts[UTS_LEN] = '\0';
	if (strlen(uts) != osl || memcmp(uts, os, osl)) {
		reject(s, phys, "is not the running kernel's: OSRELEASE=%.*s, but init_uts_ns "
		       "says %.64s", (int)osl, os, uts);
		free(note);
		return 0;
	}
	if (!s->found) {
		s->found = true;
		q->guest_be = be;
		q->note_phys = phys;
		q->note = note;
		q->note_len = len;
		q->copies = 1;
		return 0;
	}
	if (len == q->note_len && be == q->guest_be && !memcmp(note, q->note, len)) {
		q->copies++;
		free(note);
		return 0;
	}
	free(note);
	return tce_set_err(d, TCE_EFORMAT, "%s: a QEMU dump-guest-memory file without "
			   "VMCOREINFO, and guest memory holds two different VMCOREINFO notes "
			   "of the running kernel (at physical 0x%llx and 0x%llx): which one "
			   "is this dump's is ambiguous", d->path,
			   (unsigned long long)q->note_phys, (unsigned long long)phys);
}

/* The note-shaped pages of [start, start + len), read a chunk at a time. */
static int scan_range(struct tce_dump *d, struct scan *s, uint64_t start, uint64_t len,
		      uint64_t unit)
{
	uint64_t a = align_up(start, SCAN_STRIDE), end = start + len, o;
	uint64_t cap = unit ? unit : SCAN_CHUNK;
	static const char name[12] = VMCI_NAME;
	int ret;

	if (end < start)
		end = UINT64_MAX;

	while (a < end && end - a >= NOTE_HEAD) {
		uint64_t n = end - a < cap ? end - a : cap, next;

		/* a kdump-compressed file: on to the next page its bitmap names, the
		 * empty stretches skipped a bitmap chunk at a time (a header may claim
		 * millions of pages of which the file holds a few thousand) */
		if (d->dd && tce_dump_next_held(d, a, &next) == 1 && next > a) {
			a = next;
			continue;
		}
		if (read_phys(d, a, s->buf, n)) {
			/* not in the dump (an excluded page, a hole): the next unit */
			a += n;
			continue;
		}
		for (o = 0; o + NOTE_HEAD <= n; o += SCAN_STRIDE) {
			const unsigned char *p = s->buf + o;
			bool be;

			if (memcmp(p + 12, name, 11))
				continue;
			if (tce_get32(p, false) == 11 && tce_get32(p + 8, false) == 0)
				be = false;
			else if (tce_get32(p, true) == 11 && tce_get32(p + 8, true) == 0)
				be = true;
			else
				continue;
			ret = candidate(d, s, a + o, p, be);
			if (ret)
				return ret;
		}
		if (a + n < a)
			break;
		a += n;
	}
	return 0;
}

/* Every page of guest memory the file holds. */
static int find_note(struct tce_dump *d, struct tce_qemu *q)
{
	struct scan s = { .q = q };
	unsigned i;
	int ret = 0;

	s.buf = calloc(1, SCAN_CHUNK);
	if (!s.buf)
		return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", d->path);
	if (q->elf) {
		for (i = 0; i < d->nranges && !ret; i++)
			ret = scan_range(d, &s, d->ranges[i].start, d->ranges[i].avail, 0);
	} else {
		uint64_t bs = tce_diskdump_block_size(d);

		ret = scan_range(d, &s, 0, tce_diskdump_end(d), bs);
	}
	free(s.buf);
	if (ret)
		return ret;
	if (!s.found && s.why[0])
		return tce_set_err(d, TCE_EUNSUPP, "%s: a QEMU dump-guest-memory file without "
				   "VMCOREINFO, and %s: refused", d->path, s.why);
	if (!s.found)
		return tce_set_err(d, TCE_EUNSUPP, "%s: a QEMU dump-guest-memory file without "
				   "VMCOREINFO, and none of its guest memory holds the kernel's "
				   "VMCOREINFO note (a kernel before 4.13, or its pages not in "
				   "the dump): refused", d->path);
	return 0;
}

/* A QEMU ELF dump's other marks: p_vaddr = p_paddr, only QEMU's notes.  1 if so. */
static int elf_is_qemu(struct tce_dump *d, bool be)
{
	unsigned char eh[sizeof(Elf64_Ehdr)] = { 0 }, ph[sizeof(Elf64_Phdr)] = { 0 };
	uint64_t phoff, i, n, loads = 0;
	int ret;

	ret = tce_file_read(d, eh, sizeof(eh), 0);
	if (ret)
		return ret;
	phoff = tce_get64(eh + offsetof(Elf64_Ehdr, e_phoff), be);
	n = tce_get16(eh + offsetof(Elf64_Ehdr, e_phnum), be);
	/* QEMU 7.2 adds two sections (elfscan.c checked them), earlier ones none */
	if (n == PN_XNUM || tce_get16(eh + offsetof(Elf64_Ehdr, e_shnum), be) > 2)
		return 0;
	for (i = 0; i < n; i++) {
		uint32_t type;
		uint64_t off, filesz, pos;

		ret = tce_file_read(d, ph, sizeof(ph), phoff + i * sizeof(ph));
		if (ret)
			return ret;
		type = tce_get32(ph + offsetof(Elf64_Phdr, p_type), be);
		off = tce_get64(ph + offsetof(Elf64_Phdr, p_offset), be);
		filesz = tce_get64(ph + offsetof(Elf64_Phdr, p_filesz), be);
		if (type == PT_LOAD) {
			if (tce_get64(ph + offsetof(Elf64_Phdr, p_vaddr), be) !=
			    tce_get64(ph + offsetof(Elf64_Phdr, p_paddr), be))
				return 0;
			loads += filesz != 0;
			continue;
		}
		if (type == PT_NULL)
			continue;
		if (type != PT_NOTE || filesz > QEMU_NOTES_MAX)
			return 0;
		/* elfscan.c checked that the notes lie in the file */
		for (pos = 0; pos + 12 <= filesz;) {
			unsigned char nh[12 + 8] = { 0 };
			uint32_t namesz, descsz;

			ret = tce_file_read(d, nh, filesz - pos < sizeof(nh) ? 12 : sizeof(nh),
					  off + pos);
			if (ret)
				return ret;
			namesz = tce_get32(nh, be);
			descsz = tce_get32(nh + 4, be);
			/* QEMU's ppc notes are all "CORE" (PRSTATUS, FPREGSET, VMX, VSX) */
			if (namesz != 5 || pos + 12 + 8 > filesz || memcmp(nh + 12, "CORE", 5))
				return 0;
			pos += 12 + 8 + align_up(descsz, 4);
		}
	}
	return loads > 0;
}

/* Is the kdump-compressed file QEMU's (utsname.machine "Unknown")?  1 if so. */
static int diskdump_is_qemu(struct tce_dump *d)
{
	char m[65] = { 0 };
	int ret = tce_file_read(d, m, sizeof(m), DH_UTS_MACHINE);

	if (ret)
		return ret;
	return !memcmp(m, QEMU_UNAME, sizeof(QEMU_UNAME));
}

int tce_qemu_probe_elf(struct tce_dump *d)
{
	unsigned char ident[EI_NIDENT] = { 0 };
	struct tce_qemu *q;
	int ret = 0;

	if (!d->ranges)
		return 0;
	/* not ppc64: not QEMU's ppc64 fault */
	if (d->elf_machine == EM_PPC64) {
		q = calloc(1, sizeof(*q));
		if (!q)
			return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", d->path);
		d->qemu = q;
		q->elf = true;
		ret = tce_file_read(d, ident, sizeof(ident), 0);
		if (!ret) {
			q->hdr_be = ident[EI_DATA] == ELFDATA2MSB;
			ret = elf_is_qemu(d, q->hdr_be);
		}
		if (ret <= 0)
			tce_qemu_free(d);
	}
	if (!ret && d->qemu_shdr_swapped)
		return tce_set_err(d, TCE_EFORMAT, "%s: section headers in the other byte order "
				   "than the file's, as QEMU 7.2's dump-guest-memory writes them, "
				   "but not QEMU's dump of a ppc64 guest: refused (libkdumpfile "
				   "cannot read them)", d->path);
	return ret;
}

int tce_qemu_repair(struct tce_dump *d)
{
	struct tce_qemu *q = d->qemu;
	kdump_attr_t attr;
	kdump_num_t num;
	bool hdr_be;
	char what[320];
	int ret;

	/* an ELF file: tce_qemu_probe_elf() decided, before libkdumpfile */
	if (!q) {
		/* a kdump-compressed file QEMU wrote says machine "Unknown" and carries
		 * no VMCOREINFO */
		if (!d->dd || d->arch)
			return 0;
		if (kdump_get_attr(d->kd, "linux.vmcoreinfo.raw", &attr) == KDUMP_OK &&
		    attr.type == KDUMP_BLOB && kdump_blob_size(attr.val.blob))
			return 0;
		kdump_clear_err(d->kd);
		if (kdump_get_number_attr(d->kd, "arch.byte_order", &num) != KDUMP_OK) {
			kdump_clear_err(d->kd);
			return 0;
		}
		ret = diskdump_is_qemu(d);
		if (ret <= 0)
			return ret;
		q = calloc(1, sizeof(*q));
		if (!q)
			return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", d->path);
		d->qemu = q;
		q->hdr_be = num == KDUMP_BIG_ENDIAN;
	}
	hdr_be = q->hdr_be;
	ret = find_note(d, q);
	if (ret)
		return ret;
	if (!q->guest_be && hdr_be) {
		/* QEMU 7.2's fault on pseries: nothing to refuse */
	} else if (q->guest_be && !hdr_be) {
		return tce_set_err(d, TCE_EFORMAT, "%s: its headers are little-endian but the "
				   "guest's VMCOREINFO note (physical 0x%llx) is big-endian: not "
				   "the fault QEMU is known for (big-endian headers for a "
				   "little-endian guest), refused", d->path,
				   (unsigned long long)q->note_phys);
	}
	ret = tce_vmci_parse(d, (const char *)q->note + NOTE_HEAD,
			     tce_get32(q->note + 4, q->guest_be));
	if (ret)
		return ret;
	d->bo = q->guest_be ? TCE_BE : TCE_LE;
	if (!d->arch)
		d->arch = "ppc64";
	/* libkdumpfile reads a file in pages it does not know the size of without
	 * VMCOREINFO: the kernel's (an ELF file of QEMU's is not read by it) */
	if (d->kd && kdump_get_number_attr(d->kd, "arch.page_size", &num) != KDUMP_OK) {
		const char *ps = tce_vmcoreinfo(d, "PAGESIZE");

		kdump_clear_err(d->kd);
		if (!ps || kdump_set_number_attr(d->kd, "arch.page_size",
						 strtoull(ps, NULL, 10)) != KDUMP_OK)
			return tce_set_err(d, TCE_EUNSUPP, "%s: libkdumpfile takes no page "
					   "size %s: %s", d->path, ps ? ps : "(none)",
					   kdump_get_err(d->kd));
	}
	snprintf(what, sizeof(what), "QEMU dump-guest-memory %s: %s%sno VMCOREINFO, the "
		 "kernel's note (%u bytes) taken from guest physical 0x%llx%s",
		 q->elf ? "file" : "kdump-compressed file",
		 hdr_be != q->guest_be ? "headers big-endian for a little-endian guest; " :
		 "", d->qemu_shdr_swapped ? "section headers in the other byte order; " : "",
		 tce_get32(q->note + 4, q->guest_be), (unsigned long long)q->note_phys,
		 q->copies > 1 ? " (guest memory holds identical copies)" : "");
	q->what = strdup(what);
	if (!q->what)
		return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", d->path);
	return 1;
}

void tce_qemu_free(struct tce_dump *d)
{
	if (!d->qemu)
		return;
	free(d->qemu->note);
	free(d->qemu->what);
	free(d->qemu);
	d->qemu = NULL;
}

const char *tce_dump_repaired(const struct tce_dump *d)
{
	return d && d->opened && d->qemu ? d->qemu->what : NULL;
}

/* ------------------------------------------------------------ the repaired file */

static int pwrite_exact(struct tce_dump *d, int fd, const void *buf, size_t len,
			uint64_t off)
{
	const unsigned char *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return tce_set_err(d, TCE_EIO, "writing: %s",
					   n < 0 ? strerror(errno) : "no space");
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/*
 * A repaired ELF file's header and its first program header, the PT_NOTE of the
 * guest's VMCOREINFO note (note_len bytes at note_off): in the guest's byte order gb,
 * the program headers (phnum, the PT_NOTE first) at offset 64, where makedumpfile
 * wants them.  hdr holds both, zeroed.
 */
static void put_head(unsigned char *hdr, bool gb, uint64_t phnum, uint64_t note_off,
		     uint64_t note_len)
{
	unsigned char *o = hdr + sizeof(Elf64_Ehdr);

	memcpy(hdr, ELFMAG, SELFMAG);
	hdr[EI_CLASS] = ELFCLASS64;
	hdr[EI_DATA] = gb ? ELFDATA2MSB : ELFDATA2LSB;
	hdr[EI_VERSION] = EV_CURRENT;
	put(hdr + offsetof(Elf64_Ehdr, e_type), 2, ET_CORE, gb);
	put(hdr + offsetof(Elf64_Ehdr, e_machine), 2, EM_PPC64, gb);
	put(hdr + offsetof(Elf64_Ehdr, e_version), 4, EV_CURRENT, gb);
	put(hdr + offsetof(Elf64_Ehdr, e_phoff), 8, sizeof(Elf64_Ehdr), gb);
	put(hdr + offsetof(Elf64_Ehdr, e_ehsize), 2, sizeof(Elf64_Ehdr), gb);
	put(hdr + offsetof(Elf64_Ehdr, e_phentsize), 2, sizeof(Elf64_Phdr), gb);
	put(hdr + offsetof(Elf64_Ehdr, e_phnum), 2, phnum, gb);
	put(o + offsetof(Elf64_Phdr, p_type), 4, PT_NOTE, gb);
	put(o + offsetof(Elf64_Phdr, p_offset), 8, note_off, gb);
	put(o + offsetof(Elf64_Phdr, p_filesz), 8, note_len, gb);
	put(o + offsetof(Elf64_Phdr, p_memsz), 8, note_len, gb);
	put(o + offsetof(Elf64_Phdr, p_align), 8, 4, gb);
}

/* An ELF file QEMU wrote: its bytes, headers repaired, VMCOREINFO appended. */
static int write_elf(struct tce_dump *d, int out)
{
	struct tce_qemu *q = d->qemu;
	bool hb = q->hdr_be, gb = q->guest_be;
	unsigned char eh[sizeof(Elf64_Ehdr)] = { 0 }, *in = NULL, *hdr = NULL;
	uint64_t phoff, n, i, nout = 1, min_data = UINT64_MAX, note_off, hdr_len, old_len;
	int ret;

	ret = tce_file_read(d, eh, sizeof(eh), 0);
	if (ret)
		return ret;
	phoff = tce_get64(eh + offsetof(Elf64_Ehdr, e_phoff), hb);
	n = tce_get16(eh + offsetof(Elf64_Ehdr, e_phnum), hb);
	in = calloc(n ? n : 1, sizeof(Elf64_Phdr));
	hdr = calloc(1, sizeof(Elf64_Ehdr) + (n + 1) * sizeof(Elf64_Phdr));
	if (!in || !hdr) {
		ret = tce_set_err(d, TCE_ENOMEM, "out of memory");
		goto out;
	}
	ret = tce_file_read(d, in, n * sizeof(Elf64_Phdr), phoff);
	if (ret)
		goto out;
	note_off = align_up(d->file_size, 8);
	/* PT_NOTE first, as /proc/vmcore has it; then the PT_LOADs, in file order */
	for (i = 0; i < n; i++) {
		const unsigned char *p = in + i * sizeof(Elf64_Phdr);
		unsigned char *o = hdr + sizeof(Elf64_Ehdr) + nout * sizeof(Elf64_Phdr);
		uint64_t off = tce_get64(p + offsetof(Elf64_Phdr, p_offset), hb);
		uint64_t paddr = tce_get64(p + offsetof(Elf64_Phdr, p_paddr), hb);
		uint64_t filesz = tce_get64(p + offsetof(Elf64_Phdr, p_filesz), hb);

		if (tce_get32(p + offsetof(Elf64_Phdr, p_type), hb) != PT_LOAD) {
			/* QEMU's notes: they stay in the file, no header points at them */
			if (filesz && off < min_data && off >= phoff + n * sizeof(Elf64_Phdr))
				min_data = off;
			continue;
		}
		if (filesz && off < min_data)
			min_data = off;
		put(o + offsetof(Elf64_Phdr, p_type), 4, PT_LOAD, gb);
		put(o + offsetof(Elf64_Phdr, p_flags), 4,
		    tce_get32(p + offsetof(Elf64_Phdr, p_flags), hb), gb);
		put(o + offsetof(Elf64_Phdr, p_offset), 8, off, gb);
		put(o + offsetof(Elf64_Phdr, p_vaddr), 8, TCE_LINEAR_BASE | paddr, gb);
		put(o + offsetof(Elf64_Phdr, p_paddr), 8, paddr, gb);
		put(o + offsetof(Elf64_Phdr, p_filesz), 8, filesz, gb);
		put(o + offsetof(Elf64_Phdr, p_memsz), 8,
		    tce_get64(p + offsetof(Elf64_Phdr, p_memsz), hb), gb);
		put(o + offsetof(Elf64_Phdr, p_align), 8,
		    tce_get64(p + offsetof(Elf64_Phdr, p_align), hb), gb);
		nout++;
	}
	hdr_len = sizeof(Elf64_Ehdr) + nout * sizeof(Elf64_Phdr);
	old_len = phoff + n * sizeof(Elf64_Phdr);
	if (hdr_len > min_data || nout > 0xffff) {
		ret = tce_set_err(d, TCE_EUNSUPP, "%s: no room for %llu program headers at "
				  "offset 64 before the data at 0x%llx", d->path,
				  (unsigned long long)nout, (unsigned long long)min_data);
		goto out;
	}
	put_head(hdr, gb, nout, note_off, q->note_len);
	/* the rest of e_ident (OS ABI) and the fields a core file may set, as QEMU wrote */
	memcpy(hdr + EI_OSABI, eh + EI_OSABI, EI_NIDENT - EI_OSABI);
	put(hdr + offsetof(Elf64_Ehdr, e_entry), 8,
	    tce_get64(eh + offsetof(Elf64_Ehdr, e_entry), hb), gb);
	put(hdr + offsetof(Elf64_Ehdr, e_flags), 4,
	    tce_get32(eh + offsetof(Elf64_Ehdr, e_flags), hb), gb);

	ret = tce_file_copy(d, out, 0, 0, d->file_size);
	if (ret)
		goto out;
	/* QEMU's table is replaced whole: what the new one does not cover is zeroed */
	if (old_len > hdr_len && old_len <= min_data) {
		unsigned char *z = calloc(1, old_len - hdr_len);

		if (!z) {
			ret = tce_set_err(d, TCE_ENOMEM, "out of memory");
			goto out;
		}
		ret = pwrite_exact(d, out, z, old_len - hdr_len, hdr_len);
		free(z);
		if (ret)
			goto out;
	}
	if (note_off > d->file_size) {
		static const unsigned char pad[8];

		ret = pwrite_exact(d, out, pad, note_off - d->file_size, d->file_size);
		if (ret)
			goto out;
	}
	ret = pwrite_exact(d, out, q->note, q->note_len, note_off);
	if (!ret)
		ret = pwrite_exact(d, out, hdr, hdr_len, 0);
out:
	free(in);
	free(hdr);
	return ret;
}

/* disk_dump_header_64's fields after utsname: (offset, width) */
static const unsigned short dh_fields[][2] = {
	{ 8, 4 },                       /* header_version */
	{ 408, 8 }, { 416, 8 },         /* timestamp */
	{ 424, 4 },                     /* status (the compression) */
	{ 428, 4 },                     /* block_size */
	{ 432, 4 },                     /* sub_hdr_size: replaced */
	{ 436, 4 }, { 440, 4 },         /* bitmap_blocks, max_mapnr */
	{ 444, 4 }, { 448, 4 }, { 452, 4 },     /* total_ram, device, written blocks */
	{ 456, 4 }, { 460, 4 },         /* current_cpu, nr_cpus */
};
/* kdump_sub_header_64's: all but split and the notes, which are replaced */
static const unsigned short sh_fields[][2] = {
	{ 0, 8 }, { 8, 4 },             /* phys_base, dump_level */
	{ 16, 8 }, { 24, 8 },           /* start_pfn, end_pfn */
	{ 80, 8 }, { 88, 8 }, { 96, 8 },        /* start_pfn_64, end_pfn_64, max_mapnr_64 */
};
#define DH64_SIZE 464
#define DH_SUB_HDR_SIZE 432
#define DH_UTS 12
#define SH64_SIZE 104
#define SH_OFFSET_VMCOREINFO 32
#define SH_OFFSET_NOTE 48
#define PD_SIZE 24
#define PD_CHUNK 4096           /* descriptors rewritten at a time */

/*
 * A kdump-compressed file of QEMU's whose blocks are not the guest's pages, as an ELF
 * vmcore: a PT_NOTE with the VMCOREINFO note, then a PT_LOAD for each run of blocks the
 * file holds (p_vaddr in the linear map), each block read (decompressed) through
 * libkdumpfile.  A block that cannot be read fails the whole: nothing is invented.
 */
static int write_diskdump_elf(struct tce_dump *d, int out)
{
	struct tce_qemu *q = d->qemu;
	bool gb = q->guest_be;
	uint64_t bs = tce_diskdump_block_size(d), end = tce_diskdump_end(d), a = 0, next;
	uint64_t (*runs)[2] = NULL, nruns = 0, cap = 0, i, off, hdr_len;
	unsigned char *hdr = NULL, *buf = NULL;
	int ret = 0;

	/* the runs of blocks the bitmap names */
	while (a < end && tce_dump_next_held(d, a, &next) == 1 && next < end) {
		if (nruns && runs[nruns - 1][0] + runs[nruns - 1][1] == next) {
			runs[nruns - 1][1] += bs;
		} else {
			if (nruns == cap) {
				void *r = realloc(runs, (cap = cap ? 2 * cap : 64) * sizeof(*runs));

				if (!r) {
					ret = tce_set_err(d, TCE_ENOMEM, "out of memory");
					goto out;
				}
				runs = r;
			}
			runs[nruns][0] = next;
			runs[nruns][1] = bs;
			nruns++;
		}
		a = next + bs;
	}
	if (!nruns || nruns + 1 > 0xffff) {
		ret = tce_set_err(d, TCE_EUNSUPP, "%s: %llu runs of memory: not written as an "
				  "ELF vmcore", d->path, (unsigned long long)nruns);
		goto out;
	}
	hdr_len = sizeof(Elf64_Ehdr) + (nruns + 1) * sizeof(Elf64_Phdr);
	hdr = calloc(1, hdr_len + q->note_len);
	buf = malloc(bs);
	if (!hdr || !buf) {
		ret = tce_set_err(d, TCE_ENOMEM, "out of memory");
		goto out;
	}
	put_head(hdr, gb, nruns + 1, hdr_len, q->note_len);
	memcpy(hdr + hdr_len, q->note, q->note_len);
	off = align_up(hdr_len + q->note_len, bs);
	for (i = 0; i < nruns; i++) {
		unsigned char *o = hdr + sizeof(Elf64_Ehdr) + (i + 1) * sizeof(Elf64_Phdr);
		uint64_t p;

		put(o + offsetof(Elf64_Phdr, p_type), 4, PT_LOAD, gb);
		put(o + offsetof(Elf64_Phdr, p_flags), 4, PF_R | PF_W | PF_X, gb);
		put(o + offsetof(Elf64_Phdr, p_offset), 8, off, gb);
		put(o + offsetof(Elf64_Phdr, p_vaddr), 8, TCE_LINEAR_BASE | runs[i][0], gb);
		put(o + offsetof(Elf64_Phdr, p_paddr), 8, runs[i][0], gb);
		put(o + offsetof(Elf64_Phdr, p_filesz), 8, runs[i][1], gb);
		put(o + offsetof(Elf64_Phdr, p_memsz), 8, runs[i][1], gb);
		put(o + offsetof(Elf64_Phdr, p_align), 8, bs, gb);
		for (p = 0; p < runs[i][1]; p += bs) {
			ret = read_phys(d, runs[i][0] + p, buf, bs);
			if (ret) {
				ret = tce_set_err(d, -ret, "%s: physical 0x%llx: its block cannot "
						  "be read (a corrupt page descriptor or data): "
						  "not written", d->path,
						  (unsigned long long)(runs[i][0] + p));
				goto out;
			}
			ret = pwrite_exact(d, out, buf, bs, off + p);
			if (ret)
				goto out;
		}
		off += runs[i][1];
	}
	ret = pwrite_exact(d, out, hdr, hdr_len + q->note_len, 0);
out:
	free(runs);
	free(hdr);
	free(buf);
	return ret;
}

/*
 * A kdump-compressed file QEMU wrote: the same file as makedumpfile writes it of a
 * kernel dump.  Header and sub-header in the guest's byte order, utsname the guest's
 * own (init_uts_ns; QEMU writes "Unknown" as machine and nothing else), the
 * sub-header's notes the kernel's VMCOREINFO note alone (QEMU's register notes are in
 * the headers' byte order, dropped as in the ELF file), the bitmaps and the pages as
 * they are, and the page descriptors in the guest's byte order, their offsets moved by
 * what the sub-header grew or shrank by.
 */
static int write_diskdump(struct tce_dump *d, int out)
{
	struct tce_qemu *q = d->qemu;
	struct tce_dd_layout l;
	bool hb, gb = q->guest_be;
	unsigned char dh[DH64_SIZE], sh[SH64_SIZE], *hdr = NULL, *pd = NULL;
	uint64_t bs, new_sub, old_bm, new_bm, shift, data_off, i, sym, off;
	const char *text = (const char *)q->note + NOTE_HEAD;
	uint32_t descsz = tce_get32(q->note + 4, gb);
	size_t k;
	int ret;

	if (tce_diskdump_layout(d, &l))
		return tce_set_err(d, TCE_EINVAL, "%s: not a kdump-compressed file", d->path);
	hb = l.be;
	bs = l.block_size;
	if (l.version < 6)
		return tce_set_err(d, TCE_EUNSUPP, "%s: a kdump-compressed header of version "
				   "%d: only version 6 and later (QEMU's) is written repaired",
				   d->path, (int)l.version);
	/* QEMU writes 64 KiB blocks for every ppc64 guest; a file with VMCOREINFO is
	 * read in blocks of its PAGESIZE (libkdumpfile, crash): a guest of 4 KiB pages
	 * gets an ELF vmcore of its memory instead */
	if (d->page_size != bs)
		return write_diskdump_elf(d, out);
	old_bm = (1 + l.sub_blocks) * bs;
	new_sub = (SH64_SIZE + q->note_len + bs - 1) / bs;
	new_bm = (1 + new_sub) * bs;
	shift = new_bm - old_bm;        /* modulo 2^64: a sub-header may shrink */
	data_off = l.desc_off + l.ndesc * PD_SIZE;
	if (l.ndesc > d->file_size / PD_SIZE || data_off > d->file_size)
		return tce_set_err(d, TCE_EFORMAT, "%s: corrupt kdump-compressed file: its "
				   "%llu page descriptors lie past the end of the file (cut "
				   "short)", d->path, (unsigned long long)l.ndesc);
	ret = tce_file_read(d, dh, sizeof(dh), 0);
	if (!ret)
		ret = tce_file_read(d, sh, sizeof(sh), bs);
	if (ret)
		return ret;
	hdr = calloc(1, new_bm);
	pd = malloc(PD_CHUNK * PD_SIZE);
	if (!hdr || !pd) {
		ret = tce_set_err(d, TCE_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(hdr, dh, 8);
	for (k = 0; k < sizeof(dh_fields) / sizeof(dh_fields[0]); k++)
		put(hdr + dh_fields[k][0], dh_fields[k][1],
		    dh_fields[k][1] == 8 ? tce_get64(dh + dh_fields[k][0], hb) :
		    tce_get32(dh + dh_fields[k][0], hb), gb);
	put(hdr + DH_SUB_HDR_SIZE, 4, new_sub, gb);
	/* the guest's utsname: six strings of 65 bytes at init_uts_ns.name (the note's
	 * check read its release there) */
	if (!vmci_number(text, descsz, "SYMBOL(init_uts_ns)", 16, &sym) ||
	    !vmci_number(text, descsz, "OFFSET(uts_namespace.name)", 10, &off) ||
	    read_phys(d, sym - TCE_LINEAR_BASE + off, hdr + DH_UTS, 6 * UTS_LEN)) {
		ret = tce_set_err(d, TCE_ENODATA, "%s: the guest's init_uts_ns is not in the "
				  "dump", d->path);
		goto out;
	}
	for (i = 0; i < 6; i++)
		hdr[DH_UTS + i * UTS_LEN + UTS_LEN - 1] = '\0';
	for (k = 0; k < sizeof(sh_fields) / sizeof(sh_fields[0]); k++)
		put(hdr + bs + sh_fields[k][0], sh_fields[k][1],
		    sh_fields[k][1] == 8 ? tce_get64(sh + sh_fields[k][0], hb) :
		    tce_get32(sh + sh_fields[k][0], hb), gb);
	put(hdr + bs + SH_OFFSET_VMCOREINFO, 8, bs + SH64_SIZE + NOTE_HEAD, gb);
	put(hdr + bs + SH_OFFSET_VMCOREINFO + 8, 8, descsz, gb);
	put(hdr + bs + SH_OFFSET_NOTE, 8, bs + SH64_SIZE, gb);
	put(hdr + bs + SH_OFFSET_NOTE + 8, 8, q->note_len, gb);
	memcpy(hdr + bs + SH64_SIZE, q->note, q->note_len);

	/* the bitmaps, then the page descriptors, then the pages */
	ret = tce_file_copy(d, out, old_bm, new_bm, l.bitmap_blocks * bs);
	for (i = 0; !ret && i < l.ndesc; i += PD_CHUNK) {
		size_t n = l.ndesc - i < PD_CHUNK ? l.ndesc - i : PD_CHUNK;
		unsigned char *p;

		ret = tce_file_read(d, pd, n * PD_SIZE, l.desc_off + i * PD_SIZE);
		if (ret)
			break;
		for (p = pd; p < pd + n * PD_SIZE; p += PD_SIZE) {
			uint64_t o = tce_get64(p, hb), fl = tce_get64(p + 16, hb);
			uint32_t sz = tce_get32(p + 8, hb), f = tce_get32(p + 12, hb);

			put(p, 8, o + shift, gb);
			put(p + 8, 4, sz, gb);
			put(p + 12, 4, f, gb);
			put(p + 16, 8, fl, gb);
		}
		ret = pwrite_exact(d, out, pd, n * PD_SIZE, l.desc_off + shift + i * PD_SIZE);
	}
	if (!ret)
		ret = tce_file_copy(d, out, data_off, data_off + shift, d->file_size - data_off);
	if (!ret)
		ret = pwrite_exact(d, out, hdr, new_bm, 0);
out:
	free(hdr);
	free(pd);
	return ret;
}

int tce_dump_write_repaired(struct tce_dump *d, int fd)
{
	if (!d->opened)
		return tce_set_err(d, TCE_EINVAL, "the dump is not open");
	if (!d->qemu)
		return tce_set_err(d, TCE_EINVAL, "%s: nothing to repair", d->path);
	if (ftruncate(fd, 0))
		return tce_set_err(d, TCE_EIO, "writing: %s", strerror(errno));
	return d->qemu->elf ? write_elf(d, fd) : write_diskdump(d, fd);
}
