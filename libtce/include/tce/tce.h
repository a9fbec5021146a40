/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libtce: read ppc64 Linux vmcores (through libkdumpfile) and answer questions about
 * the pages that devices can DMA into: where each struct page lives (vmemmap_list, the
 * kernel page tables, mem_section), what it says (flags, references, compound and buddy
 * state), and whether the dump is consistent.  This is the one public header; every
 * item is documented here.
 *
 * Objects.  A dump handle (struct tce_dump) owns the file and how its bytes are read;
 * an analysis (struct tce_analysis) is made on a dump and owns what is learnt from it
 * (the vmemmap model, the struct page layout, rule results and findings).  Reading one
 * struct page or translating one pfn loads only what it needs; the comparison of every
 * translation over every pfn runs once, in tce_analysis_check().
 *
 * Errors.  Every function that can fail returns 0 (or a documented non-negative
 * answer) or a negative TCE_E* code, and leaves a one-line message in the dump handle
 * it worked on (tce_errmsg()); an analysis reports through its dump.  The message
 * names its context ("vmemmap_list entry 3: physical 0x... is not in the dump"), also
 * for out-of-memory.  Findings are data, not errors.
 *
 * ABI.  Structures the library fills for the caller start with a size field the caller
 * sets (use the *_INIT macros): fields are only ever added at the end, and the library
 * fills no more than the caller's size.  Structures the library hands out by pointer
 * (blocks, findings, rules) are read through the pointer, never indexed as arrays by
 * the caller, so they can grow too.  Pointers returned by the library stay valid until
 * the object they came from is freed, unless a function says otherwise.
 *
 * Threads.  No global state: two dumps may be open at once; a dump, and the analyses
 * made on it, are used by one thread at a time.  The library may use threads of its
 * own inside a call (tce_analysis_check()), each on its own clone of the dump, all
 * joined before the call returns.
 */
#ifndef TCE_TCE_H
#define TCE_TCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tce/version.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TCE_PUBLIC __attribute__((visibility("default")))

/* ------------------------------------------------------------------ version */

/* TCE_VERSION_MAJOR, _MINOR, _MICRO and TCE_VERSION_STRING come from <tce/version.h>,
 * the version this header belongs to; TCE_VERSION orders versions as numbers. */
#define TCE_VERSION_CODE(maj, min, mic) (((maj) << 16) | ((min) << 8) | (mic))
#define TCE_VERSION TCE_VERSION_CODE(TCE_VERSION_MAJOR, TCE_VERSION_MINOR, TCE_VERSION_MICRO)

/* The version of the library loaded at run time, as TCE_VERSION_CODE() would make it,
 * and as a string ("0.2.0"); static storage. */
TCE_PUBLIC unsigned tce_version(void);
TCE_PUBLIC const char *tce_version_string(void);

/* ------------------------------------------------------------------ errors */

enum tce_error {
	TCE_OK = 0,
	TCE_ENOMEM = 1,    /* out of memory */
	TCE_EIO = 2,       /* the file cannot be read */
	TCE_EFORMAT = 3,   /* not a dump libtce can read, or its headers are corrupt */
	TCE_EUNSUPP = 4,   /* a dump, but not of ppc64 Linux */
	TCE_ENODATA = 5,   /* the address is not in the dump (hole, excluded, cut off) */
	TCE_ENOXLAT = 6,   /* the address has no translation */
	TCE_ENOENT = 7,    /* no such symbol, field or value (the answer is "unknown") */
	TCE_ECORRUPT = 8,  /* the dump contradicts itself */
	TCE_EINVAL = 9,    /* bad argument, or a call out of order */
};

/* A short constant text for an error code, negative or positive ("not in the dump");
 * static storage, never NULL. */
TCE_PUBLIC const char *tce_strerror(int err);

/* ------------------------------------------------------------------ dump */

struct tce_dump;

enum tce_byteorder { TCE_LE = 0, TCE_BE = 1 };

/*
 * A dump handle is made empty and then opened, as libkdumpfile's kdump_new() and
 * kdump_open_fd(): the caller holds a handle before anything can fail, so every failure
 * of open has a message to read, and settings that must precede the open have a place
 * to go.  Returns NULL only when memory ran out.  Free it with tce_dump_free().
 */
TCE_PUBLIC struct tce_dump *tce_dump_new(void);

/*
 * Opens a vmcore (ELF or kdump-compressed) by path.  Returns 0, or -TCE_EIO (cannot be
 * read), -TCE_EFORMAT (not a dump, or headers that lie outside the file), -TCE_EUNSUPP
 * (not ppc64 Linux), -TCE_ENOMEM, -TCE_EINVAL (the handle is already open).  On failure
 * tce_errmsg(d) says why and the handle can only be freed.
 */
TCE_PUBLIC int tce_dump_open(struct tce_dump *d, const char *path);

/* Same, for an open file descriptor; the handle keeps its own duplicate, the caller
 * keeps fd.  name is what messages call the file (NULL: "(fd)"); it is copied. */
TCE_PUBLIC int tce_dump_open_fd(struct tce_dump *d, int fd, const char *name);

/* Frees the handle (NULL is fine).  Free every analysis made on it first. */
TCE_PUBLIC void tce_dump_free(struct tce_dump *d);

/* The message of the last failure on this handle, "" if none; valid until the next
 * call on the handle.  NULL d: "out of memory" (tce_dump_new() failed). */
TCE_PUBLIC const char *tce_errmsg(const struct tce_dump *d);

struct tce_dump_info {
	size_t size;               /* set by the caller: sizeof(struct tce_dump_info) */
	const char *path;          /* the name given at open */
	const char *format;        /* libkdumpfile's file.format: "elf", "diskdump", ... */
	const char *arch;          /* "ppc64" */
	const char *release;       /* OSRELEASE from VMCOREINFO */
	enum tce_byteorder byte_order;
	uint64_t page_size;        /* PAGESIZE: 4096 or 65536 */
	uint64_t file_size;
	/* ELF dumps only (nranges == 0 otherwise): the PT_LOADs */
	unsigned nranges;          /* physical ranges the dump describes */
	uint64_t phys_bytes;       /* bytes of physical memory the file holds */
	uint64_t phys_end;         /* highest physical address described + 1 */
	bool truncated;            /* some PT_LOAD lies past the end of the file */
	uint64_t truncated_bytes;  /* how much of the PT_LOADs is missing */
	/* type information */
	unsigned vmcoreinfo_lines; /* 0: no VMCOREINFO (open refuses such dumps) */
	bool btf_probed;           /* false: this version does not look for BTF, so
				      has_btf says nothing */
	bool has_btf;
	bool has_dwarf;            /* a vmlinux was given (not in this version) */
	/* (0.3) a running kernel's memory (/proc/kcore, a file of procfs): it changes
	 * while it is read, every answer is one sample of it */
	bool live;
	unsigned virt_segments;    /* PT_LOADs with no physical address (kcore's vmalloc
				      and vmemmap segments), not among nranges */
};
#define TCE_DUMP_INFO_INIT { .size = sizeof(struct tce_dump_info) }

/* Fills info (up to info->size bytes).  The strings belong to the handle.  Returns 0,
 * or -TCE_EINVAL if info->size is too small for the first fields or d is not open. */
TCE_PUBLIC int tce_dump_info(struct tce_dump *d, struct tce_dump_info *info);

