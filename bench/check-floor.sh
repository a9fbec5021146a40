#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/check-floor.sh [CHECK-OPTION...] DUMP: `tce-inspect check` on any dump (a real
# one with no forge manifest included) against its floor (issue 16: check <= 1.5x the
# floor).  The floor is bench/scale-floor reading through libkdumpfile, once each and in
# ascending order, exactly the memory the check read: a first, untimed check runs with
# tests/e2e/readtrace.c preloaded (READTRACE_PAGES: every block of 4 KiB, libtce's read
# unit, that a kdump_read() of the check returned or its pread() of an ELF core's
# PT_LOADs), which writes them as a manifest
# scale-floor reads like the forge's.  Then check and floor each run BENCH_RUNS times
# (default 3) and the best CPU (user + sys of the child) and best wall time of each are
# printed with peak RSS and the ratios check/floor (python3's os.wait4: the child's own
# CPU to the microsecond; the floor takes a few hundredths of a second).  CHECK-OPTIONs go to check
# (--debug-dir DIR, --vmlinux FILE, --no-debuginfod, ...).
# Run it from a build directory without sanitizers (configure's default), after make
# bench/scale-floor cli/tce-inspect; TCE_INSPECT=PATH measures another tce-inspect,
# BENCH_PAGES=FILE keeps the page list.
set -eu
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
TCE=${TCE_INSPECT:-cli/tce-inspect}
FLOOR=${SCALE_FLOOR:-bench/scale-floor}
. "$top_srcdir/bench/uninstalled.sh"
uninstalled TCE
runs=${BENCH_RUNS:-3}
[ $# -ge 1 ] || { echo "usage: $0 [CHECK-OPTION...] DUMP" >&2; exit 2; }
for dump; do :; done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pages=${BENCH_PAGES:-$out/pages}

${CC:-cc} -shared -fPIC -O2 -o "$out/readtrace.so" "$top_srcdir/tests/e2e/readtrace.c" -ldl
cat "$dump" >/dev/null # page cache warm for both alike
LD_PRELOAD=$out/readtrace.so READTRACE_PAGES=$pages $TCE check "$@" >"$out/trace.out" \
	2>"$out/trace.err" || true

# best N CMD...: "cpu wall rss_kib" of N runs (bench/timed.py), stdout of the last in
# $out/last.out
best() {
	n=$1
	shift
	/usr/bin/python3 "$top_srcdir/bench/timed.py" "$n" "$out/last.out" /dev/null "$@"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }

set -- $(best "$runs" $TCE check "$@")
ccpu=$1 cwall=$2 crss=$3
cp "$out/last.out" "$out/check.out"
set -- $(best "$runs" $FLOOR "$dump" "$pages")
fcpu=$1 fwall=$2 frss=$3
v() { sed -n "s/^# $1 //p" "$pages"; }
echo "dump: $dump"
echo "  check read $(v bytes) bytes: $(v blocks) blocks of $(v unit) in $(v calls) reads" \
	"($(v failed) failed)"
echo "  check: $(grep -h '^findings\|^rules' "$out/check.out" | tr '\n' ' ')"
echo "  $(cat "$out/last.out")"
printf '  %-6s %8s %8s %9s\n' what cpu_s wall_s rss_MiB
printf '  %-6s %8s %8s %9d\n' check "$ccpu" "$cwall" $((crss / 1024))
printf '  %-6s %8s %8s %9d\n' floor "$fcpu" "$fwall" $((frss / 1024))
echo "  check/floor: CPU $(ratio "$ccpu" "$fcpu"), wall $(ratio "$cwall" "$fwall")" \
	"(target <= 1.5; best of $runs each)"
