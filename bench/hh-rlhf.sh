#!/usr/bin/env bash
# From text pairs to a selection, on real data, judged on held-out pairs (not part of the test suite):
# embeds all pairs of hh-rlhf's harmless-base test split with bin/adpo embed, then runs bin/adpo experiment
# on that pool: for seeds 1, 2, 3 it holds out 20 % of the pairs (seeded by id), selects up to 1024 of the
# rest with uniform, apo, adpo-plus and adpo-safe (the UCB constant of adpo-plus: 2), and evaluates every
# selection at n = 64 .. 1024 on the held-out pairs. claims.md there checks adpo-safe against uniform at every n.
# usage: bench/hh-rlhf.sh [DATA.jsonl.gz]   (default: ../shared/data/hh-rlhf/harmless-base-test.jsonl.gz)
# Work files go to $ADPO_HH_DIR (default /tmp/adpo-hh-rlhf); the small results to bench/hh-rlhf/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${1:-$ROOT/../shared/data/hh-rlhf/harmless-base-test.jsonl.gz}"
WORK="${ADPO_HH_DIR:-/tmp/adpo-hh-rlhf}"
RESULTS="$ROOT/bench/hh-rlhf"
mkdir -p "$WORK" "$RESULTS"
ADPO="$ROOT/bin/adpo"

if [ ! -e "$WORK/pool/_SUCCESS" ] || [ "${ADPO_HH_REEMBED:-0}" = 1 ]; then
  "$ADPO" embed --input "$DATA" --output "$WORK/pool" --seed 1 --overwrite | tee "$RESULTS/embed.txt"
fi

"$ADPO" experiment --pool "$WORK/pool" --test-fraction 0.2 --seeds 1,2,3 --budgets 64,128,256,512,1024 \
  --methods uniform,apo,adpo-plus,adpo-safe --alpha 2 --output "$WORK/experiment" --overwrite
cp "$WORK/experiment/summary.csv" "$WORK/experiment/results.csv" "$WORK/experiment/claims.md" \
  "$WORK/experiment/figure.png" "$RESULTS/"
python3 "$ROOT/bench/safe-default/heldout-table.py" "$RESULTS/summary.csv" > "$RESULTS/table.md"
rm -f "$RESULTS/metrics.csv" "$RESULTS/metrics.png"
cat "$RESULTS/table.md"
