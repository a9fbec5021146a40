#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/timed.py N OUT ERR CMD...: runs CMD N times and prints "cpu wall rss_kib": the
least CPU (user + sys of the child, from os.wait4: to the microsecond), the least wall
time (to the millisecond and finer) and the largest peak RSS (the child's ru_maxrss);
the stdout of the last run in OUT, its stderr in ERR.  The timer of bench/check-floor.sh
and bench/scale-bench.sh (best of N)."""
import os
import subprocess
import sys
import time

n, out, err, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
cpu = wall = None
rss = 0
for _ in range(n):
    with open(out, "w") as o, open(err, "w") as e:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=o, stderr=e)
        _, _, ru = os.wait4(p.pid, 0)
        w = time.monotonic() - t0
    c = ru.ru_utime + ru.ru_stime
    cpu = c if cpu is None else min(cpu, c)
    wall = w if wall is None else min(wall, w)
    rss = max(rss, ru.ru_maxrss)
print("%.3f %.3f %d" % (cpu, wall, rss))
