#!/usr/bin/env bash
# Interleaved A/B runs of bench/swarm-run.sh in two built checkouts (each uses its own server and bot jars), so a
# change is compared with its base on the same noisy machine at the same time. Prints each run's figures and the
# median per checkout: bytes/s per bot (WebSocket payload received), server CPU (% of one core), input-to-applied
# latency p99 and, when the bots report it, message delivery latency p50 / p99.
#
#   bench/ab.sh --base /path/to/base-checkout [--runs 3] -- [swarm-run.sh arguments...]
#
# Build both first: mvn -q -DskipTests package (in each checkout).
set -euo pipefail
cd "$(dirname "$0")/.."

base=""
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$base" ] || { echo "--base DIR is required" >&2; exit 2; }
[ -x "$base/bench/swarm-run.sh" ] || { echo "$base has no bench/swarm-run.sh" >&2; exit 2; }
head=$(pwd)
out=$(mktemp -d -t tickwire-ab.XXXXXX)

# figures FILE: "bytes cpu p99 msg50 msg99" from one swarm-run.sh output ("nan" where absent).
figures() {
  awk '
    /bytes\/s per bot/            { bytes = $5 }
    /^server:/                    { cpu = $7; gsub(/[(%]/, "", cpu) }
    /input latency ms/            { p99 = $9 }
    /message latency ms/ && /p50/ { m50 = $5; m99 = $9 }
    END { printf "%s %s %s %s %s\n", bytes ? bytes : "nan", cpu ? cpu : "nan", p99 ? p99 : "nan",
                  m50 ? m50 : "nan", m99 ? m99 : "nan" }' "$1"
}

for i in $(seq 1 "$runs"); do
  for side in base head; do
    dir=$base; [ "$side" = head ] && dir=$head
    log="$out/$side-$i.log"
    (cd "$dir" && bench/swarm-run.sh "$@") > "$log" 2>&1 || echo "run $side $i failed: see $log" >&2
    echo "$side $i: $(figures "$log")" | tee -a "$out/$side.txt"
  done
done

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2];
                                      else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo "medians of $runs runs (bytes/s per bot, server % of one core, input latency p99 ms, message p50 ms, p99 ms):"
for side in base head; do
  line="$side:"
  for column in 3 4 5 6 7; do
    line="$line $(awk -v c=$column '$c != "nan" { print $c }' "$out/$side.txt" | median)"
  done
  echo "$line"
done
echo "logs: $out"
