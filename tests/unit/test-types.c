// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The type-information layer: VMCOREINFO answers first; a vmlinux is used only when it
 * is a ppc64 ELF file of the dump's byte order and GNU build id, and is refused with one
 * line otherwise; finding one in a debug tree says where it looked; DWARF answers sizes,
 * member paths (through anonymous members, arrays with their element size) and symbols
 * (moved by the dump's _stext); an iommu_table read and walked through its levels
 * with offsets from that DWARF.  The DWARF comes from a small C file compiled for
 * ppc64le by the cross compiler at test time (skipped, with a message, without it).
 */
#include "config.h"

#include <endian.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define CROSS_CC "powerpc64le-linux-gnu-gcc"
/* what the forge writes as BUILD-ID unless told otherwise is replaced by this */
#define TEST_BUILD_ID "0123456789abcdef0123456789abcdef01234567"

static const char test_source[] =
	"struct inner { int x; long y[4]; };\n"
	"struct outer {\n"
	"	long a;\n"
	"	struct { int b; union { char c; long d; }; };\n"
	"	struct inner in;\n"
	"	struct inner *ptr;\n"
	"};\n"
	"typedef struct outer outer_t;\n"
	"struct outer the_outer;\n"
	"outer_t *the_ptr;\n"
	"int var_x = 1;\n"
	"void _stext(void) {}\n"
	/* the members a walk reads, in an order and with neighbours of its own: the
	 * offsets must come from the DWARF */
	"struct iommu_table {\n"
	"	long filler0;\n"
	"	unsigned long it_page_shift;\n"
	"	unsigned long it_base;\n"
	"	char filler1[40];\n"
	"	unsigned long it_level_size;\n"
	"	unsigned long it_offset;\n"
	"	unsigned long *it_map;\n"
	"	unsigned long it_indirect_levels;\n"
	"	unsigned long it_size;\n"
	"	unsigned long it_index;\n"
	"};\n"
	"struct iommu_table the_table;\n"
	"struct kvmppc_spapr_tce_table {\n"
	"	long list[2];\n"
	"	void *kvm;\n"
	"	unsigned long long liobn;\n"
	"	long rcu[2];\n"
	"	unsigned int page_shift;\n"
	"	unsigned long long offset;\n"
	"	unsigned long long size;\n"
	"	long iommu_tables[2];\n"
	"	char alloc_lock[32];\n"
	"	void *pages[];\n"
	"};\n"
	"struct kvmppc_spapr_tce_table the_stt;\n";

/* Builds a ppc64le shared object with DWARF and the given build id from n sources
 * (compile units in that order); NULL (and the reason in why) when the cross compiler
 * is missing. */
static char *build_units(const char *const *src, unsigned n, const char *build_id,
			 char *why, size_t len)
{
	char dir[] = "/tmp/tce-types-XXXXXX", cmd[2048], *obj;
	size_t used;
	unsigned i;
	FILE *f;

	if (system("command -v " CROSS_CC " >/dev/null 2>&1") != 0) {
		snprintf(why, len, "%s is not installed", CROSS_CC);
		return NULL;
	}
	ck_assert_ptr_nonnull(mkdtemp(dir));
	obj = malloc(strlen(dir) + 8);
	ck_assert_ptr_nonnull(obj);
	sprintf(obj, "%s/t.so", dir);
	used = (size_t)snprintf(cmd, sizeof(cmd), CROSS_CC " -g -O0 -fPIC -shared "
				"-nostdlib -Wl,--build-id=0x%s -o %s", build_id, obj);
	for (i = 0; i < n; i++) {
		char path[64];

		snprintf(path, sizeof(path), "%s/t%u.c", dir, i);
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(src[i], f);
		fclose(f);
		used += (size_t)snprintf(cmd + used, sizeof(cmd) - used, " %s", path);
		ck_assert_uint_lt(used, sizeof(cmd));
	}
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
	return obj;
}

static char *build_object(const char *build_id, char *why, size_t len)
{
	const char *src = test_source;

	return build_units(&src, 1, build_id, why, len);
}

static void remove_object(char *obj)
{
	char cmd[1100];

	snprintf(cmd, sizeof(cmd), "rm -rf \"$(dirname %s)\"", obj);
	ck_assert_int_eq(system(cmd), 0);
	free(obj);
}

/* A forge dump whose VMCOREINFO says BUILD-ID=id, and its analysis. */
static struct tce_dump *dump_with_id(const char *id, struct fk **kp)
{
	struct fk_opts o = variant_opts(0, 64, false, 1ULL << 30);
	struct fk *k = make_kernel(&o);

	if (id)
		ck_assert_int_eq(fk_vmcoreinfo_override(k, "BUILD-ID", id), 0);
	*kp = k;
	return open_kernel(k);
}

static struct types *types_of(struct tce_dump *d, const char *vmlinux, const char *dir)
{
	static struct types t;
	struct ty_sources src = { .vmlinux = vmlinux, .debug_dir = dir };

	tce_types_init(&t, d);
	ck_assert_int_eq(tce_types_set_sources(&t, &src), 0);
	return &t;
}

START_TEST(vmcoreinfo_first)
{
	struct fk *k;
	struct tce_dump *d = dump_with_id(NULL, &k);
	struct types *t = types_of(d, NULL, "/nonexistent");
	struct ty_member m, ms[2];
	const char *paths[] = { "flags", "_refcount" };
	uint64_t v, size;

	ck_assert_int_eq(tce_types_load(t), 0);
	ck_assert(!t->has_dwarf);
	ck_assert(strstr(t->tried, "/nonexistent/boot/vmlinux-"));
	ck_assert(strstr(t->tried, "/nonexistent/.build-id/"));
	ck_assert(strstr(t->tried, "-dbg"));
	ck_assert_int_eq(tce_types_size(t, "struct page", &v), 0);
	ck_assert_uint_eq(v, 64);
	ck_assert_int_eq(tce_types_member(t, "struct page", "_refcount", &m), 0);
	ck_assert_uint_eq(m.offset, 52);
	ck_assert_int_eq(tce_types_layout(t, "struct page", paths, 2, ms, &size), 0);
	ck_assert_uint_eq(ms[0].offset, 0);
	ck_assert_uint_eq(ms[1].offset, 52);
	ck_assert_uint_eq(size, 64);
	ck_assert_int_eq(tce_types_symbol(t, "swapper_pg_dir", &v), 0);
	ck_assert_uint_eq(v, fk_symbol(k, "swapper_pg_dir"));
	/* VMCOREINFO has one level of OFFSET(): a path is no one's */
	ck_assert_int_eq(tce_types_member(t, "struct page", "lru.next", &m), -TCE_ENOENT);
	ck_assert_int_eq(tce_types_symbol(t, "vm_list", &v), -TCE_ENOENT);
	ck_assert(strstr(tce_errmsg(d), "symbol vm_list is unknown (asked: VMCOREINFO"));
	tce_types_free(t);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(wrong_files_are_refused)
{
	struct fk *k;
	struct tce_dump *d = dump_with_id(TEST_BUILD_ID, &k);
	struct ty_provider *p;
	char why[128], *obj;

	/* not there */
	ck_assert_int_eq(tce_ty_dwarf_open(d, "/nonexistent/vmlinux", &p), -TCE_ENOENT);
	/* not an ELF file */
	ck_assert_int_eq(tce_ty_dwarf_open(d, "/etc/hostname", &p), -TCE_EINVAL);
	/* an ELF file of another machine */
	ck_assert_int_eq(tce_ty_dwarf_open(d, "/bin/sh", &p), -TCE_EINVAL);
	ck_assert_msg(strstr(tce_errmsg(d), "not a ppc64 kernel"), "%s", tce_errmsg(d));
	/* a ppc64 file of another build */
	obj = build_object("00112233445566778899aabbccddeeff00112233", why, sizeof(why));
	if (!obj) {
		fprintf(stderr, "wrong_files_are_refused: another build not tried: %s\n", why);
	} else {
		ck_assert_int_eq(tce_ty_dwarf_open(d, obj, &p), -TCE_EINVAL);
		ck_assert_msg(strstr(tce_errmsg(d), "is another build (build id "
				     "00112233445566778899aabbccddeeff00112233; the dump's "
				     "kernel is " TEST_BUILD_ID ")"), "%s", tce_errmsg(d));
		remove_object(obj);
	}
	close_dump(d);
	fk_free(k);
}
END_TEST

/* Sets the sh_entsize of the ELF64 file's SHT_SYMTAB sections to entsize: 0, or -1 */
static int symtab_entsize(const char *path, uint64_t entsize)
{
	unsigned char eh[64], sh[64];
	enum tce_byteorder bo;
	uint64_t shoff, v;
	unsigned i, shnum;
	int fd = open(path, O_RDWR), ret = -1;

	if (fd < 0)
		return -1;
	if (pread(fd, eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || eh[4] != 2)
		goto out;
	bo = eh[5] == 2 ? TCE_BE : TCE_LE;
	shoff = tce_bo64(eh + 0x28, bo);
	shnum = tce_bo16(eh + 0x3c, bo);
	if (tce_bo16(eh + 0x3a, bo) != 64)
		goto out;
	v = bo == TCE_BE ? htobe64(entsize) : htole64(entsize);
	for (i = 0; i < shnum; i++) {
		off_t at = (off_t)(shoff + 64ULL * i);

		if (pread(fd, sh, 64, at) != 64)
			goto out;
		if (tce_bo32(sh + 4, bo) != 2)          /* SHT_SYMTAB */
			continue;
		memcpy(sh + 56, &v, 8);
		if (pwrite(fd, sh, 64, at) != 64)
			goto out;
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

START_TEST(dwarf_answers)
{
	struct fk *k;
	struct tce_dump *d = dump_with_id(TEST_BUILD_ID, &k);
	struct types *t;
	struct ty_member m;
	char why[128], dir[] = "/tmp/tce-debug-XXXXXX", link[256], cmd[600];
	char *obj = build_object(TEST_BUILD_ID, why, sizeof(why));
	uint64_t v, stext, file_stext;
	unsigned i;

	if (!obj) {
		fprintf(stderr, "dwarf_answers: skipped: %s\n", why);
		close_dump(d);
		fk_free(k);
		return;
	}
	t = types_of(d, obj, NULL);
	ck_assert_int_eq(tce_types_load(t), 0);
	ck_assert(t->has_dwarf);
	ck_assert_int_eq(tce_types_size(t, "struct outer", &v), 0);
	ck_assert_uint_eq(v, 72);
	ck_assert_int_eq(tce_types_size(t, "outer_t", &v), 0);
	ck_assert_uint_eq(v, 72);
	ck_assert_int_eq(tce_types_member(t, "struct outer", "a", &m), 0);
	ck_assert_uint_eq(m.offset, 0);
	ck_assert_uint_eq(m.size, 8);
	/* through the anonymous struct and union */
	ck_assert_int_eq(tce_types_member(t, "struct outer", "b", &m), 0);
	ck_assert_uint_eq(m.offset, 8);
	ck_assert_uint_eq(m.size, 4);
	ck_assert_int_eq(tce_types_member(t, "struct outer", "d", &m), 0);
	ck_assert_uint_eq(m.offset, 16);
	ck_assert_uint_eq(m.size, 8);
	/* a path, and an array with its element size */
	ck_assert_int_eq(tce_types_member(t, "struct outer", "in.y", &m), 0);
	ck_assert_uint_eq(m.offset, 24 + 8);
	ck_assert_uint_eq(m.size, 32);
	ck_assert_uint_eq(m.elem_size, 8);
	ck_assert_uint_eq(m.count, 4);
	ck_assert_int_eq(tce_types_member(t, "outer_t", "ptr", &m), 0);
	ck_assert_uint_eq(m.offset, 64);
	ck_assert_uint_eq(m.size, 8);
	/* no such member, or a path through a pointer: unknown, with the reason */
	ck_assert_int_eq(tce_types_member(t, "struct outer", "nope", &m), -TCE_ENOENT);
	ck_assert_int_eq(tce_types_member(t, "struct outer", "ptr.x", &m), -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(d), "not a structure or union"), "%s", tce_errmsg(d));
	ck_assert_int_eq(tce_types_size(t, "struct nowhere", &v), -TCE_ENOENT);
	/* symbols move with the dump's _stext */
	ck_assert_int_eq(tce_vmcoreinfo_symbol(d, "_stext", &stext), 0);
	ck_assert_int_eq(tce_types_symbol(t, "var_x", &v), 0);
	ck_assert_int_eq(tce_types_symbol(t, "_stext", &file_stext), 0);
	ck_assert_uint_eq(file_stext, stext);   /* VMCOREINFO answers _stext itself */
	ck_assert_uint_ne(v, 0);
	tce_types_free(t);
	/* a symbol table whose sh_entsize says 0 or 1: its symbols are what the section
	 * holds (0 hid them; 1 sized an array 24 times the file) */
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(symtab_entsize(obj, i), 0);
		t = types_of(d, obj, NULL);
		ck_assert_msg(tce_types_symbol(t, "var_x", &file_stext) == 0, "entsize %u: %s",
			      i, tce_errmsg(d));
		ck_assert_uint_eq(file_stext, v);
		tce_types_free(t);
	}

	/* found in a debug tree by build id */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/.build-id/%.2s", dir, TEST_BUILD_ID);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && cp %s %s/%s.debug", link, obj, link,
		 TEST_BUILD_ID + 2);
	ck_assert_int_eq(system(cmd), 0);
	t = types_of(d, NULL, dir);
	ck_assert_int_eq(tce_types_load(t), 0);
	ck_assert_msg(t->has_dwarf, "%s", t->tried);
	ck_assert_str_eq(t->dwarf_how, "debug tree by build id");
	ck_assert_int_eq(tce_types_size(t, "struct inner", &v), 0);
	ck_assert_uint_eq(v, 40);
	tce_types_free(t);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);

	remove_object(obj);
	close_dump(d);
	fk_free(k);
}
END_TEST

/*
 * The type index is built unit by unit as lookups need it, and a name no section of
 * the file holds is answered without a walk: whatever is asked first, a type defined
 * in two units is answered from the first (the lowest DIE offset), a declaration is
 * no definition, a name written in its unit (DW_FORM_string: GCC writes names of up
 * to three characters there, not in .debug_str) is found, and a name nowhere is not;
 * in one thread, and with every other unit indexed by a second thread beside the one
 * before it (struct first: unit 0's, not unit 1's).
 */
static const char *const unit_sources[] = {
	"struct only_declared;\n"
	"struct dup;\n"
	"struct first { struct dup *d; struct only_declared *o; int a; };\n"
	"struct first first_var;\n"
	"void _stext(void) {}\n",
	"struct dup { int x; long y; };\n"
	"struct dup dup_b;\n"
	"struct first { char c; };\n"
	"struct first first_b;\n",
	"struct dup { char z; };\n"
	"struct dup dup_c;\n"
	"struct ab { int q; long r; };\n"
	"struct ab ab_var;\n"
	"typedef struct { char c[3]; } ab_t;\n"
	"ab_t ab_t_var;\n"
	"struct late { long l[5]; };\n"
	"struct late late_var;\n",
};

START_TEST(dwarf_index_by_unit)
{
	static const char *const orders[][6] = {
		{ "struct dup", "struct ab", "struct late", "ab_t", "struct nowhere_x",
		  "struct only_declared" },
		{ "struct nowhere_x", "struct only_declared", "struct late", "struct dup",
		  "ab_t", "struct ab" },
		{ "struct ab", "struct only_declared", "struct dup", "struct nowhere_x",
		  "struct late", "ab_t" },
	};
	struct fk *k;
	struct tce_dump *d = dump_with_id(TEST_BUILD_ID, &k);
	struct ty_member m;
	char why[128];
	char *obj = build_units(unit_sources, 3, TEST_BUILD_ID, why, sizeof(why));
	unsigned o, i;
	uint64_t v0;
	/* in one thread, and with every other unit indexed by a second (dwarf.c) */
	static const char *const modes[] = { "1", "2", "1", "2", "1", "2" };

	if (!obj) {
		fprintf(stderr, "dwarf_index_by_unit: skipped: %s\n", why);
		close_dump(d);
		fk_free(k);
		return;
	}
	for (o = 0; o < sizeof(modes) / sizeof(modes[0]); o++) {
		struct types *t;

		ck_assert_int_eq(setenv("TCE_INSPECT_THREADS", modes[o], 1), 0);
		t = types_of(d, obj, NULL);

		ck_assert_int_eq(tce_types_load(t), 0);
		for (i = 0; i < 6; i++) {
			const char *q = orders[o / 2][i];
			uint64_t v = 0;
			int ret = tce_types_size(t, q, &v);

			if (!strcmp(q, "struct dup"))
				ck_assert_msg(!ret && v == 16, "%s: %d %s", q, ret, tce_errmsg(d));
			else if (!strcmp(q, "struct ab"))
				ck_assert_msg(!ret && v == 16, "%s: %d %s", q, ret, tce_errmsg(d));
			else if (!strcmp(q, "ab_t"))
				ck_assert_msg(!ret && v == 3, "%s: %d %s", q, ret, tce_errmsg(d));
			else if (!strcmp(q, "struct late"))
				ck_assert_msg(!ret && v == 40, "%s: %d %s", q, ret, tce_errmsg(d));
			else
				ck_assert_msg(ret == -TCE_ENOENT, "%s: %d", q, ret);
		}
		/* unit 0's, not unit 1's (which a second thread indexes beside it) */
		ck_assert_int_eq(tce_types_size(t, "struct first", &v0), 0);
		ck_assert_uint_eq(v0, 24);
		/* the members are the first unit's too */
		ck_assert_int_eq(tce_types_member(t, "struct dup", "y", &m), 0);
		ck_assert_uint_eq(m.offset, 8);
		ck_assert_int_eq(tce_types_member(t, "struct dup", "z", &m), -TCE_ENOENT);
		ck_assert_int_eq(tce_types_member(t, "struct ab", "r", &m), 0);
		ck_assert_uint_eq(m.offset, 8);
		tce_types_free(t);
	}
	unsetenv("TCE_INSPECT_THREADS");
	remove_object(obj);
	close_dump(d);
	fk_free(k);
}
END_TEST

/*
 * A type with a home (types.c: the unit of a function of the file that defines it) is
 * answered from that unit, not from the first unit defining a type of its name; where
 * the file has no such function, from the first.  In one thread and with a second
 * indexing units.
 */
static const char *const home_sources[] = {
	"struct module_sect_attrs { int early; };\n"
	"struct module_sect_attrs early_var;\n"
	"void _stext(void) {}\n",
	"struct other { int o; };\n"
	"struct other other_var;\n",
	"struct module_sect_attrs { long nsections; long attrs[2]; };\n"
	"struct module_sect_attrs sysfs_var;\n"
	"int mod_sysfs_setup(void) { return 0; }\n",
};

START_TEST(dwarf_home_unit)
{
	static const char *const modes[] = { "1", "2" };
	struct fk *k;
	struct tce_dump *d = dump_with_id(TEST_BUILD_ID, &k);
	char why[128], *obj, *plain;
	struct ty_member m;
	unsigned o;
	uint64_t v;

	obj = build_units(home_sources, 3, TEST_BUILD_ID, why, sizeof(why));
	if (!obj) {
		fprintf(stderr, "dwarf_home_unit: skipped: %s\n", why);
		close_dump(d);
		fk_free(k);
		return;
	}
	/* the same units without the home function */
	plain = build_units(home_sources, 2, TEST_BUILD_ID, why, sizeof(why));
	ck_assert_ptr_nonnull(plain);
	for (o = 0; o < 2; o++) {
		struct types *t;

		ck_assert_int_eq(setenv("TCE_INSPECT_THREADS", modes[o], 1), 0);
		t = types_of(d, obj, NULL);
		ck_assert_int_eq(tce_types_size(t, "struct module_sect_attrs", &v), 0);
		ck_assert_uint_eq(v, 24);
		ck_assert_int_eq(tce_types_member(t, "struct module_sect_attrs", "attrs", &m), 0);
		ck_assert_uint_eq(m.offset, 8);
		ck_assert_int_eq(tce_types_member(t, "struct module_sect_attrs", "early", &m),
				 -TCE_ENOENT);
		/* a type without a home: the index's, as before */
		ck_assert_int_eq(tce_types_size(t, "struct other", &v), 0);
		ck_assert_uint_eq(v, 4);
		tce_types_free(t);

		t = types_of(d, plain, NULL);
		ck_assert_int_eq(tce_types_size(t, "struct module_sect_attrs", &v), 0);
		ck_assert_uint_eq(v, 4);
		tce_types_free(t);
	}
	unsetenv("TCE_INSPECT_THREADS");
	remove_object(plain);
	remove_object(obj);
	close_dump(d);
	fk_free(k);
}
END_TEST

/*
 * Without DWARF, the kallsyms tables in memory answer for symbols: each at its address,
 * and a name two static functions share (the forge's "release" and "cleanup") with no
 * address and a message that says so; a name they lack is unknown.  With a vmlinux's
 * symbol table before them, they are not decoded at all.
 */
START_TEST(kallsyms_answers)
{
	struct fk_opts o = variant_opts(0, 64, false, 1ULL << 30);
	static const char *const unique[] = { "_stext", "start_kernel", "kvmppc_h_put_tce",
					      "_etext" };
	static const char *const twice[] = { "release", "cleanup" };
	struct ty_provider *ks;
	struct tce_dump *d;
	struct types *t;
	struct fk *k;
	uint64_t v;
	unsigned i;

	o.kallsyms = FK_KALLSYMS_ALL;
	k = make_kernel(&o);
	d = open_kernel(k);
	t = types_of(d, NULL, "/nonexistent");
	ck_assert_int_eq(tce_types_load(t), 0);
	for (i = 0; i < sizeof(unique) / sizeof(unique[0]); i++) {
		ck_assert_msg(!tce_types_symbol(t, unique[i], &v), "%s: %s", unique[i],
			      tce_errmsg(d));
		ck_assert_uint_eq(v, fk_symbol(k, unique[i]));
	}
	for (i = 0; i < sizeof(twice) / sizeof(twice[0]); i++) {
		char want[64];

		snprintf(want, sizeof(want), "(%s names more than one symbol", twice[i]);
		ck_assert_int_eq(tce_types_symbol(t, twice[i], &v), -TCE_ENOENT);
		ck_assert_msg(strstr(tce_errmsg(d), want), "%s", tce_errmsg(d));
	}
	ck_assert_int_eq(tce_types_symbol(t, "no_such_symbol", &v), -TCE_ENOENT);
	ck_assert_ptr_null(strstr(tce_errmsg(d), "more than one"));
	tce_types_free(t);
	/* covered by a symbol table asked first (a vmlinux's of the same build): the names
	 * are counted, none decoded, none answered */
	ck_assert_int_eq(tce_ty_kallsyms_new(d, true, &ks), 0);
	ck_assert_ptr_nonnull(strstr(ks->what, "not decoded"));
	ck_assert_int_eq(ks->ops->symbol(ks, unique[0], &v), -TCE_ENOENT);
	ks->ops->free(ks);
	ck_assert_int_eq(tce_ty_kallsyms_new(d, false, &ks), 0);
	ck_assert_ptr_nonnull(strstr(ks->what, "symbols in memory"));
	ck_assert_int_eq(ks->ops->symbol(ks, unique[0], &v), 0);
	ck_assert_uint_eq(v, fk_symbol(k, unique[0]));
	ks->ops->free(ks);
	close_dump(d);
	fk_free(k);
}
END_TEST

START_TEST(build_id_parse)
{
	struct fk *k;
	struct tce_dump *d = dump_with_id("0123zz", &k);
	unsigned char id[64];
	size_t len;

	ck_assert_int_eq(tce_ty_build_id(d, id, sizeof(id), &len), -TCE_ECORRUPT);
	close_dump(d);
	fk_free(k);
	d = dump_with_id(TEST_BUILD_ID, &k);
	ck_assert_int_eq(tce_ty_build_id(d, id, sizeof(id), &len), 0);
	ck_assert_uint_eq(len, 20);
	ck_assert_uint_eq(id[0], 0x01);
	ck_assert_uint_eq(id[19], 0x67);
	close_dump(d);
	fk_free(k);
}
END_TEST

/* A forge dump with a two-level iommu_table described by the test object's DWARF. */
struct table_fixture {
	struct fk *k;
	struct tce_dump *d;
	struct types *t;
	char *obj;
	uint64_t tbl;                 /* kernel address of the struct */
};

static void put_be64(struct fk *k, uint64_t phys, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (56 - 8 * i));
	ck_assert_int_eq(forge_write(fk_forge(k), phys, b, 8), 0);
}

