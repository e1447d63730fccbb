#!/usr/bin/env bash
# Embedding throughput, side by side in one run (not part of the test suite): on the first PAIRS pairs of
# hh-rlhf's harmless-base test split, alternating in each of ROUNDS rounds (order reversed every other
# round, since the machine's load drifts):
#   embed     bin/adpo embed's embed phase (the code of this checkout; its class path as bin/adpo has it)
#   baseline  the same command built from commit BASELINE (optional third argument)
#   single    bare ONNX Runtime, one sequence per run, one intra-op thread, one caller thread per core
#             (bench/embed/BareOnnx.java: the runs embed makes, with nothing around them)
#   batched   bare ONNX Runtime, padded batches of 32 sequences sorted by length, intra-op threads = cores
# on the same word-piece sequences (both sides of each pair, cut to the window as embed cuts them).
# Prints each run's line, then pairs/s, word pieces/s and GFLOP/s per run and the ratios to 'embed'
# per round. usage: bench/embed-throughput.sh [PAIRS] [ROUNDS] [BASELINE]   (defaults 200 3, none)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PAIRS="${1:-200}"
ROUNDS="${2:-3}"
BASELINE="${3:-}"
DATA="$ROOT/../shared/data/hh-rlhf/harmless-base-test.jsonl.gz"
WORK="${ADPO_BENCH_DIR:-/tmp/adpo-embed-bench}"
mkdir -p "$WORK"
IN="$WORK/hh-$PAIRS.jsonl"
(zcat "$DATA" || true) | head -n "$PAIRS" > "$IN" # zcat stops on SIGPIPE once head has its lines

"$ROOT/bin/adpo" embed --help > /dev/null # builds the embed jar when it is missing or stale
OPENS="$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' "$ROOT/pom.xml")"
CP="$ROOT/embed/target/adpo-spark-embed-plain.jar:$ROOT/embed/target/lib/*"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
LOG4J="-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties"

KINDS=(embed single batched)
if [ -n "$BASELINE" ]; then
  rm -rf "$WORK/baseline" && mkdir -p "$WORK/baseline"
  git -C "$ROOT" archive "$BASELINE" embed | tar -x -C "$WORK/baseline"
  mvn -B -q -DskipTests -f "$WORK/baseline/embed/pom.xml" package > "$WORK/baseline-build.log" 2>&1
  KINDS=(embed baseline single batched)
fi

# shellcheck disable=SC2086
run() { # kind round -> appends "kind round pairs/s seconds" to $WORK/rates
  local kind="$1" round="$2" line sec
  case "$kind" in
    embed|baseline)
      local cp="$CP"
      [ "$kind" = baseline ] && cp="$WORK/baseline/embed/target/adpo-spark-embed-plain.jar:$WORK/baseline/embed/target/lib/*"
      line="$(java -Xmx2g $OPENS "$LOG4J" -cp "$cp" org.adpo.embed.EmbedMain embed --input "$IN" \
        --output "$WORK/pool-$kind" --output-format jsonl --overwrite --seed 1 | grep '^embedded')"
      sec="$(sed -n 's/.* in \([0-9.]*\) s (.*/\1/p' <<< "$line")";;
    single|batched)
      line="$(java -Xmx2g $OPENS -cp "$CP" "$ROOT/bench/embed/BareOnnx.java" "$IN" "$PAIRS" 32 "$kind" 2>/dev/null \
        | tee "$WORK/bare-head.txt" | grep '^bare')"
      sec="$(sed -n 's/.*): \([0-9.]*\) s,.*/\1/p' <<< "$line")";;
  esac
  echo "round $round $kind: $line"
  echo "$kind $round $sec" >> "$WORK/rates"
}

rm -f "$WORK/rates"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; $PAIRS pairs"
for ((r = 1; r <= ROUNDS; r++)); do
  order=("${KINDS[@]}")
  if ((r % 2 == 0)); then
    order=(); for ((k = ${#KINDS[@]} - 1; k >= 0; k--)); do order+=("${KINDS[$k]}"); done
  fi
  for kind in "${order[@]}"; do run "$kind" "$r"; done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
head -1 "$WORK/bare-head.txt"

# sequences' word pieces and GFLOP (the same for every kind: the same sequences)
PIECES="$(head -1 "$WORK/bare-head.txt" | sed -n 's/.*, \([0-9]*\) word pieces.*/\1/p')"
GFLOP="$(head -1 "$WORK/bare-head.txt" | sed -n 's/.*, \([0-9.]*\) GFLOP;.*/\1/p')"
python3 - "$WORK/rates" "$PAIRS" "$PIECES" "$GFLOP" <<'EOF'
import sys, statistics
rates, pairs, pieces, gflop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
sec = {}
for line in open(rates):
    kind, rnd, s = line.split()
    sec.setdefault(kind, {})[int(rnd)] = float(s)
kinds = list(sec)
rounds = sorted(sec['embed'])
print()
print('| run | seconds per round | pairs/s (median) | word pieces/s | GFLOP/s | rate / embed\'s, per round |')
print('|---|---|---|---|---|---|')
for k in kinds:
    med = statistics.median(sec[k][r] for r in rounds)
    ratios = ', '.join('%.2f' % (sec['embed'][r] / sec[k][r]) for r in rounds)
    print('| %s | %s | %.1f | %.0f | %.1f | %s |' % (k, ', '.join('%.1f' % sec[k][r] for r in rounds),
          pairs / med, pieces / med, gflop / med, ratios))
EOF
if [ -n "$BASELINE" ]; then # the same pool from both builds: largest difference of a phi coordinate
  python3 - "$WORK/pool-embed" "$WORK/pool-baseline" <<'EOF'
import glob, json, sys
def pool(d):
    rows = {}
    for f in sorted(glob.glob(d + '/part-*.json')):
        for line in open(f):
            r = json.loads(line)
            rows[r['id']] = r
    return rows
a, b = pool(sys.argv[1]), pool(sys.argv[2])
assert a.keys() == b.keys() and all(a[k]['s'] == b[k]['s'] for k in a)
worst = max(abs(x - y) for k in a for x, y in zip(a[k]['phi'], b[k]['phi']))
print('phi of this checkout vs baseline: %d rows, max |difference| %.3g' % (len(a), worst))
EOF
fi
