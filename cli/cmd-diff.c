// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `tce-inspect diff OLD NEW`: what changed between two dumps of one host.  Each dump is
 * checked as `check` checks it (the same rules, each dump with its own type
 * information: --old-vmlinux, --new-debug-dir...), then the TCE tables of both are
 * matched by their semantic keys (tce_table_key()) and each pair's entries compared
 * by bus address (tce_table_diff(): a slice at a time, so memory stays bounded), and
 * the findings by rule and key.  Text or JSON, both written as the tables are walked.
 * Exit 1 when a finding at or above --fail-on appeared (with --strict, also a rule
 * that decided on OLD and cannot on NEW).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DIFF_LIMIT 64   /* changed entries text lists a table, by default */

/* One dump of the two */
struct dside {
	struct cli_dump cd;
	bool open;
	struct tce_tables_info ti;
	struct dtable *t;              /* its tables, sorted by key */
	size_t nt;
	const struct tce_finding **f;  /* its findings, sorted by (id, key) */
	size_t nf;
};

struct dtable {
	char key[TCE_TABLE_KEY_MAX + 8];   /* "#2" for a second table of one key */
	struct tce_table_info info;
};

struct totals {
	size_t both, changed, appeared, gone;
	uint64_t mapped, unmapped, remapped, perm, unknown, same;
	size_t f_appeared, f_gone, f_undecided, f_failing, outcomes;
	bool capped;
};

struct run {
	const struct cli *c;
	struct dside s[2];
	struct cli_jw *jw;             /* --format json */
	struct totals tot;
	/* the table being compared */
	const struct dtable *to, *tn;
	uint64_t listed;
	unsigned host_shift[2];
	bool header;                   /* text: its line is out */
	struct tce_table_diff_stats st;
};

/* ------------------------------------------------------------ the dumps */

static int open_side(const struct cli *c, struct dside *s, const char *arg, int which)
{
	const struct cli_side *sd = &c->side[which];
	struct cli cs = *c;
	const bool *model = sd->model_given ? sd->model : c->model;
	unsigned r;
	int ret;

	ret = cli_open(arg, &s->cd);
	if (ret)
		return ret;
	s->open = true;
	if (sd->vmlinux)
		cs.vmlinux = sd->vmlinux;
	if (sd->debug_dir)
		cs.debug_dir = sd->debug_dir;
	ret = cli_types(&cs, &s->cd, NULL);
	if (ret)
		return ret;
	for (r = 0; r < TCE_KMODEL_COUNT; r++)
		tce_analysis_set_model(s->cd.a, r, model[r]);
	return EXIT_OK;
}

static int cmp_finding(const void *a, const void *b)
{
	const struct tce_finding *x = *(const struct tce_finding *const *)a;
	const struct tce_finding *y = *(const struct tce_finding *const *)b;
	int d = strcmp(x->id, y->id);

	if (d)
		return d;
	/* a rule's count of what it did not list ("more:N") is one finding whatever N */
	if (!strncmp(x->key, "more:", 5) && !strncmp(y->key, "more:", 5))
		return 0;
	return strcmp(x->key, y->key);
}

static int cmp_table(const void *a, const void *b)
{
	return strcmp(((const struct dtable *)a)->key, ((const struct dtable *)b)->key);
}

static bool source_compared(const struct run *r, enum tce_table_source src)
{
	return r->s[0].ti.source[src].status != TCE_SEARCH_UNKNOWN &&
	       r->s[1].ti.source[src].status != TCE_SEARCH_UNKNOWN;
}

/* Checks the dump, sorts its findings and searches its tables */
static int load_side(struct dside *s, const bool *on)
{
	unsigned rule;
	size_t i;

	for (rule = 0; rule < TCE_RULE_COUNT; rule++)
		tce_analysis_enable(s->cd.a, rule, on[rule]);
	if (tce_analysis_check(s->cd.a))
		return cli_dump_error(&s->cd);
	s->nf = tce_finding_count(s->cd.a);
	s->f = calloc(s->nf ? s->nf : 1, sizeof(*s->f));
	if (!s->f) {
		fprintf(stderr, "tce-inspect: diff: out of memory\n");
		return EXIT_DUMP;
	}
	for (i = 0; i < s->nf; i++)
		s->f[i] = tce_finding(s->cd.a, i);
	qsort(s->f, s->nf, sizeof(*s->f), cmp_finding);
	s->ti = (struct tce_tables_info)TCE_TABLES_INFO_INIT;
	if (tce_analysis_tables(s->cd.a, &s->ti))
		return cli_dump_error(&s->cd);
	return EXIT_OK;
}

