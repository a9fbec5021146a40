// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdumpcheck: opens a ppc64 vmcore with libkdumpfile, the library tce-inspect builds on,
 * and prints what libkdumpfile itself reads from it, as JSON in oracle.py's shape: the
 * file's attributes (format, arch, byte order, page size, kernel release), vmemmap_list
 * walked with KDUMP_KVADDR reads of the linear map, the vmemmap page size from
 * mmu_psize_defs[mmu_vmemmap_psize], and for each pfn given the struct page read by
 * KDUMP_KPHYSADDR at the address the hot-remove-safe rule gives (the one block holding
 * the whole struct page), and SPARSEMEM's present memory sections (mem_section's root array
 * and roots read by KDUMP_KVADDR, as VMCOREINFO describes them; roots the dump does not hold
 * are listed, not guessed).  An argument phys=ADDR instead of a pfn reads 8 bytes at physical
 * ADDR (KDUMP_KPHYSADDR) and reports them or libkdumpfile's error, under "phys".  An argument
 * PFN@PHYS reads pfn's struct page at PHYS (the oracle's translation) without looking for
 * it in vmemmap_list: for dumps whose kernel keeps none (6.12 radix maps the vmemmap in its
 * page tables only, which libkdumpfile 0.5.1 does not translate), it still checks that
 * libkdumpfile reads the same bytes there.  Physical reads use KDUMP_KPHYSADDR on 64K-page
 * dumps and KDUMP_MACHPHYSADDR (the same addresses on ppc64) on 4K-page ones, where
 * libkdumpfile 0.5.1 fails every KPHYSADDR read ("Unsupported page shift: 12"); "phys_read"
 * says which.  The vmemmap base is SYMBOL(vmemmap) where VMCOREINFO has it (6.12), else
 * 0xc00c000000000000 (64K pages).  It owns
 * one question only: "does libkdumpfile open this file
 * (a trimmed sample, a fixed QEMU dump) and read the same bytes as the oracle?".  It does
 * not use libtce: it checks the data tce-inspect will be tested on, not tce-inspect.
 * Exit status: 0, 1 if the dump cannot be opened or read, 2 on usage errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libkdumpfile/kdumpfile.h>

#define MAX_BLOCKS (1 << 20)
#define VMEMMAP_BASE_64K 0xc00c000000000000ULL
/* section_mem_map's flag bits (include/linux/mmzone.h), as oracle.py reads them. */
#define SECTION_MARKED_PRESENT (1ULL << 0)
#define SECTION_HAS_MEM_MAP (1ULL << 1)
#define SECTION_IS_ONLINE (1ULL << 2)
#define SECTION_FLAGS_MASK 0xffULL
#define MAX_SECTION_ROOTS (1ULL << 24)

struct block {
	uint64_t entry, virt, phys;
};

struct vmci {
	uint64_t page_size, sps, vb_size, vb_list, vb_phys, vb_virt;
	uint64_t def_size, def_shift, off_flags, off_ref, off_map, off_head;
	uint64_t sym_list, sym_psize, sym_defs;
};

static void fail(kdump_ctx_t *ctx, const char *what)
{
	fprintf(stderr, "kdumpcheck: %s: %s\n", what, ctx ? kdump_get_err(ctx) : strerror(errno));
	exit(1);
}

static uint64_t line_num(kdump_ctx_t *ctx, const char *key, int base)
{
	char *val, *end;
	uint64_t v;

	if (kdump_vmcoreinfo_line(ctx, key, &val) != KDUMP_OK)
		fail(ctx, key);
	errno = 0;
	v = strtoull(val, &end, base);
	if (errno || end == val) {
		fprintf(stderr, "kdumpcheck: VMCOREINFO %s=%s is not a number\n", key, val);
		exit(1);
	}
	free(val);
	return v;
}

/* The address space of physical reads (see above). */
static kdump_addrspace_t phys_as = KDUMP_KPHYSADDR;
static uint64_t vmemmap_base = VMEMMAP_BASE_64K;

