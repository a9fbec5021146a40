// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `tce-inspect vmemmap`: the blocks of vmemmap_list in list order, then every rule's
 * outcome (tce_analysis_check()): the findings, the rules that could not decide or do
 * not apply, and a summary.  A walk that cannot start is the TCE-VMEMMAP-MISSING
 * finding, so it exits 1 (findings), not 3.  The JSON document's blocks array grows
 * with what the dump claims (a corrupt list of a million entries made 1.4 GB of json-c
 * objects): it is printed one block at a time, in the bytes json-c would print.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_BLOCK_LIMIT 64
/* stands for the blocks array in the document until it is printed (a string value,
 * so that in the printed document it follows the key's unescaped quotes, which no
 * string's contents can hold) */
#define BLOCKS_MARK "@tce-inspect blocks@"
#define BLOCKS_KEY "\"blocks\": "
/* the flags cli_json_print() prints with */
#define JSON_FLAGS \
	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

/* One block's object, made once and refilled for each block. */
struct block_obj {
	json_object *o, *index, *entry, *virt, *phys;
};

static void block_obj_init(struct block_obj *bo)
{
	bo->o = json_object_new_object();
	json_object_object_add(bo->o, "index", bo->index = json_object_new_uint64(0));
	json_object_object_add(bo->o, "entry", bo->entry = cli_hex(0));
	json_object_object_add(bo->o, "virt", bo->virt = cli_hex(0));
	json_object_object_add(bo->o, "phys", bo->phys = cli_hex(0));
}

static void set_hex(json_object *o, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	json_object_set_string(o, buf);
}

static const char *block_obj_text(struct block_obj *bo, size_t i,
				  const struct tce_vmemmap_block *b)
{
	json_object_set_uint64(bo->index, i);
	set_hex(bo->entry, b->entry);
	set_hex(bo->virt, b->virt);
	set_hex(bo->phys, b->phys);
	return json_object_to_json_string_ext(bo->o, JSON_FLAGS);
}

/* The vmemmap object; its "blocks" is BLOCKS_MARK when there are blocks to print. */
static json_object *vmemmap_json(const struct tce_vmemmap_info *vi, const char *why)
{
	json_object *v = json_object_new_object();

	/* why the walk could not start; null when it ran */
	json_object_object_add(v, "error", why ? json_object_new_string(why) : NULL);
	if (why) {
		json_object_object_add(v, "blocks", json_object_new_array());
		return v;
	}
	json_object_object_add(v, "head", cli_hex(vi->head));
	/* null: no block size (an empty list, or one that needs none) */
	json_object_object_add(v, "block_size", vi->block_size ?
			       json_object_new_uint64(vi->block_size) : NULL);
	json_object_object_add(v, "struct_page_size",
			       json_object_new_uint64(vi->struct_page_size));
	json_object_object_add(v, "base", vi->base ? cli_hex(vi->base) : NULL);
	json_object_object_add(v, "base_from_sections",
			       json_object_new_boolean(vi->base_from_sections));
	json_object_object_add(v, "base_source", vi->base ? json_object_new_string(
				       tce_base_source_name(vi->base_source)) : NULL);
	json_object_object_add(v, "source", json_object_new_string(
				       tce_vmemmap_source_name(vi->source)));
	json_object_object_add(v, "source_error", vi->why ?
			       json_object_new_string(vi->why) : NULL);
	json_object_object_add(v, "max_pfn", cli_hex(vi->max_pfn));
	json_object_object_add(v, "nblocks", json_object_new_uint64(vi->nblocks));
	json_object_object_add(v, "complete", json_object_new_boolean(vi->complete));
	json_object_object_add(v, "ordered", json_object_new_boolean(vi->ordered));
	json_object_object_add(v, "pgtable", json_object_new_boolean(vi->pgtable));
	json_object_object_add(v, "mmu", vi->mmu == TCE_MMU_UNKNOWN ? NULL :
			       json_object_new_string(tce_mmu_name(vi->mmu)));
	json_object_object_add(v, "blocks", vi->nblocks ?
			       json_object_new_string(BLOCKS_MARK) :
			       json_object_new_array());
	return v;
}

/* Prints lines of text, each after indent spaces. */
static void print_indented(const char *text, int indent)
{
	static const char spaces[] = "                                ";
	const char *nl;
	int n;

	for (;;) {
		nl = strchr(text, '\n');
		for (n = indent; n > 0; n -= sizeof(spaces) - 1)
			fwrite(spaces, 1, n < (int)sizeof(spaces) - 1 ? n :
			       (int)sizeof(spaces) - 1, stdout);
		if (!nl)
			break;
		fwrite(text, 1, nl + 1 - text, stdout);
		text = nl + 1;
	}
	fputs(text, stdout);
}

/*
 * Prints document o (and frees it) as cli_json_print() does, the blocks in place of
 * BLOCKS_MARK: a pretty-printed array of the blocks' objects, as json-c prints one,
 * is "[", then each element on its own lines indented one level deeper than the
 * key, separated by ",", then "]" at the key's indentation.
 */
static void vmemmap_json_print(json_object *o, const struct tce_analysis *a)
{
	const char *s = json_object_to_json_string_ext(o, JSON_FLAGS), *at, *line;
	const struct tce_vmemmap_block *b;
	struct block_obj bo;
	size_t i;
	int indent;

	at = strstr(s, BLOCKS_KEY "\"" BLOCKS_MARK "\"");
	if (!at) {
		/* no blocks: the document as it is */
		puts(s);
		json_object_put(o);
		return;
	}
	for (line = at; line > s && line[-1] == ' '; line--)
		;
	indent = at - line;
	at += strlen(BLOCKS_KEY);
	printf("%.*s[\n", (int)(at - s), s);
	block_obj_init(&bo);
	for (i = 0; (b = tce_vmemmap_block(a, i)) != NULL; i++) {
		if (i)
			fputs(",\n", stdout);
		print_indented(block_obj_text(&bo, i, b), indent + 2);
	}
	json_object_put(bo.o);
	printf("\n%*s]", indent, "");
	puts(at + strlen("\"" BLOCKS_MARK "\""));
	json_object_put(o);
}

