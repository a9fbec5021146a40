#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-cli.sh: tce-inspect as its users run it, on the embedded sample and on
# every forge scenario in both byte orders and both page sizes: the findings each dump
# must raise (and must not), the exit status of every kind of bad input, one error
# line on stderr, JSON that parses (schema_version, hex strings, null for unknown), the
# help of every command at 80 columns, the page listing (ranges, flags, compound and
# buddy state, a pfn without a struct page) and the rule catalogue as text, JSON and
# the man page's section.  Prints "N passed, N failed".
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

# one line on stderr, whatever is on stdout
expect_one_error_line_stderr() {
	local n
	n=$(wc -l <"$tmp/err")
	if [ "$n" = 1 ]; then ok; else bad "$1: $n stderr lines"; fi
}

# JSON that parses and, where python3-jsonschema is installed, follows
# doc/tce-inspect.schema.json (the schema tce-inspect(1) describes)
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
SCHEMA=$srcdir/doc/tce-inspect.schema.json
json_ok() {
	local why
	why=$("$PY" - "$1" "$SCHEMA" 2>&1 <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
try:
    import jsonschema
except ImportError:
    sys.exit(0)
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[2])))
e = jsonschema.exceptions.best_match(v.iter_errors(doc))
if e is not None:
    sys.exit("%s at %s" % (e.message[:200], "/".join(map(str, e.absolute_path))))
PYEOF
	)
	if [ $? = 0 ]; then ok; else bad "$2: not JSON, or not as the schema says: $(echo "$why" | tail -1)"; fi
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

# expect_ids OUT.json MUST MAY WHAT: the findings of a vmemmap JSON output include every
# id of MUST (comma-separated) and no id of the catalogue ($all_ids) outside MUST and MAY
expect_ids() {
	local id
	finding_ids "$1" >"$tmp/ids" 2>/dev/null || : >"$tmp/ids"
	for id in $all_ids; do
		case ",$2," in
		*",$id,"*) has_finding "$tmp/ids" "$id" "$4" ;;
		*) case ",$3," in
			*",$id,"*) ;;
			*) lacks_finding "$tmp/ids" "$id" "$4" ;;
			esac ;;
		esac
	done
}

# --- the JSON schema itself ---
"$PY" - "$SCHEMA" <<'PYEOF' && ok || bad "doc/tce-inspect.schema.json is not a valid schema"
import json, sys
s = json.load(open(sys.argv[1]))
try:
    import jsonschema
except ImportError:
    sys.exit(0)
jsonschema.Draft202012Validator.check_schema(s)
PYEOF

# --- usage and help ---
expect_status 0 "--help" "$TCE" --help
grep -q "Exit status" "$tmp/out" && ok || bad "--help does not explain exit status"
grep -q "vmemmap \[DUMP\]" "$tmp/out" && ok || bad "--help does not list the commands"
cp "$tmp/out" "$tmp/help"
# the command list stays a list at 80 columns: no line too long, none a lone word
# (argp wraps descriptions in their own column; headers end in ':')
for c in "" info vmemmap page types tables entries rules help; do
	COLUMNS=80 "$TCE" $c --help >"$tmp/h" 2>&1
	long=$(awk 'length > 80 || (NF == 1 && $1 !~ /:$/)' "$tmp/h")
	[ -z "$long" ] && ok || bad "${c:-global} --help at 80 columns: $(echo "$long" | head -3)"
done
for c in info vmemmap page tables entries rules; do
	grep -q "^  $c " "$tmp/help" && ok || bad "--help does not list $c"
done
# per-command help: every spelling, exit 0, the command's own text
expect_status 0 "-h" "$TCE" -h
cmp -s "$tmp/out" "$tmp/help" && ok || bad "-h is not --help"
expect_status 0 "help" "$TCE" help
cmp -s "$tmp/out" "$tmp/help" && ok || bad "help is not --help"
for c in info vmemmap page tables entries rules; do
	expect_status 0 "help $c" "$TCE" help "$c"
	cp "$tmp/out" "$tmp/help-$c"
	head -1 "$tmp/out" | grep -q "^Usage: tce-inspect $c " && ok || bad "help $c: not $c's usage: $(head -1 "$tmp/out")"
	cmp -s "$tmp/out" "$tmp/help" && bad "help $c is the global help" || ok
	for spelling in --help -h; do
		expect_status 0 "$c $spelling" "$TCE" "$c" "$spelling"
		cmp -s "$tmp/out" "$tmp/help-$c" && ok || bad "$c $spelling differs from help $c"
	done
done
grep -q -- "--fail-on" "$tmp/help-page" && ok || bad "help page does not list --fail-on"
grep -q -- "--fail-on" "$tmp/help-info" && bad "help info lists --fail-on, which info does not take" || ok
expect_status 2 "help of an unknown command" "$TCE" help frobnicate
expect_one_error_line "help of an unknown command"
expect_status 0 "--version" "$TCE" --version
grep -q "libtce" "$tmp/out" && ok || bad "--version does not name libtce's version"

expect_status 2 "no arguments" "$TCE"
expect_one_error_line "no arguments"
expect_status 2 "unknown command" "$TCE" frobnicate
expect_one_error_line "unknown command"
expect_status 2 "unknown option" "$TCE" --bogus info
expect_one_error_line "unknown option"
expect_status 2 "unknown option after the command" "$TCE" info --bogus
expect_one_error_line "unknown option after the command"
expect_status 2 "bad format" "$TCE" --format xml info
expect_one_error_line "bad format"
expect_status 2 "bad fail level" "$TCE" --fail-on fatal vmemmap
expect_one_error_line "bad fail level"
expect_status 2 "bad limit" "$TCE" vmemmap --limit -1
expect_status 2 "limit with junk" "$TCE" vmemmap --limit 5x
# options go before or after the command, but only those it takes
expect_status 0 "format after the command" "$TCE" info --format json
json_ok "$tmp/out" "info --format json"
expect_status 2 "info --fail-on (info has no findings)" "$TCE" info --fail-on warning
expect_one_error_line "info --fail-on"
expect_status 2 "--fail-on before info" "$TCE" --fail-on warning info
expect_one_error_line "--fail-on before info"
expect_status 2 "man format outside rules" "$TCE" vmemmap --format man
# pfns: decimal or 0x-hex only, 64 bits at most, nothing after them
for arg in 12abc 0x 0X -1 -0x10 +5 1e3 "0x5 " " 5" 18446744073709551616 0x10000000000000000 \
	0x5000- -0x5000 5-3 1-2-3 0x-0x5 ""; do
	expect_status 2 "bad pfn '$arg'" "$TCE" page @sample "$arg"
	expect_one_error_line "bad pfn '$arg'"
done
expect_status 2 "page without pfn" "$TCE" page @sample
expect_one_error_line "page without pfn"
expect_status 2 "info with two dumps" "$TCE" info a b
expect_one_error_line "info with two dumps"
expect_status 2 "rules with an argument" "$TCE" rules x
# ranges are bounded before anything is read: no 2^40 of anything
expect_status 2 "a range beyond --limit" timeout 20 "$TCE" page @sample 0-0xffffffffff
expect_one_error_line "a range beyond --limit"
expect_status 2 "every pfn" timeout 20 "$TCE" page @sample 0-0xffffffffffffffff
expect_status 2 "pfns beyond --limit 10" "$TCE" page @sample 0-5 6-10 --limit 10
expect_status 0 "pfns within --limit 11" "$TCE" page @sample 0-5 6-10 --limit 11
expect_status 0 "--limit 0 lifts the limit" "$TCE" page @sample 0-3 --limit 0
# output that cannot be written is no success
if [ -w /dev/full ]; then
	expect_status 3 "output to a full disk" sh -c '"$0" rules >/dev/full' "$TCE"
	expect_one_error_line "output to a full disk"
