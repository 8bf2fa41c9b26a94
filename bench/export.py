#!/usr/bin/env python3
"""Export memory: a ledger of N evaluated calls (default 1,000,000), filled directly with SQL, exported with -Xmx256m (the
heap of B3) — once as CSV by execution (``export 1 --format csv``: input order, a column per custom metric, the first
pass over metric names included) and once as JSON Lines by job (``export --job bench-export --format jsonl``). Prints,
for each: rows written, wall time, rows per second, peak RSS, heap in use after GC pauses (an upper bound of live data)
and the output's size.

How the ledger is filled: a one-row job runs with ``--sandbox`` (so that job execution 1 and the schema exist, as a real
run makes them); then one ``INSERT ... SELECT FROM SYSTEM_RANGE(1, N)`` through the H2 shell inside calleval.jar adds N
EVALUATED rows to ``call_ledger`` (job bench-export, execution 1, label, metadata, three custom metrics, an evaluation
JSON of ~1.3 KB with reasonings, latencies and a summary, as the sandbox and Bluejay send it) and one more the N
``execution_call`` rows (lines 3..N+2, after the run's own call on line 2). Nothing is sent; filling is not part of the figures.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

import benchlib as b
from b3_memory import gc_after_mb

JOB = "bench-export"

EVALUATION = {
    "id": "ev-#N#", "created_at": "2026-01-01T06:00:00Z", "hallucination": False,
    "hallucination_reasoning": "The agent's statements about the order match the tool call results; nothing was invented.",
    "redundancy": False, "redundancy_reasoning": None, "agent_speak_percentage": 61.5, "avg_agent_latency": 0.949,
    "latency": {"avg_agent_latency": 0.949, "max_agent_latency": 1.192, "p50_agent_latency": 1.157, "p90_agent_latency": 1.192,
                "p95_agent_latency": 1.192, "p99_agent_latency": 1.192},
    "filler_ignored_latency": {"avg_filler_ignored_latency": 1.927, "p50_filler_ignored_latency": 1.157,
                               "p90_filler_ignored_latency": 4.126, "p95_filler_ignored_latency": 4.126,
                               "p99_filler_ignored_latency": 4.126},
    "num_turns": 5,
    "call_summary": "The customer asked about a late order. The agent found the order, said it left the warehouse this morning "
                    "and arrives tomorrow before noon, and the customer thanked the agent and ended the call.",
    "goal_success": "#G#", "goal_reasoning": "The customer learned when the order arrives, which was the goal of the call.",
    "pronunciation_score": 0.93, "pronunciation_reasoning": "Clear; one order number read digit by digit.",
    "sentiment_label": "positive", "sentiment_score": 0.82,
    "custom_metrics": [
        {"name": "Verified identity", "description": "Did the agent verify the caller?", "response_type": "pass_fail",
         "response_value": "#V#", "reasoning": "The agent asked for the order number and the name on the order."},
        {"name": "Politeness", "description": "1-5", "response_type": "quantitative", "response_value": "4", "min_value": 1,
         "max_value": 5},
        {"name": "Resolution", "description": "How the call ended", "response_type": "enum", "response_value": "informed"},
    ],
}
CUSTOM = {"Verified identity": "#V#", "Politeness": "4", "Resolution": "informed"}
METADATA = {"queue": "orders", "customer_tier": "gold", "calleval_job": JOB, "calleval_source_id": "#S#"}


def sql_text(value) -> str:
    return "'" + json.dumps(value, separators=(",", ":")).replace("'", "''") + "'"


def fill_sql(n: int, chunk: int = 50_000) -> str:
    """The statements that add N evaluated calls of execution 1 (placeholders replaced per row): one INSERT per CHUNK rows
    (each its own transaction), then the execution_call rows."""
    sid = "'bx-' || LPAD(CAST(X AS VARCHAR), 7, '0')"
    goal = "CASE WHEN MOD(X, 5) = 0 THEN 'false' ELSE 'true' END"
    verified = "CASE WHEN MOD(X, 7) = 0 THEN 'fail' ELSE 'pass' END"
    evaluation = (f"REPLACE(REPLACE(REPLACE({sql_text(EVALUATION)}, '#N#', CAST(X AS VARCHAR)), '\"#G#\"', {goal}), "
                  f"'#V#', {verified})")
    ledger = "".join(insert_ledger(first, min(first + chunk - 1, n), sid, goal, verified, evaluation) for first in range(1, n + 1, chunk))
    return ledger + f"""
