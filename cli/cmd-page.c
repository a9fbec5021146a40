/*
 * `tce-inspect page DUMP PFN...`: each pfn's struct page located by every translation,
 * and its fields, decoded from what VMCOREINFO names.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static int parse_pfn(const char *s, uint64_t *pfn)
{
	char *end;

	errno = 0;
	*pfn = strtoull(s, &end, 0);
	return errno || *end || !*s || *s == '-' ? -1 : 0;
}

static json_object *page_json(struct tce_dump *d, uint64_t pfn)
{
	json_object *o = json_object_new_object(), *t = json_object_new_object();
	struct tce_page pg;
	unsigned m, b;
	int ret;

	json_object_object_add(o, "pfn", json_object_new_uint64(pfn));
	for (m = 0; m < TCE_XLAT_NUM; m++) {
		uint64_t phys;
		enum tce_xlat_status st = tce_pfn_to_page(d, m, pfn, &phys);

		json_object_object_add(t, tce_xlat_name(m), st == TCE_XS_OK ? cli_hex(phys) :
				       NULL);
		if (st != TCE_XS_OK) {
			char key[32];

			snprintf(key, sizeof(key), "%s_status", tce_xlat_name(m));
			json_object_object_add(t, key,
					       json_object_new_string(tce_xlat_status_name(st)));
		}
	}
	json_object_object_add(o, "translations", t);
	ret = tce_page_read(d, pfn, &pg);
	if (ret) {
		json_object_object_add(o, "error", json_object_new_string(tce_errmsg(d)));
		return o;
	}
	json_object_object_add(o, "vmemmap", cli_hex(pg.vmemmap));
	json_object_object_add(o, "phys", cli_hex(pg.phys));
	json_object_object_add(o, "flags", cli_hex(pg.flags));
	json_object_object_add(o, "refcount", json_object_new_int(pg.refcount));
	json_object_object_add(o, "mapcount", json_object_new_int(pg.mapcount));
	json_object_object_add(o, "compound_head", cli_hex(pg.compound_head));
	json_object_object_add(o, "mapping", cli_hex(pg.mapping));
	json_object_object_add(o, "private", cli_hex(pg.private_));
	if (pg.decoded & TCE_PF_TAIL)
		json_object_object_add(o, "head_pfn", pg.head_pfn == TCE_NO_PFN ? NULL :
				       json_object_new_uint64(pg.head_pfn));
	if (pg.compound_order >= 0)
		json_object_object_add(o, "compound_order",
				       json_object_new_int(pg.compound_order));
	{
		json_object *set = json_object_new_array(), *unk = json_object_new_array();

		for (b = 0; b < TCE_PF_COUNT; b++) {
			if (!(pg.known & (1u << b)))
				json_object_array_add(unk, json_object_new_string(
							      tce_page_flag_name(b)));
			else if (pg.decoded & (1u << b))
				json_object_array_add(set, json_object_new_string(
							      tce_page_flag_name(b)));
		}
		json_object_object_add(o, "decoded", set);
		json_object_object_add(o, "unknown", unk);
	}
	return o;
}

static void page_text(struct tce_dump *d, uint64_t pfn)
{
	struct tce_page pg;
	unsigned m, b;

	printf("pfn 0x%" PRIx64 " (%" PRIu64 ")\n", pfn, pfn);
	for (m = 0; m < TCE_XLAT_NUM; m++) {
		uint64_t phys;
		enum tce_xlat_status st = tce_pfn_to_page(d, m, pfn, &phys);

		if (st == TCE_XS_OK)
			printf("  %-9s 0x%" PRIx64 "\n", tce_xlat_name(m), phys);
		else
			printf("  %-9s %s\n", tce_xlat_name(m), tce_xlat_status_name(st));
	}
	if (tce_page_read(d, pfn, &pg)) {
		printf("  struct page: %s\n", tce_errmsg(d));
		return;
	}
	printf("  vmemmap   0x%" PRIx64 "\n", pg.vmemmap);
	printf("  flags     0x%" PRIx64 " [", pg.flags);
	for (b = 0, m = 0; b < TCE_PF_COUNT; b++)
		if (pg.decoded & (1u << b))
			printf("%s%s", m++ ? " " : "", tce_page_flag_name(b));
	printf("]");
	for (b = 0, m = 0; b < TCE_PF_COUNT; b++)
		if (!(pg.known & (1u << b)))
			printf("%s%s", m++ ? " " : " unknown: ", tce_page_flag_name(b));
	printf("\n  _refcount %d\n  _mapcount %d\n", pg.refcount, pg.mapcount);
	printf("  compound_head 0x%" PRIx64, pg.compound_head);
	if ((pg.decoded & TCE_PF_TAIL) && pg.head_pfn != TCE_NO_PFN)
		printf(" (tail of pfn 0x%" PRIx64 ")", pg.head_pfn);
	if (pg.compound_order >= 0)
		printf(" (head, order %d)", pg.compound_order);
	printf("\n  mapping   0x%" PRIx64 "\n  private   0x%" PRIx64 "\n", pg.mapping,
	       pg.private_);
}

int cmd_page(struct cli *c)
{
	const struct tce_vmemmap *vm;
	const char *path;
	struct tce_dump *d;
	json_object *a = NULL;
	uint64_t pfn;
	int i;

	if (c->nargs < 3) {
		fprintf(stderr, "tce-inspect: page needs a DUMP and at least one PFN\n");
		return EXIT_USAGE;
	}
	for (i = 2; i < c->nargs; i++) {
		if (parse_pfn(c->args[i], &pfn)) {
			fprintf(stderr, "tce-inspect: '%s' is not a pfn\n", c->args[i]);
			return EXIT_USAGE;
		}
	}
	d = cli_open(c, &path);
	if (!d)
		return EXIT_DUMP;
	if (tce_vmemmap_load(d, &vm) && !vm->nblocks) {
		fprintf(stderr, "tce-inspect: %s: %s\n", path, tce_errmsg(d));
		tce_dump_close(d);
		return EXIT_DUMP;
	}
	if (c->json)
		a = json_object_new_array();
	for (i = 2; i < c->nargs; i++) {
		parse_pfn(c->args[i], &pfn);
		if (c->json)
			json_object_array_add(a, page_json(d, pfn));
		else
			page_text(d, pfn);
	}
	if (c->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "dump", json_object_new_string(path));
		json_object_object_add(o, "pages", a);
		cli_json_print(o);
	}
	tce_dump_close(d);
	return EXIT_OK;
}
