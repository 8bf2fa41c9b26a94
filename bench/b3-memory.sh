#!/usr/bin/env bash
# B3 memory: a generated 1,000,000-row manifest completes with -Xmx256m; prints peak RSS, wall time, exit code, counts.
#   bench/b3-memory.sh [--rows N] [--heap 256m] [--webhooks] [--quick] [--keep]     (--help for all options)
set -euo pipefail
exec python3 "$(dirname "$0")/b3_memory.py" "$@"
