package org.adpo.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.adpo.config.SelectionSettings;
import org.adpo.data.PoolBlock;
import org.adpo.design.InverseDesign;
import org.adpo.design.ScoreKernel;
import org.adpo.design.ScoreKernels;
import org.adpo.io.SelectionReport;
import org.adpo.select.Algorithm;
import org.adpo.select.Candidate;
import org.adpo.select.GatherPlan;
import org.adpo.select.CandidateBlock;
import org.adpo.select.CertifiedGreedy;
import org.adpo.select.PartitionScorer;
import org.adpo.select.PartitionScorer.Keyed;
import org.adpo.select.PartitionTop;
import org.adpo.select.Pick;
import org.adpo.select.PickBatch;
import org.adpo.select.PmcScorer;
import org.adpo.select.ScoreState;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The selection loop on the driver. Partitions hold the cached candidate blocks.
 *
 * <p>Default exact strategy ({@code lazy}): every candidate has a stored score, an upper bound of its
 * current v^T H^-1 v, kept per partition by a {@link LazyRounds}: on the executors in a cached
 * {@link ScoreState} per partition, one Spark job per round ({@link ExecutorRounds}), or in the driver
 * ({@link DriverRounds}, chosen by {@link RoundsChoice}). Each round downdates the stored scores with
 * the previous round's picks (vectors of d numbers each) and returns each partition's best rows above
 * one global threshold ({@link GatherPlan}: about G rows in all, whatever the partition count);
 * {@link CertifiedGreedy} then makes every pick it can prove equal to the sequential one. G adapts to
 * how many picks a round makes. A refresh recomputes every stored score exactly under H^-1 (on drift,
 * on a schedule, or when larger k cannot settle a tie).
 *
 * <p>{@code naive}: one job per pick that rescores every row against a broadcast H^-1 (for
 * comparison). Also runs the uniform, candidate-subset and stochastic modes.
 */
