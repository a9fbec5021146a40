#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/mkdump.sh NAME: makes one real ppc64le Linux vmcore of Debian's kernel (12's 6.1
# or 13's 6.12) and
# keeps it in ${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/dumps/NAME/.  It owns the whole
# path from the fetched debs (fetch.sh) to a dump libkdumpfile and drgn can read: the
# kernel and a busybox initramfs (init.sh), the guest run (guest.py: QEMU, QMP, hotplug,
# dump-guest-memory), QEMU's dump repaired by tce-inspect repair (qemu-repair.sh, which
# keeps the raw file's head for check-qemu-raw.sh), and for the kdump-compressed
# forms Debian's makedumpfile:ppc64el under qemu-ppc64le-static or inside the guest.
# A dump is keyed by a hash of these scripts, the recipe and the package versions: a
# second run with the same key just prints the path.  Every stage has a timeout.
#
# NAMEs: hash-hotplug, radix, powernv (QEMU ELF dumps, vmcore.elf), hash-hotplug.kdump
# (vmcore.kdump = -c -d 31 and vmcore-d1.kdump = -c -d 1 of hash-hotplug), and
# kdump-hash-hotplug (kdump inside the guest: vmcore.kdump saved by the capture kernel),
# and X.qemu-z for X in hash-hotplug, radix, fill-1g (a 1 GiB guest, 640 MiB of it random
# bytes), d13-radix, d13-64k-radix (X's guest run, its
# ELF dump repaired to vmcore.elf as X's, then the same stopped guest dumped again by
# dump-guest-memory in its kdump-compressed formats, kept as QEMU wrote them, flattened:
# vmcore-zlib.qemu-z (-z), vmcore-lzo.qemu-z, vmcore-snappy.qemu-z; for
# check-qemu-kdump.sh),
# and be-hash-hotplug (big-endian ppc64: the hash-hotplug recipe on a pseries_defconfig
# kernel built by be-kernel.sh, with be-init.c as /init; Debian has no BE kernel), and
# hash-vga (hash-hotplug plus QEMU's standard VGA, -device VGA,romfile=: the dump holds
# its 16 MiB of video RAM as a PT_LOAD the kernel does not manage).
# Debian 13's 6.12 (fetch.sh's apt-trixie manifests; the initramfs and ppc64el tools stay
# Debian 12's, the virtio_blk module comes from the 6.12 deb): d13-radix and d13-hash-hotplug
# (the default powerpc64le flavour, 4K pages; the radix and hash-hotplug recipes),
# d13-64k-radix and d13-64k-hash-hotplug (the -64k flavour), X.kdump for each of them
# (makedumpfile under qemu-user, as hash-hotplug.kdump), and kdump-d13-hash-hotplug and
# kdump-d13-64k-hash-hotplug (kdump inside the guest).
# TCE tables (Debian 12's 6.1, QEMU's powernv, hypervisor mode; each dir also holds
# truth.txt, the ground truth, never tce-inspect's): pnv-kvm (powernv9, radix; kvm.ko and
# kvm-hv.ko loaded, kvm-tables.c makes KVM guest-view tables and prints their truth: its
# header comment has the line format), pnv-kvm-16m (the same plus one table of 16M
# entries, every one written; 2 GiB), pnv-kvm-change (pnv-kvm's guest dumped twice:
# vmcore.elf and truth.txt before kvm-tables --change changes its tables, vmcore-after.elf
# and truth-after.txt after; for tce-inspect diff), pnv8-kvm (powernv8: POWER8, hash MMU) and pnv-nic
# (powernv9, iommu=nobypass, an e1000e on pcie.0 with its link up and a few pings: a real
# two-level hardware table; truth.txt is what tables-oracle.py, drgn with the -dbg vmlinux
# fetch-debug.sh lays out, reads from the dump: its header has the format).  For the KVM
# recipes tables-oracle.py's reading (the hardware side, and kvm.ko's vm_list through
# its own vmalloc translation: every VM's memslots and guest-view tables, a second,
# independent truth) goes to drgn-truth.txt; drgn-keep.json lists the physical pages that
# reading needed (for trimmed samples).  X.kdump of each (vmcore.kdump -c -d 31,
# vmcore-d1.kdump -c -d 1, the truth files copied).  -d 31 keeps every KVM table page
# (alloc_page()d kernel pages, though mapped into the VMM), the hardware levels and the
# DMA targets, and the VMM's page tables, but drops all the memslots' pages (anonymous user
# memory): a host pfn is still known, the page's contents are not in the dump.
# A real guest's hcalls: pnv8-hcall (powernv8 as pnv8-kvm; kvm-hcall.c runs a KVM-HV vcpu
# whose H_PUT_TCE, H_PUT_TCE_INDIRECT and H_STUFF_TCE write the guest-view tables, then
# prints their truth in kvm-tables.c's format, with how many hcalls the kernel handled in
# virtual mode) and pnv8-hcall-patched (the same on the project's patched 6.1, built by
# patched-kernel.sh: KVM-HV built in, the real-mode handlers of kernel/patches; drgn and
# tce-inspect read it with that vmlinux, meta.json's "vmlinux"), and X.kdump of each.
# The same on Debian 13's 6.12 (kvm.ko, kvm-hv.ko and e1000e.ko from the 6.12 deb, the debug
# tree of its release for tables-oracle.py): d13-pnv-kvm (powernv9, radix, 4K pages),
# d13-pnv-kvm-16m (the same plus pnv-kvm-16m's table of 16M entries), d13-64k-pnv-kvm (the
# -64k flavour), d13-pnv8-kvm (powernv8, hash, 4K pages) and d13-pnv-nic, and X.kdump of
# each (Debian 13's makedumpfile).
# VFIO-owned tables (Debian's 6.1 makes no VFIO group on powerpc): d13-pnv-vfio (powernv9,
# three e1000e on three PHBs bound to vfio-pci, vfio-tables.c makes SPAPR TCE v2 containers,
# preregistered regions and mappings and prints their truth: its header has the format)
# d13-64k-pnv-vfio (-64k) and d13-64k-pnv8-vfio (powernv8, hash, -64k: 16M THP and
# hugetlb pages, which QEMU's powernv9 does not give radix); drgn-truth.txt is
# tables-oracle.py's hardware side,
# vfio-truth.txt is vfio-oracle.py's reading of the regions, it_userspace and the pinned
# pages, checked against truth.txt (the dump is refused when they disagree).
# pnv-vfio-patched: the d13-pnv-vfio recipe on the project's patched 6.1 (patched-kernel.sh:
# all of kernel/patches, whose 0005-0007 make VFIO groups work on powerpc; VFIO, vfio-pci
# and e1000e built in), read with that vmlinux (meta.json's "vmlinux"), and its .kdump.
# pnv8-kvm-vfio-patched: KVM guest-view tables with VFIO groups attached, on the same
# patched 6.1 as a POWER8 powernv host (KVM-HV runs a vcpu there under TCG): three e1000e
# on three PHBs bound to vfio-pci, kvm-vfio.c puts each group in a SPAPR TCE v2 container
# (guest RAM preregistered, the default window, a 64K DDW in the first), attaches them to
# its VM's LIOBNs (KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE: one LIOBN with two hardware tables on
# its stt->iommu_tables, one of 64K pages over a window of 4K ones), and its vcpu's H_PUT_TCE, H_PUT_TCE_INDIRECT and H_STUFF_TCE
# write both the guest views and the hardware tables; truth.txt is kvm-hcall.c's format
# plus group, window, attach and hwentry lines (its header), drgn-truth.txt
# tables-oracle.py's reading of both sides; and its .kdump.
set -euo pipefail

