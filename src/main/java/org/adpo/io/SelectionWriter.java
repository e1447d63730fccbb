package org.adpo.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.adpo.data.DeltaSupport;
import org.adpo.data.PoolFormat;
import org.adpo.error.UsageException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Writes a run's output directory atomically: everything goes to a hidden sibling directory first
 * ({@code .NAME.tmp-UUID}), which is renamed to the final name only when complete. A failed run
 * leaves nothing behind; an existing output is refused unless overwriting was asked for.
 */
public final class SelectionWriter {
  private SelectionWriter() {}

  /** Fails early (before any work) when {@code out} exists and may not be replaced. */
  public static void checkTarget(SparkSession spark, String out, boolean overwrite) {
    try {
      Path p = new Path(out);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(p) && !overwrite) {
        throw new UsageException("output directory already exists: " + out + " (use --overwrite to replace it)");
      }
    } catch (IOException e) {
      throw new UsageException("cannot check output path " + out + ": " + e.getMessage(), e);
    }
  }

  /** Fills a directory; may throw. */
  public interface Filler {
    void fill(FileSystem fs, Path dir) throws IOException;
  }

  /**
   * Writes {@code selection/} in {@code format}, then {@code report.json} (asked for only after the
   * selection is written, so it can include the write time), under {@code out}.
   */
  public static void write(SparkSession spark, Dataset<Row> selection,
      java.util.function.Supplier<Map<String, Object>> report, String out, PoolFormat format, boolean overwrite) {
    write(spark, selection, report, null, out, format, overwrite);
  }

  /**
   * As {@link #write(SparkSession, Dataset, java.util.function.Supplier, String, PoolFormat, boolean)},
   * plus {@code report.html} rendered from the report by {@code html} (null: none), in the same
   * atomic step.
   */
  public static void write(SparkSession spark, Dataset<Row> selection,
      java.util.function.Supplier<Map<String, Object>> report,
      java.util.function.Function<Map<String, Object>, String> html, String out, PoolFormat format,
      boolean overwrite) {
    commit(spark, out, overwrite, (fs, tmp) -> {
      writeFrame(selection.coalesce(1), new Path(tmp, "selection"), format);
      Map<String, Object> r = report.get();
      try (OutputStream os = fs.create(new Path(tmp, "report.json"), false)) {
        os.write(ReportJson.toJson(r).getBytes(StandardCharsets.UTF_8));
      }
      if (html != null) {
        writeText(fs, tmp, "report.html", html.apply(r));
      }
    });
  }

  /** Writes one text file (UTF-8) into {@code dir}, without a checksum file next to it. */
  public static void writeText(FileSystem fs, Path dir, String name, String text) throws IOException {
    FileSystem target = fs instanceof org.apache.hadoop.fs.ChecksumFileSystem
        ? ((org.apache.hadoop.fs.ChecksumFileSystem) fs).getRawFileSystem() : fs;
    try (OutputStream os = target.create(new Path(dir, name), false)) {
      os.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Writes a DataFrame as the directory {@code out} itself, atomically. */
  public static void writeFrame(SparkSession spark, Dataset<Row> frame, String out, PoolFormat format,
      boolean overwrite) {
    commit(spark, out, overwrite, (fs, tmp) -> writeFrame(frame, tmp, format));
  }

  private static void writeFrame(Dataset<Row> frame, Path dir, PoolFormat format) {
    switch (format) {
      case PARQUET:
        frame.write().parquet(dir.toString());
        break;
      case JSONL:
        frame.write().json(dir.toString());
        break;
      case CSV:
        // Spark's CSV writer trims text fields unless told not to: pass-through text keeps its spaces.
        flattenForCsv(frame).write().option("header", "true").option("ignoreLeadingWhiteSpace", "false")
            .option("ignoreTrailingWhiteSpace", "false").csv(dir.toString());
        break;
      case DELTA:
        // A new table inside the hidden directory: its log records paths relative to the table, so
        // the rename below moves a complete, committed table into place.
        DeltaSupport.require(frame.sparkSession(), "Delta output " + dir);
        frame.write().format("delta").save(dir.toString());
        break;
      default:
        throw new IllegalStateException(format.name());
    }
  }

  /**
   * Lets {@code filler} write into a hidden sibling of {@code out}, then renames it to {@code out};
   * on any failure the sibling is deleted and {@code out} is untouched.
   */
  public static void commit(SparkSession spark, String out, boolean overwrite, Filler filler) {
    checkTarget(spark, out, overwrite);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path target = new Path(out);
    FileSystem fs;
    Path tmp;
    try {
      fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      Path parent = target.getParent();
      if (parent != null && !fs.exists(parent)) {
        fs.mkdirs(parent);
      }
      tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
    } catch (IOException e) {
      throw new UsageException("cannot prepare output " + out + ": " + e.getMessage(), e);
    }
    try {
      filler.fill(fs, tmp);
      // Replacing: the old output is renamed aside (not deleted) until the new one is in place, so
      // at every moment DIR is either the complete old output or the complete new one (or, between
      // the two renames, absent), and a failed rename puts the old one back.
      Path old = null;
      if (fs.exists(target)) {
        old = new Path(target.getParent(), "." + target.getName() + ".tmp-old-" + UUID.randomUUID());
        if (!fs.rename(target, old)) {
          throw new IOException("cannot move the existing " + target + " aside to replace it");
        }
      }
      if (!fs.rename(tmp, target)) {
        if (old != null) {
          fs.rename(old, target);
        }
        throw new IOException("rename of " + tmp + " to " + target + " failed");
      }
      if (old != null) {
        fs.delete(old, true);
      }
    } catch (Exception e) { // includes SparkException, thrown undeclared from Scala code
      try {
        fs.delete(tmp, true);
      } catch (IOException ignored) {
        // the original failure matters more
      }
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      throw new IllegalStateException("cannot write output " + out + ": " + e.getMessage(), e);
    }
  }

  /** CSV has no arrays, maps, structs or vectors: such columns are written as JSON text. */
  static Dataset<Row> flattenForCsv(Dataset<Row> df) {
    StructType schema = df.schema();
    Column[] cols = new Column[schema.size()];
    for (int i = 0; i < cols.length; i++) {
      StructField f = schema.fields()[i];
      Column c = df.col("`" + f.name().replace("`", "``") + "`");
      if (f.dataType() instanceof UserDefinedType) {
        c = functions.to_json(functions.struct(
            org.apache.spark.ml.functions.vector_to_array(c, "float64").as("v"))).as(f.name());
        c = functions.regexp_extract(c, "^\\{\"v\":(.*)\\}$", 1).as(f.name());
      } else if (f.dataType() instanceof ArrayType || f.dataType() instanceof MapType
          || f.dataType() instanceof StructType) {
        c = functions.to_json(c).as(f.name());
      }
      cols[i] = c;
    }
    return df.select(cols);
  }
}
