#!/bin/bash
# bench/parquet-batch.sh POOL BUDGET [REPEATS]: the validating pass with the Parquet batch size the engine chooses
# from the rows' width (spark.ParquetBatch) against Spark's own 4096 rows (the setting given explicitly, which the
# engine leaves alone), alternating so both see the same machine load. Prints report.json's validate, write and
# total seconds. POOL is a Parquet pool, e.g. one bench/perf.py made (/tmp/adpo-bench/perf-pool-50000-4096).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pool=$1; budget=$2; reps=${3:-3}
work="${ADPO_BENCH_DIR:-/tmp/adpo-bench}"; mkdir -p "$work"
"$here/bin/adpo" select --input "$pool" --output "$work/pb-warm" --algorithm dopt --budget "$budget" --overwrite > /dev/null 2>&1
for r in $(seq 1 "$reps"); do
  order="auto spark"; [ $((r % 2)) = 0 ] && order="spark auto"
  for who in $order; do
    conf=(); [ "$who" = spark ] && conf=(--conf spark.sql.parquet.columnarReaderBatchSize=4096)
    out="$work/pb-out-$who"
    "$here/bin/adpo" select --input "$pool" --output "$out" --algorithm dopt --budget "$budget" --output-format jsonl \
      --overwrite "${conf[@]}" > "$work/pb-$who.log" 2>&1 || { echo "$who failed"; tail -5 "$work/pb-$who.log"; exit 1; }
    python3 -c "import json,sys;t=json.load(open(sys.argv[1]))['timings_s'];print('%-5s validate %.2f write %.2f total %.2f'%(sys.argv[2],t['validate'],t['write'],t['total']))" "$out/report.json" "$who"
  done
done
