// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The streaming JSON writer of cli/jsonw.h: json-c's spaced layout and string escapes
 * without json-c's objects, hash tables and print buffers, which cost the per-item
 * commands several times what reading the item from the dump costs.
 */
#include "config.h"

#include <assert.h>
#include <string.h>

#include "jsonw.h"

void cli_jw_init(struct cli_jw *w, FILE *f)
{
	w->f = f;
	w->len = 0;
	w->flushed = 0;
	w->depth = 0;
	w->members = 0;
	w->array = 0;
	memset(w->keys, 0, sizeof(w->keys));
	w->nkeys = 0;
}

int cli_jw_flush(struct cli_jw *w)
{
	w->flushed += w->len;
	if (w->len && fwrite(w->buf, 1, w->len, w->f) != w->len) {
		w->len = 0;
		return -1;
	}
	w->len = 0;
	return ferror(w->f) ? -1 : 0;
}

static void put(struct cli_jw *w, const void *p, size_t n)
{
	if (n > CLI_JW_BUFSIZE - w->len) {
		cli_jw_flush(w);
		/* errors stay in the FILE, for the caller's ferror() */
		if (n >= CLI_JW_BUFSIZE) {
			fwrite(p, 1, n, w->f);
			w->flushed += n;
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

/*
 * The value writers write straight into the buffer through a cursor o, checking for
 * room only once a value (and once every few bytes of a string): each step may write
 * SLACK bytes past a check.
 */
#define SLACK 64

/* the buffer emptied (the cursor at its start), for reserve() */
static __attribute__((noinline)) char *reserve_flush(struct cli_jw *w, const char *o)
{
	w->len = o - w->buf;
	cli_jw_flush(w);
	return w->buf;
}

/* o, or the start of the emptied buffer when fewer than SLACK bytes are left */
static inline char *reserve(struct cli_jw *w, char *o)
{
	if (__builtin_expect(o > w->buf + CLI_JW_BUFSIZE - SLACK, 0))
		return reserve_flush(w, o);
	return o;
}

void cli_jw_raw(struct cli_jw *w, const char *s)
{
	put(w, s, strlen(s));
}

/* 1: the byte stands for itself in a JSON string (printable ASCII but " and \) */
static const unsigned char plain[256] = {
	[0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7f] = 1,
};

static const char hexdig[] = "0123456789abcdef";

/* the two digits of each byte value, for hex numbers a byte at a time */
#define HEX_ROW(h) h "0" h "1" h "2" h "3" h "4" h "5" h "6" h "7" h "8" h "9" h "a" h "b" \
	h "c" h "d" h "e" h "f"
static const char hexpairs[513] = HEX_ROW("0") HEX_ROW("1") HEX_ROW("2") HEX_ROW("3")
	HEX_ROW("4") HEX_ROW("5") HEX_ROW("6") HEX_ROW("7") HEX_ROW("8") HEX_ROW("9")
	HEX_ROW("a") HEX_ROW("b") HEX_ROW("c") HEX_ROW("d") HEX_ROW("e") HEX_ROW("f");

/* The length of the valid UTF-8 sequence at p (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0.  p[0] >= 0x80; a NUL ends the checks. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	/* the second byte's range excludes the overlong forms and the surrogates */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* s, quoted and escaped, at o; returns the cursor after it, SLACK - 7 bytes or more
 * before the end of the buffer */
static char *put_str(struct cli_jw *w, char *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *end;

	o = reserve(w, o);
	*o++ = '"';
	for (;;) {
		/* a step writes at most 6 bytes (an escape) */
		end = w->buf + CLI_JW_BUFSIZE - SLACK;
		while (o < end) {
			unsigned char c = *p;
			size_t n;

			if (plain[c]) {
				*o++ = (char)c;
				p++;
				continue;
			}
			if (!c) {
				*o++ = '"';
				return o;
			}
			if (c >= 0x80 && (n = utf8_len(p)) != 0) {
				do
					*o++ = (char)*p++;
				while (--n);
				continue;
			}
			*o++ = '\\';
			switch (c) {
			case '"':
			case '\\':
				*o++ = (char)c;
				break;
			case '\b':
				*o++ = 'b';
				break;
			case '\t':
				*o++ = 't';
				break;
			case '\n':
				*o++ = 'n';
				break;
			case '\f':
				*o++ = 'f';
				break;
			case '\r':
				*o++ = 'r';
				break;
			default:
				/* a control character, or a byte of no valid UTF-8 sequence */
				*o++ = 'u';
				*o++ = '0';
				*o++ = '0';
				*o++ = hexdig[c >> 4];
				*o++ = hexdig[c & 0xf];
			}
			p++;
		}
		w->len = o - w->buf;
		cli_jw_flush(w);
		o = w->buf;
	}
}

/* "key": at o (SLACK - 2 bytes of room or more) the first time, escaped, and kept in
 * the free slot k if it was short and written in one piece; the writer's hot path
 * (begin()) copies it from there afterwards */
static __attribute__((noinline)) char *put_new_key(struct cli_jw *w, char *o,
						   const char *key, struct cli_jw_key *k)
{
	uint64_t before = w->flushed;
	char *start = o;

	o = put_str(w, o, key);
	*o++ = ':';
	*o++ = ' ';
	if (w->nkeys < CLI_JW_KEYS / 4 * 3 && w->flushed == before &&
	    (size_t)(o - start) <= sizeof(k->text)) {
		k->key = key;
		k->len = (unsigned char)(o - start);
		memcpy(k->text, start, k->len);
		w->nkeys++;
	}
	return o;
}

/* The separator before a value and its key; returns the cursor for the value, with
 * SLACK - 9 bytes or more of room. */
static inline char *begin(struct cli_jw *w, const char *key)
{
	char *o = reserve(w, w->buf + w->len);
	struct cli_jw_key *k;
	unsigned i;

	if (w->depth) {
		uint64_t bit = 1ULL << w->depth;

		/* an object's members have keys, an array's have not */
		assert(!key == !!(w->array & bit));
		if (w->members & bit)
			*o++ = ',';
		w->members |= bit;
		*o++ = ' ';
	}
	if (!key)
		return o;
	/* the key's slot: Fibonacci hashing of its address, then the next free */
	i = (unsigned)(((uintptr_t)key * 0x9e3779b97f4a7c15ULL) >> 56) & (CLI_JW_KEYS - 1);
	for (;; i = (i + 1) & (CLI_JW_KEYS - 1)) {
		k = &w->keys[i];
		if (k->key == key)
			break;
		if (!k->key)
			return put_new_key(w, o, key, k);
	}
	memcpy(o, k->text, sizeof(k->text));
	return o + k->len;
}

static void open_container(struct cli_jw *w, const char *key, char c, bool array)
{
	char *o = begin(w, key);
	uint64_t bit;

	*o++ = c;
	w->len = o - w->buf;
	assert(w->depth < CLI_JW_DEPTH);
	bit = 1ULL << ++w->depth;
	w->members &= ~bit;
	if (array)
		w->array |= bit;
	else
		w->array &= ~bit;
}

void cli_jw_object(struct cli_jw *w, const char *key)
{
	open_container(w, key, '{', false);
}

void cli_jw_array(struct cli_jw *w, const char *key)
{
	open_container(w, key, '[', true);
}

void cli_jw_end(struct cli_jw *w)
{
	char *o = reserve(w, w->buf + w->len);

	assert(w->depth > 0);
	/* json-c's spaced layout: "{ }" empty, "{ "a": 1 }" not */
	*o++ = ' ';
	*o++ = w->array & (1ULL << w->depth) ? ']' : '}';
	w->len = o - w->buf;
	w->depth--;
}

static void put_lit(struct cli_jw *w, char *o, const char *lit, size_t n)
{
	memcpy(o, lit, n);
	w->len = o + n - w->buf;
}

void cli_jw_string(struct cli_jw *w, const char *key, const char *s)
{
	char *o = begin(w, key);

	if (s)
		w->len = put_str(w, o, s) - w->buf;
	else
		put_lit(w, o, "null", 4);
}

void cli_jw_hex(struct cli_jw *w, const char *key, uint64_t v)
{
	char *o = begin(w, key);
	/* digits: 1 for 0..15, 16 for 2^60 and above */
	unsigned n = v ? (67 - __builtin_clzll(v)) / 4 : 1, left = n;
	char *d = o + 3 + n;

	o[0] = '"';
	o[1] = '0';
	o[2] = 'x';
	*d = '"';
	for (; left >= 2; left -= 2, v >>= 8) {
		d -= 2;
		memcpy(d, hexpairs + 2 * (v & 0xff), 2);
	}
	if (left)
		d[-1] = hexdig[v & 0xf];
	w->len = o + 4 + n - w->buf;
}

/* v in decimal at o, after a '-' if neg */
static void put_dec(struct cli_jw *w, char *o, bool neg, uint64_t v)
{
	char digits[20];
	unsigned n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		*o++ = '-';
	while (n)
		*o++ = digits[--n];
	w->len = o - w->buf;
}

void cli_jw_int(struct cli_jw *w, const char *key, int64_t v)
{
	/* the magnitude in unsigned arithmetic: -INT64_MIN does not fit */
	put_dec(w, begin(w, key), v < 0, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

void cli_jw_uint(struct cli_jw *w, const char *key, uint64_t v)
{
	put_dec(w, begin(w, key), false, v);
}

void cli_jw_bool(struct cli_jw *w, const char *key, bool v)
{
	char *o = begin(w, key);

	if (v)
		put_lit(w, o, "true", 4);
	else
		put_lit(w, o, "false", 5);
}

void cli_jw_null(struct cli_jw *w, const char *key)
{
	put_lit(w, begin(w, key), "null", 4);
}

void cli_jw_hex_or_null(struct cli_jw *w, const char *key, bool known, uint64_t v)
{
	if (known)
		cli_jw_hex(w, key, v);
	else
		cli_jw_null(w, key);
}

void cli_jw_int_or_null(struct cli_jw *w, const char *key, bool known, int64_t v)
{
	if (known)
		cli_jw_int(w, key, v);
	else
		cli_jw_null(w, key);
}
