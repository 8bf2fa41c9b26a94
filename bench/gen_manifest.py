#!/usr/bin/env python3
"""Writes a benchmark manifest: N valid calls (plus K bad rows) sharing one small transcript file.

    python3 bench/gen_manifest.py N OUT_DIR [--bad-rows K] [--agent-id ID] [--prefix P]

Creates OUT_DIR/manifest.csv (header + N valid rows, + K bad rows spread evenly among them; streamed, so 1,000,000 rows
take constant memory, ~164 MB on disk) and OUT_DIR/transcript.json, the one transcript every row points to. Valid
rows are deterministic (benchlib.manifest_row): call_id P-000001 .. (default P = bench), agent 1234, an https
recording URL. Each bad row has exactly one thing wrong (benchlib.BAD_KINDS); their data-row indexes (line - 1) are
printed to stderr. A run over the file should count N evaluated and K rejected.
"""
import argparse
import sys

import benchlib


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of valid calls")
    parser.add_argument("out_dir")
    parser.add_argument("--bad-rows", type=int, default=0, metavar="K", help="bad rows added among the valid ones")
    parser.add_argument("--agent-id", default=benchlib.AGENT)
    parser.add_argument("--prefix", default="bench", help="call_id prefix (default bench)")
    args = parser.parse_args()
    if args.n < 0 or args.bad_rows < 0:
        parser.error("N and K must be >= 0")
    _, bad = benchlib.write_manifest(args.out_dir, args.n, args.prefix, args.bad_rows, args.agent_id)
    if bad:
        print("bad rows at data-row indexes (line - 1): " + " ".join(map(str, bad)), file=sys.stderr)


if __name__ == "__main__":
    main()
