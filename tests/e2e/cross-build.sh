#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/cross-build.sh: cross-builds tce-inspect for ppc64el (powerpc64le-linux-gnu) from
# this tree, for live-kcore.sh to run inside a powernv guest.  It owns the ppc64el sysroot
# (Debian 12's -dev packages of libtce's dependencies and the shared libraries they load,
# downloaded with `apt-get download PKG:ppc64el` and unpacked with dpkg-deb -x, never
# installed), the cross build (`configure --host=powerpc64le-linux-gnu` with pkg-config
# pointed at the sysroot) and the staged result: prints the directory that holds
# bin/tce-inspect and lib/ (libtce and every ppc64el library the binary loads, the loader
# and libc included), laid out to be copied into an initramfs as /usr/local.
#
# Why a sysroot and not `apt-get install libkdumpfile-dev:ppc64el ...`: Debian's multiarch
# needs every Multi-Arch: same package at the same version on both architectures, and the
# ppc64el security index often fails to download here (FIELD-NOTES §1), so libc6, liblzma5
# and others have newer amd64 versions than ppc64el candidates and apt refuses the
# install.  The sysroot needs neither root nor a consistent index.
#
# Everything lives in ${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/cross/: debs/ (reused
# while Debian's candidate versions stay), sysroot-KEY/ (KEY: the deb file names),
# build/ (the out-of-tree build; make rebuilds what changed) and stage-KEY/.
# Needs gcc-powerpc64le-linux-gnu (bootstrap.sh installs it) and apt-get download.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
CROSS="$CACHE/cross"
TRIPLET=powerpc64le-linux-gnu
log() { printf 'cross-build.sh: %s\n' "$*" >&2; }
die() { printf 'cross-build.sh: error: %s\n' "$*" >&2; exit 1; }
sha() { sha256sum | cut -c1-16; }

command -v $TRIPLET-gcc >/dev/null ||
	die "no $TRIPLET-gcc (apt-get install gcc-$TRIPLET, as bootstrap.sh does)"
dpkg --print-foreign-architectures | grep -qx ppc64el ||
	die "dpkg knows no ppc64el packages: dpkg --add-architecture ppc64el && apt-get update (tests/e2e/fetch.sh does it)"

# The -dev packages configure asks pkg-config for, and their runtime closure (apt-cache
# depends --recurse on ppc64el, checked against the binary's DT_NEEDED at the end).  libc
# and its headers come from the cross compiler (libc6-dev-ppc64el-cross); libc6:ppc64el is
# here for the guest (the loader and libc the binary runs with).
DEV=(libkdumpfile-dev libdw-dev libelf-dev libdebuginfod-dev libbpf-dev libjson-c-dev libxml2-dev
     check zlib1g-dev libzstd-dev liblzma-dev liblzo2-dev libsnappy-dev libsubunit-dev)
RUNTIME=(libc6 libgcc-s1 libstdc++6 libkdumpfile10 libdw1 libelf1 libdebuginfod1 libbpf1 libjson-c5
	 libxml2 libicu72 zlib1g libzstd1 liblzma5 liblzo2-2 libsnappy1v5 libbz2-1.0 libsubunit0
	 libcurl3-gnutls libbrotli1 libgnutls30 libgmp10 libhogweed6 libnettle8 libidn2-0
	 libunistring2 libp11-kit0 libffi8 libtasn1-6 libgssapi-krb5-2 libkrb5-3 libk5crypto3
	 libkrb5support0 libkeyutils1 libcom-err2 libldap-2.5-0 libsasl2-2 libsasl2-modules-db
	 libdb5.3 libnghttp2-14 libpsl5 librtmp1 libssh2-1 libssl3 libcrypt1)

mkdir -p "$CROSS/debs"
cd "$CROSS/debs"
want=()
# every candidate version in one apt-cache call (a call per package takes minutes)
declare -A cand=()
while read -r p v; do cand[$p]=$v; done < <(apt-cache policy "${DEV[@]/%/:ppc64el}" "${RUNTIME[@]/%/:ppc64el}" 2>/dev/null |
	awk '/^[^ ].*:$/ { sub(/:ppc64el:$/, ""); sub(/:$/, ""); p = $0 } /Candidate:/ { print p, $2 }')
for p in "${DEV[@]}" "${RUNTIME[@]}"; do
	v=${cand[$p]:-}
	[ -n "$v" ] && [ "$v" != "(none)" ] ||
		die "$p:ppc64el has no candidate (apt-get update after dpkg --add-architecture ppc64el?)"
	# apt-get download names a version with an epoch N:V as N%3aV
	f=${p}_${v/:/%3a}_ppc64el.deb
	if [ ! -f "$f" ]; then
		log "apt-get download $p:ppc64el ($v)"
		timeout 600 apt-get download -q "$p:ppc64el=$v" >&2 || die "apt-get download $p:ppc64el=$v failed"
		[ -f "$f" ] || die "apt-get download $p:ppc64el left no $f"
	fi
	want+=("$CROSS/debs/$f")
