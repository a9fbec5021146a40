// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `tce-inspect tables [DUMP]`: every TCE table the dump holds, one line a table (kind,
 * id, IOMMU page size, levels, window, valid entries, who owns it, where it was
 * found), after how the search of each source (KVM, powernv, pseries) ended.
 * `tce-inspect entries [DUMP] [TABLE]`: every valid entry, one line each, with the host
 * page behind it and that page's struct page.  Both stream: a table of 16M entries is
 * walked and printed a chunk at a time, never held.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "textw.h"

/* "4K", "64K", "16M", "16G" */
static const char *page_size_str(unsigned shift, char *buf, size_t len)
{
	static const char unit[] = "KMGTPE";
	unsigned u = 0;

	if (shift < 10 || shift >= 64) {
		snprintf(buf, len, "2^%u", shift);
		return buf;
	}
	shift -= 10;
	while (shift >= 10 && u + 1 < sizeof(unit) - 1) {
		shift -= 10;
		u++;
	}
	snprintf(buf, len, "%llu%c", 1ULL << shift, unit[u]);
	return buf;
}

/* the window's bus addresses; false if they do not fit 64 bits */
static bool window(const struct tce_table_info *t, uint64_t *lo, uint64_t *hi)
{
	if (!t->entries || t->page_shift >= 64 || t->offset > UINT64_MAX >> t->page_shift ||
	    t->offset + t->entries - 1 > UINT64_MAX >> t->page_shift)
		return false;
	*lo = t->offset << t->page_shift;
	*hi = ((t->offset + t->entries - 1) << t->page_shift) | ((1ULL << t->page_shift) - 1);
	return true;
}

static const char *owner_str(const struct tce_table_info *t, char *buf, size_t len)
{
	if (t->kind == TCE_TABLE_KVM) {
		if (t->pid >= 0)
			snprintf(buf, len, "VMM pid %" PRId64, t->pid);
		else
			snprintf(buf, len, "a VM");
	} else if (t->hv_entries) {
		snprintf(buf, len, "hypervisor");
	} else {
		/* a table attached to a guest's LIOBN is VFIO's, it_userspace or not */
		snprintf(buf, len, "%s", t->userspace || t->attached_vm ? "VFIO" : "kernel");
	}
	return buf;
}

/* ------------------------------------------------------------ which tables */

/* The tables a command lists: all that the search found, or the one --table (or
 * TABLE) names. */
struct selection {
	struct tce_tables_info ti;
	bool one;
	struct tce_table_info table;  /* one */
};

static int select_tables(struct cli *c, struct cli_dump *cd, const char *arg,
			 struct selection *sel)
{
	uint64_t addr;
	size_t i;

	memset(sel, 0, sizeof(*sel));
	sel->ti = (struct tce_tables_info)TCE_TABLES_INFO_INIT;
	if (tce_analysis_tables(cd->a, &sel->ti))
		return cli_dump_error(cd);
	if (!arg)
		return EXIT_OK;
	cli_parse_u64(arg, &addr);  /* checked before the dump was opened */
	sel->one = true;
	for (i = 0; i < sel->ti.count; i++) {
		struct tce_table_info t = TCE_TABLE_INFO_INIT;

		if (tce_analysis_table(cd->a, i, &t))
			return cli_dump_error(cd);
		if (t.addr == addr && (!c->kind || (int)t.kind == c->kind)) {
			sel->table = t;
			return EXIT_OK;
		}
	}
	if (!c->kind) {
		fprintf(stderr, "tce-inspect: %s: 0x%" PRIx64 " is no table the search found; "
			"--kind kvm or --kind iommu reads it as one\n", cd->name, addr);
		return EXIT_DUMP;
	}
	sel->table = (struct tce_table_info)TCE_TABLE_INFO_INIT;
	if (tce_table_at(cd->a, (enum tce_table_kind)c->kind, addr, &sel->table))
		return cli_dump_error(cd);
	return EXIT_OK;
}

static size_t sel_count(const struct selection *sel)
{
	return sel->one ? 1 : sel->ti.count;
}

static int sel_table(struct cli_dump *cd, const struct selection *sel, size_t i,
		     struct tce_table_info *t)
{
	if (sel->one) {
		*t = sel->table;
		return 0;
	}
	*t = (struct tce_table_info)TCE_TABLE_INFO_INIT;
	return tce_analysis_table(cd->a, i, t);
}

