package org.adpo.reference;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark entry point (not part of the CLI): loads a pool with integer ids into one JVM and runs
 * {@link DenseDowndateGreedy} single-threaded, printing one JSON line with the selection-phase
 * wall time. Usage: {@code DenseBenchmark POOL_PATH BUDGET}. Test code, not in the jar: bench/run.py runs it
 * from target/test-classes.
 */
public final class DenseBenchmark {
  private DenseBenchmark() {}

  public static void main(String[] args) {
    String path = args[0];
    int n = Integer.parseInt(args[1]);
    SparkSession spark = SparkSession.builder().master("local[2]").appName("dense-benchmark")
        .config("spark.ui.enabled", "false").getOrCreate();
    List<Row> rows;
    try {
      rows = spark.read().parquet(path).select("id", "phi").collectAsList();
    } finally {
      spark.stop();
    }
    int count = rows.size();
    int d = rows.get(0).getList(1).size();
    float[] phi = new float[count * d];
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      Row r = rows.get(i);
      ids[i] = r.getLong(0);
      List<Object> v = r.getList(1);
      for (int j = 0; j < d; j++) {
        phi[i * d + j] = ((Number) v.get(j)).floatValue();
      }
    }
    rows = null;
    long start = System.nanoTime();
    int[] picks = DenseDowndateGreedy.select(phi, count, d, ids, 1.0, n);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "{\"rows\":%d,\"d\":%d,\"picks\":%d,\"select_s\":%.3f,\"first_id\":%d}%n",
        count, d, picks.length, seconds, ids[picks[0]]);
  }
}
