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

struct pfn_answer {
	struct tce_pfn_xlat x;     /* every translation, compared by the library */
	struct tce_page pg;
	int err;                   /* of tce_page_read(): 0 or negative */
	char errmsg[512];
};

/* What one run shares across pfns. */
struct page_run {
	struct cli *c;
	struct cli_dump cd;
	int status;
	size_t listed;
	unsigned unknown_states;   /* TCE_PF_* no page read could decide */
	bool unnamed_bits;         /* some page had set flag bits the dump does not name */
	struct pfn_answer *ans;    /* the pfn at hand */
	struct cli_jw *jw;         /* --format json: the pages, written as they are read */
};

/* 0, or EXIT_DUMP after one line on stderr (the dump cannot be read at all). */
static int answer(struct page_run *r, uint64_t pfn, struct pfn_answer *ans)
{
	struct tce_analysis *a = r->cd.a;
	unsigned i;
	int ret;

	/* every field is set below: no memset of the whole answer, a pfn at a time */
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

static void page_jw(struct page_run *r, uint64_t pfn, const struct pfn_answer *ans)
{
	const struct tce_pfn_xlat *x = &ans->x;
	struct cli_jw *w = r->jw;
	bool ok = !ans->err;
	unsigned m;

	cli_jw_object(w, NULL);
	cli_jw_hex(w, "pfn", pfn);
	cli_jw_hex_or_null(w, "vmemmap", x->vmemmap, x->vmemmap);
	cli_jw_object(w, "translations");
	for (m = 0; m < TCE_XLAT_NUM; m++) {
		cli_jw_hex_or_null(w, tce_xlat_name(m), x->st[m] == TCE_XS_OK ||
				   x->st[m] == TCE_XS_STRADDLE, x->phys[m]);
	}
	cli_jw_end(w);
	cli_jw_object(w, "translation_status");
	for (m = 0; m < TCE_XLAT_NUM; m++)
		cli_jw_string(w, tce_xlat_name(m), tce_xlat_status_name(x->st[m]));
	cli_jw_end(w);
	cli_jw_string(w, "reference", x->reference < TCE_XLAT_NUM ?
		      tce_xlat_name(x->reference) : NULL);
	cli_jw_array(w, "findings");
	for (m = 0; m < x->nproblems; m++) {
		const struct tce_rule *rule = tce_rule(x->problem[m].rule);

		cli_jw_object(w, NULL);
		cli_jw_string(w, "id", rule->id);
		cli_jw_string(w, "severity", tce_severity_name(rule->severity));
		cli_jw_string(w, "method", tce_xlat_name(x->problem[m].method));
		cli_jw_string(w, "message", x->problem[m].message);
		cli_jw_end(w);
	}
	cli_jw_end(w);
	cli_jw_string(w, "error", ok ? NULL : ans->errmsg);
	cli_page_fields_jw(w, r->cd.a, &ans->pg, ok);
	cli_jw_end(w);
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
	struct pfn_answer *ans = r->ans;
	int ret;

	ret = answer(r, pfn, ans);
	if (!ret) {
		if (r->jw) {
			cli_jw_raw(r->jw, r->listed ? ",\n    " : "\n    ");
			page_jw(r, pfn, ans);
		} else {
			printf("%s", r->listed ? "\n" : "");
			page_text(r, pfn, ans);
		}
		r->listed++;
	}
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

	/* one answer for the run, and the writer's buffer: nothing allocated per pfn */
	r.ans = malloc(sizeof(*r.ans));
	if (c->format == CLI_JSON)
		r.jw = malloc(sizeof(*r.jw));
	if (!r.ans || (c->format == CLI_JSON && !r.jw)) {
		free(r.ans);
		free(r.jw);
		fprintf(stderr, "tce-inspect: out of memory\n");
		return EXIT_DUMP;
	}
	ret = cli_open(c->args[0], &r.cd);
	if (ret)
		goto out;
	/* no pfn has a struct page to show when the vmemmap cannot be walked */
	if (tce_vmemmap_info(r.cd.a, &vi)) {
		ret = cli_dump_error(&r.cd);
		goto close;
	}
	if (r.jw) {
		/* the document's head, then the pages one by one as they are read */
		cli_jw_init(r.jw, stdout);
		cli_jw_raw(r.jw, "{\n  \"schema_version\": ");
		cli_jw_int(r.jw, NULL, CLI_SCHEMA_VERSION);
		cli_jw_raw(r.jw, ",\n  \"dump\": ");
		cli_jw_string(r.jw, NULL, r.cd.name);
		cli_jw_raw(r.jw, ",\n  \"pages\": [");
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
		if (r.jw)
			cli_jw_raw(r.jw, "\n  ]\n}\n");
		else
			notes_text(&r);
		ret = r.status;
	}
	/* what was listed before a dump error too; a write error is main()'s to report */
	if (r.jw)
		cli_jw_flush(r.jw);
close:
	cli_close(&r.cd);
out:
	free(r.jw);
	free(r.ans);
	return ret;
}
