package org.adpo.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.adpo.io.MetricsReport;
import org.adpo.io.SelectionReport;
import org.adpo.data.PoolBlock;
import org.adpo.data.PoolLayout;
import org.adpo.error.BadInputException;
import org.adpo.eval.EvaluationSettings;
import org.adpo.eval.MetricKernel;
import org.adpo.eval.MetricSums;
import org.adpo.eval.MetricTable;
import org.adpo.eval.Metrics;
import org.adpo.eval.PrefixFit;
import org.adpo.eval.PrefixGrid;
import org.adpo.eval.SelectionInput;
import org.adpo.model.FitResult;
import org.adpo.model.Lbfgs;
import org.adpo.model.NewtonFit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * One evaluation run ({@code bin/adpo evaluate}), phase by phase: validate and cache the pool
 * (labels required); gather the selected rows in one pass, checking that every selected id is in
 * the pool; fit theta_star on all labelled rows (distributed L-BFGS); fit theta_hat_n on each
 * selection prefix of the grid (dense Newton on the driver when the selection's size times d is at
 * most {@code driverFitMaxValues}, distributed L-BFGS otherwise, warm-started from the previous
 * prefix); then compute the metrics of every theta_hat_n, and of theta_star, in one pass over the
 * pool ({@link MetricPass}).
 */
public final class EvaluationJob {
  static final String DRIVER = "driver";
  static final String DISTRIBUTED = "distributed";

  private EvaluationJob() {}

  public static EvaluationResult run(SparkSession spark, Dataset<Row> frame, String source,
      EvaluationSettings settings, List<SelectionInput> selections) {
    return run(spark, frame, source, settings, selections, null, null);
  }

