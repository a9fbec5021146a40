#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/fetch.sh [d12|d13|all]: brings everything the real-dump tests need onto this
# machine, and nothing more.  Host tools (QEMU system and user emulators, drgn, cpio, xz) come
# from apt-get; the ppc64el pieces a guest needs (Debian's current 6.1 powerpc64le kernel,
# busybox-static, kexec-tools, makedumpfile and the libraries it loads) are downloaded as
# .deb files into ${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/debs and never installed.
# It writes debs/manifest (shell variables: which deb is which) for mkdump.sh.  Run it as
# often as you like: what is already there is kept, and a package is downloaded again only
# when Debian's candidate version changed.  The kernel's -dbg package (717 MB) is never
# fetched here.
# Debian 13 (trixie, kernel 6.12): a private apt state in .../tce-inspect/apt-trixie (its own
# sources.list, lists, dpkg status and archive cache; the machine's bookworm sources are never
# touched) gives the newest linux-image-6.12.*+deb13-powerpc64le and -powerpc64le-64k that
# the mirror's pool really serves (its index may list a version the pool does not hold yet:
# each candidate is tried, newest first, until one downloads), kept in apt-trixie/debs with one
# manifest per kernel: apt-trixie/manifest-powerpc64le and manifest-powerpc64le-64k
# (KERNEL_PKG, KERNEL_PKG_VERSION, KERNEL_DEB).  The busybox initramfs and the ppc64el tools
# stay Debian 12's (6.12 boots with them).  d12 fetches only the Debian 12 part, d13 both
# (the 6.12 dumps need the Debian 12 tools too); all (the default) is d13.
set -euo pipefail

WHAT=${1:-all}
case "$WHAT" in
d12|d13|all) ;;
*) echo "usage: $0 [d12|d13|all]" >&2; exit 2 ;;
esac
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

# the cross compilers bootstrap.sh installs build the guests' programs (kvm-tables.c,
# vfio-tables.c, ...) against these headers and C libraries
HOST_PKGS=(qemu-system-ppc qemu-user-static python3-drgn cpio xz-utils
	libc6-dev-ppc64el-cross linux-libc-dev-ppc64el-cross)
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

[ "$WHAT" != d12 ] || exit 0

