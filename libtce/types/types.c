// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The chain of type-information providers, and the first of them: VMCOREINFO's own
 * SYMBOL(), SIZE() and OFFSET() items.  Loading finds DWARF the way users expect (the
 * file they named, else the debug tree, else debuginfod), then BTF in memory, then
 * kallsyms, then the modules (modules.c), whose list only the providers before can
 * describe.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/types.h"

/* ------------------------------------------------------------ VMCOREINFO provider */

/* "struct kvm" -> "kvm": VMCOREINFO names structures without the keyword */
static const char *bare(const char *type)
{
	if (!strncmp(type, "struct ", 7))
		return type + 7;
	if (!strncmp(type, "union ", 6))
		return type + 6;
	return type;
}

static int vi_symbol(struct ty_provider *p, const char *name, uint64_t *addr)
{
	int ret = tce_vmcoreinfo_symbol(p->d, name, addr);

	return ret ? -TCE_ENOENT : 0;
}

static int vi_size(struct ty_provider *p, const char *type, uint64_t *size)
{
	int ret = tce_vmcoreinfo_size(p->d, bare(type), size);

	return ret ? -TCE_ENOENT : 0;
}

/* OFFSET(type.member): one level only, and no size */
static int vi_member(struct ty_provider *p, const char *type, const char *path,
		     struct ty_member *m)
{
	uint64_t off;

	if (strchr(path, '.') || tce_vmcoreinfo_offset(p->d, bare(type), path, &off))
		return -TCE_ENOENT;
	memset(m, 0, sizeof(*m));
	m->offset = off;
	return 0;
}

static void vi_free(struct ty_provider *p)
{
	free(p);
}

static const struct ty_ops vi_ops = {
	.name = "vmcoreinfo",
	.symbol = vi_symbol,
	.size = vi_size,
	.member = vi_member,
	.free = vi_free,
};

int tce_ty_vmcoreinfo_new(struct tce_dump *d, struct ty_provider **out)
{
	struct ty_provider *p = calloc(1, sizeof(*p));

	if (!p)
		return tce_set_err(d, TCE_ENOMEM, "type information: out of memory");
	p->ops = &vi_ops;
	p->d = d;
	snprintf(p->what, sizeof(p->what), "VMCOREINFO");
	*out = p;
	return 0;
}

int tce_ty_build_id(struct tce_dump *d, unsigned char *id, size_t cap, size_t *len)
{
	const char *key, *v = NULL;
	size_t n = 0;
	unsigned i;

	for (i = 0; tce_vmcoreinfo_line(d, i, &key, &v); i++)
		if (!strcmp(key, "BUILD-ID"))
			break;
	if (!v || strcmp(key, "BUILD-ID"))
		return tce_set_err(d, TCE_ENOENT, "VMCOREINFO has no BUILD-ID");
	for (; v[0] && v[1]; v += 2) {
		char hex[3] = { v[0], v[1], 0 };

		if (!isxdigit((unsigned char)v[0]) || !isxdigit((unsigned char)v[1]) ||
		    n == cap)
			return tce_set_err(d, TCE_ECORRUPT, "VMCOREINFO BUILD-ID is not a "
					   "build id");
		id[n++] = (unsigned char)strtoul(hex, NULL, 16);
	}
	if (*v || n < 8)
		return tce_set_err(d, TCE_ECORRUPT, "VMCOREINFO BUILD-ID is not a build id");
	*len = n;
	return 0;
}

/* ------------------------------------------------------------ the chain */

void tce_types_init(struct types *t, struct tce_dump *d)
{
	memset(t, 0, sizeof(*t));
	t->d = d;
}

void tce_types_free(struct types *t)
{
	unsigned i;

	for (i = 0; i < t->nprov; i++)
		t->prov[i]->ops->free(t->prov[i]);
	tce_ty_modules_free(t);
	free((char *)t->src.vmlinux);
	free((char *)t->src.debug_dir);
	memset(t, 0, sizeof(*t));
}

