package org.adpo.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.adpo.data.DeltaSupport;
import org.adpo.data.PoolFormat;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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



  /** Fills a directory; may throw. */
  public interface Filler {
    void fill(FileSystem fs, Path dir) throws IOException;
  }

  /**
   * Writes {@code selection/} in {@code format}, {@code report.json} and {@code report.html} rendered
   * from the report by {@code html} (null: none) into the claimed {@code target}, in one atomic step.
   */
  public static <R> void write(Dataset<Row> selection, java.util.function.Supplier<R> report,
      java.util.function.Function<R, String> html, OutputTarget target, PoolFormat format) {
    target.commit((fs, tmp) -> {
      writeFrame(selection.coalesce(1), new Path(tmp, "selection"), format);
      R r = report.get();
      writeText(fs, tmp, "report.json", ReportJson.toJson(r));
      if (html != null) {
        writeText(fs, tmp, "report.html", html.apply(r));
      }
    });
  }

  /** Writes one text file (UTF-8) into {@code dir}, without a checksum file next to it. */
  public static void writeText(FileSystem fs, Path dir, String name, String text) throws IOException {
    writeBytes(fs, dir, name, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes one file into {@code dir}; on a checksummed file system (the local one) through its raw file
   * system, so no {@code .crc} file stands next to it.
   */
  public static void writeBytes(FileSystem fs, Path dir, String name, byte[] bytes) throws IOException {
    FileSystem target = fs instanceof org.apache.hadoop.fs.ChecksumFileSystem
        ? ((org.apache.hadoop.fs.ChecksumFileSystem) fs).getRawFileSystem() : fs;
    try (OutputStream os = target.create(new Path(dir, name), false)) {
      os.write(bytes);
    }
  }

  /** Writes a DataFrame as the claimed directory itself, atomically. */
  public static void writeFrame(Dataset<Row> frame, OutputTarget target, PoolFormat format) {
    target.commit((fs, tmp) -> writeFrame(frame, tmp, format));
  }

  /** Writes a DataFrame in {@code format} as the new directory {@code dir} (inside a claimed target's commit). */
  public static void writeFrameInto(Dataset<Row> frame, Path dir, PoolFormat format) {
    writeFrame(frame, dir, format);
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
        // RFC 4180: a quote inside a quoted field is doubled and a backslash is itself (Spark's default
        // escapes quotes with a backslash, which spreadsheet programs and the labels reader do not read);
        // a field with a line break is quoted, and the pool reader reads such records (multiLine).
        // Spark's CSV writer also trims text fields unless told not to: pass-through text keeps its spaces.
        flattenForCsv(frame).write().option("header", "true").option("escape", "\"")
            .option("ignoreLeadingWhiteSpace", "false").option("ignoreTrailingWhiteSpace", "false")
            .csv(dir.toString());
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



  /** CSV has no arrays, maps, structs or vectors: such columns are written as JSON text. */
  public static Dataset<Row> flattenForCsv(Dataset<Row> df) {
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