/* The dump's own byte order, for kernel data. */
TCE_PUBLIC enum tce_byteorder tce_dump_byteorder(const struct tce_dump *d);

/* (0.3) A guest dump QEMU's dump-guest-memory (or virsh dump --memory-only) wrote of a
 * ppc64 guest lacks VMCOREINFO and may have its headers in the wrong byte order: open
 * repairs it in memory (the file is not written), from the guest's own VMCOREINFO note
 * found in guest memory, and refuses it with a message when that note cannot be found
 * or the fault is not QEMU's.  tce_dump_repaired() says what was repaired, in one line
 * ("QEMU dump-guest-memory file: headers big-endian for a little-endian guest; no
 * VMCOREINFO, the kernel's note (N bytes) taken from guest physical 0x..."; owned by
 * the handle), or NULL when nothing was. */
TCE_PUBLIC const char *tce_dump_repaired(const struct tce_dump *d);
/* (0.3) A flattened makedumpfile file (makedumpfile -F, QEMU's dump-guest-memory -z)
 * is laid out at open as makedumpfile -R would, in an unlinked temporary file the
 * handle reads (the file is not written): what was done and what it cost, in one line
 * owned by the handle ("a flattened makedumpfile file (...): its N records laid out
 * as makedumpfile -R would, M MB copied to an unlinked temporary file in DIR in S s"),
 * or NULL when the file is not flattened. */
TCE_PUBLIC const char *tce_dump_unflattened(const struct tce_dump *d);
/* (0.3) Writes the repaired dump to fd (truncated first) as an ELF vmcore other tools
 * read (crash, drgn, makedumpfile): the input's bytes, the ELF and program headers in
 * the guest's byte order at offset 64, p_vaddr in the linear map, QEMU's notes dropped,
 * the VMCOREINFO note appended.  A kdump-compressed input (flattened or not) is
 * written as a kdump-compressed file libkdumpfile, crash and makedumpfile read as it
 * is: header, sub-header and page descriptors in the guest's byte order, utsname from
 * the guest's init_uts_ns, the VMCOREINFO note in the sub-header, QEMU's notes
 * dropped, the bitmaps and the (compressed) pages copied; or, when QEMU's blocks are
 * not the guest's pages (64 KiB blocks, a guest of 4 KiB pages: such a file cannot
 * say that), an ELF vmcore of the memory the file holds.  0, -TCE_EINVAL when nothing
 * was repaired, -TCE_EUNSUPP for a header version before 6, -TCE_ENODATA when a block
 * the file names cannot be read, -TCE_EIO (message set). */
TCE_PUBLIC int tce_dump_write_repaired(struct tce_dump *d, int fd);

/* Reads.  Every read states where the address lives. */
enum tce_addrspace { TCE_PHYS = 0, TCE_KVADDR = 1 };

/* Reads exactly len bytes or fails: -TCE_ENODATA if any byte is not in the dump,
 * -TCE_ENOXLAT if a kernel virtual address has no translation, -TCE_EIO. */
TCE_PUBLIC int tce_read(struct tce_dump *d, enum tce_addrspace as, uint64_t addr,
			void *buf, size_t len);
/* A 64- or 32-bit value in byte order bo (kernel data: tce_dump_byteorder()). */
TCE_PUBLIC int tce_read_u64(struct tce_dump *d, enum tce_addrspace as, uint64_t addr,
			    enum tce_byteorder bo, uint64_t *val);
TCE_PUBLIC int tce_read_u32(struct tce_dump *d, enum tce_addrspace as, uint64_t addr,
			    enum tce_byteorder bo, uint32_t *val);
/* Translates a kernel virtual address through the translations installed so far: the
 * linear map always; the vmemmap and vmalloc once an analysis has loaded its model.
 * -TCE_ENOXLAT, -TCE_ENODATA (a page table is not in the dump). */
TCE_PUBLIC int tce_kvtop(struct tce_dump *d, uint64_t kva, uint64_t *phys);
/* Is every byte of the physical range [phys, phys + len) in the dump?  1 yes, 0 no,
 * negative on error (kdump-compressed dumps are probed by reading). */
TCE_PUBLIC int tce_phys_in_dump(struct tce_dump *d, uint64_t phys, uint64_t len);

/* ------------------------------------------------------------------ VMCOREINFO */

/* The value of a raw line ("OSRELEASE", "SYMBOL(vmemmap_list)", ...), or NULL (and a
 * message) if absent.  The last line of a key wins.  Owned by the handle. */
TCE_PUBLIC const char *tce_vmcoreinfo(struct tce_dump *d, const char *key);
/* SYMBOL(name) (hex), SIZE(name), OFFSET(type.field), LENGTH(name) (decimal) and
 * NUMBER(name) (signed decimal).  0, or -TCE_ENOENT if absent or malformed. */
TCE_PUBLIC int tce_vmcoreinfo_symbol(struct tce_dump *d, const char *name, uint64_t *addr);
TCE_PUBLIC int tce_vmcoreinfo_size(struct tce_dump *d, const char *name, uint64_t *size);
TCE_PUBLIC int tce_vmcoreinfo_offset(struct tce_dump *d, const char *type,
				     const char *field, uint64_t *off);
TCE_PUBLIC int tce_vmcoreinfo_length(struct tce_dump *d, const char *name, uint64_t *len);
TCE_PUBLIC int tce_vmcoreinfo_number(struct tce_dump *d, const char *name, int64_t *num);
/* Line i (from 0) as key and value; false past the end.  Bytes outside printable
 * ASCII are replaced by '?'.  Owned by the handle. */
TCE_PUBLIC bool tce_vmcoreinfo_line(const struct tce_dump *d, unsigned i,
				    const char **key, const char **value);

/* ------------------------------------------------------------------ rules */

enum tce_severity { TCE_SEV_INFO = 0, TCE_SEV_WARNING = 1, TCE_SEV_ERROR = 2 };

/* "info", "warning", "error" (static storage; "unknown" for other values). */
TCE_PUBLIC const char *tce_severity_name(enum tce_severity s);
/* Parses those names; 0 or -TCE_EINVAL. */
TCE_PUBLIC int tce_severity_parse(const char *s, enum tce_severity *out);

/* Every rule of the catalogue, in the order `tce-inspect rules` lists them.  The
 * numbers are stable within a major version; new rules are added at the end. */
