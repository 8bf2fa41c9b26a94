#!/usr/bin/env bash
# B2 throughput: CSV -> mapping -> submit -> ledger, unthrottled, against a sandbox with no latency, with a profile.
#
#   bench/b2-throughput.sh [--calls N] [--max-in-flight N] [--chunk-size N] [--quick]
#
# One calleval run of N generated calls (default the issue's 100,000) with submit.rate-limit 0 against a fresh
# sandbox (--latency-ms 0, no rate limit, no webhooks) and a fresh H2 state store, under JFR
# (settings=profile). calls/s = rows read / submit step time, both from the Spring Batch job repository
# (BATCH_STEP_EXECUTION of step "submit": READ_COUNT, END_TIME - START_TIME). Target: >= 3,000 calls/s on 2 cores.
# Also: the sandbox's view (accepted calls over first-to-last arrival), the CPU seconds of calleval (whole
# process, /usr/bin/time) and of the sandbox (/proc ticks during the run), and below the table the top frames,
# packages and calleval methods of the jdk.ExecutionSample events inside the submit step (bench/jfr_top.py),
# after the CPU seconds per thread group of the whole calleval process (bench/thread_cpu.py: JIT, GC and native
# time included, which execution samples miss).
# --quick: 5,000 calls; under a minute (its figures are dominated by JIT warm-up).
# Defaults: max-in-flight 16, chunk-size 100 (as the README's job file).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

calls=100000 max_in_flight=16 chunk_size=100 name=b2-throughput
while [[ $# -gt 0 ]]; do
    case "$1" in
        --calls) calls="$2"; shift 2 ;;
        --max-in-flight) max_in_flight="$2"; shift 2 ;;
        --chunk-size) chunk_size="$2"; shift 2 ;;
        --quick) calls=5000 name=b2-throughput-quick; shift ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

bench_build_jar
conditions="$(bench_conditions)"
trap bench_sandbox_stop EXIT
work="$(bench_workdir b2)"
python3 "$BENCH_DIR/gen_manifest.py" "$calls" "$work"
RATE_LIMIT=0 MAX_IN_FLIGHT="$max_in_flight" CHUNK_SIZE="$chunk_size" bench_write_job "$work/job.yaml" b2 manifest.csv
bench_sandbox_start "$work" --latency-ms 0

echo "calleval: $calls calls, unthrottled, $max_in_flight in flight, chunks of $chunk_size ..." >&2
sandbox_ticks_before="$(bench_cpu_ticks "$SANDBOX_PID")"
BENCH_WRAP="/usr/bin/time -o $work/time.csv -f %e,%U,%S,%M" \
    BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=$work/app.jfr,settings=profile" \
    bench_calleval "$work" run job.yaml >"$work/app.log" 2>&1 &
app=$!
java_pid="$(bench_find_java "$app")"
sampler=""
if [[ -n "$java_pid" ]]; then
    python3 "$BENCH_DIR/thread_cpu.py" "$java_pid" >"$work/threads.txt" &
    sampler=$!
fi
rc=0; wait "$app" || rc=$?
[[ -z "$sampler" ]] || wait "$sampler" || true
sandbox_ticks_after="$(bench_cpu_ticks "$SANDBOX_PID")"
[[ $rc -eq 0 ]] || echo "calleval exited $rc; see $work/app.log" >&2
python3 "$BENCH_DIR/request_log.py" "$SANDBOX_URL" >"$work/sandbox.json"
bench_sandbox_stop
bench_sql "$work" "SELECT s.START_TIME, s.END_TIME, s.READ_COUNT, s.WRITE_COUNT, s.COMMIT_COUNT, s.STATUS
    FROM BATCH_STEP_EXECUTION s WHERE s.STEP_NAME = 'submit' ORDER BY s.STEP_EXECUTION_ID DESC LIMIT 1" >"$work/step.csv"

out="$(bench_results_file "$name")"
python3 - "$work" "$calls" "$max_in_flight" "$chunk_size" "$rc" "$sandbox_ticks_before" "$sandbox_ticks_after" \
    "$(getconf CLK_TCK)" "$conditions" >"$out" <<'EOF'
import csv, datetime, glob, json, os, sys
work, calls, inflight, chunk, rc, before, after, hz, conditions = sys.argv[1:]
calls, rc, hz = int(calls), int(rc), int(hz)
step = next(csv.DictReader(open(os.path.join(work, "step.csv"))))
ts = lambda s: datetime.datetime.fromisoformat(s[:26])
start, end = ts(step["START_TIME"]), ts(step["END_TIME"])
step_s = (end - start).total_seconds()
read = int(step["READ_COUNT"])
rate = read / step_s if step_s > 0 else 0.0
sandbox = json.load(open(os.path.join(work, "sandbox.json")))
wall, user, system, rss_kb = (float(x) for x in open(os.path.join(work, "time.csv")).read().strip().splitlines()[-1].split(","))
app_cpu = user + system
sandbox_cpu = (int(after) - int(before)) / hz
summaries = glob.glob(os.path.join(work, "reports", "b2", "*", "summary.json"))
summary = json.load(open(summaries[0])) if summaries else {}
cores = os.cpu_count()
rows = [
    ("rows read (submit step)", "%d" % read),
    ("calls submitted (summary.json)", str(summary.get("submitted_this_run", "?"))),
    ("calls accepted by the sandbox", str(sandbox["accepted"])),
    ("counts add up, exit code", "%s, %d" % (summary.get("counts_add_up", "?"), rc)),
    ("submit step time", "%.2f s" % step_s),
    ("calls/s (rows / submit step time)", "%.0f" % rate),
    ("target >= 3,000 calls/s", "met" if rate >= 3000 and rc == 0 else "MISSED"),
    ("sandbox: calls/s first to last arrival", "%.0f" % (sandbox["calls_per_s"] or 0)),
    ("calleval process: wall, CPU", "%.1f s, %.1f s (peak RSS %.0f MB)" % (wall, app_cpu, rss_kb / 1024)),
    ("sandbox CPU during the run", "%.1f s" % sandbox_cpu),
    ("sandbox share of the CPU used", "%.0f %%" % (100 * sandbox_cpu / (app_cpu + sandbox_cpu))),
    ("both processes, of %d cores x wall" % cores, "%.0f %%" % (100 * (app_cpu + sandbox_cpu) / (cores * wall))),
]
print("B2 throughput - %s UTC, %d cores, %d calls, rate-limit 0, %s in flight, chunks of %s, sandbox latency 0"
      % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"), cores, calls, inflight, chunk))
print(conditions)
width = max(len(k) for k, _ in rows)
for k, v in rows:
    print("  %s  %s" % (k.ljust(width), v))
print()
print("submit step time: BATCH_STEP_EXECUTION (job repository), START_TIME to END_TIME of step 'submit'.")
print("calleval CPU: the whole process (JVM start, Spring context, submit, reconcile pass, report) by /usr/bin/time;")
print("sandbox CPU: /proc/PID/stat utime+stime of the sandbox process over the same run.")
print("window %s %s" % (start.strftime("%H:%M:%S.%f")[:12], end.strftime("%H:%M:%S.%f")[:12]))
EOF
window="$(tail -1 "$out")"
sed -i '$d' "$out"
read -r _ from to <<<"$window"
cat "$work/threads.txt" >>"$out" 2>/dev/null || true
python3 "$BENCH_DIR/jfr_top.py" "$work/app.jfr" --from "$from" --to "$to" >>"$out"
cat "$out"
echo "(written to $out; work directory $work: app.jfr, app.log)"
