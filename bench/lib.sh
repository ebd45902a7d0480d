# Shared by the bench scripts (sourced, not run): start a Tickwire server on loopback and wait for its health
# check, read its CPU time, and stop it by process id. Expects to run from the repository root.

server_jar=net/target/tickwire-server.jar
bots_jar=bots/target/tickwire-bots.jar
server_pid=""
# Commands put before the server's java, e.g. "taskset -c 0" to pin it to a core; empty for none.
server_launcher=""

# The JVM options the scripts run the server and the swarm with: the Java heap on transparent huge pages where the
# kernel offers them and the JVM is told to ask (madvise, the usual mode), which cut the CPU per client-tick by 7-15%
# on the reference VM (io/src/main/java/io/tickwire/io/HugePages.java says why; docs/PERFORMANCE.md, ninth
# pass). TICKWIRE_JVM_OPTS replaces them ("" for none).
default_jvm_opts() {
  local modes=/sys/kernel/mm/transparent_hugepage/enabled
  if [ -r "$modes" ] && ! grep -q '\[never\]' "$modes"; then
    echo "-XX:+UseTransparentHugePages"
  fi
}
jvm_opts=${TICKWIRE_JVM_OPTS-$(default_jvm_opts)}
# The server's own, for scripts that compare servers run with other options against the same swarm.
server_jvm_opts=$jvm_opts
# The java that runs the server, for scripts that compare Java versions against the same swarm.
server_java=java

# The JMH jar, which holds the floors java-tick and java-uring-send (JavaFloorServer).
java_floor_jar=jmh/target/tickwire-benchmarks.jar

# require_java_floor MODES: exits unless the JMH jar is built when MODES (floor modes) hold a java-* floor.
require_java_floor() {
  if [[ " $1 " == *" java-"* ]] && [ ! -f "$java_floor_jar" ]; then
    echo "missing $java_floor_jar (the java-* floors): run 'mvn -q -DskipTests package' first" >&2
    exit 2
  fi
}

require_jars() {
  for jar in "$server_jar" "$bots_jar"; do
    [ -f "$jar" ] || { echo "missing $jar: run 'mvn -q -DskipTests package' first" >&2; exit 2; }
  done
}

# start_server PORT LOG [server flags...]: starts the server in the background and waits until /health answers.
# Every bot connects from 127.0.0.1, so the per-address connection cap is raised to the total one.
start_server() {
  local port=$1 log=$2
  shift 2
  # shellcheck disable=SC2086
  $server_launcher "$server_java" $server_jvm_opts -jar "$server_jar" --port "$port" --demo-bots 0 --max-connections 60000 --max-connections-per-ip 60000 \
    "$@" > "$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/health" > /dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "server exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not answer /health within 10 s" >&2
  exit 1
}

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

# Prints the server's user + system CPU time so far, in clock ticks (getconf CLK_TCK per second).
server_cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$server_pid/stat"
}

server_rss_kb() {
  awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"
}
