/*
 * Our translations, installed into libkdumpfile's addrxlat system so that every kernel
 * virtual read goes one way.  libkdumpfile 0.5.1 knows only the pre-4.x ppc64 layout
 * (vmemmap at 0xf000..., no radix) and builds its vmemmap table with an unbounded walk
 * once an OS type is set, so we never set one: we take the (OS-less) system it built
 * and map the kernel ranges ourselves: the linear map as a linear method, the vmemmap
 * as a custom method answering from our sorted index, and on radix the vmalloc/io range
 * as a custom method walking the kernel page tables.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "priv.h"

/* The custom method slot for the radix page-table walk. */
#define METH_PGT (ADDRXLAT_SYS_METH_CUSTOM + 0)

static int map_range(struct tce_dump *d, uint64_t start, uint64_t end,
		     addrxlat_sys_meth_t meth)
{
	addrxlat_map_t *map = addrxlat_sys_get_map(d->axsys, ADDRXLAT_SYS_MAP_KV_PHYS);
	addrxlat_range_t range = { .endoff = end - start - 1, .meth = meth };
	addrxlat_status st;

	if (end <= start)
		return 0;
	if (!map) {
		map = addrxlat_map_new();
		if (!map)
			return tce_set_err(d, TCE_ENOMEM, "cannot allocate a translation map");
		addrxlat_sys_set_map(d->axsys, ADDRXLAT_SYS_MAP_KV_PHYS, map);
		addrxlat_map_decref(map);
	}
	st = addrxlat_map_set(map, start, &range);
	if (st != ADDRXLAT_OK)
		return tce_set_err(d, TCE_ENOMEM, "cannot map 0x%" PRIx64 "-0x%" PRIx64
				   ": %s", start, end, addrxlat_ctx_get_err(d->axctx));
	return 0;
}

/* Sets map idx of the system to one method over the whole address space. */
static int map_all(struct tce_dump *d, addrxlat_sys_map_t idx, addrxlat_sys_meth_t meth)
{
	addrxlat_map_t *map = addrxlat_map_new();
	addrxlat_range_t range = { .endoff = UINT64_MAX, .meth = meth };

	if (!map)
		return tce_set_err(d, TCE_ENOMEM, "cannot allocate a translation map");
	if (addrxlat_map_set(map, 0, &range) != ADDRXLAT_OK) {
		addrxlat_map_decref(map);
		return tce_set_err(d, TCE_ENOMEM, "cannot set a translation map");
	}
	addrxlat_sys_set_map(d->axsys, idx, map);
	addrxlat_map_decref(map);
	return 0;
}

/*
 * Takes libkdumpfile's translation system and gives it what it lacks without an OS
 * type: identity between kernel- and machine-physical addresses (no hypervisor in
 * between on ppc64 Linux dumps) and the linear map.  Without an OS type 0.5.1's ppc64
 * initialisation fails ("OS type not implemented") after emptying the system and
 * marking it valid, so the second request returns the empty system to fill.
 */
int tce_xlat_install_direct(struct tce_dump *d)
{
	addrxlat_meth_t linear = {
		.kind = ADDRXLAT_LINEAR,
		.target_as = ADDRXLAT_KPHYSADDR,
		.param.linear.off = -(int64_t)TCE_LINEAR_BASE,
	};
	addrxlat_meth_t ident = { .kind = ADDRXLAT_LINEAR, .param.linear.off = 0 };
	kdump_status ks;
	int ret;

	ks = kdump_get_addrxlat(d->kd, &d->axctx, &d->axsys);
	if (ks != KDUMP_OK) {
		kdump_clear_err(d->kd);
		ks = kdump_get_addrxlat(d->kd, &d->axctx, &d->axsys);
	}
	if (ks != KDUMP_OK)
		return tce_set_err(d, TCE_EUNSUPP, "%s: no address translation: %s",
				   d->path, kdump_get_err(d->kd));

	ident.target_as = ADDRXLAT_MACHPHYSADDR;
	addrxlat_sys_set_meth(d->axsys, ADDRXLAT_SYS_METH_KPHYS_MACHPHYS, &ident);
	ident.target_as = ADDRXLAT_KPHYSADDR;
	addrxlat_sys_set_meth(d->axsys, ADDRXLAT_SYS_METH_MACHPHYS_KPHYS, &ident);
	ret = map_all(d, ADDRXLAT_SYS_MAP_KPHYS_MACHPHYS, ADDRXLAT_SYS_METH_KPHYS_MACHPHYS);
	if (!ret)
		ret = map_all(d, ADDRXLAT_SYS_MAP_MACHPHYS_KPHYS,
			      ADDRXLAT_SYS_METH_MACHPHYS_KPHYS);
	if (ret)
		return ret;

	addrxlat_sys_set_meth(d->axsys, ADDRXLAT_SYS_METH_DIRECT, &linear);
	return map_range(d, TCE_LINEAR_BASE, TCE_LINEAR_BASE + tce_max_physmem(d),
			 ADDRXLAT_SYS_METH_DIRECT);
}

