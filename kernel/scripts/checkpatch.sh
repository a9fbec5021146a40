#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/scripts/checkpatch.sh: runs the pristine tree's
# scripts/checkpatch.pl --strict on every patch of the series and fails
# unless each has 0 errors, 0 warnings and 0 checks.  (SPDX checks need
# python3-ply.)
#
# A backport of an upstream commit (its message has "commit <sha>
# upstream.") is checked the same way with two types left out, each said
# on the output: UNKNOWN_COMMIT_ID, as the upstream ids it cites are
# mainline's (v6.4), in no 6.1 tree, let alone in the history-less
# pristine repository; and CAMELCASE, as upstream's identifiers (e.g.
# pSeries_pci_device_group) are kept so that later upstream fixes apply.
#
# usage: checkpatch.sh PATCHDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

patches=$(cd "$1" && pwd)
repo=$(pristine_repo)
# spdxcheck.py runs "python3": Debian's, where python3-ply is.
PATH=/usr/bin:/bin:$PATH
export PATH
bad=0
while read -r p; do
	ignore=
	if grep -Eq '^commit [0-9a-f]{40} upstream\.$' "$patches/$p"; then
		ignore="--ignore UNKNOWN_COMMIT_ID,CAMELCASE"
	fi
	# shellcheck disable=SC2086
	res=$(cd "$repo" && perl scripts/checkpatch.pl --strict --show-types \
		$ignore "$patches/$p" 2>&1) || true
	total=$(echo "$res" | grep '^total:' || true)
	echo "$p: $total${ignore:+ (backport: $ignore)}"
	case "$total" in
	"total: 0 errors, 0 warnings, 0 checks,"*) ;;
	*) echo "$res"; bad=1 ;;
	esac
	if echo "$res" | grep -q 'Traceback'; then
		echo "$res" | grep -A3 Traceback
		bad=1
	fi
done < "$patches/series"
[ "$bad" = 0 ] || die "checkpatch --strict is not clean"
note "checkpatch --strict: clean"
