#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/layouts.py [--core DUMP]... DEBUGROOT REL...: prints, with drgn (python3-drgn,
# an implementation independent of libtce's), the layout of the kernel structures the TCE
# table walkers need, as Debian's debug files for release REL describe them (the tree
# fetch-debug.sh lays out: DEBUGROOT/usr/lib/debug/boot/vmlinux-REL and
# .../lib/modules/REL/kernel/...; DEBUGROOT may also be fetch-debug.sh's trees directory,
# then DEBUGROOT/REL is used).  For every structure: its size, which file's DWARF defines it
# (vmlinux or the first module that does: kvmppc_spapr_tce_table is only in kvm.ko), every
# member (anonymous structs and unions expanded, "off.bit:width" for bit fields) and the
# nested paths named below.  --core DUMP (repeatable) also loads each release's vmlinux
# against the first DUMP whose VMCOREINFO OSRELEASE is that release, as the tool will, and
# reports whether it opens, whether kvmppc_spapr_tce_table is found with the vmlinux alone
# and with kvm.ko, and the dump's modules list.  With several releases, a table of every
# offset by release follows ("*" where they differ).  A verification aid for the C type
# provider: never compiled into the project; its output lives in the cache, not in the tree:
#   tests/e2e/layouts.py --core DUMP... ~/.cache/tce-inspect/debug/trees REL... \
#       >~/.cache/tce-inspect/debug/layouts.txt
import os
import sys
import time

import drgn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vmcoreinfo  # noqa: E402

TYPES = [
    # (type, nested paths printed besides the members)
    ("struct kvm", ["arch.spapr_tce_tables", "vm_list", "mm", "memslots", "__memslots", "users_count"]),
    ("struct kvm_arch", ["spapr_tce_tables"]),
    ("struct kvmppc_spapr_tce_table", []),
    ("struct kvmppc_spapr_tce_iommu_table", []),
    ("struct kvm_memslots", []),
    ("struct kvm_memory_slot", []),
    ("struct iommu_table", []),
    ("struct iommu_pool", []),
    ("struct iommu_table_group", []),
    ("struct pnv_phb", ["ioda.pe_array", "ioda.total_pe_num", "ioda.pe_list"]),
    ("struct pnv_ioda_pe", ["table_group.tables"]),
    ("struct pci_controller", ["list_node", "private_data"]),
    ("struct module", ["list", "name", "state", "core_layout", "init_layout", "mem", "kallsyms",
                       "core_kallsyms", "sect_attrs", "notes_attrs", "percpu", "syms", "num_syms"]),
    ("struct module_layout", []),
    ("struct module_memory", []),
    ("struct mod_kallsyms", []),
    ("struct module_sect_attrs", []),
    ("struct module_sect_attr", []),
    ("struct mm_iommu_table_group_mem_t", []),
    ("mm_context_t", ["iommu_group_mem_list"]),
    ("struct mm_struct", ["context", "context.iommu_group_mem_list", "pgd"]),
]

MODULES = [
    "arch/powerpc/kvm/kvm.ko",
    "arch/powerpc/kvm/kvm-hv.ko",
    "drivers/vfio/vfio_iommu_spapr_tce.ko",
    "drivers/vfio/vfio.ko",
    "drivers/vfio/pci/vfio-pci-core.ko",
]

PLATFORM = drgn.Platform(drgn.Architecture.PPC64,
                         drgn.PlatformFlags.IS_64_BIT | drgn.PlatformFlags.IS_LITTLE_ENDIAN)


def load(paths):
    prog = drgn.Program(PLATFORM)
    try:
        prog.load_debug_info(paths)
    except drgn.MissingDebugInfoError as exc:
        print(f"# drgn: {exc}")
    return prog


def size_of(t):
    try:
        return drgn.sizeof(t)
    except (TypeError, ValueError):
        return None


def type_name(t):
    try:
        return t.type_name()
    except (TypeError, ValueError):
        return str(t.kind)


def members(t, base=0, prefix=""):
    """(path, bit offset, bit field size, type) of every member, anonymous ones expanded."""
    for m in t.members:
        off = base + m.bit_offset
        mt = m.type
        if m.name is None:
            und = mt.unqualified()
            while und.kind == drgn.TypeKind.TYPEDEF:
                und = und.type
            if und.kind in (drgn.TypeKind.STRUCT, drgn.TypeKind.UNION):
                yield from members(und, off, prefix)
                continue
        yield prefix + (m.name or "<anon>"), off, m.bit_field_size, mt


def strip(t):
    t = t.unqualified()
    while t.kind == drgn.TypeKind.TYPEDEF:
        t = t.type.unqualified()
    return t


def path_type(t, path):
    """The type of member PATH ("a.b", "mem[1].size") of struct type T, or None."""
    try:
        for comp in path.split("."):
            name, _, idx = comp.partition("[")
            t = strip(t).member(name).type
            for _ in range(idx.count("]")):
                t = strip(t).type
        return t
    except (LookupError, ValueError, TypeError, AttributeError):
        return None


