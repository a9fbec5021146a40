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
 * else it powers off.  Vanilla 6.1 stops at the first step: vfio-pci cannot
 * make a group for a device without iommu_ops (FIELD-NOTES section 8).
 */
#define _GNU_SOURCE
#include <dirent.h>
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

static void put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, s, strlen(s)) < 0)
		printf("VFIO-SPAPR note: writing %s to %s: %s\n", s, path,
		       strerror(errno));
	if (fd >= 0)
		close(fd);
}

static uint64_t pfn_of(const void *va)
{
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &ent, sizeof(ent),
			    (uintptr_t)va / getpagesize() * 8) != 8)
		ent = 0;
	if (fd >= 0)
		close(fd);
	return (ent & (1ULL << 63)) ? ent & ((1ULL << 55) - 1) : 0;
}

/* The first e1000e (8086:10d3) on the PCI bus, as a sysfs name. */
static int find_nic(char *name, size_t len)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *de;
	char path[512], buf[32];
	int found = 0;

	while (d && !found && (de = readdir(d))) {
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device",
			 de->d_name);
		f = fopen(path, "r");
		if (f && fgets(buf, sizeof(buf), f) && !strncmp(buf, "0x10d3", 6)) {
			snprintf(name, len, "%s", de->d_name);
			found = 1;
		}
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return found;
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
		       (unsigned long long)pfn_of((char *)va + off));
}

int main(void)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
	struct vfio_iommu_spapr_register_memory reg = { .argsz = sizeof(reg) };
	struct vfio_iommu_spapr_tce_create create = { .argsz = sizeof(create) };
	char nic[256], path[600], link[512], cmdline[1024] = "";
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

	if (!find_nic(nic, sizeof(nic)))
		fail("no e1000e on the PCI bus");
	printf("VFIO-SPAPR nic %s\n", nic);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override",
		 nic);
	put(path, "vfio-pci");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 nic);
	put(path, nic);
	put("/sys/bus/pci/drivers_probe", nic);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", nic);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	if (!strstr(link, "vfio-pci")) {
		errno = ENODEV;
		fail("vfio-pci did not take the NIC (no VFIO group: iommu_ops?)");
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", nic);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		fail("iommu_group");
	link[n] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);
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
	finish(1);
	return 0;
}
