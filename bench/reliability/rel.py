"""Shared pieces of the reliability scripts (bench/r1-crash.sh ... r4-webhook-attacks.sh): the calleval jar, a
standalone sandbox process, runs of calleval as a separate process, manifests, job files, and the printed table.
Python 3 standard library and requests only."""
import datetime
import json
import os
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

ROOT = Path(__file__).resolve().parents[2]
JAR = ROOT / "target" / "calleval.jar"
RESULTS = ROOT / "bench" / "results"
TRANSCRIPT = ROOT / "sample-data" / "transcripts" / "nw-2026-11-19-0001.json"
AGENT = "1234"
API_KEY = "bench-api-key-r-7f3a91c2"
WEBHOOK_SECRET = "bench-webhook-secret-r-5d20e8b4"


def ensure_jar():
    """Builds target/calleval.jar when it is missing (offline Maven)."""
    if not JAR.exists():
        print("building", JAR, file=sys.stderr)
        subprocess.run(["mvn", "-B", "-o", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    return JAR


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workdir(name):
    """A fresh directory for one script run, removed at exit unless BENCH_KEEP=1."""
    d = Path(tempfile.mkdtemp(prefix=f"calleval-{name}-"))
    if os.environ.get("BENCH_KEEP") != "1":
        import atexit
        atexit.register(shutil.rmtree, d, True)
    return d


class Sandbox:
    """`calleval sandbox` as its own process on a free port. Use as a context manager. Its environment holds the
    bench's API key and webhook secret as BENCH_API_KEY and BENCH_WEBHOOK_SECRET (for --api-key-env and
    --webhook-secret-env)."""

    def __init__(self, *flags, log=None):
        self.port = free_port()
        env = dict(os.environ, BENCH_WEBHOOK_SECRET=WEBHOOK_SECRET, BENCH_API_KEY=API_KEY)
        self.log = open(log, "w") if log else subprocess.DEVNULL
        self.proc = subprocess.Popen(["java", "-Xmx512m", "-jar", str(ensure_jar()), "sandbox", "--port", str(self.port), *map(str, flags)],
                                     stdout=subprocess.PIPE, stderr=self.log, env=env, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http"):
            self.proc.kill()
            raise RuntimeError(f"sandbox did not start: {line!r}")
        self.url = line
        self.http = requests.Session()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stdout:
            if self.log is not subprocess.DEVNULL:
                self.log.write(line)
                self.log.flush()

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

    def admin(self, path):
        return self.http.get(self.url + "/_sandbox/" + path, timeout=30).json()

    def stats(self):
        return self.admin("stats")

    def get(self, path, params=None, attempts=60):
        """A /v1 GET that rides out the sandbox's own injected faults (429, 503, resets)."""
        for _ in range(attempts):
            try:
                r = self.http.get(self.url + path, params=params, headers={"X-API-Key": API_KEY}, timeout=30)
                if r.status_code == 200:
                    return r.json()
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"GET {path} kept failing")

    def created_per_source(self, agent=AGENT):
        """How many calls the sandbox created per metadata.calleval_source_id, from retrieve-call-logs (last=all)."""
        counts, page = {}, 1
        while True:
            body = self.get(f"/v1/retrieve-call-logs/{agent}", {"page": page, "page_size": 100, "last": "all"})
            for call in body.get("call_logs", []):
                source = (call.get("metadata") or {}).get("calleval_source_id")
                counts[source] = counts.get(source, 0) + 1
            if page >= body.get("total_pages", 0):
                return counts
            page += 1


def app_env(sandbox_url, db_url, server_port=None, secret=WEBHOOK_SECRET):
    env = dict(os.environ, BLUEJAY_BASE_URL=sandbox_url, BLUEJAY_API_KEY=API_KEY, CALLEVAL_DB_URL=db_url,
               SERVER_PORT=str(server_port or free_port()))
    if secret:
        env["BLUEJAY_WEBHOOK_SECRET"] = secret
    return env


def start_app(args, env, log, cwd=None, heap="-Xmx512m"):
    """`java -jar calleval.jar ARGS` as a separate process (its own process group), output appended to log."""
    out = open(log, "a")
    return subprocess.Popen(["java", heap, "-jar", str(ensure_jar()), *map(str, args)], stdout=out, stderr=subprocess.STDOUT,
                            env=env, cwd=cwd, start_new_session=True)


def kill(proc):
    """SIGKILL to the process group of a process from start_app, if it is still running."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def run_app(args, env, log, cwd=None, timeout=600):
    proc = start_app(args, env, log, cwd)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        kill(proc)
        return None


def write_manifest(path, n, prefix, transcript=TRANSCRIPT):
    """n valid calls (ids PREFIX-00001...) that all reuse one transcript file."""
    local = path.parent / "transcript.json"
    shutil.copyfile(transcript, local)
    with open(path, "w") as out:
        out.write("call_id,agent_id,start_time_utc,transcript,agent_name,customer_name\n")
        for i in range(1, n + 1):
            out.write(f"{prefix}-{i:05d},{AGENT},2026-11-19T08:00:00Z,transcript.json,Nora (Northwind AI),Customer {i}\n")
    return path


def write_job(path, name, manifest, reports, submit="", results="", defaults=""):
    path.write_text(f"""name: {name}
source:
  location: {manifest}
defaults:
  agent-id: "{AGENT}"
{defaults}submit:
{submit}results:
{results}report:
  directory: {reports}
""")
    return path


def latest_summary(reports, job):
    """summary.json of the job's newest execution, or None."""
    d = Path(reports) / job
    if not d.exists():
        return None
    runs = sorted((p for p in d.iterdir() if p.name.isdigit() and (p / "summary.json").exists()), key=lambda p: int(p.name))
    return json.loads((runs[-1] / "summary.json").read_text()) if runs else None


def table(headers, rows):
    """A plain-text table, columns padded; numbers right-aligned."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def fmt(r, raw):
        return "  ".join(c.rjust(w) if isinstance(v, (int, float)) and not isinstance(v, bool) else c.ljust(w)
                         for c, w, v in zip(r, widths, raw)).rstrip()
    lines = [fmt(cells[0], headers), "  ".join("-" * w for w in widths)]
    lines += [fmt(c, r) for c, r in zip(cells[1:], rows)]
    return "\n".join(lines)


def publish(name, text):
    """Prints the report and writes it to bench/results/<name>-<date>.txt."""
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}-{datetime.date.today().isoformat()}.txt"
    out.write_text(text + "\n")
    print(f"\n(written to {out.relative_to(ROOT)})")


def header(title, argv):
    cpus = os.cpu_count()
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return (f"{title}\n{datetime.datetime.now().isoformat(timespec='seconds')} on {socket.gethostname()} "
            f"({cpus} cores, {java}); command: {' '.join(argv)}\n")
