// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `tce-inspect check [DUMP]`: every rule over everything the dump holds (vmemmap_list
 * and the struct page translations, every TCE table and the pages behind its
 * entries), for CI: the findings, each rule's outcome (pass, fail, unknown with the
 * reason, not applicable), --rules/--disable to choose rules, --baseline to accept
 * findings already known by their semantic keys, --model to say the kernel follows a
 * model of its own (the rules assuming it run only then), and text, JSON, JUnit
 * (libxml2's writer) or HTML (check-html.c) output, on standard output or in -o FILE.
 * Exit 1 when a finding not in the baseline is at or above --fail-on (with --strict,
 * also when a rule could not decide).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/xmlwriter.h>

#include "cli.h"

/* ------------------------------------------------------------ the baseline */

struct baseline {
	char **id, **key;
	size_t n;
};

static void baseline_free(struct baseline *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->id[i]);
		free(b->key[i]);
	}
	free(b->id);
	free(b->key);
}

/* A baseline is a document `check --format json` wrote: its findings' ids and keys */
static int baseline_load(const char *path, struct baseline *b)
{
	json_object *doc = json_object_from_file(path), *arr;
	size_t i, n;

	memset(b, 0, sizeof(*b));
	if (!doc) {
		const char *why = json_util_get_last_err();

		/* json-c's message ends with a newline: the error stays one line */
		fprintf(stderr, "tce-inspect: check: --baseline %s: %.*s\n", path,
			why ? (int)strcspn(why, "\n") : 8, why ? why : "not JSON");
		return EXIT_USAGE;
	}
	if (!json_object_object_get_ex(doc, "findings", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		fprintf(stderr, "tce-inspect: check: --baseline %s: no \"findings\" array (a "
			"baseline is the output of check --format json)\n", path);
		json_object_put(doc);
		return EXIT_USAGE;
	}
	n = json_object_array_length(arr);
	b->id = calloc(n ? n : 1, sizeof(*b->id));
	b->key = calloc(n ? n : 1, sizeof(*b->key));
	if (!b->id || !b->key) {
		json_object_put(doc);
		fprintf(stderr, "tce-inspect: check: out of memory\n");
		return EXIT_DUMP;
	}
	for (i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(arr, i), *id, *key;

		if (!json_object_object_get_ex(f, "id", &id) ||
		    !json_object_object_get_ex(f, "key", &key) ||
		    !json_object_is_type(id, json_type_string) ||
		    !json_object_is_type(key, json_type_string)) {
			fprintf(stderr, "tce-inspect: check: --baseline %s: finding %zu has no "
				"string \"id\" and \"key\"\n", path, i);
			json_object_put(doc);
			return EXIT_USAGE;
		}
		b->id[b->n] = strdup(json_object_get_string(id));
		b->key[b->n] = strdup(json_object_get_string(key));
		if (!b->id[b->n] || !b->key[b->n]) {
			b->n++;
			json_object_put(doc);
			fprintf(stderr, "tce-inspect: check: out of memory\n");
			return EXIT_DUMP;
		}
		b->n++;
	}
	json_object_put(doc);
	return EXIT_OK;
}

static bool baselined(const struct baseline *b, const struct tce_finding *f)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (!strcmp(b->id[i], f->id) && !strcmp(b->key[i], f->key))
			return true;
	return false;
}

/* ------------------------------------------------------------ progress */

static void progress(void *data, const char *what, uint64_t done, uint64_t total)
{
	(void)data;
	if (total)
		fprintf(stderr, "\rtce-inspect: check: %s %" PRIu64 " of %" PRIu64 "\033[K", what,
			done + 1, total);
	else
		fprintf(stderr, "\rtce-inspect: check: %s: %" PRIu64 "\033[K", what, done);
}

/* ------------------------------------------------------------ samples */

