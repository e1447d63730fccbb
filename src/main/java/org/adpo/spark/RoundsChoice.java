package org.adpo.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Where the exact lazy loop runs its rounds ({@link LazyRounds}), from Spark conf {@value #KEY} (or
 * the JVM system property {@code adpo.select.rounds}; the session's runtime conf may change it between
 * selections):
 * <ul>
 *   <li>{@code auto} (default): in the driver when the master is local (the executors are then this
 *       JVM's threads, so a Spark job per round is only scheduling) and the candidates take at most a
 *       fifth of the driver's heap; on the executors otherwise;
 *   <li>{@code driver}: in the driver, whatever the master (driver threads: the local master's cores,
 *       else {@code spark.driver.cores});
 *   <li>{@code executors}: one Spark job per round on the executors.
 * </ul>
 * The picks are the same either way (see {@link DriverRounds}).
 */
final class RoundsChoice {
  static final String KEY = "spark.adpo.select.rounds";
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?\\])?");

  private RoundsChoice() {}

  /**
   * The setting's value, checked; a bad value is a usage error naming the key. Read from the session's
   * runtime conf (which starts from the SparkConf), so that it can be changed between selections.
   */
  static String mode(SparkSession spark) {
    String v = spark.conf().get(KEY, System.getProperty(KEY.substring("spark.".length()), "auto")).trim();
    if (!v.equals("auto") && !v.equals("driver") && !v.equals("executors")) {
      throw new org.adpo.error.UsageException(KEY + " must be auto, driver or executors, not '"
          + org.adpo.error.Shown.value(v) + "'");
    }
    return v;
  }

  /**
   * True when the rounds run in the driver.
   *
   * @param bytes the candidates' size in memory (about rows x (4 d + 40) bytes)
   */
  static boolean inDriver(SparkSession spark, long bytes) {
    String mode = mode(spark);
    String master = spark.sparkContext().master();
    if (!mode.equals("auto")) {
      return mode.equals("driver");
    }
    return LOCAL.matcher(master).matches() && bytes <= Runtime.getRuntime().maxMemory() / 5;
  }

  /** A local master: tasks run in the driver's JVM. */
  static boolean isLocal(String master) {
    return LOCAL.matcher(master).matches();
  }

  /** Driver threads for the rounds: a local master's cores, else {@code spark.driver.cores}. */
  static int threads(SparkSession spark) {
    String master = spark.sparkContext().master();
    SparkConf conf = spark.sparkContext().getConf();
    Matcher m = LOCAL.matcher(master);
    if (m.matches()) {
      String n = m.group(1);
      int cores = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
      return Math.max(1, cores);
    }
    return Math.max(1, conf.getInt("spark.driver.cores", 1));
  }
}
