#!/usr/bin/env bash
# Issue 11's figures on a many-core Linux machine without Java or Maven (the device machine): run
# from the repository root with .device/ holding jre.tar.xz (a jlink'd JRE), loadgen.jar (the fat
# jar without other platforms' native files) and bench.jar (benchmarks' classes). How to make them
# is in benchmarks/RESULTS.md ("On the 16-core machine"). Writes one JSON file per run into $OUT
# (or ./device-results) and prints a line per figure.
#   usage: benchmarks/scripts/device-run.sh readme|cpu|scaling|timing|sendlag|asyncio ...
set -uo pipefail
out=${OUT:-device-results}
mkdir -p "$out"
if [ ! -x /tmp/jre/bin/java ]; then
  tar xJf .device/jre.tar.xz -C /tmp
  # jlink leaves out the JDK's default class-data archive, which dynamic archives build on.
  /tmp/jre/bin/java -Xshare:dump > /dev/null 2>&1
fi
java=/tmp/jre/bin/java
cp=.device/loadgen.jar:.device/bench.jar
cpus=$(nproc)
half=$((cpus / 2))
client_cpus=0-$((half - 1))
sim_cpus=$half-$((cpus - 1))
echo "machine: $cpus processors ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $($java -version 2>&1 | head -1)"

harness() { # NAME ARGS...: the client on the first half of the processors, simulators on the other
  local name=$1; shift
  taskset -c "$client_cpus" "$java" -cp "$cp" io.loadgen.benchmarks.ClientScaleHarness --mode separate \
    --sim-cpus "$sim_cpus" --json "$out/$name.json" "$@" > "$out/$name.log" 2>&1
  python3 - "$out/$name.json" "$name" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception as e:
    print(sys.argv[2], "FAILED", e); sys.exit()
line = f"{sys.argv[2]}: loops {r['event_loops']} streams {r['streams']} tokens/s {r['tokens_per_second']:.0f} cpu/token {r['process_cpu_us_per_token']:.2f} us cores {r['process_cpu_cores']:.2f} errors {r['errors']}"
lag = r.get('send_lag_ms', {})
line += f" send-lag p50/p99 {lag.get('p50', 0):.3f}/{lag.get('p99', 0):.3f} ms"
for k in ('timing_error_vs_scheduled_ms', 'timing_error_vs_sent_ms'):
    if k in r:
        line += f" {k[13:]} p50/p99/max {r[k]['p50']}/{r[k]['p99']}/{r[k]['max']}"
print(line, flush=True)
EOF
}

readme_command() {
  echo "profile -m meta/llama-3.1-8b-instruct --endpoint-type chat --service-kind openai --streaming -u sim://default --synthetic-input-tokens-mean 200 --synthetic-input-tokens-stddev 10 --concurrency 10 --output-tokens-mean 200 --extra-inputs max_tokens:200 --extra-inputs min_tokens:200 --extra-inputs ignore_eos:true --artifact-dir /tmp/readme-artifacts"
}

