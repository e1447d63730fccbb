package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.adpo.testing.DefaultLineOnly;
import org.adpo.testing.Pools;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code bin/adpo select} writes, value by value: every selected row carries every input
 * column with the input's value (phi and b included, doubles bit for bit), pass-through text with
 * quotes, commas, newlines and non-ASCII characters, an ML Vector column and nulls, plus rank 1..n.
 * The expected values come from the rows as this test generated them, not from another output of
 * the same writer. JSON Lines is parsed with Jackson line by line, CSV with a test-side parser of
 * Spark's dialect. The Spark 4.0 line runs the CSV case only (each bin/adpo run costs ~15 s).
 */
class SelectOutputContentsIT {
  @org.junit.jupiter.api.io.TempDir static Path dir;
  static SparkSession spark;
  static Pools pool;
  static final int BUDGET = 20;
  /** Input rows by id, as generated. */
  static final Map<Long, Object[]> INPUT = new HashMap<>();
  /** Columns never null in this pool (JSON Lines leaves out null fields, so note and tag may be absent). */
  static final String[] COLUMNS = {"id", "phi", "b", "s", "emb", "rank", "gain", "weight"};

  static String note(int i) {
    switch (i % 5) {
      case 0:
        return "plain " + i;
      case 1:
        return "he said \"hi\", then left; row " + i;
      case 2:
        return "two\nlines, row " + i + "\r\nand a third";
      case 3:
        return "ünïcødé — 日本語 🙂 \\ back\\slash " + i;
      default:
        return "  leading and trailing spaces, \"\" " + i + "  ";
    }
  }

  @BeforeAll
  static void writePool() {
    pool = Pools.random(120, 5, 10, 23);
    spark = SparkSession.builder().master("local[1]").appName("it").config("spark.ui.enabled", "false").getOrCreate();
    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("phi", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        .add("b", DataTypes.DoubleType, false)
        .add("s", DataTypes.IntegerType, false)
        .add("note", DataTypes.StringType, true)
        .add("tag", DataTypes.IntegerType, true)
        .add("emb", SQLDataTypes.VectorType(), true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      List<Double> phi = new ArrayList<>();
      for (double x : pool.phi[i]) {
        phi.add(x);
      }
      Vector emb = Vectors.dense(i * 0.1, -1.0 / (i + 3), Math.PI * i);
      Object[] values = {pool.ids[i], phi, pool.b[i], pool.s[i], i % 7 == 6 ? null : note(i),
          i % 4 == 3 ? null : i * 13, emb};
      INPUT.put(pool.ids[i], values);
      rows.add(RowFactory.create(values));
    }
    spark.createDataFrame(rows, schema).coalesce(2).write().parquet(dir.resolve("pool.parquet").toString());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @ParameterizedTest(name = "--output-format {0}")
  @ValueSource(strings = {"parquet", "jsonl"})
  @Tag(DefaultLineOnly.TAG) // the Spark 4.0 line checks the CSV output, the one with the most conversions
  void everySelectedRowCarriesTheInputValuesOfEveryColumn(String format) throws Exception {
    checkOutput(format);
  }

  @Test
  void everySelectedCsvRowCarriesTheInputValuesOfEveryColumn() throws Exception {
    checkOutput("csv");
  }

  private static void checkOutput(String format) throws Exception {
    Path out = dir.resolve("out-" + format);
    CliRunner.Result r = CliRunner.run(dir, "select", "--input", "pool.parquet", "--output", out.toString(),
        "--algorithm", "adpo-plus", "--budget", String.valueOf(BUDGET), "--partitions", "3",
        "--output-format", format);
    assertEquals(0, r.exitCode(), r.all());
    List<Map<String, Object>> rows = read(out.resolve("selection"), format);
    assertEquals(BUDGET, rows.size());
    List<Long> seen = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      for (String c : COLUMNS) {
        assertTrue(row.containsKey(c), "column " + c + " missing from the " + format + " output: " + row.keySet());
      }
      long id = (Long) row.get("id");
      Object[] in = INPUT.get(id);
      assertTrue(in != null, "id " + id + " is not in the pool");
      assertTrue(!seen.contains(id), "id " + id + " written twice");
      seen.add(id);
      String where = format + " row id " + id;
      assertEquals(in[1], row.get("phi"), where + ": phi");
      assertEquals(in[2], row.get("b"), where + ": b");
      assertEquals(((Integer) in[3]).longValue(), row.get("s"), where + ": s");
      assertEquals(in[4], row.get("note"), where + ": note");
      assertEquals(in[5] == null ? null : ((Integer) in[5]).longValue(), row.get("tag"), where + ": tag");
      assertEquals(doubles(((Vector) in[6]).toArray()), row.get("emb"), where + ": emb");
      double gain = (Double) row.get("gain");
      double weight = (Double) row.get("weight");
      assertTrue(gain > 0 && weight > 0 && weight <= 0.25, where + ": gain " + gain + ", weight " + weight);
    }
    List<Long> ranks = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      ranks.add((Long) row.get("rank"));
    }
    List<Long> expected = new ArrayList<>();
    for (long t = 1; t <= BUDGET; t++) {
      expected.add(t);
    }
    ranks.sort(null);
    assertEquals(expected, ranks, "ranks 1.." + BUDGET);
  }

