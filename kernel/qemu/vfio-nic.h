/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-nic.h: the one e1000e of the powernv machines under QEMU, handed to a
 * driver through sysfs (driver_override, unbind, drivers_probe), and its
 * VFIO group.  Shared by kernel/qemu/vfio-spapr.c (the VFIO container) and
 * kernel/qemu/rm-hcall.c (a KVM TCE table with that group attached), both
 * static ppc64le programs run as /init.  Everything returns -1 with errno
 * set on failure; the callers say what failed in their own words.
 */
#ifndef TCE_VFIO_NIC_H
#define TCE_VFIO_NIC_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The first e1000e (8086:10d3) on the PCI bus, as a sysfs name. */
static inline int vfio_nic_find(char *name, size_t len)
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
	if (!found)
		errno = ENODEV;
	return found ? 0 : -1;
}

static inline int vfio_nic_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, s, strlen(s)) < 0)
		ret = -1;
	close(fd);
	return ret;
}

/*
 * Hands @nic to @driver (unbinding it from whatever has it) and checks that
 * @driver took it: -1 (ENODEV) when it did not, e.g. vfio-pci on a kernel
 * whose platform has no iommu_ops.  Errors of the unbind (nothing bound) and
 * of the probe itself are not fatal: what counts is who has the device.
 */
static inline int vfio_nic_bind(const char *nic, const char *driver)
{
	char path[600], link[512];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override",
		 nic);
	if (vfio_nic_write(path, driver))
		return -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 nic);
	vfio_nic_write(path, nic);
	vfio_nic_write("/sys/bus/pci/drivers_probe", nic);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", nic);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	if (!strstr(link, driver)) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

/* /dev/vfio/N of @nic's IOMMU group, into @dev. */
static inline int vfio_nic_group(const char *nic, char *dev, size_t len)
{
	char path[600], link[512];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", nic);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -1;
	link[n] = 0;
	snprintf(dev, len, "/dev/vfio/%s", strrchr(link, '/') + 1);
	return 0;
}

/*
 * The host pfn behind this process's @va (/proc/self/pagemap), 0 when the
 * page is not present: the truth a DMA mapping of @va must point at.
 */
static inline uint64_t host_pfn(const void *va)
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

#endif /* TCE_VFIO_NIC_H */
