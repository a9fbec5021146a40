#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/fetch-debug.sh [REL|DUMP]...: Debian's kernel debug files for the real dumps,
# laid out the way Debian installs them, for the type-information tests (issue 14).
#
# For each kernel release REL (an OSRELEASE such as 6.1.0-50-powerpc64le or
# 6.12.107+deb13-powerpc64le; a DUMP file stands for the OSRELEASE its VMCOREINFO names;
# no argument: every release among the dumps in the cache and the repository's samples) it
#  - downloads linux-image-REL-dbg:ppc64el (0.7-0.9 GB) with apt-get into
#    ${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/debug/debs, from the machine's apt sources
#    (Debian 12) or, when they do not know the package, from the private trixie apt state
#    fetch.sh keeps in .../tce-inspect/apt-trixie (run `fetch.sh d13` once first).  Every
#    version the index lists is tried, newest first, until one downloads (the trixie index
#    may list a version its pool does not hold yet).  A deb already in the cache is kept
#    while it is the candidate (or while there are no package lists);
#  - unpacks only what the tests need into .../tce-inspect/debug/trees/REL, a root laid
#    out exactly like an installed -dbg package:
#      DIR/usr/lib/debug/boot/vmlinux-REL (and System.map-REL)
#      DIR/usr/lib/debug/lib/modules/REL/kernel/arch/powerpc/kvm/{kvm,kvm-hv}.ko
#      DIR/usr/lib/debug/lib/modules/REL/kernel/arch/powerpc/platforms/powernv/*.ko
#      DIR/usr/lib/debug/lib/modules/REL/kernel/drivers/vfio/**.ko
#      DIR/usr/lib/debug/lib/modules/REL/kernel/{virt,drivers/iommu}/**.ko (if any)
#    (FETCH_DEBUG_MODULES="PATH-UNDER-kernel/ ..." replaces the module list; "*" takes all);
#  - adds DIR/usr/lib/debug/.build-id/xx/rest.debug symlinks for every file unpacked.
#    Debian's linux-image-*-dbg packages (6.1.176-1, 6.12.107-1) ship NO .build-id tree,
#    unlike packages built with dh_strip; the links are made here from each file's
#    NT_GNU_BUILD_ID note, the layout libdwfl and debuginfod-style lookups expect;
#  - compares the vmlinux's GNU build-id note with the BUILD-ID VMCOREINFO line of every
#    dump of that release (cache dumps and the repository's samples) and says MISMATCH
#    loudly when the mirror only has another build of REL than the dumps' kernel.
# A tree is keyed by package, version and module list (DIR/.fetch-debug, shell variables:
# DEBUG_PKG, DEBUG_VERSION, DEBUG_DEB, DEBUG_DIR, VMLINUX, VMLINUX_BUILD_ID, ...): a second
# run with the same inputs unpacks nothing.  The debs stay in the cache for debuginfod.sh
# (debuginfod -U serves them).
# Prints each tree's root DIR on stdout, one line per release (in argument order, each once); its
# --debug-dir is DIR/usr/lib/debug.  Exit status: 0, 1 on an error, 3 when a release's
# vmlinux does not match the build id of a dump of that release (the tree is laid out anyway).
# Never commit anything this script writes: it all lives in the cache.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
DBG="$CACHE/debug"
DEBS="$DBG/debs"
TREES="$DBG/trees"
T="$CACHE/apt-trixie"
mkdir -p "$DEBS" "$TREES"

log() { printf 'fetch-debug.sh: %s\n' "$*" >&2; }
die() { printf 'fetch-debug.sh: error: %s\n' "$*" >&2; exit 1; }

for t in apt-get apt-cache dpkg-deb tar readelf /usr/bin/python3; do
	command -v "$t" >/dev/null || die "$t is missing"
done

MODULES=${FETCH_DEBUG_MODULES:-"arch/powerpc/kvm arch/powerpc/platforms/powernv drivers/vfio virt drivers/iommu"}

