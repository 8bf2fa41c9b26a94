#!/usr/bin/env bash
# B4 webhook intake (events/s stored under concurrent senders, p50/p99, errors) and reconciliation time for 1,000,000 calls.
#   bench/b4-webhooks.sh [--threads 1,8,32] [--events 20000] [--calls 1000000] [--quick] [--keep]   (--help for all options)
set -euo pipefail
exec python3 "$(dirname "$0")/b4_webhooks.py" "$@"