/*
 * A running kernel's memory changes while it is read: a finding may be a race (an
 * entry read before the page behind it was freed and reused, say).  --samples N
 * decides each finding of the check again N - 1 times from fresh reads of what it was
 * decided from (tce_analysis_recheck(): its entries, their levels and struct pages,
 * the VM's objects; each time through a handle of its own, so nothing read before
 * serves it) and counts in how many samples it showed.  A finding not seen in every
 * sample is a race: reported as one, never failing the run.  Findings the re-reads
 * raised that the check did not list are counted, not listed.
 */
struct samples {
	unsigned n;                /* samples taken (1: the first alone) */
	bool live;                 /* the dump is a running kernel's memory */
	unsigned *seen;            /* per finding of the first sample */
	bool *race;                /* seen[i] < n */
	size_t races, later_only;
};

struct fkey {
	const char *id, *key;
};

static int fkey_cmp(const void *a, const void *b)
{
	const struct fkey *x = a, *y = b;
	int r = strcmp(x->id, y->id);

	return r ? r : strcmp(x->key, y->key);
}

/* One more sample of arg: the first sample's findings (cd's, sorted by rule and key in
 * k) decided again.  EXIT_OK or EXIT_DUMP (one line on stderr). */
static int resample(const struct cli *c, const char *arg, const struct cli_dump *cd,
		    const struct fkey *k, struct samples *sm)
{
	struct cli_dump cs;
	const struct tce_finding *f;
	size_t n = tce_finding_count(cd->a), i;
	bool *hit = calloc(n ? n : 1, sizeof(*hit));
	int ret;

	if (!hit) {
		fprintf(stderr, "tce-inspect: check: out of memory\n");
		return EXIT_DUMP;
	}
	ret = cli_open(arg, &cs);
	if (ret) {
		free(hit);
		return ret;
	}
	ret = cli_types(c, &cs, NULL);
	if (ret)
		goto out;
	if (tce_analysis_recheck(cs.a, cd->a, hit)) {
		ret = cli_dump_error(&cs);
		goto out;
	}
	for (i = 0; i < n; i++)
		sm->seen[i] += hit[i];
	for (i = 0; (f = tce_finding(cs.a, i)) != NULL; i++) {
		struct fkey want = { f->id, f->key };

		sm->later_only += !n || !bsearch(&want, k, n, sizeof(*k), fkey_cmp);
	}
out:
	free(hit);
	cli_close(&cs);
	return ret;
}

/* Takes the samples after the first (c->samples in all) and marks the races */
static int take_samples(const struct cli *c, const char *arg, const struct cli_dump *cd,
			struct samples *sm)
{
	struct tce_dump_info in = TCE_DUMP_INFO_INIT;
	size_t n = tce_finding_count(cd->a), i;
	struct fkey *k;
	const struct tce_finding *f;
	unsigned s;
	int ret = EXIT_OK;

	sm->n = c->samples ? c->samples : 1;
	sm->live = !tce_dump_info(cd->d, &in) && in.live;
	sm->seen = calloc(n ? n : 1, sizeof(*sm->seen));
	sm->race = calloc(n ? n : 1, sizeof(*sm->race));
	k = calloc(n ? n : 1, sizeof(*k));
	if (!sm->seen || !sm->race || !k) {
		free(k);
		fprintf(stderr, "tce-inspect: check: out of memory\n");
		return EXIT_DUMP;
	}
	for (i = 0; (f = tce_finding(cd->a, i)) != NULL; i++) {
		k[i] = (struct fkey){ f->id, f->key };
		sm->seen[i] = 1;
	}
	qsort(k, n, sizeof(*k), fkey_cmp);
	/* nothing to decide again: no sample reads anything */
	for (s = 1; s < sm->n && n && !ret; s++)
		ret = resample(c, arg, cd, k, sm);
	for (i = 0; i < n; i++) {
		sm->race[i] = sm->seen[i] < sm->n;
		sm->races += sm->race[i];
	}
	free(k);
	return ret;
}