/* struct offsets as the cross compiler laid them out (LP64, like the host) */
struct test_table {
	long filler0;
	unsigned long it_page_shift, it_base;
	char filler1[40];
	unsigned long it_level_size, it_offset, *it_map, it_indirect_levels, it_size, it_index;
};

#define PUT(f, member, v) \
	ck_assert_int_eq(forge_put_u64(fk_forge(f->k), tphys + \
				       offsetof(struct test_table, member), v), 0)

/*
 * A window of 64 entries of 64K IOMMU pages from bus page 0x100, two levels of 8:
 * level 0 entry 0 -> a leaf with entries 0 (rw), 3 (r), 5 (invalid: no bits);
 * entry 1 -> zero (never populated); entry 2 -> a leaf outside the dump; entry 7 ->
 * a leaf with entry 7 (w).
 */
static bool table_fixture(struct table_fixture *f, uint64_t shift, uint64_t levels)
{
	struct fk_opts o = variant_opts(0, 64, false, 1ULL << 30);
	char why[128];
	uint64_t tphys, top, leaf0, leaf7;

	memset(f, 0, sizeof(*f));
	f->obj = build_object(TEST_BUILD_ID, why, sizeof(why));
	if (!f->obj) {
		fprintf(stderr, "iommu_table tests skipped: %s\n", why);
		return false;
	}
	f->k = make_kernel(&o);
	ck_assert_int_eq(fk_vmcoreinfo_override(f->k, "BUILD-ID", TEST_BUILD_ID), 0);
	tphys = fk_alloc(f->k, sizeof(struct test_table), 8);
	top = fk_alloc(f->k, 64, 64);
	leaf0 = fk_alloc(f->k, 64, 64);
	leaf7 = fk_alloc(f->k, 64, 64);
	ck_assert(tphys && top && leaf0 && leaf7);
	f->tbl = fk_kva(tphys);
	PUT(f, it_page_shift, shift);
	PUT(f, it_base, fk_kva(top));
	PUT(f, it_level_size, 8);
	PUT(f, it_offset, 0x100);
	PUT(f, it_indirect_levels, levels);
	PUT(f, it_size, 64);
	put_be64(f->k, top + 0 * 8, leaf0 | 3);
	put_be64(f->k, top + 2 * 8, 0x7ff00000000ULL | 3);   /* no such memory */
	put_be64(f->k, top + 7 * 8, leaf7 | 3);
	put_be64(f->k, leaf0 + 0 * 8, 0x10000000ULL | 3);
	put_be64(f->k, leaf0 + 3 * 8, 0x20000000ULL | 1);
	put_be64(f->k, leaf0 + 5 * 8, 0x30000000ULL);
	put_be64(f->k, leaf7 + 7 * 8, 0x40000000ULL | 2);
	f->d = open_kernel(f->k);
	f->t = types_of(f->d, f->obj, NULL);
	return true;
}

