/*
 * libtce: read ppc64 Linux vmcores (through libkdumpfile) and answer questions about
 * the pages that devices can DMA into: where each struct page lives (vmemmap_list, the
 * kernel page tables), what it says (flags, references, compound state), and whether
 * the dump is consistent.  This is the one public header; every item is documented here.
 *
 * Conventions: functions return 0 or a negative TCE_E* code and keep a message in the
 * dump handle (tce_errmsg()).  Findings are data, not errors.  Nothing here keeps
 * global state: two dumps may be open at once, one handle per thread.
 */
#ifndef TCE_TCE_H
#define TCE_TCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TCE_PUBLIC __attribute__((visibility("default")))

/* ------------------------------------------------------------------ errors */

enum tce_error {
	TCE_OK = 0,
	TCE_ENOMEM = 1,    /* out of memory */
	TCE_EIO = 2,       /* the file cannot be read */
	TCE_EFORMAT = 3,   /* not a dump libkdumpfile understands */
	TCE_EUNSUPP = 4,   /* a dump, but not of ppc64 Linux */
	TCE_ENODATA = 5,   /* the address is not in the dump (hole, excluded, cut off) */
	TCE_ENOXLAT = 6,   /* the address has no translation */
	TCE_ENOENT = 7,    /* no such symbol, field or value (the answer is "unknown") */
	TCE_ECORRUPT = 8,  /* the dump contradicts itself */
	TCE_EINVAL = 9,    /* bad argument */
};

/* A short constant name for an error code (negative or positive). */
TCE_PUBLIC const char *tce_strerror(int err);

/* ------------------------------------------------------------------ dump */

struct tce_dump;

enum tce_byteorder { TCE_LE = 0, TCE_BE = 1 };

/*
 * Opens a vmcore (ELF or kdump-compressed).  On failure *out is still set (unless
 * memory ran out) so that the caller can read tce_errmsg(*out) and must
 * tce_dump_close() it.  Returns -TCE_EIO (unreadable), -TCE_EFORMAT (not a dump),
 * -TCE_EUNSUPP (not ppc64 or not Linux).
 */
TCE_PUBLIC int tce_dump_open(const char *path, struct tce_dump **out);
/* Same, for an open file descriptor (the handle duplicates it). */
TCE_PUBLIC int tce_dump_open_fd(int fd, const char *name, struct tce_dump **out);
TCE_PUBLIC void tce_dump_close(struct tce_dump *d);
/* The message of the last error on this handle ("" if none). */
TCE_PUBLIC const char *tce_errmsg(const struct tce_dump *d);

enum tce_mmu { TCE_MMU_UNKNOWN = 0, TCE_MMU_HASH, TCE_MMU_RADIX };

struct tce_dump_info {
	const char *path;
	const char *format;        /* libkdumpfile's file.format: "elf", "diskdump", ... */
	const char *arch;          /* "ppc64" */
	const char *release;       /* OSRELEASE from VMCOREINFO */
	enum tce_byteorder byte_order;
	uint64_t page_size;
	uint64_t file_size;
	bool truncated;            /* some PT_LOAD lies past the end of the file */
	uint64_t truncated_bytes;  /* how much of the PT_LOADs is missing */
	uint64_t phys_bytes;       /* physical memory the dump describes */
	uint64_t phys_end;         /* highest physical address + 1 */
	unsigned nranges;          /* physical ranges the dump holds */
	enum tce_mmu mmu;          /* from the vmemmap page size / page tables; may be unknown */
	/* which type sources are available */
	bool has_vmcoreinfo;
	unsigned vmcoreinfo_lines;
	bool btf_probed;           /* false: this version does not look for BTF, so
				      has_btf says nothing */
	bool has_btf;
	bool has_dwarf;            /* a vmlinux was given (not in this version) */
	bool page_layout_known;    /* SIZE(page) and the OFFSETs struct page needs */
	bool vmemmap_known;        /* the ppc64 vmemmap_list items */
};

TCE_PUBLIC int tce_dump_info(struct tce_dump *d, struct tce_dump_info *info);

/* Reads.  Every address-space read states where the address lives. */
enum tce_addrspace { TCE_PHYS = 0, TCE_KVADDR = 1 };

/* Reads exactly len bytes or fails: -TCE_ENODATA if any byte is not in the dump,
 * -TCE_ENOXLAT if a kernel virtual address has no translation. */
TCE_PUBLIC int tce_read(struct tce_dump *d, enum tce_addrspace as, uint64_t addr,
			void *buf, size_t len);
