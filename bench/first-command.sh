#!/usr/bin/env bash
# README's first command, `bin/adpo select --input data/fashion-mnist-pairs --output DIR --budget 100`
# (ADPO+ on the bundled 4096-pair pool), timed as a whole process (JVM start to output written), alternating
# this checkout with another built checkout of the engine (BASELINE, e.g. the previous release) so both see
# the same machine load. Prints each run's wall time, theta-fit phase and Spark job count.
# BASELINE may be the word nocds: this checkout again with ADPO_CDS=0 (no class-data sharing archive).
# usage: bench/first-command.sh BASELINE_CHECKOUT|nocds [RUNS (default 2)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="$1"; RUNS="${2:-2}"
WORK="${ADPO_BENCH_DIR:-/tmp/adpo-bench}"
mkdir -p "$WORK"
one() {
  local tag="$1" dir="$2" out="$WORK/first-command-$1" cds=1
  local start end
  if [ "$dir" = nocds ]; then dir="$ROOT"; cds=0; fi
  start=$(date +%s%N)
  ADPO_CDS=$cds "$dir/bin/adpo" select --input "$ROOT/data/fashion-mnist-pairs" --output "$out" --budget 100 --overwrite >/dev/null 2>&1
  end=$(date +%s%N)
  python3 - "$tag" "$(( (end - start) / 1000000 ))" "$out/report.json" <<'PY'
import json, sys
tag, ms, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = json.load(open(path))
t = r["timings_s"]
print(f"{tag}: {ms / 1000:.1f} s wall, fit {t.get('fit', 0):.2f} s ({r['fit']['evaluations']} evaluations), "
      f"{r['spark']['jobs']} Spark jobs, phases " + ", ".join(f"{k} {v:.2f}" for k, v in t.items()))
PY
}
for i in $(seq "$RUNS"); do
  if [ $((i % 2)) -eq 1 ]; then one this "$ROOT"; one baseline "$BASE"; else one baseline "$BASE"; one this "$ROOT"; fi
done
