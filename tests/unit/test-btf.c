// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The BTF provider (libtce/types/btf.c): BTF in the dump's memory between __start_BTF
 * and __stop_BTF, found through kallsyms, answers sizes and member paths when no DWARF
 * is found.  Checked against the forge's kernel (pahole's BTF of the 6.1 structures,
 * both byte orders, 4K and 64K pages: every size and offset equals the host
 * compiler's and the forge's DWARF's), against BTF written with libbpf's own writer
 * (anonymous members, arrays, typedefs, qualifiers, bit fields, a module's split BTF),
 * against damaged BTF (one line each, libbpf's reason in it and nothing printed, never
 * a crash, met at the first lookup), read only when a lookup needs it beside DWARF,
 * and, where the cache holds them, against Debian 13's real dumps and the DWARF of
 * their -dbg vmlinux.
 */
#include "config.h"

#include <bpf/btf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* ------------------------------------------------------------ helpers */

static struct types *types_of(struct tce_dump *d)
{
	static struct types t;
	/* no debug tree: DWARF is never found, BTF answers */
	struct ty_sources src = { .debug_dir = "/nonexistent" };

	tce_types_init(&t, d);
	ck_assert_int_eq(tce_types_set_sources(&t, &src), 0);
	ck_assert_int_eq(tce_types_load(&t), 0);
	return &t;
}

static struct ty_provider *provider(struct types *t, const char *name)
{
	unsigned i;

	for (i = 0; i < t->nprov; i++)
		if (!strcmp(t->prov[i]->ops->name, name))
			return t->prov[i];
	return NULL;
}

/* "page" -> size of struct page; "kvm.arch.x" -> member arch.x of struct kvm */
static int ask(struct ty_provider *p, const char *what, struct ty_member *m)
{
	char type[128];
	const char *dot = strchr(what, '.');

	memset(m, 0, sizeof(*m));
	snprintf(type, sizeof(type), "struct %.*s", dot ? (int)(dot - what) : (int)strlen(what),
		 what);
	if (!dot)
		return p->ops->size(p, type, &m->size);
	return p->ops->member(p, type, dot + 1, m);
}

/* ------------------------------------------------------------ the forge's BTF */

/* every name fk_types_offsetof() knows */
static const char *const forge_names[] = {
	"list_head", "list_head.next", "list_head.prev",
	"page", "page.flags", "page._mapcount", "page._refcount", "page.compound_order",
	"page.mapping",
	"vmemmap_backing", "vmemmap_backing.phys", "vmemmap_backing.virt_addr",
	"mmu_psize_def", "mmu_psize_def.shift",
	"iommu_table", "iommu_table.it_busno", "iommu_table.it_size",
	"iommu_table.it_indirect_levels", "iommu_table.it_level_size",
	"iommu_table.it_allocated_size", "iommu_table.it_offset", "iommu_table.it_base",
	"iommu_table.it_index", "iommu_table.it_type", "iommu_table.it_blocksize",
	"iommu_table.large_pool", "iommu_table.pools", "iommu_table.it_map",
	"iommu_table.it_page_shift", "iommu_table.it_group_list",
	"iommu_table.it_userspace", "iommu_table.it_ops", "iommu_table.it_kref",
	"iommu_table.it_nid", "iommu_table.it_reserved_start",
	"iommu_table.it_reserved_end",
	"iommu_pool",
	"iommu_table_group", "iommu_table_group.pgsizes", "iommu_table_group.max_levels",
	"iommu_table_group.tables", "iommu_table_group.ops",
	"iommu_table_group_link", "iommu_table_group_link.table_group",
	"pci_controller", "pci_controller.list_node", "pci_controller.global_number",
	"pci_controller.private_data",
	"pnv_phb", "pnv_phb.hose", "pnv_phb.ioda", "pnv_phb.ioda.total_pe_num",
	"pnv_phb.ioda.pe_array", "pnv_phb.ioda.pe_list", "pnv_phb.ioda.pe_rmap",
	"pnv_phb.diag_data",
	"pnv_ioda_pe", "pnv_ioda_pe.phb", "pnv_ioda_pe.pe_number", "pnv_ioda_pe.table_group",
	"pnv_ioda_pe.list",
	"kvmppc_spapr_tce_table", "kvmppc_spapr_tce_table.list", "kvmppc_spapr_tce_table.kvm",
	"kvmppc_spapr_tce_table.liobn", "kvmppc_spapr_tce_table.rcu",
	"kvmppc_spapr_tce_table.page_shift", "kvmppc_spapr_tce_table.offset",
	"kvmppc_spapr_tce_table.size", "kvmppc_spapr_tce_table.iommu_tables",
	"kvmppc_spapr_tce_table.alloc_lock", "kvmppc_spapr_tce_table.pages",
	"kvmppc_spapr_tce_iommu_table", "kvmppc_spapr_tce_iommu_table.next",
	"kvmppc_spapr_tce_iommu_table.tbl", "kvmppc_spapr_tce_iommu_table.kref",
	"kvm_arch", "kvm_arch.radix", "kvm_arch.spapr_tce_tables",
	"mm_struct", "mm_struct.pgd", "mm_struct.mm_users",
	"kvm_memslots", "kvm_memslots.generation", "kvm_memslots.hva_tree",
	"kvm_memslots.gfn_tree", "kvm_memslots.id_hash", "kvm_memslots.node_idx",
	"kvm_memory_slot", "kvm_memory_slot.id_node", "kvm_memory_slot.hva_node",
	"kvm_memory_slot.gfn_node", "kvm_memory_slot.base_gfn", "kvm_memory_slot.npages",
	"kvm_memory_slot.userspace_addr", "kvm_memory_slot.id",
	"rb_node", "rb_node.__rb_parent_color", "rb_node.rb_right", "rb_node.rb_left",
	"interval_tree_node", "interval_tree_node.start", "interval_tree_node.last",
	"interval_tree_node.__subtree_last",
	"kvm", "kvm.mm", "kvm.__memslots", "kvm.memslots", "kvm.vm_list", "kvm.arch",
	"kvm.arch.spapr_tce_tables", "kvm.users_count", "kvm.userspace_pid",
	"module", "module.state", "module.list", "module.name", "module.core_layout",
	"module.core_layout.base", "module.kallsyms", "module.core_kallsyms",
};

/*
 * pahole's BTF of the forge's 6.1 structures, in memory as a CONFIG_DEBUG_INFO_BTF
 * kernel keeps it: every size and member offset is the host compiler's (the same
 * LP64 layout) and the forge's DWARF's, sizes, element sizes and counts too.
 */
/* The forge's kernel of variant vi with BTF in memory (and DWARF to write); NULL, said
 * on stderr, when pahole or libbpf cannot make BTF here */
static struct fk *btf_kernel(int vi, const char *test)
{
	struct fk_opts o = variant_opts(vi, 64, false, 1ULL << 30);
	char why[300];

	o.btf = true;
	o.debuginfo = true;
	o.kallsyms = FK_KALLSYMS_ALL;
	if (!fk_btf_available(&o, why, sizeof(why))) {
		fprintf(stderr, "%s (%s): skipped: %s\n", test, variants[vi].name, why);
		return NULL;
	}
	return make_kernel(&o);
}

/* k's vmlinux with DWARF, written to a new file of TMPDIR named in vml */
static void write_vmlinux(struct fk *k, char *vml, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(vml, len, "%s/tce-btf-vmlinux-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(vml);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_msg(fk_dwarf_write(k, vml) == 0, "%s", forge_errmsg(fk_forge(k)));
}

START_TEST(forge_btf)
{
	struct ty_provider *bt, *dw;
	struct ty_member m;
	struct tce_dump *d;
	struct types *t;
	struct fk *k = btf_kernel(_i, "forge_btf");
	char why[300], vml[512];
	uint64_t start;
	size_t i;

	if (!k)
		return;
	d = open_kernel(k);
	t = types_of(d);
	ck_assert_msg(t->has_btf, "%s", t->no_btf);
	ck_assert(!t->has_dwarf);
	bt = provider(t, "btf");
	ck_assert_ptr_nonnull(bt);
	start = fk_symbol(k, "__start_BTF");
	/* found, read at the first question */
	snprintf(why, sizeof(why), "bytes at 0x%" PRIx64 ", not read)", start);
	ck_assert_msg(strstr(bt->what, why), "%s", bt->what);
	ck_assert_int_eq(tce_types_size(t, "struct kvm", &start), 0);
	snprintf(why, sizeof(why), "bytes at 0x%" PRIx64 ")", fk_symbol(k, "__start_BTF"));
	ck_assert_msg(strstr(bt->what, why) && strstr(bt->what, " types, "), "%s", bt->what);
	ck_assert(strstr(bt->what, "BTF in memory ("));

	write_vmlinux(k, vml, sizeof(vml));
	ck_assert_msg(tce_ty_dwarf_open(d, vml, &dw) == 0, "%s", tce_errmsg(d));

	for (i = 0; i < sizeof(forge_names) / sizeof(forge_names[0]); i++) {
		const char *n = forge_names[i];
		struct ty_member w;
		long want = fk_types_offsetof(n);

		ck_assert_msg(want >= 0, "fk_types_offsetof(%s)", n);
		ck_assert_msg(ask(bt, n, &m) == 0, "BTF %s: %s", n, tce_errmsg(d));
		ck_assert_msg(ask(dw, n, &w) == 0, "DWARF %s: %s", n, tce_errmsg(d));
		if (!strchr(n, '.')) {
			ck_assert_msg(m.size == (uint64_t)want, "BTF size of %s: %" PRIu64
				      ", want %ld", n, m.size, want);
			ck_assert_uint_eq(m.size, w.size);
			continue;
		}
		ck_assert_msg(m.offset == (uint64_t)want, "BTF %s: offset %" PRIu64 ", want %ld",
			      n, m.offset, want);
		ck_assert_uint_eq(m.offset, w.offset);
		/* DWARF has no size for a flexible array (pages[]); BTF says 0 */
		ck_assert_msg(m.size == w.size, "%s: BTF size %" PRIu64 ", DWARF %" PRIu64, n,
			      m.size, w.size);
		if (w.elem_size) {
			ck_assert_msg(m.elem_size == w.elem_size && m.count == w.count,
				      "%s: BTF %" PRIu64 " x %" PRIu64 ", DWARF %" PRIu64 " x %"
				      PRIu64, n, m.count, m.elem_size, w.count, w.elem_size);
		}
	}
	/* through the chain: VMCOREINFO knows no paths, BTF answers */
	ck_assert_int_eq(tce_types_member(t, "struct kvm", "arch.spapr_tce_tables", &m), 0);
	ck_assert_uint_eq(m.offset, (uint64_t)fk_types_offsetof("kvm.arch.spapr_tce_tables"));
	ck_assert_int_eq(tce_types_member(t, "struct iommu_table", "pools", &m), 0);
	ck_assert_uint_eq(m.count, 4);
	ck_assert_uint_eq(m.elem_size, (uint64_t)fk_types_offsetof("iommu_pool"));
	ck_assert_int_eq(tce_types_member(t, "struct kvm", "no_such_member", &m), -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(d), "struct kvm has no member no_such_member"), "%s",
		      tce_errmsg(d));

	dw->ops->free(dw);
	unlink(vml);
	tce_types_free(t);
	close_dump(d);
	fk_free(k);
}
END_TEST

/* Has the chain's BTF been read and parsed?  Its description counts types then. */
static bool btf_parsed(struct types *t)
{
	struct ty_provider *bt = provider(t, "btf");

	ck_assert_ptr_nonnull(bt);
	ck_assert(!strstr(bt->what, " types, ") == !!strstr(bt->what, ", not read)"));
	return strstr(bt->what, " types, ") != NULL;
}

/*
 * With DWARF of the dump's own build, BTF in memory is read only for a question DWARF
 * cannot answer: not for what DWARF answers, nor for a member DWARF says its type
 * lacks (the BTF was made of that DWARF); for a type DWARF does not know, it is.
 */
START_TEST(btf_after_dwarf)
{
	struct ty_sources src = { 0 };
	struct ty_member m;
	struct tce_dump *d;
	struct types t;
	struct fk *k = btf_kernel(_i, "btf_after_dwarf");
	char vml[512];
	uint64_t size;

	if (!k)
		return;
	d = open_kernel(k);
	write_vmlinux(k, vml, sizeof(vml));
	src.vmlinux = vml;

	tce_types_init(&t, d);
	ck_assert_int_eq(tce_types_set_sources(&t, &src), 0);
	ck_assert_int_eq(tce_types_load(&t), 0);
	ck_assert(t.has_dwarf && t.has_btf);
	ck_assert(!btf_parsed(&t));
	ck_assert_int_eq(tce_types_member(&t, "struct kvm", "arch.spapr_tce_tables", &m), 0);
	ck_assert_uint_eq(m.offset, (uint64_t)fk_types_offsetof("kvm.arch.spapr_tce_tables"));
	ck_assert_int_eq(tce_types_size(&t, "struct iommu_table", &size), 0);
	ck_assert(!btf_parsed(&t));
	/* DWARF knows struct kvm: BTF is not asked, and DWARF's reason is the one given */
	ck_assert_int_eq(tce_types_member(&t, "struct kvm", "no_such_member", &m),
			 -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(d), "struct kvm has no member no_such_member"), "%s",
		      tce_errmsg(d));
	ck_assert_int_eq(tce_types_member(&t, "struct kvm", "arch.spapr_tce_tables.next.x",
					  &m), -TCE_ENOENT);
	ck_assert(!btf_parsed(&t));
	/* a type DWARF does not know is asked of BTF, which is read for it */
	ck_assert_int_eq(tce_types_size(&t, "struct no_such_type", &size), -TCE_ENOENT);
	ck_assert(btf_parsed(&t));
	ck_assert(t.has_btf);
	tce_types_free(&t);

	/* settled, as info reports it: read whatever was asked */
	tce_types_init(&t, d);
	ck_assert_int_eq(tce_types_set_sources(&t, &src), 0);
	ck_assert_int_eq(tce_types_settle(&t), 0);
	ck_assert(btf_parsed(&t));
	tce_types_free(&t);
	unlink(vml);
	close_dump(d);
	fk_free(k);
}
END_TEST

