// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fixdump: repairs, in place, the ELF vmcore that QEMU's dump-guest-memory writes for a
 * ppc64 pseries or powernv guest, so that it looks like a /proc/vmcore of the same memory.
 * QEMU 7.2 writes the ELF and program headers big-endian even for a little-endian guest,
 * puts its own register notes (in that wrong byte order) in a PT_NOTE, sets p_vaddr to the
 * physical address, and has no VMCOREINFO on these machines (no fw_cfg).  This tool owns
 * that repair and nothing else: headers rewritten in the guest's byte order (taken from
 * the guest's own VMCOREINFO note), QEMU's PT_NOTE dropped, the VMCOREINFO note copied out
 * of guest memory (address and size as /sys/kernel/vmcoreinfo printed them) and appended
 * to the file, a new program header table at offset 64 (makedumpfile insists on it being
 * right after the ELF header), and p_vaddr = 0xc000000000000000 | p_paddr for each PT_LOAD
 * (the linear map, as /proc/vmcore writes it).  Memory contents are never copied or moved.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memmem */
#endif
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINEAR_MAP_BASE 0xc000000000000000ULL
#define VMCOREINFO_NAME "VMCOREINFO"

static const char *prog = "fixdump";
static const char *path;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", prog, path ? path : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Byte order helpers: "big" is the byte order of the data being read or written. */
static uint16_t get16(uint16_t v, bool big)
{
	return big ? be16toh(v) : le16toh(v);
}

static uint32_t get32(uint32_t v, bool big)
{
	return big ? be32toh(v) : le32toh(v);
}

static uint64_t get64(uint64_t v, bool big)
{
	return big ? be64toh(v) : le64toh(v);
}

static uint16_t put16(uint16_t v, bool big)
{
	return big ? htobe16(v) : htole16(v);
}

static uint32_t put32(uint32_t v, bool big)
{
	return big ? htobe32(v) : htole32(v);
}

static uint64_t put64(uint64_t v, bool big)
{
	return big ? htobe64(v) : htole64(v);
}

static void pread_all(int fd, void *buf, size_t len, uint64_t off, const char *what)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("reading %s: %s", what, strerror(errno));
		if (n == 0)
			die("reading %s: file ends at %" PRIu64, what, off + done);
		done += n;
	}
}

static void pwrite_all(int fd, const void *buf, size_t len, uint64_t off, const char *what)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done, off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("writing %s: %s", what, strerror(n < 0 ? errno : EIO));
		done += n;
	}
}

/*
 * Copy len bytes of guest physical memory at paddr out of the dump, through the PT_LOADs
 * (a note may in principle cross two adjacent segments).
 */
static void read_phys(int fd, const Elf64_Phdr *ph, int n, uint64_t paddr, void *buf,
		      size_t len)
{
	while (len) {
		const Elf64_Phdr *p = NULL;
		uint64_t in, chunk;
		int i;

		for (i = 0; i < n; i++) {
			if (ph[i].p_type == PT_LOAD && paddr >= ph[i].p_paddr &&
			    paddr - ph[i].p_paddr < ph[i].p_filesz) {
				p = &ph[i];
				break;
			}
		}
		if (!p)
			die("guest physical address 0x%" PRIx64 " (VMCOREINFO) is not in the dump",
			    paddr);
		in = paddr - p->p_paddr;
		chunk = p->p_filesz - in;
		if (chunk > len)
			chunk = len;
		pread_all(fd, buf, chunk, p->p_offset + in, "guest memory");
		buf = (char *)buf + chunk;
		paddr += chunk;
		len -= chunk;
	}
}

static uint64_t parse_hex(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 16);	/* accepts an optional 0x, as sysfs prints it */
	if (errno || end == s || *end)
		die("bad %s '%s' (hexadecimal expected, as /sys/kernel/vmcoreinfo prints it)", what, s);
	return v;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

