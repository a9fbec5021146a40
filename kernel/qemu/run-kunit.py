#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""kernel/qemu/run-kunit.py: boots the patched kernel under QEMU pseries
(hash or radix MMU), reorders vmemmap_list the way users do it (hot-add
512M, hot-add 1G, hot-remove the 512M, hot-add 512M again, through the QEMU
monitor), loads the KUnit modules, and parses their KTAP from the console.
Exit status 0 only when every expected suite ran every case and nothing
failed (and, with --expect-inversions, when the list really was out of
order).  Standard library only."""

import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time

SUITES = {"powerpc_realmode_page": 6, "kvm_book3s_hv_rm_tce": 2}


def cpio_newc(entries):
    """An uncompressed initramfs: entries are (name, mode, data)."""
    out = bytearray()
    for ino, (name, mode, data) in enumerate(entries + [("TRAILER!!!", 0, b"")], 1):
        nm = name.encode() + b"\0"
        hdr = "070701" + "".join("%08X" % v for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nm), 0))
        out += hdr.encode() + nm
        out += b"\0" * (-len(out) % 4)
        out += data
        out += b"\0" * (-len(out) % 4)
    return bytes(out)


class Guest:
    def __init__(self, args, workdir):
        self.lines = []
        self.cond = threading.Condition()
        self.log = open(os.path.join(workdir, "console-%s.log" % args.mode), "w")
        self.sock_path = os.path.join(workdir, "mon-%s.sock" % args.mode)
        if os.path.exists(self.sock_path):
            os.unlink(self.sock_path)
        cpu = "POWER8" if args.mode == "hash" else "POWER9"
        append = "console=hvc0 rdinit=/init"
        if args.mode == "hash":
            append += " disable_radix"
        cmd = [args.qemu, "-M", "pseries", "-cpu", cpu,
               "-m", "2G,slots=4,maxmem=8G", "-smp", "1", "-nographic",
               "-kernel", args.kernel, "-initrd", args.initrd,
               "-append", append, "-no-reboot", "-vga", "none", "-nic", "none",
               "-monitor", "unix:%s,server=on,wait=off" % self.sock_path,
               "-serial", "mon:stdio"]
        self.log.write("# " + " ".join(cmd) + "\n")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        threading.Thread(target=self._reader, daemon=True).start()
        self.mon = None

    def _reader(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            self.log.write(line + "\n")
            self.log.flush()
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.lines.append(None)
            self.cond.notify_all()

    def wait_for(self, pattern, timeout, start=0):
        """First console line from index start matching pattern."""
        rx = re.compile(pattern)
        end = time.time() + timeout
        with self.cond:
            i = start
            while True:
                while i < len(self.lines):
                    line = self.lines[i]
                    if line is None:
                        raise RuntimeError("QEMU exited while waiting for %r" % pattern)
                    m = rx.search(line)
                    if m:
                        return i, m
                    i += 1
                left = end - time.time()
                if left <= 0:
                    raise RuntimeError("timed out waiting for %r" % pattern)
                self.cond.wait(left)

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def monitor(self, command):
        if self.mon is None:
            self.mon = socket.socket(socket.AF_UNIX)
            self.mon.connect(self.sock_path)
            self._mon_read()
        self.mon.sendall((command + "\n").encode())
        reply = self._mon_read()
        self.log.write("# monitor: %s -> %s\n" % (command, reply.strip()))
        return reply

    def _mon_read(self):
        buf = b""
        self.mon.settimeout(30)
        while not buf.endswith(b"(qemu) "):
            chunk = self.mon.recv(4096)
            if not chunk:
                break
            buf += chunk
        return buf.decode("utf-8", "replace")

    def memtotal_kb(self):
        with self.cond:
            start = len(self.lines)
        self.send("mem\n")
        _, m = self.wait_for(r"TCE-INIT-MEM MemTotal:\s+(\d+) kB", 60, start)
        return int(m.group(1))

    def wait_mem(self, cmp, timeout=180):
        end = time.time() + timeout
        while time.time() < end:
            kb = self.memtotal_kb()
            if cmp(kb):
                return kb
            time.sleep(2)
        raise RuntimeError("memory did not change as expected (MemTotal %d kB)" % kb)


def hotplug(g):
    """The sequence of shared/FIELD-NOTES.md section 2."""
    base = g.memtotal_kb()
    mb = 1024
    steps = [
        ("object_add memory-backend-ram,id=m1,size=512M", "device_add pc-dimm,id=d1,memdev=m1", 512),
        ("object_add memory-backend-ram,id=m2,size=1G", "device_add pc-dimm,id=d2,memdev=m2", 1024),
        (None, "device_del d1", -512),
        ("object_add memory-backend-ram,id=m3,size=512M", "device_add pc-dimm,id=d3,memdev=m3", 512),
    ]
    want = base
    for obj, dev, delta in steps:
        if obj:
            g.monitor(obj)
        reply = g.monitor(dev)
        if "rror" in reply:
            raise RuntimeError("%s: %s" % (dev, reply.strip()))
        want += delta * mb
        target = want
        g.wait_mem(lambda kb, t=target, d=delta: kb >= t - 16 * mb if d > 0 else kb <= t + 16 * mb)
        if dev.startswith("device_del"):
            # QEMU frees the slot only when the unplug completes; until then
            # the next DIMM would go above d2 and nothing would be recycled.
            gone_by = time.time() + 120
            while "id: d1" in g.monitor("info memory-devices"):
                if time.time() > gone_by:
                    raise RuntimeError("d1 never left QEMU's memory devices")
                time.sleep(1)
            g.monitor("object_del m1")
    return base, g.memtotal_kb()


# printk prefix: time stamp, and caller id with CONFIG_PRINTK_CALLER.
LINE = re.compile(r"^(?:\[\s*\d+\.\d+\](?:\[\s*[TC]\d+\])?\s?)?(.*)$")
RESULT = re.compile(r"^(\s*)(not ok|ok) (\d+)(?: -)? (\S+)(.*)$")


def parse_ktap(lines):
    """Suite and case results from the console, ignoring everything else."""
    suites = {}
    current = None
    diags = []
    for raw in lines:
        if raw is None:
            continue
        text = LINE.match(raw).group(1)
        m = re.match(r"^\s*# Subtest: (\S+)", text)
        if m:
            current = m.group(1)
            suites.setdefault(current, {"cases": {}, "result": None, "plan": None})
            continue
        m = re.match(r"^\s+1\.\.(\d+)$", text)
        if m and current:
            suites[current]["plan"] = int(m.group(1))
            continue
        m = RESULT.match(text)
        if m:
            indent, res, _, name, rest = m.groups()
            skip = "# SKIP" in rest
            if indent and current:
                suites[current]["cases"][name] = (res, skip)
            elif name in suites:
                suites[name]["result"] = (res, skip)
            continue
        m = re.match(r"^\s+# (\w+): (.*)$", text)
        if m and current:
            diags.append((current, m.group(1), m.group(2)))
    return suites, diags


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qemu", default="qemu-system-ppc64")
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--init", required=True)
    ap.add_argument("--module", action="append", default=[])
    ap.add_argument("--mode", choices=("hash", "radix"), required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--expect-inversions", action="store_true")
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args()

    os.makedirs(args.workdir, exist_ok=True)
    entries = [("dev", 0o40755, b""), ("proc", 0o40755, b""), ("sys", 0o40755, b""),
               ("init", 0o100755, open(args.init, "rb").read())]
    for mod in args.module:
        entries.append((os.path.basename(mod), 0o100644, open(mod, "rb").read()))
    args.initrd = os.path.join(args.workdir, "initrd-%s.cpio" % args.mode)
    with open(args.initrd, "wb") as f:
        f.write(cpio_newc(entries))

    g = Guest(args, args.workdir)
    failures = []
    try:
        g.wait_for(r"TCE-INIT-READY", 600)
        base, after = hotplug(g)
        print("%s: memory %d MiB at boot, %d MiB after hot-add/remove/add" %
              (args.mode, base // 1024, after // 1024))
        g.send("go\n")
        g.wait_for(r"TCE-INIT-DONE", args.timeout)
        g.proc.wait(timeout=120)
    except Exception as e:  # the parse below says what did run
        failures.append(str(e))
    finally:
        if g.proc.poll() is None:
            g.proc.kill()
            g.proc.wait()

    suites, diags = parse_ktap(g.lines)
    for name, ncases in SUITES.items():
        s = suites.get(name)
        if not s:
            failures.append("suite %s did not run" % name)
            continue
        bad = [c for c, (r, _) in s["cases"].items() if r != "ok"]
        skipped = [c for c, (r, sk) in s["cases"].items() if sk]
        print("%s: suite %s: %d/%d cases ok%s%s" % (
            args.mode, name, len(s["cases"]) - len(bad), ncases,
            ", failed: " + " ".join(bad) if bad else "",
            ", skipped: " + " ".join(skipped) if skipped else ""))
        if bad:
            failures.append("%s: failed cases %s" % (name, " ".join(bad)))
        if len(s["cases"]) != ncases or s["plan"] != ncases:
            failures.append("%s: %d of %d cases reported" % (name, len(s["cases"]), ncases))
        if not s["result"] or s["result"][0] != "ok":
            failures.append("%s: suite result %s" % (name, s["result"]))
    inversions = seed_wrong = None
    for suite, case, text in diags:
        print("%s: %s: %s" % (args.mode, case, text))
        m = re.search(r"(\d+) inversions", text)
        if m:
            inversions = int(m.group(1))
        m = re.search(r"seed walk wrong for (\d+)", text)
        if m:
            seed_wrong = int(m.group(1))
    if args.expect_inversions and not inversions:
        failures.append("vmemmap_list was not out of order (%s inversions)" % inversions)
    if args.expect_inversions and not seed_wrong:
        failures.append("the 2013 walk was never wrong (%s pfns)" % seed_wrong)
    for f in failures:
        print("%s: FAIL: %s" % (args.mode, f))
    print("%s: %s" % (args.mode, "FAIL" if failures else "PASS"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
