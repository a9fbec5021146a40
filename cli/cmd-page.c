// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `tce-inspect page DUMP PFN...`: for each pfn (numbers and FIRST-LAST ranges, any
 * number of them, streamed: nothing is kept per pfn) its struct page located by every
 * translation, what the translations disagree on (with the rule it breaks), and its
 * fields as the dump names them.  A pfn without a readable struct page is an error
 * line of the listing (exit 1); a dump that cannot be read is exit 3.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* One argument: a pfn, or FIRST-LAST (inclusive). */
static int parse_spec(const char *s, uint64_t *first, uint64_t *last)
{
	const char *dash = strchr(s, '-');
	char buf[64];
	size_t n;

	if (!dash)
		return cli_parse_u64(s, first) ? -1 : (*last = *first, 0);
	n = dash - s;
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (cli_parse_u64(buf, first) || cli_parse_u64(dash + 1, last))
		return -1;
	return 0;
}

/* What one run shares across pfns. */
struct page_run {
	struct cli *c;
	struct cli_dump cd;
	int status;
	size_t listed;
	unsigned unknown_states;   /* TCE_PF_* no page read could decide */
	bool unnamed_bits;         /* some page had set flag bits the dump does not name */
};

struct pfn_answer {
	struct tce_pfn_xlat x;     /* every translation, compared by the library */
	struct tce_page pg;
	int err;                   /* of tce_page_read(): 0 or negative */
	char errmsg[512];
};

/* 0, or EXIT_DUMP after one line on stderr (the dump cannot be read at all). */
static int answer(struct page_run *r, uint64_t pfn, struct pfn_answer *ans)
{
	struct tce_analysis *a = r->cd.a;
	unsigned i;
	int ret;

	memset(ans, 0, sizeof(*ans));
	ans->x = (struct tce_pfn_xlat)TCE_PFN_XLAT_INIT;
	ret = tce_pfn_xlat(a, pfn, &ans->x);
	if (ret)
		return cli_dump_error(&r->cd);
	ans->pg = (struct tce_page)TCE_PAGE_INIT;
	ret = tce_page_read(a, pfn, &ans->pg);
	if (ret == -TCE_ENOMEM || ret == -TCE_EIO || ret == -TCE_EINVAL)
		return cli_dump_error(&r->cd);
	ans->err = ret;
	if (ret) {
		snprintf(ans->errmsg, sizeof(ans->errmsg), "%s", tce_errmsg(r->cd.d));
		r->status = EXIT_FINDINGS;   /* an error: no --fail-on level is above it */
	} else {
		r->unknown_states |= ~ans->pg.known & ((1u << TCE_PF_COUNT) - 1);
		if (ans->pg.flags & ~ans->pg.named_flags)
			r->unnamed_bits = true;
	}
	for (i = 0; i < ans->x.nproblems; i++)
		if (tce_rule(ans->x.problem[i].rule)->severity >= r->c->fail_on)
			r->status = EXIT_FINDINGS;
	return 0;
}

/* ---------------------------------------------------------------- JSON */

static json_object *page_json(struct page_run *r, uint64_t pfn, const struct pfn_answer *ans)
{
	json_object *o = json_object_new_object(), *t = json_object_new_object();
	json_object *ts = json_object_new_object(), *probs = json_object_new_array();
	const struct tce_page *pg = &ans->pg;
	const struct tce_pfn_xlat *x = &ans->x;
	uint64_t va = x->vmemmap;
	bool ok = !ans->err;
	unsigned m;

	json_object_object_add(o, "pfn", cli_hex(pfn));
	json_object_object_add(o, "vmemmap", va ? cli_hex(va) : NULL);
	for (m = 0; m < TCE_XLAT_NUM; m++) {
		bool found = x->st[m] == TCE_XS_OK || x->st[m] == TCE_XS_STRADDLE;

		json_object_object_add(t, tce_xlat_name(m), found ? cli_hex(x->phys[m]) :
				       NULL);
		json_object_object_add(ts, tce_xlat_name(m), json_object_new_string(
					       tce_xlat_status_name(x->st[m])));
	}
	json_object_object_add(o, "translations", t);
	json_object_object_add(o, "translation_status", ts);
	json_object_object_add(o, "reference", x->reference < TCE_XLAT_NUM ?
			       json_object_new_string(tce_xlat_name(x->reference)) : NULL);
	for (m = 0; m < x->nproblems; m++) {
		const struct tce_rule *rule = tce_rule(x->problem[m].rule);
		json_object *p = json_object_new_object();

		json_object_object_add(p, "id", json_object_new_string(rule->id));
		json_object_object_add(p, "severity", json_object_new_string(
					       tce_severity_name(rule->severity)));
		json_object_object_add(p, "method",
				       json_object_new_string(tce_xlat_name(x->problem[m].method)));
		json_object_object_add(p, "message",
				       json_object_new_string(x->problem[m].message));
		json_object_array_add(probs, p);
	}
	json_object_object_add(o, "findings", probs);
	json_object_object_add(o, "error", ok ? NULL : json_object_new_string(ans->errmsg));

	cli_page_fields_json(o, r->cd.a, pg, ok);
	return o;
}

