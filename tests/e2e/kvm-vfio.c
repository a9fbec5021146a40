// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kvm-vfio: KVM guest-view TCE tables with VFIO groups attached, written by a real guest,
 * so that KVM writes each guest TCE into the hardware tables behind its LIOBN too
 * (kvmppc_tce_iommu_map()).  Run as root from the initramfs of a POWER8 powernv host (the
 * project's patched 6.1, patched-kernel.sh: KVM-HV, VFIO and vfio-pci built in; Debian's
 * 6.1 makes no VFIO group on powerpc, FIELD-NOTES §8) under QEMU, after the recipe's setup
 * has handed three e1000e on three PHBs to vfio-pci; built by mkdump.sh with
 * powerpc64le-linux-gnu-gcc -static.
 *
 * It makes a KVM-HV virtual machine with one memslot over anonymous memory (every page
 * touched: the whole slot is preregistered, which pins every page), three SPAPR TCE v2
 * containers, each with one of the three groups (sorted by device name), the slot's memory
 * preregistered in each (VFIO_IOMMU_SPAPR_REGISTER_MEMORY: one region the kernel shares),
 * each container's default window (4K IOMMU pages from bus address 0) and in the first a
 * dynamic window (VFIO_IOMMU_SPAPR_TCE_CREATE: 64K IOMMU pages, two levels), and four
 * KVM_CREATE_SPAPR_TCE_64 tables: LIOBN 0x80000001 (4K pages from 0) with the first two
 * containers' default windows attached (KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE twice: two
 * entries on its stt->iommu_tables), LIOBN 0x80000002 (64K pages over the dynamic window)
 * with the first group's dynamic window attached, LIOBN 0x80000003 with nothing attached,
 * and LIOBN 0x80000004 (64K pages from 0) with the third group's default window attached:
 * KVM writes each of its TCEs as 16 hardware entries of 4K (kvmppc_tce_iommu_map()'s
 * subpages).  Its only vcpu (kernel/qemu/kvm-guest.h) issues H_PUT_TCE, H_PUT_TCE_INDIRECT
 * and H_STUFF_TCE on them in the kernel; with a group attached the patched kernel's real
 * mode passes each to virtual mode, which writes the guest view and every attached
 * hardware table.  Each hcall must return H_SUCCESS.
 *
 * Then it reads each guest view back through the table's mmap, requires every entry to be
 * what the guest asked for, and prints the truth: kvm-hcall.c's lines (kvm-truth.h: kvm,
 * memslot, table, tcepage, entry, hostpage, "# hcall" counts), then
 *   group    n (decimal) dev (PCI name) path (/dev/vfio/N) container (decimal)
 *   window   group (decimal) num (decimal: 0 the default window) start size page_shift
 *            (decimal) levels (decimal)
 *   attach   liobn group (decimal) window (decimal)
 *   hwentry  liobn group (decimal) window (decimal) bus index (bus >> page_shift) ua pfn
 *            raw (what the hardware entry must hold: the host address of the guest page
 *            | 1 read, | 3 for write-only and read-write: pnv_tce_xchg adds read)
 *                                        (every IOMMU page a valid guest TCE covers)
 *   READY                                (then it pause()s)
 * A failure prints "ERROR what: why" and exits 1.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <linux/vfio.h>
#include "kvm-truth.h"
#include "kvm-guest.h"

#define CODE_GPA	0x1000ULL
#define CALLS_GPA	0x4000ULL
#define MAX_CALLS	128
#define LIST_GPA	0x21000ULL
#define MAX_LISTS	15
#define LIST_MAX	512
#define CYCLE		4		/* perm 1 + i % 3 */
#define NGROUPS		3
#define DDW_SHIFT	16
#define DDW_SIZE	(1ULL << 30)
#define DDW_LEVELS	2

static struct memslot slots[] = {
	{ .slot = 0, .gpa = 0, .size = 32 * MiB, .touched = 32 * MiB },
};

#define NSLOTS (sizeof(slots) / sizeof(slots[0]))

struct window {
	uint64_t start, size;
	uint32_t page_shift, levels;
};

struct group {
	char dev[256], path[600];
	int fd, container;
	struct window win[2];
	int nwin;
};

static struct group groups[NGROUPS];

struct table {
	uint64_t liobn;
	uint32_t page_shift;
	uint64_t offset;	/* in IOMMU pages; for the dynamic window: from its start */
	uint64_t size;
	int group[NGROUPS], window[NGROUPS], nattach;
	int fd;
	uint64_t *map, *model;
	uint8_t *allocated;
};

