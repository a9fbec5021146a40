#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-qemu.sh: guest dumps QEMU's dump-guest-memory writes of a ppc64 guest
# (headers big-endian for a little-endian guest, no VMCOREINFO but the kernel's note in
# guest memory, p_vaddr = p_paddr), made by the forge (tce-forge --qemu), and their
# kdump-compressed form (mkdiskdump --qemu, as makedumpfile -R makes it of QEMU's -z
# output, and --flatten: the flattened format QEMU writes), little- and big-endian, 64K
# and 4K pages.  Each opens directly: one line on stderr says what was repaired in
# memory (the note's address the forge's own), a flattened file one more that says it
# was laid out in a temporary file, the file is not written, and every command answers
# as on the dump the forge writes right (--guest-note: the same memory, VMCOREINFO in
# the file).  `repair IN OUT` writes a file equal in content to that right dump
# (headers, PT_LOADs, memory, the note), or for a kdump-compressed IN (flattened or
# not: the same bytes) a kdump-compressed file that opens with nothing to repair and
# answers as the right one (for a guest of 4K pages, which QEMU's 64K blocks hold, an
# ELF vmcore); refuses OUT = IN, writes nothing when there is nothing to
# repair.  Flattened files whose records are not what QEMU or makedumpfile write (a
# negative size or offset, cut short, no end record, two records over the same bytes,
# an offset far past the data, another type, a header alone) are refused with one line
# each.  Hostile forms are refused with one line and never said to be repaired:
# headers little-endian for a big-endian guest (not QEMU's fault), no note in memory,
# two different notes, a note of another release than the kernel in memory; and a dump
# without VMCOREINFO that is not QEMU's shape is refused as before.
set -uo pipefail

TCE=${TCE_INSPECT:-cli/tce-inspect}
FORGE=${TCE_FORGE:-tests/forge/tce-forge}
MKDD=${TCE_MKDISKDUMP:-$(dirname "$FORGE")/mkdiskdump}
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
command -v "$PY" >/dev/null || { echo "test-qemu.sh: SKIP: no python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case ${ASAN_OPTIONS:-} in *exitcode=*) ;; *) export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99" ;; esac
case ${UBSAN_OPTIONS:-} in *exitcode=*) ;; *) export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=99" ;; esac

pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { echo "FAIL: $*"; fail=$((fail + 1)); }

# The semantic content of an ELF vmcore: header fields, every PT_LOAD (not its file
# offset) with its bytes' hash, the notes.  Two files with the same output hold the same
# dump, whatever their layout.
cat >"$tmp/content.py" <<'EOF'
import hashlib, struct, sys
d = open(sys.argv[1], 'rb').read()
e = '<' if d[5] == 1 else '>'
(typ, mach, ver, entry, phoff, shoff, flags, ehsz, phsz, phnum, shsz, shnum,
 shstr) = struct.unpack_from(e + 'HHIQQQIHHHHHH', d, 16)
print('ident', d[:16].hex(), 'type', typ, 'machine', mach, 'phnum', phnum, 'shnum', shnum)
for i in range(phnum):
    t, fl, off, va, pa, fsz, msz, al = struct.unpack_from(e + 'IIQQQQQQ', d, phoff + 56 * i)
    data = d[off:off + fsz]
    if t == 4:
        print('note', fsz, data.hex())
    else:
        print('phdr', t, fl, hex(va), hex(pa), fsz, msz, len(data),
              hashlib.sha256(data).hexdigest())
EOF

# run NAME CMD...: stdout, stderr and status of tce-inspect CMD (dump paths made NAME)
run() {
	local name=$1 rc=0
	shift
	"$TCE" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	sed -i "s|$tmp/[a-z0-9.-]*|DUMP|g" "$tmp/out" "$tmp/err"
	cp "$tmp/out" "$tmp/$name.out"
	cp "$tmp/err" "$tmp/$name.err"
	echo "$rc" >"$tmp/$name.rc"
	return $rc
}

# same LABEL A B: the two runs' stdout and status are equal (info's file size and
# "repaired" line aside: the files differ in layout, not in content)
same() {
	local label=$1 a=$2 b=$3
	grep -v -e '^file size:' -e '^repaired:' -e '"file_size"' -e '"repaired"' \
		"$tmp/$a.out" >"$tmp/a.cmp"
	grep -v -e '^file size:' -e '^repaired:' -e '"file_size"' -e '"repaired"' \
		"$tmp/$b.out" >"$tmp/b.cmp"
	if cmp -s "$tmp/a.cmp" "$tmp/b.cmp" && cmp -s "$tmp/$a.rc" "$tmp/$b.rc"; then
		ok
	else
		ko "$label: output differs (exit $(cat "$tmp/$a.rc") vs $(cat "$tmp/$b.rc"))"
		diff "$tmp/a.cmp" "$tmp/b.cmp" | head -5
	fi
}