/* ------------------------------------------------------------ BTF of our own */

/*
 * BTF written with libbpf's writer, in the byte order e:
 *   struct inner { int x; long y[4]; };                              40 bytes
 *   struct bits { int lo:3; int hi:5; int whole; };                   8 bytes
 *   struct outer { long a; struct { int b; union { char c; long d; }; };
 *                  struct inner in; struct inner *ptr; struct bits flags; };  80
 *   typedef struct outer outer_t; typedef const volatile struct outer cv_outer_t;
 *   enum colour { RED };  typedef loop_t loop_t (a type that names itself)
 * *base (if not NULL) gets the BTF object, for split BTF on top of it.
 */
#define OUTER_ID 10
static void *own_btf(enum forge_endian e, uint32_t *size, struct btf **base)
{
	struct btf *b = btf__new_empty();
	int i_int, i_long, i_char, i_arr, i_inner, i_u, i_s, i_ptr, i_bits, i_outer, i_c, i_v;
	const void *raw;
	void *copy;

	ck_assert_ptr_nonnull(b);
	i_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	i_long = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	i_char = btf__add_int(b, "char", 1, BTF_INT_CHAR);
	i_arr = btf__add_array(b, i_int, i_long, 4);
	i_inner = btf__add_struct(b, "inner", 40);
	ck_assert_int_eq(btf__add_field(b, "x", i_int, 0, 0), 0);
	ck_assert_int_eq(btf__add_field(b, "y", i_arr, 64, 0), 0);
	i_u = btf__add_union(b, NULL, 8);
	ck_assert_int_eq(btf__add_field(b, "c", i_char, 0, 0), 0);
	ck_assert_int_eq(btf__add_field(b, "d", i_long, 0, 0), 0);
	i_s = btf__add_struct(b, NULL, 16);
	ck_assert_int_eq(btf__add_field(b, "b", i_int, 0, 0), 0);
	ck_assert_int_eq(btf__add_field(b, NULL, i_u, 64, 0), 0);
	i_ptr = btf__add_ptr(b, i_inner);
	i_bits = btf__add_struct(b, "bits", 8);
	ck_assert_int_eq(btf__add_field(b, "lo", i_int, 0, 3), 0);
	ck_assert_int_eq(btf__add_field(b, "hi", i_int, 3, 5), 0);
	ck_assert_int_eq(btf__add_field(b, "whole", i_int, 32, 0), 0);
	i_outer = btf__add_struct(b, "outer", 80);
	ck_assert_int_eq(i_outer, OUTER_ID);
	ck_assert_int_eq(btf__add_field(b, "a", i_long, 0, 0), 0);
	ck_assert_int_eq(btf__add_field(b, NULL, i_s, 64, 0), 0);
	ck_assert_int_eq(btf__add_field(b, "in", i_inner, 192, 0), 0);
	ck_assert_int_eq(btf__add_field(b, "ptr", i_ptr, 512, 0), 0);
	ck_assert_int_eq(btf__add_field(b, "flags", i_bits, 576, 0), 0);
	ck_assert_int_gt(btf__add_typedef(b, "outer_t", i_outer), 0);
	i_c = btf__add_const(b, i_outer);
	i_v = btf__add_volatile(b, i_c);
	ck_assert_int_gt(btf__add_typedef(b, "cv_outer_t", i_v), 0);
	ck_assert_int_gt(btf__add_enum(b, "colour", 4), 0);
	ck_assert_int_eq(btf__add_enum_value(b, "RED", 0), 0);
	/* a typedef of itself: the next id is its own */
	ck_assert_int_gt(btf__add_typedef(b, "loop_t", (int)btf__type_cnt(b)), 0);
	ck_assert_int_eq(btf__set_endianness(b, e == FORGE_BE ? BTF_BIG_ENDIAN :
					      BTF_LITTLE_ENDIAN), 0);
	raw = btf__raw_data(b, size);
	ck_assert_ptr_nonnull(raw);
	copy = malloc(*size);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, raw, *size);
	if (base)
		*base = b;
	else
		btf__free(b);
	return copy;
}