fi

# --- the rule catalogue: text, JSON, the man page's section, all from the library ---
expect_status 0 "rules" "$TCE" rules
grep -q TCE-VMEMMAP-CYCLE "$tmp/out" && ok || bad "rules lacks TCE-VMEMMAP-CYCLE"
cp "$tmp/out" "$tmp/rules.txt"
expect_status 0 "rules json" "$TCE" rules --format json
json_ok "$tmp/out" "rules json"
cp "$tmp/out" "$tmp/rules.json"
# every id the tests know comes from the catalogue
all_ids=$("$PY" -c 'import json,sys; print(" ".join(r["id"] for r in json.load(open(sys.argv[1]))["rules"]))' "$tmp/rules.json")
# the rules `vmemmap` runs
vmemmap_ids=$("$PY" -c 'import json,sys; print(" ".join(r["id"] for r in json.load(open(sys.argv[1]))["rules"] if r["area"] == "vmemmap"))' "$tmp/rules.json")
"$PY" - "$tmp/rules.json" "$tmp/rules.txt" <<'PYEOF' && ok || bad "rules: catalogue incomplete"
import json, sys
j = json.load(open(sys.argv[1])); txt = open(sys.argv[2]).read()
assert j["schema_version"] == 1
assert len(j["rules"]) >= 14 and len({r["id"] for r in j["rules"]}) == len(j["rules"])
for r in j["rules"]:
    assert r["severity"] in ("info", "warning", "error"), r
    for k in ("summary", "why", "model"):
        assert isinstance(r[k], str) and r[k], (r["id"], k)
    assert "%s (%s)" % (r["id"], r["severity"]) in txt, r["id"]
    assert r["summary"] in txt, r["id"]
PYEOF
expect_status 0 "rules --format man" "$TCE" rules --format man
for id in $all_ids; do
	grep -qxF ".B ${id//-/\\-}" "$tmp/out" && ok || bad "rules --format man lacks $id"
done
# the built manual page carries that section, and nothing is left to fill in
man1=$(dirname "$(dirname "$TCE")")/doc/tce-inspect.1
if [ -f "$man1" ]; then
	"$TCE" rules --format man | grep -v '^\.\\"' >"$tmp/man-rules"
	"$PY" -c 'import sys; assert open(sys.argv[2]).read() in open(sys.argv[1]).read()' "$man1" "$tmp/man-rules" &&
		ok || bad "doc/tce-inspect.1 lacks the rules section the catalogue makes"
	! grep -q '@RULES@\|@VERSION@' "$man1" && ok || bad "doc/tce-inspect.1: a placeholder is left"
	if command -v groff >/dev/null; then
		w=$(groff -man -ww -z "$man1" 2>&1)
		[ -z "$w" ] && ok || bad "doc/tce-inspect.1: groff warns: $(echo "$w" | head -2)"
	fi
else
	bad "no doc/tce-inspect.1 next to $TCE"
fi

# --- the embedded sample (a real 6.1 dump after hot-add/remove/add) ---
expect_status 0 "info on the sample" "$TCE" info
grep -q "6.1.0-50-powerpc64le" "$tmp/out" && ok || bad "sample info lacks the release"
grep -q "little-endian" "$tmp/out" && ok || bad "sample info lacks the byte order"
expect_status 0 "info json on the sample" "$TCE" info --format json
json_ok "$tmp/out" "sample info json"
"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "sample info json"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["schema_version"] == 1 and j["release"] == "6.1.0-50-powerpc64le"
assert j["mmu"] in ("hash", None), j["mmu"]       # unknown is null, never "unknown"
assert j["phys_end"].startswith("0x")
PYEOF
expect_status 0 "vmemmap on the sample" "$TCE" vmemmap --format json
json_ok "$tmp/out" "sample vmemmap"
cp "$tmp/out" "$tmp/sample-vmemmap.json"
finding_ids "$tmp/out" >"$tmp/ids"
has_finding "$tmp/ids" TCE-VMEMMAP-UNORDERED sample
has_finding "$tmp/ids" TCE-VMEMMAP-SEED-FALLBACK sample
lacks_finding "$tmp/ids" TCE-VMEMMAP-XLAT-MISMATCH sample
lacks_finding "$tmp/ids" TCE-VMEMMAP-CYCLE sample
# JSON: schema_version; pfns and addresses as hex strings; every rule's outcome
"$PY" - "$tmp/sample-vmemmap.json" $vmemmap_ids <<'PYEOF' && ok || bad "sample vmemmap json: conventions"
import json, re, sys
j = json.load(open(sys.argv[1])); ids = sys.argv[2:]
hexs = re.compile(r"^0x[0-9a-f]+$")
assert j["schema_version"] == 1
v = j["vmemmap"]
assert v["error"] is None
for k in ("head", "base", "max_pfn"):
    assert hexs.match(v[k]), (k, v[k])
assert isinstance(v["block_size"], int) and isinstance(v["nblocks"], int)
assert v["nblocks"] == len(v["blocks"])
for b in v["blocks"]:
    assert all(hexs.match(b[k]) for k in ("entry", "virt", "phys")), b
for f in j["findings"]:
    if "pfn_first" in f:
        assert hexs.match(f["pfn_first"]) and hexs.match(f["pfn_last"]), f
r = {x["id"]: x for x in j["rules"]}
assert sorted(r) == sorted(ids), (sorted(r), ids)
for x in r.values():
    assert x["outcome"] in ("pass", "fail", "unknown", "not-applicable"), x
    assert (x["reason"] is None) == (x["outcome"] in ("pass", "fail")), x
assert r["TCE-VMEMMAP-UNORDERED"]["outcome"] == "fail"
assert r["TCE-VMEMMAP-CYCLE"]["outcome"] == "pass"
PYEOF
expect_status 1 "vmemmap on the sample, failing on warnings" "$TCE" vmemmap --fail-on warning
# text: the findings, a line per rule that cannot decide, and the summary
expect_status 0 "vmemmap text on the sample" "$TCE" vmemmap
"$PY" - "$tmp/out" "$tmp/sample-vmemmap.json" <<'PYEOF' && ok || bad "sample vmemmap text: rule outcomes"
import json, re, sys
txt = open(sys.argv[1]).read(); j = json.load(open(sys.argv[2]))
m = re.search(r"^rules: (\d+) pass, (\d+) fail, (\d+) unknown, (\d+) not applicable$", txt, re.M)
assert m, "no summary line"
n = [int(x) for x in m.groups()]
out = [x["outcome"] for x in j["rules"]]
assert n == [out.count(o) for o in ("pass", "fail", "unknown", "not-applicable")], n
for x in j["rules"]:
    if x["reason"] is not None:
        assert re.search(r"^  %s +%s: %s$" % (x["outcome"], x["id"], re.escape(x["reason"])), txt, re.M), x
