#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-threads.sh: `check` gives the same answer with one thread and with two,
# and without verdicts (TCE_INSPECT_VERDICTS=0: every batch judged entry by entry, none
# from what the same TCE values brought to earlier batches' sums).
# Big tables are split over two threads (libtce/model/tables.c: each half walked and
# judged by a pass of its own, on its own handle on the dump; the second half starts
# where a run of consecutive host pages starts, and its findings follow the first's);
# TCE_INSPECT_THREADS=2 splits every table, =1 none.  On every forge table machine (both
# byte orders, hash and radix, 6.1 and 6.12, 64K and 4K pages), a kdump-compressed copy
# with a level page and a struct page left out, every damage tests/cli/plant-tables
# plants (cycles, windows of 2^40 entries, a level under every top-level entry, one
# level under two top-level entries the halves meet one each: TCE-LEVEL-BAD only if
# the second half is walked again after the first), the forge's scale profile (runs of
# pages, freed pages in them; hash: every host entry undecided) and the repository's
# real samples, the JSON of the three runs and their exit statuses must be identical.
# Prints "N passed, N failed".
set -uo pipefail

TCE=${TCE_INSPECT:-cli/tce-inspect}
FORGE=${TCE_FORGE:-tests/forge/tce-forge}
PLANT=${TCE_PLANT_TABLES:-tests/cli/plant-tables}
MKDD=${TCE_MKDISKDUMP:-$(dirname "$FORGE")/mkdiskdump}
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LSAN_OPTIONS="suppressions=$srcdir/tests/cli/lsan-libkdumpfile.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
pass=0
fail=0

# same NAME DUMP [ARGS...]: check with one thread, with two, and with one and no verdicts
same() {
	local name=$1 dump=$2 s1 s2 s3
	shift 2
	TCE_INSPECT_THREADS=1 "$TCE" check --no-debuginfod --format json "$@" "$dump" \
		>"$tmp/one" 2>"$tmp/one.err"
	s1=$?
	TCE_INSPECT_THREADS=2 "$TCE" check --no-debuginfod --format json "$@" "$dump" \
		>"$tmp/two" 2>"$tmp/two.err"
	s2=$?
	TCE_INSPECT_THREADS=1 TCE_INSPECT_VERDICTS=0 "$TCE" check --no-debuginfod --format json \
		"$@" "$dump" >"$tmp/nov" 2>"$tmp/nov.err"
	s3=$?
	if [ "$s1" -gt 1 ] || ! grep -q '"outcomes"' "$tmp/one"; then
		echo "FAIL: $name: one thread: exit $s1: $(head -c 300 "$tmp/one.err")"
		fail=$((fail + 1))
	elif differs "$name" "exit $s1 with one thread, $s2 with two" "$s1" "$s2" one two ||
		differs "$name" "exit $s1 with verdicts, $s3 without" "$s1" "$s3" one nov; then
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

# differs NAME WHAT STATUS-A STATUS-B A B: do runs A and B ($tmp/A, $tmp/A.err) differ?
# (then a line saying so and the first differences)
differs() {
	if [ "$3" = "$4" ] && cmp -s "$tmp/$5" "$tmp/$6" && cmp -s "$tmp/$5.err" "$tmp/$6.err"; then
		return 1
	fi
	echo "FAIL: $1: $2"
	diff "$tmp/$5" "$tmp/$6" | head -10
	diff "$tmp/$5.err" "$tmp/$6.err" | head -4
	return 0
}

for k in 6.1 6.12; do
	for e in le be; do
		for m in hash radix; do
			for sc in kvm-tables powernv-tables vfio-tables; do
				r=
				[ $m = radix ] && r=--radix
				n="$sc-$k-$e-$m"
				"$FORGE" -k $k -e $e $r -V "$tmp/$n.vmlinux" "$sc" "$tmp/$n" \
					>/dev/null 2>&1 || continue
				same "$n" "$tmp/$n" -s "$tmp/$n.vmlinux"
				rm -f "$tmp/$n"
			done
		done
	done
done
# 4K pages; and a kdump-compressed copy lacking a level page and a struct page: the
# worker reads the page bitmap through its own copy of it
if "$FORGE" -k 6.12 -p 4k --radix -v -V "$tmp/pnv4k.vmlinux" powernv-tables "$tmp/pnv4k" |
	tr ' ' '\n' >"$tmp/pnv4k.facts"; then
	same "powernv-tables-6.12-4k" "$tmp/pnv4k" -s "$tmp/pnv4k.vmlinux"
	base=$(sed -n 's/^tbl\.t0\.base=0xc0*\([0-9a-f]\{1,\}\)$/0x\1/p' "$tmp/pnv4k.facts")
	sp=$("$TCE" page "$tmp/pnv4k" 0x102 | sed -n 's/^  pgtable *\(0x[0-9a-f]*\) (reference)$/\1/p')
	if [ -n "$base" ] && [ -n "$sp" ] &&
		"$MKDD" -x $((base + 4096)) -x "$sp" "$tmp/pnv4k" "$tmp/pnv4k-hole.kdump"; then
		same "powernv-tables-6.12-4k kdump with holes" "$tmp/pnv4k-hole.kdump" \
			-s "$tmp/pnv4k.vmlinux"
	else
		echo "FAIL: no kdump-compressed copy with holes (base '$base', struct page '$sp')"
		fail=$((fail + 1))
	fi
else
	echo "FAIL: tce-forge powernv-tables -k 6.12 -p 4k"
	fail=$((fail + 1))
fi
# made NAME DUMP CMD...: CMD writes DUMP and DUMP.vmlinux; then one thread against two
made() {
	local name=$1 dump=$2
	shift 2
	if "$@" >/dev/null 2>&1; then
		same "$name" "$dump" -s "$dump.vmlinux"
	else
		echo "FAIL: $name: $*"
		fail=$((fail + 1))
	fi
	rm -f "$dump" "$dump.vmlinux"
}
# damaged tables: what the two halves find must be what one walk finds
for d in vm-cycle stt-cycle memslot-cycle memslot-npages stt-size stt-pages-unmapped \
	stit-cycle it-size it-level-size it-levels it-base-vmalloc it-shared-level \
	it-level-twice diff-pnv diff-kvm; do
	made "plant $d" "$tmp/$d" "$PLANT" "$d" "$tmp/$d"
done
# the scale profile's smallest: 1M valid entries in hardware tables and a KVM guest
# view, many on pages in runs, a few on freed pages (radix: findings); hash: it_map is
# vmalloc'd, which the forge maps for radix only, so every host entry is undecided for
# TCE-ITMAP-CLEAR, in both halves
for r in "" --radix; do
	made "scale 1m ${r:---hash}" "$tmp/scale" "$FORGE" $r -S 1m -V "$tmp/scale.vmlinux" \
		"$tmp/scale"
done
# the real samples (their type information is in the dump: BTF, or none needed)
for s in "$srcdir"/tests/fixtures/sample-*.elf.xz; do
	n=$(basename "$s" .xz)
	xz -dc "$s" >"$tmp/$n" || { fail=$((fail + 1)); continue; }
	same "$n" "$tmp/$n"
	rm -f "$tmp/$n"
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
