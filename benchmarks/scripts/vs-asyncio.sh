#!/usr/bin/env bash
# loadgen beside a Python asyncio client (benchmarks/scripts/asyncio_client.py, in vllm bench
# serve's design) on the same load from the same simulated server, in one command: whole-process
# CPU (user + system) of each client, and the ratio. The simulator runs in a process of its own and
# its CPU is counted for neither. Needs a built jar (./mvnw -B -q package -DskipTests), /usr/bin/time
# and Python 3 with aiohttp (Debian: apt-get install python3-aiohttp).
#   usage: benchmarks/scripts/vs-asyncio.sh [PAIRS] [CONCURRENCY] [REQUESTS] [OUTPUT_TOKENS]
set -euo pipefail
cd "$(dirname "$0")/../.."
pairs=${1:-2} concurrency=${2:-500} requests=${3:-2000} tokens=${4:-100}
port=${PORT:-8123}
python=${PYTHON:-/usr/bin/python3}
jar=loadgen-cli/target/loadgen.jar
[ -f "$jar" ] || { echo "no $jar: run ./mvnw -B -q package -DskipTests" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 2; }
"$python" -c "import aiohttp" 2>/dev/null || { echo "needs aiohttp for $python (python3-aiohttp)" >&2; exit 2; }
work=$(mktemp -d)
java -jar "$jar" sim --port "$port" > "$work/sim.log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "serving" "$work/sim.log" 2>/dev/null && break; sleep 0.2; done
shape=(--streaming -u "127.0.0.1:$port" --concurrency "$concurrency" --output-tokens-mean "$tokens"
  --extra-inputs "max_tokens:$tokens" --extra-inputs "min_tokens:$tokens" --extra-inputs ignore_eos:true
  --artifact-dir "$work/artifacts")
load=("${shape[@]}" --request-count "$requests")
# The launcher's first run makes its class-data archive; that run is not one of the pairs.
XDG_CACHE_HOME="$work/cache" bin/loadgen profile -m m "${shape[@]}" --request-count 50 > /dev/null 2>&1
echo "client,run,cpu_user_s,cpu_system_s,wall_s"
declare -a lg py
for run in $(seq "$pairs"); do
  XDG_CACHE_HOME="$work/cache" /usr/bin/time -o "$work/t" -f "%U,%S,%e" bin/loadgen profile -m m "${load[@]}" > "$work/out" 2>&1 \
    || { cat "$work/out" >&2; exit 1; }
  echo "loadgen (bin/loadgen),$run,$(cat "$work/t")"
  lg+=("$(awk -F, '{print $1 + $2}' "$work/t")")
  /usr/bin/time -o "$work/t" -f "%U,%S,%e" "$python" benchmarks/scripts/asyncio_client.py --url "http://127.0.0.1:$port" \
    --concurrency "$concurrency" --requests "$requests" --output-tokens "$tokens" > "$work/out" 2>&1 \
    || { cat "$work/out" >&2; exit 1; }
  echo "python asyncio,$run,$(cat "$work/t")"
  py+=("$(awk -F, '{print $1 + $2}' "$work/t")")
done
"$python" - "${lg[*]}" "${py[*]}" "$requests" "$tokens" <<'PY'
import sys
lg = [float(x) for x in sys.argv[1].split()]
py = [float(x) for x in sys.argv[2].split()]
tokens = int(sys.argv[3]) * int(sys.argv[4])
l, p = sum(lg) / len(lg), sum(py) / len(py)
print(f"mean CPU: loadgen {l:.2f} s ({l / tokens * 1e6:.1f} us a token), python asyncio {p:.2f} s "
      f"({p / tokens * 1e6:.1f} us a token); loadgen delivers {p / l:.2f}x the tokens per CPU-second")
PY
