package org.adpo.embed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.adpo.data.PoolFormat;
import org.adpo.error.BadInputException;
import org.adpo.error.UsageException;
import org.adpo.io.SelectionWriter;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Text pairs to a pool on Spark. The JSON Lines input is read as numbered lines; a first pass parses
 * every row and stops at the first bad one (so nothing is written); the second pass parses again,
 * spreads the rows over the partitions and embeds them with the JVM's one {@link MiniLm} encoder.
 * Output rows: {@code id} (0-based line index), {@code phi} = emb(y1) - emb(y2), {@code b},
 * {@code s} (1 when y1 is the chosen response, by {@link PairSwap}) and {@code truncated}, in id
 * order.
 */
public final class EmbedJob {
  /** What a run asks for. {@code limit} < 0 means every row; {@code partitions} <= 0 Spark's default. */
  public record Settings(String input, long seed, int partitions, String referenceColumn,
      PairParser.Format format, long limit, boolean keepText) {}

  /** What a run produced (counts from the embedding pass). */
  public record Outcome(long rows, long labelledOne, long truncated, double embedSeconds) {}

  private EmbedJob() {}

  /** The schema of the pool this job writes. */
  public static StructType schema(boolean keepText) {
    List<StructField> f = new ArrayList<>(List.of(
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("phi", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
        DataTypes.createStructField("b", DataTypes.DoubleType, false),
        DataTypes.createStructField("s", DataTypes.IntegerType, false),
        DataTypes.createStructField("truncated", DataTypes.BooleanType, false)));
    if (keepText) {
      f.add(DataTypes.createStructField("chosen_prompt", DataTypes.StringType, false));
      f.add(DataTypes.createStructField("chosen", DataTypes.StringType, false));
      f.add(DataTypes.createStructField("rejected_prompt", DataTypes.StringType, false));
      f.add(DataTypes.createStructField("rejected", DataTypes.StringType, false));
    }
    return DataTypes.createStructType(f);
  }

  /** The parsed rows (not yet checked), in file order; blank lines are skipped. */
  static JavaRDD<TextPair> parsed(SparkSession spark, Settings s) {
    checkInput(spark, s.input());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<Tuple2<String, Long>> lines = jsc.textFile(s.input()).zipWithIndex().rdd().toJavaRDD();
    long limit = s.limit();
    if (limit >= 0) {
      lines = lines.filter(t -> t._2() < limit);
    }
    PairParser.Format format = s.format();
    String ref = s.referenceColumn();
    return lines.filter(t -> !t._1().isBlank())
        .map(t -> PairParser.parse(t._1(), t._2() + 1, format, ref));
  }

  /** Fails with exit code 3 naming the file and line of the first bad row; returns the row count. */
  public static long validate(SparkSession spark, Settings s) {
    JavaRDD<TextPair> rows = parsed(spark, s);
    List<TextPair> bad;
    long count;
    try {
      // take() scans partitions in order, so this is the bad row with the smallest line number.
      bad = rows.filter(p -> !p.ok()).take(1);
      count = bad.isEmpty() ? rows.count() : 0;
    } catch (Exception e) { // Spark's undeclared checked SparkException
      throw new BadInputException("cannot read " + s.input() + ": " + org.adpo.data.PoolReader.rootMessage(e), e);
    }
    if (!bad.isEmpty()) {
      throw new BadInputException(s.input() + " line " + bad.get(0).line + ": " + bad.get(0).error);
    }
    if (count == 0) {
      throw new BadInputException(s.input() + ": no rows");
    }
    return count;
  }

  private static void checkInput(SparkSession spark, String input) {
    try {
      Path p = new Path(input);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new BadInputException("input not found: " + input);
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read input " + input + ": " + e.getMessage(), e);
    }
  }

  /** Validates, embeds and writes the pool to {@code out} atomically. */
  public static Outcome run(SparkSession spark, Settings s, String out, PoolFormat format, boolean overwrite) {
    SelectionWriter.checkTarget(spark, out, overwrite);
    long rows = validate(spark, s);
    LongAccumulator ones = spark.sparkContext().longAccumulator("s=1");
    LongAccumulator cut = spark.sparkContext().longAccumulator("truncated");
    Dataset<Row> pool = embed(spark, s, rows, ones, cut);
    long t0 = System.nanoTime();
    SelectionWriter.writeFrame(spark, pool, out, format, overwrite);
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Outcome(rows, ones.value(), cut.value(), seconds);
  }

  /**
   * The pool as a DataFrame (lazy; rows must have been validated; {@code rows} is their count).
   * Rows are spread over the partitions by contiguous id ranges and sorted within each, so the pool
   * comes out in id order without a sort after embedding (which would embed twice: Spark samples a
   * sort's input first). Accumulators may be null.
   */
  public static Dataset<Row> embed(SparkSession spark, Settings s, long rows, LongAccumulator ones,
      LongAccumulator cut) {
    int p = s.partitions() > 0 ? s.partitions() : spark.sparkContext().defaultParallelism();
    p = (int) Math.max(1, Math.min(p, rows));
    long seed = s.seed();
    boolean keep = s.keepText();
    // ids are line indices, at most the last line's: ranges over [0, maxId] (blank lines leave gaps)
    JavaRDD<TextPair> parsed = parsed(spark, s);
    long maxId = s.limit() >= 0 ? s.limit() - 1 : -1;
    if (maxId < 0) {
      maxId = parsed.map(t -> t.id).max(java.util.Comparator.naturalOrder());
    }
    IdRanges ranges = new IdRanges(p, maxId + 1);
    JavaRDD<TextPair> spread = parsed.mapToPair(t -> new Tuple2<>(t.id, t))
        .repartitionAndSortWithinPartitions(ranges)
        .values();
    JavaRDD<Row> embedded = spread.mapPartitions(it -> embedPartition(it, seed, keep, ones, cut));
    return spark.createDataFrame(embedded, schema(keep));
  }

  /** Partition k holds the ids in [k n / P, (k + 1) n / P). */
  static final class IdRanges extends org.apache.spark.Partitioner {
    private static final long serialVersionUID = 1L;
    private final int parts;
    private final long n;

    IdRanges(int parts, long n) {
      this.parts = parts;
      this.n = Math.max(1, n);
    }

    @Override
    public int numPartitions() {
      return parts;
    }

    @Override
    public int getPartition(Object key) {
      long id = (Long) key;
      return (int) Math.min(parts - 1, Math.max(0, id * parts / n));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IdRanges r && r.parts == parts && r.n == n;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(n) * 31 + parts;
    }
  }

  static Iterator<Row> embedPartition(Iterator<TextPair> it, long seed, boolean keepText,
      LongAccumulator ones, LongAccumulator cut) {
    MiniLmEncoder enc = MiniLm.encoder();
    return new Iterator<Row>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Row next() {
        TextPair t = it.next();
        int s = PairSwap.label(seed, t.id);
        String p1 = s == 1 ? t.chosenPrompt : t.rejectedPrompt;
        String y1 = s == 1 ? t.chosen : t.rejected;
        String p2 = s == 1 ? t.rejectedPrompt : t.chosenPrompt;
        String y2 = s == 1 ? t.rejected : t.chosen;
        long[] a1 = enc.pieces(p1);
        long[] r1 = enc.pieces(y1);
        long[] a2 = enc.pieces(p2);
        long[] r2 = enc.pieces(y2);
        float[] e1 = enc.embedIds(enc.join(a1, r1));
        float[] e2 = enc.embedIds(enc.join(a2, r2));
        double[] phi = new double[e1.length];
        for (int j = 0; j < phi.length; j++) {
          phi[j] = (double) e1[j] - e2[j];
        }
        boolean truncated = TokenWindow.cuts(a1.length, r1.length, MiniLmEncoder.WINDOW)
            || TokenWindow.cuts(a2.length, r2.length, MiniLmEncoder.WINDOW);
        if (ones != null) {
          ones.add(s);
          cut.add(truncated ? 1 : 0);
        }
        double b = s == 1 ? t.reference : 0.0 - t.reference; // 0.0 - x: no -0.0 in the pool
        if (keepText) {
          return RowFactory.create(t.id, phi, b, s, truncated, t.chosenPrompt, t.chosen, t.rejectedPrompt, t.rejected);
        }
        return RowFactory.create(t.id, phi, b, s, truncated);
      }
    };
  }
}
