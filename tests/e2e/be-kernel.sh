#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/be-kernel.sh: builds (once) a big-endian ppc64 Linux 6.1 vmlinux from Debian's
# linux-source-6.1 with pseries_defconfig (BE, 64K pages, SPARSEMEM_VMEMMAP, memory
# hotplug) and prints its path.  Debian ships no BE ppc64 kernel.  The build lives in
# ${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/e2e/be-kernel/KEY/, KEY being a hash of
# this script (the config recipe) and the linux-source-6.1 package version; a second run
# with the same key just prints the path.  Needs gcc-powerpc64-linux-gnu, flex, bison, bc,
# libssl-dev, libelf-dev.  pseries_defconfig builds in 7-10 min on 2 idle cores; the
# drivers, file systems and network stack a dump guest never uses are turned off (TRIM)
# to make that shorter on a busy machine.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
TARBALL=/usr/src/linux-source-6.1.tar.xz
log() { printf 'be-kernel.sh: %s\n' "$*" >&2; }
die() { printf 'be-kernel.sh: error: %s\n' "$*" >&2; exit 1; }
[ -f "$TARBALL" ] || die "no $TARBALL (apt-get install linux-source-6.1)"
command -v powerpc64-linux-gnu-gcc >/dev/null || die "no powerpc64-linux-gnu-gcc (apt-get install gcc-powerpc64-linux-gnu)"
SRCVER=$(dpkg-query -W -f '${Version}' linux-source-6.1)
KEY=$( { cat "$HERE/be-kernel.sh"; echo "$SRCVER"; } | sha256sum | cut -c1-16)
DIR="$CACHE/e2e/be-kernel/$KEY"
if [ -f "$DIR/done" ] && [ -f "$DIR/build/vmlinux" ]; then
	echo "$DIR/build/vmlinux"
	exit 0
fi
rm -rf "$DIR"
mkdir -p "$DIR/src" "$DIR/build"
t0=$(date +%s)
log "unpacking linux-source-6.1 $SRCVER into $DIR/src"
tar -xf "$TARBALL" -C "$DIR/src" --strip-components=1
M=(make -C "$DIR/src" O="$DIR/build" ARCH=powerpc CROSS_COMPILE=powerpc64-linux-gnu-)
"${M[@]}" pseries_defconfig >"$DIR/build.log" 2>&1
TRIM=(NETDEVICES INET NETFILTER WIRELESS WLAN BT SCSI ATA MD BLK_DEV_NVME USB_SUPPORT FB DRM
	SOUND INFINIBAND HID INPUT_KEYBOARD INPUT_MOUSE EXT4_FS EXT2_FS XFS_FS BTRFS_FS NFS_FS
	NFSD ISO9660_FS SQUASHFS CIFS KVM VIRTUALIZATION HOTPLUG_PCI FUSE_FS BLK_DEV_LOOP
	BLK_DEV_RAM CDROM)
args=()
for o in "${TRIM[@]}"; do args+=(-d "$o"); done
"$DIR/src/scripts/config" --file "$DIR/build/.config" "${args[@]}"
"${M[@]}" olddefconfig >>"$DIR/build.log" 2>&1
cfg() { grep -q "^$1=y" "$DIR/build/.config" || die "pseries_defconfig lacks $1"; }
cfg CONFIG_CPU_BIG_ENDIAN; cfg CONFIG_PPC_64K_PAGES; cfg CONFIG_SPARSEMEM_VMEMMAP
cfg CONFIG_MEMORY_HOTPLUG; cfg CONFIG_MEMORY_HOTREMOVE; cfg CONFIG_PPC_PSERIES
cfg CONFIG_DEVTMPFS; cfg CONFIG_HVC_CONSOLE; cfg CONFIG_BLK_DEV_INITRD; cfg CONFIG_RD_GZIP
log "building vmlinux (log: $DIR/build.log)"
timeout 3600 "${M[@]}" -j"$(nproc)" vmlinux >>"$DIR/build.log" 2>&1 || die "build failed: $(tail -n5 "$DIR/build.log")"
touch "$DIR/done"
log "built in $(($(date +%s) - t0))s"
echo "$DIR/build/vmlinux"