INSERT INTO execution_call (job_execution_id, ledger_id, source_ref, line, disposition)
SELECT 1, id, source_ref, CAST(SUBSTRING(source_id, 4) AS BIGINT) + 2, 'CLAIMED' FROM call_ledger WHERE source_id LIKE 'bx-%';
"""


def insert_ledger(first, last, sid, goal, verified, evaluation) -> str:
    return f"""
INSERT INTO call_ledger (endpoint, agent_key, source_id, state, call_id, fingerprint, attempts, in_doubt, source_ref, job_name,
    job_execution_id, bluejay_status, result_source, evaluation_id, goal_success, hallucination, num_turns, agent_speak_pct,
    latency_p50, latency_p90, custom_metrics, created_at, updated_at, submitted_at, result_at, label, metadata, evaluation)
SELECT 'sandbox', '1234', {sid}, 'EVALUATED', 'call-' || X, 'fp', 1, FALSE, 'bench-manifest.csv:' || (X + 2), '{JOB}', 1, 'COMPLETED',
    'WEBHOOK', 'ev-' || X, MOD(X, 5) <> 0, FALSE, 5, 61.5, 1.157, 1.192, REPLACE({sql_text(CUSTOM)}, '#V#', {verified}),
    TIMESTAMP WITH TIME ZONE '2026-01-01 05:00:00+00', TIMESTAMP WITH TIME ZONE '2026-01-01 06:00:00+00',
    TIMESTAMP WITH TIME ZONE '2026-01-01 05:00:01+00', TIMESTAMP WITH TIME ZONE '2026-01-01 06:00:00+00',
    'production', REPLACE({sql_text(METADATA)}, '#S#', {sid}), {evaluation}
