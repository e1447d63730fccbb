package org.adpo.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.adpo.config.SelectionSettings;
import org.adpo.data.PoolBlock;
import org.adpo.design.ScoreKernel;
import org.adpo.design.ScoreKernels;
import org.adpo.io.SelectionReport;
import org.adpo.select.Algorithm;
import org.adpo.select.CandidateBlock;
import org.adpo.select.Pick;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * The selection loop on the driver: one greedy mode per selection, over the picks and design they
 * share ({@link GreedyState}). Partitions hold the cached candidate blocks.
 * <ul>
 *   <li>{@link LazyGreedy}: the exact certified loop ({@code --strategy lazy}, the default), its rounds
 *       on the executors or in the driver ({@link LazyRounds});
 *   <li>{@link NaiveGreedy}: one job per pick that rescores every row ({@code --strategy naive});
 *   <li>{@link SubsetGreedy}: uniform, and the candidate-subset and stochastic modes;
 *   <li>{@link PmcGreedy}: PMC, between refits of theta.
 * </ul>
 */
final class DistributedGreedy {
  /**
   * Spark conf {@value #MAX_PICKS_KEY} (or the same JVM system property without the {@code spark.}
   * prefix): at most this many picks per round of the lazy loop (0 = no
   * limit, the default). For measuring the per-round cost and long runs (one pick per round makes
   * as many rounds, checkpoints and broadcasts as picks); the picks are the same either way.
   */
  public static final String MAX_PICKS_KEY = "spark.adpo.select.max-picks-per-round";

  private final SparkSession spark;
  private final SelectionSettings settings;
  private final GreedyState s;
  private final ScoreKernel kernel = ScoreKernels.best();
  private final OnlineLearner online;
  /** Test-only injected task failures; null (nothing checked) unless configured. */
  private final FaultInjection faults;
  private final long maxPicksPerRound;

  public DistributedGreedy(SparkSession spark, SelectionSettings settings, int d, ProgressLog progress) {
    this(spark, settings, d, progress, null);
  }

  /**
   * @param online the refit state of the online algorithms (adpo, pmc); null otherwise. The lazy loop
   *     then stops each stretch of certified rounds at the next refit, lets {@code online} refit theta
   *     and re-weigh the candidates, and recomputes the stored scores exactly for the new scales.
   */
  DistributedGreedy(SparkSession spark, SelectionSettings settings, int d, ProgressLog progress, OnlineLearner online) {
    this.online = online;
    this.spark = spark;
    this.settings = settings;
    this.s = new GreedyState(settings, d, progress);
    this.faults = FaultInjection.of(spark.sparkContext());
    this.maxPicksPerRound = EngineSetting.longOf(spark.sparkContext(), MAX_PICKS_KEY, 0);
  }

  /** Picks {@code n} of the {@code poolSize} candidates (n <= pool size), in pick order. */
  public List<Pick> run(JavaRDD<CandidateBlock> candidates, long n, long poolSize) {
    if (settings.algorithm() == Algorithm.UNIFORM) {
      SubsetGreedy.uniform(spark, s, candidates, n);
    } else if (settings.algorithm() == Algorithm.PMC) {
      PmcGreedy.run(spark, s, online, n);
    } else if (settings.candidates() > 0) {
      SubsetGreedy.subsets(spark, s, candidates, n, settings.candidates());
    } else if (settings.epsilon() > 0) {
      long size = (long) Math.ceil(poolSize / (double) n * Math.log(1 / settings.epsilon()));
      SubsetGreedy.subsets(spark, s, candidates, n,
          (int) Math.min(Math.max(size, 1), Math.min(poolSize, Integer.MAX_VALUE - 8)));
    } else if (settings.strategy().equals("naive")) {
      NaiveGreedy.run(spark, s, candidates, n);
    } else {
      new LazyGreedy(spark, s, online, faults, maxPicksPerRound).run(candidates, n, poolSize);
    }
    return s.picks;
  }