def show(out, table, prog, origin, tname, paths):
    t = prog.type(tname)
    und = t
    while und.kind == drgn.TypeKind.TYPEDEF:
        und = und.type
    sz = size_of(und)
    out.append(f"== {tname}  size {sz if sz is not None else '?'} (0x{sz or 0:x})  [{origin}]")
    row = table.setdefault(tname, {})
    row["(size)"] = str(sz)
    out.append(f"   {'offset':>10} {'size':>6}  member  (type)")
    for name, boff, bits, mt in members(und):
        if bits:
            where = f"{boff // 8}.{boff % 8}:{bits}"
            s = "-"
        else:
            where = f"{boff // 8}"
            s = size_of(mt)
            s = "flex" if s is None else str(s)
        out.append(f"   {where:>10} {s:>6}  {name}  ({type_name(mt)})")
        row.setdefault(name, where)
    for p in paths:
        try:
            off = drgn.offsetof(und, p)
        except (LookupError, ValueError, TypeError) as exc:
            out.append(f"   path {p}: absent ({exc.__class__.__name__})")
            continue
        mt = path_type(und, p)
        extra = ""
        if mt is not None:
            s = size_of(mt)
            extra = f" size {s if s is not None else 'flex'} ({type_name(mt)})"
        out.append(f"   path {p}: offset {off} (0x{off:x}){extra}")
        row.setdefault(p, str(off))


def release(root, rel, cores, table):
    core = None
    for c in cores:
        info = vmcoreinfo.vmcoreinfo(c)
        if info and vmcoreinfo.parse(info).get("OSRELEASE") == rel:
            core = c
            break
    if os.path.isdir(os.path.join(root, rel, "usr/lib/debug")):
        root = os.path.join(root, rel)
    dbg = os.path.join(root, "usr/lib/debug")
    vm = os.path.join(dbg, "boot", "vmlinux-" + rel)
    out = [f"#### {rel}", f"# vmlinux: {vm}"]
    t0 = time.time()
    progs = [("vmlinux", load([vm]))]
    out.append(f"# drgn loaded the vmlinux (no core) in {time.time() - t0:.1f}s")
    for m in MODULES:
        p = os.path.join(dbg, "lib/modules", rel, "kernel", m)
        if os.path.exists(p):
            progs.append((os.path.basename(p), load([p])))
        else:
            out.append(f"# no {p}")
    if core:
        t0 = time.time()
        prog = drgn.Program()
        try:
            prog.set_core_dump(core)
            prog.load_debug_info([vm])
            rel_in_core = prog["init_uts_ns"].name.release.string_().decode()
            out.append(f"# drgn: set_core_dump({core}) + load_debug_info([vmlinux]) in "
                       f"{time.time() - t0:.1f}s: init_uts_ns.name.release = {rel_in_core}")
            for extra in ([], [os.path.join(dbg, "lib/modules", rel, "kernel", MODULES[0])]):
                if extra:
                    prog.load_debug_info(extra)
                try:
                    t = prog.type("struct kvmppc_spapr_tce_table")
                    what = f"found, size {drgn.sizeof(t)}"
                except LookupError:
                    what = "LookupError"
                out.append(f"# drgn: prog.type('struct kvmppc_spapr_tce_table') with vmlinux"
                           f"{' + kvm.ko' if extra else ' only'}: {what}")
            try:
                mods = []
                head = prog["modules"].address_of_()
                pos = head.next
                while pos != head and len(mods) < 10000:
                    m = drgn.container_of(pos, "struct module", "list")
                    mods.append(m.name.string_().decode())
                    pos = pos.next
                out.append(f"# drgn: the dump's modules list: {len(mods)} modules"
                           f"{': ' + ' '.join(mods) if mods else ''}")
            except Exception as exc:  # a report, not a test
                out.append(f"# drgn: modules list: {exc.__class__.__name__}: {exc}")
        except Exception as exc:  # a report, not a test: say what happened
            out.append(f"# drgn: {core}: {exc.__class__.__name__}: {exc}")
    out.append("")
    for tname, paths in TYPES:
        found = False
        for origin, prog in progs:
            try:
                prog.type(tname)
            except LookupError:
                continue
            show(out, table, prog, origin, tname, paths)
            found = True
            break
        if found:
            size = size_of(strip(prog.type(tname)))
            also = []
            for o2, p2 in progs:
                if o2 == origin:
                    continue
                try:
                    s2 = size_of(strip(p2.type(tname)))
                except LookupError:
                    continue
                also.append(o2 if s2 == size else f"{o2} (DIFFERENT size {s2})")
            if also:
                out.append(f"   also defined in: {', '.join(also)}")
        if not found:
            out.append(f"== {tname}: in none of vmlinux, {', '.join(os.path.basename(m) for m in MODULES)}")
        out.append("")
    return out


def compare(tables):
    """One line per (type, member or path): its offset in each release; "*" where they differ."""
    rels = list(tables)
    w = max(10, *(len(r) for r in rels))
    print("#### offsets by release (bytes; off.bit:width for bit fields; '-': absent)")
    print(f"{'type':<36} {'member':<32} " + " ".join(f"{r:>{w}}" for r in rels))
    for tname, _ in TYPES:
        keys = []
        for r in rels:
            for k in tables[r].get(tname, {}):
                if k not in keys:
                    keys.append(k)
        for k in keys:
            vals = [tables[r].get(tname, {}).get(k, "-") for r in rels]
            mark = "  *" if len(set(vals)) > 1 else ""
            print(f"{tname:<36} {k:<32} " + " ".join(f"{v:>{w}}" for v in vals) + mark)


def main(argv):
    cores = []
    while len(argv) >= 2 and argv[0] == "--core":
        cores.append(argv[1])
        argv = argv[2:]
    if len(argv) < 2:
        print("usage: layouts.py [--core DUMP]... DEBUGROOT REL...", file=sys.stderr)
        return 2
    root = argv[0]
    tables = {}
    for rel in argv[1:]:
        tables[rel] = {}
        print("\n".join(release(root, rel, cores, tables[rel])))
    if len(tables) > 1:
        compare(tables)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