static int list_tables(struct run *r, struct dside *s)
{
	size_t i, j, n = 0;

	s->t = calloc(s->ti.count ? s->ti.count : 1, sizeof(*s->t));
	if (!s->t) {
		fprintf(stderr, "tce-inspect: diff: out of memory\n");
		return EXIT_DUMP;
	}
	for (i = 0; i < s->ti.count; i++) {
		struct dtable *t = &s->t[n];

		t->info = (struct tce_table_info)TCE_TABLE_INFO_INIT;
		if (tce_analysis_table(s->cd.a, i, &t->info) ||
		    tce_table_key(s->cd.a, &t->info, t->key, TCE_TABLE_KEY_MAX))
			return cli_dump_error(&s->cd);
		if (!t->info.found || !source_compared(r, t->info.source))
			continue;
		n++;
	}
	s->nt = n;
	qsort(s->t, n, sizeof(*s->t), cmp_table);
	/* one key twice in a dump (two VMs of unknown pid on one LIOBN): the second is
	 * "#2", matched with the other dump's second */
	for (i = 1; i < n; i++) {
		unsigned k = 2;

		for (j = i; j < n && !strncmp(s->t[j].key, s->t[i - 1].key, TCE_TABLE_KEY_MAX) &&
		     !strchr(s->t[i - 1].key, '#'); j++)
			snprintf(s->t[j].key + strlen(s->t[j].key), 8, "#%u", k++);
		if (j > i)
			i = j - 1;
	}
	return EXIT_OK;
}

/* ------------------------------------------------------------ text */

static const char *perm_str(unsigned perm)
{
	static const char *const p[] = { "--", "r-", "-w", "rw" };

	return p[perm & 3];
}

static void entry_text(const struct tce_table_entry *e)
{
	printf("%s 0x%" PRIx64 " %s", e->host ? "hpa" : "gpa", e->target, perm_str(e->perm));
}

/* "4K", "64K", "16M" */
static void page_size_text(unsigned shift)
{
	static const char unit[] = "KMGTPE";
	unsigned u = 0;

	if (shift < 10 || shift >= 64) {
		printf("2^%u", shift);
		return;
	}
	shift -= 10;
	while (shift >= 10 && u + 1 < sizeof(unit) - 1) {
		shift -= 10;
		u++;
	}
	printf("%llu%c", 1ULL << shift, unit[u]);
}

static void window_text(const struct tce_table_info *t)
{
	printf("%s 0x%" PRIx64 ", ", tce_table_kind_name(t->kind), t->id);
	page_size_text(t->page_shift);
	printf(" pages, %" PRIu64 " entries from bus page 0x%" PRIx64, t->entries, t->offset);
}

static bool same_window(const struct tce_table_info *a, const struct tce_table_info *b)
{
	return a->offset == b->offset && a->entries == b->entries &&
	       a->page_shift == b->page_shift && a->levels == b->levels;
}

static void table_header_text(struct run *r)
{
	const struct dtable *t = r->to ? r->to : r->tn;

	if (r->header)
		return;
	r->header = true;
	printf("\ntable %s", t->key);
	if (!r->to)
		printf(" appeared (");
	else if (!r->tn)
		printf(" went away (");
	else
		printf(" (");
	window_text(&t->info);
	printf(")\n");
	if (r->to && r->tn && !same_window(&r->to->info, &r->tn->info)) {
		printf("  window was: ");
		window_text(&r->to->info);
		printf("\n");
	}
}

/* ------------------------------------------------------------ JSON */

static void table_jw(struct cli_jw *w, const char *key, const struct dtable *t)
{
	const struct tce_table_info *i;

	if (!t) {
		cli_jw_null(w, key);
		return;
	}
	i = &t->info;
	cli_jw_object(w, key);
	cli_jw_hex(w, "address", i->addr);
	cli_jw_string(w, "kind", tce_table_kind_name(i->kind));
	cli_jw_hex_or_null(w, "id", !i->err, i->id);
	cli_jw_string(w, "found", i->found);
	cli_jw_string(w, "error", i->err ? i->why : NULL);
	cli_jw_uint(w, "offset", i->offset);
	cli_jw_uint(w, "entries", i->entries);
	cli_jw_int(w, "page_shift", i->page_shift);
	cli_jw_int(w, "levels", i->levels);
	cli_jw_end(w);
}

