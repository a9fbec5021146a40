#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz/nested.sh TARGET DIR ENABLE: makes TARGET in DIR, a tree below this one
# configured with CC=clang --enable-fuzz=ENABLE (made on first use), passing
# FUZZ_CORPUS, FUZZ_SECONDS and FUZZ_TARGETS on; says it skips (status 0) without
# clang.  Run by make fuzz and make fuzz-coverage in a tree that is not the kind
# they need.
set -eu
target=$1 dir=$2 enable=$3
if [ -z "${CLANG:-}" ]; then
	echo "make ${target%-run}: skipped: needs clang with libFuzzer (Debian: clang, libclang-rt-dev)"
	exit 0
fi
probe=$(mktemp -d)
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\n%s\n' \
	'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }' \
	>"$probe/p.c"
if ! "$CLANG" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>"$probe/err"; then
	echo "make ${target%-run}: skipped: $CLANG cannot link a libFuzzer target (Debian: libclang-rt-dev): $(head -1 "$probe/err")"
	rm -rf "$probe"
	exit 0
fi
rm -rf "$probe"
# configure refuses a second build of a source tree configured in place
if [ -f "$abs_top_srcdir/config.status" ] && [ ! -f "$dir/Makefile" ]; then
	echo "make ${target%-run}: skipped: the source tree is configured in place, and a fuzz build needs a tree of its own: build out of tree (mkdir build && cd build && ../configure) to fuzz"
	exit 0
fi
mkdir -p "$dir"
cd "$dir"
if [ ! -f Makefile ]; then
	echo "make ${target%-run}: configuring $dir with $CLANG --enable-fuzz=$enable"
	"$abs_top_srcdir/configure" --quiet CC="$CLANG" --enable-fuzz="$enable"
fi
exec ${MAKE:-make} "$target" FUZZ_CORPUS="$FUZZ_CORPUS" FUZZ_SECONDS="$FUZZ_SECONDS" \
	FUZZ_TARGETS="$FUZZ_TARGETS"
