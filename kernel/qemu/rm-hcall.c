// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the real-mode demonstration (static, ppc64le), run on the patched
 * kernel booted as a POWER8 powernv host under QEMU: a minimal KVM-HV
 * virtual machine (kvm-guest.h, shared with tests/e2e/kvm-hcall.c) whose
 * only vcpu issues H_PUT_TCE, H_PUT_TCE_INDIRECT or H_STUFF_TCE many times
 * on a KVM guest-view TCE table, then an unknown hcall to stop.  Real-mode handlers
 * never reach virtual mode, so the kvm_hv:kvm_hcall_enter tracepoint (fired
 * for every hcall handled in virtual mode) counts those that were passed on;
 * the rest completed in real mode.  The table is read back through its mmap
 * to check what was written.  The last phase puts the NIC's VFIO group
 * behind the LIOBN (vfio-nic.h; needs the patched kernel's powerpc
 * iommu_ops): real mode passes those calls on, and the hardware table is
 * checked to map the guest's page.  Prints "RM-HCALL ..." lines and powers
 * off.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <linux/vfio.h>
#include "kvm-guest.h"
#include "vfio-nic.h"

#define GUEST_RAM	(256UL << 20)
#define CODE_GPA	0x1000UL
#define CALLS_GPA	0x2000UL	/* the guest's one hcall record */
#define LIOBN		0x1000
#define TCE_SHIFT	12
#define TCE_ENTRIES	1024
#define LIST_GPA	0x10000UL	/* the guest's TCE list */
#define POISON		0xdead0000UL	/* a TCE without permission bits */
#define VFIO_PREREG	(16UL << 20)	/* guest RAM preregistered for VFIO */

static void die(const char *what)
{
	printf("RM-HCALL FAIL %s: %s\n", what, strerror(errno));
	fflush(stdout);
	reboot(RB_POWER_OFF);
	exit(1);
}

static void put(const char *path, const char *s)
{
	if (guest_trace_put(path, s))
		die(path);
}

/* Lines of the trace buffer: one per hcall handled in virtual mode. */
static long count_trace(const char *req)
{
	long n = guest_trace_count(req);

	if (n < 0)
		die("trace");
	return n;
}

static void dump_trace(void)
{
	FILE *f = fopen("/sys/kernel/tracing/trace", "r");
	char line[512];

	while (f && fgets(line, sizeof(line), f))
		if (line[0] != '#')
			printf("RM-HCALL trace %s", line);
	if (f)
		fclose(f);
}

struct phase {
	const char *name;
	unsigned long hcall;	/* r3 */
	unsigned long args[4];	/* r4..r7 */
	int in_kernel;
	long ncalls;
	const char *trace;	/* how the tracepoint prints the hcall */
	int prefault;		/* allocate the table page before the run */
	int hugetlb;		/* guest RAM in 16M hugetlb pages */
	int vfio;		/* the NIC's VFIO group behind the LIOBN */
};

/* What the table must hold afterwards, entry @i. */
static uint64_t expected(const struct phase *p, long i)
{
	switch (p->hcall) {
	case H_PUT_TCE:
		return i == (long)(p->args[1] >> TCE_SHIFT) ? p->args[2] : 0;
	case H_PUT_TCE_INDIRECT:
		return i < 512 ? ((uint64_t)i << 12 | 3) : 0;
	default:
		return i < (long)p->args[3] ? p->args[2] : 0;
	}
}

/* What run_phase()'s exits need: the phase, the guest's memory, the table. */
struct phase_run {
	const struct phase *p;
	void *ram;
	int tfd;
	long user;	/* hcalls this program completed */
};

/*
 * A TCE hcall the kernel passed to userspace: completed here, as QEMU would
 * (H_PUT_TCE in the control phase; H_PUT_TCE_INDIRECT should the kernel
 * answer H_TOO_HARD, counted "by userspace").  Anything else is reported,
 * and the machine stops.
 */
