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
 * With --change it waits for SIGUSR1 instead, then changes the tables as a guest's driver
 * would between two dumps (change()), prints "AFTER pid=N", the truth of the tables as
 * they are then (a table line for each, an entry line for every valid entry), and READY
 * again, and pause()s: tce-inspect diff of a dump before and one after is checked
 * against the two truths (tests/e2e/check-diff.py).
 * A failure prints "ERROR what: why" and exits 1.  The lines it shares with kvm-hcall.c
 * (memslot, hostpage, tcepage, entry) and the memslots themselves are kvm-truth.h's.
 */
#include <signal.h>

#include "kvm-truth.h"

#define MAX_RUNS 6

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

#define NSLOTS (sizeof(slots) / sizeof(slots[0]))

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

static void make_table(int vm, struct table *t)
{
	t->fd = make_tce_table(vm, t->liobn, t->page_shift, t->offset, t->size,
			       PROT_READ | PROT_WRITE, &t->map);
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
	uint64_t i;
	int r;

	print_tcepages(t->liobn, t->map, t->size);
	for (r = 0; r < MAX_RUNS && t->runs[r].count; r++) {
		const struct run *run = &t->runs[r];

		for (i = 0; i < run->count; i++)
			print_entry(slots, NSLOTS, t->liobn, t->page_shift, t->offset,
				    run->first + i, t->map[run->first + i]);
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

/* --change: what a guest's driver might do between two dumps */
static struct table added = {
	.liobn = 0x80000006, .page_shift = 12, .offset = 0x100, .size = 0x1000,
	.runs = { { 0, 5, 0x500000, 0x1000, RW } },
};

static void print_after(const struct table *t)
{
	uint64_t i;

	printf("table liobn=0x%" PRIx64 " page_shift=%u offset=0x%" PRIx64 " size=0x%" PRIx64
	       " fd=%d\n", t->liobn, t->page_shift, t->offset, t->size, t->fd);
	for (i = 0; i < t->size; i++)
		if (t->map[i])
			print_entry(slots, NSLOTS, t->liobn, t->page_shift, t->offset, i,
				    t->map[i]);
}

static void change(int vm)
{
	struct table *t = &tables[0], *gone = &tables[3], *fresh = &tables[4];
	uint64_t i;

	for (i = 0; i < 8; i++)			/* unmapped */
		t->map[i] = 0;
	for (i = 8; i < 16; i++)		/* remapped: other touched guest pages */
		t->map[i] = htole64((0x100000 + i * 0x1000) | RW);
	for (i = 16; i < 24; i++)		/* read-only now */
		t->map[i] = htole64(le64toh(t->map[i]) & ~TCE_WRITE);
	for (i = 1000; i < 1010; i++)		/* mapped */
		t->map[i] = htole64((0x300000 + (i - 1000) * 0x1000) | RW);
	for (i = 0; i < 4; i++)			/* the untouched table's first entries */
		fresh->map[i] = htole64((0x400000 + i * 0x1000) | RW);
	/* a table that goes away: its last reference, the file, is released */
	if (munmap(gone->map, (gone->size * 8 + host_page - 1) / host_page * host_page) ||
	    close(gone->fd))
		fail("closing the table of liobn 0x%" PRIx64, gone->liobn);
	make_table(vm, &added);
	fill_table(&added);
	printf("AFTER pid=%d\n", (int)getpid());
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (&tables[i] != gone)
			print_after(&tables[i]);
	print_after(&added);
}

int main(int argc, char **argv)
{
	int with_big = argc > 1 && !strcmp(argv[1], "--big");
	int with_change = argc > 1 && !strcmp(argv[1], "--change");
	sigset_t usr1;
	int kvm, vm, ret, sig;
	size_t i;

	/* blocked from the start: a signal before sigwait() waits for it */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);

	truth_open();
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		fail("open /dev/kvm");
	ret = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_64);
	printf("kvm api=%d spapr_tce_64=%d host_page=0x%lx pid=%d\n",
	       ioctl(kvm, KVM_GET_API_VERSION, 0), ret, host_page, (int)getpid());
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		fail("KVM_CREATE_VM");
	make_slots(vm, slots, NSLOTS);
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
	print_hostpages(slots, NSLOTS, 0);
	sleep(1);
	print_hostpages(slots, NSLOTS, 1);
	printf("READY\n");
	fflush(stdout);
	if (with_change) {
		if (sigwait(&usr1, &sig))
			fail("sigwait");
		change(vm);
		printf("READY\n");
		fflush(stdout);
	}
	for (;;)
		pause();
}
