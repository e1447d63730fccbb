package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.adpo.data.ColumnNames;
import org.adpo.error.BadInputException;
import org.adpo.eval.EvaluationSettings;
import org.adpo.eval.MetricTable;
import org.adpo.eval.PrefixFit;
import org.adpo.eval.SelectionInput;
import org.adpo.model.FitResult;
import org.adpo.model.NewtonFit;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Prefix fits against NewtonFit on the prefix rows, on the driver and on Spark; bad selections. */
@ExtendWith(SparkSessionExtension.class)
class EvaluationJobTest {
  static final double BETA = 1.5;
  static final double LAMBDA = 0.7;
  static final Pools POOL = Pools.random(160, 4, 0, 8);
  static final double[][] PHI = POOL.phiAsStored(); // the engine keeps phi as float32

  static EvaluationSettings settings(List<Long> grid, long driverLimit) {
    return new EvaluationSettings(BETA, LAMBDA, grid, driverLimit, 500, 1e-10, 2, ColumnNames.defaults());
  }

  /** A seeded random order of {@code m} pool rows (row indexes). */
  static int[] picks(int m, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] rows = new int[POOL.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    for (int i = rows.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = rows[i];
      rows[i] = rows[j];
      rows[j] = t;
    }
    return java.util.Arrays.copyOf(rows, m);
  }

  static SelectionInput selection(String name, int[] rows, boolean idsAsText) {
    List<Object> ids = new ArrayList<>();
    for (int r : rows) {
      ids.add(idsAsText ? (Object) Long.toString(POOL.ids[r]) : (Object) POOL.ids[r]);
    }
    return new SelectionInput(name, "in-test", ids, null, null, null);
  }

  /** NewtonFit on the first n rows of the selection (the independent reference). */
  static FitResult newton(int[] rows, long n) {
    double[][] phi = new double[(int) n][];
    double[] b = new double[(int) n];
    double[] s = new double[(int) n];
    for (int i = 0; i < n; i++) {
      phi[i] = PHI[rows[i]];
      b[i] = POOL.b[rows[i]];
      s[i] = POOL.s[rows[i]];
    }
    return NewtonFit.fit(phi, b, s, BETA, LAMBDA, 100, 1e-13);
  }

  @Test
  void driverPrefixFitsEqualNewtonOnThePrefixRows(SparkSession spark) {
    int[] a = picks(40, 1);
    int[] u = picks(23, 2);
    EvaluationResult r = EvaluationJob.run(spark, POOL.frame(spark), "test pool", settings(List.of(), 1_000_000),
        List.of(selection("a", a, false), selection("u", u, true)));
    // Default grids: 1, 2, 4, 8, 16, 32, 40 and 1, 2, 4, 8, 16, 23.
    assertEquals(13, r.fits().size());
    assertEquals(13, r.table().rows().size());
    Map<String, int[]> rows = new HashMap<>();
    rows.put("a", a);
    rows.put("u", u);
    for (int k = 0; k < r.fits().size(); k++) {
      PrefixFit f = r.fits().get(k);
      assertEquals("driver", f.mode());
      assertEquals(f.n(), f.labelled());
      FitResult ref = newton(rows.get(f.method()), f.n());
      assertArrayEquals(ref.theta(), f.fit().theta(), 1e-9, f.method() + " n = " + f.n());
      MetricTable.Row row = r.table().rows().get(k);
      assertEquals(f.method(), row.method());
      assertEquals(f.n(), row.n());
      assertTrue(row.fitConverged());
    }
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 23L),
        r.fits().stream().filter(f -> f.method().equals("u")).map(PrefixFit::n).toList());
    // theta_star: the fit on the whole pool.
    int[] all = picks(POOL.size(), 3);
    assertArrayEquals(newton(all, all.length).theta(), r.thetaStar().theta(), 1e-6);
    assertEquals(POOL.size(), r.thetaStarMetrics().labelled());
  }

  @Test
  void distributedPrefixFitsEqualNewtonOnThePrefixRows(SparkSession spark) {
    int[] a = picks(30, 5);
    EvaluationResult r = EvaluationJob.run(spark, POOL.frame(spark), "test pool", settings(List.of(7L, 30L, 64L), 0),
        List.of(selection("a", a, false)));
    assertEquals(List.of(7L, 30L), r.fits().stream().map(PrefixFit::n).toList());
    for (PrefixFit f : r.fits()) {
      assertEquals("distributed", f.mode());
      assertArrayEquals(newton(a, f.n()).theta(), f.fit().theta(), 1e-6, "n = " + f.n());
    }
    @SuppressWarnings("unchecked")
    List<String> warnings = r.report().warnings();
    assertTrue(warnings.stream().anyMatch(w -> w.contains("grid sizes above 30 are skipped")), warnings.toString());
  }

  /**
   * A selection with a grid of its own (a per-budget selection of the experiment) is fitted at that grid only,
   * with no warning about the evaluation's larger sizes; the others keep the evaluation's grid.
   */
  @Test
  void aSelectionsOwnGridReplacesTheEvaluationsGrid(SparkSession spark) {
    int[] a = picks(30, 5);
    int[] w = picks(12, 6);
    SelectionInput own = selection("w", w, false);
    own = new SelectionInput(own.name(), own.source(), own.ids(), null, null, null, null, List.of(12L));
    EvaluationResult r = EvaluationJob.run(spark, POOL.frame(spark), "test pool",
        settings(List.of(4L, 12L, 30L), 1_000_000), List.of(selection("a", a, false), own));
    assertEquals(List.of(4L, 12L, 30L),
        r.fits().stream().filter(f -> f.method().equals("a")).map(PrefixFit::n).toList());
    assertEquals(List.of(12L), r.fits().stream().filter(f -> f.method().equals("w")).map(PrefixFit::n).toList());
    assertArrayEquals(newton(w, 12).theta(), r.fits().get(3).fit().theta(), 1e-9);
    @SuppressWarnings("unchecked")
    List<String> warnings = r.report().warnings();
    assertTrue(warnings.stream().noneMatch(x -> x.contains("skipped")), warnings.toString());
  }

  @Test
  void idsMissingFromThePoolAreBadInput(SparkSession spark) {
    List<Object> ids = new ArrayList<>(List.of(POOL.ids[0], POOL.ids[1], 5L, POOL.ids[2], 6L));
    BadInputException e = assertThrows(BadInputException.class, () -> EvaluationJob.run(spark,
        POOL.frame(spark), "test pool", settings(List.of(), 1_000_000),
        List.of(new SelectionInput("x", "dir-x", ids, null, null, null))));
    assertTrue(e.getMessage().contains("selection x (dir-x): 2 of its 5 ids are not in the pool test pool, e.g. 5, 6"),
        e.getMessage());
  }

  @Test
  void aPoolWithoutLabelsIsBadInput(SparkSession spark) {
    BadInputException e = assertThrows(BadInputException.class, () -> EvaluationJob.run(spark,
        POOL.frame(spark).drop("s"), "unlabelled pool", settings(List.of(), 1_000_000),
        List.of(selection("a", picks(3, 1), false))));
    assertTrue(e.getMessage().contains("evaluate needs labels, but unlabelled pool has no label column 's'"),
        e.getMessage());
  }
}
