"""Shared plumbing of the B3 (memory), B4 (webhook intake) and B5 (restart) benchmarks.

Standard library + requests only. Starts the calleval jar as a standalone sandbox and as ``run``, writes job files,
watches a process's memory, and prints / saves the table of figures (``bench/results/<name>-<date>.txt``).
"""
import datetime as _dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)
JAR = os.path.join(ROOT, "target", "calleval.jar")
RESULTS_DIR = os.path.join(BENCH_DIR, "results")
API_KEY = "bench"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ensure_jar() -> str:
    """The application jar; built once (offline Maven) when it is missing."""
    if not os.path.exists(JAR):
        log("target/calleval.jar missing: building it (mvn -B -o -q package -DskipTests)")
        subprocess.run(["mvn", "-B", "-o", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    return JAR


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workdir(prefix: str, keep: bool) -> str:
    d = tempfile.mkdtemp(prefix=f"calleval-{prefix}-")
    log(f"work directory {d}{' (kept)' if keep else ''}")
    return d


def cleanup(path: str, keep: bool) -> None:
    if not keep:
        shutil.rmtree(path, ignore_errors=True)


class Sandbox:
    """``java -jar calleval.jar sandbox`` as a separate process; admin endpoints read with requests."""

    def __init__(self, work: str, heap: str = "2g", flags=(), env=None):
        self.port = free_port()
        self.out_path = os.path.join(work, "sandbox.log")
        out = open(self.out_path, "w")
        cmd = ["java", f"-Xmx{heap}", "-jar", ensure_jar(), "sandbox", "--port", str(self.port), *flags]
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sandbox exited {self.proc.returncode}; see {self.out_path}")
            try:
                requests.get(self.url + "/_sandbox/stats", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            raise RuntimeError("sandbox did not answer within 60 s")
        log(f"sandbox {self.url} (pid {self.proc.pid}) {' '.join(flags)}")

    def stats(self) -> dict:
        return requests.get(self.url + "/_sandbox/stats", timeout=120).json()

    def requests_log(self) -> list:
        return requests.get(self.url + "/_sandbox/requests", timeout=600).json()

    def source_id_counts(self, agent_id: str = "1234") -> dict:
        """Calls created per ``metadata.calleval_source_id``, from the paged call listing (slow for large counts)."""
        counts, page = {}, 1
        while True:
            body = requests.get(f"{self.url}/v1/retrieve-call-logs/{agent_id}",
                                params={"page": page, "page_size": 100, "last": "all"},
                                headers={"X-API-Key": API_KEY}, timeout=120).json()
            logs = body.get("call_logs") or body.get("calls") or []
            for c in logs:
                sid = (c.get("metadata") or {}).get("calleval_source_id")
                counts[sid] = counts.get(sid, 0) + 1
            if not logs or page >= int(body.get("total_pages") or 0):
                return counts
            page += 1

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def write_job(work: str, name: str, manifest: str, *, rate_limit: int = 0, max_in_flight: int = 16,
              chunk_size: int = 100, poll_after: str = "5m", lookup_delay: str = "5s", extra: str = "") -> str:
    """A job YAML in ``work`` over ``manifest``; reports under ``work/reports``. Returns its path."""
    path = os.path.join(work, f"{name}.yaml")
    with open(path, "w") as f:
        f.write(f"""name: {name}
source:
  location: {os.path.abspath(manifest)}
defaults:
  agent-id: "1234"
submit:
  rate-limit: {rate_limit}
  max-in-flight: {max_in_flight}
  chunk-size: {chunk_size}
  request-timeout: 60s
  retry:
    max-attempts: 5
    initial-backoff: 500ms
    max-backoff: 30s
  in-doubt:
    lookup-delay: {lookup_delay}
    max-pages: 10
results:
  window: 6h
  poll-after: {poll_after}
  poll-interval: 10s
report:
  directory: {os.path.join(work, 'reports')}
{extra}""")
    return path


def app_env(work: str, sandbox: Sandbox, server_port: int = 0, secret: str = "", db_options: str = "") -> dict:
    """Environment of a calleval process: the sandbox, a fresh H2 file database in ``work/db`` (``db_options``
    appended to its URL, e.g. ``;WRITE_DELAY=0``) and the webhook receiver's port."""
    env = {**os.environ, "BLUEJAY_BASE_URL": sandbox.url, "BLUEJAY_API_KEY": API_KEY,
           "CALLEVAL_DB_URL": f"jdbc:h2:file:{os.path.join(work, 'db', 'calleval')};AUTO_SERVER=TRUE;WRITE_DELAY=0{db_options}",
           "SERVER_PORT": str(server_port or free_port())}
    if secret:
        env["BLUEJAY_WEBHOOK_SECRET"] = secret
    else:
        env.pop("BLUEJAY_WEBHOOK_SECRET", None)
    return env


def summary(work: str, job: str, execution=None) -> dict:
    """``summary.json`` of the execution (default: the highest execution id) of ``job``."""
    base = os.path.join(work, "reports", job)
    if not os.path.isdir(base):
        return {}
    ids = sorted(int(d) for d in os.listdir(base) if d.isdigit())
    if not ids:
        return {}
    path = os.path.join(base, str(execution if execution is not None else ids[-1]), "summary.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def get(d: dict, *keys, default=None):
    """``d[k1][k2]...`` trying snake_case and camelCase spellings of each key."""
    for k in keys:
        if not isinstance(d, dict):
            return default
        camel = re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), k)
        d = d.get(k, d.get(camel, default)) if isinstance(d, dict) else default
    return d


class MemoryWatch(threading.Thread):
    """Polls ``/proc/PID/status`` for VmHWM (peak RSS, kB) of one process until it exits."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0

    def run(self) -> None:
        path = f"/proc/{self.pid}/status"
        while True:
            try:
                with open(path) as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            except (FileNotFoundError, ProcessLookupError, ValueError):
                return
            time.sleep(self.interval)


def parse_instant(text):
    """An ISO-8601 instant (``2026-11-20T23:35:25.315762302Z``) as epoch seconds, or None."""
    if not text:
        return None
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$", text)
    if not m:
        return None
    base = _dt.datetime.fromisoformat(m.group(1) + ("+00:00" if m.group(3) == "Z" else m.group(3))).timestamp()
    return base + (float("0." + m.group(2)) if m.group(2) else 0.0)


def execution_seconds(s: dict):
    """summary.json's end_time - start_time in seconds, or None."""
    start, end = parse_instant(get(s, "start_time")), parse_instant(get(s, "end_time"))
    return round(end - start, 1) if start is not None and end is not None else None


def fmt(v) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def table(name: str, title: str, rows, notes=()) -> str:
    """Prints ``rows`` ((figure, value) pairs) as a table and saves it as ``bench/results/<name>-<date>.txt``."""
    width = max(len(r[0]) for r in rows)
    lines = [f"{title}", f"date {_dt.datetime.now().astimezone().isoformat(timespec='seconds')}, "
             f"{os.cpu_count()} cores, {java_version()}", "",
             f"| {'figure'.ljust(width)} | value |", f"|{'-' * (width + 2)}|-------|"]
    lines += [f"| {r[0].ljust(width)} | {fmt(r[1])} |" for r in rows]
    if notes:
        lines.append("")
        lines += [f"- {n}" for n in notes]
    text = "\n".join(lines) + "\n"
    print(text)
    os.makedirs(RESULTS_DIR, exist_ok=True)
    path = os.path.join(RESULTS_DIR, f"{name}-{_dt.date.today().isoformat()}.txt")
    with open(path, "w") as f:
        f.write(text)
    log(f"table written to {os.path.relpath(path, ROOT)}")
    return text


def java_version() -> str:
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
        return out.replace('"', "")
    except (OSError, IndexError):
        return "java ?"
