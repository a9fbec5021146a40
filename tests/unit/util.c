// SPDX-License-Identifier: GPL-2.0-or-later
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

int open_path(const char *path, struct tce_dump **d)
{
	*d = tce_dump_new();
	ck_assert_ptr_nonnull(*d);
	return tce_dump_open(*d, path);
}

struct tce_dump *open_kernel(struct fk *k)
{
	char *path = write_dump(k, NULL);
	struct tce_dump *d = NULL;
	int ret = open_path(path, &d);

	unlink(path);
	free(path);
	ck_assert_msg(ret == 0, "open: %s", tce_errmsg(d));
	return d;
}

/* one view at a time: the tests look at one dump at a time */
static struct vmv *cur;

static void view_free(void)
{
	if (!cur)
		return;
	free(cur->findings);
	tce_analysis_free(cur->a);
	free(cur);
	cur = NULL;
}

static struct vmv *view(struct tce_dump *d)
{
	struct tce_vmemmap_info vi = TCE_VMEMMAP_INFO_INIT;
	size_t i;

	if (cur && cur->d == d)
		return cur;
	view_free();
	cur = calloc(1, sizeof(*cur));
	ck_assert_ptr_nonnull(cur);
	cur->d = d;
	ck_assert_int_eq(tce_analysis_new(d, &cur->a), 0);
	cur->status = tce_vmemmap_info(cur->a, &vi);
	snprintf(cur->err, sizeof(cur->err), "%s", tce_errmsg(d));
	if (!cur->status) {
		cur->head = vi.head;
		cur->block_size = vi.block_size;
		cur->struct_page_size = vi.struct_page_size;
		cur->base = vi.base;
		cur->base_from_sections = vi.base_from_sections;
		cur->max_pfn = vi.max_pfn;
		cur->ordered = vi.ordered;
		cur->complete = vi.complete;
		cur->pgtable_available = vi.pgtable;
		cur->mmu = vi.mmu;
	}
	/* the vmemmap's rules: the tables' would look type information up, which the
	 * suites set first */
	for (i = 0; i < TCE_RULE_COUNT; i++)
		if (tce_rule(i)->area != TCE_AREA_VMEMMAP)
			ck_assert_int_eq(tce_analysis_enable(cur->a, i, false), 0);
	ck_assert_msg(tce_analysis_check(cur->a) == 0, "check: %s", tce_errmsg(d));
	cur->straddling_pages = tce_analysis_model(cur->a)->straddling;
	cur->nblocks = tce_analysis_model(cur->a)->walk.nblocks;
	cur->blocks = tce_vmemmap_block(cur->a, 0);
	cur->nfindings = tce_finding_count(cur->a);
	cur->findings = calloc(cur->nfindings + 1, sizeof(*cur->findings));
	ck_assert_ptr_nonnull(cur->findings);
	for (i = 0; i < cur->nfindings; i++)
		cur->findings[i] = *tce_finding(cur->a, i);
	return cur;
}

int vmemmap_load(struct tce_dump *d, const struct vmv **vm)
{
	*vm = view(d);
	return (*vm)->status;
}

int pfn_to_page(struct tce_dump *d, enum tce_xlat m, uint64_t pfn, uint64_t *phys)
{
	enum tce_xlat_status st;

	if (tce_pfn_to_page(view(d)->a, m, pfn, &st, phys))
		return -1;
	return st;
}

struct tce_analysis *view_analysis(struct tce_dump *d)
{
	return view(d)->a;
}

int page_read(struct tce_dump *d, uint64_t pfn, struct tce_page *pg)
{
	pg->size = sizeof(*pg);
	return tce_page_read(view(d)->a, pfn, pg);
}

int dump_info(struct tce_dump *d, struct tce_dump_info *in)
{
	in->size = sizeof(*in);
	return tce_dump_info(d, in);
}

void close_dump(struct tce_dump *d)
{
	if (cur && cur->d == d)
		view_free();
	tce_dump_free(d);
}

size_t count_findings(const struct vmv *vm, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < vm->nfindings; i++)
		if (!strcmp(vm->findings[i].id, id))
			n++;
	return n;
}

void dump_findings(const struct vmv *vm)
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
