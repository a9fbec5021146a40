// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kdump-compressed (diskdump) files, before and while libkdumpfile reads them.
 * libkdumpfile 0.5.1 maps the file and trusts its headers: a file cut short, a page
 * descriptor that points past the end, a bitmap larger than the file make it read
 * past the mapping (SIGBUS) or allocate what the header claims.  At open, the header
 * is decoded the way libkdumpfile decodes it (the same 32/64-bit and byte-order
 * guesses), and the sub-header, the notes or VMCOREINFO and the page bitmap must lie
 * in the file; the bitmap is counted once (its set bits give each page's descriptor).
 * Page descriptors are checked lazily: before libkdumpfile reads a page, its
 * descriptor and its data must lie in the file, or the page is "not in the dump".
 * The bitmap also says where the next page the file holds is (tce_dump_next_held()).
 * The flattened format (makedumpfile -F), which libkdumpfile 0.5.1 cannot read, is laid
 * out first (flat.c): this sees the file makedumpfile -R would write.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump/dump-priv.h"

/* struct disk_dump_header_{32,64}: where the fields libkdumpfile checks lie */
#define DH_VERSION 8
#define DH_UTS_MACHINE (12 + 4 * 65)
#define DH32_BLOCK_SIZE 416
#define DH64_BLOCK_SIZE 428   /* then sub_hdr_size, bitmap_blocks, max_mapnr */
#define DH64_SIZE 464
/* struct kdump_sub_header_64 (packed), at file offset block_size */
#define SH_SPLIT 12
#define SH_OFFSET_VMCOREINFO 32
#define SH_SIZE_VMCOREINFO 40
#define SH_OFFSET_NOTE 48
#define SH_SIZE_NOTE 56
#define SH_MAX_MAPNR_64 96
#define SH64_SIZE 104
/* struct page_desc: offset (u64), size (u32), flags (u32), page_flags (u64) */
#define PD_SIZE 24
#define PD_COMPRESSED (0x1 | 0x2 | 0x4 | 0x20)   /* zlib, lzo, snappy, zstd */
/* libkdumpfile's MIN_PAGE_SIZE and MAX_PAGE_SIZE */
#define LKF_MIN_PAGE 4096
#define LKF_MAX_PAGE 262144
/* Notes of a real dump are a few KiB a CPU. */
#define NOTES_MAX_BYTES (64ULL << 20)
/* The bitmap is counted in chunks; rank[] holds the set bits before each. */
#define RANK_CHUNK 4096

struct tce_diskdump {
	bool be;
	uint64_t block_size;
	unsigned shift;
	uint64_t max_pfn;       /* libkdumpfile's, after its bitmap clamps it */
	uint64_t bitmap_off;    /* the bitmap libkdumpfile maps pfns with */
	uint64_t bitmap_bytes;
	uint64_t desc_off;
	int32_t version;
	uint64_t sub_blocks, bitmap_blocks;     /* as the header says */
	uint64_t *rank;
	size_t nrank;
	unsigned char chunk[RANK_CHUNK];
	uint64_t chunk_no;      /* which chunk[] holds; UINT64_MAX: none */
	/* the set bits before byte at_byte of chunk at_chunk (UINT64_MAX: none), so
	 * that a scan page after page counts each byte of a chunk once (QEMU's note
	 * scan, qemu.c, over the 895,000 pages a mutated bitmap named took 23 s in
	 * fuzz-open, counting up to 4 KiB of bitmap a page) */
	uint64_t at_chunk, at_idx;
	size_t at_byte;
	bool borrowed;          /* a clone's: rank is the original's */
};

/* Does [off, off + len) lie in the file?  (No wrap, whatever the values.) */
static bool in_file(const struct tce_dump *d, uint64_t off, uint64_t len)
{
	return len <= d->file_size && off <= d->file_size - len;
}

/* try_header() of libkdumpfile: does it take this block size, bitmap and max_mapnr? */
static bool lkf_takes(uint32_t bs, uint32_t bitmap_blocks, uint32_t max_mapnr)
{
	int32_t sbs = (int32_t)bs;

	return sbs >= LKF_MIN_PAGE && sbs <= LKF_MAX_PAGE && !(bs & (bs - 1)) &&
	       8ULL * bitmap_blocks * bs >= max_mapnr;
}

static int corrupt(struct tce_dump *d, const char *what)
{
	return tce_set_err(d, TCE_EFORMAT, "%s: corrupt kdump-compressed file: %s", d->path,
			   what);
}

/* The sub-header's notes (version 4 and later) or raw VMCOREINFO (version 3). */
static int check_vmcoreinfo(struct tce_dump *d, const unsigned char *sh, int32_t version,
			    bool be)
{
	uint64_t off, size, pagesize = 0;
	unsigned char *buf;
	int ret;

	if (version >= 4) {
		off = tce_get64(sh + SH_OFFSET_NOTE, be);
		size = tce_get64(sh + SH_SIZE_NOTE, be);
	} else if (version == 3) {
		off = tce_get64(sh + SH_OFFSET_VMCOREINFO, be);
		size = tce_get64(sh + SH_SIZE_VMCOREINFO, be);
	} else {
		return 0;       /* no VMCOREINFO: refused after open */
	}
	if (!size)
		return 0;
	if (!in_file(d, off, size))
		return corrupt(d, version >= 4 ? "its notes lie outside the file" :
			       "its VMCOREINFO lies outside the file");
	if (size > NOTES_MAX_BYTES)
		return corrupt(d, "notes larger than 64 MiB");
	buf = malloc(size);
	if (!buf)
		return tce_set_err(d, TCE_ENOMEM, "%s: notes of %llu bytes: out of memory",
				   d->path, (unsigned long long)size);
	ret = tce_file_read(d, buf, size, off);
	if (!ret)
		ret = version >= 4 ? tce_notes_check(d, buf, size, be, off, &pagesize) :
			tce_vmci_precheck(d, (const char *)buf, size, &pagesize);
	free(buf);
	if (!ret && pagesize && pagesize != d->dd->block_size)
		/* libkdumpfile would take VMCOREINFO's page size for the bitmap's pfns */
		ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt kdump-compressed file: "
				  "VMCOREINFO PAGESIZE=%llu but blocks of %llu bytes", d->path,
				  (unsigned long long)pagesize,
				  (unsigned long long)d->dd->block_size);
	return ret;
}