static void table_fixture_free(struct table_fixture *f)
{
	tce_types_free(f->t);
	close_dump(f->d);
	fk_free(f->k);
	remove_object(f->obj);
}

struct seen {
	struct tce_entry e[16];
	unsigned n;
};

static int collect(void *data, const struct tce_entry *e)
{
	struct seen *s = data;

	ck_assert_uint_lt(s->n, 16);
	s->e[s->n++] = *e;
	return 0;
}

START_TEST(iommu_table_levels)
{
	struct table_fixture f;
	struct iommu_tbl tb;
	struct iommu_walk_stats st;
	struct seen s = { .n = 0 };

	if (!table_fixture(&f, 16, 1))
		return;
	ck_assert_int_eq(tce_iommu_table_read(f.t, f.tbl, &tb), 0);
	ck_assert_uint_eq(tb.size, 64);
	ck_assert_uint_eq(tb.offset, 0x100);
	ck_assert_uint_eq(tb.levels, 1);
	ck_assert_uint_eq(tb.level_size, 8);
	ck_assert_uint_eq(tb.page_shift, 16);
	ck_assert_int_eq(tce_iommu_table_walk(f.d, &tb, 0, UINT64_MAX, collect, &s, &st), 0);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_uint_eq(st.valid, 3);
	ck_assert_uint_eq(s.e[0].index, 0x100);
	ck_assert_uint_eq(s.e[0].bus, 0x100ULL << 16);
	ck_assert_uint_eq(s.e[0].target, 0x10000000);
	ck_assert_uint_eq(s.e[0].perm, 3);
	ck_assert_uint_eq(s.e[1].index, 0x103);
	ck_assert_uint_eq(s.e[1].perm, 1);
	ck_assert_uint_eq(s.e[2].index, 0x100 + 7 * 8 + 7);
	ck_assert_uint_eq(s.e[2].target, 0x40000000);
	ck_assert_uint_eq(s.e[2].perm, 2);
	/* entry 1 of the top never populated; entry 2's leaf is not in the dump: its 8
	 * entries are unknown, not empty */
	ck_assert_uint_eq(st.missing_chunks, 1);
	ck_assert_uint_eq(st.unknown_entries, 8);
	ck_assert_uint_eq(st.empty_levels, 5);   /* top entries 1, 3-6 */
	/* a range: only positions 3..60 */
	s.n = 0;
	ck_assert_int_eq(tce_iommu_table_walk(f.d, &tb, 3, 60, collect, &s, &st), 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.e[0].index, 0x103);
	table_fixture_free(&f);

	/* one level: the top's 64 entries are the TCEs (its first 8 as written, then the
	 * two leaves the fixture allocated right after it: 3 more valid ones) */
	if (!table_fixture(&f, 16, 0))
		return;
	ck_assert_int_eq(tce_iommu_table_read(f.t, f.tbl, &tb), 0);
	s.n = 0;
	ck_assert_int_eq(tce_iommu_table_walk(f.d, &tb, 0, UINT64_MAX, collect, &s, &st), 0);
	ck_assert_uint_eq(s.n, 6);
	ck_assert_uint_eq(s.e[0].index, 0x100);
	ck_assert_uint_eq(s.e[1].index, 0x102);
	ck_assert_uint_eq(s.e[1].target, 0x7ff00000000ULL);
	ck_assert_uint_eq(s.e[2].index, 0x107);
	ck_assert_uint_eq(st.missing_chunks, 0);
	table_fixture_free(&f);
}
END_TEST

