#!/usr/bin/env python3
"""B2 throughput: CSV -> mapping -> submit -> ledger, unthrottled, against a sandbox with no latency, with a profile.

    bench/b2-throughput.sh [--calls N] [--max-in-flight N] [--chunk-size N] [--quick] [--keep]

One calleval run of N generated calls (default the issue's 100,000) with submit.rate-limit 0 against a fresh sandbox
(--latency-ms 0, no rate limit, no webhooks, --evaluation-delay-ms 3600000: calls stay QUEUED there during the run)
and a fresh durable H2 state store (WRITE_DELAY=0, as calleval's default), under JFR (settings=profile). calls/s =
rows read / submit step time, both from the Spring Batch job repository (BATCH_STEP_EXECUTION of step "submit":
READ_COUNT, END_TIME - START_TIME). Target: >= 3,000 calls/s on 2
cores. Also: the sandbox's view (accepted calls over first-to-last arrival), the CPU seconds of calleval (whole
process, /usr/bin/time) and of the sandbox (/proc during the run), and below the table the CPU seconds per thread group
of the whole calleval process (bench/thread_cpu.py: JIT, GC and native time included, which execution samples miss),
then the top frames, packages and calleval methods of the jdk.ExecutionSample events inside the submit step
(bench/jfr_top.py).
--quick: 5,000 calls; under a minute (its figures are dominated by JIT warm-up).
Defaults: max-in-flight 16, chunk-size 100 (as the job file reference, docs/job-file.md).
JVM options: the JVM's defaults; BENCH_APP_JAVA_OPTS adds options to calleval's, BENCH_SANDBOX_JAVA_OPTS replaces
the sandbox's (docs/bench/b1-b2.md). The header prints both.
"""
import argparse
import datetime
import os
import subprocess
import sys

import benchlib as b


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--calls", type=int, default=100_000)
    p.add_argument("--max-in-flight", type=int, default=16)
    p.add_argument("--chunk-size", type=int, default=100)
    p.add_argument("--quick", action="store_true", help="5,000 calls")
    p.add_argument("--keep", action="store_true", help="keep the work directory (app.jfr, app.log)")
    a = p.parse_args()
    if a.quick:
        a.calls = 5000
    title = b.header(f"B2 throughput - {a.calls} calls, rate-limit 0, {a.max_in_flight} in flight, chunks of {a.chunk_size}, "
                     f"sandbox latency 0, evaluations after 1 h; sandbox JVM options '{' '.join(b.SANDBOX_JAVA_OPTS)}'; calleval JVM options "
                     f"'{' '.join(b.APP_JAVA_OPTS)}'", sys.argv)
    work = b.workdir("b2", a.keep)
    manifest, _ = b.write_manifest(work, a.calls)
    job = b.bench_job(work / "job.yaml", "b2", manifest, work / "reports", max_in_flight=a.max_in_flight, chunk_size=a.chunk_size)
    # evaluations an hour after acceptance: B2 measures submission, and Bluejay evaluates on its own servers, not on
    # the 2 cores calleval has (with the default 300 ms the sandbox built every call's evaluation during the run)
    with b.Sandbox("--latency-ms", 0, "--evaluation-delay-ms", 3_600_000, heap="2g", log_path=work / "sandbox.log") as sandbox:
        b.log(f"calleval: {a.calls} calls, unthrottled, {a.max_in_flight} in flight, chunks of {a.chunk_size} ...")
        sandbox_cpu_before = b.cpu_seconds(sandbox.pid)
        app = b.start_app(["run", job], b.app_env(sandbox.url, b.db_url(work), secret=None), work / "app.log", cwd=work, heap=None,
                          java_opts=[f"-XX:StartFlightRecording=filename={work / 'app.jfr'},settings=profile"],
                          wrap=["/usr/bin/time", "-o", str(work / "time.csv"), "-f", "%e,%U,%S,%M"])
        java = b.java_child(app.pid)
        threads = open(work / "threads.txt", "w")
        sampler = subprocess.Popen([sys.executable, str(b.BENCH_DIR / "thread_cpu.py"), str(java)], stdout=threads) if java else None
        rc = app.wait()
        if sampler:
            sampler.wait()
        sandbox_cpu = b.cpu_seconds(sandbox.pid) - sandbox_cpu_before
        log = sandbox.evaluate_summary()
    if rc != 0:
        b.log(f"calleval exited {rc}; see {work / 'app.log'}")
    step = b.h2_query(work, "SELECT START_TIME, END_TIME, READ_COUNT FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'submit' "
                            "ORDER BY STEP_EXECUTION_ID DESC LIMIT 1")[0]
    ts = lambda s: datetime.datetime.fromisoformat(s[:26])
    start, end = ts(step["START_TIME"]), ts(step["END_TIME"])
    step_s = (end - start).total_seconds()
    read = int(step["READ_COUNT"])
    rate = read / step_s if step_s > 0 else 0.0
    wall, user, system, rss_kb = (float(x) for x in (work / "time.csv").read_text().strip().splitlines()[-1].split(","))
    app_cpu = user + system
    s = b.latest_summary(work / "reports", "b2")
    cores = os.cpu_count()
    rows = [
        ("rows read (submit step)", read),
        ("calls submitted (summary.json)", b.get(s, "submitted_this_run", default="?")),
        ("calls accepted by the sandbox", log["accepted"]),
        ("counts add up, exit code", f"{b.fmt(b.get(s, 'counts_add_up', default='?'))}, {rc}"),
        ("submit step time", f"{step_s:.2f} s"),
        ("calls/s (rows / submit step time)", f"{rate:.0f}"),
        ("target >= 3,000 calls/s", "met" if rate >= 3000 and rc == 0 else "MISSED"),
        ("sandbox: calls/s first to last arrival", f"{log['calls_per_s'] or 0:.0f}"),
        ("calleval process: wall, CPU", f"{wall:.1f} s, {app_cpu:.1f} s (peak RSS {rss_kb / 1024:.0f} MB)"),
        ("sandbox CPU during the run", f"{sandbox_cpu:.1f} s"),
        ("sandbox share of the CPU used", f"{100 * sandbox_cpu / (app_cpu + sandbox_cpu):.0f} %"),
        (f"both processes, of {cores} cores x wall", f"{100 * (app_cpu + sandbox_cpu) / (cores * wall):.0f} %"),
    ]
    notes = ["submit step time: BATCH_STEP_EXECUTION (job repository), START_TIME to END_TIME of step 'submit'",
             "calleval CPU: the whole process (JVM start, Spring context, submit, reconcile pass, report) by /usr/bin/time; "
             "sandbox CPU: /proc/PID/stat utime+stime of the sandbox process over the same run"]
    profile = subprocess.run([sys.executable, str(b.BENCH_DIR / "jfr_top.py"), str(work / "app.jfr"),
                              "--from", start.strftime("%H:%M:%S.%f")[:12], "--to", end.strftime("%H:%M:%S.%f")[:12]],
                             capture_output=True, text=True).stdout
    text = "\n".join([title, b.figures(rows, notes), "", (work / "threads.txt").read_text(), profile])
    b.publish("b2-throughput" + ("-quick" if a.quick else ""), text)
    return rc


if __name__ == "__main__":
    sys.exit(main())
