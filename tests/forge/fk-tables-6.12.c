// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fk-tables.c in the 6.12 shape: the same code compiled with kernel-6.12-types.h, its
 * functions named *_6_12 (fk-tables-kernel.c calls them for a 6.12-shaped dump).
 */
#define FK_TABLES_6_12 1
#include "fk-tables.c"