usage() {
	echo "usage: $0 hash-hotplug|hash-vga|radix|powernv|hash-hotplug.kdump|kdump-hash-hotplug|be-hash-hotplug" >&2
	echo "       $0 d13-radix|d13-hash-hotplug|d13-64k-radix|d13-64k-hash-hotplug|d13-*.kdump|kdump-d13-hash-hotplug|kdump-d13-64k-hash-hotplug" >&2
	echo "       $0 hash-hotplug.qemu-z|radix.qemu-z|fill-1g.qemu-z|d13-radix.qemu-z|d13-64k-radix.qemu-z" >&2
	echo "       $0 pnv-kvm|pnv-kvm-16m|pnv8-kvm|pnv-nic|pnv*.kdump" >&2
	echo "       $0 pnv8-hcall|pnv8-hcall-patched|pnv8-hcall*.kdump" >&2
	echo "       $0 d13-pnv-kvm|d13-pnv-kvm-16m|d13-64k-pnv-kvm|d13-pnv8-kvm|d13-pnv-nic|d13-*pnv*.kdump" >&2
	echo "       $0 d13-pnv-vfio|d13-64k-pnv-vfio|d13-64k-pnv8-vfio|d13-*-vfio.kdump" >&2
	echo "       $0 pnv-vfio-patched|pnv-vfio-patched.kdump" >&2
	echo "       $0 pnv8-kvm-vfio-patched|pnv8-kvm-vfio-patched.kdump" >&2
	exit 2
}
[ $# -eq 1 ] || usage
NAME=$1
case "$NAME" in
hash-hotplug|hash-vga|radix|powernv|hash-hotplug.kdump|kdump-hash-hotplug|be-hash-hotplug) ;;
d13-radix|d13-hash-hotplug|d13-64k-radix|d13-64k-hash-hotplug) ;;
hash-hotplug.qemu-z|radix.qemu-z|fill-1g.qemu-z|d13-radix.qemu-z|d13-64k-radix.qemu-z) ;;
d13-radix.kdump|d13-hash-hotplug.kdump|d13-64k-radix.kdump|d13-64k-hash-hotplug.kdump) ;;
kdump-d13-hash-hotplug|kdump-d13-64k-hash-hotplug) ;;
pnv-kvm|pnv-kvm-16m|pnv8-kvm|pnv-nic|pnv-kvm-change) ;;
pnv-kvm.kdump|pnv-kvm-16m.kdump|pnv8-kvm.kdump|pnv-nic.kdump) ;;
pnv8-hcall|pnv8-hcall-patched|pnv8-hcall.kdump|pnv8-hcall-patched.kdump) ;;
d13-pnv-kvm|d13-pnv-kvm-16m|d13-64k-pnv-kvm|d13-pnv8-kvm|d13-pnv-nic) ;;
d13-pnv-kvm.kdump|d13-pnv-kvm-16m.kdump|d13-64k-pnv-kvm.kdump|d13-pnv8-kvm.kdump|d13-pnv-nic.kdump) ;;
d13-pnv-vfio|d13-64k-pnv-vfio|d13-64k-pnv8-vfio) ;;
d13-pnv-vfio.kdump|d13-64k-pnv-vfio.kdump|d13-64k-pnv8-vfio.kdump) ;;
pnv-vfio-patched|pnv-vfio-patched.kdump) ;;
pnv8-kvm-vfio-patched|pnv8-kvm-vfio-patched.kdump) ;;
*) usage ;;
esac
# Which kernel: Debian 13's flavour for d13 names, Debian 12's 6.1 for the rest.
case "$NAME" in
*d13-64k-*) FLAVOUR=powerpc64le-64k ;;
*d13-*) FLAVOUR=powerpc64le ;;
*) FLAVOUR= ;;
esac

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
PY=/usr/bin/python3	# Debian's: python3-drgn lives there, whatever python3 is first in PATH
T_START=$(date +%s)