static void samples_free(struct samples *sm)
{
	free(sm->seen);
	free(sm->race);
}

/* ------------------------------------------------------------ output */

struct summary {
	size_t findings, fresh, accepted;
	unsigned outcome[TCE_OUTCOME_NOT_APPLICABLE + 1];
	int status;
};

static void check_text(const struct cli_dump *cd, const bool *accepted,
		       const struct summary *s, const struct samples *sm)
{
	const struct tce_finding *f;
	const char *reason;
	size_t i;
	unsigned r;

	printf("dump:     %s\n", cd->name);
	if (sm->live && sm->n == 1)
		printf("live:     one sample of a running kernel: a finding may be a race "
		       "(--samples N reads it again)\n");
	if (sm->n > 1)
		printf("samples:  %u%s; %zu finding%s did not show in every one (race), "
		       "%zu showed in a later one only\n", sm->n,
		       sm->live ? " of a running kernel" : "", sm->races,
		       sm->races == 1 ? "" : "s", sm->later_only);
	if (!s->fresh)
		printf("findings: none%s\n", s->accepted ? " new" : "");
	else
		printf("findings: %zu%s\n", s->fresh, s->accepted ? " new" : "");
	for (i = 0; (f = tce_finding(cd->a, i)) != NULL; i++)
		if (!accepted[i] && sm->race[i])
			printf("  %-7s %s [%s]: %s (race: seen in %u of %u samples)\n",
			       tce_severity_name(f->severity), f->id, f->key, f->message,
			       sm->seen[i], sm->n);
		else if (!accepted[i])
			printf("  %-7s %s [%s]: %s\n", tce_severity_name(f->severity), f->id,
			       f->key, f->message);
	if (s->accepted)
		printf("accepted by the baseline: %zu\n", s->accepted);
	printf("rules: %u pass, %u fail, %u unknown, %u not applicable%s\n",
	       s->outcome[TCE_OUTCOME_PASS], s->outcome[TCE_OUTCOME_FAIL],
	       s->outcome[TCE_OUTCOME_UNKNOWN], s->outcome[TCE_OUTCOME_NOT_APPLICABLE],
	       s->outcome[TCE_OUTCOME_NOT_RUN] ? ", some not run" : "");
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		enum tce_outcome out = tce_rule_outcome(cd->a, r, &reason);

		if (out != TCE_OUTCOME_UNKNOWN && out != TCE_OUTCOME_NOT_APPLICABLE)
			continue;
		printf("  %-14s %s: %s\n", tce_outcome_name(out), tce_rule(r)->id,
		       reason && *reason ? reason : "no reason given");
	}
}

static void check_json(const struct cli_dump *cd, const bool *accepted,
		       const struct summary *s, const struct samples *sm, bool lines)
{
	json_object *doc = cli_json_doc(cd->name), *arr = cli_findings_json(cd->a);
	json_object *sum = json_object_new_object();
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++) {
		json_object *f = json_object_array_get_idx(arr, i);

		json_object_object_add(f, "baselined", json_object_new_boolean(accepted[i]));
		/* samples_seen: in how many reads it showed; race: not in all of them
		 * (null: read once from a running kernel, so it cannot be told) */
		if (sm->n > 1 || sm->live) {
			json_object_object_add(f, "samples_seen",
					       json_object_new_int((int)sm->seen[i]));
			json_object_object_add(f, "race", sm->n > 1 ?
					       json_object_new_boolean(sm->race[i]) : NULL);
		}
	}
	json_object_object_add(doc, "live", json_object_new_boolean(sm->live));
	json_object_object_add(doc, "samples", json_object_new_int((int)sm->n));
	json_object_object_add(doc, "findings", arr);
	json_object_object_add(doc, "outcomes", cli_outcomes_json(cd->a));
	json_object_object_add(sum, "findings", json_object_new_uint64(s->findings));
	json_object_object_add(sum, "new", json_object_new_uint64(s->fresh));
	json_object_object_add(sum, "baselined", json_object_new_uint64(s->accepted));
	json_object_object_add(sum, "races", json_object_new_uint64(sm->races));
	json_object_object_add(sum, "later_sample_only", json_object_new_uint64(sm->later_only));
	json_object_object_add(sum, "pass", json_object_new_int((int)s->outcome[TCE_OUTCOME_PASS]));
	json_object_object_add(sum, "fail", json_object_new_int((int)s->outcome[TCE_OUTCOME_FAIL]));
	json_object_object_add(sum, "unknown",
			       json_object_new_int((int)s->outcome[TCE_OUTCOME_UNKNOWN]));
	json_object_object_add(sum, "not_applicable",
			       json_object_new_int((int)s->outcome[TCE_OUTCOME_NOT_APPLICABLE]));
	json_object_object_add(sum, "exit_status", json_object_new_int(s->status));
	json_object_object_add(doc, "summary", sum);
	if (lines) {
		/* JSON Lines: one document a line, for a fleet's runner to collect */
		puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
	} else {
		cli_json_print(doc);
	}
}

