#!/usr/bin/env bash
# R3 bad input: the corpus of bench/corpus/bad-input/ (>= 40 malformed rows among good ones, and whole-file cases)
# through `calleval run --sandbox`; prints each case -> outcome and writes bench/results/r3-bad-input-<date>.txt.
#   bench/r3-bad-input.sh [--quick] [--copies N]     (--copies repeats the 77-row corpus N times in one manifest)
# CI runs the same corpus as src/test/java/dev/calleval/reliability/BadInputReliabilityTests.java.
set -euo pipefail
exec python3 "$(dirname "$0")/r3_bad_input.py" "$@"