  /**
   * As {@link #run(SparkSession, Dataset, String, EvaluationSettings, List)}, and when {@code testFrame}
   * is not null, every metric of every theta_hat_n (and of theta_star) is also computed on that
   * held-out pool (labels required, same dimension, no id in common with the pool: the selections
   * and theta_star were made on the pool, so a shared row would not be held out).
   */
  public static EvaluationResult run(SparkSession spark, Dataset<Row> frame, String source,
      EvaluationSettings settings, List<SelectionInput> selections, Dataset<Row> testFrame, String testSource) {
    if (selections.isEmpty()) {
      throw new IllegalArgumentException("no selection to evaluate");
    }
    PoolLayout probe = PoolLayout.resolve(source, settings.columns(), frame.schema(), false);
    if (!probe.hasLabels()) {
      throw new BadInputException("evaluate needs labels, but " + source + " has no label column '"
          + settings.columns().s() + "'; its columns are " + Arrays.toString(frame.columns())
          + " (name it with --column s=NAME)");
    }
    PhaseTimer timer = new PhaseTimer();
    List<String> warnings = new ArrayList<>();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (SparkJobs.Counter jobs = new SparkJobs.Counter(spark); BroadcastScope scope = new BroadcastScope(sc)) {
      LoadedPool pool = PoolLoader.load(frame, source, settings.poolSettings());
      LoadedPool test = null;
      JavaRDD<RankedBlock> selected = null;
      try {
        int d = pool.dimension();
        String fingerprint = checkOrigin(selections, pool, source, warnings);
        if (testFrame != null) {
          test = loadTest(frame, testFrame, testSource, source, pool, settings);
        }
        timer.end("validate");
        if (pool.ones() == 0 || pool.zeros() == 0) {
          warn(warnings, "all " + (pool.ones() + pool.zeros()) + " labels of the pool are "
              + (pool.ones() == 0 ? 0 : 1) + "; theta_star is defined only through the L2 penalty");
        }

        // Which (selection, position) each pool id stands for; ids normalised to the pool's id type.
        int count = selections.size();
        Map<Object, long[]> lookup = new HashMap<>();
        boolean[] onDriver = new boolean[count];
        for (int j = 0; j < count; j++) {
          SelectionInput sel = selections.get(j);
          onDriver[j] = (long) sel.size() * d <= settings.driverFitMaxValues();
          for (int pos = 0; pos < sel.size(); pos++) {
            Object key = key(sel.ids().get(pos), pool.layout().stringIds());
            long packed = ((long) j << 32) | pos;
            long[] prev = lookup.get(key);
            if (prev == null) {
              lookup.put(key, new long[] {packed});
            } else if ((prev[prev.length - 1] >>> 32) == j) {
              throw new BadInputException("selection " + sel.name() + " (" + sel.source() + ") holds id "
                  + sel.ids().get(pos) + " twice");
            } else {
              long[] grown = Arrays.copyOf(prev, prev.length + 1);
              grown[prev.length] = packed;
              lookup.put(key, grown);
            }
          }
        }
        Broadcast<Map<Object, long[]>> lookupBc = scope.broadcast(lookup);
        selected = pool.blocks().mapPartitions(it -> extract(it, lookupBc, count), true);
        selected.persist(StorageLevel.MEMORY_AND_DISK());
        SparkJobs.describe(spark, "evaluate: gather the selected rows");
        boolean[] driverFlags = onDriver;
        List<RankedBlock> gathered = selected.map(rb -> driverFlags[rb.selection] ? rb : rb.positionsOnly()).collect();
        double[][][] phi = new double[count][][];
        double[][] b = new double[count][];
        double[][] s = new double[count][];
        for (int j = 0; j < count; j++) {
          int m = selections.get(j).size();
          phi[j] = onDriver[j] ? new double[m][] : null;
          b[j] = new double[m];
          s[j] = new double[m];
          Arrays.fill(s[j], Double.NaN);
        }
        boolean[][] found = new boolean[count][];
        for (int j = 0; j < count; j++) {
          found[j] = new boolean[selections.get(j).size()];
        }
        for (RankedBlock rb : gathered) {
          int j = rb.selection;
          for (int i = 0; i < rb.rows; i++) {
            int pos = rb.positions[i];
            found[j][pos] = true;
            s[j][pos] = rb.s[i];
            if (rb.phi != null) {
              phi[j][pos] = Arrays.copyOfRange(rb.phi, i * d, (i + 1) * d);
              b[j][pos] = rb.b[i];
            }
          }
        }
        for (int j = 0; j < count; j++) {
          checkCoverage(selections.get(j), found[j], source);
          long unlabelled = Arrays.stream(s[j]).filter(Double::isNaN).count();
          if (unlabelled > 0) {
            warn(warnings, "selection " + selections.get(j).name() + ": " + unlabelled + " of its "
                + s[j].length + " rows have no label in the pool; the prefix fits use the labelled rows only");
          }
          SelectionInput sel = selections.get(j);
          if ((sel.beta() != null && sel.beta() != settings.beta())
              || (sel.lambda() != null && sel.lambda() != settings.lambda())) {
            warn(warnings, String.format(Locale.ROOT, "selection %s was made with beta = %s, lambda = %s;"
                + " it is evaluated with beta = %s, lambda = %s", sel.name(), sel.beta(), sel.lambda(),
                settings.beta(), settings.lambda()));
          }
        }
        timer.end("gather");

        // theta_star: all labelled rows of the pool, distributed (as ADPO+ fits it).
        JavaRDD<LabelledBlock> labelled = pool.blocks().map(LabelledBlock::of);
        labelled.persist(StorageLevel.MEMORY_AND_DISK());
        FitResult star;
        try {
          star = DistributedDpoFit.fit(labelled, d, settings.beta(), settings.lambda(),
              settings.fitMaxIterations(), settings.fitTolerance());
        } finally {
          labelled.unpersist(false);
        }
        if (!star.converged()) {
          warn(warnings, "theta_star fit stopped after " + star.iterations() + " iterations without meeting the"
              + " tolerance (gradient norm " + star.gradientNorm() + ")");
        }
        ProgressLog.info(String.format(Locale.ROOT, "theta_star: fitted on %d labelled rows in %d iterations",
            pool.ones() + pool.zeros(), star.iterations()));
        timer.end("fit_theta_star");

        List<PrefixFit> fits = new ArrayList<>();
        Map<String, MetricsReport.SelectionInfo> selectionInfo = new LinkedHashMap<>();
        for (int j = 0; j < count; j++) {
          SelectionInput sel = selections.get(j);
          List<Long> explicit = sel.grid() != null ? sel.grid() : settings.grid();
          List<Long> grid = PrefixGrid.forSize(explicit, sel.size());
          if (!explicit.isEmpty() && explicit.get(explicit.size() - 1) > sel.size()) {
            warn(warnings, "selection " + sel.name() + " has " + sel.size() + " rows: grid sizes above "
                + sel.size() + " are skipped" + (explicit.get(0) > sel.size() ? "; evaluated at n = " + sel.size() : ""));
          }
          double[] warm = new double[d];
          for (long n : grid) {
            long labelledRows = 0;
            for (int pos = 0; pos < n; pos++) {
              if (!Double.isNaN(s[j][pos])) {
                labelledRows++;
              }
            }
            FitResult fit;
            if (onDriver[j]) {
              fit = driverFit(phi[j], b[j], s[j], (int) n, labelledRows, d, settings);
            } else {
              final int sj = j;
              final long limit = n;
              JavaRDD<LabelledBlock> prefix = selected.filter(rb -> rb.selection == sj).map(rb -> rb.prefix(limit));
              prefix.persist(StorageLevel.MEMORY_AND_DISK());
              try {
                Lbfgs optimizer = new Lbfgs().withMaxIterations(settings.fitMaxIterations())
                    .withGradientTolerance(settings.fitTolerance());
                fit = DistributedDpoFit.fit(prefix, d, settings.beta(), settings.lambda(), optimizer, warm);
              } finally {
                prefix.unpersist(false);
              }
              warm = fit.theta();
            }
            if (!fit.converged()) {
              warn(warnings, "fit of " + sel.name() + " at n = " + n + " stopped after " + fit.iterations()
                  + " iterations without meeting the tolerance (gradient norm " + fit.gradientNorm() + ")");
            }
            fits.add(new PrefixFit(sel.name(), n, labelledRows, onDriver[j] ? DRIVER : DISTRIBUTED, fit));
          }
          ProgressLog.info(String.format(Locale.ROOT, "%s: fitted %d prefixes (n = %d .. %d) %s",
              sel.name(), grid.size(), grid.get(0), grid.get(grid.size() - 1),
              onDriver[j] ? "on the driver (Newton)" : "on Spark (L-BFGS)"));
          selectionInfo.put(sel.name(), new MetricsReport.SelectionInfo(sel.source(), sel.algorithm(), sel.size(),
              Arrays.stream(s[j]).filter(Double::isNaN).count(), grid, onDriver[j] ? DRIVER : DISTRIBUTED));
        }
        timer.end("fit_prefixes");

        // One pass over the pool for every theta_hat_n and theta_star itself (the last entry).
        double[] thetaStar = star.theta();
        double[][] thetas = new double[fits.size() + 1][];
        for (int k = 0; k < fits.size(); k++) {
          thetas[k] = fits.get(k).fit().theta();
        }
        thetas[fits.size()] = thetaStar;
        MetricKernel kernel = new MetricKernel(thetas, thetaStar, settings.beta());
        MetricSums sums = MetricPass.run(pool.blocks(), kernel);
        MetricSums testSums = test == null ? null : MetricPass.run(test.blocks(), kernel);
        MetricTable table = new MetricTable();
        for (int k = 0; k < fits.size(); k++) {
          PrefixFit f = fits.get(k);
          table.add(new MetricTable.Row(f.method(), f.n(), sums.metrics(k), f.fit().iterations(), f.fit().converged(),
              testSums == null ? null : testSums.metrics(k)));
        }
        Metrics starMetrics = sums.metrics(fits.size());
        timer.end("metrics");

        MetricsReport.Pool poolInfo = new MetricsReport.Pool(source, pool.rows(), pool.dimension(),
            pool.blocks().getNumPartitions(), pool.ones(), pool.zeros(), fingerprint);
        MetricsReport.TestPool testInfo = test == null ? null : new MetricsReport.TestPool(testSource, test.rows(),
            test.dimension(), test.blocks().getNumPartitions(), test.ones(), test.zeros(),
            MetricsReport.LabelMetrics.of(testSums.metrics(fits.size())),
            "held-out pairs: no id in common with the pool; the test_ metrics are computed on these rows with the"
                + " same theta_hat_n and theta* (fitted on the pool)");
        List<MetricsReport.Row> rows = new ArrayList<>();
        for (int k = 0; k < fits.size(); k++) {
          PrefixFit f = fits.get(k);
          MetricTable.Row t = table.rows().get(k);
          SelectionReport.Fit fit = SelectionReport.Fit.of(f.fit());
          rows.add(new MetricsReport.Row(t.method(), t.n(), MetricsReport.Values.of(t.metrics()), t.fitIterations(),
              t.fitConverged(), MetricsReport.Values.of(t.test()), f.labelled(), f.mode(), fit.evaluations(),
              fit.finalLoss(), fit.gradientNorm(), fit.thetaNorm()));
        }
        MetricsReport report = new MetricsReport(settings.describe(), poolInfo, testInfo,
            MetricsReport.ThetaStar.of(star, pool.ones() + pool.zeros(), starMetrics), selectionInfo, rows,
            jobs.describe(spark), timer.phases(), warnings);
        return new EvaluationResult(table, fits, star, starMetrics, report);
      } finally {
        if (selected != null) {
          selected.unpersist(false);
        }
        if (test != null) {
          test.release();
        }
        pool.release();
      }
    }
  }