static int phase_exit(struct guest *g, void *ctx)
{
	struct phase_run *pr = ctx;
	struct kvm_run *run = g->run;
	uint64_t *t;
	long i;

	if (run->exit_reason != KVM_EXIT_PAPR_HCALL) {
		printf("RM-HCALL FAIL exit reason %u\n", run->exit_reason);
		reboot(RB_POWER_OFF);
		return -1;
	}
	if (run->papr_hcall.nr != H_PUT_TCE_INDIRECT &&
	    (run->papr_hcall.nr != H_PUT_TCE || pr->p->in_kernel)) {
		printf("RM-HCALL FAIL unexpected hcall 0x%llx (%llx %llx %llx %llx) after %ld calls, %ld in virtual mode\n",
		       (unsigned long long)run->papr_hcall.nr,
		       (unsigned long long)run->papr_hcall.args[0],
		       (unsigned long long)run->papr_hcall.args[1],
		       (unsigned long long)run->papr_hcall.args[2],
		       (unsigned long long)run->papr_hcall.args[3],
		       guest_issued(g), count_trace(pr->p->trace));
		dump_trace();
		reboot(RB_POWER_OFF);
		return -1;
	}
	t = mmap(NULL, TCE_ENTRIES * 8, PROT_READ | PROT_WRITE, MAP_SHARED,
		 pr->tfd, 0);
	if (t == MAP_FAILED)
		die("mmap TCE table");
	if (run->papr_hcall.nr == H_PUT_TCE_INDIRECT) {
		uint64_t *l = (uint64_t *)((char *)pr->ram +
					   run->papr_hcall.args[2]);
		unsigned long e = run->papr_hcall.args[1] >> TCE_SHIFT;

		for (i = 0; i < (long)run->papr_hcall.args[3]; i++)
			t[e + i] = __builtin_bswap64(l[i]);
	} else {
		t[run->papr_hcall.args[1] >> TCE_SHIFT] = run->papr_hcall.args[2];
	}
	munmap(t, TCE_ENTRIES * 8);
	run->papr_hcall.ret = 0;	/* H_SUCCESS */
	pr->user++;
	return 0;
}

/* The NIC's VFIO group as vfio_attach() leaves it. */
struct vfio_attach {
	int container, group, dev;
};

/*
 * The NIC's VFIO group behind the guest's LIOBN, as QEMU sets up a
 * passed-through device on a POWER8 host: a SPAPR TCE v2 container with
 * the first VFIO_PREREG of guest RAM preregistered and its default window
 * (4K IOMMU pages from bus address 0, like the KVM table), and the
 * kvm-vfio device told that the group's table sits behind @tfd
 * (KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE).  From then on an H_PUT_TCE on the
 * LIOBN must update the hardware table too.
 */
static void vfio_attach(struct guest *g, int tfd, void *ram,
			struct vfio_attach *va)
{
	struct vfio_iommu_spapr_register_memory reg = {
		.argsz = sizeof(reg), .vaddr = (uintptr_t)ram,
		.size = VFIO_PREREG,
	};
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .iova = 0, .size = 1UL << TCE_SHIFT,
	};
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
	struct kvm_device_attr attr = { .group = KVM_DEV_VFIO_GROUP };
	struct kvm_vfio_spapr_tce st;
	char nic[256], dev[64];

	if (vfio_nic_find(nic, sizeof(nic)))
		die("no e1000e on the PCI bus");
	if (vfio_nic_bind(nic, "vfio-pci"))
		die("vfio-pci did not take the NIC");
	if (vfio_nic_group(nic, dev, sizeof(dev)))
		die("the NIC's iommu_group");
	va->container = open("/dev/vfio/vfio", O_RDWR);
	if (va->container < 0)
		die("/dev/vfio/vfio");
	va->group = open(dev, O_RDWR);
	if (va->group < 0)
		die(dev);
	if (ioctl(va->group, VFIO_GROUP_SET_CONTAINER, &va->container))
		die("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(va->container, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU))
		die("VFIO_SET_IOMMU");
	if (ioctl(va->container, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg))
		die("VFIO_IOMMU_SPAPR_REGISTER_MEMORY");
	/* v2 makes the default window on first use: this maps nothing. */
	if (ioctl(va->container, VFIO_IOMMU_UNMAP_DMA, &unmap))
		die("VFIO_IOMMU_UNMAP_DMA");
	if (ioctl(g->vm, KVM_CREATE_DEVICE, &cd))
		die("KVM_CREATE_DEVICE(VFIO)");
	va->dev = cd.fd;
	attr.attr = KVM_DEV_VFIO_GROUP_ADD;
	attr.addr = (uintptr_t)&va->group;
	if (ioctl(va->dev, KVM_SET_DEVICE_ATTR, &attr))
		die("KVM_DEV_VFIO_GROUP_ADD");
	st.groupfd = va->group;
	st.tablefd = tfd;
	attr.attr = KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE;
	attr.addr = (uintptr_t)&st;
	if (ioctl(va->dev, KVM_SET_DEVICE_ATTR, &attr))
		die("KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE");
	printf("RM-HCALL vfio: %s (%s) behind LIOBN 0x%x, %lu MiB of guest RAM preregistered\n",
	       nic, dev, LIOBN, VFIO_PREREG >> 20);
	/*
	 * Every write of a hardware TCE goes through
	 * iommu_tce_xchg_no_kill(mm, tbl, entry, &hpa, &dir): a kprobe
	 * event records the entry and the host physical address written.
	 */
	put(GUEST_TRACE "kprobe_events",
	    "p:tce/xchg iommu_tce_xchg_no_kill entry=%r5:u64 hpa=+0(%r6):x64\n");
	put(GUEST_TRACE "events/tce/xchg/enable", "1");
}

