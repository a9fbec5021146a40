/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Inside the dump layer only: the handle itself and what its files share.
 */
#ifndef TCE_DUMP_PRIV_H
#define TCE_DUMP_PRIV_H

#include <libkdumpfile/kdumpfile.h>
#include <libkdumpfile/addrxlat.h>

#include "dump/dump.h"

struct vmci_line {
	char *key;
	char *value;
};

/* addrxlat has 8 custom method slots */
#define TCE_XLAT_SLOTS 8

struct xlat_slot {
	bool used;
	uint64_t start, end;
	tce_xlat_fn *fn;
	void *data;
	struct tce_dump *d;
};

struct tce_dump {
	struct tce_err err;
	kdump_ctx_t *kd;
	addrxlat_ctx_t *axctx;
	addrxlat_sys_t *axsys;
	int fd;
	char *path;
	bool opened;
	bool claimed;

	enum tce_byteorder bo;
	uint64_t page_size;
	unsigned page_shift;
	uint64_t file_size;
	const char *format;
	const char *arch;

	/* VMCOREINFO, parsed here (libkdumpfile's own accessors need an OS type, and
	 * setting one makes libkdumpfile walk vmemmap_list without a bound) */
	char *vmci_raw;
	struct vmci_line *vmci;
	unsigned nvmci;

	/* ELF only: physical ranges; NULL for other formats (probed by reads then) */
	struct tce_phys_range *ranges;
	uint64_t *range_off;    /* each range's file offset (its PT_LOAD's p_offset) */
	unsigned nranges;
	unsigned *range_sorted; /* those holding data (avail), by address (elfscan.c) */
	unsigned nsorted;
	unsigned range_hint;    /* where in range_sorted the last search ended (this
				   handle's: a clone has its own) */
	bool truncated;
	uint64_t truncated_bytes;
	uint64_t phys_bytes;
	uint64_t phys_end;
	/* PT_LOADs with no physical address (p_paddr all ones: /proc/kcore's vmalloc and
	 * vmemmap segments), not among the ranges */
	unsigned virt_segments;
	/* a file of procfs (/proc/kcore): a running kernel's memory, which changes while
	 * it is read */
	bool live;
	/* an ELF file (not /proc/kcore) whose memory is read with pread from its
	 * PT_LOADs (tce_elf_read()) though libkdumpfile opened it: libkdumpfile maps
	 * the file, and the kernel maps in with each page touched the page-cache folio
	 * around it, so the peak RSS of a check of a 1.2 GB dump was 308 MiB or 498 MiB
	 * by how the file came into the page cache; read here, 47 MiB, in the same time */
	bool elf_pread;

	/* flat.c: a flattened makedumpfile file, laid out in an unlinked temporary file
	 * that fd is then (file_size its size): what was done, in one line; else NULL */
	char *flat_what;

	/* kdump-compressed only (diskscan.c): what reads check before libkdumpfile's */
	struct tce_diskdump *dd;

	/* the ELF header's e_machine (ELF files only) */
	unsigned elf_machine;
	/* elfscan.c: QEMU 7.2's section headers, in the other byte order than the file's
	 * (libkdumpfile 0.5.1 must not read them) */
	bool qemu_shdr_swapped;

	/* qemu.c: a QEMU dump-guest-memory file repaired in memory (NULL: none); an ELF
	 * file of QEMU's is read by tce_elf_read(), d->kd is NULL then */
	struct tce_qemu *qemu;

	struct xlat_slot xlat[TCE_XLAT_SLOTS];
	/* the end of the linear map, fixed when the direct translation is installed:
	 * kernel reads below it need no translation system */
	uint64_t linear_end;

	/* small physical reads go through a cache of whole blocks (cache.c) */
	struct blk_cache *cache;
	bool cache_failed;

	/* what tce_kd_read() keeps beside libkdumpfile's page cache, which the clones
	 * share with this handle (its own: clone_of NULL); NULL without libkdumpfile */
	struct tce_kd_share *kds;

