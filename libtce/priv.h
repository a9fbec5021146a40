/*
 * libtce internals shared between its files: the dump handle, the parsed VMCOREINFO,
 * the physical ranges the dump holds, the vmemmap model and its index, the radix walker
 * and the helpers that record errors and findings.  Nothing here is exported.
 */
#ifndef TCE_PRIV_H
#define TCE_PRIV_H

#include <stdarg.h>
#include <libkdumpfile/kdumpfile.h>
#include <libkdumpfile/addrxlat.h>

#include "tce/tce.h"

#define TCE_HIDDEN __attribute__((visibility("hidden")))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The start of the ppc64 kernel linear map. */
#define TCE_LINEAR_BASE 0xc000000000000000ULL

struct vmci_line {
	char *key;
	char *value;
};

/* A physical range of an ELF PT_LOAD: [start, start + avail) is in the file,
 * [start + avail, start + size) is described but missing (cut short or memsz > filesz). */
struct phys_range {
	uint64_t start;
	uint64_t size;
	uint64_t avail;
};

/* One element of the sorted vmemmap index. */
struct vm_index_ent {
	uint64_t virt;
	uint64_t phys;
	size_t block;     /* position in list order */
};

/* A page-table leaf over the vmemmap (radix): [virt, virt + size) -> phys */
struct pgt_leaf {
	uint64_t virt;
	uint64_t size;
	uint64_t phys;
};

struct tce_dump {
	kdump_ctx_t *kd;
	addrxlat_ctx_t *axctx;
	addrxlat_sys_t *axsys;
	int fd;
	char *path;
	char err[512];

	enum tce_byteorder bo;
	uint64_t page_size;
	unsigned page_shift;
	uint64_t file_size;
	const char *format;
	const char *arch;

	/* VMCOREINFO, parsed here (libkdumpfile's own accessors need an OS type, and
	 * setting one makes libkdumpfile walk vmemmap_list without a bound) */
	char *vmci_raw;
	struct vmci_line *vmci;
	unsigned nvmci;

	/* ELF only: physical ranges; NULL for other formats (probed by reads then) */
	struct phys_range *ranges;
	unsigned nranges;
	bool truncated;
	uint64_t truncated_bytes;
	uint64_t phys_bytes;
	uint64_t phys_end;

	/* the vmemmap model, once loaded */
	bool vm_loaded;
	int vm_status;
	char vm_err[512];
	struct tce_vmemmap vm;
	struct vm_index_ent *vm_index;   /* sorted by virt */
	size_t vm_nindex;
	size_t vm_findings_cap;

	/* radix page tables over the vmemmap, when they can be walked */
	bool pgt_ok;
	uint64_t pgt_root;               /* physical address of swapper_pg_dir */
	struct pgt_leaf *pgt_leaves;     /* sorted by virt */
	size_t pgt_nleaves;
};

/* errors */
TCE_HIDDEN int tce_set_err(struct tce_dump *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* VMCOREINFO (vmcoreinfo.c) */
TCE_HIDDEN int tce_vmci_parse(struct tce_dump *d, const char *raw, size_t len);
TCE_HIDDEN void tce_vmci_free(struct tce_dump *d);
TCE_HIDDEN uint64_t tce_max_physmem(const struct tce_dump *d);

/* translation system (xlat.c) */
TCE_HIDDEN int tce_xlat_install_direct(struct tce_dump *d);
TCE_HIDDEN int tce_xlat_install_vmemmap(struct tce_dump *d);
TCE_HIDDEN int tce_xlat_install_pgtable(struct tce_dump *d);

/* vmemmap (vmemmap.c) */
TCE_HIDDEN void tce_vmemmap_free(struct tce_dump *d);
/* index lookup: the index entry whose block contains va, or NULL */
TCE_HIDDEN const struct vm_index_ent *tce_vm_index_find(const struct tce_dump *d,
							uint64_t va);
/* the translations of vmemmap address va (the struct page's start) */
TCE_HIDDEN enum tce_xlat_status tce_vm_xlat(struct tce_dump *d, enum tce_xlat m,
					    uint64_t va, uint64_t *phys);

/* radix page tables (pgtable.c) */
TCE_HIDDEN int tce_pgt_init(struct tce_dump *d);
/* walks one address: 0 and *phys, -TCE_ENOXLAT if unmapped, other errors */
TCE_HIDDEN int tce_pgt_translate(struct tce_dump *d, uint64_t va, uint64_t *phys,
				 uint64_t *leaf_size);
/* collects the leaves mapping [start, end) into d->pgt_leaves */
TCE_HIDDEN int tce_pgt_collect(struct tce_dump *d, uint64_t start, uint64_t end);
TCE_HIDDEN void tce_pgt_free(struct tce_dump *d);

/* findings (finding.c) */
struct finding_list {
	struct tce_finding *v;
	size_t n, cap;
};
TCE_HIDDEN int tce_finding_add(struct finding_list *l, const char *id,
			       uint64_t pfn_first, uint64_t pfn_last, const char *key,
			       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
TCE_HIDDEN int tce_findings_cap(struct finding_list *l, size_t max);
TCE_HIDDEN void tce_findings_free(struct tce_finding *v, size_t n);
TCE_HIDDEN enum tce_severity tce_rule_severity(const char *id);

/* byte order */
static inline uint64_t tce_bo64(const void *p, enum tce_byteorder bo)
{
	const unsigned char *b = p;
	uint64_t v = 0;
	int i;

	if (bo == TCE_BE)
		for (i = 0; i < 8; i++)
			v = v << 8 | b[i];
	else
		for (i = 7; i >= 0; i--)
			v = v << 8 | b[i];
	return v;
}

static inline uint32_t tce_bo32(const void *p, enum tce_byteorder bo)
{
	const unsigned char *b = p;
	uint32_t v = 0;
	int i;

	if (bo == TCE_BE)
		for (i = 0; i < 4; i++)
			v = v << 8 | b[i];
	else
		for (i = 3; i >= 0; i--)
			v = v << 8 | b[i];
	return v;
}

#endif /* TCE_PRIV_H */