static void rd(kdump_ctx_t *ctx, kdump_addrspace_t as, uint64_t addr, void *buf, size_t len)
{
	size_t got = len;
	char what[64];

	if (kdump_read(ctx, as, addr, buf, &got) != KDUMP_OK || got != len) {
		snprintf(what, sizeof(what), "reading 0x%" PRIx64, addr);
		fail(ctx, what);
	}
}

/* Numbers in the dump's byte order, which libkdumpfile tells (arch.byte_order: 1 = LE). */
static int dump_le;

static uint64_t get(const void *p, size_t size)
{
	const unsigned char *b = p;
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)b[dump_le ? i : size - 1 - i] << (8 * i);
	return v;
}

static json_object *hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_object_new_string(buf);
}

/* The struct page of pfn at the address the hot-remove-safe rule gives, as oracle.py's. */
static json_object *page_json(kdump_ctx_t *ctx, const struct vmci *v, const struct block *blocks,
			      int n, uint64_t bsize, uint64_t pfn, int given, uint64_t at)
{
	uint64_t va = vmemmap_base + pfn * v->sps, phys = 0;
	json_object *p = json_object_new_object();
	unsigned char buf[256];
	int j, hits = 0;

	for (j = 0; !given && j < n; j++) {
		if (blocks[j].virt <= va && va + v->sps <= blocks[j].virt + bsize) {
			phys = blocks[j].phys + (va - blocks[j].virt);
			hits++;
		}
	}
	if (given) {
		phys = at;
		hits = 1;
	}
	json_object_object_add(p, "pfn", json_object_new_int64(pfn));
	json_object_object_add(p, "phys", hits == 1 ? hex(phys) : NULL);
	if (hits == 1) {
		size_t got = v->sps;

		if (kdump_read(ctx, phys_as, phys, buf, &got) == KDUMP_OK) {
			json_object_object_add(p, "flags", hex(get(buf + v->off_flags, 8)));
			json_object_object_add(p, "refcount",
					       json_object_new_int((int32_t)get(buf + v->off_ref, 4)));
			json_object_object_add(p, "mapcount",
					       json_object_new_int((int32_t)get(buf + v->off_map, 4)));
			json_object_object_add(p, "compound_head", hex(get(buf + v->off_head, 8)));
		} else {
			json_object_object_add(p, "error", json_object_new_string(kdump_get_err(ctx)));
			kdump_clear_err(ctx);
		}
	}
	return p;
}

/* VMCOREINFO number KEY, or 0 with *found = 0 when the line is not there. */
static uint64_t line_opt(kdump_ctx_t *ctx, const char *key, int base, int *found)
{
	char *val;

	if (kdump_vmcoreinfo_line(ctx, key, &val) != KDUMP_OK) {
		*found = 0;
		return 0;
	}
	free(val);
	return line_num(ctx, key, base);
}

/*
 * The present memory sections, as oracle.py's "sections", and the root indices the dump
 * does not hold (ranges), as its mem_section.roots_not_in_dump.
 */