enum tce_rule_id {
	TCE_RULE_VMEMMAP_MISSING = 0,
	TCE_RULE_VMEMMAP_CYCLE,
	TCE_RULE_VMEMMAP_UNTERMINATED,
	TCE_RULE_VMEMMAP_TRUNCATED,
	TCE_RULE_VMEMMAP_MISALIGNED,
	TCE_RULE_VMEMMAP_OVERLAP_VIRT,
	TCE_RULE_VMEMMAP_OVERLAP_PHYS,
	TCE_RULE_VMEMMAP_BACKING_MISSING,
	TCE_RULE_VMEMMAP_UNCOVERED,
	TCE_RULE_VMEMMAP_UNORDERED,
	TCE_RULE_VMEMMAP_SEED_FALLBACK,
	TCE_RULE_VMEMMAP_XLAT_MISMATCH,
	TCE_RULE_VMEMMAP_STRADDLE,
	TCE_RULE_DUMP_UNMANAGED,
	TCE_RULE_VMEMMAP_NO_XLAT,
	TCE_RULE_VMEMMAP_NOT_VMEMMAP,
	/* 0.3: TCE tables */
	TCE_RULE_ENTRY_NO_PAGE,
	TCE_RULE_ENTRY_RESERVED_BITS,
	TCE_RULE_ENTRY_MISALIGNED,
	TCE_RULE_LEVEL_BAD,
	TCE_RULE_TABLE_OVERFULL,
	TCE_RULE_DMA_FREED,
	TCE_RULE_ITMAP_CLEAR,
	TCE_RULE_ENTRY_RESERVED_RANGE,
	TCE_RULE_KVM_NO_MEMSLOT,
	TCE_RULE_KVM_HW_MISMATCH,
	TCE_RULE_ENTRY_DEVICE,
	/* 0.3: VFIO's SPAPR TCE v2 tables and preregistered memory */
	TCE_RULE_VFIO_NO_UA,
	TCE_RULE_VFIO_NO_REGION,
	TCE_RULE_VFIO_HPA_MISMATCH,
	TCE_RULE_VFIO_UNPINNED,
	TCE_RULE_VFIO_MAPPED,
	/* 0.3: rules of a kernel model the user selects (tce_analysis_set_model()) */
	TCE_RULE_SEED_REFS,
	TCE_RULE_COUNT
};

/* What a rule looks at. */
enum tce_rule_area {
	TCE_AREA_VMEMMAP = 0,      /* vmemmap_list, the struct page translations, the dump */
	TCE_AREA_TABLES,           /* TCE tables, their entries and the pages behind them */
};

struct tce_rule {
	enum tce_rule_id rule;
	const char *id;            /* the stable text id: "TCE-VMEMMAP-CYCLE" */
	enum tce_severity severity;
	const char *summary;       /* one line */
	const char *why;           /* one paragraph: what usually causes it, what next */
	const char *model;         /* what the rule assumes of the kernel */
	enum tce_rule_area area;   /* (0.3) */
};

/* The rule with this number, or NULL; static storage. */
TCE_PUBLIC const struct tce_rule *tce_rule(enum tce_rule_id rule);
/* Looks a rule up by its text id ("TCE-VMEMMAP-CYCLE"); 0 or -TCE_ENOENT. */
TCE_PUBLIC int tce_rule_lookup(const char *id, enum tce_rule_id *rule);

/* ------------------------------------------------------------------ analysis */

struct tce_analysis;

/*
 * Makes an analysis of an open dump.  Nothing is read yet.  One analysis per dump at a
 * time (it installs its translations into the dump): a second gets -TCE_EINVAL.
 * Returns 0 or -TCE_ENOMEM / -TCE_EINVAL with the message in d.
 */
TCE_PUBLIC int tce_analysis_new(struct tce_dump *d, struct tce_analysis **out);
/* Frees it and removes its translations from the dump (NULL is fine). */
TCE_PUBLIC void tce_analysis_free(struct tce_analysis *a);
/* The dump it analyses. */
TCE_PUBLIC struct tce_dump *tce_analysis_dump(const struct tce_analysis *a);

enum tce_mmu { TCE_MMU_UNKNOWN = 0, TCE_MMU_HASH, TCE_MMU_RADIX };
/* "hash", "radix", "unknown" */
TCE_PUBLIC const char *tce_mmu_name(enum tce_mmu m);

/*
 * The kernel's MMU.  A kernel that says (NUMBER(RADIX_MMU) in VMCOREINFO, 6.2 and
 * later) is believed; otherwise the kernel page tables decide: on radix they map the
 * linear map, so swapper_pg_dir's own address translates to itself; hash kernels keep
 * no such entry.  TCE_MMU_UNKNOWN when neither is in the dump: never a guess.  Reads
 * a few page-table entries, nothing else.  Returns 0 or a negative error.
 */
TCE_PUBLIC int tce_analysis_mmu(struct tce_analysis *a, enum tce_mmu *mmu);

/* How the MMU was decided. */
struct tce_mmu_info {
	size_t size;               /* set by the caller: sizeof(struct tce_mmu_info) */
	enum tce_mmu mmu;          /* the answer (as tce_analysis_mmu()) */
	enum tce_mmu declared;     /* NUMBER(RADIX_MMU), or unknown when VMCOREINFO lacks it */
	enum tce_mmu tables;       /* radix: swapper_pg_dir maps itself through radix
				      tables; hash: its tables are in the dump and do not;
				      unknown: they cannot be read */
	const char *why;           /* tables not radix: why (one line), else NULL; owned by
				      the analysis */
};
#define TCE_MMU_INFO_INIT { .size = sizeof(struct tce_mmu_info) }
/* Fills mi (up to mi->size).  Returns 0 or a negative error. */
TCE_PUBLIC int tce_analysis_mmu_info(struct tce_analysis *a, struct tce_mmu_info *mi);

/* Translation methods of pfn -> physical address of its struct page */
enum tce_xlat {
	TCE_XLAT_SEED2013 = 0,  /* the 2013 walk: first entry with virt_addr <= va decides */
	TCE_XLAT_WALK = 1,      /* hot-remove-safe walk: every entry is checked */
	TCE_XLAT_INDEX = 2,     /* sorted index, O(log n) */
	TCE_XLAT_PGTABLE = 3,   /* the kernel page tables (radix only) */
	TCE_XLAT_NUM
};
/* "seed2013", "walk", "index", "pgtable"; "unknown" otherwise. */
TCE_PUBLIC const char *tce_xlat_name(enum tce_xlat m);

/* What translates struct page addresses (pfn -> its struct page) in this dump. */
enum tce_vmemmap_source {
	TCE_VMEMMAP_SRC_NONE = 0,   /* nothing does: no struct page can be read (why says
				       what is missing) */
	TCE_VMEMMAP_SRC_LIST,       /* vmemmap_list (hash kernels; radix before 6.5) */
	TCE_VMEMMAP_SRC_PGTABLE,    /* the radix kernel page tables alone: the kernel keeps
				       no vmemmap_list (radix since 6.5) */
};
/* "none", "vmemmap_list", "page-tables" */
TCE_PUBLIC const char *tce_vmemmap_source_name(enum tce_vmemmap_source s);

/* Where the vmemmap base (pfn 0's struct page) comes from. */
enum tce_base_source {
	TCE_BASE_UNKNOWN = 0,
	TCE_BASE_VMCOREINFO,        /* SYMBOL(vmemmap): the kernel's own variable (6.2+) */
	TCE_BASE_SECTIONS,          /* decoded from mem_section's section_mem_map */
	TCE_BASE_BLOCKS,            /* derived from the vmemmap_list blocks' region */
};
/* "unknown", "vmcoreinfo", "mem_section", "blocks" */
TCE_PUBLIC const char *tce_base_source_name(enum tce_base_source s);

