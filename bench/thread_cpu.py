#!/usr/bin/env python3
"""CPU seconds per thread group of a running process, from /proc, until it exits.

    python3 bench/thread_cpu.py PID [--interval 0.5] [--top 12]

Polls /proc/PID/task/*/stat every --interval seconds and keeps, per thread, the last utime + stime seen (a
thread that ends between two polls loses at most one interval). When the process is gone, prints the CPU
seconds per thread group: the thread name (/proc comm, which Linux cuts at 15 characters) with digits replaced by
N, e.g. "submit-N-N", "GC Thread#N"; "java" is the main thread, "C1"/"C2 CompilerThre" the JIT compilers. This counts what JFR's execution samples miss: JIT
compilation, GC, and time in native code. Run it in the background right after starting the process.
"""
import argparse
import collections
import os
import re
import time

DIGITS = re.compile(r"\d+")
HZ = os.sysconf("SC_CLK_TCK")


def snapshot(pid, into):
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except FileNotFoundError:
        return False
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        into[tid] = (name, int(fields[11]) + int(fields[12]))
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pid", type=int)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    threads = {}
    while snapshot(args.pid, threads):
        time.sleep(args.interval)
    groups = collections.Counter()
    for name, ticks in threads.values():
        if name == "java":
            name = "java (the main thread)"
        elif re.match(r"C[12] Compiler", name):
            name = name[:2] + " JIT compiler threads"
        else:
            name = DIGITS.sub("N", name)
        groups[name] += ticks
    total = sum(groups.values())
    print("CPU by thread of the calleval process (/proc, whole run; %.1f s in all)" % (total / HZ))
    for name, ticks in groups.most_common(args.top):
        print("  %7.1f s  %5.1f %%  %s" % (ticks / HZ, 100.0 * ticks / total if total else 0, name))
    print()


if __name__ == "__main__":
    main()