/*
 * JUnit: one testsuite, one testcase a rule (classname tce-inspect.AREA); a rule with
 * new findings at or above --fail-on fails with them in the body, one below it passes
 * with them in system-out, unknown and not-applicable rules are skipped with the
 * reason (with --strict an unknown one fails).
 */
static int check_junit(const struct cli *c, const struct cli_dump *cd, const bool *accepted,
		       const struct samples *sm)
{
	bool strict = c->strict;
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	unsigned r, tests = 0, failures = 0, skipped = 0;
	int ok = w != NULL;

	for (r = 0; r < TCE_RULE_COUNT; r++) {
		enum tce_outcome out = tce_rule_outcome(cd->a, r, NULL);
		const struct tce_finding *f;
		bool fails = false;
		size_t i;

		if (out == TCE_OUTCOME_NOT_RUN)
			continue;
		tests++;
		for (i = 0; (f = tce_finding(cd->a, i)) != NULL; i++)
			fails |= f->rule == r && !accepted[i] && !sm->race[i] &&
				 f->severity >= c->fail_on;
		if (fails || (strict && out == TCE_OUTCOME_UNKNOWN))
			failures++;
		else if (out == TCE_OUTCOME_UNKNOWN || out == TCE_OUTCOME_NOT_APPLICABLE)
			skipped++;
	}
	if (ok)
		ok = xmlTextWriterSetIndent(w, 1) >= 0 &&
		     xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) >= 0 &&
		     xmlTextWriterStartElement(w, BAD_CAST "testsuites") >= 0 &&
		     xmlTextWriterStartElement(w, BAD_CAST "testsuite") >= 0 &&
		     xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "tce-inspect check") >= 0 &&
		     xmlTextWriterWriteFormatAttribute(w, BAD_CAST "tests", "%u", tests) >= 0 &&
		     xmlTextWriterWriteFormatAttribute(w, BAD_CAST "failures", "%u", failures) >= 0 &&
		     xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST "0") >= 0 &&
		     xmlTextWriterWriteFormatAttribute(w, BAD_CAST "skipped", "%u", skipped) >= 0 &&
		     xmlTextWriterStartElement(w, BAD_CAST "properties") >= 0 &&
		     xmlTextWriterStartElement(w, BAD_CAST "property") >= 0 &&
		     xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "dump") >= 0 &&
		     xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST cd->name) >= 0 &&
		     xmlTextWriterEndElement(w) >= 0 && xmlTextWriterEndElement(w) >= 0;
	for (r = 0; ok && r < TCE_RULE_COUNT; r++) {
		const struct tce_rule *rule = tce_rule(r);
		const char *reason, *body = NULL;
		enum tce_outcome out = tce_rule_outcome(cd->a, r, &reason);
		const struct tce_finding *f;
		size_t i, fresh = 0, failing = 0;

		if (out == TCE_OUTCOME_NOT_RUN)
			continue;
		for (i = 0; (f = tce_finding(cd->a, i)) != NULL; i++)
			if (f->rule == r && !accepted[i]) {
				fresh++;
				failing += !sm->race[i] && f->severity >= c->fail_on;
			}
		ok = xmlTextWriterStartElement(w, BAD_CAST "testcase") >= 0 &&
		     xmlTextWriterWriteFormatAttribute(w, BAD_CAST "classname", "tce-inspect.%s",
						       rule->area == TCE_AREA_TABLES ? "tables" :
						       "vmemmap") >= 0 &&
		     xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST rule->id) >= 0;
		if (ok && failing) {
			body = "failure";
			ok = xmlTextWriterStartElement(w, BAD_CAST body) >= 0 &&
			     xmlTextWriterWriteFormatAttribute(w, BAD_CAST "message",
							       "%zu finding%s: %s", failing,
							       failing == 1 ? "" : "s",
							       rule->summary) >= 0 &&
			     xmlTextWriterWriteAttribute(w, BAD_CAST "type",
							 BAD_CAST tce_severity_name(rule->severity)) >= 0;
		} else if (ok && strict && out == TCE_OUTCOME_UNKNOWN) {
			ok = xmlTextWriterStartElement(w, BAD_CAST "failure") >= 0 &&
			     xmlTextWriterWriteFormatAttribute(w, BAD_CAST "message", "unknown: %s",
							       reason) >= 0 &&
			     xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "unknown") >= 0 &&
			     xmlTextWriterEndElement(w) >= 0;
		} else if (ok && (out == TCE_OUTCOME_UNKNOWN ||
				  out == TCE_OUTCOME_NOT_APPLICABLE)) {
			ok = xmlTextWriterStartElement(w, BAD_CAST "skipped") >= 0 &&
			     xmlTextWriterWriteFormatAttribute(w, BAD_CAST "message", "%s: %s",
							       tce_outcome_name(out), reason) >= 0 &&
			     xmlTextWriterEndElement(w) >= 0;
		} else if (ok && fresh) {
			/* findings below --fail-on: told, not failed */
			body = "system-out";
			ok = xmlTextWriterStartElement(w, BAD_CAST body) >= 0;
		}
		for (i = 0; ok && body && (f = tce_finding(cd->a, i)) != NULL; i++)
			if (f->rule == r && !accepted[i])
				ok = xmlTextWriterWriteFormatString(w, "%s %s [%s]: %s%s\n",
								    tce_severity_name(f->severity),
								    f->id, f->key, f->message,
								    sm->race[i] ? " (race)" : "") >= 0;
		if (ok && body)
			ok = xmlTextWriterEndElement(w) >= 0;
		if (ok)
			ok = xmlTextWriterEndElement(w) >= 0;
	}
	if (ok)
		ok = xmlTextWriterEndDocument(w) >= 0;
	if (w)
		xmlFreeTextWriter(w);
	if (ok)
		fputs((const char *)xmlBufferContent(buf), stdout);
	else
		fprintf(stderr, "tce-inspect: check: the JUnit document cannot be written\n");
	if (buf)
		xmlBufferFree(buf);
	return ok ? EXIT_OK : EXIT_DUMP;
}

