#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bootstrap.sh demo|check: set up a fresh Debian 12 machine for tce-inspect and either run
# the demo (tce-inspect on its embedded sample dump) or the whole test suite under
# AddressSanitizer and UndefinedBehaviorSanitizer.  It installs only what is missing
# (Debian packages), builds out of tree (build-demo/ or build-check/) and is safe to rerun.
set -eu

mode=${1:-demo}
case "$mode" in
demo | check) ;;
*) echo "usage: $0 demo|check" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")" && pwd)
cd "$top"

SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
packages="gcc make autoconf automake libtool pkg-config xz-utils python3
	libkdumpfile-dev libdw-dev libelf-dev libdebuginfod-dev libbpf-dev check libjson-c-dev
	gcc-powerpc64le-linux-gnu gcc-powerpc64-linux-gnu dwarves
	valgrind cppcheck libxml2-dev libxml2-utils python3-jsonschema python3-junitparser jq"
# check also loads check --format html's page in a headless browser (tests/cli/test-html.sh)
if [ "$mode" = check ]; then packages="$packages chromium chromium-driver"; fi
missing=
for p in $packages; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "bootstrap: installing$missing"
	# Another apt or dpkg (unattended-upgrades, a second shell) may hold the package
	# manager's locks: wait for it rather than fail.  apt-get update does not honour
	# DPkg::Lock::Timeout for the lists lock, so it is retried while the lock is what
	# stops it (up to 10 minutes).  Any other failure of the update is let pass: an
	# index of another architecture may fail to download, and the install decides.
	err=$(mktemp)
	tries=0
	while :; do
		$SUDO apt-get -o DPkg::Lock::Timeout=600 update 2>"$err" || true
		cat "$err" >&2
		grep -q -e 'Could not get lock' -e 'Unable to lock' "$err" || break
		tries=$((tries + 1))
		[ "$tries" -lt 60 ] || break
		echo "bootstrap: another apt or dpkg holds the lock; retrying in 10 s ($tries/60)" >&2
		sleep 10
	done
	rm -f "$err"
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		-o DPkg::Lock::Timeout=600 $missing
fi

jobs=$(nproc 2>/dev/null || echo 2)
[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi
if [ "$mode" = demo ]; then
	mkdir -p build-demo && cd build-demo
	[ -f Makefile ] || ../configure --quiet
	make -j"$jobs" --quiet cli/tce-inspect tests/forge/tce-forge
	set -x
	./cli/tce-inspect info
	./cli/tce-inspect vmemmap
	./cli/tce-inspect page @sample 0x4fff 0x5000
	# TCE tables need the kernel's types (Debian: linux-image-REL-dbg, 700 MB): the
	# demo makes a small KVM host with the forge, whose DWARF it writes too
	./tests/forge/tce-forge --radix --vmlinux-out demo-kvm.vmlinux kvm-tables demo-kvm.vmcore
	./cli/tce-inspect tables -s demo-kvm.vmlinux demo-kvm.vmcore
	./cli/tce-inspect entries -s demo-kvm.vmlinux demo-kvm.vmcore --range 0x0-0xa008fff
	./cli/tce-inspect check -s demo-kvm.vmlinux demo-kvm.vmcore || true
	# A real KVM host's tables (Debian 13's kernel keeps its types as BTF in memory: no
	# debug file at all), trimmed to 1.8 MB: tests/fixtures/README, sample-d13-pnv-kvm
	xz -dc ../tests/fixtures/sample-d13-pnv-kvm.elf.xz >d13-pnv-kvm.vmcore
	./cli/tce-inspect tables --no-debuginfod d13-pnv-kvm.vmcore
	./cli/tce-inspect entries --no-debuginfod d13-pnv-kvm.vmcore --range 0x10000000-0x13ffffff
	exit 0
fi

mkdir -p build-check && cd build-check
[ -f Makefile ] || ../configure --quiet --enable-sanitizers
make -j"$jobs"
status=0
make -j"$jobs" check || status=$?
# every Check suite's own summary line, then the total in the same form
logs=$(find . -name '*.log' ! -name config.log ! -name test-suite.log | sort)
# shellcheck disable=SC2086
grep -h "^[0-9]*%: Checks: " $logs /dev/null | sed 's/^/check: /' || true
# shellcheck disable=SC2086
awk -F'[ ,]+' '/^[0-9]+%: Checks: / { c += $3; f += $5; e += $7 }
	END { printf "%d%%: Checks: %d, Failures: %d, Errors: %d\n",
	      c ? 100 * (c - f - e) / c : 0, c, f, e }' $logs /dev/null
[ -f test-suite.log ] && grep -E "^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):" test-suite.log
exit $status