static void mem_sections(kdump_ctx_t *ctx, uint64_t page_size, json_object *root)
{
	uint64_t array, nroots, ms_size, map_off, size_bits, per_root, pfn_shift, i, j;
	json_object *jsec, *jmiss, *jpresent, *jnopage, *run = NULL;
	unsigned char *buf, ptr[8];
	int found = 1, page_shift = 0;
	uint64_t last_missing = 0;

	nroots = line_opt(ctx, "LENGTH(mem_section)", 10, &found);
	ms_size = line_opt(ctx, "SIZE(mem_section)", 10, &found);
	map_off = line_opt(ctx, "OFFSET(mem_section.section_mem_map)", 10, &found);
	size_bits = line_opt(ctx, "NUMBER(SECTION_SIZE_BITS)", 10, &found);
	if (!found || kdump_vmcoreinfo_symbol(ctx, "mem_section", &array) != KDUMP_OK)
		return;		/* no SPARSEMEM items: no "sections" key */
	while ((1ULL << page_shift) < page_size)
		page_shift++;
	if (nroots == 0 || nroots > MAX_SECTION_ROOTS || ms_size < 8 || ms_size > page_size ||
	    map_off > ms_size - 8 || size_bits < (uint64_t)page_shift || size_bits >= 64) {
		fprintf(stderr, "kdumpcheck: implausible mem_section items in VMCOREINFO\n");
		exit(1);
	}
	per_root = page_size / ms_size;
	pfn_shift = size_bits - page_shift;
	buf = malloc(per_root * ms_size);
	if (!buf)
		fail(NULL, "malloc");
	jsec = json_object_new_array();
	jmiss = json_object_new_array();
	jpresent = json_object_new_array();
	jnopage = json_object_new_array();
	for (i = 0; i < nroots; i++) {
		size_t got = 8;
		uint64_t r;

		if (kdump_read(ctx, KDUMP_KVADDR, array + 8 * i, ptr, &got) != KDUMP_OK || got != 8) {
			kdump_clear_err(ctx);
			if (run && last_missing == i - 1) {
				json_object_array_put_idx(run, 1, json_object_new_int64(i));
			} else {
				run = json_object_new_array();
				json_object_array_add(run, json_object_new_int64(i));
				json_object_array_add(run, json_object_new_int64(i));
				json_object_array_add(jmiss, run);
			}
			last_missing = i;
			continue;
		}
		r = get(ptr, 8);
		if (!r)
			continue;
		json_object_array_add(jpresent, json_object_new_int64(i));
		got = per_root * ms_size;
		if (kdump_read(ctx, KDUMP_KVADDR, r, buf, &got) != KDUMP_OK || got != per_root * ms_size) {
			kdump_clear_err(ctx);
			json_object_array_add(jnopage, json_object_new_int64(i));
			continue;
		}
		for (j = 0; j < per_root; j++) {
			uint64_t m = get(buf + j * ms_size + map_off, 8), nr = i * per_root + j;
			json_object *o;

			if (!(m & SECTION_MARKED_PRESENT))
				continue;
			o = json_object_new_object();
			json_object_object_add(o, "nr", json_object_new_int64(nr));
			json_object_object_add(o, "pfn_start", json_object_new_int64(nr << pfn_shift));
			json_object_object_add(o, "pfn_end", json_object_new_int64((nr + 1) << pfn_shift));
			json_object_object_add(o, "has_mem_map",
					       json_object_new_boolean(!!(m & SECTION_HAS_MEM_MAP)));
			json_object_object_add(o, "online",
					       json_object_new_boolean(!!(m & SECTION_IS_ONLINE)));
			json_object_object_add(o, "section_mem_map", hex(m));
			json_object_object_add(o, "mem_map", m & SECTION_HAS_MEM_MAP ?
					       hex(m & ~SECTION_FLAGS_MASK) : NULL);
			json_object_array_add(jsec, o);
		}
	}
	free(buf);
	json_object_object_add(root, "sections", jsec);
	json_object_object_add(root, "roots_present", jpresent);
	json_object_object_add(root, "roots_not_in_dump", jmiss);
	json_object_object_add(root, "root_pages_not_in_dump", jnopage);
}

static void add_attr(kdump_ctx_t *ctx, json_object *o, const char *key)
{
	kdump_attr_t attr;

	if (kdump_get_attr(ctx, key, &attr) != KDUMP_OK) {
		json_object_object_add(o, key, NULL);
		return;
	}
	if (attr.type == KDUMP_STRING)
		json_object_object_add(o, key, json_object_new_string(attr.val.string));
	else if (attr.type == KDUMP_NUMBER)
		json_object_object_add(o, key, json_object_new_int64(attr.val.number));
	else if (attr.type == KDUMP_ADDRESS)
		json_object_object_add(o, key, hex(attr.val.address));
}

