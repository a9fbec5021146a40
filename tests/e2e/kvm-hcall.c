// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kvm-hcall: KVM guest-view TCE tables written by a real guest.  Run as root from the
 * initramfs of a POWER8 powernv host (Debian's 6.1 with kvm-hv.ko, or the project's patched
 * kernel with its real-mode handlers) under QEMU; built by mkdump.sh with
 * powerpc64le-linux-gnu-gcc -static.  It makes a KVM-HV virtual machine (two memslots over
 * anonymous memory, some pages touched, some not) and KVM_CREATE_SPAPR_TCE_64 tables with
 * IOMMU page shifts 12, 16 and 24; its only vcpu (kernel/qemu/kvm-guest.h, the guest of the
 * kernel part's demonstration) issues H_PUT_TCE, H_PUT_TCE_INDIRECT (TCE lists, big-endian,
 * in guest memory) and H_STUFF_TCE on them, in the kernel (the hcalls are enabled with
 * KVM_CAP_PPC_ENABLE_HCALL), then stops with an unknown hcall.  Entries point into both
 * memslots, at pages with and without a host page, read-only, write-only and read-write;
 * some are cleared again by H_STUFF_TCE, one table page is left allocated with no valid
 * entry, and clearing never allocates one.  Each hcall must return H_SUCCESS.
 *
 * Then it reads each table back through the table's mmap (only the pages a kernel that
 * allocates on the first non-zero TCE has allocated: reading a page through the mmap would
 * allocate it), requires every entry to be what the guest asked for, and prints the truth
 * in kvm-tables.c's format (mkdump.sh's header names it; kvm-truth.h prints the shared
 * lines), then pause()s so that the host can be dumped with the tables in it:
 *   kvm      api spapr_tce_64 host_page pid
 *   memslot  slot gpa size ua touched
 *   table    liobn page_shift offset size tce_pages fd
 *   tcepage  liobn page pfn            (every page read back: what stt->pages[] holds)
 *   entry    liobn index bus raw gpa perm slot ua pfn      (every non-zero entry)
 *   hostpage slot gpa ua pfn           (read twice, a second apart, and equal)
 *   READY
 * and comment lines, "# hcall NAME issued N virtual_mode V userspace U": how many of each
 * hcall the guest issued, how many the kernel handled in virtual mode (the
 * kvm_hv:kvm_hcall_enter tracepoint; "unknown" without tracefs) and how many it passed to
 * this program (which completes them as QEMU would); the rest completed in real mode.
 * A failure prints "ERROR what: why" and exits 1.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include "kvm-truth.h"
#include "kvm-guest.h"


/* Guest memory: the program, the hcall records, the TCE lists (4K each). */
#define CODE_GPA	0x1000ULL
#define CALLS_GPA	0x4000ULL
#define MAX_CALLS	128
#define LIST_GPA	0x21000ULL
#define MAX_LISTS	15		/* up to 0x30000: one 64K host page */
#define LIST_MAX	512

#define CYCLE 4		/* perm: 1 + i % 3, read-only, write-only, read-write in turn */

static struct memslot slots[] = {
	{ .slot = 0, .gpa = 0, .size = 64 * MiB, .touched = 40 * MiB },
	{ .slot = 1, .gpa = 4 * GiB, .size = 32 * MiB, .touched = 0 },
};

#define NSLOTS (sizeof(slots) / sizeof(slots[0]))

struct table {
	uint64_t liobn;
	uint32_t page_shift;
	uint64_t offset;	/* in IOMMU pages */
	uint64_t size;		/* entries */
	int fd;
	uint64_t *map;		/* the table fd, mapped read-only */
	uint64_t *model;	/* what each entry must hold */
	uint8_t *allocated;	/* per table page: allocated by the kernel or this program */
};

static struct table tables[] = {
	{ .liobn = 0x80000101, .page_shift = 12, .offset = 0x800, .size = 0x20000 },
	{ .liobn = 0x80000102, .page_shift = 16, .offset = 0x10000, .size = 0x40000 },
	{ .liobn = 0x80000103, .page_shift = 16, .offset = 0x80000, .size = 0x8000 },
	{ .liobn = 0x80000104, .page_shift = 12, .offset = 0, .size = 0x10000 },
	{ .liobn = 0x80000105, .page_shift = 24, .offset = 0x10, .size = 0x800 },
};

#define NTABLES (sizeof(tables) / sizeof(tables[0]))

enum op_kind { PUT, INDIRECT, STUFF };

/*
 * What the guest does, in order: PUT issues @count H_PUT_TCEs, entry @index + i getting
 * @gpa + i * @step | perm; INDIRECT one H_PUT_TCE_INDIRECT of a list of @count such TCEs;
 * STUFF one H_STUFF_TCE of 0 over @count entries.  8192 entries of 8 bytes are one 64K
 * table page.
 */
