// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The dump layer: the only place that opens dumps and reads their bytes.  It opens a
 * vmcore with libkdumpfile (after elfscan.c, diskscan.c and notescan.c have checked
 * what libkdumpfile would otherwise trust: headers, notes, VMCOREINFO, bitmaps),
 * refuses what is not ppc64 Linux, and reads by physical or kernel virtual address
 * (a kdump-compressed page only once its descriptor and data are known to lie in the
 * file).  Kernel
 * virtual addresses are translated by libkdumpfile's addrxlat system, into which
 * xlat.c installs the linear map and the translations walkers register.  An ELF
 * file's memory, /proc/kcore's aside, is read with pread from its PT_LOADs
 * (elfscan.c's tce_elf_read(); d->elf_pread): libkdumpfile maps the file, and the
 * pages the kernel maps in around each one touched made the peak RSS of a check depend
 * on the page cache.  An ELF file QEMU's dump-guest-memory wrote (qemu.c) is never
 * opened by libkdumpfile at all: 0.5.1 cannot read the section headers QEMU 7.2 writes
 * (d->kd is NULL, addrxlat's system our own).
 * The handle owns only dump state and its error channel.
 *
 * A running kernel's /proc/kcore opens the same way (an ELF core of its memory, with
 * VMCOREINFO since 4.19): the handle says it is live, and each open is one sample of
 * memory that changes while it is read.  Nothing read from it outlives the handle:
 * libkdumpfile's file cache and libtce's block cache (cache.c) belong to it, so a
 * second sample is a second handle (tce-inspect check --samples).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "dump/dump-priv.h"

/* linux/magic.h's PROC_SUPER_MAGIC, without the kernel header */
#define PROC_SUPER_MAGIC_ 0x9fa0

/* (names in parentheses: the functions, not dump.h's macros) */
int (tce_set_err)(struct tce_dump *d, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = tce_err_vset(&d->err, err, fmt, ap);
	va_end(ap);
	return err;
}

int (tce_prepend_err)(struct tce_dump *d, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = tce_err_vprepend(&d->err, err, fmt, ap);
	va_end(ap);
	return err;
}

void tce_clear_err(struct tce_dump *d)
{
	tce_err_clear(&d->err);
}

const char *tce_errmsg(const struct tce_dump *d)
{
	return d ? d->err.msg : "out of memory";
}

enum tce_byteorder tce_dump_byteorder(const struct tce_dump *d)
{
	return d->bo;
}

uint64_t tce_dump_page_size(const struct tce_dump *d)
{
	return d->page_size;
}

unsigned tce_dump_page_shift(const struct tce_dump *d)
{
	return d->page_shift;
}

const struct tce_phys_range *tce_dump_range(const struct tce_dump *d, unsigned i)
{
	return i < d->nranges ? &d->ranges[i] : NULL;
}

uint64_t tce_dump_phys_bytes(const struct tce_dump *d)
{
	return d->phys_bytes;
}

int tce_dump_claim(struct tce_dump *d)
{
	if (d->claimed)
		return tce_set_err(d, TCE_EINVAL, "%s: an analysis of this dump exists "
				   "already (one at a time)", d->path);
	d->claimed = true;
	return 0;
}

void tce_dump_release(struct tce_dump *d)
{
	d->claimed = false;
}

int tce_phys_in_dump(struct tce_dump *d, uint64_t phys, uint64_t len)
{
	uint64_t end = phys + len, a;

	if (!d->opened)
		return tce_set_err(d, TCE_EINVAL, "the dump is not open");
	if (len == 0)
		return 1;
	if (end < phys)
		return 0;
	if (d->ranges) {
		/* every byte must be in some range's available part */
		while (phys < end) {
			const struct tce_phys_range *r = tce_range_at(d, phys);

			if (!r)
				return 0;
			phys = r->start + r->avail;
			if (phys == 0)	/* a range that ends at 2^64 */
				break;
		}
		return 1;
	}
	/* other formats: probe one byte of every page */
	for (a = phys & ~(d->page_size - 1); a < end; a += d->page_size) {
		unsigned char b;
		size_t sz = 1;
		kdump_status ks;
		char msg[256];
		int ret = tce_diskdump_check(d, a < phys ? phys : a, 1);

		if (ret == -TCE_ENODATA)
			return 0;
		if (ret)
			return ret;
		ks = tce_kd_read(d, KDUMP_KPHYSADDR, a < phys ? phys : a, &b, &sz, msg,
				 sizeof(msg));
		if (ks == KDUMP_ERR_SYSTEM)
			return tce_set_err(d, TCE_EIO, "physical 0x%llx: %s",
					   (unsigned long long)a, msg);
		if (ks != KDUMP_OK)
			return 0;
		if (a + d->page_size < a)
			break;
	}
	return 1;
}

int tce_file_copy(struct tce_dump *d, int out, uint64_t in_off, uint64_t out_off,
		  uint64_t len)
{
	unsigned char *buf = NULL;
	int ret = 0;

	while (len) {
		size_t c = len < (1ULL << 30) ? len : (1ULL << 30);
		ssize_t n;

		if (!buf) {
			loff_t i = (loff_t)in_off, o = (loff_t)out_off;

			n = copy_file_range(d->fd, &i, out, &o, c, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
				      errno == EOPNOTSUPP || errno == EBADF)) {
				buf = malloc(1 << 20);
				if (!buf)
					return tce_set_err(d, TCE_ENOMEM, "out of memory");
				continue;
			}
			if (n <= 0) {
				ret = tce_set_err(d, TCE_EIO, "writing: %s",
						  n < 0 ? strerror(errno) : "the input shrank");
				break;
			}
		} else {
			const unsigned char *p = buf;
			size_t left;

			c = c < (1 << 20) ? c : (1 << 20);
			ret = tce_file_read(d, buf, c, in_off);
			if (ret)
				break;
			for (left = c; left;) {
				ssize_t w = pwrite(out, p, left, (off_t)(out_off + (c - left)));

				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					ret = tce_set_err(d, TCE_EIO, "writing: %s",
							  w < 0 ? strerror(errno) : "no space");
					goto out;
				}
				p += w;
				left -= (size_t)w;
			}
			n = (ssize_t)c;
		}
		in_off += (uint64_t)n;
		out_off += (uint64_t)n;
		len -= (uint64_t)n;
	}