int tce_types_set_sources(struct types *t, const struct ty_sources *src)
{
	char *v = src->vmlinux ? strdup(src->vmlinux) : NULL;
	char *dd = src->debug_dir ? strdup(src->debug_dir) : NULL;

	if (t->loaded) {
		free(v);
		free(dd);
		return tce_set_err(t->d, TCE_EINVAL, "type information is loaded already: "
				   "set its sources first");
	}
	if ((src->vmlinux && !v) || (src->debug_dir && !dd)) {
		free(v);
		free(dd);
		return tce_set_err(t->d, TCE_ENOMEM, "type information: out of memory");
	}
	free((char *)t->src.vmlinux);
	free((char *)t->src.debug_dir);
	t->src = *src;
	t->src.vmlinux = v;
	t->src.debug_dir = dd;
	return 0;
}

/* p at the end of the chain */
static void put(struct types *t, struct ty_provider *p)
{
	t->prov[t->nprov++] = p;
	t->gen++;
}

int tce_types_ready(struct types *t, unsigned i)
{
	struct ty_provider *p = t->prov[i];
	int ret;

	if (!p->ops->ready)
		return 0;
	ret = p->ops->ready(p);
	if (!ret || ret == -TCE_ENOMEM)
		return ret;
	/* as if it had not been found: BTF the dump holds damaged says why not */
	if (!strcmp(p->ops->name, "btf")) {
		t->has_btf = false;
		snprintf(t->no_btf, sizeof(t->no_btf), "%s", tce_errmsg(t->d));
	}
	p->ops->free(p);
	memmove(&t->prov[i], &t->prov[i + 1], (t->nprov - i - 1) * sizeof(t->prov[0]));
	t->nprov--;
	t->gen++;
	tce_clear_err(t->d);
	return 1;
}

static int load(struct types *t)
{
	struct tce_dump *d = t->d;
	struct ty_provider *p, *ks, *from[3];
	char how[128];
	int ret;

	ret = tce_ty_vmcoreinfo_new(d, &p);
	if (ret)
		return ret;
	put(t, p);

	if (t->src.vmlinux) {
		/* a file the user named is used or refused, never passed over */
		ret = tce_ty_dwarf_open(d, t->src.vmlinux, &p);
		if (ret)
			return ret;
		snprintf(t->dwarf_path, sizeof(t->dwarf_path), "%s", t->src.vmlinux);
		snprintf(t->dwarf_how, sizeof(t->dwarf_how), "named by the caller");
	} else {
		ret = tce_ty_dwarf_find(d, &t->src, t->dwarf_path, sizeof(t->dwarf_path),
					how, sizeof(how));
		if (ret == -TCE_ENOMEM)
			return ret;
		if (!ret) {
			ret = tce_ty_dwarf_open(d, t->dwarf_path, &p);
			if (ret == -TCE_ENOMEM)
				return ret;
			if (ret) {
				snprintf(t->tried, sizeof(t->tried), "%s", tce_errmsg(d));
				t->dwarf_path[0] = '\0';
				p = NULL;
			} else {
				snprintf(t->dwarf_how, sizeof(t->dwarf_how), "%s", how);
			}
		} else {
			snprintf(t->tried, sizeof(t->tried), "%s", tce_errmsg(d));
			t->dwarf_path[0] = '\0';
			p = NULL;
		}
	}
	if (p) {
		put(t, p);
		t->has_dwarf = true;
	}

	/* the vmlinux's DWARF (of the dump's own build: its build id was checked) comes
	 * with its symbol table, which holds every name of kallsyms */
	ret = tce_ty_kallsyms_new(d, t->has_dwarf && t->prov[1]->nsymbols, &ks);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret)
		ks = NULL;

	/* BTF is found through symbols, kallsyms' too, but asked before kallsyms: DWARF
	 * of the dump's own build wins, BTF answers when there is none.  It is read at
	 * the first question that reaches it (tce_types_ready()): until then has_btf says
	 * it was found. */
	from[0] = t->prov[0];
	from[1] = t->has_dwarf ? t->prov[1] : NULL;
	from[2] = ks;
	ret = tce_ty_btf_new(d, from, 3, &p);
	if (ret == -TCE_ENOMEM) {
		if (ks)
			ks->ops->free(ks);
		return ret;
	}
	if (ret) {
		snprintf(t->no_btf, sizeof(t->no_btf), "%s", tce_errmsg(d));
	} else {
		put(t, p);
		t->has_btf = true;
	}
	if (ks)
		put(t, ks);
	tce_clear_err(d);

	/* modules last: walking their list asks the providers above about struct module */
	ret = tce_ty_modules_load(t, &p);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (!ret && t->nprov < TY_MAX_PROVIDERS)
		put(t, p);
	else if (!ret)
		p->ops->free(p);
	tce_clear_err(d);
	return 0;
}

