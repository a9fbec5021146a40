// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/e2e/readtrace.c: an LD_PRELOAD library that records every read of dump memory a
 * program makes, for mksample.sh's choice of the pages a sample keeps: the pages
 * tce-inspect reads are whatever it asks for, not a list written by hand.  libtce reads
 * every byte of a dump's memory in its dump layer's read_phys (its own page-table walks,
 * kallsyms, BTF, the modules list, the KVM structures, the TCE pages, struct pages;
 * libkdumpfile itself reads no memory when no OS type is set, and the translations libtce
 * installs read through libtce): with kdump_read() for a kdump-compressed file and
 * /proc/kcore, with pread(2) from the PT_LOADs of any other ELF core file (d986351).  So
 * both are interposed: kdump_read() by the address asked, pread(), pread64(), preadv()
 * and preadv64() (libtce's block cache reads ahead with it) of an ELF core file (e_type
 * ET_CORE; a vmlinux or a debug file is no core) by the physical addresses of the
 * PT_LOADs the bytes read lie in (libkdumpfile maps its file in 4 MiB pieces: strace
 * would not say which pages).
 *
 * READTRACE_OUT=FILE: appends one line per call, "<as> 0x<addr> <asked> <got> <status>",
 * as = KDUMP_KPHYSADDR's etc. number, got the bytes read (after the call), status
 * libkdumpfile's kdump_status.
 *
 * READTRACE_PAGES=FILE: keeps in memory the set of blocks of READTRACE_UNIT bytes
 * (default 4096, the unit libtce's block cache reads; a power of two from 512 to 1 MiB)
 * of physical memory that successful KDUMP_KPHYSADDR reads returned, and writes it at
 * exit, sorted and merged into runs, as "read 0x<phys> 0x<len>" lines after '#' lines
 * of counts: the manifest format of bench/scale-floor, which then reads exactly those
 * blocks once each (bench/check-floor.sh).  A line a call would make a 16M-entry check
 * spend minutes in write(2); this costs a bit a block.  Safe with threads.
 *
 * Without either it only forwards the call.
 * Build: cc -shared -fPIC -o readtrace.so readtrace.c -ldl (mksample.sh does).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

typedef kdump_status read_fn(kdump_ctx_t *, kdump_addrspace_t, kdump_addr_t, void *, size_t *);

/* ------------------------------------------------------------ READTRACE_PAGES */

/* 1 GiB of physical memory a chunk: a bitmap of its blocks, allocated when touched */
#define CHUNK_SHIFT 30

struct chunk {
	uint64_t key;                 /* chunk number + 1; 0: a free slot */
	uint64_t *bits;
};

static struct {
	pthread_mutex_t lock;
	int state;                    /* 0 not looked at, 1 on, -1 off */
	const char *path;
	unsigned shift;               /* log2 of the unit */
	struct chunk *tab;            /* open addressing, cap a power of two */
	size_t n, cap;
	uint64_t calls, asked, failed, other;
} pg = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void die(const char *what)
{
	fprintf(stderr, "readtrace: %s\n", what);
	abort();
}

static struct chunk *chunk_slot(struct chunk *tab, size_t cap, uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);

	while (tab[i].key && tab[i].key != key)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static uint64_t *chunk_bits(uint64_t chunk)
{
	size_t words = ((size_t)1 << (CHUNK_SHIFT - pg.shift)) / 64, i;
	struct chunk *c;

	if (2 * (pg.n + 1) > pg.cap) {
		size_t nc = pg.cap ? 2 * pg.cap : 64;
		struct chunk *t = calloc(nc, sizeof(*t));

		if (!t)
			die("out of memory");
		for (i = 0; i < pg.cap; i++)
			if (pg.tab[i].key)
				*chunk_slot(t, nc, pg.tab[i].key) = pg.tab[i];
		free(pg.tab);
		pg.tab = t;
		pg.cap = nc;
	}
	c = chunk_slot(pg.tab, pg.cap, chunk + 1);
	if (!c->key) {
		c->bits = calloc(words ? words : 1, sizeof(uint64_t));
		if (!c->bits)
			die("out of memory");
		c->key = chunk + 1;
		pg.n++;
	}
	return c->bits;
}

static int cmp_key(const void *a, const void *b)
{
	const struct chunk *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* at exit: the blocks in runs, ascending */
static void pages_write(void)
{
	uint64_t unit = (uint64_t)1 << pg.shift, per = (uint64_t)1 << (CHUNK_SHIFT - pg.shift);
	uint64_t start = 0, end = 0, blocks = 0, runs = 0;
	struct chunk *v;
	size_t i, k = 0;
	FILE *f;

	pthread_mutex_lock(&pg.lock);
	v = calloc(pg.n ? pg.n : 1, sizeof(*v));
	f = fopen(pg.path, "w");
	if (!v || !f)
		die(!v ? "out of memory" : "cannot write READTRACE_PAGES");
	for (i = 0; i < pg.cap; i++)
		if (pg.tab[i].key)
			v[k++] = pg.tab[i];
	qsort(v, k, sizeof(*v), cmp_key);
	for (i = 0; i < k; i++)
		for (uint64_t w = 0; w < per / 64; w++)
			blocks += (uint64_t)__builtin_popcountll(v[i].bits[w]);
	fprintf(f, "# readtrace: the physical memory a program read (kdump_read, pread of a "
		"core)\n"
		"# unit %" PRIu64 "\n# calls %" PRIu64 "\n# bytes.asked %" PRIu64 "\n"
		"# failed %" PRIu64 "\n# other_spaces %" PRIu64 "\n# blocks %" PRIu64 "\n"
		"# bytes %" PRIu64 "\n", unit, pg.calls, pg.asked, pg.failed, pg.other, blocks,
		blocks * unit);
	for (i = 0; i < k; i++) {
		uint64_t base = (v[i].key - 1) << CHUNK_SHIFT;

		for (uint64_t b = 0; b < per; b++) {
			uint64_t a = base + b * unit;

			if (!v[i].bits[b / 64]) {
				b |= 63;        /* a word of none */
				continue;
			}
			if (!(v[i].bits[b / 64] & (1ULL << (b % 64))))
				continue;
			if (end && a == end) {
				end += unit;
				continue;
			}
			if (end) {
				fprintf(f, "read 0x%" PRIx64 " 0x%" PRIx64 "\n", start, end - start);
				runs++;
			}
			start = a;
			end = a + unit;
		}
	}
	if (end)
		fprintf(f, "read 0x%" PRIx64 " 0x%" PRIx64 "\n", start, end - start);
	if (fclose(f))
		die("cannot write READTRACE_PAGES");
	free(v);
	pthread_mutex_unlock(&pg.lock);
}

static int pages_on(void)
{
	if (!pg.state) {
		const char *u = getenv("READTRACE_UNIT");
		unsigned long unit = u && *u ? strtoul(u, NULL, 0) : 4096;

		pg.path = getenv("READTRACE_PAGES");
		pg.state = pg.path && *pg.path ? 1 : -1;
		if (pg.state < 0)
			return 0;
		if (unit < 512 || unit > (1UL << 20) || (unit & (unit - 1)))
			die("READTRACE_UNIT is not a power of two from 512 to 1 MiB");
		pg.shift = (unsigned)__builtin_ctzl(unit);
		if (atexit(pages_write))
			die("atexit failed");
	}
	return pg.state > 0;
}

/* pages_on() under the lock, for a caller that holds none */
static int pages_on_locked(void)
{
	int on;

	pthread_mutex_lock(&pg.lock);
	on = pages_on();
	pthread_mutex_unlock(&pg.lock);
	return on;
}

static void pages_record(kdump_addrspace_t as, kdump_addr_t addr, size_t asked, size_t got,
			 kdump_status ks)
{
	pthread_mutex_lock(&pg.lock);
	if (pages_on()) {
		pg.calls++;
		pg.asked += asked;
		if (ks != KDUMP_OK)
			pg.failed++;
		else if (as != KDUMP_KPHYSADDR)
			pg.other++;
		else if (got) {
			uint64_t b = (uint64_t)addr >> pg.shift;
			uint64_t last = ((uint64_t)addr + got - 1) >> pg.shift;

			for (; b <= last; b++) {
				uint64_t i = b & (((uint64_t)1 << (CHUNK_SHIFT - pg.shift)) - 1);

				chunk_bits(b >> (CHUNK_SHIFT - pg.shift))[i / 64] |= 1ULL << (i % 64);
			}
		}
	}
	pthread_mutex_unlock(&pg.lock);
}

/* ------------------------------------------------------------ the interposer */

static FILE *trace_file(void)
{
	static FILE *f;
	static int tried;
	const char *path;

	if (!tried) {
		tried = 1;
		path = getenv("READTRACE_OUT");
		if (path && *path) {
			f = fopen(path, "a");
			if (!f) {
				perror(path);
				abort();
			}
		}
	}
	return f;
}

/* The next definition of name (of alt when there is none: NULL for no other), found
 * once by each interposer; none is fatal */
static void *forward_to(const char *name, const char *alt)
{
	void *next = dlsym(RTLD_NEXT, name);

	if (!next && alt)
		next = dlsym(RTLD_NEXT, alt);
	if (!next) {
		fprintf(stderr, "readtrace: no %s to forward to: %s\n", alt ? alt : name,
			dlerror());
		abort();
	}
	return next;
}

kdump_status kdump_read(kdump_ctx_t *ctx, kdump_addrspace_t as, kdump_addr_t addr,
			void *buffer, size_t *plength)
{
	static read_fn *next;
	size_t asked = *plength;
	kdump_status ks;
	FILE *f;

	if (!next)
		next = (read_fn *)forward_to("kdump_read", NULL);
	ks = next(ctx, as, addr, buffer, plength);
	pages_record(as, addr, asked, *plength, ks);
	f = trace_file();
	if (f) {
		fprintf(f, "%d 0x%" PRIx64 " %zu %zu %d\n", (int)as, (uint64_t)addr, asked,
			*plength, (int)ks);
		fflush(f);
	}
	return ks;
}

/* ------------------------------------------------------------ pread of an ELF core */

typedef ssize_t pread_fn(int, void *, size_t, off_t);

static pread_fn *real_pread(void)
{
	static pread_fn *next;

	if (!next)
		next = (pread_fn *)forward_to("pread64", "pread");
	return next;
}

#define CORE_FILES 256

/* A file's PT_LOADs (file offset, bytes in the file, physical address), by device and
 * inode (fds are reused); a slot is never given to another file, so a thread may read
 * one without the lock once it is filled */
struct core_file {
	dev_t dev;
	ino_t ino;
	int used, core;               /* core: an ELF core file whose segments are known */
	unsigned nseg;
	struct seg { uint64_t off, filesz, paddr; } *seg;
};

static struct core_file *cores;

static uint64_t get(const unsigned char *p, unsigned n, int be)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
	return v;
}

/* Reads f's ELF header and program headers through fd (ELF64 of either byte order) */
static void core_load(struct core_file *f, int fd)
{
	unsigned char eh[64], ph[56];
	uint64_t phoff;
	unsigned i, phnum, phentsize;
	int be;

	f->core = 0;
	f->nseg = 0;
	if (real_pread()(fd, eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh, ELFMAG, SELFMAG) || eh[EI_CLASS] != ELFCLASS64)
		return;
	be = eh[EI_DATA] == ELFDATA2MSB;
	if (get(eh + 16, 2, be) != ET_CORE)
		return;
	phoff = get(eh + 32, 8, be);
	phentsize = (unsigned)get(eh + 54, 2, be);
	phnum = (unsigned)get(eh + 56, 2, be);
	if (phentsize < sizeof(ph))
		return;
	f->seg = calloc(phnum ? phnum : 1, sizeof(*f->seg));
	if (!f->seg)
		die("out of memory");
	for (i = 0; i < phnum; i++) {
		if (real_pread()(fd, ph, sizeof(ph), (off_t)(phoff + (uint64_t)i * phentsize)) !=
		    (ssize_t)sizeof(ph))
			return;
		if (get(ph, 4, be) != PT_LOAD)
			continue;
		f->seg[f->nseg].off = get(ph + 8, 8, be);
		f->seg[f->nseg].paddr = get(ph + 24, 8, be);
		f->seg[f->nseg].filesz = get(ph + 32, 8, be);
		f->nseg++;
	}
	f->core = 1;
}

/* The bytes [off, off + n) read from fd: those of an ELF core file's PT_LOADs recorded as
 * the physical memory they hold */
static void core_record(int fd, uint64_t off, size_t n)
{
	struct core_file *f = NULL;
	struct stat st;
	unsigned i;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return;
	pthread_mutex_lock(&pg.lock);
	if (!cores)
		cores = calloc(CORE_FILES, sizeof(*cores));
	if (!cores)
		die("out of memory");
	for (i = 0; i < CORE_FILES && !f && cores[i].used; i++)
		if (cores[i].dev == st.st_dev && cores[i].ino == st.st_ino)
			f = &cores[i];
	if (!f && i < CORE_FILES) {
		f = &cores[i];
		f->dev = st.st_dev;
		f->ino = st.st_ino;
		core_load(f, fd);
		f->used = 1;
	}
	pthread_mutex_unlock(&pg.lock);
	if (!f || !f->core)
		return;
	for (i = 0; i < f->nseg; i++) {
		uint64_t s = f->seg[i].off, e = s + f->seg[i].filesz, a, b;

		a = off > s ? off : s;
		b = off + n < e ? off + n : e;
		if (a >= b)
			continue;
		pages_record(KDUMP_KPHYSADDR, f->seg[i].paddr + (a - s), b - a, b - a, KDUMP_OK);
		if (trace_file()) {
			fprintf(trace_file(), "%d 0x%" PRIx64 " %" PRIu64 " %" PRIu64 " %d\n",
				(int)KDUMP_KPHYSADDR, f->seg[i].paddr + (a - s), b - a, b - a,
				(int)KDUMP_OK);
			fflush(trace_file());
		}
	}
}

static ssize_t traced_pread(int fd, void *buf, size_t n, off_t off)
{
	ssize_t got = real_pread()(fd, buf, n, off);

	if (got > 0 && (pages_on_locked() || trace_file()))
		core_record(fd, (uint64_t)off, (size_t)got);
	return got;
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return traced_pread(fd, buf, n, off);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t off)
{
	return traced_pread(fd, buf, n, off);
}

/* libtce's block cache reads blocks ahead of an ascending walk with preadv(2), one
 * buffer a block: what it got is one run of the file */
typedef ssize_t preadv_fn(int, const struct iovec *, int, off_t);

static ssize_t traced_preadv(int fd, const struct iovec *iov, int cnt, off_t off)
{
	static preadv_fn *next;
	ssize_t got;

	if (!next)
		next = (preadv_fn *)forward_to("preadv64", "preadv");
	got = next(fd, iov, cnt, off);
	if (got > 0 && (pages_on_locked() || trace_file()))
		core_record(fd, (uint64_t)off, (size_t)got);
	return got;
}

ssize_t preadv(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return traced_preadv(fd, iov, cnt, off);
}

ssize_t preadv64(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return traced_preadv(fd, iov, cnt, off);
}
