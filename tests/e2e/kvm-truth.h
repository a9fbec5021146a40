/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kvm-truth.h: the ground truth of KVM guest-view TCE tables, as the programs that make them
 * print it: kvm-tables.c (tables written through their mmap, no guest) and kvm-hcall.c
 * (tables written by a guest's hcalls).  Their header comments and mkdump.sh's describe the
 * line format; this file owns the lines both print the same way: memslot, hostpage,
 * tcepage and entry, the host pfns behind them (/proc/self/pagemap) and the memslots
 * themselves (anonymous memory, THP off, a marker at the start of each touched page).
 * Static ppc64le programs built by mkdump.sh; a failure prints "ERROR what: why", exits 1.
 */
#ifndef TCE_KVM_TRUTH_H
#define TCE_KVM_TRUTH_H

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TCE_READ 1ULL
#define TCE_WRITE 2ULL
#define RW (TCE_READ | TCE_WRITE)
#define RO TCE_READ
#define WO TCE_WRITE
/* What a touched memslot page starts with, xor its guest address (little-endian). */
#define TRUTH_MARKER 0x5443455041474500ULL

struct memslot {
	uint32_t slot;
	uint64_t gpa;
	uint64_t size;
	uint64_t touched;	/* bytes from the start that are touched; 0: every even page */
	uint8_t *ua;
};

static long host_page;
static int pagemap_fd = -1;

static inline void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	fflush(stdout);
	printf("ERROR ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(": %s\n", strerror(err));
	fflush(stdout);
	exit(1);
}

/* Line-buffered output, THP off for this process, the host page size and the pagemap. */
static inline void truth_open(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) < 0)
		fail("prctl(PR_SET_THP_DISABLE)");
	host_page = sysconf(_SC_PAGESIZE);
	pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap_fd < 0)
		fail("open /proc/self/pagemap");
}

/* The pfn behind a userspace address, or -1 when no page is there. */
static inline int64_t pfn_of(const void *va)
{
	uint64_t e;
	off_t off = (uintptr_t)va / host_page * sizeof(e);

	if (pread(pagemap_fd, &e, sizeof(e), off) != sizeof(e))
		fail("pread /proc/self/pagemap at 0x%jx", (uintmax_t)off);
	if (!(e & (1ULL << 63)))
		return -1;
	return e & ((1ULL << 55) - 1);
}

static inline void print_pfn(const void *va)
{
	int64_t pfn = pfn_of(va);

	if (pfn < 0)
		printf(" pfn=absent\n");
	else
		printf(" pfn=0x%" PRIx64 "\n", (uint64_t)pfn);
}

static inline struct memslot *slot_of(struct memslot *slots, size_t n, uint64_t gpa)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (gpa >= slots[i].gpa && gpa - slots[i].gpa < slots[i].size)
			return &slots[i];
	return NULL;
}

static inline const char *perm_name(uint64_t perm)
{
	static const char *const names[] = { "none", "ro", "wo", "rw" };

	return names[perm & 3];
}

/*
 * The memslots of VM @vm over anonymous memory; each touched page starts with its marker,
 * so that a reader of the dump can tell the page it found is the right one.  Prints the
 * memslot lines.
 */
