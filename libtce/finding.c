/*
 * Findings and the catalogue of rules that raise them.  A finding is data: a stable id,
 * the rule's severity, a semantic key (pfns or list positions, never raw pointers alone)
 * and one line of message.  The catalogue is the single place where ids, severities and
 * the reason each rule exists are written; doc/ and --help are generated from it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "priv.h"

static const struct tce_rule_doc rules[] = {
	{ "TCE-VMEMMAP-MISSING", TCE_SEV_ERROR,
	  "the dump lacks what a vmemmap_list walk needs",
	  "VMCOREINFO must name vmemmap_list, mmu_psize_defs, mmu_vmemmap_psize, the "
	  "vmemmap_backing layout and SIZE(page); without them no struct page can be "
	  "located, so every later answer would be a guess." },
	{ "TCE-VMEMMAP-CYCLE", TCE_SEV_ERROR,
	  "vmemmap_list loops back on itself",
	  "A list entry points at an entry already visited.  The kernel's own walks "
	  "(the real-mode translation, crash-dump tools) would never end; the blocks after "
	  "the loop are lost." },
	{ "TCE-VMEMMAP-UNTERMINATED", TCE_SEV_ERROR,
	  "vmemmap_list is longer than the dump's memory can hold",
	  "The walk stopped at a bound derived from the dump's size without reaching a NULL "
	  "link: the list is corrupt." },
	{ "TCE-VMEMMAP-TRUNCATED", TCE_SEV_ERROR,
	  "a vmemmap_list link points outside the dump",
	  "An entry (or the list head) cannot be read: its address is not kernel memory, "
	  "or the page holding it is not in the dump.  The blocks after it are unknown." },
	{ "TCE-VMEMMAP-MISALIGNED", TCE_SEV_ERROR,
	  "a vmemmap block is not aligned to the vmemmap page size",
	  "vmemmap_populate() maps whole, naturally aligned pages of the vmemmap page size; "
	  "a block whose virt_addr or phys is not aligned was not made by the kernel." },
	{ "TCE-VMEMMAP-OVERLAP-VIRT", TCE_SEV_ERROR,
	  "two vmemmap blocks back the same vmemmap addresses",
	  "Each vmemmap address is backed once.  Two entries covering the same virtual range "
	  "make the answer depend on list order: translations disagree." },
	{ "TCE-VMEMMAP-OVERLAP-PHYS", TCE_SEV_ERROR,
	  "two vmemmap blocks share physical memory",
	  "Two different parts of the vmemmap stored in the same physical memory means one "
	  "struct page overwrites another." },
	{ "TCE-VMEMMAP-BACKING-MISSING", TCE_SEV_ERROR,
	  "a vmemmap block's backing memory is not in the dump",
	  "The struct pages of this block cannot be read: the dump excluded or lost the "
	  "memory.  Their state is unknown, not zero." },
	{ "TCE-VMEMMAP-UNCOVERED", TCE_SEV_ERROR,
	  "RAM in the dump whose struct pages no vmemmap block backs",
	  "6.1 gives every pfn of added memory a struct page, online or not, and records "
	  "the vmemmap page behind it in vmemmap_list.  RAM without one means the list lost "
	  "entries (cut, corrupted, or rebuilt wrongly after hot-remove): real mode cannot "
	  "reach those struct pages and a dump reader cannot read them." },
	{ "TCE-VMEMMAP-UNORDERED", TCE_SEV_WARNING,
	  "vmemmap_list is not in descending virt_addr order",
	  "The 2013 real-mode walk takes the first entry with virt_addr <= address, which is "
	  "right only while the list is in descending order.  Memory hot-remove recycles "
	  "entries and breaks that order (fixed upstream in 2014): the walk then gives up "
	  "on every struct page behind the misplaced entry, sending each H_PUT_TCE for "
	  "those pages to virtual mode, and where entries overlap it picks a wrong one." },
	{ "TCE-VMEMMAP-SEED-FALLBACK", TCE_SEV_WARNING,
	  "the 2013 walk gives up on struct pages the index finds",
	  "Behind an out-of-order vmemmap_list entry the 2013 real-mode walk stops at the "
	  "wrong entry and returns NULL: nothing is corrupted, but every H_PUT_TCE for "
	  "those pages exits to virtual mode, and a kernel that trusts the walk for "
	  "anything else is wrong there." },
	{ "TCE-VMEMMAP-XLAT-MISMATCH", TCE_SEV_ERROR,
	  "translations of pfn to struct page disagree",
	  "The 2013 walk, the hot-remove-safe walk, the sorted index and (on radix) the kernel "
	  "page tables must locate every struct page at the same physical address.  Where "
	  "they give different addresses (or one finds a struct page another says does not "
	  "exist), a real-mode user of the disagreeing method reads or writes the wrong "
	  "struct page, or the kernel's own maps contradict each other." },
	{ "TCE-VMEMMAP-STRADDLE", TCE_SEV_INFO,
	  "struct pages span two vmemmap blocks",
	  "When SIZE(page) does not divide the vmemmap page size, some struct pages are split "
	  "between two blocks that need not be physically adjacent: real mode cannot reach "
	  "them and must fall back to virtual mode." },
};

const struct tce_rule_doc *tce_rules(size_t *n)
{
	*n = ARRAY_SIZE(rules);
	return rules;
}

enum tce_severity tce_rule_severity(const char *id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rules); i++)
		if (strcmp(rules[i].id, id) == 0)
			return rules[i].severity;
	return TCE_SEV_ERROR;
}

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

int tce_finding_add(struct finding_list *l, const char *id, uint64_t pfn_first,
		    uint64_t pfn_last, const char *key, const char *fmt, ...)
{
	struct tce_finding *f;
	va_list ap;
	int len;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct tce_finding *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -TCE_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	f = &l->v[l->n];
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->severity = tce_rule_severity(id);
	f->pfn_first = pfn_first;
	f->pfn_last = pfn_last;
	f->key = strdup(key);
	va_start(ap, fmt);
	len = vasprintf(&f->message, fmt, ap);
	va_end(ap);
	if (!f->key || len < 0) {
		free(f->key);
		if (len >= 0)
			free(f->message);
		return -TCE_ENOMEM;
	}
	l->n++;
	return 0;
}

void tce_findings_free(struct tce_finding *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].message);
	}
	free(v);
}

/*
 * A corrupt list can raise the same finding for thousands of entries: keep the first
 * max of each id and replace the rest by one finding that counts them.  Linear in the
 * number of findings (ids are few).
 */
