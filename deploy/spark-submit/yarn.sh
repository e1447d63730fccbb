#!/usr/bin/env bash
# Runs an adpo command (select unless the first argument names another: evaluate, online <step>,
# make-synthetic, ...) on YARN in cluster mode (the driver runs in the application master's container).
# The config file travels with --files and is read by its base name from the container's working
# directory; input, output and checkpoints must be on HDFS (or another shared file system).
#
#   HADOOP_CONF_DIR=/etc/hadoop/conf ADPO_CONFIG=conf/example.conf \
#   ADPO_CHECKPOINT_DIR=hdfs:///tmp/adpo-checkpoints deploy/spark-submit/yarn.sh \
#     --input hdfs:///pools/pairs --output hdfs:///selections/run1 --budget 1000
#
# Environment: HADOOP_CONF_DIR or YARN_CONF_DIR (read by spark-submit), ADPO_CONFIG (optional),
# ADPO_CHECKPOINT_DIR (required when the budget exceeds checkpoint-every), YARN_QUEUE (default
# default), ADPO_EXECUTORS (default 4), ADPO_EXECUTOR_CORES (default 4), ADPO_EXECUTOR_MEMORY
# (default 8g), ADPO_DRIVER_MEMORY (default 4g), and those of common.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ -n "${ADPO_CONFIG:-}" ]; then ADPO_CONFIG_ARG="$(basename "$ADPO_CONFIG")"; fi
adpo_app "$@"
args=(--master yarn --deploy-mode cluster --name "$ADPO_APP_NAME" --class org.adpo.cli.Main
  --queue "${YARN_QUEUE:-default}"
  --num-executors "${ADPO_EXECUTORS:-4}" --executor-cores "${ADPO_EXECUTOR_CORES:-4}"
  --executor-memory "${ADPO_EXECUTOR_MEMORY:-8g}" --driver-memory "${ADPO_DRIVER_MEMORY:-4g}"
  --conf "spark.driver.extraJavaOptions=$ADPO_EXECUTOR_JAVA_OPTIONS"
  --conf "spark.executor.extraJavaOptions=$ADPO_EXECUTOR_JAVA_OPTIONS")
if [ -n "${ADPO_CONFIG:-}" ] && [ -n "$ADPO_APP_TAKES_CONFIG" ]; then args+=(--files "$ADPO_CONFIG"); fi
exec "${ADPO_SUBMIT_CMD[@]}" "${args[@]}" ${ADPO_EXTRA[@]+"${ADPO_EXTRA[@]}"} "$ADPO_JAR" "${ADPO_APP[@]}"