/* How the vmemmap (the struct page array) was found. */
struct tce_vmemmap_info {
	size_t size;               /* set by the caller: sizeof(struct tce_vmemmap_info) */
	uint64_t head;             /* value of vmemmap_list */
	uint64_t block_size;       /* 1 << mmu_psize_defs[mmu_vmemmap_psize].shift; 0 when
				      the list cannot be walked */
	unsigned block_shift;
	uint64_t struct_page_size; /* SIZE(page) */
	uint64_t base;             /* the address of pfn 0's struct page; 0 unknown */
	bool base_from_sections;   /* base_source is TCE_BASE_SECTIONS (kept for callers
				      built against 0.2) */
	uint64_t max_pfn;          /* one past the highest pfn the blocks or page tables
				      describe */
	size_t nblocks;
	bool complete;             /* the list ended in NULL: no cycle, no bad pointer */
	bool ordered;              /* no entry above the one before it (descending virt),
				      as the 2013 walk needs */
	bool pgtable;              /* radix page tables map the vmemmap and were read */
	enum tce_mmu mmu;
	/* 0.3 */
	enum tce_vmemmap_source source;  /* what page reads go through */
	enum tce_xlat reference;   /* the method that source is (TCE_XLAT_INDEX for the
				      list, TCE_XLAT_PGTABLE for the page tables); others
				      are compared with it; TCE_XLAT_NUM for none */
	enum tce_base_source base_source;
	enum tce_mmu mmu_declared; /* what VMCOREINFO says (NUMBER(RADIX_MMU)), or unknown */
	enum tce_mmu mmu_tables;   /* what the page tables look like, or unknown */
	const char *why;           /* source NONE: one line saying what is missing;
				      else NULL.  Owned by the analysis. */
	bool list_walked;          /* VMCOREINFO describes vmemmap_list and it was walked */
};
#define TCE_VMEMMAP_INFO_INIT { .size = sizeof(struct tce_vmemmap_info) }

/*
 * Walks vmemmap_list (once per analysis; bounded, cycle-detecting), builds the index,
 * reads the radix page tables over the vmemmap, installs the vmemmap translation into
 * the dump, and fills vi (up to vi->size).  Does not compare translations or run rules.
 * A walk that stops early (cycle, unreadable entry) is not an error: vi->complete is
 * false and tce_analysis_check() reports why.  Returns -TCE_ENOENT if the dump lacks
 * what a walk needs (VMCOREINFO items; the message names them), -TCE_ECORRUPT if they
 * are impossible, -TCE_ENOMEM.
 */
TCE_PUBLIC int tce_vmemmap_info(struct tce_analysis *a, struct tce_vmemmap_info *vi);

struct tce_vmemmap_block {
	uint64_t entry;            /* kernel virtual address of its vmemmap_backing */
	uint64_t virt;             /* vmemmap address it backs */
	uint64_t phys;             /* physical address of the backing */
};
/* Block i in list order, or NULL past the end or when the walk has not run. */
TCE_PUBLIC const struct tce_vmemmap_block *tce_vmemmap_block(const struct tce_analysis *a,
							     size_t i);

enum tce_xlat_status {
	TCE_XS_OK = 0,          /* the method finds the struct page at *phys */
	TCE_XS_NOBLOCK = 1,     /* no block (or page-table entry) backs the struct page */
	TCE_XS_STRADDLE = 2,    /* the struct page spans two blocks: unreachable in real
				   mode (*phys is where its first byte is) */
	TCE_XS_UNAVAILABLE = 3, /* the method does not apply to this dump (page tables
				   on hash) */
};
/* "ok", "no-block", "straddle", "unavailable"; "unknown" otherwise. */
TCE_PUBLIC const char *tce_xlat_status_name(enum tce_xlat_status s);

/*
 * Translates pfn with one method into *st and, for TCE_XS_OK and TCE_XS_STRADDLE,
 * *phys.  Loads the vmemmap model if needed (as tce_vmemmap_info()), never the
 * comparison.  A pfn beyond every struct page is TCE_XS_NOBLOCK for every method that
 * applies.  Returns 0, or the error of loading the model.
 */
TCE_PUBLIC int tce_pfn_to_page(struct tce_analysis *a, enum tce_xlat m, uint64_t pfn,
			       enum tce_xlat_status *st, uint64_t *phys);
/* The vmemmap (kernel virtual) address of pfn's struct page; 0 before the model is
 * loaded or when it would overflow. */
TCE_PUBLIC uint64_t tce_pfn_to_vmemmap(const struct tce_analysis *a, uint64_t pfn);

/* One disagreement of a translation with the reference, as the rule it breaks. */
struct tce_pfn_problem {
	enum tce_rule_id rule;     /* TCE_RULE_VMEMMAP_XLAT_MISMATCH, _SEED_FALLBACK or
				      _STRADDLE */
	enum tce_xlat method;      /* the method that disagrees (the reference itself for
				      a straddling struct page) */
	char message[200];         /* one line */
};
#define TCE_PFN_PROBLEMS_MAX TCE_XLAT_NUM

/* Every translation of one pfn, compared with the reference (the one page reads use). */
struct tce_pfn_xlat {
	size_t size;               /* set by the caller: sizeof(struct tce_pfn_xlat) */
	uint64_t pfn;
	uint64_t vmemmap;          /* its struct page's kernel virtual address; 0 unknown */
	enum tce_xlat reference;   /* TCE_XLAT_NUM: nothing locates a struct page */
	enum tce_xlat_status st[TCE_XLAT_NUM];
	uint64_t phys[TCE_XLAT_NUM];   /* for TCE_XS_OK and TCE_XS_STRADDLE */
	unsigned nproblems;
	struct tce_pfn_problem problem[TCE_PFN_PROBLEMS_MAX];
};
#define TCE_PFN_XLAT_INIT { .size = sizeof(struct tce_pfn_xlat) }

/*
 * Translates pfn with every method and compares each with the reference: the
 * per-pfn view of what tce_analysis_check() reports over all pfns (the same rules:
 * a method that finds another address or none is TCE-VMEMMAP-XLAT-MISMATCH, the 2013
 * walk giving up is TCE-VMEMMAP-SEED-FALLBACK, a struct page split between two blocks
 * is TCE-VMEMMAP-STRADDLE).  Loads the vmemmap model if needed.  Fills x up to x->size;
 * returns 0, or the error of loading the model.
 */
TCE_PUBLIC int tce_pfn_xlat(struct tce_analysis *a, uint64_t pfn, struct tce_pfn_xlat *x);

/* ------------------------------------------------------------------ type information */

/* Where DWARF for the dumped kernel may come from (set before the first lookup). */
struct tce_types_opts {
	size_t size;               /* set by the caller: sizeof(struct tce_types_opts) */
	const char *vmlinux;       /* a vmlinux (or its .debug file) with DWARF: used if
				      it is the dump's build, else every lookup fails with
				      one line saying why; NULL: look for one */
	const char *debug_dir;     /* a tree laid out like /usr/lib/debug (boot/vmlinux-REL,
				      lib/modules/REL/vmlinux, .build-id/xx/rest.debug);
				      NULL: /usr/lib/debug */
	bool debuginfod;           /* ask the servers DEBUGINFOD_URLS names, by build id */
};
#define TCE_TYPES_OPTS_INIT { .size = sizeof(struct tce_types_opts), .debuginfod = true }
/* Copies the options.  -TCE_EINVAL once type information was looked up. */
TCE_PUBLIC int tce_analysis_set_types(struct tce_analysis *a,
				      const struct tce_types_opts *o);

/* A module on the dump's modules list, and where its type information comes from. */
struct tce_module_info {
	const char *name;
	uint64_t addr;             /* its struct module */
	const char *build_id;      /* hex, from its .note.gnu.build-id in memory; NULL: the
				      dump does not hold it */
	size_t sections;           /* section addresses read from sect_attrs */
	size_t kallsyms;           /* symbols read from its own kallsyms */
	const char *dwarf_path;    /* the .ko whose DWARF (relocated to the sections) is
				      used, or NULL */
	const char *dwarf_how;     /* "debug tree by release", "debug tree by build id",
				      "debuginfod"; or NULL */
	const char *note;          /* what could not be read of it, why no DWARF; or NULL */
};

