#!/bin/sh
# Uploads the 15 sample calls in the s3-prefix layout (<id>.wav, <id>.json, <id>.meta.json) under an S3 prefix.
# Usage: sample-data/s3-prefix/upload.sh s3://my-bucket/calls/2026/11/19/ [--endpoint-url http://127.0.0.1:9000]
# Needs the AWS CLI and credentials (the default chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, ...).
set -eu
prefix=${1:?usage: upload.sh s3://bucket/prefix/ [aws cli options]}
shift
case "$prefix" in */) ;; *) prefix="$prefix/" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
data=$(dirname "$here")
for meta in "$here"/*.meta.json; do
    id=$(basename "$meta" .meta.json)
    aws s3 cp "$@" --only-show-errors "$data/recordings/$id.wav" "$prefix$id.wav"
    aws s3 cp "$@" --only-show-errors "$data/transcripts/$id.json" "$prefix$id.json"
    aws s3 cp "$@" --only-show-errors "$meta" "$prefix$id.meta.json"
done
echo "uploaded $(ls "$here"/*.meta.json | wc -l) calls under $prefix"
