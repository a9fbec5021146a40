#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/live-kcore.sh [--fetch] [--keep]: tce-inspect's live mode tested for real.  It
# cross-builds tce-inspect for ppc64el from this tree (cross-build.sh), boots Debian's 6.1
# powernv kernel under QEMU (TCG) from an initramfs that carries the binary, its ppc64el
# libraries, Debian's debug files of that kernel (linux-image-REL-dbg's vmlinux, kvm.ko and
# kvm-hv.ko, in /usr/lib/debug as on a host with the package installed, less the sections
# tce-inspect never reads: QEMU's powernv takes 128 MiB of initrd), busybox, init.sh,
# kvm.ko, kvm-hv.ko, e1000e.ko, kvm-tables and runas (runas.c); live.py then brings up the NIC's hardware TCE
# table and KVM guest-view tables and runs `tce-inspect info|vmemmap|tables|entries|check
# --samples 2 /proc/kcore` in the guest with all of it live (and info as an unprivileged
# user), dumps the guest right after, repairs the dump (tce-inspect repair, qemu-repair.sh: QEMU writes no VMCOREINFO; TCE_INSPECT names a host build),
# lets drgn read the hardware side from it (tables-oracle.py) and compares tce-inspect's live
# answers with the guest's own truth (live.py compare), and vmemmap and info with
# oracle.py's reading of that dump (compare.py).  Exit 0 when they agree, 1 when
# not, 77 (skipped) without QEMU, the cross compiler, or what it needs in the cache:
# fetch.sh's debs and fetch-debug.sh's debug tree of the kernel's release (0.7 GB
# download; --fetch fetches both).
# Everything is cached in ${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect: cross/ (cross-build.sh),
# live/initrd-KEY.zst (KEY: the binary, its libraries, the debug files, the modules, the
# scripts), live/last/ (the last run: console log, outputs, truth files; the 2 GiB dump is
# deleted unless --keep).  One run takes about 10 minutes on 2 cores (most of it TCG).
set -euo pipefail

FETCH=0
KEEP=0
for a in "$@"; do
	case "$a" in
	--fetch) FETCH=1 ;;
	--keep) KEEP=1 ;;
	*) echo "usage: $0 [--fetch] [--keep]" >&2; exit 2 ;;
	esac
done
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
PY=/usr/bin/python3	# Debian's: python3-drgn lives there
LIVE="$CACHE/live"
log() { printf 'live-kcore.sh: %s\n' "$*" >&2; }
die() { printf 'live-kcore.sh: error: %s\n' "$*" >&2; exit 1; }
skip() { printf 'live-kcore.sh: SKIP: %s\n' "$*"; exit 77; }
sha() { sha256sum | cut -c1-16; }
T_START=$(date +%s)

command -v qemu-system-ppc64 >/dev/null || skip "no qemu-system-ppc64 (apt-get install qemu-system-ppc)"
command -v powerpc64le-linux-gnu-gcc >/dev/null || skip "no powerpc64le-linux-gnu-gcc"
"$PY" -c 'import drgn' 2>/dev/null || skip "no python3-drgn (tables-oracle.py reads the hardware truth with it)"
if [ ! -f "$CACHE/debs/manifest" ]; then
	[ $FETCH = 1 ] || skip "no $CACHE/debs/manifest (tests/e2e/fetch.sh d12, or --fetch)"
	"$HERE/fetch.sh" d12
fi
# shellcheck source=/dev/null
. "$CACHE/debs/manifest"
[ -f "$KERNEL_DEB" ] && [ -f "$BUSYBOX_DEB" ] || {
	[ $FETCH = 1 ] || skip "the debs of $CACHE/debs/manifest are gone (tests/e2e/fetch.sh d12, or --fetch)"
	"$HERE/fetch.sh" d12
	# shellcheck source=/dev/null
	. "$CACHE/debs/manifest"
}

