// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target (f): TCE table discovery, entry iteration and the tables' rules.
 * The templates are the forge's KVM hosts, powernv machines and VFIO users
 * (fuzz/mktemplates.sh:
 * t-*, each with NAME.vmlinux, its DWARF, and NAME.facts, tce-forge -v's facts).  The
 * input overwrites the structures the walkers read (harness.h), found from the facts,
 * the vmlinux's symbols and the forge's member offsets for the template's kernel
 * shape: the heads of vm_list, hose_list and modules; each struct kvm's links, mm,
 * memslots and table list; the memslots; each kvmppc_spapr_tce_table with its pages[];
 * the attached kvmppc_spapr_tce_iommu_table; each PHB's pci_controller and pnv_phb,
 * each PE and its tables[]; each iommu_table and the start of its top level (and of
 * it_userspace); VFIO's vfio_group, iommu_group owner, container and tce_container,
 * the mm's list of preregistered regions and the regions; each struct module the
 * template maps.  Then the dump is opened with that vmlinux as type
 * information, every table is found and walked, read again with tce_table_at(), and
 * tce_analysis_check() runs the rules of the tables' area only.
 */
#include "config.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "forge.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* entries handed to the callback a table: enough to reach every level's code, few
 * enough that a window of 2^40 valid entries is no timeout */
#define ENTRIES_MAX 4096

struct facts {
	char *text;
	enum fk_kernel kernel;
};

static uint64_t fact(const struct facts *f, const char *name, int *found)
{
	size_t l = strlen(name);
	const char *p;

	*found = 0;
	for (p = f->text; (p = strstr(p, name)) != NULL; p += l) {
		if ((p == f->text || p[-1] == ' ') && p[l] == '=') {
			*found = 1;
			return strtoull(p + l + 1, NULL, 0);
		}
	}
	return 0;
}

static uint64_t off(const struct facts *f, const char *what)
{
	long o = fk_kernel_offsetof(f->kernel, what);

	return o < 0 ? 0 : (uint64_t)o;
}

/* the vmlinux's symbol name, 0 if it lacks it */
static uint64_t symbol(Elf *e, const char *name)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t i;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		for (i = 0; data && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			const char *n;

			if (!gelf_getsym(data, i, &s))
				break;
			n = elf_strptr(e, sh.sh_link, s.st_name);
			if (n && !strcmp(n, name))
				return s.st_value;
		}
	}
	return 0;
}

/* a structure: at most len bytes of it */
static void whole(struct fz_tpl *t, uint64_t addr, const struct facts *f, const char *type,
		  uint64_t cap)
{
	uint64_t sz = off(f, type);

	fz_window(t, addr, sz && sz < cap ? sz : cap);
}

