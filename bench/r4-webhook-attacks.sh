#!/usr/bin/env bash
# R4 webhook attacks on the receiver of a running `calleval run` (standalone sandbox, signed webhooks held back so the
# run stays open): unsigned, forged, other-body signatures, malformed JSON, 10 MB bodies, replays, unknown types;
# then the run must complete, only the events answered "stored" are in the state store, and the API key and
# webhook secret appear in no log, report or state-store file. Writes bench/results/r4-webhook-attacks-<date>.txt.
#   bench/r4-webhook-attacks.sh [--quick] [--calls N] [--big-mb N]
# CI runs the same attacks in-process: src/test/java/dev/calleval/reliability/WebhookAttackReliabilityTests.java.
set -euo pipefail
exec python3 "$(dirname "$0")/r4_webhook_attacks.py" "$@"
