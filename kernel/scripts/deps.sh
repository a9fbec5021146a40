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
$SUDO apt-get update || true
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
