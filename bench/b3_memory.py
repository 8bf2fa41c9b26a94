#!/usr/bin/env python3
"""B3 memory: a generated N-row manifest (default 1,000,000) run with -Xmx256m against a standalone sandbox
(latency 0, no rate limit). Prints rows, wall time, exit code, peak RSS, heap in use after GC pauses (an upper
bound of live data) and summary.json's counts.

What is measured: one ``java -Xmx<heap> -jar target/calleval.jar run <job>`` process from launch to exit (submit
step + one reconcile pass + report), wrapped in ``/usr/bin/time -v`` ("Maximum resident set size"); its VmHWM is
also polled from /proc. Without --webhooks the sandbox sends no webhooks, so the calls end "waiting for result".
Side by side, the same sandbox then receives the first --baseline-rows rows from bench/baseline_sequential.py (the
requests.post loop of B1), whose peak RSS and rate are printed with its time for all rows, extrapolated.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import benchlib as b


def gc_after_mb(gc_log: str) -> tuple:
    """(median, max) heap occupancy after a collection, in MB, from -Xlog:gc lines like ``... 120M->30M(256M) 5.1ms``.
    The max of young pauses counts old-generation garbage not yet collected, so it bounds live data from above; the
    median shows the steady state."""
    after = []
    if os.path.exists(gc_log):
        with open(gc_log, errors="replace") as f:
            for line in f:
                m = re.search(r"(\d+)([KMG])->(\d+)([KMG])\((\d+)[KMG]\)", line)
                if m:
                    after.append(int(m.group(3)) * {"K": 1 / 1024, "M": 1, "G": 1024}[m.group(4)])
    after.sort()
    return (after[len(after) // 2], after[-1]) if after else (0.0, 0.0)


def run_baseline(manifest, url, rows, work) -> dict:
    """bench/baseline_sequential.py over the first ROWS rows under /usr/bin/time -v: its JSON plus max_rss_kb."""
    b.log(f"baseline: requests.post loop over {rows:,} rows ...")
    time_file = work / "baseline-time.txt"
    out = subprocess.run(["/usr/bin/time", "-v", "-o", str(time_file), sys.executable,
                          str(b.BENCH_DIR / "baseline_sequential.py"), str(manifest), "--base-url", url,
                          "--api-key", b.API_KEY, "--calls", str(rows), "--job-name", "b3-baseline"],
                         check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_file.read_text())
    result["max_rss_kb"] = int(m.group(1)) if m else 0
    return result


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--heap", default="256m", help="-Xmx of the run (default 256m)")
    p.add_argument("--max-in-flight", type=int, default=16)
    p.add_argument("--chunk-size", type=int, default=100)
    p.add_argument("--sandbox-heap", default="12g",
                   help="-Xmx of the sandbox process, which keeps every call in memory (4g ran out at 667,000 calls)")
    p.add_argument("--webhooks", action="store_true",
                   help="the sandbox sends signed webhooks to the run, which waits up to --wait-for-results for them")
    p.add_argument("--wait-for-results", default="30m", help="with --webhooks (default 30m)")
    p.add_argument("--baseline-rows", type=int, default=20_000,
                   help="rows the requests.post loop sends afterwards, for its RSS and rate (default 20,000; 0 = none)")
    p.add_argument("--quick", action="store_true", help="5,000 rows (< 1 minute)")
    p.add_argument("--keep", action="store_true", help="keep the work directory (manifest, database, reports, logs)")
    a = p.parse_args(argv)
    if a.quick:
        a.rows, a.baseline_rows = 5_000, min(a.baseline_rows, 500)
    work = b.workdir("b3", a.keep)
    t = time.monotonic()
    manifest, _ = b.write_manifest(work / "data", a.rows)
    b.log(f"manifest of {a.rows:,} rows generated in {time.monotonic() - t:.1f} s")
    server_port = b.free_port()
    flags = ["--latency-ms", "0"]
    if a.webhooks:
        flags += ["--webhook-url", f"http://127.0.0.1:{server_port}/webhooks/bluejay", "--webhook-secret-env", "BENCH_WEBHOOK_SECRET"]
    with b.Sandbox(*flags, heap=a.sandbox_heap, log_path=work / "sandbox.log") as sandbox:
        job = b.bench_job(work / "b3-memory.yaml", "b3-memory", manifest, work / "reports", max_in_flight=a.max_in_flight,
                          chunk_size=a.chunk_size)
        env = b.app_env(sandbox.url, b.db_url(work), server_port, b.WEBHOOK_SECRET if a.webhooks else None)
        gc_log = work / "gc.log"
        args = ["run", job] + (["--wait-for-results", a.wait_for_results] if a.webhooks else [])
        time_v = os.path.exists("/usr/bin/time")
        run_log = work / "run.log"
        b.log(f"run: java -Xmx{a.heap} -jar calleval.jar run {job.name}  ({a.rows:,} rows)")
        t0 = time.monotonic()
        proc = b.start_app(args, env, run_log, cwd=work, heap=a.heap, java_opts=[f"-Xlog:gc:file={gc_log}"],
                           wrap=["/usr/bin/time", "-v", "-o", str(work / "time.txt")] if time_v else [])
        watch = b.MemoryWatch(b.java_child(proc.pid) or proc.pid)
        watch.start()
        last = time.monotonic()
        while proc.poll() is None:
            time.sleep(0.5)
            if time.monotonic() - last > 30:
                last = time.monotonic()
                b.log(f"  {sandbox.stats()['evaluate_accepted']:,} accepted so far, {watch.peak_kb / 1024:.0f} MB peak RSS")
        wall = time.monotonic() - t0
        watch.join(2)
        code = proc.returncode
        max_rss_kb = 0
        if time_v and (work / "time.txt").exists():
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", (work / "time.txt").read_text())
            max_rss_kb = int(m.group(1)) if m else 0
        stats = sandbox.stats()  # before the baseline adds its calls
        baseline = run_baseline(manifest, sandbox.url, min(a.baseline_rows, a.rows), work) if a.baseline_rows else None
        text = run_log.read_text(errors="replace")
        oom = "OutOfMemoryError" in text
        s = b.latest_summary(work / "reports", "b3-memory")
        counts = b.get(s, "counts", default={}) or {}
        rows = [
            ("manifest rows", a.rows),
            ("heap limit (-Xmx)", a.heap),
            ("webhooks", "on" if a.webhooks else "off (calls stay waiting for result)"),
            ("exit code", code),
            ("job status", b.get(s, "status", default="(no summary.json)")),
            ("wall time, launch to exit (s)", round(wall, 1)),
            ("rows per second (whole process)", round(a.rows / wall, 1) if wall else 0),
            ("job execution, start to end (s)", b.execution_seconds(s)),
            ("peak RSS, /usr/bin/time -v (MB)", round(max_rss_kb / 1024, 1) if max_rss_kb else "n/a"),
            ("peak RSS, /proc VmHWM poll (MB)", round(watch.peak_kb / 1024, 1)),
            ("heap in use after GC pauses, median / max (MB)", "{:.0f} / {:.0f}".format(*gc_after_mb(gc_log))),
            ("OutOfMemoryError in output", "YES" if oom else "no"),
            ("rows read (summary.json)", b.get(s, "rows_read", default="-")),
            ("counts_add_up", b.get(s, "counts_add_up", default="-")),
            ("submitted by this run", b.get(s, "submitted_this_run", default="-")),
            ("evaluated", b.get(counts, "evaluated", default="-")),
            ("waiting for result", b.get(counts, "waiting_for_result", default="-")),
            ("rejected / failed / in doubt", f"{b.get(counts, 'rejected', default='-')} / {b.get(counts, 'failed', default='-')}"
                                             f" / {b.get(counts, 'in_doubt', default='-')}"),
            ("HTTP attempts (summary.json)", b.get(s, "requests", "attempts", default="-")),
            ("sandbox evaluate accepted", stats["evaluate_accepted"]),
        ]
        if baseline:
            rate = baseline["calls_per_second"] or 0
            rows += [
                (f"baseline (requests.post loop): rows sent", f"{baseline['calls']:,} (answers {baseline['statuses']})"),
                ("baseline: calls/s, peak RSS (MB)", f"{rate:.1f}, {baseline['max_rss_kb'] / 1024:.1f}"),
                (f"baseline: time for {a.rows:,} rows at that rate (min)", round(a.rows / rate / 60, 1) if rate else "-"),
            ]
        notes = [f"command: java -Xmx{a.heap} -jar target/calleval.jar run <job> (rate-limit 0, max-in-flight "
                 f"{a.max_in_flight}, chunk-size {a.chunk_size}); sandbox --latency-ms 0, no --rate-limit, own JVM -Xmx{a.sandbox_heap}",
                 "wall time and RSS cover the whole process: JVM and Spring start, submit step, one reconcile pass, report files"]
        if code != 0 or oom:
            notes.append(f"the run did not complete cleanly: last lines of {run_log}: "
                         + " | ".join(text.strip().splitlines()[-3:]))
        b.publish("b3-memory" + ("-quick" if a.quick else ""),
                  b.header(f"B3 memory — {a.rows:,}-row manifest, -Xmx{a.heap}", sys.argv) + b.figures(rows, notes))
    ok = code == 0 and b.get(s, "counts_add_up") is True and not oom
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
