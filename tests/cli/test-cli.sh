#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-cli.sh: tce-inspect as its users run it, on the embedded sample and on
# every forge scenario in both byte orders and both page sizes: the findings each dump
# must raise (and must not), the exit status of every kind of bad input, one error
# line on stderr, JSON that parses, and --help.  Prints "N passed, N failed".
set -uo pipefail

TCE=${TCE_INSPECT:-cli/tce-inspect}
FORGE=${TCE_FORGE:-tests/forge/tce-forge}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_status WANT DESCRIPTION CMD...
expect_status() {
	local want=$1 what=$2 got
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, want $want"; sed 's/^/  /' "$tmp/err" | head -5; fi
}

# one line on stderr, nothing on stdout
expect_one_error_line() {
	local what=$1 n
	n=$(wc -l <"$tmp/err")
	if [ "$n" = 1 ] && [ ! -s "$tmp/out" ]; then ok; else bad "$what: $n stderr lines, stdout $(wc -c <"$tmp/out") bytes"; fi
}

json_ok() {
	if "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null; then ok; else bad "$2: output is not JSON"; fi
}

# findings IDS of a vmemmap --format json output, one per line
finding_ids() {
	"$PY" -c 'import json,sys; [print(f["id"]) for f in json.load(open(sys.argv[1]))["findings"]]' "$1" | sort -u
}

has_finding() {
	if grep -qx "$2" "$1"; then ok; else bad "$3: no $2 (got: $(tr '\n' ' ' <"$1"))"; fi
}

lacks_finding() {
	if ! grep -qx "$2" "$1"; then ok; else bad "$3: unexpected $2"; fi
}

# --- usage and help ---
expect_status 0 "--help" "$TCE" --help
grep -q "Exit status" "$tmp/out" && ok || bad "--help does not explain exit status"
grep -q "vmemmap \[DUMP\]" "$tmp/out" && ok || bad "--help does not list the commands"
expect_status 2 "no arguments" "$TCE"
expect_status 2 "unknown command" "$TCE" frobnicate
expect_one_error_line "unknown command"
expect_status 2 "unknown option" "$TCE" --bogus info
expect_status 2 "bad format" "$TCE" --format xml info
expect_status 2 "bad fail level" "$TCE" --fail-on fatal vmemmap
expect_status 2 "bad pfn" "$TCE" page @sample 12abc
expect_one_error_line "bad pfn"
expect_status 2 "page without pfn" "$TCE" page @sample
expect_status 2 "info with two dumps" "$TCE" info a b
expect_status 0 "rules" "$TCE" rules
grep -q TCE-VMEMMAP-CYCLE "$tmp/out" && ok || bad "rules lacks TCE-VMEMMAP-CYCLE"
expect_status 0 "rules json" "$TCE" rules --format json
json_ok "$tmp/out" "rules json"

# --- the embedded sample (a real 6.1 dump after hot-add/remove/add) ---
expect_status 0 "info on the sample" "$TCE" info
grep -q "6.1.0-50-powerpc64le" "$tmp/out" && ok || bad "sample info lacks the release"
grep -q "little-endian" "$tmp/out" && ok || bad "sample info lacks the byte order"
expect_status 0 "vmemmap on the sample" "$TCE" vmemmap --format json
json_ok "$tmp/out" "sample vmemmap"
finding_ids "$tmp/out" >"$tmp/ids"
has_finding "$tmp/ids" TCE-VMEMMAP-UNORDERED sample
has_finding "$tmp/ids" TCE-VMEMMAP-SEED-FALLBACK sample
lacks_finding "$tmp/ids" TCE-VMEMMAP-XLAT-MISMATCH sample
expect_status 1 "vmemmap on the sample, failing on warnings" "$TCE" vmemmap --fail-on warning
lacks_finding "$tmp/ids" TCE-VMEMMAP-CYCLE sample
expect_status 0 "page on the sample" "$TCE" page @sample 0x4fff 0x5000 --format json
json_ok "$tmp/out" "sample page"
"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "sample page: seed2013 should fail behind the inversion only"
import json, sys
p = {x["pfn"]: x for x in json.load(open(sys.argv[1]))["pages"]}
assert p[0x4fff]["translations"]["seed2013"] == p[0x4fff]["translations"]["index"]
assert p[0x5000]["translations"]["seed2013"] is None
assert p[0x5000]["translations"]["walk"] == p[0x5000]["translations"]["index"]
PYEOF

