// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Findings: a stable rule id, the rule's severity, a semantic key (pfns, list
 * positions, physical ranges; never raw pointers alone) and one line of message.  The
 * list caps each rule as findings are added, so a corrupt dump cannot make memory grow
 * with what it claims, and no finding is ever dropped silently: running out of memory
 * is an error the caller sees, and what the cap left out is counted.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

const char *tce_severity_name(enum tce_severity s)
{
	switch (s) {
	case TCE_SEV_INFO:
		return "info";
	case TCE_SEV_WARNING:
		return "warning";
	case TCE_SEV_ERROR:
		return "error";
	}
	return "unknown";
}

int tce_severity_parse(const char *s, enum tce_severity *out)
{
	if (!strcmp(s, "info"))
		*out = TCE_SEV_INFO;
	else if (!strcmp(s, "warning"))
		*out = TCE_SEV_WARNING;
	else if (!strcmp(s, "error"))
		*out = TCE_SEV_ERROR;
	else
		return -TCE_EINVAL;
	return 0;
}

/* gcc 12's -fanalyzer drops a store at a symbolic index (l->v[l->n]) and then calls
 * the strings stored there leaked; tce_findings_free() frees them */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif

/* Room for one more finding in l; 0 or -TCE_ENOMEM */
static int room(struct finding_list *l)
{
	size_t cap = l->cap ? l->cap * 2 : 16;
	struct tce_finding *v;
	struct finding_where *wv;
	uint32_t *at;

	if (l->n < l->cap)
		return 0;
	v = realloc(l->v, cap * sizeof(*v));
	if (!v)
		return -TCE_ENOMEM;
	l->v = v;
	wv = realloc(l->where, cap * sizeof(*wv));
	if (!wv)
		return -TCE_ENOMEM;
	l->where = wv;
	at = realloc(l->at, cap * sizeof(*at));
	if (!at)
		return -TCE_ENOMEM;
	l->at = at;
	l->cap = cap;
	return 0;
}

/* fmt comes from the callers' format-checked variadic functions, ap with it */
static int add(struct finding_list *l, struct tce_err *err, enum tce_rule_id rule,
	       const struct finding_where *w, uint64_t pfn_first, uint64_t pfn_last,
	       const char *key, const char *fmt, va_list ap)
	__attribute__((format(printf, 8, 0)));

