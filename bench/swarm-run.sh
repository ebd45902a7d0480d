#!/usr/bin/env bash
# Starts a Tickwire server on loopback, runs the bot swarm against it, and reports the swarm's summary together
# with the server's CPU use (user + system seconds per second of the swarm run) and resident memory. Stops the
# server it started, by process id, whatever happens.
#
#   bench/swarm-run.sh [--port P] [--bots N] [--rooms R] [--duration 20s] [--server-args "..."] [--bot-args "..."]
#
# Build first: mvn -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."

port=7791
bots=200
rooms=4
duration=20s
server_args=""
bot_args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --bots) bots=$2; shift 2 ;;
    --rooms) rooms=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --server-args) server_args=$2; shift 2 ;;
    --bot-args) bot_args=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

server_jar=net/target/tickwire-server.jar
bots_jar=bots/target/tickwire-bots.jar
for jar in "$server_jar" "$bots_jar"; do
  [ -f "$jar" ] || { echo "missing $jar: run 'mvn -q -DskipTests package' first" >&2; exit 2; }
done

log=$(mktemp -t tickwire-server.XXXXXX.log)
# shellcheck disable=SC2086
java -jar "$server_jar" --port "$port" $server_args > "$log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  if curl -fs "http://127.0.0.1:$port/health" > /dev/null 2>&1; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "server exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done

clock_ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
start_ticks=$(cpu_ticks)
start_ns=$(date +%s%N)

set +e
# shellcheck disable=SC2086
java -jar "$bots_jar" --url "ws://127.0.0.1:$port/ws" --bots "$bots" --rooms "$rooms" --duration "$duration" $bot_args
bots_status=$?
set -e

end_ticks=$(cpu_ticks)
end_ns=$(date +%s%N)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
awk -v t=$((end_ticks - start_ticks)) -v hz="$clock_ticks" -v ns=$((end_ns - start_ns)) -v rss="$rss_kb" \
  'BEGIN { printf "server: %.3f CPU seconds per second (%.1f%% of one core) over %.1f s, RSS %.0f MiB\n",
           t / hz / (ns / 1e9), 100 * t / hz / (ns / 1e9), ns / 1e9, rss / 1024 }'
exit "$bots_status"
