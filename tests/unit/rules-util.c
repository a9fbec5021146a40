// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The harness of the suites about rules (rules-util.h): one forge scenario at a time
 * built, changed, written to a temporary file with its vmlinux, opened and checked,
 * and the assertions on what the check gave.
 */
#include "config.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules-util.h"

uint64_t fact(const struct opened *o, const char *name)
{
	uint64_t v = forge_scenario_fact(&o->res, name, UINT64_MAX);

	ck_assert_msg(v != UINT64_MAX, "no fact %s", name);
	return v;
}

uint64_t off(const char *what)
{
	long v = fk_types_offsetof(what);

	ck_assert_msg(v >= 0, "no offset of %s", what);
	return (uint64_t)v;
}

void put64(struct opened *o, uint64_t kva, uint64_t v)
{
	ck_assert_int_eq(forge_put_u64(fk_forge(o->res.k), kva & ~LINEAR, v), 0);
}

uint64_t get64(struct opened *o, uint64_t kva)
{
	uint64_t v;

	ck_assert_int_eq(forge_get_u64(fk_forge(o->res.k), kva & ~LINEAR, &v), 0);
	return v;
}

void ok(struct opened *o, int ret)
{
	ck_assert_msg(ret == 0, "%s", forge_errmsg(fk_forge(o->res.k)));
}

void hw_put(struct opened *o, const char *tbl, uint64_t entry, uint64_t raw)
{
	ok(o, fk_iommu_put(o->res.k, fact(o, tbl), entry, raw));
}

uint64_t pfn_tce(const struct opened *o, uint64_t pfn)
{
	return pfn << o->shift | 3;
}

const struct forge_tce *tce_of(const struct opened *o, uint64_t table, uint64_t entry)
{
	unsigned i;

	for (i = 0; i < o->res.ntces; i++)
		if (o->res.tces[i].table == table && o->res.tces[i].entry == entry)
			return &o->res.tces[i];
	ck_abort_msg("the forge wrote no entry 0x%llx", (unsigned long long)entry);
	return NULL;
}

void rules_open(const struct check_opts *co, struct opened *o)
{
	struct tce_types_opts to = TCE_TYPES_OPTS_INIT;
	char err[256], why[128];
	int fd;

	memset(o, 0, sizeof(*o));
	ck_assert_msg(forge_scenario_build(co->scenario, &co->fo, &o->res, err,
					   sizeof(err)) == 0, "%s: %s", co->scenario, err);
	if (!fk_dwarf_available(o->res.k, why, sizeof(why))) {
		fprintf(stderr, "%s (%s): skipped: %s\n", co->scenario,
			co->fo.endian == FORGE_BE ? "be" : "le", why);
		forge_scenario_release(&o->res);
		o->skipped = true;
		return;
	}
	o->shift = (unsigned)__builtin_ctzll(fact(o, "page_size"));
	if (co->mend)
		co->mend(o);
	if (co->plant)
		co->plant(o);
	snprintf(o->path, sizeof(o->path), "/tmp/tce-rules-XXXXXX");
	fd = mkstemp(o->path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(fk_write_file(o->res.k, o->path, &o->res.wopts), 0);
	ck_assert_msg(open_path(o->path, &o->d) == 0, "open: %s", tce_errmsg(o->d));
	ck_assert_int_eq(tce_analysis_new(o->d, &o->a), 0);
	to.debuginfod = false;
	to.debug_dir = "/nonexistent";
	if (!co->no_dwarf) {
		snprintf(o->vml, sizeof(o->vml), "%s.vmlinux", o->path);
		ck_assert_int_eq(fk_dwarf_write(o->res.k, o->vml), 0);
		to.vmlinux = o->vml;
	}
	ck_assert_int_eq(tce_analysis_set_types(o->a, &to), 0);
	if (co->setup)
		co->setup(o);
	ck_assert_msg(tce_analysis_check(o->a) == 0, "check: %s", tce_errmsg(o->d));
}

void rules_close(struct opened *o)
{
	if (o->skipped)
		return;
	tce_analysis_free(o->a);
	tce_dump_free(o->d);
	unlink(o->path);
	if (o->vml[0])
		unlink(o->vml);
	forge_scenario_release(&o->res);
}

void print_findings(const struct opened *o)
{
	const struct tce_finding *f;
	size_t i;

	for (i = 0; (f = tce_finding(o->a, i)) != NULL; i++)
		fprintf(stderr, "  %s %s [%s]: %s\n", tce_severity_name(f->severity), f->id,
			f->key, f->message);
}

enum tce_rule_id rule_of(const char *id)
{
	enum tce_rule_id r;

	ck_assert_msg(tce_rule_lookup(id, &r) == 0, "no rule %s", id);
	return r;
}

size_t count_of(const struct opened *o, const char *id)
{
	const struct tce_finding *f;
	size_t i, n = 0;

	for (i = 0; (f = tce_finding(o->a, i)) != NULL; i++)
		n += !strcmp(f->id, id);
	return n;
}

void keyf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static bool listed(const char *const *list, const char *id, bool patterns)
{
	unsigned i;

	for (i = 0; list && list[i]; i++)
		if (patterns ? !fnmatch(list[i], id, 0) : !strcmp(list[i], id))
			return true;
	return false;
}

void assert_healthy(const struct opened *o, const char *const *unknown, const char *words,
		    const char *const *na)
{
	const struct tce_finding *f;
	const char *reason;
	unsigned r;
	size_t i;

	for (i = 0; (f = tce_finding(o->a, i)) != NULL; i++)
		if (f->severity > TCE_SEV_INFO) {
			print_findings(o);
			ck_abort_msg("healthy: %s [%s]", f->id, f->key);
		}
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		enum tce_outcome out = tce_rule_outcome(o->a, r, &reason);
		const char *id = tce_rule(r)->id;

		if (tce_rule(r)->area != TCE_AREA_TABLES)
			continue;
		if (listed(na, id, true))
			ck_assert_msg(out == TCE_OUTCOME_NOT_APPLICABLE && reason && *reason,
				      "%s: %s, want not applicable", id, tce_outcome_name(out));
		else if (listed(unknown, id, false))
			ck_assert_msg(out == TCE_OUTCOME_UNKNOWN && reason && *reason &&
				      (!words || strstr(reason, words)),
				      "%s: %s (%s), want unknown with '%s'", id,
				      tce_outcome_name(out), reason ? reason : "",
				      words ? words : "");
		else
			ck_assert_msg(out == TCE_OUTCOME_PASS, "%s: %s (%s)", id,
				      tce_outcome_name(out), reason ? reason : "");
	}
}

