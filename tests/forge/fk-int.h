/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What fk.c shares with the kernel layer's other files (fk-kallsyms.c, fk-tables.c,
 * fk-dwarf.c) and nothing else: each keeps its state behind one pointer in struct fk,
 * reached through the slot functions.  Test code uses forge.h.
 */
#ifndef TCE_FORGE_FK_INT_H
#define TCE_FORGE_FK_INT_H

#include <stdio.h>

#include "forge-int.h"

struct fk_ksyms;
struct fk_tables;

struct fk_ksyms **fk_ksyms_slot(struct fk *k);
struct fk_tables **fk_tables_slot(struct fk *k);

/* fk.c: the vmemmap variable and the text symbols of a kernel with symbols */
int fk_symbols_setup(struct fk *k);

/* fk-kallsyms.c: lays the tables out in the dump (at every write, before mem_section
 * is built), and frees its state */
int fk_kallsyms_build(struct fk *k);
void fk_kallsyms_free(struct fk_ksyms *ks);

/* fk-dwarf.c: BTF in memory (fk_opts.btf) */
int fk_btf_embed(struct fk *k);

/* fk-tables.c */
void fk_tables_free(struct fk_tables *t);
/* the C definitions of module mod's variables (fk_module_dwarf_write()), its build id
 * and name */
int fk_module_source(struct fk *k, uint64_t mod, FILE *f, const char **build_id,
		     const char **name);

/*
 * fk-tables.c is compiled once per kernel shape (fk-tables-6.12.c the second time), each
 * time with that shape's kernel-*-types.h; these are its functions by shape, and
 * fk-tables-kernel.c's forge.h functions call the one of the dump's shape.
 */
#define FK_TABLES_DECLARE(sfx)                                                            \
	uint64_t fk_kvm_new_##sfx(struct fk *k, int32_t userspace_pid);                   \
	uint64_t fk_kvm_stt_new_##sfx(struct fk *k, uint64_t kvm, uint64_t liobn,         \
				      unsigned page_shift, uint64_t offset, uint64_t size); \
	uint64_t fk_kvm_stt_page_##sfx(struct fk *k, uint64_t stt, uint64_t i);           \
	int fk_kvm_stt_put_##sfx(struct fk *k, uint64_t stt, uint64_t entry, uint64_t tce); \
	uint64_t fk_kvm_stt_attach_##sfx(struct fk *k, uint64_t stt, uint64_t tbl);       \
	uint64_t fk_pnv_phb_new_##sfx(struct fk *k, unsigned total_pe_num);               \
	uint64_t fk_pnv_pe_new_##sfx(struct fk *k, uint64_t phb, unsigned pe_number);     \
	uint64_t fk_pnv_table_new_##sfx(struct fk *k, uint64_t pe, int num,               \
					uint64_t bus_offset, unsigned page_shift,         \
					uint64_t window_size, unsigned levels);           \
	int fk_iommu_put_##sfx(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t tce); \
	int fk_iommu_get_##sfx(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t *tce); \
	int fk_iommu_set_indirect_##sfx(struct fk *k, uint64_t tbl, uint64_t i,           \
					uint64_t raw);                                    \
	int fk_user_map_##sfx(struct fk *k, uint64_t mm, uint64_t ua, uint64_t pfn);      \
	int fk_user_translate_##sfx(struct fk *k, uint64_t mm, uint64_t ua, uint64_t *pfn); \
	uint64_t fk_kvm_memslot_add_##sfx(struct fk *k, uint64_t kvm, int id,             \
					  uint64_t base_gfn, uint64_t npages, uint64_t ua); \
	int fk_kvm_gpa_to_ua_##sfx(struct fk *k, uint64_t kvm, uint64_t gpa, uint64_t *ua); \
	uint64_t fk_modules_init_##sfx(struct fk *k);                                     \
	uint64_t fk_module_new_##sfx(struct fk *k, const char *name);                     \
	uint64_t fk_module_var_##sfx(struct fk *k, uint64_t mod, const char *name,        \
				     const char *pre, const char *suf, uint64_t size,     \
				     char type);                                          \
	const char *fk_module_build_id_##sfx(struct fk *k, uint64_t mod);                 \
	int fk_module_source_##sfx(struct fk *k, uint64_t mod, FILE *f,                   \
				   const char **build_id, const char **name);             \
	int fk_pnv_table_userspace_##sfx(struct fk *k, uint64_t tbl);                      \
	int fk_iommu_user_put_##sfx(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t ua); \
	int fk_iommu_user_set_indirect_##sfx(struct fk *k, uint64_t tbl, uint64_t i,      \
					     uint64_t raw);                               \
	uint64_t fk_process_mm_new_##sfx(struct fk *k);                                   \
	uint64_t fk_vfio_prereg_##sfx(struct fk *k, uint64_t mm, uint64_t ua,             \
				      uint64_t entries, const uint64_t *pfns,             \
				      unsigned pageshift);                                \
	int fk_vfio_mapped_add_##sfx(struct fk *k, uint64_t region, int64_t delta);       \
	uint64_t fk_vfio_container_new_##sfx(struct fk *k, uint64_t mm, bool v2);         \
	int fk_vfio_container_table_##sfx(struct fk *k, uint64_t container, int num,      \
					  uint64_t tbl);                                  \
	uint64_t fk_vfio_group_attach_##sfx(struct fk *k, uint64_t container, uint64_t pe); \
	long fk_types_offsetof_##sfx(const char *what)

FK_TABLES_DECLARE(6_1);
FK_TABLES_DECLARE(6_12);

#endif /* TCE_FORGE_FK_INT_H */
