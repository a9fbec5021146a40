#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-hostile-tables.sh: tce-inspect tables, entries and check on the forge's
# KVM host and powernv machine with one damage planted in their table structures
# (tests/cli/plant-tables.c): cycles in vm_list, a VM's spapr_tce_tables, a LIOBN's
# iommu_tables, hose_list, a PHB's PE list, a VM's memslots and the modules list, pointers to non-canonical and unmapped memory, it_base outside the linear
# map, windows of 2^39-2^40 entries (it_size, stt size, pages[] running out of
# the dump, one level under every top-level entry), and VFIO's preregistered regions
# (a list that loops, hpas[] nowhere, a region of 2^60 pages).  Each must end with its exit
# status, the exact line on stderr, the source's status and why in the JSON, never a
# sanitizer report (exit 99 here), within 20 s and 2 GB of address space beyond what
# the sanitizers reserve.  Prints "N passed, N failed".
set -uo pipefail
rc=0

TCE=${TCE_INSPECT:-cli/tce-inspect}
PLANT=${TCE_PLANT_TABLES:-tests/cli/plant-tables}
FORGE=${TCE_FORGE:-tests/forge/tce-forge}
MKDD=${TCE_MKDISKDUMP:-$(dirname "$FORGE")/mkdiskdump}
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LSAN_OPTIONS="suppressions=$srcdir/tests/cli/lsan-libkdumpfile.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
case ${ASAN_OPTIONS:-} in *exitcode=*) ;; *) export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99" ;; esac
case ${UBSAN_OPTIONS:-} in *exitcode=*) ;; *) export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=99" ;; esac
case ${LSAN_OPTIONS:-} in *exitcode=*) ;; *) export LSAN_OPTIONS="$LSAN_OPTIONS:exitcode=99" ;; esac
command -v jq >/dev/null || { echo "SKIP: no jq"; exit 77; }
# 2 GB of address space; AddressSanitizer reserves terabytes of shadow, so under it
# the bound is its own on the resident size
vlimit=2097152
probe=$( (ulimit -v $vlimit; "$TCE" --version) 2>&1)
if [[ $probe == *ReserveShadowMemoryRange* ]]; then
	vlimit=unlimited
	export ASAN_OPTIONS="$ASAN_OPTIONS:hard_rss_limit_mb=2048"