PYEOF
expect_status 0 "page on the sample" "$TCE" page @sample 0x4fff 0x5000 --format json
json_ok "$tmp/out" "sample page"
"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "sample page: seed2013 should fail behind the inversion only"
import json, sys
p = {int(x["pfn"], 16): x for x in json.load(open(sys.argv[1]))["pages"]}
assert p[0x4fff]["translations"]["seed2013"] == p[0x4fff]["translations"]["index"]
assert p[0x5000]["translations"]["seed2013"] is None
assert p[0x5000]["translations"]["walk"] == p[0x5000]["translations"]["index"]
PYEOF
# the 2013 walk giving up is a warning: --fail-on works for page
"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "sample page: SEED-FALLBACK not reported on 0x5000"
import json, sys
p = {int(x["pfn"], 16): x for x in json.load(open(sys.argv[1]))["pages"]}
assert [f["id"] for f in p[0x5000]["findings"]] == ["TCE-VMEMMAP-SEED-FALLBACK"], p[0x5000]["findings"]
assert p[0x5000]["findings"][0]["severity"] == "warning"
assert p[0x4fff]["findings"] == [] and p[0x4fff]["error"] is None
PYEOF
expect_status 1 "page --fail-on warning on a pfn the 2013 walk misses" "$TCE" page @sample 0x5000 --fail-on warning
grep -q "warning *TCE-VMEMMAP-SEED-FALLBACK" "$tmp/out" && ok || bad "page text: no SEED-FALLBACK line"
expect_status 0 "page --fail-on error on the same pfn" "$TCE" page @sample 0x5000 --fail-on error
expect_status 1 "page --fail-on warning before the command" "$TCE" --fail-on warning page @sample 0x5000

# 010 is ten, not eight
expect_status 0 "page 010" "$TCE" page @sample 010 --format json
json_ok "$tmp/out" "page 010"
"$PY" -c 'import json,sys; assert [p["pfn"] for p in json.load(open(sys.argv[1]))["pages"]] == ["0xa"]' "$tmp/out" && ok ||
	bad "page 010 is not pfn 10"
expect_status 0 "page 010 text" "$TCE" page @sample 010
grep -q "^pfn 0xa (10)$" "$tmp/out" && ok || bad "page 010 text: $(head -1 "$tmp/out")"
expect_status 0 "page 0XA" "$TCE" page @sample 0XA
grep -q "^pfn 0xa (10)$" "$tmp/out" && ok || bad "page 0XA: $(head -1 "$tmp/out")"

# ranges, inclusive, in the order given, streamed; any number of arguments
expect_status 0 "page ranges" "$TCE" page @sample 3 0x4ffe-0x5001 1-1 --format json
"$PY" -c 'import json,sys; got = [int(p["pfn"], 16) for p in json.load(open(sys.argv[1]))["pages"]]; assert got == [3, 0x4ffe, 0x4fff, 0x5000, 0x5001, 1], got' "$tmp/out" && ok ||
	bad "page ranges: wrong pfns"
seq 0 5000 >"$tmp/many"
expect_status 0 "page with 5002 arguments" xargs -a "$tmp/many" "$TCE" page @sample --format json
"$PY" -c 'import json,sys; p = json.load(open(sys.argv[1]))["pages"]; assert len(p) == 5001 and p[-1]["pfn"] == "0x1388"' "$tmp/out" && ok ||
	bad "page with 5002 arguments: not every pfn listed"
expect_status 0 "page on a whole range" "$TCE" page @sample 0-0x6fff --format json
"$PY" -c 'import json,sys; p = json.load(open(sys.argv[1]))["pages"]; assert len(p) == 0x7000 and all(x["error"] is None for x in p)' "$tmp/out" && ok ||
	bad "page 0-0x6fff: not every struct page of the sample"

# a dump named with bytes of no valid UTF-8 (a lone 0xff, a lead byte before ASCII, a
# sequence cut short), a control character, a quote and a backslash: the JSON is still
# valid UTF-8 (json-c wrote such bytes raw), each stray byte the \u00xx of its value
hostile=$(printf 'd\\"\001\377\303(\342\202.vmcore')
cat >"$tmp/hostile.py" <<'PYEOF'
import codecs, json, os, sys
codecs.register_error("byte", lambda e: (chr(e.object[e.start]), e.start + 1))
want = os.fsencode(sys.argv[2]).decode("utf-8", "byte")
j = json.load(open(sys.argv[1], encoding="utf-8"))
assert j["dump"] == want, (j["dump"], want)
assert "\\u00ff" in open(sys.argv[1], encoding="utf-8").read()
PYEOF
if "$FORGE" clean "$tmp/$hostile" >/dev/null 2>"$tmp/ferr"; then
	expect_status 0 "page on a dump with a hostile name" "$TCE" page --format json "$tmp/$hostile" 0x100
	json_ok "$tmp/out" "page, hostile dump name"
	"$PY" "$tmp/hostile.py" "$tmp/out" "$tmp/$hostile" && ok || bad "page, hostile dump name: not read back"
	rm -f "$tmp/$hostile"
else
	bad "forge clean: $(head -1 "$tmp/ferr")"
fi

# a pfn without a struct page: an error line in the listing, exit 1, nothing on stderr
for lvl in "" "--fail-on=info" "--fail-on=warning" "--fail-on=error"; do
	expect_status 1 "page beyond the vmemmap $lvl" "$TCE" page @sample 0x4fff 0x7000 0xffffffffffffffff $lvl
	[ ! -s "$tmp/err" ] && ok || bad "page beyond the vmemmap: stderr: $(head -1 "$tmp/err")"
done
grep -q "^pfn 0x4fff " "$tmp/out" && grep -q "^pfn 0xffffffffffffffff " "$tmp/out" && ok ||
	bad "page beyond the vmemmap: the other pfns are not listed"
[ "$(grep -c '^  error ' "$tmp/out")" = 2 ] && ok || bad "page beyond the vmemmap: want 2 error lines"
expect_status 1 "page beyond the vmemmap, json" "$TCE" page @sample 0x7000 0x4fff --format json
json_ok "$tmp/out" "page beyond the vmemmap, json"
"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "page beyond the vmemmap, json: error and nulls"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["schema_version"] == 1
p = {int(x["pfn"], 16): x for x in j["pages"]}
e = p[0x7000]
assert isinstance(e["error"], str) and e["error"], e
for k in ("phys", "flags", "refcount", "mapcount", "compound_head", "states", "head_pfn"):
    assert e[k] is None, (k, e[k])
# the same keys whether the struct page was read or not
assert sorted(e) == sorted(p[0x4fff]), (sorted(e), sorted(p[0x4fff]))
# beyond every struct page: no-block for every method that applies; hash has no page tables
assert e["translation_status"] == {"seed2013": "no-block", "walk": "no-block", "index": "no-block",
                                   "pgtable": "unavailable"}, e["translation_status"]
PYEOF

# the flags line names what the dump names and lists the rest by number; states the
# dump cannot decide are said once, not on every page
expect_status 0 "page flags on the sample" "$TCE" page @sample 0x4fff-0x5003
! grep -q "unknown: " "$tmp/out" && ok || bad "page: 'unknown: ...' printed per page"
[ "$(grep -c reserved "$tmp/out")" = 1 ] && ok || bad "page: the unknown state 'reserved' is not said exactly once"
grep -q "^  flags .* lru swapbacked$" "$tmp/out" && ok || bad "page: flags of 0x5000 not named"
grep -q "^ *bits .*36-55 set, not named by the dump$" "$tmp/out" && ok || bad "page: unnamed flag bits not listed"
grep -q "type information" "$tmp/out" && ok || bad "page: no word on what unnamed bits need"
! grep -q "^  compound_head" "$tmp/out" && grep -q "^  compound *not a tail$" "$tmp/out" && ok ||
	bad "page: a page that is no tail shows its compound_head as a head"

