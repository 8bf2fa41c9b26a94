"""The one helper module of the bench/ scripts (B1-B5, R1-R4): the calleval jar, a standalone sandbox process, calleval
runs as separate processes, manifests, job files, the state store, the sandbox's request log, and the printed tables.

Python 3 standard library and ``requests`` only. Every process started here is stopped by its pid (or its own
process group), never by name. Work directories are ``/tmp/calleval-bench/<name>-XXXXXX``, removed at exit unless
``keep`` or ``BENCH_KEEP=1``.
"""
import atexit
import csv
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
JAR = Path(os.environ.get("CALLEVAL_JAR") or ROOT / "target" / "calleval.jar")
RESULTS_DIR = BENCH_DIR / "results"
AGENT = "1234"
# distinctive on purpose: R4 searches every log, report and database file for them
API_KEY = "bench-api-key-r-7f3a91c2"
WEBHOOK_SECRET = "bench-webhook-secret-r-5d20e8b4"
# Without TCP_NODELAY the JDK HTTP server's answers on a kept-alive connection wait ~40 ms for the client's delayed
# ACK (Nagle), which caps calleval at in-flight / 45 ms. BENCH_SANDBOX_JAVA_OPTS="" measures the sandbox as shipped.
SANDBOX_JAVA_OPTS = os.environ.get("BENCH_SANDBOX_JAVA_OPTS", "-Dsun.net.httpserver.nodelay=true").split()
# JVM options of every calleval process a script starts (e.g. "-XX:TieredStopAtLevel=1" to try JIT settings); none by default
APP_JAVA_OPTS = os.environ.get("BENCH_APP_JAVA_OPTS", "").split()


# --- processes -------------------------------------------------------------------------------------------------

def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ensure_jar():
    """target/calleval.jar (or $CALLEVAL_JAR), built with offline Maven when it is missing."""
    if not JAR.exists():
        log(f"{JAR} missing: building it (mvn -B -o -q package -DskipTests)")
        subprocess.run(["mvn", "-B", "-o", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    return JAR


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workdir(name, keep=False):
    """A fresh /tmp/calleval-bench/NAME-XXXXXX, removed when the script exits unless keep or BENCH_KEEP=1."""
    base = Path(tempfile.gettempdir()) / "calleval-bench"
    base.mkdir(exist_ok=True)
    d = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=base))
    keep = keep or os.environ.get("BENCH_KEEP") == "1"
    log(f"work directory {d}{' (kept)' if keep else ''}")
    if not keep:
        atexit.register(shutil.rmtree, d, True)
    return d


def db_url(directory, options=""):
    """The H2 file state store in DIRECTORY/db, durable like calleval's default (WRITE_DELAY=0), OPTIONS appended."""
    return f"jdbc:h2:file:{Path(directory) / 'db' / 'calleval'};AUTO_SERVER=TRUE;WRITE_DELAY=0{options}"


def app_env(sandbox_url, database, server_port=None, secret=WEBHOOK_SECRET):
    """The environment of a calleval process: the sandbox, the API key, the state store, the receiver's port and
    (when ``secret``) the webhook secret."""
    env = dict(os.environ, BLUEJAY_BASE_URL=str(sandbox_url), BLUEJAY_API_KEY=API_KEY, CALLEVAL_DB_URL=database,
               SERVER_PORT=str(server_port or free_port()))
    env.pop("BLUEJAY_WEBHOOK_SECRET", None)
    if secret:
        env["BLUEJAY_WEBHOOK_SECRET"] = secret
    return env


def start_app(args, env, log_file, cwd=None, heap="512m", java_opts=(), wrap=()):
    """``java -Xmx<heap> [$BENCH_APP_JAVA_OPTS] [java_opts] -jar calleval.jar ARGS`` as a separate process in its own process group, output
    appended to ``log_file``; ``heap`` None leaves the JVM's default; ``wrap`` prefixes the command (e.g. /usr/bin/time)."""
    out = open(log_file, "a")
    cmd = [*wrap, "java", *([f"-Xmx{heap}"] if heap else []), *APP_JAVA_OPTS, *java_opts, "-jar", str(ensure_jar()), *map(str, args)]
    return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)