struct op {
	enum op_kind kind;
	int table;
	uint64_t index, count, gpa, step, perm;
};

static const struct op ops[] = {
	/* 4K IOMMU pages */
	{ PUT, 0, 0, 16, 0x100000, 0x1000, CYCLE },		/* touched host pages */
	{ PUT, 0, 2 * 8192 + 7, 1, 41 * MiB, 0, RO },		/* untouched */
	{ PUT, 0, 2 * 8192 + 8, 1, 4 * GiB + 0x10000, 0, WO },	/* slot 1, odd: untouched */
	{ PUT, 0, 2 * 8192 + 9, 1, 4 * GiB + 0x20000, 0, RW },	/* slot 1, even: touched */
	{ INDIRECT, 0, 5 * 8192 + 100, 512, 0x200000, 0x1000, CYCLE },
	{ INDIRECT, 0, 15 * 8192 + 8000, 192, 4 * GiB, 0x1000, RW },	/* the table's end */
	{ STUFF, 0, 5 * 8192 + 300, 100, 0, 0, 0 },		/* inside the list's run */
	{ STUFF, 0, 4, 4, 0, 0, 0 },
	{ STUFF, 0, 9 * 8192, 8192, 0, 0, 0 },			/* a page never allocated */
	{ PUT, 0, 0, 1, 0x180000, 0, RO },			/* entry 0 again */
	/* 64K IOMMU pages */
	{ INDIRECT, 1, 0, 512, 16 * MiB, 0x10000, RW },		/* crosses the touched line */
	{ INDIRECT, 1, 512, 512, 4 * GiB, 0x10000, CYCLE },	/* all of slot 1 */
	{ PUT, 1, 31 * 8192 + 8191, 1, 4 * GiB + 0x10000, 0, RO },	/* the last entry */
	{ STUFF, 1, 100, 50, 0, 0, 0 },
	{ PUT, 1, 7 * 8192, 1, 0x30000, 0, RW },
	{ STUFF, 1, 7 * 8192, 1, 0, 0, 0 },			/* page 7: allocated, empty */
	/* every entry a list wrote cleared again */
	{ INDIRECT, 2, 8192, 64, 0, 0x10000, RW },
	{ STUFF, 2, 8192, 64, 0, 0, 0 },
	/* cleared, never written: nothing allocated */
	{ STUFF, 3, 0, 0x10000, 0, 0, 0 },
	/* 16M IOMMU pages */
	{ PUT, 4, 0, 4, 0, 16 * MiB, RW },
	{ PUT, 4, 100, 2, 4 * GiB, 16 * MiB, RO },
};

#define NOPS (sizeof(ops) / sizeof(ops[0]))

/* The hcalls and how the tracepoint prints them (trace_hv.h's names). */
static const struct {
	unsigned long nr;
	const char *name, *trace;
} hcalls[] = {
	{ H_PUT_TCE, "H_PUT_TCE", "hcall=H_PUT_TCE " },
	{ H_PUT_TCE_INDIRECT, "H_PUT_TCE_INDIRECT", "hcall=H_PUT_TCE_INDIRECT " },
	{ H_STUFF_TCE, "H_STUFF_TCE", "hcall=H_STUFF_TCE " },
};

#define NHCALLS (sizeof(hcalls) / sizeof(hcalls[0]))

static long issued[NHCALLS], by_user[NHCALLS];

static int hcall_slot(unsigned long nr)
{
	size_t i;

	for (i = 0; i < NHCALLS; i++)
		if (hcalls[i].nr == nr)
			return i;
	return -1;
}

static uint64_t tce_of(const struct op *o, uint64_t i)
{
	return (o->gpa + i * o->step) | (o->perm == CYCLE ? 1 + i % 3 : o->perm);
}

static uint64_t ioba_of(const struct table *t, uint64_t index)
{
	return (t->offset + index) << t->page_shift;
}

/* Entry @idx of @t set to @tce as kvmppc_tce_put() does: a page is allocated by the first
 * non-zero TCE written into it, never by a zero. */
static void model_put(struct table *t, uint64_t idx, uint64_t tce)
{
	uint64_t page = idx / (host_page / 8);

	if (!t->allocated[page] && !tce)
		return;
	t->allocated[page] = 1;
	t->model[idx] = tce;
}

static struct table *table_of(uint64_t liobn)
{
	size_t i;

	for (i = 0; i < NTABLES; i++)
		if (tables[i].liobn == liobn)
			return &tables[i];
	return NULL;
}

