#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/split-loads.py IN OUT [CHUNK]: IN, an ELF vmcore, as OUT with each PT_LOAD cut
into PT_LOADs of CHUNK bytes (default 65536), the data where it was: the same memory
in a file shaped like makedumpfile -E's, whose PT_LOADs are the runs of pages it kept
(tens of thousands on a big host).  What a reader answers must not change; what it
costs to find a physical address's PT_LOAD may.  The data is copied sparse (cp), the
new program headers appended at the end of the file (e_phoff points there); more than
65534 of them are counted as ELF does past 16 bits (e_phnum PN_XNUM, the count in the
sh_info of a section header 0 appended after them)."""
import shutil
import struct
import subprocess
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: split-loads.py IN OUT [CHUNK]")
    src, dst = sys.argv[1], sys.argv[2]
    chunk = int(sys.argv[3]) if len(sys.argv) == 4 else 65536
    with open(src, "rb") as f:
        eh = f.read(64)
        if eh[:4] != b"\x7fELF" or eh[4] != 2:
            sys.exit("split-loads.py: %s: not a 64-bit ELF file" % src)
        e = "<" if eh[5] == 1 else ">"
        phoff, = struct.unpack_from(e + "Q", eh, 32)
        phentsize, phnum = struct.unpack_from(e + "HH", eh, 54)
        if phentsize != 56 or phnum == 0xFFFF:
            sys.exit("split-loads.py: %s: program headers it cannot split" % src)
        f.seek(phoff)
        phs = [struct.unpack(e + "IIQQQQQQ", f.read(56)) for _ in range(phnum)]
    out = []
    for ph in phs:
        typ, flags, off, vaddr, paddr, filesz, memsz, align = ph
        if typ != 1 or memsz <= chunk:
            out.append(ph)
            continue
        for at in range(0, memsz, chunk):
            m = min(chunk, memsz - at)
            fs = max(0, min(m, filesz - at))
            out.append((typ, flags, off + at, vaddr + at, paddr + at, fs, m, align))
    shoff, shnum, = struct.unpack_from(e + "Q", eh, 40)[0], struct.unpack_from(e + "H", eh, 60)[0]
    if len(out) > 0xFFFE and (shoff or shnum):
        sys.exit("split-loads.py: %s has section headers: %d program headers need "
                 "PN_XNUM's section 0" % (src, len(out)))
    subprocess.run(["cp", "--sparse=always", src, dst], check=True)
    with open(dst, "r+b") as f:
        f.seek(0, 2)
        end = (f.tell() + 7) & ~7
        f.truncate(end)
        f.seek(end)
        for ph in out:
            f.write(struct.pack(e + "IIQQQQQQ", *ph))
        f.seek(32)
        f.write(struct.pack(e + "Q", end))
        f.seek(56)
        if len(out) > 0xFFFE:
            # section 0 carries the count: sh_info; e_shnum 1, e_shentsize 64
            sh = end + 56 * len(out)
            f.write(struct.pack(e + "H", 0xFFFF))
            f.seek(40)
            f.write(struct.pack(e + "Q", sh))
            f.seek(58)
            f.write(struct.pack(e + "HHH", 64, 1, 0))
            f.seek(sh)
            f.write(struct.pack(e + "IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, len(out), 0, 0))
        else:
            f.write(struct.pack(e + "H", len(out)))
    print("%s: %d PT_LOADs (from %d program headers)" %
          (dst, sum(1 for p in out if p[0] == 1), len(phs)))


if __name__ == "__main__":
    main()
