#!/usr/bin/env bash
# B1 goodput: calleval against a rate-limited sandbox with 300 ms latency (limits 20 and 100 req/s), beside a sequential
# requests.post loop; calls/s, share of the limit, most requests in any sliding second, 429s.
#   bench/b1-goodput.sh [--calls N] [--limits "20 100"] [--latency-ms MS] [--baseline-calls N] [--quick]   (--help for all)
set -euo pipefail
exec python3 "$(dirname "$0")/b1_goodput.py" "$@"
