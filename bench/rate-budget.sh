#!/usr/bin/env bash
# Rate budget: 1, 2 and 3 `run` processes on one Bluejay account (one H2 file; and PostgreSQL), and one `serve` with two
# concurrent launches, against a strict sandbox (20 requests per rolling second, 300 ms latency): busiest sliding
# second as the server saw it, 429s, accepted calls/s together over the overlap, calls left FAILED.
#   bench/rate-budget.sh [--calls N] [--processes "1 2 3"] [--limit 20] [--postgres JDBC_URL] [--no-serve] [--quick] [--keep] [--cold-sandbox]
set -euo pipefail
exec python3 "$(dirname "$0")/rate_budget.py" "$@"
