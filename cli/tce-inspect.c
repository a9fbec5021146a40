// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tce-inspect: the command line.  One argp parser reads the options before COMMAND,
 * then COMMAND's own parser reads the rest (its options and arguments), so that every
 * command has its own --help and options may come before or after it.  Usage errors
 * are one line on stderr and exit 2; the commands do the rest.
 */
#include "config.h"

#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_version(FILE *f, struct argp_state *state)
{
	(void)state;
	fprintf(f, "%s (libtce %s)\n", PACKAGE_STRING, tce_version_string());
}

void (*argp_program_version_hook)(FILE *, struct argp_state *) = print_version;
const char *argp_program_bug_address = PACKAGE_BUGREPORT;

enum { OPT_FAIL_ON = 256, OPT_LIMIT, OPT_DEBUG_DIR, OPT_NO_DEBUGINFOD, OPT_TABLE, OPT_KIND,
       OPT_RANGE, OPT_RULES, OPT_DISABLE, OPT_BASELINE, OPT_STRICT, OPT_MODEL,
       OPT_SAMPLES };

/* the options, as each command's help describes them */
#define OPTION_FORMAT { "format", 'f', "FMT", 0, "Output format: text (default) or json", 0 }
#define OPTION_FAIL_ON                                                                 \
	{ "fail-on", OPT_FAIL_ON, "LEVEL", 0,                                          \
	  "Exit 1 if a finding at or above LEVEL (info, warning, error; default error) " \
	  "is reported", 0 }
#define OPTION_HELP_H { NULL, 'h', NULL, OPTION_HIDDEN, "Give this help list", -1 }
#define OPTIONS_TYPES                                                                  \
	{ "vmlinux", 's', "FILE", 0,                                                   \
	  "The vmlinux (or its .debug file) with DWARF for the dump's kernel; refused if "\
	  "it is another build", 0 },                                                  \
	{ "debug-dir", OPT_DEBUG_DIR, "DIR", 0,                                        \
	  "Look for DWARF in DIR, laid out like /usr/lib/debug (boot/vmlinux-REL, "    \
	  ".build-id/), instead of /usr/lib/debug", 0 },                               \
	{ "no-debuginfod", OPT_NO_DEBUGINFOD, NULL, 0,                                 \
	  "Do not ask debuginfod servers, even if DEBUGINFOD_URLS is set", 0 }

static const struct argp_option info_options[] = {
	OPTION_FORMAT,
	OPTIONS_TYPES,
	OPTION_HELP_H,
	{ 0 }
};

static const struct argp_option types_options[] = {
	OPTION_FORMAT,
	OPTIONS_TYPES,
	OPTION_HELP_H,
	{ 0 }
};

#define OPTIONS_TABLE                                                                  \
	{ "table", OPT_TABLE, "ADDR", 0,                                               \
	  "Only the table whose structure (iommu_table or kvmppc_spapr_tce_table) is "  \
	  "at kernel address ADDR", 0 },                                               \
	{ "kind", OPT_KIND, "KIND", 0,                                                 \
	  "Read --table's ADDR as KIND (kvm or iommu) even if the search did not "     \
	  "find it there", 0 }

static const struct argp_option tables_options[] = {
	OPTION_FORMAT,
	OPTIONS_TABLE,
	OPTIONS_TYPES,
	OPTION_HELP_H,
	{ 0 }
};

static const struct argp_option entries_options[] = {
	OPTION_FORMAT,
	OPTIONS_TABLE,
	{ "range", OPT_RANGE, "A-B", 0,
	  "Only entries whose bus addresses lie in A..B (both included; decimal or "
	  "0x-hex)", 0 },
	OPTIONS_TYPES,
	OPTION_HELP_H,
	{ 0 }
};

static const struct argp_option check_options[] = {
	{ "format", 'f', "FMT", 0, "Output format: text (default), json, junit or html", 0 },
	{ "output", 'o', "FILE", 0, "Write to FILE instead of standard output", 0 },
	OPTION_FAIL_ON,
	{ "rules", OPT_RULES, "LIST", 0,
	  "Run only these rules: ids or shell patterns, comma-separated "
	  "(TCE-DMA-FREED,TCE-KVM-*)", 0 },
	{ "disable", OPT_DISABLE, "LIST", 0, "Do not run these rules (ids or patterns)", 0 },
	{ "baseline", OPT_BASELINE, "FILE", 0,
	  "Accept the findings FILE lists (the output of check --format json) by rule "
	  "and key: they are reported as baselined and do not fail the run", 0 },
	{ "strict", OPT_STRICT, NULL, 0,
	  "A rule that cannot decide (unknown) fails the run too", 0 },
	{ "model", OPT_MODEL, "LIST", 0,
	  "The dump's kernel follows these models too (comma-separated; seed2013: "
	  "this project's series, one page reference per real-mode TCE), so the rules "
	  "that assume them run", 0 },
	{ "samples", OPT_SAMPLES, "N", 0,
	  "Read the dump N times (default 1), each time afresh: a finding not seen in "
	  "every sample is a race, reported as one and never failing the run (for "
	  "/proc/kcore, whose memory changes while it is read)", 0 },
	OPTIONS_TYPES,
	OPTION_HELP_H,
	{ 0 }
};

