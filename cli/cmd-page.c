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
#include "textw.h"

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
	struct cli_tl *tl;         /* text: a pfn's lines, made as they are read */
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

/* "  NAME       ": a field's column, as printf("  %-10s ") wrote it */
static void col(struct cli_tl *l, const char *name)
{
	cli_tl_mem(l, "  ", 2);
	cli_tl_str_left(l, name, 10);
	cli_tl_chr(l, ' ');
}

static void col_hex(struct cli_tl *l, const char *name, uint64_t v)
{
	col(l, name);
	cli_tl_mem(l, "0x", 2);
	cli_tl_hex(l, v);
	cli_tl_chr(l, '\n');
}

/* "57 61-63": the set bits of v */
static void print_bits(struct cli_tl *l, uint64_t v)
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
		if (any)
			cli_tl_chr(l, ' ');
		cli_tl_udec(l, first);
		if (first != b) {
			cli_tl_chr(l, '-');
			cli_tl_udec(l, b);
		}
		any = true;
		b++;
	}
}

static void page_text(struct page_run *r, uint64_t pfn, const struct pfn_answer *ans)
{
	const struct tce_page *pg = &ans->pg;
	const struct tce_pfn_xlat *x = &ans->x;
	uint64_t va = x->vmemmap, named, unnamed;
	struct cli_tl *l = r->tl;
	unsigned m, b, n;

	cli_tl_mem(l, "pfn 0x", 6);
	cli_tl_hex(l, pfn);
	cli_tl_mem(l, " (", 2);
	cli_tl_udec(l, pfn);
	cli_tl_mem(l, ")\n", 2);
	if (va)
		col_hex(l, "vmemmap", va);
	for (m = 0; m < TCE_XLAT_NUM; m++) {
		col(l, tce_xlat_name(m));
		if (x->st[m] == TCE_XS_OK || x->st[m] == TCE_XS_STRADDLE) {
			cli_tl_mem(l, "0x", 2);
			cli_tl_hex(l, x->phys[m]);
			if (x->st[m] == TCE_XS_STRADDLE)
				cli_tl_str(l, " (straddling)");
		} else {
			cli_tl_str(l, tce_xlat_status_name(x->st[m]));
		}
		if (m == x->reference)
			cli_tl_str(l, " (reference)");
		cli_tl_chr(l, '\n');
	}
	for (m = 0; m < x->nproblems; m++) {
		const struct tce_rule *rule = tce_rule(x->problem[m].rule);

		col(l, tce_severity_name(rule->severity));
		cli_tl_str(l, rule->id);
		cli_tl_mem(l, ": ", 2);
		cli_tl_str(l, x->problem[m].message);
		cli_tl_chr(l, '\n');
	}
	if (ans->err) {
		col(l, "error");
		cli_tl_str(l, ans->errmsg);
		cli_tl_chr(l, '\n');
		cli_tl_end(l);
		return;
	}
	named = pg->flags & pg->named_flags;
	unnamed = pg->flags & ~pg->named_flags;
	col(l, "flags");
	cli_tl_mem(l, "0x", 2);
	cli_tl_hex0(l, pg->flags, 16);
	for (b = 0; b < 64; b++) {
		const char *name;

		if (!(named & (1ULL << b)))
			continue;
		name = tce_page_flag_bit(r->cd.a, b);
		cli_tl_chr(l, ' ');
		cli_tl_str(l, name ? name : "?");
	}
	if (!pg->flags)
		cli_tl_str(l, " (none set)");
	cli_tl_chr(l, '\n');
	if (unnamed) {
		col(l, "");
		cli_tl_str(l, unnamed & (unnamed - 1) ? "bits " : "bit ");
		print_bits(l, unnamed);
		cli_tl_str(l, " set, not named by the dump\n");
	}
	col(l, "states");
	for (b = 0, n = 0; b < TCE_PF_COUNT; b++) {
		if (!(pg->states & (1u << b)) || (1u << b) == TCE_PF_TAIL)
			continue;
		if (n++)
			cli_tl_chr(l, ' ');
		cli_tl_str(l, tce_page_flag_name(b));
		if ((1u << b) == TCE_PF_BUDDY && pg->buddy_order >= 0) {
			cli_tl_mem(l, " (order ", 8);
			cli_tl_dec(l, pg->buddy_order);
			cli_tl_chr(l, ')');
		}
	}
	if (!n)
		cli_tl_str(l, "none");
	cli_tl_chr(l, '\n');
	col(l, "_refcount");
	cli_tl_dec(l, pg->refcount);
	cli_tl_chr(l, '\n');
	col(l, "_mapcount");
	cli_tl_dec(l, pg->mapcount);
	cli_tl_chr(l, '\n');
	col(l, "compound");
	if (pg->states & TCE_PF_TAIL) {
		if (pg->head_pfn != TCE_NO_PFN) {
			cli_tl_str(l, "tail of pfn 0x");
			cli_tl_hex(l, pg->head_pfn);
		} else {
			cli_tl_str(l, "tail of 0x");
			cli_tl_hex(l, pg->compound_head - 1);
			cli_tl_str(l, ", which is no struct page of the vmemmap");
		}
	} else if (pg->states & TCE_PF_HEAD) {
		if (pg->compound_order >= 0) {
			cli_tl_str(l, "head, order ");
			cli_tl_dec(l, pg->compound_order);
			cli_tl_mem(l, " (", 2);
			cli_tl_udec(l, pg->compound_order < 64 ? 1ULL << pg->compound_order : 0);
			cli_tl_str(l, " pages)");
		} else {
			cli_tl_str(l, "head, order unknown");
		}
	} else {
		cli_tl_str(l, "not a tail");
	}
	cli_tl_chr(l, '\n');
	if (pg->has_mapping)
		col_hex(l, "mapping", pg->mapping);
	else
		cli_tl_str(l, "  mapping    unknown (VMCOREINFO has no OFFSET(page.mapping))\n");
	if (pg->has_private)
		col_hex(l, "private", pg->private_);
	else
		cli_tl_str(l, "  private    unknown (VMCOREINFO has no OFFSET(page.private))\n");
	cli_tl_end(l);
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
			if (r->listed)
				cli_tl_chr(r->tl, '\n');
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
	else
		r.tl = malloc(sizeof(*r.tl));
	if (!r.ans || (c->format == CLI_JSON ? !r.jw : !r.tl)) {
		free(r.ans);
		free(r.jw);
		free(r.tl);
		fprintf(stderr, "tce-inspect: out of memory\n");
		return EXIT_DUMP;
	}
	if (r.tl) {
		cli_tl_setup();
		cli_tl_init(r.tl, stdout);
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
	free(r.tl);
	free(r.ans);
	return ret;
}
