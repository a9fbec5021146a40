#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/fetch.sh: brings everything the real-dump tests need onto this machine, and
# nothing more.  Host tools (QEMU system and user emulators, drgn, cpio, xz) come from
# apt-get; the ppc64el pieces a guest needs (Debian's current 6.1 powerpc64le kernel,
# busybox-static, kexec-tools, makedumpfile and the libraries it loads) are downloaded as
# .deb files into ${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/debs and never installed.
# It writes debs/manifest (shell variables: which deb is which) for mkdump.sh.  Run it as
# often as you like: what is already there is kept, and a package is downloaded again only
# when Debian's candidate version changed.  The kernel's -dbg package (717 MB) is never
# fetched here.
set -euo pipefail

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
DEBS="$CACHE/debs"
mkdir -p "$DEBS"

log() { printf 'fetch.sh: %s\n' "$*" >&2; }
die() { printf 'fetch.sh: error: %s\n' "$*" >&2; exit 1; }

# apt and dpkg may be busy with another user of this machine: wait for the lock rather
# than failing at once.
APT=(apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

HOST_PKGS=(qemu-system-ppc qemu-user-static python3-drgn cpio xz-utils)
# The libraries makedumpfile:ppc64el (and through libdw1 its compression back ends)
# and kexec-tools:ppc64el load; checked below against the binaries' DT_NEEDED.
PPC_PKGS=(busybox-static kexec-tools makedumpfile libc6 libgcc-s1 libdw1 libelf1
	  liblzo2-2 zlib1g liblzma5 libbz2-1.0 libzstd1)

updated=0
apt_update() {
	[ "$updated" -eq 0 ] || return 0
	log "apt-get update (its exit status is ignored: a few ppc64el index files may fail)"
	$SUDO "${APT[@]}" update >"$CACHE/apt-update.log" 2>&1 || true
	updated=1
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }'; }

if ! dpkg --print-foreign-architectures | grep -qx ppc64el; then
	log "dpkg --add-architecture ppc64el"
	$SUDO dpkg --add-architecture ppc64el
	apt_update
fi

missing=()
for p in "${HOST_PKGS[@]}"; do
	installed "$p" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	apt_update
	for p in "${missing[@]}"; do
		c=$(candidate "$p")
		[ -n "$c" ] && [ "$c" != "(none)" ] || die "$p is not installable (apt-cache policy $p: no candidate)"
	done
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive $SUDO "${APT[@]}" install -y --no-install-recommends \
		"${missing[@]}" >"$CACHE/apt-install.log" 2>&1 ||
		die "apt-get install ${missing[*]} failed (see $CACHE/apt-install.log)"
fi

# The kernel: whatever the meta package points at today; its ABI number changes with
# Debian updates, so it is looked up, never written down.
kernel_pkg() {
	apt-cache depends linux-image-powerpc64le:ppc64el 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-powerpc64le\)\(:ppc64el\)\?$/\1/p' | head -n1
}
kpkg=$(kernel_pkg)
if [ -z "$kpkg" ]; then
	apt_update
	kpkg=$(kernel_pkg)
fi
offline=0
if [ -z "$kpkg" ]; then
	# No package lists (no network?): fall back to what an earlier run downloaded.
	kpkg=$(ls "$DEBS" 2>/dev/null | sed -n 's/^\(linux-image-[0-9][^_]*-powerpc64le\)_.*_ppc64el\.deb$/\1/p' |
		sort -V | tail -n1)
	[ -n "$kpkg" ] || die "cannot find the current linux-image-*-powerpc64le package (apt-cache depends linux-image-powerpc64le:ppc64el)"
	log "no package lists: reusing cached $kpkg"
	offline=1
fi
case "$kpkg" in
*-dbg) die "refusing to fetch the debug package $kpkg" ;;
esac

# Download PKG:ppc64el into $DEBS unless a deb of the candidate version is already there.
fetch_deb() {
	local name=$1 want have f
	f=$(ls "$DEBS/${name}_"*_ppc64el.deb 2>/dev/null | head -n1 || true)
	if [ "$offline" -eq 1 ]; then
		[ -n "$f" ] || die "$name:ppc64el is not cached and there are no package lists"
		echo "$f"
		return
	fi
	want=$(candidate "$name:ppc64el")
	if [ -z "$want" ] || [ "$want" = "(none)" ]; then
		apt_update
		want=$(candidate "$name:ppc64el")
	fi
	[ -n "$want" ] && [ "$want" != "(none)" ] || die "$name:ppc64el is not installable (no candidate)"
	if [ -n "$f" ]; then
		have=$(dpkg-deb -f "$f" Version)
		if [ "$have" = "$want" ]; then
			echo "$f"
			return
		fi
		log "$name: cached $have, candidate $want: downloading again"
		rm -f "$f"
	fi
	log "downloading $name:ppc64el $want"
	(cd "$DEBS" && "${APT[@]}" download "$name:ppc64el=$want" >>"$CACHE/apt-download.log" 2>&1) ||
		die "apt-get download $name:ppc64el=$want failed (see $CACHE/apt-download.log)"
	f=$(ls "$DEBS/${name}_"*_ppc64el.deb 2>/dev/null | head -n1 || true)
	[ -n "$f" ] || die "apt-get download $name:ppc64el left no .deb in $DEBS"
	echo "$f"
}

kdeb=$(fetch_deb "$kpkg")
declare -A deb
for p in "${PPC_PKGS[@]}"; do
	deb[$p]=$(fetch_deb "$p")
done

# Make sure every ppc64el binary we will run finds its libraries in the debs we hold:
# a missing one would only show up later as a cryptic qemu-user failure.
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
for p in "${PPC_PKGS[@]}"; do
	dpkg-deb -x "${deb[$p]}" "$check"
done
need=$(for b in "$check/usr/bin/makedumpfile" "$check/sbin/kexec" "$check/usr/sbin/kexec"; do
	[ -e "$b" ] && LC_ALL=C readelf -d "$b" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
done; for l in "$check"/lib/powerpc64le-linux-gnu/*.so* "$check"/usr/lib/powerpc64le-linux-gnu/*.so*; do
	[ -f "$l" ] && LC_ALL=C readelf -d "$l" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
done | sort -u)
for l in $need; do
	[ -e "$check/lib/powerpc64le-linux-gnu/$l" ] || [ -e "$check/usr/lib/powerpc64le-linux-gnu/$l" ] ||
		[ -e "$check/lib64/$l" ] || die "ppc64el library $l is needed but not in the fetched debs"
done

kver=$(dpkg-deb -f "$kdeb" Version)
tmp="$DEBS/manifest.tmp"
{
	echo "# written by tests/e2e/fetch.sh; sourced by mkdump.sh"
	echo "KERNEL_PKG=$kpkg"
	echo "KERNEL_PKG_VERSION=$kver"
	echo "KERNEL_DEB=$kdeb"
	printf 'PPC_DEBS=('
	for p in "${PPC_PKGS[@]}"; do printf ' %q' "${deb[$p]}"; done
	echo ' )'
	echo "BUSYBOX_DEB=${deb[busybox-static]}"
	echo "KEXEC_DEB=${deb[kexec-tools]}"
	echo "MAKEDUMPFILE_DEB=${deb[makedumpfile]}"
} >"$tmp"
mv "$tmp" "$DEBS/manifest"
log "ok: $kpkg $kver and ${#PPC_PKGS[@]} ppc64el packages in $DEBS"
