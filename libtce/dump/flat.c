// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * makedumpfile's flattened format, which QEMU's dump-guest-memory -z (and virsh dump
 * --memory-only --format=kdump-*) and makedumpfile -F write: a 4096-byte header (the
 * signature "makedumpfile", type 1, big-endian), then records, each a big-endian
 * (offset, size) pair and size bytes to be written at offset of the real file, then an
 * end record (offset -1).  libkdumpfile 0.5.1 cannot read it, and a record may come
 * after one of a higher offset (QEMU flushes its page descriptors and page data from
 * two caches as each fills), so the file cannot be read in place.  It is laid out once,
 * as makedumpfile -R would, into an unlinked temporary file (a memfd when small, else
 * O_TMPFILE in $TMPDIR): the handle then reads that file, the user's is never written.
 *
 * The records are indexed before anything is copied, and the file is refused with one
 * line when they are not what QEMU or makedumpfile write: a record with a negative
 * offset or size, one that runs past the end of the file (cut short), no end record,
 * two records that write the same bytes (makedumpfile -R lets the later win; neither
 * writer does it), a laid-out file larger than twice the data the records hold (its
 * holes are what sparse files leave, not terabytes), or more than TCE_FLAT_RUNS_MAX
 * discontiguous runs.  Records that continue one of the last few runs extend it, so a
 * dump of any size needs a handful of runs a cache flush.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dump/dump-priv.h"

#define FLAT_HEADER 4096
#define FLAT_SIG "makedumpfile"
#define FLAT_TYPE 1
#define REC_HEAD 16
/* the records' headers are read through a window of this size */
#define WINDOW (64 * 1024)
/* more discontiguous runs than this are refused (16 bytes each: 64 MiB) */
#define TCE_FLAT_RUNS_MAX (1u << 22)
/* the last runs a record may continue (QEMU and makedumpfile write two streams) */
#define RUNS_RECENT 4
/* a laid-out file this small lives in memory (memfd), a larger one in $TMPDIR */
#define MEMFD_MAX (64ULL << 20)
#define COPY_CHUNK (1ULL << 20)

struct run {
	uint64_t dst, len;
};

struct flat {
	struct tce_dump *d;
	unsigned char win[WINDOW];
	uint64_t win_at, win_len;
	struct run *runs;
	size_t nruns, cap;
	uint64_t records, data, end, end_rec;   /* end_rec: the end record's file offset */
};

