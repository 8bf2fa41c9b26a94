#!/usr/bin/env bash
# B1 goodput: calleval against a rate-limited sandbox with latency, beside a sequential requests.post loop.
#
#   bench/b1-goodput.sh [--calls N] [--limits "20 100"] [--latency-ms MS] [--baseline-calls N]
#                       [--max-in-flight N] [--quick]
#
# For each limit L: a fresh sandbox (--latency-ms, --rate-limit L: above L requests in a rolling second it answers
# 429) and a fresh state store; calleval runs a job of N generated calls with submit.rate-limit L; then a second
# fresh sandbox receives the same calls from bench/baseline_sequential.py. Figures come from the sandbox's request
# log and counters (bench/request_log.py): calls/s = (accepted - 1) / (last - first evaluate arrival), max requests
# in any sliding second, 429s. Targets: >= 99 % of the limit and never above L + 1 in a sliding second.
# Defaults are the issue's sizes: 2,000 calls, limits 20 and 100 req/s, 300 ms latency, baseline on all calls
# (about 3 calls/s: some 11 minutes per limit; --baseline-calls N sends fewer and extrapolates, marked "*").
# max-in-flight defaults to max(16, 2 * L * latency), enough to keep L requests/s going at that latency.
# --quick: 150 calls, baseline 8 calls; under a minute on an idle machine. Raw request logs: WORK/*/requests.json.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

calls=2000 limits="20 100" latency_ms=300 baseline_calls="" max_in_flight="" name=b1-goodput
while [[ $# -gt 0 ]]; do
    case "$1" in
        --calls) calls="$2"; shift 2 ;;
        --limits) limits="$2"; shift 2 ;;
        --latency-ms) latency_ms="$2"; shift 2 ;;
        --baseline-calls) baseline_calls="$2"; shift 2 ;;
        --max-in-flight) max_in_flight="$2"; shift 2 ;;
        --quick) calls=150 baseline_calls=8 name=b1-goodput-quick; shift ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
baseline_calls="${baseline_calls:-$calls}"
(( baseline_calls > calls )) && baseline_calls="$calls"

bench_build_jar
conditions="$(bench_conditions)"
trap bench_sandbox_stop EXIT
work="$(bench_workdir b1)"
python3 "$BENCH_DIR/gen_manifest.py" "$calls" "$work/data"
rows="$work/rows.jsonl"
: >"$rows"

for limit in $limits; do
    inflight="${max_in_flight:-$(( (2 * limit * latency_ms + 999) / 1000 > 16 ? (2 * limit * latency_ms + 999) / 1000 : 16 ))}"
    sandbox_flags=(--latency-ms "$latency_ms" --rate-limit "$limit")

    # calleval
    dir="$work/calleval-$limit"; mkdir -p "$dir"
    RATE_LIMIT="$limit" MAX_IN_FLIGHT="$inflight" bench_write_job "$dir/job.yaml" "b1-$limit" "$work/data/manifest.csv"
    bench_sandbox_start "$dir" "${sandbox_flags[@]}"
    echo "limit $limit/s: calleval, $calls calls, $inflight in flight ..." >&2
    start=$(date +%s.%N)
    rc=0; bench_calleval "$dir" run job.yaml >"$dir/app.log" 2>&1 || rc=$?
    end=$(date +%s.%N)
    summary="$(ls "$dir"/reports/b1-$limit/*/summary.json 2>/dev/null | head -1)"
    python3 - "$limit" "calleval ($inflight in flight)" "$calls" "$rc" "$start" "$end" "${summary:-}" \
        "$(python3 "$BENCH_DIR/request_log.py" "$SANDBOX_URL" --save "$dir/requests.json")" >>"$rows" <<'EOF'
import json, sys
limit, sender, calls, rc, start, end, summary, log = sys.argv[1:]
row = {"limit": int(limit), "sender": sender, "calls": int(calls), "sent": int(calls), "exit": int(rc),
       "process_s": float(end) - float(start), "log": json.loads(log)}
