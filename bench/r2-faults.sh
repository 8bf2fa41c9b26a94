#!/usr/bin/env bash
# R2 faults: `calleval run` against a standalone sandbox answering part of the requests 429, 503 or with a reset,
# accepting then failing 2 %, dropping 2 % and duplicating 5 % of the webhooks (case 1: all together, as issue 7 asks;
# cases 2-6: each fault alone). Every call must end EVALUATED (polling fills the gaps), counts add up, and no call is
# created twice except calls reported in doubt. Writes bench/results/r2-faults-<date>.txt. On demand (several minutes);
# --quick: case 1 with 100 calls.
#   bench/r2-faults.sh [--quick] [--calls N] [--cases 1,3] [--rate-limit N] [--max-in-flight N] [--latency-ms N]
set -euo pipefail
exec python3 "$(dirname "$0")/r2_faults.py" "$@"
