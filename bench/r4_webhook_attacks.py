"""R4 webhook attacks against a real `calleval run` process: while the run waits for its results (a standalone
sandbox that checks the API key and sends signed webhooks late), attacks are sent to its receiver and each answer
is recorded; then the run must still complete with every call evaluated, the state store must hold exactly the
events that were answered "stored", and the API key and webhook secret must appear in no log and no report.
See bench/r4-webhook-attacks.sh."""
import argparse
import atexit
import hashlib
import hmac
import json
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

import benchlib as b

SAMPLE_EVENT = b.ROOT / "sample-data" / "webhooks" / "observability_call_evaluated.json"
SAMPLE_ID = "5c5a2d43-1d37-5aed-b79c-0641b23b0607"
LIMIT = 4 * 2**20  # calleval.webhook.max-body-size's default: larger bodies get 413 before their signature is checked


def sign(body, secret=b.WEBHOOK_SECRET):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def event(call_id):
    return SAMPLE_EVENT.read_text().replace(SAMPLE_ID, call_id).encode()


def padded(call_id, size):
    text = event(call_id).decode().strip()
    head = text[:-1] + ',"padding":"'
    return (head + "x" * (size - len(head) - 2) + '"}').encode()


def cases(big):
    """(name, method, body, signature or None, expected status, expected answer or None)."""
    ok = event("r4-accepted")
    tampered = ok.replace(b'"COMPLETED"', b'"INCOMPLETED"')
    unknown = b'{"type":"account_deleted","id":"r4-unknown","status":"DONE"}'
    big_event = padded("r4-big", big)
    big_status = 413 if big > LIMIT else 401
    garbage = b"\x00" * big
    reformatted = json.dumps(json.loads(ok)).encode()
    return [
        ("unsigned event", "POST", ok, None, 401, None),
        ("signature made with another secret", "POST", ok, sign(ok, "guessed-secret"), 401, None),
        ("forged signature: 64 random hex digits", "POST", ok, uuid.uuid4().hex + uuid.uuid4().hex, 401, None),
        ("signature cut to 32 hex digits", "POST", ok, sign(ok)[:32], 401, None),
        ("signature of another body (status changed)", "POST", tampered, sign(ok), 401, None),
        ("signature of the body without its last byte", "POST", ok, sign(ok[:-1]), 401, None),
        ("unsigned malformed JSON", "POST", b'{"type": "observability_call_evaluated", "id": ', None, 401, None),
        ("signed malformed JSON", "POST", b'{"type": "observability_call_evaluated", "id": ',
         sign(b'{"type": "observability_call_evaluated", "id": '), 400, None),
        ("signed JSON array", "POST", b"[" + ok + b"]", sign(b"[" + ok + b"]"), 400, None),
        ("signed empty body", "POST", b"", sign(b""), 400, None),
        (f"unsigned {big // 2**20} MB event", "POST", big_event, None, big_status, None),
        (f"{big // 2**20} MB event, forged signature", "POST", big_event, sign(big_event, "guessed-secret"), big_status, None),
        (f"signed {big // 2**20} MB of NUL bytes", "POST", garbage, sign(garbage), 413 if big > LIMIT else 400, None),
        (f"signed {big // 2**20} MB event", "POST", big_event, sign(big_event), 413 if big > LIMIT else 200, None),
        (f"signed {big // 2**20} MB event, chunked", "POST-chunked", big_event, sign(big_event), 413 if big > LIMIT else 200, None),
        ("signed event (the one replayed below)", "POST", ok, sign(ok), 200, "stored"),
        ("replay: same bytes and signature", "POST", ok, sign(ok), 200, "duplicate"),
        ("replay: same bytes, 5 more times", "POST*5", ok, sign(ok), 200, "duplicate"),
        ("replay: same event re-serialised, re-signed", "POST", reformatted, sign(reformatted), 200, "duplicate"),
        ("unknown type, unsigned", "POST", unknown, None, 401, None),
        ("unknown type, signed", "POST", unknown, sign(unknown), 200, "stored"),
        ("GET on the webhook path", "GET", b"", sign(b""), 405, None),
    ]


def send(url, method, body, signature):
    headers = {"Content-Type": "application/json", "X-Bluejay-Delivery": str(uuid.uuid4())}
    if signature is not None:
        headers["X-Bluejay-Signature"] = signature
    start = time.monotonic()
    if method == "POST-chunked":
        whole = body
        method, body = "POST", (whole[i:i + 65536] for i in range(0, len(whole), 65536))
    try:
        r = requests.request(method, url, data=body, headers=headers, timeout=60)
    except requests.ConnectionError as e:  # the server closed the connection before the whole body was sent
        return "closed", type(e).__name__, time.monotonic() - start
    answer = ""
    try:
        j = r.json()
        answer = j["status"] if isinstance(j.get("status"), str) else str(j.get("error", ""))
    except ValueError:
        pass
    return r.status_code, answer, time.monotonic() - start