static void entry_jw(struct run *r, const char *key, const struct tce_table_entry *e,
		     unsigned which)
{
	struct cli_jw *w = r->jw;
	bool present;

	if (!e) {
		cli_jw_null(w, key);
		return;
	}
	present = e->host_state == TCE_HOST_PRESENT;
	cli_jw_object(w, key);
	cli_jw_uint(w, "index", e->index);
	cli_tce_entry_jw(w, e);
	cli_jw_hex_or_null(w, "host_pfn", present, e->host_phys >> r->host_shift[which]);
	cli_jw_end(w);
}

static void finding_jw(struct cli_jw *w, const struct tce_finding *f)
{
	cli_jw_object(w, NULL);
	cli_jw_string(w, "id", f->id);
	cli_jw_string(w, "severity", tce_severity_name(f->severity));
	cli_jw_string(w, "key", f->key);
	cli_jw_string(w, "message", f->message);
	cli_jw_end(w);
}

/* ------------------------------------------------------------ tables */

static int change_cb(void *data, enum tce_entry_change ch, const struct tce_table_entry *o,
		     const struct tce_table_entry *n)
{
	struct run *r = data;
	const struct tce_table_entry *e = n ? n : o;

	if (r->jw) {
		struct cli_jw *w = r->jw;

		cli_jw_object(w, NULL);
		cli_jw_string(w, "change", tce_entry_change_name(ch));
		cli_jw_hex(w, "bus", e->bus);
		entry_jw(r, "old", o, 0);
		entry_jw(r, "new", n, 1);
		cli_jw_end(w);
		return 0;
	}
	if (r->c->limit && r->listed >= r->c->limit) {
		r->listed++;
		return 0;
	}
	table_header_text(r);
	r->listed++;
	printf("  %-9s bus 0x%-10" PRIx64 " ", tce_entry_change_name(ch), e->bus);
	if (o && n) {
		entry_text(o);
		printf(" -> ");
		entry_text(n);
	} else if (ch == TCE_CHANGE_UNKNOWN) {
		entry_text(e);
		printf(" in %s only; %s's table memory here is not in its dump", o ? "OLD" :
		       "NEW", o ? "NEW" : "OLD");
	} else {
		entry_text(e);
	}
	printf("\n");
	return 0;
}

static void counts_text(const struct tce_table_diff_stats *st)
{
	const char *sep = "";

#define COUNT(v, what) do { if (v) { printf("%s%" PRIu64 " %s", sep, (uint64_t)(v), what); \
		sep = ", "; } } while (0)
	COUNT(st->mapped, "mapped");
	COUNT(st->unmapped, "unmapped");
	COUNT(st->remapped, "remapped");
	COUNT(st->changed, "changed");
	COUNT(st->unknown, "unknown");
#undef COUNT
}

