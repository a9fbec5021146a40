#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/check-qemu-kdump.sh [DUMPDIR...]: real QEMU kdump-compressed dumps opened as
# QEMU wrote them.  mkdump.sh X.qemu-z keeps, beside X's repaired ELF dump (vmcore.elf),
# the same stopped guest dumped again by dump-guest-memory in its kdump-compressed
# formats, flattened as QEMU writes them (vmcore-zlib.qemu-z: -z; vmcore-lzo.qemu-z,
# vmcore-snappy.qemu-z).  For each (default: every X.qemu-z dir in the cache):
#  - tce-inspect opens it directly: one stderr line says it was laid out as makedumpfile
#    -R would (records, MB, where, seconds), one that it was repaired in memory with the
#    address the guest's /sys/kernel/vmcoreinfo printed (meta.json); the file is not
#    written; info, vmemmap, tables, entries and check (JSON) answer as on vmcore.elf
#    (the lines that describe the container aside: format, file size, the ELF's ranges);
#  - `tce-inspect repair` writes a kdump-compressed file (an ELF vmcore for a guest of
#    4K pages, which QEMU's 64K blocks hold) that opens with nothing to
#    repair and answers the same, which libkdumpfile (through drgn, with the debug
#    tree's vmlinux: init_uts_ns, and physical memory against vmcore.elf's) and
#    makedumpfile (Debian's ppc64el under qemu-ppc64le-static, as mkdump.sh runs it:
#    -c -d 31 of it, which must open too) read without repair.
# Timings go to stdout (the cost of opening directly, of repair).  Nothing is kept:
# scratch files live in ${TMPDIR:-/var/tmp}.  Exit 77 when the cache holds no such dump.
set -uo pipefail

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
TOP=${abs_top_builddir:-$(pwd)}
TCE=${TCE_INSPECT:-$TOP/cli/tce-inspect}
PY=/usr/bin/python3
[ -x "$TCE" ] || { echo "check-qemu-kdump.sh: no tce-inspect at $TCE (set TCE_INSPECT)" >&2; exit 2; }
if [ $# -eq 0 ]; then
	for d in "$CACHE"/dumps/*.qemu-z/; do
		[ -f "$d/vmcore-zlib.qemu-z" ] && [ -f "$d/vmcore.elf" ] && set -- "$@" "${d%/}"
	done
fi
[ $# -gt 0 ] || { echo "check-qemu-kdump.sh: SKIP: no X.qemu-z dump in $CACHE/dumps (mkdump.sh radix.qemu-z makes one)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/check-qemu-kdump.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

pass=0
fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
ko() { echo "FAIL: $*"; fail=$((fail + 1)); }
meta() { "$PY" -c 'import json,sys; m=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {"m": m}))' "$1/meta.json" "$2" 2>/dev/null; }

# What describes the container, not the dump: the format, the file's size, an ELF
# file's ranges and PT_LOAD counts, the lines that say what was repaired, and
# TCE-DUMP-UNMANAGED's outcome (only an ELF file says which memory it holds: on a
# kdump-compressed file the rule is not applicable, and the summary counts it so).
strip() {
	sed -e "s|$2|DUMP|g" "$1" |
		grep -v -e '^file size:' -e '^repaired:' -e '^format:' -e '^ranges:' \
			-e '"file_size"' -e '"repaired"' -e '"format"' -e '"ranges"' \
			-e '"phys_bytes"' -e '"phys_end"' -e '^memory:' -e '"truncated' \
			-e '"virt_segments"' |
		"$PY" -c '
import json, sys
t = sys.stdin.read()
try:
    d = json.loads(t)
except ValueError:
    sys.stdout.write(t)
    sys.exit(0)
for k in ("outcomes", "rules"):
    if not isinstance(d, dict) or k not in d:
        continue
    for o in d[k]:
        if o["id"] == "TCE-DUMP-UNMANAGED" and "summary" in d:
            d["summary"][o["outcome"].replace("-", "_")] -= 1
    d[k] = [o for o in d[k] if o["id"] != "TCE-DUMP-UNMANAGED"]
json.dump(d, sys.stdout, indent=2, sort_keys=True)
'
}

# makedumpfile:ppc64el and its libraries, as mkdump.sh laid them out: the newest (Debian
# 12's 1.7.2 cannot read 6.12 dumps, 13's 1.7.6 reads both)
MD=
if command -v qemu-ppc64le-static >/dev/null; then
	MD=$(for s in "$CACHE"/e2e/sysroot/*/; do
		[ -x "$s/usr/bin/makedumpfile" ] || continue
		v=$(QEMU_LD_PREFIX="$s" timeout 60 qemu-ppc64le-static "$s/usr/bin/makedumpfile" -v 2>&1 |
			sed -n 's/^makedumpfile: version \([0-9.]*\).*/\1/p')
		[ -n "$v" ] && echo "$v $s"
	done | sort -V | tail -n 1 | cut -d' ' -f2-)
