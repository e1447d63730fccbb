# Sourced by bin/adpo (and by the test of it, BuildProgressTest); defines build.
# Runs a build (the command after the log file) with its output in the log file, and says every 10 s that
# it is still building and how many modules and compile steps Maven has reached, so a first use that takes a
# minute is not silent. Exit code: the build's.
build() {
  local log="$1" pid waited=0 code=0
  shift
  "$@" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    waited=$((waited + 1))
    if [ $((waited % 10)) -eq 0 ] && kill -0 "$pid" 2>/dev/null; then
      echo "adpo: still building (${waited} s; Maven at: $(grep -E '^\[INFO\] (Building|--- )' "$log" | tail -1 \
        | sed 's/^\[INFO\] //'))" >&2
    fi
  done
  wait "$pid" || code=$?
  return "$code"
}
