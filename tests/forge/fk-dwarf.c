// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A vmlinux-like debug file for the forge's kernel: kernel-6.1-types.h (or, for a
 * 6.12-shaped dump, kernel-6.12-types.h) compiled with -g
 * by the ppc64 cross compiler of the dump's byte order, with a definition of each typed
 * variable the kernel has, each in a section of its own that a generated linker script
 * places at the forge's address (so DW_AT_location and the symbol table say where the
 * dump has it), every other symbol of the kernel as an absolute symbol (local for the
 * lowercase types, so static names can repeat, one assembler file per repetition), and
 * the build id fk_build_id() in .note.gnu.build-id, as the dump's BUILD-ID has it.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "fk-int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef FORGE_SRCDIR
#define FORGE_SRCDIR "."
#endif
#ifndef FORGE_CC_LE
#define FORGE_CC_LE ""
#endif
#ifndef FORGE_CC_BE
#define FORGE_CC_BE ""
#endif
#ifndef FORGE_PAHOLE
#define FORGE_PAHOLE ""
#endif

/* The variables the DWARF gives a type: the declaration is pre name suf. */
static const struct {
	const char *name;
	const char *pre, *suf;
} typed[] = {
	{ "vm_list", "struct list_head ", "" },
	{ "hose_list", "struct list_head ", "" },
	{ "modules", "struct list_head ", "" },
	{ "vmemmap", "struct page *", "" },
	{ "vmemmap_list", "struct vmemmap_backing *", "" },
	{ "mmu_psize_defs", "struct mmu_psize_def ", "[MMU_PAGE_COUNT]" },
	{ "mmu_vmemmap_psize", "int ", "" },
	{ "mem_section", "struct mem_section **", "" },
};
#define NTYPED (sizeof(typed) / sizeof(typed[0]))

/* A function with code in the file (fk.c's text symbols): libtce's types.c names it as
 * the home of struct module_sect_attrs, which a vmlinux's DWARF then answers for from
 * the unit of its code */
#define HOME_FN "mod_sysfs_setup"

static int typed_index(const char *name)
{
	size_t i;

	for (i = 0; i < NTYPED; i++)
		if (!strcmp(typed[i].name, name))
			return (int)i;
	return -1;
}

/* The compiler for the dump's byte order: the environment's, else configure's. */
static const char *compiler(const struct fk_opts *o)
{
	bool le = o->endian == FORGE_LE;
	const char *env = getenv(le ? "FORGE_CC_PPC64LE" : "FORGE_CC_PPC64");

	return env ? env : le ? FORGE_CC_LE : FORGE_CC_BE;
}

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? path : ".", prog);
		if (access(buf, X_OK) == 0)
			return true;
		path += n + (colon ? 1 : 0);
	}
	return false;
}

static bool available(const struct fk_opts *o, char *why, size_t len)
{
	bool le = o->endian == FORGE_LE;
	const char *cc = compiler(o);

	if (o->kernel != FK_KERNEL_6_1 && o->kernel != FK_KERNEL_6_12) {
		snprintf(why, len, "the forge's DWARF describes the 6.1 and 6.12 shapes only");
		return false;
	}
	if (!*cc) {
		snprintf(why, len, "no %s cross compiler (configure found none; install %s or "
			 "set %s)", le ? "ppc64le" : "ppc64",
			 le ? "gcc-powerpc64le-linux-gnu" : "gcc-powerpc64-linux-gnu",
			 le ? "FORGE_CC_PPC64LE" : "FORGE_CC_PPC64");
		return false;
	}
	if (!in_path(cc)) {
		snprintf(why, len, "%s is not installed", cc);
		return false;
	}
	return true;
}

/* the declarations of the dump's kernel shape */
static const char *types_header(const struct fk *k)
{
	return fk_opts(k)->kernel == FK_KERNEL_6_12 ? "kernel-6.12-types.h" :
						      "kernel-6.1-types.h";
}

bool fk_dwarf_available(const struct fk *k, char *why, size_t len)
{
	return available(fk_opts(k), why, len);
}

static const char *pahole(void)
{
	const char *env = getenv("FORGE_PAHOLE");

	return env ? env : FORGE_PAHOLE;
}

