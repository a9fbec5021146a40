// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Types without any debug file: the BTF a CONFIG_DEBUG_INFO_BTF kernel keeps in its
 * own memory (the .BTF section, between the symbols __start_BTF and __stop_BTF), read
 * from the dump and parsed by libbpf.  The symbols come from the providers that know
 * addresses (VMCOREINFO, a vmlinux, kallsyms: KALLSYMS_ALL kernels list them); the
 * size between them is checked against the dump's memory and a bound no kernel comes
 * near before anything is read, and the header before libbpf sees the bytes, so that
 * damage is one line of ours.  BTF is in the kernel's byte order; libbpf swaps it when
 * that is not the host's.  BTF has no addresses (no symbol answers) and no bit-field
 * byte offsets: a bit field is refused with its bits.  libbpf's own messages about
 * damaged BTF never reach stderr: the last is said in the one line of ours.
 *
 * vmlinux's BTF is found when the provider is made, and read and parsed at the first
 * question it is asked (bt_ready()): beside DWARF of the dump's own build few reach
 * it, and parsing is most of a small check's start.  Damage is then met at that
 * question, and types.c drops the provider from its chain.
 *
 * A module's BTF is split BTF on top of vmlinux's: tce_ty_btf_module_new() makes a
 * provider of its bytes.  A live module's struct module no longer points at them (the
 * loader clears btf_data after init: .BTF was in init memory), but kernel/bpf/btf.c
 * keeps a copy of each on its btf_modules list, which tce_ty_btf_module_find() walks
 * with vmlinux's BTF describing its own structures (struct btf_module, struct btf).
 */
#include "config.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "types/types.h"

/* more modules than this on btf_modules: the list loops */
#define BTF_MODULES_MAX 16384
/* The BTF of an allyesconfig vmlinux is tens of MiB; beyond this it is not BTF. */
#define BTF_MAX_BYTES (256ULL << 20)
/* struct btf_header: magic, version, flags, hdr_len, type_off, type_len, str_off,
 * str_len */
#define BTF_HDR_MIN 24
#define BTF_MAGIC_VALUE 0xeb9f
/* types nested deeper than this (anonymous members, modifiers) are a loop */
#define BTF_DEPTH_MAX 32

/* a named type: the index lookups go through */
struct bt_name {
	const char *name;
	uint32_t id;
	uint16_t kind;
};

struct bt_prov {
	struct ty_provider p;
	struct btf *btf;              /* NULL: not parsed yet (bt_ready()) */
	struct bt_name *names;
	size_t nnames;
	uint64_t addr, len;           /* vmlinux's: its bytes in memory */
};

static int bt_ready(struct bt_prov *b);

static int cmp_name(const void *a, const void *b)
{
	const struct bt_name *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Indexes the named structures, unions, enums and typedefs of ids [first, count):
 * a vmlinux has ~100000 types, and walkers ask many questions. */
static int index_names(struct bt_prov *b, uint32_t first)
{
	uint32_t n = btf__type_cnt(b->btf), id;
	size_t k = 0;

	b->names = calloc(n > first ? n - first : 1, sizeof(*b->names));
	if (!b->names)
		return tce_set_err(b->p.d, TCE_ENOMEM, "BTF: out of memory");
	for (id = first; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b->btf, id);
		const char *name;
		uint16_t kind;

		if (!t)
			continue;
		kind = btf_kind(t);
		if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION &&
		    kind != BTF_KIND_TYPEDEF && kind != BTF_KIND_ENUM &&
		    kind != BTF_KIND_ENUM64)
			continue;
		name = btf__name_by_offset(b->btf, t->name_off);
		if (!name || !*name)
			continue;
		b->names[k].name = name;
		b->names[k].id = id;
		/* one enum kind for lookups: ENUM64 is an enum with 64-bit values */
		b->names[k].kind = kind == BTF_KIND_ENUM64 ? BTF_KIND_ENUM : kind;
		k++;
	}
	qsort(b->names, k, sizeof(*b->names), cmp_name);
	b->nnames = k;
	return 0;
}

/* The id of "struct X", "union X", "enum X" or typedef X; 0 if none (the first by id
 * where a name repeats, as the DWARF provider takes the first). */
