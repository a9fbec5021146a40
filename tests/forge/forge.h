/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The forge: writes synthetic ppc64 Linux vmcores (ELF64, little- or big-endian, 4K or
 * 64K pages) that hold exactly the memory a test asks for, with a VMCOREINFO note, a
 * vmemmap_list, struct pages and, on demand, faults.  Real libkdumpfile reads its output.
 * Test-side code only: libtce never links it.
 *
 * Two layers.  The low layer (forge_*) is an ELF core with physical memory regions and
 * VMCOREINFO lines.  The kernel layer (fk_*) lays out what a book3s64 kernel keeps, in
 * the shape of Debian 12's 6.1 (the default) or Debian 13's 6.12 (fk_opts.kernel):
 * vmemmap_list entries (inserted at the head, recycled after removal, as
 * arch/powerpc/mm/init_64.c does; a 6.12 radix kernel keeps none), mmu_psize_defs[],
 * mem_section, struct pages, and for radix the kernel page tables that map the vmemmap
 * (in 6.12 radix the only record of it).
 *
 * Every function that can fail returns 0 or -1 and leaves a message in forge_errmsg().
 */
#ifndef TCE_FORGE_H
#define TCE_FORGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ low layer */

enum forge_endian { FORGE_LE, FORGE_BE };

struct forge;

struct forge *forge_new(enum forge_endian endian);
void forge_free(struct forge *f);
const char *forge_errmsg(const struct forge *f);
enum forge_endian forge_endian(const struct forge *f);

/*
 * Adds physical memory [phys, phys+size) to the dump as one PT_LOAD, zero-filled.
 * Regions must not overlap.  p_vaddr is 0xc000000000000000 | phys (as /proc/vmcore
 * writes it) unless FORGE_FAULT_VADDR_EQ_PADDR is set at write time.
 */
int forge_add_ram(struct forge *f, uint64_t phys, uint64_t size);

/* Stores bytes or a value (in the dump's byte order) at a physical address that must
 * lie inside added RAM; -1 otherwise. */
int forge_write(struct forge *f, uint64_t phys, const void *buf, size_t len);
int forge_put_u64(struct forge *f, uint64_t phys, uint64_t v);
int forge_put_u32(struct forge *f, uint64_t phys, uint32_t v);
int forge_put_u16(struct forge *f, uint64_t phys, uint16_t v);
int forge_put_u8(struct forge *f, uint64_t phys, uint8_t v);
int forge_get_u64(struct forge *f, uint64_t phys, uint64_t *v);
/* Reads back what the dump holds (zeros where nothing was written); -1 unless every
 * byte lies in added RAM. */
int forge_read(struct forge *f, uint64_t phys, void *buf, size_t len);
/* True if every byte of [phys, phys+len) lies in added RAM. */
bool forge_is_ram(const struct forge *f, uint64_t phys, uint64_t len);

/* The kernel keeps its VMCOREINFO note in memory too, at phys (page-aligned, room
 * bytes: crash_save_vmcoreinfo_init()'s vmcoreinfo_note): written there, as the file's
 * note, when the file is written (the second half of room takes the second note of
 * FORGE_FAULT_QEMU_TWO_NOTES).  -1 if [phys, phys + room) is not RAM. */
int forge_set_vmcoreinfo_note(struct forge *f, uint64_t phys, uint64_t room);

