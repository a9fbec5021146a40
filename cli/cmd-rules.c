/*
 * `tce-inspect rules`: the catalogue of findings, from the library's own table.
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int cmd_rules(struct cli *c)
{
	const struct tce_rule_doc *r;
	size_t n, i;

	r = tce_rules(&n);
	if (c->json) {
		json_object *a = json_object_new_array();

		for (i = 0; i < n; i++) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "id", json_object_new_string(r[i].id));
			json_object_object_add(o, "severity", json_object_new_string(
						       tce_severity_name(r[i].severity)));
			json_object_object_add(o, "summary", json_object_new_string(r[i].summary));
			json_object_object_add(o, "why", json_object_new_string(r[i].why));
			json_object_array_add(a, o);
		}
		cli_json_print(a);
		return EXIT_OK;
	}
	for (i = 0; i < n; i++)
		printf("%-28s %-7s %s\n    %s\n\n", r[i].id, tce_severity_name(r[i].severity),
		       r[i].summary, r[i].why);
	return EXIT_OK;
}
