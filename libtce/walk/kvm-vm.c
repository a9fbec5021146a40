// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A VM's memory as the host sees it: the guest physical addresses in guest-view TCEs
 * become host pages through the VM's active memslots (kvm->memslots[0], a struct
 * kvm_memslots whose gfn_tree holds each struct kvm_memory_slot by its
 * gfn_node[node_idx]), the VMM's userspace address (userspace_addr + the page's offset
 * in the slot), and the VMM's own page tables (kvm->mm->pgd: radix tables on radix,
 * Linux's software tables on hash; both big-endian).  Each step that the dump or the
 * type information cannot take leaves "unknown" with the reason, never a guess.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk/walk.h"

/* KVM_MEM_SLOTS_NUM is SHRT_MAX - KVM_PRIVATE_MEM_SLOTS: no VM has more */
#define VM_MAX_SLOTS 32768
/* KVM_MEM_MAX_NR_PAGES: (1UL << 31) - 1 */
#define VM_MAX_SLOT_PAGES ((1ULL << 31) - 1)

struct slot_layout {
	struct ty_member gfn_node, base_gfn, npages, ua, id;
};

struct slot_walk {
	struct tce_dump *d;
	const struct slot_layout *l;
	uint64_t node_off;           /* gfn_node[node_idx] within the slot */
	struct disc_vm *vm;
	size_t cap;
	char why[192];
};

static int slot_cb(void *data, uint64_t node)
{
	struct slot_walk *sw = data;
	struct disc_vm *vm = sw->vm;
	uint64_t slot = node - sw->node_off, id;
	struct kvm_slot s = { 0 };

	if (tce_types_read_uint(sw->d, slot, &sw->l->base_gfn, &s.base_gfn) ||
	    tce_types_read_uint(sw->d, slot, &sw->l->npages, &s.npages) ||
	    tce_types_read_uint(sw->d, slot, &sw->l->ua, &s.ua) ||
	    tce_types_read_uint(sw->d, slot, &sw->l->id, &id)) {
		if (!sw->why[0])
			snprintf(sw->why, sizeof(sw->why), "memslot at 0x%" PRIx64 ": %s", slot,
				 tce_errmsg(sw->d));
		tce_clear_err(sw->d);
		return 0;
	}
	s.id = (int)(int16_t)id;
	if (!s.npages || s.npages > VM_MAX_SLOT_PAGES || s.base_gfn > UINT64_MAX - s.npages) {
		if (!sw->why[0])
			snprintf(sw->why, sizeof(sw->why), "memslot at 0x%" PRIx64 " claims %"
				 PRIu64 " pages from gfn 0x%" PRIx64 ": impossible", slot,
				 s.npages, s.base_gfn);
		return 0;
	}
	if (vm->nslots == sw->cap) {
		size_t cap = sw->cap ? sw->cap * 2 : 8;
		struct kvm_slot *ns = realloc(vm->slots, cap * sizeof(*ns));

		if (!ns)
			return tce_set_err(sw->d, TCE_ENOMEM, "memslots: out of memory");
		vm->slots = ns;
		sw->cap = cap;
	}
	vm->slots[vm->nslots++] = s;
	return 0;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct kvm_slot *x = a, *y = b;

	return x->base_gfn < y->base_gfn ? -1 : x->base_gfn > y->base_gfn;
}