# --- the real radix sample: the page tables agree with vmemmap_list ---
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
# an ELF file that is no core: libkdumpfile's internals stay inside
expect_status 3 "an executable" "$TCE" info /bin/ls
expect_one_error_line "an executable"
grep -q "not a vmcore" "$tmp/err" && ! grep -qi "file\.set\|ELF class\|Cannot set" "$tmp/err" && ok ||
	bad "an executable: $(cat "$tmp/err")"
expect_status 3 "a directory" "$TCE" vmemmap /
expect_one_error_line "a directory"
expect_status 3 "page on a missing file" "$TCE" page /nonexistent/vmcore 1
expect_one_error_line "page on a missing file"
expect_status 3 "page on an executable, json" "$TCE" page --format json /bin/ls 1
expect_one_error_line "page on an executable, json"

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
overlap-virt:1:TCE-VMEMMAP-OVERLAP-VIRT:TCE-VMEMMAP-UNCOVERED
overlap-phys:1:TCE-VMEMMAP-OVERLAP-PHYS:-
backing-outside:1:TCE-VMEMMAP-BACKING-MISSING:-
straddle:0:TCE-VMEMMAP-STRADDLE:-
truncated-file:1:TCE-VMEMMAP-BACKING-MISSING:-
qemu-vaddr:0:-:-
"
# all_ids: every rule of the catalogue (`tce-inspect rules`, above)
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
			expect_ids "$tmp/out" "$ids" "$may" "$v $name"
			expect_status 0 "$v $name info" "$TCE" info --format json "$f"
			json_ok "$tmp/out" "$v $name info"
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
		json_ok "$tmp/out" "$v page"
		"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "$v page: zoo fields"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["schema_version"] == 1
p = {int(x["pfn"], 16): x for x in j["pages"]}
assert p[0x100]["refcount"] == 0
assert p[0x102]["refcount"] >= 1024
assert p[0x103]["states"]["buddy"] is True and isinstance(p[0x103]["buddy_order"], int)
assert p[0x100]["states"]["buddy"] is False and p[0x100]["buddy_order"] is None
assert p[0x105]["states"]["hwpoison"] is True and "hwpoison" in p[0x105]["flag_names"]
assert p[0x108]["states"]["head"] is True and p[0x108]["compound_order"] == 2
assert p[0x109]["states"]["tail"] is True and p[0x109]["head_pfn"] == "0x108"
assert p[0x108]["head_pfn"] is None and p[0x100]["compound_order"] is None
assert p[0x100]["states"]["reserved"] is None      # the forge names no PG_reserved
for x in p.values():
    t = x["translations"]
    assert t["seed2013"] == t["walk"] == t["index"] == x["phys"]
    assert x["findings"] == [] and x["error"] is None
PYEOF
		expect_status 0 "$v page text" "$TCE" page "$tmp/c.vmcore" 0x100 0x103 0x107 0x108 0x109
		grep -q "^  compound *tail of pfn 0x108$" "$tmp/out" && ok || bad "$v page: tail does not show its head"
		grep -q "^  compound *head, order 2 " "$tmp/out" && ok || bad "$v page: head does not show its order"
		[ "$(grep -c "^  compound *not a tail$" "$tmp/out")" = 3 ] && ok || bad "$v page: 'not a tail' missing"
		grep -q "^  states *buddy (order [0-9]*)$" "$tmp/out" && ok || bad "$v page: buddy order not shown"
		grep -q "^  flags  *0x0*34 lru$" "$tmp/out" && grep -q "^ *bits 2 5 set, not named by the dump$" "$tmp/out" && ok ||
			bad "$v page: flags of the lru page: $(grep -A1 '^  flags  *0x0*34' "$tmp/out" | tr '\n' '|')"
		# beyond every struct page: every applicable method says no-block (r.vmcore is
		# the radix clean dump of above)
		for f in c r; do
			expect_status 1 "$v $f page beyond" "$TCE" page --format json "$tmp/$f.vmcore" 0xfffffffff
			"$PY" - "$tmp/out" "$f" <<'PYEOF' && ok || bad "$v $f: translations of a pfn beyond every struct page"
import json, sys
s = json.load(open(sys.argv[1]))["pages"][0]["translation_status"]
want = {"seed2013": "no-block", "walk": "no-block", "index": "no-block",
        "pgtable": "no-block" if sys.argv[2] == "r" else "unavailable"}
assert s == want, s
PYEOF
		done
	done
done

# --- dumps the forge does not write: patched copies of its clean dump ---
# an empty vmemmap_list (head NULL), and a VMCOREINFO without SYMBOL(vmemmap_list)
"$FORGE" clean "$tmp/c.vmcore" >/dev/null
list=$("$FORGE" --list | awk '$1 == "clean"' | tr ' \t' '\n\n' | sed -n 's/^vmemmap_list=//p')
"$PY" - "$tmp" "$list" <<'PYEOF' || bad "cannot patch the forge's dump"
import struct, sys
tmp, va = sys.argv[1], int(sys.argv[2], 16)
data = bytearray(open(tmp + "/c.vmcore", "rb").read())
phoff, = struct.unpack_from("<Q", data, 32)
phnum, = struct.unpack_from("<H", data, 56)
phys = va - 0xc000000000000000
for i in range(phnum):
    t, _, off, _, pa, fs, _, _ = struct.unpack_from("<IIQQQQQQ", data, phoff + 56 * i)
    if t == 1 and pa <= phys < pa + fs:
        empty = bytearray(data)
        struct.pack_into("<Q", empty, off + phys - pa, 0)
        open(tmp + "/empty.vmcore", "wb").write(empty)
        break
else:
    sys.exit("vmemmap_list is not in a PT_LOAD")
key = b"SYMBOL(vmemmap_list)="
assert key in data
open(tmp + "/missing.vmcore", "wb").write(data.replace(key, b"SYMBOL(vmemmap_lisX)="))
PYEOF
expect_status 1 "empty vmemmap_list" "$TCE" vmemmap "$tmp/empty.vmcore"
grep -q "^vmemmap_list: *empty" "$tmp/out" && ok || bad "empty vmemmap_list: $(grep vmemmap_list: "$tmp/out")"
! grep -q "0 blocks\|0x0 bytes\|NOT in descending" "$tmp/out" && ok || bad "empty vmemmap_list: says 0 blocks"
expect_status 1 "empty vmemmap_list json" "$TCE" vmemmap --format json "$tmp/empty.vmcore"
json_ok "$tmp/out" "empty vmemmap_list json"
"$PY" -c 'import json,sys; v = json.load(open(sys.argv[1]))["vmemmap"]; assert v["nblocks"] == 0 and v["blocks"] == [] and v["error"] is None' "$tmp/out" && ok ||
	bad "empty vmemmap_list json"
