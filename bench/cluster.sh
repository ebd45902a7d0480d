#!/usr/bin/env bash
# Starts a Tickwire cluster on loopback (one redis-server of its own and N nodes with --redis), runs the bot swarm
# through the matchmaker, and prints per-node and total figures: clients held, matchmake latency, Redis operations
# per join, and, with --kill, the time to detect a node killed with SIGKILL at half time, the time until all its
# players play again, and the state lost in ticks. Stops everything it started, by process id, whatever happens.
#
#   bench/cluster.sh [--nodes 3] [--bots 3000] [--duration 60] [--kill] [--game arena] [--base-port 7801]
#                    [--server-args "..."] [--bot-args "..."] [--keep]
#
# --duration is in seconds. Node i (1..N) listens on base-port + i - 1; bot j asks node (j mod N)'s /matchmake, and
# the next node's when that one does not answer (the killed node is node 2). Needs redis-server and redis-cli (7.x), curl and python3 (to read the swarm's JSON report).
# Build first: mvn -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."

nodes=3
bots=3000
duration=60
kill_node=false
game=arena
base_port=7801
server_args=""
bot_args=""
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes=$2; shift 2 ;;
    --bots) bots=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --kill) kill_node=true; shift ;;
    --game) game=$2; shift 2 ;;
    --base-port) base_port=$2; shift 2 ;;
    --server-args) server_args=$2; shift 2 ;;
    --bot-args) bot_args=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$nodes$bots$duration" in *[!0-9]*) echo "--nodes, --bots and --duration take whole numbers" >&2; exit 2 ;; esac
if [ "$nodes" -lt 1 ] || [ "$bots" -lt 1 ] || [ "$duration" -lt 4 ]; then
  echo "need --nodes >= 1, --bots >= 1, --duration >= 4" >&2; exit 2
fi
if $kill_node && [ "$nodes" -lt 2 ]; then
  echo "--kill needs at least 2 nodes (node 2 is killed)" >&2; exit 2
fi
for tool in redis-server redis-cli curl python3; do
  command -v "$tool" > /dev/null || { echo "missing $tool" >&2; exit 2; }
done

# shellcheck source=bench/lib.sh
. bench/lib.sh
require_jars

prefix="tw:"
work=$(mktemp -d -t tickwire-cluster.XXXXXX)
redis_pid=""
swarm_pid=""
declare -a node_pids node_ports node_ids node_start_ticks node_cpu node_figures

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ -n "$swarm_pid" ]; then kill "$swarm_pid" 2>/dev/null || true; wait "$swarm_pid" 2>/dev/null || true; fi
  for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$redis_pid" ]; then
    redis-cli -p "$redis_port" shutdown nosave > /dev/null 2>&1 || kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  if $keep; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

now_ms() {
  echo $(( $(date +%s%N) / 1000000 ))
}

rcli() {
  redis-cli -p "$redis_port" --raw "$@"
}

# Sum of the calls of every command, and of the script calls (EVALSHA, EVAL), from INFO commandstats: "ALL SCRIPTS".
redis_calls() {
  rcli info commandstats | tr -d '\r' | awk -F'[:=,]' '
    /^cmdstat_/ { all += $3; if ($1 == "cmdstat_evalsha" || $1 == "cmdstat_eval") scripts += $3 }
    END { print all + 0, scripts + 0 }'
}

# metric NAME FILE: the sum of the samples of a Prometheus metric (every label set), or "n/a" when absent.
metric() {
  awk -v name="$1" '$1 == name || index($1, name "{") == 1 { sum += $NF; seen = 1 }
    END { if (seen) printf "%.0f", sum; else print "n/a" }' "$2"
}

# metric_max NAME LABEL FILE: the largest sample of a Prometheus metric among those whose labels include LABEL
# (e.g. quantile="0.99"), or "n/a".
metric_max() {
  awk -v name="$1" -v label="$2" 'index($1, name "{") == 1 && index($1, label) > 0 && (!seen || $NF > max) {
      max = $NF; seen = 1 }
    END { if (seen) printf "%.6f", max; else print "n/a" }' "$3"
}

cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo ""
}

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
  > "$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 100); do
  [ "$(rcli ping 2>/dev/null)" = "PONG" ] && break
  kill -0 "$redis_pid" 2>/dev/null || { echo "redis-server exited:" >&2; cat "$work/redis.log" >&2; exit 1; }
  sleep 0.05
done
[ "$(rcli ping 2>/dev/null)" = "PONG" ] || { echo "redis-server did not answer PING" >&2; exit 1; }

umask 077
head -c 48 /dev/urandom | base64 | tr -d '\n=' > "$work/cluster-secret"
umask 022

for i in $(seq 1 "$nodes"); do
  port=$((base_port + i - 1))
  node_ports[i]=$port
  # shellcheck disable=SC2086
  java $jvm_opts -jar "$server_jar" --port "$port" --demo-bots 0 --room none --max-connections 60000 \
    --max-connections-per-ip 60000 --max-matchmakes-per-second-per-ip 0 --drain-timeout 3s \
    --redis "redis://127.0.0.1:$redis_port" \
    --redis-prefix "$prefix" --public-url "ws://127.0.0.1:$port/ws" --cluster-secret-file "$work/cluster-secret" \
    $server_args > "$work/node$i.log" 2>&1 &
  node_pids[i]=$!
done

for i in $(seq 1 "$nodes"); do
  port=${node_ports[i]}
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/health" > /dev/null 2>&1 && break
    kill -0 "${node_pids[i]}" 2>/dev/null || { echo "node $i exited:" >&2; cat "$work/node$i.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$port/health" > /dev/null || { echo "node $i: no /health within 30 s" >&2; exit 1; }
  for _ in $(seq 1 100); do
    node_ids[i]=$(rcli zrange "${prefix}nodes" 0 -1 | grep -F "127.0.0.1:$port-" || true)
    [ -n "${node_ids[i]}" ] && break
    sleep 0.05
  done
  [ -n "${node_ids[i]}" ] || { echo "node $i never registered in ${prefix}nodes" >&2; exit 1; }
  node_start_ticks[i]=$(cpu_ticks "${node_pids[i]}")
done
echo "cluster: redis 127.0.0.1:$redis_port, $nodes nodes (${node_ids[*]})"

# Background traffic (heartbeats, syncs, reaps) over 2 s, subtracted from the run's calls per join.
read -r idle_all_start idle_scripts_start < <(redis_calls)
idle_start_ms=$(now_ms)
sleep 2
read -r all_start scripts_start < <(redis_calls)
start_ms=$(now_ms)
idle_ms=$((start_ms - idle_start_ms))

rooms=$((bots / 32 > 0 ? bots / 32 : 1))
matchmakers=""
for i in $(seq 1 "$nodes"); do matchmakers="$matchmakers${matchmakers:+,}http://127.0.0.1:${node_ports[i]}"; done
# shellcheck disable=SC2086
java $jvm_opts -jar "$bots_jar" --matchmaker "$matchmakers" --game "$game" --bots "$bots" \
  --rooms "$rooms" --duration "${duration}s" --reconnect --json "$work/swarm.json" $bot_args \
  > "$work/swarm.log" 2>&1 &
swarm_pid=$!

# The ramp: until every bot is seated (the nodes' clients add up), at most half the run. Its Redis calls, less the
# idle background, over its joins are the cost of a join; the whole run adds checkpoints and re-homes.
ramp_end_ms=$((start_ms + duration * 500))
ramp_seated=0
while [ "$(now_ms)" -lt "$ramp_end_ms" ]; do
  ramp_seated=0
  for i in $(seq 1 "$nodes"); do
    seated=$(curl -fs "http://127.0.0.1:${node_ports[i]}/metrics" | awk '$1 ~ /^tickwire_clients[{ ]/ { s += $NF }
      END { printf "%.0f", s }' || echo 0)
    ramp_seated=$((ramp_seated + ${seated:-0}))
  done
  [ "$ramp_seated" -ge "$bots" ] && break
  sleep 0.1
done
read -r ramp_all ramp_scripts < <(redis_calls)
ramp_ms=$(($(now_ms) - start_ms))
echo "ramp: $ramp_seated of $bots bots seated after $ramp_ms ms"

detect_ms="n/a"
killed_rooms=""
if $kill_node; then
  while [ "$(now_ms)" -lt "$((start_ms + duration * 500))" ]; do sleep 0.05; done
  killed_rooms=$(rcli smembers "${prefix}noderooms:${node_ids[2]}" | tr '\n' ' ')
  kill -9 "${node_pids[2]}"
  kill_ms=$(now_ms)
  wait "${node_pids[2]}" 2>/dev/null || true
  while [ -n "$(rcli zscore "${prefix}nodes" "${node_ids[2]}")" ]; do
    [ $(($(now_ms) - kill_ms)) -gt 30000 ] && break
    sleep 0.02
  done
  if [ -z "$(rcli zscore "${prefix}nodes" "${node_ids[2]}")" ]; then
    detect_ms=$(($(now_ms) - kill_ms))
  fi
  echo "killed node 2 (${node_ids[2]}) at $((kill_ms - start_ms)) ms; out of ${prefix}nodes after $detect_ms ms"
fi

# Per-node figures at three quarters of the run: after any kill and re-home, before the bots leave.
sample_at_ms=$((start_ms + duration * 750))
while [ "$(now_ms)" -lt "$sample_at_ms" ]; do sleep 0.2; done
clock_hz=$(getconf CLK_TCK)
for i in $(seq 1 "$nodes"); do
  if $kill_node && [ "$i" -eq 2 ]; then
    node_figures[i]="node 2  ${node_ids[2]}  killed"
    continue
  fi
  curl -fs "http://127.0.0.1:${node_ports[i]}/metrics" > "$work/metrics$i.txt" || true
  curl -fs "http://127.0.0.1:${node_ports[i]}/rooms" > "$work/rooms$i.json" || echo "[]" > "$work/rooms$i.json"
  end_ticks=$(cpu_ticks "${node_pids[i]}")
  node_cpu[i]=$(awk -v t=$((end_ticks - node_start_ticks[i])) -v hz="$clock_hz" \
    -v s="$(( $(now_ms) - idle_start_ms ))" 'BEGIN { printf "%.0f", 100 * t / hz / (s / 1000) }')
  node_figures[i]=$(printf "node %d  %s  clients %s  rooms %s  tick lateness p99 %s ms  CPU %s%% of a core" "$i" \
    "${node_ids[i]}" "$(metric tickwire_clients "$work/metrics$i.txt")" \
    "$(metric tickwire_rooms "$work/metrics$i.txt")" \
    "$(metric_max tickwire_tick_lateness_seconds 'quantile="0.99"' "$work/metrics$i.txt" | \
      awk '{ if ($1 == "n/a") print $1; else printf "%.1f", $1 * 1000 }')" "${node_cpu[i]}")
done

set +e
wait "$swarm_pid"
swarm_status=$?
set -e
swarm_pid=""
read -r all_end scripts_end < <(redis_calls)
end_ms=$(now_ms)

echo
tail -n 45 "$work/swarm.log"
echo
echo "per node (at 3/4 of the run):"
for i in $(seq 1 "$nodes"); do echo "  ${node_figures[i]}"; done

python3 - "$work" "$nodes" "$((all_end - all_start))" "$((scripts_end - scripts_start))" \
  "$((idle_all_start))" "$((idle_scripts_start))" "$all_start" "$scripts_start" "$idle_ms" "$((end_ms - start_ms))" \
  "$detect_ms" "$killed_rooms" "$((ramp_all - all_start))" "$((ramp_scripts - scripts_start))" "$ramp_ms" \
  "$ramp_seated" <<'PY'
import json, sys
(work, nodes, all_calls, script_calls, idle_all0, idle_scripts0, idle_all1, idle_scripts1, idle_ms, run_ms,
 detect_ms, killed_rooms, ramp_all, ramp_scripts, ramp_ms, ramp_seated) = sys.argv[1:17]
ramp_all, ramp_scripts, ramp_ms, ramp_seated = int(ramp_all), int(ramp_scripts), int(ramp_ms), int(ramp_seated)
nodes, all_calls, script_calls, idle_ms, run_ms = int(nodes), int(all_calls), int(script_calls), int(idle_ms), int(run_ms)
idle_all = (int(idle_all1) - int(idle_all0)) * run_ms / max(idle_ms, 1)
idle_scripts = (int(idle_scripts1) - int(idle_scripts0)) * run_ms / max(idle_ms, 1)
report = json.load(open(f"{work}/swarm.json"))
mm, rh = report["matchmaker"], report["rehome"]
joins = mm["placed"]
def ms(node, key):
    value = node.get(key)
    return "n/a" if value is None else f"{value:.1f}"
print()
print("total:")
print(f"  clients held          {report['bots']['joined']} bots joined of {report['bots']['total']}; "
      f"joined at the end {report['bots']['total'] - report['bots'].get('notReturned', 0)}")
print(f"  matchmake             {joins} placed, p50 {ms(mm['latencyMs'], 'p50')} ms, p99 {ms(mm['latencyMs'], 'p99')} ms"
      f", max {ms(mm['latencyMs'], 'max')} ms per request; a bot's wait (client queue included) p50 "
      f"{ms(mm['waitMs'], 'p50')} ms, p99 {ms(mm['waitMs'], 'p99')} ms; refused {mm['refused'] or 'none'}")
if ramp_seated:
    idle_rate_all = (int(idle_all1) - int(idle_all0)) / max(idle_ms, 1)
    idle_rate_scripts = (int(idle_scripts1) - int(idle_scripts0)) / max(idle_ms, 1)
    print(f"  Redis ops per join    {(ramp_all - idle_rate_all * ramp_ms) / ramp_seated:.1f} commands, "
          f"{(ramp_scripts - idle_rate_scripts * ramp_ms) / ramp_seated:.2f} script calls (the ramp: {ramp_seated} "
          f"seated in {ramp_ms} ms, less the idle background)")
if joins:
    print(f"  Redis ops, whole run  {(all_calls - idle_all) / joins:.1f} commands and "
          f"{(script_calls - idle_scripts) / joins:.2f} script calls per placement ({joins}), with checkpoints, "
          f"syncs of the rooms and re-homes")
print(f"  Redis background      {idle_all * 1000 / max(run_ms, 1):.0f} commands/s, "
      f"{idle_scripts * 1000 / max(run_ms, 1):.0f} script calls/s (heartbeats, syncs, reaps of {nodes} nodes)")
if detect_ms != "n/a" or killed_rooms:
    lost = []
    restored = {}
    for i in range(1, nodes + 1):
        try:
            for room in json.load(open(f"{work}/rooms{i}.json")):
                if room.get("restoredFromTick") is not None:
                    restored[room["name"]] = room["restoredFromTick"]
        except (OSError, ValueError):
            pass
    for room, tick in rh["lastTickBeforeLossByRoom"].items():
        if room in restored:
            lost.append(max(0, tick - restored[room]))
    t = rh["timeToPlayMs"]
    print(f"  killed node           detected (out of the directory) after {detect_ms} ms")
    print(f"  re-homed              {rh['rehomed']} of {rh['losses']} connections lost, {rh['notBack']} not back; "
          f"entity kept {rh['entityKept']}, changed {rh['rehomeEntityChanged']}")
    print(f"  loss to playing       p50 {ms(t, 'p50')} ms, p99 {ms(t, 'p99')} ms, all back after {ms(t, 'max')} ms")
    if lost:
        print(f"  state lost            {max(lost)} ticks at most, {sum(lost) / len(lost):.1f} on average, over "
              f"{len(lost)} restored rooms (newest tick a bot saw before the kill - restoredFromTick)")
    else:
        print(f"  state lost            n/a (no restored room listed with restoredFromTick; rooms of node 2: "
              f"{killed_rooms.strip() or 'none'})")
PY
exit "$swarm_status"
