#!/usr/bin/env python3
"""B4 webhook intake and reconciliation.

Part 1, intake: events/s stored by the receiver of a running ``calleval run`` under concurrent senders. There is no
receiver-only command (``serve`` is listed as a web command in CallevalApplication but no such subcommand
exists), so a job over a 1-row manifest runs with ``--wait-for-results`` against a sandbox that sends no webhooks
and a ``poll-after`` of 6h: the run keeps its receiver up while bench/WebhookLoad.java posts distinct signed
``observability_call_evaluated`` events to it at each sender concurrency. Afterwards 8 senders keep posting while the
run is killed with ``kill -9``, and ``calleval status`` counts the events in the database: every event acknowledged
as stored must be there (durability across a crash).

Part 2, reconciliation: bench/ReconcileBench.java seeds a fresh database with N SUBMITTED ledger rows and N stored
events for them, then times one ``Reconciler.processInbox()`` pass in one transaction (as the reconcile step runs
it).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import benchlib as b

SECRET_ENV = "BENCH_WEBHOOK_SECRET"
SECRET = b.WEBHOOK_SECRET
TEMPLATE = str(b.BENCH_DIR / "webhook-call-evaluated.template.json")
LOAD = str(b.BENCH_DIR / "WebhookLoad.java")


def wait_for_line(path: str, pattern: str, proc, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the run exited {proc.returncode} early; see {path}")
        with open(path, errors="replace") as f:
            if re.search(pattern, f.read()):
                return
        time.sleep(0.3)
    raise RuntimeError(f"'{pattern}' not seen in {path} within {timeout:.0f} s")


def status_counts(work, env: dict) -> dict:
    """Webhook events per type from ``calleval status`` (its "Webhook events received" section)."""
    out = subprocess.run(["java", "-jar", str(b.ensure_jar()), "status", "--limit", "1"], cwd=work, env=env,
                         capture_output=True, text=True, timeout=300).stdout
    counts, section = {}, False
    for line in out.splitlines():
        if line.startswith("Webhook events received"):
            section = True
            continue
        if section:
            m = re.match(r"\s+(\S+)\s+(\d+)\s", line)
            if m:
                counts[m.group(1)] = int(m.group(2))
            elif line.strip() == "" and counts:
                break
    return counts


def intake(a, work) -> tuple:
    proc = None
    with b.Sandbox("--latency-ms", "0", log_path=work / "sandbox.log") as sandbox:
        try:
            manifest, _ = b.write_manifest(work / "intake-data", 1, prefix="intake")
            job = b.bench_job(work / "b4-intake.yaml", "b4-intake", manifest, work / "reports", poll_after="6h")
            port = b.free_port()
            env = b.app_env(sandbox.url, b.db_url(work, a.db_options), port, SECRET)
            run_log = work / "intake-run.log"
            proc = b.start_app(["run", job, "--wait-for-results", "6h"], env, run_log, cwd=work, heap=a.app_heap)
            wait_for_line(str(run_log), r"waiting up to", proc, 120)
            url = f"http://127.0.0.1:{port}/webhooks/bluejay"
            b.log(f"receiver up at {url} (run pid {proc.pid}); senders: {a.threads}, {a.events:,} events each")
            results, sent_stored = [], 0
            for i, threads in enumerate(a.threads):
                cmd = ["java", LOAD, "--url", url, "--secret-env", SECRET_ENV, "--threads", str(threads), "--events", str(a.events),
                       "--prefix", f"b4-{threads}t-{i}", "--warmup", str(a.warmup if i == 0 else 0), "--template", TEMPLATE]
                r = subprocess.run(cmd, cwd=b.ROOT, env={**os.environ, SECRET_ENV: SECRET}, capture_output=True, text=True)
                sys.stderr.write(r.stderr)
                res = json.loads(r.stdout.strip().splitlines()[-1])
                results.append(res)
                sent_stored += res["stored"] + (a.warmup if i == 0 else 0)
            # the crash round: senders keep posting while the run is killed with kill -9
            crash = subprocess.Popen(["java", LOAD, "--url", url, "--secret-env", SECRET_ENV, "--threads", "8", "--events", "10000000",
                                      "--prefix", "b4-crash", "--stop-on-error", "true", "--template", TEMPLATE],
                                     cwd=b.ROOT, env={**os.environ, SECRET_ENV: SECRET}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            # the clock starts at the first event stored (compiling WebhookLoad.java takes seconds on a busy machine)
            first = crash.stdout.readline()
            if "first event stored" not in first:
                b.log(f"the crash round's senders stored nothing before they stopped: {first.strip()!r}")
            time.sleep(a.crash_after)
            b.kill(proc)
            out, err = crash.communicate(timeout=120)
            out = first + out
            sys.stderr.write(err)
            crashed = json.loads(out.strip().splitlines()[-1])
            sent_stored += crashed["stored"]
            b.log(f"run killed with kill -9 {a.crash_after} s into the crash round ({crashed['stored']:,} events acknowledged "
                  "in it); counting stored events with 'calleval status'")
            counted = status_counts(work, {**env, "SERVER_PORT": str(b.free_port())}).get("observability_call_evaluated", -1)
            return results, sent_stored, counted
        finally:
            if proc:
                b.kill(proc)


def reconcile(a, work) -> dict:
    app = os.path.join(work, "app")
    subprocess.run(["java", "-Djarmode=tools", "-jar", str(b.ensure_jar()), "extract", "--destination", app],
                   check=True, capture_output=True)
    db = f"jdbc:h2:file:{os.path.join(work, 'reconcile-db', 'calleval')};AUTO_SERVER=TRUE"
    cmd = ["java", f"-Xmx{a.reconcile_heap}", "-cp", os.path.join(app, b.ensure_jar().name),  # extract keeps the jar's name
           str(b.BENCH_DIR / "ReconcileBench.java"), "--db", db, "--calls", str(a.calls),
           "--timeout-s", str(a.reconcile_timeout), "--template", TEMPLATE]
    b.log(f"reconcile: seeding {a.calls:,} ledger rows + events, then timing processInbox() (-Xmx{a.reconcile_heap}, "
          f"gives up after {a.reconcile_timeout} s)")
    r = subprocess.run(cmd, cwd=b.ROOT, stdout=subprocess.PIPE, stderr=None, text=True)
    lines = [l for l in r.stdout.strip().splitlines() if l.startswith("{")]
    if not lines:
        return {"error": f"ReconcileBench exited {r.returncode} without a result"}
    return json.loads(lines[-1])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="1,8,32", help="sender concurrencies, one measurement each (default 1,8,32)")
    p.add_argument("--events", type=int, default=20_000, help="events per concurrency (default 20,000)")
    p.add_argument("--warmup", type=int, default=2_000, help="events sent first, not measured (default 2,000)")
    p.add_argument("--calls", type=int, default=1_000_000, help="calls for the reconciliation figure (default 1,000,000)")
    p.add_argument("--reconcile-timeout", type=int, default=1800, help="seconds before the reconcile pass is abandoned (default 1800)")
    p.add_argument("--db-options", default="", help="appended to the receiver's H2 URL (which has WRITE_DELAY=0, as calleval's default)")
    p.add_argument("--crash-after", type=float, default=3.0, help="seconds from the crash round's first stored event to kill -9 (default 3)")
    p.add_argument("--app-heap", default="512m", help="-Xmx of the receiving run (default 512m)")
    p.add_argument("--reconcile-heap", default="256m", help="-Xmx of the reconciliation bench (default 256m, as B3)")
    p.add_argument("--skip-intake", action="store_true")
    p.add_argument("--skip-reconcile", action="store_true")
    p.add_argument("--quick", action="store_true", help="threads 1,8; 1,000 events each; 5,000 calls (< 1 minute)")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    a = p.parse_args(argv)
    if a.quick:
        a.threads, a.events, a.warmup, a.calls, a.crash_after = "1,8", 1_000, 200, 5_000, 2.0
    a.threads = [int(t) for t in str(a.threads).split(",") if t.strip()]
    work = b.workdir("b4", a.keep)
    rows, notes, ok = [], [], True
    if not a.skip_intake:
        results, expected, counted = intake(a, work)
        for r in results:
            rows += [(f"intake, {r['threads']} sender(s): events/s stored", r["events_per_s"]),
                     (f"intake, {r['threads']} sender(s): latency p50 / p99 / max (ms)",
                      f"{r['p50_ms']:.1f} / {r['p99_ms']:.1f} / {r['max_ms']:.1f}"),
                     (f"intake, {r['threads']} sender(s): stored / duplicates / errors",
                      f"{r['stored']:,} / {r['duplicates']} / {r['errors']}" + (f" {r['error_kinds']}" if r["errors"] else ""))]
            ok &= r["errors"] == 0 and r["duplicates"] == 0
        rows += [("intake: events acknowledged 'stored' (incl. warm-up and crash round)", expected),
                 ("intake: events in the database after kill -9 of the run", counted),
                 ("intake: acknowledged but missing after the crash", max(0, expected - counted)),
                 ("intake: stored but not acknowledged (in flight at the kill)", max(0, counted - expected))]
        ok &= counted >= expected
        notes += [f"intake: {a.events:,} distinct signed observability_call_evaluated events (~3 KB) per concurrency, "
                  f"{a.warmup:,} warm-up events first; receiver = POST /webhooks/bluejay of `calleval run` (-Xmx{a.app_heap}, "
                  f"H2 file database {b.db_url('<dir>', a.db_options)}) waiting for results; "
                  "'stored' = answered 200 {\"status\":\"stored\"} after the insert committed",
                  f"intake durability: after the measured rounds, 8 senders keep posting and the run is killed with kill -9 "
                  f"{a.crash_after} s later; `calleval status` then counts the events in the database",
                  "intake: the events name calls the ledger does not know, so the run's reconcile loop (every second) "
                  "re-reads them as orphans while the senders post: part of the cost measured"]
    if not a.skip_reconcile:
        r = reconcile(a, work)
        if "error" in r:
            rows.append(("reconcile", r["error"]))
            ok = False
        else:
            finished = r.get("finished", True)
            rows += [("reconcile: calls (ledger rows = stored events)", r["calls"]),
                     ("reconcile: seeding time, not timed below (s)", r["seed_s"]),
                     ("reconcile: processInbox() time (s)" if finished else
                      f"reconcile: processInbox() NOT FINISHED, abandoned after (s)", r["reconcile_s"]),
                     ("reconcile: calls matched", r["matched"]),
                     ("reconcile: calls matched per second", r["calls_per_s"])]
            if finished:
                rows.append(("reconcile: ledger rows EVALUATED afterwards", r["evaluated_rows"]))
                ok &= r["evaluated_rows"] == r["calls"]
            else:
                ok = False
            notes.append(f"reconcile: timed = one Reconciler.processInbox() call inside one transaction of the app's "
                         f"transaction manager (as a reconcile-step pass), -Xmx{a.reconcile_heap}, H2 file database "
                         "seeded by JDBC with SUBMITTED ledger rows and one COMPLETED event each; Spring start and seeding excluded")
    b.publish("b4-webhooks" + ("-quick" if a.quick else ""),
              b.header("B4 webhook intake and reconciliation", sys.argv) + b.figures(rows, notes))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