/* Appends one "KEY=VALUE" line to the VMCOREINFO note (printf format, no newline). */
int forge_vmcoreinfo(struct forge *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Faults applied when the file is written. */
enum forge_fault {
	FORGE_FAULT_NONE = 0,
	FORGE_FAULT_NO_VMCOREINFO = 1 << 0,  /* no VMCOREINFO note at all */
	FORGE_FAULT_VADDR_EQ_PADDR = 1 << 1, /* p_vaddr = p_paddr, as QEMU writes it */
	FORGE_FAULT_MACHINE_X86_64 = 1 << 2, /* e_machine EM_X86_64: not a ppc64 dump */
	FORGE_FAULT_NOT_ELF = 1 << 3,        /* garbage instead of an ELF header */
	FORGE_FAULT_NO_OSRELEASE = 1 << 4,   /* VMCOREINFO without OSRELEASE: not Linux
						at open (once told "linux",
						libkdumpfile still finds the release
						in init_uts_ns) */
	/* The form QEMU 7.2's dump-guest-memory writes of a ppc64 guest (FIELD-NOTES
	 * §3): ELF and program headers big-endian whatever the guest's byte order,
	 * two section headers (null, .shstrtab) before the program headers, in the
	 * host's byte order (little-endian: QEMU on x86) whatever the file's, one
	 * PT_NOTE of QEMU's CORE notes (one CPU's PRSTATUS, FPREGSET, VMX and VSX, in
	 * the headers' order), no VMCOREINFO note in the file, p_vaddr = p_paddr.  The
	 * guest's VMCOREINFO note is in its memory where forge_set_vmcoreinfo_note()
	 * put it. */
	FORGE_FAULT_QEMU = 1 << 5,
	/* with FORGE_FAULT_QEMU: */
	FORGE_FAULT_QEMU_LE_HEADERS = 1 << 6, /* headers little-endian instead (a BE
						 guest: not QEMU's fault) */
	FORGE_FAULT_QEMU_NO_NOTE = 1 << 7,    /* no VMCOREINFO note in memory either */
	FORGE_FAULT_QEMU_TWO_NOTES = 1 << 8,  /* a second, different note in memory */
	FORGE_FAULT_QEMU_STALE_NOTE = 1 << 9, /* the note in memory names another
						 release than init_uts_ns holds */
	FORGE_FAULT_QEMU_SHDR_FILE_ORDER = 1 << 10, /* the section headers in the
						       file's byte order (QEMU on
						       a host of that order) */
};

struct forge_write_opts {
	unsigned faults;          /* enum forge_fault bits */
	uint64_t truncate_bytes;  /* cut this many bytes off the end of the file */
	bool written_only;        /* PT_LOADs cover only the 64 KiB chunks written (a run
				     of adjacent ones is one PT_LOAD), as makedumpfile
				     leaves out pages: the rest of RAM is not in the dump
				     (the scale profile: a 1 TiB host in a small file) */
	uint64_t whole_from;      /* with written_only: regions starting at or above
				     this physical address stay whole PT_LOADs, their
				     unwritten parts holes in the file (the vmemmap
				     backing: a real dump keeps every struct page);
				     0 = none */
	uint64_t split_bytes;     /* each PT_LOAD cut into PT_LOADs of at most this many
				     bytes, as makedumpfile -E writes one for each run
				     of pages it kept (tens of thousands on a big host);
				     0 = not cut */
	bool descending;          /* the PT_LOADs (and their data) in descending
				     physical order: a reader must not take the file's
				     order for the addresses' */
};

/*
 * Writes the ELF core file.  opts may be NULL.  Layout: ELF header, the program
 * headers at offset 64 (PT_NOTE first, then one PT_LOAD per region in ascending
 * physical order), the note, then each region's data at a 64 KiB-aligned offset in
 * the same order, so truncate_bytes cuts the highest RAM first.  Memory never written
 * becomes a hole in the file (sparse on disk).  Note that libkdumpfile 0.5.1 reads
 * zeros, with KDUMP_OK, past the end of a truncated file.
 */
int forge_write_file(struct forge *f, const char *path,
		     const struct forge_write_opts *opts);

/* ------------------------------------------------------------------ kernel layer */

/* The kernel whose shape the dump takes. */
enum fk_kernel {
	FK_KERNEL_6_1 = 0,  /* Debian 12's 6.1 */
	FK_KERNEL_6_12 = 1, /* Debian 13's 6.12 */
};

/*
 * kallsyms in memory, as scripts/kallsyms.c of 6.1 lays them out in .rodata (also 6.12's
 * layout): FK_KALLSYMS_ALL is a KALLSYMS_ALL kernel (every symbol the forge knows, data
 * too); FK_KALLSYMS_TEXT is Debian's config (KALLSYMS_ALL off: text symbols only, so no
 * vm_list or hose_list).
 */
enum fk_kallsyms {
	FK_KALLSYMS_NONE = 0,
	FK_KALLSYMS_ALL = 1,
	FK_KALLSYMS_TEXT = 2,
};

struct fk_opts {
	enum forge_endian endian;
	unsigned page_shift;        /* 12 or 16 (PAGESIZE); 0 = 16 */
	unsigned struct_page_size;  /* SIZE(page): 56, 64 or 80; 0 = 64 */
	unsigned vmemmap_shift;     /* the forge's vmemmap block: 1 << vmemmap_shift bytes
				       of struct pages on one block of backing.  6.1, and
				       6.12 hash: mmu_psize_defs[mmu_vmemmap_psize].shift,
				       one vmemmap_list entry a block.  6.12 radix: the leaf
				       the page tables map a block with (mmu_vmemmap_psize
				       stays MMU_PAGE_4K there, as 6.12 never sets it).
				       0 = 21 for radix; for hash 16, except 12 for 6.12
				       with 4K pages */
	uint64_t vmemmap_base;      /* 0 = 0xc00c000000000000 (radix, and hash with 64K
				       pages), except FK_VMEMMAP_BASE_HASH_4K for 6.12 hash
				       with 4K pages (6.1 with 4K pages keeps 0xc00c...) */
	uint64_t ram_bytes;         /* the machine's RAM, from phys 0 (pfns that exist);
				       0 = 4 GiB.  Only kernel data and vmemmap backing are
				       put in the dump, never the RAM itself. */
	const char *release;        /* OSRELEASE; NULL = "6.1.0-forge" or "6.12.0-forge" */
	bool radix;                 /* build swapper_pg_dir mapping every vmemmap block */
	bool no_mem_section;        /* leave SYMBOL(mem_section) and the array out */
	enum fk_kernel kernel;      /* 0 = FK_KERNEL_6_1 */
	enum fk_kallsyms kallsyms;  /* kallsyms tables in memory (see fk_kallsyms_info());
				       0 = none, as before */
	bool debuginfo;             /* BUILD-ID is fk_build_id(), the id of the vmlinux
				       fk_dwarf_write() makes (false: the fixed id the
				       forge always wrote) */
	bool btf;                   /* CONFIG_DEBUG_INFO_BTF: the kernel shape's
				       structures' BTF in memory between __start_BTF and
				       __stop_BTF (see fk_btf_available()) */
	bool kvm_modular;           /* KVM built as modules, as distributions do: vm_list
				       is a variable of module kvm (fk_module_var(), after
				       an int kvm_rebooting, in the
				       module made by the first fk_kvm_new() unless
				       fk_module_new(k, "kvm") made it before), and the
				       vmlinux's DWARF lacks what only kvm.ko's describes
				       (struct kvmppc_spapr_tce_table, _iommu_table) */
	bool guest_note;            /* the kernel's VMCOREINFO note in memory too, in
				       pages of its own (vmcoreinfo_note), as QEMU's
				       dumps need it (FORGE_FAULT_QEMU) */
	bool vmemmap_lazy;          /* blocks the forge backs are not initialised: only
				       the struct pages written with fk_set_page() or
				       directly hold anything (the scale profile, whose
				       1 TiB would need 1 GiB of struct pages) */
};

/* H_VMEMMAP_START of a 4K-page hash kernel (hash-4k.h: 0xc0003d0000000000 + 2 TiB) */
#define FK_VMEMMAP_BASE_HASH_4K 0xc0003f0000000000ULL
/* NUMBER(VMALLOC_START) of 6.12: H_/RADIX_KERN_VIRT_START (hash-4k.h, hash-64k.h,
 * radix.h) */
#define FK_VMALLOC_START 0xc008000000000000ULL
#define FK_VMALLOC_START_HASH_4K 0xc0003d0000000000ULL

/* What the forge puts in VMCOREINFO besides the layout: 6.1's ~PG_buddy and
 * ~PG_offline page types, and a fixed CRASHTIME so that dumps are reproducible. */
#define FK_PAGE_BUDDY_MAPCOUNT (-129)
#define FK_PAGE_OFFLINE_MAPCOUNT (-257)
#define FK_CRASHTIME 1700000000

/*
 * 6.12's page types (page-flags.h, enum pagetype): page_type (the word of _mapcount)
 * is PGTY_x << 24, the low 24 bits free, UINT_MAX (-1) for no type; PageBuddy() and
 * the rest test page_type >> 24.  VMCOREINFO prints PAGE_x_MAPCOUNT_VALUE, an int
 * expression, with %ld: NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-268435456.
 */
#define FK_PGTY_BUDDY 0xf0u
#define FK_PGTY_OFFLINE 0xf1u
#define FK_PGTY_TABLE 0xf2u
#define FK_PGTY_GUARD 0xf3u
#define FK_PGTY_HUGETLB 0xf4u
#define FK_PGTY_SLAB 0xf5u
#define FK_PAGE_TYPE(pgty) ((int32_t)((uint32_t)(pgty) << 24))

struct fk;

/*
 * Memory layout the kernel layer uses: kernel data (symbols, vmemmap_backing pages,
 * page tables, fk_alloc()) from physical 0x2700000 upwards, vmemmap backing blocks
 * top-down from ram_bytes (as memblock hands them out at boot).  NULL on bad options
 * (the reason goes to stderr, there being no object to hold it).
 */
struct fk *fk_new(const struct fk_opts *opts);
void fk_free(struct fk *k);
/* the low layer underneath, for raw writes and faults */
struct forge *fk_forge(struct fk *k);
/* Where the kernel keeps its VMCOREINFO note (fk_opts.guest_note), else 0. */
uint64_t fk_vmcoreinfo_note(const struct fk *k);
/* the values the kernel layer chose, defaults filled in */
const struct fk_opts *fk_opts(const struct fk *k);

/*
 * Offsets of struct page fields the forge uses (also written to VMCOREINFO).  The same
 * for every size and both kernels: flags 0, lru/compound_head 8, mapping 24, index 32,
 * private 40, _mapcount (6.12: also page_type) 48, _refcount 52; 64 bytes adds
 * memcg_data at 56 (Debian's config), 56 is a config without MEMCG, 80 one with
 * WANT_PAGE_VIRTUAL and _last_cpupid.
 *
 * What a compound page keeps in its first tail differs.  6.1's struct page:
 * compound_dtor 16 (u8), compound_order 17 (u8), compound_mapcount 20 (i32),
 * compound_pincount 24 (i32, pincount here), compound_nr 28 (u32).  6.12's struct folio (mm_types.h) instead: the order is the
 * low 8 bits of the first tail's flags word (_flags_1 & 0xff, folio_set_order()),
 * _large_mapcount 16, _entire_mapcount 20, _nr_pages_mapped 24, _pincount 28 (i32
 * each), _folio_nr_pages 32 (u32); the second tail holds _deferred_list at 16.
 * Fields a kernel does not have are FK_FIELD_NONE.
 */
#define FK_FIELD_NONE (~0u)
struct fk_page_layout {
	unsigned size, flags, compound_head, mapping, private_, mapcount, refcount,
		compound_order; /* compound_order: in the first tail page (6.1 only) */
	/* also in the first tail page (u8, i32, u32), as in 6.1's struct page */
	unsigned compound_dtor, compound_mapcount, compound_nr;
	unsigned lru, index;  /* lru shares its first word with compound_head */
	/* 6.12's folio: in the first tail page, and deferred_list in the second */
	unsigned large_mapcount, entire_mapcount, nr_pages_mapped, pincount,
		folio_nr_pages, deferred_list;
};
const struct fk_page_layout *fk_page_layout(const struct fk *k);

/* PG_* bit numbers written to VMCOREINFO, 6.1 */
enum {
	FK_PG_LOCKED = 0, FK_PG_REFERENCED = 1, FK_PG_UPTODATE = 2, FK_PG_DIRTY = 3,
	FK_PG_LRU = 4, FK_PG_ACTIVE = 5, FK_PG_SLAB = 9, FK_PG_SWAPCACHE = 10,
	FK_PG_RESERVED = 12, FK_PG_PRIVATE = 13, FK_PG_HEAD = 16, FK_PG_SWAPBACKED = 19,
	FK_PG_HWPOISON = 22,
};

/* PG_* bit numbers of 6.12 (page-flags.h, Debian's config: MEMORY_FAILURE); there
 * is no PG_slab (slab is a page type) and PG_swapcache is PG_owner_priv_1. */
enum {
	FK_PG612_LOCKED = 0, FK_PG612_WRITEBACK = 1, FK_PG612_REFERENCED = 2,
	FK_PG612_UPTODATE = 3, FK_PG612_DIRTY = 4, FK_PG612_LRU = 5, FK_PG612_HEAD = 6,
	FK_PG612_WAITERS = 7, FK_PG612_ACTIVE = 8, FK_PG612_WORKINGSET = 9,
	FK_PG612_SWAPCACHE = 10, FK_PG612_RESERVED = 13, FK_PG612_PRIVATE = 14,
	FK_PG612_SWAPBACKED = 17, FK_PG612_HWPOISON = 20,
};

/*
 * Allocates kernel data (zeroed, in the dump) and returns its physical address; its
 * kernel virtual address is fk_kva(phys) = 0xc000000000000000 | phys.  0 on failure
 * (kernel data never starts at 0).
 */
uint64_t fk_alloc(struct fk *k, size_t size, size_t align);
uint64_t fk_kva(uint64_t phys);

/*
 * vmemmap_list.  fk_vmemmap_add() behaves like vmemmap_list_populate(): it takes a
 * recycled vmemmap_backing entry if one was freed (else a new one), fills it with
 * (phys, virt) and inserts it at the head of the list.  phys == 0 lets the forge
 * allocate a block-sized, block-aligned backing in the dump.  Returns the entry's
 * index (creation order, stable across removal), or -1.
 *
 * A 6.12 radix kernel keeps no list (radix__vmemmap_populate() maps the vmemmap in
 * the page tables and records nothing else; SYMBOL(vmemmap_list) is still exported and
 * its head stays NULL): there fk_vmemmap_add() records the block in the forge's books
 * only, from which fk_pgtable_build() maps it, and returns 0; no entry is ever made.
 * Every shape keeps the books (fk_vmemmap_nblocks()).
 */
int fk_vmemmap_add(struct fk *k, uint64_t virt, uint64_t phys);
/* Adds blocks, in ascending virt order, covering the struct pages of the pfn range,
 * like vmemmap_populate() at boot or hot-add (blocks already present are skipped). */
int fk_vmemmap_populate(struct fk *k, uint64_t pfn, uint64_t npages);
/* Unlinks the entry backing virt (vmemmap_list_free on hot-remove) onto the free list
 * (6.12 radix: drops the block from the books, so from the page tables). */
int fk_vmemmap_remove(struct fk *k, uint64_t virt);
/* Number of entries created, and the kernel virtual / physical address of entry i. */
int fk_vmemmap_nentries(const struct fk *k);
uint64_t fk_vmemmap_entry_phys(const struct fk *k, int i);
/* Faults: overwrite an entry's next pointer (a raw kernel virtual address: another
 * entry's kva to make a cycle, an address outside the dump, ...), or its fields. */
int fk_vmemmap_set_next(struct fk *k, int i, uint64_t next_kva);
int fk_vmemmap_set_fields(struct fk *k, int i, uint64_t phys, uint64_t virt);
/* The list head's kernel virtual address as stored in vmemmap_list (in 6.12 radix a
 * fault that changes the dump only: the forge's translation ignores the list there). */
int fk_vmemmap_set_head(struct fk *k, uint64_t head_kva);

/* The reverse of fk_vmemmap_populate() for hot-remove (vmemmap_free()): removes the
 * blocks that lie wholly inside the pfn range, in ascending order. */
int fk_vmemmap_depopulate(struct fk *k, uint64_t pfn, uint64_t npages);

/* The forge's books: the blocks populated and not removed, in ascending virt order
 * (what fk_vmemmap_add()/_remove() were asked, whatever faults did to the list). */
int fk_vmemmap_nblocks(const struct fk *k);
int fk_vmemmap_block(const struct fk *k, int i, uint64_t *virt, uint64_t *phys);

/*
 * mem_section (SPARSEMEM_EXTREME, as book3s64 keeps it): fk_vmemmap_populate()
 * marks the sections of its pfns present, with a mem_map, online (as
 * sparse_add_section()); fk_vmemmap_depopulate() clears the sections wholly inside
 * its range.  fk_mem_section_set() sets the flags of the sections holding a pfn range
 * directly (0: not present), for faults and for FK_SECTION_EARLY (sparse_init() marks
 * the sections it sets up at boot so; hot-added ones are not).  A section with a
 * mem_map encodes the vmemmap base, as sparse_encode_mem_map() does with
 * SPARSEMEM_VMEMMAP.  Memory the forge itself uses outside populated sections is
 * marked present without a mem_map.  The flag bits are the same in 6.1 and 6.12
 * (mmzone.h); struct mem_section is 16 bytes in the 6.1 shape, 32 in 6.12's
 * (Debian 13 has PAGE_EXTENSION: page_ext and pad follow usage, both written 0), which
 * makes a root one page of 16-byte or 32-byte entries.
 */
#define FK_SECTION_PRESENT 1u
#define FK_SECTION_HAS_MEM_MAP 2u
#define FK_SECTION_ONLINE 4u
#define FK_SECTION_EARLY 8u
int fk_mem_section_set(struct fk *k, uint64_t pfn, uint64_t npages, unsigned flags);

/* 1 << vmemmap_shift */
uint64_t fk_vmemmap_block_size(const struct fk *k);
/*
 * Ground truth for tests: the physical address behind a vmemmap address, found the
 * way the kernel's real-mode code must: where a list is kept, every entry of the list
 * in the dump, the first whose block contains va; in 6.12 radix, what the page tables
 * map (the books, with fk_pgtable_remap(), _unmap() and _clear() applied).  -1 if
 * nothing does.
 */
int fk_vmemmap_translate(struct fk *k, uint64_t va, uint64_t *phys);

/* vmemmap virtual address of pfn's struct page */
uint64_t fk_pfn_to_vmemmap(const struct fk *k, uint64_t pfn);

/* Kernel virtual address of a symbol the kernel layer keeps (swapper_pg_dir,
 * vmemmap_list, mmu_vmemmap_psize, mmu_psize_defs, init_uts_ns, node_online_map, and
 * in 6.12 cur_cpu_spec: a pointer to a struct cpu_spec the forge allocates); 0 for
 * any other name. */
uint64_t fk_symbol(const struct fk *k, const char *name);

/*
 * Symbols beyond the built-in ones (fk_symbol() finds both): name, kernel virtual
 * address and kallsyms type letter (T t D d B b R r W w; lowercase: static).  Names may
 * repeat, as static ones do in real kernels.  fk_symbol_count()/fk_symbol_get() list
 * every symbol the kernel has: the built-in ones that exist (mem_section unless
 * no_mem_section), then the added ones in order.  A kernel with kallsyms or debuginfo
 * also has text symbols (_stext, start_kernel, kvmppc_h_put_tce, ..., static names
 * "release" and "cleanup" at several addresses, a 480-character name that does not
 * compress below 128 tokens, _etext) in
 * [0xc000000000000000, 0xc000000000a00000] and the vmemmap variable (holding the
 * vmemmap base).
 */
int fk_symbol_add(struct fk *k, const char *name, uint64_t kva, char type);
unsigned fk_symbol_count(const struct fk *k);
int fk_symbol_get(const struct fk *k, unsigned i, const char **name, uint64_t *kva,
		  char *type);

/*
 * kallsyms (fk_opts.kallsyms): at every write the tables are laid out afresh in kernel
 * data: kallsyms_offsets (u32 a symbol, address - kallsyms_relative_base),
 * kallsyms_relative_base (u64: the lowest address), kallsyms_num_syms (u32),
 * kallsyms_names (per symbol a length byte, two bytes 0x80|len&0x7f, len>>7 when
 * len > 127, then that many token indices; the first decoded character is the type
 * letter), kallsyms_markers (u32 a 256 symbols), kallsyms_seqs_of_names (3 bytes a
 * symbol, big-endian), kallsyms_token_table (256 NUL-terminated strings) and
 * kallsyms_token_index (256 u16 offsets), each 8-aligned in that order; symbols sorted
 * by address, tokens chosen by scripts/kallsyms.c's own greedy pair compression.
 * Faults (applied at the next write): FK_KALLSYMS_FAULT_COUNT writes kallsyms_num_syms
 * as FK_KALLSYMS_BAD_COUNT; FK_KALLSYMS_FAULT_NAMES makes the length of the symbol at
 * index num_syms / 2 0x3fff (bytes 0xff 0x7f), which runs past the end of the stream.
 */
enum {
	FK_KALLSYMS_FAULT_COUNT = 1 << 0,
	FK_KALLSYMS_FAULT_NAMES = 1 << 1,
};
#define FK_KALLSYMS_BAD_COUNT 0x7ffffff0u
int fk_kallsyms_set_faults(struct fk *k, unsigned faults);

struct fk_kallsyms_info {
	/* kernel virtual addresses of the tables at the last write */
	uint64_t offsets, relative_base, num_syms, names, markers, seqs_of_names,
		token_table, token_index;
	unsigned count;             /* symbols in the tables (before any fault) */
	uint64_t base;              /* kallsyms_relative_base's value */
	unsigned faulted_index;     /* FK_KALLSYMS_FAULT_NAMES: the symbol cut */
};
/* -1 before the first write or without fk_opts.kallsyms */
int fk_kallsyms_info(const struct fk *k, struct fk_kallsyms_info *out);
/*
 * Reads symbol idx back from the dump the way kernel/kallsyms.c does
 * (get_symbol_offset() from the markers, kallsyms_expand_symbol(),
 * kallsyms_sym_address()), bounded by the tables' extent: -1 where a fault makes it
 * unreadable.  name gets the name without the type letter.
 */
int fk_kallsyms_read(struct fk *k, unsigned idx, char *name, size_t len, char *type,
		     uint64_t *addr);

/*
 * The forge kernel's GNU build id, 40 hex digits: a hash of its shape, release and
 * symbols (fk_symbol_get()), stable for the same kernel.  VMCOREINFO's BUILD-ID when
 * fk_opts.debuginfo; always the id in fk_dwarf_write()'s file.
 */
const char *fk_build_id(struct fk *k);

/*
 * A vmalloc mapping (page-aligned): radix page tables map va to phys in base pages
 * from the next fk_pgtable_build() on; hash keeps it in the forge's books only (its
 * kernel page tables are not modelled).  fk_vmalloc_translate() looks it up.
 */
int fk_vmalloc_map(struct fk *k, uint64_t va, uint64_t phys, uint64_t size);
int fk_vmalloc_translate(const struct fk *k, uint64_t va, uint64_t *phys);

/*
 * DWARF for the forge's kernel: compiles kernel-6.1-types.h (the 6.1 structures, see
 * that file; kernel-6.12-types.h for a 6.12-shaped dump) together with a definition of every typed variable the
 * kernel has (vm_list, hose_list, modules, vmemmap, vmemmap_list, mmu_psize_defs,
 * mmu_vmemmap_psize, mem_section), each in a section of its own placed by a generated
 * linker script at the forge's address, and links it with powerpc64le-linux-gnu-gcc
 * (powerpc64-linux-gnu-gcc for big-endian dumps) into an ET_EXEC ELF with debug info,
 * a symbol table holding every symbol of fk_symbol_get() at its address, and the
 * build id fk_build_id().  The compiler is the one configure found, or
 * $FORGE_CC_PPC64LE / $FORGE_CC_PPC64 (empty: none).  fk_dwarf_available() says
 * whether it can run and, if not, why (in why).
 */
bool fk_dwarf_available(const struct fk *k, char *why, size_t len);
int fk_dwarf_write(struct fk *k, const char *path);

/*
 * BTF (fk_opts.btf): fk_new() builds the DWARF file as above, has pahole encode it
 * (pahole --btf_encode_detached, as link-vmlinux.sh runs pahole -J; the BTF is in the
 * ELF's, so the dump's, byte order) and puts the raw BTF in kernel data with the
 * symbols __start_BTF and __stop_BTF ('R', in kallsyms with FK_KALLSYMS_ALL, and in
 * the vmlinux), as a CONFIG_DEBUG_INFO_BTF kernel keeps its .BTF section.  Nothing in
 * VMCOREINFO points at it (6.1 has no such item).  fk_new() fails (reason on stderr)
 * when fk_btf_available() is false: it needs the cross compiler and pahole
 * (configure's, or $FORGE_PAHOLE).
 */
bool fk_btf_available(const struct fk_opts *o, char *why, size_t len);

/*
 * Structures of the 6.1 shape (kernel-6.1-types.h), for the table scenarios; each
 * returns the new object's kernel virtual address in the linear map (0 on failure) or
 * 0/-1.  A 6.12 kernel refuses them.
 *
 * KVM (book3s_64_vio.c, kvm_main.c): fk_kvm_new() makes a struct kvm (mm: the VMM's
 * struct mm_struct with an empty user PGD; users_count 1, userspace_pid; two memslot
 * sets, node_idx 0 and 1, the first active) and adds it at the head of vm_list
 * (kvm_create_vm()'s list_add()).  fk_kvm_stt_new() is
 * kvm_vm_ioctl_create_spapr_tce(): a kvmppc_spapr_tce_table (liobn, page_shift,
 * offset and size in IOMMU pages) with room for pages[] of
 * ALIGN(size, TCES_PER_PAGE) / TCES_PER_PAGE pointers, all NULL, added at the head of
 * kvm->arch.spapr_tce_tables.  fk_kvm_stt_put() is kvmppc_tce_put(): entry (an
 * absolute IOMMU page number, offset <= entry < offset + size) gets tce in the CPU's
 * byte order (the dump's: 6.1 stores the u64 as it is, book3s_64_vio.c:440), the
 * table page allocated on first use (a zeroed kernel page, pages[i] its struct page's
 * vmemmap address; tce 0 allocates nothing).  fk_kvm_stt_page() gives page i's
 * physical address, 0 while NULL.  fk_kvm_stt_attach() links a
 * kvmppc_spapr_tce_iommu_table for a hardware table onto stt->iommu_tables.
 */
uint64_t fk_kvm_new(struct fk *k, int32_t userspace_pid);
uint64_t fk_kvm_stt_new(struct fk *k, uint64_t kvm, uint64_t liobn, unsigned page_shift,
			uint64_t offset, uint64_t size);
int fk_kvm_stt_put(struct fk *k, uint64_t stt, uint64_t entry, uint64_t tce);
uint64_t fk_kvm_stt_page(struct fk *k, uint64_t stt, uint64_t i);
uint64_t fk_kvm_stt_attach(struct fk *k, uint64_t stt, uint64_t tbl);

/*
 * Guest memory (kvm_main.c, 6.1's memslot sets): fk_kvm_memslot_add() is
 * KVM_SET_USER_MEMORY_REGION creating slot id for guest frames
 * [base_gfn, base_gfn + npages) (gfn = gpa >> PAGE_SHIFT) at userspace address ua:
 * a struct kvm_memory_slot in both sets (gfn_node[i] in set i's gfn_tree, a balanced
 * red-black tree by base_gfn; hva_node[i] in hva_tree, an interval tree by ua with
 * __subtree_last; id_node[i] in id_hash[hash_32(id, 7)]), then the other set becomes
 * active (kvm->memslots[0], generation + 2), as kvm_swap_active_memslots() does.
 * fk_kvm_gpa_to_ua() is the ground truth.  fk_user_map() maps one base page of the
 * VMM at ua to host pfn in the user page tables under mm->pgd: radix geometry (13/9/9/5
 * or 13/9/9/9) or Linux's hash-MMU tree (8/10/10/8 or 9/9/7/9), big-endian entries,
 * table pointers __pa | 1 << 63 (radix: | the next level's index bits), PTEs
 * pfn << PAGE_SHIFT | _PAGE_PTE | _PAGE_PRESENT | READ | WRITE | ACCESSED | DIRTY.
 * fk_user_translate() reads it back (-1 where nothing is mapped).
 */
uint64_t fk_kvm_memslot_add(struct fk *k, uint64_t kvm, int id, uint64_t base_gfn,
			    uint64_t npages, uint64_t ua);
int fk_kvm_gpa_to_ua(struct fk *k, uint64_t kvm, uint64_t gpa, uint64_t *ua);
int fk_user_map(struct fk *k, uint64_t mm, uint64_t ua, uint64_t pfn);
int fk_user_translate(struct fk *k, uint64_t mm, uint64_t ua, uint64_t *pfn);

/*
 * powernv (pci-common.c, pci-ioda.c, pci-ioda-tce.c): fk_pnv_phb_new() makes a
 * struct pci_controller on hose_list (list_add_tail, as pcibios_alloc_controller())
 * whose private_data is a struct pnv_phb (hose, type IODA2, model PHB4 numbering
 * unknown to 6.1: PHB3) with ioda.total_pe_num PEs in ioda.pe_array (pe_number set in
 * each, pe_list empty).  fk_pnv_pe_new() puts PE pe_number of that array on
 * ioda.pe_list (list_add_tail) with its phb.  fk_pnv_table_new() is
 * pnv_pci_ioda2_table_alloc_pages() + iommu_init_table(): an iommu_table for a window
 * of window_size bytes at bus_offset with pages of 1 << page_shift, levels levels
 * (1..5): only the top level is allocated (naturally aligned, zeroed), lower levels on
 * the first put below them; it_map a vmalloc bitmap (fk_vmalloc_map()) with a bit set
 * for every entry put; set as pe->table_group.tables[num].  fk_iommu_put() is
 * pnv_tce_build()'s store through pnv_tce(alloc=true): entry is absolute
 * (it_offset <= entry < it_offset + it_size), tce is stored big-endian (cpu_to_be64)
 * whatever the dump's order, indirect entries are __pa(level) | 3.  fk_iommu_get()
 * reads it back (pnv_tce(alloc=false)): -1 where a level is missing.
 * fk_iommu_set_indirect() overwrites the top level's entry i (a fault: a level outside
 * the dump, ...).
 */
uint64_t fk_pnv_phb_new(struct fk *k, unsigned total_pe_num);
uint64_t fk_pnv_pe_new(struct fk *k, uint64_t phb, unsigned pe_number);
uint64_t fk_pnv_table_new(struct fk *k, uint64_t pe, int num, uint64_t bus_offset,
			  unsigned page_shift, uint64_t window_size, unsigned levels);
int fk_iommu_put(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t tce);
int fk_iommu_get(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t *tce);
int fk_iommu_set_indirect(struct fk *k, uint64_t tbl, uint64_t i, uint64_t raw);

/*
 * VFIO's SPAPR TCE v2 state (vfio_iommu_spapr_tce.c, iommu_api.c, vfio.ko):
 * fk_pnv_table_userspace() gives a table the it_userspace tree VFIO's tables have
 * (pnv_pci_ioda2_table_alloc_pages(alloc_userspace_copy): the table's shape, top level
 * allocated, lower levels on the first put); fk_iommu_user_put() stores a userspace
 * address there, big-endian, as tce_iommu_build_v2() (entry absolute, as
 * fk_iommu_put()); fk_iommu_user_set_indirect() overwrites its top level's entry i.
 * fk_process_mm_new() is a process's mm_struct (empty user PGD, the
 * context.iommu_group_mem_list initialised; fk_kvm_new()'s mm has it too).
 * fk_vfio_prereg() is mm_iommu_new(): a region of entries system pages at ua on mm's
 * list (at its head, list_add_rcu), hpas[] a vmalloc array of pfns[i] << PAGE_SHIFT,
 * used 1, mapped 1, pageshift as given, dev_hpa all ones (the caller pins the pages);
 * fk_vfio_mapped_add() adds to its mapped.  fk_vfio_container_new() is an open
 * container with the SPAPR TCE IOMMU ("iommu-vfio-powerpc"): a struct vfio_container
 * whose iommu_data is a struct tce_container (enabled, v2, mm); its address is
 * returned.  fk_vfio_container_table() sets container->tables[num];
 * fk_vfio_group_attach() gives pe's table group an iommu_group claimed by a new
 * vfio_group in container (its address returned).
 */
int fk_pnv_table_userspace(struct fk *k, uint64_t tbl);
int fk_iommu_user_put(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t ua);
int fk_iommu_user_set_indirect(struct fk *k, uint64_t tbl, uint64_t i, uint64_t raw);
uint64_t fk_process_mm_new(struct fk *k);
uint64_t fk_vfio_prereg(struct fk *k, uint64_t mm, uint64_t ua, uint64_t entries,
			const uint64_t *pfns, unsigned pageshift);
int fk_vfio_mapped_add(struct fk *k, uint64_t region, int64_t delta);
uint64_t fk_vfio_container_new(struct fk *k, uint64_t mm, bool v2);
int fk_vfio_container_table(struct fk *k, uint64_t container, int num, uint64_t tbl);
uint64_t fk_vfio_group_attach(struct fk *k, uint64_t container, uint64_t pe);

/*
 * A struct module named name at the head of the modules list (list_add_rcu(), as
 * add_unformed_module()), MODULE_STATE_LIVE, as the loader leaves it after init: its
 * memory is vmalloc (mapped with fk_vmalloc_map(), so read through page tables on radix
 * only), four pages from core_layout.base (6.12: mem[MOD_TEXT] the first, mem[MOD_DATA]
 * the other three): .text, .gnu.linkonce.this_module (the struct module, with
 * .note.gnu.build-id past it, at +1024 in 6.1, +1536 in 6.12, holding
 * fk_module_build_id()), .data (the module's variables), the core kallsyms; sect_attrs gives those four sections'
 * addresses, notes_attrs the note's; mod->kallsyms = &mod->core_kallsyms with symbol 0,
 * NAME_fk_text ('T', .text's start) and, with FK_KALLSYMS_ALL only (is_core_symbol()),
 * the variables; NULL without kallsyms.  Returns the struct module's address.
 */
uint64_t fk_module_new(struct fk *k, const char *name);
/* The kernel's modules list head (the symbol `modules`), empty until fk_module_new():
 * every kernel has one, whether or not a module is loaded.  Its physical address. */
uint64_t fk_modules_init(struct fk *k);
/* A variable of module mod (fk_module_new()'s address) in its .data: size bytes at the
 * next 8-aligned offset, declared in the .ko's DWARF as pre name suf (no arrays: their
 * alignment is the compiler's), kallsyms type letter type.  Its address, or 0. */
uint64_t fk_module_var(struct fk *k, uint64_t mod, const char *name, const char *pre,
		       const char *suf, uint64_t size, char type);
/* The module's GNU build id, 40 hex digits (NULL: no such module) */
const char *fk_module_build_id(struct fk *k, uint64_t mod);
/*
 * The module's .ko, as a distribution's -dbg package has it: a relocatable object
 * (powerpc64{,le}-linux-gnu-gcc -c -g, linked -r with a build id) of kernel-6.1-types.h
 * with every type, NAME_fk_text in .text and the variables in .data where
 * fk_module_var() put them, with DWARF that needs relocating to the sections' addresses
 * (sect_attrs).  build_id: NULL for the module's own, another to make a file of another
 * build.  Needs what fk_dwarf_write() needs.
 */
int fk_module_dwarf_write(struct fk *k, uint64_t mod, const char *path, const char *build_id);

/* Offsets of kernel-6.1-types.h's members as the host compiler lays them out (LP64:
 * the same as ppc64's), for tests that check DWARF against them: "struct.member"
 * (nested members with dots: "pnv_phb.ioda.pe_list"), or "struct" for its size.
 * -1 for a name it does not know. */
long fk_types_offsetof(const char *what);
/* The same for either kernel shape: kernel-6.12-types.h's for FK_KERNEL_6_12 (6.12 has
 * struct module's mem[] and module_memory, not core_layout, and no page.compound_order) */
long fk_kernel_offsetof(enum fk_kernel kernel, const char *what);

/*
 * Replaces the value of one VMCOREINFO key the kernel layer writes (key as in the
 * note, e.g. "SIZE(page)" or "SYMBOL(vmemmap_list)"); value NULL drops the line.
 * A key the kernel layer does not write is appended.  Applies to every later write.
 */
int fk_vmcoreinfo_override(struct fk *k, const char *key, const char *value);

/*
 * Writes pfn's struct page through the vmemmap mapping fk_vmemmap_translate() follows
 * (a struct page straddling two blocks is written in two parts; the whole struct is
 * written, fields not named here as zero).  -1 if no block backs it.
 *
 * Default contents: when the forge allocates a block's backing (fk_vmemmap_add() with
 * phys 0, fk_vmemmap_populate()), every struct page with bytes in that block is
 * initialised as __init_single_page() leaves it: flags 0, _refcount 1, _mapcount -1,
 * everything else 0.  Backing a test supplies (phys != 0) is left as it is.
 */
struct fk_page {
	uint64_t flags;
	int32_t refcount;
	int32_t mapcount;        /* raw _mapcount: -1 for an unmapped page, or a page type
				    (6.1: e.g. FK_PAGE_BUDDY_MAPCOUNT; 6.12: page_type,
				    e.g. FK_PAGE_TYPE(FK_PGTY_BUDDY)) */
	uint64_t compound_head;  /* raw: head's vmemmap address | 1 for a tail page */
	uint64_t mapping;
	uint64_t private_;
};
int fk_set_page(struct fk *k, uint64_t pfn, const struct fk_page *p);
/* Reads pfn's struct page back the same way. */
int fk_get_page(struct fk *k, uint64_t pfn, struct fk_page *p);
/*
 * Makes pfn the head of an order-N compound page (head flag, tails pointing at it),
 * as prep_compound_page() does: tails get _refcount 0, _mapcount -1, mapping
 * TAIL_MAPPING, private 0.  6.1: the first tail compound_dtor 1, compound_order N,
 * compound_mapcount -1, compound_nr 2^N.  6.12 (prep_compound_head() after the tails):
 * the first tail's flags = N in the low byte, _large_mapcount -1, _entire_mapcount
 * -1, _nr_pages_mapped 0 and _pincount 0 (over the mapping just written),
 * _folio_nr_pages 2^N; for N > 1 the second tail's _deferred_list points at itself.
 * order >= 1.
 */
int fk_set_compound(struct fk *k, uint64_t pfn, unsigned order, int32_t refcount);
/* Sets the pin count of the large folio whose head is pfn (FOLL_PIN on a large folio
 * adds 1 a pin there: 6.12's folio._pincount, 6.1's compound_pincount). */
int fk_set_pincount(struct fk *k, uint64_t head, int32_t pins);

/*
 * Radix only: after all vmemmap changes, (re)builds swapper_pg_dir so that the vmemmap
 * range maps exactly the blocks vmemmap_list says (6.12: the blocks in the books), in
 * leaves of the block size (PMD leaves for 2M blocks, PTE leaves of the base page
 * for smaller ones, as radix__vmemmap_populate() maps them), and the linear map
 * covers [0, ram_bytes) in 1G PUD leaves, as radix_init_pgtable() maps it.  Entries
 * are big-endian whatever the dump's order: a table pointer is phys | _PAGE_PRESENT |
 * NLS (index bits of the next level), a leaf (phys & PTE_RPN_MASK, 53 bits in 6.1
 * and 6.12) | _PAGE_PTE | PAGE_KERNEL; index bits 13/9/9/5 (64K) or 13/9/9/9 (4K),
 * index = (ea >> shift) & mask.  Faults, all surviving later rebuilds:
 * fk_pgtable_remap() makes one vmemmap block map elsewhere in the page tables only
 * (6.1: the page tables and vmemmap_list disagree); fk_pgtable_unmap() leaves one
 * block without a leaf (the books and mem_section still have it: a present section
 * whose struct pages nothing maps); fk_pgtable_clear() zeroes the PGD after every
 * build (the tables below it stay, unreachable).  virt block-aligned.
 */
int fk_pgtable_build(struct fk *k);
int fk_pgtable_remap(struct fk *k, uint64_t virt, uint64_t new_phys);
int fk_pgtable_unmap(struct fk *k, uint64_t virt);
int fk_pgtable_clear(struct fk *k);

/*
 * Writes the dump (the kernel layer finishes VMCOREINFO and, for radix, the page
 * tables first).  Can be called more than once.
 *
 * VMCOREINFO in the 6.1 shape follows 6.1's crash_save_vmcoreinfo_init() order:
 * OSRELEASE, BUILD-ID, PAGESIZE, SYMBOL(init_uts_ns), OFFSET(uts_namespace.name),
 * SYMBOL(node_online_map|swapper_pg_dir|_stext), (unless no_mem_section)
 * SYMBOL(mem_section), LENGTH(mem_section), SIZE(mem_section)=16,
 * OFFSET(mem_section.section_mem_map)=0, NUMBER(SECTION_SIZE_BITS)=24,
 * NUMBER(MAX_PHYSMEM_BITS)=51, SIZE(page), SIZE(list_head), the OFFSET(page.*) items
 * (compound_dtor and compound_order among them), OFFSET(list_head.next|prev),
 * NUMBER(PG_lru|PG_private|PG_swapcache|PG_swapbacked|PG_slab|PG_hwpoison|
 * PG_head_mask), NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE|HUGETLB_PAGE_DTOR|
 * PAGE_OFFLINE_MAPCOUNT_VALUE), then arch_crash_save_vmcoreinfo()'s vmemmap items
 * (SYMBOL(vmemmap_list|mmu_vmemmap_psize|mmu_psize_defs), SIZE/OFFSET of
 * vmemmap_backing and mmu_psize_def), KERNELOFFSET=0, CRASHTIME.
 *
 * The 6.12 shape follows 6.12's kernel/vmcore_info.c and arch/powerpc/kexec/
 * vmcore_info.c (checked against a Debian 13 guest's note): OSRELEASE, BUILD-ID,
 * PAGESIZE, SYMBOL(init_uts_ns), OFFSET(uts_namespace.name), SYMBOL(node_online_map|
 * swapper_pg_dir|_stext), NUMBER(VMALLOC_START)=0x<hex> (FK_VMALLOC_START, or
 * FK_VMALLOC_START_HASH_4K for hash with 4K pages), SYMBOL(vmemmap)=<the vmemmap
 * base: SYMBOL_ARRAY prints the pointer's value>, (unless no_mem_section)
 * SYMBOL(mem_section), LENGTH(mem_section), SIZE(mem_section)=32,
 * OFFSET(mem_section.section_mem_map)=0, NUMBER(SECTION_SIZE_BITS)=24,
 * NUMBER(MAX_PHYSMEM_BITS)=51 (4K too: pgtable.h takes the larger of H_ and R_),
 * SIZE(page), SIZE(list_head), OFFSET(page.flags|_refcount|mapping|lru|_mapcount|
 * private|compound_head), OFFSET(list_head.next|prev), NUMBER(PG_lru|PG_private|
 * PG_swapcache|PG_swapbacked), NUMBER(PAGE_SLAB_MAPCOUNT_VALUE), NUMBER(PG_hwpoison),
 * NUMBER(PG_head_mask), NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE|PAGE_HUGETLB_MAPCOUNT_VALUE|
 * PAGE_OFFLINE_MAPCOUNT_VALUE), the same vmemmap items, SYMBOL(cur_cpu_spec),
 * OFFSET(cpu_spec.cpu_features)=16, OFFSET(cpu_spec.mmu_features)=32,
 * NUMBER(RADIX_MMU)=1|0, KERNELOFFSET=0, CRASHTIME.
 *
 * Both leave out what describes structures the forge does not lay out (pglist_data,
 * zone, free_area, nodemask_t, printk's ring buffer, node_data, NR_FREE_PAGES), and
 * kallsyms unless fk_opts.kallsyms asks for it: then SYMBOL(kallsyms_names|
 * kallsyms_num_syms|kallsyms_token_table|kallsyms_token_index|kallsyms_offsets|
 * kallsyms_relative_base) follow NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE), as in both
 * kernels.  With fk_opts.debuginfo, BUILD-ID is fk_build_id().
 */
int fk_write_file(struct fk *k, const char *path, const struct forge_write_opts *opts);

#endif /* TCE_FORGE_H */