/* What type information the analysis has. */
struct tce_types_info {
	size_t size;               /* set by the caller: sizeof(struct tce_types_info) */
	bool dwarf;                /* DWARF of the dump's own build is in use */
	const char *dwarf_path;    /* its file, or NULL */
	const char *dwarf_how;     /* "named by the caller", "debug tree by release",
				      "debug tree by build id", "debuginfod"; or NULL */
	const char *no_dwarf;      /* no DWARF: where it was looked for and why not, and
				      how to get it; else NULL */
	const char *providers;     /* who answers lookups, in order ("VMCOREINFO, DWARF
				      of ..., kallsyms (N symbols in memory)") */
	size_t nmodules;           /* modules on the dump's modules list */
	const struct tce_module_info *modules;  /* each (valid while the analysis is) */
	const char *no_modules;    /* why the list cannot be read, or where its walk
				      stopped; else NULL */
	bool btf;                  /* the kernel's BTF in memory is in use (after DWARF) */
	const char *btf_what;      /* "BTF in memory (N types, N bytes at 0x...)", or
				      NULL */
	const char *no_btf;        /* no BTF: why not (none in memory, or damaged);
				      else NULL */
};
#define TCE_TYPES_INFO_INIT { .size = sizeof(struct tce_types_info) }
/* Looks for type information (once) and fills ti.  Returns 0, or the error of a
 * vmlinux the caller named that cannot be used (-TCE_EINVAL, -TCE_ENOENT, -TCE_EIO,
 * the message says why), or -TCE_ENOMEM.  No DWARF found is not an error. */
TCE_PUBLIC int tce_analysis_types(struct tce_analysis *a, struct tce_types_info *ti);
/* (0.3) Looks for type information (once) as tce_analysis_types() does, and returns as
 * it, without reporting it: for a caller that only asks (a check).  What may not be
 * needed is then read at the first lookup that needs it: BTF in memory, which DWARF of
 * the dump's own build leaves with nothing to answer.  tce_analysis_types() reads it
 * to say whether it is usable. */
TCE_PUBLIC int tce_analysis_load_types(struct tce_analysis *a);

/* Lookups through every provider in order (VMCOREINFO, DWARF, BTF, kallsyms): the address
 * of a kernel symbol; the size of a type ("struct kvm", "union x", a typedef name);
 * the offset and size of a member path ("arch.spapr_tce_tables", anonymous members
 * looked through; *size 0 when only the offset is known).  0, or -TCE_ENOENT with a
 * message naming who was asked. */
TCE_PUBLIC int tce_analysis_symbol(struct tce_analysis *a, const char *name,
				   uint64_t *addr);
TCE_PUBLIC int tce_analysis_type_size(struct tce_analysis *a, const char *type,
				      uint64_t *size);
TCE_PUBLIC int tce_analysis_member(struct tce_analysis *a, const char *type,
				   const char *path, uint64_t *offset, uint64_t *size);

/* ------------------------------------------------------------------ TCE tables */

enum tce_table_kind {
	TCE_TABLE_IOMMU = 1,       /* a kernel struct iommu_table: hardware TCEs (powernv),
				      or an LPAR's window (pseries) */
	TCE_TABLE_KVM,             /* a struct kvmppc_spapr_tce_table: a guest's view */
};
/* "iommu", "kvm" */
TCE_PUBLIC const char *tce_table_kind_name(enum tce_table_kind k);

/* Where tables are looked for. */
enum tce_table_source {
	TCE_SOURCE_KVM = 0,        /* vm_list -> each VM's spapr_tce_tables, and the
				      hardware tables VFIO attached to their LIOBNs */
	TCE_SOURCE_POWERNV,        /* hose_list -> each PHB's PEs -> table_group.tables[] */
	TCE_SOURCE_PSERIES,        /* hose_list -> each PHB's pci_dn tree -> table groups */
	TCE_SOURCE_COUNT
};
/* "kvm", "powernv", "pseries" */
TCE_PUBLIC const char *tce_table_source_name(enum tce_table_source s);

/* How the search of one source ended. */
enum tce_search {
	TCE_SEARCH_FOUND = 1,      /* walked to the end: every table it holds is listed */
	TCE_SEARCH_ABSENT,         /* this kernel has none of them (KVM not loaded, no
				      powernv PHB...): why says */
	TCE_SEARCH_PARTIAL,        /* walked, but a list was cut short or damaged: the
				      tables before the damage are listed, why says where */
	TCE_SEARCH_UNKNOWN,        /* cannot be searched: why names what is missing */
};
/* "found", "absent", "partial", "unknown" */
TCE_PUBLIC const char *tce_search_name(enum tce_search s);

/* What the search for tables found. */
struct tce_tables_info {
	size_t size;               /* set by the caller: sizeof(struct tce_tables_info) */
	size_t count;              /* tables found: tce_analysis_table(a, 0..count-1) */
	struct tce_tables_source {
		enum tce_search status;
		const char *why;   /* not FOUND: why; else NULL */
		unsigned count;    /* VMs (kvm), PHBs (powernv, pseries) walked */
	} source[TCE_SOURCE_COUNT];
};
#define TCE_TABLES_INFO_INIT { .size = sizeof(struct tce_tables_info) }
/* Searches the dump for every TCE table (once) and fills ti.  0 whatever the dump holds
 * (each source's status says how far it got), or -TCE_ENOMEM / -TCE_EIO. */
TCE_PUBLIC int tce_analysis_tables(struct tce_analysis *a, struct tce_tables_info *ti);

/* One TCE table, as read from the dump. */
/* (0.3) A PE: its PHB (PCI domain) and PE number. */
struct tce_table_pe {
	int64_t phb, pe;
};
#define TCE_TABLE_SHARED_MAX 4

struct tce_table_info {
	size_t size;               /* set by the caller: sizeof(struct tce_table_info) */
	enum tce_table_kind kind;
	uint64_t addr;             /* kernel virtual address of its structure */
	uint64_t id;               /* kvm: the LIOBN; iommu: it_index */
	uint64_t offset;           /* first bus page of the window */
	uint64_t entries;          /* entries in the window */
	unsigned page_shift;       /* IOMMU page size */
	unsigned levels;           /* iommu: 1 + it_indirect_levels; kvm: 1 */
	uint64_t level_size;       /* iommu: entries a level holds; kvm: entries a page */
	uint64_t base;             /* iommu: it_base; kvm: address of pages[0] */
	/* (0.3) */
	uint64_t vm;               /* kvm: its struct kvm; iommu: 0 */
	int64_t pid;               /* kvm: the VMM's pid (kvm->userspace_pid); -1 unknown */
	bool userspace;            /* iommu: it_userspace is set (VFIO made the table) */
	bool hv_entries;           /* iommu: an LPAR's window: its entries live in the
				      hypervisor, not in this dump */
	/* where tce_analysis_table() found it (tce_table_at(): NULL, -1, 0) */
	enum tce_table_source source;
	const char *found;         /* the path that led to it ("hose_list -> PHB 0 -> PE
				      0x1fd -> tables[0]"); valid while the analysis is */
	int64_t phb, pe;           /* PHB (PCI domain) and PE number; -1 unknown */
	uint64_t attached_vm;      /* iommu: the VM whose LIOBN VFIO attached it to; 0 */
	uint64_t attached_liobn;
	int err;                   /* tce_analysis_table(): 0, or why the structure cannot
				      be read (then only the fields above, addr and kind
				      are set: id is 0, never read) */
	const char *why;           /* err: the message */
	/* (0.3) iommu: the other PEs whose table_group lists the same table (one table
	 * shared by PEs: a VFIO container's groups, an NPU's and its GPU's), after the
	 * first (phb, pe); at most TCE_TABLE_SHARED_MAX of them, shared_more counts the
	 * rest.  Valid while the analysis is. */
	unsigned nshared;
	const struct tce_table_pe *shared;
	unsigned shared_more;
};
#define TCE_TABLE_INFO_INIT { .size = sizeof(struct tce_table_info) }