bool fk_btf_available(const struct fk_opts *o, char *why, size_t len)
{
	if (!available(o, why, len))
		return false;
	if (!*pahole() || !in_path(pahole())) {
		snprintf(why, len, "no pahole to encode BTF (install dwarves or set FORGE_PAHOLE)");
		return false;
	}
	return true;
}

static int run(struct fk *k, char *const argv[], const char *log)
{
	pid_t pid = fork();
	int status, fd;

	if (pid < 0)
		return forge_fail(fk_forge(k), "fork: %s", strerror(errno));
	if (!pid) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return forge_fail(fk_forge(k), "waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char msg[600] = "";
		FILE *f = fopen(log, "r");

		if (f) {
			size_t n = fread(msg, 1, sizeof(msg) - 1, f);

			msg[n] = 0;
			fclose(f);
		}
		return forge_fail(fk_forge(k), "%s failed: %s", argv[0], msg);
	}
	return 0;
}

static void cleanup(const char *dir, unsigned nfiles)
{
	static const char *const fixed[] = { "vars.c", "link.lds", "log" };
	char p[600];
	unsigned i;

	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, fixed[i]);
		unlink(p);
	}
	for (i = 0; i < nfiles; i++) {
		snprintf(p, sizeof(p), "%s/syms%u.s", dir, i);
		unlink(p);
	}
	rmdir(dir);
}

