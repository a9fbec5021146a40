#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/swap-on-open.py SRC DST LINK READY: a dump that changes between two reads of
# it, as a running kernel's memory does.  LINK (a symlink to SRC) is pointed at DST as soon
# as SRC is first opened, i.e. once check --samples has opened it for its first sample,
# so that its later samples read DST.  READY is created once the watch is set; gives up
# after 120 s.  Used by test-live.sh and test-html.sh.
import ctypes
import os
import select
import sys

src, dst, link, ready = sys.argv[1:5]
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(0)
if fd < 0 or libc.inotify_add_watch(fd, src.encode(), 0x20) < 0:    # IN_OPEN
    sys.exit('inotify: %s' % os.strerror(ctypes.get_errno()))
open(ready, 'w').close()
r, _, _ = select.select([fd], [], [], 120)
if r:
    os.read(fd, 4096)
    os.symlink(dst, link + '.new')
    os.replace(link + '.new', link)