  /**
   * Refuses a selection whose report.json recorded another pool than {@code pool}: by the content
   * fingerprint when the report has one (then a moved or re-encoded copy of the same rows is
   * accepted), else by row count and dimension (and a differing path is a warning, since the same
   * counts do not prove the same rows). Returns the pool's fingerprint when it was computed.
   */
  private static String checkOrigin(List<SelectionInput> selections, LoadedPool pool, String source,
      List<String> warnings) {
    String fingerprint = null;
    for (SelectionInput sel : selections) {
      SelectionInput.PoolRecord rec = sel.madeFrom();
      if (rec == null) {
        continue;
      }
      if (rec.fingerprint() != null && rec.fingerprint().startsWith(PoolDigest.SCHEME)) {
        if (fingerprint == null) {
          fingerprint = pool.digests() != null ? pool.digests()[0] : PoolDigest.of(pool.blocks());
        }
        if (!rec.fingerprint().equals(fingerprint)) {
          throw new BadInputException(String.format(Locale.ROOT, "selection %s (%s) was made from another pool:"
                  + " its report.json records %s (%s rows, d = %s, fingerprint %s), but %s has %d rows, d = %d,"
                  + " fingerprint %s; evaluate a selection against the pool it was made from",
              sel.name(), sel.source(), rec.source(), rec.rows(), rec.dimension(), rec.fingerprint(), source,
              pool.rows(), pool.dimension(), fingerprint));
        }
        continue;
      }
      boolean rowsDiffer = rec.rows() != null && rec.rows() != pool.rows();
      boolean dimDiffers = rec.dimension() != null && rec.dimension() != pool.dimension();
      if (rowsDiffer || dimDiffers) {
        throw new BadInputException(String.format(Locale.ROOT, "selection %s (%s) was made from another pool:"
                + " its report.json records %s (%s rows, d = %s), but %s has %d rows, d = %d; evaluate a"
                + " selection against the pool it was made from",
            sel.name(), sel.source(), rec.source(), rec.rows(), rec.dimension(), source, pool.rows(),
            pool.dimension()));
      }
      if (rec.source() != null && !stripSlash(rec.source()).equals(stripSlash(source))) {
        warn(warnings, "selection " + sel.name() + " was made from " + rec.source() + " and is evaluated on "
            + source + ": same rows and dimension, but its report has no fingerprint to prove the same rows");
      }
    }
    return fingerprint;
  }

