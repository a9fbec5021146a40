#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-real-samples.sh: tce-inspect against the independent oracle on the real
# samples kept in the repository (hash after hotplug, radix after hotplug, hash with a VGA,
# Debian 13's 6.12 radix with 4K pages), so that `make check` gives the same answer on every
# machine.  The full real dumps in the cache are checked by
# `make check-real` (tests/e2e/run-real.sh with no arguments).
set -uo pipefail

srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
samples=()
for s in "$srcdir"/tests/fixtures/sample-*.elf.xz; do
	n=$(basename "$s" .xz)
	xz -dc "$s" >"$tmp/$n" || exit 1
	samples+=("$tmp/$n")
done
# not exec: the EXIT trap removes the decompressed samples (exec dropped it, and every
# run left them in $TMPDIR)
bash "$srcdir/tests/e2e/run-real.sh" "${samples[@]}"
