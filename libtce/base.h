/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The bottom of libtce, below every layer: the error unit (a message buffer with
 * context prepended as a failure travels up, as libkdumpfile's kdump_err() does), byte
 * order, and the macros every file uses.  Knows nothing of dumps.  Nothing here is
 * exported.
 *
 * Layers, each including only those below it:
 *   base.h  <  dump/dump.h  <  walk/walk.h  <  model/model.h  <  rules/rules.h
 *           <  analysis.h (the public analysis object, which runs the rules)
 */
#ifndef TCE_BASE_H
#define TCE_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tce/tce.h"

#define TCE_HIDDEN __attribute__((visibility("hidden")))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define TCE_ERR_LEN 512

/* One error channel: the last failure's message. */
struct tce_err {
	char msg[TCE_ERR_LEN];
};

/* Sets the message; returns -err (err may be given either sign). */
TCE_HIDDEN int tce_err_set(struct tce_err *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
TCE_HIDDEN int tce_err_vset(struct tce_err *e, int err, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Puts "context: " in front of the message (it is cut at the end when too long);
 * returns -err. */
TCE_HIDDEN int tce_err_vprepend(struct tce_err *e, int err, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
TCE_HIDDEN void tce_err_clear(struct tce_err *e);
/* buf (size bytes), into which a printf wanted n: when it was cut, it ends in "..." */
TCE_HIDDEN void tce_mark_cut(char *buf, size_t size, int n);

/* threads.c: may the library give work of this size (bytes, entries) to a second
 * thread of its own?  TCE_INSPECT_THREADS=1 never, =2 always (the tests compare the
 * two), else when this process may run on two processors or more and size >= min. */
TCE_HIDDEN bool tce_second_thread(uint64_t size, uint64_t min);
/* Does buf[0..size) hold needle[0..len) (memmem())?  A buffer of 16 MiB or more is
 * searched in two halves at once, when tce_second_thread() allows (any size above
 * 2 * len with TCE_INSPECT_THREADS=2). */
TCE_HIDDEN bool tce_holds(const void *buf, size_t size, const void *needle, size_t len);

/* A set of (non-zero) addresses, each with the position it was met at (addrset.c):
 * what walks of linked structures tell a node met before by. */
struct addr_set {
	uint64_t *key;
	size_t *pos;
	size_t cap, n;
};

/* 0 if a was added, 1 if it was there (*first, may be NULL: where it was met), or
 * -TCE_ENOMEM (no message set). */
TCE_HIDDEN int tce_addrset_add(struct addr_set *s, uint64_t a, size_t pos, size_t *first);
/* 1 if a is in s (*pos: where it was met), else 0 */
TCE_HIDDEN int tce_addrset_find(const struct addr_set *s, uint64_t a, size_t *pos);
TCE_HIDDEN void tce_addrset_free(struct addr_set *s);

/*
 * What the *_set and *_prepend functions return, made visible where they are called:
 * the functions live in another unit, so without this the compiler (and gcc's
 * -fanalyzer) cannot tell that `return tce_err_set(...)` never returns 0 for a
 * nonzero code, and follows "failed, yet returned success" paths that do not exist.
 */
static inline int tce_err_code(int err)
{
	return err > 0 ? -err : err;
}
#define tce_err_set(e, err, ...) (tce_err_set((e), (err), __VA_ARGS__), tce_err_code(err))

/* byte order: a load and at most one byte swap (a loop over the bytes compiled to
 * byte loads and shifts, a third of a struct page's decoding) */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TCE_HOST_SWAPS(bo) ((bo) == TCE_BE)
#else
#define TCE_HOST_SWAPS(bo) ((bo) != TCE_BE)
#endif

static inline uint64_t tce_bo64(const void *p, enum tce_byteorder bo)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return TCE_HOST_SWAPS(bo) ? __builtin_bswap64(v) : v;
}

static inline uint32_t tce_bo32(const void *p, enum tce_byteorder bo)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return TCE_HOST_SWAPS(bo) ? __builtin_bswap32(v) : v;
}

static inline uint16_t tce_bo16(const void *p, enum tce_byteorder bo)
{
	const unsigned char *b = p;

	return bo == TCE_BE ? (uint16_t)(b[0] << 8 | b[1]) : (uint16_t)(b[1] << 8 | b[0]);
}

/* alloc.c: an array of a megabyte or more in transparent huge pages (freed with
 * free()); a smaller one from malloc().  NULL without memory. */
TCE_HIDDEN void *tce_big_alloc(size_t size);
/* alloc.c: n zeroed elements of size bytes in pages fresh from the kernel, each faulted
 * in at its first touch (a table a small dump uses a corner of costs it nothing); huge
 * pages from a megabyte.  Freed with tce_zfree() of the same n and size.  NULL without
 * memory. */
TCE_HIDDEN void *tce_zalloc(size_t n, size_t size);
TCE_HIDDEN void tce_zfree(void *p, size_t n, size_t size);
/* alloc.c: the pages of p's len bytes mapped in at once (madvise(MADV_POPULATE_WRITE or
 * _READ)), rather than a fault at each first touch; advice only (a kernel before 5.14
 * ignores it) */
TCE_HIDDEN void tce_prefault(const void *p, size_t len, bool write);

/*
 * alloc.c: a ghost, the keys met lately as bits of a hash of them (1 << TCE_GHOST_BITS
 * bits, 128 KiB), emptied when an eighth of it is set, so that at most one key in eight
 * is taken by mistake for one met before.  It watches one key in eight (by the hash:
 * always the same ones), which costs the others a test, and counts them since the
 * count was last restarted.  A cache too small for what comes back to it tells by it
 * the misses of keys it once held from the misses of new ones (tce_ghost_back()).
 */
#define TCE_GHOST_BITS 20
struct tce_ghost {
	uint64_t *bits;            /* NULL: not made */
	size_t set;
	uint64_t watched, back;    /* keys watched, and of those the ones met before */
};
/* 0, or -1 without memory */
TCE_HIDDEN int tce_ghost_init(struct tce_ghost *g);
TCE_HIDDEN void tce_ghost_free(struct tce_ghost *g);
/* The count starts again (the keys met stay) */
static inline void tce_ghost_restart(struct tce_ghost *g)
{
	g->watched = g->back = 0;
}
/* Nothing met, nothing counted */
static inline void tce_ghost_clear(struct tce_ghost *g)
{
	if (g->set)
		memset(g->bits, 0, ((size_t)1 << TCE_GHOST_BITS) / 8);
	g->set = 0;
	tce_ghost_restart(g);
}
/* key is met: counted if the ghost watches it */
static inline void tce_ghost_meet(struct tce_ghost *g, uint64_t key)
{
	uint64_t h = key * 0xc2b2ae3d27d4eb4fULL, bit;
	size_t b;

	if (h >> 61)
		return;
	g->watched++;
	b = (size_t)(h >> (61 - TCE_GHOST_BITS)) & (((size_t)1 << TCE_GHOST_BITS) - 1);
	bit = 1ULL << (b % 64);
	if (g->bits[b / 64] & bit) {
		g->back++;
		return;
	}
	g->bits[b / 64] |= bit;
	if (++g->set == ((size_t)1 << TCE_GHOST_BITS) / 8) {
		memset(g->bits, 0, ((size_t)1 << TCE_GHOST_BITS) / 8);
		g->set = 0;
	}
}
/* Were half the keys counted met before (and one counted at all)? */
static inline bool tce_ghost_back(const struct tce_ghost *g)
{
	return g->watched && g->back * 2 >= g->watched;
}

/* Reads a field of width bytes at off in a buffer of size bytes: false (and *v left
 * alone) if it does not fit, whatever off is (no wrap). */
static inline int tce_field_fits(uint64_t off, uint64_t width, uint64_t size)
{
	return width <= size && off <= size - width;
}

#endif /* TCE_BASE_H */