/* The exit status the search calls for, and one line on stderr naming each source
 * that could not be searched to its end (one line, however many: exit 3 promises one). */
static int search_status(const struct cli_dump *cd, const struct tce_tables_info *ti,
			 bool one)
{
	struct tce_types_info tyi = TCE_TYPES_INFO_INIT;
	int status = EXIT_OK;
	unsigned s, unknown = 0;
	const char *sep = "";

	if (one)
		return EXIT_OK;
	for (s = 0; s < TCE_SOURCE_COUNT; s++)
		unknown += ti->source[s].status == TCE_SEARCH_UNKNOWN;
	/* nothing to read any structure with: one line, what is missing and where to get
	 * it, rather than the same lack three times */
	if (unknown == TCE_SOURCE_COUNT && !tce_analysis_types(cd->a, &tyi) && !tyi.dwarf &&
	    tyi.no_dwarf && !tyi.btf) {
		fprintf(stderr, "tce-inspect: %s: TCE tables cannot be searched without the "
			"kernel's type information: %s; and %s\n", cd->name, tyi.no_dwarf,
			tyi.no_btf ? tyi.no_btf : "no BTF");
		return EXIT_DUMP;
	}
	for (s = 0; s < TCE_SOURCE_COUNT; s++) {
		const struct tce_tables_source *src = &ti->source[s];

		if (src->status != TCE_SEARCH_UNKNOWN && src->status != TCE_SEARCH_PARTIAL)
			continue;
		if (!*sep)
			fprintf(stderr, "tce-inspect: %s: ", cd->name);
		if (src->status == TCE_SEARCH_UNKNOWN) {
			fprintf(stderr, "%s%s tables cannot be searched: %s", sep,
				tce_table_source_name(s), src->why);
			status = EXIT_DUMP;
		} else {
			fprintf(stderr, "%s%s tables: the search stopped early: %s", sep,
				tce_table_source_name(s), src->why);
			if (status == EXIT_OK)
				status = EXIT_FINDINGS;
		}
		sep = "; ";
	}
	if (*sep)
		fputc('\n', stderr);
	return status;
}

static json_object *sources_json(const struct tce_tables_info *ti)
{
	json_object *o = json_object_new_object();
	unsigned s;

	for (s = 0; s < TCE_SOURCE_COUNT; s++) {
		const struct tce_tables_source *src = &ti->source[s];
		json_object *j = json_object_new_object();

		json_object_object_add(j, "status", json_object_new_string(
					       tce_search_name(src->status)));
		json_object_object_add(j, "why", src->why ? json_object_new_string(src->why) :
				       NULL);
		json_object_object_add(j, "count", json_object_new_int((int)src->count));
		json_object_object_add(o, tce_table_source_name(s), j);
	}
	return o;
}

static void sources_text(const struct tce_tables_info *ti)
{
	unsigned s;

	for (s = 0; s < TCE_SOURCE_COUNT; s++) {
		const struct tce_tables_source *src = &ti->source[s];
		const char *what = s == TCE_SOURCE_KVM ? "VM" : "PHB";

		printf("%-9s %s", tce_table_source_name(s), tce_search_name(src->status));
		if (src->status == TCE_SEARCH_FOUND || src->status == TCE_SEARCH_PARTIAL)
			printf(", %u %s%s", src->count, what, src->count == 1 ? "" : "s");
		if (src->why)
			printf(": %s", src->why);
		printf("\n");
	}
}

/* ------------------------------------------------------------ progress */

struct progress {
	bool on;                    /* stderr is a terminal */
	size_t table, ntables;
	uint64_t n;
};

static void progress_tick(struct progress *p)
{
	if (p->on && !(++p->n & 0xfffff))
		fprintf(stderr, "\rtce-inspect: table %zu of %zu: %" PRIu64 " entries", p->table + 1,
			p->ntables, p->n);
}

static void progress_done(struct progress *p)
{
	if (p->on && p->n > 0xfffff)
		fprintf(stderr, "\r\033[K");
	p->n = 0;
}

/* ------------------------------------------------------------ tables */

static int count_cb(void *data, const struct tce_table_entry *e)
{
	(void)e;
	progress_tick(data);
	return 0;
}

