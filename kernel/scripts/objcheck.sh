#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/scripts/objcheck.sh: the real-mode objects of the series, as the
# cross compiler builds them in the patched tree (W=1, ftrace and kprobes
# on), carry no instrumentation:
# - no _mcount call site (-pg -mprofile-kernel puts one in every traced
#   function; CFLAGS_REMOVE and noinstr must leave none),
# - no KASAN/KCSAN/UBSAN/KCOV hook,
# - every function of book3s_64_vio_hv.o, and realmode_pfn_to_page(),
#   realmode_get_page() and realmode_put_page(), in .noinstr.text (which
#   kprobes refuses),
# and they build without W=1 warnings.  Only `make prepare' and the objects
# are built (minutes, not a kernel), in $TCE_KCACHE/build/objcheck, niced.
#
# usage: objcheck.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

tree="$TCE_KCACHE/dev"
out="$TCE_KCACHE/build/objcheck"
[ -e "$tree/.git" ] || die "no build tree: run tree.sh (make -C kernel tree)"
kmake() {
	$KNICE make -C "$tree" O="$out" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" "$@"
}
cfgkey=$(cat "$here/../qemu/kunit.config" "$here/objcheck.config" | sha256sum)
mkdir -p "$out"
if [ "$(cat "$out/.tce-cfgkey" 2>/dev/null)" != "$cfgkey" ]; then
	kmake -s ppc64le_guest_defconfig
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"$here/../qemu/kunit.config" "$here/objcheck.config" >/dev/null
	kmake -s olddefconfig
	echo "$cfgkey" > "$out/.tce-cfgkey"
fi
for sym in CONFIG_FUNCTION_TRACER CONFIG_KPROBES CONFIG_PPC_REALMODE_PAGE \
	   CONFIG_KVM_BOOK3S_HV_RM_TCE; do
	grep -qx "$sym=y" "$out/.config" || die "$sym did not stick"
done
note "objcheck: prepare in $out ($KJOBS jobs, niced)"
kmake -s -j"$KJOBS" prepare > "$out/prepare.log" 2>&1 ||
	{ tail "$out/prepare.log"; die "prepare failed"; }

objs="arch/powerpc/mm/realmode_page.o arch/powerpc/kvm/book3s_64_vio_hv.o"
: > "$out/objcheck.log"
for o in $objs; do
	rm -f "$out/$o"
	kmake W=1 "$o" >> "$out/objcheck.log" 2>&1 ||
		{ tail "$out/objcheck.log"; die "W=1 build of $o failed"; }
done
if grep -nE '\.[chS]:[0-9]+(:[0-9]+)?: warning:' "$out/objcheck.log"; then
	die "W=1 warnings in the real-mode objects"
fi

bad=0
for o in $objs; do
	f="$out/$o"
	n=$("${CROSS_COMPILE}objdump" -dr "$f" | grep -c '_mcount' || true)
	if [ "$n" != 0 ]; then
		echo "$o: $n _mcount call sites:"
		"${CROSS_COMPILE}objdump" -dr "$f" | grep -B20 '_mcount' | grep '>:$' | sort -u
		bad=1
	else
		note "$o: no _mcount call site"
	fi
	hooks=$("${CROSS_COMPILE}nm" -u "$f" |
		grep -E '__(asan|kasan|tsan|kcsan|ubsan|sanitizer_cov)' || true)
	if [ -n "$hooks" ]; then
		echo "$o: instrumentation hooks: $hooks"
		bad=1
	fi
	# Function symbols and their sections.
	"${CROSS_COMPILE}objdump" -t "$f" | awk '$3 == "F" || $2 == "F" {
		for (i = 1; i <= NF; i++) if ($i ~ /^\./) sec = $i
		print $NF, sec }' > "$out/$(basename "$o").syms"
done
while read -r fn sec; do
	if [ "$sec" != .noinstr.text ]; then
		echo "book3s_64_vio_hv.o: $fn is in $sec, not .noinstr.text"
		bad=1
	fi
done < "$out/book3s_64_vio_hv.o.syms"
for fn in realmode_pfn_to_page realmode_get_page realmode_put_page; do
	grep -qx "$fn .noinstr.text" "$out/realmode_page.o.syms" || {
		echo "realmode_page.o: $fn is not in .noinstr.text"
		bad=1
	}
done
[ "$bad" = 0 ] || die "real-mode objects are instrumented"
note "objcheck: real-mode objects carry no _mcount call, hook or probe point"
