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

# shellcheck source=bench/lib.sh
. bench/lib.sh
require_jars
trap stop_server EXIT
# shellcheck disable=SC2086
start_server "$port" "$(mktemp -t tickwire-server.XXXXXX.log)" $server_args

clock_ticks=$(getconf CLK_TCK)
start_ticks=$(server_cpu_ticks)
start_ns=$(date +%s%N)

set +e
# shellcheck disable=SC2086
java $jvm_opts -jar "$bots_jar" --url "ws://127.0.0.1:$port/ws" --bots "$bots" --rooms "$rooms" --duration "$duration" $bot_args
bots_status=$?
set -e

end_ticks=$(server_cpu_ticks)
end_ns=$(date +%s%N)
rss_kb=$(server_rss_kb)
awk -v t=$((end_ticks - start_ticks)) -v hz="$clock_ticks" -v ns=$((end_ns - start_ns)) -v rss="$rss_kb" \
  'BEGIN { printf "server: %.3f CPU seconds per second (%.1f%% of one core) over %.1f s, RSS %.0f MiB\n",
           t / hz / (ns / 1e9), 100 * t / hz / (ns / 1e9), ns / 1e9, rss / 1024 }'
exit "$bots_status"