for step in "$@"; do
  case "$step" in
    readme)
      for i in 1 2; do
        /usr/bin/time -f "readme java -jar: wall %e s, cpu %U+%S s" "$java" -jar .device/loadgen.jar $(readme_command) 2>&1 \
          | grep -E "wall|Inter Token Latency|Time To First Token \(|send lag"
      done
      rm -rf /tmp/loadgen-cache
      for i in 1 2 3; do
        XDG_CACHE_HOME=/tmp/loadgen-cache JAVA_HOME=/tmp/jre LOADGEN_JAR=.device/loadgen.jar \
          /usr/bin/time -f "readme bin/loadgen (run $i): wall %e s, cpu %U+%S s" bin/loadgen $(readme_command) 2>&1 \
          | grep -E "wall|Time To First Token \(|send lag"
      done ;;
    cpu)
      # One event loop, 1,000 streams, steady state: the client's CPU a token.
      harness cpu-1000-1loop --streams 1000 --step-millis 40 --output-tokens 1500 --warmup-seconds 15 \
        --event-loops 1 --sims 1 --sim-io-threads 4 ;;
    scaling)
      # 4,000 streams at 16 ms steps offer 250,000 tokens/s, from four simulators of two I/O threads.
      for loops in 1 2 4 8; do
        harness scaling-$loops --streams 4000 --step-millis 16 --output-tokens 1800 --warmup-seconds 10 \
          --event-loops "$loops" --sims 4 --sim-io-threads 2
      done ;;
    saturation)
      # 8,000 streams at 8 ms steps offer 1,000,000 tokens/s, more than the client takes: what each
      # number of loops can take is its throughput, and 8 loops against 8 x 1 loop its efficiency.
      for loops in 1 2 4 8; do
        harness saturation-$loops --streams 8000 --step-millis 8 --output-tokens 3500 --warmup-seconds 8 \
          --event-loops "$loops" --sims 8 --sim-io-threads 1
      done ;;
    topology)
      lscpu | grep -E "^(Thread|Core|Socket|NUMA node[0-9]|Model name)" ;;
    timing)
      # The client's timing error against the server's writes, steady state (15 s of warm-up first).
      for loops in 1 8; do
        harness timing-1000-$loops --streams 1000 --step-millis 40 --output-tokens 800 --timing \
          --warmup-seconds 8 --event-loops "$loops" --sims 2 --sim-io-threads 4
      done ;;
    saturation-1)
      # One loop against 500,000 tokens/s offered: what one loop takes.
      harness saturation-1 --streams 8000 --step-millis 16 --output-tokens 2000 --warmup-seconds 8 \
        --event-loops 1 --sims 8 --sim-io-threads 1 ;;
    sendlag)
      # Open loop, 200 requests/s of 5 s each: 1,000 streams in flight, sends on their schedule.
      harness sendlag-1000 --streams 1000 --step-millis 10 --output-tokens 500 --rate 200 --event-loops 8 \
        --sims 2 --sim-io-threads 4 --window-seconds 5 ;;
    asyncio)
      # The 500 x 2,000 x 100 run of the issue, the simulator apart, each client alone on its processors.
      taskset -c "$sim_cpus" "$java" -jar .device/loadgen.jar sim --port 8100 --io-threads "$half" > "$out/sim.log" 2>&1 &
      sim=$!
      sleep 4
      # A first, short run through the launcher makes its class-data archive.
      env XDG_CACHE_HOME=/tmp/loadgen-cache JAVA_HOME=/tmp/jre LOADGEN_JAR=.device/loadgen.jar bin/loadgen profile -m m \
        --streaming -u 127.0.0.1:8100 --concurrency 50 --request-count 100 --output-tokens-mean 20 \
        --extra-inputs max_tokens:20 --artifact-dir /tmp/asyncio-artifacts --server-metrics-interval 0 > /dev/null 2>&1
      for i in 1 2; do
        taskset -c "$client_cpus" env XDG_CACHE_HOME=/tmp/loadgen-cache JAVA_HOME=/tmp/jre LOADGEN_JAR=.device/loadgen.jar \
          /usr/bin/time -f "asyncio bin/loadgen: cpu %U+%S s, wall %e s" bin/loadgen profile -m m \
          --streaming -u 127.0.0.1:8100 --concurrency 500 --request-count 2000 --output-tokens-mean 100 \
          --extra-inputs max_tokens:100 --extra-inputs min_tokens:100 --extra-inputs ignore_eos:true \
          --artifact-dir /tmp/asyncio-artifacts --server-metrics-interval 0 2>&1 | grep -E "cpu|Output Token Throughput \("
        taskset -c "$client_cpus" env XDG_CACHE_HOME=/tmp/loadgen-cache JAVA_HOME=/tmp/jre LOADGEN_JAR=.device/loadgen.jar \
          LOADGEN_JAVA_OPTS=-XX:TieredStopAtLevel=1 \
          /usr/bin/time -f "asyncio bin/loadgen C1: cpu %U+%S s, wall %e s" bin/loadgen profile -m m \
          --streaming -u 127.0.0.1:8100 --concurrency 500 --request-count 2000 --output-tokens-mean 100 \
          --extra-inputs max_tokens:100 --extra-inputs min_tokens:100 --extra-inputs ignore_eos:true \
          --artifact-dir /tmp/asyncio-artifacts --server-metrics-interval 0 2>&1 | grep -E "cpu|Output Token Throughput \("
        taskset -c "$client_cpus" /usr/bin/time -f "asyncio python: cpu %U+%S s, wall %e s" python3 benchmarks/scripts/asyncio_client.py \
          --url http://127.0.0.1:8100 --concurrency 500 --requests 2000 --output-tokens 100 2>&1
      done
      kill $sim ;;
  esac
done
echo "done"
