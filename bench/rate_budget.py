#!/usr/bin/env python3
"""Rate budget: several calleval executions on one Bluejay account share its request budget (docs/rate-budget.md).

    bench/rate-budget.sh [--calls N] [--processes "1 2 3"] [--limit L] [--latency-ms MS] [--postgres JDBC_URL] [--no-serve] [--quick]
                         [--keep] [--cold-sandbox] [--sandbox-java-opts OPTS]

Each scenario gets a fresh sandbox (--rate-limit L: above L requests in a rolling second it answers 429; --latency-ms;
on ZGC, --sandbox-java-opts "" for the JVM's default G1) and a fresh state store, warms the sandbox with a 60-call run
of its own at half the limit (not counted; --cold-sandbox leaves it out), then:
  h2 / postgresql, N processes: N `calleval run` processes started 2 s apart, each a job of its own over its own
      manifest of N calls, all with submit.rate-limit L, on one store (one H2 file in one directory, as a cron run and
      serve share it on a host; or a new schema on the PostgreSQL server of --postgres / $CALLEVAL_TEST_POSTGRES_URL);
  serve: one `calleval serve --concurrent-executions 2` on H2, two jobs launched together through its API.
The account's limit is calleval.bluejay.rate-limit.per-second = L (CALLEVAL_BLUEJAY_RATE_LIMIT_PER_SECOND).
Figures from the sandbox's request log (every endpoint, not only evaluate) and counters: the busiest sliding second of
arrivals, 429 answers, the sandbox's longest pause (a safepoint: GC or other; a request arriving in one is stamped late),
accepted evaluate calls per second together over the overlap (from the last first-arrival to the first last-arrival of
the jobs' accepted calls, told apart by call id prefix), and calls left FAILED in the reports.
Done when (issue 16): 2 and 3 processes, and serve with 2 launches, at 20/s: <= L + 1 in any sliding second, <= 2
answers 429, >= 97 % of L accepted over the overlap, no call FAILED.
--quick: 120 calls per job, 1 and 2 processes on H2 only, and serve (a short check on a busy machine).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

import benchlib as b

TOKEN = "bench-api-token-rb-31c9"
# Processes start this far apart: H2 refuses a file whose lock another process is taking at that very moment ("Lock file
# recently modified", exit 2), and a cron run and an on-demand launch do not start in the same millisecond either
STAGGER_S = 2.0
# Calls of the warm-up run before each scenario (--cold-sandbox leaves it out)
WARM_UP_CALLS = 60
# The sandbox's collector (--sandbox-java-opts): on 2 cores shared with 2-4 calleval JVMs, G1's young pauses in the
# sandbox took 12-40 ms (seen: 23, 29, 40 ms), and a request arriving in one is stamped that much late; 20 ms late
# is enough for the 21st request of a sliding second, sent 1,020 ms after it, to land within 1 s of it and be answered
# 429. ZGC pauses the sandbox for well under a millisecond. Bluejay's servers do not share calleval's cores.
SANDBOX_GC = "-XX:+UseZGC"


def job_files(d, jobs, calls, limit, inflight):
    """One manifest and job file per job (call ids prefixed with the job's name, so that arrivals can be told apart)."""
    paths = []
    (d / "jobs").mkdir(parents=True, exist_ok=True)
    for name in jobs:
        manifest, _ = b.write_manifest(d / "data" / name, calls, prefix=name)
        paths.append(b.bench_job(d / "jobs" / f"{name}.yaml", name, manifest, d / "reports", rate_limit=limit, max_in_flight=inflight))
    return paths


def fresh_postgres(jdbc_url):
    """A new schema on the server of JDBC_URL (jdbc:postgresql://host:port/db?user=..&password=..), created with psql."""
    schema = "rb_" + uuid.uuid4().hex[:8]
    rest = jdbc_url[len("jdbc:postgresql://"):]
    hostport, _, tail = rest.partition("/")
    db, _, query = tail.partition("?")
    params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
    user = params.get("user") or os.environ.get("CALLEVAL_TEST_POSTGRES_USER", "postgres")
    password = params.get("password") or os.environ.get("CALLEVAL_TEST_POSTGRES_PASSWORD", "")
    host, _, port = hostport.partition(":")
    subprocess.run(["psql", "-X", "-q", "-h", host, "-p", port or "5432", "-U", user, "-d", db, "-c", f"CREATE SCHEMA {schema}"],
                   check=True, env=dict(os.environ, PGPASSWORD=password))
    base = jdbc_url.split("?")[0]
    return f"{base}?currentSchema={schema}&user={user}&password={password}"


def warm_up(sandbox, d, limit, inflight, calls=WARM_UP_CALLS):
    """A short run of its own against the fresh sandbox, at half the limit, then a pause longer than the server's
    window: a fresh sandbox JVM compiles its evaluate path on its first requests, and the CPU that takes on 2 cores
    delays the arrival times it stamps (seen: requests sent 50 ms apart stamped within 13 ms, 200 ms late, at the first
    process's start). Bluejay's servers are warm; this makes the sandbox so too. Returns the instant (epoch seconds)
    after which the request log counts."""
    w = d / "warm-up"
    w.mkdir()
    manifest, _ = b.write_manifest(w / "data", calls, prefix="warmup")
    job = b.bench_job(w / "warmup.yaml", "warmup", manifest, w / "reports", rate_limit=limit / 2, max_in_flight=inflight)
    code = b.run_app(["run", job], env_for(sandbox, b.db_url(w), limit), w / "app.log", cwd=w)
    if code != 0:
        raise RuntimeError(f"the warm-up run exited {code}; see {w / 'app.log'}")
    time.sleep(1.5)
    return time.time()


def env_for(sandbox, database, limit, port=None):
    env = b.app_env(sandbox.url, database, server_port=port)
    env["CALLEVAL_BLUEJAY_RATE_LIMIT_PER_SECOND"] = str(limit)
    env["CALLEVAL_PROGRESS_MODE"] = "log"
    return env


def summarise(sandbox, d, jobs, limit, since=None):
    log = [r for r in sandbox.requests_log() if since is None or b.parse_instant(r["received_at"]) > since]
    (d / "requests.json").write_text(json.dumps(log))
    arrivals = sorted(b.parse_instant(r["received_at"]) for r in log)
    busiest, j = 0, 0
    for i, t in enumerate(arrivals):
        while t - arrivals[j] >= 1.0:
            j += 1
        busiest = max(busiest, i - j + 1)
    too_many = sum(1 for r in log if str(r.get("status")) == "429")
    # accepted evaluate calls per job, by the call id prefix in the path or body the sandbox logged
    accepted = [r for r in log if r.get("endpoint") == "evaluate" and str(r.get("status")).startswith("2")]
    spans = []
    for name in jobs:
        mine = sorted(b.parse_instant(r["received_at"]) for r in accepted if name in json.dumps(r))
        if mine:
            spans.append((mine[0], mine[-1]))
    overlap_rate = None
    if len(spans) == len(jobs) and spans:
        start, end = max(s for s, _ in spans), min(e for _, e in spans)
        inside = [t for t in (b.parse_instant(r["received_at"]) for r in accepted) if start <= t <= end]
        if end - start > 1 and len(inside) > 1:
            overlap_rate = round((len(inside) - 1) / (end - start), 2)
    failed = 0
    for name in jobs:
        counts = b.get(b.latest_summary(d / "reports", name), "counts", default={}) or {}
        failed += int(b.get(counts, "failed", default=0) or 0)
    return {"busiest_second": busiest, "requests": len(log), "too_many": too_many, "accepted": len(accepted),
            "overlap_per_s": overlap_rate, "share_of_limit": round(overlap_rate / limit, 4) if overlap_rate else None, "failed": failed}


def sandbox_for(d, limit, latency, java_opts):
    """The scenario's sandbox, logging its safepoints (every stop of its threads) to d/sandbox-pauses.log."""
    pauses = f"-Xlog:safepoint:file={d / 'sandbox-pauses.log'}:timemillis"
    return b.Sandbox("--latency-ms", latency, "--rate-limit", limit, "--record-bodies", "true", log_path=d / "sandbox.log",
                     java_opts=[*java_opts, pauses])


def longest_pause_ms(d, since):
    """The longest safepoint in d/sandbox-pauses.log after since (epoch seconds; None: all), in ms, or None."""
    longest = None
    path = d / "sandbox-pauses.log"
    if not path.exists():
        return None
    for line in path.read_text().splitlines():
        m = re.match(r"\[(\d+)ms\].*Total: (\d+) ns", line)
        if m and (since is None or int(m.group(1)) / 1000 > since):
            ms = int(m.group(2)) / 1e6
            longest = ms if longest is None else max(longest, ms)
    return None if longest is None else round(longest, 1)


def runs_scenario(store, n, calls, limit, latency, inflight, postgres, work, warm=True, sandbox_opts=()):
    d = work / f"{store}-{n}"
    d.mkdir()
    jobs = [f"rb{k}" for k in range(1, n + 1)]
    files = job_files(d, jobs, calls, limit, inflight)
    # calleval's default H2 URL: AUTO_RECONNECT lets the others go on when the process serving the file exits first
    database = b.db_url(d, ";AUTO_RECONNECT=TRUE") if store == "h2" else fresh_postgres(postgres)
    with sandbox_for(d, limit, latency, sandbox_opts) as sandbox:
        since = warm_up(sandbox, d, limit, inflight) if warm else None
        b.log(f"{store}, {n} process(es), {calls} calls each ...")
        procs = []
        for k, f in enumerate(files, 1):
            if k > 1:
                time.sleep(STAGGER_S)
            procs.append(b.start_app(["run", f], env_for(sandbox, database, limit), d / f"app-{k}.log", cwd=d))
        codes = []
        for p in procs:
            try:
                codes.append(p.wait(1800))
            except subprocess.TimeoutExpired:
                b.kill(p)
                codes.append(None)
        row = summarise(sandbox, d, jobs, limit, since)
    row.update(pause=longest_pause_ms(d, since))
    row.update(scenario=f"{store}, {n} run process{'es' if n > 1 else ''}", exits=" ".join(str(c) for c in codes))
    return row


def serve_scenario(calls, limit, latency, inflight, work, warm=True, sandbox_opts=()):
    d = work / "serve-2"
    d.mkdir()
    jobs = ["rb1", "rb2"]
    job_files(d, jobs, calls, limit, inflight)
    port = b.free_port()
    with sandbox_for(d, limit, latency, sandbox_opts) as sandbox:
        since = warm_up(sandbox, d, limit, inflight) if warm else None
        env = env_for(sandbox, b.db_url(d, ";AUTO_RECONNECT=TRUE"), limit, port)
        env["CALLEVAL_API_TOKEN"] = TOKEN
        proc = b.start_app(["serve", "--concurrent-executions", "2"], env, d / "app.log", cwd=d)
        api = f"http://127.0.0.1:{port}/api"
        auth = {"Authorization": f"Bearer {TOKEN}"}
        try:
            for _ in range(240):
                if proc.poll() is not None:
                    raise RuntimeError(f"serve exited {proc.returncode}; see {d / 'app.log'}")
                try:
                    # readiness, as Kubernetes asks: the launch API answers 503 "serve is still starting" until then
                    if requests.get(f"http://127.0.0.1:{port}/actuator/health/readiness", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                time.sleep(0.5)
            b.log(f"serve, 2 concurrent launches, {calls} calls each ...")
            ids = []
            for name in jobs:
                answer = requests.post(f"{api}/jobs/{name}/executions", headers=auth, json={}, timeout=30)
                if answer.status_code != 202:
                    raise RuntimeError(f"launching {name} answered {answer.status_code}: {answer.text}")
                ids.append(answer.json()["execution_id"])
            statuses = {}
            deadline = time.monotonic() + 1800
            while time.monotonic() < deadline:
                statuses = {i: requests.get(f"{api}/executions/{i}", headers=auth, timeout=30).json().get("status") for i in ids}
                if all(s in ("COMPLETED", "FAILED", "STOPPED", "ABANDONED") for s in statuses.values()):
                    break
                time.sleep(2)
            row = summarise(sandbox, d, jobs, limit, since)
        finally:
            proc.terminate()
            try:
                proc.wait(90)
            except subprocess.TimeoutExpired:
                b.kill(proc)
    row.update(pause=longest_pause_ms(d, since))
    row.update(scenario="h2, serve with 2 concurrent launches", exits=" ".join(str(s) for s in statuses.values()))
    return row


def percent(share):
    """A share as a percentage with one decimal (96.8 %, not a rounded 0.97 that hides a miss), or None."""
    return None if share is None else f"{share * 100:.1f} %"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--calls", type=int, default=600, help="calls per job (default 600: 30 s per process alone at 20/s)")
    p.add_argument("--processes", default="1 2 3")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--latency-ms", type=int, default=300)
    p.add_argument("--max-in-flight", type=int, default=16)
    p.add_argument("--postgres", default=os.environ.get("CALLEVAL_TEST_POSTGRES_URL"),
                   help="JDBC URL of a PostgreSQL server to add the postgresql rows (default $CALLEVAL_TEST_POSTGRES_URL)")
    p.add_argument("--no-serve", action="store_true")
    p.add_argument("--quick", action="store_true", help="120 calls, 1 and 2 processes on H2, and serve")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--cold-sandbox", action="store_true", help="leave out the warm-up run before each scenario")
    p.add_argument("--sandbox-java-opts", default=SANDBOX_GC,
                   help=f"JVM options of each scenario's sandbox (default {SANDBOX_GC}, left out when $BENCH_SANDBOX_JAVA_OPTS "
                        "picks a collector; '' for the JVM's default collector; options starting with - need the = form: "
                        "--sandbox-java-opts=-XX:+UseParallelGC)")
    a = p.parse_args()
    sandbox_opts = a.sandbox_java_opts.split()
    if a.sandbox_java_opts == SANDBOX_GC and any(o.startswith("-XX:+Use") and o.endswith("GC") for o in b.SANDBOX_JAVA_OPTS):
        sandbox_opts = []  # $BENCH_SANDBOX_JAVA_OPTS picks the collector (two make the JVM refuse to start)
    counts = [int(x) for x in a.processes.split()]
    stores = ["h2"] + (["postgresql"] if a.postgres else [])
    if a.quick:
        a.calls, counts, stores = 120, [1, 2], ["h2"]
    title = b.header(f"Rate budget - one account, limit {a.limit}/s, sandbox latency {a.latency_ms} ms, {a.calls} calls per job", sys.argv)
    work = b.workdir("rate-budget", a.keep)
    rows = []
    for store in stores:
        for n in counts:
            rows.append(runs_scenario(store, n, a.calls, a.limit, a.latency_ms, a.max_in_flight, a.postgres, work, not a.cold_sandbox,
                                      sandbox_opts))
    if not a.no_serve:
        rows.append(serve_scenario(a.calls, a.limit, a.latency_ms, a.max_in_flight, work, not a.cold_sandbox, sandbox_opts))
    table = b.table(["scenario", "busiest 1 s", "429s", "accepted/s (overlap)", "share of limit", "FAILED", "exits", "sandbox pause"],
                    [(r["scenario"], r["busiest_second"], r["too_many"], r["overlap_per_s"], percent(r["share_of_limit"]), r["failed"], r["exits"],
                      None if r["pause"] is None else f"{r['pause']} ms") for r in rows])
    notes = [f"target for 2+ executions: busiest 1 s <= {a.limit + 1}, 429s <= 2, share >= 97.0 %, FAILED 0",
             "busiest 1 s and 429s count every request the sandbox received (evaluate, lookups, polls), as the server sees them",
             "the sandbox is cold (no warm-up run)" if a.cold_sandbox else
             f"each scenario's sandbox is warmed by a {WARM_UP_CALLS}-call run at half the limit first; its requests are not counted",
             f"sandbox JVM options: {' '.join(b.SANDBOX_JAVA_OPTS + sandbox_opts)}"
             f"{'' if any('GC' in o for o in b.SANDBOX_JAVA_OPTS + sandbox_opts) else ' (the JVM default collector, G1)'}; sandbox pause: its longest stop "
             "(GC or other safepoint) while the row ran; a request arriving in one is stamped that much late"]
    b.publish("rate-budget-quick" if a.quick else "rate-budget", title + "\n" + table + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n")


if __name__ == "__main__":
    main()
