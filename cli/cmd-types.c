// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `tce-inspect types DUMP [QUERY...]`: where the dump's type information comes from,
 * and the answers to symbol, size and member queries, as the TCE-table walkers will
 * ask them.  A query nobody answers is listed with the reason (exit 1).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum query_kind { Q_SYMBOL, Q_SIZE, Q_MEMBER };

struct answer {
	enum query_kind kind;
	int err;
	char errmsg[512];
	uint64_t value, size;
};

/* "struct kvm.arch.x" -> type "struct kvm", path "arch.x" */
static void ask(struct cli_dump *cd, const char *q, struct answer *a)
{
	char type[256];
	const char *dot = NULL;

	memset(a, 0, sizeof(*a));
	if (!strncmp(q, "struct ", 7) || !strncmp(q, "union ", 6) || !strncmp(q, "enum ", 5))
		dot = strchr(q, '.');
	if (dot && (size_t)(dot - q) < sizeof(type)) {
		memcpy(type, q, dot - q);
		type[dot - q] = '\0';
		a->kind = Q_MEMBER;
		a->err = tce_analysis_member(cd->a, type, dot + 1, &a->value, &a->size);
	} else if (q[0] && (strchr(q, ' ') || !strncmp(q, "struct", 6))) {
		a->kind = Q_SIZE;
		a->err = tce_analysis_type_size(cd->a, q, &a->value);
	} else {
		a->kind = Q_SYMBOL;
		a->err = tce_analysis_symbol(cd->a, q, &a->value);
	}
	if (a->err)
		snprintf(a->errmsg, sizeof(a->errmsg), "%s", tce_errmsg(cd->d));
}

/* Each module on the dump's modules list, and where its type information comes from */
static json_object *modules_json(const struct tce_types_info *ti)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < ti->nmodules; i++) {
		const struct tce_module_info *m = &ti->modules[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(m->name));
		json_object_object_add(o, "address", cli_hex(m->addr));
		json_object_object_add(o, "build_id", m->build_id ?
				       json_object_new_string(m->build_id) : NULL);
		json_object_object_add(o, "sections", json_object_new_uint64(m->sections));
		json_object_object_add(o, "kallsyms", json_object_new_uint64(m->kallsyms));
		json_object_object_add(o, "dwarf_path", m->dwarf_path ?
				       json_object_new_string(m->dwarf_path) : NULL);
		json_object_object_add(o, "dwarf_how", m->dwarf_how ?
				       json_object_new_string(m->dwarf_how) : NULL);
		json_object_object_add(o, "note", m->note ? json_object_new_string(m->note) :
				       NULL);
		json_object_array_add(a, o);
	}
	return a;
}

static void modules_text(const struct tce_types_info *ti)
{
	size_t i;

	if (!ti->nmodules) {
		printf("modules:    none read%s%s\n", ti->no_modules ? ": " : "",
		       ti->no_modules ? ti->no_modules : "");
		return;
	}
	printf("modules:    %zu on the list%s%s\n", ti->nmodules,
	       ti->no_modules ? "; " : "", ti->no_modules ? ti->no_modules : "");
	for (i = 0; i < ti->nmodules; i++) {
		const struct tce_module_info *m = &ti->modules[i];

		printf("  %-20s 0x%" PRIx64 " build id %s, %zu sections, %zu kallsyms\n",
		       m->name, m->addr, m->build_id ? m->build_id : "unknown", m->sections,
		       m->kallsyms);
		if (m->dwarf_path)
			printf("  %-20s DWARF %s (%s)\n", "", m->dwarf_path, m->dwarf_how);
		if (m->note)
			printf("  %-20s %s\n", "", m->note);
	}
}