  private static String stripSlash(String path) {
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
  }

  /** Loads the held-out pool and checks it fits the pool: labels, dimension, no shared id. */
  private static LoadedPool loadTest(Dataset<Row> frame, Dataset<Row> testFrame, String testSource, String source,
      LoadedPool pool, EvaluationSettings settings) {
    PoolLayout probe = PoolLayout.resolve(testSource, settings.columns(), testFrame.schema(), false);
    if (!probe.hasLabels()) {
      throw new BadInputException("evaluate needs labels in the test pool, but " + testSource + " has no label column '"
          + settings.columns().s() + "'; its columns are " + Arrays.toString(testFrame.columns()));
    }
    LoadedPool test = PoolLoader.load(testFrame, testSource, settings.poolSettings());
    try {
      if (test.dimension() != pool.dimension()) {
        throw new BadInputException("test pool " + testSource + " has d = " + test.dimension() + " but the pool "
            + source + " has d = " + pool.dimension() + "; the test pool must hold the same features");
      }
      String id = settings.columns().id();
      SparkJobs.describe(frame.sparkSession(), "evaluate: ids shared by the pool and the test pool");
      Dataset<Row> shared = frame.select(org.apache.spark.sql.functions.col("`" + id + "`").as("k"))
          .join(testFrame.select(org.apache.spark.sql.functions.col("`" + id + "`").as("k")), "k");
      long count = shared.count();
      if (count > 0) {
        List<String> shown = new ArrayList<>();
        for (Row r : shared.limit(3).collectAsList()) {
          shown.add(String.valueOf(r.get(0)));
        }
        throw new BadInputException("test pool " + testSource + " shares " + count + " id" + (count == 1 ? "" : "s")
            + " with the pool " + source + ", e.g. " + String.join(", ", shown) + "; held-out rows must not be in"
            + " the pool the selections and theta* were made on (bin/adpo split writes disjoint pools)");
      }
      return test;
    } catch (RuntimeException e) {
      test.release();
      throw e;
    }
  }

