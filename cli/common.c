// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every command needs: opening the dump (or the embedded sample) with its
 * analysis, one-line errors with the documented exit status, numbers as the command
 * line and JSON take them, and the findings and rule outcomes as text or JSON.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

extern const unsigned char tce_sample_start[], tce_sample_end[];

/* The embedded sample, opened from an anonymous memory file. */
static int open_sample(struct tce_dump *d)
{
	/* one object: sample.S puts both symbols around the blob */
	/* cppcheck-suppress comparePointers */
	size_t len = tce_sample_end - tce_sample_start, off = 0;
	int fd, ret;

	fd = memfd_create("tce-inspect-sample", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t n = write(fd, tce_sample_start + off, len - off);

		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			close(fd);
			return ret;
		}
		off += n;
	}
	ret = tce_dump_open_fd(d, fd, TCE_SAMPLE_NAME);
	close(fd);
	return ret ? 1 : 0;
}

int cli_types(const struct cli *c, struct cli_dump *cd, struct tce_types_info *ti)
{
	struct tce_types_opts o = TCE_TYPES_OPTS_INIT;

	o.vmlinux = c->vmlinux;
	o.debug_dir = c->debug_dir;
	o.debuginfod = !c->no_debuginfod;
	if (tce_analysis_set_types(cd->a, &o))
		return cli_dump_error(cd);
	if (!ti)
		return tce_analysis_load_types(cd->a) ? cli_dump_error(cd) : EXIT_OK;
	*ti = (struct tce_types_info)TCE_TYPES_INFO_INIT;
	if (tce_analysis_types(cd->a, ti))
		return cli_dump_error(cd);
	return EXIT_OK;
}

int cli_open(const char *arg, struct cli_dump *cd)
{
	bool sample = !arg || !strcmp(arg, "@sample");
	int ret;

	memset(cd, 0, sizeof(*cd));
	cd->name = sample ? TCE_SAMPLE_NAME : arg;
	cd->d = tce_dump_new();
	if (!cd->d) {
		fprintf(stderr, "tce-inspect: %s\n", tce_errmsg(NULL));
		return EXIT_DUMP;
	}
	if (sample) {
		ret = open_sample(cd->d);
		if (ret < 0) {
			fprintf(stderr, "tce-inspect: cannot hold the built-in sample: %s\n",
				strerror(-ret));
			cli_close(cd);
			return EXIT_DUMP;
		}
	} else {
		ret = tce_dump_open(cd->d, cd->name);
	}
	if (!ret && tce_dump_unflattened(cd->d))
		fprintf(stderr, "tce-inspect: %s: %s (the file is not written)\n", cd->name,
			tce_dump_unflattened(cd->d));
	if (!ret && tce_dump_repaired(cd->d))
		fprintf(stderr, "tce-inspect: %s: repaired in memory (the file is not "
			"written): %s\n", cd->name, tce_dump_repaired(cd->d));
	if (!ret)
		ret = tce_analysis_new(cd->d, &cd->a);
	if (ret) {
		cli_dump_error(cd);
		cli_close(cd);
		return EXIT_DUMP;
	}
	return EXIT_OK;
}

void cli_close(struct cli_dump *cd)
{
	tce_analysis_free(cd->a);
	tce_dump_free(cd->d);
	cd->a = NULL;
	cd->d = NULL;
}

int cli_dump_error(const struct cli_dump *cd)
{
	const char *msg = tce_errmsg(cd->d);
	size_t n = strlen(cd->name);

	if (!*msg)
		msg = "unknown error";
	/* the messages of open name the file; the later ones do not */
	if (!strncmp(msg, cd->name, n) && msg[n] == ':')
		fprintf(stderr, "tce-inspect: %s\n", msg);
	else
		fprintf(stderr, "tce-inspect: %s: %s\n", cd->name, msg);
	return EXIT_DUMP;
}

int cli_parse_u64(const char *s, uint64_t *v)
{
	unsigned base = 10, digit;
	uint64_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			digit = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			digit = *s - 'A' + 10;
		else
			return -1;
		if (n > (UINT64_MAX - digit) / base)
			return -1;
		n = n * base + digit;
	}
	*v = n;
	return 0;
}

json_object *cli_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_object_new_string(buf);
}

