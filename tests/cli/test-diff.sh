#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-diff.sh: tce-inspect diff on pairs of the forge's machines, the later
# one made by tests/cli/plant-tables.c (diff-pnv: powernv-tables' t0 with an entry
# unmapped, one mapped to a free page, one remapped, one made writable, and a new table
# in PE 0x1fe; diff-kvm: kvm-tables' a4k likewise, an entry mapped outside every
# memslot, a64k's entry outside them unmapped).  Each pair's exact text and exit status
# (1 when a finding at or above --fail-on appeared), its JSON against what the planting
# changed and the schema, the pair reversed, a pair with no difference (exit 0, nothing
# listed), the per-dump options, NEW without type information (not compared, OLD's
# finding undecided; --strict fails), and bad input (one line, exit 2 or 3).  Both byte
# orders.  Prints "N passed, N failed".
set -uo pipefail

TCE=${TCE_INSPECT:-cli/tce-inspect}
PLANT=${TCE_PLANT_TABLES:-tests/cli/plant-tables}
FORGE=${TCE_FORGE:-tests/forge/tce-forge}
PY=${PYTHON:-python3}
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
SCHEMA=$srcdir/doc/tce-inspect.schema.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LSAN_OPTIONS="suppressions=$srcdir/tests/cli/lsan-libkdumpfile.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
case ${ASAN_OPTIONS:-} in *exitcode=*) ;; *) export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99" ;; esac
case ${UBSAN_OPTIONS:-} in *exitcode=*) ;; *) export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=99" ;; esac
export DEBUGINFOD_URLS=

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# run WHAT WANT-STATUS ARGS...: exit WANT, no sanitizer report; $tmp/out, $tmp/err
run() {
	local what=$1 want=$2 rc
	shift 2
	timeout 120 "$TCE" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = 99 ] || grep -qE "Sanitizer|runtime error" "$tmp/err"; then
		bad "$what: sanitizer report"; head -5 "$tmp/err"; return 1
	fi
	if [ "$rc" != "$want" ]; then
		bad "$what: exit $rc, want $want"; head -3 "$tmp/err"; return 1
	fi
	ok
}

# same WHAT FILE: $tmp/out is FILE's text, byte for byte
same() {
	if diff -u "$2" "$tmp/out" >"$tmp/d"; then ok; else bad "$1: output differs"; head -30 "$tmp/d"; fi
}

# one_line WHAT PATTERN: stderr is one line matching PATTERN (grep -E)
one_line() {
	if [ "$(wc -l <"$tmp/err")" = 1 ] && grep -qE "$2" "$tmp/err"; then ok
	else bad "$1: stderr is not the one line /$2/: $(head -3 "$tmp/err")"; fi
}

# schema WHAT: $tmp/out parses and follows the schema (when python3-jsonschema is there)
schema() {
	"$PY" - "$tmp/out" "$SCHEMA" <<'PYEOF' && ok || bad "$1: JSON does not follow the schema"
import json, sys
doc = json.load(open(sys.argv[1]))
try:
    import jsonschema
except ImportError:
    sys.exit(0)
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[2])))
errs = list(v.iter_errors(doc))
for e in errs[:3]:
    print(e.message[:300], list(e.absolute_path))
sys.exit(1 if errs else 0)
PYEOF
}

for endian in le be; do
	e=() pe=()
	[ $endian = be ] && { e=(--endian be); pe=(be); }
	o=$tmp/pnv-$endian n=$tmp/pnv2-$endian
	if ! "$FORGE" "${e[@]}" powernv-tables "$o" --vmlinux-out "$o.vmlinux" >/dev/null 2>"$tmp/ferr" ||
	   ! "$FORGE" "${e[@]}" powernv-tables "$o.again" --vmlinux-out "$o.again.vmlinux" \
		>/dev/null 2>"$tmp/ferr" ||
	   ! "$PLANT" diff-pnv "${pe[@]}" "$n" 2>"$tmp/ferr"; then
		bad "pnv $endian: forge failed: $(head -1 "$tmp/ferr")"
		continue
	fi

	# --- no difference: the machine forged twice ---
	run "pnv $endian: same" 0 diff -s "$o.vmlinux" "$o" "$o.again" &&
	cat >"$tmp/want" <<EOF &&
old:      $o
new:      $o.again
no difference: 3 tables, 12 valid entries and 1 finding in both
EOF
	same "pnv $endian: same" "$tmp/want"

	# --- the later machine: a free page mapped, so a finding appeared: exit 1 ---
	run "pnv $endian" 1 diff -s "$o.vmlinux" "$o" "$n" &&
	cat >"$tmp/want" <<EOF &&
old:      $o
new:      $n