static int count_public(void *data, const struct tce_table_entry *e)
{
	unsigned *n = data;

	ck_assert(e->host);
	ck_assert_uint_eq(e->size, sizeof(*e));
	(*n)++;
	return 0;
}

/* The same table through the public API: tce_table_at() and tce_table_entries(). */
START_TEST(iommu_table_public)
{
	struct tce_types_opts o = TCE_TYPES_OPTS_INIT;
	struct tce_table_info ti = TCE_TABLE_INFO_INIT;
	struct tce_table_stats st = TCE_TABLE_STATS_INIT;
	struct table_fixture f;
	struct tce_analysis *a;
	unsigned n = 0;

	if (!table_fixture(&f, 16, 1))
		return;
	a = view_analysis(f.d);
	o.vmlinux = f.obj;
	ck_assert_int_eq(tce_analysis_set_types(a, &o), 0);
	ck_assert_int_eq(tce_table_at(a, TCE_TABLE_IOMMU, f.tbl, &ti), 0);
	ck_assert_uint_eq(ti.entries, 64);
	ck_assert_uint_eq(ti.levels, 2);
	ck_assert_uint_eq(ti.level_size, 8);
	ck_assert_uint_eq(ti.page_shift, 16);
	ck_assert_uint_eq(ti.offset, 0x100);
	ck_assert_int_eq(tce_table_entries(a, &ti, 0, UINT64_MAX, count_public, &n, &st), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(st.valid, 3);
	ck_assert_uint_eq(st.unpopulated, 5);
	ck_assert_uint_eq(st.missing, 1);
	ck_assert_uint_eq(st.unknown, 8);
	/* a kernel address where no table is: what is read there is no table */
	ck_assert_int_ne(tce_table_at(a, TCE_TABLE_IOMMU, 0xc000000000000000ULL, &ti), 0);
	ck_assert_ptr_nonnull(strstr(tce_errmsg(f.d), "iommu_table at 0xc000000000000000"));
	tce_types_free(f.t);
	f.t = NULL;
	close_dump(f.d);
	fk_free(f.k);
	remove_object(f.obj);
}
END_TEST

START_TEST(iommu_table_impossible)
{
	struct table_fixture f;
	struct iommu_tbl tb;

	if (!table_fixture(&f, 5, 1))
		return;
	ck_assert_int_eq(tce_iommu_table_read(f.t, f.tbl, &tb), -TCE_ECORRUPT);
	ck_assert(strstr(tce_errmsg(f.d), "it_page_shift 5 is no IOMMU page size"));
	table_fixture_free(&f);
	if (!table_fixture(&f, 12, 9))
		return;
	ck_assert_int_eq(tce_iommu_table_read(f.t, f.tbl, &tb), -TCE_ECORRUPT);
	ck_assert(strstr(tce_errmsg(f.d), "it_indirect_levels 9"));
	table_fixture_free(&f);
}
END_TEST

START_TEST(iommu_table_without_types)
{
	struct fk *k;
	struct tce_dump *d = dump_with_id(NULL, &k);
	struct types *t = types_of(d, NULL, "/nonexistent");
	struct iommu_tbl tb;

	ck_assert_int_eq(tce_iommu_table_read(t, 0xc000000002800000ULL, &tb), -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(d), "struct iommu_table.it_size is unknown"), "%s",
		      tce_errmsg(d));
	tce_types_free(t);
	close_dump(d);
	fk_free(k);
}
END_TEST

