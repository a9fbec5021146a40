#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/test-debuginfod.sh [--deb|--tree] [DUMP...]: the debuginfod harness of the
# type-information layer (issue 14), on real dumps and Debian's real kernel debug packages.
#
# How to run it (not part of `make check`: it downloads 0.7-0.9 GB per kernel release once):
#     make check-debuginfod                  # from the build tree; or directly:
#     tests/e2e/test-debuginfod.sh           # every dump in the cache and the repo's samples
#     tests/e2e/test-debuginfod.sh --tree ~/.cache/tce-inspect/dumps/hash-vga/vmcore.elf
# It needs: apt-get access to Debian's archive (Debian 13 kernels through the private trixie
# state tests/e2e/fetch.sh d13 makes), python3, and debuginfod, libarchive-tools (bsdtar)
# and curl, which debuginfod.sh installs when they are missing.
#
# What it does:
#  1. reads each DUMP's VMCOREINFO (OSRELEASE, BUILD-ID) with vmcoreinfo.py (default DUMPs:
#     ~/.cache/tce-inspect/dumps/*/vmcore*.{elf,kdump} and tests/fixtures/sample-*.elf.xz);
#  2. fetch-debug.sh fetches and lays out linux-image-REL-dbg for every release (cached);
#     a vmlinux whose build id is not the dump's fails here;
#  3. debuginfod.sh starts a real local debuginfod serving the .deb files (--deb, the
#     default: debuginfod -U) or the unpacked trees (--tree: -F), waits for its index, and
#     runs the checks below with DEBUGINFOD_URLS=http://127.0.0.1:PORT and a
#     DEBUGINFOD_CACHE_PATH in a fresh temporary directory (never the user's cache, never a
#     public server: DEBUGINFOD_URLS is only ever the local one);
#  4. for every distinct BUILD-ID: `debuginfod-find debuginfo ID` returns a file whose GNU
#     build-id note is ID and whose bytes are the tree's vmlinux-REL; the same through
#     libdebuginfod's C API (debuginfod_find_debuginfo with a hex build id, build_id_len 0,
#     through python ctypes: the call libtce makes) into another fresh cache; and kvm.ko's
#     build id returns kvm.ko;
#  5. a build id no kernel has (the dump's with its last byte changed, and all zeros) gives
#     an error: debuginfod-find exits non-zero and prints no path, and
#     debuginfod_find_debuginfo returns a negative errno (-ENOENT);
#  6. with TEST_DEBUGINFOD_EACH="COMMAND [ARG...]" (e.g. "cli/tce-inspect tables
#     --format json"), runs `COMMAND DUMP` for every dump with only the server as a source
#     of debug files (a fresh DEBUGINFOD_CACHE_PATH each, TCE_EXPECT_BUILD_ID set to the
#     dump's BUILD-ID) and requires exit status 0 or 1 (1: findings); the hook for the C
#     provider's own end-to-end check.
# Prints PASS/FAIL lines and a summary; exit status 0 when all passed, 1 otherwise, 77
# (skipped) when there is no dump at all.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
PY=/usr/bin/python3

mode=--deb
if [ "${1:-}" = --inner ]; then
	inner=1
	shift
else
	inner=0
	case "${1:-}" in
	--deb|--tree) mode=$1; shift ;;
	-h|--help) sed -n '3,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	esac
fi

