#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/test-analyzer.sh: libtce under gcc's static analyzer.  Every libtce source is
# compiled with -fanalyzer and the project's warnings as errors (WARN_CFLAGS); one
# report fails the run (`make analyze` runs this alone).  A false positive is worked
# around in the code, or silenced where it is reported with a comment saying why.
# Skips (77) without a gcc that has -fanalyzer (gcc 10 or later).
set -uo pipefail
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top=${abs_top_builddir:-$PWD}
gcc=${ANALYZER_CC:-gcc}
if ! echo 'int main(void) { return 0; }' |
	"$gcc" -fanalyzer -x c - -o /dev/null 2>/dev/null; then
	echo "SKIP: $gcc has no -fanalyzer (gcc 10 or later)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export gcc tmp
# shellcheck disable=SC2086
export flags="-std=gnu11 ${WARN_CFLAGS:--Wall -Wextra -Werror} -fanalyzer \
	-fdiagnostics-plain-output -DHAVE_CONFIG_H -I$top -I$srcdir/libtce \
	-I$srcdir/libtce/include -I$top/libtce/include ${LIBTCE_DEP_CFLAGS:-}"
(cd "$srcdir" && find libtce -name '*.c' | sort) >"$tmp/sources"
n=$(wc -l <"$tmp/sources")
# shellcheck disable=SC2016
xargs -P "$(nproc 2>/dev/null || echo 2)" -I{} sh -c '
	out=$tmp/$(echo "{}" | tr / _).log
	$gcc $flags -c "$0/{}" -o /dev/null >"$out" 2>&1 || echo "{}" >>"$tmp/failed"' \
	"$srcdir" <"$tmp/sources"
reports=$(cat "$tmp"/*.log 2>/dev/null | grep -cE '(warning|error): ')
if [ -s "$tmp/failed" ] || [ "$reports" != 0 ]; then
	cat "$tmp"/*.log
	echo "FAIL: gcc -fanalyzer: $reports reports in $(wc -l <"$tmp/failed" 2>/dev/null || echo 0) of $n libtce sources"
	exit 1
fi
echo "gcc -fanalyzer: $n libtce sources, no report"