static uint32_t find_type(const struct bt_prov *b, const char *type)
{
	uint16_t kind = BTF_KIND_TYPEDEF;
	const char *name = type;
	size_t lo = 0, hi = b->nnames;

	if (!strncmp(type, "struct ", 7)) {
		kind = BTF_KIND_STRUCT;
		name = type + 7;
	} else if (!strncmp(type, "union ", 6)) {
		kind = BTF_KIND_UNION;
		name = type + 6;
	} else if (!strncmp(type, "enum ", 5)) {
		kind = BTF_KIND_ENUM;
		name = type + 5;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(b->names[mid].name, name);

		if (!c)
			c = b->names[mid].kind < kind ? -1 : b->names[mid].kind > kind;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == b->nnames || strcmp(b->names[lo].name, name) || b->names[lo].kind != kind)
		return 0;
	return b->names[lo].id;
}

/* Through typedefs and qualifiers to the type itself; NULL if the chain is broken. */
static const struct btf_type *strip(const struct btf *btf, uint32_t id, uint32_t *out)
{
	int r = btf__resolve_type(btf, id);
	const struct btf_type *t;

	if (r < 0)
		return NULL;
	t = btf__type_by_id(btf, (uint32_t)r);
	if (t && out)
		*out = (uint32_t)r;
	return t;
}

/* The size of type id (its array's bytes for an array); 0 if it has none (void, a
 * function) or libbpf cannot resolve it. */
static uint64_t size_of(const struct btf *btf, uint32_t id)
{
	int64_t s = btf__resolve_size(btf, id);

	return s > 0 ? (uint64_t)s : 0;
}

/*
 * Looks for member name (len bytes) in the structure or union t, through anonymous
 * members.  0 with its type and bit offset; -TCE_ENOENT if absent.
 */
static int find_member(const struct btf *btf, const struct btf_type *t, const char *name,
		       size_t len, uint32_t *type, uint64_t *bits, uint32_t *bitsize,
		       int depth)
{
	const struct btf_member *m = btf_members(t);
	uint16_t i, vlen = btf_vlen(t);

	if (depth > BTF_DEPTH_MAX)
		return -TCE_ENOENT;
	for (i = 0; i < vlen; i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		const struct btf_type *mt;
		uint64_t off = btf_member_bit_offset(t, i);

		if (mn && *mn) {
			if (strlen(mn) != len || memcmp(mn, name, len))
				continue;
			*type = m->type;
			*bits = off;
			*bitsize = btf_member_bitfield_size(t, i);
			return 0;
		}
		mt = strip(btf, m->type, NULL);
		if (mt && btf_is_composite(mt) &&
		    find_member(btf, mt, name, len, type, bits, bitsize, depth + 1) == 0) {
			*bits += off;
			return 0;
		}
	}
	return -TCE_ENOENT;
}

static int bt_size(struct ty_provider *p, const char *type, uint64_t *size)
{
	struct bt_prov *b = (struct bt_prov *)p;
	uint32_t id;
	uint64_t s;
	int ret = bt_ready(b);

	if (ret)
		return ret;
	id = find_type(b, type);
	if (!id)
		return -TCE_ENOENT;
	s = size_of(b->btf, id);
	if (!s)
		return tce_set_err(p->d, TCE_ENOENT, "%s: the size of %s is not given",
				   p->what, type);
	*size = s;
	return 0;
}

static int bt_member(struct ty_provider *p, const char *type, const char *path,
		     struct ty_member *m)
{
	struct bt_prov *b = (struct bt_prov *)p;
	const struct btf_type *t;
	uint32_t id, mtype = 0, bitsize = 0;
	uint64_t total = 0, bits = 0;
	const char *c = path;
	int ret = bt_ready(b);

