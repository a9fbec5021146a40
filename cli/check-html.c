// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `check --format html`: one self-contained page (no network, no file beside it) with
 * a strip per TCE table, its window along it and each cell coloured by the states of
 * the pages behind the entries it holds, zoomable, and the findings beside it, each
 * linked to its cell.  The data is libtce's window map (tce_window_map(), made by the
 * check's own pass) and the findings as the JSON output lists them, written as one JSON
 * document inside the page; the script and style embedded in tce-inspect (report.S:
 * cli/report.js, cli/report.css) draw it.  The page's size is bounded by the map's
 * (per table at most TCE_MAP_CELLS + TCE_MAP_CELLS * TCE_MAP_ZOOM cells and
 * TCE_MAP_EXACT entries) and the findings' (TCE_FINDINGS_PER_RULE a rule).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

extern const char tce_report_js_start[], tce_report_js_end[];
extern const char tce_report_css_start[], tce_report_css_end[];

/* The embedded data: only non-empty cells, six numbers each (the cell's index and its
 * counts by state), flat */
static void map_json(struct cli_jw *w, struct tce_analysis *a, const struct tce_window_map *m)
{
	struct tce_table_info ti = TCE_TABLE_INFO_INIT;
	unsigned l, s;
	size_t i;

	cli_jw_object(w, NULL);
	cli_jw_uint(w, "table", m->table);
	cli_jw_string(w, "key", m->key);
	if (!tce_analysis_table(a, m->table, &ti)) {
		cli_jw_string(w, "kind", tce_table_kind_name(ti.kind));
		cli_jw_hex(w, "address", ti.addr);
		cli_jw_hex(w, "id", ti.id);
		cli_jw_string(w, "found", ti.found);
	}
	cli_jw_uint(w, "entries", m->entries);
	cli_jw_hex(w, "offset", m->offset);
	cli_jw_uint(w, "page_shift", m->page_shift);
	cli_jw_string(w, "walk_error", m->walk_err ? m->walk_why : NULL);
	cli_jw_array(w, "count");
	for (s = 0; s < TCE_ES_COUNT; s++)
		cli_jw_uint(w, NULL, m->count[s]);
	cli_jw_end(w);
	cli_jw_array(w, "levels");
	for (l = 0; l < 2; l++) {
		if (!m->ncells[l])
			continue;
		cli_jw_object(w, NULL);
		cli_jw_uint(w, "shift", m->shift[l]);
		cli_jw_uint(w, "ncells", m->ncells[l]);
		cli_jw_array(w, "cells");
		for (i = 0; i < m->ncells[l]; i++) {
			for (s = 0; s < TCE_ES_COUNT && !m->cells[l][i][s]; s++)
				;
			if (s == TCE_ES_COUNT)
				continue;
			cli_jw_uint(w, NULL, i);
			for (s = 0; s < TCE_ES_COUNT; s++)
				cli_jw_uint(w, NULL, m->cells[l][i][s]);
		}
		cli_jw_end(w);
		cli_jw_end(w);
	}
	cli_jw_end(w);
	/* [position, pfn or null, state] */
	cli_jw_array(w, "exact");
	for (i = 0; i < m->nexact; i++) {
		const struct tce_map_entry *e = &m->exact[i];

		cli_jw_array(w, NULL);
		cli_jw_uint(w, NULL, e->pos);
		cli_jw_hex_or_null(w, NULL, e->pfn != TCE_NO_PFN, e->pfn);
		cli_jw_uint(w, NULL, e->state);
		cli_jw_end(w);
	}
	cli_jw_end(w);
	cli_jw_bool(w, "exact_all", m->exact_all);
	cli_jw_uint(w, "exact_more", m->exact_more);
	cli_jw_end(w);
}