/* Counts the bitmap's set bits (rank[] per chunk) and its runs of set bits. */
static int count_bitmap(struct tce_dump *d)
{
	struct tce_diskdump *dd = d->dd;
	uint64_t runs = 0, set = 0, pos;
	bool prev = false;
	size_t k = 0, i;
	int ret, b;

	dd->nrank = dd->bitmap_bytes / RANK_CHUNK;
	dd->rank = calloc(dd->nrank + 1, sizeof(*dd->rank));
	if (!dd->rank)
		return tce_set_err(d, TCE_ENOMEM, "%s: a page bitmap of %llu bytes: out of "
				   "memory", d->path, (unsigned long long)dd->bitmap_bytes);
	for (pos = 0; pos < dd->bitmap_bytes; pos += RANK_CHUNK, k++) {
		ret = tce_file_read(d, dd->chunk, RANK_CHUNK, dd->bitmap_off + pos);
		if (ret)
			return ret;
		dd->rank[k] = set;
		for (i = 0; i < RANK_CHUNK; i++) {
			unsigned char c = dd->chunk[i];

			set += __builtin_popcount(c);
			if ((c == 0xff && prev) || (c == 0 && !prev))
				continue;
			for (b = 0; b < 8; b++) {
				bool on = c >> b & 1;

				runs += on && !prev;
				prev = on;
			}
		}
	}
	dd->rank[k] = set;
	/* libkdumpfile keeps a 24-byte record a run: no more than the file could hold
	 * descriptors for (a dump cut short that badly is refused) */
	if (runs > d->file_size / PD_SIZE)
		return corrupt(d, "its page bitmap has more runs of dumped pages than the "
			       "file could hold (cut short, or a corrupt bitmap)");
	return 0;
}