static int add(struct finding_list *l, struct tce_err *err, enum tce_rule_id rule,
	       const struct finding_where *w, uint64_t pfn_first, uint64_t pfn_last,
	       const char *key, const char *fmt, va_list ap)
{
	const struct rule_def *def = tce_rule_def(rule);
	struct tce_finding *f;
	char *k, *msg = NULL, *table = NULL;

	k = strdup(key);
	if (!k || vasprintf(&msg, fmt, ap) < 0)
		goto nomem;
	if (w->table && !(table = strdup(w->table)))
		goto nomem;
	if (room(l))
		goto nomem;
	l->where[l->n] = *w;
	l->where[l->n].table = table;
	l->at[l->n] = 0;
	f = &l->v[l->n++];
	f->rule = rule;
	f->id = def->info.id;
	f->severity = def->info.severity;
	f->key = k;
	f->message = msg;
	f->pfn_first = pfn_first;
	f->pfn_last = pfn_last;
	return 0;
nomem:
	free(k);
	free(msg);
	free(table);
	return tce_err_set(err, TCE_ENOMEM, "%s finding %zu: out of memory", def->info.id,
			   l->n);
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

static int add_one(struct finding_list *l, struct tce_err *err, enum tce_rule_id rule,
		   uint64_t pfn_first, uint64_t pfn_last, const char *key, const char *fmt,
		   ...) __attribute__((format(printf, 7, 8)));

static int add_one(struct finding_list *l, struct tce_err *err, enum tce_rule_id rule,
		   uint64_t pfn_first, uint64_t pfn_last, const char *key, const char *fmt,
		   ...)
{
	static const struct finding_where none = { FON_NONE, NULL, 0, 0 };
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = add(l, err, rule, &none, pfn_first, pfn_last, key, fmt, ap);
	va_end(ap);
	return ret;
}

int tce_rule_finding(struct rule_ctx *c, uint64_t pfn_first, uint64_t pfn_last,
		     const char *key, const char *fmt, ...)
{
	struct finding_list *l = c->fl;
	va_list ap;
	int ret;

	if (tce_rule_full(c))
		return 0;
	l->raised++;
	va_start(ap, fmt);
	ret = add(l, c->err, c->rule, &c->where, pfn_first, pfn_last, key, fmt, ap);
	va_end(ap);
	if (!ret) {
		l->kept[c->rule]++;
		l->at[l->n - 1] = c->pos;
	}
	return ret;
}

/* (position in the batch, place in the list): the order of one rule after the other
 * for each entry, as the rules raised them for one entry in rule order */
static int cmp_at(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int tce_findings_order(struct finding_list *l, size_t from, struct tce_err *err)
{
	size_t i, n = l->n - from;
	struct tce_finding *v;
	struct finding_where *w;
	uint64_t *key;

	for (i = from + 1; i < l->n && l->at[i - 1] <= l->at[i]; i++)
		;
	if (i >= l->n)
		return 0;             /* in order already: the common case */
	key = malloc(n * sizeof(*key));
	v = malloc(n * sizeof(*v));
	w = malloc(n * sizeof(*w));
	if (!key || !v || !w) {
		free(key);
		free(v);
		free(w);
		return tce_err_set(err, TCE_ENOMEM, "findings: out of memory");
	}
	for (i = 0; i < n; i++)
		key[i] = (uint64_t)l->at[from + i] << 32 | i;
	qsort(key, n, sizeof(*key), cmp_at);
	memcpy(v, l->v + from, n * sizeof(*v));
	memcpy(w, l->where + from, n * sizeof(*w));
	for (i = 0; i < n; i++) {
		l->v[from + i] = v[(uint32_t)key[i]];
		l->where[from + i] = w[(uint32_t)key[i]];
		l->at[from + i] = (uint32_t)(key[i] >> 32);
	}
	free(key);
	free(v);
	free(w);
	return 0;
}

int tce_findings_join(struct finding_list *l, struct finding_list *from, struct tce_err *err)
{
	unsigned r;
	size_t i;

	for (i = 0; i < from->n; i++) {
		r = from->v[i].rule;
		if (l->kept[r] >= TCE_FINDINGS_PER_RULE) {
			l->dropped[r]++;
			continue;
		}
		if (room(l))
			return tce_err_set(err, TCE_ENOMEM, "findings: out of memory");
		l->v[l->n] = from->v[i];
		l->where[l->n] = from->where[i];
		l->at[l->n++] = from->at[i];
		l->kept[r]++;
		/* l's now */
		from->v[i].key = from->v[i].message = NULL;
		from->where[i].table = NULL;
	}
	for (r = 0; r < TCE_RULE_COUNT; r++)
		l->dropped[r] += from->dropped[r];
	l->raised += from->raised;
	l->counted += from->counted;
	return 0;
}

int tce_findings_close(struct finding_list *l, struct tce_err *err)
{
	unsigned r;
	int ret;

	for (r = 0; r < TCE_RULE_COUNT; r++) {
		char key[32];

		if (!l->dropped[r])
			continue;
		snprintf(key, sizeof(key), "more:%zu", l->dropped[r]);
		ret = add_one(l, err, r, TCE_NO_PFN, TCE_NO_PFN, key,
			      "%zu more %s findings are not listed", l->dropped[r],
			      tce_rule_def(r)->info.id);
		if (ret)
			return ret;
		l->dropped[r] = 0;
	}
	return 0;
}

void tce_findings_free(struct finding_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free((char *)l->v[i].key);
		free((char *)l->v[i].message);
		free(l->where[i].table);
	}
	free(l->v);
	free(l->where);
	free(l->at);
	memset(l, 0, sizeof(*l));
}

static int set_outcome(struct rule_ctx *c, enum tce_outcome o, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static int set_outcome(struct rule_ctx *c, enum tce_outcome o, const char *fmt, va_list ap)
{
	c->outcome = o;
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	return 0;
}

int tce_rule_unknown(struct rule_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_outcome(c, TCE_OUTCOME_UNKNOWN, fmt, ap);
	va_end(ap);
	return 0;
}

int tce_rule_not_applicable(struct rule_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_outcome(c, TCE_OUTCOME_NOT_APPLICABLE, fmt, ap);
	va_end(ap);
	return 0;
}

int tce_rule_need_walk(struct rule_ctx *c)
{
	const struct vm_walk *w = &c->m->walk;

	if (c->m->src == TCE_VMEMMAP_SRC_PGTABLE) {
		tce_rule_not_applicable(c, "the kernel keeps no vmemmap_list (radix since "
					"6.5): its page tables are the vmemmap's only map");
		return 0;
	}
	if (w->end != VM_WALK_NOT_RUN && w->end != VM_WALK_NO_PARAMS &&
	    w->end != VM_WALK_NO_PSIZE)
		return 1;
	tce_rule_unknown(c, "vmemmap_list was not walked: %s", w->why[0] ? w->why :
			 "the walk did not run");
	return 0;
}
