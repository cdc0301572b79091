#!/usr/bin/env bash
# Reproduces the measurements of BENCHMARKS.md in one command: builds, starts the whole stack on
# ports shifted by OFFSET (default 1000, so a stack on the documented ports may keep running),
# measures, stops it, and writes everything to benchmark-results/<time>/.
#
#   scripts/benchmark.sh [all|ceiling|load|recovery|overload|refusals|startup|floor|idle|profile|help]   (default: all)
#
# recovery: the closed loop, then 50 orders/s (an overload here), then the closed loop again.
# overload: 50 orders/s only, for comparing settings of the order service's refusals.
# refusals: what a refused order costs, on a stack whose order service refuses every order.
# floor: no stack; the start of an empty Spring MVC application, the floor under the startup target.
# idle: no load; after IDLE_WAIT, the CPU of every thread of the stack over IDLE_SAMPLE, by process
#       and by thread name (compare settings through the environment, which every service inherits,
#       e.g. SAGA_MESSAGING_OUTBOX_POLL_INTERVAL=100ms; BENCHMARKS.md, sixteenth round).
# profile: after STACK_WARMUP, the closed loop with --cost while JFR records each service's and
#       the broker's CPU time (JDK 25's jdk.CPUTimeSample) from 15 s into the measured phase to 5 s
#       before its end (DURATION=120s WARMUP=30s: 100 s; both in seconds), summarized by
#       ./load-test.sh profile; then, with psql, the SQL statements per order of 200 paid orders
#       at 5/s, from PostgreSQL's statement log, net of the same time idle (twenty-first round).
#
# Environment:
#   OFFSET=1000            port offset of the benchmark stack
#   CLOSED=48              customers of the closed-loop run that finds the maximum
#   DURATION=60s WARMUP=30s   of every load run
#   STACK_WARMUP=600s      closed-loop load before the first measured run: the JIT compilers of
#                          the services take minutes to finish (see BENCHMARKS.md, second round)
#   SERVICE_JVM_OPTIONS="" extra JVM options of every service ({service} is its name)
#   AOT_CACHE=1            load runs on the AOT cache that run-local.sh uses by default, instead
#                          of the fat jars (BENCHMARKS.md "Third round"); a stack that would train
#                          the cache trains it first (TRAINING) and starts again, so no run is
#                          measured on a training JVM. `startup` measures both regardless.
#   TRAINING=180s          closed-loop load (CLOSED customers) that trains the AOT cache: a cache
#                          trained at a low rate costs steady-state throughput (third round)
#   NO_BUILD=1             use the jars already built
#   SPEED_SAMPLES=1        overload: sample each CPU's speed while the run lasts (speed_samples)
#   IDLE_WAIT=240 IDLE_SAMPLE=120   idle: seconds after the start before sampling, and sampled
#
# Other builds or tests on the machine distort every number: each run records the load average and
# the CPU time of processes outside the stack (the "background load" line of each report).
set -euo pipefail
cd "$(dirname "$0")/.."

MODES="all|ceiling|load|recovery|overload|refusals|startup|floor|idle|profile"
what="${1:-all}"
case "$what" in
  help | -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
esac
if [[ ! "|$MODES|" == *"|$what|"* ]]; then
  echo "Usage: scripts/benchmark.sh [$MODES]   (help: what each does)" >&2; exit 64
fi
source scripts/java-home.sh

OFFSET="${OFFSET:-1000}"
CLOSED="${CLOSED:-48}"
DURATION="${DURATION:-60s}"
WARMUP="${WARMUP:-30s}"
STACK_WARMUP="${STACK_WARMUP:-600s}"
TRAINING="${TRAINING:-180s}"
IDLE_WAIT="${IDLE_WAIT:-240}"
IDLE_SAMPLE="${IDLE_SAMPLE:-120}"
SERVICE_JVM_OPTIONS="${SERVICE_JVM_OPTIONS:-}"
if [[ "$what" == profile ]]; then
  # Whole stacks: JFR keeps 64 frames by default, which cuts the entry points off Spring's.
  SERVICE_JVM_OPTIONS="${SERVICE_JVM_OPTIONS:+$SERVICE_JVM_OPTIONS }-XX:FlightRecorderOptions:stackdepth=512"