/* One table of OLD (to), NEW (tn) or both, by its key */
static int diff_table(struct run *r, const char *key, const struct dtable *to,
		      const struct dtable *tn)
{
	struct cli_jw *w = r->jw;
	const char *err = NULL;
	char why[512];
	int ret;

	r->to = to;
	r->tn = tn;
	r->listed = 0;
	r->header = false;
	r->st = (struct tce_table_diff_stats)TCE_TABLE_DIFF_STATS_INIT;
	if (w) {
		cli_jw_raw(w, (r->tot.both + r->tot.appeared + r->tot.gone) ? ",\n    " :
			   "\n    ");
		cli_jw_object(w, NULL);
		cli_jw_string(w, "key", key);
		cli_jw_string(w, "status", to && tn ? "both" : to ? "went_away" : "appeared");
		table_jw(w, "old", to);
		table_jw(w, "new", tn);
		cli_jw_array(w, "changes");
	}
	if (to && tn)
		r->tot.both++;
	else if (to)
		r->tot.gone++;
	else
		r->tot.appeared++;
	if ((to && (to->info.err || to->info.hv_entries)) ||
	    (tn && (tn->info.err || tn->info.hv_entries))) {
		const struct dtable *bad = to && (to->info.err || to->info.hv_entries) ? to : tn;

		snprintf(why, sizeof(why), "%s: %s", bad == to ? "OLD" : "NEW",
			 bad->info.hv_entries ? "an LPAR's window: its entries live in the "
			 "hypervisor" : bad->info.why);
		err = why;
	} else {
		ret = tce_table_diff(r->s[0].cd.a, to ? &to->info : NULL, r->s[1].cd.a,
				     tn ? &tn->info : NULL, change_cb, r, &r->st);
		if (ret == -TCE_ENOMEM || ret == -TCE_EIO)
			return cli_dump_error(&r->s[r->st.failed == 2].cd);
		if (ret) {
			snprintf(why, sizeof(why), "%s: %s", r->st.failed == 2 ? "NEW" : "OLD",
				 tce_errmsg(r->s[r->st.failed == 2].cd.d));
			err = why;
		}
	}
	r->tot.mapped += r->st.mapped;
	r->tot.unmapped += r->st.unmapped;
	r->tot.remapped += r->st.remapped;
	r->tot.perm += r->st.changed;
	r->tot.unknown += r->st.unknown;
	r->tot.same += r->st.same;
	if (r->st.mapped || r->st.unmapped || r->st.remapped || r->st.changed || r->st.unknown ||
	    err || !to || !tn || !same_window(&to->info, &tn->info))
		r->tot.changed += to && tn;
	if (w) {
		cli_jw_end(w);
		cli_jw_string(w, "error", err);
		cli_jw_object(w, "counts");
		cli_jw_uint(w, "same", r->st.same);
		cli_jw_uint(w, "mapped", r->st.mapped);
		cli_jw_uint(w, "unmapped", r->st.unmapped);
		cli_jw_uint(w, "remapped", r->st.remapped);
		cli_jw_uint(w, "changed", r->st.changed);
		cli_jw_uint(w, "unknown", r->st.unknown);
		cli_jw_end(w);
		cli_jw_end(w);
		return EXIT_OK;
	}
	if (!r->header && !err && to && tn && same_window(&to->info, &tn->info) &&
	    !r->st.mapped && !r->st.unmapped && !r->st.remapped && !r->st.changed &&
	    !r->st.unknown)
		return EXIT_OK;   /* nothing changed: counted, not listed */
	table_header_text(r);
	if (r->listed > r->c->limit && r->c->limit)
		printf("  ... and %" PRIu64 " more (--limit 0 lists all)\n",
		       r->listed - r->c->limit);
	if (err)
		printf("  entries not compared: %s\n", err);
	printf("  ");
	if (r->st.mapped || r->st.unmapped || r->st.remapped || r->st.changed ||
	    r->st.unknown)
		counts_text(&r->st);
	else
		printf("no entry changed");
	printf("; %" PRIu64 " the same\n", r->st.same);
	return EXIT_OK;
}

/* Merges the two dumps' tables by key */
static int diff_tables(struct run *r)
{
	struct dside *o = &r->s[0], *n = &r->s[1];
	size_t i = 0, j = 0;
	int ret = EXIT_OK;

	while (!ret && (i < o->nt || j < n->nt)) {
		int d = i >= o->nt ? 1 : j >= n->nt ? -1 : strcmp(o->t[i].key, n->t[j].key);

		if (!d) {
			ret = diff_table(r, o->t[i].key, &o->t[i], &n->t[j]);
			i++;
			j++;
		} else if (d < 0) {
			ret = diff_table(r, o->t[i].key, &o->t[i], NULL);
			i++;
		} else {
			ret = diff_table(r, n->t[j].key, NULL, &n->t[j]);
			j++;
		}
	}
	return ret;
}

/* ------------------------------------------------------------ findings */

/* The findings of a that b lacks, into out (a->nf room): those that appeared in NEW
 * (a NEW, b OLD) or went away (a OLD, b NEW); how many.  undecided (went away only):
 * where b's rule could not decide (unknown, not run), into undecided, counted in *nu */
