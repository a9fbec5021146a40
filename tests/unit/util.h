/*
 * Helpers shared by the libtce unit suites: forge a kernel, write it to a temporary
 * file, open it with libtce, and the byte-order x page-size matrix every suite loops
 * over.
 */
#ifndef TCE_TEST_UTIL_H
#define TCE_TEST_UTIL_H

#include <check.h>

#include "forge.h"
#include "priv.h"

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
/* Opens path, returning the error code; *d set (close it) */
int try_open(const char *path, struct tce_dump **d);
/* Runs a suite; the exit status of a test program */
int run_suite(Suite *s);
/* Counts findings with this id */
size_t count_findings(const struct tce_vmemmap *vm, const char *id);
/* Prints the findings (on test failure, for the log) */
void dump_findings(const struct tce_vmemmap *vm);

#define ck_assert_findings(vm, id, n)                                                  \
	do {                                                                           \
		size_t __c = count_findings(vm, id);                                   \
		if (__c != (size_t)(n))                                                \
			dump_findings(vm);                                             \
		ck_assert_msg(__c == (size_t)(n), "%s: %zu findings, want %zu", id, __c, \
			      (size_t)(n));                                            \
	} while (0)

#endif /* TCE_TEST_UTIL_H */