/*
 * A forge kernel (variant vi, kallsyms with data symbols) with len bytes of buf in
 * kernel data, __start_BTF at them and __stop_BTF stop_off bytes further; at
 * *start_out the start.  buf NULL: __start_BTF at kernel-virtual *start_out (nothing
 * written).
 */
static struct fk *kernel_with(int vi, const void *buf, size_t len, int64_t stop_off,
			      uint64_t *start_out)
{
	struct fk_opts o = variant_opts(vi, 64, false, 1ULL << 30);
	struct fk *k;
	uint64_t start = *start_out;

	o.kallsyms = FK_KALLSYMS_ALL;
	k = make_kernel(&o);
	if (buf) {
		uint64_t phys = fk_alloc(k, len, 8);

		ck_assert_uint_ne(phys, 0);
		ck_assert_int_eq(forge_write(fk_forge(k), phys, buf, len), 0);
		start = fk_kva(phys);
	}
	ck_assert_int_eq(fk_symbol_add(k, "__start_BTF", start, 'R'), 0);
	ck_assert_int_eq(fk_symbol_add(k, "__stop_BTF", start + (uint64_t)stop_off, 'R'), 0);
	*start_out = start;
	return k;
}

/* Sizes and member paths of own_btf() through the chain, as test-types checks DWARF. */
START_TEST(own_shapes)
{
	enum forge_endian e = variants[_i].endian;
	struct ty_member m;
	struct tce_dump *d;
	struct types *t;
	struct fk *k;
	uint64_t v, start = 0;
	uint32_t size;
	void *raw = own_btf(e, &size, NULL);

	k = kernel_with(_i, raw, size, size, &start);
	d = open_kernel(k);
	t = types_of(d);
	ck_assert_msg(t->has_btf, "%s", t->no_btf);
	ck_assert_int_eq(tce_types_size(t, "struct outer", &v), 0);
	ck_assert_uint_eq(v, 80);
	ck_assert_int_eq(tce_types_size(t, "outer_t", &v), 0);
	ck_assert_uint_eq(v, 80);
	ck_assert_int_eq(tce_types_size(t, "cv_outer_t", &v), 0);
	ck_assert_uint_eq(v, 80);
	ck_assert_int_eq(tce_types_size(t, "struct inner", &v), 0);
	ck_assert_uint_eq(v, 40);
	ck_assert_int_eq(tce_types_size(t, "enum colour", &v), 0);
	ck_assert_uint_eq(v, 4);
	ck_assert_int_eq(tce_types_size(t, "struct nowhere", &v), -TCE_ENOENT);
	ck_assert_int_eq(tce_types_size(t, "union outer", &v), -TCE_ENOENT);
	/* a type that names itself resolves to nothing, and says so */
	ck_assert_int_eq(tce_types_size(t, "loop_t", &v), -TCE_ENOENT);
	ck_assert_int_ne(tce_types_member(t, "loop_t", "a", &m), 0);

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
	ck_assert_int_eq(tce_types_member(t, "struct outer", "c", &m), 0);
	ck_assert_uint_eq(m.offset, 16);
	ck_assert_uint_eq(m.size, 1);
	/* a path, an array with its element size and count */
	ck_assert_int_eq(tce_types_member(t, "struct outer", "in.y", &m), 0);
	ck_assert_uint_eq(m.offset, 24 + 8);
	ck_assert_uint_eq(m.size, 32);
	ck_assert_uint_eq(m.elem_size, 8);
	ck_assert_uint_eq(m.count, 4);
	ck_assert_int_eq(tce_types_member(t, "outer_t", "in.x", &m), 0);
	ck_assert_uint_eq(m.offset, 24);
	ck_assert_int_eq(tce_types_member(t, "cv_outer_t", "ptr", &m), 0);
	ck_assert_uint_eq(m.offset, 64);
	ck_assert_uint_eq(m.size, 8);
	ck_assert_uint_eq(m.elem_size, 0);
	ck_assert_int_eq(tce_types_member(t, "struct outer", "flags.whole", &m), 0);
	ck_assert_uint_eq(m.offset, 76);
	ck_assert_uint_eq(m.size, 4);
	/* bit fields have no byte offset: refused with their bits */
	ck_assert_int_eq(tce_types_member(t, "struct outer", "flags.hi", &m), -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(d), "struct outer.flags.hi is a bit field (bits "
			     "579..583)"), "%s", tce_errmsg(d));
	ck_assert_int_eq(tce_types_member(t, "struct bits", "lo", &m), -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(d), "bits 0..2"), "%s", tce_errmsg(d));
	/* no such member, a path through a pointer */
	ck_assert_int_eq(tce_types_member(t, "struct outer", "nope", &m), -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(d), "struct outer has no member nope"), "%s",
		      tce_errmsg(d));
	ck_assert_int_eq(tce_types_member(t, "struct outer", "ptr.x", &m), -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(d), "not a structure or union"), "%s", tce_errmsg(d));
	ck_assert_int_eq(tce_types_member(t, "struct outer", "in.y.z", &m), -TCE_ENOENT);
	/* no symbols from BTF: kallsyms answers */
	ck_assert_int_eq(tce_types_symbol(t, "__start_BTF", &v), 0);
	ck_assert_uint_eq(v, start);

	tce_types_free(t);
	close_dump(d);
	fk_free(k);
	free(raw);
}
END_TEST