# ---- Debian 13 (trixie): its kernels through a private apt state
T="$CACHE/apt-trixie"
mkdir -p "$T/etc" "$T/state/lists/partial" "$T/cache/archives/partial" "$T/debs"
[ -f "$T/state/status" ] || : >"$T/state/status"
cat >"$T/etc/sources.list.tmp" <<'EOF'
deb [arch=ppc64el,amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
deb [arch=ppc64el,amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security trixie-security main
EOF
mv "$T/etc/sources.list.tmp" "$T/etc/sources.list"
TA=(-o "Dir::State=$T/state" -o "Dir::State::status=$T/state/status" -o "Dir::Cache=$T/cache"
    -o "Dir::Etc::SourceList=$T/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
    -o APT::Architecture=amd64 -o APT::Architectures::=amd64 -o APT::Architectures::=ppc64el
    -o Acquire::Retries=3)
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] ||
	die "no /usr/share/keyrings/debian-archive-keyring.gpg (apt-get install debian-archive-keyring)"

# The index once per run of this script, unless it is younger than a day.
lists=$(ls "$T"/state/lists/*trixie_main_binary-ppc64el_Packages* 2>/dev/null | head -n1 || true)
if [ -z "$lists" ] || [ -n "$(find "$lists" -mmin +1440 2>/dev/null)" ]; then
	log "apt-get update (trixie, private state in $T; its exit status is ignored)"
	apt-get "${TA[@]}" update >"$CACHE/apt-update-trixie.log" 2>&1 || true
fi

# fetch_d13 FLAVOUR: the newest linux-image-6.12.*+deb13-FLAVOUR that downloads; prints
# "PKG VERSION DEB".
fetch_d13() {
	local flavour=$1 pkg ver f cands
	cands=$(apt-cache "${TA[@]}" pkgnames linux-image-6.12 2>/dev/null |
		grep -E "^linux-image-6\.12\.[0-9]+\+deb13-${flavour}\$" | sort -V -r || true)
	for pkg in $cands; do
		ver=$(apt-cache "${TA[@]}" policy "$pkg:ppc64el" 2>/dev/null | awk '/Candidate:/ { print $2 }')
		[ -n "$ver" ] && [ "$ver" != "(none)" ] || continue
		f=$(ls "$T/debs/${pkg}_"*_ppc64el.deb 2>/dev/null | head -n1 || true)
		if [ -n "$f" ] && [ "$(dpkg-deb -f "$f" Version)" = "$ver" ]; then
			echo "$pkg $ver $f"
			return 0
		fi
		log "trying $pkg:ppc64el $ver"
		if (cd "$T/debs" && apt-get "${TA[@]}" download "$pkg:ppc64el=$ver" \
			>>"$CACHE/apt-download-trixie.log" 2>&1); then
			f=$(ls "$T/debs/${pkg}_"*_ppc64el.deb 2>/dev/null | head -n1 || true)
			[ -n "$f" ] && { echo "$pkg $ver $f"; return 0; }
		fi
		log "$pkg $ver does not download (the pool may not hold it yet): trying an older one"
	done
	# No lists or no network: what an earlier run downloaded.
	f=$(ls "$T/debs/"linux-image-6.12.*+deb13-"${flavour}"_*_ppc64el.deb 2>/dev/null | sort -V | tail -n1 || true)
	if [ -n "$f" ]; then
		log "no downloadable candidate for $flavour: reusing cached $(basename "$f")"
		echo "$(dpkg-deb -f "$f" Package) $(dpkg-deb -f "$f" Version) $f"
		return 0
	fi
	return 1
}

# Debian 12's makedumpfile (1.7.2) cannot read a 6.12 dump ("The kernel version is not
# supported", then it fails reading the vmemmap: measured on all four 6.12 layouts).  Debian
# 13's (1.7.6) can, and it runs on Debian 12's libraries (it needs GLIBC_2.34 at most and
# sonames Debian 12 has; the trixie mirror's pool may not even hold the libc6 its index
# lists): only its binary is taken, for the 6.12 kdump forms, into the Debian 12 sysroot and
# capture initramfs.  apt-trixie/manifest-tools says which deb (D13_MAKEDUMPFILE_DEB).
fetch_d13_deb() {
	local name=$1 want f
	f=$(ls "$T/debs/${name}_"*_ppc64el.deb 2>/dev/null | head -n1 || true)
	want=$(apt-cache "${TA[@]}" policy "$name:ppc64el" 2>/dev/null | awk '/Candidate:/ { print $2 }')
	if [ -z "$want" ] || [ "$want" = "(none)" ]; then
		[ -n "$f" ] || die "$name:ppc64el (trixie) is neither cached nor installable"
		echo "$f"
		return
	fi
	if [ -n "$f" ]; then
		[ "$(dpkg-deb -f "$f" Version)" != "$want" ] || { echo "$f"; return; }
		rm -f "$f"
	fi
	log "downloading $name:ppc64el $want (trixie)"
	(cd "$T/debs" && apt-get "${TA[@]}" download "$name:ppc64el=$want" >>"$CACHE/apt-download-trixie.log" 2>&1) ||
		die "apt-get download $name:ppc64el=$want (trixie) failed (see $CACHE/apt-download-trixie.log)"
	f=$(ls "$T/debs/${name}_"*_ppc64el.deb 2>/dev/null | head -n1 || true)
	[ -n "$f" ] || die "apt-get download $name:ppc64el left no .deb in $T/debs"
	echo "$f"
}
md13=$(fetch_d13_deb makedumpfile)
check13=$(mktemp -d)
trap 'rm -rf "$check" "$check13"' EXIT
dpkg-deb -x "$md13" "$check13"
for l in $(LC_ALL=C readelf -d "$check13/usr/bin/makedumpfile" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
	[ -e "$check/lib/powerpc64le-linux-gnu/$l" ] || [ -e "$check/usr/lib/powerpc64le-linux-gnu/$l" ] ||
		die "Debian 13's makedumpfile needs $l, which Debian 12's debs lack"
done
glibc=$(LC_ALL=C objdump -T "$check13/usr/bin/makedumpfile" | grep -o 'GLIBC_2\.[0-9]*' | sort -V | tail -n1)
have=$(ls "$check"/lib/powerpc64le-linux-gnu/libc.so.6 >/dev/null 2>&1 &&
	dpkg-deb -f "${deb[libc6]}" Version | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
[ "$(printf '%s\n%s\n' "${glibc#GLIBC_}" "$have" | sort -V | tail -n1)" = "$have" ] ||
	die "Debian 13's makedumpfile needs $glibc, Debian 12's libc6 is $have"
{
	echo "# written by tests/e2e/fetch.sh; sourced by mkdump.sh (Debian 13's makedumpfile)"
	echo "D13_MAKEDUMPFILE_DEB=$md13"
} >"$T/manifest-tools.tmp"
mv "$T/manifest-tools.tmp" "$T/manifest-tools"

for flavour in powerpc64le powerpc64le-64k; do
	read -r pkg ver f < <(fetch_d13 "$flavour" || true) ||
		die "no linux-image-6.12.*+deb13-$flavour downloads (see $CACHE/apt-download-trixie.log)"
	[ -n "${f:-}" ] || die "no linux-image-6.12.*+deb13-$flavour downloads"
	case "$pkg" in *-dbg) die "refusing the debug package $pkg" ;; esac
	{
		echo "# written by tests/e2e/fetch.sh; sourced by mkdump.sh (Debian 13 kernel, $flavour)"
		echo "KERNEL_PKG=$pkg"
		echo "KERNEL_PKG_VERSION=$ver"
		echo "KERNEL_DEB=$f"
	} >"$T/manifest-$flavour.tmp"
	mv "$T/manifest-$flavour.tmp" "$T/manifest-$flavour"
	log "ok: $pkg $ver in $T/debs"
done
