#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""fuzz/mutate-real.py: a mutation campaign on real dumps through every subcommand (issue 17).

It takes real ppc64 dumps (the samples in tests/fixtures/*.elf.xz, and the real dumps of
tests/e2e/mkdump.sh's cache, ~/.cache/tce-inspect/dumps/*/vmcore.elf and *.kdump; each
copied into a work directory first: the cache is never written), finds where the things
tce-inspect reads lie from tce-inspect's own JSON (info, vmemmap, tables, entries, page,
types: the vmemmap_list entries and their blocks, struct pages, iommu_table and
kvmppc_spapr_tce_table structures and their levels or pages[], the KVM and VFIO structures
next to them, the module list, kallsyms, BTF, the page tables, mem_section) and from the
file's own headers (ELF: the file header, program headers, PT_LOADs, the VMCOREINFO note;
kdump-compressed: the header, sub-header, bitmaps, page descriptors), and then, for as
long as its budget lasts, writes a few hostile values there (zero, all ones, a pointer to
itself or to another structure, a pointer outside the dump, counts near 2^32 and 2^64,
random bits), cuts the file short, edits VMCOREINFO, or removes a page the walk needs
(a hole: a PT_LOAD shortened, a kdump page's bitmap bit and descriptor removed), and runs
every subcommand on the mutant.  A run is flagged when:

  * a sanitizer reports (ASAN/UBSAN/LSAN exit status 99 here, or a report on stderr);
  * it dies by a signal, or exits with a status tce-inspect(1) does not document
    (0, 1 and 3; 2 only for usage, which never applies here);
  * it exits 3 with other than exactly one line on stderr;
  * it does not end within a hang limit (20x its time on the healthy dump, at least 60 s);
  * its peak RSS is more than 3x its healthy peak plus 512 MiB (ASan's hard_rss_limit_mb
    also caps it at 6 GiB so the machine survives);
  * after a hole, its JSON gives a struct page's fields, a table entry or a page-table
    answer for bytes the mutant no longer holds (a value where the dump holds nothing).

Each flagged run is written to WORK/flagged.jsonl with the mutation (file offsets and
bytes, so `--replay` reproduces it on the same source dump) and the command.  While it
runs, the work directory holds copies of the targets (up to --disk bytes a worker);
mutations are written into a copy and put back after each mutant; the copies are removed
at the end.

Usage: mutate-real.py [--tce PATH] [--budget SECONDS] [--seed N] [--jobs N]
                      [--work DIR] [--cache DIR] [--targets GLOB,...] [--no-cache]
                      [--replay FLAGGED.jsonl] [--max-size BYTES] [--disk BYTES]
  --budget is wall-clock seconds for the whole campaign (default 600); each worker runs
  under nice 10.  Exit status: 0 nothing flagged, 1 something flagged, 2 usage, 77 no
  target.
"""

import argparse
import fnmatch
import glob
import json
import os
import random
import resource
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

K = 0xC000000000000000
VMALLOC = 0xC008000000000000
TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCUMENTED = {0, 1, 3}
SAN_EXIT = 99


def san_env():
    env = dict(os.environ)
    env.pop("DEBUGINFOD_URLS", None)
    supp = os.path.join(TOP, "tests/cli/lsan-libkdumpfile.supp")
    env["ASAN_OPTIONS"] = ("exitcode=%d:hard_rss_limit_mb=6144:allocator_may_return_null=0:"
                           "detect_leaks=1" % SAN_EXIT)
    env["UBSAN_OPTIONS"] = "halt_on_error=1:exitcode=%d:print_stacktrace=1" % SAN_EXIT
    env["LSAN_OPTIONS"] = "exitcode=%d%s" % (SAN_EXIT, (":suppressions=" + supp)
                                              if os.path.exists(supp) else "")
    return env


# ------------------------------------------------------------------ file layouts

class Layout:
    """Where physical memory lies in the file: [(phys, size, file offset)] (a kdump page
    is one range of block_size), and the header regions worth mutating."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            head = f.read(4096)
        self.size = os.path.getsize(path)
        self.ranges = []
        self.headers = []      # (name, file offset, length, width)
        self.vmci = None       # (file offset, length) of the VMCOREINFO text
        if head[:4] == b"\x7fELF":
            self.kind = "elf"
            self._elf(head)
        elif head[:8] == b"KDUMP   ":
            self.kind = "kdump"
            self._kdump()
        else:
            raise ValueError("%s: neither ELF nor kdump-compressed" % path)
        self.ranges.sort()

    def _elf(self, head):
        self.bo = "<" if head[5] == 1 else ">"
        bo = self.bo
        phoff, = struct.unpack_from(bo + "Q", head, 32)
        phentsize, phnum = struct.unpack_from(bo + "HH", head, 54)
        self.headers += [("e_phoff", 32, 8, 8), ("e_phentsize", 54, 2, 2),
                         ("e_phnum", 56, 2, 2), ("e_shoff", 40, 8, 8), ("e_shnum", 60, 2, 2),
                         ("e_ident", 4, 12, 1), ("e_type", 16, 2, 2), ("e_machine", 18, 2, 2)]
        with open(self.path, "rb") as f:
            f.seek(phoff)
            ph = f.read(phentsize * phnum)
            for i in range(phnum):
                o = i * phentsize
                (t, _fl, off, _va, pa, fsz, _msz, _al) = struct.unpack_from(bo + "IIQQQQQQ", ph, o)
                base = phoff + o
                for name, fo, w in (("type", 0, 4), ("offset", 8, 8), ("vaddr", 16, 8),
                                    ("paddr", 24, 8), ("filesz", 32, 8), ("memsz", 40, 8)):
                    self.headers.append(("ph%d.%s" % (i, name), base + fo, w, w))
                if t == 1:
                    self.ranges.append((pa, fsz, off, "ph%d" % i, base))
                elif t == 4:
                    f.seek(off)
                    self._notes(f.read(fsz), off)

    def _notes(self, data, at):
        bo = self.bo
        pos = 0
        while pos + 12 <= len(data):
            nsz, dsz, _t = struct.unpack_from(bo + "III", data, pos)
            self.headers += [("note@%d.namesz" % pos, at + pos, 4, 4),
                             ("note@%d.descsz" % pos, at + pos + 4, 4, 4)]
            name = data[pos + 12:pos + 12 + nsz].rstrip(b"\0")
            d = pos + 12 + ((nsz + 3) & ~3)
            if name == b"VMCOREINFO":
                self.vmci = (at + d, dsz)
            pos = d + ((dsz + 3) & ~3)

    def _kdump(self):
        with open(self.path, "rb") as f:
            h = f.read(464)
            # ppc64 kdump-compressed files are in the dumped machine's byte order; the
            # version field tells which (a small number)
            self.bo = "<" if struct.unpack_from("<I", h, 8)[0] < 0x10000 else ">"
            bo = self.bo
            bs, sub_blocks, bm_blocks = struct.unpack_from(bo + "III", h, 428)
            self.bs = bs
            for name, o, w in (("header.version", 8, 4), ("header.status", 424, 4),
                               ("header.block_size", 428, 4), ("header.sub_hdr_size", 432, 4),
                               ("header.bitmap_blocks", 436, 4), ("header.max_mapnr", 440, 4),
                               ("header.nr_cpus", 460, 4)):
                self.headers.append((name, o, w, w))
            for name, o, w in (("sub.phys_base", 0, 8), ("sub.dump_level", 8, 4),
                               ("sub.split", 12, 4), ("sub.start_pfn", 16, 8),
                               ("sub.end_pfn", 24, 8), ("sub.offset_vmcoreinfo", 32, 8),
                               ("sub.size_vmcoreinfo", 40, 8), ("sub.offset_note", 48, 8),
                               ("sub.size_note", 56, 8), ("sub.start_pfn_64", 80, 8),
                               ("sub.end_pfn_64", 88, 8), ("sub.max_mapnr_64", 96, 8)):
                self.headers.append((name, bs + o, w, w))
            f.seek(bs)
            sub = f.read(104)
            voff, vsz, noff, nsz = struct.unpack_from(bo + "QQQQ", sub, 32)
            f.seek(noff)
            self._notes(f.read(min(nsz, 1 << 24)), noff)
            bm = (1 + sub_blocks) * bs
            half = bm_blocks * bs // 2
            self.bitmap = (bm, half)
            f.seek(bm + half)
            bits = f.read(half)
            pd = bm + bm_blocks * bs
            self.pd_off = pd
            f.seek(pd)
            n = 0
            for byte_i, byte in enumerate(bits):
                if not byte:
                    continue
                for b in range(8):
                    if byte >> b & 1:
                        pfn = byte_i * 8 + b
                        self.ranges.append((pfn * bs, bs, None, "pd%d" % n, pd + 24 * n))
                        n += 1
            self.npd = n
            # the data of uncompressed pages can be mutated as memory
            f.seek(pd)
            descs = f.read(24 * n)
            out = []
            for i, r in enumerate(self.ranges):
                off, size, flags, _pf = struct.unpack_from(bo + "QIIQ", descs, 24 * i)
                out.append((r[0], bs, off if flags == 0 and size == bs else None, r[3], r[4]))
            self.ranges = out

    def offset(self, phys, size=8):
        """file offset of physical bytes, or None when the file holds them compressed or
        not at all"""
        lo, hi = 0, len(self.ranges)
        while lo < hi:
            m = (lo + hi) // 2
            if self.ranges[m][0] <= phys:
                lo = m + 1
            else:
                hi = m
        if lo == 0:
            return None
        pa, sz, off, _n, _h = self.ranges[lo - 1]
        if off is None or phys + size > pa + sz:
            return None
        return off + phys - pa

    def range_of(self, phys):
        for r in self.ranges:
            if r[0] <= phys < r[0] + r[1]:
                return r
        return None


def read_at(path, off, n):
    with open(path, "rb") as f:
        f.seek(off)
        return f.read(n)


# ------------------------------------------------------------------ targets

class Target:
    def __init__(self, name, src, debug, tce):
        self.name = name
        self.src = src           # the original (or an xz fixture)
        self.debug = debug       # extra arguments for the commands that take them
        self.tce = tce
        self.copy = None

    def evict(self):
        if self.copy and os.path.exists(self.copy):
            os.unlink(self.copy)

    def prepare(self, work, wid):
        """the worker's private copy (made again after an eviction: the same bytes)"""
        if self.copy and os.path.exists(self.copy):
            return
        d = os.path.join(work, "w%d" % wid)
        os.makedirs(d, exist_ok=True)
        self.copy = os.path.join(d, self.name.replace("/", "_"))
        if not os.path.exists(self.copy) or os.path.getsize(self.copy) == 0:
            if self.src.endswith(".xz"):
                with open(self.copy, "wb") as out:
                    subprocess.run(["xz", "-dc", self.src], stdout=out, check=True)
            else:
                shutil.copyfile(self.src, self.copy)
        self.layout = Layout(self.copy)


def find_targets(args):
    out = []
    for x in sorted(glob.glob(os.path.join(TOP, "tests/fixtures/*.elf.xz"))):
        out.append(Target("fixture:" + os.path.basename(x)[:-7], x, [], args.tce))
    if not args.no_cache:
        for d in sorted(glob.glob(os.path.join(args.cache, "*"))):
            meta = {}
            try:
                meta = json.load(open(os.path.join(d, "meta.json")))
            except (OSError, ValueError):
                pass
            debug = []
            if meta.get("vmlinux") and os.path.exists(meta["vmlinux"]):
                debug = ["--vmlinux", meta["vmlinux"]]
            elif meta.get("debug_tree"):
                dd = os.path.join(meta["debug_tree"], "usr/lib/debug")
                if os.path.isdir(dd):
                    debug = ["--debug-dir", dd]
            for f in ("vmcore.elf", "vmcore.kdump", "vmcore-d1.kdump"):
                p = os.path.join(d, f)
                if os.path.exists(p) and os.path.getsize(p) <= args.max_size:
                    out.append(Target(os.path.basename(d) + "/" + f, p, debug, args.tce))
    if args.targets:
        pats = args.targets.split(",")
        out = [t for t in out if any(fnmatch.fnmatch(t.name, p) for p in pats)]
    else:
        # the scale dumps: millions of entries make each run minutes and gigabytes of JSON
        out = [t for t in out if "-16m" not in t.name]
    return out


# ------------------------------------------------------------------ running

def commands(t, path, prof):
    """every subcommand, as the campaign runs it"""
    dbg = t.debug + ["--no-debuginfod"]
    pfns = prof.get("pfns", [])[:6] or ["0x10"]
    q = ["modules", "vm_list", "hose_list", "vmemmap_list", "mem_section",
         "struct page", "struct iommu_table.it_base", "struct kvm.arch.spapr_tce_tables",
         "struct module.list", "struct kvmppc_spapr_tce_table.pages"]
    return {
        "info": ["info", "--format", "json", *dbg, path],
        "vmemmap": ["vmemmap", "--format", "json", path],
        "page": ["page", "--format", "json", path, *pfns],
        "tables": ["tables", "--format", "json", *dbg, path],
        "entries": ["entries", "--format", "json", *dbg, path],
        "check": ["check", "--format", "json", *dbg, path],
        "check-text": ["check", *dbg, path],
        "types": ["types", "--format", "json", *dbg, path, *q],
    }


def run(tce, argv, timeout, env):
    """(status or -signal or None on timeout, stdout, stderr, seconds, peak RSS KiB)"""
    t0 = time.time()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(["nice", "-n", "10", tce, *argv], stdout=out, stderr=err,
                             env=env, start_new_session=True)
        deadline = t0 + timeout
        status = rss = None
        while True:
            pid, st, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                status = os.waitstatus_to_exitcode(st)
                rss = ru.ru_maxrss
                break
            if time.time() > deadline:
                os.killpg(p.pid, signal.SIGKILL)
                _, st, ru = os.wait4(p.pid, 0)
                rss = ru.ru_maxrss
                break
            time.sleep(0.02)
        p.returncode = 0
        out.seek(0)
        err.seek(0)
        return (status, out.read(), err.read().decode(errors="replace"),
                time.time() - t0, rss)


def profile(t, env):
    """what the healthy copy gives: addresses to mutate, each command's time and RSS"""
    prof = {"addrs": [], "pfns": [], "pages": [], "base": {}}
    path = t.copy

    def j(argv, limit=None):
        st, out, _e, _s, _r = run(t.tce, argv, 600, env)
        if st not in (0, 1):
            return None
        if limit and len(out) > limit:
            # entries of a big table: its first lines are enough
            out = out[:limit]
            cut = out.rfind(b"\n    {")
            return [json.loads(line.rstrip(b",\n ")) for line in out[:cut].split(b"\n")
                    if line.startswith(b"    { ")]
        try:
            return json.loads(out)
        except ValueError:
            return None

    dbg = t.debug + ["--no-debuginfod"]
    add = prof["addrs"].append
    info = j(["info", "--format", "json", *dbg, path]) or {}
    prof["mmu"] = info.get("mmu")
    prof["page_size"] = info.get("page_size") or 65536
    vm = j(["vmemmap", "--format", "json", path]) or {}
    for b in (vm.get("vmemmap") or {}).get("blocks", [])[:64]:
        add(("vmemmap_backing", int(b["entry"], 16), 32))
        add(("vmemmap block", K + int(b["phys"], 16), 256))
    tj = j(["tables", "--format", "json", *dbg, path]) or {}
    for tb in tj.get("tables", []):
        a = int(tb["address"], 16)
        add(("table " + tb["kind"], a, 512))
        if tb.get("base"):
            add(("table base", int(tb["base"], 16), 256))
        for k in ("vm", "phb", "pe"):
            if tb.get(k) and str(tb[k]).startswith("0x"):
                add((k, int(tb[k], 16), 4096))
    ent = j(["entries", "--format", "json", *dbg, path], limit=4 << 20)
    if isinstance(ent, dict):
        ent = ent.get("entries", [])
    for e in (ent or [])[:4000]:
        pg = e.get("page") or {}
        if pg.get("phys"):
            prof["pages"].append(int(pg["phys"], 16))
        if e.get("host_pfn"):
            prof["pfns"].append(e["host_pfn"])
    random.Random(1).shuffle(prof["pfns"])
    ty = j(["types", "--format", "json", *dbg, path, "modules", "vm_list", "hose_list",
            "vmemmap_list", "mem_section", "swapper_pg_dir", "kallsyms_num_syms",
            "kallsyms_names", "kallsyms_offsets", "kallsyms_token_table",
            "kallsyms_token_index", "kallsyms_markers", "__start_BTF", "btf_modules",
            "mmu_psize_defs", "mmu_vmemmap_psize", "init_uts_ns", "init_mm",
            "kallsyms_relative_base"]) or {}
    for q in ty.get("queries", []):
        if q.get("address"):
            add(("symbol " + q["query"], int(q["address"], 16), 256))
            if q["query"] == "swapper_pg_dir":
                prof["pgd"] = int(q["address"], 16)
    for m in ty.get("modules", []):
        if m.get("address"):
            add(("module " + m["name"], int(m["address"], 16), 1024))
    if not prof["pfns"]:
        blocks = (vm.get("vmemmap") or {}).get("blocks", [])
        prof["pfns"] = ["0x10", "0x5000"] + ([hex(int(blocks[0]["phys"], 16) >> 16)] if blocks else [])
    # pointers found inside those structures: the next level of what is walked
    # (table levels, pages[], memslots, page-table pages, lists)
    seen = set()
    for name, va, ln in list(prof["addrs"]):
        off = phys_of(t, prof, va)
        if off is None:
            continue
        data = read_at(t.copy, off, min(ln, 512))
        for i in range(0, len(data) - 7, 8):
            v, = struct.unpack_from(t.layout.bo + "Q", data, i)
            if K <= v < 0xC00D000000000000 and v not in seen and len(seen) < 2000:
                seen.add(v)
                prof["addrs"].append(("-> from " + name, v & ~7, 128))
    # page-table pages on the way to the vmemmap and to the modules (radix)
    for lvl, pa in prof.get("pt_pages", {}).items():
        prof["addrs"].append(("page table", K + pa, prof["page_size"]))
    prof["addrs"] = [a for a in prof["addrs"] if phys_of(t, prof, a[1]) is not None]
    for name, argv in commands(t, path, prof).items():
        st, out, err, secs, rss = run(t.tce, argv, 1200, env)
        prof["base"][name] = (st, secs, rss)
    return prof


def radix(t, prof, va):
    """kernel va -> phys through swapper_pg_dir (book3s64 radix, big-endian entries)"""
    pgd = prof.get("pgd")
    if pgd is None or prof.get("mmu") != "radix":
        return None
    shift = 16 if prof["page_size"] == 65536 else 12
    bits = [13, 9, 9, 5] if shift == 16 else [13, 9, 9, 9]
    shifts = [shift + bits[3] + bits[2] + bits[1], shift + bits[3] + bits[2], shift + bits[3], shift]
    table = pgd - K
    pts = prof.setdefault("pt_pages", {})
    for lvl in range(4):
        idx = (va >> shifts[lvl]) & ((1 << bits[lvl]) - 1)
        o = t.layout.offset(table + idx * 8)
        if o is None:
            return None
        pts[table] = table
        ent, = struct.unpack(">Q", read_at(t.copy, o, 8))
        if not ent & (1 << 63):
            return None
        if ent & (1 << 62):
            size = 1 << shifts[lvl]
            return (ent & 0x01FFFFFFFFFFF000 & ~(size - 1)) + (va & (size - 1))
        table = ent & 0x0FFFFFFFFFFFFF00
    return None


def phys_of(t, prof, va):
    """file offset of a kernel address's bytes in the copy, or None"""
    if K <= va < VMALLOC:
        return t.layout.offset(va - K)
    pa = radix(t, prof, va)
    return None if pa is None else t.layout.offset(pa)


# ------------------------------------------------------------------ mutations

def hostile_values(rnd, t, prof, at_va):
    others = prof["addrs"]
    cands = [0, (1 << 64) - 1, 1 << 63, 1, 0xFFFFFFFF, 0x100000000, 0x7FFFFFFF, 0x80000000,
             1 << 40, (1 << 64) - 8, K, K + 0x3F0000000000, K + (1 << 44) + 0x1000,
             0xC00C000000000000 + rnd.randrange(1 << 40) * 64, VMALLOC + rnd.randrange(1 << 36) * 8,
             at_va, at_va + 8, at_va - 8, rnd.getrandbits(64), rnd.getrandbits(32),
             rnd.randrange(1 << 22), 1 << rnd.randrange(64)]
    if others:
        cands.append(rnd.choice(others)[1])
        cands.append(rnd.choice(others)[1] + 8 * rnd.randrange(-4, 5))
    return rnd.choice(cands)


class Mutant:
    def __init__(self):
        self.patches = []      # (file offset, new bytes)
        self.cut = None        # truncate to
        self.what = []
        self.holes = []        # physical ranges the mutant no longer holds


def mutate(rnd, t, prof):
    L = t.layout
    bo = L.bo
    m = Mutant()
    kinds = (["memory"] * 6 + ["header"] * 2 + ["vmcoreinfo", "hole", "flip", "cut"] +
             (["kdump"] * 4 if L.kind == "kdump" else []))
    for _ in range(rnd.choice([1, 1, 1, 2, 3])):
        kind = rnd.choice(kinds)
        if kind == "memory" and prof["addrs"]:
            name, va, ln = rnd.choice(prof["addrs"])
            a = va + 8 * rnd.randrange(0, max(1, ln // 8))
            o = phys_of(t, prof, a)
            if o is None:
                continue
            v = hostile_values(rnd, t, prof, a)
            w = rnd.choice([8, 8, 8, 4, 2, 1])
            fmt = {8: "Q", 4: "I", 2: "H", 1: "B"}[w]
            # BE where page tables and powernv entries are
            b = ">" if name in ("page table",) or rnd.random() < 0.3 else bo
            m.patches.append((o, struct.pack(b + fmt, v & ((1 << (8 * w)) - 1))))
            m.what.append("%s +0x%x (0x%x) = 0x%x/%d" % (name, a - va, a, v, w))
        elif kind == "header" and L.headers:
            name, o, ln, w = rnd.choice(L.headers)
            if o + ln > L.size:
                continue
            if w == 1:
                i = rnd.randrange(ln)
                m.patches.append((o + i, bytes([rnd.randrange(256)])))
                m.what.append("%s[%d]" % (name, i))
                continue
            old = int.from_bytes(read_at(t.copy, o, w), "little" if bo == "<" else "big")
            v = rnd.choice([0, 1, (1 << (8 * w)) - 1, old + 1, old - 1, old * 2, old // 2,
                            L.size, L.size - 1, L.size + 1, old ^ (1 << rnd.randrange(8 * w)),
                            rnd.getrandbits(8 * w), old + L.size, 1 << (8 * w - 1)])
            v &= (1 << (8 * w)) - 1
            m.patches.append((o, v.to_bytes(w, "little" if bo == "<" else "big")))
            m.what.append("%s 0x%x -> 0x%x" % (name, old, v))
        elif kind == "vmcoreinfo" and L.vmci:
            o, ln = L.vmci
            text = read_at(t.copy, o, ln)
            lines = text.split(b"\n")
            i = rnd.randrange(len(lines))
            line = lines[i]
            if b"=" not in line:
                continue
            k, v = line.split(b"=", 1)
            nv = rnd.choice([b"", b"0", b"-1", b"18446744073709551615", b"ffffffffffffffff",
                             b"4294967296", b"x", v[:-1], v + b"0", b"c000000000000000",
                             b"%x" % rnd.getrandbits(64), b"%d" % rnd.getrandbits(31)])
            new = k + b"=" + nv
            # the same length: the note is not moved (padding with spaces or cut)
            new = (new + b" " * len(line))[:len(line)]
            if rnd.random() < 0.3:
                new = bytes(len(line))      # a line of NULs
            m.patches.append((o + text.find(line), new))
            m.what.append("VMCOREINFO %r -> %r" % (line[:60], new[:60]))
        elif kind == "kdump" and L.kind == "kdump":
            # a page descriptor or a bitmap byte of a page the walk reads
            cands = [a for a in prof["addrs"] if K <= a[1] < VMALLOC] or [("any", K, 0)]
            name, va, _ln = rnd.choice(cands)
            r = L.range_of(va - K) or rnd.choice(L.ranges)
            if rnd.random() < 0.7:
                fo, w = rnd.choice([(0, 8), (8, 4), (12, 4), (16, 8)])
                old = int.from_bytes(read_at(t.copy, r[4] + fo, w), "little" if bo == "<" else "big")
                v = rnd.choice([0, 1, (1 << (8 * w)) - 1, L.size, L.size - 1, old + 1, old - 1,
                                old + L.bs, old * 16, 1 << (8 * w - 1), rnd.getrandbits(8 * w),
                                L.bs, L.bs + 1, L.bs - 1, 1 << 24])
                v &= (1 << (8 * w)) - 1
                m.patches.append((r[4] + fo, v.to_bytes(w, "little" if bo == "<" else "big")))
                m.what.append("%s: page descriptor of 0x%x +%d 0x%x -> 0x%x" % (name, r[0], fo, old, v))
            else:
                bm, half = L.bitmap
                pfn = r[0] // L.bs
                at = bm + rnd.choice([0, half]) + pfn // 8
                m.patches.append((at, bytes([rnd.randrange(256)])))
                m.what.append("%s: bitmap byte of pfn 0x%x" % (name, pfn))
        elif kind == "hole":
            hole_mutation(rnd, t, prof, m)
        elif kind == "flip":
            for _ in range(rnd.choice([1, 4, 32])):
                o = rnd.randrange(min(L.size, 1 << 20)) if rnd.random() < 0.5 else rnd.randrange(L.size)
                m.patches.append((o, bytes([rnd.randrange(256)])))
            m.what.append("random bytes")
        elif kind == "cut":
            m.cut = rnd.choice([rnd.randrange(L.size), rnd.randrange(min(L.size, 1 << 20)),
                                L.size - rnd.randrange(1, 1 << 16)])
            m.what.append("cut at %d of %d" % (m.cut, L.size))
    return m


def hole_mutation(rnd, t, prof, m):
    """a page the walk reads removed from the mutant: its answer must be unknown"""
    L = t.layout
    bo = L.bo
    cands = [("struct page", p) for p in prof["pages"][:200]]
    cands += [(n, a - K) for n, a, _l in prof["addrs"] if K <= a < VMALLOC]
    if not cands:
        return
    name, pa = rnd.choice(cands)
    r = L.range_of(pa)
    if r is None:
        return
    if L.kind == "elf":
        # the PT_LOAD ends at the page before it
        ps = prof["page_size"]
        keep = (pa - r[0]) & ~(ps - 1)
        base = r[4]
        m.patches.append((base + 32, struct.pack(bo + "Q", keep)))
        m.patches.append((base + 40, struct.pack(bo + "Q", keep)))
        m.holes.append((r[0] + keep, r[0] + r[1]))
        m.what.append("hole: %s at 0x%x: %s ends at 0x%x" % (name, pa, r[3], r[0] + keep))
    else:
        # the kdump page's bits cleared and its descriptor taken out (the ones after it
        # moved down, as makedumpfile writes an excluded page)
        pfn = r[0] // L.bs
        bm, half = L.bitmap
        byte_i = pfn // 8
        for base in (bm, bm + half):
            old = read_at(t.copy, base + byte_i, 1)[0]
            m.patches.append((base + byte_i, bytes([old & ~(1 << (pfn % 8))])))
        idx = int(r[3][2:])
        rest = read_at(t.copy, L.pd_off + 24 * (idx + 1), 24 * (L.npd - idx - 1))
        m.patches.append((L.pd_off + 24 * idx, rest))
        m.holes.append((r[0], r[0] + r[1]))
        m.what.append("hole: %s at 0x%x: kdump pfn 0x%x excluded" % (name, pa, pfn))


class Applied:
    """a mutant written into the copy; undo() puts the bytes back"""

    def __init__(self, path, m):
        self.path = path
        self.undo = []
        self.tail = None
        with open(path, "r+b") as f:
            for o, b in m.patches:
                if o < 0 or o >= os.path.getsize(path):
                    continue
                f.seek(o)
                old = f.read(len(b))
                self.undo.append((o, old))
                f.seek(o)
                f.write(b[:len(old)])
        if m.cut is not None:
            size = os.path.getsize(path)
            self.tail = tempfile.NamedTemporaryFile(dir=os.path.dirname(path), delete=False)
            with open(path, "rb") as f:
                f.seek(m.cut)
                shutil.copyfileobj(f, self.tail, 1 << 22)
            self.tail.close()
            self.size = size
            os.truncate(path, m.cut)

    def restore(self):
        if self.tail:
            with open(self.path, "ab") as f, open(self.tail.name, "rb") as t:
                shutil.copyfileobj(t, f, 1 << 22)
            os.unlink(self.tail.name)
            assert os.path.getsize(self.path) == self.size
        with open(self.path, "r+b") as f:
            for o, b in reversed(self.undo):
                f.seek(o)
                f.write(b)


# ------------------------------------------------------------------ judging

def judge(name, res, base, m, ps):
    """the reasons a run is flagged"""
    st, out, err, secs, rss = res
    why = []
    lines = [x for x in err.splitlines() if x.strip()]
    if "Sanitizer" in err or "runtime error" in err or st == SAN_EXIT:
        why.append("sanitizer: " + next((x for x in lines if "ERROR" in x or "runtime error" in x),
                                        lines[0] if lines else "exit 99"))
    elif st is None:
        why.append("hang: killed after %.0f s (healthy: %.1f s)" % (secs, base[1]))
    elif st < 0:
        why.append("signal %d" % -st)
    elif st not in DOCUMENTED:
        why.append("exit %d" % st)
    elif st == 3 and len(lines) != 1:
        why.append("exit 3 with %d stderr lines" % len(lines))
    if rss and base[2] and rss > 3 * base[2] + 512 * 1024:
        why.append("rss %d MiB (healthy %d MiB)" % (rss >> 10, base[2] >> 10))
    if m.holes and st in (0, 1) and name != "check-text":
        try:
            j = json.loads(out)
        except ValueError:
            j = None
        if j is not None:
            for lie in values_in_holes(j, m.holes, ps):
                why.append("value where the dump holds nothing: " + lie)
                break
    return why


def values_in_holes(j, holes, ps):
    """struct pages with fields read from a removed page"""
    def inside(pa):
        return any(lo <= pa < hi for lo, hi in holes)

    def walk(x):
        if isinstance(x, dict):
            p = x.get("phys")
            if isinstance(p, str) and p.startswith("0x") and inside(int(p, 16)):
                for f in ("flags", "refcount", "mapcount"):
                    if x.get(f) is not None:
                        yield "%s=%r of the struct page at %s" % (f, x[f], p)
                        return
            for v in x.values():
                yield from walk(v)
        elif isinstance(x, list):
            for v in x:
                yield from walk(v)
    return walk(j)


# ------------------------------------------------------------------ the campaign

def worker(wid, targets, args, deadline, seed):
    env = san_env()
    rnd = random.Random(seed * 1000 + wid)
    flagged = []
    runs = mutants = 0
    profiles = {}
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    log = open(os.path.join(args.work, "w%d.log" % wid), "a")
    held = []          # targets whose copy is on disk, least recently used first
    streak = 0
    t = None
    while time.time() < deadline:
        if streak <= 0:
            # a target for a while: its copy and profile cost seconds
            t = rnd.choices(targets, weights=[tw for _t, tw in targets])[0][0]
            streak = rnd.randrange(10, 40)
            if t in held:
                held.remove(t)
            held.append(t)
            while sum(os.path.getsize(h.src) for h in held) > args.disk and len(held) > 1:
                held.pop(0).evict()
        streak -= 1
        t.prepare(args.work, wid)
        if t.name not in profiles:
            t0 = time.time()
            profiles[t.name] = profile(t, env)
            print("w%d profiled %s: %d places, %.0f s" % (wid, t.name, len(profiles[t.name]["addrs"]),
                                                         time.time() - t0), file=log, flush=True)
        prof = profiles[t.name]
        m = mutate(rnd, t, prof)
        if not m.patches and m.cut is None:
            continue
        mutants += 1
        ap = Applied(t.copy, m)
        try:
            for name, argv in commands(t, t.copy, prof).items():
                if time.time() >= deadline:
                    break
                # (a command the healthy dump refuses still runs: it must not crash)
                base = prof["base"][name]
                limit = max(60, 20 * base[1])
                res = run(t.tce, argv, limit, env)
                runs += 1
                why = judge(name, res, base, m, prof["page_size"])
                if why:
                    rec = {"target": t.name, "source": t.src, "command": name,
                           "argv": argv, "why": why, "mutation": m.what,
                           "patches": [(o, b.hex()) for o, b in m.patches], "cut": m.cut,
                           "status": res[0], "stderr": res[2][-3000:]}
                    flagged.append(rec)
                    with open(os.path.join(args.work, "flagged.jsonl"), "a") as f:
                        f.write(json.dumps(rec) + "\n")
                    print("FLAG %s %s: %s [%s]" % (t.name, name, "; ".join(why),
                                                   " | ".join(m.what)), file=log, flush=True)
        finally:
            ap.restore()
        if mutants % 25 == 0:
            print("w%d: %d mutants, %d runs, %d flagged" % (wid, mutants, runs, len(flagged)),
                  file=log, flush=True)
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (mutants, runs, len(flagged), cpu.ru_utime + cpu.ru_stime - cpu0.ru_utime - cpu0.ru_stime)


def replay(args):
    env = san_env()
    bad = 0
    for line in open(args.replay):
        rec = json.loads(line)
        src = rec["source"]
        work = tempfile.mkdtemp(dir=args.work)
        t = Target(rec["target"], src, [], args.tce)
        t.prepare(work, 0)
        m = Mutant()
        m.patches = [(o, bytes.fromhex(b)) for o, b in rec["patches"]]
        m.cut = rec["cut"]
        ap = Applied(t.copy, m)
        argv = [t.copy if a.endswith(os.path.basename(t.copy)) else a for a in rec["argv"]]
        res = run(args.tce, argv, 600, env)
        print("%s %s: exit %s, %.1f s: %s" % (rec["target"], rec["command"], res[0], res[3],
                                              res[2].strip().splitlines()[:3]))
        ap.restore()
        shutil.rmtree(work)
        bad += res[0] not in DOCUMENTED or "Sanitizer" in res[2]
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tce", default=os.environ.get("TCE_INSPECT", "cli/tce-inspect"))
    ap.add_argument("--budget", type=float, default=600)
    ap.add_argument("--seed", type=int, default=20261127)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--work", default=None)
    ap.add_argument("--cache", default=os.path.join(os.environ.get("XDG_CACHE_HOME") or
                                                    os.path.expanduser("~/.cache"),
                                                    "tce-inspect/dumps"))
    ap.add_argument("--no-cache", action="store_true", help="the fixtures only")
    ap.add_argument("--targets", help="comma-separated globs of target names")
    ap.add_argument("--max-size", type=int, default=3 << 30)
    ap.add_argument("--replay")
    ap.add_argument("--disk", type=int, default=3 << 30,
                    help="bytes of target copies a worker keeps (default 3 GiB)")
    args = ap.parse_args()
    args.tce = os.path.abspath(args.tce)
    if not os.access(args.tce, os.X_OK):
        ap.error("no tce-inspect at %s" % args.tce)
    keep = args.work is not None
    args.work = args.work or tempfile.mkdtemp(prefix="mutate-real.")
    os.makedirs(args.work, exist_ok=True)
    if args.replay:
        return replay(args)
    targets = find_targets(args)
    if not targets:
        print("mutate-real: no target", file=sys.stderr)
        return 77
    # cheap targets more often: a DWARF run costs 5-10x a BTF one
    weighted = [(t, 1 if t.debug else 3) for t in targets]
    print("mutate-real: %d targets, %d jobs, %.0f s, seed %d, work %s" %
          (len(targets), args.jobs, args.budget, args.seed, args.work), flush=True)
    deadline = time.time() + args.budget
    t0 = time.time()
    if args.jobs == 1:
        results = [worker(0, weighted, args, deadline, args.seed)]
    else:
        import multiprocessing
        with multiprocessing.Pool(args.jobs) as pool:
            results = pool.starmap(worker, [(w, weighted, args, deadline, args.seed)
                                            for w in range(args.jobs)])
    mutants = sum(r[0] for r in results)
    runs = sum(r[1] for r in results)
    nflag = sum(r[2] for r in results)
    cpu = sum(r[3] for r in results)
    print("mutate-real: %d mutants, %d runs, %d flagged, %.0f s wall, %.0f s CPU of tce-inspect"
          % (mutants, runs, nflag, time.time() - t0, cpu))
    if nflag:
        print("mutate-real: flagged runs in %s/flagged.jsonl" % args.work)
    # the copies of the targets (gigabytes) go; the logs and flagged.jsonl stay, and
    # --replay works from the sources
    for w in range(args.jobs):
        shutil.rmtree(os.path.join(args.work, "w%d" % w), ignore_errors=True)
    if not keep and not nflag:
        shutil.rmtree(args.work, ignore_errors=True)
    return 1 if nflag else 0


if __name__ == "__main__":
    sys.exit(main())