expect_status 1 "page on an empty vmemmap_list" "$TCE" page "$tmp/empty.vmcore" 0x100
grep -q "^  error " "$tmp/out" && ok || bad "page on an empty vmemmap_list: no error line"
# the walk cannot start: a finding (exit 1), not an unreadable dump
expect_status 1 "vmemmap without SYMBOL(vmemmap_list)" "$TCE" vmemmap "$tmp/missing.vmcore"
grep -q "TCE-VMEMMAP-MISSING" "$tmp/out" && ok || bad "no vmemmap_list: no TCE-VMEMMAP-MISSING finding"
grep -q "^vmemmap_list: *\(cannot be walked\|not walked\): .*SYMBOL(vmemmap_list)" "$tmp/out" && ok || bad "no vmemmap_list: the text does not say why"
expect_status 1 "vmemmap json without SYMBOL(vmemmap_list)" "$TCE" vmemmap --format json "$tmp/missing.vmcore"
json_ok "$tmp/out" "vmemmap json without SYMBOL(vmemmap_list)"
"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "no vmemmap_list, json"
import json, sys
j = json.load(open(sys.argv[1]))
assert isinstance(j["vmemmap"]["error"], str) and j["vmemmap"]["blocks"] == []
assert "TCE-VMEMMAP-MISSING" in [f["id"] for f in j["findings"]]
assert {r["id"]: r["outcome"] for r in j["rules"]}["TCE-VMEMMAP-MISSING"] == "fail"
PYEOF
expect_status 0 "info without SYMBOL(vmemmap_list)" "$TCE" info "$tmp/missing.vmcore"
expect_status 3 "page without SYMBOL(vmemmap_list)" "$TCE" page "$tmp/missing.vmcore" 0x100
expect_one_error_line "page without SYMBOL(vmemmap_list)"

# --- Debian 13's 6.12 shape: radix keeps no vmemmap_list (the page tables are the map),
# hash with 4K pages at 0xc0003f0000000000; nothing locating a struct page is an error
# finding and exit 1 for vmemmap and page, never a silent empty answer ---
for endian in le be; do
	for ps in 4k 64k; do
		for mmu in radix hash; do
			v="6.12 $endian/$ps/$mmu"
			r=; [ "$mmu" = radix ] && r=--radix
			for line in clean:0:-:TCE-VMEMMAP-UNORDERED,TCE-VMEMMAP-SEED-FALLBACK \
				    hotplug:0:-:TCE-VMEMMAP-UNORDERED,TCE-VMEMMAP-SEED-FALLBACK \
				    no-translation:1:TCE-VMEMMAP-NO-XLAT:- \
				    pgtable-hole:1:TCE-VMEMMAP-UNCOVERED:-; do
				IFS=: read -r name status ids may <<<"$line"
				[ "$name" = pgtable-hole ] && [ "$mmu" = hash ] && continue
				f="$tmp/612-$name.vmcore"
				if ! "$FORGE" --kernel 6.12 --endian "$endian" --page-size "$ps" $r "$name" "$f" \
					>/dev/null 2>"$tmp/ferr"; then
					bad "$v $name: forge failed: $(head -1 "$tmp/ferr")"
					continue
				fi
				expect_status "$status" "$v $name vmemmap" "$TCE" vmemmap --format json "$f"
				json_ok "$tmp/out" "$v $name"
				expect_ids "$tmp/out" "$ids" "$may" "$v $name"
				"$PY" - "$tmp/out" "$mmu" "$name" <<'PYEOF' && ok || bad "$v $name: wrong source"
import json, sys
v = json.load(open(sys.argv[1]))["vmemmap"]
want = "none" if sys.argv[3] == "no-translation" else \
       "page-tables" if sys.argv[2] == "radix" else "vmemmap_list"
assert v["source"] == want, v["source"]
assert v["mmu"] == sys.argv[2], v["mmu"]
assert (v["source_error"] is None) == (want != "none")
PYEOF
				expect_status 0 "$v $name info" "$TCE" info "$f"
				grep -q "^mmu: *$mmu (VMCOREINFO NUMBER(RADIX_MMU)" "$tmp/out" && ok ||
					bad "$v $name info: $(grep '^mmu' "$tmp/out")"
				# a page: read (exit 0) or, with nothing to read it through, an error
				# line that says why, exit 1
				expect_status "$([ "$name" = no-translation ] && echo 1 || echo 0)" \
					"$v $name page" "$TCE" page --format json "$f" 0x100
				json_ok "$tmp/out" "$v $name page"
				if [ "$name" = no-translation ]; then
					grep -q "no struct page can be located" "$tmp/out" && ok ||
						bad "$v no-translation page: no reason given"
				fi
			done
		done
	done
done

# --- type information: VMCOREINFO and the kallsyms tables of the sample; a vmlinux that
# is not the dump's is refused with one line (exit 3), never used ---
expect_status 0 "types of the sample" "$TCE" types @sample _stext "struct page" "struct page._refcount"
grep -q "^answers: *VMCOREINFO, kallsyms" "$tmp/out" && ok || bad "types: no kallsyms answers ($(grep answers "$tmp/out"))"
grep -q "^struct page._refcount *offset [0-9]" "$tmp/out" && ok || bad "types: no offset of page._refcount"
expect_status 1 "types: a symbol nobody knows" "$TCE" types @sample no_such_symbol_anywhere
grep -q "^no_such_symbol_anywhere *unknown: symbol no_such_symbol_anywhere is unknown (asked: VMCOREINFO" "$tmp/out" &&
	ok || bad "types: an unknown symbol is not said so"
expect_status 1 "types JSON" "$TCE" types --format json --no-debuginfod @sample _stext "struct page" "struct page.flags" nope
json_ok "$tmp/out" "types JSON"
"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "types JSON: wrong answers"
import json, sys
j = json.load(open(sys.argv[1]))
q = {x["query"]: x for x in j["queries"]}
assert j["dwarf"] is False and j["no_dwarf"]
assert q["_stext"]["address"] == "0xc000000000000000", q["_stext"]
assert q["struct page"]["size"] == 64 and q["struct page.flags"]["offset"] == 0
assert q["nope"]["error"] and q["nope"]["address"] is None
PYEOF
host_elf=$(readlink -f "$(type -P true)")
expect_status 3 "a vmlinux of another machine" "$TCE" types -s "$host_elf" @sample _stext
expect_one_error_line "a vmlinux of another machine"
grep -q "not a ppc64 kernel" "$tmp/err" && ok || bad "a vmlinux of another machine: $(cat "$tmp/err")"
expect_status 3 "a vmlinux that does not exist" "$TCE" info --vmlinux "$tmp/none" @sample
expect_one_error_line "a vmlinux that does not exist"
expect_status 2 "--vmlinux where no types are read" "$TCE" vmemmap --vmlinux "$tmp/none"
expect_one_error_line "--vmlinux where no types are read"

# --- TCE tables: the forge's KVM host and powernv machine, with the DWARF it writes;
# every entry (and the host pfn behind each guest-view one) as the forge wrote it ---
for endian in le be; do
	f="$tmp/kvm-$endian.vmcore"
	if ! "$FORGE" --endian "$endian" --vmlinux-out "$f.vmlinux" --entries kvm-tables "$f" \
		>"$tmp/kvm-truth" 2>"$tmp/ferr"; then
		if grep -q "cross compiler\|powerpc64" "$tmp/ferr"; then
			echo "SKIP: tables ($endian): $(head -1 "$tmp/ferr")"
			continue
		fi
		bad "kvm-tables $endian: forge failed: $(head -1 "$tmp/ferr")"
		continue
	fi
	expect_status 0 "tables $endian" "$TCE" tables -s "$f.vmlinux" "$f"
	grep -q "^kvm  *found, 2 VMs" "$tmp/out" && ok || bad "tables $endian: $(grep '^kvm' "$tmp/out")"
	[ "$(grep -c '^kvm  *0x' "$tmp/out")" = 3 ] && ok || bad "tables $endian: not 3 KVM tables"
	expect_status 0 "tables JSON $endian" "$TCE" tables --format json -s "$f.vmlinux" "$f"
	json_ok "$tmp/out" "tables JSON $endian"
	"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "tables JSON $endian: wrong tables"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["sources"]["kvm"] == {"status": "found", "why": None, "count": 2}, j["sources"]