  /**
   * Continues an earlier selection (online rounds resumed from a saved state): adds its picks in
   * pick order, with the same rank-one updates of H^-1 as when they were made, so H^-1 is bit for bit
   * the one the earlier run had. {@link #run} then picks on from there, never re-picking these rows;
   * the lazy loop starts with an exact recomputation of the stored scores under that H^-1.
   *
   * @param phi each pick's features (the stored float32 values widened to double)
   * @param scale each pick's scale (v = scale phi) at the time it was picked
   */
  public void resume(List<Pick> prior, List<double[]> phi, List<Double> scale) {
    if (!s.picks.isEmpty()) {
      throw new IllegalStateException("resume must come before any pick");
    }
    for (int i = 0; i < prior.size(); i++) {
      Pick p = prior.get(i);
      if (p.rank() != i + 1) {
        throw new IllegalArgumentException("earlier picks must be given in rank order");
      }
      s.picks.add(p);
      s.scales.add(scale.get(i));
      s.picked.add(p.ord());
      s.design.add(phi.get(i), 0, scale.get(i));
    }
  }

  /**
   * Lets {@code listener} see the picks and scales so far (the lists this greedy keeps adding to)
   * after every round that made picks; {@link SelectionProgress.Recorder} records them.
   */
  void onRound(java.util.function.BiConsumer<List<Pick>, List<Double>> listener) {
    s.roundListener = listener;
  }

  /**
   * The features (float32 widened to double) of {@code picks}, in pick order, looked up by ord in
   * cached candidate blocks: what {@link #resume} needs ({@link #storedFeaturesOf}, widened).
   */
  static List<double[]> featuresOf(SparkSession spark, JavaRDD<CandidateBlock> blocks, List<Pick> picks) {
    return widened(storedFeaturesOf(spark, blocks, picks, "features of " + picks.size() + " earlier picks"));
  }

  /** As {@link #featuresOf(SparkSession, JavaRDD, List)}, from pool blocks (pmc has no candidates). */
  static List<double[]> featuresOfPool(SparkSession spark, JavaRDD<PoolBlock> blocks, List<Pick> picks) {
    return widened(storedFeaturesOfPool(spark, blocks, picks, "features of " + picks.size() + " earlier picks"));
  }

  /**
   * The stored float32 features of {@code picks}, in pick order, looked up by ord in cached candidate blocks:
   * one small job (described as {@code job}) that returns only those rows, as floats (half the bytes of doubles:
   * a task's result stays under Spark's 1 MB for direct results, above which it takes another round trip). Each
   * returned id is checked against the pick's; null when a pick's row is missing.
   */
  static List<float[]> storedFeaturesOf(SparkSession spark, JavaRDD<CandidateBlock> blocks, List<Pick> picks,
      String job) {
    long[] wanted = wanted(picks);
    SparkJobs.describe(spark, job);
    List<scala.Tuple2<Object, float[]>> found = blocks.flatMap(b -> wantedRows(b.ords, b.rows, wanted, i -> {
      float[] x = new float[b.d];
      b.row(i, x, 0);
      return x;
    }, i -> b.ids == null ? (Object) b.ords[i] : b.ids[i]).iterator()).collect();
    return inPickOrder(found, picks);
  }

  /** As {@link #storedFeaturesOf}, from pool blocks. */
  static List<float[]> storedFeaturesOfPool(SparkSession spark, JavaRDD<PoolBlock> blocks, List<Pick> picks,
      String job) {
    long[] wanted = wanted(picks);
    SparkJobs.describe(spark, job);
    List<scala.Tuple2<Object, float[]>> found = blocks.flatMap(b -> wantedRows(b.ords, b.rows, wanted,
        i -> java.util.Arrays.copyOfRange(b.phi, i * b.d, (i + 1) * b.d), b::id).iterator()).collect();
    return inPickOrder(found, picks);
  }

