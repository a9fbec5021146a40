#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/check-sample-radix.sh: check-sample.sh on the repo's radix sample
# (tests/fixtures/sample-radix.elf.xz against sample-radix.json, the oracle's ground truth
# with the radix page-table translation of every pfn).  Run by `make check`.
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
export srcdir
exec "$srcdir/tests/e2e/check-sample.sh" "$srcdir/tests/fixtures/sample-radix.elf.xz" \
	"$srcdir/tests/fixtures/sample-radix.json"