static const struct argp_option vmemmap_options[] = {
	OPTION_FORMAT,
	OPTION_FAIL_ON,
	{ "limit", OPT_LIMIT, "N", 0,
	  "Text lists at most N blocks (default 64; 0: all); JSON lists all", 0 },
	OPTION_HELP_H,
	{ 0 }
};

/* diff's options of one dump: OLD's and NEW's, for dumps of two kernel builds */
enum { OPT_OLD_VMLINUX = 512, OPT_NEW_VMLINUX, OPT_OLD_DEBUG_DIR, OPT_NEW_DEBUG_DIR,
       OPT_OLD_MODEL, OPT_NEW_MODEL };

static const struct argp_option diff_options[] = {
	OPTION_FORMAT,
	{ "fail-on", OPT_FAIL_ON, "LEVEL", 0,
	  "Exit 1 if a finding at or above LEVEL (info, warning, error; default error) "
	  "appeared in NEW", 0 },
	{ "strict", OPT_STRICT, NULL, 0,
	  "A rule that decided on OLD and cannot decide on NEW fails the run too", 0 },
	{ "rules", OPT_RULES, "LIST", 0, "Run only these rules on both dumps (ids or "
	  "patterns)", 0 },
	{ "disable", OPT_DISABLE, "LIST", 0, "Do not run these rules (ids or patterns)", 0 },
	{ "model", OPT_MODEL, "LIST", 0, "Both kernels follow these models (seed2013)", 0 },
	{ "limit", OPT_LIMIT, "N", 0,
	  "Text lists at most N changed entries a table (default 64; 0: all); the "
	  "counts are whole, JSON lists all", 0 },
	OPTIONS_TYPES,
	{ "old-vmlinux", OPT_OLD_VMLINUX, "FILE", 0, "OLD's vmlinux (instead of -s)", 1 },
	{ "old-debug-dir", OPT_OLD_DEBUG_DIR, "DIR", 0, "OLD's debug tree (instead of "
	  "--debug-dir)", 1 },
	{ "old-model", OPT_OLD_MODEL, "LIST", 0, "OLD's kernel models (instead of --model; "
	  "'none' for none)", 1 },
	{ "new-vmlinux", OPT_NEW_VMLINUX, "FILE", 0, "NEW's vmlinux (instead of -s)", 1 },
	{ "new-debug-dir", OPT_NEW_DEBUG_DIR, "DIR", 0, "NEW's debug tree", 1 },
	{ "new-model", OPT_NEW_MODEL, "LIST", 0, "NEW's kernel models", 1 },
	OPTION_HELP_H,
	{ 0 }
};

static const struct argp_option page_options[] = {
	OPTION_FORMAT,
	OPTION_FAIL_ON,
	{ "limit", OPT_LIMIT, "N", 0,
	  "List at most N pfns in all (default 16777216; 0: no limit): asking for more "
	  "is a usage error", 0 },
	OPTION_HELP_H,
	{ 0 }
};

static const struct argp_option rules_options[] = {
	OPTION_FORMAT,
	OPTION_HELP_H,
	{ 0 }
};

static const struct argp_option repair_options[] = {
	OPTION_HELP_H,
	{ 0 }
};

static const struct argp_option help_options[] = {
	OPTION_HELP_H,
	{ 0 }
};

static int cmd_help(struct cli *c);