/* Table i of those tce_analysis_tables() found.  0 (ti->err says whether its structure
 * could be read), -TCE_EINVAL past the end or with a size too small. */
TCE_PUBLIC int tce_analysis_table(struct tce_analysis *a, size_t i,
				  struct tce_table_info *ti);

/* Reads the table of that kind at kernel-virtual addr, with member offsets from type
 * information (see tce_analysis_types()).  0, -TCE_ENOENT (type information lacks a
 * member the table needs: the message names it and what was asked), -TCE_ECORRUPT
 * (values no table can have), or a read error. */
TCE_PUBLIC int tce_table_at(struct tce_analysis *a, enum tce_table_kind kind,
			    uint64_t addr, struct tce_table_info *ti);

/* What a guest physical address in a guest-view entry is on the host. */
enum tce_host_state {
	TCE_HOST_UNKNOWN = 0,      /* the dump or type information cannot say (host_why) */
	TCE_HOST_PRESENT,          /* host_phys is the page */
	TCE_HOST_NOT_PRESENT,      /* a memslot holds it, but the VMM's page tables map
				      nothing there (never touched, or swapped out) */
	TCE_HOST_NO_MEMSLOT,       /* no memslot of the VM holds it */
};
/* "unknown", "present", "not-present", "no-memslot" */
TCE_PUBLIC const char *tce_host_state_name(enum tce_host_state s);

/* One valid entry. */
struct tce_table_entry {
	size_t size;               /* set by the library: sizeof(struct tce_table_entry) */
	uint64_t index;            /* bus page number */
	uint64_t bus;              /* bus address (index << page_shift) */
	uint64_t raw;              /* the entry as stored */
	uint64_t target;           /* iommu: host physical address; kvm: guest physical */
	unsigned perm;             /* 1 read, 2 write */
	bool host;                 /* target is a host physical address */
	/* (0.3) what is behind target on the host */
	enum tce_host_state host_state;
	uint64_t host_phys;        /* PRESENT: the host physical address (iommu: target) */
	uint64_t hva;              /* kvm: the VMM's address of target; 0 without a slot */
	int memslot;               /* kvm: the memslot holding target, -1 none */
	const char *host_why;      /* not PRESENT: why (valid during the callback) */
	/* (0.3) iommu tables VFIO made (it_userspace set): the userspace address VFIO
	 * keeps for the entry, 0 for none; ua_why: it cannot be read (then ua is 0) */
	uint64_t ua;
	const char *ua_why;
};

/* What a walk could not see. */
struct tce_table_stats {
	size_t size;               /* set by the caller */
	uint64_t valid;            /* entries handed to the callback */
	uint64_t unpopulated;      /* indirect entries (iommu) or pages (kvm) never
				      allocated: nothing mapped under them */
	uint64_t missing;          /* reads of table memory the dump lacks */
	uint64_t unknown;          /* entries under those: unknown, never read as zero */
};
#define TCE_TABLE_STATS_INIT { .size = sizeof(struct tce_table_stats) }

/* What tce_table_entries() calls for each entry; non-zero stops the walk. */
typedef int (*tce_table_entry_fn)(void *data, const struct tce_table_entry *e);
/*
 * Calls fn for every valid entry whose position in the window (from 0) lies in
 * [first, last], in order; fn's non-zero return stops the walk and is returned.
 * Memory for the walk is bounded whatever the window's size.  Guest-view entries are
 * joined with the host page behind them (gpa -> the VM's memslot -> the VMM's address
 * -> the VMM's page tables).  0, -TCE_ENODATA for an LPAR's window (hv_entries: the
 * entries are not in the dump), or an error.  (0.3) fn NULL: the entries are only
 * counted into st (nothing joined with the host: a 16M-entry window in a few
 * hundredths of a second).
 */
TCE_PUBLIC int tce_table_entries(struct tce_analysis *a, const struct tce_table_info *ti,
				 uint64_t first, uint64_t last, tce_table_entry_fn fn,
				 void *data, struct tce_table_stats *st);

/*
 * (0.3) A table's semantic key, as the keys of findings about it start: its kind and
 * who it belongs to, never a kernel pointer, so that the same table has the same key in
 * every dump of a host ("kvm:vm=NAME:liobn=0x80000000" for a guest view whose VMM was
 * given -name NAME, else "kvm:pid=N:liobn=..."; "iommu:phb=0:pe=0x1fd:window=0x0" for a
 * PE's table, "iommu:liobn=...:window=..." for one VFIO attached to a LIOBN, else
 * "iommu:it_index=...:window=...").  ti is tce_analysis_table()'s; the key goes to buf
 * (at most len bytes with its NUL, cut short if longer; TCE_TABLE_KEY_MAX is enough).
 * 0, or -TCE_EINVAL (ti of an older, smaller size; len 0).
 */
#define TCE_TABLE_KEY_MAX 128
TCE_PUBLIC int tce_table_key(struct tce_analysis *a, const struct tce_table_info *ti,
			     char *buf, size_t len);

/* (0.3) How a bus address differs between two tables (tce_table_diff()). */
enum tce_entry_change {
	TCE_CHANGE_MAPPED = 1,     /* valid in the new table only */
	TCE_CHANGE_UNMAPPED,       /* valid in the old table only */
	TCE_CHANGE_REMAPPED,       /* valid in both, to another target */
	TCE_CHANGE_CHANGED,        /* valid in both, to the same target, other
				      permissions (or other bits of the raw entry) */
	TCE_CHANGE_UNKNOWN,        /* valid in one, and the other's table memory around it
				      is not in its dump: mapped, unmapped or the same */
};
/* "mapped", "unmapped", "remapped", "changed", "unknown" (NULL for other values) */
TCE_PUBLIC const char *tce_entry_change_name(enum tce_entry_change c);

/* What tce_table_diff() calls for each bus address where the tables differ, in bus
 * address order: old and new_ are the entries (NULL where that table has none: MAPPED,
 * UNMAPPED and UNKNOWN have one of them), valid during the call.  Non-zero stops the
 * diff and is returned. */
typedef int (*tce_entry_diff_fn)(void *data, enum tce_entry_change change,
				 const struct tce_table_entry *old,
				 const struct tce_table_entry *new_);

struct tce_table_diff_stats {
	size_t size;               /* set by the caller */
	uint64_t same;             /* bus addresses valid in both, the raw entry equal */
	uint64_t mapped, unmapped, remapped, changed, unknown;   /* as handed over */
	struct tce_table_stats old, new_;   /* each table's walk (valid, unknown...) */
	int failed;                /* the walk that failed: 1 the old table's, 2 the
				      new one's (its dump has the message), 0 none */
};
#define TCE_TABLE_DIFF_STATS_INIT { .size = sizeof(struct tce_table_diff_stats), \
				    .old = TCE_TABLE_STATS_INIT, .new_ = TCE_TABLE_STATS_INIT }