static int load_slots(struct types *t, struct disc_vm *vm)
{
	struct tce_dump *d = t->d;
	struct ty_member memslots = { 0 }, root = { 0 }, idx_m = { 0 };
	struct slot_layout l = { 0 };
	struct slot_walk sw = { .d = d, .l = &l, .vm = vm };
	struct kl_walk w;
	uint64_t set, rb, idx;
	int ret;

	ret = tce_types_member(t, "struct kvm", "memslots", &memslots);
	if (!ret)
		ret = tce_types_member(t, "struct kvm_memslots", "gfn_tree.rb_node", &root);
	if (!ret)
		ret = tce_types_member(t, "struct kvm_memslots", "node_idx", &idx_m);
	if (!ret)
		ret = tce_types_member(t, "struct kvm_memory_slot", "gfn_node", &l.gfn_node);
	if (!ret)
		ret = tce_types_member(t, "struct kvm_memory_slot", "base_gfn", &l.base_gfn);
	if (!ret)
		ret = tce_types_member(t, "struct kvm_memory_slot", "npages", &l.npages);
	if (!ret)
		ret = tce_types_member(t, "struct kvm_memory_slot", "userspace_addr", &l.ua);
	if (!ret)
		ret = tce_types_member(t, "struct kvm_memory_slot", "id", &l.id);
	if (!ret)
		ret = tce_read_u64(d, TCE_KVADDR, vm->kvm + memslots.offset,
				   tce_dump_byteorder(d), &set);
	if (!ret && !set)
		ret = tce_set_err(d, TCE_ENOENT, "kvm->memslots[0] is NULL");
	if (!ret)
		ret = tce_types_read_uint(d, set, &idx_m, &idx);
	if (!ret && idx > 1)
		ret = tce_set_err(d, TCE_ECORRUPT, "kvm_memslots.node_idx %" PRIu64, idx);
	if (!ret)
		ret = tce_read_u64(d, TCE_KVADDR, set + root.offset, tce_dump_byteorder(d), &rb);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret) {
		snprintf(vm->slots_why, sizeof(vm->slots_why), "memslots: %s", tce_errmsg(d));
		tce_clear_err(d);
		return 0;
	}
	sw.node_off = l.gfn_node.offset + idx * (l.gfn_node.elem_size ? l.gfn_node.elem_size :
						 l.gfn_node.size / 2);
	ret = tce_rb_walk(t, rb, tce_walk_bound(d, 256, VM_MAX_SLOTS), slot_cb, &sw, &w);
	if (ret)
		return ret;
	if (vm->nslots)
		qsort(vm->slots, vm->nslots, sizeof(*vm->slots), cmp_slot);
	vm->slots_known = w.end == KL_HEAD && !sw.why[0];
	if (w.end != KL_HEAD)
		snprintf(vm->slots_why, sizeof(vm->slots_why), "kvm 0x%" PRIx64 "'s memslots "
			 "(gfn_tree): %s", vm->kvm, w.why);
	else if (sw.why[0])
		snprintf(vm->slots_why, sizeof(vm->slots_why), "%s", sw.why);
	return 0;
}

static void load_mm(struct types *t, struct disc_vm *vm)
{
	struct tce_dump *d = t->d;
	struct ty_member mm_m = { 0 }, pgd_m = { 0 };
	uint64_t pgd;
	int ret;

	ret = tce_types_member(t, "struct kvm", "mm", &mm_m);
	if (!ret)
		ret = tce_types_member(t, "struct mm_struct", "pgd", &pgd_m);
	if (!ret)
		ret = tce_read_u64(d, TCE_KVADDR, vm->kvm + mm_m.offset, tce_dump_byteorder(d),
				   &vm->mm);
	if (!ret && !vm->mm)
		ret = tce_set_err(d, TCE_ENOENT, "kvm->mm is NULL");
	if (!ret)
		ret = tce_read_u64(d, TCE_KVADDR, vm->mm + pgd_m.offset, tce_dump_byteorder(d),
				   &pgd);
	if (!ret && !pgd)
		ret = tce_set_err(d, TCE_ENOENT, "the VMM's mm_struct has no pgd (it exited)");
	if (!ret)
		ret = tce_kvtop(d, pgd, &vm->pgd);
	if (ret) {
		vm->pgd = 0;
		snprintf(vm->mm_why, sizeof(vm->mm_why), "the VMM's page tables: %s",
			 tce_errmsg(d));
		tce_clear_err(d);
	}
}

