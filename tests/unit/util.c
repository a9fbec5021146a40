/*
 * Shared test helpers: forge kernels, temporary dump files, finding counts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

const struct variant variants[NVARIANTS] = {
	{ FORGE_LE, 16, "le-64k" },
	{ FORGE_BE, 16, "be-64k" },
	{ FORGE_LE, 12, "le-4k" },
	{ FORGE_BE, 12, "be-4k" },
};

struct fk_opts variant_opts(int i, unsigned struct_page_size, bool radix,
			    uint64_t ram_bytes)
{
	struct fk_opts o = {
		.endian = variants[i].endian,
		.page_shift = variants[i].page_shift,
		.struct_page_size = struct_page_size,
		.radix = radix,
		.ram_bytes = ram_bytes,
	};

	return o;
}

struct fk *make_kernel(const struct fk_opts *o)
{
	struct fk *k = fk_new(o);
	uint64_t ram = o->ram_bytes ? o->ram_bytes : 4ULL << 30;

	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(fk_vmemmap_populate(k, 0, ram >> o->page_shift), 0);
	return k;
}

char *write_dump(struct fk *k, const struct forge_write_opts *wo)
{
	const char *tmp = getenv("TMPDIR");
	char *path;
	int fd;

	ck_assert_int_ge(asprintf(&path, "%s/tce-unit-XXXXXX", tmp ? tmp : "/tmp"), 0);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	if (fk_write_file(k, path, wo) != 0)
		ck_abort_msg("forge: %s", forge_errmsg(fk_forge(k)));
	return path;
}

int try_open(const char *path, struct tce_dump **d)
{
	return tce_dump_open(path, d);
}

struct tce_dump *open_kernel(struct fk *k)
{
	char *path = write_dump(k, NULL);
	struct tce_dump *d = NULL;
	int ret = tce_dump_open(path, &d);

	unlink(path);
	free(path);
	ck_assert_msg(ret == 0, "open: %s", tce_errmsg(d));
	return d;
}

size_t count_findings(const struct tce_vmemmap *vm, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < vm->nfindings; i++)
		if (!strcmp(vm->findings[i].id, id))
			n++;
	return n;
}

void dump_findings(const struct tce_vmemmap *vm)
{
	size_t i;

	for (i = 0; i < vm->nfindings; i++)
		fprintf(stderr, "  finding %s [%s]: %s\n", vm->findings[i].id,
			vm->findings[i].key, vm->findings[i].message);
}

int run_suite(Suite *s)
{
	SRunner *r = srunner_create(s);
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