done

key=$(for f in "${want[@]}"; do basename "$f"; done | sha)
SYSROOT="$CROSS/sysroot-$key"
if [ ! -f "$SYSROOT/done" ]; then
	log "unpacking ${#want[@]} packages into $SYSROOT"
	rm -rf "$SYSROOT"
	mkdir -p "$SYSROOT"
	for f in "${want[@]}"; do dpkg-deb -x "$f" "$SYSROOT"; done
	# links a -dev package makes to an absolute path point into the sysroot instead
	find "$SYSROOT" -type l | while read -r l; do
		t=$(readlink "$l")
		case "$t" in /*) ln -sfn "$SYSROOT$t" "$l" ;; esac
	done
	touch "$SYSROOT/done"
fi

LIBDIR="$SYSROOT/usr/lib/$TRIPLET"
BUILD="$CROSS/build"
mkdir -p "$BUILD"
cd "$BUILD"
cfg="--host=$TRIPLET PKG_CONFIG=$(command -v pkg-config) PKG_CONFIG_LIBDIR=$LIBDIR/pkgconfig:$SYSROOT/usr/share/pkgconfig PKG_CONFIG_SYSROOT_DIR=$SYSROOT"
if [ ! -f Makefile ] || [ "$(cat .tce-config 2>/dev/null)" != "$cfg" ] ||
	[ "$TOP/configure" -nt config.status ]; then
	[ -x "$TOP/configure" ] || (cd "$TOP" && autoreconf -fi)
	log "configure --host=$TRIPLET (in $BUILD)"
	# shellcheck disable=SC2086
	"$TOP/configure" --quiet $cfg \
		CPPFLAGS="-I$SYSROOT/usr/include -I$SYSROOT/usr/include/$TRIPLET" \
		LDFLAGS="-L$LIBDIR -L$SYSROOT/lib/$TRIPLET -Wl,-rpath-link,$LIBDIR:$SYSROOT/lib/$TRIPLET" \
		>"$BUILD/configure.out" 2>&1 || die "configure failed: $(tail -n 5 "$BUILD/configure.out")"
	echo "$cfg" >.tce-config
fi
log "make cli/tce-inspect"
make -j2 --quiet cli/tce-inspect >"$BUILD/make.out" 2>&1 ||
	die "make failed: $(tail -n 20 "$BUILD/make.out")"

# The stage: the real binary (not libtool's wrapper), libtce, and every library it loads
# from the sysroot (the DT_NEEDED closure), with the loader where ld64.so.2 is looked for.
bin="$BUILD/cli/.libs/tce-inspect"
[ -x "$bin" ] || bin="$BUILD/cli/tce-inspect"
$TRIPLET-readelf -h "$bin" | grep -q 'Machine:.*PowerPC64' || die "$bin is not a ppc64le ELF"
skey=$( (sha <"$bin"; sha <"$(ls "$BUILD"/libtce/.libs/libtce.so.*.*.* | head -n1)"; echo "$SYSROOT") | sha)
STAGE="$CROSS/stage-$skey"
if [ ! -f "$STAGE/done" ]; then
	rm -rf "$STAGE"
	mkdir -p "$STAGE/bin" "$STAGE/lib"
	install -m 755 "$bin" "$STAGE/bin/tce-inspect"
	cp -a "$BUILD"/libtce/.libs/libtce.so* "$STAGE/lib/"
	queue=("$STAGE/bin/tce-inspect" "$STAGE"/lib/libtce.so.*.*.*)
	declare -A seen=()
	while [ ${#queue[@]} -gt 0 ]; do
		f=${queue[0]}
		queue=("${queue[@]:1}")
		for n in $($TRIPLET-readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			[ -z "${seen[$n]:-}" ] || continue
			seen[$n]=1
			[ -e "$STAGE/lib/$n" ] && continue
			src=$(ls "$LIBDIR/$n" "$SYSROOT/lib/$TRIPLET/$n" 2>/dev/null | head -n1 || true)
			[ -n "$src" ] || die "$n (needed by ${f##*/}) is in no package of the sysroot"
			cp -L "$src" "$STAGE/lib/$n"
			queue+=("$STAGE/lib/$n")
		done
	done
	cp -L "$SYSROOT/lib/$TRIPLET/ld64.so.2" "$STAGE/lib/ld64.so.2"
	touch "$STAGE/done"
	log "staged $(ls "$STAGE/lib" | wc -l) libraries, $(du -sh "$STAGE" | cut -f1)"
fi
echo "$STAGE"