# --- the real radix sample: the page tables agree with vmemmap_list ---
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
xz -dc "$srcdir/tests/fixtures/sample-radix.elf.xz" >"$tmp/radix"
expect_status 0 "vmemmap on the radix sample" "$TCE" vmemmap --format json "$tmp/radix"
"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "radix sample: page tables not compared, or a mismatch"
import json, sys
j = json.load(open(sys.argv[1]))
ids = [f["id"] for f in j["findings"]]
assert j["vmemmap"]["pgtable"] and j["vmemmap"]["block_size"] == 2 << 20
assert "TCE-VMEMMAP-XLAT-MISMATCH" not in ids and "TCE-VMEMMAP-UNCOVERED" not in ids, ids
assert "TCE-VMEMMAP-SEED-FALLBACK" in ids, ids
PYEOF
expect_status 0 "info on the radix sample" "$TCE" info "$tmp/radix"
grep -q "mmu: *radix" "$tmp/out" && ok || bad "radix sample: info does not say radix"

# --- bad inputs: exit 3, one line ---
expect_status 3 "missing file" "$TCE" info /nonexistent/vmcore
expect_one_error_line "missing file"
printf 'not a dump at all\n' >"$tmp/garbage"
expect_status 3 "text file" "$TCE" vmemmap "$tmp/garbage"
expect_one_error_line "text file"
: >"$tmp/empty"
expect_status 3 "empty file" "$TCE" info "$tmp/empty"
expect_one_error_line "empty file"