json_object *cli_json_doc(const char *dump)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "schema_version", json_object_new_int(CLI_SCHEMA_VERSION));
	if (dump)
		json_object_object_add(o, "dump", json_object_new_string(dump));
	return o;
}

void cli_json_print(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_SPACED |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

json_object *cli_findings_json(const struct tce_analysis *a)
{
	json_object *arr = json_object_new_array();
	const struct tce_finding *f;
	size_t i;

	for (i = 0; (f = tce_finding(a, i)) != NULL; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_string(f->id));
		json_object_object_add(o, "severity",
				       json_object_new_string(tce_severity_name(f->severity)));
		json_object_object_add(o, "key", json_object_new_string(f->key));
		json_object_object_add(o, "message", json_object_new_string(f->message));
		/* absent: the finding is not about pfns */
		if (f->pfn_first != TCE_NO_PFN) {
			json_object_object_add(o, "pfn_first", cli_hex(f->pfn_first));
			json_object_object_add(o, "pfn_last", cli_hex(f->pfn_last));
		}
		json_object_array_add(arr, o);
	}
	return arr;
}

json_object *cli_outcomes_json(const struct tce_analysis *a)
{
	json_object *arr = json_object_new_array();
	unsigned r;

	for (r = 0; r < TCE_RULE_COUNT; r++) {
		const struct tce_rule *rule = tce_rule(r);
		json_object *o = json_object_new_object();
		const char *reason;
		enum tce_outcome out = tce_rule_outcome(a, r, &reason);

		/* a rule the command did not run is not listed */
		if (out == TCE_OUTCOME_NOT_RUN) {
			json_object_put(o);
			continue;
		}
		json_object_object_add(o, "id", json_object_new_string(rule->id));
		json_object_object_add(o, "severity", json_object_new_string(
					       tce_severity_name(rule->severity)));
		json_object_object_add(o, "outcome",
				       json_object_new_string(tce_outcome_name(out)));
		json_object_object_add(o, "reason", reason ? json_object_new_string(reason) :
				       NULL);
		json_object_array_add(arr, o);
	}
	return arr;
}

void cli_findings_text(const struct tce_analysis *a)
{
	size_t i, n = tce_finding_count(a);
	const struct tce_finding *f;

	if (!n) {
		printf("findings: none\n");
		return;
	}
	printf("findings: %zu\n", n);
	for (i = 0; (f = tce_finding(a, i)) != NULL; i++)
		printf("  %-7s %s [%s]: %s\n", tce_severity_name(f->severity), f->id, f->key,
		       f->message);
}

void cli_outcomes_text(const struct tce_analysis *a)
{
	unsigned r, count[TCE_OUTCOME_NOT_APPLICABLE + 1] = { 0 };
	const char *reason;

	for (r = 0; r < TCE_RULE_COUNT; r++) {
		enum tce_outcome out = tce_rule_outcome(a, r, NULL);

		if ((unsigned)out < sizeof(count) / sizeof(count[0]))
			count[out]++;
	}
	printf("rules: %u pass, %u fail, %u unknown, %u not applicable\n",
	       count[TCE_OUTCOME_PASS], count[TCE_OUTCOME_FAIL], count[TCE_OUTCOME_UNKNOWN],
	       count[TCE_OUTCOME_NOT_APPLICABLE]);
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		enum tce_outcome out = tce_rule_outcome(a, r, &reason);

		if (out != TCE_OUTCOME_UNKNOWN && out != TCE_OUTCOME_NOT_APPLICABLE)
			continue;
		printf("  %-14s %s: %s\n", tce_outcome_name(out), tce_rule(r)->id,
		       reason && *reason ? reason : "no reason given");
	}
}

int cli_findings_status(const struct cli *c, const struct tce_analysis *a)
{
	const struct tce_finding *f;
	size_t i;

	for (i = 0; (f = tce_finding(a, i)) != NULL; i++)
		if (f->severity >= c->fail_on)
			return EXIT_FINDINGS;
	return EXIT_OK;
}

