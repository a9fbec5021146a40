#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-hostile.sh [N] [SEED]: tce-inspect on N corrupted copies of the real
# sample (random bytes overwritten in the headers, the notes and the memory, some copies
# cut short), with a fixed seed so that a failure reproduces.  Every run must end (60 s
# at most), exit 0, 1 or 3, print exactly one line on stderr when it exits 3, and never
# trip the sanitizers.  Prints "N passed, N failed".
set -uo pipefail

TCE=${TCE_INSPECT:-cli/tce-inspect}
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
N=${1:-40}
SEED=${2:-20261126}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# libkdumpfile's own leaks on corrupt notes are not ours to fix (see the file)
export LSAN_OPTIONS="suppressions=$srcdir/tests/cli/lsan-libkdumpfile.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
xz -dc "$srcdir/tests/fixtures/sample-hash-hotplug.elf.xz" >"$tmp/sample"

"$PY" - "$tmp/sample" "$tmp" "$N" "$SEED" <<'PYEOF'
import random, sys
src = open(sys.argv[1], 'rb').read()
out, n, seed = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(seed)
for i in range(n):
    b = bytearray(src)
    for _ in range(rnd.choice([1, 2, 8, 64])):
        # headers and notes are where parsers break; memory is where walks do
        pos = rnd.randrange(0, 4096) if rnd.random() < 0.4 else rnd.randrange(len(b))
        b[pos] = rnd.randrange(256)
    if rnd.random() < 0.1:
        b = b[:rnd.randrange(len(b))]
    open('%s/m%03d' % (out, i), 'wb').write(b)
PYEOF

pass=0
fail=0
for f in "$tmp"/m[0-9]*; do
	for cmd in "vmemmap --format json" "page --format json" info; do
		args=($cmd)
		if [ "${args[0]}" = page ]; then args=(page "$f" 0x10 0x5000 0x6fff); else args+=("$f"); fi
		timeout 60 "$TCE" "${args[@]}" >/dev/null 2>"$tmp/err"
		rc=$?
		why=
		case $rc in
		0 | 1) ;;
		3) [ "$(wc -l <"$tmp/err")" = 1 ] || why="exit 3 with $(wc -l <"$tmp/err") stderr lines" ;;
		124) why="did not end in 60 s" ;;
		*) why="exit $rc" ;;
		esac
		grep -qE "Sanitizer|runtime error" "$tmp/err" && why="sanitizer: $(grep -m1 -E 'ERROR|runtime error' "$tmp/err")"
		if [ -z "$why" ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL: $(basename "$f") ${args[0]}: $why (seed $SEED)"
		fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