int tce_types_load(struct types *t)
{
	if (!t->loaded) {
		t->loaded = true;
		t->status = load(t);
	}
	return t->status;
}

int tce_types_settle(struct types *t)
{
	unsigned i = 0;
	int ret = tce_types_load(t);

	while (!ret && i < t->nprov) {
		ret = tce_types_ready(t, i);
		if (ret == 1)
			ret = 0;        /* dropped: the next is at i now */
		else if (!ret)
			i++;
	}
	return ret;
}

/* "VMCOREINFO, DWARF of X": who was asked */
static void asked(const struct types *t, char *buf, size_t len)
{
	size_t n = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < t->nprov && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? ", " : "", t->prov[i]->what);
	if (!t->has_dwarf && n < len)
		n += snprintf(buf + n, len - n, "; no DWARF was found");
	if (!t->has_btf && n < len)
		snprintf(buf + n, len - n, "; %s", t->no_btf);
}

enum question { Q_SYMBOL, Q_SIZE, Q_MEMBER };

/*
 * Where the kernel defines types the walkers ask for: in the source file of a function
 * (its home symbol).  The provider holding the function is asked for the type before
 * the others (after VMCOREINFO, the kernel's own word), and a vmlinux's DWARF answers
 * from the function's unit.  Both are the type as the code that makes its objects
 * sees it, and both spare a search of the whole of a vmlinux's DWARF:
 *  - a type a .c file defines is found in its unit, not after indexing every unit
 *    before it (6.1's struct module_sect_attrs: a third of a small dump's check);
 *  - a module's type (KVM's, VFIO's) is asked of its module, not first proved absent
 *    from vmlinux by a pass over all of its .debug_info (6.12's VFIO types: five
 *    passes over 205 MB).
 * A symbol no provider holds (another kernel's names) leaves the order as it was.
 */
static const struct ty_home {
	const char *type;
	const char *symbol;
} homes[] = {
	/* kernel/module/sysfs.c (kernel/module.c before 5.19) */
	{ "struct module_sect_attrs", "mod_sysfs_setup" },
	{ "struct module_sect_attr", "mod_sysfs_setup" },
	{ "struct module_notes_attrs", "mod_sysfs_setup" },
	/* virt/kvm/kvm_main.c: kvm.ko when KVM is a module (include/linux/kvm_host.h's
	 * types, which a few built-in units of vmlinux also define) */
	{ "struct kvm", "kvm_get_kvm" },
	{ "struct kvm_memslots", "kvm_get_kvm" },
	{ "struct kvm_memory_slot", "kvm_get_kvm" },
	/* arch/powerpc/kernel/iommu.c */
	{ "struct iommu_table_group", "iommu_add_device" },
	/* arch/powerpc/kvm/book3s_64_vio.c: kvm.ko when KVM is a module */
	{ "struct kvmppc_spapr_tce_table", "kvm_vm_ioctl_create_spapr_tce" },
	{ "struct kvmppc_spapr_tce_iommu_table", "kvm_vm_ioctl_create_spapr_tce" },
	/* arch/powerpc/platforms/powernv/pci-ioda.c and pci.c */
	{ "struct pnv_phb", "pnv_ioda_get_pe" },
	{ "struct pnv_ioda_pe", "pnv_ioda_get_pe" },
	{ "struct iommu_table_group_link", "pnv_pci_link_table_and_group" },
	/* arch/powerpc/mm/book3s64/iommu_api.c */
	{ "struct mm_iommu_table_group_mem_t", "mm_iommu_new" },
	/* drivers/iommu/iommu.c */
	{ "struct iommu_group", "iommu_group_alloc" },
	/* drivers/vfio/vfio_iommu_spapr_tce.c, drivers/vfio/container.c (vfio.ko) */
	{ "struct tce_container", "tce_iommu_open" },
	{ "struct vfio_container", "vfio_register_iommu_driver" },
	{ "struct vfio_iommu_driver", "vfio_register_iommu_driver" },
	{ "struct vfio_iommu_driver_ops", "vfio_register_iommu_driver" },
	{ "struct vfio_group", "vfio_register_iommu_driver" },
};

