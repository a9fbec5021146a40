// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scale-floor: the floor of `tce-inspect check` on a dump, for bench/scale-bench.sh
 * and bench/check-floor.sh.  It reads through libkdumpfile, by physical address and in
 * the manifest's order, exactly the ranges of memory a check must read, and sums the
 * bytes so nothing is optimised away.  The manifest is either the forge's own record
 * (tce-forge --scale --manifest: table objects and levels, guest-view table pages, the
 * VMM's page tables, the struct pages of mapped pfns; never tce-inspect's), or, for any
 * other dump (a real one), the blocks a check read, recorded by tests/e2e/readtrace.c
 * (READTRACE_PAGES: ascending, each once).  A manifest line is 'KIND PHYS LEN' (hex);
 * '#' lines are comments.  Reads go in pieces of at most one 64 KiB dump page, as a
 * reader of those structures would.  The dump handle is set up as libtce sets up
 * check's (libtce/dump/xlat.c): no OS type, so libkdumpfile reads no memory of its own,
 * and kernel-physical addresses made machine-physical ones by an identity map.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libkdumpfile/addrxlat.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One method over the whole of a map of sys: identity into target_as */
static int identity(addrxlat_sys_t *sys, addrxlat_sys_map_t idx, addrxlat_sys_meth_t meth,
		    addrxlat_addrspace_t target_as)
{
	addrxlat_meth_t ident = { .kind = ADDRXLAT_LINEAR, .target_as = target_as };
	addrxlat_range_t range = { .endoff = UINT64_MAX, .meth = meth };
	addrxlat_map_t *map = addrxlat_map_new();

	if (!map || addrxlat_map_set(map, 0, &range) != ADDRXLAT_OK)
		return -1;
	addrxlat_sys_set_meth(sys, meth, &ident);
	addrxlat_sys_set_map(sys, idx, map);
	addrxlat_map_decref(map);
	return 0;
}

/* libtce's tce_xlat_install_direct() without the linear map: libkdumpfile 0.5.1 fails
 * the first request of a system without an OS type and returns it empty the second */
static int setup(kdump_ctx_t *ctx)
{
	addrxlat_ctx_t *axctx;
	addrxlat_sys_t *sys;

	if (kdump_get_addrxlat(ctx, &axctx, &sys) != KDUMP_OK) {
		kdump_clear_err(ctx);
		if (kdump_get_addrxlat(ctx, &axctx, &sys) != KDUMP_OK)
			return -1;
	}
	if (identity(sys, ADDRXLAT_SYS_MAP_KPHYS_MACHPHYS, ADDRXLAT_SYS_METH_KPHYS_MACHPHYS,
		     ADDRXLAT_MACHPHYSADDR) ||
	    identity(sys, ADDRXLAT_SYS_MAP_MACHPHYS_KPHYS, ADDRXLAT_SYS_METH_MACHPHYS_KPHYS,
		     ADDRXLAT_KPHYSADDR))
		return -1;
	addrxlat_ctx_decref(axctx);
	addrxlat_sys_decref(sys);
	return 0;
}

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
	if (!ctx || kdump_open_fd(ctx, fd) != KDUMP_OK || setup(ctx)) {
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