/* ------------------------------------------------------------ damage */

enum damage {
	D_TRUNCATED,          /* __stop_BTF 16 bytes after __start_BTF */
	D_CUT,                /* half of it */
	D_ABSURD_LEN,         /* the header's type_len 0xfffffff0 */
	D_STOP_BEFORE,        /* __stop_BTF below __start_BTF */
	D_HUGE,               /* 3.75 GiB between them (kallsyms' offsets are 32-bit) */
	D_MAGIC,
	D_VERSION,
	D_HDR_LEN,            /* hdr_len 8 */
	D_TYPES,              /* the type section 0xff bytes */
	D_STRINGS,            /* the string section without its final NUL */
	D_TYPE_CUT,           /* the header's type_len 4 short: the last type runs past
				 it (libbpf warns, at LIBBPF_WARN) */
	D_NOT_IN_DUMP,        /* the symbols where the dump holds nothing */
	D_NONE,               /* neither symbol */
	D_NO_STOP,            /* __start_BTF only */
	D_COUNT
};

static const char *const damage_says[D_COUNT] = {
	[D_TRUNCATED] = "16 bytes cannot hold BTF",
	[D_CUT] = "does not fit its",
	[D_ABSURD_LEN] = "types 0+4294967280",
	[D_STOP_BEFORE] = "is not above __start_BTF",
	[D_HUGE] = "4026531840 bytes is no BTF (more than the dump's memory)",
	[D_MAGIC] = "is not BTF's",
	[D_VERSION] = "BTF version 2 (only 1 exists)",
	[D_HDR_LEN] = "header (length 8,",
	[D_TYPES] = "libbpf refuses it: Invalid argument (Unsupported BTF_KIND:31)",
	[D_STRINGS] = "libbpf refuses it: Invalid argument (Invalid BTF string section)",
	[D_TYPE_CUT] = "libbpf refuses it: Invalid argument (BTF type",
	[D_NOT_IN_DUMP] = "BTF in memory at 0xc000000030000000 (4096 bytes): physical "
			  "0x30000000+4096 is not in the dump",
	[D_NONE] = "no BTF in memory: __start_BTF is unknown",
	[D_NO_STOP] = "no BTF in memory: __stop_BTF is unknown",
};