int tce_diskdump_scan(struct tce_dump *d)
{
	unsigned char h[DH64_SIZE], sh[SH64_SIZE];
	struct tce_diskdump *dd;
	uint32_t bs, bitmap_blocks, max_mapnr;
	int32_t version, sub_blocks;
	uint64_t max_pfn, bmp_blocks, max_bitmap_pfn;
	bool be;
	int ret;

	if (d->file_size < 16 || tce_file_read(d, h, 16, 0))
		return 0;
	if (memcmp(h, "KDUMP   ", 8) != 0 && memcmp(h, "DISKDUMP", 8) != 0)
		return 0;
	if (d->file_size < DH64_SIZE)
		return corrupt(d, "cut short inside its header");
	ret = tce_file_read(d, h, DH64_SIZE, 0);
	if (ret)
		return ret;
	/* libkdumpfile tries the 32-bit layout first, then the 64-bit one, each
	 * little-endian first: the first it takes is the one it reads */
	if (lkf_takes(tce_get32(h + DH32_BLOCK_SIZE, false), tce_get32(h + DH32_BLOCK_SIZE + 8, false),
		      tce_get32(h + DH32_BLOCK_SIZE + 12, false)) ||
	    lkf_takes(tce_get32(h + DH32_BLOCK_SIZE, true), tce_get32(h + DH32_BLOCK_SIZE + 8, true),
		      tce_get32(h + DH32_BLOCK_SIZE + 12, true)))
		return tce_set_err(d, TCE_EUNSUPP, "%s: a 32-bit kdump-compressed header: not "
				   "a ppc64 dump", d->path);
	for (be = false;; be = true) {
		bs = tce_get32(h + DH64_BLOCK_SIZE, be);
		bitmap_blocks = tce_get32(h + DH64_BLOCK_SIZE + 8, be);
		max_mapnr = tce_get32(h + DH64_BLOCK_SIZE + 12, be);
		if (lkf_takes(bs, bitmap_blocks, max_mapnr))
			break;
		if (be)
			return corrupt(d, "its header names no page size and bitmap "
				       "libkdumpfile could use");
	}
	version = (int32_t)tce_get32(h + DH_VERSION, be);
	sub_blocks = (int32_t)tce_get32(h + DH64_BLOCK_SIZE + 4, be);
	if (bs != 4096 && bs != 65536)
		return tce_set_err(d, TCE_EUNSUPP, "%s: kdump-compressed blocks of %u bytes "
				   "(read %s-endian): not a ppc64 page size (4096 or 65536)",
				   d->path, bs, be ? "big" : "little");
	if (version < 1)
		return corrupt(d, "header version below 1 (no sub-header)");
	if (sub_blocks < 1 || bitmap_blocks == 0 || bitmap_blocks > INT32_MAX)
		return corrupt(d, "impossible sub-header or bitmap size");
	if (!in_file(d, bs, SH64_SIZE))
		return corrupt(d, "cut short before its sub-header");

	dd = calloc(1, sizeof(*dd));
	if (!dd)
		return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", d->path);
	d->dd = dd;
	dd->be = be;
	dd->block_size = bs;
	dd->shift = __builtin_ctz(bs);
	dd->chunk_no = UINT64_MAX;
	dd->at_chunk = UINT64_MAX;
	dd->version = version;
	dd->sub_blocks = (uint64_t)sub_blocks;
	dd->bitmap_blocks = bitmap_blocks;
	ret = tce_file_read(d, sh, SH64_SIZE, bs);
	if (ret)
		return ret;
	if (version >= 2 && tce_get32(sh + SH_SPLIT, be))
		return tce_set_err(d, TCE_EUNSUPP, "%s: one part of a split dump "
				   "(makedumpfile --split): reassemble it with makedumpfile "
				   "--reassemble", d->path);
	ret = check_vmcoreinfo(d, sh, version, be);
	if (ret)
		return ret;

	/* read_bitmap() of libkdumpfile: with max_mapnr at most half the bitmap, the
	 * second half is the one that says which pages the file holds */
	max_pfn = version >= 6 ? tce_get64(sh + SH_MAX_MAPNR_64, be) : max_mapnr;
	bmp_blocks = bitmap_blocks;
	dd->bitmap_off = (1 + (uint64_t)sub_blocks) * bs;
	dd->desc_off = dd->bitmap_off + bmp_blocks * bs;
	max_bitmap_pfn = bmp_blocks * bs * 8;
	if (max_pfn <= max_bitmap_pfn / 2) {
		bmp_blocks /= 2;
		dd->bitmap_off += bmp_blocks * bs;
		max_bitmap_pfn = bmp_blocks * bs * 8;
	}
	if (max_pfn > max_bitmap_pfn)
		max_pfn = max_bitmap_pfn;
	dd->max_pfn = max_pfn;
	dd->bitmap_bytes = bmp_blocks * bs;
	if (!in_file(d, (1 + (uint64_t)sub_blocks) * bs, (uint64_t)bitmap_blocks * bs))
		return corrupt(d, "its page bitmap lies outside the file (cut short?)");
	return count_bitmap(d);
}

