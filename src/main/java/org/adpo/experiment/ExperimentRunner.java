package org.adpo.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.adpo.api.AdpoSelector;
import org.adpo.config.SettingsLoader;
import org.adpo.data.IdxImages;
import org.adpo.data.IdxReader;
import org.adpo.data.PairPool;
import org.adpo.data.PairPoolWriter;
import org.adpo.data.PreferencePairs;
import org.adpo.error.BadInputException;
import org.adpo.eval.EvaluationSettings;
import org.adpo.eval.MetricTable;
import org.adpo.eval.SelectionInput;
import org.adpo.eval.SplitRule;
import org.adpo.data.PoolReader;
import org.adpo.select.Pick;
import org.adpo.select.WarmStart;
import org.adpo.select.Algorithm;
import org.adpo.spark.EvaluationJob;
import org.adpo.spark.EvaluationResult;
import org.adpo.spark.ProgressLog;
import org.adpo.spark.SelectionResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Runs the paper's log-linear experiment ({@code bin/adpo experiment}). For each seed: generate the
 * pair pool in memory ({@link PreferencePairs}, a seeded random pixel subset as features) and turn it
 * into a DataFrame ({@link PairPoolWriter#toDataFrame}); run every method once at the largest budget
 * through {@link AdpoSelector#run} (seed = the experiment seed); then evaluate every method at every
 * budget n on its first n picks with {@link EvaluationJob} (theta_star = fit on all labels of the
 * pool). Greedy and online picks are prefix-consistent (a pick never depends on the budget: the online
 * doubling schedule refits at fixed pick counts, uniform takes the smallest seeded keys), so the first n
 * picks are exactly the selection a run with budget n would make.
 */
public final class ExperimentRunner {
  /** Joins a method and a budget in the name of a per-budget selection ("adpo-warm@512"). */
  private static final String AT_BUDGET = "@";

  private ExperimentRunner() {}

  /**
   * The experiment's results: the table, the picks (seed, method, rank, id) and the parts of results.json
   * (the timings in run order, to which the command adds its write and total).
   */
  public record Result(ExperimentTable table, List<PickRow> picks, Map<String, ExperimentReport.SeedPool> pools,
      ExperimentReport.Spark spark, Map<String, Object> timings, List<String> warnings) {}

  /** One pick of one method for one seed. */
  public record PickRow(long seed, String method, long rank, Object id) {}

  public static Result run(SparkSession spark, ExperimentSettings settings) {
    long start = System.nanoTime();
    Map<String, Object> timings = new LinkedHashMap<>();
    IdxImages images = null;
    int[] labels = null;
    Dataset<Row> given = null;
    if (settings.pool() != null) {
      given = PoolReader.read(spark, settings.pool(), "auto");
    } else {
      images = IdxReader.readImages(settings.images());
      labels = IdxReader.readLabels(settings.labels());
      if (labels.length != images.count()) {
        throw new BadInputException("IDX files " + settings.images() + " and " + settings.labels() + " do not match: "
            + images.count() + " images but " + labels.length + " labels");
      }
      timings.put("read_images", seconds(start));
      ProgressLog.info(String.format(Locale.ROOT, "experiment: read %d images from %s", images.count(),
          settings.images()));
    }

    Map<String, Object> evalOverrides = new LinkedHashMap<>();
    evalOverrides.put("adpo.select.beta", settings.beta());
    evalOverrides.put("adpo.select.lambda", settings.lambda());
    evalOverrides.put("adpo.evaluate.grid", settings.budgets());
    EvaluationSettings evalSettings = EvaluationSettings.from(SettingsLoader.load(null, evalOverrides));

    ExperimentTable table = new ExperimentTable();
    List<PickRow> picks = new ArrayList<>();
    Map<String, ExperimentReport.SeedPool> pools = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    for (long seed : settings.seeds()) {
      Double generateTime = null;
      long t = System.nanoTime();
      PairPool pool = null;
      Dataset<Row> whole;
      String source;
      if (given != null) {
        whole = given;
        source = settings.pool();
      } else {
        pool = PreferencePairs.generate(images, labels, new PreferencePairs.Params(settings.pairs(),
            settings.dim(), seed, PreferencePairs.RANDOM_CLASS, settings.lambda()));
        generateTime = seconds(t);
        ProgressLog.info("experiment: seed " + seed + ": " + pool.summary());
        whole = PairPoolWriter.toDataFrame(spark, pool);
        source = "pool of seed " + seed;
      }
      Dataset<Row> frame;
      Dataset<Row> testFrame = null;
      String testSource = null;
      if (settings.testFraction() > 0) {
        // The split of bin/adpo split, seeded by the experiment seed: the methods never see the test rows.
        SplitRule rule = SplitRule.of(settings.testFraction(), seed);
        boolean stringIds = whole.schema().apply("id").dataType() instanceof org.apache.spark.sql.types.StringType;
        int at = whole.schema().fieldIndex("id");
        frame = whole.filter((org.apache.spark.api.java.function.FilterFunction<Row>)
            r -> !rule.isTest(stringIds ? r.get(at).toString() : (Object) ((Number) r.get(at)).longValue()));
        testFrame = whole.filter((org.apache.spark.api.java.function.FilterFunction<Row>)
            r -> rule.isTest(stringIds ? r.get(at).toString() : (Object) ((Number) r.get(at)).longValue()));
        testFrame = testFrame.persist(StorageLevel.MEMORY_AND_DISK());
        source = source + " (training part)";
        testSource = "held-out part of seed " + seed;
      } else {
        frame = whole;
      }
      frame = frame.persist(StorageLevel.MEMORY_AND_DISK());
      try {
        List<SelectionInput> selections = new ArrayList<>();
        Map<String, Double> selectTimes = new LinkedHashMap<>();
        for (String method : settings.methods()) {
          // A selection whose picks depend on its budget (adpo-safe, adpo-warm with alpha > 0) is made once per
          // budget and judged at that budget only; every other one once at the largest budget and judged on its
          // prefixes.
          boolean perBudget = WarmStart.dependsOnBudget(Algorithm.parse(method), settings.alphaFor(method));
          List<Long> budgets = perBudget ? settings.budgets() : List.of(settings.maxBudget());
          t = System.nanoTime();
          for (long budget : budgets) {
            SelectionResult r = new AdpoSelector().setAlgorithm(method).setBudget(budget)
                .setBeta(settings.beta()).setLambda(settings.lambda()).setAlpha(settings.alphaFor(method))
                .setSeed(seed).run(frame);
            String name = perBudget ? method + AT_BUDGET + budget : method;
            List<Pick> ordered = new ArrayList<>(r.picks());
            ordered.sort(Comparator.comparingLong(Pick::rank));
            List<Object> ids = new ArrayList<>();
            for (Pick p : ordered) {
              ids.add(p.id());
              picks.add(new PickRow(seed, name, p.rank(), p.id()));
            }
            selections.add(new SelectionInput(name, source + ", " + name, ids, method, settings.beta(),
                settings.lambda(), null, perBudget ? List.of(budget) : null));
          }
          double s = seconds(t);
          selectTimes.put(method, s);
          ProgressLog.info(String.format(Locale.ROOT, "experiment: seed %d: %s picked %d pairs in %.1f s%s", seed,
              method, settings.maxBudget(), s, perBudget ? " (one selection per budget)" : ""));
        }
        t = System.nanoTime();
        EvaluationResult ev = EvaluationJob.run(spark, frame, source, evalSettings, selections, testFrame,
            testSource);
        timings.put("seed_" + seed, new ExperimentReport.SeedTimes(generateTime, selectTimes, seconds(t)));
        for (MetricTable.Row row : ev.table().rows()) {
          String method = row.method();
          int at = method.indexOf(AT_BUDGET);
          if (at >= 0) {
            method = method.substring(0, at); // a per-budget selection, judged at its own budget only
          }
          table.add(new ExperimentTable.Row(seed, method, row.n(), row.test() != null ? row.test() : row.metrics(),
              row.fitIterations(), row.fitConverged()));
        }
        pools.put("seed_" + seed, new ExperimentReport.SeedPool(pool == null ? null : pool.positiveClass(),
            pool == null ? null : pool.shareOfOnes(), pool == null ? null : pool.teacherIterations(),
            ev.report().thetaStar(), ev.report().testPool()));
        for (String x : ev.report().warnings()) {
          warnings.add("seed " + seed + ": " + x);
        }
      } finally {
        frame.unpersist(false);
        if (testFrame != null) {
          testFrame.unpersist(false);
        }
      }
      ProgressLog.info(String.format(Locale.ROOT, "experiment: seed %d done (%.1f s so far)", seed, seconds(start)));
    }
    timings.put("run", seconds(start));
    return new Result(table, picks, pools,
        new ExperimentReport.Spark(spark.version(), spark.sparkContext().master()), timings, warnings);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