/*
 * Each damage: loading the types still succeeds, without BTF, with one line saying
 * why (kept for info and for the "unknown" answers); nothing crashes (ASan, UBSan).
 */
START_TEST(damaged)
{
	enum forge_endian e = _i % 2 ? FORGE_BE : FORGE_LE;
	enum damage dm = (enum damage)(_i / 2);
	enum tce_byteorder bo = e == FORGE_BE ? TCE_BE : TCE_LE;
	uint32_t size, hdr_len, type_len;
	unsigned char *raw = own_btf(e, &size, NULL);
	struct ty_member m;
	struct tce_dump *d;
	struct types *t;
	struct fk *k;
	uint64_t start = 0;
	int64_t stop = size;
	int vi = e == FORGE_BE ? 1 : 0, saved, ret;
	FILE *err;

	hdr_len = tce_bo32(raw + 4, bo);
	type_len = tce_bo32(raw + 12, bo);
	switch (dm) {
	case D_TRUNCATED:
		stop = 16;
		break;
	case D_CUT:
		stop = size / 2;
		break;
	case D_ABSURD_LEN:
		raw[12 + (bo == TCE_BE ? 0 : 3)] = 0xff;
		raw[12 + (bo == TCE_BE ? 1 : 2)] = 0xff;
		raw[12 + (bo == TCE_BE ? 2 : 1)] = 0xff;
		raw[12 + (bo == TCE_BE ? 3 : 0)] = 0xf0;
		break;
	case D_STOP_BEFORE:
		stop = -8;
		break;
	case D_HUGE:
		stop = 0xf0000000LL;
		break;
	case D_MAGIC:
		raw[0] ^= 0xff;
		break;
	case D_VERSION:
		raw[2] = 2;
		break;
	case D_HDR_LEN:
		raw[4 + (bo == TCE_BE ? 3 : 0)] = 8;
		break;
	case D_TYPES:
		memset(raw + hdr_len, 0xff, type_len);
		break;
	case D_STRINGS:
		raw[size - 1] = 'x';
		break;
	case D_TYPE_CUT:
		type_len -= 4;
		raw[12 + (bo == TCE_BE ? 0 : 3)] = (unsigned char)(type_len >> 24);
		raw[12 + (bo == TCE_BE ? 1 : 2)] = (unsigned char)(type_len >> 16);
		raw[12 + (bo == TCE_BE ? 2 : 1)] = (unsigned char)(type_len >> 8);
		raw[12 + (bo == TCE_BE ? 3 : 0)] = (unsigned char)type_len;
		break;
	case D_NOT_IN_DUMP:
		stop = 4096;
		break;
	default:
		break;
	}
	if (dm == D_NONE || dm == D_NO_STOP) {
		struct fk_opts o = variant_opts(vi, 64, false, 1ULL << 30);

		o.kallsyms = FK_KALLSYMS_ALL;
		k = make_kernel(&o);
		if (dm == D_NO_STOP)
			ck_assert_int_eq(fk_symbol_add(k, "__start_BTF", 0xc000000001000000ULL,
						       'R'), 0);
	} else if (dm == D_NOT_IN_DUMP) {
		/* RAM, but the forge's dump holds only kernel data and struct pages */
		start = 0xc000000030000000ULL;
		k = kernel_with(vi, NULL, 0, stop, &start);
	} else {
		k = kernel_with(vi, raw, size, stop, &start);
	}
	d = open_kernel(k);
	/* one line of ours, and nothing printed: libbpf's warnings are caught */
	fflush(stderr);
	saved = dup(2);
	ck_assert_ptr_nonnull(err = tmpfile());
	ck_assert_int_ge(dup2(fileno(err), 2), 0);
	t = types_of(d);
	/* BTF is read at the first lookup that reaches it (there is no DWARF): the
	 * damage is met there, and the lookup says what is missing */
	ret = tce_types_member(t, "struct outer", "a", &m);
	fflush(stderr);
	ck_assert_int_ge(dup2(saved, 2), 0);
	close(saved);
	ck_assert_msg(ftell(err) == 0 && fseek(err, 0, SEEK_END) == 0 && ftell(err) == 0,
		      "damage %d: %ld bytes on stderr", dm, ftell(err));
	fclose(err);
	ck_assert_int_eq(ret, -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(d), damage_says[dm]), "%s", tce_errmsg(d));
	ck_assert(strstr(tce_errmsg(d), "no DWARF was found"));
	if (dm == D_TYPES || dm == D_STRINGS || dm == D_TYPE_CUT)
		ck_assert_msg(t->no_btf[strlen(t->no_btf) - 1] == ')', "damage %d: %s", dm,
			      t->no_btf);
	/* and from then on the chain is as if there were none */
	ck_assert(!t->has_btf);
	ck_assert_ptr_null(provider(t, "btf"));
	ck_assert_msg(strstr(t->no_btf, damage_says[dm]), "damage %d: %s", dm, t->no_btf);
	ck_assert_ptr_null(strchr(t->no_btf, '\n'));
	ck_assert_int_eq(tce_types_settle(t), 0);
	ck_assert(!t->has_btf);
	tce_types_free(t);

	/* settled before any lookup (what info reports): the same */
	t = types_of(d);
	ck_assert_int_eq(tce_types_settle(t), 0);
	ck_assert(!t->has_btf);
	ck_assert_ptr_null(provider(t, "btf"));
	ck_assert_msg(strstr(t->no_btf, damage_says[dm]), "damage %d: %s", dm, t->no_btf);
	tce_types_free(t);
	close_dump(d);
	fk_free(k);
	free(raw);
}
END_TEST

/* ------------------------------------------------------------ a module's split BTF */