int tce_vm_load(struct types *t, struct disc_vm *vm)
{
	size_t i;
	int ret;

	if (vm->loaded)
		return 0;
	ret = load_slots(t, vm);
	if (ret)
		return ret;
	load_mm(t, vm);
	vm->page_shift = tce_dump_page_shift(t->d);
	for (i = 0; i < vm->nslots; i++) {
		struct kvm_slot *s = &vm->slots[i];

		s->span = s->npages;
		if (i + 1 < vm->nslots && vm->slots[i + 1].base_gfn - s->base_gfn < s->span)
			s->span = vm->slots[i + 1].base_gfn - s->base_gfn;
		s->delta = s->ua - (s->base_gfn << vm->page_shift);
	}
	vm->slots_end = 0;
	if (vm->nslots) {
		const struct kvm_slot *s = &vm->slots[vm->nslots - 1];

		vm->slots_end = s->npages > UINT64_MAX - s->base_gfn ? UINT64_MAX :
				s->base_gfn + s->npages;
	}
	vm->loaded = true;
	return 0;
}

const char tce_vm_no_map[] = "the VMM's page tables map nothing at its address";
const char tce_vm_no_slot[] = "no memslot holds the guest address";

void tce_vm_fails_free(struct disc_vm *vm)
{
	unsigned i;

	for (i = 0; i < vm->nfails; i++)
		free(vm->fails[i]);
	free(vm->fails);
	vm->fails = NULL;
	vm->nfails = 0;
}

void tce_vm_free(struct disc_vm *vm)
{
	tce_vm_fails_free(vm);
	free(vm->slots);
	vm->slots = NULL;
	tce_zfree(vm->memo, (size_t)1 << vm->memo_bits, sizeof(*vm->memo));
	vm->memo = NULL;
	tce_ghost_free(&vm->ghost);
	vm->memo_ready = false;
}

/* The slot holding gfn, NULL if none: the last slot starting at or below gfn (as the
 * kernel's gfn tree), the one the last answer found first (*hint: entries map runs of
 * one slot, and a search costs a dozen branches an entry; its span, 0 until
 * tce_vm_load() sets it, says whether gfn is the hint's by that rule) */
static inline const struct kvm_slot *vm_slot(const struct disc_vm *vm, uint64_t gfn,
					     size_t *hint)
{
	const struct kvm_slot *s;
	size_t lo = 0, hi = vm->nslots, h = *hint;

	if (h < vm->nslots && gfn - vm->slots[h].base_gfn < vm->slots[h].span)
		return &vm->slots[h];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vm->slots[mid].base_gfn <= gfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = &vm->slots[lo - 1];
	if (gfn - s->base_gfn >= s->npages)
		return NULL;
	*hint = lo - 1;
	return s;
}

/* n bytes of s after the len in buf (of cap bytes, one kept for the NUL), as many as fit */
static size_t put(char *buf, size_t len, size_t cap, const char *s, size_t n)
{
	if (n > cap - 1 - len)
		n = cap - 1 - len;
	memcpy(buf + len, s, n);
	return len + n;
}

/* out (UNKNOWN, its hva set): the walk of the VMM's page tables failed, saying msg.
 * snprintf()'s "...at 0x%" PRIx64 ": %s" made by hand: a kdump that lost the VMM's
 * tables has millions of such entries, and the format was most of their cost. */
