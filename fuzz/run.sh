#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz/run.sh SECONDS TARGET...: in a fuzz build (the current directory), runs each
# libFuzzer target for SECONDS from its corpus ($FUZZ_CORPUS/TARGET; made from the
# templates' seeds when empty: fuzz/harness.h), one after the other, and from the
# inputs that once found something (fuzz/regress/TARGET/, read only: every run replays
# them first; an input names its template by position, so they hold for the templates
# fuzz/mktemplates.sh makes now).  What a target
# finds (crash, leak, sanitizer report, an input running over 20 s or over 2.5 GB)
# goes to fuzz/artifacts/TARGET/ and its log to fuzz/logs/TARGET.log.  Prints a line
# a target: runs, seconds, coverage, corpus, and "clean" or what it found.  Exit
# status 1 if any target found something.
set -uo pipefail
secs=$1
shift
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
corpus=${FUZZ_CORPUS:-$PWD/fuzz/corpus}
templates=${TCE_FUZZ_TEMPLATES:-$PWD/fuzz/templates}
export TCE_FUZZ_TEMPLATES=$templates
# libkdumpfile's own leaks on corrupt notes are not libtce's (tests/cli/lsan-libkdumpfile.supp)
export LSAN_OPTIONS="suppressions=$srcdir/tests/cli/lsan-libkdumpfile.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
mkdir -p fuzz/logs
status=0
for t in "$@"; do
	bin=fuzz/$t
	dir=$corpus/$t
	art=$PWD/fuzz/artifacts/$t
	mkdir -p "$dir" "$art"
	if [ -z "$(ls -A "$dir")" ]; then
		if [ "$t" = fuzz-vmcore ]; then
			# whole files: the templates small enough to mutate
			find "$templates" -type f ! -name '*.*' -size -8M -exec cp {} "$dir" \;
		else
			TCE_FUZZ_SEEDS=$dir "$bin" >/dev/null 2>&1 || {
				echo "$t: cannot write its seeds"; status=1; continue; }
		fi
	fi
	regress=
	[ -d "$srcdir/fuzz/regress/$t" ] && regress=$srcdir/fuzz/regress/$t
	# room for a VMCOREINFO tail beyond the largest seed (none for whole files)
	max=$(find "$dir" $regress -type f -printf '%s\n' | sort -n | tail -1)
	[ "$t" = fuzz-vmcore ] || max=$((max + 4096))
	dict=
	[ "$t" = fuzz-open ] || dict=-dict=$srcdir/fuzz/vmcoreinfo.dict
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 -max_len="$max" \
		-print_final_stats=1 -artifact_prefix="$art/" $dict "$dir" $regress \
		>"fuzz/logs/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "fuzz/logs/$t.log")
	cov=$(grep -E '^#[0-9]+.*cov: ' "fuzz/logs/$t.log" | tail -1 | sed 's/.*cov: \([0-9]*\).*corp: \([0-9]*\).*/cov \1, corpus \2/')
	if [ $rc = 0 ]; then
		verdict=clean
	else
		status=1
		verdict="FOUND: $(grep -m1 -E 'ERROR: |runtime error|SUMMARY: ' "fuzz/logs/$t.log" | cut -c1-160) (exit $rc; $(ls "$art" | tail -1))"
	fi
	echo "$t: ${runs:-0} runs in $secs s, ${cov:-no coverage line}: $verdict"
done
exit $status