log() { printf 'mkdump.sh[%s]: %s\n' "$NAME" "$*" >&2; }
die() { printf 'mkdump.sh[%s]: error: %s\n' "$NAME" "$*" >&2; exit 1; }
elapsed() { echo $(($(date +%s) - $1)); }

FETCH_WHAT=d12
[ -z "$FLAVOUR" ] || FETCH_WHAT=d13
D13_MANIFEST="$CACHE/apt-trixie/manifest-$FLAVOUR"
D13_TOOLS="$CACHE/apt-trixie/manifest-tools"
D13_MAKEDUMPFILE_DEB=
load_manifests() {
	# shellcheck source=/dev/null
	. "$CACHE/debs/manifest"
	if [ -n "$FLAVOUR" ]; then
		# shellcheck source=/dev/null
		. "$D13_MANIFEST"
		# shellcheck source=/dev/null
		. "$D13_TOOLS"
	fi
}
have_manifests() {
	[ -f "$CACHE/debs/manifest" ] || return 1
	[ -z "$FLAVOUR" ] || { [ -f "$D13_MANIFEST" ] && [ -f "$D13_TOOLS" ]; }
}
have_manifests || "$HERE/fetch.sh" "$FETCH_WHAT"
load_manifests
for f in "$KERNEL_DEB" "${PPC_DEBS[@]}" ${D13_MAKEDUMPFILE_DEB:+"$D13_MAKEDUMPFILE_DEB"}; do
	[ -f "$f" ] || { "$HERE/fetch.sh" "$FETCH_WHAT"; load_manifests; break; }
done

sha() { sha256sum | cut -c1-16; }
# The ppc64el userland: Debian 12's, plus for 6.12 Debian 13's makedumpfile binary (Debian
# 12's cannot read 6.12 dumps; fetch.sh checked that 13's runs on 12's libraries).
ppc_versions=$(for f in "${PPC_DEBS[@]}" ${D13_MAKEDUMPFILE_DEB:+"$D13_MAKEDUMPFILE_DEB"}; do basename "$f"; done)
deb_versions=$(basename "$KERNEL_DEB"; echo "$ppc_versions")
# The key of a QEMU dump: the scripts that make it, the kernel and busybox.
key_of() {
	{
		echo "$1"
		cat "$HERE/mkdump.sh" "$HERE/guest.py" "$HERE/init.sh" "$HERE/qemu-repair.sh" \
			"$HERE/../../libtce/dump/qemu.c"
		echo "$deb_versions"
	} | sha
}

# ---- the kernel, unpacked once per package and version: /boot and the virtio modules
# (6.1: ./lib/modules, plain .ko; 6.12: ./usr/lib/modules, .ko.xz, virtio and virtio_pci
# built in).  Modules are stored uncompressed: busybox's insmod loads plain .ko files.
KDIR="$CACHE/e2e/debian-kernel/${KERNEL_PKG}_$KERNEL_PKG_VERSION"
if [ ! -f "$KDIR/done" ]; then
	log "unpacking $KERNEL_PKG $KERNEL_PKG_VERSION"
	rm -rf "$KDIR"
	mkdir -p "$KDIR"
	mapfile -t members < <(dpkg-deb --fsys-tarfile "$KERNEL_DEB" | tar -t |
		grep -E '^\./boot/.|^\./(usr/)?lib/modules/[^/]+/kernel/drivers/(virtio/[^/]+|block/virtio_blk)\.ko(\.xz|\.zst)?$')
	dpkg-deb --fsys-tarfile "$KERNEL_DEB" | tar -x -C "$KDIR" "${members[@]}"
	find "$KDIR" -name '*.ko.xz' -exec xz -d {} +
	find "$KDIR" -name '*.ko.zst' -exec zstd -q -d --rm {} +
	touch "$KDIR/done"
fi
VMLINUX=$(ls "$KDIR"/boot/vmlinux-* | head -n1)
KREL=${VMLINUX##*/vmlinux-}
# The project's patched 6.1 instead (patched-kernel.sh): booted without its DWARF, read
# with it (PATCHED_VMLINUX); its build key joins the dump's.
PATCHED_VMLINUX=
case "$NAME" in
pnv8-hcall-patched*|pnv-vfio-patched*|pnv8-kvm-vfio-patched*)
	PATCHED_VMLINUX=$("$HERE/patched-kernel.sh") || die "patched-kernel.sh failed"
	VMLINUX=$PATCHED_VMLINUX.boot
	KREL=$(strings "$VMLINUX" | sed -n 's/^Linux version \([^ ]*\) .*/\1/p' | head -n1)
	deb_versions="$deb_versions
patched $(cat "$(dirname "$PATCHED_VMLINUX")/.tce-key") $KREL"
	;;
esac

