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

  /**
   * Refuses, before Spark starts, an input that does not exist (the same message as {@link #read});
   * a path whose file system cannot be reached yet is left to {@link #read}.
   */
  public static void requireExists(Configuration hadoop, String path) {
    if (path == null || path.isBlank()) {
      throw new UsageException("the input path is empty");
    }
    try {
      Path p = new Path(path);
      if (!p.getFileSystem(hadoop).exists(p)) {
        throw new BadInputException("input not found: " + path);
      }
    } catch (IOException | IllegalArgumentException e) {
      // judged again, with Spark's configuration, by read
    }
  }

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
      if (status.isFile()) {
        requireReadable(fs, p, path);
      } else {
        // Spark skips data files it cannot list or open (a dangling link) and then only says it cannot
        // infer a schema; opening the first data files here names the file at fault.
        int checked = 0;
        boolean any = false;
        if (fs instanceof org.apache.hadoop.fs.LocalFileSystem) {
          any = checkLocalDirectory(((org.apache.hadoop.fs.LocalFileSystem) fs).pathToFile(p).toPath(), path);
        }
        boolean delta = fs.exists(new Path(p, "_delta_log"));
        for (FileStatus child : fs.listStatus(p)) {
          String n = child.getPath().getName();
          if (n.startsWith("_") || n.startsWith(".")) {
            continue;
          }
          if (child.isDirectory() && !n.contains("=") && !delta) {
            // Spark's readers skip such a directory (only KEY=VALUE partition directories are read).
            throw new BadInputException("input directory " + path + " holds the subdirectory '"
                + org.adpo.error.Shown.value(n) + "', whose files a pool's reader would skip silently: move them"
                + " up into " + path + " or remove the subdirectory");
          }
          any = true;
          if (!child.isDirectory() && checked++ < 16) {
            requireReadable(fs, child.getPath(), path + "/" + n);
          }
        }
        // A Delta table's data may all be referenced from its log; the Delta reader judges that folder.
        if (!any && !fs.exists(new Path(p, "_delta_log"))) {
          throw new BadInputException("input is an empty directory: " + path);
        }
      }
      PoolFormat f = "auto".equalsIgnoreCase(format.trim()) ? detect(fs, status, path) : PoolFormat.parse(format, "input format");
      if (f == PoolFormat.PARQUET && status.isDirectory()) {
        requireSameParquetColumns(fs, p, path, hadoop);
      }
      return open(spark, path, f);
    } catch (IOException e) {
      throw new BadInputException("cannot read input " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the first visible entries of a local directory that are not directories, dangling links
   * included (Hadoop's listing leaves those out); true when the directory has any visible entry.
   */
  private static boolean checkLocalDirectory(java.nio.file.Path dir, String shown) throws IOException {
    boolean any = false;
    int checked = 0;
    try (java.nio.file.DirectoryStream<java.nio.file.Path> entries = java.nio.file.Files.newDirectoryStream(dir)) {
      for (java.nio.file.Path e : entries) {
        String n = e.getFileName().toString();
        if (n.startsWith("_") || n.startsWith(".")) {
          continue;
        }
        any = true;
        if (!java.nio.file.Files.isDirectory(e) && checked++ < 16) {
          try (java.io.InputStream in = java.nio.file.Files.newInputStream(e)) {
            in.read();
          } catch (IOException x) {
            throw new BadInputException("input is not readable: " + shown + "/" + n + " ("
                + x.getClass().getSimpleName() + ": " + x.getMessage() + ")", x);
          }
        }
      }
    }
    return any;
  }

  /**
   * Spark takes a Parquet directory's schema from one part file (which one depends on the names), so a
   * column that other files lack, or have with another type, would be dropped or nulled silently: every
   * part file's footer is read (footers only) and compared with the first one.
   */
  private static void requireSameParquetColumns(FileSystem fs, Path dir, String shown, Configuration hadoop)
      throws IOException {
    java.util.List<FileStatus> parts = new java.util.ArrayList<>();
    collectParquet(fs, dir, parts);
    parts.sort(java.util.Comparator.comparing(f -> f.getPath().toString()));
    String firstName = null;
    java.util.Map<String, String> first = null;
    for (FileStatus part : parts) {
      java.util.Map<String, String> cols = new java.util.LinkedHashMap<>();
      try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(
          org.apache.parquet.hadoop.util.HadoopInputFile.fromStatus(part, hadoop))) {
        for (org.apache.parquet.schema.Type t : r.getFooter().getFileMetaData().getSchema().getFields()) {
          cols.put(t.getName(), t.isPrimitive() ? t.asPrimitiveType().getPrimitiveTypeName().name()
              + String.valueOf(t.getLogicalTypeAnnotation()) : "group " + t.asGroupType().getFields().size());
        }
      } catch (IOException | RuntimeException e) {
        throw new BadInputException("cannot read input " + shown + " as parquet: part file "
            + org.adpo.error.Shown.value(relative(dir, part.getPath())) + " is not a readable Parquet file ("
            + rootMessage(e) + ")", e);
      }
      if (first == null) {
        first = cols;
        firstName = relative(dir, part.getPath());
      } else if (!first.equals(cols)) {
        throw new BadInputException("input " + shown + ": part file " + org.adpo.error.Shown.value(relative(dir,
            part.getPath())) + " has the columns " + org.adpo.error.Shown.value(cols.keySet()) + " but part file "
            + org.adpo.error.Shown.value(firstName) + " has " + org.adpo.error.Shown.value(first.keySet())
            + (first.keySet().equals(cols.keySet()) ? " with other types" : "")
            + "; every part file of a pool must have the same columns");
      }
    }
  }

  private static void collectParquet(FileSystem fs, Path dir, java.util.List<FileStatus> out) throws IOException {
    for (FileStatus c : fs.listStatus(dir)) {
      String n = c.getPath().getName();
      if (n.startsWith("_") || n.startsWith(".")) {
        continue;
      }
      if (c.isDirectory()) {
        collectParquet(fs, c.getPath(), out); // KEY=VALUE partition directories
      } else if (n.endsWith(".parquet")) {
        out.add(c);
      }
    }
  }

  private static String relative(Path dir, Path file) {
    String d = dir.toUri().getPath();
    String f = file.toUri().getPath();
    return f.startsWith(d) ? f.substring(d.length()).replaceFirst("^/", "") : file.getName();
  }

  private static void requireReadable(FileSystem fs, Path p, String shown) {
    try (org.apache.hadoop.fs.FSDataInputStream in = fs.open(p)) {
      in.read();
    } catch (IOException e) {
      throw new BadInputException("input is not readable: " + shown + " (" + rootMessage(e) + ")", e);
    }
  }

  static PoolFormat detect(FileSystem fs, FileStatus status, String path) throws IOException {
    PoolFormat f = formatOf(fs, status);
    if (f == null) {
      throw new UsageException(
          "cannot tell the format of input " + path
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
              // RFC 4180 (quotes doubled inside quotes) and quoted line breaks, as the CSV output writes
              .option("escape", "\"")
              .option("multiLine", "true")
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
          "cannot read input " + path + " as " + f.cliName() + ": " + InputErrors.reason(spark, path, null, e), e);
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
