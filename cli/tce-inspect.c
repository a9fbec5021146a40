/*
 * tce-inspect: the command line.  It parses (argp), opens the dump through libtce, and
 * formats what the library answers as text or JSON; no logic a library user would also
 * want lives here.  Exit status: 0 ok, 1 findings at or above the fail level, 2 usage,
 * 3 dump unreadable or unsupported.
 */
#include "config.h"

#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

const char *argp_program_version = PACKAGE_STRING;

static const char doc[] =
	"Inspect a ppc64 Linux vmcore: where every struct page lives and what it says."
	"\v"
	"Commands:\n"
	"  info [DUMP]          kernel release, architecture, byte order, page size, dump\n"
	"                       format, and which type information the dump carries\n"
	"  vmemmap [DUMP]       the vmemmap_list blocks (list order) and the findings of\n"
	"                       the walk: cycles, cut lists, misaligned or overlapping\n"
	"                       blocks, backing missing from the dump, and every pfn range\n"
	"                       where the translations of pfn -> struct page disagree\n"
	"  page DUMP PFN...     for each pfn: its struct page located four ways (the 2013\n"
	"                       real-mode walk, the hot-remove-safe walk, the sorted index,\n"
	"                       and on radix kernels the page tables) and its fields\n"
	"                       (flags decoded, _refcount, _mapcount, compound head)\n"
	"  rules                the findings this version can report, and why\n"
	"\n"
	"DUMP is an ELF or kdump-compressed vmcore of a ppc64 (big- or little-endian) Linux\n"
	"kernel.  Without DUMP, or with DUMP '@sample', the sample dump shipped with\n"
	"tce-inspect is used: a real 6.1 ppc64le kernel after memory hot-add, hot-remove\n"
	"and hot-add, whose vmemmap_list is out of order.  PFN is decimal or 0x-hex.\n"
	"\n"
	"Exit status: 0 no finding at or above the fail level, 1 findings at or above it,\n"
	"2 usage error, 3 the dump cannot be read or is not a ppc64 Linux dump.\n"
	"\n"
	"Examples:\n"
	"  tce-inspect vmemmap                 # the sample dump\n"
	"  tce-inspect vmemmap --format json /var/crash/vmcore\n"
	"  tce-inspect page vmcore 0x1000 4097 --fail-on warning";

static const char args_doc[] = "COMMAND [DUMP] [PFN...]";

enum { OPT_FAIL_ON = 256, OPT_LIMIT };

static const struct argp_option options[] = {
	{ "format", 'f', "FMT", 0, "Output format: text (default) or json", 0 },
	{ "fail-on", OPT_FAIL_ON, "LEVEL", 0,
	  "Exit 1 if a finding at or above LEVEL (info, warning, error; default error) "
	  "is reported", 0 },
	{ "limit", OPT_LIMIT, "N", 0,
	  "Text output lists at most N blocks (default 64; 0 = all); JSON lists all", 0 },
	{ 0 }
};

static int parse_opt(int key, char *arg, struct argp_state *state)
{
	struct cli *c = state->input;
	char *end;

	switch (key) {
	case 'f':
		if (!strcmp(arg, "text"))
			c->json = false;
		else if (!strcmp(arg, "json"))
			c->json = true;
		else
			argp_error(state, "unknown format '%s' (text or json)", arg);
		break;
	case OPT_FAIL_ON:
		if (tce_severity_parse(arg, &c->fail_on))
			argp_error(state, "unknown level '%s' (info, warning or error)", arg);
		break;
	case OPT_LIMIT:
		errno = 0;
		c->limit = strtoul(arg, &end, 10);
		if (errno || *end || !*arg)
			argp_error(state, "--limit wants a number, not '%s'", arg);
		break;
	case ARGP_KEY_ARG:
		if (c->nargs >= CLI_MAX_ARGS)
			argp_error(state, "too many arguments");
		c->args[c->nargs++] = arg;
		break;
	case ARGP_KEY_END:
		if (!c->nargs)
			argp_usage(state);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse_opt, args_doc, doc, 0, 0, 0 };

static const struct {
	const char *name;
	int (*run)(struct cli *c);
} commands[] = {
	{ "info", cmd_info },
	{ "vmemmap", cmd_vmemmap },
	{ "page", cmd_page },
	{ "rules", cmd_rules },
};

int main(int argc, char **argv)
{
	struct cli c = { .fail_on = TCE_SEV_ERROR, .limit = 64 };
	size_t i;

	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, &c) != 0)
		return EXIT_USAGE;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, c.args[0]))
			return commands[i].run(&c);
	fprintf(stderr, "tce-inspect: unknown command '%s' (try --help)\n", c.args[0]);
	return EXIT_USAGE;
}