def kill(proc):
    """SIGKILL to the process group of a process from start_app, if it is still running."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def run_app(args, env, log_file, cwd=None, timeout=600, **options):
    """start_app and wait; its exit code, or None (killed) after ``timeout`` seconds."""
    proc = start_app(args, env, log_file, cwd, **options)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        kill(proc)
        return None


def java_child(pid, timeout=5.0):
    """The pid of PID or its first descendant named java (e.g. under /usr/bin/time), or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        queue = [pid]
        while queue:
            p = queue.pop(0)
            try:
                if Path(f"/proc/{p}/comm").read_text().strip() == "java":
                    return p
                queue += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
            except OSError:
                pass
        time.sleep(0.05)
    return None


def cpu_seconds(pid):
    """utime + stime of PID in seconds (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class MemoryWatch(threading.Thread):
    """Polls /proc/PID/status for VmHWM (peak RSS, kB) of one process until it exits."""

    def __init__(self, pid, interval=0.2):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0

    def run(self):
        while True:
            try:
                for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            except (OSError, ValueError):
                return
            time.sleep(self.interval)


# --- the sandbox -----------------------------------------------------------------------------------------------

class Sandbox:
    """``calleval sandbox --port 0 FLAGS`` as its own process (in-memory state, no state store of its own). Its
    environment holds the bench's API key and webhook secret as BENCH_API_KEY and BENCH_WEBHOOK_SECRET, for
    ``--api-key-env`` and ``--webhook-secret-env``; ``java_opts`` come after $BENCH_SANDBOX_JAVA_OPTS. A context
    manager; ``stop()`` ends it by pid."""

    def __init__(self, *flags, heap="1g", log_path=None, java_opts=()):
        env = dict(os.environ, BENCH_WEBHOOK_SECRET=WEBHOOK_SECRET, BENCH_API_KEY=API_KEY, CALLEVAL_DB_URL="jdbc:h2:mem:sandbox")
        self.log_file = open(log_path, "w") if log_path else None
        cmd = ["java", f"-Xmx{heap}", *SANDBOX_JAVA_OPTS, *java_opts, "-jar", str(ensure_jar()), "sandbox", "--port", "0", *map(str, flags)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log_file or subprocess.DEVNULL, env=env, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http"):
            self.proc.kill()
            raise RuntimeError(f"sandbox did not start: {line!r}" + (f"; see {log_path}" if log_path else ""))
        self.url = line
        self.pid = self.proc.pid
        self.http = requests.Session()
        threading.Thread(target=self._drain, daemon=True).start()
        log(f"sandbox {self.url} (pid {self.pid}) {' '.join(map(str, flags))}")

    def _drain(self):
        for line in self.proc.stdout:
            if self.log_file:
                self.log_file.write(line)
                self.log_file.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def admin(self, path, timeout=600):
        """GET /_sandbox/PATH as JSON (stats, requests, webhooks).

        Asked again once on a dropped connection: the sandbox's HTTP server closes a connection idle for 30 s, and a
        poll every 30 s can meet a kept-alive connection just as it is closed (B3 at 1,000,000 rows did).
        """
        try:
            return self.http.get(f"{self.url}/_sandbox/{path}", timeout=timeout).json()
        except requests.ConnectionError:
            return self.http.get(f"{self.url}/_sandbox/{path}", timeout=timeout).json()

    def stats(self):
        return self.admin("stats", timeout=120)

    def requests_log(self):
        """Every request the sandbox answered, oldest first (GET /_sandbox/requests)."""
        body = self.admin("requests")
        return body if isinstance(body, list) else body.get("requests", [])

    def get(self, path, params=None, attempts=60):
        """A /v1 GET that rides out the sandbox's own injected faults (429, 503, resets)."""
        for _ in range(attempts):
            try:
                r = self.http.get(self.url + path, params=params, headers={"X-API-Key": API_KEY}, timeout=120)
                if r.status_code == 200:
                    return r.json()
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"GET {path} kept failing")

    def created_per_source(self, agent=AGENT):
        """Calls the sandbox created per metadata.calleval_source_id, from retrieve-call-logs (last=all; slow for many)."""
        counts, page = {}, 1
        while True:
            body = self.get(f"/v1/retrieve-call-logs/{agent}", {"page": page, "page_size": 100, "last": "all"})
            calls = body.get("call_logs") or []
            for call in calls:
                source = (call.get("metadata") or {}).get("calleval_source_id")
                counts[source] = counts.get(source, 0) + 1
            if not calls or page >= int(body.get("total_pages") or 0):
                return counts
            page += 1

    def evaluate_summary(self, save=None):
        """The evaluate requests received (see request_summary), optionally saving the raw request log as JSON."""
        requests_log = self.requests_log()
        if save:
            Path(save).write_text(json.dumps(requests_log))
        return request_summary(requests_log, self.stats())