kvm = sorted((t["id"], t["page_shift"], t["pid"]) for t in j["tables"] if t["kind"] == "kvm")
assert kvm == [("0x80000000", 12, 1001), ("0x80000000", 24, 1002), ("0x80000001", 16, 1001)], kvm
hw = [t for t in j["tables"] if t["kind"] == "iommu"]
assert len(hw) == 1 and hw[0]["attached_liobn"] == "0x80000001" and hw[0]["pe"] == 2, hw
PYEOF
	expect_status 0 "entries JSON $endian" "$TCE" entries --format json -s "$f.vmlinux" "$f"
	json_ok "$tmp/out" "entries JSON $endian"
	"$PY" - "$tmp/out" "$tmp/kvm-truth" <<'PYEOF' && ok || bad "entries JSON $endian: not what the forge wrote"
import json, sys
j = json.load(open(sys.argv[1]))
got = {(int(e["table"], 16), e["index"]): e for e in j["entries"]}
want = {}
for line in open(sys.argv[2]):
    w = line.split()
    if len(w) < 5 or not w[0].startswith("0x"):
        continue
    want[(int(w[0], 16), int(w[1], 16))] = w
assert set(got) == set(want), (len(got), len(want))
for k, w in want.items():
    e = got[k]
    assert int(e["raw"], 16) == int(w[2], 16), (k, e, w)
    if w[4] == "gpa":
        hp = w[5].split("=")[1]
        if hp == "none":
            assert e["host"] in ("not-present", "no-memslot") and e["host_pfn"] is None, e
        else:
            assert e["host"] == "present" and int(e["host_pfn"], 16) == int(hp, 16), (e, w)
            assert e["page"] is not None and e["page"]["refcount"] is not None, e
states = sorted(e["host"] for e in j["entries"])
assert states.count("not-present") == 1 and states.count("no-memslot") == 1, states
PYEOF
	# one table, a range of its bus addresses
	a4k=$(awk 'NR == 1 { print $1 }' "$tmp/kvm-truth")
	expect_status 0 "entries of one table" "$TCE" entries --format json -s "$f.vmlinux" "$f" "$a4k" --range 0x2000-0x4fff
	"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "entries --range: wrong entries"
import json, sys
j = json.load(open(sys.argv[1]))
assert [e["index"] for e in j["entries"]] == [2, 3, 4], [e["index"] for e in j["entries"]]
assert len(j["tables"]) == 1
PYEOF
	expect_status 0 "entries text $endian" "$TCE" entries -s "$f.vmlinux" "$f" "$a4k"
	grep -q "not-present: the VMM's page tables map nothing at its address (slot [0-9]*, hva 0x[0-9a-f]*)$" "$tmp/out" && ok ||
		bad "entries text $endian: no not-present entry"
done
f="$tmp/kvm-le.vmcore"
if [ -s "$f.vmlinux" ]; then
	# without type information: what is missing, exit 3, never a guess
	expect_status 3 "tables without type information" "$TCE" tables --no-debuginfod --debug-dir "$tmp" "$f"
	grep -q "^no TCE table" "$tmp/out" && ok || bad "tables without types: tables listed"
	expect_one_error_line_stderr "tables without type information"
	grep -q "TCE tables cannot be searched without the kernel's type information: no vmlinux" "$tmp/err" && ok ||
		bad "tables without types: $(head -1 "$tmp/err")"
	# a debuginfod server asked (libdebuginfod loaded at that first use): one that
	# refuses is named with why, still exit 3
	DEBUGINFOD_URLS=http://127.0.0.1:9 DEBUGINFOD_CACHE_PATH="$tmp/difd" \
		expect_status 3 "tables, debuginfod refusing" "$TCE" tables --debug-dir "$tmp" "$f"
	expect_one_error_line_stderr "tables, debuginfod refusing"
	grep -q "debuginfod (http://127.0.0.1:9): [A-Z]" "$tmp/err" && ok ||
		bad "tables, debuginfod refusing: $(head -1 "$tmp/err")"
	expect_status 3 "a table the search did not find" "$TCE" entries -s "$f.vmlinux" "$f" 0xc000000000001000
	expect_one_error_line "a table the search did not find"
	expect_status 2 "--kind bogus" "$TCE" entries --kind bogus "$f"
	expect_one_error_line "--kind bogus"
	expect_status 2 "--range backwards" "$TCE" entries --range 0x5000-0x1000 "$f"
	expect_one_error_line "--range backwards"
	expect_status 2 "--range junk" "$TCE" entries --range 12 "$f"
	expect_one_error_line "--range junk"
	expect_status 2 "table not a number" "$TCE" entries "$f" table0
	expect_one_error_line "table not a number"
	expect_status 2 "--range on tables" "$TCE" tables --range 1-2 "$f"
	expect_one_error_line "--range on tables"
fi
f="$tmp/pnv.vmcore"
if "$FORGE" --vmlinux-out "$f.vmlinux" powernv-tables "$f" >/dev/null 2>"$tmp/ferr"; then
	expect_status 0 "powernv tables" "$TCE" tables --format json -s "$f.vmlinux" "$f"
	json_ok "$tmp/out" "powernv tables JSON"
	"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "powernv tables: wrong"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["sources"]["kvm"]["status"] == "absent", j["sources"]["kvm"]
assert j["sources"]["powernv"]["count"] == 2
t = sorted((x["phb"], x["pe"], x["levels"], x["valid"]) for x in j["tables"])
assert [x[:3] for x in t] == [(0, 0x1fd, 1), (0, 0x1fd, 2), (1, 0, 3)], t
assert t[0][3] == 5 and t[1][3] == 3, t
PYEOF
	expect_status 0 "powernv entries" "$TCE" entries --format json -s "$f.vmlinux" "$f"
	json_ok "$tmp/out" "powernv entries JSON"
fi

# entries on a large folio's tail pages (the forge's vfio-tables: region b is a folio of
# order 4 at pfn 0x2100, refcount 17): a tail's own refcount is 0, so the line and the
# JSON's page.folio give its head's counts; any other page has folio null
f="$tmp/vfio"
if "$FORGE" --vmlinux-out "$f.vmlinux" vfio-tables "$f" >/dev/null 2>"$tmp/ferr"; then
	expect_status 0 "vfio entries" "$TCE" entries -s "$f.vmlinux" "$f"
	grep -q " pfn 0x2101 (ua 0x[0-9a-f]*) ref 0 map -1 tail head 0x2100 (folio: ref 17 map -1 order 4)$" "$tmp/out" &&
		ok || bad "entries: a tail page without its folio's counts: $(grep -m1 'pfn 0x2101' "$tmp/out")"
	expect_status 0 "vfio entries JSON" "$TCE" entries --format json -s "$f.vmlinux" "$f"
	json_ok "$tmp/out" "vfio entries JSON"
	"$PY" - "$tmp/out" <<'PYEOF' && ok || bad "entries JSON: page.folio wrong"
import json, sys
e = json.load(open(sys.argv[1]))["entries"]
tails = [x for x in e if x["page"] and x["page"]["states"].get("tail")]
assert tails, "no tail page mapped"
for x in tails:
    assert x["page"]["folio"] == {"head_pfn": "0x2100", "refcount": 17, "mapcount": -1,
                                  "order": 4, "error": None}, x
