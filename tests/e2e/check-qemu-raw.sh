#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/check-qemu-raw.sh [DUMPDIR...]: real QEMU dumps opened as QEMU wrote them.
# mkdump.sh (qemu-repair.sh) keeps, beside each repaired vmcore.elf, the raw file's head
# (vmcore.qemu-head: ELF header, program headers and QEMU's notes, as dump-guest-memory
# wrote them) and size: the raw file is that head over vmcore.elf's bytes, cut to that
# size (repair rewrites nothing else and appends the note).  For each such dump (default:
# every one in the cache) the raw file is laid out again in a scratch directory and
# tce-inspect must open it directly: one line on stderr says it was repaired in memory,
# with the address the guest's /sys/kernel/vmcoreinfo printed (meta.json), and info,
# vmemmap, tables, entries and check (JSON) answer exactly as on vmcore.elf (DWARF from
# the debug tree or vmlinux meta.json names, as run-real.sh does).  Exit 77 when the cache
# holds no such dump (dumps made before mkdump.sh kept heads, or no cache at all).
set -uo pipefail

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
TOP=${abs_top_builddir:-$(pwd)}
TCE=${TCE_INSPECT:-$TOP/cli/tce-inspect}
PY=/usr/bin/python3
[ -x "$TCE" ] || { echo "check-qemu-raw.sh: no tce-inspect at $TCE (set TCE_INSPECT)" >&2; exit 2; }
if [ $# -eq 0 ]; then
	for d in "$CACHE"/dumps/*/; do
		[ -f "$d/vmcore.qemu-head" ] && [ -f "$d/vmcore.elf" ] && set -- "$@" "${d%/}"
	done
fi
[ $# -gt 0 ] || { echo "check-qemu-raw.sh: SKIP: no dump with vmcore.qemu-head in $CACHE/dumps"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/check-qemu-raw.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

pass=0
fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
ko() { echo "FAIL: $*"; fail=$((fail + 1)); }

for dir in "$@"; do
	name=$(basename "$dir")
	raw="$tmp/vmcore.raw"
	cp "$dir/vmcore.elf" "$raw" || { ko "$name: cannot copy"; continue; }
	dd if="$dir/vmcore.qemu-head" of="$raw" conv=notrunc status=none
	truncate -s "$(cat "$dir/vmcore.qemu-size")" "$raw"
	types=()
	vml=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("vmlinux",""))' "$dir/meta.json" 2>/dev/null)
	tree=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("debug_tree",""))' "$dir/meta.json" 2>/dev/null)
	if [ -n "$vml" ] && [ -f "$vml" ]; then
		types=(-s "$vml")
	elif [ -n "$tree" ] && [ -d "$tree/usr/lib/debug" ]; then
		types=(--debug-dir "$tree/usr/lib/debug")
	fi
	want=$("$PY" -c 'import json,sys; print("0x%x" % json.load(open(sys.argv[1]))["guest"]["vmcoreinfo_addr"])' "$dir/meta.json" 2>/dev/null)
	for c in "info" "info --format json" "vmemmap --format json" "tables --format json" \
		"entries --format json" "check --format json"; do
		read -r -a cmd <<<"$c"
		# vmemmap reads VMCOREINFO only and takes no type options
		ty=("${types[@]}")
		[ "${cmd[0]}" = vmemmap ] && ty=()
		t0=$(date +%s.%N)
		"$TCE" "${cmd[@]}" "${ty[@]}" "$raw" >"$tmp/raw.out" 2>"$tmp/raw.err"
		echo $? >"$tmp/raw.rc"
		t1=$(date +%s.%N)
		"$TCE" "${cmd[@]}" "${ty[@]}" "$dir/vmcore.elf" >"$tmp/elf.out" 2>"$tmp/elf.err"
		echo $? >"$tmp/elf.rc"
		t2=$(date +%s.%N)
		for f in raw elf; do
			sed -e "s|$raw|DUMP|g" -e "s|$dir/vmcore.elf|DUMP|g" "$tmp/$f.out" |
				grep -v -e '^file size:' -e '^repaired:' -e '"file_size"' -e '"repaired"' \
				>"$tmp/$f.cmp"
		done
		# exit 2 is a usage error: the script's, not an answer
		if cmp -s "$tmp/raw.cmp" "$tmp/elf.cmp" && cmp -s "$tmp/raw.rc" "$tmp/elf.rc" &&
			[ "$(cat "$tmp/raw.rc")" != 2 ]; then
			ok "$name: $c: the raw file answers as vmcore.elf (exit $(cat "$tmp/raw.rc"); $(echo "$t1 - $t0" | bc) s raw, $(echo "$t2 - $t1" | bc) s repaired)"
		else
			ko "$name: $c: the raw file answers otherwise"
			diff "$tmp/raw.cmp" "$tmp/elf.cmp" | head -5
		fi
		if [ "$(grep -c 'repaired in memory (the file is not written): QEMU dump-guest-memory file' "$tmp/raw.err")" = 1 ] &&
			grep -q "taken from guest physical $want\$" "$tmp/raw.err" &&
			! grep -q repaired "$tmp/elf.err"; then
			ok "$name: $c: $(grep repaired "$tmp/raw.err")"
		else
			ko "$name: $c: the repair line (want $want): $(cat "$tmp/raw.err")"
		fi
	done
	rm -f "$raw"
done
echo "check-qemu-raw.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