/* Makes dd->chunk hold bitmap chunk k. */
static int load_chunk(struct tce_dump *d, uint64_t k)
{
	struct tce_diskdump *dd = d->dd;
	int ret;

	if (dd->chunk_no == k)
		return 0;
	dd->chunk_no = UINT64_MAX;
	ret = tce_file_read(d, dd->chunk, RANK_CHUNK, dd->bitmap_off + k * RANK_CHUNK);
	if (!ret)
		dd->chunk_no = k;
	return ret;
}

/* One page: 0 if libkdumpfile may read it, else -TCE_ENODATA (why) or -TCE_EIO. */
static int check_page(struct tce_dump *d, uint64_t pfn, uint64_t addr)
{
	struct tce_diskdump *dd = d->dd;
	uint64_t byte = pfn / 8, k = byte / RANK_CHUNK, idx, pos, off;
	unsigned char pd[PD_SIZE];
	uint32_t size, flags;
	size_t i;
	int ret;

	if (pfn >= dd->max_pfn)
		return tce_set_err(d, TCE_ENODATA, "physical 0x%llx is not in the dump: past "
				   "its last page", (unsigned long long)addr);
	ret = load_chunk(d, k);
	if (ret)
		return ret;
	if (!(dd->chunk[byte % RANK_CHUNK] >> (pfn % 8) & 1))
		return tce_set_err(d, TCE_ENODATA, "physical 0x%llx is not in the dump: "
				   "makedumpfile excluded its page", (unsigned long long)addr);
	idx = dd->rank[k];
	i = 0;
	if (dd->at_chunk == k && dd->at_byte <= byte % RANK_CHUNK) {
		idx = dd->at_idx;
		i = dd->at_byte;
	}
	for (; i < byte % RANK_CHUNK; i++)
		idx += __builtin_popcount(dd->chunk[i]);
	dd->at_chunk = k;
	dd->at_byte = i;
	dd->at_idx = idx;
	idx += __builtin_popcount(dd->chunk[byte % RANK_CHUNK] & ((1u << (pfn % 8)) - 1));
	/* idx < 2^61: the bitmap lies in the file */
	pos = dd->desc_off + idx * PD_SIZE;
	if (!in_file(d, pos, PD_SIZE))
		return tce_set_err(d, TCE_ENODATA, "physical 0x%llx is not in the dump: its "
				   "page descriptor lies past the end of the file (cut short)",
				   (unsigned long long)addr);
	ret = tce_file_read(d, pd, sizeof(pd), pos);
	if (ret)
		return ret;
	off = tce_get64(pd, dd->be);
	size = tce_get32(pd + 8, dd->be);
	flags = tce_get32(pd + 12, dd->be);
	if (!in_file(d, off, size))
		return tce_set_err(d, TCE_ENODATA, "physical 0x%llx is not in the dump: its "
				   "data (%u bytes at file offset 0x%llx) lies past the end of "
				   "the file (cut short, or a corrupt page descriptor)",
				   (unsigned long long)addr, size, (unsigned long long)off);
	if ((flags & PD_COMPRESSED) ? size == 0 || size > dd->block_size :
	    size != dd->block_size)
		return tce_set_err(d, TCE_ENODATA, "physical 0x%llx is not in the dump: its "
				   "page descriptor is corrupt (%u bytes, flags 0x%x, for a "
				   "page of %llu)", (unsigned long long)addr, size, flags,
				   (unsigned long long)dd->block_size);
	return 0;
}

