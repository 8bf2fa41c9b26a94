#!/usr/bin/env python3
"""B1 goodput: calleval against a rate-limited sandbox with latency, beside a sequential requests.post loop.

    bench/b1-goodput.sh [--calls N] [--limits "20 100"] [--latency-ms MS] [--baseline-calls N] [--max-in-flight N] [--quick]

For each limit L: a fresh sandbox (--latency-ms, --rate-limit L: above L requests in a rolling second it answers 429) and
a fresh state store; calleval runs a job of N generated calls with submit.rate-limit L; then a second fresh sandbox
receives the same calls from bench/baseline_sequential.py. Figures come from the sandbox's request log and counters
(benchlib.request_summary): calls/s = (accepted - 1) / (last - first evaluate arrival), max requests in any sliding
second, 429s. Targets: >= 99 % of the limit and never above L + 1 in a sliding second.
Defaults are the issue's sizes: 2,000 calls, limits 20 and 100 req/s, 300 ms latency, baseline on all calls (about 3
calls/s: some 11 minutes per limit; --baseline-calls N sends fewer and extrapolates, marked "*"). max-in-flight
defaults to max(16, 2 * L * latency), enough to keep L requests/s going at that latency.
--quick: 150 calls, baseline 8 calls; under a minute on an idle machine. Raw request logs: WORK/*/requests.json.
"""
import argparse
import json
import subprocess
import sys
import time

import benchlib as b


def calleval_row(limit, latency_ms, inflight, manifest, calls, work):
    d = work / f"calleval-{limit}"
    d.mkdir()
    job = b.bench_job(d / "job.yaml", f"b1-{limit}", manifest, d / "reports", rate_limit=limit, max_in_flight=inflight)
    with b.Sandbox("--latency-ms", latency_ms, "--rate-limit", limit, log_path=d / "sandbox.log") as sandbox:
        b.log(f"limit {limit}/s: calleval, {calls} calls, {inflight} in flight ...")
        start = time.monotonic()
        rc = b.run_app(["run", job], b.app_env(sandbox.url, b.db_url(d), secret=None), d / "app.log", cwd=d, timeout=3600)
        seconds = time.monotonic() - start
        log = sandbox.evaluate_summary(save=d / "requests.json")
    s = b.latest_summary(d / "reports", f"b1-{limit}")
    if rc != 0:
        b.log(f"calleval exited {rc}; see {d / 'app.log'}")
    return {"limit": limit, "sender": f"calleval ({inflight} in flight)", "calls": calls, "sent": calls, "exit": rc,
            "process_s": seconds, "log": log, "counts_add_up": b.get(s, "counts_add_up", default=False)}


def baseline_row(limit, latency_ms, manifest, calls, sent, work):
    d = work / f"baseline-{limit}"
    d.mkdir()
    with b.Sandbox("--latency-ms", latency_ms, "--rate-limit", limit, log_path=d / "sandbox.log") as sandbox:
        b.log(f"limit {limit}/s: requests.post loop, {sent} calls ...")
        out = subprocess.run([sys.executable, str(b.BENCH_DIR / "baseline_sequential.py"), str(manifest), "--base-url", sandbox.url,
                              "--api-key", b.API_KEY, "--calls", str(sent), "--job-name", f"b1-{limit}"],
                             check=True, capture_output=True, text=True).stdout
        client = json.loads(out)
        log = sandbox.evaluate_summary(save=d / "requests.json")
    return {"limit": limit, "sender": "requests.post loop", "calls": calls, "sent": sent, "exit": 0,
            "process_s": client["seconds"], "client": client, "log": log}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--calls", type=int, default=2000)
    p.add_argument("--limits", default="20 100", help='rate limits, one run each (default "20 100")')
    p.add_argument("--latency-ms", type=int, default=300)
    p.add_argument("--baseline-calls", type=int, default=None, help="calls the baseline sends (default all; fewer: extrapolated)")
    p.add_argument("--max-in-flight", type=int, default=None, help="default max(16, 2 x limit x latency)")
    p.add_argument("--quick", action="store_true", help="150 calls, baseline 8")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    a = p.parse_args()
    if a.quick:
        a.calls, a.baseline_calls = 150, 8
    sent = min(a.baseline_calls or a.calls, a.calls)
    limits = [int(x) for x in a.limits.replace(",", " ").split()]
    title = b.header(f"B1 goodput - sandbox latency {a.latency_ms} ms, {a.calls} calls per limit", sys.argv)
    work = b.workdir("b1", a.keep)
    manifest, _ = b.write_manifest(work / "data", a.calls)
    rows = []
    for limit in limits:
        inflight = a.max_in_flight or max(16, -(-2 * limit * a.latency_ms // 1000))
        rows.append(calleval_row(limit, a.latency_ms, inflight, manifest, a.calls, work))
        rows.append(baseline_row(limit, a.latency_ms, manifest, a.calls, sent, work))

    table, notes = [], []
    for r in rows:
        log, limit = r["log"], r["limit"]
        rate = log["calls_per_s"] or 0.0
        extrapolated = r["sent"] < r["calls"]
        total = r["calls"] / rate if rate else float("nan")
        if r["sender"].startswith("calleval"):
            ok = rate >= 0.99 * limit and log["max_in_any_sliding_second"] <= limit + 1 and log["accepted"] == r["calls"]
            target = "met" if ok else "MISSED"
            if r["exit"] != 0 or not r.get("counts_add_up"):
                target += f" (exit {r['exit']}, counts add up: {r.get('counts_add_up')})"
            total = r["process_s"]
        else:
            target = "-"
        table.append([f"{limit}/s", r["sender"], r["sent"], log["accepted"], f"{log['span_s']:.2f}", f"{rate:.2f}",
                      f"{100 * rate / limit:.1f} %", log["max_in_any_sliding_second"], log["too_many"],
                      f"{total:.0f} s{' *' if extrapolated else ''}", target])
        if extrapolated:
            notes.append(f"* {r['sender']} at {limit}/s: {r['sent']} of {r['calls']} calls sent; time for {r['calls']} "
                         "extrapolated from its rate")
    text = [title, b.table(["limit", "sender", "sent", "accepted", "span s", "calls/s", "of limit", "max/1s", "429s",
                            f"time for {a.calls}", "target"], table), "",
            "calls/s = (accepted - 1) / span, span = first to last evaluate arrival at the sandbox; max/1s = most evaluate",
            "requests arriving in any sliding second; 429s = answers 429 from the sandbox's own --rate-limit (same limit).",
            "time for N: calleval = whole process (JVM start to exit); baseline = client loop time.",
            "target: >= 99 % of the limit, max/1s <= limit + 1, every call accepted.", *notes]
    b.publish("b1-goodput" + ("-quick" if a.quick else ""), "\n".join(text))
    return 0 if all(r["exit"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