int main(int argc, char **argv)
{
	unsigned char ident[EI_NIDENT];
	Elf64_Ehdr eh;
	Elf64_Phdr *ph, *out;
	unsigned char *note;
	uint64_t vmci_addr, vmci_size, file_size, note_off, note_len, min_data, phoff;
	uint32_t namesz, descsz, type;
	bool hdr_big, guest_big;
	int fd, i, n, nout;
	struct stat st;

	if (argc != 4) {
		fprintf(stderr,
			"usage: %s DUMP VMCOREINFO_ADDR VMCOREINFO_SIZE\n"
			"  Fixes QEMU's ppc64 ELF dump DUMP in place.  ADDR and SIZE are the two\n"
			"  hexadecimal numbers the guest's /sys/kernel/vmcoreinfo printed.\n",
			prog);
		return 2;
	}
	path = argv[1];
	vmci_addr = parse_hex(argv[2], "VMCOREINFO address");
	vmci_size = parse_hex(argv[3], "VMCOREINFO size");
	if (vmci_size < 24 || vmci_size > (1 << 24))
		die("VMCOREINFO size 0x%" PRIx64 " is not plausible", vmci_size);

	fd = open(path, O_RDWR);
	if (fd < 0)
		die("%s", strerror(errno));
	if (fstat(fd, &st) < 0)
		die("%s", strerror(errno));
	file_size = st.st_size;
	if (file_size < sizeof(eh))
		die("too small for an ELF file (%" PRIu64 " bytes)", file_size);

	pread_all(fd, ident, sizeof(ident), 0, "ELF header");
	if (memcmp(ident, ELFMAG, SELFMAG))
		die("not an ELF file");
	if (ident[EI_CLASS] != ELFCLASS64)
		die("not a 64-bit ELF file");
	if (ident[EI_DATA] != ELFDATA2LSB && ident[EI_DATA] != ELFDATA2MSB)
		die("unknown ELF byte order %u", ident[EI_DATA]);
	hdr_big = ident[EI_DATA] == ELFDATA2MSB;

	pread_all(fd, &eh, sizeof(eh), 0, "ELF header");
	if (get16(eh.e_type, hdr_big) != ET_CORE)
		die("not an ELF core file (e_type %u)", get16(eh.e_type, hdr_big));
	if (get16(eh.e_machine, hdr_big) != EM_PPC64)
		die("not a ppc64 dump (e_machine %u)", get16(eh.e_machine, hdr_big));
	if (get16(eh.e_phentsize, hdr_big) != sizeof(Elf64_Phdr))
		die("unexpected e_phentsize %u", get16(eh.e_phentsize, hdr_big));
	n = get16(eh.e_phnum, hdr_big);
	if (n == PN_XNUM)
		die("more than %d program headers (PN_XNUM) is not supported", PN_XNUM - 1);
	if (n == 0)
		die("no program headers");
	phoff = get64(eh.e_phoff, hdr_big);
	if (phoff > file_size || (uint64_t)n * sizeof(Elf64_Phdr) > file_size - phoff)
		die("program headers lie past the end of the file");

	ph = calloc(n, sizeof(*ph));
	out = calloc(n, sizeof(*out));
	if (!ph || !out)
		die("out of memory");
	pread_all(fd, ph, n * sizeof(*ph), phoff, "program headers");

	/* To host byte order; check every segment's data is in the file. */
	min_data = file_size;
	for (i = 0; i < n; i++) {
		Elf64_Phdr *p = &ph[i];

		p->p_type = get32(p->p_type, hdr_big);
		p->p_flags = get32(p->p_flags, hdr_big);
		p->p_offset = get64(p->p_offset, hdr_big);
		p->p_vaddr = get64(p->p_vaddr, hdr_big);
		p->p_paddr = get64(p->p_paddr, hdr_big);
		p->p_filesz = get64(p->p_filesz, hdr_big);
		p->p_memsz = get64(p->p_memsz, hdr_big);
		p->p_align = get64(p->p_align, hdr_big);
		if (p->p_type == PT_NULL || !p->p_filesz)
			continue;
		if (p->p_offset > file_size || p->p_filesz > file_size - p->p_offset)
			die("segment %d [0x%" PRIx64 ", +0x%" PRIx64 ") lies past the end of the file (truncated dump?)",
			    i, p->p_offset, p->p_filesz);
		if (p->p_offset < min_data)
			min_data = p->p_offset;
	}

	/*
	 * Already fixed?  Then the headers are in the guest's order, there is exactly one
	 * PT_NOTE and it holds VMCOREINFO: say so and change nothing.
	 */
	for (i = 0; i < n; i++) {
		char name[sizeof(VMCOREINFO_NAME)];
		Elf64_Nhdr nh;

		if (ph[i].p_type != PT_NOTE || ph[i].p_filesz < sizeof(nh) + sizeof(name))
			continue;
		pread_all(fd, &nh, sizeof(nh), ph[i].p_offset, "note");
		pread_all(fd, name, sizeof(name), ph[i].p_offset + sizeof(nh), "note");
		if (get32(nh.n_namesz, hdr_big) == sizeof(name) &&
		    !memcmp(name, VMCOREINFO_NAME, sizeof(name))) {
			printf("%s: %s: already has a VMCOREINFO note, left unchanged\n", prog, path);
			free(ph);
			free(out);
			close(fd);
			return 0;
		}
	}

	/*
	 * The guest's VMCOREINFO note: n_namesz is 11 in the guest's byte order, which is
	 * how we learn that order (QEMU's header byte order cannot be trusted).
	 */
	note = malloc(vmci_size);
	if (!note)
		die("out of memory");
	read_phys(fd, ph, n, vmci_addr, note, vmci_size);
	if (le32toh(((Elf64_Nhdr *)note)->n_namesz) == sizeof(VMCOREINFO_NAME))
		guest_big = false;
	else if (be32toh(((Elf64_Nhdr *)note)->n_namesz) == sizeof(VMCOREINFO_NAME))
		guest_big = true;
	else
		die("no VMCOREINFO note at guest physical 0x%" PRIx64 " (n_namesz 0x%08x)",
		    vmci_addr, ((Elf64_Nhdr *)note)->n_namesz);
	namesz = get32(((Elf64_Nhdr *)note)->n_namesz, guest_big);
	descsz = get32(((Elf64_Nhdr *)note)->n_descsz, guest_big);
	type = get32(((Elf64_Nhdr *)note)->n_type, guest_big);
	if (memcmp(note + sizeof(Elf64_Nhdr), VMCOREINFO_NAME, namesz) || type != 0)
		die("the note at guest physical 0x%" PRIx64 " is not VMCOREINFO", vmci_addr);
	note_len = sizeof(Elf64_Nhdr) + align_up(namesz, 4) + align_up(descsz, 4);
	if (note_len > vmci_size)
		die("VMCOREINFO note (%" PRIu64 " bytes) is larger than its buffer (0x%" PRIx64 ")",
		    note_len, vmci_size);
	if (!memmem(note + sizeof(Elf64_Nhdr) + align_up(namesz, 4), descsz, "OSRELEASE=", 10))
		die("VMCOREINFO has no OSRELEASE=: not a Linux VMCOREINFO note");

	/* New table: PT_NOTE first (as /proc/vmcore has it), then the PT_LOADs. */
	note_off = align_up(file_size, 8);
	nout = 0;
	memset(&out[nout], 0, sizeof(out[nout]));
	out[nout].p_type = PT_NOTE;
	out[nout].p_offset = note_off;
	out[nout].p_filesz = note_len;
	out[nout].p_memsz = note_len;
	out[nout].p_align = 4;
	nout++;
	for (i = 0; i < n; i++) {
		if (ph[i].p_type == PT_NOTE || ph[i].p_type == PT_NULL)
			continue;	/* QEMU's CORE notes: in the wrong byte order */
		if (nout == n)
			die("no room for the VMCOREINFO program header (no PT_NOTE to replace)");
		out[nout] = ph[i];
		if (ph[i].p_type == PT_LOAD)
			out[nout].p_vaddr = LINEAR_MAP_BASE | ph[i].p_paddr;
		nout++;
	}
	if (sizeof(Elf64_Ehdr) + nout * sizeof(Elf64_Phdr) > min_data)
		die("no room for %d program headers at offset 64 (data starts at 0x%" PRIx64 ")",
		    nout, min_data);

	for (i = 0; i < nout; i++) {
		Elf64_Phdr *p = &out[i];

		p->p_type = put32(p->p_type, guest_big);
		p->p_flags = put32(p->p_flags, guest_big);
		p->p_offset = put64(p->p_offset, guest_big);
		p->p_vaddr = put64(p->p_vaddr, guest_big);
		p->p_paddr = put64(p->p_paddr, guest_big);
		p->p_filesz = put64(p->p_filesz, guest_big);
		p->p_memsz = put64(p->p_memsz, guest_big);
		p->p_align = put64(p->p_align, guest_big);
	}

	/* The ELF header, in the guest's order; QEMU's section headers (if any) go. */
	eh.e_ident[EI_DATA] = guest_big ? ELFDATA2MSB : ELFDATA2LSB;
	eh.e_type = put16(ET_CORE, guest_big);
	eh.e_machine = put16(EM_PPC64, guest_big);
	eh.e_version = put32(get32(eh.e_version, hdr_big), guest_big);
	eh.e_entry = put64(get64(eh.e_entry, hdr_big), guest_big);
	eh.e_flags = put32(get32(eh.e_flags, hdr_big), guest_big);
	eh.e_phoff = put64(sizeof(Elf64_Ehdr), guest_big);
	eh.e_phnum = put16(nout, guest_big);
	eh.e_phentsize = put16(sizeof(Elf64_Phdr), guest_big);
	eh.e_ehsize = put16(sizeof(Elf64_Ehdr), guest_big);
	eh.e_shoff = 0;
	eh.e_shnum = 0;
	eh.e_shentsize = 0;
	eh.e_shstrndx = 0;

	/*
	 * Note first, ELF header last, each synced: the file only claims the new layout
	 * once everything it points at is on disk.  (mkdump.sh fixes a scratch name and
	 * renames it only on success, so a half-fixed dump is never used.)
	 */
	pwrite_all(fd, note, note_len, note_off, "VMCOREINFO note");
	if (fsync(fd) < 0)
		die("fsync: %s", strerror(errno));
	pwrite_all(fd, out, nout * sizeof(Elf64_Phdr), sizeof(Elf64_Ehdr), "program headers");
	if (fsync(fd) < 0)
		die("fsync: %s", strerror(errno));
	pwrite_all(fd, &eh, sizeof(eh), 0, "ELF header");
	if (fsync(fd) < 0 || close(fd) < 0)
		die("closing: %s", strerror(errno));
	printf("%s: %s: %s-endian headers, %d PT_LOADs, VMCOREINFO (%u bytes) at 0x%" PRIx64 "\n",
	       prog, path, guest_big ? "big" : "little", nout - 1, descsz, note_off);
	free(note);
	free(ph);
	free(out);
	return 0;
}