int tce_diskdump_check(struct tce_dump *d, uint64_t phys, uint64_t len)
{
	struct tce_diskdump *dd = d->dd;
	uint64_t pfn, last;
	int ret;

	if (!dd || !len)
		return 0;
	last = phys + (len - 1) < phys ? UINT64_MAX : phys + (len - 1);
	for (pfn = phys >> dd->shift; pfn <= last >> dd->shift; pfn++) {
		ret = check_page(d, pfn, pfn == phys >> dd->shift ? phys : pfn << dd->shift);
		if (ret)
			return ret;
		if (pfn == UINT64_MAX >> dd->shift)
			break;
	}
	return 0;
}

/* The first pfn at or above pfn the bitmap names, UINT64_MAX if none; 0 and *out, or
 * an error reading the bitmap.  A chunk without set bits (rank[]) is not read. */
static int next_set(struct tce_dump *d, uint64_t pfn, uint64_t *out)
{
	struct tce_diskdump *dd = d->dd;
	uint64_t k, byte;
	int ret;

	*out = UINT64_MAX;
	for (k = pfn / 8 / RANK_CHUNK; pfn < dd->max_pfn && k < dd->nrank;
	     k++, pfn = k * RANK_CHUNK * 8) {
		if (dd->rank[k + 1] == dd->rank[k])
			continue;
		ret = load_chunk(d, k);
		if (ret)
			return ret;
		for (byte = pfn / 8 % RANK_CHUNK; byte < RANK_CHUNK; byte++) {
			unsigned c = dd->chunk[byte];

			if (byte == pfn / 8 % RANK_CHUNK)
				c &= 0xffu << (pfn % 8);
			if (!c)
				continue;
			pfn = (k * RANK_CHUNK + byte) * 8 + (unsigned)__builtin_ctz(c);
			if (pfn < dd->max_pfn)
				*out = pfn;
			return 0;
		}
	}
	return 0;
}

/* Here beside the bitmap it mostly reads; ELF dumps answer from their PT_LOADs. */
int tce_dump_next_held(struct tce_dump *d, uint64_t phys, uint64_t *next)
{
	struct tce_diskdump *dd = d->dd;
	uint64_t best = UINT64_MAX, pfn;

	if (d->ranges) {
		const struct tce_phys_range *r = tce_range_from(d, phys);

		if (r)
			best = r->start > phys ? r->start : phys;
		*next = best;
		return 1;
	}
	if (!dd)
		return 0;
	if (next_set(d, phys >> dd->shift, &pfn)) {
		tce_clear_err(d);
		return 0;
	}
	if (pfn == UINT64_MAX || pfn > UINT64_MAX >> dd->shift)
		*next = UINT64_MAX;
	else
		*next = pfn << dd->shift > phys ? pfn << dd->shift : phys;
	return 1;
}

int tce_diskdump_clone(struct tce_dump *c, const struct tce_dump *d)
{
	c->dd = NULL;
	if (!d->dd)
		return 0;
	c->dd = malloc(sizeof(*c->dd));
	if (!c->dd)
		return tce_set_err(c, TCE_ENOMEM, "a dump handle for a thread: out of memory");
	*c->dd = *d->dd;
	c->dd->chunk_no = UINT64_MAX;
	c->dd->borrowed = true;
	return 0;
}

void tce_diskdump_free(struct tce_dump *d)
{
	if (d->dd && !d->dd->borrowed)
		free(d->dd->rank);
	free(d->dd);
	d->dd = NULL;
}

uint64_t tce_diskdump_block_size(const struct tce_dump *d)
{
	return d->dd ? d->dd->block_size : 0;
}

uint64_t tce_diskdump_end(const struct tce_dump *d)
{
	return d->dd ? d->dd->max_pfn << d->dd->shift : 0;
}

int tce_diskdump_layout(const struct tce_dump *d, struct tce_dd_layout *l)
{
	const struct tce_diskdump *dd = d->dd;

	if (!dd)
		return -TCE_EINVAL;
	l->be = dd->be;
	l->version = dd->version;
	l->block_size = dd->block_size;
	l->sub_blocks = dd->sub_blocks;
	l->bitmap_blocks = dd->bitmap_blocks;
	l->desc_off = dd->desc_off;
	l->ndesc = dd->rank[dd->nrank];
	return 0;
}
