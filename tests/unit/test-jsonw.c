// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli/jsonw.c, the streaming JSON writer of the per-item commands, against json-c (what
 * the commands printed before, JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE):
 * the same bytes for the same document, every ASCII character and valid UTF-8 of each
 * length at the edges of its range escaped or passed as json-c does; and where json-c
 * passes a dump's bytes through into invalid UTF-8, the writer's \u00xx, checked on
 * hostile strings (overlong forms, surrogates, beyond U+10FFFF, cut sequences, stray
 * continuation bytes, random bytes) by json-c's strict UTF-8-validating parser and a
 * decoder of the test's own.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "jsonw.h"

#define JSONC_FLAGS (JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

/* A writer on a memory stream. */
struct mem {
	struct cli_jw *w;
	FILE *f;
	char *text;
	size_t len;
};

static void mem_open(struct mem *m)
{
	m->text = NULL;
	m->len = 0;
	m->f = open_memstream(&m->text, &m->len);
	ck_assert_ptr_nonnull(m->f);
	m->w = malloc(sizeof(*m->w));
	ck_assert_ptr_nonnull(m->w);
	cli_jw_init(m->w, m->f);
}

/* the text written, NUL-terminated, to free() */
static char *mem_close(struct mem *m)
{
	ck_assert_int_eq(cli_jw_flush(m->w), 0);
	ck_assert_int_eq(fclose(m->f), 0);
	free(m->w);
	return m->text;
}

/* s as the writer writes it, at depth 0 */
static char *jw_str(const char *s)
{
	struct mem m;

	mem_open(&m);
	cli_jw_string(m.w, NULL, s);
	return mem_close(&m);
}

/* s as json-c writes it */
static char *jc_str(const char *s)
{
	json_object *o = json_object_new_string(s);
	char *t = strdup(json_object_to_json_string_ext(o, JSONC_FLAGS));

	json_object_put(o);
	ck_assert_ptr_nonnull(t);
	return t;
}

static void same_as_json_c(const char *s)
{
	char *a = jw_str(s), *b = jc_str(s);

	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}

/* The one document written by both, every kind of value and container, nested. */
START_TEST(layout)
{
	json_object *o = json_object_new_object(), *a, *in, *e;
	char *mine, key[] = "k\"\\\n\x01/";
	struct mem m;

	json_object_object_add(o, "hex0", json_object_new_string("0x0"));
	json_object_object_add(o, "hexmax", json_object_new_string("0xffffffffffffffff"));
	json_object_object_add(o, "hex", json_object_new_string("0xc00c000000004240"));
	json_object_object_add(o, "imin", json_object_new_int64(INT64_MIN));
	json_object_object_add(o, "imax", json_object_new_int64(INT64_MAX));
	json_object_object_add(o, "neg", json_object_new_int(-1));
	json_object_object_add(o, "zero", json_object_new_int(0));
	json_object_object_add(o, "umax", json_object_new_uint64(UINT64_MAX));
	json_object_object_add(o, "t", json_object_new_boolean(1));
	json_object_object_add(o, "f", json_object_new_boolean(0));
	json_object_object_add(o, "n", NULL);
	json_object_object_add(o, "s", json_object_new_string("a/b"));
	json_object_object_add(o, "sn", NULL);
	json_object_object_add(o, "eo", json_object_new_object());
	json_object_object_add(o, "ea", json_object_new_array());
	a = json_object_new_array();
	json_object_array_add(a, NULL);
	json_object_array_add(a, json_object_new_boolean(0));
	in = json_object_new_object();
	json_object_object_add(in, "x", json_object_new_array());
	e = json_object_new_array();
	json_object_array_add(e, json_object_new_array());
	json_object_array_add(e, json_object_new_object());
	json_object_object_add(in, "y", e);
	json_object_array_add(a, in);
	json_object_array_add(a, json_object_new_string(""));
	json_object_object_add(o, "arr", a);
	json_object_object_add(o, key, json_object_new_int(7));
	json_object_object_add(o, "hon", NULL);
	json_object_object_add(o, "ho", json_object_new_string("0xabc"));
	json_object_object_add(o, "ion", NULL);
	json_object_object_add(o, "io", json_object_new_int(-5));

	mem_open(&m);
	cli_jw_object(m.w, NULL);
	cli_jw_hex(m.w, "hex0", 0);
	cli_jw_hex(m.w, "hexmax", UINT64_MAX);
	cli_jw_hex(m.w, "hex", 0xc00c000000004240ULL);
	cli_jw_int(m.w, "imin", INT64_MIN);
	cli_jw_int(m.w, "imax", INT64_MAX);
	cli_jw_int(m.w, "neg", -1);
	cli_jw_int(m.w, "zero", 0);
	cli_jw_uint(m.w, "umax", UINT64_MAX);
	cli_jw_bool(m.w, "t", true);
	cli_jw_bool(m.w, "f", false);
	cli_jw_null(m.w, "n");
	cli_jw_string(m.w, "s", "a/b");
	cli_jw_string(m.w, "sn", NULL);
	cli_jw_object(m.w, "eo");
	cli_jw_end(m.w);
	cli_jw_array(m.w, "ea");
	cli_jw_end(m.w);
	cli_jw_array(m.w, "arr");
	cli_jw_null(m.w, NULL);
	cli_jw_bool(m.w, NULL, false);
	cli_jw_object(m.w, NULL);
	cli_jw_array(m.w, "x");
	cli_jw_end(m.w);
	cli_jw_array(m.w, "y");
	cli_jw_array(m.w, NULL);
	cli_jw_end(m.w);
	cli_jw_object(m.w, NULL);
	cli_jw_end(m.w);
	cli_jw_end(m.w);
	cli_jw_end(m.w);
	cli_jw_string(m.w, NULL, "");
	cli_jw_end(m.w);
	cli_jw_int(m.w, key, 7);
	cli_jw_hex_or_null(m.w, "hon", false, 0xabc);
	cli_jw_hex_or_null(m.w, "ho", true, 0xabc);
	cli_jw_int_or_null(m.w, "ion", false, -5);
	cli_jw_int_or_null(m.w, "io", true, -5);
	cli_jw_end(m.w);
	mine = mem_close(&m);
	ck_assert_str_eq(mine, json_object_to_json_string_ext(o, JSONC_FLAGS));
	ck_assert_ptr_nonnull(strstr(mine, "\"imin\": -9223372036854775808,"));
	free(mine);
	json_object_put(o);
}
END_TEST

