#!/usr/bin/env bash
# The I/O floor: what the cheapest possible server pays for Tickwire's I/O pattern on this machine. A minimal C
# server (bench/floor/floor-server.c) reads one 18-byte input and writes one 30-byte snapshot per client per tick
# at 30 Hz over loopback; a C client (bench/floor/floor-client.c) drives N connections. The server is pinned to CPU
# 0 and the client to CPU 1. After the warm-up the server's utime/stime (/proc/PID/stat), syscr/syscw
# (/proc/PID/io) and its own counters are read at both ends of the window; per mode it prints the median over the
# runs of: CPU microseconds per client-tick (total, user, system), system calls per client-tick (the server's own
# count, which includes epoll_wait and io_uring_enter; and syscr+syscw), wakeups per client-tick, ticks/s. Runs are
# interleaved across modes. CPU time is counted in clock ticks (10 ms), so small runs (few clients, short windows)
# give coarse figures. Everything it starts it stops, by pid.
#
# The mode java-tick is the same floor on the JVM (jmh/src/main/java/io/tickwire/jmh/floor/JavaFloorServer.java,
# built into jmh/target/tickwire-benchmarks.jar by 'mvn -q -DskipTests package'): epoll-tick's pattern with the
# primitives Tickwire's event loop uses, so what it adds to epoll-tick is the JVM's and Netty's cost per system call,
# and what Tickwire adds to it is Tickwire's own. The mode epoll-uring-send keeps epoll-tick's reads and batches the
# tick's writes in one io_uring_enter; java-uring-send does the same on the JVM through Netty's io_uring API.
#
#   bench/floor.sh [--clients 1000] [--duration 20] [--warmup 5] [--runs 3] [--port 7790]
#                  [--modes "epoll epoll-tick uring"]   (also: epoll-uring-send, java-tick, java-uring-send)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

clients=1000
duration=20
warmup=5
modes="epoll epoll-tick uring"
runs=3
port=7790
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

require_java_floor "$modes"

build=bench/floor/build
mkdir -p "$build"
gcc -std=gnu11 -O2 -Wall -Wextra -o "$build/floor-server" bench/floor/floor-server.c
gcc -std=gnu11 -O2 -Wall -Wextra -o "$build/floor-client" bench/floor/floor-client.c
out=$(mktemp -d -t tickwire-floor.XXXXXX)
server_pid=""
client_pid=""