static void windows(struct fz_tpl *t, const char *dir, const char *name)
{
	static const char *const heads[] = { "vm_list", "hose_list", "modules" };
	static const char *const stts[] = { "stt.a4k", "stt.a64k", "stt.b16m" };
	static const char *const slots[] = { "memslot.a0", "memslot.a1", "memslot.b0" };
	static const char *const tbls[] = { "tbl.t0", "tbl.t1", "tbl.t2", "attach.tbl" };
	char path[4096], fname[64];
	struct facts f = { 0 };
	uint64_t v, a, b;
	size_t i, len = 0;
	int fd, found;
	FILE *fp;
	Elf *e;

	snprintf(path, sizeof(path), "%s/%s.facts", dir, name);
	fp = fopen(path, "r");
	if (!fp)
		return;
	if (getline(&f.text, &len, fp) < 0) {
		fclose(fp);
		free(f.text);
		return;
	}
	fclose(fp);
	f.kernel = fact(&f, "kernel", &found) == 0x60c ? FK_KERNEL_6_12 : FK_KERNEL_6_1;

	/* the list heads, first: the shortest inputs change where every walk starts */
	snprintf(path, sizeof(path), "%s/%s.vmlinux", dir, name);
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY);
	e = fd < 0 ? NULL : elf_begin(fd, ELF_C_READ, NULL);
	for (i = 0; e && i < sizeof(heads) / sizeof(heads[0]); i++)
		if ((v = symbol(e, heads[i])) != 0)
			fz_window(t, v, 16);
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);

	for (i = 0; i < 2; i++) {
		const char *vm = i ? "kvm.b" : "kvm.a";
		uint64_t ms = off(&f, "kvm.__memslots"), mssz = off(&f, "kvm_memslots");

		a = fact(&f, vm, &found);
		if (!found)
			continue;
		fz_window(t, a + off(&f, "kvm.vm_list"), 16);
		fz_window(t, a + off(&f, "kvm.mm"), 8);
		fz_window(t, a + off(&f, "kvm.memslots"), 16);
		fz_window(t, a + off(&f, "kvm.arch.spapr_tce_tables"), 16);
		fz_window(t, a + off(&f, "kvm.userspace_pid"), 4);
		/* the memslots in use: their trees' roots and node index */
		for (b = 0; b < 4; b++) {
			uint64_t m = a + ms + b * mssz;

			fz_window(t, m + off(&f, "kvm_memslots.gfn_tree"), 8);
			fz_window(t, m + off(&f, "kvm_memslots.hva_tree"), 16);
			fz_window(t, m + off(&f, "kvm_memslots.node_idx"), 4);
		}
		snprintf(fname, sizeof(fname), "%s.mm", vm);
		v = fact(&f, fname, &found);
		if (found)
			fz_window(t, v + off(&f, "mm_struct.pgd"), 8);
	}
	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if ((a = fact(&f, slots[i], &found)), found)
			whole(t, a, &f, "kvm_memory_slot", 256);
	for (i = 0; i < sizeof(stts) / sizeof(stts[0]); i++) {
		a = fact(&f, stts[i], &found);
		if (!found)
			continue;
		snprintf(fname, sizeof(fname), "%s.npages", stts[i]);
		v = fact(&f, fname, &found);
		fz_window(t, a, off(&f, "kvmppc_spapr_tce_table") +
			  8 * (v < 64 ? v : 64));
	}
	if ((a = fact(&f, "attach.stit", &found)), found)
		whole(t, a, &f, "kvmppc_spapr_tce_iommu_table", 64);
	for (i = 0; i < 2; i++) {
		snprintf(fname, sizeof(fname), "phb.%zu", i);
		a = fact(&f, fname, &found);
		if (!found)
			continue;
		/* the pci_controller's links, then its pnv_phb */
		fz_window(t, a + off(&f, "pci_controller.list_node"), 16);
		fz_window(t, a + off(&f, "pci_controller.global_number"), 4);
		fz_window(t, a + off(&f, "pci_controller.private_data"), 8);
		if (!fz_read(t, a + off(&f, "pci_controller.private_data"), 8, &v) && v) {
			fz_window(t, v + off(&f, "pnv_phb.hose"), 8);
			fz_window(t, v + off(&f, "pnv_phb.ioda.total_pe_num"), 4);
			fz_window(t, v + off(&f, "pnv_phb.ioda.pe_array"), 8);
			fz_window(t, v + off(&f, "pnv_phb.ioda.pe_list"), 16);
		}
	}
	for (i = 0; i < 3; i++) {
		snprintf(fname, sizeof(fname), "pe.%zu", i);
		a = fact(&f, fname, &found);
		if (!found)
			continue;
		fz_window(t, a + off(&f, "pnv_ioda_pe.phb"), 8);
		fz_window(t, a + off(&f, "pnv_ioda_pe.pe_number"), 4);
		fz_window(t, a + off(&f, "pnv_ioda_pe.list"), 16);
		fz_window(t, a + off(&f, "pnv_ioda_pe.table_group") +
			  off(&f, "iommu_table_group.tables"), 16);
	}
	for (i = 0; i < sizeof(tbls) / sizeof(tbls[0]); i++) {
		a = fact(&f, tbls[i], &found);
		if (!found)
			continue;
		whole(t, a, &f, "iommu_table", 512);
		if (!fz_read(t, a + off(&f, "iommu_table.it_base"), 8, &v) && v)
			fz_window(t, v, 256);
		/* VFIO's: the top level of it_userspace */
		if (!fz_read(t, a + off(&f, "iommu_table.it_userspace"), 8, &v) && v)
			fz_window(t, v, 256);
	}
	/* VFIO (vfio-tables): the owner's chain from the PE's iommu_group to the
	 * tce_container, the mm's list of preregistered regions and the regions */
	if ((a = fact(&f, "vfio.group", &found)), found) {
		fz_window(t, a + off(&f, "vfio_group.iommu_group"), 16);
		if (!fz_read(t, a + off(&f, "vfio_group.iommu_group"), 8, &v) && v)
			fz_window(t, v + off(&f, "iommu_group.owner"), 8);
	}
	if ((a = fact(&f, "vfio.container", &found)), found) {
		fz_window(t, a + off(&f, "vfio_container.iommu_driver"), 16);
		if (!fz_read(t, a + off(&f, "vfio_container.iommu_data"), 8, &v) && v)
			fz_window(t, v + off(&f, "tce_container.v2"), off(&f, "tce_container") -
				  off(&f, "tce_container.v2"));
	}
	if ((a = fact(&f, "vfio.mm", &found)), found)
		fz_window(t, a + off(&f, "mm_struct.context.iommu_group_mem_list"), 16);
	for (i = 0; i < 2; i++)
		if ((a = fact(&f, i ? "vfio.region.b" : "vfio.region.a", &found)), found)
			whole(t, a, &f, "mm_iommu_table_group_mem_t", 128);
	for (i = 0; i < 2; i++) {
		a = fact(&f, i ? "module.kvm_hv" : "module.kvm", &found);
		if (found)
			whole(t, a, &f, "module", 1024);
	}
	free(f.text);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fz_set_windows(windows);
	fz_init(FZ_TABLES);
	return 0;
}