static addrxlat_status vmemmap_first_step(addrxlat_step_t *step, addrxlat_addr_t addr)
{
	const struct tce_dump *d = step->meth->param.custom.data;
	const struct vm_index_ent *e = tce_vm_index_find(d, addr);

	if (!e)
		return addrxlat_ctx_err(step->ctx, ADDRXLAT_ERR_NOTPRESENT,
					"no vmemmap_list block backs 0x%" PRIx64, addr);
	step->base.as = ADDRXLAT_KPHYSADDR;
	step->base.addr = e->phys;
	step->remain = 1;
	step->elemsz = 1;
	step->idx[0] = addr - e->virt;
	return ADDRXLAT_OK;
}

static addrxlat_status pgt_first_step(addrxlat_step_t *step, addrxlat_addr_t addr)
{
	struct tce_dump *d = step->meth->param.custom.data;
	uint64_t phys, leaf;
	int ret = tce_pgt_translate(d, addr, &phys, &leaf);

	if (ret)
		return addrxlat_ctx_err(step->ctx, ret == -TCE_ENODATA ?
					ADDRXLAT_ERR_NODATA : ADDRXLAT_ERR_NOTPRESENT,
					"page tables: %s", d->err);
	step->base.as = ADDRXLAT_KPHYSADDR;
	step->base.addr = phys & ~(leaf - 1);
	step->remain = 1;
	step->elemsz = 1;
	step->idx[0] = phys & (leaf - 1);
	return ADDRXLAT_OK;
}

/* Never called: both methods finish in their first step (remain == 1). */
static addrxlat_status one_step_only(addrxlat_step_t *step)
{
	return addrxlat_ctx_err(step->ctx, ADDRXLAT_ERR_NOTIMPL, "unexpected step");
}

int tce_xlat_install_vmemmap(struct tce_dump *d)
{
	const struct tce_vmemmap *vm = &d->vm;
	addrxlat_meth_t meth = {
		.kind = ADDRXLAT_CUSTOM,
		.target_as = ADDRXLAT_KPHYSADDR,
		.param.custom = {
			.first_step = vmemmap_first_step,
			.next_step = one_step_only,
			.data = d,
		},
	};
	uint64_t end = tce_pfn_to_vmemmap(vm, vm->max_pfn);

	/* never let a corrupt list take over the linear map */
	if (vm->base < TCE_LINEAR_BASE + tce_max_physmem(d))
		return 0;
	end = (end + vm->block_size - 1) & ~(vm->block_size - 1);
	addrxlat_sys_set_meth(d->axsys, ADDRXLAT_SYS_METH_VMEMMAP, &meth);
	return map_range(d, vm->base, end, ADDRXLAT_SYS_METH_VMEMMAP);
}

int tce_xlat_install_pgtable(struct tce_dump *d)
{
	addrxlat_meth_t meth = {
		.kind = ADDRXLAT_CUSTOM,
		.target_as = ADDRXLAT_KPHYSADDR,
		.param.custom = {
			.first_step = pgt_first_step,
			.next_step = one_step_only,
			.data = d,
		},
	};

	/* vmalloc and io: from the end of the linear map to the vmemmap */
	addrxlat_sys_set_meth(d->axsys, METH_PGT, &meth);
	return map_range(d, TCE_LINEAR_BASE + tce_max_physmem(d), d->vm.base, METH_PGT);
}
