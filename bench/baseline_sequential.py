#!/usr/bin/env python3
"""The baseline of B1: the calls of a manifest sent the way Bluejay's integration example does it.

    python3 bench/baseline_sequential.py MANIFEST --base-url URL [--api-key KEY] [--calls N]

A sequential loop, one `requests.post(url, json=body, headers={"X-API-Key": key})` per row (a new connection
each time, no retry, no rate limiting, no record of what was sent). The body is the one calleval sends for a
row of bench/gen_manifest.py (agent_id, start_time_utc, the two participants, recording_url, call_direction,
interface, the inline transcript, tags, trace_id, metadata.calleval_source_id); the transcript file is read
once per row, as a script would. Columns other than those of gen_manifest.py are ignored.

Prints one JSON object: calls sent, answers by status, client-side seconds from the first request to the
last answer, and calls/s over that time.
"""
import argparse
import collections
import csv
import json
import os
import sys
import time

import requests


def body_for(row, manifest_dir, job_name):
    with open(os.path.join(manifest_dir, row["transcript"]), encoding="utf-8") as f:
        transcript = json.load(f)
    body = {
        "agent_id": row["agent_id"],
        "start_time_utc": row["start_time_utc"],
        "participants": [
            {"role": "AGENT", "name": row["agent_name"]},
            {"role": "USER", "name": row["customer_name"]},
        ],
        "recording_url": row["recording"],
        "call_direction": row.get("call_direction") or "INBOUND",
        "interface": row.get("interface") or "PHONE",
        "transcript": transcript,
        "trace_id": row["call_id"],
        "metadata": {"calleval_job": job_name, "calleval_source_id": row["call_id"]},
    }
    if row.get("tags"):
        body["tags"] = row["tags"].split(";")
    return body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest")
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:PORT")
    parser.add_argument("--api-key", default=os.environ.get("BLUEJAY_API_KEY", "bench"))
    parser.add_argument("--calls", type=int, default=0, help="send only the first N rows (0 = all)")
    parser.add_argument("--job-name", default="baseline", help="metadata.calleval_job of the bodies")
    args = parser.parse_args()

    url = args.base_url.rstrip("/") + "/v1/evaluate"
    manifest_dir = os.path.dirname(os.path.abspath(args.manifest))
    statuses = collections.Counter()
    sent = 0
    first = last = None
    with open(args.manifest, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if args.calls and sent >= args.calls:
                break
            body = body_for(row, manifest_dir, args.job_name)
            if first is None:
                first = time.monotonic()
            try:
                response = requests.post(url, json=body, headers={"X-API-Key": args.api_key}, timeout=60)
                statuses[str(response.status_code)] += 1
            except requests.RequestException as e:
                statuses[type(e).__name__] += 1
            last = time.monotonic()
            sent += 1
    seconds = (last - first) if sent else 0.0
    json.dump({"calls": sent, "statuses": dict(statuses), "seconds": round(seconds, 3),
               "calls_per_second": round(sent / seconds, 3) if seconds > 0 else None}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
