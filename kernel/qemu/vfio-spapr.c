// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the VFIO demonstration (static, ppc64le), run on a powernv
 * machine under QEMU with an e1000e on pcie.0: hands the NIC to vfio-pci,
 * opens its group in a SPAPR TCE v2 container, preregisters memory
 * (VFIO_IOMMU_SPAPR_REGISTER_MEMORY) and maps it (VFIO_IOMMU_MAP_DMA) through
 * the default 32-bit window and through a 64K-page dynamic window
 * (VFIO_IOMMU_SPAPR_TCE_CREATE).  Prints "VFIO-SPAPR ..." lines, one per
 * step, with the host pfn behind each mapped page (from /proc/self/pagemap)
 * as the truth a dump reader can be checked against.  With "pause" on the
 * kernel command line (vfio_pause) it then waits, holding the container, so
 * that a dump has VFIO-owned tables, it_userspace and pinned prereg memory;
 * else it unregisters the memory, closes the container and the group (the
 * group's DMA ownership goes back to the platform) and checks that e1000e
 * takes the NIC again, then powers off.  Vanilla 6.1 stops at the first step: vfio-pci cannot
 * make a group for a device without iommu_ops (FIELD-NOTES section 8).
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
#include <unistd.h>
#include <linux/vfio.h>
#include "vfio-nic.h"

#define MEM_SIZE	(16UL << 20)
#define DDW_SHIFT	16
#define DDW_SIZE	(1UL << 30)

static void finish(int ok)
{
	printf("VFIO-SPAPR %s\n", ok ? "DONE" : "FAILED");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	exit(ok ? 0 : 1);
}

static void fail(const char *what)
{
	printf("VFIO-SPAPR FAIL %s: %s\n", what, strerror(errno));
	finish(0);
}

static void map(int container, void *va, uint64_t iova, uint64_t size,
		const char *window)
{
	struct vfio_iommu_type1_dma_map dm = {
		.argsz = sizeof(dm),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va,
		.iova = iova,
		.size = size,
	};
	uint64_t off;

	if (ioctl(container, VFIO_IOMMU_MAP_DMA, &dm))
		fail(window);
	printf("VFIO-SPAPR map %s iova 0x%llx size 0x%llx vaddr %p\n", window,
	       (unsigned long long)iova, (unsigned long long)size, va);
	for (off = 0; off < size; off += (uint64_t)getpagesize())
		printf("VFIO-SPAPR truth %s iova 0x%llx pfn 0x%llx\n", window,
		       (unsigned long long)(iova + off),
		       (unsigned long long)host_pfn((char *)va + off));
}

int main(void)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
	struct vfio_iommu_spapr_register_memory reg = { .argsz = sizeof(reg) };
	struct vfio_iommu_spapr_tce_create create = { .argsz = sizeof(create) };
	char nic[256], path[600], cmdline[1024] = "";
	int container, group, fd, pause_after;
	char *mem;
	ssize_t n;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open("/proc/cmdline", O_RDONLY);
	if (fd >= 0) {
		n = read(fd, cmdline, sizeof(cmdline) - 1);
		cmdline[n > 0 ? n : 0] = 0;
		close(fd);
	}
	pause_after = strstr(cmdline, "vfio_pause") != NULL;

	if (vfio_nic_find(nic, sizeof(nic)))
		fail("no e1000e on the PCI bus");
	printf("VFIO-SPAPR nic %s\n", nic);
	if (vfio_nic_bind(nic, "vfio-pci"))
		fail("vfio-pci did not take the NIC (no VFIO group: iommu_ops?)");
	if (vfio_nic_group(nic, path, sizeof(path)))
		fail("iommu_group");
	printf("VFIO-SPAPR group %s\n", path);

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		fail("/dev/vfio/vfio");
	if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		fail("VFIO_GET_API_VERSION");
	if (ioctl(container, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_v2_IOMMU) != 1)
		fail("no VFIO_SPAPR_TCE_v2_IOMMU");
	group = open(path, O_RDWR);
	if (group < 0)
		fail(path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		fail("group not viable");
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		fail("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU))
		fail("VFIO_SET_IOMMU");
	if (ioctl(container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info))
		fail("VFIO_IOMMU_SPAPR_TCE_GET_INFO");
	printf("VFIO-SPAPR info dma32 0x%x+0x%x ddw pgsizes 0x%llx windows %u levels %u\n",
	       info.dma32_window_start, info.dma32_window_size,
	       (unsigned long long)info.ddw.pgsizes,
	       info.ddw.max_dynamic_windows_supported, info.ddw.levels);

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED)
		fail("mmap");
	memset(mem, 0x5a, MEM_SIZE);
	reg.vaddr = (uintptr_t)mem;
	reg.size = MEM_SIZE;
	if (ioctl(container, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg))
		fail("VFIO_IOMMU_SPAPR_REGISTER_MEMORY");
	printf("VFIO-SPAPR prereg vaddr %p size 0x%lx\n", mem, MEM_SIZE);

	/* The default window (created on first use with v2). */
	map(container, mem, info.dma32_window_start, 4UL << 16, "default");

	/* A 64K-page dynamic window, mapped from the same prereg memory. */
	if (!(info.ddw.pgsizes & (1ULL << DDW_SHIFT)))
		fail("no 64K IOMMU pages for a DDW");
	create.page_shift = DDW_SHIFT;
	create.window_size = DDW_SIZE;
	create.levels = 1;
	if (ioctl(container, VFIO_IOMMU_SPAPR_TCE_CREATE, &create))
		fail("VFIO_IOMMU_SPAPR_TCE_CREATE");
	printf("VFIO-SPAPR ddw start 0x%llx size 0x%lx page_shift %d\n",
	       (unsigned long long)create.start_addr, DDW_SIZE, DDW_SHIFT);
	map(container, mem + (1UL << 20), create.start_addr + (16UL << 16),
	    8UL << 16, "ddw");

	if (pause_after) {
		printf("VFIO-SPAPR PAUSED\n");
		for (;;)
			pause();
	}
	/*
	 * Give the group back: closing the container and the group releases
	 * the group's DMA ownership (the blocking domain's detach, which puts
	 * the platform's default window back), and e1000e must then be able
	 * to take the NIC again and set up its DMA.
	 */
	if (ioctl(container, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, &reg))
		fail("VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY");
	close(group);
	close(container);
	if (vfio_nic_bind(nic, "e1000e"))
		fail("e1000e did not take the NIC back after VFIO released it");
	printf("VFIO-SPAPR released: the NIC is e1000e's again\n");
	finish(1);
	return 0;
}
