#!/usr/bin/env python3
"""Summarises the evaluate requests a sandbox received, from its request log and counters.

    python3 bench/request_log.py SANDBOX_URL [--save FILE]

Reads GET /_sandbox/requests and GET /_sandbox/stats and prints one JSON object:
  requests        POST /v1/evaluate requests, whatever their answer
  statuses        those requests by HTTP status ("0" = connection closed without an answer)
  accepted        the sandbox's evaluate_accepted (calls created)
  too_many        requests answered 429
  first, last     arrival times (UTC) of the first and last evaluate request
  span_s          last - first, in seconds
  calls_per_s     (accepted - 1) / span_s: the rate of the gaps between requests, so a client that sends
                  exactly L per second measures L (accepted / span_s would measure L * N / (N - 1))
  max_in_any_sliding_second
                  the sandbox's max_evaluate_requests_in_any_sliding_second (arrival times, every answer)
--save FILE also writes the raw request log there (a JSON array). Arrival times are taken when the sandbox accepted the connection's request, before its latency.
"""
import datetime
import json
import sys
import urllib.request


def parse_instant(text):
    # 2026-11-20T23:34:28.398122883Z: Python keeps microseconds
    text = text.rstrip("Z")
    if "." in text:
        head, fraction = text.split(".", 1)
        text = head + "." + fraction[:6].ljust(6, "0")
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc)


def get(url):
    with urllib.request.urlopen(url, timeout=120) as response:
        return json.load(response)


def summarise(base_url, save=None):
    base_url = base_url.rstrip("/")
    log = get(base_url + "/_sandbox/requests")
    if save:
        with open(save, "w", encoding="utf-8") as f:
            json.dump(log, f)
    log = [r for r in log if r.get("endpoint") == "evaluate"]
    stats = get(base_url + "/_sandbox/stats")
    statuses = {}
    for r in log:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    arrivals = sorted(parse_instant(r["received_at"]) for r in log)
    span = (arrivals[-1] - arrivals[0]).total_seconds() if arrivals else 0.0
    accepted = stats["evaluate_accepted"]
    return {
        "requests": len(log),
        "statuses": statuses,
        "accepted": accepted,
        "too_many": statuses.get("429", 0),
        "first": arrivals[0].isoformat() if arrivals else None,
        "last": arrivals[-1].isoformat() if arrivals else None,
        "span_s": round(span, 3),
        "calls_per_s": round((accepted - 1) / span, 3) if span > 0 and accepted > 1 else None,
        "max_in_any_sliding_second": stats["max_evaluate_requests_in_any_sliding_second"],
    }


if __name__ == "__main__":
    if len(sys.argv) not in (2, 4) or (len(sys.argv) == 4 and sys.argv[2] != "--save"):
        sys.exit("usage: request_log.py SANDBOX_URL [--save FILE]")
    json.dump(summarise(sys.argv[1], sys.argv[3] if len(sys.argv) == 4 else None), sys.stdout)
    print()
