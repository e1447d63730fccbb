package org.adpo.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.adpo.config.SelectionSettings;
import org.adpo.data.PoolBlock;
import org.adpo.data.InputErrors;
import org.adpo.data.PoolCells;
import org.adpo.data.PoolCheck;
import org.adpo.data.PoolLayout;
import org.adpo.data.PoolReader;
import org.adpo.error.AdpoException;
import org.adpo.error.BadInputException;
import org.adpo.select.Algorithm;
import org.adpo.select.SeededHash;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
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
    JavaRDD<Tuple2<Summary, PoolBlock>> both = null;
    try {
      SparkJobs.describe(frame.sparkSession(), "read and validate pool " + source);
      // The check reads whole rows, not the narrow projection: a JSON or CSV reader parses only the
      // columns a query needs, so a record malformed in a pass-through column would otherwise fail
      // only when the output is written. Every problem is found here, before any output exists.
      // With integer ids (their own tie-break order) the same pass decodes the good rows into the
      // partition's PoolBlock, so the input is read once; string ids are ranked by a sort first.
      // The rows are Spark's internal rows (PoolCells reads their cells): no external Row is built
      // and no feature value is boxed.
      PoolCells cells = layout.cells(frame.schema());
      PhaseProgress progress = new PhaseProgress(
          JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext()), "validate pool");
      both = ParquetBatch.around(frame, () -> frame.queryExecution().toRdd()).toJavaRDD()
          .mapPartitionsWithIndex(
              (i, it) -> Collections.singletonList(
                  checkAndDecode(i, it, cells, needLabels, useWeight, !stringIds)).iterator(),
              false);
      if (!stringIds) {
        both.persist(StorageLevel.MEMORY_AND_DISK());
      }
      List<Summary> summaries;
      try {
        summaries = both.map(Tuple2::_1).collect();
      } finally {
        progress.close();
      }
      PoolCheck check = new PoolCheck();
      long[] counts = new long[summaries.size()];
      for (int i = 0; i < summaries.size(); i++) {
        counts[i] = summaries.get(i).check.rows();
        check.merge(summaries.get(i).check);
      }
      check.raiseIfBad(layout);
      JavaRDD<PoolBlock> decoded = stringIds ? null : both.flatMap(t -> t._2() == null
          ? Collections.<PoolBlock>emptyIterator() : Collections.singletonList(t._2()).iterator());
      if (stringIds || Summary.mayRepeatIds(summaries) && hasRepeatedIds(decoded)) {
        rejectDuplicateIds(frame, layout); // the message names the ids (a Spark SQL group-by)
      }
      String[] digests = stringIds ? null : Summary.digests(summaries);
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
        blocks = partitions > 0 ? rebalance(decoded, counts, partitions) : decoded;
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        SparkJobs.describe(frame.sparkSession(), "cache pool blocks " + source);
        blocks.count(); // from the cached pass (and a shuffle of whole blocks when rebalanced)
        both.unpersist(false);
        both = null;
      }
      blocks.setName("adpo pool blocks");
      return new LoadedPool(frame, layout, blocks, check.rows(), d, check.ones(), check.zeros(), digests);
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
   * What the validating pass learned about one input partition: its check and, for decoded integer ids,
   * the sums of the pool fingerprints over its rows ({@link PoolDigest}) and the range of its ids, with
   * whether an id repeats within it.
   */
  static final class Summary implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    final PoolCheck check;
    long digest;
    long labelledDigest;
    long rows;
    long minId = Long.MAX_VALUE;
    long maxId = Long.MIN_VALUE;
    boolean repeatsId;

    Summary(PoolCheck check) {
      this.check = check;
    }

    /**
     * False when no id can occur twice: no partition repeats one of its ids and the partitions' id
     * ranges are disjoint (the usual case of a pool written in id order). True means only that a
     * closer look is needed ({@link PoolLoader#hasRepeatedIds}).
     */
    static boolean mayRepeatIds(List<Summary> parts) {
      List<long[]> ranges = new ArrayList<>();
      for (Summary p : parts) {
        if (p.repeatsId) {
          return true;
        }
        if (p.rows > 0) {
          ranges.add(new long[] {p.minId, p.maxId});
        }
      }
      ranges.sort((x, y) -> Long.compare(x[0], y[0]));
      for (int i = 1; i < ranges.size(); i++) {
        if (ranges.get(i)[0] <= ranges.get(i - 1)[1]) {
          return true;
        }
      }
      return false;
    }

    /** The pool's two fingerprints ({@link PoolDigest#withLabels}) from the partitions' sums. */
    static String[] digests(List<Summary> parts) {
      long sum = 0;
      long labelled = 0;
      for (Summary p : parts) {
        sum += p.digest;
        labelled += p.labelledDigest;
      }
      return PoolDigest.format(sum, labelled);
    }
  }

  /**
   * Checks one input partition and, when {@code decode}, decodes its rows into a {@link PoolBlock}
   * in the same pass (null once a row is bad or of another dimension than the first: the check then
   * fails on the driver). A partition stops being decoded at its first problem but is checked to the
   * end, so the counts and dimensions are complete.
   */
  private static Tuple2<Summary, PoolBlock> checkAndDecode(int partition, Iterator<InternalRow> rows,
      PoolCells cells, boolean needLabels, boolean useWeight, boolean decode) {
    PoolCheck check = PoolCheck.start(needLabels);
    Decoder out = decode ? new Decoder() : null;
    long index = 0;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      boolean good = check.row(((long) partition << 40) | index, r, cells, useWeight);
      index++;
      if (out != null) {
        if (!good || check.bad() || !out.add(r, check.floats(), check.doubles(), cells)) {
          out = null;
        }
      }
    }
    Summary summary = new Summary(check);
    PoolBlock block = out == null || check.bad() ? null : out.block();
    if (block != null) {
      summary.digest = out.digest;
      summary.labelledDigest = out.labelledDigest;
      summary.rows = block.rows;
      long[] sorted = block.ords.clone();
      Arrays.sort(sorted);
      summary.minId = sorted[0];
      summary.maxId = sorted[sorted.length - 1];
      for (int i = 1; i < sorted.length; i++) {
        if (sorted[i] == sorted[i - 1]) {
          summary.repeatsId = true;
          break;
        }
      }
    }
    return new Tuple2<>(summary, block);
  }

  /**
   * One partition's good rows (integer ids: the ord is the id): growing primitive arrays, the features
   * in chunks that are joined once at the end (one copy of the features, not one per doubling).
   */
  private static final class Decoder {
    private static final int CHUNK_BYTES = 8 << 20;
    private int cap = 1024;
    private int n;
    private int d = -1;
    private long[] ord = new long[cap];
    private final List<float[]> chunks = new ArrayList<>();
    private float[] chunk;
    private int chunkRows;
    private int inChunk;
    private double[] b = new double[cap];
    private double[] s = new double[cap];
    private double[] w = new double[cap];
    /** The sums of the rows' fingerprint hashes ({@link PoolDigest#sums}), taken when the block is built. */
    long digest;
    long labelledDigest;

    /**
     * False when the row cannot join the block (another dimension). The features are {@code f} (float32
     * values) or, when it is null, {@code v} (doubles, rounded to float32 here).
     */
    boolean add(InternalRow r, float[] f, double[] v, PoolCells cells) {
      int len = f != null ? f.length : v.length;
      if (d < 0) {
        d = len;
        chunkRows = Math.max(1, CHUNK_BYTES / 4 / d);
      }
      if (len != d) {
        return false;
      }
      if (n >= (Integer.MAX_VALUE - 8L) / d) {
        throw new IllegalStateException("a partition holds more than " + n + " rows of dimension " + d
            + "; use more partitions (--partitions)");
      }
      if (n == cap) {
        cap = (int) Math.min(Integer.MAX_VALUE - 8L, cap * 2L);
        ord = Arrays.copyOf(ord, cap);
        b = Arrays.copyOf(b, cap);
        s = Arrays.copyOf(s, cap);
        w = Arrays.copyOf(w, cap);
      }
      if (chunk == null || inChunk == chunkRows) {
        chunk = new float[chunkRows * d];
        chunks.add(chunk);
        inChunk = 0;
      }
      ord[n] = cells.longId(r);
      int at = inChunk * d;
      if (f != null) {
        System.arraycopy(f, 0, chunk, at, d);
      } else {
        for (int j = 0; j < d; j++) {
          chunk[at + j] = (float) v[j];
        }
      }
      inChunk++;
      b[n] = cells.b(r);
      s[n] = cells.s(r);
      w[n] = cells.weight(r);
      n++;
      return true;
    }

    PoolBlock block() {
      if (n == 0) {
        return null;
      }
      float[] phi = new float[n * d];
      int at = 0;
      for (float[] c : chunks) {
        int len = Math.min(c.length, phi.length - at);
        System.arraycopy(c, 0, phi, at, len);
        at += len;
      }
      chunks.clear();
      chunk = null;
      long[] sums = PoolDigest.sums(ord, null, phi, b, s, w, n, d);
      digest = sums[0];
      labelledDigest = sums[1];
      return new PoolBlock(n, d, Arrays.copyOf(ord, n), null, phi, Arrays.copyOf(b, n),
          Arrays.copyOf(s, n), Arrays.copyOf(w, n));
    }
  }

  /**
   * True when two rows of the decoded blocks share an id. Each block sends its ids, as one array of
   * longs per hash bucket, to the task of that bucket, which sorts them: a shuffle of 8 bytes a row.
   */
  static boolean hasRepeatedIds(JavaRDD<PoolBlock> blocks) {
    int buckets = Math.max(1, blocks.getNumPartitions());
    List<Boolean> found = blocks.flatMapToPair(blk -> {
      int[] sizes = new int[buckets];
      int[] bucketOf = new int[blk.rows];
      for (int i = 0; i < blk.rows; i++) {
        bucketOf[i] = (int) Long.remainderUnsigned(SeededHash.mix(blk.ords[i]), buckets);
        sizes[bucketOf[i]]++;
      }
      long[][] ids = new long[buckets][];
      for (int k = 0; k < buckets; k++) {
        ids[k] = new long[sizes[k]];
      }
      int[] fill = new int[buckets];
      for (int i = 0; i < blk.rows; i++) {
        ids[bucketOf[i]][fill[bucketOf[i]]++] = blk.ords[i];
      }
      List<Tuple2<Integer, long[]>> out = new ArrayList<>();
      for (int k = 0; k < buckets; k++) {
        if (sizes[k] > 0) {
          out.add(new Tuple2<>(k, ids[k]));
        }
      }
      return out.iterator();
    }).partitionBy(new org.apache.spark.HashPartitioner(buckets)).values().mapPartitions(it -> {
      List<long[]> parts = new ArrayList<>();
      long total = 0;
      while (it.hasNext()) {
        long[] p = it.next();
        parts.add(p);
        total += p.length;
      }
      long[] all = new long[Math.toIntExact(total)];
      int at = 0;
      for (long[] p : parts) {
        System.arraycopy(p, 0, all, at, p.length);
        at += p.length;
      }
      Arrays.sort(all);
      for (int i = 1; i < all.length; i++) {
        if (all[i] == all[i - 1]) {
          return Collections.singletonList(true).iterator();
        }
      }
      return Collections.singletonList(false).iterator();
    }).collect();
    return found.contains(true);
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