# ---- the kernel and the modules, from the deb (as mkdump.sh unpacks them)
KDIR="$LIVE/kernel/${KERNEL_PKG}_$KERNEL_PKG_VERSION"
MODULES="arch/powerpc/kvm/kvm.ko arch/powerpc/kvm/kvm-hv.ko drivers/net/ethernet/intel/e1000e/e1000e.ko"
if [ ! -f "$KDIR/done" ]; then
	log "unpacking the kernel and $MODULES from $KERNEL_PKG"
	rm -rf "$KDIR"
	mkdir -p "$KDIR"
	all=$(timeout 300 dpkg-deb --fsys-tarfile "$KERNEL_DEB" | tar -t)
	mapfile -t members < <(grep -E '^\./boot/vmlinux-' <<<"$all")
	for m in $MODULES; do
		members+=("$(grep -m1 -E "^\./(usr/)?lib/modules/[^/]+/kernel/$m\$" <<<"$all")") ||
			die "$KERNEL_DEB has no $m"
	done
	timeout 300 dpkg-deb --fsys-tarfile "$KERNEL_DEB" | tar -x -C "$KDIR" "${members[@]}"
	touch "$KDIR/done"
fi
VMLINUX=$(ls "$KDIR"/boot/vmlinux-* | head -n1)
KREL=${VMLINUX##*/vmlinux-}

# ---- Debian's debug files of that release (fetch-debug.sh's tree)
DBG="$CACHE/debug/trees/$KREL/usr/lib/debug"
if [ ! -f "$DBG/boot/vmlinux-$KREL" ]; then
	[ $FETCH = 1 ] || skip "no debug tree for $KREL (tests/e2e/fetch-debug.sh $KREL: 0.7 GB, or --fetch)"
	timeout 3600 "$HERE/fetch-debug.sh" "$KREL" >/dev/null || die "fetch-debug.sh $KREL failed"
fi
for m in kvm.ko kvm-hv.ko; do
	[ -f "$DBG/lib/modules/$KREL/kernel/arch/powerpc/kvm/$m" ] || die "the debug tree lacks $m"
done

# ---- tce-inspect for ppc64el, kvm-tables and runas (static); a host tce-inspect repairs the dump
STAGE=$("$HERE/cross-build.sh") || die "cross-build.sh failed"
mkdir -p "$CACHE/e2e/bin" "$LIVE"
KT="$CACHE/e2e/bin/kvm-tables-$(cat "$HERE/kvm-tables.c" "$HERE/kvm-truth.h" "$HERE/../../kernel/qemu/kvm-guest.h" | sha)"
if [ ! -x "$KT" ]; then
	powerpc64le-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -I "$HERE/../../kernel/qemu" \
		-o "$KT.tmp" "$HERE/kvm-tables.c" || die "cannot build kvm-tables.c"
	mv "$KT.tmp" "$KT"
fi
RUNAS="$CACHE/e2e/bin/runas-$(sha <"$HERE/runas.c")"
if [ ! -x "$RUNAS" ]; then
	powerpc64le-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$RUNAS.tmp" "$HERE/runas.c" ||
		die "cannot build runas.c"
	mv "$RUNAS.tmp" "$RUNAS"
fi
export TCE_INSPECT=${TCE_INSPECT:-$(command -v tce-inspect || true)}
[ -n "$TCE_INSPECT" ] && [ -x "$TCE_INSPECT" ] ||
	die "no host tce-inspect to repair QEMU's dump with: build it and set TCE_INSPECT"

# ---- the initramfs
key=$( (cat "$HERE/init.sh" "$BUSYBOX_DEB" "$KT" "$RUNAS" "$STAGE/done"; echo "$STAGE $KREL $KERNEL_PKG_VERSION";
	cat "$HERE/live-kcore.sh") | sha)
INITRD="$LIVE/initrd-$key.zst"
if [ ! -f "$INITRD" ]; then
	log "making the initramfs (the debug vmlinux is $(du -h "$DBG/boot/vmlinux-$KREL" | cut -f1))"
	rm -f "$LIVE"/initrd-*
	root=$(mktemp -d)
	mkdir -p "$root/bin" "$root/lib/modules" "$root/lib/powerpc64le-linux-gnu" "$root/lib64" \
		"$root/usr/local/bin" "$root/usr/lib/debug/boot" \
		"$root/usr/lib/debug/lib/modules/$KREL/kernel/arch/powerpc/kvm"
	dpkg-deb --fsys-tarfile "$BUSYBOX_DEB" | tar -x -C "$root" ./bin/busybox
	install -m 755 "$HERE/init.sh" "$root/init"
	install -m 755 "$KT" "$root/bin/kvm-tables"
	install -m 755 "$RUNAS" "$root/bin/runas"
	find "$KDIR" -name '*.ko' -exec cp {} "$root/lib/modules/" \;
	install -m 755 "$STAGE/bin/tce-inspect" "$root/usr/local/bin/tce-inspect"
	cp -a "$STAGE"/lib/*.so* "$root/lib/powerpc64le-linux-gnu/"
	mv "$root/lib/powerpc64le-linux-gnu/ld64.so.2" "$root/lib64/ld64.so.2"
	# QEMU's powernv loads at most 128 MiB of initrd: the debug vmlinux without what
	# tce-inspect never reads (line tables, location and range lists, CFI, aranges; its
	# DWARF reader walks .debug_info and .symtab only), 257 MB -> 171 MB, same build id
	powerpc64le-linux-gnu-objcopy --remove-section=.debug_line --remove-section=.debug_line_str \
		--remove-section=.debug_loclists --remove-section=.debug_rnglists \
		--remove-section=.debug_frame --remove-section=.debug_aranges \
		"$DBG/boot/vmlinux-$KREL" "$root/usr/lib/debug/boot/vmlinux-$KREL" ||
		die "cannot copy the debug vmlinux"
	cp "$DBG/lib/modules/$KREL/kernel/arch/powerpc/kvm/"kvm*.ko \
		"$root/usr/lib/debug/lib/modules/$KREL/kernel/arch/powerpc/kvm/"
	chmod 755 "$root"	# mktemp's 0700 would keep runas' user out of /
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | zstd -q -T2 -10) >"$INITRD.tmp"
	rm -rf "$root"
	mv "$INITRD.tmp" "$INITRD"
fi
size=$(stat -c %s "$INITRD")
# QEMU 7.2's powernv loads at most 128 MiB of initrd (INITRD_MAX_SIZE)
[ "$size" -lt $((128 << 20)) ] || die "the initramfs is $size bytes: QEMU's powernv takes 128 MiB at most"
log "initramfs: $INITRD ($((size >> 20)) MiB)"

# ---- the run
OUT="$LIVE/last"
rm -rf "$OUT"
mkdir -p "$OUT/work"
t0=$(date +%s)
timeout --kill-after=30 3600 "$PY" "$HERE/live.py" run --kernel "$VMLINUX" --initrd "$INITRD" \
	--workdir "$OUT/work" --out "$OUT" || die "the guest run failed (console: $OUT/work/console.log)"
log "guest run: $(($(date +%s) - t0)) s"
read -r addr vsize < <("$PY" -c 'import json,sys; m=json.load(open(sys.argv[1]))["guest"]; print("%x %x" % (m["vmcoreinfo_addr"], m["vmcoreinfo_size"]))' "$OUT/live-meta.json")
"$HERE/qemu-repair.sh" "$OUT/vmcore.raw" "$OUT/vmcore.elf" "$addr" || die "tce-inspect repair failed"
t0=$(date +%s)
timeout 1800 "$PY" "$HERE/tables-oracle.py" --debug-dir "$DBG" --mmu radix \
	-o "$OUT/drgn-truth.txt" "$OUT/vmcore.elf" >&2 || die "tables-oracle.py failed on the dump"
log "tables-oracle.py: $(($(date +%s) - t0)) s"
# the vmemmap (no hotplug: vmemmap_list stays as it was) and info against oracle.py's
# reading of the same dump, as run-real.sh compares them on dumps
rc=0
timeout 1800 "$PY" "$HERE/oracle.py" --mmu radix -o "$OUT/oracle.json" "$OUT/vmcore.elf" >&2 ||
	die "oracle.py failed on the dump"
for what in vmemmap info; do
	if "$PY" "$HERE/compare.py" "$OUT/oracle.json" "$OUT/live-$what.out"; then
		log "$what on /proc/kcore agrees with oracle.py on the dump taken after it"
	else
		echo "FAIL: $what on /proc/kcore: not as oracle.py reads the dump"
		rc=1
	fi
done
[ $KEEP = 1 ] || rm -f "$OUT/vmcore.elf"
"$PY" "$HERE/live.py" compare "$OUT" || rc=1
log "done in $(($(date +%s) - T_START)) s (outputs in $OUT)"
exit $rc