/*
 * (0.3) The difference of two tables by bus address: told of analysis old (an earlier
 * dump) and tnew of analysis new_ (a later one; the same analysis is fine), usually the
 * tables of one key in two dumps (tce_table_key()).  Either may be NULL: a table only
 * the other dump holds, whose every entry is then mapped (or unmapped).  Both are
 * walked in bus address order a slice at a time (TCE_DIFF_SLICE entries of the smaller
 * IOMMU page size, or one page of the larger) and merged, so memory is bounded
 * whatever the windows' sizes (two slices of entries); entries the same in both are
 * counted, not handed over.  A window that moved or changed its page size is compared
 * by bus address all the same (an entry is matched by the bus address it starts at).
 * 0, an error of either walk (its analysis' dump has the message; -TCE_ENODATA for an
 * LPAR's window), or fn's non-zero return.
 */
#define TCE_DIFF_SLICE 4096
TCE_PUBLIC int tce_table_diff(struct tce_analysis *old, const struct tce_table_info *told,
			      struct tce_analysis *new_, const struct tce_table_info *tnew,
			      tce_entry_diff_fn fn, void *data,
			      struct tce_table_diff_stats *st);

/* ------------------------------------------------------------------ struct page */

/* Page states that rules rely on, decided from what the dump names. */
enum tce_page_flag {
	TCE_PF_LRU = 1u << 0,
	TCE_PF_PRIVATE = 1u << 1,
	TCE_PF_SWAPCACHE = 1u << 2,
	TCE_PF_SWAPBACKED = 1u << 3,
	TCE_PF_SLAB = 1u << 4,
	TCE_PF_HWPOISON = 1u << 5,
	TCE_PF_HEAD = 1u << 6,
	TCE_PF_TAIL = 1u << 7,
	TCE_PF_BUDDY = 1u << 8,     /* a page type in _mapcount, not a flag bit */
	TCE_PF_OFFLINE = 1u << 9,   /* likewise */
	TCE_PF_RESERVED = 1u << 10,
};
#define TCE_PF_COUNT 11
/* Name of TCE_PF_* bit number bit ("lru", "head", ...); "unknown" past the end. */
TCE_PUBLIC const char *tce_page_flag_name(unsigned bit);

struct tce_page {
	size_t size;               /* set by the caller: sizeof(struct tce_page) */
	uint64_t pfn;
	uint64_t vmemmap;          /* kernel virtual address of the struct page */
	uint64_t phys;             /* where it was read from (its first byte) */
	uint64_t flags;            /* raw page->flags */
	int32_t refcount;          /* raw _refcount */
	int32_t mapcount;          /* raw _mapcount (a page type for buddy/offline pages) */
	uint64_t compound_head;    /* raw: for a tail page, its head's address | 1 */
	uint64_t mapping;          /* raw; 0 when the dump does not name the field */
	uint64_t private_;         /* raw; likewise */
	unsigned states;           /* TCE_PF_* bits that are set */
	unsigned known;            /* TCE_PF_* bits the dump lets us decide */
	uint64_t named_flags;      /* page->flags bits whose number the dump gives
				      (NUMBER(PG_*), PG_head_mask); tce_page_flag_bit()
				      names them */
	uint64_t head_pfn;         /* a tail page's head; TCE_NO_PFN when not a tail or
				      when its head lies outside the vmemmap */
	int compound_order;        /* of a head page, from its first tail; -1 unknown or
				      not a head */
	int buddy_order;           /* of a free buddy page (page->private); -1 unknown or
				      not a buddy page */
	/* 0.3 */
	bool has_mapping;          /* the dump names page->mapping (else mapping is 0) */
	bool has_private;          /* likewise page->private */
};
#define TCE_PAGE_INIT { .size = sizeof(struct tce_page) }
#define TCE_NO_PFN UINT64_MAX

/*
 * Reads pfn's struct page through the index translation (the one installed into the
 * dump) and decodes it with the struct page layout (resolved once per analysis).
 * Fills pg up to pg->size.  Returns 0, -TCE_ENOXLAT (no block backs it), -TCE_ENODATA
 * (its backing is not in the dump), -TCE_ENOENT (the dump lacks the struct page
 * layout), or the error of loading the model.
 */
TCE_PUBLIC int tce_page_read(struct tce_analysis *a, uint64_t pfn, struct tce_page *pg);

/* The name the dump gives page->flags bit `bit` ("lru" for NUMBER(PG_lru), "head" for
 * PG_head_mask), or NULL if it names none.  Owned by the analysis. */
TCE_PUBLIC const char *tce_page_flag_bit(struct tce_analysis *a, unsigned bit);

/* ------------------------------------------------------------------ checks */

/*
 * Runs every rule once: loads the model, compares all translations over every pfn,
 * reads mem_section, and records each rule's outcome and findings.  A second call does
 * nothing.  Returns 0 (whatever was found), or -TCE_ENOMEM: then no result is kept
 * and the message says where memory ran out.  A table of 65536 entries or more is
 * walked by two threads when the process may run on two processors (the environment's
 * TCE_INSPECT_THREADS=1: never, =2: every table); the results are one thread's.
 */
TCE_PUBLIC int tce_analysis_check(struct tce_analysis *a);

/* Whether tce_analysis_check() runs rule (every rule does unless told otherwise); a
 * rule left out has the outcome TCE_OUTCOME_NOT_RUN.  0, or -TCE_EINVAL once the check
 * ran or for a rule that does not exist. */
TCE_PUBLIC int tce_analysis_enable(struct tce_analysis *a, enum tce_rule_id rule, bool on);

/*
 * (0.3) Kernel models beyond the stock kernel's that a rule may assume: a kernel
 * carrying a patch series keeps invariants of its own, which a rule checks only when
 * the user says the dump's kernel has them.  Until then such a rule is not applicable
 * (the reason names the model).
 */
enum tce_kmodel {
	/* this project's series (kernel/patches, after the 2013 seed): KVM's real-mode
	 * TCE path takes one page reference (realmode_get_page()) for every valid entry
	 * it puts into a hardware table attached to a guest's LIOBN */
	TCE_KMODEL_SEED2013 = 0,
	TCE_KMODEL_COUNT
};
/* "seed2013" (static storage; NULL for other values), and its parser: 0 or
 * -TCE_EINVAL. */
TCE_PUBLIC const char *tce_kmodel_name(enum tce_kmodel m);
TCE_PUBLIC int tce_kmodel_parse(const char *name, enum tce_kmodel *m);
/* (0.3) Says whether the dump's kernel follows model m (none does unless told).  0, or
 * -TCE_EINVAL once the check ran or for a model that does not exist. */
TCE_PUBLIC int tce_analysis_set_model(struct tce_analysis *a, enum tce_kmodel m, bool on);

/* Told how far a long step of the check has come (what: "TCE entries"; done of total,
 * total 0 when unknown), from the calling thread, at most a few times a second's
 * worth of work. */
typedef void (*tce_progress_fn)(void *data, const char *what, uint64_t done,
				uint64_t total);
TCE_PUBLIC void tce_analysis_set_progress(struct tce_analysis *a, tce_progress_fn fn,
					  void *data);