fi

cmds=("info" "info --format json" "vmemmap --format json" "tables --format json"
	"entries --format json" "check --format json")

for dir in "$@"; do
	name=$(basename "$dir")
	release=$(meta "$dir" 'm["kernel_release"]')
	want=$(meta "$dir" '"0x%x" % m["guest"]["vmcoreinfo_addr"]')
	types=()
	tree="$CACHE/debug/trees/$release/usr/lib/debug"
	vml="$tree/boot/vmlinux-$release"
	[ -d "$tree" ] && types=(--debug-dir "$tree")
	# vmemmap and page take no type options (VMCOREINFO answers them)
	opts() { case $1 in vmemmap|page) ;; *) echo "${types[@]}" ;; esac; }
	# the reference: vmcore.elf, each command once
	for c in "${cmds[@]}"; do
		read -r -a cmd <<<"$c"
		# shellcheck disable=SC2046
		"$TCE" "${cmd[@]}" $(opts "${cmd[0]}") "$dir/vmcore.elf" >"$tmp/elf.out" 2>"$tmp/elf.err"
		echo $? >"$tmp/elf.rc"
		strip "$tmp/elf.out" "$dir/vmcore.elf" >"$tmp/elf-${c// /_}.cmp"
		cp "$tmp/elf.rc" "$tmp/elf-${c// /_}.rc"
	done
	for z in "$dir"/vmcore-*.qemu-z; do
		zn="$name/$(basename "$z")"
		sum=$(stat -c '%s %Y' "$z")
		for c in "${cmds[@]}"; do
			read -r -a cmd <<<"$c"
			t0=$(date +%s.%N)
			# shellcheck disable=SC2046
			"$TCE" "${cmd[@]}" $(opts "${cmd[0]}") "$z" >"$tmp/z.out" 2>"$tmp/z.err"
			echo $? >"$tmp/z.rc"
			t1=$(date +%s.%N)
			strip "$tmp/z.out" "$z" >"$tmp/z.cmp"
			if cmp -s "$tmp/z.cmp" "$tmp/elf-${c// /_}.cmp" && cmp -s "$tmp/z.rc" "$tmp/elf-${c// /_}.rc"; then
				ok "$zn: $c: answers as vmcore.elf (exit $(cat "$tmp/z.rc"), $(echo "$t1 - $t0" | bc) s)"
			else
				ko "$zn: $c: answers otherwise than vmcore.elf"
				diff "$tmp/z.cmp" "$tmp/elf-${c// /_}.cmp" | head -5
			fi
			if [ "$(wc -l <"$tmp/z.err")" -ge 2 ] &&
				[ "$(grep -c 'a flattened makedumpfile file (QEMU.s dump-guest-memory -z, makedumpfile -F): its [0-9]* records laid out as makedumpfile -R would' "$tmp/z.err")" = 1 ] &&
				[ "$(grep -c 'repaired in memory (the file is not written): QEMU dump-guest-memory kdump-compressed file' "$tmp/z.err")" = 1 ] &&
				grep -q "taken from guest physical $want\$" "$tmp/z.err"; then
				[ "$c" = info ] && ok "$zn: $(cat "$tmp/z.err" | tr '\n' ' ')"
			else
				ko "$zn: $c: the stderr lines (want the note at $want): $(cat "$tmp/z.err")"
			fi
		done
		[ "$(stat -c '%s %Y' "$z")" = "$sum" ] && ok "$zn: not written" || ko "$zn: written"

		# repair: a kdump-compressed file read as it is
		out="$tmp/repaired.kdump"
		t0=$(date +%s.%N)
		"$TCE" repair "$z" "$out" >"$tmp/r.out" 2>"$tmp/r.err"
		rc=$?
		t1=$(date +%s.%N)
		[ "$rc" = 0 ] && ok "$zn: repair: $(echo "$t1 - $t0" | bc) s, $(stat -c %s "$z") -> $(stat -c %s "$out") bytes: $(cat "$tmp/r.out")" ||
			{ ko "$zn: repair: exit $rc: $(cat "$tmp/r.err")"; continue; }
		for c in "${cmds[@]}"; do
			read -r -a cmd <<<"$c"
			# shellcheck disable=SC2046
			"$TCE" "${cmd[@]}" $(opts "${cmd[0]}") "$out" >"$tmp/o.out" 2>"$tmp/o.err"
			echo $? >"$tmp/o.rc"
			strip "$tmp/o.out" "$out" >"$tmp/o.cmp"
			if cmp -s "$tmp/o.cmp" "$tmp/elf-${c// /_}.cmp" && cmp -s "$tmp/o.rc" "$tmp/elf-${c// /_}.rc" &&
				! grep -q -e '^repaired:' -e '"repaired": "' "$tmp/o.out" && ! grep -q 'repaired\|flattened' "$tmp/o.err"; then
				ok "$zn: repaired: $c: answers as vmcore.elf, nothing repaired"
			else
				ko "$zn: repaired: $c: $(head -c 300 "$tmp/o.err")"
				diff "$tmp/o.cmp" "$tmp/elf-${c// /_}.cmp" | head -5
			fi
		done
		# drgn (libkdumpfile underneath): the kernel's release, and 64 MiB of physical
		# memory from 0 as vmcore.elf holds it
		if [ -f "$vml" ]; then
			cat >"$tmp/drgn.py" <<'EOF'