static json_object *table_json(const struct tce_table_info *t, const struct tce_table_stats *st,
			       const char *walk_err)
{
	json_object *o = json_object_new_object();
	uint64_t lo, hi;
	bool ok = !t->err, w = ok && window(t, &lo, &hi);

	json_object_object_add(o, "kind", json_object_new_string(tce_table_kind_name(t->kind)));
	json_object_object_add(o, "address", cli_hex(t->addr));
	/* an unreadable structure: its LIOBN or it_index was never read */
	json_object_object_add(o, "id", ok ? cli_hex(t->id) : NULL);
	json_object_object_add(o, "source", t->found ? json_object_new_string(
				       tce_table_source_name(t->source)) : NULL);
	json_object_object_add(o, "found", t->found ? json_object_new_string(t->found) : NULL);
	json_object_object_add(o, "error", ok ? NULL : json_object_new_string(t->why));
	json_object_object_add(o, "phb", t->phb >= 0 ? json_object_new_int64(t->phb) : NULL);
	json_object_object_add(o, "pe", t->pe >= 0 ? json_object_new_int64(t->pe) : NULL);
	json_object_object_add(o, "vm", t->vm ? cli_hex(t->vm) : NULL);
	json_object_object_add(o, "pid", t->pid >= 0 ? json_object_new_int64(t->pid) : NULL);
	json_object_object_add(o, "attached_vm", t->attached_vm ? cli_hex(t->attached_vm) :
			       NULL);
	json_object_object_add(o, "attached_liobn", t->attached_vm ?
			       cli_hex(t->attached_liobn) : NULL);
	if (!ok)
		return o;
	json_object_object_add(o, "offset", json_object_new_uint64(t->offset));
	json_object_object_add(o, "entries", json_object_new_uint64(t->entries));
	json_object_object_add(o, "page_shift", json_object_new_int((int)t->page_shift));
	json_object_object_add(o, "window_start", w ? cli_hex(lo) : NULL);
	json_object_object_add(o, "window_end", w ? cli_hex(hi) : NULL);
	json_object_object_add(o, "levels", json_object_new_int((int)t->levels));
	json_object_object_add(o, "level_size", json_object_new_uint64(t->level_size));
	json_object_object_add(o, "base", cli_hex(t->base));
	json_object_object_add(o, "userspace", json_object_new_boolean(t->userspace));
	json_object_object_add(o, "hv_entries", json_object_new_boolean(t->hv_entries));
	json_object_object_add(o, "walk_error", walk_err ? json_object_new_string(walk_err) :
			       NULL);
	json_object_object_add(o, "valid", st && !walk_err ?
			       json_object_new_uint64(st->valid) : NULL);
	json_object_object_add(o, "unpopulated", st && !walk_err ?
			       json_object_new_uint64(st->unpopulated) : NULL);
	json_object_object_add(o, "unknown", st && !walk_err ?
			       json_object_new_uint64(st->unknown) : NULL);
	return o;
}

static void table_text(const struct tce_table_info *t, const struct tce_table_stats *st,
		       const char *walk_err)
{
	char ps[16], own[32], valid[48];
	uint64_t lo, hi;

	if (t->err) {
		printf("%-5s 0x%016" PRIx64 "  unreadable: %s\n      found: %s\n",
		       tce_table_kind_name(t->kind), t->addr, t->why, t->found ? t->found : "-");
		return;
	}
	if (t->hv_entries)
		snprintf(valid, sizeof(valid), "in the hypervisor");
	else if (walk_err)
		snprintf(valid, sizeof(valid), "unknown");
	else if (st->unknown)
		snprintf(valid, sizeof(valid), "%" PRIu64 " (+%" PRIu64 " unknown)", st->valid,
			 st->unknown);
	else
		snprintf(valid, sizeof(valid), "%" PRIu64, st->valid);
	printf("%-5s 0x%016" PRIx64 " %-10s 0x%-9" PRIx64 " %-4s %6u ",
	       tce_table_kind_name(t->kind), t->addr, owner_str(t, own, sizeof(own)), t->id,
	       page_size_str(t->page_shift, ps, sizeof(ps)), t->levels);
	if (window(t, &lo, &hi))
		printf("0x%" PRIx64 "-0x%" PRIx64, lo, hi);
	else
		printf("(%" PRIu64 " entries from page 0x%" PRIx64 ")", t->entries, t->offset);
	printf("  valid %s\n      found: %s", valid, t->found ? t->found : "--table");
	if (t->attached_vm)
		printf("; attached to LIOBN 0x%" PRIx64 " of kvm 0x%" PRIx64, t->attached_liobn,
		       t->attached_vm);
	printf("\n");
	if (walk_err)
		printf("      entries: %s\n", walk_err);
}

