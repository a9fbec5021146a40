#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""kernel/qemu/run-rm-hcall.py: boots the patched kernel as a POWER8
powernv host under QEMU (TCG) with rm-hcall as /init, which runs KVM-HV
guests issuing H_PUT_TCE, H_PUT_TCE_INDIRECT and H_STUFF_TCE, and checks
its report: with the in-kernel handlers nearly every call completes in real
mode (only the first, which allocates the table page, reaches virtual
mode), also with the TCE list in a 16M hugetlb page, with them disabled
every call is counted in virtual mode (the control), and the TCE table
holds what the guest asked for.  Standard
library only."""

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
    ap.add_argument("--module", action="append", default=[],
                    help="KUnit module to load on the powernv host first")
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("rk", os.path.join(here, "run-kunit.py"))
    rk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rk)
    initrd = os.path.join(args.workdir, "initrd-rm-hcall.cpio")
    with open(initrd, "wb") as f:
        f.write(rk.cpio_newc([("dev", 0o40755, b""), ("proc", 0o40755, b""),
                              ("sys", 0o40755, b""),
                              ("init", 0o100755, open(args.init, "rb").read())] +
                             [(os.path.basename(m), 0o100644, open(m, "rb").read())
                              for m in args.module]))
    log = os.path.join(args.workdir, "console-rm-hcall.log")
    cmd = [args.qemu, "-M", "powernv8", "-cpu", "POWER8", "-m", "2G", "-smp", "1",
           "-nographic", "-vga", "none", "-no-reboot",
           # The NIC whose VFIO group goes behind a LIOBN (H_PUT_TCE-vfio).
           "-netdev", "user,id=n0,restrict=on",
           "-device", "e1000e,netdev=n0,bus=pcie.0,romfile=",
           "-kernel", args.kernel, "-initrd", initrd,
           "-append", "console=hvc0 rdinit=/init"]
    with open(log, "w") as f:
        subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=900, check=False)
    text = open(log, errors="replace").read()
    rx = re.compile(r"RM-HCALL (\S+): issued (\d+), exits to virtual mode "
                    r"(\d+), completed in real mode (-?\d+), by userspace (\d+); "
                    r"table entries wrong (\d+) of (\d+)")
    res = {m.group(1): [int(x) for x in m.groups()[1:]] for m in rx.finditer(text)}
    fails = [l for l in text.splitlines() if "RM-HCALL FAIL" in l]
    for name, (issued, virt, real, user, wrong, total) in sorted(res.items()):
        print("powernv8 KVM-HV %s: %d hcalls issued, %d passed to virtual mode, "
              "%d completed in real mode, %d by userspace, %d/%d table entries wrong"
              % (name, issued, virt, real, user, wrong, total))
    expect = ("H_PUT_TCE", "H_PUT_TCE_INDIRECT", "H_STUFF_TCE", "control",
              "H_PUT_TCE_INDIRECT-hugetlb", "H_PUT_TCE-vfio")
    for name in expect:
        if name not in res:
            fails.append("no report for %s (see %s)" % (name, log))
            continue
        issued, virt, real, user, wrong, _ = res[name]
        if wrong:
            fails.append("%s: %d table entries wrong" % (name, wrong))
        if name == "control":
            if virt != issued or user != issued:
                fails.append("control: %d of %d counted in virtual mode" % (virt, issued))
        elif name == "H_PUT_TCE-vfio":
            # A table with a VFIO group: real mode passes every call on
            # (H_TOO_HARD), virtual mode completes it in the kernel.
            if virt != issued or user:
                fails.append("%s: %d of %d passed to virtual mode, %d by userspace"
                             % (name, virt, issued, user))
            for l in text.splitlines():
                if (("RM-HCALL %s:" % name in l and "issued" not in l)
                        or "RM-HCALL vfio:" in l):
                    print("powernv8 KVM-HV %s" % l.split("RM-HCALL ", 1)[1].strip())
        elif real < issued * 9 // 10:
            fails.append("%s: real mode completed %d of %d" % (name, real, issued))
    # The KUnit suites, run on this powernv KVM-HV host (real-mode hcall
    # table live), when given.
    if args.module:
        suites, diags = rk.parse_ktap(text.splitlines())
        for name, ncases in rk.SUITES.items():
            st = suites.get(name)
            if not st:
                fails.append("KUnit suite %s did not run on powernv" % name)
                continue
            bad = [c for c, (r, _) in st["cases"].items() if r != "ok"]
            skipped = [c for c, (r, sk) in st["cases"].items() if sk]
            print("powernv8 KUnit %s: %d/%d cases ok%s%s" % (
                name, len(st["cases"]) - len(bad), ncases,
                ", failed: " + " ".join(bad) if bad else "",
                ", skipped: " + " ".join(skipped) if skipped else ""))
            if bad or len(st["cases"]) != ncases:
                fails.append("KUnit %s on powernv: %s" % (name, " ".join(bad) or "cases missing"))
        for suite, case, dtext in diags:
            print("powernv8 KUnit %s: %s" % (case, dtext))
    for f in fails:
        print("powernv8: FAIL: %s" % f)
    print("powernv8: %s" % ("FAIL" if fails else "PASS"))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
