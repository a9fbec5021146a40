#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/scale-bench.sh (make bench-scale): `tce-inspect check` at host scale (issue 16),
# on the forge's scale profile (tce-forge --scale: 1M, 4M, 16M valid TCEs on a
# 1 TiB host) and on the real pnv-kvm-16m dump when it is cached.  For each dump it runs
# (a) tce-inspect check, (b) the floor: bench/scale-floor reading through libkdumpfile
# the ranges the forge's manifest lists (what the check must read); a real dump has no
# manifest, so its floor reads the blocks a first, untimed check read, recorded by
# tests/e2e/readtrace.c (READTRACE_PAGES; bench/check-floor.sh does the same for any
# dump, best of 3, in CPU time), (c) THE COMPARISON
# BASELINE: bench/scale-drgn.py, the same checks written as a drgn user would (also on
# the real dump), and prints wall time, valid entries/s, peak RSS (each child's
# ru_maxrss), CPU time (a check splits a big table over two threads: more CPU than wall)
# and the ratios check/floor and drgn/check (wall), then how each grows from the
# smallest size to the largest.
# Run it from a build without sanitizers (configure's default; --disable-sanitizers).
# Dumps are generated once into $TCE_SCALE_CACHE (default
# ~/.cache/tce-inspect/scale/v<FORGE_SCALE_VERSION>), never into the tree.  Sizes: the
# arguments (default 1m 4m 16m); BENCH_SCALE_DRGN=0 skips drgn; BENCH_SCALE_MMU=hash
# for 16M vmemmap blocks; BENCH_SCALE_CUT=0 skips the largest size cut into 64 KiB
# PT_LOADs; BENCH_REAL_DUMP and BENCH_REAL_DEBUG_DIR name another real dump
# and its debug tree; TCE_INSPECT=PATH measures another tce-inspect.  Timings on a shared
# 2-core machine are noisy (single runs of one check varied 1.5x, and two runs of this
# bench with three each read 1.11x and 1.58x for the 16M profile): check and floor run
# BENCH_SCALE_RUNS times (default 5) and the least wall and CPU time of each count, as
# bench/check-floor.sh's; drgn, whose runs take minutes, runs once.
set -eu
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
sizes=${*:-1m 4m 16m}
mmu=${BENCH_SCALE_MMU:-radix}
ver=$(sed -n 's/^#define FORGE_SCALE_VERSION \([0-9]*\).*/\1/p' "$top_srcdir/tests/forge/scale.h")
cache=${TCE_SCALE_CACHE:-$HOME/.cache/tce-inspect/scale/v$ver}
drgn=${BENCH_SCALE_DRGN:-1}
# the drgn baseline needs python3-drgn (Debian's python3, not a virtualenv's)
/usr/bin/python3 -c 'import drgn' 2>/dev/null || drgn=0
TCE=${TCE_INSPECT:-cli/tce-inspect}
. "$top_srcdir/bench/uninstalled.sh"
uninstalled TCE
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

runs=${BENCH_SCALE_RUNS:-5}
# run N NAME CMD...: the least wall seconds of N runs (to the millisecond: GNU time's %e
# says 0.00 for the 1M floor, and its ratio n/a), the largest peak RSS (KiB, the child's
# ru_maxrss) and the least CPU seconds (user + sys: a check splits a big table over two
# threads) into $out/NAME.t, by bench/timed.py
run() {
	n=$1
	name=$2
	shift 2
	/usr/bin/python3 "$top_srcdir/bench/timed.py" "$n" "$out/$name.out" "$out/$name.err" "$@" |
		awk '{ print $2, $3, $1 }' >"$out/$name.t" || true
}
field() { tail -n 1 "$out/$1.t" | cut -d" " -f"$2"; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }'; }
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0)
		printf "%.2f", a / b; else print "n/a" }'
}

