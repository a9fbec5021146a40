/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A streaming JSON writer for the commands' per-item output (a `page` per pfn, an
 * `entries` per TCE: millions of them).  Values go straight into a buffer that is
 * written to a FILE as it fills; nothing is allocated per value and no document is
 * held.  The layout is json-c's JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE
 * (`{ "a": 1, "b": [ true, null ] }`, `{ }`, `[ ]`), byte for byte, so that what the
 * commands printed through json-c before prints the same.
 *
 * Strings are escaped as json-c escapes them (\b \t \n \f \r \" \\, other control
 * characters as \u00xx, '/' and DEL as they are) and valid UTF-8 passes through; unlike
 * json-c, a byte that is not part of a valid UTF-8 sequence (bytes from a dump may be
 * anything) becomes \u00xx, its Latin-1 reading, so the output is always valid JSON
 * in valid UTF-8.
 */
#ifndef TCE_CLI_JSONW_H
#define TCE_CLI_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_JW_BUFSIZE 65536
/* keys the writer remembers (a power of two) */
#define CLI_JW_KEYS 256
/* containers open at once, at most */
#define CLI_JW_DEPTH 63

struct cli_jw {
	FILE *f;
	size_t len;                /* bytes in buf not yet written to f */
	uint64_t flushed;          /* bytes written to f before them */
	unsigned depth;            /* containers open */
	uint64_t members;          /* bit d: the container at depth d has a member */
	uint64_t array;            /* bit d: it is an array */
	/* keys as written ("key": ), found by the key's address (open addressing, never
	 * evicted; at most CLI_JW_KEYS * 3 / 4): a page's fifty keys cost a copy each
	 * rather than an escape of every byte */
	struct cli_jw_key {
		const char *key;
		unsigned char len;
		char text[31];
	} keys[CLI_JW_KEYS];
	unsigned nkeys;
	char buf[CLI_JW_BUFSIZE];
};

/* Starts a writer on f (nothing is written until the buffer fills or a flush). */
void cli_jw_init(struct cli_jw *w, FILE *f);
/* Writes what the buffer holds to f; 0, or -1 if f has an error (errno set). */
int cli_jw_flush(struct cli_jw *w);
/* Text written as it is, outside any value: the framing of a document the caller
 * lays out itself (newlines, indentation, "," between items it writes at depth 0). */
void cli_jw_raw(struct cli_jw *w, const char *s);

/*
 * Values.  Inside an object each takes its key (escaped as strings are); inside an
 * array and at depth 0 the key is NULL.  The separators come from the writer.  A key
 * is remembered by its address: it must be text that does not change while the
 * writer is in use (a literal, a name the library keeps), never a reused buffer.
 */
void cli_jw_object(struct cli_jw *w, const char *key);    /* opens { */
void cli_jw_array(struct cli_jw *w, const char *key);     /* opens [ */
void cli_jw_end(struct cli_jw *w);                        /* closes the innermost */
void cli_jw_string(struct cli_jw *w, const char *key, const char *s);  /* NULL: null */
/* "0x..." (lowercase, no leading zeros): pfns, addresses and raw kernel words, which
 * a double cannot hold */
void cli_jw_hex(struct cli_jw *w, const char *key, uint64_t v);
void cli_jw_int(struct cli_jw *w, const char *key, int64_t v);
void cli_jw_uint(struct cli_jw *w, const char *key, uint64_t v);
void cli_jw_bool(struct cli_jw *w, const char *key, bool v);
void cli_jw_null(struct cli_jw *w, const char *key);
/* v, or null when !known (the schema's hex_or_null, int_or_null) */
void cli_jw_hex_or_null(struct cli_jw *w, const char *key, bool known, uint64_t v);
void cli_jw_int_or_null(struct cli_jw *w, const char *key, bool known, int64_t v);

#endif /* TCE_CLI_JSONW_H */
