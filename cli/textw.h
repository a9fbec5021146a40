/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-item text of `page` (a dozen lines a pfn) and `entries` (a line a TCE, millions
 * of them), made without printf: a line is formatted into a buffer by these helpers and
 * written with one fwrite_unlocked() to the FILE (stdout, whose buffer is made 64 KiB
 * when it is no terminal).  printf's format parsing, locking and 4 KiB writes cost the text several
 * times the library's read of the item, and made it slower than the JSON (cli/jsonw.c).
 * What the helpers write is what the printf conversions they replace wrote, byte for
 * byte: %s, %-Ns, %x, %-Nx, %0Nx, %u, %d (tests/unit/test-textw).  Writes go through
 * the FILE, in order with the commands' printf of their headers and summaries.
 */
#ifndef TCE_CLI_TEXTW_H
#define TCE_CLI_TEXTW_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CLI_TL_SIZE 2048
/* bytes a helper may write past a check for room: a number and its padding */
#define CLI_TL_SLACK 96

/* a line (or a few) being made */
struct cli_tl {
	FILE *f;
	char *o;                      /* the cursor */
	char buf[CLI_TL_SIZE];
};

/* stdout in 64 KiB writes unless it is a terminal: before anything is written to it */
static inline void cli_tl_setup(void)
{
	static char sbuf[1 << 16];

	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, sbuf, _IOFBF, sizeof(sbuf));
}

static inline void cli_tl_init(struct cli_tl *l, FILE *f)
{
	l->f = f;
	l->o = l->buf;
}

/* writes what the line holds to the FILE */
static inline void cli_tl_end(struct cli_tl *l)
{
	if (l->o > l->buf)
		fwrite_unlocked(l->buf, 1, (size_t)(l->o - l->buf), l->f);
	l->o = l->buf;
}

/* room for a number and its padding */
static inline void cli_tl_room(struct cli_tl *l)
{
	if (__builtin_expect(l->o > l->buf + CLI_TL_SIZE - CLI_TL_SLACK, 0))
		cli_tl_end(l);
}

static inline void cli_tl_mem(struct cli_tl *l, const char *s, size_t n)
{
	if (__builtin_expect(n > (size_t)(l->buf + CLI_TL_SIZE - l->o), 0)) {
		cli_tl_end(l);
		if (n > CLI_TL_SIZE) {
			fwrite_unlocked(s, 1, n, l->f);
			return;
		}
	}
	memcpy(l->o, s, n);
	l->o += n;
}

/* %s */
static inline void cli_tl_str(struct cli_tl *l, const char *s)
{
	cli_tl_mem(l, s, strlen(s));
}

static inline void cli_tl_chr(struct cli_tl *l, char c)
{
	cli_tl_room(l);
	*l->o++ = c;
}

/* spaces after what was written from start, up to width w (%-Ns of that text) */
static inline void cli_tl_pad(struct cli_tl *l, const char *start, unsigned w)
{
	size_t n = (size_t)(l->o - start);

	if (n < w) {
		memset(l->o, ' ', w - n);
		l->o += w - n;
	}
}

/* %-Ns; w < CLI_TL_SLACK */
static inline void cli_tl_str_left(struct cli_tl *l, const char *s, unsigned w)
{
	size_t n = strlen(s);

	cli_tl_mem(l, s, n);
	if (n < w) {
		cli_tl_room(l);
		memset(l->o, ' ', w - n);
		l->o += w - n;
	}
}

/* %0Nx (N 0: %x), lowercase; w <= 16 */
static inline void cli_tl_hex0(struct cli_tl *l, uint64_t v, unsigned w)
{
	unsigned n = v ? (unsigned)(67 - __builtin_clzll(v)) / 4 : 1, i;

	cli_tl_room(l);
	if (n < w) {
		memset(l->o, '0', w - n);
		l->o += w - n;
	}
	for (i = n; i-- > 0; v >>= 4)
		l->o[i] = "0123456789abcdef"[v & 15];
	l->o += n;
}

/* %x */
static inline void cli_tl_hex(struct cli_tl *l, uint64_t v)
{
	cli_tl_hex0(l, v, 0);
}

/* %-Nx; w < CLI_TL_SLACK - 16 */
static inline void cli_tl_hex_left(struct cli_tl *l, uint64_t v, unsigned w)
{
	char *start;

	cli_tl_room(l);
	start = l->o;
	cli_tl_hex0(l, v, 0);
	cli_tl_pad(l, start, w);
}

/* %u of a uint64_t */
static inline void cli_tl_udec(struct cli_tl *l, uint64_t v)
{
	char tmp[20];
	unsigned n = 0;

	cli_tl_room(l);
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*l->o++ = tmp[--n];
}

/* %d of an int64_t */
static inline void cli_tl_dec(struct cli_tl *l, int64_t v)
{
	cli_tl_room(l);
	if (v < 0) {
		*l->o++ = '-';
		cli_tl_udec(l, (uint64_t)0 - (uint64_t)v);
	} else {
		cli_tl_udec(l, (uint64_t)v);
	}
}

#endif /* TCE_CLI_TEXTW_H */
