/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the tce-inspect commands: the parsed command line, opening the dump (the
 * embedded sample by default) with its analysis, and what every command prints the
 * same way: numbers, JSON documents, findings and rule outcomes, one-line errors.
 */
#ifndef TCE_CLI_H
#define TCE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

#include "tce/tce.h"
#include "jsonw.h"

/* The exit statuses tce-inspect(1) documents. */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_DUMP = 3 };

/* Every JSON document starts with "schema_version": this; it grows by one when a key
 * changes meaning or goes away (new keys do not change it). */
#define CLI_SCHEMA_VERSION 1

/* The most pfns one `page` run lists unless --limit says otherwise. */
#define CLI_PAGE_LIMIT (16ULL << 20)

/* The most samples check --samples takes (each is a whole read of the dump). */
#define CLI_SAMPLES_MAX 100

enum cli_format { CLI_TEXT, CLI_JSON, CLI_MAN, CLI_JUNIT, CLI_HTML };

/* Which options a command takes (and which were given). */
enum {
	CLI_OPT_FORMAT = 1u << 0,
	CLI_OPT_FAIL_ON = 1u << 1,
	CLI_OPT_LIMIT = 1u << 2,
	CLI_OPT_TYPES = 1u << 3,     /* --vmlinux, --debug-dir, --no-debuginfod */
	CLI_OPT_TABLE = 1u << 4,     /* --table, --kind */
	CLI_OPT_RANGE = 1u << 5,     /* --range */
	CLI_OPT_CHECK = 1u << 6,     /* --rules, --disable, --baseline, --strict, --model,
					--samples */
	CLI_OPT_JUNIT = 1u << 7,     /* --format junit or html */
	CLI_OPT_OUTPUT = 1u << 8,    /* -o/--output */
};

struct cli {
	const char *cmd;           /* the command's name, for messages */
	enum cli_format format;
	enum tce_severity fail_on;
	uint64_t limit;
	unsigned given;            /* CLI_OPT_* given on the command line */
	const char *vmlinux;       /* -s/--vmlinux */
	const char *debug_dir;     /* --debug-dir */
	bool no_debuginfod;        /* --no-debuginfod */
	const char *table;         /* --table ADDR (as given) */
	int kind;                  /* --kind: enum tce_table_kind, 0 not given */
	uint64_t range_first, range_last;   /* --range A-B: bus addresses */
	const char *rules;         /* --rules LIST */
	const char *disable;       /* --disable LIST */
	const char *baseline;      /* --baseline FILE */
	bool strict;               /* --strict */
	bool model[TCE_KMODEL_COUNT];   /* --model LIST */
	const char *output;        /* -o/--output FILE */
	unsigned samples;          /* --samples N: 0 (not given) is 1 */
	char **args;               /* the command's own arguments, within argv */
	size_t nargs;
	/* diff: the options of one dump, OLD's (0) and NEW's (1): --old-vmlinux,
	 * --new-debug-dir, --old-model...; NULL or !model_given: the unprefixed option's */
	struct cli_side {
		const char *vmlinux, *debug_dir;
		bool model_given;
		bool model[TCE_KMODEL_COUNT];
	} side[2];
};

/* A dump opened for a command, with its analysis. */
struct cli_dump {
	const char *name;          /* what messages and output call it */
	struct tce_dump *d;
	struct tce_analysis *a;
};

/* diff's --old-* and --new-* options (struct cli_side) */
enum { CLI_OPT_SIDES = 1u << 16 };

/* Opens arg (NULL or "@sample": the embedded sample) and makes its analysis.  Returns
 * EXIT_OK, or prints one line on stderr and returns EXIT_DUMP. */
int cli_open(const char *arg, struct cli_dump *cd);
void cli_close(struct cli_dump *cd);
/* Gives the analysis the type-information sources the command line names and looks
 * them up: EXIT_OK, or one line on stderr and EXIT_DUMP (a named vmlinux that is not
 * the dump's build).  ti: what is in use, for commands that report it; NULL for the
 * others (BTF is then read only when a lookup needs it). */
int cli_types(const struct cli *c, struct cli_dump *cd, struct tce_types_info *ti);
/* Prints "tce-inspect: " and the dump's last message on stderr; returns EXIT_DUMP. */
int cli_dump_error(const struct cli_dump *cd);
/* Prints one usage line on stderr ("tce-inspect: " + the text); returns EXIT_USAGE. */
int cli_usage(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A TCE's own members in JSON, as entries and diff write them: raw, target,
 * target_space, read, write and host (the state of the page behind it) */
void cli_tce_entry_jw(struct cli_jw *w, const struct tce_table_entry *e);

/* The rules to run, from --rules (all when not given) less --disable: ids or shell
 * patterns, comma-separated; 0, or a usage line and EXIT_USAGE for one that names no
 * rule. */
int cli_rules_on(const struct cli *c, bool on[TCE_RULE_COUNT]);

/* A decimal or 0x-hex number that fits 64 bits; 0 or -1 (nothing else accepted: no
 * sign, no space, no octal, no suffix). */
int cli_parse_u64(const char *s, uint64_t *v);

/* JSON: "0x..." for pfns, addresses and raw kernel words (64 bits that a double cannot
 * hold); a new document {"schema_version": 1, "dump": name} (name NULL: no "dump"). */
json_object *cli_hex(uint64_t v);
json_object *cli_json_doc(const char *dump);
/* Prints a JSON document on stdout and frees it. */
void cli_json_print(json_object *o);

/* The findings and rule outcomes of tce_analysis_check(), as JSON arrays and as text;
 * and the exit status the findings call for. */
json_object *cli_findings_json(const struct tce_analysis *a);
json_object *cli_outcomes_json(const struct tce_analysis *a);
void cli_findings_text(const struct tce_analysis *a);
void cli_outcomes_text(const struct tce_analysis *a);
int cli_findings_status(const struct cli *c, const struct tce_analysis *a);

/* Writes the fields of struct page pg as members of the object w has open (the keys
 * `page` prints: phys, flags, flag_names, unnamed_flags, refcount, mapcount,
 * compound_head, mapping, private, states, head_pfn, compound_order, buddy_order),
 * each null when !ok or unknown. */
void cli_page_fields_jw(struct cli_jw *w, struct tce_analysis *a, const struct tce_page *pg,
			bool ok);

/* Prints text on f, wrapped at width columns; each line after the first starts with
 * indent spaces (the first line with first_indent). */
void cli_wrap(FILE *f, const char *text, unsigned first_indent, unsigned indent,
	      unsigned width);

/* check-html.c: check's page (--format html) on stdout, from the window map and the
 * findings of cd's check (accepted: by the baseline; seen: in how many of samples
 * reads each showed, race: not in all, or seen NULL: not told, as check's JSON);
 * EXIT_OK, or EXIT_DUMP (a line on stderr) */
int cli_check_html(const struct cli *c, const struct cli_dump *cd, const bool *accepted,
		   const unsigned *seen, const bool *race, unsigned samples, int status);

int cmd_info(struct cli *c);
int cmd_vmemmap(struct cli *c);
int cmd_page(struct cli *c);
int cmd_rules(struct cli *c);
int cmd_types(struct cli *c);
int cmd_tables(struct cli *c);
int cmd_entries(struct cli *c);
int cmd_check(struct cli *c);
int cmd_diff(struct cli *c);
int cmd_repair(struct cli *c);

#endif /* TCE_CLI_H */
