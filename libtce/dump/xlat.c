// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The translation system every kernel virtual read goes through: libkdumpfile's
 * addrxlat, filled by us.  libkdumpfile 0.5.1 knows only the pre-4.x ppc64 layout
 * (vmemmap at 0xf000..., no radix) and builds its vmemmap table with an unbounded walk
 * once an OS type is set, so we never set one: we take the (OS-less) system it built,
 * map the linear map ourselves, and let walkers register a function for a range (the
 * vmemmap index, the kernel page tables for vmalloc), each as a custom method.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "dump/dump-priv.h"

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

	if (!d->kd) {
		/* a QEMU ELF file, read without libkdumpfile: a system of our own, which
		 * holds only what is installed here and by the walkers */
		d->axctx = addrxlat_ctx_new();
		d->axsys = addrxlat_sys_new();
		if (!d->axctx || !d->axsys)
			return tce_set_err(d, TCE_ENOMEM, "%s: out of memory", d->path);
	} else {
		ks = kdump_get_addrxlat(d->kd, &d->axctx, &d->axsys);
		if (ks != KDUMP_OK) {
			kdump_clear_err(d->kd);
			ks = kdump_get_addrxlat(d->kd, &d->axctx, &d->axsys);
		}
		if (ks != KDUMP_OK)
			return tce_set_err(d, TCE_EUNSUPP, "%s: no address translation: %s",
					   d->path, kdump_get_err(d->kd));
	}

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
	ret = map_range(d, TCE_LINEAR_BASE, tce_linear_end(d), ADDRXLAT_SYS_METH_DIRECT);
	if (!ret)
		d->linear_end = tce_linear_end(d);
	return ret;
}

/* What a removed slot answers, should a range still point at it. */
static int refuse(struct tce_dump *d, void *data, uint64_t va, uint64_t *phys,
		  uint64_t *span)
{
	return tce_set_err(d, TCE_ENOXLAT, "0x%" PRIx64 ": its translation was removed", va);
}

/*
 * The custom method every registered translation runs: its one step asks the walker's
 * function and ends there (remain == 1), with the walker's message on failure.
 */
static addrxlat_status slot_first_step(addrxlat_step_t *step, addrxlat_addr_t addr)
{
	struct xlat_slot *sl = step->meth->param.custom.data;
	uint64_t phys, span;
	int ret = sl->fn(sl->d, sl->data, addr, &phys, &span);

	if (ret)
		return addrxlat_ctx_err(step->ctx, ret == -TCE_ENODATA ?
					ADDRXLAT_ERR_NODATA : ADDRXLAT_ERR_NOTPRESENT,
					"%s", sl->d->err.msg);
	step->base.as = ADDRXLAT_KPHYSADDR;
	step->base.addr = phys & ~(span - 1);
	step->remain = 1;
	step->elemsz = 1;
	step->idx[0] = phys & (span - 1);
	return ADDRXLAT_OK;
}

/* Never called: the method finishes in its first step. */
static addrxlat_status one_step_only(addrxlat_step_t *step)
{
	return addrxlat_ctx_err(step->ctx, ADDRXLAT_ERR_NOTIMPL, "unexpected step");
}

int tce_dump_add_xlat(struct tce_dump *d, uint64_t start, uint64_t end, tce_xlat_fn *fn,
		      void *data)
{
	addrxlat_meth_t meth = {
		.kind = ADDRXLAT_CUSTOM,
		.target_as = ADDRXLAT_KPHYSADDR,
		.param.custom = {
			.first_step = slot_first_step,
			.next_step = one_step_only,
		},
	};
	struct xlat_slot *sl;
	int i, ret;

	if (!d->axsys)
		return tce_set_err(d, TCE_EINVAL, "the dump is not open");
	if (end <= start || start < tce_linear_end(d))
		return tce_set_err(d, TCE_EINVAL, "0x%" PRIx64 "-0x%" PRIx64 " cannot get a "
				   "translation (empty, or in the linear map)", start, end);
	for (i = 0; i < TCE_XLAT_SLOTS && d->xlat[i].used; i++)
		;
	if (i == TCE_XLAT_SLOTS)
		return tce_set_err(d, TCE_EINVAL, "all %d translation slots are taken",
				   TCE_XLAT_SLOTS);
	sl = &d->xlat[i];
	*sl = (struct xlat_slot){ .used = true, .start = start, .end = end, .fn = fn,
				  .data = data, .d = d };
	meth.param.custom.data = sl;
	addrxlat_sys_set_meth(d->axsys, ADDRXLAT_SYS_METH_CUSTOM + i, &meth);
	ret = map_range(d, start, end, ADDRXLAT_SYS_METH_CUSTOM + i);
	if (ret) {
		sl->used = false;
		return ret;
	}
	return i;
}

void tce_dump_remove_xlat(struct tce_dump *d, int slot)
{
	struct xlat_slot *sl;

	if (slot < 0 || slot >= TCE_XLAT_SLOTS || !d->xlat[slot].used)
		return;
	sl = &d->xlat[slot];
	/* the range falls back to "no translation"; a failure to allocate the map split
	 * leaves it pointing at a method whose function refuses everything */
	if (map_range(d, sl->start, sl->end, ADDRXLAT_SYS_METH_NONE))
		tce_clear_err(d);
	sl->fn = refuse;
	sl->used = false;
}

void tce_xlat_free(struct tce_dump *d)
{
	if (d->axsys)
		addrxlat_sys_decref(d->axsys);
	if (d->axctx)
		addrxlat_ctx_decref(d->axctx);
	d->axsys = NULL;
	d->axctx = NULL;
}

bool tce_dump_direct_mapped(struct tce_dump *d, uint64_t va)
{
	addrxlat_map_t *map;

	/* a clone has no system of its own: its original's maps [base, linear_end) so */
	if (d->clone_of)
		return va >= TCE_LINEAR_BASE && va < d->linear_end;
	if (!d->axsys)
		return false;
	map = addrxlat_sys_get_map(d->axsys, ADDRXLAT_SYS_MAP_KV_PHYS);
	return map && addrxlat_map_search(map, va) == ADDRXLAT_SYS_METH_DIRECT;
}
