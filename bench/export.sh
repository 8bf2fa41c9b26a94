#!/usr/bin/env bash
# Export memory: a ledger of 1,000,000 evaluated calls (filled with SQL) exported as CSV and JSON Lines with -Xmx256m;
# prints records, seconds, peak RSS and heap after GC.   bench/export.sh [--rows N] [--heap 256m] [--quick] [--keep]
set -euo pipefail
exec python3 "$(dirname "$0")/export.py" "$@"