TCE_PUBLIC int tce_read_u64(struct tce_dump *d, enum tce_addrspace as, uint64_t addr,
			    enum tce_byteorder bo, uint64_t *val);
TCE_PUBLIC int tce_read_u32(struct tce_dump *d, enum tce_addrspace as, uint64_t addr,
			    enum tce_byteorder bo, uint32_t *val);
/* The dump's own byte order, for kernel data */
TCE_PUBLIC enum tce_byteorder tce_dump_byteorder(const struct tce_dump *d);
/* Translates a kernel virtual address through the installed translation system. */
TCE_PUBLIC int tce_kvtop(struct tce_dump *d, uint64_t kva, uint64_t *phys);
/* Is the physical range [phys, phys+len) held by the dump (as PT_LOAD / pages)? */
TCE_PUBLIC bool tce_phys_in_dump(struct tce_dump *d, uint64_t phys, uint64_t len);

/* ------------------------------------------------------------------ VMCOREINFO */

/* The value of a raw line ("OSRELEASE", "SYMBOL(vmemmap_list)", ...), or NULL. */
TCE_PUBLIC const char *tce_vmcoreinfo(const struct tce_dump *d, const char *key);
/* SYMBOL(name) as an address; -TCE_ENOENT if absent or malformed. */
TCE_PUBLIC int tce_vmcoreinfo_symbol(const struct tce_dump *d, const char *name,
				     uint64_t *addr);
/* SIZE(name), OFFSET(name.field) and NUMBER(name) (signed) */
TCE_PUBLIC int tce_vmcoreinfo_size(const struct tce_dump *d, const char *name,
				   uint64_t *size);
TCE_PUBLIC int tce_vmcoreinfo_offset(const struct tce_dump *d, const char *type,
				     const char *field, uint64_t *off);
TCE_PUBLIC int tce_vmcoreinfo_number(const struct tce_dump *d, const char *name,
				     int64_t *num);
/* Iterates lines: i from 0; returns false past the end. */
TCE_PUBLIC bool tce_vmcoreinfo_line(const struct tce_dump *d, unsigned i,
				    const char **key, const char **value);

/* ------------------------------------------------------------------ findings */

enum tce_severity { TCE_SEV_INFO = 0, TCE_SEV_WARNING = 1, TCE_SEV_ERROR = 2 };

struct tce_finding {
	const char *id;            /* stable rule id, e.g. "TCE-VMEMMAP-CYCLE" */
	enum tce_severity severity;
	char *key;                 /* semantic key: "pfn:0x100-0x1ff", "entry:3", ... */
	char *message;             /* one line, human-readable */
	uint64_t pfn_first, pfn_last; /* affected pfns, or TCE_NO_PFN */
};
#define TCE_NO_PFN UINT64_MAX

TCE_PUBLIC const char *tce_severity_name(enum tce_severity s);
/* Parses "info", "warning", "error"; -TCE_EINVAL otherwise. */
TCE_PUBLIC int tce_severity_parse(const char *s, enum tce_severity *out);

struct tce_rule_doc {
	const char *id;
	enum tce_severity severity;
	const char *summary;       /* one line */
	const char *why;           /* one paragraph */
};
/* The catalogue of finding ids this library can report: n entries. */
TCE_PUBLIC const struct tce_rule_doc *tce_rules(size_t *n);

/* ------------------------------------------------------------------ vmemmap */

struct tce_vmemmap_block {
	uint64_t entry;            /* kernel virtual address of its vmemmap_backing */
	uint64_t virt;             /* vmemmap address it backs */
	uint64_t phys;             /* physical address of the backing */
};

/* Translation methods of pfn -> struct page physical address */
enum tce_xlat {
	TCE_XLAT_SEED2013 = 0,  /* the 2013 walk: first entry with virt_addr <= va decides */
	TCE_XLAT_WALK = 1,      /* hot-remove-safe walk: every entry is checked */
	TCE_XLAT_INDEX = 2,     /* sorted index, O(log n) */
	TCE_XLAT_PGTABLE = 3,   /* the kernel page tables (radix only) */
	TCE_XLAT_NUM
};
TCE_PUBLIC const char *tce_xlat_name(enum tce_xlat m);

