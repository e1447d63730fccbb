# Shared by the spark-submit examples (sourced, not run): the submit command, the jar and the JVM
# options every executor needs on Java 17.
ADPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# SPARK_SUBMIT: the command to run (word-split, so "java -cp ... org.apache.spark.deploy.SparkSubmit"
# works too). Default: $SPARK_HOME/bin/spark-submit, else spark-submit on the PATH.
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
# ADPO_SPARK_CONF: extra spark-submit arguments, word-split (e.g. "--conf spark.executor.memory=8g").
read -r -a ADPO_EXTRA <<< "${ADPO_SPARK_CONF:-}"
read -r -a ADPO_SUBMIT_CMD <<< "$SPARK_SUBMIT"
