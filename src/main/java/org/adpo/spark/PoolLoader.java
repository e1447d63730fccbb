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
 * Validates a pool and decodes it into cached {@link PoolBlock}s, one per partition. Validation is
 * a separate pass so that every problem is reported on the driver with the offending row's id,
 * instead of as a failed task; decoding afterwards cannot fail.
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
    if (partitions > 0) {
      narrow = narrow.repartition(partitions);
    }
    try {
      SparkJobs.describe(frame.sparkSession(), "validate pool " + source);
      // The check reads whole rows, not the narrow projection: a JSON or CSV reader parses only the
      // columns a query needs, so a record malformed in a pass-through column would otherwise fail
      // only when the output is written. Every problem is found here, before any output exists.
      int[] at = layout.projectedIndices(frame.schema());
      PoolCheck check = new PoolCheck();
      try (PhaseProgress progress = new PhaseProgress(
          JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext()), "validate pool")) {
        List<PoolCheck> checks = frame.javaRDD()
            .mapPartitionsWithIndex(
                (i, it) -> Collections.singletonList(
                    PoolCheck.of(i, PoolLayout.project(it, at), layout, needLabels, useWeight)).iterator(),
                false)
            .collect();
        for (PoolCheck c : checks) {
          check.merge(c);
        }
        check.raiseIfBad(layout);
        rejectDuplicateIds(frame, layout);
      }
      if (partitions > check.rows()) {
        // More partitions than rows only adds empty tasks to every round (--partitions 100000 on 200
        // rows ran for minutes): one row per partition is the most that can help.
        partitions = (int) Math.max(1, check.rows());
        narrow = frame.select(layout.projection()).repartition(partitions);
      }

      JavaRDD<Tuple2<Row, Long>> ordered;
      if (layout.stringIds()) {
        // String ids: the tie-break order is the ids' sort order (Unicode code points).
        ordered = narrow.sort(layout.projection()[0]).javaRDD().zipWithIndex().rdd().toJavaRDD();
        if (partitions > 0) {
          ordered = ordered.repartition(partitions);
        }
      } else {
        ordered = narrow.javaRDD().map(r -> new Tuple2<>(r, ((Number) r.get(0)).longValue()));
      }
      int d = check.dimension();
      JavaRDD<PoolBlock> blocks = ordered.mapPartitions(it -> decode(it, layout, d), true);
      blocks.persist(StorageLevel.MEMORY_AND_DISK());
      blocks.setName("adpo pool blocks");
      return new LoadedPool(frame, layout, blocks, check.rows(), d, check.ones(), check.zeros());
    } catch (AdpoException e) {
      throw e;
    } catch (Exception e) { // SparkException is checked but thrown undeclared from Scala code
      throw new BadInputException("cannot read input " + source + ": "
          + InputErrors.reason(frame.sparkSession(), source, frame.schema(), e), e);
    }
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