int cmd_types(struct cli *c)
{
	struct tce_types_info ti;
	struct cli_dump cd;
	json_object *o = NULL, *qs = NULL;
	int ret, status = EXIT_OK;
	size_t i;

	ret = cli_open(c->args[0], &cd);
	if (ret)
		return ret;
	ret = cli_types(c, &cd, &ti);
	if (ret) {
		cli_close(&cd);
		return ret;
	}
	if (c->format == CLI_JSON) {
		o = cli_json_doc(cd.name);
		qs = json_object_new_array();
		json_object_object_add(o, "dwarf", json_object_new_boolean(ti.dwarf));
		json_object_object_add(o, "dwarf_path", ti.dwarf_path ?
				       json_object_new_string(ti.dwarf_path) : NULL);
		json_object_object_add(o, "dwarf_how", ti.dwarf_how ?
				       json_object_new_string(ti.dwarf_how) : NULL);
		json_object_object_add(o, "no_dwarf", ti.no_dwarf ?
				       json_object_new_string(ti.no_dwarf) : NULL);
		json_object_object_add(o, "btf", json_object_new_boolean(ti.btf));
		json_object_object_add(o, "btf_what", ti.btf_what ?
				       json_object_new_string(ti.btf_what) : NULL);
		json_object_object_add(o, "no_btf", ti.no_btf ?
				       json_object_new_string(ti.no_btf) : NULL);
		json_object_object_add(o, "providers", json_object_new_string(ti.providers));
		json_object_object_add(o, "modules", modules_json(&ti));
		json_object_object_add(o, "no_modules", ti.no_modules ?
				       json_object_new_string(ti.no_modules) : NULL);
	} else {
		printf("dump:       %s\n", cd.name);
		if (ti.dwarf)
			printf("DWARF:      %s (%s; its build id is the dump's)\n", ti.dwarf_path,
			       ti.dwarf_how);
		else
			printf("DWARF:      none: %s\n", ti.no_dwarf);
		if (ti.btf)
			printf("BTF:        %s\n", ti.btf_what);
		else
			printf("BTF:        none: %s\n", ti.no_btf);
		printf("answers:    %s\n", ti.providers);
		modules_text(&ti);
		if (c->nargs > 1)
			printf("\n");
	}
	for (i = 1; i < c->nargs; i++) {
		struct answer a;

		ask(&cd, c->args[i], &a);
		if (a.err == -TCE_ENOMEM || a.err == -TCE_EIO) {
			json_object_put(o);
			json_object_put(qs);
			ret = cli_dump_error(&cd);
			cli_close(&cd);
			return ret;
		}
		if (a.err)
			status = EXIT_FINDINGS;
		if (c->format == CLI_JSON) {
			json_object *q = json_object_new_object();

			json_object_object_add(q, "query", json_object_new_string(c->args[i]));
			json_object_object_add(q, "kind", json_object_new_string(
						       a.kind == Q_SYMBOL ? "symbol" :
						       a.kind == Q_SIZE ? "size" : "member"));
			json_object_object_add(q, "error", a.err ?
					       json_object_new_string(a.errmsg) : NULL);
			if (a.kind == Q_SYMBOL)
				json_object_object_add(q, "address", a.err ? NULL :
						       cli_hex(a.value));
			else if (a.kind == Q_SIZE)
				json_object_object_add(q, "size", a.err ? NULL :
						       json_object_new_uint64(a.value));
			else {
				json_object_object_add(q, "offset", a.err ? NULL :
						       json_object_new_uint64(a.value));
				json_object_object_add(q, "size", a.err || !a.size ? NULL :
						       json_object_new_uint64(a.size));
			}
			json_object_array_add(qs, q);
		} else if (a.err) {
			printf("%-40s unknown: %s\n", c->args[i], a.errmsg);
		} else if (a.kind == Q_SYMBOL) {
			printf("%-40s 0x%" PRIx64 "\n", c->args[i], a.value);
		} else if (a.kind == Q_SIZE) {
			printf("%-40s size %" PRIu64 "\n", c->args[i], a.value);
		} else if (a.size) {
			printf("%-40s offset %" PRIu64 ", size %" PRIu64 "\n", c->args[i], a.value,
			       a.size);
		} else {
			printf("%-40s offset %" PRIu64 "\n", c->args[i], a.value);
		}
	}
	if (o) {
		json_object_object_add(o, "queries", qs);
		cli_json_print(o);
	}
	cli_close(&cd);
	return status;
}