import hashlib
print(prog['init_uts_ns'].name.release.string_().decode(),
      hashlib.sha256(prog.read(0, 64 << 20, True)).hexdigest())
EOF
			a=$(drgn -q -c "$out" -s "$vml" --no-default-symbols "$tmp/drgn.py" 2>&1)
			b=$(drgn -q -c "$dir/vmcore.elf" -s "$vml" --no-default-symbols "$tmp/drgn.py" 2>&1)
			[ -n "$a" ] && [ "$a" = "$b" ] && [ "${a%% *}" = "$release" ] &&
				ok "$zn: repaired: drgn reads it as vmcore.elf: $a" ||
				ko "$zn: repaired: drgn: '$a', vmcore.elf: '$b'"
		fi
		# makedumpfile reads it (and filters it: -c -d 31), and that opens as well
		if [ -n "$MD" ]; then
			env QEMU_LD_PREFIX="$MD" timeout 900 qemu-ppc64le-static "$MD/usr/bin/makedumpfile" \
				-c -d 31 "$out" "$tmp/d31.kdump" >"$tmp/md.log" 2>&1
			rc=$?
			if [ "$rc" = 0 ] && "$TCE" info "$tmp/d31.kdump" >"$tmp/d31.out" 2>"$tmp/d31.err" &&
				[ ! -s "$tmp/d31.err" ] && grep -q "^release: *$release\$" "$tmp/d31.out"; then
				ok "$zn: repaired: makedumpfile -c -d 31 reads it ($(stat -c %s "$tmp/d31.kdump") bytes), and that opens"
			else
				ko "$zn: repaired: makedumpfile -c -d 31: exit $rc: $(tail -n3 "$tmp/md.log") $(cat "$tmp/d31.err" 2>/dev/null)"
			fi
			rm -f "$tmp/d31.kdump"
		fi
		rm -f "$out"
	done
done
echo "check-qemu-kdump.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