# ---- the dumps we know of: "PATH OSRELEASE BUILD-ID" lines
dump_files() {
	local f
	for f in "$CACHE"/dumps/*/vmcore*.elf "$CACHE"/dumps/*/vmcore*.kdump "$TOP"/tests/fixtures/sample-*.elf.xz; do
		[ -f "$f" ] && echo "$f"
	done
}
mapfile -t known < <(dump_files)
dumpinfo=""
if [ ${#known[@]} -gt 0 ]; then
	dumpinfo=$(/usr/bin/python3 "$HERE/vmcoreinfo.py" -k OSRELEASE -k BUILD-ID "${known[@]}" 2>/dev/null || true)
fi

rels=()
if [ $# -eq 0 ]; then
	mapfile -t rels < <(awk '$2 != "-" { print $2 }' <<<"$dumpinfo" | sort -u)
	[ ${#rels[@]} -gt 0 ] || die "no dumps in $CACHE/dumps or tests/fixtures: name a release (e.g. 6.1.0-50-powerpc64le)"
fi
for a in "$@"; do
	if [ -f "$a" ]; then
		line=$(/usr/bin/python3 "$HERE/vmcoreinfo.py" -k OSRELEASE -k BUILD-ID "$a") ||
			die "$a: no VMCOREINFO"
		read -r _ r b <<<"$line"
		[ "$r" != "-" ] || die "$a: VMCOREINFO has no OSRELEASE"
		rels+=("$r")
		dumpinfo+=$'\n'"$line"
	else
		case "$a" in
		-h|--help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
		*/*|"") die "$a: neither a dump file nor a kernel release" ;;
		esac
		rels+=("$a")
	fi
done

# ---- apt: the machine's sources, then the private trixie state (fetch.sh d13 makes it)
TA=(-o "Dir::State=$T/state" -o "Dir::State::status=$T/state/status" -o "Dir::Cache=$T/cache"
    -o "Dir::Etc::SourceList=$T/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
    -o APT::Architecture=amd64 -o APT::Architectures::=amd64 -o APT::Architectures::=ppc64el
    -o Acquire::Retries=3)
APTS=(machine)
[ -f "$T/etc/sources.list" ] && APTS+=(trixie)
apt_args() { # STATE: the extra apt options of that state
	case "$1" in
	machine) printf '%s\n' -o Acquire::Retries=3 ;;
	trixie) printf '%s\n' "${TA[@]}" ;;
	esac
}
# versions STATE PKG: every version the index lists for PKG:ppc64el, newest first.
versions() {
	local -a a
	mapfile -t a < <(apt_args "$1")
	apt-cache "${a[@]}" madison "$2:ppc64el" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' |
		sort -u | sort -V -r
}

# fetch_dbg PKG: prints the path of a downloaded deb of PKG:ppc64el.
fetch_dbg() {
	local pkg=$1 st v f have vs=() a=()
	f=$(ls "$DEBS/${pkg}_"*_ppc64el.deb 2>/dev/null | sort -V | tail -n1 || true)
	for st in "${APTS[@]}"; do
		mapfile -t vs < <(versions "$st" "$pkg")
		[ ${#vs[@]} -gt 0 ] || continue
		if [ -n "$f" ]; then
			have=$(dpkg-deb -f "$f" Version)
			for v in "${vs[@]}"; do
				# the cached deb is still listed: keep it (the newest listed one may
				# not download, see below)
				if [ "$v" = "$have" ]; then echo "$f"; return 0; fi
			done
		fi
		mapfile -t a < <(apt_args "$st")
		for v in "${vs[@]}"; do
			log "downloading $pkg:ppc64el $v ($st apt sources)"
			if (cd "$DEBS" && apt-get "${a[@]}" download "$pkg:ppc64el=$v" >>"$DBG/apt-download.log" 2>&1); then
				f=
				for o in "$DEBS/${pkg}_"*_ppc64el.deb; do
					[ -f "$o" ] && [ "$(dpkg-deb -f "$o" Version)" = "$v" ] && f=$o
				done
				[ -n "$f" ] || die "apt-get download $pkg:ppc64el=$v left no .deb of that version in $DEBS"
				# older versions of the same package are dropped
				for o in "$DEBS/${pkg}_"*_ppc64el.deb; do [ "$o" = "$f" ] || rm -f "$o"; done
				echo "$f"
				return 0
			fi
			log "$pkg $v does not download (the pool may not hold it): trying an older one (see $DBG/apt-download.log)"
		done
	done
	if [ -n "$f" ]; then
		log "$pkg: no downloadable version in the package lists: reusing cached $(basename "$f")"
		echo "$f"
		return 0
	fi
	return 1
}

buildid() { # FILE: its NT_GNU_BUILD_ID in hex, or nothing
	LC_ALL=C readelf -n "$1" 2>/dev/null | awk '/Build ID:/ { print $3; exit }'
}

status=0
declare -A done_rel
for rel in "${rels[@]}"; do
	[ -z "${done_rel[$rel]:-}" ] || continue
	done_rel[$rel]=1
	pkg="linux-image-$rel-dbg"
	deb=$(fetch_dbg "$pkg") ||
		die "$pkg:ppc64el is in none of the package lists (machine's apt sources$( [ -f "$T/etc/sources.list" ] && echo ", $T" || echo "; for Debian 13 run tests/e2e/fetch.sh d13 first")) and not cached"
	ver=$(dpkg-deb -f "$deb" Version)
	root="$TREES/$rel"
	key="$pkg $ver $(stat -c %s "$deb") $MODULES"
	if [ -f "$root/.fetch-debug" ] && [ "$(. "$root/.fetch-debug"; echo "$DEBUG_KEY")" = "$key" ]; then
		log "$rel: $root is up to date ($pkg $ver)"
	else
		log "$rel: unpacking $(basename "$deb") ($(($(stat -c %s "$deb") / 1048576)) MB; the whole data.tar.xz is read, about a minute)"
		rm -rf "$root.tmp"
		mkdir -p "$root.tmp"
		d=./usr/lib/debug
		pats=("$d/boot/vmlinux-$rel" "$d/boot/System.map-$rel")
		for m in $MODULES; do
			if [ "$m" = "*" ]; then pats+=("$d/lib/modules/$rel/*"); else pats+=("$d/lib/modules/$rel/kernel/$m/*"); fi
		done
		# tar fails on a pattern nothing matched (kernel/virt on ppc64el): that is fine as
		# long as the vmlinux came out, checked below.
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root.tmp" --wildcards \
			"${pats[@]}" 2>"$root.tmp.tarlog" || true
		vm="$root.tmp/usr/lib/debug/boot/vmlinux-$rel"
		[ -f "$vm" ] || { cat "$root.tmp.tarlog" >&2; die "$deb holds no usr/lib/debug/boot/vmlinux-$rel"; }
		rm -f "$root.tmp.tarlog"
		# The .build-id links Debian does not ship.
		n=0
		while IFS= read -r -d '' f; do
			id=$(buildid "$f")
			[ -n "$id" ] || { log "warning: $f has no build-id note"; continue; }
			rel_path=${f#"$root.tmp/usr/lib/debug/"}
			mkdir -p "$root.tmp/usr/lib/debug/.build-id/${id:0:2}"
			ln -sfn "../../$rel_path" "$root.tmp/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug"
			n=$((n + 1))
		done < <(find "$root.tmp/usr/lib/debug/boot" "$root.tmp/usr/lib/debug/lib" -type f \( -name 'vmlinux-*' -o -name '*.ko' -o -name '*.ko.*' \) -print0)
		{
			echo "# written by tests/e2e/fetch-debug.sh"
			echo "DEBUG_REL=$(printf %q "$rel")"
			echo "DEBUG_PKG=$pkg"
			echo "DEBUG_VERSION=$(printf %q "$ver")"
			echo "DEBUG_DEB=$(printf %q "$deb")"
			echo "DEBUG_ROOT=$(printf %q "$root")"
			echo "DEBUG_DIR=$(printf %q "$root/usr/lib/debug")"
			echo "VMLINUX=$(printf %q "$root/usr/lib/debug/boot/vmlinux-$rel")"
			echo "VMLINUX_BUILD_ID=$(buildid "$vm")"
			echo "BUILD_ID_LINKS=$n"
			echo "DEBUG_KEY=$(printf %q "$key")"
		} >"$root.tmp/.fetch-debug"
		rm -rf "$root"
		mv "$root.tmp" "$root"
		log "$rel: $(du -sh "$root" | cut -f1) unpacked into $root ($n build-id links)"
	fi
	# shellcheck source=/dev/null
	. "$root/.fetch-debug"
	[ -n "$VMLINUX_BUILD_ID" ] || die "$VMLINUX has no GNU build-id note"

	# The image package fetch.sh downloaded for the guests, where there is one.
	for man in "$CACHE/debs/manifest" "$T"/manifest-*; do
		[ -f "$man" ] || continue
		kp=$(sed -n 's/^KERNEL_PKG=//p' "$man")
		kv=$(sed -n 's/^KERNEL_PKG_VERSION=//p' "$man")
		[ "$kp" = "linux-image-$rel" ] || continue
		if [ "$kv" = "$ver" ]; then
			log "$rel: $pkg $ver is the version of the image the dumps were made with ($kp $kv)"
		else
			log "$rel: WARNING: $pkg is $ver but the dumps were made with $kp $kv"
		fi
	done

	checked=0
	while read -r path r b; do
		[ "$r" = "$rel" ] || continue
		checked=$((checked + 1))
		if [ "$b" = "$VMLINUX_BUILD_ID" ]; then
			log "$rel: build-id $b: vmlinux matches $path"
		else
			log "$rel: MISMATCH: $pkg $ver's vmlinux has build-id $VMLINUX_BUILD_ID but $path was made by a kernel with BUILD-ID $b: the mirror only has another build of $rel (older builds: https://snapshot.debian.org/package/linux/)"
			status=3
		fi
	done < <(sed '/^$/d' <<<"$dumpinfo" | sort -u)
	[ "$checked" -gt 0 ] || log "$rel: no dump of this release to compare the build-id with"
	echo "$root"
done
exit $status