out:
	free(buf);
	return ret;
}

int tce_file_read(struct tce_dump *d, void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = pread(d->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return tce_set_err(d, TCE_EIO, "%s: cannot read %zu bytes at file offset "
					   "0x%llx: %s", d->path, len, (unsigned long long)off,
					   n < 0 ? strerror(errno) : "the file ends there");
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static const char *kd_string(kdump_ctx_t *kd, const char *key)
{
	const char *s = NULL;

	if (kdump_get_string_attr(kd, key, &s) != KDUMP_OK)
		return NULL;
	return s;
}

static int check_vmci(struct tce_dump *d);

static int check_ppc64_linux(struct tce_dump *d)
{
	kdump_attr_t attr;
	kdump_num_t num;
	int ret;

	if (d->kd) {
		d->format = kd_string(d->kd, "file.format");
		if (!d->format)
			d->format = "unknown";
		d->arch = kd_string(d->kd, "arch.name");
	} else {
		/* an ELF file of QEMU's for a ppc64 guest (tce_qemu_probe_elf()) */
		d->format = "elf";
		d->arch = "ppc64";
	}
	/* QEMU's dump-guest-memory: the byte order and VMCOREINFO from guest memory */
	ret = tce_qemu_repair(d);
	if (ret < 0)
		return ret;
	if (ret)
		return check_vmci(d);
	if (!d->arch)
		return tce_set_err(d, TCE_EUNSUPP,
				   "%s: %s dump names no architecture (a QEMU kdump file? "
				   "make it with makedumpfile from an ELF dump)",
				   d->path, d->format);
	if (strcmp(d->arch, "ppc64") != 0)
		return tce_set_err(d, TCE_EUNSUPP, "%s: not a ppc64 dump (architecture %s)",
				   d->path, d->arch);
	if (kdump_get_number_attr(d->kd, "arch.byte_order", &num) != KDUMP_OK)
		return tce_set_err(d, TCE_EUNSUPP, "%s: byte order unknown: %s", d->path,
				   kdump_get_err(d->kd));
	d->bo = num == KDUMP_BIG_ENDIAN ? TCE_BE : TCE_LE;

	if (kdump_get_attr(d->kd, "linux.vmcoreinfo.raw", &attr) != KDUMP_OK ||
	    attr.type != KDUMP_BLOB || !kdump_blob_size(attr.val.blob))
		return tce_set_err(d, TCE_EUNSUPP,
				   "%s: no VMCOREINFO: not a Linux kernel dump, or a QEMU "
				   "dump-guest-memory file that still needs its VMCOREINFO note",
				   d->path);
	ret = tce_vmci_parse(d, kdump_blob_pin(attr.val.blob),
			     kdump_blob_size(attr.val.blob));
	kdump_blob_unpin(attr.val.blob);
	if (ret)
		return ret;
	return check_vmci(d);
}

/* What every dump's VMCOREINFO must say: OSRELEASE, and a ppc64 PAGESIZE. */
static int check_vmci(struct tce_dump *d)
{
	if (!tce_vmcoreinfo(d, "OSRELEASE"))
		return tce_set_err(d, TCE_EUNSUPP,
				   "%s: VMCOREINFO has no OSRELEASE: not a Linux kernel dump",
				   d->path);

	/* PAGESIZE from VMCOREINFO is what the kernel used; libkdumpfile agrees or
	 * falls back to it */
	{
		const char *ps = tce_vmcoreinfo(d, "PAGESIZE");
		char *end;
		unsigned long long v = ps ? strtoull(ps, &end, 10) : 0;

		if (!ps || *end || (v != 4096 && v != 65536))
			return tce_set_err(d, TCE_EUNSUPP,
					   "%s: VMCOREINFO PAGESIZE=%s is not 4096 or 65536",
					   d->path, ps ? ps : "(missing)");
		d->page_size = v;
		d->page_shift = v == 4096 ? 12 : 16;
	}
	return 0;
}

/*
 * libkdumpfile 0.5.1's page cache (doc/libkdumpfile-defects.md, 14) loses a page
 * buffer: a read that fails once the cache gave it a buffer (an excluded page, a page
 * that does not decompress) puts the buffer among the unused entries, and the next
 * read of a page the cache had evicted (a ghost entry) looks for a buffer one entry
 * short of them, takes none, and copies the page to address 0.  Fixed upstream after
 * 0.5.4 (e63dab4), in no release.  So after a failed read the cache is made anew
 * before any other read: its size set one page up or down reallocates it, empty and
 * without ghost entries.  The handles of a kdump-compressed file (a handle and its
 * clones share the cache) read one at a time, so that no other thread's read falls
 * between a failure and the new cache; an ELF file's reads, which fail in the page
 * cache only on an I/O error once tce_phys_in_dump() has passed them, run side by
 * side.
 */
struct tce_kd_share {
	pthread_mutex_t mu;   /* a kdump-compressed file's reads, one at a time */
	bool dead;            /* the cache could not be made anew: no more reads */
};

static struct tce_kd_share *kd_share_new(void)
{
	struct tce_kd_share *s = calloc(1, sizeof(*s));

	if (s && pthread_mutex_init(&s->mu, NULL)) {
		free(s);
		return NULL;
	}
	return s;
}

static void kd_share_free(struct tce_kd_share *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->mu);
	free(s);
}

/* libkdumpfile's page cache made anew (see above): 0, or -1 when it cannot be */
static int kd_cache_renew(kdump_ctx_t *kd)
{
	kdump_num_t n;

	if (kdump_get_number_attr(kd, "cache.size", &n) != KDUMP_OK)
		return -1;
	/* a size that differs (an equal one runs no hook), never 0 */
	n = (n & 1) && n > 1 ? n - 1 : n + 1;
	return kdump_set_number_attr(kd, "cache.size", n) == KDUMP_OK ? 0 : -1;
}

kdump_status tce_kd_read(struct tce_dump *d, kdump_addrspace_t as, uint64_t addr,
			 void *buf, size_t *len, char *msg, size_t msglen)
{
	struct tce_kd_share *s = d->kds;
	kdump_status ks;

	if (d->dd)
		pthread_mutex_lock(&s->mu);
	if (__atomic_load_n(&s->dead, __ATOMIC_RELAXED)) {
		ks = KDUMP_ERR_SYSTEM;
		if (msg)
			snprintf(msg, msglen, "libkdumpfile's page cache could not be "
				 "reallocated after a failed read (out of memory)");
		*len = 0;
		goto out;
	}
	ks = kdump_read(d->kd, as, addr, buf, len);
	if (ks == KDUMP_OK)
		goto out;
	if (msg)
		snprintf(msg, msglen, "%s", kdump_get_err(d->kd));
	kdump_clear_err(d->kd);
	if (kd_cache_renew(d->kd)) {
		kdump_clear_err(d->kd);
		__atomic_store_n(&s->dead, true, __ATOMIC_RELAXED);
	}
out:
	if (d->dd)
		pthread_mutex_unlock(&s->mu);
	return ks;
}

struct tce_dump *tce_dump_new(void)
{
	struct tce_dump *d = calloc(1, sizeof(*d));

	if (d)
		d->fd = -1;
	return d;
}

int tce_dump_open_fd(struct tce_dump *d, int fd, const char *name)
{
	struct stat st;
	kdump_status ks;
	int ret;

	if (d->opened || d->path)
		return tce_set_err(d, TCE_EINVAL, "%s: the handle was opened already",
				   d->path ? d->path : "(fd)");
	d->path = strdup(name ? name : "(fd)");
	if (!d->path)
		return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", name ? name : "(fd)");
	d->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (d->fd < 0)
		return tce_set_err(d, TCE_EIO, "%s: %s", d->path, strerror(errno));
	if (fstat(d->fd, &st) != 0)
		return tce_set_err(d, TCE_EIO, "%s: %s", d->path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return tce_set_err(d, TCE_EIO, "%s: is a directory", d->path);
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return tce_set_err(d, TCE_EIO, "%s: not a regular file", d->path);
	d->file_size = st.st_size;
	{
		struct statfs sf;

		d->live = fstatfs(d->fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC_;
	}
	/* makedumpfile's flattened format: laid out in a temporary file, read there */
	ret = tce_flat_open(d);
	if (ret < 0)
		return ret;
	ret = tce_elf_scan(d);
	if (!ret)
		ret = tce_diskdump_scan(d);
	if (ret)
		return ret;

	/* QEMU's ELF files are read here: libkdumpfile 0.5.1 cannot read the section
	 * headers QEMU 7.2 writes on a host of the other byte order, and knows no page
	 * size without VMCOREINFO */
	ret = tce_qemu_probe_elf(d);
	if (ret < 0)
		return ret;
	if (!ret) {
		d->kd = kdump_new();
		d->kds = kd_share_new();
		if (!d->kd || !d->kds)
			return tce_set_err(d, TCE_ENOMEM, "%s: cannot allocate a libkdumpfile "
					   "context", d->path);
		ks = kdump_open_fd(d->kd, d->fd);
		if (ks == KDUMP_ERR_SYSTEM)
			return tce_set_err(d, TCE_EIO, "%s: %s", d->path,
					   kdump_get_err(d->kd));
		if (ks != KDUMP_OK)
			/* libkdumpfile's own words ("Cannot set file.set.0.fd: Unsupported
			 * ELF class") name its internals, not the file: say what the file
			 * is not */
			return tce_set_err(d, TCE_EFORMAT, "%s: not a vmcore (neither an ELF "
					   "core dump nor a kdump-compressed file libkdumpfile "
					   "can read)", d->path);
	}
	ret = check_ppc64_linux(d);
	if (ret)
		return ret;
	d->elf_pread = d->kd && d->ranges && !d->dd && !d->live;
	ret = tce_xlat_install_direct(d);
	if (ret)
		return ret;
	d->opened = true;
	tce_clear_err(d);
	return 0;
}

int tce_dump_open(struct tce_dump *d, const char *path)
{
	int fd, ret;

	if (d->opened || d->path)
		return tce_set_err(d, TCE_EINVAL, "%s: the handle was opened already", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		struct statfs sf;

		/* /proc/kcore is root's (mode 0400, and open_kcore() asks for
		 * CAP_SYS_RAWIO and a kernel not locked down): say so, not just EACCES */
		if ((err == EACCES || err == EPERM) && statfs(path, &sf) == 0 &&
		    sf.f_type == PROC_SUPER_MAGIC_)
			return tce_set_err(d, TCE_EIO, "%s: %s: reading a running kernel "
					   "needs root (CAP_SYS_RAWIO) and a kernel not locked "
					   "down (lockdown=integrity or confidentiality refuses "
					   "/proc/kcore to root too)", path, strerror(err));
		return tce_set_err(d, TCE_EIO, "%s: %s", path, strerror(err));
	}
	ret = tce_dump_open_fd(d, fd, path);
	close(fd);
	return ret;
}

struct tce_dump *tce_dump_clone(struct tce_dump *d)
{
	struct tce_dump *c;
	unsigned i;

	if (!d->opened)
		return NULL;
	c = malloc(sizeof(*c));
	if (!c)
		return NULL;
	*c = *d;
	c->err.msg[0] = '\0';
	c->cache = NULL;
	c->cache_failed = false;
	c->clone_of = d;
	/* addrxlat's system calls back into d: the clone runs the walkers' functions
	 * itself (tce_kvtop) */
	c->axctx = NULL;
	c->axsys = NULL;
	for (i = 0; i < TCE_XLAT_SLOTS; i++)
		c->xlat[i].d = c;
	c->kd = d->kd ? kdump_clone(d->kd, 0) : NULL;
	if ((d->kd && !c->kd) || tce_diskdump_clone(c, d)) {
		if (c->kd)
			kdump_free(c->kd);
		free(c);
		return NULL;
	}
	return c;
}

void tce_dump_free(struct tce_dump *d)
{
	if (!d)
		return;
	if (d->clone_of) {
		tce_cache_free(d);
		tce_diskdump_free(d);
		if (d->kd)
			kdump_free(d->kd);
		free(d);
		return;
	}
	tce_xlat_free(d);
	tce_cache_free(d);
	if (d->kd)
		kdump_free(d->kd);
	kd_share_free(d->kds);
	if (d->fd >= 0)
		close(d->fd);
	tce_vmci_free(d);
	tce_diskdump_free(d);
	tce_qemu_free(d);
	free(d->flat_what);
	free(d->ranges);
	free(d->range_off);
	free(d->range_sorted);
	free(d->path);
	free(d);
}

int tce_kvtop(struct tce_dump *d, uint64_t kva, uint64_t *phys)
{
	addrxlat_fulladdr_t fa = { .addr = kva, .as = ADDRXLAT_KVADDR };
	addrxlat_status st;
	unsigned i;

	/* a clone: the registered translations, as addrxlat's custom methods run them */
	if (d->clone_of) {
		for (i = 0; i < TCE_XLAT_SLOTS; i++) {
			const struct xlat_slot *sl = &d->xlat[i];
			uint64_t span;
			int ret;

			if (!sl->used || kva < sl->start || kva >= sl->end)
				continue;
			ret = sl->fn(d, sl->data, kva, phys, &span);
			if (ret)
				return tce_prepend_err(d, ret == -TCE_ENODATA ? TCE_ENODATA :
						       TCE_ENOXLAT, "0x%llx",
						       (unsigned long long)kva);
			return 0;
		}
		return tce_set_err(d, TCE_ENOXLAT, "0x%llx: no translation",
				   (unsigned long long)kva);
	}
	if (!d->axsys)
		return tce_set_err(d, TCE_ENOXLAT, "no translation system");
	st = addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, d->axctx, d->axsys);
	if (st != ADDRXLAT_OK) {
		int err = st == ADDRXLAT_ERR_NODATA ? TCE_ENODATA : TCE_ENOXLAT;

		tce_set_err(d, err, "0x%llx: %s", (unsigned long long)kva,
			    addrxlat_ctx_get_err(d->axctx));
		addrxlat_ctx_clear_err(d->axctx);
		return -err;
	}
	*phys = fa.addr;
	return 0;
}

/* the uncached read: [addr, addr + len) whole, or an error with the message set */
static int read_phys_exact(struct tce_dump *d, uint64_t addr, void *buf, size_t len)
{
	size_t got = len;
	kdump_status ks;
	char msg[256] = "";

	if (d->ranges && tce_phys_in_dump(d, addr, len) != 1)
		return tce_set_err(d, TCE_ENODATA, "physical 0x%llx+%zu is not in the dump",
				   (unsigned long long)addr, len);
	/* kdump-compressed: libkdumpfile reads only pages whose data lie in the file */
	if (d->dd) {
		int ret = tce_diskdump_check(d, addr, len);

		if (ret)
			return ret;
	}
	/* an ELF file: its PT_LOADs, read without libkdumpfile (d->elf_pread) */
	if (tce_dump_elf_pread(d)) {
		int ret = tce_elf_read(d, addr, buf, len);

		if (ret)
			return tce_set_err(d, -ret, "physical 0x%llx+%zu is not in the dump%s",
					   (unsigned long long)addr, len,
					   ret == -TCE_EIO ? ": the file cannot be read there" : "");
		return 0;
	}
	ks = tce_kd_read(d, KDUMP_KPHYSADDR, addr, buf, &got, msg, sizeof(msg));
	if (ks != KDUMP_OK || got != len) {
		int err = ks == KDUMP_ERR_SYSTEM ? TCE_EIO : TCE_ENODATA;

		return tce_set_err(d, err, "physical 0x%llx+%zu is not in the dump: %s",
				   (unsigned long long)addr, len, msg);
	}
	return 0;
}

static int read_phys(struct tce_dump *d, uint64_t addr, void *buf, size_t len)
{
	if (tce_cache_read(d, addr, buf, len))
		return 0;
	return read_phys_exact(d, addr, buf, len);
}

int tce_read(struct tce_dump *d, enum tce_addrspace as, uint64_t addr, void *buf,
	     size_t len)
{
	unsigned char *p = buf;

	if (!d->opened)
		return tce_set_err(d, TCE_EINVAL, "the dump is not open");
	if (as == TCE_PHYS)
		return read_phys(d, addr, buf, len);
	if (as != TCE_KVADDR)
		return tce_set_err(d, TCE_EINVAL, "bad address space %d", (int)as);
	/* the linear map needs no translation system */
	if (addr >= TCE_LINEAR_BASE && addr < d->linear_end && len <= d->linear_end - addr)
		return read_phys(d, addr - TCE_LINEAR_BASE, buf, len);
	/* translate page by page: a virtual range need not be physically contiguous */
	while (len) {
		uint64_t phys, chunk = d->page_size - (addr & (d->page_size - 1));
		int ret;

		if (chunk > len)
			chunk = len;
		ret = tce_kvtop(d, addr, &phys);
		if (ret)
			return ret;
		ret = read_phys(d, phys, p, chunk);
		if (ret)
			return ret;
		addr += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

int tce_read_u64(struct tce_dump *d, enum tce_addrspace as, uint64_t addr,
		 enum tce_byteorder bo, uint64_t *val)
{
	unsigned char b[8];
	int ret = tce_read(d, as, addr, b, sizeof(b));

	if (!ret)
		*val = tce_bo64(b, bo);
	return ret;
}

int tce_read_u32(struct tce_dump *d, enum tce_addrspace as, uint64_t addr,
		 enum tce_byteorder bo, uint32_t *val)
{
	unsigned char b[4];
	int ret = tce_read(d, as, addr, b, sizeof(b));

	if (!ret)
		*val = tce_bo32(b, bo);
	return ret;
}

int tce_dump_info(struct tce_dump *d, struct tce_dump_info *info)
{
	struct tce_dump_info in = { .size = sizeof(in) };
	size_t size = info->size;

	if (size < offsetof(struct tce_dump_info, path) + sizeof(in.path))
		return tce_set_err(d, TCE_EINVAL, "struct tce_dump_info: size %zu is too "
				   "small", size);
	if (!d->opened)
		return tce_set_err(d, TCE_EINVAL, "the dump is not open");
	in.path = d->path;
	in.format = d->format;
	in.arch = d->arch;
	in.release = tce_vmcoreinfo(d, "OSRELEASE");
	in.byte_order = d->bo;
	in.page_size = d->page_size;
	in.file_size = d->file_size;
	in.nranges = d->nranges;
	in.phys_bytes = d->phys_bytes;
	in.phys_end = d->phys_end;
	in.truncated = d->truncated;
	in.truncated_bytes = d->truncated_bytes;
	in.vmcoreinfo_lines = d->nvmci;
	in.live = d->live;
	in.virt_segments = d->virt_segments;
	if (size > sizeof(in))
		size = sizeof(in);
	memcpy(info, &in, size);
	info->size = size;
	tce_clear_err(d);
	return 0;
}