table iommu:phb=0:pe=0x1fd:window=0x0 (iommu 0x0, 4K pages, 65536 entries from bus page 0x0)
  unmapped  bus 0x2000       hpa 0x1030000 rw
  remapped  bus 0x3000       hpa 0x1010000 r- -> hpa 0x2000000 r-
  changed   bus 0x4000       hpa 0x1070000 -w -> hpa 0x1070000 rw
  mapped    bus 0x5000       hpa 0x1030000 rw
  1 mapped, 1 unmapped, 1 remapped, 1 changed; 2 the same

table iommu:phb=0:pe=0x1fe:window=0x0 appeared (iommu 0x0, 4K pages, 8192 entries from bus page 0x0)
  mapped    bus 0x10000      hpa 0x2080000 rw
  mapped    bus 0x11000      hpa 0x2090000 r-
  2 mapped; 0 the same

findings that appeared in NEW:
  + error   TCE-DMA-FREED [iommu:phb=0:pe=0x1fd:window=0x0:bus=0x5000]: iommu:phb=0:pe=0x1fd:window=0x0 entry 0x5 (bus 0x5000, tce 0x1030003): maps pfn 0x103, which is free on the buddy free lists (order 0)

findings that went away:
  - error   TCE-DMA-FREED [iommu:phb=0:pe=0x1fd:window=0x0:bus=0x2000]: iommu:phb=0:pe=0x1fd:window=0x0 entry 0x2 (bus 0x2000, tce 0x1030003): maps pfn 0x103, which is free on the buddy free lists (order 0)

tables:   3 in both (1 changed), 1 appeared, 0 went away
entries:  3 mapped, 1 unmapped, 1 remapped, 1 changed, 0 unknown; 9 the same
findings: 1 appeared (1 at or above error), 1 went away
EOF
	same "pnv $endian" "$tmp/want"

	# each dump with its own debug file: the same answer
	run "pnv $endian: --old-vmlinux --new-vmlinux" 1 diff --old-vmlinux "$o.vmlinux" \
		--new-vmlinux "$n.vmlinux" "$o" "$n" && same "pnv $endian: per dump" "$tmp/want"
	# the rule that fires left out: nothing at the fail level appears
	run "pnv $endian: --disable TCE-DMA-FREED" 0 diff --disable TCE-DMA-FREED \
		-s "$o.vmlinux" "$o" "$n"
	# --limit: the counts stay whole
	run "pnv $endian: --limit 1" 1 diff --limit 1 -s "$o.vmlinux" "$o" "$n" &&
	if grep -qx '  ... and 3 more (--limit 0 lists all)' "$tmp/out" &&
	   grep -qx '  1 mapped, 1 unmapped, 1 remapped, 1 changed; 2 the same' "$tmp/out" &&
	   [ "$(grep -c '^  \(mapped\|unmapped\|remapped\|changed\) ' "$tmp/out")" = 2 ]; then
		ok
	else
		bad "pnv $endian: --limit 1: $(cat "$tmp/out")"
	fi

	# --- JSON: exactly what plant-tables changed, and the schema ---
	run "pnv $endian: json" 1 diff -f json -s "$o.vmlinux" "$o" "$n" && schema "pnv $endian" &&
	"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "pnv $endian: JSON is not what the planting changed"
import json, sys
d = json.load(open(sys.argv[1]))
t = {x["key"]: x for x in d["tables"]}
assert sorted(t) == ["iommu:phb=0:pe=0x1fd:window=0x0", "iommu:phb=0:pe=0x1fd:window=0x800000000000000",
                     "iommu:phb=0:pe=0x1fe:window=0x0", "iommu:phb=1:pe=0x0:window=0x0"], sorted(t)
t0 = t["iommu:phb=0:pe=0x1fd:window=0x0"]
def ent(e):
    return e and (e["target"], e["read"], e["write"], e["host_pfn"])
got = [(c["change"], c["bus"], ent(c["old"]), ent(c["new"])) for c in t0["changes"]]
assert got == [
    ("unmapped", "0x2000", ("0x1030000", True, True, "0x103"), None),
    ("remapped", "0x3000", ("0x1010000", True, False, "0x101"), ("0x2000000", True, False, "0x200")),
    ("changed", "0x4000", ("0x1070000", False, True, "0x107"), ("0x1070000", True, True, "0x107")),
    ("mapped", "0x5000", None, ("0x1030000", True, True, "0x103"))], got
assert t0["status"] == "both" and t0["counts"] == {"same": 2, "mapped": 1, "unmapped": 1,
       "remapped": 1, "changed": 1, "unknown": 0}, t0["counts"]
n = t["iommu:phb=0:pe=0x1fe:window=0x0"]
assert n["status"] == "appeared" and n["old"] is None and n["new"]["page_shift"] == 12
assert [(c["change"], c["bus"], c["new"]["raw"]) for c in n["changes"]] == [
    ("mapped", "0x10000", "0x2080003"), ("mapped", "0x11000", "0x2090001")]