def wait_for_receiver(url, proc, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("calleval run ended before its receiver was up")
        try:
            requests.post(url, data=b"", timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError("the receiver did not come up")


def stored_events(status_text):
    """observability_call_evaluated and other types with their counts, from `calleval status`."""
    section = status_text.split("Webhook events received:")[-1].split("\n\n")[0]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^\s+(\S+)\s+(\d+)", section, re.M)}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="5 calls and a 5 MB body (< 1 minute)")
    p.add_argument("--calls", type=int, default=20, help="calls in the run that stays open during the attacks (default 20)")
    p.add_argument("--big-mb", type=int, default=10, help="size of the big bodies in MB (default 10)")
    p.add_argument("--evaluation-delay-ms", type=int, default=15000, help="how long the sandbox holds results back (keeps the run open)")
    args = p.parse_args()
    if args.quick:
        args.calls, args.big_mb, args.evaluation_delay_ms = 5, 5, 10000
    work = b.workdir("r4")
    app_port = b.free_port()
    receiver = f"http://127.0.0.1:{app_port}/webhooks/bluejay"
    manifest, _ = b.write_manifest(work, args.calls, "r4", width=5)
    reports = work / "reports"
    job = b.write_job(work / "r4.yaml", "r4-webhooks", manifest, reports, submit={"rate-limit": 0},
                      results={"poll-after": "10m", "poll-interval": "1s"})
    run_log, sandbox_log = work / "run.log", work / "sandbox.log"
    rows, failures = [], 0
    with b.Sandbox("--api-key-env", "BENCH_API_KEY", "--webhook-url", receiver, "--webhook-secret-env", "BENCH_WEBHOOK_SECRET",
                     "--evaluation-delay-ms", args.evaluation_delay_ms, log_path=sandbox_log) as sandbox:
        env = b.app_env(sandbox.url, b.db_url(work), app_port)
        env["LOGGING_LEVEL_DEV_CALLEVAL"] = "DEBUG"
        proc = b.start_app(["run", job, "--wait-for-results", "3m"], env, run_log)
        atexit.register(b.kill, proc)
        wait_for_receiver(receiver, proc)
        answered_stored = 0
        for name, method, body, signature, want_status, want_answer in cases(args.big_mb * 2**20):
            times = 5 if method == "POST*5" else 1
            for _ in range(times):
                status, answer, seconds = send(receiver, method.removesuffix("*5"), body, signature)
                answered_stored += answer == "stored"
            ok = status == want_status and (want_answer is None or answer == want_answer)
            finding = "FINDING" in name and not ok
            failures += not ok and not finding
            rows.append([name, f"{want_status}" + (f" {want_answer}" if want_answer else ""), status, answer[:38],
                         round(seconds * 1000), "ok" if ok else ("FINDING" if finding else "MISMATCH")])
        still_running = proc.poll() is None
        code = proc.wait(240)
        calls_created = sum(sandbox.created_per_source().values())
    status_log = work / "status.log"
    env.pop("LOGGING_LEVEL_DEV_CALLEVAL")
    b.run_app(["status", "r4-webhooks"], env, status_log)
    events = stored_events(status_log.read_text())
    summary = b.latest_summary(reports, "r4-webhooks") or {}
    expected_events = args.calls + answered_stored

    haystacks = [run_log, sandbox_log, status_log] + [f for f in reports.rglob("*") if f.is_file()]
    db_files = list((work / "db").glob("*.db"))
    found = {name: [str(f.relative_to(work)) for f in haystacks + db_files if value.encode() in f.read_bytes()]
             for name, value in (("API key", b.API_KEY), ("webhook secret", b.WEBHOOK_SECRET))}

    out = [b.header(f"R4 webhook attacks on the receiver of a running `calleval run` ({args.calls} calls, webhooks signed, "
                      f"results held back {args.evaluation_delay_ms} ms)", sys.argv)]
    out.append(b.table(["attack", "expected", "status", "answer", "ms", "check"], rows))
    checks = [
        ["the run was still waiting when the attacks ended", still_running, still_running],
        ["run exit code / status", f"{code} / {summary.get('status')}", code == 0],
        ["calls evaluated by the real webhooks", f"{(summary.get('counts') or {}).get('evaluated')} of {args.calls}",
         (summary.get("counts") or {}).get("evaluated") == args.calls],
        ["calls created at the sandbox", calls_created, calls_created == args.calls],
        ["events stored (status) / expected (calls + answered 'stored')", f"{sum(events.values())} / {expected_events}",
         sum(events.values()) == expected_events],
        ["event types stored", ", ".join(f"{k} {v}" for k, v in sorted(events.items())), True],
        ["API key found in logs, reports, state store", ", ".join(found["API key"]) or "nowhere", not found["API key"]],
        ["webhook secret found in logs, reports, state store", ", ".join(found["webhook secret"]) or "nowhere", not found["webhook secret"]],
    ]
    failures += sum(1 for c in checks if not c[2])
    out.append("")
    out.append(b.table(["check", "value", "ok"], [[a, b, "ok" if c else "FAILED"] for a, b, c in checks]))
    out.append(f"\nsearched: {len(haystacks) + len(db_files)} files (run log at DEBUG, sandbox log, status output, every report file, the H2 file)")
    out.append(f"R4 {'PASSED' if failures == 0 else 'FAILED'}: {failures} check(s) failed"
               + ("; FINDING rows are known gaps (docs/bench/reliability.md)" if any(r[-1] == "FINDING" for r in rows) else ""))
    b.publish("r4-webhook-attacks" + ("-quick" if args.quick else ""), "\n".join(out))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
