#!/usr/bin/env bash
# B5 restart: a 1,000,000-row run killed with kill -9 at 50 %, then run again; time to the first new evaluate request,
# total restart time, 0 lost, duplicates <= in doubt.
#   bench/b5-restart.sh [--rows N] [--kill-at 0.5] [--quick] [--keep]     (--help for all options)
set -euo pipefail
exec python3 "$(dirname "$0")/b5_restart.py" "$@"
