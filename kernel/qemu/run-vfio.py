#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""kernel/qemu/run-vfio.py: boots the patched kernel as a powernv9 machine
under QEMU (TCG) with an e1000e on pcie.0 and vfio-spapr as /init, which
hands the NIC to vfio-pci and maps preregistered memory through the default
window and a 64K-page DDW of a SPAPR TCE v2 container.  Prints what the
guest did; exits 0 when every step passed, or, with --expect-no-group
(vanilla 6.1, no powerpc iommu_ops), when vfio-pci could not take the NIC.
--pause leaves the guest running with the container held (for dumps: the
e2e pipeline passes its own QEMU options after --).  Standard library
only."""

import argparse
import importlib.util
import os
import re
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qemu", default="qemu-system-ppc64")
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--init", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--machine", default="powernv9")
    ap.add_argument("--expect-no-group", action="store_true")
    ap.add_argument("--pause", action="store_true")
    ap.add_argument("extra", nargs="*", help="more QEMU arguments")
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("rk", os.path.join(here, "run-kunit.py"))
    rk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rk)
    os.makedirs(args.workdir, exist_ok=True)
    initrd = os.path.join(args.workdir, "initrd-vfio.cpio")
    with open(initrd, "wb") as f:
        f.write(rk.cpio_newc([("dev", 0o40755, b""), ("proc", 0o40755, b""),
                              ("sys", 0o40755, b""),
                              ("init", 0o100755, open(args.init, "rb").read())]))
    log = os.path.join(args.workdir, "console-vfio.log")
    append = "console=hvc0 rdinit=/init iommu=nobypass"
    if args.pause:
        append += " vfio_pause"
    cmd = [args.qemu, "-M", args.machine, "-m", "2G", "-smp", "1",
           "-nographic", "-vga", "none", "-no-reboot",
           "-netdev", "user,id=n0,restrict=on",
           "-device", "e1000e,netdev=n0,bus=pcie.0,romfile=",
           "-kernel", args.kernel, "-initrd", initrd,
           "-append", append] + args.extra
    if args.pause:
        os.execvp(cmd[0], cmd)
    with open(log, "w") as f:
        subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=900, check=False)
    text = open(log, errors="replace").read()
    lines = [l for l in text.splitlines() if "VFIO-SPAPR" in l]
    for l in lines:
        if "VFIO-SPAPR truth" not in l:
            print(l.strip())
    fails = [l for l in lines if "VFIO-SPAPR FAIL" in l]
    if args.expect_no_group:
        ok = any("vfio-pci did not take the NIC" in l for l in fails)
        print("vfio: %s" % ("PASS (no VFIO group on this kernel, as expected)"
                            if ok else "FAIL (expected vfio-pci to fail)"))
        return 0 if ok else 1
    maps = {m.group(1) for m in re.finditer(r"VFIO-SPAPR map (\S+) ", text)}
    ok = (not fails and "VFIO-SPAPR DONE" in text and maps == {"default", "ddw"}
          and "VFIO-SPAPR released" in text)
    print("vfio: %s (log %s)" % ("PASS" if ok else "FAIL", log))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