printf '%-14s %-6s %9s %12s %9s %7s\n' dump what wall_s entries/s rss_MiB cpu_s
summary=""
for size in $sizes; do
	d="$cache/$mmu-$size"
	if [ ! -s "$d/manifest" ]; then
		mkdir -p "$d"
		r=; [ "$mmu" = radix ] && r=--radix
		nice tests/forge/tce-forge --scale "$size" $r -V "$d/vmlinux" -M "$d/manifest.tmp" \
			"$d/vmcore.elf" && mv "$d/manifest.tmp" "$d/manifest"
	fi
	valid=$(sed -n 's/^# valid \([0-9]*\)$/\1/p' "$d/manifest")
	cat "$d/vmcore.elf" >/dev/null # page cache warm for every reader alike
	run "$runs" check-$size $TCE check --no-debuginfod -s "$d/vmlinux" "$d/vmcore.elf"
	run "$runs" floor-$size bench/scale-floor "$d/vmcore.elf" "$d/manifest"
	[ "$drgn" = 1 ] && run 1 drgn-$size /usr/bin/python3 "$top_srcdir/bench/scale-drgn.py" \
		"$d/vmcore.elf" "$d/vmlinux"
	for w in check floor drgn; do
		[ -f "$out/$w-$size.t" ] || continue
		t=$(field $w-$size 1)
		printf '%-14s %-6s %9s %12s %9d %7s\n' "$mmu-$size" $w "$t" \
			"$(rate "$valid" "$t")" $(($(field $w-$size 2) / 1024)) "$(field $w-$size 3)"
	done
	grep -h '^findings\|^rules' "$out/check-$size.out" | sed 's/^/    check: /'
	sed 's/^/    /' "$out/floor-$size.out"
	[ -f "$out/drgn-$size.out" ] && sed 's/^/    drgn: /' "$out/drgn-$size.out"
	cf=$(ratio "$(field check-$size 1)" "$(field floor-$size 1)")
	dc=n/a
	[ -f "$out/drgn-$size.t" ] && dc=$(ratio "$(field drgn-$size 1)" "$(field check-$size 1)")
	echo "    ratios: check/floor $cf (target <= 1.5), drgn/check $dc (target >= 50 at 16M)"
	d=n/a
	[ -f "$out/drgn-$size.t" ] && d=$(field drgn-$size 1)
	summary="$summary $size:$(field check-$size 1):$(field floor-$size 1):$d"
done