	if (ret)
		return ret;
	id = find_type(b, type);
	if (!id)
		return -TCE_ENOENT;
	t = strip(b->btf, id, NULL);
	if (!t)
		return tce_set_err(p->d, TCE_ECORRUPT, "%s: %s does not resolve", p->what,
				   type);
	for (;;) {
		const char *dot = strchr(c, '.');
		size_t len = dot ? (size_t)(dot - c) : strlen(c);
		int plen = (int)(c - path + len);

		if (!btf_is_composite(t))
			return tce_set_err(p->d, TCE_ENOENT, "%s: %s.%.*s: not a structure or "
					   "union there", p->what, type, plen, path);
		if (find_member(b->btf, t, c, len, &mtype, &bits, &bitsize, 0))
			return tce_set_err(p->d, TCE_ENOENT, "%s: %s has no member %.*s",
					   p->what, type, plen, path);
		/* a bit field has no byte of its own: reading it whole would be wrong */
		if (bitsize || bits % 8)
			return tce_set_err(p->d, TCE_ENOENT, "%s: %s.%.*s is a bit field (bits "
					   "%" PRIu64 "..%" PRIu64 "): no byte offset",
					   p->what, type, plen, path, total * 8 + bits,
					   total * 8 + bits + (bitsize ? bitsize : 1) - 1);
		total += bits / 8;
		t = strip(b->btf, mtype, &mtype);
		if (!t)
			return tce_set_err(p->d, TCE_ECORRUPT, "%s: %s.%.*s has no type",
					   p->what, type, plen, path);
		if (!dot)
			break;
		c = dot + 1;
	}
	memset(m, 0, sizeof(*m));
	m->offset = total;
	m->size = size_of(b->btf, mtype);
	if (btf_is_array(t)) {
		const struct btf_array *a = btf_array(t);

		m->elem_size = size_of(b->btf, a->type);
		m->count = a->nelems;
	}
	return 0;
}

static void bt_destroy(struct bt_prov *b)
{
	btf__free(b->btf);
	free(b->names);
	free(b);
}

static void bt_free(struct ty_provider *p)
{
	bt_destroy((struct bt_prov *)p);
}

static int bt_prepare(struct ty_provider *p)
{
	return bt_ready((struct bt_prov *)p);
}

static const struct ty_ops bt_ops = {
	.name = "btf",
	.size = bt_size,
	.member = bt_member,
	.ready = bt_prepare,
	.free = bt_free,
};

/*
 * Checks the header of len bytes of BTF at addr (in the dump's byte order) before
 * libbpf parses them: 0, or -TCE_ECORRUPT with one line.
 */
static int check_header(struct tce_dump *d, const char *what, uint64_t addr,
			const unsigned char *buf, uint64_t len)
{
	enum tce_byteorder bo = tce_dump_byteorder(d);
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint16_t magic = tce_bo16(buf, bo);

	if (magic != BTF_MAGIC_VALUE)
		return tce_set_err(d, TCE_ECORRUPT, "%s at 0x%" PRIx64 ": magic 0x%04x is not "
				   "BTF's (0x%x in the kernel's byte order)", what, addr, magic,
				   BTF_MAGIC_VALUE);
	if (buf[2] != 1)
		return tce_set_err(d, TCE_ECORRUPT, "%s at 0x%" PRIx64 ": BTF version %u "
				   "(only 1 exists)", what, addr, buf[2]);
	hdr_len = tce_bo32(buf + 4, bo);
	type_off = tce_bo32(buf + 8, bo);
	type_len = tce_bo32(buf + 12, bo);
	str_off = tce_bo32(buf + 16, bo);
	str_len = tce_bo32(buf + 20, bo);
	if (hdr_len < BTF_HDR_MIN || hdr_len > len ||
	    (uint64_t)type_off + type_len > len - hdr_len ||
	    (uint64_t)str_off + str_len > len - hdr_len || !str_len)
		return tce_set_err(d, TCE_ECORRUPT, "%s at 0x%" PRIx64 ": its header (length "
				   "%" PRIu32 ", types %" PRIu32 "+%" PRIu32 ", strings %" PRIu32
				   "+%" PRIu32 ") does not fit its %" PRIu64 " bytes", what, addr,
				   hdr_len, type_off, type_len, str_off, str_len, len);
	return 0;
}

/*
 * Split BTF from bytes.  libbpf 1.1 (Debian 12) declares btf__new_split() but its
 * symbol map does not export it: there the bytes go through a memory file to
 * btf__parse_raw_split(), which reads a path.  NULL and errno on failure.
 */
static struct btf *new_split(const void *buf, uint64_t len, struct btf *base)
{
#ifdef HAVE_BTF__NEW_SPLIT
	return btf__new_split(buf, (uint32_t)len, base);
#else
	char path[64];
	struct btf *btf;
	int fd = memfd_create("tce-btf", MFD_CLOEXEC), err;
	const char *p = buf;
	uint64_t done = 0;

