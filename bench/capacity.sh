#!/usr/bin/env bash
# Capacity of one Tickwire server core, beside the I/O floor, in one run.
#
# The measure is server CPU microseconds per client-tick: CPU seconds per second divided by the snapshots the
# server sent per second (one per client per tick). The server runs pinned to CPU 0 (taskset), the bot swarm to
# CPU 1. For each run and shape (runs interleaved across shapes, so drift on a noisy machine hits all alike) it
# starts a fresh server, starts the swarm, waits until every bot has joined plus a warm-up, then reads at both ends
# of the window: the server's utime and stime (/proc/PID/stat), syscr + syscw (/proc/PID/io: read- and write-family
# calls only, the cheap count), voluntary + involuntary context switches of all its threads
# (/proc/PID/task/*/status: each voluntary one is a thread going to sleep, so a wake-up), and /metrics (snapshots
# sent, ticks, tick lateness p99 over the window); every system call is counted with perf's raw_syscalls tracepoint
# during the window when perf may attach. The swarm reports input->applied latency p99 (after its warm-up).
# It prints per shape the median over the runs of:
#   us/c-tick (user, system)  syscalls/c-tick  syscr+syscw/c-tick  wakeups/c-tick  ticks/s  lateness p99
#   input p99  bytes/s per client (the bots' payload over the time each was joined, so the join's full snapshots
#   with it)  the swarm's own CPU (s/s; near 1, the swarm is the limit)
#   skip% (snapshots the overload governor skipped: above 0, the per-client cost is overstated)
#   gath% (ticks whose input gather gave up on an event loop's read pass)
#   jit (the part of us/c-tick spent by the JIT compiler threads: on one core, they still take 3-8% of the server's
#   CPU 10-30 s after the join, hence the 30 s default warm-up; well above 0, the window is not the steady state)
#   snapB/s (snapshot bytes per client per second over the window, from the server's /metrics: the steady state)
# Each run checks that its server may run on CPU 0 alone.
# The floor (bench/floor.sh: bench/floor/floor-server.c, one read and one write per client per tick, plain epoll
# and its per-tick variants, epoll-uring-send the per-tick one with its writes batched in one io_uring submission as
# the server's are by default; java-tick, the per-tick floor on the JVM with the primitives Tickwire's event loop
# uses) runs first in the same run, with the same client count and pinning.
#
# Then, unless --max-counts "", it looks for the largest client count one server core holds on the first shape,
# stepping up until one loses its ticks: a count holds when every bot joined, the server keeps >= 29.7 ticks/s with
# at most 1% of snapshots skipped by the overload governor, and input->applied p99 stays within one tick period +
# 5 ms. It reports that count, and the largest count that keeps 30 Hz so whatever the latency; the search stops
# after a step whose swarm used 0.9 s/s of its core or more. When the base count fails the latency rule, it steps
# down through --lower-counts (default "800 600 400 300 200") to the first that holds it.
#
#   bench/capacity.sh [--clients 1000] [--runs 3] [--window 20] [--warmup 30]
#                     [--shapes "rooms100 room1000 nointerest"] [--max-counts "2000 3000 4000 5000 6000"]
#                     [--lower-counts "800 600 400 300 200"]
#                     [--floor-modes "epoll epoll-tick uring epoll-uring-send java-tick"] [--server-args "..."]
#                     [--bot-args "..."]
#                     [--server-jar net/target/tickwire-server.jar] [--port 7792]
#
# --server-jar runs another build of the server (an older commit's jar, for a before/after table) against the same
# swarm. --variants "NAME=FLAGS;NAME=FLAGS" measures each shape once per set of extra server flags, interleaved
# (e.g. "epoll=--transport epoll;io_uring=--transport io_uring"); rows are labelled SHAPE/NAME. A variant's flags
# may start with jar:PATH to run that build of the server, so builds are compared interleaved, run by run
# (e.g. "before=jar:/tmp/old-server.jar;after=jar:net/target/tickwire-server.jar"), and then with jvm:OPTS, the
# server's JVM options, comma-separated, or none (e.g. "small=jvm:none;huge=jvm:-XX:+UseTransparentHugePages").
# Before those, java:PATH runs the server on that java, so Java versions are compared against the same swarm
# (e.g. "jdk17=java:/usr/lib/jvm/java-17-openjdk-amd64/bin/java;jdk25=java:/usr/lib/jvm/temurin-25-jdk-amd64/bin/java").
# The server and the swarm run with bench/lib.sh's JVM options otherwise: -XX:+UseTransparentHugePages where the
# kernel offers transparent huge pages; TICKWIRE_JVM_OPTS replaces them.
# Shapes (the arena's defaults: 200 NPCs per room, 30 Hz):
#   rooms100    rooms of 100 bots, view radius 100
#   room1000    one room of all the bots, view radius 100
#   nointerest  rooms of 100 bots, interest off (--view-radius 0: 300 entities in every view)
#   idle        rooms of 100 idle bots, no NPCs, view radius 1: almost nothing to send
# Build first: mvn -q -DskipTests package. Everything it starts it stops, by pid.
set -euo pipefail
cd "$(dirname "$0")/.."