fi

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# run WHAT WANT-STATUS CMD...: ends within 20 s under the memory bound, exit WANT,
# no sanitizer report; leaves $tmp/out and $tmp/err
run() {
	local what=$1 want=$2
	shift 2
	(ulimit -v "$vlimit"; exec timeout 20 "$TCE" "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = 124 ]; then bad "$what: did not end in 20 s"; return 1; fi
	if [ "$rc" = 99 ] || grep -qE "Sanitizer|runtime error" "$tmp/err"; then
		bad "$what: sanitizer report"; head -5 "$tmp/err"; return 1
	fi
	if [ "$rc" != "$want" ]; then bad "$what: exit $rc, want $want"; head -3 "$tmp/err"; return 1; fi
	ok
}

# plant DAMAGE: the damaged dump as $tmp/DAMAGE (with $tmp/DAMAGE.vmlinux)
plant() {
	"$PLANT" "$1" "$tmp/$1" || { bad "$1: plant-tables failed"; return 1; }
}

# entries and the tables' rules on the damaged dump: their statuses (entries: 1 when
# a search stopped early, as tables; check: 1 for findings, 0 when the damage leaves
# the rules unknown, as without --strict)
every() { # DAMAGE ENTRIES-STATUS CHECK-STATUS
	local d=$1
	run "$d: entries" "$2" entries -s "$tmp/$d.vmlinux" "$tmp/$d"
	run "$d: check" "$3" check --rules 'TCE-[!V]*' -s "$tmp/$d.vmlinux" "$tmp/$d"
}

# a list cut short: tables' stderr line and the source's status and why
list() { # DAMAGE SOURCE WHY
	local d=$1 src=$2 why=$3
	plant "$d" || return
	run "$d: tables" 1 tables --format json -s "$tmp/$d.vmlinux" "$tmp/$d" || return
	want="tce-inspect: $tmp/$d: $src tables: the search stopped early: $why"
	[ "$(cat "$tmp/err")" = "$want" ] && ok ||
		bad "$d: stderr '$(cat "$tmp/err")', want '$want'"
	got=$(jq -r ".sources.$src | .status + \": \" + .why" "$tmp/out")
	[ "$got" = "partial: $why" ] && ok || bad "$d: JSON source $src: $got"
}

list vm-cycle kvm "vm_list: the entry at 0xc0000000027d0bd0 links back to 0xc0000000027d7110, met before: a cycle"
list stt-cycle kvm "a VM's spapr_tce_tables: the entry at 0xc0000000027dc800 links back to 0xc0000000027dc980, met before: a cycle"
list vm-noncanonical kvm "a VM's spapr_tce_tables: 0x1234567800000258: No way to translate"
list vm-unmapped kvm "a VM's spapr_tce_tables: 0xc000000ff0000258: 0xc000000ff0000258 is not mapped"
list pe-cycle powernv "a PHB's ioda.pe_list: the entry at 0xc000000002786600 links back to 0xc000000002786550, met before: a cycle"
list stit-cycle kvm "a LIOBN's iommu_tables: the entry at 0xc000000002910050 links back to 0xc000000002910050, met before: a cycle"
# the two PHBs' pci_controllers link to each other: the PHBs before the loop are
# powernv ones, so that platform's search stopped early and pseries' did not run
list hose-cycle powernv "hose_list: the entry at 0xc0000000027866d8 links back to 0xc000000002730158, met before: a cycle" &&
	{ [ "$(jq -r '.sources.pseries.status + " " + (.sources.powernv.count | tostring)' "$tmp/out")" = "absent 2" ] &&
		ok || bad "hose-cycle: pseries not absent, or not 2 PHBs: $(jq -c .sources "$tmp/out")"; }

# a VM's memslots (gfn_tree) loop: discovery is whole, every entry of that VM has an
# unknown host page saying which tree looped, the other VM's are joined, and
# TCE-KVM-NO-MEMSLOT is unknown (not a pass) for it
if plant memslot-cycle; then
	why="kvm 0xc0000000027d02c0's memslots (gfn_tree): node 0xc0000000027dcf00 is reached twice: a cycle"
	run "memslot-cycle: entries" 0 entries --format json -s "$tmp/memslot-cycle.vmlinux" "$tmp/memslot-cycle" &&
		{ got=$(jq -r '.entries[] | select(.host == "unknown") | .host_why' "$tmp/out" | sort | uniq -c | sed 's/^ *//')
		  [ "$got" = "24 $why" ] && ok || bad "memslot-cycle: unknown entries: '$got'"
		  n=$(jq '[.entries[] | select(.host == "present" and .kind == "kvm")] | length' "$tmp/out")
		  [ "$n" = 3 ] && ok || bad "memslot-cycle: $n entries of VM b joined, want 3"; }
	run "memslot-cycle: check" 0 check --format json --rules TCE-KVM-NO-MEMSLOT -s "$tmp/memslot-cycle.vmlinux" "$tmp/memslot-cycle" &&
		{ got=$(jq -r '.outcomes[0] | .outcome + ": " + .reason' "$tmp/out")
		  want="unknown: 24 entries or tables could not be decided, the first: the memslots of kvm:pid=1001:liobn=0x80000001 entry 0x80000000000's VM: $why"
		  [ "$got" = "$want" ] && ok || bad "memslot-cycle: TCE-KVM-NO-MEMSLOT '$got'"; }
fi

# the modules list loops (KVM built as modules, its types in kvm.ko's DWARF): before
# kvm.ko, the KVM source cannot be searched and says the list looped; after it, the
# tables are all found and types names the loop
if plant modules-loop-first; then
	d=modules-loop-first
	loop="the modules list loops back: module kvm_hv links to module kvm_hv (0xc008000010060000), met before, not to the list's head (a cycle after 1 module)"
	run "$d: tables" 3 tables --format json -s "$tmp/$d.vmlinux" --debug-dir "$tmp/$d.debug" "$tmp/$d" &&
		{ [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^tce-inspect: $tmp/$d: kvm tables cannot be searched: whether kvm.ko is loaded: ${loop//[()]/.}; symbol vm_list is unknown (" "$tmp/err" &&
			ok || bad "$d: stderr: $(cat "$tmp/err")"
		  [ "$(jq -r '.sources.kvm.status + " " + .sources.powernv.status' "$tmp/out")" = "unknown found" ] &&
			ok || bad "$d: sources $(jq -c .sources "$tmp/out")"; }
fi
if plant modules-cycle; then
	d=modules-cycle
	run "$d: tables" 0 tables --format json -s "$tmp/$d.vmlinux" --debug-dir "$tmp/$d.debug" "$tmp/$d" &&
		{ [ "$(jq -r '.sources.kvm | .status + " " + (.count | tostring)' "$tmp/out")" = "found 2" ] &&
			ok || bad "$d: kvm source $(jq -c .sources.kvm "$tmp/out")"; }
	run "$d: types" 0 types -s "$tmp/$d.vmlinux" --debug-dir "$tmp/$d.debug" "$tmp/$d" &&
		{ grep -qxF "modules:    2 on the list; the modules list loops back: module kvm links to module kvm_hv (0xc008000010060000), met before, not to the list's head (a cycle after 2 modules)" "$tmp/out" &&
			ok || bad "$d: types: $(grep '^modules' "$tmp/out")"; }
fi
# a third module named as the first (no kernel loads two of one name): the list is read
# no further, what came before stands (a list of forged modules, each with 65280
# sections or 2^20 symbols, is also bounded: MODS_READS_MAX in all, modules-budget)
if plant modules-dup; then
	d=modules-dup
	run "$d: types" 0 types -s "$tmp/$d.vmlinux" --debug-dir "$tmp/$d.debug" "$tmp/$d" &&
		{ grep -qxF "modules:    2 on the list; the modules list names module kvm_hv twice (at 0xc008000010060000 and 0xc008000010062000), which no kernel loads: read no further" "$tmp/out" &&
			ok || bad "$d: types: $(grep '^modules' "$tmp/out")"; }
	run "$d: tables" 0 tables --format json -s "$tmp/$d.vmlinux" --debug-dir "$tmp/$d.debug" "$tmp/$d" &&
		{ [ "$(jq -r '.sources.kvm | .status + " " + (.count | tostring)' "$tmp/out")" = "found 2" ] &&
			ok || bad "$d: kvm source $(jq -c .sources.kvm "$tmp/out")"; }
fi

# six forged modules after kvm, each claiming 2^20 symbols (a symtab the dump lacks, no
# memory of their own to bound it): the first three are read (and fail), then the
# budget of 2^22 sections, notes and symbols for all modules is spent, and the rest are
# not read; the tables found before them stand
if plant modules-budget; then
	d=modules-budget
	run "$d: types" 0 types --format json -s "$tmp/$d.vmlinux" --debug-dir "$tmp/$d.debug" "$tmp/$d" &&
		{ got=$(jq -r '.modules[2:] | map(.name + ": " + (.note | sub("; no .ko with DWARF.*"; ""))) | .[]' "$tmp/out")
		  read1="sections: no sect_attrs; build id: no .note.gnu.build-id in notes_attrs or sect_attrs; kallsyms: its symtab of 1048576 symbols: 0xc00000ff00000000: 0xc00000ff00000000 is not mapped"
		  capped="sections: no sect_attrs; build id: no .note.gnu.build-id in notes_attrs or sect_attrs; kallsyms: num_symtab 1048576 is more than the modules before it leave to read (4194304 sections, notes and symbols in all)"
		  want=$(printf 'm0: %s\nm1: %s\nm2: %s\nm3: %s\nm4: %s\nm5: %s' "$read1" "$read1" "$read1" "$capped" "$capped" "$capped")
		  [ "$got" = "$want" ] && ok || bad "$d: types: modules $got"; }
	run "$d: tables" 0 tables --format json -s "$tmp/$d.vmlinux" --debug-dir "$tmp/$d.debug" "$tmp/$d" &&
		{ [ "$(jq -r '.sources.kvm | .status + " " + (.count | tostring)' "$tmp/out")" = "found 2" ] &&
			ok || bad "$d: kvm source $(jq -c .sources.kvm "$tmp/out")"; }
fi

# it_base outside the linear map: no table to read, said so
plant it-base-vmalloc &&
	run "it-base-vmalloc: tables" 0 tables -s "$tmp/it-base-vmalloc.vmlinux" "$tmp/it-base-vmalloc" &&
	{ grep -qxF "      entries: iommu_table at 0xc0000000027d1c80: it_base 0xc008000000000000 is not in the kernel's linear map" "$tmp/out" &&
		ok || bad "it-base-vmalloc: no line saying it_base is not in the linear map"; }

# windows of 2^39..2^40 entries: the entries the dump cannot hold are unknown, counted
# in one step, never walked a chunk at a time (that took longer than any timeout)
huge() { # DAMAGE TEXT
	plant "$1" || return
	run "$1: tables" 0 tables -s "$tmp/$1.vmlinux" "$tmp/$1" || return
	grep -qF -- "$2" "$tmp/out" && ok || bad "$1: no '$2' in: $(grep -E 'valid' "$tmp/out" | head -5)"
}
huge it-size "valid 19 (+1099511201792 unknown)"
huge stt-size "valid 27 (+1098160644096 unknown)"
huge stt-pages-unmapped "valid 21 (+548405133312 unknown)"
huge it-shared-level "valid 17 (+1013667799040 unknown)"

# kdump-compressed holes (tests/forge/mkdiskdump --exclude: pages makedumpfile left out)
# in the 6.12 powernv machine with 4K pages, whose table t0 is one level of 128 pages:
# a chunk of the level spanning an excluded page loses that page's 512 entries only
# (the other pages of the chunk are read), an excluded struct page is "not in the dump"
# for the pfns it holds and no other, and a 2^40-entry window over what the file lacks
# is skipped through the page bitmap (a chunk at a time took minutes)
if "$FORGE" -k 6.12 -p 4k --radix -v -V "$tmp/pnv4k.vmlinux" powernv-tables "$tmp/pnv4k" |
	tr ' ' '\n' >"$tmp/pnv4k.facts"; then
	# where t0 and its level are (the forge's facts), and pfn 0x102's struct page (the
	# page command on the whole ELF file)
	t0=$(sed -n 's/^tbl\.t0=//p' "$tmp/pnv4k.facts")
	base=$(sed -n 's/^tbl\.t0\.base=0xc0*\([0-9a-f]\{1,\}\)$/0x\1/p' "$tmp/pnv4k.facts")
	sp=$("$TCE" page "$tmp/pnv4k" 0x102 | sed -n 's/^  pgtable *\(0x[0-9a-f]*\) (reference)$/\1/p')
	if [ -n "$t0" ] && [ -n "$base" ] && [ -n "$sp" ] &&
		"$MKDD" -x $((base + 4096)) -x "$sp" "$tmp/pnv4k" "$tmp/pnv4k-hole.kdump"; then
		run "kdump hole: entries" 0 entries --format json -s "$tmp/pnv4k.vmlinux" "$tmp/pnv4k-hole.kdump" "$t0" &&
			{ got=$(jq -r '[(.entries | length), .tables[0].unknown] | map(tostring) | join(" ")' "$tmp/out")
			  [ "$got" = "5 512" ] && ok || bad "kdump hole: entries and unknown '$got', want '5 512'"
			  got=$(jq -r '.entries[] | select(.host_pfn == "0x102") | .page.error' "$tmp/out" | sort -u)
			  want="pfn 0x102: struct page at 0xc00c000000004080: physical $sp is not in the dump: makedumpfile excluded its page"
			  [ "$got" = "$want" ] && ok || bad "kdump hole: pfn 0x102's struct page: '$got'"; }
		run "kdump hole: page" 1 page "$tmp/pnv4k-hole.kdump" 0x102 0x142 &&
			{ [ "$(grep -c '^  error ' "$tmp/out")" = 1 ] && grep -q '^  _refcount  1$' "$tmp/out" &&
				ok || bad "kdump hole: page 0x102 0x142: $(grep -E '^(pfn|  error|  _refcount)' "$tmp/out")"; }
	else
		bad "kdump hole: no t0 ('$t0'), its base ('$base') or struct page ('$sp'), or mkdiskdump failed"
	fi
	# t0's own structure left out: listed with why, and no id (its it_index was never
	# read: not 0x0); the tables that could be read have theirs
	tphys=$(printf '0x%x' $((t0 & 0x0fffffffffffffff)))
	if [ -n "$t0" ] && "$MKDD" -x "$tphys" "$tmp/pnv4k" "$tmp/pnv4k-t0.kdump"; then
		run "kdump without t0's structure: tables" 0 tables --format json -s "$tmp/pnv4k.vmlinux" "$tmp/pnv4k-t0.kdump" &&
			{ got=$(jq -r --arg a "$t0" '.tables[] | select(.address == $a) | [.id, .error] | map(tostring) | join(" | ")' "$tmp/out")
			  want="null | iommu_table at $t0: it_size: physical $(printf '0x%x' $((tphys + 8))) is not in the dump: makedumpfile excluded its page"
			  [ "$got" = "$want" ] && ok || bad "kdump without t0: '$got', want '$want'"
			  got=$(jq -r '[.tables[] | select(.error == null) | .id | test("^0x[0-9a-f]+$")] | map(tostring) | join(" ")' "$tmp/out")
			  [ "$got" = "true true" ] && ok || bad "kdump without t0: the readable tables' ids: '$got'"; }
	else
		bad "kdump without t0's structure: mkdiskdump failed"
	fi
fi
if [ -e "$tmp/it-size" ] && "$MKDD" "$tmp/it-size" "$tmp/it-size.kdump"; then
	run "it-size kdump: tables" 0 tables -s "$tmp/it-size.vmlinux" "$tmp/it-size.kdump" &&
		{ grep -qF -- "valid 19 (+1099511201792 unknown)" "$tmp/out" && ok ||
			bad "it-size kdump: $(grep valid "$tmp/out" | head -3)"; }
fi

# VFIO's preregistered regions damaged: a list that loops, hpas[] nowhere, a region of
# 2^60 pages; what they leave undecided is unknown with the reason, never a finding,
# never a pass
vfio() { # DAMAGE RULE REASON-START
	local d=$1 rule=$2 why=$3 got
	[ -e "$tmp/$d" ] || { plant "$d" || return; }
	run "$d: check" 0 check --format json --rules 'TCE-VFIO-*' -s "$tmp/$d.vmlinux" "$tmp/$d" || return
	got=$(jq -r --arg r "$rule" '.outcomes[] | select(.id == $r) | .outcome + ": " + .reason' "$tmp/out")
	[[ $got == "unknown: "*"$why"* ]] && ok || bad "$d: $rule '$got', want unknown: ...$why..."
	[ "$(jq '.findings | length' "$tmp/out")" = 0 ] && ok || bad "$d: findings $(jq -c .findings "$tmp/out")"
}
plant prereg-cycle && {
	cyc="iommu_group_mem_list: the entry at 0xc000000002831640 links back to 0xc000000002831640, met before: a cycle"
	vfio prereg-cycle TCE-VFIO-MAPPED "$cyc"
	vfio prereg-cycle TCE-VFIO-UNPINNED "$cyc"
}
"$PLANT" prereg-hpas-outside radix "$tmp/prereg-hpas-outside" && {
	vfio prereg-hpas-outside TCE-VFIO-HPA-MISMATCH "hpas[] of the region at ua 0x3ffe00000000: "
	vfio prereg-hpas-outside TCE-VFIO-UNPINNED "hpas[] of the region at ua 0x3ffe00000000: "
} || bad "prereg-hpas-outside: plant-tables failed"
"$PLANT" prereg-entries-huge radix "$tmp/prereg-entries-huge" && {
	vfio prereg-entries-huge TCE-VFIO-NO-REGION "the preregistered region at ua 0x3fff00000000 claims 0x1000000000000000 pages"
	vfio prereg-entries-huge TCE-VFIO-MAPPED "claims 0x1000000000000000 pages"
	vfio prereg-entries-huge TCE-VFIO-UNPINNED "claims 0x1000000000000000 pages"
} || bad "prereg-entries-huge: plant-tables failed"

while read -r d e c; do
	[ -e "$tmp/$d" ] && every "$d" "$e" "$c"
done <<'LIST'
vm-cycle 1 1
stt-cycle 1 1
vm-noncanonical 1 0
vm-unmapped 1 0
pe-cycle 1 1
stit-cycle 1 1
hose-cycle 1 1
memslot-cycle 0 0
it-base-vmalloc 0 0
it-size 0 1
stt-size 0 1
stt-pages-unmapped 0 1
it-shared-level 0 1
prereg-cycle 0 0
prereg-hpas-outside 0 0
prereg-entries-huge 0 0
LIST

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
