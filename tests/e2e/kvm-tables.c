// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kvm-tables: makes real KVM guest-view TCE tables in a ppc64le host kernel (Debian's 6.1
 * under QEMU's powernv, KVM-HV loaded) without running any guest, prints their ground
 * truth, then waits so that the host can be dumped with the tables in it.  Built by
 * mkdump.sh with powerpc64le-linux-gnu-gcc -static and run as root from the initramfs.
 *
 * It owns the layout of the pnv-kvm recipes' tables: a VM (KVM_CREATE_VM), two memslots
 * over anonymous memory of which only some pages are touched (so that some guest pages have
 * a host page and some do not), and KVM_CREATE_SPAPR_TCE_64 tables with IOMMU page shifts
 * 12, 16 and 24, non-zero window offsets and sparse contents: entries are written through
 * mmap() of the table fd, which makes the kernel allocate only the 64K pages of the table
 * that are touched (stt->pages[] stays NULL elsewhere).  Entries are little-endian
 * "gpa | 1 (read) | 2 (write)", read-write, read-only and write-only, some of them pointing
 * at guest addresses outside every memslot.  One table is touched by a read only (a
 * populated page without a valid entry), one never (every page NULL).  With --big it also
 * makes a table of 16M entries (page shift 16), every entry written.
 *
 * The truth goes to stdout, one record a line, "KIND key=value ...", numbers in hex with
 * 0x (the format is described in mkdump.sh's header, where the truth file is kept):
 *   memslot  slot gpa size ua touched          (touched: "first" N bytes, or "even" pages)
 *   hostpage slot gpa ua pfn                   (every 64K page of every memslot; pfn from
 *                                               /proc/self/pagemap, or "absent"; read
 *                                               twice, a second later, and equal: THP is
 *                                               off for this process, no page moved)
 *   table    liobn page_shift offset size tce_pages fd
 *   tcepage  liobn page pfn                    (every page of a table the program touched)
 *   entry    liobn index bus raw gpa perm slot ua pfn
 *                                              (index within the table, bus =
 *                                               (offset + index) << page_shift; slot, ua
 *                                               and pfn are "none" outside every memslot)
 *   fill     liobn first count gpa_base gpa_step gpa_mod perm=cycle
 *                                              (--big: entry first + i holds
 *                                               gpa_base + (i % gpa_mod) * gpa_step
 *                                               | (1 + i % 3), read-only, write-only,
 *                                               read-write in turn)
 *   READY                                      (then it pause()s)
 * A failure prints "ERROR what: why" and exits 1.
 */
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
#define MAX_RUNS 6

struct memslot {
	uint32_t slot;
	uint64_t gpa;
	uint64_t size;
	uint64_t touched;	/* bytes from the start that are touched; 0: every even page */
	uint8_t *ua;
};

/* Entries first .. first + count - 1 hold gpa + i * gpa_step | perm. */
struct run {
	uint64_t first;
	uint64_t count;
	uint64_t gpa;
	uint64_t gpa_step;
	uint64_t perm;
};

struct table {
	uint64_t liobn;
	uint32_t page_shift;
	uint64_t offset;	/* in IOMMU pages */
	uint64_t size;		/* in IOMMU pages, i.e. entries */
	uint64_t read_only_probe;	/* an entry to read (not write), +1; 0: none */
	struct run runs[MAX_RUNS];
	int fd;
	uint64_t *map;
};

static struct memslot slots[] = {
	{ .slot = 0, .gpa = 0, .size = 64 * MiB, .touched = 40 * MiB },
	{ .slot = 1, .gpa = 4 * GiB, .size = 32 * MiB, .touched = 0 },
};

#define RW (TCE_READ | TCE_WRITE)
#define RO TCE_READ
#define WO TCE_WRITE

static struct table tables[] = {
	{	/* 4K IOMMU pages: 128K entries, 16 table pages, 3 of them written */
		.liobn = 0x80000001, .page_shift = 12, .offset = 0x800, .size = 0x20000,
		.runs = {
			{ 0, 64, 0, 0x1000, RW },			/* touched host pages */
			{ 5 * 8192 + 100, 200, 40 * MiB, 0x1000, RO },	/* untouched */
			{ 15 * 8192 + 8000, 192, 4 * GiB, 0x1000, WO },	/* the table's end */
		},
	},
	{	/* 64K IOMMU pages: 256K entries, 32 table pages, 5 of them written */
		.liobn = 0x80000002, .page_shift = 16, .offset = 0x10000, .size = 0x40000,
		.runs = {
			{ 0, 1000, 0, 0x10000, RW },	/* crosses the touched/untouched line */
			{ 7 * 8192, 16, 12 * GiB, 0x10000, RW },	/* no memslot */
			{ 20 * 8192 + 4096, 512, 4 * GiB, 0x10000, RW },	/* even pages only */
			{ 31 * 8192 + 8191, 1, 4 * GiB + 0x10000, 0, RO },	/* the last entry */
		},
	},
	{	/* 16M IOMMU pages: 2048 entries, one table page */
		.liobn = 0x80000003, .page_shift = 24, .offset = 0x10, .size = 0x800,
		.runs = {
			{ 0, 4, 0, 16 * MiB, RW },	/* 48M: untouched */
			{ 100, 2, 4 * GiB, 16 * MiB, RO },
			{ 2047, 1, 0x7f000000000ULL, 0, RW },	/* no memslot */
		},
	},
	{	/* a page populated by a read fault: no valid entry */
		.liobn = 0x80000004, .page_shift = 16, .offset = 0x80000, .size = 0x8000,
		.read_only_probe = 2 * 8192 + 1,
	},
	{	/* never touched: every page of the table stays unallocated */
		.liobn = 0x80000005, .page_shift = 12, .offset = 0, .size = 0x10000,
	},
};

static struct table big = {
	.liobn = 0x80001000, .page_shift = 16, .offset = 0, .size = 16 * MiB,
};

#define BIG_GPA_MOD 1024	/* the first 64 MiB of guest memory, 64K at a time */

static long host_page;
static int pagemap_fd = -1;

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
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

/* The pfn behind a userspace address, or -1 when no page is there. */
static int64_t pfn_of(const void *va)
{
	uint64_t e;
	off_t off = (uintptr_t)va / host_page * sizeof(e);

	if (pread(pagemap_fd, &e, sizeof(e), off) != sizeof(e))
		fail("pread /proc/self/pagemap at 0x%jx", (uintmax_t)off);
	if (!(e & (1ULL << 63)))
		return -1;
	return e & ((1ULL << 55) - 1);
}

static void print_pfn(const void *va)
{
	int64_t pfn = pfn_of(va);

	if (pfn < 0)
		printf(" pfn=absent\n");
	else
		printf(" pfn=0x%" PRIx64 "\n", (uint64_t)pfn);
}

static struct memslot *slot_of(uint64_t gpa)
{
	size_t i;

	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (gpa >= slots[i].gpa && gpa - slots[i].gpa < slots[i].size)
			return &slots[i];
	return NULL;
}

static const char *perm_name(uint64_t perm)
{
	static const char *const names[] = { "none", "ro", "wo", "rw" };

	return names[perm & 3];
}

static void make_slots(int vm)
{
	size_t i;
	uint64_t off;

	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
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
		/* Each touched page starts with its own guest address: a reader of the
		 * dump can tell the page it found is the right one. */
		for (off = 0; off < s->size; off += host_page) {
			int touch = s->touched ? off < s->touched :
				!((off / host_page) & 1);

			if (touch)
				*(uint64_t *)(s->ua + off) = htole64(0x5443455041474500ULL) ^
					(s->gpa + off);
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
 * Printed last, and read twice: a page that moved (compaction, khugepaged) between the
 * two reads would make the truth wrong, so that is an error.
 */
static void print_hostpages(int check)
{
	static int64_t pfns[(64 + 32) * MiB / 4096];
	size_t i, n = 0;
	uint64_t off;

	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		struct memslot *s = &slots[i];

		for (off = 0; off < s->size; off += host_page, n++) {
			int64_t pfn = pfn_of(s->ua + off);

			if (n >= sizeof(pfns) / sizeof(pfns[0])) {
				errno = ENOSPC;
				fail("more memslot pages than this program can record");
			}
			if (check) {
				if (pfn != pfns[n]) {
					errno = EAGAIN;
					fail("gpa 0x%" PRIx64 " moved from pfn 0x%" PRIx64
					     " to 0x%" PRIx64 " while the truth was printed",
					     s->gpa + off, (uint64_t)pfns[n], (uint64_t)pfn);
				}
				continue;
			}
			pfns[n] = pfn;
			printf("hostpage slot=%u gpa=0x%" PRIx64 " ua=%p", s->slot,
			       s->gpa + off, (void *)(s->ua + off));
			if (pfn < 0)
				printf(" pfn=absent\n");
			else
				printf(" pfn=0x%" PRIx64 "\n", (uint64_t)pfn);
		}
	}
}

static void make_table(int vm, struct table *t)
{
	struct kvm_create_spapr_tce_64 args = {
		.liobn = t->liobn,
		.page_shift = t->page_shift,
		.flags = 0,
		.offset = t->offset,
		.size = t->size,
	};
	size_t len = (t->size * 8 + host_page - 1) / host_page * host_page;

	t->fd = ioctl(vm, KVM_CREATE_SPAPR_TCE_64, &args);
	if (t->fd < 0)
		fail("KVM_CREATE_SPAPR_TCE_64 liobn 0x%" PRIx64, t->liobn);
	t->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, t->fd, 0);
	if (t->map == MAP_FAILED)
		fail("mmap of the table fd of liobn 0x%" PRIx64, t->liobn);
	printf("table liobn=0x%" PRIx64 " page_shift=%u offset=0x%" PRIx64 " size=0x%" PRIx64
	       " tce_pages=%zu fd=%d\n", t->liobn, t->page_shift, t->offset, t->size,
	       len / host_page, t->fd);
}

static void fill_table(struct table *t)
{
	int r;
	uint64_t i;

	for (r = 0; r < MAX_RUNS && t->runs[r].count; r++) {
		const struct run *run = &t->runs[r];

		if (run->first + run->count > t->size) {
			errno = EINVAL;
			fail("run %d of liobn 0x%" PRIx64 " ends past the table", r, t->liobn);
		}
		for (i = 0; i < run->count; i++)
			t->map[run->first + i] = htole64((run->gpa + i * run->gpa_step) |
							 run->perm);
	}
	if (t->read_only_probe) {
		volatile uint64_t *p = &t->map[t->read_only_probe - 1];

		if (*p) {
			errno = EINVAL;
			fail("a fresh table page of liobn 0x%" PRIx64 " is not zero", t->liobn);
		}
	}
}

static void print_table(const struct table *t)
{
	uint64_t page, i;
	uint64_t per_page = host_page / 8;
	int r;

	for (page = 0; page * per_page < t->size; page++) {
		int64_t pfn = pfn_of(&t->map[page * per_page]);

		if (pfn >= 0)
			printf("tcepage liobn=0x%" PRIx64 " page=%" PRIu64 " pfn=0x%" PRIx64 "\n",
			       t->liobn, page, (uint64_t)pfn);
	}
	for (r = 0; r < MAX_RUNS && t->runs[r].count; r++) {
		const struct run *run = &t->runs[r];

		for (i = 0; i < run->count; i++) {
			uint64_t idx = run->first + i;
			uint64_t raw = le64toh(t->map[idx]);
			uint64_t gpa = raw & ~3ULL;
			struct memslot *s = slot_of(gpa);

			printf("entry liobn=0x%" PRIx64 " index=0x%" PRIx64 " bus=0x%" PRIx64
			       " raw=0x%" PRIx64 " gpa=0x%" PRIx64 " perm=%s", t->liobn, idx,
			       (t->offset + idx) << t->page_shift, raw, gpa, perm_name(raw));
			if (!s) {
				printf(" slot=none ua=none pfn=none\n");
				continue;
			}
			printf(" slot=%u ua=%p", s->slot, (void *)(s->ua + (gpa - s->gpa)));
			print_pfn(s->ua + (gpa - s->gpa));
		}
	}
}

static void fill_big(struct table *t)
{
	uint64_t i;

	for (i = 0; i < t->size; i++)
		t->map[i] = htole64(((i % BIG_GPA_MOD) << 16) | (1 + i % 3));
	printf("fill liobn=0x%" PRIx64 " first=0x0 count=0x%" PRIx64
	       " gpa_base=0x0 gpa_step=0x10000 gpa_mod=0x%x perm=cycle\n", t->liobn, t->size,
	       BIG_GPA_MOD);
}

int main(int argc, char **argv)
{
	int with_big = argc > 1 && !strcmp(argv[1], "--big");
	int kvm, vm, ret;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) < 0)
		fail("prctl(PR_SET_THP_DISABLE)");
	host_page = sysconf(_SC_PAGESIZE);
	pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap_fd < 0)
		fail("open /proc/self/pagemap");
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		fail("open /dev/kvm");
	ret = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_64);
	printf("kvm api=%d spapr_tce_64=%d host_page=0x%lx pid=%d\n",
	       ioctl(kvm, KVM_GET_API_VERSION, 0), ret, host_page, (int)getpid());
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		fail("KVM_CREATE_VM");
	make_slots(vm);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		make_table(vm, &tables[i]);
		fill_table(&tables[i]);
	}
	if (with_big) {
		make_table(vm, &big);
		fill_big(&big);
	}
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		print_table(&tables[i]);
	if (with_big)
		print_table(&big);
	print_hostpages(0);
	sleep(1);
	print_hostpages(1);
	printf("READY\n");
	fflush(stdout);
	for (;;)
		pause();
}
