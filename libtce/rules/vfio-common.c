// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the rules about VFIO's SPAPR TCE v2 state share: they apply only where the dump
 * holds a table VFIO made (it_userspace set), whose model (model/vfio.c) the pass over
 * the tables filled.
 */
#include "config.h"

#include "model/vfio.h"
#include "rules/rules.h"

int tce_rule_vfio_absent(struct rule_ctx *c)
{
	const struct vfio_model *v = c->m->vfio;

	if (v && v->ntables)
		return 0;
	tce_rule_not_applicable(c, "the dump holds no TCE table VFIO made (none has "
				"it_userspace)");
	return 1;
}