def request_summary(requests_log, stats):
    """The evaluate requests of a sandbox's request log and counters: requests, statuses ("0" = closed without an
    answer), accepted (calls created), too_many (429), first/last arrival (UTC), span_s, calls_per_s =
    (accepted - 1) / span_s (the rate of the gaps: a client sending exactly L per second measures L), and
    max_in_any_sliding_second (arrivals, every answer), the sandbox's own figure."""
    evaluate = [r for r in requests_log if r.get("endpoint") == "evaluate"]
    statuses = {}
    for r in evaluate:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    arrivals = sorted(parse_instant(r["received_at"]) for r in evaluate)
    span = arrivals[-1] - arrivals[0] if arrivals else 0.0
    accepted = stats["evaluate_accepted"]
    iso = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat()
    return {
        "requests": len(evaluate), "statuses": statuses, "accepted": accepted, "too_many": statuses.get("429", 0),
        "first": iso(arrivals[0]) if arrivals else None, "last": iso(arrivals[-1]) if arrivals else None,
        "span_s": round(span, 3),
        "calls_per_s": round((accepted - 1) / span, 3) if span > 0 and accepted > 1 else None,
        "max_in_any_sliding_second": stats["max_evaluate_requests_in_any_sliding_second"],
    }


# --- input and job files ---------------------------------------------------------------------------------------

MANIFEST_HEADER = ["call_id", "agent_id", "start_time_utc", "recording", "transcript", "agent_name", "customer_name",
                   "call_direction", "interface", "tags", "custom_metrics"]

TRANSCRIPT = [
    {"start_offset_ms": 300, "end_offset_ms": 3600, "speaker": "AGENT", "utterance": "Thanks for calling, this is Nora. How can I help?"},
    {"start_offset_ms": 4400, "end_offset_ms": 7900, "speaker": "USER", "utterance": "Hi, I'd like to check on my order, it was due yesterday."},
    {"start_offset_ms": 9000, "end_offset_ms": 11200, "speaker": "AGENT", "utterance": "Sure. What's the order number?"},
    {"start_offset_ms": 12000, "end_offset_ms": 14700, "speaker": "USER", "utterance": "It's 48172."},
    {"start_offset_ms": 15600, "end_offset_ms": 24100, "speaker": "AGENT",
     "utterance": "Thanks. It left the warehouse this morning and arrives tomorrow before noon."},
    {"start_offset_ms": 25000, "end_offset_ms": 30000, "speaker": "USER", "utterance": "Great, thank you. Bye."},
]

# kind -> (column, bad value); each makes calleval reject the row locally
BAD_KINDS = [
    ("call_id", ""),                                                # missing call_id
    ("start_time_utc", "2026-01-01T00:00:00"),                      # no offset
    ("call_direction", "SIDEWAYS"),                                 # unknown enum
    ("transcript", "does-not-exist.json"),                          # missing file
    ("custom_metrics", "not-a-uuid"),                               # not a UUID
    ("recording", "https://recordings.example.com/" + "x" * 2100),  # URL over 2083 characters
]

_BASE_TIME = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def call_id(prefix, n, width=6):
    return f"{prefix}-{n:0{width}d}"


