// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the real-mode demonstration (static, ppc64le), run on the patched
 * kernel booted as a POWER8 powernv host under QEMU: a minimal KVM-HV
 * virtual machine whose only vcpu issues H_PUT_TCE, H_PUT_TCE_INDIRECT or
 * H_STUFF_TCE many times on a KVM guest-view TCE table, then an unknown
 * hcall to stop.  Real-mode handlers
 * never reach virtual mode, so the kvm_hv:kvm_hcall_enter tracepoint (fired
 * for every hcall handled in virtual mode) counts those that were passed on;
 * the rest completed in real mode.  The table is read back through its mmap
 * to check what was written.  Prints "RM-HCALL ..." lines and powers off.
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

#define GUEST_RAM	(256UL << 20)
#define CODE_GPA	0x1000UL
#define LIOBN		0x1000
#define TCE_SHIFT	12
#define TCE_ENTRIES	1024
#define H_PUT_TCE	0x20
#define H_PUT_TCE_INDIRECT 0x128
#define H_STUFF_TCE	0x138
#define H_STOP		0x1234		/* unknown: goes to userspace */
#define LIST_GPA	0x10000UL	/* the guest's TCE list */
#define POISON		0xdead0000UL	/* a TCE without permission bits */

static void die(const char *what)
{
	printf("RM-HCALL FAIL %s: %s\n", what, strerror(errno));
	fflush(stdout);
	reboot(RB_POWER_OFF);
	exit(1);
}

/* O_TRUNC: that is what empties the trace buffer. */
static void put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	if (fd < 0 || write(fd, s, strlen(s)) < 0)
		die(path);
	close(fd);
}

/* Lines of the trace buffer: one per hcall handled in virtual mode. */
static long count_trace(const char *req)
{
	FILE *f = fopen("/sys/kernel/tracing/trace", "r");
	char line[512];
	long n = 0;

	if (!f)
		die("trace");
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && strstr(line, req))
			n++;
	fclose(f);
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

/* PowerPC instruction encodings, for the guest's few instructions. */
#define LI(rt, v)	(0x38000000u | (rt) << 21 | ((v) & 0xffff))
#define ADDI(rt, ra, v)	(0x38000000u | (rt) << 21 | (ra) << 16 | ((v) & 0xffff))
#define ORI(ra, rs, v)	(0x60000000u | (rs) << 21 | (ra) << 16 | ((v) & 0xffff))
#define RLWINM(ra, rs, sh, mb, me) \
	(0x54000000u | (rs) << 21 | (ra) << 16 | (sh) << 11 | (mb) << 6 | (me) << 1)
#define MR(ra, rs)	(0x7c000378u | (rs) << 21 | (ra) << 16 | (rs) << 11)
#define CMPW(ra, rb)	(0x7c000000u | (ra) << 16 | (rb) << 11)
#define BLT(off)	(0x41800000u | ((off) & 0xfffc))
#define B(off)		(0x48000000u | ((off) & 0x3fffffc))
#define SC1		0x44000022u