set -- $summary
if [ $# -ge 2 ]; then
	first=$1
	eval last=\${$#}
	echo "growth $(echo "$first" | cut -d: -f1) -> $(echo "$last" | cut -d: -f1)" \
		"(entries x$(awk -v a="$(echo "$first" | cut -d: -f1 | tr -d m)" \
		-v b="$(echo "$last" | cut -d: -f1 | tr -d m)" 'BEGIN { print b / a }')):" \
		"check x$(ratio "$(echo "$last" | cut -d: -f2)" "$(echo "$first" | cut -d: -f2)")," \
		"floor x$(ratio "$(echo "$last" | cut -d: -f3)" "$(echo "$first" | cut -d: -f3)")," \
		"drgn x$(ratio "$(echo "$last" | cut -d: -f4)" "$(echo "$first" | cut -d: -f4)")"
fi

# the largest size's memory in PT_LOADs of 64 KiB, highest first, as makedumpfile -E
# writes one for each run of pages it kept (bench/split-loads.py, made once beside it):
# a check must find each read's PT_LOAD by a search, not a scan (BENCH_SCALE_CUT=0 skips)
if [ "${BENCH_SCALE_CUT:-1}" = 1 ] && [ -n "${size:-}" ]; then
	d="$cache/$mmu-$size"
	# made again when the dump it cuts is newer (the forge wrote it again)
	if [ ! -s "$d/vmcore-cut.elf" ] || [ "$d/vmcore.elf" -nt "$d/vmcore-cut.elf" ]; then
		/usr/bin/python3 "$top_srcdir/bench/split-loads.py" "$d/vmcore.elf" \
			"$d/vmcore-cut.tmp" >/dev/null
		mv "$d/vmcore-cut.tmp" "$d/vmcore-cut.elf"
	fi
	cat "$d/vmcore-cut.elf" >/dev/null
	run "$runs" cut-$size $TCE check --no-debuginfod -s "$d/vmlinux" "$d/vmcore-cut.elf"
	loads=$(LC_ALL=C readelf -lW "$d/vmcore-cut.elf" 2>/dev/null | grep -c ' LOAD ' || true)
	t=$(field cut-$size 1)
	printf '%-14s %-6s %9s %12s %9d %7s\n' "$mmu-$size-cut" check "$t" "$(rate "$valid" "$t")" \
		$(($(field cut-$size 2) / 1024)) "$(field cut-$size 3)"
	echo "    the same memory in $loads PT_LOADs: check x$(ratio "$t" "$(field check-$size 1)")" \
		"the time of its one-PT_LOAD-a-region file's (target: about 1)"
fi

# the real 16M-entry KVM dump (tests/e2e, FIELD-NOTES section 7), when cached
real=${BENCH_REAL_DUMP:-$HOME/.cache/tce-inspect/dumps/pnv-kvm-16m/vmcore.elf}
# its debug tree: fetch-debug.sh's for the release the dump's VMCOREINFO names (Debian's
# kernel moves on: a fixed release read a newer dump with another build's DWARF)
dbg=${BENCH_REAL_DEBUG_DIR:-}
if [ -z "$dbg" ] && [ -s "$real" ]; then
	rel=$($TCE info --format json "$real" 2>/dev/null |
		/usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["release"] or "")' \
		2>/dev/null || true)
	dbg=$HOME/.cache/tce-inspect/debug/trees/$rel/usr/lib/debug
	[ -n "$rel" ] && [ -d "$dbg" ] ||
		echo "scale-bench: no debug tree for $real (release '$rel': tests/e2e/fetch-debug.sh" \
			"$real, or BENCH_REAL_DEBUG_DIR): the real dump is skipped" >&2
fi
if [ -s "$real" ] && [ -d "$dbg" ]; then
	cat "$real" >/dev/null
	# the floor's list: what a check reads, recorded by an untimed traced run
	${CC:-cc} -shared -fPIC -O2 -o "$out/readtrace.so" "$top_srcdir/tests/e2e/readtrace.c" -ldl
	LD_PRELOAD=$out/readtrace.so READTRACE_PAGES=$out/real.pages $TCE check \
		--no-debuginfod --debug-dir "$dbg" "$real" >/dev/null 2>&1 || true
	run "$runs" check-real $TCE check --no-debuginfod --debug-dir "$dbg" "$real"
	run "$runs" floor-real bench/scale-floor "$real" "$out/real.pages"
	if [ "$drgn" = 1 ]; then
		run 1 drgn-real /usr/bin/python3 "$top_srcdir/bench/scale-drgn.py" --debug-dir "$dbg" \
			"$real"
	fi
	# the valid entries: the drgn baseline counts them (the dump has no manifest)
	n=$(sed -n 's/^entries \([0-9]*\) .*/\1/p' "$out/drgn-real.out" 2>/dev/null || true)
	name=$(basename "$(dirname "$real")")
	for w in check floor drgn; do
		[ -f "$out/$w-real.t" ] || continue
		t=$(field $w-real 1)
		r=-
		[ -n "$n" ] && r=$(rate "$n" "$t")
		printf '%-14s %-6s %9s %12s %9d %7s\n' "$name" $w "$t" "$r" \
			$(($(field $w-real 2) / 1024)) "$(field $w-real 3)"
	done
	grep -h '^findings\|^rules' "$out/check-real.out" | sed 's/^/    check: /'
	sed -n 's/^# \(bytes\|blocks\|calls\) \(.*\)/    check read: \1 \2/p' "$out/real.pages"
	sed 's/^/    /' "$out/floor-real.out"
	[ -f "$out/drgn-real.t" ] && sed 's/^/    drgn: /' "$out/drgn-real.out"
	dc=n/a
	[ -f "$out/drgn-real.t" ] && dc=$(ratio "$(field drgn-real 1)" "$(field check-real 1)")
	echo "    ratios: check/floor $(ratio "$(field check-real 1)" "$(field floor-real 1)")" \
		"(target <= 1.5), drgn/check $dc"
fi