/* struct modthing { struct outer o; int z; } (96 bytes) on top of own_btf() */
START_TEST(module_split)
{
	enum forge_endian e = variants[_i].endian;
	struct ty_provider *bt, *mp, *ks;
	struct btf *base, *split;
	struct ty_member m;
	struct tce_dump *d;
	struct types *t;
	struct fk *k;
	uint64_t v, start = 0, mphys;
	uint32_t size, msize;
	const void *mraw;
	void *raw = own_btf(e, &size, &base);
	int id;

	split = btf__new_empty_split(base);
	ck_assert_ptr_nonnull(split);
	id = btf__add_struct(split, "modthing", 96);
	ck_assert_int_gt(id, OUTER_ID);
	ck_assert_int_eq(btf__add_field(split, "o", OUTER_ID, 0, 0), 0);
	ck_assert_int_eq(btf__add_field(split, "z", 1, 640, 0), 0);
	ck_assert_int_eq(btf__set_endianness(split, e == FORGE_BE ? BTF_BIG_ENDIAN :
					      BTF_LITTLE_ENDIAN), 0);
	mraw = btf__raw_data(split, &msize);
	ck_assert_ptr_nonnull(mraw);

	k = kernel_with(_i, raw, size, size, &start);
	mphys = fk_alloc(k, msize, 8);
	ck_assert_uint_ne(mphys, 0);
	ck_assert_int_eq(forge_write(fk_forge(k), mphys, mraw, msize), 0);
	d = open_kernel(k);
	t = types_of(d);
	ck_assert_msg(t->has_btf, "%s", t->no_btf);
	bt = provider(t, "btf");
	ck_assert_ptr_nonnull(bt);

	ck_assert_msg(tce_ty_btf_module_new(bt, "modx", fk_kva(mphys), msize, &mp) == 0, "%s",
		      tce_errmsg(d));
	ck_assert_msg(strstr(mp->what, "BTF of module modx (1 types,"), "%s", mp->what);
	ck_assert_int_eq(mp->ops->size(mp, "struct modthing", &v), 0);
	ck_assert_uint_eq(v, 96);
	ck_assert_int_eq(mp->ops->member(mp, "struct modthing", "o.in.y", &m), 0);
	ck_assert_uint_eq(m.offset, 32);
	ck_assert_uint_eq(m.elem_size, 8);
	ck_assert_uint_eq(m.count, 4);
	ck_assert_int_eq(mp->ops->member(mp, "struct modthing", "o.d", &m), 0);
	ck_assert_uint_eq(m.offset, 16);
	ck_assert_int_eq(mp->ops->member(mp, "struct modthing", "z", &m), 0);
	ck_assert_uint_eq(m.offset, 80);
	ck_assert_uint_eq(m.size, 4);
	/* the module answers for its own types, vmlinux's for the base's */
	ck_assert_int_eq(mp->ops->size(mp, "struct outer", &v), -TCE_ENOENT);
	mp->ops->free(mp);

	/* damaged: cut short, or a base that is not BTF */
	ck_assert_int_eq(tce_ty_btf_module_new(bt, "modx", fk_kva(mphys), 12, &mp),
			 -TCE_ECORRUPT);
	ck_assert_msg(strstr(tce_errmsg(d), "BTF of module modx at 0x"), "%s", tce_errmsg(d));
	ks = provider(t, "kallsyms");
	ck_assert_ptr_nonnull(ks);
	ck_assert_int_eq(tce_ty_btf_module_new(ks, "modx", fk_kva(mphys), msize, &mp),
			 -TCE_EINVAL);

	btf__free(split);
	btf__free(base);
	tce_types_free(t);
	close_dump(d);
	fk_free(k);
	free(raw);
}
END_TEST

/* ------------------------------------------------------------ real dumps */

/* what the TCE walkers and the vmemmap code read, and their neighbours */
static const char *const real_names[] = {
	"page", "page.flags", "page.lru", "page.mapping", "page.index", "page.private",
	"page._mapcount", "page._refcount", "page.compound_head", "page.memcg_data",
	"page.pp_magic", "page.pp",
	"iommu_table", "iommu_table.it_busno", "iommu_table.it_size",
	"iommu_table.it_indirect_levels", "iommu_table.it_level_size",
	"iommu_table.it_allocated_size", "iommu_table.it_offset", "iommu_table.it_base",
	"iommu_table.it_index", "iommu_table.it_type", "iommu_table.it_blocksize",
	"iommu_table.poolsize", "iommu_table.nr_pools", "iommu_table.large_pool",
	"iommu_table.pools", "iommu_table.it_map", "iommu_table.it_page_shift",
	"iommu_table.it_group_list", "iommu_table.it_userspace", "iommu_table.it_ops",
	"iommu_table.it_kref", "iommu_table.it_nid", "iommu_table.it_reserved_start",
	"iommu_table.it_reserved_end", "iommu_pool", "iommu_pool.start",
	"iommu_table_group", "iommu_table_group.tables", "iommu_table_group.ops",
	"iommu_table_group.max_levels", "iommu_table_group.pgsizes",
	"pci_controller", "pci_controller.list_node", "pci_controller.global_number",
	"pci_controller.private_data",
	"pnv_phb", "pnv_phb.hose", "pnv_phb.type", "pnv_phb.ioda", "pnv_phb.ioda.total_pe_num",
	"pnv_phb.ioda.pe_array", "pnv_phb.ioda.pe_list", "pnv_ioda_pe", "pnv_ioda_pe.phb",
	"pnv_ioda_pe.pe_number", "pnv_ioda_pe.table_group", "pnv_ioda_pe.list",
	"kvm", "kvm.mm", "kvm.vm_list", "kvm.arch", "kvm.arch.spapr_tce_tables",
	"kvmppc_spapr_tce_table", "kvmppc_spapr_tce_table.liobn",
	"kvmppc_spapr_tce_table.pages",
	"module", "module.state", "module.list", "module.name", "module.mem",
	"module.kallsyms", "module.btf_data", "module.btf_data_size", "module.sect_attrs",
	"mm_struct", "mm_struct.pgd", "mm_struct.mm_users",
	"vmemmap_backing", "vmemmap_backing.list", "vmemmap_backing.phys",
	"vmemmap_backing.virt_addr", "mem_section", "mem_section.section_mem_map",
	"mmu_psize_def", "mmu_psize_def.shift", "cpu_spec", "cpu_spec.cpu_features",
	"list_head", "list_head.next", "task_struct", "task_struct.tasks", "task_struct.mm",
	"task_struct.pid", "task_struct.comm",
};

static const char *cache_dir(char *buf, size_t len)
{
	const char *c = getenv("TCE_CACHE"), *home = getenv("HOME");

	if (c && *c)
		snprintf(buf, len, "%s", c);
	else if (home && *home)
		snprintf(buf, len, "%s/.cache/tce-inspect", home);
	else
		return NULL;
	return buf;
}

