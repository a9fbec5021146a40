/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sample dump, embedded in tce-inspect so that the demo needs no file: a trimmed
 * real vmcore of Debian's 6.1 ppc64le kernel after memory hot-add, hot-remove and
 * hot-add (tests/fixtures/README says how it was made).
 */
	.section .rodata.tce_sample, "a"
	.balign 64
	.globl tce_sample_start
	.globl tce_sample_end
	.hidden tce_sample_start
	.hidden tce_sample_end
tce_sample_start:
	.incbin TCE_SAMPLE_FILE
tce_sample_end:
	.section .note.GNU-stack, "", @progbits