	if (fd < 0)
		return NULL;
	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);

		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			close(fd);
			errno = err;
			return NULL;
		}
		done += (uint64_t)n;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	btf = btf__parse_raw_split(path, base);
	err = errno;
	close(fd);
	errno = err;
	return btf;
#endif
}

/* What libbpf last said while parsing (its messages go nowhere else). */
static __thread char bpf_said[200];

static int bpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static int bpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	size_t n;

	/* every level: libbpf says why it refuses a blob at LIBBPF_DEBUG as often as at
	 * LIBBPF_WARN, and the last message before it gives up is the reason */
	(void)level;
	vsnprintf(bpf_said, sizeof(bpf_said), fmt, ap);
	n = strlen(bpf_said);
	while (n && (bpf_said[n - 1] == '\n' || bpf_said[n - 1] == ' '))
		bpf_said[--n] = '\0';
	/* printing nothing: a message of the library's own is the caller's to print */
	return 0;
}

/* btf__new() or new_split() with libbpf's printing caught in bpf_said (libbpf has one
 * print function for the process: the caller's is put back) */
static struct btf *parse(const void *buf, uint64_t len, struct btf *base)
{
	libbpf_print_fn_t old = libbpf_set_print(bpf_print);
	struct btf *btf;
	int err;

	bpf_said[0] = '\0';
	btf = base ? new_split(buf, len, base) : btf__new(buf, (uint32_t)len);
	err = errno;
	libbpf_set_print(old);
	errno = err;
	return btf;
}

/* Can len bytes at addr be BTF at all?  0, or -TCE_ECORRUPT with one line. */
static int check_len(struct tce_dump *d, const char *what, uint64_t addr, uint64_t len)
{
	uint64_t held = tce_dump_phys_bytes(d);

	if (len < BTF_HDR_MIN)
		return tce_set_err(d, TCE_ECORRUPT, "%s at 0x%" PRIx64 ": %" PRIu64 " bytes "
				   "cannot hold BTF", what, addr, len);
	if (len > BTF_MAX_BYTES || (held && len > held))
		return tce_set_err(d, TCE_ECORRUPT, "%s at 0x%" PRIx64 ": %" PRIu64 " bytes "
				   "is no BTF (more than %s)", what, addr, len,
				   held && held < BTF_MAX_BYTES ? "the dump's memory" :
				   "256 MiB");
	return 0;
}

/*
 * Reads len bytes of BTF at kernel-virtual addr and has libbpf parse them (split on
 * base when base is not NULL).  0 and *out, or an error with one line.
 */
static int load(struct tce_dump *d, const char *what, uint64_t addr, uint64_t len,
		struct btf *base, struct btf **out)
{
	unsigned char *buf;
	struct btf *btf;
	int ret;

	ret = check_len(d, what, addr, len);
	if (ret)
		return ret;
	buf = tce_big_alloc(len);
	if (!buf)
		return tce_set_err(d, TCE_ENOMEM, "%s: %" PRIu64 " bytes: out of memory", what,
				   len);
	ret = tce_read(d, TCE_KVADDR, addr, buf, len);
	if (ret) {
		free(buf);
		return tce_prepend_err(d, ret, "%s at 0x%" PRIx64 " (%" PRIu64 " bytes)", what,
				       addr, len);
	}
	ret = check_header(d, what, addr, buf, len);
	if (ret) {
		free(buf);
		return ret;
	}
	/* libbpf copies the bytes */
	errno = 0;
	btf = parse(buf, len, base);
	free(buf);
	if (!btf) {
		const char *said = bpf_said;

		if (!strncmp(said, "libbpf: ", 8))
			said += 8;
		return tce_set_err(d, errno == ENOMEM ? TCE_ENOMEM : TCE_ECORRUPT,
				   "%s at 0x%" PRIx64 " (%" PRIu64 " bytes): libbpf refuses it: "
				   "%s%s%s%s", what, addr, len, strerror(errno ? errno : EINVAL),
				   *said ? " (" : "", said, *said ? ")" : "");
	}
	*out = btf;
	return 0;
}

/* Asks the providers in from[] for symbol name. */
static int lookup(struct ty_provider *const *from, unsigned n, const char *name,
		  uint64_t *addr)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (from[i] && from[i]->ops->symbol &&
		    from[i]->ops->symbol(from[i], name, addr) == 0)
			return 0;
	return -TCE_ENOENT;
}