# one_line LABEL NAME EXPECT_RC PATTERN: exactly one stderr line, matching PATTERN
one_line() {
	local label=$1 name=$2 want=$3 pat=$4
	if [ "$(cat "$tmp/$name.rc")" = "$want" ] && [ "$(wc -l <"$tmp/$name.err")" -eq 1 ] &&
		grep -q -e "$pat" "$tmp/$name.err"; then
		ok
	else
		ko "$label: exit $(cat "$tmp/$name.rc") (want $want), stderr: $(cat "$tmp/$name.err")"
	fi
}

# The commands compared (DUMP: the file), with a pfn of the forge's zoo for page
cmds() {
	echo "info DUMP"
	echo "info --format json DUMP"
	echo "vmemmap --format json DUMP"
	echo "page --format json DUMP PFN"
	echo "types DUMP init_uts_ns"
	echo "tables DUMP"
	echo "entries DUMP"
	echo "check --format json DUMP"
}

for shape in "le 64k" "be 64k" "le 4k"; do
	set -- $shape
	e=$1 p=$2
	tag="$e-$p"
	facts=$("$FORGE" -e "$e" -p "$p" -v --guest-note hotplug "$tmp/good-$tag.elf") ||
		{ ko "$tag: tce-forge --guest-note"; continue; }
	"$FORGE" -e "$e" -p "$p" --qemu hotplug "$tmp/qemu-$tag.elf" ||
		{ ko "$tag: tce-forge --qemu"; continue; }
	note=$(tr ' ' '\n' <<<"$facts" | sed -n 's/^vmcoreinfo_note=//p')
	pfn=$(tr ' ' '\n' <<<"$facts" | sed -n 's/^pfn.buddy=//p')
	[ -n "$note" ] && [ -n "$pfn" ] || { ko "$tag: no vmcoreinfo_note or pfn.buddy fact"; continue; }
	sum=$(sha256sum <"$tmp/qemu-$tag.elf")
	"$MKDD" --qemu "$tmp/qemu-$tag.elf" "$tmp/qemu-$tag.kdump" >/dev/null ||
		{ ko "$tag: mkdiskdump --qemu"; continue; }
	"$MKDD" "$tmp/good-$tag.elf" "$tmp/good-$tag.kdump" >/dev/null ||
		{ ko "$tag: mkdiskdump"; continue; }
	"$MKDD" --qemu --flatten "$tmp/qemu-$tag.elf" "$tmp/qemu-$tag.flat" >/dev/null ||
		{ ko "$tag: mkdiskdump --qemu --flatten"; continue; }
	"$MKDD" --flatten "$tmp/good-$tag.elf" "$tmp/good-$tag.flat" >/dev/null ||
		{ ko "$tag: mkdiskdump --flatten"; continue; }
	fsum=$(sha256sum <"$tmp/qemu-$tag.flat")
	for fmt in elf kdump flat; do
		# QEMU 7.2 on x86 writes the ELF file's section headers little-endian (the
		# forge's form does too); the kdump-compressed file has none
		if [ "$e" = le ]; then
			fault="headers big-endian for a little-endian guest; no VMCOREINFO"
			[ "$fmt" = elf ] && fault="file: headers big-endian for a little-endian guest; section headers in the other byte order; no VMCOREINFO"
		else
			fault="kdump-compressed file: no VMCOREINFO"
			[ "$fmt" = elf ] && fault="file: section headers in the other byte order; no VMCOREINFO"
		fi
		# a flattened file: the line that says it was laid out, once, and nothing
		# else (the right dump's flattened form says only that)
		flatline='a flattened makedumpfile file (QEMU.s dump-guest-memory -z, makedumpfile -F): its [0-9]* records laid out as makedumpfile -R would, [0-9.]* MB copied to memory (a memfd) in [0-9.]* s (the file is not written)$'
		while read -r -a c; do
			c=("${c[@]/PFN/$pfn}")
			label="$tag $fmt: ${c[*]}"
			run good "${c[@]/DUMP/$tmp/good-$tag.${fmt/flat/kdump}}"
			run qemu "${c[@]/DUMP/$tmp/qemu-$tag.$fmt}"
			same "$label" good qemu
			# the repair line, once, with the forge's address; nothing else added
			if [ "$(grep -c 'repaired in memory (the file is not written): QEMU dump-guest-memory' "$tmp/qemu.err")" = 1 ] &&
				grep -q "taken from guest physical $note\$" "$tmp/qemu.err" &&
				grep -q -e "$fault" "$tmp/qemu.err" &&
				diff <(grep -v -e 'QEMU dump-guest-memory' -e "$flatline" "$tmp/qemu.err") "$tmp/good.err" >/dev/null &&
				! grep -q 'repaired' "$tmp/good.err"; then
				ok
			else
				ko "$label: the repair line: $(cat "$tmp/qemu.err")"
			fi
			if [ "$fmt" = flat ] && [ "$tag" = le-64k ]; then
				[ "$(grep -c -e "$flatline" "$tmp/qemu.err")" = 1 ] && ok ||
					ko "$label: the flattened line: $(cat "$tmp/qemu.err")"
				run gflat "${c[@]/DUMP/$tmp/good-$tag.flat}"
				same "$label (makedumpfile -F of a right dump)" good gflat
				[ "$(wc -l <"$tmp/gflat.err")" = "$(($(wc -l <"$tmp/good.err") + 1))" ] &&
					grep -q -e "$flatline" "$tmp/gflat.err" && ! grep -q repaired "$tmp/gflat.err" && ok ||
					ko "$label (makedumpfile -F of a right dump): stderr $(cat "$tmp/gflat.err")"
			fi
		done < <(cmds)
	done
	# info says it too: text and JSON
	run qi info "$tmp/qemu-$tag.elf"
	grep -q "^repaired:    in memory (the file is not written): QEMU dump-guest-memory file: .*$note\$" \
		"$tmp/qi.out" && ok || ko "$tag: info's repaired line: $(grep repaired "$tmp/qi.out")"
	run qj info --format json "$tmp/qemu-$tag.elf"
	run gj info --format json "$tmp/good-$tag.elf"
	"$PY" -c 'import json,sys; q=json.load(open(sys.argv[1])); g=json.load(open(sys.argv[2])); assert "QEMU dump-guest-memory file" in q["repaired"] and g["repaired"] is None' \
		"$tmp/qj.out" "$tmp/gj.out" && ok || ko "$tag: info --format json: repaired"
	[ "$(sha256sum <"$tmp/qemu-$tag.elf")" = "$sum" ] && ok || ko "$tag: opening wrote the file"
	[ "$(sha256sum <"$tmp/qemu-$tag.flat")" = "$fsum" ] && ok || ko "$tag: opening wrote the flattened file"

	# repair IN OUT: the right dump's content
	run rep repair "$tmp/qemu-$tag.elf" "$tmp/rep-$tag.elf"
	if [ "$(cat "$tmp/rep.rc")" = 0 ] && grep -q "written to DUMP\$" "$tmp/rep.out" &&
		grep -q "taken from guest physical $note; p_vaddr in the linear map" "$tmp/rep.out"; then
		ok
	else
		ko "$tag: repair: exit $(cat "$tmp/rep.rc"): $(cat "$tmp/rep.out" "$tmp/rep.err")"
	fi
	"$PY" "$tmp/content.py" "$tmp/good-$tag.elf" >"$tmp/good.content"
	"$PY" "$tmp/content.py" "$tmp/rep-$tag.elf" >"$tmp/rep.content"
	cmp -s "$tmp/good.content" "$tmp/rep.content" && ok ||
		{ ko "$tag: repair's file is not the forge's right dump"; diff "$tmp/good.content" "$tmp/rep.content" | cut -c1-200 | head -6; }
	[ "$(sha256sum <"$tmp/qemu-$tag.elf")" = "$sum" ] && ok || ko "$tag: repair wrote IN"
	run r1 vmemmap --format json "$tmp/rep-$tag.elf"
	run g1 vmemmap --format json "$tmp/good-$tag.elf"
	same "$tag: vmemmap of the repaired file" g1 r1
	[ ! -s "$tmp/r1.err" ] && ok || ko "$tag: the repaired file is repaired again: $(cat "$tmp/r1.err")"
	run same repair "$tmp/qemu-$tag.elf" "$tmp/qemu-$tag.elf"
	one_line "$tag: repair IN IN" same 2 'OUT is IN'
	run none repair "$tmp/good-$tag.elf" "$tmp/none-$tag.elf"
	one_line "$tag: nothing to repair" none 0 'nothing to repair'
	[ ! -e "$tmp/none-$tag.elf" ] && ok || ko "$tag: nothing to repair, yet OUT was written"
	# repair of the kdump-compressed forms: one file, flattened or not, that opens
	# with nothing to repair (utsname, VMCOREINFO, byte order its own) and answers as
	# the right dump; QEMU's 64 KiB blocks for a guest of 4 KiB pages, which such a
	# file cannot say, give an ELF vmcore of the memory the file holds
	run kd repair "$tmp/qemu-$tag.kdump" "$tmp/kd-$tag.kdump"
	if [ "$p" = 4k ]; then
		if [ "$(cat "$tmp/kd.rc")" = 0 ] && [ ! -s "$tmp/kd.err" ] &&
			grep -q "QEMU's blocks are not the guest's pages: its memory written as an ELF vmcore, p_vaddr in the linear map: written to DUMP\$" "$tmp/kd.out" &&
			[ "$(head -c 4 "$tmp/kd-$tag.kdump" | od -An -c | tr -d ' ')" = '177ELF' ]; then
			ok
		else
			ko "$tag: repair of 64K blocks for 4K pages: exit $(cat "$tmp/kd.rc"): $(cat "$tmp/kd.out" "$tmp/kd.err")"
		fi
	elif [ "$(cat "$tmp/kd.rc")" = 0 ] && [ ! -s "$tmp/kd.err" ] &&
		grep -q "taken from guest physical $note; header, sub-header and page descriptors in the guest's byte order, its utsname, QEMU's notes dropped: written to DUMP\$" "$tmp/kd.out"; then
		ok
	else
		ko "$tag: repair of a kdump-compressed file: exit $(cat "$tmp/kd.rc"): $(cat "$tmp/kd.out" "$tmp/kd.err")"
	fi
	run kf repair "$tmp/qemu-$tag.flat" "$tmp/kf-$tag.kdump"
	[ "$(cat "$tmp/kf.rc")" = 0 ] && grep -q -e "$flatline" "$tmp/kf.err" && [ "$(wc -l <"$tmp/kf.err")" = 1 ] &&
		cmp -s "$tmp/kd-$tag.kdump" "$tmp/kf-$tag.kdump" && ok ||
		ko "$tag: repair of the flattened file is not that of the file makedumpfile -R makes: $(cat "$tmp/kf.err")"
	[ "$(sha256sum <"$tmp/qemu-$tag.flat")" = "$fsum" ] && ok || ko "$tag: repair wrote the flattened IN"
	[ "$p" = 4k ] || "$PY" -c 'import sys; d=open(sys.argv[1],"rb").read(512); m=d[12+4*65:12+5*65].rstrip(b"\0"); sys.exit(m != sys.argv[2].encode())' \
		"$tmp/kd-$tag.kdump" "$([ "$e" = le ] && echo ppc64le || echo ppc64)" && ok ||
		ko "$tag: the repaired kdump file's utsname.machine is not the guest's"
	ref=kdump
	[ "$p" = 4k ] && ref=elf
	while read -r -a c; do
		c=("${c[@]/PFN/$pfn}")
		run good "${c[@]/DUMP/$tmp/good-$tag.$ref}"
		run rk "${c[@]/DUMP/$tmp/kd-$tag.kdump}"
		# whole 64K blocks: a few KiB more memory than the forge's PT_LOADs
		[ "$ref" = elf ] && sed -i -e '/^memory:/d' -e '/"phys_bytes"/d' "$tmp/good.out" "$tmp/rk.out"
		same "$tag: the repaired kdump file: ${c[*]}" good rk
		cmp -s "$tmp/good.err" "$tmp/rk.err" && ! grep -q -e '^repaired:' -e '"repaired": "' "$tmp/rk.out" && ok ||
			ko "$tag: the repaired kdump file: ${c[*]}: $(cat "$tmp/rk.err")"
	done < <(cmds)
