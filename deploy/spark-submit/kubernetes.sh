#!/usr/bin/env bash
# Runs an adpo command (select unless the first argument names another: evaluate, online <step>,
# make-synthetic, ...) on Kubernetes in cluster mode: the driver and the executors are pods of
# ADPO_IMAGE, a Spark image (e.g. apache/spark:3.5.x-java17 or 4.0.x-java17, matching the Spark
# line the jar was built for) with the shaded jar copied in. The config file must be inside the
# pods too: bake it into the image or mount it from a ConfigMap, and give its path in the pod.
#
#   K8S_API=https://k8s.example.com:6443 ADPO_IMAGE=registry/adpo-spark:0.1.0 \
#   ADPO_JAR=local:///opt/adpo/adpo-spark-spark.jar ADPO_CONFIG=/opt/adpo/conf/example.conf \
#   ADPO_CHECKPOINT_DIR=s3a://bucket/adpo-checkpoints deploy/spark-submit/kubernetes.sh \
#     --input s3a://bucket/pools/pairs --output s3a://bucket/selections/run1 --budget 1000
#
# Environment: K8S_API (required), ADPO_IMAGE (required), ADPO_JAR (a local:// path in the image),
# ADPO_CONFIG (a path inside the pods, optional), ADPO_CHECKPOINT_DIR (required when the budget
# exceeds checkpoint-every: pods share no disk, so use S3/HDFS/GCS), K8S_NAMESPACE (default
# default), K8S_SERVICE_ACCOUNT (default spark), ADPO_EXECUTORS (default 4), ADPO_EXECUTOR_MEMORY
# (default 8g), and those of common.sh.
set -euo pipefail
ADPO_JAR="${ADPO_JAR:-local:///opt/adpo/adpo-spark-spark.jar}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${K8S_API:?set K8S_API, e.g. https://k8s.example.com:6443}"
: "${ADPO_IMAGE:?set ADPO_IMAGE to a Spark image holding the jar}"

adpo_app "$@"
args=(--master "k8s://$K8S_API" --deploy-mode cluster --name "$ADPO_APP_NAME" --class org.adpo.cli.Main
  --conf "spark.kubernetes.container.image=$ADPO_IMAGE"
  --conf "spark.kubernetes.namespace=${K8S_NAMESPACE:-default}"
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=${K8S_SERVICE_ACCOUNT:-spark}"
  --conf "spark.executor.instances=${ADPO_EXECUTORS:-4}"
  --conf "spark.executor.memory=${ADPO_EXECUTOR_MEMORY:-8g}"
  --conf "spark.driver.extraJavaOptions=$ADPO_EXECUTOR_JAVA_OPTIONS"
  --conf "spark.executor.extraJavaOptions=$ADPO_EXECUTOR_JAVA_OPTIONS")
exec "${ADPO_SUBMIT_CMD[@]}" "${args[@]}" ${ADPO_EXTRA[@]+"${ADPO_EXTRA[@]}"} "$ADPO_JAR" "${ADPO_APP[@]}"
