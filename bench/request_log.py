#!/usr/bin/env python3
"""Summarises the evaluate requests a sandbox received, from its request log and counters.

    python3 bench/request_log.py SANDBOX_URL [--save FILE]

Prints one JSON object (benchlib.request_summary): requests, statuses ("0" = closed without an answer), accepted,
too_many (429), first and last arrival (UTC), span_s, calls_per_s = (accepted - 1) / span_s, and
max_in_any_sliding_second. --save FILE also writes the raw request log there (a JSON array).
"""
import argparse
import json
from pathlib import Path

import requests

import benchlib


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sandbox_url")
    p.add_argument("--save", metavar="FILE")
    a = p.parse_args()
    base = a.sandbox_url.rstrip("/")
    log = requests.get(base + "/_sandbox/requests", timeout=600).json()
    log = log if isinstance(log, list) else log.get("requests", [])
    if a.save:
        Path(a.save).write_text(json.dumps(log))
    print(json.dumps(benchlib.request_summary(log, requests.get(base + "/_sandbox/stats", timeout=120).json())))


if __name__ == "__main__":
    main()
