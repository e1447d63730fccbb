# Shared by the spark-submit examples (sourced, not run): the submit command, the jar and the JVM
# options every executor needs on Java 17.
ADPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# SPARK_SUBMIT: the command to run, split into words as the shell splits a simple command line
# (quotes group; nothing is expanded; see adpo_split), so "java <opens> -cp '$SPARK_HOME/jars/*'
# org.apache.spark.deploy.SparkSubmit" works too. Default: $SPARK_HOME/bin/spark-submit, else
# spark-submit on the PATH.
if [ -z "${SPARK_SUBMIT:-}" ]; then
  if [ -n "${SPARK_HOME:-}" ]; then SPARK_SUBMIT="$SPARK_HOME/bin/spark-submit"; else SPARK_SUBMIT=spark-submit; fi
fi
# ADPO_JAR: the shaded application jar (mvn package writes target/adpo-spark-spark.jar).
ADPO_JAR="${ADPO_JAR:-$ADPO_ROOT/target/adpo-spark-spark.jar}"
# The executors' JVM options: the --add-opens list Spark needs on Java 17 (spark-submit adds it to
# the driver, and Spark >= 3.3 to executors, but a cluster with its own defaults may not) and the
# Vector API module the SIMD score kernel uses (without it the plain-Java kernel runs: same picks,
# slower). Read from the pom's spark.jvm.opens when the repository is here.
if [ -z "${ADPO_EXECUTOR_JAVA_OPTIONS:-}" ]; then
  ADPO_EXECUTOR_JAVA_OPTIONS="$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' "$ADPO_ROOT/pom.xml" 2>/dev/null || true)"
  ADPO_EXECUTOR_JAVA_OPTIONS="${ADPO_EXECUTOR_JAVA_OPTIONS:--XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector}"
fi
if [ ! -f "$ADPO_JAR" ] && [[ "$ADPO_JAR" != *://* ]]; then
  echo "error: application jar $ADPO_JAR not found (run mvn package, or set ADPO_JAR)" >&2
  exit 2
fi

# Splits $2 into the array named $1 as the shell splits a simple command line: single and double
# quotes group words and are removed, a backslash outside quotes escapes the next character; no
# variable, command or glob expansion (xargs's quoting). `read -a` would keep the quotes.
adpo_split() {
  local -n into="$1"
  into=()
  [ -n "${2//[[:space:]]/}" ] || return 0
  local words
  if ! words="$(printf '%s\n' "$2" | xargs printf '%s\0' 2>&1 >/dev/null)"; then
    echo "error: cannot split $3 into words (${words#xargs: }): $2" >&2
    exit 2
  fi
  mapfile -d '' into < <(printf '%s\n' "$2" | xargs printf '%s\0')
}
# ADPO_SPARK_CONF: extra spark-submit arguments, split the same way (e.g. "--conf spark.executor.memory=8g").
adpo_split ADPO_EXTRA "${ADPO_SPARK_CONF:-}" ADPO_SPARK_CONF
adpo_split ADPO_SUBMIT_CMD "$SPARK_SUBMIT" SPARK_SUBMIT

# The application's arguments, in ADPO_APP: the command is the first argument when it names one
# (select, evaluate, online with its step, make-synthetic, make-pool, experiment), else select, as
# the scripts ran before they took a command. ADPO_CONFIG goes to the commands that take --config
# (select, evaluate, online init) as --config "${ADPO_CONFIG_ARG:-$ADPO_CONFIG}", ADPO_CHECKPOINT_DIR
# to select (the only one with --checkpoint-dir). ADPO_APP_NAME is the Spark application name.
adpo_app() {
  local cmd=select step=""
  case "${1:-}" in
    select|evaluate|online|make-synthetic|make-pool|experiment) cmd="$1"; shift ;;
  esac
  ADPO_APP=("$cmd")
  if [ "$cmd" = online ] && [ $# -gt 0 ] && [[ "$1" != -* ]]; then
    step="$1"
    ADPO_APP+=("$step")
    shift
  fi
  ADPO_APP_NAME="adpo-$cmd${step:+-$step}"
  ADPO_APP_TAKES_CONFIG=""
  case "$cmd${step:+ $step}" in
    select|evaluate|"online init") ADPO_APP_TAKES_CONFIG=1 ;;
  esac
  if [ -n "${ADPO_CONFIG:-}" ] && [ -n "$ADPO_APP_TAKES_CONFIG" ]; then
    ADPO_APP+=(--config "${ADPO_CONFIG_ARG:-$ADPO_CONFIG}")
  fi
  if [ -n "${ADPO_CHECKPOINT_DIR:-}" ] && [ "$cmd" = select ]; then
    ADPO_APP+=(--checkpoint-dir "$ADPO_CHECKPOINT_DIR")
  fi
  ADPO_APP+=("$@")
}
