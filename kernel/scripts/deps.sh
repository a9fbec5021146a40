#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/scripts/deps.sh: installs the Debian 12 packages the kernel targets need (the
# 6.1 source, the ppc64le cross compiler and libc, QEMU, the kernel build tools and
# checkpatch's helpers), only those missing, so that the kernel targets run on a fresh
# machine.  apt-get update may fail on a foreign index: the install decides.
set -eu
SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
missing=
for p in linux-source-6.1 gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross \
	qemu-system-ppc flex bison bc libssl-dev libelf-dev git perl python3 \
	python3-ply python3-git xz-utils; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "kernel: installing$missing"
# Another apt or dpkg may hold the locks: wait (as bootstrap.sh does).  apt-get
# update ignores DPkg::Lock::Timeout for the lists lock, so it is retried.
err=$(mktemp)
tries=0
while :; do
	$SUDO apt-get -o DPkg::Lock::Timeout=600 update 2>"$err" || true
	cat "$err" >&2
	grep -q -e 'Could not get lock' -e 'Unable to lock' "$err" || break
	tries=$((tries + 1))
	[ "$tries" -lt 60 ] || break
	echo "kernel: another apt or dpkg holds the lock; retrying in 10 s ($tries/60)" >&2
	sleep 10
done
rm -f "$err"
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	-o DPkg::Lock::Timeout=600 $missing
