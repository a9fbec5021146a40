#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/mksample.sh [NAME]: remakes tests/fixtures/sample-NAME.elf.xz and its ground
# truth sample-NAME.json from the real dump mkdump.sh makes (default NAME: hash-hotplug;
# the radix sample is NAME=radix, the one with a VGA's video RAM NAME=hash-vga).
# It owns the recipe of the repo's small real sample: trim.py keeps the pages that matter,
# and the sample is accepted only if oracle.py gives the same answer for the full dump and
# for the sample (every vmemmap block, every struct page the blocks hold, every present
# memory section and the PT_LOAD ranges no section covers) and if
# libkdumpfile (kdumpcheck) reads the sample the same way (check-sample.sh).  The .xz must
# stay under 3 MB.  NAME=pnv-kvm (a dump with TCE tables, truth.txt beside it) also keeps
# what tables-oracle.py read and writes sample-NAME.truth.txt.xz and
# sample-NAME.drgn-truth.txt.xz (the guest's truth and drgn's), after checking the sample
# against both.  Such a dump is also shown to tce-inspect (TCE_INSPECT, default the in-tree
# cli/tce-inspect) with no debug file at all (--debug-dir /nonexistent --no-debuginfod).
# Where it reads the tables that way (a kernel with BTF: Debian 13's, NAME=d13-pnv-kvm),
# every byte its tables, entries and check read (text and JSON) is traced (readtrace.c, an
# LD_PRELOAD of libkdumpfile's kdump_read) and kept, and the sample is accepted only if
# tce-inspect's output and exit status on it are those on the full dump, for each of the six
# runs, and check-tables.py --sample --no-debug-files --require-answers passes on it.
# Where it cannot (Debian 6.1: no BTF), the sample keeps what drgn read, as before.
set -euo pipefail

NAME=${1:-hash-hotplug}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
FIX="$TOP/tests/fixtures"
PY=/usr/bin/python3
KDUMPCHECK=${KDUMPCHECK:-$TOP/tests/e2e/kdumpcheck}

# FULL_DUMP=PATH: trim this full dump (e.g. a cached dumps/NAME/vmcore.elf) instead of
# asking mkdump.sh for it (mkdump.sh remakes the dump whenever its key changes).
if [ -n "${FULL_DUMP:-}" ]; then
	full=$FULL_DUMP
