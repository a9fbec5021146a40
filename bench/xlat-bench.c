// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pfn -> struct page translations per second: the 2013 walk (linear in the number of
 * vmemmap blocks) against libtce's sorted index (O(log n)), on forged dumps of 16, 256,
 * 1024 and 4096 blocks, both timed in the same run on the same random pfns, in CPU
 * time, the best of three rounds each taken in turn.  Prints the rates and their ratio; then, on the 4096-block dump, what a struct page costs
 * read and decoded (tce_page_read: translation, read, flags, page types, head) in
 * random and in ascending pfn order (issue 16's target: <= 0.5 us).  Build without
 * sanitizers for numbers that mean something.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "forge.h"
#include "tce/tce.h"

/* The process's CPU time: a machine shared with other work preempts the bench, which
 * wall time would count against whichever method ran then */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* struct pages read and decoded per second over the pfns, repeated for >= 0.2 s */
static double page_rate(struct tce_analysis *a, const uint64_t *pfn, size_t n, uint64_t *sink)
{
	double t0 = now(), t;
	size_t done = 0, i;

	do {
		for (i = 0; i < n; i++) {
			struct tce_page pg = TCE_PAGE_INIT;

			if (tce_page_read(a, pfn[i], &pg) == 0)
				*sink += (uint64_t)pg.refcount;
		}
		done += n;
		t = now() - t0;
	} while (t < 0.2);
	return done / t;
}

/* translations per second of one method over the pfns, repeated for >= 0.2 s */
static double rate(struct tce_analysis *a, enum tce_xlat m, const uint64_t *pfn, size_t n,
		   uint64_t *sink)
{
	double t0 = now(), t;
	size_t done = 0, i;

	do {
		for (i = 0; i < n; i++) {
			enum tce_xlat_status st;
			uint64_t phys = 0;

			if (tce_pfn_to_page(a, m, pfn[i], &st, &phys) == 0 && st == TCE_XS_OK)
				*sink += phys;
		}
		done += n;
		t = now() - t0;
	} while (t < 0.2);
	return done / t;
}

int main(void)
{
	static const unsigned sizes[] = { 16, 256, 1024, 4096 };
	char path[] = "/tmp/tce-bench-XXXXXX";
	uint64_t sink = 0;
	size_t i, n = 4096;
	int fd = mkstemp(path);

	if (fd < 0) {
		perror("mkstemp");
		return 1;
	}
	close(fd);
	printf("%8s %16s %16s %8s\n", "blocks", "2013 walk/s", "index/s", "ratio");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		/* hash, 64K pages, 64K blocks of 64-byte struct pages: 1024 pfns a block */
		struct fk_opts o = { .endian = FORGE_LE, .page_shift = 16,
				     .ram_bytes = (uint64_t)sizes[i] << 26 };
		struct fk *k = fk_new(&o);
		struct tce_dump *d = tce_dump_new();
		struct tce_vmemmap_info vm = TCE_VMEMMAP_INFO_INIT;
		struct tce_analysis *a = NULL;
		uint64_t *pfn = malloc(n * sizeof(*pfn)), max, seed = 12345;
		double walk, index;
		size_t j;

		if (!k || !pfn || !d || fk_vmemmap_populate(k, 0, o.ram_bytes >> 16) ||
		    fk_write_file(k, path, NULL) || tce_dump_open(d, path) ||
		    tce_analysis_new(d, &a) || tce_vmemmap_info(a, &vm)) {
			fprintf(stderr, "xlat-bench: cannot make a %u-block dump\n", sizes[i]);
			return 1;
		}
		max = vm.max_pfn;
		for (j = 0; j < n; j++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			pfn[j] = (seed >> 17) % max;
		}
		/* the best of three rounds each, taken in turn: what one method lost to a
		 * slower moment of the machine (its clock, its caches) the next round
		 * gives back */
		walk = index = 0;
		for (j = 0; j < 3; j++) {
			double w = rate(a, TCE_XLAT_SEED2013, pfn, n, &sink);
			double x = rate(a, TCE_XLAT_INDEX, pfn, n, &sink);

			walk = w > walk ? w : walk;
			index = x > index ? x : index;
		}
		printf("%8zu %16.0f %16.0f %7.1fx\n", vm.nblocks, walk, index, index / walk);
		if (i + 1 == sizeof(sizes) / sizeof(sizes[0])) {
			double rnd = page_rate(a, pfn, n, &sink), seq;

			for (j = 0; j < n; j++)
				pfn[j] = j;
			seq = page_rate(a, pfn, n, &sink);
			printf("struct page read and decoded (%zu blocks): %.3f us random, %.3f us "
			       "ascending (target <= 0.5)\n", vm.nblocks, 1e6 / rnd, 1e6 / seq);
		}
		tce_analysis_free(a);
		tce_dump_free(d);
		fk_free(k);
		free(pfn);
	}
	unlink(path);
	return sink == 42;
}