/* Raw framing around items at depth 0, as `page` lays out its document. */
START_TEST(framing)
{
	struct mem m;
	char *t;
	int i;

	mem_open(&m);
	cli_jw_raw(m.w, "{\n  \"pages\": [");
	for (i = 0; i < 3; i++) {
		cli_jw_raw(m.w, i ? ",\n    " : "\n    ");
		cli_jw_object(m.w, NULL);
		cli_jw_uint(m.w, "i", i);
		cli_jw_end(m.w);
	}
	cli_jw_raw(m.w, "\n  ]\n}\n");
	t = mem_close(&m);
	ck_assert_str_eq(t, "{\n  \"pages\": [\n    { \"i\": 0 },\n    { \"i\": 1 },\n"
			 "    { \"i\": 2 }\n  ]\n}\n");
	free(t);
}
END_TEST

/* Every ASCII character, alone and amid others, as json-c writes it. */
START_TEST(ascii_as_json_c)
{
	char s[4], all[128];
	int c;

	for (c = 1; c < 128; c++) {
		s[0] = (char)c;
		s[1] = '\0';
		same_as_json_c(s);
		s[0] = 'a';
		s[1] = (char)c;
		s[2] = 'b';
		s[3] = '\0';
		same_as_json_c(s);
		all[c - 1] = (char)c;
	}
	all[127] = '\0';
	same_as_json_c(all);
	same_as_json_c("");
	same_as_json_c("pfn 0x7000: no vmemmap block backs its struct page");
}
END_TEST

/* Valid UTF-8 at the edges of each length's range passes through, as in json-c. */
START_TEST(utf8_as_json_c)
{
	static const char *const valid[] = {
		"\xc2\x80", "\xdf\xbf",                  /* U+0080, U+07FF */
		"\xe0\xa0\x80", "\xed\x9f\xbf",          /* U+0800, U+D7FF */
		"\xee\x80\x80", "\xef\xbf\xbf",          /* U+E000, U+FFFF */
		"\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf",  /* U+10000, U+10FFFF */
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \"x\"\n",
	};
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		char *t = jw_str(valid[i]);

		same_as_json_c(valid[i]);
		/* passed through, not escaped */
		ck_assert_ptr_null(strstr(t, "\\u"));
		free(t);
	}
}
END_TEST

/* ---------------------------------------------------------------- hostile bytes */

/* The test's own decoder: the code point of the well-formed UTF-8 sequence at p and
 * its length, or 0 (a sequence must be the shortest for its code point, no surrogate,
 * at most U+10FFFF). */