clients=1000
runs=3
window=20
warmup=30
shapes="rooms100 room1000 nointerest"
max_counts="2000 3000 4000 5000 6000"
lower_counts="800 600 400 300 200"
floor_modes="epoll epoll-tick uring epoll-uring-send java-tick"
server_args=""
bot_args=""
port=7792
jar_override=""
variants=""
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --shapes) shapes=$2; shift 2 ;;
    --max-counts) max_counts=$2; shift 2 ;;
    --lower-counts) lower_counts=$2; shift 2 ;;
    --floor-modes) floor_modes=$2; shift 2 ;;
    --server-args) server_args=$2; shift 2 ;;
    --bot-args) bot_args=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --server-jar) jar_override=$2; shift 2 ;;
    --variants) variants=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/lib.sh
. bench/lib.sh
[ -n "$jar_override" ] && server_jar=$jar_override
require_jars
require_java_floor "$floor_modes"
server_launcher="taskset -c 0"

tick_rate=30
max_latency_ms=$(awk -v hz=$tick_rate 'BEGIN { printf "%.1f", 1000 / hz + 5 }')
clk=$(getconf CLK_TCK)
# Every system call of the server is counted with perf's raw_syscalls tracepoint where perf may attach (a counting
# tracepoint adds well under 0.1 us per call); /proc/PID/io's syscr/syscw count only read- and write-family calls,
# not recv/send/epoll/futex.
perf_syscalls=no
perf stat -x, -e raw_syscalls:sys_enter -o /dev/null -- true 2>/dev/null && perf_syscalls=yes
work=$(mktemp -d -t tickwire-capacity.XXXXXX)
bots_pid=""
cleanup() {
  [ -n "$bots_pid" ] && kill "$bots_pid" 2>/dev/null
  stop_server
}
trap cleanup EXIT
trap 'exit 130' INT TERM

shape_flags() {
  # Prints "server flags|bot flags" of a shape for N bots.
  case "$1" in
    rooms100) echo "|--bots-per-room 100" ;;
    room1000) echo "|--bots-per-room $2" ;;
    nointerest) echo "--view-radius 0|--bots-per-room 100" ;;
    idle) echo "--view-radius 1 --game-option arena.npcs=0|--bots-per-room 100 --behaviour idle" ;;
    *) echo "unknown shape: $1" >&2; exit 2 ;;
  esac
}

# jit_sample PID: "tid ticks" (user + system) of each of a process's JIT compiler threads.
jit_sample() {
  local task
  for task in /proc/"$1"/task/*; do
    [[ $(cat "$task/comm" 2>/dev/null) == C[12]\ Compiler* ]] || continue
    echo "${task##*/} $(sed 's/.*) //' "$task/stat" | awk '{ print $12 + $13 }')"
  done
}

# jit_ticks BEFORE AFTER: the JIT compiler threads' CPU ticks between two jit_sample files. A compiler thread the JVM
# starts during the window counts from zero; one it stops during the window is not counted, so this is a floor.
jit_ticks() {
  awk 'NR == FNR { before[$1] = $2; next } { d += $2 - ($1 in before ? before[$1] : 0) } END { print d + 0 }' "$1" "$2"
}

