// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dump layer on forged vmcores of both byte orders and both page sizes: what info
 * reports, reads by physical and kernel virtual address in a stated byte order, the
 * VMCOREINFO accessors, files cut short, and every kind of bad input (exit-3 cases).
 */
#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* tce_err_vprepend() with its arguments in the call */
static void prepend(struct tce_err *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void prepend(struct tce_err *e, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tce_err_vprepend(e, err, fmt, ap);
	va_end(ap);
}

/*
 * A message longer than the error unit holds ends in "...", set or given context, and
 * is not cut inside a character of UTF-8; one that fits is whole.
 */
START_TEST(cut_messages_say_so)
{
	char long_[2 * TCE_ERR_LEN];
	struct tce_err e = { { 0 } };
	size_t n;

	memset(long_, 'x', sizeof(long_) - 1);
	long_[sizeof(long_) - 1] = '\0';
	ck_assert_int_eq(tce_err_set(&e, TCE_EIO, "short %d", 1), -TCE_EIO);
	ck_assert_str_eq(e.msg, "short 1");
	tce_err_set(&e, TCE_EIO, "%s", long_);
	n = strlen(e.msg);
	ck_assert_uint_eq(n, TCE_ERR_LEN - 1);
	ck_assert_str_eq(e.msg + n - 3, "...");
	/* context in front of a message that fitted pushes it over */
	tce_err_set(&e, TCE_EIO, "%.*s", TCE_ERR_LEN - 20, long_);
	prepend(&e, TCE_EIO, "context of forty bytes, more or less: %d", 1);
	ck_assert_uint_eq(strlen(e.msg), TCE_ERR_LEN - 1);
	ck_assert_str_eq(e.msg + TCE_ERR_LEN - 4, "...");
	ck_assert(!strncmp(e.msg, "context of forty bytes", 22));
	/* a two-byte character across the cut: the mark goes before it */
	memset(long_, 'y', TCE_ERR_LEN - 5);
	memcpy(long_ + TCE_ERR_LEN - 5, "\xc3\xa9\xc3\xa9\xc3\xa9", 6);
	long_[TCE_ERR_LEN + 1] = '\0';
	tce_err_set(&e, TCE_EIO, "%s", long_);
	ck_assert_uint_eq(strlen(e.msg), TCE_ERR_LEN - 2);
	ck_assert_str_eq(e.msg + TCE_ERR_LEN - 6, "y...");
}
END_TEST

START_TEST(info_reports_the_dump)
{
	struct fk_opts o = variant_opts(_i, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	struct tce_dump *d = open_kernel(k);
	struct tce_dump_info in;

	ck_assert_int_eq(dump_info(d, &in), 0);
	ck_assert_str_eq(in.arch, "ppc64");
	ck_assert_str_eq(in.format, "elf");
	ck_assert_str_eq(in.release, "6.1.0-forge");
	ck_assert_int_eq(in.byte_order, variants[_i].endian == FORGE_BE ? TCE_BE : TCE_LE);
	ck_assert_uint_eq(in.page_size, 1ULL << variants[_i].page_shift);
	ck_assert_uint_gt(in.vmcoreinfo_lines, 20);
	ck_assert_uint_eq(in.size, sizeof(in));
	ck_assert(!in.truncated);
	ck_assert(!in.btf_probed);
	ck_assert_uint_gt(in.phys_bytes, 0);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(reads_state_their_byte_order)
{
	struct fk_opts o = variant_opts(_i, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	uint64_t phys = fk_alloc(k, 64, 8), v;
	uint32_t v32;
	struct tce_dump *d;
	unsigned char raw[8];

	ck_assert_uint_ne(phys, 0);
	ck_assert_int_eq(forge_put_u64(fk_forge(k), phys, 0x0102030405060708ULL), 0);
	d = open_kernel(k);

	/* the kernel's own byte order reads the value back ... */
	ck_assert_int_eq(tce_read_u64(d, TCE_PHYS, phys, tce_dump_byteorder(d), &v), 0);
	ck_assert_uint_eq(v, 0x0102030405060708ULL);
	/* ... the other one reads it swapped */
	ck_assert_int_eq(tce_read_u64(d, TCE_PHYS, phys,
				      tce_dump_byteorder(d) == TCE_BE ? TCE_LE : TCE_BE, &v), 0);
	ck_assert_uint_eq(v, 0x0807060504030201ULL);
	/* the raw bytes are as the kernel stored them */
	ck_assert_int_eq(tce_read(d, TCE_PHYS, phys, raw, 8), 0);
	ck_assert_uint_eq(raw[0], variants[_i].endian == FORGE_BE ? 0x01 : 0x08);
	/* linear-map kernel virtual reads reach the same bytes */
	ck_assert_int_eq(tce_read_u64(d, TCE_KVADDR, fk_kva(phys), tce_dump_byteorder(d), &v),
			 0);
	ck_assert_uint_eq(v, 0x0102030405060708ULL);
	ck_assert_int_eq(tce_read_u32(d, TCE_KVADDR, fk_kva(phys), TCE_BE, &v32), 0);
	ck_assert_uint_eq(v32, variants[_i].endian == FORGE_BE ? 0x01020304 : 0x08070605);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(not_in_dump_is_an_answer)
{
	struct fk_opts o = variant_opts(_i, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	struct tce_dump *d = open_kernel(k);
	struct tce_dump_info in;
	uint64_t v, phys;

	dump_info(d, &in);
	/* RAM the machine has but the dump does not hold */
	ck_assert_int_eq(tce_read_u64(d, TCE_PHYS, 0x10000000, TCE_BE, &v), -TCE_ENODATA);
	ck_assert(!tce_phys_in_dump(d, 0x10000000, 8));
	ck_assert(strstr(tce_errmsg(d), "not in the dump"));
	/* an address no translation covers */
	ck_assert_int_eq(tce_read_u64(d, TCE_KVADDR, 0x1000, TCE_BE, &v), -TCE_ENOXLAT);
	ck_assert_int_ne(tce_kvtop(d, 0xd000000000000000ULL, &phys), 0);
	ck_assert_int_eq(tce_read(d, 7, 0, &v, 8), -TCE_EINVAL);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(vmcoreinfo_accessors)
{
	struct fk_opts o = variant_opts(_i, 56, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	struct tce_dump *d = open_kernel(k);
	uint64_t v;
	int64_t n;
	const char *key, *val;
	unsigned i;
	bool saw = false;

	ck_assert_int_eq(tce_vmcoreinfo_size(d, "page", &v), 0);
	ck_assert_uint_eq(v, 56);
	ck_assert_int_eq(tce_vmcoreinfo_symbol(d, "vmemmap_list", &v), 0);
	ck_assert_uint_eq(v, fk_symbol(k, "vmemmap_list"));
	ck_assert_int_eq(tce_vmcoreinfo_offset(d, "vmemmap_backing", "virt_addr", &v), 0);
	ck_assert_uint_eq(v, 16);
	ck_assert_int_eq(tce_vmcoreinfo_number(d, "PAGE_BUDDY_MAPCOUNT_VALUE", &n), 0);
	ck_assert_int_eq(n, -129);
	ck_assert_int_eq(tce_vmcoreinfo_symbol(d, "no_such_symbol", &v), -TCE_ENOENT);
	ck_assert_int_eq(tce_vmcoreinfo_offset(d, "page", "no_such_field", &v), -TCE_ENOENT);
	ck_assert_ptr_null(tce_vmcoreinfo(d, "NO_SUCH_KEY"));
	for (i = 0; tce_vmcoreinfo_line(d, i, &key, &val); i++)
		if (!strcmp(key, "OSRELEASE"))
			saw = !strcmp(val, "6.1.0-forge");
	ck_assert(saw);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(truncated_file_is_reported_and_not_read_as_zeros)
{
	struct fk_opts o = variant_opts(_i, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	struct forge_write_opts wo = { .truncate_bytes = 1 << 20 };
	char *path = write_dump(k, &wo);
	struct tce_dump *d = NULL;
	struct tce_dump_info in;
	uint64_t v;

	ck_assert_int_eq(open_path(path, &d), 0);
	ck_assert_int_eq(dump_info(d, &in), 0);
	ck_assert(in.truncated);
	ck_assert_uint_ge(in.truncated_bytes, 1 << 20);
	/* what was cut off is not in the dump: it must not read as zeros */
	{
		unsigned i, cut = 0;

		for (i = 0; i < d->nranges; i++) {
			const struct tce_phys_range *r = &d->ranges[i];

			if (r->avail == r->size)
				continue;
			cut++;
			ck_assert(!tce_phys_in_dump(d, r->start + r->avail, 8));
			ck_assert_int_eq(tce_read_u64(d, TCE_PHYS, r->start + r->avail,
						      TCE_BE, &v), -TCE_ENODATA);
			if (r->avail >= 8)
				ck_assert_int_eq(tce_read_u64(d, TCE_PHYS, r->start + r->avail -
							      8, TCE_BE, &v), 0);
		}
		ck_assert_uint_gt(cut, 0);
	}
	close_dump(d);
	unlink(path);
	free(path);
	fk_free(k);
}
END_TEST

/* What d answers of physical [a, a + 8): the read's status and value, whether the dump
 * holds it, the next address it holds */
struct held {
	int ret, in;
	uint64_t v, next;
};

static struct held held_at(struct tce_dump *d, uint64_t a)
{
	struct held h = { 0 };

	h.ret = tce_read_u64(d, TCE_PHYS, a, TCE_LE, &h.v);
	if (h.ret)
		h.v = 0;
	h.in = tce_phys_in_dump(d, a, 8);
	ck_assert_int_eq(tce_dump_next_held(d, a, &h.next), 1);
	tce_clear_err(d);
	return h;
}

/*
 * Memory in thousands of PT_LOADs, in descending order (makedumpfile -E writes one for
 * each run of pages it kept, tens of thousands on a big host) reads as the same memory
 * in one PT_LOAD a region: every read, what the dump holds and the next address it
 * holds agree, at and across the PT_LOADs' edges, in the holes and past the end, and
 * reads block after block upwards (which the block cache reads ahead of) find each
 * block's own value.
 */
START_TEST(many_ptloads_read_as_few)
{
	const uint64_t hi = 1ULL << 32, hisize = 128ULL << 20, piece = 64 << 10;
	struct fk_opts o = variant_opts(_i, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	struct forge_write_opts cut = { .split_bytes = piece, .descending = true };
	struct tce_dump *dw = NULL, *dc = NULL;
	char *pw, *pc;
	uint64_t a, pos[4096];
	unsigned i, n = 0;

	ck_assert_int_eq(forge_add_ram(fk_forge(k), hi, hisize), 0);
	for (a = hi + piece - 4; a + 8 <= hi + hisize; a += 5 * piece)
		ck_assert_int_eq(forge_put_u64(fk_forge(k), a, a * 0x9e3779b97f4a7c15ULL), 0);
	/* a value in each block of the first 4 MiB, for reads in ascending order */
	for (a = hi + 8; a < hi + (4 << 20); a += 4096)
		ck_assert_int_eq(forge_put_u64(fk_forge(k), a, a ^ 0x5a5a5a5a5a5a5a5aULL), 0);
	pw = write_dump(k, NULL);
	pc = write_dump(k, &cut);
	ck_assert_int_eq(open_path(pw, &dw), 0);
	ck_assert_int_eq(open_path(pc, &dc), 0);
	/* block after block upwards, first (the block cache reads ahead of such a walk,
	 * within a PT_LOAD, up to a block it holds): each its own value */
	for (a = hi + 8; a < hi + (4 << 20); a += 4096) {
		uint64_t vw, vc;

		ck_assert_int_eq(tce_read_u64(dw, TCE_PHYS, a, tce_dump_byteorder(dw), &vw), 0);
		ck_assert_int_eq(tce_read_u64(dc, TCE_PHYS, a, tce_dump_byteorder(dc), &vc), 0);
		ck_assert_msg(vw == (a ^ 0x5a5a5a5a5a5a5a5aULL) && vc == vw,
			      "physical 0x%" PRIx64 ": 0x%" PRIx64 " in one PT_LOAD, 0x%" PRIx64
			      " in %u", a, vw, vc, dc->nranges);
	}
	for (i = 0, a = 0; i < dw->nranges; i++) {
		a += (dw->ranges[i].size + piece - 1) / piece;
		/* the edges of the kernel's memory */
		pos[n++] = dw->ranges[i].start - 4;
		pos[n++] = dw->ranges[i].start;
		pos[n++] = dw->ranges[i].start + dw->ranges[i].size - 4;
		pos[n++] = dw->ranges[i].start + dw->ranges[i].size;
	}
	ck_assert_uint_eq(dc->nranges, a);
	ck_assert_uint_gt(dc->nranges, hisize / piece);
	/* the file's first PT_LOAD is the highest */
	ck_assert_uint_eq(dc->ranges[0].start, hi + hisize - piece);
	for (a = hi - 2 * piece; a < hi + 64 * piece; a += piece / 2) {
		pos[n++] = a - 4;
		pos[n++] = a;
	}
	for (a = hi; a < hi + hisize + 4 * piece; a += hisize / 512 + piece) {
		pos[n++] = a - 4;
		pos[n++] = a + 8;
	}
	pos[n++] = UINT64_MAX - 7;
	for (i = 0; i < n; i++) {
		struct held w = held_at(dw, pos[i]), c = held_at(dc, pos[i]);

		ck_assert_msg(w.ret == c.ret && w.v == c.v && w.in == c.in && w.next == c.next,
			      "physical 0x%" PRIx64 ": read %d 0x%" PRIx64 " held %d next 0x%"
			      PRIx64 " in one PT_LOAD, %d 0x%" PRIx64 " %d 0x%" PRIx64 " in %u",
			      pos[i], w.ret, w.v, w.in, w.next, c.ret, c.v, c.in, c.next,
			      dc->nranges);
	}
	/* a stretch over many PT_LOADs is held whole, one byte more is not */
	ck_assert_int_eq(tce_phys_in_dump(dc, hi, hisize), 1);
	ck_assert_int_eq(tce_phys_in_dump(dc, hi, hisize + 1), 0);
	ck_assert_int_eq(tce_phys_in_dump(dc, hi - 1, 2), 0);
	close_dump(dw);
	close_dump(dc);
	unlink(pw);
	unlink(pc);
	free(pw);
	free(pc);
	fk_free(k);
}
END_TEST

START_TEST(whole_file_is_not_truncated)
{
	struct fk_opts o = variant_opts(_i, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	struct tce_dump *d = open_kernel(k);
	const struct vmv *vm;
	struct tce_dump_info in;

	dump_info(d, &in);
	ck_assert(!in.truncated);
	ck_assert_uint_eq(in.truncated_bytes, 0);
	vmemmap_load(d, &vm);
	ck_assert_findings(vm, "TCE-VMEMMAP-BACKING-MISSING", 0);
	close_dump(d);
	fk_free(k);
}
END_TEST

static void expect_refused(unsigned faults, int err, const char *words)
{
	struct fk_opts o = variant_opts(0, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	struct forge_write_opts wo = { .faults = faults };
	char *path = write_dump(k, &wo);
	struct tce_dump *d = NULL;

	ck_assert_int_eq(open_path(path, &d), -err);
	ck_assert_ptr_nonnull(d);
	ck_assert_msg(strstr(tce_errmsg(d), words), "message '%s' lacks '%s'",
		      tce_errmsg(d), words);
	/* one line */
	ck_assert_ptr_null(strchr(tce_errmsg(d), '\n'));
	close_dump(d);
	unlink(path);
	free(path);
	fk_free(k);
}

START_TEST(refuses_other_architectures)
{
	expect_refused(FORGE_FAULT_MACHINE_X86_64, TCE_EUNSUPP, "not a ppc64 dump");
}
END_TEST

START_TEST(refuses_non_dumps)
{
	expect_refused(FORGE_FAULT_NOT_ELF, TCE_EFORMAT, "not a vmcore");
}
END_TEST

START_TEST(refuses_dumps_without_vmcoreinfo)
{
	expect_refused(FORGE_FAULT_NO_VMCOREINFO, TCE_EUNSUPP, "no VMCOREINFO");
}
END_TEST

START_TEST(refuses_non_linux)
{
	expect_refused(FORGE_FAULT_NO_OSRELEASE, TCE_EUNSUPP, "not a Linux");
}
END_TEST

/* Overwrites bytes of a forged dump at a file offset. */
static void patch_file(const char *path, off_t off, const void *buf, size_t len)
{
	FILE *f = fopen(path, "r+b");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseeko(f, off, SEEK_SET), 0);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
}

/* libkdumpfile 0.5.1 crashes on these: they must be refused first, in one line */
START_TEST(refuses_headers_pointing_outside)
{
	struct fk_opts o = variant_opts(_i, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	static const struct {
		off_t off;
		unsigned char bytes[8];
		size_t len;
		const char *words;
	} cases[] = {
		/* e_shoff far past the end */
		{ 40, { 0, 0, 0, 0, 0x10, 0, 0, 0 }, 8, "section headers" },
		/* e_shnum without e_shentsize */
		{ 60, { 0, 0x28 }, 2, "section headers" },
		/* e_phentsize wrong */
		{ 54, { 7, 0 }, 2, "program headers" },
		/* the note's p_filesz (first program header) far past the end,
		 * whatever the byte order */
		{ 64 + 32 + 2, { 0x7f }, 1, "note" },
	};
	size_t c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char *path = write_dump(k, NULL);
		struct tce_dump *d = NULL;
		unsigned char b[8];
		size_t j;

		/* multi-byte fields in the dump's byte order */
		for (j = 0; j < cases[c].len; j++)
			b[j] = cases[c].bytes[variants[_i].endian == FORGE_BE && cases[c].len > 1 ?
					      cases[c].len - 1 - j : j];
		patch_file(path, cases[c].off, b, cases[c].len);
		ck_assert_int_eq(open_path(path, &d), -TCE_EFORMAT);
		ck_assert_msg(strstr(tce_errmsg(d), cases[c].words), "case %zu: %s", c,
			      tce_errmsg(d));
		ck_assert_ptr_null(strchr(tce_errmsg(d), '\n'));
		close_dump(d);
		unlink(path);
		free(path);
	}
	fk_free(k);
}
END_TEST

START_TEST(refuses_missing_files)
{
	struct tce_dump *d = NULL;

	ck_assert_int_eq(open_path("/nonexistent/vmcore", &d), -TCE_EIO);
	ck_assert(strstr(tce_errmsg(d), "No such file"));
	close_dump(d);
	ck_assert_int_eq(open_path("/", &d), -TCE_EIO);
	close_dump(d);
}
END_TEST

START_TEST(qemu_style_vaddr_is_fine)
{
	/* QEMU writes p_vaddr = p_paddr; we translate the linear map ourselves */
	struct fk_opts o = variant_opts(_i, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	struct forge_write_opts wo = { .faults = FORGE_FAULT_VADDR_EQ_PADDR };
	char *path = write_dump(k, &wo);
	struct tce_dump *d = NULL;
	const struct vmv *vm;

	ck_assert_int_eq(open_path(path, &d), 0);
	ck_assert_int_eq(vmemmap_load(d, &vm), 0);
	ck_assert_uint_eq(vm->nblocks, (size_t)fk_vmemmap_nentries(k));
	close_dump(d);
	unlink(path);
	free(path);
	fk_free(k);
}
END_TEST

START_TEST(vmcoreinfo_damage_is_not_passed_on)
{
	struct fk_opts o = variant_opts(0, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);
	struct tce_dump *d;

	ck_assert_int_eq(fk_vmcoreinfo_override(k, "OSRELEASE", "6.1.0-f\x9drge\x01"), 0);
	d = open_kernel(k);
	ck_assert_str_eq(tce_vmcoreinfo(d, "OSRELEASE"), "6.1.0-f?rge?");
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(strerror_names_every_code)
{
	int e;

	for (e = TCE_OK; e <= TCE_EINVAL; e++)
		ck_assert_str_ne(tce_strerror(-e), "unknown error");
	ck_assert_str_eq(tce_strerror(-1000), "unknown error");
}
END_TEST

/*
 * libkdumpfile 0.5.1 loses a buffer of its page cache when a read fails after taking
 * one, and a later read of a page its cache evicted copies that page to address 0
 * (doc/libkdumpfile-defects.md, 14).  A kdump-compressed file of 4 KiB pages (the
 * forge's ELF through tests/forge/mkdiskdump) with one page that does not decompress
 * (flagged zlib, its data raw), and after it one whose descriptor points past the end
 * of the file (libtce refuses it before libkdumpfile): PAGES pages read whole, past
 * libkdumpfile's 1024, then the damaged ones, then the first again.
 */
#define PAGES 1100

struct kd_fixture {
	struct fk *k;
	char *elf, *kd;
	uint64_t page[PAGES], bad, cut;
};

static void kd_fixture_make(struct kd_fixture *f, int v)
{
	struct fk_opts o = variant_opts(v, 64, false, 1ULL << 30);
	const char *top = getenv("abs_top_builddir");
	char *mkdd, set[64], set_cut[64];
	struct tce_dump *d;
	unsigned i, n = 0;
	int status;
	pid_t pid;

	f->k = make_kernel(&o);
	f->elf = write_dump(f->k, NULL);
	/* pages the file holds, from its PT_LOADs */
	ck_assert_int_eq(open_path(f->elf, &d), 0);
	for (i = 0; i < d->nranges && n < PAGES + 2; i++) {
		uint64_t a = (d->ranges[i].start + 4095) & ~4095ULL;

		for (; a + 4096 <= d->ranges[i].start + d->ranges[i].avail && n < PAGES + 2;
		     a += 4096, n++) {
			if (n < PAGES)
				f->page[n] = a;
			else if (n == PAGES)
				f->bad = a;
			else
				f->cut = a;
		}
	}
	close_dump(d);
	ck_assert_uint_eq(n, PAGES + 2);
	/* each page its own bytes (the forge's struct pages repeat page after page, and
	 * a read of the wrong page would pass), in a file written again */
	for (i = 0; i < PAGES; i++)
		ck_assert_int_eq(forge_put_u64(fk_forge(f->k), f->page[i] + 8, f->page[i]), 0);
	unlink(f->elf);
	free(f->elf);
	f->elf = write_dump(f->k, NULL);
	ck_assert_int_ge(asprintf(&f->kd, "%s.kd", f->elf), 0);
	ck_assert_int_ge(asprintf(&mkdd, "%s/tests/forge/mkdiskdump", top ? top : "."), 0);
	snprintf(set, sizeof(set), "pd.@0x%llx.flags=1", (unsigned long long)f->bad);
	snprintf(set_cut, sizeof(set_cut), "pd.@0x%llx.offset=eof",
		 (unsigned long long)f->cut);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		execl(mkdd, mkdd, "--set", set, "--set", set_cut, f->elf, f->kd, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status), "%s failed", mkdd);
	free(mkdd);
}

static void kd_fixture_free(struct kd_fixture *f)
{
	unlink(f->elf);
	unlink(f->kd);
	free(f->elf);
	free(f->kd);
	fk_free(f->k);
}

START_TEST(failed_read_leaves_libkdumpfile_sound)
{
	static struct kd_fixture f;
	static unsigned char buf[4096], want[4096];
	struct tce_dump *elf, *d;
	unsigned i;

	kd_fixture_make(&f, _i);
	ck_assert_int_eq(open_path(f.elf, &elf), 0);
	ck_assert_int_eq(open_path(f.kd, &d), 0);
	ck_assert_str_eq(d->format, "diskdump");
	for (i = 0; i < PAGES; i++) {
		ck_assert_msg(tce_read(d, TCE_PHYS, f.page[i], buf, sizeof(buf)) == 0,
			      "0x%llx: %s", (unsigned long long)f.page[i], tce_errmsg(d));
		ck_assert_int_eq(tce_read(elf, TCE_PHYS, f.page[i], want, sizeof(want)), 0);
		ck_assert_mem_eq(buf, want, sizeof(buf));
	}
	/* the page that fails in libkdumpfile, past libtce's checks of its descriptor
	 * (the next page's descriptor, which they refuse, is not taken for its own) */
	ck_assert_int_eq(tce_read(d, TCE_PHYS, f.bad, buf, sizeof(buf)), -TCE_ENODATA);
	ck_assert_msg(strstr(tce_errmsg(d), "not in the dump: Decompresion failed"), "%s",
		      tce_errmsg(d));
	ck_assert_int_eq(tce_read(d, TCE_PHYS, f.cut, buf, sizeof(buf)), -TCE_ENODATA);
	ck_assert_msg(strstr(tce_errmsg(d), "lies past the end of the file"), "%s",
		      tce_errmsg(d));
	/* evicted from libkdumpfile's cache: its buffer was address 0 */
	ck_assert_int_eq(tce_read(elf, TCE_PHYS, f.page[0], want, sizeof(want)), 0);
	ck_assert_int_eq(tce_read(d, TCE_PHYS, f.page[0], buf, sizeof(buf)), 0);
	ck_assert_mem_eq(buf, want, sizeof(buf));
	/* and again, on the cache made anew, last page first (each page's descriptor
	 * counted afresh in its bitmap chunk, not on from the page before) */
	ck_assert_int_eq(tce_read(d, TCE_PHYS, f.bad, buf, sizeof(buf)), -TCE_ENODATA);
	for (i = PAGES; i-- > 0;) {
		ck_assert_int_eq(tce_read(d, TCE_PHYS, f.page[i], buf, sizeof(buf)), 0);
		ck_assert_int_eq(tce_read(elf, TCE_PHYS, f.page[i], want, sizeof(want)), 0);
		ck_assert_mem_eq(buf, want, sizeof(buf));
	}
	close_dump(elf);
	close_dump(d);
	kd_fixture_free(&f);
}
END_TEST

/* Two threads on one file, each through its own handle (a clone shares libkdumpfile's
 * cache): one reads the damaged page over and over, the other more pages than the
 * cache holds, so the cache is made anew again and again beside the other's reads
 * (without the renewal this failed on the first run; the window between a failure and
 * its renewal, which the mutex closes, was not met in ten runs without the mutex). */
struct kd_reader {
	struct tce_dump *d;
	const struct kd_fixture *f;
	bool bad;
	unsigned fails;
};

static void *kd_reader_main(void *arg)
{
	struct kd_reader *r = arg;
	unsigned char buf[4096];
	unsigned i, round;

	for (round = 0; round < 4; round++)
		for (i = 0; i < PAGES; i++)
			if (tce_read(r->d, TCE_PHYS, r->bad ? r->f->bad : r->f->page[i], buf,
				     sizeof(buf)))
				r->fails++;
	return NULL;
}

START_TEST(failed_reads_in_two_threads)
{
	static struct kd_fixture f;
	struct kd_reader r[2];
	pthread_t th;
	struct tce_dump *d;

	kd_fixture_make(&f, _i);
	ck_assert_int_eq(open_path(f.kd, &d), 0);
	r[0] = (struct kd_reader){ .d = tce_dump_clone(d), .f = &f, .bad = true };
	r[1] = (struct kd_reader){ .d = d, .f = &f };
	ck_assert_ptr_nonnull(r[0].d);
	ck_assert_int_eq(pthread_create(&th, NULL, kd_reader_main, &r[0]), 0);
	kd_reader_main(&r[1]);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_uint_eq(r[0].fails, 4 * PAGES);
	ck_assert_uint_eq(r[1].fails, 0);
	tce_dump_free(r[0].d);
	close_dump(d);
	kd_fixture_free(&f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dump");
	TCase *t = tcase_create("dump");

	tcase_set_timeout(t, 300);
	tcase_add_loop_test(t, info_reports_the_dump, 0, NVARIANTS);
	tcase_add_loop_test(t, reads_state_their_byte_order, 0, NVARIANTS);
	tcase_add_loop_test(t, not_in_dump_is_an_answer, 0, NVARIANTS);
	tcase_add_loop_test(t, vmcoreinfo_accessors, 0, NVARIANTS);
	tcase_add_loop_test(t, truncated_file_is_reported_and_not_read_as_zeros, 0, NVARIANTS);
	tcase_add_loop_test(t, whole_file_is_not_truncated, 0, NVARIANTS);
	tcase_add_loop_test(t, many_ptloads_read_as_few, 0, NVARIANTS);
	tcase_add_loop_test(t, qemu_style_vaddr_is_fine, 0, NVARIANTS);
	tcase_add_test(t, cut_messages_say_so);
	tcase_add_test(t, refuses_other_architectures);
	tcase_add_test(t, refuses_non_dumps);
	tcase_add_test(t, refuses_dumps_without_vmcoreinfo);
	tcase_add_test(t, refuses_non_linux);
	tcase_add_test(t, refuses_missing_files);
	tcase_add_loop_test(t, refuses_headers_pointing_outside, 0, NVARIANTS);
	tcase_add_test(t, strerror_names_every_code);
	tcase_add_test(t, vmcoreinfo_damage_is_not_passed_on);
	/* 4 KiB pages: the file holds more pages than libkdumpfile's cache */
	tcase_add_loop_test(t, failed_read_leaves_libkdumpfile_sound, 2, 4);
	tcase_add_loop_test(t, failed_reads_in_two_threads, 2, 4);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
