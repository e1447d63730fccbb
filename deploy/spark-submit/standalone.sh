#!/usr/bin/env bash
# Runs an adpo command (select unless the first argument names another: evaluate, online <step>,
# make-synthetic, ...) on a Spark standalone cluster in client mode (the driver runs on this machine and
# reads the config file from here; executors read the input and write the output, so use paths
# every node sees).
#
#   SPARK_MASTER_URL=spark://master:7077 ADPO_CHECKPOINT_DIR=hdfs:///tmp/adpo-checkpoints \
#   ADPO_CONFIG=conf/example.conf deploy/spark-submit/standalone.sh \
#     --input hdfs:///pools/pairs --output hdfs:///selections/run1 --budget 1000
#   SPARK_MASTER_URL=spark://master:7077 deploy/spark-submit/standalone.sh make-synthetic \
#     --rows 100000 --dim 16 --output hdfs:///pools/synthetic
#
# Environment: SPARK_MASTER_URL (required), ADPO_CONFIG (optional HOCON file, passed as --config),
# ADPO_CHECKPOINT_DIR (checkpoint directory every node reaches; required when the budget exceeds
# checkpoint-every), ADPO_EXECUTOR_MEMORY (default 2g), ADPO_TOTAL_CORES (optional cap), and those of
# common.sh: SPARK_SUBMIT, ADPO_JAR, ADPO_EXECUTOR_JAVA_OPTIONS, ADPO_SPARK_CONF.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${SPARK_MASTER_URL:?set SPARK_MASTER_URL, e.g. spark://master:7077}"

adpo_app "$@"
args=(--master "$SPARK_MASTER_URL" --deploy-mode client --name "$ADPO_APP_NAME" --class org.adpo.cli.Main
  --driver-java-options "$ADPO_EXECUTOR_JAVA_OPTIONS"
  --conf "spark.executor.extraJavaOptions=$ADPO_EXECUTOR_JAVA_OPTIONS"
  --conf "spark.executor.memory=${ADPO_EXECUTOR_MEMORY:-2g}")
if [ -n "${ADPO_TOTAL_CORES:-}" ]; then args+=(--total-executor-cores "$ADPO_TOTAL_CORES"); fi
exec "${ADPO_SUBMIT_CMD[@]}" "${args[@]}" ${ADPO_EXTRA[@]+"${ADPO_EXTRA[@]}"} "$ADPO_JAR" "${ADPO_APP[@]}"
