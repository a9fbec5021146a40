/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What forge.c offers fk.c and nothing else: the VMCOREINFO text the kernel layer
 * regenerates before every write (so that writing a dump twice does not repeat it),
 * and RAM that grows at either end (kernel data grows up, vmemmap backing is taken
 * top-down like memblock does) while staying one PT_LOAD.  Test code uses forge.h.
 */
#ifndef TCE_FORGE_INT_H
#define TCE_FORGE_INT_H

#include "forge.h"

/* Replaces the kernel layer's VMCOREINFO text, which precedes the lines added with
 * forge_vmcoreinfo(). */
int forge_set_kernel_vmcoreinfo(struct forge *f, const char *text);

/* Adds [phys, phys+size) to the dump; where it touches an existing region it extends
 * that region instead of adding a PT_LOAD.  Overlap is an error. */
int forge_add_ram_merge(struct forge *f, uint64_t phys, uint64_t size);

/* Sets the error message (printf format); always returns -1. */
int forge_fail(struct forge *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* TCE_FORGE_INT_H */
