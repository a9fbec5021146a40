/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the libtce unit suites: forge a kernel, write it to a temporary
 * file, open it with libtce, and the byte-order x page-size matrix every suite loops
 * over.
 */
#ifndef TCE_TEST_UTIL_H
#define TCE_TEST_UTIL_H

#include <check.h>

#include "forge.h"
#include "dump/dump-priv.h"
#include "analysis-priv.h"

/* The matrix: index i of a loop test picks one of these. */
struct variant {
	enum forge_endian endian;
	unsigned page_shift;
	const char *name;
};
extern const struct variant variants[];
#define NVARIANTS 4

/* fk_opts for variant i with the given struct page size / radix / RAM */
struct fk_opts variant_opts(int i, unsigned struct_page_size, bool radix,
			    uint64_t ram_bytes);
/* A forge kernel with RAM populated from pfn 0 as at boot; aborts the test on failure */
struct fk *make_kernel(const struct fk_opts *o);
/* Writes the dump to a fresh temporary file; returns its path (malloc'ed) */
char *write_dump(struct fk *k, const struct forge_write_opts *wo);
/* Writes and opens it with libtce; the file is unlinked at once; asserts success */
struct tce_dump *open_kernel(struct fk *k);
/* Opens path into *d (a new handle even on failure; free it with close_dump()) */
int open_path(const char *path, struct tce_dump **d);
/* Frees the dump and the analysis view made on it */
void close_dump(struct tce_dump *d);
/* Runs a suite; the exit status of a test program */
int run_suite(Suite *s);

/*
 * The analysis of a dump as the tests read it: made once per dump (the library
 * allows one analysis per dump), with tce_vmemmap_info() and tce_analysis_check() run
 * and their results copied into plain fields.
 */
struct vmv {
	struct tce_dump *d;
	struct tce_analysis *a;
	int status;                   /* what tce_vmemmap_info() returned */
	char err[512];                /* and its message */
	uint64_t head, block_size, struct_page_size, base, max_pfn, straddling_pages;
	bool ordered, complete, pgtable_available, base_from_sections;
	enum tce_mmu mmu;
	size_t nblocks;
	const struct tce_vmemmap_block *blocks;   /* the walk's own array */
	size_t nfindings;
	struct tce_finding *findings;             /* copies; strings owned by a */
};
/* The view of d (made on first use); returns its status */
int vmemmap_load(struct tce_dump *d, const struct vmv **vm);
/* tce_pfn_to_page() on the view's analysis: the status, or -1 on error */
int pfn_to_page(struct tce_dump *d, enum tce_xlat m, uint64_t pfn, uint64_t *phys);
/* The view's analysis */
struct tce_analysis *view_analysis(struct tce_dump *d);
/* tce_page_read() on the view's analysis, with pg->size set */
int page_read(struct tce_dump *d, uint64_t pfn, struct tce_page *pg);
/* tce_dump_info() with info->size set */
int dump_info(struct tce_dump *d, struct tce_dump_info *in);
/* Counts findings with this id */
size_t count_findings(const struct vmv *vm, const char *id);
/* Prints the findings (on test failure, for the log) */
void dump_findings(const struct vmv *vm);

#define ck_assert_findings(vm, id, n)                                                  \
	do {                                                                           \
		size_t __c = count_findings(vm, id);                                   \
		if (__c != (size_t)(n))                                                \
			dump_findings(vm);                                             \
		ck_assert_msg(__c == (size_t)(n), "%s: %zu findings, want %zu", id, __c, \
			      (size_t)(n));                                            \
	} while (0)

#endif /* TCE_TEST_UTIL_H */
