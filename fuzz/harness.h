/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fuzz targets' common part: templates (real and forged vmcores, loaded once) and
 * the windows of each that a target's input overwrites.  A whole vmcore is megabytes
 * of which a walker reads a few hundred bytes; mutating the whole file spends the
 * fuzzer's time on bytes nothing reads.  So an input is
 *
 *   [template selector byte][bytes for the windows, in order][VMCOREINFO tail]
 *
 * The selector picks a template (modulo their number).  The bytes that follow
 * overwrite the template's windows for this target one after the other (a short
 * input leaves the rest of the windows as they are).  What is left over is appended
 * to the template's VMCOREINFO (ELF templates, for the targets that allow it): as the
 * last line of a key wins, a tail changes sizes, offsets, symbols and numbers.  The
 * seed of a template is its selector and its windows' own bytes: the unchanged dump.
 *
 * Templates are the files of the directory $TCE_FUZZ_TEMPLATES (default: the build
 * tree's fuzz/templates, made by `make fuzz-templates`), in name order, so that an
 * input means the same dump in every run with the same templates.
 */
#ifndef TCE_FUZZ_HARNESS_H
#define TCE_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "tce/tce.h"

/* What a target's windows cover. */
enum fz_kind {
	FZ_OPEN,     /* headers and notes: ELF header, program headers, notes; a
			kdump-compressed file's header, sub-header, notes, bitmaps and
			page descriptors (every template) */
	FZ_VMEMMAP,  /* vmemmap_list's head and entries, mmu_vmemmap_psize,
			mmu_psize_defs, mem_section's roots and first sections (ELF) */
	FZ_PGTABLE,  /* every kernel page-table entry (radix, or hash's Linux tables)
			reachable from swapper_pg_dir that is set, with its
			neighbours, and the PGD entries of the vmemmap and vmalloc
			(ELF) */
	FZ_PAGE,     /* the struct pages of the pfns fz_page_pfns() lists (ELF) */
	FZ_TABLES,   /* the TCE tables' structures: where the target's windows
			function (fz_set_windows()) says, on the templates that have
			sidecars NAME.facts (tce-forge -v) and NAME.vmlinux (ELF) */
	FZ_TYPES,    /* type information read from dump memory (kallsyms, BTF): where
			the target's windows function says, as FZ_TABLES (ELF) */
};

/*
 * Files whose name has a dot are a template's sidecars, never templates.  For
 * FZ_TABLES and FZ_TYPES the target finds the windows itself: fn is called for each template with
 * the template's directory and name, and adds them with fz_window() (kernel virtual
 * addresses; fz_read() reads the unchanged template).  Call before fz_init().
 */
struct fz_tpl;
void fz_set_windows(void (*fn)(struct fz_tpl *t, const char *dir, const char *name));
void fz_window(struct fz_tpl *t, uint64_t kva, uint64_t len);
int fz_read(const struct fz_tpl *t, uint64_t kva, unsigned n, uint64_t *v);
/* len bytes at kva of the unchanged template: 0, or -1 if some are not in it */
int fz_read_bytes(const struct fz_tpl *t, uint64_t kva, void *buf, size_t len);
/* The value of the template's VMCOREINFO key (the last line wins) in base: 0, or -1 */
int fz_vmcoreinfo(const struct fz_tpl *t, const char *key, int base, uint64_t *v);
int fz_big_endian(const struct fz_tpl *t);
/* The directory and name of the template the current input changes (in body). */
const char *fz_dir(void);
const char *fz_name(void);

/* Loads the templates for a target (once; exits with a message if there are none),
 * and writes the seeds to $TCE_FUZZ_SEEDS and exits if that is set. */
void fz_init(enum fz_kind kind);

/* Makes the dump an input describes: returns a file descriptor on it (owned by the
 * harness) and its name, or -1 for an input that says nothing (empty).  Undo it with
 * fz_restore() before the next. */
int fz_apply(const uint8_t *data, size_t size, const char **name);
void fz_restore(void);

/* The whole of LLVMFuzzerTestOneInput(): makes the dump, opens it with libtce and, if
 * that worked, calls body on it; then frees it and restores the template.  With
 * $TCE_FUZZ_WRITE set, writes the dump to that file instead (run the target on one
 * input: `TCE_FUZZ_WRITE=crash.vmcore fuzz/fuzz-open crash-...`). */
int fz_run(const uint8_t *data, size_t size, void (*body)(struct tce_dump *d));

/* FZ_PAGE: the pfns whose struct pages the windows hold (and a few besides). */
extern const uint64_t fz_page_pfns[];
extern const size_t fz_page_npfns;

#endif /* TCE_FUZZ_HARNESS_H */