/* A provider of btf (NULL: read later, bt_ready()); NULL without memory, said */
static struct bt_prov *bt_alloc(struct tce_dump *d, struct btf *btf)
{
	struct bt_prov *b = calloc(1, sizeof(*b));

	if (!b) {
		btf__free(btf);
		tce_set_err(d, TCE_ENOMEM, "BTF: out of memory");
		return NULL;
	}
	b->p.ops = &bt_ops;
	b->p.d = d;
	b->btf = btf;
	return b;
}

static int new_prov(struct tce_dump *d, struct btf *btf, uint32_t first,
		    struct bt_prov **out)
{
	struct bt_prov *b = bt_alloc(d, btf);
	int ret;

	if (!b)
		return -TCE_ENOMEM;
	ret = index_names(b, first);
	if (ret) {
		bt_destroy(b);
		return ret;
	}
	*out = b;
	return 0;
}

/*
 * vmlinux's BTF, read and parsed at the first question that reaches it: with DWARF of
 * the dump's own build few do, and a 6.12 kernel's 4 MiB cost each check 790 page
 * faults and 8% of its wall time, libbpf copying and indexing them before the
 * first table was read.
 */
static int bt_ready(struct bt_prov *b)
{
	struct btf *btf;
	int ret;

	if (b->btf)
		return 0;
	ret = load(b->p.d, "BTF in memory", b->addr, b->len, NULL, &btf);
	if (ret)
		return ret;
	b->btf = btf;
	ret = index_names(b, 1);
	if (ret) {
		btf__free(b->btf);
		b->btf = NULL;
		return ret;
	}
	snprintf(b->p.what, sizeof(b->p.what), "BTF in memory (%" PRIu32 " types, %" PRIu64
		 " bytes at 0x%" PRIx64 ")", btf__type_cnt(btf) - 1, b->len, b->addr);
	return 0;
}

int tce_ty_btf_new(struct tce_dump *d, struct ty_provider *const *from, unsigned n,
		   struct ty_provider **out)
{
	uint64_t start, stop;
	struct bt_prov *b;
	bool has_start;
	int ret;

	has_start = lookup(from, n, "__start_BTF", &start) == 0;
	if (!has_start || lookup(from, n, "__stop_BTF", &stop)) {
		tce_clear_err(d);
		return tce_set_err(d, TCE_ENOENT, "no BTF in memory: %s is unknown (a kernel "
				   "without CONFIG_DEBUG_INFO_BTF, or kallsyms without "
				   "CONFIG_KALLSYMS_ALL)", has_start ? "__stop_BTF" :
				   "__start_BTF");
	}
	tce_clear_err(d);
	if (stop <= start)
		return tce_set_err(d, TCE_ECORRUPT, "BTF in memory: __stop_BTF 0x%" PRIx64
				   " is not above __start_BTF 0x%" PRIx64, stop, start);
	ret = check_len(d, "BTF in memory", start, stop - start);
	if (ret)
		return ret;
	b = bt_alloc(d, NULL);
	if (!b)
		return -TCE_ENOMEM;
	b->addr = start;
	b->len = stop - start;
	/* what a lookup's "asked:" says of it until it is read */
	snprintf(b->p.what, sizeof(b->p.what), "BTF in memory (%" PRIu64 " bytes at 0x%"
		 PRIx64 ", not read)", b->len, start);
	*out = &b->p;
	return 0;
}

int tce_ty_btf_module_new(struct ty_provider *vmlinux, const char *module, uint64_t addr,
			  uint64_t len, struct ty_provider **out)
{
	struct tce_dump *d = vmlinux->d;
	struct btf *base, *btf;
	struct bt_prov *b;
	char what[128];
	uint32_t first;
	int ret;

	if (vmlinux->ops != &bt_ops)
		return tce_set_err(d, TCE_EINVAL, "BTF of module %s: the base given is %s, "
				   "not vmlinux's BTF", module, vmlinux->what);
	ret = bt_ready((struct bt_prov *)vmlinux);
	if (ret)
		return ret;
	base = ((struct bt_prov *)vmlinux)->btf;
	snprintf(what, sizeof(what), "BTF of module %s", module);
	ret = load(d, what, addr, len, base, &btf);
	if (ret)
		return ret;
	first = btf__type_cnt(base);
	ret = new_prov(d, btf, first, &b);
	if (ret)
		return ret;
	snprintf(b->p.what, sizeof(b->p.what), "BTF of module %s (%" PRIu32 " types, %"
		 PRIu64 " bytes at 0x%" PRIx64 ")", module, btf__type_cnt(btf) - first, len,
		 addr);
	*out = &b->p;
	return 0;
}

