#!/usr/bin/env bash
# Replicas: 2 serve replicas on one PostgreSQL receive 1,000 signed webhooks split between them, 100 of them delivered
# to both; prints the events applied once, applied twice and lost.
#   eval "$(scripts/postgres.sh start)"; bench/replicas.sh [--events 1000] [--duplicates 100] [--quick] [--keep]   (--help for all)
set -euo pipefail
exec python3 "$(dirname "$0")/replicas.py" "$@"
