/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The forge's scale profile (issue 16): a synthetic powernv KVM host shaped like a big
 * real one, 1 TiB of RAM with 64K pages and millions of valid TCEs, written as an ELF
 * dump that holds only the memory a scan of its tables touches, with a manifest (the
 * forge's own record of what it wrote) that bench/ reads to measure the floor.
 * Test-side code, like the rest of the forge.
 */
#ifndef TCE_FORGE_SCALE_H
#define TCE_FORGE_SCALE_H

#include "forge.h"

/* Bumped whenever the profile's output changes: bench/ caches dumps under it. */
#define FORGE_SCALE_VERSION 2

struct forge_scale_opts {
	uint64_t valid;            /* valid entries over all tables (1M, 4M, 16M, ...) */
	bool radix;                /* radix: 2M vmemmap blocks; hash: 16M blocks */
	enum forge_endian endian;
};

/*
 * Builds the host and writes the dump (written_only), its vmlinux (DWARF, when
 * vmlinux is not NULL) and the manifest (when manifest is not NULL).  The machine:
 *
 * - 1 TiB of RAM, 64K pages, SIZE(page) 64: 16M pfns, 1 GiB of vmemmap in 512 2M
 *   blocks (radix) or 64 16M blocks (hash), populated at boot but initialised only
 *   where a table maps a page (fk_opts.vmemmap_lazy);
 * - host DMA: PHB 0, PE 0, a 64K-page DDW at 1 << 59 in a two-level hardware table
 *   (levels of 8192 entries) holding valid/2 entries;
 * - KVM: one VM (256 GiB of guest memory in one memslot) with a 64K-page guest-view
 *   table of valid/4 entries, and the VFIO hardware table attached to its LIOBN (PHB
 *   1, PE 0, the same window shape) holding the same valid/4 mappings as host pfns;
 *   the VMM's page tables map each guest page a guest-view entry names;
 * - sharing: each mapped page is named by 1..15 entries (8 on average: sub-page DMA
 *   buffers each get their IOVA), so distinct host pages are about 3 * valid / 32;
 *   they are taken in clusters of 8192 pfns spread over the whole 1 TiB;
 * - invalid entries: every eighth slot of the used part of each window is 0 (freed),
 *   and the window past the used part has no levels (tables) / NULL pages[] (KVM);
 * - faults: one host DMA page in 65536 is free (_refcount 0, PageBuddy) while still
 *   mapped: TCE-DMA-FREED findings for its entries.
 *
 * The manifest is text: '# key value' lines (valid.host, valid.guest, valid.vfio,
 * pages.host, pages.guest, freed.pages, freed.entries, ...) then one line per range of
 * physical memory the check must read, sorted by address, adjacent ranges of a kind
 * merged: 'KIND PHYS LEN' in hex, KIND one of objects (tables, KVM, memslots, the
 * VMM's PGD, it_map bitmaps), level (hardware table levels), sttpage (guest-view
 * table pages), pt (the VMM's page tables below the PGD), page (struct pages of
 * mapped pfns, SIZE(page) bytes each).
 */
int forge_scale_write(const struct forge_scale_opts *o, const char *dump,
		      const char *vmlinux, const char *manifest, char *err, size_t errlen);

#endif /* TCE_FORGE_SCALE_H */