# ---- a ppc64el sysroot with makedumpfile, kexec and their libraries
SYSROOT="$CACHE/e2e/sysroot/$(echo "$ppc_versions" | sha)"
if [ ! -f "$SYSROOT/done" ]; then
	log "unpacking the ppc64el sysroot"
	rm -rf "$SYSROOT"
	mkdir -p "$SYSROOT"
	for f in "${PPC_DEBS[@]}"; do dpkg-deb -x "$f" "$SYSROOT"; done
	# usr-merge is not done by dpkg-deb -x: the loader is looked up as /lib64/ld64.so.2.
	rm -f "$SYSROOT/lib64/ld64.so.2"
	mkdir -p "$SYSROOT/lib64"
	ln -s ../lib/powerpc64le-linux-gnu/ld64.so.2 "$SYSROOT/lib64/ld64.so.2"
	if [ -n "$D13_MAKEDUMPFILE_DEB" ]; then
		md=$(mktemp -d)
		dpkg-deb -x "$D13_MAKEDUMPFILE_DEB" "$md"
		install -m 755 "$md/usr/bin/makedumpfile" "$SYSROOT/usr/bin/makedumpfile"
		rm -rf "$md"
	fi
	touch "$SYSROOT/done"
fi

# ---- QEMU's dump repaired by tce-inspect repair: TCE_INSPECT names the built binary
# (make check-real sets it), else tce-inspect on PATH
export TCE_INSPECT=${TCE_INSPECT:-$(command -v tce-inspect || true)}
[ -n "$TCE_INSPECT" ] && [ -x "$TCE_INSPECT" ] ||
	die "no tce-inspect to repair QEMU's dumps with: build it and set TCE_INSPECT"