if [ $inner = 0 ]; then
	dumps=("$@")
	if [ ${#dumps[@]} -eq 0 ]; then
		for f in "$CACHE"/dumps/*/vmcore*.elf "$CACHE"/dumps/*/vmcore*.kdump "$TOP"/tests/fixtures/sample-*.elf.xz; do
			[ -f "$f" ] && dumps+=("$f")
		done
	fi
	[ ${#dumps[@]} -gt 0 ] || { echo "SKIP: no dumps (tests/e2e/mkdump.sh makes them)"; exit 77; }
	info=$("$PY" "$HERE/vmcoreinfo.py" -k OSRELEASE -k BUILD-ID "${dumps[@]}") || {
		echo "FAIL: a dump has no VMCOREINFO"
		exit 1
	}
	if awk '$2 == "-" || $3 == "-" { bad = 1 } END { exit !bad }' <<<"$info"; then
		echo "FAIL: a dump's VMCOREINFO lacks OSRELEASE or BUILD-ID:"
		awk '$2 == "-" || $3 == "-"' <<<"$info"
		exit 1
	fi
	mapfile -t rels < <(awk '{ print $2 }' <<<"$info" | sort -u)
	echo "== fetch-debug.sh ${rels[*]}"
	if ! "$HERE/fetch-debug.sh" "${dumps[@]}" >/dev/null; then
		echo "FAIL: fetch-debug.sh (see above: a missing package or a build-id mismatch)"
		exit 1
	fi
	echo "PASS: debug trees for ${rels[*]}, each vmlinux with its dumps' build id"
	echo "== debuginfod.sh $mode ${rels[*]}"
	export TEST_DEBUGINFOD_INFO="$info"
	exec "$HERE/debuginfod.sh" "$mode" "${rels[@]}" -- "$0" --inner
fi

# ---- inner part: the server is up, DEBUGINFOD_URLS and DEBUGINFOD_CACHE_PATH are set
pass=0 fail=0
ok() { echo "PASS: $*"; pass=$((pass + 1)); }
ko() { echo "FAIL: $*"; fail=$((fail + 1)); }
buildid() { LC_ALL=C readelf -n "$1" 2>/dev/null | awk '/Build ID:/ { print $3; exit }'; }
[ -n "${DEBUGINFOD_URLS:-}" ] && [ -n "${DEBUGINFOD_CACHE_PATH:-}" ] ||
	{ echo "FAIL: run without debuginfod.sh (no DEBUGINFOD_URLS)"; exit 1; }
echo "DEBUGINFOD_URLS=$DEBUGINFOD_URLS DEBUGINFOD_CACHE_PATH=$DEBUGINFOD_CACHE_PATH"
work=$(dirname "$DEBUGINFOD_CACHE_PATH")

# libdebuginfod through ctypes: FIND HEXID CACHEDIR -> prints the path, exit 0; or the
# negative errno on stderr, exit 1.
capi() {
	DEBUGINFOD_CACHE_PATH=$3 "$PY" - "$1" "$2" <<'EOF'
import ctypes, ctypes.util, os, sys
lib = ctypes.CDLL(ctypes.util.find_library("debuginfod") or "libdebuginfod.so.1")
lib.debuginfod_begin.restype = ctypes.c_void_p
lib.debuginfod_end.argtypes = [ctypes.c_void_p]
for f in ("debuginfod_find_debuginfo", "debuginfod_find_executable"):
    getattr(lib, f).argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                ctypes.POINTER(ctypes.c_char_p)]
    getattr(lib, f).restype = ctypes.c_int
client = lib.debuginfod_begin()
if not client:
    print("debuginfod_begin failed", file=sys.stderr)
    sys.exit(2)
path = ctypes.c_char_p()
fd = getattr(lib, "debuginfod_find_" + sys.argv[1])(client, sys.argv[2].encode(), 0, ctypes.byref(path))
lib.debuginfod_end(client)
if fd < 0:
    print(fd, file=sys.stderr)
    sys.exit(1)
os.close(fd)
print(path.value.decode())
EOF
}

declare -A seen
while read -r dump rel id; do
	[ -n "$dump" ] || continue
	[ -z "${seen[$id]:-}" ] || continue
	seen[$id]=1
	tree="$CACHE/debug/trees/$rel/usr/lib/debug"
	vm="$tree/boot/vmlinux-$rel"
	echo "== $rel BUILD-ID=$id (e.g. $dump)"
	t0=$(date +%s%N)
	if got=$(debuginfod-find debuginfo "$id" 2>"$work/err"); then
		ms=$((($(date +%s%N) - t0) / 1000000))
		if [ "$(buildid "$got")" != "$id" ]; then
			ko "debuginfod-find debuginfo $id: $got has build id $(buildid "$got")"
		elif ! cmp -s "$got" "$vm"; then
			ko "debuginfod-find debuginfo $id: $got differs from $vm"
		else
			ok "debuginfod-find debuginfo $id -> the vmlinux-$rel ($(stat -c %s "$got") bytes, ${ms} ms)"
		fi
	else
		ko "debuginfod-find debuginfo $id: $(tr '\n' ' ' <"$work/err")"
	fi
	if got=$(capi debuginfo "$id" "$work/capi-cache" 2>"$work/err"); then
		if [ "$(buildid "$got")" = "$id" ] && cmp -s "$got" "$vm"; then
			ok "debuginfod_find_debuginfo(\"$id\", 0) -> $got"
		else
			ko "debuginfod_find_debuginfo(\"$id\", 0) -> $got: not the vmlinux-$rel"
		fi
	else
		ko "debuginfod_find_debuginfo(\"$id\", 0) failed: $(cat "$work/err")"
	fi
	kvm="$tree/lib/modules/$rel/kernel/arch/powerpc/kvm/kvm.ko"
	if [ -f "$kvm" ]; then
		kid=$(buildid "$kvm")
		if got=$(debuginfod-find debuginfo "$kid" 2>"$work/err") && cmp -s "$got" "$kvm"; then
			ok "debuginfod-find debuginfo $kid -> kvm.ko of $rel"
		else
			ko "debuginfod-find debuginfo $kid (kvm.ko of $rel): ${got:-$(tr '\n' ' ' <"$work/err")}"
		fi
	fi
	last=${id: -2}
	wrong=${id:0:${#id}-2}$(printf %02x $(((16#$last + 1) % 256)))
	for bad in "$wrong" 0000000000000000000000000000000000000000; do
		if got=$(debuginfod-find debuginfo "$bad" 2>"$work/err"); then
			ko "debuginfod-find debuginfo $bad (no such build id) returned $got"
		elif [ -n "$got" ]; then
			ko "debuginfod-find debuginfo $bad failed but printed $got"
		else
			ok "debuginfod-find debuginfo $bad (no such build id) -> error: $(head -n1 "$work/err")"
		fi
		if got=$(capi debuginfo "$bad" "$work/capi-cache" 2>"$work/err"); then
			ko "debuginfod_find_debuginfo(\"$bad\") returned $got"
		elif [ "$(cat "$work/err")" = -2 ]; then
			ok "debuginfod_find_debuginfo(\"$bad\") -> -ENOENT"
		else
			ko "debuginfod_find_debuginfo(\"$bad\") -> $(cat "$work/err") (want -2, -ENOENT)"
		fi
	done
done <<<"$TEST_DEBUGINFOD_INFO"

if [ -n "${TEST_DEBUGINFOD_EACH:-}" ]; then
	read -r -a each <<<"$TEST_DEBUGINFOD_EACH"
	n=0
	while read -r dump rel id; do
		[ -n "$dump" ] || continue
		n=$((n + 1))
		d=$dump
		case "$dump" in
		*.xz) d="$work/dump-$n.elf"; xz -dc "$dump" >"$d" ;;
		esac
		rc=0
		DEBUGINFOD_CACHE_PATH="$work/each-$n" TCE_EXPECT_BUILD_ID=$id \
			"${each[@]}" "$d" >"$work/each.out" 2>&1 || rc=$?
		if [ $rc -le 1 ]; then
			ok "${each[*]} $dump (exit $rc)"
		else
			ko "${each[*]} $dump exited $rc:"
			tail -n 5 "$work/each.out"
		fi
		[ "$d" = "$dump" ] || rm -f "$d"
		rm -rf "$work/each-$n"
	done <<<"$TEST_DEBUGINFOD_INFO"
fi

echo "== $pass passed, $fail failed"
[ $fail -eq 0 ]
