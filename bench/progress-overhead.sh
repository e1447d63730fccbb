#!/usr/bin/env bash
# What recording a selection's progress (the resume record beside --output) costs, measured side by side
# (not part of the test suite). Runs the same select alternately with a record after every round
# (progress interval 0 s, the worst case) and with the default interval (5 s), and prints, per run, the
# rounds, the records written, the time spent writing them (report.json selection.progress.write_s, measured
# inside the run) and the select phase's wall time.
# usage: bench/progress-overhead.sh [ROWS] [DIM] [BUDGET] [PICKS_PER_ROUND] [REPEATS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${1:-20000}"; DIM="${2:-32}"; BUDGET="${3:-1000}"; PER_ROUND="${4:-5}"; REPEATS="${5:-2}"
WORK="${ADPO_BENCH_DIR:-/tmp/adpo-bench}"
POOL="$WORK/pool-$ROWS-$DIM"
mkdir -p "$WORK"
if [ ! -d "$POOL" ]; then
  "$ROOT/bin/adpo" make-synthetic --output "$POOL" --rows "$ROWS" --dim "$DIM" --seed 1 --partitions 8
fi
for i in $(seq "$REPEATS"); do
  for interval in 0 5; do
    OUT="$WORK/progress-out-$interval"
    ADPO_JAVA_OPTS="-Xmx2g -Dadpo.select.max-picks-per-round=$PER_ROUND -Dadpo.select.progress-interval-s=$interval" \
      "$ROOT/bin/adpo" select --input "$POOL" --output "$OUT" --algorithm adpo-plus --budget "$BUDGET" \
      --overwrite >/dev/null 2>&1
    python3 - "$OUT/report.json" "$interval" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["selection"]; p = s["progress"]; t = r["timings_s"]["select"]
print(f"interval {sys.argv[2]} s: rounds {s['rounds']}, records {p['writes']}, writing {p['write_s']:.3f} s"
      f" of select {t:.2f} s ({100 * p['write_s'] / t:.2f}%)")
PY
  done
done