int cmd_tables(struct cli *c)
{
	struct progress pr = { .on = isatty(STDERR_FILENO) };
	struct selection sel;
	struct cli_dump cd;
	json_object *doc = NULL, *arr = NULL;
	uint64_t addr;
	size_t i;
	int ret, status;

	if (c->table && cli_parse_u64(c->table, &addr))
		return cli_usage(c, "--table wants an address, not '%s'", c->table);
	ret = cli_open(c->nargs ? c->args[0] : NULL, &cd);
	if (ret)
		return ret;
	ret = cli_types(c, &cd, NULL);
	if (!ret)
		ret = select_tables(c, &cd, c->table, &sel);
	if (ret) {
		cli_close(&cd);
		return ret;
	}
	pr.ntables = sel_count(&sel);
	if (c->format == CLI_JSON) {
		doc = cli_json_doc(cd.name);
		json_object_object_add(doc, "sources", sources_json(&sel.ti));
		arr = json_object_new_array();
	} else {
		printf("dump:     %s\n", cd.name);
		sources_text(&sel.ti);
		printf("\n%s", pr.ntables ? "" : "no TCE table\n");
		if (pr.ntables)
			printf("%-5s %-18s %-10s %-11s %-4s %6s %s\n", "kind", "address", "owner",
			       "id", "page", "levels", "window (bus addresses)");
	}
	for (i = 0; i < pr.ntables; i++) {
		struct tce_table_stats st = TCE_TABLE_STATS_INIT;
		struct tce_table_info t;
		char err[512] = "";

		if (sel_table(&cd, &sel, i, &t)) {
			json_object_put(doc);
			json_object_put(arr);
			ret = cli_dump_error(&cd);
			cli_close(&cd);
			return ret;
		}
		pr.table = i;
		if (!t.err && !t.hv_entries) {
			/* counted only, unless the terminal shows progress an entry at a time */
			ret = tce_table_entries(cd.a, &t, 0, UINT64_MAX, pr.on ? count_cb : NULL,
						&pr, &st);
			progress_done(&pr);
			if (ret == -TCE_ENOMEM || ret == -TCE_EIO) {
				json_object_put(doc);
				json_object_put(arr);
				ret = cli_dump_error(&cd);
				cli_close(&cd);
				return ret;
			}
			if (ret)
				snprintf(err, sizeof(err), "%s", tce_errmsg(cd.d));
		}
		if (arr)
			json_object_array_add(arr, table_json(&t, t.err || t.hv_entries ? NULL :
							      &st, err[0] ? err : NULL));
		else
			table_text(&t, &st, err[0] ? err : NULL);
	}
	status = search_status(&cd, &sel.ti, sel.one);
	if (doc) {
		json_object_object_add(doc, "tables", arr);
		cli_json_print(doc);
	}
	cli_close(&cd);
	return status;
}

/* ------------------------------------------------------------ entries */

struct entries_run {
	struct cli_dump *cd;
	const struct tce_table_info *t;
	struct progress *pr;
	uint64_t *listed;           /* entries printed so far, over every table */
	unsigned host_shift;
	struct cli_jw *jw;          /* --format json: the entries, written as walked */
	struct cli_tl *tl;          /* text: an entry's line, made as walked */
};

/* " (slot N, hva 0x...)" */
static void slot_text(struct cli_tl *l, const struct tce_table_entry *e)
{
	cli_tl_mem(l, " (slot ", 7);
	cli_tl_dec(l, e->memslot);
	cli_tl_mem(l, ", hva 0x", 8);
	cli_tl_hex(l, e->hva);
	cli_tl_chr(l, ')');
}

