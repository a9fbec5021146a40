#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-valgrind.sh: tce-inspect under valgrind's memcheck on a few small
# dumps, every command: the embedded sample, the real radix sample, a forge dump in
# 6.12's radix shape (struct pages through the page tables) and a kdump-compressed copy
# of the sample (tests/forge/mkdiskdump).  Each run must end with its documented status
# and without one memcheck report (invalid reads or writes, uninitialised values, a
# definite leak).  valgrind cannot run what AddressSanitizer instrumented: a sanitizer
# build gives tests/cli/tce-inspect-plain (tests/cli/Makefile.inc).  Skips (77)
# without valgrind.  Prints "N passed, N failed".
set -uo pipefail

srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top=${abs_top_builddir:-$PWD}
FORGE=${TCE_FORGE:-tests/forge/tce-forge}
MKDD=${TCE_MKDISKDUMP:-$(dirname "$FORGE")/mkdiskdump}
TCE=${TCE_INSPECT:-cli/tce-inspect}
[ -x "$top/tests/cli/tce-inspect-plain" ] && TCE=$top/tests/cli/tce-inspect-plain

if ! command -v valgrind >/dev/null; then
	echo "SKIP: valgrind is not installed (Debian: valgrind)"
	exit 77
fi
# the program itself, not libtool's wrapper script around it
bin=$TCE
if head -c 2 "$bin" | grep -q '#!'; then
	bin=$(dirname "$TCE")/.libs/$(basename "$TCE")
	libdir=$(cd "$(dirname "$TCE")/../libtce/.libs" 2>/dev/null && pwd)
	export LD_LIBRARY_PATH=${libdir:+$libdir:}${LD_LIBRARY_PATH:-}
fi
if grep -aq __asan_init "$bin"; then
	echo "SKIP: $TCE is built with AddressSanitizer, which valgrind cannot run"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xz -dc "$srcdir/tests/fixtures/sample-hash-hotplug.elf.xz" >"$tmp/sample"
xz -dc "$srcdir/tests/fixtures/sample-radix.elf.xz" >"$tmp/radix"
"$FORGE" --kernel 6.12 -r hotplug "$tmp/f612" >/dev/null
"$MKDD" "$tmp/sample" "$tmp/kdump"

pass=0
fail=0
# run WHAT STATUSES ARGS...: under memcheck; a report makes valgrind exit 99
run() {
	local what=$1 want=$2 rc
	shift 2
	valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite \
		--suppressions="$srcdir/tests/cli/valgrind-libkdumpfile.supp" \
		"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	case " $want " in
	*" $rc "*)
		if grep -q '^==[0-9]*==' "$tmp/err"; then
			fail=$((fail + 1))
			echo "FAIL: $what: memcheck says:"
			head -40 "$tmp/err"
		else
			pass=$((pass + 1))
		fi ;;
	*)
		fail=$((fail + 1))
		echo "FAIL: $what: exit $rc (want $want)$([ $rc = 99 ] && echo ': memcheck reports')"
		head -40 "$tmp/err" ;;
	esac
}

run "info @sample" 0 info
run "vmemmap --format json @sample" "0 1" vmemmap --format json
run "page @sample" "0 1" page --format json @sample 0x10 0x4fff-0x5001 0x6fff
run "vmemmap radix sample" "0 1" vmemmap "$tmp/radix"
run "page 6.12 radix forge" "0 1" page "$tmp/f612" 0x100-0x10f
run "vmemmap kdump-compressed" "0 1" vmemmap "$tmp/kdump"
run "page kdump-compressed" "0 1" page "$tmp/kdump" 0x10 0x5000
run "rules" 0 rules
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