else
	full=$("$HERE/mkdump.sh" "$NAME")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A dump with TCE tables (mkdump.sh's pnv-* recipes) also keeps every page tables-oracle.py
# read (drgn-keep.json: page tables, module list, kvm.ko's structures, the TCE pages, the
# hardware tables' levels).
dir=$(dirname "$full")
keep=()
if [ -f "$dir/drgn-keep.json" ]; then
	mapfile -t keep < <("$PY" -c 'import json,sys; [print("--keep=%s:%d" % (k["phys"], k["size"])) for k in json.load(open(sys.argv[1]))]' "$dir/drgn-keep.json")
fi
# tce-inspect with no debug file: each run's output (the dump named vmcore.elf in both
# directories, so that its name in the output is the same) and exit status.
NODEBUG=(--debug-dir /nonexistent --no-debuginfod)
RUNS="tables:text tables:json entries:text entries:json check:text check:json"
run_tce() {	# run_tce DIR OUTDIR: every run of RUNS on DIR/vmcore.elf
	local r rc
	mkdir -p "$2"
	for r in $RUNS; do
		rc=0
		(cd "$1" && "$TCE" "${r%:*}" --format "${r#*:}" "${NODEBUG[@]}" vmcore.elf) \
			>"$2/$r.out" 2>"$2/$r.err" || rc=$?
		echo "$rc" >"$2/$r.rc"
		[ "$rc" -le 1 ] || { echo "mksample.sh: tce-inspect ${r%:*} --format ${r#*:} exited $rc on $1/vmcore.elf:" >&2; cat "$2/$r.err" >&2; return 1; }
	done
}
traced=
if [ -f "$dir/truth.txt" ]; then
	TCE=${TCE_INSPECT:-$TOP/cli/tce-inspect}
	[ -x "$TCE" ] || { echo "mksample.sh: no tce-inspect at $TCE (set TCE_INSPECT)" >&2; exit 1; }
	TCE=$(cd "$(dirname "$TCE")" && pwd)/$(basename "$TCE")
	mkdir "$tmp/full"
	ln -s "$(cd "$(dirname "$full")" && pwd)/$(basename "$full")" "$tmp/full/vmcore.elf"
	rc=0
	"$TCE" tables "${NODEBUG[@]}" "$tmp/full/vmcore.elf" >/dev/null 2>"$tmp/nodebug.err" || rc=$?
	if [ "$rc" -le 1 ]; then
		${CC:-cc} -shared -fPIC -O2 -Wall -o "$tmp/readtrace.so" "$HERE/readtrace.c" -ldl
		# (a sanitizer build of tce-inspect: ASan accepts a library preloaded ahead of it)
		LD_PRELOAD=$tmp/readtrace.so READTRACE_OUT=$tmp/trace.txt \
			ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
			run_tce "$tmp/full" "$tmp/full-out"
		keep+=("--keep-trace=$tmp/trace.txt:read by tce-inspect tables/entries/check (no debug file)")
		traced=1
		echo "mksample.sh: tce-inspect read $(wc -l <"$tmp/trace.txt") times with no debug file: kept"
	else
		echo "mksample.sh: tce-inspect cannot read this dump's tables with no debug file (exit $rc: $(head -1 "$tmp/nodebug.err")): its reads are not traced"
	fi
fi
"$PY" "$HERE/trim.py" ${keep[@]+"${keep[@]}"} --manifest "$tmp/manifest.json" "$full" "$tmp/sample-$NAME.elf"

# Same answer from the full dump and from the sample, for all struct pages.
"$PY" "$HERE/oracle.py" --all "$full" >"$tmp/full.json"
"$PY" "$HERE/oracle.py" --all "$tmp/sample-$NAME.elf" >"$tmp/sample.json"
"$PY" - "$tmp/full.json" "$tmp/sample.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a['blocks'] == b['blocks'], 'blocks differ between the full dump and the sample'
assert a['pages'] == b['pages'], 'struct pages differ between the full dump and the sample'
# The memory the kernel manages (every present section, every root, no root missing) and
# the memory it does not (kept whole up to trim.py's --unmanaged-max).
assert a['mem_section'] == b['mem_section'], 'mem_section differs between the full dump and the sample'
assert a['sections'] == b['sections'], 'present sections differ between the full dump and the sample'
assert a['unmanaged'] == b['unmanaged'], 'unmanaged PT_LOAD ranges differ between the full dump and the sample'
print('mksample.sh: full dump and sample agree on %d blocks, %d struct pages, %d present sections'
      ' and %d unmanaged ranges' % (len(a['blocks']), len(a['pages']), len(a['sections']),
				    len(a['unmanaged'] or [])))
EOF

# TCE tables: the sample holds every table page the truth names (check-tables.py --sample:
# the memslots' own pages may be left out), and drgn reads the same tables from it as from
# the full dump (tables-oracle.py, its output compared line by line but for its header).
tables=()
if [ -f "$dir/truth.txt" ]; then
	mkdir "$tmp/tables"
	ln -s "$tmp/sample-$NAME.elf" "$tmp/tables/vmcore.elf"
	cp "$dir/truth.txt" "$tmp/tables/truth.txt"
	[ ! -f "$dir/drgn-truth.txt" ] || cp "$dir/drgn-truth.txt" "$tmp/tables/drgn-truth.txt"
	"$PY" "$HERE/check-tables.py" --verify-only --sample "$tmp/tables"
	if [ -n "$traced" ]; then
		run_tce "$tmp/tables" "$tmp/sample-out"
		for r in $RUNS; do
			cmp -s "$tmp/full-out/$r.rc" "$tmp/sample-out/$r.rc" &&
				cmp -s "$tmp/full-out/$r.out" "$tmp/sample-out/$r.out" || {
				echo "mksample.sh: tce-inspect ${r%:*} --format ${r#*:} answers otherwise on the sample (exit $(cat "$tmp/sample-out/$r.rc"), on the full dump $(cat "$tmp/full-out/$r.rc")):" >&2
				diff "$tmp/full-out/$r.out" "$tmp/sample-out/$r.out" | head -20 >&2
				exit 1
			}
		done
		echo "mksample.sh: tce-inspect tables, entries and check (text and JSON, no debug file) answer the same on the full dump and on the sample"
		"$PY" "$HERE/check-tables.py" --sample --no-debug-files --require-answers "$tmp/tables" "$TCE"
	fi
	mmu=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["guest"]["mmu"].lower())' "$dir/meta.json")
	debug=${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/debug/trees/$("$PY" "$HERE/vmcoreinfo.py" -k OSRELEASE "$full" | cut -d' ' -f2)
	"$PY" "$HERE/tables-oracle.py" --mmu "$mmu" --debug-dir "$debug/usr/lib/debug" \
		-o "$tmp/sample-drgn.txt" "$tmp/sample-$NAME.elf"
	ref="$dir/drgn-truth.txt"
	[ -f "$ref" ] || ref="$dir/truth.txt"
	diff <(grep -v '^# tables-oracle.py' "$ref") <(grep -v '^# tables-oracle.py' "$tmp/sample-drgn.txt") ||
		{ echo "mksample.sh: drgn reads other tables from the sample than from the full dump" >&2; exit 1; }
	xz -9 -T1 -c "$dir/truth.txt" >"$tmp/sample-$NAME.truth.txt.xz"
	tables=("$tmp/sample-$NAME.truth.txt.xz")
	if [ -f "$dir/drgn-truth.txt" ]; then
		xz -9 -T1 -c "$dir/drgn-truth.txt" >"$tmp/sample-$NAME.drgn-truth.txt.xz"
		tables+=("$tmp/sample-$NAME.drgn-truth.txt.xz")
	fi
fi

"$PY" "$HERE/oracle.py" -o "$tmp/sample-$NAME.json" "$tmp/sample-$NAME.elf"
xz -9e -T1 -c "$tmp/sample-$NAME.elf" >"$tmp/sample-$NAME.elf.xz"
size=$(stat -c %s "$tmp/sample-$NAME.elf.xz")
[ "$size" -lt $((3 << 20)) ] || { echo "mksample.sh: sample is $size bytes, over 3 MB" >&2; exit 1; }
[ -x "$KDUMPCHECK" ] || make -C "$TOP" tests/e2e/kdumpcheck
srcdir=$TOP KDUMPCHECK=$KDUMPCHECK "$HERE/check-sample.sh" "$tmp/sample-$NAME.elf.xz" "$tmp/sample-$NAME.json"
mkdir -p "$FIX"
cp "$tmp/sample-$NAME.elf.xz" "$tmp/sample-$NAME.json" "$FIX/"
cp "$tmp/manifest.json" "$FIX/sample-$NAME.kept.json"
[ ${#tables[@]} -eq 0 ] || cp "${tables[@]}" "$FIX/"
echo "mksample.sh: wrote $FIX/sample-$NAME.elf.xz ($size bytes), sample-$NAME.json, sample-$NAME.kept.json"
