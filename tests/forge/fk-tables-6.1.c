// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fk-tables.c in the 6.1 shape: the same code compiled with kernel-6.1-types.h, its
 * functions named *_6_1 (fk-tables-kernel.c calls them for a 6.1-shaped dump).
 */
#include "fk-tables.c"
