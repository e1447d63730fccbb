package org.adpo.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Messages for failures to read pool data that never quote the data. Spark's and the parsers'
 * own messages for a malformed JSON or CSV record include the record's text (and a pool's text
 * columns may hold offensive content): such failures are described generically and located by
 * file and record number instead, from a second, tolerant read that only reports where the first
 * bad record is.
 */
public final class InputErrors {
  private InputErrors() {}

  private static final String CORRUPT = "_adpo_corrupt_record";
  private static final String FILE = "_adpo_file";

  /** Message fragments of failures whose text quotes a record (Spark, Jackson, univocity, casts). */
  private static final List<String> QUOTING = List.of("malformed", "jsonparseexception", "jsonprocessingexception",
      "textparsingexception", "for input string", "cast_invalid_input", "unexpected character",
      "unexpected end-of-input", "unrecognized token", "badrecordexception", "partialresultexception");

  /** True when the failure, or any cause, comes from parsing a record: its message may quote data. */
  public static boolean quotesData(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String text = (t.getClass().getName() + " " + t.getMessage()).toLowerCase(Locale.ROOT);
      for (String q : QUOTING) {
        if (text.contains(q)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A printable reason for a failed read of {@code path}: the innermost message when it cannot
   * quote data, otherwise which record of which file is malformed (found by a tolerant re-read;
   * {@code schema} is the schema of the failed read, or null when reading the schema failed).
   */
  public static String reason(SparkSession spark, String path, StructType schema, Throwable e) {
    if (!quotesData(e)) {
      return PoolReader.rootMessage(e);
    }
    boolean csv = isCsv(path, e);
    String what = csv ? "CSV with the header's columns" : "a JSON object";
    String where;
    try {
      where = locate(spark, path, schema, csv);
    } catch (Exception ignored) { // the locating read failed too: say what is known
      where = null;
    }
    return (where == null ? "a malformed record" : where + " is malformed") + " (it does not parse as " + what
        + "; the record's text is not printed)";
  }

  private static boolean isCsv(String path, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("CSV") || t.getClass().getName().contains("univocity")) {
        return true;
      }
    }
    return PoolFormat.fromFileName(path) == PoolFormat.CSV;
  }

  /** "record N of file F" for the first record the tolerant reader marks as corrupt, or null. */
  static String locate(SparkSession spark, String path, StructType schema, boolean csv) {
    org.apache.spark.sql.DataFrameReader reader = spark.read().option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT);
    if (schema != null) {
      List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
      fields.add(DataTypes.createStructField(CORRUPT, DataTypes.StringType, true));
      reader = reader.schema(DataTypes.createStructType(fields));
    } else if (csv) {
      reader = reader.option("inferSchema", "true");
    }
    Dataset<Row> df = csv ? reader.option("header", "true").csv(path) : reader.json(path);
    if (!List.of(df.columns()).contains(CORRUPT)) {
      return null;
    }
    // All columns are kept in the projection: Spark refuses queries that reference only the corrupt
    // record column of a raw file, and the corrupt column is filled only when the row is parsed.
    org.apache.spark.api.java.JavaPairRDD<Tuple2<Boolean, String>, Long> indexed = df
        .withColumn(FILE, functions.input_file_name()).javaRDD()
        .map(r -> new Tuple2<>(!r.isNullAt(r.fieldIndex(CORRUPT)), r.getString(r.fieldIndex(FILE))))
        .zipWithIndex();
    List<Tuple2<Long, String>> first = indexed.filter(t -> t._1()._1())
        .map(t -> new Tuple2<>(t._2(), t._1()._2()))
        .sortBy(t -> t._1(), true, 1)
        .take(1);
    if (first.isEmpty()) {
      return null;
    }
    // Records of one file come in file order: the bad record's number is the count of that file's
    // records up to it.
    long at = first.get(0)._1();
    String file = first.get(0)._2();
    long n = indexed.filter(t -> t._2() <= at && t._1()._2().equals(file)).count();
    String name = new org.apache.hadoop.fs.Path(file).getName();
    String shown = new org.apache.hadoop.fs.Path(path).getName().equals(name) ? path : path + "/" + name;
    return "record " + n + " of file " + shown;
  }
}
