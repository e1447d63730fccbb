#!/bin/bash
# bench/phases-ab.sh BASELINE_CHECKOUT POOL BUDGET [REPEATS]: the phases around the selection loop, this checkout
# against another built checkout (e.g. `git clone . /tmp/base && git -C /tmp/base checkout <commit>` and
# `mvn -DskipTests package` there), alternating (base new, new base, ...) so both see the same machine load.
# Prints report.json's wall times of validate, weights and write and the executors' CPU seconds in the stages
# of each phase (Spark's event log: less sensitive to other work on the machine than wall time). POOL is a
# pool bench/perf.py made (e.g. /tmp/adpo-bench/perf-pool-1000000-256); dopt, JSON Lines output.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base=$1; pool=$2; budget=$3; reps=${4:-2}
work="${ADPO_BENCH_DIR:-/tmp/adpo-bench}"; mkdir -p "$work"
for r in $(seq 1 $reps); do
  order="base new"; [ $((r % 2)) = 0 ] && order="new base"
  for who in $order; do
    root=$here; [ $who = base ] && root=$base
    out=$work/phases-out-$who; ev=$work/phases-ev-$who; rm -rf "$out" "$ev"; mkdir -p "$ev"
    load=$(cut -d' ' -f1 /proc/loadavg)
    "$root/bin/adpo" select --input "$pool" --output "$out" --algorithm dopt --budget $budget --output-format jsonl --overwrite \
      --conf spark.eventLog.enabled=true --conf spark.eventLog.dir="$ev" > "$work/phases-$who.log" 2>&1 || { echo "$who failed"; tail -5 "$work/phases-$who.log"; exit 1; }
    python3 - "$out" "$ev" "$who" "$load" <<'PY'
import json,sys,os,collections
out,ev,who,load=sys.argv[1:]
t=json.load(open(out+'/report.json'))['timings_s']
f=os.path.join(ev,os.listdir(ev)[0]); names={}; cpu=collections.Counter()
for line in open(f):
    e=json.loads(line)
    if e['Event']=='SparkListenerStageSubmitted': names[e['Stage Info']['Stage ID']]=e['Stage Info']['Stage Name']
    if e['Event']=='SparkListenerTaskEnd':
        n=names.get(e['Stage ID'],''); m=e.get('Task Metrics') or {}
        k='validate' if ('PoolLoader' in n or 'PoolDigest' in n) else 'write' if 'SelectionWriter' in n else 'weights' if ('SelectionJob' in n or 'Candidates' in n) else 'other'
        cpu[k]+=m.get('Executor CPU Time',0)/1e9
print('%-4s wall: validate %.2f weights %.2f write %.2f (around %.2f) | executor CPU: validate %.2f weights %.2f write %.2f | load %s' % (
    who, t['validate'], t['weights'], t['write'], t['validate']+t['weights']+t['write'], cpu['validate'], cpu['weights'], cpu['write'], load))
PY
  done
done
