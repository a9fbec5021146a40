#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/run-real.sh [DUMP...]: runs tce-inspect on real dumps and checks every answer
# against oracle.py with compare.py.  It owns the end-to-end check of the CLI on real
# kernels: `tce-inspect vmemmap --format json DUMP` (every block, in list order) and
# `tce-inspect page --format json DUMP PFN...` (translations and struct page fields) for
# the pfns oracle.py samples (first, middle and last struct page of every vmemmap block, or
# without a vmemmap_list of every vmemmap page-table leaf and present memory section), and
# `tce-inspect info --format json DUMP` (page size, release, the MMU).  Where the oracle
# can locate no struct page at all, `page` must exit non-zero (never a silent non-answer).
# Without arguments: the repo's samples (tests/fixtures: hash-hotplug, radix, hash-vga,
# d13-radix) and whatever dumps mkdump.sh has left in the cache.
# With a truth.txt beside them (mkdump.sh's TCE-table recipes), check-tables.py compares
# `tce-inspect tables` and `entries` with it (see below).
# Debian 13 (6.12) dumps count like any other.  TCE_INSPECT names the binary (default:
# the build tree's); EXPECT_FINDINGS="ID ..." requires those findings on dumps whose
# vmemmap_list is out of order; every finding over memory the dump holds but the kernel
# does not manage (no present mem_section: the hash-vga sample's video RAM) must be of
# severity info (TCE-DUMP-UNMANAGED); UNMANAGED_AT_MOST_INFO=0 lifts that.  tce-inspect may exit 0 or 1 (findings); 2 or 3 is a
# failure.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
PY=/usr/bin/python3
TCE=${TCE_INSPECT:-$TOP/cli/tce-inspect}
[ -x "$TCE" ] || { echo "run-real.sh: no tce-inspect at $TCE (build it, or set TCE_INSPECT)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dumps=("$@")
if [ ${#dumps[@]} -eq 0 ]; then
	for s in hash-hotplug radix hash-vga d13-radix; do
		[ -f "$TOP/tests/fixtures/sample-$s.elf.xz" ] || continue
		xz -dc "$TOP/tests/fixtures/sample-$s.elf.xz" >"$tmp/sample-$s.elf"
		dumps+=("$tmp/sample-$s.elf")
	done
	for f in "$CACHE"/dumps/*/vmcore.elf "$CACHE"/dumps/*/vmcore*.kdump; do
		[ -f "$f" ] && dumps+=("$f")
	done
fi

check_dump() {
	local d=$1 n=$((pass + fail)) rc
	echo "== $d"
	if ! "$PY" "$HERE/oracle.py" -o "$tmp/truth.json" "$d"; then
		fail=$((fail + 1))
		return
	fi
	expect=()
	if ! "$PY" -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["descending"] else 1)' "$tmp/truth.json"; then
		for id in ${EXPECT_FINDINGS:-}; do expect+=(--expect-finding "$id"); done
	fi
	[ "${UNMANAGED_AT_MOST_INFO:-1}" = 1 ] && expect+=(--unmanaged-at-most-info)
	"$TCE" vmemmap --format json "$d" >"$tmp/vmemmap.json"
	rc=$?
	if [ $rc -gt 1 ]; then
		echo "FAIL: tce-inspect vmemmap exited $rc"
		fail=$((fail + 1))
	elif "$PY" "$HERE/compare.py" "${expect[@]}" "$tmp/truth.json" "$tmp/vmemmap.json"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
	mapfile -t pfns < <("$PY" -c 'import json,sys; [print(p["pfn"]) for p in json.load(open(sys.argv[1]))["pages"]]' "$tmp/truth.json")
	"$TCE" page --format json "$d" "${pfns[@]}" >"$tmp/page.json"
	rc=$?
	if [ $rc -gt 1 ]; then
		echo "FAIL: tce-inspect page exited $rc"
		fail=$((fail + 1))
	elif "$PY" "$HERE/compare.py" --require-all "$tmp/truth.json" "$tmp/page.json"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
	# No struct page can be located (every sampled pfn has an oracle error): the tool must
	# say so with its exit status, not only in the JSON.
	if "$PY" -c 'import json,sys; p=json.load(open(sys.argv[1]))["pages"]; sys.exit(0 if p and all("error" in x for x in p) else 1)' "$tmp/truth.json"; then
		if [ $rc -eq 0 ]; then
			echo "FAIL: no struct page can be located in $d, yet tce-inspect page exited 0"
			fail=$((fail + 1))
		else
			pass=$((pass + 1))
		fi
	fi
	[ $((pass + fail)) -gt "$n" ] || fail=$((fail + 1))
	# info: the page size, the release and the MMU.
	"$TCE" info --format json "$d" >"$tmp/info.json"
	rc=$?
	if [ $rc -gt 1 ]; then
		echo "FAIL: tce-inspect info exited $rc"
		fail=$((fail + 1))
	elif "$PY" "$HERE/compare.py" "$tmp/truth.json" "$tmp/info.json"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
	[ $((pass + fail)) -gt "$n" ] || fail=$((fail + 1))
}

pass=0
fail=0
for d in "${dumps[@]}"; do
	check_dump "$d"
done

# TCE tables (without arguments, or with TABLE_DIRS="DIR ..."): check-tables.py on every
# dump directory mkdump.sh left with a truth.txt (pnv-kvm, pnv-kvm-16m, pnv8-kvm, pnv-nic,
# Debian 13's d13-pnv-kvm, d13-64k-pnv-kvm, d13-pnv8-kvm, d13-pnv-nic, and their .kdump
# forms), with the debug tree and with no debug file; directories not in the cache are
# simply not there.  Exit 77 (no
# tables/entries command in this tce-inspect yet) counts as skipped.
skipped=0
# tally STATUS: a checker's exit status counted (77: skipped)
tally() {
	case $1 in
	0) pass=$((pass + 1)) ;;
	77) skipped=$((skipped + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
}
table_dirs=()
if [ -n "${TABLE_DIRS:-}" ]; then
	read -r -a table_dirs <<<"$TABLE_DIRS"
elif [ $# -eq 0 ]; then
	for t in "$CACHE"/dumps/*/truth.txt; do
		[ -f "$t" ] && table_dirs+=("$(dirname "$t")")
	done
fi
for td in "${table_dirs[@]}"; do
	echo "== tables: $td"
	# a dump of the project's patched kernel is read with the vmlinux its meta.json names
	vml=()
	v=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("vmlinux", ""))' \
		"$td/meta.json" 2>/dev/null) && [ -n "$v" ] && vml=(--vmlinux "$v")
	"$PY" "$HERE/check-tables.py" "${vml[@]}" "$td" "$TCE"
	tally $?
	# The same with no debug file at all: what kallsyms and the BTF a
	# CONFIG_DEBUG_INFO_BTF kernel keeps in memory give (Debian 13's d13-pnv-* dumps:
	# every hardware table; KVM's needs kvm.ko's types), else exit 3 with one line.
	echo "== tables without debug files: $td"
	"$PY" "$HERE/check-tables.py" --no-debug-files "$td" "$TCE"
	tally $?
done
# Two dumps of one running guest, before and after its truth program changed its tables
# (mkdump.sh pnv-kvm-change): tce-inspect diff against the two truths (check-diff.py;
# 77 when the cache lacks them)
if [ $# -eq 0 ]; then
	echo "== diff: $CACHE/dumps/pnv-kvm-change"
	"$PY" "$HERE/check-diff.py" "$CACHE/dumps/pnv-kvm-change" "$TCE"
	tally $?
fi
# Faults planted in copies of the cached dumps (issue 15): plant-faults.py checks that
# `check` names each (rule, key, exit 1) and that the table dumps are healthy; skipped (77)
# without drgn, the debug trees or the dumps.
if [ $# -eq 0 ]; then
	fault_dirs=()
	for m in "$CACHE"/dumps/*/meta.json; do
		[ -f "$(dirname "$m")/vmcore.elf" ] && fault_dirs+=("$(dirname "$m")")
	done
	if [ ${#fault_dirs[@]} -gt 0 ]; then
		echo "== faults planted in copies of real dumps"
		"$PY" "$HERE/plant-faults.py" "$TCE" "$CACHE/debug/trees" "${fault_dirs[@]}"
		tally $?
	fi
fi
# Loops planted in copies of the cached dumps (issue 17): modules, a VM's
# spapr_tce_tables, a LIOBN's iommu_tables, memslots, hose_list, pci_dn; each ends
# with its exit status and one line naming the list
if [ $# -eq 0 ]; then
	echo "== loops planted in copies of real dumps"
	"$PY" "$HERE/plant-cycles.py" "$TCE" "$CACHE/debug/trees" "$CACHE/dumps"
	tally $?
fi
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]