/* Guest memory at @gpa, in memslot 0. */
static void *guest_va(uint64_t gpa)
{
	return slots[0].ua + gpa;
}

/*
 * The records of ops[] in guest memory, the lists beside them, and the model of what the
 * tables must hold afterwards.
 */
static size_t build_calls(void)
{
	struct guest_hcall *calls = guest_va(CALLS_GPA);
	size_t n = 0, nlists = 0, k;
	uint64_t i;

	for (k = 0; k < NOPS; k++) {
		const struct op *o = &ops[k];
		struct table *t = &tables[o->table];
		uint64_t ncalls = o->kind == PUT ? o->count : 1;

		if (o->index + o->count > t->size || n + ncalls > MAX_CALLS) {
			errno = EINVAL;
			fail("op %zu: past the table or more than %d hcalls", k, MAX_CALLS);
		}
		for (i = 0; i < ncalls; i++, n++) {
			struct guest_hcall *c = &calls[n];

			memset(c, 0, sizeof(*c));
			c->repeat = 1;
			c->r[1] = t->liobn;
			c->r[2] = ioba_of(t, o->index + i);
			switch (o->kind) {
			case PUT:
				c->r[0] = H_PUT_TCE;
				c->r[3] = tce_of(o, i);
				model_put(t, o->index + i, c->r[3]);
				break;
			case INDIRECT: {
				uint64_t *list = guest_va(LIST_GPA + nlists * 0x1000);
				uint64_t j;

				if (nlists == MAX_LISTS || o->count > LIST_MAX) {
					errno = EINVAL;
					fail("op %zu: more than %d lists of %d", k, MAX_LISTS, LIST_MAX);
				}
				for (j = 0; j < o->count; j++) {
					list[j] = htobe64(tce_of(o, j));
					model_put(t, o->index + j, tce_of(o, j));
				}
				c->r[0] = H_PUT_TCE_INDIRECT;
				c->r[3] = LIST_GPA + nlists++ * 0x1000;
				c->r[4] = o->count;
				break;
			}
			case STUFF: {
				uint64_t j;

				c->r[0] = H_STUFF_TCE;
				c->r[3] = 0;
				c->r[4] = o->count;
				for (j = 0; j < o->count; j++)
					model_put(t, o->index + j, 0);
				break;
			}
			}
			issued[hcall_slot(c->r[0])]++;
		}
	}
	return n;
}

/*
 * A TCE hcall the kernel passed to userspace (H_TOO_HARD): completed as QEMU would, through
 * a writable mapping of the table; the pages it writes are allocated (also by a zero).
 */
static int complete_hcall(struct guest *g, void *ctx)
{
	struct kvm_run *run = g->run;
	unsigned long nr = run->papr_hcall.nr;
	struct table *t;
	uint64_t first, n, i, *w;
	size_t len;
	int h;

	(void)ctx;
	h = hcall_slot(nr);
	if (run->exit_reason != KVM_EXIT_PAPR_HCALL || h < 0)
		return -1;
	t = table_of(run->papr_hcall.args[0]);
	if (!t)
		return -1;
	first = (run->papr_hcall.args[1] >> t->page_shift) - t->offset;
	n = nr == H_PUT_TCE ? 1 : run->papr_hcall.args[3];
	len = (t->size * 8 + host_page - 1) / host_page * host_page;
	w = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, t->fd, 0);
	if (w == MAP_FAILED)
		fail("mmap of the table fd of liobn 0x%" PRIx64 " for a userspace hcall", t->liobn);
	for (i = 0; i < n; i++) {
		uint64_t v = nr == H_PUT_TCE ? run->papr_hcall.args[2] :
			nr == H_STUFF_TCE ? run->papr_hcall.args[2] :
			be64toh(((uint64_t *)guest_va(run->papr_hcall.args[2]))[i]);

		w[first + i] = htole64(v);
		t->allocated[(first + i) / (host_page / 8)] = 1;
	}
	munmap(w, len);
	run->papr_hcall.ret = 0;	/* H_SUCCESS */
	by_user[h]++;
	return 0;
}

/* Tracing of virtual-mode hcalls, when the kernel has it: 1 on, 0 not available. */
static int trace_on(void)
{
	struct stat st;

	if (stat(GUEST_TRACE "events", &st) < 0 &&
	    mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) < 0)
		return 0;
	if (guest_trace_put(GUEST_TRACE "events/kvm_hv/kvm_hcall_enter/enable", "1") ||
	    guest_trace_put(GUEST_TRACE "trace", "") ||
	    guest_trace_put(GUEST_TRACE "tracing_on", "1"))
		return 0;
	return 1;
}

