// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel's linked structures as the walkers meet them (the set of visited
 * addresses that detects cycles is base.h's): circular list_heads (vm_list, hose_list, PE lists,
 * spapr_tce_tables, iommu_tables, pci_dn children) and red-black trees (memslots).
 * A dump may hold any bytes there: every walk is bounded by a count the caller derives
 * from what the dump's memory can hold, detects cycles, and says how it ended instead
 * of failing, so a cut list still yields what was before the cut.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "walk/walk.h"

uint64_t tce_walk_bound(const struct tce_dump *d, uint64_t elem_size, uint64_t max)
{
	uint64_t bytes = tce_dump_phys_bytes(d), n;

	if (!elem_size)
		elem_size = 1;
	n = bytes ? bytes / elem_size + 1 : max;
	return n < max ? n : max;
}

/* the offsets of list_head.next and rb_node's children, once per types */
static int link_layout(struct types *t, uint64_t *next, uint64_t *left, uint64_t *right)
{
	struct ty_member m;
	int ret;

	if (next) {
		ret = tce_types_member(t, "struct list_head", "next", &m);
		if (ret)
			return ret;
		*next = m.offset;
	}
	if (left) {
		ret = tce_types_member(t, "struct rb_node", "rb_left", &m);
		if (ret)
			return ret;
		*left = m.offset;
		ret = tce_types_member(t, "struct rb_node", "rb_right", &m);
		if (ret)
			return ret;
		*right = m.offset;
	}
	return 0;
}

/* Reads the link at node + off; on failure the walk is cut there (w says why), 1. */
static int read_link(struct tce_dump *d, uint64_t node, uint64_t off, uint64_t *v,
		     struct kl_walk *w)
{
	if (node <= UINT64_MAX - off &&
	    !tce_read_u64(d, TCE_KVADDR, node + off, tce_dump_byteorder(d), v))
		return 0;
	w->end = KL_CUT;
	w->at = node;
	snprintf(w->why, sizeof(w->why), "%s", tce_errmsg(d));
	tce_clear_err(d);
	return 1;
}

int tce_klist_walk(struct types *t, uint64_t head, uint64_t bound, kl_fn *fn, void *data,
		   struct kl_walk *w)
{
	struct tce_dump *d = t->d;
	struct addr_set seen = { 0 };
	uint64_t next_off, node, at;
	int ret;

	memset(w, 0, sizeof(*w));
	ret = link_layout(t, &next_off, NULL, NULL);
	if (ret)
		return ret;
	at = head;
	for (;;) {
		if (read_link(d, at, next_off, &node, w))
			break;
		if (node == head) {
			w->end = KL_HEAD;
			break;
		}
		if (!node) {
			w->end = KL_NULL;
			w->at = at;
			snprintf(w->why, sizeof(w->why), "the entry at 0x%" PRIx64 " links to "
				 "NULL", at);
			break;
		}
		if (w->n >= bound) {
			w->end = KL_BOUND;
			snprintf(w->why, sizeof(w->why), "more than %" PRIu64 " entries, more "
				 "than the dump's memory can hold", bound);
			break;
		}
		ret = tce_addrset_add(&seen, node, w->n, NULL);
		if (ret < 0) {
			ret = tce_set_err(d, TCE_ENOMEM, "list at 0x%" PRIx64 ": out of memory",
					  head);
			break;
		}
		if (ret) {
			w->end = KL_CYCLE;
			w->at = node;
			snprintf(w->why, sizeof(w->why), "the entry at 0x%" PRIx64 " links back "
				 "to 0x%" PRIx64 ", met before: a cycle", at, node);
			ret = 0;
			break;
		}
		w->n++;
		ret = fn(data, node);
		if (ret)
			break;
		at = node;
	}
	tce_addrset_free(&seen);
	return ret;
}

/* The in-order walk of a red-black tree: an explicit stack, a depth bound (a valid
 * tree of 2^32 nodes is at most 64 deep) and the visited set for shared subtrees. */
#define RB_DEPTH_MAX 96

int tce_rb_walk(struct types *t, uint64_t root, uint64_t bound, kl_fn *fn, void *data,
		struct kl_walk *w)
{
	struct tce_dump *d = t->d;
	struct addr_set seen = { 0 };
	uint64_t left_off, right_off, stack[RB_DEPTH_MAX], node = root, v;
	unsigned depth = 0;
	int ret;

	memset(w, 0, sizeof(*w));
	ret = link_layout(t, NULL, &left_off, &right_off);
	if (ret)
		return ret;
	while (node || depth) {
		while (node) {
			if (depth == RB_DEPTH_MAX) {
				w->end = KL_BOUND;
				snprintf(w->why, sizeof(w->why), "deeper than %d levels: no "
					 "red-black tree", RB_DEPTH_MAX);
				goto out;
			}
			ret = tce_addrset_add(&seen, node, w->n, NULL);
			if (ret < 0) {
				ret = tce_set_err(d, TCE_ENOMEM, "tree at 0x%" PRIx64 ": out of "
						  "memory", root);
				goto out;
			}
			if (ret) {
				w->end = KL_CYCLE;
				w->at = node;
				snprintf(w->why, sizeof(w->why), "node 0x%" PRIx64 " is reached "
					 "twice: a cycle", node);
				ret = 0;
				goto out;
			}
			stack[depth++] = node;
			if (read_link(d, node, left_off, &v, w))
				goto out;
			node = v;
		}
		node = stack[--depth];
		if (w->n >= bound) {
			w->end = KL_BOUND;
			snprintf(w->why, sizeof(w->why), "more than %" PRIu64 " nodes, more than "
				 "the dump's memory can hold", bound);
			goto out;
		}
		w->n++;
		ret = fn(data, node);
		if (ret)
			goto out;
		if (read_link(d, node, right_off, &v, w))
			goto out;
		node = v;
	}
	w->end = KL_HEAD;
out:
	tce_addrset_free(&seen);
	return ret;
}
