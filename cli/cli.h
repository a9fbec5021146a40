/*
 * Shared by the tce-inspect subcommands: the parsed command line, opening the dump
 * (with the shipped sample as default), and the output helpers for text and JSON.
 */
#ifndef TCE_CLI_H
#define TCE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "tce/tce.h"

#define CLI_MAX_ARGS 4096

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_DUMP = 3 };

struct cli {
	bool json;
	enum tce_severity fail_on;
	unsigned long limit;
	int nargs;
	char *args[CLI_MAX_ARGS];
};

/* Opens args[1] (or the embedded sample when it is absent or "@sample"); prints one
 * error line and returns NULL on failure. */
struct tce_dump *cli_open(struct cli *c, const char **path);

/* "0x..." as a JSON string; addresses are strings so no reader loses bits */
json_object *cli_hex(uint64_t v);
/* prints a JSON document on stdout and frees it */
void cli_json_print(json_object *o);
/* findings: JSON array, text lines; returns the exit status they call for */
json_object *cli_findings_json(const struct tce_finding *f, size_t n);
void cli_findings_text(const struct tce_finding *f, size_t n);
int cli_findings_status(const struct cli *c, const struct tce_finding *f, size_t n);

int cmd_info(struct cli *c);
int cmd_vmemmap(struct cli *c);
int cmd_page(struct cli *c);
int cmd_rules(struct cli *c);

#endif /* TCE_CLI_H */
