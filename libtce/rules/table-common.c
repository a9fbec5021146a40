// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the rules about TCE tables share: a finding about one entry (its key is the
 * table's semantic key and the bus address, never a kernel pointer, so a baseline
 * survives a reboot), and the bookkeeping of what a rule could not decide, which makes
 * its outcome "unknown" rather than "pass".
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "rules/rules.h"

int tce_rule_undecided(struct rule_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->undecided[c->rule]++) {
		va_start(ap, fmt);
		vsnprintf(c->undecided_why[c->rule], sizeof(c->undecided_why[0]), fmt, ap);
		va_end(ap);
	}
	return 0;
}

const char *tce_fact_page_why(const struct entry_fact *f)
{
	const char *why = f->page_why;

	if (!why && f->t->page_why)
		why = f->t->page_why(f->t, f->pfn);
	return why ? why : "";
}

int tce_rule_entry_finding(struct rule_ctx *c, const struct entry_fact *f, const char *fmt,
			   ...)
{
	const struct tce_table_entry *e = f->e;
	bool page = e->host_state == TCE_HOST_PRESENT;
	char key[192], msg[384];
	va_list ap;

	if (tce_rule_full(c))
		return 0;
	/* where in the batch (the runner puts the batch's findings in entry order), and
	 * what the finding was decided from: the entry and the run it continues */
	c->pos = c->batch && f >= c->batch ? (uint32_t)(f - c->batch) : 0;
	c->where = (struct finding_where){ FON_ENTRY, (char *)f->t->key, f->run_start,
					   e->index };
	snprintf(key, sizeof(key), "%s:bus=0x%" PRIx64, f->t->key, e->bus);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tce_rule_finding(c, page ? f->pfn : TCE_NO_PFN, page ? f->pfn : TCE_NO_PFN, key,
				"%s entry 0x%" PRIx64 " (bus 0x%" PRIx64 ", tce 0x%" PRIx64 "): %s",
				f->t->key, e->index, e->bus, e->raw, msg);
}

int tce_rule_no_page(struct rule_ctx *c, const struct entry_fact *f)
{
	if (f->e->host_state == TCE_HOST_UNKNOWN) {
		tce_rule_undecided(c, "the host page behind %s entry 0x%" PRIx64 " is unknown: "
				   "%s", f->t->key, f->e->index,
				   f->e->host_why ? f->e->host_why : "");
		return 1;
	}
	if (f->e->host_state != TCE_HOST_PRESENT)
		return 1;
	if (f->page_err) {
		if (!tce_rule_undecided_again(c))
			tce_rule_undecided(c, "the struct page of pfn 0x%" PRIx64 " (%s entry 0x%"
					   PRIx64 ") cannot be read: %s", f->pfn, f->t->key,
					   f->e->index, tce_fact_page_why(f));
		return 1;
	}
	return 0;
}
