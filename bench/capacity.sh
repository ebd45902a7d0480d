#!/usr/bin/env bash
# Capacity of one Tickwire server on this machine, on the reference workload (arena defaults, 30 Hz).
#
# For each bot count it starts a fresh server on loopback, runs the swarm (a separate process) against it, and
# reports: server CPU seconds per second, server RSS, ticks per second achieved (from /metrics), tick cycle
# duration p99 (from /metrics, over the run), input->applied latency p99 and bytes/s per bot (from the swarm's
# JSON report). A count "holds" when the server keeps 30 ticks/s (>= 29.7) and input->applied p99 stays under two
# tick periods (66.7 ms); the largest count that holds is the capacity. Everything it starts it stops, by pid.
#
#   bench/capacity.sh [--shape rooms100|room1000|both] [--counts "500 1000 2000 5000 10000"] [--duration 20s]
#                     [--port 7792] [--server-args "..."] [--bot-args "..."]
#
# Shapes: rooms100 = rooms of 100 bots, view radius 100; room1000 = rooms of 1000 bots, view radius 100.
# Build first: mvn -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."

shape=both
counts_rooms100="500 1000 2000 5000 10000"
counts_room1000="1000 2000 5000"
counts=""
duration=20s
port=7792
server_args=""
bot_args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --shape) shape=$2; shift 2 ;;
    --counts) counts=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --server-args) server_args=$2; shift 2 ;;
    --bot-args) bot_args=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/lib.sh
. bench/lib.sh
require_jars

tick_rate=30
max_latency_ms=$(awk -v hz=$tick_rate 'BEGIN { printf "%.1f", 2000 / hz }')
work=$(mktemp -d -t tickwire-capacity.XXXXXX)
trap 'stop_server; rm -rf "$work"' EXIT

metric_sum() {
  # Sums every sample of a metric (all shards) in a Prometheus text scrape; 0 when absent.
  awk -v name="$2" '$1 ~ "^"name"([{]|$)" { sum += $NF } END { printf "%.6f", sum + 0 }' "$1"
}

metric_max() {
  awk -v name="$2" -v want="$3" '$1 ~ "^"name"[{]" && index($1, want) { if ($NF != "NaN" && $NF > max) max = $NF }
    END { printf "%.6f", max + 0 }' "$1"
}

json_field() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d
for k in sys.argv[2].split("."): v = v.get(k) if isinstance(v, dict) else None
print("nan" if v is None else v)' "$1" "$2"
}

run_step() {
  local shape_name=$1 bots=$2 per_room=$3
  local log="$work/server-$shape_name-$bots.log" json="$work/bots-$shape_name-$bots.json"
  # shellcheck disable=SC2086
  start_server "$port" "$log" --room none $server_args

  local clk start_ticks start_ns end_ticks end_ns
  clk=$(getconf CLK_TCK)
  curl -fs "http://127.0.0.1:$port/metrics" > "$work/m0"
  start_ticks=$(server_cpu_ticks)
  start_ns=$(date +%s%N)

  set +e
  # shellcheck disable=SC2086
  java -jar "$bots_jar" --url "ws://127.0.0.1:$port/ws" --bots "$bots" --bots-per-room "$per_room" \
    --duration "$duration" --json "$json" $bot_args > "$work/bots-$shape_name-$bots.log" 2>&1
  set -e

  end_ticks=$(server_cpu_ticks)
  end_ns=$(date +%s%N)
  curl -fs "http://127.0.0.1:$port/metrics" > "$work/m1"
  local rss_kb
  rss_kb=$(server_rss_kb)
  stop_server

  local seconds cpu ticks_per_s tick_p99_ms latency_p99 bytes_per_bot snaps_per_bot joined verdict
  seconds=$(awk -v a="$start_ns" -v b="$end_ns" 'BEGIN { print (b - a) / 1e9 }')
  cpu=$(awk -v t=$((end_ticks - start_ticks)) -v hz="$clk" -v s="$seconds" 'BEGIN { printf "%.2f", t / hz / s }')
  ticks_per_s=$(awk -v a="$(metric_sum "$work/m0" tickwire_ticks_total)" \
    -v b="$(metric_sum "$work/m1" tickwire_ticks_total)" -v s="$seconds" -v shards="$(grep -c '^tickwire_ticks_total{' "$work/m1")" \
    'BEGIN { printf "%.1f", (b - a) / s / (shards > 0 ? shards : 1) }')
  tick_p99_ms=$(awk -v v="$(metric_max "$work/m1" tickwire_tick_duration_seconds 'quantile="0.99"')" \
    'BEGIN { printf "%.2f", v * 1000 }')
  latency_p99=$(printf '%.1f' "$(json_field "$json" inputLatencyMs.p99)")
  bytes_per_bot=$(printf '%.0f' "$(json_field "$json" perBot.bytesPerSecond.mean)")
  snaps_per_bot=$(printf '%.1f' "$(json_field "$json" perBot.snapshotsPerSecond.mean)")
  joined=$(json_field "$json" bots.joined)
  verdict=$(awk -v t="$ticks_per_s" -v l="$latency_p99" -v max="$max_latency_ms" -v j="$joined" -v n="$bots" \
    'BEGIN { print (t >= 29.7 && l != "nan" && l < max && j == n) ? "holds" : "no" }')
  printf '%-9s %6d %6s %8s %8.0f %8s %10s %11s %10s %9s %6s\n' "$shape_name" "$bots" "$joined" "$cpu" \
    "$((rss_kb / 1024))" "$ticks_per_s" "$tick_p99_ms" "$latency_p99" "$bytes_per_bot" "$snaps_per_bot" "$verdict"
  [ "$verdict" = holds ] && best[$shape_name]=$bots
  return 0
}

declare -A best
echo "Tickwire capacity, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "duration $duration per step; holds = >= 29.7 ticks/s and input->applied p99 < $max_latency_ms ms, all bots joined"
printf '%-9s %6s %6s %8s %8s %8s %10s %11s %10s %9s %6s\n' shape bots joined cpu_s/s rss_MiB ticks/s \
  tick_p99_ms lat_p99_ms B/s/bot snaps/s result
for s in rooms100 room1000; do
  [ "$shape" = both ] || [ "$shape" = "$s" ] || continue
  if [ "$s" = rooms100 ]; then per_room=100; list=${counts:-$counts_rooms100}; else per_room=1000; list=${counts:-$counts_room1000}; fi
  for n in $list; do
    run_step "$s" "$n" "$per_room"
  done
done
for s in rooms100 room1000; do
  [ -n "${best[$s]:-}" ] && echo "capacity $s: ${best[$s]} bots hold 30 ticks/s with input->applied p99 < $max_latency_ms ms"
done
exit 0