enum tce_outcome {
	TCE_OUTCOME_NOT_RUN = 0,   /* tce_analysis_check() has not run */
	TCE_OUTCOME_PASS,          /* the rule looked and found nothing */
	TCE_OUTCOME_FAIL,          /* it raised findings */
	TCE_OUTCOME_UNKNOWN,       /* the dump cannot decide (reason given) */
	TCE_OUTCOME_NOT_APPLICABLE,/* the rule does not apply to this dump (reason given) */
};
/* "not-run", "pass", "fail", "unknown", "not-applicable" */
TCE_PUBLIC const char *tce_outcome_name(enum tce_outcome o);

/* The outcome of one rule; *reason (if reason is not NULL) is why it is unknown or not
 * applicable, else NULL.  Owned by the analysis. */
TCE_PUBLIC enum tce_outcome tce_rule_outcome(const struct tce_analysis *a,
					     enum tce_rule_id rule, const char **reason);

struct tce_finding {
	enum tce_rule_id rule;
	const char *id;            /* the rule's text id */
	enum tce_severity severity;
	const char *key;           /* semantic key: "pfn:0x100-0x1ff", "entry:3", ... */
	const char *message;       /* one line, human-readable */
	uint64_t pfn_first, pfn_last; /* affected pfns, or TCE_NO_PFN */
};

/*
 * (0.3) The window map: for every table, where in its window the valid entries lie and
 * the state of the page behind each, as the check's pass over the tables saw it (the
 * same pass as the rules: asked for before tce_analysis_check(), it costs that pass a
 * few comparisons an entry; not asked for, nothing).  Bounded whatever the windows'
 * sizes: per table at most TCE_MAP_CELLS cells of counts over the whole window, each
 * split into TCE_MAP_ZOOM finer cells (a zoom), and TCE_MAP_EXACT entries one by one.
 */
enum tce_entry_state {
	TCE_ES_HEALTHY = 0,        /* a page the rules found nothing against */
	TCE_ES_FREE,               /* TCE-DMA-FREED: the page is free (buddy, offline,
				      poisoned, no reference) */
	TCE_ES_NOT_PINNED,         /* a table VFIO made: its order-0 page of a
				      preregistered region holds no FOLL_PIN pin
				      (_refcount below GUP_PIN_COUNTING_BIAS) */
	TCE_ES_UNKNOWN,            /* no struct page to judge: the host page is unknown
				      or not present (a guest page the VMM's page tables
				      do not map, no memslot), or its struct page cannot
				      be read */
	TCE_ES_FINDING,            /* another rule raised a finding about the entry */
	TCE_ES_COUNT
};
/* "healthy", "free", "not-pinned", "unknown", "finding" (NULL for other values) */
TCE_PUBLIC const char *tce_entry_state_name(enum tce_entry_state s);

#define TCE_MAP_CELLS 1024         /* cells over a whole window, at most */
#define TCE_MAP_ZOOM 32            /* finer cells in each of them */
#define TCE_MAP_EXACT 4096         /* entries listed one by one, per table */

/* One entry listed one by one: its position in the window (from 0), bus address,
 * host pfn (TCE_NO_PFN without a host page) and state. */
struct tce_map_entry {
	uint64_t pos, bus, pfn;
	enum tce_entry_state state;
};

struct tce_window_map {
	size_t size;               /* set by the library: sizeof(struct tce_window_map) */
	size_t table;              /* tce_analysis_table()'s index */
	const char *key;           /* the table's semantic key, as findings start */
	uint64_t entries;          /* positions in the window */
	uint64_t offset;           /* the window's first bus page */
	unsigned page_shift;
	int walk_err;              /* the entries could not be walked (why): the counts
				      hold those seen before; -TCE_ENODATA: an LPAR's */
	const char *walk_why;
	uint64_t count[TCE_ES_COUNT];   /* valid entries by state, in all */
	/* level 0: ncells[0] cells of 2^shift[0] positions from position 0; level 1:
	 * ncells[1] cells of 2^shift[1] positions (shift[0] - 5, at least 0), or none
	 * when level 0 is one position a cell.  cells[l][i][s]: the valid entries of
	 * state s in cell i (saturated at UINT32_MAX; windows never come near) */
	unsigned shift[2];
	size_t ncells[2];
	const uint32_t (*cells[2])[TCE_ES_COUNT];
	/* entries one by one: every valid entry when the window has at most
	 * TCE_MAP_EXACT positions (exact_all), else those free, not pinned or with a
	 * finding, the first TCE_MAP_EXACT of them (exact_more counts the rest) */
	const struct tce_map_entry *exact;
	size_t nexact;
	uint64_t exact_more;
	bool exact_all;
};

/* (0.3) Asks tce_analysis_check() to make the window map.  0, or -TCE_EINVAL once the
 * check ran. */
TCE_PUBLIC int tce_analysis_set_window_map(struct tce_analysis *a, bool on);
/* (0.3) After the check: how many tables the map has (those the pass visited, in
 * tce_analysis_table() order), and table i's (NULL past the end; owned by the
 * analysis). */
TCE_PUBLIC size_t tce_window_map_count(const struct tce_analysis *a);
TCE_PUBLIC const struct tce_window_map *tce_window_map(const struct tce_analysis *a,
						       size_t i);

/* How many findings tce_analysis_check() recorded, and finding i (NULL past the end).
 * A rule that would raise very many keeps its first 256 and one finding that counts
 * the rest (key "more:N"). */
TCE_PUBLIC size_t tce_finding_count(const struct tce_analysis *a);
TCE_PUBLIC const struct tce_finding *tce_finding(const struct tce_analysis *a, size_t i);

/*
 * (0.3) Decides again, from fresh reads, each finding of first (checked): what a
 * running kernel's memory says now of the objects a finding was decided from, without
 * a second whole check.  fresh is a new analysis, not checked, on a handle opened
 * afresh on the same dump (a second tce_dump_open() of /proc/kcore: nothing read
 * through first's handle serves it), with the same type sources.  fresh runs only the
 * rules that raised findings in first (as first enabled them, with its kernel models),
 * over only what each finding was decided from: for an entry, the entry and those
 * before it in its run of consecutive host pages, with the table's levels over them,
 * the struct pages behind them, the VM's memslots and page tables, the attached
 * hardware tables' entries; a whole table for a rule about a table (its levels,
 * entries past the window); every table for a rule that counts over all of them
 * (TCE-SEED-REFS, TCE-VFIO-UNPINNED, TCE-VFIO-MAPPED); the vmemmap model for a rule
 * about it.  So its cost follows the findings, not the dump's size.
 *
 * seen (tce_finding_count(first) of them): seen[i] is whether finding i of first was
 * raised again, by the same rule with the same key; a count of findings not listed
 * ("more:N") is seen when one of its rule's listed findings is.  fresh is checked
 * after: its findings and outcomes are those of the re-reads alone, which may hold
 * findings first did not list (another entry of a run), which no seen[] counts.
 * 0, or -TCE_EINVAL (first not checked, fresh checked already or on first's handle),
 * -TCE_ENOMEM, -TCE_EIO; the message in fresh's dump handle.
 */
TCE_PUBLIC int tce_analysis_recheck(struct tce_analysis *fresh,
				    const struct tce_analysis *first, bool *seen);

#ifdef __cplusplus
}
#endif

#endif /* TCE_TCE_H */