fi
out="benchmark-results/$(date -u +%Y%m%dT%H%M%SZ)-$what"
mkdir -p "$out"
echo "[bench] results in $out"

if [[ -z "${NO_BUILD:-}" && "$what" != floor ]]; then
  ./mvnw -q -DskipTests package \
    -pl order-service,inventory-service,payment-service,notification-service,dev-stack,load-generator -am
fi

machine() {
  {
    echo "date: $(date -u +%FT%TZ)"
    echo "cpu: $(nproc) x $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }')"
    echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
    echo "versions: $(grep -v '^#' dev-stack/target/classes/dev/saga/stack/versions.properties | tr '\n' ' ')"
    echo "service JVM options: ${SERVICE_JVM_OPTIONS:-(none)}"
    echo "load runs on: $([[ "${AOT_CACHE:-0}" == 1 ]] && echo "the AOT cache" || echo "the fat jars")"
    echo "AOT caches (run-local.sh trains them in its first run after a build): $(ls */target/aot/*.aot 2>/dev/null | tr '\n' ' ')"
  } | tee "$out/machine.txt"
}

# CPU seconds of a fixed single-threaded task (a bash loop of $1 steps) on CPU $2 (unpinned where
# util-linux's taskset is missing).
probe() {
  local TIMEFORMAT='%3U' pin=()
  if command -v taskset > /dev/null; then pin=(taskset -c "$2"); fi
  { time "${pin[@]}" bash -c "i=0; while (( i < $1 )); do (( i++ )); done"; } 2>&1
}

# The load average, the java processes that are not this benchmark's, and how fast each CPU runs
# a fixed task right now: the CPU seconds of 1,000,000 loop steps, the median of three. The machine
# is a VM whose CPUs differ and drift in speed per CPU second (BENCHMARKS.md, fourteenth round);
# every call comes while the stack is idle or stopped.
background() {
  local speeds=() cpu
  for cpu in $(seq 0 $(( $(nproc) - 1 ))); do
    speeds+=("cpu$cpu $(for _ in 1 2 3; do probe 1000000 "$cpu"; done | sort -n | sed -n 2p) s")
  done
  echo "[bench] $1: load average $(cut -d' ' -f1-3 /proc/loadavg);" \
    "other java processes: $(pgrep -fa java | grep -v -e "\.run-local-$OFFSET" -e dev.saga.load.Main \
      -e dev.saga.stack.DevStack -e pgrep | wc -l);" \
    "speed probe (1,000,000 steps): ${speeds[*]}" | tee -a "$out/background.txt"
}

# With SPEED_SAMPLES=1, while a measured run lasts: every 5 s, the CPU seconds of 200,000 loop
# steps on each CPU (about 3 % of the machine), to "$out/speed-$1.txt"; stopped by the caller.
speed_samples() {
  [[ "${SPEED_SAMPLES:-0}" == 1 ]] || return 0
  local cpus
  cpus="$(seq 0 $(( $(nproc) - 1 )))"
  while :; do
    local line
    line="$(date +%s)"
    for cpu in $cpus; do line+=" $(probe 200000 "$cpu")"; done
    echo "$line" >> "$out/speed-$1.txt"
    sleep 5
  done
}

stack_pid=""
start_stack() {
  local options=("$@")
  ./run-local.sh --no-build --no-seed --port-offset "$OFFSET" "${options[@]}" \
    > "$out/stack.log" 2>&1 &
  stack_pid=$!
  for _ in $(seq 1 600); do
    if grep -q "The order saga runs locally" "$out/stack.log"; then
      echo "[bench] stack up: $(grep 'The order saga runs locally' "$out/stack.log")"
      return 0
    fi
    if ! kill -0 "$stack_pid" 2>/dev/null; then
      echo "[bench] the stack did not start:"; tail -20 "$out/stack.log"; exit 1
    fi
    sleep 1
  done
  echo "[bench] the stack did not start within 10 minutes"; exit 1
}

stop_stack() {
  if [[ -n "$stack_pid" ]] && kill -0 "$stack_pid" 2>/dev/null; then
    kill -TERM "$stack_pid"
    wait "$stack_pid" || true
  fi
  stack_pid=""
}
trap stop_stack EXIT

