#!/bin/bash
# bench/fit-ab.sh BASELINE_CHECKOUT POOL [REPEATS]: the theta fit of adpo-plus on a large labelled pool, this
# checkout against another built checkout (e.g. `git clone . /tmp/base && git -C /tmp/base checkout <commit>` and
# `mvn -DskipTests package` there), alternating (base new, new base, ...) so both see the same machine load.
# Prints report.json's fit time (wall seconds of the phase), iterations, evaluations, final loss, gradient
# norm and whether the fit met the tolerance. POOL: e.g. `bin/adpo make-pool --pairs 65536 --dim 384 --output P`
# (the experiment's pool of seed 1: pixel features, whose ill-conditioning makes L-BFGS slow).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base=$1; pool=$2; reps=${3:-2}
work="${ADPO_BENCH_DIR:-/tmp/adpo-bench}"; mkdir -p "$work"
for r in $(seq 1 $reps); do
  order="base new"; [ $((r % 2)) = 0 ] && order="new base"
  for who in $order; do
    root=$here; [ $who = base ] && root=$base
    out=$work/fit-out-$who; rm -rf "$out"
    load=$(cut -d' ' -f1 /proc/loadavg)
    "$root/bin/adpo" select --input "$pool" --output "$out" --algorithm adpo-plus --budget 10 --overwrite \
      > "$work/fit-$who.log" 2>&1 || { echo "$who failed"; tail -5 "$work/fit-$who.log"; exit 1; }
    python3 - "$out" "$who" "$load" <<'PY'
import json,sys
out,who,load=sys.argv[1:]
r=json.load(open(out+'/report.json')); t=r['timings_s']; f=r['fit']
print('%-4s fit %.2f s: %d iterations, %d evaluations, loss %.6f, gradient norm %.3g, converged %s | load %s' % (
    who, t['fit'], f['iterations'], f['evaluations'], f['final_loss'], f['gradient_norm'], f['converged'], load))
PY
  done
done
