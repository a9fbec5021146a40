// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/e2e/readtrace.c: an LD_PRELOAD library that records every read of dump memory a
 * program makes through libkdumpfile, for mksample.sh's choice of the pages a sample
 * keeps: the pages tce-inspect reads are whatever it asks kdump_read() for, not a list
 * written by hand.  libtce reads every byte of a dump's memory with kdump_read() (the
 * dump layer's read_phys: its own page-table walks, kallsyms, BTF, the modules list, the
 * KVM structures, the TCE pages, struct pages; libkdumpfile itself reads no memory when no
 * OS type is set, and the translations libtce installs read through libtce), so
 * interposing kdump_read() sees them all, whatever libkdumpfile does with its file (it
 * maps it in 4 MiB pieces: strace of the file would not say which pages).
 *
 * READTRACE_OUT=FILE: appends one line per call, "<as> 0x<addr> <asked> <got> <status>",
 * as = KDUMP_KPHYSADDR's etc. number, got the bytes read (after the call), status
 * libkdumpfile's kdump_status.  Without READTRACE_OUT it only forwards the call.
 * Build: cc -shared -fPIC -o readtrace.so readtrace.c -ldl (mksample.sh does).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <libkdumpfile/kdumpfile.h>

typedef kdump_status read_fn(kdump_ctx_t *, kdump_addrspace_t, kdump_addr_t, void *, size_t *);

static FILE *trace_file(void)
{
	static FILE *f;
	static int tried;
	const char *path;

	if (!tried) {
		tried = 1;
		path = getenv("READTRACE_OUT");
		if (path && *path) {
			f = fopen(path, "a");
			if (!f) {
				perror(path);
				abort();
			}
		}
	}
	return f;
}

kdump_status kdump_read(kdump_ctx_t *ctx, kdump_addrspace_t as, kdump_addr_t addr,
			void *buffer, size_t *plength)
{
	static read_fn *next;
	size_t asked = *plength;
	kdump_status ks;
	FILE *f;

	if (!next) {
		next = (read_fn *)dlsym(RTLD_NEXT, "kdump_read");
		if (!next) {
			fprintf(stderr, "readtrace: no kdump_read to forward to: %s\n", dlerror());
			abort();
		}
	}
	ks = next(ctx, as, addr, buffer, plength);
	f = trace_file();
	if (f) {
		fprintf(f, "%d 0x%" PRIx64 " %zu %zu %d\n", (int)as, (uint64_t)addr, asked,
			*plength, (int)ks);
		fflush(f);
	}
	return ks;
}
