#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/btf-kernel.sh [--dump]: builds (once) a little-endian ppc64 Linux 6.1 vmlinux with
# CONFIG_DEBUG_INFO_BTF from Debian's linux-source-6.1 and prints its path.  Debian 12's
# own 6.1 ppc64el kernel has no BTF; this one keeps .BTF in memory between __start_BTF
# and __stop_BTF, with kallsyms of every symbol (CONFIG_KALLSYMS_ALL) to find them, for
# the BTF provider's real-dump test (libtce/types/btf.c; issue 14).
#
# The config: pseries_le_defconfig (LE, 64K pages, hash and radix, SPARSEMEM_VMEMMAP,
# memory hotplug, powernv and KVM as the Debian kernel has them built in or not), with
# the drivers and file systems a dump guest never uses turned off (TRIM, as
# be-kernel.sh), plus DWARF (the toolchain's default version), BTF and KALLSYMS_ALL.
# pahole (dwarves) encodes the BTF at link time, as Debian's own builds do on amd64.
#
# The build lives in ${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/e2e/btf-kernel/KEY/, KEY
# a hash of the recipe below, the linux-source-6.1 package version and pahole's version; a
# second run with the same key only prints the path.  It runs niced, with -j2 unless
# JOBS says otherwise (the machines this runs on are shared).  Needs
# gcc-powerpc64le-linux-gnu, flex, bison, bc, libssl-dev, libelf-dev and dwarves.
#
# --dump: then boots it with guest.py's powernv recipe (powernv9, 1 GiB, radix, no
# hotplug; busybox and init.sh as mkdump.sh's basic initramfs, Debian 12's busybox-static
# from the cache fetch.sh fills) and keeps the repaired dump as
# dumps/btf61-powernv/vmcore.elf in the cache (keyed by the kernel and the scripts),
# printing its path instead.  tests/unit/test-btf reads it when it is there.
set -euo pipefail
DUMP=
[ "${1:-}" = --dump ] && DUMP=1
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
TARBALL=/usr/src/linux-source-6.1.tar.xz
JOBS=${JOBS:-2}
log() { printf 'btf-kernel.sh: %s\n' "$*" >&2; }
die() { printf 'btf-kernel.sh: error: %s\n' "$*" >&2; exit 1; }
[ -f "$TARBALL" ] || die "no $TARBALL (apt-get install linux-source-6.1)"
for t in powerpc64le-linux-gnu-gcc flex bison bc pahole; do
	command -v "$t" >/dev/null || die "no $t (apt-get install gcc-powerpc64le-linux-gnu flex bison bc dwarves)"
done
SRCVER=$(dpkg-query -W -f '${Version}' linux-source-6.1)
PAHOLE=$(pahole --version)
# the key: what the build depends on (the recipe between the "-- recipe" marks)
KEY=$( { sed -n '/^# -- recipe$/,/^# -- end of recipe$/p' "$HERE/btf-kernel.sh"
	echo "$SRCVER $PAHOLE"; } | sha256sum | cut -c1-16)
DIR="$CACHE/e2e/btf-kernel/$KEY"