  /** The pool's id value for a selection id: a Long for integer ids, a String for string ids. */
  static Object key(Object id, boolean stringIds) {
    if (stringIds) {
      return id.toString();
    }
    if (id instanceof Long || id instanceof Integer || id instanceof Short || id instanceof Byte) {
      return ((Number) id).longValue();
    }
    if (id instanceof Number) {
      double v = ((Number) id).doubleValue();
      return v == Math.rint(v) && Math.abs(v) < 0x1p53 ? (Object) (long) v : id.toString();
    }
    try {
      return Long.parseLong(id.toString().trim());
    } catch (NumberFormatException e) {
      return id.toString(); // never equals a Long id: reported as missing from the pool
    }
  }

  private static void checkCoverage(SelectionInput sel, boolean[] found, String source) {
    List<String> missing = new ArrayList<>();
    int count = 0;
    for (int pos = 0; pos < found.length; pos++) {
      if (!found[pos]) {
        count++;
        if (missing.size() < 3) {
          missing.add(String.valueOf(sel.ids().get(pos)));
        }
      }
    }
    if (count > 0) {
      throw new BadInputException("selection " + sel.name() + " (" + sel.source() + "): " + count + " of its "
          + found.length + " ids are not in the pool " + source + ", e.g. " + String.join(", ", missing)
          + "; evaluate a selection against the pool it was made from");
    }
  }

  private static FitResult driverFit(double[][] phi, double[] b, double[] s, int n, long labelled, int d,
      EvaluationSettings settings) {
    if (labelled == 0) {
      return new FitResult(new double[d], 0, 0, 0.0, 0.0, true); // L2 penalty alone: theta = 0
    }
    double[][] p = new double[(int) labelled][];
    double[] bb = new double[(int) labelled];
    double[] ss = new double[(int) labelled];
    int k = 0;
    for (int pos = 0; pos < n; pos++) {
      if (!Double.isNaN(s[pos])) {
        p[k] = phi[pos];
        bb[k] = b[pos];
        ss[k] = s[pos];
        k++;
      }
    }
    return NewtonFit.fit(p, bb, ss, settings.beta(), settings.lambda(), settings.fitMaxIterations(),
        settings.fitTolerance());
  }

  /** Splits each pool block into one block per selection it has rows of. */
  private static Iterator<RankedBlock> extract(Iterator<PoolBlock> it, Broadcast<Map<Object, long[]>> bc, int count) {
    Map<Object, long[]> lookup = bc.value();
    List<RankedBlock> out = new ArrayList<>();
    while (it.hasNext()) {
      PoolBlock p = it.next();
      List<List<int[]>> hits = new ArrayList<>(); // per selection: {row, position}
      for (int j = 0; j < count; j++) {
        hits.add(new ArrayList<>());
      }
      for (int i = 0; i < p.rows; i++) {
        long[] packed = lookup.get(p.id(i));
        if (packed != null) {
          for (long x : packed) {
            hits.get((int) (x >>> 32)).add(new int[] {i, (int) x});
          }
        }
      }
      int d = p.d;
      for (int j = 0; j < count; j++) {
        List<int[]> h = hits.get(j);
        if (h.isEmpty()) {
          continue;
        }
        int rows = h.size();
        int[] positions = new int[rows];
        double[] phi = new double[rows * d];
        double[] b = new double[rows];
        double[] s = new double[rows];
        for (int t = 0; t < rows; t++) {
          int i = h.get(t)[0];
          positions[t] = h.get(t)[1];
          for (int c = 0; c < d; c++) {
            phi[t * d + c] = p.phi[i * d + c]; // float32 as stored, widened exactly
          }
          b[t] = p.b[i];
          s[t] = p.s[i];
        }
        out.add(new RankedBlock(j, rows, d, positions, phi, b, s));
      }
    }
    return out.isEmpty() ? Collections.emptyIterator() : out.iterator();
  }

  private static void warn(List<String> warnings, String message) {
    warnings.add(message);
    ProgressLog.warn(message);
  }
}