others = [x for x in e if x["page"] and not x["page"]["states"].get("tail")]
assert others and all(x["page"]["folio"] is None for x in others), others[:1]
PYEOF
	# the hostile name (above) on entries
	ln -s "$f" "$tmp/$hostile"
	expect_status 0 "entries on a dump with a hostile name" "$TCE" entries --format json -s "$f.vmlinux" "$tmp/$hostile"
	json_ok "$tmp/out" "entries, hostile dump name"
	"$PY" "$tmp/hostile.py" "$tmp/out" "$tmp/$hostile" && ok || bad "entries, hostile dump name: not read back"
else
	bad "forge vfio-tables: $(head -1 "$tmp/ferr")"
fi

# --- check (issue 15): text, JSON (doc/tce-inspect.schema.json's "check"), JUnit read back
# by xmllint and python3-junitparser; a baseline taken on one dump of the forged KVM host
# silences the same findings on another dump of it whose kernel addresses differ (radix:
# every structure elsewhere), and a finding it lacks still fails; --rules, --disable,
# --fail-on, --strict; every bad flag one error line and exit 2.  kvm-tables has two
# findings by design (TCE-KVM-HW-MISMATCH error: its attached hardware table is empty at
# the first a64k entry; TCE-KVM-NO-MEMSLOT warning: a64k's last entry); powernv-tables one
# (TCE-DMA-FREED: t0 entry 2 maps the zoo's buddy page), and on hash an unknown
# TCE-ITMAP-CLEAR (it_map is vmalloc, which the forge's hash machine cannot translate).
ch="$tmp/check"
if "$FORGE" --vmlinux-out "$ch-h.vmlinux" kvm-tables "$ch-h" >/dev/null 2>"$tmp/ferr" &&
	"$FORGE" --radix --vmlinux-out "$ch-r.vmlinux" kvm-tables "$ch-r" >/dev/null 2>>"$tmp/ferr" &&
	"$FORGE" --vmlinux-out "$ch-p.vmlinux" powernv-tables "$ch-p" >/dev/null 2>>"$tmp/ferr"; then
	expect_status 1 "check kvm-tables" "$TCE" check -s "$ch-h.vmlinux" "$ch-h"
	grep -q "^  error   TCE-KVM-HW-MISMATCH \[kvm:pid=1001:liobn=0x80000001:bus=0x800000000000000\]: " "$tmp/out" &&
		grep -q "^  warning TCE-KVM-NO-MEMSLOT \[kvm:pid=1001:liobn=0x80000001:bus=0x800000fffff0000\]: " "$tmp/out" &&
		grep -q "^findings: 2$" "$tmp/out" && grep -q "^rules: 25 pass, 2 fail, 0 unknown, 6 not applicable$" "$tmp/out" &&
		ok || bad "check text: $(head -4 "$tmp/out")"
	[ ! -s "$tmp/err" ] && ok || bad "check: stderr not empty (progress only on a terminal)"
	expect_status 1 "check JSON" "$TCE" check --format json -s "$ch-h.vmlinux" "$ch-h"
	json_ok "$tmp/out" "check JSON"
	cp "$tmp/out" "$ch-h.json"
	"$PY" - "$ch-h.json" <<'PYEOF' && ok || bad "check JSON: wrong findings, outcomes or summary"
import json, sys
j = json.load(open(sys.argv[1]))
f = sorted((x["id"], x["severity"], x["key"], x["baselined"]) for x in j["findings"])
assert f == [("TCE-KVM-HW-MISMATCH", "error", "kvm:pid=1001:liobn=0x80000001:bus=0x800000000000000", False),
             ("TCE-KVM-NO-MEMSLOT", "warning", "kvm:pid=1001:liobn=0x80000001:bus=0x800000fffff0000", False)], f
o = {x["id"]: x["outcome"] for x in j["outcomes"]}
assert len(o) == 33 and o["TCE-KVM-HW-MISMATCH"] == "fail" and o["TCE-DMA-FREED"] == "pass", o
assert j["summary"] == {"findings": 2, "new": 2, "baselined": 0, "races": 0,
                        "later_sample_only": 0, "pass": 25, "fail": 2, "unknown": 0,
                        "not_applicable": 6, "exit_status": 1}, j["summary"]
# TCE-SEED-REFS assumes a kernel model check was not told of
assert o["TCE-SEED-REFS"] == "not-applicable"
r = [x["reason"] for x in j["outcomes"] if x["id"] == "TCE-SEED-REFS"]
assert "--model seed2013" in r[0], r
PYEOF
	# JUnit: one testcase a rule, the failing rule's findings in its failure, the unknown
	# rule skipped with its reason, findings below --fail-on in system-out
	expect_status 1 "check JUnit" "$TCE" check --format junit -s "$ch-p.vmlinux" "$ch-p"
	cp "$tmp/out" "$ch-p.xml"
	xmllint --noout "$ch-p.xml" 2>"$tmp/xerr" && ok || bad "check JUnit: xmllint: $(head -1 "$tmp/xerr")"
	expect_status 1 "check JUnit kvm" "$TCE" check --format junit -s "$ch-h.vmlinux" "$ch-h"
	cp "$tmp/out" "$ch-h.xml"
	"$PY" - "$ch-p.xml" "$ch-h.xml" <<'PYEOF' && ok || bad "check JUnit: junitparser reads something else"
import sys
from junitparser import JUnitXml, Failure, Skipped
def cases(path):
    xml = JUnitXml.fromfile(path)
    suites = list(xml)
    assert len(suites) == 1, suites
    s = suites[0]
    assert s.tests == 33, s.tests
    return s, {c.name: c for c in s}
s, c = cases(sys.argv[1])
# skipped: the unknown TCE-ITMAP-CLEAR, the five VFIO rules (no table VFIO made) and
# TCE-SEED-REFS (its kernel model not selected)
assert s.failures == 1 and s.skipped == 7 and s.errors == 0, (s.failures, s.skipped)
r = c["TCE-DMA-FREED"].result
assert len(r) == 1 and isinstance(r[0], Failure) and r[0].type == "error", r
assert "[iommu:phb=0:pe=0x1fd:window=0x0:bus=0x2000]" in r[0].text, r[0].text
assert c["TCE-DMA-FREED"].classname == "tce-inspect.tables"
r = c["TCE-ITMAP-CLEAR"].result
assert len(r) == 1 and isinstance(r[0], Skipped) and "it_map" in r[0].message, r
assert c["TCE-VMEMMAP-CYCLE"].is_passed and c["TCE-VMEMMAP-CYCLE"].classname == "tce-inspect.vmemmap"
s, c = cases(sys.argv[2])
assert s.failures == 1 and s.skipped == 6, (s.failures, s.skipped)
assert isinstance(c["TCE-KVM-HW-MISMATCH"].result[0], Failure)
# a warning below --fail-on error: the rule passes, its finding told in system-out
assert c["TCE-KVM-NO-MEMSLOT"].is_passed
assert "bus=0x800000fffff0000" in c["TCE-KVM-NO-MEMSLOT"].system_out
PYEOF
	# --model seed2013: TCE-SEED-REFS runs (kvm-tables' attached table holds no entry:
	# not applicable, for that reason); an unknown model is a usage error
	expect_status 1 "check --model seed2013" "$TCE" check --model seed2013 --format json -s "$ch-h.vmlinux" "$ch-h"
	"$PY" -c 'import json, sys
