// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The forge.h functions of the TCE-table layer: each calls fk-tables.c's function of the
 * dump's kernel shape (fk_opts.kernel), compiled once with kernel-6.1-types.h and once
 * with kernel-6.12-types.h (fk-tables-6.12.c).
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "fk-int.h"

#define SHAPE(k, f, ...)                                                                  \
	(fk_opts(k)->kernel == FK_KERNEL_6_12 ? f##_6_12(__VA_ARGS__) : f##_6_1(__VA_ARGS__))

uint64_t fk_kvm_new(struct fk *k, int32_t userspace_pid)
{
	return SHAPE(k, fk_kvm_new, k, userspace_pid);
}

uint64_t fk_kvm_stt_new(struct fk *k, uint64_t kvm, uint64_t liobn, unsigned page_shift,
			uint64_t offset, uint64_t size)
{
	return SHAPE(k, fk_kvm_stt_new, k, kvm, liobn, page_shift, offset, size);
}

uint64_t fk_kvm_stt_page(struct fk *k, uint64_t stt, uint64_t i)
{
	return SHAPE(k, fk_kvm_stt_page, k, stt, i);
}

int fk_kvm_stt_put(struct fk *k, uint64_t stt, uint64_t entry, uint64_t tce)
{
	return SHAPE(k, fk_kvm_stt_put, k, stt, entry, tce);
}

uint64_t fk_kvm_stt_attach(struct fk *k, uint64_t stt, uint64_t tbl)
{
	return SHAPE(k, fk_kvm_stt_attach, k, stt, tbl);
}

uint64_t fk_pnv_phb_new(struct fk *k, unsigned total_pe_num)
{
	return SHAPE(k, fk_pnv_phb_new, k, total_pe_num);
}

uint64_t fk_pnv_pe_new(struct fk *k, uint64_t phb, unsigned pe_number)
{
	return SHAPE(k, fk_pnv_pe_new, k, phb, pe_number);
}

uint64_t fk_pnv_table_new(struct fk *k, uint64_t pe, int num, uint64_t bus_offset,
			  unsigned page_shift, uint64_t window_size, unsigned levels)
{
	return SHAPE(k, fk_pnv_table_new, k, pe, num, bus_offset, page_shift, window_size,
		     levels);
}

int fk_iommu_put(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t tce)
{
	return SHAPE(k, fk_iommu_put, k, tbl, entry, tce);
}

int fk_iommu_get(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t *tce)
{
	return SHAPE(k, fk_iommu_get, k, tbl, entry, tce);
}

int fk_iommu_set_indirect(struct fk *k, uint64_t tbl, uint64_t i, uint64_t raw)
{
	return SHAPE(k, fk_iommu_set_indirect, k, tbl, i, raw);
}

int fk_user_map(struct fk *k, uint64_t mm, uint64_t ua, uint64_t pfn)
{
	return SHAPE(k, fk_user_map, k, mm, ua, pfn);
}

int fk_user_translate(struct fk *k, uint64_t mm, uint64_t ua, uint64_t *pfn)
{
	return SHAPE(k, fk_user_translate, k, mm, ua, pfn);
}

uint64_t fk_kvm_memslot_add(struct fk *k, uint64_t kvm, int id, uint64_t base_gfn,
			    uint64_t npages, uint64_t ua)
{
	return SHAPE(k, fk_kvm_memslot_add, k, kvm, id, base_gfn, npages, ua);
}

int fk_kvm_gpa_to_ua(struct fk *k, uint64_t kvm, uint64_t gpa, uint64_t *ua)
{
	return SHAPE(k, fk_kvm_gpa_to_ua, k, kvm, gpa, ua);
}

uint64_t fk_modules_init(struct fk *k)
{
	return SHAPE(k, fk_modules_init, k);
}

uint64_t fk_module_new(struct fk *k, const char *name)
{
	return SHAPE(k, fk_module_new, k, name);
}

uint64_t fk_module_var(struct fk *k, uint64_t mod, const char *name, const char *pre,
		       const char *suf, uint64_t size, char type)
{
	return SHAPE(k, fk_module_var, k, mod, name, pre, suf, size, type);
}

const char *fk_module_build_id(struct fk *k, uint64_t mod)
{
	return SHAPE(k, fk_module_build_id, k, mod);
}

int fk_module_source(struct fk *k, uint64_t mod, FILE *f, const char **build_id,
		     const char **name)
{
	return SHAPE(k, fk_module_source, k, mod, f, build_id, name);
}

int fk_pnv_table_userspace(struct fk *k, uint64_t tbl)
{
	return SHAPE(k, fk_pnv_table_userspace, k, tbl);
}

int fk_iommu_user_put(struct fk *k, uint64_t tbl, uint64_t entry, uint64_t ua)
{
	return SHAPE(k, fk_iommu_user_put, k, tbl, entry, ua);
}

int fk_iommu_user_set_indirect(struct fk *k, uint64_t tbl, uint64_t i, uint64_t raw)
{
	return SHAPE(k, fk_iommu_user_set_indirect, k, tbl, i, raw);
}

uint64_t fk_process_mm_new(struct fk *k)
{
	return SHAPE(k, fk_process_mm_new, k);
}

uint64_t fk_vfio_prereg(struct fk *k, uint64_t mm, uint64_t ua, uint64_t entries,
			const uint64_t *pfns, unsigned pageshift)
{
	return SHAPE(k, fk_vfio_prereg, k, mm, ua, entries, pfns, pageshift);
}

int fk_vfio_mapped_add(struct fk *k, uint64_t region, int64_t delta)
{
	return SHAPE(k, fk_vfio_mapped_add, k, region, delta);
}

uint64_t fk_vfio_container_new(struct fk *k, uint64_t mm, bool v2)
{
	return SHAPE(k, fk_vfio_container_new, k, mm, v2);
}

int fk_vfio_container_table(struct fk *k, uint64_t container, int num, uint64_t tbl)
{
	return SHAPE(k, fk_vfio_container_table, k, container, num, tbl);
}

uint64_t fk_vfio_group_attach(struct fk *k, uint64_t container, uint64_t pe)
{
	return SHAPE(k, fk_vfio_group_attach, k, container, pe);
}

long fk_types_offsetof(const char *what)
{
	return fk_types_offsetof_6_1(what);
}

long fk_kernel_offsetof(enum fk_kernel kernel, const char *what)
{
	return kernel == FK_KERNEL_6_12 ? fk_types_offsetof_6_12(what) :
					  fk_types_offsetof_6_1(what);
}
