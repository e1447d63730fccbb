package org.adpo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.adpo.data.PoolFormat;
import org.adpo.data.PoolReader;
import org.adpo.error.AdpoException;
import org.adpo.error.BadInputException;
import org.adpo.error.UsageException;
import org.adpo.eval.SelectionInput;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads the output directory of {@code bin/adpo select} for evaluation: the ids of
 * {@code DIR/selection} (Parquet, JSON Lines, CSV or Delta, detected from the files) in {@code rank}
 * order, and the algorithm, beta and lambda of {@code DIR/report.json} when it exists.
 */
public final class SelectionReader {
  private SelectionReader() {}

  /**
   * Reads {@code spec}, which is {@code NAME=DIR} or {@code DIR}. Without NAME the selection is
   * named by its report's algorithm, else by the directory's name. {@code idColumn} is the pool's id
   * column name (the selection carries the pool's columns).
   */
  public static SelectionInput read(SparkSession spark, String spec, String idColumn) {
    String name = null;
    String dir = spec;
    int eq = spec.indexOf('=');
    if (eq > 0 && spec.substring(0, eq).indexOf('/') < 0) {
      name = spec.substring(0, eq).trim();
      dir = spec.substring(eq + 1).trim();
    }
    if (dir.isEmpty()) {
      throw new UsageException("--selection expects NAME=DIR or DIR, got '" + spec + "'");
    }
    Path root = new Path(dir);
    Path selection = new Path(root, "selection");
    FileSystem fs;
    PoolFormat format;
    try {
      fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        throw new BadInputException("selection directory not found: " + dir);
      }
      if (!fs.exists(selection)) {
        throw new BadInputException("selection directory " + dir + " has no 'selection' inside; expected the"
            + " --output directory of bin/adpo select");
      }
      format = detect(fs, selection);
    } catch (IOException e) {
      throw new BadInputException("cannot read selection " + dir + ": " + e.getMessage(), e);
    }

    String algorithm = null;
    Double beta = null;
    Double lambda = null;
    SelectionInput.PoolRecord madeFrom = null;
    Path reportPath = new Path(root, "report.json");
    try {
      if (fs.exists(reportPath)) {
        try (InputStream in = fs.open(reportPath)) {
          JsonNode report = new ObjectMapper().readTree(in);
          algorithm = report.path("algorithm").isTextual() ? report.get("algorithm").asText() : null;
          JsonNode settings = report.path("settings");
          beta = settings.path("beta").isNumber() ? settings.get("beta").asDouble() : null;
          lambda = settings.path("lambda").isNumber() ? settings.get("lambda").asDouble() : null;
          JsonNode pool = report.path("pool");
          if (pool.isObject()) {
            madeFrom = new SelectionInput.PoolRecord(
                pool.path("source").isTextual() ? pool.get("source").asText() : null,
                pool.path("rows").isIntegralNumber() ? pool.get("rows").asLong() : null,
                pool.path("dimension").isIntegralNumber() ? pool.get("dimension").asInt() : null,
                pool.path("fingerprint").isTextual() ? pool.get("fingerprint").asText() : null);
          }
        }
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read " + reportPath + ": " + e.getMessage(), e);
    }
    if (name == null || name.isEmpty()) {
      name = algorithm != null ? algorithm : root.getName();
    }

    List<Object> ids = ids(spark, selection.toString(), format, idColumn, dir);
    if (ids.isEmpty()) {
      throw new BadInputException("selection " + dir + " is empty");
    }
    return new SelectionInput(name, dir, ids, algorithm, beta, lambda, madeFrom);
  }

  private static PoolFormat detect(FileSystem fs, Path dir) throws IOException {
    PoolFormat f = org.adpo.data.PoolReader.formatOf(fs, fs.getFileStatus(dir));
    if (f == null) {
      throw new BadInputException("cannot tell the format of " + dir + ": no _delta_log and no .parquet, .json or .csv part file");
    }
    return f;
  }

  /** The ids in rank order. CSV is read as text (no type inference), so ids are never reinterpreted. */
  private static List<Object> ids(SparkSession spark, String path, PoolFormat format, String idColumn, String dir) {
    try {
      Dataset<Row> frame;
      switch (format) {
        case PARQUET:
          frame = spark.read().parquet(path);
          break;
        case JSONL:
          frame = spark.read().option("mode", "FAILFAST").json(path);
          break;
        case DELTA:
          org.adpo.data.DeltaSupport.require(spark, "Delta selection " + dir);
          frame = spark.read().format("delta").load(path);
          break;
        default:
          frame = spark.read().option("header", "true").option("mode", "FAILFAST").csv(path);
          break;
      }
      for (String col : new String[] {idColumn, "rank"}) {
        if (!Arrays.asList(frame.columns()).contains(col)) {
          throw new BadInputException("selection " + dir + " has no column '" + col + "'; its columns are "
              + Arrays.toString(frame.columns()) + (col.equals("rank") ? "" : " (set the pool's id column with"
              + " --column id=NAME)"));
        }
      }
      SparkJobs.describe(spark, "evaluate: read selection " + dir);
      List<Row> rows = frame.select(functions.col("`" + idColumn + "`"), functions.col("rank")).collectAsList();
      long[] ranks = new long[rows.size()];
      Integer[] order = new Integer[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        if (r.isNullAt(0) || r.isNullAt(1)) {
          throw new BadInputException("selection " + dir + " has a row with a null " + (r.isNullAt(0) ? "id" : "rank"));
        }
        Object rank = r.get(1);
        try {
          ranks[i] = rank instanceof Number ? ((Number) rank).longValue() : Long.parseLong(rank.toString().trim());
        } catch (NumberFormatException e) {
          throw new BadInputException("selection " + dir + ": rank '" + rank + "' is not an integer");
        }
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(ranks[a], ranks[b]));
      List<Object> ids = new ArrayList<>(rows.size());
      Map<Object, Long> seen = new HashMap<>();
      for (int k = 0; k < order.length; k++) {
        int i = order[k];
        if (k > 0 && ranks[i] == ranks[order[k - 1]]) {
          throw new BadInputException("selection " + dir + ": rank " + ranks[i] + " occurs twice");
        }
        Object id = rows.get(i).get(0);
        Long previous = seen.put(id, ranks[i]);
        if (previous != null) {
          throw new BadInputException("selection " + dir + ": id " + id + " occurs twice (ranks " + previous
              + " and " + ranks[i] + ")");
        }
        ids.add(id);
      }
      return ids;
    } catch (AdpoException e) {
      throw e;
    } catch (Exception e) { // AnalysisException / SparkException, thrown undeclared from Scala code
      throw new BadInputException("cannot read selection " + dir + ": " + PoolReader.rootMessage(e), e);
    }
  }
}
