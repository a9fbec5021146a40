#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/test-cppcheck.sh: cppcheck over libtce and the CLI, its checks of errors,
# warnings, style, performance and portability; one report fails the run (`make
# cppcheck` runs this alone).  A false positive is suppressed where it is reported,
# with a comment saying why ("cppcheck-suppress ID").  Not checked: variableScope,
# which asks for declarations in the innermost block, against the kernel style the
# project follows (declarations at the top of a block).  Skips (77) without cppcheck.
set -uo pipefail
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top=${abs_top_builddir:-$PWD}
if ! command -v cppcheck >/dev/null; then
	echo "SKIP: cppcheck is not installed (Debian: cppcheck)"
	exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cd "$srcdir" || exit 1
cppcheck --quiet --std=c11 --enable=warning,style,performance,portability \
	--inline-suppr --suppress=variableScope --error-exitcode=1 \
	-j "$(nproc 2>/dev/null || echo 2)" -DHAVE_CONFIG_H \
	-I "$top" -I libtce -I libtce/include -I "$top/libtce/include" \
	--template='{file}:{line}: {severity} ({id}): {message}' libtce cli >"$out" 2>&1
rc=$?
cat "$out"
if [ $rc != 0 ] || [ -s "$out" ]; then
	echo "FAIL: cppcheck $(cppcheck --version): $(grep -c ': ' "$out") reports"
	exit 1
fi
echo "$(cppcheck --version): libtce and cli, no report"
