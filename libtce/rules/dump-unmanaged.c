// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-DUMP-UNMANAGED: memory the dump holds that the kernel does not manage. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "rules/rules.h"

/* Is any of physical [lo, hi) in a section whose root the dump lacks? */
static bool in_gap(const struct sections *s, uint64_t lo, uint64_t hi)
{
	uint64_t first = lo >> s->size_bits, last = (hi - 1) >> s->size_bits;
	size_t i;

	for (i = 0; i < s->ngaps; i++)
		if (s->gaps[i].first <= last && first <= s->gaps[i].last)
			return true;
	return false;
}

/* The first present section that ends above physical at (sections are sorted by
 * number), or s->n */
static size_t first_section(const struct sections *s, uint64_t at)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].nr >= at >> s->size_bits)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Reports the parts of [start, end) that no present section covers.  From the first
 * section that reaches it: a makedumpfile -E file has a range for each run of pages it
 * kept, a big host as many sections (a scan from the first, for each range, made the
 * rule 52% of a check of the forge's 16M profile cut into 18,920 PT_LOADs) */
static int check_range(struct rule_ctx *c, uint64_t start, uint64_t end, uint64_t *unknown)
{
	const struct sections *s = &c->m->sect;
	uint64_t ssize = 1ULL << s->size_bits, at = start;
	size_t i;
	char key[80];
	int ret;

	for (i = first_section(s, at); i <= s->n && at < end; i++) {
		uint64_t lo = i < s->n ? s->v[i].nr * ssize : end;
		uint64_t hi = i < s->n ? lo + ssize : end;

		if (hi <= at)
			continue;
		if (lo > at) {
			uint64_t gap_end = lo < end ? lo : end;

			if (in_gap(s, at, gap_end)) {
				/* no section we know covers it, but one we cannot read may */
				*unknown += gap_end - at;
				at = hi;
				continue;
			}

			snprintf(key, sizeof(key), "phys:0x%" PRIx64 "-0x%" PRIx64, at,
				 gap_end - 1);
			ret = tce_rule_finding(c, TCE_NO_PFN, TCE_NO_PFN, key,
					       "physical 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64
					       " bytes) is in the dump but in no present memory "
					       "section: memory the kernel does not manage (device "
					       "memory, e.g. a display's RAM a hypervisor dumped)",
					       at, gap_end - 1, gap_end - at);
			if (ret)
				return ret;
		}
		at = hi;
	}
	return 0;
}

struct span {
	uint64_t start, end;
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * What the dump holds, by address, ranges that meet merged: a stretch of memory the
 * kernel does not manage is one finding however many PT_LOADs hold it (makedumpfile -E
 * writes one for each run of pages it kept).  *n spans; NULL when out of memory.
 */
static struct span *held_spans(struct rule_ctx *c, size_t *n)
{
	struct span *v = malloc((c->nranges ? c->nranges : 1) * sizeof(*v));
	size_t i, k = 0;

	if (!v)
		return NULL;
	for (i = 0; i < c->nranges; i++)
		if (c->ranges[i].avail)
			v[k++] = (struct span){ c->ranges[i].start,
						c->ranges[i].start + c->ranges[i].avail };
	qsort(v, k, sizeof(*v), cmp_span);
	for (i = 0, *n = 0; i < k; i++) {
		if (*n && v[*n - 1].end == v[i].start)
			v[*n - 1].end = v[i].end;
		else
			v[(*n)++] = v[i];
	}
	return v;
}

static int check(struct rule_ctx *c)
{
	const struct sections *s = &c->m->sect;
	uint64_t unknown = 0;
	size_t before = c->fl->n, i, n;
	struct span *v;
	int ret = 0;

	if (!c->ranges)
		return tce_rule_not_applicable(c, "only ELF dumps say which memory they hold");
	if (s->status != SECT_OK)
		return tce_rule_unknown(c, "which memory the kernel manages is unknown: %s",
					s->why[0] ? s->why : "mem_section was not read");
	v = held_spans(c, &n);
	if (!v)
		return tce_err_set(c->err, TCE_ENOMEM, "TCE-DUMP-UNMANAGED: out of memory");
	for (i = 0; i < n && !ret; i++)
		ret = check_range(c, v[i].start, v[i].end, &unknown);
	free(v);
	if (ret)
		return ret;
	if (unknown && c->fl->n == before)
		return tce_rule_unknown(c, "%" PRIu64 " bytes the dump holds lie in memory "
					"sections whose mem_section root is not in the dump",
					unknown);
	return 0;
}

const struct rule_def tce_rule_dump_unmanaged = {
	.info = {
		.rule = TCE_RULE_DUMP_UNMANAGED,
		.id = "TCE-DUMP-UNMANAGED",
		.severity = TCE_SEV_INFO,
		.summary = "memory the dump holds that the kernel does not manage",
		.why = "A hypervisor's dump (QEMU's dump-guest-memory) writes every RAM-like "
		       "region of the machine, device memory too: a default pseries machine's "
		       "VGA adds 16 MiB of video RAM at 0x200080000000.  The kernel has no "
		       "struct pages there and no rule judges it; this says where it is so "
		       "that nothing else is mistaken for it.",
		.model = "mem_section's present sections are the memory the kernel manages",
	},
	.check = check,
};