def manifest_row(n, prefix="bench", agent_id=AGENT, width=6):
    """Row n of a generated manifest: deterministic, valid, an https recording URL (no file I/O in calleval) and the
    shared transcript.json."""
    cid = call_id(prefix, n, width)
    return {
        "call_id": cid, "agent_id": agent_id,
        "start_time_utc": (_BASE_TIME + datetime.timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "recording": f"https://recordings.example.com/bench/{cid}.wav", "transcript": "transcript.json",
        "agent_name": "Nora (Bench AI)", "customer_name": f"Customer {n}", "call_direction": "INBOUND", "interface": "PHONE",
        "tags": "bench", "custom_metrics": "",
    }


def write_manifest(out_dir, n, prefix="bench", bad_rows=0, agent_id=AGENT, width=6):
    """Writes OUT_DIR/manifest.csv (N valid calls PREFIX-000001.., plus BAD_ROWS rows spread evenly among them, each a
    valid row with one thing wrong, cycling through BAD_KINDS, ids PREFIX-bad-000001..) and OUT_DIR/transcript.json,
    the one transcript every row shares. Streams: 1,000,000 rows take constant memory (~164 MB on disk).
    Returns (manifest path, data-row indexes of the bad rows)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "transcript.json").write_text(json.dumps(TRANSCRIPT, indent=1), encoding="utf-8")
    manifest = out_dir / "manifest.csv"
    total = n + bad_rows
    # bad row j (0-based) goes at data-row index (j + 1) * total // (K + 1), spread evenly (with N = 0 every row is bad)
    bad_at = {(j + 1) * total // (bad_rows + 1) if n else j + 1: j for j in range(bad_rows)}
    bad_indexes, valid = [], 0
    with open(manifest, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, MANIFEST_HEADER, lineterminator="\n")
        w.writeheader()
        for index in range(1, total + 1):
            j = bad_at.get(index)
            if j is not None:
                row = manifest_row(valid + 1, prefix, agent_id, width)
                row["call_id"] = call_id(prefix + "-bad", j + 1, width)
                column, value = BAD_KINDS[j % len(BAD_KINDS)]
                row[column] = value
                bad_indexes.append(index)
            else:
                valid += 1
                row = manifest_row(valid, prefix, agent_id, width)
            w.writerow(row)
    return manifest, bad_indexes


def _yaml(value, indent):
    if isinstance(value, dict):
        return "".join(f"{'  ' * indent}{k}:" + (f"\n{_yaml(v, indent + 1)}" if isinstance(v, dict) else f" {_scalar(v)}\n")
                       for k, v in value.items())
    raise TypeError(value)


def _scalar(v):
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float)):
        return str(v)
    text = str(v)
    return json.dumps(text) if text == "" or text[0] in "{[&*#?|-<>=!%@`'\"" or ": " in text or text.isdigit() else text


def write_job(path, name, manifest, reports, submit=None, results=None, defaults=None):
    """An evaluate job file: ``submit``, ``results`` and ``defaults`` are dicts (nested for in-doubt, retry), merged
    over the bench's defaults (agent 1234). Returns its path."""
    job = {
        "name": name,
        "source": {"location": str(Path(manifest).resolve())},
        "defaults": {"agent-id": AGENT, **(defaults or {})},
        "submit": submit or {},
        "results": results or {},
        "report": {"directory": str(reports)},
    }
    job = {k: v for k, v in job.items() if v != {}}
    Path(path).write_text(_yaml(job, 0))
    return Path(path)


def bench_job(path, name, manifest, reports, rate_limit=0, max_in_flight=16, chunk_size=100, poll_after="5m", lookup_delay="5s"):
    """The benchmarks' job file (B1-B5): the submit settings of docs/job-file.md (60 s request timeout, 5 attempts, in-doubt lookups
    of up to 10 pages) with the given rate limit, concurrency and chunk size, and a 6 h result window."""
    return write_job(path, name, manifest, reports,
                     submit={"rate-limit": rate_limit, "max-in-flight": max_in_flight, "chunk-size": chunk_size,
                             "request-timeout": "60s", "retry": {"max-attempts": 5, "initial-backoff": "500ms", "max-backoff": "30s"},
                             "in-doubt": {"lookup-delay": lookup_delay, "max-pages": 10}},
                     results={"window": "6h", "poll-after": poll_after, "poll-interval": "10s"})


# --- results -----------------------------------------------------------------------------------------------------

def latest_summary(reports, job, execution=None):
    """summary.json of the job's execution (default: the newest that wrote one), or {}."""
    d = Path(reports) / job
    if not d.exists():
        return {}
    runs = sorted((p for p in d.iterdir() if p.name.isdigit() and (p / "summary.json").exists()), key=lambda p: int(p.name))
    if execution is not None:
        runs = [p for p in runs if p.name == str(execution)]
    return json.loads((runs[-1] / "summary.json").read_text()) if runs else {}


def read_calls(reports, job):
    """Every calls.csv row of every execution of the job that wrote a report (a killed one writes none), with its
    ``execution``."""
    rows = []
    for f in sorted((Path(reports) / job).glob("*/calls.csv"), key=lambda p: int(p.parent.name)):
        with open(f, newline="", encoding="utf-8") as fh:
            rows += [dict(r, execution=int(f.parent.name)) for r in csv.DictReader(fh)]
    return rows


def get(d, *keys, default=None):
    """``d[k1][k2]...`` trying the snake_case and camelCase spelling of each key."""
    for k in keys:
        if not isinstance(d, dict):
            return default
        camel = re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), k)
        d = d.get(k, d.get(camel, default))
    return d