	/* a clone for another thread (tce_dump_clone()): the handle it copies, whose file,
	 * VMCOREINFO, ranges and translations it borrows; NULL for a handle of its own */
	const struct tce_dump *clone_of;
};

/* Is d's memory read from its ELF PT_LOADs here (QEMU's files, which libkdumpfile
 * never opens, and every other ELF file but /proc/kcore) rather than by libkdumpfile? */
static inline bool tce_dump_elf_pread(const struct tce_dump *d)
{
	return !d->kd || d->elf_pread;
}

/*
 * dump.c: every read through libkdumpfile (kdump_read() of *len bytes at addr in
 * as), and, when it fails, what keeps libkdumpfile 0.5.1's page cache sound (its page
 * buffer is lost: doc/libkdumpfile-defects.md, 14).  libkdumpfile's status; on a
 * failure its message in msg (msglen bytes, may be NULL) and its error cleared.
 */
TCE_HIDDEN kdump_status tce_kd_read(struct tce_dump *d, kdump_addrspace_t as,
				    uint64_t addr, void *buf, size_t *len, char *msg,
				    size_t msglen);

/* cache.c: tce_cache_read() copies [addr, addr + len) out of cached blocks, reading
 * a missing block whole; 1 when it did, 0 when the caller must read exactly (a large
 * read, a block not wholly in the dump, no memory for the cache): then nothing is
 * set. */
TCE_HIDDEN int tce_cache_read(struct tce_dump *d, uint64_t addr, void *buf, size_t len);
TCE_HIDDEN void tce_cache_free(struct tce_dump *d);
/* diskscan.c: the clone's own copy of d's diskdump state (the bitmap chunk it reads
 * changes; the rank table is borrowed); 0 or -TCE_ENOMEM */
TCE_HIDDEN int tce_diskdump_clone(struct tce_dump *c, const struct tce_dump *d);

/* A field of a file's own headers, in the byte order be says (the dump layer's
 * parsers: elfscan.c, notescan.c, diskscan.c, qemu.c) */
static inline uint64_t tce_get64(const unsigned char *p, bool be)
{
	return tce_bo64(p, be ? TCE_BE : TCE_LE);
}

static inline uint32_t tce_get32(const unsigned char *p, bool be)
{
	return tce_bo32(p, be ? TCE_BE : TCE_LE);
}

static inline uint16_t tce_get16(const unsigned char *p, bool be)
{
	return tce_bo16(p, be ? TCE_BE : TCE_LE);
}

/* vmcoreinfo.c */
TCE_HIDDEN int tce_vmci_parse(struct tce_dump *d, const char *raw, size_t len);
TCE_HIDDEN void tce_vmci_free(struct tce_dump *d);
/* dump.c: exactly len bytes of the file at off (read by the caller's own parser, not
 * libkdumpfile); 0 or -TCE_EIO with the message set */
TCE_HIDDEN int tce_file_read(struct tce_dump *d, void *buf, size_t len, uint64_t off);
/* dump.c: len bytes of the file at in_off to out at out_off (copy_file_range where
 * the kernel can); 0 or -TCE_EIO / -TCE_ENOMEM with the message set */
TCE_HIDDEN int tce_file_copy(struct tce_dump *d, int out, uint64_t in_off,
			     uint64_t out_off, uint64_t len);
/* flat.c: a flattened makedumpfile file (makedumpfile -F, QEMU's dump-guest-memory
 * -z) laid out as makedumpfile -R would in an unlinked temporary file, which d->fd
 * then is: 1 when it was, 0 when the file is not flattened, or an error with the
 * message set (records not what QEMU or makedumpfile write, no temporary file) */
TCE_HIDDEN int tce_flat_open(struct tce_dump *d);
/* elfscan.c: checks an ELF file's headers before libkdumpfile sees it, notes ranges */
TCE_HIDDEN int tce_elf_scan(struct tce_dump *d);
/* notescan.c: ELF notes and VMCOREINFO as libkdumpfile will parse them; 0 or an error
 * with the message set.  *pagesize: VMCOREINFO's last PAGESIZE, 0 if none. */
