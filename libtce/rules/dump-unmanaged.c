// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-DUMP-UNMANAGED: memory the dump holds that the kernel does not manage. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

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

/* Reports the parts of [start, end) that no present section covers. */
static int check_range(struct rule_ctx *c, uint64_t start, uint64_t end, uint64_t *unknown)
{
	const struct sections *s = &c->m->sect;
	uint64_t ssize = 1ULL << s->size_bits, at = start;
	size_t i;
	char key[80];
	int ret;

	for (i = 0; i <= s->n && at < end; i++) {
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

static int check(struct rule_ctx *c)
{
	const struct sections *s = &c->m->sect;
	uint64_t unknown = 0;
	size_t before = c->fl->n;
	unsigned i;
	int ret;

	if (!c->ranges)
		return tce_rule_not_applicable(c, "only ELF dumps say which memory they hold");
	if (s->status != SECT_OK)
		return tce_rule_unknown(c, "which memory the kernel manages is unknown: %s",
					s->why[0] ? s->why : "mem_section was not read");
	for (i = 0; i < c->nranges; i++) {
		const struct tce_phys_range *r = &c->ranges[i];

		if (!r->avail)
			continue;
		ret = check_range(c, r->start, r->start + r->avail, &unknown);
		if (ret)
			return ret;
	}
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
