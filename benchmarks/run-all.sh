#!/usr/bin/env bash
# Runs every benchmark and writes JSON results into benchmarks/results/ (git-ignored):
# the JMH suites (jmh.json), then the scale harnesses, one JSON file each.
#   usage: benchmarks/run-all.sh [quick]   ("quick": short JMH iterations, for a smoke run)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -Pbench package -DskipTests
out=benchmarks/results
mkdir -p "$out"
jar=benchmarks/target/benchmarks.jar
if [ "${1:-}" = quick ]; then jmh_args=(-wi 1 -i 1 -w 1s -r 1s); else jmh_args=(); fi
java -jar "$jar" "${jmh_args[@]}" -rf json -rff "$out/jmh.json"
harness() { java -cp "$jar" "io.loadgen.benchmarks.$1" "${@:2}"; }
# separate: the client alone in this process (tokens/s, CPU, heap), then with --timing (every
# arrival kept, set against the server's schedule); inprocess: the same timing within one JVM.
for level in "100 10 2000" "1000 40 500" "10000 400 150"; do
  read -r streams step tokens <<<"$level"
  args=(--streams "$streams" --step-millis "$step" --output-tokens "$tokens")
  harness ClientScaleHarness --mode separate "${args[@]}" --json "$out/client-$streams.json"
  harness ClientScaleHarness --mode separate --timing "${args[@]}" --json "$out/client-timing-$streams.json"
done
# In one JVM, 10,000 streams need 20,000+ file descriptors for both ends: not run.
harness ClientScaleHarness --mode inprocess --streams 100 --step-millis 10 --output-tokens 2000 --json "$out/client-inprocess-100.json"
harness ClientScaleHarness --mode inprocess --streams 1000 --step-millis 40 --output-tokens 500 --json "$out/client-inprocess-1000.json"
harness SimScaleHarness --streams 1000 --step-millis 40 --output-tokens 500 --json "$out/sim-1000.json"
harness SimScaleHarness --streams 10000 --step-millis 400 --output-tokens 150 --json "$out/sim-10000.json"
harness ResultsHeapHarness --json "$out/results-heap.json"
harness ResultsHeapHarness --raw-export "$out/results-heap-export.json" --json "$out/results-heap-raw.json"
echo "results in $out"