static void data_json(struct cli_jw *w, const struct cli *c, const struct cli_dump *cd,
		      const bool *accepted, const unsigned *seen, const bool *race,
		      unsigned samples, int status)
{
	const struct tce_finding *f;
	size_t i, n = tce_window_map_count(cd->a);
	unsigned s, r;

	cli_jw_object(w, NULL);
	cli_jw_int(w, "schema_version", CLI_SCHEMA_VERSION);
	cli_jw_string(w, "dump", cd->name);
	cli_jw_string(w, "version", PACKAGE_VERSION);
	cli_jw_string(w, "fail_on", tce_severity_name(c->fail_on));
	cli_jw_int(w, "exit_status", status);
	cli_jw_uint(w, "samples", samples);
	cli_jw_array(w, "states");
	for (s = 0; s < TCE_ES_COUNT; s++)
		cli_jw_string(w, NULL, tce_entry_state_name(s));
	cli_jw_end(w);
	cli_jw_uint(w, "zoom", TCE_MAP_ZOOM);
	cli_jw_array(w, "tables");
	for (i = 0; i < n; i++)
		map_json(w, cd->a, tce_window_map(cd->a, i));
	cli_jw_end(w);
	/* as check --format json lists them */
	cli_jw_array(w, "findings");
	for (i = 0; (f = tce_finding(cd->a, i)) != NULL; i++) {
		cli_jw_object(w, NULL);
		cli_jw_string(w, "id", f->id);
		cli_jw_string(w, "severity", tce_severity_name(f->severity));
		cli_jw_string(w, "key", f->key);
		cli_jw_string(w, "message", f->message);
		if (f->pfn_first != TCE_NO_PFN) {
			cli_jw_hex(w, "pfn_first", f->pfn_first);
			cli_jw_hex(w, "pfn_last", f->pfn_last);
		}
		cli_jw_bool(w, "baselined", accepted[i]);
		if (seen) {
			cli_jw_uint(w, "samples_seen", seen[i]);
			if (samples > 1)
				cli_jw_bool(w, "race", race[i]);
			else
				cli_jw_null(w, "race");
		}
		cli_jw_end(w);
	}
	cli_jw_end(w);
	cli_jw_array(w, "outcomes");
	for (r = 0; r < TCE_RULE_COUNT; r++) {
		const char *reason;
		enum tce_outcome out = tce_rule_outcome(cd->a, r, &reason);

		if (out == TCE_OUTCOME_NOT_RUN)
			continue;
		cli_jw_object(w, NULL);
		cli_jw_string(w, "id", tce_rule(r)->id);
		cli_jw_string(w, "outcome", tce_outcome_name(out));
		cli_jw_string(w, "reason", reason);
		cli_jw_end(w);
	}
	cli_jw_end(w);
	cli_jw_end(w);
}

/* Text into HTML: the five characters that mean something there */
static void html_text(FILE *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
}

int cli_check_html(const struct cli *c, const struct cli_dump *cd, const bool *accepted,
		   const unsigned *seen, const bool *race, unsigned samples, int status)
{
	struct cli_jw *w = malloc(sizeof(*w));
	char *buf = NULL;
	size_t len = 0, i;
	FILE *mem;

	if (!w || !(mem = open_memstream(&buf, &len))) {
		free(w);
		fprintf(stderr, "tce-inspect: check: out of memory\n");
		return EXIT_DUMP;
	}
	cli_jw_init(w, mem);
	data_json(w, c, cd, accepted, seen, race, samples, status);
	if (cli_jw_flush(w) || fclose(mem)) {
		free(w);
		free(buf);
		fprintf(stderr, "tce-inspect: check: out of memory\n");
		return EXIT_DUMP;
	}
	free(w);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      /* nothing from the network, whatever a dump's strings say */
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
	      "<title>tce-inspect check: ", stdout);
	html_text(stdout, cd->name);
	fputs("</title>\n<style>\n", stdout);
	/* one object: report.S puts both symbols around each file */
	/* cppcheck-suppress comparePointers */
	fwrite(tce_report_css_start, 1, tce_report_css_end - tce_report_css_start, stdout);
	fputs("</style>\n</head>\n<body>\n<noscript>This report is drawn by its script.</noscript>\n"
	      "<script type=\"application/json\" id=\"tce-data\">", stdout);
	/* inside <script>, "</" would end it: '<' occurs only in JSON strings, where
	 * \u003c is the same character */
	for (i = 0; i < len; i++)
		if (buf[i] == '<')
			fputs("\\u003c", stdout);
		else
			putchar(buf[i]);
	free(buf);
	fputs("</script>\n<script>\n", stdout);
	/* cppcheck-suppress comparePointers */
	fwrite(tce_report_js_start, 1, tce_report_js_end - tce_report_js_start, stdout);
	fputs("</script>\n</body>\n</html>\n", stdout);
	return EXIT_OK;
}