static int entry(void *data, const struct tce_table_entry *e)
{
	unsigned *n = data;

	return ++*n >= ENTRIES_MAX;
}

static void body(struct tce_dump *d)
{
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	struct tce_tables_info ti = TCE_TABLES_INFO_INIT;
	const struct tce_finding *f;
	struct tce_analysis *a;
	const char *reason;
	char vmlinux[4096];
	size_t i;
	unsigned r;

	if (tce_analysis_new(d, &a))
		return;
	snprintf(vmlinux, sizeof(vmlinux), "%s/%s.vmlinux", fz_dir(), fz_name());
	to.vmlinux = vmlinux;
	to.debug_dir = "/nonexistent";
	to.debuginfod = false;
	tce_analysis_set_types(a, &to);
	if (tce_analysis_tables(a, &ti) == 0) {
		for (i = 0; i < ti.count; i++) {
			struct tce_table_info tt = TCE_TABLE_INFO_INIT, again = TCE_TABLE_INFO_INIT;
			struct tce_table_stats st = TCE_TABLE_STATS_INIT;
			unsigned n = 0;

			if (tce_analysis_table(a, i, &tt))
				continue;
			tce_table_entries(a, &tt, 0, UINT64_MAX, entry, &n, &st);
			/* the last entries too: the far end of the levels and pages[] */
			n = 0;
			if (tt.entries > 64)
				tce_table_entries(a, &tt, tt.entries - 64, UINT64_MAX, entry, &n,
						  &st);
			tce_table_at(a, tt.kind, tt.addr, &again);
		}
	}
	for (r = 0; r < TCE_RULE_COUNT; r++)
		tce_analysis_enable(a, r, tce_rule(r)->area == TCE_AREA_TABLES);
	tce_analysis_check(a);
	for (i = 0; (f = tce_finding(a, i)) != NULL; i++)
		;
	for (r = 0; r < TCE_RULE_COUNT; r++)
		tce_rule_outcome(a, r, &reason);
	tce_analysis_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, body);
}
