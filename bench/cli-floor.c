// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-floor: the library's own share of what `tce-inspect page` and `tce-inspect entries`
 * cost per item, for bench/page-cli.sh.  It makes the calls each command makes for one
 * item and prints nothing: for a pfn, tce_pfn_xlat() and tce_page_read() (and, apart,
 * tce_page_read() alone: the struct page read and decoded); for a TCE, the walk of the
 * tables and tce_page_read() of the host page and of a tail page's head.  Timed in CPU
 * time (the machine is shared), each pass on a dump opened afresh as a run of the
 * command starts, best of three passes; the set-up (open, model, types, the table
 * search) is outside the time, as the command's start-up is outside the per-item cost.
 *
 *   cli-floor DUMP FIRST LAST   prints "pages N read_us R xlat_read_us X"
 *   cli-floor -e DUMP VMLINUX   prints "entries N us E"
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tce/tce.h"

#define PASSES 3

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(struct tce_dump *d, const char *what)
{
	fprintf(stderr, "cli-floor: %s: %s\n", what, tce_errmsg(d));
	exit(3);
}

static void open_dump(const char *path, struct tce_dump **d, struct tce_analysis **a)
{
	*d = tce_dump_new();
	if (!*d || tce_dump_open(*d, path) || tce_analysis_new(*d, a))
		die(*d, path);
}

/* one pass over [first, last]: CPU seconds; xlat: as `page` asks, else the read alone */
static double pages_pass(const char *path, uint64_t first, uint64_t last, bool xlat,
			 uint64_t *sink)
{
	struct tce_vmemmap_info vi = TCE_VMEMMAP_INFO_INIT;
	struct tce_analysis *a;
	struct tce_dump *d;
	uint64_t pfn;
	double t0, t;

	open_dump(path, &d, &a);
	if (tce_vmemmap_info(a, &vi))
		die(d, "vmemmap");
	t0 = cpu_now();
	for (pfn = first;; pfn++) {
		struct tce_pfn_xlat x = TCE_PFN_XLAT_INIT;
		struct tce_page pg = TCE_PAGE_INIT;

		if (xlat && tce_pfn_xlat(a, pfn, &x))
			die(d, "tce_pfn_xlat");
		if (!tce_page_read(a, pfn, &pg))
			*sink += (uint64_t)pg.refcount + x.nproblems;
		if (pfn == last)
			break;
	}
	t = cpu_now() - t0;
	tce_analysis_free(a);
	tce_dump_free(d);
	return t;
}

struct walk {
	struct tce_analysis *a;
	unsigned host_shift;
	uint64_t n, sink;
};

static int entry_cb(void *data, const struct tce_table_entry *e)
{
	struct walk *w = data;
	struct tce_page pg = TCE_PAGE_INIT, head = TCE_PAGE_INIT;

	w->n++;
	if (e->host_state != TCE_HOST_PRESENT)
		return 0;
	if (tce_page_read(w->a, e->host_phys >> w->host_shift, &pg))
		return 0;
	w->sink += (uint64_t)pg.refcount;
	/* entries shows a tail page's folio: its head's counts */
	if ((pg.states & TCE_PF_TAIL) && pg.head_pfn != TCE_NO_PFN &&
	    !tce_page_read(w->a, pg.head_pfn, &head))
		w->sink += (uint64_t)head.refcount;
	return 0;
}

static double entries_pass(const char *path, const char *vmlinux, uint64_t *n,
			   uint64_t *sink)
{
	struct tce_types_opts o = TCE_TYPES_OPTS_INIT;
	struct tce_types_info tyi = TCE_TYPES_INFO_INIT;
	struct tce_tables_info ti = TCE_TABLES_INFO_INIT;
	struct tce_dump_info di = TCE_DUMP_INFO_INIT;
	struct walk w = { 0 };
	struct tce_dump *d;
	double t0, secs;
	size_t i;

	open_dump(path, &d, &w.a);
	o.vmlinux = vmlinux;
	o.debuginfod = false;
	if (tce_analysis_set_types(w.a, &o) || tce_analysis_types(w.a, &tyi) ||
	    tce_analysis_tables(w.a, &ti) || tce_dump_info(d, &di))
		die(d, "tables");
	w.host_shift = (unsigned)__builtin_ctzll(di.page_size ? di.page_size : 4096);
	t0 = cpu_now();
	for (i = 0; i < ti.count; i++) {
		struct tce_table_stats st = TCE_TABLE_STATS_INIT;
		struct tce_table_info t = TCE_TABLE_INFO_INIT;

		if (tce_analysis_table(w.a, i, &t))
			die(d, "table");
		if (!t.err && !t.hv_entries)
			tce_table_entries(w.a, &t, 0, UINT64_MAX, entry_cb, &w, &st);
	}
	secs = cpu_now() - t0;
	*n = w.n;
	*sink += w.sink;
	tce_analysis_free(w.a);
	tce_dump_free(d);
	return secs;
}

int main(int argc, char **argv)
{
	double best = 1e30, best2 = 1e30, t;
	uint64_t first, last, n = 0, sink = 0;
	int i;

	if (argc == 4 && !strcmp(argv[1], "-e")) {
		for (i = 0; i < PASSES; i++) {
			t = entries_pass(argv[2], argv[3], &n, &sink);
			best = t < best ? t : best;
		}
		printf("entries %" PRIu64 " us %.3f\n", n, n ? best * 1e6 / n : 0.0);
	} else if (argc == 4) {
		first = strtoull(argv[2], NULL, 0);
		last = strtoull(argv[3], NULL, 0);
		if (last < first) {
			fprintf(stderr, "cli-floor: LAST before FIRST\n");
			return 2;
		}
		n = last - first + 1;
		for (i = 0; i < PASSES; i++) {
			t = pages_pass(argv[1], first, last, false, &sink);
			best = t < best ? t : best;
			t = pages_pass(argv[1], first, last, true, &sink);
			best2 = t < best2 ? t : best2;
		}
		printf("pages %" PRIu64 " read_us %.3f xlat_read_us %.3f\n", n, best * 1e6 / n,
		       best2 * 1e6 / n);
	} else {
		fprintf(stderr, "usage: cli-floor DUMP FIRST LAST | cli-floor -e DUMP VMLINUX\n");
		return 2;
	}
	/* so that nothing read is optimised away */
	return sink == 42 ? 1 : 0;
}