# proc_sample PID: "utime stime syscalls switches" of a process, all threads.
proc_sample() {
  local stat switches
  stat=$(cat "/proc/$1/stat")
  stat=${stat##*) }
  switches=$(cat /proc/"$1"/task/*/status 2>/dev/null |
    awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ { s += $2 } END { print s + 0 }')
  awk -v s="$stat" -v sw="$switches" '/^syscr:/ { r = $2 } /^syscw:/ { w = $2 }
    END { split(s, f, " "); printf "%s %s %d %s\n", f[12], f[13], r + w, sw }' "/proc/$1/io"
}

metric_sum() {
  awk -v name="$2" '$1 ~ "^"name"([{]|$)" { sum += $NF } END { printf "%.0f", sum + 0 }' "$1"
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

# wait_joined N: waits (bounded by the ramp) until the server counts N clients.
wait_joined() {
  local want=$1 have=0
  for _ in $(seq 1 $((want / 50 + 120))); do
    have=$(curl -fs "http://127.0.0.1:$port/metrics" | awk '$1 == "tickwire_clients" || $1 ~ /^tickwire_clients[{]/ { s += $NF }
      END { printf "%.0f", s + 0 }')
    [ "$have" -ge "$want" ] && return 0
    sleep 0.5
  done
  echo "only $have of $want bots joined" >&2
  return 1
}

# run_step SHAPE BOTS RUN [VARIANT]: one measurement; appends "label bots run total user sys syscalls syscr+syscw wakeups
# ticks/s lateness_p99_ms latency_p99_ms bytes_per_client joined swarm skip% gath% jit snapshot_bytes_per_client" to
# $work/results (columns 1-19; holds and swarm_bound read columns 10, 12, 14, 15 and 16).
run_step() {
  local shape=$1 bots=$2 run=$3 variant=${4:-} flags sflags bflags log json vargs="" label=$1
  local server_jar=$server_jar server_jvm_opts=$server_jvm_opts server_java=$server_java
  flags=$(shape_flags "$shape" "$bots")
  sflags=${flags%%|*}
  bflags=${flags#*|}
  if [ -n "$variant" ]; then
    label="$shape/${variant%%=*}"
    vargs=${variant#*=}
    if [[ $vargs == java:* ]]; then
      server_java=${vargs%% *}
      server_java=${server_java#java:}
      vargs=${vargs#java:"$server_java"}
      vargs=${vargs# }
    fi
    if [[ $vargs == jar:* ]]; then
      server_jar=${vargs%% *}
      server_jar=${server_jar#jar:}
      vargs=${vargs#jar:"$server_jar"}
      vargs=${vargs# }
    fi
    if [[ $vargs == jvm:* ]]; then
      local jvm_spec=${vargs%% *}
      vargs=${vargs#"$jvm_spec"}
      jvm_spec=${jvm_spec#jvm:}
      server_jvm_opts=${jvm_spec//,/ }
      [ "$server_jvm_opts" = none ] && server_jvm_opts=""
    fi
  fi
  log="$work/server-${label//\//-}-$bots-$run.log"
  json="$work/bots-${label//\//-}-$bots-$run.json"
  # shellcheck disable=SC2086
  start_server "$port" "$log" --room none $sflags $server_args $vargs
  local cpus
  cpus=$(awk '/^Cpus_allowed_list:/ { print $2 }' "/proc/$server_pid/status")
  [ "$cpus" = 0 ] || { echo "server $server_pid may run on CPUs $cpus, not CPU 0 alone" >&2; exit 1; }
  local ramp_s=$((bots / 500 + 1))
  # shellcheck disable=SC2086
  taskset -c 1 java $jvm_opts -jar "$bots_jar" --url "ws://127.0.0.1:$port/ws" --bots "$bots" --ramp 500 \
    --duration "$((ramp_s + warmup + window + 8))s" --warmup "$((ramp_s + warmup))s" --json "$json" \
    $bflags $bot_args > "$work/bots-$shape-$bots-$run.log" 2>&1 &
  bots_pid=$!
  local shape=$label joined=0 m0_us m1_us c0_us c1_us
  if wait_joined "$bots"; then
    joined=$bots
    sleep "$warmup"
    # The counters (from /metrics) and the CPU times (from /proc) are sampled one after the other, each at its own
    # clock reading, and each is made a rate over its own interval: on a slow day the samples take most of a second,
    # and counting snapshots over a longer interval than the CPU time understated the cost per client-tick by 4%.
    local before after
    m0_us=${EPOCHREALTIME/./}
    curl -fs "http://127.0.0.1:$port/metrics" > "$work/m0"
    m0_us=$(( (m0_us + ${EPOCHREALTIME/./}) / 2 ))
    c0_us=${EPOCHREALTIME/./}
    before=$(proc_sample "$server_pid")
    jit_sample "$server_pid" > "$work/jit0"
    if [ "$perf_syscalls" = yes ]; then
      perf stat -x, -e raw_syscalls:sys_enter -p "$server_pid" -o "$work/perf" -- sleep "$window" 2>/dev/null || true
    else
      sleep "$window"
    fi
    c1_us=${EPOCHREALTIME/./}
    after=$(proc_sample "$server_pid")
    jit_sample "$server_pid" > "$work/jit1"
    m1_us=${EPOCHREALTIME/./}
    curl -fs "http://127.0.0.1:$port/metrics" > "$work/m1"
    m1_us=$(( (m1_us + ${EPOCHREALTIME/./}) / 2 ))
  fi
  wait "$bots_pid" 2>/dev/null || true
  bots_pid=""
  stop_server
  if [ "$joined" -eq 0 ]; then
    echo "$label $bots $run nan nan nan nan nan nan 0 nan nan nan 0 nan nan nan nan nan" >> "$work/results"
    return 0
  fi
  local snaps snap_bytes ticks shards lateness latency bytes swarm
  snaps=$(( $(metric_sum "$work/m1" tickwire_snapshots_sent_total) - $(metric_sum "$work/m0" tickwire_snapshots_sent_total) ))
  snap_bytes=$(( $(metric_sum "$work/m1" tickwire_snapshot_bytes_total) -
    $(metric_sum "$work/m0" tickwire_snapshot_bytes_total) ))
  ticks=$(( $(metric_sum "$work/m1" tickwire_ticks_total) - $(metric_sum "$work/m0" tickwire_ticks_total) ))
  shards=$(grep -c '^tickwire_ticks_total{' "$work/m1" || echo 1)
  local skipped gathers
  skipped=$(( $(metric_sum "$work/m1" tickwire_snapshots_skipped_overload_total) -
    $(metric_sum "$work/m0" tickwire_snapshots_skipped_overload_total) ))
  gathers=$(( $(metric_sum "$work/m1" tickwire_io_gather_timeouts_total) -
    $(metric_sum "$work/m0" tickwire_io_gather_timeouts_total) ))
  lateness=$(metric_max "$work/m1" tickwire_tick_lateness_seconds 'quantile="0.99"')
  latency=$(json_field "$json" inputLatencyMs.p99)
  bytes=$(json_field "$json" perBot.bytesPerSecond.mean)
  swarm=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])).get("swarmCpu") or {}
u, s = c.get("userSecondsPerSecond"), c.get("systemSecondsPerSecond")
print("nan" if u is None or s is None else "%.2f" % (u + s))' "$json")
  local syscalls=nan
  [ "$perf_syscalls" = yes ] && syscalls=$(awk -F, '/raw_syscalls:sys_enter/ { print $1 + 0 }' "$work/perf")
  read -r u0 s0 c0 w0 <<<"$before"
  read -r u1 s1 c1 w1 <<<"$after"
  awk -v hz="$clk" -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v c=$((c1 - c0)) -v w=$((w1 - w0)) -v n="$snaps" \
    -v ticks="$ticks" -v shards="$shards" -v metric_ms="$(((m1_us - m0_us) / 1000))" \
    -v cpu_ms="$(((c1_us - c0_us) / 1000))" -v window="$window" \
    -v late="$lateness" -v lat="$latency" -v bytes="$bytes" -v shape="$shape" -v bots="$bots" -v run="$run" \
    -v joined="$joined" -v sc="$syscalls" -v swarm="$swarm" -v skipped="$skipped" -v gathers="$gathers" \
    -v jit="$(jit_ticks "$work/jit0" "$work/jit1")" -v snap_bytes="$snap_bytes" 'BEGIN {
      if (n <= 0) n = 1
      nc = n / metric_ms * cpu_ms
      np = n / metric_ms * window * 1000
      printf "%s %d %d %.2f %.2f %.2f %s %.3f %.4f %.1f %.2f %s %s %d %s %.2f %.1f %.2f %.0f\n", shape, bots, run,
        (u + s) / hz * 1e6 / nc, u / hz * 1e6 / nc, s / hz * 1e6 / nc, sc == "nan" ? "nan" : sprintf("%.3f", sc / np),
        c / nc, w / nc, ticks / (metric_ms / 1000) / shards, late * 1000, lat, bytes, joined, swarm,
        100 * skipped / (n + skipped), 100 * gathers / (ticks > 0 ? ticks : 1), jit / hz * 1e6 / nc,
        snap_bytes / (metric_ms / 1000) / (joined > 0 ? joined : 1) }' \
    >> "$work/results"
  echo "  $(tail -n 1 "$work/results")"
}

# median_row SHAPE BOTS: the median of each column over the runs of a shape at a count.
median_row() {
  awk -v s="$1" -v b="$2" '$1 == s && $2 == b' "$work/results" | awk '
    { for (c = 4; c <= 19; c++) v[c, NR] = $c; shape = $1; bots = $2 }
    END {
      if (NR == 0) exit
      printf "%-20s %6d", shape, bots
      for (c = 4; c <= 19; c++) {
        n = 0
        for (i = 1; i <= NR; i++) if (v[c, i] != "nan") a[++n] = v[c, i] + 0
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        med = n == 0 ? "nan" : (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        fmt = (c >= 7 && c <= 9) ? "%9.3f" : (c == 13 || c == 19) ? "%8.0f" : (c == 14) ? "%7.0f" : (c == 15 || c == 18) ? "%6.2f" : (c >= 16) ? "%6.1f" : "%8.2f"
        printf " " (med == "nan" ? "%8s" : fmt), med
      }
      printf "\n"
    }'
}

echo "Tickwire capacity, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -1), JVM options \"$jvm_opts\""
echo "server $server_jar pinned to CPU 0, swarm to CPU 1; $clients clients, ${window}s window after all joined + ${warmup}s;" \
  "$runs interleaved runs; $(uptime | sed 's/.*load/load/')"

if [ -n "$floor_modes" ]; then
  echo
  echo "== I/O floor (bench/floor.sh: C, and java-* on the JVM; same pinning) =="
  bench/floor.sh --clients "$clients" --duration "$window" --warmup 5 --runs "$runs" --modes "$floor_modes" \
    --port $((port + 1)) | sed -n '/^mode /,$p'
fi

echo
echo "== Tickwire =="
for run in $(seq 1 "$runs"); do
  for shape in $shapes; do
    if [ -z "$variants" ]; then
      run_step "$shape" "$clients" "$run"
    else
      IFS=';' read -ra variant_list <<<"$variants"
      for variant in "${variant_list[@]}"; do
        run_step "$shape" "$clients" "$run" "$variant"
      done
    fi
  done
done
echo
printf '%-20s %6s %8s %8s %8s %9s %9s %9s %8s %8s %8s %8s %7s %6s %6s %6s %6s %8s\n' shape clients 'us/c-tk' user \
  system 'syscl/ct' 'rw/ct' 'wakes/ct' 'ticks/s' 'late99ms' 'in99ms' 'B/s/cl' joined swarm skip% gath% jit 'snapB/s'
for shape in $shapes; do
  if [ -z "$variants" ]; then
    median_row "$shape" "$clients"
  else
    IFS=';' read -ra variant_list <<<"$variants"
    for variant in "${variant_list[@]}"; do
      median_row "$shape/${variant%%=*}" "$clients"
    done
  fi
done
echo "(medians of $runs runs; us/c-tk = server CPU us per client-tick; syscl = every system call (perf), rw = syscr+syscw;"
echo " wakes = context switches of the server's threads, per client-tick; swarm = the swarm's own CPU s/s, near 1 = the"
echo " swarm, not the server, is the limit; skip% = snapshots skipped by the overload governor (above 0, us/c-tk"
echo " overstates the cost per client); gath% = ticks whose input gather timed out; jit = the JIT compiler threads'"
echo " part of us/c-tk: well above 0, the warm-up was too short for the steady state); B/s/cl = the bots' payload over"
echo " their joined time, the join included; snapB/s = snapshot bytes per client per second in the window (/metrics))"

if [ -n "$max_counts" ]; then
  first_shape=${shapes%% *}
  echo
  echo "== largest client count on one server core, $first_shape (holds: all joined, >= 29.7 ticks/s," \
    "<= 1% of snapshots skipped, input p99 <= $max_latency_ms ms; keeps 30 Hz: the same without the latency) =="
  # holds ROW N SHIFT LATENCY: whether a results row (or a median row, shifted by one column) at N clients keeps
  # every bot joined, its ticks and every client's snapshot rate (the overload governor skipped at most 1%), and,
  # when LATENCY is 1, its input p99 within the bound.
  holds() {
    awk -v row="$1" -v max="$max_latency_ms" -v n="$2" -v shift_by="$3" -v latency="$4" 'BEGIN {
      split(row, f, " "); j = f[14 - shift_by]; t = f[10 - shift_by]; l = f[12 - shift_by]; k = f[16 - shift_by]
      exit !(j == n && t >= 29.7 && k <= 1 && (latency == 0 || (l != "nan" && l <= max))) }'
  }
  # swarm_bound ROW SHIFT: whether the swarm used 0.9 s/s of its core or more: it, not the server, may be the limit.
  swarm_bound() {
    awk -v row="$1" -v shift_by="$2" 'BEGIN { split(row, f, " "); s = f[15 - shift_by]
      exit !(s != "nan" && s >= 0.9) }'
  }
  best=""
  best_ticks=""
  first_row=$(median_row "$first_shape" "$clients")
  holds "$first_row" "$clients" 1 1 && best=$clients
  holds "$first_row" "$clients" 1 0 && best_ticks=$clients
  last_swarm_bound=""
  rule_holding=0
  [ -z "$best" ] || rule_holding=1
  if [ -n "$best_ticks" ]; then
    swarm_bound "$first_row" 1 && last_swarm_bound=$clients
    for n in $max_counts; do
      [ "$n" -gt "$clients" ] || continue
      [ -z "$last_swarm_bound" ] || break
      run_step "$first_shape" "$n" 1
      row=$(tail -n 1 "$work/results")
      swarm_bound "$row" 0 && last_swarm_bound=$n
      holds "$row" "$n" 0 0 || break
      best_ticks=$n
      # The latency rule's count grows only while every step below it held the rule too.
      if [ "$rule_holding" = 1 ] && holds "$row" "$n" 0 1; then
        best=$n
      else
        rule_holding=0
      fi
    done
  fi
  # Below the base count when it failed the latency rule: the first lower count that holds it.
  lowest_tried=$clients
  if [ -z "$best" ]; then
    for n in $lower_counts; do
      [ "$n" -lt "$clients" ] || continue
      lowest_tried=$n
      run_step "$first_shape" "$n" 1
      if holds "$(tail -n 1 "$work/results")" "$n" 0 1; then
        best=$n
        break
      fi
    done
  fi
  echo "capacity $first_shape: ${best:-fewer than $lowest_tried} clients on one server core at $tick_rate Hz" \
    "with input p99 <= $max_latency_ms ms"
  echo "capacity $first_shape: ${best_ticks:-fewer than $clients} clients keep $tick_rate Hz on one server core," \
    "whatever the latency"
  if [ -n "$last_swarm_bound" ]; then
    echo "  (the swarm used 0.9 s/s of its core or more at $last_swarm_bound clients: the search stopped there, as" \
      "the swarm, not the server, may have been the limit)"
  fi
fi
echo "(per-run rows and logs in $work)"
trap - EXIT
stop_server