static size_t decode(const unsigned char *p, uint32_t *cp)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n, i;
	uint32_t v;

	if (p[0] < 0x80)
		return 0;
	for (n = 0; n < 8 && (p[0] & (0x80 >> n)); n++)
		;
	if (n < 2 || n > 4)
		return 0;
	v = p[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

static size_t put_utf8(char *out, uint32_t v)
{
	if (v < 0x80) {
		out[0] = (char)v;
		return 1;
	}
	if (v < 0x800) {
		out[0] = (char)(0xc0 | v >> 6);
		out[1] = (char)(0x80 | (v & 0x3f));
		return 2;
	}
	if (v < 0x10000) {
		out[0] = (char)(0xe0 | v >> 12);
		out[1] = (char)(0x80 | (v >> 6 & 0x3f));
		out[2] = (char)(0x80 | (v & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | v >> 18);
	out[1] = (char)(0x80 | (v >> 12 & 0x3f));
	out[2] = (char)(0x80 | (v >> 6 & 0x3f));
	out[3] = (char)(0x80 | (v & 0x3f));
	return 4;
}

/* What a reader must get back from the writer's string for s: each well-formed
 * sequence as it is, each other byte as the code point of its value. */
static char *expected(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(strlen(s) * 4 + 1);
	size_t n = 0, k;
	uint32_t cp;

	ck_assert_ptr_nonnull(out);
	while (*p) {
		k = decode(p, &cp);
		if (k) {
			memcpy(out + n, p, k);
			n += k;
			p += k;
		} else {
			n += put_utf8(out + n, *p++);
		}
	}
	out[n] = '\0';
	*len = n;
	return out;
}

/* The writer's string for s parses under json-c's strict parser with UTF-8
 * validation, to what expected() says. */
static void reads_back(const char *s)
{
	struct json_tokener *tok = json_tokener_new();
	char *t = jw_str(s), *want;
	json_object *o;
	size_t n;

	ck_assert_ptr_nonnull(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, t, (int)strlen(t) + 1);
	ck_assert_msg(o && json_tokener_get_error(tok) == json_tokener_success,
		      "not valid JSON: %s", t);
	ck_assert(json_object_is_type(o, json_type_string));
	want = expected(s, &n);
	ck_assert_uint_eq((size_t)json_object_get_string_len(o), n);
	ck_assert_mem_eq(json_object_get_string(o), want, n);
	free(want);
	json_object_put(o);
	json_tokener_free(tok);
	free(t);
}

/* Malformed UTF-8: each byte that begins no well-formed sequence becomes \u00xx, the
 * rest of the string as it was. */
START_TEST(hostile)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "\x80", "\"\\u0080\"" },                          /* stray continuation */
		{ "a\xbf" "b", "\"a\\u00bfb\"" },
		{ "\xc0\x80", "\"\\u00c0\\u0080\"" },               /* overlong NUL */
		{ "\xc1\xbf", "\"\\u00c1\\u00bf\"" },               /* overlong U+007F */
		{ "\xe0\x80\xaf", "\"\\u00e0\\u0080\\u00af\"" },    /* overlong '/' */
		{ "\xe0\x9f\xbf", "\"\\u00e0\\u009f\\u00bf\"" },    /* overlong U+07FF */
		{ "\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"" },    /* surrogate U+D800 */
		{ "\xed\xbf\xbf", "\"\\u00ed\\u00bf\\u00bf\"" },    /* surrogate U+DFFF */
		{ "\xf0\x80\x80\x80", "\"\\u00f0\\u0080\\u0080\\u0080\"" },    /* overlong */
		{ "\xf0\x8f\xbf\xbf", "\"\\u00f0\\u008f\\u00bf\\u00bf\"" },    /* overlong */
		{ "\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\"" },    /* U+110000 */
		{ "\xf5\x80\x80\x80", "\"\\u00f5\\u0080\\u0080\\u0080\"" },
		{ "\xfe\xff", "\"\\u00fe\\u00ff\"" },
		{ "\xe2\x82", "\"\\u00e2\\u0082\"" },               /* cut at the end */
		{ "\xe2\x82z", "\"\\u00e2\\u0082z\"" },             /* cut by ASCII */
		{ "\xf0\x9f\x98" "a", "\"\\u00f0\\u009f\\u0098a\"" },
		{ "\xc3\xc3\xa9", "\"\\u00c3\xc3\xa9\"" },          /* a lead, then a pair */
		{ "\xe2\x82\xac\x80\xe2\x82\xac", "\"\xe2\x82\xac\\u0080\xe2\x82\xac\"" },
		{ "\xff\n\"\x7f", "\"\\u00ff\\n\\\"\x7f\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *t = jw_str(cases[i].in);

		ck_assert_str_eq(t, cases[i].out);
		free(t);
		reads_back(cases[i].in);
	}
	/* well-formed input reads back as itself, through the same check */
	reads_back("caf\xc3\xa9 \xf4\x8f\xbf\xbf \x01\x1f\\");
}
END_TEST

/* Random byte strings, biased to UTF-8 lead and continuation bytes: always valid JSON,
 * always read back as expected() says. */
START_TEST(random_bytes)
{
	static const unsigned char pick[] = { 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef,
					      0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90 };
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	char s[48];
	int i, j, n;

	for (i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		n = (int)(x % (sizeof(s) - 1));
		for (j = 0; j < n; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			s[j] = (char)(x & 1 ? pick[x >> 1 & 15] : (x >> 8 & 0xff));
			if (!s[j])
				s[j] = '\x01';
		}
		s[n] = '\0';
		reads_back(s);
	}
}
END_TEST

/* ---------------------------------------------------------------- the buffer */

/* Strings longer than the buffer, and enough values to fill it many times over, as
 * json-c writes them. */
START_TEST(beyond_the_buffer)
{
	size_t big = 3 * CLI_JW_BUFSIZE + 17, i;
	json_object *arr = json_object_new_array();
	char *s = malloc(big + 1), *t;
	struct mem m;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < big; i++)
		s[i] = "ab\"\n\xc3\xa9/"[i % 7];
	s[big] = '\0';
	mem_open(&m);
	cli_jw_array(m.w, NULL);
	for (i = 0; i < 3; i++) {
		cli_jw_string(m.w, NULL, s);
		json_object_array_add(arr, json_object_new_string(s));
	}
	for (i = 0; i < 100000; i++) {
		uint64_t v = i * 0x9e3779b97f4a7c15ULL;
		char h[24];

		cli_jw_hex(m.w, NULL, v);
		snprintf(h, sizeof(h), "0x%" PRIx64, v);
		json_object_array_add(arr, json_object_new_string(h));
	}
	cli_jw_end(m.w);
	t = mem_close(&m);
	ck_assert_uint_gt(strlen(t), 10 * CLI_JW_BUFSIZE);
	ck_assert_str_eq(t, json_object_to_json_string_ext(arr, JSONC_FLAGS));
	free(t);
	free(s);
	json_object_put(arr);
}
END_TEST

/* More keys than the writer remembers, keys too long to remember, the same keys again
 * (from its copies), over several fillings of the buffer: as json-c writes them. */
START_TEST(many_keys)
{
	static char keys[400][48];
	json_object *arr = json_object_new_array();
	struct mem m;
	char *t;
	int i, round;

	for (i = 0; i < 400; i++)
		snprintf(keys[i], sizeof(keys[i]), i % 7 ? "key-%03d" :
			 "a key long enough not to be remembered, %03d", i);
	mem_open(&m);
	cli_jw_array(m.w, NULL);
	for (round = 0; round < 12; round++) {
		json_object *o = json_object_new_object();

		cli_jw_object(m.w, NULL);
		for (i = 0; i < 400; i++) {
			cli_jw_int(m.w, keys[i], i + round);
			json_object_object_add(o, keys[i], json_object_new_int(i + round));
		}
		cli_jw_end(m.w);
		json_object_array_add(arr, o);
	}
	cli_jw_end(m.w);
	t = mem_close(&m);
	ck_assert_str_eq(t, json_object_to_json_string_ext(arr, JSONC_FLAGS));
	free(t);
	json_object_put(arr);
}
END_TEST

/* A stream that cannot be written: the flush says so; one that can: it does not. */
START_TEST(write_error)
{
	struct cli_jw *w = malloc(sizeof(*w));
	FILE *f = fopen("/dev/null", "r");

	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(f);
	cli_jw_init(w, f);
	cli_jw_string(w, NULL, "lost");
	ck_assert_int_eq(cli_jw_flush(w), -1);
	ck_assert(ferror(f));
	fclose(f);
	f = fopen("/dev/null", "w");
	ck_assert_ptr_nonnull(f);
	cli_jw_init(w, f);
	cli_jw_string(w, NULL, "kept");
	ck_assert_int_eq(cli_jw_flush(w), 0);
	fclose(f);
	free(w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("jsonw");
	TCase *t = tcase_create("jsonw");

	tcase_add_test(t, layout);
	tcase_add_test(t, framing);
	tcase_add_test(t, ascii_as_json_c);
	tcase_add_test(t, utf8_as_json_c);
	tcase_add_test(t, hostile);
	tcase_add_test(t, random_bytes);
	tcase_add_test(t, beyond_the_buffer);
	tcase_add_test(t, many_keys);
	tcase_add_test(t, write_error);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