static const struct command {
	const char *name;
	const char *synopsis;      /* the global help's list */
	const char *summary;
	const char *args_doc;
	const char *doc;
	const struct argp_option *options;
	unsigned opts;             /* CLI_OPT_* it takes */
	size_t min_args, max_args;
	int (*run)(struct cli *c);
} commands[] = {
	{
		"info", "info [DUMP]",
		"what the dump is: kernel release, architecture, byte order, page size, "
		"format, MMU, and which type information it carries",
		"[DUMP]",
		"What the dump is: kernel release, architecture, byte order, page size, dump "
		"format, the MMU (hash or radix: what the kernel says in VMCOREINFO, else "
		"what its page tables show), whether the file was cut short, and which type "
		"information there is (VMCOREINFO, DWARF of a vmlinux, BTF and kallsyms in "
		"memory; "
		"see 'tce-inspect help types')."
		"\v"
		"Nothing is walked or checked: info answers at once, also on a dump that "
		"vmemmap finds faults in.  Without DUMP, or with DUMP '@sample', the sample "
		"built into tce-inspect is read.",
		info_options, CLI_OPT_FORMAT | CLI_OPT_TYPES, 0, 1, cmd_info,
	},
	{
		"types", "types DUMP [QUERY...]",
		"the dump's type information: where it comes from, and the address of a "
		"symbol, the size of a type or the offset of a member",
		"DUMP [QUERY...]",
		"Where the dump's type information comes from: VMCOREINFO, the DWARF of a "
		"vmlinux (the file -s names, else the debug tree by release and by build "
		"id, else debuginfod), the BTF of a CONFIG_DEBUG_INFO_BTF kernel in the "
		"dump's memory (when no DWARF is found), and the kallsyms tables in the "
		"dump's memory.  Then, "
		"for each QUERY, the answer of the first that knows: a symbol's address "
		"(QUERY: a name), a type's size ('struct kvm', 'union x' or a typedef "
		"name), or a member's offset and size ('struct kvm.arch.spapr_tce_tables').  "
		"A type the kernel defines in a module or deep in vmlinux (KVM's TCE "
		"tables, VFIO's containers, struct module_sect_attrs) is asked first of "
		"the file holding a function of its source file; vmlinux's DWARF then "
		"answers from that function's own unit of DWARF."
		"\v"
		"A vmlinux is used only if its GNU build id is the one the dump's VMCOREINFO "
		"records (BUILD-ID); a named one that is not is refused (exit 3).  A query "
		"no source answers is listed with the reason and makes the exit status 1.  "
		"On Debian the DWARF of a kernel is in the package linux-image-REL-dbg.",
		types_options, CLI_OPT_FORMAT | CLI_OPT_TYPES, 1, SIZE_MAX, cmd_types,
	},
	{
		"check", "check [DUMP...]",
		"every rule over the whole dump, for CI: findings and outcomes as text, "
		"JSON, JUnit or an HTML picture of every DMA window, and a baseline of "
		"known findings",
		"[DUMP...]",
		"Runs every rule (see 'tce-inspect rules') over the dump: vmemmap_list and "
		"the translations of pfn to struct page, every TCE table the search finds "
		"('tce-inspect tables') and every valid entry with the host page behind it. "
		" Prints the findings, then each rule's outcome: pass, fail, unknown (the "
		"dump cannot decide: the reason is given) or not applicable.  A rule that "
		"assumes a kernel model of its own runs only when --model names it "
		"(seed2013: this project's series, TCE-SEED-REFS)."
		"\v"
		"Findings carry semantic keys (a table's identity and a bus address, a pfn, "
		"never a raw kernel pointer), so --baseline FILE, the JSON of an earlier "
		"run, accepts the same findings on another dump of the same host.  --format "
		"junit writes one testcase a rule (a failure for new findings at or above "
		"--fail-on, skipped with the reason for unknown and not applicable rules).  "
		"--format html writes one self-contained page (-o FILE): per table a strip "
		"of its window coloured by the state of the page behind each valid entry "
		"(healthy, free, not pinned, unknown, finding), zoomable, with the findings "
		"beside it linked to their cells.  "
		"Exit status: 0 no new finding at or above --fail-on (default error); 1 "
		"some (with --strict: also a rule that could not decide); 2 usage error; 3 "
		"the dump cannot be read.  Progress goes to stderr when it is a terminal.\n\n"
		"Several dumps are checked one after the other, each whatever the one before "
		"gave, and the worst status wins; with --format json each dump's document "
		"is one line (JSON Lines), for a fleet's runner (xargs -P, GNU parallel, a "
		"CI matrix) to collect.",
		check_options, CLI_OPT_FORMAT | CLI_OPT_FAIL_ON | CLI_OPT_TYPES |
		CLI_OPT_CHECK | CLI_OPT_JUNIT | CLI_OPT_OUTPUT, 0, SIZE_MAX, cmd_check,
	},
	{
		"tables", "tables [DUMP]",
		"every TCE table in the dump: kind, id, window, IOMMU page size, levels, "
		"valid entries, owner and where it was found",
		"[DUMP]",
		"Every TCE table the dump holds, one line a table: its kind (kvm: a guest's "
		"view of its DMA window, the struct kvmppc_spapr_tce_table of a LIOBN; "
		"iommu: a struct iommu_table, the hardware's table on powernv or an LPAR's "
		"window on pseries), its address, owner (the VMM's pid, the kernel, VFIO), "
		"id (LIOBN or it_index), IOMMU page size, levels, the window's bus "
		"addresses, the number of valid entries, and the path that found it.  "
		"Before the tables, how the search of each source ended: kvm (vm_list, "
		"each VM's spapr_tce_tables and the hardware tables VFIO attached), "
		"powernv (hose_list, each PHB's PEs, table_group.tables[]) and pseries "
		"(hose_list, each PHB's pci_dn tree)."
		"\v"
		"The structures are read with type information: the DWARF of the dump's "
		"vmlinux and modules (-s, --debug-dir, debuginfod), else BTF in the dump's "
		"memory (see 'tce-inspect help types').  Exit status: 0 every source was "
		"searched to its end (or is absent from this kernel); 1 a list was cut "
		"short or damaged, so the listing may miss tables (a line on stderr says "
		"where); 3 a source cannot be searched because type information is missing "
		"(a line on stderr says what, and how to get it), or the dump cannot be "
		"read.  Entries the dump does not hold are counted as unknown, never as "
		"empty.",
		tables_options, CLI_OPT_FORMAT | CLI_OPT_TYPES | CLI_OPT_TABLE, 0, 1,
		cmd_tables,
	},
	{
		"entries", "entries [DUMP] [TABLE]",
		"every valid TCE, with the host page behind it and its struct page",
		"[DUMP] [TABLE]",
		"Every valid entry of every table (or of TABLE, an address 'tables' lists), "
		"one line each: its index, bus address, the raw entry, permissions, and "
		"what it maps: a host physical address (iommu) or a guest physical one "
		"(kvm), joined with the host page behind it (gpa -> the VM's memslot -> "
		"the VMM's address -> the VMM's page tables) and that page's struct page "
		"(its refcount, mapcount and the states they give)."
		"\v"
		"A guest address no memslot holds is 'no-memslot'; one the VMM's page "
		"tables do not map is 'not-present'; what the dump cannot say is 'unknown', "
		"with the reason.  The exit status is that of 'tables'.",
		entries_options, CLI_OPT_FORMAT | CLI_OPT_TYPES | CLI_OPT_TABLE | CLI_OPT_RANGE,
		0, 2, cmd_entries,
	},
	{
		"diff", "diff OLD NEW",
		"what changed between two dumps of one host: TCE tables and entries mapped, "
		"unmapped or remapped, findings that appeared or went away",
		"OLD NEW",
		"Compares two dumps of one host, OLD taken before NEW: every TCE table by its "
		"semantic key (its kind and owner: the VM's name or VMM pid and LIOBN, the "
		"PHB and PE and window; never a kernel pointer), each table's valid entries "
		"by bus address, and the findings of every rule ('tce-inspect check' on each "
		"dump) by rule and key.  Lists the tables that appeared or went away, and "
		"for each table the entries mapped (valid in NEW only), unmapped (in OLD "
		"only), remapped (another target) or changed (other permissions), with "
		"their counts; then the findings that appeared and went away, and the rules "
		"whose outcome changed.  Tables of a source (kvm, powernv, pseries) that "
		"either dump cannot search are not compared (a line says why)."
		"\v"
		"Both tables are walked in bus address order a slice at a time and merged, "
		"so two 16M-entry windows take two slices of entries in memory, not the "
		"tables.  Each dump takes type information as the other commands do (-s, "
		"--debug-dir, debuginfod); --old-vmlinux, --new-vmlinux, --old-debug-dir, "
		"--new-debug-dir, --old-model and --new-model say it for one dump only, "
		"when OLD and NEW run different kernel builds.\n\n"
		"Exit status: 0 no finding at or above --fail-on (default error) appeared; 1 "
		"some did (the regression gate; with --strict, also a rule that decided on "
		"OLD and cannot decide on NEW); 2 usage error; 3 a dump cannot be read.",
		diff_options, CLI_OPT_FORMAT | CLI_OPT_FAIL_ON | CLI_OPT_TYPES | CLI_OPT_CHECK |
		CLI_OPT_LIMIT | CLI_OPT_SIDES, 2, 2, cmd_diff,
	},
	{
		"vmemmap", "vmemmap [DUMP]",
		"the vmemmap_list blocks and every rule's outcome: findings, rules that "
		"cannot decide, and a summary",
		"[DUMP]",
		"The blocks of vmemmap_list in list order, then every rule run on the dump: "
		"the findings, each rule whose outcome is unknown or not applicable with the "
		"reason, and a summary line (rules: N pass, M fail, K unknown, J not "
		"applicable)."
		"\v"
		"The rules check the list itself (cycles, cut lists, misaligned or "
		"overlapping blocks, backing missing from the dump), compare the four "
		"translations of pfn to struct page (the 2013 real-mode walk, the "
		"hot-remove-safe walk, the sorted index, and on radix kernels the page "
		"tables) over every pfn, and judge coverage against the memory the kernel "
		"manages (mem_section); 'tce-inspect rules' lists them.  A dump that lacks "
		"what the walk needs raises TCE-VMEMMAP-MISSING (exit 1), not an error.  "
		"Without DUMP, or with DUMP '@sample', tce-inspect reads the sample built "
		"into it.",
		vmemmap_options, CLI_OPT_FORMAT | CLI_OPT_FAIL_ON | CLI_OPT_LIMIT, 0, 1,
		cmd_vmemmap,
	},
	{
		"page", "page DUMP PFN...",
		"each pfn's struct page, located four ways, and its fields (PFN: a number "
		"or FIRST-LAST)",
		"DUMP PFN...",
		"For each pfn: its struct page located four ways (the 2013 real-mode walk of "
		"vmemmap_list, the hot-remove-safe walk, the sorted index, and on radix "
		"kernels the kernel page tables), and its fields: flags by name, the page "
		"states they give (buddy with its order, head with its compound order, tail "
		"with its head), _refcount, _mapcount, mapping and private."
		"\v"
		"PFN is decimal or 0x-hex (010 is ten), or FIRST-LAST for every pfn from "
		"FIRST to LAST, both included.  Any number of them may be given; the pfns "
		"are listed in the order given, at most --limit of them in all.  DUMP may be "
		"'@sample', the built-in sample.\n\n"
		"A pfn that has no struct page, or whose struct page is not in the dump, is "
		"listed with an error line and makes the exit status 1.  Where a translation "
		"disagrees with the index, a line names the rule that is broken and its "
		"severity; --fail-on decides whether it makes the exit status 1.\n\n"
		"Flags: every page->flags bit the dump names (NUMBER(PG_*) and PG_head_mask "
		"in VMCOREINFO) is printed by name; set bits it does not name are listed by "
		"number: naming them needs type information, and the high bits of "
		"page->flags hold the node, zone and section numbers rather than flags.",
		page_options, CLI_OPT_FORMAT | CLI_OPT_FAIL_ON | CLI_OPT_LIMIT, 2, SIZE_MAX,
		cmd_page,
	},
	{
		"rules", "rules",
		"every rule tce-inspect checks: id, severity, what it finds and why",
		"",
		"Every rule tce-inspect checks, from libtce's catalogue: its id, severity, "
		"what it finds, why it matters, and what it assumes of the kernel.",
		rules_options, CLI_OPT_FORMAT, 0, 0, cmd_rules,
	},
	{
		"repair", "repair IN OUT",
		"a guest dump QEMU's dump-guest-memory wrote of a ppc64 guest, written "
		"repaired (header byte order, VMCOREINFO) for crash, drgn and makedumpfile",
		"IN OUT",
		"QEMU's dump-guest-memory (and virsh dump --memory-only) of a ppc64 guest "
		"writes no VMCOREINFO, and for a little-endian pseries guest big-endian "
		"headers.  Every command repairs such a dump in memory when it opens it "
		"(one line on stderr says what); repair writes the repaired dump to OUT as "
		"an ELF vmcore other tools read: the same bytes, the ELF and program "
		"headers in the guest's byte order at offset 64, p_vaddr in the linear "
		"map, QEMU's register notes dropped, the guest's VMCOREINFO note appended."
		"\v"
		"The VMCOREINFO note is the kernel's own, found in guest memory: a note "
		"that starts a page, passes VMCOREINFO's checks, and describes the kernel "
		"in memory (init_uts_ns holds its OSRELEASE).  None, or two that differ, "
		"and IN is refused; so are headers little-endian for a big-endian guest "
		"(not QEMU's fault).  IN is never written: OUT is made beside itself and "
		"renamed into place when whole; OUT may not be IN.  A kdump-compressed "
		"file of QEMU's (dump-guest-memory -z, after makedumpfile -R) is read "
		"repaired in memory, but not written.  Exit status: 0 written (or nothing "
		"to repair: a line on stderr says so and OUT is not written); 2 usage; 3 IN "
		"cannot be read or repaired, or OUT cannot be written (one line on stderr "
		"says why).",
		repair_options, 0, 2, 2, cmd_repair,
	},
	{
		"help", "help [COMMAND]",
		"this help, or COMMAND's (as COMMAND --help)",
		"[COMMAND]",
		"This help, or COMMAND's own: what it does, its arguments and options.",
		help_options, 0, 0, 1, cmd_help,
	},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int cli_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fputs("tce-inspect: ", stderr);
	if (c && c->cmd)
		fprintf(stderr, "%s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* what the parsers share: the command line being built, and which command (NULL
 * before it) */
struct parse {
	struct cli *c;
	const struct command *cmd;
	int cmd_index;             /* argv index of COMMAND */
};

/* --model LIST: kernel model names, comma-separated; 0, or -1 after a usage line */
static int parse_models(struct cli *c, const char *list, bool *model)
{
	char *copy = strdup(list), *tok, *save = NULL;
	enum tce_kmodel m;
	int ret = 0;

	if (!copy) {
		cli_usage(c, "out of memory");
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		if (tce_kmodel_parse(tok, &m)) {
			cli_usage(c, "unknown kernel model '%s' for --model (seed2013)", tok);
			ret = -1;
		} else {
			model[m] = true;
		}
	}
	free(copy);
	return ret;
}

static int parse_opt(int key, char *arg, struct argp_state *state)
{
	struct parse *p = state->input;
	struct cli *c = p->c;

	switch (key) {
	case ARGP_KEY_INIT:
		/* argp's own error texts ("Try `...'") would be a second line */
		state->err_stream = NULL;
		break;
	case 'h':
		argp_state_help(state, state->out_stream, ARGP_HELP_STD_HELP);
		break;
	case 'f':
		if (!strcmp(arg, "text"))
			c->format = CLI_TEXT;
		else if (!strcmp(arg, "json"))
			c->format = CLI_JSON;
		else if (!strcmp(arg, "man"))   /* rules only: the man page's section */
			c->format = CLI_MAN;
		else if (!strcmp(arg, "junit"))   /* check only */
			c->format = CLI_JUNIT;
		else if (!strcmp(arg, "html"))    /* check only */
			c->format = CLI_HTML;
		else
			return cli_usage(c, "unknown format '%s' (text or json)", arg), EINVAL;
		c->given |= CLI_OPT_FORMAT;
		break;
	case OPT_FAIL_ON:
		if (tce_severity_parse(arg, &c->fail_on))
			return cli_usage(c, "unknown level '%s' for --fail-on (info, warning "
					 "or error)", arg), EINVAL;
		c->given |= CLI_OPT_FAIL_ON;
		break;
	case 's':
		c->vmlinux = arg;
		c->given |= CLI_OPT_TYPES;
		break;
	case OPT_DEBUG_DIR:
		c->debug_dir = arg;
		c->given |= CLI_OPT_TYPES;
		break;
	case OPT_NO_DEBUGINFOD:
		c->no_debuginfod = true;
		c->given |= CLI_OPT_TYPES;
		break;
	case OPT_OLD_VMLINUX:
	case OPT_NEW_VMLINUX:
		c->side[key == OPT_NEW_VMLINUX].vmlinux = arg;
		c->given |= CLI_OPT_SIDES;
		break;
	case OPT_OLD_DEBUG_DIR:
	case OPT_NEW_DEBUG_DIR:
		c->side[key == OPT_NEW_DEBUG_DIR].debug_dir = arg;
		c->given |= CLI_OPT_SIDES;
		break;
	case OPT_OLD_MODEL:
	case OPT_NEW_MODEL: {
		struct cli_side *sd = &c->side[key == OPT_NEW_MODEL];

		sd->model_given = true;
		if (strcmp(arg, "none") && parse_models(c, arg, sd->model))
			return EINVAL;
		c->given |= CLI_OPT_SIDES;
		break;
	}
	case OPT_RULES:
		c->rules = arg;
		c->given |= CLI_OPT_CHECK;
		break;
	case OPT_DISABLE:
		c->disable = arg;
		c->given |= CLI_OPT_CHECK;
		break;
	case OPT_BASELINE:
		c->baseline = arg;
		c->given |= CLI_OPT_CHECK;
		break;
	case OPT_STRICT:
		c->strict = true;
		c->given |= CLI_OPT_CHECK;
		break;
	case OPT_MODEL:
		if (parse_models(c, arg, c->model))
			return EINVAL;
		c->given |= CLI_OPT_CHECK;
		break;
	case OPT_SAMPLES: {
		uint64_t n;

		if (cli_parse_u64(arg, &n) || n < 1 || n > CLI_SAMPLES_MAX)
			return cli_usage(c, "--samples wants a number from 1 to %u, not '%s'",
					 CLI_SAMPLES_MAX, arg), EINVAL;
		c->samples = (unsigned)n;
		c->given |= CLI_OPT_CHECK;
		break;
	}
	case OPT_TABLE:
		c->table = arg;
		c->given |= CLI_OPT_TABLE;
		break;
	case OPT_KIND:
		if (!strcmp(arg, "kvm"))
			c->kind = TCE_TABLE_KVM;
		else if (!strcmp(arg, "iommu"))
			c->kind = TCE_TABLE_IOMMU;
		else
			return cli_usage(c, "unknown table kind '%s' (kvm or iommu)", arg),
			       EINVAL;
		c->given |= CLI_OPT_TABLE;
		break;
	case OPT_RANGE: {
		const char *dash = strchr(arg, '-');
		char lo[32];

		if (!dash || (size_t)(dash - arg) >= sizeof(lo) ||
		    (memcpy(lo, arg, dash - arg), lo[dash - arg] = '\0',
		     cli_parse_u64(lo, &c->range_first)) ||
		    cli_parse_u64(dash + 1, &c->range_last))
			return cli_usage(c, "--range wants bus addresses A-B, not '%s'", arg),
			       EINVAL;
		if (c->range_first > c->range_last)
			return cli_usage(c, "--range '%s' ends before it starts", arg), EINVAL;
		c->given |= CLI_OPT_RANGE;
		break;
	}
	case 'o':
		c->output = arg;
		c->given |= CLI_OPT_OUTPUT;
		break;
	case OPT_LIMIT:
		if (cli_parse_u64(arg, &c->limit))
			return cli_usage(c, "--limit wants a number, not '%s'", arg), EINVAL;
		c->given |= CLI_OPT_LIMIT;
		break;
	case ARGP_KEY_ARG:
		if (p->cmd)
			return ARGP_ERR_UNKNOWN;   /* all of them at once: ARGP_KEY_ARGS */
		/* COMMAND: its parser reads the rest */
		p->cmd_index = state->next - 1;
		state->next = state->argc;
		break;
	case ARGP_KEY_ARGS:
		c->args = state->argv + state->next;
		c->nargs = state->argc - state->next;
		state->next = state->argc;
		break;
	case ARGP_KEY_END:
		if (!p->cmd && !p->cmd_index)
			return cli_usage(c, "no command given (try tce-inspect --help)"), EINVAL;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The global help's command list is argp documentation entries: argp wraps each
 * description in its own column at whatever width ARGP_HELP_FMT sets. */
static struct argp_option global_options[2 + NCOMMANDS + 21];

static const char global_doc[] =
	"Inspect a ppc64 Linux vmcore: where every struct page lives and what it says."
	"\v"
	"DUMP is an ELF or kdump-compressed vmcore of a ppc64 (big- or little-endian) "
	"Linux kernel.  Without DUMP, or with DUMP '@sample', the sample built into "
	"tce-inspect is read: a real 6.1 ppc64le kernel after memory hot-add, hot-remove "
	"and hot-add, whose vmemmap_list is out of order.\n\n"
	"Options may come before or after COMMAND; each command takes those its own "
	"help lists ('tce-inspect help COMMAND' or 'tce-inspect COMMAND --help').\n\n"
	"Exit status: 0 no finding at or above the fail level; 1 findings at or above "
	"it (for page: also a pfn without a readable struct page); 2 usage error; 3 the "
	"dump cannot be read or is not a ppc64 Linux dump, or the output cannot be "
	"written (one line on standard error says why).\n\n"
	"Examples:\n"
	"  tce-inspect vmemmap                # the built-in sample\n"
	"  tce-inspect vmemmap --format json /var/crash/vmcore\n"
	"  tce-inspect page vmcore 0x5000-0x50ff 4097 --fail-on warning\n"
	"  tce-inspect help page";

static struct argp global_argp = {
	global_options, parse_opt, "COMMAND [ARG...]", global_doc, NULL, NULL, NULL
};

static void init_global_options(void)
{
	struct argp_option *o = global_options;
	size_t i;

	*o++ = (struct argp_option){ NULL, 0, NULL, 0, "Commands:", 1 };
	for (i = 0; i < NCOMMANDS; i++)
		*o++ = (struct argp_option){ commands[i].synopsis, 0, NULL,
					     OPTION_DOC | OPTION_NO_USAGE,
					     commands[i].summary, 1 };
	*o++ = (struct argp_option){ NULL, 0, NULL, 0,
				     "Options (see each command's help for those it "
				     "takes):", 2 };
	*o++ = (struct argp_option)OPTION_FORMAT;
	*o++ = (struct argp_option)OPTION_FAIL_ON;
	*o++ = (struct argp_option){ "limit", OPT_LIMIT, "N", 0,
				     "vmemmap: text lists at most N blocks (default 64); "
				     "page: at most N pfns in all (default 16777216); "
				     "0 lifts the limit",
				     0 };
	{
		static const struct argp_option table[] = { OPTIONS_TABLE };

		memcpy(o, table, sizeof(table));
		o += sizeof(table) / sizeof(table[0]);
	}
	*o++ = (struct argp_option){ "range", OPT_RANGE, "A-B", 0,
				     "entries: only bus addresses A..B", 0 };
	*o++ = (struct argp_option){ "rules", OPT_RULES, "LIST", 0,
				     "check: only these rules", 0 };
	*o++ = (struct argp_option){ "disable", OPT_DISABLE, "LIST", 0,
				     "check: not these rules", 0 };
	*o++ = (struct argp_option){ "baseline", OPT_BASELINE, "FILE", 0,
				     "check: accept the findings FILE lists", 0 };
	*o++ = (struct argp_option){ "strict", OPT_STRICT, NULL, 0,
				     "check: a rule that cannot decide fails the run", 0 };
	*o++ = (struct argp_option){ "model", OPT_MODEL, "LIST", 0,
				     "check: the kernel follows these models (seed2013)", 0 };
	*o++ = (struct argp_option){ "output", 'o', "FILE", 0,
				     "check: write the output to FILE", 0 };
	*o++ = (struct argp_option){ "samples", OPT_SAMPLES, "N", 0,
				     "check: read the dump N times, a finding not in every "
				     "sample is a race", 0 };
	{
		static const struct argp_option types[] = { OPTIONS_TYPES };

		memcpy(o, types, sizeof(types));
		o += sizeof(types) / sizeof(types[0]);
	}
	*o++ = (struct argp_option)OPTION_HELP_H;
	*o = (struct argp_option){ 0 };
}

static void command_argp(const struct command *cmd, struct argp *argp)
{
	*argp = (struct argp){ cmd->options, parse_opt, cmd->args_doc, cmd->doc,
			       NULL, NULL, NULL };
}

/* `help [COMMAND]` is `[COMMAND] --help`: the same text, and argp exits 0 after it */
static int cmd_help(struct cli *c)
{
	static char name[64] = "tce-inspect", help[] = "--help";
	char *argv[] = { name, help, NULL };
	const struct command *cmd = NULL;
	struct parse p = { .c = c };
	struct argp argp;

	if (c->nargs) {
		cmd = find_command(c->args[0]);
		if (!cmd)
			return cli_usage(c, "unknown command '%s' (try tce-inspect --help)",
					 c->args[0]);
		snprintf(name, sizeof(name), "tce-inspect %s", cmd->name);
		command_argp(cmd, &argp);
		p.cmd = cmd;
	}
	argp_parse(cmd ? &argp : &global_argp, 2, argv, 0, NULL, &p);
	return EXIT_OK;
}

static const char *option_name(unsigned opt)
{
	return opt == CLI_OPT_SIDES ? "--old-* or --new-*" :
	       opt == CLI_OPT_FORMAT ? "--format" : opt == CLI_OPT_FAIL_ON ? "--fail-on" :
	       opt == CLI_OPT_TYPES ? "--vmlinux, --debug-dir or --no-debuginfod" :
	       opt == CLI_OPT_TABLE ? "--table or --kind" : opt == CLI_OPT_RANGE ? "--range" :
	       opt == CLI_OPT_OUTPUT ? "--output" :
	       opt == CLI_OPT_CHECK ? "--rules, --disable, --baseline, --strict, --model or --samples" :
	       "--limit";
}

int main(int argc, char **argv)
{
	struct cli c = { .fail_on = TCE_SEV_ERROR };
	struct parse p = { .c = &c };
	const struct command *cmd;
	static char name[64];
	struct argp argp;
	unsigned bad;
	int status;

	init_global_options();
	argp_err_exit_status = EXIT_USAGE;
	/* messages say "tce-inspect", not the path it was run by (or libtool's lt-) */
	if (argc > 0)
		argv[0] = (char *)"tce-inspect";
	if (argp_parse(&global_argp, argc, argv, ARGP_IN_ORDER, NULL, &p))
		return EXIT_USAGE;
	cmd = find_command(argv[p.cmd_index]);
	if (!cmd)
		return cli_usage(NULL, "unknown command '%s' (try tce-inspect --help)",
				 argv[p.cmd_index]);
	bad = c.given & ~cmd->opts;
	c.cmd = cmd->name;
	if (bad)
		return cli_usage(&c, "takes no %s option (see tce-inspect help %s)",
				 option_name(bad & -bad), cmd->name);

	/* getopt would call "-1" an unknown option: say what is wrong with it */
	if (cmd->run == cmd_page) {
		int i;

		for (i = p.cmd_index + 1; i < argc && strcmp(argv[i], "--"); i++)
			if (argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9')
				return cli_usage(&c, "'%s' is not a pfn (pfns are not negative)",
						 argv[i]);
	}

	/* COMMAND's parser reads the rest, as "tce-inspect COMMAND" in its messages */
	p.cmd = cmd;
	snprintf(name, sizeof(name), "tce-inspect %s", cmd->name);
	argv[p.cmd_index] = name;
	command_argp(cmd, &argp);
	if (argp_parse(&argp, argc - p.cmd_index, argv + p.cmd_index, 0, NULL, &p))
		return EXIT_USAGE;
	if (c.format == CLI_MAN && strcmp(cmd->name, "rules"))
		return cli_usage(&c, "unknown format 'man' (text or json)");
	if (c.format == CLI_JUNIT && !(cmd->opts & CLI_OPT_JUNIT))
		return cli_usage(&c, "unknown format 'junit' (text or json; junit is check's)");
	if (c.format == CLI_HTML && !(cmd->opts & CLI_OPT_JUNIT))
		return cli_usage(&c, "unknown format 'html' (text or json; html is check's)");
	if (c.nargs < cmd->min_args || c.nargs > cmd->max_args) {
		if (!cmd->max_args)
			return cli_usage(&c, "takes no arguments (see tce-inspect help %s)",
					 cmd->name);
		if (c.nargs > cmd->max_args)
			return cli_usage(&c, "takes at most %zu argument%s: %s (see "
					 "tce-inspect help %s)", cmd->max_args,
					 cmd->max_args == 1 ? "" : "s", cmd->args_doc,
					 cmd->name);
		return cli_usage(&c, "needs %s (see tce-inspect help %s)", cmd->args_doc,
				 cmd->name);
	}
	status = cmd->run(&c);
	/* output that did not arrive (a full disk, a closed pipe) is no success */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "tce-inspect: cannot write the output: %s\n",
			strerror(errno));
		return EXIT_DUMP;
	}
	return status;
}
