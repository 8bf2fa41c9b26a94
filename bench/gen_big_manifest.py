#!/usr/bin/env python3
"""Writes a large calleval manifest for the memory and restart benchmarks (B3, B5).

Streaming: one row at a time, constant memory whatever --rows is. Every row shares ONE small Bluejay-format
transcript file (``transcript.json`` next to the manifest) and has an https recording URL, so the run does no
per-row file I/O beyond that one file. Call ids are ``<prefix>-<0-padded row number>``, unique within the file.

    python3 bench/gen_big_manifest.py --rows 1000000 --out /tmp/b3   # -> /tmp/b3/manifest.csv, /tmp/b3/transcript.json
"""
import argparse
import csv
import json
import os
import sys
import time

HEADER = ["call_id", "agent_id", "start_time_utc", "recording", "transcript", "agent_name", "customer_name",
          "customer_phone", "agent_spoke_first", "call_direction", "interface", "tags", "label", "metadata.batch"]

TRANSCRIPT = [
    {"start_offset_ms": 300, "end_offset_ms": 3100, "speaker": "AGENT", "utterance": "Northwind Support, this is Nora. How can I help?"},
    {"start_offset_ms": 3900, "end_offset_ms": 7200, "speaker": "USER", "utterance": "Hi, I'm checking on my order. It was due yesterday."},
    {"start_offset_ms": 8100, "end_offset_ms": 10400, "speaker": "AGENT", "utterance": "Sure. What's the order number?"},
    {"start_offset_ms": 11000, "end_offset_ms": 12900, "speaker": "USER", "utterance": "It's NW-48172."},
    {"start_offset_ms": 13600, "end_offset_ms": 17800, "speaker": "AGENT", "utterance": "Thanks. It left the warehouse this morning and arrives tomorrow."},
]


def generate(rows: int, out_dir: str, agent_id: str = "1234", prefix: str = "big") -> str:
    """Writes ``manifest.csv`` and ``transcript.json`` into ``out_dir``; returns the manifest path."""
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "transcript.json"), "w", encoding="utf-8") as f:
        json.dump(TRANSCRIPT, f, indent=1)
    manifest = os.path.join(out_dir, "manifest.csv")
    width = max(7, len(str(rows)))
    base = 1_763_510_400  # 2025-11-19T00:00:00Z; one call per 3 s from there
    with open(manifest, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for i in range(1, rows + 1):
            call_id = f"{prefix}-{i:0{width}d}"
            start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + 3 * i))
            w.writerow([call_id, agent_id, start, f"https://recordings.example.com/northwind/{call_id}.wav",
                        "transcript.json", "Nora (Northwind AI)", f"Customer {i}", f"+1555{i % 10_000_000:07d}",
                        "true", "INBOUND", "PHONE", "bench;generated", "production", str(i // 10_000)])
    return manifest


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="data rows (default 1,000,000)")
    p.add_argument("--out", required=True, help="directory for manifest.csv and transcript.json")
    p.add_argument("--agent-id", default="1234")
    p.add_argument("--prefix", default="big", help="call_id prefix (default big)")
    a = p.parse_args(argv)
    if a.rows < 1:
        p.error("--rows must be at least 1")
    t0 = time.monotonic()
    path = generate(a.rows, a.out, a.agent_id, a.prefix)
    print(f"{path}: {a.rows} rows, {os.path.getsize(path) / 1e6:.1f} MB in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
