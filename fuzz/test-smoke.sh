#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz/test-smoke.sh: every fuzz target builds and runs clean for a few seconds
# ($FUZZ_SMOKE_SECONDS, default 3) from its seeds, in this tree if it is a fuzz build,
# else in fuzz-build/ below it (configured on first use, as make fuzz does).  Skips
# (77) without clang and libFuzzer.  Long runs are make fuzz's, never make check's.
set -eu
secs=${FUZZ_SMOKE_SECONDS:-3}
top=${abs_top_builddir:-$PWD}
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
abs_srcdir=$(cd "$srcdir" && pwd)
# a make of our own, with the cores this machine has (make check's jobserver is not
# passed to tests)
unset MAKEFLAGS MFLAGS MAKELEVEL
make="make -j$(nproc 2>/dev/null || echo 2) --no-print-directory"
if [ -x "$top/fuzz/fuzz-open" ] || grep -q '^FUZZ_LDFLAGS = -fsanitize=fuzzer,' "$top/Makefile" 2>/dev/null; then
	dir=$top
else
	if [ -z "${CLANG:-}" ]; then
		echo "SKIP: fuzz smoke pass: no clang (Debian: clang, libclang-rt-dev)"
		exit 77
	fi
	out=$(CLANG=$CLANG MAKE="$make" abs_top_srcdir=$abs_srcdir FUZZ_CORPUS=unused \
		FUZZ_SECONDS=0 FUZZ_TARGETS= sh "$abs_srcdir/fuzz/nested.sh" fuzz-programs \
		"$top/fuzz-build" yes 2>&1) || { echo "$out" | tail -30; exit 1; }
	case $out in *skipped:*) echo "SKIP: $out" | grep skipped; exit 77 ;; esac
	dir=$top/fuzz-build
fi
cd "$dir"
$make fuzz-programs fuzz/templates >/dev/null
rm -rf fuzz/smoke-corpus
FUZZ_CORPUS=$dir/fuzz/smoke-corpus srcdir=$abs_srcdir "$abs_srcdir/fuzz/run.sh" "$secs" \
	fuzz-open fuzz-vmemmap fuzz-pgtable fuzz-page fuzz-vmcore fuzz-tables fuzz-types
