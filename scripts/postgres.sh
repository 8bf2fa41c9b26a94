#!/usr/bin/env bash
# A throwaway PostgreSQL server for calleval's tests (and for trying calleval on PostgreSQL by hand).
#
#   scripts/postgres.sh start    install PostgreSQL from the Debian packages when missing, create the cluster once,
#                                start it on 127.0.0.1, create the role and database, and print the exports
#   scripts/postgres.sh stop     stop the server (the data stays; `start` again reuses it)
#   scripts/postgres.sh env      print the exports of a running server
#   scripts/postgres.sh status   exit 0 when the server answers
#   scripts/postgres.sh destroy  stop it and delete its folder
#
#   eval "$(scripts/postgres.sh start)"   # exports CALLEVAL_TEST_POSTGRES_URL, _USER, _PASSWORD for `./mvnw verify`
#
# Settings (environment): CALLEVAL_PG_PORT (default 55432, away from a system cluster's 5432), CALLEVAL_PG_DIR (the
# cluster's folder, default /tmp/calleval-postgres-<port>), CALLEVAL_PG_DB / CALLEVAL_PG_USER / CALLEVAL_PG_PASSWORD
# (default calleval / calleval / calleval).
#
# PostgreSQL refuses to run as root: as root the cluster belongs to, and runs as, the `postgres` OS user that the
# Debian package creates; otherwise it runs as the current user. The server is for tests: it listens on 127.0.0.1
# only and runs with fsync off (a crash of the machine may lose its data; never use it for real work).
# Only messages go to stderr; stdout carries nothing but the exports, so that `eval "$(... start)"` works.
set -euo pipefail

PORT="${CALLEVAL_PG_PORT:-55432}"
DIR="${CALLEVAL_PG_DIR:-${TMPDIR:-/tmp}/calleval-postgres-$PORT}"
DB="${CALLEVAL_PG_DB:-calleval}"
ROLE="${CALLEVAL_PG_USER:-calleval}"
PASSWORD="${CALLEVAL_PG_PASSWORD:-calleval}"

say() { echo "postgres.sh: $*" >&2; }
fail() { say "$*"; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else fail "need root (or sudo) to run: $*"; fi
}

# The newest installed server's bin folder, or nothing.
bindir() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
    return 0
}

install_server() {
    [ -n "$(bindir)" ] && return 0
    say "PostgreSQL is not installed: installing the Debian package (apt-get install postgresql)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
    [ -n "$(bindir)" ] || fail "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found"
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || fail "running as root, and there is no 'postgres' user to own the cluster"
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

psql_admin() {
    as_owner "$(bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" -U postgres -d postgres "$@"
}

print_env() {
    echo "export CALLEVAL_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:$PORT/$DB'"
    echo "export CALLEVAL_TEST_POSTGRES_USER='$ROLE'"
    echo "export CALLEVAL_TEST_POSTGRES_PASSWORD='$PASSWORD'"
}

running() {
    [ -n "$(bindir)" ] && [ -f "$DIR/postmaster.pid" ] && "$(bindir)/pg_isready" -q -h 127.0.0.1 -p "$PORT"
}

start() {
    install_server
    local bin
    bin="$(bindir)"
    if [ ! -f "$DIR/PG_VERSION" ]; then
        say "creating the cluster in $DIR ($("$bin/postgres" --version))"
        mkdir -p "$DIR"
        [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
        chmod 700 "$DIR"
        as_owner "$bin/initdb" -D "$DIR" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        cat <<EOF | as_owner tee -a "$DIR/postgresql.conf" >/dev/null
# calleval test server (scripts/postgres.sh)
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
EOF
    fi
    if running; then
        say "already running on 127.0.0.1:$PORT ($DIR)"
    else
        as_owner "$bin/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start >/dev/null \
            || { tail -20 "$DIR/server.log" >&2 || true; fail "the server did not start; its log is $DIR/server.log"; }
        say "started on 127.0.0.1:$PORT ($DIR, log $DIR/server.log)"
    fi
    psql_admin <<EOF
SELECT 'CREATE ROLE "$ROLE" LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE')\gexec
ALTER ROLE "$ROLE" LOGIN PASSWORD '$PASSWORD';
SELECT 'CREATE DATABASE "$DB" OWNER "$ROLE"' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB')\gexec
EOF
    print_env
}

stop() {
    local bin
    bin="$(bindir)"
    if [ -n "$bin" ] && [ -f "$DIR/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null && say "stopped ($DIR)"
    else
        say "not running ($DIR)"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) running || fail "no server answers on 127.0.0.1:$PORT: run '$0 start'"; print_env ;;
    status) if running; then say "running on 127.0.0.1:$PORT ($DIR)"; else say "not running on 127.0.0.1:$PORT"; exit 1; fi ;;
    destroy) stop; rm -rf "$DIR"; say "deleted $DIR" ;;
    *) echo "usage: $0 start|stop|env|status|destroy" >&2; exit 2 ;;
esac