static size_t findings_only(struct run *r, const struct dside *a, const struct dside *b,
			    const struct tce_finding **out, const struct tce_finding **undecided,
			    size_t *nu)
{
	size_t i, j = 0, n = 0;

	for (i = 0; i < a->nf; i++) {
		const struct tce_finding *f = a->f[i];
		int d = 1;

		if (!strncmp(f->key, "more:", 5))
			r->tot.capped = true;
		while (j < b->nf && (d = cmp_finding(&b->f[j], &f)) < 0)
			j++;
		if (j < b->nf && !d)
			continue;
		if (undecided) {
			enum tce_outcome o = tce_rule_outcome(b->cd.a, f->rule, NULL);

			if (o == TCE_OUTCOME_UNKNOWN || o == TCE_OUTCOME_NOT_RUN) {
				undecided[(*nu)++] = f;
				continue;
			}
		}
		out[n++] = f;
	}
	return n;
}

static void findings_print(struct run *r, const struct tce_finding *const *f, size_t n,
			   char sign)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (r->jw)
			finding_jw(r->jw, f[i]);
		else
			printf("  %c %-7s %s [%s]: %s\n", sign, tce_severity_name(f[i]->severity),
			       f[i]->id, f[i]->key, f[i]->message);
	}
}

/* Rules whose outcome differs (printed if print); the --strict status */
static int outcomes(struct run *r, bool print)
{
	int status = EXIT_OK;
	unsigned rule;

	for (rule = 0; rule < TCE_RULE_COUNT; rule++) {
		const char *ro, *rn;
		enum tce_outcome o = tce_rule_outcome(r->s[0].cd.a, rule, &ro);
		enum tce_outcome n = tce_rule_outcome(r->s[1].cd.a, rule, &rn);

		if (o == n)
			continue;
		r->tot.outcomes += !print;
		if (r->c->strict && n == TCE_OUTCOME_UNKNOWN)
			status = EXIT_FINDINGS;
		if (!print)
			continue;
		if (r->jw) {
			cli_jw_object(r->jw, NULL);
			cli_jw_string(r->jw, "id", tce_rule(rule)->id);
			cli_jw_string(r->jw, "old", tce_outcome_name(o));
			cli_jw_string(r->jw, "new", tce_outcome_name(n));
			cli_jw_string(r->jw, "old_reason", ro && *ro ? ro : NULL);
			cli_jw_string(r->jw, "new_reason", rn && *rn ? rn : NULL);
			cli_jw_end(r->jw);
		} else {
			printf("  %s: %s -> %s", tce_rule(rule)->id, tce_outcome_name(o),
			       tce_outcome_name(n));
			if (rn && *rn)
				printf(" (%s)", rn);
			printf("\n");
		}
	}
	return status;
}

/* ------------------------------------------------------------ the command */

/* Sources either dump cannot search: not compared, one line each on stderr and in
 * the output */
static void not_compared(struct run *r)
{
	unsigned src, k;

	for (src = 0; src < TCE_SOURCE_COUNT; src++) {
		if (source_compared(r, src))
			continue;
		for (k = 0; k < 2; k++) {
			const struct tce_tables_source *ts = &r->s[k].ti.source[src];

			if (ts->status != TCE_SEARCH_UNKNOWN)
				continue;
			fprintf(stderr, "tce-inspect: diff: %s tables not compared: %s (%s) cannot "
				"search them: %s\n", tce_table_source_name(src), k ? "NEW" : "OLD",
				r->s[k].cd.name, ts->why);
			if (r->jw) {
				cli_jw_object(r->jw, NULL);
				cli_jw_string(r->jw, "source", tce_table_source_name(src));
				cli_jw_string(r->jw, "dump", k ? "new" : "old");
				cli_jw_string(r->jw, "why", ts->why);
				cli_jw_end(r->jw);
			} else {
				printf("not compared: %s tables: %s cannot search them: %s\n",
				       tce_table_source_name(src), k ? "NEW" : "OLD", ts->why);
			}
		}
	}
	/* a search cut short: a table it missed looks gone (or new) */
	for (src = 0; src < TCE_SOURCE_COUNT && !r->jw; src++)
		for (k = 0; k < 2; k++)
			if (r->s[k].ti.source[src].status == TCE_SEARCH_PARTIAL)
				printf("partial: %s tables: %s's search stopped early (%s): a table "
				       "it missed is listed as %s\n", tce_table_source_name(src),
				       k ? "NEW" : "OLD", r->s[k].ti.source[src].why,
				       k ? "gone" : "appeared");
}

