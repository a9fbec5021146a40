// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scale-floor: the floor of `tce-inspect check` on a dump, for bench/scale-bench.sh.
 * It reads through libkdumpfile, by physical address and in ascending order, exactly
 * the ranges of memory a check of the dump's TCE tables must read (table objects and
 * levels, guest-view table pages, the VMM's page tables, the struct pages of mapped
 * pfns), as listed by the manifest the forge wrote beside the dump (tce-forge
 * --scale --manifest: the forge's own record, never tce-inspect's), and sums the bytes
 * so nothing is optimised away.  A manifest line is 'KIND PHYS LEN' (hex); '#' lines
 * are comments.  Reads go in pieces of at most one dump page, as a reader of those
 * structures would.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static unsigned char buf[1 << 16];
	uint64_t phys, len, sum = 0, bytes = 0, missing = 0;
	char line[256], kind[32];
	kdump_ctx_t *ctx;
	FILE *man;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: scale-floor DUMP MANIFEST\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	man = fopen(argv[2], "r");
	if (fd < 0 || !man) {
		fprintf(stderr, "scale-floor: %s\n", strerror(errno));
		return 3;
	}
	ctx = kdump_new();
	if (!ctx || kdump_open_fd(ctx, fd) != KDUMP_OK ||
	    kdump_set_string_attr(ctx, "addrxlat.ostype", "linux") != KDUMP_OK) {
		fprintf(stderr, "scale-floor: %s\n", ctx ? kdump_get_err(ctx) : "kdump_new");
		return 3;
	}
	while (fgets(line, sizeof(line), man)) {
		if (line[0] == '#' ||
		    sscanf(line, "%31s %" SCNx64 " %" SCNx64, kind, &phys, &len) != 3)
			continue;
		while (len) {
			/* up to the next 64K boundary: one dump page */
			size_t n = (size_t)((phys | 0xffff) - phys + 1), got, i;

			if (n > len)
				n = (size_t)len;
			got = n;
			if (kdump_read(ctx, KDUMP_KPHYSADDR, phys, buf, &got) != KDUMP_OK) {
				kdump_clear_err(ctx);
				missing += n;
			} else {
				for (i = 0; i < got; i += 8)
					sum += buf[i];
				bytes += got;
			}
			phys += n;
			len -= n;
		}
	}
	printf("floor: %" PRIu64 " bytes read, %" PRIu64 " not in the dump, checksum %" PRIu64
	       "\n", bytes, missing, sum);
	fclose(man);
	kdump_free(ctx);
	close(fd);
	return 0;
}
