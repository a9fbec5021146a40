// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the KUnit guest (static, ppc64le): mounts /proc, /sys and /dev,
 * onlines hot-added memory as movable (so it can be hot-removed again), then
 * obeys one-word commands read from the console, sent by run-kunit.py
 * between its QEMU monitor commands: "mem" prints MemTotal and the number of
 * online memory blocks, "go" loads the KUnit modules (their KTAP goes to the
 * console) and powers off.  Anything that fails is printed and powers off,
 * so the runner never waits for a guest that will not answer.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <dirent.h>

static const char *const modules[] = {
	"/realmode_page_test.ko",
	"/book3s_64_vio_hv_test.ko",
};

static void power_off(void)
{
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, s, strlen(s)) < 0)
		printf("TCE-INIT: cannot write %s\n", path);
	if (fd >= 0)
		close(fd);
}

static void report_memory(void)
{
	char line[256], path[512];
	unsigned long online = 0;
	struct dirent *de;
	FILE *f;
	DIR *d;

	f = fopen("/proc/meminfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "MemTotal:", 9))
			printf("TCE-INIT-MEM %s", line);
	if (f)
		fclose(f);
	d = opendir("/sys/devices/system/memory");
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "memory", 6))
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/%s/online", de->d_name);
		f = fopen(path, "r");
		if (f && fgets(line, sizeof(line), f) && line[0] == '1')
			online++;
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	printf("TCE-INIT-BLOCKS %lu\n", online);
	fflush(stdout);
}

static int load_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long ret;

	if (fd < 0) {
		printf("TCE-INIT: no %s\n", path);
		return -1;
	}
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	if (ret) {
		printf("TCE-INIT: loading %s failed\n", path);
		return -1;
	}
	return 0;
}

int main(void)
{
	char cmd[64];
	size_t i;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	write_file("/sys/devices/system/memory/auto_online_blocks",
		   "online_movable");
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TCE-INIT-READY\n");
	report_memory();

	while (fgets(cmd, sizeof(cmd), stdin)) {
		if (!strncmp(cmd, "mem", 3)) {
			report_memory();
		} else if (!strncmp(cmd, "go", 2)) {
			for (i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
				load_module(modules[i]);
			printf("TCE-INIT-DONE\n");
			power_off();
		}
	}
	printf("TCE-INIT: console closed\n");
	power_off();
	return 0;
}