r = {x["id"]: x for x in json.load(open(sys.argv[1]))["outcomes"]}["TCE-SEED-REFS"]
assert r["outcome"] == "not-applicable" and "attached" in r["reason"], r' "$tmp/out" &&
		ok || bad "check --model seed2013: TCE-SEED-REFS did not run"
	expect_status 2 "check --model of no kernel" "$TCE" check --model seed2099 -s "$ch-h.vmlinux" "$ch-h"
	expect_one_error_line "check --model of no kernel"
	# --strict: an unknown rule fails (exit 1, a JUnit failure); the same dump's only
	# finding disabled
	expect_status 0 "check powernv without DMA-FREED" "$TCE" check --disable TCE-DMA-FREED -s "$ch-p.vmlinux" "$ch-p"
	grep -q "^  unknown        TCE-ITMAP-CLEAR: .*it_map" "$tmp/out" && ok || bad "check: unknown rule not told"
	expect_status 1 "check --strict" "$TCE" check --strict --disable TCE-DMA-FREED -s "$ch-p.vmlinux" "$ch-p"
	expect_status 1 "check --strict JUnit" "$TCE" check --strict --disable TCE-DMA-FREED --format junit -s "$ch-p.vmlinux" "$ch-p"
	"$PY" -c 'import sys; from junitparser import JUnitXml, Failure
s = list(JUnitXml.fromfile(sys.argv[1]))[0]; c = {x.name: x for x in s}
assert s.failures == 1 and s.tests == 32 and isinstance(c["TCE-ITMAP-CLEAR"].result[0], Failure)
assert c["TCE-ITMAP-CLEAR"].result[0].type == "unknown"' "$tmp/out" && ok || bad "check --strict JUnit"
	# --fail-on: the warning fails at warning, nothing at error once the error rule is off
	expect_status 0 "check --fail-on error, HW-MISMATCH off" "$TCE" check --disable TCE-KVM-HW-MISMATCH -s "$ch-h.vmlinux" "$ch-h"
	expect_status 1 "check --fail-on warning" "$TCE" check --fail-on warning --disable TCE-KVM-HW-MISMATCH -s "$ch-h.vmlinux" "$ch-h"
	expect_status 1 "check --fail-on info" "$TCE" check --fail-on info --rules TCE-KVM-NO-MEMSLOT -s "$ch-h.vmlinux" "$ch-h"
	# --rules with a pattern: only the KVM rules run (the others are not run, not passed)
	expect_status 1 "check --rules pattern" "$TCE" check --format json --rules 'TCE-KVM-*' -s "$ch-h.vmlinux" "$ch-h"
	json_ok "$tmp/out" "check --rules JSON"
	"$PY" -c 'import json,sys; j=json.load(open(sys.argv[1]))
ran = sorted(x["id"] for x in j["outcomes"] if x["outcome"] != "not-run")
assert ran == ["TCE-KVM-HW-MISMATCH", "TCE-KVM-NO-MEMSLOT"], ran
assert j["summary"]["pass"] + j["summary"]["fail"] == 2, j["summary"]' "$tmp/out" && ok || bad "check --rules: other rules ran"
	expect_status 0 "check --rules with --disable" "$TCE" check --rules 'TCE-KVM-*' --disable TCE-KVM-HW-MISMATCH -s "$ch-h.vmlinux" "$ch-h"
	# the baseline: taken on the hash dump, it accepts the same findings on the radix dump
	# of the same host (other addresses: the message names another hardware table)
	expect_status 0 "check --baseline, another dump" "$TCE" check --format json --baseline "$ch-h.json" -s "$ch-r.vmlinux" "$ch-r"
	json_ok "$tmp/out" "check --baseline JSON"
	"$PY" - "$tmp/out" "$ch-h.json" <<'PYEOF' && ok || bad "check --baseline: not accepted by key"
import json, sys
j, b = (json.load(open(p)) for p in sys.argv[1:3])
assert all(f["baselined"] for f in j["findings"]) and len(j["findings"]) == 2, j["findings"]
assert j["summary"]["new"] == 0 and j["summary"]["baselined"] == 2 and j["summary"]["exit_status"] == 0
# the same keys, other kernel addresses in the messages
m = {f["key"]: f["message"] for f in b["findings"]}
assert any(m[f["key"]] != f["message"] for f in j["findings"]), "the dumps do not differ"
PYEOF
	"$TCE" check --baseline "$ch-h.json" -s "$ch-r.vmlinux" "$ch-r" >"$tmp/out" 2>&1
	grep -q "^findings: none new$" "$tmp/out" && grep -q "^accepted by the baseline: 2$" "$tmp/out" && ok ||
		bad "check --baseline text: $(head -3 "$tmp/out")"
	# a finding the baseline lacks still fails
	"$PY" -c 'import json,sys; j=json.load(open(sys.argv[1]))
j["findings"] = [f for f in j["findings"] if f["id"] != "TCE-KVM-HW-MISMATCH"]
json.dump(j, open(sys.argv[2], "w"))' "$ch-h.json" "$ch-partial.json"
	expect_status 1 "check --baseline, a new finding" "$TCE" check --format json --baseline "$ch-partial.json" -s "$ch-r.vmlinux" "$ch-r"
	"$PY" -c 'import json,sys; j=json.load(open(sys.argv[1]))
new = [f["id"] for f in j["findings"] if not f["baselined"]]
assert new == ["TCE-KVM-HW-MISMATCH"] and j["summary"]["new"] == 1, new' "$tmp/out" && ok || bad "check --baseline: the new finding"
	# another host's baseline accepts nothing here
	expect_status 1 "check --baseline of another host" "$TCE" check --baseline "$ch-h.json" -s "$ch-p.vmlinux" "$ch-p"
	# bad flags: one error line, exit 2 (usage); nothing read from the dump
	expect_status 2 "check --rules unknown id" "$TCE" check --rules TCE-NO-SUCH-RULE "$ch-h"
	expect_one_error_line "check --rules unknown id"
	grep -q "no rule is 'TCE-NO-SUCH-RULE'" "$tmp/err" && ok || bad "check --rules: $(cat "$tmp/err")"
	expect_status 2 "check --disable pattern matching nothing" "$TCE" check --disable 'TCE-NOPE-*' "$ch-h"
	expect_one_error_line "check --disable pattern matching nothing"
	expect_status 2 "check --baseline unreadable" "$TCE" check --baseline "$tmp/no-such.json" "$ch-h"
	expect_one_error_line "check --baseline unreadable"
	echo "not json" >"$ch-garbage.json"
	expect_status 2 "check --baseline not JSON" "$TCE" check --baseline "$ch-garbage.json" "$ch-h"
	expect_one_error_line "check --baseline not JSON"
	echo '{"schema_version": 1}' >"$ch-nofindings.json"
	expect_status 2 "check --baseline without findings" "$TCE" check --baseline "$ch-nofindings.json" "$ch-h"
	expect_one_error_line "check --baseline without findings"
	expect_status 2 "check --fail-on bogus" "$TCE" check --fail-on fatal "$ch-h"
	expect_one_error_line "check --fail-on bogus"
	for c in info vmemmap page tables entries rules types; do
		expect_status 2 "junit on $c" "$TCE" "$c" --format junit "$ch-h"
		expect_one_error_line "junit on $c"
	done
	expect_status 2 "check --format bogus" "$TCE" check --format yaml "$ch-h"
	expect_one_error_line "check --format bogus"
	expect_status 3 "check of no dump" "$TCE" check "$tmp/no-such-dump"
	expect_one_error_line_stderr "check of no dump"
else
	bad "check: forge failed: $(head -1 "$tmp/ferr")"
fi

echo "$pass passed, $fail failed"

[ "$fail" = 0 ]
