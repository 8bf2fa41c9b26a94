"""R1 crash: kill -9 `calleval run` at random moments and restart it until it completes; then check that no call was
lost (every row ends in a state, the counts add up, every call EVALUATED) and that no call was created twice at
the sandbox except calls the runs reported in doubt. See bench/r1-crash.sh."""
import argparse
import random
import sys
import time

import benchlib as b
from benchlib import read_calls


def wait_for_requests(sandbox, target, proc, timeout):
    """Until the sandbox has seen `target` evaluate requests, or the process ended, or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if sandbox.stats()["evaluate_requests"] >= target:
            return True
        time.sleep(0.02)
    return False


def one_run(i, args, rng, work):
    run_dir = work / f"run-{i:02d}"
    run_dir.mkdir()
    job_name = f"r1-crash-{i:02d}"
    manifest, _ = b.write_manifest(run_dir, args.calls, f"r1-{i:02d}", width=5)
    reports = run_dir / "reports"
    job = b.write_job(run_dir / "job.yaml", job_name, manifest, reports,
                      submit={"rate-limit": args.rate_limit, "max-in-flight": args.max_in_flight, "chunk-size": 50,
                              "request-timeout": "10s", "in-doubt": {"lookup-delay": "1s"}},
                      results={"poll-after": "3s", "poll-interval": "1s"})
    app_port = b.free_port()
    log = run_dir / "run.log"
    kills, attempts, exits = [], 0, []
    started = time.monotonic()
    with b.Sandbox("--latency-ms", args.latency_ms, "--webhook-url", f"http://127.0.0.1:{app_port}/webhooks/bluejay",
                     "--webhook-secret-env", "BENCH_WEBHOOK_SECRET", "--seed", rng.randrange(1 << 30), log_path=run_dir / "sandbox.log") as sandbox:
        env = b.app_env(sandbox.url, b.db_url(run_dir, args.db_options), app_port)
        for _ in range(rng.randint(1, args.max_kills)):
            attempts += 1
            seen = sandbox.stats()["evaluate_requests"]
            proc = b.start_app(["run", job, "--wait-for-results", "2m"], env, log)
            t0 = time.monotonic()
            if rng.random() < 0.2:  # anywhere: start-up, claiming, submitting, waiting for results
                delay = rng.uniform(0.5, 10)
                while time.monotonic() - t0 < delay and proc.poll() is None:
                    time.sleep(0.02)
                moment = f"{delay:.1f}s"
            else:  # while submitting: after a random number of this attempt's requests
                left = max(1, args.calls - sandbox.stats()["evaluate_accepted"])
                k = rng.randint(1, left)
                wait_for_requests(sandbox, seen + k, proc, 180)
                moment = f"req {k}/{left}"
            if proc.poll() is None:
                b.kill(proc)
                kills.append(f"{moment}@{time.monotonic() - t0:.1f}s")
            else:
                exits.append(proc.returncode)
        code = None
        for _ in range(args.max_restarts):
            attempts += 1
            code = b.run_app(["run", job, "--wait-for-results", "2m"], env, log, timeout=600)
            exits.append(code)
            summary = b.latest_summary(reports, job_name) or {}
            if code == 0 and all(r["state"] == "EVALUATED" for r in read_calls(reports, job_name)
                                 if r["execution"] == summary.get("execution_id")) and summary.get("rows_read") == args.calls:
                break
        created = sandbox.created_per_source()
        stats = sandbox.stats()
    summary = b.latest_summary(reports, job_name) or {}
    calls = read_calls(reports, job_name)
    final = {r["source_id"]: r for r in calls if r["execution"] == summary.get("execution_id")}
    ids = [f"r1-{i:02d}-{n:05d}" for n in range(1, args.calls + 1)]
    lost = [s for s in ids if s not in final]
    not_evaluated = [s for s in ids if s in final and final[s]["state"] != "EVALUATED"]
    duplicates = {s: n for s, n in created.items() if n > 1}
    flagged = {r["source_id"] for r in calls if r["disposition"] == "IN_DOUBT_RESENT" or r["in_doubt"] == "true"}
    beyond = [s for s in duplicates if s not in flagged]
    never_created = [s for s in ids if s not in created]
    ok = (code == 0 and summary.get("status") == "COMPLETED" and summary.get("counts_add_up") and not lost and not not_evaluated
          and not beyond and not never_created and sum(n - 1 for n in duplicates.values()) <= len(kills) * args.max_in_flight)
    return {
        "run": i, "calls": args.calls, "kills": len(kills), "moments": ", ".join(kills), "attempts": attempts,
        "exit": code, "status": summary.get("status"), "add_up": summary.get("counts_add_up"),
        "evaluated": sum(1 for s in ids if s in final and final[s]["state"] == "EVALUATED"), "lost": len(lost) + len(never_created),
        "accepted": stats["evaluate_accepted"], "duplicates": sum(n - 1 for n in duplicates.values()),
        "in_doubt": len(flagged), "beyond": len(beyond),
        "seconds": round(time.monotonic() - started), "ok": ok,
        "detail": {"lost": lost[:5], "not_evaluated": not_evaluated[:5], "beyond": beyond[:5], "never_created": never_created[:5]},
    }


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="2 runs of 100 calls (< 1 minute on an idle machine)")
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--calls", type=int, default=1000)
    p.add_argument("--max-kills", type=int, default=3, help="kills per run: 1 to N, at random (default 3)")
    p.add_argument("--max-restarts", type=int, default=3, help="unkilled runs allowed to reach completion (default 3)")
    p.add_argument("--latency-ms", type=int, default=20)
    p.add_argument("--rate-limit", type=int, default=100, help="submit.rate-limit of the job (default 100 req/s)")
    p.add_argument("--max-in-flight", type=int, default=16)
    p.add_argument("--db-options", default="", help="appended to the H2 URL of the state store (which, like calleval's default, has WRITE_DELAY=0)")
    p.add_argument("--seed", type=int, default=None, help="seed of the kill moments (default: random, printed)")
    args = p.parse_args()
    if args.quick:
        args.runs, args.calls, args.max_kills = 2, 100, 1
    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    rng = random.Random(seed)
    b.ensure_jar()
    work = b.workdir("r1")
    results = []
    for i in range(1, args.runs + 1):
        r = one_run(i, args, rng, work)
        results.append(r)
        print(f"run {i}: {'ok' if r['ok'] else 'FAILED'} {r['detail'] if not r['ok'] else ''}", file=sys.stderr, flush=True)
    rows = [[r["run"], r["calls"], r["kills"], r["moments"], r["attempts"], f"{r['exit']} {r['status']}", r["add_up"], r["evaluated"],
             r["lost"], r["accepted"], r["duplicates"], r["in_doubt"], r["beyond"], r["seconds"], "ok" if r["ok"] else "FAILED"]
            for r in results]
    total = lambda k: sum(r[k] for r in results)
    rows.append(["all", total("calls"), total("kills"), "", total("attempts"), "", all(r["add_up"] for r in results), total("evaluated"),
                 total("lost"), total("accepted"), total("duplicates"), total("in_doubt"), total("beyond"), total("seconds"),
                 "ok" if all(r["ok"] for r in results) else "FAILED"])
    out = [b.header(f"R1 crash: {args.runs} runs of {args.calls} calls, kill -9 at random moments (1-{args.max_kills} per run), "
                      f"restarted until complete; sandbox latency {args.latency_ms} ms, webhooks on; rate limit {args.rate_limit}/s, "
                      f"max in flight {args.max_in_flight}; seed {seed}", sys.argv)]
    out.append(b.table(["run", "calls", "kills", "kill moments (req k/left = after k requests; Ns = N s after start)", "runs",
                          "final", "add up", "evaluated", "lost", "accepted", "duplicates", "in doubt", "dup beyond in doubt", "s", "check"], rows))
    out.append("\nlost: rows without a state in the final report, or never created at the sandbox. duplicates: calls created twice or more "
               "for one calleval_source_id (retrieve-call-logs). in doubt: rows any report flagged in doubt or IN_DOUBT_RESENT (a kill leaves every claimed, unanswered row in doubt).\n"
               "check: completed, counts add up, nothing lost, all EVALUATED, duplicates only among in-doubt rows and at most "
               "max-in-flight per kill.")
    failed = [r for r in results if not r["ok"]]
    for r in failed:
        out.append(f"run {r['run']}: {r['detail']}")
    out.append(f"R1 {'PASSED' if not failed else 'FAILED'}")
    b.publish("r1-crash" + ("-quick" if args.quick else ""), "\n".join(out))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
