#!/usr/bin/env bash
# R1 crash: kill -9 `calleval run` at random moments (1-3 times per run) in 10 runs of 1,000 calls against a standalone
# sandbox (20 ms latency, signed webhooks); restart each until it completes; check 0 calls lost, every call EVALUATED,
# counts add up, and 0 calls created twice at the sandbox beyond those reported in doubt. Prints one row per run and
# writes bench/results/r1-crash-<date>.txt. On demand (several minutes); --quick: 2 runs of 100 calls.
#   bench/r1-crash.sh [--quick] [--runs N] [--calls N] [--max-kills N] [--latency-ms N] [--rate-limit N] [--seed N]
#                     [--db-options ';WRITE_DELAY=0']   (appended to the H2 URL; see finding 0 in docs/bench/reliability.md)
set -euo pipefail
exec python3 "$(dirname "$0")/r1_crash.py" "$@"
