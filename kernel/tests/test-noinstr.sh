#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/tests/test-noinstr.sh: the code that runs with the MMU off carries
# no tracing hook.  Compiles kernel/src's realmode_page.c and
# book3s_64_vio_hv.c against the shim with -pg (every function that is not
# notrace/noinstr then calls mcount, as -pg -mprofile-kernel makes ppc64
# call _mcount) and reads the objects back with objdump:
# - every function of book3s_64_vio_hv.o is free of mcount calls (the whole
#   file is real mode) and in .noinstr.text, which kprobes refuses;
# - in realmode_page.o, only the virtual-mode writers (index maintenance,
#   the KUnit walk) may call mcount; realmode_pfn_to_page(),
#   realmode_get_page() and realmode_put_page() are in .noinstr.text.
# Drop `noinstr' from any real-mode function and this fails.  The kernel
# side (the Makefile's CFLAGS_REMOVE, KCSAN/UBSAN/KCOV off) is checked on
# the cross-built objects by `make -C kernel objcheck' (scripts/objcheck.sh).
# Prints TAP.
set -eu
d=${KERNEL_SRCDIR:-$(dirname "$0")/..}
d=$(cd "$d" && pwd)
: "${CC:=cc}"
: "${OBJDUMP:=objdump}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

if ! command -v "$OBJDUMP" >/dev/null 2>&1; then
	echo "1..0 # SKIP no objdump"
	exit 77
fi

# func section calls-mcount, one line per function of $1.
functions() {
	"$OBJDUMP" -dr --no-show-raw-insn "$1" | awk '
		/^Disassembly of section / { sec = $4; sub(/:$/, "", sec); next }
		/^[0-9a-f]+ <[^>]+>:$/ {
			if (fn != "") print fn, fsec, calls
			fn = $2; gsub(/[<>:]/, "", fn); fsec = sec; calls = 0; next
		}
		/mcount|__fentry__/ { calls = 1 }
		END { if (fn != "") print fn, fsec, calls }
	'
}

for f in arch/powerpc/mm/realmode_page.c arch/powerpc/kvm/book3s_64_vio_hv.c; do
	o="$tmp/$(basename "$f" .c).o"
	if ! "$CC" -std=gnu11 -O2 -pg -c -I"$d/shim/include" \
		-I"$d/src/arch/powerpc/include" -o "$o" "$d/src/$f" 2>"$tmp/err"; then
		not_ok "$f compiles with -pg"
		sed 's/^/# /' "$tmp/err"
		continue
	fi
	functions "$o" > "$tmp/$(basename "$f" .c).fn"
	if ! grep -q ' 1$' "$tmp/$(basename "$f" .c).fn"; then
		# -pg must instrument something, or this test proves nothing.
		case $f in
		*realmode_page.c) not_ok "$f: -pg left no mcount call at all" ;;
		esac
	fi
done

# Functions allowed to be traced: they run in virtual mode only.
virtual="vmemmap_rm_block_shift vmemmap_rm_alloc_node vmemmap_rm_index_init
vmemmap_rm_index_add vmemmap_rm_index_del vmemmap_rm_index_complete
vmemmap_rm_walk"

fn="$tmp/realmode_page.fn"
if [ -s "$fn" ]; then
	while read -r name sec calls; do
		base=${name%%.*}
		allowed=no
		for v in $virtual; do
			[ "$v" = "$base" ] && allowed=yes
		done
		if [ "$calls" = 1 ] && [ "$allowed" = no ]; then
			not_ok "realmode_page.o: $name (real mode) calls mcount"
		elif [ "$allowed" = no ]; then
			ok "realmode_page.o: $name has no mcount call ($sec)"
		fi
	done < "$fn"
	for need in realmode_pfn_to_page realmode_get_page realmode_put_page \
		    vmemmap_rm_index_find; do
		if grep -q "^$need \.noinstr\.text 0$" "$fn"; then
			ok "realmode_page.o: $need is noinstr, untraced"
		else
			not_ok "realmode_page.o: $need is noinstr, untraced ($(grep "^$need " "$fn" || echo absent))"
		fi
	done
fi

fn="$tmp/book3s_64_vio_hv.fn"
if [ -s "$fn" ]; then
	while read -r name sec calls; do
		if [ "$calls" = 0 ] && [ "$sec" = .noinstr.text ]; then
			ok "book3s_64_vio_hv.o: $name is noinstr, untraced"
		else
			not_ok "book3s_64_vio_hv.o: $name is noinstr, untraced (section $sec, mcount $calls)"
		fi
	done < "$fn"
	for need in kvmppc_rm_h_put_tce kvmppc_rm_h_put_tce_indirect \
		    kvmppc_rm_h_stuff_tce; do
		if grep -q "^$need " "$fn"; then
			ok "book3s_64_vio_hv.o: $need is there"
		else
			not_ok "book3s_64_vio_hv.o: $need is there"
		fi
	done
fi

echo "1..$n"
exit $fail
