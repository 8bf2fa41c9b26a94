#!/usr/bin/env bash
# Regenerates everything in sample-data/ from the conversation definitions in generate.py:
#   recordings/*.wav, transcripts/*.json, sidecars/*.json, manifests/*.csv, manifests/README.md,
#   webhooks/*.json and README.md.
#
# Needs (only developers run this; the generated files are committed, the demo needs no tools):
#   - espeak-ng   (speech synthesis; files were made with eSpeak NG 1.51)
#   - sox, soxi   (resampling/trimming, duration measurement; files were made with SoX 14.4.2)
#   - python3     (>= 3.8, standard library only)
#   e.g. on Debian/Ubuntu: apt-get install espeak-ng sox python3
#
# Run (from anywhere):
#   sample-data/generate.sh            # regenerate and self-check
#   sample-data/generate.sh --check    # only re-run the self-checks on the committed files
#
# The output is deterministic: the same tool versions give byte-identical files. A different espeak-ng
# or sox version may change clip lengths; all offsets are re-measured, so the data stays consistent.
# The script only writes inside sample-data/ (it replaces the generated sub-folders).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for tool in espeak-ng sox soxi python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "generate.sh: '$tool' not found on PATH (needs espeak-ng, sox, soxi, python3)" >&2; exit 1; }
done
exec python3 "$here/generate.py" "$@"
