/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvm-guest.h: a minimal KVM-HV virtual machine whose only vcpu runs a few
 * instructions of its own, written here, that issue a list of hcalls, then
 * an unknown hcall (GUEST_H_STOP) that goes to userspace and ends the run.
 * Shared by kernel/qemu/rm-hcall.c (the real-mode demonstration on the
 * patched kernel) and tests/e2e/kvm-hcall.c (the pnv8-hcall dumps), both
 * static ppc64le programs run as /init or from it on a POWER8 powernv host.
 *
 * The list lives in guest memory: struct guest_hcall records, r3..r7 of the
 * hcall and how many times to issue it.  The guest (real mode, 64-bit,
 * little-endian; MSR SF | ME | LE) issues each record's hcall that many
 * times and stops at the first that does not return H_SUCCESS (0).  At the
 * stop, r4 holds the number of hcalls issued, r5 the record it stopped at,
 * r6 the failing hcall's return code (0: every record done).
 *
 * Everything returns -1 with errno set on failure; the callers say what
 * failed in their own words.
 */
#ifndef TCE_KVM_GUEST_H
#define TCE_KVM_GUEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

/* PAPR's numbers (arch/powerpc/include/asm/hvcall.h). */
#define H_PUT_TCE		0x20
#define H_STUFF_TCE		0x138
#define H_PUT_TCE_INDIRECT	0x13C
#define GUEST_H_STOP	0x1234		/* unknown to KVM: goes to userspace */

/* One hcall of the list, as the guest reads it (host byte order: LE). */
struct guest_hcall {
	uint64_t r[5];		/* r3 (the hcall) .. r7 */
	uint64_t repeat;	/* times to issue it */
};

struct guest {
	int vm, vcpu;
	struct kvm_run *run;
};

/* What the guest said at GUEST_H_STOP. */
struct guest_stop {
	uint64_t issued;	/* hcalls issued, GUEST_H_STOP not counted */
	uint64_t record;	/* the record it stopped at (= the count when done) */
	uint64_t ret;		/* the return code that stopped it; 0 when done */
};

/* The guest's registers: record pointer, records left, repeats left of the
 * current record, hcalls issued, record index. */
#define GUEST_R_REC	14
#define GUEST_R_LEFT	15
#define GUEST_R_REP	16
#define GUEST_R_ISSUED	17
#define GUEST_R_INDEX	18

/* PowerPC instruction encodings, for the guest's few instructions. */
#define GI_LI(rt, v)		(0x38000000u | (rt) << 21 | ((v) & 0xffff))
#define GI_ADDI(rt, ra, v)	(0x38000000u | (rt) << 21 | (ra) << 16 | ((v) & 0xffff))
#define GI_MR(ra, rs)		(0x7c000378u | (rs) << 21 | (ra) << 16 | (rs) << 11)
#define GI_LD(rt, ra, ds)	(0xe8000000u | (rt) << 21 | (ra) << 16 | ((ds) & 0xfffc))
#define GI_CMPDI(ra, v)		(0x2c200000u | (ra) << 16 | ((v) & 0xffff))
#define GI_BEQ(off)		(0x41820000u | ((off) & 0xfffc))
#define GI_BNE(off)		(0x40820000u | ((off) & 0xfffc))
#define GI_B(off)		(0x48000000u | ((off) & 0x3fffffc))
#define GI_SC1			0x44000022u

/*
 * Writes the guest's program at @code (guest memory seen by the host) and
 * returns its length in bytes (under 128).
 */
static inline size_t guest_program(uint32_t *code)
{
	enum { LOOP = 0, AGAIN = 3, NEXT = 16, FAIL = 20, DONE = 22, STOP = 23 };
	int n = 0;

#define GI_TO(label)	(((label) - n) * 4)
	code[n++] = GI_CMPDI(GUEST_R_LEFT, 0);			/* LOOP */
	code[n] = GI_BEQ(GI_TO(DONE)); n++;
	code[n++] = GI_LD(GUEST_R_REP, GUEST_R_REC, 40);
	code[n++] = GI_CMPDI(GUEST_R_REP, 0);			/* AGAIN */
	code[n] = GI_BEQ(GI_TO(NEXT)); n++;
	code[n++] = GI_LD(3, GUEST_R_REC, 0);
	code[n++] = GI_LD(4, GUEST_R_REC, 8);
	code[n++] = GI_LD(5, GUEST_R_REC, 16);
	code[n++] = GI_LD(6, GUEST_R_REC, 24);
	code[n++] = GI_LD(7, GUEST_R_REC, 32);
	code[n++] = GI_SC1;
	code[n++] = GI_ADDI(GUEST_R_ISSUED, GUEST_R_ISSUED, 1);
	code[n++] = GI_CMPDI(3, 0);
	code[n] = GI_BNE(GI_TO(FAIL)); n++;
	code[n++] = GI_ADDI(GUEST_R_REP, GUEST_R_REP, -1);
	code[n] = GI_B(GI_TO(AGAIN)); n++;
	code[n++] = GI_ADDI(GUEST_R_REC, GUEST_R_REC, 48);	/* NEXT */
	code[n++] = GI_ADDI(GUEST_R_LEFT, GUEST_R_LEFT, -1);
	code[n++] = GI_ADDI(GUEST_R_INDEX, GUEST_R_INDEX, 1);
	code[n] = GI_B(GI_TO(LOOP)); n++;
	code[n++] = GI_MR(6, 3);				/* FAIL */
	code[n] = GI_B(GI_TO(STOP)); n++;
	code[n++] = GI_LI(6, 0);				/* DONE */
	code[n++] = GI_MR(4, GUEST_R_ISSUED);			/* STOP */
	code[n++] = GI_MR(5, GUEST_R_INDEX);
	code[n++] = GI_LI(3, GUEST_H_STOP);
	code[n++] = GI_SC1;
	code[n] = GI_B(0); n++;
#undef GI_TO
	return n * sizeof(*code);
}