/* Reads the pointer-sized member m of the object at addr. */
static int read_member(struct tce_dump *d, uint64_t addr, const struct ty_member *m,
		       uint64_t *val)
{
	return tce_types_read_uint(d, addr, m, val);
}

int tce_ty_btf_module_find(struct ty_provider *vmlinux, struct ty_provider *const *from,
			   unsigned n, uint64_t module, const char *name,
			   struct ty_provider **out, bool *list_bad)
{
	static const char *const what[][2] = {
		{ "struct btf_module", "list" }, { "struct btf_module", "module" },
		{ "struct btf_module", "btf" }, { "struct btf", "data" },
		{ "struct btf", "data_size" }, { "struct list_head", "next" },
	};
	struct tce_dump *d = vmlinux->d;
	struct addr_set seen = { 0 };
	struct ty_member m[6];
	uint64_t head, pos, v, btf, data, size;
	unsigned i;
	int ret;

	if (vmlinux->ops != &bt_ops)
		return tce_set_err(d, TCE_EINVAL, "BTF of module %s: the base given is %s, "
				   "not vmlinux's BTF", name, vmlinux->what);
	if (lookup(from, n, "btf_modules", &head)) {
		tce_clear_err(d);
		return tce_set_err(d, TCE_ENOENT, "BTF of module %s: btf_modules is unknown "
				   "(kallsyms without CONFIG_KALLSYMS_ALL, or a kernel without "
				   "CONFIG_DEBUG_INFO_BTF_MODULES)", name);
	}
	for (i = 0; i < 6; i++) {
		ret = bt_member(vmlinux, what[i][0], what[i][1], &m[i]);
		if (ret)
			return tce_prepend_err(d, ret == -TCE_ENOENT ? TCE_ENOENT : ret,
					       "BTF of module %s: %s.%s", name, what[i][0],
					       what[i][1]);
	}
	ret = read_member(d, head, &m[5], &pos);
	for (i = 0; !ret && pos != head; i++) {
		uint64_t entry = pos - m[0].offset;
		size_t first;

		if (i == BTF_MODULES_MAX) {
			tce_addrset_free(&seen);
			if (list_bad)
				*list_bad = true;
			return tce_set_err(d, TCE_ECORRUPT, "BTF of module %s: btf_modules has "
					   "more than %u entries", name, BTF_MODULES_MAX);
		}
		ret = tce_addrset_add(&seen, pos, i, &first);
		if (ret) {
			tce_addrset_free(&seen);
			if (ret < 0)
				return tce_set_err(d, TCE_ENOMEM, "btf_modules: out of memory");
			if (list_bad)
				*list_bad = true;
			return tce_set_err(d, TCE_ECORRUPT, "BTF of module %s: btf_modules loops "
					   "back to its entry %zu at 0x%" PRIx64 " after %u entr%s",
					   name, first, pos, i, i == 1 ? "y" : "ies");
		}
		ret = read_member(d, entry, &m[1], &v);
		if (ret)
			break;
		if (v == module) {
			ret = read_member(d, entry, &m[2], &btf);
			if (!ret)
				ret = read_member(d, btf, &m[3], &data);
			if (!ret)
				ret = read_member(d, btf, &m[4], &size);
			tce_addrset_free(&seen);
			if (ret)
				return tce_prepend_err(d, ret, "BTF of module %s: its struct btf "
						       "at 0x%" PRIx64, name, btf);
			return tce_ty_btf_module_new(vmlinux, name, data, size, out);
		}
		ret = read_member(d, pos, &m[5], &pos);
	}
	tce_addrset_free(&seen);
	if (ret) {
		if (list_bad)
			*list_bad = true;
		return tce_prepend_err(d, ret, "BTF of module %s: btf_modules at entry %u",
				       name, i);
	}
	return tce_set_err(d, TCE_ENOENT, "BTF of module %s: not on btf_modules (%u "
			   "entries): a module built without BTF", name, i);
}