/* Reads back every page the model says is allocated, checks it, prints the truth. */
static void read_back(struct table *t)
{
	uint64_t per_page = host_page / 8, page, i;
	long wrong = 0;

	for (page = 0; page * per_page < t->size; page++)
		if (t->allocated[page])
			(void)*(volatile uint64_t *)&t->map[page * per_page];
	print_tcepages(t->liobn, t->map, t->size);
	for (page = 0; page * per_page < t->size; page++) {
		if (!t->allocated[page])
			continue;
		for (i = page * per_page; i < (page + 1) * per_page && i < t->size; i++) {
			uint64_t raw = le64toh(t->map[i]);

			if (raw != t->model[i] && wrong++ < 3)
				printf("# liobn 0x%" PRIx64 " entry 0x%" PRIx64 " holds 0x%" PRIx64
				       ", the guest asked for 0x%" PRIx64 "\n", t->liobn, i, raw,
				       t->model[i]);
			if (raw)
				print_entry(slots, NSLOTS, t->liobn, t->page_shift, t->offset, i,
					    t->map[i]);
		}
	}
	if (wrong) {
		errno = EIO;
		fail("liobn 0x%" PRIx64 ": %ld entries are not what the guest asked for",
		     t->liobn, wrong);
	}
}

int main(void)
{
	struct guest_stop stop;
	struct guest g;
	size_t i, ncalls;
	int kvm, ret, traced, r;

	truth_open();
	if (host_page != 0x10000) {
		errno = EINVAL;
		fail("host pages of 0x%lx bytes: the guest's layout needs 64K", host_page);
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		fail("open /dev/kvm");
	ret = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_64);
	printf("kvm api=%d spapr_tce_64=%d host_page=0x%lx pid=%d\n",
	       ioctl(kvm, KVM_GET_API_VERSION, 0), ret, host_page, (int)getpid());
	if (guest_create_vm(kvm, &g))
		fail("KVM_CREATE_VM(KVM_VM_PPC_HV)");
	make_slots(g.vm, slots, NSLOTS);
	for (i = 0; i < NTABLES; i++) {
		struct table *t = &tables[i];

		t->fd = make_tce_table(g.vm, t->liobn, t->page_shift, t->offset, t->size,
				       PROT_READ, &t->map);
		t->model = calloc(t->size, sizeof(*t->model));
		t->allocated = calloc(t->size / (host_page / 8) + 1, 1);
		if (!t->model || !t->allocated)
			fail("the model of liobn 0x%" PRIx64, t->liobn);
	}
	for (i = 0; i < NHCALLS; i++)
		if (guest_enable_hcall(&g, hcalls[i].nr, 1))
			fail("KVM_CAP_PPC_ENABLE_HCALL %s", hcalls[i].name);
	guest_program(guest_va(CODE_GPA));
	ncalls = build_calls();
	if (guest_create_vcpu(kvm, &g, CODE_GPA, CALLS_GPA, ncalls))
		fail("the vcpu (KVM_CREATE_VCPU, KVM_CAP_PPC_PAPR, kvm_run, KVM_SET_REGS)");
	traced = trace_on();
	r = guest_run(&g, complete_hcall, NULL, &stop);
	if (r == -1)
		fail("KVM_RUN");
	if (r == -2) {
		errno = EPROTO;
		fail("exit reason %u (hcall 0x%llx) after %ld hcalls", g.run->exit_reason,
		     (unsigned long long)g.run->papr_hcall.nr, guest_issued(&g));
	}
	if (traced)
		guest_trace_put(GUEST_TRACE "tracing_on", "0");
	if (stop.ret || stop.record != ncalls) {
		errno = EIO;
		fail("the guest stopped at hcall record %" PRIu64 " of %zu: return code %" PRId64,
		     stop.record, ncalls, (int64_t)stop.ret);
	}
	printf("# guest: %" PRIu64 " hcalls issued, each returned H_SUCCESS\n", stop.issued);
	for (i = 0; i < NHCALLS; i++) {
		long virt = traced ? guest_trace_count(hcalls[i].trace) : -1;

		if (virt < 0)
			printf("# hcall %s issued %ld virtual_mode unknown userspace %ld\n",
			       hcalls[i].name, issued[i], by_user[i]);
		else
			printf("# hcall %s issued %ld virtual_mode %ld userspace %ld\n",
			       hcalls[i].name, issued[i], virt, by_user[i]);
	}
	for (i = 0; i < NTABLES; i++)
		read_back(&tables[i]);
	print_hostpages(slots, NSLOTS, 0);
	sleep(1);
	print_hostpages(slots, NSLOTS, 1);
	printf("READY\n");
	fflush(stdout);
	for (;;)
		pause();
}
