#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-html.sh: check --format html (issue 19), the picture of every DMA window.
# The page of the forge's KVM host (findings about entries), its powernv host (a free
# page: TCE-DMA-FREED), its VFIO host, and of the committed real sample (Debian 13's
# 6.12 KVM host, sample-d13-pnv-kvm) is written with -o, checked to be one file that
# asks for nothing outside itself, then loaded in a real headless browser
# (tests/cli/html-browser.py: chromium through chromedriver), which checks that it
# loads without a script or console error and that its cells, findings and links are
# what the JSON of check, tables and entries on the same dump say.  A race: the real
# sample under check --samples 2 with the dump path swapped, once the first sample has
# opened it, to a copy with one KVM entry cleared: the page's data and the JSON mark
# that finding alone a race, and its line in the browser says so.  Also the command
# line: -o with any format, html for one dump only, and for check only, an -o that
# cannot be written.  The browser part is skipped, saying so, only when no browser can
# start (Debian: chromium, chromium-driver; bootstrap.sh check installs them).
# Prints "N passed, N failed".
set -uo pipefail

TCE=${TCE_INSPECT:-cli/tce-inspect}
FORGE=${TCE_FORGE:-tests/forge/tce-forge}
srcdir=${srcdir:-.}
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

# page NAME STATUS ARGS...: the page, and the JSON of check, tables and entries
page() {
	local name=$1 want=$2
	shift 2
	expect_status "$want" "$name: check --format html" "$TCE" check --format html \
		-o "$tmp/$name.html" "$@"
	[ -s "$tmp/out" ] && bad "$name: -o FILE, yet $(wc -c <"$tmp/out") bytes on stdout"
	expect_status "$want" "$name: check --format json" "$TCE" check --format json "$@"
	cp "$tmp/out" "$tmp/$name.check.json"
	expect_status 0 "$name: tables" "$TCE" tables --format json "$@"
	cp "$tmp/out" "$tmp/$name.tables.json"
	expect_status 0 "$name: entries" "$TCE" entries --format json "$@"
	cp "$tmp/out" "$tmp/$name.entries.json"
	# self-contained: no element that loads anything, a policy that forbids it
	if grep -qiE '<(link|img|iframe|object|embed)\b|<script[^>]* src=|url\(|@import' \
		"$tmp/$name.html"; then
		bad "$name: the page loads something: $(grep -oiE '<(link|img|iframe|object|embed)\b|<script[^>]* src=|url\(|@import' "$tmp/$name.html" | head -3)"
	else
		ok
	fi
	grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$tmp/$name.html" && ok ||
		bad "$name: no Content-Security-Policy forbidding the network"
	# the data is check's own: the same findings as the JSON, in order
	"$PY" - "$tmp/$name.html" "$tmp/$name.check.json" <<'PYEOF' && ok || bad "$name: the page's data differs from the JSON"
import json, re, sys
html = open(sys.argv[1]).read()
m = re.search(r'<script type="application/json" id="tce-data">(.*?)</script>', html, re.S)
data = json.loads(m.group(1))
check = json.load(open(sys.argv[2]))
assert data["findings"] == check["findings"], (data["findings"][:2], check["findings"][:2])
assert data["exit_status"] == check["summary"]["exit_status"]
assert [o["id"] for o in data["outcomes"]] == [o["id"] for o in check["outcomes"]]
for t in data["tables"]:
    assert sum(t["count"]) == sum(sum(c[1:]) for c in zip(*[iter(t["levels"][0]["cells"])] * 6)) \
        if t["levels"] else sum(t["count"]) == 0, t["key"]
PYEOF
	browse+=("$tmp/$name.html" "$tmp/$name.check.json" "$tmp/$name.tables.json"
		"$tmp/$name.entries.json")
}
browse=()

# the forge's hosts: findings about entries (kvm), a free page (powernv), VFIO's tables
for s in kvm-tables powernv-tables vfio-tables; do
	if ! "$FORGE" --vmlinux-out "$tmp/$s.vmlinux" "$s" "$tmp/$s.vmcore" >/dev/null 2>"$tmp/ferr"; then
		if grep -q "cross compiler\|powerpc64" "$tmp/ferr"; then
			echo "SKIP: $s: $(head -1 "$tmp/ferr")"
			continue
		fi
		bad "$s: forge failed: $(head -1 "$tmp/ferr")"
		continue
	fi
	want=1
	[ "$s" = vfio-tables ] && want=0
	page "$s" "$want" -s "$tmp/$s.vmlinux" "$tmp/$s.vmcore"
done
# the powernv host's free page is one cell in state free, the KVM host has none
if [ -s "$tmp/powernv-tables.html" ] && [ -s "$tmp/kvm-tables.html" ]; then
	"$PY" - "$tmp/powernv-tables.html" "$tmp/kvm-tables.html" <<'PYEOF' && ok || bad "free pages: as the forge made them"
import json, re, sys
def data(p):
    return json.loads(re.search(r'id="tce-data">(.*?)</script>', open(p).read(), re.S).group(1))