int main(int argc, char **argv)
{
	struct block *blocks;
	json_object *root, *attrs, *jblocks, *jpages, *jphys;
	kdump_ctx_t *ctx;
	kdump_num_t num;
	struct vmci v;
	unsigned char buf[256];
	uint64_t head, entry, shift, bsize;
	int32_t psize;
	int fd, i, n = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: kdumpcheck DUMP [PFN | phys=ADDR]...\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		fail(NULL, argv[1]);
	ctx = kdump_new();
	if (!ctx)
		fail(NULL, "kdump_new");
	if (kdump_open_fd(ctx, fd) != KDUMP_OK)
		fail(ctx, argv[1]);
	/* Without an OS type libkdumpfile has no VMCOREINFO symbols and no linear map. */
	if (kdump_set_string_attr(ctx, "addrxlat.ostype", "linux") != KDUMP_OK)
		fail(ctx, "addrxlat.ostype");
	if (kdump_get_number_attr(ctx, "arch.byte_order", &num) != KDUMP_OK)
		fail(ctx, "arch.byte_order");
	dump_le = num == KDUMP_LITTLE_ENDIAN;

	root = json_object_new_object();
	attrs = json_object_new_object();
	add_attr(ctx, attrs, "file.format");
	add_attr(ctx, attrs, "arch.name");
	add_attr(ctx, attrs, "arch.byte_order");
	add_attr(ctx, attrs, "arch.page_size");
	add_attr(ctx, attrs, "linux.uts.release");
	json_object_object_add(root, "attributes", attrs);

	v.page_size = line_num(ctx, "PAGESIZE", 10);
	v.sps = line_num(ctx, "SIZE(page)", 10);
	v.off_flags = line_num(ctx, "OFFSET(page.flags)", 10);
	v.off_ref = line_num(ctx, "OFFSET(page._refcount)", 10);
	v.off_map = line_num(ctx, "OFFSET(page._mapcount)", 10);
	v.off_head = line_num(ctx, "OFFSET(page.compound_head)", 10);
	v.vb_size = line_num(ctx, "SIZE(vmemmap_backing)", 10);
	v.vb_list = line_num(ctx, "OFFSET(vmemmap_backing.list)", 10);
	v.vb_phys = line_num(ctx, "OFFSET(vmemmap_backing.phys)", 10);
	v.vb_virt = line_num(ctx, "OFFSET(vmemmap_backing.virt_addr)", 10);
	v.def_size = line_num(ctx, "SIZE(mmu_psize_def)", 10);
	v.def_shift = line_num(ctx, "OFFSET(mmu_psize_def.shift)", 10);
	if (kdump_vmcoreinfo_symbol(ctx, "vmemmap_list", &v.sym_list) != KDUMP_OK ||
	    kdump_vmcoreinfo_symbol(ctx, "mmu_vmemmap_psize", &v.sym_psize) != KDUMP_OK ||
	    kdump_vmcoreinfo_symbol(ctx, "mmu_psize_defs", &v.sym_defs) != KDUMP_OK)
		fail(ctx, "VMCOREINFO symbols");
	if (kdump_vmcoreinfo_symbol(ctx, "vmemmap", &vmemmap_base) != KDUMP_OK) {
		kdump_clear_err(ctx);
		if (v.page_size != 65536) {
			fprintf(stderr, "kdumpcheck: no SYMBOL(vmemmap) and PAGESIZE=%" PRIu64 "\n", v.page_size);
			return 1;
		}
		vmemmap_base = VMEMMAP_BASE_64K;
	}
	if (v.page_size == 4096)
		phys_as = KDUMP_MACHPHYSADDR;
	json_object_object_add(root, "phys_read", json_object_new_string(
		phys_as == KDUMP_KPHYSADDR ? "KDUMP_KPHYSADDR" : "KDUMP_MACHPHYSADDR"));
	json_object_object_add(root, "vmemmap_base", hex(vmemmap_base));
	if (v.sps > sizeof(buf) || v.vb_size > sizeof(buf) ||
	    (v.page_size != 65536 && v.page_size != 4096)) {
		fprintf(stderr, "kdumpcheck: unsupported layout (SIZE(page)=%" PRIu64 ", PAGESIZE=%" PRIu64 ")\n",
			v.sps, v.page_size);
		return 1;
	}

	rd(ctx, KDUMP_KVADDR, v.sym_psize, buf, 4);
	psize = (int32_t)get(buf, 4);
	if (psize < 0 || psize > 15) {
		fprintf(stderr, "kdumpcheck: mmu_vmemmap_psize %d out of range\n", psize);
		return 1;
	}
	rd(ctx, KDUMP_KVADDR, v.sym_defs + psize * v.def_size + v.def_shift, buf, 4);
	shift = get(buf, 4);
	if (shift < 12 || shift > 34) {
		fprintf(stderr, "kdumpcheck: vmemmap page shift %" PRIu64 " implausible\n", shift);
		return 1;
	}
	bsize = 1ULL << shift;
	json_object_object_add(root, "block_size", json_object_new_int64(bsize));
	json_object_object_add(root, "struct_page_size", json_object_new_int64(v.sps));

	blocks = calloc(MAX_BLOCKS, sizeof(*blocks));
	if (!blocks)
		fail(NULL, "calloc");
	rd(ctx, KDUMP_KVADDR, v.sym_list, buf, 8);
	head = get(buf, 8);
	jblocks = json_object_new_array();
	/* Bounded; a cycle shows as more entries than the list can have. */
	for (entry = head; entry; entry = get(buf + v.vb_list, 8)) {
		json_object *b;

		if (n == MAX_BLOCKS) {
			fprintf(stderr, "kdumpcheck: vmemmap_list longer than %d (cycle?)\n", MAX_BLOCKS);
			return 1;
		}
		rd(ctx, KDUMP_KVADDR, entry, buf, v.vb_size);
		blocks[n].entry = entry;
		blocks[n].phys = get(buf + v.vb_phys, 8);
		blocks[n].virt = get(buf + v.vb_virt, 8);
		b = json_object_new_object();
		json_object_object_add(b, "entry", hex(entry));
		json_object_object_add(b, "virt", hex(blocks[n].virt));
		json_object_object_add(b, "phys", hex(blocks[n].phys));
		json_object_array_add(jblocks, b);
		n++;
	}
	json_object_object_add(root, "blocks", jblocks);

	jpages = json_object_new_array();
	jphys = json_object_new_array();
	for (i = 2; i < argc; i++) {
		uint64_t pfn;

		if (!strncmp(argv[i], "phys=", 5)) {
			json_object *p = json_object_new_object();
			uint64_t addr = strtoull(argv[i] + 5, NULL, 0);
			size_t got = 8;

			json_object_object_add(p, "addr", hex(addr));
			if (kdump_read(ctx, phys_as, addr, buf, &got) == KDUMP_OK && got == 8) {
				json_object_object_add(p, "value", hex(get(buf, 8)));
			} else {
				json_object_object_add(p, "error", json_object_new_string(kdump_get_err(ctx)));
				kdump_clear_err(ctx);
			}
			json_object_array_add(jphys, p);
			continue;
		}
		{
			char *at = strchr(argv[i], '@');

			pfn = strtoull(argv[i], NULL, 0);
			json_object_array_add(jpages, page_json(ctx, &v, blocks, n, bsize, pfn, at != NULL,
								at ? strtoull(at + 1, NULL, 0) : 0));
		}
	}
	json_object_object_add(root, "pages", jpages);
	json_object_object_add(root, "phys", jphys);
	mem_sections(ctx, v.page_size, root);
	puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	free(blocks);
	kdump_free(ctx);
	close(fd);
	return 0;
}
