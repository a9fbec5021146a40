/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What fk.c shares with the kernel layer's other files (fk-kallsyms.c, fk-tables.c,
 * fk-dwarf.c) and nothing else: each keeps its state behind one pointer in struct fk,
 * reached through the slot functions.  Test code uses forge.h.
 */
#ifndef TCE_FORGE_FK_INT_H
#define TCE_FORGE_FK_INT_H

#include <stdio.h>

#include "forge-int.h"

struct fk_ksyms;
struct fk_tables;

struct fk_ksyms **fk_ksyms_slot(struct fk *k);
struct fk_tables **fk_tables_slot(struct fk *k);

/* fk.c: the vmemmap variable and the text symbols of a kernel with symbols */
int fk_symbols_setup(struct fk *k);

/* fk-kallsyms.c: lays the tables out in the dump (at every write, before mem_section
 * is built), and frees its state */
int fk_kallsyms_build(struct fk *k);
void fk_kallsyms_free(struct fk_ksyms *ks);

/* fk-dwarf.c: BTF in memory (fk_opts.btf) */
int fk_btf_embed(struct fk *k);

/* fk-tables.c */
void fk_tables_free(struct fk_tables *t);
/* the C definitions of module mod's variables (fk_module_dwarf_write()), its build id
 * and name */
int fk_module_source(struct fk *k, uint64_t mod, FILE *f, const char **build_id,
		     const char **name);

#endif /* TCE_FORGE_FK_INT_H */