static struct table tables[] = {
	{ .liobn = 0x80000001, .page_shift = 12, .size = 0x8000,
	  .group = { 0, 1 }, .window = { 0, 0 }, .nattach = 2 },
	{ .liobn = 0x80000002, .page_shift = DDW_SHIFT, .size = 0x4000,
	  .group = { 0 }, .window = { 1 }, .nattach = 1 },
	{ .liobn = 0x80000003, .page_shift = 12, .size = 0x2000 },
	{ .liobn = 0x80000004, .page_shift = 16, .size = 0x800,
	  .group = { 2 }, .window = { 0 }, .nattach = 1 },
};

#define NTABLES (sizeof(tables) / sizeof(tables[0]))

enum op_kind { PUT, INDIRECT, STUFF };

struct op {
	enum op_kind kind;
	int table;
	uint64_t index, count, gpa, step, perm;
};

/* Every guest address lies in the preregistered slot: KVM refuses (H_TOO_HARD) a TCE
 * of an attached LIOBN whose page has no preregistered region */
static const struct op ops[] = {
	{ PUT, 0, 0, 16, 0x100000, 0x1000, CYCLE },
	{ PUT, 0, 0x100, 1, 0x180000, 0, RO },
	{ INDIRECT, 0, 0x2000, 256, 0x200000, 0x1000, CYCLE },	/* table page 1 */
	{ STUFF, 0, 0x2000 + 100, 50, 0, 0, 0 },
	{ PUT, 0, 0x4000, 1, 0x100000, 0, RW },			/* entry 0's page again */
	{ PUT, 0, 0x7fff, 1, 0x1f0000, 0, WO },			/* the last entry */
	{ INDIRECT, 1, 0, 64, 0x400000, 0x10000, RW },
	{ PUT, 1, 100, 4, 0x1000000, 0x10000, RO },
	{ STUFF, 1, 10, 4, 0, 0, 0 },
	{ PUT, 1, 0x3fff, 1, 0x100000, 0, WO },			/* entry 0's page in a third table */
	{ PUT, 2, 0, 8, 0x300000, 0x1000, CYCLE },
	/* 64K TCEs over 4K hardware pages */
	{ PUT, 3, 0, 4, 0x800000, 0x10000, CYCLE },
	{ INDIRECT, 3, 0x100, 16, 0x900000, 0x10000, RW },
	{ STUFF, 3, 0x102, 2, 0, 0, 0 },
};

#define NOPS (sizeof(ops) / sizeof(ops[0]))

static const struct {
	unsigned long nr;
	const char *name, *trace;
} hcalls[] = {
	{ H_PUT_TCE, "H_PUT_TCE", "hcall=H_PUT_TCE " },
	{ H_PUT_TCE_INDIRECT, "H_PUT_TCE_INDIRECT", "hcall=H_PUT_TCE_INDIRECT " },
	{ H_STUFF_TCE, "H_STUFF_TCE", "hcall=H_STUFF_TCE " },
};

#define NHCALLS (sizeof(hcalls) / sizeof(hcalls[0]))

static long issued[NHCALLS];

static int hcall_slot(unsigned long nr)
{
	size_t i;

	for (i = 0; i < NHCALLS; i++)
		if (hcalls[i].nr == nr)
			return i;
	return -1;
}

static void *guest_va(uint64_t gpa)
{
	return slots[0].ua + gpa;
}

static uint64_t tce_of(const struct op *o, uint64_t i)
{
	return (o->gpa + i * o->step) | (o->perm == CYCLE ? 1 + i % 3 : o->perm);
}

static void model_put(struct table *t, uint64_t idx, uint64_t tce)
{
	uint64_t page = idx / (host_page / 8);

	if (!t->allocated[page] && !tce)
		return;
	t->allocated[page] = 1;
	t->model[idx] = tce;
}

/* ---- VFIO: the groups vfio-pci holds, their containers and windows */

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_device(const struct dirent *de)
{
	return strchr(de->d_name, ':') != NULL;
}

