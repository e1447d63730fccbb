package org.adpo.data;

import java.io.IOException;
import org.adpo.error.BadInputException;
import org.adpo.error.UsageException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Opens a pool file or directory as a DataFrame. The format comes from {@code --format} or from
 * the file extension; reading errors are reported as bad input naming the path.
 */
public final class PoolReader {
  private PoolReader() {}

  /** Reads {@code path}; {@code format} is a format name or {@code auto}. */
  public static Dataset<Row> read(SparkSession spark, String path, String format) {
    Path p = new Path(path);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    FileStatus status;
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      if (!fs.exists(p)) {
        throw new BadInputException("input not found: " + path);
      }
      status = fs.getFileStatus(p);
      PoolFormat f = "auto".equalsIgnoreCase(format.trim()) ? detect(fs, status) : PoolFormat.parse(format, "input format");
      return open(spark, path, f);
    } catch (IOException e) {
      throw new BadInputException("cannot read input " + path + ": " + e.getMessage(), e);
    }
  }

  static PoolFormat detect(FileSystem fs, FileStatus status) throws IOException {
    PoolFormat f = formatOf(fs, status);
    if (f == null) {
      throw new UsageException(
          "cannot tell the format of input " + status.getPath()
              + " from its name; use --format parquet|jsonl|csv|delta");
    }
    return f;
  }

  /**
   * The format of a file by its extension, or of a directory: Delta when it holds {@code _delta_log/},
   * else by its first data file (Spark's part files); null when neither tells.
   */
  public static PoolFormat formatOf(FileSystem fs, FileStatus status) throws IOException {
    // A Delta table's directory also holds .parquet files, including ones its log has removed:
    // the log decides, so it is checked first.
    if (DeltaSupport.isTable(fs, status)) {
      return PoolFormat.DELTA;
    }
    PoolFormat f = PoolFormat.fromFileName(status.getPath().getName());
    if (f == null && status.isDirectory()) {
      for (FileStatus child : fs.listStatus(status.getPath())) {
        String n = child.getPath().getName();
        if (child.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
          f = PoolFormat.fromFileName(n);
          if (f != null) {
            break;
          }
        }
      }
    }
    return f;
  }

  private static Dataset<Row> open(SparkSession spark, String path, PoolFormat f) {
    if (f == PoolFormat.DELTA) {
      DeltaSupport.require(spark, "Delta input " + path);
    }
    try {
      switch (f) {
        case PARQUET:
          return spark.read().parquet(path);
        case JSONL:
          return spark.read().option("mode", "FAILFAST").json(path);
        case CSV:
          return spark.read()
              .option("header", "true")
              .option("inferSchema", "true")
              .option("mode", "FAILFAST")
              .csv(path);
        case DELTA:
          return spark.read().format("delta").load(path);
        default:
          throw new IllegalStateException(f.name());
      }
    } catch (Exception e) {
      // Spark reports unreadable or corrupt files as AnalysisException or SparkException (checked,
      // thrown undeclared from Scala code: hence Exception).
      throw new BadInputException(
          "cannot read input " + path + " as " + f.cliName() + ": " + rootMessage(e), e);
    }
  }

  /** The innermost message of a failure, first line only: Spark wraps causes several times. */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
