/*
 * `tce-inspect vmemmap`: the blocks of vmemmap_list in list order and the findings of
 * the walk and of the comparison of all translations.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "cli.h"

int cmd_vmemmap(struct cli *c)
{
	const struct tce_vmemmap *vm;
	const char *path;
	struct tce_dump *d;
	int ret, status;
	size_t i;

	if (c->nargs > 2) {
		fprintf(stderr, "tce-inspect: vmemmap takes one DUMP\n");
		return EXIT_USAGE;
	}
	d = cli_open(c, &path);
	if (!d)
		return EXIT_DUMP;
	ret = tce_vmemmap_load(d, &vm);
	if (ret && !vm->nfindings) {
		fprintf(stderr, "tce-inspect: %s: %s\n", path, tce_errmsg(d));
		tce_dump_close(d);
		return EXIT_DUMP;
	}
	status = cli_findings_status(c, vm->findings, vm->nfindings);

	if (c->json) {
		json_object *o = json_object_new_object(), *v = json_object_new_object();
		json_object *a = json_object_new_array();

		json_object_object_add(o, "dump", json_object_new_string(path));
		json_object_object_add(v, "head", cli_hex(vm->head));
		json_object_object_add(v, "block_size", json_object_new_uint64(vm->block_size));
		json_object_object_add(v, "struct_page_size",
				       json_object_new_uint64(vm->struct_page_size));
		json_object_object_add(v, "base", cli_hex(vm->base));
		json_object_object_add(v, "max_pfn", json_object_new_uint64(vm->max_pfn));
		json_object_object_add(v, "ordered", json_object_new_boolean(vm->ordered));
		json_object_object_add(v, "complete", json_object_new_boolean(vm->complete));
		json_object_object_add(v, "straddling_pages",
				       json_object_new_uint64(vm->straddling_pages));
		json_object_object_add(v, "pgtable", json_object_new_boolean(vm->pgtable_available));
		for (i = 0; i < vm->nblocks; i++) {
			json_object *b = json_object_new_object();

			json_object_object_add(b, "index", json_object_new_uint64(i));
			json_object_object_add(b, "entry", cli_hex(vm->blocks[i].entry));
			json_object_object_add(b, "virt", cli_hex(vm->blocks[i].virt));
			json_object_object_add(b, "phys", cli_hex(vm->blocks[i].phys));
			json_object_array_add(a, b);
		}
		json_object_object_add(v, "blocks", a);
		json_object_object_add(o, "vmemmap", v);
		json_object_object_add(o, "findings",
				       cli_findings_json(vm->findings, vm->nfindings));
		cli_json_print(o);
	} else {
		printf("dump:             %s\n", path);
		printf("vmemmap_list:     %zu blocks of 0x%" PRIx64 " bytes (%s, %s)\n",
		       vm->nblocks, vm->block_size,
		       vm->complete ? "NULL-terminated" : "walk stopped early",
		       vm->ordered ? "descending order" : "NOT in descending order");
		printf("struct page:      %" PRIu64 " bytes; vmemmap base 0x%" PRIx64
		       "; pfns 0-0x%" PRIx64 "\n", vm->struct_page_size, vm->base,
		       vm->max_pfn ? vm->max_pfn - 1 : 0);
		printf("straddling pages: %" PRIu64 "\n", vm->straddling_pages);
		printf("page tables:      %s\n", vm->pgtable_available ?
		       "radix, compared with vmemmap_list" :
		       "not walkable (hash MMU: vmemmap_list is the only map)");
		printf("\n  %5s  %-18s  %-18s  %-18s\n", "#", "entry", "virt", "phys");
		for (i = 0; i < vm->nblocks; i++) {
			if (c->limit && i >= c->limit) {
				printf("  ... %zu more (--limit 0 shows all)\n", vm->nblocks - i);
				break;
			}
			printf("  %5zu  0x%016" PRIx64 "  0x%016" PRIx64 "  0x%016" PRIx64 "\n", i,
			       vm->blocks[i].entry, vm->blocks[i].virt, vm->blocks[i].phys);
		}
		printf("\n");
		cli_findings_text(vm->findings, vm->nfindings);
	}
	tce_dump_close(d);
	return status;
}