static void host_text(struct entries_run *r, const struct tce_table_entry *e)
{
	struct tce_page pg = { .size = sizeof(pg) };
	uint64_t pfn = e->host_phys >> r->host_shift;
	struct cli_tl *l = r->tl;
	unsigned b, n = 0;

	if (e->host_state != TCE_HOST_PRESENT) {
		cli_tl_str(l, tce_host_state_name(e->host_state));
		cli_tl_mem(l, ": ", 2);
		cli_tl_str(l, e->host_why ? e->host_why : "");
		if (!e->host && e->memslot >= 0)
			slot_text(l, e);
		return;
	}
	cli_tl_mem(l, "pfn 0x", 6);
	cli_tl_hex(l, pfn);
	if (r->t->userspace && e->ua) {
		cli_tl_mem(l, " (ua 0x", 7);
		cli_tl_hex(l, e->ua);
		cli_tl_chr(l, ')');
	}
	if (!e->host)
		slot_text(l, e);
	if (tce_page_read(r->cd->a, pfn, &pg)) {
		cli_tl_str(l, " struct page: ");
		cli_tl_str(l, tce_errmsg(r->cd->d));
		return;
	}
	cli_tl_mem(l, " ref ", 5);
	cli_tl_dec(l, pg.refcount);
	cli_tl_mem(l, " map ", 5);
	cli_tl_dec(l, pg.mapcount);
	for (b = 0; b < TCE_PF_COUNT; b++) {
		if (!(pg.states & (1u << b)))
			continue;
		cli_tl_chr(l, n++ ? ',' : ' ');
		cli_tl_str(l, tce_page_flag_name(b));
	}
	if ((pg.states & TCE_PF_TAIL) && pg.head_pfn != TCE_NO_PFN) {
		struct tce_page head = { .size = sizeof(head) };

		/* a tail's own counts say nothing: the folio's are its head's */
		cli_tl_mem(l, " head 0x", 8);
		cli_tl_hex(l, pg.head_pfn);
		if (!tce_page_read(r->cd->a, pg.head_pfn, &head)) {
			cli_tl_str(l, " (folio: ref ");
			cli_tl_dec(l, head.refcount);
			cli_tl_mem(l, " map ", 5);
			cli_tl_dec(l, head.mapcount);
			if (head.compound_order >= 0) {
				cli_tl_mem(l, " order ", 7);
				cli_tl_dec(l, head.compound_order);
			}
			cli_tl_chr(l, ')');
		} else {
			cli_tl_str(l, " (folio: struct page: ");
			cli_tl_str(l, tce_errmsg(r->cd->d));
			cli_tl_chr(l, ')');
		}
	}
}

/* A tail page's folio, as its head page says: null for any other page */
static void folio_jw(struct entries_run *r, const struct tce_page *pg)
{
	struct tce_page head = { .size = sizeof(head) };
	struct cli_jw *w = r->jw;

	if (!(pg->states & TCE_PF_TAIL) || pg->head_pfn == TCE_NO_PFN) {
		cli_jw_null(w, "folio");
		return;
	}
	cli_jw_object(w, "folio");
	cli_jw_hex(w, "head_pfn", pg->head_pfn);
	if (tce_page_read(r->cd->a, pg->head_pfn, &head)) {
		cli_jw_null(w, "refcount");
		cli_jw_null(w, "mapcount");
		cli_jw_null(w, "order");
		cli_jw_string(w, "error", tce_errmsg(r->cd->d));
	} else {
		cli_jw_int(w, "refcount", head.refcount);
		cli_jw_int(w, "mapcount", head.mapcount);
		cli_jw_int_or_null(w, "order", head.compound_order >= 0, head.compound_order);
		cli_jw_null(w, "error");
	}
	cli_jw_end(w);
}