/* One dump: EXIT_OK, EXIT_FINDINGS, or EXIT_DUMP (a line on stderr says why) */
static int check_one(struct cli *c, const char *arg, const struct baseline *base,
		     const bool *on, bool lines)
{
	struct summary s = { 0 };
	struct samples sm = { 0 };
	struct cli_dump cd;
	bool *accepted = NULL;
	const struct tce_finding *f;
	size_t i;
	unsigned r;
	int ret;

	ret = cli_open(arg, &cd);
	if (ret)
		return ret;
	ret = cli_types(c, &cd, NULL);
	if (ret) {
		cli_close(&cd);
		return ret;
	}
	for (r = 0; r < TCE_RULE_COUNT; r++)
		tce_analysis_enable(cd.a, r, on[r]);
	for (r = 0; r < TCE_KMODEL_COUNT; r++)
		tce_analysis_set_model(cd.a, r, c->model[r]);
	/* the map is made by the check's pass, and only when it is drawn */
	if (c->format == CLI_HTML)
		tce_analysis_set_window_map(cd.a, true);
	if (isatty(STDERR_FILENO))
		tce_analysis_set_progress(cd.a, progress, NULL);
	ret = tce_analysis_check(cd.a);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[K");
	if (ret) {
		ret = cli_dump_error(&cd);
		goto out;
	}
	ret = take_samples(c, arg, &cd, &sm);
	if (ret)
		goto out;
	s.findings = tce_finding_count(cd.a);
	accepted = calloc(s.findings ? s.findings : 1, sizeof(*accepted));
	if (!accepted) {
		fprintf(stderr, "tce-inspect: check: out of memory\n");
		ret = EXIT_DUMP;
		goto out;
	}
	for (i = 0; (f = tce_finding(cd.a, i)) != NULL; i++) {
		accepted[i] = baselined(base, f);
		s.accepted += accepted[i];
		s.fresh += !accepted[i];
		if (!accepted[i] && !sm.race[i] && f->severity >= c->fail_on)
			s.status = EXIT_FINDINGS;
	}
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		enum tce_outcome out = tce_rule_outcome(cd.a, r, NULL);

		s.outcome[out]++;
		if (c->strict && out == TCE_OUTCOME_UNKNOWN)
			s.status = EXIT_FINDINGS;
	}
	if (c->format == CLI_JSON)
		check_json(&cd, accepted, &s, &sm, lines);
	else if (c->format == CLI_JUNIT)
		ret = check_junit(c, &cd, accepted, &sm);
	else if (c->format == CLI_HTML)
		ret = cli_check_html(c, &cd, accepted, sm.n > 1 || sm.live ? sm.seen : NULL,
				     sm.race, sm.n, s.status);
	else
		check_text(&cd, accepted, &s, &sm);
	if (!ret)
		ret = s.status;
out:
	samples_free(&sm);
	free(accepted);
	cli_close(&cd);
	return ret;
}