# ---- initramfs: busybox + init.sh; with kdump also kexec, makedumpfile, virtio modules,
# the capture initramfs and the kernel to load.
make_initrd() {		# make_initrd OUT kind(basic|capture|kdump)
	local out=$1 kind=$2 root
	root=$(mktemp -d)
	mkdir -p "$root/bin" "$root/lib/modules" "$root/boot"
	dpkg-deb --fsys-tarfile "$BUSYBOX_DEB" | tar -x -C "$root" ./bin/busybox
	install -m 755 "$HERE/init.sh" "$root/init"
	if [ "$kind" != basic ]; then
		cp "$SYSROOT/usr/bin/makedumpfile" "$root/bin/"
		cp "$SYSROOT/sbin/kexec" "$root/bin/"
		mkdir -p "$root/lib/powerpc64le-linux-gnu" "$root/lib64"
		cp -a "$SYSROOT"/lib/powerpc64le-linux-gnu/*.so* "$root/lib/powerpc64le-linux-gnu/"
		cp -a "$SYSROOT"/usr/lib/powerpc64le-linux-gnu/*.so* "$root/lib/powerpc64le-linux-gnu/" 2>/dev/null || true
		ln -s ../lib/powerpc64le-linux-gnu/ld64.so.2 "$root/lib64/ld64.so.2"
		find "$KDIR" -path '*/lib/modules/*' -name '*.ko' -exec cp {} "$root/lib/modules/" \;
	fi
	if [ "$kind" = kdump ]; then
		cp "$VMLINUX" "$root/boot/vmlinux"
		cp "$CAPTURE_INITRD" "$root/boot/initrd.gz"
	fi
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$root"
}

run_guest() {		# run_guest OUTDIR [--out FILE]
	local outdir=$1
	shift
	log "booting the guest (console: $outdir/work/console.log)"
	timeout --kill-after=30 1800 "$PY" "$HERE/guest.py" "$NAME" --kernel "$VMLINUX" \
		--initrd "$INITRD" --workdir "$outdir/work" --meta "$outdir/work/guest.json" "$@" ||
		die "the guest run failed (console: $outdir/work/console.log)"
}

# Writes meta.json: what guest.py recorded plus the package and the key.
write_meta() {		# write_meta OUTDIR KEY [extra json object]
	"$PY" - "$1" "$2" "$KERNEL_PKG" "$KERNEL_PKG_VERSION" "$KREL" "${3:-{\}}" <<'EOF'
import json, sys
outdir, key, pkg, ver, krel, extra = sys.argv[1:]
try:
	with open(outdir + '/work/guest.json') as f:
		meta = json.load(f)
except FileNotFoundError:
	meta = {}
meta.update({'key': key, 'kernel_package': pkg, 'kernel_package_version': ver,
	     'kernel_release': krel})
meta.update(json.loads(extra))
with open(outdir + '/meta.json', 'w') as f:
	json.dump(meta, f, indent=1, sort_keys=True)
EOF
}

qemu_elf_dump() {	# qemu_elf_dump NAME [RECIPE GUEST.PY-ARGS...]: make (or reuse) dumps/NAME/vmcore.elf
	local name=$1 recipe=${2:-$1} key outdir t0 addr size
	shift
	[ $# -eq 0 ] || shift
	key=$(key_of "$name")
	outdir="$CACHE/dumps/$name"
	if [ -f "$outdir/key" ] && [ "$(cat "$outdir/key")" = "$key" ] && [ -f "$outdir/vmcore.elf" ]; then
		log "reusing $outdir/vmcore.elf (key $key)"
		return 0
	fi
	rm -rf "$outdir"
	mkdir -p "$outdir/work"
	INITRD="$CACHE/e2e/initrd/basic-$(cat "$HERE/init.sh" "$BUSYBOX_DEB" | sha).gz"
	mkdir -p "$CACHE/e2e/initrd"
	[ -f "$INITRD" ] || make_initrd "$INITRD" basic
	NAME=$recipe run_guest "$outdir" --out "$outdir/vmcore.raw" "$@"
	read -r addr size < <("$PY" -c 'import json,sys; m=json.load(open(sys.argv[1]))["guest"]; print("%x %x" % (m["vmcoreinfo_addr"], m["vmcoreinfo_size"]))' "$outdir/work/guest.json")
	t0=$(date +%s)
	"$HERE/qemu-repair.sh" "$outdir/vmcore.raw" "$outdir/vmcore.elf" "$addr" ||
		die "tce-inspect repair failed on $outdir/vmcore.raw"
	write_meta "$outdir" "$key" "{\"repair_seconds\": $(elapsed "$t0"), \"vmcoreinfo\": \"0x$addr $size\", \"recipe_name\": \"$recipe\"}"
	echo "$key" >"$outdir/key"
	log "made $outdir/vmcore.elf"
}

# TCE tables: the modules and program the initramfs adds (the truth program is built
# static from kvm-tables.c, or vfio-tables.c for the VFIO recipes), and the debug tree
# tables-oracle.py reads the types from.
TABLE_MODULES="arch/powerpc/kvm/kvm.ko arch/powerpc/kvm/kvm-hv.ko drivers/net/ethernet/intel/e1000e/e1000e.ko"
VFIO_MODULES="drivers/vfio/vfio.ko drivers/vfio/vfio_iommu_spapr_tce.ko drivers/vfio/pci/vfio-pci-core.ko drivers/vfio/pci/vfio-pci.ko"
table_kind() {		# table_kind NAME: sets TK_MODULES, TK_PROG, TK_DIR for the recipe
	case "$1" in
	# KVM tables with VFIO groups attached, on the patched 6.1 (everything built in)
	pnv8-kvm-vfio-patched) TK_MODULES='' TK_PROG=kvm-vfio TK_DIR=kvm-vfio ;;
	*-vfio) TK_MODULES=$VFIO_MODULES TK_PROG=vfio-tables TK_DIR=vfio ;;
	# the patched 6.1 has VFIO, vfio-pci and e1000e built in: no module
	*-vfio-patched) TK_MODULES='' TK_PROG=vfio-tables TK_DIR=vfio-patched ;;
	*pnv8-hcall*) TK_MODULES=$TABLE_MODULES TK_PROG=kvm-hcall TK_DIR=hcall ;;
	*) TK_MODULES=$TABLE_MODULES TK_PROG=kvm-tables TK_DIR=tables ;;
	esac
}
tables_initrd() {	# tables_initrd NAME: sets INITRD (busybox, init.sh, modules, truth program)
	local mdir kt root h
	table_kind "$1"
	mdir="$CACHE/e2e/debian-kernel/${KERNEL_PKG}_$KERNEL_PKG_VERSION-$TK_DIR"
	if [ -z "$TK_MODULES" ]; then
		mkdir -p "$mdir"
		touch "$mdir/done"
	elif [ ! -f "$mdir/done" ]; then
		log "unpacking $TK_MODULES from $KERNEL_PKG"
		rm -rf "$mdir"
		mkdir -p "$mdir"
		# 6.1: ./lib/modules, plain .ko; 6.12: ./usr/lib/modules, .ko.xz (unpacked as
		# the virtio modules above: busybox's insmod loads plain .ko files).
		local m f members=() all
		all=$(timeout 300 dpkg-deb --fsys-tarfile "$KERNEL_DEB" | tar -t) ||
			die "cannot list $KERNEL_DEB"
		for m in $TK_MODULES; do
			f=$(grep -m1 -x -F -e "./lib/modules/$KREL/kernel/$m" \
				-e "./usr/lib/modules/$KREL/kernel/$m" -e "./usr/lib/modules/$KREL/kernel/$m.xz" \
				-e "./usr/lib/modules/$KREL/kernel/$m.zst" <<<"$all") ||
				die "$KERNEL_DEB has no $m"
			members+=("$f")
		done
		timeout 300 dpkg-deb --fsys-tarfile "$KERNEL_DEB" | tar -x -C "$mdir" "${members[@]}" ||
			die "cannot unpack $TK_MODULES from $KERNEL_DEB"
		find "$mdir" -name '*.ko.xz' -exec xz -d {} +
		find "$mdir" -name '*.ko.zst' -exec zstd -q -d --rm {} +
		touch "$mdir/done"
	fi
	command -v powerpc64le-linux-gnu-gcc >/dev/null ||
		die "no powerpc64le-linux-gnu-gcc (apt-get install gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross linux-libc-dev-ppc64el-cross)"
	# kvm-tables.c and kvm-hcall.c share kvm-truth.h; kvm-hcall.c's guest is
	# kernel/qemu/kvm-guest.h, rm-hcall.c's.
	kt="$CACHE/e2e/bin/$TK_PROG-$(cat "$HERE/$TK_PROG.c" "$HERE/kvm-truth.h" "$HERE/../../kernel/qemu/kvm-guest.h" | sha)"
	if [ ! -x "$kt" ]; then
		mkdir -p "$CACHE/e2e/bin"
		powerpc64le-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -I "$HERE/../../kernel/qemu" \
			-o "$kt.tmp" "$HERE/$TK_PROG.c" ||
			die "cannot build $TK_PROG.c (libc6-dev-ppc64el-cross and linux-libc-dev-ppc64el-cross installed?)"
		mv "$kt.tmp" "$kt"
	fi
	h=$( (cat "$HERE/init.sh" "$BUSYBOX_DEB" "$kt"; echo "$TK_MODULES $KERNEL_PKG $KERNEL_PKG_VERSION") | sha)
	INITRD="$CACHE/e2e/initrd/$TK_DIR-$h.gz"
	mkdir -p "$CACHE/e2e/initrd"
	[ -f "$INITRD" ] && return 0
	root=$(mktemp -d)
	mkdir -p "$root/bin" "$root/lib/modules"
	dpkg-deb --fsys-tarfile "$BUSYBOX_DEB" | tar -x -C "$root" ./bin/busybox
	install -m 755 "$HERE/init.sh" "$root/init"
	install -m 755 "$kt" "$root/bin/$TK_PROG"
	find "$mdir" -name '*.ko' -exec cp {} "$root/lib/modules/" \;
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$INITRD.tmp"
	mv "$INITRD.tmp" "$INITRD"
	rm -rf "$root"
}

# debug_tree: prints the 6.1 debug tree's root (fetch-debug.sh lays it out once: 0.7 GB).
debug_tree() {
	local root="$CACHE/debug/trees/$KREL"
	if [ ! -f "$root/.fetch-debug" ]; then
		log "no debug tree for $KREL: fetch-debug.sh $KREL"
		timeout 3600 "$HERE/fetch-debug.sh" "$KREL" >/dev/null || [ -f "$root/.fetch-debug" ] ||
			die "fetch-debug.sh $KREL failed"
	fi
	echo "$root"
}

tables_elf_dump() {	# tables_elf_dump NAME: dumps/NAME/vmcore.elf and truth.txt
	local name=$1 key outdir t0 addr size root truth_args=() oracle_out extra=()
	table_kind "$name"
	[ "$TK_PROG" = kvm-tables ] || extra=("$HERE/vfio-oracle.py")
	key=$( (key_of "$name"; cat "$HERE/$TK_PROG.c" "$HERE/kvm-truth.h" "$HERE/../../kernel/qemu/kvm-guest.h" \
		"$HERE/tables-oracle.py" "${extra[@]}"; echo "$TK_MODULES") | sha)
	outdir="$CACHE/dumps/$name"
	if [ -f "$outdir/key" ] && [ "$(cat "$outdir/key")" = "$key" ] && [ -f "$outdir/vmcore.elf" ] &&
		[ -f "$outdir/truth.txt" ]; then
		log "reusing $outdir/vmcore.elf (key $key)"
		return 0
	fi
	rm -rf "$outdir"
	mkdir -p "$outdir/work"
	tables_initrd "$name"
	case "$name" in
	*pnv-nic) ;;
	*) truth_args=(--truth "$outdir/work/truth-guest.txt") ;;
	esac
	# dumped twice: before and after the truth program's change
	[ "$name" != pnv-kvm-change ] ||
		truth_args+=(--out-after "$outdir/vmcore-after.raw" --truth-after "$outdir/truth-after.txt")
	NAME=$name run_guest "$outdir" --out "$outdir/vmcore.raw" "${truth_args[@]}"
	read -r addr size < <("$PY" -c 'import json,sys; m=json.load(open(sys.argv[1]))["guest"]; print("%x %x" % (m["vmcoreinfo_addr"], m["vmcoreinfo_size"]))' "$outdir/work/guest.json")
	t0=$(date +%s)
	"$HERE/qemu-repair.sh" "$outdir/vmcore.raw" "$outdir/vmcore.elf" "$addr" ||
		die "tce-inspect repair failed on $outdir/vmcore.raw"
	if [ -f "$outdir/vmcore-after.raw" ]; then
		"$HERE/qemu-repair.sh" "$outdir/vmcore-after.raw" "$outdir/vmcore-after.elf" "$addr" ||
			die "tce-inspect repair failed on $outdir/vmcore-after.raw"
	fi
	local tfix
	tfix=$(elapsed "$t0")
	# The hardware side, read by drgn (the truth of pnv-nic; beside the KVM truth
	# otherwise).
	# The types: Debian's debug tree, or the patched kernel's own vmlinux.
	local types=()
	if [ -n "$PATCHED_VMLINUX" ]; then
		root=$PATCHED_VMLINUX
		types=(--vmlinux "$PATCHED_VMLINUX")
	else
		root=$(debug_tree)
		types=(--debug-dir "$root/usr/lib/debug")
	fi
	oracle_out="$outdir/drgn-truth.txt"
	case "$name" in *pnv-nic) oracle_out="$outdir/truth.txt.tmp" ;; esac
	t0=$(date +%s)
	timeout 1800 "$PY" "$HERE/tables-oracle.py" "${types[@]}" \
		--mmu "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["guest"]["mmu"].lower())' "$outdir/work/guest.json")" \
		--keep-out "$outdir/drgn-keep.json" -o "$oracle_out" "$outdir/vmcore.elf" >&2 ||
		die "tables-oracle.py failed on $outdir/vmcore.elf"
	local toracle
	toracle=$(elapsed "$t0")
	if [ "${name%pnv-nic}" != "$name" ]; then
		grep -q '^entry ' "$oracle_out" || die "tables-oracle.py found no valid hardware TCE in $name"
		mv "$oracle_out" "$outdir/truth.txt"
	elif [ "$TK_PROG" = vfio-tables ]; then
		# VFIO: the host's truth (vfio-tables), and vfio-oracle.py's reading of the
		# dump (prereg regions, it_userspace, pinned pages), which must agree with it.
		grep -q '^entry ' "$oracle_out" || die "tables-oracle.py found no valid hardware TCE in $name"
		cp "$outdir/work/truth-guest.txt" "$outdir/truth.txt"
		t0=$(date +%s)
		timeout 1800 "$PY" "$HERE/vfio-oracle.py" "${types[@]}" \
			--truth "$outdir/truth.txt" --keep-out "$outdir/vfio-keep.json" \
			-o "$outdir/vfio-truth.txt" "$outdir/vmcore.elf" >&2 ||
			die "vfio-oracle.py: the dump does not agree with truth.txt (or cannot be read)"
		toracle="$toracle, \"vfio_oracle_seconds\": $(elapsed "$t0")"
	else
		grep -q '^kvmtable ' "$oracle_out" || die "tables-oracle.py found no KVM table in $name"
		# kvm-vfio: the hardware tables behind the LIOBNs hold entries too
		[ "$TK_PROG" != kvm-vfio ] || grep -q '^entry ' "$oracle_out" ||
			die "tables-oracle.py found no valid hardware TCE in $name"
		cp "$outdir/work/truth-guest.txt" "$outdir/truth.txt"
	fi
	local typesrc="\"debug_tree\": \"$root\"" KERNEL_PKG=$KERNEL_PKG KERNEL_PKG_VERSION=$KERNEL_PKG_VERSION
	if [ -n "$PATCHED_VMLINUX" ]; then
		typesrc="\"vmlinux\": \"$root\", \"kernel_config\": \"patched-kernel.sh: kunit.config + DWARF\""
		KERNEL_PKG=linux-source-6.1
		KERNEL_PKG_VERSION="$(dpkg-query -W -f '${Version}' linux-source-6.1) + kernel/patches"
	fi
	write_meta "$outdir" "$key" "{\"repair_seconds\": $tfix, \"tables_oracle_seconds\": $toracle, \"vmcoreinfo\": \"0x$addr $size\", $typesrc}"
	echo "$key" >"$outdir/key"
	log "made $outdir/vmcore.elf and truth.txt"
}

# base_dump NAME: the ELF dump of a recipe, made by the function that owns it.
base_dump() {
	case "$1" in
	pnv-*|pnv8-*|d13-pnv-*|d13-pnv8-*|d13-64k-pnv-*|d13-64k-pnv8-*) tables_elf_dump "$1" ;;
	*) qemu_elf_dump "$1" ;;
	esac
}

# Big-endian: our own kernel (be-kernel.sh) and a static BE /init (be-init.c).
be_elf_dump() {		# be_elf_dump NAME: make (or reuse) dumps/NAME/vmcore.elf
	local name=$1 key outdir t0 addr size srcver
	command -v powerpc64-linux-gnu-gcc >/dev/null ||
		die "no powerpc64-linux-gnu-gcc (apt-get install gcc-powerpc64-linux-gnu libc6-dev-ppc64-cross)"
	VMLINUX=$("$HERE/be-kernel.sh") || die "be-kernel.sh failed"
	KREL=$(strings "$VMLINUX" | sed -n 's/^Linux version \([^ ]*\) .*/\1/p' | head -n1)
	srcver=$(dpkg-query -W -f '${Version}' linux-source-6.1)
	key=$( {
		echo "$name"
		cat "$HERE/mkdump.sh" "$HERE/guest.py" "$HERE/be-init.c" "$HERE/qemu-repair.sh" \
			"$HERE/../../libtce/dump/qemu.c" "$HERE/be-kernel.sh"
		echo "$VMLINUX $srcver"
	} | sha)
	outdir="$CACHE/dumps/$name"
	if [ -f "$outdir/key" ] && [ "$(cat "$outdir/key")" = "$key" ] && [ -f "$outdir/vmcore.elf" ]; then
		log "reusing $outdir/vmcore.elf (key $key)"
		return 0
	fi
	rm -rf "$outdir"
	mkdir -p "$outdir/work" "$CACHE/e2e/initrd"
	INITRD="$CACHE/e2e/initrd/be-$(sha <"$HERE/be-init.c").gz"
	if [ ! -f "$INITRD" ]; then
		local root
		root=$(mktemp -d)
		mkdir -p "$root/dev" "$root/proc" "$root/sys"
		powerpc64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$root/init" "$HERE/be-init.c" ||
			die "cannot build be-init.c"
		(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$INITRD.tmp"
		mv "$INITRD.tmp" "$INITRD"
		rm -rf "$root"
	fi
	NAME=$name run_guest "$outdir" --out "$outdir/vmcore.raw"
	read -r addr size < <("$PY" -c 'import json,sys; m=json.load(open(sys.argv[1]))["guest"]; print("%x %x" % (m["vmcoreinfo_addr"], m["vmcoreinfo_size"]))' "$outdir/work/guest.json")
	t0=$(date +%s)
	"$HERE/qemu-repair.sh" "$outdir/vmcore.raw" "$outdir/vmcore.elf" "$addr" ||
		die "tce-inspect repair failed on $outdir/vmcore.raw"
	KERNEL_PKG=linux-source-6.1 KERNEL_PKG_VERSION="$srcver" write_meta "$outdir" "$key" \
		"{\"repair_seconds\": $(elapsed "$t0"), \"vmcoreinfo\": \"0x$addr $size\", \"vmlinux\": \"$VMLINUX\", \"kernel_config\": \"pseries_defconfig (big-endian)\"}"
	echo "$key" >"$outdir/key"
	log "made $outdir/vmcore.elf"
}

case "$NAME" in
be-hash-hotplug)
	be_elf_dump "$NAME"
	echo "$CACHE/dumps/$NAME/vmcore.elf"
	;;