static void entry_jw(struct entries_run *r, const struct tce_table_entry *e)
{
	bool present = e->host_state == TCE_HOST_PRESENT;
	uint64_t pfn = e->host_phys >> r->host_shift;
	struct cli_jw *w = r->jw;

	cli_jw_object(w, NULL);
	cli_jw_hex(w, "table", r->t->addr);
	cli_jw_string(w, "kind", tce_table_kind_name(r->t->kind));
	cli_jw_hex(w, "id", r->t->id);
	cli_jw_uint(w, "index", e->index);
	cli_jw_hex(w, "bus", e->bus);
	cli_tce_entry_jw(w, e);
	cli_jw_string(w, "host_why", e->host_why && !present ? e->host_why : NULL);
	cli_jw_int_or_null(w, "memslot", e->memslot >= 0, e->memslot);
	cli_jw_hex_or_null(w, "hva", e->hva, e->hva);
	cli_jw_hex_or_null(w, "host_phys", present, e->host_phys);
	cli_jw_hex_or_null(w, "host_pfn", present, pfn);
	/* an IOMMU page larger than the host's: the pages after the first are its own
	 * business (guest view: the VMM's, not necessarily contiguous) */
	cli_jw_uint(w, "host_pages", r->t->page_shift > r->host_shift ?
		    1ULL << (r->t->page_shift - r->host_shift) : 1);
	/* a table VFIO made: the address it_userspace keeps */
	if (r->t->userspace)
		cli_jw_hex_or_null(w, "ua", !e->ua_why, e->ua);
	if (present) {
		struct tce_page pg = { .size = sizeof(pg) };
		int err = tce_page_read(r->cd->a, pfn, &pg);

		cli_jw_object(w, "page");
		cli_page_fields_jw(w, r->cd->a, &pg, !err);
		cli_jw_string(w, "error", err ? tce_errmsg(r->cd->d) : NULL);
		if (err)
			cli_jw_null(w, "folio");
		else
			folio_jw(r, &pg);
		cli_jw_end(w);
	} else {
		cli_jw_null(w, "page");
	}
	cli_jw_end(w);
}

static int entry_cb(void *data, const struct tce_table_entry *e)
{
	struct entries_run *r = data;

	progress_tick(r->pr);
	if (r->jw) {
		cli_jw_raw(r->jw, *r->listed ? ",\n    " : "\n    ");
		entry_jw(r, e);
	} else {
		/* printf("  0x%-10x 0x%-16x 0x%-16x %c%c  %s 0x%-14x ") */
		struct cli_tl *l = r->tl;

		cli_tl_mem(l, "  0x", 4);
		cli_tl_hex_left(l, e->index, 10);
		cli_tl_mem(l, " 0x", 3);
		cli_tl_hex_left(l, e->bus, 16);
		cli_tl_mem(l, " 0x", 3);
		cli_tl_hex_left(l, e->raw, 16);
		cli_tl_chr(l, ' ');
		cli_tl_chr(l, e->perm & 1 ? 'r' : '-');
		cli_tl_chr(l, e->perm & 2 ? 'w' : '-');
		cli_tl_mem(l, e->host ? "  hpa 0x" : "  gpa 0x", 8);
		cli_tl_hex_left(l, e->target, 14);
		cli_tl_chr(l, ' ');
		host_text(r, e);
		cli_tl_chr(l, '\n');
		cli_tl_end(l);
	}
	(*r->listed)++;
	return 0;
}