for k in ("iommu:phb=0:pe=0x1fd:window=0x800000000000000", "iommu:phb=1:pe=0x0:window=0x0"):
    assert t[k]["status"] == "both" and t[k]["changes"] == [] and t[k]["error"] is None
assert [f["key"] for f in d["findings_appeared"]] == ["iommu:phb=0:pe=0x1fd:window=0x0:bus=0x5000"]
assert [f["key"] for f in d["findings_went_away"]] == ["iommu:phb=0:pe=0x1fd:window=0x0:bus=0x2000"]
s = d["summary"]
assert (s["tables_both"], s["tables_appeared"], s["tables_went_away"], s["mapped"], s["unmapped"],
        s["remapped"], s["changed"], s["findings_appeared"], s["findings_failing"],
        s["exit_status"]) == (3, 1, 0, 3, 1, 1, 1, 1, 1, 1), s
PYEOF

	# --- reversed: the new table went away, its entries unmapped, and the finding
	# at 0x2000 appeared (exit 1 again) ---
	run "pnv $endian: reversed" 1 diff -f json -s "$o.vmlinux" "$n" "$o" &&
	"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "pnv $endian: reversed JSON"
import json, sys
d = json.load(open(sys.argv[1]))
t = {x["key"]: x for x in d["tables"]}
assert t["iommu:phb=0:pe=0x1fe:window=0x0"]["status"] == "went_away"
assert [c["change"] for c in t["iommu:phb=0:pe=0x1fe:window=0x0"]["changes"]] == ["unmapped"] * 2
assert [(c["change"], c["bus"]) for c in t["iommu:phb=0:pe=0x1fd:window=0x0"]["changes"]] == [
    ("mapped", "0x2000"), ("remapped", "0x3000"), ("changed", "0x4000"), ("unmapped", "0x5000")]
assert [f["key"] for f in d["findings_appeared"]] == ["iommu:phb=0:pe=0x1fd:window=0x0:bus=0x2000"]
s = d["summary"]
assert (s["tables_appeared"], s["tables_went_away"], s["mapped"], s["unmapped"]) == (0, 1, 1, 3), s
PYEOF

	# --- the KVM host: a warning appeared, which fails the run only at --fail-on
	# warning ---
	o=$tmp/kvm-$endian n=$tmp/kvm2-$endian
	if ! "$FORGE" "${e[@]}" kvm-tables "$o" --vmlinux-out "$o.vmlinux" >/dev/null 2>"$tmp/ferr" ||
	   ! "$PLANT" diff-kvm "${pe[@]}" "$n" 2>"$tmp/ferr"; then
		bad "kvm $endian: forge failed: $(head -1 "$tmp/ferr")"
		continue
	fi
	run "kvm $endian" 0 diff -s "$o.vmlinux" "$o" "$n" &&
	cat >"$tmp/want" <<EOF &&
old:      $o
new:      $n

table kvm:pid=1001:liobn=0x80000000 (kvm 0x80000000, 4K pages, 262144 entries from bus page 0x0)
  unmapped  bus 0x2000       gpa 0x10002000 rw
  remapped  bus 0x3000       gpa 0x10003000 rw -> gpa 0x3ffff000 rw
  changed   bus 0x4000       gpa 0x10004000 r- -> gpa 0x10004000 rw
  mapped    bus 0x5000       gpa 0x10005000 rw
  mapped    bus 0x6000       gpa 0x1ffff0000 rw
  2 mapped, 1 unmapped, 1 remapped, 1 changed; 3 the same

table kvm:pid=1001:liobn=0x80000001 (kvm 0x80000001, 64K pages, 1048576 entries from bus page 0x80000000000)
  unmapped  bus 0x800000fffff0000 gpa 0xfffff0000 rw
  1 unmapped; 17 the same

findings that appeared in NEW:
  + warning TCE-KVM-NO-MEMSLOT [kvm:pid=1001:liobn=0x80000000:bus=0x6000]: kvm:pid=1001:liobn=0x80000000 entry 0x6 (bus 0x6000, tce 0x1ffff0003): guest address 0x1ffff0000 lies in no memslot of the VM

findings that went away:
  - warning TCE-KVM-NO-MEMSLOT [kvm:pid=1001:liobn=0x80000001:bus=0x800000fffff0000]: kvm:pid=1001:liobn=0x80000001 entry 0x800000fffff (bus 0x800000fffff0000, tce 0xfffff0003): guest address 0xfffff0000 lies in no memslot of the VM