void cli_wrap(FILE *f, const char *text, unsigned first_indent, unsigned indent,
	      unsigned width)
{
	unsigned col = first_indent, gap;
	bool line_empty = true;

	fprintf(f, "%*s", (int)first_indent, "");
	while (*text) {
		size_t spaces = strspn(text, " "), n;

		text += spaces;
		n = strcspn(text, " ");
		if (!n)
			break;
		/* two spaces after a sentence stay two */
		gap = spaces >= 2 ? 2 : 1;
		if (!line_empty && col + gap + n > width) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
			line_empty = true;
		}
		if (!line_empty) {
			fprintf(f, "%*s", (int)gap, "");
			col += gap;
		}
		fwrite(text, 1, n, f);
		col += n;
		line_empty = false;
		text += n;
	}
	fputc('\n', f);
}

void cli_page_fields_jw(struct cli_jw *w, struct tce_analysis *a, const struct tce_page *pg,
			bool ok)
{
	uint64_t named;
	unsigned b;

	/* the struct page: every key always there, null when it could not be read */
	cli_jw_hex_or_null(w, "phys", ok, pg->phys);
	cli_jw_hex_or_null(w, "flags", ok, pg->flags);
	if (ok) {
		cli_jw_array(w, "flag_names");
		/* the set bits only, lowest first */
		for (named = pg->flags & pg->named_flags; named; named &= named - 1) {
			const char *name = tce_page_flag_bit(a, (unsigned)__builtin_ctzll(named));

			cli_jw_string(w, NULL, name ? name : "?");
		}
		cli_jw_end(w);
		cli_jw_hex(w, "unnamed_flags", pg->flags & ~pg->named_flags);
	} else {
		cli_jw_null(w, "flag_names");
		cli_jw_null(w, "unnamed_flags");
	}
	cli_jw_int_or_null(w, "refcount", ok, pg->refcount);
	cli_jw_int_or_null(w, "mapcount", ok, pg->mapcount);
	cli_jw_hex_or_null(w, "compound_head", ok, pg->compound_head);
	cli_jw_hex_or_null(w, "mapping", ok && pg->has_mapping, pg->mapping);
	cli_jw_hex_or_null(w, "private", ok && pg->has_private, pg->private_);
	if (ok) {
		cli_jw_object(w, "states");
		/* true, false, or null: the dump does not say */
		for (b = 0; b < TCE_PF_COUNT; b++) {
			if (pg->known & (1u << b))
				cli_jw_bool(w, tce_page_flag_name(b), pg->states & (1u << b));
			else
				cli_jw_null(w, tce_page_flag_name(b));
		}
		cli_jw_end(w);
	} else {
		cli_jw_null(w, "states");
	}
	cli_jw_hex_or_null(w, "head_pfn", ok && pg->head_pfn != TCE_NO_PFN, pg->head_pfn);
	cli_jw_int_or_null(w, "compound_order", ok && pg->compound_order >= 0,
			   pg->compound_order);
	cli_jw_int_or_null(w, "buddy_order", ok && pg->buddy_order >= 0, pg->buddy_order);
}

/* Applies a comma-separated list of rule ids or shell patterns ("TCE-KVM-*") */
static int rules_apply(const struct cli *c, const char *list, bool *on, bool value)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int ret = 0;

	if (!copy)
		return cli_usage(c, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned r, matched = 0;

		for (r = 0; r < TCE_RULE_COUNT; r++)
			if (!fnmatch(tok, tce_rule(r)->id, 0)) {
				on[r] = value;
				matched++;
			}
		if (!matched) {
			ret = cli_usage(c, "no rule is '%s' (see tce-inspect rules)", tok);
			break;
		}
	}
	free(copy);
	return ret;
}

int cli_rules_on(const struct cli *c, bool on[TCE_RULE_COUNT])
{
	unsigned r;
	int ret;

	for (r = 0; r < TCE_RULE_COUNT; r++)
		on[r] = !c->rules;
	if (c->rules && (ret = rules_apply(c, c->rules, on, true)))
		return ret;
	if (c->disable && (ret = rules_apply(c, c->disable, on, false)))
		return ret;
	return 0;
}

void cli_tce_entry_jw(struct cli_jw *w, const struct tce_table_entry *e)
{
	cli_jw_hex(w, "raw", e->raw);
	cli_jw_hex(w, "target", e->target);
	cli_jw_string(w, "target_space", e->host ? "host" : "guest");
	cli_jw_bool(w, "read", e->perm & 1);
	cli_jw_bool(w, "write", e->perm & 2);
	cli_jw_string(w, "host", tce_host_state_name(e->host_state));
}