TCE_HIDDEN int tce_notes_check(struct tce_dump *d, const unsigned char *p, size_t size,
			       bool be, uint64_t off, uint64_t *pagesize);
TCE_HIDDEN int tce_vmci_precheck(struct tce_dump *d, const char *p, size_t len,
				 uint64_t *pagesize);
/* diskscan.c: a kdump-compressed file's headers and bitmap before libkdumpfile opens
 * it (0 for other formats); then, before every read,
 * that the pages' descriptors and data lie in the file (0, or -TCE_ENODATA with the
 * message set, or -TCE_EIO). */
TCE_HIDDEN int tce_diskdump_scan(struct tce_dump *d);
TCE_HIDDEN int tce_diskdump_check(struct tce_dump *d, uint64_t phys, uint64_t len);
TCE_HIDDEN void tce_diskdump_free(struct tce_dump *d);
/* diskscan.c, for qemu.c's scan: the block size, and the end of the pages it maps */
TCE_HIDDEN uint64_t tce_diskdump_block_size(const struct tce_dump *d);
TCE_HIDDEN uint64_t tce_diskdump_end(const struct tce_dump *d);
/* diskscan.c, for qemu.c's repaired file: a kdump-compressed file's layout as its
 * header says (the bitmaps: bitmap_blocks blocks after the 1 + sub_blocks of header
 * and sub-header; ndesc page descriptors of 24 bytes at desc_off, one a set bit of the
 * bitmap that names the pages the file holds); 0, or -TCE_EINVAL for another format */
struct tce_dd_layout {
	bool be;
	int32_t version;
	uint64_t block_size, sub_blocks, bitmap_blocks, desc_off, ndesc;
};
TCE_HIDDEN int tce_diskdump_layout(const struct tce_dump *d, struct tce_dd_layout *l);
/* elfscan.c: physical [addr, addr + len) of an ELF file, read from its PT_LOADs
 * (d->ranges) without libkdumpfile: 0, or -TCE_ENODATA / -TCE_EIO (no message set) */
TCE_HIDDEN int tce_elf_read(struct tce_dump *d, uint64_t addr, void *buf, size_t len);
/* elfscan.c: the range whose available part holds phys, or NULL; the first range whose
 * available part ends above phys (holds it or lies above it), or NULL */
TCE_HIDDEN const struct tce_phys_range *tce_range_at(struct tce_dump *d, uint64_t phys);
TCE_HIDDEN const struct tce_phys_range *tce_range_from(struct tce_dump *d, uint64_t phys);
/* qemu.c: before libkdumpfile sees an ELF file, whether QEMU's dump-guest-memory
 * wrote it: 1 if so (libtce reads it itself then: tce_elf_read()), 0 if not, or an
 * error with the message set (QEMU 7.2's section headers on a file not QEMU's). */
TCE_HIDDEN int tce_qemu_probe_elf(struct tce_dump *d);
/* qemu.c: a QEMU dump-guest-memory file (an ELF file tce_qemu_probe_elf() found, or a
 * kdump-compressed file libkdumpfile opened) without VMCOREINFO is repaired in
 * memory: 1 when it was (d->arch, d->bo and VMCOREINFO set, d->qemu says what), 0 when
 * the file is not one, or an error with the message set (one of QEMU's but not
 * repairable, or not QEMU's fault) */
TCE_HIDDEN int tce_qemu_repair(struct tce_dump *d);
TCE_HIDDEN void tce_qemu_free(struct tce_dump *d);
/* xlat.c */
TCE_HIDDEN int tce_xlat_install_direct(struct tce_dump *d);
TCE_HIDDEN void tce_xlat_free(struct tce_dump *d);

#endif /* TCE_DUMP_PRIV_H */
