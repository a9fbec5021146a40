#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/vmcoreinfo.py [-k KEY]... DUMP...: prints the VMCOREINFO text a dump carries,
# read from the dump itself (never from the tool under test): the ELF note named
# VMCOREINFO of an ELF vmcore (either byte order), or the VMCOREINFO block a
# kdump-compressed dump's sub-header points at (offset_vmcoreinfo, size_vmcoreinfo).
# A DUMP ending in .xz is decompressed on the fly (the repository's samples).  With -k, only
# the values of those keys (OSRELEASE, BUILD-ID, ...), one line per dump: "DUMP VALUE...";
# a key the dump lacks prints "-".  Exit status 1 when a dump has no VMCOREINFO.
# Used by fetch-debug.sh and test-debuginfod.sh to learn each dump's release and build id.
import lzma
import struct
import sys


def _open(path):
    if path.endswith(".xz"):
        return lzma.open(path, "rb")
    return open(path, "rb")


def _elf(f, h):
    e = "<" if h[5] == 1 else ">"
    if h[4] != 2:
        raise ValueError("not a 64-bit ELF")
    phoff, = struct.unpack(e + "Q", h[32:40])
    phentsize, phnum = struct.unpack(e + "HH", h[54:58])
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        p_type, _, p_offset, _, _, p_filesz = struct.unpack(e + "IIQQQQ", f.read(40))
        if p_type != 4:  # PT_NOTE
            continue
        f.seek(p_offset)
        d = f.read(p_filesz)
        j = 0
        while j + 12 <= len(d):
            namesz, descsz, _ = struct.unpack(e + "III", d[j:j + 12])
            j += 12
            name = d[j:j + namesz].rstrip(b"\0")
            j += (namesz + 3) & ~3
            desc = d[j:j + descsz]
            j += (descsz + 3) & ~3
            if name == b"VMCOREINFO":
                return desc.rstrip(b"\0").decode("ascii", "replace")
    return None


def _kdump(f, h):
    # struct disk_dump_header: block_size at 428, sub_hdr_size at 432; the
    # kdump_sub_header (at block_size) holds offset_vmcoreinfo at 32 and
    # size_vmcoreinfo at 40, in the byte order of the machine that wrote the dump.
    for e in "<>":
        block_size, = struct.unpack(e + "i", h[428:432])
        if block_size <= 0 or block_size & (block_size - 1) or block_size > (1 << 20):
            continue
        f.seek(block_size)
        sub = f.read(48)
        off, size = struct.unpack(e + "QQ", sub[32:48])
        if off == 0 or size == 0 or size > (1 << 24):
            continue
        f.seek(off)
        text = f.read(size).rstrip(b"\0").decode("ascii", "replace")
        if "OSRELEASE=" in text:
            return text
    return None


def vmcoreinfo(path):
    with _open(path) as f:
        h = f.read(512)
        if h[:4] == b"\x7fELF":
            return _elf(f, h)
        if h[:8] in (b"KDUMP   ", b"DISKDUMP"):
            return _kdump(f, h)
    return None


def parse(text):
    d = {}
    for line in text.splitlines():
        k, sep, v = line.partition("=")
        if sep:
            d.setdefault(k, v)
    return d


def main(argv):
    keys = []
    paths = []
    it = iter(argv)
    for a in it:
        if a == "-k":
            keys.append(next(it))
        else:
            paths.append(a)
    if not paths:
        print("usage: vmcoreinfo.py [-k KEY]... DUMP...", file=sys.stderr)
        return 2
    rc = 0
    for p in paths:
        try:
            text = vmcoreinfo(p)
        except (OSError, ValueError, struct.error, lzma.LZMAError) as exc:
            print(f"vmcoreinfo.py: {p}: {exc}", file=sys.stderr)
            text = None
        if text is None:
            print(f"vmcoreinfo.py: {p}: no VMCOREINFO", file=sys.stderr)
            rc = 1
            continue
        if keys:
            d = parse(text)
            print(p, *[d.get(k, "-") or "-" for k in keys])
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
