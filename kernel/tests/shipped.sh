#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/tests/shipped.sh: prints named top-level definitions of an existing
# kernel file as the series leaves it, for the host tests to compile: the
# pristine 6.1 file (tests/linux-6.1/FILE, checked against the 6.1 source by
# test-series.sh) with every hunk of kernel/series/NNNN.diff for FILE applied
# by patch(1).  So the tests build the series' own lines, never a copy of
# them: break a hunk in series/ and the test that uses it breaks.
#
# usage: shipped.sh KERNEL_SRCDIR FILE NAME...
#   NAME is a function (the definition from its first line, which holds
#   "NAME(", to the closing "}" in column 0) or a variable (its one-line
#   definition).  Definitions come out in file order.
set -eu
d=$1
f=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/a/$(dirname "$f")"
cp "$d/tests/linux-6.1/$f" "$tmp/a/$f"
for diff in "$d"/series/[0-9][0-9][0-9][0-9].diff; do
	awk -v want="a/$f" '
		/^diff --git / { keep = ($3 == want) }
		keep { print }
	' "$diff" > "$tmp/hunks"
	if [ -s "$tmp/hunks" ]; then
		(cd "$tmp/a" && patch -s -p1 --no-backup-if-mismatch -F0 \
			< "$tmp/hunks") ||
			{ echo "shipped.sh: $(basename "$diff") does not apply to $f" >&2; exit 1; }
	fi
done
names=" $* "
awk -v names="$names" -v file="$f" '
	function named(line,   n, i, w) {
		n = split(names, w, " ")
		for (i = 1; i <= n; i++) {
			if (w[i] == "")
				continue
			if (index(line, w[i] "(") && match(line, "(^|[^A-Za-z0-9_])" w[i] "\\("))
				return w[i]
			if (line ~ ("[ *]" w[i] "( = [^;]*)?;$") && line !~ /\(/)
				return w[i]
		}
		return ""
	}
	BEGIN { printf "/* From %s as the series leaves it (tests/shipped.sh). */\n", file }
	infn { print; if ($0 == "}") infn = 0; next }
	/^[A-Za-z_]/ && !/^(extern|EXPORT_|#)/ {
		n = named($0)
		if (n != "") {
			found[n] = 1
			printf "#line %d \"%s\"\n", NR, file
			print
			if ($0 !~ /;$/)
				infn = 1
		}
	}
	END {
		k = split(names, w, " ")
		for (i = 1; i <= k; i++)
			if (w[i] != "" && !(w[i] in found)) {
				printf "shipped.sh: %s not found in %s\n", w[i], file > "/dev/stderr"
				bad = 1
			}
		exit bad
	}
' "$tmp/a/$f"