int cmd_entries(struct cli *c)
{
	struct progress pr = { .on = isatty(STDERR_FILENO) };
	struct selection sel;
	struct cli_dump cd;
	const char *arg = c->table;
	json_object *tables = NULL;
	struct cli_jw *jw = NULL;
	struct cli_tl *tl = NULL;
	uint64_t addr, listed = 0;
	size_t i;
	int ret, status;

	if (c->nargs > 1 && arg)
		return cli_usage(c, "takes TABLE or --table, not both");
	if (c->nargs > 1)
		arg = c->args[1];
	if (arg && cli_parse_u64(arg, &addr))
		return cli_usage(c, "'%s' is no table address", arg);
	if (c->format != CLI_JSON)
		cli_tl_setup();
	ret = cli_open(c->nargs ? c->args[0] : NULL, &cd);
	if (ret)
		return ret;
	ret = cli_types(c, &cd, NULL);
	if (!ret)
		ret = select_tables(c, &cd, arg, &sel);
	if (ret) {
		cli_close(&cd);
		return ret;
	}
	pr.ntables = sel_count(&sel);
	if (c->format == CLI_JSON) {
		/* the entries stream through the writer; the few tables follow, from json-c */
		jw = malloc(sizeof(*jw));
		if (!jw) {
			fprintf(stderr, "tce-inspect: out of memory\n");
			cli_close(&cd);
			return EXIT_DUMP;
		}
		cli_jw_init(jw, stdout);
		tables = json_object_new_array();
		cli_jw_raw(jw, "{\n  \"schema_version\": ");
		cli_jw_int(jw, NULL, CLI_SCHEMA_VERSION);
		cli_jw_raw(jw, ",\n  \"dump\": ");
		cli_jw_string(jw, NULL, cd.name);
		cli_jw_raw(jw, ",\n  \"entries\": [");
	} else {
		tl = malloc(sizeof(*tl));
		if (!tl) {
			fprintf(stderr, "tce-inspect: out of memory\n");
			cli_close(&cd);
			return EXIT_DUMP;
		}
		cli_tl_init(tl, stdout);
		printf("dump:     %s\n", cd.name);
		sources_text(&sel.ti);
	}
	status = EXIT_OK;
	for (i = 0; i < pr.ntables; i++) {
		struct tce_table_stats st = TCE_TABLE_STATS_INIT;
		struct entries_run r = { .cd = &cd, .pr = &pr, .listed = &listed, .jw = jw,
					 .tl = tl };
		struct tce_dump_info di = { .size = sizeof(di) };
		struct tce_table_info t;
		uint64_t first = 0, last = UINT64_MAX;
		char ps[16], err[512] = "";

		if (sel_table(&cd, &sel, i, &t) || tce_dump_info(cd.d, &di)) {
			status = cli_dump_error(&cd);
			break;
		}
		r.t = &t;
		r.host_shift = (unsigned)__builtin_ctzll(di.page_size ? di.page_size : 4096);
		if (c->given & CLI_OPT_RANGE && !t.err) {
			uint64_t lo = c->range_first >> t.page_shift;
			uint64_t hi = c->range_last >> t.page_shift;

			if (hi < t.offset || lo >= t.offset + t.entries)
				continue;
			first = lo > t.offset ? lo - t.offset : 0;
			last = hi - t.offset;
		}
		if (c->format != CLI_JSON) {
			printf("\n%s table 0x%" PRIx64 ", %s 0x%" PRIx64 ", %s pages",
			       tce_table_kind_name(t.kind), t.addr,
			       t.kind == TCE_TABLE_KVM ? "LIOBN" : "it_index", t.id,
			       page_size_str(t.page_shift, ps, sizeof(ps)));
			if (t.found)
				printf(" (%s)", t.found);
			printf("\n");
		}
		if (t.err) {
			snprintf(err, sizeof(err), "unreadable: %s", t.why);
		} else {
			pr.table = i;
			ret = tce_table_entries(cd.a, &t, first, last, entry_cb, &r, &st);
			progress_done(&pr);
			if (ret == -TCE_ENOMEM || ret == -TCE_EIO) {
				status = cli_dump_error(&cd);
				break;
			}
			if (ret)
				snprintf(err, sizeof(err), "%s", tce_errmsg(cd.d));
		}
		if (tables) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "address", cli_hex(t.addr));
			json_object_object_add(o, "kind", json_object_new_string(
						       tce_table_kind_name(t.kind)));
			json_object_object_add(o, "id", t.err ? NULL : cli_hex(t.id));
			json_object_object_add(o, "error", err[0] ? json_object_new_string(err) :
					       NULL);
			json_object_object_add(o, "valid", err[0] ? NULL :
					       json_object_new_uint64(st.valid));
			json_object_object_add(o, "unknown", err[0] ? NULL :
					       json_object_new_uint64(st.unknown));
			json_object_array_add(tables, o);
		} else if (err[0]) {
			printf("  entries: %s\n", err);
		} else {
			printf("  %" PRIu64 " valid entr%s", st.valid, st.valid == 1 ? "y" : "ies");
			if (st.unknown)
				printf(", %" PRIu64 " unknown (table memory the dump lacks)",
				       st.unknown);
			printf("\n");
		}
	}
	if (jw) {
		cli_jw_raw(jw, "\n  ],\n  \"tables\": ");
		cli_jw_raw(jw, json_object_to_json_string_ext(tables, JSON_C_TO_STRING_SPACED |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
		cli_jw_raw(jw, "\n}\n");
		/* a write error is main()'s to report */
		cli_jw_flush(jw);
		free(jw);
		json_object_put(tables);
	}
	free(tl);
	if (status == EXIT_OK)
		status = search_status(&cd, &sel.ti, sel.one);
	cli_close(&cd);
	return status;
}