struct phase {
	const char *name;
	unsigned long hcall;	/* r3 */
	unsigned long args[4];	/* r4..r7 */
	int in_kernel;
	long ncalls;
	const char *trace;	/* how the tracepoint prints the hcall */
	int prefault;		/* allocate the table page before the run */
	int hugetlb;		/* guest RAM in 16M hugetlb pages */
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

/*
 * One virtual machine making @p->ncalls identical hcalls, with the
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
	struct kvm_userspace_memory_region slot = { 0 };
	struct kvm_enable_cap cap = { 0 };
	struct kvm_regs regs;
	struct kvm_run *run;
	long virt, wrong = 0, user = 0, i;
	int vm, vcpu, tfd;
	uint32_t *code;
	uint64_t *tbl;
	void *ram;
	int n = 0, loop;

	vm = ioctl(kvm, KVM_CREATE_VM, KVM_VM_PPC_HV);
	if (vm < 0)
		die("KVM_CREATE_VM(HV)");
	ram = mmap(NULL, GUEST_RAM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | (p->hugetlb ? MAP_HUGETLB : 0),
		   -1, 0);
	if (ram == MAP_FAILED)
		die("mmap");
	slot.memory_size = GUEST_RAM;
	slot.userspace_addr = (uintptr_t)ram;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot))
		die("KVM_SET_USER_MEMORY_REGION");
	tfd = ioctl(vm, KVM_CREATE_SPAPR_TCE_64, &tce);
	if (tfd < 0)
		die("KVM_CREATE_SPAPR_TCE_64");
	cap.cap = KVM_CAP_PPC_ENABLE_HCALL;
	cap.args[0] = p->hcall;
	cap.args[1] = p->in_kernel;
	if (ioctl(vm, KVM_ENABLE_CAP, &cap))
		die("KVM_CAP_PPC_ENABLE_HCALL");
	if (p->prefault) {
		volatile uint64_t *t = mmap(NULL, TCE_ENTRIES * 8, PROT_READ,
					    MAP_SHARED, tfd, 0);

		if (t == MAP_FAILED)
			die("mmap TCE table");
		(void)t[0];
		munmap((void *)t, TCE_ENTRIES * 8);
	}
	/* The list H_PUT_TCE_INDIRECT reads: big-endian TCEs. */
	tbl = (uint64_t *)((char *)ram + LIST_GPA);
	for (i = 0; i < 512; i++)
		tbl[i] = __builtin_bswap64((uint64_t)i << 12 | 3);

	/* r14 counts up to r15; r16..r20 are the hcall's r3..r7. */
	code = (uint32_t *)((char *)ram + CODE_GPA);
	loop = n;
	code[n++] = MR(3, 16);
	code[n++] = MR(4, 17);
	code[n++] = MR(5, 18);
	code[n++] = MR(6, 19);
	code[n++] = MR(7, 20);
	code[n++] = SC1;
	code[n++] = ADDI(14, 14, 1);
	code[n++] = CMPW(14, 15);
	code[n] = BLT((loop - n) * 4);
	n++;
	code[n++] = LI(3, H_STOP);
	code[n++] = SC1;
	code[n] = B(0);
	n++;

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU");
	/* HV KVM runs PAPR guests only (kvmppc_sanity_check()). */
	memset(&cap, 0, sizeof(cap));
	cap.cap = KVM_CAP_PPC_PAPR;
	if (ioctl(vcpu, KVM_ENABLE_CAP, &cap))
		die("KVM_CAP_PPC_PAPR");
	run = mmap(NULL, ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0),
		   PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");
	if (ioctl(vcpu, KVM_GET_REGS, &regs))
		die("KVM_GET_REGS");
	regs.pc = CODE_GPA;
	regs.msr = 0x8000000000001001ULL;	/* SF | ME | LE */
	regs.gpr[14] = 0;
	regs.gpr[15] = p->ncalls;
	regs.gpr[16] = p->hcall;
	for (i = 0; i < 4; i++)
		regs.gpr[17 + i] = p->args[i];
	if (ioctl(vcpu, KVM_SET_REGS, &regs))
		die("KVM_SET_REGS");

