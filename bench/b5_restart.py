#!/usr/bin/env python3
"""B5 restart: an N-row run (default 1,000,000; sandbox latency 0, no rate limit) is killed with kill -9 once the
sandbox has accepted half of the calls, then the same job is run again. Measures the time from the restart's launch
to the first NEW evaluate request at the sandbox (the first logged request whose sequence number is after every
request of the killed run), the restart's total run time, and checks 0 lost and duplicates <= calls in doubt.

Sources: kill point and created calls from ``GET /_sandbox/stats`` (``evaluate_accepted``); the first new request from
``GET /_sandbox/requests`` (exact ``received_at``), with a 100 ms stats poll as a cross-check; calls left pending or
in doubt by the crash from ``calleval status`` between the kill and the restart; rows and counts from the restart's
summary.json. Duplicates per source id are counted exactly from the sandbox's call listing when N <= --list-max,
otherwise as evaluate_accepted - accepted rows.
"""
import argparse
import csv
import os
import re
import subprocess
import sys
import threading
import time

import benchlib as b

JOB = "b5-restart"


def pending_after_kill(work, env: dict):
    out = subprocess.run(["java", "-jar", str(b.ensure_jar()), "status", JOB, "--limit", "3"], cwd=work, env=env,
                         capture_output=True, text=True, timeout=600).stdout
    m = re.search(r"(\d+) pending or in doubt", out)
    executions = re.findall(r"^\s+\d+\s+" + JOB + r"\s+(\S+)", out, re.M)
    return (int(m.group(1)) if m else None), (executions[0] if executions else "?")


