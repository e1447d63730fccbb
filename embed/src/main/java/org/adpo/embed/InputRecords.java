package org.adpo.embed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.adpo.data.PoolReader;
import org.adpo.error.BadInputException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The records of an input file as (JSON object text, 0-based index) in file order, whatever the
 * file holds: JSON Lines (gzip or not, by the name as Spark's text reader decides; the index is the
 * line index, blank lines keep theirs), Parquet (a file starting with "PAR1" or a directory; each
 * row rendered as JSON, indexed in Spark's read order) or one JSON array of objects (read whole;
 * the index is the element's). Messages name the record as "line L", "row R" or "element E".
 */
final class InputRecords {
  /** What was read: the records, the word for one record in messages, and the file kind. */
  record Opened(JavaRDD<Tuple2<String, Long>> records, String unit, String kind) {}

  private InputRecords() {}

  static Opened open(SparkSession spark, String input, long limit) {
    String kind = kind(spark, input);
    JavaRDD<Tuple2<String, Long>> records;
    String unit;
    try {
      switch (kind) {
        case "parquet":
          records = spark.read().parquet(input).toJSON().javaRDD().zipWithIndex().rdd().toJavaRDD();
          unit = "row";
          break;
        case "json array":
          records = spark.read().option("multiLine", "true").option("mode", "FAILFAST").json(input).toJSON()
              .javaRDD().zipWithIndex().rdd().toJavaRDD();
          unit = "element";
          break;
        default:
          records = JavaSparkContext.fromSparkContext(spark.sparkContext()).textFile(input).zipWithIndex().rdd()
              .toJavaRDD();
          unit = "line";
      }
    } catch (Exception e) { // Spark's undeclared checked exceptions and AnalysisException
      if (kind.equals("json array")) {
        throw new BadInputException(input + " starts with '[' but does not parse as a JSON array of objects ("
            + PoolReader.rootMessage(e) + "); convert it to JSON Lines, one object per line (for example"
            + " jq -c '.[]' FILE > FILE.jsonl)", e);
      }
      throw new BadInputException("cannot read input " + input + " as " + kind + ": " + PoolReader.rootMessage(e), e);
    }
    if (limit >= 0) {
      records = records.filter(t -> t._2() < limit);
    }
    return new Opened(records.filter(t -> !t._1().isBlank()), unit, kind);
  }

  /** "parquet", "json array" or "json lines", from the file's first bytes (a directory: parquet). */
  static String kind(SparkSession spark, String input) {
    try {
      Path p = new Path(input);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new BadInputException("input not found: " + input);
      }
      FileStatus st = fs.getFileStatus(p);
      if (st.isDirectory()) {
        return "parquet";
      }
      byte[] head = new byte[4];
      int n;
      try (InputStream in = fs.open(p)) {
        n = in.readNBytes(head, 0, 4);
      }
      if (n == 4 && new String(head, StandardCharsets.US_ASCII).equals("PAR1")) {
        return "parquet";
      }
      CompressionCodec codec = new CompressionCodecFactory(spark.sparkContext().hadoopConfiguration()).getCodec(p);
      if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b && codec == null) {
        throw new BadInputException(input + " is gzip-compressed but its name does not end in .gz; rename it"
            + " to " + p.getName() + ".gz");
      }
      try (InputStream raw = fs.open(p); InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
        int c;
        do {
          c = in.read();
        } while (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xEF || c == 0xBB || c == 0xBF);
        return c == '[' ? "json array" : "json lines";
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read input " + input + ": " + e.getMessage(), e);
    }
  }
}