static void open_groups(void)
{
	struct dirent **names;
	int n, i;

	n = scandir("/sys/bus/pci/drivers/vfio-pci", &names, is_device, by_name);
	if (n < NGROUPS) {
		errno = ENODEV;
		fail("vfio-pci holds %d devices, %d are needed", n < 0 ? 0 : n, NGROUPS);
	}
	for (i = 0; i < NGROUPS; i++) {
		struct group *g = &groups[i];
		char path[600], link[512];
		ssize_t len;

		snprintf(g->dev, sizeof(g->dev), "%s", names[i]->d_name);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%.200s/iommu_group", g->dev);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			fail("the iommu_group of %s", g->dev);
		link[len] = 0;
		snprintf(g->path, sizeof(g->path), "/dev/vfio/%s", strrchr(link, '/') + 1);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * Group @i in a container of its own: SPAPR TCE v2, slot 0 preregistered, the default
 * window made (v2 makes it on first use: an unmap of nothing), and for group 0 the
 * dynamic window.
 */
static void make_container(int i)
{
	struct group *g = &groups[i];
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
	struct vfio_iommu_spapr_register_memory reg = {
		.argsz = sizeof(reg), .vaddr = (uintptr_t)slots[0].ua, .size = slots[0].size,
	};
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .iova = 0, .size = 0x1000,
	};

	g->container = open("/dev/vfio/vfio", O_RDWR);
	if (g->container < 0)
		fail("open /dev/vfio/vfio");
	g->fd = open(g->path, O_RDWR);
	if (g->fd < 0)
		fail("open %s (%s)", g->path, g->dev);
	if (ioctl(g->fd, VFIO_GROUP_SET_CONTAINER, &g->container))
		fail("VFIO_GROUP_SET_CONTAINER %s", g->path);
	if (ioctl(g->container, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU))
		fail("VFIO_SET_IOMMU(VFIO_SPAPR_TCE_v2_IOMMU) %s", g->path);
	if (ioctl(g->container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info))
		fail("VFIO_IOMMU_SPAPR_TCE_GET_INFO %s", g->path);
	if (ioctl(g->container, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg))
		fail("VFIO_IOMMU_SPAPR_REGISTER_MEMORY of slot 0 for %s", g->path);
	if (ioctl(g->container, VFIO_IOMMU_UNMAP_DMA, &unmap))
		fail("VFIO_IOMMU_UNMAP_DMA (the default window) %s", g->path);
	g->win[0] = (struct window){ info.dma32_window_start, info.dma32_window_size, 12, 1 };
	g->nwin = 1;
	if (i == 0) {
		struct vfio_iommu_spapr_tce_create cr = {
			.argsz = sizeof(cr), .page_shift = DDW_SHIFT, .window_size = DDW_SIZE,
			.levels = DDW_LEVELS,
		};

		if (ioctl(g->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr))
			fail("VFIO_IOMMU_SPAPR_TCE_CREATE (64K pages, %d levels) %s", DDW_LEVELS,
			     g->path);
		g->win[1] = (struct window){ cr.start_addr, DDW_SIZE, DDW_SHIFT, DDW_LEVELS };
		g->nwin = 2;
	}
	printf("group n=%d dev=%s path=%s container=%d\n", i, g->dev, g->path, i);
	for (int w = 0; w < g->nwin; w++)
		printf("window group=%d num=%d start=0x%" PRIx64 " size=0x%" PRIx64
		       " page_shift=%u levels=%u\n", i, w, g->win[w].start, g->win[w].size,
		       g->win[w].page_shift, g->win[w].levels);
}

/* The kvm-vfio device with every group, each table told its groups */
static void attach(int vm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
	struct kvm_device_attr attr = { .group = KVM_DEV_VFIO_GROUP };
	size_t i;
	int k;

	if (ioctl(vm, KVM_CREATE_DEVICE, &cd))
		fail("KVM_CREATE_DEVICE(KVM_DEV_TYPE_VFIO)");
	for (k = 0; k < NGROUPS; k++) {
		attr.attr = KVM_DEV_VFIO_GROUP_ADD;
		attr.addr = (uintptr_t)&groups[k].fd;
		if (ioctl(cd.fd, KVM_SET_DEVICE_ATTR, &attr))
			fail("KVM_DEV_VFIO_GROUP_ADD %s", groups[k].path);
	}
	for (i = 0; i < NTABLES; i++) {
		struct table *t = &tables[i];

		for (k = 0; k < t->nattach; k++) {
			struct kvm_vfio_spapr_tce st = {
				.groupfd = groups[t->group[k]].fd, .tablefd = t->fd,
			};

			attr.attr = KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE;
			attr.addr = (uintptr_t)&st;
			if (ioctl(cd.fd, KVM_SET_DEVICE_ATTR, &attr))
				fail("KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE liobn 0x%" PRIx64 " %s",
				     t->liobn, groups[t->group[k]].path);
			printf("attach liobn=0x%" PRIx64 " group=%d window=%d\n", t->liobn,
			       t->group[k], t->window[k]);
		}
	}
}

/* ---- the guest's hcalls */

static size_t build_calls(void)
{
	struct guest_hcall *calls = guest_va(CALLS_GPA);
	size_t n = 0, nlists = 0, k;
	uint64_t i, j;

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
			c->r[2] = (t->offset + o->index + i) << t->page_shift;
			switch (o->kind) {
			case PUT:
				c->r[0] = H_PUT_TCE;
				c->r[3] = tce_of(o, i);
				model_put(t, o->index + i, c->r[3]);
				break;
			case INDIRECT: {
				uint64_t *list = guest_va(LIST_GPA + nlists * 0x1000);

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
			case STUFF:
				c->r[0] = H_STUFF_TCE;
				c->r[4] = o->count;
				for (j = 0; j < o->count; j++)
					model_put(t, o->index + j, 0);
				break;
			}
			issued[hcall_slot(c->r[0])]++;
		}
	}
	return n;
}

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

