#!/usr/bin/env python3
"""Runs one group of bench scripts in turn and prints a summary table: each script's exit code, time and the
results file it wrote (each script prints its own full table as it goes).

    bench/benchmarks.sh  [--quick] [--only b1,b3]   B1-B5 (issue 7's sizes: about an hour; --quick: a few minutes)
    bench/reliability.sh [--quick] [--only r1,r2]   R1-R4 (about 20 minutes; --quick: a few minutes)

Exit code: 0 when every script exited 0, else 1. A script that fails does not stop the others.
"""
import argparse
import subprocess
import sys
import time

import benchlib as b

GROUPS = {
    "benchmarks": [("b1", "B1 goodput", "b1-goodput.sh", ["--baseline-calls", "100"]),
                   ("b2", "B2 throughput", "b2-throughput.sh", []),
                   ("b3", "B3 memory", "b3-memory.sh", []),
                   ("b4", "B4 webhook intake, reconciliation", "b4-webhooks.sh", []),
                   ("b5", "B5 restart", "b5-restart.sh", [])],
    "reliability": [("r1", "R1 crash", "r1-crash.sh", []),
                    ("r2", "R2 faults", "r2-faults.sh", []),
                    ("r3", "R3 bad input", "r3-bad-input.sh", []),
                    ("r4", "R4 webhook attacks", "r4-webhook-attacks.sh", [])],
}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("group", choices=sorted(GROUPS))
    p.add_argument("--quick", action="store_true", help="pass --quick to every script")
    p.add_argument("--only", default="", help="comma-separated ids, e.g. b1,b3")
    a = p.parse_args(argv)
    only = {x.strip().lower() for x in a.only.split(",") if x.strip()}
    b.ensure_jar()  # build once, before the first script
    rows, failed = [], False
    for key, name, script, full_args in GROUPS[a.group]:
        if only and key not in only:
            continue
        cmd = [str(b.BENCH_DIR / script), *(["--quick"] if a.quick else full_args)]
        b.log(f"{name}: {' '.join(cmd)}")
        start = time.monotonic()
        rc = subprocess.run(cmd).returncode
        seconds = time.monotonic() - start
        failed |= rc != 0
        newest = sorted(b.RESULTS_DIR.glob(f"{script[:-3]}*"), key=lambda f: f.stat().st_mtime)
        written = newest[-1].relative_to(b.ROOT) if newest and newest[-1].stat().st_mtime >= time.time() - seconds else "-"
        rows.append([name, " ".join(cmd[1:]) or "-", rc, f"{seconds:.0f} s", written])
    print()
    print(b.table(["group", "options", "exit", "time", "table written to"], rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
