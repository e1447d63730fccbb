package org.adpo.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Gets the session a command runs in. A master set by spark-submit or a notebook wins; otherwise the
 * configured one ({@code local[*]} by default). When the driver runs in a plain JVM against a
 * cluster, the application jar named by {@code ADPO_APP_JAR} is shipped to the executors.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** The master a session created now would use: the CLI's, else spark-submit's, else the configured. */
  public static String master(String configuredMaster, String cliMaster) {
    return cliMaster != null ? cliMaster : new SparkConf().get("spark.master", configuredMaster);
  }

  public static SparkSession getOrCreate(String configuredMaster, String cliMaster, String appName) {
    SparkConf conf = new SparkConf();
    String master = master(configuredMaster, cliMaster);
    SparkSession.Builder b = SparkSession.builder().appName(appName).master(master)
        .config("spark.ui.showConsoleProgress", "false");
    String jar = System.getenv("ADPO_APP_JAR");
    if (jar != null && !master.startsWith("local") && !conf.contains("spark.jars")) {
      b.config("spark.jars", jar);
    }
    return b.getOrCreate();
  }
}