int cmd_check(struct cli *c)
{
	struct baseline base = { 0 };
	bool on[TCE_RULE_COUNT];
	size_t i, n = c->nargs ? c->nargs : 1;
	int ret, status = EXIT_OK;

	ret = cli_rules_on(c, on);
	if (ret)
		return ret;
	if ((c->format == CLI_JUNIT || c->format == CLI_HTML) && n > 1)
		return cli_usage(c, "--format %s takes one dump (JSON takes many: a line "
				 "each)", c->format == CLI_JUNIT ? "junit" : "html");
	if (c->baseline && (ret = baseline_load(c->baseline, &base)))
		return ret;
	/* the output goes to FILE instead of standard output: main() flushes and checks
	 * it as it does standard output */
	if (c->output && !freopen(c->output, "w", stdout)) {
		fprintf(stderr, "tce-inspect: check: --output %s: %s\n", c->output,
			strerror(errno));
		baseline_free(&base);
		return EXIT_DUMP;
	}
	/* every dump is checked, whatever the one before gave: the worst status wins
	 * (3 over 1 over 0) */
	for (i = 0; i < n; i++) {
		if (n > 1 && c->format == CLI_TEXT)
			printf("%s", i ? "\n" : "");
		ret = check_one(c, c->nargs ? c->args[i] : NULL, &base, on, n > 1);
		if (ret == EXIT_DUMP || (ret == EXIT_FINDINGS && status == EXIT_OK))
			status = ret;
	}
	baseline_free(&base);
	return status;
}
