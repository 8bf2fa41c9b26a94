#!/usr/bin/env python3
"""Replicas: two ``serve`` processes on one PostgreSQL receive N signed webhooks split between them, plus D of them
delivered to both at the same moment (as a load balancer retrying on the other replica, or Bluejay redelivering,
would), and the script counts the events applied once, applied twice and lost.

1. A fresh schema on the PostgreSQL server (``--pg-url``, default ``$CALLEVAL_TEST_POSTGRES_URL``, with
   ``$CALLEVAL_TEST_POSTGRES_USER`` / ``_PASSWORD``; ``eval "$(scripts/postgres.sh start)"`` sets them).
2. ``calleval run`` submits N calls to a sandbox that sends no webhooks (the script plays Bluejay).
3. Two ``calleval serve`` replicas start on that schema (reconciliation every second; polling after 1 h, so
   only webhooks deliver results).
4. N ``observability_call_evaluated`` events, signed, are posted from ``--senders`` threads: event i to replica
   i % 2, and the first D also to the other replica, each pair at the same moment.
5. When the inbox has nothing left to apply, the figures: events acknowledged (200), rows in the inbox, calls with
   their result (applied once), results counted by both replicas' logs beyond one per call (applied twice), and
   acknowledged events whose call has no result (lost).
"""
import argparse
import concurrent.futures
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import requests

import benchlib as b

RESULTS = re.compile(r"reconcile: (\d+) result\(s\) by webhook|(\d+) result\(s\) received by webhook")


def libpq_url(jdbc, user, password):
    """postgresql://user:password@host:port/db from jdbc:postgresql://host:port/db."""
    u = urlparse(jdbc.removeprefix("jdbc:"))
    auth = f"{user}:{password}@" if user else ""
    return f"postgresql://{auth}{u.hostname}:{u.port or 5432}{u.path}"


def psql(url, sql, schema=None):
    """Rows of a query as lists of strings (psql -At, | separated), in SCHEMA when given."""
    env = dict(os.environ, PGOPTIONS=f"-c search_path={schema}") if schema else None
    out = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-Atc", sql], capture_output=True, text=True, check=True, env=env).stdout
    return [line.split("|") for line in out.splitlines() if line]