def flagged_in_doubt(calls_csv: str) -> set:
    """Source ids the restart's calls.csv shows as in doubt (re-sent in doubt, or in_doubt true)."""
    flagged = set()
    if os.path.exists(calls_csv):
        with open(calls_csv, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("disposition") == "IN_DOUBT_RESENT" or row.get("in_doubt") == "true":
                    flagged.add(row.get("source_id"))
    return flagged


class FirstNewEvaluate(threading.Thread):
    """Polls /_sandbox/stats every 100 ms until evaluate_requests exceeds the baseline; keeps the time seen."""

    def __init__(self, sandbox, baseline: int):
        super().__init__(daemon=True)
        self.sandbox, self.baseline, self.seen_at, self.stop = sandbox, baseline, None, False

    def run(self) -> None:
        while not self.stop:
            try:
                if self.sandbox.stats()["evaluate_requests"] > self.baseline:
                    self.seen_at = time.time()
                    return
            except Exception:  # noqa: BLE001 - the sandbox is busy; try again
                pass
            time.sleep(0.1)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--kill-at", type=float, default=0.5, help="fraction of rows accepted at the kill (default 0.5)")
    p.add_argument("--heap", default="1g", help="-Xmx of both runs (default 1g)")
    p.add_argument("--max-in-flight", type=int, default=16)
    p.add_argument("--chunk-size", type=int, default=100)
    p.add_argument("--sandbox-heap", default="12g", help="-Xmx of the sandbox (it keeps every call and the request log)")
    p.add_argument("--list-max", type=int, default=50_000,
                   help="count calls per source id through the call listing up to this many rows (default 50,000)")
    p.add_argument("--db-options", default="", help="appended to the H2 URL (which has WRITE_DELAY=0, as calleval's default)")
    p.add_argument("--quick", action="store_true", help="3,000 rows (< 1 minute)")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    a = p.parse_args(argv)
    if a.quick:
        a.rows, a.sandbox_heap = 3_000, "1g"
    work = b.workdir("b5", a.keep)
    manifest, _ = b.write_manifest(work / "data", a.rows, prefix="b5")
    with b.Sandbox("--latency-ms", "0", heap=a.sandbox_heap, log_path=work / "sandbox.log") as sandbox:
        # poll-after 6h: the restart's reconcile pass leaves the waiting calls alone (polling 1,000,000 calls is B3's matter)
        job = b.bench_job(work / f"{JOB}.yaml", JOB, manifest, work / "reports", max_in_flight=a.max_in_flight,
                          chunk_size=a.chunk_size, poll_after="6h")
        env = b.app_env(sandbox.url, b.db_url(work, a.db_options), secret=None)
        args = ["run", job]

        # 1. the first run, killed at kill_at
        target = int(a.rows * a.kill_at)
        t0 = time.time()
        run1 = b.start_app(args, env, work / "run1.log", cwd=work, heap=a.heap)
        b.log(f"run 1 (pid {run1.pid}): killing it with kill -9 at {target:,} accepted of {a.rows:,}")
        accepted_at_kill = 0
        while True:
            if run1.poll() is not None:
                raise RuntimeError(f"run 1 ended ({run1.returncode}) before {target:,} calls were accepted; see run1.log")
            accepted_at_kill = sandbox.stats()["evaluate_accepted"]
            if accepted_at_kill >= target:
                b.kill(run1)
                killed_at = time.time()
                break
            time.sleep(0.2 if a.rows - accepted_at_kill < 50_000 else 0.5)
        time.sleep(2)
        settled = sandbox.stats()
        baseline_seq = sum(e["requests"] for e in settled["endpoints"].values())
        b.log(f"killed after {killed_at - t0:.1f} s: {accepted_at_kill:,} accepted when the kill was sent, "
              f"{settled['evaluate_accepted']:,} once settled; {baseline_seq:,} requests logged")
        pending, first_status = pending_after_kill(work, env)
        b.log(f"after the kill: {pending} call(s) pending or in doubt; killed execution's status: {first_status}")

        # 2. the restart
        watch = FirstNewEvaluate(sandbox, settled["evaluate_requests"])
        run2_log = work / "run2.log"
        launch = time.time()
        run2 = b.start_app(args, env, run2_log, cwd=work, heap=a.heap)
        watch.start()
        run2.wait()
        ended = time.time()
        watch.stop = True
        b.log(f"restart exited {run2.returncode} after {ended - launch:.1f} s")
        run2_text = run2_log.read_text(errors="replace")
        restarted_instance = "restarting " + JOB in run2_text

        # 3. the first new request, exactly, from the request log
        first_new_eval = first_new_any = None
        try:
            for r in sandbox.requests_log():
                if r["seq"] <= baseline_seq:
                    continue
                t = b.parse_instant(r["received_at"])
                if first_new_any is None:
                    first_new_any = (t, r["endpoint"])
                if r["endpoint"] == "evaluate":
                    first_new_eval = t
                    break
        except Exception as e:  # noqa: BLE001 - report what the poll saw instead
            b.log(f"request log unavailable ({e}); using the stats poll")
        final = sandbox.stats()
        s = b.latest_summary(work / "reports", JOB)
        counts = b.get(s, "counts", default={}) or {}
        accepted_rows = sum(int(b.get(counts, k, default=0) or 0) for k in
                            ("evaluated", "incomplete", "waiting_for_result", "overdue", "already_done"))
        lost = a.rows - accepted_rows
        unflagged = None
        if a.rows <= a.list_max:
            per_source = sandbox.created_per_source()
            duplicates = sum(c - 1 for c in per_source.values())
            missing = a.rows - len(per_source)
            dup_source = f"listing: {len(per_source):,} source ids, {missing} without a call"
            lost = max(lost, missing)
            flagged = flagged_in_doubt(os.path.join(b.get(s, "report_directory", default=""), "calls.csv"))
            unflagged = sorted(sid for sid, c in per_source.items() if c > 1 and sid not in flagged)
        else:
            duplicates = final["evaluate_accepted"] - accepted_rows
            dup_source = "evaluate_accepted - accepted rows"
        in_doubt_bound = pending if pending is not None else a.max_in_flight
        ok = (run2.returncode == 0 and lost == 0 and duplicates <= in_doubt_bound and b.get(s, "counts_add_up") is True
              and not unflagged)

        def since(t):
            return round(t - launch, 2) if t is not None else "none"

        rows = [
            ("rows", a.rows),
            ("run 1: accepted when kill -9 was sent / settled", f"{accepted_at_kill:,} / {settled['evaluate_accepted']:,}"),
            ("run 1: time to the kill (s)", round(killed_at - t0, 1)),
            ("run 1: execution status left in the job repository", first_status),
            ("calls pending or in doubt after the kill (status)", pending if pending is not None else "?"),
            ("restart: same job instance restarted (log says so)", "yes" if restarted_instance else "no: a new instance"),
            ("restart: launch -> first new request of any kind (s)", f"{since(first_new_any[0])} ({first_new_any[1]})" if first_new_any else "none"),
            ("restart: launch -> first NEW evaluate request (s)", since(first_new_eval)),
            ("restart: same, seen by a 100 ms stats poll (s)", since(watch.seen_at)),
            ("restart: total run time, launch to exit (s)", round(ended - launch, 1)),
            ("restart: job execution, start to end (s)", b.execution_seconds(s)),
            ("restart: exit code / status", f"{run2.returncode} / {b.get(s, 'status', default='-')}"),
            ("restart: rows read / counts_add_up", f"{b.get(s, 'rows_read', default='-')} / {b.fmt(b.get(s, 'counts_add_up', default='-'))}"),
            ("restart: already done / submitted by this run", f"{b.get(counts, 'already_done', default='-')} / {b.get(s, 'submitted_this_run', default='-')}"),
            ("restart: re-sent in doubt / HTTP in doubt", f"{b.get(counts, 'in_doubt_resent', default='-')} / {b.get(s, 'requests', 'in_doubt', default='-')}"),
            ("restart: failed / in doubt / rejected", f"{b.get(counts, 'failed', default='-')} / {b.get(counts, 'in_doubt', default='-')} / {b.get(counts, 'rejected', default='-')}"),
            ("sandbox: calls created (evaluate_accepted)", final["evaluate_accepted"]),
            ("lost (rows without an accepted call)", lost),
            (f"duplicates ({dup_source})", duplicates),
            ("duplicates <= in doubt after the kill", "yes" if duplicates <= in_doubt_bound else "NO"),
        ]
        if unflagged is not None:
            rows.append(("duplicated source ids NOT flagged in doubt in calls.csv",
                         f"{len(unflagged)}" + (f" (e.g. {', '.join(unflagged[:3])})" if unflagged else "")))
        notes = [f"command: java -Xmx{a.heap} -jar target/calleval.jar run <job> twice (rate-limit 0, max-in-flight "
                 f"{a.max_in_flight}, chunk-size {a.chunk_size}); sandbox --latency-ms 0, no --rate-limit, no webhooks; "
                 f"CALLEVAL_DB_URL {b.db_url('<dir>', a.db_options)}",
                 "the restart reads the manifest again from its first row; rows accepted before the kill count as already "
                 "done and are not sent, so the time to the first new evaluate includes re-reading and claiming those rows"]
        if not restarted_instance:
            notes.append("kill -9 leaves the killed execution STARTED in the job repository, so `run` starts a new job "
                         "instance instead of restarting it; the ledger still keeps accepted calls from being sent again")
        b.publish("b5-restart" + ("-quick" if a.quick else ""),
                  b.header(f"B5 restart — {a.rows:,} rows, kill -9 at {a.kill_at:.0%}", sys.argv) + b.figures(rows, notes))
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
