#!/usr/bin/env bash
# Paired A/B of two server jars: both run at the same time on the same core (CPU 0), each driven by its own swarm on
# CPU 1, and each one's server CPU per client-tick is measured over the same window. Whatever else the host runs hits
# both servers alike, so their ratio resolves smaller differences than runs one after the other. The two swap ports,
# and which server and swarm start first, every other run. Prints each run and, at the end, the median ratio B/A and how many runs B was
# cheaper; an A/A pair (the same jar twice) shows the method's own spread (JIT and layout differ per JVM).
#
#   bench/paired.sh --a JAR --b JAR [--runs 6] [--bots 500] [--bots-per-room 100] [--window 15] [--warmup 30]
#                   [-- server flags...]
#
# Each server serves --bots clients, so the core carries twice that; keep both under its capacity (500 + 500 in
# rooms of 100 use about half of one core of the reference machine). Build first: mvn -q -DskipTests package.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

jar_a=""
jar_b=""
runs=6
bots=500
bots_per_room=100
window=15
warmup=30
while [ $# -gt 0 ]; do
  case "$1" in
    --a) jar_a=$2; shift 2 ;;
    --b) jar_b=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --bots) bots=$2; shift 2 ;;
    --bots-per-room) bots_per_room=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -f "$jar_a" ] && [ -f "$jar_b" ] || { echo "--a JAR and --b JAR are required" >&2; exit 2; }
[ -f "$bots_jar" ] || { echo "missing $bots_jar: run 'mvn -q -DskipTests package' first" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "needs two CPUs" >&2; exit 2; }
work=$(mktemp -d -t tickwire-paired.XXXXXX)
pids=()
swarms=()
keep_logs=""
trap 'for p in ${pids[@]+"${pids[@]}"} ${swarms[@]+"${swarms[@]}"}; do kill "$p" 2>/dev/null || true; done
  [ -n "$keep_logs" ] || rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# serve JAR PORT LOG [flags...]: starts a server pinned to CPU 0, prints its pid once /health answers; stops it
# and fails otherwise.
serve() {
  local jar=$1 port=$2 log=$3
  shift 3
  if curl -fs "http://127.0.0.1:$port/health" > /dev/null 2>&1; then
    echo "port $port already serves: stop that server first" >&2
    exit 1
  fi
  taskset -c 0 java $jvm_opts -jar "$jar" --port "$port" --demo-bots 0 --max-connections 60000 \
    --max-connections-per-ip 60000 --room none "$@" > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$port/health" > /dev/null 2>&1; then
      [ "$(awk '/Cpus_allowed_list/ {print $2}' "/proc/$pid/status")" = 0 ] ||
        { echo "server $pid is not pinned to CPU 0 alone" >&2; kill "$pid"; exit 1; }
      echo "$pid"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "server exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "server on $port did not answer /health within 10 s" >&2
  kill "$pid"
  exit 1
}

# halt PID: stops a server started by serve (a child of its command substitution, so not waitable here) and waits
# up to 10 s for it to exit, freeing its port.
halt() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  echo "server $1 did not exit within 10 s" >&2
  exit 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo x; }
snapshots() {
  { curl -fs "http://127.0.0.1:$1/metrics" || echo x; } |
    awk '/^x$/ {bad = 1} /^tickwire_snapshots_sent_total/ {s += $NF} END {if (bad) print "x"; else printf "%d\n", s}'
}
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print NR ? s : "x"}'; }
# sample PID_A PID_B PORT_A PORT_B: "cpuA cpuB snapshotsA snapshotsB switchesA switchesB"; an "x" for what could not
# be read (a server that died).
sample() { echo "$(cpu_ticks "$1") $(cpu_ticks "$2") $(snapshots "$3") $(snapshots "$4") $(switches "$1") $(switches "$2")"; }

hz=$(getconf CLK_TCK)
: > "$work/ratios"
printf "%-4s %-28s %10s %8s   %-28s %10s %8s   %7s\n" run A "us/c-tick" "ctx/ct" B "us/c-tick" "ctx/ct" "B/A"
for run in $(seq 1 "$runs"); do
  if [ $((run % 2)) -eq 1 ]; then port_a=7811; port_b=7812; else port_a=7812; port_b=7811; fi
  if [ $((run % 2)) -eq 1 ]; then
    pid_a=$(serve "$jar_a" $port_a "$work/a-$run.log" "$@"); pids+=("$pid_a")
    pid_b=$(serve "$jar_b" $port_b "$work/b-$run.log" "$@"); pids+=("$pid_b")
  else
    pid_b=$(serve "$jar_b" $port_b "$work/b-$run.log" "$@"); pids+=("$pid_b")
    pid_a=$(serve "$jar_a" $port_a "$work/a-$run.log" "$@"); pids+=("$pid_a")
  fi
  swarms=()
  first_port=$port_a
  [ $((run % 2)) -eq 1 ] || first_port=$port_b
  for port in $first_port $((port_a + port_b - first_port)); do
    taskset -c 1 java $jvm_opts -jar "$bots_jar" --url "ws://127.0.0.1:$port/ws" --bots "$bots" \
      --bots-per-room "$bots_per_room" --duration "$((warmup + window + 8))s" --warmup "${warmup}s" \
      > "$work/swarm-$run-$port.log" 2>&1 &
    swarms+=($!)
  done
  sleep "$((warmup + 2))"
  first=$(sample "$pid_a" "$pid_b" $port_a $port_b)
  sleep "$window"
  last=$(sample "$pid_a" "$pid_b" $port_a $port_b)
  wait "${swarms[@]}" || true
  swarms=()
  halt "$pid_a"
  halt "$pid_b"
  pids=()
  if [[ "$first $last" == *x* ]]; then
    echo "$run   a server died or did not answer /metrics: run skipped (logs in $work)"
    keep_logs=1
    continue
  fi
  read -r ca0 cb0 sa0 sb0 xa0 xb0 <<< "$first"
  read -r ca1 cb1 sa1 sb1 xa1 xb1 <<< "$last"
  awk -v run="$run" -v hz="$hz" -v A="$(basename "$jar_a")" -v B="$(basename "$jar_b")" \
    -v ca=$((ca1 - ca0)) -v cb=$((cb1 - cb0)) -v sa=$((sa1 - sa0)) -v sb=$((sb1 - sb0)) \
    -v xa=$((xa1 - xa0)) -v xb=$((xb1 - xb0)) -v ratios="$work/ratios" 'BEGIN {
      if (sa <= 0 || sb <= 0) { printf "%-4s no snapshots sent in the window: run skipped\n", run; exit }
      ua = ca / hz * 1e6 / sa; ub = cb / hz * 1e6 / sb
      printf "%-4s %-28s %10.2f %8.4f   %-28s %10.2f %8.4f   %7.3f\n", run, A, ua, xa / sa, B, ub, xb / sb, ub / ua
      printf "%.4f\n", ub / ua >> ratios }'
done
[ -s "$work/ratios" ] || { echo "no run completed" >&2; exit 1; }
sort -g "$work/ratios" | awk '{ r[NR] = $1; if ($1 < 1) cheaper++ } END {
  median = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
  printf "median B/A %.3f over %d runs; B cheaper in %d, range %.3f-%.3f\n", median, NR, cheaper, r[1], r[NR] }'
