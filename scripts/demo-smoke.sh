#!/usr/bin/env bash
# Smoke test of ./tideline demo as a user runs it: start it (own ports, own state dir), wait until synthetic
# events are visible through the API, Ctrl-C it, and check that every process it started is gone.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SMOKE_HOME="$ROOT/.tideline-smoke"
HTTP_PORT=18080
export TL_HOME="$SMOKE_HOME" SERVER_PORT=$HTTP_PORT TIDELINE_LOCAL_KAFKA_PORT=29092 \
       TIDELINE_LOCAL_POSTGRES_PORT=25432 TIDELINE_LOCAL_REDIS_PORT=26379 TIDELINE_REGISTRY_PORT=18081
unset TIDELINE_KAFKA_BOOTSTRAP_SERVERS SPRING_DATASOURCE_URL SPRING_DATA_REDIS_HOST SPRING_DATA_REDIS_URL

fail() { echo "demo smoke: FAILED: $*" >&2; [[ -f "$SMOKE_HOME/demo.out" ]] && tail -n 40 "$SMOKE_HOME/demo.out" >&2; exit 1; }

# GET over HTTP/1.0 with bash alone (no curl on a bare machine): prints the body, returns 0 on 200.
http_get() {
  local response
  exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1" >&3
  response=$(cat <&3); exec 3<&-
  [[ "$response" == "HTTP/1.1 200"* || "$response" == "HTTP/1.0 200"* ]] || return 1
  printf '%s' "${response#*$'\r\n\r\n'}"
}

rm -rf "$SMOKE_HOME"; mkdir -p "$SMOKE_HOME"
setsid "$ROOT/tideline" demo --rate 200 >"$SMOKE_HOME/demo.out" 2>&1 </dev/null &
launcher=$!
trap 'kill -TERM $launcher 2>/dev/null || true' EXIT

deadline=$((SECONDS + 300))
until grep -q "Press Ctrl-C" "$SMOKE_HOME/demo.out" 2>/dev/null; do
  kill -0 $launcher 2>/dev/null || fail "the demo exited during start-up"
  [[ $SECONDS -lt $deadline ]] || fail "the demo did not come up within 300 s"
  sleep 1
done
pids=()
for f in "$SMOKE_HOME"/run/*.pid; do pids+=("$(tr -d '[:space:]' <"$f")"); done
# kafka, postgres + its server, redis + its server, tideline, loadgen
[[ ${#pids[@]} -eq 7 ]] || fail "expected 7 recorded processes, found ${#pids[@]}: ${pids[*]}"
for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "recorded process $pid is not running"; done
echo "demo smoke: up, processes: ${pids[*]}"

deadline=$((SECONDS + 120))
until body=$(http_get "/v1/aggregates/latest?type=payment") && [[ "$body" =~ \"count\":[1-9] ]]; do
  [[ $SECONDS -lt $deadline ]] || fail "no payment aggregate in the read model within 120 s"
  sleep 1
done
echo "demo smoke: synthetic events reach the read model: $body"
health=$(http_get "/actuator/health") || fail "health endpoint did not answer 200"
[[ "$health" == *'"status":"UP"'* ]] || fail "health is not UP: $health"
# Captured first: with pipefail, `http_get | grep -q` fails whenever grep stops reading before the page ends.
page=$(http_get "/") && [[ "$page" == *"<title>Tideline"* ]] || fail "the dashboard page is not served"
# The demo runs its definition (config/tideline.yml): a declared fast-lane metric reaches the read model too.
until body=$(http_get "/v1/metrics/account-spend/latest?limit=1") && [[ "$body" =~ \"count\":[1-9] ]]; do
  [[ $SECONDS -lt $deadline ]] || fail "no window of the declared metric account-spend in the read model within 120 s: $body"
  sleep 1
done
echo "demo smoke: the declared metrics run: $body"

kill -TERM $launcher
deadline=$((SECONDS + 90))
while kill -0 $launcher 2>/dev/null; do
  [[ $SECONDS -lt $deadline ]] || fail "the launcher did not exit within 90 s of TERM (what Ctrl-C does)"
  sleep 0.5
done
trap - EXIT
for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null && fail "process $pid is still running after TERM"
done
echo "demo smoke: stopping (TERM, as Ctrl-C) stopped all ${#pids[@]} processes"
rm -rf "$SMOKE_HOME"
