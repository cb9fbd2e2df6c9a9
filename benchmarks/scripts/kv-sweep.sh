#!/usr/bin/env bash
# Profiles a running server at several concurrencies while sampling its /metrics every 200 ms, and
# prints per level: TTFT and ITL (client's view), KV-cache usage avg and max, running and waiting
# max. Until loadgen scrapes /metrics itself (issue 5), this is how the simulator's behaviour under
# load is recorded in RESULTS.md.
#   usage: benchmarks/scripts/kv-sweep.sh URL "10 50 100 200" [extra profile flags...]
set -euo pipefail
url=$1; levels=$2; shift 2
jar=${LOADGEN_JAR:-loadgen-cli/target/loadgen.jar}
out=$(mktemp -d)
printf '%-6s %9s %9s %9s %9s %9s %9s %8s %8s\n' conc ttft_avg ttft_p99 itl_avg itl_p99 kv_avg kv_max run_max wait_max
for c in $levels; do
  : > "$out/samples"
  ( while :; do curl -s "$url/metrics" | awk '/^gpu_cache_usage_perc|^num_requests_running|^num_requests_waiting/ {print $1, $2}' >> "$out/samples"; sleep 0.2; done ) &
  sampler=$!
  java -jar "$jar" profile -m m --endpoint-type chat --streaming -u "$url" --concurrency "$c" \
    --synthetic-input-tokens-mean 200 --synthetic-input-tokens-stddev 0 --output-tokens-mean 200 \
    --extra-inputs max_tokens:200 --extra-inputs min_tokens:200 --extra-inputs ignore_eos:true \
    --artifact-dir "$out/artifacts" "$@" > "$out/table.txt"
  kill $sampler; wait $sampler 2>/dev/null || true
  json=$(ls "$out"/artifacts/*concurrency"$c"/profile_export_genai_perf.json)
  python3 - "$json" "$out/samples" "$c" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
kv = []; run = []; wait = []
for line in open(sys.argv[2]):
    name, value = line.split()
    v = float(value)
    (kv if name.startswith("gpu_cache") else run if "running" in name else wait).append(v)
busy = [k for k in kv if k > 0] or [0]
print("%-6s %9.2f %9.2f %9.2f %9.2f %8.2f%% %8.2f%% %8d %8d" % (sys.argv[3],
    d["time_to_first_token"]["avg"], d["time_to_first_token"]["p99"],
    d["inter_token_latency"]["avg"], d["inter_token_latency"]["p99"],
    100 * sum(busy) / len(busy), 100 * max(kv or [0]), max(run or [0]), max(wait or [0])))
PY
done
rm -rf "$out"