FROM SYSTEM_RANGE({first}, {last});
"""


def h2_shell(directory, sql):
    """Runs SQL on the state store DIRECTORY/db with the H2 shell inside calleval.jar (see benchlib.h2_query)."""
    b.h2_query(directory, "SELECT 1")  # extracts h2.jar next to the bench scripts
    h2 = b.BENCH_DIR / ".cache" / "h2.jar"
    script = directory / "fill.sql"
    script.write_text(sql)
    subprocess.run(["java", "-cp", str(h2), "org.h2.tools.RunScript", "-url", b.db_url(directory), "-user", "sa", "-password", "",
                    "-script", str(script)], check=True)


def count_records(path, fmt) -> int:
    with open(path, newline="", encoding="utf-8") as f:
        if fmt == "csv":
            return sum(1 for _ in csv.reader(f)) - 1
        return sum(1 for line in f if line.strip())


def export_run(work, env, label, args, heap, out_file, fmt):
    gc_log = work / f"gc-{label}.log"
    time_file = work / f"time-{label}.txt"
    log_file = work / f"{label}.log"
    b.log(f"export ({label}): java -Xmx{heap} -jar calleval.jar {' '.join(args)}")
    t0 = time.monotonic()
    proc = b.start_app(args + ["--output", str(out_file)], env, log_file, cwd=work, heap=heap,
                       java_opts=[f"-Xlog:gc:file={gc_log}"], wrap=["/usr/bin/time", "-v", "-o", str(time_file)])
    watch = b.MemoryWatch(b.java_child(proc.pid) or proc.pid)
    watch.start()
    code = proc.wait()
    wall = time.monotonic() - t0
    watch.join(2)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_file.read_text()) if time_file.exists() else None
    text = log_file.read_text(errors="replace")
    rows = count_records(out_file, fmt) if out_file.exists() else 0
    median, peak = gc_after_mb(gc_log)
    return [
        (f"{label}: exit code", code),
        (f"{label}: records written", rows),
        (f"{label}: wall time, launch to exit (s)", round(wall, 1)),
        (f"{label}: records per second", round(rows / wall, 1) if wall else 0),
        (f"{label}: peak RSS, /usr/bin/time -v (MB)", round(int(m.group(1)) / 1024, 1) if m else "n/a"),
        (f"{label}: peak RSS, /proc VmHWM poll (MB)", round(watch.peak_kb / 1024, 1)),
        (f"{label}: heap in use after GC pauses, median / max (MB)", f"{median:.0f} / {peak:.0f}"),
        (f"{label}: output size (MB)", round(out_file.stat().st_size / 1e6, 1) if out_file.exists() else 0),
        (f"{label}: OutOfMemoryError", "YES" if "OutOfMemoryError" in text else "no"),
    ], code == 0 and rows and "OutOfMemoryError" not in text


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="evaluated calls in the ledger (default 1,000,000)")
    p.add_argument("--heap", default="256m", help="-Xmx of the export (default 256m, B3's)")
    p.add_argument("--quick", action="store_true", help="10,000 rows")
    p.add_argument("--keep", action="store_true", help="keep the work directory (database, exports, logs)")
    a = p.parse_args(argv)
    if a.quick:
        a.rows = 10_000
    work = b.workdir("export", a.keep)
    manifest, _ = b.write_manifest(work / "data", 1)
    job = b.write_job(work / f"{JOB}.yaml", JOB, manifest, work / "reports")
    env = dict(os.environ, CALLEVAL_DB_URL=b.db_url(work), SERVER_PORT=str(b.free_port()))
    env.pop("BLUEJAY_API_KEY", None)
    b.log("one-row run with --sandbox: the schema and job execution 1")
    code = b.run_app(["run", job, "--sandbox"], env, work / "run.log", cwd=work)
    if code != 0:
        b.log(f"the one-row run exited {code}; see {work / 'run.log'}")
        return 1
    t = time.monotonic()
    h2_shell(work, fill_sql(a.rows))
    fill_s = time.monotonic() - t
    b.log(f"{a.rows:,} evaluated calls inserted in {fill_s:.1f} s; database {sum(f.stat().st_size for f in (work / 'db').iterdir()) / 1e6:.0f} MB")
    rows = [("calls in the ledger (filled by SQL)", a.rows + 1), ("heap limit (-Xmx)", a.heap), ("fill time (s)", round(fill_s, 1))]
    csv_rows, csv_ok = export_run(work, env, "csv-by-execution", ["export", "1", "--format", "csv"], a.heap, work / "out.csv", "csv")
    jsonl_rows, jsonl_ok = export_run(work, env, "jsonl-by-job", ["export", "--job", JOB, "--format", "jsonl"], a.heap,
                                      work / "out.jsonl", "jsonl")
    notes = ["one process per export: JVM and Spring start, inbox pass (empty), then the export; the CSV reads the ledger twice "
             "(metric names, then the calls in input order along execution_call_line_ix)",
             "H2 file database (calleval's default) read in lazy query execution; on PostgreSQL the same reads go through a cursor "
             "(read-only transaction, fetch size 500)",
             "heap after GC pauses is an upper bound of live data: G1 lets the old generation fill with H2's page cache and "
             "garbage before a mixed collection; --heap 64m shows the export needs far less"]
    b.publish("export" + ("-quick" if a.quick else ""),
              b.header(f"Export — {a.rows:,} evaluated calls, -Xmx{a.heap}", sys.argv) + b.figures(rows + csv_rows + jsonl_rows, notes))
    return 0 if csv_ok and jsonl_ok else 1


if __name__ == "__main__":
    sys.exit(main())
