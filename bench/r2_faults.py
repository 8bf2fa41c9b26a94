"""R2 faults: `calleval run` against a standalone sandbox that answers part of the requests 429, 503 or resets the
connection, creates some calls and then answers 504 or resets (accept-then-fail), drops and duplicates webhooks.
Every call must end EVALUATED (polling fills the gaps), the counts must add up, and no call may be created twice
except calls reported in doubt. See bench/r2-faults.sh."""
import argparse
import collections
import sys
import time

import benchlib as b
from benchlib import read_calls

# name, sandbox flags; the job submits at --rate-limit req/s (default 50), so a sandbox limit of 80 % of it answers
# about a fifth of the evaluate requests 429 (more while retries pile up)
CASES = [
    ("all faults (issue 7)", lambda rate: ["--rate-limit", max(1, rate * 9 // 10), "--error-rate", 0.10, "--reset-rate", 0.05,
                                            "--accept-then-fail-rate", 0.02, "--webhook-drop-rate", 0.02,
                                            "--webhook-duplicate-rate", 0.05]),
    ("429 (sandbox limit 80 % of ours)", lambda rate: ["--rate-limit", max(1, rate * 8 // 10)]),
    ("503 on 20 %", lambda rate: ["--error-rate", 0.20]),
    ("reset before processing, 20 %", lambda rate: ["--reset-rate", 0.20]),
    ("accept then 504 2 %, then reset 2 %", lambda rate: ["--accept-then-fail-rate", 0.02, "--accept-then-reset-rate", 0.02]),
    ("webhooks: 2 % dropped, 5 % twice", lambda rate: ["--webhook-drop-rate", 0.02, "--webhook-duplicate-rate", 0.05]),
]


def one_case(n, name, flags, args, work):
    case_dir = work / f"case-{n}"
    case_dir.mkdir()
    job_name = f"r2-faults-{n}"
    manifest, _ = b.write_manifest(case_dir, args.calls, f"r2-{n}", width=5)
    reports = case_dir / "reports"
    job = b.write_job(case_dir / "job.yaml", job_name, manifest, reports,
                      submit={"rate-limit": args.rate_limit, "max-in-flight": args.max_in_flight, "chunk-size": 100,
                              "request-timeout": "5s", "retry": {"max-attempts": 8, "initial-backoff": "200ms", "max-backoff": "5s"},
                              "in-doubt": {"lookup-delay": "1s", "max-pages": 20}},
                      results={"poll-after": "5s", "poll-interval": "1s"})
    app_port = b.free_port()
    log = case_dir / "run.log"
    started = time.monotonic()
    with b.Sandbox("--latency-ms", args.latency_ms, "--webhook-url", f"http://127.0.0.1:{app_port}/webhooks/bluejay",
                     "--webhook-secret-env", "BENCH_WEBHOOK_SECRET", "--seed", args.seed + n, *flags(args.rate_limit),
                     log_path=case_dir / "sandbox.log") as sandbox:
        env = b.app_env(sandbox.url, b.db_url(case_dir), app_port)
        exits = []
        for _ in range(args.max_restarts):
            code = b.run_app(["run", job, "--wait-for-results", "5m"], env, log, timeout=900)
            exits.append(code)
            summary = b.latest_summary(reports, job_name) or {}
            final = [r for r in read_calls(reports, job_name) if r["execution"] == summary.get("execution_id")]
            if code == 0 and len(final) == args.calls and all(r["state"] == "EVALUATED" for r in final):
                break
        requests_log = sandbox.admin("requests")  # before the look-ups below add their own
        webhooks = sandbox.admin("webhooks")
        created = sandbox.created_per_source()
    requests_log = requests_log if isinstance(requests_log, list) else requests_log.get("requests", [])
    webhooks = webhooks if isinstance(webhooks, list) else webhooks.get("webhooks", [])
    evaluate = [r for r in requests_log if r.get("endpoint") in ("evaluate", "EVALUATE") or "/v1/evaluate" in r.get("path", "")]
    faults = collections.Counter(r.get("fault") for r in requests_log if r.get("fault"))
    all_calls = read_calls(reports, job_name)
    final = {r["source_id"]: r for r in all_calls if r["execution"] == summary.get("execution_id")}
    ids = [f"r2-{n}-{i:05d}" for i in range(1, args.calls + 1)]
    duplicates = {s: c for s, c in created.items() if c > 1}
    flagged = {r["source_id"] for r in all_calls if r["disposition"] == "IN_DOUBT_RESENT" or r["in_doubt"] == "true"}
    beyond = [s for s in duplicates if s not in flagged]
    evaluated = sum(1 for s in ids if s in final and final[s]["state"] == "EVALUATED")
    via = collections.Counter(final[s]["result_via"] for s in ids if s in final)
    wh_states = collections.Counter(w.get("state") for w in webhooks)
    req = summary.get("requests") or {}
    ok = (exits[-1] == 0 and summary.get("status") == "COMPLETED" and summary.get("counts_add_up") and evaluated == args.calls
          and not beyond and all(s in created for s in ids))
    return {
        "case": name, "calls": args.calls, "requests": len(requests_log), "evaluate_requests": len(evaluate),
        "faults": faults, "fault_share": 100.0 * sum(faults.values()) / max(1, len(requests_log)),
        "runs": len(exits), "final": f"{exits[-1]} {summary.get('status')}", "add_up": summary.get("counts_add_up"),
        "evaluated": evaluated, "webhook": via.get("WEBHOOK", 0), "poll": via.get("POLL", 0),
        "retries": req.get("retries"), "in_doubt_requests": req.get("in_doubt"),
        "wh": f"{wh_states.get('DELIVERED', 0)}/{wh_states.get('DROPPED', 0)}/{wh_states.get('FAILED', 0)}",
        "duplicates": sum(c - 1 for c in duplicates.values()), "flagged": len(flagged), "beyond": len(beyond),
        "seconds": round(time.monotonic() - started), "ok": ok,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="the combined case only, 100 calls (< 1 minute)")
    p.add_argument("--calls", type=int, default=1000, help="calls per case (default 1000)")
    p.add_argument("--cases", default="all", help="comma-separated case numbers (1 = all faults together), default all")
    p.add_argument("--rate-limit", type=int, default=50, help="submit.rate-limit of the job (default 50 req/s)")
    p.add_argument("--max-in-flight", type=int, default=16)
    p.add_argument("--latency-ms", type=int, default=20)
    p.add_argument("--max-restarts", type=int, default=3, help="runs allowed to reach completion per case (default 3)")
    p.add_argument("--seed", type=int, default=20261120)
    args = p.parse_args()
    chosen = list(range(1, len(CASES) + 1)) if args.cases == "all" else [int(c) for c in args.cases.split(",")]
    if args.quick:
        args.calls, chosen = 100, [1]
    b.ensure_jar()
    work = b.workdir("r2")
    results = []
    for n in chosen:
        name, flags = CASES[n - 1]
        results.append(one_case(n, name, flags, args, work))
        print(f"case {n}: {'ok' if results[-1]['ok'] else 'FAILED'}", file=sys.stderr, flush=True)
    rows = []
    for n, r in zip(chosen, results):
        f = r["faults"]
        rows.append([n, r["case"], r["calls"], r["requests"], r["evaluate_requests"], f.get("rate_limit", 0), f.get("server_error", 0),
                     f.get("connection_reset", 0), f.get("accept_then_fail", 0) + f.get("accept_then_reset", 0), f"{r['fault_share']:.1f}",
                     r["retries"], r["in_doubt_requests"], r["wh"], r["runs"], r["final"], r["add_up"], r["evaluated"],
                     f"{r['webhook']}/{r['poll']}", r["duplicates"], r["flagged"], r["beyond"], r["seconds"], "ok" if r["ok"] else "FAILED"])
    out = [b.header(f"R2 faults: {args.calls} calls per case at {args.rate_limit} req/s, max in flight {args.max_in_flight}, "
                      f"sandbox latency {args.latency_ms} ms, signed webhooks", sys.argv)]
    out.append(b.table(["#", "case", "calls", "requests", "evaluate", "429", "503", "reset", "accept+fail", "fault %", "retries",
                          "in doubt", "webhooks ok/drop/fail", "runs", "final", "add up", "evaluated", "via webhook/poll",
                          "duplicates", "flagged in doubt", "dup beyond in doubt", "s", "check"], rows))
    out.append("\nrequests: every /v1 request the sandbox answered (evaluate, lookups, polls); 429/503/reset/accept+fail: answers "
               "decided by an injected fault; fault %: their share of all requests. duplicates: calls created twice or more for one "
               "calleval_source_id (retrieve-call-logs).")
    failed = [r for r in results if not r["ok"]]
    out.append(f"R2 {'PASSED' if not failed else 'FAILED'}")
    b.publish("r2-faults" + ("-quick" if args.quick else ""), "\n".join(out))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