/*
 * After the run: how many times the hardware table's entry for the guest's
 * TCE was written with the host physical address of the guest page it
 * names (its 4K IOMMU page inside the host page /proc/self/pagemap gives).
 */
static long vfio_mapped(const struct phase *p, void *ram)
{
	unsigned long gpa = p->args[2] & ~0xfffUL;
	unsigned long entry = p->args[1] >> TCE_SHIFT;
	uint64_t pfn = host_pfn((char *)ram + gpa);
	unsigned long hpa = pfn * getpagesize() + gpa % getpagesize();
	char req[96];

	put(GUEST_TRACE "events/tce/xchg/enable", "0");
	snprintf(req, sizeof(req), "entry=%lu hpa=0x%lx", entry, hpa);
	printf("RM-HCALL %s: guest page 0x%lx is host pfn 0x%llx: expect %s\n",
	       p->name, gpa, (unsigned long long)pfn, req);
	return pfn ? count_trace(req) : 0;
}

/*
 * One virtual machine making @p->ncalls identical hcalls (kvm-guest.h's
 * guest, one record), with the
 * in-kernel handlers on or (the control, H_PUT_TCE only) off, in which case
 * every call exits to this program, which completes it: that shows the
 * tracepoint counting each call that leaves real mode.
 */
static void run_phase(int kvm, const struct phase *p)
{
	struct kvm_create_spapr_tce_64 tce = {
		.liobn = LIOBN, .page_shift = TCE_SHIFT, .offset = 0,
		.size = TCE_ENTRIES, .flags = 0,
	};
	struct phase_run pr = { .p = p };
	struct vfio_attach va;
	struct guest_hcall *call;
	struct guest_stop stop;
	struct guest g;
	long virt, wrong = 0, i;
	uint64_t *tbl;
	void *ram;

	if (guest_create_vm(kvm, &g))
		die("KVM_CREATE_VM(HV)");
	ram = mmap(NULL, GUEST_RAM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | (p->hugetlb ? MAP_HUGETLB : 0),
		   -1, 0);
	if (ram == MAP_FAILED)
		die("mmap");
	if (guest_add_memslot(&g, 0, 0, GUEST_RAM, ram))
		die("KVM_SET_USER_MEMORY_REGION");
	pr.ram = ram;
	pr.tfd = ioctl(g.vm, KVM_CREATE_SPAPR_TCE_64, &tce);
	if (pr.tfd < 0)
		die("KVM_CREATE_SPAPR_TCE_64");
	if (guest_enable_hcall(&g, p->hcall, p->in_kernel))
		die("KVM_CAP_PPC_ENABLE_HCALL");
	if (p->vfio)
		vfio_attach(&g, pr.tfd, ram, &va);
	if (p->prefault) {
		volatile uint64_t *t = mmap(NULL, TCE_ENTRIES * 8, PROT_READ,
					    MAP_SHARED, pr.tfd, 0);

		if (t == MAP_FAILED)
			die("mmap TCE table");
		(void)t[0];
		munmap((void *)t, TCE_ENTRIES * 8);
	}
	/* The list H_PUT_TCE_INDIRECT reads: big-endian TCEs. */
	tbl = (uint64_t *)((char *)ram + LIST_GPA);
	for (i = 0; i < 512; i++)
		tbl[i] = __builtin_bswap64((uint64_t)i << 12 | 3);

	guest_program((uint32_t *)((char *)ram + CODE_GPA));
	call = (struct guest_hcall *)((char *)ram + CALLS_GPA);
	call->r[0] = p->hcall;
	for (i = 0; i < 4; i++)
		call->r[1 + i] = p->args[i];
	call->repeat = p->ncalls;
	if (guest_create_vcpu(kvm, &g, CODE_GPA, CALLS_GPA, 1))
		die("KVM_CREATE_VCPU, KVM_CAP_PPC_PAPR, mmap kvm_run or KVM_SET_REGS");

	put("/sys/kernel/tracing/trace", "");
	put("/sys/kernel/tracing/tracing_on", "1");
	printf("RM-HCALL %s: guest issues %ld hcall 0x%lx\n", p->name,
	       p->ncalls, p->hcall);
	if (guest_run(&g, phase_exit, &pr, &stop))
		die("KVM_RUN");
	put("/sys/kernel/tracing/tracing_on", "0");
	virt = count_trace(p->trace);
	if (stop.ret)
		printf("RM-HCALL FAIL %s: hcall %ld returned %lld\n", p->name,
		       (long)stop.issued, (long long)stop.ret);

	tbl = mmap(NULL, TCE_ENTRIES * 8, PROT_READ, MAP_SHARED, pr.tfd, 0);
	if (tbl == MAP_FAILED)
		die("mmap TCE table");
	for (i = 0; i < TCE_ENTRIES; i++)
		if (tbl[i] != expected(p, i))
			wrong++;
	printf("RM-HCALL %s: issued %ld, exits to virtual mode %ld, completed in real mode %ld, by userspace %ld; table entries wrong %ld of %d\n",
	       p->name, (long)stop.issued, virt,
	       (long)stop.issued - virt, pr.user, wrong, TCE_ENTRIES);
	munmap(tbl, TCE_ENTRIES * 8);
	if (p->vfio) {
		long xchg = vfio_mapped(p, ram);

		printf("RM-HCALL %s: hardware table entry written %ld times with the guest page's host address\n",
		       p->name, xchg);
		if (xchg != stop.issued)
			printf("RM-HCALL FAIL %s: %ld of %ld hcalls wrote the hardware table\n",
			       p->name, xchg, (long)stop.issued);
	}
	close(pr.tfd);
	guest_close(&g);
	if (p->vfio) {
		close(va.dev);
		close(va.group);
		close(va.container);
	}
	munmap(ram, GUEST_RAM);
}