/* A KVM-HV virtual machine, no memory yet. */
static inline int guest_create_vm(int kvm, struct guest *g)
{
	memset(g, 0, sizeof(*g));
	g->vcpu = -1;
	g->vm = ioctl(kvm, KVM_CREATE_VM, KVM_VM_PPC_HV);
	return g->vm < 0 ? -1 : 0;
}

static inline int guest_add_memslot(struct guest *g, uint32_t slot, uint64_t gpa,
				    uint64_t size, void *ua)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)ua,
	};

	return ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &r);
}

/* Lets KVM handle @hcall in the kernel (1) or pass it to userspace (0). */
static inline int guest_enable_hcall(struct guest *g, unsigned long hcall, int in_kernel)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_PPC_ENABLE_HCALL, .args = { hcall, in_kernel },
	};

	return ioctl(g->vm, KVM_ENABLE_CAP, &cap);
}

/*
 * The vcpu, ready to run the program at @pc over @ncalls records at
 * @calls_gpa.  The program and the records must be in guest memory first.
 */
static inline int guest_create_vcpu(int kvm, struct guest *g, uint64_t pc,
				    uint64_t calls_gpa, uint64_t ncalls)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_PPC_PAPR };
	struct kvm_regs regs;
	int size;

	g->vcpu = ioctl(g->vm, KVM_CREATE_VCPU, 0);
	if (g->vcpu < 0)
		return -1;
	/* HV KVM runs PAPR guests only (kvmppc_sanity_check()). */
	if (ioctl(g->vcpu, KVM_ENABLE_CAP, &cap))
		return -1;
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < 0)
		return -1;
	g->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	if (g->run == MAP_FAILED)
		return -1;
	if (ioctl(g->vcpu, KVM_GET_REGS, &regs))
		return -1;
	regs.pc = pc;
	regs.msr = 0x8000000000001001ULL;	/* SF | ME | LE */
	regs.gpr[GUEST_R_REC] = calls_gpa;
	regs.gpr[GUEST_R_LEFT] = ncalls;
	regs.gpr[GUEST_R_REP] = 0;
	regs.gpr[GUEST_R_ISSUED] = 0;
	regs.gpr[GUEST_R_INDEX] = 0;
	return ioctl(g->vcpu, KVM_SET_REGS, &regs);
}

/* The hcalls issued so far (for a report in the middle of a run). */
static inline long guest_issued(struct guest *g)
{
	struct kvm_regs regs;

	return ioctl(g->vcpu, KVM_GET_REGS, &regs) ? -1L : (long)regs.gpr[GUEST_R_ISSUED];
}

/*
 * Runs the vcpu until GUEST_H_STOP (then 0, @stop filled).  Every other
 * exit goes to @exit_fn, which completes it (sets what KVM_RUN needs, e.g.
 * run->papr_hcall.ret) and returns 0, or returns -1: then this returns -2
 * and the caller reads g->run.  -1 (errno) when KVM_RUN fails.
 */
static inline int guest_run(struct guest *g, int (*exit_fn)(struct guest *, void *),
			    void *ctx, struct guest_stop *stop)
{
	struct kvm_run *run = g->run;

	for (;;) {
		if (ioctl(g->vcpu, KVM_RUN, 0) && errno != EINTR)
			return -1;
		if (run->exit_reason == KVM_EXIT_PAPR_HCALL &&
		    run->papr_hcall.nr == GUEST_H_STOP) {
			stop->issued = run->papr_hcall.args[0];
			stop->record = run->papr_hcall.args[1];
			stop->ret = run->papr_hcall.args[2];
			return 0;
		}
		if (!exit_fn || exit_fn(g, ctx))
			return -2;
	}
}

static inline void guest_close(struct guest *g)
{
	if (g->vcpu >= 0)
		close(g->vcpu);
	close(g->vm);
}

/*
 * The kvm_hv:kvm_hcall_enter tracepoint fires for every hcall KVM handles
 * in virtual mode, never for one completed in real mode: counting its lines
 * tells the two apart.  O_TRUNC on the trace file is what empties it.
 */
#define GUEST_TRACE	"/sys/kernel/tracing/"

static inline int guest_trace_put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	int ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, s, strlen(s)) < 0)
		ret = -1;
	close(fd);
	return ret;
}

/* Lines of the trace buffer that contain @req (one per virtual-mode hcall). */
static inline long guest_trace_count(const char *req)
{
	FILE *f = fopen(GUEST_TRACE "trace", "r");
	char line[512];
	long n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && strstr(line, req))
			n++;
	fclose(f);
	return n;
}

#endif /* TCE_KVM_GUEST_H */