static uint64_t be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static int flat_err(struct tce_dump *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int flat_err(struct tce_dump *d, int err, const char *fmt, ...)
{
	char why[240];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return tce_set_err(d, err, "%s: a flattened makedumpfile file (QEMU's "
			   "dump-guest-memory -z, makedumpfile -F): %s", d->path, why);
}

/* The 16-byte record header at pos, through the window: 0, or an error. */
static int rec_head(struct flat *f, uint64_t pos, unsigned char *h)
{
	struct tce_dump *d = f->d;
	uint64_t n;
	int ret;

	if (pos < f->win_at || pos - f->win_at + REC_HEAD > f->win_len) {
		n = d->file_size - pos < WINDOW ? d->file_size - pos : WINDOW;
		ret = tce_file_read(d, f->win, n, pos);
		if (ret)
			return ret;
		f->win_at = pos;
		f->win_len = n;
	}
	memcpy(h, f->win + (pos - f->win_at), REC_HEAD);
	return 0;
}

/* A record of len bytes for dst: it extends one of the last runs, or starts one. */
static int add_run(struct flat *f, uint64_t dst, uint64_t len)
{
	size_t i;

	for (i = f->nruns; i > 0 && i + RUNS_RECENT > f->nruns; i--) {
		struct run *r = &f->runs[i - 1];

		if (r->dst + r->len == dst) {
			r->len += len;
			return 0;
		}
	}
	if (f->nruns == TCE_FLAT_RUNS_MAX)
		return flat_err(f->d, TCE_EFORMAT, "more than %u discontiguous records: not "
				"what QEMU or makedumpfile write, refused", TCE_FLAT_RUNS_MAX);
	if (f->nruns == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		struct run *r = realloc(f->runs, cap * sizeof(*r));

		if (!r)
			return tce_set_err(f->d, TCE_ENOMEM, "%s: out of memory", f->d->path);
		f->runs = r;
		f->cap = cap;
	}
	f->runs[f->nruns].dst = dst;
	f->runs[f->nruns].len = len;
	f->nruns++;
	return 0;
}

static int cmp_run(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	return x->dst < y->dst ? -1 : x->dst > y->dst;
}

/*
 * Every record, checked (the first pass; with out, the second, which copies each
 * record's data to out, once the first found nothing wrong).
 */
static int walk(struct flat *f, int out)
{
	struct tce_dump *d = f->d;
	uint64_t pos = FLAT_HEADER, n = 0;
	unsigned char h[REC_HEAD];
	int ret;

	for (;; n++) {
		uint64_t dst, len;

		if (d->file_size - pos < REC_HEAD)
			return flat_err(d, TCE_EFORMAT, "cut short: no end record after %llu "
					"records (the file ends at byte %llu)",
					(unsigned long long)n, (unsigned long long)d->file_size);
		ret = rec_head(f, pos, h);
		if (ret)
			return ret;
		dst = be64(h);
		len = be64(h + 8);
		if (dst == UINT64_MAX) {
			if (out >= 0 && (n != f->records || pos != f->end_rec))
				break;
			f->records = n;
			f->end_rec = pos;
			return 0;
		}
		if (dst >> 63 || len >> 63)
			return flat_err(d, TCE_EFORMAT, "record %llu (file offset %llu) writes "
					"%lld bytes at offset %lld: refused", (unsigned long long)n,
					(unsigned long long)pos, (long long)len, (long long)dst);
		pos += REC_HEAD;
		if (len > d->file_size - pos)
			return flat_err(d, TCE_EFORMAT, "cut short: record %llu (file offset "
					"%llu) holds %llu bytes, the file ends %llu bytes after "
					"its header", (unsigned long long)n,
					(unsigned long long)(pos - REC_HEAD), (unsigned long long)len,
					(unsigned long long)(d->file_size - pos));
		if (out < 0) {
			f->data += len;
			if (dst + len > f->end)
				f->end = dst + len;
			if (len) {
				ret = add_run(f, dst, len);
				if (ret)
					return ret;
			}
		} else if (len) {
			if (dst + len > f->end)
				break;
			ret = tce_file_copy(d, out, pos, dst, len);
			if (ret)
				return ret;
		}
		pos += len;
	}
	return flat_err(d, TCE_EIO, "the file changed while it was laid out: refused");
}

/* An unlinked temporary file: a memfd for a small one, else in $TMPDIR; -1 and errno */
static int temp_file(uint64_t size, const char **where, char *buf, size_t bufsz)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (size <= MEMFD_MAX) {
		fd = memfd_create("tce-inspect-unflattened", MFD_CLOEXEC);
		if (fd >= 0) {
			*where = "memory";
			snprintf(buf, bufsz, "memory (a memfd)");
			return fd;
		}
	}
	if (!dir || !*dir)
		dir = "/tmp";
	*where = dir;
	snprintf(buf, bufsz, "an unlinked temporary file in %s", dir);
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	/* a file system without O_TMPFILE: made and unlinked at once */
	if (asprintf(&path, "%s/tce-inspect-XXXXXX", dir) < 0)
		return -1;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	free(path);
	return fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int tce_flat_open(struct tce_dump *d)
{
	unsigned char h[24] = { 0 };
	struct flat *f;
	const char *where = "";
	double t0 = now();
	char what[600], into[200] = "";
	size_t i;
	int ret, fd = -1;

	if (d->file_size < 16 || tce_file_read(d, h, sizeof(h) < d->file_size ?
					      sizeof(h) : 16, 0))
		return 0;
	/* makedumpfile -R compares the signature as a string */
	if (memcmp(h, FLAT_SIG, sizeof(FLAT_SIG)))
		return 0;
	if (d->file_size < FLAT_HEADER + REC_HEAD)
		return flat_err(d, TCE_EFORMAT, "cut short: %llu bytes, not even its "
				"header and one record", (unsigned long long)d->file_size);
	if (be64(h + 16) != FLAT_TYPE)
		return flat_err(d, TCE_EFORMAT, "type %lld, not %d (the only one "
				"makedumpfile -R reads): refused", (long long)be64(h + 16),
				FLAT_TYPE);
	f = calloc(1, sizeof(*f));
	if (!f)
		return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", d->path);
	f->d = d;
	f->win_at = UINT64_MAX;
	ret = walk(f, -1);
	if (ret)
		goto out;
	/* (no records at all: no array, and qsort() wants one even for none) */
	if (f->nruns)
		qsort(f->runs, f->nruns, sizeof(*f->runs), cmp_run);
	for (i = 0; i + 1 < f->nruns; i++) {
		if (f->runs[i].dst + f->runs[i].len > f->runs[i + 1].dst) {
			ret = flat_err(d, TCE_EFORMAT, "two records write the bytes at offset "
				       "%llu (makedumpfile -R keeps the later; neither QEMU nor "
				       "makedumpfile writes a byte twice): refused",
				       (unsigned long long)f->runs[i + 1].dst);
			goto out;
		}
	}
	if (!f->records || f->end > 2 * f->data + (1ULL << 20)) {
		ret = flat_err(d, TCE_EFORMAT, "its %llu records hold %llu bytes but reach "
			       "offset %llu: refused", (unsigned long long)f->records,
			       (unsigned long long)f->data, (unsigned long long)f->end);
		goto out;
	}
	fd = temp_file(f->end, &where, into, sizeof(into));
	if (fd < 0) {
		ret = flat_err(d, TCE_EIO, "cannot make a temporary file in %s to lay it out "
			       "in (%llu bytes): %s (TMPDIR names the directory)", where,
			       (unsigned long long)f->end, strerror(errno));
		goto out;
	}
	if (ftruncate(fd, (off_t)f->end)) {
		ret = flat_err(d, TCE_EIO, "cannot lay it out in %s (%llu bytes): %s", where,
			       (unsigned long long)f->end, strerror(errno));
		goto out;
	}
	f->win_at = UINT64_MAX;
	ret = walk(f, fd);
	if (ret && !strstr(tce_errmsg(d), "a flattened makedumpfile file")) {
		/* a write or read of the copy: "writing: No space left on device" */
		char why[200];

		snprintf(why, sizeof(why), "%s", tce_errmsg(d));
		ret = flat_err(d, -ret, "laying it out in %s: %s (TMPDIR names the "
			       "directory)", where, why);
	}
	if (ret)
		goto out;
	snprintf(what, sizeof(what), "a flattened makedumpfile file (QEMU's "
		 "dump-guest-memory -z, makedumpfile -F): its %llu records laid out as "
		 "makedumpfile -R would, %.1f MB copied to %s in %.1f s",
		 (unsigned long long)f->records, f->data / 1e6, into,
		 now() - t0);
	d->flat_what = strdup(what);
	if (!d->flat_what) {
		ret = tce_set_err(d, TCE_ENOMEM, "%s: out of memory", d->path);
		goto out;
	}
	close(d->fd);
	d->fd = fd;
	fd = -1;
	d->file_size = f->end;
	/* makedumpfile -F of makedumpfile -F: not laid out twice */
	if (tce_file_read(d, h, 12, 0) == 0 && !memcmp(h, FLAT_SIG, 12))
		ret = flat_err(d, TCE_EFORMAT, "laid out, it is flattened again: refused");
	else
		ret = 1;
out:
	if (fd >= 0)
		close(fd);
	free(f->runs);
	free(f);
	return ret;
}

const char *tce_dump_unflattened(const struct tce_dump *d)
{
	return d && d->opened ? d->flat_what : NULL;
}
