package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.adpo.io.SelectionReport;
import org.adpo.api.AdpoSelector;
import org.adpo.error.BadInputException;
import org.adpo.reference.DenseGreedy;
import org.adpo.select.Pick;
import org.adpo.select.SeededHash;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The non-default modes and input encodings, each against an independent recomputation. */
@ExtendWith(SparkSessionExtension.class)
class SelectionModesTest {

  @Test
  void candidateSubsetsMatchADenseRecomputationOfTheSameRule(SparkSession spark) {
    Pools pool = Pools.random(150, 4, 20, 5);
    int k = 12;
    int n = 25;
    long seed = 42;
    List<Pick> picks = new AdpoSelector().setAlgorithm("apo").setCandidates(k).setSeed(seed).setBudget(n)
        .setPartitions(3).run(pool.frame(spark)).picks();

    // Reference: at step t, the k unpicked rows with the smallest keys key(seed, t, id), scored by a
    // fresh dense solve H x = phi; best score, then smallest id.
    int d = pool.phi[0].length;
    double[][] phi = pool.phiAsStored();
    DMatrixRMaj h = CommonOps_DDRM.identity(d);
    boolean[] taken = new boolean[pool.size()];
    for (int t = 1; t <= n; t++) {
      final long step = t;
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < pool.size(); i++) {
        if (!taken[i]) {
          rows.add(i);
        }
      }
      rows.sort(Comparator.comparing(i -> SeededHash.key(seed, step, pool.ids[i]), Long::compareUnsigned));
      int best = -1;
      double bestQ = -1;
      for (int i : rows.subList(0, Math.min(k, rows.size()))) {
        DMatrixRMaj x = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.solve(h, new DMatrixRMaj(d, 1, true, phi[i]), x);
        double q = 0;
        for (int j = 0; j < d; j++) {
          q += phi[i][j] * x.get(j);
        }
        if (best < 0 || q > bestQ * (1 + 1e-12) || (Math.abs(q - bestQ) <= 1e-12 * bestQ && pool.ids[i] < pool.ids[best])) {
          best = i;
          bestQ = q;
        }
      }
      assertEquals(pool.ids[best], picks.get(t - 1).id(), "pick " + t);
      assertEquals(Math.log1p(bestQ), picks.get(t - 1).gain(), 1e-9 * Math.log1p(bestQ));
      taken[best] = true;
      CommonOps_DDRM.multAddTransB(new DMatrixRMaj(d, 1, true, phi[best]),
          new DMatrixRMaj(d, 1, true, phi[best]), h);
    }
  }

  @Test
  void stochasticGreedyScoresNOverNLogOneOverEpsilonCandidates(SparkSession spark) {
    Pools pool = Pools.random(150, 4, 0, 6);
    // K = ceil(150 / 10 * ln(1 / 0.1)) = ceil(34.54) = 35
    SelectionResult eps = new AdpoSelector().setAlgorithm("apo").setEpsilon(0.1).setBudget(10).setSeed(3)
        .run(pool.frame(spark));
    SelectionResult k35 = new AdpoSelector().setAlgorithm("apo").setCandidates(35).setBudget(10).setSeed(3)
        .run(pool.frame(spark));
    assertEquals(k35.picks(), eps.picks());
    assertEquals(35L, eps.report().selection().candidatesPerPick());
  }

  @Test
  void uniformPicksTheSmallestSeededKeysWhateverThePartitioning(SparkSession spark) {
    Pools pool = Pools.random(200, 3, 0, 8);
    long seed = 9;
    Long[] expected = Arrays.stream(pool.ids).boxed()
        .sorted(Comparator.comparing(id -> SeededHash.key(seed, 0, id), Long::compareUnsigned))
        .limit(30).toArray(Long[]::new);
    for (int partitions : new int[] {1, 5}) {
      SelectionResult r = new AdpoSelector().setAlgorithm("uniform").setSeed(seed).setBudget(30)
          .setPartitions(partitions).run(pool.frame(spark));
      Object[] got = r.picks().stream().map(Pick::id).toArray();
      assertEquals(Arrays.asList(expected), Arrays.asList(got));
      // Gains are those of the unweighted design built in this random order.
      double[][] v = new double[30][];
      for (int t = 0; t < 30; t++) {
        v[t] = pool.phiAsStored()[indexOf(pool, expected[t])];
      }
      double logDet = 0;
      for (Pick p : r.picks()) {
        logDet += p.gain();
      }
      DenseGreedy.Result all = DenseGreedy.select(v, new long[30], 1.0, 30);
      assertEquals(all.logDet(), logDet, 1e-9 * Math.abs(logDet));
    }
    SelectionResult other = new AdpoSelector().setAlgorithm("uniform").setSeed(seed + 1).setBudget(30)
        .run(pool.frame(spark));
    assertTrue(!Arrays.asList(expected).equals(Arrays.asList(other.picks().stream().map(Pick::id).toArray())),
        "another seed gives another sample");
  }

  private static int indexOf(Pools pool, long id) {
    for (int i = 0; i < pool.size(); i++) {
      if (pool.ids[i] == id) {
        return i;
      }
    }
    throw new IllegalArgumentException();
  }

  @Test
  void vectorColumnsAndStringIdsGiveTheSameSelection(SparkSession spark) {
    Pools pool = Pools.random(120, 5, 30, 3);
    StructType schema = new StructType()
        .add("key", DataTypes.StringType, false)
        .add("features", new VectorUDT(), false);
    List<Row> rows = new ArrayList<>();
    String[] keys = new String[pool.size()];
    for (int i = 0; i < pool.size(); i++) {
      // String ids whose order differs from the numeric ids' order; ties go to the smallest string.
      keys[i] = "k-" + (char) ('a' + (int) (pool.ids[i] % 7)) + "-" + pool.ids[i];
      rows.add(RowFactory.create(keys[i], Vectors.dense(pool.phi[i])));
    }
    Dataset<Row> frame = spark.createDataFrame(rows, schema);
    List<Pick> picks = new AdpoSelector().setAlgorithm("dopt").setBudget(120).setPartitions(4)
        .setColumns(new org.adpo.data.ColumnNames("key", "features", "phi1", "phi2", "b", "s", "weight"))
        .run(frame).picks();
    String[] sorted = keys.clone();
    Arrays.sort(sorted);
    long[] order = new long[pool.size()];
    for (int i = 0; i < pool.size(); i++) {
      order[i] = Arrays.binarySearch(sorted, keys[i]);
    }
    DenseGreedy.Result ref = DenseGreedy.select(pool.phiAsStored(), order, 1.0, 120);
    for (int t = 0; t < 120; t++) {
      assertEquals(keys[ref.picks()[t]], picks.get(t).id(), "pick " + (t + 1));
    }
  }

  @Test
  void unlabelledRowsAreCandidatesButNotFitted(SparkSession spark) {
    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("phi", DataTypes.createArrayType(DataTypes.DoubleType), false)
        .add("s", DataTypes.IntegerType, true);
    List<Row> rows = new ArrayList<>();
    Pools pool = Pools.random(60, 3, 0, 4);
    for (int i = 0; i < 60; i++) {
      List<Double> phi = new ArrayList<>();
      for (double x : pool.phi[i]) {
        phi.add(x);
      }
      rows.add(RowFactory.create(pool.ids[i], phi, i % 3 == 0 ? null : pool.s[i]));
    }
    SelectionResult r = new AdpoSelector().setBudget(60).run(spark.createDataFrame(rows, schema));
    assertEquals(60, r.picks().size());
    SelectionReport.Pool info = r.report().pool();
    assertEquals(40L, info.labelsOne() + info.labelsZero());

    List<Row> none = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      none.add(RowFactory.create((long) i, List.of(1.0, 2.0, 3.0), null));
    }
    BadInputException e = assertThrows(BadInputException.class,
        () -> new AdpoSelector().setBudget(2).run(spark.createDataFrame(none, schema)));
    assertTrue(e.getMessage().contains("no row has a label"), e.getMessage());
  }
}