_Static_assert(sizeof(homes) / sizeof(homes[0]) <= TY_HOMES, "TY_HOMES is too small");

/* The provider holding type's home symbol (index), found once for each generation of
 * the chain; -1 when type has none, or none holds it */
static int home_prov(struct types *t, const char *type)
{
	unsigned k, i;

	for (k = 0; k < sizeof(homes) / sizeof(homes[0]); k++)
		if (!strcmp(homes[k].type, type))
			break;
	if (k == sizeof(homes) / sizeof(homes[0]))
		return -1;
	if (t->home_gen[k] != t->gen) {
		t->home_gen[k] = t->gen;
		t->home_prov[k] = 0;
		for (i = 1; i < t->nprov; i++) {
			struct ty_provider *p = t->prov[i];

			if (p->ops->home && !p->ops->home(p, homes[k].type, homes[k].symbol)) {
				t->home_prov[k] = (unsigned char)(i + 1);
				break;
			}
		}
		tce_clear_err(t->d);
	}
	return (int)t->home_prov[k] - 1;
}

/*
 * Asks each provider in turn until one knows; -TCE_ENOENT names what was asked and who,
 * with the reason a provider that knows the type gave (a member the type lacks).
 *
 * A member that DWARF of the vmlinux says its type lacks is not asked of BTF in
 * memory: that DWARF is of the dump's own build (its build id was checked), of which
 * pahole made the BTF, so the BTF lacks it too.  Asking would only parse megabytes of
 * it (6.12's struct module is asked first for 6.1's core_layout).
 */
static int ask(struct types *t, enum question q, const char *a, const char *b, void *out)
{
	char who[1536], detail[TCE_ERR_LEN], what[640];
	unsigned k, i;
	int home = -1, ret = tce_types_load(t);
	bool no_btf = false;

	if (ret)
		return ret;
again:
	detail[0] = '\0';
	if (q != Q_SYMBOL)
		home = home_prov(t, a);
	/* VMCOREINFO, the home's provider, then the others in order */
	for (k = 0; k < t->nprov; k++) {
		struct ty_provider *p;

		i = k == 1 && home > 0 ? (unsigned)home : k;
		if (home > 0 && k > 1 && k <= (unsigned)home)
			i = k - 1;
		p = t->prov[i];
		if ((q == Q_SYMBOL && !p->ops->symbol) || (q == Q_SIZE && !p->ops->size) ||
		    (q == Q_MEMBER && !p->ops->member) ||
		    (no_btf && !strcmp(p->ops->name, "btf")))
			continue;
		ret = tce_types_ready(t, i);
		if (ret < 0)
			return ret;
		if (ret)
			goto again;     /* dropped: the chain changed under k */
		tce_clear_err(t->d);
		p->type_known = false;
		if (q == Q_SYMBOL)
			ret = p->ops->symbol(p, a, out);
		else if (q == Q_SIZE)
			ret = p->ops->size(p, a, out);
		else
			ret = p->ops->member(p, a, b, out);
		if (ret != -TCE_ENOENT)
			return ret;
		if (q == Q_MEMBER && p->type_known && !strcmp(p->ops->name, "dwarf"))
			no_btf = true;
		if (!detail[0] && p->ops != &vi_ops && tce_errmsg(t->d)[0])
			snprintf(detail, sizeof(detail), "%s; ", tce_errmsg(t->d));
	}
	asked(t, who, sizeof(who));
	if (q == Q_SYMBOL)
		snprintf(what, sizeof(what), "symbol %s", a);
	else if (q == Q_SIZE)
		snprintf(what, sizeof(what), "the size of %s", a);
	else
		snprintf(what, sizeof(what), "%s.%s", a, b);
	return tce_set_err(t->d, TCE_ENOENT, "%s is unknown (%sasked: %s)", what, detail, who);
}

int tce_types_symbol(struct types *t, const char *name, uint64_t *addr)
{
	return ask(t, Q_SYMBOL, name, NULL, addr);
}

int tce_types_size(struct types *t, const char *type, uint64_t *size)
{
	return ask(t, Q_SIZE, type, NULL, size);
}

