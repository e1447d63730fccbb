#!/usr/bin/env bash
# Wall time of one `bin/adpo select` run on a seeded synthetic pool (not part of the test suite).
# usage: bench/select-wall-time.sh [ROWS] [DIM] [BUDGET] [ALGORITHM] [extra select options...]
# Prints the command's wall time (whole process: JVM + Spark start, read, validate, fit, select, write)
# and the per-phase times from report.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${1:-100000}"; DIM="${2:-64}"; BUDGET="${3:-100}"; ALG="${4:-adpo-plus}"
shift $(( $# < 4 ? $# : 4 ))
WORK="${ADPO_BENCH_DIR:-/tmp/adpo-bench}"
POOL="$WORK/pool-$ROWS-$DIM"
mkdir -p "$WORK"
if [ ! -d "$POOL" ]; then
  "$ROOT/bin/adpo" make-synthetic --output "$POOL" --rows "$ROWS" --dim "$DIM" --seed 1 --partitions 8
fi
OUT="$WORK/out-$ROWS-$DIM-$BUDGET-$ALG"
start=$(date +%s%N)
"$ROOT/bin/adpo" select --input "$POOL" --output "$OUT" --algorithm "$ALG" --budget "$BUDGET" --overwrite "$@"
end=$(date +%s%N)
echo "wall time of bin/adpo select (N=$ROWS, d=$DIM, n=$BUDGET, $ALG): $(( (end - start) / 1000000 )) ms"
python3 - "$OUT/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("phases (s):", ", ".join(f"{k} {v:.2f}" for k, v in r["timings_s"].items()))
s = r["selection"]
print(f"rounds {s['rounds']}, picks per round {s['picks_per_round']:.1f}, Spark jobs {r['spark']['jobs']}, "
      f"Spark {r['spark']['version']}, master {r['spark']['master']}")
PY