static void summary_text(const struct run *r)
{
	const struct totals *t = &r->tot;
	bool none = !t->changed && !t->appeared && !t->gone && !t->f_appeared && !t->f_gone &&
		    !t->f_undecided && !t->outcomes;

	if (none) {
		printf("no difference: %zu table%s, %" PRIu64 " valid entr%s and %zu finding%s "
		       "in both\n", t->both, t->both == 1 ? "" : "s", t->same,
		       t->same == 1 ? "y" : "ies", r->s[1].nf, r->s[1].nf == 1 ? "" : "s");
		return;
	}
	printf("\ntables:   %zu in both (%zu changed), %zu appeared, %zu went away\n", t->both,
	       t->changed, t->appeared, t->gone);
	printf("entries:  %" PRIu64 " mapped, %" PRIu64 " unmapped, %" PRIu64 " remapped, %"
	       PRIu64 " changed, %" PRIu64 " unknown; %" PRIu64 " the same\n", t->mapped,
	       t->unmapped, t->remapped, t->perm, t->unknown, t->same);
	printf("findings: %zu appeared (%zu at or above %s), %zu went away", t->f_appeared,
	       t->f_failing, tce_severity_name(r->c->fail_on), t->f_gone);
	if (t->f_undecided)
		printf(", %zu undecided on NEW", t->f_undecided);
	printf("\n");
	if (t->capped)
		printf("  (a rule raised more findings than it lists in a dump: those beyond "
		       "its first 256 are not compared)\n");
}

static void summary_jw(const struct run *r, int status)
{
	const struct totals *t = &r->tot;
	struct cli_jw *w = r->jw;

	cli_jw_object(w, NULL);
	cli_jw_uint(w, "tables_both", t->both);
	cli_jw_uint(w, "tables_changed", t->changed);
	cli_jw_uint(w, "tables_appeared", t->appeared);
	cli_jw_uint(w, "tables_went_away", t->gone);
	cli_jw_uint(w, "same", t->same);
	cli_jw_uint(w, "mapped", t->mapped);
	cli_jw_uint(w, "unmapped", t->unmapped);
	cli_jw_uint(w, "remapped", t->remapped);
	cli_jw_uint(w, "changed", t->perm);
	cli_jw_uint(w, "unknown", t->unknown);
	cli_jw_uint(w, "findings_appeared", t->f_appeared);
	cli_jw_uint(w, "findings_went_away", t->f_gone);
	cli_jw_uint(w, "findings_undecided", t->f_undecided);
	cli_jw_uint(w, "findings_failing", t->f_failing);
	cli_jw_bool(w, "findings_capped", t->capped);
	cli_jw_uint(w, "outcomes_changed", t->outcomes);
	cli_jw_int(w, "exit_status", status);
	cli_jw_end(w);
}

