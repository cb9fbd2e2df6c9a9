#!/usr/bin/env bash
# Runs every benchmark and writes JSON results into benchmarks/results/ (git-ignored):
# the JMH suites (jmh.json), then the scale harnesses, one JSON file each.
#   usage: benchmarks/run-all.sh [quick]   ("quick": short JMH iterations, for a smoke run)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
out=benchmarks/results
mkdir -p "$out"
jar=benchmarks/target/benchmarks.jar
if [ "${1:-}" = quick ]; then jmh_args=(-wi 1 -i 1 -w 1s -r 1s); else jmh_args=(); fi
java -jar "$jar" "${jmh_args[@]}" -rf json -rff "$out/jmh.json"
harness() { java -cp "$jar" "io.loadgen.benchmarks.$1" "${@:2}"; }
harness ClientScaleHarness --mode separate --streams 100 --step-millis 10 --output-tokens 2000 --json "$out/client-100.json"
harness ClientScaleHarness --mode separate --streams 1000 --step-millis 40 --output-tokens 500 --json "$out/client-1000.json"
harness ClientScaleHarness --mode separate --streams 10000 --step-millis 400 --output-tokens 150 --json "$out/client-10000.json"
harness ClientScaleHarness --mode inprocess --streams 100 --step-millis 10 --output-tokens 2000 --json "$out/client-timing-100.json"
harness ClientScaleHarness --mode inprocess --streams 1000 --step-millis 40 --output-tokens 500 --json "$out/client-timing-1000.json"
harness SimScaleHarness --streams 1000 --step-millis 40 --output-tokens 500 > "$out/sim-1000.txt"
harness SimScaleHarness --streams 10000 --step-millis 400 --output-tokens 150 > "$out/sim-10000.txt"
echo "results in $out"