hash-hotplug|hash-vga|radix|powernv|d13-radix|d13-hash-hotplug|d13-64k-radix|d13-64k-hash-hotplug)
	qemu_elf_dump "$NAME"
	echo "$CACHE/dumps/$NAME/vmcore.elf"
	;;
*.qemu-z)
	z=()
	for f in zlib lzo snappy; do
		z+=(--out-kdump "kdump-$f=$CACHE/dumps/$NAME/vmcore-$f.qemu-z")
	done
	qemu_elf_dump "$NAME" "${NAME%.qemu-z}" "${z[@]}"
	echo "$CACHE/dumps/$NAME/vmcore-zlib.qemu-z"
	;;
pnv-kvm|pnv-kvm-16m|pnv8-kvm|pnv-nic|pnv-kvm-change|d13-pnv-kvm|d13-pnv-kvm-16m|d13-64k-pnv-kvm|\
d13-pnv8-kvm|d13-pnv-nic|\
d13-pnv-vfio|d13-64k-pnv-vfio|d13-64k-pnv8-vfio|pnv8-hcall|pnv8-hcall-patched|pnv-vfio-patched|\
pnv8-kvm-vfio-patched)
	tables_elf_dump "$NAME"
	echo "$CACHE/dumps/$NAME/vmcore.elf"
	;;