	put("/sys/kernel/tracing/trace", "");
	put("/sys/kernel/tracing/tracing_on", "1");
	printf("RM-HCALL %s: guest issues %ld hcall 0x%lx\n", p->name,
	       p->ncalls, p->hcall);
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) && errno != EINTR)
			die("KVM_RUN");
		if (run->exit_reason == KVM_EXIT_PAPR_HCALL &&
		    run->papr_hcall.nr == H_STOP)
			break;
		if (run->exit_reason == KVM_EXIT_PAPR_HCALL &&
		    run->papr_hcall.nr == H_PUT_TCE_INDIRECT) {
			/* What QEMU does when the kernel says H_TOO_HARD. */
			uint64_t *t = mmap(NULL, TCE_ENTRIES * 8,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   tfd, 0);
			uint64_t *l = (uint64_t *)((char *)ram +
						   run->papr_hcall.args[2]);
			unsigned long e = run->papr_hcall.args[1] >> TCE_SHIFT;

			if (t == MAP_FAILED)
				die("mmap TCE table");
			for (i = 0; i < (long)run->papr_hcall.args[3]; i++)
				t[e + i] = __builtin_bswap64(l[i]);
			munmap(t, TCE_ENTRIES * 8);
			run->papr_hcall.ret = 0;	/* H_SUCCESS */
			user++;
			continue;
		}
		if (run->exit_reason == KVM_EXIT_PAPR_HCALL &&
		    run->papr_hcall.nr == H_PUT_TCE && !p->in_kernel) {
			uint64_t *t = mmap(NULL, TCE_ENTRIES * 8,
					   PROT_READ | PROT_WRITE, MAP_SHARED,
					   tfd, 0);

			if (t == MAP_FAILED)
				die("mmap TCE table");
			t[run->papr_hcall.args[1] >> TCE_SHIFT] =
				run->papr_hcall.args[2];
			munmap(t, TCE_ENTRIES * 8);
			run->papr_hcall.ret = 0;	/* H_SUCCESS */
			user++;
			continue;
		}
		if (run->exit_reason == KVM_EXIT_PAPR_HCALL) {
			printf("RM-HCALL FAIL unexpected hcall 0x%llx (%llx %llx %llx %llx) after %ld calls, %ld in virtual mode\n",
			       (unsigned long long)run->papr_hcall.nr,
			       (unsigned long long)run->papr_hcall.args[0],
			       (unsigned long long)run->papr_hcall.args[1],
			       (unsigned long long)run->papr_hcall.args[2],
			       (unsigned long long)run->papr_hcall.args[3],
			       ioctl(vcpu, KVM_GET_REGS, &regs) ? -1L : (long)regs.gpr[14],
			       count_trace(p->trace));
			dump_trace();
			reboot(RB_POWER_OFF);
		}
		printf("RM-HCALL FAIL exit reason %u\n", run->exit_reason);
		reboot(RB_POWER_OFF);
	}
	put("/sys/kernel/tracing/tracing_on", "0");
	if (ioctl(vcpu, KVM_GET_REGS, &regs))
		die("KVM_GET_REGS");
	virt = count_trace(p->trace);

	tbl = mmap(NULL, TCE_ENTRIES * 8, PROT_READ, MAP_SHARED, tfd, 0);
	if (tbl == MAP_FAILED)
		die("mmap TCE table");
	for (i = 0; i < TCE_ENTRIES; i++)
		if (tbl[i] != expected(p, i))
			wrong++;
	printf("RM-HCALL %s: issued %ld, exits to virtual mode %ld, completed in real mode %ld, by userspace %ld; table entries wrong %ld of %d\n",
	       p->name, (long)regs.gpr[14], virt,
	       (long)regs.gpr[14] - virt, user, wrong, TCE_ENTRIES);
	munmap(tbl, TCE_ENTRIES * 8);
	munmap(ram, GUEST_RAM);
	close(tfd);
	close(vcpu);
	close(vm);
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
	 * that real mode can complete every call: here the 6.1 virtual-mode
	 * handler answers H_TOO_HARD, and this program completes the call,
	 * as QEMU would.
	 */
	{ "H_PUT_TCE_INDIRECT", H_PUT_TCE_INDIRECT,
	  { LIOBN, 0, LIST_GPA, 512 }, 1, 2000, "hcall=0x128 ", 1, 0 },
	/*
	 * The list in a 16M hugetlb page: real mode reads it through the
	 * huge host pte under kvm->mmu_lock, with no struct page involved,
	 * and completes the calls as for a small page.
	 */
	{ "H_PUT_TCE_INDIRECT-hugetlb", H_PUT_TCE_INDIRECT,
	  { LIOBN, 0, LIST_GPA, 512 }, 1, 200, "hcall=0x128 ", 1, 1 },
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