int tce_types_member(struct types *t, const char *type, const char *path,
		     struct ty_member *m)
{
	return ask(t, Q_MEMBER, type, path, m);
}

int tce_types_layout(struct types *t, const char *type, const char *const *paths,
		     unsigned n, struct ty_member *out, uint64_t *size)
{
	unsigned i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = tce_types_member(t, type, paths[i], &out[i]);
		if (ret)
			return ret;
	}
	if (size && tce_types_size(t, type, size)) {
		*size = 0;
		tce_clear_err(t->d);
	}
	return 0;
}

int tce_types_read_uint(struct tce_dump *d, uint64_t addr, const struct ty_member *m,
			uint64_t *val)
{
	enum tce_byteorder bo = tce_dump_byteorder(d);
	unsigned char buf[8];
	int ret;

	if (m->size != 1 && m->size != 2 && m->size != 4 && m->size != 8)
		return tce_set_err(d, TCE_EINVAL, "a member of %" PRIu64 " bytes is no integer",
				   m->size);
	if (addr > UINT64_MAX - m->offset)
		return tce_set_err(d, TCE_ENOXLAT, "0x%" PRIx64 " + %" PRIu64 " wraps", addr,
				   m->offset);
	ret = tce_read(d, TCE_KVADDR, addr + m->offset, buf, m->size);
	if (ret)
		return ret;
	switch (m->size) {
	case 1:
		*val = buf[0];
		break;
	case 2:
		*val = tce_bo16(buf, bo);
		break;
	case 4:
		*val = tce_bo32(buf, bo);
		break;
	default:
		*val = tce_bo64(buf, bo);
	}
	return 0;
}

/* keys (hash << 32 | position) in order of hash, positions in order within a hash:
 * the stable radix sort of their upper halves, a byte a pass, through tmp */
static void sort_keys(uint64_t *key, uint64_t *tmp, size_t n)
{
	unsigned shift;

	for (shift = 32; shift < 64; shift += 8) {
		size_t count[257] = { 0 }, i;
		uint64_t *t;

		for (i = 0; i < n; i++)
			count[((key[i] >> shift) & 0xff) + 1]++;
		for (i = 1; i < 257; i++)
			count[i] += count[i - 1];
		for (i = 0; i < n; i++)
			tmp[count[(key[i] >> shift) & 0xff]++] = key[i];
		t = key;
		key = tmp;
		tmp = t;
	}
	/* four passes: the sorted keys are back where they began */
}

int tce_ty_syms_index(struct ty_sym **v, size_t *n)
{
	struct ty_sym *in = *v, *out;
	uint64_t *key;
	size_t i, k = 0, run = 0;

	if (*n > UINT32_MAX)
		return -1;
	key = tce_big_alloc(2 * *n * sizeof(*key));
	out = tce_big_alloc(*n * sizeof(*out));
	if (!key || !out) {
		free(key);
		free(out);
		return -1;
	}
	for (i = 0; i < *n; i++) {
		in[i].hash = tce_ty_name_hash(in[i].name, 0);
		in[i].ambiguous = false;
		key[i] = (uint64_t)in[i].hash << 32 | i;
	}
	sort_keys(key, key + *n, *n);
	/* one entry a name: the names of one hash are compared with those of the hash
	 * kept so far (a few; a name a vmlinux holds 371 times is one) */
	for (i = 0; i < *n; i++) {
		const struct ty_sym *s = &in[(uint32_t)key[i]];
		size_t j;

		if (!k || out[k - 1].hash != s->hash)
			run = k;
		for (j = run; j < k && strcmp(out[j].name, s->name); j++)
			;
		if (j == k) {
			out[k++] = *s;
			continue;
		}
		if (out[j].addr != s->addr)
			out[j].ambiguous = true;
		if (s->addr < out[j].addr)
			out[j].addr = s->addr;
	}
	free(key);
	free(in);
	*v = out;
	*n = k;
	return 0;
}

const struct ty_sym *tce_ty_syms_find(const struct ty_sym *v, size_t n, const char *name)
{
	uint32_t h = tce_ty_name_hash(name, 0);
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && v[lo].hash == h; lo++)
		if (!strcmp(v[lo].name, name))
			return &v[lo];
	return NULL;
}
