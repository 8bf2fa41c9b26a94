#!/usr/bin/env bash
# Runs every script of the reliability group in turn, then prints one line per script (exit code, time, results file).
#   bench/reliability.sh [--quick] [--only ID,ID]     details: bench/run_group.py --help
set -euo pipefail
exec python3 "$(dirname "$0")/run_group.py" reliability "$@"