static void vmemmap_text(const struct cli *c, const struct tce_analysis *a,
			 const struct tce_vmemmap_info *vi)
{
	uint64_t limit = c->given & CLI_OPT_LIMIT ? c->limit : DEFAULT_BLOCK_LIMIT;
	const struct tce_vmemmap_block *b;
	size_t i;

	if (!vi->list_walked)
		printf("vmemmap_list:     not walked (the radix page tables map the "
		       "vmemmap)\n");
	else if (!vi->nblocks)
		printf("vmemmap_list:     empty%s\n", vi->complete ? "" :
		       " (the first entry cannot be read)");
	else
		printf("vmemmap_list:     %zu block%s of 0x%" PRIx64 " bytes (%s, %s)\n",
		       vi->nblocks, vi->nblocks == 1 ? "" : "s", vi->block_size,
		       vi->complete ? "NULL-terminated" : "walk stopped early",
		       vi->ordered ? "descending order" : "NOT in descending order");
	printf("struct page:      %" PRIu64 " bytes; ", vi->struct_page_size);
	if (vi->base)
		printf("vmemmap base 0x%" PRIx64 " (from %s); ", vi->base,
		       vi->base_source == TCE_BASE_VMCOREINFO ? "VMCOREINFO SYMBOL(vmemmap)" :
		       vi->base_source == TCE_BASE_SECTIONS ? "mem_section" : "the blocks");
	else
		printf("vmemmap base unknown; ");
	if (vi->max_pfn)
		printf("pfns 0-0x%" PRIx64 "\n", vi->max_pfn - 1);
	else
		printf("no pfns\n");
	printf("page tables:      %s\n",
	       vi->source == TCE_VMEMMAP_SRC_PGTABLE ? "radix: the vmemmap's only map (the "
	       "kernel keeps no vmemmap_list)" :
	       vi->pgtable ? "radix, compared with vmemmap_list" :
	       vi->mmu == TCE_MMU_HASH ? "not walkable (hash MMU: vmemmap_list is the only map)" :
	       vi->mmu == TCE_MMU_RADIX ? "radix, but they give no map of the vmemmap (they "
	       "map none, or their pages are not in the dump)" :
	       "not walkable (MMU unknown)");
	if (vi->source == TCE_VMEMMAP_SRC_NONE)
		printf("struct pages:     CANNOT BE LOCATED: %s\n", vi->why);
	else
		printf("struct pages:     read through %s\n",
		       tce_vmemmap_source_name(vi->source));
	if (vi->nblocks) {
		printf("\n  %5s  %-18s  %-18s  %s\n", "#", "entry", "virt", "phys");
		for (i = 0; (b = tce_vmemmap_block(a, i)) != NULL; i++) {
			if (limit && i >= limit) {
				printf("  ... %zu more (--limit 0 shows all)\n", vi->nblocks - i);
				break;
			}
			printf("  %5zu  0x%016" PRIx64 "  0x%016" PRIx64 "  0x%016" PRIx64 "\n",
			       i, b->entry, b->virt, b->phys);
		}
	}
}

int cmd_vmemmap(struct cli *c)
{
	struct tce_vmemmap_info vi = TCE_VMEMMAP_INFO_INIT;
	char why[512] = "";
	struct cli_dump cd;
	unsigned r;
	int ret, status;

	ret = cli_open(c->nargs ? c->args[0] : NULL, &cd);
	if (ret)
		return ret;
	ret = tce_vmemmap_info(cd.a, &vi);
	if (ret == -TCE_ENOMEM || ret == -TCE_EIO || ret == -TCE_EINVAL) {
		ret = cli_dump_error(&cd);
		cli_close(&cd);
		return ret;
	}
	/* the walk cannot start: the check says why, as a finding */
	if (ret)
		snprintf(why, sizeof(why), "%s", tce_errmsg(cd.d));
	/* the vmemmap's rules only: check runs the tables' too */
	for (r = 0; r < TCE_RULE_COUNT; r++)
		if (tce_rule(r)->area != TCE_AREA_VMEMMAP)
			tce_analysis_enable(cd.a, r, false);
	if (tce_analysis_check(cd.a)) {
		ret = cli_dump_error(&cd);
		cli_close(&cd);
		return ret;
	}
	status = cli_findings_status(c, cd.a);

	if (c->format == CLI_JSON) {
		json_object *o = cli_json_doc(cd.name);

		json_object_object_add(o, "vmemmap", vmemmap_json(&vi, why[0] ? why : NULL));
		json_object_object_add(o, "findings", cli_findings_json(cd.a));
		json_object_object_add(o, "rules", cli_outcomes_json(cd.a));
		vmemmap_json_print(o, cd.a);
	} else {
		printf("dump:             %s\n", cd.name);
		if (!strncmp(why, "vmemmap_list ", 13))
			printf("vmemmap_list:     %s\n", why + 13);
		else if (why[0])
			printf("vmemmap_list:     not walked: %s\n", why);
		else
			vmemmap_text(c, cd.a, &vi);
		printf("\n");
		cli_findings_text(cd.a);
		printf("\n");
		cli_outcomes_text(cd.a);
	}
	cli_close(&cd);
	return status;
}