def event(call_id, source_id):
    return json.dumps({"type": "observability_call_evaluated", "id": call_id, "agent_id": b.AGENT, "status": "COMPLETED",
                       "created_at": "2026-11-20T02:14:07Z",
                       "evaluations": [{"id": f"ev-{source_id}", "created_at": "2026-11-20T02:15:41Z", "goal_success": True,
                                        "hallucination": False, "num_turns": 4}],
                       "metadata": {"calleval_source_id": source_id}}, separators=(",", ":")).encode()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, default=1000, help="calls, one event each (default 1000)")
    p.add_argument("--duplicates", type=int, default=100, help="events also delivered to the other replica (default 100)")
    p.add_argument("--senders", type=int, default=16, help="concurrent senders (default 16)")
    p.add_argument("--pg-url", default=None, help="JDBC URL of the PostgreSQL server (default $CALLEVAL_TEST_POSTGRES_URL)")
    p.add_argument("--timeout", type=float, default=300, help="seconds to wait for the inbox to drain (default 300)")
    p.add_argument("--quick", action="store_true", help="100 events, 20 duplicates")
    p.add_argument("--keep", action="store_true", help="keep the work directory and the schema")
    a = p.parse_args(argv)
    if a.quick:
        a.events, a.duplicates = 100, 20
    jdbc = a.pg_url or os.environ.get("CALLEVAL_TEST_POSTGRES_URL")
    if not jdbc:
        print("replicas: no PostgreSQL: start one with eval \"$(scripts/postgres.sh start)\" or pass --pg-url", file=sys.stderr)
        return 2
    user, password = os.environ.get("CALLEVAL_TEST_POSTGRES_USER", ""), os.environ.get("CALLEVAL_TEST_POSTGRES_PASSWORD", "")
    server = libpq_url(jdbc, user, password)
    schema = "bench_replicas_" + uuid.uuid4().hex[:8]
    psql(server, f"CREATE SCHEMA {schema}")
    db = f"{jdbc}{'&' if '?' in jdbc else '?'}currentSchema={schema}&user={user}&password={password}"
    query = lambda sql: psql(server, sql, schema)
    work = b.workdir("replicas", keep=a.keep)
    replicas = []
    try:
        with b.Sandbox("--latency-ms", "0", log_path=work / "sandbox.log") as sandbox:
            manifest, _ = b.write_manifest(work / "data", a.events, prefix="rep")
            job = b.bench_job(work / "replicas.yaml", "replicas", manifest, work / "reports", poll_after="1h")
            b.log(f"submitting {a.events:,} calls (calleval run, schema {schema})")
            code = b.run_app(["run", job], b.app_env(sandbox.url, db, secret=None), work / "run.log", cwd=work)
            if code != 0:
                raise RuntimeError(f"the run exited {code}; see {work / 'run.log'}")
            calls = {s: c for s, c in query("SELECT source_id, call_id FROM call_ledger WHERE call_id IS NOT NULL")}
            if len(calls) != a.events:
                raise RuntimeError(f"{len(calls)} calls submitted, expected {a.events}")
            ports = []
            for name in ("a", "b"):
                port = b.free_port()
                proc = b.start_app(["serve", "--reconcile-every", "1s", "--poll-after", "1h"], b.app_env(sandbox.url, db, port),
                                   work / f"serve-{name}.log", cwd=work)
                replicas.append(proc)
                ports.append(port)
            for name, port, proc in zip("ab", ports, replicas):
                deadline = time.monotonic() + 300
                while time.monotonic() < deadline:
                    if proc.poll() is not None:
                        raise RuntimeError(f"serve {name} exited {proc.returncode}; see {work / f'serve-{name}.log'}")
                    if "serve: listening on port" in (work / f"serve-{name}.log").read_text(errors="replace"):
                        break
                    time.sleep(0.3)
                else:
                    raise RuntimeError(f"serve {name} did not start within 300 s")
            b.log(f"replicas listening on {ports}; sending {a.events:,} events ({a.duplicates:,} to both) from {a.senders} senders")
            urls = [f"http://127.0.0.1:{port}/webhooks/bluejay" for port in ports]
            session = requests.Session()
            adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=a.senders * 2)
            session.mount("http://", adapter)

            def post(url, body):
                signature = hmac.new(b.WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
                for attempt in range(5):
                    try:
                        r = session.post(url, data=body, timeout=60,
                                         headers={"Content-Type": "application/json", "X-Bluejay-Signature": signature})
                        if r.status_code == 200:
                            return r.json().get("status")
                    except requests.RequestException:
                        pass
                    time.sleep(0.2 * (attempt + 1))
                return "failed"

            sources = sorted(calls)
            started = time.monotonic()
            with concurrent.futures.ThreadPoolExecutor(a.senders) as pool:
                futures = []
                for i, source in enumerate(sources):
                    body = event(calls[source], source)
                    futures.append((source, pool.submit(post, urls[i % 2], body)))
                    if i < a.duplicates:
                        futures.append((source, pool.submit(post, urls[(i + 1) % 2], body)))
                delivered = [(source, f.result()) for source, f in futures]
            answers = [answer for _, answer in delivered]
            acknowledged = {source for source, answer in delivered if answer in ("stored", "duplicate")}
            intake_s = time.monotonic() - started
            b.log(f"{len(answers):,} deliveries in {intake_s:.1f} s; waiting for the inbox to drain")
            deadline = time.monotonic() + a.timeout
            while time.monotonic() < deadline:
                pending = int(query("SELECT COUNT(*) FROM webhook_event WHERE processed_at IS NULL")[0][0])
                if pending == 0:
                    break
                time.sleep(0.5)
            applied_s = time.monotonic() - started
            for proc in replicas:
                proc.terminate()
            for proc in replicas:
                try:
                    proc.wait(120)
                except subprocess.TimeoutExpired:
                    b.kill(proc)
            stored = int(query("SELECT COUNT(*) FROM webhook_event")[0][0])
            outcomes = dict(query("SELECT COALESCE(outcome, 'PENDING'), COUNT(*) FROM webhook_event GROUP BY 1"))
            evaluated = {row[0] for row in query("SELECT source_id FROM call_ledger WHERE state = 'EVALUATED' AND result_source = 'WEBHOOK'")}
            with_result = len(evaluated)
            counted = {}
            for name in "ab":
                text = (work / f"serve-{name}.log").read_text(errors="replace")
                counted[name] = sum(int(m.group(1) or m.group(2)) for m in RESULTS.finditer(text))
            rows = [
                ("events (calls)", a.events),
                ("deliveries (events + duplicates to both replicas)", len(answers)),
                ("deliveries answered 200 stored / duplicate / failed",
                 f"{answers.count('stored')} / {answers.count('duplicate')} / {answers.count('failed')}"),
                ("events stored in the inbox", stored),
                ("inbox outcomes", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))),
                ("results applied by replica a / b (their logs)", f"{counted['a']} / {counted['b']}"),
                ("events applied once (calls with their webhook result)", with_result),
                ("events applied twice (results counted beyond one per call)", max(0, counted["a"] + counted["b"] - with_result)),
                ("events lost (acknowledged, call without result)", len(acknowledged - evaluated)),
                ("intake, s (all deliveries answered)", round(intake_s, 2)),
                ("until every event was applied, s", round(applied_s, 2)),
            ]
            notes = [f"2 serve replicas (--reconcile-every 1s) on one PostgreSQL schema ({jdbc}); event i to replica i % 2, "
                     f"the first {a.duplicates} also to the other replica; {a.senders} senders",
                     "applied twice: the sum of the results the replicas' logs count (serve rounds and run reconcile steps) minus "
                     "the calls with a result; the ledger keeps a call's first result, so a second application would show here"]
            b.publish("replicas" + ("-quick" if a.quick else ""),
                      b.header(f"Replicas — {a.events:,} webhooks to 2 serve replicas on one PostgreSQL", sys.argv) + b.figures(rows, notes))
            ok = with_result == a.events and counted["a"] + counted["b"] == a.events and stored == a.events and not acknowledged - evaluated
            return 0 if ok else 1
    finally:
        for proc in replicas:
            b.kill(proc)
        if not a.keep:
            psql(server, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


if __name__ == "__main__":
    sys.exit(main())