# --- forge scenarios: which finding each raises, and which it must not ---
# scenario:exit status:ids that must appear:ids that may (what else the fault implies);
# every other id must not appear
scenarios="
clean:0:-:-
hotplug:0:TCE-VMEMMAP-UNORDERED,TCE-VMEMMAP-SEED-FALLBACK:-
highmem:0:-:-
cycle:1:TCE-VMEMMAP-CYCLE:-
truncated:1:TCE-VMEMMAP-TRUNCATED,TCE-VMEMMAP-UNCOVERED:-
misaligned:1:TCE-VMEMMAP-MISALIGNED:TCE-VMEMMAP-OVERLAP-PHYS
overlap-virt:1:TCE-VMEMMAP-OVERLAP-VIRT:-
overlap-phys:1:TCE-VMEMMAP-OVERLAP-PHYS:-
backing-outside:1:TCE-VMEMMAP-BACKING-MISSING:-
straddle:0:TCE-VMEMMAP-STRADDLE:-
truncated-file:1:TCE-VMEMMAP-BACKING-MISSING:-
qemu-vaddr:0:-:-
"
all_ids="TCE-VMEMMAP-UNORDERED TCE-VMEMMAP-XLAT-MISMATCH TCE-VMEMMAP-SEED-FALLBACK TCE-VMEMMAP-CYCLE TCE-VMEMMAP-TRUNCATED
TCE-VMEMMAP-MISALIGNED TCE-VMEMMAP-OVERLAP-VIRT TCE-VMEMMAP-OVERLAP-PHYS
TCE-VMEMMAP-BACKING-MISSING TCE-VMEMMAP-STRADDLE TCE-VMEMMAP-UNTERMINATED TCE-VMEMMAP-MISSING
TCE-VMEMMAP-UNCOVERED"
for endian in le be; do
	for ps in 64k 4k; do
		v="$endian/$ps"
		for line in $scenarios; do
			IFS=: read -r name status ids may <<<"$line"
			f="$tmp/$name.vmcore"
			if ! "$FORGE" --endian "$endian" --page-size "$ps" "$name" "$f" >/dev/null 2>"$tmp/ferr"; then
				bad "$v $name: forge failed: $(head -1 "$tmp/ferr")"
				continue
			fi
			expect_status "$status" "$v $name vmemmap" "$TCE" vmemmap --format json "$f"
			json_ok "$tmp/out" "$v $name"
			finding_ids "$tmp/out" >"$tmp/ids" 2>/dev/null || : >"$tmp/ids"
			for id in $all_ids; do
				case ",$ids," in
				*",$id,"*) has_finding "$tmp/ids" "$id" "$v $name" ;;
				*) case ",$may," in
					*",$id,"*) ;;
					*) lacks_finding "$tmp/ids" "$id" "$v $name" ;;
					esac ;;
				esac
			done
			expect_status 0 "$v $name info" "$TCE" info "$f"
			expect_status "$status" "$v $name text" "$TCE" vmemmap --limit 0 "$f"
		done
		# straddling pages are informational: they fail only --fail-on info
		"$FORGE" --endian "$endian" --page-size "$ps" straddle "$tmp/s.vmcore" >/dev/null
		expect_status 1 "$v straddle --fail-on info" "$TCE" vmemmap --fail-on info "$tmp/s.vmcore"
		# radix: the page tables are an independent oracle
		"$FORGE" --endian "$endian" --page-size "$ps" --radix clean "$tmp/r.vmcore" >/dev/null
		expect_status 0 "$v radix clean" "$TCE" vmemmap --format json "$tmp/r.vmcore"
		"$PY" -c 'import json,sys; assert json.load(open(sys.argv[1]))["vmemmap"]["pgtable"]' "$tmp/out" && ok ||
			bad "$v radix clean: page tables not used"
		"$FORGE" --endian "$endian" --page-size "$ps" --radix pgtable-mismatch "$tmp/p.vmcore" >/dev/null
		expect_status 1 "$v pgtable-mismatch" "$TCE" vmemmap --format json "$tmp/p.vmcore"
		finding_ids "$tmp/out" >"$tmp/ids"
		has_finding "$tmp/ids" TCE-VMEMMAP-XLAT-MISMATCH "$v pgtable-mismatch"
		grep -q "the page tables and the index disagree" "$tmp/out" && ok ||
			bad "$v pgtable-mismatch: message does not name the page tables"
		# unreadable dumps: exit 3 and one line
		for name in not-ppc64 not-linux no-vmcoreinfo garbage; do
			"$FORGE" --endian "$endian" --page-size "$ps" "$name" "$tmp/x.vmcore" >/dev/null
			expect_status 3 "$v $name" "$TCE" vmemmap "$tmp/x.vmcore"
			expect_one_error_line "$v $name"
		done
		# struct pages of the zoo: fields as the forge wrote them
		"$FORGE" --endian "$endian" --page-size "$ps" clean "$tmp/c.vmcore" >/dev/null
		expect_status 0 "$v page" "$TCE" page --format json "$tmp/c.vmcore" 0x100 0x102 0x103 0x105 0x108 0x109
		"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "$v page: zoo fields"
import json, sys
p = {x["pfn"]: x for x in json.load(open(sys.argv[1]))["pages"]}
assert p[0x100]["refcount"] == 0
assert p[0x102]["refcount"] >= 1024
assert "buddy" in p[0x103]["decoded"]
assert "hwpoison" in p[0x105]["decoded"]
assert "head" in p[0x108]["decoded"] and p[0x108]["compound_order"] == 2
assert "tail" in p[0x109]["decoded"] and p[0x109]["head_pfn"] == 0x108
assert "reserved" in p[0x100]["unknown"]
for x in p.values():
    t = x["translations"]
    assert t["seed2013"] == t["walk"] == t["index"] == x["phys"]
PYEOF
	done
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
