package org.adpo.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.adpo.config.SelectionSettings;
import org.adpo.data.PoolBlock;
import org.adpo.data.InputErrors;
import org.adpo.data.PoolCheck;
import org.adpo.data.PoolLayout;
import org.adpo.data.PoolReader;
import org.adpo.error.AdpoException;
import org.adpo.error.BadInputException;
import org.adpo.select.Algorithm;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Validates a pool and decodes it into cached {@link PoolBlock}s, one per partition. Every problem is
 * reported on the driver with the offending row's id, instead of as a failed task: each partition is
 * checked and (integer ids) decoded in the same pass, and the decoded blocks are used only once the
 * merged check found no problem. String ids are checked first and decoded after a sort.
 */
public final class PoolLoader {
  private PoolLoader() {}

  public static LoadedPool load(Dataset<Row> frame, String source, SelectionSettings settings) {
    return load(frame, source, settings, settings.needsLabels());
  }

  /**
   * As {@link #load(Dataset, String, SelectionSettings)}, but {@code needLabels} says whether the
   * label column is required (online rounds labelled by people need no {@code s} in the pool).
   */
  public static LoadedPool load(Dataset<Row> frame, String source, SelectionSettings settings, boolean needLabels) {
    Algorithm algorithm = settings.algorithm();
    PoolLayout layout = PoolLayout.resolve(source, settings.columns(), frame.schema(), needLabels);
    boolean useWeight = algorithm == Algorithm.DOPT && layout.hasWeight();
    Dataset<Row> narrow = frame.select(layout.projection());
    int partitions = partitionsFor(narrow, settings.partitions());
    boolean stringIds = layout.stringIds();
    JavaRDD<Tuple2<PoolCheck, PoolBlock>> both = null;
    try {
      SparkJobs.describe(frame.sparkSession(), "read and validate pool " + source);
      // The check reads whole rows, not the narrow projection: a JSON or CSV reader parses only the
      // columns a query needs, so a record malformed in a pass-through column would otherwise fail
      // only when the output is written. Every problem is found here, before any output exists.
      // With integer ids (their own tie-break order) the same pass decodes the good rows into the
      // partition's PoolBlock, so the input is read once; string ids are ranked by a sort first.
      int[] at = layout.projectedIndices(frame.schema());
      PhaseProgress progress = new PhaseProgress(
          JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext()), "validate pool");
      both = frame.javaRDD()
          .mapPartitionsWithIndex(
              (i, it) -> Collections.singletonList(
                  checkAndDecode(i, PoolLayout.project(it, at), layout, needLabels, useWeight, !stringIds)).iterator(),
              false);
      if (!stringIds) {
        both.persist(StorageLevel.MEMORY_AND_DISK());
      }
      List<PoolCheck> checks;
      try {
        checks = both.map(Tuple2::_1).collect();
      } finally {
        progress.close();
      }
      PoolCheck check = new PoolCheck();
      long[] counts = new long[checks.size()];
      for (int i = 0; i < checks.size(); i++) {
        counts[i] = checks.get(i).rows();
        check.merge(checks.get(i));
      }
      check.raiseIfBad(layout);
      rejectDuplicateIds(frame, layout);
      int d = check.dimension();
      DriverMemory.require(d, settings, layout.source());
      if (partitions > check.rows()) {
        // More partitions than rows only adds empty tasks to every round (--partitions 100000 on 200
        // rows ran for minutes): one row per partition is the most that can help.
        partitions = (int) Math.max(1, check.rows());
      }

      JavaRDD<PoolBlock> blocks;
      if (stringIds) {
        if (partitions > 0) {
          narrow = narrow.repartition(partitions);
        }
        // String ids: the tie-break order is the ids' sort order (Unicode code points).
        JavaRDD<Tuple2<Row, Long>> ordered = narrow.sort(layout.projection()[0]).javaRDD().zipWithIndex().rdd()
            .toJavaRDD();
        if (partitions > 0) {
          ordered = ordered.repartition(partitions);
        }
        blocks = ordered.mapPartitions(it -> decode(it, layout, d), true);
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
      } else {
        JavaRDD<PoolBlock> decoded = both.flatMap(t -> t._2() == null
            ? Collections.<PoolBlock>emptyIterator() : Collections.singletonList(t._2()).iterator());
        blocks = partitions > 0 ? rebalance(decoded, counts, partitions) : decoded;
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        SparkJobs.describe(frame.sparkSession(), "cache pool blocks " + source);
        blocks.count(); // from the cached pass (and a shuffle of whole blocks when rebalanced)
        both.unpersist(false);
        both = null;
      }
      blocks.setName("adpo pool blocks");
      return new LoadedPool(frame, layout, blocks, check.rows(), d, check.ones(), check.zeros());
    } catch (AdpoException e) {
      throw e;
    } catch (Exception e) { // SparkException is checked but thrown undeclared from Scala code
      throw new BadInputException("cannot read input " + source + ": "
          + InputErrors.reason(frame.sparkSession(), source, frame.schema(), e), e);
    } finally {
      if (both != null) {
        both.unpersist(false);
      }
    }
  }

  /**
   * Checks one input partition and, when {@code decode}, decodes its rows into a {@link PoolBlock}
   * in the same pass (null once a row is bad or of another dimension than the first: the check then
   * fails on the driver). A partition stops being decoded at its first problem but is checked to the
   * end, so the counts and dimensions are complete.
   */
  private static Tuple2<PoolCheck, PoolBlock> checkAndDecode(int partition, Iterator<Row> rows, PoolLayout layout,
      boolean needLabels, boolean useWeight, boolean decode) {
    PoolCheck check = PoolCheck.start(needLabels);
    Decoder out = decode ? new Decoder() : null;
    long index = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      double[] phi = check.row(((long) partition << 40) | index, r, layout, useWeight);
      index++;
      if (out != null) {
        if (phi == null || check.bad() || !out.add(r, phi, layout)) {
          out = null;
        }
      }
    }
    return new Tuple2<>(check, out == null || check.bad() ? null : out.block());
  }

  /** Growing primitive arrays of one partition's good rows (integer ids: the ord is the id). */
  private static final class Decoder {
    private int cap = 1024;
    private int n;
    private int d = -1;
    private long[] ord = new long[cap];
    private float[] phi;
    private double[] b = new double[cap];
    private double[] s = new double[cap];
    private double[] w = new double[cap];

    /** False when the row cannot join the block (another dimension, or the block is full). */
    boolean add(Row r, double[] v, PoolLayout layout) {
      if (d < 0) {
        d = v.length;
        phi = new float[cap * d];
      }
      if (v.length != d) {
        return false;
      }
      if (n == cap) {
        long next = Math.min(Integer.MAX_VALUE - 8L, cap * 2L);
        if (next * d > Integer.MAX_VALUE - 8L) {
          next = (Integer.MAX_VALUE - 8L) / d;
          if (next <= n) {
            throw new IllegalStateException("a partition holds more than " + n + " rows of dimension " + d
                + "; use more partitions (--partitions)");
          }
        }
        cap = (int) next;
        ord = Arrays.copyOf(ord, cap);
        phi = Arrays.copyOf(phi, cap * d);
        b = Arrays.copyOf(b, cap);
        s = Arrays.copyOf(s, cap);
        w = Arrays.copyOf(w, cap);
      }
      ord[n] = ((Number) layout.id(r)).longValue();
      for (int j = 0; j < d; j++) {
        phi[n * d + j] = (float) v[j];
      }
      b[n] = layout.b(r);
      s[n] = layout.s(r);
      w[n] = layout.weight(r);
      n++;
      return true;
    }

    PoolBlock block() {
      if (n == 0) {
        return null;
      }
      return new PoolBlock(n, d, Arrays.copyOf(ord, n), null, Arrays.copyOf(phi, n * d), Arrays.copyOf(b, n),
          Arrays.copyOf(s, n), Arrays.copyOf(w, n));
    }
  }

  /**
   * Spreads decoded blocks over {@code target} partitions of about equal row counts: input partition i
   * holds the rows [offset_i, offset_i + counts_i) of the pool's row sequence, and target partition t
   * receives the rows [t N / target, (t+1) N / target). Slices travel as whole blocks and are joined in
   * row-sequence order, so the result is the same whatever order the shuffle delivers them in.
   */
  static JavaRDD<PoolBlock> rebalance(JavaRDD<PoolBlock> blocks, long[] counts, int target) {
    long[] offsets = new long[counts.length];
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      offsets[i] = total;
      total += counts[i];
    }
    long n = total;
    org.apache.spark.api.java.JavaPairRDD<Integer, Tuple2<Long, PoolBlock>> slices = blocks
        .mapPartitionsWithIndex((i, it) -> {
          List<Tuple2<Integer, Tuple2<Long, PoolBlock>>> out = new ArrayList<>();
          while (it.hasNext()) {
            PoolBlock blk = it.next();
            long start = offsets[i];
            int from = 0;
            while (from < blk.rows) {
              long g = start + from;
              int t = (int) Math.min(target - 1, g * target / n);
              while (t + 1 < target && (t + 1) * n / target <= g) {
                t++;
              }
              long end = Math.min(start + blk.rows, (t + 1) * n / target);
              int to = (int) (end - start);
              out.add(new Tuple2<>(t, new Tuple2<>(g, slice(blk, from, to))));
              from = to;
            }
          }
          return out.iterator();
        }, true)
        .mapToPair(t -> t);
    return slices.partitionBy(new org.apache.spark.HashPartitioner(target)).values().mapPartitions(it -> {
      List<Tuple2<Long, PoolBlock>> parts = new ArrayList<>();
      it.forEachRemaining(parts::add);
      if (parts.isEmpty()) {
        return Collections.<PoolBlock>emptyIterator();
      }
      parts.sort((x, y) -> Long.compare(x._1(), y._1()));
      List<PoolBlock> list = new ArrayList<>(parts.size());
      for (Tuple2<Long, PoolBlock> p : parts) {
        list.add(p._2());
      }
      return Collections.singletonList(concat(list)).iterator();
    }, true);
  }

  private static PoolBlock slice(PoolBlock p, int from, int to) {
    int d = p.d;
    return new PoolBlock(to - from, d, Arrays.copyOfRange(p.ords, from, to),
        p.ids == null ? null : Arrays.copyOfRange(p.ids, from, to), Arrays.copyOfRange(p.phi, from * d, to * d),
        Arrays.copyOfRange(p.b, from, to), Arrays.copyOfRange(p.s, from, to), Arrays.copyOfRange(p.weight, from, to));
  }

  private static PoolBlock concat(List<PoolBlock> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int rows = 0;
    for (PoolBlock p : parts) {
      rows += p.rows;
    }
    int d = parts.get(0).d;
    if ((long) rows * d > Integer.MAX_VALUE - 8L) {
      throw new IllegalStateException("a partition would hold " + rows + " rows of dimension " + d
          + "; use more partitions (--partitions)");
    }
    long[] ords = new long[rows];
    float[] phi = new float[rows * d];
    double[] b = new double[rows];
    double[] s = new double[rows];
    double[] w = new double[rows];
    int at = 0;
    for (PoolBlock p : parts) {
      System.arraycopy(p.ords, 0, ords, at, p.rows);
      System.arraycopy(p.phi, 0, phi, at * d, p.rows * d);
      System.arraycopy(p.b, 0, b, at, p.rows);
      System.arraycopy(p.s, 0, s, at, p.rows);
      System.arraycopy(p.weight, 0, w, at, p.rows);
      at += p.rows;
    }
    return new PoolBlock(rows, d, ords, null, phi, b, s, w);
  }

  /**
   * The partition count to repartition to, or 0 to keep the input's: the configured count, else the
   * input's count rounded up to a multiple of Spark's default parallelism (a single file would
   * otherwise keep every round on one core, and 3 partitions on 2 cores leave one idle half the time).
   */
  static int partitionsFor(Dataset<Row> narrow, int configured) {
    if (configured > 0) {
      return configured;
    }
    int parallelism = narrow.sparkSession().sparkContext().defaultParallelism();
    int input = narrow.rdd().getNumPartitions();
    // Every round touches every partition, so a count that is not a multiple of the task slots
    // leaves slots idle in the last wave.
    int balanced = (input + parallelism - 1) / parallelism * parallelism;
    return balanced != input ? balanced : 0;
  }

  private static void rejectDuplicateIds(Dataset<Row> frame, PoolLayout layout) {
    String id = layout.names().id();
    List<Row> dups = frame.groupBy(functions.col("`" + id + "`")).count()
        .where(functions.col("count").gt(1)).limit(3).collectAsList();
    if (!dups.isEmpty()) {
      List<String> shown = new ArrayList<>();
      for (Row r : dups) {
        shown.add(org.adpo.error.Shown.value(r.get(0)) + " (" + r.getLong(1) + " rows)");
      }
      throw new BadInputException(layout.source() + ": duplicate ids in column '" + id + "': "
          + String.join(", ", shown) + "; ids must be unique");
    }
  }

  /** Decodes a partition row by row into growing primitive arrays (no row is kept). */
  private static Iterator<PoolBlock> decode(Iterator<Tuple2<Row, Long>> it, PoolLayout layout, int d) {
    int cap = 1024;
    int n = 0;
    long[] ord = new long[cap];
    String[] ids = layout.stringIds() ? new String[cap] : null;
    float[] phi = new float[cap * d];
    double[] b = new double[cap];
    double[] s = new double[cap];
    double[] w = new double[cap];
    while (it.hasNext()) {
      if (n == cap) {
        cap = Math.max(cap + 1, (int) Math.min(Integer.MAX_VALUE - 8L, cap * 2L));
        if ((long) cap * d > Integer.MAX_VALUE - 8L) {
          cap = (int) ((Integer.MAX_VALUE - 8L) / d);
          if (cap <= n) {
            throw new IllegalStateException("a partition holds more than " + n + " rows of dimension " + d
                + "; use more partitions (--partitions)");
          }
        }
        ord = Arrays.copyOf(ord, cap);
        ids = ids == null ? null : Arrays.copyOf(ids, cap);
        phi = Arrays.copyOf(phi, cap * d);
        b = Arrays.copyOf(b, cap);
        s = Arrays.copyOf(s, cap);
        w = Arrays.copyOf(w, cap);
      }
      Tuple2<Row, Long> t = it.next();
      Row r = t._1();
      ord[n] = t._2();
      if (ids != null) {
        ids[n] = (String) layout.id(r);
      }
      double[] v = layout.phi(r);
      for (int j = 0; j < d; j++) {
        phi[n * d + j] = (float) v[j];
      }
      b[n] = layout.b(r);
      s[n] = layout.s(r);
      w[n] = layout.weight(r);
      n++;
    }
    if (n == 0) {
      return Collections.emptyIterator();
    }
    return Collections.singletonList(new PoolBlock(n, d, Arrays.copyOf(ord, n),
        ids == null ? null : Arrays.copyOf(ids, n), Arrays.copyOf(phi, n * d), Arrays.copyOf(b, n),
        Arrays.copyOf(s, n), Arrays.copyOf(w, n))).iterator();
  }
}