  /** Each float32 vector widened to double (exactly); null stays null. */
  private static List<double[]> widened(List<float[]> rows) {
    if (rows == null) {
      return null;
    }
    List<double[]> out = new ArrayList<>(rows.size());
    for (float[] f : rows) {
      double[] x = new double[f.length];
      for (int c = 0; c < f.length; c++) {
        x[c] = f[c];
      }
      out.add(x);
    }
    return out;
  }

  /** A block's rows whose ord is in {@code wanted} (sorted), as ("ord TAB id", features); runs on the executors. */
  private static <T> List<scala.Tuple2<Object, T>> wantedRows(long[] ords, int rows, long[] wanted,
      java.util.function.IntFunction<T> features, java.util.function.IntFunction<Object> id) {
    List<scala.Tuple2<Object, T>> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      if (java.util.Arrays.binarySearch(wanted, ords[i]) >= 0) {
        out.add(new scala.Tuple2<>(ords[i] + "\t" + id.apply(i), features.apply(i)));
      }
    }
    return out;
  }

  private static long[] wanted(List<Pick> picks) {
    long[] wanted = new long[picks.size()];
    for (int i = 0; i < wanted.length; i++) {
      wanted[i] = picks.get(i).ord();
    }
    java.util.Arrays.sort(wanted);
    return wanted;
  }

  /** Orders the found rows ("ord TAB id" -> phi) as the picks; null when a pick's row is missing or has another id. */
  private static <T> List<T> inPickOrder(List<scala.Tuple2<Object, T>> found, List<Pick> picks) {
    Map<Object, T> byKey = new java.util.HashMap<>();
    for (scala.Tuple2<Object, T> e : found) {
      byKey.put(e._1(), e._2());
    }
    List<T> out = new ArrayList<>(picks.size());
    for (Pick p : picks) {
      T x = byKey.get(p.ord() + "\t" + p.id());
      if (x == null) {
        return null;
      }
      out.add(x);
    }
    return out;
  }

  /** The scale (v = scale phi) each pick had, in pick order. */
  public List<Double> scales() {
    return s.scales;
  }

  /**
   * PMC with theta fixed: picks up to {@code n} in all (earlier picks from {@link #resume} included),
   * the unpicked rows with the largest |phi . theta - b|, in one stretch.
   */
  public List<Pick> runPmc(JavaRDD<PoolBlock> blocks, double[] theta, long n) {
    PmcGreedy.fixedTheta(spark, s, blocks, theta, n);
    return s.picks;
  }

  public int rounds() {
    return s.rounds;
  }

  /** log det H of the final design (Cholesky of H). */
  public double logDet() {
    return s.design.logDet();
  }

  /** How the loop ran, for the report. */
  public SelectionReport.GreedyStats stats() {
    boolean exact = s.settings.algorithm() != Algorithm.UNIFORM && s.settings.candidates() == 0 && s.settings.epsilon() == 0;
    String strategy = s.settings.algorithm() == Algorithm.PMC ? "pmc"
        : exact ? s.settings.strategy() : s.settings.algorithm() == Algorithm.UNIFORM ? "uniform" : "subsets";
    String kernelName = exact && s.settings.strategy().equals("lazy") && s.settings.algorithm() != Algorithm.PMC
        ? kernel.name() : "none";
    // Task results received (all jobs of the loop, s.refreshes included) and the CPU time of the
    // driver's selection thread (job submission, result handling, certification), per round.
    boolean driver = s.driverBytesPerRound >= 0;
    return new SelectionReport.GreedyStats(strategy, kernelName, s.roundsRunOn, s.rounds, s.refreshes, s.checkpoints, s.regathers, s.maxTopK,
        s.maxGather > 0 ? s.maxGather : null,
        driver ? s.driverBytesPerRound : null,
        driver ? s.driverCpuPerRound : null,
        driver ? s.certifySeconds : null,
        driver ? s.roundsSetupSeconds : null,
        driver ? s.roundWorkSeconds : null,
        driver ? (s.rounds == 0 ? 0.0 : s.gatheredRows / (double) s.rounds) : null,
        s.subsetSize > 0 ? s.subsetSize : null);
  }
}