*.kdump)
	base=${NAME%.kdump}
	NAME=$base base_dump "$base"
	src="$CACHE/dumps/$base"
	key=$( (cat "$src/key"; key_of "$NAME") | sha)
	outdir="$CACHE/dumps/$NAME"
	if [ -f "$outdir/key" ] && [ "$(cat "$outdir/key")" = "$key" ] && [ -f "$outdir/vmcore.kdump" ]; then
		log "reusing $outdir"
	else
		rm -rf "$outdir"
		mkdir -p "$outdir/work"
		md=(env QEMU_LD_PREFIX="$SYSROOT" timeout 900 qemu-ppc64le-static "$SYSROOT/usr/bin/makedumpfile")
		t0=$(date +%s)
		"${md[@]}" -c -d 31 "$src/vmcore.elf" "$outdir/vmcore.kdump.tmp" >"$outdir/work/makedumpfile-d31.log" 2>&1 ||
			die "makedumpfile -c -d 31 failed: $(tail -n3 "$outdir/work/makedumpfile-d31.log")"
		t31=$(elapsed "$t0")
		t0=$(date +%s)
		"${md[@]}" -c -d 1 "$src/vmcore.elf" "$outdir/vmcore-d1.kdump.tmp" >"$outdir/work/makedumpfile-d1.log" 2>&1 ||
			die "makedumpfile -c -d 1 failed: $(tail -n3 "$outdir/work/makedumpfile-d1.log")"
		t1=$(elapsed "$t0")
		mv "$outdir/vmcore.kdump.tmp" "$outdir/vmcore.kdump"
		mv "$outdir/vmcore-d1.kdump.tmp" "$outdir/vmcore-d1.kdump"
		for f in truth.txt drgn-truth.txt drgn-keep.json vfio-truth.txt vfio-keep.json; do
			[ ! -f "$src/$f" ] || cp "$src/$f" "$outdir/$f"
		done
		cp "$src/meta.json" "$outdir/work/guest.json"
		write_meta "$outdir" "$key" "{\"source\": \"$src/vmcore.elf\", \"makedumpfile\": \"makedumpfile:ppc64el under qemu-ppc64le-static: -c -d 31 (vmcore.kdump), -c -d 1 (vmcore-d1.kdump)\", \"makedumpfile_seconds\": {\"d31\": $t31, \"d1\": $t1}}"
		echo "$key" >"$outdir/key"
		log "made $outdir/vmcore.kdump (${t31}s) and vmcore-d1.kdump (${t1}s)"
	fi
	echo "$outdir/vmcore.kdump"
	;;
