// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * be-init: /init of the initramfs that mkdump.sh boots its big-endian ppc64 kernel with
 * (be-kernel.sh).  Debian has no BE ppc64 userspace (no busybox), so this is a static
 * program built with powerpc64-linux-gnu-gcc -static.  It does what init.sh does in a
 * first kernel: mounts proc, sysfs and devtmpfs, makes the kernel online hot-added memory
 * (movable, so that it can be removed again), prints the @@TCE- lines guest.py reads
 * (kernel release, MMU, platform, command line, /sys/kernel/vmcoreinfo) and @@TCE-READY@@.
 * Then, instead of a shell, it answers guest.py's CInitGuest on the console, one request
 * a line, "N cat PATH", "N blocks" or "N sync", each answer framed as
 * "@@TCE-BEGIN-N@@\n...@@TCE-END-N-STATUS@@\n".  It never exits (pid 1).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

static int cat(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		printf("%s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(fd);
	return n < 0;
}

/* The first line of /proc/cpuinfo starting with key, value only. */
static void cpuinfo(const char *key, char *out, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");

	*out = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');

		if (c && !strncmp(line, key, strlen(key)) &&
		    (line[strlen(key)] == ' ' || line[strlen(key)] == '\t')) {
			c++;
			while (*c == ' ')
				c++;
			c[strcspn(c, "\n")] = 0;
			snprintf(out, len, "%s", c);
			break;
		}
	}
	fclose(f);
}

static void file_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");

	*out = 0;
	if (!f)
		return;
	if (!fgets(out, len, f))
		*out = 0;
	out[strcspn(out, "\n")] = 0;
	fclose(f);
}

static int blocks(void)
{
	DIR *d = opendir("/sys/devices/system/memory");
	struct dirent *e;

	if (!d)
		return 1;
	while ((e = readdir(d))) {
		char path[512], state[64];

		if (strncmp(e->d_name, "memory", 6) || !e->d_name[6] ||
		    strspn(e->d_name + 6, "0123456789") != strlen(e->d_name + 6))
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/memory/%s/state", e->d_name);
		file_line(path, state, sizeof(state));
		printf("%s %s\n", e->d_name + 6, state);
	}
	closedir(d);
	return 0;
}

int main(void)
{
	char line[1024], a[256], b[256];
	struct utsname u;
	int fd;

	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/dev", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	/* No echo: the tty would echo a request into the middle of its answer. */
	{
		struct termios t;

		if (!tcgetattr(0, &t)) {
			t.c_lflag &= ~(ECHO | ECHONL);
			tcsetattr(0, TCSANOW, &t);
		}
	}

	/* Without this, hot-added memory stays offline and gets no vmemmap use we can see. */
	fd = open("/sys/devices/system/memory/auto_online_blocks", O_WRONLY);
	if (fd < 0 || write(fd, "online_movable", 14) != 14)
		printf("be-init: auto_online_blocks: %s\n", strerror(errno));
	if (fd >= 0)
		close(fd);

	uname(&u);
	printf("@@TCE-uname: %s\n", u.release);
	cpuinfo("MMU", a, sizeof(a));
	printf("@@TCE-mmu: %s\n", a);
	cpuinfo("platform", a, sizeof(a));
	printf("@@TCE-platform: %s\n", a);
	file_line("/proc/cmdline", a, sizeof(a));
	printf("@@TCE-cmdline: %s\n", a);
	file_line("/sys/kernel/vmcoreinfo", a, sizeof(a));
	printf("@@TCE-vmcoreinfo: %s\n", a);
	printf("@@TCE-mode: normal\n@@TCE-READY@@\n");

	while (fgets(line, sizeof(line), stdin)) {
		unsigned long n;
		int st;

		line[strcspn(line, "\r\n")] = 0;
		*a = *b = 0;
		if (sscanf(line, "%lu %255s %255s", &n, a, b) < 2)
			continue;
		printf("@@TCE-BEGIN-%lu@@\n", n);
		if (!strcmp(a, "cat") && *b)
			st = cat(b);
		else if (!strcmp(a, "blocks"))
			st = blocks();
		else if (!strcmp(a, "sync")) {
			sync();
			st = 0;
		} else {
			printf("be-init: unknown request '%s'\n", a);
			st = 127;
		}
		printf("@@TCE-END-%lu-%d@@\n", n, st);
	}
	for (;;)
		pause();
}