if summary:
    s = json.load(open(summary))
    row["counts_add_up"] = s["counts_add_up"]
    row["app_429"] = s["requests"]["too_many_requests"]
print(json.dumps(row))
EOF
    bench_sandbox_stop
    [[ $rc -eq 0 ]] || echo "calleval exited $rc; see $dir/app.log" >&2

    # the baseline
    dir="$work/baseline-$limit"; mkdir -p "$dir"
    bench_sandbox_start "$dir" "${sandbox_flags[@]}"
    echo "limit $limit/s: requests.post loop, $baseline_calls calls ..." >&2
    client="$(python3 "$BENCH_DIR/baseline_sequential.py" "$work/data/manifest.csv" --base-url "$SANDBOX_URL" \
        --api-key "$BENCH_API_KEY" --calls "$baseline_calls" --job-name "b1-$limit")"
    python3 - "$limit" "$calls" "$baseline_calls" "$client" \
        "$(python3 "$BENCH_DIR/request_log.py" "$SANDBOX_URL" --save "$dir/requests.json")" \
        >>"$rows" <<'EOF'
import json, sys
limit, calls, sent, client, log = sys.argv[1:]
c = json.loads(client)
print(json.dumps({"limit": int(limit), "sender": "requests.post loop", "calls": int(calls), "sent": int(sent),
                  "exit": 0, "process_s": c["seconds"], "client": c, "log": json.loads(log)}))
EOF
    bench_sandbox_stop
done

out="$(bench_results_file "$name")"
python3 - "$rows" "$calls" "$latency_ms" "$conditions" >"$out" <<'EOF'
import datetime, json, os, sys
rows_file, calls, latency, conditions = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = [json.loads(line) for line in open(rows_file)]
print("B1 goodput - %s UTC, %d cores, sandbox latency %s ms, %d calls per limit"
      % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"), os.cpu_count(), latency, calls))
print(conditions)
head = ("limit", "sender", "sent", "accepted", "span s", "calls/s", "of limit", "max/1s", "429s",
        "time for %d" % calls, "target")
table = [head]
notes = []
for r in rows:
    log, limit = r["log"], r["limit"]
    rate = log["calls_per_s"] or 0.0
    extrapolated = r["sent"] < r["calls"]
    total = r["calls"] / rate if rate else float("nan")
    if r["sender"].startswith("calleval"):
        ok = rate >= 0.99 * limit and log["max_in_any_sliding_second"] <= limit + 1 and log["accepted"] == r["calls"]
        target = "met" if ok else "MISSED"
        if r["exit"] != 0 or not r.get("counts_add_up", False):
            target += " (exit %d, counts add up: %s)" % (r["exit"], r.get("counts_add_up"))
        total = r["process_s"]
    else:
        target = "-"
    table.append(("%d/s" % limit, r["sender"], str(r["sent"]), str(log["accepted"]), "%.2f" % log["span_s"],
                  "%.2f" % rate, "%.1f %%" % (100 * rate / limit), str(log["max_in_any_sliding_second"]),
                  str(log["too_many"]), "%.0f s%s" % (total, " *" if extrapolated else ""), target))
    if extrapolated:
        notes.append("* %s at %d/s: %d of %d calls sent; time for %d extrapolated from its rate"
                     % (r["sender"], limit, r["sent"], r["calls"], r["calls"]))
widths = [max(len(row[i]) for row in table) for i in range(len(head))]
for i, row in enumerate(table):
    print("  ".join(cell.ljust(w) if j < 2 else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))).rstrip())
    if i == 0:
        print("  ".join("-" * w for w in widths))
print()
print("calls/s = (accepted - 1) / span, span = first to last evaluate arrival at the sandbox; max/1s = most evaluate")
print("requests arriving in any sliding second; 429s = answers 429 from the sandbox's own --rate-limit (same limit).")
print("time for N: calleval = whole process (JVM start to exit); baseline = client loop time.")
print("target: >= 99 % of the limit, max/1s <= limit + 1, every call accepted.")
for note in notes:
    print(note)
EOF
cat "$out"
echo "(written to $out; work directory $work)"
