// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `tce-inspect repair IN OUT`: a guest dump QEMU's dump-guest-memory wrote of a ppc64
 * guest (wrong header byte order, no VMCOREINFO), written repaired in its own form,
 * which crash, drgn and makedumpfile read: an ELF vmcore, or a kdump-compressed file
 * for its -z output (flattened, or after makedumpfile -R).  libtce finds and checks what to repair when
 * it opens IN (every other command repairs the same way in memory); this writes it.
 * OUT is made beside itself and renamed into place when whole; IN is never written.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cmd_repair(struct cli *c)
{
	const char *in = c->args[0], *out = c->args[1];
	struct stat si, so;
	struct tce_dump *d;
	const char *what;
	char *tmp = NULL;
	int fd = -1, ret = EXIT_DUMP;

	if (stat(in, &si) == 0 && stat(out, &so) == 0 && si.st_dev == so.st_dev &&
	    si.st_ino == so.st_ino)
		return cli_usage(c, "OUT is IN (%s): the input is never written", out);
	d = tce_dump_new();
	if (!d) {
		fprintf(stderr, "tce-inspect: %s\n", tce_errmsg(NULL));
		return EXIT_DUMP;
	}
	if (tce_dump_open(d, in)) {
		fprintf(stderr, "tce-inspect: %s\n", tce_errmsg(d));
		goto out;
	}
	if (tce_dump_unflattened(d))
		fprintf(stderr, "tce-inspect: %s: %s (the file is not written)\n", in,
			tce_dump_unflattened(d));
	what = tce_dump_repaired(d);
	if (!what) {
		fprintf(stderr, "tce-inspect: %s: nothing to repair (its headers and "
			"VMCOREINFO are right): %s not written\n", in, out);
		ret = EXIT_OK;
		goto out;
	}
	if (asprintf(&tmp, "%s.tmp-XXXXXX", out) < 0) {
		tmp = NULL;
		fprintf(stderr, "tce-inspect: out of memory\n");
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tce-inspect: %s: %s\n", out, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (tce_dump_write_repaired(d, fd)) {
		fprintf(stderr, "tce-inspect: %s: %s\n", out, tce_errmsg(d));
		goto out;
	}
	if (fchmod(fd, 0644) || fsync(fd) || close(fd)) {
		fd = -1;
		fprintf(stderr, "tce-inspect: %s: %s\n", out, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, out)) {
		fprintf(stderr, "tce-inspect: %s: %s\n", out, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	{
		struct tce_dump_info info = TCE_DUMP_INFO_INIT;
		bool elf_in, elf_out;
		char magic[4] = "";
		int rfd = open(out, O_RDONLY | O_CLOEXEC);

		tce_dump_info(d, &info);
		elf_in = info.format && !strcmp(info.format, "elf");
		/* a kdump-compressed IN whose blocks are not the guest's pages is written
		 * as an ELF vmcore: what OUT is, from its first bytes */
		elf_out = rfd >= 0 && pread(rfd, magic, 4, 0) == 4 && !memcmp(magic, "\177ELF", 4);
		if (rfd >= 0)
			close(rfd);
		printf("%s: repaired %s; %s: written to %s\n", in, what,
		       elf_in ? "p_vaddr in the linear map" :
		       elf_out ? "QEMU's blocks are not the guest's pages: its memory "
		       "written as an ELF vmcore, p_vaddr in the linear map" :
		       "header, sub-header and page descriptors in the guest's byte order, "
		       "its utsname, QEMU's notes dropped", out);
	}
	ret = EXIT_OK;
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	tce_dump_free(d);
	return ret;
}
