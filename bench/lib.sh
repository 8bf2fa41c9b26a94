# Shared helpers of the bench/ scripts. Source it:  . "$(dirname "$0")/lib.sh"
#
#   bench_build_jar                 build target/calleval.jar unless it exists (mvn offline, else ./mvnw)
#   bench_workdir NAME              create and print a fresh directory /tmp/calleval-bench/NAME-XXXXXX
#   bench_free_port                 print a free TCP port on 127.0.0.1
#   bench_sandbox_start DIR [FLAG...]
#                                   start `calleval sandbox --port 0 FLAG...` in DIR (log: DIR/sandbox.log),
#                                   wait for its URL; sets SANDBOX_URL and SANDBOX_PID. The sandbox keeps no
#                                   state store (its CALLEVAL_DB_URL is an in-memory H2). Its JVM options are
#                                   BENCH_SANDBOX_JAVA_OPTS, by default -Dsun.net.httpserver.nodelay=true: without
#                                   TCP_NODELAY the JDK server's answers on a kept-alive connection wait ~40 ms for
#                                   the client's delayed ACK (Nagle), which caps calleval at in-flight / 45 ms.
#                                   Set BENCH_SANDBOX_JAVA_OPTS= (empty) to measure the sandbox as shipped.
#   bench_sandbox_stop              kill the sandbox started above (only that pid) and wait for it
#   bench_sandbox_get PATH          GET SANDBOX_URL/PATH (e.g. _sandbox/stats) to stdout
#   bench_write_job FILE NAME MANIFEST
#                                   write an evaluate job file; knobs from the environment (defaults in brackets):
#                                   RATE_LIMIT [20] MAX_IN_FLIGHT [16] CHUNK_SIZE [100] REQUEST_TIMEOUT [60s]
#                                   MAX_ATTEMPTS [5] LOOKUP_DELAY [5s] MAX_PAGES [10] POLL_AFTER [5m]
#                                   POLL_INTERVAL [10s] WINDOW [6h]; reports go to DIR-of-FILE/reports
#   bench_calleval DIR ARG...       run `java $BENCH_JAVA_OPTS -jar calleval.jar ARG...` in DIR against
#                                   SANDBOX_URL with key "bench", state store DIR/db (H2 file, AUTO_SERVER),
#                                   webhook receiver on SERVER_PORT (default: a free port); its exit code.
#                                   BENCH_WRAP prefixes the java command, e.g.
#                                   BENCH_WRAP="/usr/bin/time -o FILE -f %e,%U,%S,%M" (wall, user, sys s, peak RSS KB)
#   bench_sql DIR SQL               run SQL on DIR/db (the ledger and Spring Batch job repository) with the H2
#                                   jar inside calleval.jar; prints CSV with a header row
#   bench_results_file NAME         print bench/results/NAME-YYYY-MM-DD.txt (creating bench/results)
#   bench_cpu_ticks PID             print utime+stime of PID in clock ticks (getconf CLK_TCK per second)
#   bench_conditions                print one line: sandbox JVM options, load average, cores (for table headers)
#   bench_find_java PID             print the pid of PID or its first descendant named java (e.g. of
#                                   `bench_calleval ... &`), waiting up to 5 s for it; nothing if none
#
# Everything runs on loopback; every process a script starts is stopped by pid, never by name.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
CALLEVAL_JAR="${CALLEVAL_JAR:-$BENCH_ROOT/target/calleval.jar}"
BENCH_API_KEY="${BENCH_API_KEY:-bench}"
SANDBOX_URL=""
SANDBOX_PID=""

bench_build_jar() {
    if [[ -f "$CALLEVAL_JAR" ]]; then return 0; fi
    echo "building $CALLEVAL_JAR ..." >&2
    (cd "$BENCH_ROOT" && { mvn -B -o -q package -DskipTests || ./mvnw -B -q package -DskipTests; }) >&2
    [[ -f "$CALLEVAL_JAR" ]] || { echo "build did not produce $CALLEVAL_JAR" >&2; return 1; }
}

bench_workdir() {
    mkdir -p /tmp/calleval-bench
    mktemp -d "/tmp/calleval-bench/${1:-run}-XXXXXX"
}

bench_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