/* ---- the truth */

/* The hardware entries entry @idx of @t (valid, @tce) must have made in every table
 * attached to it: one per IOMMU page of the guest's page */
static void print_hw(const struct table *t, uint64_t idx, uint64_t tce)
{
	uint64_t gpa = tce & ~3ULL, perm = (tce & TCE_WRITE) ? 3 : 1;
	int k;

	for (k = 0; k < t->nattach; k++) {
		const struct window *w = &groups[t->group[k]].win[t->window[k]];
		uint64_t sub = 1ULL << (t->page_shift - w->page_shift), s;

		for (s = 0; s < sub; s++) {
			uint64_t off = s << w->page_shift;
			uint8_t *ua = guest_va(gpa + off);
			int64_t pfn = pfn_of(ua);
			/* the window starts where the LIOBN does (the kernel attached it so) */
			uint64_t bus = ((t->offset + idx) << t->page_shift) + off;

			if (pfn < 0) {
				errno = EFAULT;
				fail("gpa 0x%" PRIx64 " has no host page, yet it is pinned", gpa + off);
			}
			printf("hwentry liobn=0x%" PRIx64 " group=%d window=%d bus=0x%" PRIx64
			       " index=0x%" PRIx64 " ua=%p pfn=0x%" PRIx64 " raw=0x%" PRIx64 "\n",
			       t->liobn, t->group[k], t->window[k], bus, bus >> w->page_shift,
			       (void *)ua, (uint64_t)pfn,
			       ((uint64_t)pfn * host_page + (uintptr_t)ua % host_page) | perm);
		}
	}
}

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
			if (!raw)
				continue;
			print_entry(slots, NSLOTS, t->liobn, t->page_shift, t->offset, i, t->map[i]);
			print_hw(t, i, raw);
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
	int kvm, traced, r;

	truth_open();
	if (host_page != 0x10000) {
		errno = EINVAL;
		fail("host pages of 0x%lx bytes: the guest's layout needs 64K", host_page);
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		fail("open /dev/kvm");
	printf("kvm api=%d spapr_tce_64=%d host_page=0x%lx pid=%d\n",
	       ioctl(kvm, KVM_GET_API_VERSION, 0),
	       ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_64), host_page, (int)getpid());
	if (guest_create_vm(kvm, &g))
		fail("KVM_CREATE_VM(KVM_VM_PPC_HV)");
	make_slots(g.vm, slots, NSLOTS);
	open_groups();
	for (i = 0; i < NGROUPS; i++)
		make_container(i);
	/* the 64K table lies over the dynamic window */
	tables[1].offset = groups[0].win[1].start >> DDW_SHIFT;
	for (i = 0; i < NTABLES; i++) {
		struct table *t = &tables[i];

		t->fd = make_tce_table(g.vm, t->liobn, t->page_shift, t->offset, t->size,
				       PROT_READ, &t->map);
		t->model = calloc(t->size, sizeof(*t->model));
		t->allocated = calloc(t->size / (host_page / 8) + 1, 1);
		if (!t->model || !t->allocated)
			fail("the model of liobn 0x%" PRIx64, t->liobn);
	}
	attach(g.vm);
	for (i = 0; i < NHCALLS; i++)
		if (guest_enable_hcall(&g, hcalls[i].nr, 1))
			fail("KVM_CAP_PPC_ENABLE_HCALL %s", hcalls[i].name);
	guest_program(guest_va(CODE_GPA));
	ncalls = build_calls();
	if (guest_create_vcpu(kvm, &g, CODE_GPA, CALLS_GPA, ncalls))
		fail("the vcpu (KVM_CREATE_VCPU, KVM_CAP_PPC_PAPR, kvm_run, KVM_SET_REGS)");
	traced = trace_on();
	/* every hcall completes in the kernel: an exit to userspace is an error */
	r = guest_run(&g, NULL, NULL, &stop);
	if (r == -1)
		fail("KVM_RUN");
	if (r == -2) {
		errno = EPROTO;
		fail("exit reason %u (hcall 0x%llx %llx %llx %llx) after %ld hcalls: the kernel "
		     "passed it to userspace", g.run->exit_reason,
		     (unsigned long long)g.run->papr_hcall.nr,
		     (unsigned long long)g.run->papr_hcall.args[0],
		     (unsigned long long)g.run->papr_hcall.args[1],
		     (unsigned long long)g.run->papr_hcall.args[2], guest_issued(&g));
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
			printf("# hcall %s issued %ld virtual_mode unknown userspace 0\n",
			       hcalls[i].name, issued[i]);
		else
			printf("# hcall %s issued %ld virtual_mode %ld userspace 0\n",
			       hcalls[i].name, issued[i], virt);
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
