#!/usr/bin/env bash
# From text pairs to a selection, on real data (not part of the test suite): embeds all pairs of
# hh-rlhf's harmless-base test split with bin/adpo embed, selects 2048 of them with adpo-plus, apo
# and uniform (seeds 1, 2, 3), and evaluates every selection at n = 64 .. 2048 with bin/adpo evaluate.
# usage: bench/hh-rlhf.sh [DATA.jsonl.gz]   (default: ../shared/data/hh-rlhf/harmless-base-test.jsonl.gz)
# Work files go to $ADPO_HH_DIR (default /tmp/adpo-hh-rlhf); the small results to bench/hh-rlhf/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${1:-$ROOT/../shared/data/hh-rlhf/harmless-base-test.jsonl.gz}"
WORK="${ADPO_HH_DIR:-/tmp/adpo-hh-rlhf}"
RESULTS="$ROOT/bench/hh-rlhf"
BUDGET=2048
GRID=64,128,256,512,1024,2048
mkdir -p "$WORK" "$RESULTS"
ADPO="$ROOT/bin/adpo"

"$ADPO" embed --input "$DATA" --output "$WORK/pool" --seed 1 --overwrite | tee "$RESULTS/embed.txt"

SELECTIONS=()
for alg in adpo-plus apo; do
  "$ADPO" select --input "$WORK/pool" --output "$WORK/sel-$alg" --algorithm "$alg" --budget "$BUDGET" --overwrite
  SELECTIONS+=(--selection "$alg=$WORK/sel-$alg")
done
for seed in 1 2 3; do
  "$ADPO" select --input "$WORK/pool" --output "$WORK/sel-uniform-$seed" --algorithm uniform --seed "$seed" \
    --budget "$BUDGET" --overwrite
  SELECTIONS+=(--selection "uniform-$seed=$WORK/sel-uniform-$seed")
done

"$ADPO" evaluate --pool "$WORK/pool" "${SELECTIONS[@]}" --grid "$GRID" --output "$WORK/eval" --overwrite
cp "$WORK/eval/metrics.csv" "$WORK/eval/metrics.png" "$RESULTS/"
python3 "$ROOT/bench/hh-rlhf-table.py" "$RESULTS/metrics.csv" "$WORK/eval/metrics.json" > "$RESULTS/table.md"
cat "$RESULTS/table.md"