  static List<Double> doubles(double[] a) {
    List<Double> out = new ArrayList<>();
    for (double x : a) {
      out.add(x);
    }
    return out;
  }

  /**
   * The written rows as maps of plain values: integers as Long, reals as Double, vectors (arrays or
   * ML Vectors) as List of Double, text as String, null as null.
   */
  static List<Map<String, Object>> read(Path selection, String format) throws Exception {
    List<Path> parts;
    try (Stream<Path> s = Files.list(selection)) {
      parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    switch (format) {
      case "parquet":
        for (Row row : spark.read().parquet(selection.toString()).collectAsList()) {
          Map<String, Object> m = new HashMap<>();
          for (String name : row.schema().fieldNames()) {
            Object v = row.getAs(name);
            m.put(name, plain(v));
          }
          rows.add(m);
        }
        return rows;
      case "jsonl": {
        ObjectMapper json = new ObjectMapper();
        for (Path p : parts) {
          for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
              continue;
            }
            Map<String, Object> m = new HashMap<>();
            json.readTree(line).fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
            rows.add(m);
          }
        }
        return rows;
      }
      default: {
        ObjectMapper json = new ObjectMapper();
        for (Path p : parts) {
          List<List<String>> records = Csv.parse(Files.readString(p, StandardCharsets.UTF_8));
          List<String> header = records.get(0);
          for (List<String> rec : records.subList(1, records.size())) {
            assertEquals(header.size(), rec.size(), "CSV record " + rec);
            Map<String, Object> m = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
              m.put(header.get(c), csvValue(header.get(c), rec.get(c), json));
            }
            rows.add(m);
          }
        }
        return rows;
      }
    }
  }

  /** CSV cells hold text; the columns of this pool with numbers or vectors (JSON text) are decoded. */
  private static Object csvValue(String column, String cell, ObjectMapper json) throws Exception {
    if (cell == null) {
      return null;
    }
    switch (column) {
      case "id":
      case "s":
      case "tag":
      case "rank":
        return Long.parseLong(cell);
      case "b":
      case "gain":
      case "weight":
        return Double.parseDouble(cell);
      case "phi":
      case "emb":
        return plain(json.readTree(cell));
      default:
        return cell;
    }
  }

  private static Object plain(JsonNode n) {
    if (n.isNull()) {
      return null;
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isArray()) {
      List<Object> out = new ArrayList<>();
      n.forEach(e -> out.add(plain(e)));
      if (out.stream().allMatch(x -> x instanceof Long)) {
        out.replaceAll(x -> ((Long) x).doubleValue()); // [1, 2] written without decimals
      }
      return out;
    }
    if (n.isObject() && n.has("values")) { // an ML Vector as Spark writes it to JSON
      return plain(n.get("values"));
    }
    return n.asText();
  }

  private static Object plain(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      return ((Number) v).longValue();
    }
    if (v instanceof Vector) {
      return doubles(((Vector) v).toArray());
    }
    if (v instanceof scala.collection.Seq) {
      List<Object> out = new ArrayList<>();
      scala.collection.Iterator<?> it = ((scala.collection.Seq<?>) v).iterator();
      while (it.hasNext()) {
        out.add(plain(it.next()));
      }
      return out;
    }
    return v;
  }

  /**
   * A reader of RFC 4180 CSV, the dialect the CSV output is written in: fields separated by commas,
   * records by LF (or CRLF); a quoted field may hold commas and newlines, a doubled quote inside it is
   * a quote and a backslash is itself. An empty unquoted field is null, {@code ""} the empty string.
   */
  static final class Csv {
    static List<List<String>> parse(String text) {
      List<List<String>> records = new ArrayList<>();
      List<String> rec = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      boolean wasQuoted = false;
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            f.append('"');
            i += 2;
            continue;
          }
          if (c == '"') {
            quoted = false;
          } else {
            f.append(c);
          }
          i++;
          continue;
        }
        if (c == '"' && f.length() == 0) {
          quoted = true;
          wasQuoted = true;
        } else if (c == ',') {
          rec.add(field(f, wasQuoted));
          wasQuoted = false;
        } else if (c == '\n' || c == '\r') {
          rec.add(field(f, wasQuoted));
          wasQuoted = false;
          records.add(rec);
          rec = new ArrayList<>();
          if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
            i++;
          }
        } else {
          f.append(c);
        }
        i++;
      }
      if (f.length() > 0 || wasQuoted || !rec.isEmpty()) {
        rec.add(field(f, wasQuoted));
        records.add(rec);
      }
      return records;
    }

    private static String field(StringBuilder f, boolean wasQuoted) {
      String s = f.toString();
      f.setLength(0);
      return s.isEmpty() && !wasQuoted ? null : s;
    }
  }
}
