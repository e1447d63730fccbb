package org.adpo.spark;

import org.apache.spark.SparkContext;

/**
 * The engine's own tuning settings that are not selection settings (they change how a run is carried out, never
 * its result): read from the Spark conf {@code spark.adpo.*}, else from the JVM system property of the same name
 * without the {@code spark.} prefix (for tests and for `ADPO_JAVA_OPTS=-Dadpo...`), else the default.
 */
final class EngineSetting {
  private EngineSetting() {}

  static long longOf(SparkContext sc, String key, long fallback) {
    return Long.parseLong(sc.getConf().get(key,
        System.getProperty(key.substring("spark.".length()), Long.toString(fallback))));
  }
}