done

# Hostile: refused with one line, never "repaired"
hostile() {	# hostile LABEL ENDIAN FORM PATTERN
	local label=$1 e=$2 form=$3 pat=$4 c
	"$FORGE" -e "$e" --qemu="$form" hotplug "$tmp/h.elf" || { ko "$label: tce-forge"; return; }
	"$MKDD" --qemu "$tmp/h.elf" "$tmp/h.kdump" >/dev/null || { ko "$label: mkdiskdump"; return; }
	for c in info vmemmap check; do
		run h "$c" "$tmp/h.elf"
		one_line "$label: $c" h 3 "$pat"
		grep -q 'repaired' "$tmp/h.err" && ko "$label: $c says repaired"
		run hk "$c" "$tmp/h.kdump"
		one_line "$label: $c (kdump-compressed)" hk 3 "$pat"
	done
	run h repair "$tmp/h.elf" "$tmp/h-out.elf"
	one_line "$label: repair" h 3 "$pat"
	[ ! -e "$tmp/h-out.elf" ] && ok || ko "$label: repair wrote OUT"
}
hostile "headers little-endian, guest big-endian" be le-headers \
	'its headers are little-endian but the guest.s VMCOREINFO note .* is big-endian: not the fault QEMU is known for'
hostile "no note in guest memory (le)" le no-note "none of its guest memory holds the kernel's VMCOREINFO note"
hostile "no note in guest memory (be)" be no-note "none of its guest memory holds the kernel's VMCOREINFO note"
hostile "two different notes" le two-notes 'two different VMCOREINFO notes of the running kernel .*ambiguous'
hostile "a note of another release" be stale-note "is not the running kernel's: OSRELEASE=.*-old, but init_uts_ns says"
# Hostile flattened files, made from the forge's: refused with one line by every
# command, and repair writes nothing
flat_hostile() {	# flat_hostile LABEL HOW PATTERN
	local label=$1 how=$2 pat=$3 c
	"$PY" - "$tmp/qemu-le-64k.flat" "$tmp/fh.flat" "$how" <<'PY' || { ko "$label: making it"; return; }
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
how = sys.argv[3]
recs, pos = [], 4096
while True:
    off, size = struct.unpack_from('>qq', d, pos)
    if off == -1:
        end = pos
        break
    recs.append((pos, off, size))
    pos += 16 + size
def put(i, off=None, size=None):
    at = recs[i][0]
    if off is not None:
        struct.pack_into('>q', d, at, off)
    if size is not None:
        struct.pack_into('>q', d, at + 8, size)
if how == 'negative-size':
    put(2, size=-4096)
elif how == 'negative-offset':
    put(3, off=-65536)
elif how == 'cut':
    d = d[:recs[-1][0] + 16 + recs[-1][2] // 2]
elif how == 'no-end':
    d = d[:end]
elif how == 'overlap':
    put(len(recs) - 1, off=recs[len(recs) - 3][1])
elif how == 'far':
    put(len(recs) - 1, off=1 << 40)
elif how == 'type':
    struct.pack_into('>q', d, 16, 2)
elif how == 'header-only':
    d = d[:4096]
elif how == 'end-only':
    d = d[:4096] + d[end:end + 16]
open(sys.argv[2], 'wb').write(d)
PY
	for c in info check; do
		run fh "$c" "$tmp/fh.flat"
		one_line "$label: $c" fh 3 "$pat"
	done
	run fh repair "$tmp/fh.flat" "$tmp/fh-out.kdump"
	one_line "$label: repair" fh 3 "$pat"
	[ ! -e "$tmp/fh-out.kdump" ] && ok || ko "$label: repair wrote OUT"
}
F='a flattened makedumpfile file (QEMU.s dump-guest-memory -z, makedumpfile -F): '
flat_hostile "flattened: a negative size" negative-size "$F"'record 2 (file offset [0-9]*) writes -4096 bytes at offset [0-9]*: refused$'
flat_hostile "flattened: a negative offset" negative-offset "$F"'record 3 (file offset [0-9]*) writes [0-9]* bytes at offset -65536: refused$'
flat_hostile "flattened: cut short in a record" cut "$F"'cut short: record [0-9]* (file offset [0-9]*) holds [0-9]* bytes, the file ends [0-9]* bytes after its header$'
flat_hostile "flattened: no end record" no-end "$F"'cut short: no end record after [0-9]* records'
flat_hostile "flattened: overlapping records" overlap "$F"'two records write the bytes at offset [0-9]* (makedumpfile -R keeps the later; neither QEMU nor makedumpfile writes a byte twice): refused$'
flat_hostile "flattened: an offset far past the data" far "$F"'its [0-9]* records hold [0-9]* bytes but reach offset 1099511[0-9]*: refused$'
flat_hostile "flattened: another type" type "$F"'type 2, not 1 (the only one makedumpfile -R reads): refused$'
flat_hostile "flattened: its header alone" header-only "$F"'cut short: 4096 bytes, not even its header and one record$'
# (fuzz-open: no record before the end one reached qsort() with no array, UBSan)
flat_hostile "flattened: its header and the end record" end-only "$F"'its 0 records hold 0 bytes but reach offset 0: refused$'

# powernv's case: headers in the guest's order (little-endian), only VMCOREINFO missing
"$FORGE" --qemu=le-headers hotplug "$tmp/pnv.elf" && run pnv info "$tmp/pnv.elf"
one_line "headers right, no VMCOREINFO: repaired" pnv 0 'repaired in memory (the file is not written): QEMU dump-guest-memory file: no VMCOREINFO'
# section headers in the file's byte order (QEMU on a host of that order): repaired all
# the same, and the line does not mention them
"$FORGE" --qemu=shdr-file-order hotplug "$tmp/fo.elf" && run fo check --format json "$tmp/fo.elf"
run gfo check --format json "$tmp/good-le-64k.elf"
same "section headers in the file's order: check" gfo fo
one_line "section headers in the file's order: the repair line" fo 0 \
	'QEMU dump-guest-memory file: headers big-endian for a little-endian guest; no VMCOREINFO'
# A table of 65536 entries split over two threads (TCE_INSPECT_THREADS=2), the second on
# its own clone of the handle: QEMU's file read without libkdumpfile there too
"$FORGE" --guest-note powernv-tables "$tmp/pt-good.elf" >/dev/null &&
	"$FORGE" --qemu powernv-tables "$tmp/pt-qemu.elf" || ko "tce-forge powernv-tables"
for c in tables entries check; do
	run ptg "$c" --format json "$tmp/pt-good.elf"
	TCE_INSPECT_THREADS=2 run ptq "$c" --format json "$tmp/pt-qemu.elf"
	same "powernv-tables, QEMU's form: $c" ptg ptq
done
# QEMU 7.2's section headers (the other byte order) on a file not otherwise QEMU's (a
# PT_LOAD's p_vaddr in the linear map): refused before libkdumpfile reads them, which
# would allocate what their sh_size says (doc/libkdumpfile-defects.md, 9)
cp "$tmp/qemu-le-64k.elf" "$tmp/ns.elf"
"$PY" - "$tmp/ns.elf" <<'PY'
import struct, sys
with open(sys.argv[1], 'r+b') as f:
    d = f.read(1 << 16)
    phoff, = struct.unpack_from('>Q', d, 32)
    phnum, = struct.unpack_from('>H', d, 56)
    for i in range(phnum):
        at = phoff + 56 * i
        if struct.unpack_from('>I', d, at)[0] == 1:
            paddr, = struct.unpack_from('>Q', d, at + 24)
            f.seek(at + 16)
            f.write(struct.pack('>Q', 0xc000000000000000 | paddr))
            break
PY
for c in info check repair; do
	if [ "$c" = repair ]; then run ns repair "$tmp/ns.elf" "$tmp/ns-out.elf"; else run ns "$c" "$tmp/ns.elf"; fi
	one_line "section headers of QEMU's, not QEMU's dump: $c" ns 3 \
		'section headers in the other byte order than the file.s, as QEMU 7.2.s dump-guest-memory writes them, but not QEMU.s dump of a ppc64 guest: refused'
done
[ ! -e "$tmp/ns-out.elf" ] && ok || ko "section headers of QEMU's, not QEMU's dump: repair wrote OUT"
# not QEMU's shape (p_vaddr in the linear map): refused as any dump without VMCOREINFO
"$FORGE" no-vmcoreinfo "$tmp/nv.elf" && run nv info "$tmp/nv.elf"
one_line "no VMCOREINFO, not QEMU's shape" nv 3 'no VMCOREINFO: not a Linux kernel dump'
grep -q repaired "$tmp/nv.err" && ko "no VMCOREINFO, not QEMU's shape: said repaired"
# QEMU's p_vaddr with VMCOREINFO: nothing to repair
"$FORGE" qemu-vaddr "$tmp/qv.elf" && run qv info "$tmp/qv.elf"
[ "$(cat "$tmp/qv.rc")" = 0 ] && [ ! -s "$tmp/qv.err" ] && ok || ko "qemu-vaddr with VMCOREINFO: $(cat "$tmp/qv.err")"

echo "test-qemu.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