/* ---------------------------------------------------------------- text */

#define COL "  %-10s "

/* "57 61-63": the set bits of v */
static void print_bits(uint64_t v)
{
	unsigned b = 0, first;
	bool any = false;

	while (b < 64) {
		if (!(v & (1ULL << b))) {
			b++;
			continue;
		}
		first = b;
		while (b + 1 < 64 && (v & (1ULL << (b + 1))))
			b++;
		printf(first == b ? "%s%u" : "%s%u-%u", any ? " " : "", first, b);
		any = true;
		b++;
	}
}

static void page_text(struct page_run *r, uint64_t pfn, const struct pfn_answer *ans)
{
	const struct tce_page *pg = &ans->pg;
	const struct tce_pfn_xlat *x = &ans->x;
	uint64_t va = x->vmemmap, named, unnamed;
	unsigned m, b, n;

	printf("pfn 0x%" PRIx64 " (%" PRIu64 ")\n", pfn, pfn);
	if (va)
		printf(COL "0x%" PRIx64 "\n", "vmemmap", va);
	for (m = 0; m < TCE_XLAT_NUM; m++) {
		const char *ref = m == x->reference ? " (reference)" : "";

		if (x->st[m] == TCE_XS_OK || x->st[m] == TCE_XS_STRADDLE)
			printf(COL "0x%" PRIx64 "%s%s\n", tce_xlat_name(m), x->phys[m],
			       x->st[m] == TCE_XS_STRADDLE ? " (straddling)" : "", ref);
		else
			printf(COL "%s%s\n", tce_xlat_name(m), tce_xlat_status_name(x->st[m]),
			       ref);
	}
	for (m = 0; m < x->nproblems; m++) {
		const struct tce_rule *rule = tce_rule(x->problem[m].rule);

		printf(COL "%s: %s\n", tce_severity_name(rule->severity), rule->id,
		       x->problem[m].message);
	}
	if (ans->err) {
		printf(COL "%s\n", "error", ans->errmsg);
		return;
	}
	named = pg->flags & pg->named_flags;
	unnamed = pg->flags & ~pg->named_flags;
	printf(COL "0x%016" PRIx64, "flags", pg->flags);
	for (b = 0; b < 64; b++) {
		const char *name;

		if (!(named & (1ULL << b)))
			continue;
		name = tce_page_flag_bit(r->cd.a, b);
		printf(" %s", name ? name : "?");
	}
	if (!pg->flags)
		printf(" (none set)");
	printf("\n");
	if (unnamed) {
		printf(COL "bit%s ", "", unnamed & (unnamed - 1) ? "s" : "");
		print_bits(unnamed);
		printf(" set, not named by the dump\n");
	}
	printf(COL, "states");
	for (b = 0, n = 0; b < TCE_PF_COUNT; b++) {
		if (!(pg->states & (1u << b)) || (1u << b) == TCE_PF_TAIL)
			continue;
		printf("%s%s", n++ ? " " : "", tce_page_flag_name(b));
		if ((1u << b) == TCE_PF_BUDDY && pg->buddy_order >= 0)
			printf(" (order %d)", pg->buddy_order);
	}
	printf("%s\n", n ? "" : "none");
	printf(COL "%d\n" COL "%d\n", "_refcount", pg->refcount, "_mapcount", pg->mapcount);
	if (pg->states & TCE_PF_TAIL) {
		if (pg->head_pfn != TCE_NO_PFN)
			printf(COL "tail of pfn 0x%" PRIx64 "\n", "compound", pg->head_pfn);
		else
			printf(COL "tail of 0x%" PRIx64 ", which is no struct page of the "
			       "vmemmap\n", "compound", pg->compound_head - 1);
	} else if (pg->states & TCE_PF_HEAD) {
		if (pg->compound_order >= 0)
			printf(COL "head, order %d (%llu pages)\n", "compound",
			       pg->compound_order,
			       pg->compound_order < 64 ? 1ULL << pg->compound_order : 0ULL);
		else
			printf(COL "head, order unknown\n", "compound");
	} else {
		printf(COL "not a tail\n", "compound");
	}
	if (pg->has_mapping)
		printf(COL "0x%" PRIx64 "\n", "mapping", pg->mapping);
	else
		printf(COL "unknown (VMCOREINFO has no OFFSET(page.mapping))\n", "mapping");
	if (pg->has_private)
		printf(COL "0x%" PRIx64 "\n", "private", pg->private_);
	else
		printf(COL "unknown (VMCOREINFO has no OFFSET(page.private))\n", "private");
}

