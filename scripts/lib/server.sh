# Sourced by scripts/e2e, scripts/api-contract and bench/run: an `aula serve` on a free
# loopback port over a fresh data directory and, for `postgres` and `postgres-copy`, a
# fresh database; all removed on exit.
#
#   aula_server_prepare BACKEND NAME   # exports AULA_DATA_DIR, AULA_BIND, AULA_PUBLIC_URL
#                                      # (and AULA_DATABASE_URL), sets AULA_SERVER_URL
#   aula_server_seed_demo BINARY       # or seed otherwise with the binary
#   aula_server_start BINARY           # starts it, waits until healthy, sets AULA_SERVER_PID
#
# `postgres-copy` serves PostgreSQL holding a copy of a SQLite database: the demo is
# seeded into SQLite and moved with `aula db copy`, the way a centre leaves SQLite.

aula_server_prepare() {
    local backend="$1" name="$2" port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    AULA_SERVER_URL="http://127.0.0.1:$port"
    AULA_SERVER_PID=""
    _aula_server_backend="$backend"
    _aula_server_pgdb=""
    AULA_DATA_DIR=$(mktemp -d)
    export AULA_DATA_DIR AULA_BIND="127.0.0.1:$port" AULA_PUBLIC_URL="$AULA_SERVER_URL"
    if [ "$backend" = postgres ] || [ "$backend" = postgres-copy ]; then
        _aula_server_pgadmin="${AULA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
        _aula_server_pgdb="aula_${name}_$$_$RANDOM"
        psql "$_aula_server_pgadmin" -qc "CREATE DATABASE $_aula_server_pgdb"
        export AULA_DATABASE_URL="${_aula_server_pgadmin%/*}/$_aula_server_pgdb"
    fi
    trap aula_server_cleanup EXIT
}

aula_server_seed_demo() {
    if [ "$_aula_server_backend" != postgres-copy ]; then
        "$1" seed demo >/dev/null
        return
    fi
    local sqlite="$AULA_DATA_DIR/seeded.sqlite3"
    AULA_DATABASE_URL="sqlite://$sqlite" "$1" seed demo >/dev/null
    "$1" db copy --from "sqlite://$sqlite" --to "$AULA_DATABASE_URL" >"$AULA_DATA_DIR/db-copy.log" \
        || { cat "$AULA_DATA_DIR/db-copy.log" >&2; return 1; }
    tail -1 "$AULA_DATA_DIR/db-copy.log"
    # The server must run on the copy alone.
    rm -f "$sqlite" "$sqlite-wal" "$sqlite-shm"
}

aula_server_cleanup() {
    if [ -n "$AULA_SERVER_PID" ]; then
        kill "$AULA_SERVER_PID" 2>/dev/null && wait "$AULA_SERVER_PID" 2>/dev/null
    fi
    if [ -n "$_aula_server_pgdb" ]; then
        psql "$_aula_server_pgadmin" -qc "DROP DATABASE IF EXISTS $_aula_server_pgdb WITH (FORCE)"
    fi
    rm -rf "$AULA_DATA_DIR"
}

aula_server_start() {
    "$1" serve >"$AULA_DATA_DIR/serve.log" 2>&1 &
    AULA_SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -fsS "$AULA_SERVER_URL/api/v1/health" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "aula serve did not become healthy:" >&2
    cat "$AULA_DATA_DIR/serve.log" >&2
    return 1
}