tables:   4 in both (2 changed), 0 appeared, 0 went away
entries:  2 mapped, 2 unmapped, 1 remapped, 1 changed, 0 unknown; 23 the same
findings: 1 appeared (0 at or above error), 1 went away
EOF
	same "kvm $endian" "$tmp/want"
	run "kvm $endian: --fail-on warning" 1 diff --fail-on warning -s "$o.vmlinux" "$o" "$n"
	run "kvm $endian: json" 0 diff -f json -s "$o.vmlinux" "$o" "$n" && schema "kvm $endian" &&
	"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "kvm $endian: JSON is not what the planting changed"
import json, sys
d = json.load(open(sys.argv[1]))
t = {x["key"]: x for x in d["tables"]}
a = t["kvm:pid=1001:liobn=0x80000000"]["changes"]
assert [(c["change"], c["bus"], c["old"] and c["old"]["raw"], c["new"] and c["new"]["raw"])
        for c in a] == [("unmapped", "0x2000", "0x10002003", None),
                        ("remapped", "0x3000", "0x10003003", "0x3ffff003"),
                        ("changed", "0x4000", "0x10004001", "0x10004003"),
                        ("mapped", "0x5000", None, "0x10005003"),
                        ("mapped", "0x6000", None, "0x1ffff0003")], a
# guest views: the host page behind the gpa, as the walk joins it
assert a[1]["new"]["target_space"] == "guest" and a[1]["new"]["host"] == "present"
assert a[4]["new"]["host"] == "no-memslot" and a[4]["new"]["host_pfn"] is None
assert d["summary"]["findings_failing"] == 0 and d["summary"]["exit_status"] == 0
PYEOF
done

# --- NEW without type information: its tables are not compared and its table rules
# cannot decide, so OLD's finding is undecided, not gone: exit 0, with --strict 1 ---
o=$tmp/pnv-le n=$tmp/pnv2-le
run "NEW without types" 0 diff --no-debuginfod --old-vmlinux "$o.vmlinux" \
	--new-debug-dir "$tmp/none" "$o" "$n" &&
if grep -qx 'not compared: powernv tables: NEW cannot search them: symbol hose_list is unknown.*' "$tmp/out" &&
   grep -qx '  ? error   TCE-DMA-FREED \[iommu:phb=0:pe=0x1fd:window=0x0:bus=0x2000\]: .*' "$tmp/out" &&
   grep -qx '  TCE-DMA-FREED: fail -> unknown .*' "$tmp/out" &&
   grep -qx 'findings: 0 appeared (0 at or above error), 0 went away, 1 undecided on NEW' "$tmp/out" &&
   grep -qx 'tables:   0 in both (0 changed), 0 appeared, 0 went away' "$tmp/out" &&
   grep -q '^tce-inspect: diff: powernv tables not compared: NEW' "$tmp/err"; then
	ok
else
	bad "NEW without types: $(head -12 "$tmp/out")"
fi
run "NEW without types, --strict" 1 diff --strict --no-debuginfod --old-vmlinux "$o.vmlinux" \
	--new-debug-dir "$tmp/none" "$o" "$n"
run "NEW without types: json" 0 diff -f json --no-debuginfod --old-vmlinux "$o.vmlinux" \
	--new-debug-dir "$tmp/none" "$o" "$n" && schema "NEW without types" &&
"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "NEW without types: JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tables"] == [] and d["findings_went_away"] == [], d
assert [f["key"] for f in d["findings_undecided"]] == ["iommu:phb=0:pe=0x1fd:window=0x0:bus=0x2000"]
assert sorted((x["source"], x["dump"]) for x in d["not_compared"]) == [
    ("kvm", "new"), ("powernv", "new"), ("pseries", "new")], d["not_compared"]
assert d["summary"]["findings_undecided"] == 1 and d["summary"]["exit_status"] == 0
PYEOF

# --- bad input: one line, the documented status ---
o=$tmp/pnv-le n=$tmp/pnv2-le
run "one dump" 2 diff "$o" && one_line "one dump" '^tce-inspect: diff: needs OLD NEW'
run "--baseline" 2 --baseline "$o" diff "$o" "$n" && one_line "--baseline" 'takes no --baseline'
run "--old-model" 2 diff --old-model nosuch "$o" "$n" && one_line "--old-model" "unknown kernel model 'nosuch'"
run "--old-vmlinux to tables" 2 tables --old-vmlinux "$o.vmlinux" "$o" &&
	one_line "--old-vmlinux to tables" "unrecognized option '--old-vmlinux'"
printf 'not a dump\n' >"$tmp/garbage"
run "NEW not a dump" 3 diff -s "$o.vmlinux" "$o" "$tmp/garbage" &&
	one_line "NEW not a dump" "^tce-inspect: $tmp/garbage: not a vmcore"
run "NEW's vmlinux of another build" 3 diff --new-vmlinux "$tmp/kvm-le.vmlinux" \
	-s "$o.vmlinux" "$o" "$n" && one_line "another build" "is another build"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
