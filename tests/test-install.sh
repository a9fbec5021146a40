#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# libtce as a distribution ships it: installed into a scratch root, then a small outside
# program built against the installed <tce/tce.h> and libtce.pc only (no source-tree
# include path), run on the repository's hash sample.  Also checks that the library
# exports exactly the symbols libtce.map names, and that the header and the run-time
# version agree.
set -eu
: "${abs_top_builddir:?}" "${srcdir:?}"
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s -C "$abs_top_builddir" DESTDIR="$tmp/root" install-libLTLIBRARIES \
	install-tceincludeHEADERS install-nodist_tceincludeHEADERS install-pkgconfigDATA \
	>"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 1; }
pc=$(find "$tmp/root" -name libtce.pc | head -1)
[ -n "$pc" ] || { echo "FAIL: no libtce.pc installed"; exit 1; }
export PKG_CONFIG_PATH="${pc%/*}" PKG_CONFIG_SYSROOT_DIR="$tmp/root"
flags=$(pkg-config --cflags --libs libtce)
# pkg-config puts the sysroot in front of the variable too
libdir=$(pkg-config --variable=libdir libtce)

cat >"$tmp/outside.c" <<'CEOF'
#include <stdio.h>
#include <string.h>
#include <tce/tce.h>

int main(int argc, char **argv)
{
	struct tce_dump *d = tce_dump_new();
	struct tce_analysis *a = NULL;
	struct tce_vmemmap_info vi = TCE_VMEMMAP_INFO_INIT;
	int ret;

	if (argc != 2 || !d)
		return 2;
	if (strcmp(tce_version_string(), TCE_VERSION_STRING) || tce_version() != TCE_VERSION) {
		printf("version mismatch: %s\n", tce_version_string());
		return 1;
	}
	ret = tce_dump_open(d, argv[1]);
	if (!ret)
		ret = tce_analysis_new(d, &a);
	if (!ret)
		ret = tce_vmemmap_info(a, &vi);
	if (!ret)
		ret = tce_analysis_check(a);
	if (ret) {
		printf("error: %s\n", tce_errmsg(d));
		return 1;
	}
	printf("blocks %zu findings %zu first %s\n", vi.nblocks, tce_finding_count(a),
	       tce_finding(a, 0)->id);
	tce_analysis_free(a);
	tce_dump_free(d);
	return 0;
}
CEOF
# shellcheck disable=SC2086
$CC ${SAN_CFLAGS:-} -Wall -Werror -o "$tmp/outside" "$tmp/outside.c" $flags
xz -dc "$srcdir/tests/fixtures/sample-hash-hotplug.elf.xz" >"$tmp/sample.elf"
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/outside" "$tmp/sample.elf")
echo "$out"
[ "$out" = "blocks 28 findings 2 first TCE-VMEMMAP-UNORDERED" ] ||
	{ echo "FAIL: outside program: $out"; exit 1; }

# exported symbols: exactly the map's list
so=$(find "$tmp/root" -name 'libtce.so.*.*' | head -1)
nm -D --defined-only "$so" | awk '$3 !~ /^TCE_/ { sub(/@.*/, "", $3); print $3 }' | sort >"$tmp/exported"
sed -n 's/^[[:space:]]*\(tce_[a-z0-9_]*\);$/\1/p' "$srcdir/libtce/libtce.map" | sort >"$tmp/mapped"
diff "$tmp/mapped" "$tmp/exported" || { echo "FAIL: exports differ from libtce.map"; exit 1; }
# and every TCE_PUBLIC function of the header is in the map
grep -o 'tce_[a-z0-9_]*(' "$srcdir/libtce/include/tce/tce.h" | tr -d '(' | sort -u >"$tmp/declared"
comm -23 "$tmp/declared" "$tmp/mapped" | grep -v '^tce_version_code$' >"$tmp/unmapped" || true
[ ! -s "$tmp/unmapped" ] || { echo "FAIL: declared, not exported:"; cat "$tmp/unmapped"; exit 1; }
echo "PASS: outside program, $(wc -l <"$tmp/exported") exported symbols"
