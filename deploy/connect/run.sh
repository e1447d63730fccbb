#!/usr/bin/env bash
# The Spark Connect path of the Spark ML stages, for real (Spark 4.0 line): starts a Spark Connect server
# (Maven artifacts, local[2], loopback only) with adpo-spark-spark.jar on its class path, fits
# org.adpo.ml.AdpoSelection from a Connect client in another JVM through the ML command of the Connect
# protocol (MlCommand.Fit, then MlRelation.Transform of the returned model), and checks that the picks equal
# those of a classic local fit of the same pool. Prints SAME per algorithm and exits 0 when all agree.
#
#   deploy/connect/run.sh            # builds the jar with -Pspark-4.0 first (target/ then holds the 4.0 build)
#   PORT=15123 deploy/connect/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${PORT:-15099}
work=$(mktemp -d)
opens=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' "$root/pom.xml")
jar="$root/target/adpo-spark-spark.jar"

(cd "$root" && mvn -B -q -Pspark-4.0 -DskipTests package)
mvn -B -q -f "$here/pom.xml" -Pserver dependency:copy-dependencies -DoutputDirectory="$work/server-lib"
mvn -B -q -f "$here/pom.xml" -Pclient dependency:copy-dependencies -DoutputDirectory="$work/client-lib"
javac -d "$work/client" -cp "$work/client-lib/*" "$here/ConnectFit.java"
javac -d "$work/classic" -cp "$work/server-lib/*:$jar" "$here/ClassicFit.java"

export SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2086
setsid java -Xmx2g $opens -cp "$work/server-lib/*:$jar" -Dspark.master='local[2]' -Dspark.ui.enabled=false \
  -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 \
  -Dspark.connect.grpc.binding.address=127.0.0.1 -Dspark.connect.grpc.binding.port="$port" \
  org.apache.spark.sql.connect.service.SparkConnectServer > "$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  grep -q 'Spark Connect server started' "$work/server.log" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; echo "the Connect server did not start" >&2; exit 1; }
  sleep 1
done

status=0
for case in "dopt 6" "adpo-plus 8"; do
  # shellcheck disable=SC2086
  set -- $case
  java $opens -cp "$work/client:$work/client-lib/*" ConnectFit "sc://127.0.0.1:$port" "$1" "$2" 2>"$work/client.err" \
    | grep '^pick' > "$work/connect.txt" || { cat "$work/client.err"; exit 1; }
  java $opens -cp "$work/classic:$work/server-lib/*:$jar" ClassicFit "$1" "$2" 2>/dev/null \
    | grep '^pick' > "$work/classic.txt"
  if [ "$(wc -l < "$work/connect.txt")" -eq "$2" ] && diff "$work/classic.txt" "$work/connect.txt"; then
    echo "$1, $2 picks through Spark Connect: SAME as the classic fit"
  else
    echo "$1: the Connect picks differ from the classic fit" >&2
    status=1
  fi
done
exit $status