const struct tce_finding *assert_only(const struct opened *o, const char *id,
				      const char *key, enum tce_severity sev,
				      const char *words)
{
	const struct tce_finding *f, *hit = NULL;
	size_t i;

	for (i = 0; (f = tce_finding(o->a, i)) != NULL; i++) {
		if (!strcmp(f->id, id)) {
			if (hit)
				print_findings(o);
			ck_assert_msg(!hit, "%s: more than one finding", id);
			hit = f;
		} else if (f->severity > TCE_SEV_INFO) {
			print_findings(o);
			ck_abort_msg("want only %s, also %s [%s]", id, f->id, f->key);
		}
	}
	if (!hit)
		print_findings(o);
	ck_assert_msg(hit, "no %s finding", id);
	ck_assert_str_eq(hit->key, key);
	ck_assert_int_eq(hit->severity, sev);
	ck_assert_int_eq(hit->severity, tce_rule(hit->rule)->severity);
	ck_assert_int_eq(tce_rule_outcome(o->a, rule_of(id), NULL), TCE_OUTCOME_FAIL);
	if (words)
		ck_assert_msg(strstr(hit->message, words), "%s: '%s' lacks '%s'", id,
			      hit->message, words);
	return hit;
}

void assert_outcome(const struct opened *o, const char *id, enum tce_outcome want,
		    const char *words)
{
	const char *reason = NULL;
	enum tce_outcome out = tce_rule_outcome(o->a, rule_of(id), &reason);

	ck_assert_msg(out == want, "%s: %s (%s), want %s", id, tce_outcome_name(out),
		      reason ? reason : "", tce_outcome_name(want));
	if (words) {
		ck_assert_ptr_nonnull(reason);
		ck_assert_msg(strstr(reason, words), "%s: reason '%s' lacks '%s'", id, reason,
			      words);
	}
}

void assert_unknown(const struct opened *o, const char *id, const char *words)
{
	assert_outcome(o, id, TCE_OUTCOME_UNKNOWN, words);
	ck_assert_uint_eq(count_of(o, id), 0);
}