bench_sandbox_start() {
    local dir="$1"; shift
    local log="$dir/sandbox.log"
    : >"$log"
    (cd "$dir" && exec env CALLEVAL_DB_URL="jdbc:h2:mem:sandbox" \
        java ${BENCH_SANDBOX_JAVA_OPTS--Dsun.net.httpserver.nodelay=true} -jar "$CALLEVAL_JAR" sandbox --port 0 "$@" >"$log" 2>&1) &
    SANDBOX_PID=$!
    local i
    for ((i = 0; i < 600; i++)); do
        SANDBOX_URL="$(grep -m1 -o 'http://127\.0\.0\.1:[0-9]*' "$log" 2>/dev/null || true)"
        if [[ -n "$SANDBOX_URL" ]]; then return 0; fi
        if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "sandbox did not start; its log:" >&2; cat "$log" >&2
    bench_sandbox_stop
    return 1
}

bench_sandbox_stop() {
    if [[ -n "$SANDBOX_PID" ]]; then
        kill "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
    fi
    SANDBOX_PID=""
    SANDBOX_URL=""
}

bench_sandbox_get() {
    curl -fsS "$SANDBOX_URL/$1"
}

bench_write_job() {
    local file="$1" name="$2" manifest="$3"
    cat >"$file" <<EOF
name: $name
source:
  location: $manifest
defaults:
  agent-id: "1234"
submit:
  rate-limit: ${RATE_LIMIT:-20}
  max-in-flight: ${MAX_IN_FLIGHT:-16}
  chunk-size: ${CHUNK_SIZE:-100}
  request-timeout: ${REQUEST_TIMEOUT:-60s}
  retry:
    max-attempts: ${MAX_ATTEMPTS:-5}
  in-doubt:
    lookup-delay: ${LOOKUP_DELAY:-5s}
    max-pages: ${MAX_PAGES:-10}
results:
  window: ${WINDOW:-6h}
  poll-after: ${POLL_AFTER:-5m}
  poll-interval: ${POLL_INTERVAL:-10s}
report:
  directory: $(dirname "$file")/reports
EOF
}

bench_calleval() {
    local dir="$1"; shift
    (cd "$dir" && exec env CALLEVAL_DB_URL="jdbc:h2:file:$dir/db;AUTO_SERVER=TRUE" \
        BLUEJAY_BASE_URL="$SANDBOX_URL" BLUEJAY_API_KEY="$BENCH_API_KEY" \
        SERVER_PORT="${SERVER_PORT:-$(bench_free_port)}" \
        ${BENCH_WRAP:-} java ${BENCH_JAVA_OPTS:-} -jar "$CALLEVAL_JAR" "$@")
}

bench_sql() {
    local dir="$1" sql="$2" h2="$BENCH_DIR/.cache/h2.jar"
    if [[ ! -f "$h2" || "$h2" -ot "$CALLEVAL_JAR" ]]; then
        mkdir -p "$BENCH_DIR/.cache"
        local entry
        entry="$(unzip -Z1 "$CALLEVAL_JAR" | grep -m1 '^BOOT-INF/lib/h2-.*\.jar$')"
        unzip -p "$CALLEVAL_JAR" "$entry" >"$h2"
    fi
    local out
    out="$(mktemp)"
    java -cp "$h2" org.h2.tools.Shell -url "jdbc:h2:file:$dir/db;AUTO_SERVER=TRUE" -user sa -password "" \
        -sql "CALL CSVWRITE('$out', '$(printf '%s' "$sql" | sed "s/'/''/g")', 'writeColumnHeader=true')" >/dev/null \
        && cat "$out"
    local rc=$?
    rm -f "$out"
    return $rc
}

bench_results_file() {
    mkdir -p "$BENCH_DIR/results"
    echo "$BENCH_DIR/results/$1-$(date -u +%F).txt"
}

bench_cpu_ticks() {
    # fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the command name
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

bench_find_java() {
    local i pid queue
    for ((i = 0; i < 100; i++)); do
        queue="$1"
        while [[ -n "$queue" ]]; do
            pid="${queue%% *}"; queue="${queue#"$pid"}"; queue="${queue# }"
            if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == java ]]; then echo "$pid"; return 0; fi
            queue="$queue $(pgrep -P "$pid" | tr '\n' ' ')"; queue="${queue# }"; queue="${queue%% }"
        done
        sleep 0.05
    done
}

bench_conditions() {
    echo "sandbox JVM options: '${BENCH_SANDBOX_JAVA_OPTS--Dsun.net.httpserver.nodelay=true}'; load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
}
