#!/usr/bin/env bash
# Soak: runs the built server and a bot swarm with churn for a long time, and checks that the server's heap after a
# forced full GC comes back to where it was before the run. Not part of CI.
#
#   bench/soak.sh [--bots 3000] [--duration 30m] [--bots-per-room 50] [--churn 0.01] [--warmup 60s] [--settle 20s]
#                 [--port 7792] [--server-cpus LIST] [--bot-cpus LIST] [--tolerance-mib 16] [--tolerance-pct 10]
#                 [--server-args "..."] [--bot-args "..."]
#
# Sequence: start the server (pinned with taskset to --server-cpus when given) -> a warm-up swarm (--warmup, same
# bots, so the JIT, Netty's pools and every per-room structure reach their working size) -> settle -> GC, heap
# "before" -> the soak swarm (--duration, churn and reconnects on) -> settle (sessions close, empty rooms expire)
# -> GC, heap "after" -> SIGTERM (the server drains and must exit 0). The heap has "returned" when after <= before +
# max(--tolerance-mib, --tolerance-pct % of before). Heap figures are what `jstat -gc` reports used (survivors, eden,
# old) right after `jcmd PID GC.run`, whichever collector the JVM picked (Serial on one CPU, G1 on more).
# Exit status: 0 when the swarm passed, the heap returned and the server exited 0; 1 otherwise.
#
# Build first: mvn -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."

port=7792
bots=3000
bots_per_room=50
churn=0.01
duration=30m
warmup=60s
settle=20s
server_cpus=""
bot_cpus=""
tolerance_mib=16
tolerance_pct=10
server_args=""
bot_args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --bots) bots=$2; shift 2 ;;
    --bots-per-room) bots_per_room=$2; shift 2 ;;
    --churn) churn=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --server-cpus) server_cpus=$2; shift 2 ;;
    --bot-cpus) bot_cpus=$2; shift 2 ;;
    --tolerance-mib) tolerance_mib=$2; shift 2 ;;
    --tolerance-pct) tolerance_pct=$2; shift 2 ;;
    --server-args) server_args=$2; shift 2 ;;
    --bot-args) bot_args=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/lib.sh
. bench/lib.sh
require_jars
command -v jcmd > /dev/null && command -v jstat > /dev/null ||
  { echo "jcmd and jstat (from the JDK) are needed to read the server's heap" >&2; exit 2; }
[ -z "$server_cpus" ] || server_launcher="taskset -c $server_cpus"
bot_launcher=""
[ -z "$bot_cpus" ] || bot_launcher="taskset -c $bot_cpus"

# Seconds in a duration such as 90s, 30m or 1h.
seconds_of() {
  local value=$1
  case "$value" in
    *h) echo $(( ${value%h} * 3600 )) ;;
    *m) echo $(( ${value%m} * 60 )) ;;
    *s) echo "${value%s}" ;;
    *) echo "$value" ;;
  esac
}

# Forces a full GC in the server and prints the heap it still uses, in KiB: survivor, eden and old space used, as
# jstat reports them for any of the JDK's generational collectors.
heap_after_gc_kb() {
  jcmd "$server_pid" GC.run > /dev/null
  jstat -gc "$server_pid" | awk '
    NR == 1 { for (i = 1; i <= NF; i++) column[$i] = i; next }
    { printf "%d", $column["S0U"] + $column["S1U"] + $column["EU"] + $column["OU"] }'
}

metric() {
  curl -fs "http://127.0.0.1:$port/metrics" | awk -v name="$1" '$1 ~ "^"name { sum += $2 } END { printf "%d", sum }'
}

# swarm DURATION JSON: runs the swarm against the server; its status is the swarm's.
swarm() {
  # shellcheck disable=SC2086
  $bot_launcher java $jvm_opts -jar "$bots_jar" --url "ws://127.0.0.1:$port/ws" --bots "$bots" \
    --bots-per-room "$bots_per_room" --ramp 500 --churn "$churn" --reconnect --duration "$1" --json "$2" \
    --threads 2 $bot_args > "$2.log" 2>&1
}

log_dir=$(mktemp -d -t tickwire-soak.XXXXXX)
server_log="$log_dir/server.log"
trap stop_server EXIT
# shellcheck disable=SC2086
start_server "$port" "$server_log" --room none $server_args
echo "soak: $bots bots, $bots_per_room per room, churn $churn/s, $duration (warm-up $warmup, settle $settle)," \
  "server pid $server_pid${server_cpus:+ on cpus $server_cpus}${bot_cpus:+, bots on cpus $bot_cpus}; logs in $log_dir"

swarm "$warmup" "$log_dir/warmup.json" ||
  echo "soak: the warm-up swarm reported failures (see $log_dir/warmup.json.log)"
sleep "$(seconds_of "$settle")"
before_kb=$(heap_after_gc_kb)
gc_name=$(jcmd "$server_pid" VM.info 2>/dev/null |
  awk -F', ' '/^# Java VM:/ { for (i = 1; i <= NF; i++) if ($i ~ /gc/) print $i }')
echo "soak: heap after GC before the run: $((before_kb / 1024)) MiB (${gc_name:-collector unknown})"

set +e
swarm "$duration" "$log_dir/soak.json"
swarm_status=$?
set -e
tail -n 30 "$log_dir/soak.json.log"

sleep "$(seconds_of "$settle")"
after_kb=$(heap_after_gc_kb)
sessions=$(metric tickwire_sessions_active)
rss_kb=$(server_rss_kb)

kill -TERM "$server_pid"
set +e
wait "$server_pid"
server_status=$?
set -e
server_pid=""

allowed_kb=$(( before_kb * tolerance_pct / 100 ))
[ "$allowed_kb" -ge $(( tolerance_mib * 1024 )) ] || allowed_kb=$(( tolerance_mib * 1024 ))
growth_kb=$(( after_kb - before_kb ))
returned=no
[ "$growth_kb" -le "$allowed_kb" ] && returned=yes
echo "soak: heap after GC before $((before_kb / 1024)) MiB, after $((after_kb / 1024)) MiB" \
  "(growth $((growth_kb / 1024)) MiB, allowed $((allowed_kb / 1024)) MiB): returned to its pre-run level: $returned"
echo "soak: sessions still open after the run: $sessions; server RSS $((rss_kb / 1024)) MiB;" \
  "swarm exit status $swarm_status; server exit status after SIGTERM $server_status"
grep -E "draining|stopped" "$server_log" || true
[ "$returned" = yes ] && [ "$swarm_status" -eq 0 ] && [ "$server_status" -eq 0 ] && [ "$sessions" -eq 0 ]