# make_dump VMLINUX: the powernv dump of it (see --dump)
make_dump() {
	local vml=$1 out="$CACHE/dumps/btf61-powernv" key bb root initrd addr size
	sha() { sha256sum | cut -c1-16; }
	bb=$(ls "$CACHE"/debs/busybox-static_*_ppc64el.deb 2>/dev/null | head -n1)
	[ -n "$bb" ] || die "no busybox-static ppc64el .deb in $CACHE/debs (tests/e2e/fetch.sh fetches it)"
	key=$( { echo "$KEY"; cat "$HERE/guest.py" "$HERE/init.sh" "$HERE/qemu-repair.sh" \
		"$HERE/../../libtce/dump/qemu.c"; basename "$bb"; } | sha)
	if [ -f "$out/key" ] && [ "$(cat "$out/key")" = "$key" ] && [ -f "$out/vmcore.elf" ]; then
		echo "$out/vmcore.elf"
		return 0
	fi
	rm -rf "$out"
	mkdir -p "$out/work" "$CACHE/e2e/initrd" "$CACHE/e2e/bin"
	initrd="$CACHE/e2e/initrd/basic-$(cat "$HERE/init.sh" "$bb" | sha).gz"
	if [ ! -f "$initrd" ]; then
		root=$(mktemp -d)
		mkdir -p "$root/bin" "$root/lib/modules" "$root/boot"
		dpkg-deb --fsys-tarfile "$bb" | tar -x -C "$root" ./bin/busybox
		install -m 755 "$HERE/init.sh" "$root/init"
		(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp"
		mv "$initrd.tmp" "$initrd"
		rm -rf "$root"
	fi
	# QEMU's powernv loads at most 128 MiB of kernel: boot a copy without the DWARF
	# (.BTF is allocated: strip keeps it, and the build id), keep the file for DWARF
	if [ ! -f "$vml.boot" ]; then
		powerpc64le-linux-gnu-objcopy --strip-debug "$vml" "$vml.boot.tmp"
		mv "$vml.boot.tmp" "$vml.boot"
	fi
	log "booting it (powernv9, 1 GiB; console: $out/work/console.log)"
	timeout --kill-after=30 1800 python3 "$HERE/guest.py" powernv --kernel "$vml.boot" \
		--initrd "$initrd" --workdir "$out/work" --meta "$out/work/guest.json" \
		--out "$out/vmcore.raw" >&2 || die "the guest run failed (console: $out/work/console.log)"
	read -r addr size < <(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["guest"]; print("%x %x" % (m["vmcoreinfo_addr"], m["vmcoreinfo_size"]))' "$out/work/guest.json")
	# tce-inspect repair (TCE_INSPECT): the note it finds must be the guest's
	"$HERE/qemu-repair.sh" "$out/vmcore.raw" "$out/vmcore.elf" "$addr" ||
		die "tce-inspect repair failed on $out/vmcore.raw"
	echo "$vml" >"$out/vmlinux"
	echo "$key" >"$out/key"
	echo "$out/vmcore.elf"
}

if [ -f "$DIR/done" ] && [ -f "$DIR/build/vmlinux" ]; then
	if [ -n "$DUMP" ]; then make_dump "$DIR/build/vmlinux"; else echo "$DIR/build/vmlinux"; fi
	exit 0
fi
rm -rf "$DIR"
mkdir -p "$DIR/src" "$DIR/build"
t0=$(date +%s)
log "unpacking linux-source-6.1 $SRCVER into $DIR/src"
tar -xf "$TARBALL" -C "$DIR/src" --strip-components=1
# -- recipe
M=(nice make -C "$DIR/src" O="$DIR/build" ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-)
"${M[@]}" pseries_le_defconfig >"$DIR/build.log" 2>&1
TRIM=(NETDEVICES INET NETFILTER WIRELESS WLAN BT SCSI ATA MD BLK_DEV_NVME USB_SUPPORT FB DRM
	SOUND INFINIBAND HID INPUT_KEYBOARD INPUT_MOUSE EXT4_FS EXT2_FS XFS_FS BTRFS_FS NFS_FS
	NFSD ISO9660_FS SQUASHFS CIFS HOTPLUG_PCI FUSE_FS BLK_DEV_LOOP BLK_DEV_RAM CDROM
	DEBUG_INFO_NONE DEBUG_INFO_REDUCED DEBUG_INFO_SPLIT DEBUG_INFO_COMPRESSED)
args=()
for o in "${TRIM[@]}"; do args+=(-d "$o"); done
args+=(-e DEBUG_KERNEL -e DEBUG_INFO -e DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -e DEBUG_INFO_BTF
	-e KALLSYMS -e KALLSYMS_ALL)
"$DIR/src/scripts/config" --file "$DIR/build/.config" "${args[@]}"
"${M[@]}" olddefconfig >>"$DIR/build.log" 2>&1
cfg() { grep -q "^$1=y" "$DIR/build/.config" || die "the config lacks $1 (see $DIR/build/.config)"; }
cfg CONFIG_CPU_LITTLE_ENDIAN; cfg CONFIG_PPC_64K_PAGES; cfg CONFIG_SPARSEMEM_VMEMMAP
cfg CONFIG_PPC_PSERIES; cfg CONFIG_PPC_RADIX_MMU; cfg CONFIG_DEBUG_INFO_BTF
cfg CONFIG_KALLSYMS_ALL; cfg CONFIG_DEVTMPFS; cfg CONFIG_BLK_DEV_INITRD
# -- end of recipe
log "building vmlinux with -j$JOBS (log: $DIR/build.log)"
timeout 7200 "${M[@]}" -j"$JOBS" vmlinux >>"$DIR/build.log" 2>&1 ||
	die "build failed: $(tail -n5 "$DIR/build.log")"
# the section the kernel keeps in memory, and the symbols that bound it (whole outputs
# to grep: grep -q closing a pipe early fails it under pipefail)
secs=$(powerpc64le-linux-gnu-readelf -S "$DIR/build/vmlinux")
grep -q ' \.BTF ' <<<"$secs" || die "$DIR/build/vmlinux has no .BTF section"
syms=$(powerpc64le-linux-gnu-nm "$DIR/build/vmlinux")
grep -q ' __start_BTF$' <<<"$syms" || die "no __start_BTF in $DIR/build/vmlinux"
touch "$DIR/done"
log "built in $(($(date +%s) - t0))s"
if [ -n "$DUMP" ]; then make_dump "$DIR/build/vmlinux"; else echo "$DIR/build/vmlinux"; fi