/* Said once, after the listing: what no page could say. */
static void notes_text(const struct page_run *r)
{
	char buf[512];
	size_t len;
	unsigned b, n = 0;

	if (r->unknown_states) {
		len = snprintf(buf, sizeof(buf), "note: states this dump does not name, "
			       "unknown on every page above:");
		for (b = 0; b < TCE_PF_COUNT; b++)
			if (r->unknown_states & (1u << b))
				len += snprintf(buf + len, sizeof(buf) - len, "%s %s",
						n++ ? "," : "", tce_page_flag_name(b));
		printf("\n");
		cli_wrap(stdout, buf, 0, 6, 80);
	}
	if (r->unnamed_bits) {
		printf("\n");
		cli_wrap(stdout, "note: page->flags bits the dump does not name (it names "
			 "those VMCOREINFO gives a NUMBER(PG_*) for, and PG_head_mask) need "
			 "type information (a vmlinux) to be named; the high bits of "
			 "page->flags hold the node, zone and section numbers, not flags.",
			 0, 6, 80);
	}
}

/* ---------------------------------------------------------------- the run */

static int list_pfn(struct page_run *r, uint64_t pfn)
{
	struct pfn_answer *ans = malloc(sizeof(*ans));
	int ret;

	if (!ans) {
		fprintf(stderr, "tce-inspect: out of memory\n");
		return EXIT_DUMP;
	}
	ret = answer(r, pfn, ans);
	if (!ret) {
		if (r->c->format == CLI_JSON) {
			json_object *o = page_json(r, pfn, ans);

			printf("%s\n    %s", r->listed ? "," : "",
			       json_object_to_json_string_ext(o, JSON_C_TO_STRING_SPACED |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(o);
		} else {
			printf("%s", r->listed ? "\n" : "");
			page_text(r, pfn, ans);
		}
		r->listed++;
	}
	free(ans);
	return ret;
}

int cmd_page(struct cli *c)
{
	uint64_t limit = c->given & CLI_OPT_LIMIT ? c->limit : CLI_PAGE_LIMIT;
	struct tce_vmemmap_info vi = TCE_VMEMMAP_INFO_INIT;
	struct page_run r = { .c = c };
	uint64_t first, last, total = 0;
	size_t i;
	int ret;

	/* every argument is checked before anything is read or printed */
	for (i = 1; i < c->nargs; i++) {
		uint64_t n;

		if (parse_spec(c->args[i], &first, &last))
			return cli_usage(c, "'%s' is not a pfn (decimal, 0x-hex, or FIRST-LAST)",
					 c->args[i]);
		if (first > last)
			return cli_usage(c, "range '%s' ends before it starts", c->args[i]);
		n = last - first == UINT64_MAX ? UINT64_MAX : last - first + 1;
		total = total > UINT64_MAX - n ? UINT64_MAX : total + n;
	}
	if (limit && total > limit)
		return cli_usage(c, "asks for %s%" PRIu64 " pfns, more than --limit %" PRIu64
				 " (--limit 0 lifts it)", total == UINT64_MAX ? "at least " :
				 "", total, limit);

	ret = cli_open(c->args[0], &r.cd);
	if (ret)
		return ret;
	/* no pfn has a struct page to show when the vmemmap cannot be walked */
	if (tce_vmemmap_info(r.cd.a, &vi)) {
		ret = cli_dump_error(&r.cd);
		cli_close(&r.cd);
		return ret;
	}
	if (c->format == CLI_JSON) {
		json_object *name = json_object_new_string(r.cd.name);

		/* the document's head, then the pages one by one as they are read */
		printf("{\n  \"schema_version\": %d,\n  \"dump\": %s,\n  \"pages\": [",
		       CLI_SCHEMA_VERSION, json_object_to_json_string_ext(
			       name, JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(name);
	}
	for (i = 1; i < c->nargs && !ret; i++) {
		uint64_t pfn;

		parse_spec(c->args[i], &first, &last);
		for (pfn = first; !ret; pfn++) {
			ret = list_pfn(&r, pfn);
			if (pfn == last)
				break;
		}
	}
	if (!ret) {
		if (c->format == CLI_JSON)
			printf("\n  ]\n}\n");
		else
			notes_text(&r);
		ret = r.status;
	}
	cli_close(&r.cd);
	return ret;
}