enum tce_xlat_status {
	TCE_XS_OK = 0,          /* phys is valid */
	TCE_XS_NOBLOCK = 1,     /* no block (or page-table entry) backs the struct page */
	TCE_XS_STRADDLE = 2,    /* the struct page spans two blocks: unreachable in real mode */
	TCE_XS_UNAVAILABLE = 3, /* this method does not apply to this dump (pgtable on hash) */
	TCE_XS_ERROR = 4,       /* reading the page tables failed (not in dump) */
};
TCE_PUBLIC const char *tce_xlat_status_name(enum tce_xlat_status s);

struct tce_vmemmap {
	uint64_t head;             /* value of vmemmap_list */
	uint64_t block_size;       /* 1 << mmu_psize_defs[mmu_vmemmap_psize].shift */
	unsigned block_shift;
	uint64_t struct_page_size; /* SIZE(page) */
	uint64_t base;             /* vmemmap: the address of pfn 0's struct page */
	uint64_t max_pfn;          /* one past the highest pfn the blocks describe */
	size_t nblocks;
	struct tce_vmemmap_block *blocks;  /* in list order */
	bool ordered;              /* no entry above the one before it (descending virt), as
				      the 2013 walk needs; equal virts are overlaps */
	bool complete;             /* the list ended in NULL: no cycle, no bad pointer */
	uint64_t straddling_pages; /* struct pages that span two blocks */
	bool pgtable_available;    /* radix page tables could be walked */
	size_t nfindings;
	struct tce_finding *findings;
};

/*
 * Walks vmemmap_list (bounded, cycle-detecting), builds the index, installs the vmemmap
 * translation into libkdumpfile so that kernel-virtual reads of the vmemmap work,
 * compares all translations over every pfn and records findings.  The dump keeps the
 * model (the pointer stays valid until tce_dump_close()); a second call returns it.
 * Returns -TCE_ENOENT if the dump lacks what a walk needs (a finding says so too).
 */
TCE_PUBLIC int tce_vmemmap_load(struct tce_dump *d, const struct tce_vmemmap **out);

/* Translates pfn with one method: TCE_XS_* and, for TCE_XS_OK, *phys. */
TCE_PUBLIC enum tce_xlat_status tce_pfn_to_page(struct tce_dump *d, enum tce_xlat m,
						uint64_t pfn, uint64_t *phys);
/* The vmemmap (kernel virtual) address of pfn's struct page. */
TCE_PUBLIC uint64_t tce_pfn_to_vmemmap(const struct tce_vmemmap *vm, uint64_t pfn);

/* ------------------------------------------------------------------ struct page */

enum tce_page_flag {
	TCE_PF_LRU = 1u << 0,
	TCE_PF_PRIVATE = 1u << 1,
	TCE_PF_SWAPCACHE = 1u << 2,
	TCE_PF_SWAPBACKED = 1u << 3,
	TCE_PF_SLAB = 1u << 4,
	TCE_PF_HWPOISON = 1u << 5,
	TCE_PF_HEAD = 1u << 6,
	TCE_PF_TAIL = 1u << 7,
	TCE_PF_BUDDY = 1u << 8,
	TCE_PF_OFFLINE = 1u << 9,
	TCE_PF_RESERVED = 1u << 10,
};
#define TCE_PF_COUNT 11
/* Name of one TCE_PF_* bit ("lru", "head", ...) */
TCE_PUBLIC const char *tce_page_flag_name(unsigned bit);

struct tce_page {
	uint64_t pfn;
	uint64_t vmemmap;          /* kernel virtual address of the struct page */
	uint64_t phys;             /* where it was read from */
	uint64_t flags;            /* raw page->flags */
	int32_t refcount;
	int32_t mapcount;          /* raw _mapcount (a page type for buddy/offline pages) */
	uint64_t compound_head;    /* raw */
	uint64_t mapping;
	uint64_t private_;
	uint64_t head_pfn;         /* for a tail page, its head's pfn; else pfn */
	int compound_order;        /* of a head page, from its first tail; -1 unknown */
	unsigned decoded;          /* TCE_PF_* bits that are set */
	unsigned known;            /* TCE_PF_* bits the dump lets us decide */
};

/*
 * Reads pfn's struct page through the index translation (the one installed into
 * libkdumpfile).  -TCE_ENOXLAT if no block backs it, -TCE_ENODATA if the backing is
 * not in the dump, -TCE_ENOENT if the dump lacks the struct page layout.
 */
TCE_PUBLIC int tce_page_read(struct tce_dump *d, uint64_t pfn, struct tce_page *pg);

#ifdef __cplusplus
}
#endif

#endif /* TCE_TCE_H */