pnv, kvm = data(sys.argv[1]), data(sys.argv[2])
free = pnv["states"].index("free")
assert sum(t["count"][free] for t in pnv["tables"]) == 1, [t["count"] for t in pnv["tables"]]
e = [x for t in pnv["tables"] for x in t["exact"] if x[2] == free]
assert len(e) == 1 and e[0][1] == "0x103", e
assert sum(t["count"][free] for t in kvm["tables"]) == 0
PYEOF
fi

# the real sample: Debian 13's KVM host, types from the BTF in its memory
xz -dc "$srcdir/tests/fixtures/sample-d13-pnv-kvm.elf.xz" >"$tmp/d13.vmcore"
page d13-pnv-kvm 0 --no-debuginfod --debug-dir "$tmp/none" "$tmp/d13.vmcore"

# a race: check --samples 2 on a path swapped after the first sample opened it to a copy
# whose KVM entry at liobn 0x80000003, bus 0x80f000000 (in no memslot) is cleared
RACE='kvm:pid=151:liobn=0x80000003:bus=0x80f000000'
"$PY" - "$tmp/d13.vmcore" "$tmp/d13b.vmcore" <<'PYEOF'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
raw = struct.pack('<Q', 0x7f000000003)
assert d.count(raw) == 1, d.count(raw)
i = d.find(raw)
d[i:i + 8] = bytes(8)
open(sys.argv[2], 'wb').write(d)
PYEOF
# swapped FORMAT OUT: the run, its exit status in rc
swapped() {
	ln -sfn "$tmp/d13.vmcore" "$tmp/race.vmcore"
	rm -f "$tmp/ready"
	"$PY" "$srcdir/tests/cli/swap-on-open.py" "$tmp/d13.vmcore" "$tmp/d13b.vmcore" "$tmp/race.vmcore" "$tmp/ready" &
	local pid=$! i=0
	while [ ! -e "$tmp/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	rc=0
	"$TCE" check --samples 2 --format "$1" --no-debuginfod --debug-dir "$tmp/none" \
		"$tmp/race.vmcore" >"$2" 2>"$tmp/err" || rc=$?
	wait $pid
}
swapped html "$tmp/race.html"
[ $rc = 0 ] && ok || bad "race page: exit $rc: $(head -1 "$tmp/err")"
swapped json "$tmp/race.check.json"
[ $rc = 0 ] && ok || bad "race JSON: exit $rc: $(head -1 "$tmp/err")"
"$PY" - "$tmp/race.html" "$tmp/race.check.json" "$RACE" <<'PYEOF' && ok || bad "race: the page's data does not mark it"
import json, re, sys
data = json.loads(re.search(r'id="tce-data">(.*?)</script>', open(sys.argv[1]).read(), re.S).group(1))
check = json.load(open(sys.argv[2]))
assert data["findings"] == check["findings"]
assert data["samples"] == 2 == check["samples"]
assert [f["key"] for f in data["findings"] if f["race"]] == [sys.argv[3]], data["findings"]
assert all(f["samples_seen"] == (1 if f["race"] else 2) for f in data["findings"])
PYEOF
# the first sample's tables and entries are the unchanged sample's
cp "$tmp/d13-pnv-kvm.tables.json" "$tmp/race.tables.json"
cp "$tmp/d13-pnv-kvm.entries.json" "$tmp/race.entries.json"
browse+=("$tmp/race.html" "$tmp/race.check.json" "$tmp/race.tables.json" "$tmp/race.entries.json")

# every page in the browser (one session)
"$PY" "$srcdir/tests/cli/html-browser.py" "${browse[@]}" >"$tmp/b.out" 2>"$tmp/b.err"
case $? in
0) ok; cat "$tmp/b.out" ;;
77) skipped=$(cat "$tmp/b.out"); echo "$skipped" ;;
*) bad "in the browser:"; sed 's/^/  /' "$tmp/b.out" "$tmp/b.err" | head -30 ;;
esac

# the command line
expect_status 0 "-o with text" "$TCE" check -o "$tmp/sample.txt" @sample
"$TCE" check @sample >"$tmp/sample-stdout.txt" 2>/dev/null
cmp -s "$tmp/sample.txt" "$tmp/sample-stdout.txt" && ok || bad "-o FILE differs from stdout"
expect_status 2 "html of two dumps" "$TCE" check --format html @sample @sample
grep -q "^tce-inspect: check: --format html takes one dump" "$tmp/err" && ok ||
	bad "html of two dumps: $(head -1 "$tmp/err")"
expect_status 2 "html for tables" "$TCE" tables --format html @sample
grep -q "unknown format 'html' (text or json; html is check's)" "$tmp/err" && ok ||
	bad "html for tables: $(head -1 "$tmp/err")"
expect_status 2 "-o for tables" "$TCE" -o "$tmp/x" tables @sample
grep -q "^tce-inspect: tables: takes no --output option" "$tmp/err" && ok ||
	bad "-o for tables: $(head -1 "$tmp/err")"
expect_status 3 "-o in no directory" "$TCE" check --format html -o "$tmp/no/such/x.html" @sample
[ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^tce-inspect: check: --output $tmp/no/such/x.html: No such file" "$tmp/err" &&
	ok || bad "-o in no directory: $(cat "$tmp/err")"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ] || exit 1
[ -z "${skipped:-}" ] || echo "(the browser part skipped: $skipped)"
exit 0