static inline void make_slots(int vm, struct memslot *slots, size_t n)
{
	size_t i;
	uint64_t off;

	for (i = 0; i < n; i++) {
		struct memslot *s = &slots[i];
		struct kvm_userspace_memory_region r;

		s->ua = mmap(NULL, s->size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (s->ua == MAP_FAILED)
			fail("mmap of memslot %u", s->slot);
		/* Debian's kernel has THP "always": a touch would fill a whole huge page,
		 * and khugepaged would later move pages the truth has printed. */
		if (madvise(s->ua, s->size, MADV_NOHUGEPAGE) < 0)
			fail("madvise(MADV_NOHUGEPAGE) of memslot %u", s->slot);
		memset(&r, 0, sizeof(r));
		r.slot = s->slot;
		r.guest_phys_addr = s->gpa;
		r.memory_size = s->size;
		r.userspace_addr = (uintptr_t)s->ua;
		if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
			fail("KVM_SET_USER_MEMORY_REGION slot %u", s->slot);
		for (off = 0; off < s->size; off += host_page) {
			int touch = s->touched ? off < s->touched :
				!((off / host_page) & 1);

			if (touch)
				*(uint64_t *)(s->ua + off) = htole64(TRUTH_MARKER) ^ (s->gpa + off);
		}
		if (s->touched)
			printf("memslot slot=%u gpa=0x%" PRIx64 " size=0x%" PRIx64
			       " ua=%p touched=first:0x%" PRIx64 "\n", s->slot, s->gpa,
			       s->size, (void *)s->ua, s->touched);
		else
			printf("memslot slot=%u gpa=0x%" PRIx64 " size=0x%" PRIx64
			       " ua=%p touched=even\n", s->slot, s->gpa, s->size,
			       (void *)s->ua);
	}
}

/*
 * The hostpage lines: every page of every memslot, printed last, and read twice: a page
 * that moved (compaction, khugepaged) between the two reads would make the truth wrong,
 * so that is an error.  Call with check 0 to print, then (a second later) with 1.
 */
static inline void print_hostpages(const struct memslot *slots, size_t n, int check)
{
	static int64_t *pfns;
	static size_t npfns;
	size_t i, k = 0;
	uint64_t off;

	if (!pfns) {
		for (i = 0; i < n; i++)
			npfns += slots[i].size / host_page;
		pfns = calloc(npfns, sizeof(*pfns));
		if (!pfns)
			fail("the hostpage record of %zu pages", npfns);
	}
	for (i = 0; i < n; i++) {
		const struct memslot *s = &slots[i];

		for (off = 0; off < s->size; off += host_page, k++) {
			int64_t pfn = pfn_of(s->ua + off);

			if (check) {
				if (pfn != pfns[k]) {
					errno = EAGAIN;
					fail("gpa 0x%" PRIx64 " moved from pfn 0x%" PRIx64
					     " to 0x%" PRIx64 " while the truth was printed",
					     s->gpa + off, (uint64_t)pfns[k], (uint64_t)pfn);
				}
				continue;
			}
			pfns[k] = pfn;
			printf("hostpage slot=%u gpa=0x%" PRIx64 " ua=%p", s->slot,
			       s->gpa + off, (void *)(s->ua + off));
			if (pfn < 0)
				printf(" pfn=absent\n");
			else
				printf(" pfn=0x%" PRIx64 "\n", (uint64_t)pfn);
		}
	}
}

/*
 * A KVM_CREATE_SPAPR_TCE_64 table of VM @vm (@size entries of 1 << @page_shift bytes from
 * bus page @offset), its fd mapped whole with @prot at *@map; prints its table line and
 * returns the fd.
 */
static inline int make_tce_table(int vm, uint64_t liobn, uint32_t page_shift, uint64_t offset,
				 uint64_t size, int prot, uint64_t **map)
{
	struct kvm_create_spapr_tce_64 args = {
		.liobn = liobn,
		.page_shift = page_shift,
		.flags = 0,
		.offset = offset,
		.size = size,
	};
	size_t len = (size * 8 + host_page - 1) / host_page * host_page;
	int fd;

	fd = ioctl(vm, KVM_CREATE_SPAPR_TCE_64, &args);
	if (fd < 0)
		fail("KVM_CREATE_SPAPR_TCE_64 liobn 0x%" PRIx64, liobn);
	*map = mmap(NULL, len, prot, MAP_SHARED, fd, 0);
	if (*map == MAP_FAILED)
		fail("mmap of the table fd of liobn 0x%" PRIx64, liobn);
	printf("table liobn=0x%" PRIx64 " page_shift=%u offset=0x%" PRIx64 " size=0x%" PRIx64
	       " tce_pages=%zu fd=%d\n", liobn, page_shift, offset, size, len / host_page, fd);
	return fd;
}

/* The tcepage lines of a table mapped at @map: every page the process has mapped. */
static inline void print_tcepages(uint64_t liobn, const uint64_t *map, uint64_t size)
{
	uint64_t page, per_page = host_page / 8;

	for (page = 0; page * per_page < size; page++) {
		int64_t pfn = pfn_of(&map[page * per_page]);

		if (pfn >= 0)
			printf("tcepage liobn=0x%" PRIx64 " page=%" PRIu64 " pfn=0x%" PRIx64 "\n",
			       liobn, page, (uint64_t)pfn);
	}
}

/* The entry line of entry @idx (raw as the table holds it, little-endian). */
static inline void print_entry(struct memslot *slots, size_t n, uint64_t liobn, uint32_t page_shift,
			uint64_t offset, uint64_t idx, uint64_t raw_le)
{
	uint64_t raw = le64toh(raw_le);
	uint64_t gpa = raw & ~3ULL;
	struct memslot *s = slot_of(slots, n, gpa);

	printf("entry liobn=0x%" PRIx64 " index=0x%" PRIx64 " bus=0x%" PRIx64
	       " raw=0x%" PRIx64 " gpa=0x%" PRIx64 " perm=%s", liobn, idx,
	       (offset + idx) << page_shift, raw, gpa, perm_name(raw));
	if (!s) {
		printf(" slot=none ua=none pfn=none\n");
		return;
	}
	printf(" slot=%u ua=%p", s->slot, (void *)(s->ua + (gpa - s->gpa)));
	print_pfn(s->ua + (gpa - s->gpa));
}

#endif /* TCE_KVM_TRUTH_H */