struct test_stt {
	long list[2];
	void *kvm;
	unsigned long long liobn;
	long rcu[2];
	unsigned int page_shift;
	unsigned long long offset, size;
	long iommu_tables[2];
	char alloc_lock[32];
	void *pages[];
};

#define FAKE_PAGE0 0xc00c000000100000ULL    /* struct page pointers the callback knows */
#define FAKE_PAGE2 0xc00c000000200000ULL

static uint64_t stt_page0_phys;

static int test_page_phys(void *data, uint64_t page, uint64_t *phys)
{
	(void)data;
	if (page == FAKE_PAGE0) {
		*phys = stt_page0_phys;
		return 0;
	}
	if (page == FAKE_PAGE2) {
		*phys = 0x7ff00000000ULL;     /* not in the dump */
		return 0;
	}
	return -TCE_ENOXLAT;
}

/* A guest view of 2 pages and a half of 4K IOMMU pages from bus page 0x800: page 0
 * written (entries 0 rw, 1 invalid, 8191 r), page 1 never written, page 2 not in the
 * dump. */
START_TEST(kvm_guest_view)
{
	struct fk_opts o = variant_opts(0, 64, false, 1ULL << 30);
	struct stt st_tbl;
	struct iommu_walk_stats st;
	struct seen s = { .n = 0 };
	struct tce_dump *d;
	struct types *t;
	struct fk *k;
	char why[128], *obj = build_object(TEST_BUILD_ID, why, sizeof(why));
	uint64_t sphys, per = 65536 / 8, size = 2 * per + per / 2;

	if (!obj) {
		fprintf(stderr, "kvm_guest_view: skipped: %s\n", why);
		return;
	}
	k = make_kernel(&o);
	ck_assert_int_eq(fk_vmcoreinfo_override(k, "BUILD-ID", TEST_BUILD_ID), 0);
	sphys = fk_alloc(k, sizeof(struct test_stt) + 3 * 8, 8);
	stt_page0_phys = fk_alloc(k, 65536, 65536);
	ck_assert(sphys && stt_page0_phys);
	ck_assert_int_eq(forge_put_u64(fk_forge(k), sphys + offsetof(struct test_stt, liobn),
				       0x80000001), 0);
	ck_assert_int_eq(forge_put_u32(fk_forge(k), sphys + offsetof(struct test_stt,
								    page_shift), 12), 0);
	ck_assert_int_eq(forge_put_u64(fk_forge(k), sphys + offsetof(struct test_stt, offset),
				       0x800), 0);
	ck_assert_int_eq(forge_put_u64(fk_forge(k), sphys + offsetof(struct test_stt, size),
				       size), 0);
	ck_assert_int_eq(forge_put_u64(fk_forge(k), sphys + offsetof(struct test_stt, pages),
				       FAKE_PAGE0), 0);
	ck_assert_int_eq(forge_put_u64(fk_forge(k), sphys + offsetof(struct test_stt, pages) +
				       16, FAKE_PAGE2), 0);
	/* guest-view entries are in the kernel's byte order (the forge's) */
	ck_assert_int_eq(forge_put_u64(fk_forge(k), stt_page0_phys, 0x12345000ULL | 3), 0);
	ck_assert_int_eq(forge_put_u64(fk_forge(k), stt_page0_phys + 8, 0x22345000ULL), 0);
	ck_assert_int_eq(forge_put_u64(fk_forge(k), stt_page0_phys + 8 * (per - 1),
				       0x32345000ULL | 1), 0);
	d = open_kernel(k);
	t = types_of(d, obj, NULL);
	ck_assert_int_eq(tce_stt_read(t, fk_kva(sphys), &st_tbl), 0);
	ck_assert_uint_eq(st_tbl.liobn, 0x80000001);
	ck_assert_uint_eq(st_tbl.page_shift, 12);
	ck_assert_uint_eq(st_tbl.offset, 0x800);
	ck_assert_uint_eq(st_tbl.size, size);
	ck_assert_uint_eq(st_tbl.pages, fk_kva(sphys) + offsetof(struct test_stt, pages));
	ck_assert_int_eq(tce_stt_walk(d, &st_tbl, 0, UINT64_MAX, test_page_phys, NULL, collect,
				      &s, &st), 0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_uint_eq(s.e[0].index, 0x800);
	ck_assert_uint_eq(s.e[0].bus, 0x800ULL << 12);
	ck_assert_uint_eq(s.e[0].target, 0x12345000);
	ck_assert_uint_eq(s.e[0].perm, 3);
	ck_assert_uint_eq(s.e[1].index, 0x800 + per - 1);
	ck_assert_uint_eq(s.e[1].perm, 1);
	ck_assert_uint_eq(st.empty_levels, 1);          /* page 1: never written */
	ck_assert_uint_eq(st.missing_chunks, 1);        /* page 2: not in the dump */
	ck_assert_uint_eq(st.unknown_entries, per / 2); /* the last page holds half */
	tce_types_free(t);
	close_dump(d);
	fk_free(k);
	remove_object(obj);
}
END_TEST

/*
 * Table pages the kernel allocated one after the other are read together
 * (iommu-table.c's stt_run()), the rest one at a time: a guest view of 9.5 pages of a
 * 4K-page host, every entry written (entry i: (i << 12) | 3), whose pages 0-4 follow one
 * another in memory, page 5 lies elsewhere, page 6 is not in the dump, pages 7-9 follow
 * one another again (9, the half page, read alone).  Every entry the dump holds, in
 * order, and page 6's counted unknown, as reading page by page gives.
 */
#define RUN_PAGE(i) (0xc00c000000300000ULL + 64 * (i))
static uint64_t run_phys[10];

static int run_page_phys(void *data, uint64_t page, uint64_t *phys)
{
	uint64_t i = (page - RUN_PAGE(0)) / 64;

	(void)data;
	if (page < RUN_PAGE(0) || i >= 10)
		return -TCE_ENOXLAT;
	*phys = run_phys[i];
	return 0;
}

struct run_seen {
	uint64_t n, next;
};

static int run_entry(void *data, const struct tce_entry *e)
{
	struct run_seen *r = data;

	/* page 6's entries are not in the dump */
	if (r->next == 6 * 512)
		r->next = 7 * 512;
	ck_assert_uint_eq(e->index, r->next);
	ck_assert_uint_eq(e->target, r->next << 12);
	r->next++;
	r->n++;
	return 0;
}

START_TEST(kvm_guest_view_runs)
{
	struct fk_opts o = variant_opts(2, 64, false, 1ULL << 30);
	struct stt st_tbl = { .liobn = 1, .page_shift = 12, .offset = 0 };
	struct iommu_walk_stats st;
	struct run_seen r = { 0, 0 };
	uint64_t per = 4096 / 8, sphys, a, b, c, i, j;
	struct tce_dump *d;
	struct fk *k;

	k = make_kernel(&o);
	sphys = fk_alloc(k, 10 * 8, 8);
	a = fk_alloc(k, 5 * 4096, 4096);
	b = fk_alloc(k, 2 * 4096, 4096) + 4096;       /* a page apart from a's */
	c = fk_alloc(k, 3 * 4096, 4096);
	ck_assert(sphys && a && b && c && b != a + 5 * 4096);
	for (i = 0; i < 10; i++) {
		run_phys[i] = i < 5 ? a + i * 4096 : i == 5 ? b : i == 6 ? 0x7ff00000000ULL :
			      c + (i - 7) * 4096;
		ck_assert_int_eq(forge_put_u64(fk_forge(k), sphys + 8 * i, RUN_PAGE(i)), 0);
		for (j = 0; j < per && i != 6; j++)
			ck_assert_int_eq(forge_put_u64(fk_forge(k), run_phys[i] + 8 * j,
						       ((i * per + j) << 12) | 3), 0);
	}
	d = open_kernel(k);
	st_tbl.size = 9 * per + per / 2;
	st_tbl.pages = fk_kva(sphys);
	ck_assert_int_eq(tce_stt_walk(d, &st_tbl, 0, UINT64_MAX, run_page_phys, NULL,
				      run_entry, &r, &st), 0);
	ck_assert_uint_eq(r.n, 8 * per + per / 2);
	ck_assert_uint_eq(r.next, 9 * per + per / 2);
	ck_assert_uint_eq(st.valid, r.n);
	ck_assert_uint_eq(st.missing_chunks, 1);
	ck_assert_uint_eq(st.unknown_entries, per);
	/* from the middle of a run to the middle of the next */
	r = (struct run_seen){ 2 * per + 7, 2 * per + 7 };
	r.n = 0;
	ck_assert_int_eq(tce_stt_walk(d, &st_tbl, 2 * per + 7, 8 * per + 3, run_page_phys,
				      NULL, run_entry, &r, &st), 0);
	ck_assert_uint_eq(r.next, 8 * per + 4);
	ck_assert_uint_eq(r.n, 8 * per + 4 - (2 * per + 7) - per);
	close_dump(d);
	fk_free(k);
}
END_TEST

/*
 * tce_holds(), which name_absent() asks whether a section holds a name: in one thread,
 * and in two halves at once (TCE_INSPECT_THREADS=2 halves any buffer), a needle at
 * every place around the middle, at the ends, cut by the end, and nowhere, must give
 * memmem()'s answer.
 */
START_TEST(holds_in_halves)
{
	static const char *const modes[] = { "1", "2" };
	const char needle[] = "kvmppc_spapr_tce_table";
	size_t len = sizeof(needle), size = 4099, half = size / 2, m, at;
	char *buf = malloc(size);

	ck_assert_ptr_nonnull(buf);
	for (m = 0; m < 2; m++) {
		ck_assert_int_eq(setenv("TCE_INSPECT_THREADS", modes[m], 1), 0);
		memset(buf, 'a', size);
		ck_assert(!tce_holds(buf, size, needle, len));
		for (at = 0; at + len <= size; at += at + 2 * len < half || at > half + len ?
			 97 : 1) {
			memset(buf, 'a', size);
			memcpy(buf + at, needle, len);
			ck_assert_msg(tce_holds(buf, size, needle, len), "mode %s at %zu",
				      modes[m], at);
			/* cut by the end of the buffer searched */
			ck_assert(!tce_holds(buf, at + len - 1, needle, len));
		}
	}
	unsetenv("TCE_INSPECT_THREADS");
	free(buf);
}
END_TEST

/*
 * The symbol table (tce_ty_syms_index()): one entry a name whatever order the symbols
 * come in, the lowest address of a name, ambiguous only where two addresses differ; two
 * names of one hash (found here by search) each found with their own address; a name
 * it lacks not found.
 */
struct hashed {
	uint32_t hash;
	unsigned i;
};

static int cmp_hashed(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/* the i-th name of ten letters, from a 64-bit LCG */
static void coll_name(char out[16], unsigned i)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ULL;
	unsigned k;

	for (k = 0; k < 10; k++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		out[k] = (char)('a' + (x >> 33) % 26);
	}
	out[10] = '\0';
}

START_TEST(symbol_table)
{
	enum { N = 50000, SEARCH = 300000 };
	static char names[N][16];
	static char coll[2][16];
	struct hashed *h = malloc(SEARCH * sizeof(*h));
	struct ty_sym *v = malloc((N + 16) * sizeof(*v));
	const struct ty_sym *s;
	size_t n = 0, i, j;
	unsigned found = 0;

	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(v);
	/* two names of one FNV-1a hash, among names of ten pseudo-random letters (about
	 * ten pairs are expected of SEARCH) */
	for (i = 0; i < SEARCH; i++) {
		char name[16];

		coll_name(name, (unsigned)i);
		h[i] = (struct hashed){ .hash = tce_ty_name_hash(name, 0), .i = (unsigned)i };
	}
	qsort(h, SEARCH, sizeof(*h), cmp_hashed);
	for (i = 1; i < SEARCH && !found; i++)
		if (h[i].hash == h[i - 1].hash) {
			coll_name(coll[0], h[i - 1].i);
			coll_name(coll[1], h[i].i);
			found = 1;
		}
	ck_assert_msg(found, "no two of %d names share a hash", SEARCH);
	ck_assert_uint_eq(tce_ty_name_hash(coll[0], 0), tce_ty_name_hash(coll[1], 0));
	free(h);

	/* the names, in an order of their own, with the repeated ones among them */
	for (i = 0; i < N; i++) {
		j = (i * 7919) % N;
		snprintf(names[j], sizeof(names[j]), "sym%zu", j);
		v[n++] = (struct ty_sym){ .name = names[j], .addr = 0x1000 + 16 * j };
		if (i == 10)
			v[n++] = (struct ty_sym){ .name = "dup", .addr = 0x300 };
		if (i == 20000)
			v[n++] = (struct ty_sym){ .name = "dup", .addr = 0x100 };
		if (i == 30000) {
			v[n++] = (struct ty_sym){ .name = "same", .addr = 0x500 };
			v[n++] = (struct ty_sym){ .name = coll[1], .addr = 0x900 };
		}
		if (i == 40000) {
			v[n++] = (struct ty_sym){ .name = "dup", .addr = 0x200 };
			v[n++] = (struct ty_sym){ .name = coll[0], .addr = 0x800 };
			v[n++] = (struct ty_sym){ .name = "same", .addr = 0x500 };
		}
	}
	ck_assert_int_eq(tce_ty_syms_index(&v, &n), 0);
	ck_assert_uint_eq(n, N + 4);
	for (i = 1; i < n; i++)
		ck_assert_uint_le(v[i - 1].hash, v[i].hash);
	for (i = 0; i < N; i++) {
		s = tce_ty_syms_find(v, n, names[i]);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(s->addr, 0x1000 + 16 * i);
		ck_assert(!s->ambiguous);
	}
	s = tce_ty_syms_find(v, n, "dup");
	ck_assert_ptr_nonnull(s);
	ck_assert(s->ambiguous);
	ck_assert_uint_eq(s->addr, 0x100);
	s = tce_ty_syms_find(v, n, "same");
	ck_assert_ptr_nonnull(s);
	ck_assert(!s->ambiguous);
	ck_assert_uint_eq(s->addr, 0x500);
	for (i = 0; i < 2; i++) {
		s = tce_ty_syms_find(v, n, coll[i]);
		ck_assert_ptr_nonnull(s);
		ck_assert(!s->ambiguous);
		ck_assert_uint_eq(s->addr, 0x800 + 0x100 * i);
	}
	ck_assert_ptr_null(tce_ty_syms_find(v, n, "absent"));
	ck_assert_ptr_null(tce_ty_syms_find(v, n, ""));
	free(v);
	/* none at all */
	v = NULL;
	n = 0;
	ck_assert_int_eq(tce_ty_syms_index(&v, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(tce_ty_syms_find(v, n, "dup"));
	free(v);
}
END_TEST

static Suite *types_suite(void)
{
	Suite *s = suite_create("types");
	TCase *tc = tcase_create("providers");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, vmcoreinfo_first);
	tcase_add_test(tc, holds_in_halves);
	tcase_add_test(tc, wrong_files_are_refused);
	tcase_add_test(tc, dwarf_answers);
	tcase_add_test(tc, dwarf_index_by_unit);
	tcase_add_test(tc, dwarf_home_unit);
	tcase_add_test(tc, kallsyms_answers);
	tcase_add_test(tc, symbol_table);
	tcase_add_test(tc, build_id_parse);
	tcase_add_test(tc, iommu_table_levels);
	tcase_add_test(tc, iommu_table_public);
	tcase_add_test(tc, iommu_table_impossible);
	tcase_add_test(tc, iommu_table_without_types);
	tcase_add_test(tc, kvm_guest_view);
	tcase_add_test(tc, kvm_guest_view_runs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(types_suite());
}
