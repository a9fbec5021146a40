// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tce-forge: writes one named synthetic ppc64 vmcore (scenario.c) for shell tests and
 * for trying tce-inspect by hand.  --list prints every scenario with its description
 * and its facts (pfns of interest, entry positions, sizes) for the options given, one
 * scenario a line, so that a script can pick the values it checks against; a scenario
 * the options rule out (one that faults vmemmap_list, with --kernel 6.12 --radix)
 * shows n/a="..." instead of facts.  --kallsyms and --debuginfo add kallsyms and the
 * forge's build id to any scenario; --vmlinux-out writes the matching DWARF file,
 * --modules-tree the modules' .ko files;
 * --entries prints the ground truth of the table scenarios (every valid TCE).
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include "scale.h"
#include "scenario.h"

#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct args {
	struct fk_opts o;
	bool list;
	bool verbose;
	bool entries;
	const char *scenario;
	const char *out;
	const char *vmlinux_out;
	const char *modules_tree;
	uint64_t scale;
	const char *manifest;
	unsigned qemu;          /* forge_fault bits of --qemu */
};

static const struct argp_option options[] = {
	{ "endian", 'e', "le|be", 0, "byte order of the dump (default le)", 0 },
	{ "page-size", 'p', "4k|64k", 0, "kernel page size (default 64k)", 0 },
	{ "struct-page-size", 's', "N", 0, "SIZE(page): 56, 64 or 80 (default 64)", 0 },
	{ "radix", 'r', NULL, 0, "radix MMU: 2M vmemmap blocks and page tables", 0 },
	{ "kernel", 'k', "6.1|6.12", 0, "the kernel whose shape the dump takes: Debian 12's "
	  "6.1 (default) or Debian 13's 6.12 (radix without vmemmap_list; hash with 4K "
	  "pages in 4K blocks at 0xc0003f0000000000)", 0 },
	{ "kallsyms", 'K', "all|text", 0, "kallsyms tables in memory and in VMCOREINFO: "
	  "every symbol (KALLSYMS_ALL) or text symbols only (Debian's config)", 0 },
	{ "debuginfo", 'g', NULL, 0, "BUILD-ID names the forge's vmlinux (the table "
	  "scenarios always do)", 0 },
	{ "btf", 'B', NULL, 0, "BTF of the kernel's structures (6.1 or 6.12, --kernel) in "
	  "memory between __start_BTF and __stop_BTF (CONFIG_DEBUG_INFO_BTF); needs the "
	  "cross compiler and pahole", 0 },
	{ "vmlinux-out", 'V', "FILE", 0, "also write the vmlinux-like debug file (DWARF "
	  "of the 6.1 or 6.12 structures, as --kernel says, symbols, build id) matching the "
	  "dump; needs powerpc64le-linux-gnu-gcc (powerpc64-linux-gnu-gcc for --endian be)",
	  0 },
	{ "modules-tree", 'T', "DIR", 0, "also write each module's .ko with its DWARF (the "
	  "table scenarios' kvm and kvm_hv) as a debug tree has them: "
	  "DIR/lib/modules/REL/kernel/arch/powerpc/kvm/NAME.ko; needs what --vmlinux-out "
	  "needs", 0 },
	{ "entries", 'E', NULL, 0, "print every TCE a table scenario wrote, one a line: "
	  "table entry tce target pfn|gpa [host_pfn=P|none for gpa]", 0 },
	{ "scale", 'S', "1m|4m|16m|N", 0, "write the scale profile (scale.h: a 1 TiB KVM "
	  "host with N valid TCEs, only the memory a check reads in the file) to OUT "
	  "instead of a scenario; --radix for 2M vmemmap blocks, else hash with 16M", 0 },
	{ "manifest", 'M', "FILE", 0, "with --scale: write the forge's record of the "
	  "memory a check reads (bench/)", 0 },
	{ "guest-note", 'N', NULL, 0, "the kernel's VMCOREINFO note in guest memory too, "
	  "in pages of its own (as a real kernel keeps it; --verbose prints "
	  "vmcoreinfo_note=ADDR)", 0 },
	{ "qemu", 'Q', "FORM", OPTION_ARG_OPTIONAL, "write the file as QEMU's "
	  "dump-guest-memory does (headers big-endian, QEMU's CORE notes, no VMCOREINFO "
	  "note but the one in guest memory, p_vaddr = p_paddr); FORM (comma-separated) "
	  "adds a fault: le-headers (headers little-endian), no-note (none in memory "
	  "either), two-notes (a second, different note in memory), stale-note (the "
	  "note names another release than init_uts_ns), shdr-file-order (the section "
	  "headers in the file's byte order; QEMU 7.2 writes them in its host's, "
	  "little-endian on x86, as the form does by default)", 0 },
	{ "list", 'l', NULL, 0, "list scenarios with their facts and exit", 0 },
	{ "verbose", 'v', NULL, 0, "print the scenario's facts after writing it", 0 },
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct args *a = state->input;
	char *end;

	switch (key) {
	case 'e':
		if (!strcmp(arg, "le"))
			a->o.endian = FORGE_LE;
		else if (!strcmp(arg, "be"))
			a->o.endian = FORGE_BE;
		else
			argp_error(state, "--endian must be le or be");
		break;
	case 'p':
		if (!strcmp(arg, "4k"))
			a->o.page_shift = 12;
		else if (!strcmp(arg, "64k"))
			a->o.page_shift = 16;
		else
			argp_error(state, "--page-size must be 4k or 64k");
		break;
	case 's':
		a->o.struct_page_size = (unsigned)strtoul(arg, &end, 10);
		if (*end || (a->o.struct_page_size != 56 && a->o.struct_page_size != 64 &&
			     a->o.struct_page_size != 80))
			argp_error(state, "--struct-page-size must be 56, 64 or 80");
		break;
	case 'r':
		a->o.radix = true;
		break;
	case 'k':
		if (!strcmp(arg, "6.1"))
			a->o.kernel = FK_KERNEL_6_1;
		else if (!strcmp(arg, "6.12"))
			a->o.kernel = FK_KERNEL_6_12;
		else
			argp_error(state, "--kernel must be 6.1 or 6.12");
		break;
	case 'K':
		if (!strcmp(arg, "all"))
			a->o.kallsyms = FK_KALLSYMS_ALL;
		else if (!strcmp(arg, "text"))
			a->o.kallsyms = FK_KALLSYMS_TEXT;
		else
			argp_error(state, "--kallsyms must be all or text");
		break;
	case 'g':
		a->o.debuginfo = true;
		break;
	case 'B':
		a->o.btf = true;
		break;
	case 'V':
		a->vmlinux_out = arg;
		break;
	case 'T':
		a->modules_tree = arg;
		break;
	case 'S':
		a->scale = strtoull(arg, &end, 10);
		if (*end == 'm' || *end == 'M') {
			a->scale <<= 20;
			end++;
		}
		if (*end || !a->scale)
			argp_error(state, "--scale must be a count, e.g. 1m, 4m or 16m");
		break;
	case 'M':
		a->manifest = arg;
		break;
	case 'E':
		a->entries = true;
		break;
	case 'N':
		a->o.guest_note = true;
		break;
	case 'Q': {
		char *dup = strdup(arg ? arg : ""), *tok, *save = NULL;

		a->qemu = FORGE_FAULT_QEMU;
		a->o.guest_note = true;
		for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, "le-headers"))
				a->qemu |= FORGE_FAULT_QEMU_LE_HEADERS;
			else if (!strcmp(tok, "no-note"))
				a->qemu |= FORGE_FAULT_QEMU_NO_NOTE;
			else if (!strcmp(tok, "two-notes"))
				a->qemu |= FORGE_FAULT_QEMU_TWO_NOTES;
			else if (!strcmp(tok, "stale-note"))
				a->qemu |= FORGE_FAULT_QEMU_STALE_NOTE;
			else if (!strcmp(tok, "shdr-file-order"))
				a->qemu |= FORGE_FAULT_QEMU_SHDR_FILE_ORDER;
			else
				argp_error(state, "--qemu: unknown form '%s'", tok);
		}
		free(dup);
		break;
	}
	case 'l':
		a->list = true;
		break;
	case 'v':
		a->verbose = true;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0 && a->scale)
			a->out = arg;
		else if (state->arg_num == 0)
			a->scenario = arg;
		else if (state->arg_num == 1)
			a->out = arg;
		else
			argp_error(state, "too many arguments");
		break;
	case ARGP_KEY_END:
		if (!a->list && !(a->scale && a->out) && (!a->scenario || !a->out))
			argp_error(state, "need SCENARIO and OUT.vmcore (or --list)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void print_facts(const struct forge_scenario_result *r)
{
	unsigned i;

	for (i = 0; i < r->nfacts; i++)
		printf(" %s=%#llx", r->facts[i].name, (unsigned long long)r->facts[i].value);
}

static int list(const struct fk_opts *o)
{
	struct forge_scenario_result r;
	char err[512];
	unsigned i;
	int ret = 0;

	for (i = 0; i < forge_scenario_count(); i++) {
		const char *name = forge_scenario_name(i);

		printf("%s\t%s\t", name, forge_scenario_desc(i));
		if (!forge_scenario_supported(i, o)) {
			printf(" n/a=\"%s\"\n", forge_scenario_why_not(i, o));
			continue;
		}
		if (forge_scenario_build(name, o, &r, err, sizeof(err))) {
			printf(" error=\"%s\"\n", err);
			ret = 1;
			continue;
		}
		print_facts(&r);
		printf("\n");
		forge_scenario_release(&r);
	}
	return ret;
}

/* --modules-tree: the .ko of each module the scenario's facts name (module.NAME) */
static int modules_tree(const struct forge_scenario_result *r, const char *dir)
{
	const char *rel = fk_opts(r->k)->release;
	char path[4096], *p;
	unsigned i, n = 0;

	snprintf(path, sizeof(path), "%s/lib/modules/%s/kernel/arch/powerpc/kvm", dir, rel);
	for (p = path + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	if (mkdir(path, 0755) && errno != EEXIST) {
		fprintf(stderr, "tce-forge: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (i = 0; i < r->nfacts; i++) {
		const char *name = r->facts[i].name;
		char file[256], *c;

		if (strncmp(name, "module.", 7) || strchr(name + 7, '.'))
			continue;
		/* kbuild names the file with '-', the module with '_' */
		snprintf(file, sizeof(file), "%s", name + 7);
		for (c = file; *c; c++)
			if (*c == '_')
				*c = '-';
		snprintf(path, sizeof(path), "%s/lib/modules/%s/kernel/arch/powerpc/kvm/%s.ko",
			 dir, rel, file);
		if (fk_module_dwarf_write(r->k, r->facts[i].value, path, NULL)) {
			fprintf(stderr, "tce-forge: %s: %s\n", path,
				forge_errmsg(fk_forge(r->k)));
			return 1;
		}
		n++;
	}
	if (!n) {
		fprintf(stderr, "tce-forge: --modules-tree: the scenario has no modules\n");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp argp = {
		options, parse, "SCENARIO OUT.vmcore",
		"Write a synthetic ppc64 Linux vmcore (see --list for the scenarios).",
		NULL, NULL, NULL
	};
	struct args a = { .o = { .endian = FORGE_LE, .page_shift = 16 } };
	struct forge_scenario_result r;
	char err[512];

	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (a.list)
		return list(&a.o);
	if (a.scale) {
		struct forge_scale_opts so = { .valid = a.scale, .radix = a.o.radix,
					       .endian = a.o.endian };

		if (forge_scale_write(&so, a.out, a.vmlinux_out, a.manifest, err,
				      sizeof(err))) {
			fprintf(stderr, "tce-forge: --scale: %s\n", err);
			return 1;
		}
		return 0;
	}
	if (forge_scenario_build(a.scenario, &a.o, &r, err, sizeof(err))) {
		fprintf(stderr, "tce-forge: %s: %s\n", a.scenario, err);
		return 1;
	}
	r.wopts.faults |= a.qemu;
	if (fk_write_file(r.k, a.out, &r.wopts)) {
		fprintf(stderr, "tce-forge: %s: %s\n", a.scenario, forge_errmsg(fk_forge(r.k)));
		forge_scenario_release(&r);
		return 1;
	}
	if (a.vmlinux_out && fk_dwarf_write(r.k, a.vmlinux_out)) {
		fprintf(stderr, "tce-forge: %s: %s\n", a.vmlinux_out, forge_errmsg(fk_forge(r.k)));
		forge_scenario_release(&r);
		return 1;
	}
	if (a.modules_tree && modules_tree(&r, a.modules_tree)) {
		forge_scenario_release(&r);
		return 1;
	}
	if (a.verbose) {
		printf("%s", a.scenario);
		print_facts(&r);
		if (fk_vmcoreinfo_note(r.k))
			printf(" vmcoreinfo_note=%#llx",
			       (unsigned long long)fk_vmcoreinfo_note(r.k));
		printf("\n");
	}
	if (a.entries) {
		unsigned i;

		for (i = 0; i < r.ntces; i++) {
			printf("%#llx %#llx %#llx %#llx %s", (unsigned long long)r.tces[i].table,
			       (unsigned long long)r.tces[i].entry,
			       (unsigned long long)r.tces[i].tce,
			       (unsigned long long)r.tces[i].target,
			       r.tces[i].guest_view ? "gpa" : "pfn");
			if (r.tces[i].guest_view && r.tces[i].host_pfn != FORGE_NO_PFN)
				printf(" host_pfn=%#llx", (unsigned long long)r.tces[i].host_pfn);
			else if (r.tces[i].guest_view)
				printf(" host_pfn=none");
			printf("\n");
		}
	}
	forge_scenario_release(&r);
	return 0;
}