int cmd_diff(struct cli *c)
{
	struct run *r = calloc(1, sizeof(*r));
	const struct tce_finding **app = NULL, **gone = NULL, **undecided = NULL;
	bool on[TCE_RULE_COUNT];
	size_t k;
	int ret = EXIT_OK, status;

	if (!r) {
		fprintf(stderr, "tce-inspect: diff: out of memory\n");
		return EXIT_DUMP;
	}
	r->c = c;
	if (c->baseline) {
		free(r);
		return cli_usage(c, "takes no --baseline (OLD is the baseline)");
	}
	if (!(c->given & CLI_OPT_LIMIT))
		c->limit = DIFF_LIMIT;
	ret = cli_rules_on(c, on);
	if (ret) {
		free(r);
		return ret;
	}
	for (k = 0; k < 2 && !ret; k++)
		ret = open_side(c, &r->s[k], c->args[k], (int)k);
	for (k = 0; k < 2 && !ret; k++)
		ret = load_side(&r->s[k], on);
	for (k = 0; k < 2 && !ret; k++) {
		struct tce_dump_info di = { .size = sizeof(di) };

		if (tce_dump_info(r->s[k].cd.d, &di))
			ret = cli_dump_error(&r->s[k].cd);
		else
			r->host_shift[k] = (unsigned)__builtin_ctzll(di.page_size ?
								     di.page_size : 4096);
	}
	for (k = 0; k < 2 && !ret; k++)
		ret = list_tables(r, &r->s[k]);
	if (ret)
		goto out;

	if (c->format == CLI_JSON) {
		r->jw = malloc(sizeof(*r->jw));
		if (!r->jw) {
			fprintf(stderr, "tce-inspect: diff: out of memory\n");
			ret = EXIT_DUMP;
			goto out;
		}
		cli_jw_init(r->jw, stdout);
		cli_jw_raw(r->jw, "{\n  \"schema_version\": ");
		cli_jw_int(r->jw, NULL, CLI_SCHEMA_VERSION);
		cli_jw_raw(r->jw, ",\n  \"old\": ");
		cli_jw_string(r->jw, NULL, r->s[0].cd.name);
		cli_jw_raw(r->jw, ",\n  \"new\": ");
		cli_jw_string(r->jw, NULL, r->s[1].cd.name);
		cli_jw_raw(r->jw, ",\n  \"not_compared\": ");
		cli_jw_array(r->jw, NULL);
		not_compared(r);
		cli_jw_end(r->jw);
		cli_jw_raw(r->jw, ",\n  \"tables\": [");
	} else {
		printf("old:      %s\nnew:      %s\n", r->s[0].cd.name, r->s[1].cd.name);
		not_compared(r);
	}
	ret = diff_tables(r);
	if (ret)
		goto out;
	app = calloc(r->s[1].nf + 1, sizeof(*app));
	gone = calloc(r->s[0].nf + 1, sizeof(*gone));
	undecided = calloc(r->s[0].nf + 1, sizeof(*undecided));
	if (!app || !gone || !undecided) {
		fprintf(stderr, "tce-inspect: diff: out of memory\n");
		ret = EXIT_DUMP;
		goto out;
	}
	r->tot.f_appeared = findings_only(r, &r->s[1], &r->s[0], app, NULL, NULL);
	r->tot.f_gone = findings_only(r, &r->s[0], &r->s[1], gone, undecided,
				      &r->tot.f_undecided);
	for (k = 0; k < r->tot.f_appeared; k++)
		r->tot.f_failing += app[k]->severity >= c->fail_on;
	status = outcomes(r, false);
	if (r->jw) {
		cli_jw_raw(r->jw, (r->tot.both + r->tot.appeared + r->tot.gone) ? "\n  ],\n" :
			   "],\n");
		cli_jw_raw(r->jw, "  \"findings_appeared\": ");
		cli_jw_array(r->jw, NULL);
		findings_print(r, app, r->tot.f_appeared, '+');
		cli_jw_end(r->jw);
		cli_jw_raw(r->jw, ",\n  \"findings_went_away\": ");
		cli_jw_array(r->jw, NULL);
		findings_print(r, gone, r->tot.f_gone, '-');
		cli_jw_end(r->jw);
		cli_jw_raw(r->jw, ",\n  \"findings_undecided\": ");
		cli_jw_array(r->jw, NULL);
		findings_print(r, undecided, r->tot.f_undecided, '?');
		cli_jw_end(r->jw);
		cli_jw_raw(r->jw, ",\n  \"outcomes_changed\": ");
		cli_jw_array(r->jw, NULL);
		outcomes(r, true);
		cli_jw_end(r->jw);
	} else {
		if (r->tot.f_appeared) {
			printf("\nfindings that appeared in NEW:\n");
			findings_print(r, app, r->tot.f_appeared, '+');
		}
		if (r->tot.f_gone) {
			printf("\nfindings that went away:\n");
			findings_print(r, gone, r->tot.f_gone, '-');
		}
		if (r->tot.f_undecided) {
			printf("\nfindings of OLD whose rule cannot decide on NEW (not gone, "
			       "unknown):\n");
			findings_print(r, undecided, r->tot.f_undecided, '?');
		}
		if (r->tot.outcomes) {
			printf("\nrule outcomes that changed:\n");
			outcomes(r, true);
		}
	}
	if (r->tot.f_failing)
		status = EXIT_FINDINGS;
	if (r->jw) {
		cli_jw_raw(r->jw, ",\n  \"summary\": ");
		summary_jw(r, status);
		cli_jw_raw(r->jw, "\n}\n");
		cli_jw_flush(r->jw);
	} else {
		summary_text(r);
	}
	ret = status;
out:
	for (k = 0; k < 2; k++) {
		free(r->s[k].t);
		free(r->s[k].f);
		if (r->s[k].open)
			cli_close(&r->s[k].cd);
	}
	free(app);
	free(gone);
	free(undecided);
	free(r->jw);
	free(r);
	return ret;
}