public final class DistributedGreedy {
  /**
   * Upper limit of G, the rows gathered per round in all partitions: their vectors stay within about
   * 16 MB (the driver scores each exactly, O(d t) apiece, O(d) per pick for a row it already held).
   */
  private static final long GATHER_BYTES = 16L << 20;

  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final SelectionSettings settings;
  private final ProgressLog progress;
  private final InverseDesign design;
  private final int d;
  private final List<Pick> picks = new ArrayList<>();
  private final List<Double> scales = new ArrayList<>();
  private final TreeSet<Long> picked = new TreeSet<>();
  private final ScoreKernel kernel = ScoreKernels.best();
  private int rounds;
  private int refreshes;
  private int checkpoints;
  private int regathers;
  private int maxTopK;
  private int maxGather;
  private long subsetSize;
  /** Rows the candidates hold (for the choice of where the lazy rounds run). */
  private long candidateRows;
  /** Where the lazy loop's rounds ran ({@link LazyRounds#where}); null for the other modes. */
  private String roundsRunOn;
  /** Lazy loop: task result bytes the driver received, and its selection thread's CPU, per round. */
  private double driverBytesPerRound = -1;
  private double driverCpuPerRound = -1;
  private double certifySeconds;
  private long gatheredRows;
  private final OnlineLearner online;
  /** Test-only injected task failures; null (nothing checked) unless configured. */
  private final FaultInjection faults;
  /**
   * Spark conf {@value #MAX_PICKS_KEY} (or the same JVM system property without the {@code spark.}
   * prefix): at most this many picks per round of the lazy loop (0 = no
   * limit, the default). For measuring the per-round cost and long runs (one pick per round makes
   * as many rounds, checkpoints and broadcasts as picks); the picks are the same either way.
   */
  public static final String MAX_PICKS_KEY = "spark.adpo.select.max-picks-per-round";
  private final long maxPicksPerRound;
  /** Told the picks and scales so far after every round that made picks; null = nobody listens. */
  private java.util.function.BiConsumer<List<Pick>, List<Double>> roundListener;

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
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.settings = settings;
    this.progress = progress;
    this.d = d;
    this.design = new InverseDesign(d, settings.gamma());
    this.faults = FaultInjection.of(spark.sparkContext());
    this.maxPicksPerRound = Long.parseLong(spark.sparkContext().getConf().get(MAX_PICKS_KEY,
        System.getProperty(MAX_PICKS_KEY.substring("spark.".length()), "0")));
  }

  /** Picks {@code n} of the {@code poolSize} candidates (n <= pool size), in pick order. */
  public List<Pick> run(JavaRDD<CandidateBlock> candidates, long n, long poolSize) {
    candidateRows = poolSize;
    if (settings.algorithm() == Algorithm.UNIFORM) {
      uniform(candidates, n);
    } else if (settings.algorithm() == Algorithm.PMC) {
      pmc(n);
    } else if (settings.candidates() > 0) {
      subsets(candidates, n, settings.candidates());
    } else if (settings.epsilon() > 0) {
      long size = (long) Math.ceil(poolSize / (double) n * Math.log(1 / settings.epsilon()));
      subsets(candidates, n, (int) Math.min(Math.max(size, 1), Math.min(poolSize, Integer.MAX_VALUE - 8)));
    } else if (settings.strategy().equals("naive")) {
      naive(candidates, n);
    } else {
      lazy(candidates, n);
    }
    return picks;
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
    if (!picks.isEmpty()) {
      throw new IllegalStateException("resume must come before any pick");
    }
    for (int i = 0; i < prior.size(); i++) {
      Pick p = prior.get(i);
      if (p.rank() != i + 1) {
        throw new IllegalArgumentException("earlier picks must be given in rank order");
      }
      picks.add(p);
      scales.add(scale.get(i));
      picked.add(p.ord());
      design.add(phi.get(i), 0, scale.get(i));
    }
  }

  /**
   * Lets {@code listener} see the picks and scales so far (the lists this greedy keeps adding to)
   * after every round that made picks; {@link SelectionProgress.Recorder} records them.
   */
  void onRound(java.util.function.BiConsumer<List<Pick>, List<Double>> listener) {
    this.roundListener = listener;
  }

  private void roundDone(long n) {
    progress.round(rounds, picks.size(), n, picks.get(picks.size() - 1).gain());
    if (roundListener != null) {
      roundListener.accept(picks, scales);
    }
  }

  /**
   * The features (float32 widened to double) of {@code picks}, in pick order, looked up by ord in
   * cached candidate blocks: what {@link #resume} needs. One small job that returns only those rows.
   * Each returned id is checked against the pick's.
   */
  static List<double[]> featuresOf(SparkSession spark, JavaRDD<CandidateBlock> blocks, List<Pick> picks) {
    long[] wanted = wanted(picks);
    SparkJobs.describe(spark, "features of " + picks.size() + " earlier picks");
    List<scala.Tuple2<Object, double[]>> found = blocks.flatMap(b -> wantedRows(b.ords, b.phi, b.rows, b.d, wanted,
        i -> b.ids == null ? (Object) b.ords[i] : b.ids[i]).iterator()).collect();
    return inPickOrder(found, picks);
  }

  /** As {@link #featuresOf(SparkSession, JavaRDD, List)}, from pool blocks (pmc has no candidates). */
  static List<double[]> featuresOfPool(SparkSession spark, JavaRDD<PoolBlock> blocks, List<Pick> picks) {
    long[] wanted = wanted(picks);
    SparkJobs.describe(spark, "features of " + picks.size() + " earlier picks");
    List<scala.Tuple2<Object, double[]>> found = blocks.flatMap(b -> wantedRows(b.ords, b.phi, b.rows, b.d, wanted,
        b::id).iterator()).collect();
    return inPickOrder(found, picks);
  }

  /** A block's rows whose ord is in {@code wanted} (sorted), as ("ord TAB id", features); runs on the executors. */
  private static List<scala.Tuple2<Object, double[]>> wantedRows(long[] ords, float[] phi, int rows, int d,
      long[] wanted, java.util.function.IntFunction<Object> id) {
    List<scala.Tuple2<Object, double[]>> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      if (java.util.Arrays.binarySearch(wanted, ords[i]) >= 0) {
        out.add(new scala.Tuple2<>(ords[i] + "\t" + id.apply(i), row(phi, i, d)));
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

  private static double[] row(float[] phi, int i, int d) {
    double[] x = new double[d];
    for (int c = 0; c < d; c++) {
      x[c] = phi[i * d + c];
    }
    return x;
  }

  /** Orders the found rows ("ord TAB id" -> phi) as the picks; null when a pick's row is missing or has another id. */
  private static List<double[]> inPickOrder(List<scala.Tuple2<Object, double[]>> found, List<Pick> picks) {
    Map<Object, double[]> byKey = new java.util.HashMap<>();
    for (scala.Tuple2<Object, double[]> e : found) {
      byKey.put(e._1(), e._2());
    }
    List<double[]> out = new ArrayList<>(picks.size());
    for (Pick p : picks) {
      double[] x = byKey.get(p.ord() + "\t" + p.id());
      if (x == null) {
        return null;
      }
      out.add(x);
    }
    return out;
  }

  /** The scale (v = scale phi) each pick had, in pick order. */
  public List<Double> scales() {
    return scales;
  }

  /**
   * PMC with theta fixed: picks up to {@code n} in all (earlier picks from {@link #resume} included),
   * the unpicked rows with the largest |phi . theta - b|, in one stretch.
   */
  public List<Pick> runPmc(JavaRDD<PoolBlock> blocks, double[] theta, long n) {
    while (picks.size() < n && pmcStretch(blocks, theta, n, n)) {
      // one stretch per loop; a second one only if the first found fewer rows than asked
    }
    return picks;
  }

  private void lazy(JavaRDD<CandidateBlock> initial, long n) {
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    boolean cpuTimed = cpu.isCurrentThreadCpuTimeSupported();
    long cpuStart = cpuTimed ? cpu.getCurrentThreadCpuTime() : 0;
    int roundsBefore = rounds;
    try (SparkJobs.ResultBytes received = new SparkJobs.ResultBytes(spark.sparkContext())) {
      lazyLoop(initial, n);
      int loopRounds = Math.max(1, rounds - roundsBefore);
      driverBytesPerRound = received.settled() / (double) loopRounds;
      driverCpuPerRound = cpuTimed ? (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9 / loopRounds : -1;
    }
  }

  private void lazyLoop(JavaRDD<CandidateBlock> initial, long n) {
    // Picks are made up to the next refit of theta (online), else up to n.
    // Resumed picks (resume) count: the next refit is the schedule's next point after them.
    long boundary = online == null ? n : Math.min(n, online.nextRefit(picks.size()));
    double gamma = settings.gamma();
    long bytes = candidateRows * (4L * d + 40);
    try (LazyRounds where = RoundsChoice.inDriver(spark, bytes)
        ? new DriverRounds(spark, initial, bytes, gamma, RoundsChoice.threads(spark))
        : new ExecutorRounds(spark, initial, gamma, settings.checkpointEvery(), faults,
            () -> {
              if (online != null) {
                online.retireOld(); // the new state no longer refers to earlier candidate generations
              }
            })) {
      roundsRunOn = where.where();
      lazyRounds(where, n, boundary);
      checkpoints += where.checkpoints();
    }
  }

  /** The driver's side of the lazy loop: what to gather, what to certify, when to refresh or refit. */
  private void lazyRounds(LazyRounds where, long n, long boundary) {
    int partitions = where.partitions();
    // The rows gathered per round, in all partitions together (not per partition): the driver's
    // bytes and work per round do not grow with the partition count.
    int cap = (int) Math.max(1, Math.min(1 << 20, GATHER_BYTES / ((long) d * 8)));
    int gather = (int) Math.min(cap, (long) settings.topK() * Math.min(partitions, 8));
    GatherPlan plan = GatherPlan.uniform(gather, partitions);
    boolean fresh = false;
    // Resumed from earlier picks: the initial scores ignore H^-1, so the first round recomputes them.
    boolean refreshNext = !picks.isEmpty();
    CertifiedGreedy.Outcome last = null;
    CertifiedGreedy.Memo memo = new CertifiedGreedy.Memo();
    while (picks.size() < n) {
      rounds++;
      if (refreshNext) {
        refreshes++;
        where.refresh("select round " + rounds + ": exact refresh (" + picks.size() + "/" + n + ")",
            design.vectors(), pickedArray());
        fresh = true;
        refreshNext = false;
      } else if (last != null && last.picks() > 0) {
        where.downdate(new PickBatch(last.downdates(), last.picked(), d));
        fresh = false;
      }
      List<PartitionTop> tops = where.gather("select round " + rounds + " (" + picks.size() + "/" + n
          + " picks, gathering about " + gather + " rows"
          + (online == null ? "" : ", next refit after " + boundary) + ")", plan);
      maxTopK = Math.max(maxTopK, plan.maxCap());
      maxGather = Math.max(maxGather, gather);
      long limit = boundary - picks.size();
      if (maxPicksPerRound > 0) {
        limit = Math.min(limit, maxPicksPerRound);
      }
      long certifyStart = System.nanoTime();
      last = CertifiedGreedy.round(tops, design, limit, fresh, this::record, memo);
      certifySeconds += (System.nanoTime() - certifyStart) / 1e9;
      for (PartitionTop t : tops) {
        gatheredRows += t.best().size();
      }
      if (last.exhausted() && last.picks() == 0) {
        break;
      }
      if (last.picks() == 0) {
        // Nothing certified: the best rows tie (or nearly) with rows behind the bounds. Gather more;
        // at the limit, recompute the stored scores exactly (then the first pick needs no bound).
        regathers++;
        if (plan.threshold > Double.NEGATIVE_INFINITY) {
          plan = GatherPlan.uniform(gather, partitions); // every partition's best, no threshold
        } else if (gather < cap) {
          gather = Math.min(cap, gather * 4);
          plan = GatherPlan.uniform(gather, partitions);
        } else {
          refreshNext = true;
        }
        continue;
      }
      // A round's picks are limited by the highest partition bound, which more gathered rows lower;
      // gather more while rounds use a good share of them (O(G d) bytes, O(G d t) driver work at most).
      if (last.picks() * 16 >= gather) {
        gather = Math.min(cap, gather * 2);
      } else if (last.picks() * 64 < gather && gather > 64) {
        gather = Math.max(64, gather / 2);
      }
      plan = GatherPlan.next(gather, partitions, tops, last.left());
      if (last.inflation() > settings.refreshTolerance()
          || (settings.refreshEvery() > 0 && rounds % settings.refreshEvery() == 0)) {
        refreshNext = true;
      }
      roundDone(n);
      if (online != null && picks.size() == boundary && picks.size() < n) {
        // Refit: theta changes, so every candidate's scale does. The stored scores are recomputed
        // exactly under the current H^-1 for the new scales (the refresh path); H keeps its terms.
        online.refit(picks);
        where.candidates(online.candidates());
        boundary = Math.min(n, online.nextRefit(picks.size()));
        refreshNext = true;
        plan = GatherPlan.uniform(gather, partitions); // new scales: the old scores say nothing
      }
    }
  }

  /**
   * PMC: between two refits theta is fixed, so the next m = (picks to the next refit) picks are the m
   * unpicked rows with the largest |phi . theta - b| (ties to the smallest id): one job per stretch,
   * each partition returning its best m. Gains are those of the unweighted design (w = 1).
   */
  private void pmc(long n) {
    long boundary = Math.min(n, online.nextRefit(picks.size()));
    while (picks.size() < n) {
      if (!pmcStretch(online.poolBlocks(), online.theta(), boundary, n)) {
        break;
      }
      if (picks.size() == boundary && picks.size() < n) {
        online.refit(picks);
        boundary = Math.min(n, online.nextRefit(picks.size()));
      }
    }
  }

  /** One PMC stretch: the picks up to {@code boundary} under a fixed theta; false when no row was left. */
  private boolean pmcStretch(JavaRDD<PoolBlock> blocks, double[] thetaNow, long boundary, long n) {
    rounds++;
    int m = (int) (boundary - picks.size());
    SparkJobs.describe(spark, "select round " + rounds + ": pmc picks " + (picks.size() + 1) + ".." + boundary
        + " of " + n);
    Broadcast<double[]> theta = jsc.broadcast(thetaNow);
    Broadcast<long[]> done = jsc.broadcast(pickedArray());
    List<List<Candidate>> lists;
    try {
      lists = blocks.map(p -> PmcScorer.top(p, theta.value(), done.value(), m)).collect();
    } finally {
      theta.destroy();
      done.destroy();
    }
    List<Candidate> all = new ArrayList<>();
    lists.forEach(all::addAll);
    all.sort(Candidate.BEST_FIRST);
    if (all.isEmpty()) {
      return false;
    }
    for (Candidate c : all.subList(0, Math.min(m, all.size()))) {
      record(c, design.score(c.phi, 0, 1.0));
      design.add(c.phi, 0, 1.0);
    }
    roundDone(n);
    return true;
  }

  private void naive(JavaRDD<CandidateBlock> candidates, long n) {
    while (picks.size() < n) {
      rounds++;
      SparkJobs.describe(spark, "select pick " + (picks.size() + 1) + " of " + n + " (naive rescoring)");
      Broadcast<InverseDesign.Vectors> inverse = jsc.broadcast(design.vectors());
      Broadcast<long[]> done = jsc.broadcast(pickedArray());
      List<PartitionTop> tops;
      try {
        tops = candidates.map(b -> PartitionScorer.top(b,
            PartitionScorer.exactScores(b, inverse.value(), done.value()), 1)).collect();
      } finally {
        inverse.destroy();
        done.destroy();
      }
      CertifiedGreedy.Outcome o = CertifiedGreedy.round(tops, design, 1, true, this::record);
      if (o.picks() == 0) {
        break;
      }
      roundDone(n);
    }
  }

  private void subsets(JavaRDD<CandidateBlock> candidates, long n, int size) {
    subsetSize = size;
    long seed = settings.seed();
    while (picks.size() < n) {
      rounds++;
      long step = picks.size() + 1;
      SparkJobs.describe(spark, "select pick " + step + " of " + n + " (" + size + " random candidates)");
      Broadcast<long[]> done = jsc.broadcast(pickedArray());
      List<List<Keyed>> lists;
      try {
        lists = candidates.map(b -> PartitionScorer.smallestKeys(b, seed, step, done.value(), size)).collect();
      } finally {
        done.destroy();
      }
      List<Keyed> sample = smallest(lists, size);
      if (sample.isEmpty()) {
        break;
      }
      Candidate best = null;
      for (Keyed kc : sample) {
        Candidate c = kc.candidate();
        c = new Candidate(c.ord, c.id, c.phi, c.weight, c.scale, design.score(c.phi, 0, c.scale));
        if (best == null || Candidate.BEST_FIRST.compare(c, best) < 0) {
          best = c;
        }
      }
      record(best, best.score());
      design.add(best.phi, 0, best.scale);
      roundDone(n);
    }
  }

  private void uniform(JavaRDD<CandidateBlock> candidates, long n) {
    long seed = settings.seed();
    int m = (int) n;
    rounds++;
    SparkJobs.describe(spark, "select " + n + " uniform picks");
    List<List<Keyed>> lists =
        candidates.map(b -> PartitionScorer.smallestKeys(b, seed, 0, new long[0], m)).collect();
    for (Keyed kc : smallest(lists, m)) {
      Candidate c = kc.candidate();
      double score = design.score(c.phi, 0, c.scale);
      record(c, score);
      design.add(c.phi, 0, c.scale);
    }
    if (!picks.isEmpty()) {
      roundDone(n);
    }
  }

  private static List<Keyed> smallest(List<List<Keyed>> lists, int size) {
    List<Keyed> all = new ArrayList<>();
    lists.forEach(all::addAll);
    all.sort(PartitionScorer::byKey);
    return all.size() > size ? all.subList(0, size) : all;
  }

  private void record(Candidate c, double score) {
    picks.add(new Pick(c.ord, c.id, picks.size() + 1, Math.log1p(score), c.weight));
    scales.add(c.scale);
    picked.add(c.ord);
  }

  private long[] pickedArray() {
    long[] a = new long[picked.size()];
    int i = 0;
    for (long v : picked) {
      a[i++] = v;
    }
    return a;
  }

  public int rounds() {
    return rounds;
  }

  /** log det H of the final design (Cholesky of H). */
  public double logDet() {
    return design.logDet();
  }

  /** How the loop ran, for the report. */
  public SelectionReport.GreedyStats stats() {
    boolean exact = settings.algorithm() != Algorithm.UNIFORM && settings.candidates() == 0 && settings.epsilon() == 0;
    String strategy = settings.algorithm() == Algorithm.PMC ? "pmc"
        : exact ? settings.strategy() : settings.algorithm() == Algorithm.UNIFORM ? "uniform" : "subsets";
    String kernelName = exact && settings.strategy().equals("lazy") && settings.algorithm() != Algorithm.PMC
        ? kernel.name() : "none";
    // Task results received (all jobs of the loop, refreshes included) and the CPU time of the
    // driver's selection thread (job submission, result handling, certification), per round.
    boolean driver = driverBytesPerRound >= 0;
    return new SelectionReport.GreedyStats(strategy, kernelName, roundsRunOn, rounds, refreshes, checkpoints, regathers, maxTopK,
        maxGather > 0 ? maxGather : null,
        driver ? driverBytesPerRound : null,
        driver ? driverCpuPerRound : null,
        driver ? certifySeconds : null,
        driver ? (rounds == 0 ? 0.0 : gatheredRows / (double) rounds) : null,
        subsetSize > 0 ? subsetSize : null);
  }
}
