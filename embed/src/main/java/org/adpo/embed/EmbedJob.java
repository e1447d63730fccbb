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
 * Text pairs to a pool on Spark. The input's records ({@link InputRecords}: JSON Lines, Parquet or
 * a JSON array) are read with their 0-based index; the layout is fixed on the first record
 * ({@link PairParser#decide}); a first pass parses every record, stops at the first bad one (so
 * nothing is written) and gathers the counts, the id type and the types of the pass-through fields;
 * the second pass parses again, spreads the records over the partitions and embeds them with the
 * JVM's one {@link MiniLm} encoder. Output rows: {@code id} (the record index, or the id field's
 * value), {@code phi} = emb(y1) - emb(y2), {@code b}, {@code s} (1 when y1 is the chosen response,
 * by {@link PairSwap}), {@code truncated}, {@code y1_is_chosen} (s as a boolean: it stays when a
 * later step replaces s by a person's label, so an export can still tell which text is y1), the
 * text columns with {@code keepText}, then the input's other fields, in record order.
 */
public final class EmbedJob {
  /**
   * What a run asks for. {@code limit} < 0 means every record; {@code partitions} <= 0 Spark's
   * default; {@code extras}: pass the input's other fields through to the pool.
   */
  public record Settings(String input, long seed, int partitions, PairParser.Layout layout,
      PairParser.Columns columns, long limit, boolean keepText, boolean extras) {
    /** The defaults of bin/adpo embed, with this input, layout and reference field. */
    public static Settings of(String input, long seed, int partitions, String referenceColumn,
        PairParser.Layout layout, long limit, boolean keepText) {
      PairParser.Columns c = PairParser.Columns.defaults();
      if (referenceColumn != null) {
        c = c.with("reference", referenceColumn);
      }
      return new Settings(input, seed, partitions, layout, c, limit, keepText, true);
    }
  }

  /** What a run produced: counts from the embedding pass, the layout and why, and the pool's schema. */
  public record Outcome(long rows, long labelledOne, long truncated, double embedSeconds, long ties,
      PairParser.Resolved layout, String unit, StructType schema, Profile profile) {}

  /**
   * Where the embedding tasks spent their time, summed over tasks, in seconds: getting the model
   * (loading it, or waiting for another task of the JVM to load it), cutting texts into word pieces,
   * running the model (with the mean and norm), and the rest of the task (rows, accumulators).
   */
  public record Profile(int tasks, double model, double tokenize, double run, double rest) {}

  /** The embedding pass's counters (accumulators, so they are summed over tasks). */
  record Counters(LongAccumulator ones, LongAccumulator cut, LongAccumulator loadNs, LongAccumulator tokenizeNs,
      LongAccumulator runNs, LongAccumulator taskNs) implements java.io.Serializable {
    static Counters of(SparkSession spark) {
      org.apache.spark.SparkContext sc = spark.sparkContext();
      return new Counters(sc.longAccumulator("s=1"), sc.longAccumulator("truncated"), sc.longAccumulator("load ns"),
          sc.longAccumulator("tokenize ns"), sc.longAccumulator("model ns"), sc.longAccumulator("task ns"));
    }

    Profile profile(int tasks) {
      double rest = taskNs.value() - loadNs.value() - tokenizeNs.value() - runNs.value();
      return new Profile(tasks, loadNs.value() / 1e9, tokenizeNs.value() / 1e9, runNs.value() / 1e9, rest / 1e9);
    }
  }

  /** A checked input: how to parse it and what the first pass found. */
  record Checked(InputRecords.Opened input, PairParser.Resolved layout, long rows, long ties, long maxIndex,
      StructType schema) {}

  /** Embedding tasks per core (Spark's default parallelism) when --partitions is not given. */
  static final int TASKS_PER_CORE = 4;

  /** Pool columns before the pass-through ones. */
  static final List<String> BASE = List.of("id", "phi", "b", "s", "truncated", "y1_is_chosen");
  static final List<String> TEXT = List.of("chosen_prompt", "chosen", "rejected_prompt", "rejected");

  private EmbedJob() {}

  /** The parsed records (not yet checked), in file order. */
  static JavaRDD<TextPair> parsed(InputRecords.Opened in, PairParser.Resolved layout) {
    return in.records().map(t -> PairParser.parse(t._1(), t._2(), layout));
  }

  /** Reads the first record and fixes the layout; fails with exit code 3 when it fits none. */
  static PairParser.Resolved layout(Settings s, InputRecords.Opened in) {
    List<Tuple2<String, Long>> first;
    try {
      first = in.records().take(1);
    } catch (Exception e) {
      throw new BadInputException("cannot read " + s.input() + ": " + org.adpo.data.PoolReader.rootMessage(e), e);
    }
    if (first.isEmpty()) {
      throw new BadInputException(s.input() + ": no rows");
    }
    String where = s.input() + " " + in.unit() + " " + (first.get(0)._2() + 1) + ": ";
    com.fasterxml.jackson.databind.JsonNode row = PairParser.object(first.get(0)._1());
    if (row == null) { // the parser says how it is broken
      TextPair t = PairParser.parse(first.get(0)._1(), first.get(0)._2(),
          new PairParser.Resolved(PairParser.Layout.TRIPLE, s.columns(), ""));
      throw new BadInputException(where + t.error);
    }
    String[] error = new String[1];
    PairParser.Resolved r = PairParser.decide(row, s.layout(), s.columns(), error);
    if (r == null) {
      throw new BadInputException(where + error[0]);
    }
    return r;
  }

  /** Fails with exit code 3 naming the file and record of the first bad one; else what the input holds. */
  static Checked check(SparkSession spark, Settings s) {
    InputRecords.Opened in = InputRecords.open(spark, s.input(), s.limit());
    PairParser.Resolved layout = layout(s, in);
    JavaRDD<TextPair> rows = parsed(in, layout);
    List<TextPair> bad;
    RecordStats stats;
    try {
      // take() scans partitions in order, so this is the bad record with the smallest index.
      bad = rows.filter(TextPair::bad).take(1);
      stats = bad.isEmpty() ? rows.aggregate(new RecordStats(), RecordStats::add, RecordStats::merge) : null;
    } catch (Exception e) { // Spark's undeclared checked SparkException
      throw new BadInputException("cannot read " + s.input() + ": " + org.adpo.data.PoolReader.rootMessage(e), e);
    }
    if (!bad.isEmpty()) {
      throw new BadInputException(s.input() + " " + in.unit() + " " + bad.get(0).line + ": " + bad.get(0).error);
    }
    if (stats.rows == 0) {
      throw new BadInputException(s.input() + ": no rows" + (stats.ties > 0 ? " (" + stats.ties + " ties dropped)" : ""));
    }
    String idField = layout.columns().id();
    if (idField != null) {
      List<Tuple2<Object, Long>> dup = rows.filter(TextPair::ok).mapToPair(t -> new Tuple2<>(t.key, 1L))
          .reduceByKey(Long::sum).filter(t -> t._2() > 1).take(1);
      if (!dup.isEmpty()) {
        throw new BadInputException(s.input() + ": duplicate id " + dup.get(0)._1() + " in field '" + idField + "' ("
            + dup.get(0)._2() + " records); ids must be unique");
      }
    }
    return new Checked(in, layout, stats.rows, stats.ties, stats.maxIndex, stats.schema(idField != null, s));
  }

  /** Validates, embeds and writes the pool to {@code out} atomically. */
  public static Outcome run(SparkSession spark, Settings s, String out, PoolFormat format, boolean overwrite) {
    // Claimed before any work and kept until the commit: the rules of io.OutputTarget, the input included.
    try (org.adpo.io.OutputTarget target = org.adpo.io.OutputTarget.claim(spark.sparkContext().hadoopConfiguration(),
        out, overwrite, "embed", List.of(new org.adpo.io.OutputTarget.Input(s.input(), "--input")))) {
      Checked c = check(spark, s);
      Counters n = Counters.of(spark);
      Dataset<Row> pool = embed(spark, s, c, n);
      long t0 = System.nanoTime();
      SelectionWriter.writeFrame(pool, target, format);
      double seconds = (System.nanoTime() - t0) / 1e9;
      return outcome(c, n, pool, seconds);
    }
  }

  private static Outcome outcome(Checked c, Counters n, Dataset<Row> pool, double seconds) {
    return new Outcome(c.rows(), n.ones().value(), n.cut().value(), seconds, c.ties(), c.layout(), c.input().unit(),
        c.schema(), n.profile(pool.rdd().getNumPartitions()));
  }

  /**
   * The pool as a DataFrame (lazy; the input must have been checked). Records are spread over the
   * partitions by contiguous index ranges and sorted within each, so the pool comes out in record
   * order without a sort after embedding (which would embed twice: Spark samples a sort's input
   * first). {@code n} may be null.
   */
  static Dataset<Row> embed(SparkSession spark, Settings s, Checked c, Counters n) {
    // Several tasks per core by default: the model runs one sequence at a time on one thread per
    // task, so throughput is the cores', and short tasks keep them all busy to the end (with one
    // task per core, the one with the longest texts finishes alone).
    int p = s.partitions() > 0 ? s.partitions() : TASKS_PER_CORE * spark.sparkContext().defaultParallelism();
    p = (int) Math.max(1, Math.min(p, c.rows()));
    long seed = s.seed();
    boolean keep = s.keepText();
    StructType schema = c.schema();
    // indices are at most the last record's: ranges over [0, maxIndex] (blank lines and ties leave gaps)
    IdRanges ranges = new IdRanges(p, c.maxIndex() + 1);
    JavaRDD<TextPair> spread = parsed(c.input(), c.layout()).filter(TextPair::ok)
        .mapToPair(t -> new Tuple2<>(t.id, t))
        .repartitionAndSortWithinPartitions(ranges)
        .values();
    JavaRDD<Row> embedded = spread.mapPartitions(it -> embedPartition(it, seed, keep, schema, n));
    return spark.createDataFrame(embedded, schema);
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

  static Iterator<Row> embedPartition(Iterator<TextPair> it, long seed, boolean keepText, StructType schema,
      Counters n) {
    long start = System.nanoTime();
    MiniLmEncoder enc = MiniLm.encoder();
    if (n != null) {
      n.loadNs().add(System.nanoTime() - start);
    }
    int first = BASE.size() + (keepText ? TEXT.size() : 0);
    return new Iterator<Row>() {
      boolean done;

      @Override
      public boolean hasNext() {
        boolean more = it.hasNext();
        if (!more && !done && n != null) {
          done = true;
          n.taskNs().add(System.nanoTime() - start);
        }
        return more;
      }

      @Override
      public Row next() {
        TextPair t = it.next();
        int s = PairSwap.label(seed, t.id);
        String p1 = s == 1 ? t.chosenPrompt : t.rejectedPrompt;
        String y1 = s == 1 ? t.chosen : t.rejected;
        String p2 = s == 1 ? t.rejectedPrompt : t.chosenPrompt;
        String y2 = s == 1 ? t.rejected : t.chosen;
        long t0 = System.nanoTime();
        long[] a1 = enc.pieces(p1);
        long[] r1 = enc.pieces(y1);
        long[] a2 = p2.equals(p1) ? a1 : enc.pieces(p2); // one prompt (triple, pairwise, most dialogues)
        long[] r2 = enc.pieces(y2);
        long[] w1 = enc.join(a1, r1);
        long[] w2 = enc.join(a2, r2);
        long t1 = System.nanoTime();
        float[] e1 = enc.embedIds(w1);
        float[] e2 = enc.embedIds(w2);
        long t2 = System.nanoTime();
        double[] phi = new double[e1.length];
        for (int j = 0; j < phi.length; j++) {
          phi[j] = (double) e1[j] - e2[j];
        }
        boolean truncated = TokenWindow.cuts(a1.length, r1.length, MiniLmEncoder.WINDOW)
            || TokenWindow.cuts(a2.length, r2.length, MiniLmEncoder.WINDOW);
        if (n != null) {
          n.ones().add(s);
          n.cut().add(truncated ? 1 : 0);
          n.tokenizeNs().add(t1 - t0);
          n.runNs().add(t2 - t1);
        }
        return row(t, phi, s, truncated, keepText, schema, first);
      }
    };
  }

  /** One pool row in {@code schema}'s column order. */
  static Row row(TextPair t, double[] phi, int s, boolean truncated, boolean keepText, StructType schema, int first) {
    Object[] v = new Object[schema.size()];
    v[0] = t.key != null ? (schema.fields()[0].dataType() == DataTypes.StringType ? t.key.toString() : t.key) : t.id;
    v[1] = phi;
    v[2] = s == 1 ? t.reference : 0.0 - t.reference; // 0.0 - x: no -0.0 in the pool
    v[3] = s;
    v[4] = truncated;
    v[5] = s == 1;
    if (keepText) {
      v[6] = t.chosenPrompt;
      v[7] = t.chosen;
      v[8] = t.rejectedPrompt;
      v[9] = t.rejected;
    }
    if (first < v.length && t.extras != null) {
      RecordStats.fill(t.extras, schema, first, v);
    }
    return RowFactory.create(v);
  }
}
