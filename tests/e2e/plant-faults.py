#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/plant-faults.py: faults planted in the bytes of copies of real dumps, and
`tce-inspect check` must name each one (issue 15).

It owns the end-to-end test of `check` on real kernels.  For each cached table dump
(mkdump.sh's pnv-kvm, pnv-kvm-16m, pnv8-kvm, pnv-nic, Debian 13's d13-*, and the
project's patched 6.1 in pnv8-hcall-patched and pnv-vfio-patched: vmcore.elf;
the .kdump forms are not copied) it first runs check on the healthy original: exit 0 and
no finding above info, except on the KVM dumps the KVM-NO-MEMSLOT warnings kvm-tables.c
plants on purpose (guest addresses 0x7f000000000 in liobn 0x80000003 and 0x300000000 +
n * 64K, n = 0..15, in liobn 0x80000002, outside both memslots): exactly one for every
entry the guest's truth.txt lists with slot=none, keyed kvm:pid=P:liobn=L:bus=B.  Hash dumps
without tables (the hotplug recipes, whose list is out of order for real) get the
vmemmap_list faults only.  Then, one fault per copy, it copies vmcore.elf, changes a few
bytes and runs check --baseline ORIGINAL.json --fail-on warning on the copy, which must
exit 1 with exactly one new finding above info, of the expected rule and key:

  refcount0   (KVM dumps, pnv-nic) a page one valid entry maps (and no other entry):
              its struct page's _refcount set to 0 -> TCE-DMA-FREED
  buddy       the same for another such page, put on the free lists as 6.1 encodes it:
              _mapcount = NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE), _refcount 0 -> TCE-DMA-FREED
  itmap       (pnv-nic: e1000e's DMA-API table) a valid entry's it_map bit cleared ->
              TCE-ITMAP-CLEAR (not on the d13-*-vfio dumps: VFIO's tables have no it_map;
              their refcount0 fault takes its entries from drgn-truth.txt)
  noslot      (KVM dumps) one guest-view TCE rewritten to a guest address in no memslot
              (the truth's memslots) -> TCE-KVM-NO-MEMSLOT
  cycle       (hash dumps, where vmemmap_list is the kernel's map) the last
              vmemmap_list entry's next pointed back at the third (a one-entry list: at
              itself) -> TCE-VMEMMAP-CYCLE
  reorder     (hash dumps with two entries or more) two neighbouring entries' (phys,
              virt_addr) swapped -> TCE-VMEMMAP-UNORDERED, and the
              TCE-VMEMMAP-SEED-FALLBACK that follows over the moved blocks' pfns only

pnv8-kvm-vfio-patched (kvm-vfio.c: VFIO groups attached to LIOBNs; its truth has
hwentry lines, and every guest page is pinned by a preregistered region, so a page's
own faults are VFIO's too): noslot as above, and
  hwmismatch  one entry of the second default window behind LIOBN 0x80000001 (which has
              two) made to map another pinned guest page, its it_userspace slot moved
              with it (VFIO's own view stays consistent: the region gives that host page
              for that address, the region's mapped count is unchanged) ->
              TCE-KVM-HW-MISMATCH on the guest's entry at that bus address, nothing else
  hwsub       the same for the sixth of the 16 hardware entries (4K) KVM wrote for one
              64K TCE of LIOBN 0x80000004 -> TCE-KVM-HW-MISMATCH on that TCE
  refcount0   a page one guest entry and one hardware entry (the 64K DDW) map:
              TCE-DMA-FREED on both entries, and TCE-VFIO-UNPINNED on the region's page
and with --model seed2013 (the 2013 seed's contract: a page holds a reference for every
valid entry of a hardware table attached to a LIOBN that maps it): the original exits 0
with no finding; the page the most such entries map (kvm-vfio.c maps guest page 0x100000
35 times over three attached tables) given a _refcount of exactly that count -> only
TCE-VFIO-UNPINNED (it is below the pin's bias), and of one less -> TCE-SEED-REFS too, at
that pfn, keyed by one of the entries mapping it, saying the count and the _refcount

Where the bytes are comes from the truth files (truth.txt: the guest's own list of its
TCEs and the host pfns behind them; drgn-truth.txt / the tables truth: the hardware
entries) and from drgn 0.0.22 with the kernel's DWARF (symbols, structure offsets, the
vmemmap_list walk that locates a struct page), plus this file's own ELF reader (PT_LOADs:
physical address -> file offset; the VMCOREINFO note) and radix page-table walker (it_map
is vmalloc).  Never from tce-inspect: the tool under test is not its own oracle.

Usage: plant-faults.py [--work DIR] [--only DUMP:FAULT] TCE_INSPECT DEBUG_TREES DUMP_DIR...
(DEBUG_TREES: fetch-debug.sh's trees, DEBUG_TREES/RELEASE/usr/lib/debug for each dump's
release as its meta.json says; a dump of the project's patched kernel, pnv8-hcall-patched
and pnv-vfio-patched, is read with the vmlinux its meta.json names instead, -s VMLINUX)
Exit status: 0 all passed, 1 a failure, 77 nothing to do (no dump, no drgn, no debug
tree), 2 usage.
"""

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

LINEAR = 0xc000000000000000


class Elf:
    """The dump's PT_LOADs and VMCOREINFO, read with struct (ELF64, either byte order)."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            eh = f.read(64)
            if eh[:4] != b"\x7fELF" or eh[4] != 2:
                raise ValueError(f"{path}: not an ELF64 file")
            self.bo = "<" if eh[5] == 1 else ">"
            phoff, = struct.unpack_from(self.bo + "Q", eh, 32)
            phentsize, phnum = struct.unpack_from(self.bo + "HH", eh, 54)
            f.seek(phoff)
            ph = f.read(phentsize * phnum)
            self.loads = []
            self.vmcoreinfo = {}
            for i in range(phnum):
                (p_type, _flags, off, _va, pa, filesz, _memsz,
                 _align) = struct.unpack_from(self.bo + "IIQQQQQQ", ph, i * phentsize)
                if p_type == 1:
                    self.loads.append((pa, filesz, off))
                elif p_type == 4:
                    f.seek(off)
                    self._notes(f.read(filesz))

    def _notes(self, data):
        pos = 0
        while pos + 12 <= len(data):
            namesz, descsz, _t = struct.unpack_from(self.bo + "III", data, pos)
            pos += 12
            name = data[pos:pos + namesz].rstrip(b"\0")
            pos += (namesz + 3) & ~3
            desc = data[pos:pos + descsz]
            pos += (descsz + 3) & ~3
            if name == b"VMCOREINFO":
                for line in desc.decode(errors="replace").splitlines():
                    if "=" in line:
                        k, v = line.split("=", 1)
                        self.vmcoreinfo[k] = v

    def offset(self, phys, size=8):
        for pa, filesz, off in self.loads:
            if pa <= phys and phys + size <= pa + filesz:
                return off + phys - pa
        raise ValueError(f"physical 0x{phys:x} is not in {self.path}")

    def read(self, phys, size):
        with open(self.path, "rb") as f:
            f.seek(self.offset(phys, size))
            return f.read(size)

    def number(self, name):
        return int(self.vmcoreinfo[f"NUMBER({name})"], 0)


class Oracle:
    """drgn over the healthy original: symbols, offsets, linear-map reads."""

    def __init__(self, dump, vmlinux):
        import drgn  # noqa: imported late: 77 without it
        self.drgn = drgn
        self.elf = Elf(dump)
        self.page_size = int(self.elf.vmcoreinfo["PAGESIZE"])
        self.shift = self.page_size.bit_length() - 1
        self.prog = drgn.Program()
        self.prog.set_core_dump(dump)
        self.prog.load_debug_info([vmlinux])
        page = self.prog.type("struct page")
        self.page_size_struct = page.size
        self.off_refcount = drgn.offsetof(page, "_refcount")
        self.off_mapcount = drgn.offsetof(page, "_mapcount")
        self.off_compound = drgn.offsetof(page, "compound_head")
        self.blocks = self.vmemmap_list()
        psize = self.prog["mmu_vmemmap_psize"].value_()
        self.block_size = 1 << self.prog["mmu_psize_defs"][psize].shift.value_()
        self.vmemmap = self.prog["vmemmap"].value_()

    def u64(self, phys):
        return struct.unpack(self.elf.bo + "Q", self.elf.read(phys, 8))[0]

    def vmemmap_list(self):
        """[(entry address, phys, virt)] in list order, as the kernel links it"""
        out, seen = [], set()
        e = self.prog["vmemmap_list"]
        while e.value_() and e.value_() not in seen:
            seen.add(e.value_())
            out.append((e.value_(), e.phys.value_(), e.virt_addr.value_()))
            e = e.list
        return out

    def struct_page(self, pfn):
        """physical address of pfn's struct page, through vmemmap_list (or, where the
        kernel keeps none, swapper_pg_dir)"""
        va = self.vmemmap + pfn * self.page_size_struct
        for _e, phys, virt in self.blocks:
            if virt <= va < virt + self.block_size:
                return phys + va - virt
        if not self.blocks:
            # 6.5+ radix keeps no list: the page tables are the vmemmap's only map
            return self.radix_translate(va)
        raise ValueError(f"no vmemmap_list block holds pfn 0x{pfn:x}'s struct page")

    def plain_page(self, pfn):
        """in use, not part of a compound page (then its own _refcount is its reference)"""
        sp = self.struct_page(pfn)
        flags = self.u64(sp)
        head = self.u64(sp + self.off_compound)
        ref = struct.unpack(self.elf.bo + "i", self.elf.read(sp + self.off_refcount, 4))[0]
        return not (head & 1) and not (flags & self.elf.number("PG_head_mask")) and ref > 0

    def radix_translate(self, va):
        """kernel va -> phys through swapper_pg_dir (book3s64 radix, big-endian entries)"""
        bits = [13, 9, 9, 5] if self.shift == 16 else [13, 9, 9, 9]
        shifts = [self.shift + bits[3] + bits[2] + bits[1], self.shift + bits[3] + bits[2],
                  self.shift + bits[3], self.shift]
        table = self.prog.symbol("swapper_pg_dir").address - LINEAR
        for lvl in range(4):
            idx = (va >> shifts[lvl]) & ((1 << bits[lvl]) - 1)
            ent = struct.unpack(">Q", self.elf.read(table + idx * 8, 8))[0]
            if not ent & (1 << 63):
                raise ValueError(f"0x{va:x} is not mapped (level {lvl})")
            if ent & (1 << 62):     # _PAGE_PTE: a leaf
                size = 1 << shifts[lvl]
                return (ent & 0x01fffffffffff000 & ~(size - 1)) + (va & (size - 1))
            table = ent & 0x0fffffffffffff00
        raise ValueError(f"0x{va:x}: no leaf")


def vmm_pid(truth):
    """The VMM's pid the truth's kvm line names: keys name a VM by it (kvm-tables.c
    runs without -name, so tce-inspect has no other name for it)"""
    for k, kv in truth:
        if k == "kvm":
            return int(kv["pid"], 0)
    raise ValueError("the truth has no kvm line")


def read_truth(path):
    """truth.txt records: [(kind, {key: value})]"""
    out = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w or w[0].startswith("#"):
                continue
            out.append((w[0], dict(x.split("=", 1) for x in w[1:] if "=" in x)))
    return out


def num(s):
    return int(s, 0)


def findings(tce, types, dump, out, extra=()):
    """check --format json with the type options TYPES (--debug-dir DIR or -s VMLINUX):
    (exit status, {(id, key): severity} of the findings not accepted by a baseline)"""
    with open(out, "w") as f:
        rc = subprocess.run([tce, "check", "--format", "json", *types,
                             *extra, dump], stdout=f, timeout=1800).returncode
    with open(out) as f:
        doc = json.load(f)
    return rc, {(x["id"], x["key"]): x["severity"] for x in doc["findings"]
                if not x["baselined"]}


class Plan:
    """The faults of one dump: name -> (edits [(phys, bytes)], rule, key); more: other
    findings a fault must have too, by name; pfns: the page a fault changed"""

    def __init__(self):
        self.faults = {}
        self.more = {}
        self.pfns = {}

    def add(self, name, edits, rule, key, also=None):
        self.faults[name] = (edits, rule, key, also)


def kvm_plan(o, truth, plan, incomplete):
    tables = {t["liobn"]: t for k, t in truth if k == "table"}
    slots = [(num(s["gpa"]), num(s["size"])) for k, s in truth if k == "memslot"]
    tcepages = {(t["liobn"], num(t["page"])): num(t["pfn"]) for k, t in truth
                if k == "tcepage"}
    entries = [e for k, e in truth if k == "entry"]
    uses = {}
    for e in entries:
        if e.get("pfn", "").startswith("0x"):
            uses[num(e["pfn"])] = uses.get(num(e["pfn"]), 0) + 1

    def key(e):
        return f"kvm:pid={vmm_pid(truth)}:liobn={e['liobn']}:bus={e['bus']}"

    single = [e for e in entries if e.get("pfn", "").startswith("0x") and
              uses[num(e["pfn"])] == 1 and o.plain_page(num(e["pfn"]))]
    if incomplete:
        # a table the truths list only in part (pnv-kvm-16m's 16M entries map guest
        # memory 256 times over): no page is provably one entry's
        print(f"   refcount0, buddy: not planted: {incomplete}")
        single = []
    elif len(single) < 2:
        raise ValueError("fewer than two pages that one entry alone maps")
    for name, e in (("refcount0", single[0] if single else None),
                    ("buddy", single[len(single) // 2] if single else None)):
        if e is not None:
            plan_page(o, plan, name, e, key(e))
    kvm_noslot(o, truth, plan, tables, slots, tcepages, entries, key)


def plan_page(o, plan, name, e, key):
    """_refcount 0 (and for buddy, PAGE_BUDDY_MAPCOUNT_VALUE) in e's host page"""
    sp = o.struct_page(num(e["pfn"]))
    edits = [(sp + o.off_refcount, struct.pack(o.elf.bo + "i", 0))]
    if name == "buddy":
        edits.append((sp + o.off_mapcount, struct.pack(
            o.elf.bo + "i", o.elf.number("PAGE_BUDDY_MAPCOUNT_VALUE"))))
    plan.add(name, edits, "TCE-DMA-FREED", key)


def kvm_noslot(o, truth, plan, tables, slots, tcepages, entries, key):
    """one guest-view TCE rewritten to a guest address in no memslot"""
    # a guest address in no memslot, aligned to any IOMMU page size
    gpa = 0x7e000000000
    assert all(not (g <= gpa < g + s) for g, s in slots)
    for e in entries:
        if e["slot"] == "none":
            continue
        t = tables[e["liobn"]]
        per = o.page_size // 8
        idx = num(e["index"])
        page = tcepages.get((e["liobn"], idx // per))
        if page is None:
            continue
        where = (page << o.shift) + idx % per * 8
        raw = num(e["raw"])
        if struct.unpack(o.elf.bo + "Q", o.elf.read(where, 8))[0] != raw:
            raise ValueError(f"{key(e)}: the truth's raw 0x{raw:x} is not at 0x{where:x}")
        plan.add("noslot", [(where, struct.pack(o.elf.bo + "Q", gpa | (raw & 3)))],
                 "TCE-KVM-NO-MEMSLOT", key(e))
        assert num(t["page_shift"]) <= 24
        break


def incomplete_listing(d):
    """drgn-truth.txt's tables whose entries it lists only in part, or ''"""
    try:
        recs = read_truth(os.path.join(d, "drgn-truth.txt"))
    except OSError:
        return ""
    part = [t["liobn"] for k, t in recs if k == "kvmtable" and t["listed"] != t["nonzero"]]
    return f"drgn-truth.txt lists liobn {', '.join(part)} in part" if part else ""


def hw_slot(o, drgn_truth, table, bus):
    """(physical address, raw, position) of the hardware entry of TABLE at BUS, through
    drgn-truth.txt's entry and level lines"""
    ent = [e for k, e in drgn_truth if k == "entry" and num(e["table"]) == table and
           num(e["bus"]) == bus]
    if len(ent) != 1:
        raise ValueError(f"table 0x{table:x} bus 0x{bus:x}: {len(ent)} entries in drgn-truth.txt")
    e = ent[0]
    pos, leaf = num(e["idx"]), int(e["levels"]) - 1
    for k, lv in drgn_truth:
        if (k == "level" and num(lv["table"]) == table and int(lv["depth"]) == leaf and
                num(lv["idx"]) <= pos < num(lv["idx"]) + num(lv["size"]) // 8):
            return num(lv["phys"]) + 8 * (pos - num(lv["idx"])), num(e["raw"]), pos
    raise ValueError(f"table 0x{table:x}: no leaf level holds position 0x{pos:x}")


def kvm_vfio_plan(o, d, truth, plan):
    """kvm-vfio.c's dump: a hardware entry behind a LIOBN changed, its VFIO view with it;
    a page one guest entry and one hardware entry map freed"""
    drgn_truth = read_truth(os.path.join(d, "drgn-truth.txt"))
    pid = vmm_pid(truth)
    slot = next(s for k, s in truth if k == "memslot")
    ua0, size = num(slot["ua"]), num(slot["size"])
    hostpage = {num(h["gpa"]): num(h["pfn"]) for k, h in truth if k == "hostpage"}
    gentries = {(e["liobn"], num(e["bus"])): e for k, e in truth if k == "entry"}
    hwe = [h for k, h in truth if k == "hwentry"]
    hw_tables = {}
    for liobn, hw in ((a["liobn"], num(a["hw"])) for k, a in drgn_truth if k == "kvmattach"):
        hw_tables.setdefault(liobn, []).append(hw)
    by_addr = {num(t["address"]): t for k, t in drgn_truth if k == "table" and "address" in t}

    def hw_key(t, bus):
        window = num(t["it_offset"]) << int(t["it_page_shift"])
        return f"iommu:phb={t['phb']}:pe=0x{int(t['pe']):x}:window=0x{window:x}:bus=0x{bus:x}"

    def moved(name, liobn, table, gbus, bus):
        """table's entry at bus (of the guest's TCE at gbus) and its it_userspace slot
        moved to another pinned guest page no entry maps, at the same offset"""
        where, raw, pos = hw_slot(o, drgn_truth, table, bus)
        if struct.unpack(">Q", o.elf.read(where, 8))[0] != raw:
            raise ValueError(f"table 0x{table:x} bus 0x{bus:x}: drgn's raw 0x{raw:x} is not "
                             f"at 0x{where:x}")
        gpa = num(gentries[(liobn, gbus)]["gpa"]) + bus - gbus
        other = size - o.page_size + gpa % o.page_size
        if any(num(e["gpa"]) >> o.shift == other >> o.shift for e in gentries.values()):
            raise ValueError(f"guest page 0x{other:x} is mapped: not a page of its own")
        hpa = hostpage[other - other % o.page_size] * o.page_size + other % o.page_size
        tbl = o.drgn.Object(o.prog, "struct iommu_table", address=table)
        us = tbl.it_userspace.value_()
        if not us or tbl.it_indirect_levels.value_():
            raise ValueError(f"table 0x{table:x}: no one-level it_userspace")
        us_slot = us - LINEAR + 8 * pos
        if struct.unpack(">Q", o.elf.read(us_slot, 8))[0] != ua0 + gpa:
            raise ValueError(f"table 0x{table:x}: it_userspace[0x{pos:x}] is not ua "
                             f"0x{ua0 + gpa:x}")
        plan.add(name, [(where, struct.pack(">Q", hpa | (raw & 3))),
                        (us_slot, struct.pack(">Q", ua0 + other))],
                 "TCE-KVM-HW-MISMATCH", f"kvm:pid={pid}:liobn={liobn}:bus=0x{gbus:x}")

    # LIOBN 0x80000001's second attached table (by drgn's list order), entry 5; the
    # sixth 4K subpage of LIOBN 0x80000004's first 64K TCE
    moved("hwmismatch", "0x80000001", hw_tables["0x80000001"][1], 0x5000, 0x5000)
    moved("hwsub", "0x80000004", hw_tables["0x80000004"][0], 0, 0x5000)
    # refcount0: a page of the DDW's LIOBN one guest entry and one hardware entry map
    uses = {}
    for h in hwe:
        uses[num(h["pfn"])] = uses.get(num(h["pfn"]), 0) + 1
    gl = [e for k, e in truth if k == "entry" and e["pfn"].startswith("0x")]
    for e in gl:
        pfn = num(e["pfn"])
        if (e["liobn"] != "0x80000002" or uses.get(pfn) != 1 or
                sum(1 for x in gl if num(x["pfn"]) == pfn) != 1 or not o.plain_page(pfn)):
            continue
        h = next(h for h in hwe if num(h["pfn"]) == pfn)
        t = by_addr[hw_tables["0x80000002"][0]]
        sp = o.struct_page(pfn)
        plan.add("refcount0", [(sp + o.off_refcount, struct.pack(o.elf.bo + "i", 0))],
                 "TCE-DMA-FREED", f"kvm:pid={pid}:liobn=0x80000002:bus={e['bus']}")
        gpage = num(e["gpa"]) >> o.shift
        plan.more["refcount0"] = {
            ("TCE-DMA-FREED", hw_key(t, num(h["bus"]))),
            ("TCE-VFIO-UNPINNED", f"vfio:region=0x{ua0:x}+0x{size >> o.shift:x}:page=0x{gpage:x}")}
        break


def seed_refs(tce, types, o, d, truth, core, work):
    """check --model seed2013 on kvm-vfio.c's dump: (passed, failed)"""
    hwe = [h for k, h in truth if k == "hwentry"]
    uses = {}
    for h in hwe:
        uses[num(h["pfn"])] = uses.get(num(h["pfn"]), 0) + 1
    pfn, count = max(uses.items(), key=lambda x: (x[1], -x[0]))
    slot = next(s for k, s in truth if k == "memslot")
    ua0, size = num(slot["ua"]), num(slot["size"])
    gpa = next(num(h["gpa"]) for k, h in truth if k == "hostpage" and num(h["pfn"]) == pfn)
    unpinned = ("TCE-VFIO-UNPINNED",
                f"vfio:region=0x{ua0:x}+0x{size >> o.shift:x}:page=0x{gpa >> o.shift:x}")
    buses = {f":bus={h['bus']}" for h in hwe if num(h["pfn"]) == pfn}
    seed = ["--model", "seed2013"]
    passed = failed = 0
    rc, base = findings(tce, types, core, os.path.join(work, "seed.json"), seed)
    if rc == 0 and not base:
        print("ok: seed2013 healthy: exit 0, no finding")
        passed += 1
    else:
        print(f"FAIL: seed2013 healthy: exit {rc}, {sorted(base)}")
        failed += 1
    sp = o.struct_page(pfn)
    ref = struct.unpack(o.elf.bo + "i", o.elf.read(sp + o.off_refcount, 4))[0]
    if not o.plain_page(pfn) or ref <= count:
        print(f"FAIL: seed2013: pfn 0x{pfn:x} is not a plain page above {count} references "
              f"(_refcount {ref})")
        return passed, failed + 1
    for refs in (count, count - 1):
        copy = os.path.join(work, f"seed-{refs}.elf")
        shutil.copyfile(core, copy)
        with open(copy, "r+b") as f:
            f.seek(o.elf.offset(sp + o.off_refcount, 4))
            f.write(struct.pack(o.elf.bo + "i", refs))
        out = os.path.join(work, "seed-fault.json")
        rc, new = findings(tce, types, copy, out, seed)
        os.unlink(copy)
        with open(out) as f:
            doc = json.load(f)
        sr = [x for x in doc["findings"] if x["id"] == "TCE-SEED-REFS"]
        if refs == count:
            ok = rc == 1 and set(new) == {unpinned}
        else:
            ok = (rc == 1 and set(new) - {unpinned} == {(sr[0]["id"], sr[0]["key"])} and
                  unpinned in new and any(sr[0]["key"].endswith(b) for b in buses) and
                  f"pfn 0x{pfn:x} has _refcount {refs}, below the {count} valid entries" in
                  json.dumps(sr[0]))
        what = (f"seed2013 pfn 0x{pfn:x} (mapped by {count} attached hardware entries) "
                f"_refcount {ref} -> {refs}")
        if ok:
            print(f"ok: {what}: exit 1, " + ", ".join(f"{a} [{b}]" for a, b in sorted(new)))
            passed += 1
        else:
            print(f"FAIL: {what}: exit {rc}, {sorted(new)}; SEED-REFS {sr}")
            failed += 1
    return passed, failed


SHARED_MAX = 4      # the PEs after the first a table's key names (TCE_TABLE_SHARED_MAX)


def pe_list(phb, pe, shared):
    """A table's PEs as its key names them: the first (phb, pe), then the others
    that hold it, [(phb, pe)] in the order found (same PHB: +0xPE; another:
    +0xPE@phb=N; past SHARED_MAX: +N-more)"""
    out = f"0x{pe:x}"
    for p, e in shared[:SHARED_MAX]:
        out += f"+0x{e:x}" + ("" if p == phb else f"@phb={p}")
    if len(shared) > SHARED_MAX:
        out += f"+{len(shared) - SHARED_MAX}-more"
    return out


def pes(tables, e):
    """e's table's PEs: its own, then those tables-oracle.py lists as sharing it"""
    t = next((t for t in tables if t["address"] == e["table"]), {})
    shared = [tuple(int(v) for v in x.split(":")) for x in t.get("shared", "").split(",") if x]
    return pe_list(int(e["phb"]), int(e["pe"]), shared)


def nic_plan(o, truth, plan):
    tables = [t for k, t in truth if k == "table"]
    entries = [e for k, e in truth if k == "entry"]
    t = tables[0]
    shift = num(t["it_page_shift"])
    uses = {}
    for e in entries:
        pfn = (num(e["raw"]) & ~((1 << shift) - 1)) >> o.shift
        uses[pfn] = uses.get(pfn, 0) + 1

    def key(e):
        window = num(e["it_offset"]) << num(e["it_page_shift"])
        return (f"iommu:phb={e['phb']}:pe={pes(tables, e)}:window=0x{window:x}"
                f":bus={e['bus']}")

    single = [e for e in entries if e["table"] == t["address"] and
              uses[(num(e["raw"]) & ~((1 << shift) - 1)) >> o.shift] == 1 and
              o.plain_page((num(e["raw"]) & ~((1 << shift) - 1)) >> o.shift)]
    if single:
        e = single[0]
        sp = o.struct_page((num(e["raw"]) & ~((1 << shift) - 1)) >> o.shift)
        plan.add("refcount0", [(sp + o.off_refcount, struct.pack(o.elf.bo + "i", 0))],
                 "TCE-DMA-FREED", key(e))
        plan.pfns["refcount0"] = (num(e["raw"]) & ~((1 << shift) - 1)) >> o.shift
    # it_map: a vmalloc bitmap of unsigned longs, bit idx for entry it_offset + idx
    tbl = o.drgn.Object(o.prog, "struct iommu_table", address=num(t["address"]))
    it_map = tbl.it_map.value_()
    if not it_map:
        return      # a VFIO table: only the DMA API's tables have an it_map
    e = [x for x in entries if x["table"] == t["address"]][len(entries) // 2]
    idx = num(e["idx"])
    word = o.radix_translate(it_map + idx // 64 * 8)
    w = struct.unpack(o.elf.bo + "Q", o.elf.read(word, 8))[0]
    if not w >> (idx % 64) & 1:
        raise ValueError(f"it_map bit 0x{idx:x} of a valid entry is clear in the original")
    plan.add("itmap", [(word, struct.pack(o.elf.bo + "Q", w & ~(1 << (idx % 64))))],
             "TCE-ITMAP-CLEAR", key(e))


def vfio_plan(o, truth, plan):
    """VFIO's SPAPR TCE v2 state (vfio-oracle.py's vfio-truth.txt): an it_userspace
    address moved to another page of its region -> TCE-VFIO-HPA-MISMATCH; a region's
    mapped count one too high -> TCE-VFIO-MAPPED; a large folio's pin count one short ->
    TCE-VFIO-UNPINNED; and refcount0 on a preregistered page also unpins it"""
    tables = {t["address"]: t for k, t in truth if k == "vfiotable"}
    regions = [r for k, r in truth if k == "region"]
    pins = [p for k, p in truth if k == "pin"]
    entries = [e for k, e in truth if k == "vfioentry"]
    uses = {}
    for p in pins:
        uses[num(p["hpa"]) >> o.shift] = uses.get(num(p["hpa"]) >> o.shift, 0) + 1

    def where(p):
        r = next(r for r in regions if r["ua"] == p["region"])
        return (f"vfio:region={r['ua']}+0x{num(r['entries']):x}:"
                f"page=0x{(num(p['ua']) - num(r['ua'])) >> o.shift:x}")

    def key(e):
        t = tables[e["table"]]
        # every PE the container attached it to, in hose_list and pe_list order
        # (PHB, then PE number, as these guests allocate them)
        all_pes = sorted((int(a), int(b, 16)) for a, b in
                         (x.split(":") for x in t["pes"].split(",")))
        phb, pe = all_pes[0]
        window = num(t["it_offset"]) << num(t["it_page_shift"])
        return (f"iommu:phb={phb}:pe={pe_list(phb, pe, all_pes[1:])}:window=0x{window:x}"
                f":bus={e['bus']}")

    if "refcount0" in plan.faults:
        pfn = plan.pfns["refcount0"]
        hit = [p for p in pins if num(p["hpa"]) >> o.shift == pfn]
        if len(hit) == 1:
            plan.more["refcount0"] = {("TCE-VFIO-UNPINNED", where(hit[0]))}
    # one level of it_userspace: the entry's slot is it_userspace + 8 * position
    for e in entries:
        t = tables[e["table"]]
        if t["levels"] != "1" or t["uslevels"] != "1":
            continue
        other = [x for x in entries if x["region"] == e["region"] and x["hpa"] != e["hpa"]
                 and (num(x["ua"]) >> o.shift) != (num(e["ua"]) >> o.shift)]
        if not other:
            continue
        slot = num(t["it_userspace"]) - LINEAR + 8 * (num(e["index"]) - num(t["it_offset"]))
        plan.add("ua", [(slot, struct.pack(">Q", num(other[0]["ua"])))],
                 "TCE-VFIO-HPA-MISMATCH", key(e))
        break
    mem = o.prog.type("struct mm_iommu_table_group_mem_t")
    used = [r for r in regions if num(r["uas"])]
    if used:
        r = used[0]
        at = num(r["mem"]) - LINEAR + o.drgn.offsetof(mem, "mapped")
        plan.add("mapped", [(at, struct.pack(o.elf.bo + "q", num(r["mapped"]) + 1))],
                 "TCE-VFIO-MAPPED", f"vfio:region={r['ua']}+0x{num(r['entries']):x}")
    # a large folio whose pages are each in one region once: the pin count is theirs
    large = [p for p in pins if p["large"] == "1" and uses[num(p["hpa"]) >> o.shift] == 1]
    if large:
        order = num(large[0]["order"])
        head = (num(large[0]["hpa"]) >> o.shift) & ~((1 << order) - 1)
        mine = sorted((p for p in large if (num(p["hpa"]) >> o.shift) >> order == head >> order),
                      key=lambda p: num(p["hpa"]))
        if len(mine) == num(large[0]["pincount"]):
            folio = o.prog.type("struct folio")
            off = o.drgn.offsetof(folio, "_pincount") - o.page_size_struct
            at = o.struct_page(head + 1) + off
            plan.add("pincount", [(at, struct.pack(o.elf.bo + "i", len(mine) - 1))],
                     "TCE-VFIO-UNPINNED", where(mine[0]))


def vmemmap_plan(o, plan):
    blocks = o.blocks
    n = len(blocks)
    if not n:
        raise ValueError("vmemmap_list is empty")
    # the last entry's next back at the third (or the first of a shorter list)
    last = blocks[-1][0] - LINEAR
    plan.add("cycle", [(last, struct.pack(o.elf.bo + "Q", blocks[min(2, n - 1)][0]))],
             "TCE-VMEMMAP-CYCLE", f"entry:{n - 1}")
    if n < 2:
        return
    i = n // 2 - 1
    ty = o.prog.type("struct vmemmap_backing")
    off_phys = o.drgn.offsetof(ty, "phys")
    off_virt = o.drgn.offsetof(ty, "virt_addr")
    a, b = blocks[i], blocks[i + 1]
    assert a[2] > b[2], "the list is not descending"
    ps = o.page_size_struct

    def pfns(blk):
        first = (blk[2] - o.vmemmap) // ps
        return first, (blk[2] + o.block_size - o.vmemmap) // ps - 1

    plan.add("reorder", [
        (a[0] - LINEAR + off_phys, struct.pack(o.elf.bo + "Q", b[1])),
        (a[0] - LINEAR + off_virt, struct.pack(o.elf.bo + "Q", b[2])),
        (b[0] - LINEAR + off_phys, struct.pack(o.elf.bo + "Q", a[1])),
        (b[0] - LINEAR + off_virt, struct.pack(o.elf.bo + "Q", a[2]))],
        "TCE-VMEMMAP-UNORDERED", f"entry:{i + 1}",
        # the 2013 walk, stopping at the first block below the pfn's, gives up over
        # the pfns of the block that moved behind: those pfns only
        ("TCE-VMEMMAP-SEED-FALLBACK", [pfns(a), pfns(b)]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", help="where the copies go (default: a temporary directory)")
    ap.add_argument("--only", action="append", default=[], help="DUMP:FAULT to run")
    ap.add_argument("tce")
    ap.add_argument("debug_trees", help="the trees fetch-debug.sh lays out, one a release")
    ap.add_argument("dumps", nargs="+", help="mkdump.sh's directories")
    args = ap.parse_args()
    try:
        import drgn  # noqa: F401  (is it there; its MissingDebugInfoError below)
    except ImportError:
        print("plant-faults.py: skipped: no drgn (python3-drgn)")
        return 77
    work = args.work or tempfile.mkdtemp(prefix="tce-plant-")
    passed = failed = 0
    ran = False
    for d in args.dumps:
        name = os.path.basename(os.path.normpath(d))
        core = os.path.join(d, "vmcore.elf")
        truth_path = os.path.join(d, "truth.txt")
        try:
            with open(os.path.join(d, "meta.json")) as f:
                meta = json.load(f)
        except OSError:
            continue
        release = meta.get("kernel_release", "")
        mmu = meta.get("guest", {}).get("mmu")
        debug_dir = os.path.join(args.debug_trees, release, "usr", "lib", "debug")
        truth = read_truth(truth_path) if os.path.isfile(truth_path) else None
        # table dumps (6.1 and 6.12: drgn gives each its own offsets), and hash dumps
        # for vmemmap_list
        if not os.path.isfile(core) or not (truth or mmu == "Hash"):
            continue
        vmlinux = meta.get("vmlinux")
        if vmlinux:
            # a kernel of the project's own build (patched-kernel.sh): its vmlinux's
            # DWARF, for drgn and tce-inspect (-s) alike
            if not os.path.isfile(vmlinux):
                print(f"== {name}: skipped: no {vmlinux} (meta.json's vmlinux)")
                continue
            types = ["-s", vmlinux]
        else:
            vmlinux = os.path.join(debug_dir, "boot", "vmlinux-" + release)
            if not os.path.isfile(vmlinux):
                print(f"== {name}: skipped: no vmlinux-{release} under {debug_dir}")
                continue
            types = ["--debug-dir", debug_dir]
        try:
            o = Oracle(core, vmlinux)
        except drgn.MissingDebugInfoError as e:
            # the project's big-endian kernel is built without DWARF (be-kernel.sh):
            # drgn, the oracle, cannot read its dumps
            print(f"== {name}: skipped: drgn cannot read {vmlinux}: "
                  f"{str(e).splitlines()[-1]}")
            continue
        ran = True
        print(f"== {name}")
        base_json = os.path.join(work, f"{name}-healthy.json")
        # the healthy original: only the KVM-NO-MEMSLOT warnings kvm-tables.c plants
        rc, base = findings(args.tce, types, core, base_json)
        above = {f for f, sev in base.items() if sev != "info"}
        if truth is not None:
            want = {("TCE-KVM-NO-MEMSLOT",
                     f"kvm:pid={vmm_pid(truth)}:liobn={e['liobn']}:bus={e['bus']}")
                    for k, e in truth if k == "entry" and e.get("slot") == "none"}
        else:
            want = set()
        if truth is None:
            # a hotplug recipe's list is out of order for real: that is what it shows
            print(f"{name} original: exit {rc}, {sorted(above)} (not a table dump: "
                  f"not required healthy)")
        elif rc != 0 or above != want:
            print(f"FAIL: {name} healthy: exit {rc}; unexpected "
                  f"{sorted(above - want)}, missing {sorted(want - above)}")
            failed += 1
        else:
            print(f"ok: {name} healthy: exit 0, {len(want)} KVM-NO-MEMSLOT warnings "
                  f"(the truth's slot=none entries), nothing else above info")
            passed += 1
        plan = Plan()
        try:
            if truth is not None and any(k == "hwentry" for k, _ in truth):
                # kvm-vfio.c's: every guest page pinned, hardware tables behind LIOBNs
                kvm_noslot(o, truth, plan, {t["liobn"]: t for k, t in truth if k == "table"},
                           [(num(s["gpa"]), num(s["size"])) for k, s in truth if k == "memslot"],
                           {(t["liobn"], num(t["page"])): num(t["pfn"]) for k, t in truth
                            if k == "tcepage"}, [e for k, e in truth if k == "entry"],
                           lambda e: f"kvm:pid={vmm_pid(truth)}:liobn={e['liobn']}:bus={e['bus']}")
                kvm_vfio_plan(o, d, truth, plan)
            elif truth is not None and any(k == "kvm" for k, _ in truth):
                kvm_plan(o, truth, plan, incomplete_listing(d))
            elif truth is not None and any(k == "region" for k, _ in truth):
                # vfio-tables.c's truth (the d13-*-vfio recipes): the hardware side is
                # tables-oracle.py's, as pnv-nic's truth.txt
                nic_plan(o, read_truth(os.path.join(d, "drgn-truth.txt")), plan)
                if os.path.exists(os.path.join(d, "vfio-truth.txt")):
                    vfio_plan(o, read_truth(os.path.join(d, "vfio-truth.txt")), plan)
            elif truth is not None:
                nic_plan(o, truth, plan)
            if mmu == "Hash":
                vmemmap_plan(o, plan)
        except (ValueError, LookupError, AssertionError) as e:
            print(f"FAIL: {name}: cannot plan the faults: {e}")
            failed += 1
            continue
        for fault, (edits, rule, key, also) in plan.faults.items():
            if args.only and f"{name}:{fault}" not in args.only:
                continue
            copy = os.path.join(work, f"{name}-{fault}.elf")
            shutil.copyfile(core, copy)
            with open(copy, "r+b") as f:
                for phys, data in edits:
                    f.seek(o.elf.offset(phys, len(data)))
                    f.write(data)
            # the original's findings accepted by their keys: what is new must fail
            # at warning (KVM-NO-MEMSLOT is one)
            rc, new = findings(args.tce, types, copy, os.path.join(work, "fault.json"),
                               ("--baseline", base_json, "--fail-on", "warning"))
            os.unlink(copy)
            new = {f for f, sev in new.items() if sev != "info"}
            if also:
                # a consequence the fault must have, over the pfns it touched only
                for f in sorted(new):
                    if f[0] != also[0]:
                        continue
                    lo, hi = (int(x, 16) for x in f[1][len("pfn:"):].split("-"))
                    if any(a <= lo and hi <= b for a, b in also[1]):
                        new.discard(f)
                        print(f"   {f[0]} [{f[1]}]: of the blocks it moved")
            want = {(rule, key)} | plan.more.get(fault, set())
            if rc == 1 and new == want:
                print(f"ok: {name} {fault}: exit 1, {rule} [{key}]"
                      + "".join(f", {r} [{k}]" for r, k in sorted(want - {(rule, key)})))
                passed += 1
            else:
                print(f"FAIL: {name} {fault}: exit {rc}, new findings {sorted(new)}, "
                      f"want {sorted(want)}")
                failed += 1
        if truth is not None and any(k == "hwentry" for k, _ in truth) and (
                not args.only or f"{name}:seed2013" in args.only):
            p, f_ = seed_refs(args.tce, types, o, d, truth, core, work)
            passed += p
            failed += f_
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    if not ran:
        print("plant-faults.py: skipped: no table dump with a truth.txt, no hash dump")
        return 77
    print(f"plant-faults.py: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
