#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz/coverage.sh TARGET...: in a build configured with --enable-fuzz=coverage (the
# current directory), replays each target's corpus ($FUZZ_CORPUS/TARGET, or the seeds
# when there is none) once with clang's source coverage, and prints the share of
# libtce's lines each reached, then all of them together (llvm-profdata, llvm-cov;
# $LLVM_PROFDATA, $LLVM_COV).  The profiles stay in fuzz/cov/.
set -euo pipefail
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
corpus=${FUZZ_CORPUS:-$PWD/fuzz/corpus}
export TCE_FUZZ_TEMPLATES=${TCE_FUZZ_TEMPLATES:-$PWD/fuzz/templates}
export LSAN_OPTIONS="suppressions=$srcdir/tests/cli/lsan-libkdumpfile.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
PROFDATA=${LLVM_PROFDATA:-llvm-profdata}
COV=${LLVM_COV:-llvm-cov}
rm -rf fuzz/cov
mkdir -p fuzz/cov
objs=()
# The lines of libtce's sources matching the regular expression $RE (relative to
# libtce/), and of those the ones missed, from llvm-cov's report: "LINES MISSED"
lines() { # PROFDATA BINARY [-object BINARY...]
	local prof=$1
	shift
	"$COV" report "$@" -instr-profile="$prof" | awk -v re="^(.*/)?libtce/($RE)" '
		$1 ~ re && NF >= 9 { l += $8; m += $9 } END { print l + 0, m + 0 }'
}
# the part of libtce each target is about
declare -A focus=([fuzz-open]="dump/" [fuzz-vmemmap]="walk/(vmemmap-list|sections)|model/|rules/"
	[fuzz-pgtable]="walk/pgtable" [fuzz-page]="walk/page-layout|model/page"
	[fuzz-tables]="walk/(discover|klist|kvm-vm|iommu-table)|model/tables|rules/(dma-freed|entry-|itmap|kvm-|level|table-)|types/modules"
	[fuzz-types]="types/")
declare -A covered inputs own
for t in "$@"; do
	dir=$corpus/$t
	if [ ! -d "$dir" ] || [ -z "$(ls -A "$dir")" ]; then
		dir=fuzz/cov/seeds-$t
		mkdir -p "$dir"
		if [ "$t" = fuzz-vmcore ]; then
			find "$TCE_FUZZ_TEMPLATES" -type f ! -name '*.*' -size -8M -exec cp {} "$dir" \;
		else
			TCE_FUZZ_SEEDS=$dir "fuzz/$t" >/dev/null 2>&1
		fi
	fi
	inputs[$t]=$(find "$dir" -type f | wc -l)
	LLVM_PROFILE_FILE="$PWD/fuzz/cov/$t-%p.profraw" "fuzz/$t" -runs=0 \
		-rss_limit_mb=4096 -max_len=100000000 "$dir" >"fuzz/cov/$t.log" 2>&1 || {
		echo "$t: replaying $dir failed (fuzz/cov/$t.log)"; exit 1; }
	"$PROFDATA" merge -sparse "fuzz/cov/$t"-*.profraw -o "fuzz/cov/$t.profdata"
	read -r l m < <(RE=. lines "fuzz/cov/$t.profdata" "fuzz/$t")
	covered[$t]=$((l - m))
	own[$t]=
	if [ -n "${focus[$t]:-}" ]; then
		read -r l m < <(RE=${focus[$t]} lines "fuzz/cov/$t.profdata" "fuzz/$t")
		own[$t]="; $((l - m)) of the $l lines of ${focus[$t]} ($(awk -v c=$((l - m)) -v l="$l" 'BEGIN { printf "%.1f%%", 100 * c / l }'))"
	fi
	objs+=("fuzz/$t")
done
# every libtce line any target links, and those all of them reach together
"$PROFDATA" merge -sparse fuzz/cov/*.profdata -o fuzz/cov/all.profdata
args=("${objs[0]}")
for o in "${objs[@]:1}"; do args+=(-object "$o"); done
read -r total missed < <(RE=. lines fuzz/cov/all.profdata "${args[@]}")
for t in "$@"; do
	awk -v t="$t" -v n="${inputs[$t]}" -v c="${covered[$t]}" -v total="$total" \
		-v own="${own[$t]}" 'BEGIN { printf "%s (%d inputs): %d of libtce'"'"'s %d lines (%.1f%%)%s\n", t, n, c, total, 100 * c / total, own }'
done
awk -v c=$((total - missed)) -v total="$total" \
	'BEGIN { printf "all together: %d of libtce'"'"'s %d lines (%.1f%%)\n", c, total, 100 * c / total }'