kdump-*)
	key=$(key_of "$NAME")
	outdir="$CACHE/dumps/$NAME"
	if [ -f "$outdir/key" ] && [ "$(cat "$outdir/key")" = "$key" ] && [ -f "$outdir/vmcore.kdump" ]; then
		log "reusing $outdir"
	else
		rm -rf "$outdir"
		mkdir -p "$outdir/work" "$CACHE/e2e/initrd"
		h=$( (cat "$HERE/init.sh" "$HERE/mkdump.sh"; echo "$deb_versions") | sha)
		CAPTURE_INITRD="$CACHE/e2e/initrd/capture-$h.gz"
		[ -f "$CAPTURE_INITRD" ] || make_initrd "$CAPTURE_INITRD" capture
		INITRD="$CACHE/e2e/initrd/kdump-$h.gz"
		[ -f "$INITRD" ] || make_initrd "$INITRD" kdump
		run_guest "$outdir"
		tar -x -C "$outdir/work" -f "$outdir/work/capture.img" vmcore.kdump ||
			die "no vmcore.kdump on the capture disk"
		mv "$outdir/work/vmcore.kdump" "$outdir/vmcore.kdump"
		rm -f "$outdir/work/capture.img"
		write_meta "$outdir" "$key"
		echo "$key" >"$outdir/key"
		log "made $outdir/vmcore.kdump"
	fi
	echo "$outdir/vmcore.kdump"
	;;
esac
log "done in $(elapsed "$T_START")s"
