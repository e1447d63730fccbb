package org.adpo.data;

import java.io.IOException;
import org.adpo.error.UsageException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Delta Lake is optional: the core runs without it, and Delta input or output is available when
 * delta-spark is on the class path (bin/adpo and the tests have it; on a cluster,
 * {@code --packages io.delta:delta-spark_2.12:3.3.2}, or Databricks, where it is built in).
 */
public final class DeltaSupport {
  /** The Spark session extension Delta needs; its presence tells whether Delta is on the class path. */
  public static final String EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  /** The catalog Delta needs as {@code spark_catalog}. */
  public static final String CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  /** The folder that makes a directory a Delta table. */
  public static final String LOG_DIR = "_delta_log";

  private DeltaSupport() {}

  /** True when delta-spark can be loaded. */
  public static boolean available() {
    try {
      Class.forName(EXTENSION, false, DeltaSupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Fails with a usage error that says how to add Delta when it is not on the class path. */
  public static void require(SparkSession spark, String what) {
    if (!available()) {
      throw new UsageException(what + " needs Delta Lake, which is not on the class path; run with"
          + " spark-submit --packages io.delta:delta-spark_" + scalaBinaryVersion(spark) + ":"
          + (spark.version().startsWith("3.") ? "3.3.2" : "4.0.0"));
    }
  }

  /** True when {@code dir} is a directory holding a {@code _delta_log} folder. */
  static boolean isTable(FileSystem fs, FileStatus dir) throws IOException {
    if (!dir.isDirectory()) {
      return false;
    }
    Path log = new Path(dir.getPath(), LOG_DIR);
    return fs.exists(log) && fs.getFileStatus(log).isDirectory();
  }

  private static String scalaBinaryVersion(SparkSession spark) {
    return spark.version().startsWith("3.") ? "2.12" : "2.13";
  }
}
