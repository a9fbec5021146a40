// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli/textw.h, the printf-free formatting of `page`'s and `entries`' text, against the
 * printf conversions it replaces (%x, %0Nx, %-Nx, %u, %d, %s, %-Ns): the same bytes for
 * the edges of each type (0, powers of 16 and of 10 and their neighbours, the largest
 * and most negative values) and for random ones at every width the commands use, and
 * strings longer than the line buffer or arriving as it fills, over many lines.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "textw.h"

/* the writer and printf, each on a memory stream */
struct pair {
	struct cli_tl *l;
	FILE *fw, *fp;
	char *tw, *tp;
	size_t nw, np;
};

static void pair_open(struct pair *p)
{
	memset(p, 0, sizeof(*p));
	p->fw = open_memstream(&p->tw, &p->nw);
	p->fp = open_memstream(&p->tp, &p->np);
	p->l = malloc(sizeof(*p->l));
	ck_assert(p->fw && p->fp && p->l);
	cli_tl_init(p->l, p->fw);
}

static void pair_check(struct pair *p)
{
	cli_tl_end(p->l);
	ck_assert_int_eq(fclose(p->fw), 0);
	ck_assert_int_eq(fclose(p->fp), 0);
	ck_assert_uint_eq(p->nw, p->np);
	if (memcmp(p->tw, p->tp, p->np)) {
		size_t i = 0;

		while (p->tw[i] == p->tp[i])
			i++;
		ck_abort_msg("differ at byte %zu: writer \"%.40s\", printf \"%.40s\"", i,
			     p->tw + i, p->tp + i);
	}
	free(p->tw);
	free(p->tp);
	free(p->l);
}

static uint64_t rnd64(void)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v = v << 16 | (uint64_t)(random() & 0xffff);
	/* every length of number alike */
	return v >> (random() % 64);
}

/* every number conversion the commands use, of v */
static void numbers(struct pair *p, uint64_t v)
{
	static const unsigned widths[] = { 0, 1, 10, 14, 16 };
	unsigned i;

	cli_tl_hex(p->l, v);
	fprintf(p->fp, "%" PRIx64, v);
	cli_tl_chr(p->l, '|');
	fputc('|', p->fp);
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		cli_tl_hex0(p->l, v, widths[i]);
		fprintf(p->fp, "%0*" PRIx64, (int)widths[i], v);
		cli_tl_hex_left(p->l, v, widths[i]);
		fprintf(p->fp, "%-*" PRIx64, (int)widths[i], v);
		cli_tl_chr(p->l, ',');
		fputc(',', p->fp);
	}
	cli_tl_udec(p->l, v);
	fprintf(p->fp, "%" PRIu64, v);
	cli_tl_chr(p->l, ' ');
	fputc(' ', p->fp);
	cli_tl_dec(p->l, (int64_t)v);
	fprintf(p->fp, "%" PRId64, (int64_t)v);
	cli_tl_dec(p->l, (int32_t)v);
	fprintf(p->fp, "%d", (int32_t)v);
	cli_tl_chr(p->l, '\n');
	fputc('\n', p->fp);
}

START_TEST(numbers_as_printf)
{
	struct pair p;
	uint64_t v;
	unsigned s;
	int i;

	pair_open(&p);
	numbers(&p, 0);
	numbers(&p, UINT64_MAX);
	numbers(&p, (uint64_t)INT64_MIN);
	numbers(&p, (uint64_t)INT64_MAX);
	numbers(&p, (uint64_t)INT32_MIN);
	for (s = 0; s < 64; s += 4)
		for (v = (1ULL << s) - 1; v <= (1ULL << s) + 1; v++)
			numbers(&p, v);
	for (v = 1; v < UINT64_MAX / 10; v *= 10) {
		numbers(&p, v - 1);
		numbers(&p, v);
		numbers(&p, -v);
	}
	srandom(16);
	for (i = 0; i < 100000; i++)
		numbers(&p, rnd64());
	pair_check(&p);
}
END_TEST

START_TEST(strings_as_printf)
{
	static const char *const names[] = { "", "a", "vmemmap", "_refcount", "compound",
					     "exactly10c", "longer than ten" };
	char big[3 * CLI_TL_SIZE + 7];
	struct pair p;
	size_t len;
	unsigned i, j;

	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = (char)('a' + i % 26);
	big[sizeof(big) - 1] = '\0';
	pair_open(&p);
	/* strings of every length around the line buffer's, arriving at every fill */
	for (len = 0; len < sizeof(big); len += 1 + len / 3) {
		char c = big[len];

		big[len] = '\0';
		for (j = 0; j < 3; j++) {
			cli_tl_str(p.l, big + j);
			fputs(big + j, p.fp);
			cli_tl_str_left(p.l, names[len % 7], 10);
			fprintf(p.fp, "%-10s", names[len % 7]);
			cli_tl_hex_left(p.l, len, 16);
			fprintf(p.fp, "%-16zx", len);
		}
		big[len] = c;
		if (len % 5 == 0) {
			cli_tl_chr(p.l, '\n');
			fputc('\n', p.fp);
			cli_tl_end(p.l);
		}
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cli_tl_mem(p.l, "  ", 2);
		cli_tl_str_left(p.l, names[i], 10);
		cli_tl_chr(p.l, ' ');
		fprintf(p.fp, "  %-10s ", names[i]);
	}
	pair_check(&p);
}
END_TEST

static Suite *textw_suite(void)
{
	Suite *s = suite_create("textw");
	TCase *tc = tcase_create("printf");

	tcase_add_test(tc, numbers_as_printf);
	tcase_add_test(tc, strings_as_printf);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(textw_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