load() {
  # The command (ceiling, check) comes first, the options after it.
  ./load-test.sh --no-build "$@" --port-offset "$OFFSET"
}

service_pid() {
  # The fat jar (--no-aot-cache) or the extracted one that runs with the AOT cache.
  pgrep -f -- "-jar .*/$1/target/(aot/app/)?$1.jar" | while read -r pid; do
    if tr '\0' '\n' < "/proc/$pid/environ" | grep -qx "SERVER_PORT=$2"; then echo "$pid"; fi
  done
}

# Time to ready (as Spring Boot logs it: the JVM's uptime when the context had started) and
# resident memory (now and at most) of every service.
startup_and_memory() {
  local title="$1" logs=".run-local-$OFFSET/logs" port=$((8081 + OFFSET))
  {
    echo "| $title | started after (JVM uptime) | RSS now | RSS at most |"
    echo "|---|---:|---:|---:|"
    for service in order-service inventory-service payment-service notification-service; do
      local started pid rss hwm
      started="$(grep -o 'process running for [0-9.]*' "$logs/$service.log" | tail -1 | awk '{print $4 " s"}')"
      pid="$(service_pid "$service" "$port")"
      rss="$(awk '/VmRSS/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo "?")"
      hwm="$(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo "?")"
      echo "| $service | $started | $rss | $hwm |"
      # With SERVICE_JVM_OPTIONS=-XX:NativeMemoryTracking=summary: where the memory is.
      local nmt
      nmt="$("$JAVA_HOME/bin/jcmd" "$pid" VM.native_memory summary 2>&1 || true)"
      if [[ "$nmt" == *"Total:"* ]]; then
        echo "$nmt" > "$out/nmt-$service-${title// /-}.txt"
      fi
      port=$((port + 1))
    done
  } | tee -a "$out/startup.md"
}

# Stops each service of the running stack in turn and starts it alone three times; the arguments
# after the title are run-local.sh's.
one_at_a_time() {
  local title="$1" port=$((8081 + OFFSET))
  shift
  echo "| $title | started after (JVM uptime), 3 starts | RSS after start |" | tee -a "$out/startup.md"
  echo "|---|---:|---:|" | tee -a "$out/startup.md"
  for service in order-service inventory-service payment-service notification-service; do
    local pid times="" rss=""
    pid="$(service_pid "$service" "$port")"
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    for attempt in 1 2 3; do
      local log="$out/$service-alone-$attempt.log" alone
      ./run-local.sh --no-build service "$service" --port-offset "$OFFSET" "$@" > "$log" 2>&1 &
      alone=$!
      for _ in $(seq 1 300); do
        grep -q "is running at" "$log" && break
        sleep 0.2
      done
      local took
      took="$(grep -o 'process running for [0-9.]*' "$log" | tail -1 | awk '{print $4}')"
      times="$times${times:+, }${took:-?} s"
      pid="$(service_pid "$service" "$port")"
      rss="$(awk '/VmRSS/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo "?")"
      kill -TERM "$alone"
      wait "$alone" || true
    done
    echo "| $service | $times | $rss |" | tee -a "$out/startup.md"
    port=$((port + 1))
  done
}

# The pids of every process below $1.
descendants() {
  local child
  for child in $(ps -eo pid=,ppid= | awk -v parent="$1" '$2 == parent { print $1 }'); do
    echo "$child"
    descendants "$child"
  done
}

# What a process of the stack is, from its command line.
process_name() {
  local command
  command="$(tr '\0' ' ' < "/proc/$1/cmdline" 2> /dev/null || true)"
  case "$command" in
    *-service.jar*) sed -E 's|.*/([a-z]+-service)\.jar.*|\1|' <<< "$command" ;;
    *dev.saga.stack.DevStack*) echo dev-stack ;;
    *data/kafka*) echo kafka ;;
    *greenmail*) echo smtp ;;
    *postgres*) echo postgres ;;
    *) echo other ;;
  esac
}

