#!/usr/bin/env python3
"""Writes a benchmark manifest: N valid calls (plus K bad rows) sharing one small transcript file.

    python3 bench/gen_manifest.py N OUT_DIR [--bad-rows K] [--agent-id ID]

Creates in OUT_DIR:
  manifest.csv     header + N valid rows (+ K bad rows spread evenly among them), written as a stream, so
                   1,000,000 rows take constant memory (about 250 bytes a row on disk)
  transcript.json  the one Bluejay-format transcript (6 utterances, 0..30 s) every row points to

Valid rows are deterministic: call_id bench-000001 .. bench-N (at least 6 digits; row n has the same id whatever N), agent_id
1234, start_time_utc 2026-01-01T00:00:00Z plus one second per row, recording an https URL (no file I/O in
calleval), transcript.json, agent "Nora (Bench AI)" and customer "Customer <n>", INBOUND PHONE.

Each bad row is a valid row with exactly one thing wrong, cycling through the kinds in BAD_KINDS; its call_id is
bench-bad-000001 .. (the empty-call_id kind has none). A run over the file should count N evaluated and K
rejected. The data-row index (line number - 1) of every bad row is printed to stderr and nothing else.
"""
import argparse
import csv
import datetime
import json
import os
import sys

HEADER = ["call_id", "agent_id", "start_time_utc", "recording", "transcript", "agent_name", "customer_name",
          "call_direction", "interface", "tags", "custom_metrics"]

TRANSCRIPT = [
    {"start_offset_ms": 300, "end_offset_ms": 3600, "speaker": "AGENT",
     "utterance": "Thanks for calling, this is Nora. How can I help?"},
    {"start_offset_ms": 4400, "end_offset_ms": 7900, "speaker": "USER",
     "utterance": "Hi, I'd like to check on my order, it was due yesterday."},
    {"start_offset_ms": 9000, "end_offset_ms": 11200, "speaker": "AGENT",
     "utterance": "Sure. What's the order number?"},
    {"start_offset_ms": 12000, "end_offset_ms": 14700, "speaker": "USER", "utterance": "It's 48172."},
    {"start_offset_ms": 15600, "end_offset_ms": 24100, "speaker": "AGENT",
     "utterance": "Thanks. It left the warehouse this morning and arrives tomorrow before noon."},
    {"start_offset_ms": 25000, "end_offset_ms": 30000, "speaker": "USER", "utterance": "Great, thank you. Bye."},
]

BASE_TIME = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)

# kind -> (column, bad value); each makes calleval reject the row locally
BAD_KINDS = [
    ("call_id", ""),                                        # missing call_id
    ("start_time_utc", "2026-01-01T00:00:00"),              # no offset
    ("call_direction", "SIDEWAYS"),                         # unknown enum
    ("transcript", "does-not-exist.json"),                  # missing file
    ("custom_metrics", "not-a-uuid"),                       # not a UUID
    ("recording", "https://recordings.example.com/" + "x" * 2100),  # URL over 2083 chars
]


def call_id(n):
    return "bench-%06d" % n


def valid_row(n, agent_id):
    return {
        "call_id": call_id(n),
        "agent_id": agent_id,
        "start_time_utc": (BASE_TIME + datetime.timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "recording": "https://recordings.example.com/bench/%s.wav" % call_id(n),
        "transcript": "transcript.json",
        "agent_name": "Nora (Bench AI)",
        "customer_name": "Customer %d" % n,
        "call_direction": "INBOUND",
        "interface": "PHONE",
        "tags": "bench",
        "custom_metrics": "",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of valid calls")
    parser.add_argument("out_dir")
    parser.add_argument("--bad-rows", type=int, default=0, metavar="K", help="bad rows added among the valid ones")
    parser.add_argument("--agent-id", default="1234")
    args = parser.parse_args()
    if args.n < 0 or args.bad_rows < 0:
        parser.error("N and K must be >= 0")

    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "transcript.json"), "w", encoding="utf-8") as f:
        json.dump(TRANSCRIPT, f, indent=1)

    total = args.n + args.bad_rows
    # bad row j (0-based) goes at data-row index (j + 1) * total // (K + 1), spread evenly
    # (distinct indexes when N >= 1; with N = 0 every row is bad)
    bad_at = {(j + 1) * total // (args.bad_rows + 1) if args.n else j + 1: j for j in range(args.bad_rows)}
    bad_indexes = []
    with open(os.path.join(args.out_dir, "manifest.csv"), "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        n = 0
        for index in range(1, total + 1):
            j = bad_at.get(index)
            if j is not None:
                row = valid_row(n + 1, args.agent_id)
                column, value = BAD_KINDS[j % len(BAD_KINDS)]
                row["call_id"] = "bench-bad-%06d" % (j + 1)
                row[column] = value
                bad_indexes.append(index)
            else:
                n += 1
                row = valid_row(n, args.agent_id)
            writer.writerow(row)
    if bad_indexes:
        print("bad rows at data-row indexes (line - 1): " + " ".join(map(str, bad_indexes)), file=sys.stderr)


if __name__ == "__main__":
    main()
