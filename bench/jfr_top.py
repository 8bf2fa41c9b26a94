#!/usr/bin/env python3
"""Where the CPU time of a JFR recording went: the jdk.ExecutionSample events, aggregated.

    python3 bench/jfr_top.py RECORDING.jfr [--from HH:MM:SS.fff] [--to HH:MM:SS.fff] [--top 15]

Streams `jfr print --events jdk.ExecutionSample --stack-depth 64` (constant memory whatever the recording's size)
and prints the time of the chunk step's phases on its thread, from Spring Batch's own JFR events (item read,
item process, chunk write, chunk transaction: summed durations, and what is left of the window), then four
tables of sample counts and shares:
  top frames          the method on top of the stack (self time)
  top packages        the package of that method
  calleval frames     the topmost dev.calleval frame of each stack: which of calleval's methods the time was
                      spent under (inclusive); stacks without one are grouped by thread
  threads             the sampled thread's name, digits replaced by N
--from/--to keep the samples whose startTime (as jfr prints it: local wall-clock time of day) lies inside,
e.g. the submit step. jdk.ExecutionSample samples threads running Java code (every 10 ms with settings=profile);
time blocked in native code (socket reads, file writes) is not in it.
"""
import argparse
import collections
import re
import subprocess
import sys

DIGITS = re.compile(r"\d+")


def method_of(frame):
    return frame.split("(", 1)[0].strip()


def package_of(method):
    parts = method.split(".")
    return ".".join(parts[:-2]) if len(parts) > 2 else "(default)"


def samples(recording):
    process = subprocess.Popen(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", recording],
                               stdout=subprocess.PIPE, text=True, bufsize=1 << 20)
    start = thread = None
    frames = []
    in_stack = False
    for line in process.stdout:
        line = line.strip()
        if line.startswith("jdk.ExecutionSample {"):
            start, thread, frames, in_stack = None, None, [], False
        elif line.startswith("startTime = "):
            start = line[len("startTime = "):]
        elif line.startswith("sampledThread = "):
            thread = line[len("sampledThread = "):].split('"')[1] if '"' in line else line
        elif line.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and line == "]":
            in_stack = False
        elif in_stack and line and line != "...":
            frames.append(line)
        elif line == "}" and start is not None:
            yield start, thread or "?", frames
            start = None
    if process.wait() != 0:
        sys.exit("jfr print failed on " + recording)


BATCH_EVENTS = "org.springframework.batch.core.observability.jfr.events.step.chunk."
UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0}


def seconds(text):
    value, unit = text.split()[:2]
    return float(value) * UNITS.get(unit, 1.0)


def batch_phases(recording, start, end):
    """Summed duration and count per Spring Batch chunk event name inside the window."""
    names = ["ItemReadEvent", "ItemProcessEvent", "ChunkWriteEvent", "ChunkTransactionEvent"]
    process = subprocess.Popen(["jfr", "print", "--stack-depth", "1", "--events",
                                ",".join(BATCH_EVENTS + n for n in names), recording],
                               stdout=subprocess.PIPE, text=True, bufsize=1 << 20)
    totals = collections.OrderedDict((n, [0.0, 0]) for n in names)
    name = at = None
    for line in process.stdout:
        line = line.strip()
        if line.startswith(BATCH_EVENTS) and line.endswith("{"):
            name, at = line[len(BATCH_EVENTS):].split()[0], None
        elif line.startswith("startTime = "):
            at = line[len("startTime = "):]
        elif line.startswith("duration = ") and name in totals:
            if not ((start and at < start) or (end and at > end)):
                totals[name][0] += seconds(line[len("duration = "):])
                totals[name][1] += 1
    process.wait()
    return totals


def window_seconds(start, end):
    def parse(t):
        h, m, s = t.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)
    return parse(end) - parse(start) if start and end else None


def print_phases(totals, start, end):
    window = window_seconds(start, end)
    if not any(count for _, count in totals.values()):
        return
    print("Chunk step phases (Spring Batch JFR events, summed on the step's thread)")
    labels = {"ItemReadEvent": "read (CSV)", "ItemProcessEvent": "process (mapping, validation)",
              "ChunkWriteEvent": "write (ledger, in the transaction)",
              "ChunkTransactionEvent": "chunk transactions (read + process + write + commit)"}
    for name, (total, count) in totals.items():
        share = " %5.1f %%" % (100 * total / window) if window else ""
        print("  %8.2f s%s  %6d x  %s" % (total, share, count, labels[name]))
    if window:
        rest = window - totals["ChunkTransactionEvent"][0]
        print("  %8.2f s %5.1f %%           outside the chunk transactions (after-commit hand-off to the"
              % (rest, 100 * rest / window))
        print("                                   submitters, waiting for a free in-flight slot, step end)")
    print()


def print_table(title, counter, total, top):
    print("%s (samples, share)" % title)
    for name, count in counter.most_common(top):
        print("  %6d  %5.1f %%  %s" % (count, 100.0 * count / total, name))
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording")
    parser.add_argument("--from", dest="start", help="earliest startTime kept, HH:MM:SS.fff")
    parser.add_argument("--to", dest="end", help="latest startTime kept, HH:MM:SS.fff")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()

    frames_self, packages, ours, threads = (collections.Counter() for _ in range(4))
    total = seen = 0
    for start, thread, frames in samples(args.recording):
        seen += 1
        # "HH:MM:SS.fff" compares as text; recordings spanning midnight are not handled
        if (args.start and start < args.start) or (args.end and start > args.end) or not frames:
            continue
        total += 1
        top = method_of(frames[0])
        frames_self[top] += 1
        packages[package_of(top)] += 1
        thread_group = DIGITS.sub("N", thread)
        threads[thread_group] += 1
        mine = next((method_of(f) for f in frames if f.startswith("dev.calleval.")), None)
        ours[mine or "(no calleval frame) thread " + thread_group] += 1
    window = ""
    if args.start or args.end:
        window = " between %s and %s" % (args.start or "start", args.end or "end")
    print_phases(batch_phases(args.recording, args.start, args.end), args.start, args.end)
    print("Profile: %d jdk.ExecutionSample events%s (of %d in the recording)" % (total, window, seen))
    print()
    if total == 0:
        return
    print_table("Top %d frames, self" % args.top, frames_self, total, args.top)
    print_table("Top %d packages, self" % args.top, packages, total, args.top)
    print_table("Top %d calleval frames, inclusive (topmost dev.calleval frame of each stack)" % args.top, ours,
                total, args.top)
    print_table("Threads", threads, total, 8)


if __name__ == "__main__":
    main()
