// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-ENTRY-RESERVED-BITS: a valid TCE has bits set that the format reserves. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

/* bits 2-11: neither permission nor address (asm/tce.h: TCE_RPN_SHIFT 12) */
#define RESERVED 0xffcULL

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	if (!(f->e->raw & RESERVED))
		return 0;
	return tce_rule_entry_finding(c, f, "bits 0x%" PRIx64 " are set, which the TCE "
				      "format reserves", (uint64_t)(f->e->raw & RESERVED));
}

/* a batch none of whose TCEs has a reserved bit set is skipped */
static bool when(const struct rule_ctx *c, const struct fact_sum *s)
{
	(void)c;
	return (s->raw & RESERVED) != 0;
}

TCE_RULE_ENTRIES_WHEN(entry, when)

const struct rule_def tce_rule_entry_reserved_bits = {
	.info = {
		.rule = TCE_RULE_ENTRY_RESERVED_BITS,
		.id = "TCE-ENTRY-RESERVED-BITS",
		.severity = TCE_SEV_WARNING,
		.summary = "a valid TCE has reserved bits set",
		.why = "A TCE holds the read and write permissions in bits 0 and 1 and the "
		       "address from bit 12 up; the kernel (pnv_tce_build(), "
		       "kvmppc_tce_validate()) never writes the bits between.  Set, they are "
		       "a corrupt entry or one written by something that does not follow the "
		       "format: the hardware may ignore them or refuse the DMA.",
		.model = "TCE: address | TCE_PCI_WRITE (2) | TCE_PCI_READ (1), bits 2-11 zero",
		.area = TCE_AREA_TABLES,
	},
	.entries = entries,
	.when = when,
};