int fk_dwarf_write(struct fk *k, const char *path)
{
	char why[300], dir[512], vars[600], lds[600], log[600], bid[64], *srcs[64];
	const char *tmp = getenv("TMPDIR"), *cc = compiler(fk_opts(k));
	unsigned n = fk_symbol_count(k), i, j, nasm = 0;
	FILE *fv = NULL, *fl = NULL;
	int ret = -1;

	if (!fk_dwarf_available(k, why, sizeof(why)))
		return forge_fail(fk_forge(k), "%s", why);
	snprintf(dir, sizeof(dir), "%s/fk-dwarf-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return forge_fail(fk_forge(k), "mkdtemp %s: %s", dir, strerror(errno));
	snprintf(vars, sizeof(vars), "%s/vars.c", dir);
	snprintf(lds, sizeof(lds), "%s/link.lds", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	fv = fopen(vars, "w");
	fl = fopen(lds, "w");
	if (!fv || !fl) {
		forge_fail(fk_forge(k), "cannot write in %s", dir);
		goto out;
	}
	fprintf(fv, "/* generated by the forge (fk_dwarf_write) */\n"
		    "#include \"%s/%s\"\n", FORGE_SRCDIR, types_header(k));
	fprintf(fl, "/* generated by the forge (fk_dwarf_write) */\nENTRY(_stext)\nSECTIONS\n{\n");
	for (i = 0; i < n; i++) {
		const char *name;
		uint64_t kva;
		char type;
		int t;

		if (fk_symbol_get(k, i, &name, &kva, &type))
			goto out;
		if (!strcmp(name, HOME_FN)) {
			/* code, with DWARF: the symbol is its entry (ELF v2), or its
			 * descriptor in .opd, the code past the notes (ELF v1) */
			fprintf(fv, "__attribute__((section(\".fk.text\"), used)) int %s(void)\n"
				    "{\n\treturn 0;\n}\n", name);
			if (fk_opts(k)->endian == FORGE_LE)
				fprintf(fl, "  .fk.text 0x%llx : { KEEP(*(.fk.text)) }\n",
					(unsigned long long)kva);
			else
				fprintf(fl, "  .opd 0x%llx : { KEEP(*(.opd)) }\n"
					    "  .fk.text 0xc000000000a80000 : { KEEP(*(.fk.text)) }\n",
					(unsigned long long)kva);
			continue;
		}
		t = typed_index(name);
		if (t < 0)
			continue;
		fprintf(fv, "__attribute__((section(\".fk.%s\"), used)) ", name);
		fprintf(fv, "%s%s%s;\n", typed[t].pre, name, typed[t].suf);
		fprintf(fl, "  .fk.%s 0x%llx : { KEEP(*(.fk.%s)) }\n", name,
			(unsigned long long)kva, name);
	}
	/* the build id note where a vmlinux keeps its notes: in the text, past _etext */
	fprintf(fl, "  .notes 0xc000000000b00000 : { *(.note.gnu.build-id) }\n"
		    "  .fk.syms 0xc000000000b01000 : { *(.fk.syms*) }\n"
		    "  /DISCARD/ : { *(.comment) *(.eh_frame) *(.note.GNU-stack) }\n}\n");
	/* the untyped symbols, the k-th repetition of a name in file syms<k>.s */
	for (;; nasm++) {
		char sp[600];
		FILE *fs;
		bool any = false;

		for (i = 0; i < n; i++) {
			const char *name, *other;
			uint64_t kva, okva;
			char type, otype;
			unsigned rep = 0;

			if (fk_symbol_get(k, i, &name, &kva, &type) || typed_index(name) >= 0 ||
			    !strcmp(name, HOME_FN))
				continue;
			for (j = 0; j < i; j++)
				if (!fk_symbol_get(k, j, &other, &okva, &otype) &&
				    !strcmp(other, name))
					rep++;
			if (rep == nasm)
				any = true;
		}
		if (!any)
			break;
		if (nasm >= 60) {
			forge_fail(fk_forge(k), "a symbol name repeats more than 60 times");
			goto out;
		}
		snprintf(sp, sizeof(sp), "%s/syms%u.s", dir, nasm);
		fs = fopen(sp, "w");
		if (!fs) {
			forge_fail(fk_forge(k), "cannot write %s", sp);
			goto out;
		}
		/* ld keeps an object's local absolute symbols only when it keeps one of
		 * its sections: one byte each, placed past the notes */
		fprintf(fs, "\t.section .fk.syms%u,\"a\"\n\t.byte 0\n", nasm);
		for (i = 0; i < n; i++) {
			const char *name, *other;
			uint64_t kva, okva;
			char type, otype;
			unsigned rep = 0;

			if (fk_symbol_get(k, i, &name, &kva, &type) || typed_index(name) >= 0 ||
			    !strcmp(name, HOME_FN))
				continue;
			for (j = 0; j < i; j++)
				if (!fk_symbol_get(k, j, &other, &okva, &otype) &&
				    !strcmp(other, name))
					rep++;
			if (rep != nasm)
				continue;
			if (type >= 'A' && type <= 'Z')
				fprintf(fs, "\t.globl %s\n", name);
			fprintf(fs, "\t.type %s, %s\n\t.set %s, 0x%llx\n", name,
				type == 'T' || type == 't' || type == 'W' || type == 'w'
					? "@function" : "@object",
				name, (unsigned long long)kva);
		}
		fclose(fs);
	}
	fclose(fv);
	fclose(fl);
	fv = fl = NULL;

	snprintf(bid, sizeof(bid), "--build-id=0x%s", fk_build_id(k));
	{
		char tflag[700], outp[4096];
		char *argv[32 + 64];
		unsigned a = 0;

		snprintf(tflag, sizeof(tflag), "-Wl,-T,%s", lds);
		snprintf(outp, sizeof(outp), "%s", path);
		argv[a++] = (char *)cc;
		argv[a++] = "-g";
		argv[a++] = "-O0";
		argv[a++] = "-fno-eliminate-unused-debug-types";
		argv[a++] = "-fno-common";
		if (fk_opts(k)->kvm_modular)
			argv[a++] = "-DFK_MODULE_TYPES_ONLY_IN_KO";
		argv[a++] = "-nostdlib";
		argv[a++] = "-static";
		argv[a++] = "-no-pie";
		argv[a++] = tflag;
		argv[a++] = "-Wl,--no-warn-rwx-segments";
		{
			static char wl_bid[80];

			snprintf(wl_bid, sizeof(wl_bid), "-Wl,%s", bid);
			argv[a++] = wl_bid;
		}
		argv[a++] = "-o";
		argv[a++] = outp;
		argv[a++] = vars;
		for (i = 0; i < nasm; i++) {
			srcs[i] = malloc(600);
			if (!srcs[i]) {
				while (i--)
					free(srcs[i]);
				forge_fail(fk_forge(k), "out of memory");
				goto out;
			}
			snprintf(srcs[i], 600, "%s/syms%u.s", dir, i);
			argv[a++] = srcs[i];
		}
		argv[a] = NULL;
		ret = run(k, argv, log);
		for (i = 0; i < nasm; i++)
			free(srcs[i]);
	}
out:
	if (fv)
		fclose(fv);
	if (fl)
		fclose(fl);
	cleanup(dir, nasm + 1);
	return ret;
}

int fk_module_dwarf_write(struct fk *k, uint64_t mod, const char *path, const char *build_id)
{
	char why[300], dir[512], src[600], log[600], bid[80], outp[4096];
	const char *tmp = getenv("TMPDIR"), *cc = compiler(fk_opts(k)), *own, *name;
	FILE *f;
	int ret = -1;

	if (!fk_dwarf_available(k, why, sizeof(why)))
		return forge_fail(fk_forge(k), "%s", why);
	snprintf(dir, sizeof(dir), "%s/fk-module-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return forge_fail(fk_forge(k), "mkdtemp %s: %s", dir, strerror(errno));
	snprintf(src, sizeof(src), "%s/module.c", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	f = fopen(src, "w");
	if (!f) {
		forge_fail(fk_forge(k), "cannot write %s", src);
		goto out;
	}
	fprintf(f, "/* generated by the forge (fk_module_dwarf_write) */\n"
		   "#include \"%s/%s\"\n", FORGE_SRCDIR, types_header(k));
	if (fk_module_source(k, mod, f, &own, &name)) {
		fclose(f);
		goto out;
	}
	fclose(f);
	snprintf(bid, sizeof(bid), "-Wl,--build-id=0x%s", build_id ? build_id : own);
	snprintf(outp, sizeof(outp), "%s", path);
	{
		/* a relocatable object, as a .ko is: its sections get their addresses from
		 * the loader, and its DWARF needs relocating to them */
		char *argv[] = {
			(char *)cc, "-g", "-O0", "-fno-eliminate-unused-debug-types",
			"-fno-common", "-fno-toplevel-reorder", "-nostdlib", "-r", bid, "-o",
			outp, src, NULL,
		};

		ret = run(k, argv, log);
	}
out:
	unlink(src);
	unlink(log);
	rmdir(dir);
	return ret;
}

/*
 * CONFIG_DEBUG_INFO_BTF: the BTF pahole encodes from the forge's DWARF (as the kernel
 * build's link-vmlinux.sh does with pahole -J), in kernel data between __start_BTF and
 * __stop_BTF ('R' symbols, as vmlinux.lds has them), in the dump's byte order.  Called
 * by fk_new() for fk_opts.btf, before anything else can ask for the build id.
 */
int fk_btf_embed(struct fk *k)
{
	char why[300], dir[512], vml[600], btf[600], log[600], arg[700];
	const char *tmp = getenv("TMPDIR");
	uint8_t *buf = NULL;
	uint64_t phys;
	long size;
	FILE *f;
	int ret = -1;

	if (!fk_btf_available(fk_opts(k), why, sizeof(why)))
		return forge_fail(fk_forge(k), "BTF: %s", why);
	snprintf(dir, sizeof(dir), "%s/fk-btf-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return forge_fail(fk_forge(k), "mkdtemp %s: %s", dir, strerror(errno));
	snprintf(vml, sizeof(vml), "%s/vmlinux", dir);
	snprintf(btf, sizeof(btf), "%s/btf", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	snprintf(arg, sizeof(arg), "--btf_encode_detached=%s", btf);
	if (fk_dwarf_write(k, vml))
		goto out;
	{
		char *argv[] = { (char *)pahole(), arg, vml, NULL };

		if (run(k, argv, log))
			goto out;
	}
	f = fopen(btf, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		if (f)
			fclose(f);
		forge_fail(fk_forge(k), "pahole wrote no BTF");
		goto out;
	}
	buf = malloc((size_t)size);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		forge_fail(fk_forge(k), "cannot read %s", btf);
		goto out;
	}
	fclose(f);
	phys = fk_alloc(k, (size_t)size, 8);
	if (!phys || forge_write(fk_forge(k), phys, buf, (size_t)size) ||
	    fk_symbol_add(k, "__start_BTF", fk_kva(phys), 'R') ||
	    fk_symbol_add(k, "__stop_BTF", fk_kva(phys) + (uint64_t)size, 'R'))
		goto out;
	ret = 0;
out:
	free(buf);
	unlink(vml);
	unlink(btf);
	unlink(log);
	rmdir(dir);
	return ret;
}