def parse_instant(text):
    """An ISO-8601 instant (``2026-11-20T23:35:25.315762302Z``, any number of fraction digits) as epoch seconds, or None."""
    if not text:
        return None
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$", text)
    if not m:
        return None
    base = datetime.datetime.fromisoformat(m.group(1) + ("+00:00" if m.group(3) == "Z" else m.group(3))).timestamp()
    return base + (float("0." + m.group(2)) if m.group(2) else 0.0)


def execution_seconds(summary):
    """summary.json's end_time - start_time in seconds, or None."""
    start, end = parse_instant(get(summary, "start_time")), parse_instant(get(summary, "end_time"))
    return round(end - start, 1) if start is not None and end is not None else None


def h2_query(directory, sql):
    """Rows (dicts) of SQL on the state store DIRECTORY/db, read with the H2 shell inside calleval.jar."""
    h2 = BENCH_DIR / ".cache" / "h2.jar"
    jar = ensure_jar()
    if not h2.exists() or h2.stat().st_mtime < jar.stat().st_mtime:
        h2.parent.mkdir(exist_ok=True)
        import zipfile
        with zipfile.ZipFile(jar) as z:
            entry = next(e for e in z.namelist() if re.match(r"BOOT-INF/lib/h2-.*\.jar$", e))
            h2.write_bytes(z.read(entry))
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as out:
        target = out.name
    try:
        statement = "CALL CSVWRITE('{}', '{}', 'writeColumnHeader=true')".format(target, sql.replace("'", "''"))
        subprocess.run(["java", "-cp", str(h2), "org.h2.tools.Shell", "-url", db_url(directory), "-user", "sa", "-password", "",
                        "-sql", statement], check=True, capture_output=True)
        with open(target, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    finally:
        os.unlink(target)


# --- printed tables ----------------------------------------------------------------------------------------------

def fmt(v):
    if isinstance(v, bool):
        return str(v).lower()
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def java_version():
    try:
        return subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0].replace('"', "")
    except (OSError, IndexError):
        return "java ?"


def header(title, argv=None):
    """Title, then date, cores, Java, load average at this moment, and the command."""
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    line = (f"{datetime.datetime.now().astimezone().isoformat(timespec='seconds')}, {os.cpu_count()} cores, {java_version()}; "
            f"load average {load}")
    if argv:
        line += f"; command: {' '.join(argv)}"
    return f"{title}\n{line}\n"


def table(headers, rows):
    """A plain-text table, columns padded; numbers right-aligned."""
    cells = [[str(h) for h in headers]] + [[fmt(c) if isinstance(c, (int, float)) and not isinstance(c, bool) else
                                            ("" if c is None else str(c)) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r, raw):
        return "  ".join(c.rjust(w) if isinstance(v, (int, float)) and not isinstance(v, bool) else c.ljust(w)
                         for c, w, v in zip(r, widths, raw)).rstrip()
    out = [line(cells[0], headers), "  ".join("-" * w for w in widths)]
    out += [line(c, r) for c, r in zip(cells[1:], rows)]
    return "\n".join(out)


def figures(rows, notes=()):
    """(figure, value) pairs as a two-column table, then the notes as a list."""
    text = table(["figure", "value"], [(k, fmt(v)) for k, v in rows])
    return text + ("\n\n" + "\n".join(f"- {n}" for n in notes) if notes else "")


def publish(name, text):
    """Prints the report and writes it to bench/results/NAME-<date>.txt."""
    print(text)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"{name}-{datetime.date.today().isoformat()}.txt"
    out.write_text(text.rstrip("\n") + "\n")
    log(f"written to {out.relative_to(ROOT)}")
    return out
