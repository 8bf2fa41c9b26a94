#!/usr/bin/env bash
# B2 throughput: CSV -> mapping -> submit -> ledger, unthrottled, against a sandbox with no latency, with a JFR profile;
# calls/s of the submit step (target >= 3,000 on 2 cores), CPU per process and thread group, top frames.
#   bench/b2-throughput.sh [--calls N] [--max-in-flight N] [--chunk-size N] [--quick] [--keep]   (--help for all)
set -euo pipefail
exec python3 "$(dirname "$0")/b2_throughput.py" "$@"
