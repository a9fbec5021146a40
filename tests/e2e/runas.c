// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/e2e/runas.c: runas UID PROG [ARG...] runs PROG as user and group UID with no
 * supplementary groups and no capabilities, for live-kcore.sh's guest, whose busybox
 * setpriv cannot change the user: tce-inspect on /proc/kcore as someone who is not root.
 * Built static for ppc64le by live-kcore.sh.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	unsigned long id;

	if (argc < 3) {
		fprintf(stderr, "usage: runas UID PROG [ARG...]\n");
		return 2;
	}
	id = strtoul(argv[1], &end, 10);
	if (*end || !*argv[1]) {
		fprintf(stderr, "runas: bad uid '%s'\n", argv[1]);
		return 2;
	}
	if (setgroups(0, NULL) || setgid((gid_t)id) || setuid((uid_t)id)) {
		fprintf(stderr, "runas: %s\n", strerror(errno));
		return 126;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "runas: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
