#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/init.sh: /init of the busybox initramfs that mkdump.sh boots Debian's ppc64le
# kernel with.  In a first kernel it mounts the pseudo file systems, makes the kernel online
# hot-added memory by itself (movable, so that it can be removed again), prints what the
# host needs on the console between @@TCE- markers (kernel release, MMU, platform, and
# /sys/kernel/vmcoreinfo: where the VMCOREINFO note lives in guest physical memory, which
# QEMU's dump lacks), then gives guest.py a shell.  In a kdump capture kernel (/proc/vmcore
# exists) it saves the dump with makedumpfile onto the virtio disk as a tar archive, says
# @@TCE-CAPTURE-OK@@ and powers off.

/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp

# Without this, hot-added memory stays offline and gets no vmemmap use we can see.
echo online_movable > /sys/devices/system/memory/auto_online_blocks

echo "@@TCE-uname: $(uname -r)"
echo "@@TCE-mmu: $(sed -n 's/^MMU[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
echo "@@TCE-platform: $(sed -n 's/^platform[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
echo "@@TCE-cmdline: $(cat /proc/cmdline)"
echo "@@TCE-vmcoreinfo: $(cat /sys/kernel/vmcoreinfo)"

capture() {
	# Module order follows their dependencies (modinfo -F depends).  A module the
	# initramfs lacks is built in (6.12 has all but virtio_blk built in).
	for m in virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci \
		 virtio_blk; do
		[ -e /lib/modules/$m.ko ] || continue
		insmod /lib/modules/$m.ko || return 1
	done
	i=0
	while [ ! -b /dev/vda ]; do
		i=$((i + 1))
		[ $i -le 50 ] || return 1
		sleep 0.2
	done
	echo "@@TCE-vmcore-phdrs: $(head -c 64 /proc/vmcore | od -A n -t x8 | tr -s ' \n' ' ')"
	makedumpfile -c -d 31 /proc/vmcore /tmp/vmcore.kdump || return 1
	(cd /tmp && tar cf /dev/vda vmcore.kdump) || return 1
	sync
}

if [ -e /proc/vmcore ]; then
	echo "@@TCE-mode: capture"
	echo "@@TCE-READY@@"
	if capture; then
		echo "@@TCE-CAPTURE-OK@@"
	else
		echo "@@TCE-CAPTURE-FAILED see above@@"
	fi
	poweroff -f
	sleep 5
	echo o > /proc/sysrq-trigger
fi

echo "@@TCE-mode: normal"
echo "@@TCE-READY@@"
exec setsid cttyhack sh