/* The vmlinux of btf61-powernv: the path tests/e2e/btf-kernel.sh --dump wrote beside it. */
static bool built_vmlinux(const char *cache, char *vml, size_t len)
{
	char p[1024];
	FILE *f;
	bool ok;

	snprintf(p, sizeof(p), "%s/dumps/btf61-powernv/vmlinux", cache);
	f = fopen(p, "r");
	if (!f)
		return false;
	ok = fgets(vml, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		vml[strcspn(vml, "\n")] = '\0';
	return ok && !access(vml, R_OK);
}

/*
 * Debian 13's 6.12 is built with CONFIG_DEBUG_INFO_BTF: the cached dumps' BTF (read
 * from memory, no debug file) against the DWARF of the same build's -dbg vmlinux.  And
 * the 6.1 the project builds with BTF (tests/e2e/btf-kernel.sh --dump: powernv9)
 * against its own vmlinux's DWARF.
 */
START_TEST(real_dumps)
{
	static const char *const dumps[] = { "d13-radix", "d13-64k-radix", "btf61-powernv" };
	char cache[512], path[1024], vml[2048];
	unsigned i;

	if (!cache_dir(cache, sizeof(cache))) {
		fprintf(stderr, "real_dumps: skipped: no HOME or TCE_CACHE\n");
		return;
	}
	for (i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		struct tce_dump_info in = { .size = sizeof(in) };
		struct ty_provider *bt, *dw;
		struct tce_dump *d;
		struct types *t;
		unsigned compared = 0, both_unknown = 0;
		size_t j;

		bool built = !strcmp(dumps[i], "btf61-powernv");

		snprintf(path, sizeof(path), "%s/dumps/%s/vmcore.elf", cache, dumps[i]);
		if (access(path, R_OK)) {
			fprintf(stderr, "real_dumps: %s skipped: %s is not there (%s makes it)\n",
				dumps[i], path, built ? "tests/e2e/btf-kernel.sh --dump" :
				"tests/e2e/mkdump.sh");
			continue;
		}
		ck_assert_msg(open_path(path, &d) == 0, "%s: %s", path, tce_errmsg(d));
		ck_assert_int_eq(dump_info(d, &in), 0);
		if (built) {
			if (!built_vmlinux(cache, vml, sizeof(vml)))
				snprintf(vml, sizeof(vml), "%s/dumps/btf61-powernv/vmlinux", cache);
		} else {
			snprintf(vml, sizeof(vml), "%s/debug/trees/%s/usr/lib/debug/boot/"
				 "vmlinux-%s", cache, in.release, in.release);
		}
		if (access(vml, R_OK)) {
			fprintf(stderr, "real_dumps: %s skipped: %s is not there (%s)\n", dumps[i],
				vml, built ? "tests/e2e/btf-kernel.sh builds it" :
				"tests/e2e/fetch-debug.sh lays it out");
			close_dump(d);
			continue;
		}
		t = types_of(d);
		ck_assert_msg(t->has_btf, "%s: %s", path, t->no_btf);
		bt = provider(t, "btf");
		ck_assert_msg(tce_ty_dwarf_open(d, vml, &dw) == 0, "%s", tce_errmsg(d));
		for (j = 0; j < sizeof(real_names) / sizeof(real_names[0]); j++) {
			struct ty_member mb, md;
			int rb = ask(bt, real_names[j], &mb), rd = ask(dw, real_names[j], &md);

			ck_assert_msg(rb == rd, "%s: %s: BTF says %d, DWARF %d (%s)", dumps[i],
				      real_names[j], rb, rd, tce_errmsg(d));
			if (rb) {
				both_unknown++;     /* a module's type (kvm is kvm.ko's) */
				continue;
			}
			ck_assert_msg(mb.offset == md.offset && mb.size == md.size,
				      "%s: %s: BTF offset %" PRIu64 " size %" PRIu64 ", DWARF %"
				      PRIu64 " %" PRIu64, dumps[i], real_names[j], mb.offset,
				      mb.size, md.offset, md.size);
			if (md.elem_size)
				ck_assert_msg(mb.elem_size == md.elem_size &&
					      mb.count == md.count, "%s: %s: arrays differ",
					      dumps[i], real_names[j]);
			compared++;
		}
		fprintf(stderr, "real_dumps: %s (%s): %s; %u answers equal DWARF's, %u "
			"unknown to both\n", dumps[i], in.release, bt->what, compared,
			both_unknown);
		dw->ops->free(dw);
		tce_types_free(t);
		close_dump(d);
	}
}
END_TEST

/* kvm.ko's types, and the base's it uses */
static const char *const kvm_names[] = {
	"kvmppc_spapr_tce_table", "kvmppc_spapr_tce_table.list",
	"kvmppc_spapr_tce_table.kvm", "kvmppc_spapr_tce_table.liobn",
	"kvmppc_spapr_tce_table.page_shift", "kvmppc_spapr_tce_table.offset",
	"kvmppc_spapr_tce_table.size", "kvmppc_spapr_tce_table.iommu_tables",
	"kvmppc_spapr_tce_table.pages", "kvmppc_spapr_tce_iommu_table",
	"kvmppc_spapr_tce_iommu_table.tbl", "kvm", "kvm.mm", "kvm.vm_list", "kvm.arch",
	"kvm.arch.spapr_tce_tables", "kvm.memslots", "kvm.users_count", "kvm.userspace_pid",
	"kvm_memslots", "kvm_memslots.gfn_tree", "kvm_memory_slot",
	"kvm_memory_slot.base_gfn", "kvm_memory_slot.npages", "kvm_memory_slot.userspace_addr",
	"kvm_memory_slot.gfn_node", "kvm_vcpu", "kvm_vcpu.kvm", "kvm_vcpu.arch",
};

/*
 * A module's split BTF on a real dump: Debian 13's powernv KVM host (d13-pnv-kvm in the
 * cache) with kvm.ko loaded.  Its BTF, found on btf_modules with vmlinux's BTF (read
 * from memory), answers kvm.ko's types as the DWARF of kvm.ko and vmlinux does.
 */
START_TEST(real_module_btf)
{
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	struct tce_types_info ti = TCE_TYPES_INFO_INIT;
	struct tce_dump_info in = { .size = sizeof(in) };
	struct ty_provider *ks, *bt, *mp;
	const struct tce_module_info *kvm = NULL;
	struct tce_analysis *a;
	struct tce_dump *d;
	char cache[512], path[1024], tree[1024], vml[2048];
	unsigned own = 0;
	size_t i;

	if (!cache_dir(cache, sizeof(cache))) {
		fprintf(stderr, "real_module_btf: skipped: no HOME or TCE_CACHE\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/dumps/d13-pnv-kvm/vmcore.elf", cache);
	if (access(path, R_OK)) {
		fprintf(stderr, "real_module_btf: skipped: %s is not there (tests/e2e/mkdump.sh "
			"d13-pnv-kvm makes it)\n", path);
		return;
	}
	ck_assert_msg(open_path(path, &d) == 0, "%s: %s", path, tce_errmsg(d));
	ck_assert_int_eq(dump_info(d, &in), 0);
	snprintf(tree, sizeof(tree), "%s/debug/trees/%s/usr/lib/debug", cache, in.release);
	snprintf(vml, sizeof(vml), "%s/boot/vmlinux-%s", tree, in.release);
	if (access(vml, R_OK)) {
		fprintf(stderr, "real_module_btf: skipped: %s is not there (tests/e2e/"
			"fetch-debug.sh lays it out)\n", vml);
		close_dump(d);
		return;
	}
	/* the analysis with the debug tree: DWARF of vmlinux and kvm.ko, the truth; and
	 * the translations of module memory (vmalloc), which its model installs */
	a = view_analysis(d);
	to.debug_dir = tree;
	to.debuginfod = false;
	ck_assert_int_eq(tce_analysis_set_types(a, &to), 0);
	ck_assert_msg(tce_analysis_types(a, &ti) == 0, "%s", tce_errmsg(d));
	ck_assert(ti.dwarf);
	for (i = 0; i < ti.nmodules; i++)
		if (!strcmp(ti.modules[i].name, "kvm"))
			kvm = &ti.modules[i];
	ck_assert_msg(kvm && kvm->dwarf_path, "kvm.ko or its DWARF is missing");

	/* BTF alone: vmlinux's from memory, kvm.ko's from btf_modules */
	ck_assert_msg(tce_ty_kallsyms_new(d, false, &ks) == 0, "%s", tce_errmsg(d));
	ck_assert_msg(tce_ty_btf_new(d, &ks, 1, &bt) == 0, "%s", tce_errmsg(d));
	ck_assert_msg(tce_ty_btf_module_find(bt, &ks, 1, kvm->addr, "kvm", &mp, NULL) == 0, "%s",
		      tce_errmsg(d));
	for (i = 0; i < sizeof(kvm_names) / sizeof(kvm_names[0]); i++) {
		const char *n = kvm_names[i], *dot = strchr(n, '.');
		struct ty_member mb;
		uint64_t off = 0, size = 0;
		char type[128];
		int rb = ask(mp, n, &mb);

		if (rb == -TCE_ENOENT)
			rb = ask(bt, n, &mb);     /* a type of the base */
		else
			own++;
		ck_assert_msg(rb == 0, "BTF: %s: %s", n, tce_errmsg(d));
		snprintf(type, sizeof(type), "struct %.*s", dot ? (int)(dot - n) : (int)strlen(n),
			 n);
		if (dot) {
			ck_assert_msg(tce_analysis_member(a, type, dot + 1, &off, &size) == 0,
				      "DWARF: %s: %s", n, tce_errmsg(d));
		} else {
			ck_assert_msg(tce_analysis_type_size(a, type, &size) == 0, "DWARF: %s: %s",
				      n, tce_errmsg(d));
		}
		ck_assert_msg(mb.offset == off && mb.size == size, "%s: BTF offset %" PRIu64
			      " size %" PRIu64 ", DWARF %" PRIu64 " %" PRIu64, n, mb.offset,
			      mb.size, off, size);
	}
	ck_assert_uint_gt(own, 0);
	fprintf(stderr, "real_module_btf: %s: %zu answers equal DWARF's, %u of them from "
		"kvm.ko's own types\n", mp->what, sizeof(kvm_names) / sizeof(kvm_names[0]), own);
	mp->ops->free(mp);
	/* a module that is not on the list */
	ck_assert_int_eq(tce_ty_btf_module_find(bt, &ks, 1, 0xc008000000000000ULL, "nothing",
						&mp, NULL), -TCE_ENOENT);
	ck_assert_msg(strstr(tce_errmsg(d), "not on btf_modules"), "%s", tce_errmsg(d));
	bt->ops->free(bt);
	ks->ops->free(ks);
	close_dump(d);
}
END_TEST

/*
 * The repository's Debian 13 sample keeps kallsyms but not the pages of .BTF: the
 * symbols are found and the read says where the dump lacks them.
 */
START_TEST(sample_without_btf_pages)
{
	const char *srcdir = getenv("srcdir"), *tmp = getenv("TMPDIR");
	char xz[1024], out[1024], cmd[2600];
	struct tce_dump *d;
	struct types *t;
	uint64_t start;
	int fd;

	snprintf(xz, sizeof(xz), "%s/tests/fixtures/sample-d13-radix.elf.xz",
		 srcdir && *srcdir ? srcdir : ".");
	if (access(xz, R_OK) || system("command -v xz >/dev/null 2>&1")) {
		fprintf(stderr, "sample_without_btf_pages: skipped: no %s or no xz\n", xz);
		return;
	}
	snprintf(out, sizeof(out), "%s/tce-btf-sample-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(out);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "xz -dc '%s' > '%s'", xz, out);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_msg(open_path(out, &d) == 0, "%s", tce_errmsg(d));
	t = types_of(d);
	ck_assert_int_eq(tce_types_settle(t), 0);
	ck_assert(!t->has_btf);
	ck_assert_int_eq(tce_types_symbol(t, "__start_BTF", &start), 0);
	snprintf(cmd, sizeof(cmd), "BTF in memory at 0x%" PRIx64 " (4304647 bytes)", start);
	ck_assert_msg(strstr(t->no_btf, cmd), "%s", t->no_btf);
	ck_assert_ptr_null(strchr(t->no_btf, '\n'));
	fprintf(stderr, "sample_without_btf_pages: %s\n", t->no_btf);
	tce_types_free(t);
	close_dump(d);
	unlink(out);
}
END_TEST

static Suite *btf_suite(void)
{
	Suite *s = suite_create("btf");
	TCase *tc = tcase_create("forge");
	TCase *real = tcase_create("real");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, forge_btf, 0, NVARIANTS);
	tcase_add_loop_test(tc, btf_after_dwarf, 0, NVARIANTS);
	tcase_add_loop_test(tc, own_shapes, 0, NVARIANTS);
	tcase_add_loop_test(tc, damaged, 0, 2 * D_COUNT);
	tcase_add_loop_test(tc, module_split, 0, NVARIANTS);
	suite_add_tcase(s, tc);
	tcase_set_timeout(real, 600);
	tcase_add_test(real, real_dumps);
	tcase_add_test(real, real_module_btf);
	tcase_add_test(real, sample_without_btf_pages);
	suite_add_tcase(s, real);
	return s;
}

int main(void)
{
	return run_suite(btf_suite());
}