cleanup() {
  for pid in $client_pid $server_pid; do
    kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ticks_per_second=$(getconf CLK_TCK)

# proc_sample PID: "utime stime syscr syscw" of the process.
proc_sample() {
  local stat
  stat=$(cat "/proc/$1/stat")
  # Fields after the command name, which is in parentheses and may hold spaces: utime is 14, stime 15.
  stat=${stat##*) }
  awk -v s="$stat" '/^syscr:/ { r = $2 } /^syscw:/ { w = $2 }
    END { split(s, f, " "); printf "%s %s %s %s\n", f[12], f[13], r, w }' "/proc/$1/io"
}

# last_counters FILE: the server's last counters line.
last_counters() {
  grep '^floor ' "$1" | tail -n 1
}

# counter LINE KEY: the value of KEY=value in a counters line.
counter() {
  tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'
}

# wait_for_counters FILE COUNT: waits (bounded) until FILE holds COUNT counters lines.
wait_for_counters() {
  for _ in $(seq 1 50); do
    [ "$(grep -c '^floor ' "$1" || true)" -ge "$2" ] && return 0
    sleep 0.1
  done
  echo "server printed no counters" >&2
  return 1
}

# listening PORT: whether a socket listens on PORT (state 0A in /proc/net/tcp or tcp6, the port in hex; the JVM
# binds 127.0.0.1 as an IPv4-mapped IPv6 address).
listening() {
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
    awk -v p=":$(printf '%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }'
}

run_once() {
  local mode=$1 run=$2 log="$out/$1.$2.server" before after c0 c1
  if listening "$port"; then
    echo "port $port is in use" >&2
    exit 1
  fi
  if [[ $mode == java-* ]]; then
    # shellcheck disable=SC2086
    taskset -c 0 java $jvm_opts -cp "$java_floor_jar" io.tickwire.jmh.floor.JavaFloorServer --mode "${mode#java-}" \
      --port "$port" >"$log" &
  else
    taskset -c 0 "$build/floor-server" --mode "$mode" --port "$port" >"$log" &
  fi
  server_pid=$!
  for _ in $(seq 1 100); do
    listening "$port" && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! kill -0 "$server_pid" 2>/dev/null || ! listening "$port"; then
    echo "the $mode floor server did not start listening on $port (port in use?)" >&2
    exit 1
  fi
  taskset -c 1 "$build/floor-client" --port "$port" --clients "$clients" \
    --duration $((warmup + duration + 2)) >"$out/$mode.$run.client" &
  client_pid=$!
  sleep "$warmup"
  before=$(proc_sample "$server_pid")
  kill -USR1 "$server_pid"
  sleep "$duration"
  after=$(proc_sample "$server_pid")
  kill -USR1 "$server_pid"
  wait_for_counters "$log" 2
  c0=$(grep '^floor ' "$log" | sed -n 1p)
  c1=$(grep '^floor ' "$log" | sed -n 2p)
  wait "$client_pid" || true
  client_pid=""
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
  read -r u0 s0 r0 w0 <<<"$before"
  read -r u1 s1 r1 w1 <<<"$after"
  awk -v hz="$ticks_per_second" -v u="$((u1 - u0))" -v s="$((s1 - s0))" -v io="$((r1 - r0 + w1 - w0))" \
    -v ct="$(($(counter "$c1" writes) - $(counter "$c0" writes)))" \
    -v sc="$(($(counter "$c1" syscalls) - $(counter "$c0" syscalls)))" \
    -v wk="$(($(counter "$c1" wakeups) - $(counter "$c0" wakeups)))" \
    -v tk="$(($(counter "$c1" ticks) - $(counter "$c0" ticks)))" \
    -v ns="$(($(counter "$c1" ns) - $(counter "$c0" ns)))" -v mode="$mode" -v run="$run" \
    'BEGIN { if (ct == 0) { print mode, run, "no client-ticks"; exit }
             printf "%s %d %.2f %.2f %.2f %.3f %.3f %.3f %.2f\n", mode, run, (u + s) / hz * 1e6 / ct,
                    u / hz * 1e6 / ct, s / hz * 1e6 / ct, sc / ct, io / ct, wk / ct, tk / (ns / 1e9) }' \
    >>"$out/results"
  echo "$mode run $run: $(tail -n 1 "$out/results" | cut -d' ' -f3-) | $(cat "$out/$mode.$run.client")"
}

echo "floor: $clients clients, ${duration}s window after ${warmup}s warm-up, $runs interleaved runs; $(uptime)"
echo "columns: us/client-tick total user system, syscalls/client-tick (own, syscr+syscw), wakeups/client-tick, ticks/s"
for run in $(seq 1 "$runs"); do
  for mode in $modes; do
    run_once "$mode" "$run"
  done
done

echo
printf '%-16s %10s %8s %8s %12s %12s %12s %8s\n' mode 'us/c-tick' user system 'syscalls' 'syscr+syscw' \
  'wakeups' 'ticks/s'
for mode in $modes; do
  awk -v m="$mode" '$1 == m' "$out/results" | awk '
    { for (c = 3; c <= 9; c++) v[c, NR] = $c; mode = $1 }
    END {
      printf "%-16s", mode
      for (c = 3; c <= 9; c++) {
        n = 0
        for (i = 1; i <= NR; i++) a[++n] = v[c, i]
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        w = (c == 3) ? 10 : (c <= 5 || c == 9) ? 8 : 12
        printf " %*s", w, (c >= 6 && c <= 8) ? sprintf("%.3f", med) : sprintf("%.2f", med)
      }
      printf "\n"
    }'
done
echo "(medians of $runs runs; per-run figures and logs in $out)"