# One line per thread of the stack: "<process>|<thread name, digits as #>|<pid>/<tid>|<CPU ticks>".
thread_ticks() {
  local pid name stat line comm fields
  for pid in "$stack_pid" $(descendants "$stack_pid"); do
    name="$(process_name "$pid")"
    for stat in /proc/"$pid"/task/*/stat; do
      line="$(cat "$stat" 2> /dev/null)" || continue
      comm="${line#*(}"
      comm="${comm%)*}"
      read -r -a fields <<< "${line##*) }"
      # utime and stime: fields 14 and 15 of stat, 12 and 13 after the command.
      echo "$name|${comm//[0-9]/#}|$pid/${stat#/proc/$pid/task/}|$((fields[11] + fields[12]))"
    done
  done
}

# The stack's CPU over $1 seconds, in ms per second: by process, and by thread name where a name
# used at least 0.5 ms per second. An idle stack's CPU is what every order's CPU comes on top of.
idle_cpu() {
  local before after
  before="$(thread_ticks)"
  sleep "$1"
  after="$(thread_ticks)"
  awk -F'|' -v seconds="$1" -v hz="$(getconf CLK_TCK)" '
    NR == FNR { start[$3] = $4; next }
    {
      ms = ($4 - ($3 in start ? start[$3] : 0)) * 1000 / hz / seconds
      process[$1] += ms; thread[$1 " | " $2] += ms; total += ms
    }
    END {
      printf "| process (idle, %d s) | CPU ms per second |\n|---|---:|\n", seconds
      for (p in process) printf "| %s | %.1f |\n", p, process[p] | "sort -t\"|\" -k3 -rn"
      close("sort -t\"|\" -k3 -rn")
      printf "| **all** | **%.1f** |\n\n| process | thread | CPU ms per second |\n|---|---|---:|\n", total
      for (t in thread) if (thread[t] >= 0.5) printf "| %s | %.1f |\n", t, thread[t] | "sort -t\"|\" -k4 -rn"
    }' <(echo "$before") <(echo "$after")
}

# STACK_WARMUP of closed-loop load before the first measured run (none with 0).
warm_stack() {
  if [[ "$STACK_WARMUP" != 0 && "$STACK_WARMUP" != 0s ]]; then
    background "before warming the stack up for $STACK_WARMUP"
    load --closed "$CLOSED" --duration "$STACK_WARMUP" --warmup 0s --progress 60s \
      > "$out/stack-warmup.md" 2>&1 || true
    grep 'result:' "$out/stack-warmup.md" || true
  fi
}

# Records JFR on every service and the broker while the measured phase of the closed loop runs,
# from 15 s into it to 5 s before its end, and summarizes each recording.
cpu_profile() {
  local pids=() names=() port=$((8081 + OFFSET)) service pid i
  for service in order-service inventory-service payment-service notification-service; do
    pids+=("$(service_pid "$service" "$port")"); names+=("$service"); port=$((port + 1))
  done
  pids+=("$(pgrep -f -- "kafka.Kafka .*\.run-local-$OFFSET/" | head -1)"); names+=(kafka)
  load --closed "$CLOSED" --duration "$DURATION" --warmup "$WARMUP" --cost > "$out/profiled-run.md" 2>&1 &
  local run=$!
  sleep $(( ${WARMUP%s} + 15 ))
  for i in "${!pids[@]}"; do
    "$JAVA_HOME/bin/jcmd" "${pids[$i]}" JFR.start name=cpu-time settings=profile \
      duration="$(( ${DURATION%s} - 20 ))s" \
      filename="$PWD/$out/${names[$i]}.jfr" jdk.CPUTimeSample#enabled=true \
      jdk.CPUTimeSample#throttle=5ms > /dev/null
  done
  wait "$run" || true
  grep -E '^\| (\*\*)?CPU ms|result:' "$out/profiled-run.md" || true
  sleep 5
  ./load-test.sh --no-build profile "$out"/*.jfr | tee "$out/profile.md" || true
}

# SQL statements per order, by database and statement (its first 100 characters), from
# PostgreSQL's statement log: 200 paid orders at 5/s, net of the statements of the same time idle
# before them (the relays' and the housekeeping's). Needs psql and the stack's superuser.
statements_per_order() {
  local log=".run-local-$OFFSET/logs/postgres.log" port=$((5432 + OFFSET)) idle_from run_from run_to
  local psql=(env PGPASSWORD=postgres psql -qAt -h localhost -p "$port" -U postgres -d postgres)
  if ! command -v psql > /dev/null; then echo "[bench] no psql: statements per order skipped"; return; fi
  "${psql[@]}" -c "alter system set log_min_duration_statement = 0" \
    -c "alter system set log_line_prefix = '%m [%p] %d '" -c "select pg_reload_conf()" > /dev/null
  sleep 2
  idle_from=$(wc -l < "$log"); sleep 40
  run_from=$(wc -l < "$log")
  load --rate 5 --orders 200 --mix paid=100 > "$out/statements-run.md" 2>&1 || true
  run_to=$(wc -l < "$log")
  "${psql[@]}" -c "alter system reset log_min_duration_statement" \
    -c "alter system reset log_line_prefix" -c "select pg_reload_conf()" > /dev/null
  awk -v idle_from="$idle_from" -v run_from="$run_from" -v run_to="$run_to" -v orders=200 '
    NR <= idle_from || NR > run_to { next }
    match($0, /LOG:  duration: [0-9.]+ ms  (execute [^:]*|statement): /) {
      phase = NR <= run_from ? "idle" : "run"
      split($2, t, ":"); seconds = t[1] * 3600 + t[2] * 60 + t[3]
      if (!(phase in first)) first[phase] = seconds
      last[phase] = seconds
      sql = substr($0, RSTART + RLENGTH, 100)
      if (sql == "" && (getline next_line) > 0) { sql = next_line; sub(/^[ \t]+/, "", sql) }
      sql = substr(sql, 1, 100); gsub(/\|/, "/", sql)
      count[phase "|" $5 "|" sql]++
    }
    END {
      scale = (last["run"] - first["run"]) / (last["idle"] - first["idle"])
      for (k in count) {
        split(k, f, "|"); key = f[2] "|" f[3]
        net[key] += (f[1] == "run" ? 1 : -scale) * count[k] / orders
      }
      printf "| database | statement | per order |\n|---|---|---:|\n"
      for (k in net) {
        split(k, f, "|"); db[f[1]] += net[k]; all += net[k]
        if (net[k] >= 0.05) printf "| %s | `%s` | %.2f |\n", f[1], f[2], net[k] | "sort"
      }
      close("sort")
      for (d in db) printf "| %s | **all** | **%.2f** |\n", d, db[d]
      printf "| **all** | | **%.2f** |\n", all
    }' "$log" | tee "$out/statements.md"
}

machine
jvm_options=()
if [[ -n "$SERVICE_JVM_OPTIONS" ]]; then
  jvm_options=(--service-jvm-options "$SERVICE_JVM_OPTIONS")
fi
load_stack_options=(--no-aot-cache)
if [[ "${AOT_CACHE:-0}" == 1 ]]; then
  load_stack_options=()
fi

# Loads the stack that is training its AOT caches, then stops it: the services write the caches
# as they stop.
train_aot_cache() {
  echo "[bench] training the AOT caches: closed loop of $CLOSED customers for $TRAINING"
  load --closed "$CLOSED" --duration "$TRAINING" --warmup 0s --progress 60s | grep 'result:' || true
  stop_stack
  ls -la */target/aot/*.aot | tee -a "$out/startup.md"
}

# Starts the stack for measuring: with the AOT cache, a start that trains it (a new build dropped
# the old one) gets the training load and a restart first.
start_measured_stack() {
  start_stack ${load_stack_options[@]+"${load_stack_options[@]}"} "${jvm_options[@]}"
  if [[ "${AOT_CACHE:-0}" == 1 ]] && ! ls */target/aot/*-service.aot > /dev/null 2>&1; then
    train_aot_cache
    start_stack "${jvm_options[@]}"
  fi
}

# Starts java with the arguments (an application on a free port) three times; prints when each was
# ready (JVM uptime, as Spring Boot logs it) and its RSS then.
three_starts() {
  local log="$out/floor-start.log" times="" rss=""
  for _ in 1 2 3; do
    "$JAVA_HOME/bin/java" "$@" --server.port=0 > "$log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 600); do
      grep -q "Started App" "$log" && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    times="$times${times:+, }$(grep -o 'process running for [0-9.]*' "$log" | awk '{print $4}') s"
    rss="$rss${rss:+, }$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null)"
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  echo "$times | $rss MiB |"
}

# Trains an AOT cache for the extracted jar: one start, stopped once ready (the cache is written as
# the JVM exits).
train_floor_cache() {
  local jar="$1" cache="$2"
  shift 2
  "$JAVA_HOME/bin/java" "$@" -XX:AOTCacheOutput="$cache" -Xlog:aot=error -Xlog:cds=error \
    -jar "$jar" --server.port=0 > "$out/floor-training.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    grep -q "Started App" "$out/floor-training.log" && break
    sleep 0.1
  done
  kill -TERM "$pid"
  wait "$pid" || true
}

# An application with one @RestController and nothing but spring-boot-starter-webmvc, on the
# project's Spring Boot: how long Spring Boot, Tomcat and the JVM alone take to start here, from a
# fat jar, extracted, with the AOT cache, and with Spring AOT (process-aot) as well.
startup_floor() {
  local app="$out/empty-app" boot
  boot="$(sed -n '/<parent>/,/<\/parent>/ s|.*<version>\(.*\)</version>.*|\1|p' pom.xml)"
  mkdir -p "$app/src/main/java/floor"
  cat > "$app/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>$boot</version>
  </parent>
  <groupId>floor</groupId>
  <artifactId>app</artifactId>
  <version>1</version>
  <properties><java.version>21</java.version></properties>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-webmvc</artifactId>
    </dependency>
  </dependencies>
  <build>
    <finalName>app</finalName>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>
      </plugin>
    </plugins>
  </build>
  <profiles>
    <profile>
      <id>spring-aot</id>
      <build>
        <plugins>
          <plugin>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-maven-plugin</artifactId>
            <executions>
              <execution>
                <id>process-aot</id>
                <goals><goal>process-aot</goal></goals>
              </execution>
            </executions>
          </plugin>
        </plugins>
      </build>
    </profile>
  </profiles>
</project>
POM
  cat > "$app/src/main/java/floor/App.java" <<'JAVA'
package floor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class App {

  @GetMapping("/")
  String hello() {
    return "hello";
  }

  public static void main(String[] args) {
    SpringApplication.run(App.class, args);
  }
}
JAVA
  local plain="$app/plain" aot="$app/spring-aot"
  ./mvnw -q -f "$app/pom.xml" -DskipTests package > "$out/floor-build.log" 2>&1
  "$JAVA_HOME/bin/java" -Djarmode=tools -jar "$app/target/app.jar" extract --destination "$plain" > /dev/null
  cp "$app/target/app.jar" "$app/app-fat.jar"
  ./mvnw -q -f "$app/pom.xml" -DskipTests -Pspring-aot clean package >> "$out/floor-build.log" 2>&1
  "$JAVA_HOME/bin/java" -Djarmode=tools -jar "$app/target/app.jar" extract --destination "$aot" > /dev/null
  train_floor_cache "$plain/app.jar" "$plain/app.aot"
  train_floor_cache "$aot/app.jar" "$aot/app.aot" -Dspring.aot.enabled=true
  {
    echo "| empty Spring MVC application (Spring Boot $boot) | ready (JVM uptime), 3 starts | RSS then |"
    echo "|---|---:|---:|"
    echo "| fat jar | $(three_starts -jar "$app/app-fat.jar")"
    echo "| extracted | $(three_starts -jar "$plain/app.jar")"
    echo "| extracted, AOT cache | $(three_starts -XX:AOTCache="$plain/app.aot" -jar "$plain/app.jar")"
    echo "| Spring AOT, extracted | $(three_starts -Dspring.aot.enabled=true -jar "$aot/app.jar")"
    echo "| Spring AOT, extracted, AOT cache | $(three_starts -Dspring.aot.enabled=true \
      -XX:AOTCache="$aot/app.aot" -jar "$aot/app.jar")"
  } | tee "$out/floor.md"
}

case "$what" in
  all | ceiling | load | recovery | overload)
    background "before the stack starts"
    start_measured_stack
    startup_and_memory "after start"
    warm_stack
    if [[ "$what" == overload ]]; then
      background "before 50 orders/s"
      speed_samples rate-50 &
      sampler=$!
      load --rate 50 --duration "$DURATION" --warmup "$WARMUP" --cost | tee "$out/rate-50.md" || true
      kill "$sampler" 2>/dev/null || true
      background "after 50 orders/s"
      startup_and_memory "after the load runs"
      load check | tee "$out/check.txt" || true
    elif [[ "$what" == recovery ]]; then
      background "before the closed loop"
      load --closed "$CLOSED" --duration "$DURATION" --warmup "$WARMUP" --cost | tee "$out/max.md" || true
      background "before 50 orders/s"
      load --rate 50 --duration "$DURATION" --warmup "$WARMUP" --cost | tee "$out/rate-50.md" || true
      background "before the closed loop after the overload"
      load --closed "$CLOSED" --duration "$DURATION" --warmup "$WARMUP" --cost \
        | tee "$out/max-after-overload.md" || true
      startup_and_memory "after the load runs"
      load check | tee "$out/check.txt" || true
    elif [[ "$what" != load ]]; then
      background "before the ceiling"
      load ceiling | tee "$out/ceiling.md" || true
    fi
    if [[ "$what" == load || "$what" == all ]]; then
      background "before 50 orders/s"
      load --rate 50 --duration "$DURATION" --warmup "$WARMUP" --cost | tee "$out/rate-50.md" || true
      background "before the maximum"
      load --closed "$CLOSED" --duration "$DURATION" --warmup "$WARMUP" --cost | tee "$out/max.md" || true
      max="$(awk '/\[load\] result: completed\/s/ { gsub(",", "", $4); print $4 }' "$out/max.md")"
      rate80="$(awk -v max="$max" 'BEGIN { printf "%.0f", max * 0.8 }')"
      background "before 80 % of the maximum ($rate80 orders/s)"
      load --rate "$rate80" --duration "$DURATION" --warmup "$WARMUP" --cost | tee "$out/rate-80.md" || true
      startup_and_memory "after the load runs"
      load check | tee "$out/check.txt" || true
    fi
    ;;
  refusals)
    # The order service refuses every order (at most 0 pending): each POST is a 429 from the
    # pending-orders rule, its count read included; 300/s and 100/s span the refusal rates of the
    # 50/s runs. Each run warms the path up for a minute at its rate first.
    background "before the stack starts"
    SAGA_ORDER_MAX_PENDING=0 start_measured_stack
    for rate in 300 100 300 100; do
      background "before $rate refusals/s"
      load refusals --rate "$rate" --duration "$DURATION" | tee -a "$out/refusals.md" || true
    done
    ;;
  startup)
    # Time to ready with all four services starting at once (as run-local.sh starts them), and
    # one at a time (each alone on the two cores, the others stopped): from the fat jars, then
    # extracted with the JDK's AOT cache (JEP 514/515), trained by a run with load so that it holds
    # the method profiles of the saga, not only of the start.
    background "before the start from the fat jars"
    start_stack --no-aot-cache "${jvm_options[@]}"
    startup_and_memory "fat jar, all four at once"
    one_at_a_time "fat jar, one at a time" --no-aot-cache "${jvm_options[@]}"
    stop_stack
    rm -rf order-service/target/aot inventory-service/target/aot payment-service/target/aot \
      notification-service/target/aot
    background "before the training run"
    start_stack "${jvm_options[@]}"
    startup_and_memory "extracted, training the AOT cache, all four at once"
    train_aot_cache
    background "before the start with the AOT cache"
    start_stack "${jvm_options[@]}"
    startup_and_memory "AOT cache, all four at once"
    one_at_a_time "AOT cache, one at a time" "${jvm_options[@]}"
    stop_stack
    ;;
  idle)
    background "before the stack starts"
    start_measured_stack
    echo "[bench] idle for ${IDLE_WAIT} s, then every thread's CPU over ${IDLE_SAMPLE} s"
    sleep "$IDLE_WAIT"
    idle_cpu "$IDLE_SAMPLE" | tee "$out/idle.md"
    ;;
  profile)
    background "before the stack starts"
    start_measured_stack
    warm_stack
    background "before the profiled closed loop"
    cpu_profile
    statements_per_order
    ;;
  floor)
    background "before the empty application's starts"
    startup_floor
    ;;
esac
echo "[bench] done: $out"