int tce_findings_cap(struct finding_list *l, size_t max)
{
	struct {
		const char *id;
		size_t kept, dropped;
		enum tce_severity sev;
	} ids[64];
	size_t nids = 0, i, j, out = 0;

	for (i = 0; i < l->n; i++) {
		for (j = 0; j < nids; j++)
			if (ids[j].id == l->v[i].id)
				break;
		if (j == nids) {
			if (nids == ARRAY_SIZE(ids)) {
				l->v[out++] = l->v[i];
				continue;
			}
			ids[nids].id = l->v[i].id;
			ids[nids].sev = l->v[i].severity;
			ids[nids].kept = ids[nids].dropped = 0;
			nids++;
		}
		if (ids[j].kept < max) {
			ids[j].kept++;
			l->v[out++] = l->v[i];
			continue;
		}
		ids[j].dropped++;
		free(l->v[i].key);
		free(l->v[i].message);
	}
	l->n = out;
	for (j = 0; j < nids; j++) {
		char key[32];

		if (!ids[j].dropped)
			continue;
		snprintf(key, sizeof(key), "more:%zu", ids[j].dropped);
		if (tce_finding_add(l, ids[j].id, TCE_NO_PFN, TCE_NO_PFN, key,
				    "%zu more %s findings are not listed", ids[j].dropped,
				    ids[j].id))
			return -TCE_ENOMEM;
		l->v[l->n - 1].severity = ids[j].sev;
	}
	return 0;
}
