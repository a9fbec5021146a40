/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The dump layer as the layers above see it: the error channel of a handle, the
 * facts of the dump that walkers need (page size, PT_LOAD ranges, MAX_PHYSMEM_BITS),
 * and "install this translation for this kernel-virtual range", through which walkers
 * plug their translations into libkdumpfile's addrxlat system (as libdrgn's
 * per-architecture page-table iterators plug into its reader).  Knows nothing of
 * vmemmap, page tables or rules.
 */
#ifndef TCE_DUMP_DUMP_H
#define TCE_DUMP_DUMP_H

#include <stdbool.h>
#include <stdint.h>

#include "base.h"

/* The start of the ppc64 kernel linear map. */
#define TCE_LINEAR_BASE 0xc000000000000000ULL

/* errors: the handle's one channel */
TCE_HIDDEN int tce_set_err(struct tce_dump *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* gives the current message a context; returns -err */
TCE_HIDDEN int tce_prepend_err(struct tce_dump *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
TCE_HIDDEN void tce_clear_err(struct tce_dump *d);
/* the value they return, where they are called (base.h, tce_err_code()) */
#define tce_set_err(d, err, ...) (tce_set_err((d), (err), __VA_ARGS__), tce_err_code(err))
#define tce_prepend_err(d, err, ...) \
	(tce_prepend_err((d), (err), __VA_ARGS__), tce_err_code(err))

/* Another handle on d's dump for another thread: its own libkdumpfile context
 * (kdump_clone()), error channel and block cache, d's file, VMCOREINFO and
 * translations borrowed (d must outlive it, and gain or lose no translation while it
 * lives).  tce_dump_free() frees it.  NULL when memory runs out. */
TCE_HIDDEN struct tce_dump *tce_dump_clone(struct tce_dump *d);

/* facts */
TCE_HIDDEN uint64_t tce_dump_page_size(const struct tce_dump *d);
TCE_HIDDEN unsigned tce_dump_page_shift(const struct tce_dump *d);
/* 2^MAX_PHYSMEM_BITS: the physical address space the kernel was built for (the linear
 * map's size on ppc64); 2^46 when VMCOREINFO lacks it or names nonsense. */
TCE_HIDDEN uint64_t tce_max_physmem(struct tce_dump *d);
/* The end of the kernel linear map as this dump can tell it (see vmcoreinfo.c):
 * the direct translation covers [TCE_LINEAR_BASE, end), walkers' ranges lie above. */
TCE_HIDDEN uint64_t tce_linear_end(struct tce_dump *d);

/* A physical range of an ELF PT_LOAD: [start, start + avail) is in the file,
 * [start + avail, start + size) is described but missing (cut short or memsz > filesz). */
struct tce_phys_range {
	uint64_t start;
	uint64_t size;
	uint64_t avail;
};
/* ELF dumps: the PT_LOADs in file order (NULL past the end; none for other formats). */
TCE_HIDDEN const struct tce_phys_range *tce_dump_range(const struct tce_dump *d,
						       unsigned i);
/* Bytes of memory the file holds; 0 when unknown (not ELF). */
TCE_HIDDEN uint64_t tce_dump_phys_bytes(const struct tce_dump *d);
/*
 * Where the dump next holds memory at or above physical phys: 1 and *next (phys
 * itself when it is held, UINT64_MAX when nothing from phys on is), or 0 when the
 * format cannot say.  ELF: the PT_LOADs' data; kdump-compressed: the page bitmap (a
 * page it names may still not read, its descriptor corrupt).  For walkers that skip
 * what a dump lacks in one step rather than a failed read at a time.
 */
TCE_HIDDEN int tce_dump_next_held(struct tce_dump *d, uint64_t phys, uint64_t *next);

/*
 * A translation a walker installs: for va in its range, 0 and the physical address
 * plus the size of the naturally aligned piece around va that translates linearly
 * (*span, a power of two), or a negative error with the message set in the dump.
 */
typedef int tce_xlat_fn(struct tce_dump *d, void *data, uint64_t va, uint64_t *phys,
			uint64_t *span);
/* Installs fn for kernel-virtual [start, end); returns a slot number (>= 0) for
 * tce_dump_remove_xlat(), or a negative error.  A later range wins where they meet;
 * the linear map cannot be taken over. */
TCE_HIDDEN int tce_dump_add_xlat(struct tce_dump *d, uint64_t start, uint64_t end,
				 tce_xlat_fn *fn, void *data);
TCE_HIDDEN void tce_dump_remove_xlat(struct tce_dump *d, int slot);
/* Does the linear map translate kernel-virtual va (so no walker's translation can)? */
TCE_HIDDEN bool tce_dump_direct_mapped(struct tce_dump *d, uint64_t va);

/* One analysis per dump: 0, or -TCE_EINVAL (with the message) if one exists. */
TCE_HIDDEN int tce_dump_claim(struct tce_dump *d);
TCE_HIDDEN void tce_dump_release(struct tce_dump *d);

#endif /* TCE_DUMP_DUMP_H */
