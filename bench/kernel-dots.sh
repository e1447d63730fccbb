#!/usr/bin/env bash
# The downdate's dot products on one core, row-major against tiled (design.FeatureTiles), alternating
# (not part of the test suite): bench/kernel/KernelDots.java on the built classes, with the Vector API.
# usage: bench/kernel-dots.sh [ROWS:D:PICKS,...] [REPEATS] [best|scalar]
#   (default 300000:64:18,200000:128:42,300000:64:1,50000:512:16,20000:1024:16,5000:4096:16, 9, best:
#   the kernel ScoreKernels chooses; scalar: the plain Java one on both layouts)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CASES="${1:-300000:64:18,200000:128:42,300000:64:1,50000:512:16,20000:1024:16,5000:4096:16}"
REPEATS="${2:-9}"
KERNEL="${3:-best}"
[ -d "$ROOT/target/classes/org/adpo/design" ] || (cd "$ROOT" && mvn -B -q -DskipTests compile)
java -Xmx4g --add-modules jdk.incubator.vector -cp "$ROOT/target/classes" "$ROOT/bench/kernel/KernelDots.java" \
  "$CASES" "$REPEATS" "$KERNEL" 2> >(grep -v '^WARNING: Using incubator modules' >&2)
