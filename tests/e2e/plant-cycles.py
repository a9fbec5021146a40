#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/plant-cycles.py: loops planted in the lists and trees tce-inspect walks, in
copies of real dumps (issue 17).  Each must end with one line saying which list looped,
the source's status (partial, or unknown when what it needs lies past the loop) and the
documented exit status, never a hang (a time limit) or a crash.

  pnv-kvm (6.1, its debug tree):
    modules-first   the first module (kvm_hv) links to itself: kvm.ko is never reached,
                    so KVM cannot be searched: tables exits 3, the kvm line names the loop
    modules-after   kvm, the last module, links back to kvm_hv: the tables are all found
                    (exit 0), types names both modules of the bad link
    stt             a VM's second spapr_tce_tables entry links back to the first:
                    partial, exit 1, the two tables before the loop listed
    iommu-tables    a LIOBN's empty iommu_tables made a one-entry ring (the head's
                    next and prev at its own prev field, whose tbl is the unlocked
                    alloc_lock's owner, 0): partial, exit 1, no table added
    memslots        the root of the VM's gfn_tree its own left child: discovery whole
                    (exit 0), every guest-view entry's host page unknown naming the VM's
                    tree, TCE-KVM-NO-MEMSLOT unknown (not a pass)
  pnv-nic (6.1, six powernv PHBs):
    hose            PHB 0 and PHB 1 link to each other: powernv partial, exit 1, one
                    line; pseries stays absent (the PHBs before the loop are powernv's)
  hash-vga (6.1 pseries, one PHB, one device under it):
    pci-dn          the device's pci_dn links to itself in its parent's child_list:
                    pseries partial, exit 1, the LPAR window still found
    pci-dn-up       the device's child_list holds the PHB's pci_dn, its ancestor: the
                    tree's cycle said, the LPAR window found once
  pnv8-kvm-vfio-patched (the project's patched 6.1, its vmlinux: meta.json's; two VFIO
  groups' default windows on LIOBN 0x80000001's iommu_tables, kvm-vfio.c):
    stit-ring       the second attached table's node links back to the first: partial,
                    exit 1, one line naming the loop; both tables attached before it
                    (attached_liobn), every table drgn found listed; check finds nothing and
                    exits 0 (documented: only findings, or --strict, fail it), its
                    TCE-KVM-HW-MISMATCH unknown naming the loop (a table past it could
                    disagree), and check --strict exits 1
    stit-self       the first node links to itself: the same, with only the first
                    window attached
  d13-pnv-kvm (6.12, no debug file at all: BTF, kallsyms, kvm.ko's split BTF):
    modules-first   as on pnv-kvm: exit 3, the kvm line names the loop
    btf-modules     the first entry of btf_modules links to itself: kvm.ko's BTF is not
                    found, exit 3, the kvm line names btf_modules' loop

Addresses come from drgn 0.0.22 with the kernel's DWARF over the healthy original, and
from plant-faults.py's ELF reader and radix page-table walker (module memory is
vmalloc), never from tce-inspect.  One copy a dump, each loop written into it and the
bytes put back after.

Usage: plant-cycles.py [--work DIR] [--only DUMP] TCE_INSPECT DEBUG_TREES DUMPS
(DUMPS: mkdump.sh's directory of dumps, ~/.cache/tce-inspect/dumps)
Exit status: 0 all passed, 1 a failure, 77 nothing to do (no drgn, no dump, no debug
tree), 2 usage.
"""

import argparse
import importlib.util
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

LINEAR = 0xc000000000000000
VMALLOC = 0xc008000000000000
TIMEOUT = 300


def load_plant_faults():
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("plant_faults",
                                                  os.path.join(here, "plant-faults.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Dump:
    """A healthy original, its oracle, and a private copy edits go into and out of"""

    def __init__(self, pf, path, vmlinux, debug_dir, release, copy):
        self.dir = os.path.dirname(path)
        self.debug_dir = debug_dir
        self.release = release
        self.o = pf.Oracle(path, vmlinux)
        self.p = self.o.prog
        self.bo = self.o.elf.bo
        self.copy = copy
        shutil.copyfile(path, copy)

    def phys(self, va):
        if LINEAR <= va < VMALLOC:
            return va - LINEAR
        return self.o.radix_translate(va)

    def u64(self, va):
        return struct.unpack(self.bo + "Q", self.o.elf.read(self.phys(va), 8))[0]

    def off(self, ty, member):
        import drgn
        return drgn.offsetof(self.p.type(ty), member)

    def edit(self, edits):
        """writes [(va, u64)] into the copy; returns what puts it back"""
        undo = []
        with open(self.copy, "r+b") as f:
            for va, v in edits:
                at = self.o.elf.offset(self.phys(va), 8)
                f.seek(at)
                undo.append((at, f.read(8)))
                f.seek(at)
                f.write(struct.pack(self.bo + "Q", v))
        return undo

    def restore(self, undo):
        with open(self.copy, "r+b") as f:
            for at, b in reversed(undo):
                f.seek(at)
                f.write(b)

    def modules(self):
        """[(name, struct module address, its list node)] in list order"""
        lo = self.off("struct module", "list")
        no = self.off("struct module", "name")
        head = self.p["modules"].address_of_().value_()
        out, n = [], self.u64(head)
        while n != head and len(out) < 1000:
            m = n - lo
            raw = self.o.elf.read(self.phys(m + no), 56)
            out.append((raw.split(b"\0")[0].decode(), m, n))
            n = self.u64(n)
        return out


class Runner:
    def __init__(self, tce):
        self.tce = tce
        self.passed = self.failed = 0

    def run(self, args):
        """(exit status, stdout, stderr lines); a time limit far below a hang's"""
        try:
            r = subprocess.run([self.tce, *args], capture_output=True, text=True,
                               timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, "", [f"did not end in {TIMEOUT} s"]
        return r.returncode, r.stdout, [x for x in r.stderr.splitlines() if x]

    def check(self, what, cond, detail=""):
        if cond:
            self.passed += 1
            print(f"ok: {what}")
        else:
            self.failed += 1
            print(f"FAIL: {what}{': ' + detail if detail else ''}")

    def expect(self, what, args, status, line=None, line_start=None):
        """runs args: exit status, and the one stderr line (exactly, or how it starts);
        returns stdout"""
        rc, out, err = self.run(args)
        self.check(f"{what}: exit {status}", rc == status, f"exit {rc}: {err[:3]}")
        if line is not None:
            self.check(f"{what}: its one line", err == [line], f"{err[:3]}, want {line!r}")
        if line_start is not None:
            self.check(f"{what}: its one line names the loop",
                       len(err) == 1 and err[0].startswith(line_start),
                       f"{err[:3]}, want one starting {line_start!r}")
        return out


def sources(out):
    try:
        return json.loads(out)["sources"]
    except (ValueError, KeyError):
        return {}


def modules_first(r, d, name, dbg, extra=()):
    mods = d.modules()
    if len(mods) < 2 or mods[0][0] == "kvm":
        r.check(f"{name} modules-first: kvm is not the first of two modules", False,
                str(mods))
        return
    first, addr, node = mods[0]
    undo = d.edit([(node, node)])
    loop = (f"the modules list loops back: module {first} links to module {first} "
            f"(0x{addr:x}), met before, not to the list's head (a cycle after 1 module)")
    out = r.expect(f"{name} modules-first: tables", ["tables", "--format", "json", *dbg,
                                                      *extra, d.copy], 3,
                   line_start=f"tce-inspect: {d.copy}: kvm tables cannot be searched: "
                   f"whether kvm.ko is loaded: {loop}; ")
    s = sources(out)
    r.check(f"{name} modules-first: kvm unknown", s.get("kvm", {}).get("status") == "unknown",
            str(s.get("kvm")))
    d.restore(undo)


def no_debug_files(r, d, name, dbg):
    """Debian 13's 6.12 with nothing from a file: kvm.ko's types are its split BTF,
    found on btf_modules"""
    modules_first(r, d, name, dbg)
    from drgn.helpers.linux.list import list_for_each_entry
    ents = list(list_for_each_entry("struct btf_module", d.p["btf_modules"].address_of_(),
                                    "list"))
    if not ents:
        r.check(f"{name} btf-modules: entries on btf_modules", False)
        return
    node = ents[0].value_() + d.off("struct btf_module", "list")
    undo = d.edit([(node, node)])
    rc, out, err = r.run(["tables", "--format", "json", *dbg, d.copy])
    want = (f"kvm.ko is loaded without its DWARF (on Debian: linux-image-{d.release}-dbg; "
            f"BTF of module kvm: btf_modules loops back to its entry 0 at 0x{node:x} after "
            f"1 entry)")
    r.check(f"{name} btf-modules: tables exit 3, one line naming the loop",
            rc == 3 and len(err) == 1 and want in err[0] and
            "kvm tables cannot be searched" in err[0], f"exit {rc}: {err[:2]}")
    s = sources(out)
    r.check(f"{name} btf-modules: kvm unknown", s.get("kvm", {}).get("status") == "unknown",
            str(s.get("kvm")))
    d.restore(undo)


def pnv_kvm(r, d, name, dbg):
    modules_first(r, d, name, dbg)
    mods = d.modules()
    # modules-after: the last module (kvm) back to the first
    (fn, faddr, fnode), (ln, _la, lnode) = mods[0], mods[-1]
    undo = d.edit([(lnode, fnode)])
    out = r.expect(f"{name} modules-after: tables", ["tables", "--format", "json", *dbg,
                                                      d.copy], 0)
    s = sources(out)
    r.check(f"{name} modules-after: kvm found", s.get("kvm", {}).get("status") == "found",
            str(s.get("kvm")))
    out = r.expect(f"{name} modules-after: types", ["types", *dbg, d.copy], 0)
    want = (f"modules:    {len(mods)} on the list; the modules list loops back: module "
            f"{ln} links to module {fn} (0x{faddr:x}), met before, not to the list's head "
            f"(a cycle after {len(mods)} modules)")
    r.check(f"{name} modules-after: types names the loop", want in out.splitlines(),
            [x for x in out.splitlines() if x.startswith("modules:")])
    d.restore(undo)

    # the VM (tables-oracle.py's drgn-truth.txt: vm_list is kvm.ko's), its tables and
    # memslots as drgn reads them with kvm.ko's types
    import drgn
    from drgn.helpers.linux.list import list_for_each_entry
    ko = os.path.join(d.debug_dir, "lib", "modules", d.release, "kernel", "arch",
                      "powerpc", "kvm", "kvm.ko")
    try:
        d.p.load_debug_info([ko])
    except Exception:   # noqa: BLE001  (its types load; it finds no loaded module)
        pass
    truth = [w for w in (line.split() for line in open(os.path.join(d.dir,
                                                                    "drgn-truth.txt")))
             if w and w[0] == "kvm"]
    kvm = drgn.Object(d.p, "struct kvm", address=int(truth[0][1].split("=")[1], 0))
    kvm = kvm.address_of_()
    stts = list(list_for_each_entry("struct kvmppc_spapr_tce_table",
                                    kvm.arch.spapr_tce_tables.address_of_(), "list"))
    lo = d.off("struct kvmppc_spapr_tce_table", "list")
    if len(stts) >= 3:
        a, b = stts[0].value_() + lo, stts[1].value_() + lo
        undo = d.edit([(b, a)])
        why = (f"a VM's spapr_tce_tables: the entry at 0x{b:x} links back to 0x{a:x}, "
               f"met before: a cycle")
        out = r.expect(f"{name} stt: tables", ["tables", "--format", "json", *dbg, d.copy],
                       1, line=f"tce-inspect: {d.copy}: kvm tables: the search stopped "
                       f"early: {why}")
        s = sources(out)
        r.check(f"{name} stt: kvm partial, why", s.get("kvm", {}).get("status") == "partial"
                and s["kvm"].get("why") == why, str(s.get("kvm")))
        n = len([t for t in json.loads(out).get("tables", []) if t.get("kind") == "kvm"]) \
            if out else -1
        r.check(f"{name} stt: the two tables before the loop", n == 2, f"{n} tables")
        d.restore(undo)
    else:
        r.check(f"{name} stt: three tables on the VM", False, f"{len(stts)}")

    # iommu_tables: an empty list made a ring of one at the head's own prev field
    stt = stts[0]
    h = stt.iommu_tables.address_of_().value_()
    nx = d.off("struct kvmppc_spapr_tce_iommu_table", "next")
    tb = d.off("struct kvmppc_spapr_tce_iommu_table", "tbl")
    if d.u64(h) != h or d.u64(h + 8) != h:
        r.check(f"{name} iommu-tables: the first LIOBN's list is empty", False)
    elif d.u64(h + 8 - nx + tb) != 0:
        r.check(f"{name} iommu-tables: 0 where the ring's tbl would be", False)
    else:
        undo = d.edit([(h, h + 8), (h + 8, h + 8)])
        why = (f"a LIOBN's iommu_tables: the entry at 0x{h + 8:x} links back to "
               f"0x{h + 8:x}, met before: a cycle")
        out = r.expect(f"{name} iommu-tables: tables", ["tables", "--format", "json", *dbg,
                                                        d.copy], 1,
                       line=f"tce-inspect: {d.copy}: kvm tables: the search stopped early: "
                       f"{why}")
        n = len(json.loads(out).get("tables", [])) if out else -1
        r.check(f"{name} iommu-tables: the {len(stts)} tables, no other", n == len(stts),
                f"{n}")
        d.restore(undo)

    # memslots: the gfn_tree's root its own left child
    slots = kvm.memslots[0]
    idx = slots.node_idx.value_()
    root = slots.gfn_tree.rb_node.value_()
    left = d.off("struct rb_node", "rb_left")
    undo = d.edit([(root + left, root)])
    why = (f"kvm 0x{kvm.value_():x}'s memslots (gfn_tree): node 0x{root:x} is reached "
           f"twice: a cycle")
    out = r.expect(f"{name} memslots: entries", ["entries", "--format", "json", *dbg,
                                                 d.copy], 0)
    try:
        ents = json.loads(out)["entries"]
    except (ValueError, KeyError):
        ents = []
    kvm_e = [e for e in ents if e["kind"] == "kvm"]
    bad = [e for e in kvm_e if e["host"] != "unknown" or e["host_why"] != why]
    r.check(f"{name} memslots: every guest-view entry unknown, naming the tree",
            kvm_e and not bad, f"{len(kvm_e)} entries, {len(bad)} not: "
            f"{bad[0] if bad else ''} (node_idx {idx})")
    out = r.expect(f"{name} memslots: check", ["check", "--format", "json", "--rules",
                                               "TCE-KVM-NO-MEMSLOT", *dbg, d.copy], 0)
    try:
        o = json.loads(out)["outcomes"][0]
    except (ValueError, KeyError, IndexError):
        o = {}
    r.check(f"{name} memslots: TCE-KVM-NO-MEMSLOT unknown",
            o.get("outcome") == "unknown" and why in (o.get("reason") or ""), str(o))
    d.restore(undo)


def kvm_vfio(r, d, name, dbg):
    """A LIOBN with two hardware tables on its iommu_tables (KVM built in: the
    vmlinux has its types)"""
    import drgn
    from drgn.helpers.linux.list import list_for_each_entry
    truth = [w for w in (line.split() for line in open(os.path.join(d.dir, "drgn-truth.txt")))
             if w and w[0] == "kvm"]
    kvm = drgn.Object(d.p, "struct kvm", address=int(truth[0][1].split("=")[1], 0))
    stts = [s for s in list_for_each_entry("struct kvmppc_spapr_tce_table",
                                           kvm.arch.spapr_tce_tables.address_of_(), "list")
            if s.liobn.value_() == 0x80000001]
    if len(stts) != 1:
        r.check(f"{name}: LIOBN 0x80000001 on the VM", False, f"{len(stts)}")
        return
    stits = list(list_for_each_entry("struct kvmppc_spapr_tce_iommu_table",
                                     stts[0].iommu_tables.address_of_(), "next"))
    if len(stits) != 2:
        r.check(f"{name}: two tables on LIOBN 0x80000001's iommu_tables", False,
                f"{len(stits)}")
        return
    nx = d.off("struct kvmppc_spapr_tce_iommu_table", "next")
    a, b = (s.value_() + nx for s in stits)
    tbl = [s.tbl.value_() for s in stits]
    ntables = sum(1 for line in open(os.path.join(d.dir, "drgn-truth.txt"))
                  if line.startswith(("table ", "kvmtable ")))
    start = "tce-inspect: " + d.copy + ": kvm tables: the search stopped early: "
    for case, edit, at, to, attached in (("stit-ring", (b, a), b, a, tbl),
                                         ("stit-self", (a, a), a, a, tbl[:1])):
        undo = d.edit([edit])
        why = f"a LIOBN's iommu_tables: the entry at 0x{at:x} links back to 0x{to:x}, met before: a cycle"
        out = r.expect(f"{name} {case}: tables", ["tables", "--format", "json", *dbg, d.copy], 1,
                       line=start + why)
        s = sources(out)
        r.check(f"{name} {case}: kvm partial, why", s.get("kvm", {}).get("status") == "partial"
                and s["kvm"].get("why") == why, str(s.get("kvm")))
        try:
            tables = json.loads(out).get("tables", [])
        except ValueError:
            tables = []
        att = sorted(int(t["address"], 0) for t in tables if t.get("attached_liobn") == "0x80000001")
        r.check(f"{name} {case}: {ntables} tables, attached to LIOBN 0x80000001: "
                f"{', '.join('0x%x' % x for x in attached)}",
                len(tables) == ntables and att == sorted(attached),
                f"{len(tables)} tables, attached {att}")
        out = r.expect(f"{name} {case}: check", ["check", "--format", "json", *dbg, d.copy], 0,
                       line=None)
        try:
            doc = json.loads(out)
        except ValueError:
            doc = {}
        hw = [o for o in doc.get("outcomes", []) if o.get("id") == "TCE-KVM-HW-MISMATCH"]
        r.check(f"{name} {case}: check finds nothing, TCE-KVM-HW-MISMATCH unknown naming the loop",
                not doc.get("findings") and hw and hw[0].get("outcome") == "unknown" and
                hw[0].get("reason") == "kvm tables: " + why, f"{doc.get('findings')}, {hw}")
        r.expect(f"{name} {case}: check --strict", ["check", "--strict", *dbg, d.copy], 1)
        d.restore(undo)


def pnv_nic(r, d, name, dbg):
    from drgn.helpers.linux.list import list_for_each_entry
    phbs = list(list_for_each_entry("struct pci_controller", d.p["hose_list"].address_of_(),
                                    "list_node"))
    if len(phbs) < 2:
        r.check(f"{name} hose: two PHBs", False, f"{len(phbs)}")
        return
    ln = d.off("struct pci_controller", "list_node")
    a, b = phbs[0].value_() + ln, phbs[1].value_() + ln
    undo = d.edit([(a, b), (b, a)])
    why = f"hose_list: the entry at 0x{b:x} links back to 0x{a:x}, met before: a cycle"
    out = r.expect(f"{name} hose: tables", ["tables", "--format", "json", *dbg, d.copy], 1,
                   line=f"tce-inspect: {d.copy}: powernv tables: the search stopped early: "
                   f"{why}")
    s = sources(out)
    r.check(f"{name} hose: powernv partial with 2 PHBs, pseries absent",
            s.get("powernv", {}).get("status") == "partial" and
            s["powernv"].get("count") == 2 and s.get("pseries", {}).get("status") == "absent",
            str(s))
    d.restore(undo)


def pseries(r, d, name, dbg):
    import drgn
    from drgn.helpers.linux.list import list_for_each_entry
    phb = next(iter(list_for_each_entry("struct pci_controller",
                                        d.p["hose_list"].address_of_(), "list_node")))
    root = drgn.cast("struct pci_dn *", phb.pci_data)
    kids = list(list_for_each_entry("struct pci_dn", root.child_list.address_of_(), "list"))
    if not kids:
        r.check(f"{name} pci-dn: a device under the PHB", False)
        return
    node = kids[0].value_() + d.off("struct pci_dn", "list")
    undo = d.edit([(node, node)])
    why = (f"a pci_dn's child_list: the entry at 0x{node:x} links back to 0x{node:x}, "
           f"met before: a cycle")
    out = r.expect(f"{name} pci-dn: tables", ["tables", "--format", "json", *dbg, d.copy], 1,
                   line=f"tce-inspect: {d.copy}: pseries tables: the search stopped early: "
                   f"{why}")
    s = sources(out)
    n = len(json.loads(out).get("tables", [])) if out else -1
    r.check(f"{name} pci-dn: pseries partial, the LPAR window found",
            s.get("pseries", {}).get("status") == "partial" and n >= 1, f"{s}, {n} tables")
    d.restore(undo)
    # the device's own child_list made to hold the PHB's pci_dn, its ancestor (whose
    # list, on no parent's list, links to itself): each list's walk sees nothing
    # twice, the tree's set of pci_dn does
    lo = d.off("struct pci_dn", "list")
    h2 = kids[0].child_list.address_of_().value_()
    rl = root.value_() + lo
    if d.u64(rl) != rl or d.u64(h2) != h2:
        r.check(f"{name} pci-dn-up: the PHB's pci_dn on no list, the device's children "
                f"none", False)
        return
    undo = d.edit([(h2, rl)])
    why = f"the pci_dn tree: pci_dn at 0x{root.value_():x} is reached twice: a cycle"
    out = r.expect(f"{name} pci-dn-up: tables", ["tables", "--format", "json", *dbg,
                                                 d.copy], 1,
                   line=f"tce-inspect: {d.copy}: pseries tables: the search stopped early: "
                   f"{why}")
    n = len(json.loads(out).get("tables", [])) if out else -1
    r.check(f"{name} pci-dn-up: the LPAR window once", n == 1, f"{n} tables")
    d.restore(undo)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", help="where the copies go (default: a temporary directory)")
    ap.add_argument("--only", action="append", default=[], help="DUMP to run")
    ap.add_argument("tce")
    ap.add_argument("debug_trees")
    ap.add_argument("dumps")
    args = ap.parse_args()
    try:
        import drgn  # noqa: F401
    except ImportError:
        print("plant-cycles.py: skipped: no drgn (python3-drgn)")
        return 77
    pf = load_plant_faults()
    work = args.work or tempfile.mkdtemp(prefix="tce-cycles-")
    r = Runner(args.tce)
    cases = (("pnv-kvm", pnv_kvm, False), ("pnv-nic", pnv_nic, False),
             ("hash-vga", pseries, False), ("d13-pnv-kvm", no_debug_files, True),
             ("pnv8-kvm-vfio-patched", kvm_vfio, False))
    ran = False
    for name, fn, no_debug in cases:
        if args.only and name not in args.only:
            continue
        d = os.path.join(args.dumps, name)
        try:
            with open(os.path.join(d, "meta.json")) as f:
                meta = json.load(f)
            rel = meta["kernel_release"]
        except (OSError, KeyError, ValueError):
            print(f"== {name}: skipped: no meta.json")
            continue
        dbg_dir = os.path.join(args.debug_trees, rel, "usr", "lib", "debug")
        # a kernel of the project's own build: the vmlinux meta.json names (-s)
        vmlinux = meta.get("vmlinux") or os.path.join(dbg_dir, "boot", "vmlinux-" + rel)
        core = os.path.join(d, "vmcore.elf")
        if not os.path.isfile(core) or not os.path.isfile(vmlinux):
            print(f"== {name}: skipped: no vmcore.elf or no {vmlinux}")
            continue
        ran = True
        print(f"== {name}")
        copy = os.path.join(work, f"{name}.elf")
        dump = Dump(pf, core, vmlinux, dbg_dir, rel, copy)
        try:
            if no_debug:
                # nothing from a file: the kernel's BTF, kallsyms, kvm.ko's split BTF
                fn(r, dump, name, ["--debug-dir", "/nonexistent", "--no-debuginfod"])
            elif meta.get("vmlinux"):
                fn(r, dump, name, ["-s", vmlinux])
            else:
                fn(r, dump, name, ["--debug-dir", dbg_dir])
        finally:
            os.unlink(copy)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    if not ran:
        print("plant-cycles.py: skipped: no dump")
        return 77
    print(f"plant-cycles.py: {r.passed} passed, {r.failed} failed")
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
