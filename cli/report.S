/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The script and style of check --format html (cli/report.js, cli/report.css),
 * embedded in tce-inspect: the page it writes needs no file beside it.
 */
	.section .rodata.tce_report, "a"
	.globl tce_report_js_start
	.globl tce_report_js_end
	.globl tce_report_css_start
	.globl tce_report_css_end
	.hidden tce_report_js_start
	.hidden tce_report_js_end
	.hidden tce_report_css_start
	.hidden tce_report_css_end
tce_report_js_start:
	.incbin TCE_REPORT_JS
tce_report_js_end:
tce_report_css_start:
	.incbin TCE_REPORT_CSS
tce_report_css_end:
	.section .note.GNU-stack, "", @progbits