static const struct phase phases[] = {
	{ "H_PUT_TCE", H_PUT_TCE, { LIOBN, 5 << TCE_SHIFT, 5 << 12 | 3 },
	  1, 20000, "hcall=H_PUT_TCE ", 0, 0 },
	{ "H_STUFF_TCE", H_STUFF_TCE, { LIOBN, 0, POISON, 512 },
	  1, 2000, "hcall=H_STUFF_TCE ", 0, 0 },
	{ "control", H_PUT_TCE, { LIOBN, 5 << TCE_SHIFT, 5 << 12 | 3 },
	  0, 2000, "hcall=H_PUT_TCE ", 0, 0 },
	/*
	 * The table page is allocated first (through the table's mmap) so
	 * that real mode can complete every call: real mode does not
	 * allocate, it passes the first call to virtual mode.
	 */
	{ "H_PUT_TCE_INDIRECT", H_PUT_TCE_INDIRECT,
	  { LIOBN, 0, LIST_GPA, 512 }, 1, 2000, "hcall=H_PUT_TCE_INDIRECT ", 1, 0 },
	/*
	 * The list in a 16M hugetlb page: real mode reads it through the
	 * huge host pte under kvm->mmu_lock, with no struct page involved,
	 * and completes the calls as for a small page.
	 */
	{ "H_PUT_TCE_INDIRECT-hugetlb", H_PUT_TCE_INDIRECT,
	  { LIOBN, 0, LIST_GPA, 512 }, 1, 200, "hcall=H_PUT_TCE_INDIRECT ", 1, 1 },
	/*
	 * The NIC's VFIO group behind the LIOBN (the seed's case): real mode
	 * answers H_TOO_HARD for a table with a VFIO group, and the
	 * virtual-mode handler maps the page into the hardware table too.
	 */
	{ "H_PUT_TCE-vfio", H_PUT_TCE, { LIOBN, 5 << TCE_SHIFT, 5 << 12 | 3 },
	  1, 2000, "hcall=H_PUT_TCE ", 0, 0, 1 },
};

/*
 * The KUnit suites of the series, when the initramfs has them: run here,
 * on a powernv KVM-HV host where hcall_real_table is live, before the
 * guests.  Their KTAP goes to the console for run-rm-hcall.py.
 */
static void load_kunit(void)
{
	static const char *const mods[] = {
		"/realmode_page_test.ko", "/book3s_64_vio_hv_test.ko",
	};
	size_t i;

	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		int fd = open(mods[i], O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			continue;
		if (syscall(SYS_finit_module, fd, "", 0))
			printf("RM-HCALL FAIL loading %s: %s\n", mods[i],
			       strerror(errno));
		close(fd);
	}
}

int main(void)
{
	size_t i;
	int kvm;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	load_kunit();
	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0)
		die("/dev/kvm");
	put("/proc/sys/vm/nr_hugepages", "20");
	put("/sys/kernel/tracing/events/kvm_hv/kvm_hcall_enter/enable", "1");
	put("/sys/kernel/tracing/events/kvm_hv/kvm_hcall_exit/enable", "1");
	for (i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
		run_phase(kvm, &phases[i]);
	printf("RM-HCALL DONE\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 0;
}
