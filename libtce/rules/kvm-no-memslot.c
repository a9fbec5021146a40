// SPDX-License-Identifier: LGPL-2.1-or-later
/* TCE-KVM-NO-MEMSLOT: a guest-view TCE whose guest address lies in no memslot. */
#include "config.h"

#include <inttypes.h>

#include "rules/rules.h"

static int entry(struct rule_ctx *c, const struct entry_fact *f)
{
	if (f->t->info->kind != TCE_TABLE_KVM)
		return 0;
	/* no memslot found among slots the dump could not all give (a gfn_tree cut
	 * short or looping): whether one holds it is unknown, not a pass */
	if (f->e->host_state == TCE_HOST_UNKNOWN && f->e->memslot < 0)
		return tce_rule_undecided(c, "the memslots of %s entry 0x%" PRIx64 "'s VM: %s",
					  f->t->key, f->e->index,
					  f->e->host_why ? f->e->host_why : "unknown");
	if (f->e->host_state != TCE_HOST_NO_MEMSLOT)
		return 0;
	return tce_rule_entry_finding(c, f, "guest address 0x%" PRIx64 " lies in no memslot "
				      "of the VM", f->e->target);
}

static bool when(const struct rule_ctx *c, const struct fact_sum *s)
{
	(void)c;
	return s->t->info->kind == TCE_TABLE_KVM &&
	       (s->states & (1u << TCE_HOST_UNKNOWN | 1u << TCE_HOST_NO_MEMSLOT));
}

/* an entry in no memslot is a finding, an unknown one perhaps undecided */
static bool count(const struct rule_ctx *c, const struct fact_sum *s, uint64_t *n)
{
	(void)c;
	if (s->count[TCE_HOST_UNKNOWN])
		return false;
	*n = s->count[TCE_HOST_NO_MEMSLOT];
	return true;
}

TCE_RULE_ENTRIES_WHEN(entry, when)

const struct rule_def tce_rule_kvm_no_memslot = {
	.info = {
		.rule = TCE_RULE_KVM_NO_MEMSLOT,
		.id = "TCE-KVM-NO-MEMSLOT",
		.severity = TCE_SEV_WARNING,
		.summary = "a guest-view TCE whose guest address lies in no memslot",
		.why = "KVM's H_PUT_TCE refuses such a TCE (kvmppc_tce_validate() -> "
		       "kvmppc_tce_to_ua() fails: H_PARAMETER), so it came another way: QEMU "
		       "emulating the hcall or writing the table through its mmap, or a "
		       "memslot removed while the guest's TCE stayed.  An emulated device "
		       "DMAing there reaches nothing, an attached VFIO device whatever the "
		       "hardware table says.",
		.model = "6.1 KVM: every TCE a guest puts in a LIOBN's table is validated "
			 "against the VM's memslots",
		.area = TCE_AREA_TABLES,
	},
	.entries = entries,
	.when = when,
	.count = count,
	.on = RULE_ON_KVM,
};