static void walk_failed(struct gpa_host *out, const char *msg)
{
	static const char head[] = "the VMM's page tables at 0x";
	char hex[16], *b = out->why_buf;
	uint64_t v = out->hva;
	size_t n = 0, len;

	do {
		hex[sizeof(hex) - ++n] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	len = put(b, 0, sizeof(out->why_buf), head, sizeof(head) - 1);
	len = put(b, len, sizeof(out->why_buf), hex + sizeof(hex) - n, n);
	len = put(b, len, sizeof(out->why_buf), ": ", 2);
	len = put(b, len, sizeof(out->why_buf), msg, strlen(msg));
	b[len] = '\0';
	out->why = b;
}

/* The number of msg among vm's failed walks' messages (added if new), or -1 when there
 * is no room for another */
static int fail_number(struct disc_vm *vm, const char *msg)
{
	char **f, *m;
	unsigned i;

	for (i = 0; i < vm->nfails; i++)
		if (!strcmp(vm->fails[i], msg))
			return (int)i;
	if (vm->nfails == GM_FAILS_MAX)
		return -1;
	m = strdup(msg);
	f = m ? realloc(vm->fails, (vm->nfails + 1) * sizeof(*f)) : NULL;
	if (!f) {
		free(m);
		return -1;
	}
	f[vm->nfails] = m;
	vm->fails = f;
	return (int)vm->nfails++;
}

/* vm_gpa() past its memo: the VMM's page tables walked through cache, the answer kept
 * in gm (NULL: none); out's slot and hva are set.  What the tables say is kept, and so
 * is a walk the dump could not serve (a table it lacks, with its message: the dump
 * cannot change, and a kdump that lost the VMM's tables would walk them and format
 * the failure at every entry, 10M of them).  Out of line: its frame (struct pgt) is
 * dear, and an entry the memo answers never needs it. */
static __attribute__((noinline)) void vm_gpa_walk(struct tce_dump *d, struct disc_vm *vm,
						  bool hash, unsigned ps, struct gpa_memo *gm,
						  struct pgt_cache *cache,
						  struct gpa_host *out)
{
	uint64_t leaf;
	struct pgt u;
	int ret, f;

	memset(&u, 0, sizeof(u));
	u.root = vm->pgd;
	u.hash = hash;
	u.user = true;
	ret = tce_pgt_translate_cached(d, &u, cache, out->hva, &out->phys, &leaf);
	if (gm && (!ret || ret == -TCE_ENOXLAT)) {
		gm->page = (out->hva >> ps) + 1;
		gm->phys = (ret ? 0 : (out->phys & ~((1ULL << ps) - 1)) | GM_PRESENT) |
			   (hash ? GM_HASH : 0);
	} else if (gm && ret != -TCE_ENOMEM && (f = fail_number(vm, tce_errmsg(d))) >= 0) {
		gm->page = (out->hva >> ps) + 1;
		gm->phys = (uint64_t)f << GM_FAIL_SHIFT | GM_FAILED | (hash ? GM_HASH : 0);
	}
	if (!ret) {
		out->state = TCE_HOST_PRESENT;
		return;
	}
	if (ret == -TCE_ENOXLAT) {
		out->state = TCE_HOST_NOT_PRESENT;
		out->why = tce_vm_no_map;
	} else {
		walk_failed(out, tce_errmsg(d));
	}
	tce_clear_err(d);
}

/* vm's memo twice as big, with what it held; as it was if memory runs out */
static void vm_memo_grow(struct disc_vm *vm)
{
	unsigned bits = vm->memo_bits + 1;
	struct gpa_memo *memo = tce_zalloc((size_t)1 << bits, sizeof(*memo));
	size_t i;

	if (!memo)
		return;
	for (i = 0; i < (size_t)1 << vm->memo_bits; i++)
		if (vm->memo[i].page)
			*tce_vm_memo_slot(memo, bits, vm->memo[i].page - 1) = vm->memo[i];
	tce_zfree(vm->memo, (size_t)1 << vm->memo_bits, sizeof(*vm->memo));
	vm->memo = memo;
	vm->memo_bits = bits;
	vm->memo_grown++;
}

/* tce_vm_gpa() with the VM's memo (memo) or not, the page-table walk through cache */
static inline void vm_gpa(struct tce_dump *d, struct disc_vm *vm, bool hash, uint64_t gpa,
			  bool memo, struct pgt_cache *cache, size_t *hint,
			  struct gpa_host *out)
{
	struct gpa_memo *gm = NULL;
	unsigned ps = vm->loaded ? vm->page_shift : tce_dump_page_shift(d);
	uint64_t gfn = gpa >> ps, pg;
	const struct kvm_slot *s;

	/* no memset: the message buffer is written only when a message needs it */
	out->state = TCE_HOST_UNKNOWN;
	out->slot = -1;
	out->hva = out->phys = 0;
	out->why = NULL;
	s = vm_slot(vm, gfn, hint);
	if (!s) {
		if (vm->slots_known) {
			out->state = TCE_HOST_NO_MEMSLOT;
			out->why = tce_vm_no_slot;
		} else {
			out->why = vm->slots_why;
		}
		return;
	}
	out->slot = s->id;
	out->hva = s->ua + ((gfn - s->base_gfn) << ps) + (gpa & ((1ULL << ps) - 1));
	if (!vm->pgd) {
		out->why = vm->mm_why;
		return;
	}
	if (memo && !vm->memo) {
		/* a second thread's copy of the VM starts at the size the first's grew to */
		if (!vm->memo_bits)
			vm->memo_bits = GPA_MEMO_BITS;
		vm->memo = tce_zalloc((size_t)1 << vm->memo_bits, sizeof(*vm->memo));
		if (vm->memo && tce_ghost_init(&vm->ghost)) {
			tce_zfree(vm->memo, (size_t)1 << vm->memo_bits, sizeof(*vm->memo));
			vm->memo = NULL;
		}
		vm->memo_misses = 0;
		vm->hint = 0;
		vm->memo_ready = vm->memo && vm->loaded && vm->nslots;
	}
	if (memo && vm->memo) {
		pg = out->hva >> ps;
		gm = tce_vm_memo_slot(vm->memo, vm->memo_bits, pg);
		if (tce_vm_memo_answer(gm, pg, hash, out->hva, ps, out))
			return;
		if (tce_vm_memo_failed(gm, pg, hash)) {
			walk_failed(out, vm->fails[gm->phys >> GM_FAIL_SHIFT]);
			return;
		}
		tce_ghost_meet(&vm->ghost, pg);
		if (++vm->memo_misses == 1ULL << vm->memo_bits) {
			if (tce_ghost_back(&vm->ghost) && vm->memo_bits < GPA_MEMO_BITS_MAX) {
				vm_memo_grow(vm);
				gm = tce_vm_memo_slot(vm->memo, vm->memo_bits, pg);
			}
			vm->memo_misses = 0;
			tce_ghost_restart(&vm->ghost);
		}
		vm->walks++;
	}
	vm_gpa_walk(d, vm, hash, ps, gm, cache, out);
}

void tce_vm_gpa(struct tce_dump *d, struct disc_vm *vm, bool hash, uint64_t gpa,
		struct gpa_host *out)
{
	vm_gpa(d, vm, hash, gpa, true, &vm->walk, &vm->hint, out);
}

void tce_vm_gpa_own(struct tce_dump *d, struct disc_vm *vm, bool hash, uint64_t gpa,
		    struct pgt_cache *cache, struct gpa_host *out)
{
	size_t hint = 0;

	vm_gpa(d, vm, hash, gpa, false, cache, &hint, out);
}

/* ------------------------------------------------------------ the VM's identity */

#define ARGV_MAX 32768

/* The next NUL-terminated argument at *pos, or NULL at the end */
static const char *next_arg(const char *argv, size_t len, size_t *pos, size_t *alen)
{
	const char *a;
	size_t n;

	if (*pos >= len)
		return NULL;
	a = argv + *pos;
	for (n = 0; *pos + n < len && a[n]; n++)
		;
	*pos += n + 1;
	*alen = n;
	return a;
}

static bool is_opt(const char *a, size_t n, const char *opt)
{
	size_t k = strlen(opt);

	/* QEMU takes -opt and --opt */
	if (n == k + 2 && a[0] == '-' && a[1] == '-')
		return !memcmp(a + 2, opt, k);
	return n == k + 1 && a[0] == '-' && !memcmp(a + 1, opt, k);
}

static void put_ident(const char *v, size_t n, char *out, size_t outlen)
{
	size_t i, o = 3;

	memcpy(out, "vm=", 4);
	for (i = 0; i < n && o + 1 < outlen; i++) {
		char c = v[i];

		out[o++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ? c : '_';
	}
	out[o] = '\0';
}

int tce_vmm_argv_ident(const char *argv, size_t len, char *out, size_t outlen)
{
	const char *a, *name = NULL, *uuid = NULL;
	size_t pos = 0, n, name_n = 0, uuid_n = 0;

	if (outlen < 5)
		return 0;
	while ((a = next_arg(argv, len, &pos, &n))) {
		bool want_name = is_opt(a, n, "name"), want_uuid = is_opt(a, n, "uuid");
		const char *v;
		size_t vn;

		if (!want_name && !want_uuid)
			continue;
		v = next_arg(argv, len, &pos, &vn);
		if (!v)
			break;
		if (want_uuid) {
			uuid = v;
			uuid_n = vn;
			continue;
		}
		/* -name guest=NAME,debug-threads=on,... or -name NAME[,...] */
		{
			const char *p = v, *end = v + vn, *comma;
			size_t k;

			while (p < end) {
				comma = memchr(p, ',', (size_t)(end - p));
				k = comma ? (size_t)(comma - p) : (size_t)(end - p);
				if (k > 6 && !memcmp(p, "guest=", 6)) {
					name = p + 6;
					name_n = k - 6;
					break;
				}
				if (p == v && !memchr(p, '=', k)) {
					name = p;
					name_n = k;
				}
				p += k + 1;
			}
		}
	}
	if (name && name_n) {
		put_ident(name, name_n, out, outlen);
		return 1;
	}
	if (uuid && uuid_n) {
		put_ident(uuid, uuid_n, out, outlen);
		return 1;
	}
	return 0;
}

/* The VMM's argv, read page by page through its page tables; 0 or an error */
static int read_argv(struct types *t, struct disc_vm *vm, bool hash, char *buf, size_t *len)
{
	struct tce_dump *d = t->d;
	struct ty_member as = { 0 }, ae = { 0 };
	struct pgt u = { .root = vm->pgd, .hash = hash, .user = true };
	uint64_t start, end, va, phys, leaf;
	size_t off = 0;
	int ret;

	ret = tce_types_member(t, "struct mm_struct", "arg_start", &as);
	if (!ret)
		ret = tce_types_member(t, "struct mm_struct", "arg_end", &ae);
	if (!ret)
		ret = tce_types_read_uint(d, vm->mm, &as, &start);
	if (!ret)
		ret = tce_types_read_uint(d, vm->mm, &ae, &end);
	if (ret)
		return ret;
	if (end <= start)
		return tce_set_err(d, TCE_ENOENT, "the VMM's argv is empty");
	if (end - start > ARGV_MAX)
		end = start + ARGV_MAX;
	for (va = start; va < end; va += leaf) {
		uint64_t n;

		ret = tce_pgt_translate(d, &u, va, &phys, &leaf);
		if (ret)
			return ret;
		/* what is left of the leaf from va */
		leaf -= va & (leaf - 1);
		n = end - va < leaf ? end - va : leaf;
		ret = tce_read(d, TCE_PHYS, phys, buf + off, n);
		if (ret)
			return ret;
		off += n;
	}
	*len = off;
	return 0;
}

void tce_vm_ident(struct types *t, struct disc_vm *vm, bool mmu_known, bool hash)
{
	char *buf;
	size_t len = 0;

	if (vm->ident_done)
		return;
	vm->ident_done = true;
	if (vm->pid >= 0)
		snprintf(vm->ident, sizeof(vm->ident), "pid=%" PRId64, vm->pid);
	else
		snprintf(vm->ident, sizeof(vm->ident), "pid=unknown");
	if (!mmu_known || !vm->pgd || !vm->mm)
		return;
	buf = malloc(ARGV_MAX);
	if (!buf)
		return;
	if (!read_argv(t, vm, hash, buf, &len))
		tce_vmm_argv_ident(buf, len, vm->ident, sizeof(vm->ident));
	tce_clear_err(t->d);
	free(buf);
}
