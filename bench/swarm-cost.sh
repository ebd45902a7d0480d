#!/usr/bin/env bash
# The bot swarm's own cost: CPU microseconds per bot-tick (one snapshot received and verified by one bot; the swarm's
# own swarmCpu report, user and system apart), with a Tickwire server pinned to CPU 0 and the swarm to CPU 1, for
# each bot count and each variant of the swarm's flags, the variants interleaved run by run. Also gives the
# bot-ticks/s the server delivered (of bots x 30), the sends the swarm batched through its send rings, input p99 and
# errors, so a run whose server was saturated or whose bots failed shows as such. Prints every run, then per count
# and variant the medians (over the runs that measured a window and had no errors), and the bots at --hz (the server's
# tick rate, 30 unless --server-args sets another) that one swarm core would drive at that cost (1e6 / us / hz).
#
#   bench/swarm-cost.sh [--counts "1000 2500"] [--runs 3] [--duration 60] [--warmup 30] [--bots-per-room 100]
#                       [--variants "direct=--io-writes direct;batched=--io-writes batched"]
#                       [--server-args "..."] [--hz 30] [--port 7797]
#
# --duration and --warmup are seconds of the swarm's run (the window is the rest). Build first:
# mvn -q -DskipTests package. Stops the servers it started, by process id.
set -euo pipefail
cd "$(dirname "$0")/.."

counts="1000 2500"
runs=3
duration=60
warmup=30
bots_per_room=100
variants="direct=--io-writes direct;batched=--io-writes batched"
server_args=""
hz=30
port=7797
while [ $# -gt 0 ]; do
  case "$1" in
    --counts) counts=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --bots-per-room) bots_per_room=$2; shift 2 ;;
    --variants) variants=$2; shift 2 ;;
    --server-args) server_args=$2; shift 2 ;;
    --hz) hz=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/lib.sh
. bench/lib.sh
require_jars
server_launcher="taskset -c 0"
trap stop_server EXIT
work=$(mktemp -d -t tickwire-swarm-cost.XXXXXX)

[ -n "$variants" ] || { echo "--variants must name at least one variant" >&2; exit 2; }
IFS=';' read -r -a variant_list <<< "$variants"
echo "swarm cost: server $server_jar on CPU 0, swarm $bots_jar on CPU 1, ${duration}s runs, ${warmup}s warm-up," \
  "rooms of $bots_per_room; $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-12s %-4s %9s %7s %7s %12s %10s %10s %7s %7s\n' bots variant run "us/tick" user system bot-ticks/s \
  of batched "p99 ms" errors
for bots in $counts; do
  for run in $(seq 1 "$runs"); do
    for variant in "${variant_list[@]}"; do
      name=${variant%%=*}
      flags=${variant#*=}
      json="$work/$bots-$name-$run.json"
      # shellcheck disable=SC2086
      start_server "$port" "$work/server-$bots-$name-$run.log" $server_args
      set +e
      # shellcheck disable=SC2086
      taskset -c 1 java $jvm_opts -jar "$bots_jar" --url "ws://127.0.0.1:$port/ws" --bots "$bots" --ramp 1000 \
        --duration "${duration}s" --warmup "${warmup}s" --bots-per-room "$bots_per_room" --json "$json" $flags \
        > "$work/bots-$bots-$name-$run.log" 2>&1
      set -e
      stop_server
      python3 - "$json" "$bots" "$name" "$run" "$hz" <<'EOF' | tee -a "$work/runs.txt"
import json, sys
path, bots, name, run, hz = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
try:
    d = json.load(open(path))
except (OSError, ValueError):
    print("%-6d %-12s %-4s no report" % (bots, name, run))
    sys.exit(0)
c = d.get("swarmCpu") or {}
f = lambda v: float("nan") if v is None else v
errors = (d.get("errors") or {}).get("total", -1)
print("%-6d %-12s %-4s %9.2f %7.2f %7.2f %12.0f %10d %10d %7.1f %7d" % (
    bots, name, run, f(c.get("microsPerBotTick")), f(c.get("userMicrosPerBotTick")),
    f(c.get("systemMicrosPerBotTick")), f(c.get("botTicksPerSecond")), bots * hz, c.get("sentByRing") or 0,
    f((d.get("inputLatencyMs") or {}).get("p99")), errors))
EOF
    done
  done
done

echo
echo "medians (us per bot-tick, user, system; runs counted; bots at $hz Hz one swarm core drives at that cost):"
python3 - "$work/runs.txt" "$hz" <<'EOF'
import math, sys, statistics, collections
hz = int(sys.argv[2])
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) < 11:
        continue
    values = [float(x) for x in p[3:6]]
    rows.setdefault((p[0], p[1]), [])
    if not any(math.isnan(v) for v in values) and p[10] == "0":
        rows[(p[0], p[1])].append(values)
for (bots, name), values in rows.items():
    if not values:
        print("%-6s %-12s no run measured a window without errors" % (bots, name))
        continue
    total, user, system = (statistics.median(v[i] for v in values) for i in range(3))
    print("%-6s %-12s %6.2f %6.2f %6.2f  %d runs  ~%d bots" % (bots, name, total, user, system, len(values),
                                                              1e6 / total / hz))
EOF
echo "logs: $work"
