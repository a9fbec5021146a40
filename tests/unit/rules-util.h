/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The harness of the suites about rules (test-rules-tables, test-rules-vfio): a forge
 * scenario built, mended and given one planted fault, written with its vmlinux,
 * opened and checked; then what the check must have given: exactly one finding of a
 * rule with its semantic key, a rule that could not decide, a healthy machine.
 */
#ifndef TCE_TEST_RULES_UTIL_H
#define TCE_TEST_RULES_UTIL_H

#include "scenario.h"
#include "util.h"

#define LINEAR 0xc000000000000000ULL

struct opened;
/* A change to the forged memory before the dump is written (a fault, a mend) */
typedef void plant_fn(struct opened *o);

struct opened {
	struct forge_scenario_result res;
	struct tce_dump *d;
	struct tce_analysis *a;
	char path[32], vml[48];
	bool skipped;                 /* the forge cannot write DWARF here */
	unsigned shift;               /* the kernel's page shift */
};

struct check_opts {
	const char *scenario;
	struct fk_opts fo;
	plant_fn *mend;               /* the scenario's own oddities mended (or NULL) */
	plant_fn *plant;              /* then the fault (or NULL) */
	bool no_dwarf;                /* no vmlinux: no type information for tables */
	/* on the analysis before the check (rules enabled, a model chosen), or NULL */
	void (*setup)(struct opened *o);
};

/* Builds, plants, writes, opens and checks; o->skipped when the forge cannot write
 * the DWARF the scenario needs (a line on stderr says why) */
void rules_open(const struct check_opts *co, struct opened *o);
void rules_close(struct opened *o);

/* A fact of the scenario (aborts the test without it) */
uint64_t fact(const struct opened *o, const char *name);
/* A member's offset in the forge's types ("iommu_table.it_size") */
uint64_t off(const char *what);
/* The forged memory at a linear-map address */
void put64(struct opened *o, uint64_t kva, uint64_t v);
uint64_t get64(struct opened *o, uint64_t kva);
/* A forge call returned 0 (else the forge's message) */
void ok(struct opened *o, int ret);
/* A hardware entry: pnv_tce_build()'s raw value at entry of the table fact tbl */
void hw_put(struct opened *o, const char *tbl, uint64_t entry, uint64_t raw);
/* The raw hardware TCE of host pfn, readable and writable */
uint64_t pfn_tce(const struct opened *o, uint64_t pfn);
/* The forge's record of one entry it wrote (aborts without it) */
const struct forge_tce *tce_of(const struct opened *o, uint64_t table, uint64_t entry);

void print_findings(const struct opened *o);
enum tce_rule_id rule_of(const char *id);
size_t count_of(const struct opened *o, const char *id);
void keyf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * A healthy machine: no finding above info; every table rule passes, but those whose
 * id matches a pattern of na (shell patterns, NULL-terminated) are not applicable and
 * those named in unknown are unknown with a reason containing words (any reason when
 * words is NULL).
 */
void assert_healthy(const struct opened *o, const char *const *unknown, const char *words,
		    const char *const *na);
/* Exactly one finding of rule id, with key and severity, the rule failed; no other
 * finding above info; its message contains words (when not NULL) */
const struct tce_finding *assert_only(const struct opened *o, const char *id,
				      const char *key, enum tce_severity sev,
				      const char *words);
/* Rule id could not decide: unknown, with a reason containing words; no finding */
void assert_unknown(const struct opened *o, const char *id, const char *words);
/* Rule id has this outcome, with a reason containing words (when not NULL) */
void assert_outcome(const struct opened *o, const char *id, enum tce_outcome want,
		    const char *words);

#endif /* TCE_TEST_RULES_UTIL_H */
